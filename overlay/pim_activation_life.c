/* pim_activation_life.c - the life of an activation: begin, end, the timer.
 *
 * Every change of state is a compare-and-swap on pimState (delete the
 * old value and add the new one in one modify), so of two concurrent
 * movers exactly one succeeds.  The order of writes makes any single
 * failure leave less privilege, never more: an activation is recorded
 * as active before its membership is added (and what a failed grant
 * added goes again), and its membership is removed before it is marked
 * ended, so nothing says "ended" while a value of it remains.  A failed
 * removal leaves the record active and due, raises an alert and is
 * retried by the timer with backoff; a crash at any point leaves
 * records that the startup reconciliation (pim_reconcile.c) only has to
 * finish.
 */
#include "pim.h"

/* --- what an activation entry says ---------------------------------- */

static void
pim_facts_dup( Operation *op, Entry *e, AttributeDescription *ad,
	struct berval *out )
{
	struct berval *v = pim_entry_nval( e, ad );

	if ( v != NULL )
		ber_dupbv_x( out, v, op->o_tmpmemctx );
	else
		BER_BVZERO( out );
}

static time_t
pim_facts_time( Entry *e, AttributeDescription *ad )
{
	time_t t = 0;

	return pim_entry_time( e, ad, &t ) == 0 ? t : 0;
}

/* Copied out of the entry (on o_tmpmemctx) so that it can be released
 * before any write. */
int
pim_act_facts_read( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af )
{
	Entry *e = NULL;
	struct berval *v;
	Attribute *a;
	int rc;

	memset( af, 0, sizeof( *af ) );
	rc = pim_entry_get( op, pi, ndn, &e );
	if ( rc != LDAP_SUCCESS )
		return rc;
	if ( !is_entry_objectclass_or_sub( e, pim_oc_activation ) ||
		pim_state_parse( pim_entry_val( e, pim_ad_state ), &af->af_state ) ||
		pim_entry_nval( e, pim_ad_principal ) == NULL ||
		pim_entry_nval( e, pim_ad_role ) == NULL )
	{
		rc = LDAP_OTHER;
		goto done;
	}
	pim_facts_dup( op, e, pim_ad_id, &af->af_id );
	pim_facts_dup( op, e, pim_ad_principal, &af->af_principal );
	pim_facts_dup( op, e, pim_ad_role, &af->af_role );
	pim_facts_dup( op, e, pim_ad_eligibility_ref, &af->af_elig );
	pim_facts_dup( op, e, pim_ad_through, &af->af_through );
	af->af_for_elig = pim_entry_val( e, pim_ad_request_for ) != NULL;
	pim_facts_dup( op, e, pim_ad_ended_by, &af->af_ended_by );
	af->af_csn_sid = -1;
	if ( ( v = pim_entry_val( e, slap_schema.si_ad_entryCSN ) ) != NULL )
		af->af_csn_sid = slap_parse_csn_sid( v );
	af->af_start = pim_facts_time( e, pim_ad_start );
	af->af_end = pim_facts_time( e, pim_ad_end );
	af->af_expiry = pim_facts_time( e, pim_ad_request_expiry );
	if ( ( v = pim_entry_val( e, pim_ad_requested_duration ) ) != NULL &&
		pim_duration_parse( v->bv_val, v->bv_len, &af->af_duration ) )
		af->af_duration = 0;
	a = attr_find( e->e_attrs, pim_ad_approved_by );
	if ( a != NULL ) {
		ber_bvarray_dup_x( &af->af_approvers, a->a_nvals, op->o_tmpmemctx );
		af->af_napprovals = a->a_numvals;
	}
done:
	pim_entry_release( op, pi, e );
	return rc;
}

