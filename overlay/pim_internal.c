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

/* Fetch an entry from the database under the overlay (no ACLs).  The
 * caller releases it with pim_entry_release() on the same op, before
 * any internal write. */
int
pim_entry_get( Operation *op, pim_info *pi, struct berval *ndn, Entry **ep )
{
	BackendDB *saved = op->o_bd;
	int rc;

	op->o_bd = pi->pi_db;
	rc = be_entry_get_rw( op, ndn, NULL, NULL, 0, ep );
	op->o_bd = saved;
	if ( rc != LDAP_SUCCESS )
		*ep = NULL;
	return rc;
}

void
pim_entry_release( Operation *op, pim_info *pi, Entry *e )
{
	BackendDB *saved = op->o_bd;

	if ( e == NULL )
		return;
	op->o_bd = pi->pi_db;
	(void)be_entry_release_r( op, e );
	op->o_bd = saved;
}

/* "(ATTR=VALUE)" with VALUE escaped, on op->o_tmpmemctx: the one place
 * a filter takes a value from data. */
char *
pim_filter_eq( Operation *op, const char *attr, struct berval *value )
{
	struct berval esc;
	char *f;
	size_t len;

	if ( filter_escape_value_x( value, &esc, op->o_tmpmemctx ) != 0 )
		return NULL;
	len = strlen( attr ) + esc.bv_len + sizeof( "(=)" );
	f = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( f, len, "(%s=%s)", attr, esc.bv_val );
	op->o_tmpfree( esc.bv_val, op->o_tmpmemctx );
	return f;
}

/* pim_filter_principal_role's and pim_filter_holder_role's: which is
 * the clause that names the principal. */
static char *
pim_filter_build( Operation *op, const char *oc, struct berval *principal,
	int holder, struct berval *role, const char *extra )
{
	struct berval ep = BER_BVC( "" ), er = BER_BVC( "" );
	char *buf, *who;
	size_t len;

	if ( principal != NULL )
		filter_escape_value_x( principal, &ep, op->o_tmpmemctx );
	if ( role != NULL )
		filter_escape_value_x( role, &er, op->o_tmpmemctx );
	if ( extra == NULL )
		extra = "";

	len = 2 * ep.bv_len + 96;
	who = op->o_tmpalloc( len, op->o_tmpmemctx );
	if ( principal == NULL )
		who[0] = '\0';
	else if ( holder )
		snprintf( who, len, "(|(&(pimPrincipal=%s)(!(pimEligibleThrough=*)))"
			"(pimEligibleThrough=%s))", ep.bv_val, ep.bv_val );
	else
		snprintf( who, len, "(pimPrincipal=%s)", ep.bv_val );
	len = strlen( oc ) + strlen( who ) + er.bv_len + strlen( extra ) + 64;
	buf = op->o_tmpalloc( len, op->o_tmpmemctx );
	snprintf( buf, len, "(&(objectClass=%s)%s%s%s%s%s)", oc, who,
		role ? "(pimRoleDN=" : "", er.bv_val, role ? ")" : "", extra );

	op->o_tmpfree( who, op->o_tmpmemctx );
	if ( principal != NULL )
		op->o_tmpfree( ep.bv_val, op->o_tmpmemctx );
	if ( role != NULL )
		op->o_tmpfree( er.bv_val, op->o_tmpmemctx );
	return buf;
}

/* "(&(objectClass=OC)(pimPrincipal=P)(pimRoleDN=R)EXTRA)" with P and R
 * escaped; either may be NULL to leave it out.  On op->o_tmpmemctx. */
char *
pim_filter_principal_role( Operation *op, const char *oc,
	struct berval *principal, struct berval *role, const char *extra )
{
	return pim_filter_build( op, oc, principal, 0, role, extra );
}

/* The same for the activations whose eligibility P holds: P's own made
 * under P's eligibility, or, when P is a group, its members' made
 * through it (pimEligibleThrough).  An eligibility's end, removal or
 * cut reaches exactly these. */
char *
pim_filter_holder_role( Operation *op, struct berval *principal,
	struct berval *role, const char *extra )
{
	return pim_filter_build( op, "pimActivation", principal, 1, role,
		extra );
}

void
pim_mod_init( Modifications *mod, short op, short flags,
	AttributeDescription *ad, struct berval *vals, struct berval *nvals )
{
	memset( mod, 0, sizeof( *mod ) );
	mod->sml_op = op;
	mod->sml_flags = flags;
	mod->sml_desc = ad;
	mod->sml_type = ad->ad_cname;
	mod->sml_values = vals;
	mod->sml_nvalues = nvals;
	mod->sml_numvals = 0;
	if ( vals != NULL ) {
		while ( !BER_BVISNULL( &vals[mod->sml_numvals] ) )
			mod->sml_numvals++;
	}
}

struct berval *
pim_entry_nval( Entry *e, AttributeDescription *ad )
{
	Attribute *a = attr_find( e->e_attrs, ad );

	if ( a == NULL || a->a_numvals == 0 )
		return NULL;
	return a->a_nvals ? &a->a_nvals[0] : &a->a_vals[0];
}

struct berval *
pim_entry_val( Entry *e, AttributeDescription *ad )
{
	Attribute *a = attr_find( e->e_attrs, ad );

	if ( a == NULL || a->a_numvals == 0 )
		return NULL;
	return &a->a_vals[0];
}

