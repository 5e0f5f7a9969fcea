/* pim_audit_timer.c - retention and expiry warnings, on the expiry timer.
 *
 * Both ride on pim_timer.c's heap as events of their own kinds:
 *   PIM_TE_RETENTION (when)      a retention pass; only the one whose
 *                                time is au_retention_next runs, so a
 *                                configuration change that schedules a
 *                                pass at once leaves no second series
 *   PIM_TE_WARNING (DN, end)     an "expiring" event pi_expiry_warning
 *                                before end; sent only if the
 *                                activation is still active and still
 *                                ends at end (an extension schedules
 *                                a warning of its own), or, for an
 *                                eligibility, "eligibility expiring" if
 *                                it still ends at end
 *   PIM_TE_WARN_END (DN, end)    an active activation's warning and its
 *                                end as one event (pim_timer_add_end):
 *                                its firing puts the end on the heap,
 *                                then warns as PIM_TE_WARNING does, so
 *                                an activation holds one event at a time
 *
 * Retention removes the oldest records, those older than
 * pi_audit_retention, as one unbroken run of sequence numbers from the
 * lowest, at most PIM_AUDIT_PURGE_BATCH per pass (the next pass comes a
 * second later when there is more).  Before it removes
 * anything it appends an "anchor" record naming the last sequence
 * number it will remove and that record's hash: the lowest record left
 * then chains onto the anchor's hash, and the anchor itself is in the
 * chain, so the trail stays verifiable.  Writing the anchor first
 * means a pass cut short (a crash) leaves records the anchor already
 * covers, which verification accepts, and never a gap no anchor covers.
 * The run stops at a gap: a record missing there is tampering, and
 * stays visible to "pimctl audit verify".
 */
#include "pim_audit.h"

/* Records removed per pass: a pass holds up the expiry timer, whose
 * lag must stay under a second. */
#define PIM_AUDIT_PURGE_BATCH	500
#define PIM_AUDIT_PASS_MAX	86400	/* at least one pass a day */

/* --- retention ----------------------------------------------------------- */

void
pim_audit_retention_schedule( pim_info *pi, time_t when )
{
	struct pim_audit *au = pi->pi_audit;

	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	au->au_retention_next = when;
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
	pim_timer_add_retention( pi, when );
}

/* A shorter retention should not wait for tomorrow's pass. */
void
pim_audit_retention_changed( pim_info *pi )
{
	if ( pi->pi_db != NULL && pi->pi_audit != NULL && pi->pi_task != NULL )
		pim_audit_retention_schedule( pi, slap_get_time() );
}

typedef struct pim_purge_scan {
	unsigned long	*ps_seqs;	/* ch_malloc */
	size_t		ps_n, ps_cap;
} pim_purge_scan;

static int
pim_purge_collect( Operation *op, Entry *e, void *arg )
{
	pim_purge_scan *ps = arg;
	struct berval *v = pim_entry_val( e, pim_ad_audit[PIM_CH_SEQ] );

	if ( v == NULL )
		return LDAP_SUCCESS;
	if ( ps->ps_n == ps->ps_cap ) {
		ps->ps_cap = ps->ps_cap ? 2 * ps->ps_cap : 256;
		ps->ps_seqs = ch_realloc( ps->ps_seqs,
			ps->ps_cap * sizeof( unsigned long ) );
	}
	ps->ps_seqs[ps->ps_n++] = strtoul( v->bv_val, NULL, 10 );
	return LDAP_SUCCESS;
}

static int
pim_seq_cmp( const void *a, const void *b )
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return ( x > y ) - ( x < y );
}

