#!/bin/bash
# Time in the workflow, through both doors (door 1: pimctl's extended
# operations; door 2: ldapadd/ldapmodify of the activation entry):
#   - a scheduled start materializes within a second of the start, and
#     not before;
#   - an extension keeps the membership without a gap;
#   - two overlapping activations keep it until the last one ends;
#   - a static member keeps it after their activation ends;
#   - an eligibility that ends stops allowing activation, and cuts an
#     activation asked for longer;
#   - an administrator's active assignments: time-bound, permanent only
#     where the role allows it, and their removal.
# Membership is checked as applications see it: ldapcompare on the
# role's member (6 TRUE, 5 FALSE).
. "$(dirname "$0")/lib.sh"
pim_setup schedule

DOORS="exop ldap"

# --- helpers ----------------------------------------------------------

now_f() { date +%s.%N; }
# sleep_until EPOCH [OFFSET]: until EPOCH + OFFSET (fractional seconds),
# never more than 3 s in one sleep
sleep_until() {
	local d
	while :; do
		d=$(awk -v t="$1" -v o="${2:-0}" -v n="$(now_f)" \
			'BEGIN { d = t + o - n; if (d > 3) d = 3; print (d > 0 ? d : 0) }')
		[ "$d" = 0 ] && return
		sleep "$d"
	done
}
modify() {	# WHO DN LINE...: one ldapmodify ("-" separates modifications)
	local who=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$T/mod.ldif"
	as "$who" ldapmodify -f "$T/mod.ldif"
}
act_dn() { printf 'pimId=%s,%s' "$1" "$CONTAINER"; }
state_of() { attr_values "$(act_dn "$1")" pimState; }
end_of() { gt_epoch "$(attr_values "$(act_dn "$1")" pimEndTime)"; }
start_of() { gt_epoch "$(attr_values "$(act_dn "$1")" pimStartTime)"; }
managed() {	# ROLE USER: is USER among the role's pimManagedMember values?
	attr_values "$1" pimManagedMember | grep -qix "$2" && echo TRUE || echo FALSE
}
check_rc() {	# WHAT WANT  (the last RC, OUT)
	if [ "$RC" = "$2" ]; then
		pass "$1 (rc=$RC)"
	else
		fail "$1: expected rc=$2, got rc=$RC"
		printf '%s\n' "$OUT" | sed 's/^/#   /'
	fi
}
role_dn() { printf 'cn=%s,ou=roles,%s' "$1" "$BASE"; }
new_role() {	# NAME [eligible]: a PIM role (placeholder member), demo eligible
	as admin ldapadd >/dev/null <<LDIF
dn: $(role_dn "$1")
objectClass: groupOfNames
objectClass: pimRole
cn: $1
member: $CONTAINER
LDIF
	[ $? = 0 ] || fail "cannot create role $1"
	if [ "${2:-}" = eligible ]; then
		as admin pimctl assign --eligible demo "$(role_dn "$1")" >/dev/null ||
			fail "cannot make demo eligible for $1"
	fi
}

# --- the two doors ----------------------------------------------------

