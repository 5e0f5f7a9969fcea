/* check_time.c - durations, GeneralizedTime and user-typed times. */
#include <string.h>

#include "check_pim.h"
#include "pim_time.h"

#define T_2024		((time_t) 1704067200)	/* 2024-01-01T00:00:00Z */
#define T_MAX		((time_t) 253402300799)	/* 9999-12-31T23:59:59Z */

static int
dur( const char *s, long *secs )
{
	return pim_duration_parse( s, strlen( s ), secs );
}

static int
gt( const char *s, time_t *t )
{
	return pim_gentime_parse( s, strlen( s ), t );
}

/* ------------------------------------------------------------------ */
/* Durations */

static const struct {
	const char	*s;
	long		secs;
} dur_good[] = {
	{ "0", 0 },
	{ "90", 90 },
	{ "007", 7 },
	{ "0s", 0 },
	{ "90s", 90 },
	{ "30m", 1800 },
	{ "2h", 7200 },
	{ "1d", 86400 },
	{ "1h30m", 5400 },
	{ "1d2h3m4s", 93784 },
	{ "1d4s", 86404 },
	{ "1D2H3M4S", 93784 },
	{ "1h0m5s", 3605 },
	{ "316224000", PIM_DURATION_MAX },
	{ "3660d", PIM_DURATION_MAX },
	{ "3659d23h59m60s", PIM_DURATION_MAX },
};

START_TEST( test_duration_parse_valid )
{
	long secs = -1;

	ck_assert_msg( dur( dur_good[_i].s, &secs ) == 0,
		"\"%s\" refused", dur_good[_i].s );
	ck_assert_int_eq( secs, dur_good[_i].secs );
}
END_TEST

static const char *const dur_bad[] = {
	"",		/* empty */
	"-5",		/* sign */
	"+5",
	"-1h",
	" 5",		/* spaces */
	"5 ",
	"1h 30m",
	"5x",		/* bad unit */
	"5w",
	"1.5h",
	"h",		/* unit without number */
	"1hm",
	"1h30",		/* number without unit after a unit */
	"1m1h",		/* ascending */
	"1s1d",
	"30m2h",
	"1h1h",		/* repeated */
	"1h2H",
	"99999999999999999999999",	/* overflow */
	"9223372036854775808s",
	"316224001",	/* above the maximum */
	"3661d",
	"3660d1s",
	"100000000000d",
};

START_TEST( test_duration_parse_invalid )
{
	long secs = 12345;

	ck_assert_msg( dur( dur_bad[_i], &secs ) == -1,
		"\"%s\" accepted", dur_bad[_i] );
	ck_assert_int_eq( secs, 12345 );
}
END_TEST

START_TEST( test_duration_parse_len )
{
	long secs;
	static const char with_nul[] = { '1', 'h', '\0', '5', 's' };

	/* Only len bytes count; the rest of the buffer is not looked at. */
	ck_assert_int_eq( pim_duration_parse( "90sXYZ", 3, &secs ), 0 );
	ck_assert_int_eq( secs, 90 );
	ck_assert_int_eq( pim_duration_parse( "1h30m", 2, &secs ), 0 );
	ck_assert_int_eq( secs, 3600 );
	/* An embedded NUL is a bad character, not an end of string. */
	ck_assert_int_eq( pim_duration_parse( with_nul, sizeof( with_nul ),
		&secs ), -1 );
	ck_assert_int_eq( pim_duration_parse( "5", 0, &secs ), -1 );
	ck_assert_int_eq( pim_duration_parse( NULL, 3, &secs ), -1 );
}
END_TEST

static const struct {
	long		secs;
	const char	*s;
} dur_fmt[] = {
	{ 0, "0s" },
	{ 45, "45s" },
	{ 60, "1m" },
	{ 7200, "2h" },
	{ 5400, "1h30m" },
	{ 86401, "1d1s" },
	{ 93784, "1d2h3m4s" },
	{ PIM_DURATION_MAX, "3660d" },
	{ PIM_DURATION_MAX - 1, "3659d23h59m59s" },
};

START_TEST( test_duration_format )
{
	char buf[PIM_DURATION_BUFSIZE];
	int n;

	n = pim_duration_format( dur_fmt[_i].secs, buf, sizeof( buf ) );
	ck_assert_int_eq( n, (int)strlen( dur_fmt[_i].s ) );
	ck_assert_str_eq( buf, dur_fmt[_i].s );
}
END_TEST

START_TEST( test_duration_format_invalid )
{
	char buf[PIM_DURATION_BUFSIZE];

	ck_assert_int_eq( pim_duration_format( -1, buf, sizeof( buf ) ), -1 );
	ck_assert_int_eq( pim_duration_format( PIM_DURATION_MAX + 1, buf,
		sizeof( buf ) ), -1 );
	/* "45s" needs 4 bytes with its NUL. */
	ck_assert_int_eq( pim_duration_format( 45, buf, 3 ), -1 );
	ck_assert_int_eq( pim_duration_format( 45, buf, 4 ), 3 );
	ck_assert_str_eq( buf, "45s" );
	ck_assert_int_eq( pim_duration_format( 45, buf, 0 ), -1 );
}
END_TEST

