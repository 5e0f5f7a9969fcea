/* pim_door1.c - the extended operations: door 1.
 *
 * One OID per verb, registered globally when the module loads (so they
 * are advertised in the root DSE's supportedExtension).  A request is
 * decoded, its DNs normalized, and routed by its role DN to the
 * database whose pim overlay instance serves that role; then the
 * engine decides.  The handler only fills rs: fe_extended sends the
 * response and frees sr_rspdata.
 */
#include "pim.h"
#include "pim_review.h"

typedef int (pim_verb_fn)( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );

typedef struct pim_exop {
	struct berval	px_oid;
	enum pim_verb	px_verb;
	pim_verb_fn	*px_fn;
	slap_mask_t	px_flags;
} pim_exop;

static pim_exop pim_exops[] = {
	{ BER_BVC( PIM_EXOP_ACTIVATE ), PIM_VERB_ACTIVATE, pim_activate, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_DEACTIVATE ), PIM_VERB_DEACTIVATE, pim_deactivate, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_ASSIGN ), PIM_VERB_ASSIGN, pim_assign, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REMOVE ), PIM_VERB_REMOVE, pim_remove, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_EXTEND ), PIM_VERB_EXTEND, pim_extend, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_APPROVE ), PIM_VERB_APPROVE, pim_approve, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_DENY ), PIM_VERB_DENY, pim_deny, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_CANCEL ), PIM_VERB_CANCEL, pim_cancel, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REVIEW_CREATE ), PIM_VERB_REVIEW_CREATE,
		pim_review_create, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REVIEW_MODIFY ), PIM_VERB_REVIEW_MODIFY,
		pim_review_modify, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REVIEW_DELETE ), PIM_VERB_REVIEW_DELETE,
		pim_review_delete, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REVIEW_DECIDE ), PIM_VERB_REVIEW_DECIDE,
		pim_review_decide_op, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REVIEW_APPLY ), PIM_VERB_REVIEW_APPLY,
		pim_review_apply_op, SLAP_EXOP_WRITES },
	{ BER_BVC( PIM_EXOP_REVIEW_STOP ), PIM_VERB_REVIEW_STOP,
		pim_review_stop_op, SLAP_EXOP_WRITES },
	{ BER_BVNULL, 0, NULL, 0 }
};

static const pim_exop *
pim_exop_find( struct berval *oid )
{
	const pim_exop *px;

	for ( px = pim_exops; px->px_fn != NULL; px++ ) {
		if ( bvmatch( &px->px_oid, oid ) )
			return px;
	}
	return NULL;
}

/* The pim instance configured on be, or NULL. */
static pim_info *
pim_instance( BackendDB *be )
{
	slap_overinst *on;

	if ( be == NULL || !overlay_is_inst( be, pim_overlay.on_bi.bi_type ) )
		return NULL;
	on = ( (slap_overinfo *)be->bd_info->bi_private )->oi_list;
	for ( ; on != NULL; on = on->on_next ) {
		if ( strcmp( on->on_bi.bi_type, pim_overlay.on_bi.bi_type ) == 0 )
			return on->on_bi.bi_private;
	}
	return NULL;
}

/* dnNormalize wants a NUL-terminated value; the request's bervals point
 * into the BER buffer. */
static int
pim_exop_dn( Operation *op, struct berval *in, struct berval *ndn )
{
	struct berval copy;
	int rc;

	ber_dupbv_x( &copy, in, op->o_tmpmemctx );
	rc = dnNormalize( 0, NULL, NULL, &copy, ndn, op->o_tmpmemctx );
	op->o_tmpfree( copy.bv_val, op->o_tmpmemctx );
	return rc;
}

/* Normalize the request's DNs in place (copies on o_tmpmemctx, which
 * the caller frees: they replace bervals that pointed into the BER). */
