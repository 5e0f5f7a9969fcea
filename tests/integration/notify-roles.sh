#!/bin/bash
# pimctl notify: a role's notification settings from its entry
# (pimNotifyEvents, pimNotifyRecipient, pimNotifyCriticalOnly) win over
# the file's role sections, which remain the fallback; a critical-only
# role sends its critical notices only; the settings are read afresh at
# each poll; and only PIM administrators may change them.
#
# The sinks and the verdicts are notify.py's (the saved messages' To:
# headers, envelopes and the webhook JSON, parsed; never grep).
. "$(dirname "$0")/lib.sh"
PY=""
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null && "$p" -c 'import aiosmtpd' 2>/dev/null && { PY=$p; break; }
done
[ -n "$PY" ] || { pim_log "SKIP: no python3 with aiosmtpd (python3-aiosmtpd)"; exit 77; }
NOTIFY_PY="$PIM_TOP_SRCDIR/tests/integration/notify.py"

pim_setup notify-roles "pim-expiry-warning 2s"

SINK_PID=""; NOTIFY_PID=""
roles_teardown() {
	local rc=$? p
	for p in $NOTIFY_PID $SINK_PID; do	# (never a bare wait: slapd is a child too)
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	(exit $rc)
	pim_teardown
}
trap roles_teardown EXIT

CRIT="cn=Critical Ops,ou=roles,$BASE"
OPS="cn=Ops Console,ou=roles,$BASE"
as manager ldapmodify >/dev/null <<LDIF || fail "cannot set up the directory"
dn: $DEMO
changetype: modify
replace: mail
mail: demo@example.com

dn: $OTHER
changetype: modify
replace: mail
mail: other@example.com

dn: $CRIT
changetype: add
objectClass: groupOfNames
objectClass: pimRole
cn: Critical Ops
member: $CONTAINER

dn: $OPS
changetype: add
objectClass: groupOfNames
objectClass: pimRole
cn: Ops Console
member: $CONTAINER
LDIF

# --- the settings: written by a PIM administrator ---------------------------

expect_rc 0 "a PIM administrator sets User Administrator's notification settings" \
	as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
replace: pimApprovalRequired
pimApprovalRequired: TRUE
-
replace: pimApprover
pimApprover: $OTHER
-
replace: pimNotifyEvents
pimNotifyEvents: requested
pimNotifyEvents: Denied
-
replace: pimNotifyRecipient
pimNotifyRecipient: ua-a@example.com
pimNotifyRecipient: ua-b@example.com
LDIF
expect_rc 0 "... and Critical Ops' (critical only)" \
	as admin ldapmodify <<LDIF
dn: $CRIT
changetype: modify
replace: pimNotifyEvents
pimNotifyEvents: activated
pimNotifyEvents: expiring
pimNotifyEvents: expired
pimNotifyEvents: assignment
pimNotifyEvents: alert
-
replace: pimNotifyRecipient
pimNotifyRecipient: crit@example.com
-
replace: pimNotifyCriticalOnly
pimNotifyCriticalOnly: TRUE
LDIF
check "the settings are stored" "crit@example.com|TRUE" \
	"$(attr_values "$CRIT" pimNotifyRecipient)|$(attr_values "$CRIT" pimNotifyCriticalOnly)"

# --- an ordinary user may not change them -----------------------------------

refused 50 "demo's ldapmodify of pimNotifyRecipient is refused" \
	"only PIM administrators may change a role's notification settings" \
	as demo ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: pimNotifyRecipient
pimNotifyRecipient: demo-spy@example.com
LDIF
# (other, not demo: demo's own attempt on Critical Ops is the alert below)
refused 50 "other's delete of pimNotifyCriticalOnly is refused" \
	"only PIM administrators may change a role's notification settings" \
	as other ldapmodify <<LDIF
dn: $CRIT
changetype: modify
delete: pimNotifyCriticalOnly
LDIF
check "User Administrator's recipients are unchanged" "ua-a@example.com ua-b@example.com" \
	"$(attr_values "$ROLE" pimNotifyRecipient | sort | tr '\n' ' ' | sed 's/ $//')"
check "Critical Ops is still critical only" TRUE "$(attr_values "$CRIT" pimNotifyCriticalOnly)"

