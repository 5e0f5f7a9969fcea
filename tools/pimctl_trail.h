/* pimctl_trail.h - the audit trail as pimctl reads it (pimctl_trail.c),
 * shared by "pimctl audit", "pimctl alerts" and "pimctl watch".
 */
#ifndef PIMCTL_TRAIL_H
#define PIMCTL_TRAIL_H

#include "pimctl.h"
#include "pim_chain.h"

/* One record: each field's first value as stored (NUL-terminated
 * copies; r_len is the stored length), NULL when absent. */
typedef struct pimctl_rec {
	unsigned long	r_seq;
	char		*r_dn;
	char		*r_f[PIM_CH_NFIELDS];
	size_t		r_len[PIM_CH_NFIELDS];
	char		*r_hash;	/* pimAuditHash */
} pimctl_rec;

typedef int (pimctl_rec_fn)( pimctl *pc, pimctl_rec *r, void *arg );

/* These return an LDAP result code, not yet reported:
 * pimctl_trail_error() reports it and gives the exit status. */
int pimctl_trail_last( pimctl *pc, const char *base, unsigned long *last );
int pimctl_trail_first( pimctl *pc, const char *base, unsigned long last,
	unsigned long *first );
int pimctl_trail_walk( pimctl *pc, const char *base, unsigned long from,
	unsigned long to, const char *extra, pimctl_rec_fn *fn, void *arg,
	int *failed );
int pimctl_trail_error( pimctl *pc, int rc );

void pimctl_rec_hash( const pimctl_rec *r, char hex[PIM_CHAIN_HEXLEN + 1] );
void pimctl_rec_free( pimctl_rec *r );

/* pimctl_audit_out.c: one record in each output format */
char *pimctl_rec_details( const pimctl_rec *r );
void pimctl_rec_ldif( const pimctl_rec *r );
#define PIMCTL_REC_NCOLS	( PIM_CH_NFIELDS + 3 )	/* dn, hash, details */
extern const pimctl_column pimctl_rec_columns[PIMCTL_REC_NCOLS];
int pimctl_rec_cells( const pimctl_rec *r, char **cells );
int pimctl_rec_json_line( pimctl *pc, const pimctl_rec *r );
void pimctl_rec_line( pimctl *pc, pimctl_names *ns, const pimctl_rec *r );
/* "pimAuditPrincipal" -> "PIM_PRINCIPAL" (buf of at least 64) */
const char *pimctl_rec_envname( int field, char *buf, size_t size );

#endif /* PIMCTL_TRAIL_H */
