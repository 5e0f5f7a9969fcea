#!/bin/bash
# Direct writes to the member attribute of a PIM role (door 2).
#
# Anybody but a PIM administrator is refused, and nothing changes.  An
# administrator's "add: member" is a permanent active assignment,
# recorded like any other (an activation entry with pimAssignedBy and
# no pimEligibilityRef), where the role's pimActivePermanentAllowed is
# TRUE, and refused (constraintViolation) where it is not.  An
# administrator's "delete: member" revokes what PIM gave that member and
# removes the value.  The user's memberOf follows in every case.
. "$(dirname "$0")/lib.sh"
pim_setup member-writes

PERM="cn=Break Glass,ou=roles,$BASE"		# pimActivePermanentAllowed: TRUE
STRICT=$ROLE					# the seed lab's role: no permanent assignment
UNIQ="cn=Unique Glass,ou=roles,$BASE"		# groupOfUniqueNames, permanent allowed
NOBODY="uid=nobody,ou=people,$BASE"

# --- helpers ----------------------------------------------------------

modify() {	# WHO DN LINE...: one ldapmodify ("-" separates modifications)
	local who=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$T/mod.ldif"
	as "$who" ldapmodify -f "$T/mod.ldif"
}
managed() {	# ROLE USER: is USER among the role's pimManagedMember values?
	attr_values "$1" pimManagedMember | grep -qix "$2" && echo TRUE || echo FALSE
}
# activations PRINCIPAL ROLE [STATE]: the DNs of their activation entries
activations() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$1)(pimRoleDN=$2)${3:+(pimState=$3)})" 1.1 |
		sed -n 's/^dn: //p'
}
# assigned ROLE USER ATTR WHO-DN: USER holds ROLE through one active
# assignment by WHO-DN, recorded like any other; sets ACT to its DN
assigned() {
	local role=$1 user=$2 attr=$3 by=$4 label="$(lc "${2%%,*}") on ${1%%,*}"
	ACT=$(activations "$user" "$role" active)
	check "$label: active activation entries" 1 "$(printf '%s' "$ACT" | grep -c .)"
	ACT=$(printf '%s\n' "$ACT" | head -1)
	[ -n "$ACT" ] || return
	check "$label: pimAssignedBy" "$(lc "$by")" "$(lc "$(attr_values "$ACT" pimAssignedBy)")"
	check "$label: no pimEligibilityRef" "" "$(attr_values "$ACT" pimEligibilityRef)"
	check "$label: no pimEndTime (permanent)" "" "$(attr_values "$ACT" pimEndTime)"
	[ -n "$(attr_values "$ACT" pimStartTime)" ] && pass "$label: pimStartTime set" ||
		fail "$label: no pimStartTime"
	check "$label: ldapcompare $attr" TRUE "$(is_member "$role" "$user" "$attr")"
	check "$label: memberOf on the user" TRUE "$(has_member_of "$role" "$user")"
	check "$label: pimManagedMember" TRUE "$(managed "$role" "$user")"
	check "$label: the placeholder is gone" FALSE "$(is_member "$role" "$CONTAINER" "$attr")"
}
# removed ROLE USER ATTR ACT: ACT was revoked and the membership is gone
removed() {
	local role=$1 user=$2 attr=$3 act=$4 label="$(lc "${2%%,*}") on ${1%%,*}"
	check "$label: the assignment's state" revoked "$(attr_values "$act" pimState)"
	check "$label: pimEndedBy" "$(lc "$ADMIN")" "$(lc "$(attr_values "$act" pimEndedBy)")"
	check "$label: ldapcompare $attr" FALSE "$(is_member "$role" "$user" "$attr")"
	check "$label: memberOf on the user" FALSE "$(has_member_of "$role" "$user")"
	check "$label: pimManagedMember" FALSE "$(managed "$role" "$user")"
}

# --- roles --------------------------------------------------------------

as admin ldapadd >/dev/null <<LDIF
dn: $PERM
objectClass: groupOfNames
objectClass: pimRole
cn: Break Glass
member: $CONTAINER
pimActivePermanentAllowed: TRUE

dn: $UNIQ
objectClass: groupOfUniqueNames
objectClass: pimRole
cn: Unique Glass
uniqueMember: $CONTAINER
pimActivePermanentAllowed: TRUE
LDIF
[ $? = 0 ] && pass "admin creates two roles that allow permanent active assignments" ||
	fail "cannot create the roles"

# --- 1. nobody else writes member -------------------------------------------

for role in "$PERM" "$STRICT"; do
	for who in demo other; do
		refused 50 "$who adds themselves to ${role%%,*}" "changes only through PIM" \
			modify "$who" "$role" "add: member" "member: $(eval echo \$$(echo "$who" | tr a-z A-Z))"
	done
	refused 50 "other deletes the placeholder of ${role%%,*}" "changes only through PIM" \
		modify other "$role" "delete: member" "member: $CONTAINER"
	refused 50 "other replaces the members of ${role%%,*}" "changes only through PIM" \
		modify other "$role" "replace: member" "member: $OTHER"
