#!/bin/bash
# PIM's own writes are PIM's own (issue 9).
#
# An action PIM takes on a client's plain LDAP write (door 2) is a
# series of writes of PIM's own: the activation entry, the role's member
# and pimManagedMember values, the user's memberOf value, an audit
# record.  None of them may carry what the client attached to its own
# request, and none may depend on what the client's session is doing:
#   1. an assertion control is evaluated on the client's own target only,
#      before PIM acts (never on the role, the user or the audit record);
#   2. a critical control PIM cannot honour (pre-read, post-read, relax,
#      no-op) is write_refused (12) before anything is written, a non-critical
#      no-op too (53: no dry run), a non-critical pre-read is ignored;
#   3. a PIM write inside an LDAP transaction (RFC 5805) is write_refused at
#      the commit (53) before anything is written, without an audit
#      record, without deadlocking the server and without a gap in the
#      audit chain; non-PIM transactions still commit;
#   4. with slapo-accesslog on the database, every one of PIM's writes
#      is logged as a change of its own (its own reqStart);
#   5. with slapo-constraint failing the role's modify, a removal that
#      fails leaves the activation active (never "ended" while its value
#      remains), raises a removal-failed alert, logs it, and the timer
#      removes the values once the role can be written again.
# After every scenario the membership invariant is checked for every
# PIM role (lib.sh check_invariant).
. "$(dirname "$0")/lib.sh"
pim_setup own-writes

T0=$(date +%s)
TMO=15				# every client command runs under this timeout (s)
AUDIT="cn=audit,$CONTAINER"
GLASS="cn=Own Glass,ou=roles,$BASE"	# pimActivePermanentAllowed: TRUE
CAROL="uid=carol,ou=people,$BASE"; CAROL_PW=carol-secret

# --- helpers ----------------------------------------------------------

# as WHO CMD ARGS...: lib.sh's, bounded by $TMO seconds (a hung server
# makes a check fail with rc 124 instead of hanging the test).
as() {
	local who=$1 cmd=$2 dn pw
	shift 2
	if [ "$cmd" = pimctl ]; then cmd=$PIMCTL; set -- -b "$BASE" "$@"; fi
	case $who in
	manager) dn=$MANAGER; pw=$MANAGER_PW ;;
	admin)   dn=$ADMIN; pw=$ADMIN_PW ;;
	demo)    dn=$DEMO; pw=$DEMO_PW ;;
	other)   dn=$OTHER; pw=$OTHER_PW ;;
	carol)   dn=$CAROL; pw=$CAROL_PW ;;
	config)  dn=$CONFIG_DN; pw=$CONFIG_PW ;;
	anon)    timeout "$TMO" "$cmd" -x -H "$URI" "$@"; return ;;
	*) pim_log "as: unknown actor $who"; return 99 ;;
	esac
	timeout "$TMO" "$cmd" -x -H "$URI" -D "$dn" -w "$pw" "$@"
}
# run WHO LDIF-FILE ARGS...: ldapmodify of a file as WHO; sets RC and OUT
run() {
	local who=$1 file=$2
	shift 2
	OUT=$(as "$who" ldapmodify "$@" -f "$file" 2>&1); RC=$?
}
modify_ldif() {	# FILE DN LINE...: a modify ("-" separates modifications)
	local f=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$f"
}
act_dn() { printf 'pimId=%s,%s' "$1" "$CONTAINER"; }
N=0
# act_ldif FILE [ID]: a door-2 activation request of demo's for $ROLE
# (for an hour); sets ID
act_ldif() {
	N=$((N + 1)); ID=${2:-ow-$N}
	cat > "$1" <<LDIF
dn: $(act_dn "$ID")
changetype: add
objectClass: pimActivation
pimId: $ID
pimPrincipal: $DEMO
pimRoleDN: $ROLE
pimState: active
pimJustification: own writes
pimRequestedDuration: 1h
LDIF
}
state_of() { attr_values "$(act_dn "$1")" pimState; }
exists() {	# DN: TRUE or FALSE
	as manager ldapsearch -LLL -b "$1" -s base 1.1 >/dev/null 2>&1 && echo TRUE || echo FALSE
}
managed() {	# ROLE USER
	attr_values "$1" pimManagedMember | grep -qixF "$2" && echo TRUE || echo FALSE
}
# membership ROLE USER: "member managed memberOf", each TRUE or FALSE
membership() { echo "$(is_member "$1" "$2") $(managed "$1" "$2") $(has_member_of "$1" "$2")"; }
HELD="TRUE TRUE TRUE"; NONE="FALSE FALSE FALSE"
# audit_count [FILTER]: audit records (matching FILTER)
audit_count() {
	as manager ldapsearch -LLL -b "$AUDIT" -s one "(&(objectClass=pimAuditRecord)${1:-})" 1.1 |
		grep -c '^dn:'
}
verify() { as admin pimctl audit verify; }
# activate [DURATION]: demo activates $ROLE through door 1; sets ID
activate() {
	OUT=$(as demo pimctl activate "$ROLE" --duration "${1:-1h}" --reason "own writes" 2>&1); RC=$?
	ID=$(printf '%s\n' "$OUT" | sed -n 's/.*(id \([^)]*\)).*/\1/p' | head -1)
	[ "$RC" = 0 ] && [ -n "$ID" ] || { fail "demo cannot activate: rc=$RC $OUT"; return 1; }
}
# end_all: demo has no active activation of $ROLE left (nothing to end: 32)
end_all() {
	local rc
	as demo pimctl deactivate "$ROLE" >/dev/null 2>&1; rc=$?
	case $rc in 0|32) ;; *) fail "demo cannot deactivate (rc=$rc)" ;; esac
}
log_mark() { LOG_MARK=$(wc -l < "$T/slapd.log"); }
log_since() { tail -n +"$((LOG_MARK + 1))" "$T/slapd.log"; }
# unchanged WHAT BEFORE: the directory's snapshot is still BEFORE
unchanged() {
	[ "$2" = "$(dir_snapshot)" ] && pass "$1: nothing changed" || fail "$1: the directory changed"
}
# write_refused CODE WHAT DIAG-REGEX WHO FILE ARGS...: ldapmodify of FILE is
# write_refused with CODE, its diagnostic matches DIAG-REGEX (case-insensitive;
# "" for none), and the directory is unchanged.
write_refused() {
	local code=$1 what=$2 diag=$3 who=$4 file=$5 before
	shift 5
	before=$(dir_snapshot)
	run "$who" "$file" "$@"
	if [ "$RC" = "$code" ]; then
		pass "$what: rc=$RC"
	else
		fail "$what: expected rc=$code, got rc=$RC"
		printf '%s\n' "$OUT" | sed 's/^/#   /'
	fi
	if [ -n "$diag" ]; then
		printf '%s\n' "$OUT" | grep -Eiq -- "$diag" && pass "$what: the diagnostic names it (/$diag/)" ||
			{ fail "$what: diagnostic does not match /$diag/"; printf '%s\n' "$OUT" | sed 's/^/#   /'; }
	fi
	unchanged "$what" "$before"
}
# alive LABEL: slapd is still running; else that fails, and it is
# started again for the rest of the test
alive() {
	kill -0 "$SLAPD_PID" 2>/dev/null && return 0
	wait "$SLAPD_PID" 2>/dev/null
	fail "slapd died during $1 (exit status $?): started again for the rest of the test"
	tail -3 "$T/slapd.log" | cut -c1-200 | sed 's/^/#   log: /'
	SLAPD_PID=""
	pim_start
}
# after LABEL: slapd survived the scenario, and the invariant holds
after() {
	alive "$1"
	check_invariant "$1"
}

