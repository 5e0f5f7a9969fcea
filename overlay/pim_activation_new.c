/* pim_activation_new.c - a request to activate a role, from either door.
 *
 * The checks come in the order a requester wants to hear about them:
 * who is asking, the role, the eligibility, the policy (duration,
 * justification, ticket, second factor).  What passes becomes an
 * activation entry: active at once, scheduled for a later start, or
 * pending approval (pim_approval.c decides those).  The entry is written
 * before any membership, so a crash leaves a record the startup
 * reconciliation can finish.
 */
#include "pim.h"

/* The activation entry of a new request (see pim_act_plan). */
static Entry *
pim_activation_entry( Operation *op, pim_info *pi, struct berval *id,
	struct berval *principal, pim_request *req, struct berval *elig,
	pim_act_plan *plan )
{
	Entry *e = pim_entry_new( op, pi, "pimActivation", id );
	char buf[PIM_DURATION_BUFSIZE];
	struct berval bv;

	attr_merge_normalize_one( e, pim_ad_principal, principal, op->o_tmpmemctx );
	attr_merge_normalize_one( e, pim_ad_role, &req->pr_role, op->o_tmpmemctx );
	pim_merge_str( op, e, pim_ad_state, pim_state_name( plan->ap_state ) );
	if ( plan->ap_start != 0 )
		pim_entry_merge_time( op, e, pim_ad_start, plan->ap_start );
	if ( plan->ap_end != 0 )
		pim_entry_merge_time( op, e, pim_ad_end, plan->ap_end );
	if ( plan->ap_expiry != 0 )
		pim_entry_merge_time( op, e, pim_ad_request_expiry, plan->ap_expiry );
	if ( plan->ap_duration > 0 &&
		pim_duration_format( plan->ap_duration, buf, sizeof( buf ) ) > 0 )
	{
		ber_str2bv( buf, 0, 0, &bv );
		attr_merge_normalize_one( e, pim_ad_requested_duration, &bv,
			op->o_tmpmemctx );
	}
	if ( plan->ap_assigned_by != NULL )
		attr_merge_normalize_one( e, pim_ad_assigned_by,
			plan->ap_assigned_by, op->o_tmpmemctx );
	if ( plan->ap_through != NULL )
		attr_merge_normalize_one( e, pim_ad_through, plan->ap_through,
			op->o_tmpmemctx );
	if ( plan->ap_for_elig )
		pim_merge_str( op, e, pim_ad_request_for, "eligibility" );
	if ( !BER_BVISEMPTY( &req->pr_justification ) )
		attr_merge_normalize_one( e, pim_ad_justification,
			&req->pr_justification, op->o_tmpmemctx );
	if ( !BER_BVISEMPTY( &req->pr_ticket ) )
		attr_merge_normalize_one( e, pim_ad_ticket, &req->pr_ticket,
			op->o_tmpmemctx );
	if ( elig != NULL && !BER_BVISNULL( elig ) )
		attr_merge_normalize_one( e, pim_ad_eligibility_ref, elig,
			op->o_tmpmemctx );
	return e;
}

/* The checks of an activation request, in the order a requester would
 * want to hear about them.  Fills *es, *policy and *duration. */
