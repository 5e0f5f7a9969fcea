/* check_policy.c - the decisions: policy coherence, activation limits,
 * justification text, eligibility windows and expiry. */
#include <stdlib.h>
#include <string.h>

#include <lber.h>
#include <ldap.h>

#include "check_pim.h"
#include "pim_test_util.h"
#include "pim_policy.h"
#include "pim_time.h"

#define NOW	((time_t) 1704067200)	/* 2024-01-01T00:00:00Z */

/* n copies of the UTF-8 sequence u, as an exact-size heap berval. */
static struct berval
repeat_utf8( const char *u, size_t n )
{
	size_t ulen = strlen( u ), i;
	struct berval b;

	b.bv_len = n * ulen;
	b.bv_val = malloc( b.bv_len ? b.bv_len : 1 );
	ck_assert_ptr_nonnull( b.bv_val );
	for ( i = 0; i < n; i++ ) {
		memcpy( b.bv_val + i * ulen, u, ulen );
	}
	return b;
}

/* ------------------------------------------------------------------ */
/* Policy */

START_TEST( test_policy_defaults )
{
	pim_policy p;
	const char *text = "unset";

	memset( &p, 0x5a, sizeof( p ) );
	pim_policy_defaults( &p );
	ck_assert_int_eq( p.pp_max_duration, 8 * 3600 );
	ck_assert_int_eq( p.pp_min_duration, 0 );
	ck_assert_int_eq( p.pp_justification_required, 1 );
	ck_assert_int_eq( p.pp_justification_max, 500 );
	ck_assert_int_eq( pim_policy_validate( &p, &text ), LDAP_SUCCESS );
	ck_assert_ptr_null( text );
}
END_TEST

static const struct {
	long		max, min;
	int		required;
	long		jmax;
	const char	*text;	/* NULL: coherent */
} policies[] = {
	{ 1, 0, 0, 1, NULL },
	{ 3600, 3600, 1, 500, NULL },		/* min == max */
	{ PIM_DURATION_MAX, 0, 1, 8192, NULL },
	{ 0, 0, 1, 500, "policy: maximum duration must be at least 1 second" },
	{ -1, 0, 1, 500, "policy: maximum duration must be at least 1 second" },
	{ PIM_DURATION_MAX + 1, 0, 1, 500,
		"policy: maximum duration must not exceed 10 years" },
	{ 3600, -1, 1, 500, "policy: minimum duration must not be negative" },
	{ 3600, 3601, 1, 500,
		"policy: minimum duration exceeds maximum duration" },
	{ 3600, 0, 2, 500,
		"policy: justification required must be TRUE or FALSE" },
	{ 3600, 0, 1, 0,
		"policy: justification maximum length must be 1 to 8192 characters" },
	{ 3600, 0, 1, 8193,
		"policy: justification maximum length must be 1 to 8192 characters" },
};

