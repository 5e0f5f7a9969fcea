#!/bin/bash
# Access reviews through plain LDAP writes (door 2), end to end on the
# real slapd: a definition added with ldapadd opens on the timer, makes
# one item per assignment in scope with its reviewers and the
# recommendation, takes decisions from reviewers only (reason required
# where the definition says so), closes at its end with the default for
# unreviewed items and an alert, and applies: a denied active assignment
# is revoked and a denied eligibility removed, each with an audit record
# that names the review.  A recurring review opens its instances on
# schedule and no more than asked; reviewers are reminded before the
# close; an open instance survives a restart;
# every refusal has its code and changes nothing.  The extended
# operations are sent with stock ldapexop and their BER built here.
. "$(dirname "$0")/lib.sh"
pim_setup review

AUDITOR="uid=auditor,ou=people,$BASE"; AUDITOR_PW=auditor-secret
NOW=$(date +%s)

# modify WHO DN LINE...: one ldapmodify ("-" separates modifications)
modify() {
	local who=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$T/mod.ldif"
	if [ "$who" = auditor ]; then
		ldapmodify -x -H "$URI" -D "$AUDITOR" -w "$AUDITOR_PW" -f "$T/mod.ldif"
	else
		as "$who" ldapmodify -f "$T/mod.ldif"
	fi
}
# add_def WHO ID LINE...: a review definition pimId=ID
add_def() {
	local who=$1 id=$2
	shift 2
	{ printf 'dn: pimId=%s,%s\nobjectClass: pimReviewDefinition\npimId: %s\n' "$id" "$CONTAINER" "$id"
	  printf '%s\n' "$@"; } > "$T/def.ldif"
	as "$who" ldapadd -f "$T/def.ldif"
}
# wait_entry FILTER SECONDS: until an entry matches under the container
# settle: the directory stops changing (an instance's items are added
# after the instance itself, and the timer looks at it once more), so
# that a refusal's "nothing changed" compares a still directory
settle() {
	local a b i
	a=$(dir_snapshot)
	for i in $(seq 1 25); do
		sleep 0.3
		b=$(dir_snapshot)
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	return 1
}
wait_entry() {
	local i
	for i in $(seq 1 $(( $2 * 5 ))); do
		as manager ldapsearch -LLL -b "$CONTAINER" "$1" 1.1 2>/dev/null |
			grep -q '^dn:' && return 0
		sleep 0.2
	done
	return 1
}
item_of() {	# INSTANCE-ID PRINCIPAL: the item's DN
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimReviewItem)(pimReviewInstanceRef=pimId=$1,$CONTAINER)(pimPrincipal=$2))" 1.1 |
		sed -n 's/^dn: //p'
}
audit_has() {	# FILTER: an audit record matches
	as manager ldapsearch -LLL -b "cn=audit,$CONTAINER" "$1" 1.1 | grep -q '^dn:'
}

# --- the assignments under review -------------------------------------
as admin pimctl assign --eligible demo "User Administrator" --reason "on call" >/dev/null ||
	fail "demo made eligible"
as admin pimctl assign --active other "User Administrator" --duration 1h --reason "project" >/dev/null ||
	fail "other assigned active"
[ "$(is_member "$ROLE" "$OTHER")" = TRUE ] && pass "other holds the role" || fail "other holds the role"
# the auditor has been eligible for 100 days and never activated
as admin ldapadd >/dev/null <<LDIF || fail "auditor made eligible 100 days ago"
dn: pimId=old-elig,$CONTAINER
objectClass: pimEligibility
pimId: old-elig
pimPrincipal: $AUDITOR
pimRoleDN: $ROLE
pimStartTime: $(gentime $((NOW - 100 * 86400)))
LDIF
# the site keeps bind times (slapd's own lastbind, pwdLastSuccess)
as config ldapmodify >/dev/null <<LDIF || fail "lastbind on"
dn: olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcLastBind
olcLastBind: TRUE
LDIF
as demo ldapwhoami >/dev/null

