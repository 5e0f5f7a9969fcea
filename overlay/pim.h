/* pim.h - what the files of the pim overlay share.
 *
 * Files, by what they hold (every file of overlay/):
 *   pim_init.c            module entry, the overlay's hooks table, the
 *                         instance's lifecycle (its locks and parts)
 *   pim_schema.c          registers the schema of pim_schema_defs.h
 *   pim_schema_defs.h     the one definition of the schema (also read by
 *                         schema/gen_schema)
 *   pim_oids.h            the project's object identifiers
 *   pim_config.c          slapd.conf and cn=config directives
 *   pim_version.c/.h      the guard against a slapd of another version
 *  Entries, searches and PIM's own writes
 *   pim_internal.c        internal operations and the recursion guard
 *   pim_entry.c           entry identifiers and DNs, reading values,
 *                         time stamps
 *   pim_filter.c          filter strings with escaped values
 *   pim_modlist.c         modification lists on the stack
 *  Who is asking, and what a role is
 *   pim_authz.c           administrators, auditors, the authenticated-
 *                         user check; groups and their members
 *   pim_role.c            a role and its policy
 *   pim_kind.c            role kinds: the attribute PIM writes, DN or uid
 *   pim_member.c          writing and removing membership values
 *  The engine: eligibility and activations
 *   pim_eligibility.c     assigning and removing eligibility; the scan
 *                         for the eligibility that allows an activation
 *   pim_through.c         eligibility through a group, and leaving it
 *   pim_elig_request.c    requests to extend or renew an eligibility
 *   pim_activation_new.c  a new request: checks, plan, record
 *   pim_activation_life.c an activation's life: begin, end, the timer's
 *                         events, failures and their retries
 *   pim_approval.c        approval, denial, cancellation
 *   pim_extend.c          extending an active activation
 *   pim_mfa.c             one-time codes against OATH tokens
 *   pim_follow.c          renamed and deleted principals; renames in
 *                         flight
 *   pim_expire.c          the timer's batched expiry: a role's due
 *                         values out in one write
 *   pim_timer.c           the expiry timer and the instance's tasks;
 *                         pim_timer_key.h its compact key (a UUID's
 *                         16 bytes for a PIM entry's DN)
 *   pim_reconcile.c       the startup reconciliation
 *  Reads
 *   pim_window.c          the read-time window of each (role, principal)
 *   pim_readtime.c        reads never see a value outside its window
 *   pim_privacy.c         who reads what under the containers
 *   pim_monitor.c         the instance's state under cn=Monitor
 *  The doors
 *   pim_door1.c           door 1: the extended operations
 *   pim_door2.c           door 2's entry points: the add, modify, delete
 *                         and rename hooks (pim_door2.h)
 *   pim_door2_attrs.c     which attributes and modifications concern PIM
 *   pim_door2_actions.c   plain writes that ask PIM to act
 *   pim_door2_after.c     what waits for the backend's result
 *   pim_door2_fixup.c     other overlays' fix-ups of PIM roles
 *   pim_controls.c        what a client's controls and transaction mean
 *                         for a write PIM acts on
 *  Events and the audit trail (pim_audit.h)
 *   pim_event.c           the one funnel of events: log line and record
 *   pim_audit.c           one audit record per event
 *   pim_audit_alert.c     the alerts PIM raises, and their dismissal
 *   pim_audit_flood.c     anonymous refusals, aggregated
 *   pim_audit_timer.c     retention and expiry warnings
 *   pim_chain.c/.h        the record's canonical form and hash chain
 *  Access reviews (pim_review.h)
 *   pim_review.c          review definitions, typed and checked
 *   pim_review_open.c     an instance opens
 *   pim_review_facts.c    what the directory knows of an assignment
 *   pim_review_decide.c   a reviewer decides an item
 *   pim_review_close.c    reminders, the close, applying decisions
 *   pim_review_door.c     reviews through both doors
 *  Pure code: no slapd dependency, shared with pimctl and unit-tested
 *   pim_codec.c/.h        BER of the extended operations
 *   pim_policy.c/.h       the policy decisions; pim_policy_attrs.h the
 *                         policy attributes, one row each
 *   pim_state.c/.h        an activation's state machine
 *   pim_time.c/.h         durations and points in time
 *   pim_totp.c/.h         TOTP (RFC 6238)
 *   pim_review_rules.c/.h the rules of access reviews
 *
 * Glossary.
 *   door          a way in to the engine: door 1 the extended operations
 *                 (pimctl), door 2 plain LDAP writes (ldapmodify), both
 *                 through the same checks; reads are the third
 *   eligibility   a pimEligibility entry: principal may activate role,
 *                 within its pimStartTime..pimEndTime
 *   activation    a pimActivation entry: one request and its life
 *                 (pending, scheduled, active, ended: pim_state.h)
 *   active assignment  an activation an administrator made for someone,
 *                 without eligibility (pimAssignedBy)
 *   placeholder   the value that keeps a role's required member
 *                 attribute non-empty when no activation holds it
 *   provenance    pimManagedMember: the values PIM wrote, so that only
 *                 those are ever removed by PIM
 *   plan          pim_act_plan: how a new activation starts (its state,
 *                 times), decided before anything is written
 *   facts         pim_act_facts: an activation entry's values as read
 *                 once, the input of every decision about it
 */
