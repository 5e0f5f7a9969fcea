/* check_codec.c - BER encoding and decoding of PIM requests and responses.
 *
 * Every value handed to a decoder here is a heap copy of exactly its
 * length, so that AddressSanitizer sees any read past the end.  Invalid
 * encodings are built by hand (struct raw), since the encoder refuses
 * to produce them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lber.h>
#include <ldap.h>

#include "check_pim.h"
#include "pim_test_util.h"
#include "pim_codec.h"
#include "pim_time.h"

#define T_2024		((time_t) 1704067200)	/* 2024-01-01T00:00:00Z */
#define T_2025		((time_t) 1735689600)	/* 2025-01-01T00:00:00Z */

/* An exact-size heap copy (at least one byte allocated for len 0). */
static struct berval
dup_exact( const void *p, size_t len )
{
	struct berval b;

	b.bv_val = malloc( len ? len : 1 );
	ck_assert_ptr_nonnull( b.bv_val );
	if ( len ) {
		memcpy( b.bv_val, p, len );
	}
	b.bv_len = len;
	return b;
}

/* A string of len copies of c, NUL-terminated, on the heap. */
static char *
repeat( char c, size_t len )
{
	char *s = malloc( len + 1 );

	ck_assert_ptr_nonnull( s );
	memset( s, c, len );
	s[len] = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* Hand-built BER */

typedef struct raw {
	unsigned char	r_buf[PIM_MAX_REQUEST + 64];
	size_t		r_len;
} raw;

static raw *
raw_new( void )
{
	raw *r = calloc( 1, sizeof( raw ) );

	ck_assert_ptr_nonnull( r );
	return r;
}

static void
raw_bytes( raw *r, const void *p, size_t len )
{
	ck_assert_uint_le( r->r_len + len, sizeof( r->r_buf ) );
	memcpy( r->r_buf + r->r_len, p, len );
	r->r_len += len;
}

static void
raw_len( unsigned char *hdr, size_t *n, size_t len )
{
	if ( len < 0x80 ) {
		hdr[(*n)++] = (unsigned char)len;
	} else if ( len < 0x100 ) {
		hdr[(*n)++] = 0x81;
		hdr[(*n)++] = (unsigned char)len;
	} else {
		hdr[(*n)++] = 0x83;
		hdr[(*n)++] = (unsigned char)( len >> 16 );
		hdr[(*n)++] = (unsigned char)( len >> 8 );
		hdr[(*n)++] = (unsigned char)len;
	}
}

static void
raw_tlv( raw *r, unsigned tag, const void *v, size_t len )
{
	unsigned char hdr[8];
	size_t n = 0;

	hdr[n++] = (unsigned char)tag;
	raw_len( hdr, &n, len );
	raw_bytes( r, hdr, n );
	raw_bytes( r, v, len );
}

static void
raw_str( raw *r, unsigned tag, const char *s )
{
	raw_tlv( r, tag, s, strlen( s ) );
}

static void
raw_byte( raw *r, unsigned tag, unsigned char b )
{
	raw_tlv( r, tag, &b, 1 );
}

/* Wrap the elements in r in a SEQUENCE, as an exact-size heap copy;
 * frees r. */
static struct berval
raw_seq( raw *r )
{
	unsigned char hdr[8];
	size_t n = 0;
	struct berval b;

	hdr[n++] = 0x30;
	raw_len( hdr, &n, r->r_len );
	b.bv_len = n + r->r_len;
	b.bv_val = malloc( b.bv_len );
	ck_assert_ptr_nonnull( b.bv_val );
	memcpy( b.bv_val, hdr, n );
	memcpy( b.bv_val + n, r->r_buf, r->r_len );
	free( r );
	return b;
}

/* A request that starts with a valid role DN. */
static raw *
raw_req( void )
{
	raw *r = raw_new();

	raw_str( r, 0x04, "cn=Admins,ou=roles,dc=example,dc=com" );
	return r;
}

/* Decode in (then free it) and expect exactly this diagnostic.  The
 * macros pass the caller's line, which is the one worth reporting. */
#define expect_req_error( verb, in, want ) \
	expect_req_error_at( __LINE__, ( verb ), ( in ), ( want ) )
#define expect_req_ok( verb, in, req ) \
	expect_req_ok_at( __LINE__, ( verb ), ( in ), ( req ) )

static void
expect_req_error_at( int line, enum pim_verb verb, struct berval in,
	const char *want )
{
	pim_request req;
	const char *text = NULL;
	int rc;

	memset( &req, 0x5a, sizeof( req ) );
	rc = pim_request_decode( verb, &in, &req, &text );
	free( in.bv_val );
	ck_assert_msg( rc == LDAP_PROTOCOL_ERROR,
		"line %d: rc %d, want protocolError", line, rc );
	ck_assert_msg( text != NULL && strcmp( text, want ) == 0,
		"line %d: diagnostic \"%s\", want \"%s\"", line,
		text ? text : "(null)", want );
	ck_assert_msg( pim_t_is_zero( &req, sizeof( req ) ),
		"line %d: request not zeroed", line );
}

/* Decode in (then free it) and expect success. */
static void
expect_req_ok_at( int line, enum pim_verb verb, struct berval in,
	pim_request *req )
{
	const char *text = "unset";
	int rc;

	rc = pim_request_decode( verb, &in, req, &text );
	free( in.bv_val );
	ck_assert_msg( rc == LDAP_SUCCESS, "line %d: refused: %s", line,
		text ? text : "(null)" );
	ck_assert_msg( text == NULL, "line %d: text set on success", line );
}

/* ------------------------------------------------------------------ */
/* Sample requests: one per verb with every field it allows (two for
 * assign, whose end time and permanent flag exclude each other). */

static const char big_just[] =
	"Incident INC-4711: r\xc3\xa9initialiser the payroll export \xe2\x80\x94 "
	"approved by the on-call manager";

static pim_request
sample( int i, enum pim_verb *verb )
{
	pim_request r;

	memset( &r, 0, sizeof( r ) );
	r.pr_role = pim_t_bv( "cn=User Administrator,ou=roles,dc=example,dc=com" );
	r.pr_principal = pim_t_bv( "uid=alice,ou=people,dc=example,dc=com" );
	r.pr_fields = PIM_F_PRINCIPAL;
	switch ( i ) {
	case 0:
		*verb = PIM_VERB_ACTIVATE;
		r.pr_fields |= PIM_F_DURATION | PIM_F_JUSTIFICATION |
			PIM_F_TICKET | PIM_F_START;
		r.pr_duration = 8 * 3600;
		r.pr_justification = pim_t_bv( big_just );
		r.pr_ticket = pim_t_bv( "INC-4711" );
		r.pr_start = T_2024 + 61;
		break;
	case 1:
		*verb = PIM_VERB_DEACTIVATE;
		r.pr_fields |= PIM_F_ID;
		r.pr_id = pim_t_bv( "7f3c2a10-9e55-4c1b-b0a4-2d7e3f9a1c00" );
		break;
	case 2:
		*verb = PIM_VERB_ASSIGN;
		r.pr_fields |= PIM_F_DURATION | PIM_F_JUSTIFICATION |
			PIM_F_START | PIM_F_END | PIM_F_KIND;
		r.pr_duration = PIM_DURATION_MAX;
		r.pr_justification = pim_t_bv( "quarterly access review" );
		r.pr_start = T_2024;
		r.pr_end = T_2025;
		r.pr_kind = PIM_KIND_ACTIVE;
		break;
	case 3:
		*verb = PIM_VERB_ASSIGN;
		r.pr_fields |= PIM_F_DURATION | PIM_F_JUSTIFICATION |
			PIM_F_START | PIM_F_KIND | PIM_F_PERMANENT;
		r.pr_duration = 1;
		r.pr_justification = pim_t_bv( "" );
		r.pr_start = 0;
		r.pr_kind = PIM_KIND_ELIGIBLE;
		r.pr_permanent = 1;
		break;
	default:
		*verb = PIM_VERB_REMOVE;
		r.pr_fields |= PIM_F_KIND;
		r.pr_kind = PIM_KIND_ELIGIBLE;
		break;
	}
	return r;
}
#define NSAMPLES	5

/* Encode sample i and return an exact-size heap copy of the result. */
static struct berval
sample_encoded( int i, enum pim_verb *verb )
{
	pim_request r = sample( i, verb );
	struct berval out, copy;

	ck_assert_int_eq( pim_request_encode( *verb, &r, &out ), 0 );
	copy = dup_exact( out.bv_val, out.bv_len );
	ber_memfree( out.bv_val );
	return copy;
}

static void
assert_bv_eq( const struct berval *got, const struct berval *want,
	const struct berval *in )
{
	ck_assert_uint_eq( got->bv_len, want->bv_len );
	if ( want->bv_len ) {
		ck_assert_mem_eq( got->bv_val, want->bv_val, want->bv_len );
	}
	/* In place: the value points into the decoded buffer. */
	ck_assert( got->bv_val >= in->bv_val &&
		got->bv_val + got->bv_len <= in->bv_val + in->bv_len );
}

/* ------------------------------------------------------------------ */

START_TEST( test_verb_table )
{
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_ACTIVATE ),
		PIM_F_PRINCIPAL | PIM_F_DURATION | PIM_F_JUSTIFICATION |
		PIM_F_TICKET | PIM_F_START | PIM_F_OTP );
	/* kind eligible (0): a request about one's own eligibility */
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_EXTEND ),
		PIM_F_PRINCIPAL | PIM_F_ID | PIM_F_DURATION |
		PIM_F_JUSTIFICATION | PIM_F_END | PIM_F_OTP | PIM_F_KIND );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_EXTEND ), 0 );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_APPROVE ),
		PIM_F_ID | PIM_F_JUSTIFICATION );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_APPROVE ), PIM_F_ID );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_DENY ),
		PIM_F_ID | PIM_F_JUSTIFICATION );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_DENY ), PIM_F_ID );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_CANCEL ), PIM_F_ID );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_CANCEL ), PIM_F_ID );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_EXTEND ), "extend" );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_CANCEL ), "cancel" );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_ACTIVATE ), 0 );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_DEACTIVATE ),
		PIM_F_PRINCIPAL | PIM_F_ID );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_DEACTIVATE ), 0 );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_ASSIGN ),
		PIM_F_PRINCIPAL | PIM_F_DURATION | PIM_F_JUSTIFICATION |
		PIM_F_START | PIM_F_END | PIM_F_KIND | PIM_F_PERMANENT );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_ASSIGN ),
		PIM_F_PRINCIPAL | PIM_F_KIND );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_REMOVE ),
		PIM_F_PRINCIPAL | PIM_F_KIND );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_REMOVE ),
		PIM_F_PRINCIPAL );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_ACTIVATE ), "activate" );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_DEACTIVATE ), "deactivate" );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_ASSIGN ), "assign" );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_REMOVE ), "remove" );
	ck_assert_uint_eq( pim_verb_allowed( PIM_VERB_COUNT ), 0 );
	ck_assert_uint_eq( pim_verb_required( PIM_VERB_COUNT ), 0 );
	ck_assert_str_eq( pim_verb_name( PIM_VERB_COUNT ), "unknown" );
}
END_TEST

