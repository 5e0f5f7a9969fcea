/* pimctl_output.c - messages, exit status and times, as pimctl prints them.
 *
 * Errors look like ldap-utils' (tool_perror):
 *	pimctl: activate: Insufficient access (50)
 *		matched DN: ...
 *		additional info: ...
 * so that people and scripts used to ldapsearch read them the same way.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