# --- refusals -----------------------------------------------------------
refused 50 "a user cannot define a review" "only PIM administrators" \
	add_def demo r-user "cn: mine" "pimReviewDuration: 1h"
refused 19 "a bad recurrence is refused" "pimReviewRecurrence" \
	add_def admin r-bad "cn: bad" "pimReviewRecurrence: fortnightly"
refused 19 "an instance longer than the recurrence is refused" "close before the next" \
	add_def admin r-bad "cn: bad" "pimReviewRecurrence: 1d" "pimReviewDuration: 2d"
refused 19 "PIM's own attributes are refused" "maintained by PIM" \
	add_def admin r-bad "cn: bad" "pimReviewOccurrence: 3"
refused 19 "a scope role must be a PIM role" "not a PIM role" \
	add_def admin r-bad "cn: bad" "pimReviewScopeRole: ou=people,$BASE"
refused 19 "named reviewers need names" "needs pimReviewer" \
	add_def admin r-bad "cn: bad" "pimReviewReviewerKind: named"
{ printf 'dn: pimId=fake,%s\nobjectClass: pimReviewItem\npimId: fake\npimReviewInstanceRef: %s\n' "$CONTAINER" "$CONTAINER"
  printf 'pimPrincipal: %s\npimRoleDN: %s\npimReviewAssignmentKind: eligible\npimState: open\npimReviewer: %s\n' "$DEMO" "$ROLE" "$DEMO"; } > "$T/item.ldif"
refused 53 "nobody adds a review item" "made by PIM" as admin ldapadd -f "$T/item.ldif"

# --- A: a self-review that applies itself -------------------------------
# its start is now, not the test's start: under the sanitizer the checks
# above take longer than the reminder's lead, and a reminder already past
# at the open is not sent
START=$(gentime "$(date +%s)")
expect_rc 0 "self-review defined" add_def admin rA "cn: quarterly self-review" \
	"pimReviewScopeRole: $ROLE" "pimReviewReviewerKind: self" \
	"pimReviewStartTime: $START" "pimReviewDuration: 20s" "pimReviewReminder: 16s" \
	"pimReviewDefaultDecision: remove" "pimReviewAutoApply: TRUE" \
	"pimReviewJustificationRequired: TRUE"
wait_entry "(&(objectClass=pimReviewInstance)(pimId=rA-r0)(pimState=open))" 5 &&
	pass "instance rA-r0 opened on the timer" || fail "instance rA-r0 opened"
ITEM_DEMO=$(item_of rA-r0 "$DEMO")
ITEM_OTHER=$(item_of rA-r0 "$OTHER")
ITEM_AUD=$(item_of rA-r0 "$AUDITOR")
[ -n "$ITEM_DEMO" ] && [ -n "$ITEM_OTHER" ] && pass "one item per assignment" ||
	fail "items: demo=$ITEM_DEMO other=$ITEM_OTHER"
[ "$(attr_values "$ITEM_DEMO" pimReviewAssignmentKind)" = eligible ] &&
[ "$(attr_values "$ITEM_OTHER" pimReviewAssignmentKind)" = active ] &&
	pass "items say which kind of assignment" || fail "item kinds"
[ "$(lc "$(attr_values "$ITEM_DEMO" pimReviewer)")" = "$(lc "$DEMO")" ] &&
	pass "a self-review's reviewer is the principal" || fail "self reviewer"
[ "$(attr_values "$ITEM_AUD" pimReviewRecommendation)" = deny ] &&
	attr_values "$ITEM_AUD" pimReviewRecommendationReason | grep -q "never activated in 100 days" &&
	pass "never activated in 100 days: deny recommended, with why" ||
	fail "recommendation: $(attr_values "$ITEM_AUD" pimReviewRecommendation) $(attr_values "$ITEM_AUD" pimReviewRecommendationReason)"
[ "$(attr_values "$ITEM_DEMO" pimReviewRecommendation)" = none ] &&
	pass "a new eligibility: no recommendation yet" ||
	fail "recommendation: $(attr_values "$ITEM_DEMO" pimReviewRecommendation)"