/*
 * Lock order.  PIM's locks, outermost first; a thread that holds one may
 * take only those below it:
 *   pi_request_mutex     an approval decision (pim_approval.c); a review
 *                        decision and a review's close (pim_review_*.c)
 *   pi_member_mutex      decide-then-write of membership values and the
 *                        state write that ends an activation
 *                        (pim_member.c, pim_activation_life.c)
 *   au_mutex             the audit chain's head and the record's write
 *                        (pim_audit*.c): every event ends here
 * Leaf locks, which call nothing and are taken with or without the ones
 * above: slapd_rq.rq_mutex before pi_timer_mutex (pim_timer.c),
 * au_alert_mutex (alert counts), fl_mutex (refusal counts), mm_mutex
 * (MFA failures), pi_rename_mutex (renames in flight), pim_id_mutex.
 * cn=Monitor's reads (pim_monitor.c) hold none of the above when they
 * start; each figure takes at most one lock, briefly: pi_win_lock
 * (shared), pi_timer_mutex, or au_mutex (which may wait out one audit
 * record's write), and its counters need none.
 *
 * The backend: the three locks above may be held while calling into the
 * database (internal operations through the whole overlay stack),
 * because back-mdb's write lock is taken and released within each such
 * call and nothing under it waits for a PIM lock: PIM's own hooks pass
 * its internal operations straight through (pim_op_is_internal), and
 * internal operations never join a client's transaction (pim_internal.c).
 * No PIM lock is ever taken while the backend's write lock is already
 * held by the thread: a client's RFC 5805 transaction holds it across
 * its whole commit, so a write PIM would act on inside one is refused
 * before any lock (pim_txn_refuse), and the leaf locks are never held
 * across a backend call.  No PIM lock is held while waiting for a pool
 * pause (the timer's pausecheck runs with none held).
 *
 * Fields read without a lock, and why each is safe:
 *   configuration   every directive's field: written only by cn=config,
 *                   which runs with the thread pool paused
 *   pi_task         written under slapd_rq.rq_mutex (start, stop, a
 *                   consumer promoted); door 1, the configuration and
 *                   cn=Monitor only test it for NULL without the lock:
 *                   a stale NULL refuses one request with "try again",
 *                   a stale pointer is only ever used under rq_mutex
 *   pi_reconciled   set once, 0 to 1, by the timer task itself after the
 *                   reconciliation; pim_timer_aim (other threads) reads
 *                   it to aim the task at once: a stale 0 makes the task
 *                   run once early, and it then follows the heap
 *   pi_win_ready    1 once the read-time window is built, 0 again when
 *                   the database opens (pim_window_reset); written and
 *                   read under pi_win_lock, but for pim_window_empty,
 *                   which reads it without: a stale answer there costs
 *                   one callback, whose lookups then take the lock
 *   pi_win_count    pim_window_empty's shortcut: a stale answer costs
 *                   one callback, never a wrong decision
 *   pi_mon_*        cn=Monitor's counters: relaxed atomics
 *   pi_key_ncontainer  set once, when the database opens, before the
 *                   timer and the window tasks start; never changed
 */
#ifndef PIM_H
#define PIM_H

#include "portable.h"
#include <ac/string.h>
#include <ac/time.h>
#include <ac/ctype.h>
#include "slap.h"
#include "slap-config.h"
#include "ldap_avl.h"
#include "lutil.h"
#include "ldap_rq.h"

#include "pim_oids.h"
#include "pim_codec.h"
#include "pim_time.h"
#include "pim_policy.h"
#include "pim_state.h"
#include "pim_event_kinds.h"
#include "pim_chain.h"

/* Activation states (pimState values). */
#define PIM_STATE_ACTIVE	"active"

/* What a timer event looks at. */
enum pim_timer_kind {
	PIM_TE_ACTIVATION,	/* an entry (activation), tries */
	PIM_TE_RETENTION,	/* aux: the audit retention pass's time */
	PIM_TE_WARNING,		/* an entry (activation or eligibility) that
				 * ends at aux: warn, if it still does */
	PIM_TE_WARN_END,	/* an active activation that ends at aux: its
				 * warning, and its end (the firing puts a
				 * PIM_TE_ACTIVATION at aux on the heap): one
				 * event, not two, for most of its life */
	PIM_TE_REVIEW,		/* an entry: a review definition or instance */
	PIM_TE_THROUGH		/* every open activation through a group,
				 * re-checked (after a rename: slapo-refint
				 * updates the groups a moment later) */
};

/* How a timer event names its entry (te_ref, pim_timer.c). */
enum pim_timer_ref {
	PIM_TR_NONE,		/* no entry (a retention pass, THROUGH) */
	PIM_TR_KEY,		/* te_r.tr_key: "pimId=<UUID>,<container>" as
				 * the UUID's 16 bytes (pim_timer_key.h) */
	PIM_TR_DN,		/* te_r.tr_dn: any other DN, owned */
	PIM_TR_WIDE = 4		/* flag: aux does not fit te_u.tu_aux; the
				 * owned block tr_dn holds the DN (if any),
				 * a NUL, then the time_t aux */
};

/* One timer event: look at an entry (or run a pass) at time te_when.
 * 32 bytes on LP64, with no allocation of its own for the common case,
 * an activation "pimId=<UUID>,<container>": the heap holds one or two
 * per active activation (its end and its expiry warning).  The heap
 * owns tr_dn.td_val (ch_malloc) while the event is in it; popping the
 * event passes it to the task, which frees it after the event fired.
 * The pim_timer_add* functions below take the caller's DN and keep
 * none of its memory. */
typedef struct pim_timer_event {
	time_t		te_when;
	union {
		uint32_t	tu_tries;	/* PIM_TE_ACTIVATION: failed
						 * attempts before this one */
		int32_t		tu_aux;		/* RETENTION, WARNING: aux -
						 * te_when (unless PIM_TR_WIDE) */
	} te_u;
	unsigned char	te_kind;	/* enum pim_timer_kind */
	unsigned char	te_ref;		/* enum pim_timer_ref, | PIM_TR_WIDE */
	union {
		unsigned char	tr_key[16];	/* PIM_TR_KEY: PIM_TKEY_SIZE */
		struct {
			char		*td_val;	/* owned, NUL-terminated */
			uint32_t	td_len;		/* the DN's length */
		} tr_dn;			/* PIM_TR_DN, or PIM_TR_WIDE */
	} te_r;
} pim_timer_event;

/* The alerts PIM raises itself (pim_audit_alert.c): more than
 * ar_count events of one kind by one key within ar_window seconds (a
 * window of 0 turns the alert off). */
enum pim_alert_kind {
	PIM_ALERT_ACTIVATIONS,	/* activations, per user and role */
	PIM_ALERT_ROLE_WRITES,	/* refused writes to a role, per user and role */
	PIM_ALERT_MFA,		/* wrong one-time codes, per user */
	PIM_ALERT_N
};
typedef struct pim_alert_rule {
	int		ar_count;
	long		ar_window;
} pim_alert_rule;
extern const pim_alert_rule pim_alert_defaults[PIM_ALERT_N];
#define PIM_AUDIT_RETENTION	( 365L * 86400 )	/* default retention */
#define PIM_MAX_OPEN_REQUESTS	10	/* default pim-max-open-requests */
#define PIM_EMERGENCY_JMIN	20	/* default pim-emergency-justification-min */
/* Entra's: an eligibility may be extended 14 days before its end, and
 * renewed up to 30 days after it. */
