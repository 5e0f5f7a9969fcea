#!/bin/bash
# Emergency roles (pimEmergency): activated without approval, even where
# the role asks for one, with a justification of at least
# pim-emergency-justification-min characters (20 by default), and every
# activation or extension raises an "emergency" event and an alert,
# logged at the highest level.  Without pimEmergency the same role waits
# for approval again.
. "$(dirname "$0")/lib.sh"
pim_setup emergency
ROLE="cn=Break Glass,ou=roles,$BASE"
OVL="olcOverlay={0}pim,olcDatabase={1}mdb,cn=config"
LONG="the primary database is down and paging is broken"
as manager ldapadd >/dev/null <<LDIF
dn: $ROLE
objectClass: groupOfNames
objectClass: pimRole
cn: Break Glass
member: $CONTAINER
pimMaxDuration: 2h
pimApprovalRequired: TRUE
pimApprover: uid=admin,ou=people,$BASE
pimEmergency: TRUE
LDIF
as admin pimctl assign --eligible demo "Break Glass" >/dev/null
as admin pimctl assign --eligible demo "User Administrator" >/dev/null
events() {	# EVENT: how many audit records of EVENT name the role
	as admin pimctl audit --json | python3 -c "import json, sys
print(sum(1 for r in json.load(sys.stdin) if r.get('event') == sys.argv[1]
	and (r.get('role') or '').lower().startswith('cn=break glass')))" "$1"
}

expect_rc 0 "policy show names the setting" as admin pimctl policy show "Break Glass"
expect_out "^  emergency +pimEmergency +TRUE" "policy show: emergency TRUE"
refused 19 "a short justification is refused" "longer justification" \
	as demo pimctl activate "Break Glass" --duration 1h --reason "db down"
expect_rc 0 "demo activates the emergency role with a full justification" \
	as demo pimctl activate "Break Glass" --duration 1h --reason "$LONG"
expect_out "^activated " "no approval: the activation is active at once"
check "demo is a member" TRUE "$(is_member "$ROLE" "uid=demo,ou=people,$BASE")"
check "one emergency event" 1 "$(events emergency)"
check "and one alert" 1 "$(events alert)"
expect_rc 0 "pimctl alerts lists it" as admin pimctl alerts
expect_out "emergency" "alerts: the emergency alert"
check "the slapd log has it at the highest level" 1 \
	"$(grep -c 'pim: WARNING: emergency ' "$T/slapd.log")"
refused 19 "an extension with a short justification is refused too" "longer justification" \
	as demo pimctl extend "Break Glass" --duration 2h --reason "x"
expect_rc 0 "demo extends it, again without approval" \
	as demo pimctl extend "Break Glass" --duration 2h --reason "$LONG, still"
check "the extension raised another alert" 2 "$(events alert)"
expect_rc 0 "demo deactivates" as demo pimctl deactivate "Break Glass"

# the minimum is the overlay's to set
expect_rc 0 "cn=config sets pim-emergency-justification-min to 60" \
	as config ldapmodify <<LDIF
dn: $OVL
changetype: modify
replace: olcPimEmergencyJustificationMin
olcPimEmergencyJustificationMin: 60
LDIF
refused 19 "a 49-character justification is now too short" "longer justification" \
	as demo pimctl activate "Break Glass" --duration 1h --reason "$LONG"
refused 80 "cn=config refuses a negative minimum" "0 to" \
	as config ldapmodify <<LDIF
dn: $OVL
changetype: modify
replace: olcPimEmergencyJustificationMin
olcPimEmergencyJustificationMin: -1
LDIF

# an ordinary role raises nothing
expect_rc 0 "demo activates User Administrator" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "users"
check "no emergency event for it" 0 "$(as admin pimctl audit --json | python3 -c "import json, sys
print(sum(1 for r in json.load(sys.stdin) if r.get('event') == 'emergency' and (r.get('role') or '').lower().startswith('cn=user administrator')))")"

# without pimEmergency the role's approval applies again
expect_rc 0 "admin turns emergency off" as admin pimctl policy set "Break Glass" emergency=default
expect_rc 0 "demo asks for Break Glass" \
	as demo pimctl activate "Break Glass" --duration 1h --reason "$LONG"
expect_out "pending" "it waits for approval"
refused 50 "an ordinary user may not mark a role for emergency" "" \
	as demo ldapmodify <<LDIF
dn: $ROLE
changetype: modify
replace: pimEmergency
pimEmergency: TRUE
LDIF
pim_done
