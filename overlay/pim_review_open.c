/* pim_review_open.c - an instance of a review opens.
 *
 * The timer opens it at its scheduled time: the instance entry first,
 * then one item per assignment in scope at that moment, then (the
 * caller) the definition's next occurrence.  Each step is idempotent
 * (deterministic names; what exists is kept), so an open that a crash
 * interrupted is finished by the next look, and nothing is opened
 * twice.
 *
 * The assignments are collected by two searches of the container (not
 * one per role), then written one by one: no write happens inside a
 * search's callback.
 */
#include "pim_review.h"

/* One assignment in scope: an eligibility or an active assignment.
 * Strings on the heap (a review may cover thousands). */
typedef struct pim_rv_cand {
	struct berval	rc_id, rc_ndn, rc_principal, rc_role;
	enum pim_rv_scope rc_kind;	/* eligible or active */
	time_t		rc_start, rc_end;
} pim_rv_cand;

typedef struct pim_rv_cands {
	pim_rv_cand	*cs_v;
	size_t		cs_n, cs_cap;
	time_t		cs_now;
	pim_review_def	*cs_rd;
} pim_rv_cands;

/* A role a review covers: none listed means every one. */
static int
pim_rv_in_scope( pim_review_def *rd, struct berval *role )
{
	Attribute *a = rd->rd_roles;
	unsigned i;

	if ( a == NULL )
		return 1;
	for ( i = 0; i < a->a_numvals; i++ ) {
		if ( dn_match( &a->a_nvals[i], role ) )
			return 1;
	}
	return 0;
}

static int
pim_rv_collect( Operation *op, Entry *e, void *arg )
{
	pim_rv_cands *cs = arg;
	pim_rv_cand *c;
	struct berval *id = pim_entry_val( e, pim_ad_id ),
		*principal = pim_entry_nval( e, pim_ad_principal ),
		*role = pim_entry_nval( e, pim_ad_role );
	time_t start = 0, end = 0;

	(void)op;
	if ( id == NULL || principal == NULL || role == NULL ||
		!pim_rv_in_scope( cs->cs_rd, role ) )
		return LDAP_SUCCESS;
	(void)pim_entry_time( e, pim_ad_start, &start );
	if ( pim_entry_time( e, pim_ad_end, &end ) == 0 && end <= cs->cs_now )
		return LDAP_SUCCESS;	/* over, or about to be */
	if ( cs->cs_n == cs->cs_cap ) {
		cs->cs_cap = cs->cs_cap ? cs->cs_cap * 2 : 64;
		cs->cs_v = ch_realloc( cs->cs_v, cs->cs_cap * sizeof( *c ) );
	}
	c = &cs->cs_v[cs->cs_n++];
	ber_dupbv( &c->rc_id, id );
	ber_dupbv( &c->rc_ndn, &e->e_nname );
	ber_dupbv( &c->rc_principal, principal );
	ber_dupbv( &c->rc_role, role );
	c->rc_kind = is_entry_objectclass_or_sub( e, pim_oc_eligibility ) ?
		PIM_RVS_ELIGIBLE : PIM_RVS_ACTIVE;
	c->rc_start = start;
	c->rc_end = end;
	return LDAP_SUCCESS;
}

static void
pim_rv_cands_free( pim_rv_cands *cs )
{
	size_t i;

	for ( i = 0; i < cs->cs_n; i++ ) {
		ch_free( cs->cs_v[i].rc_id.bv_val );
		ch_free( cs->cs_v[i].rc_ndn.bv_val );
		ch_free( cs->cs_v[i].rc_principal.bv_val );
		ch_free( cs->cs_v[i].rc_role.bv_val );
	}
	ch_free( cs->cs_v );
}

static int
pim_rv_candidates( Operation *op, pim_info *pi, pim_review_def *rd,
	pim_rv_cands *cs )
{
	int rc = LDAP_SUCCESS;

	memset( cs, 0, sizeof( *cs ) );
	cs->cs_now = slap_get_time();
	cs->cs_rd = rd;
	if ( rd->rd_scope != PIM_RVS_ACTIVE )
		rc = pim_internal_search( op, pi, &pi->pi_ncontainer,
			"(objectClass=pimEligibility)", pim_rv_collect, cs );
	/* an active assignment is an activation no eligibility backs */
	if ( rc == LDAP_SUCCESS && rd->rd_scope != PIM_RVS_ELIGIBLE )
		rc = pim_internal_search( op, pi, &pi->pi_ncontainer,
			"(&(objectClass=pimActivation)(!(pimEligibilityRef=*))"
			"(|(pimState=active)(pimState=scheduled)))",
			pim_rv_collect, cs );
	return rc;
}