START_TEST( test_request_round_trip )
{
	enum pim_verb verb;
	pim_request want = sample( _i, &verb ), got;
	struct berval in = sample_encoded( _i, &verb );
	const char *text = "unset";

	ck_assert_int_eq( pim_request_decode( verb, &in, &got, &text ),
		LDAP_SUCCESS );
	ck_assert_ptr_null( text );
	ck_assert_uint_eq( got.pr_fields, want.pr_fields );
	assert_bv_eq( &got.pr_role, &want.pr_role, &in );
	assert_bv_eq( &got.pr_principal, &want.pr_principal, &in );
	if ( want.pr_fields & PIM_F_ID ) {
		assert_bv_eq( &got.pr_id, &want.pr_id, &in );
	} else {
		ck_assert_ptr_null( got.pr_id.bv_val );
	}
	if ( want.pr_fields & PIM_F_JUSTIFICATION ) {
		assert_bv_eq( &got.pr_justification, &want.pr_justification,
			&in );
	} else {
		ck_assert_ptr_null( got.pr_justification.bv_val );
	}
	if ( want.pr_fields & PIM_F_TICKET ) {
		assert_bv_eq( &got.pr_ticket, &want.pr_ticket, &in );
	} else {
		ck_assert_ptr_null( got.pr_ticket.bv_val );
	}
	ck_assert_int_eq( got.pr_duration, want.pr_duration );
	ck_assert_int_eq( got.pr_start, want.pr_start );
	ck_assert_int_eq( got.pr_end, want.pr_end );
	ck_assert_int_eq( got.pr_kind, want.pr_kind );
	ck_assert_int_eq( got.pr_permanent, want.pr_permanent );
	free( in.bv_val );
}
END_TEST

