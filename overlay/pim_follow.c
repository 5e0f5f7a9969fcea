/* pim_follow.c - PIM's state follows the directory's entries.
 *
 * PIM refers to principals by DN: activations and eligibility name them
 * in pimPrincipal, roles hold them in member and pimManagedMember.  When
 * a principal's entry is renamed (or an ancestor of it), that state
 * follows the entry; when it is deleted, its open activations end
 * (revoked, with the reason), its eligibility goes, and so do the values
 * PIM gave it, so that whoever is created later with the same DN
 * inherits nothing.  Both run after the backend did the client's write.
 *
 * Static member values of a deleted or renamed principal are the
 * site's: slapo-refint and slapo-memberof fix them, and their fix-ups on
 * PIM roles pass (pim_door2.c recognises them).
 */
#include "pim.h"

static const struct berval pim_why_deleted = BER_BVC( "the principal's "
	"entry was deleted" );

/* --- a principal deleted ------------------------------------------------ */

int
pim_principal_deleted( Operation *op, pim_info *pi, struct berval *ndn )
{
	BerVarray acts = NULL, eligs = NULL;
	int i, ended, rc;

	rc = pim_search_principal_role( op, pi, "pimActivation", ndn, NULL,
		PIM_FILTER_OPEN,
		pim_collect_ndn, &acts );
	for ( i = 0; rc == LDAP_SUCCESS && acts && !BER_BVISNULL( &acts[i] ); i++ )
		rc = pim_activation_finish( op, pi, &acts[i], PIM_EV_REVOKE,
			&op->o_ndn, (struct berval *)&pim_why_deleted, &ended );
	ber_bvarray_free_x( acts, op->o_tmpmemctx );
	if ( rc != LDAP_SUCCESS )
		return rc;

	rc = pim_search_principal_role( op, pi, "pimEligibility", ndn, NULL,
		NULL,
		pim_collect_ndn, &eligs );
	for ( i = 0; rc == LDAP_SUCCESS && eligs && !BER_BVISNULL( &eligs[i] ); i++ ) {
		rc = pim_internal_delete( op, pi, &eligs[i] );
		if ( rc == LDAP_NO_SUCH_OBJECT )
			rc = LDAP_SUCCESS;
		if ( rc == LDAP_SUCCESS ) {
			pim_event_info e = { .ev_kind = PIM_EK_ELIG_REMOVED,
				.ev_principal = ndn, .ev_dn = &eligs[i],
				.ev_reason = &pim_why_deleted };

			pim_event( op, pi, &e );
		}
	}
	ber_bvarray_free_x( eligs, op->o_tmpmemctx );
	return rc;
}

/* --- a principal renamed ------------------------------------------------ */

/* dn rebased from old to new (old is a suffix of dn), on o_tmpmemctx. */
static void
pim_rebase( Operation *op, struct berval *dn, struct berval *old,
	struct berval *new, struct berval *out )
{
	out->bv_len = dn->bv_len - old->bv_len + new->bv_len;
	out->bv_val = op->o_tmpalloc( out->bv_len + 1, op->o_tmpmemctx );
	memcpy( out->bv_val, dn->bv_val, dn->bv_len - old->bv_len );
	memcpy( out->bv_val + dn->bv_len - old->bv_len, new->bv_val,
		new->bv_len );
	out->bv_val[out->bv_len] = '\0';
}

typedef struct pim_moved {
	struct berval	*mv_old, *mv_new;
	AttributeDescription *mv_ad;	/* the attribute to look at */
	BerVarray	mv_dns;		/* entries to change (tmpmem) */
	BerVarray	mv_vals;	/* ... the old value in each */
} pim_moved;

