#!/bin/bash
# pimctl notify: the audit trail's events, delivered by mail and webhook
# to exactly the people the routing names, exactly once across a restart
# of the notifier and of slapd, and a delivery that keeps failing retried
# and then given up on, visibly.
#
# The sinks are real servers on loopback (notify.py: aiosmtpd for SMTP,
# http.server for webhooks); the verdicts parse the saved messages' To:
# headers and the webhook JSON (notify.py verify), never grep.
. "$(dirname "$0")/lib.sh"
# Debian's python3-aiosmtpd is for Debian's python3, which another
# python3 earlier on PATH (pyenv) does not see
PY=""
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null && "$p" -c 'import aiosmtpd' 2>/dev/null && { PY=$p; break; }
done
[ -n "$PY" ] || { pim_log "SKIP: no python3 with aiosmtpd (python3-aiosmtpd)"; exit 77; }
NOTIFY_PY="$PIM_TOP_SRCDIR/tests/integration/notify.py"

pim_setup notify "pim-expiry-warning 2s"

SINK_PID=""; NOTIFY_PID=""
notify_teardown() {
	local rc=$? p
	for p in $NOTIFY_PID $SINK_PID; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	(exit $rc)	# pim_teardown reads the test's status from $?
	pim_teardown
}
trap notify_teardown EXIT

# --- the directory: addresses, an approvers group, an admin group, roles --
# (demo is an approver too, spelled otherwise: never of their own request)

CRIT="cn=Critical Ops,ou=roles,$BASE"
as manager ldapmodify >/dev/null <<LDIF || fail "cannot set up the directory"
dn: $DEMO
changetype: modify
replace: mail
mail: demo@example.com

dn: $OTHER
changetype: modify
replace: mail
mail: other@example.com

dn: $ADMIN
changetype: modify
replace: mail
mail: admin@example.com

dn: cn=Approvers,ou=groups,$BASE
changetype: add
objectClass: groupOfNames
cn: Approvers
member: $OTHER
member: uid=DEMO, ou=People,$BASE

dn: cn=PIM Admins,ou=groups,$BASE
changetype: add
objectClass: groupOfNames
cn: PIM Admins
member: $ADMIN

dn: $CRIT
changetype: add
objectClass: groupOfNames
objectClass: pimRole
cn: Critical Ops
member: $CONTAINER
LDIF
as admin ldapmodify >/dev/null <<LDIF || fail "cannot set the approval policy"
dn: $ROLE
changetype: modify
replace: pimApprovalRequired
pimApprovalRequired: TRUE
-
replace: pimApprover
pimApprover: cn=Approvers,ou=groups,$BASE
-
replace: pimRequestLifetime
pimRequestLifetime: 2s
LDIF
# history: recorded before the notifier's first start, never delivered
as admin pimctl assign --eligible demo "User Administrator" --reason setup >/dev/null ||
	fail "cannot make demo eligible"

# --- the sinks and the notifier ------------------------------------------

start_sinks() {
	local tries
	for tries in 1 2 3 4 5; do
		SMTP_PORT=$(pim_free_port); HTTP_PORT=$(pim_free_port)
		[ "$SMTP_PORT" = "$HTTP_PORT" ] && continue
		rm -f "$T/sink.out"
		"$PY" "$NOTIFY_PY" sink "$T/sink" "$SMTP_PORT" "$HTTP_PORT" >"$T/sink.out" 2>"$T/sink.err" &
		SINK_PID=$!
		wait_for 10 grep -q ready "$T/sink.out" && return 0
		kill -KILL "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null; SINK_PID=""
	done
	cat "$T/sink.err" >&2
	pim_log "FAIL: the sinks did not start"; exit 99
}
start_sinks
CLOSED_PORT=$(pim_free_port)

cat > "$T/notify.conf" <<CONF
# the notifier of notify.sh
state-file	$T/notify.state
poll-interval	0.2
smtp-url	smtp://127.0.0.1:$SMTP_PORT
mail-from	pim@example.com
webhook-url	http://127.0.0.1:$HTTP_PORT/hook
admin-mail	secops@example.com
admin-group	cn=PIM Admins,ou=groups,$BASE
retries		3
retry-delay	0.2
subject		"[PIM] {event} {role_name} ({principal_name})"

role	"User Administrator"
mail-to		ua-owner@example.com

role	"$CRIT"
critical	yes
mail-to		oncall@example.com
events		activated expiring expired eligibility-added
CONF