[ -n "$(attr_values "$ITEM_DEMO" pimReviewLastBind)" ] &&
	pass "the last bind (pwdLastSuccess) is on the item" || fail "last bind"
OUT=$(as demo ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimReviewItem)" 1.1)
[ "$(printf '%s\n' "$OUT" | grep -c '^dn:')" = 1 ] &&
	printf '%s\n' "$OUT" | grep -qi "$ITEM_DEMO" &&
	pass "a reviewer sees their own items only" || fail "demo sees: $OUT"
refused 50 "another principal cannot decide" "not a reviewer" \
	modify other "$ITEM_DEMO" "replace: pimReviewDecision" "pimReviewDecision: approve"
refused 19 "a reason is required" "requires a reason" \
	modify demo "$ITEM_DEMO" "replace: pimReviewDecision" "pimReviewDecision: approve"
refused 53 "nothing else of an item changes" "changes only by a decision" \
	modify demo "$ITEM_DEMO" "replace: pimReviewRecommendation" "pimReviewRecommendation: approve"
printf 'dn: %s\nchangetype: modify\nreplace: pimReviewDecision\npimReviewDecision: approve\n-\nreplace: pimDecisionReason\npimDecisionReason: x\n' "$ITEM_DEMO" > "$T/decide.ldif"
refused 12 "a decision has no dry run (critical no-op control)" "no dry run" \
	as demo ldapmodify -e '!noop' -f "$T/decide.ldif"
refused 122 "a false assertion stops the decision" "assertion" \
	as demo ldapmodify -e '!assert=(pimState=closed)' -f "$T/decide.ldif"
refused 53 "no attribute options on an item" "attribute options" \
	modify demo "$ITEM_DEMO" "replace: pimReviewDecision;lang-en" "pimReviewDecision;lang-en: approve"
refused 123 "another user cannot decide as the principal (proxy authorization)" "not authorized" \
	as other ldapmodify -e "!authzid=dn:$DEMO" -f "$T/decide.ldif"
expect_rc 0 "demo decides deny, then approve (the last stands)" \
	modify demo "$ITEM_DEMO" "replace: pimReviewDecision" "pimReviewDecision: deny" \
	"-" "replace: pimDecisionReason" "pimDecisionReason: no longer needed"
expect_rc 0 "demo changes the decision" \
	modify demo "$ITEM_DEMO" "replace: pimReviewDecision" "pimReviewDecision: approve" \
	"-" "replace: pimDecisionReason" "pimDecisionReason: still on call"
[ "$(attr_values "$ITEM_DEMO" pimReviewDecision)" = approve ] &&
[ "$(lc "$(attr_values "$ITEM_DEMO" pimReviewDecidedBy)")" = "$(lc "$DEMO")" ] &&
	pass "the last decision stands, with who decided" || fail "decision recorded"
audit_has "(&(pimAuditEvent=review decided)(pimAuditText=approve)(pimAuditReason=still on call))" &&
	pass "every decision is an audit record" || fail "decision audit"
refused 53 "an open instance's definition is not deleted" "open instance" \
	as admin ldapdelete "pimId=rA,$CONTAINER"
refused 53 "review entries are not renamed" "cannot be renamed" \
	as admin ldapmodrdn "pimId=rA-r0,$CONTAINER" "pimId=moved"

# an open instance survives a restart: its close is armed again
pim_stop
pim_start
wait_entry "(&(objectClass=pimReviewInstance)(pimId=rA-r0)(pimState=applied))" 30 &&
	pass "rA-r0 closed and applied itself at its end" || fail "rA-r0 applied"
[ "$(attr_values "$ITEM_OTHER" pimReviewDecision)" = deny ] &&
	attr_values "$ITEM_OTHER" pimDecisionReason | grep -q "default" &&
	pass "the unreviewed item got the default, saying so" || fail "default decision"
