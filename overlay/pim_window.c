/* pim_window.c - when a PIM value may be seen: the read-time window.
 *
 * The purge removes a membership value at most about a second after its
 * activation ends, and a consumer or a peer provider removes it only
 * when the removal replicates to it.  Until then the stored value would
 * still compare TRUE.  So every server that loads the module keeps, in
 * memory, the window of every (role, principal) pair that PIM activations
 * back, from the activation entries it sees written (its own writes,
 * clients' and replicated ones alike) and rebuilt from the directory
 * when the database opens; reads then see a value PIM added only while
 * an active activation of that pair has not reached its end
 * (pim_window_open).  Static values are the site's and always seen.
 *
 * The index: an AVL tree of pairs, each with the active activations
 * that back it (their DN and end), and one of those activations, each
 * naming its pair, so that a write of one finds what it changes.  A pair whose last activation ended
 * stays in the tree, closed, so that a value the purge has not removed
 * yet is known to be stale.  pi_win_lock (a reader/writer lock, a leaf)
 * guards it; reads take it shared.  Until the first build is done every
 * PIM value is treated as closed: a second without a just-in-time
 * privilege at startup, never one too many.
 */
#include "pim.h"
#include "ldap_avl.h"

typedef struct pim_win_ref {
	struct berval	wr_act;		/* the activation's DN (ch_malloc) */
	time_t		wr_end;		/* 0: permanent */
} pim_win_ref;

typedef struct pim_win {
	struct berval	w_key;		/* role NUL principal (ch_malloc) */
	pim_win_ref	*w_refs;
	int		w_n, w_cap;
} pim_win;

/* An activation that backs a pair (the second tree). */
typedef struct pim_win_act {
	struct berval	wa_act;		/* ch_malloc */
	pim_win		*wa_win;
} pim_win_act;

static int
pim_bv_cmp( const struct berval *x, const struct berval *y )
{
	if ( x->bv_len != y->bv_len )
		return x->bv_len < y->bv_len ? -1 : 1;
	return memcmp( x->bv_val, y->bv_val, x->bv_len );
}

static int
pim_win_act_cmp( const void *a, const void *b )
{
	return pim_bv_cmp( &( (const pim_win_act *)a )->wa_act,
		&( (const pim_win_act *)b )->wa_act );
}

static void
pim_win_act_free( void *arg )
{
	pim_win_act *wa = arg;

	ch_free( wa->wa_act.bv_val );
	ch_free( wa );
}

static int
pim_win_cmp( const void *a, const void *b )
{
	return pim_bv_cmp( &( (const pim_win *)a )->w_key,
		&( (const pim_win *)b )->w_key );
}

/* The key of (role, principal), both normalized, into buf or heap. */
static void
pim_win_key( struct berval *role, struct berval *principal, char *buf,
	size_t size, struct berval *key )
{
	key->bv_len = role->bv_len + 1 + principal->bv_len;
	key->bv_val = key->bv_len < size ? buf : ch_malloc( key->bv_len + 1 );
	memcpy( key->bv_val, role->bv_val, role->bv_len );
	key->bv_val[role->bv_len] = '\0';
	memcpy( key->bv_val + role->bv_len + 1, principal->bv_val,
		principal->bv_len );
	key->bv_val[key->bv_len] = '\0';
}

static void
pim_win_key_free( struct berval *key, char *buf )
{
	if ( key->bv_val != buf )
		ch_free( key->bv_val );
}

/* The roles PIM activations are known to have held (never forgotten
 * while the database is open): a memberOf value of one of them is
 * looked at, of any other group it is the site's. */
static int
pim_win_role_cmp( const void *a, const void *b )
{
	return pim_bv_cmp( a, b );
}

static void
pim_win_role_free( void *arg )
{
	struct berval *bv = arg;

	ch_free( bv->bv_val );
	ch_free( bv );
}

static void
pim_win_free( void *arg )
{
	pim_win *w = arg;
	int i;

	for ( i = 0; i < w->w_n; i++ )
		ch_free( w->w_refs[i].wr_act.bv_val );
	ch_free( w->w_refs );
	ch_free( w->w_key.bv_val );
	ch_free( w );
}

void
pim_window_init( pim_info *pi )
{
	ldap_pvt_thread_rdwr_init( &pi->pi_win_lock );
	pi->pi_win = NULL;
	pi->pi_win_ready = 0;
}