#define PIM_ELIG_EXTEND_WINDOW	( 14L * 86400 )
#define PIM_ELIG_RENEW_WINDOW	( 30L * 86400 )
#define PIM_GROUP_DEPTH		3	/* default pim-group-depth */
#define PIM_GROUP_DEPTH_MAX	8
#define PIM_GROUP_FANOUT	64	/* groups looked at per level */
#define PIM_PEER_GRACE		10	/* default pim-peer-grace, seconds */
#define PIM_EXPIRY_WARNING	( 15L * 60 )	/* default warning time */

/* The refusal counters cn=Monitor shows: by LDAP result code (0 to
 * PIM_MON_RC_N - 2; the last counts the larger codes) and by action (the
 * extended operations' verbs, then plain writes, alert dismissals and
 * requests that named no verb). */
#define PIM_MON_RC_N		129
#define PIM_MON_ACT_WRITE	PIM_VERB_COUNT
#define PIM_MON_ACT_DISMISS	( PIM_VERB_COUNT + 1 )
#define PIM_MON_ACT_OTHER	( PIM_VERB_COUNT + 2 )
#define PIM_MON_ACT_N		( PIM_VERB_COUNT + 3 )

/* Per-instance state: one per database the overlay is configured on. */
/* A role kind: the class, the attribute PIM writes on roles of that
 * class, and whether the value is the principal's DN or its uid. */
typedef enum pim_value_form { PIM_FORM_DN, PIM_FORM_UID } pim_value_form;
typedef struct pim_role_kind {
	ObjectClass	*rk_oc;
	AttributeDescription *rk_ad;
	pim_value_form	rk_form;
	unsigned	rk_required:1;	/* the class requires a value */
} pim_role_kind;
#define PIM_MAX_ROLE_KINDS	8	/* an instance's own (pim-role-kind) */

/* A principal's value in a kind's attribute: pv_owned when the two
 * forms are copies on o_tmpmemctx (a uid), not the DN itself. */
typedef struct pim_value {
	struct berval	pv_val, pv_nval;
	int		pv_owned;
} pim_value;

typedef struct pim_info {
	/* configuration (cn=config owns changes; read without locks from
	 * operations, as every overlay does, since cn=config writes run with
	 * the thread pool paused) */
	struct berval	pi_container;	/* DN of the PIM container */
	struct berval	pi_ncontainer;
	/* the container when the database opened: the compact keys of the
	 * timer and of the read-time window (pim_timer_key.h) stand for
	 * DNs under it, so that a later pim-container change cannot make
	 * a key name another entry (never changes once set) */
	struct berval	pi_key_ncontainer;
	BerVarray	pi_admins;	/* PIM administrators: users or groups */
	BerVarray	pi_nadmins;
	BerVarray	pi_auditors;	/* readers of everything: users or groups */
	BerVarray	pi_nauditors;
	int		pi_read_acl;	/* pim-read-access acl: reads are the
					 * site's ACLs' alone */
	pim_policy	pi_defaults;	/* overlay-wide role policy defaults */
	pim_policy	pi_defaults_prev;	/* before a cn=config change */
	int		pi_defaults_saved;
	struct berval	pi_placeholder;	/* keeps a role group non-empty */
	struct berval	pi_nplaceholder;
	/* the audit trail (pim_audit*.c) */
	struct berval	pi_audit_container;	/* empty: cn=audit,<container> */
	struct berval	pi_naudit_container;
	long		pi_audit_retention;	/* seconds */
	long		pi_expiry_warning;	/* seconds; 0: no warnings */
	pim_alert_rule	pi_alerts[PIM_ALERT_N];
	struct pim_audit *pi_audit;	/* runtime state, pim_audit.c's own */

	/* runtime */
	slap_overinst	*pi_on;		/* this instance */
	BackendDB	*pi_db;		/* be->bd_self of the database */
	int		pi_reconciled;	/* startup reconciliation done */
	time_t		pi_settle;	/* multi-provider: not before */

	/* The timer: a binary min-heap of events, guarded by pi_timer_mutex
	 * (taken after slapd_rq.rq_mutex: see the lock order above). */
	ldap_pvt_thread_mutex_t	pi_timer_mutex;
	pim_timer_event	*pi_heap;
	size_t		pi_heap_len;
	size_t		pi_heap_cap;
	struct re_s	*pi_task;

	/* Serializes the decide-then-write of membership values, so that two
	 * activations of one role by one user never race to remove a value
	 * the other still needs.  Held across internal modifies (see the
	 * lock order above). */
	ldap_pvt_thread_mutex_t	pi_member_mutex;

	/* Serializes approval decisions, so that two approvers acting at
	 * once are counted once each and the quorum activates once. */
	ldap_pvt_thread_mutex_t	pi_request_mutex;

	/* Renames of principals in flight (pim_follow.c): another
	 * overlay's fix-up of a role during the rename (slapo-memberof adds
	 * the new DN before it deletes the old) is told apart from an
	 * administrator's write by it.  A leaf lock. */
	ldap_pvt_thread_mutex_t	pi_rename_mutex;
	struct pim_rename	*pi_renames;

	/* The read-time window (pim_window.c): its own, under pi_win_lock
	 * (a leaf reader/writer lock) */
	ldap_pvt_thread_rdwr_t	pi_win_lock;
	struct pim_win	**pi_win;		/* pairs: hash buckets */
	unsigned	pi_win_mask;		/* buckets - 1 */
	unsigned long	pi_win_count;		/* pairs */
	struct pim_win_act **pi_wact;	/* activations -> pairs: buckets */
	unsigned	pi_wact_mask;		/* buckets - 1 */
	unsigned long	pi_wact_count;		/* activations */
	Avlnode		*pi_win_roles;	/* roles PIM activations held */
	Avlnode		*pi_win_parents;	/* the principals' parents */
	unsigned long	pi_win_memo_bytes;	/* held by the roles' memos
						 * (pim_win_memo), capped */
	int		pi_win_ready;	/* built since the database opened */
	struct re_s	*pi_win_task;

	/* MFA (pim_mfa.c): the lockout settings, configuration read
	 * without locks like the rest, and the failure table behind them */
	int		pi_mfa_max_failures;	/* 0: no lockout */
	long		pi_mfa_failure_window;	/* seconds */
	long		pi_mfa_lockout;		/* seconds */
	int		pi_max_open;		/* open requests per principal */
	int		pi_emergency_jmin;	/* an emergency justification's
						 * fewest characters */
	int		pi_memberuid_sync;	/* RFC 2307bis roles: memberUid
						 * in step with member */
	int		pi_group_depth;		/* pim-group-depth */
	pim_role_kind	pi_kinds[PIM_MAX_ROLE_KINDS];	/* pim-role-kind */
	unsigned	pi_nkinds;
	long		pi_purge_delay;		/* seconds after the end */
	long		pi_peer_grace;		/* a peer provider's turn */
	long		pi_elig_extend_window;	/* ask to extend before the end */
	long		pi_elig_renew_window;	/* ask to renew after the end */
	struct berval	pi_mfa_token_base;	/* empty: ou=otp,<suffix> */
	struct berval	pi_nmfa_token_base;
	struct pim_mfa	*pi_mfa;

	/* What cn=Monitor shows (pim_monitor.c).  The counters are added to
	 * with atomic adds, where the refusal or the lockout is decided
	 * (pim_event(), pim_mfa.c), and read the same way: no lock. */
	unsigned long	pi_mon_refused_rc[PIM_MON_RC_N];	/* by result */
	unsigned long	pi_mon_refused_act[PIM_MON_ACT_N];	/* by action */
	unsigned long	pi_mon_mfa_lockouts;
	/* the last reconciliation, written by the timer's thread with
	 * atomic stores (pim_reconcile.c); 0: none yet */
	time_t		pi_mon_recon_time;
	int		pi_mon_recon_rc;
	long		pi_mon_recon_active, pi_mon_recon_ungranted;
	struct pim_monitor	*pi_monitor;	/* NULL: not published */
} pim_info;

