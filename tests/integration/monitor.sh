#!/bin/bash
# cn=Monitor: with a monitor database, each pim instance publishes its
# figures under its overlay entry (cn=Overlay N,cn=Database M,
# cn=Databases,cn=Monitor): active activations, pending requests, the
# timer's queue and next event, the last reconciliation, the audit head,
# open alerts, refusals by action and by result code, MFA lockouts.  The
# counters move with what users do; the monitor's ACL keeps ordinary
# users out; without a monitor database nothing is published.
. "$(dirname "$0")/lib.sh"
MFA=0
[ -f /usr/lib/ldap/otp.la ] && command -v python3 >/dev/null && MFA=1
[ $MFA = 1 ] && PIM_EXTRA_MODULES="otp.la"
pim_setup monitor "pim-min-duration 1s
pim-mfa-max-failures 2
pim-mfa-failure-window 1m
pim-mfa-lockout 3s"

# --- without a monitor database: nothing said, nothing published ----------
grep -qi "cn=monitor" "$T/slapd.log" && fail "slapd's log mentions cn=Monitor without a monitor database" ||
	pass "without a monitor database the overlay says nothing about cn=Monitor"

# --- a monitor database, before the main one --------------------------------
cat > "$T/monitor.conf" <<CONF
database	monitor
access to dn.subtree="cn=Monitor"
	by dn.exact="$ADMIN" read
	by dn.exact="$MANAGER" read
	by * none

CONF
pim_reconfigure "" "$T/monitor.conf"

# mon FIGURE ATTR: the values of ATTR on the figure's entry, read by admin
PIM_ENTRY=""
find_entry() {
	PIM_ENTRY=$(as admin ldapsearch -LLL -o ldif-wrap=no -b "cn=Databases,cn=Monitor" \
		"(&(objectClass=monitoredObject)(monitoredInfo=pim))" 1.1 |
		sed -n 's/^dn: \(cn=Overlay .*\)/\1/p')
	[ -n "$PIM_ENTRY" ]
}
mon() {
	as admin ldapsearch -LLL -o ldif-wrap=no -b "cn=$1,$PIM_ENTRY" -s base \
		"(objectClass=*)" "$2" | sed -n "s/^$2: //Ip"
}
counter() { mon "$1" monitorCounter; }

wait_for 5 find_entry && pass "the pim overlay's monitor entry: $PIM_ENTRY" ||
	fail "no monitor entry with monitoredInfo pim"
OUT=$(as admin ldapsearch -LLL -o ldif-wrap=no -b "$PIM_ENTRY" -s one "(objectClass=*)" 1.1 | sed -n 's/^dn: cn=\([^,]*\),.*/\1/p' | sort | tr '\n' '|')
check "the figures under it" "Activations|Alerts|Audit|MFA Lockouts|Reconciliation|Refusals|Requests|Timer|" "$OUT"

recon_done() { mon Reconciliation monitoredInfo | grep -q '^success'; }
wait_for 5 recon_done && pass "the reconciliation ran: $(mon Reconciliation monitoredInfo)" ||
	fail "reconciliation: $(mon Reconciliation monitoredInfo)"
[ -n "$(mon Reconciliation monitorTimestamp)" ] && pass "its time: $(mon Reconciliation monitorTimestamp)" ||
	fail "no reconciliation time"
check "active activations at the start" 0 "$(counter Activations)"
check "pending requests at the start" 0 "$(counter Requests)"
check "refusals at the start" 0 "$(counter Refusals)"
check "MFA lockouts at the start" 0 "$(counter 'MFA Lockouts')"
check "open alerts at the start" 0 "$(counter Alerts)"
head0=$(counter Audit)
[ -n "$head0" ] && pass "the audit head: $head0" || fail "no audit head"
timer0=$(counter Timer)