void
pim_act_facts_free( Operation *op, pim_act_facts *af )
{
	struct berval *bvs[] = { &af->af_id, &af->af_principal, &af->af_role,
		&af->af_elig, &af->af_through, &af->af_ended_by };
	unsigned i;

	for ( i = 0; i < sizeof( bvs ) / sizeof( bvs[0] ); i++ ) {
		if ( bvs[i]->bv_val != NULL )
			op->o_tmpfree( bvs[i]->bv_val, op->o_tmpmemctx );
	}
	ber_bvarray_free_x( af->af_approvers, op->o_tmpmemctx );
	memset( af, 0, sizeof( *af ) );
}

/* --- moving between states ------------------------------------------ */

/* from -> to, with extra modifications in the same write.  Returns
 * LDAP_NO_SUCH_ATTRIBUTE when somebody else moved it first. */
int
pim_state_move( Operation *op, pim_info *pi, struct berval *ndn,
	enum pim_state from, enum pim_state to, pim_modlist *extra )
{
	pim_modlist ml;
	int i;

	ml.ml_n = 0;
	pim_ml_str( &ml, LDAP_MOD_DELETE, pim_ad_state, pim_state_name( from ) );
	pim_ml_str( &ml, LDAP_MOD_ADD, pim_ad_state, pim_state_name( to ) );
	/* extra's values (its time buffers too) outlive this call */
	for ( i = 0; extra != NULL && i < extra->ml_n; i++ ) {
		Modifications *m = &extra->ml_mods[i];

		pim_ml_add( &ml, m->sml_op, m->sml_desc,
			m->sml_values ? &m->sml_values[0] : NULL );
	}
	return pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
}

/* --- when a step fails ------------------------------------------------ */

/* A write of an activation's life failed.  Say so where every log level
 * shows it, raise an alert on the first failure (what: the alert's
 * kind), and let the timer look at the activation again, later each
 * time: the entry then says what is still to do. */
void
pim_step_failed( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, const char *what, int rc, unsigned tries )
{
	char act[256], user[256], role[256];

	(void)pim_log_escape( ndn->bv_val, ndn->bv_len, act, sizeof( act ) );
	(void)pim_log_escape( af->af_principal.bv_val, af->af_principal.bv_len,
		user, sizeof( user ) );
	(void)pim_log_escape( af->af_role.bv_val, af->af_role.bv_len, role,
		sizeof( role ) );
	Debug( LDAP_DEBUG_ANY, "%s pim: %s: activation \"%s\" (principal "
		"\"%s\", role \"%s\"), err=%d; the timer retries (attempt %u)\n",
		op->o_log_prefix, what, act, user, role, rc, tries + 1 );
	if ( tries == 0 ) {
		pim_event_info e = { .ev_kind = PIM_EK_ALERT, .ev_alert = what,
			.ev_role = &af->af_role, .ev_principal = &af->af_principal,
			.ev_id = &af->af_id, .ev_result = rc,
			.ev_text = "a membership write failed" };

		pim_event( op, pi, &e );
	}
	pim_timer_retry( pi, ndn, tries + 1 );
}

/* The activation must hold no privilege, but its values could not be
 * taken away: it stays active (which is true), ends now, and the timer
 * expires it when the values can go. */
static void
pim_activation_stuck( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, int rc, unsigned tries )
{
	pim_modlist ml;

	ml.ml_n = 0;
	pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, slap_get_time() );
	(void)pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
	pim_step_failed( op, pi, ndn, af, PIM_ALERT_REMOVAL_FAILED, rc, tries );
}

/* A new activation recorded active whose grant failed (pim_activation_new.c):
 * undo what the grant added, then the record; when the values cannot
 * go, the record stays for the timer. */
void
pim_activation_undo_new( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *id, struct berval *principal, struct berval *role )
{
	pim_act_facts af = { .af_id = *id, .af_principal = *principal,
		.af_role = *role, .af_state = PIM_ST_ACTIVE };
	int rc;

	rc = pim_member_release( op, pi, principal, role, ndn );
	if ( rc == LDAP_SUCCESS )
		rc = pim_internal_delete( op, pi, ndn );
	if ( rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT )
		pim_activation_stuck( op, pi, ndn, &af, rc, 0 );
}

/* --- beginning ---------------------------------------------------------- */

