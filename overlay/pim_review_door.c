/* pim_review_door.c - access reviews through both doors: the extended
 * operations (reviewCreate, reviewModify, reviewDelete, reviewDecide,
 * reviewApply, reviewStop) and plain LDAP writes of review entries.
 *
 * Definitions are the administrators': both doors check them with the
 * same reader (pim_review_def_read) before they are stored.  Instances
 * and items are PIM's: nobody adds, renames or edits them; a write that
 * asks PIM to act on one (a decision on an item, pimState closed or
 * applied on an instance) is performed by PIM, as an extended operation
 * would be, and answered here.
 */
#include "pim_door2.h"
#include "pim_review.h"
#include "ldif.h"

#define PIM_RV_ADMIN_TEXT "only PIM administrators may manage access reviews"

/* The attributes an administrator sets on a definition. */
static int
pim_rv_def_attr( AttributeDescription *ad )
{
	int i;

	if ( ad == slap_schema.si_ad_cn || ad == slap_schema.si_ad_description )
		return 1;
	for ( i = PIM_RV_SCOPE_ROLE; i < PIM_RV_OCCURRENCE; i++ ) {
		if ( ad == pim_ad_rv[i] )
			return 1;
	}
	return 0;
}

/* Every scope role names a PIM role. */
static int
pim_rv_roles_check( Operation *op, pim_info *pi, pim_review_def *rd,
	const char **text )
{
	Attribute *a = rd->rd_roles;
	unsigned i;
	int ok;

	for ( i = 0; a != NULL && i < a->a_numvals; i++ ) {
		Entry *e = NULL;

		if ( pim_entry_get( op, pi, &a->a_nvals[i], &e ) != LDAP_SUCCESS ) {
			*text = "pimReviewScopeRole: no such role";
			return LDAP_CONSTRAINT_VIOLATION;
		}
		ok = is_entry_objectclass_or_sub( e, pim_oc_role );
		pim_entry_release( op, pi, e );
		if ( !ok ) {
			*text = "pimReviewScopeRole: not a PIM role (pimRole)";
			return LDAP_CONSTRAINT_VIOLATION;
		}
	}
	return LDAP_SUCCESS;
}

/* Check definition e as it would be stored. */
static int
pim_rv_def_check( Operation *op, pim_info *pi, Entry *e, const char **text )
{
	pim_review_def rd;
	int rc = pim_review_def_read( e, &rd, text );

	if ( rc == LDAP_SUCCESS && BER_BVISEMPTY( &rd.rd_name ) ) {
		*text = "a review definition needs a name (cn)";
		rc = LDAP_OBJECT_CLASS_VIOLATION;
	}
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_roles_check( op, pi, &rd, text );
	return rc;
}

/* --- settings: LDIF attribute lines ---------------------------------- */

/* The modifications the settings' lines stand for: one per attribute,
 * replacing its values (a lone empty value: removing it), on the heap
 * (slap_mods_free).  Values are checked and normalized by
 * slap_mods_check, as a client's modify's are. */
