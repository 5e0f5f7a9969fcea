#!/bin/bash
# The activation workflow through both doors.
#
# Every scenario of the table below runs twice, on a role of its own:
# once through door 1 (the extended operations, with pimctl) and once
# through door 2 (plain ldapadd/ldapmodify of the activation entry, as
# pim_door2_actions.c describes).  Both runs must end the same way: the result
# code of the scenario's decisive operation, the activation's pimState,
# and the membership as applications see it (ldapcompare on the role's
# member: 6 TRUE, 5 FALSE; and the (memberOf=ROLE) search agreeing).
. "$(dirname "$0")/lib.sh"
# demo leaves many requests open across the table's rows: the limit on
# open requests (default 10) has a test of its own
pim_setup workflow "pim-max-open-requests 0"

CAROL="uid=carol,ou=people,$BASE"; CAROL_PW=carol-secret
APPROVERS="cn=approvers,ou=roles,$BASE"

# --- helpers ----------------------------------------------------------

# run_as WHO CMD ARGS...: as lib.sh's "as", with carol too (a plain user
# who approves nothing unless a role names her).
run_as() {
	local who=$1 cmd
	if [ "$who" = carol ]; then
		cmd=$2
		shift 2
		"$cmd" -x -H "$URI" -D "$CAROL" -w "$CAROL_PW" "$@"
	else
		as "$@"
	fi
}
dn_of() {
	case $1 in
	demo) echo "$DEMO" ;; other) echo "$OTHER" ;; admin) echo "$ADMIN" ;;
	carol) echo "$CAROL" ;;
	esac
}
# modify WHO DN LINE...: one ldapmodify ("-" separates modifications)
modify() {
	local who=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$T/mod.ldif"
	run_as "$who" ldapmodify -f "$T/mod.ldif"
}
act_dn() { printf 'pimId=%s,%s' "$1" "$CONTAINER"; }
state_of() { attr_values "$(act_dn "$1")" pimState; }
found_by_member_of() {	# ROLE [USER]: TRUE or FALSE, as a (memberOf=ROLE) search finds USER
	local user=${2:-$DEMO}
	if as manager ldapsearch -LLL -o ldif-wrap=no -b "ou=people,$BASE" "(memberOf=$1)" 1.1 |
		grep -qix "dn: $user"; then
		echo TRUE
	else
		echo FALSE
	fi
}