/* A scheduled or approved activation made under an eligibility starts
 * only while an eligibility still allows it, and never runs past it:
 * the eligibility may have been removed or shortened since.  Revoked
 * (LDAP_UNWILLING_TO_PERFORM) when none allows it; *end cut to the
 * eligibility's end. */
static int
pim_start_recheck( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, time_t *end )
{
	static const struct berval why = BER_BVC( "no eligibility allows it "
		"at its start" );
	pim_elig_scan es = { 0 };
	const char *text = NULL;
	int rc;

	es.es_now = slap_get_time();
	rc = pim_eligibility_find( op, pi, &af->af_principal, &af->af_role,
		&es, &text );
	pim_elig_scan_free( op, &es );
	if ( rc == LDAP_OTHER )
		return rc;	/* cannot tell: the timer retries */
	if ( rc != LDAP_SUCCESS ) {
		/* by NULL: PIM's own doing, like the timer's other events */
		(void)pim_activation_finish( op, pi, ndn, PIM_EV_REVOKE, NULL,
			(struct berval *)&why, NULL );
		return LDAP_UNWILLING_TO_PERFORM;
	}
	if ( es.es_end != 0 && ( *end == 0 || *end > es.es_end ) )
		*end = es.es_end;
	return LDAP_SUCCESS;
}

/* Make an activation active now (event: approve-now or start): its
 * state and times, then its membership, then the timer for its end.
 * When the grant fails, what it added goes again and the record goes
 * back to waiting for its start (approved), for the timer to retry. */
static int
pim_activation_start( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, enum pim_event ev, time_t start, time_t end,
	pim_modlist *extra, unsigned tries )
{
	enum pim_state to, back;
	pim_modlist ml;
	int i, rc, rc2;

	if ( pim_state_next( af->af_state, ev, &to ) || to != PIM_ST_ACTIVE )
		return LDAP_UNWILLING_TO_PERFORM;
	if ( ev == PIM_EV_START && !BER_BVISEMPTY( &af->af_elig ) ) {
		rc = pim_start_recheck( op, pi, ndn, af, &end );
		if ( rc != LDAP_SUCCESS )
			return rc;
	}
	ml.ml_n = 0;
	pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_start, start );
	if ( end != 0 )
		pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, end );
	for ( i = 0; extra != NULL && i < extra->ml_n; i++ ) {
		Modifications *m = &extra->ml_mods[i];

		pim_ml_add( &ml, m->sml_op, m->sml_desc,
			m->sml_values ? &m->sml_values[0] : NULL );
	}
	rc = pim_state_move( op, pi, ndn, af->af_state, PIM_ST_ACTIVE, &ml );
	if ( rc != LDAP_SUCCESS )
		return rc;
	rc = pim_member_grant( op, pi, &af->af_principal, &af->af_role );
	if ( rc == LDAP_CONSTRAINT_VIOLATION ) {
		/* no retry mends it: the principal has no uid a uid kind may
		 * write (pim_uid_is_plain) */
		static const struct berval why = BER_BVC( "the role gets the "
			"principal's uid, and it has none a client reads as a name" );

		(void)pim_activation_finish( op, pi, ndn, PIM_EV_REVOKE, NULL,
			(struct berval *)&why, NULL );
		return rc;
	}
	if ( rc != LDAP_SUCCESS ) {
		rc2 = pim_member_release( op, pi, &af->af_principal, &af->af_role,
			ndn );
		back = af->af_state == PIM_ST_SCHEDULED ? PIM_ST_SCHEDULED :
			PIM_ST_APPROVED;
		if ( rc2 == LDAP_SUCCESS )
			rc2 = pim_state_move( op, pi, ndn, PIM_ST_ACTIVE, back, NULL );
		if ( rc2 == LDAP_SUCCESS )
			pim_step_failed( op, pi, ndn, af, PIM_ALERT_GRANT_FAILED, rc,
				tries );
		else
			pim_activation_stuck( op, pi, ndn, af, rc2, tries );
		return rc;
	}
	pim_timer_add_end( pi, end, ndn );	/* and its warning */
	{
		pim_event_info e = { .ev_kind = PIM_EK_ACTIVATED,
			.ev_counts = PIM_COUNTS_ACTIVATION, .ev_role = &af->af_role,
			.ev_principal = &af->af_principal, .ev_id = &af->af_id,
			.ev_start = start, .ev_end = end,
			/* a start the timer makes is PIM's own doing */
			.ev_by = ev == PIM_EV_START ? &pim_actor_self : NULL };

		pim_event( op, pi, &e );
	}
	return rc;
}

