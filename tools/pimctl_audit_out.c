/* pimctl_audit_out.c - an audit record as people and programs read it.
 *
 * Machines get every field exactly as stored: --ldif (what ldapsearch
 * would print, hash included, so that the output can be archived and
 * verified elsewhere), --json (one object per record, named after the
 * attributes without their "pimAudit" prefix, null when absent) or
 * --csv (the same keys).  The table view and --json/--csv are one
 * table of columns (pimctl_rec_columns), as for every listing.  People get a table
 * or, from "pimctl watch", one line per event.  Programs started by
 * "pimctl watch --exec" get the fields in PIM_* environment variables.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "pimctl.h"
#include <ldif.h>	/* after ldap.h: it needs lber types */
#include "pimctl_trail.h"
#include "pim_time.h"

#define PREFIX		"pimAudit"
#define PREFIXLEN	( sizeof( PREFIX ) - 1 )

#define RAW		PIMCTL_COL_RAW
#define NUM		( PIMCTL_COL_RAW | PIMCTL_COL_NUMBER )

/* The record's DN, its fields in pim_chain_attr's order, its hash,
 * and for people its details: the keys are the documented names of
 * --json (pimctl(1)), which --csv shares. */
const pimctl_column pimctl_rec_columns[PIMCTL_REC_NCOLS] = {
	{ NULL,		"dn",		RAW, 0, NULL },
	{ "SEQ",	"seq",		NUM, 0, "?" },
	{ "TIME",	"time",		RAW | PIMCTL_COL_TIME, 0, NULL },
	{ "EVENT",	"event",	RAW, 0, NULL },
	{ "ACTOR",	"actor",	RAW | PIMCTL_COL_DN, 0, NULL },
	{ "PRINCIPAL",	"principal",	RAW | PIMCTL_COL_DN, 0, NULL },
	{ "ROLE",	"role",		RAW | PIMCTL_COL_DN, 0, NULL },
	{ "ID",		"id",		RAW, 40, NULL },
	{ NULL,		"start",	RAW, 0, NULL },
	{ NULL,		"end",		RAW, 0, NULL },
	{ NULL,		"reason",	RAW, 0, NULL },
	{ NULL,		"ticket",	RAW, 0, NULL },
	{ NULL,		"result",	NUM, 0, NULL },
	{ NULL,		"text",		RAW, 0, NULL },
	{ NULL,		"peer",		RAW, 0, NULL },
	{ NULL,		"connection",	NUM, 0, NULL },
	{ NULL,		"alert",	RAW, 0, NULL },
	{ NULL,		"ref",		RAW, 0, NULL },
	{ NULL,		"anchorSeq",	NUM, 0, NULL },
	{ NULL,		"anchorHash",	RAW, 0, NULL },
	{ NULL,		"prevHash",	RAW, 0, NULL },
	{ NULL,		"hash",		RAW, 0, NULL },
	{ "DETAILS",	NULL,		0, 0, NULL },
};
_Static_assert( PIM_CH_NFIELDS == PIMCTL_REC_NCOLS - 3,
	"pimctl_rec_columns: the record's fields" );

static char *
dup_or_null( const char *s )
{
	return s ? ber_strdup( s ) : NULL;
}

/* r as cells of pimctl_rec_columns (copies); 0, or -1 when out of
 * memory (nothing to free then). */
int
pimctl_rec_cells( const pimctl_rec *r, char **c )
{
	int i, n = PIMCTL_REC_NCOLS, ok;

	c[0] = dup_or_null( r->r_dn );
	ok = c[0] != NULL || r->r_dn == NULL;
	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		c[1 + i] = dup_or_null( r->r_f[i] );
		ok = ok && ( c[1 + i] != NULL || r->r_f[i] == NULL );
	}
	c[n - 2] = dup_or_null( r->r_hash );
	ok = ok && ( c[n - 2] != NULL || r->r_hash == NULL );
	c[n - 1] = pimctl_rec_details( r );
	if ( ok ) {
		return 0;
	}
	for ( i = 0; i < n; i++ ) {
		ber_memfree( c[i] );
	}
	return -1;
}

/* One record as one JSON object on one line ("pimctl watch --json"). */
int
pimctl_rec_json_line( pimctl *pc, const pimctl_rec *r )
{
	pimctl_table t;
	char *c[PIMCTL_REC_NCOLS];
	struct json_object *o;
	int rc = PIMCTL_EX_CLIENT;

	pimctl_table_init( &t, pc, PIMCTL_REC_NCOLS, pimctl_rec_columns );
	if ( pimctl_rec_cells( r, c ) == 0 && pimctl_table_add( &t, c ) == 0 ) {
		o = pimctl_table_json_row( &t, 0 );
		rc = pimctl_json_print( pc, o, 0 );
		json_object_put( o );
	} else {
		pimctl_error( pc, "out of memory" );
	}
	pimctl_table_free( &t );
	return rc;
}

