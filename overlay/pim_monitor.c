/* pim_monitor.c - the instance's state under cn=Monitor.
 *
 * When slapd has a monitor database (back-monitor, "database monitor"),
 * each pim instance publishes children of its overlay entry, the one
 * back-monitor makes for every overlay of every database:
 *
 *   cn=Overlay <n>,cn=Database <m>,cn=Databases,cn=Monitor  (pim)
 *     cn=Activations     monitorCounter: active activations
 *     cn=Requests        monitorCounter: pending requests
 *     cn=Timer           monitorCounter: events queued;
 *                        monitorTimestamp: the next one's time
 *     cn=Reconciliation  monitorTimestamp: when it last ran;
 *                        monitoredInfo: its result
 *     cn=Audit           monitorCounter: the trail's head sequence
 *     cn=Alerts          monitorCounter: alerts not dismissed
 *     cn=Refusals        monitorCounter: refusals in all;
 *                        monitoredInfo: "action <verb> <count>" and
 *                        "result <code> <name> <count>", one per kind
 *     cn=MFA Lockouts    monitorCounter: lockouts started
 *
 * These are monitor's own generic attributes (operational: ask for "+"
 * or by name), so the PIM schema gains nothing that only means something
 * here.  Each value is computed when the entry is read (the monitor
 * callback's mc_update): from memory where the overlay keeps the figure
 * (the window, the timer's heap, the audit head, counters since the
 * start); by an internal search of the container for the two that live
 * only in the directory (pending requests; alerts and their
 * dismissals), with no PIM lock held.  The counters restart with slapd.
 *
 * Registration: back-monitor opens its subsystems when its database
 * opens, which may come after this one's; so the entries are added by a
 * one-shot run-queue task, which runs once every database is open, and
 * taken away when this database closes.  Without a monitor database
 * nothing is registered and nothing is said.  A monitor database added
 * later through cn=config is not followed (the overlay's entries appear
 * at the next start).
 */
#include "pim_audit.h"
#include "back-monitor/back-monitor.h"

enum pim_mon_fig {
	PIM_MON_ACTIVE, PIM_MON_PENDING, PIM_MON_TIMER, PIM_MON_RECON,
	PIM_MON_AUDIT, PIM_MON_ALERTS, PIM_MON_REFUSALS, PIM_MON_LOCKOUTS,
	PIM_MON_NFIGS
};

static const char *const pim_mon_rdns[PIM_MON_NFIGS] = {
	"cn=Activations", "cn=Requests", "cn=Timer", "cn=Reconciliation",
	"cn=Audit", "cn=Alerts", "cn=Refusals", "cn=MFA Lockouts"
};

/* One figure's callback data: what monitor's callback points at. */
typedef struct pim_mon_slot {
	pim_info	*ms_pi;
	enum pim_mon_fig ms_fig;
} pim_mon_slot;

struct pim_monitor {
	struct re_s	*pm_task;	/* the registration, until it ran */
	int		pm_registered;	/* the entries exist */
	struct berval	pm_ndn[PIM_MON_NFIGS];	/* ch_malloc */
	pim_mon_slot	pm_slots[PIM_MON_NFIGS];
};

static AttributeDescription *pim_mon_ad_counter, *pim_mon_ad_info,
	*pim_mon_ad_time;
static ObjectClass *pim_mon_oc;

/* back-monitor's entry points; NULL when there is no monitor database. */
static monitor_extra_t *
pim_mon_extra( void )
{
	BackendInfo *mi = backend_info( "monitor" );
	monitor_extra_t *mbe;

	if ( mi == NULL || mi->bi_extra == NULL )
		return NULL;
	mbe = mi->bi_extra;
	return mbe->is_configured() ? mbe : NULL;
}

/* --- values ---------------------------------------------------------- */

/* Replace ad's values on e with v (NULL: none). */
static void
pim_mon_set( Entry *e, AttributeDescription *ad, struct berval *v )
{
	attr_delete( &e->e_attrs, ad );
	if ( v != NULL )
		attr_merge_normalize_one( e, ad, v, NULL );
}