# --- setup ----------------------------------------------------------------

expect_rc 0 "demo made eligible for $ROLE" as admin pimctl assign --eligible demo "$ROLE" --reason "own writes"
as admin ldapadd >/dev/null <<LDIF
dn: $GLASS
objectClass: groupOfNames
objectClass: pimRole
cn: Own Glass
member: $CONTAINER
pimActivePermanentAllowed: TRUE
LDIF
[ $? = 0 ] && pass "admin creates $GLASS (permanent active assignments allowed)" ||
	fail "cannot create $GLASS"
as manager ldapadd >/dev/null <<LDIF
dn: $CAROL
objectClass: inetOrgPerson
uid: carol
cn: Carol
sn: Carol
userPassword: $CAROL_PW
LDIF
[ $? = 0 ] && pass "carol added (eligible for nothing)" || fail "cannot add carol"
after "the setup"

# --- 1. the assertion control concerns the client's target only -------------
# Attack: an assertion that is true on the client's entry but false on
# the entries PIM writes for it (the role is a groupOfNames, the record a
# pimAuditRecord) made PIM's own writes fail half way: the activation
# ended with its member value left, or granted with no record.  And an
# assertion false on the client's target must stop everything.

# 1a. door-2 deactivation, the assertion true on the activation entry
activate 1h
A=$ID
check "1a: demo holds the role before" "$HELD" "$(membership "$ROLE" "$DEMO")"
modify_ldif "$T/deact.ldif" "$(act_dn "$A")" "replace: pimState" "pimState: deactivated"
run demo "$T/deact.ldif" -e '!assert=(&(!(objectClass=groupOfNames))(!(objectClass=pimAuditRecord)))'
check "1a: door-2 deactivation with an assertion true on the activation: rc" 0 "$RC"
[ "$RC" = 0 ] || printf '%s\n' "$OUT" | sed 's/^/#   /'
check "1a: member, pimManagedMember, memberOf at once" "$NONE" "$(membership "$ROLE" "$DEMO")"
check "1a: pimState" deactivated "$(state_of "$A")"
check "1a: a deactivated audit record for $A" 1 "$(audit_count "(pimAuditEvent=deactivated)(pimAuditId=$A)")"
after "1a (door-2 deactivation, assertion true on the activation)"