[ "$(attr_values "$ITEM_OTHER" pimReviewOutcome)" = revoked ] &&
[ "$(is_member "$ROLE" "$OTHER")" = FALSE ] &&
	pass "the denied active assignment is revoked" || fail "other revoked: $(is_member "$ROLE" "$OTHER")"
[ "$(attr_values "$ITEM_DEMO" pimReviewOutcome)" = kept ] &&
	pass "the approved eligibility is kept" || fail "demo kept"
[ "$(attr_values "$ITEM_AUD" pimReviewOutcome)" = removed ] &&
[ -z "$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=old-elig)" 1.1)" ] &&
	pass "the unreviewed stale eligibility is removed" || fail "auditor's eligibility"
audit_has "(&(pimAuditEvent=revoked)(pimAuditReason=denied in access review rA-r0))" &&
	pass "the revocation's record names the review" || fail "revocation audit"
audit_has "(&(pimAuditEvent=review reminder)(pimAuditPrincipal=$OTHER)(pimAuditId=rA-r0))" &&
	pass "a reviewer with undecided items was reminded before the close" ||
	fail "reminder"
[ -z "$(attr_values "pimId=rA-r0,$CONTAINER" pimReviewReminderTime)" ] &&
	pass "the reminder is sent once" || fail "reminder time left"
audit_has "(&(pimAuditEvent=alert)(pimAuditAlert=review-unreviewed))" &&
	pass "unreviewed items raise an alert" || fail "alert"
refused 53 "no decision after the close" "closed" \
	modify demo "$ITEM_DEMO" "replace: pimReviewDecision" "pimReviewDecision: deny" \
	"-" "replace: pimDecisionReason" "pimDecisionReason: late"

# --- B: a named reviewer, stopped early, applied by hand ----------------
as demo pimctl activate "User Administrator" --duration 1h --reason "change" >/dev/null ||
	fail "demo activates"
expect_rc 0 "reviewed by the auditor" add_def admin rB "cn: auditor review" \
	"pimReviewReviewerKind: named" "pimReviewer: $AUDITOR" \
	"pimReviewAssignmentKind: eligible" "pimReviewDuration: 1h"
wait_entry "(&(objectClass=pimReviewInstance)(pimId=rB-r0)(pimState=open))" 5 &&
	pass "instance rB-r0 opened" || fail "instance rB-r0 opened"
ITEM_B=$(item_of rB-r0 "$DEMO")
[ -n "$ITEM_B" ] && [ -z "$(item_of rB-r0 "$OTHER")" ] &&
	pass "only eligibilities are in scope" || fail "scope: demo=$ITEM_B"
[ "$(attr_values "$ITEM_B" pimReviewRecommendation)" = approve ] &&
	attr_values "$ITEM_B" pimReviewRecommendationReason | grep -q "activated" &&
	pass "a recent activation: approve recommended" ||
	fail "recommendation: $(attr_values "$ITEM_B" pimReviewRecommendation)"
OUT=$(as demo ldapsearch -LLL -b "$CONTAINER" "(pimReviewInstanceRef=pimId=rB-r0,$CONTAINER)" 1.1)
printf '%s\n' "$OUT" | grep -q '^dn:' && fail "demo sees an item they do not review" ||
	pass "the principal does not see items others review"
refused 50 "the principal cannot decide a review of themselves" "own assignment" \
	modify demo "$ITEM_B" "replace: pimReviewDecision" "pimReviewDecision: approve"
expect_rc 0 "the auditor denies" modify auditor "$ITEM_B" \
	"replace: pimReviewDecision" "pimReviewDecision: deny"
refused 50 "a reviewer cannot apply" "only PIM administrators" \
	modify auditor "pimId=rB-r0,$CONTAINER" "replace: pimState" "pimState: applied"
refused 53 "an open review is not applied" "still open" \
	modify admin "pimId=rB-r0,$CONTAINER" "replace: pimState" "pimState: applied"
expect_rc 0 "the administrator stops it early" modify admin "pimId=rB-r0,$CONTAINER" \
	"replace: pimState" "pimState: closed" "-" "replace: pimDecisionReason" \
	"pimDecisionReason: audit done"
