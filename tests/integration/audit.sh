#!/bin/bash
# The audit trail, its alerts and live notifications (slapo-pim(5) AUDIT,
# pimctl(1) audit, alerts, watch):
#  - every event type is recorded with its fields, in one hash chain
#    that "pimctl audit verify" finds intact;
#  - nobody writes, deletes or renames in the trail through LDAP, the
#    administrator and the rootdn included, and each attempt is recorded;
#  - each alert fires at its threshold and not one below; dismissal;
#    the scans of "pimctl alerts";
#  - "pimctl watch --exec" gets an event within a second, and across a
#    restart of slapd gets each event exactly once;
#  - a record changed offline (slapcat, edit, slapadd) is found and
#    named; retention removes old records and the chain still verifies;
#    a record removed offline is named too.
. "$(dirname "$0")/lib.sh"
# the otp overlay's schema, for the wrong one-time codes of part 4
[ -f /usr/lib/ldap/otp.la ] || { pim_log "SKIP: no otp.la"; exit 77; }
command -v python3 >/dev/null || { pim_log "SKIP: no python3"; exit 77; }
PIM_EXTRA_MODULES="otp.la"
pim_setup audit "pim-alert-activations 2
pim-alert-activations-window 1h
pim-alert-role-writes 1
pim-alert-role-writes-window 1h
pim-alert-mfa-failures 2
pim-alert-mfa-failures-window 1h
pim-expiry-warning 3s"

AUDIT="cn=audit,$CONTAINER"
AUDITOR="uid=auditor,ou=people,$BASE"; AUDITOR_PW=auditor-secret

# --- helpers ----------------------------------------------------------

# rec EVENT ATTR: ATTR of the latest record of EVENT ("" if none)
rec() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$AUDIT" -s one \
		"(pimAuditEvent=$1)" pimAuditSeq "$2" |
		awk -v a="$(lc "$2")" 'BEGIN { RS = ""; FS = "\n" }
			{ s = ""; v = ""
			  for ( i = 1; i <= NF; i++ ) {
				split( $i, kv, ": " ); k = tolower( kv[1] )
				if ( k == "pimauditseq" ) s = kv[2]
				if ( k == a ) v = substr( $i, length( kv[1] ) + 3 )
			  }
			  print s "\t" v }' | sort -n | tail -1 | cut -f2-
}
# count EVENT [EXTRA-FILTER]: how many records of EVENT
count() {
	as manager ldapsearch -LLL -b "$AUDIT" -s one \
		"(&(pimAuditEvent=$1)${2:-})" 1.1 | grep -c '^dn:'
}
# has EVENT ATTR WANT: the latest EVENT record has ATTR = WANT
has() {
	local got
	got=$(rec "$1" "$2")
	if [ "$(lc "$got")" = "$(lc "$3")" ]; then
		pass "$1: $2 is $3"
	else
		fail "$1: $2 is '$got', expected '$3'"
	fi
}
# present EVENT ATTR...: the latest EVENT record has each ATTR
present() {
	local ev=$1 a
	shift
	[ "$(count "$ev")" -gt 0 ] || { fail "no '$ev' record"; return; }
	for a in "$@"; do
		[ -n "$(rec "$ev" "$a")" ] && pass "$ev: has $a" || fail "$ev: no $a"
	done
}
has_record() { [ "$(count "$@")" -gt 0 ]; }
verify() { as admin pimctl audit verify; }
auditor() { "$1" -x -H "$URI" -D "$AUDITOR" -w "$AUDITOR_PW" "${@:2}"; }
new_role() {	# NAME [POLICY-LINES]: a PIM role, demo eligible
	as admin ldapadd >/dev/null <<LDIF
dn: cn=$1,ou=roles,$BASE
objectClass: groupOfNames
objectClass: pimRole
cn: $1
member: $CONTAINER
${2:-}
LDIF
}

# --- 1. every event type, with its fields -------------------------------