# --- the sinks and the notifier's file ---------------------------------------

for tries in 1 2 3 4 5; do
	SMTP_PORT=$(pim_free_port); HTTP_PORT=$(pim_free_port)
	[ "$SMTP_PORT" = "$HTTP_PORT" ] && continue
	"$PY" "$NOTIFY_PY" sink "$T/sink" "$SMTP_PORT" "$HTTP_PORT" >"$T/sink.out" 2>"$T/sink.err" &
	SINK_PID=$!
	wait_for 10 grep -q ready "$T/sink.out" && break
	kill -KILL "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null; SINK_PID=""
done
[ -n "$SINK_PID" ] || { cat "$T/sink.err" >&2; pim_log "FAIL: the sinks did not start"; exit 99; }

# The file's sections say otherwise for User Administrator and Critical
# Ops (the entries win); Ops Console has only its section (the fallback).
cat > "$T/notify.conf" <<CONF
state-file	$T/notify.state
poll-interval	0.2
smtp-url	smtp://127.0.0.1:$SMTP_PORT
mail-from	pim@example.com
webhook-url	http://127.0.0.1:$HTTP_PORT/hook
admin-mail	secops@example.com
retries		2
retry-delay	0.2
subject		"[PIM] {event} {role_name} ({principal_name})"

role	"User Administrator"
events		approved activated
mail-to		cfg-ua@example.com

role	"$CRIT"
critical-only	no
mail-to		cfg-crit@example.com

role	"Ops Console"
events		assignment
mail-to		cfg-ops@example.com
CONF

last_seq() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(objectClass=pimAuditRecord)" pimAuditSeq |
		sed -n 's/^pimAuditSeq: //p' | sort -n | tail -1
}
has_event() {	# EVENT ROLE_DN: is there such a record?
	[ -n "$(as manager ldapsearch -LLL -b "cn=audit,$CONTAINER" \
		"(&(pimAuditEvent=$1)(pimAuditRole=$2))" 1.1)" ]
}
req_id() { sed -n 's/.*(id \([^)]*\)).*/\1/p'; }
notify_once() {
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/notify.conf" --once
}
# verdict FROM EXPECTED WHAT: notify.py verify, as pass/fail lines
verdict() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(objectClass=pimAuditRecord)" \
		pimAuditSeq pimAuditEvent pimAuditRole pimAuditPrincipal > "$T/audit.ldif"
	"$PY" "$NOTIFY_PY" verify "$T/sink" "$T/audit.ldif" "$1" "$2" > "$T/verdict"
	while IFS= read -r line; do
		case $line in
		PASS*) pass "$3: ${line#PASS }" ;;
		FAIL*) fail "$3: ${line#FAIL }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done < "$T/verdict"
	grep -q '^PASS each event reached exactly' "$T/verdict" || fail "$3: no routing verdict"
}

as admin pimctl assign --eligible demo "User Administrator" --reason setup >/dev/null ||
	fail "cannot make demo eligible"
HEAD=$(last_seq)
echo "$HEAD" > "$T/notify.state"

# --- 1. the events --------------------------------------------------------------

# User Administrator: requested and denied only, to the approver or the
# principal and the entry's two recipients (not the file's)
ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason first | req_id)
[ -n "$ID" ] || fail "demo's request has no id"
as other pimctl deny "$ID" --reason "not now" >/dev/null || fail "other cannot deny"
ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason second | req_id)
as other pimctl approve "$ID" --reason fine >/dev/null || fail "other cannot approve"
as demo pimctl deactivate "User Administrator" >/dev/null || fail "demo cannot deactivate"
# Critical Ops, critical only: the eligibility (assignment is on, but no
# critical notice), the activation (to the administrators too), the
# alert; not the expiry warning nor the expiry
as admin pimctl assign --eligible other "Critical Ops" --reason oncall >/dev/null ||
	fail "cannot make other eligible for Critical Ops"
as other pimctl activate "Critical Ops" --duration 3s --reason incident >/dev/null ||
	fail "other cannot activate Critical Ops"