/* Collects (entry, value) for each value of mv_ad at or below mv_old. */
static int
pim_moved_entry( Operation *op, Entry *e, void *arg )
{
	pim_moved *mv = arg;
	Attribute *a = attr_find( e->e_attrs, mv->mv_ad );
	struct berval dn, v;
	unsigned i;

	for ( i = 0; a != NULL && i < a->a_numvals; i++ ) {
		struct berval *nv = a->a_nvals ? &a->a_nvals[i] : &a->a_vals[i];

		if ( !dnIsSuffix( nv, mv->mv_old ) )
			continue;
		ber_dupbv_x( &dn, &e->e_nname, op->o_tmpmemctx );
		ber_bvarray_add_x( &mv->mv_dns, &dn, op->o_tmpmemctx );
		ber_dupbv_x( &v, nv, op->o_tmpmemctx );
		ber_bvarray_add_x( &mv->mv_vals, &v, op->o_tmpmemctx );
	}
	return LDAP_SUCCESS;
}

static void
pim_moved_free( Operation *op, pim_moved *mv )
{
	ber_bvarray_free_x( mv->mv_dns, op->o_tmpmemctx );
	ber_bvarray_free_x( mv->mv_vals, op->o_tmpmemctx );
	mv->mv_dns = mv->mv_vals = NULL;
}

/* Filter for entries whose ad names old or (subtree) anything: a leaf
 * is found through the equality index. */
static char *
pim_moved_filter( Operation *op, const char *oc, AttributeDescription *ad,
	struct berval *old, int subtree )
{
	struct berval esc = BER_BVC( "*" );
	char *f;
	size_t len;

	if ( !subtree )
		filter_escape_value_x( old, &esc, op->o_tmpmemctx );
	len = strlen( oc ) + ad->ad_cname.bv_len + esc.bv_len + 32;
	f = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( f, len, "(&(objectClass=%s)(%s=%s))", oc,
		ad->ad_cname.bv_val, esc.bv_val );
	if ( !subtree )
		op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	return f;
}

/* PIM's records: ad (pimPrincipal, or the group in pimEligibleThrough)
 * follows. */
static int
pim_follow_records_ad( Operation *op, pim_info *pi, pim_moved *mv,
	int subtree, AttributeDescription *ad )
{
	char *filter = pim_moved_filter( op, "pimActivation", ad,
		mv->mv_old, subtree );
	int i, rc;

	mv->mv_ad = ad;
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_moved_entry, mv );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	filter = pim_moved_filter( op, "pimEligibility", ad,
		mv->mv_old, subtree );
	if ( rc == LDAP_SUCCESS )
		rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
			pim_moved_entry, mv );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	for ( i = 0; rc == LDAP_SUCCESS && mv->mv_dns &&
		!BER_BVISNULL( &mv->mv_dns[i] ); i++ )
	{
		struct berval nv;
		pim_modlist ml;

		pim_rebase( op, &mv->mv_vals[i], mv->mv_old, mv->mv_new, &nv );
		ml.ml_n = 0;
		pim_ml_add( &ml, LDAP_MOD_REPLACE, ad, &nv );
		rc = pim_internal_modify( op, pi, &mv->mv_dns[i], pim_ml_head( &ml ) );
		op->o_tmpfree( nv.bv_val, op->o_tmpmemctx );
	}
	pim_moved_free( op, mv );
	return rc;
}

static int
pim_follow_records( Operation *op, pim_info *pi, pim_moved *mv, int subtree )
{
	int rc = pim_follow_records_ad( op, pi, mv, subtree, pim_ad_principal );

	if ( rc == LDAP_SUCCESS )
		rc = pim_follow_records_ad( op, pi, mv, subtree, pim_ad_through );
	return rc;
}

/* The roles: the values PIM gave follow (member and pimManagedMember
 * in one write, soft, so that a memberof or refint fix-up that came
 * first changes nothing here). */
