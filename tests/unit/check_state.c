/* check_state.c - the activation state machine, transition by transition. */
#include <string.h>
#include <check.h>
#include <ldap.h>

#include "pim_state.h"
#include "pim_event_kinds.h"
#include "check_pim.h"

/* Every allowed transition; anything not listed must be refused. */
static const struct { enum pim_state from; enum pim_event ev; enum pim_state to; } allowed[] = {
	{ PIM_ST_PENDING, PIM_EV_APPROVE_NOW, PIM_ST_ACTIVE },
	{ PIM_ST_PENDING, PIM_EV_APPROVE_LATER, PIM_ST_APPROVED },
	{ PIM_ST_PENDING, PIM_EV_DENY, PIM_ST_DENIED },
	{ PIM_ST_PENDING, PIM_EV_CANCEL, PIM_ST_CANCELLED },
	{ PIM_ST_PENDING, PIM_EV_TIMEOUT, PIM_ST_TIMED_OUT },
	{ PIM_ST_PENDING, PIM_EV_REVOKE, PIM_ST_REVOKED },
	{ PIM_ST_APPROVED, PIM_EV_START, PIM_ST_ACTIVE },
	{ PIM_ST_APPROVED, PIM_EV_CANCEL, PIM_ST_CANCELLED },
	{ PIM_ST_APPROVED, PIM_EV_REVOKE, PIM_ST_REVOKED },
	{ PIM_ST_SCHEDULED, PIM_EV_START, PIM_ST_ACTIVE },
	{ PIM_ST_SCHEDULED, PIM_EV_CANCEL, PIM_ST_CANCELLED },
	{ PIM_ST_SCHEDULED, PIM_EV_REVOKE, PIM_ST_REVOKED },
	{ PIM_ST_ACTIVE, PIM_EV_EXPIRE, PIM_ST_EXPIRED },
	{ PIM_ST_ACTIVE, PIM_EV_DEACTIVATE, PIM_ST_DEACTIVATED },
	{ PIM_ST_ACTIVE, PIM_EV_REVOKE, PIM_ST_REVOKED },
	{ PIM_ST_ACTIVE, PIM_EV_EXTEND, PIM_ST_ACTIVE },
	{ PIM_ST_PENDING, PIM_EV_GRANT, PIM_ST_GRANTED },
};
#define NALLOWED	( (int)( sizeof( allowed ) / sizeof( allowed[0] ) ) )

START_TEST( test_state_matrix )
{
	int from, ev, i, n_ok = 0;
	enum pim_state to;

	for ( from = 0; from < PIM_ST_COUNT; from++ ) {
		for ( ev = 0; ev < PIM_EV_COUNT; ev++ ) {
			int want = -1;

			for ( i = 0; i < NALLOWED; i++ ) {
				if ( allowed[i].from == (enum pim_state)from &&
					allowed[i].ev == (enum pim_event)ev )
					want = i;
			}
			if ( want < 0 ) {
				ck_assert_msg( pim_state_next( from, ev, &to ) == -1,
					"%s + event %d must be refused",
					pim_state_name( from ), ev );
			} else {
				ck_assert_int_eq( pim_state_next( from, ev, &to ), 0 );
				ck_assert_int_eq( to, allowed[want].to );
				n_ok++;
			}
		}
	}
	ck_assert_int_eq( n_ok, NALLOWED );
	ck_assert_int_eq( pim_state_next( PIM_ST_COUNT, PIM_EV_START, &to ), -1 );
	ck_assert_int_eq( pim_state_next( PIM_ST_ACTIVE, PIM_EV_COUNT, &to ), -1 );
}
END_TEST

START_TEST( test_state_names )
{
	int st;
	enum pim_state back;
	struct berval bv;

	for ( st = 0; st < PIM_ST_COUNT; st++ ) {
		bv.bv_val = (char *)pim_state_name( st );
		bv.bv_len = strlen( bv.bv_val );
		ck_assert_int_eq( pim_state_parse( &bv, &back ), 0 );
		ck_assert_int_eq( back, st );
	}
	bv.bv_val = "ACTIVE";
	bv.bv_len = 6;
	ck_assert_int_eq( pim_state_parse( &bv, &back ), 0 );
	ck_assert_int_eq( back, PIM_ST_ACTIVE );
	bv.bv_val = "activ";
	bv.bv_len = 5;
	ck_assert_int_eq( pim_state_parse( &bv, &back ), -1 );
	bv.bv_val = "active ";
	bv.bv_len = 7;
	ck_assert_int_eq( pim_state_parse( &bv, &back ), -1 );
	ck_assert_int_eq( pim_state_parse( NULL, &back ), -1 );
	ck_assert_str_eq( pim_state_name( PIM_ST_TIMED_OUT ), "timed-out" );
	ck_assert_str_eq( pim_state_name( PIM_ST_COUNT ), "unknown" );
}
END_TEST

START_TEST( test_state_open )
{
	ck_assert( pim_state_is_open( PIM_ST_PENDING ) );
	ck_assert( pim_state_is_open( PIM_ST_APPROVED ) );
	ck_assert( pim_state_is_open( PIM_ST_SCHEDULED ) );
	ck_assert( pim_state_is_open( PIM_ST_ACTIVE ) );
	ck_assert( !pim_state_is_open( PIM_ST_EXPIRED ) );
	ck_assert( !pim_state_is_open( PIM_ST_DENIED ) );
	ck_assert( !pim_state_is_open( PIM_ST_TIMED_OUT ) );
	ck_assert( !pim_state_is_open( PIM_ST_GRANTED ) );
	ck_assert( !pim_state_is_open( PIM_ST_COUNT ) );
}
END_TEST

