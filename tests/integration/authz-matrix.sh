#!/bin/bash
# authz-matrix.sh - who may do what: one table, interpreted by a loop.
#
# Every actor (anonymous, an ordinary user, the eligible users demo and
# other, an approver, a PIM administrator, the rootdn) against every PIM
# extended operation (door 1) and every plain LDAP write that PIM
# intercepts (door 2), aimed at the actor's own things and at somebody
# else's.  Each row gives the expected result code; a refusal must also
# change nothing (state_snapshot: lib.sh's dir_snapshot without the audit
# trail, before and after), a success must change
# something, and slapd must still be running afterwards.  After a row
# that changed the directory the baseline below is restored, so rows do
# not depend on each other.
#
# Baseline:
#   ROLE (User Administrator, no approval): demo and other are eligible
#     (one eligibility each) and each hold an active activation (1 h).
#   APPROLE (Approved Role): approval required, one approval, the named
#     approver is uid=approver; demo, other and approver are eligible,
#     and demo and approver each have a pending request.
#   SPARE: a PIM role nobody is eligible for.
#   TEAMROLE (Team Role): the group TEAM (Matrix Team, whose one member
#     is plain) is eligible for it; nobody holds it.
#   plain is an ordinary user with no eligibility.  approver is an
#   ordinary user except for approving APPROLE's requests.
#
# Rows: ACTOR|OPERATION|TARGET|EXPECTED-RC|NOTE
#   ACTOR   anon plain demo other approver admin manager
#   TARGET  -      no principal / no --for (the requester, or n/a)
#           own    the actor's own DN named explicitly / the actor's own entry
#           team   the group TEAM, as a principal
#           USER   somebody else's (demo, other, plain, approver): --for USER,
#                  USER's eligibility/activation/request, USER's member value
#   A new operation joins by writing one op_NAME function and adding rows.
#
# Expectations follow DESIGN.md (nobody acts for somebody else unless the
# policy says so; only the principal activates, extends or cancels; an
# approver never decides their own request; only PIM administrators
# assign, remove, change policy or write a role's members; door 2 offers
# what door 1 does, through the same checks), then docs/pimctl.1 and the
# code's documented door mapping (overlay/pim_door2_actions.c).  Anonymous writes
# of any kind, PIM's extended operations included (they are registered
# as writes), are refused by slapd itself before PIM sees them
# (backend_check_restrictions: "modifications require authentication",
# strongerAuthRequired).
. "$(dirname "$0")/lib.sh"
pim_setup authz-matrix

PLAIN="uid=plain,ou=people,$BASE"; PLAIN_PW=plain-secret
APPROVER="uid=approver,ou=people,$BASE"; APPROVER_PW=approver-secret
SPARE="cn=Spare Role,ou=roles,$BASE"
TEAM="cn=Matrix Team,ou=groups,$BASE"
TEAMROLE="cn=Team Role,ou=roles,$BASE"
APPROLE="cn=Approved Role,ou=roles,$BASE"
NEWROLE="cn=New Role,ou=roles,$BASE"
OID=2.25.303586913736191762808327319970460715176.3
T0=$(date +%s)


# run_as WHO CMD ARGS...: like "as", with the two users this test adds.
run_as() {
	local who=$1
	shift
	case $who in
	plain)    "$1" -x -H "$URI" -D "$PLAIN" -w "$PLAIN_PW" "${@:2}" ;;
	approver) "$1" -x -H "$URI" -D "$APPROVER" -w "$APPROVER_PW" "${@:2}" ;;
	*)        as "$who" "$@" ;;
	esac
}

dn_of() {
	case $1 in
	anon) echo "" ;;
	-) echo "" ;;
	plain) echo "$PLAIN" ;;
	approver) echo "$APPROVER" ;;
	demo) echo "$DEMO" ;;
	other) echo "$OTHER" ;;
	admin) echo "$ADMIN" ;;
	manager) echo "$MANAGER" ;;
	team) echo "$TEAM" ;;
	*) return 1 ;;
	esac
}