N=0
# request DOOR ROLE DURATION-SECONDS [START-IN-SECONDS]: demo activates;
# sets RC, OUT, ID
request() {
	local door=$1 role=$2 dur=$3 start=${4:-}
	case $door in
	exop)
		if [ -n "$start" ]; then
			OUT=$(as demo pimctl activate "$role" --duration "${dur}s" \
				--start "+${start}s" --reason "schedule test" 2>&1)
		else
			OUT=$(as demo pimctl activate "$role" --duration "${dur}s" \
				--reason "schedule test" 2>&1)
		fi
		RC=$?
		ID=$(printf '%s\n' "$OUT" | sed -n 's/.*(id \([^)]*\)).*/\1/p' | head -1)
		;;
	ldap)
		N=$((N + 1))
		ID="sched-door2-$N"
		{
			printf 'dn: %s\nobjectClass: pimActivation\npimId: %s\n' "$(act_dn "$ID")" "$ID"
			printf 'pimPrincipal: %s\npimRoleDN: %s\n' "$DEMO" "$role"
			printf 'pimJustification: schedule test\npimRequestedDuration: %ss\n' "$dur"
			if [ -n "$start" ]; then
				printf 'pimState: scheduled\npimStartTime: %s\n' \
					"$(gentime $(( $(date +%s) + start )))"
			else
				printf 'pimState: active\n'
			fi
		} > "$T/act.ldif"
		OUT=$(as demo ldapadd -f "$T/act.ldif" 2>&1)
		RC=$?
		;;
	esac
}
# deactivate DOOR ROLE ID: demo ends their activation
deactivate() {
	case $1 in
	exop) OUT=$(as demo pimctl deactivate "$2" --id "$3" 2>&1); RC=$? ;;
	ldap) OUT=$(modify demo "$(act_dn "$3")" "replace: pimState" "pimState: deactivated" 2>&1); RC=$? ;;
	esac
}
# extend DOOR ROLE ID NEW-END-EPOCH: demo extends their activation
extend() {
	case $1 in
	exop)
		OUT=$(as demo pimctl extend "$2" --id "$3" --until "$(gentime "$4")" \
			--reason "more time" 2>&1)
		RC=$?
		;;
	ldap)
		OUT=$(modify demo "$(act_dn "$3")" "replace: pimEndTime" \
			"pimEndTime: $(gentime "$4")" "-" "replace: pimJustification" \
			"pimJustification: more time" 2>&1)
		RC=$?
		;;
	esac
}
# assign_active DOOR ROLE DURATION|permanent: the admin assigns demo
assign_active() {
	local door=$1 role=$2 dur=$3
	case $door in
	exop)
		if [ "$dur" = permanent ]; then
			OUT=$(as admin pimctl assign --active demo "$role" --permanent \
				--reason "on call" 2>&1)
		else
			OUT=$(as admin pimctl assign --active demo "$role" --duration "${dur}s" \
				--reason "on call" 2>&1)
		fi
		RC=$?
		ID=$(printf '%s\n' "$OUT" | sed -n 's/.*(id \([^)]*\)).*/\1/p' | head -1)
		;;
	ldap)
		N=$((N + 1))
		ID="assign-door2-$N"
		{
			printf 'dn: %s\nobjectClass: pimActivation\npimId: %s\n' "$(act_dn "$ID")" "$ID"
			printf 'pimPrincipal: %s\npimRoleDN: %s\npimState: active\n' "$DEMO" "$role"
			printf 'pimJustification: on call\n'
			[ "$dur" = permanent ] || printf 'pimRequestedDuration: %ss\n' "$dur"
		} > "$T/act.ldif"
		OUT=$(as admin ldapadd -f "$T/act.ldif" 2>&1)
		RC=$?
		;;
	esac
}
# unassign_active DOOR ROLE ID: the admin removes demo's active assignment
unassign_active() {
	case $1 in
	exop) OUT=$(as admin pimctl unassign --active demo "$2" 2>&1); RC=$? ;;
	ldap) OUT=$(modify admin "$(act_dn "$3")" "replace: pimState" "pimState: revoked" 2>&1); RC=$? ;;
	esac
}

# --- roles ------------------------------------------------------------

for door in $DOORS; do
	for r in sched ext overlap static; do new_role "$r-$door" eligible; done
	new_role "elig-$door"
	new_role "assign-$door"
done

# --- 1. a static member keeps the membership ---------------------------
# (written offline: an administrator's online member write becomes a PIM
# assignment, see member-writes.sh)

pim_stop
for door in $DOORS; do
	pim_tool /usr/sbin/slapmodify -F "$T/slapd.d" -b "$BASE" >>"$T/slapmodify.log" 2>&1 <<LDIF
dn: $(role_dn "static-$door")
changetype: modify
add: member
member: $DEMO
LDIF
	[ $? = 0 ] && pass "[$door] demo is a static member of static-$door (written offline)" ||
		fail "[$door] cannot add the static member"
done
pim_start
for door in $DOORS; do
	role=$(role_dn "static-$door")
	request "$door" "$role" 3600
	check_rc "[$door] static: the static member activates too" 0
	check "[$door] static: active" active "$(state_of "$ID")"
	check "[$door] static: PIM does not claim the static value (pimManagedMember)" FALSE "$(managed "$role" "$DEMO")"
	deactivate "$door" "$role" "$ID"
	check_rc "[$door] static: the activation ends" 0
	check "[$door] static: deactivated" deactivated "$(state_of "$ID")"
	check "[$door] static: the static membership survives the activation's end" TRUE "$(is_member "$role" "$DEMO")"
done

# --- 2. scheduled start ---------------------------------------------------
# Poll ldapcompare every 0.1 s.  A TRUE answered before the start (its
# compare finished before pimStartTime) or a FALSE asked a second or more
# after the start are both violations.

