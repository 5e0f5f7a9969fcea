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
 * The value is the one the role's kind takes (pim_kind.c): the user's DN,
 * or the user's uid; memberOf is written for DN kinds only.  A role
 * with a mirror (RFC 2307bis, pim-memberuid-sync) gets the user's uid in
 * memberUid in the same write as the DN, and loses it with the DN.  A class
 * that requires its attribute (groupOfNames, groupOfUniqueNames) must
 * keep at least one value.  When PIM removes the last one it leaves the
 * configured placeholder
 * (pim-placeholder, by default the PIM container's DN: an entry nobody
 * binds as) and takes it out again when it adds a real member.
 *
 * Both directions run under pi_member_mutex, so that the decision and
 * the write cannot interleave with another activation's.
 */
#include "pim.h"

/* What a role holds for one principal, read in one look at the role. */
typedef struct pim_role_facts {
	const pim_role_kind *rf_kind;
	const pim_role_kind *rf_mirror;	/* NULL: none */
	int		rf_mirrored;	/* the mirror has the user's uid */
	int		rf_member;	/* the kind's attribute has the value */
	int		rf_managed;	/* pimManagedMember has the principal */
	int		rf_placeholder;	/* the attribute has the placeholder */
	unsigned	rf_nvals;	/* the attribute's values */
} pim_role_facts;

/* The placeholder in a kind's form: a DN nobody binds as, or for a uid
 * kind the same string, which no uid has. */
static struct berval *
pim_placeholder_of( pim_info *pi, const pim_role_kind *kind )
{
	return kind->rk_form == PIM_FORM_DN ? &pi->pi_nplaceholder :
		&pi->pi_placeholder;
}

/* The kind of role, user's value in it (release with pim_value_free)
 * and what the role holds.  The role is read twice for a uid kind: its
 * kind says whether the user's entry must be read for the value. */
static int
pim_role_facts_get( Operation *op, pim_info *pi, struct berval *role,
	struct berval *user, pim_value *v, pim_value *mv, pim_role_facts *rf )
{
	Entry *e = NULL;
	Attribute *a;
	int rc;

	memset( rf, 0, sizeof( *rf ) );
	memset( v, 0, sizeof( *v ) );
	memset( mv, 0, sizeof( *mv ) );
	rc = pim_role_kinds_of( op, pi, role, &rf->rf_kind, &rf->rf_mirror );
	/* a uid kind's principal without a uid (any more) has no value:
	 * there is nothing to grant, and only provenance to release */
	if ( rc == LDAP_SUCCESS &&
		pim_kind_value( op, pi, rf->rf_kind, user, v ) != LDAP_SUCCESS )
		BER_BVZERO( &v->pv_nval );
	if ( rc == LDAP_SUCCESS && rf->rf_mirror != NULL &&
		pim_kind_value( op, pi, rf->rf_mirror, user, mv ) != LDAP_SUCCESS )
		BER_BVZERO( &mv->pv_nval );
	if ( rc == LDAP_SUCCESS )
		rc = pim_entry_get( op, pi, role, &e );
	if ( rc != LDAP_SUCCESS ) {
		pim_value_free( op, v );
		pim_value_free( op, mv );
		return rc;
	}
	rf->rf_mirrored = rf->rf_mirror != NULL && !BER_BVISNULL( &mv->pv_nval ) &&
		pim_attr_has_dn( attr_find( e->e_attrs, rf->rf_mirror->rk_ad ),
		&mv->pv_nval );
	a = attr_find( e->e_attrs, rf->rf_kind->rk_ad );
	rf->rf_member = !BER_BVISNULL( &v->pv_nval ) &&
		pim_attr_has_dn( a, &v->pv_nval );
	rf->rf_placeholder = pim_attr_has_dn( a, pim_placeholder_of( pi,
		rf->rf_kind ) );
	rf->rf_nvals = a != NULL ? a->a_numvals : 0;
	rf->rf_managed = pim_attr_has_dn( attr_find( e->e_attrs,
		pim_ad_managed_member ), user );
	pim_entry_release( op, pi, e );
	return LDAP_SUCCESS;
}

/* SOFTADD or SOFTDEL of memberOf=role on the user, for a DN kind (a uid
 * kind has no memberOf).  A user outside this database has no entry to
 * write to: that is not an error for the role. */
