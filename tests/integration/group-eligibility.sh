#!/bin/bash
# Eligibility through a group: an eligibility may name a group, and each
# of its members (directly, or through nested groups, never through a
# PIM role) may activate for themselves within the role's policy; the
# activation records the user and the group.  Leaving the group (a
# member value deleted, a nested group taken out, the group deleted)
# revokes the activations through it at once, pending requests too;
# removing the group's eligibility does the same.  A group cannot hold
# an active assignment, a PIM role is no principal, and
# pimEligibleThrough is PIM's to write.
. "$(dirname "$0")/lib.sh"
pim_setup group-eligibility
GROUPS_OU="ou=groups,$BASE"
ROLE="cn=Ops Console,ou=roles,$BASE"
UA="cn=User Administrator,ou=roles,$BASE"
g() { printf 'cn=%s,%s' "$1" "$GROUPS_OU"; }
OPS=$(g ops)
EU=$(g ops-eu)
member_edit() {	# add|delete GROUP DN: as the manager
	as manager ldapmodify >/dev/null <<LDIF
dn: $2
changetype: modify
$1: member
member: $3
LDIF
}
state_of() {	# USER: the states of USER's activations of the role, sorted
	as manager ldapsearch -LLL -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$(u "$1"))(pimRoleDN=$ROLE))" pimState |
		sed -n 's/^pimState: //p' | sort | paste -sd,
}
for x in carol dave; do add_user "$x"; done
as manager ldapadd >/dev/null <<LDIF
dn: $ROLE
objectClass: groupOfNames
objectClass: pimRole
cn: Ops Console
member: $CONTAINER
pimMaxDuration: 2h

dn: $EU
objectClass: groupOfNames
cn: ops-eu
member: $(u carol)

dn: $OPS
objectClass: groupOfNames
cn: ops
member: $(u demo)
member: $EU
member: $UA
LDIF

# --- assigning --------------------------------------------------------------
expect_rc 0 "admin makes the group ops eligible for Ops Console" \
	as admin pimctl assign --eligible "$OPS" "Ops Console"
check "the eligibility names the group, in pimEligibleThrough too" \
	"$OPS|$OPS" "$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimEligibility)(pimRoleDN=$ROLE))" pimPrincipal pimEligibleThrough |
		sed -n 's/^pim\(Principal\|EligibleThrough\): //p' | paste -sd'|')"
refused 19 "a group cannot hold an active assignment" "make the group eligible" \
	as admin pimctl assign --active --duration 1h "$OPS" "Ops Console"
refused 19 "a PIM role is no principal" "a PIM role is no principal" \
	as admin pimctl assign --eligible "$UA" "Ops Console"
refused 19 "pimEligibleThrough on a user's eligibility is PIM's" "pimEligibleThrough is PIM's" \
	as admin ldapadd <<LDIF
dn: pimId=forged,$CONTAINER
objectClass: pimEligibility
pimId: forged
pimPrincipal: $(u other)
pimRoleDN: $ROLE
pimEligibleThrough: $OPS
LDIF
ELIG=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
	"(&(objectClass=pimEligibility)(pimEligibleThrough=$OPS))" 1.1 | sed -n 's/^dn: //p')
refused 53 "an eligibility's group cannot be changed" "principal, role and group of an eligibility cannot change" \
	as admin ldapmodify <<LDIF
dn: $ELIG
changetype: modify
replace: pimEligibleThrough
pimEligibleThrough: $EU
LDIF

# --- activating through the group -------------------------------------------
expect_rc 0 "demo (a member of ops) activates Ops Console" \
	user demo pimctl activate "Ops Console" --duration 1h --reason "page 42"
check "demo is a member of the role" TRUE "$(is_member "$ROLE" "$(u demo)")"
check "the activation records the group" "$OPS" \
	"$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$(u demo)))" pimEligibleThrough |
		sed -n 's/^pimEligibleThrough: //p')"
expect_rc 0 "carol (in ops-eu, nested in ops) activates" \
	user carol pimctl activate "Ops Console" --duration 1h --reason "page 43"
check "carol is a member of the role" TRUE "$(is_member "$ROLE" "$(u carol)")"
refused 50 "dave (in no group) may not activate" "not eligible" \
	user dave pimctl activate "Ops Console" --duration 1h --reason "curious"
refused 19 "the role's policy holds for a group's members" "" \
	user demo pimctl activate "Ops Console" --duration 3h --reason "long"

