/* pim_codec.c - BER encoding and decoding of the PIM extended operations.
 *
 * The decoder walks the value with its own cursor and asks liblber only
 * to parse one tag-length-value at a time (ber_peek_element() on a
 * BerElement re-initialized over the bytes left).  It deliberately avoids
 * ber_scanf() and the ber_skip_*() family: those save the octet that
 * follows each element, so on an element that ends the buffer they read
 * one byte past it.  Input here is attacker controlled and fuzzed, so
 * every read must stay inside [bv_val, bv_val + bv_len).
 *
 * The encoder validates by decoding its own output: whatever pimctl can
 * send, the overlay accepts, and nothing else.
 */
#include <limits.h>
#include <string.h>

#include <lber.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_time.h"


/* Field numbers are the context tag numbers: [0] .. [11]. */
#define PIM_NFIELDS	15
#define PIM_FIELD(tag)	( (int)( (tag) & 0x1fU ) )

enum pim_ftype {
	PIM_FT_NONE = 0,	/* not a field of this message */
	PIM_FT_STRING,
	PIM_FT_INT,
	PIM_FT_ENUM,
	PIM_FT_BOOL,
	PIM_FT_TIME
};

/* Diagnostics are static strings, so every message for every verb is
 * spelled out at compile time.  The prefix says which message it was. */
struct pim_diags {
	const char *d_no_value;
	const char *d_too_large;
	const char *d_bad_seq;
	const char *d_not_seq;
	const char *d_trailing;
	const char *d_bad_elem;
	const char *d_unknown;
	const char *d_no_role;
	const char *d_role_empty;
	const char *d_role_long;
	const char *d_role_nul;
	const char *d_end_perm;
	const char *d_not_allowed[PIM_NFIELDS];
	const char *d_twice[PIM_NFIELDS];
	const char *d_order[PIM_NFIELDS];
	const char *d_missing[PIM_NFIELDS];
	const char *d_empty[PIM_NFIELDS];
	const char *d_nul[PIM_NFIELDS];
	const char *d_too_long[PIM_NFIELDS];
	const char *d_malformed[PIM_NFIELDS];
	const char *d_range[PIM_NFIELDS];
};

#define PIM_EACH_FIELD(p, what) { \
	p "field [0] principal " what, \
	p "field [1] activation id " what, \
	p "field [2] duration " what, \
	p "field [3] justification " what, \
	p "field [4] ticket " what, \
	p "field [5] start time " what, \
	p "field [6] end time " what, \
	p "field [7] kind " what, \
	p "field [8] permanent " what, \
	p "field [9] state " what, \
	p "field [10] count " what, \
	p "field [11] one-time code " what, \
	p "field [12] decision " what, \
	p "field [13] recommended " what, \
	p "field [14] settings " what }

