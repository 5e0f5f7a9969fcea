#!/bin/bash
# RFC 2307bis roles: a groupOfNames with the auxiliary posixGroup is a
# member (DN) role; with pim-memberuid-sync PIM keeps memberUid in step:
# an activation gives the user's DN in member and uid in memberUid in
# one write, the end takes both, a uid change follows, read-time
# enforcement hides both, and nobody writes memberUid by hand.  Without
# the directive, memberUid stays the site's (an administrator's static
# values), and still only an administrator may write it.
. "$(dirname "$0")/lib.sh"
# RFC 2307bis makes posixGroup auxiliary; the rest of RFC 2307 as it is
BIS=$(mktemp "${TMPDIR:-/tmp}/rfc2307bis.XXXXXX.schema")
sed '/NAME .posixGroup./,/MAY/ s/SUP top STRUCTURAL/SUP top AUXILIARY/' \
	/etc/ldap/schema/nis.schema > "$BIS"
grep -q "SUP top AUXILIARY" "$BIS" || { pim_log "FAIL: no RFC 2307bis schema"; exit 99; }
PIM_NIS_SCHEMA=$BIS pim_setup rfc2307bis "pim-memberuid-sync on
pim-purge-delay 3s"
rm -f "$BIS"
ROLE="cn=unix-ops,ou=roles,$BASE"
OVL="olcOverlay={0}pim,olcDatabase={1}mdb,cn=config"
uids() { attr_values "$ROLE" memberUid | sort | paste -sd,; }
as manager ldapadd >/dev/null <<LDIF
dn: $ROLE
objectClass: groupOfNames
objectClass: posixGroup
objectClass: pimRole
cn: unix-ops
gidNumber: 7000
member: $CONTAINER
memberUid: staticuser
LDIF
as admin pimctl assign --eligible demo unix-ops >/dev/null
as admin pimctl assign --eligible other unix-ops >/dev/null

expect_rc 0 "demo activates the RFC 2307bis role" \
	as demo pimctl activate unix-ops --duration 1h --reason "disk"
check "member has demo's DN" TRUE "$(is_member "$ROLE" "$(u demo)")"
check "memberUid has demo's uid, beside the static one" "demo,staticuser" "$(uids)"
expect_rc 0 "other activates" as other pimctl activate unix-ops --duration 1h --reason "disk"
check "both uids" "demo,other,staticuser" "$(uids)"
expect_rc 0 "demo deactivates" as demo pimctl deactivate unix-ops
check "demo's DN and uid go together" "FALSE|other,staticuser" \
	"$(is_member "$ROLE" "$(u demo)")|$(uids)"

# the uid follows a change of it
expect_rc 0 "other's uid changes by a rename to uid=other2" \
	as manager ldapmodrdn -r "$(u other)" uid=other2
check "memberUid follows: other2" "other2,staticuser" "$(uids)"

# a uid the role holds already is never taken over by PIM
add_user staticuser
as admin pimctl assign --eligible staticuser unix-ops >/dev/null
refused 19 "a user whose uid is a static memberUid may not activate" "holds it already" \
	pimctl -x -H "$URI" -D "$(u staticuser)" -w staticuser-secret \
	activate unix-ops --duration 1h --reason "mine"
refused 19 "an active user renamed to a uid the role holds is refused" "holds the new uid already" \
	as manager ldapmodrdn -r "$(u other2)" uid=staticuser
check "the static memberUid stays" "other2,staticuser" "$(uids)"

# nobody writes memberUid of the role by hand: it follows member
refused 53 "an administrator's memberUid write is refused" "follows its member values" \
	as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: memberUid
memberUid: demo
LDIF
refused 50 "an ordinary user's memberUid write is refused" "only through PIM" \
	as demo ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: memberUid
memberUid: demo
LDIF

# read-time: once the activation ends, neither value is seen, before the purge
as demo pimctl activate unix-ops --duration 2s --reason "short" >/dev/null
check "demo's uid is there while it runs" "demo,other2,staticuser" "$(uids)"
ended() { [ "$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimPrincipal=$(u demo))(pimState=active))" 1.1 | grep -c '^dn:')" = 0 ] ||
	[ "$(date -u +%Y%m%d%H%M%SZ)" \> "$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimPrincipal=$(u demo))(pimState=active))" pimEndTime | sed -n 's/^pimEndTime: //p')" ]; }
wait_for 5 ended
check "ended, before the purge: stored, memberUid still has demo" "demo,other2,staticuser" "$(uids)"
check "but a user's search sees no demo in memberUid" "" \
	"$(as admin ldapsearch -LLL -b "$ROLE" -s base "(memberUid=demo)" dn | grep '^dn:')"
check "nor in the role's memberUid values" "other2,staticuser" \
	"$(as admin ldapsearch -LLL -o ldif-wrap=no -b "$ROLE" -s base memberUid | sed -n 's/^memberUid: //p' | sort | paste -sd,)"
check "nor a compare" "FALSE" \
	"$(as admin ldapcompare "$ROLE" memberUid:demo >/dev/null 2>&1; case $? in 6) echo TRUE ;; 5) echo FALSE ;; *) echo ERROR ;; esac)"
purged() { [ "$(is_member "$ROLE" "$(u demo)")" = FALSE ] && ! attr_values "$ROLE" memberUid | grep -qx demo; }
wait_for 10 purged
check "the purge took both values" "FALSE|other2,staticuser" \
	"$(is_member "$ROLE" "$(u demo)")|$(uids)"

# without the directive memberUid is the site's again
expect_rc 0 "cn=config turns pim-memberuid-sync off" \
	as config ldapmodify <<LDIF
dn: $OVL
changetype: modify
delete: olcPimMemberUidSync
LDIF
expect_rc 0 "an administrator may now add a static memberUid" \
	as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: memberUid
memberUid: carol
LDIF
refused 50 "an ordinary user still may not" "only through PIM" \
	as demo ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: memberUid
memberUid: demo
LDIF
expect_rc 0 "demo activates" as demo pimctl activate unix-ops --duration 1h --reason "again"
check "member only: memberUid is not PIM's now" "carol,other2,staticuser" "$(uids)"
pim_done
