/* pim_review_decide.c - a reviewer decides an item.
 *
 * Who: a reviewer of that item (a user named in its pimReviewer, or a
 * member of a group named there).  The principal of an item decides it
 * only in a self-review, where they are named directly: every other
 * kind of review leaves the principal out of the reviewers when the
 * item is made (pim_review_open.c), and a group that happens to hold
 * the principal does not make them a reviewer of themselves.
 * When: while the item and its instance are open; the last decision
 * stands.  A decision and the close are serialized by pi_request_mutex,
 * so that no decision lands on an item the close has already judged.
 */
#include "pim_review.h"

/* What the decision needs to know of an item, copied (o_tmpmemctx). */
typedef struct pim_rv_target {
	struct berval	tg_id, tg_principal, tg_role, tg_inst;
	BerVarray	tg_reviewers;
	int		tg_state;
	int		tg_rec;		/* enum pim_rv_rec; -1 none */
} pim_rv_target;

static void
pim_rv_copy( Operation *op, struct berval *dst, struct berval *src )
{
	if ( src != NULL )
		ber_dupbv_x( dst, src, op->o_tmpmemctx );
	else
		BER_BVZERO( dst );
}

static void
pim_rv_target_read( Operation *op, Entry *e, pim_rv_target *tg )
{
	Attribute *a = attr_find( e->e_attrs, pim_ad_rv[PIM_RV_REVIEWER] );
	struct berval *bv = pim_entry_val( e, pim_ad_rv[PIM_RV_RECOMMENDATION] );

	memset( tg, 0, sizeof( *tg ) );
	pim_rv_copy( op, &tg->tg_id, pim_entry_val( e, pim_ad_id ) );
	pim_rv_copy( op, &tg->tg_principal, pim_entry_nval( e, pim_ad_principal ) );
	pim_rv_copy( op, &tg->tg_role, pim_entry_nval( e, pim_ad_role ) );
	pim_rv_copy( op, &tg->tg_inst,
		pim_entry_nval( e, pim_ad_rv[PIM_RV_INSTANCE_REF] ) );
	if ( a != NULL )
		ber_bvarray_dup_x( &tg->tg_reviewers, a->a_nvals, op->o_tmpmemctx );
	tg->tg_state = pim_review_state( e );
	tg->tg_rec = bv ? pim_rv_parse( PIM_RVN_REC, bv->bv_val, bv->bv_len ) : -1;
}

static void
pim_rv_target_free( Operation *op, pim_rv_target *tg )
{
	op->o_tmpfree( tg->tg_id.bv_val, op->o_tmpmemctx );
	op->o_tmpfree( tg->tg_principal.bv_val, op->o_tmpmemctx );
	op->o_tmpfree( tg->tg_role.bv_val, op->o_tmpmemctx );
	op->o_tmpfree( tg->tg_inst.bv_val, op->o_tmpmemctx );
	ber_bvarray_free_x( tg->tg_reviewers, op->o_tmpmemctx );
}

/* May the requester decide tg? */
static int
pim_rv_may_decide( Operation *op, pim_info *pi, pim_rv_target *tg,
	const char **text )
{
	int i;

	if ( !BER_BVISNULL( &tg->tg_principal ) &&
		dn_match( &op->o_ndn, &tg->tg_principal ) ) {
		for ( i = 0; tg->tg_reviewers &&
			!BER_BVISNULL( &tg->tg_reviewers[i] ); i++ ) {
			if ( dn_match( &tg->tg_reviewers[i], &op->o_ndn ) )
				return LDAP_SUCCESS;	/* a self-review */
		}
		*text = "a principal does not review their own assignment "
			"(unless the review is a self-review)";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	if ( !pim_requester_in( op, pi, tg->tg_reviewers ) ) {
		*text = "you are not a reviewer of this item";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	return LDAP_SUCCESS;
}

/* The instance is open, and whether its definition wants a reason. */
static int
pim_rv_inst_open( Operation *op, pim_info *pi, struct berval *inst,
	int *reason_required, const char **text )
{
	Entry *e = NULL, *d = NULL;
	pim_review_def rd;
	struct berval *ref;
	time_t end = 0;
	int rc = LDAP_SUCCESS;

	*reason_required = 0;
	if ( BER_BVISNULL( inst ) ||
		pim_entry_get( op, pi, inst, &e ) != LDAP_SUCCESS ) {
		*text = "the item's review instance is gone";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( pim_review_state( e ) != PIM_RVST_OPEN ||
		( pim_entry_time( e, pim_ad_end, &end ) == 0 &&
		end <= slap_get_time() ) ) {
		*text = "the review is closed: decisions are no longer taken";
		rc = LDAP_UNWILLING_TO_PERFORM;
	}
	ref = pim_entry_nval( e, pim_ad_rv[PIM_RV_DEFINITION_REF] );
	if ( rc == LDAP_SUCCESS && ref != NULL &&
		pim_entry_get( op, pi, ref, &d ) == LDAP_SUCCESS ) {
		if ( pim_review_def_read( d, &rd, text ) == LDAP_SUCCESS )
			*reason_required = rd.rd_justification;
		pim_entry_release( op, pi, d );
	}
	pim_entry_release( op, pi, e );
	return rc;
}

static int
pim_rv_write_decision( Operation *op, pim_info *pi, struct berval *ndn,
	pim_rv_target *tg, int decision, struct berval *reason )
{
	pim_modlist ml;
	pim_event_info ev = { .ev_kind = PIM_EK_REVIEW_DECIDED, .ev_id = &tg->tg_id,
		.ev_principal = &tg->tg_principal, .ev_role = &tg->tg_role,
		.ev_reason = reason && !BER_BVISEMPTY( reason ) ? reason : NULL,
		.ev_text = pim_rv_name( PIM_RVN_DECISION, decision ) };
	int rc;

	ml.ml_n = 0;
	pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_DECISION],
		pim_rv_name( PIM_RVN_DECISION, decision ) );
	pim_ml_add( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_DECIDED_BY],
		&op->o_ndn );
	pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_DECISION_TIME],
		slap_get_time() );
	if ( reason != NULL && !BER_BVISEMPTY( reason ) )
		pim_ml_add( &ml, LDAP_MOD_REPLACE, pim_ad_decision_reason, reason );
	else	/* the last decision stands: not an earlier one's reason */
		pim_ml_add( &ml, SLAP_MOD_SOFTDEL, pim_ad_decision_reason, NULL );
	rc = pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
	if ( rc == LDAP_SUCCESS )
		pim_event( op, pi, &ev );
	return rc;
}

