/* check_review.c - the pure rules of access reviews: names, schedule
 * arithmetic (month ends, leap years), recommendations. */
#include <string.h>

#include "check_pim.h"
#include "pim_review_rules.h"
#include "pim_time.h"

static time_t
T( const char *gt )
{
	time_t t = 0;

	ck_assert_int_eq( pim_gentime_parse( gt, strlen( gt ), &t ), 0 );
	return t;
}

static void
ck_at( const pim_schedule *sc, long k, const char *want )
{
	char buf[PIM_GENTIME_BUFSIZE];
	time_t t = 0;

	ck_assert_int_eq( pim_schedule_at( sc, k, &t ), 0 );
	ck_assert_int_eq( pim_gentime_format( t, buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, want );
}

START_TEST( names_round_trip )
{
	int set, v;

	for ( set = 0; set < PIM_RVN_NSETS; set++ ) {
		for ( v = 0; strcmp( pim_rv_name( set, v ), "?" ) != 0; v++ ) {
			const char *n = pim_rv_name( set, v );

			ck_assert_int_eq( pim_rv_parse( set, n, strlen( n ) ), v );
		}
		ck_assert_int_gt( v, 1 );
	}
	ck_assert_int_eq( pim_rv_parse( PIM_RVN_DECISION, "DONTKNOW", 8 ), 2 );
	ck_assert_int_eq( pim_rv_parse( PIM_RVN_DECISION, "maybe", 5 ), -1 );
	ck_assert_int_eq( pim_rv_parse( PIM_RVN_DECISION, "approv", 6 ), -1 );
	ck_assert_str_eq( pim_rv_name( PIM_RVN_STATE, 7 ), "?" );
	ck_assert_str_eq( pim_rv_name( PIM_RVN_STATE, -1 ), "?" );
}
END_TEST

START_TEST( recurrence_parse )
{
	enum pim_recur r;
	long iv;

	ck_assert_int_eq( pim_recur_parse( "quarterly", 9, &r, &iv ), 0 );
	ck_assert_int_eq( r, PIM_RECUR_QUARTERLY );
	ck_assert_int_eq( pim_recur_parse( "weekly", 6, &r, &iv ), 0 );
	ck_assert_int_eq( iv, 7L * 86400 );
	ck_assert_int_eq( pim_recur_parse( "20s", 3, &r, &iv ), 0 );
	ck_assert_int_eq( r, PIM_RECUR_INTERVAL );
	ck_assert_int_eq( iv, 20 );
	ck_assert_int_eq( pim_recur_parse( "0s", 2, &r, &iv ), -1 );
	ck_assert_int_eq( pim_recur_parse( "fortnightly", 11, &r, &iv ), -1 );
	ck_assert_int_eq( pim_recur_parse( "", 0, &r, &iv ), -1 );
}
END_TEST

START_TEST( monthly_clamps_to_month_end )
{
	pim_schedule sc = { PIM_RECUR_MONTHLY, 0, 0, 86400, 0, 0 };

	sc.sc_start = T( "20270131093000Z" );
	ck_at( &sc, 0, "20270131093000Z" );
	ck_at( &sc, 1, "20270228093000Z" );	/* not 3 March */
	ck_at( &sc, 2, "20270331093000Z" );	/* no drift from February */
	ck_at( &sc, 3, "20270430093000Z" );
	ck_at( &sc, 11, "20271231093000Z" );
	ck_at( &sc, 12, "20280131093000Z" );
	ck_at( &sc, 13, "20280229093000Z" );	/* 2028 is a leap year */
}
END_TEST

START_TEST( leap_years )
{
	pim_schedule sc = { PIM_RECUR_ANNUAL, 0, 0, 86400, 0, 0 };

	sc.sc_start = T( "20280229120000Z" );
	ck_at( &sc, 1, "20290228120000Z" );
	ck_at( &sc, 4, "20320229120000Z" );
	ck_at( &sc, 72, "21000228120000Z" );	/* 2100 is not a leap year */
	ck_at( &sc, 372, "24000229120000Z" );	/* 2400 is */
	sc.sc_recur = PIM_RECUR_QUARTERLY;
	sc.sc_start = T( "20261130000000Z" );
	ck_at( &sc, 1, "20270228000000Z" );
	ck_at( &sc, 2, "20270530000000Z" );
	sc.sc_recur = PIM_RECUR_SEMIANNUAL;
	sc.sc_start = T( "20270831000000Z" );
	ck_at( &sc, 1, "20280229000000Z" );
}
END_TEST

START_TEST( ends_and_limits )
{
	pim_schedule sc = { PIM_RECUR_ONCE, 0, 0, 60, 0, 0 };
	time_t t;

	sc.sc_start = T( "20270101000000Z" );
	ck_assert_int_eq( pim_schedule_at( &sc, 0, &t ), 0 );
	ck_assert_int_eq( pim_schedule_at( &sc, 1, &t ), -1 );
	ck_assert_int_eq( pim_schedule_min_period( &sc ), 0 );
	sc.sc_recur = PIM_RECUR_WEEKLY;
	sc.sc_interval = 7L * 86400;
	sc.sc_max = 3;
	ck_assert_int_eq( pim_schedule_at( &sc, 2, &t ), 0 );
	ck_assert_int_eq( pim_schedule_at( &sc, 3, &t ), -1 );
	sc.sc_max = 0;
	sc.sc_until = T( "20270115000000Z" );
	ck_assert_int_eq( pim_schedule_at( &sc, 2, &t ), 0 );	/* 15 Jan */
	ck_assert_int_eq( pim_schedule_at( &sc, 3, &t ), -1 );
	ck_assert_int_eq( pim_schedule_at( &sc, -1, &t ), -1 );
	sc.sc_until = 0;
	sc.sc_recur = PIM_RECUR_ANNUAL;
	sc.sc_start = T( "99981231000000Z" );
	ck_assert_int_eq( pim_schedule_at( &sc, 1, &t ), 0 );
	ck_assert_int_eq( pim_schedule_at( &sc, 2, &t ), -1 );	/* year 10000 */
	sc.sc_recur = PIM_RECUR_MONTHLY;
	ck_assert_int_eq( pim_schedule_min_period( &sc ), 28L * 86400 );
}
END_TEST

START_TEST( due_skips_missed_and_waits )
{
	pim_schedule sc = { PIM_RECUR_INTERVAL, 100, 1000, 30, 0, 0 };
	long j;
	time_t t;
	int open;

	pim_schedule_due( &sc, 0, 500, &open, &j, &t );
	ck_assert( !open && j == 0 && t == 1000 );
	pim_schedule_due( &sc, 0, 1010, &open, &j, &t );
	ck_assert( open && j == 0 && t == 1000 );
	/* between windows: the next one */
	pim_schedule_due( &sc, 1, 1050, &open, &j, &t );
	ck_assert( !open && j == 1 && t == 1100 );
	/* far behind (a server down for a long time): the latest window */
	pim_schedule_due( &sc, 1, 100020, &open, &j, &t );
	ck_assert( open && j == 990 && t == 100000 );
	/* the latest window is over: the next to come */
	pim_schedule_due( &sc, 1, 100050, &open, &j, &t );
	ck_assert( !open && j == 991 && t == 100100 );
	/* a one-time review whose window passed: nothing more */
	sc.sc_recur = PIM_RECUR_ONCE;
	pim_schedule_due( &sc, 0, 2000, &open, &j, &t );
	ck_assert( !open && t == 0 );
	pim_schedule_due( &sc, 1, 1001, &open, &j, &t );
	ck_assert( !open && t == 0 );
}
END_TEST

START_TEST( recommendations )
{
	pim_rv_facts f = { 0 };
	char why[PIM_RV_WHY_SIZE];

	f.rf_now = 200L * 86400;
	f.rf_days = 90;
	f.rf_since = 10L * 86400;
	f.rf_last_activation = 197L * 86400;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_APPROVE );
	ck_assert_str_eq( why, "activated 3 days ago" );
	f.rf_last_activation = 100L * 86400;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_DENY );
	ck_assert_str_eq( why, "no activation in 100 days" );
	f.rf_last_activation = 0;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_DENY );
	ck_assert_str_eq( why, "never activated in 190 days of eligibility" );
	f.rf_since = 150L * 86400;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_NONE );
	/* a bind long ago outweighs a recent activation */
	f.rf_last_activation = 199L * 86400;
	f.rf_last_bind = 80L * 86400;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_DENY );
	ck_assert_str_eq( why, "no bind in 120 days" );
	/* active assignments: the bind decides */
	f.rf_active = 1;
	f.rf_last_bind = 190L * 86400;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_APPROVE );
	ck_assert_str_eq( why, "bound 10 days ago" );
	f.rf_last_bind = 0;
	ck_assert_int_eq( pim_rv_recommend( &f, why, sizeof( why ) ), PIM_REC_NONE );
}
END_TEST

