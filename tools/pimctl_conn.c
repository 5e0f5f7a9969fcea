/* pimctl_conn.c - connecting and binding, as ldap-utils do.
 *
 * The session comes from ldap_initialize() with -H or, without it, the
 * URI of ldap.conf/.ldaprc; protocol version 3; StartTLS with -Z/-ZZ;
 * then a simple bind, or a SASL bind through libldap with our own
 * interaction callback (pimctl does not link libsasl2 itself).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#ifdef HAVE_SASL_SASL_H
#include <sasl/sasl.h>
#endif

#include "pimctl.h"

/* Wipe and free a secret. */
static void
free_secret( char *s )
{
	if ( s ) {
		memset( s, 0, strlen( s ) );
		free( s );
	}
}

/* Read one line from the terminal (or stdin when there is none, as
 * getpass(3) does), without echo if asked.  Returns a malloc'ed string
 * without its newline, or NULL at end of input. */
static char *
read_line( const char *prompt, int noecho )
{
	FILE *in = fopen( "/dev/tty", "r+" ), *out = in;
	struct termios saved, quiet;
	int echo_off = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if ( in == NULL ) {
		in = stdin;
		out = stderr;
	}
	if ( noecho && tcgetattr( fileno( in ), &saved ) == 0 ) {
		quiet = saved;
		quiet.c_lflag &= ~( ECHO | ECHONL );
		echo_off = tcsetattr( fileno( in ), TCSAFLUSH, &quiet ) == 0;
	}
	fputs( prompt, out );
	fflush( out );
	len = getline( &line, &cap, in );
	if ( echo_off ) {
		tcsetattr( fileno( in ), TCSAFLUSH, &saved );
		fputc( '\n', out );
	}
	if ( in != stdin ) {
		fclose( in );
	}
	if ( len < 0 ) {
		free_secret( line );
		return NULL;
	}
	if ( len > 0 && line[len - 1] == '\n' ) {
		line[len - 1] = '\0';
	}
	return line;
}

/* A secret typed at the terminal, without echo (a one-time code).
 * Free it with pimctl_free_secret(). */
char *
pimctl_read_secret( const char *prompt )
{
	return read_line( prompt, 1 );
}

void
pimctl_free_secret( char *s )
{
	free_secret( s );
}

/* -y: the password is the whole content of the file, a trailing newline
 * included, exactly as ldapsearch -y reads it. */
static int
read_pwfile( pimctl *pc )
{
	FILE *fp = fopen( pc->pc_pwfile, "r" );
	struct stat st;
	char buf[4096];
	size_t n;
	char *val;

	if ( fp == NULL ) {
		pimctl_error( pc, "%s: %s", pc->pc_pwfile, strerror( errno ) );
		return PIMCTL_EX_CLIENT;
	}
	if ( fstat( fileno( fp ), &st ) == 0 && ( st.st_mode & 006 ) ) {
		fprintf( stderr, "Warning: Password file %s is publicly"
			" readable/writeable\n", pc->pc_pwfile );
	}
	while ( ( n = fread( buf, 1, sizeof( buf ), fp ) ) > 0 ) {
		val = ber_memrealloc( pc->pc_passwd.bv_val,
			pc->pc_passwd.bv_len + n + 1 );
		if ( val == NULL ) {
			break;
		}
		memcpy( val + pc->pc_passwd.bv_len, buf, n );
		pc->pc_passwd.bv_val = val;
		pc->pc_passwd.bv_len += n;
		val[pc->pc_passwd.bv_len] = '\0';
	}
	memset( buf, 0, sizeof( buf ) );
	if ( ferror( fp ) || n > 0 ) {
		pimctl_error( pc, "%s: cannot read the password", pc->pc_pwfile );
		fclose( fp );
		return PIMCTL_EX_CLIENT;
	}
	fclose( fp );
	return 0;
}

/* -W */
static int
prompt_password( pimctl *pc )
{
	char *pw = read_line( "Enter LDAP Password: ", 1 );

	if ( pw == NULL ) {
		pimctl_error( pc, "no password read" );
		return PIMCTL_EX_CLIENT;
	}
	pc->pc_passwd.bv_len = strlen( pw );
	pc->pc_passwd.bv_val = ber_strdup( pw );
	free_secret( pw );
	if ( pc->pc_passwd.bv_val == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	return 0;
}

static int
simple_bind( pimctl *pc )
{
	LDAPMessage *res = NULL;
	char *matched = NULL, *info = NULL, **refs = NULL;
	int rc, err, msgid;

	pimctl_verbose( pc, "simple bind as \"%s\"",
		pc->pc_binddn ? pc->pc_binddn : "" );
	rc = ldap_sasl_bind( pc->pc_ld, pc->pc_binddn, LDAP_SASL_SIMPLE,
		&pc->pc_passwd, NULL, NULL, &msgid );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, "bind", rc );
	}
	rc = ldap_result( pc->pc_ld, msgid, LDAP_MSG_ALL, NULL, &res );
	if ( rc <= 0 ) {
		ldap_get_option( pc->pc_ld, LDAP_OPT_RESULT_CODE, &err );
		return pimctl_ld_error( pc, "bind", rc == 0 ? LDAP_TIMEOUT : err );
	}
	rc = ldap_parse_result( pc->pc_ld, res, &err, &matched, &info, &refs,
		NULL, 1 );
	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, "bind", rc );
	}
	rc = 0;
	if ( err != LDAP_SUCCESS ) {
		rc = pimctl_ldap_error( pc, "bind", err, matched, info, refs );
	}
	ldap_memfree( matched );
	ldap_memfree( info );
	ldap_memvfree( (void **)refs );
	return rc;
}

