#!/bin/bash
# Role kinds: a posixGroup role gets the principal's uid in memberUid, a
# sudoRole role in sudoUser, and a kind of the site's own (pim-role-kind)
# what it names; seen the way real clients see them: getent group through
# Debian's nslcd, sudo -l -U through sudo-ldap, both run in a private
# mount namespace of this test so that the machine's /etc stays as it is.
# Provenance, read-time enforcement, a deleted user and the door's
# direct writes work as for groupOfNames.
. "$(dirname "$0")/lib.sh"
SUDO_SCHEMA=/usr/share/doc/sudo-ldap/schema.OpenLDAP
for x in /usr/sbin/nslcd /usr/bin/nsenter "$SUDO_SCHEMA"; do
	[ -e "$x" ] || { pim_log "SKIP: $x missing (build-aux/setup-machine.sh installs nslcd, libnss-ldapd, sudo-ldap)"; exit 77; }
done
unshare -m true 2>/dev/null || { pim_log "SKIP: no mount namespaces here"; exit 77; }
PIM_EXTRA_SCHEMA=$SUDO_SCHEMA pim_setup role-kinds \
	"pim-role-kind organizationalRole roleOccupant dn"
ROLES="ou=roles,$BASE"
POSIX="cn=linux-admins,$ROLES"
SUDO="cn=jit-sudo,$ROLES"
OCC="cn=dba-duty,$ROLES"

# Users as nslcd needs them (posixAccount); nss is the clients' own bind.
posix_user() {	# UID NUMBER
	as manager ldapmodify >/dev/null <<LDIF
dn: $(u "$1")
changetype: modify
add: objectClass
objectClass: posixAccount
-
add: uidNumber
uidNumber: $2
-
add: gidNumber
gidNumber: $2
-
add: homeDirectory
homeDirectory: /home/$1
LDIF
}
add_user carol; add_user nss
posix_user demo 10001; posix_user other 10002; posix_user carol 10003
as manager ldapadd >/dev/null <<LDIF
dn: $POSIX
objectClass: posixGroup
objectClass: pimRole
cn: linux-admins
gidNumber: 5000
memberUid: bob
pimActivePermanentAllowed: TRUE

dn: $SUDO
objectClass: sudoRole
objectClass: pimRole
cn: jit-sudo
sudoHost: ALL
sudoCommand: /usr/bin/id
sudoRunAsUser: root

dn: $OCC
objectClass: organizationalRole
objectClass: pimRole
cn: dba-duty
LDIF
for r in linux-admins jit-sudo dba-duty; do
	as admin pimctl assign --eligible demo "$r" >/dev/null
done
as admin pimctl assign --eligible carol linux-admins >/dev/null

# --- the real clients, in a mount namespace of their own ------------------
cat > "$T/nsswitch.conf" <<EOF
passwd: files ldap
group: files ldap
shadow: files
sudoers: ldap
EOF
cat > "$T/nslcd.conf" <<EOF
uid nslcd
gid nslcd
uri $URI
base $BASE
binddn $(u nss)
bindpw nss-secret
EOF
cat > "$T/sudo-ldap.conf" <<EOF
URI $URI
SUDOERS_BASE $ROLES
BINDDN $(u nss)
BINDPW nss-secret
EOF
chmod 600 "$T/nslcd.conf" "$T/sudo-ldap.conf"
mkdir -p /run/nslcd
unshare -m --propagation private sh -c '
	mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf &&
	mount --bind "$1/nslcd.conf" /etc/nslcd.conf &&
	mount --bind "$1/sudo-ldap.conf" /etc/sudo-ldap.conf &&
	mount -t tmpfs tmpfs /run/nslcd && chown nslcd:nslcd /run/nslcd &&
	exec /usr/sbin/nslcd -d' sh "$T" > "$T/nslcd.log" 2>&1 &
