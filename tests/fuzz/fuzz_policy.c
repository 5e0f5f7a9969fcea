/* fuzz_policy.c - libFuzzer target: a role's policy (pim_policy.h).
 *
 * The input is text, so that seeds are readable:
 *
 *     2h                  the requested duration ("-2h": negative;
 *                         anything unparsable: 0, "not given")
 *     a=8h                policy attribute 0 (pimMaxDuration) is "8h";
 *     c=TRUE              'a' + i is attribute i (pim_policy_attr_names)
 *     onboarding ...      the first line that is not "<letter>=" starts
 *                         the justification, which runs to the end
 *
 * Without such a line there is no justification; a newline ending the
 * last attribute line gives an empty one.  Every value is an exact-size
 * heap copy, not NUL-terminated, since the parsers take a length.
 *
 * pim_policy_from_values(), pim_policy_check_activation(),
 * pim_policy_check_ticket(), pim_policy_check_assignment() and
 * pim_utf8_chars() are compared with references written here from the
 * header (differential fuzzing: a disagreement is a logic bug, not only
 * a memory one).  The policy that values produce is checked even when
 * it is incoherent: the decisions must then refuse.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lber.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_policy.h"
#include "pim_time.h"

int LLVMFuzzerTestOneInput( const uint8_t *data, size_t size );

#define FUZZ_CHECK( cond ) do { \
	if ( !( cond ) ) { \
		fprintf( stderr, "fuzz_policy: check failed: %s (line %d)\n", \
			#cond, __LINE__ ); \
		abort(); \
	} \
} while ( 0 )

/* 2023-11-14T22:13:20Z, the start of assignments. */
#define FUZZ_NOW	((time_t) 1700000000)

typedef struct input {
	long		in_duration;
	struct berval	in_val[PIM_POLICY_NATTRS];
	int		in_has[PIM_POLICY_NATTRS];
	struct berval	in_just;
	int		in_has_just;
} input;

/* --- reference UTF-8 (Unicode, table 3-7: well-formed sequences) ------- */

/* Length of the well-formed sequence at p (n bytes left), or 0. */
static size_t
ref_utf8_len( const unsigned char *p, size_t n )
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if ( p[0] <= 0x7f ) return 1;
	if ( p[0] >= 0xc2 && p[0] <= 0xdf ) len = 2;
	else if ( p[0] >= 0xe0 && p[0] <= 0xef ) len = 3;
	else if ( p[0] >= 0xf0 && p[0] <= 0xf4 ) len = 4;
	else return 0;
	if ( p[0] == 0xe0 ) lo = 0xa0;
	if ( p[0] == 0xed ) hi = 0x9f;
	if ( p[0] == 0xf0 ) lo = 0x90;
	if ( p[0] == 0xf4 ) hi = 0x8f;
	if ( len > n || p[1] < lo || p[1] > hi ) return 0;
	for ( i = 2; i < len; i++ ) {
		if ( p[i] < 0x80 || p[i] > 0xbf ) return 0;
	}
	return len;
}

/* Characters, or -1 for ill-formed UTF-8 or a Cc control character
 * (C0, DEL, and C1, which is C2 80 .. C2 9F). */
static long
ref_utf8_chars( const struct berval *bv )
{
	const unsigned char *p = (const unsigned char *)bv->bv_val;
	size_t i = 0, l;
	long chars = 0;

	while ( i < bv->bv_len ) {
		l = ref_utf8_len( p + i, bv->bv_len - i );
		if ( l == 0 || p[i] < 0x20 || p[i] == 0x7f ||
			( p[i] == 0xc2 && p[i + 1] <= 0x9f ) )
		{
			return -1;
		}
		i += l;
		chars++;
	}
	return chars;
}

/* --- reference policy -------------------------------------------------- */

/* The kinds the header documents for the attributes it lists; a newer
 * attribute (beyond this table) is taken at the library's word. */
static const enum pim_pkind ref_kinds[] = {
	PIM_PK_DURATION,	/* pimMaxDuration */
	PIM_PK_DURATION,	/* pimMinDuration */
	PIM_PK_BOOL,		/* pimJustificationRequired */
	PIM_PK_COUNT,		/* pimJustificationMaxLength */
	PIM_PK_BOOL,		/* pimTicketRequired */
	PIM_PK_BOOL,		/* pimMFARequired */
	PIM_PK_BOOL,		/* pimApprovalRequired */
	PIM_PK_COUNT,		/* pimApprovalsNeeded */
	PIM_PK_DURATION,	/* pimRequestLifetime */
	PIM_PK_DURATION,	/* pimEligibleMaxDuration */
	PIM_PK_BOOL,		/* pimEligiblePermanentAllowed */
	PIM_PK_DURATION,	/* pimActiveMaxDuration */
	PIM_PK_BOOL,		/* pimActivePermanentAllowed */
	PIM_PK_BOOL,		/* pimActiveSelfExtendAllowed */
};
#define REF_NKINDS	( (int)( sizeof( ref_kinds ) / sizeof( ref_kinds[0] ) ) )

