/* pim_door2_actions.c - door 2's actions: plain LDAP writes that ask
 * PIM to act.
 *
 * ldapmodify-driven automation gets every action the extended
 * operations offer, through the same engine and with the same result
 * codes:
 *   ldapadd of a pimActivation entry        activate (or, by a PIM
 *                                           administrator for someone
 *                                           else, an active assignment)
 *   pimState: deactivated | cancelled | revoked   end it
 *   add pimApprovedBy: <yourself>           approve (pimDecisionReason
 *   add pimDeniedBy: <yourself>             deny     may come along)
 *   replace pimEndTime (+ pimJustification) extend
 *   add/delete member on a PIM role         an administrator's active
 *                                           assignment, or its removal
 * The overlay then answers the client itself: the entry is written by
 * the engine, as PIM's own internal operation.
 */
#include "pim.h"

/* Identifiers a client may choose: they become RDN values.  Door 1's
 * decoder takes ids up to the same PIM_MAX_ID. */
static int
pim_door_id_ok( struct berval *id )
{
	ber_len_t i;

	if ( id == NULL || id->bv_len == 0 || id->bv_len > PIM_MAX_ID )
		return 0;
	for ( i = 0; i < id->bv_len; i++ ) {
		unsigned char ch = id->bv_val[i];

		if ( !isalnum( ch ) && ch != '-' && ch != '_' && ch != '.' )
			return 0;
	}
	return 1;
}

static void
pim_door_text( Entry *e, AttributeDescription *ad, struct berval *out,
	unsigned *fields, unsigned bit )
{
	struct berval *v = pim_entry_val( e, ad );

	if ( v != NULL ) {
		*out = *v;
		*fields |= bit;
	}
}

