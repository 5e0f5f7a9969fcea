/* pim_timer.c - the expiry timer.
 *
 * The timer is a min-heap of "look at this entry at that time" events
 * and one run-queue task aimed at the earliest of them, never a periodic
 * scan of the tree.  The heap is only a hint: when an event fires, the
 * entry itself says what is due (pim_activation_timer_fire), so stale
 * events (an activation deactivated early) cost one read and nothing
 * else.
 *
 * The task's first run reconciles the directory with the activation
 * records (pim_reconcile.c) before it serves any event.
 */
#include "pim.h"
#include "pim_review.h"
#include "pim_timer_key.h"

/* --- one event: what it names, and its memory ------------------------- */

/* An event's aux is kept as its distance from te_when in 32 bits, as
 * every caller's fits (a retention pass's aux is its own time, a
 * warning's end is pi_expiry_warning <= PIM_DURATION_MAX after it);
 * PIM_TR_WIDE keeps any other exactly, in the event's owned block.
 * (-DPIM_TE_AUX_MAX=-1 sends every aux there, to test that form.) */
#ifndef PIM_TE_AUX_MAX
#define PIM_TE_AUX_MAX	INT32_MAX
#endif

typedef char pim_te_key_size_check[
	sizeof( ((pim_timer_event *)0)->te_r.tr_key ) == PIM_TKEY_SIZE ? 1 : -1];
typedef char pim_te_size_check[sizeof( pim_timer_event ) <= 32 ? 1 : -1];

static int
pim_te_has_aux( enum pim_timer_kind kind )
{
	return kind == PIM_TE_RETENTION || kind == PIM_TE_WARNING ||
		kind == PIM_TE_WARN_END;
}

/* Fill *te, copying ndn (NULL: no entry) as a key or an owned DN. */
static void
pim_te_make( pim_info *pi, pim_timer_event *te, time_t when,
	enum pim_timer_kind kind, struct berval *ndn, time_t aux,
	unsigned tries )
{
	time_t d = 0;
	int wide = 0;

	memset( te, 0, sizeof( *te ) );
	te->te_when = when;
	te->te_kind = kind;
	if ( pim_te_has_aux( kind ) ) {
		wide = __builtin_sub_overflow( aux, when, &d ) ||
			d > PIM_TE_AUX_MAX || d < -(time_t)PIM_TE_AUX_MAX - 1;
		if ( !wide )
			te->te_u.tu_aux = (int32_t)d;
	} else {
		te->te_u.tu_tries = tries;
	}
	if ( ndn != NULL && ndn->bv_val == NULL )
		ndn = NULL;	/* no entry, as ber_dupbv copied it */
	if ( ndn != NULL && !wide && pim_tkey_encode( ndn->bv_val,
			ndn->bv_len, pi->pi_key_ncontainer.bv_val,
			pi->pi_key_ncontainer.bv_len, te->te_r.tr_key ) ) {
		te->te_ref = PIM_TR_KEY;	/* no allocation */
		return;
	}
	te->te_ref = ndn != NULL ? PIM_TR_DN : PIM_TR_NONE;
	if ( ndn != NULL || wide ) {
		/* the owned block: the DN, a NUL, and a wide aux */
		size_t len = ndn != NULL ? ndn->bv_len : 0;
		char *p = ch_malloc( len + 1 + ( wide ? sizeof( aux ) : 0 ) );

		if ( len )
			memcpy( p, ndn->bv_val, len );
		p[len] = '\0';
		if ( wide ) {
			memcpy( p + len + 1, &aux, sizeof( aux ) );
			te->te_ref |= PIM_TR_WIDE;
		}
		te->te_r.tr_dn.td_val = p;
		te->te_r.tr_dn.td_len = (uint32_t)len;	/* a DN is < 4 GB */
	}
}

static time_t
pim_te_aux( pim_timer_event *te )
{
	time_t aux;

	if ( !pim_te_has_aux( te->te_kind ) )
		return 0;
	if ( !( te->te_ref & PIM_TR_WIDE ) )
		return te->te_when + te->te_u.tu_aux;
	memcpy( &aux, te->te_r.tr_dn.td_val + te->te_r.tr_dn.td_len + 1,
		sizeof( aux ) );
	return aux;
}

