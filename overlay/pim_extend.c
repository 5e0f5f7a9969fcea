/* pim_extend.c - extending an active activation.
 *
 * An extension moves an active activation's end: at most the role's
 * maximum from now (an active assignment: its own maximum from its
 * start), justified and second-factored as an activation would be, and
 * never beyond the eligibility.  A role that needs approval extends
 * through a new request that overlaps the running activation, so the
 * membership never lapses while the approvers decide.  Requests about
 * an eligibility's own end are pim_elig_request.c's.
 */
#include "pim.h"

/* The principal's active activation to extend: the one req names, or
 * the one that ends last.  *ndn on o_tmpmemctx. */
static int
pim_extend_find( Operation *op, pim_info *pi, pim_request *req,
	struct berval *principal, struct berval *ndn, pim_act_facts *af,
	const char **text )
{
	BerVarray list = NULL;
	pim_act_facts cand;
	int i, rc;

	if ( req->pr_fields & PIM_F_ID ) {
		rc = pim_request_find( op, pi, req, ndn, af, text );
		if ( rc == LDAP_SUCCESS && ( af->af_state != PIM_ST_ACTIVE ||
			!dn_match( &af->af_principal, principal ) ) )
		{
			*text = "no active activation with this id";
			rc = LDAP_NO_SUCH_OBJECT;
		}
		return rc;
	}
	rc = pim_search_principal_role( op, pi, "pimActivation", principal,
		&req->pr_role, "(pimState=active)",
		pim_collect_ndn, &list );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ ) {
		if ( pim_act_facts_read( op, pi, &list[i], &cand ) != LDAP_SUCCESS )
			continue;
		if ( BER_BVISNULL( ndn ) || cand.af_end > af->af_end ) {
			pim_act_facts_free( op, af );
			*af = cand;
			if ( !BER_BVISNULL( ndn ) )
				op->o_tmpfree( ndn->bv_val, op->o_tmpmemctx );
			ber_dupbv_x( ndn, &list[i], op->o_tmpmemctx );
		} else {
			pim_act_facts_free( op, &cand );
		}
	}
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	if ( rc == LDAP_SUCCESS && BER_BVISNULL( ndn ) ) {
		*text = "no active activation of this role";
		rc = LDAP_NO_SUCH_OBJECT;
	}
	return rc;
}

/* May af run until new_end?  Within the role's maximum from now, later
 * than now, justified as an activation would be, and within the
 * eligibility (an active assignment: within its own maximum). */
