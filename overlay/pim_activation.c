/* pim_activation.c - activate, deactivate, expire: the engine.
 *
 * Both doors end here.  The order of writes keeps the invariant
 * repairable after a crash at any point: an activation is recorded as
 * active before its membership is added, and marked ended before its
 * membership is removed, so the startup reconciliation (pim_timer.c)
 * only ever has to finish what the records already say.
 */
#include "pim.h"

/* In the order of pim_policy_attr_names. */
AttributeDescription **pim_policy_ads[PIM_POLICY_NATTRS] = {
	&pim_ad_max_duration, &pim_ad_min_duration,
	&pim_ad_justification_required, &pim_ad_justification_max,
	&pim_ad_ticket_required, &pim_ad_mfa_required,
	&pim_ad_approval_required, &pim_ad_approvals_needed,
	&pim_ad_request_lifetime, &pim_ad_eligible_max,
	&pim_ad_eligible_permanent, &pim_ad_active_max,
	&pim_ad_active_permanent
};

int
pim_role_policy( Operation *op, pim_info *pi, Entry *role, pim_policy *p,
	const char **text )
{
	const struct berval *vals[PIM_POLICY_NATTRS];
	int i, rc;

	for ( i = 0; i < PIM_POLICY_NATTRS; i++ )
		vals[i] = pim_entry_val( role, *pim_policy_ads[i] );
	rc = pim_policy_from_values( &pi->pi_defaults, vals, p, text );
	/* a stored policy that no longer makes sense is the server's problem */
	return rc == LDAP_SUCCESS ? rc : LDAP_OTHER;
}

/* Fetch the role and its policy.  Refusals: noSuchObject, or
 * unwillingToPerform for a group that is not a PIM role. */
static int
pim_role_load( Operation *op, pim_info *pi, struct berval *role,
	pim_policy *p, const char **text )
{
	Entry *e = NULL;
	int rc;

	if ( pim_entry_get( op, pi, role, &e ) != LDAP_SUCCESS ) {
		*text = "no such role";
		return LDAP_NO_SUCH_OBJECT;
	}
	if ( !is_entry_objectclass_or_sub( e, pim_oc_role ) ) {
		*text = "not a PIM role (the entry has no pimRole object class)";
		rc = LDAP_UNWILLING_TO_PERFORM;
	} else {
		rc = pim_role_policy( op, pi, e, p, text );
	}
	pim_entry_release( op, pi, e );
	return rc;
}

/* The eligibility that allows an activation now: the valid one that
 * lasts longest.  When none is valid, the reason of the last refusal. */
typedef struct pim_elig_scan {
	time_t		es_now;
	int		es_found;	/* any eligibility at all */
	int		es_valid;	/* a valid one */
	time_t		es_end;		/* the chosen one's end, 0 = permanent */
	struct berval	es_ndn;		/* the chosen one (o_tmpmemctx) */
	int		es_rc;
	const char	*es_text;
} pim_elig_scan;

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
	if ( !BER_BVISNULL( &es->es_ndn ) )
		op->o_tmpfree( es->es_ndn.bv_val, op->o_tmpmemctx );
	ber_dupbv_x( &es->es_ndn, &e->e_nname, op->o_tmpmemctx );
	es->es_valid = 1;
	es->es_end = end;
	return LDAP_SUCCESS;
}

static int
pim_eligibility_find( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, pim_elig_scan *es, const char **text )
{
	char *filter;
	int rc;

	filter = pim_filter_principal_role( op, "pimEligibility", principal,
		role, NULL );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_elig_scan_entry, es );
	op->o_tmpfree( filter, op->o_tmpmemctx );
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

static void
pim_merge_str( Operation *op, Entry *e, AttributeDescription *ad,
	const char *s )
{
	struct berval bv;

	ber_str2bv( s, 0, 0, &bv );
	attr_merge_normalize_one( e, ad, &bv, op->o_tmpmemctx );
}

/* "pimId=<id>,<container>" and its normalized form, allocated on ctx
 * (NULL: the heap, for entries). */
