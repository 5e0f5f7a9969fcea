/* pim_door2.c - door 2's entry points: the add, modify, delete and
 * rename hooks every plain LDAP write passes through.
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
#include "pim_door2.h"
#include "pim_review.h"

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

/* Is ndn the PIM container, the audit container, or inside one? */
static int
pim_dn_is_pim( pim_info *pi, struct berval *ndn )
{
	return dnIsSuffix( ndn, &pi->pi_ncontainer ) ||
		pim_audit_covers( pi, ndn );
}

int
pim_refuse( Operation *op, SlapReply *rs, int rc, const char *text )
{
	pim_event_info e = { .ev_kind = PIM_EK_REFUSED, .ev_action = "write",
		.ev_dn = &op->o_req_ndn, .ev_result = rc,
		.ev_text = text ? text : "" };

	return pim_refuse_send( op, rs, pim_hook_info( op ), &e );
}

/* The same for an attempt to change a PIM role around PIM: the event
 * names the role, which is what the role-write alert counts. */
static int
pim_refuse_role( Operation *op, SlapReply *rs, int rc, const char *text )
{
	pim_event_info e = { .ev_kind = PIM_EK_REFUSED, .ev_action = "write",
		.ev_counts = PIM_COUNTS_ROLE_WRITE, .ev_dn = &op->o_req_ndn,
		.ev_role = &op->o_req_ndn, .ev_result = rc,
		.ev_text = text ? text : "" };

	return pim_refuse_send( op, rs, pim_hook_info( op ), &e );
}

/* --- add ------------------------------------------------------------- */

static int
pim_add_role( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	pim_policy p;
	const char *text = NULL;
	int rc;

	if ( attr_find( e->e_attrs, pim_ad_managed_member ) != NULL )
		return pim_refuse_role( op, rs, LDAP_CONSTRAINT_VIOLATION,
			"pimManagedMember is maintained by PIM" );
	if ( !pim_is_admin( op, pi ) )
		return pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
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

	pim_window_watch( op, pi );
	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( pim_in_txn( op ) && ( pim_dn_is_pim( pi, &op->o_req_ndn ) ||
		is_entry_objectclass_or_sub( e, pim_oc_activation ) ||
		is_entry_objectclass_or_sub( e, pim_oc_eligibility ) ||
		is_entry_objectclass_or_sub( e, pim_oc_role ) ||
		attr_find( e->e_attrs, pim_ad_managed_member ) != NULL ) )
		return pim_txn_refuse( op, rs );
	if ( ( rc = pim_audit_intercept( op, rs, pi ) ) != SLAP_CB_CONTINUE )
		return rc;
	if ( ( dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) ||
		is_entry_objectclass_or_sub( e, pim_oc_role ) ) &&
		pim_entry_has_options( pi, e ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			pim_options_text );
	if ( is_entry_objectclass_or_sub( e, pim_oc_activation ) )
		return pim_door_add_activation( op, rs, pi, e );
	if ( pim_review_entry_kind( e ) != PIM_RVE_NONE )
		return pim_review_door_add( op, rs, pi, e );
	if ( is_entry_objectclass_or_sub( e, pim_oc_eligibility ) ) {
		rc = pim_eligibility_check_add( op, rs, pi, e );
		if ( rc != LDAP_SUCCESS )
			return pim_refuse( op, rs, rc, rs->sr_text );
		(void)pim_after_push( op, pi, PIM_AFTER_ELIGIBILITY_ADDED, e );
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
	const struct berval *vals[PIM_POLICY_NATTRS];
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
	return pim_policy_from_values( &pi->pi_defaults, vals, &p, text );
}

/* Not an LDAP result code: the caller hands the write to pim_door2_actions.c. */
#define PIM_DOOR_MEMBERS	( -2 )

static int
pim_modify_role( Operation *op, SlapReply *rs, pim_info *pi, Entry *e,
	const pim_role_kind **kind )
{
	Modifications *ml = op->orm_modlist;
	const pim_role_kind *mirror;
	const char *text = NULL;
	int admin, rc;

	if ( pim_mods_touch( ml, pim_ad_managed_member ) )
		return pim_refuse_role( op, rs, LDAP_CONSTRAINT_VIOLATION,
			"pimManagedMember is maintained by PIM" );
	admin = pim_is_admin( op, pi );
	*kind = pim_kind_find( pi, e );
	mirror = pim_kind_mirror( pi, e, *kind );
	if ( mirror != NULL && pim_mods_touch( ml, mirror->rk_ad ) )
		return admin ? pim_refuse_role( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"this role's memberUid follows its member values "
			"(pim-memberuid-sync): change member" ) :
			pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"the membership of a PIM role changes only through PIM" );
	/* a second class's membership (memberUid on an RFC 2307bis group
	 * PIM does not keep in step) is the site's, and an administrator's
	 * to write */
	if ( !admin && pim_kind_mods_touch( pi, e, ml ) )
		return pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"the membership of a PIM role changes only through PIM" );
	if ( *kind != NULL ? pim_mods_touch( ml, ( *kind )->rk_ad ) :
		pim_mods_touch( ml, pim_ad_member ) ||
		pim_mods_touch( ml, pim_ad_unique_member ) )
	{
		if ( !admin )
			return pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
				"the membership of a PIM role changes only through PIM" );
		if ( *kind == NULL )	/* of no kind: nothing there is PIM's */
			return SLAP_CB_CONTINUE;
		/* refint and memberof fix DN values only: a uid kind's
		 * value is never a fix-up's, whatever entry it names */
		if ( ( *kind )->rk_form == PIM_FORM_DN &&
			pim_mods_fixup( op, pi, ml, ( *kind )->rk_ad ) ) {
			pim_fixup_push( op, pi, ml, ( *kind )->rk_ad );
			return SLAP_CB_CONTINUE;
		}
		return PIM_DOOR_MEMBERS;
	}
	if ( !admin && pim_mods_touch_policy( ml ) )
		return pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may change a role's policy" );
	if ( !admin && pim_mods_touch_notify( ml ) )
		return pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may change a role's notification settings" );
	rc = pim_modify_role_policy( op, pi, e, ml, &text );
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION, text );
	return SLAP_CB_CONTINUE;
}