int
pim_activation_begin( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, enum pim_event ev, time_t start, time_t end,
	pim_modlist *extra )
{
	return pim_activation_start( op, pi, ndn, af, ev, start, end, extra, 0 );
}

/* --- ending ------------------------------------------------------------- */

/* An active activation's values go, then its record says it ended, both
 * under pi_member_mutex so that no other activation of the same user
 * and role decides in between.  Ended by somebody (by != NULL), its end
 * is first moved to now: a failure after that leaves it active (true:
 * its values are still there) and due, so the timer's retry ends it. */
static int
pim_activation_end_active( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, enum pim_state to, struct berval *by,
	pim_modlist *ml, unsigned tries )
{
	time_t now = slap_get_time();
	const char *failed = NULL;
	pim_modlist end;
	int rc = LDAP_SUCCESS;

	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	if ( by != NULL && ( af->af_end == 0 || af->af_end > now ) ) {
		/* active -> active: the compare-and-swap that tells whether
		 * somebody else ended it meanwhile */
		end.ml_n = 0;
		pim_ml_time( &end, LDAP_MOD_REPLACE, pim_ad_end, now );
		/* who ended it: a retry by the timer ends it as they did */
		if ( !BER_BVISEMPTY( by ) )
			pim_ml_add( &end, LDAP_MOD_REPLACE, pim_ad_ended_by, by );
		rc = pim_state_move( op, pi, ndn, PIM_ST_ACTIVE, PIM_ST_ACTIVE,
			&end );
	}
	if ( rc == LDAP_SUCCESS ) {
		rc = pim_member_release_locked( op, pi, &af->af_principal,
			&af->af_role, ndn );
		if ( rc != LDAP_SUCCESS )
			failed = PIM_ALERT_REMOVAL_FAILED;
	}
	if ( rc == LDAP_SUCCESS ) {
		rc = pim_state_move( op, pi, ndn, af->af_state, to, ml );
		if ( rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_ATTRIBUTE )
			failed = PIM_ALERT_RECORD_FAILED;
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	if ( failed != NULL )
		pim_step_failed( op, pi, ndn, af, failed, rc, tries );
	return rc;
}

/* End an open activation by event ev (expire, deactivate, revoke,
 * deny, cancel, timeout).  by is NULL for the timer's events.  An
 * activation the event does not apply to is left alone (LDAP_SUCCESS):
 * ending is idempotent.  *ended says whether this call ended it. */
static int
pim_activation_end( Operation *op, pim_info *pi, struct berval *ndn,
	enum pim_event ev, struct berval *by, struct berval *reason,
	int *ended, unsigned tries )
{
	pim_act_facts af;
	enum pim_state to;
	pim_modlist ml;
	int rc;

	if ( ended != NULL )
		*ended = 0;
	rc = pim_act_facts_read( op, pi, ndn, &af );
	if ( rc != LDAP_SUCCESS || pim_state_next( af.af_state, ev, &to ) )
		goto done;
	ml.ml_n = 0;
	if ( by != NULL && af.af_state == PIM_ST_ACTIVE )
		pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, slap_get_time() );
	if ( by != NULL && !BER_BVISEMPTY( by ) )
		pim_ml_add( &ml, LDAP_MOD_REPLACE, ev == PIM_EV_DENY ?
			pim_ad_denied_by : pim_ad_ended_by, by );
	if ( reason != NULL && !BER_BVISEMPTY( reason ) )
		pim_ml_add( &ml, SLAP_MOD_SOFTADD, pim_ad_decision_reason, reason );
	if ( af.af_state == PIM_ST_ACTIVE )
		rc = pim_activation_end_active( op, pi, ndn, &af, to, by, &ml,
			tries );
	else
		rc = pim_state_move( op, pi, ndn, af.af_state, to, &ml );
	if ( rc == LDAP_NO_SUCH_ATTRIBUTE ) {
		rc = LDAP_SUCCESS;	/* somebody else moved it first */
		goto done;
	}
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( ended != NULL )
		*ended = 1;
	{
		pim_event_info e = { .ev_kind = pim_event_kind_of_end( to ),
			.ev_role = &af.af_role, .ev_principal = &af.af_principal,
			.ev_id = &af.af_id, .ev_by = by ? by : &pim_actor_self,
			.ev_reason = reason };

		pim_event( op, pi, &e );
	}
done:
	pim_act_facts_free( op, &af );
	return rc;
}

