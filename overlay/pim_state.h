/* pim_state.h - the life of an activation, as a pure state machine.
 *
 *   pending --approve(quorum)--> approved (start later) | active
 *   pending --deny--> denied      pending --cancel--> cancelled
 *   pending --timeout--> timed-out
 *   scheduled, approved --start--> active
 *   scheduled, approved --cancel--> cancelled
 *   active --expire--> expired    active --deactivate--> deactivated
 *   pending, approved, scheduled, active --revoke--> revoked
 *   active --extend--> active
 *   pending --grant--> granted (a request for an eligibility's
 *   extension or renewal: what it asked for is done)
 * Everything else is refused.  The states after the arrows' last step
 * are final.
 */
#ifndef PIM_STATE_H
#define PIM_STATE_H

#include <time.h>
#include <lber.h>

enum pim_state {
	PIM_ST_PENDING = 0,
	PIM_ST_APPROVED,
	PIM_ST_SCHEDULED,
	PIM_ST_ACTIVE,
	PIM_ST_EXPIRED,
	PIM_ST_DEACTIVATED,
	PIM_ST_REVOKED,
	PIM_ST_DENIED,
	PIM_ST_CANCELLED,
	PIM_ST_TIMED_OUT,
	PIM_ST_GRANTED,
	PIM_ST_COUNT
};

enum pim_event {
	PIM_EV_APPROVE_NOW = 0,	/* the quorum is reached, start now */
	PIM_EV_APPROVE_LATER,	/* the quorum is reached, start later */
	PIM_EV_DENY,
	PIM_EV_CANCEL,
	PIM_EV_TIMEOUT,
	PIM_EV_START,
	PIM_EV_EXPIRE,
	PIM_EV_DEACTIVATE,
	PIM_EV_REVOKE,
	PIM_EV_EXTEND,
	PIM_EV_GRANT,
	PIM_EV_COUNT
};

/* The state event ev leads to from state from: 0 and *to, or -1 when
 * the transition is not allowed. */
int pim_state_next( enum pim_state from, enum pim_event ev,
	enum pim_state *to );

/* pimState values: "pending", "approved", "scheduled", "active",
 * "expired", "deactivated", "revoked", "denied", "cancelled",
 * "timed-out", "granted".  parse: 0, or -1 for anything else (case-insensitive). */
const char *pim_state_name( enum pim_state st );
int pim_state_parse( const struct berval *bv, enum pim_state *st );

/* Sets of states, one bit each, so that "which states are open" is
 * said once.  Open: not yet ended, may still grant membership.  Waiting:
 * open but not active yet.  Ended with a membership behind it: expired,
 * deactivated, revoked. */
#define PIM_STATE_BIT( st )	( 1u << (st) )
#define PIM_STATES_OPEN		( PIM_STATE_BIT( PIM_ST_PENDING ) | \
	PIM_STATE_BIT( PIM_ST_APPROVED ) | PIM_STATE_BIT( PIM_ST_SCHEDULED ) | \
	PIM_STATE_BIT( PIM_ST_ACTIVE ) )
#define PIM_STATES_WAITING	\
	( PIM_STATES_OPEN & ~PIM_STATE_BIT( PIM_ST_ACTIVE ) )
#define PIM_STATES_ENDED_ACTIVE	( PIM_STATE_BIT( PIM_ST_EXPIRED ) | \
	PIM_STATE_BIT( PIM_ST_DEACTIVATED ) | PIM_STATE_BIT( PIM_ST_REVOKED ) )

/* The next moment the timer must look at an activation in state st
 * (its end when active, its request's expiry when pending, its start
 * when approved or scheduled), or 0: none. */
time_t pim_state_next_look( enum pim_state st, time_t start, time_t end,
	time_t expiry );

/* Does the state still count: not yet ended (PIM_STATES_OPEN)? */
int pim_state_is_open( enum pim_state st );
/* Is the state named name (a pimState value) in the set states? */
int pim_state_name_in( const char *name, unsigned states );
/* "(|(pimState=a)(pimState=b)...)" for the set states, into buf:
 * its length, or -1 when it does not fit. */
int pim_state_filter( unsigned states, char *buf, size_t size );

#endif /* PIM_STATE_H */