# A PIM role of its own for each run: created by the admin with the
# placeholder member, demo eligible for it.
new_role() {
	local role="cn=$1,ou=roles,$BASE"
	as admin ldapadd >/dev/null <<LDIF
dn: $role
objectClass: groupOfNames
objectClass: pimRole
cn: $1
member: $CONTAINER
LDIF
	[ $? = 0 ] || { fail "cannot create role $1"; return 1; }
	as admin pimctl assign --eligible demo "$role" --reason "workflow" >/dev/null ||
		{ fail "cannot make demo eligible for $1"; return 1; }
	echo "$role"
}
# set_policy ROLE ATTR=VALUE...: the admin replaces policy attributes (one
# value each; ATTR=V1|V2 gives several values).
set_policy() {
	local role=$1 kv attr vals v
	shift
	local lines=()
	for kv in "$@"; do
		attr=${kv%%=*}
		vals=${kv#*=}
		[ ${#lines[@]} -gt 0 ] && lines+=("-")
		lines+=("replace: $attr")
		IFS='|' read -r -a vs <<< "$vals"
		for v in "${vs[@]}"; do lines+=("$attr: $v"); done
	done
	modify admin "$role" "${lines[@]}" >/dev/null ||
		fail "admin cannot set the policy of $role: $*"
}
approval_policy() {	# ROLE APPROVERS [NEEDED]
	set_policy "$1" "pimApprovalRequired=TRUE" "pimApprover=$2" \
		"pimApprovalsNeeded=${3:-1}"
}

# --- the two doors ----------------------------------------------------
# Each sets RC (the operation's result code) and OUT; request sets ID.

N=0
# request DOOR ROLE DURATION-SECONDS: demo asks for ROLE
request() {
	local door=$1 role=$2 dur=$3
	case $door in
	exop)
		OUT=$(as demo pimctl activate "$role" --duration "${dur}s" \
			--reason "workflow test" 2>&1)
		RC=$?
		ID=$(printf '%s\n' "$OUT" | sed -n 's/.*(id \([^)]*\)).*/\1/p' | head -1)
		;;
	ldap)
		N=$((N + 1))
		ID="wf-door2-$N"
		cat > "$T/act.ldif" <<LDIF
dn: $(act_dn "$ID")
objectClass: pimActivation
pimId: $ID
pimPrincipal: $DEMO
pimRoleDN: $role
pimState: active
pimJustification: workflow test
pimRequestedDuration: ${dur}s
LDIF
		OUT=$(as demo ldapadd -f "$T/act.ldif" 2>&1)
		RC=$?
		;;
	esac
}
# decide DOOR WHO approve|deny ID ROLE [REASON]: REASON defaults to "ok"
# for an approval, "not now" for a denial; "-" gives none (approvals only)
decide() {
	local door=$1 who=$2 verb=$3 id=$4 role=$5 reason=${6:-} attr
	[ -n "$reason" ] || { [ "$verb" = approve ] && reason=ok || reason="not now"; }
	case $door in
	exop)
		# the approver finds the role in the request (ACLs let
		# approvers read the requests of their roles)
		if [ "$reason" = - ]; then
			OUT=$(run_as "$who" pimctl "$verb" "$id" 2>&1)
		else
			OUT=$(run_as "$who" pimctl "$verb" "$id" --reason "$reason" 2>&1)
		fi
		RC=$?
		;;
	ldap)
		[ "$verb" = approve ] && attr=pimApprovedBy || attr=pimDeniedBy
		if [ "$reason" = - ]; then
			OUT=$(modify "$who" "$(act_dn "$id")" "add: $attr" "$attr: $(dn_of "$who")" 2>&1)
		else
			OUT=$(modify "$who" "$(act_dn "$id")" "add: $attr" "$attr: $(dn_of "$who")" \
				"-" "add: pimDecisionReason" "pimDecisionReason: $reason" 2>&1)
		fi
		RC=$?
		;;
	esac
}
# approve_named DOOR WHO ID ROLE: the approval of somebody who may not
# read the request: pimctl is told the role, so that the server decides
approve_named() {
	local door=$1 who=$2 id=$3 role=$4
	case $door in
	exop) OUT=$(run_as "$who" pimctl approve "$id" --role "$role" 2>&1); RC=$? ;;
	ldap) decide ldap "$who" approve "$id" "$role" ;;
	esac
}
# end_as_principal DOOR cancel|deactivate ID ROLE: demo ends their own
end_as_principal() {
	local door=$1 verb=$2 id=$3 role=$4 state
	case $door in
	exop)
		if [ "$verb" = cancel ]; then
			OUT=$(as demo pimctl cancel "$id" 2>&1)
		else
			OUT=$(as demo pimctl deactivate "$role" --id "$id" 2>&1)
		fi
		RC=$?
		;;
	ldap)
		[ "$verb" = cancel ] && state=cancelled || state=deactivated
		OUT=$(modify demo "$(act_dn "$id")" "replace: pimState" "pimState: $state" 2>&1)
		RC=$?
		;;
	esac
}

# --- the scenarios ------------------------------------------------------
# sc_NAME DOOR ROLE: sets RC to the decisive operation's result code and
# ID to the activation; intermediate checks are its own.

sc_plain() {
	request "$1" "$2" 3600
}

sc_deactivate() {
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	check "[$1] deactivate: member before" TRUE "$(is_member "$2" "$DEMO")"
	end_as_principal "$1" deactivate "$ID" "$2"
}

sc_pending() {
	approval_policy "$2" "$OTHER"
	request "$1" "$2" 3600
	[ -n "$(attr_values "$(act_dn "$ID")" pimRequestExpiry)" ] &&
		pass "[$1] pending: the request has a lifetime (pimRequestExpiry)" ||
		fail "[$1] pending: no pimRequestExpiry"
	[ -z "$(attr_values "$(act_dn "$ID")" pimEndTime)" ] &&
		pass "[$1] pending: no pimEndTime yet (the clock starts at approval)" ||
		fail "[$1] pending: pimEndTime already set"
}

