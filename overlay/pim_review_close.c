/* pim_review_close.c - the end of an instance: reminders before it,
 * the close (defaults for unreviewed items, the alert), applying the
 * results, stopping early.
 *
 * An instance moves open -> closed -> applied, and each of its items
 * the same way; each step is one write per entry, so a crash leaves
 * some items a step behind, and the next look (the timer, or an
 * administrator's apply) takes the rest: closing and applying act only
 * on items still in the earlier state.
 */
#include "pim_review.h"

/* An item, copied out of its entry (strings on the heap). */
typedef struct pim_rv_item {
	struct berval	ri_ndn, ri_id, ri_principal, ri_role, ri_ref;
	enum pim_rv_scope ri_kind;
	int		ri_decision;	/* enum pim_decision; -1: none */
	int		ri_rec;		/* enum pim_rv_rec; -1: none shown */
	time_t		ri_start;
} pim_rv_item;

typedef struct pim_rv_items {
	pim_rv_item	*is_v;
	size_t		is_n, is_cap;
} pim_rv_items;

static void
pim_rv_dup( struct berval *dst, struct berval *src )
{
	if ( src != NULL )
		ber_dupbv( dst, src );
	else
		BER_BVZERO( dst );
}

static int
pim_rv_item_collect( Operation *op, Entry *e, void *arg )
{
	pim_rv_items *is = arg;
	pim_rv_item *it;
	struct berval *bv;

	(void)op;
	if ( is->is_n == is->is_cap ) {
		is->is_cap = is->is_cap ? is->is_cap * 2 : 64;
		is->is_v = ch_realloc( is->is_v, is->is_cap * sizeof( *it ) );
	}
	it = &is->is_v[is->is_n++];
	ber_dupbv( &it->ri_ndn, &e->e_nname );
	pim_rv_dup( &it->ri_id, pim_entry_val( e, pim_ad_id ) );
	pim_rv_dup( &it->ri_principal, pim_entry_nval( e, pim_ad_principal ) );
	pim_rv_dup( &it->ri_role, pim_entry_nval( e, pim_ad_role ) );
	pim_rv_dup( &it->ri_ref, pim_entry_nval( e, pim_ad_rv[PIM_RV_ASSIGNMENT_REF] ) );
	bv = pim_entry_val( e, pim_ad_rv[PIM_RV_KIND] );
	it->ri_kind = bv && pim_rv_parse( PIM_RVN_SCOPE, bv->bv_val,
		bv->bv_len ) == PIM_RVS_ACTIVE ? PIM_RVS_ACTIVE : PIM_RVS_ELIGIBLE;
	bv = pim_entry_val( e, pim_ad_rv[PIM_RV_DECISION] );
	it->ri_decision = bv ? pim_rv_parse( PIM_RVN_DECISION, bv->bv_val,
		bv->bv_len ) : -1;
	bv = pim_entry_val( e, pim_ad_rv[PIM_RV_RECOMMENDATION] );
	it->ri_rec = bv ? pim_rv_parse( PIM_RVN_REC, bv->bv_val, bv->bv_len ) : -1;
	it->ri_start = 0;
	(void)pim_entry_time( e, pim_ad_start, &it->ri_start );
	return LDAP_SUCCESS;
}

static void
pim_rv_items_free( pim_rv_items *is )
{
	size_t i;

	for ( i = 0; i < is->is_n; i++ ) {
		pim_rv_item *it = &is->is_v[i];

		ch_free( it->ri_ndn.bv_val );
		ch_free( it->ri_id.bv_val );
		ch_free( it->ri_principal.bv_val );
		ch_free( it->ri_role.bv_val );
		ch_free( it->ri_ref.bv_val );
	}
	ch_free( is->is_v );
	memset( is, 0, sizeof( *is ) );
}

/* The items of instance inst in state st ("open", "closed"), or of any
 * state when st is NULL; extra is more of the filter. */