# 1b. the same, the assertion false on the activation entry
activate 1h
B=$ID
modify_ldif "$T/deact.ldif" "$(act_dn "$B")" "replace: pimState" "pimState: deactivated"
write_refused 122 "1b: door-2 deactivation with an assertion false on the activation" "assertion" \
	demo "$T/deact.ldif" -e '!assert=(objectClass=groupOfNames)'
check "1b: still active" active "$(state_of "$B")"
check "1b: demo still holds the role" "$HELD" "$(membership "$ROLE" "$DEMO")"
end_all
after "1b (assertion false on the activation)"

# 1c. door-2 activation, the assertion true on the entry being added
act_ldif "$T/add.ldif"
run demo "$T/add.ldif" -a -e '!assert=(!(objectClass=inetOrgPerson))'
check "1c: door-2 activation with an assertion true on the new entry: rc" 0 "$RC"
[ "$RC" = 0 ] || printf '%s\n' "$OUT" | sed 's/^/#   /'
check "1c: member, pimManagedMember, memberOf" "$HELD" "$(membership "$ROLE" "$DEMO")"
check "1c: pimState" active "$(state_of "$ID")"
check "1c: an activated audit record for $ID" 1 "$(audit_count "(pimAuditEvent=activated)(pimAuditId=$ID)")"
end_all
after "1c (door-2 activation, assertion true on the new entry)"

# 1d. an assertion that is false on an audit record only
act_ldif "$T/add.ldif"
run demo "$T/add.ldif" -a -e '!assert=(!(objectClass=pimAuditRecord))'
check "1d: door-2 activation with an assertion false on audit records: rc" 0 "$RC"
check "1d: an activated audit record for $ID" 1 "$(audit_count "(pimAuditEvent=activated)(pimAuditId=$ID)")"
check "1d: member, pimManagedMember, memberOf" "$HELD" "$(membership "$ROLE" "$DEMO")"
end_all
after "1d (assertion false on audit records)"

# 1e. the assertion false on the entry being added
act_ldif "$T/add.ldif"
write_refused 122 "1e: door-2 activation with an assertion false on the new entry" "assertion" \
	demo "$T/add.ldif" -a -e '!assert=(objectClass=inetOrgPerson)'
check "1e: no activation entry" FALSE "$(exists "$(act_dn "$ID")")"
check "1e: no membership" "$NONE" "$(membership "$ROLE" "$DEMO")"
after "1e (assertion false on the new entry)"

# --- 2. controls PIM cannot honour ------------------------------------------
# Attack: a pre-read, post-read, relax or no-op control PIM ignores
# makes the client believe something PIM did not do (a no-op that
# acted, a relaxed rule, an entry read that is not PIM's), or copied to
# PIM's writes bends them.  Critical: write_refused (12) with a text naming the
# control; non-critical no-op: write_refused (53, no dry run); non-critical
# pre-read: ignored, the action happens.

ctrl_diag() {	# CONTROL: what its refusal must name
	case $1 in
	*preread*) echo 'pre-?read' ;; *postread*) echo 'post-?read' ;;
	*relax*) echo 'relax' ;; *noop*) echo 'no-?op' ;;
	esac
}
CRITICAL="!preread=pimState !postread=pimState !relax !noop"

# 2a. the modify of an activation's pimState (door-2 deactivation)
activate 1h
C=$ID
modify_ldif "$T/deact.ldif" "$(act_dn "$C")" "replace: pimState" "pimState: deactivated"
for ctl in $CRITICAL; do
	write_refused 12 "2a: deactivation with critical $ctl" "$(ctrl_diag "$ctl")" demo "$T/deact.ldif" -e "$ctl"
done
write_refused 53 "2a: deactivation with a non-critical noop" "no-?op" demo "$T/deact.ldif" -e noop
check "2a: still active after the refusals" active "$(state_of "$C")"
run demo "$T/deact.ldif" -e preread=pimState
check "2a: deactivation with a non-critical preread: rc" 0 "$RC"
check "2a: deactivated" deactivated "$(state_of "$C")"
check "2a: the membership is gone" "$NONE" "$(membership "$ROLE" "$DEMO")"
after "2a (controls on a door-2 deactivation)"

# 2b. the add of an activation entry
for ctl in $CRITICAL; do
	act_ldif "$T/add.ldif"
	# (slapd's frontend refuses a pre-read on an add itself, with its own text)
	case $ctl in *preread*) diag="" ;; *) diag=$(ctrl_diag "$ctl") ;; esac
	write_refused 12 "2b: activation add with critical $ctl" "$diag" demo "$T/add.ldif" -a -e "$ctl"
	check "2b: no entry $ID after critical $ctl" FALSE "$(exists "$(act_dn "$ID")")"