static int
pim_exop_normalize( Operation *op, pim_request *req, struct berval *role,
	struct berval *principal, const char **text )
{
	if ( pim_exop_dn( op, &req->pr_role, role ) != LDAP_SUCCESS ||
		BER_BVISEMPTY( role ) )
	{
		*text = "role: invalid DN";
		return LDAP_INVALID_DN_SYNTAX;
	}
	req->pr_role = *role;
	if ( req->pr_fields & PIM_F_PRINCIPAL ) {
		if ( pim_exop_dn( op, &req->pr_principal, principal ) != LDAP_SUCCESS ||
			BER_BVISEMPTY( principal ) )
		{
			*text = "principal: invalid DN";
			return LDAP_INVALID_DN_SYNTAX;
		}
		req->pr_principal = *principal;
	}
	return LDAP_SUCCESS;
}

/* A read-only consumer refers writes to its provider. */
static int
pim_exop_shadow_referral( Operation *op, SlapReply *rs )
{
	if ( !SLAP_SINGLE_SHADOW( op->o_bd ) || be_isupdate( op ) )
		return LDAP_SUCCESS;
	if ( op->o_bd->be_update_refs != NULL ) {
		rs->sr_ref = referral_rewrite( op->o_bd->be_update_refs,
			NULL, NULL, LDAP_SCOPE_DEFAULT );
		return LDAP_REFERRAL;
	}
	if ( default_referral != NULL )
		return LDAP_REFERRAL;	/* fe_extended fills it in */
	rs->sr_text = "shadow context; no update referral";
	return LDAP_UNWILLING_TO_PERFORM;
}

/* On a server where every database with PIM is a read-only consumer,
 * that database (the first), else NULL: a request PIM cannot even read
 * is referred to the provider like any other, rather than refused. */
static BackendDB *
pim_only_shadow( void )
{
	BackendDB *be, *found = NULL;

	LDAP_STAILQ_FOREACH( be, &backendDB, be_next ) {
		if ( pim_instance( be ) == NULL )
			continue;
		if ( !SLAP_SINGLE_SHADOW( be ) )
			return NULL;
		if ( found == NULL )
			found = be;
	}
	return found;
}

/* A request that names no role (no value, or one that does not decode):
 * the referral of a consumer, or rc as it is. */
static int
pim_exop_unreadable( Operation *op, SlapReply *rs, int rc )
{
	BackendDB *saved = op->o_bd, *be = pim_only_shadow();
	const char *text = rs->sr_text;

	if ( be == NULL )
		return rc;
	op->o_bd = be;
	if ( pim_exop_shadow_referral( op, rs ) == LDAP_REFERRAL )
		rc = LDAP_REFERRAL;
	else
		rs->sr_text = text;
	op->o_bd = saved;
	return rc;
}

static int
pim_exop_respond( Operation *op, SlapReply *rs, pim_response *out )
{
	struct berval bv;

	if ( out->ps_fields == 0 )
		return LDAP_SUCCESS;
	if ( pim_response_encode( out, &bv ) != 0 ) {
		rs->sr_text = "cannot encode the response";
		return LDAP_OTHER;
	}
	/* fe_extended frees it with ber_bvfree() */
	rs->sr_rspdata = ber_memalloc( sizeof( struct berval ) );
	*rs->sr_rspdata = bv;
	return LDAP_SUCCESS;
}

/* The PIM instance that holds role (the request's first DN), if it
 * may act now: a provider whose audit trail is open.  Sets op->o_bd
 * (the caller restores it). */
static int
pim_exop_instance( Operation *op, SlapReply *rs, const pim_exop *px,
	struct berval *role, pim_info **pip )
{
	pim_info *pi;
	int rc;

