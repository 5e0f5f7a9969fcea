/* pim_readtime.c - reads never see a PIM value outside its window.
 *
 * pim_window.c says whether the activations behind a (role, principal)
 * pair are open; here every way an application looks at membership
 * asks it:
 *   compare     member/uniqueMember on a role, memberOf on a user:
 *               compareFalse for a stale value
 *   search      an entry carrying a stale value is sent without it, and
 *               not at all when the filter matched only because of it
 *   group ACLs  slapd fetches the group (be_entry_get_rw with the
 *               membership attribute) and gets a copy without the stale
 *               values: "by group=" and sets through the group
 * A value is PIM's when the role lists it in pimManagedMember; a
 * memberOf value of a role PIM activations hold or held is PIM's unless
 * its user is a static member of the role.  Static values are always seen.  The stored data, as it is, is
 * seen by PIM's own internal operations, replicated ones, content
 * synchronization (a replica enforces the window itself) and the
 * database's rootdn in its searches and compares (an operator's view of
 * what the purge has still to do); the rootdn's group checks are
 * filtered like anybody's.
 *
 * Cost: one attribute lookup per entry a search returns while no PIM
 * activation is known; otherwise an index lookup per memberOf value, and
 * per pimManagedMember value of a role returned -- or, while the role's
 * memo holds (pim_window.c), one comparison of its pimManagedMember.
 */
#include "pim.h"

static int pim_readtime_marker;	/* e_private of the copies handed out */

/* Is ad the membership attribute of some kind, and of which form?
 * (An attribute of DN syntax can only be a DN kind's.) */
static int
pim_is_membership( pim_info *pi, AttributeDescription *ad )
{
	return ad->ad_type == pim_ad_member->ad_type ||
		ad->ad_type == pim_ad_unique_member->ad_type ||
		pim_is_kind_attr( pi, ad );
}

static int
pim_is_uid_membership( pim_info *pi, AttributeDescription *ad )
{
	return pim_is_membership( pi, ad ) &&
		strcmp( ad->ad_type->sat_syntax->ssyn_oid,
		"1.3.6.1.4.1.1466.115.121.1.12" ) != 0 &&
		strcmp( ad->ad_type->sat_syntax->ssyn_oid,
		"1.3.6.1.4.1.1466.115.121.1.34" ) != 0;
}

/* Fetch ndn from below this overlay (no copy of ours). */
static int
pim_below_get( Operation *op, slap_overinst *on, struct berval *ndn,
	ObjectClass *oc, AttributeDescription *ad, int rw, Entry **e )
{
	BackendInfo *bi = op->o_bd->bd_info;
	int rc;

	if ( on->on_next != NULL )
		return overlay_entry_get_ov( op, ndn, oc, ad, rw, e, on->on_next );
	op->o_bd->bd_info = on->on_info->oi_orig;
	rc = on->on_info->oi_orig->bi_entry_get_rw( op, ndn, oc, ad, rw, e );
	op->o_bd->bd_info = bi;
	return rc;
}

static void
pim_below_release( Operation *op, slap_overinst *on, Entry *e, int rw )
{
	BackendInfo *bi = op->o_bd->bd_info;

	if ( on->on_next != NULL ) {
		(void)overlay_entry_release_ov( op, e, rw, on->on_next );
		return;
	}
	op->o_bd->bd_info = on->on_info->oi_orig;
	(void)on->on_info->oi_orig->bi_entry_release_rw( op, e, rw );
	op->o_bd->bd_info = bi;
}

/* Is user a static member of role (a member value PIM did not add)? */
static int
pim_static_member( Operation *op, pim_info *pi, struct berval *role,
	struct berval *user )
{
	Entry *e = NULL;
	int st;

	if ( pim_entry_get( op, pi, role, &e ) != LDAP_SUCCESS )
		return 0;
	st = pim_entry_has_member( e, user ) &&
		!pim_attr_has_dn( attr_find( e->e_attrs, pim_ad_managed_member ),
		user );
	pim_entry_release( op, pi, e );
	return st;
}