done
refused 50 "demo adds themselves to the groupOfUniqueNames role" "changes only through PIM" \
	modify demo "$UNIQ" "add: uniqueMember" "uniqueMember: $DEMO"
check "demo holds no activation" "" "$(activations "$DEMO" "$PERM")"

# --- 2. an administrator's add where permanent is not allowed ----------------

refused 19 "admin adds other to the role that allows no permanent assignment" "permanent" \
	modify admin "$STRICT" "add: member" "member: $OTHER"
check "no activation recorded for the refused add" "" "$(activations "$OTHER" "$STRICT")"
check "other has no memberOf for the strict role" FALSE "$(has_member_of "$STRICT" "$OTHER")"

# --- 3. an administrator's add: a permanent active assignment ------------------

expect_rc 0 "admin adds other to Break Glass" modify admin "$PERM" "add: member" "member: $OTHER"
assigned "$PERM" "$OTHER" member "$ADMIN"
OTHER_ACT=$ACT
[ "$(can_create_user other mw1)" = 50 ] && pass "Break Glass grants no seed-lab privilege (sanity)" ||
	fail "other may create users"

expect_rc 0 "the manager (rootdn) adds demo to Break Glass" modify manager "$PERM" "add: member" "member: $DEMO"
assigned "$PERM" "$DEMO" member "$MANAGER"
DEMO_ACT=$ACT

expect_rc 0 "admin adds other to the groupOfUniqueNames role" \
	modify admin "$UNIQ" "add: uniqueMember" "uniqueMember: $OTHER"
assigned "$UNIQ" "$OTHER" uniqueMember "$ADMIN"
UNIQ_ACT=$ACT

# --- 4. an administrator's delete revokes ---------------------------------------

expect_rc 0 "admin deletes other from Break Glass" modify admin "$PERM" "delete: member" "member: $OTHER"
removed "$PERM" "$OTHER" member "$OTHER_ACT"
check "demo's assignment is untouched" active "$(attr_values "$DEMO_ACT" pimState)"
check "demo is still a member" TRUE "$(is_member "$PERM" "$DEMO")"

expect_rc 0 "admin deletes demo from Break Glass (the last member)" \
	modify admin "$PERM" "delete: member" "member: $DEMO"
removed "$PERM" "$DEMO" member "$DEMO_ACT"
check "Break Glass is back to the placeholder" "$(lc "$CONTAINER")" "$(lc "$(attr_values "$PERM" member)")"

expect_rc 0 "admin deletes other from the groupOfUniqueNames role" \
	modify admin "$UNIQ" "delete: uniqueMember" "uniqueMember: $OTHER"
removed "$UNIQ" "$OTHER" uniqueMember "$UNIQ_ACT"

# A member through their own activation loses it the same way.
expect_rc 0 "demo made eligible for Break Glass" as admin pimctl assign --eligible demo "$PERM"
expect_rc 0 "demo activates Break Glass for 1h" \
	as demo pimctl activate "$PERM" --duration 1h --reason "incident"
ACT=$(activations "$DEMO" "$PERM" active)
check "demo is a member through the activation" TRUE "$(is_member "$PERM" "$DEMO")"
expect_rc 0 "admin deletes demo from Break Glass" modify admin "$PERM" "delete: member" "member: $DEMO"
removed "$PERM" "$DEMO" member "$ACT"

# The same member can be assigned again afterwards.
expect_rc 0 "admin adds other to Break Glass again" modify admin "$PERM" "add: member" "member: $OTHER"
check "a new active activation for other" 1 "$(activations "$OTHER" "$PERM" active | grep -c .)"
check "other is a member again" TRUE "$(is_member "$PERM" "$OTHER")"
check "other has memberOf again" TRUE "$(has_member_of "$PERM" "$OTHER")"

# --- 5. refused administrator writes change nothing ------------------------------

refused 53 "admin replaces the members of Break Glass" "one by one" \
	modify admin "$PERM" "replace: member" "member: $DEMO"
refused 53 "admin adds a member and changes the description in one modify" "on their own" \
	modify admin "$PERM" "add: member" "member: $DEMO" "-" "replace: description" "description: x"
# One modify, two values, the second of which names no entry: refused as
# a whole; the first value must not be assigned either.
refused 19 "admin adds demo and a user that does not exist in one modify" "pimPrincipal|no such" \
	modify admin "$PERM" "add: member" "member: $DEMO" "member: $NOBODY"
check "no activation left behind for demo by the refused modify" "" "$(activations "$DEMO" "$PERM" active)"
check "demo is not a member after the refused modify" FALSE "$(is_member "$PERM" "$DEMO")"

pim_done