void
pim_window_destroy( pim_info *pi )
{
	ldap_avl_free( pi->pi_win_acts, pim_win_act_free );
	ldap_avl_free( pi->pi_win_roles, pim_win_role_free );
	pi->pi_win_roles = NULL;
	ldap_avl_free( pi->pi_win, pim_win_free );
	pi->pi_win = pi->pi_win_acts = NULL;
	ldap_pvt_thread_rdwr_destroy( &pi->pi_win_lock );
}

/* Take act's reference out of its pair (its pair may change: a
 * principal's rename).  Caller holds the lock exclusively. */
static void
pim_win_drop( pim_info *pi, struct berval *act )
{
	pim_win_act probe, *wa;
	pim_win *w;
	int i;

	probe.wa_act = *act;
	wa = ldap_avl_delete( &pi->pi_win_acts, &probe, pim_win_act_cmp );
	if ( wa == NULL )
		return;
	w = wa->wa_win;
	for ( i = 0; i < w->w_n; i++ ) {
		if ( pim_bv_cmp( &w->w_refs[i].wr_act, act ) == 0 ) {
			ch_free( w->w_refs[i].wr_act.bv_val );
			w->w_refs[i] = w->w_refs[--w->w_n];
			break;
		}
	}
	pim_win_act_free( wa );
}

/* What an activation entry says now: active (role, principal, end), or
 * nothing.  Called after every successful write of an activation entry
 * (e NULL: it was deleted). */
void
pim_window_note( pim_info *pi, struct berval *act, Entry *e )
{
	struct berval *role = NULL, *principal = NULL, key;
	char buf[512];
	enum pim_state st = PIM_ST_PENDING;
	time_t end = 0;
	pim_win probe, *w;

	if ( e != NULL ) {
		role = pim_entry_nval( e, pim_ad_role );
		principal = pim_entry_nval( e, pim_ad_principal );
		if ( pim_state_parse( pim_entry_val( e, pim_ad_state ), &st ) ||
			pim_entry_time( e, pim_ad_end, &end ) < 0 )
			st = PIM_ST_PENDING;	/* unreadable: backs nothing */
	}
	ldap_pvt_thread_rdwr_wlock( &pi->pi_win_lock );
	pim_win_drop( pi, act );
	if ( st == PIM_ST_ACTIVE && role != NULL && principal != NULL ) {
		pim_win_key( role, principal, buf, sizeof( buf ), &key );
		probe.w_key = key;
		w = ldap_avl_find( pi->pi_win, &probe, pim_win_cmp );
		if ( w == NULL ) {
			w = ch_calloc( 1, sizeof( *w ) );
			ber_dupbv( &w->w_key, &key );
			ldap_avl_insert( &pi->pi_win, w, pim_win_cmp, ldap_avl_dup_error );
		}
		if ( ldap_avl_find( pi->pi_win_roles, role, pim_win_role_cmp ) == NULL ) {
			struct berval *r = ber_dupbv( NULL, role );

			ldap_avl_insert( &pi->pi_win_roles, r, pim_win_role_cmp,
				ldap_avl_dup_error );
		}
		if ( w->w_n == w->w_cap ) {
			w->w_cap = w->w_cap ? w->w_cap * 2 : 2;
			w->w_refs = ch_realloc( w->w_refs,
				w->w_cap * sizeof( *w->w_refs ) );
		}
		ber_dupbv( &w->w_refs[w->w_n].wr_act, act );
		w->w_refs[w->w_n++].wr_end = end;
		{
			pim_win_act *wa = ch_calloc( 1, sizeof( *wa ) );

			ber_dupbv( &wa->wa_act, act );
			wa->wa_win = w;
			ldap_avl_insert( &pi->pi_win_acts, wa, pim_win_act_cmp,
				ldap_avl_dup_error );
		}
		pim_win_key_free( &key, buf );
	}
	ldap_pvt_thread_rdwr_wunlock( &pi->pi_win_lock );
}

int
pim_window_open( pim_info *pi, struct berval *role, struct berval *principal,
	time_t now )
{
	return pim_window_state( pi, role, principal, now, NULL );
}

/* The window of (role, principal) and, when known is not NULL, whether
 * PIM activations ever held role: one look under the lock. */
