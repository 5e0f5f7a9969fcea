/* pimctl_extend.c - "pimctl extend": a later end for an active activation.
 *
 * The request names the role (and with --id the activation), and the
 * new length (--duration, field [2]) or the new end (--until, field
 * [6]).  The server answers with the activation's id, state and end;
 * when the role needs approval, the state is "pending" and the id is
 * that of a new request, which approvers decide like any other.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pimctl.h"

/* --duration or --until, --id, --reason into req. */
static int
extend_options( pimctl *pc, pim_request *req )
{
	pimctl_args *a = &pc->pc_args;
	int rc;

	if ( !!a->a_duration + !!a->a_until != 1 ) {
		pimctl_error( pc, "give one of --duration and --until" );
		return PIMCTL_EX_USAGE;
	}
	if ( a->a_duration ) {
		rc = pimctl_parse_duration( pc, "--duration", a->a_duration,
			&req->pr_duration );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_fields |= PIM_F_DURATION;
	} else {
		time_t now = time( NULL );

		rc = pimctl_parse_time( pc, "--until", a->a_until, now,
			&req->pr_end );
		if ( rc != 0 ) {
			return rc;
		}
		if ( req->pr_end <= now ) {
			pimctl_error( pc, "--until: %s is not in the future",
				a->a_until );
			return PIMCTL_EX_USAGE;
		}
		req->pr_fields |= PIM_F_END;
	}
	if ( a->a_id ) {
		rc = pimctl_check_id( pc, a->a_id );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_id = pimctl_bv( a->a_id );
		req->pr_fields |= PIM_F_ID;
	}
	if ( a->a_reason ) {
		req->pr_justification = pimctl_bv( a->a_reason );
		req->pr_fields |= PIM_F_JUSTIFICATION;
	}
	if ( a->a_eligible ) {
		if ( a->a_id || a->a_for ) {
			pimctl_error( pc, "--eligible asks about my own eligibility: "
				"no --id or --for" );
			return PIMCTL_EX_USAGE;
		}
		req->pr_kind = PIM_KIND_ELIGIBLE;
		req->pr_fields |= PIM_F_KIND;
	}
	return pimctl_otp_option( pc, req );
}

/* By the state the server answered:
 *	extended "ROLE" until END (id ID)
 *	requested an extension of "ROLE": pending approval (id ID)
 *	extension of "ROLE": STATE until END (id ID) */
static void
print_extension( const char *role, const char *user,
	const pim_response *rsp, const pim_request *req )
{
	if ( req->pr_fields & PIM_F_KIND ) {
		printf( "asked for my eligibility for \"%s\" to be extended",
			role );
		pimctl_print_span( rsp, req, 0 );	/* with the id */
		printf( ": %.*s", (int)rsp->ps_state.bv_len, rsp->ps_state.bv_val );
	} else if ( pimctl_state_is( rsp, "pending" ) ) {
		printf( "requested an extension of \"%s\"", role );
		pimctl_print_for( user );
		printf( ": pending approval" );
		if ( rsp->ps_fields & PIM_RF_ID ) {
			printf( " (id %.*s)", (int)rsp->ps_id.bv_len,
				rsp->ps_id.bv_val );
		}
	} else if ( !( rsp->ps_fields & PIM_RF_STATE ) ||
		pimctl_state_is( rsp, "active" ) )
	{
		printf( "extended \"%s\"", role );
		pimctl_print_for( user );
		pimctl_print_span( rsp, req, 0 );
	} else {
		printf( "extension of \"%s\"", role );
		pimctl_print_for( user );
		printf( ": %.*s", (int)rsp->ps_state.bv_len, rsp->ps_state.bv_val );
		pimctl_print_span( rsp, req, 0 );
	}
	putchar( '\n' );
}

int
pimctl_cmd_extend( pimctl *pc, int argc, char **argv )
{
	pim_request req;
	pim_response rsp;
	struct berval *data = NULL;
	char *role = NULL, *user = NULL;
	int rc;

	memset( &req, 0, sizeof( req ) );
	rc = extend_options( pc, &req );
	if ( rc == 0 ) {
		rc = pimctl_connect( pc );
	}
	if ( rc == 0 ) {
		rc = pimctl_resolve_role_for( pc, argv[0], &req, &role, &user );
	}
	if ( rc == 0 ) {
		rc = pimctl_exop_otp( pc, PIM_VERB_EXTEND, &req, &rsp, &data );
	}
	if ( rc == 0 ) {
		print_extension( role, user, &rsp, &req );
	}
	ber_bvfree( data );
	ber_memfree( role );
	ber_memfree( user );
	return rc;
}