static void
pim_entry_dn( pim_info *pi, struct berval *id, struct berval *dn,
	struct berval *ndn, void *ctx )
{
	char buf[PIM_MAX_ID + sizeof( "pimId=" )];
	struct berval rdn;

	rdn.bv_len = snprintf( buf, sizeof( buf ), "pimId=%s", id->bv_val );
	rdn.bv_val = buf;
	build_new_dn( dn, &pi->pi_container, &rdn, ctx );
	if ( ndn != NULL && dnNormalize( 0, NULL, NULL, dn, ndn, ctx ) != LDAP_SUCCESS )
		BER_BVZERO( ndn );	/* cannot happen: an RDN of a UUID string */
}

/* The normalized DN of the PIM entry with identifier id, on
 * op->o_tmpmemctx. */
void
pim_activation_ndn( Operation *op, pim_info *pi, struct berval *id,
	struct berval *ndn )
{
	struct berval dn;

	pim_entry_dn( pi, id, &dn, ndn, op->o_tmpmemctx );
	op->o_tmpfree( dn.bv_val, op->o_tmpmemctx );
}

/* A new PIM entry "pimId=<id>,<container>" of class oc. */
Entry *
pim_entry_new( Operation *op, pim_info *pi, const char *oc, struct berval *id )
{
	Entry *e = entry_alloc();

	pim_entry_dn( pi, id, &e->e_name, &e->e_nname, NULL );
	pim_merge_str( op, e, slap_schema.si_ad_objectClass, oc );
	attr_merge_normalize_one( e, pim_ad_id, id, op->o_tmpmemctx );
	return e;
}

static Entry *
pim_activation_entry( Operation *op, pim_info *pi, struct berval *id,
	struct berval *principal, struct berval *role, pim_request *req,
	struct berval *elig, time_t start, time_t end )
{
	Entry *e = pim_entry_new( op, pi, "pimActivation", id );