done
act_ldif "$T/add.ldif"
write_refused 53 "2b: activation add with a non-critical noop" "no-?op" demo "$T/add.ldif" -a -e noop
check "2b: no entry $ID after the non-critical noop" FALSE "$(exists "$(act_dn "$ID")")"
check "2b: no membership after the refusals" "$NONE" "$(membership "$ROLE" "$DEMO")"
act_ldif "$T/add.ldif"
run demo "$T/add.ldif" -a -e preread=pimState
check "2b: activation add with a non-critical preread: rc" 0 "$RC"
check "2b: active" active "$(state_of "$ID")"
check "2b: demo holds the role" "$HELD" "$(membership "$ROLE" "$DEMO")"
end_all
after "2b (controls on a door-2 activation)"

# 2c. an administrator's member add on a role (a permanent assignment)
modify_ldif "$T/member.ldif" "$GLASS" "add: member" "member: $OTHER"
for ctl in $CRITICAL; do
	write_refused 12 "2c: admin's member add with critical $ctl" "$(ctrl_diag "$ctl")" admin "$T/member.ldif" -e "$ctl"
done
write_refused 53 "2c: admin's member add with a non-critical noop" "no-?op" admin "$T/member.ldif" -e noop
check "2c: other holds nothing after the refusals" "$NONE" "$(membership "$GLASS" "$OTHER")"
run admin "$T/member.ldif" -e preread=pimState
check "2c: admin's member add with a non-critical preread: rc" 0 "$RC"
check "2c: other holds $GLASS" "$HELD" "$(membership "$GLASS" "$OTHER")"
modify_ldif "$T/unmember.ldif" "$GLASS" "delete: member" "member: $OTHER"
run admin "$T/unmember.ldif"
check "2c: admin removes other again: rc" 0 "$RC"
after "2c (controls on an administrator's member add)"

# --- 3. transactions ---------------------------------------------------------
# Attack: a PIM write inside an LDAP transaction ran PIM's own writes
# while slapd held the database's write lock for the commit: they
# deadlocked, or went into the client's transaction (rolled back with
# it, or committed half), or left an audit record (or a hole in the
# chain) for a write that never happened.  Each is write_refused at the commit
# (53), nothing is written, nothing is audited.

# txn_input FILE: FILE's records for ldapmodify's standard input, 0.2 s
# apart and 0.2 s before the end.  Debian's slapd 2.5.13 has a race of
# its own (with or without pim): it sends an operation's "queued in the
# transaction" result before its thread is done with the operation, so a
# commit that follows at once can run (and free) the operation while that
# thread still uses it, and slapd crashes (a few dozen quick transactions
# on three connections are enough).  ldapmodify reads its next record
# before it sends the next request (or the commit), so the pauses close
# the window.
txn_input() {
	local n i
	awk -v RS= -v out="$1.rec" '{ f = out "." NR; print > f; close( f ) } END { print NR > ( out ".n" ) }' "$1"
	n=$(cat "$1.rec.n")
	for i in $(seq 1 "$n"); do cat "$1.rec.$i"; echo; sleep 0.2; done
}
txn() {	# WHO FILE: one transaction of FILE's changes, committed; sets RC, OUT
	OUT=$(set -o pipefail; txn_input "$2" | as "$1" ldapmodify -E '!txn=commit' 2>&1); RC=$?
}
# txn_refused WHAT WHO FILE: the commit fails with 53, nothing changes,
# the audit trail is as it was, and the refusal is about transactions
txn_refused() {
	local what=$1 before audit_before
	before=$(dir_snapshot); audit_before=$(audit_count)
	log_mark
	txn "$2" "$3"
	sleep 0.3; alive "3: $what in a transaction"
	check "3: $what in a transaction: rc" 53 "$RC"
	[ "$RC" = 53 ] || printf '%s\n' "$OUT" | sed 's/^/#   /'
	# the commit's result carries no text to ldapmodify: slapd's log has it
	{ printf '%s\n' "$OUT" | grep -qi 'transaction'; } || log_since | grep -qi 'pim.*transaction' &&
		pass "3: $what: the refusal is about transactions" ||
		fail "3: $what: nothing says the refusal is about transactions"
	unchanged "3: $what" "$before"
	check "3: $what: audit records added" 0 "$(( $(audit_count) - audit_before ))"
}

act_ldif "$T/txn-add.ldif"
TXN_ID=$ID
txn_refused "a door-2 activation" demo "$T/txn-add.ldif"
check "3: no entry $TXN_ID" FALSE "$(exists "$(act_dn "$TXN_ID")")"
activate 1h
D=$ID
modify_ldif "$T/txn-deact.ldif" "$(act_dn "$D")" "replace: pimState" "pimState: deactivated"
txn_refused "a door-2 deactivation" demo "$T/txn-deact.ldif"
check "3: still active" active "$(state_of "$D")"
cat > "$T/txn-elig.ldif" <<LDIF
dn: pimId=ow-txn-elig,$CONTAINER
changetype: add
objectClass: pimEligibility
pimId: ow-txn-elig
pimPrincipal: $OTHER
pimRoleDN: $ROLE
pimStartTime: $(gentime $(( $(date +%s) - 60 )))
LDIF
txn_refused "an administrator's eligibility add" admin "$T/txn-elig.ldif"
txn_refused "an administrator's member add" admin "$T/member.ldif"
# a non-PIM write first, then the PIM write: the whole commit fails
{ printf 'dn: %s\nchangetype: modify\nreplace: description\ndescription: half a transaction\n\n' "$OTHER"
  cat "$T/member.ldif"; } > "$T/txn-mixed.ldif"
