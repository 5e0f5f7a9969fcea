/* pim_member.c - materializing and removing membership values.
 *
 * Provenance lives on the role: pimManagedMember lists the member values
 * PIM added.  PIM adds a value only when the user is not a member yet,
 * and removes only values it added, and only when no active activation
 * of that user for that role remains.  So a static member keeps their
 * membership, overlapping activations keep it until the last one ends,
 * and an administrator can see at a glance which members are just in
 * time.
 *
 * groupOfNames and groupOfUniqueNames must keep at least one member.
 * When PIM removes the last one it leaves the configured placeholder
 * (pim-placeholder, by default the PIM container's DN: an entry nobody
 * binds as) and takes it out again when it adds a real member.
 *
 * Both directions run under pi_member_mutex, so that the decision and
 * the write cannot interleave with another activation's.
 */
#include "pim.h"

AttributeDescription *
pim_role_member_ad( Entry *role )
{
	if ( is_entry_objectclass_or_sub( role, pim_oc_group_of_unique_names ) )
		return pim_ad_unique_member;
	return pim_ad_member;
}

static int
pim_attr_has( Entry *e, AttributeDescription *ad, struct berval *nval )
{
	return pim_attr_has_dn( attr_find( e->e_attrs, ad ), nval );
}

static int
pim_role_needs_member( Entry *role )
{
	return is_entry_objectclass_or_sub( role, pim_oc_group_of_names ) ||
		is_entry_objectclass_or_sub( role, pim_oc_group_of_unique_names );
}

/* SOFTADD or SOFTDEL of memberOf=role on the user.  A user outside this
 * database has no entry to write to: that is not an error for the role. */
static int
pim_member_of_update( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, short modop )
{
	Modifications mod;
	struct berval vals[2];
	int rc;

	vals[0] = *role;
	BER_BVZERO( &vals[1] );
	pim_mod_init( &mod, modop, SLAP_MOD_INTERNAL, pim_ad_member_of, vals, vals );
	rc = pim_internal_modify( op, pi, user, &mod );
	if ( rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_REFERRAL )
		rc = LDAP_SUCCESS;
	return rc;
}

/* Does user already carry memberOf=role?  A read costs far less than a
 * synced, replicated write (the startup repair passes here for every
 * active activation).  A user outside this database: treat as present. */
static int
pim_user_has_member_of( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role )
{
	Entry *e = NULL;
	int has;

	if ( pim_entry_get( op, pi, user, &e ) != LDAP_SUCCESS )
		return 1;
	has = pim_attr_has( e, pim_ad_member_of, role );
	pim_entry_release( op, pi, e );
	return has;
}

int
pim_member_grant( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role )
{
	Entry *e = NULL;
	AttributeDescription *mad;
	Modifications mods[3];
	struct berval uvals[2], pvals[2];
	int rc, is_member, has_placeholder;

	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	rc = pim_entry_get( op, pi, role, &e );
	if ( rc != LDAP_SUCCESS )
		goto done;
	mad = pim_role_member_ad( e );
	is_member = pim_attr_has( e, mad, user );
	has_placeholder = pim_attr_has( e, mad, &pi->pi_nplaceholder );
	pim_entry_release( op, pi, e );

	/* A static member, or one another activation already made: only
	 * the user's memberOf may be missing (a crash between the writes). */
	if ( is_member ) {
		if ( !pim_user_has_member_of( op, pi, user, role ) )
			rc = pim_member_of_update( op, pi, user, role, SLAP_MOD_SOFTADD );
		goto done;
	}

	uvals[0] = *user;
	BER_BVZERO( &uvals[1] );
	pvals[0] = pi->pi_nplaceholder;
	BER_BVZERO( &pvals[1] );
	pim_mod_init( &mods[0], SLAP_MOD_SOFTADD, 0, mad, uvals, uvals );
	pim_mod_init( &mods[1], SLAP_MOD_SOFTADD, 0, pim_ad_managed_member,
		uvals, uvals );
	mods[0].sml_next = &mods[1];
	if ( has_placeholder ) {
		pim_mod_init( &mods[2], SLAP_MOD_SOFTDEL, 0, mad, pvals, pvals );
		mods[1].sml_next = &mods[2];
	}
	rc = pim_internal_modify( op, pi, role, &mods[0] );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_member_of_update( op, pi, user, role, SLAP_MOD_SOFTADD );

done:
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	return rc;
}

/* Counts the entries it sees, but for one (the activation being ended,
 * which is still recorded active while its values go). */
typedef struct pim_count {
	long		pc_n;
	struct berval	*pc_except;	/* NULL: none */
} pim_count;

static int
pim_count_entry( Operation *op, Entry *e, void *arg )
{
	pim_count *pc = arg;

	if ( pc->pc_except == NULL || !dn_match( &e->e_nname, pc->pc_except ) )
		pc->pc_n++;
	return LDAP_SUCCESS;
}

