/* pim_internal.c - internal operations and the recursion guard.
 *
 * Every write PIM makes on its own behalf is an internal operation,
 * built afresh (pim_internal_prepare says what it takes from the
 * triggering operation: its thread and log prefix, nothing of the
 * request), aimed at the database's whole
 * overlay stack (so that syncprov replicates it and accesslog records
 * it), run as the database's rootdn after PIM made its own
 * authorization decision, and marked with an OpExtra whose key is
 * &pim_overlay.  pim's hooks pass marked operations straight through:
 * that marker is the recursion guard.
 */
#include "pim.h"

int
pim_op_is_internal( Operation *op )
{
	OpExtra *oex;

	LDAP_SLIST_FOREACH( oex, &op->o_extra, oe_next ) {
		if ( oex->oe_key == (void *)&pim_overlay )
			return 1;
	}
	return 0;
}

/* An internal operation's own storage: the operation, its per-control
 * state (all empty) and the recursion guard, on the caller's stack. */
typedef struct pim_iop {
	OperationBuffer	io_buf;
	OpExtra		io_guard;
} pim_iop;

/* Make io's operation an internal operation of PIM's, prepared from the
 * client's op, and return it.  It is built empty, not copied, so that
 * nothing of the client's request bends PIM's write.  What it takes
 * from op, and why:
 *   o_hdr          the connection, thread, slab and log prefix: the
 *                  write runs in op's thread and logs under op's
 *                  "conn= op=", so an administrator can tie it to the
 *                  request that caused it (memberof and refint do the
 *                  same)
 * and nothing else.  In particular it has
 *   no controls     o_ctrls NULL, every o_ctrlflag and o_controls slot
 *                   empty: an assertion, pre/post-read, relax, no-op,
 *                   proxied authorization, manageDSAit, paging or a
 *                   transaction specification of the client's concerns
 *                   the client's own target, never PIM's writes
 *   no o_extra      but PIM's guard: back-mdb keeps a client's
 *                   transaction there (RFC 5805 commits, read txns),
 *                   other overlays their own markers
 *   PIM's identity  the database's rootdn, after PIM's own decision
 *   its own time    o_time/o_tincr from slap_op_time() and an empty
 *                   o_csn, so that the backend stamps a CSN of its own
 *                   and accesslog (reqStart) and syncprov see a change
 *                   of its own
 *   no group cache  o_groups NULL, o_do_not_cache set */
static Operation *
pim_internal_prepare( pim_iop *io, Operation *op, pim_info *pi,
	ber_tag_t tag, slap_callback *cb )
{
	Operation *op2 = &io->io_buf.ob_op;

	memset( io, 0, sizeof( *io ) );
	op2->o_hdr = op->o_hdr;
	op2->o_controls = io->io_buf.ob_controls;
	op2->o_tag = tag;
	slap_op_time( &op2->o_time, &op2->o_tincr );
	op2->o_bd = pi->pi_db;
	op2->o_dn = pi->pi_db->be_rootdn;
	op2->o_ndn = pi->pi_db->be_rootndn;
	op2->o_callback = cb;
	op2->o_do_not_cache = 1;

	io->io_guard.oe_key = (void *)&pim_overlay;
	LDAP_SLIST_INIT( &op2->o_extra );
	LDAP_SLIST_INSERT_HEAD( &op2->o_extra, &io->io_guard, oe_next );
	return op2;
}

/* Swallows results: nothing is sent to a client for internal ops. */
static slap_callback pim_null_cb_proto = { .sc_response = slap_null_cb };

/* Takes ownership of e: it is freed here whatever the outcome. */
int
pim_internal_add( Operation *op, pim_info *pi, Entry *e )
{
	pim_iop io;
	Operation *op2;
	slap_callback cb = pim_null_cb_proto;
	SlapReply rs2 = { REP_RESULT };

	op2 = pim_internal_prepare( &io, op, pi, LDAP_REQ_ADD, &cb );
	op2->o_req_dn = e->e_name;
	op2->o_req_ndn = e->e_nname;
	op2->ora_e = e;
	op2->ora_modlist = NULL;
	slap_add_opattrs( op2, NULL, NULL, 0, 1 );
	(void)op2->o_bd->be_add( op2, &rs2 );
	if ( op2->ora_e == e )
		entry_free( e );
	return rs2.sr_err;
}

int
pim_internal_modify( Operation *op, pim_info *pi, struct berval *ndn,
	Modifications *mods )
{
	pim_iop io;
	Operation *op2;
	slap_callback cb = pim_null_cb_proto;
	SlapReply rs2 = { REP_RESULT };
	Modifications *last;

	op2 = pim_internal_prepare( &io, op, pi, LDAP_REQ_MODIFY, &cb );
	op2->o_req_dn = *ndn;
	op2->o_req_ndn = *ndn;
	op2->orm_modlist = mods;
	op2->orm_no_opattrs = 0;
	op2->orm_increment = 0;

	for ( last = mods; last->sml_next != NULL; last = last->sml_next )
		;
	(void)op2->o_bd->be_modify( op2, &rs2 );

	/* The backend appends heap-allocated operational attribute mods
	 * (modifiersName, entryCSN, ...) to the list: those are ours to
	 * free; the caller's own mods live on its stack. */
	if ( last->sml_next != NULL ) {
		slap_mods_free( last->sml_next, 1 );
		last->sml_next = NULL;
	}
	return rs2.sr_err;
}

