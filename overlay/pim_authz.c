/* pim_authz.c - who is a PIM administrator, and what is a group.
 *
 * Administrators are configured with pim-admin: each value is either a
 * user's DN or a group's DN, checked on its members (not nested).  The
 * database's rootdn is always an administrator.  Only administrators
 * assign eligibility, change role policy or act on somebody else's
 * activation.
 *
 * Groups are groups: a DN named as administrator or approver counts as
 * a group only if its entry has a group object class (groupOfNames or
 * groupOfMembers on member, groupOfUniqueNames on uniqueMember), and
 * then only its values of that attribute count.  Anything else is a
 * single identity, whatever attributes it carries: member values on a
 * user's entry (an extensibleObject) make nobody an administrator.
 */
#include "pim.h"

/* Does a hold the DN ndn?  For uniqueMember, whose values may carry an
 * optional "#'bits'B" UID suffix, the DN part must match. */
int
pim_attr_has_dn( Attribute *a, struct berval *ndn )
{
	unsigned i;

	if ( a == NULL || BER_BVISEMPTY( ndn ) )
		return 0;
	for ( i = 0; i < a->a_numvals; i++ ) {
		struct berval *v = a->a_nvals ? &a->a_nvals[i] : &a->a_vals[i];
		ber_len_t len = v->bv_len;

		if ( a->a_desc == pim_ad_unique_member ) {
			char *hash = memchr( v->bv_val, '#', v->bv_len );
			if ( hash != NULL )
				len = hash - v->bv_val;
		}
		if ( len == ndn->bv_len && memcmp( v->bv_val, ndn->bv_val, len ) == 0 )
			return 1;
	}
	return 0;
}

int
pim_entry_has_member( Entry *group, struct berval *ndn )
{
	return pim_attr_has_dn( attr_find( group->e_attrs, pim_ad_member ), ndn ) ||
		pim_attr_has_dn( attr_find( group->e_attrs, pim_ad_unique_member ), ndn );
}

/* The attribute whose values are group's members, or NULL when group is
 * no group. */
static AttributeDescription *
pim_group_member_ad( Entry *group )
{
	if ( is_entry_objectclass_or_sub( group, pim_oc_group_of_names ) ||
		( pim_oc_group_of_members != NULL &&
		is_entry_objectclass_or_sub( group, pim_oc_group_of_members ) ) )
		return pim_ad_member;
	if ( is_entry_objectclass_or_sub( group, pim_oc_group_of_unique_names ) )
		return pim_ad_unique_member;
	return NULL;
}

int
pim_group_has_member( Entry *group, struct berval *ndn )
{
	AttributeDescription *ad = pim_group_member_ad( group );

	return ad != NULL &&
		pim_attr_has_dn( attr_find( group->e_attrs, ad ), ndn );
}

/* Is the requester one of ndns, or a member of one that is a group?
 * The database's rootdn always is. */
int
pim_requester_in( Operation *op, pim_info *pi, BerVarray ndns )
{
	BackendDB *saved = op->o_bd;
	int i, isroot, found = 0;

	if ( BER_BVISEMPTY( &op->o_ndn ) )
		return 0;

	op->o_bd = pi->pi_db;
	isroot = be_isroot( op );
	op->o_bd = saved;
	if ( isroot )
		return 1;

	for ( i = 0; ndns && !BER_BVISNULL( &ndns[i] ); i++ ) {
		Entry *e = NULL;

		if ( dn_match( &op->o_ndn, &ndns[i] ) )
			return 1;
		if ( pim_entry_get( op, pi, &ndns[i], &e ) != LDAP_SUCCESS )
			continue;
		found = pim_group_has_member( e, &op->o_ndn );
		pim_entry_release( op, pi, e );
		if ( found )
			return 1;
	}
	return 0;
}

int
pim_is_admin( Operation *op, pim_info *pi )
{
	return pim_requester_in( op, pi, pi->pi_nadmins );
}

/* Auditors (pim-auditor) read everything under the container, as
 * administrators do, and change nothing. */
int
pim_is_auditor( Operation *op, pim_info *pi )
{
	return pim_requester_in( op, pi, pi->pi_nauditors );
}