const char *
pimctl_rec_envname( int field, char *buf, size_t size )
{
	const char *s = pim_chain_attr[field] + PREFIXLEN;
	size_t n = 0;

	n += snprintf( buf, size, "PIM" );
	for ( ; *s && n + 2 < size; s++ ) {
		if ( isupper( (unsigned char)*s ) ) {
			buf[n++] = '_';
		}
		buf[n++] = (char)toupper( (unsigned char)*s );
	}
	buf[n] = '\0';
	return buf;
}

static void
ldif_line( const char *name, const char *val, size_t len )
{
	char *s = ldif_put_wrap( LDIF_PUT_VALUE, name, val, len,
		LDIF_LINE_WIDTH );

	if ( s ) {
		fputs( s, stdout );
		ber_memfree( s );
	}
}

void
pimctl_rec_ldif( const pimctl_rec *r )
{
	int i;

	ldif_line( "dn", r->r_dn ? r->r_dn : "", r->r_dn ? strlen( r->r_dn ) : 0 );
	ldif_line( "objectClass", "pimAuditRecord", strlen( "pimAuditRecord" ) );
	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		if ( r->r_f[i] ) {
			ldif_line( pim_chain_attr[i], r->r_f[i], r->r_len[i] );
		}
	}
	if ( r->r_hash ) {
		ldif_line( PIM_CHAIN_HASH_ATTR, r->r_hash, strlen( r->r_hash ) );
	}
	putchar( '\n' );
}

/* What else a record says, in one cell: the justification, the ticket,
 * a refusal's code and message, an alert's kind, what a dismissal
 * names, an anchor's link.  Control characters become spaces. */
char *
pimctl_rec_details( const pimctl_rec *r )
{
	static const struct { int f; const char *label; int quote; } parts[] = {
		{ PIM_CH_ALERT, "alert", 0 },
		{ PIM_CH_REF, "alert", 0 },
		{ PIM_CH_REASON, "reason", 1 },
		{ PIM_CH_TICKET, "ticket", 0 },
		{ PIM_CH_RESULT, "err", 0 },
		{ PIM_CH_TEXT, NULL, 1 },
		{ PIM_CH_ANCHOR_SEQ, "anchors", 0 },
		{ PIM_CH_END, "until", 0 },
	};
	char buf[1024], tb[PIMCTL_TIMEBUF];
	size_t n = 0, i;
	time_t t;

	buf[0] = '\0';
	for ( i = 0; i < sizeof( parts ) / sizeof( parts[0] ); i++ ) {
		const char *v = r->r_f[parts[i].f];

		if ( v == NULL || n >= sizeof( buf ) ) {
			continue;
		}
		if ( parts[i].f == PIM_CH_END &&
			pim_gentime_parse( v, strlen( v ), &t ) == 0 )
		{
			v = pimctl_time_str( t, tb, sizeof( tb ) );
		}
		n += snprintf( buf + n, sizeof( buf ) - n, "%s%s%s%s%s%s",
			n ? " " : "", parts[i].label ? parts[i].label : "",
			parts[i].label ? "=" : "", parts[i].quote ? "\"" : "", v,
			parts[i].quote ? "\"" : "" );
	}
	return n ? pimctl_text_clip( buf, 0 ) : NULL;
}

static const char *
display( pimctl *pc, pimctl_names *ns, const char *v )
{
	const char *name;

	if ( v == NULL ) {
		return "-";
	}
	if ( strchr( v, '=' ) == NULL ) {
		return v;	/* pim, anonymous */
	}
	name = pimctl_display_name( pc, ns, v );
	return name ? name : v;
}

/* One line per event, as "pimctl watch" prints them. */
void
pimctl_rec_line( pimctl *pc, pimctl_names *ns, const pimctl_rec *r )
{
	char tb[PIMCTL_TIMEBUF], *details = pimctl_rec_details( r );
	const char *v = r->r_f[PIM_CH_TIME];
	time_t t;

	if ( v && pim_gentime_parse( v, strlen( v ), &t ) == 0 ) {
		v = pimctl_time_str( t, tb, sizeof( tb ) );
	}
	printf( "%lu  %s  %s  by=%s", r->r_seq, v ? v : "-",
		r->r_f[PIM_CH_EVENT] ? r->r_f[PIM_CH_EVENT] : "-",
		display( pc, ns, r->r_f[PIM_CH_ACTOR] ) );
	if ( r->r_f[PIM_CH_PRINCIPAL] ) {
		printf( " principal=%s", display( pc, ns, r->r_f[PIM_CH_PRINCIPAL] ) );
	}
	if ( r->r_f[PIM_CH_ROLE] ) {
		printf( " role=\"%s\"", display( pc, ns, r->r_f[PIM_CH_ROLE] ) );
	}
	if ( r->r_f[PIM_CH_ID] ) {
		printf( " id=%s", r->r_f[PIM_CH_ID] );
	}
	if ( details ) {
		printf( " %s", details );
	}
	putchar( '\n' );
	fflush( stdout );
	ber_memfree( details );
}