int
pim_activation_finish( Operation *op, pim_info *pi, struct berval *ndn,
	enum pim_event ev, struct berval *by, struct berval *reason,
	int *ended )
{
	return pim_activation_end( op, pi, ndn, ev, by, reason, ended, 0 );
}

/* --- the timer --------------------------------------------------------- */

/* The next moment the timer must look at an activation, or 0. */
time_t
pim_act_next_time( pim_act_facts *af )
{
	return pim_state_next_look( af->af_state, af->af_start, af->af_end,
		af->af_expiry );
}

/* Is something of the activation due now?  If not (moved since, or
 * left to a peer, or to the purge delay), the timer is told when to
 * look again. */
int
pim_act_due( pim_info *pi, struct berval *ndn, pim_act_facts *af, time_t now )
{
	time_t next = pim_act_next_time( af );

	if ( next == 0 )
		return 0;
	if ( next > now ) {
		pim_timer_add( pi, next, ndn );		/* moved since */
		return 0;
	}
	/* Several providers: each schedules every open activation it
	 * knows of; the one that wrote it last ends it at its time, the
	 * others only pim-peer-grace later, if it has not (the
	 * compare-and-swap on pimState keeps the outcome to one). */
	if ( SLAP_MULTIPROVIDER( pi->pi_db ) && af->af_csn_sid >= 0 &&
		af->af_csn_sid != slap_serverID && now < next + pi->pi_peer_grace ) {
		pim_timer_add( pi, next + pi->pi_peer_grace, ndn );
		return 0;
	}
	/* reads stop seeing its values at the end (pim_readtime.c); the
	 * purge of the stored data may wait (pim-purge-delay) */
	if ( af->af_state == PIM_ST_ACTIVE && pi->pi_purge_delay > 0 &&
		BER_BVISEMPTY( &af->af_ended_by ) &&
		now < next + pi->pi_purge_delay ) {
		pim_timer_add( pi, next + pi->pi_purge_delay, ndn );
		return 0;
	}
	return 1;
}

/* The timer says: look at this activation now; tries counts the
 * failed attempts before.  The entry, not the timer, says what is
 * due. */