/* --- reviewers ------------------------------------------------------- */

/* Add the values of list, but principal, to e's pimReviewer: a
 * principal reviews their own assignment only in a self-review, where
 * they are the one reviewer named.  The number added. */
static int
pim_rv_add_reviewers( Operation *op, Entry *e, BerVarray list,
	struct berval *principal )
{
	int i, n = 0;

	for ( i = 0; list != NULL && !BER_BVISNULL( &list[i] ); i++ ) {
		if ( dn_match( &list[i], principal ) )
			continue;
		attr_merge_normalize_one( e, pim_ad_rv[PIM_RV_REVIEWER], &list[i],
			op->o_tmpmemctx );
		n++;
	}
	return n;
}

static BerVarray
pim_rv_attr_nvals( Attribute *a )
{
	return a ? a->a_nvals : NULL;
}

/* The role's approvers (pimApprover), read once per role and open. */
static BerVarray
pim_rv_approvers( Operation *op, pim_info *pi, struct berval *role,
	struct berval *cached_role, BerVarray *cached )
{
	Entry *e = NULL;
	Attribute *a;

	if ( !BER_BVISNULL( cached_role ) && dn_match( cached_role, role ) )
		return *cached;
	ber_bvarray_free( *cached );
	*cached = NULL;
	ch_free( cached_role->bv_val );
	ber_dupbv( cached_role, role );
	if ( pim_entry_get( op, pi, role, &e ) != LDAP_SUCCESS )
		return NULL;
	a = attr_find( e->e_attrs, pim_ad_approver );
	if ( a != NULL )
		ber_bvarray_dup_x( cached, a->a_nvals, NULL );
	pim_entry_release( op, pi, e );
	return *cached;
}

typedef struct pim_rv_open {
	pim_review_def	*ro_rd;
	struct berval	ro_inst;	/* the instance's ndn */
	struct berval	ro_inst_id;
	time_t		ro_close;
	pim_rv_history	*ro_hist;
	struct berval	ro_role;	/* the approvers' cache */
	BerVarray	ro_approvers;
} pim_rv_open;

static void
pim_rv_item_reviewers( Operation *op, pim_info *pi, pim_rv_open *ro,
	Entry *e, pim_rv_cand *c, struct berval *manager )
{
	pim_review_def *rd = ro->ro_rd;
	struct berval one[2] = { BER_BVNULL, BER_BVNULL };
	int n = 0;

	switch ( rd->rd_who ) {
	case PIM_RVW_SELF:
		attr_merge_normalize_one( e, pim_ad_rv[PIM_RV_REVIEWER],
			&c->rc_principal, op->o_tmpmemctx );
		return;
	case PIM_RVW_NAMED:
		n = pim_rv_add_reviewers( op, e,
			pim_rv_attr_nvals( rd->rd_reviewers ), &c->rc_principal );
		break;
	case PIM_RVW_APPROVERS:
		n = pim_rv_add_reviewers( op, e, pim_rv_approvers( op, pi,
			&c->rc_role, &ro->ro_role, &ro->ro_approvers ),
			&c->rc_principal );
		break;
	case PIM_RVW_MANAGER:
		if ( !BER_BVISEMPTY( manager ) ) {
			one[0] = *manager;
			n = pim_rv_add_reviewers( op, e, one, &c->rc_principal );
		}
		break;
	}
	if ( n == 0 )
		n = pim_rv_add_reviewers( op, e,
			pim_rv_attr_nvals( rd->rd_fallback ), &c->rc_principal );
	if ( n == 0 )
		(void)pim_rv_add_reviewers( op, e, pi->pi_nadmins,
			&c->rc_principal );
}

/* --- the entries ----------------------------------------------------- */

