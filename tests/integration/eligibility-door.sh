#!/bin/bash
# Door 2: plain LDAP writes of PIM entries and PIM roles.
#
# An administrator's ldapadd of a pimEligibility entry is validated and
# stamped exactly as the assign extended operation would; activation
# entries are written only through the engine's checks (the workflow's
# own door-2 test covers what succeeds); an eligibility's principal and role
# never change; its ldapdelete revokes the activations it allowed; a PIM
# role's membership and policy are guarded; PIM entries and roles are not
# renamed.  Every refusal has its result code, a diagnostic, and leaves
# the directory as it was.
. "$(dirname "$0")/lib.sh"
pim_setup eligibility-door

PLAIN="cn=Plain Group,ou=roles,$BASE"
NOW=$(date +%s)
PAST=$(gentime $((NOW - 3600)))
SOON=$(gentime $((NOW + 3600)))
LATER=$(gentime $((NOW + 7200)))

# elig_ldif FILE ID PRINCIPAL ROLE [LINE...]: an eligibility entry's LDIF
elig_ldif() {
	local f=$1 id=$2 principal=$3 role=$4
	shift 4
	{
		printf 'dn: pimId=%s,%s\nobjectClass: pimEligibility\npimId: %s\n' "$id" "$CONTAINER" "$id"
		[ -n "$principal" ] && printf 'pimPrincipal: %s\n' "$principal"
		[ -n "$role" ] && printf 'pimRoleDN: %s\n' "$role"
		[ $# -gt 0 ] && printf '%s\n' "$@"
	} > "$f"
}
# add_elig WHO ID PRINCIPAL ROLE [LINE...]
add_elig() {
	local who=$1
	shift
	elig_ldif "$T/elig.ldif" "$@"
	as "$who" ldapadd -f "$T/elig.ldif"
}
# modify WHO DN LINE...: one ldapmodify ("-" separates modifications)
modify() {
	local who=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$T/mod.ldif"
	as "$who" ldapmodify -f "$T/mod.ldif"
}
entry_exists() { as manager ldapsearch -LLL -b "$1" -s base 1.1 2>/dev/null | grep -q '^dn:'; }
active_activation() {	# PRINCIPAL: the DN of its active activation of ROLE
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$1)(pimState=active))" 1.1 |
		sed -n 's/^dn: //p' | head -1
}

# A group that is not a PIM role (the manager adds it: no PIM rules apply).
as manager ldapadd >/dev/null <<LDIF
dn: $PLAIN
objectClass: groupOfNames
cn: Plain Group
member: $CONTAINER
LDIF
[ $? = 0 ] && pass "manager adds a group that is not a PIM role" || fail "cannot add the plain group"

# --- 1. an administrator's ldapadd of an eligibility -------------------

ELIG="pimId=demo-ua,$CONTAINER"
expect_rc 0 "admin ldapadds an eligibility for demo (claiming pimAssignedBy: other)" \
	add_elig admin demo-ua "$DEMO" "$ROLE" "pimStartTime: $PAST" "pimJustification: door 2" \
	"pimAssignedBy: $OTHER"
[ "$(lc "$(attr_values "$ELIG" pimAssignedBy)")" = "$(lc "$ADMIN")" ] &&
	pass "pimAssignedBy is the admin's DN, whatever the LDIF said" ||
	fail "pimAssignedBy is [$(attr_values "$ELIG" pimAssignedBy)], expected the admin"
[ "$(attr_values "$ELIG" pimAssignedBy | wc -l)" = 1 ] && pass "exactly one pimAssignedBy value" ||
	fail "pimAssignedBy has $(attr_values "$ELIG" pimAssignedBy | wc -l) values"
[ "$(can_create_user demo door1)" = 50 ] && pass "eligible but not active: demo cannot create users" ||
	fail "an eligibility alone granted privilege"
expect_rc 0 "demo activates with pimctl under the ldapadded eligibility" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "door 2 eligibility"
[ "$(can_create_user demo door2)" = 0 ] && pass "active: demo creates a user" ||
	fail "active but demo cannot create a user"
[ "$(lc "$(attr_values "$(active_activation "$DEMO")" pimEligibilityRef)")" = "$(lc "$ELIG")" ] &&
	pass "the activation refers to the ldapadded eligibility" ||
	fail "pimEligibilityRef is not $ELIG"

# --- 2. refused eligibility adds -------------------------------------

refused 50 "demo (not an administrator) adds an eligibility for themselves" "only PIM administrators" \
	add_elig demo demo-self "$DEMO" "$ROLE"
refused 50 "other (not an administrator) adds an eligibility" "only PIM administrators" \
	add_elig other other-self "$OTHER" "$ROLE"
