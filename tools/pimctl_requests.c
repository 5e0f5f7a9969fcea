/* pimctl_requests.c - "pimctl requests": requests to decide, or mine.
 *
 * Without --mine: every pending request the server lets the caller
 * read, except the caller's own - for an approver, the requests they
 * may approve (the directory's ACLs decide what they see; a PIM
 * administrator usually sees them all):
 *
 *	(&(objectClass=pimActivation)(pimState=pending)(!(pimPrincipal=ME)))
 *
 * With --mine: the caller's own activations that have not ended
 * (pending, approved, scheduled, active), and with --all the ended ones
 * too.  Printed as one table, oldest request first:
 *
 *	Pending requests:
 *	  ID        ROLE                PRINCIPAL  STATE    REQUESTED  START  REASON       APPROVALS
 *	  0f8c2a6e  User Administrator  demo       pending  2h         -      new hires    0
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "pimctl.h"
#include "pim_state.h"
#include "pim_time.h"

#define REASON_WIDTH	32	/* characters of the justification shown */

enum { RQ_ID, RQ_ROLE, RQ_PRINCIPAL, RQ_STATE, RQ_REQUESTED, RQ_START,
	RQ_END, RQ_REASON, RQ_APPROVALS, RQ_CREATED, RQ_FOR, RQ_NCOLS };

static const pimctl_column columns[RQ_NCOLS] = {
	{ "ID",		"id",		0, 0, NULL },
	{ "ROLE",	"role",		PIMCTL_COL_DN, 0, NULL },
	{ "PRINCIPAL",	"principal",	PIMCTL_COL_DN, 0, NULL },
	{ "STATE",	"state",	0, 0, NULL },
	{ "REQUESTED",	"requested",	0, 0, NULL },
	{ "START",	"start",	PIMCTL_COL_TIME, 0, NULL },
	{ NULL,		"end",		PIMCTL_COL_TIME, 0, NULL },
	{ "REASON",	"reason",	0, REASON_WIDTH, NULL },
	{ "APPROVALS",	"approvals",	PIMCTL_COL_NUMBER, 0, NULL },
	{ NULL,		"created",	PIMCTL_COL_TIME, 0, NULL },
	/* what the request asks for: an activation, or (pimRequestFor) an
	 * eligibility's extension or renewal, to "end" */
	{ "FOR",	"for",		0, 0, NULL },
};

static char *attrs_wanted[] = {
	"pimId", "pimRoleDN", "pimPrincipal", "pimState",
	"pimRequestedDuration", "pimStartTime", "pimEndTime",
	"pimJustification", "pimApprovedBy", "createTimestamp",
	"pimRequestFor", NULL
};

/* States that --mine lists without --all: the open ones. */
static int
is_live( const char *state )
{
	return pim_state_name_in( state, PIM_STATES_OPEN );
}

static char *
format_duration( long secs )
{
	char buf[PIM_DURATION_BUFSIZE];

	if ( pim_duration_format( secs, buf, sizeof( buf ) ) < 0 ) {
		return NULL;
	}
	return ber_strdup( buf );
}

/* Does a row ask about an eligibility? */
static int
any_eligibility( pimctl_table *t )
{
	int i;

	for ( i = 0; i < t->t_nrows; i++ ) {
		const char *v = t->t_cells[i * t->t_ncols + RQ_FOR];

		if ( v != NULL && strcmp( v, "eligibility" ) == 0 )
			return 1;
	}
	return 0;
}

/* pimRequestedDuration, canonically; else the span start..end. */
static char *
requested( LDAP *ld, LDAPMessage *e )
{
	char *val = pimctl_first_value( ld, e, "pimRequestedDuration" );
	char buf[PIMCTL_TIMEBUF], *out;
	time_t start, end;
	long secs;

	if ( val ) {
		if ( pim_duration_parse( val, strlen( val ), &secs ) == 0 &&
			( out = format_duration( secs ) ) != NULL )
		{
			ber_memfree( val );
			return out;
		}
		return val;
	}
	pimctl_read_time( ld, e, "pimStartTime", &start, buf, sizeof( buf ),
		"" );
	pimctl_read_time( ld, e, "pimEndTime", &end, buf, sizeof( buf ), "" );
	if ( start && end > start ) {
		return format_duration( (long)( end - start ) );
	}
	return NULL;
}