#define PIM_DIAGS(p) PIM_DIAGS_T( p, "role" )
#define PIM_DIAGS_T(p, first) { \
	p "missing value", \
	p "larger than " PIM_STR( PIM_MAX_REQUEST ) " bytes", \
	p "truncated or malformed BER", \
	p "not a SEQUENCE", \
	p "trailing data after the SEQUENCE", \
	p "truncated or malformed element inside the SEQUENCE", \
	p "unknown element tag inside the SEQUENCE", \
	p first " DN missing (first element must be an OCTET STRING)", \
	p first " DN is empty", \
	p first " DN longer than " PIM_STR( PIM_MAX_DN ) " bytes", \
	p first " DN contains a NUL byte", \
	p "fields [6] end time and [8] permanent are mutually exclusive", \
	PIM_EACH_FIELD( p, "not allowed" ), \
	PIM_EACH_FIELD( p, "given twice" ), \
	PIM_EACH_FIELD( p, "out of order (fields must be in ascending tag order)" ), \
	PIM_EACH_FIELD( p, "is required" ), \
	PIM_EACH_FIELD( p, "is empty" ), \
	PIM_EACH_FIELD( p, "contains a NUL byte" ), \
	{ p "field [0] principal longer than " PIM_STR( PIM_MAX_DN ) " bytes", \
	  p "field [1] activation id longer than " PIM_STR( PIM_MAX_ID ) " bytes", \
	  NULL, \
	  p "field [3] justification longer than " PIM_STR( PIM_MAX_TEXT ) " bytes", \
	  p "field [4] ticket longer than " PIM_STR( PIM_MAX_TICKET ) " bytes", \
	  NULL, NULL, NULL, NULL, \
	  p "field [9] state longer than " PIM_STR( PIM_MAX_STATE ) " bytes", \
	  NULL, \
	  p "field [11] one-time code longer than " PIM_STR( PIM_MAX_OTP ) " bytes", \
	  NULL, NULL, \
	  p "field [14] settings longer than " PIM_STR( PIM_MAX_SETTINGS ) " bytes" }, \
	{ NULL, NULL, \
	  p "field [2] duration is not a valid INTEGER", \
	  NULL, NULL, \
	  p "field [5] start time is not a valid GeneralizedTime", \
	  p "field [6] end time is not a valid GeneralizedTime", \
	  p "field [7] kind is not a valid ENUMERATED", \
	  p "field [8] permanent is not a valid BOOLEAN", \
	  NULL, \
	  p "field [10] count is not a valid INTEGER", NULL, \
	  p "field [12] decision is not a valid ENUMERATED", \
	  p "field [13] recommended is not a valid BOOLEAN", NULL }, \
	{ NULL, NULL, \
	  p "field [2] duration must be 1 second to 10 years", \
	  NULL, NULL, NULL, NULL, \
	  p "field [7] kind must be eligible (0) or active (1)", \
	  NULL, NULL, \
	  p "field [10] count must be 0 to 2147483647", NULL, \
	  p "field [12] decision must be approve (0), deny (1) or dontKnow (2)", \
	  NULL, NULL } }

/* Indexed by enum pim_verb; the extra last entry is for responses. */
static const struct pim_diags pim_diags[PIM_VERB_COUNT + 1] = {
	PIM_DIAGS( "activate request: " ),
	PIM_DIAGS( "deactivate request: " ),
	PIM_DIAGS( "assign request: " ),
	PIM_DIAGS( "remove request: " ),
	PIM_DIAGS( "extend request: " ),
	PIM_DIAGS( "approve request: " ),
	PIM_DIAGS( "deny request: " ),
	PIM_DIAGS( "cancel request: " ),
	PIM_DIAGS_T( "reviewCreate request: ", "target" ),
	PIM_DIAGS_T( "reviewModify request: ", "target" ),
	PIM_DIAGS_T( "reviewDelete request: ", "target" ),
	PIM_DIAGS_T( "reviewDecide request: ", "target" ),
	PIM_DIAGS_T( "reviewApply request: ", "target" ),
	PIM_DIAGS_T( "reviewStop request: ", "target" ),
	PIM_DIAGS( "response: " ),
};
#define PIM_RESPONSE	PIM_VERB_COUNT

static const struct {
	const char	*v_name;
	unsigned	v_allowed;
	unsigned	v_required;
} pim_verbs[PIM_VERB_COUNT] = {
	{ "activate",
		PIM_F_PRINCIPAL | PIM_F_DURATION | PIM_F_JUSTIFICATION |
		PIM_F_TICKET | PIM_F_START | PIM_F_OTP,
		0 },
	{ "deactivate",
		PIM_F_PRINCIPAL | PIM_F_ID,
		0 },
	{ "assign",
		PIM_F_PRINCIPAL | PIM_F_DURATION | PIM_F_JUSTIFICATION |
		PIM_F_START | PIM_F_END | PIM_F_KIND | PIM_F_PERMANENT,
		PIM_F_PRINCIPAL | PIM_F_KIND },
	{ "remove",
		PIM_F_PRINCIPAL | PIM_F_KIND,
		PIM_F_PRINCIPAL },
	{ "extend",
		PIM_F_PRINCIPAL | PIM_F_ID | PIM_F_DURATION |
		PIM_F_JUSTIFICATION | PIM_F_END | PIM_F_OTP | PIM_F_KIND,
		0 },
	{ "approve",
		PIM_F_ID | PIM_F_JUSTIFICATION,
		PIM_F_ID },
	{ "deny",
		PIM_F_ID | PIM_F_JUSTIFICATION,
		PIM_F_ID },
	{ "cancel",
		PIM_F_ID,
		PIM_F_ID },
	{ "reviewCreate", PIM_F_SETTINGS, PIM_F_SETTINGS },
	{ "reviewModify", PIM_F_SETTINGS, PIM_F_SETTINGS },
	{ "reviewDelete", 0, 0 },
	{ "reviewDecide",
		PIM_F_JUSTIFICATION | PIM_F_DECISION | PIM_F_RECOMMENDED,
		0 },
	{ "reviewApply", 0, 0 },
	{ "reviewStop", PIM_F_JUSTIFICATION, 0 },
};

