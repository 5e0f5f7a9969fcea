/* pim_door2_after.c - what waits for the backend's result.
 *
 * A write's effects that PIM makes itself (a revocation, a record) and
 * the read-time window's notes happen only once the backend did the
 * write: the hook pushes a callback, and the callback acts on success.
 */
#include "pim_door2.h"

/* Revoking privilege because an eligibility was deleted, or logging
 * that one was added, must happen only if the backend really did the
 * write (its ACLs may still refuse it). */

/* The new DN of a rename, on o_tmpmemctx. */
void
pim_modrdn_new_ndn( Operation *op, struct berval *out )
{
	struct berval parent;

	if ( op->orr_nnewSup != NULL )
		parent = *op->orr_nnewSup;
	else
		dnParent( &op->o_req_ndn, &parent );
	build_new_dn( out, &parent, &op->orr_nnewrdn, op->o_tmpmemctx );
}

/* The eligibility's end as it is now that the modify is done. */
static void
pim_after_eligibility_changed( Operation *op, pim_after *pa )
{
	Entry *e = NULL;
	time_t end = 0;

	if ( pim_entry_get( op, pa->pa_pi, &op->o_req_ndn, &e ) != LDAP_SUCCESS )
		return;
	if ( pim_entry_time( e, pim_ad_end, &end ) != 0 )
		end = 0;
	pim_entry_release( op, pa->pa_pi, e );
	(void)pim_activation_cut( op, pa->pa_pi, &pa->pa_principal,
		&pa->pa_role, end, &op->o_ndn );
	{
		pim_event_info ev = { .ev_kind = PIM_EK_ELIG_CHANGED,
			.ev_role = &pa->pa_role, .ev_principal = &pa->pa_principal,
			.ev_dn = &op->o_req_ndn, .ev_end = end };

		pim_event( op, pa->pa_pi, &ev );
		/* the end just read: no second fetch of the entry */
		pim_warning_entry( pa->pa_pi, &op->o_req_ndn, end );
	}
}

static int
pim_after_response( Operation *op, SlapReply *rs )
{
	pim_after *pa = op->o_callback->sc_private;

	if ( rs->sr_type != REP_RESULT || rs->sr_err != LDAP_SUCCESS )
		return SLAP_CB_CONTINUE;
	switch ( pa->pa_kind ) {
	case PIM_AFTER_ELIGIBILITY_ADDED:
		pim_eligibility_log_added( op, pa->pa_pi, &pa->pa_principal,
			&pa->pa_role, &op->o_req_ndn );
		break;
	case PIM_AFTER_ELIGIBILITY_DELETED:
		(void)pim_eligibility_drop( op, pa->pa_pi, &pa->pa_principal,
			&pa->pa_role, NULL, NULL, NULL );
		break;
	case PIM_AFTER_ELIGIBILITY_CHANGED:
		pim_after_eligibility_changed( op, pa );
		break;
	case PIM_AFTER_MEMBER_FIXUP:
		(void)pim_member_fixup( op, pa->pa_pi, &pa->pa_role,
			&pa->pa_principal, &pa->pa_new );
		break;
	case PIM_AFTER_PRINCIPAL_DELETED: {
		char hint[128];

		assert( pim_kind_hint_size() <= sizeof( hint ) );
		if ( !BER_BVISNULL( &pa->pa_uid ) )
			pim_kind_hint( op, &pa->pa_principal, &pa->pa_uid, hint );
		(void)pim_principal_deleted( op, pa->pa_pi, &pa->pa_principal );
		if ( !BER_BVISNULL( &pa->pa_uid ) )
			pim_kind_hint( op, NULL, NULL, hint );
		break;
	}
	case PIM_AFTER_PRINCIPAL_UID_CHANGED:
		(void)pim_principal_uid_changed( op, pa->pa_pi, &pa->pa_principal,
			&pa->pa_uid );
		break;
	case PIM_AFTER_PRINCIPAL_RENAMED:
		(void)pim_principal_renamed( op, pa->pa_pi, &pa->pa_principal,
			&pa->pa_new, pa->pa_subtree );
		if ( !BER_BVISNULL( &pa->pa_uid ) )
			(void)pim_principal_uid_changed( op, pa->pa_pi, &pa->pa_new,
				&pa->pa_uid );
		break;
	case PIM_AFTER_REVIEW_CHANGED:
		{
			pim_event_info e = { .ev_kind = pa->pa_event,
				.ev_id = &pa->pa_principal };

			pim_event( op, pa->pa_pi, &e );
			/* the timer works out what is due now */
			if ( pa->pa_event != PIM_EK_REVIEW_DELETED )
				pim_timer_add_review( pa->pa_pi, slap_get_time(),
					&op->o_req_ndn );
		}
		break;
	case PIM_AFTER_GROUP_SHRANK:
		(void)pim_through_recheck( op, pa->pa_pi, pa->pa_groups,
			&op->o_ndn );
		break;
	case PIM_AFTER_ACTIVATION_DELETED:
		/* the record is gone, so it no longer holds the membership */
		(void)pim_member_release( op, pa->pa_pi, &pa->pa_principal,
			&pa->pa_role, NULL );
		{
			pim_event_info e = { .ev_kind = PIM_EK_REVOKED,
				.ev_role = &pa->pa_role, .ev_principal = &pa->pa_principal,
				.ev_dn = &op->o_req_ndn };

			pim_event( op, pa->pa_pi, &e );
		}
		break;
	}
	return SLAP_CB_CONTINUE;
}

