/* pimctl_trail.c - reading the audit trail, in sequence order.
 *
 * The trail is one pimAuditRecord entry per event, named by its
 * sequence number.  A reader that is not the rootdn runs into the
 * server's size limit (500 entries by default) long before a year's
 * trail ends, so the trail is read in windows of sequence numbers,
 *	(&(objectClass=pimAuditRecord)(pimAuditSeq>=A)(pimAuditSeq<=B))
 * each well under any size limit, and handed out one record at a time
 * in order.  Its ends are found the way the overlay finds its head: by
 * probing "(pimAuditSeq>=N)" with a size limit of one.  Both are cheap
 * with "index pimAuditSeq eq".
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"
#include "pimctl_trail.h"

#define WINDOW	200	/* sequence numbers per search */

static char **
record_attrs( void )
{
	static char *attrs[PIM_CH_NFIELDS + 2];
	int i;

	if ( attrs[0] == NULL ) {
		for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
			attrs[i] = (char *)pim_chain_attr[i];
		}
		attrs[PIM_CH_NFIELDS] = PIM_CHAIN_HASH_ATTR;
		attrs[PIM_CH_NFIELDS + 1] = NULL;
	}
	return attrs;
}

/* A search with a size limit of our own; a size limit reached is not an
 * error.  Returns an LDAP result code (the caller reports it). */
static int
trail_search( pimctl *pc, const char *base, const char *filter,
	char **attrs, int sizelimit, LDAPMessage **res )
{
	int rc, err = LDAP_SUCCESS;

	*res = NULL;
	pimctl_verbose( pc, "search base=\"%s\" filter=\"%s\"", base, filter );
	rc = ldap_search_ext_s( pc->pc_ld, base, LDAP_SCOPE_SUBTREE, filter,
		attrs, 0, NULL, NULL, NULL, sizelimit, res );
	if ( *res == NULL ) {
		return rc;
	}
	rc = ldap_parse_result( pc->pc_ld, *res, &err, NULL, NULL, NULL,
		NULL, 0 );
	if ( rc != LDAP_SUCCESS ) {
		return rc;
	}
	return err == LDAP_SIZELIMIT_EXCEEDED ? LDAP_SUCCESS : err;
}

typedef struct trail_prober {
	pimctl		*tp_pc;
	const char	*tp_base;
} trail_prober;

/* pim_seq_probe_fn over an LDAP search of the trail. */
static int
probe( void *arg, unsigned long seq, int le, int *found )
{
	trail_prober *tp = arg;
	char filter[PIM_SEQ_FILTER_SIZE], *attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL;
	int rc;

	pim_seq_probe_filter( seq, le, filter, sizeof( filter ) );
	rc = trail_search( tp->tp_pc, tp->tp_base, filter, attrs, 1, &res );
	*found = rc == LDAP_SUCCESS &&
		ldap_count_entries( tp->tp_pc->pc_ld, res ) > 0;
	ldap_msgfree( res );
	return rc;
}

int
pimctl_trail_last( pimctl *pc, const char *base, unsigned long *last )
{
	trail_prober tp = { pc, base };

	return pim_seq_highest( probe, &tp, last );
}

/* The lowest sequence number present, given the highest (0: none). */
int
pimctl_trail_first( pimctl *pc, const char *base, unsigned long last,
	unsigned long *first )
{
	trail_prober tp = { pc, base };

	return pim_seq_lowest( probe, &tp, last, first );
}

/* --- records ---------------------------------------------------------- */

void
pimctl_rec_free( pimctl_rec *r )
{
	int i;

	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		ber_memfree( r->r_f[i] );
	}
	ber_memfree( r->r_hash );
	ldap_memfree( r->r_dn );
	memset( r, 0, sizeof( *r ) );
}