	op->o_bd = select_backend( role, 0 );
	*pip = pi = pim_instance( op->o_bd );
	if ( pi == NULL || pi->pi_db == NULL ) {
		rs->sr_text = px->px_verb >= PIM_VERB_REVIEW_CREATE ?
			"no database with the pim overlay holds this target" :
			"no database with the pim overlay holds this role";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	rc = pim_exop_shadow_referral( op, rs );
	if ( rc != LDAP_SUCCESS )
		return rc;
	/* a consumer promoted a moment ago: its timer and audit trail start
	 * within seconds (pim_role_follow); nothing goes unaudited */
	if ( pi->pi_task == NULL ) {
		rs->sr_text = "this server has just become a PIM provider and "
			"opens its audit trail within seconds: try again";
		return LDAP_UNAVAILABLE;
	}
	return backend_check_restrictions( op, rs, (struct berval *)&px->px_oid );
}

/* The refusal's event: the verb, and the role (for a review's verbs,
 * the target entry) and principal the request named. */
static void
pim_exop_refused( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_exop *px, int rc, struct berval *role,
	struct berval *principal )
{
	pim_event_info e = { .ev_kind = PIM_EK_REFUSED,
		.ev_action = px ? pim_verb_name( px->px_verb ) : "request",
		.ev_result = rc, .ev_text = rs->sr_text ? rs->sr_text : "" };

	if ( !BER_BVISNULL( role ) && px->px_verb >= PIM_VERB_REVIEW_CREATE )
		e.ev_dn = role;
	else if ( !BER_BVISNULL( role ) )
		e.ev_role = role;
	if ( !BER_BVISNULL( principal ) )
		e.ev_principal = principal;
	pim_event( op, pi, &e );
}

static int
pim_exop_main( Operation *op, SlapReply *rs )
{
	const pim_exop *px = pim_exop_find( &op->ore_reqoid );
	BackendDB *saved = op->o_bd;
	struct berval role = BER_BVNULL, principal = BER_BVNULL;
	pim_request req;
	pim_response out;
	pim_info *pi = NULL;
	int rc;

	memset( &out, 0, sizeof( out ) );
	if ( px == NULL ) {
		rs->sr_text = "unknown PIM operation";
		rc = LDAP_PROTOCOL_ERROR;
		goto done;
	}
	if ( op->ore_reqdata == NULL ) {
		rs->sr_text = "PIM request value is missing";
		rc = pim_exop_unreadable( op, rs, LDAP_PROTOCOL_ERROR );
		goto done;
	}
	rc = pim_request_decode( px->px_verb, op->ore_reqdata, &req, &rs->sr_text );
	if ( rc != LDAP_SUCCESS ) {
		rc = pim_exop_unreadable( op, rs, rc );
		goto done;
	}
	rc = pim_exop_normalize( op, &req, &role, &principal, &rs->sr_text );
	if ( rc != LDAP_SUCCESS ) {
		if ( px->px_verb >= PIM_VERB_REVIEW_CREATE )
			rs->sr_text = "target: invalid DN";
		goto done;
	}

	rc = pim_exop_instance( op, rs, px, &role, &pi );
	if ( rc != LDAP_SUCCESS )
		goto done;

	rc = px->px_fn( op, rs, pi, &req, &out );
	if ( rc == LDAP_SUCCESS )
		rc = pim_exop_respond( op, rs, &out );

done:
	op->o_bd = saved;
	/* before the frees: the event names the role and principal */
	if ( rc != LDAP_SUCCESS && rc != LDAP_REFERRAL )
		pim_exop_refused( op, rs, pi, px, rc, &role, &principal );
	if ( !BER_BVISNULL( &role ) )
		op->o_tmpfree( role.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &principal ) )
		op->o_tmpfree( principal.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &out.ps_id ) )
		op->o_tmpfree( out.ps_id.bv_val, op->o_tmpmemctx );
	rs->sr_err = rc;
	return rc;
}

int
pim_extop_register( void )
{
	pim_exop *px;
	int rc;

	for ( px = pim_exops; px->px_fn != NULL; px++ ) {
		rc = load_extop2( &px->px_oid, px->px_flags, pim_exop_main, 0 );
		if ( rc != LDAP_SUCCESS ) {
			Debug( LDAP_DEBUG_ANY, "pim: cannot register extended "
				"operation %s (%d)\n", px->px_oid.bv_val, rc );
			return rc;
		}
	}
	return 0;
}
