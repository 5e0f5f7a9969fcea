#!/bin/bash
# The seed lab (shared/seed/pim-lab.txt), exactly: a demo user with no roles
# cannot create users; made eligible for "User Administrator" they still
# cannot; after activating they can; after deactivating they cannot; after
# a two-second activation expires they cannot, and the member and memberOf
# values are gone.  Checked the way applications see it: an ACL-gated
# write, ldapcompare on member, a (memberOf=...) search.
. "$(dirname "$0")/lib.sh"
pim_setup seed-lab

memberof_hits() {	# how many entries (memberOf=ROLE) finds for demo
	as demo ldapsearch -LLL -b "ou=people,$BASE" "(&(uid=demo)(memberOf=$ROLE))" 1.1 |
		grep -c '^dn:'
}

# 1-3. No role: no privilege.
[ "$(can_create_user demo lab1)" = 50 ] && pass "demo without roles cannot create a user" ||
	fail "demo without roles could create a user"
expect_rc 0 "demo's roles list is empty" as demo pimctl roles
expect_out "Eligible roles:" "roles shows the eligible section"
[ "$(printf '%s\n' "$OUT" | grep -c '(none)')" = 2 ] && pass "no eligible, no active role" ||
	fail "expected two empty sections"

# 4-7. Eligible is not active.
expect_rc 0 "admin makes demo eligible" as admin pimctl assign --eligible demo "User Administrator"
[ "$(can_create_user demo lab2)" = 50 ] && pass "eligible but not active: still cannot create a user" ||
	fail "eligibility alone granted privilege"
[ "$(is_member "$ROLE" "$DEMO")" = FALSE ] && pass "eligibility adds no member value" || fail "member value after assign"
expect_rc 0 "demo lists roles" as demo pimctl roles
expect_out "^  User Administrator +[0-9-]+ [0-9:]+Z +permanent" "roles shows the eligible role as permanent"

# 8-13. Activate: privilege, member, memberOf.
expect_rc 0 "demo activates for 2h with a reason" \
	as demo pimctl activate "User Administrator" --duration 2h --reason "create the new hires"
expect_out "^activated .* until " "activate prints the expiry"
[ "$(can_create_user demo lab3)" = 0 ] && pass "active: demo creates a user" || fail "active but cannot create"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "ldapcompare member is TRUE" || fail "no member value"
[ "$(memberof_hits)" = 1 ] && pass "(memberOf=role) finds demo" || fail "memberOf search misses demo"
expect_rc 0 "demo lists roles" as demo pimctl roles
expect_out "^  User Administrator +active " "roles shows the active role"
grep -q 'pim: activated role="cn=user administrator,ou=roles,dc=example,dc=com" principal="uid=demo,ou=people,dc=example,dc=com" .* reason="create the new hires"' "$T/slapd.log" &&
	pass "stats log line for the activation, with who, what and why" || fail "no activation log line"

# 14-18. Deactivate: back to nothing.
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"
[ "$(can_create_user demo lab4)" = 50 ] && pass "deactivated: cannot create a user" || fail "privilege after deactivate"
[ "$(is_member "$ROLE" "$DEMO")" = FALSE ] && pass "member value removed" || fail "member value left after deactivate"
[ "$(memberof_hits)" = 0 ] && pass "memberOf value removed" || fail "memberOf left after deactivate"
grep -q 'pim: deactivated role=.* principal="uid=demo,ou=people,dc=example,dc=com"' "$T/slapd.log" &&
	pass "stats log line for the deactivation" || fail "no deactivation log line"

# 19-24. A two-second activation expires by itself, within a second.
expect_rc 0 "demo activates for 2s" as demo pimctl activate "User Administrator" --duration 2s --reason "quick fix"
[ "$(can_create_user demo lab5)" = 0 ] && pass "active for 2s: creates a user" || fail "2s activation gave nothing"
end=$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimState=active))" pimEndTime |
	sed -n 's/^pimEndTime: //p')
end_epoch=$(date -u -d "$(echo "$end" | sed -E 's/(....)(..)(..)(..)(..)(..)Z/\1-\2-\3 \4:\5:\6/')" +%s)
# Poll: the value must go no later than one second after the expiry.
gone=""
while [ "$(date +%s)" -le $((end_epoch + 2)) ]; do
	if [ "$(is_member "$ROLE" "$DEMO")" = FALSE ]; then gone=$(date +%s.%N); break; fi
	sleep 0.1
done
if [ -n "$gone" ] && [ "$(echo "$gone <= $end_epoch + 1.2" | bc)" = 1 ]; then
	pass "member value removed within a second of expiry ($(echo "$gone - $end_epoch" | bc) s after)"
else
	fail "member value not removed within a second of expiry (expiry $end_epoch, gone ${gone:-never})"
fi
[ "$(can_create_user demo lab6)" = 50 ] && pass "expired: cannot create a user" || fail "privilege after expiry"
[ "$(memberof_hits)" = 0 ] && pass "memberOf value gone after expiry" || fail "memberOf left after expiry"
[ -z "$(attr_values "$ROLE" pimManagedMember)" ] && pass "no provenance left on the role" ||
	fail "pimManagedMember left after expiry"
as manager ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimActivation)" pimState > "$T/states"
[ "$(grep -c 'pimState: expired' "$T/states")" = 1 ] && [ "$(grep -c 'pimState: deactivated' "$T/states")" = 1 ] &&
	pass "records: one deactivated, one expired" || { fail "activation states wrong"; cat "$T/states"; }
grep -q 'pim: expired role=.* principal="uid=demo,ou=people,dc=example,dc=com"' "$T/slapd.log" &&
	pass "stats log line for the expiry" || fail "no expiry log line"

# The role group stays valid: the placeholder is back, nothing else.
[ "$(attr_values "$ROLE" member)" = "$CONTAINER" ] && pass "role holds only the placeholder again" ||
	fail "role members: $(attr_values "$ROLE" member | tr '\n' ' ')"

# 25. Unassign removes the eligibility: activation refused afterwards.
expect_rc 0 "admin removes the eligibility" as admin pimctl unassign demo "User Administrator"
expect_rc 50 "activation after unassign is refused" as demo pimctl activate "User Administrator" --duration 1h --reason x
pim_done
