/* pimctl_notify_text.c - what a notification says.
 *
 * Templates name an audit record's fields in braces: {seq} {time}
 * {event} {actor} {principal} {role} {id} {start} {end} {reason}
 * {ticket} {result} {text} {peer} {connection} {alert} {ref} (the
 * attribute names without "pimAudit", in lower case), and {role_name},
 * {principal_name}, {actor_name}: the first RDN value of the DN.  An
 * absent field is empty; times read YYYY-MM-DD HH:MM:SSZ.  Anything
 * else in braces is left as it is, so that a typo shows in the mail.
 * The webhook's body is JSON made by json-c (the escaping is never
 * ours), the mail an RFC 5322 message that libcurl sends.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <nettle/base64.h>

#include "pimctl_notify.h"

/* "eligibility added" -> "eligibility-added", the config's spelling. */
const char *
nt_event_key( const char *event, char *buf, size_t size )
{
	size_t i;

	for ( i = 0; event && event[i] && i + 1 < size; i++ ) {
		buf[i] = event[i] == ' ' ? '-' : (char)tolower( (unsigned char)event[i] );
	}
	buf[i] = '\0';
	return buf;
}

/* A field's key: "pimAuditPrincipal" -> "principal". */
static const char *
field_key( int f, char *buf, size_t size )
{
	const char *a = pim_chain_attr[f] + strlen( "pimAudit" );
	size_t i;

	for ( i = 0; a[i] && i + 1 < size; i++ ) {
		buf[i] = (char)tolower( (unsigned char)a[i] );
	}
	buf[i] = '\0';
	return buf;
}

static int
is_time_field( int f )
{
	return f == PIM_CH_TIME || f == PIM_CH_START || f == PIM_CH_END;
}

/* A field's value as a template shows it, in buf or (a DN's name) in
 * *owned, which the caller frees. */
static const char *
field_text( const pimctl_rec *r, const char *name, size_t len, char *buf,
	size_t size, char **owned )
{
	char key[32];
	int f;

	*owned = NULL;
	if ( len > 5 && strncmp( name + len - 5, "_name", 5 ) == 0 ) {
		static const int dns[] = { PIM_CH_ROLE, PIM_CH_PRINCIPAL,
			PIM_CH_ACTOR };
		size_t i;

		for ( i = 0; i < sizeof( dns ) / sizeof( dns[0] ); i++ ) {
			field_key( dns[i], key, sizeof( key ) );
			if ( strlen( key ) != len - 5 ||
				strncmp( key, name, len - 5 ) != 0 )
			{
				continue;
			}
			if ( r->r_f[dns[i]] == NULL ) {
				return "";
			}
			*owned = pimctl_rdn_value( r->r_f[dns[i]] );
			return *owned ? *owned : "";
		}
		return NULL;
	}
	for ( f = 0; f < PIM_CH_NFIELDS; f++ ) {
		field_key( f, key, sizeof( key ) );
		if ( strlen( key ) != len || strncmp( key, name, len ) != 0 ) {
			continue;
		}
		if ( r->r_f[f] == NULL ) {
			return "";
		}
		if ( is_time_field( f ) && strlen( r->r_f[f] ) >= 14 ) {
			const char *t = r->r_f[f];

			snprintf( buf, size, "%.4s-%.2s-%.2s %.2s:%.2s:%.2sZ", t,
				t + 4, t + 6, t + 8, t + 10, t + 12 );
			return buf;
		}
		return r->r_f[f];
	}
	return NULL;
}

/* A string that grows; sb_buf is ber_memalloc'ed, NULL after a failed
 * allocation (and stays so). */
typedef struct strbuf {
	char	*sb_buf;
	size_t	sb_len, sb_cap;
} strbuf;

static void
sb_add( strbuf *sb, const char *s, size_t len )
{
	char *grown;

	if ( sb->sb_buf == NULL ) {
		return;
	}
	if ( sb->sb_len + len + 1 > sb->sb_cap ) {
		sb->sb_cap = 2 * ( sb->sb_len + len + 1 );
		grown = ber_memrealloc( sb->sb_buf, sb->sb_cap );
		if ( grown == NULL ) {
			ber_memfree( sb->sb_buf );
		}
		sb->sb_buf = grown;
		if ( grown == NULL ) {
			return;
		}
	}
	memcpy( sb->sb_buf + sb->sb_len, s, len );
	sb->sb_len += len;
	sb->sb_buf[sb->sb_len] = '\0';
}

/* tmpl with each {field} replaced; ber_memalloc'ed, NULL: no memory. */
char *
nt_expand( const char *tmpl, const pimctl_rec *r )
{
	strbuf sb = { ber_memalloc( 256 ), 0, 256 };
	const char *p, *close, *v;
	char tbuf[32], *owned;

	if ( sb.sb_buf ) {
		sb.sb_buf[0] = '\0';
	}
	for ( p = tmpl; *p; ) {
		close = *p == '{' ? strchr( p, '}' ) : NULL;
		v = close ? field_text( r, p + 1, close - p - 1, tbuf,
			sizeof( tbuf ), &owned ) : NULL;
		if ( v == NULL ) {
			sb_add( &sb, p++, 1 );	/* not a field: as it is */
			continue;
		}
		sb_add( &sb, v, strlen( v ) );
		ber_memfree( owned );
		p = close + 1;
	}
	return sb.sb_buf;
}