expect_rc 0 "demo made eligible" as admin pimctl assign --eligible demo "User Administrator" --reason "on call"
present "eligibility added" pimAuditTime pimAuditActor pimAuditPrincipal pimAuditRole pimAuditPeer pimAuditConnection pimAuditHash pimAuditPrevHash
has "eligibility added" pimAuditActor "$ADMIN"
has "eligibility added" pimAuditPrincipal "$DEMO"
has "eligibility added" pimAuditRole "$ROLE"

expect_rc 0 "demo activates for 5s" as demo pimctl activate "User Administrator" --duration 5s --reason "audit test" --ticket CHG-42
present activated pimAuditId pimAuditStart pimAuditEnd pimAuditReason pimAuditTicket pimAuditPeer pimAuditConnection
has activated pimAuditActor "$DEMO"
has activated pimAuditReason "audit test"
has activated pimAuditTicket "CHG-42"
ACT_ID=$(rec activated pimAuditId)
peer=$(rec activated pimAuditPeer)
case $peer in IP=127.0.0.1:*) pass "activated: client address $peer" ;; *) fail "activated: peer '$peer'" ;; esac
conn=$(rec activated pimAuditConnection)
grep -q "conn=$conn .*EXT" "$T/slapd.log" && pass "activated: connection $conn is the one in slapd's log" ||
	fail "activated: connection '$conn' not in the log"

wait_for 4 has_record expiring && pass "an expiring event 3s before the end" || fail "no expiring event"
has expiring pimAuditId "$ACT_ID"
has expiring pimAuditActor pim
[ "$(count expired)" = 0 ] && pass "not expired yet when the warning came" || fail "expired before the warning"
wait_for 5 has_record expired && pass "expired" || fail "no expired event"
has expired pimAuditActor pim
has expired pimAuditId "$ACT_ID"
[ "$(count expiring)" = 1 ] && pass "exactly one warning" || fail "$(count expiring) warnings"

# An eligibility that ends warns too, pim-expiry-warning before its end.
expect_rc 0 "admin makes the auditor eligible for 5s" \
	as admin pimctl assign --eligible auditor "User Administrator" --end +5s --reason "short stint"
[ "$(count "eligibility expiring")" = 0 ] && pass "no eligibility warning yet" ||
	fail "the eligibility warning came early"
wait_for 4 has_record "eligibility expiring" && pass "an eligibility expiring event before its end" ||
	fail "no eligibility expiring event"
has "eligibility expiring" pimAuditPrincipal "$AUDITOR"
has "eligibility expiring" pimAuditActor pim
has "eligibility expiring" pimAuditText "to keep it, ask for an extension: pimctl extend ROLE --eligible --duration D --reason TEXT"

as demo pimctl activate "User Administrator" --duration 1h --reason "second" >/dev/null
expect_rc 0 "demo extends" as demo pimctl extend "User Administrator" --duration 2h --reason "more time"
present extended pimAuditEnd pimAuditReason pimAuditId
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"
has deactivated pimAuditActor "$DEMO"
as demo pimctl activate "User Administrator" --duration 1h --reason "third" >/dev/null
expect_rc 0 "admin revokes demo's activation" as admin pimctl deactivate "User Administrator" --for demo
has revoked pimAuditActor "$ADMIN"
has revoked pimAuditPrincipal "$DEMO"

# cut: the eligibility is shortened under a running activation
as demo pimctl activate "User Administrator" --duration 1h --reason "fourth" >/dev/null
ELIG=$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimEligibility)(pimPrincipal=$DEMO))" 1.1 | sed -n 's/^dn: //p')
as admin ldapmodify >/dev/null <<LDIF
dn: $ELIG
changetype: modify
replace: pimEndTime
pimEndTime: $(gentime $(( $(date +%s) + 1800 )))
LDIF
present cut pimAuditEnd pimAuditId
# a cut moves the expiry warning with the end: cut again, to 8 s from
# now, and the warning comes 3 s before that (the eligibility gets its
# half hour back at once, which leaves the activation's new end alone)
CUT_ID=$(rec cut pimAuditId)
for end in 8 1800; do
	as admin ldapmodify >/dev/null <<LDIF
