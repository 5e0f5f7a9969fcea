/* pim_elig_request.c - asking for an eligibility to be extended or renewed.
 *
 * A user whose own eligibility ends within pim-eligibility-extend-window
 * (14 days) may ask for it to be extended, and one whose eligibility
 * ended within pim-eligibility-renew-window (30 days) for it to be
 * renewed: the extend operation with kind eligible, "pimctl extend ROLE
 * --eligibility".  The request is a pimActivation entry like an
 * activation's, pending, with pimRequestFor "eligibility", the
 * eligibility in pimEligibilityRef and the end it asks for in
 * pimEndTime, so that the approval machinery (who approves, quorum,
 * deny, cancel, time-out, the audit trail, pimctl requests) serves it
 * unchanged.  Only the grant differs: the quorum reached, the
 * eligibility's end moves and the request ends "granted"; nothing is
 * ever activated from it.  The role's approvers decide (PIM
 * administrators when the role names none).
 */
#include "pim.h"

/* The principal's own latest eligibility for role (not a group's). */
typedef struct pim_er_find {
	struct berval	ef_ndn;		/* o_tmpmemctx */
	time_t		ef_start, ef_end;
	int		ef_permanent;
} pim_er_find;

static int
pim_er_find_entry( Operation *op, Entry *e, void *arg )
{
	pim_er_find *ef = arg;
	time_t start = 0, end = 0;

	(void)pim_entry_time( e, pim_ad_start, &start );
	if ( pim_entry_time( e, pim_ad_end, &end ) != 0 )
		end = 0;
	if ( end == 0 )
		ef->ef_permanent = 1;
	if ( end == 0 || ( !BER_BVISNULL( &ef->ef_ndn ) && end <= ef->ef_end ) )
		return LDAP_SUCCESS;
	if ( !BER_BVISNULL( &ef->ef_ndn ) )
		op->o_tmpfree( ef->ef_ndn.bv_val, op->o_tmpmemctx );
	ber_dupbv_x( &ef->ef_ndn, &e->e_nname, op->o_tmpmemctx );
	ef->ef_start = start;
	ef->ef_end = end;
	return LDAP_SUCCESS;
}

