/* pim_schema_defs.h - the one definition of the PIM schema.
 *
 * The module registers these at load time; schema/gen_schema prints them
 * as pim.schema and pim.ldif, and "make check" fails if the shipped files
 * drift from this table.  Pure data: no slapd dependency.
 *
 * Times are GeneralizedTime with ordering matching so that expiry
 * lookups can be indexed; DNs use distinguishedNameMatch so that
 * "pimPrincipal=<dn>" is an indexed equality lookup.
 */
#ifndef PIM_SCHEMA_DEFS_H
#define PIM_SCHEMA_DEFS_H

#include "pim_oids.h"

#define PIM_SYN_DN	"1.3.6.1.4.1.1466.115.121.1.12"
#define PIM_SYN_DSTR	"1.3.6.1.4.1.1466.115.121.1.15"
#define PIM_SYN_IA5	"1.3.6.1.4.1.1466.115.121.1.26"
#define PIM_SYN_GTIME	"1.3.6.1.4.1.1466.115.121.1.24"
#define PIM_SYN_BOOL	"1.3.6.1.4.1.1466.115.121.1.7"
#define PIM_SYN_INT	"1.3.6.1.4.1.1466.115.121.1.27"

#define PIM_AT_DN(n, name, desc, single) \
	"( " PIM_OID_AT "." #n " NAME '" name "' DESC '" desc "' " \
	"EQUALITY distinguishedNameMatch SYNTAX " PIM_SYN_DN single " )"
#define PIM_AT_TIME(n, name, desc) \
	"( " PIM_OID_AT "." #n " NAME '" name "' DESC '" desc "' " \
	"EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch " \
	"SYNTAX " PIM_SYN_GTIME " SINGLE-VALUE )"
#define PIM_AT_IA5(n, name, desc) \
	"( " PIM_OID_AT "." #n " NAME '" name "' DESC '" desc "' " \
	"EQUALITY caseIgnoreIA5Match SYNTAX " PIM_SYN_IA5 " SINGLE-VALUE )"
#define PIM_AT_BOOL(n, name, desc) \
	"( " PIM_OID_AT "." #n " NAME '" name "' DESC '" desc "' " \
	"EQUALITY booleanMatch SYNTAX " PIM_SYN_BOOL " SINGLE-VALUE )"
#define PIM_AT_INTEGER(n, name, desc) \
	"( " PIM_OID_AT "." #n " NAME '" name "' DESC '" desc "' " \
	"EQUALITY integerMatch ORDERING integerOrderingMatch " \
	"SYNTAX " PIM_SYN_INT " SINGLE-VALUE )"
#define PIM_AT_TEXT(n, name, desc) \
	"( " PIM_OID_AT "." #n " NAME '" name "' DESC '" desc "' " \
	"EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch " \
	"SYNTAX " PIM_SYN_DSTR " SINGLE-VALUE )"

struct pim_schema_def {
	const char *sd_name;	/* for diagnostics and the generator */
	const char *sd_def;	/* RFC 4512 description */
};