/* The request an activation entry asks for.  Its bervals point into e. */
static int
pim_door_request( Operation *op, pim_info *pi, Entry *e, pim_request *req,
	const char **text )
{
	struct berval *v, ndn;
	time_t now = slap_get_time(), end = 0;
	int same;

	memset( req, 0, sizeof( *req ) );
	v = pim_entry_val( e, pim_ad_id );
	if ( !pim_door_id_ok( v ) ) {
		*text = "pimId: 1 to " PIM_STR( PIM_MAX_ID )
			" letters, digits, '.', '_' or '-'";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	req->pr_id = *v;
	req->pr_fields |= PIM_F_ID;
	pim_activation_ndn( op, pi, v, &ndn );
	same = dn_match( &ndn, &e->e_nname );
	op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	if ( !same ) {
		*text = "activation entries are named pimId=<id>,<the PIM container>";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	/* the schema check comes after this hook: the attributes may lack */
	if ( pim_entry_nval( e, pim_ad_role ) == NULL ||
		pim_entry_nval( e, pim_ad_principal ) == NULL )
	{
		*text = "an activation needs pimPrincipal and pimRoleDN";
		return LDAP_OBJECT_CLASS_VIOLATION;
	}
	if ( pim_entry_val( e, pim_ad_through ) != NULL ||
		pim_entry_val( e, pim_ad_request_for ) != NULL )
	{
		*text = "pimEligibleThrough and pimRequestFor are PIM's to write";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	req->pr_role = *pim_entry_nval( e, pim_ad_role );
	req->pr_principal = *pim_entry_nval( e, pim_ad_principal );
	req->pr_fields |= PIM_F_PRINCIPAL;
	pim_door_text( e, pim_ad_justification, &req->pr_justification,
		&req->pr_fields, PIM_F_JUSTIFICATION );
	pim_door_text( e, pim_ad_ticket, &req->pr_ticket, &req->pr_fields,
		PIM_F_TICKET );
	if ( pim_entry_time( e, pim_ad_start, &req->pr_start ) == 0 )
		req->pr_fields |= PIM_F_START;
	if ( ( v = pim_entry_val( e, pim_ad_requested_duration ) ) != NULL ) {
		if ( pim_duration_parse( v->bv_val, v->bv_len, &req->pr_duration ) ||
			req->pr_duration < 1 )
		{
			*text = "pimRequestedDuration: not a duration (such as 2h)";
			return LDAP_INVALID_SYNTAX;
		}
		req->pr_fields |= PIM_F_DURATION;
	} else if ( pim_entry_time( e, pim_ad_end, &end ) == 0 ) {
		req->pr_end = end;
		req->pr_fields |= PIM_F_END;
		req->pr_duration = end - ( req->pr_start > now ? req->pr_start : now );
		if ( req->pr_duration < 1 ) {
			*text = "pimEndTime: the activation would end before it starts";
			return LDAP_CONSTRAINT_VIOLATION;
		}
		req->pr_fields |= PIM_F_DURATION;
	}
	return LDAP_SUCCESS;
}

static int
pim_door_answer( Operation *op, SlapReply *rs, pim_info *pi, int rc,
	pim_response *out )
{
	if ( !BER_BVISNULL( &out->ps_id ) )
		op->o_tmpfree( out->ps_id.bv_val, op->o_tmpmemctx );
	if ( rc != LDAP_SUCCESS ) {
		pim_event_info e = { .ev_kind = PIM_EK_REFUSED, .ev_action = "write",
			.ev_dn = &op->o_req_ndn, .ev_result = rc,
			.ev_text = rs->sr_text ? rs->sr_text : "" };

		return pim_refuse_send( op, rs, pi, &e );
	}
	rs->sr_err = rc;
	send_ldap_result( op, rs );
	return rc;
}

int
pim_door_add_activation( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	pim_request req;
	pim_response out;
	int rc;

	memset( &out, 0, sizeof( out ) );
	rc = pim_door_controls( op, rs, e );
	if ( rc == LDAP_SUCCESS )
		rc = pim_door_request( op, pi, e, &req, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		return pim_door_answer( op, rs, pi, rc, &out );
	if ( !dn_match( &req.pr_principal, &op->o_ndn ) && pim_is_admin( op, pi ) ) {
		/* an administrator's record for somebody else: an assignment */
		req.pr_kind = PIM_KIND_ACTIVE;
		req.pr_fields |= PIM_F_KIND;
		if ( !( req.pr_fields & PIM_F_DURATION ) ) {
			req.pr_permanent = 1;
			req.pr_fields |= PIM_F_PERMANENT;
		}
		rc = pim_assign( op, rs, pi, &req, &out );
	} else {
		rc = pim_activate( op, rs, pi, &req, &out );
	}
	return pim_door_answer( op, rs, pi, rc, &out );
}

/* --- modify ----------------------------------------------------------- */

/* The client's controls against the entry its modify names. */
static int
pim_door_target_controls( Operation *op, SlapReply *rs, pim_info *pi )
{
	Entry *e = NULL;
	int rc;

	(void)pim_entry_get( op, pi, &op->o_req_ndn, &e );
	rc = pim_door_controls( op, rs, e );
	pim_entry_release( op, pi, e );
	return rc;
}

/* The one value a modification of ad sets, if ml has exactly one such
 * modification adding or replacing exactly one value. */
static struct berval *
pim_door_one_value( Modifications *ml, AttributeDescription *ad, int *count )
{
	struct berval *v = NULL;

	for ( *count = 0; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_desc != ad || ml->sml_op == LDAP_MOD_DELETE )
			continue;
		( *count )++;
		if ( ml->sml_numvals == 1 )
			v = ml->sml_nvalues ? &ml->sml_nvalues[0] : &ml->sml_values[0];
	}
	return *count == 1 ? v : NULL;
}

/* Only these attributes may appear in a door-2 change of an activation
 * (a delete of the old pimState value may accompany the new one). */
static int
pim_door_mods_only( Modifications *ml, AttributeDescription *a,
	AttributeDescription *b )
{
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_desc != a && ml->sml_desc != b )
			return 0;
	}
	return 1;
}

/* The action a modify of an activation asks for: the engine's verb, set
 * up in *req, or -1. */
static int
pim_door_action( Operation *op, Modifications *ml, pim_request *req,
	const char **text )
{
	struct berval *v;
	int n;

	if ( pim_door_mods_only( ml, pim_ad_state, NULL ) &&
		( v = pim_door_one_value( ml, pim_ad_state, &n ) ) != NULL )
	{
		if ( bvmatch( v, &(struct berval)BER_BVC( "deactivated" ) ) ||
			bvmatch( v, &(struct berval)BER_BVC( "revoked" ) ) )
			return PIM_VERB_DEACTIVATE;
		if ( bvmatch( v, &(struct berval)BER_BVC( "cancelled" ) ) )
			return PIM_VERB_CANCEL;
	}
	if ( pim_door_mods_only( ml, pim_ad_approved_by, pim_ad_decision_reason ) &&
		( v = pim_door_one_value( ml, pim_ad_approved_by, &n ) ) != NULL )
		return dn_match( v, &op->o_ndn ) ? PIM_VERB_APPROVE : -2;
	if ( pim_door_mods_only( ml, pim_ad_denied_by, pim_ad_decision_reason ) &&
		( v = pim_door_one_value( ml, pim_ad_denied_by, &n ) ) != NULL )
		return dn_match( v, &op->o_ndn ) ? PIM_VERB_DENY : -2;
	if ( pim_door_mods_only( ml, pim_ad_end, pim_ad_justification ) &&
		( v = pim_door_one_value( ml, pim_ad_end, &n ) ) != NULL &&
		pim_gentime_parse( v->bv_val, v->bv_len, &req->pr_end ) == 0 )
	{
		req->pr_fields |= PIM_F_END;
		return PIM_VERB_EXTEND;
	}
	*text = "PIM makes this change itself: set pimState to deactivated, "
		"cancelled or revoked, add your own pimApprovedBy or pimDeniedBy, "
		"or replace pimEndTime (and pimJustification) to extend";
	return -1;
}

int
pim_door_modify_activation( Operation *op, SlapReply *rs, pim_info *pi )
{
	pim_act_facts af;
	pim_request req;
	pim_response out;
	struct berval *reason;
	int verb, n, rc;

	memset( &req, 0, sizeof( req ) );
	memset( &out, 0, sizeof( out ) );
	rc = pim_door_target_controls( op, rs, pi );
	if ( rc != LDAP_SUCCESS )
		return pim_door_answer( op, rs, pi, rc, &out );
	rc = pim_act_facts_read( op, pi, &op->o_req_ndn, &af );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot read the activation";
		return pim_door_answer( op, rs, pi, LDAP_OTHER, &out );
	}
	req.pr_role = af.af_role;
	req.pr_id = af.af_id;
	req.pr_fields = PIM_F_ID;
	verb = pim_door_action( op, op->orm_modlist, &req, &rs->sr_text );
	/* the reason: of a decision, or (extension) a new justification */
	reason = pim_door_one_value( op->orm_modlist, verb == PIM_VERB_EXTEND ?
		pim_ad_justification : pim_ad_decision_reason, &n );
	if ( reason != NULL ) {
		req.pr_justification = *reason;
		req.pr_fields |= PIM_F_JUSTIFICATION;
	}
	switch ( verb ) {
	case -2:
		rs->sr_text = "you may only add your own approval or denial";
		rc = LDAP_INSUFFICIENT_ACCESS;
		break;
	case PIM_VERB_DEACTIVATE:
		req.pr_principal = af.af_principal;
		req.pr_fields |= PIM_F_PRINCIPAL;
		rc = pim_deactivate( op, rs, pi, &req, &out );
		break;
	case PIM_VERB_CANCEL:	rc = pim_cancel( op, rs, pi, &req, &out ); break;
	case PIM_VERB_APPROVE:	rc = pim_approve( op, rs, pi, &req, &out ); break;
	case PIM_VERB_DENY:	rc = pim_deny( op, rs, pi, &req, &out ); break;
	case PIM_VERB_EXTEND:
		req.pr_principal = af.af_principal;
		req.pr_fields |= PIM_F_PRINCIPAL;
		rc = pim_extend( op, rs, pi, &req, &out );
		break;
	default:		rc = LDAP_UNWILLING_TO_PERFORM; break;
	}
	rc = pim_door_answer( op, rs, pi, rc, &out );
	pim_act_facts_free( op, &af );
	return rc;
}

