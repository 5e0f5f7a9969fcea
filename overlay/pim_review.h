/* pim_review.h - access reviews: what their files share.
 *
 *   pim_review.c         a definition read and checked; the kinds of
 *                        review entries; the timer's events; startup
 *   pim_review_facts.c   what the directory knows of an assignment:
 *                        last activation, last bind, manager
 *   pim_review_open.c    an instance opens: one item per assignment in
 *                        scope, with its reviewers and recommendation
 *   pim_review_decide.c  a reviewer decides an item
 *   pim_review_close.c   reminders, the close, applying, stopping early
 *   pim_review_door.c    the extended operations and the plain LDAP
 *                        writes of review entries
 * The rules without slapd (names, schedules, recommendations) are in
 * pim_review_rules.c.
 *
 * The entries, all flat under the PIM container:
 *   pimId=<def>             pimReviewDefinition, the administrator's;
 *                           PIM keeps pimReviewOccurrence (the next k)
 *                           and pimReviewNextOpen on it
 *   pimId=<def>-r<k>        pimReviewInstance: occurrence k
 *   pimId=<def>-r<k>-<a>    pimReviewItem: assignment <a> (the pimId of
 *                           the eligibility or activation) in it
 * The names are deterministic, so that an open the server did not
 * finish (a crash) is finished by the next one: what exists is kept.
 */
#ifndef PIM_REVIEW_H
#define PIM_REVIEW_H

#include "pim.h"
#include "pim_review_rules.h"

enum pim_rv_entry { PIM_RVE_NONE, PIM_RVE_DEFINITION, PIM_RVE_INSTANCE,
	PIM_RVE_ITEM };
enum pim_rv_entry pim_review_entry_kind( Entry *e );

/* The longest pimId of a definition: with "-r<k>-" and an assignment's
 * id (a UUID), an item's stays within PIM_MAX_ID. */
#define PIM_RV_MAX_ID	40

/* A definition, typed.  Its bervals point into the entry it was read
 * from (no copies): it lives no longer than that entry. */
typedef struct pim_review_def {
	struct berval		rd_id;
	struct berval		rd_name;
	Attribute		*rd_roles;	/* NULL: every PIM role */
	enum pim_rv_scope	rd_scope;
	long			rd_inactive_days;	/* 0: everybody */
	enum pim_rv_who		rd_who;
	Attribute		*rd_reviewers;	/* named: users or groups */
	Attribute		*rd_fallback;
	pim_schedule		rd_sched;
	int			rd_justification;
	enum pim_rv_default	rd_default;
	int			rd_auto_apply;
	long			rd_reminder;	/* 0: no reminder */
	int			rd_show_rec;
	long			rd_next;	/* the next occurrence */
	time_t			rd_next_open;	/* 0: none */
} pim_review_def;

/* Read and check e as a definition: LDAP_SUCCESS, or a result code and
 * *text saying which setting is wrong. */
int pim_review_def_read( Entry *e, pim_review_def *rd, const char **text );
/* Is the attribute one that PIM maintains on review entries (and no
 * client may write)? */
int pim_review_maintained( AttributeDescription *ad );

/* What an instance or item says of its state: enum pim_rv_state, or -1. */
int pim_review_state( Entry *e );

/* The timer: look at review entry ndn at when. */
void pim_review_timer_fire( Operation *op, pim_info *pi, struct berval *ndn );
/* The definition at ndn: open what is due, or aim the timer at it. */
int pim_review_def_due( Operation *op, pim_info *pi, struct berval *ndn );
/* After the reconciliation: aim the timer at every definition and open
 * instance. */
void pim_review_start( Operation *op, pim_info *pi );

/* pim_review_facts.c: what the directory knows, loaded once per open
 * or close and asked per item. */
typedef struct pim_rv_history pim_rv_history;
pim_rv_history *pim_rv_history_load( Operation *op, pim_info *pi );
void pim_rv_history_free( Operation *op, pim_rv_history *h );
/* f->rf_last_activation and rf_last_bind for principal and role; *manager
 * the principal's manager (normalized, o_tmpmemctx; empty: none) when
 * manager is not NULL. */
void pim_rv_history_facts( Operation *op, pim_info *pi, pim_rv_history *h,
	struct berval *principal, struct berval *role, pim_rv_facts *f,
	struct berval *manager );

/* pim_review_open.c: open occurrence k (starting at t) of the
 * definition e (read as rd). */
int pim_review_open( Operation *op, pim_info *pi, Entry *e,
	pim_review_def *rd, long k, time_t t, long *items );

/* pim_review_close.c */
int pim_review_instance_due( Operation *op, pim_info *pi, struct berval *ndn );
/* Close the open instance now: stopped early when by is not NULL. */
int pim_review_close( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *by, struct berval *reason, const char **text );
/* Apply the results of a closed instance, or of one item of one. */
int pim_review_apply( Operation *op, pim_info *pi, struct berval *ndn,
	struct berval *by, long *count, const char **text );

/* pim_review_decide.c: the requester decides item ndn (or, with
 * recommended, takes the recommendation of each of their undecided
 * items of instance ndn). */
typedef struct pim_rv_decision {
	int		dc_decision;	/* enum pim_decision; -1: none */
	int		dc_recommended;
	struct berval	dc_reason;	/* empty: none */
} pim_rv_decision;
int pim_review_decide( Operation *op, pim_info *pi, struct berval *ndn,
	pim_rv_decision *dc, long *count, const char **text );

/* pim_review_door.c: the extended operations */
int pim_review_create( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_review_modify( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_review_delete( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_review_decide_op( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_review_apply_op( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
int pim_review_stop_op( Operation *op, SlapReply *rs, pim_info *pi,
	pim_request *req, pim_response *out );
/* ... and the plain LDAP writes of review entries (door 2): each
 * answers the client itself, or SLAP_CB_CONTINUE. */
int pim_review_door_add( Operation *op, SlapReply *rs, pim_info *pi,
	Entry *e );
int pim_review_door_modify( Operation *op, SlapReply *rs, pim_info *pi,
	Entry *e );
int pim_review_door_delete( Operation *op, SlapReply *rs, pim_info *pi,
	Entry *e );

#endif /* PIM_REVIEW_H */
