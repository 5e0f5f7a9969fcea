/* fuzz_request.c - libFuzzer target: pim_request_decode() for every verb.
 *
 * The input is the raw BER value of an extended request; each input is
 * decoded as each verb in turn.  Beyond "no crash, no sanitizer
 * report", every result is checked against the contract in pim_codec.h:
 * a refusal leaves the request zeroed with a diagnostic naming the verb;
 * an acceptance only holds fields the verb allows, all it requires, each
 * within its limits and pointing into the input; the input is never
 * written; and what decodes re-encodes (as DER), decodes again to the
 * same request, and re-encodes to the very same bytes.
 *
 * The same bytes also make a request for pim_request_encode() (see
 * recipe()), with any field values at all: whatever the encoder accepts
 * must decode to exactly what it was given.
 *
 * The input is copied into a heap buffer of exactly its size, so that
 * AddressSanitizer reports even a one-byte read past its end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lber.h>
#include <ldap.h>

#include "pim_codec.h"
#include "pim_test_util.h"
#include "pim_time.h"

int LLVMFuzzerTestOneInput( const uint8_t *data, size_t size );

/* An invariant broken: say which and crash, so libFuzzer keeps the input. */
#define FUZZ_CHECK( cond, verb ) do { \
	if ( !( cond ) ) { \
		fprintf( stderr, "fuzz_request: %s: check failed: %s (line %d)\n", \
			pim_verb_name( verb ), #cond, __LINE__ ); \
		abort(); \
	} \
} while ( 0 )

/* Same fields, same values (strings by content: they point into
 * different buffers). */
static int
req_same( const pim_request *a, const pim_request *b )
{
	return a->pr_fields == b->pr_fields &&
		pim_t_bv_same( &a->pr_role, &b->pr_role ) &&
		pim_t_bv_same( &a->pr_principal, &b->pr_principal ) &&
		pim_t_bv_same( &a->pr_id, &b->pr_id ) &&
		a->pr_duration == b->pr_duration &&
		pim_t_bv_same( &a->pr_justification, &b->pr_justification ) &&
		pim_t_bv_same( &a->pr_ticket, &b->pr_ticket ) &&
		a->pr_start == b->pr_start &&
		a->pr_end == b->pr_end &&
		a->pr_kind == b->pr_kind &&
		a->pr_permanent == b->pr_permanent &&
		pim_t_bv_same( &a->pr_otp, &b->pr_otp );
}

static void
check_refusal( enum pim_verb verb, int rc, const char *text,
	const pim_request *req )
{
	const char *name = pim_verb_name( verb );

	FUZZ_CHECK( rc == LDAP_PROTOCOL_ERROR || rc == LDAP_NO_MEMORY, verb );
	FUZZ_CHECK( text != NULL, verb );
	/* Diagnostics name the verb ("activate request: ..."). */
	FUZZ_CHECK( rc == LDAP_NO_MEMORY ||
		( strncmp( text, name, strlen( name ) ) == 0 &&
		  strncmp( text + strlen( name ), " request: ", 10 ) == 0 ),
		verb );
	FUZZ_CHECK( pim_t_is_zero( req, sizeof( *req ) ), verb );
}

static void
check_fields( enum pim_verb verb, const pim_request *r,
	const struct berval *in )
{
	unsigned f = r->pr_fields;

	FUZZ_CHECK( ( f & ~pim_verb_allowed( verb ) ) == 0, verb );
	FUZZ_CHECK( ( pim_verb_required( verb ) & ~f ) == 0, verb );
	FUZZ_CHECK( !( ( f & PIM_F_END ) && ( f & PIM_F_PERMANENT ) ), verb );
	FUZZ_CHECK( pim_t_str_ok( &r->pr_role, 1, in, 1, PIM_MAX_DN ), verb );
	FUZZ_CHECK( pim_t_str_ok( &r->pr_principal, f & PIM_F_PRINCIPAL, in,
		1, PIM_MAX_DN ), verb );
	FUZZ_CHECK( pim_t_str_ok( &r->pr_id, f & PIM_F_ID, in, 1, PIM_MAX_ID ), verb );
	FUZZ_CHECK( pim_t_str_ok( &r->pr_justification, f & PIM_F_JUSTIFICATION,
		in, 0, PIM_MAX_TEXT ), verb );
	FUZZ_CHECK( pim_t_str_ok( &r->pr_ticket, f & PIM_F_TICKET, in,
		0, PIM_MAX_TICKET ), verb );
	FUZZ_CHECK( pim_t_str_ok( &r->pr_otp, f & PIM_F_OTP, in, 1, PIM_MAX_OTP ),
		verb );
	FUZZ_CHECK( ( f & PIM_F_DURATION ) ?
		r->pr_duration >= 1 && r->pr_duration <= PIM_DURATION_MAX :
		r->pr_duration == 0, verb );
	FUZZ_CHECK( ( f & PIM_F_START ) ? r->pr_start >= 0 : r->pr_start == 0,
		verb );
	FUZZ_CHECK( ( f & PIM_F_END ) ? r->pr_end >= 0 : r->pr_end == 0, verb );
	FUZZ_CHECK( r->pr_kind == PIM_KIND_ELIGIBLE ||
		( ( f & PIM_F_KIND ) && r->pr_kind == PIM_KIND_ACTIVE ), verb );
	FUZZ_CHECK( r->pr_permanent == 0 ||
		( ( f & PIM_F_PERMANENT ) && r->pr_permanent == 1 ), verb );
}