static int
pim_rv_settings( Operation *op, struct berval *ldif, int create,
	Modifications **mlp, const char **text, char *tbuf, size_t tlen )
{
	Modifications *ml = NULL, **tail = &ml, *m;
	char *buf = ch_malloc( ldif->bv_len + 1 ), *next = buf, *line;
	int rc = LDAP_SUCCESS;

	memcpy( buf, ldif->bv_val, ldif->bv_len );
	buf[ldif->bv_len] = '\0';
	while ( rc == LDAP_SUCCESS && ( line = ldif_getline( &next ) ) != NULL ) {
		struct berval type, value;
		int freeval;

		if ( *line == '\0' || *line == '#' )
			continue;
		if ( ldif_parse_line2( line, &type, &value, &freeval ) < 0 ) {
			*text = "settings: a line is not \"attribute: value\"";
			rc = LDAP_PROTOCOL_ERROR;
			break;
		}
		for ( m = ml; m != NULL; m = m->sml_next ) {
			if ( type.bv_len == m->sml_type.bv_len && strncasecmp(
				type.bv_val, m->sml_type.bv_val, type.bv_len ) == 0 )
				break;
		}
		if ( m == NULL ) {
			m = ch_calloc( 1, sizeof( *m ) );
			m->sml_op = create ? LDAP_MOD_ADD : LDAP_MOD_REPLACE;
			m->sml_flags = 0;
			ber_dupbv( &m->sml_type, &type );
			*tail = m;
			tail = &m->sml_next;
		}
		if ( value.bv_len > 0 || create ) {
			struct berval v;

			ber_dupbv( &v, &value );
			ber_bvarray_add( &m->sml_values, &v );	/* takes v */
		}
		if ( freeval )
			ber_memfree( value.bv_val );
	}
	ch_free( buf );
	for ( m = ml; m != NULL; m = m->sml_next ) {
		unsigned n = 0;

		while ( m->sml_values && !BER_BVISNULL( &m->sml_values[n] ) )
			n++;
		m->sml_numvals = n;
		if ( create && n == 0 && rc == LDAP_SUCCESS ) {
			*text = "settings: an attribute without a value";
			rc = LDAP_PROTOCOL_ERROR;
		}
	}
	if ( rc == LDAP_SUCCESS && ml == NULL ) {
		*text = "settings: no attribute given";
		rc = LDAP_PROTOCOL_ERROR;
	}
	if ( rc == LDAP_SUCCESS )
		rc = slap_mods_check( op, ml, text, tbuf, tlen, NULL );
	for ( m = ml; rc == LDAP_SUCCESS && m != NULL; m = m->sml_next ) {
		if ( !pim_rv_def_attr( m->sml_desc ) || m->sml_desc->ad_tags.bv_len ) {
			snprintf( tbuf, tlen, "settings: %s is not a setting of a "
				"review definition", m->sml_type.bv_val );
			*text = tbuf;
			rc = LDAP_CONSTRAINT_VIOLATION;
		}
	}
	if ( rc != LDAP_SUCCESS ) {
		slap_mods_free( ml, 1 );
		ml = NULL;
	}
	*mlp = ml;
	return rc;
}

/* --- the extended operations ----------------------------------------- */

/* The review operations but reviewDecide are the administrators'. */
static int
pim_rv_admin( Operation *op, pim_info *pi, SlapReply *rs )
{
	if ( pim_is_admin( op, pi ) )
		return LDAP_SUCCESS;
	rs->sr_text = PIM_RV_ADMIN_TEXT;
	return LDAP_INSUFFICIENT_ACCESS;
}

/* A diagnostic's buffer that outlives the handler (fe_extended sends
 * the text after it returns): the operation's memory, which goes with
 * the operation. */
static char *
pim_rv_textbuf( Operation *op )
{
	char *buf = op->o_tmpalloc( SLAP_TEXT_BUFLEN, op->o_tmpmemctx );

	buf[0] = '\0';
	return buf;
}

static int
pim_rv_event( Operation *op, pim_info *pi, enum pim_event_kind kind,
	struct berval *id, struct berval *reason )
{
	pim_event_info ev = { .ev_kind = kind, .ev_id = id, .ev_reason = reason };

	pim_event( op, pi, &ev );
	return LDAP_SUCCESS;
}

/* The new definition of settings, with its start (now, unless given). */
static Entry *
pim_rv_new_def( Operation *op, pim_info *pi, Modifications *ml,
	struct berval *id )
{
	Entry *e = pim_entry_new( op, pi, "pimReviewDefinition", id );
	Modifications *m;

	for ( m = ml; m != NULL; m = m->sml_next )
		(void)attr_merge( e, m->sml_desc, m->sml_values,
			m->sml_nvalues ? m->sml_nvalues : m->sml_values );
	if ( attr_find( e->e_attrs, pim_ad_rv[PIM_RV_START] ) == NULL )
		pim_entry_merge_time( op, e, pim_ad_rv[PIM_RV_START],
			slap_get_time() );
	return e;
}

