/* pimctl_activate.c - "pimctl activate" and "pimctl deactivate".
 *
 * activate may answer active, scheduled (a later start), pending (the
 * role needs approval: the clock starts when it is approved) or
 * approved.
 *
 * The options are checked before anything goes over the network, the
 * names are resolved next, and only then is the request sent: a typo
 * never reaches the server as a half-right request.
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

/* --duration, --start, --reason, --ticket into req. */
static int
activate_options( pimctl *pc, pim_request *req )
{
	pimctl_args *a = &pc->pc_args;
	int rc;

	if ( a->a_duration ) {
		rc = pimctl_parse_duration( pc, "--duration", a->a_duration,
			&req->pr_duration );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_fields |= PIM_F_DURATION;
	}
	if ( a->a_start ) {
		rc = pimctl_parse_time( pc, "--start", a->a_start, time( NULL ),
			&req->pr_start );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_fields |= PIM_F_START;
	}
	if ( a->a_reason ) {
		req->pr_justification = pimctl_bv( a->a_reason );
		req->pr_fields |= PIM_F_JUSTIFICATION;
	}
	if ( a->a_ticket ) {
		req->pr_ticket = pimctl_bv( a->a_ticket );
		req->pr_fields |= PIM_F_TICKET;
	}
	return 0;
}

/* ROLE, and --for USER, to DNs in req. */
int
pimctl_resolve_role_for( pimctl *pc, const char *role_name, pim_request *req,
	char **role, char **user )
{
	int rc;

	rc = pimctl_resolve_role( pc, role_name, role );
	if ( rc != 0 ) {
		return rc;
	}
	req->pr_role = pimctl_bv( *role );
	if ( pc->pc_args.a_for ) {
		rc = pimctl_resolve_user( pc, pc->pc_args.a_for, user );
		if ( rc != 0 ) {
			return rc;
		}
		req->pr_principal = pimctl_bv( *user );
		req->pr_fields |= PIM_F_PRINCIPAL;
	}
	return 0;
}

void
pimctl_print_for( const char *user )
{
	if ( user ) {
		printf( " for \"%s\"", user );
	}
}

/* By the state the server answered:
 *	activated "ROLE" until END (id ID)
 *	scheduled "ROLE" from START until END (id ID)
 *	requested "ROLE" [from START]: pending approval (id ID)
 *	activation of "ROLE": STATE from START until END (id ID) */
static void
print_activation( const char *role, const char *user,
	const pim_response *rsp, const pim_request *req )
{
	char buf[PIMCTL_TIMEBUF];

	if ( !( rsp->ps_fields & PIM_RF_STATE ) ||
		pimctl_state_is( rsp, "active" ) )
	{
		printf( "activated \"%s\"", role );
		pimctl_print_for( user );
		pimctl_print_span( rsp, req, 0 );
	} else if ( pimctl_state_is( rsp, "scheduled" ) ||
		pimctl_state_is( rsp, "approved" ) )
	{
		printf( "scheduled \"%s\"", role );
		pimctl_print_for( user );
		pimctl_print_span( rsp, req, 1 );
	} else if ( pimctl_state_is( rsp, "pending" ) ) {
		printf( "requested \"%s\"", role );
		pimctl_print_for( user );
		if ( req->pr_fields & PIM_F_START ) {
			/* a later start asked for; the end waits for approval */
			printf( " from %s", pimctl_time_str(
				( rsp->ps_fields & PIM_RF_START ) ? rsp->ps_start :
				req->pr_start, buf, sizeof( buf ) ) );
		}
		printf( ": pending approval" );
		if ( rsp->ps_fields & PIM_RF_ID ) {
			printf( " (id %.*s)", (int)rsp->ps_id.bv_len,
				rsp->ps_id.bv_val );
		}
	} else {
		printf( "activation of \"%s\"", role );
		pimctl_print_for( user );
		printf( ": %.*s", (int)rsp->ps_state.bv_len, rsp->ps_state.bv_val );
		pimctl_print_span( rsp, req, 1 );
	}
	putchar( '\n' );
}

/* Every ROLE of argv, and --for USER, resolved before any request is
 * sent: a typo in the third role sends nothing.  roles[argc] is NULL;
 * free with free_roles(). */