for door in $DOORS; do
	role=$(role_dn "sched-$door")
	request "$door" "$role" 5 2
	check_rc "[$door] scheduled: demo asks for a start 2 s from now" 0
	check "[$door] scheduled: state right after the request" scheduled "$(state_of "$ID")"
	check "[$door] scheduled: no membership before the start" FALSE "$(is_member "$role" "$DEMO")"
	S=$(start_of "$ID")
	E=$(end_of "$ID")
	check "[$door] scheduled: pimEndTime - pimStartTime" 5 "$((E - S))"
	: > "$T/poll"
	while :; do
		t1=$(now_f); m=$(is_member "$role" "$DEMO"); t2=$(now_f)
		echo "$t1 $t2 $m" >> "$T/poll"
		[ "$m" = TRUE ] && break
		awk -v t="$t1" -v s="$S" 'BEGIN { exit !(t > s + 2.5) }' && break
		sleep 0.1
	done
	early=$(awk -v s="$S" '$3 == "TRUE" && $2 < s' "$T/poll" | wc -l)
	late=$(awk -v s="$S" '$3 == "FALSE" && $1 >= s + 1' "$T/poll" | wc -l)
	first=$(awk '$3 == "TRUE" { print $2; exit }' "$T/poll")
	[ -n "$first" ] && pass "[$door] scheduled: the membership appeared ($(awk -v f="$first" -v s="$S" 'BEGIN { printf "%.2f", f - s }') s after pimStartTime)" ||
		fail "[$door] scheduled: the membership never appeared"
	check "[$door] scheduled: TRUE answers before the start" 0 "$early"
	check "[$door] scheduled: FALSE answers 1 s or more after the start" 0 "$late"
	check "[$door] scheduled: state after the start" active "$(state_of "$ID")"
	check "[$door] scheduled: memberOf follows" TRUE "$(has_member_of "$role" "$DEMO")"
	deactivate "$door" "$role" "$ID"
done

# --- 3. an extension never opens a gap -------------------------------------
# A 3 s activation; a background loop compares every ~70 ms from 1 s
# before its end until 1 s after; the extension lands 0.6 s before the end.

for door in $DOORS; do
	role=$(role_dn "ext-$door")
	request "$door" "$role" 3
	check_rc "[$door] extend: demo activates for 3 s" 0
	E=$(end_of "$ID")
	sleep_until "$E" -1
	: > "$T/loop"
	(
		while awk -v e="$E" -v n="$(now_f)" 'BEGIN { exit !(n < e + 1) }'; do
			echo "$(now_f) $(is_member "$role" "$DEMO")" >> "$T/loop"
			sleep 0.07
		done
	) &
	loop=$!
	sleep_until "$E" -0.6
	extend "$door" "$role" "$ID" $((E + 60))
	check_rc "[$door] extend: demo extends by a minute before the end" 0
	wait "$loop"
	samples=$(wc -l < "$T/loop")
	gaps=$(grep -vc ' TRUE$' "$T/loop")
	[ "$samples" -ge 10 ] && pass "[$door] extend: $samples compares around the original end" ||
		fail "[$door] extend: only $samples compares"
	check "[$door] extend: answers other than TRUE around the original end" 0 "$gaps"
	[ "$gaps" = 0 ] || grep -v ' TRUE$' "$T/loop" | sed 's/^/#   /'
	check "[$door] extend: still active" active "$(state_of "$ID")"
	check "[$door] extend: the new pimEndTime" "$((E + 60))" "$(end_of "$ID")"
	deactivate "$door" "$role" "$ID"
done

# --- 4. overlapping activations ----------------------------------------------

for door in $DOORS; do
	role=$(role_dn "overlap-$door")
	request "$door" "$role" 3600
	check_rc "[$door] overlap: demo activates for 1 h" 0
	long=$ID
	request "$door" "$role" 2
	check_rc "[$door] overlap: and again for 2 s" 0
	short=$ID
	check "[$door] overlap: the short one expires" expired "$(wait_output 4 expired state_of "$short")"
	check "[$door] overlap: the long one is still active" active "$(state_of "$long")"
	check "[$door] overlap: membership kept while one remains" TRUE "$(is_member "$role" "$DEMO")"
	check "[$door] overlap: memberOf kept while one remains" TRUE "$(has_member_of "$role" "$DEMO")"
	deactivate "$door" "$role" "$long"
	check_rc "[$door] overlap: demo ends the long one" 0
	check "[$door] overlap: membership ends with the last" FALSE "$(is_member "$role" "$DEMO")"
	check "[$door] overlap: memberOf ends with the last" FALSE "$(has_member_of "$role" "$DEMO")"
	check "[$door] overlap: no provenance left" FALSE "$(managed "$role" "$DEMO")"