static unsigned
pim_te_tries( pim_timer_event *te )
{
	return pim_te_has_aux( te->te_kind ) ? 0 : te->te_u.tu_tries;
}

/* The event's entry into *ndn (BER_BVNULL when none): a key's DN is
 * written on op->o_tmpmemctx, freed by pim_te_ndn_free; an owned DN is
 * lent as it is. */
static void
pim_te_ndn( Operation *op, pim_info *pi, pim_timer_event *te,
	struct berval *ndn )
{
	switch ( te->te_ref & ~PIM_TR_WIDE ) {
	case PIM_TR_KEY:
		ndn->bv_len = pim_tkey_dn_len( pi->pi_key_ncontainer.bv_len );
		ndn->bv_val = op->o_tmpalloc( ndn->bv_len + 1, op->o_tmpmemctx );
		pim_tkey_decode( te->te_r.tr_key, pi->pi_key_ncontainer.bv_val,
			pi->pi_key_ncontainer.bv_len, ndn->bv_val );
		break;
	case PIM_TR_DN:
		ndn->bv_val = te->te_r.tr_dn.td_val;
		ndn->bv_len = te->te_r.tr_dn.td_len;
		break;
	default:
		BER_BVZERO( ndn );
	}
}

static void
pim_te_ndn_free( Operation *op, pim_timer_event *te, struct berval *ndn )
{
	if ( ( te->te_ref & ~PIM_TR_WIDE ) == PIM_TR_KEY )
		op->o_tmpfree( ndn->bv_val, op->o_tmpmemctx );
}

/* Free what the event owns. */
static void
pim_te_free( pim_timer_event *te )
{
	if ( te->te_ref != PIM_TR_NONE && te->te_ref != PIM_TR_KEY )
		ch_free( te->te_r.tr_dn.td_val );
}

/* --- the heap (caller holds pi_timer_mutex) -------------------------- */

static void
pim_heap_swap( pim_timer_event *a, pim_timer_event *b )
{
	pim_timer_event t = *a;

	*a = *b;
	*b = t;
}

static void
pim_heap_push( pim_info *pi, pim_timer_event *te )
{
	size_t i;

	if ( pi->pi_heap_len == pi->pi_heap_cap ) {
		pi->pi_heap_cap = pi->pi_heap_cap ? pi->pi_heap_cap * 2 : 64;
		pi->pi_heap = ch_realloc( pi->pi_heap,
			pi->pi_heap_cap * sizeof( pim_timer_event ) );
	}
	i = pi->pi_heap_len++;
	pi->pi_heap[i] = *te;
	while ( i > 0 && pi->pi_heap[( i - 1 ) / 2].te_when > pi->pi_heap[i].te_when ) {
		pim_heap_swap( &pi->pi_heap[( i - 1 ) / 2], &pi->pi_heap[i] );
		i = ( i - 1 ) / 2;
	}
}

/* Remove the earliest event into *ev (ownership of what it owns passes
 * to the caller) if it is due at now. */
static int
pim_heap_pop_due( pim_info *pi, time_t now, pim_timer_event *ev )
{
	size_t i = 0;

	if ( pi->pi_heap_len == 0 || pi->pi_heap[0].te_when > now )
		return 0;
	*ev = pi->pi_heap[0];
	pi->pi_heap[0] = pi->pi_heap[--pi->pi_heap_len];
	for ( ;; ) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if ( l < pi->pi_heap_len && pi->pi_heap[l].te_when < pi->pi_heap[m].te_when )
			m = l;
		if ( r < pi->pi_heap_len && pi->pi_heap[r].te_when < pi->pi_heap[m].te_when )
			m = r;
		if ( m == i )
			break;
		pim_heap_swap( &pi->pi_heap[i], &pi->pi_heap[m] );
		i = m;
	}
	return 1;
}

static time_t
pim_heap_next( pim_info *pi )
{
	return pi->pi_heap_len ? pi->pi_heap[0].te_when : 0;
}