/* Whatever decodes must re-encode; the DER it gives decodes to the same
 * request and is a fixed point of decode + encode. */
static void
check_round_trip( enum pim_verb verb, const pim_request *req )
{
	struct berval der1, der2;
	pim_request again;
	const char *text;

	FUZZ_CHECK( pim_request_encode( verb, req, &der1 ) == 0, verb );
	FUZZ_CHECK( pim_request_decode( verb, &der1, &again, &text ) ==
		LDAP_SUCCESS, verb );
	FUZZ_CHECK( req_same( req, &again ), verb );
	FUZZ_CHECK( pim_request_encode( verb, &again, &der2 ) == 0, verb );
	FUZZ_CHECK( pim_t_bv_same( &der1, &der2 ), verb );
	ber_memfree( der1.bv_val );
	ber_memfree( der2.bv_val );
}

static void
fuzz_verb( enum pim_verb verb, const struct berval *in )
{
	pim_request req;
	const char *text = "unset";
	int rc;

	/* Garbage in *req must not leak into the result. */
	memset( &req, 0xa5, sizeof( req ) );
	rc = pim_request_decode( verb, in, &req, &text );
	if ( rc != LDAP_SUCCESS ) {
		check_refusal( verb, rc, text, &req );
		return;
	}
	FUZZ_CHECK( text == NULL, verb );
	check_fields( verb, &req, in );
	check_round_trip( verb, &req );
}

/* --- the encoder, fed a request built from the input ------------------- */

/* A little-endian integer of n bytes at p, sign-extended. */
static int64_t
take_int( const uint8_t *p, int n )
{
	uint64_t v = 0;
	int i;

	for ( i = n - 1; i >= 0; i-- ) {
		v = ( v << 8 ) | p[i];
	}
	if ( n < 8 && ( v >> ( 8 * n - 1 ) ) ) {
		v |= ~(uint64_t)0 << ( 8 * n );
	}
	return (int64_t)v;
}

/* The header of a recipe: fields (2 bytes, unknown bits included), verb,
 * duration (4), start (8), end (8), kind, permanent, flags; then the
 * strings, separated by 0xff bytes. */
#define RECIPE_HEADER	27

/* Build a request, the encoder's input, from the bytes: any field
 * values at all, including ones the encoder must refuse.  Strings point
 * into buf (a copy the caller frees). */
static enum pim_verb
recipe( const uint8_t *data, size_t size, char *buf, pim_request *r )
{
	struct berval *strs[] = { &r->pr_role, &r->pr_principal, &r->pr_id,
		&r->pr_justification, &r->pr_ticket, &r->pr_otp };
	size_t pos = RECIPE_HEADER, i, end;

	memset( r, 0, sizeof( *r ) );
	r->pr_fields = (unsigned)take_int( data, 2 ) & 0xffffU;
	r->pr_duration = (long)take_int( data + 3, 4 );
	r->pr_start = (time_t)take_int( data + 7, 8 );
	r->pr_end = (time_t)take_int( data + 15, 8 );
	r->pr_kind = (signed char)data[23];
	r->pr_permanent = (signed char)data[24];
	for ( i = 0; i < sizeof( strs ) / sizeof( strs[0] ) && pos <= size; i++ ) {
		for ( end = pos; end < size && data[end] != 0xff; end++ )
			;
		strs[i]->bv_val = buf + pos;
		strs[i]->bv_len = end - pos;
		pos = end + 1;
	}
	/* A length with no bytes behind it must be refused, not read. */
	if ( data[25] & 1 ) {
		r->pr_principal.bv_val = NULL;
	}
	if ( data[25] & 2 ) {
		r->pr_role.bv_val = NULL;
	}
	return (enum pim_verb)( data[2] % PIM_VERB_COUNT );
}