refused 19 "role that does not exist" "no such role" \
	add_elig admin e-norole "$OTHER" "cn=No Such Role,ou=roles,$BASE"
refused 19 "role that is a group without pimRole" "not a PIM role" \
	add_elig admin e-plain "$OTHER" "$PLAIN"
refused 19 "principal that does not exist" "pimPrincipal" \
	add_elig admin e-noprincipal "uid=nobody,ou=people,$BASE" "$ROLE"
refused 19 "start equal to end" "before|[Ss]tart" \
	add_elig admin e-equal "$OTHER" "$ROLE" "pimStartTime: $SOON" "pimEndTime: $SOON"
refused 19 "start after end" "before|[Ss]tart" \
	add_elig admin e-reversed "$OTHER" "$ROLE" "pimStartTime: $LATER" "pimEndTime: $SOON"
refused 19 "end in the past" "future|past" \
	add_elig admin e-past "$OTHER" "$ROLE" "pimEndTime: $PAST"
refused 21 "malformed pimEndTime (banana)" "pimEndTime|syntax" \
	add_elig admin e-banana "$OTHER" "$ROLE" "pimEndTime: banana"
# A time zone offset is valid GeneralizedTime syntax, but PIM's times
# are UTC ("Z"): the overlay refuses rather than store a time it cannot read.
refused 21 "pimStartTime with a time zone offset" "GeneralizedTime|YYYYMMDDHHMMSSZ" \
	add_elig admin e-offset "$OTHER" "$ROLE" "pimStartTime: 20300101000000+0100"
refused 68 "a second eligibility for the same principal and role" "already eligible" \
	add_elig admin demo-ua-2 "$DEMO" "$ROLE"
refused 68 "the same, with the principal spelled differently" "already eligible" \
	add_elig admin demo-ua-3 "UID=Demo,OU=People,DC=Example,DC=Com" "$ROLE"
refused 65 "an eligibility without pimRoleDN" "pimRoleDN|object class" \
	add_elig admin e-norole-attr "$OTHER" ""
# An eligibility elsewhere than the PIM container would never be found.
{ printf 'dn: pimId=stray,ou=people,%s\nobjectClass: pimEligibility\npimId: stray\n' "$BASE"
  printf 'pimPrincipal: %s\npimRoleDN: %s\n' "$OTHER" "$ROLE"; } > "$T/stray.ldif"
refused 53 "an eligibility outside the PIM container" "container" as admin ldapadd -f "$T/stray.ldif"

# --- 3. the rootdn may assign too --------------------------------------

ELIG2="pimId=other-ua,$CONTAINER"
expect_rc 0 "the manager (rootdn) ldapadds an eligibility for other" \
	add_elig manager other-ua "$OTHER" "$ROLE" "pimEndTime: $LATER"
[ "$(lc "$(attr_values "$ELIG2" pimAssignedBy)")" = "$(lc "$MANAGER")" ] &&
	pass "pimAssignedBy is the manager's DN" || fail "pimAssignedBy is not the manager"

# --- 4. activation entries go through the engine's checks --------------

act_ldif() {	# ID PRINCIPAL [EXTRA LINE]
	printf 'dn: pimId=%s,%s\nobjectClass: pimActivation\npimId: %s\n' "$1" "$CONTAINER" "$1"
	printf 'pimPrincipal: %s\npimRoleDN: %s\npimState: active\n' "$2" "$ROLE"
	[ -n "${3:-}" ] && printf '%s\n' "$3"
	return 0
}
act_ldif forged "$DEMO" "pimEndTime: $SOON" > "$T/act.ldif"
refused 19 "demo ldapadds their own activation without a justification" \
	"justification" as demo ldapadd -f "$T/act.ldif"
act_ldif forged "$OTHER" "pimJustification: for a colleague" > "$T/act.ldif"
refused 50 "demo ldapadds an activation for other" "only the principal" \
	as demo ldapadd -f "$T/act.ldif"
act_ldif forged "$DEMO" > "$T/act.ldif"
for who in admin manager; do
	refused 19 "$who ldapadds a permanent activation for demo" "permanent" \
		as "$who" ldapadd -f "$T/act.ldif"
done
act_ldif 'bad id!' "$DEMO" "pimJustification: x" > "$T/act.ldif"
refused 19 "an activation whose pimId is not a plain identifier" "pimId" \
	as demo ldapadd -f "$T/act.ldif" 2>/dev/null
ACT=$(active_activation "$DEMO")
[ -n "$ACT" ] && pass "demo's activation entry: $ACT" || fail "no active activation for demo"
refused 53 "demo sets pimState: expired on their activation" "PIM makes this change itself" \
	modify demo "$ACT" "replace: pimState" "pimState: expired"