/* Schema handles, filled by pim_schema_register(). */
extern AttributeDescription *pim_ad_id, *pim_ad_principal, *pim_ad_role,
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
extern ObjectClass *pim_oc_role, *pim_oc_eligibility, *pim_oc_activation;
/* Access reviews: one handle per attribute, in OID order (.54 on). */
enum pim_rv_attr {
	PIM_RV_SCOPE_ROLE, PIM_RV_KIND, PIM_RV_INACTIVE_DAYS,
	PIM_RV_REVIEWER_KIND, PIM_RV_REVIEWER, PIM_RV_FALLBACK, PIM_RV_START,
	PIM_RV_RECURRENCE, PIM_RV_DURATION, PIM_RV_END, PIM_RV_MAX_INSTANCES,
	PIM_RV_JUSTIFICATION, PIM_RV_DEFAULT, PIM_RV_AUTO_APPLY,
	PIM_RV_REMINDER, PIM_RV_SHOW_REC, PIM_RV_OCCURRENCE, PIM_RV_NEXT_OPEN,
	PIM_RV_DEFINITION_REF, PIM_RV_INSTANCE_REF, PIM_RV_ASSIGNMENT_REF,
	PIM_RV_RECOMMENDATION, PIM_RV_RECOMMENDATION_REASON, PIM_RV_DECISION,
	PIM_RV_DECIDED_BY, PIM_RV_DECISION_TIME, PIM_RV_OUTCOME,
	PIM_RV_REMINDER_TIME, PIM_RV_LAST_ACTIVATION, PIM_RV_LAST_BIND,
	PIM_RV_NATTRS
};
extern AttributeDescription *pim_ad_rv[PIM_RV_NATTRS];
extern ObjectClass *pim_oc_review_def, *pim_oc_review_instance,
	*pim_oc_review_item;
/* The audit record: one handle per field of pim_chain.h, in its order. */
extern AttributeDescription *pim_ad_audit[PIM_CH_NFIELDS], *pim_ad_audit_hash;
extern ObjectClass *pim_oc_audit_record, *pim_oc_audit_log;
/* From the standard schema, resolved at db_open (a slapd.conf may load
 * the module before it includes core.schema). */
extern AttributeDescription *pim_ad_member, *pim_ad_unique_member;
extern ObjectClass *pim_oc_group_of_names, *pim_oc_group_of_unique_names;
extern ObjectClass *pim_oc_group_of_members;	/* NULL: not in the schema */

/* pim_kind.c: a role's kind (see the file comment). */
const pim_role_kind *pim_kind_find( pim_info *pi, Entry *role );
const pim_role_kind *pim_kind_mirror( pim_info *pi, Entry *role,
	const pim_role_kind *primary );
int pim_role_kinds_of( Operation *op, pim_info *pi, struct berval *role,
	const pim_role_kind **kind, const pim_role_kind **mirror );
int pim_kind_mods_touch( pim_info *pi, Entry *role, Modifications *ml );
int pim_uid_is_plain( const struct berval *uid );
/* LDAP_OBJECT_CLASS_VIOLATION: the entry is of no kind. */
int pim_role_kind_of( Operation *op, pim_info *pi, struct berval *role,
	const pim_role_kind **kind );
int pim_is_kind_attr( pim_info *pi, AttributeDescription *ad );
int pim_kind_make( const char *class, const char *attr, const char *form,
	pim_role_kind *k, const char **text );
int pim_kinds_resolve( void );
char *pim_kind_unparse( const pim_role_kind *k );
int pim_kind_value( Operation *op, pim_info *pi, const pim_role_kind *kind,
	struct berval *user, pim_value *v );
void pim_value_free( Operation *op, pim_value *v );
int pim_kind_normalize( Operation *op, const pim_role_kind *kind,
	struct berval *in, struct berval *out );
int pim_principal_uid( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *uid );
/* Set (ndn != NULL) or clear the uid a deleted principal had, in
 * storage of pim_kind_hint_size() bytes that outlives the hint. */
void pim_kind_hint( Operation *op, struct berval *ndn, struct berval *uid,
	void *storage );
