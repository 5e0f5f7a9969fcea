#!/bin/bash
# directory.sh - the directory around PIM moves: renames and deletes of
# principals, of roles and their ancestors and of the container;
# slapo-memberof and slapo-refint fix-ups in both stack orders; a
# re-created DN; PIM on two databases of one slapd (slapd.conf, and
# added to a running server through cn=config).
. "$(dirname "$0")/lib.sh"
pim_setup directory

R="User Administrator"
ROLES="ou=roles,$BASE"

# poll N CMD...: true once CMD succeeds, trying every 0.2 s for N s
poll() {
	local n=$(( $1 * 5 ))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
not_member() { [ "$(is_member "${2:-$ROLE}" "$1")" = FALSE ]; }	# DN [ROLE]
yes_member() { [ "$(is_member "${2:-$ROLE}" "$1")" = TRUE ]; }
as_user() {	# UID CMD...: bound as uid=UID (password UID-secret, or PW)
	local u=$1 cmd=$2
	shift 2
	"$cmd" -x -H "$URI" -D "uid=$u,ou=people,$BASE" -w "${PW:-$u-secret}" "$@"
}
records_of() {	# DN: PIM records (activations, eligibility) naming DN
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(pimPrincipal=$1)" dn | grep -c '^dn:'
}
state_of_all() {	# DN: the states of DN's activations, sorted
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$1))" pimState |
		sed -n 's/^pimState: //p' | sort | tr '\n' ' '
}
eligible_active() {	# UID: assign eligibility and activate for 1h
	as admin pimctl assign "$1" "$R" --reason "directory test" >/dev/null 2>&1 &&
		as_user "$1" "$PIMCTL" -b "$BASE" activate "$R" --duration 1h \
			--reason "directory test" >/dev/null 2>&1
}

# --- a principal renamed during an activation -------------------------

add_user ren1
eligible_active ren1 && pass "ren1 eligible and active" || fail "cannot activate ren1"
OLD="uid=ren1,ou=people,$BASE"; NEW="uid=ren1b,ou=people,$BASE"
expect_rc 0 "rename of an active principal" as manager ldapmodrdn -r "$OLD" uid=ren1b
[ "$(records_of "$NEW")" = 2 ] && [ "$(records_of "$OLD")" = 0 ] &&
	pass "the activation and the eligibility name the new DN" ||
	fail "records: new $(records_of "$NEW"), old $(records_of "$OLD")"
[ "$(is_member "$ROLE" "$NEW")" = TRUE ] && [ "$(is_member "$ROLE" "$OLD")" = FALSE ] &&
	pass "the role's member value follows the rename" ||
	fail "member: new $(is_member "$ROLE" "$NEW"), old $(is_member "$ROLE" "$OLD")"
attr_values "$ROLE" pimManagedMember | grep -qix "$NEW" &&
	pass "pimManagedMember follows the rename" || fail "pimManagedMember did not follow"
check_invariant "a principal's rename"
PW=ren1-secret expect_rc 0 "the renamed principal deactivates (its new DN, its password)" \
	as_user ren1b "$PIMCTL" -b "$BASE" deactivate "$R"
[ -z "$(attr_values "$NEW" memberOf)" ] && pass "the renamed entry lost its memberOf" ||
	fail "the renamed entry keeps memberOf: $(attr_values "$NEW" memberOf)"
check_invariant "the renamed principal's deactivation"

# --- a principal deleted during an activation; a re-created DN --------

add_user del1
eligible_active del1 && pass "del1 eligible and active" || fail "cannot activate del1"
D1="uid=del1,ou=people,$BASE"
expect_rc 0 "delete of an active principal" as manager ldapdelete "$D1"
[ "$(state_of_all "$D1")" = "revoked " ] && pass "the open activation is revoked" ||
	fail "states after the delete: [$(state_of_all "$D1")]"
as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimEligibility)(pimPrincipal=$D1))" dn |
	grep -q '^dn:' && fail "the eligibility outlived its principal" ||
	pass "the eligibility went with its principal"
[ "$(is_member "$ROLE" "$D1")" = FALSE ] && pass "no member value of the deleted DN" ||
	fail "the role keeps the deleted DN"