/* Per field number: its type, and for strings the limit and whether an
 * empty value means anything.  Request and response share the numbering
 * (docs/protocol.md); which message may carry which field is decided by
 * the verb table and pim_rsp_fields. */
static const struct {
	enum pim_ftype	f_type;
	ber_len_t	f_max;
	int		f_empty_ok;
} pim_fields[PIM_NFIELDS] = {
	{ PIM_FT_STRING, PIM_MAX_DN, 0 },	/* [0] principal */
	{ PIM_FT_STRING, PIM_MAX_ID, 0 },	/* [1] activationId */
	{ PIM_FT_INT, 0, 0 },			/* [2] duration */
	{ PIM_FT_STRING, PIM_MAX_TEXT, 1 },	/* [3] justification */
	{ PIM_FT_STRING, PIM_MAX_TICKET, 1 },	/* [4] ticket */
	{ PIM_FT_TIME, 0, 0 },			/* [5] startTime */
	{ PIM_FT_TIME, 0, 0 },			/* [6] endTime */
	{ PIM_FT_ENUM, 0, 0 },			/* [7] kind */
	{ PIM_FT_BOOL, 0, 0 },			/* [8] permanent */
	{ PIM_FT_STRING, PIM_MAX_STATE, 0 },	/* [9] state */
	{ PIM_FT_INT, 0, 0 },			/* [10] count */
	{ PIM_FT_STRING, PIM_MAX_OTP, 0 },	/* [11] otp */
	{ PIM_FT_ENUM, 0, 0 },			/* [12] decision */
	{ PIM_FT_BOOL, 0, 0 },			/* [13] recommended */
	{ PIM_FT_STRING, PIM_MAX_SETTINGS, 0 },	/* [14] settings */
};

/* Response field bits, by field number (0 = not a response field). */
static const unsigned pim_rsp_fields[PIM_NFIELDS] = {
	0, PIM_RF_ID, 0, 0, 0, PIM_RF_START, PIM_RF_END, 0, 0,
	PIM_RF_STATE, PIM_RF_COUNT, 0, 0, 0, 0
};

/* ------------------------------------------------------------------ */
/* The verb table */

unsigned
pim_verb_allowed( enum pim_verb verb )
{
	if ( (unsigned)verb >= PIM_VERB_COUNT ) {
		return 0;
	}
	return pim_verbs[verb].v_allowed;
}

unsigned
pim_verb_required( enum pim_verb verb )
{
	if ( (unsigned)verb >= PIM_VERB_COUNT ) {
		return 0;
	}
	return pim_verbs[verb].v_required;
}

const char *
pim_verb_name( enum pim_verb verb )
{
	if ( (unsigned)verb >= PIM_VERB_COUNT ) {
		return "unknown";
	}
	return pim_verbs[verb].v_name;
}

/* ------------------------------------------------------------------ */
/* Decoding primitives */

/* liblber keeps BerElement opaque (BerElementBuffer is private), so a
 * decode allocates one element and points it at each step in turn. */
typedef struct pim_cursor {
	BerElement	*c_ber;
	char		*c_ptr;
	char		*c_end;
} pim_cursor;

/* Parse the element at the cursor and step over it.  *content points
 * into the input.  LBER_DEFAULT when the bytes left do not hold one
 * complete element (truncated, indefinite length, oversized tag). */