/* The hash of record seq, into hash. */
static int
pim_audit_read_hash( Operation *op, pim_info *pi, unsigned long seq,
	char *hash )
{
	struct berval ndn, *h;
	Entry *e = NULL;
	int rc;

	pim_audit_record_dn( op, pi, seq, &ndn );
	rc = pim_entry_get( op, pi, &ndn, &e );
	op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	if ( rc != LDAP_SUCCESS )
		return rc;
	h = pim_entry_val( e, pim_ad_audit_hash );
	if ( h != NULL && h->bv_len == PIM_CHAIN_HEXLEN ) {
		memcpy( hash, h->bv_val, PIM_CHAIN_HEXLEN );
		hash[PIM_CHAIN_HEXLEN] = '\0';
	} else {
		rc = LDAP_OTHER;
	}
	pim_entry_release( op, pi, e );
	return rc;
}

/* Append the anchor for removing first..last. */
static int
pim_audit_anchor( Operation *op, pim_info *pi, unsigned long first,
	unsigned long last, const char *cutoff )
{
	pim_audit_rec r;
	char hash[PIM_CHAIN_HEXLEN + 1], seq[24], text[160];
	int rc;

	rc = pim_audit_read_hash( op, pi, last, hash );
	if ( rc != LDAP_SUCCESS )
		return rc;
	memset( &r, 0, sizeof( r ) );
	snprintf( seq, sizeof( seq ), "%lu", last );
	snprintf( text, sizeof( text ), "retention removes records %lu to %lu "
		"(older than %s)", first, last, cutoff );
	pim_audit_rec_str( &r, PIM_CH_EVENT, "anchor" );
	pim_audit_rec_str( &r, PIM_CH_ACTOR, "pim" );
	pim_audit_rec_str( &r, PIM_CH_ANCHOR_SEQ, seq );
	pim_audit_rec_str( &r, PIM_CH_ANCHOR_HASH, hash );
	pim_audit_rec_str( &r, PIM_CH_TEXT, text );
	return pim_audit_append( op, pi, &r, NULL );
}

/* One pass.  *more says there is more to remove than one batch. */
static int
pim_audit_purge( Operation *op, pim_info *pi, int *more )
{
	/* built on each call: instances' purges run on different threads */
	AttributeName seq_attr[2];
	pim_purge_scan ps = { NULL, 0, 0 };
	char cutoff[PIM_GENTIME_BUFSIZE], filter[192];
	unsigned long first, last, s, head, low;
	size_t i, n;
	int rc;

	*more = 0;
	memset( seq_attr, 0, sizeof( seq_attr ) );
	seq_attr[0].an_desc = pim_ad_audit[PIM_CH_SEQ];
	seq_attr[0].an_name = pim_ad_audit[PIM_CH_SEQ]->ad_cname;
	/* the oldest batch: the records from the lowest on, old or not */
	rc = pim_audit_head( op, pi, &head );
	if ( rc == LDAP_SUCCESS )
		rc = pim_audit_lowest( op, pi, head, &low );
	if ( rc != LDAP_SUCCESS || low == 0 )
		goto done;
	pim_gentime_format( slap_get_time() - pi->pi_audit_retention, cutoff,
		sizeof( cutoff ) );
	snprintf( filter, sizeof( filter ), "(&(objectClass=pimAuditRecord)"
		"(pimAuditSeq>=%lu)(pimAuditSeq<=%lu)(pimAuditTime<=%s))", low,
		low + PIM_AUDIT_PURGE_BATCH - 1, cutoff );
	rc = pim_internal_search_ext( op, pi, pim_audit_where( pi ),
		LDAP_SCOPE_ONELEVEL, filter, seq_attr, SLAP_NO_LIMIT,
		pim_purge_collect, &ps );
	if ( rc != LDAP_SUCCESS || ps.ps_n == 0 )
		goto done;

	/* the unbroken run of old records from the lowest record */
	qsort( ps.ps_seqs, ps.ps_n, sizeof( unsigned long ), pim_seq_cmp );
	if ( ps.ps_seqs[0] != low )
		goto done;	/* the oldest record is not old yet */
	for ( n = 1; n < ps.ps_n && ps.ps_seqs[n] == ps.ps_seqs[n - 1] + 1; n++ )
		;
	*more = n == PIM_AUDIT_PURGE_BATCH;
	first = ps.ps_seqs[0];
	last = ps.ps_seqs[n - 1];
	rc = pim_audit_anchor( op, pi, first, last, cutoff );
	if ( rc != LDAP_SUCCESS )
		goto done;
	for ( i = 0, s = first; s <= last; s++, i++ ) {
		struct berval ndn;

		if ( slapd_shutdown )
			break;
		pim_audit_record_dn( op, pi, s, &ndn );
		rc = pim_internal_delete( op, pi, &ndn );
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
		if ( rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT )
			break;
		rc = LDAP_SUCCESS;
		/* a long pass lets a cn=config change pause the pool */
		ldap_pvt_thread_pool_pausecheck( &connection_pool );
	}
	Debug( LDAP_DEBUG_STATS, "pim: audit retention: removed %lu records "
		"(%lu to %lu) older than %s (rc=%d)\n", (unsigned long)i, first,
		last, cutoff, rc );
done:
	ch_free( ps.ps_seqs );
	return rc;
}

