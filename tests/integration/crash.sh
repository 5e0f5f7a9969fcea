#!/bin/bash
# crash.sh - crash safety: SIGKILL at random moments, then the invariant.
#
# DESIGN.md: "A membership value added by PIM exists if and only if an
# activation for it is active (start <= now < expiry) ... After a crash
# or restart the overlay reconciles both directions before anything
# else."  The membership values are the role's member value, its
# pimManagedMember value and the user's memberOf value.
#
# Part 1, random: PIM_CRASH_CYCLES (20) cycles.  Each starts slapd,
# waits for the startup reconciliation and checks that every live
# activation has its values (and that no value lacks one), then fires a
# burst of concurrent activate (1-3 s) / deactivate requests by five
# eligible users, so that expiries happen during the burst too, sleeps a
# random 0-1.5 s and kills slapd with SIGKILL.  After the last cycle:
# start, wait for the reconciliation, wait until every activation's end
# has passed plus a second and a half (removal lags expiry by at most a
# second), and check both directions once more: by then nothing may be
# left.  The random choices come from a seeded generator: the seed is
# printed, and PIM_CRASH_SEED repeats a run's choices (not its timing).
#
# Part 2, torn writes: the states a SIGKILL between two of PIM's writes
# leaves behind, made exactly (slapmodify while slapd is down) instead of
# hoping a random kill lands there: the role written but not the user's
# memberOf (grant and release), the record written but no membership,
# the record ended but the membership not yet removed.  The restart must
# repair each one.
. "$(dirname "$0")/lib.sh"
pim_setup crash

CYCLES=${PIM_CRASH_CYCLES:-20}
NUSERS=5
ACTIONS=40		# requests per user per burst (the kill ends most bursts)
SEED=${PIM_CRASH_SEED:-$(( $(od -An -N4 -tu4 /dev/urandom) % 2147483647 ))}
SLAPMODIFY=${SLAPMODIFY:-/usr/sbin/slapmodify}
SLAPINDEX=${SLAPINDEX:-/usr/sbin/slapindex}
T0=$(date +%s)
printf '# seed %s (PIM_CRASH_SEED=%s repeats the random choices)\n' "$SEED" "$SEED"

# A generator of our own: lib.sh's port picker uses $RANDOM.
RNG=$SEED
rnd() {	# rnd N: R = a number in [0, N)
	RNG=$(( (RNG * 1103515245 + 12345) % 2147483648 ))
	R=$(( (RNG >> 8) % $1 ))
}

# users crash1..crash5 make the bursts; torn1..torn4 the torn writes
user_dn() { case $1 in torn*) echo "uid=$1,ou=people,$BASE" ;; *) echo "uid=crash$1,ou=people,$BASE" ;; esac; }
user_pw() { case $1 in torn*) echo "$1-secret" ;; *) echo "crash$1-secret" ;; esac; }

# --- the invariant ------------------------------------------------------

# tests/integration/invariant.py, on dumps lib.sh takes (every PIM role
# is checked; here there is one, $ROLE).
dump() { invariant_dump "$@"; }	# FILE: the directory as the manager sees it
evaluate() { invariant_evaluate "$@"; }	# FILE: the checker's verdict on a dump taken just now

VIOLATIONS=0	# distinct violations: each broken value counts once
: > "$T/seen"
# check LABEL [REGEX]: the invariant in both directions, on the lines
# that match REGEX (default all).  Forward violations count at once
# (nothing else is running: only the timer, and it only ever removes
# values of activations that have ended).  Reverse and stale ones may be
# a dump that caught the timer half way through an expiry, so they count
# only if the second look, a moment later, still shows them.  Sets
# CONFIRMED (violations now) and STATS; returns 0 when there are none.
check_cycle() {
	local label=$1 only=${2:-.} v1 v2 line key seen
	CONFIRMED=0
	dump "$T/dump1"; v1=$(evaluate "$T/dump1")
	if printf '%s\n' "$v1" | grep -q '^[RS]	'; then
		sleep 1.2
		dump "$T/dump2"; v2=$(evaluate "$T/dump2")
	else
		v2=""
	fi
	while IFS= read -r line; do
		key=$(printf '%s' "$line" | cut -f1,2)
		case $line in
		F*) ;;
		R*|S*) printf '%s\n' "$v2" | cut -f1,2 | grep -qxF "$key" || continue ;;
		*) continue ;;
		esac
		printf '%s' "$line" | grep -q -- "$only" || continue
		CONFIRMED=$((CONFIRMED + 1))
		if grep -qxF "$key" "$T/seen"; then
			seen=" (seen before)"
		else
			printf '%s\n' "$key" >> "$T/seen"
			VIOLATIONS=$((VIOLATIONS + 1))
			seen=""
		fi
		printf '#   %s: %s%s\n' "$label" "$(printf '%s' "$line" | cut -f3)" "$seen"
	done <<< "$v1"
	STATS=$(printf '%s\n' "$v1" | sed -n 's/^stats //p')
	[ "$CONFIRMED" -eq 0 ]
}