/* The exact DER bytes, so the wire format cannot drift unnoticed. */
START_TEST( test_request_wire_format )
{
	static const unsigned char act[] = {
		0x30, 0x1b,
		0x04, 0x04, 'c', 'n', '=', 'r',
		0x82, 0x02, 0x0e, 0x10,				/* 3600 */
		0x85, 0x0f, '2', '0', '2', '4', '0', '1', '0', '1',
		'0', '0', '0', '0', '0', '0', 'Z' };
	static const unsigned char asg[] = {
		0x30, 0x13,
		0x04, 0x04, 'c', 'n', '=', 'r',
		0x80, 0x05, 'u', 'i', 'd', '=', 'u',
		0x87, 0x01, 0x01,				/* active */
		0x88, 0x01, 0xff };				/* TRUE */
	pim_request r;
	struct berval out;

	memset( &r, 0, sizeof( r ) );
	r.pr_role = pim_t_bv( "cn=r" );
	r.pr_fields = PIM_F_DURATION | PIM_F_START;
	r.pr_duration = 3600;
	r.pr_start = T_2024;
	ck_assert_int_eq( pim_request_encode( PIM_VERB_ACTIVATE, &r, &out ), 0 );
	ck_assert_uint_eq( out.bv_len, sizeof( act ) );
	ck_assert_mem_eq( out.bv_val, act, sizeof( act ) );
	ber_memfree( out.bv_val );

	memset( &r, 0, sizeof( r ) );
	r.pr_role = pim_t_bv( "cn=r" );
	r.pr_principal = pim_t_bv( "uid=u" );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_KIND | PIM_F_PERMANENT;
	r.pr_kind = PIM_KIND_ACTIVE;
	r.pr_permanent = 1;
	ck_assert_int_eq( pim_request_encode( PIM_VERB_ASSIGN, &r, &out ), 0 );
	ck_assert_uint_eq( out.bv_len, sizeof( asg ) );
	ck_assert_mem_eq( out.bv_val, asg, sizeof( asg ) );
	ber_memfree( out.bv_val );
}
END_TEST

/* Field [11] otp, the one-time code of an MFA role: accepted by
 * activate and extend, in place, and encoded to the same bytes. */
START_TEST( test_request_otp )
{
	static const unsigned char act[] = {
		0x30, 0x0e,
		0x04, 0x04, 'c', 'n', '=', 'r',
		0x8b, 0x06, '1', '2', '3', '4', '5', '6' };
	struct berval in = { sizeof( act ), (char *)act }, out;
	struct berval code = pim_t_bv( "123456" );
	const char *text = "unset";
	pim_request req;
	enum pim_verb verbs[] = { PIM_VERB_ACTIVATE, PIM_VERB_EXTEND };
	unsigned i;

	for ( i = 0; i < sizeof( verbs ) / sizeof( verbs[0] ); i++ ) {
		ck_assert_int_eq( pim_request_decode( verbs[i], &in, &req,
			&text ), LDAP_SUCCESS );
		ck_assert_ptr_null( text );
		ck_assert_uint_eq( req.pr_fields, PIM_F_OTP );
		assert_bv_eq( &req.pr_otp, &code, &in );
		ck_assert_int_eq( pim_request_encode( verbs[i], &req, &out ), 0 );
		ck_assert_uint_eq( out.bv_len, sizeof( act ) );
		ck_assert_mem_eq( out.bv_val, act, sizeof( act ) );
		ber_memfree( out.bv_val );
	}
}
END_TEST

START_TEST( test_request_every_truncation )
{
	enum pim_verb verb;
	struct berval full = sample_encoded( _i, &verb ), cut;
	pim_request req;
	const char *text;
	size_t len;

	for ( len = 0; len < full.bv_len; len++ ) {
		cut = dup_exact( full.bv_val, len );
		memset( &req, 0x5a, sizeof( req ) );
		text = NULL;
		ck_assert_msg( pim_request_decode( verb, &cut, &req, &text ) ==
			LDAP_PROTOCOL_ERROR, "prefix of %zu bytes accepted", len );
		ck_assert_ptr_nonnull( text );
		ck_assert( pim_t_is_zero( &req, sizeof( req ) ) );
		free( cut.bv_val );
	}
	free( full.bv_val );
}
END_TEST

START_TEST( test_request_trailing_byte )
{
	static const char *const want[] = {
		"activate request: trailing data after the SEQUENCE",
		"deactivate request: trailing data after the SEQUENCE",
		"assign request: trailing data after the SEQUENCE",
		"assign request: trailing data after the SEQUENCE",
		"remove request: trailing data after the SEQUENCE" };
	enum pim_verb verb;
	struct berval full = sample_encoded( _i, &verb ), longer;

	longer = dup_exact( full.bv_val, full.bv_len );
	longer.bv_val = realloc( longer.bv_val, full.bv_len + 1 );
	ck_assert_ptr_nonnull( longer.bv_val );
	longer.bv_val[full.bv_len] = 0;
	longer.bv_len = full.bv_len + 1;
	free( full.bv_val );
	expect_req_error( verb, longer, want[_i] );
}
END_TEST

START_TEST( test_request_trailing_inside )
{
	raw *r;

	/* A lone octet after the last field: not a whole element. */
	r = raw_req();
	raw_str( r, 0x83, "why" );
	raw_bytes( r, "\x00", 1 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: truncated or malformed element inside the "
		"SEQUENCE" );

	/* A whole element that is no field. */
	r = raw_req();
	raw_str( r, 0x83, "why" );
	raw_str( r, 0x04, "extra" );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: unknown element tag inside the SEQUENCE" );

	/* An element whose length runs past the SEQUENCE. */
	r = raw_req();
	raw_bytes( r, "\x83\x05why", 5 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: truncated or malformed element inside the "
		"SEQUENCE" );
}
END_TEST

static const char *const field_names[15] = {
	"principal", "activation id", "duration", "justification", "ticket",
	"start time", "end time", "kind", "permanent", NULL, NULL,
	"one-time code", "decision", "recommended", "settings" };