static int
pim_follow_roles( Operation *op, pim_info *pi, pim_moved *mv, int subtree )
{
	char *filter = pim_moved_filter( op, "pimRole", pim_ad_managed_member,
		mv->mv_old, subtree );
	int i, s, rc = LDAP_SUCCESS;

	mv->mv_ad = pim_ad_managed_member;
	for ( s = 0; rc == LDAP_SUCCESS && !BER_BVISNULL( &pi->pi_db->be_nsuffix[s] ); s++ )
		rc = pim_internal_search( op, pi, &pi->pi_db->be_nsuffix[s], filter,
			pim_moved_entry, mv );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	for ( i = 0; rc == LDAP_SUCCESS && mv->mv_dns &&
		!BER_BVISNULL( &mv->mv_dns[i] ); i++ )
	{
		const pim_role_kind *kind = NULL;
		struct berval nv;
		pim_modlist ml;

		/* a uid kind's value does not name the DN: only the
		 * provenance follows the rename */
		(void)pim_role_kind_of( op, pi, &mv->mv_dns[i], &kind );
		pim_rebase( op, &mv->mv_vals[i], mv->mv_old, mv->mv_new, &nv );
		ml.ml_n = 0;
		if ( kind == NULL || kind->rk_form == PIM_FORM_DN ) {
			AttributeDescription *mad = kind ? kind->rk_ad : pim_ad_member;

			pim_ml_add( &ml, SLAP_MOD_SOFTADD, mad, &nv );
			pim_ml_add( &ml, SLAP_MOD_SOFTDEL, mad, &mv->mv_vals[i] );
		}
		pim_ml_add( &ml, SLAP_MOD_SOFTADD, pim_ad_managed_member, &nv );
		pim_ml_add( &ml, SLAP_MOD_SOFTDEL, pim_ad_managed_member,
			&mv->mv_vals[i] );
		rc = pim_internal_modify( op, pi, &mv->mv_dns[i], pim_ml_head( &ml ) );
		op->o_tmpfree( nv.bv_val, op->o_tmpmemctx );
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	pim_moved_free( op, mv );
	return rc;
}

/* old was renamed to new; subtree: it had entries below it, which
 * moved too. */
int
pim_principal_renamed( Operation *op, pim_info *pi, struct berval *old,
	struct berval *new, int subtree )
{
	pim_moved mv = { old, new, NULL, NULL, NULL };
	int rc;

	rc = pim_follow_records( op, pi, &mv, subtree );
	if ( rc == LDAP_SUCCESS )
		rc = pim_follow_roles( op, pi, &mv, subtree );
	{
		pim_event_info e = { .ev_kind = PIM_EK_PRINCIPAL_RENAMED,
			.ev_principal = new, .ev_dn = old, .ev_result = rc,
			.ev_text = rc == LDAP_SUCCESS ? NULL :
				"PIM's records could not all follow the rename" };

		pim_event( op, pi, &e );
	}
	return rc;
}

/* --- a principal's uid changed ------------------------------------------ */

/* One role that lists ndn in pimManagedMember: its uid kind's value of
 * ndn goes from old to new.  Caller holds pi_member_mutex. */
static int
pim_uid_follow_role( Operation *op, pim_info *pi, struct berval *role,
	struct berval *old, struct berval *new )
{
	const pim_role_kind *kind = NULL, *mirror = NULL;
	struct berval nold = BER_BVNULL, nnew = BER_BVNULL;
	pim_modlist ml;
	int rc;

	/* the uid is the kind's value, or its mirror's (RFC 2307bis) */
	if ( pim_role_kinds_of( op, pi, role, &kind, &mirror ) != LDAP_SUCCESS )
		return LDAP_SUCCESS;
	if ( kind->rk_form != PIM_FORM_UID )
		kind = mirror;
	if ( kind == NULL )
		return LDAP_SUCCESS;
	/* a new uid a client would read as a token is not written: the
	 * old value goes, and the activation holds nothing there */
	if ( new != NULL && !pim_uid_is_plain( new ) )
		new = NULL;
	rc = pim_kind_normalize( op, kind, old, &nold );
	if ( rc == LDAP_SUCCESS && new != NULL )
		rc = pim_kind_normalize( op, kind, new, &nnew );
	if ( rc == LDAP_SUCCESS && ( new == NULL || !bvmatch( &nold, &nnew ) ) ) {
		ml.ml_n = 0;
		pim_ml_add( &ml, SLAP_MOD_SOFTDEL, kind->rk_ad, &nold );
		if ( new != NULL )
			pim_ml_add( &ml, SLAP_MOD_SOFTADD, kind->rk_ad, &nnew );
		rc = pim_internal_modify( op, pi, role, pim_ml_head( &ml ) );
	}
	if ( !BER_BVISNULL( &nold ) )
		op->o_tmpfree( nold.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &nnew ) )
		op->o_tmpfree( nnew.bv_val, op->o_tmpmemctx );
	return rc;
}

