/* pimctl_notify_conf.c - the configuration file of "pimctl notify".
 *
 * One setting per line, "KEY VALUE", '#' comments, blank lines ignored;
 * a VALUE may be quoted ("...") to keep its outer spaces.  The settings
 * before the first "role NAME" line are the notifier's and the
 * overlay-wide defaults; each "role NAME" line opens a section (up to
 * the next one) of one role's own settings, NAME its DN or its cn.
 * pimctl(1), NOTIFY, lists the keys.  Whatever is wrong is reported
 * with the file's name and line, and nothing runs: a notifier that
 * guessed would notify the wrong people.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pimctl_notify.h"

/* The events that notify unless "events" says otherwise: the workflow's
 * (requests and their outcomes, an activation's life), alerts and
 * assignments. */
static const char *const default_events[] = {
	"requested", "approved", "denied", "timed-out", "activated",
	"expiring", "expired", "alert", "eligibility-added",
	"eligibility-removed", "eligibility-requested", "eligibility-extended",
	"eligibility-renewed", "eligibility-expiring", NULL
};

#define DEFAULT_SUBJECT	"[PIM] {event}: {role_name} for {principal_name}"
#define DEFAULT_BODY \
	"PIM event: {event}\n" \
	"Role: {role}\n" \
	"Principal: {principal}\n" \
	"By: {actor}\n" \
	"Start: {start}\n" \
	"End: {end}\n" \
	"Reason: {reason}\n" \
	"Ticket: {ticket}\n" \
	"Alert: {alert} {text}\n" \
	"Request id: {id}\n" \
	"Audit record: {seq} at {time}\n"

/* --- string lists ------------------------------------------------------ */

int
nt_strs_add( nt_strs *l, const char *s )
{
	char **v = ber_memrealloc( l->s_v, ( l->s_n + 2 ) * sizeof( *v ) );

	if ( v == NULL ) {
		return -1;
	}
	l->s_v = v;
	if ( ( v[l->s_n] = ber_strdup( s ) ) == NULL ) {
		return -1;
	}
	v[++l->s_n] = NULL;
	return 0;
}