void
pim_audit_retention_fire( Operation *op, pim_info *pi, time_t when )
{
	struct pim_audit *au = pi->pi_audit;
	time_t now, next;
	int due, more = 0;

	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	due = au->au_retention_next == when;
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
	if ( !due )
		return;		/* a later schedule replaced this one */
	if ( pim_audit_purge( op, pi, &more ) != LDAP_SUCCESS )
		Debug( LDAP_DEBUG_ANY, "pim: audit retention pass failed; "
			"the next pass retries\n" );
	now = slap_get_time();
	next = pi->pi_audit_retention < PIM_AUDIT_PASS_MAX ?
		pi->pi_audit_retention : PIM_AUDIT_PASS_MAX;
	pim_audit_retention_schedule( pi, now + ( more || next < 1 ? 1 : next ) );
}

/* --- expiry warnings ------------------------------------------------------ */

time_t
pim_warning_time( pim_info *pi, time_t end )
{
	if ( pi->pi_expiry_warning <= 0 || end == 0 ||
		end - pi->pi_expiry_warning <= slap_get_time() )
		return 0;	/* shorter than the warning: none */
	return end - pi->pi_expiry_warning;
}

void
pim_warning_entry( pim_info *pi, struct berval *ndn, time_t end )
{
	time_t warn = pim_warning_time( pi, end );

	if ( warn != 0 )
		pim_timer_add_warning( pi, warn, ndn, end );
}

/* An eligibility with an end: warn before it (a later change of its
 * end schedules another warning; the stale one finds the end moved). */
void
pim_warning_eligibility( Operation *op, pim_info *pi, struct berval *ndn )
{
	Entry *e = NULL;
	time_t end = 0;

	if ( pi->pi_expiry_warning <= 0 )
		return;
	if ( pim_entry_get( op, pi, ndn, &e ) != LDAP_SUCCESS )
		return;
	if ( pim_entry_time( e, pim_ad_end, &end ) != 0 )
		end = 0;
	pim_entry_release( op, pi, e );
	if ( end != 0 )
		pim_warning_entry( pi, ndn, end );
}

/* An eligibility that still ends at end, and has not ended yet. */
static void
pim_audit_eligibility_warning_fire( Operation *op, pim_info *pi,
	struct berval *ndn, time_t end )
{
	struct berval p = BER_BVNULL, r = BER_BVNULL, *v;
	Entry *e = NULL;
	time_t cur = 0;
	int live, own = 0;