/* Is v, a value of ad on e (a DN kind's attribute or memberOf), a PIM
 * value outside its window? */
static int
pim_value_stale( Operation *op, pim_info *pi, Entry *e,
	AttributeDescription *ad, struct berval *v, time_t now )
{
	if ( ad->ad_type != pim_ad_member_of->ad_type )
		return is_entry_objectclass_or_sub( e, pim_oc_role ) &&
			pim_attr_has_dn( attr_find( e->e_attrs, pim_ad_managed_member ), v ) &&
			pim_window_open( pi, &e->e_nname, v, now ) != PIM_WIN_OPEN;
	/* memberOf of a role PIM activations hold(held): stale outside the
	 * window unless its user is a static member */
	if ( ad->ad_type == pim_ad_member_of->ad_type )
		return pim_window_open( pi, v, &e->e_nname, now ) != PIM_WIN_OPEN &&
			pim_window_role_known( pi, v ) &&
			!pim_static_member( op, pi, v, &e->e_nname );
	return 0;
}

/* Does a hold v (normalized), exactly as pim_attr_drop_value would find
 * it?  By binary search when slapd keeps a's values sorted (sortvals)
 * and its equality is a DN's, for which equal is byte-equal normalized;
 * else a walk. */
static int
pim_attr_has_value( Attribute *a, struct berval *v )
{
	unsigned j;

	if ( ( a->a_flags & SLAP_ATTR_SORTED_VALS ) &&
		a->a_desc->ad_type->sat_syntax == slap_schema.si_syn_distinguishedName )
	{
		unsigned slot;

		return attr_valfind( a, SLAP_MR_EQUALITY | SLAP_MR_VALUE_OF_ASSERTION_SYNTAX |
			SLAP_MR_ASSERTED_VALUE_NORMALIZED_MATCH |
			SLAP_MR_ATTRIBUTE_VALUE_NORMALIZED_MATCH, v, &slot, NULL ) ==
			LDAP_SUCCESS && bvmatch( a->a_nvals ? &a->a_nvals[slot] :
			&a->a_vals[slot], v );
	}
	for ( j = 0; j < a->a_numvals; j++ )
		if ( bvmatch( a->a_nvals ? &a->a_nvals[j] : &a->a_vals[j], v ) )
			return 1;
	return 0;
}

/* Drop the i-th value of a. */
static void
pim_attr_drop( Attribute *a, unsigned i )
{
	ber_memfree( a->a_vals[i].bv_val );
	if ( a->a_nvals != a->a_vals ) {
		ber_memfree( a->a_nvals[i].bv_val );
		memmove( &a->a_nvals[i], &a->a_nvals[i + 1],
			( a->a_numvals - i ) * sizeof( struct berval ) );
	}
	memmove( &a->a_vals[i], &a->a_vals[i + 1],
		( a->a_numvals - i ) * sizeof( struct berval ) );
	a->a_numvals--;
}

/* Drop the value v (normalized) from a, if a has it. */
static void
pim_attr_drop_value( Attribute *a, struct berval *v )
{
	unsigned j;

	for ( j = 0; a != NULL && j < a->a_numvals; j++ ) {
		struct berval *cv = a->a_nvals ? &a->a_nvals[j] : &a->a_vals[j];

		if ( bvmatch( cv, v ) ) {
			pim_attr_drop( a, j );
			return;
		}
	}
}

/* Drop v from ad on the copy of e (made on the first drop). */
static void
pim_copy_drop( Entry *e, Entry **copy, AttributeDescription *ad,
	struct berval *v )
{
	Attribute *ca;

	if ( *copy == NULL )
		*copy = entry_dup( e );
	ca = attr_find( ( *copy )->e_attrs, ad );
	pim_attr_drop_value( ca, v );
	if ( ca != NULL && ca->a_numvals == 0 )
		attr_delete( &( *copy )->e_attrs, ad );
}

/* The windows of e's PIM values (pimManagedMember): NULL when every one
 * is open (or there is none), else a flag per value, from o_tmpalloc,
 * that the caller frees; *vals and *n are the values. */