static int
pim_activate_check( Operation *op, pim_info *pi, pim_request *req,
	struct berval *principal, pim_elig_scan *es, pim_policy *policy,
	long *duration, const char **text )
{
	int rc;

	rc = pim_need_user( op, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( !dn_match( principal, &op->o_ndn ) ) {
		*text = "only the principal may activate their own eligibility";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	rc = pim_role_load( op, pi, &req->pr_role, policy, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	rc = pim_eligibility_find( op, pi, principal, &req->pr_role, es, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	rc = pim_policy_check_activation( policy,
		( req->pr_fields & PIM_F_DURATION ) ? req->pr_duration : 0,
		&req->pr_justification, duration, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	rc = pim_policy_check_ticket( policy, &req->pr_ticket, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	rc = pim_policy_check_emergency( policy, &req->pr_justification,
		pi->pi_emergency_jmin, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( policy->pp_mfa_required )
		rc = pim_mfa_check( op, pi, principal, &req->pr_otp, text );
	return rc;
}

/* When, and in which state, a new request starts.  A requested start in
 * the past means now.  With approval the clock starts at approval, so a
 * pending request has no end yet, only a lifetime. */
static int
pim_act_plan_make( pim_policy *policy, pim_request *req, pim_elig_scan *es,
	long duration, pim_act_plan *plan, const char **text )
{
	time_t now = es->es_now;
	time_t start = ( ( req->pr_fields & PIM_F_START ) && req->pr_start > now ) ?
		req->pr_start : now;

	memset( plan, 0, sizeof( *plan ) );
	/* every time PIM writes must be one it can write down */
	if ( start > PIM_TIME_MAX - duration ||
		now > PIM_TIME_MAX - policy->pp_request_lifetime )
	{
		*text = "the activation would end after 99991231235959Z";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( es->es_end != 0 && start >= es->es_end ) {
		*text = "the eligibility ends before the requested start";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	plan->ap_duration = duration;
	if ( pim_policy_needs_approval( policy ) ) {
		plan->ap_state = PIM_ST_PENDING;
		plan->ap_start = start > now ? start : 0;
		plan->ap_expiry = now + policy->pp_request_lifetime;
	} else {
		/* Times are whole seconds: one that starts now starts in this
		 * second, and its end counts from the next, so that it lasts at
		 * least what was granted (up to a second more) and its record's
		 * window covers every moment it holds the membership. */
		time_t from = start;

		plan->ap_state = start > now ? PIM_ST_SCHEDULED : PIM_ST_ACTIVE;
		if ( start <= now )
			from = pim_now_ceil( &start );
		plan->ap_start = start;
		plan->ap_end = pim_activation_expiry( from, duration, es->es_end );
	}
	return LDAP_SUCCESS;
}

static int
pim_count_open( Operation *op, Entry *e, void *arg )
{
	(*(int *)arg)++;
	return LDAP_SUCCESS;
}

/* A principal's own requests that wait (pending, approved, scheduled)
 * are bounded by pim-max-open-requests: each is an entry, a timer event
 * and a notice to approvers.  Active activations are bounded by the
 * roles a principal is eligible for. */
static int
pim_open_requests_check( Operation *op, pim_info *pi,
	struct berval *principal, const char **text )
{
	char *filter, waiting[128];
	int n = 0, rc;

	if ( pi->pi_max_open <= 0 || !dn_match( principal, &op->o_ndn ) )
		return LDAP_SUCCESS;
	(void)pim_state_filter( PIM_STATES_WAITING, waiting,
		sizeof( waiting ) );
	filter = pim_filter_principal_role( op, "pimActivation", principal,
		NULL, waiting );
	rc = pim_internal_search_ext( op, pi, &pi->pi_ncontainer,
		LDAP_SCOPE_SUBTREE, filter, slap_anlist_no_attrs, pi->pi_max_open,
		pim_count_open, &n );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	if ( rc != LDAP_SUCCESS ) {
		*text = "cannot read the open requests";
		return LDAP_OTHER;
	}
	if ( n >= pi->pi_max_open ) {
		*text = "too many open requests (pim-max-open-requests): cancel "
			"one, or wait for a decision";
		return LDAP_ADMINLIMIT_EXCEEDED;
	}
	return LDAP_SUCCESS;
}

/* Write the new activation's entry, named id; with idbuf (PIM makes
 * the identifier) a clash makes another, up to tries in all. */
static int
pim_activation_record( Operation *op, pim_info *pi, struct berval *id,
	char *idbuf, int tries, struct berval *principal, pim_request *req,
	struct berval *elig, pim_act_plan *plan, const char **text )
{
	int rc;

	do {
		if ( idbuf != NULL )
			id->bv_len = pim_new_id( idbuf, LDAP_LUTIL_UUIDSTR_BUFSIZE );
		rc = pim_internal_add( op, pi, pim_activation_entry( op, pi, id,
			principal, req, elig, plan ) );
	} while ( rc == LDAP_ALREADY_EXISTS && --tries > 0 );
	if ( rc == LDAP_ALREADY_EXISTS ) {
		*text = "an activation with this pimId exists already";
		return rc;
	}
	if ( rc != LDAP_SUCCESS ) {
		*text = "cannot record the activation";
		return LDAP_OTHER;
	}
	return LDAP_SUCCESS;
}

/* The new activation's event; one that is active now counts towards
 * the activation alert and gets its expiry warning. */
static void
pim_activation_new_event( Operation *op, pim_info *pi, struct berval *id,
	struct berval *ndn, struct berval *principal, pim_request *req,
	pim_act_plan *plan )
{
	int active = plan->ap_state == PIM_ST_ACTIVE;
	pim_event_info ev = {
		.ev_kind = plan->ap_for_elig ? PIM_EK_ELIG_REQUESTED :
			active ? PIM_EK_ACTIVATED :
			plan->ap_state == PIM_ST_PENDING ? PIM_EK_REQUESTED :
			PIM_EK_SCHEDULED,
		.ev_counts = active ? PIM_COUNTS_ACTIVATION : PIM_COUNTS_NOTHING,
		.ev_role = &req->pr_role, .ev_principal = principal,
		.ev_id = id, .ev_start = plan->ap_start, .ev_end = plan->ap_end,
		.ev_reason = &req->pr_justification, .ev_ticket = &req->pr_ticket };

	pim_event( op, pi, &ev );
}

/* Record a new activation as plan says and, if it is active, give it
 * its membership.  id may be given (door 2) or is made here.  Fills
 * *out. */
int
pim_activation_create( Operation *op, pim_info *pi, struct berval *id,
	struct berval *principal, pim_request *req, struct berval *elig,
	pim_act_plan *plan, pim_response *out, const char **text )
{
	char idbuf[LDAP_LUTIL_UUIDSTR_BUFSIZE];
	struct berval newid, ndn = BER_BVNULL;
	time_t next;
	int rc, tries = 1;

	if ( plan->ap_state != PIM_ST_ACTIVE ) {
		rc = pim_open_requests_check( op, pi, principal, text );
		if ( rc != LDAP_SUCCESS )
			return rc;
	}
	if ( id == NULL || BER_BVISEMPTY( id ) ) {
		newid.bv_val = idbuf;
		id = &newid;
		tries = 3;	/* an identifier we made: make another on a clash */
	}
	rc = pim_activation_record( op, pi, id, id == &newid ? idbuf : NULL,
		tries, principal, req, elig, plan, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	pim_activation_ndn( op, pi, id, &ndn );
	if ( plan->ap_state == PIM_ST_ACTIVE &&
		( rc = pim_member_grant( op, pi, principal, &req->pr_role ) ) !=
		LDAP_SUCCESS )
	{
		/* No membership, so no activation either. */
		pim_activation_undo_new( op, pi, &ndn, id, principal,
			&req->pr_role );
		if ( rc == LDAP_CONSTRAINT_VIOLATION ) {
			*text = "this role gets the principal's uid, and the "
				"principal has none, or one a client reads as a "
				"token (such as ALL, %group or +netgroup), or the "
				"role holds it already as a value of its own";
		} else {
			*text = "cannot add the membership to the role";
			rc = LDAP_OTHER;
		}
		goto done;
	}
	next = pim_state_next_look( plan->ap_state, plan->ap_start, plan->ap_end,
		plan->ap_expiry );
	if ( plan->ap_state == PIM_ST_ACTIVE )
		pim_timer_add_end( pi, plan->ap_end, &ndn );	/* and its warning */
	else if ( next != 0 )
		pim_timer_add( pi, next, &ndn );

	pim_activation_new_event( op, pi, id, &ndn, principal, req, plan );
	out->ps_fields = PIM_RF_ID | PIM_RF_STATE |
		( plan->ap_start ? PIM_RF_START : 0 ) | ( plan->ap_end ? PIM_RF_END : 0 );
	ber_dupbv_x( &out->ps_id, id, op->o_tmpmemctx );
	out->ps_start = plan->ap_start;
	out->ps_end = plan->ap_end;
	ber_str2bv( pim_state_name( plan->ap_state ), 0, 0, &out->ps_state );
done:
	op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	return rc;
}

int
pim_activate( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	pim_elig_scan es = { 0 };
	pim_policy policy;
	pim_act_plan plan;
	struct berval principal;
	long duration = 0;
	int rc;

	es.es_now = slap_get_time();
	principal = ( req->pr_fields & PIM_F_PRINCIPAL ) ? req->pr_principal : op->o_ndn;
	rc = pim_activate_check( op, pi, req, &principal, &es, &policy,
		&duration, &rs->sr_text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_act_plan_make( &policy, req, &es, duration, &plan,
			&rs->sr_text );
	if ( !BER_BVISNULL( &es.es_through ) )
		plan.ap_through = &es.es_through;
	if ( rc == LDAP_SUCCESS )
		rc = pim_activation_create( op, pi, ( req->pr_fields & PIM_F_ID ) ?
			&req->pr_id : NULL, &principal, req, &es.es_ndn, &plan, out,
			&rs->sr_text );
	if ( rc == LDAP_SUCCESS && policy.pp_emergency )
		pim_alert_emergency( op, pi, plan.ap_state == PIM_ST_ACTIVE ?
			"activated" : "scheduled", &principal, &req->pr_role,
			&out->ps_id, &req->pr_justification );
	pim_elig_scan_free( op, &es );
	rs->sr_err = rc;
	return rc;
}
