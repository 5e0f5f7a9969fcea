/* pim_door2_attrs.c - which attributes and modifications concern PIM.
 *
 * These decide the fast path of every write (pim_door2.c), so they
 * look at descriptions only, never at entries.
 */
#include "pim_door2.h"

/* Attribute options (member;lang-en, pimState;x-y): a description with
 * options is its attribute for every decision here, so that no option
 * walks around PIM.  Where PIM cannot honour one it refuses it
 * (pim_options_refuse). */
int
pim_same_type( AttributeDescription *ad, AttributeDescription *base )
{
	return base != NULL && ad->ad_type == base->ad_type;
}

/* A role's policy: the attributes of pim_policy_ads, and its approvers. */
int
pim_is_policy_attr( AttributeDescription *ad )
{
	int i;

	for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
		if ( pim_same_type( ad, *pim_policy_ads[i] ) )
			return 1;
	}
	return pim_same_type( ad, pim_ad_approver );
}

/* A role's notification settings: not policy the overlay enforces (the
 * notifier reads them), but who hears of a role's activations is as
 * much the administrators' to say as who approves them.  Kept apart
 * from pim_policy_ads, which holds what pim_policy_from_values parses. */
int
pim_is_notify_attr( AttributeDescription *ad )
{
	return pim_same_type( ad, pim_ad_notify_events ) ||
		pim_same_type( ad, pim_ad_notify_recipient ) ||
		pim_same_type( ad, pim_ad_notify_critical_only );
}

int
pim_is_pim_attr( AttributeDescription *ad )
{
	return pim_same_type( ad, pim_ad_managed_member ) ||
		pim_is_policy_attr( ad ) || pim_is_notify_attr( ad );
}

int
pim_is_member_attr( AttributeDescription *ad )
{
	/* (the built-in kinds' attributes: an instance's own kinds are
	 * looked at where the instance is known) */
	return pim_same_type( ad, pim_ad_member ) ||
		pim_same_type( ad, pim_ad_unique_member ) ||
		pim_same_type( ad, pim_ad_member_of ) ||
		pim_is_kind_attr( NULL, ad );
}

/* An attribute PIM reads or writes: its own schema, and membership
 * (pi's own kinds too, when pi is given). */
int
pim_is_pim_type( pim_info *pi, AttributeDescription *ad )
{
	return pim_is_member_attr( ad ) || pim_is_kind_attr( pi, ad ) ||
		strncmp( ad->ad_type->sat_oid,
		PIM_OID_ARC ".", STRLENOF( PIM_OID_ARC "." ) ) == 0;
}

int
pim_has_options( AttributeDescription *ad )
{
	return ad != ad->ad_type->sat_ad;
}

const char pim_options_text[] = "attribute options are not "
	"allowed on membership and PIM attributes of PIM entries and roles";

/* Could this modification list concern a PIM role? */
int
pim_mods_touch_role( pim_info *pi, Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		AttributeDescription *ad = ml->sml_desc;

		if ( ad == slap_schema.si_ad_objectClass ||
			pim_is_pim_attr( ad ) || pim_is_member_attr( ad ) ||
			pim_is_kind_attr( pi, ad ) )
			return 1;
	}
	return 0;
}

int
pim_mods_touch_policy( Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_desc == slap_schema.si_ad_objectClass ||
			pim_is_policy_attr( ml->sml_desc ) )
			return 1;
	}
	return 0;
}

int
pim_mods_touch_notify( Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( pim_is_notify_attr( ml->sml_desc ) )
			return 1;
	}
	return 0;
}

int
pim_mods_touch( Modifications *ml, AttributeDescription *ad )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( pim_same_type( ml->sml_desc, ad ) )
			return 1;
	}
	return 0;
}

int
pim_mods_have_options( pim_info *pi, Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( pim_has_options( ml->sml_desc ) &&
			pim_is_pim_type( pi, ml->sml_desc ) )
			return 1;
	}
	return 0;
}

int
pim_entry_has_options( pim_info *pi, Entry *e )
{
	Attribute *a;

	for ( a = e->e_attrs; a != NULL; a = a->a_next ) {
		if ( pim_has_options( a->a_desc ) && pim_is_pim_type( pi, a->a_desc ) )
			return 1;
	}
	return 0;
}

