/* pim_chain.c - the audit record's canonical form and hash (see
 * pim_chain.h).  Pure: the overlay and pimctl link the same code, so a
 * record the overlay wrote verifies in pimctl byte for byte.
 */
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "pim_chain.h"

const char pim_chain_genesis[PIM_CHAIN_HEXLEN + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

const char *const pim_chain_attr[PIM_CH_NFIELDS] = {
	"pimAuditSeq", "pimAuditTime", "pimAuditEvent", "pimAuditActor",
	"pimAuditPrincipal", "pimAuditRole", "pimAuditId", "pimAuditStart",
	"pimAuditEnd", "pimAuditReason", "pimAuditTicket", "pimAuditResult",
	"pimAuditText", "pimAuditPeer", "pimAuditConnection", "pimAuditAlert",
	"pimAuditRef", "pimAuditAnchorSeq", "pimAuditAnchorHash",
	"pimAuditPrevHash"
};

void
pim_chain_hash( const pim_chain_rec *r, char hex[PIM_CHAIN_HEXLEN + 1] )
{
	static const char digits[] = "0123456789abcdef";
	static const char magic[] = "pim-audit-1\n";
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char len[32];
	int i, n;

	sha256_init( &ctx );
	sha256_update( &ctx, sizeof( magic ) - 1, (const uint8_t *)magic );
	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		if ( r->cr_f[i].cv_val == NULL )
			continue;
		/* the attribute's canonical spelling, so that a record read
		 * back with a differently cased name hashes the same */
		sha256_update( &ctx, strlen( pim_chain_attr[i] ),
			(const uint8_t *)pim_chain_attr[i] );
		n = snprintf( len, sizeof( len ), ":%zu:", r->cr_f[i].cv_len );
		sha256_update( &ctx, (size_t)n, (const uint8_t *)len );
		sha256_update( &ctx, r->cr_f[i].cv_len,
			(const uint8_t *)r->cr_f[i].cv_val );
		sha256_update( &ctx, 1, (const uint8_t *)"\n" );
	}
	sha256_digest( &ctx, SHA256_DIGEST_SIZE, digest );
	for ( i = 0; i < SHA256_DIGEST_SIZE; i++ ) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0x0f];
	}
	hex[PIM_CHAIN_HEXLEN] = '\0';
}