static int
pim_member_of_update( Operation *op, pim_info *pi, const pim_role_kind *kind,
	struct berval *user, struct berval *role, short modop )
{
	Modifications mod;
	struct berval vals[2];
	int rc;

	if ( kind != NULL && kind->rk_form != PIM_FORM_DN )
		return LDAP_SUCCESS;
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
	has = pim_attr_has_dn( attr_find( e->e_attrs, pim_ad_member_of ), role );
	pim_entry_release( op, pi, e );
	return has;
}

/* PIM's value is there but not its mirror's (pim-memberuid-sync turned
 * on since, or a crash): the mirror catches up. */
static int
pim_mirror_repair( Operation *op, pim_info *pi, struct berval *role,
	pim_role_facts *rf, pim_value *mv )
{
	pim_modlist ml;

	if ( rf->rf_mirror == NULL || rf->rf_mirrored || !rf->rf_managed ||
		BER_BVISNULL( &mv->pv_nval ) )
		return LDAP_SUCCESS;
	ml.ml_n = 0;
	pim_ml_add( &ml, SLAP_MOD_SOFTADD, rf->rf_mirror->rk_ad, &mv->pv_nval );
	return pim_internal_modify( op, pi, role, pim_ml_head( &ml ) );
}

int
pim_member_grant( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role )
{
	pim_role_facts rf;
	pim_value v, mv;
	pim_modlist ml;
	const pim_role_kind *k;
	int rc;

	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	rc = pim_role_facts_get( op, pi, role, user, &v, &mv, &rf );
	if ( rc != LDAP_SUCCESS )
		goto done;
	k = rf.rf_kind;
	if ( BER_BVISNULL( &v.pv_nval ) ||
		( k->rk_form == PIM_FORM_UID && !pim_uid_is_plain( &v.pv_val ) ) ||
		( rf.rf_mirror != NULL && !BER_BVISNULL( &mv.pv_nval ) &&
		!pim_uid_is_plain( &mv.pv_val ) ) ) {
		/* a uid kind: a user without uid, or a uid a client reads
		 * as a token (pim_uid_is_plain) */
		rc = LDAP_CONSTRAINT_VIOLATION;
		goto done;
	}
	if ( !rf.rf_member && rf.rf_mirrored ) {
		/* the mirror holds the uid already (the site's static value,
		 * or another entry's with the same uid): PIM could not tell
		 * its own from it at the end */
		rc = LDAP_CONSTRAINT_VIOLATION;
		goto done;
	}

	/* A static member, or one another activation already made: only
	 * the user's memberOf may be missing (a crash between the writes). */
	if ( rf.rf_member ) {
		rc = pim_mirror_repair( op, pi, role, &rf, &mv );
		if ( rc == LDAP_SUCCESS && k->rk_form == PIM_FORM_DN &&
			!pim_user_has_member_of( op, pi, user, role ) )
			rc = pim_member_of_update( op, pi, k, user, role,
				SLAP_MOD_SOFTADD );
		goto done;
	}

	ml.ml_n = 0;
	pim_ml_add( &ml, SLAP_MOD_SOFTADD, k->rk_ad, &v.pv_nval );
	if ( rf.rf_mirror != NULL && !BER_BVISNULL( &mv.pv_nval ) )
		pim_ml_add( &ml, SLAP_MOD_SOFTADD, rf.rf_mirror->rk_ad,
			&mv.pv_nval );
	pim_ml_add( &ml, SLAP_MOD_SOFTADD, pim_ad_managed_member, user );
	if ( rf.rf_placeholder )
		pim_ml_add( &ml, SLAP_MOD_SOFTDEL, k->rk_ad,
			pim_placeholder_of( pi, k ) );
	rc = pim_internal_modify( op, pi, role, pim_ml_head( &ml ) );
	if ( rc == LDAP_SUCCESS )
		rc = pim_member_of_update( op, pi, k, user, role, SLAP_MOD_SOFTADD );

done:
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	pim_value_free( op, &v );
	pim_value_free( op, &mv );
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
	int rc;

	rc = pim_search_principal_role( op, pi, "pimActivation", user, role,
		"(pimState=" PIM_STATE_ACTIVE ")",
		pim_count_entry, &pc );
	*count = pc.pc_n;
	return rc;
}

/* --- a role's releases in one write ------------------------------------ */