START_TEST( test_duration_round_trip )
{
	char buf[PIM_DURATION_BUFSIZE];
	long secs, back;
	int n;

	/* A prime stride visits every unit combination, plus the ends. */
	for ( secs = 0; secs <= PIM_DURATION_MAX; secs += 7919 ) {
		n = pim_duration_format( secs, buf, sizeof( buf ) );
		ck_assert_int_gt( n, 0 );
		ck_assert_int_eq( pim_duration_parse( buf, (size_t)n, &back ), 0 );
		ck_assert_int_eq( back, secs );
	}
	n = pim_duration_format( PIM_DURATION_MAX, buf, sizeof( buf ) );
	ck_assert_int_eq( pim_duration_parse( buf, (size_t)n, &back ), 0 );
	ck_assert_int_eq( back, PIM_DURATION_MAX );
}
END_TEST

/* ------------------------------------------------------------------ */
/* GeneralizedTime */

static const struct {
	const char	*s;
	time_t		t;
} gt_good[] = {
	{ "19700101000000Z", 0 },
	{ "20240101000000Z", T_2024 },
	{ "20240229120000Z", 1709208000 },	/* leap year */
	{ "20000229000000Z", 951782400 },	/* divisible by 400 */
	{ "20240101000000.123Z", T_2024 },	/* fraction ignored */
	{ "20240101000000.9Z", T_2024 },
	{ "20240101000059.999999Z", T_2024 + 59 },
	{ "202401010000Z", T_2024 },		/* minutes precision */
	{ "202401011230Z", T_2024 + 12 * 3600 + 30 * 60 },
	{ "20241231235959Z", T_2024 + 366 * 86400 - 1 },
	{ "99991231235959Z", T_MAX },
};

START_TEST( test_gentime_parse_valid )
{
	time_t t = -1;

	ck_assert_msg( gt( gt_good[_i].s, &t ) == 0, "\"%s\" refused",
		gt_good[_i].s );
	ck_assert_int_eq( t, gt_good[_i].t );
}
END_TEST

static const char *const gt_bad[] = {
	"",
	"2024",
	"20240101",
	"20240101000000",		/* no Z */
	"20240101000000z",		/* lower-case z */
	"20240101000000ZZ",		/* trailing garbage */
	"20240101000000Z ",
	" 20240101000000Z",
	"20240101000000+0100",		/* offsets */
	"20240101000000-0500",
	"2024010100000Z",		/* odd digit count */
	"2024010100Z",			/* hours precision */
	"2024010100000aZ",
	"2024-01-01T00:00:00Z",		/* ISO 8601 is for usertime */
	"20240101000000.Z",		/* fraction without digits */
	"20240101000000.",
	"20240101000000.1",
	"20240101000000.1aZ",
	"20240101000000,5Z",
	"202401010000.5Z",		/* fraction of a minute */
	"20230229000000Z",		/* Feb 29 in a common year */
	"21000229000000Z",		/* century, not divisible by 400 */
	"20240230000000Z",		/* Feb 30 */
	"20240431000000Z",		/* Apr 31 */
	"20240001000000Z",		/* month 0 */
	"20241301000000Z",		/* month 13 */
	"20240100000000Z",		/* day 0 */
	"20240132000000Z",
	"20240101240000Z",		/* hour 24 */
	"20240101006000Z",		/* minute 60 */
	"20240101000060Z",		/* second 60 */
	"19691231235959Z",		/* before 1970 */
	"garbage garbage",
	"-0240101000000Z",
};

START_TEST( test_gentime_parse_invalid )
{
	time_t t = 777;

	ck_assert_msg( gt( gt_bad[_i], &t ) == -1, "\"%s\" accepted",
		gt_bad[_i] );
	ck_assert_int_eq( t, 777 );
}
END_TEST

START_TEST( test_gentime_parse_len )
{
	static const char nul[] = "20240101000\00000Z";	/* 15 bytes */
	time_t t;

	/* Only len bytes count. */
	ck_assert_int_eq( pim_gentime_parse( "20240101000000ZXX", 15, &t ), 0 );
	ck_assert_int_eq( t, T_2024 );
	ck_assert_int_eq( pim_gentime_parse( "20240101000000Z", 14, &t ), -1 );
	ck_assert_int_eq( pim_gentime_parse( nul, sizeof( nul ) - 1, &t ), -1 );
	ck_assert_int_eq( pim_gentime_parse( NULL, 15, &t ), -1 );
}
END_TEST

