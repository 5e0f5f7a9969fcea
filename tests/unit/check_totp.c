/* check_totp.c - TOTP and HOTP against the RFCs' own test vectors, and
 * the verification's window, replay guard and refusals. */
#include <string.h>

#include "check_pim.h"
#include "pim_totp.h"

/* RFC 6238 appendix B: the seed of each hash is "1234567890" repeated
 * to the hash's output length. */
static const char seed20[] = "12345678901234567890";
static const char seed32[] = "12345678901234567890123456789012";
static const char seed64[] =
	"1234567890123456789012345678901234567890123456789012345678901234";

static const struct {
	time_t		t;
	const char	*sha1, *sha256, *sha512;
} rfc6238[] = {
	{ 59, "94287082", "46119246", "90693936" },
	{ 1111111109, "07081804", "68084774", "25091201" },
	{ 1111111111, "14050471", "67062674", "99943326" },
	{ 1234567890, "89005924", "91819424", "93441116" },
	{ 2000000000, "69279037", "90698825", "38618901" },
	{ (time_t)20000000000LL, "65353130", "77737706", "47863826" },
};
#define NRFC6238	( (int)( sizeof( rfc6238 ) / sizeof( rfc6238[0] ) ) )

static const unsigned char *
key( const char *s )
{
	return (const unsigned char *)s;
}

static void
check_vector( const char *seed, enum pim_totp_hash h, time_t t,
	const char *want )
{
	char out[PIM_TOTP_MAX_DIGITS + 1];
	int64_t step = pim_totp_step( t, 30 );

	ck_assert_int_eq( pim_totp_hotp( key( seed ), strlen( seed ), h, 8,
		(uint64_t)step, out ), 0 );
	ck_assert_msg( strcmp( out, want ) == 0, "%s at %lld: got %s, want %s",
		pim_totp_hash_name( h ), (long long)t, out, want );
}

START_TEST( test_rfc6238 )
{
	int i;

	for ( i = 0; i < NRFC6238; i++ ) {
		check_vector( seed20, PIM_TOTP_SHA1, rfc6238[i].t, rfc6238[i].sha1 );
		check_vector( seed32, PIM_TOTP_SHA256, rfc6238[i].t,
			rfc6238[i].sha256 );
		check_vector( seed64, PIM_TOTP_SHA512, rfc6238[i].t,
			rfc6238[i].sha512 );
	}
}
END_TEST

/* The same vectors through the verifier, as a token with 8 digits and a
 * 30 s period sees them at that very time. */
START_TEST( test_rfc6238_verify )
{
	pim_totp_params p = { PIM_TOTP_SHA1, 8, 30, 0 };
	int64_t step = -1;
	int i;

	for ( i = 0; i < NRFC6238; i++ ) {
		p.tp_hash = PIM_TOTP_SHA1;
		ck_assert_int_eq( pim_totp_verify( key( seed20 ), 20, &p,
			rfc6238[i].t, -1, rfc6238[i].sha1, 8, &step ), PIM_TOTP_OK );
		ck_assert_int_eq( step, rfc6238[i].t / 30 );
		p.tp_hash = PIM_TOTP_SHA256;
		ck_assert_int_eq( pim_totp_verify( key( seed32 ), 32, &p,
			rfc6238[i].t, -1, rfc6238[i].sha256, 8, &step ), PIM_TOTP_OK );
		p.tp_hash = PIM_TOTP_SHA512;
		ck_assert_int_eq( pim_totp_verify( key( seed64 ), 64, &p,
			rfc6238[i].t, -1, rfc6238[i].sha512, 8, &step ), PIM_TOTP_OK );
	}
}
END_TEST

