/* pim_intercept.c - plain LDAP writes: door 2.
 *
 * Every add, modify, delete and rename passes through here, so the fast
 * path matters: a write that touches no PIM entry, no PIM attribute and
 * no group membership attribute costs a DN suffix test and a walk of
 * its modification list, nothing more.  Only writes that could concern
 * PIM fetch their target entry.
 *
 * PIM's own internal operations and replicated ones (the provider
 * checked them) pass straight through.
 */
#include "pim.h"

static pim_info *
pim_hook_info( Operation *op )
{
	return ( (slap_overinst *)op->o_bd->bd_info )->on_bi.bi_private;
}

static int
pim_pass_through( Operation *op, pim_info *pi )
{
	return pi->pi_db == NULL || pim_op_is_internal( op ) ||
		SLAPD_SYNC_IS_SYNCCONN( op->o_connid ) || be_shadow_update( op );
}

static int
pim_refuse( Operation *op, SlapReply *rs, int rc, const char *text )
{
	rs->sr_err = rc;
	rs->sr_text = text;
	send_ldap_result( op, rs );
	Debug( LDAP_DEBUG_STATS, "%s pim: refused write dn=\"%s\" by=\"%s\" "
		"err=%d text=\"%s\"\n", op->o_log_prefix, op->o_req_dn.bv_val,
		op->o_ndn.bv_val, rc, text ? text : "" );
	return rc;
}

static int
pim_is_pim_attr( AttributeDescription *ad )
{
	return ad == pim_ad_managed_member || ad == pim_ad_max_duration ||
		ad == pim_ad_min_duration || ad == pim_ad_justification_required ||
		ad == pim_ad_justification_max;
}

static int
pim_is_member_attr( AttributeDescription *ad )
{
	return ad == pim_ad_member || ad == pim_ad_unique_member;
}

/* Could this modification list concern a PIM role? */
static int
pim_mods_touch_role( Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		AttributeDescription *ad = ml->sml_desc;

		if ( ad == slap_schema.si_ad_objectClass ||
			pim_is_pim_attr( ad ) || pim_is_member_attr( ad ) )
			return 1;
	}
	return 0;
}

static int
pim_mods_touch( Modifications *ml, AttributeDescription *ad )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_desc == ad )
			return 1;
	}
	return 0;
}

/* --- add ------------------------------------------------------------- */

static int
pim_add_role( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	pim_policy p;
	const char *text = NULL;
	int rc;

	if ( attr_find( e->e_attrs, pim_ad_managed_member ) != NULL )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION,
			"pimManagedMember is maintained by PIM" );
	if ( !pim_is_admin( op, pi ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may create PIM roles" );
	rc = pim_role_policy( op, pi, e, &p, &text );
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION, text );
	return SLAP_CB_CONTINUE;
}

