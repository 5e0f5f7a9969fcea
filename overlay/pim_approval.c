/* pim_approval.c - approval, denial and cancellation of a request.
 *
 * A role with pimApprovalRequired leaves each activation request
 * pending.  Approvers are the role's pimApprover values (users, or
 * groups whose member/uniqueMember lists them); a role that names none
 * is approved by the PIM administrators.  Nobody decides their own
 * request.  The request activates when pimApprovalsNeeded distinct
 * approvers have approved it, and its clock starts then, not at the
 * request.  Any one denial ends it.
 */
#include "pim.h"

/* Is the requester one of the role's approvers? */
int
pim_is_approver( Operation *op, pim_info *pi, struct berval *role )
{
	BerVarray approvers = NULL;
	Entry *e = NULL;
	Attribute *a;
	int found;

	if ( pim_entry_get( op, pi, role, &e ) != LDAP_SUCCESS )
		return 0;
	a = attr_find( e->e_attrs, pim_ad_approver );
	if ( a != NULL )
		ber_bvarray_dup_x( &approvers, a->a_nvals, op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	if ( approvers == NULL )
		return pim_is_admin( op, pi );

	found = pim_dn_in( op, pi, &op->o_ndn, approvers );
	ber_bvarray_free_x( approvers, op->o_tmpmemctx );
	return found;
}

/* The end of the eligibility behind a request (0: permanent or an
 * active assignment).  -1 when the eligibility is gone. */
static int
pim_request_elig_end( Operation *op, pim_info *pi, pim_act_facts *af,
	time_t *end )
{
	Entry *e = NULL;

	*end = 0;
	if ( BER_BVISEMPTY( &af->af_elig ) )
		return 0;
	if ( pim_entry_get( op, pi, &af->af_elig, &e ) != LDAP_SUCCESS )
		return -1;
	if ( pim_entry_time( e, pim_ad_end, end ) != 0 )
		*end = 0;
	pim_entry_release( op, pi, e );
	return 0;
}

/* The quorum is reached: the request starts now, or at its start. */
static int
pim_request_grant( Operation *op, SlapReply *rs, pim_info *pi,
	struct berval *ndn, pim_act_facts *af, pim_policy *policy,
	pim_modlist *approval, pim_response *out )
{
	time_t now = slap_get_time(), start, end, elig_end;
	long duration = af->af_duration ? af->af_duration : policy->pp_max_duration;
	int rc, later;

	if ( af->af_for_elig )	/* never an activation: its eligibility */
		return pim_elig_request_grant( op, rs, pi, ndn, af, approval,
			out );
	if ( pim_request_elig_end( op, pi, af, &elig_end ) != 0 ||
		( elig_end != 0 && elig_end <= now ) )
	{
		(void)pim_activation_finish( op, pi, ndn, PIM_EV_REVOKE,
			&op->o_ndn, NULL, NULL );
		rs->sr_text = "the eligibility behind this request has ended";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	/* one that starts now: its end counts from the next whole second
	 * (see pim_act_plan_make) */
	later = af->af_start > now;
	start = af->af_start;
	end = pim_activation_expiry( later ? start : pim_now_ceil( &start ),
		duration, elig_end );
	if ( later ) {
		pim_ml_time( approval, LDAP_MOD_REPLACE, pim_ad_start, start );
		pim_ml_time( approval, LDAP_MOD_REPLACE, pim_ad_end, end );
		rc = pim_state_move( op, pi, ndn, PIM_ST_PENDING, PIM_ST_APPROVED,
			approval );
		if ( rc == LDAP_SUCCESS )
			pim_timer_add( pi, start, ndn );
	} else {
		rc = pim_activation_begin( op, pi, ndn, af, PIM_EV_APPROVE_NOW,
			start, end, approval );
	}
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot record the approval";
		return LDAP_OTHER;
	}
	out->ps_fields |= PIM_RF_START | PIM_RF_END;
	out->ps_start = start;
	out->ps_end = end;
	ber_str2bv( later ? "approved" : "active", 0, 0, &out->ps_state );
	return LDAP_SUCCESS;
}

/* May the requester decide the request af: pending, somebody else's,
 * and a role they approve? */
static int
pim_decide_may( Operation *op, pim_info *pi, pim_act_facts *af,
	const char **text )
{
	if ( af->af_state != PIM_ST_PENDING ) {
		*text = "the request is not pending";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( dn_match( &af->af_principal, &op->o_ndn ) ) {
		*text = "approvers cannot decide their own request";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	if ( !pim_is_approver( op, pi, &af->af_role ) ) {
		*text = "not an approver of this role";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	return LDAP_SUCCESS;
}

/* Approve or deny, under pi_request_mutex (see the file comment). */
static int
pim_decide( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out, int approve )
{
	pim_act_facts af;
	pim_policy policy;
	pim_modlist ml;
	struct berval ndn = BER_BVNULL;
	int rc;

	memset( &af, 0, sizeof( af ) );
	rc = pim_need_user( op, &rs->sr_text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_policy_check_reason( &req->pr_justification,
			&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	ldap_pvt_thread_mutex_lock( &pi->pi_request_mutex );
	rc = pim_request_find( op, pi, req, &ndn, &af, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_decide_may( op, pi, &af, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	out->ps_fields = PIM_RF_ID | PIM_RF_STATE | PIM_RF_COUNT;
	ber_dupbv_x( &out->ps_id, &af.af_id, op->o_tmpmemctx );
	out->ps_count = af.af_napprovals;
	if ( !approve ) {
		rc = pim_activation_finish( op, pi, &ndn, PIM_EV_DENY, &op->o_ndn,
			&req->pr_justification, NULL );
		ber_str2bv( "denied", 0, 0, &out->ps_state );
		goto done;
	}
	if ( pim_bvarray_has( af.af_approvers, &op->o_ndn ) ) {
		rs->sr_text = "you have already approved this request";
		rc = LDAP_TYPE_OR_VALUE_EXISTS;
		goto done;
	}
	rc = pim_role_load( op, pi, &af.af_role, &policy, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	ml.ml_n = 0;
	pim_ml_add( &ml, LDAP_MOD_ADD, pim_ad_approved_by, &op->o_ndn );
	if ( !BER_BVISEMPTY( &req->pr_justification ) )
		/* soft: two approvers may well give the same reason */
		pim_ml_add( &ml, SLAP_MOD_SOFTADD, pim_ad_decision_reason,
			&req->pr_justification );
	out->ps_count = af.af_napprovals + 1;
	if ( out->ps_count < policy.pp_approvals_needed ) {
		rc = pim_internal_modify( op, pi, &ndn, pim_ml_head( &ml ) );
		ber_str2bv( "pending", 0, 0, &out->ps_state );
	} else {
		rc = pim_request_grant( op, rs, pi, &ndn, &af, &policy, &ml, out );
	}
	{
		pim_event_info e = { .ev_kind = PIM_EK_APPROVED, .ev_role = &af.af_role,
			.ev_principal = &af.af_principal, .ev_id = &af.af_id,
			.ev_reason = &req->pr_justification, .ev_result = rc,
			.ev_text = rc ? rs->sr_text : NULL };

		pim_event( op, pi, &e );
	}
done:
	ldap_pvt_thread_mutex_unlock( &pi->pi_request_mutex );
	if ( !BER_BVISNULL( &ndn ) )
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	pim_act_facts_free( op, &af );
	rs->sr_err = rc;
	return rc;
}

int
pim_approve( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	return pim_decide( op, rs, pi, req, out, 1 );
}

int
pim_deny( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	return pim_decide( op, rs, pi, req, out, 0 );
}

int
pim_cancel( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	pim_act_facts af;
	enum pim_state to;
	struct berval ndn = BER_BVNULL;
	int rc, ended = 0;

	memset( &af, 0, sizeof( af ) );
	rc = pim_need_user( op, &rs->sr_text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_request_find( op, pi, req, &ndn, &af, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( !dn_match( &af.af_principal, &op->o_ndn ) ) {
		rs->sr_text = "only the requester may cancel a request";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	if ( pim_state_next( af.af_state, PIM_EV_CANCEL, &to ) ) {
		rs->sr_text = "only a pending, approved or scheduled request can be cancelled";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	rc = pim_activation_finish( op, pi, &ndn, PIM_EV_CANCEL, &op->o_ndn,
		NULL, &ended );
	if ( rc == LDAP_SUCCESS && !ended ) {
		rs->sr_text = "the request changed meanwhile";
		rc = LDAP_UNWILLING_TO_PERFORM;
	}
	out->ps_fields = PIM_RF_ID | PIM_RF_STATE;
	ber_dupbv_x( &out->ps_id, &af.af_id, op->o_tmpmemctx );
	ber_str2bv( "cancelled", 0, 0, &out->ps_state );
done:
	if ( !BER_BVISNULL( &ndn ) )
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	pim_act_facts_free( op, &af );
	rs->sr_err = rc;
	return rc;
}
