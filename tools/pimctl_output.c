/* pimctl_output.c - messages, exit status and times, as pimctl prints them.
 *
 * Errors look like ldap-utils' (tool_perror):
 *	pimctl: activate: Insufficient access (50)
 *		matched DN: ...
 *		additional info: ...
 * so that people and scripts used to ldapsearch read them the same way.
 *
 * Listings go out as a table (pimctl_table.c), or with --json and
 * --csv as one JSON array of objects or RFC 4180 CSV, all three from
 * the same cells.  json-c writes the JSON: escaping is its business.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "pimctl.h"
#include "pim_time.h"

/* The exit status for an LDAP result code or a libldap error. */
int
pimctl_exit_code( int rc )
{
	if ( rc == LDAP_SUCCESS ) {
		return PIMCTL_EX_OK;
	}
	if ( rc > 0 && rc < PIMCTL_EX_CLIENT ) {
		return rc;
	}
	if ( rc > 0 ) {
		/* codes such as 4096 do not fit in an exit status */
		return LDAP_OTHER;
	}
	return PIMCTL_EX_CLIENT;
}

static void
prefix( const char *what )
{
	fprintf( stderr, "%s: ", PIMCTL_PROG );
	if ( what && *what ) {
		fprintf( stderr, "%s: ", what );
	}
}

/* Print a failed operation; returns the exit status that goes with it. */
int
pimctl_ldap_error( pimctl *pc, const char *what, int rc,
	const char *matched, const char *info, char **refs )
{
	int i;

	prefix( what ? what : pc->pc_cmd );
	fprintf( stderr, "%s (%d)\n", ldap_err2string( rc ), rc );
	if ( matched && *matched ) {
		fprintf( stderr, "\tmatched DN: %s\n", matched );
	}
	if ( info && *info ) {
		fprintf( stderr, "\tadditional info: %s\n", info );
	}
	if ( refs && *refs ) {
		fprintf( stderr, "\treferrals:\n" );
		for ( i = 0; refs[i]; i++ ) {
			fprintf( stderr, "\t\t%s\n", refs[i] );
		}
	}
	return pimctl_exit_code( rc );
}

/* The same after a synchronous call, whose diagnostics stay in the
 * session handle. */
int
pimctl_ld_error( pimctl *pc, const char *what, int rc )
{
	char *info = NULL, *matched = NULL;
	int status;

	if ( pc->pc_ld ) {
		ldap_get_option( pc->pc_ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &info );
		ldap_get_option( pc->pc_ld, LDAP_OPT_MATCHED_DN, &matched );
	}
	status = pimctl_ldap_error( pc, what, rc, matched, info, NULL );
	ldap_memfree( info );
	ldap_memfree( matched );
	return status;
}

void
pimctl_error( pimctl *pc, const char *fmt, ... )
{
	va_list ap;

	prefix( pc->pc_cmd );
	va_start( ap, fmt );
	vfprintf( stderr, fmt, ap );
	va_end( ap );
	fputc( '\n', stderr );
}

void
pimctl_verbose( pimctl *pc, const char *fmt, ... )
{
	va_list ap;

	if ( !pc->pc_verbose ) {
		return;
	}
	prefix( NULL );
	va_start( ap, fmt );
	vfprintf( stderr, fmt, ap );
	va_end( ap );
	fputc( '\n', stderr );
}

/* "YYYY-MM-DD HH:MM:SSZ", always UTC: what the server stores, without
 * the reader having to know the client's time zone. */
const char *
pimctl_time_str( time_t t, char *buf, size_t size )
{
	struct tm tm;

	if ( gmtime_r( &t, &tm ) == NULL ||
		strftime( buf, size, "%Y-%m-%d %H:%M:%SZ", &tm ) == 0 )
	{
		snprintf( buf, size, "?" );
	}
	return buf;
}

