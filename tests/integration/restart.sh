#!/bin/bash
# Restart catch-up and crash repair: the overlay reconciles both
# directions at startup, before it serves its timer.
#  - an activation that expired while slapd was down is purged at startup;
#  - a PIM value with no active activation behind it (a crash between
#    the record and the value) is removed;
#  - an active activation whose value is missing is given it back.
. "$(dirname "$0")/lib.sh"
pim_setup restart

offline_modify() {	# apply LDIF from stdin with slapd stopped
	pim_tool /usr/sbin/slapmodify -F "$T/slapd.d" -b "$BASE" >>"$T/slapmodify.log" 2>&1
}

expect_rc 0 "demo made eligible" as admin pimctl assign --eligible demo "User Administrator"
expect_rc 0 "demo activates for 2s" as demo pimctl activate "User Administrator" --duration 2s --reason "before the outage"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "demo is a member" || fail "demo not a member"

# 1. Expired while down.
pim_stop
sleep 3
pim_start
sleep 1
[ "$(is_member "$ROLE" "$DEMO")" = FALSE ] && pass "expired while down: purged at startup" || fail "stale member after restart"
[ "$(can_create_user demo r1)" = 50 ] && pass "expired while down: no privilege" || fail "privilege after restart"
[ -z "$(attr_values "$DEMO" memberOf)" ] && pass "memberOf purged too" || fail "memberOf left after restart"
state=$(as manager ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimActivation)" pimState | sed -n 's/^pimState: //p')
[ "$state" = expired ] && pass "the record says expired" || fail "record state: $state"
grep -q "pim: reconciled" "$T/slapd.log" && pass "startup reconciliation logged" || fail "no reconciliation log line"

# 1b. A restart rewrites nothing that is already right: an active user's
#     entry keeps its entryCSN (no replicated write per active user).
expect_rc 0 "demo activates for 1h" as demo pimctl activate "User Administrator" --duration 1h --reason "across a restart"
csn_before=$(attr_values "$DEMO" entryCSN)
pim_stop
pim_start
sleep 1
[ "$(attr_values "$DEMO" entryCSN)" = "$csn_before" ] && pass "the restart left demo's entry untouched" ||
	fail "the restart rewrote demo's entry ($csn_before -> $(attr_values "$DEMO" entryCSN))"
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"

# 2. A value PIM added with nothing behind it: other in member and
#    pimManagedMember, no activation (as if slapd died mid-way).
expect_rc 0 "demo activates for 1h" as demo pimctl activate "User Administrator" --duration 1h --reason "during the crash"
pim_kill
offline_modify <<LDIF
dn: $ROLE
changetype: modify
add: member
member: $OTHER
-
add: pimManagedMember
pimManagedMember: $OTHER
-
delete: member
member: $DEMO
LDIF
[ $? = 0 ] && pass "offline: a stale value for other, demo's value removed" || fail "slapmodify failed"
pim_start
sleep 1
[ "$(is_member "$ROLE" "$OTHER")" = FALSE ] && pass "stale PIM value without an activation removed" || fail "stale value kept"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "missing value of an active activation restored" || fail "value not restored"
[ "$(can_create_user demo r2)" = 0 ] && pass "demo's privilege is back" || fail "demo has no privilege"
[ "$(can_create_user other r3)" = 50 ] && pass "other has none" || fail "other has privilege"
managed=$(attr_values "$ROLE" pimManagedMember)
[ "$managed" = "$DEMO" ] && pass "provenance: exactly demo's value is PIM's" || fail "pimManagedMember: $managed"
pim_done