/* The value an eligibility's time attribute has after ml: *t = 0 when
 * absent.  -1 when a new value is not a GeneralizedTime. */
static int
pim_time_after_mods( Entry *e, Modifications *ml, AttributeDescription *ad,
	time_t *t )
{
	int rc = pim_entry_time( e, ad, t );

	if ( rc != 0 )
		*t = 0;
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_desc != ad )
			continue;
		*t = 0;
		if ( ml->sml_op == LDAP_MOD_DELETE || ml->sml_values == NULL ||
			BER_BVISNULL( &ml->sml_values[0] ) )
			continue;
		if ( pim_gentime_parse( ml->sml_values[0].bv_val,
			ml->sml_values[0].bv_len, t ) != 0 )
			return -1;
	}
	return 0;
}

static int
pim_modify_eligibility( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	Modifications *ml = op->orm_modlist;
	time_t start, end;

	if ( !pim_is_admin( op, pi ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may change eligibility" );
	if ( pim_mods_touch( ml, pim_ad_principal ) ||
		pim_mods_touch( ml, pim_ad_role ) || pim_mods_touch( ml, pim_ad_id ) ||
		pim_mods_touch( ml, pim_ad_through ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"the principal, role and group of an eligibility cannot change: "
			"remove it and assign anew" );
	if ( pim_mods_touch( ml, pim_ad_assigned_by ) )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION,
			"pimAssignedBy is maintained by PIM" );
	if ( pim_time_after_mods( e, ml, pim_ad_start, &start ) ||
		pim_time_after_mods( e, ml, pim_ad_end, &end ) )
		return pim_refuse( op, rs, LDAP_INVALID_SYNTAX,
			"pimStartTime/pimEndTime: not a GeneralizedTime of the form YYYYMMDDHHMMSSZ" );
	if ( start != 0 && end != 0 && start >= end )
		return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION,
			"pimStartTime must be before pimEndTime" );
	if ( pim_mods_touch( ml, pim_ad_end ) )
		(void)pim_after_push( op, pi, PIM_AFTER_ELIGIBILITY_CHANGED, e );
	return SLAP_CB_CONTINUE;
}

/* What kind of entry a write is aimed at. */
enum pim_target { PIM_T_OTHER, PIM_T_ROLE, PIM_T_ELIGIBILITY,
	PIM_T_ACTIVATION, PIM_T_REVIEW, PIM_T_MISSING };

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
	else if ( pim_review_entry_kind( e ) != PIM_RVE_NONE )
		t = PIM_T_REVIEW;
	if ( ep != NULL )
		*ep = e;
	else
		pim_entry_release( op, pi, e );
	return t;
}