/* RFC 4226 appendix D: HOTP, SHA-1, 6 digits, counters 0 to 9. */
START_TEST( test_rfc4226 )
{
	static const char *const want[] = {
		"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489"
	};
	char out[PIM_TOTP_MAX_DIGITS + 1];
	uint64_t c;

	for ( c = 0; c < 10; c++ ) {
		ck_assert_int_eq( pim_totp_hotp( key( seed20 ), 20, PIM_TOTP_SHA1,
			6, c, out ), 0 );
		ck_assert_str_eq( out, want[c] );
	}
	ck_assert_int_eq( pim_totp_hotp( key( seed20 ), 0, PIM_TOTP_SHA1, 6,
		0, out ), -1 );
	ck_assert_int_eq( pim_totp_hotp( key( seed20 ), 20, PIM_TOTP_SHA1, 9,
		0, out ), -1 );
}
END_TEST

/* A code of step s of the RFC 4226 key, 6 digits. */
static void
code_at( int64_t s, char *out )
{
	ck_assert_int_eq( pim_totp_hotp( key( seed20 ), 20, PIM_TOTP_SHA1, 6,
		(uint64_t)s, out ), 0 );
}

static enum pim_totp_result
verify( const pim_totp_params *p, time_t now, int64_t last,
	const char *code, int64_t *step )
{
	return pim_totp_verify( key( seed20 ), 20, p, now, last, code,
		strlen( code ), step );
}

START_TEST( test_window )
{
	pim_totp_params p = { PIM_TOTP_SHA1, 6, 30, 1 };
	time_t now = 1704067200 + 10;	/* step 56802240 */
	int64_t t = now / 30, step = 0;
	char c[PIM_TOTP_MAX_DIGITS + 1];

	code_at( t, c );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_OK );
	ck_assert_int_eq( step, t );
	code_at( t - 1, c );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_OK );
	ck_assert_int_eq( step, t - 1 );
	code_at( t + 1, c );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_OK );
	ck_assert_int_eq( step, t + 1 );

	/* outside the window, but near: told apart from a wrong code */
	code_at( t - 2, c );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_SKEW );
	code_at( t + 1 + PIM_TOTP_SKEW_STEPS, c );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_SKEW );
	/* a window of 0 takes the current step only */
	p.tp_window = 0;
	code_at( t + 1, c );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_SKEW );
}
END_TEST

START_TEST( test_replay )
{
	pim_totp_params p = { PIM_TOTP_SHA1, 6, 30, 1 };
	time_t now = 1704067200 + 10;
	int64_t t = now / 30, step = 0;
	char c[PIM_TOTP_MAX_DIGITS + 1];

	code_at( t, c );
	ck_assert_int_eq( verify( &p, now, t, c, &step ), PIM_TOTP_REPLAY );
	ck_assert_int_eq( verify( &p, now, t + 1, c, &step ), PIM_TOTP_REPLAY );
	ck_assert_int_eq( verify( &p, now, t - 1, c, &step ), PIM_TOTP_OK );
	/* an older step's code after a newer one was used */
	code_at( t - 1, c );
	ck_assert_int_eq( verify( &p, now, t, c, &step ), PIM_TOTP_REPLAY );
	/* a used step outside the window is a replay too */
	code_at( t - 5, c );
	ck_assert_int_eq( verify( &p, now, t, c, &step ), PIM_TOTP_REPLAY );
}
END_TEST