int
nt_strs_has( const nt_strs *l, const char *s )
{
	int i;

	for ( i = 0; i < l->s_n; i++ ) {
		if ( strcasecmp( l->s_v[i], s ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

void
nt_strs_free( nt_strs *l )
{
	int i;

	for ( i = 0; i < l->s_n; i++ ) {
		ber_memfree( l->s_v[i] );
	}
	ber_memfree( l->s_v );
	l->s_v = NULL;
	l->s_n = 0;
}

/* Each word of s (separated by spaces or commas) added to l. */
static int
add_words( nt_strs *l, char *s )
{
	char *w, *save = NULL;

	for ( w = strtok_r( s, " \t,", &save ); w;
		w = strtok_r( NULL, " \t,", &save ) )
	{
		if ( nt_strs_add( l, w ) != 0 ) {
			return -1;
		}
	}
	return 0;
}

/* --- values ------------------------------------------------------------ */

/* "\n" and "\t" in a template, so that a body fits on one line. */
static char *
unescape( const char *s )
{
	char *out = ber_memalloc( strlen( s ) + 1 ), *o = out;

	for ( ; out && *s; s++ ) {
		if ( s[0] == '\\' && s[1] == 'n' ) {
			*o++ = '\n';
			s++;
		} else if ( s[0] == '\\' && s[1] == 't' ) {
			*o++ = '\t';
			s++;
		} else if ( s[0] == '\\' && s[1] == '\\' ) {
			*o++ = '\\';
			s++;
		} else {
			*o++ = *s;
		}
	}
	if ( out ) {
		*o = '\0';
	}
	return out;
}

static int
parse_bool( const char *v, int *out )
{
	if ( !strcasecmp( v, "yes" ) || !strcasecmp( v, "true" ) ||
		!strcasecmp( v, "on" ) || !strcmp( v, "1" ) )
	{
		*out = 1;
	} else if ( !strcasecmp( v, "no" ) || !strcasecmp( v, "false" ) ||
		!strcasecmp( v, "off" ) || !strcmp( v, "0" ) )
	{
		*out = 0;
	} else {
		return -1;
	}
	return 0;
}

static int
parse_seconds( const char *v, double *out )
{
	char *end;

	errno = 0;
	*out = strtod( v, &end );
	return ( errno || end == v || *end || *out < 0 ) ? -1 : 0;
}

/* A DN in the form the trail stores it in, compared case-insensitively:
 * the LDAPv3 string form of the parsed DN (ber_memalloc'ed). */
static char *
norm_dn( const char *dn )
{
	char *out = NULL;

	if ( ldap_dn_normalize( dn, LDAP_DN_FORMAT_LDAP, &out,
		LDAP_DN_FORMAT_LDAPV3 ) != LDAP_SUCCESS )
	{
		return NULL;
	}
	return out;
}

/* Do two DNs name the same entry (as far as a client can tell: the
 * same RDNs, compared without regard to case)? */
int
nt_dn_equal( const char *a, const char *b )
{
	char *na = norm_dn( a ), *nb = norm_dn( b );
	int same = na && nb ? strcasecmp( na, nb ) == 0 : strcasecmp( a, b ) == 0;

	ldap_memfree( na );
	ldap_memfree( nb );
	return same;
}

/* The password, from its file: the first line (the file is the
 * secret's only home, so that ps and the config file never show it). */
static int
read_password( const char *file, char **out )
{
	char buf[1024];
	FILE *fp = fopen( file, "r" );
	int rc = -1;

	if ( fp == NULL ) {
		return -1;
	}
	if ( fgets( buf, sizeof( buf ), fp ) ) {
		buf[strcspn( buf, "\r\n" )] = '\0';
		*out = ber_strdup( buf );
		rc = *out ? 0 : -1;
	}
	memset( buf, 0, sizeof( buf ) );
	fclose( fp );
	return rc;
}

/* --- the settings ------------------------------------------------------- */

typedef struct conf_ctx {
	pimctl		*cc_pc;
	const char	*cc_file;
	int		cc_line;
	nt_conf		*cc_nc;
	nt_role		*cc_role;	/* the section: &nc_defaults or a role */
} conf_ctx;

static int conf_error( conf_ctx *cc, const char *fmt, ... )
	__attribute__(( format( printf, 2, 3 ) ));

static int
conf_error( conf_ctx *cc, const char *fmt, ... )
{
	char msg[512];
	va_list ap;

	va_start( ap, fmt );
	vsnprintf( msg, sizeof( msg ), fmt, ap );
	va_end( ap );
	pimctl_error( cc->cc_pc, "%s:%d: %s", cc->cc_file, cc->cc_line, msg );
	return PIMCTL_EX_USAGE;
}

/* Replace *slot (owned) by a copy of v. */
static int
set_str( conf_ctx *cc, char **slot, const char *v, int template )
{
	char *s = template ? unescape( v ) : ber_strdup( v );

	if ( s == NULL ) {
		return conf_error( cc, "out of memory" );
	}
	ber_memfree( *slot );
	*slot = s;
	return 0;
}

/* A "role NAME" line: a new section, at the end of the list. */
static int
role_section( conf_ctx *cc, const char *name )
{
	nt_role *nr = ber_memcalloc( 1, sizeof( *nr ) ), **tail;

	if ( nr == NULL ) {
		return conf_error( cc, "out of memory" );
	}
	nr->nr_critical = -1;
	nr->nr_critical_only = -1;
	nr->nr_is_dn = strchr( name, '=' ) != NULL;
	nr->nr_name = nr->nr_is_dn ? norm_dn( name ) : ber_strdup( name );
	if ( nr->nr_name == NULL ) {
		ber_memfree( nr );
		return conf_error( cc, "role %s: not a DN", name );
	}
	for ( tail = &cc->cc_nc->nc_roles; *tail; tail = &(*tail)->nr_next ) {
		;
	}
	*tail = nr;
	cc->cc_role = nr;
	return 0;
}

/* The keys a role section may set (and the defaults, before it). */
static int
role_setting( conf_ctx *cc, const char *key, char *v )
{
	nt_role *nr = cc->cc_role;
	int b;

	if ( !strcasecmp( key, "events" ) ) {
		nt_strs_free( &nr->nr_events );
		nr->nr_events_set = 1;
		if ( strcasecmp( v, "none" ) == 0 ) {
			return 0;
		}
		return add_words( &nr->nr_events, v ) ?
			conf_error( cc, "out of memory" ) : 0;
	}
	if ( !strcasecmp( key, "mail-to" ) ) {
		return add_words( &nr->nr_mail_to, v ) ?
			conf_error( cc, "out of memory" ) : 0;
	}
	if ( !strcasecmp( key, "critical" ) ) {
		if ( parse_bool( v, &b ) != 0 ) {
			return conf_error( cc, "critical: yes or no, not \"%s\"", v );
		}
		nr->nr_critical = b;
		return 0;
	}
	if ( !strcasecmp( key, "critical-only" ) ) {
		if ( parse_bool( v, &b ) != 0 ) {
			return conf_error( cc, "critical-only: yes or no, not \"%s\"",
				v );
		}
		nr->nr_critical_only = b;
		return 0;
	}
	if ( !strcasecmp( key, "subject" ) ) {
		return set_str( cc, &nr->nr_subject, v, 1 );
	}
	if ( !strcasecmp( key, "body" ) ) {
		return set_str( cc, &nr->nr_body, v, 1 );
	}
	return -1;
}

static int
number_setting( conf_ctx *cc, const char *key, const char *v )
{
	nt_conf *nc = cc->cc_nc;
	double *d = NULL;
	char *end;
	long n;

	if ( !strcasecmp( key, "retries" ) ) {
		n = strtol( v, &end, 10 );
		if ( *end || end == v || n < 1 || n > 100 ) {
			return conf_error( cc, "retries: 1 to 100, not \"%s\"", v );
		}
		nc->nc_retries = (int)n;
		return 0;
	}
	if ( !strcasecmp( key, "poll-interval" ) ) d = &nc->nc_poll;
	else if ( !strcasecmp( key, "retry-delay" ) ) d = &nc->nc_retry_delay;
	else if ( !strcasecmp( key, "retry-max-delay" ) ) d = &nc->nc_retry_max;
	else if ( !strcasecmp( key, "timeout" ) ) d = &nc->nc_timeout;
	else return -1;
	if ( parse_seconds( v, d ) != 0 ) {
		return conf_error( cc, "%s: seconds, not \"%s\"", key, v );
	}
	return 0;
}

/* The notifier's own keys: only before the first role section. */
static int
global_setting( conf_ctx *cc, const char *key, char *v )
{
	nt_conf *nc = cc->cc_nc;
	int rc;

	if ( ( rc = number_setting( cc, key, v ) ) != -1 ) return rc;
	if ( !strcasecmp( key, "state-file" ) )
		return set_str( cc, &nc->nc_state_file, v, 0 );
	if ( !strcasecmp( key, "smtp-url" ) )
		return set_str( cc, &nc->nc_smtp_url, v, 0 );
	if ( !strcasecmp( key, "smtp-user" ) )
		return set_str( cc, &nc->nc_smtp_user, v, 0 );
	if ( !strcasecmp( key, "mail-from" ) )
		return set_str( cc, &nc->nc_mail_from, v, 0 );
	if ( !strcasecmp( key, "webhook-text" ) )
		return set_str( cc, &nc->nc_webhook_text, v, 1 );
	if ( !strcasecmp( key, "smtp-password-file" ) ) {
		pimctl_free_secret( nc->nc_smtp_password );
		nc->nc_smtp_password = NULL;
		if ( read_password( v, &nc->nc_smtp_password ) != 0 ) {
			return conf_error( cc, "cannot read %s", v );
		}
		return 0;
	}
	if ( !strcasecmp( key, "smtp-starttls" ) ) {
		return parse_bool( v, &nc->nc_smtp_starttls ) ?
			conf_error( cc, "smtp-starttls: yes or no" ) : 0;
	}
	if ( !strcasecmp( key, "syslog" ) ) {
		return parse_bool( v, &nc->nc_syslog ) ?
			conf_error( cc, "syslog: yes or no" ) : 0;
	}
	if ( !strcasecmp( key, "webhook-url" ) ) {
		return nt_strs_add( &nc->nc_webhooks, v ) ?
			conf_error( cc, "out of memory" ) : 0;
	}
	if ( !strcasecmp( key, "admin-mail" ) ) {
		return add_words( &nc->nc_admin_mail, v ) ?
			conf_error( cc, "out of memory" ) : 0;
	}
	if ( !strcasecmp( key, "admin-group" ) ) {
		return nt_strs_add( &nc->nc_admin_groups, v ) ?
			conf_error( cc, "out of memory" ) : 0;
	}
	return -1;
}

/* One line: KEY and VALUE (quotes removed), in place; 0: blank. */
static int
split_line( char *line, char **key, char **val )
{
	char *p = line, *end;

	line[strcspn( line, "\r\n" )] = '\0';
	while ( isspace( (unsigned char)*p ) ) p++;
	if ( *p == '\0' || *p == '#' ) {
		return 0;
	}
	*key = p;
	while ( *p && !isspace( (unsigned char)*p ) ) p++;
	if ( *p ) *p++ = '\0';
	while ( isspace( (unsigned char)*p ) ) p++;
	end = p + strlen( p );
	while ( end > p && isspace( (unsigned char)end[-1] ) ) *--end = '\0';
	if ( end - p >= 2 && *p == '"' && end[-1] == '"' ) {
		end[-1] = '\0';
		p++;
	}
	*val = p;
	return 1;
}

static int
conf_line( conf_ctx *cc, char *line )
{
	char *key, *v;
	int rc;

	if ( split_line( line, &key, &v ) == 0 ) {
		return 0;
	}
	if ( *v == '\0' ) {
		return conf_error( cc, "%s: no value", key );
	}
	if ( !strcasecmp( key, "role" ) ) {
		return role_section( cc, v );
	}
	if ( ( rc = role_setting( cc, key, v ) ) != -1 ) {
		return rc;
	}
	rc = global_setting( cc, key, v );
	if ( rc == -1 ) {
		return conf_error( cc, "unknown setting \"%s\"", key );
	}
	if ( cc->cc_role != &cc->cc_nc->nc_defaults ) {
		return conf_error( cc, "%s: only before the first role line", key );
	}
	return rc;
}

/* What a file that names no channel cannot do, said at once. */
static int
conf_check( pimctl *pc, const char *file, nt_conf *nc )
{
	int i;

	if ( nc->nc_smtp_url == NULL && nc->nc_webhooks.s_n == 0 ) {
		pimctl_error( pc, "%s: no smtp-url and no webhook-url: nothing to"
			" deliver to", file );
		return PIMCTL_EX_USAGE;
	}
	if ( nc->nc_smtp_url && nc->nc_mail_from == NULL ) {
		pimctl_error( pc, "%s: smtp-url needs mail-from", file );
		return PIMCTL_EX_USAGE;
	}
	if ( nc->nc_state_file == NULL ) {
		pimctl_error( pc, "%s: no state-file (where the cursor is kept)",
			file );
		return PIMCTL_EX_USAGE;
	}
	if ( !nc->nc_defaults.nr_events_set ) {
		for ( i = 0; default_events[i]; i++ ) {
			if ( nt_strs_add( &nc->nc_defaults.nr_events,
				default_events[i] ) )
			{
				return PIMCTL_EX_CLIENT;
			}
		}
	}
	return 0;
}

/* nc is filled in (nt_conf_free frees it, also after a failure);
 * returns 0 or an exit status, reported. */
int
nt_conf_read( pimctl *pc, const char *file, nt_conf *nc )
{
	conf_ctx cc = { pc, file, 0, nc, &nc->nc_defaults };
	char line[4096];
	FILE *fp;
	int rc = 0;

	memset( nc, 0, sizeof( *nc ) );
	nc->nc_poll = 0.5;
	nc->nc_timeout = 30;
	nc->nc_retries = 5;
	nc->nc_retry_delay = 1;
	nc->nc_retry_max = 300;
	nc->nc_defaults.nr_critical = 0;
	nc->nc_defaults.nr_critical_only = 0;
	if ( ( fp = fopen( file, "r" ) ) == NULL ) {
		pimctl_error( pc, "%s: %s", file, strerror( errno ) );
		return PIMCTL_EX_CLIENT;
	}
	while ( rc == 0 && fgets( line, sizeof( line ), fp ) ) {
		cc.cc_line++;
		rc = conf_line( &cc, line );
	}
	fclose( fp );
	if ( rc == 0 ) {
		rc = conf_check( pc, file, nc );
	}
	return rc;
}

static void
role_free( nt_role *nr )
{
	ber_memfree( nr->nr_name );
	nt_strs_free( &nr->nr_events );
	nt_strs_free( &nr->nr_mail_to );
	ber_memfree( nr->nr_subject );
	ber_memfree( nr->nr_body );
}

void
nt_conf_free( nt_conf *nc )
{
	nt_role *nr, *next;

	ber_memfree( nc->nc_state_file );
	ber_memfree( nc->nc_smtp_url );
	ber_memfree( nc->nc_smtp_user );
	pimctl_free_secret( nc->nc_smtp_password );
	ber_memfree( nc->nc_mail_from );
	nt_strs_free( &nc->nc_webhooks );
	ber_memfree( nc->nc_webhook_text );
	nt_strs_free( &nc->nc_admin_mail );
	nt_strs_free( &nc->nc_admin_groups );
	role_free( &nc->nc_defaults );
	for ( nr = nc->nc_roles; nr; nr = next ) {
		next = nr->nr_next;
		role_free( nr );
		ber_memfree( nr );
	}
	memset( nc, 0, sizeof( *nc ) );
}

/* --- one role's settings ------------------------------------------------ */

const nt_role *
nt_conf_role( const nt_conf *nc, const char *role_dn )
{
	const nt_role *nr;
	char *ndn = role_dn ? norm_dn( role_dn ) : NULL, *cn;
	const nt_role *found = NULL;

	if ( ndn == NULL ) {
		return NULL;
	}
	cn = pimctl_rdn_value( ndn );
	for ( nr = nc->nc_roles; nr && !found; nr = nr->nr_next ) {
		if ( nr->nr_is_dn ? strcasecmp( nr->nr_name, ndn ) == 0 :
			( cn && strcasecmp( nr->nr_name, cn ) == 0 ) )
		{
			found = nr;
		}
	}
	ber_memfree( cn );
	ldap_memfree( ndn );
	return found;
}

/* The events of the class "assignment": an eligibility's changes by
 * the PIM administrators (an active assignment is an "activated"). */
static int
is_assignment_key( const char *key )
{
	static const char *const keys[] = { "eligibility-added",
		"eligibility-removed", "eligibility-changed",
		"eligibility-extended", "eligibility-renewed", NULL };
	int i;

	for ( i = 0; keys[i]; i++ ) {
		if ( strcasecmp( keys[i], key ) == 0 ) {
			return 1;
		}
	}
	return 0;
}

static int
events_have( const nt_strs *events, const char *key )
{
	return nt_strs_has( events, key ) || nt_strs_has( events, "all" ) ||
		( is_assignment_key( key ) && nt_strs_has( events, "assignment" ) );
}

/* Is event (as the trail names it: "eligibility added") on?  The
 * config names it with dashes for spaces. */
int
nt_event_on( const nt_conf *nc, const nt_role *nr, const char *event )
{
	char key[64];

	nt_event_key( event, key, sizeof( key ) );
	if ( nr && nr->nr_events_set ) {
		return events_have( &nr->nr_events, key );
	}
	return events_have( &nc->nc_defaults.nr_events, key );
}

int
nt_role_critical_only( const nt_conf *nc, const nt_role *nr )
{
	return nr && nr->nr_critical_only != -1 ? nr->nr_critical_only :
		nc->nc_defaults.nr_critical_only;
}

/* A "critical-only" role is critical too: that is half of what it
 * means. */
int
nt_role_critical( const nt_conf *nc, const nt_role *nr )
{
	return ( nr && nr->nr_critical != -1 ? nr->nr_critical :
		nc->nc_defaults.nr_critical ) || nt_role_critical_only( nc, nr );
}

const char *
nt_role_subject( const nt_conf *nc, const nt_role *nr )
{
	if ( nr && nr->nr_subject ) return nr->nr_subject;
	return nc->nc_defaults.nr_subject ? nc->nc_defaults.nr_subject :
		DEFAULT_SUBJECT;
}

const char *
nt_role_body( const nt_conf *nc, const nt_role *nr )
{
	if ( nr && nr->nr_body ) return nr->nr_body;
	return nc->nc_defaults.nr_body ? nc->nc_defaults.nr_body : DEFAULT_BODY;
}