static void
pim_mon_counter( Entry *e, unsigned long n )
{
	char buf[32];
	struct berval bv;

	bv.bv_val = buf;
	bv.bv_len = snprintf( buf, sizeof( buf ), "%lu", n );
	pim_mon_set( e, pim_mon_ad_counter, &bv );
}

static void
pim_mon_time( Entry *e, time_t t )
{
	char buf[PIM_GENTIME_BUFSIZE];
	struct berval bv = { 0, buf };

	if ( t == 0 || pim_gentime_format( t, buf, sizeof( buf ) ) != 0 ) {
		pim_mon_set( e, pim_mon_ad_time, NULL );
		return;
	}
	bv.bv_len = strlen( buf );
	pim_mon_set( e, pim_mon_ad_time, &bv );
}

static void
pim_mon_info_add( Entry *e, const char *s )
{
	struct berval bv;

	ber_str2bv( s, 0, 0, &bv );
	attr_merge_normalize_one( e, pim_mon_ad_info, &bv, NULL );
}

/* --- the figures that live in the directory ---------------------------- */

static int
pim_mon_count_entry( Operation *op, Entry *e, void *arg )
{
	( *(unsigned long *)arg )++;
	return LDAP_SUCCESS;
}

typedef struct pim_mon_alerts {
	BerVarray	ma_alerts;	/* pimAuditSeq of "alert" (o_tmpmemctx) */
	BerVarray	ma_gone;	/* pimAuditRef of dismissals */
} pim_mon_alerts;

static int
pim_mon_alert_entry( Operation *op, Entry *e, void *arg )
{
	pim_mon_alerts *ma = arg;
	struct berval *ev = pim_entry_val( e, pim_ad_audit[PIM_CH_EVENT] );
	struct berval *v, copy;

	if ( ev == NULL )
		return LDAP_SUCCESS;
	if ( ev->bv_len == STRLENOF( "alert" ) ) {
		v = pim_entry_val( e, pim_ad_audit[PIM_CH_SEQ] );
		if ( v != NULL && ber_dupbv_x( &copy, v, op->o_tmpmemctx ) )
			ber_bvarray_add_x( &ma->ma_alerts, &copy, op->o_tmpmemctx );
	} else {
		v = pim_entry_val( e, pim_ad_audit[PIM_CH_REF] );
		if ( v != NULL && ber_dupbv_x( &copy, v, op->o_tmpmemctx ) )
			ber_bvarray_add_x( &ma->ma_gone, &copy, op->o_tmpmemctx );
	}
	return LDAP_SUCCESS;
}

/* Alerts whose sequence number no dismissal names. */
static unsigned long
pim_mon_open_alerts( Operation *op, pim_info *pi )
{
	pim_mon_alerts ma = { NULL, NULL };
	struct berval *where = pim_audit_where( pi );
	unsigned long n = 0;
	int i, j;

	if ( BER_BVISEMPTY( where ) )
		return 0;
	(void)pim_internal_search_ext( op, pi, where, LDAP_SCOPE_ONELEVEL,
		"(|(pimAuditEvent=alert)(pimAuditEvent=alert dismissed))", NULL,
		SLAP_NO_LIMIT, pim_mon_alert_entry, &ma );
	for ( i = 0; ma.ma_alerts && !BER_BVISNULL( &ma.ma_alerts[i] ); i++ ) {
		for ( j = 0; ma.ma_gone && !BER_BVISNULL( &ma.ma_gone[j] ); j++ )
			if ( bvmatch( &ma.ma_alerts[i], &ma.ma_gone[j] ) )
				break;
		if ( ma.ma_gone == NULL || BER_BVISNULL( &ma.ma_gone[j] ) )
			n++;
	}
	ber_bvarray_free_x( ma.ma_alerts, op->o_tmpmemctx );
	ber_bvarray_free_x( ma.ma_gone, op->o_tmpmemctx );
	return n;
}

/* --- the figures that live in memory ------------------------------------ */

