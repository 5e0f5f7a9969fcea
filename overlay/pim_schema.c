/* pim_schema.c - register the PIM schema when the module is loaded.
 *
 * Registration happens in init_module, not in db_init, so that a replica
 * that only loads the module (without configuring the overlay) has the
 * schema before syncrepl delivers PIM entries.
 */
#include "pim.h"
#include "pim_schema_defs.h"

AttributeDescription *pim_ad_id, *pim_ad_principal, *pim_ad_role,
	*pim_ad_state, *pim_ad_start, *pim_ad_end, *pim_ad_justification,
	*pim_ad_ticket, *pim_ad_assigned_by, *pim_ad_eligibility_ref,
	*pim_ad_managed_member, *pim_ad_max_duration, *pim_ad_min_duration,
	*pim_ad_justification_required, *pim_ad_justification_max,
	*pim_ad_ended_by, *pim_ad_member_of, *pim_ad_ticket_required,
	*pim_ad_mfa_required, *pim_ad_approval_required, *pim_ad_approver,
	*pim_ad_approvals_needed, *pim_ad_request_lifetime,
	*pim_ad_eligible_max, *pim_ad_eligible_permanent, *pim_ad_active_max,
	*pim_ad_active_permanent, *pim_ad_active_self_extend, *pim_ad_approved_by, *pim_ad_denied_by,
	*pim_ad_decision_reason, *pim_ad_requested_duration,
	*pim_ad_request_expiry, *pim_ad_through, *pim_ad_emergency,
	*pim_ad_request_for, *pim_ad_notify_events, *pim_ad_notify_recipient,
	*pim_ad_notify_critical_only;
AttributeDescription *pim_ad_audit[PIM_CH_NFIELDS], *pim_ad_audit_hash;
AttributeDescription *pim_ad_rv[PIM_RV_NATTRS];
ObjectClass *pim_oc_role, *pim_oc_eligibility, *pim_oc_activation,
	*pim_oc_audit_record, *pim_oc_audit_log, *pim_oc_review_def,
	*pim_oc_review_instance, *pim_oc_review_item;

/* Where each registered definition's handle goes, in the order of
 * pim_attribute_defs[] and pim_objectclass_defs[]. */
static AttributeDescription **pim_at_handles[] = {
	&pim_ad_id, &pim_ad_principal, &pim_ad_role, &pim_ad_state,
	&pim_ad_start, &pim_ad_end, &pim_ad_justification, &pim_ad_ticket,
	&pim_ad_assigned_by, &pim_ad_eligibility_ref, &pim_ad_managed_member,
	&pim_ad_max_duration, &pim_ad_min_duration,
	&pim_ad_justification_required, &pim_ad_justification_max,
	&pim_ad_ended_by, &pim_ad_ticket_required, &pim_ad_mfa_required,
	&pim_ad_approval_required, &pim_ad_approver, &pim_ad_approvals_needed,
	&pim_ad_request_lifetime, &pim_ad_eligible_max,
	&pim_ad_eligible_permanent, &pim_ad_active_max,
	&pim_ad_active_permanent, &pim_ad_approved_by, &pim_ad_denied_by,
	&pim_ad_decision_reason, &pim_ad_requested_duration,
	&pim_ad_request_expiry,
	/* the audit record's fields, in OID order (not hash order) */
	&pim_ad_audit[PIM_CH_SEQ], &pim_ad_audit[PIM_CH_TIME],
	&pim_ad_audit[PIM_CH_EVENT], &pim_ad_audit[PIM_CH_ACTOR],
	&pim_ad_audit[PIM_CH_PRINCIPAL], &pim_ad_audit[PIM_CH_ROLE],
	&pim_ad_audit[PIM_CH_ID], &pim_ad_audit[PIM_CH_START],
	&pim_ad_audit[PIM_CH_END], &pim_ad_audit[PIM_CH_REASON],
	&pim_ad_audit[PIM_CH_TICKET], &pim_ad_audit[PIM_CH_RESULT],
	&pim_ad_audit[PIM_CH_TEXT], &pim_ad_audit[PIM_CH_PEER],
	&pim_ad_audit[PIM_CH_CONN], &pim_ad_audit[PIM_CH_ALERT],
	&pim_ad_audit[PIM_CH_REF], &pim_ad_audit[PIM_CH_ANCHOR_SEQ],
	&pim_ad_audit[PIM_CH_ANCHOR_HASH], &pim_ad_audit[PIM_CH_PREV],
	&pim_ad_audit_hash,
	&pim_ad_active_self_extend,
	/* access reviews, in enum pim_rv_attr's order */
	&pim_ad_rv[0], &pim_ad_rv[1], &pim_ad_rv[2], &pim_ad_rv[3],
	&pim_ad_rv[4], &pim_ad_rv[5], &pim_ad_rv[6], &pim_ad_rv[7],
	&pim_ad_rv[8], &pim_ad_rv[9], &pim_ad_rv[10], &pim_ad_rv[11],
	&pim_ad_rv[12], &pim_ad_rv[13], &pim_ad_rv[14], &pim_ad_rv[15],
	&pim_ad_rv[16], &pim_ad_rv[17], &pim_ad_rv[18], &pim_ad_rv[19],
	&pim_ad_rv[20], &pim_ad_rv[21], &pim_ad_rv[22], &pim_ad_rv[23],
	&pim_ad_rv[24], &pim_ad_rv[25], &pim_ad_rv[26], &pim_ad_rv[27],
	&pim_ad_rv[28], &pim_ad_rv[29],
	&pim_ad_through, &pim_ad_emergency, &pim_ad_request_for,
	&pim_ad_notify_events, &pim_ad_notify_recipient,
	&pim_ad_notify_critical_only,
	NULL
};
static ObjectClass **pim_oc_handles[] = {
	&pim_oc_role, &pim_oc_eligibility, &pim_oc_activation,
	&pim_oc_audit_record, &pim_oc_audit_log, &pim_oc_review_def,
	&pim_oc_review_instance, &pim_oc_review_item, NULL
};