static int
pim_rv_items_of( Operation *op, pim_info *pi, struct berval *inst,
	const char *st, const char *extra, pim_rv_items *is )
{
	struct berval esc;
	char *filter;
	size_t len;
	int rc;

	memset( is, 0, sizeof( *is ) );
	filter_escape_value_x( inst, &esc, op->o_tmpmemctx );
	len = esc.bv_len + 128 + ( extra ? strlen( extra ) : 0 );
	filter = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( filter, len, "(&(objectClass=pimReviewItem)"
		"(pimReviewInstanceRef=%s)%s%s%s%s)", esc.bv_val,
		st ? "(pimState=" : "", st ? st : "", st ? ")" : "",
		extra ? extra : "" );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_rv_item_collect, is );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	return rc;
}

/* An instance, copied out of its entry, with its definition's settings
 * (read from the definition: absent ones get the defaults). */
typedef struct pim_rv_inst {
	int		in_state;
	struct berval	in_id;		/* heap */
	time_t		in_end, in_reminder;
	enum pim_rv_default in_default;
	int		in_auto_apply;
	int		in_show_rec;
	long		in_days;
} pim_rv_inst;

static int
pim_rv_inst_read( Operation *op, pim_info *pi, struct berval *ndn,
	pim_rv_inst *in )
{
	Entry *e = NULL, *d = NULL;
	pim_review_def rd;
	struct berval *ref;
	const char *text;
	int rc;

	memset( in, 0, sizeof( *in ) );
	in->in_show_rec = 1;
	rc = pim_entry_get( op, pi, ndn, &e );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( pim_review_entry_kind( e ) != PIM_RVE_INSTANCE ) {
		pim_entry_release( op, pi, e );
		return LDAP_NO_SUCH_OBJECT;
	}
	in->in_state = pim_review_state( e );
	pim_rv_dup( &in->in_id, pim_entry_val( e, pim_ad_id ) );
	(void)pim_entry_time( e, pim_ad_end, &in->in_end );
	(void)pim_entry_time( e, pim_ad_rv[PIM_RV_REMINDER_TIME], &in->in_reminder );
	ref = pim_entry_nval( e, pim_ad_rv[PIM_RV_DEFINITION_REF] );
	if ( ref != NULL && pim_entry_get( op, pi, ref, &d ) == LDAP_SUCCESS ) {
		if ( pim_review_def_read( d, &rd, &text ) == LDAP_SUCCESS ) {
			in->in_default = rd.rd_default;
			in->in_auto_apply = rd.rd_auto_apply;
			in->in_show_rec = rd.rd_show_rec;
			in->in_days = rd.rd_inactive_days;
		}
		pim_entry_release( op, pi, d );
	}
	pim_entry_release( op, pi, e );
	return LDAP_SUCCESS;
}

/* --- reminders ------------------------------------------------------- */

/* One reviewer and how many undecided items wait for them. */
typedef struct pim_rv_due {
	struct berval	du_reviewer;
	long		du_items;
} pim_rv_due;

static int
pim_rv_due_cmp( const void *a, const void *b )
{
	return ber_bvcmp( &( (const pim_rv_due *)a )->du_reviewer,
		&( (const pim_rv_due *)b )->du_reviewer );
}

static int
pim_rv_due_collect( Operation *op, Entry *e, void *arg )
{
	Avlnode **tree = arg;
	Attribute *a = attr_find( e->e_attrs, pim_ad_rv[PIM_RV_REVIEWER] );
	unsigned i;

	(void)op;
	for ( i = 0; a != NULL && i < a->a_numvals; i++ ) {
		pim_rv_due probe = { a->a_nvals[i], 0 }, *du;

		du = ldap_avl_find( *tree, &probe, pim_rv_due_cmp );
		if ( du == NULL ) {
			du = ch_calloc( 1, sizeof( *du ) );
			ber_dupbv( &du->du_reviewer, &a->a_nvals[i] );
			(void)ldap_avl_insert( tree, du, pim_rv_due_cmp,
				ldap_avl_dup_error );
		}
		du->du_items++;
	}
	return LDAP_SUCCESS;
}