NSLCD_PID=$!
# pim_teardown reads the test's status from $?: keep it past nslcd's end
trap 'r=$?; kill $NSLCD_PID 2>/dev/null; wait $NSLCD_PID 2>/dev/null; (exit $r); pim_teardown' EXIT
in_ns() { nsenter -t "$NSLCD_PID" -m "$@"; }
wait_for 10 in_ns test -S /run/nslcd/socket ||
	{ cat "$T/nslcd.log"; pim_log "FAIL: nslcd did not start"; exit 99; }
wait_for 10 sh -c "nsenter -t $NSLCD_PID -m getent passwd demo >/dev/null" ||
	{ cat "$T/nslcd.log"; pim_log "FAIL: nslcd does not answer"; exit 99; }
group_members() {	# the member list getent group prints for linux-admins
	in_ns getent group linux-admins | cut -d: -f4
}
sudo_allows() {	# does sudo-ldap let USER run /usr/bin/id?
	in_ns sudo -l -U "$1" 2>/dev/null | grep -q '/usr/bin/id' && echo yes || echo no
}

# --- posixGroup: memberUid, through nslcd ---------------------------------
check "before: getent group lists the static member only" "bob" "$(group_members)"
expect_rc 0 "demo activates linux-admins" \
	as demo pimctl activate linux-admins --duration 1h --reason "disk full on db1"
check "memberUid: demo, as ldapcompare sees it" TRUE "$(is_member "$POSIX" demo memberUid)"
check "pimManagedMember names demo's DN" "$(u demo)" \
	"$(attr_values "$POSIX" pimManagedMember)"
check "no memberOf for a uid kind" "" "$(attr_values "$(u demo)" memberOf)"
check "getent group via nslcd lists demo while the activation runs" \
	"bob,demo" "$(group_members | tr ',' '\n' | sort | paste -sd,)"
expect_rc 0 "demo deactivates linux-admins" as demo pimctl deactivate linux-admins
check "memberUid: demo gone" FALSE "$(is_member "$POSIX" demo memberUid)"
check "the static memberUid bob stays" TRUE "$(is_member "$POSIX" bob memberUid)"
check "getent group no longer lists demo" "bob" "$(group_members)"
check "pimManagedMember empty again" "" "$(attr_values "$POSIX" pimManagedMember)"

# Expiry, and the read-time window: reads stop seeing the value at the
# end even while the purge is held back.
as config ldapmodify >/dev/null <<LDIF
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcPimPurgeDelay
olcPimPurgeDelay: 1m
LDIF
expect_rc 0 "demo activates linux-admins for 2s" \
	as demo pimctl activate linux-admins --duration 2s --reason "short task"
check "getent lists demo during the 2 s" "bob,demo" \
	"$(group_members | tr ',' '\n' | sort | paste -sd,)"
sleep 3
check "after the end the stored value is still there (purge held back)" TRUE \
	"$(as manager ldapsearch -LLL -b "$POSIX" -s base "(memberUid=demo)" dn | grep -q . && echo TRUE || echo FALSE)"
check "but getent group through nslcd no longer lists demo" "bob" "$(group_members)"
check "and ldapcompare by a user says FALSE" FALSE \
	"$(as other ldapcompare "$POSIX" memberUid:demo >/dev/null 2>&1; [ $? -eq 6 ] && echo TRUE || echo FALSE)"
check "a (memberUid=demo) search by a user does not find the role" "" \
	"$(as other ldapsearch -LLL -b "$ROLES" "(memberUid=demo)" dn)"
as config ldapmodify >/dev/null <<LDIF
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
delete: olcPimPurgeDelay
LDIF
wait_for 70 sh -c "[ \"\$(as manager ldapcompare '$POSIX' memberUid:demo >/dev/null 2>&1; echo \$?)\" = 5 ]" 2>/dev/null
check "the purge removes the value" FALSE "$(is_member "$POSIX" demo memberUid)"

# --- sudoRole: sudoUser, through sudo-ldap -----------------------------------
check "before: sudo-ldap does not let demo run id" no "$(sudo_allows demo)"
expect_rc 0 "demo activates jit-sudo" \
	as demo pimctl activate jit-sudo --duration 1h --reason "patch db1"