/* --- aiming the task ------------------------------------------------- */

/* Aim the task at the earliest event, or park it when there is none.
 * Caller holds slapd_rq.rq_mutex.  A running task re-aims itself when
 * it finishes, so it is left alone here.  The interval stays >= 1 after
 * the call: the daemon re-schedules a task it starts with its interval,
 * and an interval of 0 would make it spin. */
static void
pim_timer_aim( pim_info *pi )
{
	time_t next, now = time( NULL );

	if ( pi->pi_task == NULL ||
		ldap_pvt_runqueue_isrunning( &slapd_rq, pi->pi_task ) )
		return;
	ldap_pvt_thread_mutex_lock( &pi->pi_timer_mutex );
	next = pim_heap_next( pi );
	ldap_pvt_thread_mutex_unlock( &pi->pi_timer_mutex );
	if ( !pi->pi_reconciled )	/* reconciliation comes first: at once,
					 * or after the peers' first refresh */
		next = pi->pi_settle > now ? pi->pi_settle : now;
	if ( next == 0 ) {
		pi->pi_task->interval.tv_sec = 3600;
		ldap_pvt_runqueue_resched( &slapd_rq, pi->pi_task, 1 );
		return;
	}
	pi->pi_task->interval.tv_sec = next > now ? next - now : 0;
	ldap_pvt_runqueue_resched( &slapd_rq, pi->pi_task, 0 );
	pi->pi_task->interval.tv_sec = 1;
}

static void
pim_timer_push( pim_info *pi, time_t when, enum pim_timer_kind kind,
	struct berval *ndn, time_t aux, unsigned tries )
{
	pim_timer_event te;
	int earliest;

	/* the copy (and its allocation, if any) outside the locks */
	pim_te_make( pi, &te, when, kind, ndn, aux, tries );
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	ldap_pvt_thread_mutex_lock( &pi->pi_timer_mutex );
	pim_heap_push( pi, &te );
	earliest = pim_heap_next( pi ) == when;
	ldap_pvt_thread_mutex_unlock( &pi->pi_timer_mutex );
	if ( earliest )
		pim_timer_aim( pi );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	/* the daemon computes its sleep from the run queue: wake it */
	if ( earliest && pi->pi_task != NULL )
		slap_wake_listener();
}

void
pim_timer_add( pim_info *pi, time_t when, struct berval *ndn )
{
	pim_timer_push( pi, when, PIM_TE_ACTIVATION, ndn, 0, 0 );
}

void
pim_timer_add_review( pim_info *pi, time_t when, struct berval *ndn )
{
	pim_timer_push( pi, when, PIM_TE_REVIEW, ndn, 0, 0 );
}

void
pim_timer_add_through( pim_info *pi, time_t when )
{
	pim_timer_push( pi, when, PIM_TE_THROUGH, NULL, 0, 0 );
}

void
pim_timer_add_retention( pim_info *pi, time_t when )
{
	pim_timer_push( pi, when, PIM_TE_RETENTION, NULL, when, 0 );
}

void
pim_timer_add_warning( pim_info *pi, time_t when, struct berval *ndn,
	time_t end )
{
	pim_timer_push( pi, when, PIM_TE_WARNING, ndn, end, 0 );
}

void
pim_timer_add_end( pim_info *pi, time_t end, struct berval *ndn )
{
	time_t warn = pim_warning_time( pi, end );

	if ( warn != 0 )
		pim_timer_push( pi, warn, PIM_TE_WARN_END, ndn, end, 0 );
	else if ( end != 0 )
		pim_timer_add( pi, end, ndn );
}

void
pim_timer_retry( pim_info *pi, struct berval *ndn, unsigned tries )
{
	long delay = tries > 6 ? PIM_RETRY_MAX : 1L << ( tries ? tries - 1 : 0 );

	if ( delay > PIM_RETRY_MAX )
		delay = PIM_RETRY_MAX;
	pim_timer_push( pi, slap_get_time() + delay, PIM_TE_ACTIVATION, ndn, 0,
		tries );
}