dn: $ELIG
changetype: modify
replace: pimEndTime
pimEndTime: $(gentime $(( $(date +%s) + end )))
LDIF
done
cut_warned() { has_record expiring "(pimAuditId=$CUT_ID)"; }
wait_for 8 cut_warned && pass "the cut activation's expiry warning came before its new end" ||
	fail "no expiry warning for the cut activation"

# scheduled, and the approval workflow: requested, approved, denied,
# cancelled, timed-out
expect_rc 0 "demo schedules an activation" as demo pimctl activate "User Administrator" --start +10m --duration 10m --reason "later"
present scheduled pimAuditStart pimAuditEnd
new_role "Approval Role" "pimApprovalRequired: TRUE
pimApprover: $OTHER
pimRequestLifetime: 2s"
as admin pimctl assign --eligible demo "Approval Role" >/dev/null
req() { as demo pimctl activate "Approval Role" --duration 1h --reason "$1" | sed -n 's/.*(id \([^)]*\)).*/\1/p'; }
id=$(req "please")
present requested pimAuditId pimAuditReason
expect_rc 0 "other approves" as other pimctl approve "$id" --reason "fine"
has approved pimAuditActor "$OTHER"
has approved pimAuditId "$id"
id=$(req "again")
expect_rc 0 "other denies" as other pimctl deny "$id" --reason "no"
has denied pimAuditActor "$OTHER"
id=$(req "never mind")
expect_rc 0 "demo cancels" as demo pimctl cancel "$id"
has cancelled pimAuditId "$id"
id=$(req "forgotten")
wait_for 5 has_record timed-out && pass "timed-out" || fail "no timed-out event"
has timed-out pimAuditId "$id"

# refusals
as other pimctl activate "User Administrator" --reason x >/dev/null 2>&1
present "refused activate" pimAuditResult pimAuditText pimAuditActor
has "refused activate" pimAuditResult 50
has "refused activate" pimAuditActor "$OTHER"
as demo ldapmodify >/dev/null 2>&1 <<LDIF
dn: $ROLE
changetype: modify
add: member
member: $DEMO
LDIF
present "refused write" pimAuditResult pimAuditText pimAuditRole
has "refused write" pimAuditRole "$ROLE"

expect_rc 0 "demo's eligibility removed" as admin pimctl unassign demo "User Administrator"
has "eligibility removed" pimAuditPrincipal "$DEMO"

# --- 2. the chain -------------------------------------------------------

expect_rc 0 "the chain verifies" verify
expect_out "intact" "verify says intact"
expect_rc 0 "an auditor reads the trail" auditor "$PIMCTL" -b "$BASE" audit --event activated
expect_out "$ACT_ID" "the auditor sees the activation"
OUT=$(as demo pimctl audit 2>&1)
printf '%s\n' "$OUT" | grep -q "$ACT_ID" && fail "demo reads the trail" || pass "demo does not read the trail"
OUT=$(as admin pimctl audit --json)
printf '%s\n' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert all("hash" in r and "seq" in r for r in d)' &&
	pass "--json is JSON with seq and hash" || fail "--json"
OUT=$(as admin pimctl audit --ldif --event expired)
expect_out "^pimAuditEvent: expired" "--ldif, --event"
expect_rc 0 "--user and --role filter" as admin pimctl audit --user demo --role "User Administrator" --event revoked
expect_out "revoked" "the filtered list has the revocation"

# --- 3. nobody writes in the trail through LDAP ------------------------

REC="pimAuditSeq=1,$AUDIT"
before=$(count "refused write")
for who in admin manager; do
	expect_rc 53 "$who cannot delete a record" as $who ldapdelete "$REC"
	expect_out "audit trail cannot be changed" "$who: the diagnostic says why"
	expect_rc 53 "$who cannot modify a record" as $who ldapmodify <<LDIF
dn: $REC
changetype: modify
replace: pimAuditReason
pimAuditReason: forged
LDIF
	expect_rc 53 "$who cannot add a record" as $who ldapadd <<LDIF