# a PIM role nested in the group passes nothing on: other, active in
# User Administrator (a member of ops), is not eligible through ops
as admin pimctl assign --eligible other "User Administrator" >/dev/null
user other pimctl activate "User Administrator" --duration 1h --reason "users" >/dev/null
check "other holds User Administrator" TRUE "$(is_member "$UA" "$(u other)")"
refused 50 "other, a member of ops only through a PIM role, may not activate" "not eligible" \
	user other pimctl activate "Ops Console" --duration 1h --reason "through a role"

# --- what the users see -----------------------------------------------------
expect_rc 0 "demo lists her roles" user demo pimctl roles
expect_out "^  Ops Console .* ops$" "roles: Ops Console, eligible through ops"
jsoncheck() {	# WHAT PYTHON CMD...: CMD --json parsed, PYTHON asserts on d
	local what=$1 py=$2
	shift 2
	if "$@" --json | python3 -c "import json, sys
d = json.load(sys.stdin)
$py" 2>"$T/py.err"; then pass "$what"; else fail "$what: $(cat "$T/py.err")"; fi
}
jsoncheck "roles --json: the eligibility and the activation are through ops" '
rows = [r for r in d if r["role"] == "Ops Console"]
assert sorted(r["kind"] for r in rows) == ["activation", "eligible"], rows
assert all(r["through"] == "ops" for r in rows), rows
' user carol pimctl roles
jsoncheck "dave, in no group, does not see the group's eligibility" '
assert [r for r in d if r["role"] == "Ops Console"] == [], d
' user dave pimctl roles
jsoncheck "roles --for carol (an administrator's view) shows ops-eu's direct groups only" '
assert [r for r in d if r["role"] == "Ops Console" and r["kind"] == "eligible"] == [], d
' as admin pimctl roles --for carol
jsoncheck "roles --for demo shows the eligibility through ops" '
assert [r["through"] for r in d if r["role"] == "Ops Console" and r["kind"] == "eligible"] == ["ops"], d
' as admin pimctl roles --for demo

# --- leaving the group -------------------------------------------------------
member_edit delete "$OPS" "$(u demo)"
check "demo taken out of ops: her activation is revoked" revoked "$(state_of demo)"
check "and her membership of the role is gone" FALSE "$(is_member "$ROLE" "$(u demo)")"
check "carol, still in ops through ops-eu, keeps hers" active "$(state_of carol)"
check "the audit trail says why" 1 \
	"$(as admin pimctl audit --json | python3 -c "import json, sys
print(sum(1 for r in json.load(sys.stdin) if r.get('event') == 'revoked' and 'no longer a member' in (r.get('reason') or '')))")"
refused 50 "demo, out of ops, may not activate again" "not eligible" \
	user demo pimctl activate "Ops Console" --duration 1h --reason "again"
member_edit delete "$OPS" "$EU"
check "ops-eu taken out of ops: carol's activation is revoked" revoked "$(state_of carol)"
check "carol is no member of the role" FALSE "$(is_member "$ROLE" "$(u carol)")"

# the nested group deleted
member_edit add "$OPS" "$EU"
expect_rc 0 "carol activates again through ops-eu" \
	user carol pimctl activate "Ops Console" --duration 1h --reason "page 44"
as manager ldapdelete "$EU"
check "ops-eu deleted: carol's activation is revoked" "revoked,revoked" "$(state_of carol)"
check "carol is no member of the role" FALSE "$(is_member "$ROLE" "$(u carol)")"

# a nested group made a PIM role passes nothing on any more
member_edit add "$OPS" "$EU"
as manager ldapadd >/dev/null <<LDIF
dn: $EU
objectClass: groupOfNames
cn: ops-eu
member: $(u carol)
LDIF
expect_rc 0 "carol activates again through a new ops-eu" \
	user carol pimctl activate "Ops Console" --duration 1h --reason "page 44b"
expect_rc 0 "ops-eu becomes a PIM role" as manager ldapmodify <<LDIF
dn: $EU
changetype: modify
add: objectClass
objectClass: pimRole
LDIF
check "carol's activation through it is revoked" "revoked,revoked,revoked" "$(state_of carol)"
as manager ldapdelete "$EU"

# a pending request through the group is cut too
as admin pimctl policy set "Ops Console" approval=true approvers=admin >/dev/null
member_edit add "$OPS" "$(u demo)"
expect_rc 0 "demo asks for Ops Console (approval needed)" \
	user demo pimctl activate "Ops Console" --duration 1h --reason "page 45"