RECONCILED=0
wait_reconciled() {	# the startup reconciliation has logged its line
	local i n
	for i in $(seq 1 50); do
		n=$(grep -c 'pim: reconciled' "$T/slapd.log")
		[ "$n" -gt "$RECONCILED" ] && { RECONCILED=$n; sleep 0.2; return 0; }
		sleep 0.1
	done
	return 1
}

# --- the users ------------------------------------------------------------

for i in $(seq 1 $NUSERS) torn1 torn2 torn3 torn4; do
	uid=$(user_dn $i); uid=${uid%%,*}; uid=${uid#uid=}
	as manager ldapadd >/dev/null <<LDIF
dn: $(user_dn $i)
objectClass: inetOrgPerson
uid: $uid
cn: $uid
sn: $uid
userPassword: $(user_pw $i)
LDIF
	as admin pimctl assign --eligible "$(user_dn $i)" "$ROLE" --reason "crash test" >/dev/null ||
		fail "cannot make $uid eligible"
done
wait_reconciled || true

# burst_user I URI ACTION...: one user's requests in a row; "aN" activates
# for N seconds, "d" deactivates everything.  Prints one word per result.
burst_user() {
	local i=$1 uri=$2 a rc
	shift 2
	for a in "$@"; do
		case $a in
		a*) timeout 10 "$PIMCTL" -x -H "$uri" -D "$(user_dn $i)" -w "$(user_pw $i)" \
			-b "$BASE" activate "$ROLE" --duration "${a#a}" --reason "crash test" \
			>/dev/null 2>&1 ;;
		d)  timeout 10 "$PIMCTL" -x -H "$uri" -D "$(user_dn $i)" -w "$(user_pw $i)" \
			-b "$BASE" deactivate "$ROLE" >/dev/null 2>&1 ;;
		esac
		rc=$?
		case $rc in
		0) [ "$a" = d ] && echo deactivated || echo activated ;;
		32) echo nothing-to-end ;;
		*) echo "rc=$rc" ;;
		esac
		# slapd is gone: cannot connect, connection lost (SIGPIPE), time-out
		case $rc in 255|141|124) break ;; esac
	done
}

# --- part 1: random kills ------------------------------------------------

MID_BAD=0
pim_stop	# each cycle starts slapd itself
for cycle in $(seq 1 "$CYCLES"); do
	pim_start
	wait_reconciled || fail "cycle $cycle: no reconciliation logged within 5 s of the start"
	check_cycle "cycle $cycle, after the restart" || MID_BAD=$((MID_BAD + 1))
	pids=""
	for i in $(seq 1 $NUSERS); do
		acts=""
		for k in $(seq 1 $ACTIONS); do
			rnd 10
			if [ $R -lt 6 ]; then rnd 3; acts="$acts a$((R + 1))"; else acts="$acts d"; fi
		done
		# shellcheck disable=SC2086
		burst_user "$i" "$URI" $acts >> "$T/results" &
		pids="$pids $!"
	done
	rnd 1501
	sleep "$(printf '%d.%03d' $((R / 1000)) $((R % 1000)))"
	pim_kill
	# shellcheck disable=SC2086
	wait $pids 2>/dev/null
	printf '# cycle %d: killed after %d ms (%s)\n' "$cycle" "$R" "$STATS"
done
[ "$MID_BAD" -eq 0 ] && pass "after each of $CYCLES restarts, every live activation has its values and every value an activation" ||
	fail "$MID_BAD of $CYCLES restarts broke the invariant"

pim_start
wait_reconciled || fail "no reconciliation logged within 5 s of the last start"
check_cycle "the last restart" || true	# counts; the verdict is the final check below
dump "$T/dump1"
last_end=$(sed -n 's/^pimEndTime: //p' "$T/dump1" | sort | tail -1)
if [ -n "$last_end" ]; then
	wait_until=$(( $(date -u -d "${last_end:0:8} ${last_end:8:2}:${last_end:10:2}:${last_end:12:2}" +%s) + 1 ))
	while [ "$(date +%s.%N)" \< "$wait_until.5" ] && [ $(( $(date +%s) - wait_until )) -lt 30 ]; do
		sleep 0.2
	done
fi
check_cycle "after every activation's end" && pass "after every end: no PIM membership value left, no activation left active ($STATS)" ||
	fail "after every end: $CONFIRMED violations"

activated=$(grep -c '^activated' "$T/results")
deactivated=$(grep -c '^deactivated' "$T/results")
others=$(grep '^rc=' "$T/results" | sort | uniq -c | tr -s ' ' | tr '\n' ',' | sed 's/,$//')
printf '# %d cycles, %d activations made, %d deactivations, other results: %s\n' \
	"$CYCLES" "$activated" "$deactivated" "${others:-none}"