done

# --- 5. an eligibility that ends ---------------------------------------------

for door in $DOORS; do
	OUT=$(as admin pimctl assign --eligible demo "$(role_dn "elig-$door")" --duration 3s 2>&1)
	RC=$?
	check_rc "[$door] eligibility: demo eligible for elig-$door for 3 s" 0
done
declare -A EE IDS
for door in $DOORS; do
	role=$(role_dn "elig-$door")
	EE[$door]=$(gt_epoch "$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimEligibility)(pimRoleDN=$role))" pimEndTime | sed -n 's/^pimEndTime: //p')")
	request "$door" "$role" 3600
	check_rc "[$door] eligibility: demo asks for 1 h under it" 0
	IDS[$door]=$ID
	check "[$door] eligibility: the activation is cut to the eligibility's end" "${EE[$door]}" "$(end_of "$ID")"
	check "[$door] eligibility: member" TRUE "$(is_member "$role" "$DEMO")"
done
for door in $DOORS; do
	role=$(role_dn "elig-$door")
	check "[$door] eligibility: the activation expires with the eligibility" expired \
		"$(wait_output 5 expired state_of "${IDS[$door]}")"
	check "[$door] eligibility: no membership after its end" FALSE "$(is_member "$role" "$DEMO")"
	request "$door" "$role" 60
	check_rc "[$door] eligibility: activating after its end is refused" 50
	printf '%s\n' "$OUT" | grep -q "ended" && pass "[$door] eligibility: diagnostic says it has ended" ||
		fail "[$door] eligibility: diagnostic: $OUT"
done

# --- 6. active assignments by the admin ---------------------------------------

for door in $DOORS; do
	role=$(role_dn "assign-$door")
	assign_active "$door" "$role" 3
	check_rc "[$door] assign: the admin assigns demo active for 3 s" 0
	IDS[$door]=$ID
	check "[$door] assign: member" TRUE "$(is_member "$role" "$DEMO")"
	check "[$door] assign: memberOf" TRUE "$(has_member_of "$role" "$DEMO")"
	check "[$door] assign: pimAssignedBy is the admin" "$(lc "$ADMIN")" "$(lc "$(attr_values "$(act_dn "$ID")" pimAssignedBy)")"
	check "[$door] assign: no pimEligibilityRef" "" "$(attr_values "$(act_dn "$ID")" pimEligibilityRef)"
done
for door in $DOORS; do
	role=$(role_dn "assign-$door")
	check "[$door] assign: the assignment expires" expired "$(wait_output 5 expired state_of "${IDS[$door]}")"
	check "[$door] assign: no membership after it" FALSE "$(is_member "$role" "$DEMO")"
	check "[$door] assign: no memberOf after it" FALSE "$(has_member_of "$role" "$DEMO")"
	before=$(dir_snapshot)
	assign_active "$door" "$role" permanent
	check_rc "[$door] assign: a permanent assignment where the role does not allow one" 19
	check "[$door] assign: the refusal changed nothing" "$before" "$(dir_snapshot)"
	modify admin "$role" "replace: pimActivePermanentAllowed" "pimActivePermanentAllowed: TRUE" >/dev/null
	assign_active "$door" "$role" permanent
	check_rc "[$door] assign: permanent, now that pimActivePermanentAllowed is TRUE" 0
	check "[$door] assign: no pimEndTime" "" "$(attr_values "$(act_dn "$ID")" pimEndTime)"
	check "[$door] assign: member" TRUE "$(is_member "$role" "$DEMO")"
	unassign_active "$door" "$role" "$ID"
	check_rc "[$door] assign: the admin removes the active assignment" 0
	check "[$door] assign: revoked" revoked "$(state_of "$ID")"
	check "[$door] assign: pimEndedBy is the admin" "$(lc "$ADMIN")" "$(lc "$(attr_values "$(act_dn "$ID")" pimEndedBy)")"
	check "[$door] assign: no membership" FALSE "$(is_member "$role" "$DEMO")"
	check "[$door] assign: no memberOf" FALSE "$(has_member_of "$role" "$DEMO")"
done

pim_done