/* --- the task -------------------------------------------------------- */

Operation *
pim_task_op( pim_info *pi, void *ctx, Connection *conn, OperationBuffer *opbuf )
{
	Operation *op;

	connection_fake_init2( conn, opbuf, ctx, 0 );
	op = &opbuf->ob_op;
	op->o_bd = pi->pi_db;
	op->o_dn = pi->pi_db->be_rootdn;
	op->o_ndn = pi->pi_db->be_rootndn;
	slap_op_time( &op->o_time, &op->o_tincr );
	return op;
}

/* The container entry is the site's to create (ldapadd), and every
 * action needs it: say so at startup, where every log level shows it,
 * rather than at the first activation as "other". */
static void
pim_container_check( Operation *op, pim_info *pi )
{
	Entry *e = NULL;
	char dn[512];

	if ( pim_entry_get( op, pi, &pi->pi_ncontainer, &e ) == LDAP_SUCCESS ) {
		pim_entry_release( op, pi, e );
		return;
	}
	(void)pim_log_escape( pi->pi_container.bv_val, pi->pi_container.bv_len,
		dn, sizeof( dn ) );
	Debug( LDAP_DEBUG_ANY, "pim: WARNING: the PIM container entry \"%s\" "
		"does not exist: every PIM action fails until it does; create it, "
		"for example with ldapadd: dn: %s / objectClass: "
		"organizationalRole / cn: <its RDN value>\n", dn, dn );
}

/* Due events are taken from the heap this many at a time, so that the
 * activations among them expire in batches by role
 * (pim_activation_timer_fire_many). */
#define PIM_TIMER_BATCH	256

/* The n due events taken from the heap, which this frees: the others
 * first, one by one, then the activations' together. */
static void
pim_timer_run( Operation *op, pim_info *pi, pim_timer_event *evs, int n )
{
	struct berval ndns[PIM_TIMER_BATCH];
	unsigned tries[PIM_TIMER_BATCH];
	struct berval ndn;
	int i, na = 0, rc;

	for ( i = 0; i < n; i++ ) {
		pim_timer_event *ev = &evs[i];

		pim_te_ndn( op, pi, ev, &ndn );
		switch ( ev->te_kind ) {
		/* retention, an expiry warning, a review: each logs its own
		 * failures */
		case PIM_TE_RETENTION:
			pim_audit_retention_fire( op, pi, pim_te_aux( ev ) );
			break;
		case PIM_TE_WARNING:
			pim_audit_warning_fire( op, pi, &ndn, pim_te_aux( ev ) );
			break;
		case PIM_TE_WARN_END:
			/* the end first: nothing in the warning can lose it */
			pim_timer_add( pi, pim_te_aux( ev ), &ndn );
			pim_audit_warning_fire( op, pi, &ndn, pim_te_aux( ev ) );
			break;
		case PIM_TE_THROUGH:
			rc = pim_through_recheck_all( op, pi );
			if ( rc != LDAP_SUCCESS )
				Debug( LDAP_DEBUG_ANY, "pim: timer: the re-check of "
					"eligibility through groups failed (%d)\n", rc );
			break;
		case PIM_TE_REVIEW:	/* the same */
			pim_review_timer_fire( op, pi, &ndn );
			break;
		case PIM_TE_ACTIVATION:
			/* a failure schedules its own retry */
			ndns[na] = ndn;
			tries[na++] = pim_te_tries( ev );
			continue;	/* its DN is freed below */
		}
		pim_te_ndn_free( op, ev, &ndn );
	}
	if ( na > 0 )
		pim_activation_timer_fire_many( op, pi, ndns, tries, na );
	for ( i = 0, na = 0; i < n; i++ ) {
		if ( evs[i].te_kind == PIM_TE_ACTIVATION )
			pim_te_ndn_free( op, &evs[i], &ndns[na++] );
		pim_te_free( &evs[i] );
	}
}

