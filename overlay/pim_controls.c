/* pim_controls.c - what the client's controls mean for a write PIM acts on.
 *
 * PIM's own writes carry none of the client's controls
 * (pim_internal.c).  A control therefore concerns the client's own
 * target only, and on a door-2 write that PIM performs itself (an
 * activation added or changed, a role's members, an alert's dismissal)
 * PIM decides each one here, before anything is written:
 *   assertion           evaluated on the client's target (the entry
 *                       being added, or the entry being modified); false:
 *                       assertionFailed, nothing changed
 *   proxied authz       honoured: the frontend made the proxied identity
 *                       the operation's, and PIM decides for it
 *   manageDSAit,        honoured: PIM's entries are no referrals, and its
 *   permissive modify   writes are idempotent anyway
 *   no-op               refused, critical or not: a PIM action has no
 *                       dry run, and one that acted while the client
 *                       asked it not to would be worse than a refusal
 *   anything else       critical: unavailableCriticalExtension; not
 *                       critical: ignored (pre/post-read return nothing)
 * A transaction (RFC 5805) is refused before all of this, by
 * pim_txn_refuse().  Extended operations take no controls at all
 * (pim_door1.c).
 */
#include "pim.h"

enum pim_ctrl_rule {
	PIM_CTRL_HONOUR,	/* no effect on PIM's writes */
	PIM_CTRL_ASSERT,	/* evaluated on the client's target */
	PIM_CTRL_NOOP,		/* refused whatever its criticality */
	PIM_CTRL_CRITICAL	/* refused when critical, else ignored */
};

static const struct pim_ctrl {
	const char		*pc_oid;
	enum pim_ctrl_rule	pc_rule;
	const char		*pc_text;	/* when refused */
} pim_ctrls[] = {
	{ LDAP_CONTROL_ASSERT, PIM_CTRL_ASSERT, NULL },
	{ LDAP_CONTROL_PROXY_AUTHZ, PIM_CTRL_HONOUR, NULL },
	{ LDAP_CONTROL_MANAGEDSAIT, PIM_CTRL_HONOUR, NULL },
	{ LDAP_CONTROL_X_PERMISSIVE_MODIFY, PIM_CTRL_HONOUR, NULL },
	{ LDAP_CONTROL_NOOP, PIM_CTRL_NOOP, NULL },
	{ LDAP_CONTROL_PRE_READ, PIM_CTRL_CRITICAL,
		"pre-read control: a PIM action returns no entry; "
		"send the control non-critical, or read the entry afterwards" },
	{ LDAP_CONTROL_POST_READ, PIM_CTRL_CRITICAL,
		"post-read control: a PIM action returns no entry; "
		"send the control non-critical, or read the entry afterwards" },
	{ LDAP_CONTROL_RELAX, PIM_CTRL_CRITICAL,
		"relax control: PIM's rules cannot be relaxed" },
	{ NULL, PIM_CTRL_CRITICAL,
		"a critical control that PIM cannot honour on its actions" }
};

static const struct pim_ctrl *
pim_ctrl_find( const char *oid )
{
	const struct pim_ctrl *pc;

	for ( pc = pim_ctrls; pc->pc_oid != NULL; pc++ ) {
		if ( strcmp( pc->pc_oid, oid ) == 0 )
			break;
	}
	return pc;	/* the last row stands for every other control */
}

/* The controls of op against its target e (the entry being added, or
 * the entry being modified).  LDAP_SUCCESS, or a result code with
 * rs->sr_text set; nothing is written either way. */
int
pim_door_controls( Operation *op, SlapReply *rs, Entry *e )
{
	LDAPControl **c;

	for ( c = op->o_ctrls; c != NULL && *c != NULL; c++ ) {
		const struct pim_ctrl *pc = pim_ctrl_find( ( *c )->ldctl_oid );

		switch ( pc->pc_rule ) {
		case PIM_CTRL_HONOUR:
		case PIM_CTRL_ASSERT:
			break;
		case PIM_CTRL_NOOP:
			if ( ( *c )->ldctl_iscritical ) {
				rs->sr_text = "no-op control: a PIM action has no dry run";
				return LDAP_UNAVAILABLE_CRITICAL_EXTENSION;
			}
			rs->sr_text = "no-op control: a PIM action has no dry run; "
				"send the request without it";
			return LDAP_UNWILLING_TO_PERFORM;
		case PIM_CTRL_CRITICAL:
			if ( ( *c )->ldctl_iscritical ) {
				rs->sr_text = pc->pc_text;
				return LDAP_UNAVAILABLE_CRITICAL_EXTENSION;
			}
			break;
		}
	}
	if ( get_assert( op ) && ( e == NULL ||
		test_filter( op, e, get_assertion( op ) ) != LDAP_COMPARE_TRUE ) )
	{
		rs->sr_text = "assertion control: the assertion is false "
			"for the entry this request names";
		return LDAP_ASSERTION_FAILED;
	}
	return LDAP_SUCCESS;
}

/* Is op part of a client's transaction being committed?  Its writes
 * then run under the backend's write lock, in the committing thread:
 * any write of PIM's own there would wait for that very lock, and a
 * PIM lock taken there could wait on a thread that waits for it. */
int
pim_in_txn( Operation *op )
{
	return op->o_txnSpec != SLAP_CONTROL_NONE;
}

/* Refuse a write PIM would act on, inside a transaction: before
 * anything is written, without an audit record (that is a write) and
 * without taking any PIM lock.  The commit then fails whole. */
int
pim_txn_refuse( Operation *op, SlapReply *rs )
{
	char dn[256];

	(void)pim_log_escape( op->o_req_dn.bv_val, op->o_req_dn.bv_len, dn,
		sizeof( dn ) );
	Debug( LDAP_DEBUG_STATS, "%s pim: refused a PIM write inside an LDAP "
		"transaction (dn=\"%s\")\n", op->o_log_prefix, dn );
	rs->sr_err = LDAP_UNWILLING_TO_PERFORM;
	rs->sr_text = "PIM acts on this write itself, which it cannot do "
		"inside an LDAP transaction (RFC 5805): send it on its own";
	send_ldap_result( op, rs );
	return rs->sr_err;
}