/* The values several principals' releases take out of one role, written
 * by pim_member_release_flush as one modify: the timer's batched expiry
 * rewrites a role of a thousand members once, not once per activation.
 * Owns its value arrays (ch_malloc); the role is the caller's. */
struct pim_release_batch {
	struct berval	rb_role;
	const pim_role_kind *rb_kind, *rb_mirror;
	BerVarray	rb_vals;	/* the kind's values */
	BerVarray	rb_mvals;	/* the mirror's */
	BerVarray	rb_users;	/* pimManagedMember, then memberOf */
	unsigned	rb_members;	/* the kind's values the role holds */
	unsigned	rb_taken;	/* of those, the batch's */
};

pim_release_batch *
pim_release_batch_new( struct berval *role )
{
	pim_release_batch *rb = ch_calloc( 1, sizeof( *rb ) );

	rb->rb_role = *role;
	return rb;
}

static void
pim_release_batch_clear( pim_release_batch *rb )
{
	ber_bvarray_free( rb->rb_vals );
	ber_bvarray_free( rb->rb_mvals );
	ber_bvarray_free( rb->rb_users );
}

void
pim_release_batch_free( pim_release_batch *rb )
{
	if ( rb == NULL )
		return;
	pim_release_batch_clear( rb );
	ch_free( rb );
}

static void
pim_release_batch_add( pim_release_batch *rb, pim_role_facts *rf,
	pim_value *v, pim_value *mv, struct berval *user )
{
	rb->rb_kind = rf->rf_kind;
	rb->rb_mirror = rf->rf_mirror;
	/* nothing leaves the role before the flush: each read counts all */
	rb->rb_members = rf->rf_nvals;
	if ( !BER_BVISNULL( &v->pv_nval ) )
		value_add_one( &rb->rb_vals, &v->pv_nval );
	rb->rb_taken += rf->rf_member;
	if ( rf->rf_mirror != NULL && !BER_BVISNULL( &mv->pv_nval ) )
		value_add_one( &rb->rb_mvals, &mv->pv_nval );
	value_add_one( &rb->rb_users, user );
}

/* One modify of the role takes out every value the batch holds (soft
 * deletes: a value gone meanwhile is no error); the placeholder comes
 * in when they were the last.  Then each user's memberOf is for
 * pim_member_release_finish.  A single release is a batch of one. */
int
pim_member_release_flush( Operation *op, pim_info *pi, pim_release_batch *rb )
{
	Modifications mods[4], *head;
	struct berval ph[2];
	int n, rc, placeholder;

	if ( rb->rb_users == NULL )
		return LDAP_SUCCESS;
	/* the batch takes the role's last values: the placeholder comes in
	 * the same write */
	placeholder = rb->rb_kind->rk_required && rb->rb_taken > 0 &&
		rb->rb_taken >= rb->rb_members;
	for ( ;; ) {
		n = 0;
		if ( rb->rb_vals != NULL )
			pim_mod_init( &mods[n++], SLAP_MOD_SOFTDEL, SLAP_MOD_INTERNAL,
				rb->rb_kind->rk_ad, rb->rb_vals, rb->rb_vals );
		if ( rb->rb_mvals != NULL )
			pim_mod_init( &mods[n++], SLAP_MOD_SOFTDEL, SLAP_MOD_INTERNAL,
				rb->rb_mirror->rk_ad, rb->rb_mvals, rb->rb_mvals );
		pim_mod_init( &mods[n++], SLAP_MOD_SOFTDEL, SLAP_MOD_INTERNAL,
			pim_ad_managed_member, rb->rb_users, rb->rb_users );
		if ( placeholder ) {
			ph[0] = *pim_placeholder_of( pi, rb->rb_kind );
			BER_BVZERO( &ph[1] );
			pim_mod_init( &mods[n++], SLAP_MOD_SOFTADD, SLAP_MOD_INTERNAL,
				rb->rb_kind->rk_ad, ph, ph );
		}
		for ( head = NULL; n > 0; n-- ) {
			mods[n - 1].sml_next = head;
			head = &mods[n - 1];
		}
		rc = pim_internal_modify( op, pi, &rb->rb_role, head );
		/* The other members went meanwhile (another provider's
		 * removal, replicated between the read and the write): these
		 * were the last after all, so the placeholder comes too. */
		if ( rc != LDAP_OBJECT_CLASS_VIOLATION ||
			!rb->rb_kind->rk_required || placeholder )
			break;
		placeholder = 1;
	}
	return rc;
}