sc_self_approval() {
	# demo is one of the role's approvers, but not of their own request
	set_policy "$2" "pimApprovalRequired=TRUE" "pimApprover=$DEMO|$OTHER"
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	decide "$1" demo approve "$ID" "$2"
	printf '%s\n' "$OUT" | grep -q "own request" &&
		pass "[$1] self-approval: diagnostic names the own request" ||
		fail "[$1] self-approval: diagnostic: $OUT"
}

sc_non_approver() {
	approval_policy "$2" "$OTHER"
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	approve_named "$1" carol "$ID" "$2"
	printf '%s\n' "$OUT" | grep -q "not an approver" &&
		pass "[$1] non-approver: diagnostic says not an approver" ||
		fail "[$1] non-approver: diagnostic: $OUT"
}

sc_admin_not_approver() {
	# a PIM administrator is no approver of a role that names its approvers
	approval_policy "$2" "$OTHER"
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	approve_named "$1" admin "$ID" "$2"
}

sc_group_approver() {
	approval_policy "$2" "$APPROVERS"
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	check "[$1] group approver: member while pending" FALSE "$(is_member "$2" "$DEMO")"
	decide "$1" other approve "$ID" "$2"
}

sc_same_approver() {
	approval_policy "$2" "$OTHER|$CAROL" 2
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	decide "$1" other approve "$ID" "$2"
	check "[$1] same approver: first approval rc" 0 "$RC"
	decide "$1" other approve "$ID" "$2"
	[ "$(attr_values "$(act_dn "$ID")" pimApprovedBy | wc -l)" = 1 ] &&
		pass "[$1] same approver: one pimApprovedBy value" ||
		fail "[$1] same approver: pimApprovedBy has $(attr_values "$(act_dn "$ID")" pimApprovedBy | wc -l) values"
}

sc_quorum() {
	approval_policy "$2" "$OTHER|$CAROL" 2
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	decide "$1" other approve "$ID" "$2"
	check "[$1] quorum: first approval rc" 0 "$RC"
	check "[$1] quorum: state after one of two approvals" pending "$(state_of "$ID")"
	check "[$1] quorum: member after one of two approvals" FALSE "$(is_member "$2" "$DEMO")"
	decide "$1" carol approve "$ID" "$2"
	[ "$(attr_values "$(act_dn "$ID")" pimApprovedBy | wc -l)" = 2 ] &&
		pass "[$1] quorum: two pimApprovedBy values" ||
		fail "[$1] quorum: pimApprovedBy has $(attr_values "$(act_dn "$ID")" pimApprovedBy | wc -l) values"
}

sc_quorum_no_reason() {
	approval_policy "$2" "$OTHER|$CAROL" 2
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	decide "$1" other approve "$ID" "$2" -
	check "[$1] quorum without reasons: first approval rc" 0 "$RC"
	check "[$1] quorum without reasons: state after one approval" pending "$(state_of "$ID")"
	decide "$1" carol approve "$ID" "$2" -
}

sc_denial() {
	approval_policy "$2" "$OTHER"
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	decide "$1" other deny "$ID" "$2"
	[ "$RC" = 0 ] || return
	[ "$(attr_values "$(act_dn "$ID")" pimDeniedBy | tr A-Z a-z)" = "$(echo "$OTHER" | tr A-Z a-z)" ] &&
		pass "[$1] denial: pimDeniedBy is the approver" ||
		fail "[$1] denial: pimDeniedBy is [$(attr_values "$(act_dn "$ID")" pimDeniedBy)]"
	# a denied request stays denied
	local rc=$RC
	decide "$1" other approve "$ID" "$2"
	check "[$1] denial: approving a denied request" 53 "$RC"
	RC=$rc
}

# quorum 2: one approval, then a denial by the other approver ends it
sc_deny_after_approval() {
	approval_policy "$2" "$OTHER|$CAROL" 2
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	decide "$1" other approve "$ID" "$2" "${3:-ok}"
	check "[$1] deny after approval: the approval rc" 0 "$RC"
	decide "$1" carol deny "$ID" "$2" "${4:-not now}"
}
# the same, the denial giving the same reason as the approval
sc_deny_same_reason() {
	sc_deny_after_approval "$1" "$2" "ok" "ok"
}