	if ( pim_entry_get( op, pi, ndn, &e ) != LDAP_SUCCESS )
		return;
	live = is_entry_objectclass_or_sub( e, pim_oc_eligibility ) &&
		pim_entry_time( e, pim_ad_end, &cur ) == 0 && cur == end &&
		slap_get_time() < end;
	if ( live && ( v = pim_entry_nval( e, pim_ad_principal ) ) != NULL )
		ber_dupbv_x( &p, v, op->o_tmpmemctx );
	if ( live && ( v = pim_entry_nval( e, pim_ad_role ) ) != NULL )
		ber_dupbv_x( &r, v, op->o_tmpmemctx );
	/* a user's own may be extended by asking, within the window */
	own = live && pim_entry_val( e, pim_ad_through ) == NULL &&
		end - slap_get_time() <= pi->pi_elig_extend_window;
	pim_entry_release( op, pi, e );
	if ( live ) {
		pim_event_info ev = { .ev_kind = PIM_EK_ELIG_EXPIRING,
			.ev_role = &r, .ev_principal = &p, .ev_dn = ndn,
			.ev_end = end, .ev_by = &pim_actor_self,
			.ev_text = own ? "to keep it, ask for an extension: pimctl "
				"extend ROLE --eligible --duration D --reason TEXT" : NULL };

		pim_event( op, pi, &ev );
	}
	if ( !BER_BVISNULL( &p ) )
		op->o_tmpfree( p.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &r ) )
		op->o_tmpfree( r.bv_val, op->o_tmpmemctx );
}

void
pim_audit_warning_fire( Operation *op, pim_info *pi, struct berval *ndn,
	time_t end )
{
	pim_act_facts af;

	if ( pim_act_facts_read( op, pi, ndn, &af ) != LDAP_SUCCESS ) {
		pim_audit_eligibility_warning_fire( op, pi, ndn, end );
		return;		/* gone, or an eligibility */
	}
	if ( af.af_state == PIM_ST_ACTIVE && af.af_end == end &&
		slap_get_time() < end )
	{
		pim_event_info e = { .ev_kind = PIM_EK_EXPIRING, .ev_role = &af.af_role,
			.ev_principal = &af.af_principal, .ev_id = &af.af_id,
			.ev_start = af.af_start, .ev_end = end,
			.ev_by = &pim_actor_self };

		pim_event( op, pi, &e );
	}
	pim_act_facts_free( op, &af );
}

typedef struct pim_warn_scan {
	BerVarray	ws_ndns;	/* o_tmpmemctx */
	time_t		*ws_ends;	/* ch_malloc, parallel */
	int		ws_n;
} pim_warn_scan;

static int
pim_warn_collect( Operation *op, Entry *e, void *arg )
{
	pim_warn_scan *ws = arg;
	struct berval ndn;
	time_t end;

	if ( pim_entry_time( e, pim_ad_end, &end ) != 0 )
		return LDAP_SUCCESS;
	ber_dupbv_x( &ndn, &e->e_nname, op->o_tmpmemctx );
	ber_bvarray_add_x( &ws->ws_ndns, &ndn, op->o_tmpmemctx );
	ws->ws_ends = ch_realloc( ws->ws_ends, ( ws->ws_n + 1 ) * sizeof( time_t ) );
	ws->ws_ends[ws->ws_n++] = end;
	return LDAP_SUCCESS;
}

/* After a restart, the warnings of eligibilities still to come (those
 * whose warning time passed while slapd was down are not sent late);
 * an activation's comes with its end, from the reconciliation
 * (pim_timer_add_end). */
void
pim_audit_warnings_recover( Operation *op, pim_info *pi )
{
	pim_warn_scan ws = { NULL, NULL, 0 };
	char now[PIM_GENTIME_BUFSIZE], filter[256];
	int i;

	if ( pi->pi_expiry_warning <= 0 )
		return;
	pim_gentime_format( slap_get_time() + pi->pi_expiry_warning, now,
		sizeof( now ) );
	snprintf( filter, sizeof( filter ),
		"(&(objectClass=pimEligibility)(pimEndTime>=%s))", now );
	(void)pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_warn_collect, &ws );
	for ( i = 0; i < ws.ws_n; i++ )
		pim_warning_entry( pi, &ws.ws_ndns[i], ws.ws_ends[i] );
	ber_bvarray_free_x( ws.ws_ndns, op->o_tmpmemctx );
	ch_free( ws.ws_ends );
}