/* Active activations of user for role, but for except. */
static int
pim_active_count( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, struct berval *except, long *count )
{
	pim_count pc = { 0, except };
	char *filter;
	int rc;

	filter = pim_filter_principal_role( op, "pimActivation", user, role,
		"(pimState=" PIM_STATE_ACTIVE ")" );
	rc = pim_internal_search( op, pi, &pi->pi_ncontainer, filter,
		pim_count_entry, &pc );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	*count = pc.pc_n;
	return rc;
}

/* Remove the values PIM gave user in role, unless an active activation
 * other than except still needs them.  Caller holds pi_member_mutex, so
 * that the count and the write are one decision. */
int
pim_member_release_locked( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, struct berval *except )
{
	Entry *e = NULL;
	AttributeDescription *mad;
	Attribute *a;
	Modifications mods[3];
	struct berval uvals[2], pvals[2];
	long active = 0;
	int rc, managed, is_member, last, needs_member;

	rc = pim_active_count( op, pi, user, role, except, &active );
	if ( rc != LDAP_SUCCESS || active > 0 )
		return rc;

	rc = pim_entry_get( op, pi, role, &e );
	if ( rc == LDAP_NO_SUCH_OBJECT ) {
		/* the role is gone: only the user's memberOf is left to undo */
		return pim_member_of_update( op, pi, user, role, SLAP_MOD_SOFTDEL );
	}
	if ( rc != LDAP_SUCCESS )
		return rc;
	mad = pim_role_member_ad( e );
	managed = pim_attr_has( e, pim_ad_managed_member, user );
	is_member = pim_attr_has( e, mad, user );
	a = attr_find( e->e_attrs, mad );
	last = a != NULL && a->a_numvals == 1 && is_member;
	needs_member = pim_role_needs_member( e );
	pim_entry_release( op, pi, e );

	/* Not ours: a static member (kept), or already removed, when only
	 * the user's memberOf may be left (a crash between the writes). */
	if ( !managed ) {
		if ( !is_member )
			rc = pim_member_of_update( op, pi, user, role, SLAP_MOD_SOFTDEL );
		return rc;
	}

	uvals[0] = *user;
	BER_BVZERO( &uvals[1] );
	pvals[0] = pi->pi_nplaceholder;
	BER_BVZERO( &pvals[1] );
	pim_mod_init( &mods[0], SLAP_MOD_SOFTDEL, 0, mad, uvals, uvals );
	pim_mod_init( &mods[1], SLAP_MOD_SOFTDEL, 0, pim_ad_managed_member,
		uvals, uvals );
	mods[0].sml_next = &mods[1];
	pim_mod_init( &mods[2], SLAP_MOD_SOFTADD, 0, mad, pvals, pvals );
	if ( last && needs_member )
		mods[1].sml_next = &mods[2];
	rc = pim_internal_modify( op, pi, role, &mods[0] );
	/* The other members went meanwhile (another provider's removal,
	 * replicated between the read and the write): this one was the
	 * last after all, so the placeholder comes with it. */
	if ( rc == LDAP_OBJECT_CLASS_VIOLATION && needs_member && !last ) {
		mods[1].sml_next = &mods[2];
		rc = pim_internal_modify( op, pi, role, &mods[0] );
	}
	if ( rc != LDAP_SUCCESS )
		return rc;
	return pim_member_of_update( op, pi, user, role, SLAP_MOD_SOFTDEL );
}

/* An administrator deletes user's static value of role: when active
 * activations (or assignments) of user hold the role, which PIM did not
 * add a value for since the static one was there, the value stays as
 * PIM's (pimManagedMember), to go when the last of them ends; otherwise
 * it goes now.  This is how a static member is moved under PIM. */
int
pim_member_unstatic( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, AttributeDescription *mad, int *kept )
{
	pim_modlist ml;
	long active = 0;
	int rc;

	*kept = 0;
	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	rc = pim_active_count( op, pi, user, role, NULL, &active );
	if ( rc == LDAP_SUCCESS ) {
		ml.ml_n = 0;
		pim_ml_add( &ml, active > 0 ? SLAP_MOD_SOFTADD : SLAP_MOD_SOFTDEL,
			active > 0 ? pim_ad_managed_member : mad, user );
		rc = pim_internal_modify( op, pi, role, pim_ml_head( &ml ) );
		*kept = active > 0;
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	return rc;
}

int
pim_member_release( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, struct berval *except )
{
	int rc;

	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	rc = pim_member_release_locked( op, pi, user, role, except );
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	return rc;
}

/* Remove memberOf=role from user, nothing else (the reconciliation's
 * repair of a value a crash left behind). */
int
pim_member_of_drop( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role )
{
	return pim_member_of_update( op, pi, user, role, SLAP_MOD_SOFTDEL );
}
