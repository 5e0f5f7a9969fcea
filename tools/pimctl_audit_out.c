/* pimctl_audit_out.c - an audit record as people and programs read it.
 *
 * Machines get every field exactly as stored: --ldif (what ldapsearch
 * would print, hash included, so that the output can be archived and
 * verified elsewhere) or --json (one object per record, named after
 * the attributes without their "pimAudit" prefix).  People get a table
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

#include "pimctl.h"
#include <ldif.h>	/* after ldap.h: it needs lber types */
#include "pimctl_trail.h"
#include "pim_time.h"

#define PREFIX		"pimAudit"
#define PREFIXLEN	( sizeof( PREFIX ) - 1 )

/* Fields that are numbers in JSON. */
static int
is_number( int field )
{
	return field == PIM_CH_SEQ || field == PIM_CH_RESULT ||
		field == PIM_CH_CONN || field == PIM_CH_ANCHOR_SEQ;
}

/* "pimAuditAnchorSeq" -> "anchorSeq" */
static const char *
json_name( const char *attr, char *buf, size_t size )
{
	snprintf( buf, size, "%s", attr + PREFIXLEN );
	buf[0] = (char)tolower( (unsigned char)buf[0] );
	return buf;
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
json_string( const char *s, size_t len )
{
	size_t i;

	putchar( '"' );
	for ( i = 0; i < len; i++ ) {
		unsigned char c = (unsigned char)s[i];

		if ( c == '"' || c == '\\' ) {
			printf( "\\%c", c );
		} else if ( c < 0x20 || c == 0x7f ) {
			printf( "\\u%04x", c );
		} else {
			putchar( c );
		}
	}
	putchar( '"' );
}

void
pimctl_rec_json( const pimctl_rec *r, int first )
{
	char name[64];
	int i;

	printf( "%s  {", first ? "" : ",\n" );
	printf( "\"dn\": " );
	json_string( r->r_dn ? r->r_dn : "", r->r_dn ? strlen( r->r_dn ) : 0 );
	for ( i = 0; i < PIM_CH_NFIELDS; i++ ) {
		if ( r->r_f[i] == NULL ) {
			continue;
		}
		printf( ", \"%s\": ", json_name( pim_chain_attr[i], name,
			sizeof( name ) ) );
		if ( is_number( i ) ) {
			printf( "%s", r->r_f[i] );
		} else {
			json_string( r->r_f[i], r->r_len[i] );
		}
	}
	if ( r->r_hash ) {
		printf( ", \"hash\": " );
		json_string( r->r_hash, strlen( r->r_hash ) );
	}
	putchar( '}' );
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