#ifdef HAVE_SASL_SASL_H

/* What the interaction callback answers without asking, and what it
 * was told when it had to ask (kept until the bind is over). */
typedef struct sasl_defaults {
	char		*sd_realm;
	char		*sd_authcid;
	char		*sd_authzid;
	struct berval	*sd_passwd;
	char		**sd_answers;
	int		sd_nanswers;
} sasl_defaults;

static const char *
sasl_default_for( sasl_interact_t *it, sasl_defaults *defs, int *noecho )
{
	*noecho = 0;
	switch ( it->id ) {
	case SASL_CB_GETREALM:
		return defs->sd_realm;
	case SASL_CB_AUTHNAME:
		return defs->sd_authcid;
	case SASL_CB_USER:
		return defs->sd_authzid;
	case SASL_CB_PASS:
		*noecho = 1;
		return defs->sd_passwd->bv_val;
	case SASL_CB_NOECHOPROMPT:
		*noecho = 1;
		return it->defresult;
	default:
		return it->defresult;
	}
}

/* Ask the user; the answer joins defs->sd_answers. */
static int
sasl_ask( sasl_interact_t *it, sasl_defaults *defs, int noecho,
	const char *dflt )
{
	char prompt[256];
	char *answer, **answers;

	if ( it->challenge && ( it->id == SASL_CB_ECHOPROMPT ||
		it->id == SASL_CB_NOECHOPROMPT ) )
	{
		fprintf( stderr, "Challenge: %s\n", it->challenge );
	}
	if ( dflt && !noecho ) {
		fprintf( stderr, "Default: %s\n", dflt );
	}
	snprintf( prompt, sizeof( prompt ), "%s: ",
		it->prompt ? it->prompt : "Interact" );
	answer = read_line( prompt, noecho );
	if ( answer == NULL ) {
		return LDAP_UNAVAILABLE;
	}
	answers = ber_memrealloc( defs->sd_answers,
		( defs->sd_nanswers + 1 ) * sizeof( char * ) );
	if ( answers == NULL ) {
		free_secret( answer );
		return LDAP_NO_MEMORY;
	}
	defs->sd_answers = answers;
	answers[defs->sd_nanswers++] = answer;
	it->result = answer;
	it->len = strlen( answer );
	return LDAP_SUCCESS;
}

static int
sasl_answer( unsigned flags, sasl_interact_t *it, sasl_defaults *defs )
{
	int noecho, rc;
	const char *dflt = sasl_default_for( it, defs, &noecho );

	if ( dflt && !*dflt ) {
		dflt = NULL;
	}
	if ( flags != LDAP_SASL_INTERACTIVE &&
		( dflt || it->id == SASL_CB_USER ) )
	{
		goto use_default;
	}
	if ( flags == LDAP_SASL_QUIET ) {
		return LDAP_OTHER;
	}
	rc = sasl_ask( it, defs, noecho, dflt );
	if ( rc != LDAP_SUCCESS || it->len > 0 ) {
		return rc;
	}

use_default:
	it->result = dflt ? dflt : "";
	if ( it->id == SASL_CB_PASS && dflt ) {
		it->len = defs->sd_passwd->bv_len;
	} else {
		it->len = strlen( it->result );
	}
	return LDAP_SUCCESS;
}

static int
sasl_interact( LDAP *ld, unsigned flags, void *defaults, void *in )
{
	sasl_interact_t *it;
	int rc;

	if ( flags == LDAP_SASL_INTERACTIVE ) {
		fputs( "SASL Interaction\n", stderr );
	}
	for ( it = in; it->id != SASL_CB_LIST_END; it++ ) {
		rc = sasl_answer( flags, it, defaults );
		if ( rc != LDAP_SUCCESS ) {
			return rc;
		}
	}
	return LDAP_SUCCESS;
}

/* A default from -R/-U/-X, else from ldap.conf (SASL_REALM ...). */
static char *
sasl_option( LDAP *ld, const char *given, int option )
{
	char *val = NULL;

	if ( given ) {
		return ber_strdup( given );
	}
	ldap_get_option( ld, option, &val );
	return val;
}