int
pimctl_parse_time( pimctl *pc, const char *opt, const char *s,
	time_t now, time_t *t )
{
	if ( pim_usertime_parse( s, now, t ) != 0 ) {
		pimctl_error( pc, "%s: bad time '%s' (use now, +DURATION,"
			" YYYYMMDDHHMMSSZ or YYYY-MM-DDTHH:MM:SSZ)", opt, s );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}

int
pimctl_parse_duration( pimctl *pc, const char *opt, const char *s,
	long *secs )
{
	if ( pim_duration_parse( s, strlen( s ), secs ) != 0 ) {
		pimctl_error( pc, "%s: bad duration '%s' (use e.g. 90s, 30m,"
			" 2h, 1d, 1h30m)", opt, s );
		return PIMCTL_EX_USAGE;
	}
	if ( *secs <= 0 ) {
		pimctl_error( pc, "%s: the duration must be longer than 0s",
			opt );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}

/* --- --json and --csv -------------------------------------------------- */

/* "2026-01-05T09:14:02Z" */
static const char *
rfc3339( time_t t, char *buf, size_t size )
{
	struct tm tm;

	if ( gmtime_r( &t, &tm ) == NULL ||
		strftime( buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm ) == 0 )
	{
		return NULL;
	}
	return buf;
}

static json_object *
json_text( const char *s )
{
	return s ? json_object_new_string( s ) : NULL;	/* NULL: null */
}

/* A number as a JSON number; anything else as a string. */
static json_object *
json_number( const char *s )
{
	char *end;
	long long n;

	if ( s == NULL ) {
		return NULL;
	}
	n = strtoll( s, &end, 10 );
	if ( *s == '\0' || *end != '\0' ) {
		return json_object_new_string( s );
	}
	return json_object_new_int64( n );
}

static json_object *
json_truth( const char *s )
{
	if ( s && strcasecmp( s, "TRUE" ) == 0 ) {
		return json_object_new_boolean( 1 );
	}
	if ( s && strcasecmp( s, "FALSE" ) == 0 ) {
		return json_object_new_boolean( 0 );
	}
	return json_text( s );
}

/* The values of a list cell (separated by newlines) as an array. */
static json_object *
json_list( const char *s )
{
	json_object *a;
	const char *nl;
	char *one;

	if ( s == NULL || ( a = json_object_new_array() ) == NULL ) {
		return NULL;
	}
	for ( ; s; s = nl ? nl + 1 : NULL ) {
		nl = strchr( s, '\n' );
		one = nl ? ber_strndup( s, nl - s ) : ber_strdup( s );
		if ( one ) {
			json_object_array_add( a, json_object_new_string( one ) );
		}
		ber_memfree( one );
	}
	return a;
}

static void
add_suffixed( json_object *o, const char *key, const char *suffix,
	json_object *v )
{
	char name[128];

	snprintf( name, sizeof( name ), "%s%s", key, suffix );
	json_object_object_add( o, name, v );
}

/* A time cell: KEY in RFC 3339 and KEY_epoch, both null when the cell
 * is no time (an end shown as "permanent" is no end). */
static void
add_time( json_object *o, const char *key, const char *v )
{
	char buf[32];
	const char *s = NULL;
	time_t t;

	if ( v && pim_gentime_parse( v, strlen( v ), &t ) == 0 ) {
		s = rfc3339( t, buf, sizeof( buf ) );
	}
	json_object_object_add( o, key, json_text( s ) );
	add_suffixed( o, key, "_epoch", s ? json_object_new_int64( t ) : NULL );
}

static json_object *
json_value( int flags, const char *v )
{
	if ( flags & PIMCTL_COL_NUMBER ) {
		return json_number( v );
	} else if ( flags & PIMCTL_COL_BOOL ) {
		return json_truth( v );
	} else if ( flags & PIMCTL_COL_LIST ) {
		return json_list( v );
	}
	return json_text( v );
}

/* Row row of t as a JSON object whose keys are the columns' keys, in
 * their order (pimctl.h says what each kind of column adds). */
json_object *
pimctl_table_json_row( pimctl_table *t, int row )
{
	json_object *o = json_object_new_object();
	int col;

	for ( col = 0; o && col < t->t_ncols; col++ ) {
		const pimctl_column *c = &t->t_cols[col];
		const char *v = t->t_cells[(size_t)row * t->t_ncols + col];

		if ( c->col_key == NULL ) {
			continue;
		}
		if ( c->col_flags & PIMCTL_COL_RAW ) {
			json_object_object_add( o, c->col_key,
				json_value( c->col_flags, v ) );
		} else if ( c->col_flags & PIMCTL_COL_TIME ) {
			add_time( o, c->col_key, v );
		} else if ( c->col_flags & PIMCTL_COL_DN ) {
			json_object_object_add( o, c->col_key,
				json_text( pimctl_table_name( t, v ) ) );
			add_suffixed( o, c->col_key, "_dn", json_text( v ) );
		} else {
			json_object_object_add( o, c->col_key,
				json_value( c->col_flags, v ) );
		}
	}
	return o;
}

/* o on a line of its own (pretty: indented over several); 0, or the
 * exit status when out of memory.  o stays the caller's. */
int
pimctl_json_print( pimctl *pc, json_object *o, int pretty )
{
	const char *s = o ? json_object_to_json_string_ext( o,
		( pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN ) |
		JSON_C_TO_STRING_NOSLASHESCAPE ) : NULL;

	if ( s == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	printf( "%s\n", s );
	return 0;
}

/* A CSV field (RFC 4180): quoted when it has a comma, quote, CR or LF,
 * its quotes doubled; NULL is empty. */
void
pimctl_csv_field( FILE *fp, const char *s, int first )
{
	if ( !first ) {
		putc( ',', fp );
	}
	if ( s == NULL ) {
		return;
	}
	if ( strpbrk( s, ",\"\r\n" ) == NULL ) {
		fputs( s, fp );
		return;
	}
	putc( '"', fp );
	for ( ; *s; s++ ) {
		if ( *s == '"' ) {
			putc( '"', fp );
		}
		putc( *s, fp );
	}
	putc( '"', fp );
}

/* The CSV heading: the JSON keys, in the same order. */
static void
csv_header( const pimctl_table *t )
{
	char name[128];
	int col, n = 0;

	for ( col = 0; col < t->t_ncols; col++ ) {
		const pimctl_column *c = &t->t_cols[col];

		if ( c->col_key == NULL ) {
			continue;
		}
		pimctl_csv_field( stdout, c->col_key, n++ == 0 );
		if ( c->col_flags & PIMCTL_COL_RAW ) {
			continue;
		}
		if ( c->col_flags & ( PIMCTL_COL_TIME | PIMCTL_COL_DN ) ) {
			snprintf( name, sizeof( name ), "%s%s", c->col_key,
				( c->col_flags & PIMCTL_COL_TIME ) ? "_epoch" : "_dn" );
			pimctl_csv_field( stdout, name, 0 );
		}
	}
	putchar( '\n' );
}

/* One CSV line from a row's JSON object, so that the two agree field
 * for field: null is empty, an array its values joined by newlines. */
static void
csv_row( json_object *o )
{
	json_object *e;
	char *joined;
	size_t i, n, len;
	int first = 1;

	json_object_object_foreach( o, key, v ) {
		(void)key;
		if ( v == NULL ) {
			pimctl_csv_field( stdout, NULL, first );
		} else if ( json_object_is_type( v, json_type_array ) ) {
			n = json_object_array_length( v );
			for ( i = 0, len = 1; i < n; i++ ) {
				e = json_object_array_get_idx( v, i );
				len += strlen( json_object_get_string( e ) ) + 1;
			}
			joined = ber_memalloc( len );
			for ( i = 0, len = 0; joined && i < n; i++ ) {
				e = json_object_array_get_idx( v, i );
				len += sprintf( joined + len, "%s%s", i ? "\n" : "",
					json_object_get_string( e ) );
			}
			if ( joined ) {
				joined[len] = '\0';
			}
			pimctl_csv_field( stdout, joined, first );
			ber_memfree( joined );
		} else {
			pimctl_csv_field( stdout, json_object_get_string( v ), first );
		}
		first = 0;
	}
	putchar( '\n' );
}

static int
output_json( pimctl *pc, const pimctl_section *s, int n )
{
	json_object *a = json_object_new_array(), *o;
	int i, row, rc;

	for ( i = 0; a && i < n; i++ ) {
		for ( row = 0; row < s[i].s_table->t_nrows; row++ ) {
			o = pimctl_table_json_row( s[i].s_table, row );
			if ( o == NULL || json_object_array_add( a, o ) != 0 ) {
				json_object_put( o );
				json_object_put( a );
				a = NULL;
				break;
			}
		}
	}
	rc = pimctl_json_print( pc, a, 1 );
	json_object_put( a );
	return rc;
}

static int
output_csv( pimctl *pc, const pimctl_section *s, int n )
{
	json_object *o;
	int i, row;

	csv_header( s[0].s_table );
	for ( i = 0; i < n; i++ ) {
		for ( row = 0; row < s[i].s_table->t_nrows; row++ ) {
			o = pimctl_table_json_row( s[i].s_table, row );
			if ( o == NULL ) {
				pimctl_error( pc, "out of memory" );
				return PIMCTL_EX_CLIENT;
			}
			csv_row( o );
			json_object_put( o );
		}
	}
	return 0;
}

/* A listing of n sections as the options ask: a table per section, or
 * one JSON array or CSV of all their rows (the sections share their
 * columns: one schema per command).  0, or an exit status. */
int
pimctl_output( pimctl *pc, const pimctl_section *s, int n )
{
	int i;

	if ( pc->pc_args.a_json ) {
		return output_json( pc, s, n );
	}
	if ( pc->pc_args.a_csv ) {
		return output_csv( pc, s, n );
	}
	for ( i = 0; i < n; i++ ) {
		if ( i > 0 ) {
			putchar( '\n' );
		}
		if ( s[i].s_title ) {
			printf( "%s:\n", s[i].s_title );
		}
		if ( s[i].s_table->t_nrows == 0 ) {
			printf( "%s\n", s[i].s_empty ? s[i].s_empty : "  (none)" );
		} else {
			pimctl_table_print( s[i].s_table, s[i].s_title ? "  " : "" );
		}
	}
	return 0;
}

int
pimctl_output_one( pimctl *pc, pimctl_table *t, const char *title,
	const char *empty )
{
	pimctl_section s;

	s.s_table = t;
	s.s_title = title;
	s.s_empty = empty;
	return pimctl_output( pc, &s, 1 );
}
