/* fuzz_response.c - libFuzzer target: pim_response_decode().
 *
 * pimctl decodes what a server sends back, which may be any server.  The
 * input is the raw BER responseValue.  Checked beyond the sanitizers: a
 * refusal zeroes the response and says "response: ..."; an acceptance
 * holds only response fields, within their limits and pointing into the
 * input; the input is never written; and what decodes re-encodes to DER
 * that decodes to the same response and re-encodes to the same bytes.
 *
 * The input is copied into a heap buffer of exactly its size, so that
 * AddressSanitizer reports even a one-byte read past its end.
 */
#include <limits.h>
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

#define FUZZ_CHECK( cond ) do { \
	if ( !( cond ) ) { \
		fprintf( stderr, "fuzz_response: check failed: %s (line %d)\n", \
			#cond, __LINE__ ); \
		abort(); \
	} \
} while ( 0 )

#define RF_ALL	( PIM_RF_ID | PIM_RF_START | PIM_RF_END | PIM_RF_STATE | \
	PIM_RF_COUNT )

static int
rsp_same( const pim_response *a, const pim_response *b )
{
	return a->ps_fields == b->ps_fields &&
		pim_t_bv_same( &a->ps_id, &b->ps_id ) &&
		a->ps_start == b->ps_start &&
		a->ps_end == b->ps_end &&
		pim_t_bv_same( &a->ps_state, &b->ps_state ) &&
		a->ps_count == b->ps_count;
}

static void
check_fields( const pim_response *r, const struct berval *in )
{
	unsigned f = r->ps_fields;

	FUZZ_CHECK( ( f & ~RF_ALL ) == 0 );
	/* a present string is never empty */
	FUZZ_CHECK( pim_t_str_ok( &r->ps_id, f & PIM_RF_ID, in, 1, PIM_MAX_ID ) );
	FUZZ_CHECK( pim_t_str_ok( &r->ps_state, f & PIM_RF_STATE, in, 1,
		PIM_MAX_STATE ) );
	FUZZ_CHECK( ( f & PIM_RF_START ) ? r->ps_start >= 0 : r->ps_start == 0 );
	FUZZ_CHECK( ( f & PIM_RF_END ) ? r->ps_end >= 0 : r->ps_end == 0 );
	FUZZ_CHECK( ( f & PIM_RF_COUNT ) ?
		r->ps_count >= 0 && r->ps_count <= INT_MAX : r->ps_count == 0 );
}

static void
check_round_trip( const pim_response *rsp )
{
	struct berval der1, der2;
	pim_response again;
	const char *text;

	FUZZ_CHECK( pim_response_encode( rsp, &der1 ) == 0 );
	FUZZ_CHECK( pim_response_decode( &der1, &again, &text ) ==
		LDAP_SUCCESS );
	FUZZ_CHECK( rsp_same( rsp, &again ) );
	FUZZ_CHECK( pim_response_encode( &again, &der2 ) == 0 );
	FUZZ_CHECK( pim_t_bv_same( &der1, &der2 ) );
	ber_memfree( der1.bv_val );
	ber_memfree( der2.bv_val );
}

static void
fuzz_response( const struct berval *in )
{
	pim_response rsp;
	const char *text = "unset";
	int rc;

	memset( &rsp, 0xa5, sizeof( rsp ) );
	rc = pim_response_decode( in, &rsp, &text );
	if ( rc != LDAP_SUCCESS ) {
		FUZZ_CHECK( rc == LDAP_PROTOCOL_ERROR || rc == LDAP_NO_MEMORY );
		FUZZ_CHECK( text != NULL );
		FUZZ_CHECK( rc == LDAP_NO_MEMORY ||
			strncmp( text, "response: ", 10 ) == 0 );
		FUZZ_CHECK( pim_t_is_zero( &rsp, sizeof( rsp ) ) );
		return;
	}
	FUZZ_CHECK( text == NULL );
	check_fields( &rsp, in );
	check_round_trip( &rsp );
}

int
LLVMFuzzerTestOneInput( const uint8_t *data, size_t size )
{
	struct berval in;

	in.bv_len = size;
	in.bv_val = size ? malloc( size ) : NULL;
	if ( size && in.bv_val == NULL ) {
		return 0;
	}
	if ( size ) {
		memcpy( in.bv_val, data, size );
	}
	fuzz_response( &in );
	FUZZ_CHECK( size == 0 || memcmp( in.bv_val, data, size ) == 0 );
	free( in.bv_val );
	return 0;
}
