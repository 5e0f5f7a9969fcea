/* pim_eligibility.c - assigning and removing eligibility.
 *
 * The same checks serve both doors: an administrator's ldapadd of a
 * pimEligibility entry (pim_door2.c) and the assign extended
 * operation, which builds the entry and adds it internally.
 */
#include "pim.h"

/* Counts eligibilities that have not ended: an ended one does not stand
 * in the way of a new assignment. */
static int
pim_count_current( Operation *op, Entry *e, void *arg )
{
	time_t end = 0;

	if ( pim_entry_time( e, pim_ad_end, &end ) != 0 || end > slap_get_time() )
		(*(long *)arg)++;
	return LDAP_SUCCESS;
}

/* Does principal hold a current eligibility for role already? */
static int
pim_eligibility_exists( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, long *count )
{
	int rc;

	*count = 0;
	rc = pim_search_principal_role( op, pi, "pimEligibility", principal,
		role, NULL,
		pim_count_current, count );
	return rc;
}

/* What a principal is: a group's members may be made eligible through
 * it; a PIM role's members are PIM's own, so a role is no principal. */
enum pim_principal_is { PIM_PRINCIPAL_ENTRY, PIM_PRINCIPAL_GROUP };

static int
pim_check_principal_role( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, pim_policy *policy, enum pim_principal_is *is,
	const char **text )
{
	Entry *e = NULL;
	int is_role, group;

	if ( principal == NULL || role == NULL ) {
		*text = "an eligibility needs pimPrincipal and pimRoleDN";
		return LDAP_OBJECT_CLASS_VIOLATION;
	}
	if ( pim_entry_get( op, pi, principal, &e ) != LDAP_SUCCESS ) {
		*text = "pimPrincipal: no such entry";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	is_role = is_entry_objectclass_or_sub( e, pim_oc_role );
	group = pim_group_member_ad( e ) != NULL &&
		!dnIsSuffix( &e->e_nname, &pi->pi_ncontainer );
	pim_entry_release( op, pi, e );
	if ( is_role ) {
		*text = "pimPrincipal: a PIM role is no principal (its members "
			"are PIM's); make its users eligible, or a group";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	*is = group ? PIM_PRINCIPAL_GROUP : PIM_PRINCIPAL_ENTRY;
	if ( pim_entry_get( op, pi, role, &e ) != LDAP_SUCCESS ) {
		*text = "pimRoleDN: no such role";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	is_role = is_entry_objectclass_or_sub( e, pim_oc_role );
	pim_entry_release( op, pi, e );
	if ( !is_role ) {
		*text = "pimRoleDN: not a PIM role (no pimRole object class)";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return pim_role_load( op, pi, role, policy, text );
}

/* The eligibility's window, and the role's rules for eligibility. */
static int
pim_check_times( Entry *e, pim_policy *policy, const char **text )
{
	time_t now = slap_get_time(), start = 0, end = 0;
	int rc;

	if ( pim_entry_time( e, pim_ad_start, &start ) < 0 ||
		pim_entry_time( e, pim_ad_end, &end ) < 0 )
	{
		*text = "pimStartTime/pimEndTime: not a GeneralizedTime of the form YYYYMMDDHHMMSSZ";
		return LDAP_INVALID_SYNTAX;
	}
	rc = pim_eligibility_check_times( now, start, end, text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_policy_check_assignment( policy, 0, start ? start : now,
			end, text );
	return rc;
}

/* Logged once the eligibility entry is really there. */
void
pim_eligibility_log_added( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, struct berval *ndn )
{
	pim_event_info e = { .ev_kind = PIM_EK_ELIG_ADDED, .ev_role = role,
		.ev_principal = principal, .ev_dn = ndn };
	struct berval reason = BER_BVNULL, *v;
	Entry *el = NULL;

	/* the record says what the entry says: its window and its reason */
	if ( pim_entry_get( op, pi, ndn, &el ) == LDAP_SUCCESS ) {
		(void)pim_entry_time( el, pim_ad_start, &e.ev_start );
		(void)pim_entry_time( el, pim_ad_end, &e.ev_end );
		if ( ( v = pim_entry_val( el, pim_ad_justification ) ) != NULL )
			ber_dupbv_x( &reason, v, op->o_tmpmemctx );
		pim_entry_release( op, pi, el );
	}
	e.ev_reason = &reason;
	pim_event( op, pi, &e );
	pim_warning_entry( pi, ndn, e.ev_end );
	if ( !BER_BVISNULL( &reason ) )
		op->o_tmpfree( reason.bv_val, op->o_tmpmemctx );
}

/* Validate a new eligibility entry e (door 2, or built by assign) and
 * stamp it with who assigned it.  Refusals leave e and the directory
 * unchanged. */
int
pim_eligibility_check_add( Operation *op, SlapReply *rs, pim_info *pi,
	Entry *e )
{
	struct berval *principal, *role, *through;
	enum pim_principal_is is;
	pim_policy policy;
	long existing = 0;
	int rc;

	if ( !pim_is_admin( op, pi ) ) {
		rs->sr_text = "only PIM administrators may assign eligibility";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	if ( !dnIsSuffix( &e->e_nname, &pi->pi_ncontainer ) ) {
		rs->sr_text = "PIM entries belong under the PIM container";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	principal = pim_entry_nval( e, pim_ad_principal );
	role = pim_entry_nval( e, pim_ad_role );
	rc = pim_check_principal_role( op, pi, principal, role, &policy, &is,
		&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	/* pimEligibleThrough is PIM's: the group, when the principal is one */
	through = pim_entry_nval( e, pim_ad_through );
	if ( through != NULL && ( is != PIM_PRINCIPAL_GROUP ||
		!dn_match( through, principal ) ) ) {
		rs->sr_text = "pimEligibleThrough is PIM's: it names pimPrincipal "
			"when that is a group";
		rc = LDAP_CONSTRAINT_VIOLATION;
		goto done;
	}
	rc = pim_check_times( e, &policy, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( pim_eligibility_exists( op, pi, principal, role, &existing ) ) {
		rs->sr_text = "cannot read the eligibility records";
		rc = LDAP_OTHER;
		goto done;
	}
	if ( existing > 0 ) {
		rs->sr_text = "the user is already eligible for this role";
		rc = LDAP_ALREADY_EXISTS;
		goto done;
	}
	attr_delete( &e->e_attrs, pim_ad_assigned_by );
	attr_merge_one( e, pim_ad_assigned_by, &op->o_ndn, &op->o_ndn );
	if ( is == PIM_PRINCIPAL_GROUP && through == NULL )
		attr_merge_one( e, pim_ad_through, principal, principal );
done:
	rs->sr_err = rc;
	return rc;
}

static Entry *
pim_eligibility_entry( Operation *op, pim_info *pi, pim_request *req,
	struct berval *id, time_t start, time_t end )
{
	Entry *e = pim_entry_new( op, pi, "pimEligibility", id );

	attr_merge_normalize_one( e, pim_ad_principal, &req->pr_principal,
		op->o_tmpmemctx );
	attr_merge_normalize_one( e, pim_ad_role, &req->pr_role, op->o_tmpmemctx );
	pim_entry_merge_time( op, e, pim_ad_start, start );
	if ( end != 0 )
		pim_entry_merge_time( op, e, pim_ad_end, end );
	if ( !BER_BVISEMPTY( &req->pr_justification ) )
		attr_merge_normalize_one( e, pim_ad_justification,
			&req->pr_justification, op->o_tmpmemctx );
	return e;
}

/* An active assignment: an administrator grants the role for a time
 * (or, where the role allows it, permanently) with no eligibility
 * behind it.  Recorded as an activation like any other. */
static int
pim_assign_active( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	enum pim_principal_is is;
	pim_policy policy;
	pim_act_plan plan;
	time_t now = slap_get_time();
	int rc;

	memset( &plan, 0, sizeof( plan ) );
	rc = pim_check_principal_role( op, pi, &req->pr_principal, &req->pr_role,
		&policy, &is, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( is == PIM_PRINCIPAL_GROUP ) {
		/* its members would hold the role with no activation of
		 * their own, and whoever joins the group later too */
		rs->sr_text = "an active assignment names a user: make the "
			"group eligible instead (pimctl assign --eligible)";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	plan.ap_start = ( req->pr_fields & PIM_F_START ) && req->pr_start > now ?
		req->pr_start : now;
	if ( req->pr_fields & PIM_F_END )
		plan.ap_end = req->pr_end;
	else if ( req->pr_fields & PIM_F_DURATION )
		plan.ap_end = plan.ap_start + req->pr_duration;
	else if ( !( ( req->pr_fields & PIM_F_PERMANENT ) && req->pr_permanent ) ) {
		rs->sr_text = "an active assignment needs a duration, an end time, "
			"or permanent";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( plan.ap_end != 0 && plan.ap_end <= plan.ap_start ) {
		rs->sr_text = "the assignment ends before it starts";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	rc = pim_policy_check_assignment( &policy, 1, plan.ap_start, plan.ap_end,
		&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	plan.ap_state = plan.ap_start > now ? PIM_ST_SCHEDULED : PIM_ST_ACTIVE;
	plan.ap_assigned_by = &op->o_ndn;
	return pim_activation_create( op, pi, ( req->pr_fields & PIM_F_ID ) ?
		&req->pr_id : NULL, &req->pr_principal, req, NULL, &plan, out,
		&rs->sr_text );
}

int
pim_assign( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	char idbuf[LDAP_LUTIL_UUIDSTR_BUFSIZE];
	struct berval id;
	time_t now = slap_get_time(), start, end = 0;
	Entry *e;
	int rc;

	if ( !pim_is_admin( op, pi ) ) {
		rs->sr_text = "only PIM administrators may assign eligibility";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	if ( req->pr_kind == PIM_KIND_ACTIVE ) {
		rc = pim_assign_active( op, rs, pi, req, out );
		goto done;
	}
	start = ( req->pr_fields & PIM_F_START ) ? req->pr_start : now;
	if ( req->pr_fields & PIM_F_END )
		end = req->pr_end;
	else if ( req->pr_fields & PIM_F_DURATION )
		end = start + req->pr_duration;

	id.bv_len = pim_new_id( idbuf, sizeof( idbuf ) );
	id.bv_val = idbuf;
	e = pim_eligibility_entry( op, pi, req, &id, start, end );
	rc = pim_eligibility_check_add( op, rs, pi, e );
	if ( rc != LDAP_SUCCESS ) {
		entry_free( e );
		goto done;
	}
	rc = pim_internal_add( op, pi, e );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot record the eligibility";
		rc = LDAP_OTHER;
		goto done;
	}
	{
		struct berval ndn;

		pim_activation_ndn( op, pi, &id, &ndn );	/* pimId=<id>,container */
		pim_eligibility_log_added( op, pi, &req->pr_principal,
			&req->pr_role, &ndn );
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	}
	out->ps_fields = PIM_RF_ID | PIM_RF_START | ( end ? PIM_RF_END : 0 );
	ber_dupbv_x( &out->ps_id, &id, op->o_tmpmemctx );
	out->ps_start = start;
	out->ps_end = end;
done:
	rs->sr_err = rc;
	return rc;
}

/* Remove one eligibility entry, revoking the activations it allowed
 * first, so that privilege never outlives its eligibility. */
int
pim_eligibility_drop( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, struct berval *elig_ndn, struct berval *by,
	struct berval *reason )
{
	long revoked = 0;
	int rc;

	if ( by == NULL )
		by = &op->o_ndn;
	rc = pim_revoke_principal_role( op, pi, principal, role, by, reason,
		&revoked );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( elig_ndn != NULL )
		rc = pim_internal_delete( op, pi, elig_ndn );
	if ( rc == LDAP_SUCCESS )
	{
		pim_event_info e = { .ev_kind = PIM_EK_ELIG_REMOVED,
			.ev_role = role, .ev_principal = principal, .ev_dn = elig_ndn,
			.ev_by = by, .ev_reason = reason };

		pim_event( op, pi, &e );
	}
	return rc;
}

int
pim_remove( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	BerVarray list = NULL;
	long count = 0;
	int i, rc;

	if ( !pim_is_admin( op, pi ) ) {
		rs->sr_text = "only PIM administrators may remove eligibility";
		rc = LDAP_INSUFFICIENT_ACCESS;
		goto done;
	}
	if ( ( req->pr_fields & PIM_F_KIND ) && req->pr_kind == PIM_KIND_ACTIVE ) {
		rc = pim_end_matching( op, pi, &req->pr_principal, &req->pr_role,
			NULL, PIM_WHICH_ASSIGNED, PIM_EV_REVOKE, &op->o_ndn, NULL,
			&count );
		if ( rc == LDAP_SUCCESS && count == 0 ) {
			rs->sr_text = "the user has no active assignment of this role";
			rc = LDAP_NO_SUCH_OBJECT;
		}
		out->ps_fields = PIM_RF_COUNT;
		out->ps_count = count;
		goto done;
	}
	rc = pim_search_principal_role( op, pi, "pimEligibility",
		&req->pr_principal, &req->pr_role, NULL,
		pim_collect_ndn, &list );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ ) {
		rc = pim_eligibility_drop( op, pi, &req->pr_principal,
			&req->pr_role, &list[i], NULL, NULL );
		if ( rc == LDAP_SUCCESS )
			count++;
	}
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot remove the eligibility";
		rc = LDAP_OTHER;
		goto done;
	}
	if ( count == 0 ) {
		rs->sr_text = "the user is not eligible for this role";
		rc = LDAP_NO_SUCH_OBJECT;
		goto done;
	}
	out->ps_fields = PIM_RF_COUNT;
	out->ps_count = count;
done:
	rs->sr_err = rc;
	return rc;
}
static int
pim_elig_scan_entry( Operation *op, Entry *e, void *arg )
{
	pim_elig_scan *es = arg;
	time_t start = 0, end = 0;
	const char *text;

	if ( pim_entry_time( e, pim_ad_start, &start ) < 0 ||
		pim_entry_time( e, pim_ad_end, &end ) < 0 )
		return LDAP_SUCCESS;	/* unreadable: cannot allow anything */
	es->es_found = 1;
	if ( pim_eligibility_check_window( es->es_now, start, end, &text ) ) {
		if ( !es->es_valid ) {
			es->es_rc = LDAP_INSUFFICIENT_ACCESS;
			es->es_text = text;
		}
		return LDAP_SUCCESS;
	}
	if ( es->es_valid && ( es->es_end == 0 || ( end != 0 && end <= es->es_end ) ) )
		return LDAP_SUCCESS;
	pim_elig_scan_free( op, es );
	ber_dupbv_x( &es->es_ndn, &e->e_nname, op->o_tmpmemctx );
	es->es_valid = 1;
	es->es_end = end;
	return LDAP_SUCCESS;
}

/* The chosen eligibility's copies go (es stays usable). */
void
pim_elig_scan_free( Operation *op, pim_elig_scan *es )
{
	if ( !BER_BVISNULL( &es->es_ndn ) )
		op->o_tmpfree( es->es_ndn.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &es->es_through ) )
		op->o_tmpfree( es->es_through.bv_val, op->o_tmpmemctx );
	BER_BVZERO( &es->es_ndn );
	BER_BVZERO( &es->es_through );
}

/* The eligibility that lets principal activate role now: its own, or
 * else one of a group it is a member of (pim_through.c). */
int
pim_eligibility_find( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, pim_elig_scan *es, const char **text )
{
	int rc;

	rc = pim_search_principal_role( op, pi, "pimEligibility", principal,
		role, "(!(pimEligibleThrough=*))",
		pim_elig_scan_entry, es );
	if ( rc == LDAP_SUCCESS && !es->es_valid )
		rc = pim_through_find( op, pi, principal, role, es );
	if ( rc != LDAP_SUCCESS ) {
		*text = "cannot read the eligibility records";
		return LDAP_OTHER;
	}
	if ( es->es_valid )
		return LDAP_SUCCESS;
	if ( !es->es_found ) {
		*text = "not eligible for this role";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	*text = es->es_text;
	return es->es_rc;
}
