/* pim_review.c - access review definitions, typed and checked; the
 * kinds of review entries; the timer's review events and startup.
 *
 * A definition is the administrator's entry: every setting is read
 * here, once, into a pim_review_def, so that no other file parses a
 * review attribute again.
 */
#include "pim_review.h"

enum pim_rv_entry
pim_review_entry_kind( Entry *e )
{
	if ( e == NULL || pim_oc_review_def == NULL )
		return PIM_RVE_NONE;
	if ( is_entry_objectclass_or_sub( e, pim_oc_review_def ) )
		return PIM_RVE_DEFINITION;
	if ( is_entry_objectclass_or_sub( e, pim_oc_review_instance ) )
		return PIM_RVE_INSTANCE;
	if ( is_entry_objectclass_or_sub( e, pim_oc_review_item ) )
		return PIM_RVE_ITEM;
	return PIM_RVE_NONE;
}

int
pim_review_maintained( AttributeDescription *ad )
{
	return ad == pim_ad_rv[PIM_RV_OCCURRENCE] ||
		ad == pim_ad_rv[PIM_RV_NEXT_OPEN];
}

int
pim_review_state( Entry *e )
{
	struct berval *st = pim_entry_val( e, pim_ad_state );

	return st ? pim_rv_parse( PIM_RVN_STATE, st->bv_val, st->bv_len ) : -1;
}

/* --- reading a definition -------------------------------------------- */

static struct berval *
pim_rv_val( Entry *e, enum pim_rv_attr a )
{
	return pim_entry_val( e, pim_ad_rv[a] );
}

/* The value of a BOOLEAN setting, or dflt when absent. */
static int
pim_rv_bool( Entry *e, enum pim_rv_attr a, int dflt )
{
	struct berval *bv = pim_rv_val( e, a );

	if ( bv == NULL )
		return dflt;
	return bv->bv_len == 4 && strncasecmp( bv->bv_val, "TRUE", 4 ) == 0;
}

/* An INTEGER setting in 1..max: 0 and *out (0 when absent), or -1. */
static int
pim_rv_count( Entry *e, enum pim_rv_attr a, long max, long *out )
{
	struct berval *bv = pim_rv_val( e, a );
	char buf[24], *end;
	long v;

	*out = 0;
	if ( bv == NULL )
		return 0;
	if ( bv->bv_len == 0 || bv->bv_len >= sizeof( buf ) )
		return -1;
	memcpy( buf, bv->bv_val, bv->bv_len );
	buf[bv->bv_len] = '\0';
	v = strtol( buf, &end, 10 );
	if ( *end != '\0' || v < 1 || v > max )
		return -1;
	*out = v;
	return 0;
}

/* A name of set: its value, dflt when absent, -1 when unknown. */
static int
pim_rv_enum( Entry *e, enum pim_rv_attr a, enum pim_rv_set set, int dflt )
{
	struct berval *bv = pim_rv_val( e, a );

	return bv ? pim_rv_parse( set, bv->bv_val, bv->bv_len ) : dflt;
}

static int
pim_rv_duration( Entry *e, enum pim_rv_attr a, long dflt, long *out )
{
	struct berval *bv = pim_rv_val( e, a );

	*out = dflt;
	return bv ? pim_duration_parse( bv->bv_val, bv->bv_len, out ) : 0;
}

static int
pim_rv_time( Entry *e, enum pim_rv_attr a, time_t *out )
{
	struct berval *bv = pim_rv_val( e, a );

	*out = 0;
	return bv ? pim_gentime_parse( bv->bv_val, bv->bv_len, out ) : 0;
}

#define PIM_RV_DEFAULT_DURATION	( 7L * 86400 )