desc=$(attr_values "$OTHER" description)
txn_refused "a description change and an administrator's member add (as the manager)" manager "$T/txn-mixed.ldif"
check "3: other's description was not changed" "$desc" "$(attr_values "$OTHER" description)"
expect_rc 0 "3: the audit chain verifies after the write_refused transactions" verify
modify_ldif "$T/txn-plain.ldif" "$OTHER" "replace: description" "description: plain transaction"
txn manager "$T/txn-plain.ldif"
check "3: a transaction of non-PIM writes commits: rc" 0 "$RC"
check "3: its change is there" "plain transaction" "$(attr_values "$OTHER" description)"
end_all
after "3 (transactions)"

# 3, deadlock: write_refused transactions while other clients' PIM actions are
# write_refused (each of which takes PIM's locks and writes an audit record).
# Every command is bounded; a time-out (124) is a hung server.
cat > "$T/carol-add.ldif" <<LDIF
dn: pimId=ow-carol,$CONTAINER
changetype: add
objectClass: pimActivation
pimId: ow-carol
pimPrincipal: $CAROL
pimRoleDN: $ROLE
pimState: active
pimJustification: not eligible
pimRequestedDuration: 1h
LDIF
: > "$T/deadlock.rc"
for round in $(seq 1 10); do
	act_ldif "$T/dl-add-$round.ldif" "ow-dl-$round"
	pids=""
	( txn demo "$T/dl-add-$round.ldif"; echo "txn-add $RC" >> "$T/deadlock.rc" ) &
	pids="$pids $!"
	cp "$T/member.ldif" "$T/dl-member-$round.ldif"
	( txn admin "$T/dl-member-$round.ldif"; echo "txn-member $RC" >> "$T/deadlock.rc" ) &
	pids="$pids $!"
	# the refusals come while the commits do (0.2 s after the start)
	( sleep 0.15
	  for k in 1 2 3 4; do
		as other pimctl activate "$ROLE" --duration 1h --reason "not eligible" >/dev/null 2>&1
		echo "exop-write_refused $?" >> "$T/deadlock.rc"
	  done ) &
	pids="$pids $!"
	( sleep 0.15
	  for k in 1 2 3 4; do
		as carol ldapmodify -a -f "$T/carol-add.ldif" >/dev/null 2>&1
		echo "door2-write_refused $?" >> "$T/deadlock.rc"
	  done ) &
	pids="$pids $!"
	# shellcheck disable=SC2086
	wait $pids	# (not slapd, which is a child of this shell too)
	grep -q ' 124$' "$T/deadlock.rc" && break	# hung: no more rounds
done
check "3, deadlock: commands that timed out (rc 124) in $round rounds" 0 "$(grep -c ' 124$' "$T/deadlock.rc")"
check "3, deadlock: write_refused transactions (rc 53)" 20 "$(grep -c '^txn-[a-z]* 53$' "$T/deadlock.rc")"
check "3, deadlock: write_refused requests of users who are not eligible (rc non-zero)" 0 \
	"$(grep -c '^\(exop\|door2\)-write_refused 0$' "$T/deadlock.rc")"
grep -v '^txn-[a-z]* 53$' "$T/deadlock.rc" | sort | uniq -c | sed 's/^/#   results: /'
if grep -q ' 124$' "$T/deadlock.rc"; then
	# every later request would wait for the hung server too
	pim_log "slapd hung: killed and started again for the rest of the test"
	pim_kill
	pim_start
fi
t=$(date +%s%N)
OUT=$(timeout 10 "$PIMCTL" -b "$BASE" -x -H "$URI" -D "$DEMO" -w "$DEMO_PW" activate "$ROLE" \
	--duration 1h --reason "after the storm" 2>&1)
check "3, deadlock: demo activates afterwards (within 10 s)" 0 "$?"
OUT=$(timeout 10 "$PIMCTL" -b "$BASE" -x -H "$URI" -D "$DEMO" -w "$DEMO_PW" deactivate "$ROLE" 2>&1)
check "3, deadlock: and deactivates (within 10 s)" 0 "$?"
printf '# activation and deactivation after the storm: %d ms\n' $(( ($(date +%s%N) - t) / 1000000 ))
check "3, deadlock: no activation entry from the write_refused transactions" "" \
	"$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=ow-dl-*)" 1.1 | sed -n 's/^dn: //p')"