/* One item; caller holds pi_request_mutex. */
static int
pim_rv_decide_item( Operation *op, pim_info *pi, Entry *e,
	pim_rv_decision *dc, const char **text )
{
	pim_rv_target tg;
	struct berval ndn = BER_BVNULL;
	int need_reason, decision = dc->dc_decision, rc;

	pim_rv_target_read( op, e, &tg );
	ber_dupbv_x( &ndn, &e->e_nname, op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	rc = pim_rv_may_decide( op, pi, &tg, text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( tg.tg_state != PIM_RVST_OPEN ) {
		*text = "the item is closed: decisions are no longer taken";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	rc = pim_rv_inst_open( op, pi, &tg.tg_inst, &need_reason, text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( dc->dc_recommended && decision < 0 )
		decision = tg.tg_rec == PIM_REC_APPROVE ? PIM_DECISION_APPROVE :
			tg.tg_rec == PIM_REC_DENY ? PIM_DECISION_DENY : -1;
	if ( decision < 0 ) {
		*text = dc->dc_recommended ? "the item has no recommendation "
			"to take" : "a decision is required: approve, deny or "
			"dontKnow";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	if ( need_reason && BER_BVISEMPTY( &dc->dc_reason ) ) {
		*text = "this review requires a reason for every decision";
		rc = LDAP_CONSTRAINT_VIOLATION;
		goto done;
	}
	rc = pim_rv_write_decision( op, pi, &ndn, &tg, decision, &dc->dc_reason );
	if ( rc != LDAP_SUCCESS )
		*text = "cannot record the decision";
done:
	op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	pim_rv_target_free( op, &tg );
	return rc;
}

/* Every undecided open item of instance inst that the requester
 * reviews and that has a recommendation: take it. */
static int
pim_rv_accept_all( Operation *op, pim_info *pi, struct berval *inst,
	pim_rv_decision *dc, long *count, const char **text )
{
	BerVarray list = NULL;
	struct berval esc;
	char *filter;
	size_t len;
	int i, rc;

	filter_escape_value_x( inst, &esc, op->o_tmpmemctx );
	len = esc.bv_len + 160;
	filter = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( filter, len, "(&(objectClass=pimReviewItem)"
		"(pimReviewInstanceRef=%s)(pimState=open)(!(pimReviewDecision=*))"
		"(|(pimReviewRecommendation=approve)"
		"(pimReviewRecommendation=deny)))", esc.bv_val );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_collect_ndn, &list );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ ) {
		Entry *e = NULL;
		const char *why = NULL;

		if ( pim_entry_get( op, pi, &list[i], &e ) != LDAP_SUCCESS )
			continue;
		/* (not mine: left alone; the count says what was taken) */
		if ( pim_rv_decide_item( op, pi, e, dc, &why ) == LDAP_SUCCESS )
			++*count;
		else if ( why != NULL && strstr( why, "closed" ) != NULL ) {
			*text = why;
			rc = LDAP_UNWILLING_TO_PERFORM;
		}
	}
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc;
}

int
pim_review_decide( Operation *op, pim_info *pi, struct berval *ndn,
	pim_rv_decision *dc, long *count, const char **text )
{
	Entry *e = NULL;
	int rc;

	*count = 0;
	if ( BER_BVISEMPTY( &op->o_ndn ) ) {
		*text = "anonymous users cannot review";
		return LDAP_INSUFFICIENT_ACCESS;
	}
	ldap_pvt_thread_mutex_lock( &pi->pi_request_mutex );
	rc = pim_entry_get( op, pi, ndn, &e );
	if ( rc != LDAP_SUCCESS ) {
		*text = "no such review item";
		rc = LDAP_NO_SUCH_OBJECT;
		goto done;
	}
	switch ( pim_review_entry_kind( e ) ) {
	case PIM_RVE_ITEM:
		rc = pim_rv_decide_item( op, pi, e, dc, text );	/* releases e */
		*count = rc == LDAP_SUCCESS;
		break;
	case PIM_RVE_INSTANCE:
		pim_entry_release( op, pi, e );
		if ( !dc->dc_recommended || dc->dc_decision >= 0 ) {
			*text = "a decision names one item; on an instance, only "
				"the recommendations can be taken";
			rc = LDAP_UNWILLING_TO_PERFORM;
			break;
		}
		rc = pim_rv_accept_all( op, pi, ndn, dc, count, text );
		break;
	default:
		pim_entry_release( op, pi, e );
		*text = "not an access review item";
		rc = LDAP_UNWILLING_TO_PERFORM;
	}
done:
	ldap_pvt_thread_mutex_unlock( &pi->pi_request_mutex );
	return rc;
}