typedef struct pim_rv_reminder {
	Operation	*rm_op;
	pim_info	*rm_pi;
	pim_rv_inst	*rm_in;
} pim_rv_reminder;

static int
pim_rv_remind_one( void *data, void *arg )
{
	pim_rv_due *du = data;
	pim_rv_reminder *rm = arg;
	char text[96];
	pim_event_info ev = { .ev_kind = PIM_EK_REVIEW_REMINDER,
		.ev_principal = &du->du_reviewer, .ev_id = &rm->rm_in->in_id,
		.ev_end = rm->rm_in->in_end, .ev_by = &pim_actor_self,
		.ev_text = text };

	snprintf( text, sizeof( text ), "%ld items to review before the close",
		du->du_items );
	pim_event( rm->rm_op, rm->rm_pi, &ev );
	return 0;
}

static void
pim_rv_due_free( void *p )
{
	pim_rv_due *du = p;

	ch_free( du->du_reviewer.bv_val );
	ch_free( du );
}

/* An event per reviewer with undecided items, then the reminder time
 * goes (it reminds once). */
static int
pim_rv_remind( Operation *op, pim_info *pi, struct berval *ndn,
	pim_rv_inst *in )
{
	Avlnode *tree = NULL;
	pim_rv_reminder rm = { op, pi, in };
	struct berval esc;
	char *filter;
	pim_modlist ml;
	int rc;

	filter_escape_value_x( ndn, &esc, op->o_tmpmemctx );
	filter = op->o_tmpalloc( esc.bv_len + 128, op->o_tmpmemctx );
	snprintf( filter, esc.bv_len + 128, "(&(objectClass=pimReviewItem)"
		"(pimReviewInstanceRef=%s)(pimState=open)"
		"(!(pimReviewDecision=*)))", esc.bv_val );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_rv_due_collect, &tree );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	if ( rc == LDAP_SUCCESS ) {
		(void)ldap_avl_apply( tree, pim_rv_remind_one, &rm, -1,
			AVL_INORDER );
		ml.ml_n = 0;
		pim_ml_add( &ml, LDAP_MOD_DELETE, pim_ad_rv[PIM_RV_REMINDER_TIME],
			NULL );
		rc = pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
	}
	ldap_avl_free( tree, pim_rv_due_free );
	return rc;
}

int
pim_review_instance_due( Operation *op, pim_info *pi, struct berval *ndn )
{
	pim_rv_inst in;
	const char *text = NULL;
	time_t now = slap_get_time();
	int rc;

	rc = pim_rv_inst_read( op, pi, ndn, &in );
	if ( rc != LDAP_SUCCESS || in.in_state != PIM_RVST_OPEN )
		goto done;
	if ( in.in_end != 0 && now >= in.in_end ) {
		rc = pim_review_close( op, pi, ndn, NULL, NULL, &text );
		goto done;
	}
	if ( in.in_reminder != 0 && now >= in.in_reminder ) {
		rc = pim_rv_remind( op, pi, ndn, &in );
		in.in_reminder = 0;
	}
	if ( rc == LDAP_SUCCESS && in.in_end != 0 )
		pim_timer_add_review( pi, in.in_reminder != 0 ?
			in.in_reminder : in.in_end, ndn );
done:
	ch_free( in.in_id.bv_val );
	return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
}

/* --- the close ------------------------------------------------------- */

