/* pimctl_decide.c - "pimctl approve", "pimctl deny" and "pimctl cancel".
 *
 * A request is named by its id.  Every PIM request carries a role DN,
 * which routes it to the database that holds the role: pimctl reads it
 * from the request's entry ((&(objectClass=pimActivation)(pimId=ID))
 * under the search base), unless --role names it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pimctl.h"

/* The role of request id: --role, else the request's pimRoleDN. */
static int
request_role( pimctl *pc, const char *id, char **role )
{
	*role = NULL;
	if ( pc->pc_args.a_role ) {
		return pimctl_resolve_role( pc, pc->pc_args.a_role, role );
	}
	return pimctl_find_request( pc, id, role );
}

static void
print_state( const pim_response *rsp )
{
	printf( ": %.*s", (int)rsp->ps_state.bv_len, rsp->ps_state.bv_val );
}

static void
print_count( const pim_response *rsp, const char *before )
{
	if ( rsp->ps_fields & PIM_RF_COUNT ) {
		printf( "%s%ld approval%s%s", before, rsp->ps_count,
			rsp->ps_count == 1 ? "" : "s",
			*before == ',' ? " so far" : ")" );
	}
}

static void
print_time( const char *word, const pim_response *rsp, unsigned field,
	time_t t )
{
	char buf[PIMCTL_TIMEBUF];

	if ( rsp->ps_fields & field ) {
		printf( " %s %s", word, pimctl_time_str( t, buf, sizeof( buf ) ) );
	}
}

/* approved request ID for "ROLE": now active until END (2 approvals)
 * approved request ID for "ROLE": scheduled from START until END (2 approvals)
 * approved request ID for "ROLE": still pending, 1 approval so far */
static void
print_approval( const pim_response *rsp )
{
	if ( pimctl_state_is( rsp, "pending" ) ) {
		printf( ": still pending" );
		print_count( rsp, ", " );
		return;
	}
	if ( pimctl_state_is( rsp, "active" ) ) {
		printf( ": now active" );
		print_time( "until", rsp, PIM_RF_END, rsp->ps_end );
	} else if ( pimctl_state_is( rsp, "approved" ) ||
		pimctl_state_is( rsp, "scheduled" ) )
	{
		printf( ": scheduled" );
		print_time( "from", rsp, PIM_RF_START, rsp->ps_start );
		print_time( "until", rsp, PIM_RF_END, rsp->ps_end );
	} else if ( rsp->ps_fields & PIM_RF_STATE ) {
		print_state( rsp );
	}
	print_count( rsp, " (" );
}

/* One decision (verb APPROVE, DENY or CANCEL) on request id:
 *	approved request ID for "ROLE": ... (see print_approval)
 *	denied request ID for "ROLE"
 *	cancelled request ID for "ROLE"
 * and ": STATE" after the last two if the state is not the expected. */
static int
decide( pimctl *pc, enum pim_verb verb, const char *id, const char *done,
	const char *expected )
{
	pim_request req;
	pim_response rsp;
	pimctl_names ns = { NULL, 0, 0, 1 };
	struct berval *data = NULL;
	const char *shown;
	char *role = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = pimctl_check_id( pc, id );
	if ( rc != 0 ) {
		return rc;
	}
	req.pr_id = pimctl_bv( id );
	req.pr_fields |= PIM_F_ID;
	if ( pc->pc_args.a_reason ) {
		req.pr_justification = pimctl_bv( pc->pc_args.a_reason );
		req.pr_fields |= PIM_F_JUSTIFICATION;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = request_role( pc, id, &role );
	}
	if ( rc == 0 ) {
		req.pr_role = pimctl_bv( role );
		rc = pimctl_exop( pc, verb, &req, &rsp, &data );
	}
	if ( rc == 0 ) {
		/* pimRoleDN may be stored normalized: as the role spells it */
		shown = pc->pc_args.a_role ? NULL :
			pimctl_display_name( pc, &ns, role );
		printf( "%s request %s for \"%s\"", done, id,
			shown ? shown : role );
		if ( verb == PIM_VERB_APPROVE ) {
			print_approval( &rsp );
		} else if ( ( rsp.ps_fields & PIM_RF_STATE ) &&
			!pimctl_state_is( &rsp, expected ) )
		{
			print_state( &rsp );
		}
		putchar( '\n' );
	}
	pimctl_names_free( &ns );
	ber_bvfree( data );
	ber_memfree( role );
	return rc;
}

int
pimctl_cmd_approve( pimctl *pc, int argc, char **argv )
{
	return decide( pc, PIM_VERB_APPROVE, argv[0], "approved", "approved" );
}

int
pimctl_cmd_deny( pimctl *pc, int argc, char **argv )
{
	if ( pc->pc_args.a_reason == NULL || *pc->pc_args.a_reason == '\0' ) {
		pimctl_error( pc, "a denial needs --reason TEXT" );
		return PIMCTL_EX_USAGE;
	}
	return decide( pc, PIM_VERB_DENY, argv[0], "denied", "denied" );
}

int
pimctl_cmd_cancel( pimctl *pc, int argc, char **argv )
{
	return decide( pc, PIM_VERB_CANCEL, argv[0], "cancelled", "cancelled" );
}
