/* pimctl_exop.c - one PIM extended operation, request to response.
 *
 * The asynchronous call and ldap_parse_extended_result() +
 * ldap_parse_result() rather than ldap_extended_operation_s(), so that
 * a refusal comes with the server's diagnostic text, matched DN and
 * referrals (a read-only consumer refers writes to its provider).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pimctl.h"
#include "pim_oids.h"

static const char *const verb_oids[PIM_VERB_COUNT] = {
	PIM_EXOP_ACTIVATE,
	PIM_EXOP_DEACTIVATE,
	PIM_EXOP_ASSIGN,
	PIM_EXOP_REMOVE,
	PIM_EXOP_EXTEND,
	PIM_EXOP_APPROVE,
	PIM_EXOP_DENY,
	PIM_EXOP_CANCEL,
	PIM_EXOP_REVIEW_CREATE,
	PIM_EXOP_REVIEW_MODIFY,
	PIM_EXOP_REVIEW_DELETE,
	PIM_EXOP_REVIEW_DECIDE,
	PIM_EXOP_REVIEW_APPLY,
	PIM_EXOP_REVIEW_STOP
};

/* The command-line spelling of each request field, for messages. */
static const struct {
	unsigned	bit;
	const char	*option;
} field_options[] = {
	{ PIM_F_PRINCIPAL,	"--for/USER" },
	{ PIM_F_ID,		"--id" },
	{ PIM_F_DURATION,	"--duration" },
	{ PIM_F_JUSTIFICATION,	"--reason" },
	{ PIM_F_TICKET,		"--ticket" },
	{ PIM_F_START,		"--start" },
	{ PIM_F_END,		"--end/--until/--duration" },
	{ PIM_F_KIND,		"--eligible/--active" },
	{ PIM_F_PERMANENT,	"--permanent" },
	{ PIM_F_OTP,		"--otp" },
	{ PIM_F_DECISION,	"approve/deny/dontknow" },
	{ PIM_F_RECOMMENDED,	"accept" },
	{ PIM_F_SETTINGS,	"the review settings" },
	{ 0, NULL }
};

static const char *
field_option( unsigned bits )
{
	int i;

	for ( i = 0; field_options[i].bit; i++ ) {
		if ( bits & field_options[i].bit ) {
			return field_options[i].option;
		}
	}
	return "?";
}