	attr_merge_normalize_one( e, pim_ad_principal, principal, op->o_tmpmemctx );
	attr_merge_normalize_one( e, pim_ad_role, role, op->o_tmpmemctx );
	pim_merge_str( op, e, pim_ad_state, PIM_STATE_ACTIVE );
	pim_entry_merge_time( op, e, pim_ad_start, start );
	pim_entry_merge_time( op, e, pim_ad_end, end );
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
 * want to hear about them.  Fills *es and *duration on success. */
static int
pim_activate_check( Operation *op, pim_info *pi, pim_request *req,
	struct berval *principal, pim_elig_scan *es, long *duration,
	const char **text )
{
	pim_policy policy;
	int rc;

	if ( BER_BVISEMPTY( &op->o_ndn ) ) {
		*text = "PIM operations need an authenticated user";
		return LDAP_STRONG_AUTH_REQUIRED;
	}
	if ( !dn_match( principal, &op->o_ndn ) ) {
		*text = "only the principal may activate their own eligibility";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	if ( ( req->pr_fields & PIM_F_START ) && req->pr_start > es->es_now + 1 ) {
		*text = "scheduled activation (a start time in the future) is not supported yet";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( !BER_BVISEMPTY( &req->pr_ticket ) && pim_utf8_chars( &req->pr_ticket ) < 0 ) {
		*text = "ticket: not valid UTF-8, or has control characters";
		return LDAP_INVALID_SYNTAX;
	}
	rc = pim_role_load( op, pi, &req->pr_role, &policy, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	rc = pim_eligibility_find( op, pi, principal, &req->pr_role, es, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	return pim_policy_check_activation( &policy,
		( req->pr_fields & PIM_F_DURATION ) ? req->pr_duration : 0,
		&req->pr_justification, duration, text );
}

int
pim_activate( Operation *op, SlapReply *rs, pim_info *pi, pim_request *req,
	pim_response *out )
{
	pim_elig_scan es = { 0 };
	struct berval principal, id, ndn = BER_BVNULL;
	char idbuf[LDAP_LUTIL_UUIDSTR_BUFSIZE];
	long duration = 0;
	time_t end;
	int rc;

	es.es_now = slap_get_time();
	principal = ( req->pr_fields & PIM_F_PRINCIPAL ) ? req->pr_principal : op->o_ndn;
	rc = pim_activate_check( op, pi, req, &principal, &es, &duration,
		&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;

	end = pim_activation_expiry( es.es_now, duration, es.es_end );
	id.bv_len = lutil_uuidstr( idbuf, sizeof( idbuf ) );
	id.bv_val = idbuf;
	rc = pim_internal_add( op, pi, pim_activation_entry( op, pi, &id,
		&principal, &req->pr_role, req, &es.es_ndn, es.es_now, end ) );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot record the activation";
		rc = LDAP_OTHER;
		goto done;
	}

	pim_activation_ndn( op, pi, &id, &ndn );
	rc = pim_member_grant( op, pi, &principal, &req->pr_role );
	if ( rc != LDAP_SUCCESS ) {
		/* No membership, so no activation either. */
		(void)pim_internal_delete( op, pi, &ndn );
		rs->sr_text = "cannot add the membership to the role";
		rc = LDAP_OTHER;
		goto done;
	}
	pim_timer_add( pi, end, &ndn );

	pim_log_event( op, "activated role=\"%s\" principal=\"%s\" id=%s "
		"until=%ld reason=\"%.*s\"", req->pr_role.bv_val, principal.bv_val,
		idbuf, (long)end, (int)req->pr_justification.bv_len,
		req->pr_justification.bv_val ? req->pr_justification.bv_val : "" );

	out->ps_fields = PIM_RF_ID | PIM_RF_START | PIM_RF_END | PIM_RF_STATE;
	ber_dupbv_x( &out->ps_id, &id, op->o_tmpmemctx );
	out->ps_start = es.es_now;
	out->ps_end = end;
	ber_str2bv( PIM_STATE_ACTIVE, 0, 0, &out->ps_state );

done:
	if ( !BER_BVISNULL( &es.es_ndn ) )
		op->o_tmpfree( es.es_ndn.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &ndn ) )
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	rs->sr_err = rc;
	return rc;
}

/* What an activation entry says about itself, copied out of the entry
 * (on o_tmpmemctx) so that it can be released before any write. */
typedef struct pim_act_facts {
	struct berval	af_principal;
	struct berval	af_role;
	int		af_active;
	time_t		af_end;
} pim_act_facts;

static int
pim_act_facts_read( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af )
{
	Entry *e = NULL;
	struct berval *p, *r, *st;
	int rc;

	memset( af, 0, sizeof( *af ) );
	rc = pim_entry_get( op, pi, ndn, &e );
	if ( rc != LDAP_SUCCESS )
		return rc;
	p = pim_entry_nval( e, pim_ad_principal );
	r = pim_entry_nval( e, pim_ad_role );
	st = pim_entry_val( e, pim_ad_state );
	if ( !is_entry_objectclass_or_sub( e, pim_oc_activation ) ||
		p == NULL || r == NULL || st == NULL )
	{
		rc = LDAP_OTHER;
		goto done;
	}
	ber_dupbv_x( &af->af_principal, p, op->o_tmpmemctx );
	ber_dupbv_x( &af->af_role, r, op->o_tmpmemctx );
	af->af_active = st->bv_len == STRLENOF( PIM_STATE_ACTIVE ) &&
		strncasecmp( st->bv_val, PIM_STATE_ACTIVE, st->bv_len ) == 0;
	if ( pim_entry_time( e, pim_ad_end, &af->af_end ) != 0 )
		af->af_end = 0;
done:
	pim_entry_release( op, pi, e );
	return rc;
}

static void
pim_act_facts_free( Operation *op, pim_act_facts *af )
{
	if ( af->af_principal.bv_val )
		op->o_tmpfree( af->af_principal.bv_val, op->o_tmpmemctx );
	if ( af->af_role.bv_val )
		op->o_tmpfree( af->af_role.bv_val, op->o_tmpmemctx );
}

/* Move the activation out of "active": delete-old-value plus
 * add-new-value in one modify, so that of two concurrent enders exactly
 * one succeeds (the other gets noSuchAttribute and does nothing). */
static int
pim_state_leave_active( Operation *op, pim_info *pi, struct berval *ndn,
	const char *state, time_t end, struct berval *ended_by )
{
	Modifications mods[4];
	struct berval oldv[2], newv[2], endv[2], byv[2];
	char buf[PIM_GENTIME_BUFSIZE];
	Modifications *last;

	ber_str2bv( PIM_STATE_ACTIVE, 0, 0, &oldv[0] );
	ber_str2bv( state, 0, 0, &newv[0] );
	BER_BVZERO( &oldv[1] );
	BER_BVZERO( &newv[1] );
	pim_mod_init( &mods[0], LDAP_MOD_DELETE, 0, pim_ad_state, oldv, oldv );
	pim_mod_init( &mods[1], LDAP_MOD_ADD, 0, pim_ad_state, newv, newv );
	mods[0].sml_next = &mods[1];
	last = &mods[1];
	if ( end != 0 ) {
		pim_gentime_format( end, buf, sizeof( buf ) );
		ber_str2bv( buf, 0, 0, &endv[0] );
		BER_BVZERO( &endv[1] );
		pim_mod_init( &mods[2], LDAP_MOD_REPLACE, 0, pim_ad_end, endv, endv );
		last->sml_next = &mods[2];
		last = &mods[2];
	}
	if ( ended_by != NULL && !BER_BVISEMPTY( ended_by ) ) {
		byv[0] = *ended_by;
		BER_BVZERO( &byv[1] );
		pim_mod_init( &mods[3], LDAP_MOD_REPLACE, 0, pim_ad_ended_by, byv, byv );
		last->sml_next = &mods[3];
	}
	return pim_internal_modify( op, pi, ndn, &mods[0] );
}

/* End an active activation: state (expired, deactivated or revoked),
 * then the membership it held, unless another activation still holds
 * it.  ended_by is NULL for expiry, whose end time is the recorded one;
 * an early end records now as the end.  An activation that is not
 * active is left alone (LDAP_SUCCESS): ending is idempotent. */
int
pim_activation_end( Operation *op, pim_info *pi, struct berval *act_ndn,
	const char *state, struct berval *ended_by )
{
	pim_act_facts af;
	int rc;

	rc = pim_act_facts_read( op, pi, act_ndn, &af );
	if ( rc != LDAP_SUCCESS || !af.af_active )
		goto done;
	rc = pim_state_leave_active( op, pi, act_ndn, state,
		ended_by ? slap_get_time() : 0, ended_by );
	if ( rc == LDAP_NO_SUCH_ATTRIBUTE ) {
		rc = LDAP_SUCCESS;	/* somebody else ended it first */
		goto done;
	}
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_member_release( op, pi, &af.af_principal, &af.af_role );
	pim_log_event( op, "%s role=\"%s\" principal=\"%s\" activation=\"%s\" "
		"by=\"%s\"", state, af.af_role.bv_val, af.af_principal.bv_val,
		act_ndn->bv_val, ended_by ? ended_by->bv_val : "pim expiry" );
done:
	pim_act_facts_free( op, &af );
	return rc;
}

/* The timer says: look at this activation now. */
int
pim_activation_timer_fire( Operation *op, pim_info *pi, struct berval *act_ndn )
{
	pim_act_facts af;
	time_t now = slap_get_time();
	int rc;

	rc = pim_act_facts_read( op, pi, act_ndn, &af );
	if ( rc != LDAP_SUCCESS || !af.af_active )
		goto done;
	if ( af.af_end != 0 && af.af_end > now ) {
		pim_timer_add( pi, af.af_end, act_ndn );	/* extended since */
		goto done;
	}
	rc = pim_activation_end( op, pi, act_ndn, PIM_STATE_EXPIRED, NULL );
done:
	pim_act_facts_free( op, &af );
	if ( rc == LDAP_NO_SUCH_OBJECT )
		rc = LDAP_SUCCESS;	/* deleted meanwhile */
	return rc;
}

/* End every active activation of principal for role (optionally only
 * the one with identifier id); *count says how many. */
static int
pim_end_matching( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, struct berval *id, const char *state,
	struct berval *by, long *count )
{
	BerVarray list = NULL;
	char *filter, extra[PIM_MAX_ID * 3 + 64];
	int i, rc;

	*count = 0;
	if ( id != NULL && !BER_BVISNULL( id ) ) {
		struct berval esc;

		filter_escape_value_x( id, &esc, op->o_tmpmemctx );
		snprintf( extra, sizeof( extra ), "(pimState=active)(pimId=%s)",
			esc.bv_val );
		op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	} else {
		snprintf( extra, sizeof( extra ), "(pimState=active)" );
	}
	filter = pim_filter_principal_role( op, "pimActivation", principal,
		role, extra );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_collect_ndn, &list );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ ) {
		rc = pim_activation_end( op, pi, &list[i], state, by );
		if ( rc == LDAP_SUCCESS )
			( *count )++;
	}
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc;
}

/* An activation never outlives its eligibility.  When the eligibility
 * of principal for role now ends at end (0: permanent, nothing to do),
 * active activations that would run longer are cut to end, or ended at
 * once when the eligibility has already ended. */
int
pim_activation_cut( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, time_t end, struct berval *by )
{
	BerVarray list = NULL;
	Modifications mod;
	struct berval vals[2];
	char buf[PIM_GENTIME_BUFSIZE], extra[64 + PIM_GENTIME_BUFSIZE], *filter;
	long count = 0;
	int i, rc;

	if ( end == 0 )
		return LDAP_SUCCESS;
	if ( end <= slap_get_time() )
		return pim_revoke_principal_role( op, pi, principal, role, by, &count );

	pim_gentime_format( end, buf, sizeof( buf ) );
	snprintf( extra, sizeof( extra ), "(pimState=%s)(!(pimEndTime<=%s))",
		PIM_STATE_ACTIVE, buf );
	filter = pim_filter_principal_role( op, "pimActivation", principal,
		role, extra );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_collect_ndn, &list );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	ber_str2bv( buf, 0, 0, &vals[0] );
	BER_BVZERO( &vals[1] );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ ) {
		pim_mod_init( &mod, LDAP_MOD_REPLACE, 0, pim_ad_end, vals, vals );
		rc = pim_internal_modify( op, pi, &list[i], &mod );
		if ( rc == LDAP_SUCCESS ) {
			pim_timer_add( pi, end, &list[i] );
			pim_log_event( op, "cut role=\"%s\" principal=\"%s\" "
				"activation=\"%s\" until=%ld (eligibility shortened)",
				role->bv_val, principal->bv_val, list[i].bv_val, (long)end );
		}
	}
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc;
}