[ "$(attr_values "pimId=rB-r0,$CONTAINER" pimState)" = closed ] &&
[ "$(lc "$(attr_values "pimId=rB-r0,$CONTAINER" pimEndedBy)")" = "$(lc "$ADMIN")" ] &&
	pass "stopped: closed, naming who" || fail "stopped"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "nothing applied before the administrator says" ||
	fail "applied too early"
expect_rc 0 "the administrator applies" modify admin "pimId=rB-r0,$CONTAINER" \
	"replace: pimState" "pimState: applied"
[ "$(attr_values "$ITEM_B" pimReviewOutcome)" = removed ] &&
	pass "the denied eligibility is removed" || fail "outcome $(attr_values "$ITEM_B" pimReviewOutcome)"
[ "$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimEligibility)(pimPrincipal=$DEMO))" 1.1 | grep -c '^dn:')" = 0 ] &&
[ "$(is_member "$ROLE" "$DEMO")" = FALSE ] &&
	pass "demo is no longer eligible, and their activation is revoked" || fail "demo still eligible"
audit_has "(&(pimAuditEvent=eligibility removed)(pimAuditReason=denied in access review rB-r0))" &&
	pass "the removal's record names the review" || fail "removal audit"
expect_rc 0 "a closed review's definition may be deleted" as admin ldapdelete "pimId=rB,$CONTAINER"

# --- D: delegated reviewers: the role's approvers (a group), managers ----
GROUP="cn=PIM Auditors,ou=groups,$BASE"
as admin pimctl assign --eligible demo "User Administrator" --reason "back" >/dev/null ||
	fail "demo eligible again"
as admin pimctl assign --eligible other "User Administrator" --reason "new" >/dev/null ||
	fail "other eligible"
modify admin "$ROLE" "replace: pimApprover" "pimApprover: $GROUP" >/dev/null ||
	fail "the role's approvers are a group"
expect_rc 0 "reviewed by the role's approvers" add_def admin rD "cn: approvers" \
	"pimReviewReviewerKind: approvers" "pimReviewAssignmentKind: eligible" \
	"pimReviewDuration: 1h" "pimReviewDefaultDecision: approve"
wait_entry "(&(objectClass=pimReviewInstance)(pimId=rD-r0))" 5 || fail "rD-r0 opened"
settle || fail "the directory does not settle after rD-r0 opened"
ITEM_D=$(item_of rD-r0 "$DEMO"); ITEM_DO=$(item_of rD-r0 "$OTHER")
[ "$(lc "$(attr_values "$ITEM_D" pimReviewer)")" = "$(lc "$GROUP")" ] &&
	pass "the approvers' group reviews" || fail "reviewer: $(attr_values "$ITEM_D" pimReviewer)"
refused 50 "a PIM administrator who is not a reviewer cannot decide" "not a reviewer" \
	modify admin "$ITEM_D" "replace: pimReviewDecision" "pimReviewDecision: approve"
# (slapd itself refuses an anonymous write before any overlay)
refused 8 "an anonymous client cannot decide" "require authentication" \
	modify anon "$ITEM_D" "replace: pimReviewDecision" "pimReviewDecision: approve"
expect_rc 0 "a member of the group decides" modify auditor "$ITEM_D" \
	"replace: pimReviewDecision" "pimReviewDecision: deny"
expect_rc 0 "stopped" modify admin "pimId=rD-r0,$CONTAINER" "replace: pimState" "pimState: closed"
[ "$(attr_values "$ITEM_DO" pimReviewDecision)" = approve ] &&
	pass "default approve for the unreviewed item" || fail "default approve"
expect_rc 0 "applied" modify admin "pimId=rD-r0,$CONTAINER" "replace: pimState" "pimState: applied"
[ "$(attr_values "$ITEM_D" pimReviewOutcome)" = removed ] &&
[ "$(attr_values "$ITEM_DO" pimReviewOutcome)" = kept ] &&
	pass "deny removed, approve kept" || fail "rD outcomes"