dn: pimAuditSeq=999999,$AUDIT
objectClass: pimAuditRecord
pimAuditSeq: 999999
pimAuditTime: 20200101000000Z
pimAuditEvent: forged
pimAuditPrevHash: x
pimAuditHash: y
LDIF
	expect_rc 53 "$who cannot rename a record" as $who ldapmodrdn "$REC" "pimAuditSeq=1000000"
	expect_rc 53 "$who cannot delete the container" as $who ldapdelete "$AUDIT"
	expect_rc 53 "$who cannot move the trail (rename its parent)" as $who ldapmodrdn "$CONTAINER" "cn=pim2"
done
[ "$(count "refused write")" -ge $(( before + 12 )) ] && pass "each attempt is on the record" ||
	fail "refused writes recorded: $(( $(count "refused write") - before ))"
[ -z "$(as manager ldapsearch -LLL -b "$AUDIT" "(pimAuditEvent=forged)" 1.1)" ] && pass "no forged record" || fail "a forged record is there"
expect_rc 0 "the chain still verifies" verify

# --- 4. alerts ------------------------------------------------------------

alerts_of() { count alert "(pimAuditAlert=$1)${2:+(pimAuditRole=$2)}"; }
AROLE="cn=Alert Role,ou=roles,$BASE"
# activation-frequency: more than 2 activations within 1h, per user and role
new_role "Alert Role"
as admin pimctl assign --eligible demo "Alert Role" >/dev/null
as demo pimctl activate "Alert Role" --duration 1h --reason one >/dev/null
as demo pimctl activate "Alert Role" --duration 1h --reason two >/dev/null
[ "$(alerts_of activation-frequency "$AROLE")" = 0 ] && pass "2 activations: no alert (threshold: more than 2)" || fail "alert at 2 activations"
as demo pimctl activate "Alert Role" --duration 1h --reason three >/dev/null
[ "$(alerts_of activation-frequency "$AROLE")" = 1 ] && pass "the 3rd activation raises the alert" || fail "no alert at 3 activations"
has alert pimAuditPrincipal "$DEMO"
has alert pimAuditRole "cn=Alert Role,ou=roles,$BASE"
grep -q "pim: WARNING: alert.*activation-frequency" "$T/slapd.log" && pass "a warning in slapd's log (syslog)" || fail "no warning logged"
as demo pimctl activate "Alert Role" --duration 1h --reason four >/dev/null
[ "$(alerts_of activation-frequency "$AROLE")" = 1 ] && pass "one alert per window, not one per activation" || fail "a second alert in the window"

# role-write: more than 1 attempt to change a role around PIM (the
# attempt in part 1 was demo's: other's count is their own)
try_write() {
	as other ldapmodify >/dev/null 2>&1 <<LDIF
dn: cn=Alert Role,ou=roles,$BASE
changetype: modify
add: member
member: $OTHER
LDIF
}
try_write
[ "$(alerts_of role-write "$AROLE")" = 0 ] && pass "1 refused role write: no alert" || fail "alert at 1 role write"
try_write
[ "$(alerts_of role-write "$AROLE")" = 1 ] && pass "the 2nd refused role write raises the alert" || fail "no role-write alert"
has alert pimAuditPrincipal "$OTHER"

# mfa-failures: more than 2 wrong one-time codes (other gets an OATH
# token of the otp overlay's kind, and codes no step near now has)
new_role "MFA Role" "pimMFARequired: TRUE"
as admin pimctl assign --eligible other "MFA Role" >/dev/null
as manager ldapadd >/dev/null <<LDIF
dn: ou=otp,$BASE
objectClass: organizationalUnit
ou: otp

dn: cn=w1,ou=otp,$BASE
objectClass: device
objectClass: oathTOTPParams
cn: w1
oathOTPLength: 6
oathHMACAlgorithm: 1.2.840.113549.2.7
oathTOTPTimeStepPeriod: 30
oathTOTPTimeStepWindow: 1