START_TEST( test_state_sets )
{
	char buf[128];

	ck_assert_int_gt( pim_state_filter( PIM_STATES_OPEN, buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "(|(pimState=pending)(pimState=approved)"
		"(pimState=scheduled)(pimState=active))" );
	ck_assert_int_gt( pim_state_filter( PIM_STATES_WAITING, buf, sizeof( buf ) ), 0 );
	ck_assert_str_eq( buf, "(|(pimState=pending)(pimState=approved)"
		"(pimState=scheduled))" );
	ck_assert_int_eq( pim_state_filter( PIM_STATES_OPEN, buf, 40 ), -1 );
	ck_assert( pim_state_name_in( "Active", PIM_STATES_OPEN ) );
	ck_assert( !pim_state_name_in( "active", PIM_STATES_WAITING ) );
	ck_assert( pim_state_name_in( "revoked", PIM_STATES_ENDED_ACTIVE ) );
	ck_assert( !pim_state_name_in( "denied", PIM_STATES_ENDED_ACTIVE ) );
	ck_assert( !pim_state_name_in( "activ", PIM_STATES_OPEN ) );
	ck_assert( !pim_state_name_in( NULL, PIM_STATES_OPEN ) );
	ck_assert_int_eq( pim_state_next_look( PIM_ST_ACTIVE, 1, 2, 3 ), 2 );
	ck_assert_int_eq( pim_state_next_look( PIM_ST_PENDING, 1, 2, 3 ), 3 );
	ck_assert_int_eq( pim_state_next_look( PIM_ST_APPROVED, 1, 2, 3 ), 1 );
	ck_assert_int_eq( pim_state_next_look( PIM_ST_SCHEDULED, 1, 2, 3 ), 1 );
	ck_assert_int_eq( pim_state_next_look( PIM_ST_EXPIRED, 1, 2, 3 ), 0 );
}
END_TEST

/* The event names are stored data: each parses back to its own kind,
 * no two are the same, and the released ones keep their spelling. */
START_TEST( test_event_kinds )
{
	enum pim_event_kind k, back;
	const char *name;
	int i, j;

	for ( i = 0; i < PIM_EK_COUNT; i++ ) {
		name = pim_event_kind_name( (enum pim_event_kind)i );
		ck_assert_int_eq( pim_event_kind_parse( name, strlen( name ),
			&back ), 0 );
		ck_assert_int_eq( back, i );
		for ( j = 0; j < i; j++ )
			ck_assert_str_ne( name,
				pim_event_kind_name( (enum pim_event_kind)j ) );
	}
	ck_assert_str_eq( pim_event_kind_name( PIM_EK_ACTIVATED ), "activated" );
	ck_assert_str_eq( pim_event_kind_name( PIM_EK_ELIG_ADDED ),
		"eligibility added" );
	ck_assert_str_eq( pim_event_kind_name( PIM_EK_STATIC_MOVED ),
		"static member moved under PIM" );
	ck_assert_str_eq( pim_event_kind_name( PIM_EK_REVIEW_APPLIED ),
		"review applied" );
	ck_assert_str_eq( pim_event_kind_name( PIM_EK_COUNT ), "unknown" );
	ck_assert_int_eq( pim_event_kind_parse( "refused activate", 16, &k ), 0 );
	ck_assert_int_eq( k, PIM_EK_REFUSED );
	ck_assert_int_eq( pim_event_kind_parse( "refused ", 8, &k ), -1 );
	ck_assert_int_eq( pim_event_kind_parse( "activate", 8, &k ), -1 );
	ck_assert_int_eq( pim_event_kind_parse( "activated ", 10, &k ), -1 );
	ck_assert_int_eq( pim_event_kind_parse( NULL, 0, &k ), -1 );
	/* an end's event is named as its state always was */
	for ( i = PIM_ST_EXPIRED; i <= PIM_ST_TIMED_OUT; i++ )
		ck_assert_str_eq( pim_event_kind_name(
			pim_event_kind_of_end( (enum pim_state)i ) ),
			pim_state_name( (enum pim_state)i ) );
	ck_assert_int_eq( pim_event_kind_of_end( PIM_ST_ACTIVE ), PIM_EK_COUNT );
	ck_assert( pim_event_kind_audience( PIM_EK_REQUESTED ) & PIM_EKA_APPROVERS );
	ck_assert( !( pim_event_kind_audience( PIM_EK_ALERT ) & PIM_EKA_PRINCIPAL ) );
}
END_TEST

Suite *
pim_state_suite( void )
{
	Suite *s = suite_create( "state" );
	TCase *tc = tcase_create( "state" );

	tcase_add_test( tc, test_state_matrix );
	tcase_add_test( tc, test_state_names );
	tcase_add_test( tc, test_state_open );
	tcase_add_test( tc, test_event_kinds );
	tcase_add_test( tc, test_state_sets );
	suite_add_tcase( s, tc );
	return s;
}