START_TEST( test_refusals )
{
	pim_totp_params p = { PIM_TOTP_SHA1, 6, 30, 1 };
	time_t now = 1704067200 + 10;
	int64_t t = now / 30, s, step = 0;
	char c[PIM_TOTP_MAX_DIGITS + 1], near[2 * 12 + 1][PIM_TOTP_MAX_DIGITS + 1];
	const char *wrong = NULL;
	static const char *const candidates[] = {
		"000000", "111111", "123456", "999999", "424242", NULL
	};
	int i, j;

	/* a code no step near now has */
	for ( s = t - 12; s <= t + 12; s++ )
		code_at( s, near[s - t + 12] );
	for ( i = 0; candidates[i] && !wrong; i++ ) {
		for ( j = 0; j < 25 && strcmp( near[j], candidates[i] ); j++ )
			;
		if ( j == 25 )
			wrong = candidates[i];
	}
	ck_assert_ptr_nonnull( wrong );
	ck_assert_int_eq( verify( &p, now, -1, wrong, &step ), PIM_TOTP_WRONG );

	code_at( t, c );
	ck_assert_int_eq( verify( &p, now, -1, "12345", &step ), PIM_TOTP_MALFORMED );
	ck_assert_int_eq( verify( &p, now, -1, "1234567", &step ), PIM_TOTP_MALFORMED );
	ck_assert_int_eq( verify( &p, now, -1, "12a456", &step ), PIM_TOTP_MALFORMED );
	ck_assert_int_eq( verify( &p, now, -1, "", &step ), PIM_TOTP_MALFORMED );
	/* a 6-digit code with 2 more characters is not the 6-digit code */
	memcpy( c + 6, "00", 3 );
	ck_assert_int_eq( verify( &p, now, -1, c, &step ), PIM_TOTP_MALFORMED );
	p.tp_digits = 8;
	ck_assert_int_eq( verify( &p, now, -1, "123456", &step ), PIM_TOTP_MALFORMED );
	/* before 1970 nothing verifies */
	p.tp_digits = 6;
	ck_assert_int_eq( verify( &p, -60, -1, "123456", &step ), PIM_TOTP_WRONG );
}
END_TEST

START_TEST( test_params )
{
	pim_totp_params p = { PIM_TOTP_SHA1, 6, 30, 1 };
	const char *text = NULL;
	enum pim_totp_hash h;

	ck_assert_int_eq( pim_totp_params_check( &p, &text ), 0 );
	p.tp_digits = 5;
	ck_assert_int_eq( pim_totp_params_check( &p, &text ), -1 );
	ck_assert_ptr_nonnull( text );
	p.tp_digits = 9;
	ck_assert_int_eq( pim_totp_params_check( &p, &text ), -1 );
	p.tp_digits = 8;
	p.tp_period = 0;
	ck_assert_int_eq( pim_totp_params_check( &p, &text ), -1 );
	p.tp_period = 30;
	p.tp_window = PIM_TOTP_MAX_WINDOW + 1;
	ck_assert_int_eq( pim_totp_params_check( &p, &text ), -1 );
	p.tp_window = -1;
	ck_assert_int_eq( pim_totp_params_check( &p, &text ), -1 );

	ck_assert_int_eq( pim_totp_hash_from_oid( "1.2.840.113549.2.7", 18, &h ), 0 );
	ck_assert_int_eq( h, PIM_TOTP_SHA1 );
	ck_assert_int_eq( pim_totp_hash_from_oid( "1.2.840.113549.2.9", 18, &h ), 0 );
	ck_assert_int_eq( h, PIM_TOTP_SHA256 );
	ck_assert_int_eq( pim_totp_hash_from_oid( "1.2.840.113549.2.11", 19, &h ), 0 );
	ck_assert_int_eq( h, PIM_TOTP_SHA512 );
	/* a prefix of a known OID is not that OID */
	ck_assert_int_eq( pim_totp_hash_from_oid( "1.2.840.113549.2.1", 18, &h ), -1 );
	ck_assert_int_eq( pim_totp_hash_from_oid( "1.2.840.113549.2.7", 17, &h ), -1 );
	ck_assert_int_eq( pim_totp_step( 59, 30 ), 1 );
	ck_assert_int_eq( pim_totp_step( -1, 30 ), -1 );
}
END_TEST

Suite *
pim_totp_suite( void )
{
	Suite *s = suite_create( "totp" );
	TCase *tc = tcase_create( "totp" );

	tcase_add_test( tc, test_rfc6238 );
	tcase_add_test( tc, test_rfc6238_verify );
	tcase_add_test( tc, test_rfc4226 );
	tcase_add_test( tc, test_window );
	tcase_add_test( tc, test_replay );
	tcase_add_test( tc, test_refusals );
	tcase_add_test( tc, test_params );
	suite_add_tcase( s, tc );
	return s;
}