static ber_tag_t
pim_next( pim_cursor *c, struct berval *content )
{
	struct berval rest;
	ber_tag_t tag;

	if ( c->c_ptr >= c->c_end ) {
		return LBER_DEFAULT;
	}
	rest.bv_val = c->c_ptr;
	rest.bv_len = (ber_len_t)( c->c_end - c->c_ptr );
	ber_init2( c->c_ber, &rest, 0 );
	tag = ber_peek_element( c->c_ber, content );
	if ( tag == LBER_DEFAULT ) {
		return LBER_DEFAULT;
	}
	c->c_ptr = content->bv_val + content->bv_len;
	return tag;
}

/* Two's complement, minimal encoding as X.690 requires of any BER
 * INTEGER.  -1 malformed, -2 well formed but too large for ber_int_t. */
static int
pim_get_int( const struct berval *v, long *out )
{
	const unsigned char *p = (const unsigned char *)v->bv_val;
	ber_len_t i;
	long val;

	if ( v->bv_len == 0 ) {
		return -1;
	}
	if ( v->bv_len > 1 &&
		( ( p[0] == 0x00 && !( p[1] & 0x80 ) ) ||
		  ( p[0] == 0xff && ( p[1] & 0x80 ) ) ) )
	{
		return -1;
	}
	if ( v->bv_len > sizeof( ber_int_t ) ) {
		return -2;
	}
	val = ( p[0] & 0x80 ) ? -1L : 0L;
	for ( i = 0; i < v->bv_len; i++ ) {
		val = val * 256 + p[i];
	}
	*out = val;
	return 0;
}

/* Decode the content of field n into *value (strings, times) or *num
 * (integers, enumerations, booleans).  Returns NULL or the diagnostic. */
static const char *
pim_get_field( const struct pim_diags *d, int n, const struct berval *v,
	struct berval *value, long *num, time_t *t )
{
	int rc;

	switch ( pim_fields[n].f_type ) {
	case PIM_FT_STRING:
		if ( v->bv_len > pim_fields[n].f_max ) {
			return d->d_too_long[n];
		}
		if ( v->bv_len == 0 && !pim_fields[n].f_empty_ok ) {
			return d->d_empty[n];
		}
		if ( v->bv_len != 0 && memchr( v->bv_val, 0, v->bv_len ) ) {
			return d->d_nul[n];
		}
		*value = *v;
		return NULL;

	case PIM_FT_INT:
	case PIM_FT_ENUM:
		rc = pim_get_int( v, num );
		if ( rc == -1 ) {
			return d->d_malformed[n];
		}
		return rc == 0 ? NULL : d->d_range[n];

	case PIM_FT_BOOL:
		/* BER: one octet, any non-zero value is TRUE. */
		if ( v->bv_len != 1 ) {
			return d->d_malformed[n];
		}
		*num = v->bv_val[0] != 0;
		return NULL;

	case PIM_FT_TIME:
		if ( pim_gentime_parse( v->bv_val, v->bv_len, t ) != 0 ) {
			return d->d_malformed[n];
		}
		return NULL;

	default:
		return d->d_unknown;
	}
}

/* Tag to field number, or -1 for anything that is not a primitive
 * context tag [0]..[14]. */
static int
pim_tag_field( ber_tag_t tag )
{
	if ( ( tag & ~(ber_tag_t)0x1fU ) != LBER_CLASS_CONTEXT ) {
		return -1;
	}
	if ( PIM_FIELD( tag ) >= PIM_NFIELDS ) {
		return -1;
	}
	return PIM_FIELD( tag );
}

/* Check presence and order for field n, given the fields seen so far
 * (as field-number bits) and the highest number seen. */
static const char *
pim_check_order( const struct pim_diags *d, int n, unsigned seen, int last )
{
	if ( seen & ( 1U << n ) ) {
		return d->d_twice[n];
	}
	if ( n < last ) {
		return d->d_order[n];
	}
	return NULL;
}

/* Open the outer SEQUENCE: on success c covers its contents.  *rc
 * tells a memory shortage from bad input. */
