/* pim_policy_attrs.h - the role policy attributes, one row each.
 *
 * Everything that names a policy attribute is generated from this list:
 * the fields of struct pim_policy and their built-in defaults, the enum
 * PIM_POLICY_*, pim_policy_attr_names[] and the diagnostics of
 * pim_policy.c, the schema handles of pim_policy_ads[] (pim_activation_new.c),
 * the overlay-wide default's directive and cn=config attribute
 * (pim_config.c, with the olcPimConfig MAY list) and pimctl's policy
 * settings (tools/pimctl_policy.c).
 *
 * Adding a policy attribute is one row here (at the end of
 * PIM_POLICY_ATTRS_D) plus its definition in pim_schema_defs.h (and its
 * handle in pim.h and pim_schema.c); give its directive the next free
 * configuration OID number, never a used one.
 *
 * A row is
 *   X( ENUM, name, KIND, default, "pimAttribute", "pimctl-setting",
 *      "diagnostic for a value that cannot be read",
 *      CFG or NOCFG, "pim-directive", "what", OID, "olcAttribute",
 *      "olcAttribute's DESC" )
 * where
 *   ENUM     gives PIM_POLICY_ENUM, the attribute's index
 *   name     gives the field pp_name and the schema handle pim_ad_name
 *   KIND     DURATION (long seconds, as pim_duration_parse reads them),
 *            BOOL (int 0 or 1, TRUE or FALSE) or COUNT (long, decimal)
 *   default  the built-in default of a role and a configuration that
 *            set nothing
 *   CFG      the attribute has an overlay-wide default in the
 *            configuration: the directive, its argument as slaptest's
 *            usage names it, the number under PIM_OID_CFG_AT, the
 *            cn=config attribute and its description follow; NOCFG:
 *            it has none (pimEmergency: a role is an emergency role by
 *            its own say only) and the five are NULL, NULL, 0, NULL, NULL.
 *
 * The list is cut in four only to keep what is printed in the order it
 * always had: cn=config shows its attributes (and slapd's schema its
 * cn=config types) in the order of pim_config.c's table, where
 * pim-placeholder comes after part A and pim-active-self-extend-allowed
 * after the directives that are no policy attribute; "pimctl policy
 * show" lists pimApprover (no policy attribute: a list of DNs) after
 * part B.  PIM_POLICY_ATTRS is the whole list, in the enum's order.
 */
#ifndef PIM_POLICY_ATTRS_H
#define PIM_POLICY_ATTRS_H

#define PIM_POLICY_ATTRS_A( X ) \
	/* the longest activation, >= 1 s */ \
	X( MAX, max_duration, DURATION, PIM_DEFAULT_MAX_DURATION, \
		"pimMaxDuration", "max", \
		"pimMaxDuration: not a duration (such as 8h or 1h30m)", \
		CFG, "pim-max-duration", "duration", 3, "olcPimMaxDuration", \
		"Default longest activation, such as 8h" ) \
	/* the shortest activation, 0 .. max */ \
	X( MIN, min_duration, DURATION, PIM_DEFAULT_MIN_DURATION, \
		"pimMinDuration", "min", \
		"pimMinDuration: not a duration (such as 15m)", \
		CFG, "pim-min-duration", "duration", 4, "olcPimMinDuration", \
		"Default shortest activation, such as 15m" ) \
	X( JREQ, justification_required, BOOL, 1, \
		"pimJustificationRequired", "justification", \
		"pimJustificationRequired: not TRUE or FALSE", \
		CFG, "pim-justification-required", "on|off", 5, \
		"olcPimJustificationRequired", \
		"Whether activations need a justification by default" ) \
	/* in characters (UTF-8 code points) */ \
	X( JMAX, justification_max, COUNT, PIM_DEFAULT_JUSTIFICATION_MAX, \
		"pimJustificationMaxLength", "justification-max", \
		"pimJustificationMaxLength: not a number", \
		CFG, "pim-justification-max-length", "characters", 6, \
		"olcPimJustificationMaxLength", \
		"Default longest justification, in characters" )

