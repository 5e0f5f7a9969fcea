#!/bin/bash
# Refused activation requests: each gets its precise result code and a
# diagnostic, and changes nothing in the directory.
. "$(dirname "$0")/lib.sh"
pim_setup refusals "pim-min-duration 1s"

ACTIVATE_OID=2.25.303586913736191762808327319970460715176.3.1



add_eligibility() {	# ID PRINCIPAL START END
	as admin ldapadd >/dev/null <<LDIF
dn: pimId=$1,$CONTAINER
objectClass: pimEligibility
pimId: $1
pimPrincipal: $2
pimRoleDN: $ROLE
pimStartTime: $3
${4:+pimEndTime: $4}
LDIF
}

refused 50 "not eligible" "not eligible for this role" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "no eligibility"

now=$(date +%s)
add_eligibility later "$OTHER" "$(gentime $((now + 3600)))" "" &&
	pass "an eligibility that starts in an hour" || fail "cannot add a future eligibility"
refused 50 "eligibility not started yet" "has not started" \
	as other pimctl activate "User Administrator" --duration 1h --reason "too early"

add_eligibility brief "$DEMO" "$(gentime $((now - 60)))" "$(gentime $((now + 2)))" &&
	pass "an eligibility that ends in two seconds" || fail "cannot add a short eligibility"
sleep 3
refused 50 "eligibility already ended" "has ended" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "too late"
as admin ldapdelete "pimId=brief,$CONTAINER" && pass "remove the ended eligibility" || fail "cannot remove it"

expect_rc 0 "demo made eligible" as admin pimctl assign --eligible demo "User Administrator"

refused 50 "activating for somebody else" "only the principal" \
	as demo pimctl activate "User Administrator" --for other --duration 1h --reason "for a colleague"
refused 19 "duration above the role's maximum (8h)" "requested duration 9h exceeds the role's maximum of 8h" \
	as demo pimctl activate "User Administrator" --duration 9h --reason "too long"
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimMaxDuration
pimMaxDuration: 2h30m
LDIF
[ $? = 0 ] && pass "admin sets a 2h30m maximum on the role" || fail "cannot set pimMaxDuration"
refused 19 "the diagnostic names the role's own maximum" "requested duration 3h exceeds the role's maximum of 2h30m" \
	as demo pimctl activate "User Administrator" --duration 3h --reason "too long"
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimMaxDuration
pimMaxDuration: 8h
LDIF
[ $? = 0 ] && pass "the 8h maximum again" || fail "cannot restore pimMaxDuration"
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimMinDuration
pimMinDuration: 15m
LDIF
[ $? = 0 ] && pass "admin sets a 15m minimum on the role" || fail "cannot set pimMinDuration"
refused 19 "duration below the role's minimum (15m)" "minimum|below|shorter" \
	as demo pimctl activate "User Administrator" --duration 1m --reason "too short"
refused 19 "missing justification" "justification" \
	as demo pimctl activate "User Administrator" --duration 1h
refused 19 "justification of 501 characters" "justification" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "$(printf 'x%.0s' $(seq 1 501))"
refused 8 "anonymous requester" "authenticat" \
	as anon pimctl activate "$ROLE" --duration 1h --reason "who am I"

# Malformed extended-operation values, sent raw with ldapexop.
# (ldapexop exits 1 on any error; the result code is in its message)
refused 1 "malformed request value (not BER)" "Protocol error \\(2\\).*|malformed" \
	as demo ldapexop "$ACTIVATE_OID:garbage"
refused 1 "request value missing" "missing" \
	as demo ldapexop "$ACTIVATE_OID"
# A valid SEQUENCE { role } followed by one byte of trailing garbage.
role_ber=$(python3 -c '
import base64,sys
dn=sys.argv[1].encode()
body=bytes([0x04,len(dn)])+dn
print(base64.b64encode(bytes([0x30,len(body)])+body+b"\x00").decode())' "$ROLE")
refused 1 "trailing data after the request" "trailing data" \
	as demo ldapexop "$ACTIVATE_OID::$role_ber"

# And the boundary cases that must pass: exactly 500 characters, each of
# them two bytes in UTF-8.
expect_rc 0 "a justification of 500 two-byte characters is accepted" \
	as demo pimctl activate "User Administrator" --duration 20m --reason "$(printf 'é%.0s' $(seq 1 500))"
pim_done