int
pim_activation_timer_fire( Operation *op, pim_info *pi, struct berval *ndn,
	unsigned tries )
{
	pim_act_facts af;
	time_t now = slap_get_time();
	int rc;

	rc = pim_act_facts_read( op, pi, ndn, &af );
	if ( rc != LDAP_SUCCESS || !pim_act_due( pi, ndn, &af, now ) )
		goto done;
	switch ( af.af_state ) {
	case PIM_ST_ACTIVE:
		if ( !BER_BVISEMPTY( &af.af_ended_by ) )	/* a retried end */
			rc = pim_activation_end( op, pi, ndn,
				dn_match( &af.af_ended_by, &af.af_principal ) ?
				PIM_EV_DEACTIVATE : PIM_EV_REVOKE, &af.af_ended_by,
				NULL, NULL, tries );
		else
			rc = pim_activation_end( op, pi, ndn, PIM_EV_EXPIRE, NULL,
				NULL, NULL, tries );
		break;
	case PIM_ST_PENDING:
		rc = pim_activation_end( op, pi, ndn, PIM_EV_TIMEOUT, NULL, NULL,
			NULL, tries );
		break;
	default:	/* approved or scheduled: its start has come */
		rc = pim_activation_start( op, pi, ndn, &af, PIM_EV_START, now,
			af.af_end, NULL, tries );
		/* moved meanwhile, or revoked for want of an eligibility */
		if ( rc == LDAP_NO_SUCH_ATTRIBUTE || rc == LDAP_UNWILLING_TO_PERFORM )
			rc = LDAP_SUCCESS;
		break;
	}
done:
	pim_act_facts_free( op, &af );
	if ( rc == LDAP_NO_SUCH_OBJECT )
		rc = LDAP_SUCCESS;	/* deleted meanwhile */
	return rc;
}

/* --- ending many ------------------------------------------------------- */


/* End, by event ev, every activation of principal for role that the
 * event applies to (optionally only the one with identifier id), among
 * those which says: all, active assignments only (no eligibility behind
 * them), or those made under an eligibility.  *count says how many this
 * call ended. */
int
pim_end_matching( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, struct berval *id, enum pim_which which,
	enum pim_event ev, struct berval *by, struct berval *reason, long *count )
{
	BerVarray list = NULL;
	char *filter, extra[PIM_MAX_ID * 3 + 160];
	int i, ended, rc;

	*count = 0;
	snprintf( extra, sizeof( extra ), "%s%s", ev == PIM_EV_REVOKE ?
		PIM_FILTER_OPEN : "(pimState=active)",
		which == PIM_WHICH_ASSIGNED ? "(!(pimEligibilityRef=*))" :
		which == PIM_WHICH_ELIGIBLE ? "(pimEligibilityRef=*)" : "" );
	if ( id != NULL && !BER_BVISNULL( id ) ) {
		struct berval esc;
		size_t len = strlen( extra );

		filter_escape_value_x( id, &esc, op->o_tmpmemctx );
		snprintf( extra + len, sizeof( extra ) - len, "(pimId=%s)", esc.bv_val );
		op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	}
	/* what an eligibility's holder (a user, or a group) made under it */
	filter = which == PIM_WHICH_ELIGIBLE ?
		pim_filter_holder_role( op, principal, role, extra ) :
		pim_filter_principal_role( op, "pimActivation", principal, role,
			extra );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_collect_ndn, &list );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ ) {
		rc = pim_activation_finish( op, pi, &list[i], ev, by, reason,
			&ended );
		*count += ended;
	}
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc;
}

int
pim_revoke_principal_role( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, struct berval *by,
	struct berval *reason, long *count )
{
	return pim_end_matching( op, pi, principal, role, NULL,
		PIM_WHICH_ELIGIBLE, PIM_EV_REVOKE, by, reason, count );
}

/* One open activation made under an eligibility that now ends at end
 * (in the future): an active or approved or scheduled one that would
 * run longer is cut to end; one that would start at or after end (a
 * scheduled, approved or pending one) is revoked. */
static int
pim_activation_cut_one( Operation *op, pim_info *pi, struct berval *ndn,
	time_t end, struct berval *by )
{
	static const struct berval why = BER_BVC( "the eligibility ends "
		"before the activation would start" );
	pim_act_facts af;
	pim_modlist ml;
	int rc;

	rc = pim_act_facts_read( op, pi, ndn, &af );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( af.af_state != PIM_ST_ACTIVE && af.af_start >= end ) {
		rc = pim_activation_finish( op, pi, ndn, PIM_EV_REVOKE, by,
			(struct berval *)&why, NULL );
		goto done;
	}
	if ( af.af_state == PIM_ST_PENDING || af.af_end <= end )
		goto done;	/* its approval keeps it within the eligibility */
	ml.ml_n = 0;
	pim_ml_time( &ml, LDAP_MOD_REPLACE, pim_ad_end, end );
	rc = pim_internal_modify( op, pi, ndn, pim_ml_head( &ml ) );
	if ( rc == LDAP_SUCCESS ) {
		pim_event_info e = { .ev_kind = PIM_EK_CUT, .ev_role = &af.af_role,
			.ev_principal = &af.af_principal, .ev_id = &af.af_id,
			.ev_end = end, .ev_by = by };

		pim_event( op, pi, &e );
		if ( af.af_state == PIM_ST_ACTIVE )
			pim_timer_add_end( pi, end, ndn );
	}
done:
	pim_act_facts_free( op, &af );
	return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
}