after "3, deadlock"

# 3, gap: a transaction with a PIM write and an operation that fails.
# Attack: an audit record written (or its sequence number and hash
# taken) for the PIM write, then rolled back with the transaction, left
# the next record's chain pointing at nothing.
act_ldif "$T/gap.ldif"
GAP_ID=$ID
{ cat "$T/gap.ldif"; printf '\ndn: ou=people,%s\nchangetype: add\nobjectClass: organizationalUnit\nou: people\n' "$BASE"; } > "$T/txn-gap.ldif"
before=$(dir_snapshot)
txn demo "$T/txn-gap.ldif"
[ "$RC" != 0 ] && pass "3, gap: a PIM write then an add of an existing entry: the commit fails (rc=$RC)" ||
	fail "3, gap: the commit succeeded"
unchanged "3, gap" "$before"
# and the other order: the failing add first
act_ldif "$T/gap2.ldif"
{ printf 'dn: ou=people,%s\nchangetype: add\nobjectClass: organizationalUnit\nou: people\n\n' "$BASE"; cat "$T/gap2.ldif"; } > "$T/txn-gap2.ldif"
txn demo "$T/txn-gap2.ldif"
[ "$RC" != 0 ] && pass "3, gap: an add of an existing entry then a PIM write: the commit fails (rc=$RC)" ||
	fail "3, gap: the second commit succeeded"
unchanged "3, gap (other order)" "$before"
expect_rc 0 "3, gap: the audit chain verifies after the failed commits" verify
activate 1h
check "3, gap: the next activation is recorded" 1 "$(audit_count "(pimAuditEvent=activated)(pimAuditId=$ID)")"
expect_rc 0 "3, gap: the chain verifies with the new record" verify
expect_out "intact" "3, gap: verify says intact"
end_all
after "3, gap"

# --- 4. accesslog: each of PIM's writes is a change of its own ---------------
# Attack: PIM's writes carried the client operation's time stamp and
# change sequence number, so slapo-accesslog (whose entries are named by
# reqStart) logged only the first write of an action: the role's member
# change, the user's memberOf and the audit record went unlogged.
mkdir -p "$T/accesslog"
cat > "$T/accesslog.conf" <<CONF
# the access log (own-writes.sh, part 4)
database	mdb
maxsize		104857600
suffix		"cn=accesslog"
rootdn		"$MANAGER"
directory	$T/accesslog
index		reqStart eq

CONF
# and slapo-constraint for part 5: no entry may have a seeAlso value
# (no entry has one until part 5 puts one on the role, with relax)
pim_reconfigure "accesslog.la constraint.la" "$T/accesslog.conf" "overlay		accesslog
logdb		cn=accesslog
logops		writes
logsuccess	TRUE
overlay		constraint
constraint_attribute	seeAlso count 0" || exit 99
OVERLAYS=$(as config ldapsearch -LLL -b cn=config "(olcOverlay=*)" olcOverlay | sed -n 's/^olcOverlay: {[0-9]*}//p' | tr '\n' ' ')
check "4: the main database's overlays" "pim accesslog constraint " "$OVERLAYS"

# al_last: the latest reqStart in the access log
al_last() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b cn=accesslog "(objectClass=auditWriteObject)" reqStart |
		sed -n 's/^reqStart: //p' | sort | tail -1
}
# al_since MARK: the log entries after reqStart MARK, one a line
# (lower case, attributes separated by tabs, each starting with a tab)
al_since() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b cn=accesslog "(objectClass=auditWriteObject)" \
		reqStart reqType reqDN reqMod |
		awk -v RS= -v mark="$1" '{ s = $0; sub( /.*reqStart: /, "", s ); sub( /\n.*/, "", s )
			if ( s > mark ) { gsub( /\n/, "\t" ); print "\t" tolower( $0 ) } }'
}
# al_find WHAT REGEX...: one log entry matches every REGEX; its reqStart
# goes to $T/al.starts
al_find() {
	local what=$1 line
	shift
	line=$(printf '%s\n' "$AL" | {
		cat > "$T/al.cur"
		f="$T/al.cur"
		for re in "$@"; do grep -E -- "$re" "$f" > "$f.n"; mv "$f.n" "$f"; done
		head -1 "$f"; })
	if [ -n "$line" ]; then
		pass "4: logged: $what"
		printf '%s\n' "$line" | sed 's/.*\treqstart: \([^\t]*\).*/\1/' >> "$T/al.starts"
	else
		fail "4: not logged: $what"
	fi
}
al_distinct() {	# WHAT N: N entries found, with N distinct reqStart values
	check "4: $1: distinct reqStart values of its log entries" "$2" "$(sort -u "$T/al.starts" | grep -c .)"
	: > "$T/al.starts"
}
lrole=$(lc "$ROLE"); ldemo=$(lc "$DEMO"); lcont=$(lc "$CONTAINER")
: > "$T/al.starts"