[ "$activated" -gt 0 ] && pass "the bursts made $activated activations" || fail "no activation was made"
RANDOM_VIOLATIONS=$VIOLATIONS

# --- part 2: torn writes --------------------------------------------------
# torn1: grant torn after the role's write: member and pimManagedMember,
#        but no memberOf on the user.       The restart must add memberOf.
# torn2: release torn after the role's write: the activation ended,
#        member and pimManagedMember gone, memberOf still on the user.
#                                           The restart must remove memberOf.
# torn3: the record written, no membership at all.  The restart grants.
# torn4: the record ended, the membership not yet removed.  The restart
#        removes it.
torn_ldif() {
	local u1 u2 u3 u4
	u1=$(user_dn torn1); u2=$(user_dn torn2); u3=$(user_dn torn3); u4=$(user_dn torn4)
	cat <<LDIF
dn: $u1
changetype: modify
delete: memberOf
memberOf: $ROLE
-

dn: $u2
changetype: modify
add: memberOf
memberOf: $ROLE
-

dn: $ROLE
changetype: modify
delete: member
member: $u3
-
delete: pimManagedMember
pimManagedMember: $u3
-
add: member
member: $u4
-
add: pimManagedMember
pimManagedMember: $u4
-

dn: $u3
changetype: modify
delete: memberOf
memberOf: $ROLE
-

dn: $u4
changetype: modify
add: memberOf
memberOf: $ROLE
-
LDIF
}
torn() {	# NAME [d]: NAME activates for a minute, and deactivates with d
	timeout 10 "$PIMCTL" -x -H "$URI" -D "$(user_dn $1)" -w "$(user_pw $1)" -b "$BASE" \
		activate "$ROLE" --duration 60 --reason "torn write" >/dev/null || fail "$1 cannot activate"
	[ "${2:-}" = d ] || return 0
	timeout 10 "$PIMCTL" -x -H "$URI" -D "$(user_dn $1)" -w "$(user_pw $1)" -b "$BASE" \
		deactivate "$ROLE" >/dev/null || fail "$1 cannot deactivate"
}
torn torn1; torn torn2 d; torn torn3; torn torn4 d
before=$VIOLATIONS
check_cycle "before the torn writes" "uid=torn" && pass "torn writes: a consistent start ($STATS)" ||
	fail "torn writes: inconsistent before anything was torn"
pim_stop
torn_ldif > "$T/torn.ldif"
pim_tool "$SLAPMODIFY" -F "$T/slapd.d" -b "$BASE" -l "$T/torn.ldif" >"$T/slapmodify.log" 2>&1 ||
	{ cat "$T/slapmodify.log" >&2; fail "slapmodify cannot tear the writes"; }
# slapmodify leaves the memberOf index behind (a "(memberOf=ROLE)" search
# misses the value it added); a real crash leaves a consistent index
pim_tool "$SLAPINDEX" -F "$T/slapd.d" -b "$BASE" -q >"$T/slapindex.log" 2>&1 ||
	{ cat "$T/slapindex.log" >&2; fail "slapindex after slapmodify"; }
pim_start
wait_reconciled || fail "no reconciliation logged within 5 s of the start"
for i in torn1 torn3; do
	attr_values "$(user_dn $i)" memberOf | grep -qixF "$ROLE" &&
		pass "$i: the restart gave the live activation its memberOf value" ||
		fail "$i: live activation, but no memberOf value after the restart"
	attr_values "$ROLE" member | grep -qixF "$(user_dn $i)" &&
		pass "$i: the live activation has its member value after the restart" ||
		fail "$i: live activation, but no member value after the restart"
done
for i in torn2 torn4; do
	attr_values "$(user_dn $i)" memberOf | grep -qixF "$ROLE" &&
		fail "$i: ended activation, but its memberOf value is still there after the restart" ||
		pass "$i: the restart took the ended activation's memberOf value away"
	attr_values "$ROLE" member | grep -qixF "$(user_dn $i)" &&
		fail "$i: ended activation, but its member value is still there after the restart" ||
		pass "$i: no member value left after the restart"
done
check_cycle "after the torn writes" "uid=torn" || true
TORN_VIOLATIONS=$((VIOLATIONS - before))

printf '# %d cycles, %d activations made, %d violations (%d in the random kills, %d after the torn writes), seed %s, %d s\n' \
	"$CYCLES" "$activated" "$VIOLATIONS" "$RANDOM_VIOLATIONS" "$TORN_VIOLATIONS" "$SEED" $(( $(date +%s) - T0 ))
[ "$VIOLATIONS" -eq 0 ] && pass "zero violations of the invariant" ||
	fail "$VIOLATIONS violations of the invariant (seed $SEED)"
pim_done
