/* pimctl_audit.c - "pimctl audit": the audit trail, and its verification.
 *
 *	pimctl audit [--since T] [--until T] [--user U] [--role R]
 *		[--event E] [--ldif | --json] [--dn]
 * lists the records that match, oldest first, as a table:
 *	  SEQ  TIME                  EVENT      ACTOR  PRINCIPAL  ROLE                ID        DETAILS
 *	  12   2026-01-05 09:14:02Z  activated  demo   demo       User Administrator  0f8c...   reason="onboarding"
 * --user matches the principal or the actor; --event takes a name such
 * as "activated", or a pattern with '*' ("refused*").
 *
 *	pimctl audit verify
 * walks the whole chain in sequence order, recomputing each record's
 * hash (pim_chain.c, the overlay's own code) and checking each link,
 * and names the first record that was changed, removed or inserted.
 * Records below the lowest one left must have been removed by
 * retention, which an anchor record vouches for.  Exit status 0 when
 * the chain is intact, PIMCTL_EX_BROKEN when it is not.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pimctl.h"
#include "pimctl_trail.h"
#include "pim_time.h"

/* --since/--until: a time as elsewhere in pimctl, or a duration ago
 * ("1h", "-1h"). */
static int
parse_when( pimctl *pc, const char *opt, const char *s, time_t *t )
{
	time_t now = time( NULL );
	long secs;

	if ( pim_duration_parse( s + ( *s == '-' ), strlen( s + ( *s == '-' ) ),
		&secs ) == 0 )
	{
		*t = now - secs;
		return 0;
	}
	return pimctl_parse_time( pc, opt, s, now, t );
}

/* value escaped for a filter, but for '*' (a pattern's wildcard). */
static char *
escape_keep_star( const char *value )
{
	size_t cap = 3 * strlen( value ) + 1, n = 0;
	char *esc = ber_memalloc( cap );
	const char *p;

	if ( esc == NULL ) {
		return NULL;
	}
	for ( p = value; *p; p++ ) {
		if ( strchr( "()\\", *p ) ) {
			n += snprintf( esc + n, cap - n, "\\%02x", (unsigned char)*p );
		} else {
			esc[n++] = *p;
		}
	}
	esc[n] = '\0';
	return esc;
}

/* Append the pieces (up to a NULL) to *filter. */
static int
append( char **filter, ... )
{
	va_list ap;
	const char *piece;
	size_t len = *filter ? strlen( *filter ) : 0;
	char *out;

	va_start( ap, filter );
	while ( ( piece = va_arg( ap, const char * ) ) != NULL ) {
		len += strlen( piece );
	}
	va_end( ap );
	out = ber_memrealloc( *filter, len + 1 );
	if ( out == NULL ) {
		return -1;
	}
	if ( *filter == NULL ) {
		out[0] = '\0';
	}
	va_start( ap, filter );
	while ( ( piece = va_arg( ap, const char * ) ) != NULL ) {
		strcat( out, piece );
	}
	va_end( ap );
	*filter = out;
	return 0;
}

/* "(attr=value)" appended to *filter, value escaped (but for '*', a
 * pattern's wildcard, when keep_star); with attr2, "(|(attr=value)
 * (attr2=value))". */
static int
add_clause( char **filter, const char *attr, const char *attr2,
	const char *value, int keep_star )
{
	char *esc = NULL;
	int rc;

	if ( keep_star ) {
		esc = escape_keep_star( value );
	} else if ( pimctl_filter_escape( value, &esc ) != 0 ) {
		esc = NULL;
	}
	if ( esc == NULL ) {
		return -1;
	}
	if ( attr2 == NULL ) {
		rc = append( filter, "(", attr, "=", esc, ")", (char *)NULL );
	} else {
		rc = append( filter, "(|(", attr, "=", esc, ")(", attr2, "=", esc,
			"))", (char *)NULL );
	}
	ber_memfree( esc );
	return rc;
}