/* After a flush: the user's memberOf=role goes. */
int
pim_member_release_finish( Operation *op, pim_info *pi, pim_release_batch *rb,
	struct berval *user )
{
	return pim_member_of_update( op, pi, rb->rb_kind, user, &rb->rb_role,
		SLAP_MOD_SOFTDEL );
}

/* Remove the values PIM gave user in role, unless an active activation
 * other than except still needs them.  Caller holds pi_member_mutex, so
 * that the count and the write are one decision.  With rb, a write of
 * the role is left to pim_member_release_flush (*deferred set), and
 * what needs no write of the role is done now. */
int
pim_member_release_into( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, struct berval *except, pim_release_batch *rb,
	int *deferred )
{
	pim_role_facts rf;
	pim_value v, mv;
	pim_release_batch one;
	const pim_role_kind *k;
	long active = 0;
	int rc;

	if ( deferred != NULL )
		*deferred = 0;
	rc = pim_active_count( op, pi, user, role, except, &active );
	if ( rc != LDAP_SUCCESS || active > 0 )
		return rc;

	rc = pim_role_facts_get( op, pi, role, user, &v, &mv, &rf );
	if ( rc == LDAP_NO_SUCH_OBJECT ) {
		/* the role is gone: only the user's memberOf is left to undo */
		return pim_member_of_update( op, pi, NULL, user, role,
			SLAP_MOD_SOFTDEL );
	}
	if ( rc != LDAP_SUCCESS )
		return rc;
	k = rf.rf_kind;

	/* Not ours: a static member (kept), or already removed, when only
	 * the user's memberOf may be left (a crash between the writes). */
	if ( !rf.rf_managed ) {
		if ( !rf.rf_member )
			rc = pim_member_of_update( op, pi, k, user, role,
				SLAP_MOD_SOFTDEL );
		goto done;
	}

	if ( rb != NULL ) {
		pim_release_batch_add( rb, &rf, &v, &mv, user );
		*deferred = 1;
		goto done;
	}
	memset( &one, 0, sizeof( one ) );
	one.rb_role = *role;
	pim_release_batch_add( &one, &rf, &v, &mv, user );
	rc = pim_member_release_flush( op, pi, &one );
	if ( rc == LDAP_SUCCESS )
		rc = pim_member_release_finish( op, pi, &one, user );
	pim_release_batch_clear( &one );
done:
	pim_value_free( op, &v );
	pim_value_free( op, &mv );
	return rc;
}

/* An administrator deletes user's static value of role: when active
 * activations (or assignments) of user hold the role, which PIM did not
 * add a value for since the static one was there, the value stays as
 * PIM's (pimManagedMember), to go when the last of them ends; otherwise
 * it goes now.  This is how a static member is moved under PIM. */
int
pim_member_unstatic( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, int *kept )
{
	const pim_role_kind *kind;
	pim_modlist ml;
	pim_value v;
	long active = 0;
	int rc;

	*kept = 0;
	memset( &v, 0, sizeof( v ) );
	ldap_pvt_thread_mutex_lock( &pi->pi_member_mutex );
	rc = pim_role_kind_of( op, pi, role, &kind );
	if ( rc == LDAP_SUCCESS )
		rc = pim_kind_value( op, pi, kind, user, &v );
	if ( rc == LDAP_SUCCESS )
		rc = pim_active_count( op, pi, user, role, NULL, &active );
	if ( rc == LDAP_SUCCESS ) {
		ml.ml_n = 0;
		if ( active > 0 )
			pim_ml_add( &ml, SLAP_MOD_SOFTADD, pim_ad_managed_member, user );
		else
			pim_ml_add( &ml, SLAP_MOD_SOFTDEL, kind->rk_ad, &v.pv_nval );
		rc = pim_internal_modify( op, pi, role, pim_ml_head( &ml ) );
		*kept = active > 0;
	}
	ldap_pvt_thread_mutex_unlock( &pi->pi_member_mutex );
	pim_value_free( op, &v );
	return rc;
}

int
pim_member_release_locked( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, struct berval *except )
{
	return pim_member_release_into( op, pi, user, role, except, NULL, NULL );
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
	return pim_member_of_update( op, pi, NULL, user, role, SLAP_MOD_SOFTDEL );
}