/* A valid value for field n, so that only its presence is at issue. */
static void
raw_field( raw *r, int n )
{
	switch ( n ) {
	case 0: raw_str( r, 0x80, "uid=bob,dc=example,dc=com" ); break;
	case 1: raw_str( r, 0x81, "act-1" ); break;
	case 2: raw_byte( r, 0x82, 60 ); break;
	case 3: raw_str( r, 0x83, "because" ); break;
	case 4: raw_str( r, 0x84, "CHG-1" ); break;
	case 5: raw_str( r, 0x85, "20240101000000Z" ); break;
	case 6: raw_str( r, 0x86, "20250101000000Z" ); break;
	case 7: raw_byte( r, 0x87, 1 ); break;
	case 8: raw_byte( r, 0x88, 0xff ); break;
	case 11: raw_str( r, 0x8b, "123456" ); break;
	case 12: raw_byte( r, 0x8c, 1 ); break;
	case 13: raw_byte( r, 0x8d, 0xff ); break;
	case 14: raw_str( r, 0x8e, "cn: x" ); break;
	}
}

START_TEST( test_request_field_not_allowed )
{
	char want[128];
	raw *r;
	int v, n, refused = 0;

	/* The allowed ones are test_request_field_allowed's business. */
	for ( v = 0; v < PIM_VERB_COUNT; v++ ) {
		for ( n = 0; n < 15; n++ ) {
			/* [9] and [10] are response fields: unknown in requests */
			if ( n == 9 || n == 10 ||
				( pim_verb_allowed( v ) & ( 1U << n ) ) ) {
				continue;
			}
			r = raw_req();
			raw_field( r, n );
			refused++;
			snprintf( want, sizeof( want ),
				"%s request: field [%d] %s not allowed",
				pim_verb_name( v ), n, field_names[n] );
			expect_req_error( v, raw_seq( r ), want );
		}
	}
	/* Outside the lists of activate, deactivate, assign, remove, extend,
	 * approve, deny and cancel: 4 + 8 + 3 + 8 + 3 + 8 + 8 + 9 fields,
	 * and [12]..[14] of each (24); of reviewCreate, reviewModify,
	 * reviewDelete, reviewDecide, reviewApply and reviewStop:
	 * 12 + 12 + 13 + 10 + 13 + 12. */
	ck_assert_int_eq( refused, 147 );
}
END_TEST

START_TEST( test_request_field_allowed )
{
	pim_request req;
	raw *r;
	int v, n;

	/* Each allowed field on its own, plus the verb's required ones;
	 * [9] and [10] are response fields. */
	for ( v = 0; v < PIM_VERB_COUNT; v++ ) {
		for ( n = 0; n < 15; n++ ) {
			unsigned bits = pim_verb_required( v ) | ( 1U << n );
			int k;

			if ( n == 9 || n == 10 ||
				!( pim_verb_allowed( v ) & ( 1U << n ) ) ) {
				continue;
			}
			r = raw_req();
			for ( k = 0; k < 15; k++ ) {
				if ( bits & ( 1U << k ) ) {
					raw_field( r, k );
				}
			}
			expect_req_ok( v, raw_seq( r ), &req );
			ck_assert_uint_eq( req.pr_fields, bits );
		}
	}
}
END_TEST

START_TEST( test_request_duplicate )
{
	raw *r;

	r = raw_req();
	raw_field( r, 0 );
	raw_str( r, 0x80, "uid=mallory,dc=example,dc=com" );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: field [0] principal given twice" );

	r = raw_req();
	raw_field( r, 0 );
	raw_field( r, 2 );
	raw_field( r, 2 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: field [2] duration given twice" );

	r = raw_req();
	raw_field( r, 0 );
	raw_field( r, 7 );
	raw_field( r, 0 );
	expect_req_error( PIM_VERB_REMOVE, raw_seq( r ),
		"remove request: field [0] principal given twice" );
}
END_TEST

START_TEST( test_request_out_of_order )
{
	raw *r;

	r = raw_req();
	raw_field( r, 3 );
	raw_field( r, 2 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: field [2] duration out of order (fields must "
		"be in ascending tag order)" );

	r = raw_req();
	raw_field( r, 7 );
	raw_field( r, 0 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ),
		"assign request: field [0] principal out of order (fields must "
		"be in ascending tag order)" );

	/* The role comes first, not after a field. */
	r = raw_new();
	raw_field( r, 0 );
	raw_str( r, 0x04, "cn=r" );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: role DN missing (first element must be an "
		"OCTET STRING)" );
}
END_TEST

START_TEST( test_request_unknown_tags )
{
	static const unsigned char bad[][3] = {
		{ 0x89, 0x01, 'x' },	/* [9] state: response only */
		{ 0x8a, 0x01, 0x01 },	/* [10] count: response only */
		{ 0x8f, 0x01, 0x01 },	/* [15]: no such field */
		{ 0xa0, 0x00, 0x00 },	/* [0] constructed */
		{ 0x02, 0x01, 0x05 },	/* universal INTEGER */
		{ 0x40, 0x01, 0x00 },	/* application [0] */
	};
	size_t i;
	raw *r;

	for ( i = 0; i < sizeof( bad ) / sizeof( bad[0] ); i++ ) {
		r = raw_req();
		raw_bytes( r, bad[i], bad[i][1] + 2U );
		expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
			"activate request: unknown element tag inside the "
			"SEQUENCE" );
	}

	/* A multi-octet tag ([32]). */
	r = raw_req();
	raw_bytes( r, "\x9f\x20\x01x", 4 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ),
		"assign request: unknown element tag inside the SEQUENCE" );
}
END_TEST

/* A request carrying field n (or the role, n < 0) of len bytes. */
static struct berval
req_with_string( int n, size_t len )
{
	char *s = repeat( 'a', len );
	raw *r = raw_new();

	if ( n < 0 ) {
		raw_str( r, 0x04, s );
	} else {
		raw_str( r, 0x04, "cn=r" );
		raw_str( r, 0x80U | (unsigned)n, s );
	}
	free( s );
	return raw_seq( r );
}