check "the request is pending" "pending,revoked" "$(state_of demo)"
member_edit delete "$OPS" "$(u demo)"
check "demo leaves ops: the pending request is revoked" "revoked,revoked" "$(state_of demo)"
as admin pimctl policy set "Ops Console" approval=false >/dev/null

# a nested group renamed (no slapo-refint: ops still names the old DN)
# takes its members out of ops; a moment later PIM sees it
as manager ldapadd >/dev/null <<LDIF
dn: $EU
objectClass: groupOfNames
cn: ops-eu
member: $(u carol)
LDIF
member_edit add "$OPS" "$EU"
expect_rc 0 "carol activates through ops-eu once more" \
	user carol pimctl activate "Ops Console" --duration 1h --reason "page 44c"
expect_rc 0 "ops-eu is renamed to ops-emea" as manager ldapmodrdn -r "$EU" cn=ops-emea
carol_cut() { [ "$(state_of carol)" = "revoked,revoked,revoked,revoked" ]; }
wait_for 12 carol_cut && pass "carol's activation is revoked once PIM looks again" ||
	fail "carol's activation survived the rename: $(state_of carol)"
as manager ldapdelete "cn=ops-emea,$GROUPS_OU"

# --- the group renamed, then its eligibility removed --------------------------
member_edit add "$OPS" "$(u demo)"
expect_rc 0 "demo activates through ops" \
	user demo pimctl activate "Ops Console" --duration 1h --reason "page 46"
expect_rc 0 "ops is renamed to operators" as manager ldapmodrdn -r "$OPS" cn=operators
OPS=$(g operators)
check "the eligibility follows the rename" "$OPS|$OPS" \
	"$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimEligibility)(pimRoleDN=$ROLE))" pimPrincipal pimEligibleThrough |
		sed -n 's/^pim\(Principal\|EligibleThrough\): //p' | paste -sd'|')"
check "so does the activation" "$OPS" \
	"$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$(u demo))(pimState=active))" pimEligibleThrough |
		sed -n 's/^pimEligibleThrough: //p')"
check "and demo stays a member of the role" TRUE "$(is_member "$ROLE" "$(u demo)")"
expect_rc 0 "admin removes the group's eligibility" \
	as admin pimctl unassign "$OPS" "Ops Console"
check "the activation through it is revoked" "revoked,revoked,revoked" "$(state_of demo)"
check "and demo is no member of the role" FALSE "$(is_member "$ROLE" "$(u demo)")"
check "other's own activation of User Administrator is untouched" TRUE \
	"$(is_member "$UA" "$(u other)")"

# --- the group's eligibility ends: the activations through it end ----------
as admin pimctl assign --eligible "$OPS" "Ops Console" >/dev/null
expect_rc 0 "demo activates through operators" \
	user demo pimctl activate "Ops Console" --duration 1h --reason "page 48"
ELIG=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
	"(&(objectClass=pimEligibility)(pimEligibleThrough=$OPS))" 1.1 | sed -n 's/^dn: //p')
expect_rc 0 "admin ends the group's eligibility (an end in the past)" \
	as admin ldapmodify <<LDIF
dn: $ELIG
changetype: modify
replace: pimStartTime
pimStartTime: $(gentime $(( $(date +%s) - 120 )))
-
replace: pimEndTime
pimEndTime: $(gentime $(( $(date +%s) - 60 )))
LDIF
check "the activation through it is revoked" "revoked,revoked,revoked,revoked" "$(state_of demo)"
as manager ldapdelete "$ELIG"

# --- a group changed while PIM could not follow: the restart revokes ----------
as admin pimctl assign --eligible "$OPS" "Ops Console" >/dev/null
expect_rc 0 "demo activates through operators" \
	user demo pimctl activate "Ops Console" --duration 1h --reason "page 47"
pim_stop
pim_tool /usr/sbin/slapmodify -F "$T/slapd.d" -b "$BASE" >>"$T/slapmodify.log" 2>&1 <<LDIF
dn: $OPS
changetype: modify
delete: member
member: $(u demo)
LDIF
[ $? = 0 ] && pass "demo taken out of operators offline" || fail "slapmodify"
pim_start
check "the startup reconciliation revoked the activation" "revoked,revoked,revoked,revoked,revoked" \
	"$(state_of demo)"
check "and demo is no member of the role" FALSE "$(is_member "$ROLE" "$(u demo)")"
pim_done