refused 53 "admin sets pimState: expired on demo's activation" "PIM makes this change itself" \
	modify admin "$ACT" "replace: pimState" "pimState: expired"
refused 50 "admin extends demo's activation by rewriting pimEndTime" "only the principal" \
	modify admin "$ACT" "replace: pimEndTime" "pimEndTime: $LATER"
[ "$(can_create_user demo door3)" = 0 ] && pass "after the refused writes demo is still active" ||
	fail "demo lost the activation"

# --- 5. changing an eligibility -----------------------------------------

refused 50 "demo changes their own eligibility's end" "only PIM administrators" \
	modify demo "$ELIG" "add: pimEndTime" "pimEndTime: $LATER"
refused 50 "other changes their own eligibility's end" "only PIM administrators" \
	modify other "$ELIG2" "replace: pimEndTime" "pimEndTime: $(gentime $((NOW + 86400)))"
refused 53 "admin changes an eligibility's pimPrincipal" "cannot change" \
	modify admin "$ELIG" "replace: pimPrincipal" "pimPrincipal: $OTHER"
refused 53 "admin changes an eligibility's pimRoleDN" "cannot change" \
	modify admin "$ELIG2" "replace: pimRoleDN" "pimRoleDN: $PLAIN"
expect_rc 0 "admin changes an eligibility's justification" \
	modify admin "$ELIG2" "replace: pimJustification" "pimJustification: on call"
# An activation never outlives its eligibility, also when the eligibility
# is shortened afterwards: the activation ends no later than the new end.
expect_rc 0 "other activates for 1h under an eligibility ending in 2h" \
	as other pimctl activate "User Administrator" --duration 1h --reason "shortened later"
OACT=$(active_activation "$OTHER")
NEWEND=$(gentime $((NOW + 1800)))
expect_rc 0 "admin shortens other's eligibility to end in 30m" \
	modify admin "$ELIG2" "replace: pimEndTime" "pimEndTime: $NEWEND"
oend=$(attr_values "$OACT" pimEndTime); ostate=$(attr_values "$OACT" pimState)
if [ "$ostate" != active ] || [ "${oend%Z}" -le "${NEWEND%Z}" ]; then
	pass "the activation no longer outlives the shortened eligibility (state $ostate, end $oend)"
else
	fail "the activation (state $ostate) still ends at $oend, after its eligibility's new end $NEWEND"
fi
as other pimctl deactivate "User Administrator" >/dev/null 2>&1
refused 19 "admin rewrites an eligibility's pimAssignedBy" "pimAssignedBy" \
	modify admin "$ELIG2" "replace: pimAssignedBy" "pimAssignedBy: $ADMIN"
# The add's time rules hold for a modify too (one engine, both doors).
refused 19 "admin sets an eligibility's end before its start" "before|[Ss]tart" \
	modify admin "$ELIG2" "replace: pimStartTime" "pimStartTime: $LATER" "-" \
	"replace: pimEndTime" "pimEndTime: $SOON"
refused 21 "admin sets an eligibility's end with a time zone offset" "GeneralizedTime|YYYYMMDDHHMMSSZ" \
	modify admin "$ELIG2" "replace: pimEndTime" "pimEndTime: 20300101000000+0100"

# --- 6. deleting an eligibility revokes its activations -----------------

refused 50 "demo ldapdeletes their own eligibility" "only PIM administrators" as demo ldapdelete "$ELIG"
refused 50 "demo ldapdeletes other's eligibility" "only PIM administrators" as demo ldapdelete "$ELIG2"
refused 50 "demo ldapdeletes their activation record" "only PIM administrators" as demo ldapdelete "$ACT"
# A PIM administrator whom the ACLs do not let write the container: the
# backend refuses the delete, so nothing may be revoked either.
CFG=$(as config ldapsearch -LLL -o ldif-wrap=no -b cn=config '(objectClass=olcPimConfig)' 1.1 | sed -n 's/^dn: //p')
olc_admin() {	# add|delete DN
	printf 'dn: %s\nchangetype: modify\n%s: olcPimAdmin\nolcPimAdmin: %s\n' "$CFG" "$1" "$2" |
		as config ldapmodify >/dev/null
}
olc_admin add "$OTHER" && pass "other made a PIM administrator (olcPimAdmin)" || fail "cannot add olcPimAdmin"
refused 50 "other (PIM admin, no write access to the container) ldapdeletes demo's eligibility" \
	"Insufficient access" as other ldapdelete "$ELIG"
[ "$(can_create_user demo door3b)" = 0 ] && pass "the refused delete revoked nothing: demo is still active" ||
	fail "a delete the backend refused still revoked demo's activation"