as admin pimctl assign --eligible demo "User Administrator" --reason "again" >/dev/null ||
	fail "demo eligible again"
modify manager "$DEMO" "replace: manager" "manager: $OTHER" >/dev/null || fail "demo's manager"
as admin ldapadd >/dev/null <<LDIF || fail "auditor eligible 100 days ago"
dn: pimId=old-elig2,$CONTAINER
objectClass: pimEligibility
pimId: old-elig2
pimPrincipal: $AUDITOR
pimRoleDN: $ROLE
pimStartTime: $(gentime $((NOW - 100 * 86400)))
LDIF
expect_rc 0 "reviewed by managers" add_def admin rE "cn: managers" \
	"pimReviewReviewerKind: manager" "pimReviewFallbackReviewer: $ADMIN" \
	"pimReviewAssignmentKind: eligible" "pimReviewDuration: 1h" \
	"pimReviewDefaultDecision: recommendation" "pimReviewShowRecommendations: FALSE"
wait_entry "(&(objectClass=pimReviewInstance)(pimId=rE-r0))" 5 || fail "rE-r0 opened"
ITEM_E=$(item_of rE-r0 "$DEMO"); ITEM_EA=$(item_of rE-r0 "$AUDITOR")
[ "$(lc "$(attr_values "$ITEM_E" pimReviewer)")" = "$(lc "$OTHER")" ] &&
[ "$(lc "$(attr_values "$ITEM_EA" pimReviewer)")" = "$(lc "$ADMIN")" ] &&
	pass "the manager reviews, else the fallback" ||
	fail "reviewers: $(attr_values "$ITEM_E" pimReviewer) / $(attr_values "$ITEM_EA" pimReviewer)"
[ -z "$(attr_values "$ITEM_EA" pimReviewRecommendation)" ] &&
	pass "recommendations hidden when the definition says so" || fail "recommendation shown"
expect_rc 0 "the manager decides" modify other "$ITEM_E" \
	"replace: pimReviewDecision" "pimReviewDecision: approve"
expect_rc 0 "stopped" modify admin "pimId=rE-r0,$CONTAINER" "replace: pimState" "pimState: closed"
[ "$(attr_values "$ITEM_EA" pimReviewDecision)" = deny ] &&
	attr_values "$ITEM_EA" pimDecisionReason | grep -q "recommendation" &&
	pass "default recommendation: worked out at the close, deny" ||
	fail "default recommendation: $(attr_values "$ITEM_EA" pimReviewDecision)"

# --- F: the extended operations, sent with stock ldapexop -----------------
OID=2.25.303586913736191762808327319970460715176.3
# rv_value TARGET [TAG=VALUE...]: a PimRequest, base64 (tags: 3 reason,
# 12 decision, 13 recommended, 14 settings)
rv_value() {
	python3 - "$@" <<'PY'
import base64, sys
def tlv(tag, b):
    n = len(b)
    l = bytes([n]) if n < 128 else (b'\x81' + bytes([n]) if n < 256 else b'\x82' + n.to_bytes(2, 'big'))
    return bytes([tag]) + l + b
body = tlv(0x04, sys.argv[1].encode())
for f in sys.argv[2:]:
    t, v = f.split('=', 1)
    t = int(t)
    body += tlv(0x80 | t, bytes([int(v)]) if t in (12, 13) else v.replace('\\n', '\n').encode())
print(base64.b64encode(tlv(0x30, body)).decode())
PY
}
# exop_refused CODE WHAT DIAG CMD...: ldapexop fails (it exits 1), the
# result is CODE with DIAG, and nothing changed
exop_refused() {
	local code=$1 what=$2 diag=$3 before
	shift 3
	before=$(dir_snapshot)
	expect_rc 1 "$what" "$@"
	expect_out "\\($code\\)" "$what: result $code"
	expect_out "$diag" "$what: diagnostic"
	[ "$before" = "$(dir_snapshot)" ] && pass "$what: nothing changed" ||
		fail "$what: the directory changed"
}
exop() {	# WHO VERB TARGET [TAG=VALUE...]
	local who=$1 verb=$2 target=$3
	shift 3
	as "$who" ldapexop "$OID.$verb::$(rv_value "$target" "$@")"
}
SETTINGS='cn: by extended operation\npimReviewReviewerKind: self\npimReviewAssignmentKind: eligible\npimReviewDuration: 1h\npimReviewJustificationRequired: TRUE'
exop_refused 50 "a user cannot create a review (extended operation)" "only PIM administrators" \
	exop demo 9 "$BASE" "14=$SETTINGS"
