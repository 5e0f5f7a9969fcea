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
#include "pim_time.h"

#define REASON_WIDTH	32	/* characters of the justification shown */

static const char *const columns[] = {
	"ID", "ROLE", "PRINCIPAL", "STATE", "REQUESTED", "START", "REASON",
	"APPROVALS"
};
#define NCOLS	( (int)( sizeof( columns ) / sizeof( columns[0] ) ) )

static char *attrs_wanted[] = {
	"pimId", "pimRoleDN", "pimPrincipal", "pimState",
	"pimRequestedDuration", "pimStartTime", "pimEndTime",
	"pimJustification", "pimApprovedBy", "createTimestamp", NULL
};

/* States that --mine lists without --all. */
static const char *const live_states[] = {
	"pending", "approved", "scheduled", "active", NULL
};

typedef struct request_row {
	time_t	rq_created;
	char	*rq_id;		/* for sorting; also in rq_cells */
	char	*rq_cells[NCOLS];
} request_row;

static int
is_live( const char *state )
{
	int i;

	for ( i = 0; state && live_states[i]; i++ ) {
		if ( strcasecmp( state, live_states[i] ) == 0 ) {
			return 1;
		}
	}
	return 0;
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

/* Fill row from e; 1 to leave it out (an ended one without --all). */
static int
read_row( pimctl *pc, pimctl_names *ns, LDAPMessage *e, request_row *row )
{
	LDAP *ld = pc->pc_ld;
	char buf[PIMCTL_TIMEBUF], *reason, **c = row->rq_cells;
	time_t start;
	int n;

	c[3] = pimctl_first_value( ld, e, "pimState" );
	if ( pc->pc_args.a_mine && !pc->pc_args.a_all && !is_live( c[3] ) ) {
		return 1;
	}
	c[0] = pimctl_first_value( ld, e, "pimId" );
	row->rq_id = c[0];
	c[1] = pimctl_display_attr( pc, ns, e, "pimRoleDN" );
	c[2] = pimctl_display_attr( pc, ns, e, "pimPrincipal" );
	c[4] = requested( ld, e );
	pimctl_read_time( ld, e, "pimStartTime", &start, buf, sizeof( buf ),
		"-" );
	c[5] = ber_strdup( buf );
	reason = pimctl_first_value( ld, e, "pimJustification" );
	c[6] = reason ? pimctl_text_clip( reason, REASON_WIDTH ) : NULL;
	ber_memfree( reason );
	n = pimctl_count_values( ld, e, "pimApprovedBy" );
	snprintf( buf, sizeof( buf ), "%d", n );
	c[7] = ber_strdup( buf );
	pimctl_read_time( ld, e, "createTimestamp", &row->rq_created, buf,
		sizeof( buf ), "" );
	return 0;
}

static int
row_cmp( const void *a, const void *b )
{
	const request_row *x = a, *y = b;
	int c = ( x->rq_created > y->rq_created ) -
		( x->rq_created < y->rq_created );

	if ( c == 0 ) {
		c = strcmp( x->rq_id ? x->rq_id : "", y->rq_id ? y->rq_id : "" );
	}
	return c;
}

static void
free_row( request_row *row )
{
	int i;

	for ( i = 0; i < NCOLS; i++ ) {
		ber_memfree( row->rq_cells[i] );
	}
}

/* The entries of res as rows, sorted, into t. */
static int
tabulate( pimctl *pc, LDAPMessage *res, pimctl_table *t )
{
	pimctl_names ns = { NULL, 0, 0, pc->pc_args.a_dn };
	request_row *rows;
	LDAPMessage *e;
	int n = 0, i, rc = 0;

	rows = ber_memcalloc( ldap_count_entries( pc->pc_ld, res ) + 1,
		sizeof( *rows ) );
	if ( rows == NULL ) {
		goto nomem;
	}
	for ( e = ldap_first_entry( pc->pc_ld, res ); e;
		e = ldap_next_entry( pc->pc_ld, e ) )
	{
		if ( read_row( pc, &ns, e, &rows[n] ) ) {
			free_row( &rows[n] );
			memset( &rows[n], 0, sizeof( rows[n] ) );
		} else {
			n++;
		}
	}
	qsort( rows, n, sizeof( *rows ), row_cmp );
	for ( i = 0; i < n; i++ ) {
		if ( rc == 0 && pimctl_table_add( t, rows[i].rq_cells ) != 0 ) {
			rc = -1;
		} else if ( rc != 0 ) {
			free_row( &rows[i] );
		}
	}
	ber_memfree( rows );
	pimctl_names_free( &ns );
	if ( rc == 0 ) {
		return 0;
	}
nomem:
	pimctl_error( pc, "out of memory" );
	return PIMCTL_EX_CLIENT;
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

	pimctl_table_init( &t, NCOLS, columns );
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
	if ( rc2 != 0 ) {
		rc = rc2;
		goto done;
	}
	printf( "%s:\n", pc->pc_args.a_mine ? "My requests" :
		"Pending requests" );
	if ( t.t_nrows == 0 ) {
		printf( "  (none)\n" );
	} else {
		pimctl_table_print( &t, "  " );
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