/* The schedule's settings. */
static int
pim_rv_read_schedule( Entry *e, pim_review_def *rd, const char **text )
{
	pim_schedule *sc = &rd->rd_sched;
	struct berval *bv = pim_rv_val( e, PIM_RV_RECURRENCE );
	long min;

	sc->sc_recur = PIM_RECUR_ONCE;
	if ( bv != NULL && pim_recur_parse( bv->bv_val, bv->bv_len,
		&sc->sc_recur, &sc->sc_interval ) != 0 ) {
		*text = "pimReviewRecurrence: not once, weekly, monthly, "
			"quarterly, semiannual, annual or an interval such as 90d";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( pim_rv_time( e, PIM_RV_START, &sc->sc_start ) != 0 ||
		sc->sc_start == 0 ) {
		*text = "pimReviewStartTime: a GeneralizedTime is required";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( pim_rv_duration( e, PIM_RV_DURATION, PIM_RV_DEFAULT_DURATION,
		&sc->sc_duration ) != 0 || sc->sc_duration < 1 ) {
		*text = "pimReviewDuration: not a positive duration such as 7d";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	min = pim_schedule_min_period( sc );
	if ( min > 0 && sc->sc_duration > min ) {
		*text = "pimReviewDuration: an instance must close before the "
			"next one opens (longer than the recurrence)";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( pim_rv_time( e, PIM_RV_END, &sc->sc_until ) != 0 ||
		( sc->sc_until != 0 && sc->sc_until < sc->sc_start ) ) {
		*text = "pimReviewEndTime: not a GeneralizedTime after the start";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	if ( pim_rv_count( e, PIM_RV_MAX_INSTANCES, 100000, &sc->sc_max ) ) {
		*text = "pimReviewMaxInstances: not a number from 1 to 100000";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

/* Scope and reviewers. */
static int
pim_rv_read_who( Entry *e, pim_review_def *rd, const char **text )
{
	int v;

	rd->rd_roles = attr_find( e->e_attrs, pim_ad_rv[PIM_RV_SCOPE_ROLE] );
	rd->rd_reviewers = attr_find( e->e_attrs, pim_ad_rv[PIM_RV_REVIEWER] );
	rd->rd_fallback = attr_find( e->e_attrs, pim_ad_rv[PIM_RV_FALLBACK] );
	v = pim_rv_enum( e, PIM_RV_KIND, PIM_RVN_SCOPE, PIM_RVS_BOTH );
	if ( v < 0 ) {
		*text = "pimReviewAssignmentKind: not eligible, active or both";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	rd->rd_scope = v;
	if ( pim_rv_count( e, PIM_RV_INACTIVE_DAYS, 36600,
		&rd->rd_inactive_days ) ) {
		*text = "pimReviewInactiveDays: not a number of days from 1 to 36600";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	v = pim_rv_enum( e, PIM_RV_REVIEWER_KIND, PIM_RVN_WHO,
		rd->rd_reviewers ? PIM_RVW_NAMED : PIM_RVW_SELF );
	if ( v < 0 ) {
		*text = "pimReviewReviewerKind: not self, named, approvers or manager";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	rd->rd_who = v;
	if ( v == PIM_RVW_NAMED && rd->rd_reviewers == NULL ) {
		*text = "pimReviewReviewerKind named needs pimReviewer values";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

/* The settings of decisions and the close. */
static int
pim_rv_read_settings( Entry *e, pim_review_def *rd, const char **text )
{
	int v;

	rd->rd_justification = pim_rv_bool( e, PIM_RV_JUSTIFICATION, 0 );
	rd->rd_auto_apply = pim_rv_bool( e, PIM_RV_AUTO_APPLY, 0 );
	rd->rd_show_rec = pim_rv_bool( e, PIM_RV_SHOW_REC, 1 );
	v = pim_rv_enum( e, PIM_RV_DEFAULT, PIM_RVN_DEFAULT, PIM_RVD_NONE );
	if ( v < 0 ) {
		*text = "pimReviewDefaultDecision: not none, remove, approve or "
			"recommendation";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	rd->rd_default = v;
	if ( pim_rv_duration( e, PIM_RV_REMINDER, 0, &rd->rd_reminder ) != 0 ||
		rd->rd_reminder >= rd->rd_sched.sc_duration ) {
		*text = "pimReviewReminder: not a duration shorter than "
			"pimReviewDuration";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	return LDAP_SUCCESS;
}

int
pim_review_def_read( Entry *e, pim_review_def *rd, const char **text )
{
	struct berval *bv;
	int rc;

	memset( rd, 0, sizeof( *rd ) );
	bv = pim_entry_val( e, pim_ad_id );
	if ( bv == NULL ) {
		*text = "a review definition needs a pimId";
		return LDAP_OBJECT_CLASS_VIOLATION;
	}
	/* an item's id is the instance's and the assignment's together */
	if ( bv->bv_len > PIM_RV_MAX_ID ) {
		*text = "a review definition's pimId has at most 40 characters";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	rd->rd_id = *bv;
	bv = pim_entry_val( e, slap_schema.si_ad_cn );
	if ( bv != NULL )
		rd->rd_name = *bv;
	rc = pim_rv_read_schedule( e, rd, text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_read_who( e, rd, text );
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_read_settings( e, rd, text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	/* PIM's own: a bad value here is PIM's to repair, not the admin's */
	if ( pim_rv_count( e, PIM_RV_OCCURRENCE, 1L << 30, &rd->rd_next ) )
		rd->rd_next = 0;
	if ( pim_rv_time( e, PIM_RV_NEXT_OPEN, &rd->rd_next_open ) != 0 )
		rd->rd_next_open = 0;
	return LDAP_SUCCESS;
}

/* --- the timer ------------------------------------------------------- */

/* Record that occurrences before next are done and when the next opens
 * (nothing written when the entry says so already). */
static int
pim_review_def_advance( Operation *op, pim_info *pi, struct berval *ndn,
	pim_review_def *rd, long next, time_t t )
{
	pim_modlist ml;
	char buf[24];

	if ( next == rd->rd_next && t == rd->rd_next_open )
		return LDAP_SUCCESS;
	ml.ml_n = 0;
	snprintf( buf, sizeof( buf ), "%ld", next );
	pim_ml_str( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_OCCURRENCE], buf );
	if ( t != 0 )
		pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_rv[PIM_RV_NEXT_OPEN], t );
	else if ( rd->rd_next_open != 0 )
		pim_ml_add( &ml, LDAP_MOD_DELETE, pim_ad_rv[PIM_RV_NEXT_OPEN], NULL );
	return pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
}

int
pim_review_def_due( Operation *op, pim_info *pi, struct berval *ndn )
{
	pim_review_def rd;
	Entry *e = NULL, *copy = NULL;
	const char *text = NULL;
	time_t t, now = slap_get_time();
	long j, items = 0;
	int open, rc;

	rc = pim_entry_get( op, pi, ndn, &e );
	if ( rc != LDAP_SUCCESS )
		return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
	/* a copy: the writes below need the entry released */
	if ( pim_review_entry_kind( e ) == PIM_RVE_DEFINITION )
		copy = entry_dup( e );
	pim_entry_release( op, pi, e );
	if ( copy == NULL )
		return LDAP_SUCCESS;
	rc = pim_review_def_read( copy, &rd, &text );
	if ( rc != LDAP_SUCCESS ) {
		Debug( LDAP_DEBUG_ANY, "pim: review %s: %s\n", ndn->bv_val, text );
		goto done;
	}
	pim_schedule_due( &rd.rd_sched, rd.rd_next, now, &open, &j, &t );
	if ( open ) {
		rc = pim_review_open( op, pi, copy, &rd, j, t, &items );
		if ( rc != LDAP_SUCCESS )
			goto done;
		pim_schedule_due( &rd.rd_sched, j + 1, now, &open, &j, &t );
		/* (a window that opened meanwhile waits for the timer) */
		if ( open )
			t = now;
	}
	rc = pim_review_def_advance( op, pi, ndn, &rd, j, t );
	if ( rc == LDAP_SUCCESS && t != 0 )
		pim_timer_add_review( pi, t, ndn );
done:
	entry_free( copy );
	return rc;
}

void
pim_review_timer_fire( Operation *op, pim_info *pi, struct berval *ndn )
{
	Entry *e = NULL;
	enum pim_rv_entry kind;
	int rc;

	if ( pim_entry_get( op, pi, ndn, &e ) != LDAP_SUCCESS )
		return;	/* deleted since */
	kind = pim_review_entry_kind( e );
	pim_entry_release( op, pi, e );
	if ( kind == PIM_RVE_DEFINITION )
		rc = pim_review_def_due( op, pi, ndn );
	else if ( kind == PIM_RVE_INSTANCE )
		rc = pim_review_instance_due( op, pi, ndn );
	else
		return;
	if ( rc != LDAP_SUCCESS ) {
		Debug( LDAP_DEBUG_ANY, "pim: review %s: failed (%d), "
			"trying again in %d s\n", ndn->bv_val, rc, PIM_RETRY_MAX );
		pim_timer_add_review( pi, slap_get_time() + PIM_RETRY_MAX, ndn );
	}
}

void
pim_review_start( Operation *op, pim_info *pi )
{
	BerVarray list = NULL;
	time_t now = slap_get_time();
	int i, rc;

	rc = pim_internal_search_ext( op, pi, &pi->pi_ncontainer,
		LDAP_SCOPE_ONELEVEL, "(|(objectClass=pimReviewDefinition)"
		"(&(objectClass=pimReviewInstance)(pimState=open)))",
		slap_anlist_no_attrs, SLAP_NO_LIMIT, pim_collect_ndn, &list );
	if ( rc != LDAP_SUCCESS )
		Debug( LDAP_DEBUG_ANY, "pim: cannot read the access reviews "
			"(%d): they wait for the next change\n", rc );
	/* the timer looks at each: it knows what is due */
	for ( i = 0; list != NULL && !BER_BVISNULL( &list[i] ); i++ )
		pim_timer_add_review( pi, now, &list[i] );
	ber_bvarray_free_x( list, op->o_tmpmemctx );
}