START_TEST( test_request_oversized_strings )
{
	pim_request req;

	expect_req_ok( PIM_VERB_ACTIVATE, req_with_string( -1, PIM_MAX_DN ),
		&req );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_string( -1, PIM_MAX_DN + 1 ),
		"activate request: role DN longer than 4096 bytes" );

	expect_req_ok( PIM_VERB_ACTIVATE, req_with_string( 0, PIM_MAX_DN ),
		&req );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_string( 0, PIM_MAX_DN + 1 ),
		"activate request: field [0] principal longer than 4096 bytes" );

	expect_req_ok( PIM_VERB_DEACTIVATE, req_with_string( 1, PIM_MAX_ID ),
		&req );
	expect_req_error( PIM_VERB_DEACTIVATE,
		req_with_string( 1, PIM_MAX_ID + 1 ),
		"deactivate request: field [1] activation id longer than 128 "
		"bytes" );

	expect_req_ok( PIM_VERB_ACTIVATE, req_with_string( 3, PIM_MAX_TEXT ),
		&req );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_string( 3, PIM_MAX_TEXT + 1 ),
		"activate request: field [3] justification longer than 8192 "
		"bytes" );

	expect_req_ok( PIM_VERB_ACTIVATE,
		req_with_string( 4, PIM_MAX_TICKET ), &req );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_string( 4, PIM_MAX_TICKET + 1 ),
		"activate request: field [4] ticket longer than 256 bytes" );
}
END_TEST

START_TEST( test_request_too_large )
{
	struct berval in;
	char *big = repeat( 'a', PIM_MAX_REQUEST - 8 );
	raw *r = raw_new();

	/* Well-formed BER, but bigger than any request may be. */
	raw_str( r, 0x04, "cn=r" );
	raw_str( r, 0x83, big );
	free( big );
	in = raw_seq( r );
	ck_assert_uint_gt( in.bv_len, PIM_MAX_REQUEST );
	expect_req_error( PIM_VERB_ACTIVATE, in,
		"activate request: larger than 65536 bytes" );

	in = dup_exact( "\x30\x00", 2 );
	in.bv_val = realloc( in.bv_val, PIM_MAX_REQUEST + 1 );
	memset( in.bv_val + 2, 0, PIM_MAX_REQUEST - 1 );
	in.bv_len = PIM_MAX_REQUEST + 1;
	expect_req_error( PIM_VERB_REMOVE, in,
		"remove request: larger than 65536 bytes" );
}
END_TEST

/* An activate request whose duration is these content octets. */
static struct berval
req_with_duration( const void *v, size_t len )
{
	raw *r = raw_req();

	raw_tlv( r, 0x82, v, len );
	return raw_seq( r );
}

START_TEST( test_request_duration )
{
	static const char range[] =
		"activate request: field [2] duration must be 1 second to 10 years";
	static const char malformed[] =
		"activate request: field [2] duration is not a valid INTEGER";
	pim_request req;

	expect_req_ok( PIM_VERB_ACTIVATE, req_with_duration( "\x01", 1 ), &req );
	ck_assert_int_eq( req.pr_duration, 1 );
	/* 316224000 = 0x12d93200, the maximum */
	expect_req_ok( PIM_VERB_ACTIVATE,
		req_with_duration( "\x12\xd9\x32\x00", 4 ), &req );
	ck_assert_int_eq( req.pr_duration, PIM_DURATION_MAX );
	expect_req_ok( PIM_VERB_ACTIVATE,
		req_with_duration( "\x00\x80", 2 ), &req );
	ck_assert_int_eq( req.pr_duration, 128 );

	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x00", 1 ), range );		/* 0 */
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\xff", 1 ), range );		/* -1 */
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x80\x00\x00\x00", 4 ), range );	/* INT_MIN */
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x12\xd9\x32\x01", 4 ), range );	/* max + 1 */
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x7f\xff\xff\xff", 4 ), range );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x01\x00\x00\x00\x00", 5 ), range );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x7f\xff\xff\xff\xff\xff\xff\xff\xff", 9 ),
		range );

	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "", 0 ), malformed );
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\x00\x05", 2 ), malformed );	/* not minimal */
	expect_req_error( PIM_VERB_ACTIVATE,
		req_with_duration( "\xff\x80", 2 ), malformed );
}
END_TEST

START_TEST( test_request_bad_time )
{
	static const char *const bad[] = {
		"20230229000000Z", "20240230000000Z", "20240101000000",
		"garbage", "", "2024-01-01T00:00:00Z", "20240101000000+0100" };
	pim_request req;
	size_t i;
	raw *r;

	for ( i = 0; i < sizeof( bad ) / sizeof( bad[0] ); i++ ) {
		r = raw_req();
		raw_str( r, 0x85, bad[i] );
		expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
			"activate request: field [5] start time is not a valid "
			"GeneralizedTime" );

		r = raw_req();
		raw_field( r, 0 );
		raw_str( r, 0x86, bad[i] );
		raw_field( r, 7 );
		expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ),
			"assign request: field [6] end time is not a valid "
			"GeneralizedTime" );
	}

	/* The forms GeneralizedTime allows besides the canonical one. */
	r = raw_req();
	raw_str( r, 0x85, "20240101000000.25Z" );
	expect_req_ok( PIM_VERB_ACTIVATE, raw_seq( r ), &req );
	ck_assert_int_eq( req.pr_start, T_2024 );
	r = raw_req();
	raw_str( r, 0x85, "202401010001Z" );
	expect_req_ok( PIM_VERB_ACTIVATE, raw_seq( r ), &req );
	ck_assert_int_eq( req.pr_start, T_2024 + 60 );
}
END_TEST

START_TEST( test_request_kind )
{
	static const char range[] =
		"remove request: field [7] kind must be eligible (0) or active (1)";
	pim_request req;
	raw *r;

	r = raw_req();
	raw_field( r, 0 );
	raw_byte( r, 0x87, 0 );
	expect_req_ok( PIM_VERB_REMOVE, raw_seq( r ), &req );
	ck_assert_int_eq( req.pr_kind, PIM_KIND_ELIGIBLE );
	ck_assert_uint_eq( req.pr_fields, PIM_F_PRINCIPAL | PIM_F_KIND );

	r = raw_req();
	raw_field( r, 0 );
	raw_byte( r, 0x87, 2 );
	expect_req_error( PIM_VERB_REMOVE, raw_seq( r ), range );

	r = raw_req();
	raw_field( r, 0 );
	raw_byte( r, 0x87, 0xff );
	expect_req_error( PIM_VERB_REMOVE, raw_seq( r ), range );

	r = raw_req();
	raw_field( r, 0 );
	raw_tlv( r, 0x87, "", 0 );
	expect_req_error( PIM_VERB_REMOVE, raw_seq( r ),
		"remove request: field [7] kind is not a valid ENUMERATED" );
}
END_TEST

