/* pim_policy.c - the decisions PIM makes, as pure functions.
 *
 * The overlay gathers the facts; these functions only decide.  They
 * never allocate and never look at the clock: "now" is an argument, so
 * the unit tests can put it anywhere.
 */
#include <stddef.h>
#include <stdio.h>
#include <strings.h>

#include <lber.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_policy.h"
#include "pim_time.h"


void
pim_policy_defaults( pim_policy *p )
{
#define PIM_PP_DEFAULT( e, name, kind, dflt, ... )	p->pp_##name = dflt;
	PIM_POLICY_ATTRS( PIM_PP_DEFAULT )
#undef PIM_PP_DEFAULT
}

int
pim_policy_check_emergency( const pim_policy *p,
	const struct berval *justification, long min, const char **text )
{
	long n;

	if ( !p->pp_emergency )
		return LDAP_SUCCESS;
	n = justification != NULL ? pim_utf8_chars( justification ) : 0;
	if ( n < min ) {
		*text = "an emergency activation needs a longer justification "
			"(pim-emergency-justification-min): say what is broken "
			"and why this role";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

int
pim_policy_needs_approval( const pim_policy *p )
{
	return p->pp_approval_required && !p->pp_emergency;
}

const char *const pim_policy_attr_names[PIM_POLICY_NATTRS] = {
#define PIM_PP_NAME( e, name, kind, dflt, attr, ... )	attr,
	PIM_POLICY_ATTRS( PIM_PP_NAME )
#undef PIM_PP_NAME
};

int
pim_policy_validate( const pim_policy *p, const char **text )
{
	const char *err = NULL;

	if ( p->pp_max_duration < 1 ) {
		err = "policy: maximum duration must be at least 1 second";
	} else if ( p->pp_max_duration > PIM_DURATION_MAX ) {
		err = "policy: maximum duration must not exceed 10 years";
	} else if ( p->pp_min_duration < 0 ) {
		err = "policy: minimum duration must not be negative";
	} else if ( p->pp_min_duration > p->pp_max_duration ) {
		err = "policy: minimum duration exceeds maximum duration";
	} else if ( p->pp_justification_required != 0 &&
		p->pp_justification_required != 1 )
	{
		err = "policy: justification required must be TRUE or FALSE";
	} else if ( p->pp_justification_max < 1 ||
		p->pp_justification_max > PIM_MAX_TEXT )
	{
		err = "policy: justification maximum length must be 1 to "
			PIM_STR( PIM_MAX_TEXT ) " characters";
	} else if ( p->pp_approvals_needed < 1 ||
		p->pp_approvals_needed > PIM_MAX_APPROVALS )
	{
		err = "policy: approvals needed must be 1 to "
			PIM_STR( PIM_MAX_APPROVALS );
	} else if ( p->pp_request_lifetime < 1 ) {
		err = "policy: a request lifetime must be at least 1 second";
	} else if ( p->pp_eligible_max < 0 || p->pp_active_max < 1 ) {
		err = "policy: assignment durations must be positive";
	}
	*text = err;
	return err == NULL ? LDAP_SUCCESS : LDAP_CONSTRAINT_VIOLATION;
}

/* Length of the UTF-8 sequence that a lead byte announces, or 0. */
static int
pim_utf8_seqlen( unsigned char c )
{
	if ( c < 0x80 ) return 1;
	if ( c >= 0xc2 && c <= 0xdf ) return 2;
	if ( c >= 0xe0 && c <= 0xef ) return 3;
	if ( c >= 0xf0 && c <= 0xf4 ) return 4;
	return 0;	/* continuation byte, overlong C0/C1, or > U+10FFFF */
}

/* Decode the character at p (n bytes left): the code point, or -1 for
 * anything RFC 3629 forbids (truncation, overlong forms, surrogates,
 * values above U+10FFFF). */
static long
pim_utf8_decode( const unsigned char *p, size_t n, int *len )
{
	static const long min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	long cp;
	int i, l = pim_utf8_seqlen( p[0] );

	if ( l == 0 || (size_t)l > n ) {
		return -1;
	}
	cp = l == 1 ? p[0] : p[0] & ( 0x7f >> l );
	for ( i = 1; i < l; i++ ) {
		if ( ( p[i] & 0xc0 ) != 0x80 ) {
			return -1;
		}
		cp = ( cp << 6 ) | ( p[i] & 0x3f );
	}
	if ( cp < min[l] || cp > 0x10ffff ||
		( cp >= 0xd800 && cp <= 0xdfff ) )
	{
		return -1;
	}
	*len = l;
	return cp;
}

/* Control characters are Unicode category Cc: C0, DEL and C1. */
static int
pim_is_control( long cp )
{
	return cp < 0x20 || ( cp >= 0x7f && cp <= 0x9f );
}

#define PIM_UTF8_INVALID	(-1)
#define PIM_UTF8_CONTROL	(-2)

static long
pim_utf8_count( const struct berval *bv )
{
	const unsigned char *p = (const unsigned char *)bv->bv_val;
	size_t i = 0;
	long chars = 0, cp;
	int len = 0;

	while ( i < bv->bv_len ) {
		cp = pim_utf8_decode( p + i, bv->bv_len - i, &len );
		if ( cp < 0 ) {
			return PIM_UTF8_INVALID;
		}
		if ( pim_is_control( cp ) ) {
			return PIM_UTF8_CONTROL;
		}
		i += (size_t)len;
		chars++;
	}
	return chars;
}

long
pim_utf8_chars( const struct berval *bv )
{
	long n;

	if ( bv == NULL || ( bv->bv_len != 0 && bv->bv_val == NULL ) ) {
		return -1;
	}
	n = pim_utf8_count( bv );
	return n < 0 ? -1 : n;
}

/* "requested duration 10h exceeds the role's maximum of 8h", so that
 * the requester knows what to ask for.  The text is built in a buffer
 * of the calling thread's own, which stays valid until that thread's
 * next refusal here: long enough for a result it sends (slapd) or
 * prints (pimctl) before it checks again. */
static const char *
pim_too_long_text( long duration, long max )
{
	static __thread char text[128];
	char d[PIM_DURATION_BUFSIZE], m[PIM_DURATION_BUFSIZE];

	if ( pim_duration_format( duration, d, sizeof( d ) ) < 0 )
		snprintf( d, sizeof( d ), "%lds", duration );
	if ( pim_duration_format( max, m, sizeof( m ) ) < 0 )
		snprintf( m, sizeof( m ), "%lds", max );
	snprintf( text, sizeof( text ), "requested duration %s exceeds the "
		"role's maximum of %s", d, m );
	return text;
}

static int
pim_check_duration( const pim_policy *p, long duration, const char **text )
{
	if ( duration < 0 ) {
		*text = "duration must not be negative";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( duration > p->pp_max_duration ) {
		*text = pim_too_long_text( duration, p->pp_max_duration );
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( duration < p->pp_min_duration ) {
		*text = "requested duration is shorter than the role's minimum "
			"activation duration";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

static int
pim_check_justification( const pim_policy *p, const struct berval *j,
	const char **text )
{
	long chars;

	/* An empty value says no more than an absent one. */
	if ( j == NULL || j->bv_len == 0 ) {
		if ( p->pp_justification_required ) {
			*text = "a justification is required to activate this role";
			return LDAP_CONSTRAINT_VIOLATION;
		}
		return LDAP_SUCCESS;
	}
	if ( j->bv_val == NULL ) {
		*text = "justification is not valid UTF-8";
		return LDAP_INVALID_SYNTAX;
	}
	chars = pim_utf8_count( j );
	if ( chars == PIM_UTF8_INVALID ) {
		*text = "justification is not valid UTF-8";
		return LDAP_INVALID_SYNTAX;
	}
	if ( chars == PIM_UTF8_CONTROL ) {
		*text = "justification contains control characters";
		return LDAP_INVALID_SYNTAX;
	}
	if ( chars > p->pp_justification_max ) {
		*text = "justification is longer than the role allows";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

int
pim_policy_check_activation( const pim_policy *p, long duration,
	const struct berval *justification, long *effective,
	const char **text )
{
	const char *err = NULL;
	long eff = duration;
	int rc;

	if ( effective != NULL ) {
		*effective = 0;
	}
	/* A role whose stored policy does not hold together grants
	 * nothing, rather than something nobody meant. */
	rc = pim_policy_validate( p, &err );
	if ( rc == LDAP_SUCCESS ) {
		if ( eff == 0 ) {
			eff = p->pp_max_duration;
		}
		rc = pim_check_duration( p, eff, &err );
	}
	if ( rc == LDAP_SUCCESS ) {
		rc = pim_check_justification( p, justification, &err );
	}
	if ( rc == LDAP_SUCCESS && effective != NULL ) {
		*effective = eff;
	}
	*text = err;
	return rc;
}

int
pim_eligibility_check_window( time_t now, time_t start, time_t end,
	const char **text )
{
	*text = NULL;
	if ( start != 0 && now < start ) {
		*text = "eligibility has not started yet";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	if ( end != 0 && now >= end ) {
		*text = "eligibility has ended";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	return LDAP_SUCCESS;
}

time_t
pim_activation_expiry( time_t now, long duration, time_t elig_end )
{
	time_t expiry;

	/* Clamped so that now + duration cannot overflow. */
	if ( duration < 0 ) {
		duration = 0;
	} else if ( duration > PIM_DURATION_MAX ) {
		duration = PIM_DURATION_MAX;
	}
	expiry = now + (time_t)duration;
	if ( elig_end != 0 && elig_end < expiry ) {
		expiry = elig_end;
	}
	return expiry;
}

int
pim_eligibility_check_times( time_t now, time_t start, time_t end,
	const char **text )
{
	*text = NULL;
	if ( start != 0 && end != 0 && start >= end ) {
		*text = "eligibility start must be before its end";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( end != 0 && end <= now ) {
		*text = "eligibility end must be in the future";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

int
pim_policy_check_ticket( const pim_policy *p, const struct berval *ticket,
	const char **text )
{
	int present = ticket != NULL && ticket->bv_len > 0;

	if ( present && ticket->bv_len > PIM_MAX_TICKET ) {
		*text = "ticket is longer than " PIM_STR( PIM_MAX_TICKET ) " bytes";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( present && pim_utf8_chars( ticket ) < 0 ) {
		*text = "ticket is not valid UTF-8 or has control characters";
		return LDAP_INVALID_SYNTAX;
	}
	if ( p->pp_ticket_required && !present ) {
		*text = "a ticket is required for this role";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

int
pim_policy_check_reason( const struct berval *reason, const char **text )
{
	long chars;

	if ( reason == NULL || reason->bv_len == 0 )
		return LDAP_SUCCESS;
	chars = pim_utf8_chars( reason );
	if ( chars < 0 ) {
		*text = "reason is not valid UTF-8 or has control characters";
		return LDAP_INVALID_SYNTAX;
	}
	if ( chars > PIM_MAX_REASON ) {
		*text = "reason is longer than " PIM_STR( PIM_MAX_REASON )
			" characters";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

int
pim_policy_check_assignment( const pim_policy *p, int active, time_t start,
	time_t end, const char **text )
{
	long max = active ? p->pp_active_max : p->pp_eligible_max;
	int permanent_ok = active ? p->pp_active_permanent : p->pp_eligible_permanent;

	if ( end == 0 ) {
		if ( permanent_ok )
			return LDAP_SUCCESS;
		*text = active ? "this role allows no permanent active assignment" :
			"this role allows no permanent eligibility";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( max > 0 && end - start > max ) {
		*text = active ? "the active assignment is longer than this role allows" :
			"the eligibility is longer than this role allows";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

/* --- a role's policy attributes ------------------------------------ */

static int
pim_parse_boolean( const struct berval *v, int *out )
{
	if ( v->bv_len == 4 && strncasecmp( v->bv_val, "TRUE", 4 ) == 0 )
		*out = 1;
	else if ( v->bv_len == 5 && strncasecmp( v->bv_val, "FALSE", 5 ) == 0 )
		*out = 0;
	else
		return -1;
	return 0;
}

/* A decimal integer without sign, spaces or leading zeros beyond "0". */
static int
pim_parse_count( const struct berval *v, long *out )
{
	long n = 0;
	ber_len_t i;

	if ( v->bv_len == 0 || v->bv_len > 9 || ( v->bv_len > 1 && v->bv_val[0] == '0' ) )
		return -1;
	for ( i = 0; i < v->bv_len; i++ ) {
		if ( v->bv_val[i] < '0' || v->bv_val[i] > '9' )
			return -1;
		n = n * 10 + ( v->bv_val[i] - '0' );
	}
	*out = n;
	return 0;
}

/* Where each attribute's value goes, and how it is read. */
static const struct {
	enum pim_pkind	k_kind;
	size_t		k_offset;
	const char	*k_error;
} pim_policy_attrs[PIM_POLICY_NATTRS] = {
#define PIM_PA( e, name, kind, dflt, attr, setting, err, ... ) \
	{ PIM_PK_##kind, offsetof( pim_policy, pp_##name ), err },
	PIM_POLICY_ATTRS( PIM_PA )
#undef PIM_PA
};

enum pim_pkind
pim_policy_attr_kind( int i )
{
	return pim_policy_attrs[i].k_kind;
}

long
pim_policy_get( const pim_policy *p, int i )
{
	const char *field = (const char *)p + pim_policy_attrs[i].k_offset;

	if ( pim_policy_attrs[i].k_kind == PIM_PK_BOOL )
		return *(const int *)field;
	return *(const long *)field;
}

void
pim_policy_put( pim_policy *p, int i, long value )
{
	char *field = (char *)p + pim_policy_attrs[i].k_offset;

	if ( pim_policy_attrs[i].k_kind == PIM_PK_BOOL )
		*(int *)field = (int)value;
	else
		*(long *)field = value;
}

int
pim_policy_set_value( pim_policy *p, int i, const struct berval *v )
{
	char *field = (char *)p + pim_policy_attrs[i].k_offset;

	switch ( pim_policy_attrs[i].k_kind ) {
	case PIM_PK_DURATION:
		return pim_duration_parse( v->bv_val, v->bv_len, (long *)field );
	case PIM_PK_BOOL:
		return pim_parse_boolean( v, (int *)field );
	case PIM_PK_COUNT:
		return pim_parse_count( v, (long *)field );
	}
	return -1;
}

int
pim_policy_from_values( const pim_policy *defaults,
	const struct berval *vals[PIM_POLICY_NATTRS], pim_policy *p,
	const char **text )
{
	int i;

	*p = *defaults;
	for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
		if ( vals[i] != NULL && pim_policy_set_value( p, i, vals[i] ) != 0 ) {
			*text = pim_policy_attrs[i].k_error;
			return LDAP_INVALID_SYNTAX;
		}
	}
	return pim_policy_validate( p, text );
}