NSTARTS=0
started() { [ "$(grep -c "following the audit trail" "$T/notify.err" 2>/dev/null)" -ge "$NSTARTS" ]; }
start_notifier() {
	NSTARTS=$((NSTARTS + 1))
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/notify.conf" "$@" \
		>>"$T/notify.out" 2>>"$T/notify.err" &
	NOTIFY_PID=$!
	wait_for 10 started ||
		{ cat "$T/notify.err" >&2; fail "the notifier did not start"; }
}
stop_notifier() {	# SIGNAL
	kill -"$1" "$NOTIFY_PID" 2>/dev/null
	wait "$NOTIFY_PID" 2>/dev/null
	NOTIFY_PID=""
}
delivered() { "$PY" "$NOTIFY_PY" count "$T/sink"; }
# wait_delivered N: until N mails and N webhook posts arrived
wait_delivered() {
	local got
	got=$(wait_output 15 "$1 $1" delivered)
	check "deliveries so far (mails webhooks)" "$1 $1" "$got"
}
last_seq() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(objectClass=pimAuditRecord)" pimAuditSeq |
		sed -n 's/^pimAuditSeq: //p' | sort -n | tail -1
}
req_id() { sed -n 's/.*(id \([^)]*\)).*/\1/p'; }

HEAD=$(last_seq)
start_notifier
check "first start: the cursor is the trail's head, history is not replayed" "$HEAD" "$(cat "$T/notify.state")"

# --- 1. requested, approved (activated), as the notifier runs -----------

ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason "first" | req_id)
[ -n "$ID" ] || fail "demo's request has no id"
as other pimctl approve "$ID" --reason fine >/dev/null || fail "other cannot approve"
wait_delivered 3
sleep 0.5
check "history (the setup's eligibility) was not delivered" "3 3" "$(delivered)"
as demo pimctl deactivate "User Administrator" >/dev/null || fail "demo cannot deactivate"

# --- 2. the notifier is stopped; events happen; it restarts ---------------

sleep 0.5	# the deactivation, not on for any role, moves the cursor
stop_notifier TERM
ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason "second" | req_id)
as other pimctl deny "$ID" --reason "not now" >/dev/null || fail "other cannot deny"
check "nothing is delivered while the notifier is down" "3 3" "$(delivered)"
start_notifier
wait_delivered 5

# --- 3. slapd killed and restarted under the running notifier -------------

PIM_PORT=$PORT
pim_kill
pim_start
wait_for 15 grep -q reconnected "$T/notify.err" && pass "the notifier reconnected to the restarted slapd" ||
	fail "the notifier did not reconnect"
ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason "forgotten" | req_id)
wait_delivered 6
# the request times out (pimRequestLifetime 2s)
wait_delivered 7

# --- 4. both killed; events while both are down; both restarted -----------

stop_notifier KILL
pim_kill
pim_start
as admin pimctl assign --eligible other "Critical Ops" --reason oncall >/dev/null || fail "cannot make other eligible"
as admin pimctl assign --active other "User Administrator" --duration 1h --reason standin >/dev/null ||
	fail "cannot assign other active"
start_notifier
wait_delivered 9
as other pimctl activate "Critical Ops" --duration 4s --reason "incident" >/dev/null || fail "other cannot activate Critical Ops"
# an alert: demo writes the role's membership around PIM (the first attempt alerts)
as demo ldapmodify >/dev/null 2>&1 <<LDIF
dn: $ROLE
changetype: modify
add: member
member: $DEMO
LDIF
# activated, alert, then (pim-expiry-warning 2s) expiring and expired
wait_delivered 13

# --- the verdict on everything delivered so far ----------------------------

as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(objectClass=pimAuditRecord)" \
	pimAuditSeq pimAuditEvent pimAuditRole pimAuditPrincipal > "$T/audit.ldif"