START_TEST( test_request_permanent )
{
	static const char malformed[] =
		"assign request: field [8] permanent is not a valid BOOLEAN";
	pim_request req;
	raw *r;

	/* BER: any non-zero octet is TRUE. */
	r = raw_req();
	raw_field( r, 0 );
	raw_field( r, 7 );
	raw_byte( r, 0x88, 0x01 );
	expect_req_ok( PIM_VERB_ASSIGN, raw_seq( r ), &req );
	ck_assert_int_eq( req.pr_permanent, 1 );

	r = raw_req();
	raw_field( r, 0 );
	raw_field( r, 7 );
	raw_byte( r, 0x88, 0x00 );
	expect_req_ok( PIM_VERB_ASSIGN, raw_seq( r ), &req );
	ck_assert_int_eq( req.pr_permanent, 0 );
	ck_assert( req.pr_fields & PIM_F_PERMANENT );

	r = raw_req();
	raw_field( r, 0 );
	raw_field( r, 7 );
	raw_tlv( r, 0x88, "", 0 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ), malformed );

	r = raw_req();
	raw_field( r, 0 );
	raw_field( r, 7 );
	raw_tlv( r, 0x88, "\xff\xff", 2 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ), malformed );
}
END_TEST

START_TEST( test_request_embedded_nul )
{
	raw *r;

	r = raw_new();
	raw_tlv( r, 0x04, "cn=r\0x", 6 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: role DN contains a NUL byte" );

	r = raw_req();
	raw_tlv( r, 0x80, "uid=a\0", 6 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: field [0] principal contains a NUL byte" );

	r = raw_req();
	raw_tlv( r, 0x81, "\0id", 3 );
	expect_req_error( PIM_VERB_DEACTIVATE, raw_seq( r ),
		"deactivate request: field [1] activation id contains a NUL "
		"byte" );

	r = raw_req();
	raw_tlv( r, 0x83, "fine\0hidden", 11 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: field [3] justification contains a NUL byte" );

	r = raw_req();
	raw_tlv( r, 0x84, "T\0", 2 );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: field [4] ticket contains a NUL byte" );
}
END_TEST

START_TEST( test_request_empty_values )
{
	pim_request req;
	raw *r;

	r = raw_new();
	raw_str( r, 0x04, "" );
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: role DN is empty" );

	r = raw_new();
	expect_req_error( PIM_VERB_ACTIVATE, raw_seq( r ),
		"activate request: role DN missing (first element must be an "
		"OCTET STRING)" );

	r = raw_req();
	raw_str( r, 0x80, "" );
	expect_req_error( PIM_VERB_DEACTIVATE, raw_seq( r ),
		"deactivate request: field [0] principal is empty" );

	r = raw_req();
	raw_str( r, 0x81, "" );
	expect_req_error( PIM_VERB_DEACTIVATE, raw_seq( r ),
		"deactivate request: field [1] activation id is empty" );

	/* An empty justification or ticket is left for the policy. */
	r = raw_req();
	raw_str( r, 0x83, "" );
	raw_str( r, 0x84, "" );
	expect_req_ok( PIM_VERB_ACTIVATE, raw_seq( r ), &req );
	ck_assert_uint_eq( req.pr_fields,
		PIM_F_JUSTIFICATION | PIM_F_TICKET );
	ck_assert_uint_eq( req.pr_justification.bv_len, 0 );
	ck_assert_ptr_nonnull( req.pr_justification.bv_val );
}
END_TEST

START_TEST( test_request_end_and_permanent )
{
	pim_request r;
	struct berval out;
	raw *raw_r;

	raw_r = raw_req();
	raw_field( raw_r, 0 );
	raw_field( raw_r, 6 );
	raw_field( raw_r, 7 );
	raw_field( raw_r, 8 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( raw_r ),
		"assign request: fields [6] end time and [8] permanent are "
		"mutually exclusive" );

	memset( &r, 0, sizeof( r ) );
	r.pr_role = pim_t_bv( "cn=r" );
	r.pr_principal = pim_t_bv( "uid=u" );
	r.pr_fields = PIM_F_PRINCIPAL | PIM_F_END | PIM_F_KIND |
		PIM_F_PERMANENT;
	r.pr_end = T_2025;
	r.pr_permanent = 1;
	out.bv_val = (char *)"junk";
	ck_assert_int_eq( pim_request_encode( PIM_VERB_ASSIGN, &r, &out ), -1 );
	ck_assert_ptr_null( out.bv_val );
}
END_TEST

START_TEST( test_request_missing_required )
{
	raw *r;

	r = raw_req();
	raw_field( r, 0 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ),
		"assign request: field [7] kind is required" );

	r = raw_req();
	raw_field( r, 7 );
	expect_req_error( PIM_VERB_ASSIGN, raw_seq( r ),
		"assign request: field [0] principal is required" );

	r = raw_req();
	raw_field( r, 7 );
	expect_req_error( PIM_VERB_REMOVE, raw_seq( r ),
		"remove request: field [0] principal is required" );
}
END_TEST

START_TEST( test_request_framing )
{
	pim_request req;
	const char *text;
	struct berval empty = { 0, NULL };

	ck_assert_int_eq( pim_request_decode( PIM_VERB_ACTIVATE, NULL, &req,
		&text ), LDAP_PROTOCOL_ERROR );
	ck_assert_str_eq( text, "activate request: missing value" );
	ck_assert_int_eq( pim_request_decode( PIM_VERB_ACTIVATE, &empty, &req,
		&text ), LDAP_PROTOCOL_ERROR );
	ck_assert_str_eq( text, "activate request: missing value" );
	ck_assert_int_eq( pim_request_decode( PIM_VERB_COUNT, &empty, &req,
		&text ), LDAP_PROTOCOL_ERROR );
	ck_assert_str_eq( text, "unknown PIM request type" );

	expect_req_error( PIM_VERB_ACTIVATE,
		dup_exact( "\x31\x06\x04\x04\x63\x6e\x3d\x72", 8 ),
		"activate request: not a SEQUENCE" );
	expect_req_error( PIM_VERB_ACTIVATE,
		dup_exact( "\x04\x04\x63\x6e\x3d\x72", 6 ),
		"activate request: not a SEQUENCE" );
	/* Indefinite length is not BER that liblber (or LDAP) allows. */
	expect_req_error( PIM_VERB_ACTIVATE,
		dup_exact( "\x30\x80\x04\x04\x63\x6e\x3d\x72\x00\x00", 10 ),
		"activate request: truncated or malformed BER" );
	expect_req_error( PIM_VERB_ACTIVATE,
		dup_exact( "\x30\x84\xff\xff\xff\xff\x04", 7 ),
		"activate request: truncated or malformed BER" );
	expect_req_error( PIM_VERB_ACTIVATE,
		dup_exact( "\x30", 1 ),
		"activate request: truncated or malformed BER" );
}
END_TEST

START_TEST( test_request_encode_refuses )
{
	enum pim_verb verb;
	pim_request r;
	struct berval out;
	char *long_dn = repeat( 'x', PIM_MAX_DN + 1 );

#define REFUSE( v ) do { \
		out.bv_val = (char *)"junk"; \
		out.bv_len = 4; \
		ck_assert_int_eq( pim_request_encode( (v), &r, &out ), -1 ); \
		ck_assert_ptr_null( out.bv_val ); \
		ck_assert_uint_eq( out.bv_len, 0 ); \
	} while ( 0 )

	r = sample( 0, &verb );
	REFUSE( PIM_VERB_DEACTIVATE );		/* fields not allowed */
	REFUSE( PIM_VERB_COUNT );		/* no such verb */
	r.pr_fields |= 0x200U;
	REFUSE( PIM_VERB_ACTIVATE );		/* no such field */

	r = sample( 0, &verb );
	r.pr_role = pim_t_bv( "" );
	REFUSE( verb );
	r.pr_role = pim_t_bv( long_dn );
	REFUSE( verb );
	r.pr_role.bv_val = NULL;
	r.pr_role.bv_len = 5;
	REFUSE( verb );
	r.pr_role.bv_val = (char *)"cn=a\0b";
	r.pr_role.bv_len = 6;
	REFUSE( verb );

	r = sample( 0, &verb );
	r.pr_duration = 0;
	REFUSE( verb );
	r.pr_duration = -5;
	REFUSE( verb );
	r.pr_duration = PIM_DURATION_MAX + 1;
	REFUSE( verb );

	r = sample( 0, &verb );
	r.pr_start = -1;
	REFUSE( verb );

	r = sample( 0, &verb );
	r.pr_ticket = pim_t_bv( long_dn );
	REFUSE( verb );

	r = sample( 4, &verb );			/* remove */
	r.pr_kind = 2;
	REFUSE( verb );
	r.pr_kind = PIM_KIND_ACTIVE;
	r.pr_fields &= ~PIM_F_PRINCIPAL;	/* required */
	REFUSE( verb );

	r = sample( 3, &verb );			/* assign, permanent */
	r.pr_permanent = 2;
	REFUSE( verb );
#undef REFUSE
	free( long_dn );
}
END_TEST

/* ------------------------------------------------------------------ */
/* Responses */

#define expect_rsp_error( in, want ) \
	expect_rsp_error_at( __LINE__, ( in ), ( want ) )

static void
expect_rsp_error_at( int line, struct berval in, const char *want )
{
	pim_response rsp;
	const char *text = NULL;
	int rc;

	memset( &rsp, 0x5a, sizeof( rsp ) );
	rc = pim_response_decode( &in, &rsp, &text );
	free( in.bv_val );
	ck_assert_msg( rc == LDAP_PROTOCOL_ERROR,
		"line %d: rc %d, want protocolError", line, rc );
	ck_assert_msg( text != NULL && strcmp( text, want ) == 0,
		"line %d: diagnostic \"%s\", want \"%s\"", line,
		text ? text : "(null)", want );
	ck_assert_msg( pim_t_is_zero( &rsp, sizeof( rsp ) ),
		"line %d: response not zeroed", line );
}

static pim_response
sample_rsp( void )
{
	pim_response s;

	memset( &s, 0, sizeof( s ) );
	s.ps_fields = PIM_RF_ID | PIM_RF_START | PIM_RF_END | PIM_RF_STATE |
		PIM_RF_COUNT;
	s.ps_id = pim_t_bv( "7f3c2a10-9e55-4c1b-b0a4-2d7e3f9a1c00" );
	s.ps_start = T_2024;
	s.ps_end = T_2024 + 8 * 3600;
	s.ps_state = pim_t_bv( "active" );
	s.ps_count = 3;
	return s;
}

static struct berval
sample_rsp_encoded( void )
{
	pim_response s = sample_rsp();
	struct berval out, copy;

	ck_assert_int_eq( pim_response_encode( &s, &out ), 0 );
	copy = dup_exact( out.bv_val, out.bv_len );
	ber_memfree( out.bv_val );
	return copy;
}

START_TEST( test_response_round_trip )
{
	pim_response want = sample_rsp(), got;
	struct berval in = sample_rsp_encoded();
	const char *text = "unset";

	ck_assert_int_eq( pim_response_decode( &in, &got, &text ),
		LDAP_SUCCESS );
	ck_assert_ptr_null( text );
	ck_assert_uint_eq( got.ps_fields, want.ps_fields );
	assert_bv_eq( &got.ps_id, &want.ps_id, &in );
	assert_bv_eq( &got.ps_state, &want.ps_state, &in );
	ck_assert_int_eq( got.ps_start, want.ps_start );
	ck_assert_int_eq( got.ps_end, want.ps_end );
	ck_assert_int_eq( got.ps_count, want.ps_count );
	free( in.bv_val );
}
END_TEST

START_TEST( test_response_partial )
{
	pim_response s, got;
	struct berval out;
	const char *text;

	/* No fields at all: an empty SEQUENCE. */
	memset( &s, 0, sizeof( s ) );
	ck_assert_int_eq( pim_response_encode( &s, &out ), 0 );
	ck_assert_uint_eq( out.bv_len, 2 );
	ck_assert_mem_eq( out.bv_val, "\x30\x00", 2 );
	ck_assert_int_eq( pim_response_decode( &out, &got, &text ),
		LDAP_SUCCESS );
	ck_assert_uint_eq( got.ps_fields, 0 );
	ber_memfree( out.bv_val );

	/* A count alone, zero. */
	s.ps_fields = PIM_RF_COUNT;
	s.ps_count = 0;
	ck_assert_int_eq( pim_response_encode( &s, &out ), 0 );
	ck_assert_uint_eq( out.bv_len, 5 );
	ck_assert_mem_eq( out.bv_val, "\x30\x03\x8a\x01\x00", 5 );
	ck_assert_int_eq( pim_response_decode( &out, &got, &text ),
		LDAP_SUCCESS );
	ck_assert_uint_eq( got.ps_fields, PIM_RF_COUNT );
	ck_assert_int_eq( got.ps_count, 0 );
	ber_memfree( out.bv_val );
}
END_TEST

START_TEST( test_response_every_truncation )
{
	struct berval full = sample_rsp_encoded(), cut;
	pim_response rsp;
	const char *text;
	size_t len;

	for ( len = 0; len < full.bv_len; len++ ) {
		cut = dup_exact( full.bv_val, len );
		text = NULL;
		ck_assert_msg( pim_response_decode( &cut, &rsp, &text ) ==
			LDAP_PROTOCOL_ERROR, "prefix of %zu bytes accepted", len );
		ck_assert_ptr_nonnull( text );
		free( cut.bv_val );
	}
	free( full.bv_val );
}
END_TEST

START_TEST( test_response_invalid )
{
	struct berval full = sample_rsp_encoded(), longer;
	raw *r;

	longer = dup_exact( full.bv_val, full.bv_len );
	longer.bv_val = realloc( longer.bv_val, full.bv_len + 1 );
	longer.bv_val[full.bv_len] = 0x30;
	longer.bv_len++;
	free( full.bv_val );
	expect_rsp_error( longer, "response: trailing data after the SEQUENCE" );

	r = raw_new();
	raw_str( r, 0x80, "uid=u" );
	expect_rsp_error( raw_seq( r ),
		"response: unknown element tag inside the SEQUENCE" );

	r = raw_new();
	raw_str( r, 0x04, "cn=r" );
	expect_rsp_error( raw_seq( r ),
		"response: unknown element tag inside the SEQUENCE" );

	r = raw_new();
	raw_str( r, 0x89, "active" );
	raw_str( r, 0x81, "id" );
	expect_rsp_error( raw_seq( r ),
		"response: field [1] activation id out of order (fields must be "
		"in ascending tag order)" );

	r = raw_new();
	raw_str( r, 0x89, "active" );
	raw_str( r, 0x89, "expired" );
	expect_rsp_error( raw_seq( r ),
		"response: field [9] state given twice" );

	r = raw_new();
	raw_str( r, 0x89, "abcdefghijklmnopqrstuvwxyz0123456" );
	expect_rsp_error( raw_seq( r ),
		"response: field [9] state longer than 32 bytes" );

	r = raw_new();
	raw_str( r, 0x89, "" );
	expect_rsp_error( raw_seq( r ), "response: field [9] state is empty" );

	r = raw_new();
	raw_tlv( r, 0x89, "act\0ve", 6 );
	expect_rsp_error( raw_seq( r ),
		"response: field [9] state contains a NUL byte" );

	r = raw_new();
	raw_str( r, 0x85, "20240230000000Z" );
	expect_rsp_error( raw_seq( r ),
		"response: field [5] start time is not a valid GeneralizedTime" );

	r = raw_new();
	raw_byte( r, 0x8a, 0xff );
	expect_rsp_error( raw_seq( r ),
		"response: field [10] count must be 0 to 2147483647" );

	r = raw_new();
	raw_tlv( r, 0x8a, "\x01\x00\x00\x00\x00", 5 );
	expect_rsp_error( raw_seq( r ),
		"response: field [10] count must be 0 to 2147483647" );

	r = raw_new();
	raw_tlv( r, 0x8a, "", 0 );
	expect_rsp_error( raw_seq( r ),
		"response: field [10] count is not a valid INTEGER" );

	expect_rsp_error( dup_exact( "", 0 ), "response: missing value" );
	expect_rsp_error( dup_exact( "\x04\x00", 2 ), "response: not a SEQUENCE" );
}
END_TEST

START_TEST( test_response_encode_refuses )
{
	pim_response s;
	struct berval out;

#define REFUSE() do { \
		out.bv_val = (char *)"junk"; \
		ck_assert_int_eq( pim_response_encode( &s, &out ), -1 ); \
		ck_assert_ptr_null( out.bv_val ); \
	} while ( 0 )

	s = sample_rsp();
	s.ps_count = -1;
	REFUSE();
	s = sample_rsp();
	s.ps_fields |= 0x20U;
	REFUSE();
	s = sample_rsp();
	s.ps_state = pim_t_bv( "abcdefghijklmnopqrstuvwxyz0123456" );
	REFUSE();
	s = sample_rsp();
	s.ps_state = pim_t_bv( "" );
	REFUSE();
	s = sample_rsp();
	s.ps_end = -1;
	REFUSE();
#undef REFUSE
}
END_TEST