static int
pim_after_cleanup( Operation *op, SlapReply *rs )
{
	slap_callback *sc = op->o_callback;
	pim_after *pa = sc->sc_private;

	op->o_callback = sc->sc_next;	/* unlink: slap_cleanup_play repairs */
	if ( pa->pa_kind == PIM_AFTER_PRINCIPAL_RENAMED )
		pim_rename_end( pa->pa_pi, &pa->pa_principal );
	op->o_tmpfree( pa->pa_principal.bv_val, op->o_tmpmemctx );
	if ( pa->pa_role.bv_val != NULL )
		op->o_tmpfree( pa->pa_role.bv_val, op->o_tmpmemctx );
	if ( pa->pa_new.bv_val != NULL )
		op->o_tmpfree( pa->pa_new.bv_val, op->o_tmpmemctx );
	if ( pa->pa_uid.bv_val != NULL )
		op->o_tmpfree( pa->pa_uid.bv_val, op->o_tmpmemctx );
	ber_bvarray_free_x( pa->pa_groups, op->o_tmpmemctx );
	op->o_tmpfree( pa, op->o_tmpmemctx );
	return 0;
}

/* Keep e's uid in pa (the uid kinds' values of the principal: once the
 * write is done, only this says what they were). */
void
pim_after_keep_uid( Operation *op, pim_after *pa, Entry *e )
{
	struct berval *uid;

	if ( e == NULL || pim_ad_uid == NULL ||
		( uid = pim_entry_val( e, pim_ad_uid ) ) == NULL )
		return;
	ber_dupbv_x( &pa->pa_uid, uid, op->o_tmpmemctx );
}

/* Arrange for kind to happen with principal and role after a
 * successful write by op. */
pim_after *
pim_after_push_dns( Operation *op, pim_info *pi, pim_after_kind kind,
	struct berval *principal, struct berval *role )
{
	pim_after *pa;