exop_refused 19 "a bad setting is refused (extended operation)" "pimReviewDefaultDecision" \
	exop admin 9 "$BASE" "14=cn: x\npimReviewDefaultDecision: maybe"
exop_refused 19 "objectClass is not a setting" "not a setting" \
	exop admin 9 "$BASE" "14=cn: x\nobjectClass: person"
exop_refused 2 "settings that are not LDIF are refused" "settings" \
	exop admin 9 "$BASE" "14=no colon here"
before=$(as manager ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimReviewDefinition)" 1.1 | grep -c '^dn:')
expect_rc 0 "an administrator creates a review (extended operation)" exop admin 9 "$BASE" "14=$SETTINGS"
F=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" "(&(objectClass=pimReviewDefinition)(cn=by extended operation))" pimId | sed -n 's/^pimId: //p')
[ -n "$F" ] && pass "the definition is stored" || fail "no definition"
wait_entry "(&(objectClass=pimReviewInstance)(pimId=$F-r0))" 5 && pass "its instance opened" || fail "$F-r0"
settle || fail "the directory does not settle after $F-r0 opened"
ITEM_F=$(item_of "$F-r0" "$DEMO")
exop_refused 8 "an anonymous client cannot decide (extended operation)" "require authentication" \
	exop anon 12 "$ITEM_F" "12=0"
exop_refused 50 "another user cannot decide (extended operation)" "not a reviewer" \
	exop other 12 "$ITEM_F" "3=mine now" "12=0"
exop_refused 19 "the reason is required (extended operation)" "requires a reason" \
	exop demo 12 "$ITEM_F" "12=0"
expect_rc 0 "the principal decides their self-review (extended operation)" \
	exop demo 12 "$ITEM_F" "3=no longer needed" "12=1"
[ "$(attr_values "$ITEM_F" pimReviewDecision)" = deny ] && pass "decided deny" || fail "decision"
exop_refused 50 "a user cannot stop a review" "only PIM administrators" exop demo 14 "pimId=$F-r0,$CONTAINER"
exop_refused 53 "an item is not stopped" "not an access review instance" exop admin 14 "$ITEM_F"
expect_rc 0 "an administrator stops it (extended operation)" exop admin 14 "pimId=$F-r0,$CONTAINER" "3=done"
expect_rc 0 "an administrator applies one item (extended operation)" exop admin 13 "$ITEM_F"
[ "$(attr_values "$ITEM_F" pimReviewOutcome)" = removed ] &&
[ "$(attr_values "pimId=$F-r0,$CONTAINER" pimState)" = closed ] &&
	pass "the item applied, the instance not yet (other items wait)" || fail "item apply"
expect_rc 0 "the rest applied (extended operation)" exop admin 13 "pimId=$F-r0,$CONTAINER"
[ "$(attr_values "pimId=$F-r0,$CONTAINER" pimState)" = applied ] &&
	pass "the instance is applied once every item is" || fail "instance apply"
expect_rc 0 "a definition is changed (extended operation)" exop admin 10 "pimId=$F,$CONTAINER" \
	"14=pimReviewDuration: 2h\npimReviewJustificationRequired:"
[ "$(attr_values "pimId=$F,$CONTAINER" pimReviewDuration)" = 2h ] &&
[ -z "$(attr_values "pimId=$F,$CONTAINER" pimReviewJustificationRequired)" ] &&
	pass "replaced one setting, removed another" || fail "modify"