/* The fields the request carries, as the decoder would give them back. */
static int
present_same( const pim_request *a, const pim_request *d )
{
	unsigned f = a->pr_fields;

	return f == d->pr_fields &&
		pim_t_bv_same( &a->pr_role, &d->pr_role ) &&
		( !( f & PIM_F_PRINCIPAL ) ||
		  pim_t_bv_same( &a->pr_principal, &d->pr_principal ) ) &&
		( !( f & PIM_F_ID ) || pim_t_bv_same( &a->pr_id, &d->pr_id ) ) &&
		( !( f & PIM_F_DURATION ) || a->pr_duration == d->pr_duration ) &&
		( !( f & PIM_F_JUSTIFICATION ) ||
		  pim_t_bv_same( &a->pr_justification, &d->pr_justification ) ) &&
		( !( f & PIM_F_TICKET ) || pim_t_bv_same( &a->pr_ticket, &d->pr_ticket ) ) &&
		( !( f & PIM_F_START ) || a->pr_start == d->pr_start ) &&
		( !( f & PIM_F_END ) || a->pr_end == d->pr_end ) &&
		( !( f & PIM_F_KIND ) || a->pr_kind == d->pr_kind ) &&
		( !( f & PIM_F_PERMANENT ) || a->pr_permanent == d->pr_permanent ) &&
		( !( f & PIM_F_OTP ) || pim_t_bv_same( &a->pr_otp, &d->pr_otp ) );
}

/* Whatever the encoder accepts decodes to what it was given; whatever
 * it refuses leaves *out empty. */
static void
fuzz_encoder( const uint8_t *data, size_t size )
{
	struct berval out;
	pim_request req, back;
	enum pim_verb verb;
	const char *text;
	char *buf;

	if ( size < RECIPE_HEADER ) {
		return;
	}
	buf = malloc( size );
	if ( buf == NULL ) {
		return;
	}
	memcpy( buf, data, size );
	verb = recipe( data, size, buf, &req );
	if ( pim_request_encode( verb, &req, &out ) != 0 ) {
		FUZZ_CHECK( out.bv_val == NULL && out.bv_len == 0, verb );
	} else {
		FUZZ_CHECK( pim_request_decode( verb, &out, &back, &text ) ==
			LDAP_SUCCESS, verb );
		FUZZ_CHECK( present_same( &req, &back ), verb );
		ber_memfree( out.bv_val );
	}
	free( buf );
}

int
LLVMFuzzerTestOneInput( const uint8_t *data, size_t size )
{
	struct berval in;
	pim_request req;
	int v;

	/* Exactly size bytes, so ASan sees any read past the end; an empty
	 * input is tested both as a NULL and as a non-NULL pointer. */
	in.bv_len = size;
	in.bv_val = size ? malloc( size ) : NULL;
	if ( size && in.bv_val == NULL ) {
		return 0;
	}
	if ( size ) {
		memcpy( in.bv_val, data, size );
	}
	for ( v = 0; v < PIM_VERB_COUNT; v++ ) {
		fuzz_verb( (enum pim_verb)v, &in );
	}
	/* The decoder takes a const berval: it must not write the input. */
	FUZZ_CHECK( size == 0 || memcmp( in.bv_val, data, size ) == 0,
		PIM_VERB_COUNT );
	if ( size == 0 ) {
		in.bv_val = (char *)data;
		fuzz_verb( PIM_VERB_ACTIVATE, &in );
	}
	/* An unknown verb is refused, never indexed with. */
	FUZZ_CHECK( pim_request_decode( PIM_VERB_COUNT, &in, &req, NULL ) ==
		LDAP_PROTOCOL_ERROR, PIM_VERB_COUNT );
	free( size ? in.bv_val : NULL );

	fuzz_encoder( data, size );
	return 0;
}
