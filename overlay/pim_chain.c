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

/* --- the ends of the trail -------------------------------------------- */

void
pim_seq_probe_filter( unsigned long seq, int le, char *buf, size_t size )
{
	snprintf( buf, size, "(&(objectClass=pimAuditRecord)(pimAuditSeq%c=%lu))",
		le ? '<' : '>', seq );
}

int
pim_seq_highest( pim_seq_probe_fn *probe, void *arg, unsigned long *seq )
{
	unsigned long lo = 0, hi = 1, mid;
	int rc, found;

	for ( ;; ) {
		if ( ( rc = probe( arg, hi, 0, &found ) ) != 0 )
			return rc;
		if ( !found )
			break;
		lo = hi;
		hi *= 2;
	}
	/* a record >= lo exists (or lo == 0), none >= hi */
	while ( hi - lo > 1 ) {
		mid = lo + ( hi - lo ) / 2;
		if ( ( rc = probe( arg, mid, 0, &found ) ) != 0 )
			return rc;
		if ( found )
			lo = mid;
		else
			hi = mid;
	}
	*seq = lo;
	return 0;
}

int
pim_seq_lowest( pim_seq_probe_fn *probe, void *arg, unsigned long last,
	unsigned long *seq )
{
	unsigned long lo = 1, hi = last, mid;
	int rc, found;

	*seq = 0;
	if ( last == 0 )
		return 0;
	/* the smallest N for which a record <= N exists */
	while ( lo < hi ) {
		mid = lo + ( hi - lo ) / 2;
		if ( ( rc = probe( arg, mid, 1, &found ) ) != 0 )
			return rc;
		if ( found )
			hi = mid;
		else
			lo = mid + 1;
	}
	*seq = lo;
	return 0;
}