# --- an activation --------------------------------------------------------
expect_rc 0 "demo made eligible" as admin pimctl assign --eligible demo "User Administrator"
expect_rc 0 "demo activates for an hour" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "monitor test"
check "active activations after it" 1 "$(counter Activations)"
[ "$(counter Timer)" -gt "$timer0" ] && pass "the timer queue grew: $timer0 -> $(counter Timer)" ||
	fail "the timer queue: $timer0 -> $(counter Timer)"
next=$(gt_epoch "$(mon Timer monitorTimestamp)")
[ "$next" -gt "$(date +%s)" ] && [ "$next" -le $(( $(date +%s) + 3600 )) ] &&
	pass "the next timer event is within the hour: $(mon Timer monitorTimestamp)" ||
	fail "the next timer event: $(mon Timer monitorTimestamp)"
[ "$(counter Audit)" -gt "$head0" ] && pass "the audit head moved: $head0 -> $(counter Audit)" ||
	fail "the audit head: $head0 -> $(counter Audit)"

# --- a request that needs approval -----------------------------------------
as admin ldapadd >/dev/null <<LDIF
dn: cn=Approved Role,ou=roles,$BASE
objectClass: groupOfNames
objectClass: pimRole
cn: Approved Role
member: $CONTAINER
pimApprovalRequired: TRUE
pimApprover: $ADMIN
LDIF
[ $? = 0 ] && pass "a role that needs approval" || fail "cannot add the approval role"
expect_rc 0 "demo made eligible for it" as admin pimctl assign --eligible demo "Approved Role"
expect_rc 0 "demo asks for it" \
	as demo pimctl activate "Approved Role" --duration 1h --reason "needs approval"
check "pending requests after it" 1 "$(counter Requests)"
check "active activations unchanged" 1 "$(counter Activations)"

# --- refusals --------------------------------------------------------------
refused 19 "an activation above the maximum" "maximum" \
	as demo pimctl activate "User Administrator" --duration 9h --reason "too long"
check "refusals after it" 1 "$(counter Refusals)"
OUT=$(mon Refusals monitoredInfo)
expect_out "^action activate 1$" "counted by action"
expect_out "^result 19 Constraint violation 1$" "counted by result code"
refused 50 "other activates without eligibility" "not eligible" \
	as other pimctl activate "User Administrator" --duration 1h --reason "not eligible"
check "refusals after a second one" 2 "$(counter Refusals)"
OUT=$(mon Refusals monitoredInfo)
expect_out "^action activate 2$" "two refused activations"
expect_out "^result 50 Insufficient access 1$" "one insufficientAccess"
expect_rc 50 "other writes the role's member directly" \
	as other ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: member
member: $OTHER
LDIF
OUT=$(mon Refusals monitoredInfo)
expect_out "^action write 1$" "a refused plain write counts as a write"

# --- a deactivation -------------------------------------------------------
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"
check "active activations after it" 0 "$(counter Activations)"

# --- MFA lockout ------------------------------------------------------------
if [ $MFA = 1 ]; then
	OTP="ou=otp,$BASE"
	as manager ldapadd >/dev/null <<LDIF
dn: $OTP
objectClass: organizationalUnit
ou: otp

dn: cn=p,$OTP
objectClass: device
objectClass: oathTOTPParams
cn: p
oathOTPLength: 6
oathHMACAlgorithm: 1.2.840.113549.2.7
oathTOTPTimeStepPeriod: 30
oathTOTPTimeStepWindow: 1

dn: cn=totp-other,$OTP
objectClass: device
objectClass: oathTOTPToken
cn: totp-other
oathSecret:: MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=
oathTOTPParams: cn=p,$OTP
LDIF
	[ $? = 0 ] || fail "cannot add the token"
	as manager ldapmodify >/dev/null <<LDIF
dn: $OTHER
changetype: modify
add: objectClass
objectClass: oathTOTPUser
-
add: oathTOTPToken
oathTOTPToken: cn=totp-other,$OTP