static int
pim_target_is_pim( enum pim_target t )
{
	return t == PIM_T_ROLE || t == PIM_T_ELIGIBILITY ||
		t == PIM_T_ACTIVATION || t == PIM_T_REVIEW;
}

static int pim_names_principal( Operation *op, pim_info *pi );

/* A principal's uid changes: the uid kinds' values PIM gave it follow
 * (pim_principal_uid_changed), which cannot happen in a transaction. */
/* The uid e will have after ml (NULL: none, or unchanged). */
static struct berval *
pim_mods_new_uid( Entry *e, Modifications *ml )
{
	struct berval *uid = NULL;

	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_desc->ad_type != pim_ad_uid->ad_type ||
			ml->sml_values == NULL || BER_BVISNULL( &ml->sml_values[0] ) )
			continue;
		if ( ml->sml_op == LDAP_MOD_REPLACE ||
			( ( ml->sml_op == LDAP_MOD_ADD || ml->sml_op == SLAP_MOD_SOFTADD ) &&
			pim_entry_val( e, pim_ad_uid ) == NULL ) )
			uid = &ml->sml_values[0];
	}
	return uid;
}

static int
pim_uid_watch( Operation *op, SlapReply *rs, pim_info *pi )
{
	Entry *e = NULL;
	pim_after *pa;
	struct berval nuid = BER_BVNULL, *v;
	const char *text = NULL;
	int rc = LDAP_SUCCESS;

	if ( pim_in_txn( op ) )
		return pim_names_principal( op, pi ) != 0 ?
			pim_txn_refuse( op, rs ) : SLAP_CB_CONTINUE;
	if ( pim_entry_get( op, pi, &op->o_req_ndn, &e ) != LDAP_SUCCESS )
		return SLAP_CB_CONTINUE;
	if ( ( v = pim_mods_new_uid( e, op->orm_modlist ) ) != NULL )
		ber_dupbv_x( &nuid, v, op->o_tmpmemctx );
	if ( pim_entry_val( e, pim_ad_uid ) != NULL ) {
		pa = pim_after_push_dns( op, pi, PIM_AFTER_PRINCIPAL_UID_CHANGED,
			&op->o_req_ndn, NULL );
		pim_after_keep_uid( op, pa, e );
	}
	pim_entry_release( op, pi, e );
	if ( !BER_BVISNULL( &nuid ) ) {
		rc = pim_uid_change_check( op, pi, &op->o_req_ndn, &nuid, &text );
		op->o_tmpfree( nuid.bv_val, op->o_tmpmemctx );
	}
	return rc == LDAP_SUCCESS ? SLAP_CB_CONTINUE :
		pim_refuse( op, rs, rc, text );
}

/* The uid a rename's new RDN gives (uid=VALUE, alone), on o_tmpmemctx;
 * empty when the RDN is of another attribute. */
static void
pim_rdn_uid( Operation *op, struct berval *uid )
{
	struct berval *rdn = &op->orr_newrdn;

	BER_BVZERO( uid );
	if ( rdn->bv_len > 4 && strncasecmp( rdn->bv_val, "uid=", 4 ) == 0 &&
		memchr( rdn->bv_val, '+', rdn->bv_len ) == NULL &&
		memchr( rdn->bv_val, '\\', rdn->bv_len ) == NULL ) {
		uid->bv_len = rdn->bv_len - 4;
		uid->bv_val = op->o_tmpalloc( uid->bv_len + 1, op->o_tmpmemctx );
		memcpy( uid->bv_val, rdn->bv_val + 4, uid->bv_len );
		uid->bv_val[uid->bv_len] = '\0';
	}
}

/* Seconds after a rename before the groups are looked at again. */
#define PIM_THROUGH_SETTLE	5

/* Does ml take members out of a group (a delete, or a replace), or
 * change its classes (no longer a group, or now a PIM role, which
 * passes no eligibility on)? */
static int
pim_mods_drop_members( Modifications *ml )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ( ml->sml_desc == pim_ad_member ||
			ml->sml_desc == pim_ad_unique_member ) &&
			ml->sml_op != LDAP_MOD_ADD && ml->sml_op != SLAP_MOD_SOFTADD )
			return 1;
		if ( ml->sml_desc == slap_schema.si_ad_objectClass )
			return 1;
	}
	return 0;
}

/* op's target, a group, loses members (or goes): once it has, the open
 * activations through it or a group above it are checked
 * (pim_through.c).  The groups above are found now, before a delete
 * takes the target's own member values out of them (slapo-refint). */