mark=$(al_last)
activate 1h
AL=$(al_since "$mark")
printf '# the activation: %d log entries\n' "$(printf '%s\n' "$AL" | grep -c .)"
al_find "activation: the add of its entry" $'\treqtype: add\t' $'\treqdn: pimid='"$(lc "$ID"),$lcont"$'(\t|$)'
al_find "activation: the role's member:+ demo" $'\treqtype: modify\t' $'\treqdn: '"$lrole"$'(\t|$)' $'\treqmod: member:\\+ '"$ldemo"$'(\t|$)'
al_find "activation: demo's memberOf:+" $'\treqtype: modify\t' $'\treqdn: '"$ldemo"$'(\t|$)' $'\treqmod: memberof:\\+ '
al_find "activation: its audit record" $'\treqtype: add\t' $'\treqdn: [^\t]*,cn=audit,'"$lcont"$'(\t|$)' \
	$'\treqmod: pimauditevent:\\+ activated(\t|$)' $'\treqmod: pimauditid:\\+ '"$(lc "$ID")"
al_distinct "the activation" 4

# ending: the role's member:-, the user's memberOf:-, the record's pimState, an audit record
al_ended() {	# WHAT EVENT ID
	al_find "$1: the role's member:- demo" $'\treqtype: modify\t' $'\treqdn: '"$lrole"$'(\t|$)' $'\treqmod: member:- '"$ldemo"$'(\t|$)'
	al_find "$1: demo's memberOf:-" $'\treqtype: modify\t' $'\treqdn: '"$ldemo"$'(\t|$)' $'\treqmod: memberof:- '
	al_find "$1: the activation's pimState" $'\treqtype: modify\t' $'\treqdn: pimid='"$(lc "$3"),$lcont"$'(\t|$)' $'\treqmod: pimstate:'
	al_find "$1: its audit record" $'\treqtype: add\t' $'\treqdn: [^\t]*,cn=audit,'"$lcont"$'(\t|$)' \
		$'\treqmod: pimauditevent:\\+ '"$2"$'(\t|$)' $'\treqmod: pimauditid:\\+ '"$(lc "$3")"
	al_distinct "$1" 4
}
mark=$(al_last)
OUT=$(as demo pimctl deactivate "$ROLE" 2>&1)
check "4: demo deactivates: rc" 0 "$?"
AL=$(al_since "$mark")
printf '# the deactivation: %d log entries\n' "$(printf '%s\n' "$AL" | grep -c .)"
al_ended "deactivation" deactivated "$ID"
after "4 (activation and deactivation, with accesslog)"

activate 3s
E=$ID
mark=$(al_last)
end=$(gt_epoch "$(attr_values "$(act_dn "$E")" pimEndTime)")
# past the end, plus the second removal may lag, plus a half
while [ "$(date +%s)" -le "$end" ]; do sleep 0.1; done
sleep 1.5
check "4: the 3 s activation expired" expired "$(state_of "$E")"
AL=$(al_since "$mark")
printf '# the expiry: %d log entries\n' "$(printf '%s\n' "$AL" | grep -c .)"
al_ended "expiry" expired "$E"
after "4 (expiry, with accesslog)"

# --- 5. a removal that fails -------------------------------------------------
# Attack: the role cannot be written (a failing backend, a full disk, an
# overlay's rule): the activation said "deactivated" or "expired" while
# its member value remained, so nothing would ever remove it.  It must
# stay active (ended now at the latest), alert, log, and be removed by the
# timer once the role can be written.
# The marker: a seeAlso value on the role, which slapo-constraint's
# "seeAlso count 0" lets only a write with the relax control make; while
# it is there, every modify of the role without relax -- PIM's own writes
# carry no control -- fails with constraintViolation; deleting it is
# allowed (the count goes back to 0).  (slapo-retcode's in-directory
# errors cannot stand in: for an internal operation retcode sends its
# error on the client's connection and reports success to the caller.)
MARKER="cn=own-writes marker"
marker_on() {
	modify_ldif "$T/marker.ldif" "$ROLE" "add: seeAlso" "seeAlso: $MARKER"
	run manager "$T/marker.ldif" -e '!relax'
	check "5: the manager makes every plain modify of the role fail (constraint marker): rc" 0 "$RC"
}
marker_off() {
	modify_ldif "$T/marker.ldif" "$ROLE" "delete: seeAlso" "seeAlso: $MARKER"
	run manager "$T/marker.ldif"
	check "5: the manager removes the marker: rc" 0 "$RC"
}
alerts() { audit_count "(pimAuditEvent=alert)(pimAuditAlert=removal-failed)"; }
alerts_above() { [ "$(alerts)" -gt "$1" ]; }
ended_and_gone() {	# ID: the values are gone and the activation ended
	[ "$(membership "$ROLE" "$DEMO")" = "$NONE" ] &&
		case $(state_of "$1") in expired|deactivated) true ;; *) false ;; esac
}