as demo ldapmodify >/dev/null 2>&1 <<LDIF
dn: $CRIT
changetype: modify
add: member
member: $DEMO
LDIF
# Ops Console: nothing on the entry, its section's "events assignment"
# and mail-to
as admin pimctl assign --eligible demo "Ops Console" --reason console >/dev/null ||
	fail "cannot make demo eligible for Ops Console"
wait_for 10 has_event expired "$CRIT" && pass "Critical Ops' activation expired" ||
	fail "Critical Ops' activation did not expire"

# what the verdict leaves out is in the trail: it was held back
for ev in "expiring|$CRIT" "eligibility added|$CRIT" "approved|$ROLE" "activated|$ROLE" "deactivated|$ROLE"; do
	has_event "${ev%%|*}" "${ev#*|}" && pass "the trail has \"${ev%%|*}\" for ${ev#*|}" ||
		fail "no \"${ev%%|*}\" for ${ev#*|} in the trail"
done
expect_rc 0 "notify --once" notify_once
A1=$(cat "$T/notify.state")
check "the cursor is the trail's head" "$(last_seq)" "$A1"
U="ua-a@example.com,ua-b@example.com"; S="secops@example.com"; C="crit@example.com"
cat > "$T/expected" <<EXP
requested|User Administrator|other@example.com,$U
denied|User Administrator|demo@example.com,$U
requested|User Administrator|other@example.com,$U
activated|Critical Ops|$C,other@example.com,$S
alert|Critical Ops|$C,$S
eligibility added|Ops Console|cfg-ops@example.com,demo@example.com,$S
EXP
verdict "$HEAD" "$T/expected" "entry settings"

# --- 2. the entry changes; the next poll reads it ---------------------------------

expect_rc 0 "a PIM administrator turns on approved and activated, and drops the recipients" \
	as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
replace: pimNotifyEvents
pimNotifyEvents: approved
pimNotifyEvents: activated
-
delete: pimNotifyRecipient
LDIF
ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason third | req_id)
as other pimctl approve "$ID" --reason fine >/dev/null || fail "other cannot approve"
expect_rc 0 "notify --once" notify_once
# no pimNotifyRecipient: the section's mail-to again
cat > "$T/expected2" <<EXP
activated|User Administrator|cfg-ua@example.com,demo@example.com
approved|User Administrator|cfg-ua@example.com,demo@example.com
EXP
verdict "$A1" "$T/expected2" "changed settings"

# --- 3. a running notifier reads a role's entry afresh at each poll ---------------

A2=$(cat "$T/notify.state")
"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/notify.conf" \
	>"$T/run.out" 2>"$T/run.err" &
NOTIFY_PID=$!
wait_for 10 grep -q "following the audit trail" "$T/run.err" || fail "the notifier did not start"
delivered() { "$PY" "$NOTIFY_PY" count "$T/sink"; }
set_critical() {
	as admin ldapmodify >/dev/null <<LDIF
dn: $CRIT
changetype: modify
replace: pimNotifyCriticalOnly
pimNotifyCriticalOnly: $1
LDIF
}
set_critical FALSE || fail "cannot turn critical only off"
sleep 0.5
as admin pimctl assign --eligible demo "Critical Ops" --reason "not critical now" >/dev/null ||
	fail "cannot make demo eligible for Critical Ops"
check "with critical only off, the eligibility went out" "9 9" "$(wait_output 10 "9 9" delivered)"
set_critical TRUE || fail "cannot turn critical only on"
sleep 0.5
as admin pimctl unassign demo "Critical Ops" >/dev/null || fail "cannot remove demo's eligibility"
as admin pimctl assign --eligible other "Ops Console" --reason console >/dev/null ||
	fail "cannot make other eligible for Ops Console"
check "with it on again, only the next role's eligibility went out" "10 10" \
	"$(wait_output 10 "10 10" delivered)"
sleep 0.5
kill -TERM "$NOTIFY_PID"; wait "$NOTIFY_PID" 2>/dev/null; NOTIFY_PID=""
check "nothing more went out" "10 10" "$(delivered)"
cat > "$T/expected3" <<EXP
eligibility added|Critical Ops|$C,demo@example.com,$S
eligibility added|Ops Console|cfg-ops@example.com,other@example.com,$S
EXP
verdict "$A2" "$T/expected3" "settings read afresh"

pim_done