	pa = op->o_tmpcalloc( 1, sizeof( *pa ), op->o_tmpmemctx );
	pa->pa_pi = pi;
	pa->pa_kind = kind;
	ber_dupbv_x( &pa->pa_principal, principal, op->o_tmpmemctx );
	if ( role != NULL )
		ber_dupbv_x( &pa->pa_role, role, op->o_tmpmemctx );
	pa->pa_cb.sc_response = pim_after_response;
	pa->pa_cb.sc_cleanup = pim_after_cleanup;
	pa->pa_cb.sc_private = pa;
	pa->pa_cb.sc_next = op->o_callback;
	op->o_callback = &pa->pa_cb;
	return pa;
}

/* The same for a PIM entry e's principal and role.  Returns 0, or -1
 * when e lacks the principal or the role (nothing to do). */
int
pim_after_push( Operation *op, pim_info *pi, pim_after_kind kind, Entry *e )
{
	struct berval *p = pim_entry_nval( e, pim_ad_principal );
	struct berval *r = pim_entry_nval( e, pim_ad_role );

	if ( p == NULL || r == NULL )
		return -1;
	(void)pim_after_push_dns( op, pi, kind, p, r );
	return 0;
}


/* --- the read-time window follows every write of an activation -------
 *
 * Whoever writes it (PIM, a client through a door, syncrepl), the
 * entry as it is after a successful write is what pim_window.c knows. */
typedef struct pim_watch {
	slap_callback	pw_cb;
	pim_info	*pw_pi;
} pim_watch;

static void
pim_watch_schedule( pim_info *pi, Entry *e )
{
	enum pim_state st;
	time_t t = 0;
	AttributeDescription *ad = NULL;

	if ( pim_state_parse( pim_entry_val( e, pim_ad_state ), &st ) )
		return;
	switch ( st ) {
	case PIM_ST_ACTIVE:	ad = pim_ad_end; break;
	case PIM_ST_PENDING:	ad = pim_ad_request_expiry; break;
	case PIM_ST_APPROVED:
	case PIM_ST_SCHEDULED:	ad = pim_ad_start; break;
	default:		return;
	}
	if ( pim_entry_time( e, ad, &t ) == 0 && t != 0 )
		pim_timer_add( pi, t, &e->e_nname );
}

static int
pim_watch_response( Operation *op, SlapReply *rs )
{
	pim_watch *pw = op->o_callback->sc_private;
	Entry *e = NULL;

	if ( rs->sr_type != REP_RESULT || rs->sr_err != LDAP_SUCCESS )
		return SLAP_CB_CONTINUE;
	if ( op->o_tag == LDAP_REQ_DELETE ) {
		pim_window_note( pw->pw_pi, &op->o_req_ndn, NULL );
	} else if ( pim_entry_get( op, pw->pw_pi, &op->o_req_ndn, &e ) ==
		LDAP_SUCCESS ) {
		if ( is_entry_objectclass_or_sub( e, pim_oc_activation ) ) {
			pim_window_note( pw->pw_pi, &op->o_req_ndn, e );
			/* a peer provider's activation: this one's timer too */
			if ( SLAPD_SYNC_IS_SYNCCONN( op->o_connid ) &&
				SLAP_MULTIPROVIDER( pw->pw_pi->pi_db ) )
				pim_watch_schedule( pw->pw_pi, e );
		}
		pim_entry_release( op, pw->pw_pi, e );
	}
	return SLAP_CB_CONTINUE;
}

void
pim_window_watch( Operation *op, pim_info *pi )
{
	pim_watch *pw;

	if ( pi->pi_db == NULL || !dnIsSuffix( &op->o_req_ndn, &pi->pi_ncontainer ) ||
		pim_audit_covers( pi, &op->o_req_ndn ) )
		return;
	pw = op->o_tmpcalloc( 1, sizeof( *pw ), op->o_tmpmemctx );
	pw->pw_pi = pi;
	pw->pw_cb.sc_response = pim_watch_response;
	pw->pw_cb.sc_cleanup = pim_cb_cleanup_free;
	pw->pw_cb.sc_private = pw;
	pw->pw_cb.sc_next = op->o_callback;
	op->o_callback = &pw->pw_cb;
}

