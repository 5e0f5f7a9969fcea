/* pimctl_assign.c - "pimctl assign" and "pimctl unassign".
 *
 * An assignment is eligible (the user may activate the role) or active
 * (the user holds it without activating: until an end, or permanently,
 * which an active assignment must say).  Both send kind: eligible (0)
 * or active (1).  A
 * --duration becomes an end time computed here, from the start or from
 * now, so that what was asked for is what the entry will say.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pimctl.h"

/* --eligible or --active; eligible when neither is given. */
static int
assignment_kind( pimctl *pc, pim_request *req )
{
	if ( pc->pc_args.a_eligible && pc->pc_args.a_active ) {
		pimctl_error( pc, "--eligible and --active exclude each other" );
		return PIMCTL_EX_USAGE;
	}
	req->pr_kind = pc->pc_args.a_active ? PIM_KIND_ACTIVE : PIM_KIND_ELIGIBLE;
	req->pr_fields |= PIM_F_KIND;
	return 0;
}

/* --start, and one of --end, --duration, --permanent. */
static int
assignment_span( pimctl *pc, pim_request *req )
{
	pimctl_args *a = &pc->pc_args;
	time_t now = time( NULL );
	long secs;
	int rc;

	if ( !!a->a_end + !!a->a_duration + !!a->a_permanent > 1 ) {
		pimctl_error( pc, "give only one of --end, --duration and"
			" --permanent" );
		return PIMCTL_EX_USAGE;
	}
	if ( req->pr_kind == PIM_KIND_ACTIVE &&
		!a->a_end && !a->a_duration && !a->a_permanent )
	{
		pimctl_error( pc, "an active assignment needs --end, --duration"
			" or --permanent" );
		return PIMCTL_EX_USAGE;
	}
	if ( a->a_start ) {
		rc = pimctl_parse_time( pc, "--start", a->a_start, now,
			&req->pr_start );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_fields |= PIM_F_START;
	}
	if ( a->a_end ) {
		rc = pimctl_parse_time( pc, "--end", a->a_end, now, &req->pr_end );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_fields |= PIM_F_END;
	} else if ( a->a_duration ) {
		rc = pimctl_parse_duration( pc, "--duration", a->a_duration, &secs );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_end = ( a->a_start ? req->pr_start : now ) + secs;
		req->pr_fields |= PIM_F_END;
	} else if ( a->a_permanent ) {
		req->pr_permanent = 1;
		req->pr_fields |= PIM_F_PERMANENT;
	}
	if ( ( req->pr_fields & PIM_F_END ) && req->pr_end <=
		( a->a_start ? req->pr_start : now ) )
	{
		pimctl_error( pc, "the assignment would end before it starts" );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}

/* USER and ROLE to DNs in req. */
static int
resolve_pair( pimctl *pc, char **argv, pim_request *req, char **user,
	char **role )
{
	int rc;

	rc = pimctl_resolve_user( pc, argv[0], user );
	if ( rc != 0 ) {
		return rc;
	}
	req->pr_principal = pimctl_bv( *user );
	req->pr_fields |= PIM_F_PRINCIPAL;
	rc = pimctl_resolve_role( pc, argv[1], role );
	if ( rc != 0 ) {
		return rc;
	}
	req->pr_role = pimctl_bv( *role );
	return 0;
}

static const char *
kind_name( const pim_request *req )
{
	return req->pr_kind == PIM_KIND_ACTIVE ? "active" : "eligible";
}

int
pimctl_cmd_assign( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	pim_response rsp;
	struct berval *data = NULL;
	char *role = NULL, *user = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = assignment_kind( pc, &req );
	if ( rc == 0 ) {
		rc = assignment_span( pc, &req );
	}
	if ( rc != 0 ) {
		goto done;
	}
	if ( pc->pc_args.a_reason ) {
		req.pr_justification = pimctl_bv( pc->pc_args.a_reason );
		req.pr_fields |= PIM_F_JUSTIFICATION;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = resolve_pair( pc, argv, &req, &user, &role );
	}
	if ( rc != 0 ) {
		goto done;
	}
	rc = pimctl_exop( pc, PIM_VERB_ASSIGN, &req, &rsp, &data );
	if ( rc == 0 ) {
		printf( "assigned \"%s\" to \"%s\" as %s", role, user,
			kind_name( &req ) );
		if ( ( rsp.ps_fields & PIM_RF_STATE ) &&
			!pimctl_state_is( &rsp, kind_name( &req ) ) )
		{
			printf( " (%.*s)", (int)rsp.ps_state.bv_len,
				rsp.ps_state.bv_val );
		}
		pimctl_print_span( &rsp, &req, 1 );
		putchar( '\n' );
	}
done:
	ber_bvfree( data );
	ber_memfree( role );
	ber_memfree( user );
	return rc;
}

int
pimctl_cmd_unassign( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	pim_response rsp;
	struct berval *data = NULL;
	char *role = NULL, *user = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = assignment_kind( pc, &req );
	if ( rc == 0 ) {
		rc = pimctl_connect( pc );
	}
	if ( rc == 0 ) {
		rc = resolve_pair( pc, argv, &req, &user, &role );
	}
	if ( rc != 0 ) {
		goto done;
	}
	rc = pimctl_exop( pc, PIM_VERB_REMOVE, &req, &rsp, &data );
	if ( rc != 0 ) {
		goto done;
	}
	printf( "removed the %s assignment of \"%s\" to \"%s\"",
		kind_name( &req ), role, user );
	if ( rsp.ps_fields & PIM_RF_COUNT ) {
		printf( " (%ld %s)", rsp.ps_count,
			req.pr_kind == PIM_KIND_ACTIVE ? "revoked" : "removed" );
	}
	putchar( '\n' );
done:
	ber_bvfree( data );
	ber_memfree( role );
	ber_memfree( user );
	return rc;
}