static unsigned char *
pim_role_windows( Operation *op, pim_info *pi, Entry *e, time_t now,
	struct berval **vals, unsigned *n )
{
	Attribute *m = attr_find( e->e_attrs, pim_ad_managed_member );
	unsigned char *open;

	if ( m == NULL || m->a_numvals == 0 )
		return NULL;
	*vals = m->a_nvals ? m->a_nvals : m->a_vals;
	*n = m->a_numvals;
	open = op->o_tmpalloc( *n, op->o_tmpmemctx );
	if ( pim_window_open_many( pi, &e->e_nname, *vals, *n, now, open ) ) {
		op->o_tmpfree( open, op->o_tmpmemctx );
		return NULL;
	}
	return open;
}

/* A role's PIM values as looked at once for its kind and its mirror:
 * pimManagedMember's values, and whether each one's window is open. */
typedef struct pim_role_look {
	struct berval	*rl_vals;
	unsigned char	*rl_open;	/* o_tmpalloc */
	unsigned	rl_n;
} pim_role_look;

/* The values of a uid kind's role outside their window: the principal of
 * each is in pimManagedMember, its uid only in the principal's entry,
 * which is read for a closed window alone. */
static void
pim_uid_kind_stale( Operation *op, pim_info *pi, Entry *e,
	const pim_role_kind *kind, pim_role_look *rl, Entry **copy )
{
	unsigned i;
	pim_value v;

	for ( i = 0; i < rl->rl_n; i++ ) {
		if ( rl->rl_open[i] || pim_kind_value( op, pi, kind,
			&rl->rl_vals[i], &v ) != LDAP_SUCCESS )
			continue;
		if ( pim_attr_has_dn( attr_find( e->e_attrs, kind->rk_ad ),
			&v.pv_nval ) )
			pim_copy_drop( e, copy, kind->rk_ad, &v.pv_nval );
		pim_value_free( op, &v );
	}
}

/* The values of a DN kind's role outside their window.  A value is PIM's
 * when pimManagedMember lists it, so the walk is over pimManagedMember
 * (its windows at once, pim_window_open_many), not over the kind's
 * values with a search of pimManagedMember for each: that was a
 * thousand walks of a thousand values for every look at a role of a
 * thousand members.  The few stale ones are then dropped from the
 * kind's attribute. */
static void
pim_dn_kind_stale( Entry *e, const pim_role_kind *kind, pim_role_look *rl,
	Entry **copy )
{
	Attribute *a = attr_find( e->e_attrs, kind->rk_ad );
	unsigned i;

	for ( i = 0; a != NULL && i < rl->rl_n; i++ ) {
		if ( !rl->rl_open[i] && pim_attr_has_value( a, &rl->rl_vals[i] ) )
			pim_copy_drop( e, copy, kind->rk_ad, &rl->rl_vals[i] );
	}
}

/* The values of role e (of kind) outside their window: its kind's and
 * its mirror's, from one look at the windows. */
static void
pim_role_stale( Operation *op, pim_info *pi, Entry *e,
	const pim_role_kind *kind, Entry **copy, time_t now )
{
	const pim_role_kind *mirror = pim_kind_mirror( pi, e, kind );
	pim_role_look rl;

	rl.rl_open = pim_role_windows( op, pi, e, now, &rl.rl_vals, &rl.rl_n );
	if ( rl.rl_open == NULL )
		return;		/* every one open, or none */
	if ( kind->rk_form == PIM_FORM_UID )
		pim_uid_kind_stale( op, pi, e, kind, &rl, copy );
	else
		pim_dn_kind_stale( e, kind, &rl, copy );
	if ( mirror != NULL )
		pim_uid_kind_stale( op, pi, e, mirror, &rl, copy );
	op->o_tmpfree( rl.rl_open, op->o_tmpmemctx );
}

/* Could e hold a PIM value at all: is it a role, or has it memberOf?
 * The one check every entry a search returns pays before any lock or
 * lookup. */
static int
pim_entry_may_hold( Entry *e )
{
	return attr_find( e->e_attrs, pim_ad_member_of ) != NULL ||
		is_entry_objectclass_or_sub( e, pim_oc_role );
}