size_t pim_kind_hint_size( void );
int pim_uid_principal( Operation *op, pim_info *pi, struct berval *v,
	struct berval *ndn );
extern AttributeDescription *pim_ad_uid;	/* NULL: not in the schema */

/* pim_schema.c */
int pim_schema_register( void );
int pim_schema_resolve( ConfigReply *cr );

/* pim_config.c */
int pim_config_register( slap_overinst *on );
void pim_placeholder_default( pim_info *pi );

/* pim_internal.c: internal operations run as the database's rootdn
 * through the whole overlay stack (so syncprov and accesslog see them),
 * carrying a marker that makes pim's own hooks pass them through. */
int pim_op_is_internal( Operation *op );
int pim_internal_add( Operation *op, pim_info *pi, Entry *e );
int pim_internal_modify( Operation *op, pim_info *pi, struct berval *ndn,
	Modifications *mods );
int pim_internal_delete( Operation *op, pim_info *pi, struct berval *ndn );
typedef int (pim_entry_fn)( Operation *op, Entry *e, void *arg );
int pim_internal_search( Operation *op, pim_info *pi, struct berval *base,
	const char *filter, pim_entry_fn *fn, void *arg );
int pim_internal_search_ext( Operation *op, pim_info *pi, struct berval *base,
	int scope, const char *filter, AttributeName *attrs, int slimit,
	pim_entry_fn *fn, void *arg );
int pim_internal_search_within( Operation *op, pim_info *pi,
	struct berval *base, int scope, const char *filter, int slimit,
	pim_entry_fn *fn, void *arg );

/* pim_filter.c: filter strings with escaped values, on op->o_tmpmemctx. */
char *pim_filter_principal_role( Operation *op, const char *oc,
	struct berval *principal, struct berval *role, const char *extra );
char *pim_filter_holder_role( Operation *op, struct berval *principal,
	struct berval *role, const char *extra );
char *pim_filter_eq( Operation *op, const char *attr, struct berval *value );
int pim_search_principal_role( Operation *op, pim_info *pi, const char *oc,
	struct berval *principal, struct berval *role, const char *extra,
	pim_entry_fn *fn, void *arg );

/* pim_modlist.c: one-value modification on the stack; sml_values points at val. */
void pim_mod_init( Modifications *mod, short op, short flags,
	AttributeDescription *ad, struct berval *vals, struct berval *nvals );
/* A short modification list built on the stack.  The bervals are copied
 * in (time values too: they are formatted into the list), but what a
 * berval points to must outlive the modify.  The backend's appended
 * opattr mods are freed by pim_internal_modify. */
#define PIM_ML_MAX	10
typedef struct pim_modlist {
	Modifications	ml_mods[PIM_ML_MAX];
	struct berval	ml_vals[PIM_ML_MAX][2];
	char		ml_tbuf[PIM_ML_MAX][PIM_GENTIME_BUFSIZE];
	int		ml_n;
} pim_modlist;
void pim_ml_add( pim_modlist *ml, short op, AttributeDescription *ad,
	struct berval *v );
void pim_ml_time( pim_modlist *ml, short op, AttributeDescription *ad,
	time_t t );
void pim_ml_str( pim_modlist *ml, short op, AttributeDescription *ad,
	const char *s );
Modifications *pim_ml_head( pim_modlist *ml );

/* pim_entry.c: PIM's entries, their names, values and time stamps. */
int pim_entry_get( Operation *op, pim_info *pi, struct berval *ndn,
	Entry **ep );
void pim_entry_release( Operation *op, pim_info *pi, Entry *e );
int pim_collect_ndn( Operation *op, Entry *e, void *arg );
void pim_activation_ndn( Operation *op, pim_info *pi, struct berval *id,
	struct berval *ndn );
Entry *pim_entry_new( Operation *op, pim_info *pi, const char *oc,
	struct berval *id );
void pim_merge_str( Operation *op, Entry *e, AttributeDescription *ad,
	const char *s );
/* Accessors for an entry's single values. */
struct berval *pim_entry_nval( Entry *e, AttributeDescription *ad );
struct berval *pim_entry_val( Entry *e, AttributeDescription *ad );
int pim_entry_time( Entry *e, AttributeDescription *ad, time_t *t );
void pim_entry_merge_time( Operation *op, Entry *e, AttributeDescription *ad,
	time_t t );

/* Now rounded up to the second, for the end of what starts now. */
time_t pim_now_ceil( time_t *floor );
time_t pim_now_precise( void );

/* Entry identifiers (UUID strings) that PIM's threads never share. */
void pim_id_init( void );
ber_len_t pim_new_id( char *buf, size_t size );

/* pim_authz.c */
int pim_requester_in( Operation *op, pim_info *pi, BerVarray ndns );
int pim_bvarray_has( BerVarray list, struct berval *ndn );
int pim_dn_in( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray targets );
int pim_dn_in_groups( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray targets );
void pim_group_ancestors( Operation *op, pim_info *pi, struct berval *ndn,
	BerVarray *out );
AttributeDescription *pim_group_member_ad( Entry *group );
int pim_is_admin( Operation *op, pim_info *pi );
int pim_is_auditor( Operation *op, pim_info *pi );
int pim_need_user( Operation *op, const char **text );
int pim_entry_has_member( Entry *group, struct berval *ndn );
/* Is ndn a member of group, which must be a real group entry? */
int pim_group_has_member( Entry *group, struct berval *ndn );
int pim_attr_has_dn( Attribute *a, struct berval *ndn );

/* pim_member.c */
int pim_member_grant( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role );
/* Release the values unless an active activation other than except
 * (NULL: none) still needs them; _locked: caller holds pi_member_mutex. */
int pim_member_release( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, struct berval *except );
int pim_member_unstatic( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role, int *kept );
int pim_member_release_locked( Operation *op, pim_info *pi,
	struct berval *user, struct berval *role, struct berval *except );
int pim_member_of_drop( Operation *op, pim_info *pi, struct berval *user,
	struct berval *role );
/* Several releases from one role in one write (the timer's batched
 * expiry): _into with a batch defers the role's write, _flush makes it,
 * _finish then takes each deferred user's memberOf. */