static int
resolve_roles( pimctl *pc, int argc, char **argv, char ***roles, char **user )
{
	int i, rc = 0;

	*roles = calloc( argc + 1, sizeof( **roles ) );
	if ( *roles == NULL ) {
		pimctl_error( pc, "out of memory" );
		return PIMCTL_EX_CLIENT;
	}
	for ( i = 0; rc == 0 && i < argc; i++ ) {
		rc = pimctl_resolve_role( pc, argv[i], &( *roles )[i] );
	}
	if ( rc == 0 && pc->pc_args.a_for ) {
		rc = pimctl_resolve_user( pc, pc->pc_args.a_for, user );
	}
	return rc;
}

static void
free_roles( char **roles )
{
	int i;

	for ( i = 0; roles && roles[i]; i++ ) {
		ber_memfree( roles[i] );
	}
	free( roles );
}

/* The request for one role: base's fields, that role and that user. */
static void
role_request( const pim_request *base, const char *role, const char *user,
	pim_request *req )
{
	*req = *base;
	req->pr_role = pimctl_bv( role );
	if ( user ) {
		req->pr_principal = pimctl_bv( user );
		req->pr_fields |= PIM_F_PRINCIPAL;
	}
}

/* First failure wins the exit status; the others are reported too. */
static void
note_status( int *status, int rc )
{
	if ( *status == 0 ) {
		*status = rc;
	}
}

int
pimctl_cmd_activate( pimctl *pc, int argc, char **argv )
{
	pim_request base, req;
	pim_response rsp;
	struct berval *data;
	char **roles = NULL, *user = NULL;
	int i, rc, status = 0;

	memset( &base, 0, sizeof( base ) );
	rc = activate_options( pc, &base );
	if ( rc == 0 ) {
		rc = pimctl_connect( pc );
	}
	if ( rc == 0 ) {
		rc = resolve_roles( pc, argc, argv, &roles, &user );
	}
	if ( rc != 0 ) {
		goto done;
	}
	for ( i = 0; i < argc; i++ ) {
		role_request( &base, roles[i], user, &req );
		/* a code asked for by an earlier role is in --otp by now */
		rc = pimctl_otp_option( pc, &req );
		data = NULL;
		if ( rc == 0 ) {
			rc = pimctl_exop_otp( pc, PIM_VERB_ACTIVATE, &req, &rsp,
				&data );
		}
		if ( rc == 0 ) {
			print_activation( roles[i], user, &rsp, &req );
		} else if ( argc > 1 ) {
			fprintf( stderr, "pimctl: \"%s\" not activated\n", roles[i] );
		}
		ber_bvfree( data );
		note_status( &status, rc );
	}
	rc = status;
done:
	free_roles( roles );
	ber_memfree( user );
	return rc;
}

int
pimctl_cmd_deactivate( pimctl *pc, int argc, char **argv )
{
	pim_request base, req;
	pim_response rsp;
	struct berval *data;
	char **roles = NULL, *user = NULL;
	int i, rc, status = 0;

	memset( &base, 0, sizeof( base ) );
	if ( pc->pc_args.a_id ) {
		if ( argc > 1 ) {
			pimctl_error( pc, "--id names one activation: give one ROLE" );
			return PIMCTL_EX_USAGE;
		}
		base.pr_id = pimctl_bv( pc->pc_args.a_id );
		base.pr_fields |= PIM_F_ID;
	}
	rc = pimctl_connect( pc );
	if ( rc == 0 ) {
		rc = resolve_roles( pc, argc, argv, &roles, &user );
	}
	if ( rc != 0 ) {
		goto done;
	}
	for ( i = 0; i < argc; i++ ) {
		role_request( &base, roles[i], user, &req );
		data = NULL;
		rc = pimctl_exop( pc, PIM_VERB_DEACTIVATE, &req, &rsp, &data );
		if ( rc == 0 ) {
			printf( "deactivated \"%s\"", roles[i] );
			pimctl_print_for( user );
			if ( rsp.ps_fields & PIM_RF_COUNT ) {
				printf( " (%ld activation%s ended)", rsp.ps_count,
					rsp.ps_count == 1 ? "" : "s" );
			}
			putchar( '\n' );
		} else if ( argc > 1 ) {
			fprintf( stderr, "pimctl: \"%s\" not deactivated\n", roles[i] );
		}
		ber_bvfree( data );
		note_status( &status, rc );
	}
	rc = status;
done:
	free_roles( roles );
	ber_memfree( user );
	return rc;
}