/* An activation never outlives its eligibility.  When the eligibility
 * of principal for role now ends at end (0: permanent, nothing to do),
 * every open activation made under it is brought within it
 * (pim_activation_cut_one), or ended at once when the eligibility has
 * already ended.  Active assignments have no eligibility behind them
 * and are left alone. */
int
pim_activation_cut( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, time_t end, struct berval *by )
{
	BerVarray list = NULL;
	char *filter;
	long count = 0;
	int i, rc;

	if ( end == 0 )
		return LDAP_SUCCESS;
	if ( end <= slap_get_time() )
		return pim_revoke_principal_role( op, pi, principal, role, by,
			NULL, &count );

	filter = pim_filter_holder_role( op, principal, role,
		PIM_FILTER_OPEN "(pimEligibilityRef=*)" );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_collect_ndn, &list );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	for ( i = 0; rc == LDAP_SUCCESS && list && !BER_BVISNULL( &list[i] ); i++ )
		rc = pim_activation_cut_one( op, pi, &list[i], end, by );
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc;
}

int
pim_deactivate( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	struct berval principal;
	enum pim_event ev = PIM_EV_DEACTIVATE;
	long count = 0;
	int rc;

	rc = pim_need_user( op, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	principal = ( req->pr_fields & PIM_F_PRINCIPAL ) ? req->pr_principal : op->o_ndn;
	if ( !dn_match( &principal, &op->o_ndn ) ) {
		if ( !pim_is_admin( op, pi ) ) {
			rs->sr_text = "only the principal or a PIM administrator "
				"may end an activation";
			rc = LDAP_INSUFFICIENT_ACCESS;
			goto done;
		}
		ev = PIM_EV_REVOKE;
	}
	rc = pim_end_matching( op, pi, &principal, &req->pr_role,
		( req->pr_fields & PIM_F_ID ) ? &req->pr_id : NULL, PIM_WHICH_ALL, ev,
		&op->o_ndn, NULL, &count );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot end the activation";
		rc = LDAP_OTHER;
		goto done;
	}
	if ( count == 0 ) {
		rs->sr_text = ev == PIM_EV_REVOKE ?
			"no open activation of this role for this user" :
			"no active activation of this role";
		rc = LDAP_NO_SUCH_OBJECT;
		goto done;
	}
	out->ps_fields = PIM_RF_COUNT | PIM_RF_STATE;
	out->ps_count = count;
	ber_str2bv( ev == PIM_EV_REVOKE ? "revoked" : "deactivated", 0, 0,
		&out->ps_state );
done:
	rs->sr_err = rc;
	return rc;
}
/* Read the request req names (by id) and check it belongs to req's
 * role.  *ndn is on o_tmpmemctx. */
int
pim_request_find( Operation *op, pim_info *pi, pim_request *req,
	struct berval *ndn, pim_act_facts *af, const char **text )
{
	pim_activation_ndn( op, pi, &req->pr_id, ndn );
	if ( BER_BVISNULL( ndn ) ||
		pim_act_facts_read( op, pi, ndn, af ) != LDAP_SUCCESS ||
		!dn_match( &af->af_role, &req->pr_role ) )
	{
		*text = "no such request for this role";
		return LDAP_NO_SUCH_OBJECT;
	}
	return LDAP_SUCCESS;
}

