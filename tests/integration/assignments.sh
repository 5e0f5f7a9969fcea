#!/bin/bash
# Active assignments stand on their own: shortening or removing an
# eligibility cuts or revokes only the activations made under it, never
# an administrator's active assignment of the same role; an assignment
# extends within the role's pimActiveMaxDuration, counted from its start.
. "$(dirname "$0")/lib.sh"
pim_setup assignments

ELIG="pimId=elig-demo,$CONTAINER"
open_ids() {	# with ("") or without ("!") an eligibility behind them
	local ref="(pimEligibilityRef=*)"
	[ "$1" = "!" ] && ref="(!$ref)"
	as manager ldapsearch -LLL -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimState=active)$ref)" pimId |
		sed -n 's/^pimId: //p'
}
end_of() {
	gt_epoch "$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=$1)" pimEndTime |
		sed -n 's/^pimEndTime: //p')"
}

NOW=$(date +%s)
as admin ldapadd >/dev/null <<LDIF
dn: $ELIG
objectClass: pimEligibility
pimId: elig-demo
pimPrincipal: $DEMO
pimRoleDN: $ROLE
pimEndTime: $(gentime $((NOW + 7200)))
LDIF
[ $? = 0 ] && pass "demo eligible for 2h" || fail "cannot add the eligibility"
expect_rc 0 "admin assigns demo active for 1h" \
	as admin pimctl assign --active demo "User Administrator" --duration 1h --reason "on call"
expect_rc 0 "demo activates under the eligibility for 1h" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "change"
ASSIGNED=$(open_ids "!")
ELIGIBLE=$(open_ids "")
[ -n "$ASSIGNED" ] && [ -n "$ELIGIBLE" ] && pass "one assignment, one activation" ||
	fail "expected one of each: [$ASSIGNED] [$ELIGIBLE]"
ASSIGNED_END=$(end_of "$ASSIGNED")

# Shorten the eligibility to 3 s from now.
CUT=$(( $(date +%s) + 3 ))
as admin ldapmodify >/dev/null <<LDIF
dn: $ELIG
changetype: modify
replace: pimEndTime
pimEndTime: $(gentime $CUT)
LDIF
[ $? = 0 ] && pass "admin shortens the eligibility" || fail "cannot shorten the eligibility"
[ "$(end_of "$ELIGIBLE")" = "$CUT" ] && pass "the activation under it is cut to its end" ||
	fail "activation end $(end_of "$ELIGIBLE"), want $CUT"
[ "$(end_of "$ASSIGNED")" = "$ASSIGNED_END" ] && pass "the active assignment keeps its end" ||
	fail "assignment end changed: $(end_of "$ASSIGNED") (was $ASSIGNED_END)"
sleep 4
[ -z "$(open_ids "")" ] && pass "the cut activation expired" || fail "the cut activation is still active"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "demo is still a member through the assignment" ||
	fail "the assignment's membership went with the eligibility"

# Removing the eligibility revokes nothing the assignment holds.
expect_rc 0 "admin removes the (ended) eligibility" as admin ldapdelete "$ELIG"
[ "$(open_ids "!")" = "$ASSIGNED" ] && pass "the assignment is still active" ||
	fail "removing the eligibility touched the assignment"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "demo is still a member" || fail "membership lost"

# An assignment extends within pimActiveMaxDuration from its start.
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimActiveMaxDuration
pimActiveMaxDuration: 2h
LDIF
[ $? = 0 ] && pass "the role allows assignments of at most 2h" || fail "cannot set pimActiveMaxDuration"
# Extending an active assignment is the administrator's decision, like
# the assignment itself: its holder may not, unless the role says so.
END0=$(end_of "$ASSIGNED")
expect_rc 50 "the holder cannot extend an administrator's assignment" \
	as demo pimctl extend "User Administrator" --id "$ASSIGNED" --duration 90m --reason more
expect_out "pimActiveSelfExtendAllowed" "the refusal names the policy attribute"
[ "$(end_of "$ASSIGNED")" = "$END0" ] && pass "the refused extension changed nothing" ||
	fail "the assignment's end moved: $(end_of "$ASSIGNED") (was $END0)"
expect_rc 19 "extending the assignment to 3h from its start is refused" \
	as admin pimctl extend "User Administrator" --for demo --id "$ASSIGNED" --duration 3h --reason more
expect_out "pimActiveMaxDuration" "the refusal names the limit"
expect_rc 0 "the administrator extends it to 90m from now" \
	as admin pimctl extend "User Administrator" --for demo --id "$ASSIGNED" --duration 90m --reason more
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimActiveSelfExtendAllowed
pimActiveSelfExtendAllowed: TRUE
LDIF
[ $? = 0 ] && pass "the role lets holders extend their assignments" ||
	fail "cannot set pimActiveSelfExtendAllowed"
expect_rc 0 "now the holder extends it to 100m from now" \
	as demo pimctl extend "User Administrator" --id "$ASSIGNED" --duration 100m --reason more
pim_done
