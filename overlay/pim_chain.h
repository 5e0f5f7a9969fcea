/* pim_chain.h - the audit record's canonical form and its hash chain.
 *
 * Pure code (no slapd dependency), shared by the overlay, which stamps
 * every record it writes, and pimctl, which verifies the trail: both
 * must serialize a record byte for byte the same way, so there is one
 * definition of the fields, their order and the serialization.
 *
 * A record's hash is the lowercase hex SHA-256 of
 *	"pim-audit-1\n"
 *	then, for each field present, in the order of enum pim_chain_field:
 *	<attribute name> ":" <decimal byte length> ":" <value> "\n"
 * The previous record's hash is one of the fields, which makes the
 * records a chain: changing, removing or inserting one breaks a link.
 * The length prefix makes the serialization unambiguous whatever the
 * values contain.
 */
#ifndef PIM_CHAIN_H
#define PIM_CHAIN_H

#include <stddef.h>

#define PIM_CHAIN_HEXLEN	64	/* SHA-256 in hex */

/* The previous hash of the very first record. */
extern const char pim_chain_genesis[PIM_CHAIN_HEXLEN + 1];

/* The fields an audit record's hash covers, in hash order.  Appending
 * a field is compatible with old records (absent fields are not
 * serialized); never reorder. */
enum pim_chain_field {
	PIM_CH_SEQ,		/* pimAuditSeq */
	PIM_CH_TIME,		/* pimAuditTime */
	PIM_CH_EVENT,		/* pimAuditEvent */
	PIM_CH_ACTOR,		/* pimAuditActor */
	PIM_CH_PRINCIPAL,	/* pimAuditPrincipal */
	PIM_CH_ROLE,		/* pimAuditRole */
	PIM_CH_ID,		/* pimAuditId */
	PIM_CH_START,		/* pimAuditStart */
	PIM_CH_END,		/* pimAuditEnd */
	PIM_CH_REASON,		/* pimAuditReason */
	PIM_CH_TICKET,		/* pimAuditTicket */
	PIM_CH_RESULT,		/* pimAuditResult */
	PIM_CH_TEXT,		/* pimAuditText */
	PIM_CH_PEER,		/* pimAuditPeer */
	PIM_CH_CONN,		/* pimAuditConnection */
	PIM_CH_ALERT,		/* pimAuditAlert */
	PIM_CH_REF,		/* pimAuditRef */
	PIM_CH_ANCHOR_SEQ,	/* pimAuditAnchorSeq */
	PIM_CH_ANCHOR_HASH,	/* pimAuditAnchorHash */
	PIM_CH_PREV,		/* pimAuditPrevHash */
	PIM_CH_NFIELDS
};

/* The attribute that holds each field; pimAuditHash holds the hash. */
extern const char *const pim_chain_attr[PIM_CH_NFIELDS];
#define PIM_CHAIN_HASH_ATTR	"pimAuditHash"

/* One record's field values; cv_val NULL: absent. */
typedef struct pim_chain_rec {
	struct {
		const char	*cv_val;
		size_t		cv_len;
	} cr_f[PIM_CH_NFIELDS];
} pim_chain_rec;

/* hex receives the record's hash, NUL-terminated. */
void pim_chain_hash( const pim_chain_rec *r, char hex[PIM_CHAIN_HEXLEN + 1] );

/* The ends of the trail.  Records are numbered 1, 2, ... without gaps
 * but for those retention removed from the start, so both ends are
 * found by probing "is there a record >= seq?" (le: "<= seq?"), which
 * the overlay answers with an internal search and pimctl with an LDAP
 * one (pim_seq_probe_filter gives both the filter).  A probe returns 0
 * and sets *found, or an error code, which the search returns. */
typedef int (pim_seq_probe_fn)( void *arg, unsigned long seq, int le,
	int *found );
/* The highest number present (0: none): doubling, then halving, about
 * 2 log2(n) probes. */
int pim_seq_highest( pim_seq_probe_fn *probe, void *arg,
	unsigned long *seq );
/* The lowest number present, given the highest, last (0: none). */
int pim_seq_lowest( pim_seq_probe_fn *probe, void *arg, unsigned long last,
	unsigned long *seq );
/* The probe's filter into buf (at least PIM_SEQ_FILTER_SIZE bytes). */
#define PIM_SEQ_FILTER_SIZE	96
void pim_seq_probe_filter( unsigned long seq, int le, char *buf,
	size_t size );

#endif /* PIM_CHAIN_H */