int
pim_review_create( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	Modifications *ml = NULL;
	Entry *e = NULL;
	char idbuf[PIM_MAX_ID], *tbuf = pim_rv_textbuf( op );
	struct berval id;
	int rc;

	if ( ( rc = pim_rv_admin( op, pi, rs ) ) != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_settings( op, &req->pr_settings, 1, &ml, &rs->sr_text,
		tbuf, SLAP_TEXT_BUFLEN );
	if ( rc != LDAP_SUCCESS )
		goto done;
	id.bv_len = pim_new_id( idbuf, sizeof( idbuf ) );
	id.bv_val = idbuf;
	e = pim_rv_new_def( op, pi, ml, &id );
	rc = pim_rv_def_check( op, pi, e, &rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_internal_add( op, pi, e );	/* frees e */
	e = NULL;
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot record the review definition";
		rc = LDAP_OTHER;
		goto done;
	}
	{
		struct berval ndn;

		pim_activation_ndn( op, pi, &id, &ndn );
		pim_rv_event( op, pi, PIM_EK_REVIEW_CREATED, &id, NULL );
		pim_timer_add_review( pi, slap_get_time(), &ndn );
		op->o_tmpfree( ndn.bv_val, op->o_tmpmemctx );
	}
	out->ps_fields = PIM_RF_ID;
	ber_dupbv_x( &out->ps_id, &id, op->o_tmpmemctx );
done:
	if ( e != NULL )
		entry_free( e );
	slap_mods_free( ml, 1 );
	rs->sr_err = rc;
	return rc;
}

/* The entry at ndn if it is a review entry of kind want; *e released by
 * the caller. */
static int
pim_rv_target( Operation *op, pim_info *pi, struct berval *ndn,
	enum pim_rv_entry want, Entry **e, const char **text )
{
	if ( pim_entry_get( op, pi, ndn, e ) != LDAP_SUCCESS ) {
		*text = "no such access review entry";
		return LDAP_NO_SUCH_OBJECT;
	}
	if ( pim_review_entry_kind( *e ) != want ) {
		pim_entry_release( op, pi, *e );
		*e = NULL;
		*text = want == PIM_RVE_DEFINITION ? "not an access review "
			"definition" : want == PIM_RVE_INSTANCE ? "not an access "
			"review instance" : "not an access review item";
		return LDAP_UNWILLING_TO_PERFORM;
	}
	return LDAP_SUCCESS;
}

/* Apply ml to a copy of definition e and check the result. */
static int
pim_rv_def_check_mods( Operation *op, pim_info *pi, Entry *e,
	Modifications *ml, const char **text, char *tbuf, size_t tlen )
{
	Entry *copy = entry_dup( e );
	Modifications *m;
	int rc = LDAP_SUCCESS;

	for ( m = ml; rc == LDAP_SUCCESS && m != NULL; m = m->sml_next ) {
		Modification *mod = &m->sml_mod;

		switch ( mod->sm_op ) {
		case LDAP_MOD_ADD:
			rc = modify_add_values( copy, mod, 1, text, tbuf, tlen );
			break;
		case LDAP_MOD_DELETE:
			rc = modify_delete_values( copy, mod, 1, text, tbuf, tlen );
			break;
		case LDAP_MOD_REPLACE:
			rc = modify_replace_values( copy, mod, 1, text, tbuf, tlen );
			break;
		default:
			*text = "this kind of modification does not apply to a "
				"review definition";
			rc = LDAP_UNWILLING_TO_PERFORM;
		}
	}
	if ( rc == LDAP_SUCCESS )
		rc = pim_rv_def_check( op, pi, copy, text );
	entry_free( copy );
	return rc;
}

int
pim_review_modify( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	Modifications *ml = NULL;
	Entry *e = NULL;
	char *tbuf = pim_rv_textbuf( op );
	struct berval id = BER_BVNULL;
	int rc;

	(void)out;
	if ( ( rc = pim_rv_admin( op, pi, rs ) ) != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_settings( op, &req->pr_settings, 0, &ml, &rs->sr_text,
		tbuf, SLAP_TEXT_BUFLEN );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_target( op, pi, &req->pr_role, PIM_RVE_DEFINITION, &e,
		&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_def_check_mods( op, pi, e, ml, &rs->sr_text, tbuf,
		SLAP_TEXT_BUFLEN );
	if ( pim_entry_val( e, pim_ad_id ) != NULL )
		ber_dupbv_x( &id, pim_entry_val( e, pim_ad_id ), op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	if ( rc != LDAP_SUCCESS )
		goto done;
	rc = pim_internal_modify( op, pi, &req->pr_role, ml );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot change the review definition";
		rc = LDAP_OTHER;
		goto done;
	}
	pim_rv_event( op, pi, PIM_EK_REVIEW_CHANGED, &id, NULL );
	pim_timer_add_review( pi, slap_get_time(), &req->pr_role );
done:
	if ( !BER_BVISNULL( &id ) )
		op->o_tmpfree( id.bv_val, op->o_tmpmemctx );
	slap_mods_free( ml, 1 );
	rs->sr_err = rc;
	return rc;
}

/* Has definition ndn an open instance?  1 yes, 0 no, -1 cannot tell. */
static int
pim_rv_has_open( Operation *op, pim_info *pi, struct berval *ndn )
{
	BerVarray list = NULL;
	struct berval esc;
	char *filter;
	int rc;

	filter_escape_value_x( ndn, &esc, op->o_tmpmemctx );
	filter = op->o_tmpalloc( esc.bv_len + 96, op->o_tmpmemctx );
	snprintf( filter, esc.bv_len + 96, "(&(objectClass=pimReviewInstance)"
		"(pimReviewDefinitionRef=%s)(pimState=open))", esc.bv_val );
	rc = pim_internal_search_ext( op, pi, &pi->pi_ncontainer,
		LDAP_SCOPE_ONELEVEL, filter, slap_anlist_no_attrs, 1,
		pim_collect_ndn, &list );
	op->o_tmpfree( filter, op->o_tmpmemctx );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	ber_bvarray_free_x( list, op->o_tmpmemctx );
	return rc != LDAP_SUCCESS ? -1 : list != NULL;
}

#define PIM_RV_OPEN_TEXT "the review has an open instance: stop it first " \
	"(reviewStop, or pimState closed on the instance)"

int
pim_review_delete( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	Entry *e = NULL;
	struct berval id = BER_BVNULL;
	int rc;

	(void)out;
	if ( ( rc = pim_rv_admin( op, pi, rs ) ) != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_target( op, pi, &req->pr_role, PIM_RVE_DEFINITION, &e,
		&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	if ( pim_entry_val( e, pim_ad_id ) != NULL )
		ber_dupbv_x( &id, pim_entry_val( e, pim_ad_id ), op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	if ( pim_rv_has_open( op, pi, &req->pr_role ) != 0 ) {
		rs->sr_text = PIM_RV_OPEN_TEXT;
		rc = LDAP_UNWILLING_TO_PERFORM;
		goto done;
	}
	rc = pim_internal_delete( op, pi, &req->pr_role );
	if ( rc != LDAP_SUCCESS ) {
		rs->sr_text = "cannot delete the review definition";
		rc = LDAP_OTHER;
		goto done;
	}
	pim_rv_event( op, pi, PIM_EK_REVIEW_DELETED, &id, NULL );
done:
	if ( !BER_BVISNULL( &id ) )
		op->o_tmpfree( id.bv_val, op->o_tmpmemctx );
	rs->sr_err = rc;
	return rc;
}

int
pim_review_decide_op( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	pim_rv_decision dc = {
		.dc_decision = ( req->pr_fields & PIM_F_DECISION ) ?
			req->pr_decision : -1,
		.dc_recommended = ( req->pr_fields & PIM_F_RECOMMENDED ) &&
			req->pr_recommended };
	long count = 0;
	int rc;

	if ( req->pr_fields & PIM_F_JUSTIFICATION )
		dc.dc_reason = req->pr_justification;
	if ( dc.dc_decision < 0 && !dc.dc_recommended ) {
		rs->sr_text = "reviewDecide: a decision, or recommended TRUE";
		rc = LDAP_PROTOCOL_ERROR;
		goto done;
	}
	rc = pim_review_decide( op, pi, &req->pr_role, &dc, &count,
		&rs->sr_text );
	if ( rc == LDAP_SUCCESS ) {
		out->ps_fields = PIM_RF_COUNT;
		out->ps_count = count;
	}
done:
	rs->sr_err = rc;
	return rc;
}

int
pim_review_apply_op( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	long count = 0;
	int rc;

	if ( ( rc = pim_rv_admin( op, pi, rs ) ) != LDAP_SUCCESS )
		goto done;
	rc = pim_review_apply( op, pi, &req->pr_role, &op->o_ndn, &count,
		&rs->sr_text );
	if ( rc == LDAP_SUCCESS ) {
		out->ps_fields = PIM_RF_COUNT;
		out->ps_count = count;
	}
done:
	rs->sr_err = rc;
	return rc;
}

int
pim_review_stop_op( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out )
{
	Entry *e = NULL;
	int rc;

	(void)out;
	if ( ( rc = pim_rv_admin( op, pi, rs ) ) != LDAP_SUCCESS )
		goto done;
	rc = pim_rv_target( op, pi, &req->pr_role, PIM_RVE_INSTANCE, &e,
		&rs->sr_text );
	if ( rc != LDAP_SUCCESS )
		goto done;
	pim_entry_release( op, pi, e );
	rc = pim_review_close( op, pi, &req->pr_role, &op->o_ndn,
		( req->pr_fields & PIM_F_JUSTIFICATION ) ?
		&req->pr_justification : NULL, &rs->sr_text );
done:
	rs->sr_err = rc;
	return rc;
}

/* --- plain LDAP writes (door 2) -------------------------------------- */

/* Answer a write PIM performed itself. */
static int
pim_rv_answer( Operation *op, SlapReply *rs, int rc, const char *text )
{
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, rc, text );
	rs->sr_err = LDAP_SUCCESS;
	rs->sr_text = NULL;
	send_ldap_result( op, rs );
	return rc;
}

static void
pim_rv_after( Operation *op, pim_info *pi, struct berval *id,
	enum pim_event_kind event )
{
	pim_after *pa;

	pa = pim_after_push_dns( op, pi, PIM_AFTER_REVIEW_CHANGED, id, NULL );
	pa->pa_event = event;
}

int
pim_review_door_add( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	struct berval parent, *id;
	const char *text = NULL;
	Attribute *a;
	int rc;

	if ( pim_review_entry_kind( e ) != PIM_RVE_DEFINITION )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"access review instances and items are made by PIM" );
	if ( !pim_is_admin( op, pi ) )
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			PIM_RV_ADMIN_TEXT );
	dnParent( &e->e_nname, &parent );
	if ( !dn_match( &parent, &pi->pi_ncontainer ) )
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			"a review definition belongs directly under the PIM container" );
	for ( a = e->e_attrs; a != NULL; a = a->a_next ) {
		if ( pim_review_maintained( a->a_desc ) )
			return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION,
				"pimReviewOccurrence and pimReviewNextOpen are "
				"maintained by PIM" );
	}
	if ( attr_find( e->e_attrs, pim_ad_rv[PIM_RV_START] ) == NULL )
		pim_entry_merge_time( op, e, pim_ad_rv[PIM_RV_START],
			slap_get_time() );
	rc = pim_rv_def_check( op, pi, e, &text );
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, rc, text );
	if ( ( id = pim_entry_val( e, pim_ad_id ) ) != NULL )
		pim_rv_after( op, pi, id, PIM_EK_REVIEW_CREATED );
	return SLAP_CB_CONTINUE;
}