/* memberOf as the memberof overlay defines it.  PIM stores memberOf
 * values on users; whichever of the two modules loads first registers
 * the type, and the other finds it (dupok). */
static const char pim_member_of_def[] =
	"( 1.2.840.113556.1.2.102 NAME 'memberOf' "
	"DESC 'Group that the entry belongs to' "
	"SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' "
	"EQUALITY distinguishedNameMatch "
	"USAGE dSAOperation "
	"NO-USER-MODIFICATION "
	"X-ORIGIN 'iPlanet Delegated Administrator' )";

int
pim_schema_register( void )
{
	int i, rc;

	for ( i = 0; pim_attribute_defs[i].sd_def != NULL; i++ ) {
		assert( pim_at_handles[i] != NULL );
		rc = register_at( pim_attribute_defs[i].sd_def,
			pim_at_handles[i], 0 );
		if ( rc ) {
			Debug( LDAP_DEBUG_ANY, "pim: cannot register attribute "
				"type %s (%d)\n", pim_attribute_defs[i].sd_name, rc );
			return rc;
		}
	}
	assert( pim_at_handles[i] == NULL );
	assert( PIM_RV_NATTRS == 30 );
	/* pim_chain.c names the audit attributes too: they must agree */
	for ( i = 0; i < PIM_CH_NFIELDS; i++ )
		assert( strcasecmp( pim_ad_audit[i]->ad_cname.bv_val,
			pim_chain_attr[i] ) == 0 );

	for ( i = 0; pim_objectclass_defs[i].sd_def != NULL; i++ ) {
		rc = register_oc( pim_objectclass_defs[i].sd_def,
			pim_oc_handles[i], 0 );
		if ( rc ) {
			Debug( LDAP_DEBUG_ANY, "pim: cannot register object "
				"class %s (%d)\n", pim_objectclass_defs[i].sd_name, rc );
			return rc;
		}
	}
	assert( pim_oc_handles[i] == NULL );

	rc = register_at( pim_member_of_def, &pim_ad_member_of, 1 );
	if ( rc ) {
		Debug( LDAP_DEBUG_ANY, "pim: cannot register memberOf (%d)\n", rc );
		return rc;
	}
	return 0;
}

AttributeDescription *pim_ad_member, *pim_ad_unique_member;
ObjectClass *pim_oc_group_of_names, *pim_oc_group_of_unique_names;
ObjectClass *pim_oc_group_of_members;

int
pim_schema_resolve( ConfigReply *cr )
{
	AttributeDescription *member = NULL, *unique_member = NULL;
	const char *text = NULL;

	/* Every instance's db_open comes here, in one process: slap_str2ad
	 * wants an empty handle each time (it asserts so), and gives the
	 * same canonical one. */
	if ( slap_str2ad( "member", &member, &text ) != LDAP_SUCCESS ||
		slap_str2ad( "uniqueMember", &unique_member, &text ) != LDAP_SUCCESS )
	{
		snprintf( cr->msg, sizeof( cr->msg ), "pim: the member and "
			"uniqueMember attribute types are needed (include core.schema)" );
		return 1;
	}
	pim_ad_member = member;
	pim_ad_unique_member = unique_member;
	pim_oc_group_of_names = oc_find( "groupOfNames" );
	pim_oc_group_of_unique_names = oc_find( "groupOfUniqueNames" );
	if ( pim_oc_group_of_names == NULL || pim_oc_group_of_unique_names == NULL ) {
		snprintf( cr->msg, sizeof( cr->msg ), "pim: the groupOfNames and "
			"groupOfUniqueNames object classes are needed (include core.schema)" );
		return 1;
	}
	pim_oc_group_of_members = oc_find( "groupOfMembers" );	/* rfc2307bis */
	return pim_kinds_resolve();
}