/* Fill cells from e; 1 to leave it out (an ended one without --all). */
static int
read_row( pimctl *pc, LDAPMessage *e, char **c )
{
	LDAP *ld = pc->pc_ld;
	char buf[24];

	memset( c, 0, RQ_NCOLS * sizeof( *c ) );
	c[RQ_STATE] = pimctl_first_value( ld, e, "pimState" );
	if ( pc->pc_args.a_mine && !pc->pc_args.a_all &&
		!is_live( c[RQ_STATE] ) )
	{
		ber_memfree( c[RQ_STATE] );
		return 1;
	}
	c[RQ_ID] = pimctl_first_value( ld, e, "pimId" );
	c[RQ_ROLE] = pimctl_first_value( ld, e, "pimRoleDN" );
	c[RQ_PRINCIPAL] = pimctl_first_value( ld, e, "pimPrincipal" );
	c[RQ_REQUESTED] = requested( ld, e );
	c[RQ_START] = pimctl_first_value( ld, e, "pimStartTime" );
	c[RQ_END] = pimctl_first_value( ld, e, "pimEndTime" );
	c[RQ_REASON] = pimctl_first_value( ld, e, "pimJustification" );
	c[RQ_FOR] = ber_strdup( pimctl_has_value( ld, e, "pimRequestFor", NULL ) ?
		"eligibility" : "activation" );
	snprintf( buf, sizeof( buf ), "%d",
		pimctl_count_values( ld, e, "pimApprovedBy" ) );
	c[RQ_APPROVALS] = ber_strdup( buf );
	c[RQ_CREATED] = pimctl_first_value( ld, e, "createTimestamp" );
	return 0;
}

/* The entries of res as rows, oldest request first, into t. */
static int
tabulate( pimctl *pc, LDAPMessage *res, pimctl_table *t )
{
	static const int keys[] = { RQ_CREATED, RQ_ID };
	char *c[RQ_NCOLS];
	LDAPMessage *e;

	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		if ( read_row( pc, e, c ) == 0 && pimctl_table_add( t, c ) != 0 ) {
			pimctl_error( pc, "out of memory" );
			return PIMCTL_EX_CLIENT;
		}
	}
	pimctl_table_sort( t, keys, 2 );
	return 0;
}

static char *
requests_filter( pimctl *pc, const char *dn )
{
	char *value = NULL, *filter = NULL;
	size_t len;

	if ( pimctl_filter_escape( dn, &value ) != 0 ) {
		return NULL;
	}
	len = strlen( value ) + 128;
	filter = ber_memalloc( len );
	if ( filter && pc->pc_args.a_mine ) {
		snprintf( filter, len, "(&(objectClass=pimActivation)"
			"(pimPrincipal=%s))", value );
	} else if ( filter ) {
		snprintf( filter, len, "(&(objectClass=pimActivation)"
			"(pimState=pending)(!(pimPrincipal=%s)))", value );
	}
	ber_memfree( value );
	return filter;
}

/* Search, and print what came back even when the search ended early
 * (a size limit): the exit status still says it did. */
static int
list_requests( pimctl *pc, const char *base, const char *dn )
{
	pimctl_table t;
	LDAPMessage *res = NULL;
	char *filter = requests_filter( pc, dn );
	int rc, rc2;

	pimctl_table_init( &t, pc, RQ_NCOLS, columns );
	if ( filter == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	rc = pimctl_search( pc, base, LDAP_SCOPE_SUBTREE, filter, attrs_wanted,
		&res );
	if ( res == NULL || ( rc != 0 &&
		ldap_count_entries( pc->pc_ld, res ) <= 0 ) )
	{
		goto done;
	}
	rc2 = tabulate( pc, res, &t );
	if ( rc2 == 0 && !any_eligibility( &t ) )
		pimctl_table_hide( &t, RQ_FOR );	/* the usual case */
	if ( rc2 == 0 ) {
		rc2 = pimctl_output_one( pc, &t, pc->pc_args.a_mine ?
			"My requests" : "Pending requests", NULL );
	}
	if ( rc2 != 0 ) {
		rc = rc2;
	}
done:
	pimctl_table_free( &t );
	ldap_msgfree( res );
	ber_memfree( filter );
	return rc;
}

int
pimctl_cmd_requests( pimctl *pc, int argc, char **argv )
{
	const char *base;
	char *dn = NULL;
	int rc;

	if ( pc->pc_args.a_all && !pc->pc_args.a_mine ) {
		pimctl_error( pc, "--all needs --mine" );
		return PIMCTL_EX_USAGE;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = pimctl_whoami( pc, &dn );
	}
	if ( rc == 0 ) {
		rc = pimctl_get_base( pc, &base );
	}
	if ( rc == 0 ) {
		rc = list_requests( pc, base, dn );
	}
	ber_memfree( dn );
	return rc;
}