/* A copy of e without its stale values, or NULL when it has none.  Only
 * the attributes that can hold PIM values are looked at: the role's
 * kind's, and memberOf. */
static Entry *
pim_entry_without_stale( Operation *op, pim_info *pi, Entry *e, time_t now )
{
	const pim_role_kind *kind = NULL;
	Entry *copy = NULL;
	Attribute *a;
	unsigned i;

	if ( is_entry_objectclass_or_sub( e, pim_oc_role ) &&
		( kind = pim_kind_find( pi, e ) ) != NULL )
		pim_role_stale( op, pi, e, kind, &copy, now );
	a = attr_find( e->e_attrs, pim_ad_member_of );
	for ( i = 0; a != NULL && i < a->a_numvals; i++ ) {
		struct berval *v = a->a_nvals ? &a->a_nvals[i] : &a->a_vals[i];

		if ( pim_value_stale( op, pi, e, pim_ad_member_of, v, now ) )
			pim_copy_drop( e, &copy, pim_ad_member_of, v );
	}
	return copy;
}

/* Does op see the stored data (see the file comment)? */
static int
pim_sees_stored( Operation *op, pim_info *pi )
{
	BackendDB *saved = op->o_bd;
	int root;

	if ( op->o_sync != SLAP_CONTROL_NONE )
		return 1;
	op->o_bd = pi->pi_db;
	root = be_isroot( op );
	op->o_bd = saved;
	return root;
}

/* --- compare ---------------------------------------------------------------- */

/* A stale value compares FALSE, whatever the stored entry says; any
 * other compare goes on to the backend. */
static int
pim_compare_answer( Operation *op, SlapReply *rs, int stale )
{
	if ( !stale )
		return SLAP_CB_CONTINUE;
	rs->sr_err = LDAP_COMPARE_FALSE;
	send_ldap_result( op, rs );
	return rs->sr_err;
}

/* A uid kind's value names no principal by itself: the role's copy
 * without its stale values says whether the asserted one is seen. */
static int
pim_readtime_compare_uid( Operation *op, SlapReply *rs, pim_info *pi,
	time_t now )
{
	AttributeDescription *ad = op->orc_ava->aa_desc;
	Entry *e = NULL, *copy;
	int stale = 0;

	if ( !pim_window_role_known( pi, &op->o_req_ndn ) ||
		pim_sees_stored( op, pi ) ||
		pim_entry_get( op, pi, &op->o_req_ndn, &e ) != LDAP_SUCCESS )
		return SLAP_CB_CONTINUE;
	copy = pim_entry_without_stale( op, pi, e, now );
	if ( copy != NULL ) {
		stale = pim_attr_has_dn( attr_find( e->e_attrs, ad ),
			&op->orc_ava->aa_value ) &&
			!pim_attr_has_dn( attr_find( copy->e_attrs, ad ),
			&op->orc_ava->aa_value );
		entry_free( copy );
	}
	pim_entry_release( op, pi, e );
	return pim_compare_answer( op, rs, stale );
}

/* compareFalse for a stale value; SLAP_CB_CONTINUE otherwise. */
int
pim_readtime_compare( Operation *op, SlapReply *rs, pim_info *pi )
{
	AttributeDescription *ad = op->orc_ava->aa_desc;
	Entry *e = NULL;
	int stale;

	struct berval *role, *principal;
	time_t now = pim_now_precise();
	int known = 0, member;

	member = pim_is_membership( pi, ad );
	if ( !member && ad->ad_type != pim_ad_member_of->ad_type )
		return SLAP_CB_CONTINUE;
	if ( pim_window_empty( pi ) )
		return SLAP_CB_CONTINUE;
	if ( pim_is_uid_membership( pi, ad ) )
		return pim_readtime_compare_uid( op, rs, pi, now );
	/* the hot path of group checks: a pair whose window is open, or a
	 * group no PIM activation ever held, needs no read of the entry */
	role = member ? &op->o_req_ndn : &op->orc_ava->aa_value;
	principal = member ? &op->orc_ava->aa_value : &op->o_req_ndn;
	if ( pim_window_state( pi, role, principal, now, &known ) ==
		PIM_WIN_OPEN || !known || pim_sees_stored( op, pi ) ||
		pim_entry_get( op, pi, &op->o_req_ndn, &e ) != LDAP_SUCCESS )
		return SLAP_CB_CONTINUE;
	stale = pim_value_stale( op, pi, e, ad, &op->orc_ava->aa_value, now );
	pim_entry_release( op, pi, e );
	return pim_compare_answer( op, rs, stale );
}

