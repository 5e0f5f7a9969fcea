/* pim_policy.h - the decisions PIM makes, as pure functions.
 *
 * No slapd dependency: the overlay gathers the facts (policy, times,
 * request), these functions decide, and the unit tests cover every
 * branch.  Each returns an LDAP result code and, when it refuses, sets
 * *text to a static diagnostic.
 */
#ifndef PIM_POLICY_H
#define PIM_POLICY_H

#include <time.h>
#include <lber.h>

#include "pim_policy_attrs.h"

/* Defaults for a role that sets nothing and a configuration that sets
 * nothing: at most 8 hours, a justification of at most 500 characters. */
#define PIM_DEFAULT_MAX_DURATION	(8L * 3600)
#define PIM_DEFAULT_MIN_DURATION	0L
#define PIM_DEFAULT_JUSTIFICATION_MAX	500L
/* A pending request lives a day; an active assignment at most 180 days
 * and never permanently, unless a role says otherwise. */
#define PIM_DEFAULT_REQUEST_LIFETIME	(24L * 3600)
#define PIM_DEFAULT_ACTIVE_MAX		(180L * 24 * 3600)
#define PIM_MAX_APPROVALS		32

/* What kind of value a policy attribute holds (pim_policy_attrs.h). */
enum pim_pkind { PIM_PK_DURATION, PIM_PK_BOOL, PIM_PK_COUNT };
#define PIM_PK_CTYPE_DURATION	long	/* seconds */
#define PIM_PK_CTYPE_BOOL	int	/* 0 or 1 */
#define PIM_PK_CTYPE_COUNT	long

/* One field per policy attribute, pp_max_duration ... pp_emergency (see
 * pim_policy_attrs.h for what each means). */
typedef struct pim_policy {
#define PIM_PP_FIELD( e, name, kind, ... )	PIM_PK_CTYPE_##kind pp_##name;
	PIM_POLICY_ATTRS( PIM_PP_FIELD )
#undef PIM_PP_FIELD
} pim_policy;

/* Fill *p with the built-in defaults. */
void pim_policy_defaults( pim_policy *p );

/* Check that a policy is coherent (max >= 1, 0 <= min <= max, max at
 * most PIM_DURATION_MAX, justification_max 1..PIM_MAX_TEXT, approvals
 * needed 1..PIM_MAX_APPROVALS, a request lifetime of at least a second,
 * positive assignment durations).  LDAP_SUCCESS or
 * LDAP_CONSTRAINT_VIOLATION. */
int pim_policy_validate( const pim_policy *p, const char **text );

/* May an activation of the given duration and justification go ahead
 * under policy p?  duration 0 means "not given": the decision then uses
 * the policy's maximum and *effective says so.  Refusals:
 * LDAP_CONSTRAINT_VIOLATION for an incoherent policy (with
 * pim_policy_validate()'s diagnostic), a duration out of bounds, a
 * missing justification when required (NULL and empty count as
 * missing), or one longer than allowed (counted in UTF-8 characters);
 * LDAP_INVALID_SYNTAX for a justification that is not valid UTF-8 or
 * has control characters (checked even when not required).  effective
 * may be NULL; it is set to 0 on a refusal. */
int pim_policy_check_activation( const pim_policy *p, long duration,
	const struct berval *justification, long *effective,
	const char **text );

/* An emergency role (p->pp_emergency) is activated without approval,
 * so its justification is what an auditor has: it must have at least
 * min characters.  LDAP_SUCCESS (always, for a role that is not one),
 * or LDAP_CONSTRAINT_VIOLATION. */
int pim_policy_check_emergency( const pim_policy *p,
	const struct berval *justification, long min, const char **text );

/* Does an activation under p wait for approval?  Not on an emergency
 * role: its path must work when the approvers cannot be reached. */
int pim_policy_needs_approval( const pim_policy *p );

/* Is an eligibility valid at now?  start 0 = since always; end 0 =
 * permanent.  LDAP_SUCCESS, or LDAP_INSUFFICIENT_ACCESS with "eligibility
 * has not started yet" / "eligibility has ended". */