static void
pim_mon_timer( Entry *e, pim_info *pi )
{
	size_t len;
	time_t next;

	ldap_pvt_thread_mutex_lock( &pi->pi_timer_mutex );
	len = pi->pi_heap_len;
	next = len ? pi->pi_heap[0].te_when : 0;
	ldap_pvt_thread_mutex_unlock( &pi->pi_timer_mutex );
	pim_mon_counter( e, len );
	pim_mon_time( e, next );
}

static void
pim_mon_recon( Entry *e, pim_info *pi )
{
	time_t when = __atomic_load_n( &pi->pi_mon_recon_time,
		__ATOMIC_ACQUIRE );
	char buf[160];
	int rc;

	pim_mon_time( e, when );
	attr_delete( &e->e_attrs, pim_mon_ad_info );
	if ( when == 0 ) {
		pim_mon_info_add( e, pi->pi_task == NULL && pi->pi_db != NULL &&
			SLAP_SINGLE_SHADOW( pi->pi_db ) ? "not run: a read-only "
			"consumer does not reconcile" : "not run yet" );
		return;
	}
	rc = PIM_MON_GET( &pi->pi_mon_recon_rc );
	snprintf( buf, sizeof( buf ), "%s (%d): %ld active activations, %ld "
		"could not be granted", rc == LDAP_SUCCESS ? "success" : "failed",
		rc, PIM_MON_GET( &pi->pi_mon_recon_active ),
		PIM_MON_GET( &pi->pi_mon_recon_ungranted ) );
	pim_mon_info_add( e, buf );
}

static void
pim_mon_audit( Entry *e, pim_info *pi )
{
	struct pim_audit *au = pi->pi_audit;
	unsigned long seq = 0;
	int ready;

	/* au_mutex is held across one record's write: a short wait */
	ldap_pvt_thread_mutex_lock( &au->au_mutex );
	ready = au->au_ready;
	seq = au->au_seq;
	ldap_pvt_thread_mutex_unlock( &au->au_mutex );
	if ( ready )
		pim_mon_counter( e, seq );
	else
		pim_mon_set( e, pim_mon_ad_counter, NULL );	/* not known yet */
}

static const char *
pim_mon_action_name( int i )
{
	switch ( i ) {
	case PIM_MON_ACT_WRITE:		return "write";
	case PIM_MON_ACT_DISMISS:	return "dismiss";
	case PIM_MON_ACT_OTHER:		return "request";
	}
	return pim_verb_name( (enum pim_verb)i );
}

static void
pim_mon_refusals( Entry *e, pim_info *pi )
{
	unsigned long n, total = 0;
	char buf[96];
	int i;

	attr_delete( &e->e_attrs, pim_mon_ad_info );
	for ( i = 0; i < PIM_MON_ACT_N; i++ ) {
		n = PIM_MON_GET( &pi->pi_mon_refused_act[i] );
		if ( n == 0 )
			continue;
		total += n;
		snprintf( buf, sizeof( buf ), "action %s %lu",
			pim_mon_action_name( i ), n );
		pim_mon_info_add( e, buf );
	}
	for ( i = 0; i < PIM_MON_RC_N; i++ ) {
		n = PIM_MON_GET( &pi->pi_mon_refused_rc[i] );
		if ( n == 0 )
			continue;
		if ( i == PIM_MON_RC_N - 1 )
			snprintf( buf, sizeof( buf ), "result >%d other %lu",
				PIM_MON_RC_N - 2, n );
		else
			snprintf( buf, sizeof( buf ), "result %d %s %lu", i,
				ldap_err2string( i ), n );
		pim_mon_info_add( e, buf );
	}
	/* each refusal is counted once by action and once by result, so
	 * either sum is the total; a refusal counted between the two reads
	 * could make them differ by one, and the total is the actions' */
	pim_mon_counter( e, total );
}

/* monitor's mc_update: the figure, now.  Runs in the thread of the
 * search that reads the entry, with the entry locked by back-monitor
 * and no PIM lock held. */