dn: cn=totp-other,ou=otp,$BASE
objectClass: device
objectClass: oathTOTPToken
cn: totp-other
oathSecret:: $(python3 -c 'import base64,hashlib; print(base64.b64encode(hashlib.sha1(b"other").digest()).decode())')
oathTOTPParams: cn=w1,ou=otp,$BASE
LDIF
as manager ldapmodify >/dev/null <<LDIF
dn: $OTHER
changetype: modify
add: objectClass
objectClass: oathTOTPUser
-
add: oathTOTPToken
oathTOTPToken: cn=totp-other,ou=otp,$BASE
LDIF
# the n-th of a few codes that no step within 12 of now has
wrong_code() {
	python3 - "$1" <<'PY'
import hashlib, hmac, struct, sys, time
key = hashlib.sha1(b"other").digest()
t = int(time.time()) // 30
def code(step):
    d = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = d[-1] & 15
    return "%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7fffffff) % 10**6)
near = {code(s) for s in range(t - 12, t + 13)}
print([c for c in ("000000", "111111", "123456", "424242", "987654") if c not in near][int(sys.argv[1])])
PY
}
wrong_otp() { as other pimctl activate "MFA Role" --duration 1h --reason x --otp "$(wrong_code "$1")" >/dev/null 2>&1; }
wrong_otp 0
[ "$(count "mfa failure")" = 1 ] && pass "a wrong one-time code is recorded as 'mfa failure'" ||
	fail "records of 'mfa failure' after one wrong code: $(count "mfa failure")"
has "mfa failure" pimAuditPrincipal "$OTHER"
wrong_otp 1
[ "$(alerts_of mfa-failures)" = 0 ] && pass "2 wrong codes: no alert (threshold: more than 2)" || fail "alert at 2 wrong codes"
wrong_otp 2
[ "$(alerts_of mfa-failures)" = 1 ] && pass "the 3rd wrong code raises the alert" || fail "no mfa alert"
has alert pimAuditPrincipal "$OTHER"

# pimctl alerts: open alerts, dismissal
expect_rc 0 "pimctl alerts" as admin pimctl alerts
expect_out "activation-frequency" "lists the activation alert"
expect_out "role-write" "lists the role-write alert"
AID=$(printf '%s\n' "$OUT" | awk '/ activation-frequency / && /Alert Role/ { print $1 }' | head -1)
[ -n "$AID" ] && pass "the alert has an ID ($AID)" || fail "no ID"
expect_rc 50 "demo cannot dismiss (the modify pimctl sends)" as demo ldapmodify <<LDIF
dn: $AUDIT
changetype: modify
add: pimAuditRef
pimAuditRef: $AID
-
add: pimAuditReason
pimAuditReason: meh
LDIF
expect_out "only PIM administrators may dismiss" "demo: the diagnostic says why"
expect_rc 64 "a dismissal needs a reason" as admin pimctl alerts dismiss "$AID"
expect_rc 32 "no such alert" as admin pimctl alerts dismiss 1 --reason "not an alert"
expect_rc 0 "admin dismisses it" as admin pimctl alerts dismiss "$AID" --reason "load test, expected"
has "alert dismissed" pimAuditRef "$AID"
has "alert dismissed" pimAuditReason "load test, expected"
has "alert dismissed" pimAuditActor "$ADMIN"
as admin pimctl alerts >"$T/alerts.out"
awk -v id="$AID" '$1 == id' "$T/alerts.out" | grep -q . && fail "the dismissed alert is still listed" || pass "the dismissed alert is gone"
as admin pimctl alerts --all | awk -v id="$AID" '$1 == id' | grep -q dismissed && pass "--all lists it as dismissed" || fail "--all"

# scans
grep -q "no-mfa .*Alert Role" "$T/alerts.out" && pass "scan: a role without MFA" || fail "scan: no-mfa"
grep -q "no-mfa .*MFA Role" "$T/alerts.out" && fail "scan: MFA Role reported without MFA" || pass "scan: MFA Role requires MFA"
grep -q "no-approval .*Approval Role" "$T/alerts.out" && fail "scan: Approval Role reported" || pass "scan: Approval Role requires approval"
SID=$(awk '/ no-mfa / && /Alert Role/ { print $1 }' "$T/alerts.out")
expect_rc 0 "a scan finding can be dismissed" as admin pimctl alerts dismiss "$SID" --reason "accepted risk"
as admin pimctl alerts | grep -q "^ *$SID " && fail "scan finding still listed" || pass "the scan finding stays dismissed"