dn: cn=Approved Role,ou=roles,$BASE
changetype: modify
replace: pimApprovalRequired
pimApprovalRequired: FALSE
-
replace: pimMFARequired
pimMFARequired: TRUE
LDIF
	[ $? = 0 ] && pass "other has a token; the second role needs MFA" || fail "cannot set MFA up"
	expect_rc 0 "other made eligible for it" as admin pimctl assign --eligible other "Approved Role"
	# two codes that no step near now has, for the token's secret
	wrong=$(python3 - <<'PY'
import hashlib, hmac, struct, time
key, t = b"12345678901234567890", int(time.time()) // 30
def code(s):
    d = hmac.new(key, struct.pack(">Q", s), hashlib.sha1).digest()
    o = d[-1] & 15
    return "%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7fffffff) % 10**6)
near = {code(s) for s in range(t - 12, t + 13)}
print(" ".join([c for c in ("000000", "111111", "424242", "987654") if c not in near][:2]))
PY
)
	for code in $wrong; do
		as other pimctl activate "Approved Role" --duration 1h --reason mfa \
			--otp "$code" </dev/null >/dev/null 2>&1
	done
	check "MFA lockouts after two wrong codes" 1 "$(counter 'MFA Lockouts')"
	OUT=$(mon Refusals monitoredInfo)
	expect_out "^result 49 Invalid credentials 2$" "wrong codes counted as invalidCredentials"
else
	skip "MFA lockout (no otp.la or python3)"
fi

# --- alerts: a refused role write raises one (role-write, 0 allowed) ----------
alerts=$(counter Alerts)
[ "$alerts" -ge 1 ] && pass "open alerts: $alerts (the refused role write)" ||
	fail "open alerts: $alerts"
seq=$(as admin ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(pimAuditEvent=alert)" pimAuditSeq |
	sed -n 's/^pimAuditSeq: //p' | head -1)
expect_rc 0 "admin dismisses alert $seq" as admin pimctl alerts dismiss "$seq" --reason "seen"
check "open alerts after the dismissal" $((alerts - 1)) "$(counter Alerts)"

# --- who may read ------------------------------------------------------------
OUT=$(as demo ldapsearch -LLL -b "cn=Monitor" "(objectClass=*)" 1.1 2>&1)
[ -z "$(printf '%s\n' "$OUT" | grep '^dn:')" ] && pass "an ordinary user sees nothing under cn=Monitor" ||
	fail "demo reads cn=Monitor: $OUT"
OUT=$(as demo ldapsearch -LLL -b "cn=Activations,$PIM_ENTRY" -s base "(objectClass=*)" monitorCounter 2>&1)
printf '%s\n' "$OUT" | grep -qi "monitorCounter" && fail "demo reads the counter" ||
	pass "an ordinary user cannot read the counter"

# --- the monitor database after the main one: the same entries ---------------
cat > "$T/monitor-after.conf" <<CONF

database	monitor
access to dn.subtree="cn=Monitor"
	by dn.exact="$ADMIN" read
	by * none
CONF
# take the first monitor database out; the new one goes after the overlay
awk '/^database[ \t]+monitor/ { skip = 1 } /^database[ \t]+mdb/ { skip = 0 }
	!skip' "$T/slapd.conf" > "$T/slapd.conf.tmp" && mv "$T/slapd.conf.tmp" "$T/slapd.conf"
pim_reconfigure "" "" "$(cat "$T/monitor-after.conf")"
check "one monitor database, after the main one" "mdb monitor " \
	"$(sed -n 's/^database[ \t]*\(mdb\|monitor\)$/\1/p' "$T/slapd.conf" | tr '\n' ' ')"
wait_for 5 find_entry && pass "with the monitor database last: $PIM_ENTRY" ||
	fail "with the monitor database last: no pim entry"
wait_for 5 recon_done && pass "its reconciliation figure: $(mon Reconciliation monitoredInfo)" ||
	fail "with the monitor database last: reconciliation $(mon Reconciliation monitoredInfo)"
check "refusals start again at 0" 0 "$(counter Refusals)"
check "the pending request is still counted (from the directory)" 1 "$(counter Requests)"

pim_done
