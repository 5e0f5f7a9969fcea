/* pim_reconcile.c - putting the directory right at startup.
 *
 * Before the timer serves any event, the overlay makes the membership
 * values agree with the activation records, in both directions:
 *   - every open activation through a group whose principal has left
 *     the group is revoked (pim_through.c);
 *   - every open activation is scheduled, and every live active one
 *     gets its member, pimManagedMember and memberOf values;
 *   - every value PIM added (pimManagedMember) with no active
 *     activation behind it is removed;
 *   - every memberOf value naming a PIM role the user is no longer a
 *     member of is removed (a crash between the role's write and the
 *     user's can leave one behind).
 * Whatever expired while slapd was down is then expired by the timer at
 * once.
 */
#include "pim.h"

/* (user, role) pairs, copied, in an array that grows geometrically: the
 * reconciliation gathers one per active activation and one per managed
 * value, 100,000s of them on a large site. */
typedef struct pim_pair {
	struct berval	pp_user, pp_role;	/* o_tmpmemctx */
} pim_pair;

typedef struct pim_pairs {
	pim_pair	*ps_v;
	size_t		ps_n, ps_max;
} pim_pairs;

static void
pim_pairs_add( Operation *op, pim_pairs *ps, struct berval *user,
	struct berval *role )
{
	if ( ps->ps_n == ps->ps_max ) {
		ps->ps_max = ps->ps_max ? 2 * ps->ps_max : 64;
		ps->ps_v = op->o_tmprealloc( ps->ps_v,
			ps->ps_max * sizeof( *ps->ps_v ), op->o_tmpmemctx );
	}
	ber_dupbv_x( &ps->ps_v[ps->ps_n].pp_user, user, op->o_tmpmemctx );
	ber_dupbv_x( &ps->ps_v[ps->ps_n].pp_role, role, op->o_tmpmemctx );
	ps->ps_n++;
}

static void
pim_pairs_free( Operation *op, pim_pairs *ps )
{
	size_t i;

	for ( i = 0; i < ps->ps_n; i++ ) {
		op->o_tmpfree( ps->ps_v[i].pp_user.bv_val, op->o_tmpmemctx );
		op->o_tmpfree( ps->ps_v[i].pp_role.bv_val, op->o_tmpmemctx );
	}
	if ( ps->ps_v != NULL )
		op->o_tmpfree( ps->ps_v, op->o_tmpmemctx );
	memset( ps, 0, sizeof( *ps ) );
}

/* By role, then user (normalized DNs: byte order is identity). */
static int
pim_pair_cmp( const void *a, const void *b )
{
	const pim_pair *x = a, *y = b;
	int c = ber_bvcmp( &x->pp_role, &y->pp_role );

	return c != 0 ? c : ber_bvcmp( &x->pp_user, &y->pp_user );
}

/* Active activations: schedule each, and make sure each live one has
 * its membership. */
typedef struct pim_recon_active {
	pim_info	*ra_pi;
	pim_pairs	ra_live;	/* (principal, role) of each live one */
	long		ra_count;
} pim_recon_active;

static int
pim_recon_active_entry( Operation *op, Entry *e, void *arg )
{
	pim_recon_active *ra = arg;
	struct berval *p = pim_entry_nval( e, pim_ad_principal );
	struct berval *r = pim_entry_nval( e, pim_ad_role );
	enum pim_state st;
	time_t start = 0, end = 0, expiry = 0, next = 0;

	if ( pim_state_parse( pim_entry_val( e, pim_ad_state ), &st ) )
		return LDAP_SUCCESS;
	(void)pim_entry_time( e, pim_ad_start, &start );
	(void)pim_entry_time( e, pim_ad_end, &end );
	(void)pim_entry_time( e, pim_ad_request_expiry, &expiry );
	next = pim_state_next_look( st, start, end, expiry );
	if ( st == PIM_ST_ACTIVE )	/* its end, and its expiry warning */
		pim_timer_add_end( ra->ra_pi, next, &e->e_nname );
	else if ( next != 0 )
		pim_timer_add( ra->ra_pi, next, &e->e_nname );
	if ( st != PIM_ST_ACTIVE )
		return LDAP_SUCCESS;
	ra->ra_count++;
	if ( p == NULL || r == NULL || ( end != 0 && end <= slap_get_time() ) )
		return LDAP_SUCCESS;
	pim_pairs_add( op, &ra->ra_live, p, r );
	return LDAP_SUCCESS;
}

/* Roles with PIM-managed values: each value must still be backed by an
 * active activation. */
static int
pim_recon_managed_entry( Operation *op, Entry *e, void *arg )
{
	pim_pairs *rm = arg;
	Attribute *a = attr_find( e->e_attrs, pim_ad_managed_member );
	unsigned i;

	for ( i = 0; a != NULL && i < a->a_numvals; i++ )
		pim_pairs_add( op, rm, &a->a_nvals[i], &e->e_nname );
	return LDAP_SUCCESS;
}