int
pim_principal_uid_changed( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *old )
{
	BerVarray roles = NULL;
	struct berval uid = BER_BVNULL;
	char *filter;
	int i, s, rc;

	if ( ( filter = pim_filter_eq( op, "pimManagedMember", ndn ) ) == NULL )
		return LDAP_OTHER;
	for ( s = 0, rc = LDAP_SUCCESS; rc == LDAP_SUCCESS &&
		!BER_BVISNULL( &pi->pi_db->be_nsuffix[s] ); s++ )
		rc = pim_internal_search_ext( op, pi, &pi->pi_db->be_nsuffix[s],
			LDAP_SCOPE_SUBTREE, filter, slap_anlist_no_attrs,
			SLAP_NO_LIMIT, pim_collect_ndn, &roles );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	(void)pim_principal_uid( op, pi, ndn, &uid );	/* none: the value goes */
	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	for ( i = 0; rc == LDAP_SUCCESS && roles && !BER_BVISNULL( &roles[i] ); i++ )
		rc = pim_uid_follow_role( op, pi, &roles[i], old,
			BER_BVISNULL( &uid ) ? NULL : &uid );
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	if ( !BER_BVISNULL( &uid ) )
		op->o_tmpfree( uid.bv_val, op->o_tmpmemctx );
	ber_bvarray_free_x( roles, op->o_tmpmemctx );
	return rc;
}

/* Does role already hold val (ndn's uid to be) as a value of the uid
 * kind (or mirror) PIM writes there? */
static int
pim_uid_taken( Operation *op, pim_info *pi, struct berval *role,
	struct berval *val, struct berval *cur )
{
	const pim_role_kind *kind = NULL, *mirror = NULL;
	struct berval nval = BER_BVNULL, ncur = BER_BVNULL;
	Entry *e = NULL;
	int taken = 0;

	if ( pim_role_kinds_of( op, pi, role, &kind, &mirror ) != LDAP_SUCCESS )
		return 0;
	if ( kind->rk_form != PIM_FORM_UID )
		kind = mirror;
	if ( kind == NULL || pim_kind_normalize( op, kind, val, &nval ) !=
		LDAP_SUCCESS )
		return 0;
	/* the same value as now (a move, a rewrite): its own, not taken */
	if ( cur != NULL && pim_kind_normalize( op, kind, cur, &ncur ) ==
		LDAP_SUCCESS && bvmatch( &nval, &ncur ) )
		goto done;
	if ( pim_entry_get( op, pi, role, &e ) == LDAP_SUCCESS ) {
		taken = pim_attr_has_dn( attr_find( e->e_attrs, kind->rk_ad ),
			&nval );
		pim_entry_release( op, pi, e );
	}
done:
	op->o_tmpfree( nval.bv_val, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &ncur ) )
		op->o_tmpfree( ncur.bv_val, op->o_tmpmemctx );
	return taken;
}

/* Before ndn's uid becomes val: a role where PIM gave ndn its uid, and
 * which holds val already (a static value, or another principal's with
 * the same uid), would leave PIM unable to tell the two apart, and its
 * end would take the other's value.  LDAP_CONSTRAINT_VIOLATION then. */