static void
rec_read( LDAP *ld, LDAPMessage *e, pimctl_rec *r )
{
	struct berval **vals;
	int i;

	memset( r, 0, sizeof( *r ) );
	r->r_dn = ldap_get_dn( ld, e );
	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		vals = ldap_get_values_len( ld, e, pim_chain_attr[i] );
		if ( vals && vals[0] ) {
			r->r_f[i] = ber_strndup( vals[0]->bv_val, vals[0]->bv_len );
			r->r_len[i] = vals[0]->bv_len;
		}
		ber_bvecfree( vals );
	}
	r->r_hash = pimctl_first_value( ld, e, PIM_CHAIN_HASH_ATTR );
	r->r_seq = r->r_f[PIM_CH_SEQ] ? strtoul( r->r_f[PIM_CH_SEQ], NULL, 10 ) : 0;
}

/* The hash r's fields give (what it should carry). */
void
pimctl_rec_hash( const pimctl_rec *r, char hex[PIM_CHAIN_HEXLEN + 1] )
{
	pim_chain_rec cr;
	int i;

	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		cr.cr_f[i].cv_val = r->r_f[i];
		cr.cr_f[i].cv_len = r->r_len[i];
	}
	pim_chain_hash( &cr, hex );
}

static int
rec_cmp( const void *a, const void *b )
{
	const pimctl_rec *x = a, *y = b;

	return ( x->r_seq > y->r_seq ) - ( x->r_seq < y->r_seq );
}

/* Each record from..to (to 0: the end) that also matches extra (a
 * filter, or NULL), in sequence order, to fn; fn returning non-zero
 * stops the walk with that value.  Returns 0, fn's value, or an LDAP
 * result code (> 0; not yet reported) of a failed search, which
 * *failed then says (1). */
int
pimctl_trail_walk( pimctl *pc, const char *base, unsigned long from,
	unsigned long to, const char *extra, pimctl_rec_fn *fn, void *arg,
	int *failed )
{
	unsigned long a, last = to;
	char *filter;
	size_t flen = 128 + ( extra ? strlen( extra ) : 0 );
	int rc = 0;

	*failed = 0;
	if ( last == 0 ) {
		rc = pimctl_trail_last( pc, base, &last );
		if ( rc != LDAP_SUCCESS ) {
			*failed = 1;
			return rc;
		}
	}
	filter = ber_memalloc( flen );
	if ( filter == NULL ) {
		*failed = 1;
		return LDAP_NO_MEMORY;
	}
	for ( a = from ? from : 1; rc == 0 && a <= last; a += WINDOW ) {
		LDAPMessage *res = NULL, *e;
		pimctl_rec *recs;
		int n = 0, i;

		snprintf( filter, flen, "(&(objectClass=pimAuditRecord)"
			"(pimAuditSeq>=%lu)(pimAuditSeq<=%lu)%s)", a,
			a + WINDOW - 1 < last ? a + WINDOW - 1 : last,
			extra ? extra : "" );
		rc = trail_search( pc, base, filter, record_attrs(), 0, &res );
		if ( rc != LDAP_SUCCESS ) {
			ldap_msgfree( res );
			*failed = 1;
			break;
		}
		recs = ber_memcalloc( ldap_count_entries( pc->pc_ld, res ) + 1,
			sizeof( *recs ) );
		for ( e = ldap_first_entry( pc->pc_ld, res ); e && recs;
			e = ldap_next_entry( pc->pc_ld, e ) )
		{
			rec_read( pc->pc_ld, e, &recs[n++] );
		}
		ldap_msgfree( res );
		qsort( recs, n, sizeof( *recs ), rec_cmp );
		for ( i = 0; i < n; i++ ) {
			if ( rc == 0 ) {
				rc = fn( pc, &recs[i], arg );
			}
			pimctl_rec_free( &recs[i] );
		}
		ber_memfree( recs );
	}
	ber_memfree( filter );
	return rc;
}

int
pimctl_trail_error( pimctl *pc, int rc )
{
	return pimctl_ld_error( pc, "audit trail", rc );
}
