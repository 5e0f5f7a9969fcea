/* pim_expire.c - the timer's batched expiry.
 *
 * The timer hands over the activation events it took from the heap
 * together (pim_timer.c); the plain expiries among them leave their
 * roles in batches, and everything else goes one at a time through
 * pim_activation_timer_fire (pim_activation_life.c).
 */
#include "pim.h"

/* Activations that end in the same second mostly share a few roles: each
 * role's due expiries take their values out in one modify of the role
 * (pim_member_release_flush), so that a role of a thousand members is
 * rewritten once per batch instead of once per activation.  Each
 * activation keeps its own memberOf write, its own state move and its own
 * audit record.  A batch holds distinct principals: the count of a
 * principal's other active activations (pim_member_release_into) must
 * see the previous one ended. */
#define PIM_EXPIRE_BATCH	64

typedef struct pim_due {
	struct berval	*d_ndn;
	unsigned	d_tries;
	pim_act_facts	d_af;
	int		d_deferred;	/* its values go with the role's write */
	int		d_rc;
	const char	*d_failed;	/* the alert, or NULL */
} pim_due;

static int
pim_due_cmp( const void *a, const void *b )
{
	const pim_due *x = a, *y = b;
	int c = ber_bvcmp( &x->d_af.af_role, &y->d_af.af_role );

	return c != 0 ? c : ber_bvcmp( &x->d_af.af_principal,
		&y->d_af.af_principal );
}

/* End k plain expiries of one role (distinct principals), as
 * pim_activation_end_active ends one: values first, then the record,
 * under pi_member_mutex. */
static void
pim_expire_group( Operation *op, pim_info *pi, pim_due *d, int k )
{
	pim_release_batch *rb = pim_release_batch_new( &d[0].d_af.af_role );
	enum pim_state to = PIM_ST_EXPIRED;
	int i, rc, n = 0;

	(void)pim_state_next( PIM_ST_ACTIVE, PIM_EV_EXPIRE, &to );
	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	for ( i = 0; i < k; i++ ) {
		d[i].d_rc = pim_member_release_into( op, pi, &d[i].d_af.af_principal,
			&d[i].d_af.af_role, d[i].d_ndn, rb, &d[i].d_deferred );
		n += d[i].d_deferred;
	}
	rc = pim_member_release_flush( op, pi, rb );
	if ( n > 1 ) {
		char role[256];

		(void)pim_log_escape( d[0].d_af.af_role.bv_val,
			d[0].d_af.af_role.bv_len, role, sizeof( role ) );
		Debug( LDAP_DEBUG_STATS, "%s pim: role \"%s\": %d values out in "
			"one write (err=%d)\n", op->o_log_prefix, role, n, rc );
	}
	for ( i = 0; i < k; i++ ) {
		pim_due *x = &d[i];

		if ( x->d_rc == LDAP_SUCCESS && x->d_deferred )
			x->d_rc = rc != LDAP_SUCCESS ? rc : pim_member_release_finish(
				op, pi, rb, &x->d_af.af_principal );
		if ( x->d_rc != LDAP_SUCCESS ) {
			x->d_failed = PIM_ALERT_REMOVAL_FAILED;
			continue;
		}
		x->d_rc = pim_state_move( op, pi, x->d_ndn, PIM_ST_ACTIVE, to, NULL );
		if ( x->d_rc != LDAP_SUCCESS && x->d_rc != LDAP_NO_SUCH_ATTRIBUTE )
			x->d_failed = PIM_ALERT_RECORD_FAILED;
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	pim_release_batch_free( rb );

	for ( i = 0; i < k; i++ ) {
		pim_due *x = &d[i];
		pim_event_info e = { .ev_kind = pim_event_kind_of_end( to ),
			.ev_role = &x->d_af.af_role,
			.ev_principal = &x->d_af.af_principal,
			.ev_id = &x->d_af.af_id, .ev_by = &pim_actor_self };

		if ( x->d_failed != NULL )
			pim_step_failed( op, pi, x->d_ndn, &x->d_af, x->d_failed,
				x->d_rc, x->d_tries );
		else if ( x->d_rc == LDAP_SUCCESS )
			pim_event( op, pi, &e );
	}
}

/* Is it a first attempt at a plain expiry, for a batch?  Retries, ends
 * somebody asked for and every other event go one at a time. */
static int
pim_due_batchable( pim_due *x )
{
	return x->d_tries == 0 && x->d_af.af_state == PIM_ST_ACTIVE &&
		BER_BVISEMPTY( &x->d_af.af_ended_by );
}

/* The timer's n due activation events (ndns[i], tries[i]): plain
 * expiries in batches by role, everything else as
 * pim_activation_timer_fire does it.  Failures are logged here. */
void
pim_activation_timer_fire_many( Operation *op, pim_info *pi,
	struct berval *ndns, const unsigned *tries, int n )
{
	pim_due *d = ch_calloc( n > 0 ? n : 1, sizeof( *d ) );
	time_t now = slap_get_time();
	int i, j, m = 0, rc;

	for ( i = 0; i < n; i++ ) {
		pim_due *x = &d[m];

		x->d_ndn = &ndns[i];
		x->d_tries = tries[i];
		rc = pim_act_facts_read( op, pi, &ndns[i], &x->d_af );
		if ( rc == LDAP_SUCCESS ) {
			if ( !pim_act_due( pi, &ndns[i], &x->d_af, now ) ) {
				pim_act_facts_free( op, &x->d_af );
				continue;
			}
			if ( pim_due_batchable( x ) ) {
				m++;
				continue;
			}
		}
		pim_act_facts_free( op, &x->d_af );
		if ( rc == LDAP_NO_SUCH_OBJECT )
			continue;	/* deleted meanwhile */
		rc = pim_activation_timer_fire( op, pi, &ndns[i], tries[i] );
		if ( rc != LDAP_SUCCESS ) {
			char act[256];

			(void)pim_log_escape( ndns[i].bv_val, ndns[i].bv_len, act,
				sizeof( act ) );
			Debug( LDAP_DEBUG_ANY, "pim: timer: %s failed (%d), "
				"attempt %u\n", act, rc, tries[i] + 1 );
		}
	}
	qsort( d, m, sizeof( *d ), pim_due_cmp );
	for ( i = 0; i < m; i = j ) {
		for ( j = i + 1; j < m && j - i < PIM_EXPIRE_BATCH &&
			ber_bvcmp( &d[j].d_af.af_role, &d[i].d_af.af_role ) == 0 &&
			ber_bvcmp( &d[j].d_af.af_principal,
				&d[j - 1].d_af.af_principal ) != 0; j++ )
			;
		pim_expire_group( op, pi, &d[i], j - i );
	}
	for ( i = 0; i < m; i++ )
		pim_act_facts_free( op, &d[i].d_af );
	ch_free( d );
}