check "sudoUser: demo" TRUE "$(is_member "$SUDO" demo sudoUser)"
check "sudo -l -U demo through sudo-ldap lists /usr/bin/id" yes "$(sudo_allows demo)"
check "other still may not" no "$(sudo_allows other)"
expect_rc 0 "demo deactivates jit-sudo" as demo pimctl deactivate jit-sudo
check "sudo -l -U demo no longer lists it" no "$(sudo_allows demo)"
check "sudoUser empty again" "" "$(attr_values "$SUDO" sudoUser)"

# --- a kind of the site's own: organizationalRole / roleOccupant (dn) --------
expect_rc 0 "demo activates dba-duty" \
	as demo pimctl activate dba-duty --duration 1h --reason "on call"
check "roleOccupant: demo's DN" "$(u demo)" "$(attr_values "$OCC" roleOccupant)"
expect_rc 0 "demo deactivates dba-duty" as demo pimctl deactivate dba-duty
check "roleOccupant gone" "" "$(attr_values "$OCC" roleOccupant)"
refused 53 "an attribute option on the site kind's attribute is refused" "attribute options" \
	as admin ldapmodify <<LDIF
dn: $OCC
changetype: modify
add: roleOccupant;lang-en
roleOccupant;lang-en: $(u other)
LDIF
refused 53 "and on memberUid of a posixGroup role" "attribute options" \
	as admin ldapmodify <<LDIF
dn: $POSIX
changetype: modify
add: memberUid;lang-en
memberUid;lang-en: other
LDIF
refused 80 "cn=config refuses a kind of no such class" "no such object class" \
	as config ldapmodify <<LDIF
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
add: olcPimRoleKind
olcPimRoleKind: noSuchClass member dn
LDIF
refused 80 "cn=config refuses a dn kind whose attribute holds no DN" "DN syntax" \
	as config ldapmodify <<LDIF
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
add: olcPimRoleKind
olcPimRoleKind: posixGroup memberUid dn
LDIF
check "cn=config shows the configured kind" "organizationalRole roleOccupant dn" \
	"$(as config ldapsearch -LLL -b "olcOverlay={0}pim,olcDatabase={1}mdb,cn=config" -s base olcPimRoleKind | sed -n 's/^olcPimRoleKind: //p')"

# --- a user who goes -------------------------------------
expect_rc 0 "carol activates linux-admins" \
	user carol pimctl activate linux-admins --duration 1h --reason "rotate keys"
check "carol's activation writes memberUid: carol" TRUE "$(is_member "$POSIX" carol memberUid)"
expect_rc 0 "carol is renamed to uid=cjones" \
	as manager ldapmodrdn -r "$(u carol)" uid=cjones
check "the memberUid follows the rename" "FALSE TRUE" \
	"$(is_member "$POSIX" carol memberUid) $(is_member "$POSIX" cjones memberUid)"
check "getent group lists cjones" "bob,cjones" "$(group_members | tr , "\n" | sort | paste -sd,)"
as manager ldapdelete "$(u cjones)"
check "the user deleted: the uid PIM gave goes with them" FALSE \
	"$(is_member "$POSIX" cjones memberUid)"

# a user named by cn whose uid changes: the value follows the modify
DAVE="cn=Dave Smith,ou=people,$BASE"
as manager ldapadd >/dev/null <<LDIF
dn: $DAVE
objectClass: inetOrgPerson
cn: Dave Smith
sn: Smith
uid: dave
userPassword: dave-secret
LDIF
as admin pimctl assign --eligible "$DAVE" linux-admins >/dev/null
expect_rc 0 "dave activates linux-admins" \
	pimctl -x -H "$URI" -D "$DAVE" -w dave-secret activate linux-admins --duration 1h --reason "disk full"
check "memberUid: dave" TRUE "$(is_member "$POSIX" dave memberUid)"
expect_rc 0 "dave's uid becomes dsmith" \
	as manager ldapmodify <<LDIF
