/* pim_privacy.c - who reads what under the PIM container.
 *
 * Activations carry justifications and tickets, the audit trail says
 * who did what: a permissive site ACL (Debian's default is "to * by *
 * read") must not publish them.  So, unless the site says
 * "pim-read-access acl", the overlay itself decides who may see each
 * entry under the PIM and audit containers, on top of the site's ACLs:
 *   PIM administrators, auditors (pim-auditor), the rootdn  everything
 *   a principal        their own activations and eligibility, and
 *                      the eligibility of the groups they are in
 *   an approver        the requests (activations) of the roles they
 *                      approve
 *   anybody else       nothing: the container, the audit trail and
 *                      other people's entries do not exist for them
 * A base read or compare of an entry one may not see is answered
 * noSuchObject, as for one that does not exist; a search returns only
 * what one may see.  PIM's own internal searches and replicated
 * operations pass untouched; a replica's syncrepl identity must be an
 * auditor to receive the container.
 *
 * Searches that cannot reach the containers (most: group checks,
 * (memberOf=...) filters) cost one DN comparison here.
 */
#include "pim_audit.h"

/* What the reader may see, worked out once per operation and only when
 * an entry under a container comes by. */
typedef struct pim_reader {
	slap_callback	rd_cb;
	pim_info	*rd_pi;
	int		rd_all;		/* -1: not known yet */
	struct berval	rd_role;	/* the last role looked at (tmpmem) */
	int		rd_role_ok;	/* ... and whether they approve it */
} pim_reader;

static int
pim_dn_private( pim_info *pi, struct berval *ndn )
{
	return dnIsSuffix( ndn, &pi->pi_ncontainer ) ||
		pim_audit_covers( pi, ndn );
}

static void
pim_reader_init( pim_reader *rd, pim_info *pi )
{
	memset( rd, 0, sizeof( *rd ) );
	rd->rd_pi = pi;
	rd->rd_all = -1;
}

static void
pim_reader_free( Operation *op, pim_reader *rd )
{
	if ( !BER_BVISNULL( &rd->rd_role ) )
		op->o_tmpfree( rd->rd_role.bv_val, op->o_tmpmemctx );
	BER_BVZERO( &rd->rd_role );
}

static int
pim_reader_approves( Operation *op, pim_reader *rd, struct berval *role )
{
	if ( BER_BVISNULL( &rd->rd_role ) || !dn_match( &rd->rd_role, role ) ) {
		pim_reader_free( op, rd );
		ber_dupbv_x( &rd->rd_role, role, op->o_tmpmemctx );
		rd->rd_role_ok = pim_is_approver( op, rd->rd_pi, role );
	}
	return rd->rd_role_ok;
}

/* May the requester of op see e? */
static int
pim_reader_sees( Operation *op, pim_reader *rd, Entry *e )
{
	pim_info *pi = rd->rd_pi;
	struct berval *v;

	if ( !pim_dn_private( pi, &e->e_nname ) )
		return 1;
	if ( BER_BVISEMPTY( &op->o_ndn ) )
		return 0;
	if ( rd->rd_all < 0 )
		rd->rd_all = pim_is_admin( op, pi ) || pim_is_auditor( op, pi );
	if ( rd->rd_all )
		return 1;
	/* an access review item: its reviewers (users, or groups' members);
	 * definitions and instances: administrators and auditors only */
	if ( is_entry_objectclass_or_sub( e, pim_oc_review_item ) ) {
		Attribute *a = attr_find( e->e_attrs, pim_ad_rv[PIM_RV_REVIEWER] );

		return a != NULL && pim_requester_in( op, pi, a->a_nvals );
	}
	if ( !is_entry_objectclass_or_sub( e, pim_oc_activation ) &&
		!is_entry_objectclass_or_sub( e, pim_oc_eligibility ) )
		return 0;
	v = pim_entry_nval( e, pim_ad_principal );
	if ( v != NULL && dn_match( v, &op->o_ndn ) )
		return 1;
	if ( is_entry_objectclass_or_sub( e, pim_oc_eligibility ) &&
		( v = pim_entry_nval( e, pim_ad_through ) ) != NULL ) {
		struct berval group[2] = { *v, BER_BVNULL };

		return pim_dn_in_groups( op, pi, &op->o_ndn, group );
	}
	v = pim_entry_nval( e, pim_ad_role );
	return v != NULL && is_entry_objectclass_or_sub( e, pim_oc_activation ) &&
		pim_reader_approves( op, rd, v );
}

/* May the requester see the entry ndn?  A missing entry is not
 * PIM's to hide: the backend answers for it. */