#define PIM_POLICY_ATTRS_B( X ) \
	X( TICKET, ticket_required, BOOL, 0, \
		"pimTicketRequired", "ticket", \
		"pimTicketRequired: not TRUE or FALSE", \
		CFG, "pim-ticket-required", "on|off", 8, "olcPimTicketRequired", \
		"Whether activations need a ticket by default" ) \
	X( MFA, mfa_required, BOOL, 0, \
		"pimMFARequired", "mfa", \
		"pimMFARequired: not TRUE or FALSE", \
		CFG, "pim-mfa-required", "on|off", 9, "olcPimMFARequired", \
		"Whether activations need a one-time code by default" ) \
	X( APPROVAL, approval_required, BOOL, 0, \
		"pimApprovalRequired", "approval", \
		"pimApprovalRequired: not TRUE or FALSE", \
		CFG, "pim-approval-required", "on|off", 10, \
		"olcPimApprovalRequired", \
		"Whether activations need approval by default" )

#define PIM_POLICY_ATTRS_C( X ) \
	/* 1 .. PIM_MAX_APPROVALS */ \
	X( APPROVALS, approvals_needed, COUNT, 1, \
		"pimApprovalsNeeded", "approvals", \
		"pimApprovalsNeeded: not a number", \
		CFG, "pim-approvals-needed", "count", 11, \
		"olcPimApprovalsNeeded", \
		"Default number of distinct approvals an activation needs" ) \
	/* how long a pending request lives */ \
	X( LIFETIME, request_lifetime, DURATION, PIM_DEFAULT_REQUEST_LIFETIME, \
		"pimRequestLifetime", "request-lifetime", \
		"pimRequestLifetime: not a duration (such as 24h)", \
		CFG, "pim-request-lifetime", "duration", 12, \
		"olcPimRequestLifetime", \
		"Default time a request waits for approval, such as 24h" ) \
	/* the longest eligibility; 0 = no limit */ \
	X( ELIG_MAX, eligible_max, DURATION, 0, \
		"pimEligibleMaxDuration", "eligible-max", \
		"pimEligibleMaxDuration: not a duration (such as 365d)", \
		CFG, "pim-eligible-max-duration", "duration", 13, \
		"olcPimEligibleMaxDuration", \
		"Default longest eligibility (0s: no limit)" ) \
	X( ELIG_PERM, eligible_permanent, BOOL, 1, \
		"pimEligiblePermanentAllowed", "eligible-permanent", \
		"pimEligiblePermanentAllowed: not TRUE or FALSE", \
		CFG, "pim-eligible-permanent-allowed", "on|off", 14, \
		"olcPimEligiblePermanentAllowed", \
		"Whether eligibility may be permanent by default" ) \
	/* the longest active assignment */ \
	X( ACT_MAX, active_max, DURATION, PIM_DEFAULT_ACTIVE_MAX, \
		"pimActiveMaxDuration", "active-max", \
		"pimActiveMaxDuration: not a duration (such as 30d)", \
		CFG, "pim-active-max-duration", "duration", 15, \
		"olcPimActiveMaxDuration", \
		"Default longest active assignment, such as 180d" ) \
	X( ACT_PERM, active_permanent, BOOL, 0, \
		"pimActivePermanentAllowed", "active-permanent", \
		"pimActivePermanentAllowed: not TRUE or FALSE", \
		CFG, "pim-active-permanent-allowed", "on|off", 16, \
		"olcPimActivePermanentAllowed", \
		"Whether an active assignment may be permanent by default" )

#define PIM_POLICY_ATTRS_D( X ) \
	/* its holder may extend an active assignment (else: administrators) */ \
	X( ACT_SELF_EXTEND, active_self_extend, BOOL, 0, \
		"pimActiveSelfExtendAllowed", "active-self-extend", \
		"pimActiveSelfExtendAllowed: not TRUE or FALSE", \
		CFG, "pim-active-self-extend-allowed", "on|off", 29, \
		"olcPimActiveSelfExtendAllowed", \
		"Whether the holder of an active assignment may extend it " \
		"by default (else only PIM administrators)" ) \
	/* break-glass: no approval, a longer justification, always an alert */ \
	X( EMERGENCY, emergency, BOOL, 0, \
		"pimEmergency", "emergency", \
		"pimEmergency: not TRUE or FALSE", \
		NOCFG, NULL, NULL, 0, NULL, NULL )

#define PIM_POLICY_ATTRS( X ) \
	PIM_POLICY_ATTRS_A( X ) PIM_POLICY_ATTRS_B( X ) \
	PIM_POLICY_ATTRS_C( X ) PIM_POLICY_ATTRS_D( X )

#endif /* PIM_POLICY_ATTRS_H */