int
pim_uid_change_check( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *val, const char **text )
{
	BerVarray roles = NULL;
	struct berval cur = BER_BVNULL;
	char *filter;
	int i, s, rc = LDAP_SUCCESS;

	if ( val == NULL || BER_BVISEMPTY( val ) ||
		( filter = pim_filter_eq( op, "pimManagedMember", ndn ) ) == NULL )
		return LDAP_SUCCESS;
	(void)pim_principal_uid( op, pi, ndn, &cur );
	for ( s = 0; !BER_BVISNULL( &pi->pi_db->be_nsuffix[s] ); s++ )
		(void)pim_internal_search_ext( op, pi, &pi->pi_db->be_nsuffix[s],
			LDAP_SCOPE_SUBTREE, filter, slap_anlist_no_attrs,
			SLAP_NO_LIMIT, pim_collect_ndn, &roles );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	for ( i = 0; roles && !BER_BVISNULL( &roles[i] ); i++ ) {
		if ( pim_uid_taken( op, pi, &roles[i], val,
			BER_BVISNULL( &cur ) ? NULL : &cur ) ) {
			*text = "a role where PIM gave this entry its uid holds the "
				"new uid already: end the activation first";
			rc = LDAP_CONSTRAINT_VIOLATION;
			break;
		}
	}
	ber_bvarray_free_x( roles, op->o_tmpmemctx );
	if ( !BER_BVISNULL( &cur ) )
		op->o_tmpfree( cur.bv_val, op->o_tmpmemctx );
	return rc;
}

/* --- another overlay's fix-up ------------------------------------------- */

/* slapo-refint or slapo-memberof took old out of role's members (and
 * put new in, on a rename): if PIM had given old, pimManagedMember
 * follows, so that provenance stays true whichever overlay came first. */
int
pim_member_fixup( Operation *op, pim_info *pi, struct berval *role,
	struct berval *old, struct berval *new )
{
	Entry *e = NULL;
	pim_modlist ml;
	int rc, managed;

	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	rc = pim_entry_get( op, pi, role, &e );
	if ( rc != LDAP_SUCCESS )
		goto done;
	managed = pim_attr_has_dn( attr_find( e->e_attrs, pim_ad_managed_member ),
		old );
	pim_entry_release( op, pi, e );
	if ( !managed )
		goto done;
	ml.ml_n = 0;
	pim_ml_add( &ml, SLAP_MOD_SOFTDEL, pim_ad_managed_member, old );
	if ( new != NULL && !BER_BVISEMPTY( new ) )
		pim_ml_add( &ml, SLAP_MOD_SOFTADD, pim_ad_managed_member, new );
	rc = pim_internal_modify( op, pi, role, pim_ml_head( &ml ) );
done:
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	return rc;
}

/* --- renames in flight --------------------------------------------------- */

/* From the rename's hook to the end of its operation.  Few at a time:
 * a list. */
struct pim_rename {
	struct pim_rename	*rn_next;
	struct berval		rn_old, rn_new;	/* ch_malloc */
};

void
pim_rename_begin( pim_info *pi, struct berval *old, struct berval *new )
{
	struct pim_rename *rn = ch_calloc( 1, sizeof( *rn ) );

	ber_dupbv( &rn->rn_old, old );
	ber_dupbv( &rn->rn_new, new );
	ldap_pvt_thread_mutex_lock( &pi->pi_rename_mutex );
	rn->rn_next = pi->pi_renames;
	pi->pi_renames = rn;
	ldap_pvt_thread_mutex_unlock( &pi->pi_rename_mutex );
}

void
pim_rename_end( pim_info *pi, struct berval *old )
{
	struct pim_rename **p, *rn = NULL;

	ldap_pvt_thread_mutex_lock( &pi->pi_rename_mutex );
	for ( p = &pi->pi_renames; *p != NULL; p = &( *p )->rn_next ) {
		if ( dn_match( &( *p )->rn_old, old ) ) {
			rn = *p;
			*p = rn->rn_next;
			break;
		}
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_rename_mutex );
	if ( rn != NULL ) {
		ch_free( rn->rn_old.bv_val );
		ch_free( rn->rn_new.bv_val );
		ch_free( rn );
	}
}

int
pim_rename_names( pim_info *pi, struct berval *dn, int which )
{
	struct pim_rename *rn;
	int found = 0;

	ldap_pvt_thread_mutex_lock( &pi->pi_rename_mutex );
	for ( rn = pi->pi_renames; rn != NULL && !found; rn = rn->rn_next )
		found = dn_match( which ? &rn->rn_new : &rn->rn_old, dn );
	ldap_pvt_thread_mutex_unlock( &pi->pi_rename_mutex );
	return found;
}