/* The decision an unreviewed item gets at the close, or -1 for none. */
static int
pim_rv_default_decision( Operation *op, pim_info *pi, pim_rv_inst *in,
	pim_rv_item *it, pim_rv_history **hist )
{
	int rec = it->ri_rec;

	switch ( in->in_default ) {
	case PIM_RVD_REMOVE:
		return PIM_DECISION_DENY;
	case PIM_RVD_APPROVE:
		return PIM_DECISION_APPROVE;
	case PIM_RVD_RECOMMENDATION:
		if ( rec < 0 ) {
			/* not shown to reviewers: worked out now */
			pim_rv_facts f = { .rf_now = slap_get_time(),
				.rf_since = it->ri_start,
				.rf_active = it->ri_kind == PIM_RVS_ACTIVE,
				.rf_days = in->in_days ? in->in_days :
					PIM_RV_DEFAULT_DAYS };
			char why[PIM_RV_WHY_SIZE];

			if ( *hist == NULL )
				*hist = pim_rv_history_load( op, pi );
			pim_rv_history_facts( op, pi, *hist, &it->ri_principal,
				&it->ri_role, &f, NULL );
			rec = pim_rv_recommend( &f, why, sizeof( why ) );
		}
		return rec == PIM_REC_APPROVE ? PIM_DECISION_APPROVE :
			rec == PIM_REC_DENY ? PIM_DECISION_DENY : -1;
	default:
		return -1;
	}
}

static int
pim_rv_close_item( Operation *op, pim_info *pi, pim_rv_inst *in,
	pim_rv_item *it, pim_rv_history **hist )
{
	pim_modlist ml;
	char why[64];
	int d;

	ml.ml_n = 0;
	pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_state, "closed" );
	if ( it->ri_decision < 0 &&
		( d = pim_rv_default_decision( op, pi, in, it, hist ) ) >= 0 ) {
		pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_DECISION],
			pim_rv_name( PIM_RVN_DECISION, d ) );
		pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_DECISION_TIME],
			slap_get_time() );
		snprintf( why, sizeof( why ), "unreviewed: the default (%s)",
			pim_rv_name( PIM_RVN_DEFAULT, in->in_default ) );
		pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_decision_reason, why );
	}
	return pim_internal_modify( op, pi, &it->ri_ndn, pim_ml_head( &ml ) );
}

static void
pim_rv_closed_events( Operation *op, pim_info *pi, pim_rv_inst *in,
	struct berval *by, struct berval *reason, long n, long unreviewed )
{
	char text[128], alert[160];
	pim_event_info ev = { .ev_kind = by ? PIM_EK_REVIEW_STOPPED : PIM_EK_REVIEW_CLOSED,
		.ev_id = &in->in_id, .ev_by = by ? by : &pim_actor_self,
		.ev_reason = reason, .ev_text = text };
	pim_event_info al = { .ev_kind = PIM_EK_ALERT, .ev_alert = "review-unreviewed",
		.ev_id = &in->in_id, .ev_by = &pim_actor_self, .ev_text = alert };

	snprintf( text, sizeof( text ), "%ld items, %ld unreviewed", n,
		unreviewed );
	pim_event( op, pi, &ev );
	if ( unreviewed == 0 )
		return;
	snprintf( alert, sizeof( alert ), "access review %s closed with %ld "
		"of %ld items unreviewed (default: %s)", in->in_id.bv_val,
		unreviewed, n, pim_rv_name( PIM_RVN_DEFAULT, in->in_default ) );
	pim_event( op, pi, &al );
}

static int
pim_rv_close_instance( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *by, struct berval *reason )
{
	pim_modlist ml;

	ml.ml_n = 0;
	pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_state, "closed" );
	if ( by != NULL ) {
		pim_ml_add( &ml, LDAP_MOD_REPLACE, pim_ad_ended_by, by );
		pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, slap_get_time() );
	}
	if ( reason != NULL && !BER_BVISEMPTY( reason ) )
		pim_ml_add( &ml, LDAP_MOD_REPLACE, pim_ad_decision_reason, reason );
	return pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
}