int
pim_op_add( Operation *op, SlapReply *rs )
{
	pim_info *pi = pim_hook_info( op );
	Entry *e = op->ora_e;
	int rc;

	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( is_entry_objectclass_or_sub( e, pim_oc_activation ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"activation entries are created by the activate extended "
			"operation (pimctl activate)" );
	if ( is_entry_objectclass_or_sub( e, pim_oc_eligibility ) ) {
		rc = pim_eligibility_check_add( op, rs, pi, e );
		if ( rc != LDAP_SUCCESS )
			return pim_refuse( op, rs, rc, rs->sr_text );
		return SLAP_CB_CONTINUE;
	}
	if ( is_entry_objectclass_or_sub( e, pim_oc_role ) ||
		attr_find( e->e_attrs, pim_ad_managed_member ) != NULL )
		return pim_add_role( op, rs, pi, e );
	return SLAP_CB_CONTINUE;
}

/* --- modify ---------------------------------------------------------- */

/* The policy a role would have after ml: its current values with the
 * modifications applied. */
static int
pim_modify_role_policy( Operation *op, pim_info *pi, Entry *e,
	Modifications *ml, const char **text )
{
	struct berval *vals[PIM_POLICY_NATTRS];
	pim_policy p;
	int i;

	for ( i = 0; i < PIM_POLICY_NATTRS; i++ )
		vals[i] = pim_entry_val( e, *pim_policy_ads[i] );
	for ( ; ml != NULL; ml = ml->sml_next ) {
		for ( i = 0; i < PIM_POLICY_NATTRS; i++ ) {
			if ( ml->sml_desc != *pim_policy_ads[i] )
				continue;
			if ( ml->sml_op == LDAP_MOD_DELETE || ml->sml_values == NULL )
				vals[i] = NULL;
			else
				vals[i] = &ml->sml_values[0];
		}
	}
	return pim_policy_from_values( pi, vals, &p, text );
}

static int
pim_modify_role( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	Modifications *ml = op->orm_modlist;
	const char *text = NULL;
	int admin, rc;

	if ( pim_mods_touch( ml, pim_ad_managed_member ) )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION,
			"pimManagedMember is maintained by PIM" );
	admin = pim_is_admin( op, pi );
	if ( !admin && ( pim_mods_touch( ml, pim_ad_member ) ||
		pim_mods_touch( ml, pim_ad_unique_member ) ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"the membership of a PIM role changes only through PIM" );
	if ( !admin && ( pim_mods_touch( ml, slap_schema.si_ad_objectClass ) ||
		pim_mods_touch( ml, pim_ad_max_duration ) ||
		pim_mods_touch( ml, pim_ad_min_duration ) ||
		pim_mods_touch( ml, pim_ad_justification_required ) ||
		pim_mods_touch( ml, pim_ad_justification_max ) ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may change a role's policy" );
	rc = pim_modify_role_policy( op, pi, e, ml, &text );
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION, text );
	return SLAP_CB_CONTINUE;
}

static int
pim_modify_eligibility( Operation *op, SlapReply *rs, pim_info *pi )
{
	Modifications *ml = op->orm_modlist;

	if ( !pim_is_admin( op, pi ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may change eligibility" );
	if ( pim_mods_touch( ml, pim_ad_principal ) ||
		pim_mods_touch( ml, pim_ad_role ) || pim_mods_touch( ml, pim_ad_id ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"the principal and role of an eligibility cannot change: "
			"remove it and assign anew" );
	return SLAP_CB_CONTINUE;
}

/* What kind of entry a write is aimed at. */
enum pim_target { PIM_T_OTHER, PIM_T_ROLE, PIM_T_ELIGIBILITY,
	PIM_T_ACTIVATION, PIM_T_MISSING };

static enum pim_target
pim_target_kind( Operation *op, pim_info *pi, Entry **ep )
{
	enum pim_target t = PIM_T_OTHER;
	Entry *e = NULL;

	if ( pim_entry_get( op, pi, &op->o_req_ndn, &e ) != LDAP_SUCCESS )
		return PIM_T_MISSING;
	if ( is_entry_objectclass_or_sub( e, pim_oc_activation ) )
		t = PIM_T_ACTIVATION;
	else if ( is_entry_objectclass_or_sub( e, pim_oc_eligibility ) )
		t = PIM_T_ELIGIBILITY;
	else if ( is_entry_objectclass_or_sub( e, pim_oc_role ) )
		t = PIM_T_ROLE;
	if ( ep != NULL )
		*ep = e;
	else
		pim_entry_release( op, pi, e );
	return t;
}

/* A modify that adds the pimRole class to a group makes it a role. */
static int
pim_mods_add_role_class( Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		unsigned i;

		if ( ml->sml_desc != slap_schema.si_ad_objectClass ||
			ml->sml_op == LDAP_MOD_DELETE || ml->sml_values == NULL )
			continue;
		for ( i = 0; !BER_BVISNULL( &ml->sml_values[i] ); i++ ) {
			if ( oc_bvfind( &ml->sml_values[i] ) == pim_oc_role )
				return 1;
		}
	}
	return 0;
}

int
pim_op_modify( Operation *op, SlapReply *rs )
{
	pim_info *pi = pim_hook_info( op );
	Entry *e = NULL;
	enum pim_target t;
	int rc = SLAP_CB_CONTINUE;

	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( !dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) &&
		!pim_mods_touch_role( op->orm_modlist ) )
		return SLAP_CB_CONTINUE;

	t = pim_target_kind( op, pi, &e );
	if ( t == PIM_T_OTHER && pim_mods_add_role_class( op->orm_modlist ) )
		t = PIM_T_ROLE;
	switch ( t ) {
	case PIM_T_ACTIVATION:
		rc = pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"activation entries change through the PIM extended "
			"operations (pimctl deactivate)" );
		break;
	case PIM_T_ELIGIBILITY:
		rc = pim_modify_eligibility( op, rs, pi );
		break;
	case PIM_T_ROLE:
		rc = pim_modify_role( op, rs, pi, e );
		break;
	default:
		break;
	}
	if ( e != NULL )
		pim_entry_release( op, pi, e );
	return rc;
}

/* --- delete and rename ----------------------------------------------- */

int
pim_op_delete( Operation *op, SlapReply *rs )
{
	pim_info *pi = pim_hook_info( op );
	int rc;

	if ( pim_pass_through( op, pi ) ||
		!dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) )
		return SLAP_CB_CONTINUE;

	switch ( pim_target_kind( op, pi, NULL ) ) {
	case PIM_T_ELIGIBILITY:
		rc = pim_eligibility_check_delete( op, rs, pi, &op->o_req_ndn );
		if ( rc != LDAP_SUCCESS )
			return pim_refuse( op, rs, rc, rs->sr_text );
		break;
	case PIM_T_ACTIVATION:
		if ( !pim_is_admin( op, pi ) )
			return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
				"only PIM administrators may delete activation records" );
		/* the record goes, and so does the privilege it granted */
		rc = pim_activation_end( op, pi, &op->o_req_ndn,
			PIM_STATE_REVOKED, &op->o_ndn );
		if ( rc != LDAP_SUCCESS )
			return pim_refuse( op, rs, LDAP_OTHER,
				"cannot end the activation before deleting it" );
		break;
	default:
		break;
	}
	return SLAP_CB_CONTINUE;
}

int
pim_op_modrdn( Operation *op, SlapReply *rs )
{
	pim_info *pi = pim_hook_info( op );

	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	switch ( pim_target_kind( op, pi, NULL ) ) {
	case PIM_T_ACTIVATION:
	case PIM_T_ELIGIBILITY:
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"PIM entries cannot be renamed" );
	case PIM_T_ROLE:
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"a PIM role cannot be renamed: eligibility and activations "
			"refer to it by DN" );
	default:
		return SLAP_CB_CONTINUE;
	}
}