new_role "Perm Role" "pimActivePermanentAllowed: TRUE"
perm() { as admin pimctl assign --active "$1" "Perm Role" --permanent --reason standing >/dev/null; }
perm demo
as admin pimctl assign --eligible other "Perm Role" >/dev/null
permanent_alert() { as admin pimctl alerts --max-permanent "$1" --max-share "$2" | grep -q "permanent-assignments .*Perm Role"; }
permanent_alert 1 0 && fail "1 permanent assignment alerted with --max-permanent 1" || pass "1 permanent assignment: no alert (threshold: more than 1)"
perm admin
permanent_alert 1 0 && pass "2 permanent assignments: alert" || fail "no alert at 2 permanent assignments"
permanent_alert 1 70 && fail "67% alerted with --max-share 70" || pass "67% of the role's assignments: no alert at --max-share 70"
permanent_alert 1 60 && pass "67%: alert at --max-share 60" || fail "no alert at --max-share 60"

sleep 2
as demo pimctl activate "Alert Role" --duration 1h --reason fresh >/dev/null
as admin pimctl alerts --stale 2s >"$T/stale.out"
grep -q "stale-eligibility .*Other User *MFA Role\|stale-eligibility .*other *MFA Role" "$T/stale.out" && pass "stale: other never used MFA Role" || fail "stale: other's eligibility not reported"
grep -q "stale-eligibility .*Alert Role" "$T/stale.out" && fail "stale: demo's fresh activation reported" || pass "stale: demo activated Alert Role just now"
as admin pimctl alerts --stale 1h | grep -q stale-eligibility && fail "stale within the hour" || pass "nothing is stale with --stale 1h"
expect_rc 0 "the chain verifies after the alerts" verify

# --- 5. pimctl watch ------------------------------------------------------

WATCH_OUT="$T/watch.events"
: > "$WATCH_OUT"
start_watch() {
	"$PIMCTL" -b "$BASE" -x -H "$URI" -D "$ADMIN" -w "$ADMIN_PW" watch \
		--exec 'echo "$PIM_SEQ|$PIM_EVENT|$PIM_PRINCIPAL|$PIM_ACTOR|$PIM_ID" >> "'"$WATCH_OUT"'"' \
		>"$T/watch.stdout" 2>"$T/watch.stderr" &
	WATCH_PID=$!
}
stop_watch() {
	[ -n "${WATCH_PID:-}" ] || return 0
	kill "$WATCH_PID" 2>/dev/null; wait "$WATCH_PID" 2>/dev/null
	WATCH_PID=""
}
# stop the watcher too if the test ends early (lib.sh's teardown wants
# the exit status in $?)
trap 'rc=$?; stop_watch; (exit $rc); pim_teardown' EXIT
got_event() { grep -q "|$1|" "$WATCH_OUT"; }
start_watch
sleep 1
as admin pimctl assign --eligible other "Alert Role" >/dev/null
t0=$(date +%s%N)
if wait_for 1 got_event "eligibility added"; then
	pass "watch --exec got the event within $(( ( $(date +%s%N) - t0 ) / 1000000 )) ms"
else
	fail "watch --exec: nothing within a second"
fi
grep -q "|eligibility added|$(lc "$OTHER")|$(lc "$ADMIN")|" "$WATCH_OUT" &&
	pass "PIM_EVENT, PIM_PRINCIPAL, PIM_ACTOR set" || fail "environment: $(cat "$WATCH_OUT")"
grep -q "eligibility added" "$T/watch.stdout" && pass "watch prints the event" || fail "watch printed nothing"