/* A modify of an item that is a decision: only pimReviewDecision and
 * pimDecisionReason, replaced or added, one value each. */
static int
pim_rv_mods_decision( Modifications *ml, pim_rv_decision *dc )
{
	dc->dc_decision = -1;
	dc->dc_recommended = 0;
	BER_BVZERO( &dc->dc_reason );
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_op != LDAP_MOD_REPLACE && ml->sml_op != LDAP_MOD_ADD )
			return 0;
		if ( ml->sml_values == NULL || ml->sml_numvals != 1 )
			return 0;
		if ( ml->sml_desc == pim_ad_rv[PIM_RV_DECISION] )
			dc->dc_decision = pim_rv_parse( PIM_RVN_DECISION,
				ml->sml_values[0].bv_val, ml->sml_values[0].bv_len );
		else if ( ml->sml_desc == pim_ad_decision_reason )
			dc->dc_reason = ml->sml_values[0];
		else
			return 0;
	}
	return dc->dc_decision >= 0;
}

/* The state an administrator asks for with a lone replace of pimState
 * (plus, optionally, pimDecisionReason: the reason of a stop). */
static int
pim_rv_mods_state( Modifications *ml, struct berval *reason )
{
	int st = -1;

	BER_BVZERO( reason );
	for ( ; ml != NULL; ml = ml->sml_next ) {
		if ( ml->sml_op != LDAP_MOD_REPLACE || ml->sml_values == NULL ||
			ml->sml_numvals != 1 )
			return -1;
		if ( ml->sml_desc == pim_ad_state )
			st = pim_rv_parse( PIM_RVN_STATE, ml->sml_values[0].bv_val,
				ml->sml_values[0].bv_len );
		else if ( ml->sml_desc == pim_ad_decision_reason )
			*reason = ml->sml_values[0];
		else
			return -1;
	}
	return st;
}