olc_admin delete "$OTHER" && pass "other is no PIM administrator again" || fail "cannot delete olcPimAdmin"
[ "$(is_member "$ROLE" "$DEMO")" = TRUE ] && pass "before the delete demo is a member" || fail "demo is not a member"
expect_rc 0 "admin ldapdeletes demo's eligibility while demo is active" as admin ldapdelete "$ELIG"
entry_exists "$ELIG" && fail "the eligibility entry is still there" || pass "the eligibility entry is gone"
[ "$(can_create_user demo door4)" = 50 ] && pass "demo can no longer create users" ||
	fail "demo kept the privilege after the eligibility was deleted"
[ "$(attr_values "$ACT" pimState)" = revoked ] && pass "the activation entry says pimState: revoked" ||
	fail "activation state is [$(attr_values "$ACT" pimState)], expected revoked"
[ "$(lc "$(attr_values "$ACT" pimEndedBy)")" = "$(lc "$ADMIN")" ] && pass "pimEndedBy is the admin" ||
	fail "pimEndedBy is [$(attr_values "$ACT" pimEndedBy)]"
[ "$(is_member "$ROLE" "$DEMO")" = FALSE ] && pass "demo's member value is gone" || fail "demo's member value is left"
[ -z "$(attr_values "$DEMO" memberOf)" ] && pass "demo's memberOf value is gone" || fail "memberOf left on demo"
[ -z "$(attr_values "$ROLE" pimManagedMember)" ] && pass "no provenance left on the role" ||
	fail "pimManagedMember left on the role"
refused 50 "demo activates after the eligibility was deleted" "not eligible" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "again"

# --- 7. the role's membership and policy -----------------------------------

for who in demo other; do
	refused 50 "$who adds a member value to the role" "the membership of a PIM role changes only through PIM" \
		modify "$who" "$ROLE" "add: member" "member: $(eval echo \$$(echo "$who" | tr a-z A-Z))"
done
refused 50 "demo deletes the placeholder member value" "the membership of a PIM role changes only through PIM" \
	modify demo "$ROLE" "delete: member" "member: $CONTAINER"
for who in demo admin manager; do
	refused 19 "$who writes pimManagedMember" "pimManagedMember is maintained by PIM" \
		modify "$who" "$ROLE" "add: pimManagedMember" "pimManagedMember: $DEMO"
done
refused 50 "demo changes the role's pimMaxDuration" "only PIM administrators may change a role's policy" \
	modify demo "$ROLE" "replace: pimMaxDuration" "pimMaxDuration: 24h"
refused 50 "other removes the pimRole class" "only PIM administrators may change a role's policy" \
	modify other "$ROLE" "delete: objectClass" "objectClass: pimRole"
refused 19 "admin sets pimMaxDuration: banana" "pimMaxDuration" \
	modify admin "$ROLE" "replace: pimMaxDuration" "pimMaxDuration: banana"
refused 19 "admin sets pimMinDuration 9h above pimMaxDuration 8h" "minimum" \
	modify admin "$ROLE" "replace: pimMinDuration" "pimMinDuration: 9h"
refused 19 "admin sets pimMaxDuration 10m below a new pimMinDuration 15m" "minimum" \
	modify admin "$ROLE" "replace: pimMinDuration" "pimMinDuration: 15m" "-" \
	"replace: pimMaxDuration" "pimMaxDuration: 10m"
expect_rc 0 "admin sets pimMaxDuration 4h" modify admin "$ROLE" "replace: pimMaxDuration" "pimMaxDuration: 4h"
[ "$(attr_values "$ROLE" pimMaxDuration)" = 4h ] && pass "the role's pimMaxDuration is 4h" ||
	fail "pimMaxDuration is [$(attr_values "$ROLE" pimMaxDuration)]"

# --- 8. no renames, and no role deleted from under its eligibility ------

refused 53 "manager ldapdeletes the role while other is eligible for it" "eligibility" \
	as manager ldapdelete "$ROLE"

refused 53 "admin renames the role" "cannot be renamed" \
	as admin ldapmodrdn "$ROLE" "cn=Account Administrator"
refused 53 "manager renames the role" "cannot be renamed" \
	as manager ldapmodrdn "$ROLE" "cn=Account Administrator"
refused 53 "admin renames an eligibility" "cannot be renamed" \
	as admin ldapmodrdn "$ELIG2" "pimId=renamed"
refused 53 "manager renames an activation record" "cannot be renamed" \
	as manager ldapmodrdn "$ACT" "pimId=renamed"
expect_rc 0 "renaming an ordinary group still works" as manager ldapmodrdn -r "$PLAIN" "cn=Plainer Group"

pim_done