static const char *
pim_open_sequence( const struct pim_diags *d, const struct berval *in,
	pim_cursor *c, int *rc )
{
	struct berval seq;
	ber_tag_t tag;

	*rc = LDAP_PROTOCOL_ERROR;
	if ( in == NULL || in->bv_val == NULL || in->bv_len == 0 ) {
		return d->d_no_value;
	}
	if ( in->bv_len > PIM_MAX_REQUEST ) {
		return d->d_too_large;
	}
	c->c_ber = ber_alloc_t( 0 );
	if ( c->c_ber == NULL ) {
		*rc = LDAP_NO_MEMORY;
		return "out of memory";
	}
	c->c_ptr = in->bv_val;
	c->c_end = in->bv_val + in->bv_len;
	tag = pim_next( c, &seq );
	if ( tag == LBER_DEFAULT ) {
		return d->d_bad_seq;
	}
	if ( tag != LBER_SEQUENCE ) {
		return d->d_not_seq;
	}
	if ( c->c_ptr != c->c_end ) {
		return d->d_trailing;
	}
	c->c_ptr = seq.bv_val;
	c->c_end = seq.bv_val + seq.bv_len;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Requests */

static const char *
pim_get_role( const struct pim_diags *d, pim_cursor *c, struct berval *role )
{
	struct berval v;
	ber_tag_t tag;

	if ( c->c_ptr == c->c_end ) {
		return d->d_no_role;
	}
	tag = pim_next( c, &v );
	if ( tag == LBER_DEFAULT ) {
		return d->d_bad_elem;
	}
	if ( tag != LBER_OCTETSTRING ) {
		return d->d_no_role;
	}
	if ( v.bv_len == 0 ) {
		return d->d_role_empty;
	}
	if ( v.bv_len > PIM_MAX_DN ) {
		return d->d_role_long;
	}
	if ( memchr( v.bv_val, 0, v.bv_len ) ) {
		return d->d_role_nul;
	}
	*role = v;
	return NULL;
}

/* Store a decoded request field. */
static const char *
pim_req_store( const struct pim_diags *d, int n, pim_request *req,
	const struct berval *value, long num, time_t t )
{
	switch ( n ) {
	case 0: req->pr_principal = *value; break;
	case 1: req->pr_id = *value; break;
	case 2:
		if ( num < 1 || num > PIM_DURATION_MAX ) {
			return d->d_range[n];
		}
		req->pr_duration = num;
		break;
	case 3: req->pr_justification = *value; break;
	case 4: req->pr_ticket = *value; break;
	case 5: req->pr_start = t; break;
	case 6: req->pr_end = t; break;
	case 7:
		if ( num != PIM_KIND_ELIGIBLE && num != PIM_KIND_ACTIVE ) {
			return d->d_range[n];
		}
		req->pr_kind = (int)num;
		break;
	case 8: req->pr_permanent = (int)num; break;
	case 11: req->pr_otp = *value; break;
	case 12:
		if ( num < PIM_DECISION_APPROVE || num > PIM_DECISION_DONTKNOW ) {
			return d->d_range[n];
		}
		req->pr_decision = (int)num;
		break;
	case 13: req->pr_recommended = (int)num; break;
	case 14: req->pr_settings = *value; break;
	default: return d->d_unknown;
	}
	req->pr_fields |= 1U << n;
	return NULL;
}

static const char *
pim_req_fields( const struct pim_diags *d, enum pim_verb verb,
	pim_cursor *c, pim_request *req )
{
	struct berval v, value = { 0, NULL };
	const char *err;
	ber_tag_t tag;
	time_t t = 0;
	long num = 0;
	int n, last = -1;

	while ( c->c_ptr < c->c_end ) {
		tag = pim_next( c, &v );
		if ( tag == LBER_DEFAULT ) {
			return d->d_bad_elem;
		}
		n = pim_tag_field( tag );
		/* [9] state and [10] count only ever appear in responses */
		if ( n < 0 || n >= PIM_NFIELDS || n == 9 || n == 10 ) {
			return d->d_unknown;
		}
		if ( !( pim_verbs[verb].v_allowed & ( 1U << n ) ) ) {
			return d->d_not_allowed[n];
		}
		err = pim_check_order( d, n, req->pr_fields, last );
		if ( err == NULL ) {
			err = pim_get_field( d, n, &v, &value, &num, &t );
		}
		if ( err == NULL ) {
			err = pim_req_store( d, n, req, &value, num, t );
		}
		if ( err != NULL ) {
			return err;
		}
		last = n;
	}
	return NULL;
}

/* Rules that span fields: required ones, and end versus permanent. */
static const char *
pim_req_complete( const struct pim_diags *d, enum pim_verb verb,
	const pim_request *req )
{
	unsigned missing = pim_verbs[verb].v_required & ~req->pr_fields;
	int n;

	for ( n = 0; missing != 0; n++ ) {
		if ( missing & ( 1U << n ) ) {
			return d->d_missing[n];
		}
	}
	if ( ( req->pr_fields & PIM_F_END ) &&
		( req->pr_fields & PIM_F_PERMANENT ) )
	{
		return d->d_end_perm;
	}
	return NULL;
}

int
pim_request_decode( enum pim_verb verb, const struct berval *in,
	pim_request *req, const char **text )
{
	const struct pim_diags *d;
	const char *err;
	pim_cursor c = { NULL, NULL, NULL };
	int rc = LDAP_PROTOCOL_ERROR;

	memset( req, 0, sizeof( *req ) );
	if ( (unsigned)verb >= PIM_VERB_COUNT ) {
		err = "unknown PIM request type";
		goto done;
	}
	d = &pim_diags[verb];

	err = pim_open_sequence( d, in, &c, &rc );
	if ( err == NULL ) {
		err = pim_get_role( d, &c, &req->pr_role );
	}
	if ( err == NULL ) {
		err = pim_req_fields( d, verb, &c, req );
	}
	if ( err == NULL ) {
		err = pim_req_complete( d, verb, req );
	}
done:
	if ( c.c_ber != NULL ) {
		ber_free( c.c_ber, 0 );
	}
	if ( text != NULL ) {
		*text = err;
	}
	if ( err != NULL ) {
		memset( req, 0, sizeof( *req ) );
		return rc;
	}
	return LDAP_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Responses */

static void
pim_rsp_store( int n, pim_response *rsp, const struct berval *value,
	long num, time_t t )
{
	switch ( n ) {
	case 1: rsp->ps_id = *value; break;
	case 5: rsp->ps_start = t; break;
	case 6: rsp->ps_end = t; break;
	case 9: rsp->ps_state = *value; break;
	case 10: rsp->ps_count = num; break;
	}
	rsp->ps_fields |= pim_rsp_fields[n];
}

static const char *
pim_rsp_fields_decode( const struct pim_diags *d, pim_cursor *c,
	pim_response *rsp )
{
	struct berval v, value = { 0, NULL };
	const char *err;
	ber_tag_t tag;
	unsigned seen = 0;
	time_t t = 0;
	long num = 0;
	int n, last = -1;

	while ( c->c_ptr < c->c_end ) {
		tag = pim_next( c, &v );
		if ( tag == LBER_DEFAULT ) {
			return d->d_bad_elem;
		}
		n = pim_tag_field( tag );
		if ( n < 0 || pim_rsp_fields[n] == 0 ) {
			return d->d_unknown;
		}
		err = pim_check_order( d, n, seen, last );
		if ( err == NULL ) {
			err = pim_get_field( d, n, &v, &value, &num, &t );
		}
		if ( err == NULL && n == 10 && num < 0 ) {
			err = d->d_range[n];
		}
		if ( err != NULL ) {
			return err;
		}
		pim_rsp_store( n, rsp, &value, num, t );
		seen |= 1U << n;
		last = n;
	}
	return NULL;
}

int
pim_response_decode( const struct berval *in, pim_response *rsp,
	const char **text )
{
	const struct pim_diags *d = &pim_diags[PIM_RESPONSE];
	const char *err;
	pim_cursor c = { NULL, NULL, NULL };
	int rc;

	memset( rsp, 0, sizeof( *rsp ) );
	err = pim_open_sequence( d, in, &c, &rc );
	if ( err == NULL ) {
		err = pim_rsp_fields_decode( d, &c, rsp );
	}
	if ( c.c_ber != NULL ) {
		ber_free( c.c_ber, 0 );
	}
	if ( text != NULL ) {
		*text = err;
	}
	if ( err != NULL ) {
		memset( rsp, 0, sizeof( *rsp ) );
		return rc;
	}
	return LDAP_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Encoding */

/* A string the encoder may hand to ber_printf(): a pointer behind any
 * length, and a size bounded before anything is allocated. */
static int
pim_bv_sane( const struct berval *bv, ber_len_t max )
{
	return bv->bv_len <= max && ( bv->bv_len == 0 || bv->bv_val != NULL );
}

static int
pim_put_time( BerElement *ber, ber_tag_t tag, time_t t )
{
	char buf[PIM_GENTIME_BUFSIZE];

	if ( pim_gentime_format( t, buf, sizeof( buf ) ) != 0 ) {
		return -1;
	}
	return ber_printf( ber, "to", tag, buf,
		(ber_len_t)( PIM_GENTIME_BUFSIZE - 1 ) ) < 0 ? -1 : 0;
}

static int
pim_put_string( BerElement *ber, ber_tag_t tag, const struct berval *bv,
	ber_len_t max )
{
	if ( !pim_bv_sane( bv, max ) ) {
		return -1;
	}
	return ber_printf( ber, "tO", tag, bv ) < 0 ? -1 : 0;
}

static int
pim_put_int( BerElement *ber, ber_tag_t tag, long v, long min, long max )
{
	if ( v < min || v > max ) {
		return -1;
	}
	return ber_printf( ber, "ti", tag, (ber_int_t)v ) < 0 ? -1 : 0;
}

static int
pim_req_put_fields( BerElement *ber, const pim_request *req )
{
	unsigned f = req->pr_fields;

	if ( ( f & PIM_F_PRINCIPAL ) && pim_put_string( ber,
		PIM_TAG_PRINCIPAL, &req->pr_principal, PIM_MAX_DN ) != 0 )
		return -1;
	if ( ( f & PIM_F_ID ) && pim_put_string( ber,
		PIM_TAG_ID, &req->pr_id, PIM_MAX_ID ) != 0 )
		return -1;
	if ( ( f & PIM_F_DURATION ) && pim_put_int( ber, PIM_TAG_DURATION,
		req->pr_duration, 1, PIM_DURATION_MAX ) != 0 )
		return -1;
	if ( ( f & PIM_F_JUSTIFICATION ) && pim_put_string( ber,
		PIM_TAG_JUSTIFICATION, &req->pr_justification,
		PIM_MAX_TEXT ) != 0 )
		return -1;
	if ( ( f & PIM_F_TICKET ) && pim_put_string( ber,
		PIM_TAG_TICKET, &req->pr_ticket, PIM_MAX_TICKET ) != 0 )
		return -1;
	if ( ( f & PIM_F_START ) &&
		pim_put_time( ber, PIM_TAG_START, req->pr_start ) != 0 )
		return -1;
	if ( ( f & PIM_F_END ) &&
		pim_put_time( ber, PIM_TAG_END, req->pr_end ) != 0 )
		return -1;
	if ( ( f & PIM_F_KIND ) && ( req->pr_kind < 0 || req->pr_kind > 1 ||
		ber_printf( ber, "te", PIM_TAG_KIND,
			(ber_int_t)req->pr_kind ) < 0 ) )
		return -1;
	if ( ( f & PIM_F_PERMANENT ) && ( req->pr_permanent < 0 ||
		req->pr_permanent > 1 || ber_printf( ber, "tb",
			PIM_TAG_PERMANENT, (ber_int_t)req->pr_permanent ) < 0 ) )
		return -1;
	if ( ( f & PIM_F_OTP ) && pim_put_string( ber,
		PIM_TAG_OTP, &req->pr_otp, PIM_MAX_OTP ) != 0 )
		return -1;
	if ( ( f & PIM_F_DECISION ) && ( req->pr_decision < 0 ||
		req->pr_decision > PIM_DECISION_DONTKNOW ||
		ber_printf( ber, "te", PIM_TAG_DECISION,
			(ber_int_t)req->pr_decision ) < 0 ) )
		return -1;
	if ( ( f & PIM_F_RECOMMENDED ) && ( req->pr_recommended < 0 ||
		req->pr_recommended > 1 || ber_printf( ber, "tb",
			PIM_TAG_RECOMMENDED, (ber_int_t)req->pr_recommended ) < 0 ) )
		return -1;
	if ( ( f & PIM_F_SETTINGS ) && pim_put_string( ber,
		PIM_TAG_SETTINGS, &req->pr_settings, PIM_MAX_SETTINGS ) != 0 )
		return -1;
	return 0;
}

/* Flatten *ber into *out (a ber_memalloc()ed copy) unless building the
 * element already failed; *out is empty on failure. */
static int
pim_finish( BerElement *ber, struct berval *out, int ok )
{
	if ( !ok || ber_flatten2( ber, out, 1 ) != 0 ) {
		out->bv_val = NULL;
		out->bv_len = 0;
		return -1;
	}
	return 0;
}

int
pim_request_encode( enum pim_verb verb, const pim_request *req,
	struct berval *out )
{
	BerElement *ber = NULL;
	pim_request check;
	const char *text;
	int rc = -1, ok;

	if ( out == NULL ) {
		return -1;
	}
	out->bv_val = NULL;
	out->bv_len = 0;
	if ( req == NULL || (unsigned)verb >= PIM_VERB_COUNT ||
		( req->pr_fields & ~pim_verbs[verb].v_allowed ) ||
		!pim_bv_sane( &req->pr_role, PIM_MAX_DN ) )
	{
		goto done;
	}
	ber = ber_alloc_t( LBER_USE_DER );
	if ( ber == NULL ) {
		goto done;
	}
	ok = ber_printf( ber, "{O", &req->pr_role ) >= 0 &&
		pim_req_put_fields( ber, req ) == 0 &&
		ber_printf( ber, "}" ) >= 0;
	if ( pim_finish( ber, out, ok ) != 0 ) {
		goto done;
	}
	if ( pim_request_decode( verb, out, &check, &text ) != LDAP_SUCCESS ) {
		ber_memfree( out->bv_val );
		out->bv_val = NULL;
		out->bv_len = 0;
		goto done;
	}
	rc = 0;
done:
	if ( ber != NULL ) {
		ber_free( ber, 1 );
	}
	return rc;
}

static int
pim_rsp_put_fields( BerElement *ber, const pim_response *rsp )
{
	unsigned f = rsp->ps_fields;

	if ( ( f & PIM_RF_ID ) && pim_put_string( ber,
		PIM_TAG_ID, &rsp->ps_id, PIM_MAX_ID ) != 0 )
		return -1;
	if ( ( f & PIM_RF_START ) &&
		pim_put_time( ber, PIM_TAG_START, rsp->ps_start ) != 0 )
		return -1;
	if ( ( f & PIM_RF_END ) &&
		pim_put_time( ber, PIM_TAG_END, rsp->ps_end ) != 0 )
		return -1;
	if ( ( f & PIM_RF_STATE ) && pim_put_string( ber,
		PIM_TAG_STATE, &rsp->ps_state, PIM_MAX_STATE ) != 0 )
		return -1;
	if ( ( f & PIM_RF_COUNT ) && pim_put_int( ber, PIM_TAG_COUNT,
		rsp->ps_count, 0, INT_MAX ) != 0 )
		return -1;
	return 0;
}

int
pim_response_encode( const pim_response *rsp, struct berval *out )
{
	const unsigned known = PIM_RF_ID | PIM_RF_START | PIM_RF_END |
		PIM_RF_STATE | PIM_RF_COUNT;
	BerElement *ber = NULL;
	pim_response check;
	const char *text;
	int rc = -1, ok;

	if ( out == NULL ) {
		return -1;
	}
	out->bv_val = NULL;
	out->bv_len = 0;
	if ( rsp == NULL || ( rsp->ps_fields & ~known ) ) {
		goto done;
	}
	ber = ber_alloc_t( LBER_USE_DER );
	if ( ber == NULL ) {
		goto done;
	}
	ok = ber_printf( ber, "{" ) >= 0 &&
		pim_rsp_put_fields( ber, rsp ) == 0 &&
		ber_printf( ber, "}" ) >= 0;
	if ( pim_finish( ber, out, ok ) != 0 ) {
		goto done;
	}
	if ( pim_response_decode( out, &check, &text ) != LDAP_SUCCESS ) {
		ber_memfree( out->bv_val );
		out->bv_val = NULL;
		out->bv_len = 0;
		goto done;
	}
	rc = 0;
done:
	if ( ber != NULL ) {
		ber_free( ber, 1 );
	}
	return rc;
}