static int
pim_rv_door_modify_def( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	Modifications *ml;
	char tbuf[SLAP_TEXT_BUFLEN];
	const char *text = NULL;
	struct berval id = BER_BVNULL;
	int rc;

	for ( ml = op->orm_modlist; ml != NULL; ml = ml->sml_next ) {
		if ( !pim_rv_def_attr( ml->sml_desc ) &&
			ml->sml_desc != slap_schema.si_ad_modifiersName &&
			ml->sml_desc != slap_schema.si_ad_modifyTimestamp ) {
			pim_entry_release( op, pi, e );
			return pim_refuse( op, rs, LDAP_CONSTRAINT_VIOLATION,
				pim_review_maintained( ml->sml_desc ) ?
				"pimReviewOccurrence and pimReviewNextOpen are "
				"maintained by PIM" : "only the settings of a review "
				"definition change (not its class or pimId)" );
		}
	}
	rc = pim_rv_def_check_mods( op, pi, e, op->orm_modlist, &text, tbuf,
		sizeof( tbuf ) );
	if ( rc == LDAP_SUCCESS && pim_entry_val( e, pim_ad_id ) != NULL )
		ber_dupbv_x( &id, pim_entry_val( e, pim_ad_id ), op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, rc, text );	/* (tbuf: still ours) */
	if ( !BER_BVISNULL( &id ) ) {
		pim_rv_after( op, pi, &id, PIM_EK_REVIEW_CHANGED );
		op->o_tmpfree( id.bv_val, op->o_tmpmemctx );
	}
	return SLAP_CB_CONTINUE;
}