/* --- search ----------------------------------------------------------------- */

typedef struct pim_rt_search {
	slap_callback	rt_cb;
	pim_info	*rt_pi;
	slap_overinst	*rt_on;
} pim_rt_search;

static int
pim_rt_response( Operation *op, SlapReply *rs )
{
	pim_rt_search *rt = op->o_callback->sc_private;
	Entry *copy;

	if ( rs->sr_type != REP_SEARCH || rs->sr_entry == NULL ||
		!pim_entry_may_hold( rs->sr_entry ) )
		return SLAP_CB_CONTINUE;
	copy = pim_entry_without_stale( op, rt->rt_pi, rs->sr_entry,
		pim_now_precise() );
	if ( copy == NULL )
		return SLAP_CB_CONTINUE;
	if ( test_filter( op, copy, op->ors_filter ) != LDAP_COMPARE_TRUE ) {
		entry_free( copy );
		return 0;	/* it matched only through a stale value */
	}
	rs_replace_entry( op, rs, rt->rt_on, copy );
	rs->sr_flags |= REP_ENTRY_MODIFIABLE | REP_ENTRY_MUSTBEFREED;
	return SLAP_CB_CONTINUE;
}

void
pim_readtime_search( Operation *op, pim_info *pi, slap_overinst *on )
{
	pim_rt_search *rt;

	if ( pim_window_empty( pi ) || pim_sees_stored( op, pi ) )
		return;
	rt = op->o_tmpcalloc( 1, sizeof( *rt ), op->o_tmpmemctx );
	rt->rt_pi = pi;
	rt->rt_on = on;
	rt->rt_cb.sc_response = pim_rt_response;
	rt->rt_cb.sc_cleanup = pim_cb_cleanup_free;
	rt->rt_cb.sc_private = rt;
	rt->rt_cb.sc_next = op->o_callback;
	op->o_callback = &rt->rt_cb;
}

/* --- group checks ------------------------------------------------------------ */

/* slapd fetches a group with its membership attribute named (ACL "by
 * group=", sets): hand out a copy without the stale values. */
int
pim_entry_get_rw( Operation *op, struct berval *ndn, ObjectClass *oc,
	AttributeDescription *ad, int rw, Entry **ep )
{
	slap_overinst *on = (slap_overinst *)op->o_bd->bd_info;
	pim_info *pi = on->on_bi.bi_private;
	Entry *e = NULL, *copy;
	int rc;

	/* (before the database opens the schema handles are not resolved) */
	if ( ad == NULL || rw || pi == NULL || pi->pi_db == NULL ||
		!pim_is_membership( pi, ad ) || pim_window_empty( pi ) ||
		pim_op_is_internal( op ) )
		return SLAP_CB_CONTINUE;
	rc = pim_below_get( op, on, ndn, oc, ad, rw, &e );
	if ( rc != LDAP_SUCCESS || e == NULL )
		return rc;
	copy = pim_entry_without_stale( op, pi, e, pim_now_precise() );
	if ( copy == NULL ) {
		*ep = e;
		return LDAP_SUCCESS;
	}
	pim_below_release( op, on, e, rw );
	copy->e_private = &pim_readtime_marker;
	*ep = copy;
	return LDAP_SUCCESS;
}

int
pim_entry_release_rw( Operation *op, Entry *e, int rw )
{
	if ( e == NULL || e->e_private != &pim_readtime_marker )
		return SLAP_CB_CONTINUE;
	e->e_private = NULL;
	entry_free( e );
	return LDAP_SUCCESS;
}