/* The extra filter the options ask for; *filter NULL when none. */
static int
audit_filter( pimctl *pc, char **filter )
{
	pimctl_args *a = &pc->pc_args;
	char buf[PIM_GENTIME_BUFSIZE], *dn = NULL;
	time_t t;
	int rc = 0;

	*filter = NULL;
	if ( a->a_since ) {
		if ( ( rc = parse_when( pc, "--since", a->a_since, &t ) ) != 0 ) {
			return rc;
		}
		pim_gentime_format( t, buf, sizeof( buf ) );
		rc = add_clause( filter, "pimAuditTime>", NULL, buf, 0 );
	}
	if ( rc == 0 && a->a_until ) {
		if ( ( rc = parse_when( pc, "--until", a->a_until, &t ) ) != 0 ) {
			return rc;
		}
		pim_gentime_format( t, buf, sizeof( buf ) );
		rc = add_clause( filter, "pimAuditTime<", NULL, buf, 0 );
	}
	if ( rc == 0 && a->a_user ) {
		if ( ( rc = pimctl_resolve_user( pc, a->a_user, &dn ) ) != 0 ) {
			return rc;
		}
		rc = add_clause( filter, "pimAuditPrincipal", "pimAuditActor",
			dn, 0 );
		ber_memfree( dn );
	}
	if ( rc == 0 && a->a_role ) {
		if ( ( rc = pimctl_resolve_role( pc, a->a_role, &dn ) ) != 0 ) {
			return rc;
		}
		rc = add_clause( filter, "pimAuditRole", NULL, dn, 0 );
		ber_memfree( dn );
	}
	if ( rc == 0 && a->a_event ) {
		rc = add_clause( filter, "pimAuditEvent", NULL, a->a_event, 1 );
	}
	if ( rc != 0 ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	return 0;
}

/* --- listing ------------------------------------------------------------- */

typedef struct audit_list {
	pimctl_table	al_table;
	int		al_n;
} audit_list;

static int
list_one( pimctl *pc, pimctl_rec *r, void *arg )
{
	audit_list *al = arg;
	char *c[PIMCTL_REC_NCOLS];

	if ( pc->pc_args.a_ldif ) {
		pimctl_rec_ldif( r );
	} else if ( pimctl_rec_cells( r, c ) != 0 ||
		pimctl_table_add( &al->al_table, c ) != 0 )
	{
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	al->al_n++;
	return 0;
}

static int
audit_list_run( pimctl *pc, const char *base )
{
	audit_list al;
	char *filter = NULL;
	unsigned long last = 0, first = 0;
	int rc, rc2, failed = 0;

	memset( &al, 0, sizeof( al ) );
	pimctl_table_init( &al.al_table, pc, PIMCTL_REC_NCOLS,
		pimctl_rec_columns );
	if ( ( rc = audit_filter( pc, &filter ) ) != 0 ) {
		return rc;
	}
	rc = pimctl_trail_last( pc, base, &last );
	if ( rc == LDAP_SUCCESS ) {
		rc = pimctl_trail_first( pc, base, last, &first );
	}
	if ( rc != LDAP_SUCCESS ) {
		rc = pimctl_trail_error( pc, rc );
		goto done;
	}
	if ( last != 0 ) {
		rc = pimctl_trail_walk( pc, base, first, last, filter, list_one,
			&al, &failed );
		if ( failed ) {
			rc = pimctl_trail_error( pc, rc );
		}
	}
	if ( !pc->pc_args.a_ldif ) {
		rc2 = pimctl_output_one( pc, &al.al_table, NULL, filter ?
			"No audit records match." : "No audit records." );
		rc = rc ? rc : rc2;
	}
done:
	pimctl_table_free( &al.al_table );
	ber_memfree( filter );
	return rc;
}

/* --- verify -------------------------------------------------------------- */

typedef struct chain_walk {
	unsigned long	cw_prev_seq;	/* 0: none seen yet */
	char		cw_prev_hash[PIM_CHAIN_HEXLEN + 1];
	unsigned long	cw_count;
	unsigned long	cw_anchor;	/* highest anchored sequence; 0: none */
	char		cw_anchor_hash[PIM_CHAIN_HEXLEN + 1];
	unsigned long	cw_anchor_rec;	/* the anchor record itself */
} chain_walk;

static int
broken( const char *fmt, ... ) __attribute__(( format( printf, 1, 2 ) ));

static int
broken( const char *fmt, ... )
{
	va_list ap;

	printf( "The audit trail is broken: " );
	va_start( ap, fmt );
	vprintf( fmt, ap );
	va_end( ap );
	printf( ".\n" );
	return PIMCTL_EX_BROKEN;
}

static int
same_hash( const char *a, const char *b )
{
	return a != NULL && b != NULL && strcasecmp( a, b ) == 0;
}

/* The first record left: record 1 starts the chain; any later one must
 * follow an anchor that retention left. */
static int
verify_start( chain_walk *cw, pimctl_rec *r )
{
	const char *prev = r->r_f[PIM_CH_PREV];

	if ( r->r_seq == 1 ) {
		if ( !same_hash( prev, pim_chain_genesis ) ) {
			return broken( "record 1 does not start the chain (its "
				"previous hash is not the genesis value): it was "
				"replaced" );
		}
		return 0;
	}
	if ( cw->cw_anchor == 0 || cw->cw_anchor + 1 < r->r_seq ) {
		if ( cw->cw_anchor == 0 ) {
			return broken( "records 1 to %lu were removed (no anchor "
				"record accounts for them)", r->r_seq - 1 );
		}
		return broken( "records %lu to %lu were removed (anchor record "
			"%lu accounts only for records up to %lu)",
			cw->cw_anchor + 1, r->r_seq - 1, cw->cw_anchor_rec,
			cw->cw_anchor );
	}
	if ( cw->cw_anchor + 1 == r->r_seq && !same_hash( prev, cw->cw_anchor_hash ) ) {
		return broken( "record %lu does not follow on from record %lu, "
			"which anchor record %lu accounts for: record %lu was "
			"replaced or inserted", r->r_seq, cw->cw_anchor,
			cw->cw_anchor_rec, r->r_seq );
	}
	return 0;
}

static int
verify_one( pimctl *pc, pimctl_rec *r, void *arg )
{
	chain_walk *cw = arg;
	char hash[PIM_CHAIN_HEXLEN + 1];
	int rc;

	pimctl_rec_hash( r, hash );
	if ( !same_hash( hash, r->r_hash ) ) {
		return broken( "record %lu (%s) was changed: its content does not "
			"match its hash", r->r_seq, r->r_dn ? r->r_dn : "?" );
	}
	if ( cw->cw_prev_seq == 0 ) {
		if ( ( rc = verify_start( cw, r ) ) != 0 ) {
			return rc;
		}
	} else if ( r->r_seq != cw->cw_prev_seq + 1 ) {
		if ( r->r_seq == cw->cw_prev_seq + 2 ) {
			return broken( "record %lu was removed", cw->cw_prev_seq + 1 );
		}
		return broken( "records %lu to %lu were removed",
			cw->cw_prev_seq + 1, r->r_seq - 1 );
	} else if ( !same_hash( r->r_f[PIM_CH_PREV], cw->cw_prev_hash ) ) {
		return broken( "record %lu does not follow on from record %lu: "
			"record %lu was replaced or inserted", r->r_seq,
			cw->cw_prev_seq, r->r_seq );
	}
	/* a purge cut short leaves records its anchor accounts for */
	if ( r->r_seq == cw->cw_anchor && !same_hash( r->r_hash, cw->cw_anchor_hash ) ) {
		return broken( "record %lu is not the record anchor record %lu "
			"accounts for: it was replaced", r->r_seq, cw->cw_anchor_rec );
	}
	cw->cw_prev_seq = r->r_seq;
	snprintf( cw->cw_prev_hash, sizeof( cw->cw_prev_hash ), "%s", r->r_hash );
	cw->cw_count++;
	return 0;
}

/* The anchor that accounts for the records below first: the one that
 * names the highest sequence number. */
static int
anchor_take( pimctl *pc, pimctl_rec *r, void *arg )
{
	chain_walk *cw = arg;
	const char *a = r->r_f[PIM_CH_ANCHOR_SEQ], *h = r->r_f[PIM_CH_ANCHOR_HASH];
	unsigned long s = a ? strtoul( a, NULL, 10 ) : 0;

	if ( s > cw->cw_anchor && h != NULL ) {
		cw->cw_anchor = s;
		cw->cw_anchor_rec = r->r_seq;
		snprintf( cw->cw_anchor_hash, sizeof( cw->cw_anchor_hash ), "%s", h );
	}
	return 0;
}

/* No record is readable.  PIM creates an audit container with its
 * first record and never removes the last one (retention leaves an
 * anchor), so a visible container means records this identity may not
 * read; no visible container, a trail that is empty or hidden (PIM
 * shows it to administrators and auditors only).  Either way nothing
 * was verified, which a script must not take for "intact". */
static int
audit_none_readable( pimctl *pc, const char *base )
{
	char *attrs[] = { "1.1", NULL };
	LDAPMessage *res = NULL;
	int rc, containers = 0;

	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE,
		"(objectClass=pimAuditLog)", attrs, &res );
	if ( rc == LDAP_SUCCESS )
		containers = ldap_count_entries( pc->pc_ld, res );
	ldap_msgfree( res );
	if ( containers > 0 )
		pimctl_error( pc, "audit verify: the audit trail exists, but no "
			"record of it is readable with this identity: nothing was "
			"verified (bind as a PIM administrator or auditor)" );
	else
		pimctl_error( pc, "audit verify: no audit record is readable: "
			"the trail is empty, or hidden from this identity (PIM "
			"shows it to administrators and auditors); nothing was "
			"verified" );
	return PIMCTL_EX_UNREADABLE;
}

static int
audit_verify_chain( pimctl *pc, const char *base )
{
	chain_walk cw;
	unsigned long last = 0, first = 0;
	char extra[96];
	int rc, failed = 0;

	memset( &cw, 0, sizeof( cw ) );
	rc = pimctl_trail_last( pc, base, &last );
	if ( rc == LDAP_SUCCESS ) {
		rc = pimctl_trail_first( pc, base, last, &first );
	}
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_trail_error( pc, rc );
	}
	if ( last == 0 )
		return audit_none_readable( pc, base );
	if ( first > 1 ) {
		snprintf( extra, sizeof( extra ), "(pimAuditEvent=anchor)"
			"(pimAuditAnchorSeq>=%lu)", first - 1 );
		rc = pimctl_trail_walk( pc, base, first, last, extra, anchor_take,
			&cw, &failed );
		if ( failed ) {
			return pimctl_trail_error( pc, rc );
		}
	}
	rc = pimctl_trail_walk( pc, base, first, last, NULL, verify_one, &cw,
		&failed );
	if ( failed ) {
		return pimctl_trail_error( pc, rc );
	}
	if ( rc == 0 ) {
		printf( "The audit trail is intact: %lu records, %lu to %lu%s.\n"
			"Its last hash is %s.\n", cw.cw_count, first, last,
			first > 1 ? " (the earlier ones removed by retention)" : "",
			cw.cw_prev_hash );
	}
	return rc;
}