dn: $DAVE
changetype: modify
replace: uid
uid: dsmith
LDIF
check "the memberUid follows the uid" "FALSE TRUE" \
	"$(is_member "$POSIX" dave memberUid) $(is_member "$POSIX" dsmith memberUid)"
refused 19 "dave's uid may not become bob, a static memberUid of a role PIM gave him his uid in" \
	"holds the new uid already" \
	as manager ldapmodify <<LDIF
dn: $DAVE
changetype: modify
replace: uid
uid: bob
LDIF
expect_rc 0 "dave's uid becomes %wheel, a token sudo and others read as a group" \
	as manager ldapmodify <<LDIF
dn: $DAVE
changetype: modify
replace: uid
uid: %wheel
LDIF
check "the old value goes and the token is not written" "FALSE FALSE" \
	"$(is_member "$POSIX" dsmith memberUid) $(is_member "$POSIX" %wheel memberUid)"
expect_rc 0 "dave deactivates" \
	pimctl -x -H "$URI" -D "$DAVE" -w dave-secret deactivate linux-admins
check "and the value goes with the deactivation" FALSE "$(is_member "$POSIX" dsmith memberUid)"
check "and pimManagedMember" "" "$(attr_values "$POSIX" pimManagedMember)"
check "the static bob is still there" TRUE "$(is_member "$POSIX" bob memberUid)"

# --- a uid that is a token is never written ---------------------------------
as manager ldapadd >/dev/null <<LDIF
dn: cn=Everyone,ou=people,$BASE
objectClass: inetOrgPerson
cn: Everyone
sn: Everyone
uid: ALL
userPassword: all-secret
LDIF
as admin pimctl assign --eligible "cn=Everyone,ou=people,$BASE" jit-sudo >/dev/null
refused 19 "a user whose uid is ALL may not activate a sudoRole role" "token" \
	pimctl -x -H "$URI" -D "cn=Everyone,ou=people,$BASE" -w all-secret \
	activate jit-sudo --duration 1h --reason "everyone"
check "sudoUser never holds ALL" "" "$(attr_values "$SUDO" sudoUser | grep -ix all)"

# --- the door: direct writes of memberUid ----------------------------------
refused 50 "demo writes memberUid on a PIM role" "only through PIM" \
	as demo ldapmodify <<LDIF
dn: $POSIX
changetype: modify
add: memberUid
memberUid: demo
LDIF
refused 19 "admin adds a memberUid nobody has" "no entry has this uid" \
	as admin ldapmodify <<LDIF
dn: $POSIX
changetype: modify
add: memberUid
memberUid: nosuchuser
LDIF
expect_rc 0 "admin adds memberUid: other (a permanent active assignment)" \
	as admin ldapmodify <<LDIF
dn: $POSIX
changetype: modify
add: memberUid
memberUid: other
LDIF
check "other is a member, through PIM" "TRUE $(u other)" \
	"$(is_member "$POSIX" other memberUid) $(attr_values "$POSIX" pimManagedMember)"
check "an active assignment backs it" 1 \
	"$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimState=active)(pimPrincipal=$(u other)))" dn | grep -c '^dn:')"
expect_rc 0 "admin deletes memberUid: other" \
	as admin ldapmodify <<LDIF
dn: $POSIX
changetype: modify
delete: memberUid
memberUid: other
LDIF
check "the value went" FALSE "$(is_member "$POSIX" other memberUid)"
check "and so did the assignment that backed it" 0 \
	"$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimState=active)(pimPrincipal=$(u other)))" dn | grep -c '^dn:')"
expect_rc 0 "admin deletes the static memberUid bob (no such user: it just goes)" \
	as admin ldapmodify <<LDIF
dn: $POSIX
changetype: modify
delete: memberUid
memberUid: bob
LDIF
check "bob gone: the role has no memberUid left" "" "$(attr_values "$POSIX" memberUid)"
pim_done