int pim_eligibility_check_window( time_t now, time_t start, time_t end,
	const char **text );

/* An activation's expiry never outlives its eligibility: returns the
 * expiry to use (now + duration, cut at elig_end when elig_end != 0).
 * duration is clamped to 0 .. PIM_DURATION_MAX. */
time_t pim_activation_expiry( time_t now, long duration, time_t elig_end );

/* Validate the times of a new eligibility: start < end when both are
 * given, end in the future (end > now); a start in the past is fine.
 * 0 means not given.  LDAP_SUCCESS or LDAP_CONSTRAINT_VIOLATION. */
int pim_eligibility_check_times( time_t now, time_t start, time_t end,
	const char **text );

/* A ticket when the policy requires one: LDAP_SUCCESS, or
 * LDAP_CONSTRAINT_VIOLATION "a ticket is required for this role" (or
 * one longer than PIM_MAX_TICKET bytes);
 * LDAP_INVALID_SYNTAX for one that is not valid UTF-8 or holds control
 * characters. */
int pim_policy_check_ticket( const pim_policy *p,
	const struct berval *ticket, const char **text );

/* The reason of a decision (approve, deny, revoke, an assignment's
 * removal): optional; when given, valid UTF-8 without control
 * characters (it goes into log lines and records), at most
 * PIM_MAX_REASON characters.  LDAP_SUCCESS, LDAP_INVALID_SYNTAX or
 * LDAP_CONSTRAINT_VIOLATION. */
#define PIM_MAX_REASON	1000
int pim_policy_check_reason( const struct berval *reason, const char **text );

/* May an assignment (eligible: active == 0; active assignment: active
 * == 1) run from start to end (0 = permanent) under p?
 * LDAP_CONSTRAINT_VIOLATION when permanence is not allowed or it is
 * longer than allowed. */
int pim_policy_check_assignment( const pim_policy *p, int active,
	time_t start, time_t end, const char **text );

/* Count UTF-8 characters in bv; -1 if bv is not valid UTF-8 (RFC 3629:
 * no overlong forms, surrogates or values above U+10FFFF) or holds a
 * control character (Unicode Cc: U+0000-001F, U+007F-009F; tabs and
 * newlines are refused too, since the value goes into log lines). */
long pim_utf8_chars( const struct berval *bv );

/* A role's policy attributes, in the order of pim_policy_attrs.h:
 * PIM_POLICY_MAX ... PIM_POLICY_EMERGENCY, then their number. */
enum {
#define PIM_POLICY_ENUM( e, ... )	PIM_POLICY_##e,
	PIM_POLICY_ATTRS( PIM_POLICY_ENUM )
#undef PIM_POLICY_ENUM
	PIM_POLICY_NATTRS
};
/* Their attribute names, in that order. */
extern const char *const pim_policy_attr_names[PIM_POLICY_NATTRS];

/* What kind of value policy attribute i holds, and generic access to it
 * (so that the configuration and the role attributes share one table).
 * set_value: 0, or -1 when v is not of the attribute's kind. */
enum pim_pkind pim_policy_attr_kind( int i );
long pim_policy_get( const pim_policy *p, int i );
void pim_policy_put( pim_policy *p, int i, long value );
int pim_policy_set_value( pim_policy *p, int i, const struct berval *v );

/* The policy a role's values give over defaults: vals[i] NULL means the
 * role does not set it.  Durations as pim_duration_parse takes them,
 * the boolean as "TRUE" or "FALSE", the length as a decimal integer.
 * LDAP_SUCCESS, LDAP_INVALID_SYNTAX naming the attribute that cannot
 * be read, or LDAP_CONSTRAINT_VIOLATION for an incoherent result (see
 * pim_policy_validate). */
int pim_policy_from_values( const pim_policy *defaults,
	const struct berval *vals[PIM_POLICY_NATTRS], pim_policy *p,
	const char **text );

#endif /* PIM_POLICY_H */