int
pim_review_close( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *by, struct berval *reason, const char **text )
{
	pim_rv_history *hist = NULL;
	pim_rv_items is = { 0 };
	pim_rv_inst in;
	long unreviewed = 0, applied = 0;
	size_t i;
	int rc;

	/* no decision lands on an item once the close has judged it */
	ldap_pvt_thread_mutex_lock( &pi->pi_request_mutex );
	rc = pim_rv_inst_read( op, pi, ndn, &in );
	if ( rc != LDAP_SUCCESS ) {
		*text = "no such review instance";
		goto done;
	}
	if ( in.in_state != PIM_RVST_OPEN ) {
		*text = "the review instance is not open";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	rc = pim_rv_items_of( op, pi, ndn, "open", NULL, &is );
	for ( i = 0; rc == LDAP_SUCCESS && i < is.is_n; i++ ) {
		unreviewed += is.is_v[i].ri_decision < 0;
		rc = pim_rv_close_item( op, pi, &in, &is.is_v[i], &hist );
	}
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_close_instance( op, pi, ndn, by, reason );
	if ( rc != LDAP_SUCCESS ) {
		*text = "cannot close the review instance";
		goto done;
	}
	pim_rv_closed_events( op, pi, &in, by, reason, (long)is.is_n, unreviewed );
	ldap_pvt_thread_mutex_unlock( &pi->pi_request_mutex );
	if ( in.in_auto_apply )
		rc = pim_review_apply( op, pi, ndn, NULL, &applied, text );
	goto out;
done:
	ldap_pvt_thread_mutex_unlock( &pi->pi_request_mutex );
out:
	pim_rv_history_free( op, hist );
	pim_rv_items_free( &is );
	ch_free( in.in_id.bv_val );
	return rc;
}

/* --- applying -------------------------------------------------------- */

/* Carry out one closed item's decision: its outcome. */
static enum pim_rv_outcome
pim_rv_apply_item( Operation *op, pim_info *pi, pim_rv_item *it,
	struct berval *by, struct berval *reason )
{
	Entry *e = NULL;
	int ended = 0, rc;

	if ( it->ri_decision != PIM_DECISION_DENY )
		return PIM_RVO_KEPT;
	if ( BER_BVISNULL( &it->ri_ref ) ||
		pim_entry_get( op, pi, &it->ri_ref, &e ) != LDAP_SUCCESS )
		return PIM_RVO_GONE;	/* removed meanwhile */
	pim_entry_release( op, pi, e );
	if ( it->ri_kind == PIM_RVS_ELIGIBLE ) {
		rc = pim_eligibility_drop( op, pi, &it->ri_principal, &it->ri_role,
			&it->ri_ref, by, reason );
		return rc == LDAP_SUCCESS ? PIM_RVO_REMOVED : PIM_RVO_FAILED;
	}
	rc = pim_activation_finish( op, pi, &it->ri_ref, PIM_EV_REVOKE, by,
		reason, &ended );
	if ( rc != LDAP_SUCCESS )
		return PIM_RVO_FAILED;
	return ended ? PIM_RVO_REVOKED : PIM_RVO_GONE;
}

static int
pim_rv_mark( Operation *op, pim_info *pi, struct berval *ndn,
	const char *state, int outcome )
{
	pim_modlist ml;

	ml.ml_n = 0;
	pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_state, state );
	if ( outcome >= 0 )
		pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_OUTCOME],
			pim_rv_name( PIM_RVN_OUTCOME, outcome ) );
	return pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
}