static enum pim_pkind
ref_kind( int i )
{
	if ( i < REF_NKINDS ) {
		FUZZ_CHECK( pim_policy_attr_kind( i ) == ref_kinds[i] );
		return ref_kinds[i];
	}
	return pim_policy_attr_kind( i );
}

/* A decimal integer without sign, spaces or leading zeros, at most
 * nine digits. */
static int
ref_count( const struct berval *v, long *out )
{
	long n = 0;
	size_t i;

	if ( v->bv_len < 1 || v->bv_len > 9 ||
		( v->bv_len > 1 && v->bv_val[0] == '0' ) )
	{
		return -1;
	}
	for ( i = 0; i < v->bv_len; i++ ) {
		if ( v->bv_val[i] < '0' || v->bv_val[i] > '9' ) {
			return -1;
		}
		n = n * 10 + ( v->bv_val[i] - '0' );
	}
	*out = n;
	return 0;
}

static int
ref_parse( int i, const struct berval *v, long *out )
{
	switch ( ref_kind( i ) ) {
	case PIM_PK_DURATION:
		/* pim_duration_parse() has its own reference in fuzz_time. */
		return pim_duration_parse( v->bv_val, v->bv_len, out );
	case PIM_PK_BOOL:
		if ( v->bv_len == 4 && strncasecmp( v->bv_val, "TRUE", 4 ) == 0 ) {
			*out = 1;
		} else if ( v->bv_len == 5 &&
			strncasecmp( v->bv_val, "FALSE", 5 ) == 0 )
		{
			*out = 0;
		} else {
			return -1;
		}
		return 0;
	case PIM_PK_COUNT:
		return ref_count( v, out );
	}
	return -1;
}

/* The rules the header and the struct's comments state.  The library
 * may know more (a newer rule), never less. */
static int
ref_coherent( const pim_policy *p )
{
	return p->pp_max_duration >= 1 &&
		p->pp_max_duration <= PIM_DURATION_MAX &&
		p->pp_min_duration >= 0 &&
		p->pp_min_duration <= p->pp_max_duration &&
		( p->pp_justification_required == 0 ||
		  p->pp_justification_required == 1 ) &&
		p->pp_justification_max >= 1 &&
		p->pp_justification_max <= PIM_MAX_TEXT &&
		p->pp_approvals_needed >= 1 &&
		p->pp_approvals_needed <= PIM_MAX_APPROVALS &&
		p->pp_request_lifetime >= 1 &&
		p->pp_eligible_max >= 0 &&
		p->pp_active_max >= 1;
}

static void
check_from_values( const input *in, pim_policy *p )
{
	const struct berval *vals[PIM_POLICY_NATTRS];
	long want[PIM_POLICY_NATTRS];
	pim_policy defaults;
	const char *text = "unset", *name;
	int i, rc, bad = -1;

	pim_policy_defaults( &defaults );
	for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
		vals[i] = in->in_has[i] ? &in->in_val[i] : NULL;
		want[i] = pim_policy_get( &defaults, i );
		if ( vals[i] != NULL && bad < 0 &&
			ref_parse( i, vals[i], &want[i] ) != 0 )
		{
			bad = i;
		}
	}
	rc = pim_policy_from_values( &defaults, vals, p, &text );
	FUZZ_CHECK( ( rc == LDAP_SUCCESS ) == ( text == NULL ) );
	if ( bad >= 0 ) {
		/* The first value that cannot be read is named. */
		name = pim_policy_attr_names[bad];
		FUZZ_CHECK( rc == LDAP_INVALID_SYNTAX );
		FUZZ_CHECK( strncmp( text, name, strlen( name ) ) == 0 &&
			text[strlen( name )] == ':' );
		*p = defaults;
		return;
	}
	for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
		FUZZ_CHECK( pim_policy_get( p, i ) == want[i] );
	}
	FUZZ_CHECK( rc == LDAP_SUCCESS || rc == LDAP_CONSTRAINT_VIOLATION );
	FUZZ_CHECK( rc == ( pim_policy_validate( p, &text ) ) );
	if ( !ref_coherent( p ) ) {
		FUZZ_CHECK( rc == LDAP_CONSTRAINT_VIOLATION );
	}
}

/* --- the decisions ----------------------------------------------------- */