static void
pim_rv_item_recommend( Operation *op, Entry *e, pim_rv_facts *f )
{
	char why[PIM_RV_WHY_SIZE];
	enum pim_rv_rec rec = pim_rv_recommend( f, why, sizeof( why ) );

	pim_merge_str( op, e, pim_ad_rv[PIM_RV_RECOMMENDATION],
		pim_rv_name( PIM_RVN_REC, rec ) );
	if ( why[0] != '\0' )
		pim_merge_str( op, e, pim_ad_rv[PIM_RV_RECOMMENDATION_REASON], why );
	if ( f->rf_last_activation != 0 )
		pim_entry_merge_time( op, e, pim_ad_rv[PIM_RV_LAST_ACTIVATION],
			f->rf_last_activation );
	if ( f->rf_last_bind != 0 )
		pim_entry_merge_time( op, e, pim_ad_rv[PIM_RV_LAST_BIND],
			f->rf_last_bind );
}

/* The item of candidate c, or NULL when the inactivity filter leaves it
 * out. */
static Entry *
pim_rv_item_entry( Operation *op, pim_info *pi, pim_rv_open *ro,
	pim_rv_cand *c )
{
	pim_review_def *rd = ro->ro_rd;
	pim_rv_facts f = { .rf_now = slap_get_time(), .rf_since = c->rc_start,
		.rf_active = c->rc_kind == PIM_RVS_ACTIVE,
		.rf_days = rd->rd_inactive_days ? rd->rd_inactive_days :
			PIM_RV_DEFAULT_DAYS };
	struct berval manager = BER_BVNULL, id;
	char buf[PIM_MAX_ID + 1];
	Entry *e;

	pim_rv_history_facts( op, pi, ro->ro_hist, &c->rc_principal,
		&c->rc_role, &f, rd->rd_who == PIM_RVW_MANAGER ? &manager : NULL );
	if ( rd->rd_inactive_days > 0 && !pim_rv_inactive( &f ) ) {
		op->o_tmpfree( manager.bv_val, op->o_tmpmemctx );
		return NULL;
	}
	id.bv_len = snprintf( buf, sizeof( buf ), "%s-%s",
		ro->ro_inst_id.bv_val, c->rc_id.bv_val );
	id.bv_val = buf;
	e = pim_entry_new( op, pi, "pimReviewItem", &id );
	attr_merge_normalize_one( e, pim_ad_rv[PIM_RV_INSTANCE_REF],
		&ro->ro_inst, op->o_tmpmemctx );
	attr_merge_normalize_one( e, pim_ad_principal, &c->rc_principal,
		op->o_tmpmemctx );
	attr_merge_normalize_one( e, pim_ad_role, &c->rc_role, op->o_tmpmemctx );
	pim_merge_str( op, e, pim_ad_rv[PIM_RV_KIND],
		pim_rv_name( PIM_RVN_SCOPE, c->rc_kind ) );
	attr_merge_normalize_one( e, pim_ad_rv[PIM_RV_ASSIGNMENT_REF],
		&c->rc_ndn, op->o_tmpmemctx );
	if ( c->rc_start != 0 )
		pim_entry_merge_time( op, e, pim_ad_start, c->rc_start );
	if ( c->rc_end != 0 )
		pim_entry_merge_time( op, e, pim_ad_end, c->rc_end );
	pim_entry_merge_time( op, e, pim_ad_request_expiry, ro->ro_close );
	pim_merge_str( op, e, pim_ad_state, "open" );
	pim_rv_item_reviewers( op, pi, ro, e, c, &manager );
	if ( rd->rd_show_rec )
		pim_rv_item_recommend( op, e, &f );
	op->o_tmpfree( manager.bv_val, op->o_tmpmemctx );
	return e;
}

/* The instance entry: LDAP_SUCCESS when it is there and open (made now
 * or before), LDAP_COMPARE_FALSE when it exists and is over. */
