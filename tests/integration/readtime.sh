#!/bin/bash
# readtime.sh - the end time is enforced at read time, whatever the
# purge's lag.  pim-purge-delay holds the purge back for a minute (the
# honest way to see the stored value outlive its activation), and from
# the end on every way an application looks at membership denies it:
# compare on member and memberOf, search filters, the values a search
# returns, and slapd's own ACL group check (the seed lab's "by group="
# write).  The rootdn sees the stored data, which is still there.
. "$(dirname "$0")/lib.sh"
pim_setup readtime "pim-min-duration 1s
pim-purge-delay 1m"

R="User Administrator"
cmp() {	# WHO ENTRY AVA: TRUE / FALSE
	as "$1" ldapcompare "$2" "$3" >/dev/null 2>&1
	case $? in 6) echo TRUE ;; 5) echo FALSE ;; *) echo "ERROR($?)" ;; esac
}
found() {	# WHO FILTER: the DNs a search from the suffix finds
	as "$1" ldapsearch -LLL -o ldif-wrap=no -b "$BASE" "$2" 1.1 | sed -n 's/^dn: //p' |
		tr 'A-Z' 'a-z' | tr '\n' ' '
}

expect_rc 0 "demo made eligible" as admin pimctl assign demo "$R" --reason "read time"
expect_rc 0 "demo activates for 3 s" \
	as demo pimctl activate "$R" --duration 3s --reason "read time"
END=$(gt_epoch "$(as manager ldapsearch -LLL -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimState=active))" pimEndTime | sed -n 's/^pimEndTime: //p')")
check "during: compare member as other" TRUE "$(cmp other "$ROLE" "member:$DEMO")"
check "during: demo may create a user (by group=)" 0 "$(can_create_user demo rt-during)"

# past the end (whole seconds: the end second itself is already out)
while [ "$(date +%s)" -lt "$END" ]; do sleep 0.2; done
sleep 0.3
attr_values "$ROLE" member | grep -qix "$DEMO" &&
	pass "after the end the stored value is still there (the purge waits)" ||
	fail "the value was purged: the test shows nothing about read time"
check "after: compare member as other" FALSE "$(cmp other "$ROLE" "member:$DEMO")"
check "after: compare member as demo" FALSE "$(cmp demo "$ROLE" "member:$DEMO")"
check "after: compare memberOf as demo" FALSE "$(cmp demo "$DEMO" "memberOf:$ROLE")"
check "after: (member=demo) finds no role" "" "$(found other "(member=$DEMO)")"
check "after: (memberOf=role) finds nobody" "" "$(found other "(memberOf=$ROLE)")"
as other ldapsearch -LLL -o ldif-wrap=no -b "$ROLE" -s base member | grep -qi "^member: $DEMO" &&
	fail "after: a read of the role returns the stale value" ||
	pass "after: a read of the role returns no stale value"
as demo ldapsearch -LLL -o ldif-wrap=no -b "$DEMO" -s base memberOf | grep -qi "^memberOf:" &&
	fail "after: a read of demo returns the stale memberOf" ||
	pass "after: a read of demo returns no stale memberOf"
check "after: demo may not create a user (by group=)" 50 "$(can_create_user demo rt-after)"
check "after: the rootdn sees the stored value" TRUE "$(cmp manager "$ROLE" "member:$DEMO")"

# a static member is the site's: always seen
as admin ldapadd >/dev/null <<LDIF
dn: cn=Static RT,ou=roles,$BASE
objectClass: groupOfNames
objectClass: pimRole
cn: Static RT
member: $OTHER
LDIF
check "a static member compares TRUE" TRUE "$(cmp demo "cn=Static RT,ou=roles,$BASE" "member:$OTHER")"

# the window survives a restart (rebuilt from the activation entries)
pim_stop; pim_start
sleep 1.5
check "after a restart: compare member as other" FALSE "$(cmp other "$ROLE" "member:$DEMO")"
check "after a restart: demo may not create a user" 50 "$(can_create_user demo rt-restart)"

# a new activation opens the window again, at once
expect_rc 0 "demo activates again" as demo pimctl activate "$R" --duration 1h --reason "again"
check "again: compare member as other" TRUE "$(cmp other "$ROLE" "member:$DEMO")"
check "again: demo may create a user" 0 "$(can_create_user demo rt-again)"
expect_rc 0 "demo deactivates" as demo pimctl deactivate "$R"
check "deactivated: compare member as other" FALSE "$(cmp other "$ROLE" "member:$DEMO")"
# A large role: a read of it keeps a memo of its PIM values (all open
# until the earliest end among them) instead of looking each one up; the
# memo must not outlive that end.  16 activations of an hour and demo's
# of 3 s; a read before demo's end (the memo), a second (served from it),
# and one after: without demo, with the 16.
WIDE="cn=Wide RT,ou=roles,$BASE"
as admin ldapadd >/dev/null <<LDIF
dn: $WIDE
objectClass: groupOfNames
objectClass: pimRole
cn: Wide RT
member: $CONTAINER
LDIF
[ $? = 0 ] && pass "admin creates $WIDE" || fail "cannot create $WIDE"
W=""
for i in $(seq -w 1 16); do
	add_user "wide$i"; W="$W wide$i"
	expect_rc 0 "wide$i eligible for Wide RT" as admin pimctl assign --eligible "wide$i" "Wide RT"
	expect_rc 0 "wide$i activates Wide RT for an hour" \
		user "wide$i" pimctl activate "Wide RT" --duration 1h --reason "wide"