# dir_snapshot (lib.sh) without the audit trail under the container
# (cn=audit): PIM records refusals there too, and that is not a change
# to anything a refusal must leave alone.
state_snapshot() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$BASE" "(objectClass=*)" '*' memberOf |
		grep -v -i '^\(modifyTimestamp\|modifiersName\|entryCSN\):' |
		awk -v RS= -v ORS='\n\n' -v a="cn=audit,$(lc "$CONTAINER")" '{
			split($0, l, "\n"); d = tolower(l[1]); sub(/^dn: /, "", d)
			if (d == a || (length(d) > length(a) && substr(d, length(d) - length(a)) == "," a))
				next
			print }' | md5sum
}
self_dn() { local d; d=$(dn_of "$1"); echo "${d:-$PLAIN}"; }	# anon: a stand-in
search_dns() {	# FILTER: DNs under the container
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" "$1" 1.1 |
		sed -n 's/^dn: //p'
}
elig_of() { search_dns "(&(objectClass=pimEligibility)(pimPrincipal=$1)(pimRoleDN=${2:-$ROLE}))" | head -1; }
# an activation made under an eligibility (an administrator's active
# assignment, which other rows make, is extended by administrators)
act_of() { search_dns "(&(objectClass=pimActivation)(pimPrincipal=$1)(pimRoleDN=$ROLE)(pimState=active)(pimEligibilityRef=*))" | head -1; }
pending_of() { search_dns "(&(objectClass=pimActivation)(pimPrincipal=$1)(pimRoleDN=$APPROLE)(pimState=pending))" | head -1; }
id_of() { local id=${1%%,*}; echo "${id#pimId=}"; }	# DN -> pimId
# the latest end of USER's active activations of ROLE (epoch), or now + 1 h
latest_end() {
	local t
	t=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$1)(pimRoleDN=$ROLE)(pimState=active))" pimEndTime |
		sed -n 's/^pimEndTime: //p' | sort | tail -1)
	if [ -n "$t" ]; then
		date -u -d "${t:0:8} ${t:8:2}:${t:10:2}:${t:12:2}" +%s
	else
		echo $(( $(date +%s) + 3600 ))
	fi
}
entry_exists() { as manager ldapsearch -LLL -b "$1" -s base 1.1 2>/dev/null | grep -q '^dn:'; }
holds_role_member_of() {	# USER-DN
	attr_values "$1" memberOf | tr 'A-Z' 'a-z' | grep -qxF "$(lc "$ROLE")"
}
# need VALUE WHAT: a fixture the row needs is there
need() {
	[ -n "$1" ] && return 0
	echo "test fixture missing: $2"
	return 254
}

# BER for a raw request: SEQUENCE { role, [tag] value ... } (short lengths)
ber_request() {
	python3 - "$@" <<'PY'
import base64, sys
def tlv(t, v):
    assert len(v) < 128
    return bytes([t, len(v)]) + v
body = tlv(0x04, sys.argv[1].encode())
for f in sys.argv[2:]:
    t, v = f.split(':', 1)
    body += tlv(int(t, 16), bytes.fromhex(v))
print(base64.b64encode(tlv(0x30, body)).decode())
PY
}
# raw_exop WHO VERB-NUMBER BASE64: ldapexop exits 1 on any error; the
# result code is the "(N)" of its message.
raw_exop() {
	local out rc
	out=$(run_as "$1" ldapexop "$OID.$2::$3" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] && return 0
	rc=$(printf '%s\n' "$out" | sed -n 's/.*(\([0-9][0-9]*\))$/\1/p' | head -1)
	return "${rc:-255}"
}

# --- the operations: op_NAME ACTOR TARGET-DN (empty for "-") ------------
# Each runs one request as ACTOR and returns the result code.

