/* pim_role.c - a role and its policy, as the engine reads them.
 *
 * The policy is the role entry's pim* policy attributes over the
 * instance's defaults (pim_policy.c decides what they mean); every
 * door reads it through pim_role_load, so that a request, an approval,
 * an extension and a scheduled start see the same numbers.
 */
#include "pim.h"

/* In the order of pim_policy_attr_names: pim_ad_max_duration ...
 * pim_ad_emergency (pim_policy_attrs.h). */
AttributeDescription **pim_policy_ads[PIM_POLICY_NATTRS] = {
#define PIM_PP_AD( e, name, ... )	&pim_ad_##name,
	PIM_POLICY_ATTRS( PIM_PP_AD )
#undef PIM_PP_AD
};

int
pim_role_policy( Operation *op, pim_info *pi, Entry *role, pim_policy *p,
	const char **text )
{
	const struct berval *vals[PIM_POLICY_NATTRS];
	int i, rc;

	for ( i = 0; i < PIM_POLICY_NATTRS; i++ )
		vals[i] = pim_entry_val( role, *pim_policy_ads[i] );
	rc = pim_policy_from_values( &pi->pi_defaults, vals, p, text );
	/* a stored policy that no longer makes sense is the server's problem */
	return rc == LDAP_SUCCESS ? rc : LDAP_OTHER;
}

/* Fetch the role and its policy.  Refusals: noSuchObject, or
 * unwillingToPerform for a group that is not a PIM role. */
int
pim_role_load( Operation *op, pim_info *pi, struct berval *role,
	pim_policy *p, const char **text )
{
	Entry *e = NULL;
	int rc;

	if ( pim_entry_get( op, pi, role, &e ) != LDAP_SUCCESS ) {
		*text = "no such role";
		return LDAP_NO_SUCH_OBJECT;
	}
	if ( !is_entry_objectclass_or_sub( e, pim_oc_role ) ) {
		*text = "not a PIM role (the entry has no pimRole object class)";
		rc = LDAP_UNWILLING_TO_PERFORM;
	} else {
		rc = pim_role_policy( op, pi, e, p, text );
	}
	pim_entry_release( op, pi, e );
	return rc;
}