START_TEST( inactivity )
{
	pim_rv_facts f = { 0 };

	f.rf_now = 200L * 86400;
	f.rf_days = 30;
	f.rf_since = 10L * 86400;
	ck_assert( pim_rv_inactive( &f ) );
	f.rf_last_activation = 180L * 86400;
	ck_assert( !pim_rv_inactive( &f ) );
	f.rf_last_activation = 100L * 86400;
	f.rf_last_bind = 190L * 86400;
	ck_assert( !pim_rv_inactive( &f ) );
	f.rf_last_bind = 150L * 86400;
	ck_assert( pim_rv_inactive( &f ) );
	f.rf_active = 1;
	f.rf_since = 195L * 86400;
	ck_assert( !pim_rv_inactive( &f ) );
}
END_TEST

Suite *
pim_review_suite( void )
{
	Suite *s = suite_create( "review" );
	TCase *tc = tcase_create( "rules" );

	tcase_add_test( tc, names_round_trip );
	tcase_add_test( tc, recurrence_parse );
	tcase_add_test( tc, monthly_clamps_to_month_end );
	tcase_add_test( tc, leap_years );
	tcase_add_test( tc, ends_and_limits );
	tcase_add_test( tc, due_skips_missed_and_waits );
	tcase_add_test( tc, recommendations );
	tcase_add_test( tc, inactivity );
	suite_add_tcase( s, tc );
	return s;
}