op_activate() {
	run_as "$1" pimctl activate "$ROLE" --duration 1h --reason "authz matrix" ${2:+--for "$2"}
}
# activate TEAMROLE, for which only TEAM's members are eligible
op_activate_team() {
	run_as "$1" pimctl activate "$TEAMROLE" --duration 1h --reason "authz matrix"
}
op_deactivate() {
	run_as "$1" pimctl deactivate "$ROLE" ${2:+--for "$2"}
}
# deactivate with TARGET's activation id, but no --for: the principal is
# the requester, so only the requester's own activation may end.
op_deactivate_id() {
	local act id
	act=$(act_of "$2"); need "$act" "active activation of $2" || return
	id=${act%%,*}; id=${id#pimId=}
	run_as "$1" pimctl deactivate "$ROLE" --id "$id"
}
op_assign() {
	if [ -z "$2" ]; then	# a raw request without [0] principal; [7] kind eligible
		raw_exop "$1" 3 "$(ber_request "$ROLE" 87:00)"
	else
		run_as "$1" pimctl assign --eligible "$2" "$ROLE" --reason "authz matrix"
	fi
}
op_remove() {
	if [ -z "$2" ]; then	# a raw request without [0] principal
		raw_exop "$1" 4 "$(ber_request "$ROLE")"
	else
		run_as "$1" pimctl unassign --eligible "$2" "$ROLE"
	fi
}
op_extend() {	# 10 minutes beyond TARGET's (or the actor's) latest end
	local who=${2:-$(dn_of "$1")}
	run_as "$1" pimctl extend "$ROLE" --until "$(gentime $(( $(latest_end "$who") + 600 )))" \
		--reason "authz matrix" ${2:+--for "$2"}
}
op_assign_active() {
	run_as "$1" pimctl assign --active "$2" "$ROLE" --duration 1h --reason "authz matrix"
}
op_remove_active() {
	run_as "$1" pimctl unassign --active "$2" "$ROLE"
}
# approve / deny / cancel TARGET's pending request for APPROLE
op_approve() {
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" pimctl approve "$(id_of "$r")" --role "$APPROLE" --reason "authz matrix"
}
op_deny() {
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" pimctl deny "$(id_of "$r")" --role "$APPROLE" --reason "authz matrix"
}
op_cancel() {
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" pimctl cancel "$(id_of "$r")" --role "$APPROLE"
}
op_add_elig() {
	run_as "$1" ldapadd <<LDIF
dn: pimId=matrix-$ROW,$CONTAINER
objectClass: pimEligibility
pimId: matrix-$ROW
pimPrincipal: $2
pimRoleDN: $ROLE
pimJustification: authz matrix
LDIF
}
op_mod_elig() {
	local e
	e=$(elig_of "$2"); need "$e" "eligibility of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $e
changetype: modify
replace: pimJustification
pimJustification: changed by the authz matrix, row $ROW
LDIF
}
# hand TARGET's eligibility to the actor (or, for anon, to plain)
op_retarget_elig() {
	local e
	e=$(elig_of "$2"); need "$e" "eligibility of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $e
changetype: modify
replace: pimPrincipal
pimPrincipal: $(self_dn "$1")
LDIF
}
op_del_elig() {
	local e
	e=$(elig_of "$2"); need "$e" "eligibility of $2" || return
	run_as "$1" ldapdelete "$e"
}
op_rename_elig() {
	local e
	e=$(elig_of "$2"); need "$e" "eligibility of $2" || return
	run_as "$1" ldapmodrdn -r "$e" "pimId=renamed-$ROW"
}
# door 2's activate: an activation entry as a user would write it (for
# somebody else, by an administrator: an active assignment)
op_add_act() {
	run_as "$1" ldapadd <<LDIF
dn: pimId=matrix-$ROW,$CONTAINER
objectClass: pimActivation
pimId: matrix-$ROW
pimPrincipal: $2
pimRoleDN: $ROLE
pimState: active
pimEndTime: $(gentime $(( $(date +%s) + 3600 )))
pimJustification: authz matrix, door 2
LDIF
}
# an activation entry without pimPrincipal: refused as an incomplete
# entry (objectClassViolation), never the end of slapd
op_add_act_bare() {
	run_as "$1" ldapadd <<LDIF
dn: pimId=bare-$ROW,$CONTAINER
objectClass: pimActivation
pimId: bare-$ROW
pimRoleDN: $ROLE
pimState: active
pimJustification: authz matrix, no principal
LDIF
}
op_mod_act_end() {	# door 2's extend: TARGET's activation, 10 minutes longer
	local a
	a=$(act_of "$2"); need "$a" "active activation of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $a
changetype: modify
replace: pimEndTime
pimEndTime: $(gentime $(( $(latest_end "$2") + 600 )))
LDIF
}
op_mod_act_end_reason() {	# the same, with its reason (a new pimJustification)
	local a
	a=$(act_of "$2"); need "$a" "active activation of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $a
changetype: modify
replace: pimEndTime
pimEndTime: $(gentime $(( $(latest_end "$2") + 600 )))
-
replace: pimJustification
pimJustification: authz matrix, door 2 extension
LDIF
}
op_mod_act_state() {	# door 2's deactivate
	local a
	a=$(act_of "$2"); need "$a" "active activation of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $a
changetype: modify
replace: pimState
pimState: deactivated
LDIF
}
op_mod_act_role() {	# not a PIM action: moving an activation to another role
	local a
	a=$(act_of "$2"); need "$a" "active activation of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $a
changetype: modify
replace: pimRoleDN
pimRoleDN: $SPARE
LDIF
}
# door 2's approve / deny / cancel of TARGET's pending request for APPROLE
op_approve_door() {	# add pimApprovedBy: the actor's own DN
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $r
changetype: modify
add: pimApprovedBy
pimApprovedBy: $(self_dn "$1")
LDIF
}
op_approve_forged() {	# add pimApprovedBy: the approver's DN, by somebody else
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $r
changetype: modify
add: pimApprovedBy
pimApprovedBy: $APPROVER
LDIF
}
op_deny_door() {
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $r
changetype: modify
add: pimDeniedBy
pimDeniedBy: $(self_dn "$1")
-
add: pimDecisionReason
pimDecisionReason: authz matrix
LDIF
}
op_cancel_door() {
	local r
	r=$(pending_of "$2"); need "$r" "pending request of $2" || return
	run_as "$1" ldapmodify <<LDIF
dn: $r
changetype: modify
replace: pimState
pimState: cancelled
LDIF
}
op_del_act() {
	local a
	a=$(act_of "$2"); need "$a" "active activation of $2" || return
	run_as "$1" ldapdelete "$a"
}
op_rename_act() {
	local a
	a=$(act_of "$2"); need "$a" "active activation of $2" || return
	run_as "$1" ldapmodrdn -r "$a" "pimId=renamed-$ROW"
}
op_add_member() {
	run_as "$1" ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: member
member: $2
LDIF
}
op_del_member() {
	run_as "$1" ldapmodify <<LDIF
dn: $ROLE
changetype: modify
delete: member
member: $2
LDIF
}
op_add_managed() {
	run_as "$1" ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: pimManagedMember
pimManagedMember: $2
LDIF
}
op_mod_policy() {
	run_as "$1" ldapmodify <<LDIF
dn: $ROLE
changetype: modify
replace: pimMaxDuration
pimMaxDuration: 4h
LDIF
}
op_add_role() {
	run_as "$1" ldapadd <<LDIF
dn: $NEWROLE
objectClass: groupOfNames
objectClass: pimRole
cn: New Role
member: $CONTAINER
LDIF
}
op_del_role() { run_as "$1" ldapdelete "$ROLE"; }
op_del_spare() { run_as "$1" ldapdelete "$SPARE"; }
op_mod_memberof() {	# memberOf is NO-USER-MODIFICATION: nobody writes it
	run_as "$1" ldapmodify <<LDIF
dn: $2
changetype: modify
add: memberOf
memberOf: $ROLE
LDIF
}

# --- the baseline ---------------------------------------------------------

SEQ=0
add_baseline_elig() {	# USER-DN ROLE-DN
	SEQ=$((SEQ + 1))
	as manager ldapadd >/dev/null <<LDIF
dn: pimId=baseline-$SEQ,$CONTAINER
objectClass: pimEligibility
pimId: baseline-$SEQ
pimPrincipal: $1
pimRoleDN: $2
pimJustification: authz matrix baseline
LDIF
}

# Bring the directory back to the baseline: idempotent, and quick when
# nothing is to be done.  The manager (the rootdn, a PIM administrator)
# makes the repairs; PIM's rules apply to them as to anybody.
reset_baseline() {
	local dn m managed u who
	# eligibility: ROLE for demo and other, APPROLE for them and approver
	search_dns "(&(objectClass=pimEligibility)(|(&(pimRoleDN=$ROLE)(!(pimPrincipal=$DEMO))(!(pimPrincipal=$OTHER)))(&(pimRoleDN=$APPROLE)(!(pimPrincipal=$DEMO))(!(pimPrincipal=$OTHER))(!(pimPrincipal=$APPROVER)))(&(pimRoleDN=$TEAMROLE)(!(pimPrincipal=$TEAM)))(!(|(pimRoleDN=$ROLE)(pimRoleDN=$APPROLE)(pimRoleDN=$TEAMROLE)))))" |
	while read -r dn; do
		as manager ldapdelete "$dn" >/dev/null 2>&1
	done
	for u in "$DEMO" "$OTHER"; do
		[ -n "$(elig_of "$u")" ] || add_baseline_elig "$u" "$ROLE"
	done
	for u in "$DEMO" "$OTHER" "$APPROVER"; do
		[ -n "$(elig_of "$u" "$APPROLE")" ] || add_baseline_elig "$u" "$APPROLE"
	done
	[ -n "$(elig_of "$TEAM" "$TEAMROLE")" ] || add_baseline_elig "$TEAM" "$TEAMROLE"
	# the role's policy
	if [ "$(attr_values "$ROLE" pimMaxDuration)" != 8h ]; then
		as manager ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimMaxDuration
pimMaxDuration: 8h
LDIF
	fi
	# nobody but demo and other holds ROLE; nobody holds APPROLE
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(|(pimState=active)(pimState=scheduled)(pimState=approved))(|(&(pimRoleDN=$ROLE)(!(pimPrincipal=$DEMO))(!(pimPrincipal=$OTHER)))(pimRoleDN=$APPROLE)(pimRoleDN=$TEAMROLE)))" \
		pimPrincipal pimRoleDN | awk '/^pimPrincipal: /{p=substr($0,15)} /^pimRoleDN: /{print p "|" substr($0,12)}' |
		sort -u | while IFS='|' read -r u m; do
		as manager pimctl deactivate "$m" --for "$u" >/dev/null 2>&1
	done
	# no static members but the placeholder
	managed=$(attr_values "$ROLE" pimManagedMember | tr 'A-Z' 'a-z')
	attr_values "$ROLE" member | while read -r m; do
		[ "$(lc "$m")" = "$(lc "$CONTAINER")" ] && continue
		printf '%s\n' "$managed" | grep -qxF "$(lc "$m")" && continue
		as manager ldapmodify >/dev/null 2>&1 <<LDIF
dn: $ROLE
changetype: modify
delete: member
member: $m
LDIF
	done
	# roles
	entry_exists "$NEWROLE" && as manager ldapdelete "$NEWROLE" >/dev/null 2>&1
	entry_exists "$SPARE" || as manager ldapadd >/dev/null <<LDIF
dn: $SPARE
objectClass: groupOfNames
objectClass: pimRole
cn: Spare Role
member: $CONTAINER
LDIF
	# demo and other hold an active activation of ROLE, and its membership
	for who in demo other; do
		u=$(dn_of $who)
		if [ -n "$(act_of "$u")" ] && [ "$(is_member "$ROLE" "$u")" = TRUE ] && holds_role_member_of "$u"; then
			continue
		fi
		as "$who" pimctl deactivate "$ROLE" >/dev/null 2>&1
		as "$who" pimctl activate "$ROLE" --duration 1h --reason "authz matrix baseline" >/dev/null
	done
	# demo and approver each have a pending request for APPROLE
	for who in demo approver; do
		[ -n "$(pending_of "$(dn_of $who)")" ] ||
			run_as "$who" pimctl activate "$APPROLE" --duration 1h --reason "authz matrix baseline" >/dev/null
	done
}