typedef struct pim_release_batch pim_release_batch;
pim_release_batch *pim_release_batch_new( struct berval *role );
void pim_release_batch_free( pim_release_batch *rb );
int pim_member_release_into( Operation *op, pim_info *pi,
	struct berval *user, struct berval *role, struct berval *except,
	pim_release_batch *rb, int *deferred );
int pim_member_release_flush( Operation *op, pim_info *pi,
	pim_release_batch *rb );
int pim_member_release_finish( Operation *op, pim_info *pi,
	pim_release_batch *rb, struct berval *user );

/* The states of an activation that is not over, as a filter. */
#define PIM_FILTER_OPEN "(|(pimState=pending)(pimState=approved)" \
	"(pimState=scheduled)(pimState=active))"

/* pim_window.c: when a PIM value may be seen */
enum { PIM_WIN_UNKNOWN, PIM_WIN_CLOSED, PIM_WIN_OPEN };
void pim_window_init( pim_info *pi );
void pim_window_destroy( pim_info *pi );
void pim_window_reset( pim_info *pi );
void pim_window_start( pim_info *pi );
void pim_window_stop( pim_info *pi );
void pim_window_note( pim_info *pi, struct berval *act, Entry *e );
int pim_window_open( pim_info *pi, struct berval *role,
	struct berval *principal, time_t now );
int pim_window_state( pim_info *pi, struct berval *role,
	struct berval *principal, time_t now, int *known );
int pim_window_empty( pim_info *pi );
int pim_window_role_known( pim_info *pi, struct berval *role );
int pim_window_open_many( pim_info *pi, struct berval *role,
	struct berval *principals, unsigned n, time_t now, unsigned char *open );
/* Active activations the window knows whose end is after now. */
unsigned long pim_window_active( pim_info *pi, time_t now );
#define PIM_ROLE_CHECK	2	/* seconds between looks at the shadow flag */
void pim_role_follow( pim_info *pi );

/* pim_follow.c: PIM's state follows renamed and deleted principals */
int pim_principal_deleted( Operation *op, pim_info *pi, struct berval *ndn );
/* ndn's uid was old: the uid kinds' values PIM gave it take the new one. */
int pim_uid_change_check( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *val, const char **text );
int pim_principal_uid_changed( Operation *op, pim_info *pi,
	struct berval *ndn, struct berval *old );
int pim_principal_renamed( Operation *op, pim_info *pi, struct berval *old,
	struct berval *new, int subtree );
int pim_member_fixup( Operation *op, pim_info *pi, struct berval *role,
	struct berval *old, struct berval *new );
void pim_rename_begin( pim_info *pi, struct berval *old, struct berval *new );
void pim_rename_end( pim_info *pi, struct berval *old );
/* Is dn the old (which 0) or the new (which 1) DN of a rename in
 * flight? */
int pim_rename_names( pim_info *pi, struct berval *dn, int which );

/* What an activation entry says, copied out of it (o_tmpmemctx). */
typedef struct pim_act_facts {
	struct berval	af_id;
	struct berval	af_principal;	/* normalized */
	struct berval	af_role;	/* normalized */
	struct berval	af_elig;	/* empty: an active assignment */
	struct berval	af_through;	/* pimEligibleThrough, or empty */
	int		af_for_elig;	/* a request for its eligibility's
					 * extension or renewal */
	struct berval	af_ended_by;	/* pimEndedBy; on an active one: who
					 * ended it, the removal still to do */
	int		af_csn_sid;	/* the serverID of its last write */
	enum pim_state	af_state;
	time_t		af_start, af_end, af_expiry;	/* 0: absent */
	long		af_duration;	/* requested; 0: absent */
	BerVarray	af_approvers;	/* pimApprovedBy */
	int		af_napprovals;
} pim_act_facts;

/* How a new activation starts (pim_activation_new.c). */
typedef struct pim_act_plan {
	enum pim_state	ap_state;
	time_t		ap_start, ap_end, ap_expiry;	/* 0: absent */
	long		ap_duration;	/* requested */
	struct berval	*ap_assigned_by;	/* for active assignments */
	struct berval	*ap_through;	/* the group it is eligible through */
	int		ap_for_elig;	/* a request about the eligibility:
					 * ap_end is the end it asks for */
} pim_act_plan;

/* The eligibility that allows an activation now: the valid one that
 * lasts longest.  When none is valid, the reason of the last refusal. */
typedef struct pim_elig_scan {
	time_t		es_now;
	int		es_found;	/* any eligibility at all */
	int		es_valid;	/* a valid one */
	time_t		es_end;		/* the chosen one's end, 0 = permanent */
	struct berval	es_ndn;		/* the chosen one (o_tmpmemctx) */
	struct berval	es_through;	/* ... its group, when it is a
					 * group's (o_tmpmemctx) */
	int		es_rc;
	const char	*es_text;
} pim_elig_scan;
void pim_elig_scan_free( Operation *op, pim_elig_scan *es );