static int
pim_group_watch( Operation *op, SlapReply *rs, pim_info *pi )
{
	pim_after *pa;

	if ( !pim_through_any_open( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( pim_in_txn( op ) )
		return pim_txn_refuse( op, rs );	/* PIM could not follow */
	pa = pim_after_push_dns( op, pi, PIM_AFTER_GROUP_SHRANK,
		&op->o_req_ndn, NULL );
	pim_group_ancestors( op, pi, &op->o_req_ndn, &pa->pa_groups );
	return SLAP_CB_CONTINUE;
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
	const pim_role_kind *kind = NULL;
	enum pim_target t;
	int rc = SLAP_CB_CONTINUE;

	pim_window_watch( op, pi );
	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( pim_in_txn( op ) && pim_dn_is_pim( pi, &op->o_req_ndn ) )
		return pim_txn_refuse( op, rs );
	if ( ( rc = pim_audit_intercept( op, rs, pi ) ) != SLAP_CB_CONTINUE )
		return rc;
	if ( pim_ad_uid != NULL && pim_mods_touch( op->orm_modlist, pim_ad_uid ) &&
		!dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) &&
		( rc = pim_uid_watch( op, rs, pi ) ) != SLAP_CB_CONTINUE )
		return rc;
	if ( !dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) &&
		pim_mods_drop_members( op->orm_modlist ) &&
		( rc = pim_group_watch( op, rs, pi ) ) != SLAP_CB_CONTINUE )
		return rc;
	if ( !dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) &&
		!pim_mods_touch_role( pi, op->orm_modlist ) )
		return SLAP_CB_CONTINUE;

	t = pim_target_kind( op, pi, &e );
	if ( t == PIM_T_OTHER && pim_mods_add_role_class( op->orm_modlist ) )
		t = PIM_T_ROLE;
	if ( pim_in_txn( op ) && pim_target_is_pim( t ) ) {
		pim_entry_release( op, pi, e );
		return pim_txn_refuse( op, rs );
	}
	if ( ( pim_target_is_pim( t ) ||
		dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) ) &&
		pim_mods_have_options( pi, op->orm_modlist ) )
	{
		pim_entry_release( op, pi, e );
		return t == PIM_T_ROLE ? pim_refuse_role( op, rs,
			LDAP_UNWILLING_TO_PERFORM, pim_options_text ) :
			pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			pim_options_text );
	}
	/* the door's writes come after the entry is released */
	switch ( t ) {
	case PIM_T_ACTIVATION:
		pim_entry_release( op, pi, e );
		return pim_door_modify_activation( op, rs, pi );
	case PIM_T_ELIGIBILITY:
		rc = pim_modify_eligibility( op, rs, pi, e );
		break;
	case PIM_T_REVIEW:
		return pim_review_door_modify( op, rs, pi, e );	/* releases e */
	case PIM_T_ROLE:
		rc = pim_modify_role( op, rs, pi, e, &kind );
		if ( rc == PIM_DOOR_MEMBERS ) {
			pim_entry_release( op, pi, e );
			return pim_door_modify_members( op, rs, pi, kind );
		}
		break;
	default:
		break;
	}
	if ( e != NULL )
		pim_entry_release( op, pi, e );
	return rc;
}

/* --- delete and rename ----------------------------------------------- */

static int pim_subtree_has( Operation *op, pim_info *pi, struct berval *base,
	int scope, const char *filter );

/* Deleting a role that PIM still refers to would leave activations that
 * can never release their membership: refuse while any eligibility or
 * active activation names it. */
static int
pim_role_in_use( Operation *op, pim_info *pi, int *in_use )
{
	BerVarray list = NULL;
	char extra[32];
	int rc;

	snprintf( extra, sizeof( extra ), "(pimState=%s)", PIM_STATE_ACTIVE );
	rc = pim_search_principal_role( op, pi, "pimEligibility", NULL,
		&op->o_req_ndn, NULL,
		pim_collect_ndn, &list );
	if ( rc == LDAP_SUCCESS && list == NULL ) {
		rc = pim_search_principal_role( op, pi, "pimActivation", NULL,
			&op->o_req_ndn, extra,
			pim_collect_ndn, &list );
	}
	*in_use = list != NULL;
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc;
}