/* Every audit container under base is a chain of its own (one per
 * provider in a multi-provider setup): each is verified on its own and
 * named; the worst status is the answer. */
static int
audit_verify( pimctl *pc, const char *base )
{
	char *attrs[] = { "1.1", NULL };
	LDAPMessage *res = NULL, *e;
	int rc, worst = 0, n;

	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE,
		"(objectClass=pimAuditLog)", attrs, &res );
	n = rc == LDAP_SUCCESS ? ldap_count_entries( pc->pc_ld, res ) : 0;
	if ( n <= 1 ) {
		ldap_msgfree( res );
		return audit_verify_chain( pc, base );
	}
	for ( e = ldap_first_entry( pc->pc_ld, res ); e != NULL;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		char *dn = ldap_get_dn( pc->pc_ld, e );

		printf( "%s:\n", dn ? dn : "?" );
		fflush( stdout );
		rc = dn ? audit_verify_chain( pc, dn ) : PIMCTL_EX_CLIENT;
		if ( rc != 0 && ( worst == 0 || rc == PIMCTL_EX_BROKEN ) )
			worst = rc;
		ldap_memfree( dn );
	}
	ldap_msgfree( res );
	return worst;
}

int
pimctl_cmd_audit( pimctl *pc, int argc, char **argv )
{
	const char *base;
	int verify = 0, rc;

	if ( argc == 1 ) {
		if ( strcmp( argv[0], "verify" ) != 0 ) {
			pimctl_error( pc, "unknown argument '%s' (did you mean "
				"verify?)", argv[0] );
			return PIMCTL_EX_USAGE;
		}
		verify = 1;
	}
	if ( pc->pc_args.a_ldif && ( pc->pc_args.a_json || pc->pc_args.a_csv ) ) {
		pimctl_error( pc, "--ldif and --%s exclude each other",
			pc->pc_args.a_json ? "json" : "csv" );
		return PIMCTL_EX_USAGE;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc != 0 ) {
		return rc;
	}
	return verify ? audit_verify( pc, base ) : audit_list_run( pc, base );
}