static int
pim_extend_check( Operation *op, pim_info *pi, pim_request *req,
	pim_act_facts *af, pim_policy *policy, time_t *new_end, int by_admin,
	const char **text )
{
	pim_elig_scan es = { 0 };
	time_t now = slap_get_time();
	long effective;
	int rc;

	if ( af->af_end == 0 ) {
		*text = "a permanent assignment needs no extension";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( BER_BVISEMPTY( &af->af_elig ) ) {
		/* an active assignment: its own maximum, from its start */
		if ( *new_end - af->af_start > policy->pp_active_max ) {
			*text = "an active assignment may last at most the role's "
				"pimActiveMaxDuration";
			return LDAP_CONSTRAINT_VIOLATION;
		}
	} else if ( *new_end - now > policy->pp_max_duration ) {
		*text = "an extension may reach at most the role's maximum duration from now";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( *new_end <= af->af_end ) {
		*text = "the new end is not later than the current one";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	rc = pim_policy_check_activation( policy, *new_end - now,
		&req->pr_justification, &effective, text );
	/* an emergency role's extension is as loud and as explained as its
	 * activation, an administrator's aside */
	if ( rc == LDAP_SUCCESS && !by_admin )
		rc = pim_policy_check_emergency( policy, &req->pr_justification,
			pi->pi_emergency_jmin, text );
	/* the ticket stays the activation's own: no new one is asked for;
	 * an administrator extending an assignment gives no code of the
	 * holder's */
	if ( rc == LDAP_SUCCESS && policy->pp_mfa_required && !by_admin )
		rc = pim_mfa_check( op, pi, &af->af_principal, &req->pr_otp, text );
	if ( rc != LDAP_SUCCESS || BER_BVISEMPTY( &af->af_elig ) )
		return rc;
	es.es_now = now;
	rc = pim_eligibility_find( op, pi, &af->af_principal, &af->af_role,
		&es, text );
	if ( rc == LDAP_SUCCESS && es.es_end != 0 && es.es_end < *new_end )
		*new_end = es.es_end;	/* never beyond the eligibility */
	if ( rc == LDAP_SUCCESS && *new_end <= af->af_end ) {
		*text = "the eligibility ends before the new end";
		rc = LDAP_CONSTRAINT_VIOLATION;
	}
	pim_elig_scan_free( op, &es );
	return rc;
}

/* A role that needs approval extends through a new request: when it is
 * approved it overlaps the running activation, so the membership never
 * lapses. */
static int
pim_extend_request( Operation *op, pim_info *pi, pim_request *req,
	pim_act_facts *af, pim_policy *policy, time_t new_end,
	pim_response *out, const char **text )
{
	pim_act_plan plan;
	pim_request r = *req;

	memset( &plan, 0, sizeof( plan ) );
	plan.ap_state = PIM_ST_PENDING;
	plan.ap_expiry = slap_get_time() + policy->pp_request_lifetime;
	plan.ap_duration = new_end - slap_get_time();
	if ( !BER_BVISEMPTY( &af->af_through ) )
		plan.ap_through = &af->af_through;
	r.pr_fields &= ~PIM_F_ID;
	return pim_activation_create( op, pi, NULL, &af->af_principal, &r,
		&af->af_elig, &plan, out, text );
}

/* Move the active activation ndn (facts af) to new_end, checked: an
 * active -> active compare-and-swap that fails if it just ended. */
static int
pim_extend_apply( Operation *op, pim_info *pi, pim_request *req,
	struct berval *ndn, pim_act_facts *af, int emergency, time_t new_end,
	pim_response *out, const char **text )
{
	pim_modlist ml;
	int rc;

	ml.ml_n = 0;
	pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, new_end );
	rc = pim_state_move( op, pi, ndn, PIM_ST_ACTIVE, PIM_ST_ACTIVE, &ml );
	if ( rc != LDAP_SUCCESS ) {
		*text = "the activation has ended meanwhile";
		return LDAP_NO_SUCH_OBJECT;
	}
	pim_timer_add_end( pi, new_end, ndn );	/* and its warning */
	{
		pim_event_info e = { .ev_kind = PIM_EK_EXTENDED, .ev_role = &af->af_role,
			.ev_principal = &af->af_principal, .ev_id = &af->af_id,
			.ev_end = new_end, .ev_reason = &req->pr_justification };

		pim_event( op, pi, &e );
	}
	if ( emergency )
		pim_alert_emergency( op, pi, "extended", &af->af_principal,
			&af->af_role, &af->af_id, &req->pr_justification );
	out->ps_fields = PIM_RF_ID | PIM_RF_END | PIM_RF_STATE;
	ber_dupbv_x( &out->ps_id, &af->af_id, op->o_tmpmemctx );
	out->ps_end = new_end;
	ber_str2bv( "active", 0, 0, &out->ps_state );
	return LDAP_SUCCESS;
}

int
pim_extend( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	pim_act_facts af;
	pim_policy policy;
	struct berval principal, ndn = BER_BVNULL;
	time_t new_end;
	int rc, self, admin;

	memset( &af, 0, sizeof( af ) );
	rc = pim_need_user( op, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( ( req->pr_fields & PIM_F_KIND ) && req->pr_kind == PIM_KIND_ELIGIBLE )
		return pim_elig_request( op, rs, pi, req, out );
	principal = ( req->pr_fields & PIM_F_PRINCIPAL ) ? req->pr_principal : op->o_ndn;
	self = dn_match( &principal, &op->o_ndn );
	admin = pim_is_admin( op, pi );
	if ( !self && !admin ) {
		rs->sr_text = "only the principal may extend their activation";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	if ( !( req->pr_fields & ( PIM_F_DURATION | PIM_F_END ) ) ) {
		rs->sr_text = "an extension needs a duration or an end time";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	rc = pim_extend_find( op, pi, req, &principal, &ndn, &af, &rs->sr_text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_role_load( op, pi, &req->pr_role, &policy, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	/* An active assignment is an administrator's decision, and so is
	 * its extension, unless the role lets its holder extend it; an
	 * activation is its principal's own. */
	if ( BER_BVISEMPTY( &af.af_elig ) ? !admin &&
		!policy.pp_active_self_extend : !self )
	{
		rs->sr_text = BER_BVISEMPTY( &af.af_elig ) ?
			"an active assignment is extended by a PIM administrator "
			"(the role's pimActiveSelfExtendAllowed lets its holder "
			"extend it)" : "only the principal may extend their activation";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	new_end = ( req->pr_fields & PIM_F_END ) ? req->pr_end :
		slap_get_time() + req->pr_duration;
	rc = pim_extend_check( op, pi, req, &af, &policy, &new_end,
		admin && BER_BVISEMPTY( &af.af_elig ), &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( pim_policy_needs_approval( &policy ) && !( admin &&
		BER_BVISEMPTY( &af.af_elig ) ) ) {
		rc = pim_extend_request( op, pi, req, &af, &policy, new_end, out,
			&rs->sr_text );
		goto done;
	}
	rc = pim_extend_apply( op, pi, req, &ndn, &af, policy.pp_emergency,
		new_end, out, &rs->sr_text );
done:
	if ( !BER_BVISNULL( &ndn ) )
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	pim_act_facts_free( op, &af );
	rs->sr_err = rc;
	return rc;
}