# across a restart: an activation that expires while slapd is down is
# ended at startup - before watch is back - and still arrives, once
as demo pimctl activate "Alert Role" --duration 2s --reason "over the restart" >/dev/null
wait_for 2 got_event activated
PIM_PORT=$PORT
pim_stop
sleep 3
pim_start
as demo pimctl activate "Alert Role" --duration 1h --reason "after the restart" >/dev/null
last=$(rec activated pimAuditSeq)
got_seq() { grep -q "^$1|" "$WATCH_OUT"; }
wait_for 8 got_seq "$last" && pass "the event after the restart arrived" || fail "nothing after the restart"
sleep 1
stop_watch
unset PIM_PORT
grep -q "reconnected" "$T/watch.stderr" && pass "watch reconnected" || fail "watch did not reconnect: $(cat "$T/watch.stderr")"
first=$(head -1 "$WATCH_OUT" | cut -d'|' -f1)
got=$(cut -d'|' -f1 "$WATCH_OUT" | sort -n | uniq -d)
[ -z "$got" ] && pass "no event twice" || fail "events twice: $got"
want=$(seq "$first" "$last" | tr '\n' ' ')
have=$(cut -d'|' -f1 "$WATCH_OUT" | awk -v l="$last" '$1 <= l' | tr '\n' ' ')
[ "$want" = "$have" ] && pass "every event from $first to $last, in order, across the restart" ||
	fail "watch got [$have], the trail has [$want]"
grep -q "|expired|$(lc "$DEMO")|pim|" "$WATCH_OUT" && pass "the expiry at startup arrived" || fail "the expiry at startup is missing"

# --- 6. a record changed offline ------------------------------------------

expect_rc 0 "the chain verifies before the offline edit" verify
VICTIM=$(rec requested pimAuditSeq)
pim_stop
pim_tool /usr/sbin/slapcat -F "$T/slapd.d" -b "$BASE" -o ldif-wrap=no -l "$T/dump.ldif" 2>>"$T/slapcat.log"
awk -v dn="$(lc "dn: pimAuditSeq=$VICTIM,$AUDIT")" '
	tolower( $0 ) == dn { inrec = 1 } $0 == "" { inrec = 0 }
	inrec && /^pimAuditReason: / { $0 = "pimAuditReason: pretty please" }
	{ print }' "$T/dump.ldif" > "$T/edited.ldif"
cmp -s "$T/dump.ldif" "$T/edited.ldif" && fail "the edit changed nothing" || pass "record $VICTIM edited offline"
rm -rf "$T/db" && mkdir "$T/db"
pim_tool "$SLAPADD" -F "$T/slapd.d" -b "$BASE" -q -l "$T/edited.ldif" >>"$T/slapadd.log" 2>&1 &&
	pass "slapadd into a fresh database" || fail "slapadd"
pim_start
expect_rc 66 "verify finds the change" verify
expect_out "record $VICTIM .*was changed" "verify names record $VICTIM"
as demo pimctl activate "Alert Role" --duration 1h --reason "after the edit" >/dev/null
[ -n "$(as manager ldapsearch -LLL -b "$AUDIT" "(pimAuditReason=after the edit)" 1.1)" ] &&
	pass "the trail goes on after the restore" || fail "no record after the restore"

# --- 7. retention ------------------------------------------------------------

low_before=$(as manager ldapsearch -LLL -b "$AUDIT" -s one "(pimAuditSeq<=1)" 1.1 | grep -c '^dn:')
[ "$low_before" = 1 ] && pass "record 1 is there before retention" || fail "record 1 missing"
expect_rc 0 "olcPimAuditRetention: 2s" as config ldapmodify <<LDIF
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcPimAuditRetention
olcPimAuditRetention: 2s
LDIF
gone() { [ -z "$(as manager ldapsearch -LLL -b "$AUDIT" -s one "(pimAuditSeq=$1)" 1.1)" ]; }
wait_for 6 gone 1 && pass "retention removed the old records" || fail "record 1 still there"
wait_for 6 gone "$VICTIM" && pass "retention removed the edited record $VICTIM too" || fail "record $VICTIM still there"
present anchor pimAuditAnchorSeq pimAuditAnchorHash pimAuditText
expect_rc 0 "the chain verifies after retention (and the edited record is gone)" verify
expect_out "removed by retention" "verify accounts for the removed records"
as demo pimctl activate "Alert Role" --duration 1h --reason "after retention" >/dev/null
sleep 3
expect_rc 0 "the chain verifies after a second retention pass" verify
expect_rc 0 "olcPimAuditRetention back to the default" as config ldapmodify <<LDIF
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
delete: olcPimAuditRetention
LDIF