static int
pim_rv_instance_add( Operation *op, pim_info *pi, Entry *def,
	pim_review_def *rd, pim_rv_open *ro, long k, time_t t )
{
	Entry *e = pim_entry_new( op, pi, "pimReviewInstance", &ro->ro_inst_id );
	char buf[24];
	int rc;

	attr_merge_normalize_one( e, pim_ad_rv[PIM_RV_DEFINITION_REF],
		&def->e_nname, op->o_tmpmemctx );
	if ( !BER_BVISEMPTY( &rd->rd_name ) )
		attr_merge_normalize_one( e, slap_schema.si_ad_cn, &rd->rd_name,
			op->o_tmpmemctx );
	pim_merge_str( op, e, pim_ad_state, "open" );
	snprintf( buf, sizeof( buf ), "%ld", k );
	pim_merge_str( op, e, pim_ad_rv[PIM_RV_OCCURRENCE], buf );
	pim_entry_merge_time( op, e, pim_ad_start, t );
	pim_entry_merge_time( op, e, pim_ad_end, ro->ro_close );
	if ( rd->rd_reminder > 0 &&
		ro->ro_close - rd->rd_reminder > slap_get_time() )
		pim_entry_merge_time( op, e, pim_ad_rv[PIM_RV_REMINDER_TIME],
			ro->ro_close - rd->rd_reminder );
	rc = pim_internal_add( op, pi, e );
	if ( rc == LDAP_ALREADY_EXISTS ) {
		rc = pim_entry_get( op, pi, &ro->ro_inst, &e );
		if ( rc == LDAP_SUCCESS ) {
			rc = pim_review_state( e ) == PIM_RVST_OPEN ?
				LDAP_SUCCESS : LDAP_COMPARE_FALSE;
			pim_entry_release( op, pi, e );
		}
	}
	return rc;
}

static int
pim_rv_items_add( Operation *op, pim_info *pi, pim_rv_open *ro,
	pim_rv_cands *cs, long *items )
{
	size_t i;
	int rc;

	for ( i = 0; i < cs->cs_n; i++ ) {
		Entry *e = pim_rv_item_entry( op, pi, ro, &cs->cs_v[i] );

		if ( e == NULL )
			continue;
		rc = pim_internal_add( op, pi, e );	/* frees e */
		if ( rc == LDAP_ALREADY_EXISTS )
			rc = LDAP_SUCCESS;	/* made by an open a crash cut */
		if ( rc != LDAP_SUCCESS )
			return rc;
		++*items;
	}
	return LDAP_SUCCESS;
}

static void
pim_rv_opened_event( Operation *op, pim_info *pi, pim_rv_open *ro,
	time_t t, long items )
{
	char text[64];
	pim_event_info ev = { .ev_kind = PIM_EK_REVIEW_OPENED, .ev_id = &ro->ro_inst_id,
		.ev_start = t, .ev_end = ro->ro_close, .ev_text = text,
		.ev_reason = BER_BVISEMPTY( &ro->ro_rd->rd_name ) ? NULL :
			&ro->ro_rd->rd_name };

	snprintf( text, sizeof( text ), "%ld items to review", items );
	pim_event( op, pi, &ev );
}

int
pim_review_open( Operation *op, pim_info *pi, Entry *def,
	pim_review_def *rd, long k, time_t t, long *items )
{
	pim_rv_open ro = { .ro_rd = rd, .ro_close = t + rd->rd_sched.sc_duration };
	pim_rv_cands cs;
	char id[PIM_MAX_ID + 1];
	int rc;

	*items = 0;
	ro.ro_inst_id.bv_len = snprintf( id, sizeof( id ), "%.*s-r%ld",
		(int)rd->rd_id.bv_len, rd->rd_id.bv_val, k );
	ro.ro_inst_id.bv_val = id;
	pim_activation_ndn( op, pi, &ro.ro_inst_id, &ro.ro_inst );
	rc = pim_rv_candidates( op, pi, rd, &cs );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_instance_add( op, pi, def, rd, &ro, k, t );
	if ( rc == LDAP_COMPARE_FALSE ) {
		rc = LDAP_SUCCESS;	/* opened and over: stopped early */
		goto done;
	}
	if ( rc != LDAP_SUCCESS )
		goto done;
	ro.ro_hist = pim_rv_history_load( op, pi );
	rc = pim_rv_items_add( op, pi, &ro, &cs, items );
	if ( rc == LDAP_SUCCESS ) {
		pim_rv_opened_event( op, pi, &ro, t, *items );
		pim_timer_add_review( pi, slap_get_time(), &ro.ro_inst );
	}
done:
	pim_rv_history_free( op, ro.ro_hist );
	pim_rv_cands_free( &cs );
	ber_bvarray_free( ro.ro_approvers );
	ch_free( ro.ro_role.bv_val );
	op->o_tmpfree( ro.ro_inst.bv_val, op->o_tmpmemctx );
	return rc;
}