static void *
pim_timer_task( void *ctx, void *arg )
{
	struct re_s *rtask = arg;
	pim_info *pi = rtask->arg;
	Connection conn = { 0 };
	OperationBuffer opbuf;
	Operation *op;
	pim_timer_event evs[PIM_TIMER_BATCH];
	int n;

	op = pim_task_op( pi, ctx, &conn, &opbuf );

	if ( !pi->pi_reconciled && slap_get_time() < pi->pi_settle ) {
		goto aim;	/* the peers' refresh first */
	}
	if ( !pi->pi_reconciled ) {
		pim_container_check( op, pi );
		pim_reconcile( op, pi );
		pim_audit_open( op, pi );
		pim_review_start( op, pi );
		pi->pi_reconciled = 1;
	}
	for ( ;; ) {
		/* shut down, or demoted to a consumer (pim_role_follow) */
		if ( slapd_shutdown || SLAP_SINGLE_SHADOW( pi->pi_db ) )
			break;
		ldap_pvt_thread_mutex_lock( &pi->pi_timer_mutex );
		for ( n = 0; n < PIM_TIMER_BATCH &&
			pim_heap_pop_due( pi, slap_get_time(), &evs[n] ); n++ )
			;
		ldap_pvt_thread_mutex_unlock( &pi->pi_timer_mutex );
		if ( n == 0 )
			break;
		slap_op_time( &op->o_time, &op->o_tincr );
		pim_timer_run( op, pi, evs, n );
		/* let a cn=config change pause the pool between batches */
		ldap_pvt_thread_pool_pausecheck( &connection_pool );
	}

aim:
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( ldap_pvt_runqueue_isrunning( &slapd_rq, rtask ) )
		ldap_pvt_runqueue_stoptask( &slapd_rq, rtask );
	pim_timer_aim( pi );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	return NULL;
}

int
pim_timer_init( pim_info *pi )
{
	ldap_pvt_thread_mutex_init( &pi->pi_timer_mutex );
	return 0;
}

void
pim_timer_destroy( pim_info *pi )
{
	size_t i;

	for ( i = 0; i < pi->pi_heap_len; i++ )
		pim_te_free( &pi->pi_heap[i] );
	ch_free( pi->pi_heap );
	pi->pi_heap = NULL;
	pi->pi_heap_len = pi->pi_heap_cap = 0;
	ldap_pvt_thread_mutex_destroy( &pi->pi_timer_mutex );
}

/* Start the task: it runs at once (reconciliation), then follows the
 * heap. */
int
pim_timer_start( pim_info *pi )
{
	pim_audit_start( pi );
	/* With several providers, this one's copy may be stale after an
	 * outage: the reconciliation waits pim-peer-grace for the peers'
	 * refresh, so that it does not end again what a peer ended. */
	pi->pi_settle = SLAP_MULTIPROVIDER( pi->pi_db ) ?
		slap_get_time() + pi->pi_peer_grace : 0;
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	pi->pi_reconciled = 0;
	pi->pi_task = ldap_pvt_runqueue_insert( &slapd_rq, 1, pim_timer_task,
		pi, "pim_timer_task", pi->pi_container.bv_val );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	return pi->pi_task == NULL;
}

/* Stop the task unless it is running (then it ends its round and the
 * next look stops it): 1 when stopped. */
int
pim_timer_stop_idle( pim_info *pi )
{
	int stopped = 0;

	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( pi->pi_task != NULL &&
		!ldap_pvt_runqueue_isrunning( &slapd_rq, pi->pi_task ) ) {
		ldap_pvt_runqueue_remove( &slapd_rq, pi->pi_task );
		pi->pi_task = NULL;
		stopped = 1;
	}
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	return stopped;
}

/* Take *task (one of the instance's run-queue tasks) off the queue. */
void
pim_task_remove( struct re_s **task )
{
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( *task != NULL ) {
		if ( ldap_pvt_runqueue_isrunning( &slapd_rq, *task ) )
			ldap_pvt_runqueue_stoptask( &slapd_rq, *task );
		ldap_pvt_runqueue_remove( &slapd_rq, *task );
		*task = NULL;
	}
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
}

void
pim_timer_stop( pim_info *pi )
{
	pim_task_remove( &pi->pi_task );
}