int
pim_review_door_modify( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	enum pim_rv_entry kind = pim_review_entry_kind( e );
	pim_rv_decision dc;
	struct berval reason;
	const char *text = NULL;
	long count = 0;
	int rc, st;

	if ( kind == PIM_RVE_DEFINITION ) {
		if ( !pim_is_admin( op, pi ) ) {
			pim_entry_release( op, pi, e );
			return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
				PIM_RV_ADMIN_TEXT );
		}
		return pim_rv_door_modify_def( op, rs, pi, e );
	}
	/* PIM performs the rest: the client's controls first */
	rc = pim_door_controls( op, rs, e );
	pim_entry_release( op, pi, e );
	if ( rc != LDAP_SUCCESS )
		return pim_refuse( op, rs, rc, rs->sr_text );
	if ( kind == PIM_RVE_ITEM && pim_rv_mods_decision( op->orm_modlist, &dc ) ) {
		rc = pim_review_decide( op, pi, &op->o_req_ndn, &dc, &count, &text );
		return pim_rv_answer( op, rs, rc, text );
	}
	st = pim_rv_mods_state( op->orm_modlist, &reason );
	if ( ( st == PIM_RVST_APPLIED ) ||
		( st == PIM_RVST_CLOSED && kind == PIM_RVE_INSTANCE ) ) {
		if ( !pim_is_admin( op, pi ) )
			return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
				PIM_RV_ADMIN_TEXT );
		if ( st == PIM_RVST_CLOSED )
			rc = pim_review_close( op, pi, &op->o_req_ndn, &op->o_ndn,
				BER_BVISNULL( &reason ) ? NULL : &reason, &text );
		else
			rc = pim_review_apply( op, pi, &op->o_req_ndn, &op->o_ndn,
				&count, &text );
		return pim_rv_answer( op, rs, rc, text );
	}
	return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
		kind == PIM_RVE_ITEM ? "an access review item changes only by a "
		"decision (pimReviewDecision, with pimDecisionReason) or by "
		"pimState applied" : "an access review instance changes only by "
		"pimState closed (stop) or applied" );
}

int
pim_review_door_delete( Operation *op, SlapReply *rs, pim_info *pi, Entry *e )
{
	enum pim_rv_entry kind = pim_review_entry_kind( e );
	struct berval *idp = pim_entry_val( e, pim_ad_id ), id = BER_BVNULL;
	int st = pim_review_state( e ), open;

	if ( idp != NULL )
		ber_dupbv_x( &id, idp, op->o_tmpmemctx );
	pim_entry_release( op, pi, e );
	if ( !pim_is_admin( op, pi ) ) {
		op->o_tmpfree( id.bv_val, op->o_tmpmemctx );
		return pim_refuse( op, rs, LDAP_INSUFFICIENT_ACCESS,
			PIM_RV_ADMIN_TEXT );
	}
	open = kind == PIM_RVE_DEFINITION ?
		pim_rv_has_open( op, pi, &op->o_req_ndn ) != 0 :
		st == PIM_RVST_OPEN;
	if ( open ) {
		op->o_tmpfree( id.bv_val, op->o_tmpmemctx );
		return pim_refuse( op, rs, LDAP_UNWILLING_TO_PERFORM,
			kind == PIM_RVE_DEFINITION ? PIM_RV_OPEN_TEXT :
			"an open access review's records stay until it closes" );
	}
	if ( kind == PIM_RVE_DEFINITION && !BER_BVISNULL( &id ) )
		pim_rv_after( op, pi, &id, PIM_EK_REVIEW_DELETED );
	op->o_tmpfree( id.bv_val, op->o_tmpmemctx );
	return SLAP_CB_CONTINUE;
}