A="admin@example.com"; S="secops@example.com"; U="ua-owner@example.com"; O="oncall@example.com"
cat > "$T/expected" <<EXP
requested|User Administrator|other@example.com,$U
activated|User Administrator|demo@example.com,$U
approved|User Administrator|demo@example.com,$U
requested|User Administrator|other@example.com,$U
denied|User Administrator|demo@example.com,$U
requested|User Administrator|other@example.com,$U
timed-out|User Administrator|demo@example.com,$U
eligibility added|Critical Ops|$A,$O,other@example.com,$S
activated|User Administrator|$A,other@example.com,$S,$U
activated|Critical Ops|$A,$O,other@example.com,$S
alert|User Administrator|$A,$S,$U
expiring|Critical Ops|$O,other@example.com
expired|Critical Ops|$O,other@example.com
EXP
"$PY" "$NOTIFY_PY" verify "$T/sink" "$T/audit.ldif" "$HEAD" "$T/expected" > "$T/verdict"
while IFS= read -r line; do
	case $line in
	PASS*) pass "${line#PASS }" ;;
	FAIL*) fail "${line#FAIL }" ;;
	*) printf '%s\n' "$line" ;;
	esac
done < "$T/verdict"
grep -q '^PASS each event reached exactly' "$T/verdict" || fail "verify gave no routing verdict"
sleep 0.5
check "the state file is the last record handled" "$(last_seq)" "$(cat "$T/notify.state")"

# --- 5. a webhook that keeps failing: retried, given up, the cursor moves on --

stop_notifier TERM
sed -e "s|^webhook-url.*|webhook-url	http://127.0.0.1:$CLOSED_PORT/hook|" \
    -e "s|^state-file.*|state-file	$T/fail.state|" "$T/notify.conf" > "$T/fail.conf"
cp "$T/notify.state" "$T/fail.state"
ID=$(as demo pimctl activate "User Administrator" --duration 1h --reason "failing" | req_id)
FAILSEQ=$(last_seq)
before=$(date +%s%N)
"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/fail.conf" --once \
	>"$T/fail.out" 2>"$T/fail.err"
rc=$?
elapsed_ms=$(( ( $(date +%s%N) - before ) / 1000000 ))
check "--once with an undeliverable event exits 68" 68 "$rc"
check "attempts that failed, logged" 3 "$(grep -c "webhook http://127.0.0.1:$CLOSED_PORT/hook: attempt [123] of 3 failed" "$T/fail.err")"
grep -q "ERROR: event $FAILSEQ (requested) FAILED: webhook .* undelivered after 3 attempts" "$T/fail.err" &&
	pass "the failure is raised at error level, naming the event" || { fail "no error-level failure"; sed 's/^/#   /' "$T/fail.err"; }
[ "$elapsed_ms" -ge 550 ] && pass "exponential backoff: 0.2 s then 0.4 s ($elapsed_ms ms)" ||
	fail "retries without backoff ($elapsed_ms ms)"
check "the cursor moved on past the failed event" "$FAILSEQ" "$(cat "$T/fail.state")"
check "the mail of the failed event was still delivered, once" 1 \
	"$("$PY" "$NOTIFY_PY" seqs "$T/sink" | grep -cx "$FAILSEQ")"
expect_rc 0 "a second --once delivers nothing again" \
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/fail.conf" --once
check "no delivery repeated" 1 "$("$PY" "$NOTIFY_PY" seqs "$T/sink" | grep -cx "$FAILSEQ")"
# the failing request times out (pimRequestLifetime 2s) before part 6
# starts, so that its timed-out record falls in no later part's window
failing_ended() {
	as manager ldapsearch -LLL -b "$CONTAINER" "(&(pimId=$ID)(pimState=timed-out))" 1.1 |
		grep -q '^dn:'
}
wait_for 15 failing_ended || fail "the failing request did not time out"

# --- 6a. --from-start: a first start that replays the trail ------------------

FIRST=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(pimAuditEvent=eligibility added)" pimAuditSeq |
	sed -n 's/^pimAuditSeq: //p' | sort -n | head -1)
sed -e "s|^state-file.*|state-file	$T/replay.state|" -e '/^role/,$d' "$T/notify.conf" > "$T/replay.conf"
echo "events eligibility-added" >> "$T/replay.conf"
expect_rc 0 "--from-start --once" \
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/replay.conf" --once --from-start
check "--from-start delivered the history's first eligibility (record $FIRST)" 1 \
	"$("$PY" "$NOTIFY_PY" seqs "$T/sink" | grep -cx "$FIRST")"
check "--from-start ends at the head" "$(last_seq)" "$(cat "$T/replay.state")"

# --- 6b. requests about one's own eligibility: to the approvers (a role
# without any: the administrators), its grant to the user and them --------