int
pim_window_state( pim_info *pi, struct berval *role, struct berval *principal,
	time_t now, int *known )
{
	struct berval key;
	char buf[512];
	pim_win probe, *w;
	int i, open = PIM_WIN_UNKNOWN;

	if ( !pi->pi_win_ready ) {
		if ( known != NULL )
			*known = 1;
		return PIM_WIN_CLOSED;
	}
	pim_win_key( role, principal, buf, sizeof( buf ), &key );
	probe.w_key = key;
	ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
	if ( known != NULL )
		*known = ldap_avl_find( pi->pi_win_roles, role, pim_win_role_cmp ) != NULL;
	w = ldap_avl_find( pi->pi_win, &probe, pim_win_cmp );
	if ( w != NULL ) {
		open = PIM_WIN_CLOSED;
		for ( i = 0; i < w->w_n; i++ ) {
			if ( w->w_refs[i].wr_end == 0 || w->w_refs[i].wr_end > now ) {
				open = PIM_WIN_OPEN;
				break;
			}
		}
	}
	ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	pim_win_key_free( &key, buf );
	return open;
}

int
pim_window_role_known( pim_info *pi, struct berval *role )
{
	int known;

	ldap_pvt_thread_rdwr_rlock( &pi->pi_win_lock );
	known = ldap_avl_find( pi->pi_win_roles, role, pim_win_role_cmp ) != NULL;
	ldap_pvt_thread_rdwr_runlock( &pi->pi_win_lock );
	return known;
}

int
pim_window_empty( pim_info *pi )
{
	/* read without the lock: a stale answer only costs a callback */
	return pi->pi_win_ready && pi->pi_win == NULL;
}

/* --- the build ------------------------------------------------------------ */

static int
pim_window_build_entry( Operation *op, Entry *e, void *arg )
{
	pim_window_note( arg, &e->e_nname, e );
	return LDAP_SUCCESS;
}

/* Every active activation, once, when the database opens (on every
 * server: consumers too).  A run-queue task of its own, so that it
 * runs on shadows, where the timer does not. */
static void *
pim_window_task( void *ctx, void *arg )
{
	struct re_s *rtask = arg;
	pim_info *pi = rtask->arg;
	Connection conn = { 0 };
	OperationBuffer opbuf;
	Operation *op;
	int rc;

	op = pim_task_op( pi, ctx, &conn, &opbuf );
	if ( !pi->pi_win_ready ) {
		rc = pim_internal_search( op, pi, &pi->pi_ncontainer,
			"(&(objectClass=pimActivation)(pimState=active))",
			pim_window_build_entry, pi );
		if ( rc == LDAP_SUCCESS )
			pi->pi_win_ready = 1;
		else
			Debug( LDAP_DEBUG_ANY, "pim: cannot read the active "
				"activations (%d): PIM values stay hidden; retrying\n", rc );
	}
	pim_role_follow( pi );

	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	if ( ldap_pvt_runqueue_isrunning( &slapd_rq, rtask ) )
		ldap_pvt_runqueue_stoptask( &slapd_rq, rtask );
	/* from now on every few seconds, for pim_role_follow */
	rtask->interval.tv_sec = PIM_ROLE_CHECK;
	ldap_pvt_runqueue_resched( &slapd_rq, rtask, 0 );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
	return NULL;
}

/* A consumer promoted to a provider online (cn=config removes its
 * olcSyncrepl and olcUpdateRef), or a provider demoted: the timer, and
 * with it the audit trail and the reconciliation, start or stop here,
 * since slapd does not reopen the database.  Until they run, PIM actions
 * are refused (pim_extop.c), never performed unaudited. */
void
pim_role_follow( pim_info *pi )
{
	int shadow = SLAP_SINGLE_SHADOW( pi->pi_db ) != 0;

	if ( !shadow && pi->pi_task == NULL ) {
		Debug( LDAP_DEBUG_ANY, "pim: %s is writable now: the timer, the "
			"audit trail and the reconciliation start\n",
			pi->pi_container.bv_val );
		(void)pim_timer_start( pi );
	} else if ( shadow && pi->pi_task != NULL && pim_timer_stop_idle( pi ) ) {
		Debug( LDAP_DEBUG_ANY, "pim: %s is a read-only consumer now: "
			"the timer stopped\n", pi->pi_container.bv_val );
	}
}

void
pim_window_start( pim_info *pi )
{
	ldap_pvt_thread_mutex_lock( &slapd_rq.rq_mutex );
	pi->pi_win_task = ldap_pvt_runqueue_insert( &slapd_rq, 1,
		pim_window_task, pi, "pim_window_task", pi->pi_container.bv_val );
	ldap_pvt_thread_mutex_unlock( &slapd_rq.rq_mutex );
}

void
pim_window_stop( pim_info *pi )
{
	pim_task_remove( &pi->pi_win_task );
}