int
pim_internal_delete( Operation *op, pim_info *pi, struct berval *ndn )
{
	pim_iop io;
	Operation *op2;
	slap_callback cb = pim_null_cb_proto;
	SlapReply rs2 = { REP_RESULT };

	op2 = pim_internal_prepare( &io, op, pi, LDAP_REQ_DELETE, &cb );
	op2->o_req_dn = *ndn;
	op2->o_req_ndn = *ndn;
	(void)op2->o_bd->be_delete( op2, &rs2 );
	return rs2.sr_err;
}

typedef struct pim_search_state {
	pim_entry_fn	*ss_fn;
	void		*ss_arg;
	int		ss_rc;
} pim_search_state;

static int
pim_search_entry_cb( Operation *op, SlapReply *rs )
{
	pim_search_state *ss = op->o_callback->sc_private;

	if ( rs->sr_type == REP_SEARCH && ss->ss_rc == LDAP_SUCCESS )
		ss->ss_rc = ss->ss_fn( op, rs->sr_entry, ss->ss_arg );
	return 0;
}

/* Subtree search under base; fn sees each entry while the backend holds
 * it (copy what you keep).  A missing base is an empty result. */
int
pim_internal_search( Operation *op, pim_info *pi, struct berval *base,
	const char *filter, pim_entry_fn *fn, void *arg )
{
	return pim_internal_search_ext( op, pi, base, LDAP_SCOPE_SUBTREE,
		filter, NULL, SLAP_NO_LIMIT, fn, arg );
}

static int
pim_internal_search_do( Operation *op, pim_info *pi, struct berval *base,
	int scope, const char *filter, AttributeName *attrs, int slimit,
	pim_entry_fn *fn, void *arg, int within )
{
	pim_iop io;
	Operation *op2;
	pim_search_state ss = { fn, arg, LDAP_SUCCESS };
	slap_callback cb = { .sc_response = pim_search_entry_cb, .sc_private = &ss };
	SlapReply rs2 = { REP_RESULT };

	op2 = pim_internal_prepare( &io, op, pi, LDAP_REQ_SEARCH, &cb );
	/* behind PIM's guard, op's own extras: back-mdb finds the read
	 * transaction op holds (a second one on the thread would be the
	 * thread's one reader, renewed while in use) */
	if ( within )
		LDAP_SLIST_NEXT( &io.io_guard, oe_next ) =
			LDAP_SLIST_FIRST( &op->o_extra );
	op2->o_req_dn = *base;
	op2->o_req_ndn = *base;
	op2->ors_scope = scope;
	op2->ors_deref = LDAP_DEREF_NEVER;
	op2->ors_slimit = slimit;
	op2->ors_tlimit = SLAP_NO_LIMIT;
	op2->ors_limit = NULL;
	op2->ors_attrsonly = 0;
	op2->ors_attrs = attrs ? attrs : slap_anlist_all_user_attributes;
	ber_str2bv( filter, 0, 0, &op2->ors_filterstr );
	op2->ors_filter = str2filter_x( op2, filter );
	if ( op2->ors_filter == NULL )
		return LDAP_OTHER;

	(void)op2->o_bd->be_search( op2, &rs2 );
	filter_free_x( op2, op2->ors_filter, 1 );

	if ( rs2.sr_err == LDAP_NO_SUCH_OBJECT ||
		rs2.sr_err == LDAP_SIZELIMIT_EXCEEDED )
		rs2.sr_err = LDAP_SUCCESS;
	return rs2.sr_err != LDAP_SUCCESS ? rs2.sr_err : ss.ss_rc;
}

/* The same with a scope, the attributes wanted (NULL: all user
 * attributes) and a size limit (reaching it is not an error). */
int
pim_internal_search_ext( Operation *op, pim_info *pi, struct berval *base,
	int scope, const char *filter, AttributeName *attrs, int slimit,
	pim_entry_fn *fn, void *arg )
{
	return pim_internal_search_do( op, pi, base, scope, filter, attrs,
		slimit, fn, arg, 0 );
}

/* A read that may run while op's own read is in the backend (inside a
 * search's response callback: an authorization check of an entry being
 * returned).  It reads through op's transaction, so it is for reads
 * that decide about op, never for data PIM then writes. */
int
pim_internal_search_within( Operation *op, pim_info *pi, struct berval *base,
	int scope, const char *filter, int slimit, pim_entry_fn *fn,
	void *arg )
{
	return pim_internal_search_do( op, pi, base, scope, filter, NULL,
		slimit, fn, arg, 1 );
}

int
pim_cb_cleanup_free( Operation *op, SlapReply *rs )
{
	slap_callback *sc = op->o_callback;

	if ( rs->sr_type != REP_RESULT && !op->o_abandon )
		return SLAP_CB_CONTINUE;
	op->o_callback = sc->sc_next;
	op->o_tmpfree( sc->sc_private, op->o_tmpmemctx );
	return SLAP_CB_CONTINUE;
}