static int
pim_delete_activation( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	struct berval *st = pim_entry_val( e, pim_ad_state );

	if ( !pim_is_admin( op, pi ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			"only PIM administrators may delete activation records" );
	/* the record goes, and so does the privilege it granted */
	if ( st != NULL && st->bv_len == STRLENOF( PIM_STATE_ACTIVE ) &&
		strncasecmp( st->bv_val, PIM_STATE_ACTIVE, st->bv_len ) == 0 )
		(void)pim_after_push( op, pi, PIM_AFTER_ACTIVATION_DELETED, e );
	return SLAP_CB_CONTINUE;
}

int
pim_op_delete( Operation *op, SlapReply *rs )
{
	pim_info *pi = pim_hook_info( op );
	Entry *e = NULL;
	pim_after *pa;
	int rc = SLAP_CB_CONTINUE, in_use = 0, group = 0;

	pim_window_watch( op, pi );
	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( pim_in_txn( op ) && ( pim_dn_is_pim( pi, &op->o_req_ndn ) ||
		pim_target_is_pim( pim_target_kind( op, pi, NULL ) ) ) )
		return pim_txn_refuse( op, rs );
	if ( ( rc = pim_audit_intercept( op, rs, pi ) ) != SLAP_CB_CONTINUE )
		return rc;

	switch ( pim_target_kind( op, pi, &e ) ) {
	case PIM_T_ELIGIBILITY:
		if ( !pim_is_admin( op, pi ) ) {
			rc = pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
				"only PIM administrators may remove eligibility" );
			break;
		}
		(void)pim_after_push( op, pi, PIM_AFTER_ELIGIBILITY_DELETED, e );
		break;
	case PIM_T_ACTIVATION:
		rc = pim_delete_activation( op, rs, pi, e );
		break;
	case PIM_T_REVIEW:
		return pim_review_door_delete( op, rs, pi, e );	/* releases e */
	case PIM_T_ROLE:
		pim_entry_release( op, pi, e );
		e = NULL;
		if ( !pim_is_admin( op, pi ) )
			rc = pim_refuse_role( op, rs, LDAP_INSUFFICIENT_ACCESS,
				"only PIM administrators may delete a PIM role" );
		else if ( pim_role_in_use( op, pi, &in_use ) != LDAP_SUCCESS || in_use )
			rc = pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
				"the role still has eligibility or active activations: "
				"remove them first (pimctl unassign)" );
		break;
	case PIM_T_OTHER:
		/* perhaps a principal: what PIM holds for it goes with it
		 * (which PIM could not do inside a transaction) */
		if ( pim_dn_is_pim( pi, &op->o_req_ndn ) )
			break;
		if ( pim_in_txn( op ) ) {
			if ( pim_names_principal( op, pi ) != 0 )
				rc = pim_txn_refuse( op, rs );
			else
				group = e != NULL && pim_group_member_ad( e ) != NULL;
			break;
		}
		pa = pim_after_push_dns( op, pi, PIM_AFTER_PRINCIPAL_DELETED,
			&op->o_req_ndn, NULL );
		/* the uid kinds' values of the principal, once its entry
		 * is gone, are known only from here */
		pim_after_keep_uid( op, pa, e );
		group = e != NULL && pim_group_member_ad( e ) != NULL;
		break;
	default:
		break;
	}
	if ( e != NULL )
		pim_entry_release( op, pi, e );
	/* a group that goes: the activations through it, once it has
	 * (its entry released first: the walk reads groups) */
	if ( group && rc == SLAP_CB_CONTINUE )
		rc = pim_group_watch( op, rs, pi );
	return rc;
}

/* Does a PIM record name op's target as its principal?  1 yes, 0 no,
 * -1 cannot tell. */
static int
pim_names_principal( Operation *op, pim_info *pi )
{
	char *filter = pim_filter_principal_role( op, "*", &op->o_req_ndn,
		NULL, NULL );
	int rc = pim_subtree_has( op, pi, &pi->pi_ncontainer,
		LDAP_SCOPE_SUBTREE, filter );

	op->o_tmpfree( filter, op->o_tmpmemctx );
	return rc;
}

/* Is there an entry of class oc at or below base (a size-limited,
 * attribute-less search)?  1 yes, 0 no, -1 cannot tell. */
static int
pim_subtree_has( Operation *op, pim_info *pi, struct berval *base,
	int scope, const char *filter )
{
	BerVarray list = NULL;
	int rc, found;

	rc = pim_internal_search_ext( op, pi, base, scope, filter,
		slap_anlist_no_attrs, 1, pim_collect_ndn, &list );
	found = list != NULL;
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc != LDAP_SUCCESS ? -1 : found;
}