as admin ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" \
	"(&(pimAuditEvent=revoked)(pimAuditPrincipal=$D1))" pimAuditReason |
	grep -qi "principal's entry was deleted" && pass "the revocation is recorded with its reason" ||
	fail "no revoked record naming the deletion"
add_user del1
expect_rc 50 "a re-created DN inherits no eligibility" \
	as_user del1 "$PIMCTL" -b "$BASE" activate "$R" --duration 1h --reason again
[ "$(is_member "$ROLE" "$D1")" = FALSE ] && pass "the re-created DN is no member" ||
	fail "the re-created DN is a member"
pim_stop; pim_start
[ "$(is_member "$ROLE" "$D1")" = FALSE ] && pass "... not after a restart either" ||
	fail "the restart made the re-created DN a member"
check_invariant "a principal's delete"

# --- what cannot move ------------------------------------------------------

expect_rc 53 "renaming an ancestor of a role is refused" \
	as manager ldapmodrdn -r "$ROLES" ou=roles2
expect_out "PIM roles are below" "the refusal says why"
expect_rc 53 "renaming a role is refused" as manager ldapmodrdn -r "$ROLE" "cn=UA2"
expect_rc 53 "renaming the PIM container is refused" \
	as manager ldapmodrdn -r "$CONTAINER" cn=pim2
add_user mover
expect_rc 53 "moving an entry into the PIM container is refused" \
	as manager ldapmodrdn -s "$CONTAINER" "uid=mover,ou=people,$BASE" uid=mover
[ "$(as manager ldapsearch -LLL -b "$ROLE" -s base dn | grep -c '^dn:')" = 1 ] &&
	pass "the role is where it was" || fail "the role moved"

# --- slapo-memberof and slapo-refint, in both stack orders ------------------

# restack ORDER: the same data with memberof and refint configured above
# pim (their lines after pim's) or below it (before "overlay pim").
restack() {
	local lines n=1
	lines='overlay	refint
refint_attributes	member
refint_nothing	"cn=pim,dc=example,dc=com"
overlay	memberof
memberof-group-oc	groupOfNames
memberof-member-ad	member
memberof-memberof-ad	memberOf
memberof-refint	TRUE
memberof-dangling	ignore'
	pim_stop
	while [ -e "$T/slapd.conf.$n" ]; do n=$((n + 1)); done
	cp "$T/slapd.conf" "$T/slapd.conf.$n"
	[ -e "$T/slapd.conf.orig" ] || cp "$T/slapd.conf" "$T/slapd.conf.orig"
	awk -v order="$1" -v lines="$lines" '
		/^moduleload[ \t]+back_mdb\.la/ { print; print "moduleload\tmemberof.la"; print "moduleload\trefint.la"; next }
		/^overlay[ \t]+pim/ && order == "below" { print lines }
		{ print }
		END { if ( order == "above" ) print lines }' "$T/slapd.conf.orig" > "$T/slapd.conf"
	rm -rf "$T/slapd.d"; mkdir -p "$T/slapd.d"
	pim_tool "$SLAPTEST" -f "$T/slapd.conf" -F "$T/slapd.d" >"$T/slaptest.log" 2>&1 ||
		{ cat "$T/slaptest.log"; fail "slaptest with memberof and refint $1"; return 1; }
	pim_start
}

STATIC="cn=Static Role,$ROLES"
for order in above below; do
	restack "$order" || continue
	# a role with a static member (an administrator's ldapadd of the role)
	add_user "st-$order"
	S="uid=st-$order,ou=people,$BASE"
	as admin ldapadd >/dev/null <<LDIF