START_TEST( test_policy_validate )
{
	pim_policy p;
	const char *text = "unset";
	int rc;

	pim_policy_defaults( &p );
	p.pp_max_duration = policies[_i].max;
	p.pp_min_duration = policies[_i].min;
	p.pp_justification_required = policies[_i].required;
	p.pp_justification_max = policies[_i].jmax;
	rc = pim_policy_validate( &p, &text );
	if ( policies[_i].text == NULL ) {
		ck_assert_int_eq( rc, LDAP_SUCCESS );
		ck_assert_ptr_null( text );
	} else {
		ck_assert_int_eq( rc, LDAP_CONSTRAINT_VIOLATION );
		ck_assert_str_eq( text, policies[_i].text );
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Activation */

static int
activate( const pim_policy *p, long duration, const char *just,
	long *eff, const char **text )
{
	struct berval j;

	if ( just == NULL ) {
		return pim_policy_check_activation( p, duration, NULL, eff, text );
	}
	j = pim_t_bv( just );
	return pim_policy_check_activation( p, duration, &j, eff, text );
}

START_TEST( test_activation_duration )
{
	pim_policy p;
	const char *text;
	long eff;

	pim_policy_defaults( &p );
	p.pp_min_duration = 300;

	/* Not given: the role's maximum, and *effective says so. */
	eff = -1;
	ck_assert_int_eq( activate( &p, 0, "why", &eff, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( eff, 8 * 3600 );
	ck_assert_ptr_null( text );

	ck_assert_int_eq( activate( &p, 3600, "why", &eff, &text ),
		LDAP_SUCCESS );
	ck_assert_int_eq( eff, 3600 );
	ck_assert_int_eq( activate( &p, 8 * 3600, "why", &eff, &text ),
		LDAP_SUCCESS );
	ck_assert_int_eq( eff, 8 * 3600 );
	ck_assert_int_eq( activate( &p, 300, "why", &eff, &text ),
		LDAP_SUCCESS );
	ck_assert_int_eq( eff, 300 );

	ck_assert_int_eq( activate( &p, 8 * 3600 + 1, "why", &eff, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "requested duration 8h1s exceeds the "
		"role's maximum of 8h" );
	ck_assert_int_eq( eff, 0 );

	ck_assert_int_eq( activate( &p, 299, "why", &eff, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "requested duration is shorter than the "
		"role's minimum activation duration" );

	ck_assert_int_eq( activate( &p, -1, "why", &eff, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "duration must not be negative" );

	/* effective may be NULL. */
	ck_assert_int_eq( activate( &p, 600, "why", NULL, &text ),
		LDAP_SUCCESS );
}
END_TEST

START_TEST( test_activation_invalid_policy )
{
	pim_policy p;
	const char *text;
	long eff = -1;

	pim_policy_defaults( &p );
	p.pp_min_duration = p.pp_max_duration + 1;
	ck_assert_int_eq( activate( &p, 0, "why", &eff, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text,
		"policy: minimum duration exceeds maximum duration" );
	ck_assert_int_eq( eff, 0 );
}
END_TEST

START_TEST( test_activation_justification_missing )
{
	pim_policy p;
	const char *text;
	long eff;
	struct berval nullbv = { 0, NULL };

	pim_policy_defaults( &p );
	ck_assert_int_eq( activate( &p, 0, NULL, &eff, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text,
		"a justification is required to activate this role" );
	ck_assert_int_eq( activate( &p, 0, "", &eff, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_int_eq( pim_policy_check_activation( &p, 0, &nullbv, &eff,
		&text ), LDAP_CONSTRAINT_VIOLATION );

	p.pp_justification_required = 0;
	ck_assert_int_eq( activate( &p, 0, NULL, &eff, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( activate( &p, 0, "", &eff, &text ), LDAP_SUCCESS );
	/* Optional, but still checked when given. */
	ck_assert_int_eq( activate( &p, 0, "bad\x01", &eff, &text ),
		LDAP_INVALID_SYNTAX );
}
END_TEST

/* The limit counts characters, not bytes: 500 two-byte characters
 * (1000 bytes) pass, 501 fail; likewise for 1-, 3- and 4-byte ones. */
START_TEST( test_activation_justification_length )
{
	static const char *const chars[] = {
		"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x94\x91" };
	const char *u = chars[_i];
	pim_policy p;
	const char *text;
	struct berval j;
	long eff;

	pim_policy_defaults( &p );

	j = repeat_utf8( u, 500 );
	ck_assert_uint_eq( j.bv_len, 500 * strlen( u ) );
	ck_assert_int_eq( pim_policy_check_activation( &p, 0, &j, &eff,
		&text ), LDAP_SUCCESS );
	free( j.bv_val );

	j = repeat_utf8( u, 501 );
	ck_assert_int_eq( pim_policy_check_activation( &p, 0, &j, &eff,
		&text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text,
		"justification is longer than the role allows" );
	free( j.bv_val );
}
END_TEST

static const char *const not_utf8[] = {
	"\xff",				/* never valid */
	"abc\xc3",			/* truncated sequence */
	"\xe2\x82",
	"\x80",				/* lone continuation */
	"\xc0\xaf",			/* overlong '/' */
	"\xe0\x80\xaf",
	"\xf0\x80\x80\xaf",
	"\xed\xa0\x80",			/* surrogate U+D800 */
	"\xf4\x90\x80\x80",		/* U+110000 */
	"\xf8\x88\x80\x80\x80",		/* 5-byte form */
	"\xc3\x28",			/* bad continuation */
};

START_TEST( test_activation_justification_not_utf8 )
{
	pim_policy p;
	const char *text;
	long eff;

	pim_policy_defaults( &p );
	ck_assert_int_eq( activate( &p, 0, not_utf8[_i], &eff, &text ),
		LDAP_INVALID_SYNTAX );
	ck_assert_str_eq( text, "justification is not valid UTF-8" );
}
END_TEST

static const char *const controls[] = {
	"line one\nline two",
	"tab\there",
	"cr\r",
	"esc \x1b[31m",
	"del\x7f",
	"c1 \xc2\x85",			/* U+0085 NEXT LINE */
	"c1 \xc2\x9f",
};

START_TEST( test_activation_justification_controls )
{
	pim_policy p;
	const char *text;
	long eff;
	struct berval j;

	pim_policy_defaults( &p );
	ck_assert_int_eq( activate( &p, 0, controls[_i], &eff, &text ),
		LDAP_INVALID_SYNTAX );
	ck_assert_str_eq( text, "justification contains control characters" );

	/* An embedded NUL is a control character too. */
	j.bv_val = (char *)"a\0b";
	j.bv_len = 3;
	ck_assert_int_eq( pim_policy_check_activation( &p, 0, &j, &eff,
		&text ), LDAP_INVALID_SYNTAX );
}
END_TEST

START_TEST( test_utf8_chars )
{
	struct berval b;

	b = pim_t_bv( "" );
	ck_assert_int_eq( pim_utf8_chars( &b ), 0 );
	b = pim_t_bv( "plain" );
	ck_assert_int_eq( pim_utf8_chars( &b ), 5 );
	b = pim_t_bv( "r\xc3\xa9sum\xc3\xa9 \xe2\x82\xac\xf0\x9f\x94\x91" );
	ck_assert_int_eq( pim_utf8_chars( &b ), 9 );
	b = pim_t_bv( "\xc2\xa0\xef\xbf\xbd\xf4\x8f\xbf\xbf" );	/* U+A0, FFFD, 10FFFF */
	ck_assert_int_eq( pim_utf8_chars( &b ), 3 );
	b = pim_t_bv( "\xed\x9f\xbf" );				/* U+D7FF */
	ck_assert_int_eq( pim_utf8_chars( &b ), 1 );
	b = pim_t_bv( "\xff" );
	ck_assert_int_eq( pim_utf8_chars( &b ), -1 );
	b = pim_t_bv( "a\tb" );
	ck_assert_int_eq( pim_utf8_chars( &b ), -1 );
	ck_assert_int_eq( pim_utf8_chars( NULL ), -1 );
}
END_TEST

/* ------------------------------------------------------------------ */
/* Eligibility */

START_TEST( test_eligibility_window )
{
	const char *text;

	ck_assert_int_eq( pim_eligibility_check_window( NOW, 0, 0, &text ),
		LDAP_SUCCESS );
	ck_assert_ptr_null( text );
	ck_assert_int_eq( pim_eligibility_check_window( NOW, NOW - 10,
		NOW + 10, &text ), LDAP_SUCCESS );
	/* Start is inclusive. */
	ck_assert_int_eq( pim_eligibility_check_window( NOW, NOW, NOW + 10,
		&text ), LDAP_SUCCESS );

	ck_assert_int_eq( pim_eligibility_check_window( NOW, NOW + 1, 0,
		&text ), LDAP_INSUFFICIENT_ACCESS );
	ck_assert_str_eq( text, "eligibility has not started yet" );

	/* End is exclusive. */
	ck_assert_int_eq( pim_eligibility_check_window( NOW, 0, NOW, &text ),
		LDAP_INSUFFICIENT_ACCESS );
	ck_assert_str_eq( text, "eligibility has ended" );
	ck_assert_int_eq( pim_eligibility_check_window( NOW, NOW - 100,
		NOW - 1, &text ), LDAP_INSUFFICIENT_ACCESS );
	ck_assert_str_eq( text, "eligibility has ended" );

	/* Permanent: no end, valid however late it is. */
	ck_assert_int_eq( pim_eligibility_check_window( (time_t) 253402300799,
		NOW, 0, &text ), LDAP_SUCCESS );
}
END_TEST

START_TEST( test_activation_expiry )
{
	/* Permanent eligibility: now + duration. */
	ck_assert_int_eq( pim_activation_expiry( NOW, 3600, 0 ), NOW + 3600 );
	/* Eligibility ends first: cut there. */
	ck_assert_int_eq( pim_activation_expiry( NOW, 3600, NOW + 600 ),
		NOW + 600 );
	/* Eligibility ends later: unchanged. */
	ck_assert_int_eq( pim_activation_expiry( NOW, 3600, NOW + 7200 ),
		NOW + 3600 );
	ck_assert_int_eq( pim_activation_expiry( NOW, 3600, NOW + 3600 ),
		NOW + 3600 );
	/* Out-of-range durations are clamped, never overflow. */
	ck_assert_int_eq( pim_activation_expiry( NOW, -5, 0 ), NOW );
	ck_assert_int_eq( pim_activation_expiry( NOW, PIM_DURATION_MAX * 4L, 0 ),
		NOW + PIM_DURATION_MAX );
}
END_TEST

START_TEST( test_eligibility_times )
{
	const char *text;

	ck_assert_int_eq( pim_eligibility_check_times( NOW, 0, 0, &text ),
		LDAP_SUCCESS );
	ck_assert_ptr_null( text );
	ck_assert_int_eq( pim_eligibility_check_times( NOW, 0, NOW + 1, &text ),
		LDAP_SUCCESS );
	/* A start in the past is fine (backdated), as is one in the future. */
	ck_assert_int_eq( pim_eligibility_check_times( NOW, NOW - 86400,
		NOW + 86400, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( pim_eligibility_check_times( NOW, NOW + 3600, 0,
		&text ), LDAP_SUCCESS );

	ck_assert_int_eq( pim_eligibility_check_times( NOW, NOW + 10, NOW + 10,
		&text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "eligibility start must be before its end" );
	ck_assert_int_eq( pim_eligibility_check_times( NOW, NOW + 20, NOW + 10,
		&text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "eligibility start must be before its end" );

	ck_assert_int_eq( pim_eligibility_check_times( NOW, 0, NOW, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "eligibility end must be in the future" );
	ck_assert_int_eq( pim_eligibility_check_times( NOW, NOW - 20, NOW - 10,
		&text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "eligibility end must be in the future" );
}
END_TEST

/* A role's attribute values over the defaults. */
static int
from_values( const char *max, const char *min, const char *jreq,
	const char *jmax, pim_policy *p, const char **text )
{
	struct berval bv[PIM_POLICY_NATTRS];
	const struct berval *vals[PIM_POLICY_NATTRS];
	const char *in[PIM_POLICY_NATTRS] = { max, min, jreq, jmax };
	pim_policy defaults;
	int i;

	pim_policy_defaults( &defaults );
	for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
		vals[i] = NULL;
		if ( in[i] != NULL ) {
			bv[i].bv_val = (char *)in[i];
			bv[i].bv_len = strlen( in[i] );
			vals[i] = &bv[i];
		}
	}
	return pim_policy_from_values( &defaults, vals, p, text );
}

START_TEST( test_policy_from_values )
{
	pim_policy p;
	const char *text = NULL;

	ck_assert_int_eq( from_values( NULL, NULL, NULL, NULL, &p, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( p.pp_max_duration, PIM_DEFAULT_MAX_DURATION );
	ck_assert_int_eq( from_values( "1h30m", "15m", "FALSE", "120", &p, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( p.pp_max_duration, 5400 );
	ck_assert_int_eq( p.pp_min_duration, 900 );
	ck_assert_int_eq( p.pp_justification_required, 0 );
	ck_assert_int_eq( p.pp_justification_max, 120 );
	ck_assert_int_eq( from_values( NULL, NULL, "true", NULL, &p, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( p.pp_justification_required, 1 );

	ck_assert_int_eq( from_values( "banana", NULL, NULL, NULL, &p, &text ), LDAP_INVALID_SYNTAX );
	ck_assert_ptr_nonnull( strstr( text, "pimMaxDuration" ) );
	ck_assert_int_eq( from_values( NULL, "-5m", NULL, NULL, &p, &text ), LDAP_INVALID_SYNTAX );
	ck_assert_ptr_nonnull( strstr( text, "pimMinDuration" ) );
	ck_assert_int_eq( from_values( NULL, NULL, "yes", NULL, &p, &text ), LDAP_INVALID_SYNTAX );
	ck_assert_ptr_nonnull( strstr( text, "pimJustificationRequired" ) );
	ck_assert_int_eq( from_values( NULL, NULL, NULL, "-1", &p, &text ), LDAP_INVALID_SYNTAX );
	ck_assert_int_eq( from_values( NULL, NULL, NULL, "0500", &p, &text ), LDAP_INVALID_SYNTAX );
	ck_assert_int_eq( from_values( NULL, NULL, NULL, "9999999999", &p, &text ), LDAP_INVALID_SYNTAX );
	ck_assert_ptr_nonnull( strstr( text, "pimJustificationMaxLength" ) );
	/* readable but incoherent: refused by the validation */
	ck_assert_int_eq( from_values( "1h", "2h", NULL, NULL, &p, &text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_int_eq( from_values( NULL, NULL, NULL, "0", &p, &text ), LDAP_CONSTRAINT_VIOLATION );
}
END_TEST

START_TEST( test_policy_workflow_fields )
{
	pim_policy p;
	const char *text = NULL;

	pim_policy_defaults( &p );
	ck_assert_int_eq( p.pp_approval_required, 0 );
	ck_assert_int_eq( p.pp_approvals_needed, 1 );
	ck_assert_int_eq( p.pp_request_lifetime, 24 * 3600 );
	ck_assert_int_eq( p.pp_active_permanent, 0 );
	ck_assert_int_eq( p.pp_eligible_permanent, 1 );
	p.pp_approvals_needed = 0;
	ck_assert_int_eq( pim_policy_validate( &p, &text ), LDAP_CONSTRAINT_VIOLATION );
	p.pp_approvals_needed = PIM_MAX_APPROVALS + 1;
	ck_assert_int_eq( pim_policy_validate( &p, &text ), LDAP_CONSTRAINT_VIOLATION );
	p.pp_approvals_needed = 2;
	p.pp_request_lifetime = 0;
	ck_assert_int_eq( pim_policy_validate( &p, &text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_int_eq( from_values( NULL, NULL, NULL, NULL, &p, &text ), LDAP_SUCCESS );
}
END_TEST

START_TEST( test_policy_ticket )
{
	pim_policy p;
	const char *text = NULL;
	struct berval ok = { 5, "CHG-1" }, empty = { 0, "" }, bad = { 2, "\x01x" };

	pim_policy_defaults( &p );
	ck_assert_int_eq( pim_policy_check_ticket( &p, NULL, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( pim_policy_check_ticket( &p, &bad, &text ), LDAP_INVALID_SYNTAX );
	p.pp_ticket_required = 1;
	ck_assert_int_eq( pim_policy_check_ticket( &p, NULL, &text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "a ticket is required for this role" );
	ck_assert_int_eq( pim_policy_check_ticket( &p, &empty, &text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_int_eq( pim_policy_check_ticket( &p, &ok, &text ), LDAP_SUCCESS );
}
END_TEST

START_TEST( test_policy_assignment )
{
	pim_policy p;
	const char *text = NULL;

	pim_policy_defaults( &p );
	/* eligibility: permanent allowed, no limit by default */
	ck_assert_int_eq( pim_policy_check_assignment( &p, 0, 100, 0, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( pim_policy_check_assignment( &p, 0, 100, 100 + 10L * 365 * 86400, &text ), LDAP_SUCCESS );
	p.pp_eligible_permanent = 0;
	p.pp_eligible_max = 3600;
	ck_assert_int_eq( pim_policy_check_assignment( &p, 0, 100, 0, &text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_int_eq( pim_policy_check_assignment( &p, 0, 100, 3700, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( pim_policy_check_assignment( &p, 0, 100, 3701, &text ), LDAP_CONSTRAINT_VIOLATION );
	/* active: never permanent, at most 180 days by default */
	ck_assert_int_eq( pim_policy_check_assignment( &p, 1, 100, 0, &text ), LDAP_CONSTRAINT_VIOLATION );
	ck_assert_str_eq( text, "this role allows no permanent active assignment" );
	ck_assert_int_eq( pim_policy_check_assignment( &p, 1, 0, 180L * 86400, &text ), LDAP_SUCCESS );
	ck_assert_int_eq( pim_policy_check_assignment( &p, 1, 0, 180L * 86400 + 1, &text ), LDAP_CONSTRAINT_VIOLATION );
	p.pp_active_permanent = 1;
	ck_assert_int_eq( pim_policy_check_assignment( &p, 1, 100, 0, &text ), LDAP_SUCCESS );
}
END_TEST

#define N( a )	( (int)( sizeof( a ) / sizeof( ( a )[0] ) ) )

/* An emergency role needs a justification of at least min characters
 * and no approval; an ordinary role is untouched by both. */
START_TEST( test_emergency )
{
	pim_policy p;
	const char *text = NULL;
	struct berval shortj, longj;

	ber_str2bv( "db down", 0, 0, &shortj );
	ber_str2bv( "the primary database is down", 0, 0, &longj );

	pim_policy_defaults( &p );
	p.pp_approval_required = 1;
	ck_assert_int_eq( pim_policy_check_emergency( &p, &shortj, 20, &text ),
		LDAP_SUCCESS );
	ck_assert_int_eq( pim_policy_needs_approval( &p ), 1 );
	p.pp_emergency = 1;
	ck_assert_int_eq( pim_policy_needs_approval( &p ), 0 );
	ck_assert_int_eq( pim_policy_check_emergency( &p, &shortj, 20, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_ptr_nonnull( strstr( text, "longer justification" ) );
	ck_assert_int_eq( pim_policy_check_emergency( &p, NULL, 1, &text ),
		LDAP_CONSTRAINT_VIOLATION );
	ck_assert_int_eq( pim_policy_check_emergency( &p, &longj, 20, &text ),
		LDAP_SUCCESS );
	ck_assert_int_eq( pim_policy_check_emergency( &p, NULL, 0, &text ),
		LDAP_SUCCESS );
}
END_TEST

Suite *
pim_policy_suite( void )
{
	Suite *s = suite_create( "policy" );
	TCase *tc;

	tc = tcase_create( "policy" );
	tcase_add_test( tc, test_policy_defaults );
	tcase_add_loop_test( tc, test_policy_validate, 0, N( policies ) );
	tcase_add_test( tc, test_policy_from_values );
	tcase_add_test( tc, test_policy_workflow_fields );
	tcase_add_test( tc, test_policy_ticket );
	tcase_add_test( tc, test_policy_assignment );
	suite_add_tcase( s, tc );

	tc = tcase_create( "activation" );
	tcase_add_test( tc, test_activation_duration );
	tcase_add_test( tc, test_activation_invalid_policy );
	tcase_add_test( tc, test_activation_justification_missing );
	tcase_add_loop_test( tc, test_activation_justification_length, 0, 4 );
	tcase_add_loop_test( tc, test_activation_justification_not_utf8, 0,
		N( not_utf8 ) );
	tcase_add_loop_test( tc, test_activation_justification_controls, 0,
		N( controls ) );
	tcase_add_test( tc, test_utf8_chars );
	tcase_add_test( tc, test_activation_expiry );
	suite_add_tcase( s, tc );

	tc = tcase_create( "eligibility" );
	tcase_add_test( tc, test_eligibility_window );
	tcase_add_test( tc, test_eligibility_times );
	tcase_add_test( tc, test_emergency );
	suite_add_tcase( s, tc );

	return s;
}