sc_timeout() {
	local t0 x t1 t2 st first=
	approval_policy "$2" "$OTHER"
	set_policy "$2" "pimRequestLifetime=2s"
	t0=$(date +%s)
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	check "[$1] timeout: pending at first" pending "$(state_of "$ID")"
	x=$(gt_epoch "$(attr_values "$(act_dn "$ID")" pimRequestExpiry)")
	[ $((x - t0)) -ge 2 ] && [ $((x - t0)) -le 3 ] &&
		pass "[$1] timeout: pimRequestExpiry is 2 s after the request" ||
		fail "[$1] timeout: pimRequestExpiry is $((x - t0)) s after the request"
	# poll: never timed out before pimRequestExpiry, and within a second after
	while :; do
		t1=$(date +%s.%N); st=$(state_of "$ID"); t2=$(date +%s.%N)
		if [ "$st" = timed-out ]; then
			first=$t2
			awk -v t="$t2" -v x="$x" 'BEGIN { exit !(t < x) }' &&
				fail "[$1] timeout: timed out before its pimRequestExpiry"
			break
		fi
		awk -v t="$t1" -v x="$x" 'BEGIN { exit !(t >= x + 1) }' && break
		sleep 0.1
	done
	[ -n "$first" ] && pass "[$1] timeout: timed out $(awk -v t="$first" -v x="$x" 'BEGIN { printf "%.2f", t - x }') s after pimRequestExpiry" ||
		fail "[$1] timeout: still $st a second after pimRequestExpiry"
}

sc_cancel() {
	approval_policy "$2" "$OTHER"
	request "$1" "$2" 3600
	[ "$RC" = 0 ] || return
	end_as_principal "$1" cancel "$ID" "$2"
	local rc=$RC
	# nothing to approve any more
	decide "$1" other approve "$ID" "$2"
	check "[$1] cancel: approving a cancelled request" 53 "$RC"
	RC=$rc
}

sc_clock_at_approval() {
	local t0 start end approved
	approval_policy "$2" "$OTHER"
	t0=$(date +%s)
	request "$1" "$2" 3
	[ "$RC" = 0 ] || return
	sleep 2
	decide "$1" other approve "$ID" "$2"
	approved=$(date +%s%N)
	[ "$RC" = 0 ] || return
	check "[$1] clock: member right after the approval" TRUE "$(is_member "$2" "$DEMO")"
	start=$(gt_epoch "$(attr_values "$(act_dn "$ID")" pimStartTime)")
	end=$(gt_epoch "$(attr_values "$(act_dn "$ID")" pimEndTime)")
	[ "$start" -ge $((t0 + 2)) ] &&
		pass "[$1] clock: pimStartTime is the approval, not the request ($((start - t0)) s after)" ||
		fail "[$1] clock: pimStartTime $start is $((start - t0)) s after the request (approved 2 s later)"
	# whole seconds: the end counts from the second after the approval's
	case $((end - start)) in
	3|4) pass "[$1] clock: pimEndTime - pimStartTime is the 3 s asked for (+ the started second): $((end - start))" ;;
	*) fail "[$1] clock: pimEndTime - pimStartTime: expected 3 or 4, got $((end - start))" ;;
	esac
	[ $((end * 1000000000)) -ge $((approved + 3000000000)) ] &&
		pass "[$1] clock: it ends no earlier than 3 s after the approval" ||
		fail "[$1] clock: it ends $(( (end * 1000000000 - approved) / 1000000 )) ms after the approval, less than 3 s"
	# 1.5 s after the approval: the request's own 3 s would be over by now
	sleep "$(awk -v a="$approved" -v n="$(date +%s%N)" 'BEGIN { d = 1.5 - (n - a) / 1e9; print (d > 0 ? d : 0) }')"
	check "[$1] clock: member 1.5 s after the approval" TRUE "$(is_member "$2" "$DEMO")"
	check "[$1] clock: expired within 3 s of its end" expired \
		"$(wait_output 4 expired state_of "$ID")"
}