/* --- an administrator's direct writes to a role's members ----------- */

/* Does the role op names hold user in ad? */
static int
pim_door_value_is( Operation *op, pim_info *pi, struct berval *user,
	AttributeDescription *ad )
{
	Entry *e = NULL;
	int has;

	if ( pim_entry_get( op, pi, &op->o_req_ndn, &e ) != LDAP_SUCCESS )
		return 0;
	has = pim_attr_has_dn( attr_find( e->e_attrs, ad ), user );
	pim_entry_release( op, pi, e );
	return has;
}

/* The principal a value of kind's attribute names, on o_tmpmemctx: the
 * DN itself, or the one entry with that uid.  sr_text says why not. */
static int
pim_door_principal( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_role_kind *kind, struct berval *v, struct berval *user )
{
	Entry *e = NULL;
	int rc;

	if ( kind->rk_form == PIM_FORM_UID ) {
		rc = pim_uid_principal( op, pi, v, user );
		if ( rc == LDAP_NO_SUCH_OBJECT )
			rs->sr_text = "no entry has this uid";
		else if ( rc == LDAP_CONSTRAINT_VIOLATION )
			rs->sr_text = "more than one entry has this uid";
		return rc == LDAP_NO_SUCH_OBJECT ? LDAP_CONSTRAINT_VIOLATION : rc;
	}
	if ( pim_entry_get( op, pi, v, &e ) != LDAP_SUCCESS ) {
		rs->sr_text = "member: no such entry";
		return LDAP_CONSTRAINT_VIOLATION;
	}
	pim_entry_release( op, pi, e );
	ber_dupbv_x( user, v, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* A deleted static value of a uid kind that names no principal (its
 * user was deleted, or never existed): it simply goes. */
static int
pim_door_value_drop( Operation *op, pim_info *pi, const pim_role_kind *kind,
	struct berval *v )
{
	pim_modlist ml;

	ml.ml_n = 0;
	pim_ml_add( &ml, LDAP_MOD_DELETE, kind->rk_ad, v );
	return pim_internal_modify( op, pi, &op->o_req_ndn, pim_ml_head( &ml ) );
}

/* Each added member becomes a permanent active assignment (where the
 * role's policy allows one).  A deleted value PIM gave ends everything
 * of PIM's that holds it; a deleted static value goes, or, while PIM's
 * activations of that user hold the role, becomes PIM's
 * (pim_member_unstatic): the way a static member moves under PIM. */
static int
pim_door_member_one( Operation *op, SlapReply *rs, pim_info *pi,
	Modifications *m, const pim_role_kind *kind, struct berval *v )
{
	pim_request req;
	pim_response out;
	struct berval user = BER_BVNULL;
	long count = 0;
	int rc, adding = m->sml_op == LDAP_MOD_ADD || m->sml_op == SLAP_MOD_SOFTADD;

	rc = pim_door_principal( op, rs, pi, kind, v, &user );
	if ( rc != LDAP_SUCCESS ) {
		if ( adding || kind->rk_form != PIM_FORM_UID )
			return rc;
		rs->sr_text = NULL;
		return pim_door_value_drop( op, pi, kind, v );
	}
	memset( &req, 0, sizeof( req ) );
	memset( &out, 0, sizeof( out ) );
	req.pr_role = op->o_req_ndn;
	req.pr_principal = user;
	if ( adding ) {
		req.pr_fields = PIM_F_PRINCIPAL | PIM_F_KIND | PIM_F_PERMANENT;
		req.pr_kind = PIM_KIND_ACTIVE;
		req.pr_permanent = 1;
		rc = pim_assign( op, rs, pi, &req, &out );
	} else if ( pim_door_value_is( op, pi, &user, pim_ad_managed_member ) ) {
		/* PIM's value: everything of PIM's that holds it ends */
		rc = pim_end_matching( op, pi, &user, &op->o_req_ndn, NULL, PIM_WHICH_ALL,
			PIM_EV_REVOKE, &op->o_ndn, NULL, &count );
	} else {
		/* a static value: it goes, or becomes PIM's while PIM's
		 * activations of the user hold the role */
		int kept = 0;

		rc = pim_member_unstatic( op, pi, &user, &op->o_req_ndn, &kept );
		if ( rc == LDAP_SUCCESS ) {
			pim_event_info e = { .ev_kind = kept ? PIM_EK_STATIC_MOVED :
				PIM_EK_STATIC_REMOVED, .ev_role = &op->o_req_ndn,
				.ev_principal = &user };

			pim_event( op, pi, &e );
		}
	}
	if ( !BER_BVISNULL( &out.ps_id ) )
		op->o_tmpfree( out.ps_id.bv_val, op->o_tmpmemctx );
	op->o_tmpfree( user.bv_val, op->o_tmpmemctx );
	return rc;
}

/* Before anything is written: every added member must exist, and the
 * role must allow what each becomes, a permanent active assignment;
 * every deleted member must be one. */
static int
pim_door_members_check( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_role_kind *kind )
{
	Modifications *m;
	pim_policy policy;
	struct berval user;
	unsigned i;
	int rc;

	rc = pim_role_load( op, pi, &op->o_req_ndn, &policy, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		return rc;
	for ( m = op->orm_modlist; m != NULL; m = m->sml_next ) {
		if ( m->sml_op == LDAP_MOD_DELETE ) {
			for ( i = 0; i < m->sml_numvals; i++ ) {
				if ( !pim_door_value_is( op, pi, m->sml_nvalues ?
					&m->sml_nvalues[i] : &m->sml_values[i], kind->rk_ad ) ) {
					rs->sr_text = "no such value";
					return LDAP_NO_SUCH_ATTRIBUTE;
				}
			}
			continue;
		}
		if ( m->sml_op != LDAP_MOD_ADD && m->sml_op != SLAP_MOD_SOFTADD )
			continue;
		if ( !policy.pp_active_permanent ) {
			rs->sr_text = "a direct member of a PIM role is a permanent "
				"active assignment, which this role does not allow: "
				"use pimctl assign --active with a duration";
			return LDAP_CONSTRAINT_VIOLATION;
		}
		for ( i = 0; i < m->sml_numvals; i++ ) {
			rc = pim_door_principal( op, rs, pi, kind, m->sml_nvalues ?
				&m->sml_nvalues[i] : &m->sml_values[i], &user );
			if ( rc != LDAP_SUCCESS )
				return rc;
			op->o_tmpfree( user.bv_val, op->o_tmpmemctx );
		}
	}
	return LDAP_SUCCESS;
}

int
pim_door_modify_members( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_role_kind *kind )
{
	Modifications *m;
	unsigned i;
	int rc;

	rc = pim_door_target_controls( op, rs, pi );
	if ( rc != LDAP_SUCCESS )
		return pim_door_answer( op, rs, pi, rc, &(pim_response){ 0 } );
	for ( m = op->orm_modlist; m != NULL; m = m->sml_next ) {
		if ( m->sml_desc != kind->rk_ad || m->sml_op == LDAP_MOD_REPLACE ||
			m->sml_values == NULL )
		{
			rs->sr_text = "change the members of a PIM role on their own, "
				"adding or deleting values one by one";
			return pim_door_answer( op, rs, pi, LDAP_UNWILLING_TO_PERFORM,
				&(pim_response){ 0 } );
		}
	}
	rc = pim_door_members_check( op, rs, pi, kind );
	for ( m = op->orm_modlist; rc == LDAP_SUCCESS && m != NULL; m = m->sml_next ) {
		for ( i = 0; rc == LDAP_SUCCESS && i < m->sml_numvals; i++ )
			rc = pim_door_member_one( op, rs, pi, m, kind, m->sml_nvalues ?
				&m->sml_nvalues[i] : &m->sml_values[i] );
	}
	if ( rc == LDAP_SUCCESS )
		rs->sr_text = NULL;
	return pim_door_answer( op, rs, pi, rc, &(pim_response){ 0 } );
}