static int
pim_reader_sees_dn( Operation *op, pim_info *pi, struct berval *ndn )
{
	pim_reader rd;
	Entry *e = NULL;
	int sees;

	if ( pim_entry_get( op, pi, ndn, &e ) != LDAP_SUCCESS )
		return 1;
	pim_reader_init( &rd, pi );
	/* pim_reader_sees may read other entries while e is held: reads
	 * only, in the operation's own read transaction */
	sees = pim_reader_sees( op, &rd, e );
	pim_entry_release( op, pi, e );
	pim_reader_free( op, &rd );
	return sees;
}

static int
pim_reader_response( Operation *op, SlapReply *rs )
{
	pim_reader *rd = op->o_callback->sc_private;

	if ( rs->sr_type == REP_SEARCH && !pim_reader_sees( op, rd, rs->sr_entry ) )
		return 0;	/* withheld: not sent, not counted */
	return SLAP_CB_CONTINUE;
}

static int
pim_reader_cleanup( Operation *op, SlapReply *rs )
{
	slap_callback *sc = op->o_callback;
	pim_reader *rd = sc->sc_private;

	if ( rs->sr_type != REP_RESULT && !op->o_abandon )
		return SLAP_CB_CONTINUE;
	op->o_callback = sc->sc_next;
	pim_reader_free( op, rd );
	op->o_tmpfree( rd, op->o_tmpmemctx );
	return SLAP_CB_CONTINUE;
}

/* Reads PIM does not look at: PIM's own, replicated ones, and any
 * while the database is closed. */
static int
pim_read_pass( Operation *op, pim_info *pi )
{
	return pi->pi_db == NULL || pim_op_is_internal( op ) ||
		be_shadow_update( op );
}

/* Could a search of op reach an entry under a container? */
static int
pim_search_reaches( Operation *op, pim_info *pi, struct berval *c )
{
	if ( BER_BVISEMPTY( c ) )
		return 0;
	if ( dnIsSuffix( &op->o_req_ndn, c ) )
		return 1;	/* based inside it */
	if ( !dnIsSuffix( c, &op->o_req_ndn ) )
		return 0;	/* elsewhere */
	if ( op->ors_scope == LDAP_SCOPE_ONELEVEL ) {
		struct berval parent;

		dnParent( c, &parent );
		return dn_match( &parent, &op->o_req_ndn );
	}
	return op->ors_scope != LDAP_SCOPE_BASE;
}

int
pim_op_search( Operation *op, SlapReply *rs )
{
	slap_overinst *on = (slap_overinst *)op->o_bd->bd_info;
	pim_info *pi = on->on_bi.bi_private;
	pim_reader *rd;

	if ( pim_read_pass( op, pi ) )
		return SLAP_CB_CONTINUE;
	pim_readtime_search( op, pi, on );
	if ( pi->pi_read_acl )
		return SLAP_CB_CONTINUE;
	if ( !pim_search_reaches( op, pi, &pi->pi_ncontainer ) &&
		!pim_search_reaches( op, pi, pim_audit_where( pi ) ) )
		return SLAP_CB_CONTINUE;
	if ( op->ors_scope == LDAP_SCOPE_BASE &&
		!pim_reader_sees_dn( op, pi, &op->o_req_ndn ) )
	{
		rs->sr_err = LDAP_NO_SUCH_OBJECT;
		send_ldap_result( op, rs );
		return rs->sr_err;
	}
	/* A persistent content synchronization (RFC 4533) sends later
	 * changes from a detached copy of the search that carries no
	 * callback: no entry could be withheld from it.  Replicas read the
	 * containers as auditors. */
	if ( op->o_sync != SLAP_CONTROL_NONE && !pim_is_admin( op, pi ) &&
		!pim_is_auditor( op, pi ) )
	{
		rs->sr_err = LDAP_INSUFFICIENT_ACCESS;
		rs->sr_text = "content synchronization of the PIM containers is "
			"for PIM auditors (pim-auditor) and administrators";
		send_ldap_result( op, rs );
		return rs->sr_err;
	}
	rd = op->o_tmpalloc( sizeof( *rd ), op->o_tmpmemctx );
	pim_reader_init( rd, pi );
	rd->rd_cb.sc_response = pim_reader_response;
	rd->rd_cb.sc_cleanup = pim_reader_cleanup;
	rd->rd_cb.sc_private = rd;
	rd->rd_cb.sc_next = op->o_callback;
	op->o_callback = &rd->rd_cb;
	return SLAP_CB_CONTINUE;
}

int
pim_op_compare( Operation *op, SlapReply *rs )
{
	pim_info *pi = ( (slap_overinst *)op->o_bd->bd_info )->on_bi.bi_private;

	if ( pim_read_pass( op, pi ) )
		return SLAP_CB_CONTINUE;
	if ( pi->pi_read_acl || !pim_dn_private( pi, &op->o_req_ndn ) ||
		pim_reader_sees_dn( op, pi, &op->o_req_ndn ) )
		return pim_readtime_compare( op, rs, pi );
	rs->sr_err = LDAP_NO_SUCH_OBJECT;
	send_ldap_result( op, rs );
	return rs->sr_err;
}