# --- 7b. two audit containers under one base (one per provider, as a
# multi-provider setup has them): each chain is verified on its own -----

sed -i '/^overlay[ \t]*pim/a pim-audit-container\t"cn=audit-2,cn=pim,dc=example,dc=com"' "$T/slapd.conf"
pim_reconfigure "" "" "" && pass "restarted with a second audit container" ||
	fail "cannot restart with pim-audit-container"
as demo pimctl activate "Alert Role" --duration 1h --reason "second container" >/dev/null
as admin ldapsearch -LLL -b "cn=audit-2,cn=pim,dc=example,dc=com" "(pimAuditEvent=activated)" dn |
	grep -q '^dn:' && pass "the event went into the second container" ||
	fail "no record in cn=audit-2"
expect_rc 0 "verify: both chains intact" verify
expect_out "cn=audit-2,cn=pim" "verify names the second container"
expect_out "cn=audit,cn=pim" "verify names the first container"
sed -i '/^pim-audit-container/d' "$T/slapd.conf"
pim_reconfigure "" "" "" || fail "cannot restart with the default audit container"

# --- 8. a record removed offline -------------------------------------------

for r in one two three; do as demo pimctl activate "Alert Role" --duration 1h --reason "tail $r" >/dev/null; done
VICTIM=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$AUDIT" "(pimAuditReason=tail two)" pimAuditSeq | sed -n 's/^pimAuditSeq: //p')
expect_rc 0 "the chain verifies before the removal" verify
pim_stop
pim_tool /usr/sbin/slapmodify -F "$T/slapd.d" -b "$BASE" >>"$T/slapmodify.log" 2>&1 <<LDIF
dn: pimAuditSeq=$VICTIM,$AUDIT
changetype: delete
LDIF
[ $? = 0 ] && pass "record $VICTIM removed offline" || fail "slapmodify"
pim_start
expect_rc 66 "verify finds the removal" verify
expect_out "record $VICTIM was removed" "verify names record $VICTIM"

# --- 9. an activation's warning and its end across a restart: the
# reconciliation puts both back on the timer (as one event, whose firing
# warns and puts the end back), and each comes once.  30 s, so that a
# slow restart (the sanitizer build's) is done well before the warning,
# 3 s before the end: one whose time passed while slapd was down is not
# sent late, by design.
OUT=$(as demo pimctl activate "Alert Role" --duration 30s --reason "warned over a restart" 2>&1)
RID=$(printf '%s\n' "$OUT" | sed -n 's/.*(id \([^)]*\)).*/\1/p' | head -1)
[ -n "$RID" ] && pass "demo activates for 30 s ($RID)" || fail "demo cannot activate: $OUT"
REND=$(gt_epoch "$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=$RID)" pimEndTime |
	sed -n 's/^pimEndTime: //p')")
pim_stop
pim_start
[ $(( $(date +%s) + 1 )) -lt $(( REND - 3 )) ] && pass "restarted before the warning's time" ||
	fail "the restart took past the warning's time ($(( REND - $(date +%s) )) s before the end)"
warned() { has_record expiring "(pimAuditId=$RID)"; }
ended() { has_record expired "(pimAuditId=$RID)"; }
wait_for $(( REND - $(date +%s) + 2 )) warned && pass "after a restart, the expiry warning came" ||
	fail "after a restart, no expiry warning"
ended && fail "it had expired when its warning came" || pass "not expired when its warning came"
wait_for 8 ended && pass "then it expired" || fail "after a restart and its warning, it did not expire"
check "one warning for it" 1 "$(count expiring "(pimAuditId=$RID)")"
check "its state is expired" expired "$(as manager ldapsearch -LLL -b "$CONTAINER" \
	"(pimId=$RID)" pimState | sed -n 's/^pimState: //p')"
pim_done