# 5a. deactivation while the role's write fails.  Sixteen others hold
# the role too, so that a read of it keeps a memo of its PIM values (all
# open, until the earliest end: an hour): the failed deactivation moves
# demo's end to now without removing the value, and that write must end
# the memo, or the read would still list demo.
WIDE=""
for i in $(seq -w 1 16); do
	add_user "ow$i"; WIDE="$WIDE ow$i"
	as admin pimctl assign --eligible "ow$i" "$ROLE" >/dev/null 2>&1 &&
		user "ow$i" pimctl activate "$ROLE" --duration 1h --reason "wide" >/dev/null 2>&1 ||
		fail "ow$i cannot activate $ROLE"
done
role_read_has() {	# USER: TRUE when a read of $ROLE as other lists USER
	as other ldapsearch -LLL -o ldif-wrap=no -b "$ROLE" -s base member |
		grep -qix "member: $1" && echo TRUE || echo FALSE
}
activate 1h
F=$ID
check "5a: a read of the role (17 PIM values) lists demo" TRUE "$(role_read_has "$DEMO")"
check "5a: a second read lists demo" TRUE "$(role_read_has "$DEMO")"
marker_on
alerts_before=$(alerts)
log_mark
t=$(date +%s)
OUT=$(as demo pimctl deactivate "$ROLE" 2>&1); rc=$?
[ "$rc" != 0 ] && pass "5a: the deactivation fails while the role cannot be written (rc=$rc)" ||
	fail "5a: the deactivation succeeded while the role could not be written"
check "5a: the member value is still there (the write failed)" TRUE "$(is_member "$ROLE" "$DEMO")"
check "5a: so the activation is still active" active "$(state_of "$F")"
check "5a: a read of the role no longer lists demo (its end is now)" FALSE \
	"$(role_read_has "$DEMO")"
check "5a: it still lists the others" TRUE "$(role_read_has "$(u ow16)")"
fend=$(gt_epoch "$(attr_values "$(act_dn "$F")" pimEndTime)")
[ "$fend" -le $(( $(date +%s) + 1 )) ] && [ "$fend" -ge $(( t - 1 )) ] &&
	pass "5a: its pimEndTime moved to now ($(( fend - t )) s from the request)" ||
	fail "5a: its pimEndTime is $(( fend - t )) s from the request, not now"
wait_for 3 alerts_above "$alerts_before"
check "5a: removal-failed alerts recorded" 1 "$(( $(alerts) - alerts_before ))"
# PIM's own lines (not the stats lines of this test's searches)
pim_lines() { log_since | grep -i 'pim: ' | grep -v ' SRCH \| filter=' | grep -Ei 'removal|cannot remove'; }
[ -n "$(pim_lines)" ] && pass "5a: slapd's log says the removal failed" ||
	fail "5a: nothing in slapd's log about the failed removal"
pim_lines | head -2 | cut -c1-200 | sed 's/^/#   log: /'
marker_off
t=$(date +%s)
wait_for 15 ended_and_gone "$F" &&
	pass "5a: the timer removed the values and ended the activation ($(( $(date +%s) - t )) s after the repair)" ||
	fail "5a: 15 s after the repair: membership '$(membership "$ROLE" "$DEMO")', state $(state_of "$F")"
after "5a (a deactivation whose removal failed, after the repair)"
for x in $WIDE; do
	user "$x" pimctl deactivate "$ROLE" >/dev/null 2>&1 || fail "$x cannot deactivate"
done

# 5b. expiry while the role's write fails
activate 3s
G=$ID
marker_on
alerts_before=$(alerts)
gend=$(gt_epoch "$(attr_values "$(act_dn "$G")" pimEndTime)")
lie=""
# until 2.5 s past the end: the timer has tried (and failed) by then
while [ $(( $(date +%s%N) / 1000000 )) -lt $(( gend * 1000 + 2500 )) ]; do
	st=$(state_of "$G"); m=$(is_member "$ROLE" "$DEMO")
	[ "$st" != active ] && [ "$m" = TRUE ] && lie="$st with the member value there"
	sleep 0.2
done
check "5b: never ended while its member value remained" "" "$lie"
check "5b: past its end, the member value is still there (the write failed)" TRUE "$(is_member "$ROLE" "$DEMO")"
check "5b: so the activation is still active" active "$(state_of "$G")"
check "5b: removal-failed alerts recorded" 1 "$(( $(alerts) - alerts_before ))"
marker_off
t=$(date +%s)
wait_for 15 ended_and_gone "$G" &&
	pass "5b: the timer removed the values ($(( $(date +%s) - t )) s after the repair)" ||
	fail "5b: 15 s after the repair: membership '$(membership "$ROLE" "$DEMO")', state $(state_of "$G")"
check "5b: the activation expired" expired "$(state_of "$G")"
after "5b (an expiry whose removal failed, after the repair)"

expect_rc 0 "the audit chain verifies at the end" verify
printf '# %d s\n' $(( $(date +%s) - T0 ))
pim_done