/* Attribute types, in OID order.  Never renumber. */
static const struct pim_schema_def pim_attribute_defs[] = {
	{ "pimId", PIM_AT_IA5(1, "pimId",
		"Identifier of a PIM eligibility or activation") },
	{ "pimPrincipal", PIM_AT_DN(2, "pimPrincipal",
		"The user an eligibility or activation is for", " SINGLE-VALUE") },
	{ "pimRoleDN", PIM_AT_DN(3, "pimRoleDN",
		"The role (group) an eligibility or activation is for", " SINGLE-VALUE") },
	{ "pimState", PIM_AT_IA5(4, "pimState",
		"State of an activation: pending, approved, scheduled, active, expired, deactivated, revoked, denied, cancelled, timed-out") },
	{ "pimStartTime", PIM_AT_TIME(5, "pimStartTime",
		"When an eligibility or activation starts") },
	{ "pimEndTime", PIM_AT_TIME(6, "pimEndTime",
		"When an eligibility or activation ends; absent means permanent") },
	{ "pimJustification", PIM_AT_TEXT(7, "pimJustification",
		"Why an activation was requested or an eligibility assigned") },
	{ "pimTicket", PIM_AT_TEXT(8, "pimTicket",
		"Change or incident ticket that backs a request") },
	{ "pimAssignedBy", PIM_AT_DN(9, "pimAssignedBy",
		"Who created an eligibility or assignment", " SINGLE-VALUE") },
	{ "pimEligibilityRef", PIM_AT_DN(10, "pimEligibilityRef",
		"The eligibility an activation was made under", " SINGLE-VALUE") },
	{ "pimManagedMember", PIM_AT_DN(11, "pimManagedMember",
		"Member values of a role that PIM added and will remove", "") },
	{ "pimMaxDuration", PIM_AT_IA5(12, "pimMaxDuration",
		"Longest activation of a role, as a duration such as 8h or 1h30m") },
	{ "pimMinDuration", PIM_AT_IA5(13, "pimMinDuration",
		"Shortest activation of a role, as a duration such as 15m") },
	{ "pimJustificationRequired",
		"( " PIM_OID_AT ".14 NAME 'pimJustificationRequired' "
		"DESC 'Whether activating a role needs a justification' "
		"EQUALITY booleanMatch SYNTAX " PIM_SYN_BOOL " SINGLE-VALUE )" },
	{ "pimJustificationMaxLength",
		"( " PIM_OID_AT ".15 NAME 'pimJustificationMaxLength' "
		"DESC 'Most characters a justification may have' "
		"EQUALITY integerMatch ORDERING integerOrderingMatch "
		"SYNTAX " PIM_SYN_INT " SINGLE-VALUE )" },
	{ "pimEndedBy", PIM_AT_DN(16, "pimEndedBy",
		"Who ended an activation early (deactivated or revoked it)", " SINGLE-VALUE") },
	{ "pimTicketRequired", PIM_AT_BOOL(17, "pimTicketRequired",
		"Whether activating a role needs a ticket") },
	{ "pimMFARequired", PIM_AT_BOOL(18, "pimMFARequired",
		"Whether activating a role needs a one-time code") },
	{ "pimApprovalRequired", PIM_AT_BOOL(19, "pimApprovalRequired",
		"Whether activating a role needs approval") },
	{ "pimApprover", PIM_AT_DN(20, "pimApprover",
		"A user or group whose members may approve activations of a role", "") },
	{ "pimApprovalsNeeded",
		"( " PIM_OID_AT ".21 NAME 'pimApprovalsNeeded' "
		"DESC 'How many distinct approvers must approve an activation' "
		"EQUALITY integerMatch ORDERING integerOrderingMatch "
		"SYNTAX " PIM_SYN_INT " SINGLE-VALUE )" },
	{ "pimRequestLifetime", PIM_AT_IA5(22, "pimRequestLifetime",
		"How long a request waits for approval before it times out, such as 24h") },
	{ "pimEligibleMaxDuration", PIM_AT_IA5(23, "pimEligibleMaxDuration",
		"Longest eligibility an administrator may assign, such as 365d") },
	{ "pimEligiblePermanentAllowed", PIM_AT_BOOL(24, "pimEligiblePermanentAllowed",
		"Whether eligibility may be permanent") },
	{ "pimActiveMaxDuration", PIM_AT_IA5(25, "pimActiveMaxDuration",
		"Longest active assignment an administrator may make, such as 30d") },
	{ "pimActivePermanentAllowed", PIM_AT_BOOL(26, "pimActivePermanentAllowed",
		"Whether an active assignment may be permanent") },
	{ "pimApprovedBy", PIM_AT_DN(27, "pimApprovedBy",
		"An approver who approved this request", "") },
	{ "pimDeniedBy", PIM_AT_DN(28, "pimDeniedBy",
		"The approver who denied this request", " SINGLE-VALUE") },
	{ "pimDecisionReason",
		"( " PIM_OID_AT ".29 NAME 'pimDecisionReason' "
		"DESC 'Why an approver approved or denied, or why a request ended' "
		"EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch "
		"SYNTAX " PIM_SYN_DSTR " )" },
	{ "pimRequestedDuration", PIM_AT_IA5(30, "pimRequestedDuration",
		"The duration asked for; the clock starts at approval") },
	{ "pimRequestExpiry", PIM_AT_TIME(31, "pimRequestExpiry",
		"When a pending request times out") },
	/* The audit trail: one pimAuditRecord per event (pim_audit.c).
	 * Who did what is text, not DN syntax, where PIM itself ("pim")
	 * or a refused request's raw input may be the value; principal and
	 * role are DNs, stored in pretty form so that an slapcat/slapadd
	 * round trip keeps every hashed byte. */
	{ "pimAuditSeq", PIM_AT_INTEGER(32, "pimAuditSeq",
		"Sequence number of an audit record: the order of events, and its RDN") },
	{ "pimAuditTime", PIM_AT_TIME(33, "pimAuditTime",
		"When the audited event happened") },
	{ "pimAuditEvent", PIM_AT_TEXT(34, "pimAuditEvent",
		"What happened: activated, expired, refused write, alert, anchor, ...") },
	{ "pimAuditActor", PIM_AT_TEXT(35, "pimAuditActor",
		"Who did it: the DN of the requester, or pim for PIM itself") },
	{ "pimAuditPrincipal", PIM_AT_DN(36, "pimAuditPrincipal",
		"The user the audited event concerns", " SINGLE-VALUE") },
	{ "pimAuditRole", PIM_AT_DN(37, "pimAuditRole",
		"The role the audited event concerns", " SINGLE-VALUE") },
	{ "pimAuditId", PIM_AT_TEXT(38, "pimAuditId",
		"The activation or entry the audited event concerns") },
	{ "pimAuditStart", PIM_AT_TIME(39, "pimAuditStart",
		"Start of the activation the audited event concerns") },
	{ "pimAuditEnd", PIM_AT_TIME(40, "pimAuditEnd",
		"End of the activation the audited event concerns") },
	{ "pimAuditReason", PIM_AT_TEXT(41, "pimAuditReason",
		"The justification given") },
	{ "pimAuditTicket", PIM_AT_TEXT(42, "pimAuditTicket",
		"The ticket given") },
	{ "pimAuditResult", PIM_AT_INTEGER(43, "pimAuditResult",
		"LDAP result code of a refused request") },
	{ "pimAuditText", PIM_AT_TEXT(44, "pimAuditText",
		"Diagnostic message of a refusal, or what an alert is about") },
	{ "pimAuditPeer", PIM_AT_TEXT(45, "pimAuditPeer",
		"Client address of the connection the event came from") },
	{ "pimAuditConnection", PIM_AT_INTEGER(46, "pimAuditConnection",
		"Connection number (conn=) the event came from") },
	{ "pimAuditAlert", PIM_AT_IA5(47, "pimAuditAlert",
		"Kind of an alert: activation-frequency, role-write, mfa-failures") },
	{ "pimAuditRef", PIM_AT_TEXT(48, "pimAuditRef",
		"The alert a dismissal dismisses") },
	{ "pimAuditAnchorSeq", PIM_AT_INTEGER(49, "pimAuditAnchorSeq",
		"An anchor: the last sequence number retention removed") },
	{ "pimAuditAnchorHash", PIM_AT_IA5(50, "pimAuditAnchorHash",
		"An anchor: the hash of the last record retention removed") },
	{ "pimAuditPrevHash", PIM_AT_IA5(51, "pimAuditPrevHash",
		"Hash of the previous audit record (the chain)") },
	{ "pimAuditHash", PIM_AT_IA5(52, "pimAuditHash",
		"SHA-256 of the fields of this audit record and the previous hash") },
	{ "pimActiveSelfExtendAllowed", PIM_AT_BOOL(53, "pimActiveSelfExtendAllowed",
		"Whether the holder of an active assignment may extend it (else only PIM administrators)") },
	/* Access reviews (pim_review*.c) */
	{ "pimReviewScopeRole", PIM_AT_DN(54, "pimReviewScopeRole",
		"A role an access review covers; none: every PIM role", "") },
	{ "pimReviewAssignmentKind", PIM_AT_IA5(55, "pimReviewAssignmentKind",
		"Which assignments a review covers or an item is: eligible, active or both") },
	{ "pimReviewInactiveDays", PIM_AT_INTEGER(56, "pimReviewInactiveDays",
		"Only principals with no activation and no bind for this many days; also the recommendation threshold") },
	{ "pimReviewReviewerKind", PIM_AT_IA5(57, "pimReviewReviewerKind",
		"Who reviews: self, named, approvers or manager") },
	{ "pimReviewer", PIM_AT_DN(58, "pimReviewer",
		"A user or group who reviews (named reviewers of a definition, reviewers of an item)", "") },
	{ "pimReviewFallbackReviewer", PIM_AT_DN(59, "pimReviewFallbackReviewer",
		"A user or group who reviews an item that has no manager or no approver", "") },
	{ "pimReviewStartTime", PIM_AT_TIME(60, "pimReviewStartTime",
		"When the first instance of a review opens") },
	{ "pimReviewRecurrence", PIM_AT_IA5(61, "pimReviewRecurrence",
		"once, weekly, monthly, quarterly, semiannual, annual, or an interval such as 90d") },
	{ "pimReviewDuration", PIM_AT_IA5(62, "pimReviewDuration",
		"How long each instance of a review stays open, such as 7d") },
	{ "pimReviewEndTime", PIM_AT_TIME(63, "pimReviewEndTime",
		"No instance of a review opens after this time") },
	{ "pimReviewMaxInstances", PIM_AT_INTEGER(64, "pimReviewMaxInstances",
		"How many instances of a review open at most") },
	{ "pimReviewJustificationRequired", PIM_AT_BOOL(65, "pimReviewJustificationRequired",
		"Whether a review decision needs a reason") },
	{ "pimReviewDefaultDecision", PIM_AT_IA5(66, "pimReviewDefaultDecision",
		"What unreviewed items get at the close: none, remove, approve or recommendation") },
	{ "pimReviewAutoApply", PIM_AT_BOOL(67, "pimReviewAutoApply",
		"Whether a closed instance applies its results itself") },
	{ "pimReviewReminder", PIM_AT_IA5(68, "pimReviewReminder",
		"How long before an instance closes its reviewers are reminded, such as 2d") },
	{ "pimReviewShowRecommendations", PIM_AT_BOOL(69, "pimReviewShowRecommendations",
		"Whether reviewers see the recommendations PIM makes") },
	{ "pimReviewOccurrence", PIM_AT_INTEGER(70, "pimReviewOccurrence",
		"A definition: the number of the next occurrence; an instance: its own (from 0); maintained by PIM") },
	{ "pimReviewNextOpen", PIM_AT_TIME(71, "pimReviewNextOpen",
		"When the next instance of a review opens; maintained by PIM") },
	{ "pimReviewDefinitionRef", PIM_AT_DN(72, "pimReviewDefinitionRef",
		"The review definition an instance belongs to", " SINGLE-VALUE") },
	{ "pimReviewInstanceRef", PIM_AT_DN(73, "pimReviewInstanceRef",
		"The review instance an item belongs to", " SINGLE-VALUE") },
	{ "pimReviewAssignmentRef", PIM_AT_DN(74, "pimReviewAssignmentRef",
		"The eligibility or activation an item reviews", " SINGLE-VALUE") },
	{ "pimReviewRecommendation", PIM_AT_IA5(75, "pimReviewRecommendation",
		"What PIM recommends for an item: approve, deny or none") },
	{ "pimReviewRecommendationReason", PIM_AT_TEXT(76, "pimReviewRecommendationReason",
		"Why PIM recommends it, such as no activation in 90 days") },
	{ "pimReviewDecision", PIM_AT_IA5(77, "pimReviewDecision",
		"The decision on an item: approve, deny or dontKnow") },
	{ "pimReviewDecidedBy", PIM_AT_DN(78, "pimReviewDecidedBy",
		"The reviewer who decided an item; absent on a default", " SINGLE-VALUE") },
	{ "pimReviewDecisionTime", PIM_AT_TIME(79, "pimReviewDecisionTime",
		"When an item was decided") },
	{ "pimReviewOutcome", PIM_AT_IA5(80, "pimReviewOutcome",
		"What applying did: removed, revoked, kept, gone or failed") },
	{ "pimReviewReminderTime", PIM_AT_TIME(81, "pimReviewReminderTime",
		"When an open instance reminds its reviewers; removed once it has") },
	{ "pimReviewLastActivation", PIM_AT_TIME(82, "pimReviewLastActivation",
		"The last activation of the role by the principal, when the item was made") },
	{ "pimReviewLastBind", PIM_AT_TIME(83, "pimReviewLastBind",
		"The last successful bind of the principal (pwdLastSuccess, authTimestamp), when the item was made") },
	/* .84 to .89 are left for other work in flight; group eligibility */
	{ "pimEligibleThrough", PIM_AT_DN(90, "pimEligibleThrough",
		"The group whose members an eligibility makes eligible, or through which an activation was made", " SINGLE-VALUE") },
	{ "pimEmergency", PIM_AT_BOOL(91, "pimEmergency",
		"Whether a role is for emergency use: activated without approval, with a longer justification, always alerting") },
	{ "pimRequestFor", PIM_AT_IA5(92, "pimRequestFor",
		"What a request asks for: absent for an activation, eligibility for an extension or renewal of the eligibility in pimEligibilityRef") },
	/* A role's notification settings, read by "pimctl notify"
	 * (pimctl-notify(1)); the overlay only guards them as policy. */
	{ "pimNotifyEvents",
		"( " PIM_OID_AT ".93 NAME 'pimNotifyEvents' "
		"DESC 'An event class that notifies for a role: requested, approved, denied, activated, expiring, expired, assignment, alert, ... or all' "
		"EQUALITY caseIgnoreIA5Match SYNTAX " PIM_SYN_IA5 " )" },
	{ "pimNotifyRecipient",
		"( " PIM_OID_AT ".94 NAME 'pimNotifyRecipient' "
		"DESC 'A mail address that hears of every notice of a role, besides those routing names' "
		"EQUALITY caseIgnoreIA5Match SUBSTR caseIgnoreIA5SubstringsMatch "
		"SYNTAX " PIM_SYN_IA5 " )" },
	{ "pimNotifyCriticalOnly", PIM_AT_BOOL(95, "pimNotifyCriticalOnly",
		"Whether a role is critical: administrators hear of each activation, and only critical notices (approval requests, activations, alerts) go out for it") },
	{ NULL, NULL }
};