OPS="cn=Ops Console,ou=roles,$BASE"
sed -e "s|^state-file.*|state-file	$T/elig.state|" "$T/notify.conf" > "$T/elig.conf"
cp "$T/replay.state" "$T/elig.state"
ELIG_FROM=$(cat "$T/elig.state")
now=$(date +%s)
as manager ldapadd >/dev/null <<LDIF || fail "cannot add Ops Console and demo's eligibility"
dn: $OPS
objectClass: groupOfNames
objectClass: pimRole
cn: Ops Console
member: $CONTAINER
pimEligibleMaxDuration: 90d

dn: pimId=elig-demo-ops,$CONTAINER
objectClass: pimEligibility
pimId: elig-demo-ops
pimPrincipal: $DEMO
pimRoleDN: $OPS
pimStartTime: $(gentime $((now - 86400)))
pimEndTime: $(gentime $((now + 10 * 86400)))
LDIF
expect_rc 0 "demo asks for her eligibility to be extended" \
	as demo pimctl extend "Ops Console" --eligible --duration 30d --reason "on call next month"
EREQ=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimPrincipal=$DEMO)(pimRequestFor=eligibility))" pimId | sed -n 's/^pimId: //p')
expect_rc 0 "a PIM administrator approves it" as admin pimctl approve "$EREQ" --reason ok
expect_rc 0 "--once delivers them" \
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/elig.conf" --once
as manager ldapsearch -LLL -o ldif-wrap=no -b "cn=audit,$CONTAINER" "(objectClass=pimAuditRecord)" \
	pimAuditSeq pimAuditEvent pimAuditRole pimAuditPrincipal > "$T/audit.ldif"
cat > "$T/expected.elig" <<EXP
eligibility added|Ops Console|$A,demo@example.com,$S
eligibility requested|Ops Console|$A,$S
eligibility extended|Ops Console|$A,demo@example.com,$S
approved|Ops Console|demo@example.com
EXP
"$PY" "$NOTIFY_PY" verify "$T/sink" "$T/audit.ldif" "$ELIG_FROM" "$T/expected.elig" > "$T/verdict.elig"
# the routing verdict, and whatever failed
grep '^PASS each event reached\|^FAIL' "$T/verdict.elig" > "$T/verdict.elig2"
while IFS= read -r line; do
	case $line in
	PASS*) pass "eligibility requests: ${line#PASS }" ;;
	FAIL*) fail "eligibility requests: ${line#FAIL }" ;;
	*) printf '%s\n' "$line" ;;
	esac
done < "$T/verdict.elig2"
grep -q '^PASS each event reached exactly' "$T/verdict.elig" || fail "eligibility requests: no routing verdict"

# --- 6. the configuration is checked -----------------------------------------

printf 'state-file %s\nsmtp-url smtp://127.0.0.1:1\nmail-from a@b\nbogus-key 1\n' "$T/x.state" > "$T/bad.conf"
expect_rc 64 "an unknown setting is refused" \
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/bad.conf" --once
expect_out "bad.conf:4: unknown setting \"bogus-key\"" "the diagnostic names the file and line"

# --- 7. retention removed records the notifier had not seen: said, not waited for --

stop_notifier TERM 2>/dev/null
CURSOR=$(cat "$T/notify.state")
as config ldapmodify >/dev/null <<LDIF || fail "cannot set olcPimAuditRetention"
dn: olcOverlay={0}pim,olcDatabase={1}mdb,cn=config
changetype: modify
replace: olcPimAuditRetention
olcPimAuditRetention: 2s
LDIF
gone() { [ -z "$(as manager ldapsearch -LLL -b "cn=audit,$CONTAINER" -s one "(pimAuditSeq=$1)" 1.1)" ]; }
wait_for 8 gone $((CURSOR + 1)) && pass "retention removed record $((CURSOR + 1))" ||
	fail "record $((CURSOR + 1)) is still there"
as demo pimctl activate "User Administrator" --duration 1h --reason "after retention" >/dev/null
NEWSEQ=$(last_seq)
expect_rc 0 "--once after retention" \
	"$PIMCTL" -H "$URI" -x -D "$MANAGER" -w "$MANAGER_PW" notify --config "$T/notify.conf" --once
expect_out "ERROR: records $((CURSOR + 1)) to [0-9]+ were removed from the trail \(retention\)" \
	"the records lost to retention are reported at error level"
check "the event after them was delivered" 1 "$("$PY" "$NOTIFY_PY" seqs "$T/sink" | grep -cx "$NEWSEQ")"
check "the cursor is past it" "$NEWSEQ" "$(cat "$T/notify.state")"

pim_done