dn: cn=Static $order,$ROLES
objectClass: groupOfNames
objectClass: pimRole
cn: Static $order
member: $S
LDIF
	[ $? = 0 ] && pass "[$order] a PIM role with a static member" || fail "[$order] cannot add the role"
	SR="cn=Static $order,$ROLES"
	expect_rc 0 "[$order] rename of the static member" \
		as manager ldapmodrdn -r "$S" "uid=st2-$order"
	S2="uid=st2-$order,ou=people,$BASE"
	poll 5 yes_member "$S2" "$SR" && pass "[$order] the static value follows the rename (refint/memberof)" ||
		fail "[$order] static value after the rename: new $(is_member "$SR" "$S2"), old $(is_member "$SR" "$S")"
	[ "$(is_member "$SR" "$S")" = FALSE ] && pass "[$order] no value of the old DN" ||
		fail "[$order] the old DN is still a member"
	expect_rc 0 "[$order] delete of the static member" as manager ldapdelete "$S2"
	poll 5 not_member "$S2" "$SR" && pass "[$order] refint removes the deleted static member" ||
		fail "[$order] the deleted static member stays in the role"
	add_user "st2-$order"
	[ "$(is_member "$SR" "$S2")" = FALSE ] && pass "[$order] the re-created DN is no member" ||
		fail "[$order] the re-created DN inherits the static membership"

	# a PIM activation of a principal renamed, then deleted
	add_user "pa-$order"
	P="uid=pa-$order,ou=people,$BASE"; P2="uid=pa2-$order,ou=people,$BASE"
	eligible_active "pa-$order" && pass "[$order] pa-$order active" || fail "[$order] cannot activate"
	expect_rc 0 "[$order] rename of the active principal" \
		as manager ldapmodrdn -r "$P" "uid=pa2-$order"
	poll 5 yes_member "$P2" && pass "[$order] the PIM value follows the rename" ||
		fail "[$order] after the rename: new $(is_member "$ROLE" "$P2"), old $(is_member "$ROLE" "$P")"
	sleep 1
	[ "$(is_member "$ROLE" "$P")" = FALSE ] && pass "[$order] no dangling value of the old DN" ||
		fail "[$order] the old DN is still a member"
	attr_values "$ROLE" pimManagedMember | grep -qix "$P2" &&
		pass "[$order] pimManagedMember names the new DN" || fail "[$order] pimManagedMember lost the renamed principal"
	check_invariant "[$order] a principal's rename with memberof and refint"
	expect_rc 0 "[$order] delete of the active principal" as manager ldapdelete "$P2"
	poll 5 not_member "$P2" && pass "[$order] the deleted principal's value goes" ||
		fail "[$order] the deleted principal is still a member"
	sleep 1
	[ -z "$(attr_values "$ROLE" pimManagedMember | grep -ix "$P2")" ] &&
		pass "[$order] and its pimManagedMember value" || fail "[$order] pimManagedMember keeps the deleted DN"
	[ "$(state_of_all "$P2")" = "revoked " ] && pass "[$order] its activation is revoked" ||
		fail "[$order] states: [$(state_of_all "$P2")]"
	check_invariant "[$order] a principal's delete with memberof and refint"
	grep -q "refint_repair: dependent modify failed: 53\|err=53.*refint" "$T/slapd.log" &&
		fail "[$order] a refint fix-up was refused with 53" || pass "[$order] no refint fix-up refused"
done

# --- two databases in one slapd ------------------------------------------

ORG="dc=example,dc=org"
cat > "$T/second.conf" <<CONF
database	mdb
maxsize		104857600
suffix		"$ORG"
rootdn		"cn=Manager,$ORG"
rootpw		manager-secret
directory	$T/db2
index		objectClass eq
index		pimPrincipal,pimRoleDN,pimState,pimId,pimManagedMember eq
index		pimEligibleThrough eq,pres
index		pimAuditSeq,pimAuditEvent eq
overlay		pim
pim-container	"cn=pim,$ORG"
pim-admin	"cn=Manager,$ORG"
CONF
mkdir -p "$T/db2"
[ -e "$T/slapd.conf.orig" ] && cp "$T/slapd.conf.orig" "$T/slapd.conf"
pim_reconfigure "" "$T/second.conf" && pass "slapd starts with PIM on two databases" ||
	fail "slapd does not start with PIM on two databases"
org() { "$@" -x -H "$URI" -D "cn=Manager,$ORG" -w manager-secret; }
org ldapadd >/dev/null <<LDIF
dn: $ORG
objectClass: dcObject
objectClass: organization
dc: example
o: Example Org

dn: cn=pim,$ORG
objectClass: organizationalRole
cn: pim

dn: uid=bob,$ORG
objectClass: inetOrgPerson
uid: bob
cn: bob
sn: bob
userPassword: bob-secret