done
expect_rc 0 "demo eligible for Wide RT" as admin pimctl assign --eligible demo "Wide RT"
expect_rc 0 "demo activates Wide RT for 3 s" \
	as demo pimctl activate "Wide RT" --duration 3s --reason "wide"
WEND=$(gt_epoch "$(as manager ldapsearch -LLL -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimState=active)(pimRoleDN=$WIDE))" pimEndTime |
	sed -n 's/^pimEndTime: //p' | sort | head -1)")
read_members() {	# the people a read of $WIDE as other returns
	as other ldapsearch -LLL -o ldif-wrap=no -b "$WIDE" -s base member |
		sed -n 's/^member: uid=\([^,]*\),ou=people,.*/\1/ip' | tr 'A-Z' 'a-z' | sort | tr '\n' ' '
}
ALL="demo $(printf '%s\n' $W | sort | tr '\n' ' ')"
check "wide: a read during lists the 17" "$ALL" "$(read_members)"
check "wide: a second read lists the 17" "$ALL" "$(read_members)"
[ "$WEND" -gt "$(date +%s)" ] && pass "wide: demo's end is ahead ($WEND)" ||
	fail "wide: demo's end ($WEND) is not ahead: the reads above were not before it"
while [ "$(date +%s)" -lt "$WEND" ]; do sleep 0.2; done
sleep 0.3
check "wide: after demo's end the stored value is still there" TRUE "$(is_member "$WIDE" "$DEMO")"
check "wide: a read after demo's end lists the 16 only" \
	"$(printf '%s\n' $W | sort | tr '\n' ' ')" "$(read_members)"
check "wide: compare member demo after its end" FALSE "$(cmp other "$WIDE" "member:$DEMO")"
check "wide: compare member wide01 still" TRUE "$(cmp other "$WIDE" "member:$(u wide01)")"
# wide_holder WHAT DN UID PASSWORD: a person DN (uid UID) is added,
# made eligible for Wide RT and activates it for an hour
wide_holder() {
	as manager ldapadd >/dev/null <<LDIF
dn: $2
objectClass: inetOrgPerson
uid: $3
cn: $3
sn: $3
userPassword: $4
LDIF
	[ $? = 0 ] && pass "$1 added" || fail "cannot add $2"
	expect_rc 0 "$1 eligible for Wide RT" \
		as admin pimctl assign --eligible "$2" "Wide RT"
	expect_rc 0 "$1 activates Wide RT for an hour" \
		pimctl activate -x -H "$URI" -D "$2" -w "$4" "Wide RT" \
		--duration 1h --reason "wide holder"
}

# a principal with demo's RDN under another parent, open: demo's stale
# value must stay closed (the pair's key is its RDN and its parent)
SDEMO="uid=demo,ou=staff,$BASE"
as manager ldapadd >/dev/null <<LDIF
dn: ou=staff,$BASE
objectClass: organizationalUnit
ou: staff
LDIF
wide_holder "a second demo, under ou=staff," "$SDEMO" demo sd-secret
check "same rdn: compare member staff demo" TRUE "$(cmp other "$WIDE" "member:$SDEMO")"
check "same rdn: people demo's stale value is still stored" TRUE "$(is_member "$WIDE" "$DEMO")"
check "same rdn: compare member people demo stays FALSE" FALSE "$(cmp other "$WIDE" "member:$DEMO")"

# A principal whose RDN holds a comma: the window keeps a principal as
# the bytes before its first comma and a shared parent, and must tell it
# from every other principal exactly
CDN="uid=c\\,1,ou=people,$BASE"
wide_holder "a user whose uid holds a comma" "$CDN" "c,1" c1-secret
check "comma: compare member during" TRUE "$(cmp other "$WIDE" "member:$CDN")"
check "comma: a read lists it" TRUE "$(as other ldapsearch -LLL -o ldif-wrap=no \
	-b "$WIDE" -s base member | grep -qi '^member: uid=c\\2C1,\|^member: uid=c\\,1,' &&
	echo TRUE || echo FALSE)"
expect_rc 0 "the comma user deactivates" \
	pimctl deactivate -x -H "$URI" -D "$CDN" -w c1-secret "Wide RT"
check "comma: compare member after" FALSE "$(cmp other "$WIDE" "member:$CDN")"
check "wide: compare member wide02 still" TRUE "$(cmp other "$WIDE" "member:$(u wide02)")"

check_invariant "read-time enforcement"
pim_done
