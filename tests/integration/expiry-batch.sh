#!/bin/bash
# Batched expiry: activations that end in the same second leave their
# roles in one write per role (the timer takes due events in batches),
# and every one of them ends exactly as it would alone: its own state,
# its own memberOf removal and its own audit record; a principal with a
# second activation due in the same batch loses the value, one with a
# longer activation keeps it, a static value stays, and a role the batch
# empties gets the placeholder back.
. "$(dirname "$0")/lib.sh"
pim_setup expiry-batch
ROLES="ou=roles,$BASE"
EMPTY="cn=batch-empty,$ROLES"
POSIX="cn=batch-posix,$ROLES"

as manager ldapadd >/dev/null <<LDIF
dn: $EMPTY
objectClass: groupOfNames
objectClass: pimRole
cn: batch-empty
member: $CONTAINER

dn: $POSIX
objectClass: posixGroup
objectClass: pimRole
cn: batch-posix
gidNumber: 5100
memberUid: bob
LDIF
check "the batch's roles exist" 0 $?

USERS="b1 b2 b3 b4 b5 b6"
for x in $USERS; do
	add_user "$x"
	expect_rc 0 "$x eligible for User Administrator" as admin pimctl assign --eligible "$x" "User Administrator"
done
for x in b1 b2 b3; do
	expect_rc 0 "$x eligible for batch-posix" as admin pimctl assign --eligible "$x" batch-posix
done
for x in b4 b5; do
	expect_rc 0 "$x eligible for batch-empty" as admin pimctl assign --eligible "$x" batch-empty
done

# Every activation below is scheduled to start at START and to end at
# END, the same second for all.
START=$(( $(date +%s) + 15 )); END=$(( START + 5 ))
activate() {	# USER ROLE
	expect_rc 0 "$1 schedules $2 for the common window" \
		user "$1" pimctl activate "$2" --start "$(gentime "$START")" \
		--duration 5s --reason "batch test"
}
for x in $USERS; do activate "$x" "User Administrator"; done
activate b1 "User Administrator"	# a second one, due in the same second
for x in b1 b2 b3; do activate "$x" batch-posix; done
for x in b4 b5; do activate "$x" batch-empty; done
expect_rc 0 "b2 activates User Administrator for an hour too" \
	user b2 pimctl activate "User Administrator" --duration 1h --reason "long task"
[ "$(date +%s)" -lt "$START" ] || fail "the requests took past the common start"

state_count() {	# STATE
	as manager ldapsearch -LLL -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimState=$1))" 1.1 | grep -c '^dn:'
}
check "activations scheduled" 12 "$(state_count scheduled)"
wait_for 40 eval '[ "$(state_count active)" = 13 ]'
check "activations active after the common start" 13 "$(state_count active)"
[ "$(date +%s)" -lt "$END" ] || fail "the starts took past the common end"
check "batch users in User Administrator before the end" 6 \
	"$(attr_values "$ROLE" member | grep -c ',ou=people,')"
check "batch-posix before the end" "b1 b2 b3 bob " \
	"$(attr_values "$POSIX" memberUid | sort | tr '\n' ' ')"

wait_for 40 eval '[ "$(state_count active)" = 1 ]'
check "activations active after the end: the hour-long one" 1 "$(state_count active)"
check "activations recorded expired" 12 "$(state_count expired)"

check "User Administrator keeps only b2, whose hour-long activation backs it" \
	"$(u b2)" "$(attr_values "$ROLE" member)"
check "its provenance names only b2" "$(u b2)" "$(attr_values "$ROLE" pimManagedMember)"
check "b1's value went although two of its activations ended in the batch" \
	FALSE "$(is_member "$ROLE" "$(u b1)")"
check "b2 keeps memberOf User Administrator" TRUE "$(has_member_of "$ROLE" "$(u b2)")"
for x in b1 b3 b4 b5 b6; do
	check "$x has no memberOf User Administrator" FALSE "$(has_member_of "$ROLE" "$(u "$x")")"
done
check "batch-posix keeps only its static bob" bob "$(attr_values "$POSIX" memberUid)"
check "batch-posix has no provenance left" "" "$(attr_values "$POSIX" pimManagedMember)"
check "batch-empty is back to the placeholder" "$CONTAINER" "$(attr_values "$EMPTY" member)"
check "batch-empty has no provenance left" "" "$(attr_values "$EMPTY" pimManagedMember)"
for x in b4 b5; do
	check "$x has no memberOf batch-empty" FALSE "$(has_member_of "$EMPTY" "$(u "$x")")"
done

# One audit record per activation, each naming its own.
expired_ids=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimState=expired))" pimId | sed -n 's/^pimId: //p' | sort)
audit_ids=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" \
	"(&(objectClass=pimAuditRecord)(pimAuditEvent=expired))" pimAuditId | sed -n 's/^pimAuditId: //p' | sort)
check "expired audit records" 12 "$(echo "$audit_ids" | grep -c .)"
[ "$expired_ids" = "$audit_ids" ] && pass "the records name exactly the expired activations" ||
	fail "the records do not name the expired activations"
expect_rc 0 "the audit trail verifies" as admin pimctl audit verify

# The batch was one write per role: the timer says so in the stats log.
grep -q "pim: role \"cn=user administrator,$ROLES\": [2-9] values out in one write" "$T/slapd.log" &&
	pass "User Administrator's expiries were one write" ||
	fail "no batched write of User Administrator in the log"
grep -q "pim: role \"cn=batch-posix,$ROLES\": 3 values out in one write" "$T/slapd.log" &&
	pass "batch-posix's three expiries were one write" ||
	fail "no batched write of batch-posix in the log"
pim_done