/* Refuse locally what the protocol refuses, naming the option. */
static int
check_fields( pimctl *pc, enum pim_verb verb, const pim_request *req )
{
	unsigned extra = req->pr_fields & ~pim_verb_allowed( verb );
	unsigned missing = pim_verb_required( verb ) & ~req->pr_fields;

	if ( extra ) {
		pimctl_error( pc, "%s cannot be used with %s",
			field_option( extra ), pim_verb_name( verb ) );
		return PIMCTL_EX_USAGE;
	}
	if ( missing ) {
		pimctl_error( pc, "%s needs %s", pim_verb_name( verb ),
			field_option( missing ) );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}

/* Decode a successful response; a response we cannot read does not
 * undo what the server did, so it only earns a warning. */
static void
decode_response( pimctl *pc, struct berval *data, pim_response *rsp )
{
	const char *text = NULL;

	if ( data == NULL || data->bv_len == 0 ) {
		return;
	}
	if ( pim_response_decode( data, rsp, &text ) != LDAP_SUCCESS ) {
		pimctl_error( pc, "warning: cannot decode the server's response:"
			" %s", text ? text : "malformed" );
		memset( rsp, 0, sizeof( *rsp ) );
	}
}

static void
set_result( pimctl *pc, pimctl_result *res, int err )
{
	res->r_err = err;
	ldap_get_option( pc->pc_ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &res->r_info );
	ldap_get_option( pc->pc_ld, LDAP_OPT_MATCHED_DN, &res->r_matched );
}

/* The answer to msgid into *res; 0 when the server said success. */
static int
wait_result( pimctl *pc, int msgid, struct berval **rspdata,
	pimctl_result *res )
{
	LDAPMessage *msg = NULL;
	char *retoid = NULL;
	int rc, err;

	rc = ldap_result( pc->pc_ld, msgid, LDAP_MSG_ALL, NULL, &msg );
	if ( rc <= 0 ) {
		ldap_get_option( pc->pc_ld, LDAP_OPT_RESULT_CODE, &err );
		set_result( pc, res, rc == 0 ? LDAP_TIMEOUT : err );
		return -1;
	}
	rc = ldap_parse_extended_result( pc->pc_ld, msg, &retoid, rspdata, 0 );
	if ( rc == LDAP_SUCCESS ) {
		rc = ldap_parse_result( pc->pc_ld, msg, &res->r_err,
			&res->r_matched, &res->r_info, &res->r_refs, NULL, 0 );
	}
	if ( rc != LDAP_SUCCESS ) {
		set_result( pc, res, rc );
	}
	ldap_msgfree( msg );
	ldap_memfree( retoid );
	return res->r_err == LDAP_SUCCESS ? 0 : -1;
}

void
pimctl_result_free( pimctl_result *res )
{
	ldap_memfree( res->r_matched );
	ldap_memfree( res->r_info );
	ldap_memvfree( (void **)res->r_refs );
	memset( res, 0, sizeof( *res ) );
}

/* Print a refusal kept in res; returns its exit status. */
int
pimctl_result_report( pimctl *pc, pimctl_result *res )
{
	return pimctl_ldap_error( pc, NULL, res->r_err, res->r_matched,
		res->r_info, res->r_refs );
}

/* A read-only consumer refers a write to its provider: connect there
 * with the same credentials (saying so), once.  0 when reconnected. */
static int
follow_referral( pimctl *pc, pimctl_result *res )
{
	static char uri[1024];
	LDAPURLDesc *lud = NULL;

	if ( pc->pc_no_referrals || res->r_err != LDAP_REFERRAL ||
		res->r_refs == NULL || res->r_refs[0] == NULL ||
		ldap_url_parse( res->r_refs[0], &lud ) != LDAP_URL_SUCCESS )
		return -1;
	/* the server alone: a referral's DN names the consumer's view */
	{
		const char *host = lud->lud_host ? lud->lud_host : "";
		int v6 = strchr( host, ':' ) != NULL;
		char port[16] = "";

		if ( lud->lud_port )
			snprintf( port, sizeof( port ), ":%d", lud->lud_port );
		snprintf( uri, sizeof( uri ), "%s://%s%s%s%s", lud->lud_scheme,
			v6 ? "[" : "", host, v6 ? "]" : "", port );
	}
	ldap_free_urldesc( lud );
	fprintf( stderr, "%s: referred to %s: sending the request there\n",
		PIMCTL_PROG, uri );
	ldap_unbind_ext( pc->pc_ld, NULL, NULL );
	pc->pc_ld = NULL;
	pc->pc_uri = uri;
	return pimctl_open( pc ) == 0 ? 0 : -1;
}

static int
exop_once( pimctl *pc, enum pim_verb verb, const pim_request *req,
	pim_response *rsp, struct berval **rspdata, pimctl_result *res )
{
	struct berval reqdata = { 0, NULL };
	int rc, msgid;

	memset( rsp, 0, sizeof( *rsp ) );
	memset( res, 0, sizeof( *res ) );
	*rspdata = NULL;
	rc = check_fields( pc, verb, req );
	if ( rc != 0 ) {
		return rc;
	}
	if ( pim_request_encode( verb, req, &reqdata ) != 0 ) {
		pimctl_error( pc, "cannot encode the request (a value too long?)" );
		return PIMCTL_EX_USAGE;
	}
	pimctl_verbose( pc, "extended operation %s (%s)",
		pim_verb_name( verb ), verb_oids[verb] );
	rc = ldap_extended_operation( pc->pc_ld, verb_oids[verb], &reqdata,
		NULL, NULL, &msgid );
	if ( rc != LDAP_SUCCESS ) {
		set_result( pc, res, rc );
		rc = -1;
	} else {
		rc = wait_result( pc, msgid, rspdata, res );
	}
	if ( rc == 0 ) {
		decode_response( pc, *rspdata, rsp );
	} else {
		ber_bvfree( *rspdata );
		*rspdata = NULL;
	}
	ber_memfree( reqdata.bv_val );
	return rc;
}

/* Send req as verb (following a consumer's referral to its provider
 * once, unless --no-referrals) and wait for the answer, printing nothing about a
 * refusal.  Returns 0 with *rsp decoded (its bervals point into
 * *rspdata, which the caller frees with ber_bvfree()); -1 when the
 * server or libldap said no, with *res filled in (the caller reports
 * it with pimctl_result_report() and frees it); or the exit status of
 * a failure already reported (a request that cannot be sent). */
int
pimctl_exop_try( pimctl *pc, enum pim_verb verb, const pim_request *req,
	pim_response *rsp, struct berval **rspdata, pimctl_result *res )
{
	int rc = exop_once( pc, verb, req, rsp, rspdata, res );

	if ( rc == -1 && follow_referral( pc, res ) == 0 ) {
		pimctl_result_free( res );
		rc = exop_once( pc, verb, req, rsp, rspdata, res );
	}
	return rc;
}

/* The same, printing a refusal: 0 or the exit status. */
int
pimctl_exop( pimctl *pc, enum pim_verb verb, const pim_request *req,
	pim_response *rsp, struct berval **rspdata )
{
	pimctl_result res;
	int rc = pimctl_exop_try( pc, verb, req, rsp, rspdata, &res );

	if ( rc == -1 ) {
		rc = pimctl_result_report( pc, &res );
	}
	pimctl_result_free( &res );
	return rc;
}

/* A berval over s, no copy: requests only borrow argv and our DNs. */
struct berval
pimctl_bv( const char *s )
{
	struct berval bv;

	bv.bv_val = (char *)s;
	bv.bv_len = s ? strlen( s ) : 0;
	return bv;
}

/* " from START until END (id ID)": the parts of a response that are
 * there, else of the request; the start only if asked. */
void
pimctl_print_span( const pim_response *rsp, const pim_request *req,
	int show_start )
{
	char buf[PIMCTL_TIMEBUF];

	if ( !show_start ) {
		/* skip it */
	} else if ( rsp->ps_fields & PIM_RF_START ) {
		printf( " from %s", pimctl_time_str( rsp->ps_start, buf,
			sizeof( buf ) ) );
	} else if ( req->pr_fields & PIM_F_START ) {
		printf( " from %s", pimctl_time_str( req->pr_start, buf,
			sizeof( buf ) ) );
	}
	if ( rsp->ps_fields & PIM_RF_END ) {
		printf( " until %s", pimctl_time_str( rsp->ps_end, buf,
			sizeof( buf ) ) );
	} else if ( req->pr_fields & PIM_F_END ) {
		printf( " until %s", pimctl_time_str( req->pr_end, buf,
			sizeof( buf ) ) );
	} else if ( ( req->pr_fields & PIM_F_PERMANENT ) && req->pr_permanent ) {
		printf( ", permanent" );
	}
	if ( rsp->ps_fields & PIM_RF_ID ) {
		printf( " (id %.*s)", (int)rsp->ps_id.bv_len, rsp->ps_id.bv_val );
	}
}

/* Is the response's state this one? */
int
pimctl_state_is( const pim_response *rsp, const char *state )
{
	return ( rsp->ps_fields & PIM_RF_STATE ) &&
		rsp->ps_state.bv_len == strlen( state ) &&
		strncasecmp( rsp->ps_state.bv_val, state,
			rsp->ps_state.bv_len ) == 0;
}

/* An activation id as the protocol carries it: 1..128 bytes. */
int
pimctl_check_id( pimctl *pc, const char *id )
{
	if ( *id == '\0' ) {
		pimctl_error( pc, "empty request id" );
		return PIMCTL_EX_USAGE;
	}
	if ( strlen( id ) > PIM_MAX_ID ) {
		pimctl_error( pc, "request id longer than %d bytes", PIM_MAX_ID );
		return PIMCTL_EX_USAGE;
	}
	return 0;
}