dn: cn=Org Admins,$ORG
objectClass: groupOfNames
objectClass: pimRole
cn: Org Admins
member: cn=pim,$ORG
LDIF
[ $? = 0 ] && pass "the second database's entries" || fail "cannot fill the second database"
org ldapadd >/dev/null <<LDIF
dn: pimId=bob-elig,cn=pim,$ORG
objectClass: pimEligibility
pimId: bob-elig
pimPrincipal: uid=bob,$ORG
pimRoleDN: cn=Org Admins,$ORG
LDIF
[ $? = 0 ] && pass "eligibility in the second database" || fail "cannot assign in the second database"
expect_rc 0 "an activation in the second database" \
	"$PIMCTL" -x -H "$URI" -D "uid=bob,$ORG" -w bob-secret -b "$ORG" \
	activate "Org Admins" --duration 1h --reason "second db"
org ldapcompare "cn=Org Admins,$ORG" "member:uid=bob,$ORG" >/dev/null 2>&1
[ $? = 6 ] && pass "bob is a member of the second database's role" || fail "no membership in the second database"
eligible_active demo && pass "an activation in the first database" || fail "cannot activate in the first database"
[ "$(org ldapsearch -LLL -b "cn=audit,cn=pim,$ORG" "(pimAuditEvent=activated)" dn | grep -c '^dn:')" = 1 ] &&
	pass "the second database records its own activation" || fail "the second database's audit trail"
as manager ldapsearch -LLL -b "cn=audit,$CONTAINER" "(pimAuditPrincipal=uid=bob,$ORG)" dn | grep -q '^dn:' &&
	fail "the first database recorded the second's event" || pass "each database keeps its own trail"
check_invariant "PIM on two databases"

# added to a running server through cn=config: a third database
cat > "$T/third.conf" <<CONF
database	mdb
maxsize		104857600
suffix		"dc=example,dc=net"
rootdn		"cn=Manager,dc=example,dc=net"
rootpw		manager-secret
directory	$T/db3
CONF
mkdir -p "$T/db3"
cat "$T/second.conf" "$T/third.conf" > "$T/pre.conf"
cp "$T/slapd.conf.orig" "$T/slapd.conf"
pim_reconfigure "" "$T/pre.conf" || fail "slapd with three databases"
net() { "$@" -x -H "$URI" -D "cn=Manager,dc=example,dc=net" -w manager-secret; }
net ldapadd >/dev/null <<LDIF
dn: dc=example,dc=net
objectClass: dcObject
objectClass: organization
dc: example
o: Example Net

dn: cn=pim,dc=example,dc=net
objectClass: organizationalRole
cn: pim
LDIF
NETDB=$(as config ldapsearch -LLL -b cn=config "(olcSuffix=dc=example,dc=net)" dn | sed -n 's/^dn: //p')
expect_rc 0 "olcOverlay=pim added to a running database through cn=config" \
	as config ldapadd <<LDIF
dn: olcOverlay=pim,$NETDB
objectClass: olcOverlayConfig
objectClass: olcPimConfig
olcOverlay: pim
olcPimContainer: cn=pim,dc=example,dc=net
olcPimAdmin: cn=Manager,dc=example,dc=net
LDIF
kill -0 "$SLAPD_PID" 2>/dev/null && pass "slapd is still running" || fail "slapd died on the cn=config add"
net ldapadd >/dev/null <<LDIF
dn: cn=Net Role,dc=example,dc=net
objectClass: groupOfNames
objectClass: pimRole
cn: Net Role
member: cn=pim,dc=example,dc=net

dn: uid=carl,dc=example,dc=net
objectClass: inetOrgPerson
uid: carl
cn: carl
sn: carl
userPassword: carl-secret
LDIF
expect_rc 0 "the new instance assigns eligibility" \
	"$PIMCTL" -x -H "$URI" -D "cn=Manager,dc=example,dc=net" -w manager-secret -b dc=example,dc=net \
	assign "uid=carl,dc=example,dc=net" "Net Role" --reason "online"
expect_rc 0 "... and activates" \
	"$PIMCTL" -x -H "$URI" -D "uid=carl,dc=example,dc=net" -w carl-secret -b dc=example,dc=net \
	activate "Net Role" --duration 1h --reason "online"
net ldapcompare "cn=Net Role,dc=example,dc=net" "member:uid=carl,dc=example,dc=net" >/dev/null 2>&1
[ $? = 6 ] && pass "the instance added online grants" || fail "no membership from the instance added online"
expect_rc 0 "the earlier instances still work" as demo pimctl deactivate "$R"
pim_done