/* The rename of an entry that is not PIM's own: the PIM container, the
 * audit container and PIM roles are referred to by DN, so a rename that
 * would move one is refused; a principal's rename is followed. */
static int
pim_modrdn_other( Operation *op, SlapReply *rs, pim_info *pi )
{
	Entry *e = NULL;
	pim_after *pa;
	int below;

	/* (the audit container and its ancestors: pim_audit_intercept) */
	if ( dnIsSuffix( &pi->pi_ncontainer, &op->o_req_ndn ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"the PIM container cannot move: PIM's records and the "
			"configuration name it" );
	if ( op->orr_nnewSup != NULL &&
		dnIsSuffix( op->orr_nnewSup, &pi->pi_ncontainer ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"nothing moves into the PIM container: PIM makes its entries" );
	if ( pim_subtree_has( op, pi, &op->o_req_ndn, LDAP_SCOPE_SUBTREE,
		"(objectClass=pimRole)" ) != 0 )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"PIM roles are below this entry, and eligibility and "
			"activations refer to them by DN: a PIM role cannot move" );
	below = pim_subtree_has( op, pi, &op->o_req_ndn, LDAP_SCOPE_ONELEVEL,
		"(objectClass=*)" );
	if ( pim_in_txn( op ) ) {
		/* PIM could not follow inside the transaction */
		if ( below != 0 || pim_names_principal( op, pi ) != 0 )
			return pim_txn_refuse( op, rs );
		return SLAP_CB_CONTINUE;
	}
	if ( pim_ad_uid != NULL ) {
		struct berval nuid;
		const char *text = NULL;
		int rc;

		pim_rdn_uid( op, &nuid );
		if ( BER_BVISNULL( &nuid ) )
			rc = LDAP_SUCCESS;
		else {
			rc = pim_uid_change_check( op, pi, &op->o_req_ndn, &nuid,
				&text );
			op->o_tmpfree( nuid.bv_val, op->o_tmpmemctx );
		}
		if ( rc != LDAP_SUCCESS )
			return pim_refuse( op, rs, rc, text );
	}
	/* a renamed user or group may leave a group's membership (no
	 * slapo-refint to follow it): once refint had its moment, the
	 * activations through groups are checked again */
	if ( pim_through_any_open( op, pi ) )
		pim_timer_add_through( pi, slap_get_time() + PIM_THROUGH_SETTLE );
	pa = pim_after_push_dns( op, pi, PIM_AFTER_PRINCIPAL_RENAMED,
		&op->o_req_ndn, NULL );
	pa->pa_subtree = below != 0;
	pim_modrdn_new_ndn( op, &pa->pa_new );
	if ( pim_ad_uid != NULL && pim_entry_get( op, pi, &op->o_req_ndn, &e ) ==
		LDAP_SUCCESS )
	{
		pim_after_keep_uid( op, pa, e );	/* the new RDN may change it */
		pim_entry_release( op, pi, e );
	}
	pim_rename_begin( pi, &op->o_req_ndn, &pa->pa_new );	/* to cleanup */
	return SLAP_CB_CONTINUE;
}

int
pim_op_modrdn( Operation *op, SlapReply *rs )
{
	pim_info *pi = pim_hook_info( op );
	int rc;

	if ( pim_pass_through( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( pim_in_txn( op ) && ( pim_dn_is_pim( pi, &op->o_req_ndn ) ||
		( op->orr_nnewSup != NULL && pim_dn_is_pim( pi, op->orr_nnewSup ) ) ||
		pim_target_is_pim( pim_target_kind( op, pi, NULL ) ) ) )
		return pim_txn_refuse( op, rs );
	if ( ( rc = pim_audit_intercept( op, rs, pi ) ) != SLAP_CB_CONTINUE )
		return rc;
	switch ( pim_target_kind( op, pi, NULL ) ) {
	case PIM_T_ACTIVATION:
	case PIM_T_ELIGIBILITY:
	case PIM_T_REVIEW:
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"PIM entries cannot be renamed" );
	case PIM_T_ROLE:
		return pim_refuse_role( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"a PIM role cannot be renamed: eligibility and activations "
			"refer to it by DN" );
	case PIM_T_OTHER:
		return pim_modrdn_other( op, rs, pi );
	default:
		return SLAP_CB_CONTINUE;
	}
}