/* 0 and *t set; 1 if absent; -1 if present but unparsable. */
int
pim_entry_time( Entry *e, AttributeDescription *ad, time_t *t )
{
	struct berval *bv = pim_entry_val( e, ad );

	if ( bv == NULL )
		return 1;
	return pim_gentime_parse( bv->bv_val, bv->bv_len, t ) == 0 ? 0 : -1;
}

/* pim_entry_fn that collects entry DNs into the BerVarray *arg, on
 * op->o_tmpmemctx (free with ber_bvarray_free_x). */
int
pim_collect_ndn( Operation *op, Entry *e, void *arg )
{
	struct berval dn;

	ber_dupbv_x( &dn, &e->e_nname, op->o_tmpmemctx );
	ber_bvarray_add_x( (BerVarray *)arg, &dn, op->o_tmpmemctx );
	return LDAP_SUCCESS;
}

/* Add the GeneralizedTime t as a value of ad to e. */
void
pim_entry_merge_time( Operation *op, Entry *e, AttributeDescription *ad,
	time_t t )
{
	char buf[PIM_GENTIME_BUFSIZE];
	struct berval bv;

	if ( pim_gentime_format( t, buf, sizeof( buf ) ) )
		(void)pim_gentime_format( t < 0 ? 0 : PIM_TIME_MAX, buf,
			sizeof( buf ) );
	ber_str2bv( buf, 0, 0, &bv );
	attr_merge_normalize_one( e, ad, &bv, op->o_tmpmemctx );
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

/* Now, to the second, from the precise clock: time(), which
 * slap_get_time() is, reads a coarse clock that may lag a few
 * milliseconds, and at an activation's end those are a window in which
 * a read would still see its values. */
time_t
pim_now_precise( void )
{
	struct timeval tv;

	gettimeofday( &tv, NULL );
	return tv.tv_sec;
}

/* Now, rounded up to the second: an activation that starts now is
 * stored with whole seconds, and computing its end from the second now
 * is in would cut up to a second off what was granted.  *floor, when
 * asked for, is the same reading rounded down: the start to store, so
 * that a start and an end never come from two readings a slow check
 * apart. */
time_t
pim_now_ceil( time_t *floor )
{
	struct timeval tv;

	gettimeofday( &tv, NULL );
	if ( floor != NULL )
		*floor = tv.tv_sec;
	return tv.tv_sec + ( tv.tv_usec > 0 );
}

/* --- modification lists on the stack --------------------------------- */

/* Append one modification of ad with the single value v (copied into
 * the list's own storage; v may be a temporary). */
void
pim_ml_add( pim_modlist *ml, short op, AttributeDescription *ad,
	struct berval *v )
{
	int n = ml->ml_n++;

	assert( n < PIM_ML_MAX );
	if ( v != NULL ) {
		ml->ml_vals[n][0] = *v;
		BER_BVZERO( &ml->ml_vals[n][1] );
	}
	pim_mod_init( &ml->ml_mods[n], op, ad == pim_ad_member_of ?
		SLAP_MOD_INTERNAL : 0, ad, v ? ml->ml_vals[n] : NULL,
		v ? ml->ml_vals[n] : NULL );
	if ( n > 0 )
		ml->ml_mods[n - 1].sml_next = &ml->ml_mods[n];
}

void
pim_ml_time( pim_modlist *ml, short op, AttributeDescription *ad, time_t t )
{
	struct berval bv;
	int n = ml->ml_n;

	/* callers refuse times past PIM_TIME_MAX before writing; never
	 * write an unformatted buffer all the same */
	if ( pim_gentime_format( t, ml->ml_tbuf[n], sizeof( ml->ml_tbuf[n] ) ) )
		(void)pim_gentime_format( t < 0 ? 0 : PIM_TIME_MAX, ml->ml_tbuf[n],
			sizeof( ml->ml_tbuf[n] ) );
	ber_str2bv( ml->ml_tbuf[n], 0, 0, &bv );
	pim_ml_add( ml, op, ad, &bv );
}

void
pim_ml_str( pim_modlist *ml, short op, AttributeDescription *ad,
	const char *s )
{
	struct berval bv;

	ber_str2bv( s, 0, 0, &bv );
	pim_ml_add( ml, op, ad, &bv );
}

Modifications *
pim_ml_head( pim_modlist *ml )
{
	return ml->ml_n ? &ml->ml_mods[0] : NULL;
}

/* A new entry identifier.  lutil_uuidstr's sequence counter is not
 * locked, and two threads in the same microsecond can get the same
 * string: PIM's own calls take turns here, and callers that create
 * entries still retry on alreadyExists (slapd's own callers do not take
 * this lock). */
static ldap_pvt_thread_mutex_t pim_id_mutex;
static int pim_id_mutex_ready;

void
pim_id_init( void )
{
	if ( !pim_id_mutex_ready ) {
		ldap_pvt_thread_mutex_init( &pim_id_mutex );
		pim_id_mutex_ready = 1;
	}
}

ber_len_t
pim_new_id( char *buf, size_t size )
{
	ber_len_t len;

	ldap_pvt_thread_mutex_lock( &pim_id_mutex );
	len = lutil_uuidstr( buf, size );
	ldap_pvt_thread_mutex_unlock( &pim_id_mutex );
	return len;
}