static int
pim_mon_update( Operation *op, SlapReply *rs, Entry *e, void *priv )
{
	pim_mon_slot *ms = priv;
	pim_info *pi = ms->ms_pi;
	unsigned long n = 0;

	if ( pi->pi_db == NULL )	/* closing: the entries go next */
		return SLAP_CB_CONTINUE;
	switch ( ms->ms_fig ) {
	case PIM_MON_ACTIVE:
		pim_mon_counter( e, pim_window_active( pi, slap_get_time() ) );
		break;
	case PIM_MON_PENDING:
		(void)pim_internal_search( op, pi, &pi->pi_ncontainer,
			"(&(objectClass=pimActivation)(pimState=pending))",
			pim_mon_count_entry, &n );
		pim_mon_counter( e, n );
		break;
	case PIM_MON_TIMER:
		pim_mon_timer( e, pi );
		break;
	case PIM_MON_RECON:
		pim_mon_recon( e, pi );
		break;
	case PIM_MON_AUDIT:
		pim_mon_audit( e, pi );
		break;
	case PIM_MON_ALERTS:
		pim_mon_counter( e, pim_mon_open_alerts( op, pi ) );
		break;
	case PIM_MON_REFUSALS:
		pim_mon_refusals( e, pi );
		break;
	case PIM_MON_LOCKOUTS:
		pim_mon_counter( e, PIM_MON_GET( &pi->pi_mon_mfa_lockouts ) );
		break;
	default:
		break;
	}
	return SLAP_CB_CONTINUE;
}

/* --- counting ------------------------------------------------------------ */

void
pim_monitor_refused( pim_info *pi, const char *action, int rc )
{
	int i, act = PIM_MON_ACT_OTHER;

	if ( strcmp( action, "write" ) == 0 ) {
		act = PIM_MON_ACT_WRITE;
	} else if ( strcmp( action, "dismiss" ) == 0 ) {
		act = PIM_MON_ACT_DISMISS;
	} else {
		for ( i = 0; i < PIM_VERB_COUNT; i++ )
			if ( strcmp( action, pim_verb_name( i ) ) == 0 ) {
				act = i;
				break;
			}
	}
	PIM_MON_ADD( &pi->pi_mon_refused_act[act] );
	PIM_MON_ADD( &pi->pi_mon_refused_rc[rc >= 0 && rc < PIM_MON_RC_N - 1 ?
		rc : PIM_MON_RC_N - 1] );
}

/* --- registration -------------------------------------------------------- */

static int
pim_mon_schema( void )
{
	const char *text;

	if ( pim_mon_oc != NULL )
		return 0;
	if ( slap_str2ad( "monitorCounter", &pim_mon_ad_counter, &text ) ||
		slap_str2ad( "monitoredInfo", &pim_mon_ad_info, &text ) ||
		slap_str2ad( "monitorTimestamp", &pim_mon_ad_time, &text ) )
		return -1;
	pim_mon_oc = oc_find( "monitoredObject" );
	return pim_mon_oc == NULL ? -1 : 0;
}

/* Add one figure's entry under the overlay's; monitor owns the entry's
 * copy and cb from then on (it frees cb when the entry goes). */
static int
pim_mon_add( monitor_extra_t *mbe, pim_info *pi, Entry *parent,
	enum pim_mon_fig fig )
{
	struct pim_monitor *pm = pi->pi_monitor;
	monitor_callback_t *cb;
	struct berval rdn;
	Entry *e;
	int rc;

	ber_str2bv( pim_mon_rdns[fig], 0, 0, &rdn );
	e = mbe->entry_stub( &parent->e_name, &parent->e_nname, &rdn,
		pim_mon_oc, NULL, NULL );
	if ( e == NULL )
		return -1;
	pm->pm_slots[fig].ms_pi = pi;
	pm->pm_slots[fig].ms_fig = fig;
	cb = ch_calloc( 1, sizeof( *cb ) );
	cb->mc_update = pim_mon_update;
	cb->mc_private = &pm->pm_slots[fig];
	rc = mbe->register_entry( e, cb, NULL, 0 );
	if ( rc == 0 )
		ber_dupbv( &pm->pm_ndn[fig], &e->e_nname );
	else
		ch_free( cb );
	entry_free( e );	/* register_entry keeps a copy */
	return rc;
}

/* Find the overlay's entry (back-monitor makes it, and the database's,
 * when they are first asked for) and add the figures under it. */