/* Apply the closed items in is; *changed: how many removed or revoked. */
static int
pim_rv_apply_items( Operation *op, pim_info *pi, pim_rv_inst *in,
	pim_rv_items *is, struct berval *by, long *changed, long *failed )
{
	struct berval reason, nobody = BER_BVC( "" );
	char buf[PIM_MAX_ID + 48];
	size_t i;
	int rc = LDAP_SUCCESS;

	/* PIM's own apply: an empty actor (recorded as pim) still ends an
	 * active assignment now, as any revocation does */
	if ( by == NULL )
		by = &nobody;
	reason.bv_len = snprintf( buf, sizeof( buf ), "denied in access review %s",
		in->in_id.bv_val );
	reason.bv_val = buf;
	for ( i = 0; rc == LDAP_SUCCESS && i < is->is_n; i++ ) {
		enum pim_rv_outcome o = pim_rv_apply_item( op, pi, &is->is_v[i],
			by, &reason );

		*changed += o == PIM_RVO_REMOVED || o == PIM_RVO_REVOKED;
		*failed += o == PIM_RVO_FAILED;
		/* a failed one stays closed, to be applied again */
		rc = pim_rv_mark( op, pi, &is->is_v[i].ri_ndn,
			o == PIM_RVO_FAILED ? "closed" : "applied", o );
	}
	return rc;
}

/* The instance is applied once no item of it is left closed. */
static int
pim_rv_apply_done( Operation *op, pim_info *pi, struct berval *inst )
{
	pim_rv_items left;
	int rc = pim_rv_items_of( op, pi, inst, "closed", NULL, &left );

	if ( rc == LDAP_SUCCESS && left.is_n == 0 )
		rc = pim_rv_mark( op, pi, inst, "applied", -1 );
	pim_rv_items_free( &left );
	return rc;
}

static void
pim_rv_applied_event( Operation *op, pim_info *pi, pim_rv_inst *in,
	struct berval *by, long n, long changed, long failed )
{
	char text[128];
	pim_event_info ev = { .ev_kind = PIM_EK_REVIEW_APPLIED, .ev_id = &in->in_id,
		.ev_by = by ? by : &pim_actor_self, .ev_text = text };

	snprintf( text, sizeof( text ), "%ld items: %ld removed or revoked, "
		"%ld failed", n, changed, failed );
	if ( failed > 0 )
		ev.ev_alert = "review-apply-failed";
	pim_event( op, pi, &ev );
}

/* ndn: an instance (every closed item) or one item. */
int
pim_review_apply( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *by, long *count, const char **text )
{
	pim_rv_items is = { 0 };
	pim_rv_inst in;
	struct berval inst = BER_BVNULL, *ref;
	Entry *e = NULL;
	long failed = 0;
	int rc, item;

	*count = 0;
	memset( &in, 0, sizeof( in ) );
	rc = pim_entry_get( op, pi, ndn, &e );
	if ( rc != LDAP_SUCCESS ) {
		*text = "no such review instance or item";
		goto done;
	}
	item = pim_review_entry_kind( e ) == PIM_RVE_ITEM;
	ref = item ? pim_entry_nval( e, pim_ad_rv[PIM_RV_INSTANCE_REF] ) : ndn;
	if ( ref != NULL )
		ber_dupbv_x( &inst, ref, op->o_tmpmemctx );
	if ( item && pim_review_state( e ) == PIM_RVST_CLOSED )
		(void)pim_rv_item_collect( op, e, &is );
	pim_entry_release( op, pi, e );
	if ( BER_BVISNULL( &inst ) ||
		pim_rv_inst_read( op, pi, &inst, &in ) != LDAP_SUCCESS ) {
		*text = "not an access review instance or item";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	if ( in.in_state == PIM_RVST_OPEN ) {
		*text = "the review is still open: stop it first, or wait for "
			"its end";
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	if ( !item )
		rc = pim_rv_items_of( op, pi, &inst, "closed", NULL, &is );
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_apply_items( op, pi, &in, &is, by, count, &failed );
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_apply_done( op, pi, &inst );
	if ( rc != LDAP_SUCCESS ) {
		*text = "cannot apply the review's results";
		goto done;
	}
	pim_rv_applied_event( op, pi, &in, by, (long)is.is_n, *count, failed );
done:
	pim_rv_items_free( &is );
	ch_free( in.in_id.bv_val );
	if ( !BER_BVISNULL( &inst ) )
		op->o_tmpfree( inst.bv_val, op->o_tmpmemctx );
	return rc;
}