# The slapd the rows run against is still there (a crash is a failure of
# the row that caused it; the next rows get a fresh start).
slapd_alive() {
	[ -n "${SLAPD_PID:-}" ] && kill -0 "$SLAPD_PID" 2>/dev/null &&
		ldapsearch -x -H "$URI" -b "" -s base namingContexts >/dev/null 2>&1
}

for who in plain approver; do
	u=$(dn_of $who); pw=${who}-secret
	as manager ldapadd >/dev/null <<LDIF
dn: $u
objectClass: inetOrgPerson
uid: $who
cn: $who
sn: $who
userPassword: $pw
LDIF
	[ $? = 0 ] && pass "manager adds the ordinary user $who" || fail "cannot add $who"
done
as manager ldapadd >/dev/null <<LDIF
dn: $APPROLE
objectClass: groupOfNames
objectClass: pimRole
cn: Approved Role
member: $CONTAINER
pimApprovalRequired: TRUE
pimApprovalsNeeded: 1
pimApprover: $APPROVER
LDIF
[ $? = 0 ] && pass "manager adds a role that needs approver's approval" || fail "cannot add $APPROLE"
as manager ldapadd >/dev/null <<LDIF
dn: $TEAMROLE
objectClass: groupOfNames
objectClass: pimRole
cn: Team Role
member: $CONTAINER