static int
ref_check_activation( const pim_policy *p, int coherent, long duration,
	const struct berval *j, long *effective )
{
	long eff = duration == 0 ? p->pp_max_duration : duration, chars;

	*effective = 0;
	if ( !coherent || eff < 0 || eff > p->pp_max_duration ||
		eff < p->pp_min_duration )
	{
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( j == NULL || j->bv_len == 0 ) {
		if ( p->pp_justification_required ) {
			return LDAP_CONSTRAINT_VIOLATION;
		}
	} else if ( ( chars = ref_utf8_chars( j ) ) < 0 ) {
		return LDAP_INVALID_SYNTAX;
	} else if ( chars > p->pp_justification_max ) {
		return LDAP_CONSTRAINT_VIOLATION;
	}
	*effective = eff;
	return LDAP_SUCCESS;
}

static void
check_activation( const pim_policy *p, long duration,
	const struct berval *j )
{
	const char *text = "unset";
	long eff = -5, ref_eff;
	int rc, coherent;

	coherent = pim_policy_validate( p, &text ) == LDAP_SUCCESS;
	rc = pim_policy_check_activation( p, duration, j, &eff, &text );
	FUZZ_CHECK( rc == ref_check_activation( p, coherent, duration, j,
		&ref_eff ) );
	FUZZ_CHECK( eff == ref_eff );
	FUZZ_CHECK( ( rc == LDAP_SUCCESS ) == ( text == NULL ) );
	/* effective may be NULL. */
	FUZZ_CHECK( pim_policy_check_activation( p, duration, j, NULL,
		&text ) == rc );
}

/* The justification doubles as a ticket. */
static void
check_ticket( const pim_policy *p, const struct berval *t )
{
	const char *text = NULL;
	int rc, want = LDAP_SUCCESS;

	if ( t != NULL && t->bv_len > 0 && ref_utf8_chars( t ) < 0 ) {
		want = LDAP_INVALID_SYNTAX;
	} else if ( p->pp_ticket_required && ( t == NULL || t->bv_len == 0 ) ) {
		want = LDAP_CONSTRAINT_VIOLATION;
	}
	rc = pim_policy_check_ticket( p, t, &text );
	FUZZ_CHECK( rc == want );
	FUZZ_CHECK( rc == LDAP_SUCCESS || text != NULL );
}

/* An assignment from now for the requested duration (0: permanent). */
static void
check_assignment( const pim_policy *p, long duration )
{
	time_t end = duration == 0 ? 0 : FUZZ_NOW + duration;
	const char *text = NULL;
	long max;
	int active, rc, want, perm;

	for ( active = 0; active <= 1; active++ ) {
		max = active ? p->pp_active_max : p->pp_eligible_max;
		perm = active ? p->pp_active_permanent : p->pp_eligible_permanent;
		if ( end == 0 ) {
			want = perm ? LDAP_SUCCESS : LDAP_CONSTRAINT_VIOLATION;
		} else {
			want = max > 0 && duration > max ?
				LDAP_CONSTRAINT_VIOLATION : LDAP_SUCCESS;
		}
		rc = pim_policy_check_assignment( p, active, FUZZ_NOW, end, &text );
		FUZZ_CHECK( rc == want );
		FUZZ_CHECK( rc == LDAP_SUCCESS || text != NULL );
	}
}

/* --- the input --------------------------------------------------------- */

static void
set_value( struct berval *bv, const uint8_t *p, size_t len )
{
	free( bv->bv_val );
	bv->bv_len = len;
	bv->bv_val = malloc( len );
	if ( bv->bv_val == NULL && len > 0 ) {
		abort();
	}
	if ( len ) {
		memcpy( bv->bv_val, p, len );
	}
}

static long
parse_duration( const uint8_t *p, size_t len )
{
	struct berval v = { 0, NULL };
	long secs = 0;
	int neg = len > 0 && p[0] == '-';

	set_value( &v, p + neg, len - neg );
	if ( pim_duration_parse( v.bv_val, v.bv_len, &secs ) != 0 ) {
		secs = 0;
	}
	free( v.bv_val );
	return neg ? -secs : secs;
}

static void
split( const uint8_t *data, size_t size, input *in )
{
	const uint8_t *nl;
	size_t pos, len;
	int i;

	memset( in, 0, sizeof( *in ) );
	nl = memchr( data, '\n', size );
	in->in_duration = parse_duration( data,
		nl ? (size_t)( nl - data ) : size );
	if ( nl == NULL ) {
		return;
	}
	for ( pos = (size_t)( nl - data ) + 1; ; pos += len + 1 ) {
		nl = memchr( data + pos, '\n', size - pos );
		len = nl ? (size_t)( nl - ( data + pos ) ) : size - pos;
		i = len >= 2 && data[pos + 1] == '=' ? data[pos] - 'a' : -1;
		if ( i < 0 || i >= PIM_POLICY_NATTRS ) {
			break;
		}
		set_value( &in->in_val[i], data + pos + 2, len - 2 );
		in->in_has[i] = 1;
		if ( nl == NULL ) {
			return;
		}
	}
	set_value( &in->in_just, data + pos, size - pos );
	in->in_has_just = 1;
}

static void
input_free( input *in )
{
	int i;

	for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
		free( in->in_val[i].bv_val );
	}
	free( in->in_just.bv_val );
}

int
LLVMFuzzerTestOneInput( const uint8_t *data, size_t size )
{
	const struct berval *j;
	pim_policy defaults, p;
	input in;

	split( data, size, &in );
	j = in.in_has_just ? &in.in_just : NULL;

	check_from_values( &in, &p );
	check_activation( &p, in.in_duration, j );
	check_ticket( &p, j );
	check_assignment( &p, in.in_duration );

	pim_policy_defaults( &defaults );
	check_activation( &defaults, in.in_duration, j );

	if ( j != NULL ) {
		FUZZ_CHECK( pim_utf8_chars( j ) == ref_utf8_chars( j ) );
	}
	input_free( &in );
	return 0;
}