expect_rc 0 "and deleted (extended operation)" exop admin 11 "pimId=$F,$CONTAINER"

# --- G: the same with pimctl ---------------------------------------------
as admin pimctl assign --eligible demo "User Administrator" --reason "once more" >/dev/null ||
	fail "demo eligible once more"
expect_rc 0 "pimctl review create" as admin pimctl review create "Self-review" \
	--reviewers self --kind eligible --duration 1d --default remove
expect_out "created access review Self-review: " "pimctl names the new review"
G=$(printf '%s\n' "$OUT" | sed -n 's/^created access review Self-review: //p')
wait_entry "(&(objectClass=pimReviewInstance)(pimId=$G-r0))" 5 || fail "$G-r0 opened"
expect_rc 0 "pimctl review items, as the reviewer" as demo pimctl review items
expect_out "$G-r0-" "the reviewer's item is listed"
ITEM_G=$(item_of "$G-r0" "$DEMO"); ITEM_G=${ITEM_G#pimId=}; ITEM_G=${ITEM_G%%,*}
expect_rc 0 "pimctl review decide" as demo pimctl review decide "$ITEM_G" approve --reason "still onboarding"
expect_out "decided $ITEM_G: approve" "pimctl says what was decided"
# (another user cannot even see the item: no such item, for them)
expect_rc 65 "pimctl review decide by another user" as other pimctl review decide "$ITEM_G" deny --reason x
expect_rc 0 "pimctl reviews, as the administrator" as admin pimctl reviews
expect_out "$G-r0" "the instance is listed"
expect_rc 0 "pimctl review show" as admin pimctl review show "$G-r0"
expect_out "approve" "the decision is shown"
expect_rc 0 "pimctl review stop" as admin pimctl review stop "$G-r0" --reason "enough"
expect_rc 0 "pimctl review apply" as admin pimctl review apply "$G-r0"
expect_out "applied $G-r0: [0-9]+ removed or revoked" "pimctl says what was applied"
[ "$(attr_values "$(item_of "$G-r0" "$DEMO")" pimReviewOutcome)" = kept ] &&
	pass "the approved eligibility is kept" || fail "pimctl apply outcome"
expect_rc 0 "pimctl review report" as admin pimctl review report "$G-r0"
expect_out "state: +applied" "the report says the instance is applied"
expect_rc 0 "pimctl review report --json" as admin pimctl review report "$G-r0" --json
printf '%s\n' "$OUT" | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["instance"]["state"] == "applied"
assert any(i["decision"] == "approve" and i["outcome"] == "kept" and i["reason"] == "still onboarding" for i in d["items"])' &&
	pass "the JSON report holds the decision, its reason and the outcome" || fail "JSON report"
expect_rc 0 "pimctl review report --csv" as admin pimctl review report "$G-r0" --csv
printf '%s\n' "$OUT" | python3 -c 'import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert any(r["decision"] == "approve" and r["outcome"] == "kept" for r in rows)' &&
	pass "the CSV report parses, with the decision" || fail "CSV report"

# --- C: a recurring review opens on schedule, no more than asked ---------
expect_rc 0 "recurring review defined" add_def admin rC "cn: recurring" \
	"pimReviewRecurrence: 5s" "pimReviewDuration: 2s" "pimReviewMaxInstances: 2"
wait_entry "(&(objectClass=pimReviewInstance)(pimId=rC-r1))" 12 &&
	pass "the second instance opened on schedule" || fail "rC-r1"
[ "$(attr_values "pimId=rC-r0,$CONTAINER" pimState)" = closed ] &&
	pass "the first closed before the second opened" || fail "rC-r0 state"
sleep 6
[ -z "$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=rC-r2)" 1.1)" ] &&
[ -z "$(attr_values "pimId=rC,$CONTAINER" pimReviewNextOpen)" ] &&
	pass "no third instance: the schedule has ended" || fail "rC-r2 opened"

pim_done