/* Users whose memberOf names role although they are not its member. */
static void
pim_recon_member_of_role( Operation *op, pim_info *pi, struct berval *role,
	long *fixed )
{
	BerVarray users = NULL, stale = NULL;
	struct berval esc, copy;
	Entry *e = NULL;
	char *filter;
	size_t len;
	int i;

	filter_escape_value_x( role, &esc, op->o_tmpmemctx );
	len = esc.bv_len + sizeof( "(memberOf=)" );
	filter = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( filter, len, "(memberOf=%s)", esc.bv_val );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	for ( i = 0; !BER_BVISNULL( &pi->pi_db->be_nsuffix[i] ); i++ )
		(void)pim_internal_search( op, pi, &pi->pi_db->be_nsuffix[i],
			filter, pim_collect_ndn, &users );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	if ( users != NULL && pim_entry_get( op, pi, role, &e ) == LDAP_SUCCESS ) {
		for ( i = 0; !BER_BVISNULL( &users[i] ); i++ ) {
			if ( pim_entry_has_member( e, &users[i] ) )
				continue;
			ber_dupbv_x( &copy, &users[i], op->o_tmpmemctx );
			ber_bvarray_add_x( &stale, &copy, op->o_tmpmemctx );
		}
		pim_entry_release( op, pi, e );
	}
	for ( i = 0; stale != NULL && !BER_BVISNULL( &stale[i] ); i++ ) {
		if ( pim_member_of_drop( op, pi, &stale[i], role ) == LDAP_SUCCESS )
			( *fixed )++;
	}
	ber_bvarray_free_x( users, op->o_tmpmemctx );
	ber_bvarray_free_x( stale, op->o_tmpmemctx );
}

static long
pim_recon_member_of( Operation *op, pim_info *pi )
{
	BerVarray roles = NULL;
	long fixed = 0;
	int i;

	for ( i = 0; !BER_BVISNULL( &pi->pi_db->be_nsuffix[i] ); i++ )
		(void)pim_internal_search( op, pi, &pi->pi_db->be_nsuffix[i],
			"(objectClass=pimRole)", pim_collect_ndn, &roles );
	for ( i = 0; roles != NULL && !BER_BVISNULL( &roles[i] ); i++ )
		pim_recon_member_of_role( op, pi, &roles[i], &fixed );
	ber_bvarray_free_x( roles, op->o_tmpmemctx );
	return fixed;
}

void
pim_reconcile( Operation *op, pim_info *pi )
{
	pim_recon_active ra = { pi, { NULL, 0, 0 }, 0 };
	pim_pairs rm = { NULL, 0, 0 };
	long ungranted = 0, checked = 0, released = 0, stale = 0;
	char filter[192];
	size_t i, len;
	int rc;

	(void)pim_through_recheck_all( op, pi );
	len = snprintf( filter, sizeof( filter ),
		"(&(objectClass=pimActivation)" );
	(void)pim_state_filter( PIM_STATES_OPEN, filter + len,
		sizeof( filter ) - len - 1 );
	strcat( filter, ")" );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_recon_active_entry, &ra );
	for ( i = 0; rc == LDAP_SUCCESS && i < ra.ra_live.ps_n; i++ ) {
		if ( pim_member_grant( op, pi, &ra.ra_live.ps_v[i].pp_user,
			&ra.ra_live.ps_v[i].pp_role ) != LDAP_SUCCESS )
			ungranted++;
	}
	for ( i = 0; rc == LDAP_SUCCESS && !BER_BVISNULL( &pi->pi_db->be_nsuffix[i] ); i++ )
		rc = pim_internal_search( op, pi, &pi->pi_db->be_nsuffix[i],
			"(&(objectClass=pimRole)(pimManagedMember=*))",
			pim_recon_managed_entry, &rm );
	/* A managed value backed by a live activation found above needs no
	 * search of its own: only the others are looked at again (and
	 * released when nothing backs them; the release counts anew). */
	if ( ra.ra_live.ps_n > 1 )
		qsort( ra.ra_live.ps_v, ra.ra_live.ps_n, sizeof( pim_pair ),
			pim_pair_cmp );
	for ( i = 0; rc == LDAP_SUCCESS && i < rm.ps_n; i++ ) {
		checked++;
		if ( ra.ra_live.ps_n > 0 && bsearch( &rm.ps_v[i], ra.ra_live.ps_v,
			ra.ra_live.ps_n, sizeof( pim_pair ), pim_pair_cmp ) != NULL )
			continue;
		(void)pim_member_release( op, pi, &rm.ps_v[i].pp_user,
			&rm.ps_v[i].pp_role, NULL );
		released++;
	}
	if ( rc == LDAP_SUCCESS )
		stale = pim_recon_member_of( op, pi );
	Debug( LDAP_DEBUG_STATS, "pim: reconciled %s: %ld active activations "
		"(%ld could not be granted), %ld managed values checked (%ld "
		"without a live activation looked at again), %ld stale memberOf "
		"values removed (rc=%d)\n", pi->pi_container.bv_val,
		ra.ra_count, ungranted, checked, released, stale, rc );
	/* for cn=Monitor, read by other threads: the time last, so that a
	 * reader that sees it sees the figures it goes with */
	PIM_MON_PUT( &pi->pi_mon_recon_rc, rc );
	PIM_MON_PUT( &pi->pi_mon_recon_active, ra.ra_count );
	PIM_MON_PUT( &pi->pi_mon_recon_ungranted, ungranted );
	__atomic_store_n( &pi->pi_mon_recon_time, slap_get_time(),
		__ATOMIC_RELEASE );
	pim_pairs_free( op, &ra.ra_live );
	pim_pairs_free( op, &rm );
}