dn: $TEAM
objectClass: groupOfNames
cn: Matrix Team
member: $PLAIN
LDIF
[ $? = 0 ] && pass "manager adds a role for a team, and the team" || fail "cannot add $TEAMROLE"
reset_baseline
for who in demo other; do
	u=$(dn_of $who)
	[ -n "$(elig_of "$u")" ] && [ -n "$(act_of "$u")" ] && [ "$(is_member "$ROLE" "$u")" = TRUE ] && holds_role_member_of "$u" &&
		pass "baseline: $who is eligible, active and a member" ||
		fail "baseline: $who is not eligible, active and a member"
done
for who in demo approver; do
	[ -n "$(pending_of "$(dn_of $who)")" ] && pass "baseline: $who has a pending request for $APPROLE" ||
		fail "baseline: $who has no pending request for $APPROLE"
done
entry_exists "$SPARE" && pass "baseline: the spare role exists" || fail "baseline: no spare role"

# --- the table -------------------------------------------------------------

ROW=0
while IFS='|' read -r actor op target want note <&3; do
	case $actor in ''|'#'*) continue ;; esac
	ROW=$((ROW + 1))
	case $target in
	-) tdn="" ;;
	own) tdn=$(dn_of "$actor") ;;
	*) tdn=$(dn_of "$target") || { fail "row $ROW: unknown target $target"; continue; } ;;
	esac
	fn=op_${op//-/_}
	if ! declare -F "$fn" >/dev/null; then
		fail "row $ROW: unknown operation $op"
		continue
	fi
	what="$actor $op $target${note:+ ($note)}"
	before=$(state_snapshot)
	expect_rc "$want" "$what" "$fn" "$actor" "$tdn"
	if ! slapd_alive; then
		fail "$what: slapd is gone (crashed); restarting it for the next rows"
		pim_kill
		pim_start
	fi
	after=$(state_snapshot)
	if [ "$want" -ne 0 ]; then
		[ "$before" = "$after" ] && pass "$what: nothing changed" ||
			fail "$what: refused, but the directory changed"
	else
		[ "$before" != "$after" ] && pass "$what: took effect" ||
			fail "$what: succeeded, but nothing changed"
	fi
	[ "$before" = "$after" ] || reset_baseline
done 3<<'ROWS'
# ===== door 1: extended operations ========================================
# activate: only the principal, for themselves, under an eligibility.
anon|activate|-|8|modifications require authentication
anon|activate|demo|8
plain|activate|-|50|not eligible
plain|activate|own|50|not eligible
plain|activate|demo|50|only the principal activates
demo|activate|-|0|eligible: a second, overlapping activation
demo|activate|own|0|principal = requester
demo|activate|other|50|only the principal activates
other|activate|-|0
other|activate|own|0
other|activate|demo|50|only the principal activates
approver|activate|-|50|not eligible for this role
approver|activate|own|50
approver|activate|demo|50|only the principal activates
admin|activate|-|50|not eligible
admin|activate|own|50|not eligible
admin|activate|demo|50|not even an administrator activates for somebody else
manager|activate|-|50|not eligible
manager|activate|own|50|not eligible
manager|activate|demo|50|not even the rootdn activates for somebody else
anon|activate_team|-|8
plain|activate_team|-|0|eligible through the group TEAM
demo|activate_team|-|50|not in the group
approver|activate_team|-|50
admin|activate_team|-|50|an administrator outside the group is not eligible either
manager|activate_team|-|50
# deactivate: the principal ends their own; an administrator anybody's.
anon|deactivate|-|8
anon|deactivate|demo|8
plain|deactivate|-|32|no active activation of their own
plain|deactivate|own|32
plain|deactivate|demo|50|somebody else's activation
demo|deactivate|-|0|deactivated
demo|deactivate|own|0
demo|deactivate|other|50|somebody else's activation
other|deactivate|-|0
other|deactivate|own|0
other|deactivate|demo|50|somebody else's activation
approver|deactivate|-|32
approver|deactivate|own|32
approver|deactivate|demo|50|somebody else's activation
admin|deactivate|-|32|no activation of their own
admin|deactivate|own|32
admin|deactivate|demo|0|revoked by an administrator
manager|deactivate|-|32
manager|deactivate|own|32
manager|deactivate|demo|0|revoked by the rootdn
# deactivate --id of somebody else's activation, without --for: the
# principal is the requester, so nothing of the other user's ends
plain|deactivate-id|demo|32|another's id
demo|deactivate-id|other|32|another's id
demo|deactivate-id|demo|0|own id
admin|deactivate-id|demo|32|another's id without --for
# extend: the principal only, not even an administrator for somebody else
anon|extend|-|8
anon|extend|demo|8
plain|extend|-|32|nothing to extend
plain|extend|demo|50|somebody else's activation
demo|extend|-|0
demo|extend|own|0
demo|extend|other|50|somebody else's activation
other|extend|-|0
approver|extend|demo|50
admin|extend|-|32
admin|extend|demo|50|only the principal extends
manager|extend|demo|50|only the principal extends
# assign (eligible): administrators only; the request must name the principal
anon|assign|-|2|no principal: protocolError before anything else
plain|assign|-|2
demo|assign|-|2
approver|assign|-|2
admin|assign|-|2
manager|assign|-|2
anon|assign|demo|8
plain|assign|own|50|self-assignment
plain|assign|demo|50
demo|assign|own|50
demo|assign|other|50
other|assign|own|50
approver|assign|own|50
approver|assign|demo|50
admin|assign|own|0|an administrator may make themselves eligible
admin|assign|plain|0
admin|assign|demo|68|already eligible (authorized, then refused)
manager|assign|own|19|the rootdn has no entry to be eligible with
manager|assign|plain|0
anon|assign|team|8
plain|assign|team|50|a member may not make their own group eligible
demo|assign|team|50
approver|assign|team|50
admin|assign|team|0|a group's members become eligible
admin|assign_active|team|19|a group holds no active assignment
manager|assign_active|team|19
# assign --active (a time-bound assignment, no eligibility): administrators only
anon|assign-active|plain|8
plain|assign-active|own|50|self-elevation
demo|assign-active|own|50|an eligible user skipping activation
demo|assign-active|plain|50
approver|assign-active|own|50
admin|assign-active|plain|0
admin|assign-active|own|0|door 1 lets an administrator assign themselves (door 2 does not: see add-act)
manager|assign-active|plain|0
# remove (eligible): administrators only
anon|remove|-|2|no principal: protocolError
plain|remove|-|2
demo|remove|-|2
admin|remove|-|2
manager|remove|-|2
anon|remove|demo|8
plain|remove|own|50
plain|remove|demo|50
demo|remove|own|50|a user does not remove their own eligibility
demo|remove|other|50
other|remove|demo|50
approver|remove|demo|50
admin|remove|own|32|not eligible
admin|remove|demo|0|revokes demo's activation too
manager|remove|own|32
manager|remove|demo|0
# remove --active: administrators only
anon|remove-active|demo|8
plain|remove-active|demo|50
demo|remove-active|own|50
admin|remove-active|demo|32|demo's activation is not an assignment
manager|remove-active|demo|32
# approve / deny (APPROLE, whose one approver is uid=approver): never
# one's own request; administrators are not approvers of a role that
# names its approvers
anon|approve|demo|8
plain|approve|demo|50|not an approver
demo|approve|own|50|one's own request
demo|approve|approver|50|not an approver
other|approve|demo|50
approver|approve|demo|0|the role's approver
approver|approve|own|50|an approver never approves their own request
admin|approve|demo|50|the role names its approvers
manager|approve|demo|50
anon|deny|demo|8
plain|deny|demo|50
demo|deny|own|50
other|deny|demo|50
approver|deny|demo|0
approver|deny|own|50|an approver never decides their own request
admin|deny|demo|50
manager|deny|demo|50
# cancel: the requester only
anon|cancel|demo|8
plain|cancel|demo|50
demo|cancel|own|0
other|cancel|demo|50
approver|cancel|demo|50|an approver denies; only the requester cancels
approver|cancel|own|0
admin|cancel|demo|50|an administrator revokes (deactivate --for); only the requester cancels
manager|cancel|demo|50
# ===== door 2: plain LDAP writes ============================================
# eligibility entries: administrators only
anon|add-elig|demo|8
plain|add-elig|own|50|self-assignment by ldapadd
plain|add-elig|demo|50
demo|add-elig|own|50
demo|add-elig|other|50
other|add-elig|own|50
approver|add-elig|own|50
admin|add-elig|own|0
admin|add-elig|plain|0
admin|add-elig|demo|68|already eligible
manager|add-elig|plain|0
manager|add-elig|own|19|no entry for the rootdn
anon|mod-elig|demo|8
plain|mod-elig|demo|50
demo|mod-elig|own|50
demo|mod-elig|other|50
other|mod-elig|own|50
approver|mod-elig|demo|50
admin|mod-elig|demo|0
manager|mod-elig|demo|0
anon|retarget-elig|demo|8
plain|retarget-elig|demo|50|taking over demo's eligibility
demo|retarget-elig|other|50
approver|retarget-elig|demo|50
admin|retarget-elig|demo|53|principal never changes: remove and assign anew
manager|retarget-elig|demo|53
anon|del-elig|demo|8
plain|del-elig|demo|50
demo|del-elig|own|50
demo|del-elig|other|50
other|del-elig|own|50
approver|del-elig|demo|50
admin|del-elig|demo|0|revokes demo's activation too
manager|del-elig|demo|0
anon|rename-elig|demo|8
plain|rename-elig|demo|53|PIM entries are never renamed
demo|rename-elig|own|53
approver|rename-elig|demo|53
admin|rename-elig|demo|53
manager|rename-elig|demo|53
# activation entries: door 2 offers what door 1 does, with its checks.
# ldapadd = activate (for somebody else, by an administrator: an active
# assignment)
anon|add-act|demo|8
plain|add-act|own|50|not eligible
plain|add-act|demo|50|only the principal activates
demo|add-act|own|0|door 2's activate
demo|add-act|other|50|only the principal activates
other|add-act|own|0
approver|add-act|own|50|not eligible for this role
admin|add-act|own|50|for oneself it is an activation: not eligible
admin|add-act|demo|0|an administrator's active assignment
manager|add-act|demo|0
# an incomplete activation entry: refused like any entry missing a
# required attribute, by anybody, and slapd stays up
anon|add-act-bare|-|8
plain|add-act-bare|-|65|no pimPrincipal
demo|add-act-bare|-|65|no pimPrincipal
admin|add-act-bare|-|65|no pimPrincipal
manager|add-act-bare|-|65|no pimPrincipal
# pimState: deactivated = deactivate
anon|mod-act-state|demo|8
plain|mod-act-state|demo|50
demo|mod-act-state|own|0|door 2's deactivate
demo|mod-act-state|other|50
other|mod-act-state|own|0
approver|mod-act-state|demo|50
admin|mod-act-state|demo|0|revoked by an administrator
manager|mod-act-state|demo|0
# replace pimEndTime = extend: the principal only.  ROLE requires a
# justification, as door 1's extend --reason gives one; door 2 gives it
# as a new pimJustification along with pimEndTime
anon|mod-act-end|demo|8
plain|mod-act-end|demo|50
demo|mod-act-end|own|19|no reason: as door 1's extend without --reason
demo|mod-act-end|other|50|somebody else's activation
other|mod-act-end|own|19
demo|mod-act-end-reason|own|0|door 2's extend, with its reason
other|mod-act-end-reason|own|0
plain|mod-act-end-reason|demo|50
admin|mod-act-end-reason|demo|50|only the principal extends
approver|mod-act-end|demo|50
admin|mod-act-end|demo|50|only the principal extends
manager|mod-act-end|demo|50
# anything else PIM writes itself
anon|mod-act-role|demo|8
plain|mod-act-role|demo|53
demo|mod-act-role|own|53|moving one's activation to another role
admin|mod-act-role|demo|53
manager|mod-act-role|demo|53
# approve / deny / cancel through door 2
anon|approve-door|demo|8
plain|approve-door|demo|50|not an approver
demo|approve-door|own|50|one's own request
approver|approve-door|demo|0|door 2's approve
approver|approve-door|own|50|never one's own request
admin|approve-door|demo|50
manager|approve-door|demo|50
demo|approve-forged|own|50|writing the approver's name is not approving
plain|approve-forged|demo|50
admin|approve-forged|demo|50
anon|deny-door|demo|8
plain|deny-door|demo|50
demo|deny-door|own|50
approver|deny-door|demo|0|door 2's deny
approver|deny-door|own|50
admin|deny-door|demo|50
anon|cancel-door|demo|8
plain|cancel-door|demo|50
demo|cancel-door|own|0|door 2's cancel
other|cancel-door|demo|50
approver|cancel-door|demo|50
approver|cancel-door|own|0
admin|cancel-door|demo|50
# deleting an activation record: administrators only
anon|del-act|demo|8
plain|del-act|demo|50
demo|del-act|own|50|only an administrator deletes activation records
demo|del-act|other|50
other|del-act|own|50
approver|del-act|demo|50
admin|del-act|demo|0|revoked, membership removed
manager|del-act|demo|0
anon|rename-act|demo|8
plain|rename-act|demo|53
demo|rename-act|own|53
admin|rename-act|demo|53
manager|rename-act|demo|53
# a role's members: PIM administrators only.  An administrator's added
# member is a permanent active assignment, which ROLE's policy (the
# defaults) does not allow; a deleted one loses what PIM gave them.
anon|add-member|demo|8
plain|add-member|own|50|self-elevation by ldapmodify
plain|add-member|demo|50
demo|add-member|own|50|static membership without PIM
approver|add-member|own|50
admin|add-member|own|19|no permanent active assignments on this role
admin|add-member|plain|19
manager|add-member|plain|19
anon|del-member|demo|8
plain|del-member|demo|50|removing somebody else's privilege
demo|del-member|own|50
demo|del-member|other|50
other|del-member|demo|50
approver|del-member|demo|50
admin|del-member|demo|0|revokes demo's activations
manager|del-member|demo|0
# pimManagedMember: maintained by PIM alone, refused even for administrators
anon|add-managed|demo|8
plain|add-managed|own|19
demo|add-managed|own|19
approver|add-managed|own|19
admin|add-managed|plain|19
manager|add-managed|plain|19
# memberOf: NO-USER-MODIFICATION, for everybody
demo|mod-memberof|own|19
plain|mod-memberof|own|19
admin|mod-memberof|plain|19
manager|mod-memberof|plain|19
# a role's policy: PIM administrators only
anon|mod-policy|-|8
plain|mod-policy|-|50
demo|mod-policy|-|50|an eligible user raising their own ceiling
other|mod-policy|-|50
approver|mod-policy|-|50
admin|mod-policy|-|0
manager|mod-policy|-|0
# creating a role: PIM administrators only
anon|add-role|-|8
plain|add-role|-|50
demo|add-role|-|50
approver|add-role|-|50
admin|add-role|-|0
manager|add-role|-|0
# deleting a role: PIM administrators only, and not while it is in use
anon|del-role|-|8
plain|del-role|-|50|role in use; not an administrator
demo|del-role|-|50
other|del-role|-|50
approver|del-role|-|50
admin|del-role|-|53|role still has eligibility and activations
manager|del-role|-|53
anon|del-spare|-|8
plain|del-spare|-|50|unused role; not an administrator
demo|del-spare|-|50
approver|del-spare|-|50
admin|del-spare|-|0
manager|del-spare|-|0
ROWS

# ===== reads under the container (the overlay's own rule, over a site ACL
# that lets users search it) and the extension of an active assignment:
# rows of their own, since a read changes nothing and an extension needs
# an assignment the baseline does not keep.
reset_baseline
as manager pimctl assign --active "$OTHER" "$ROLE" --duration 1h --reason "matrix fixture" >/dev/null 2>&1
as demo pimctl activate "$ROLE" --duration 1h --reason "matrix fixture" >/dev/null 2>&1
DEMO_ACT=$(act_of "$DEMO")
EXT_H=1		# each extension asks for an hour more than the last
OTHER_ASG=$(search_dns "(&(objectClass=pimActivation)(pimPrincipal=$OTHER)(pimRoleDN=$ROLE)(pimState=active)(!(pimEligibilityRef=*)))" | head -1)
read_rc() {	# ACTOR DN: ldapsearch -s base's exit code (32: not there)
	run_as "$1" ldapsearch -LLL -b "$2" -s base 1.1 >/dev/null 2>&1
	echo $?
}
while IFS='|' read -r actor what want note <&3; do
	case $actor in ''|'#'*) continue ;; esac
	ROW=$((ROW + 1))
	case $what in
	read-act) got=$(read_rc "$actor" "$DEMO_ACT") ;;
	read-elig) got=$(read_rc "$actor" "$(elig_of "$DEMO")") ;;
	read-container) got=$(read_rc "$actor" "$CONTAINER") ;;
	read-audit) got=$(read_rc "$actor" "cn=audit,$CONTAINER") ;;
	compare-act)
		run_as "$actor" ldapcompare "$DEMO_ACT" "pimState:active" >/dev/null 2>&1
		got=$? ;;
	extend-assigned)
		before=$(attr_values "$OTHER_ASG" pimEndTime)
		run_as "$actor" pimctl extend "$ROLE" --for other \
			--id "$(printf '%s' "${OTHER_ASG%%,*}" | sed 's/^[^=]*=//')" \
			--duration "$((EXT_H += 1))h" --reason "matrix" >/dev/null 2>&1
		got=$?
		after=$(attr_values "$OTHER_ASG" pimEndTime)
		if [ "$got" = 0 ]; then
			[ "$before" != "$after" ] && pass "$actor $what: took effect" ||
				fail "$actor $what: succeeded, but the end did not move"
		else
			[ "$before" = "$after" ] && pass "$actor $what: nothing changed" ||
				fail "$actor $what: refused, but the end moved"
		fi ;;
	*) fail "row $ROW: unknown read $what"; continue ;;
	esac
	[ "$got" = "$want" ] && pass "$actor $what${note:+ ($note)} (rc=$got)" ||
		fail "$actor $what${note:+ ($note)}: expected rc=$want, got rc=$got"
done 3<<'ROWS'
anon|read-act|32|not there for anonymous clients
plain|read-act|32|somebody else's activation
other|read-act|32
approver|read-act|32|an approver of another role
demo|read-act|0|one's own
admin|read-act|0
manager|read-act|0
anon|read-elig|32
other|read-elig|32
demo|read-elig|0
admin|read-elig|0
anon|read-container|32|the container itself: administrators and auditors
demo|read-container|32
admin|read-container|0
anon|read-audit|32
demo|read-audit|32
admin|read-audit|0
anon|compare-act|32
other|compare-act|32
demo|compare-act|6|compareTrue
admin|compare-act|6
anon|extend-assigned|32|anonymous pimctl does not even find the role
other|extend-assigned|50|the holder: only with pimActiveSelfExtendAllowed
demo|extend-assigned|50|somebody else's assignment
approver|extend-assigned|50
admin|extend-assigned|0|an administrator extends an assignment
manager|extend-assigned|0
ROWS

pass "matrix: $ROW rows in $(( $(date +%s) - T0 )) s"
pim_done