/* Which eligibility, and may it be asked about now? */
static int
pim_er_check( Operation *op, pim_info *pi, pim_request *req,
	pim_er_find *ef, const char **text )
{
	time_t now = slap_get_time();
	int rc;

	rc = pim_search_principal_role( op, pi, "pimEligibility", &op->o_ndn,
		&req->pr_role, "(!(pimEligibleThrough=*))",
		pim_er_find_entry, ef );
	if ( rc != LDAP_SUCCESS ) {
		*text = "cannot read the eligibility records";
		return LDAP_OTHER;
	}
	if ( ef->ef_permanent ) {
		*text = "your eligibility for this role is permanent";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( BER_BVISNULL( &ef->ef_ndn ) ) {
		*text = "you have no eligibility of your own for this role to "
			"extend or renew (a group's is its administrators' to change)";
		return LDAP_NO_SUCH_OBJECT;
	}
	if ( ef->ef_end > now && ef->ef_end - now > pi->pi_elig_extend_window ) {
		*text = "your eligibility ends later than "
			"pim-eligibility-extend-window from now: ask nearer its end";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( ef->ef_end <= now && now - ef->ef_end > pi->pi_elig_renew_window ) {
		*text = "your eligibility ended longer ago than "
			"pim-eligibility-renew-window: ask an administrator for a new one";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	return LDAP_SUCCESS;
}

/* Is a request about elig pending already? */
static int
pim_er_pending( Operation *op, pim_info *pi, struct berval *elig )
{
	BerVarray list = NULL;
	char *ref = pim_filter_eq( op, "pimEligibilityRef", elig ), *filter;
	size_t len;
	int found;

	if ( ref == NULL )
		return 1;
	len = strlen( ref ) + 96;
	filter = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( filter, len, "(&(objectClass=pimActivation)(pimState=pending)"
		"(pimRequestFor=eligibility)%s)", ref );
	(void)pim_internal_search_ext( op, pi, &pi->pi_ncontainer,
		LDAP_SCOPE_SUBTREE, filter, slap_anlist_no_attrs, 1,
		pim_collect_ndn, &list );
	found = list != NULL;
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	op->o_tmpfree( ref, op->o_tmpmemctx );
	return found;
}

/* The end asked for: --until, or the duration from the eligibility's
 * end (an extension) or from now (a renewal), within the role's rules
 * for eligibility. */
static int
pim_er_new_end( pim_request *req, pim_policy *policy, pim_er_find *ef,
	time_t *end, const char **text )
{
	time_t now = slap_get_time(), from = ef->ef_end > now ? ef->ef_end : now;
	time_t start = ef->ef_end > now ? ef->ef_start : now;

	if ( req->pr_fields & PIM_F_END )
		*end = req->pr_end;
	else if ( req->pr_duration > 0 && from <= PIM_TIME_MAX - req->pr_duration )
		*end = from + req->pr_duration;
	else {
		*text = "the new end would be after 99991231235959Z";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( *end <= from ) {
		*text = "the new end is not later than the eligibility's";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return pim_policy_check_assignment( policy, 0, start, *end, text );
}

int
pim_elig_request( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	pim_er_find ef = { BER_BVNULL, 0, 0, 0 };
	pim_policy policy;
	pim_act_plan plan;
	int rc;

	if ( ( req->pr_fields & PIM_F_PRINCIPAL ) &&
		!dn_match( &req->pr_principal, &op->o_ndn ) ) {
		rs->sr_text = "only the principal asks for their eligibility "
			"(an administrator changes it directly)";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	if ( BER_BVISEMPTY( &req->pr_justification ) ) {
		rs->sr_text = "a request for eligibility needs a justification";
		rc = LDAP_CONSTRAINT_VIOLATION;
		goto done;
	}
	rc = pim_policy_check_reason( &req->pr_justification, &rs->sr_text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_role_load( op, pi, &req->pr_role, &policy, &rs->sr_text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_er_check( op, pi, req, &ef, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	memset( &plan, 0, sizeof( plan ) );
	rc = pim_er_new_end( req, &policy, &ef, &plan.ap_end, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( pim_er_pending( op, pi, &ef.ef_ndn ) ) {
		rs->sr_text = "a request about this eligibility is pending already";
		rc = LDAP_ALREADY_EXISTS;
		goto done;
	}
	plan.ap_state = PIM_ST_PENDING;
	plan.ap_expiry = slap_get_time() + policy.pp_request_lifetime;
	plan.ap_for_elig = 1;
	req->pr_fields &= ~PIM_F_ID;
	rc = pim_activation_create( op, pi, NULL, &op->o_ndn, req, &ef.ef_ndn,
		&plan, out, &rs->sr_text );
done:
	if ( !BER_BVISNULL( &ef.ef_ndn ) )
		op->o_tmpfree( ef.ef_ndn.bv_val, op->o_tmpmemctx );
	rs->sr_err = rc;
	return rc;
}

/* The quorum is reached on a request about an eligibility (ndn, af):
 * the eligibility ends at the end asked for, and the request is
 * granted, in that order, so that a failure leaves the request pending
 * (its approval not recorded) rather than granted with nothing done. */
int
pim_elig_request_grant( Operation *op, SlapReply *rs, pim_info *pi,
	struct berval *ndn, pim_act_facts *af, pim_modlist *approval,
	pim_response *out )
{
	pim_modlist ml;
	Entry *e = NULL;
	time_t old_end = 0;
	int rc;

	if ( pim_entry_get( op, pi, &af->af_elig, &e ) != LDAP_SUCCESS ) {
		(void)pim_activation_finish( op, pi, ndn, PIM_EV_REVOKE,
			&op->o_ndn, NULL, NULL );
		rs->sr_text = "the eligibility this request is about has gone";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	(void)pim_entry_time( e, pim_ad_end, &old_end );
	pim_entry_release( op, pi, e );
	ml.ml_n = 0;
	/* a renewal starts now: the role's pimEligibleMaxDuration was
	 * checked from now (pim_er_new_end), and the record says so */
	if ( old_end <= slap_get_time() )
		pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_start, slap_get_time() );
	pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, af->af_end );
	rc = pim_internal_modify( op, pi, &af->af_elig, pim_ml_head( &ml ) );
	if ( rc == LDAP_SUCCESS )
		rc = pim_state_move( op, pi, ndn, PIM_ST_PENDING, PIM_ST_GRANTED,
			approval );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot change the eligibility";
		return LDAP_OTHER;
	}
	{
		pim_event_info ev = { .ev_kind = old_end > slap_get_time() ?
			PIM_EK_ELIG_EXTENDED : PIM_EK_ELIG_RENEWED,
			.ev_role = &af->af_role, .ev_principal = &af->af_principal,
			.ev_dn = &af->af_elig, .ev_start = old_end,
			.ev_end = af->af_end };

		pim_event( op, pi, &ev );
		pim_warning_eligibility( op, pi, &af->af_elig );
	}
	out->ps_fields |= PIM_RF_END;
	out->ps_end = af->af_end;
	ber_str2bv( "granted", 0, 0, &out->ps_state );
	return LDAP_SUCCESS;
}
