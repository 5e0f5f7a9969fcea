/* pim_event_kinds.h - the kinds of events PIM records, one row each.
 *
 * The names are data, not labels: the audit trail stores them
 * (pimAuditEvent), and pimctl's audit, alerts, watch and notify read
 * them back, so a released name never changes.  The engine names an
 * event by its kind; only this table turns a kind into text, and only
 * pim_event_kind_parse turns text back.
 *
 * Columns: the kind, its stored name, and the audiences pimctl notify
 * routes it to (PIM_EKA_*).  A refusal is one kind whose stored name is
 * "refused <action>" (pim_event_info's ev_action).
 *
 * No slapd dependency: shared with pimctl and the unit tests.
 */
#ifndef PIM_EVENT_KINDS_H
#define PIM_EVENT_KINDS_H

#include <stddef.h>

#include "pim_state.h"

/* Who hears of an event (pimctl notify): */
#define PIM_EKA_APPROVERS	0x01	/* a request: the role's approvers */
#define PIM_EKA_PRINCIPAL	0x02	/* an outcome or a step of the
					 * principal's activation */
#define PIM_EKA_ELIGIBILITY	0x04	/* a change of an eligibility: the
					 * principal and the administrators */
#define PIM_EKA_CRITICAL	0x08	/* must be acted on or seen: sent
					 * to critical-only roles too */

#define PIM_EVENT_KINDS( X ) \
	X( REQUESTED,		"requested",		PIM_EKA_APPROVERS | PIM_EKA_CRITICAL ) \
	X( SCHEDULED,		"scheduled",		PIM_EKA_PRINCIPAL ) \
	X( APPROVED,		"approved",		PIM_EKA_PRINCIPAL ) \
	X( DENIED,		"denied",		PIM_EKA_PRINCIPAL ) \
	X( CANCELLED,		"cancelled",		PIM_EKA_PRINCIPAL ) \
	X( TIMED_OUT,		"timed-out",		PIM_EKA_PRINCIPAL ) \
	X( ACTIVATED,		"activated",		PIM_EKA_PRINCIPAL | PIM_EKA_CRITICAL ) \
	X( EXTENDED,		"extended",		PIM_EKA_PRINCIPAL ) \
	X( CUT,			"cut",			PIM_EKA_PRINCIPAL ) \
	X( EXPIRING,		"expiring",		PIM_EKA_PRINCIPAL ) \
	X( DEACTIVATED,		"deactivated",		PIM_EKA_PRINCIPAL ) \
	X( EXPIRED,		"expired",		PIM_EKA_PRINCIPAL ) \
	X( REVOKED,		"revoked",		PIM_EKA_PRINCIPAL ) \
	X( EMERGENCY,		"emergency",		0 ) \
	X( ALERT,		"alert",		PIM_EKA_CRITICAL ) \
	X( ALERT_DISMISSED,	"alert dismissed",	0 ) \
	X( REFUSED,		"refused",		0 ) \
	X( ELIG_ADDED,		"eligibility added",	PIM_EKA_ELIGIBILITY ) \
	X( ELIG_REMOVED,	"eligibility removed",	PIM_EKA_ELIGIBILITY ) \
	X( ELIG_CHANGED,	"eligibility changed",	PIM_EKA_ELIGIBILITY ) \
	X( ELIG_REQUESTED,	"eligibility requested", PIM_EKA_APPROVERS | PIM_EKA_CRITICAL ) \
	X( ELIG_EXTENDED,	"eligibility extended",	PIM_EKA_ELIGIBILITY ) \
	X( ELIG_RENEWED,	"eligibility renewed",	PIM_EKA_ELIGIBILITY ) \
	X( ELIG_EXPIRING,	"eligibility expiring",	PIM_EKA_PRINCIPAL ) \
	X( STATIC_MOVED,	"static member moved under PIM", 0 ) \
	X( STATIC_REMOVED,	"static member removed", 0 ) \
	X( PRINCIPAL_RENAMED,	"principal renamed",	0 ) \
	X( MFA_FAILURE,		"mfa failure",		0 ) \
	X( MFA_LOCKOUT,		"mfa lockout",		0 ) \
	X( REVIEW_CREATED,	"review created",	0 ) \
	X( REVIEW_CHANGED,	"review changed",	0 ) \
	X( REVIEW_DELETED,	"review deleted",	0 ) \
	X( REVIEW_OPENED,	"review opened",	0 ) \
	X( REVIEW_REMINDER,	"review reminder",	0 ) \
	X( REVIEW_DECIDED,	"review decided",	0 ) \
	X( REVIEW_CLOSED,	"review closed",	0 ) \
	X( REVIEW_STOPPED,	"review stopped",	0 ) \
	X( REVIEW_APPLIED,	"review applied",	0 )

enum pim_event_kind {
#define PIM_EK_ENUM( k, name, aud )	PIM_EK_##k,
	PIM_EVENT_KINDS( PIM_EK_ENUM )
#undef PIM_EK_ENUM
	PIM_EK_COUNT
};

/* The stored name of kind k ("unknown" for anything else). */
const char *pim_event_kind_name( enum pim_event_kind k );
/* The audiences of k (PIM_EKA_*); 0 for anything else. */
unsigned pim_event_kind_audience( enum pim_event_kind k );
/* The kind of a stored name: 0 and *k set, -1 when name is no kind's.
 * "refused <action>" is PIM_EK_REFUSED.  Case matters: PIM writes the
 * names, nobody else. */
int pim_event_kind_parse( const char *name, size_t len,
	enum pim_event_kind *k );
/* The event of an activation's move into the final state to (expired,
 * deactivated, revoked, denied, cancelled, timed-out); PIM_EK_COUNT
 * for a state no end moves into. */
enum pim_event_kind pim_event_kind_of_end( enum pim_state to );

#endif /* PIM_EVENT_KINDS_H */