/* {"text": ..., "recipients": [...], and each field present}: what
 * Slack, Mattermost and Teams incoming webhooks show is "text"; the
 * fields are there for everything else.  ber_memalloc'ed. */
char *
nt_webhook_json( const nt_conf *nc, const pimctl_rec *r, const nt_strs *to )
{
	const nt_role *nr = nt_conf_role( nc, r->r_f[PIM_CH_ROLE] );
	json_object *o = json_object_new_object(), *rcpt;
	char key[32], *text, *out = NULL;
	int f, i;

	text = nt_expand( nc->nc_webhook_text ? nc->nc_webhook_text :
		nt_role_subject( nc, nr ), r );
	if ( o == NULL || text == NULL ) {
		goto done;
	}
	json_object_object_add( o, "text", json_object_new_string( text ) );
	for ( f = 0; f < PIM_CH_NFIELDS; f++ ) {
		if ( r->r_f[f] == NULL || f == PIM_CH_PREV ) {
			continue;
		}
		json_object_object_add( o, field_key( f, key, sizeof( key ) ),
			f == PIM_CH_SEQ ? json_object_new_int64( (int64_t)r->r_seq ) :
			json_object_new_string( r->r_f[f] ) );
	}
	rcpt = json_object_new_array();
	for ( i = 0; rcpt && i < to->s_n; i++ ) {
		json_object_array_add( rcpt, json_object_new_string( to->s_v[i] ) );
	}
	json_object_object_add( o, "recipients", rcpt );
	out = ber_strdup( json_object_to_json_string_ext( o,
		JSON_C_TO_STRING_PLAIN ) );
done:
	ber_memfree( text );
	json_object_put( o );
	return out;
}

/* A header value: one line, and RFC 2047 (base64) when it is not
 * ASCII, so that a non-English template survives every relay. */
static void
put_header( FILE *fp, const char *name, const char *value )
{
	const unsigned char *p;
	size_t len = strlen( value );
	int ascii = 1;

	for ( p = (const unsigned char *)value; *p; p++ ) {
		ascii &= *p >= 0x20 && *p < 0x7f;
	}
	if ( ascii ) {
		fprintf( fp, "%s: %s\r\n", name, value );
		return;
	}
	{
		char *b64 = malloc( BASE64_ENCODE_RAW_LENGTH( len ) + 1 );
		char *clean = strdup( value ), *c;

		if ( b64 == NULL || clean == NULL ) {
			free( b64 );
			free( clean );
			return;
		}
		for ( c = clean; *c; c++ ) {
			if ( *c == '\r' || *c == '\n' ) *c = ' ';
		}
		base64_encode_raw( b64, len, (const uint8_t *)clean );
		b64[BASE64_ENCODE_RAW_LENGTH( len )] = '\0';
		fprintf( fp, "%s: =?UTF-8?B?%s?=\r\n", name, b64 );
		free( b64 );
		free( clean );
	}
}

/* The message libcurl uploads (it does the SMTP dialogue and the dot
 * stuffing): headers, then the body with CRLF line ends.  malloc'ed
 * (free()), NULL: no memory.  X-PIM-Seq and the Message-ID name the
 * audit record, so that a reader can tell a duplicate from a second
 * event. */
char *
nt_mail_message( const nt_conf *nc, const pimctl_rec *r, const nt_strs *to,
	const char *subject, const char *body )
{
	char *buf = NULL, host[256] = "localhost", date[64];
	size_t size = 0;
	time_t now = time( NULL );
	struct tm tm;
	FILE *fp = open_memstream( &buf, &size );
	const char *b;
	int i;

	if ( fp == NULL ) {
		return NULL;
	}
	(void)gethostname( host, sizeof( host ) - 1 );
	strftime( date, sizeof( date ), "%a, %d %b %Y %H:%M:%S +0000",
		gmtime_r( &now, &tm ) );
	fprintf( fp, "Date: %s\r\nFrom: %s\r\nTo: ", date, nc->nc_mail_from );
	for ( i = 0; i < to->s_n; i++ ) {
		fprintf( fp, "%s%s", i ? ",\r\n " : "", to->s_v[i] );
	}
	fprintf( fp, "\r\n" );
	put_header( fp, "Subject", subject );
	fprintf( fp, "Message-ID: <pim-%lu-%s@%s>\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: 8bit\r\n"
		"X-PIM-Event: %s\r\nX-PIM-Seq: %lu\r\n\r\n",
		r->r_seq, r->r_f[PIM_CH_TIME] ? r->r_f[PIM_CH_TIME] : "0", host,
		r->r_f[PIM_CH_EVENT] ? r->r_f[PIM_CH_EVENT] : "", r->r_seq );
	for ( b = body; *b; b++ ) {
		if ( *b == '\n' ) {
			fputs( "\r\n", fp );
		} else if ( *b != '\r' ) {
			fputc( *b, fp );
		}
	}
	if ( b == body || b[-1] != '\n' ) {
		fputs( "\r\n", fp );
	}
	if ( fclose( fp ) != 0 ) {
		free( buf );
		return NULL;
	}
	return buf;
}