# --- the table -------------------------------------------------------
#  scenario            rc  pimState     member  what it shows
SCENARIOS="
plain                  0   active       TRUE    a role without approval activates at once
deactivate             0   deactivated  FALSE   the principal ends their activation early
pending                0   pending      FALSE   approval required: the request is pending and grants nothing
self_approval          50  pending      FALSE   an approver cannot approve their own request
non_approver           50  pending      FALSE   somebody who is not an approver cannot approve
admin_not_approver     50  pending      FALSE   nor can a PIM administrator when the role names its approvers
group_approver         0   active       TRUE    an approver through membership of a pimApprover group
quorum                 0   active       TRUE    pimApprovalsNeeded 2: two distinct approvers (both saying "ok") activate it
quorum_no_reason       0   active       TRUE    the same, the approvers giving no reason
same_approver          20  pending      FALSE   the same approver twice counts once (typeOrValueExists)
denial                 0   denied       FALSE   one denial ends the request
deny_after_approval    0   denied       FALSE   quorum 2: a denial after one approval ends it
deny_same_reason       0   denied       FALSE   the same, the denial's reason equal to the approval's
timeout                0   timed-out    FALSE   a pending request times out (pimRequestLifetime 2s)
cancel                 0   cancelled    FALSE   the requester cancels a pending request
clock_at_approval      0   expired      FALSE   the clock starts at approval (3 s from then)
"

# demo directory additions: carol, and a group of approvers (other)
as manager ldapadd >/dev/null <<LDIF
dn: $CAROL
objectClass: inetOrgPerson
uid: carol
cn: Carol
sn: Carol
userPassword: $CAROL_PW
LDIF
[ $? = 0 ] && pass "carol added" || fail "cannot add carol"
as admin ldapadd >/dev/null <<LDIF
dn: $APPROVERS
objectClass: groupOfNames
cn: approvers
member: $OTHER
LDIF
[ $? = 0 ] && pass "the admin creates the approvers group (member: other)" ||
	fail "cannot create the approvers group"

while read -r name want_rc want_state want_member what; do
	[ -n "$name" ] || continue
	for door in exop ldap; do
		role=$(new_role "wf-$name-$door") || continue
		RC=; ID=; OUT=
		"sc_$name" "$door" "$role"
		label="[$door] $name ($what)"
		if [ "$RC" = "$want_rc" ]; then
			pass "$label: rc=$RC"
		else
			fail "$label: expected rc=$want_rc, got rc=$RC"
			printf '%s\n' "$OUT" | sed 's/^/#   /'
		fi
		if [ -z "$ID" ]; then
			fail "$label: no activation id"
			continue
		fi
		check "$label: pimState" "$want_state" "$(state_of "$ID")"
		check "$label: ldapcompare member" "$want_member" "$(is_member "$role" "$DEMO")"
		check "$label: (memberOf=role) finds demo" "$want_member" "$(found_by_member_of "$role")"
	done
done <<< "$SCENARIOS"

# --- door 2 only: writes that have no door-1 spelling -------------------

role=$(new_role wf-door2-only)
approval_policy "$role" "$OTHER"
request ldap "$role" 3600
check "door 2: a request to decide" 0 "$RC"
# an approval in somebody else's name
OUT=$(modify carol "$(act_dn "$ID")" "add: pimApprovedBy" "pimApprovedBy: $OTHER" 2>&1)
check "door 2: carol adds other's DN as pimApprovedBy" 50 "$?"
OUT=$(modify demo "$(act_dn "$ID")" "add: pimApprovedBy" "pimApprovedBy: $OTHER" 2>&1)
check "door 2: the requester adds the approver's DN as pimApprovedBy" 50 "$?"
check "door 2: still pending after the forged approvals" pending "$(state_of "$ID")"
# only the requester cancels
OUT=$(modify other "$(act_dn "$ID")" "replace: pimState" "pimState: cancelled" 2>&1)
check "door 2: the approver sets pimState: cancelled on demo's request" 50 "$?"
# a made-up state
OUT=$(modify demo "$(act_dn "$ID")" "replace: pimState" "pimState: active" 2>&1)
check "door 2: the requester sets pimState: active on their pending request" 53 "$?"
check "door 2: still pending" pending "$(state_of "$ID")"
check "door 2: still no membership" FALSE "$(is_member "$role" "$DEMO")"

pim_done