static int
pim_mon_register( pim_info *pi )
{
	monitor_extra_t *mbe = pim_mon_extra();
	struct berval ndn = BER_BVNULL;
	Entry *parent;
	int i, rc;

	if ( mbe == NULL || pi->pi_db == NULL )
		return 0;
	if ( pim_mon_schema() != 0 ) {
		Debug( LDAP_DEBUG_ANY, "pim: cn=Monitor: monitor's schema is "
			"missing: no entries for %s\n", pi->pi_container.bv_val );
		return -1;
	}
	/* ndn points into monitor's entry: not ours to free */
	rc = mbe->register_overlay( pi->pi_db, pi->pi_on, &ndn );
	if ( rc != 0 || BER_BVISNULL( &ndn ) ||
		( parent = mbe->entry_get_unlocked( &ndn ) ) == NULL ) {
		Debug( LDAP_DEBUG_ANY, "pim: cn=Monitor: cannot find the "
			"overlay's entry (%d): no entries for %s\n", rc,
			pi->pi_container.bv_val );
		return -1;
	}
	for ( i = 0; i < PIM_MON_NFIGS; i++ ) {
		rc = pim_mon_add( mbe, pi, parent, i );
		if ( rc != 0 ) {
			Debug( LDAP_DEBUG_ANY, "pim: cn=Monitor: cannot add "
				"%s,%s (%d)\n", pim_mon_rdns[i],
				parent->e_name.bv_val, rc );
			break;
		}
	}
	pi->pi_monitor->pm_registered = 1;	/* what was added goes at close */
	Debug( LDAP_DEBUG_CONFIG, "pim: cn=Monitor: %s under %s\n",
		pi->pi_container.bv_val, parent->e_name.bv_val );
	return rc;
}

/* Once, when slapd runs: every database, the monitor's too, is open. */
static void *
pim_mon_task( void *ctx, void *arg )
{
	struct re_s *rtask = arg;
	pim_info *pi = rtask->arg;

	(void)pim_mon_register( pi );
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( ldap_pvt_runqueue_isrunning( &slapd_rq, rtask ) )
		ldap_pvt_runqueue_stoptask( &slapd_rq, rtask );
	ldap_pvt_runqueue_remove( &slapd_rq, rtask );
	pi->pi_monitor->pm_task = NULL;
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	return NULL;
}

void
pim_monitor_start( pim_info *pi )
{
	if ( pim_mon_extra() == NULL )
		return;		/* no monitor database: say nothing */
	if ( pi->pi_monitor == NULL )
		pi->pi_monitor = ch_calloc( 1, sizeof( *pi->pi_monitor ) );
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( pi->pi_monitor->pm_task == NULL && !pi->pi_monitor->pm_registered )
		pi->pi_monitor->pm_task = ldap_pvt_runqueue_insert( &slapd_rq,
			1, pim_mon_task, pi, "pim_monitor_task",
			pi->pi_container.bv_val );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
}

/* The entries go with the database (a cn=config delete of the overlay,
 * or of the database); at shutdown back-monitor frees them itself. */
void
pim_monitor_stop( pim_info *pi )
{
	struct pim_monitor *pm = pi->pi_monitor;
	monitor_extra_t *mbe;
	int i;

	if ( pm == NULL )
		return;
	pim_task_remove( &pm->pm_task );
	mbe = pim_mon_extra();
	for ( i = PIM_MON_NFIGS - 1; i >= 0; i-- ) {
		if ( BER_BVISNULL( &pm->pm_ndn[i] ) )
			continue;
		if ( mbe != NULL && !slapd_shutdown )
			(void)mbe->unregister_entry( &pm->pm_ndn[i] );
		ch_free( pm->pm_ndn[i].bv_val );
		BER_BVZERO( &pm->pm_ndn[i] );
	}
	pm->pm_registered = 0;
}

void
pim_monitor_destroy( pim_info *pi )
{
	if ( pi->pi_monitor == NULL )
		return;
	pim_monitor_stop( pi );
	ch_free( pi->pi_monitor );
	pi->pi_monitor = NULL;
}
