#!/bin/bash
# Provenance: PIM removes only the values it added.  A static member keeps
# the membership; overlapping activations keep it until the last ends;
# expiry of the only member leaves the placeholder, never a stale value.
. "$(dirname "$0")/lib.sh"
pim_setup membership

# The purge removes the stored values just after the end; under a loaded
# sanitizer run that can take a second, hence wait_for's 10 s below.
active_ids() {
	as manager ldapsearch -LLL -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimState=active)(pimPrincipal=$1))" pimId | sed -n 's/^pimId: //p'
}

expect_rc 0 "demo eligible" as admin pimctl assign --eligible demo "User Administrator"
expect_rc 0 "other eligible" as admin pimctl assign --eligible other "User Administrator"

# Overlapping activations of one role by one user.
expect_rc 0 "demo activates for 1h" as demo pimctl activate "User Administrator" --duration 1h --reason "long task"
long_id=$(active_ids "$DEMO")
expect_rc 0 "demo activates again for 2s" as demo pimctl activate "User Administrator" --duration 2s --reason "short task"
[ "$(active_ids "$DEMO" | wc -l)" = 2 ] && pass "two activations are active" || fail "expected two activations"
wait_for 10 eval '[ "$(active_ids "$DEMO")" = "$long_id" ]'
[ "$(active_ids "$DEMO")" = "$long_id" ] && pass "the short one expired, the long one stays" || fail "wrong activations left"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "membership kept while an activation remains" || fail "overlap lost the membership"
expect_rc 0 "demo deactivates the long one by id" as demo pimctl deactivate "User Administrator" --id "$long_id"
[ "$(is_member "$ROLE" "$DEMO")" = FALSE ] && pass "membership ends with the last activation" || fail "member left"

# Expiry of the only member: the placeholder comes back, nothing stale.
expect_rc 0 "demo activates for 2s" as demo pimctl activate "User Administrator" --duration 2s --reason "only member"
[ "$(attr_values "$ROLE" member)" = "$DEMO" ] && pass "demo is the only member; the placeholder is gone" ||
	fail "members: $(attr_values "$ROLE" member | tr '\n' ' ')"
wait_for 10 eval '[ "$(attr_values "$ROLE" member)" = "$CONTAINER" ]'
[ "$(attr_values "$ROLE" member)" = "$CONTAINER" ] && pass "after expiry only the placeholder remains" ||
	fail "members after expiry: $(attr_values "$ROLE" member | tr '\n' ' ')"
[ -z "$(attr_values "$ROLE" pimManagedMember)" ] && pass "no provenance left" || fail "pimManagedMember left"
[ "$(as manager ldapsearch -LLL -b "$CONTAINER" '(&(objectClass=pimActivation)(pimState=active))' 1.1 | grep -c '^dn:')" = 0 ] &&
	pass "no active activation left" || fail "an activation is still active"

# A static member who also activates keeps the static membership.  (An
# administrator's online add of a member becomes a PIM assignment: a
# static member predates PIM, so it is written offline here.)
pim_stop
pim_tool /usr/sbin/slapmodify -F "$T/slapd.d" -b "$BASE" >>"$T/slapmodify.log" 2>&1 <<LDIF
dn: $ROLE
changetype: modify
add: member
member: $OTHER
LDIF
[ $? = 0 ] && pass "other is a static member (written offline)" || fail "cannot add a static member"
pim_start
expect_rc 0 "other activates for 1h" as other pimctl activate "User Administrator" --duration 1h --reason "already a member"
[ -z "$(attr_values "$ROLE" pimManagedMember)" ] && pass "PIM does not claim a static member's value" || fail "PIM claimed a static value"
expect_rc 0 "other deactivates" as other pimctl deactivate "User Administrator"
[ "$(is_member "$ROLE" "$OTHER")" = TRUE ] && pass "the static membership survives the activation's end" || fail "static member removed"
[ "$(can_create_user other m1)" = 0 ] && pass "other keeps the privilege of a static member" || fail "static member lost privilege"

# groupOfUniqueNames roles work the same way, with uniqueMember.
as manager ldapadd >/dev/null <<LDIF
dn: cn=Helpdesk,ou=roles,$BASE
objectClass: groupOfUniqueNames
objectClass: pimRole
cn: Helpdesk
uniqueMember: $CONTAINER
LDIF
[ $? = 0 ] && pass "a groupOfUniqueNames role" || fail "cannot add the groupOfUniqueNames role"
expect_rc 0 "demo eligible for Helpdesk" as admin pimctl assign --eligible demo Helpdesk
expect_rc 0 "demo activates Helpdesk" as demo pimctl activate Helpdesk --duration 2s --reason "tickets"
as manager ldapcompare "cn=Helpdesk,ou=roles,$BASE" "uniqueMember:$DEMO" >/dev/null 2>&1
[ $? = 6 ] && pass "uniqueMember holds demo" || fail "uniqueMember does not hold demo"
wait_for 10 eval '[ "$(attr_values "cn=Helpdesk,ou=roles,$BASE" uniqueMember)" = "$CONTAINER" ]'
[ "$(attr_values "cn=Helpdesk,ou=roles,$BASE" uniqueMember)" = "$CONTAINER" ] && pass "uniqueMember back to the placeholder" ||
	fail "uniqueMember after expiry: $(attr_values "cn=Helpdesk,ou=roles,$BASE" uniqueMember | tr '\n' ' ')"
pim_done