int
pim_revoke_principal_role( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, struct berval *by,
	long *count )
{
	return pim_end_matching( op, pi, principal, role, NULL,
		PIM_STATE_REVOKED, by, count );
}

int
pim_deactivate( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	struct berval principal;
	const char *state = PIM_STATE_DEACTIVATED;
	long count = 0;
	int rc;

	if ( BER_BVISEMPTY( &op->o_ndn ) ) {
		rs->sr_text = "PIM operations need an authenticated user";
		rc = LDAP_STRONG_AUTH_REQUIRED;
		goto done;
	}
	principal = ( req->pr_fields & PIM_F_PRINCIPAL ) ? req->pr_principal : op->o_ndn;
	if ( !dn_match( &principal, &op->o_ndn ) ) {
		if ( !pim_is_admin( op, pi ) ) {
			rs->sr_text = "only the principal or a PIM administrator "
				"may end an activation";
			rc = LDAP_INSUFFICIENT_ACCESS;
			goto done;
		}
		state = PIM_STATE_REVOKED;
	}
	rc = pim_end_matching( op, pi, &principal, &req->pr_role,
		( req->pr_fields & PIM_F_ID ) ? &req->pr_id : NULL, state,
		&op->o_ndn, &count );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot end the activation";
		rc = LDAP_OTHER;
		goto done;
	}
	if ( count == 0 ) {
		rs->sr_text = "no active activation of this role";
		rc = LDAP_NO_SUCH_OBJECT;
		goto done;
	}
	out->ps_fields = PIM_RF_COUNT | PIM_RF_STATE;
	out->ps_count = count;
	ber_str2bv( state, 0, 0, &out->ps_state );
done:
	rs->sr_err = rc;
	return rc;
}