/* pim_elig_request.c */
int pim_elig_request( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_elig_request_grant( Operation *op, SlapReply *rs, pim_info *pi,
	struct berval *ndn, pim_act_facts *af, pim_modlist *approval,
	pim_response *out );

/* pim_through.c */
int pim_through_find( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, pim_elig_scan *es );
int pim_through_any_open( Operation *op, pim_info *pi );
int pim_through_recheck( Operation *op, pim_info *pi, BerVarray groups,
	struct berval *by );
int pim_through_recheck_all( Operation *op, pim_info *pi );

/* pim_role.c */
extern AttributeDescription **pim_policy_ads[PIM_POLICY_NATTRS];
int pim_role_policy( Operation *op, pim_info *pi, Entry *role,
	pim_policy *p, const char **text );
int pim_role_load( Operation *op, pim_info *pi, struct berval *role,
	pim_policy *p, const char **text );

/* pim_activation_new.c */
int pim_activation_create( Operation *op, pim_info *pi, struct berval *id,
	struct berval *principal, pim_request *req, struct berval *elig,
	pim_act_plan *plan, pim_response *out, const char **text );
int pim_activate( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );

/* pim_activation_life.c */
int pim_act_facts_read( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af );
void pim_act_facts_free( Operation *op, pim_act_facts *af );
int pim_request_find( Operation *op, pim_info *pi, pim_request *req,
	struct berval *ndn, pim_act_facts *af, const char **text );
time_t pim_act_next_time( pim_act_facts *af );
int pim_state_move( Operation *op, pim_info *pi, struct berval *ndn,
	enum pim_state from, enum pim_state to, pim_modlist *extra );
int pim_activation_begin( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, enum pim_event ev, time_t start, time_t end,
	pim_modlist *extra );
int pim_activation_finish( Operation *op, pim_info *pi, struct berval *ndn,
	enum pim_event ev, struct berval *by, struct berval *reason,
	int *ended );
void pim_activation_undo_new( Operation *op, pim_info *pi,
	struct berval *ndn, struct berval *id, struct berval *principal,
	struct berval *role );
/* The alerts a failed membership write raises (pimAuditAlert values). */
#define PIM_ALERT_REMOVAL_FAILED	"removal-failed"
#define PIM_ALERT_GRANT_FAILED		"grant-failed"
#define PIM_ALERT_RECORD_FAILED		"record-failed"
int pim_activation_timer_fire( Operation *op, pim_info *pi,
	struct berval *ndn, unsigned tries );
/* Is something of the activation due now?  If not, the timer is told
 * when to look again. */
int pim_act_due( pim_info *pi, struct berval *ndn, pim_act_facts *af,
	time_t now );
/* A write of an activation's life failed: log, alert, retry later. */
void pim_step_failed( Operation *op, pim_info *pi, struct berval *ndn,
	pim_act_facts *af, const char *what, int rc, unsigned tries );

/* pim_expire.c */
void pim_activation_timer_fire_many( Operation *op, pim_info *pi,
	struct berval *ndns, const unsigned *tries, int n );
enum pim_which { PIM_WHICH_ALL, PIM_WHICH_ASSIGNED, PIM_WHICH_ELIGIBLE };
int pim_end_matching( Operation *op, pim_info *pi, struct berval *principal,
	struct berval *role, struct berval *id, enum pim_which which,
	enum pim_event ev, struct berval *by, struct berval *reason,
	long *count );
int pim_revoke_principal_role( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, struct berval *by,
	struct berval *reason, long *count );
int pim_activation_cut( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, time_t end,
	struct berval *by );
int pim_deactivate( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );

/* pim_approval.c: the approval workflow */
int pim_is_approver( Operation *op, pim_info *pi, struct berval *role );
int pim_approve( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_deny( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_cancel( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );

/* pim_extend.c */
int pim_extend( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );

/* pim_door2_actions.c: plain LDAP writes that ask PIM to act; each answers the
 * client itself. */
int pim_door_add_activation( Operation *op, SlapReply *rs, pim_info *pi,
	Entry *e );
int pim_door_modify_activation( Operation *op, SlapReply *rs, pim_info *pi );
int pim_door_modify_members( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_role_kind *kind );

/* pim_controls.c: a client's controls on a door-2 write PIM performs
 * itself, and transactions. */
int pim_door_controls( Operation *op, SlapReply *rs, Entry *e );
int pim_in_txn( Operation *op );
int pim_txn_refuse( Operation *op, SlapReply *rs );

/* pim_mfa.c: one-time codes checked against the otp overlay's OATH
 * tokens.  The lockout defaults: 5 wrong codes within 5 minutes lock
 * MFA activations out for 15 minutes. */
#define PIM_MFA_MAX_FAILURES	5
#define PIM_MFA_FAILURE_WINDOW	300
#define PIM_MFA_LOCKOUT		900
void pim_mfa_init( pim_info *pi );
void pim_mfa_destroy( pim_info *pi );
int pim_mfa_check( Operation *op, pim_info *pi, struct berval *user,
	struct berval *code, const char **text );

/* pim_eligibility.c */
int pim_eligibility_find( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, pim_elig_scan *es,
	const char **text );
int pim_eligibility_check_add( Operation *op, SlapReply *rs, pim_info *pi,
	Entry *e );
int pim_assign( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_remove( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
/* by NULL: the requester; reason NULL: none */
int pim_eligibility_drop( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, struct berval *elig_ndn,
	struct berval *by, struct berval *reason );
void pim_eligibility_log_added( Operation *op, pim_info *pi,
	struct berval *principal, struct berval *role, struct berval *ndn );

/* pim_monitor.c: the instance's entries under cn=Monitor, when a
 * monitor database is configured */
void pim_monitor_start( pim_info *pi );	/* the database opens */
void pim_monitor_stop( pim_info *pi );	/* the database closes */
void pim_monitor_destroy( pim_info *pi );
/* A refusal the funnel (pim_event) saw: kind PIM_EK_REFUSED, action "write", "activate", .... */
void pim_monitor_refused( pim_info *pi, const char *action, int rc );
#define PIM_MON_ADD( p )	__atomic_add_fetch( (p), 1, __ATOMIC_RELAXED )
#define PIM_MON_GET( p )	__atomic_load_n( (p), __ATOMIC_RELAXED )
#define PIM_MON_PUT( p, v )	__atomic_store_n( (p), (v), __ATOMIC_RELAXED )

/* pim_reconcile.c */
void pim_reconcile( Operation *op, pim_info *pi );

/* pim_timer.c */
int pim_timer_init( pim_info *pi );
void pim_timer_destroy( pim_info *pi );
int pim_timer_start( pim_info *pi );
void pim_timer_stop( pim_info *pi );
int pim_timer_stop_idle( pim_info *pi );
void pim_task_remove( struct re_s **task );
/* The operation a run-queue task of the instance works with: the
 * database's rootdn, on a fake connection (in *conn, *opbuf). */
Operation *pim_task_op( pim_info *pi, void *ctx, Connection *conn,
	OperationBuffer *opbuf );
/* A callback's cleanup that unlinks it and frees its sc_private (on
 * o_tmpmemctx) once the operation's result is sent. */
int pim_cb_cleanup_free( Operation *op, SlapReply *rs );
void pim_timer_add( pim_info *pi, time_t when, struct berval *ndn );
void pim_timer_add_retention( pim_info *pi, time_t when );
void pim_timer_add_through( pim_info *pi, time_t when );
void pim_timer_add_warning( pim_info *pi, time_t when, struct berval *ndn,
	time_t end );
void pim_timer_add_review( pim_info *pi, time_t when, struct berval *ndn );
/* An active activation ndn that ends at end (0: never): its end on the
 * heap, with its expiry warning when it has one (PIM_TE_WARN_END). */
void pim_timer_add_end( pim_info *pi, time_t end, struct berval *ndn );
/* Try ndn again after a failure: the tries-th retry, after a delay that
 * doubles from 1 s up to PIM_RETRY_MAX. */
#define PIM_RETRY_MAX	60
void pim_timer_retry( pim_info *pi, struct berval *ndn, unsigned tries );

/* pim_door1.c */
int pim_extop_register( void );

/* pim_readtime.c: reads never see a PIM value outside its window */
int pim_readtime_compare( Operation *op, SlapReply *rs, pim_info *pi );
void pim_readtime_search( Operation *op, pim_info *pi, slap_overinst *on );
int pim_entry_get_rw( Operation *op, struct berval *ndn, ObjectClass *oc,
	AttributeDescription *ad, int rw, Entry **ep );
int pim_entry_release_rw( Operation *op, Entry *e, int rw );

/* pim_privacy.c: reads under the containers (pim-read-access pim) */
int pim_op_search( Operation *op, SlapReply *rs );
int pim_op_compare( Operation *op, SlapReply *rs );

/* pim_door2.c */
int pim_op_add( Operation *op, SlapReply *rs );
int pim_op_modify( Operation *op, SlapReply *rs );
int pim_op_delete( Operation *op, SlapReply *rs );
int pim_op_modrdn( Operation *op, SlapReply *rs );

/* pim_init.c */
extern slap_overinst pim_overlay;

/* pim_event.c: one event, logged at the stats level with who, what and
 * why (and, through the same funnel, recorded).  Absent fields are NULL
 * or 0; ev_by NULL means the requester (op->o_ndn), or PIM itself for
 * the timer's events. */
/* What an event counts towards (the alerts of pim_audit_alert.c): the
 * caller's decision, acted on after the event's own record, so that an
 * alert it raises follows it in the trail. */
enum pim_event_counts {
	PIM_COUNTS_NOTHING = 0,
	PIM_COUNTS_ACTIVATION,	/* PIM_ALERT_ACTIVATIONS, per principal and role */
	PIM_COUNTS_ROLE_WRITE,	/* PIM_ALERT_ROLE_WRITES, per actor and role */
	PIM_COUNTS_MFA_FAILURE	/* PIM_ALERT_MFA, per principal */
};
typedef struct pim_event_info {
	enum pim_event_kind	ev_kind;	/* pim_event_kinds.h */
	const char		*ev_action;	/* PIM_EK_REFUSED: what was
						 * refused ("activate", "write",
						 * ...): "refused <action>" */
	enum pim_event_counts	ev_counts;
	const struct berval	*ev_role;
	const struct berval	*ev_principal;
	/* What the event is about; at most one of the two is set, and it
	 * is what the record's pimAuditId holds: */
	const struct berval	*ev_id;		/* a pimId: the activation's or
						 * request's, a review's, an
						 * instance's or an item's */
	const struct berval	*ev_dn;		/* an entry's DN: an eligibility,
						 * the target of a refused write
						 * or dismissal, a cut activation */
	time_t			ev_start, ev_end;
	const struct berval	*ev_by;
	const struct berval	*ev_reason;
	const struct berval	*ev_ticket;
	int			ev_result;	/* LDAP result code */
	const char		*ev_text;	/* the refusal's diagnostic */
	const char		*ev_alert;	/* an alert's kind */
	const struct berval	*ev_ref;	/* the alert a dismissal names */
} pim_event_info;
void pim_event( Operation *op, pim_info *pi, const pim_event_info *ev );
int pim_refuse_send( Operation *op, SlapReply *rs, pim_info *pi,
	const pim_event_info *ev );
void pim_alert_emergency( Operation *op, pim_info *pi, const char *what,
	const struct berval *principal, const struct berval *role,
	const struct berval *id, const struct berval *reason );
/* The actor of what PIM does on its own (the timer's events). */
extern const struct berval pim_actor_self;
/* val as a log value: quote, backslash and control bytes as \xx. */
size_t pim_log_escape( const char *val, size_t vlen, char *out, size_t size );

/* pim_audit.c: the audit trail in the directory.  name is the event's
 * stored name and by the actor, as pim_event() worked them out. */
void pim_audit_init( pim_info *pi );
void pim_audit_destroy( pim_info *pi );
void pim_audit_start( pim_info *pi );	/* the database opens */
void pim_audit_event( Operation *op, pim_info *pi, const pim_event_info *ev,
	const char *name, const struct berval *by );
/* Expiry warnings (pim_audit_timer.c), scheduled by the engine when it
 * sets an end: PIM entry ndn ends at end (an activation activated,
 * extended or cut, an eligibility added); an eligibility whose end is
 * read from the entry.  Nothing when pim-expiry-warning is off or the
 * end is nearer than the warning. */
void pim_warning_entry( pim_info *pi, struct berval *ndn,
	time_t end );
/* When pim_warning_entry would warn of an end: 0 for never. */
time_t pim_warning_time( pim_info *pi, time_t end );
void pim_warning_eligibility( Operation *op, pim_info *pi,
	struct berval *ndn );
/* The timer's first run, after the reconciliation: find the chain's
 * head, schedule retention and the expiry warnings. */
void pim_audit_open( Operation *op, pim_info *pi );
/* The audit trail's timer events (pim_audit_timer.c). */
void pim_audit_retention_fire( Operation *op, pim_info *pi, time_t when );
void pim_audit_warning_fire( Operation *op, pim_info *pi, struct berval *ndn,
	time_t end );
/* Is ndn the audit container or inside it? */
int pim_audit_covers( pim_info *pi, struct berval *ndn );
/* Writes under the audit container: refused, but for an alert's
 * dismissal.  SLAP_CB_CONTINUE when op is not aimed there. */
int pim_audit_intercept( Operation *op, SlapReply *rs, pim_info *pi );
/* pim_config.c changed pi_audit_retention on an open database */
void pim_audit_retention_changed( pim_info *pi );

#endif /* PIM_H */