/* Object classes, in OID order.  Never renumber. */
static const struct pim_schema_def pim_objectclass_defs[] = {
	{ "pimRole",
		"( " PIM_OID_OC ".1 NAME 'pimRole' "
		"DESC 'A group whose membership PIM grants just in time; carries the role policy' "
		"SUP top AUXILIARY "
		"MAY ( pimManagedMember $ pimMaxDuration $ pimMinDuration $ "
		"pimJustificationRequired $ pimJustificationMaxLength $ "
		"pimTicketRequired $ pimMFARequired $ pimApprovalRequired $ "
		"pimApprover $ pimApprovalsNeeded $ pimRequestLifetime $ "
		"pimEligibleMaxDuration $ pimEligiblePermanentAllowed $ "
		"pimActiveMaxDuration $ pimActivePermanentAllowed $ "
		"pimActiveSelfExtendAllowed $ pimEmergency $ "
		"pimNotifyEvents $ pimNotifyRecipient $ pimNotifyCriticalOnly ) )" },
	{ "pimEligibility",
		"( " PIM_OID_OC ".2 NAME 'pimEligibility' "
		"DESC 'A user may activate a role' "
		"SUP top STRUCTURAL "
		"MUST ( pimId $ pimPrincipal $ pimRoleDN ) "
		"MAY ( pimStartTime $ pimEndTime $ pimAssignedBy $ pimJustification $ "
		"pimEligibleThrough ) )" },
	{ "pimActivation",
		"( " PIM_OID_OC ".3 NAME 'pimActivation' "
		"DESC 'A request to activate a role, and its life' "
		"SUP top STRUCTURAL "
		"MUST ( pimId $ pimPrincipal $ pimRoleDN $ pimState ) "
		"MAY ( pimStartTime $ pimEndTime $ pimJustification $ pimTicket $ "
		"pimEligibilityRef $ pimAssignedBy $ pimEndedBy $ pimApprovedBy $ "
		"pimDeniedBy $ pimDecisionReason $ pimRequestedDuration $ "
		"pimRequestExpiry $ pimEligibleThrough $ pimRequestFor ) )" },
	{ "pimAuditRecord",
		"( " PIM_OID_OC ".4 NAME 'pimAuditRecord' "
		"DESC 'One event of the PIM audit trail; written only by PIM' "
		"SUP top STRUCTURAL "
		"MUST ( pimAuditSeq $ pimAuditTime $ pimAuditEvent $ "
		"pimAuditPrevHash $ pimAuditHash ) "
		"MAY ( pimAuditActor $ pimAuditPrincipal $ pimAuditRole $ "
		"pimAuditId $ pimAuditStart $ pimAuditEnd $ pimAuditReason $ "
		"pimAuditTicket $ pimAuditResult $ pimAuditText $ pimAuditPeer $ "
		"pimAuditConnection $ pimAuditAlert $ pimAuditRef $ "
		"pimAuditAnchorSeq $ pimAuditAnchorHash ) )" },
	{ "pimAuditLog",
		"( " PIM_OID_OC ".5 NAME 'pimAuditLog' "
		"DESC 'The container of the PIM audit trail' "
		"SUP top STRUCTURAL MUST cn MAY description )" },
	{ "pimReviewDefinition",
		"( " PIM_OID_OC ".6 NAME 'pimReviewDefinition' "
		"DESC 'An access review: scope, reviewers, schedule and settings' "
		"SUP top STRUCTURAL "
		"MUST ( pimId $ cn ) "
		"MAY ( description $ pimReviewScopeRole $ pimReviewAssignmentKind $ "
		"pimReviewInactiveDays $ pimReviewReviewerKind $ pimReviewer $ "
		"pimReviewFallbackReviewer $ pimReviewStartTime $ "
		"pimReviewRecurrence $ pimReviewDuration $ pimReviewEndTime $ "
		"pimReviewMaxInstances $ pimReviewJustificationRequired $ "
		"pimReviewDefaultDecision $ pimReviewAutoApply $ "
		"pimReviewReminder $ pimReviewShowRecommendations $ "
		"pimReviewOccurrence $ pimReviewNextOpen ) )" },
	{ "pimReviewInstance",
		"( " PIM_OID_OC ".7 NAME 'pimReviewInstance' "
		"DESC 'One instance of an access review; made by PIM' "
		"SUP top STRUCTURAL "
		"MUST ( pimId $ pimReviewDefinitionRef $ pimState ) "
		"MAY ( cn $ pimReviewOccurrence $ pimStartTime $ pimEndTime $ "
		"pimReviewReminderTime $ pimEndedBy $ pimDecisionReason ) )" },
	{ "pimReviewItem",
		"( " PIM_OID_OC ".8 NAME 'pimReviewItem' "
		"DESC 'One assignment under review in an instance; made by PIM' "
		"SUP top STRUCTURAL "
		"MUST ( pimId $ pimReviewInstanceRef $ pimPrincipal $ pimRoleDN $ "
		"pimReviewAssignmentKind $ pimState ) "
		"MAY ( cn $ pimReviewAssignmentRef $ pimStartTime $ pimEndTime $ "
		"pimRequestExpiry $ pimReviewer $ pimReviewRecommendation $ "
		"pimReviewRecommendationReason $ pimReviewLastActivation $ "
		"pimReviewLastBind $ pimReviewDecision $ pimReviewDecidedBy $ "
		"pimReviewDecisionTime $ pimDecisionReason $ pimReviewOutcome ) )" },
	{ NULL, NULL }
};

#endif /* PIM_SCHEMA_DEFS_H */