Suite *
pim_codec_suite( void )
{
	Suite *s = suite_create( "codec" );
	TCase *tc;

	tc = tcase_create( "request" );
	tcase_add_test( tc, test_verb_table );
	tcase_add_loop_test( tc, test_request_round_trip, 0, NSAMPLES );
	tcase_add_test( tc, test_request_wire_format );
	tcase_add_test( tc, test_request_otp );
	tcase_add_loop_test( tc, test_request_every_truncation, 0, NSAMPLES );
	tcase_add_loop_test( tc, test_request_trailing_byte, 0, NSAMPLES );
	tcase_add_test( tc, test_request_trailing_inside );
	tcase_add_test( tc, test_request_field_not_allowed );
	tcase_add_test( tc, test_request_field_allowed );
	tcase_add_test( tc, test_request_duplicate );
	tcase_add_test( tc, test_request_out_of_order );
	tcase_add_test( tc, test_request_unknown_tags );
	tcase_add_test( tc, test_request_oversized_strings );
	tcase_add_test( tc, test_request_too_large );
	tcase_add_test( tc, test_request_duration );
	tcase_add_test( tc, test_request_bad_time );
	tcase_add_test( tc, test_request_kind );
	tcase_add_test( tc, test_request_permanent );
	tcase_add_test( tc, test_request_embedded_nul );
	tcase_add_test( tc, test_request_empty_values );
	tcase_add_test( tc, test_request_end_and_permanent );
	tcase_add_test( tc, test_request_missing_required );
	tcase_add_test( tc, test_request_framing );
	tcase_add_test( tc, test_request_encode_refuses );
	suite_add_tcase( s, tc );

	tc = tcase_create( "response" );
	tcase_add_test( tc, test_response_round_trip );
	tcase_add_test( tc, test_response_partial );
	tcase_add_test( tc, test_response_every_truncation );
	tcase_add_test( tc, test_response_invalid );
	tcase_add_test( tc, test_response_encode_refuses );
	suite_add_tcase( s, tc );

	return s;
}