static int
sasl_bind( pimctl *pc )
{
	sasl_defaults defs;
	int rc, i;

	if ( pc->pc_sasl_secprops && ldap_set_option( pc->pc_ld,
		LDAP_OPT_X_SASL_SECPROPS, pc->pc_sasl_secprops ) != LDAP_OPT_SUCCESS )
	{
		pimctl_error( pc, "-O %s: bad SASL security properties",
			pc->pc_sasl_secprops );
		return PIMCTL_EX_USAGE;
	}
	memset( &defs, 0, sizeof( defs ) );
	defs.sd_realm = sasl_option( pc->pc_ld, pc->pc_sasl_realm,
		LDAP_OPT_X_SASL_REALM );
	defs.sd_authcid = sasl_option( pc->pc_ld, pc->pc_sasl_authcid,
		LDAP_OPT_X_SASL_AUTHCID );
	defs.sd_authzid = sasl_option( pc->pc_ld, pc->pc_sasl_authzid,
		LDAP_OPT_X_SASL_AUTHZID );
	defs.sd_passwd = &pc->pc_passwd;

	pimctl_verbose( pc, "SASL bind, mechanism %s",
		pc->pc_sasl_mech ? pc->pc_sasl_mech : "(default)" );
	rc = ldap_sasl_interactive_bind_s( pc->pc_ld, pc->pc_binddn,
		pc->pc_sasl_mech, NULL, NULL, pc->pc_sasl_flags,
		sasl_interact, &defs );

	ber_memfree( defs.sd_realm );
	ber_memfree( defs.sd_authcid );
	ber_memfree( defs.sd_authzid );
	for ( i = 0; i < defs.sd_nanswers; i++ ) {
		free_secret( defs.sd_answers[i] );
	}
	ber_memfree( defs.sd_answers );

	if ( rc != LDAP_SUCCESS ) {
		return pimctl_ld_error( pc, "bind", rc );
	}
	return 0;
}

#else /* !HAVE_SASL_SASL_H */

static int
sasl_bind( pimctl *pc )
{
	pimctl_error( pc, "not built with SASL support; use -x" );
	return PIMCTL_EX_USAGE;
}

#endif /* HAVE_SASL_SASL_H */

static int
start_tls( pimctl *pc )
{
	int rc = ldap_start_tls_s( pc->pc_ld, NULL, NULL );
	int status;

	if ( rc == LDAP_SUCCESS ) {
		return 0;
	}
	status = pimctl_ld_error( pc, "StartTLS", rc );
	/* -Z goes on in the clear unless the connection itself failed */
	if ( pc->pc_use_tls > 1 || rc < 0 ) {
		return status;
	}
	return 0;
}

int
pimctl_connect( pimctl *pc )
{
	int rc;

	if ( pc->pc_pwfile ) {
		rc = read_pwfile( pc );
	} else if ( pc->pc_want_pw ) {
		rc = prompt_password( pc );
	} else {
		rc = 0;
	}
	if ( rc != 0 ) {
		return rc;
	}

	return pimctl_open( pc );
}

/* Connect and bind to pc_uri with the credentials already read. */
int
pimctl_open( pimctl *pc )
{
	int rc, version = LDAP_VERSION3;

	if ( pc->pc_debug_set ) {
		/* global, as ldap-utils set them: the session's setup logs too */
		ber_set_option( NULL, LBER_OPT_DEBUG_LEVEL, &pc->pc_debug );
		ldap_set_option( NULL, LDAP_OPT_DEBUG_LEVEL, &pc->pc_debug );
	}
	pimctl_verbose( pc, "ldap_initialize( %s )",
		pc->pc_uri ? pc->pc_uri : "<DEFAULT>" );
	rc = ldap_initialize( &pc->pc_ld, pc->pc_uri );
	if ( rc != LDAP_SUCCESS ) {
		pimctl_error( pc, "cannot use URI %s: %s (%d)",
			pc->pc_uri ? pc->pc_uri : "<DEFAULT>",
			ldap_err2string( rc ), rc );
		return pc->pc_uri ? PIMCTL_EX_USAGE : PIMCTL_EX_CLIENT;
	}
	ldap_set_option( pc->pc_ld, LDAP_OPT_PROTOCOL_VERSION, &version );
	ldap_set_option( pc->pc_ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF );
	if ( pc->pc_nettimeout > 0 ) {
		struct timeval tv = { pc->pc_nettimeout, 0 };

		/* connecting (what ldap-utils limit), and each answer: a
		 * server that accepts and never answers must not hang a
		 * script either */
		ldap_set_option( pc->pc_ld, LDAP_OPT_NETWORK_TIMEOUT, &tv );
		ldap_set_option( pc->pc_ld, LDAP_OPT_TIMEOUT, &tv );
	}

	if ( pc->pc_use_tls ) {
		rc = start_tls( pc );
		if ( rc != 0 ) {
			return rc;
		}
	}
	if ( pc->pc_authmethod == LDAP_AUTH_SASL ) {
		return sasl_bind( pc );
	}
	return simple_bind( pc );
}