START_TEST( test_gentime_format )
{
	char buf[PIM_GENTIME_BUFSIZE];

	ck_assert_int_eq( pim_gentime_format( 0, buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "19700101000000Z" );
	ck_assert_int_eq( pim_gentime_format( 1709208000, buf,
		sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "20240229120000Z" );
	ck_assert_int_eq( pim_gentime_format( T_MAX, buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "99991231235959Z" );
}
END_TEST

START_TEST( test_gentime_format_invalid )
{
	char buf[PIM_GENTIME_BUFSIZE];

	ck_assert_int_eq( pim_gentime_format( -1, buf, sizeof( buf ) ), -1 );
	ck_assert_int_eq( pim_gentime_format( T_MAX + 1, buf,
		sizeof( buf ) ), -1 );
	ck_assert_int_eq( pim_gentime_format( T_2024, buf,
		PIM_GENTIME_BUFSIZE - 1 ), -1 );
}
END_TEST

START_TEST( test_gentime_round_trip )
{
	char buf[PIM_GENTIME_BUFSIZE];
	time_t t, back;

	/* Strides across leap days, month ends and the year 2038. */
	for ( t = 0; t < (time_t) 4200000000LL; t += 86400 * 7 + 3607 ) {
		ck_assert_int_eq( pim_gentime_format( t, buf, sizeof( buf ) ), 0 );
		ck_assert_int_eq( gt( buf, &back ), 0 );
		ck_assert_int_eq( back, t );
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* User times */

START_TEST( test_usertime_valid )
{
	const time_t now = T_2024 + 1000;
	time_t t;

	ck_assert_int_eq( pim_usertime_parse( "now", now, &t ), 0 );
	ck_assert_int_eq( t, now );
	ck_assert_int_eq( pim_usertime_parse( "+1h", now, &t ), 0 );
	ck_assert_int_eq( t, now + 3600 );
	ck_assert_int_eq( pim_usertime_parse( "+90", now, &t ), 0 );
	ck_assert_int_eq( t, now + 90 );
	ck_assert_int_eq( pim_usertime_parse( "+1d2h", now, &t ), 0 );
	ck_assert_int_eq( t, now + 93600 );
	ck_assert_int_eq( pim_usertime_parse( "20240229120000Z", now, &t ), 0 );
	ck_assert_int_eq( t, 1709208000 );
	ck_assert_int_eq( pim_usertime_parse( "202401011230Z", now, &t ), 0 );
	ck_assert_int_eq( t, T_2024 + 45000 );
	ck_assert_int_eq( pim_usertime_parse( "2024-01-01T12:30Z", now, &t ), 0 );
	ck_assert_int_eq( t, T_2024 + 45000 );
	ck_assert_int_eq( pim_usertime_parse( "2024-01-01T12:30:15Z", now,
		&t ), 0 );
	ck_assert_int_eq( t, T_2024 + 45015 );
	ck_assert_int_eq( pim_usertime_parse( "2024-02-29T12:00:00Z", now,
		&t ), 0 );
	ck_assert_int_eq( t, 1709208000 );
}
END_TEST

static const char *const user_bad[] = {
	"",
	"NOW",
	"now ",
	"yesterday",
	"+",
	"+-1h",
	"++1h",
	"+1h30",
	"+3661d",
	"-1h",
	"2024-01-01",
	"2024-01-01T12Z",
	"2024-01-01T12:30",		/* no Z */
	"2024-01-01 12:30Z",		/* space, not T */
	"2024-01-01T12:30:15.5Z",
	"2024-01-01T12:30+01:00",
	"2024-02-30T00:00Z",		/* Feb 30 */
	"2023-02-29T00:00:00Z",
	"2024-1-01T12:30Z",
	"2024/01/01T12:30Z",
	"20240230000000Z",
};

START_TEST( test_usertime_invalid )
{
	time_t t = 42;

	ck_assert_msg( pim_usertime_parse( user_bad[_i], T_2024, &t ) == -1,
		"\"%s\" accepted", user_bad[_i] );
	ck_assert_int_eq( t, 42 );
}
END_TEST

#define N( a )	( (int)( sizeof( a ) / sizeof( ( a )[0] ) ) )

Suite *
pim_time_suite( void )
{
	Suite *s = suite_create( "time" );
	TCase *tc;

	tc = tcase_create( "duration" );
	tcase_add_loop_test( tc, test_duration_parse_valid, 0, N( dur_good ) );
	tcase_add_loop_test( tc, test_duration_parse_invalid, 0, N( dur_bad ) );
	tcase_add_test( tc, test_duration_parse_len );
	tcase_add_loop_test( tc, test_duration_format, 0, N( dur_fmt ) );
	tcase_add_test( tc, test_duration_format_invalid );
	tcase_add_test( tc, test_duration_round_trip );
	suite_add_tcase( s, tc );

	tc = tcase_create( "gentime" );
	tcase_add_loop_test( tc, test_gentime_parse_valid, 0, N( gt_good ) );
	tcase_add_loop_test( tc, test_gentime_parse_invalid, 0, N( gt_bad ) );
	tcase_add_test( tc, test_gentime_parse_len );
	tcase_add_test( tc, test_gentime_format );
	tcase_add_test( tc, test_gentime_format_invalid );
	tcase_add_test( tc, test_gentime_round_trip );
	suite_add_tcase( s, tc );

	tc = tcase_create( "usertime" );
	tcase_add_test( tc, test_usertime_valid );
	tcase_add_loop_test( tc, test_usertime_invalid, 0, N( user_bad ) );
	suite_add_tcase( s, tc );

	return s;
}
