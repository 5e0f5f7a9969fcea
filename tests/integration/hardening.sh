#!/bin/bash
# Hardening: the attacks and edge cases the overlay defends against.
#
#  1. look-alike groups: member values on a user's entry (extensibleObject)
#     make nobody an administrator or an approver;
#  2. attribute options (member;lang-en, pimJustification;lang-en) refused;
#  3. MFA tokens: outside pim-mfa-token-base, re-pointed by a user
#     administrator under the documented hardening ACL, writable by their
#     holder;
#  4. one text for every wrong one-time code;
#  5. an administrator's active assignment is extended by administrators
#     (unless pimActiveSelfExtendAllowed);
#  6. scheduled starts re-check a cut or removed eligibility;
#  7. privacy of the PIM and audit containers under a permissive site ACL;
#  8. abuse bounds: anonymous refusals aggregated, ticket and reason
#     bounds, the open-request limit;
#  9. log escaping; 10. a start PIM cannot write; 11. sub-second start;
# 12. slaptest refusals; 13. a missing container named at startup;
# 14. audit verify without read access; 15. migration of a static member.
. "$(dirname "$0")/lib.sh"
[ -f /usr/lib/ldap/otp.la ] || { pim_log "SKIP: no otp.la"; exit 77; }
[ -f /usr/lib/ldap/syncprov.la ] || { pim_log "SKIP: no syncprov.la"; exit 77; }
command -v python3 >/dev/null || { pim_log "SKIP: no python3"; exit 77; }
PIM_EXTRA_MODULES="otp.la"
# the lockout is off: several scenarios give wrong codes on purpose
pim_setup hardening "pim-mfa-max-failures 0"

RNAME="User Administrator"
APPR="cn=Approved Role,ou=roles,$BASE";	APPR_N="Approved Role"	# approval by uid=approver
MFAR="cn=MFA Role,ou=roles,$BASE";	MFAR_N="MFA Role"	# pimMFARequired
SCHED="cn=Sched Role,ou=roles,$BASE";	SCHED_N="Sched Role"
SHORT="cn=Short Role,ou=roles,$BASE";	SHORT_N="Short Role"
LEGACY="cn=Legacy Ops,ou=roles,$BASE";	LEGACY_N="Legacy Ops"
APPROVER="uid=approver,ou=people,$BASE"
DEMO2="uid=demo2,ou=people,$BASE"	# demo's second account
AUDITOR="uid=auditor,ou=people,$BASE"
AUDIT="cn=audit,$CONTAINER"
OTP="ou=otp,$BASE"
TOKMGR="cn=Token Managers,ou=groups,$BASE"
MDB="olcDatabase={1}mdb,cn=config"

# --- helpers ----------------------------------------------------------

# user UID CMD ARGS...: CMD bound as uid=UID (password UID-secret)
user() {
	local u=$1 cmd=$2
	shift 2
	if [ "$cmd" = pimctl ]; then
		"$PIMCTL" -b "$BASE" -x -H "$URI" -D "uid=$u,ou=people,$BASE" -w "$u-secret" "$@" </dev/null
	else
		"$cmd" -x -H "$URI" -D "uid=$u,ou=people,$BASE" -w "$u-secret" "$@"
	fi
}
noin() { "$@" </dev/null; }
modify() {	# WHO DN LINE...: one ldapmodify ("-" separates modifications)
	local who=$1 dn=$2
	shift 2
	{ printf 'dn: %s\nchangetype: modify\n' "$dn"; printf '%s\n' "$@"; } > "$T/mod.ldif"
	case $who in
	manager|admin|demo|other|config|anon) as "$who" ldapmodify -f "$T/mod.ldif" ;;
	*) user "$who" ldapmodify -f "$T/mod.ldif" ;;
	esac
}
add_ldif() {	# WHO FILE
	case $1 in
	manager|admin|demo|other|config|anon) as "$1" ldapadd -f "$2" ;;
	*) user "$1" ldapadd -f "$2" ;;
	esac
}
diag() { printf '%s\n' "$OUT" | sed -n 's/^[[:space:]]*additional info: //p' | head -1; }
managed() {	# ROLE USER: among the role's pimManagedMember values?
	attr_values "$1" pimManagedMember | grep -qix "$2" && echo TRUE || echo FALSE
}
act_dn() { echo "pimId=$1,$CONTAINER"; }
state() { attr_values "$(act_dn "$1")" pimState; }
id_of() { printf '%s\n' "$OUT" | sed -n 's/.*(id \([^)]*\)).*/\1/p' | head -1; }
# activations PRINCIPAL ROLE [STATE]: the DNs of their activation entries
activations() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$1)(pimRoleDN=$2)${3:+(pimState=$3)})" 1.1 |
		sed -n 's/^dn: //p'
}
# audit_count FILTER: audit records matching FILTER, as the administrator
audit_count() {
	as admin ldapsearch -LLL -b "$AUDIT" -s one "(&(objectClass=pimAuditRecord)$1)" 1.1 |
		grep -c '^dn:'
}
new_role() {	# DN CN [POLICY-LINE...]
	local dn=$1 cn=$2
	shift 2
	{
		printf 'dn: %s\nobjectClass: groupOfNames\nobjectClass: pimRole\ncn: %s\nmember: %s\n' \
			"$dn" "$cn" "$CONTAINER"
		[ $# -gt 0 ] && printf '%s\n' "$@"
	} > "$T/role.ldif"
	as admin ldapadd -f "$T/role.ldif" >/dev/null
}
# act_ldif FILE ID PRINCIPAL ROLE [LINE...]: an activation entry (door 2)
act_ldif() {
	local f=$1 id=$2 principal=$3 role=$4
	shift 4
	{
		printf 'dn: %s\nobjectClass: pimActivation\npimId: %s\npimPrincipal: %s\npimRoleDN: %s\n' \
			"$(act_dn "$id")" "$id" "$principal" "$role"
		[ $# -gt 0 ] && printf '%s\n' "$@"
	} > "$f"
}
entry_exists() { as manager ldapsearch -LLL -b "$1" -s base 1.1 2>/dev/null | grep -q '^dn:'; }
pim_cfg_dn() {
	as config ldapsearch -LLL -o ldif-wrap=no -b "$MDB" -s one "(objectClass=olcPimConfig)" 1.1 |
		sed -n 's/^dn: //p'
}

# TOTP (RFC 6238), as in mfa.sh: totp SECRET-BASE32 [STEP-OFFSET]
totp() {
	python3 - "$@" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = sys.argv[1]
key = base64.b32decode(secret + "=" * (-len(secret) % 8))
off = int(sys.argv[2]) if len(sys.argv) > 2 else 0
t = int(time.time()) // 30 + off
d = hmac.new(key, struct.pack(">Q", t), hashlib.sha1).digest()
o = d[-1] & 15
print("%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7fffffff) % 10**6))
PY
}
secret_b32() { python3 -c 'import base64,hashlib,sys; print(base64.b32encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())' "$1"; }
secret_b64() { python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())' "$1"; }
fresh_step() {	# wait for a fresh 30 s step when fewer than $1 seconds are left
	local left=$(( 30 - $(date +%s) % 30 ))
	[ "$left" -ge "$1" ] || sleep "$left"
}
mfa_activate() {	# ARGS...: demo activates the MFA role
	"$PIMCTL" -b "$BASE" -x -H "$URI" -D "$DEMO" -w "$DEMO_PW" \
		activate "$MFAR_N" --duration 1h --reason "MFA test" "$@" </dev/null
}

# --- 12. slaptest refusals (offline, on a configuration of its own) -------
# Attack/case: a configuration that slapd could not run (min > max, no
# container, a container outside the suffix) must be refused by the tools
# already, with a message, not accepted and failing later.
mkdir -p "$T/st/db"
sed -e "s|@DIR@|$T/st|g" -e "s|@MODULE@|$PIM_TOOL_MODULE|g" -e "s|@PIMCONF@||" \
	"$PIM_TOP_SRCDIR/tests/data/slapd.conf.in" > "$T/st/good.conf"
st() { timeout 60 "$SLAPTEST" -f "$1" >"$T/st/out" 2>&1; }
# an empty database for the configurations to open
timeout 60 "$SLAPADD" -f "$T/st/good.conf" -b "$BASE" -l /dev/null >"$T/st/out" 2>&1 ||
	{ fail "slapadd cannot create the slaptest database"; sed 's/^/#   /' "$T/st/out"; }
st "$T/st/good.conf" && pass "slaptest accepts the unchanged configuration (control)" ||
	{ fail "slaptest refuses the unchanged configuration"; sed 's/^/#   /' "$T/st/out"; }
{ cat "$T/st/good.conf"; printf 'pim-min-duration 2h\npim-max-duration 1h\n'; } > "$T/st/minmax.conf"
grep -v '^pim-container' "$T/st/good.conf" > "$T/st/nocont.conf"
sed 's|^pim-container.*|pim-container "cn=pim,dc=elsewhere,dc=org"|' "$T/st/good.conf" > "$T/st/outside.conf"
for c in "minmax:minimum|maximum|min.*max" "nocont:pim-container|container" \
	 "outside:container|suffix|inside|outside"; do
	name=${c%%:*} re=${c#*:}
	if st "$T/st/$name.conf"; then
		fail "slaptest on $name.conf exits 0"
	else
		pass "slaptest on $name.conf exits non-zero"
	fi
	grep -Eqi -- "pim.*($re)|($re).*pim" "$T/st/out" && pass "slaptest on $name.conf: a message ($(grep -Ei -- "$re" "$T/st/out" | head -1))" ||
		{ fail "slaptest on $name.conf: no message matching /$re/"; sed 's/^/#   /' "$T/st/out"; }
done

# --- the directory ----------------------------------------------------------

for u in approver demo2 carol; do add_user "$u" || fail "cannot add user $u"; done
new_role "$APPR" "$APPR_N" "pimApprovalRequired: TRUE" "pimApprover: $APPROVER" &&
new_role "$MFAR" "$MFAR_N" "pimMFARequired: TRUE" &&
new_role "$SCHED" "$SCHED_N" &&
new_role "$SHORT" "$SHORT_N" &&
	pass "roles: approval by uid=approver, MFA, scheduling, short" || fail "cannot create the roles"
for i in 1 2 3 4; do
	new_role "cn=Open Role $i,ou=roles,$BASE" "Open Role $i" "pimApprovalRequired: TRUE" ||
		fail "cannot create Open Role $i"
done
for r in "$APPR_N" "$MFAR_N" "$SHORT_N" "Open Role 1" "Open Role 2" "Open Role 3" "Open Role 4"; do
	as admin pimctl assign --eligible demo "$r" >/dev/null || fail "cannot make demo eligible for $r"
done
as admin pimctl assign --eligible other "$SHORT_N" >/dev/null || fail "cannot make other eligible for $SHORT_N"

# --- 8a. anonymous refusals are aggregated -----------------------------------
# Attack: anybody who reaches the port floods the audit trail with refused
# requests.  30 anonymous refused activations in a row from 127.0.0.1 give
# at most 2 records (the first, and perhaps one more that counts the rest).
before=$(audit_count "(pimAuditEvent=refused activate)")
codes=""
for i in $(seq 1 30); do
	as anon pimctl activate "$ROLE" --duration 1h --reason flood >/dev/null 2>&1 </dev/null
	codes="$codes $?"
done
after=$(audit_count "(pimAuditEvent=refused activate)")
printf '%s\n' $codes | grep -qx 0 && fail "an anonymous activation succeeded (codes:$codes)" ||
	pass "30 anonymous activations refused (codes: $(printf '%s\n' $codes | sort -u | tr '\n' ' '))"
new=$((after - before))
[ "$new" -ge 1 ] && [ "$new" -le 2 ] &&
	pass "30 anonymous refusals: $new new 'refused activate' records (1 to 2)" ||
	fail "30 anonymous refusals: $new new 'refused activate' records, expected 1 to 2"
actor=$(as admin ldapsearch -LLL -o ldif-wrap=no -b "$AUDIT" -s one \
	"(pimAuditEvent=refused activate)" pimAuditActor | sed -n 's/^pimAuditActor: //p' | sort -u | tr '\n' ' ')
check "the anonymous refusals' pimAuditActor" "anonymous " "$actor"

# --- 1. look-alike groups: an administrator's user entry with member values ---
# Attack: whoever may write the pim-admin's user entry (here the manager,
# standing for a user administrator) adds extensibleObject and member:
# OTHER to it, hoping PIM treats the pim-admin DN as a group whose member
# other is.
expect_rc 0 "manager adds extensibleObject and member: other to uid=admin's entry" \
	modify manager "$ADMIN" "add: objectClass" "objectClass: extensibleObject" "-" \
	"add: member" "member: $OTHER"
refused 50 "other (a member value on the admin's user entry) assigns himself eligibility" \
	"only PIM administrators" noin as other pimctl assign --eligible other "$RNAME"
refused 50 "other (look-alike) makes an active assignment for demo" \
	"only PIM administrators" noin as other pimctl assign --active demo "$RNAME" --duration 1h --reason x
act_ldif "$T/la.ldif" lookalike-1 "$DEMO" "$ROLE" "pimRequestedDuration: 1h"
refused 50 "other (look-alike) ldapadds an active assignment for demo (door 2)" \
	"only the principal|PIM administrator" add_ldif other "$T/la.ldif"
check "no activation for demo on $RNAME from the look-alike" "" "$(activations "$DEMO" "$ROLE")"
expect_rc 0 "the admin (a user DN) still assigns (control)" \
	noin as admin pimctl assign --eligible other "$RNAME"
expect_rc 0 "the admin removes that eligibility again" noin as admin pimctl unassign --eligible other "$RNAME"
modify manager "$ADMIN" "delete: member" "-" "delete: objectClass" "objectClass: extensibleObject" >/dev/null ||
	fail "cannot clean uid=admin's entry"

# Attack (approvers): the role's approver is a user, uid=approver; a
# member value on that user's entry names demo2, demo's second account,
# which then tries to approve demo's request.
expect_rc 0 "manager adds extensibleObject and member: demo2 to uid=approver's entry" \
	modify manager "$APPROVER" "add: objectClass" "objectClass: extensibleObject" "-" \
	"add: member" "member: $DEMO2"
expect_rc 0 "demo requests the approval role" \
	noin as demo pimctl activate "$APPR_N" --duration 1h --reason "need it"
APPR_ID=$(id_of)
check "demo's request is pending" pending "$(state "$APPR_ID")"
refused 50 "demo2 (a member value on the approver's user entry) approves demo's request" \
	"not an approver" user demo2 pimctl approve "$APPR_ID" --role "$APPR_N" --reason ok
refused 50 "demo2 (look-alike) approves through door 2" "not an approver" \
	modify demo2 "$(act_dn "$APPR_ID")" "add: pimApprovedBy" "pimApprovedBy: $DEMO2"
check "demo's request is still pending" pending "$(state "$APPR_ID")"

# --- 8c. a decision's reason with a newline --------------------------------
# Attack: a reason with a newline forges a line in logs and reports.
nl=$(printf 'looks fine\nforged: line' | base64 -w0)
refused 21 "the approver approves with a newline in pimDecisionReason (door 2)" "control characters" \
	modify approver "$(act_dn "$APPR_ID")" "add: pimApprovedBy" "pimApprovedBy: $APPROVER" "-" \
	"add: pimDecisionReason" "pimDecisionReason:: $nl"
check "the request is still pending after the refused decision" pending "$(state "$APPR_ID")"
expect_rc 0 "the approver's own approval works (control)" \
	user approver pimctl approve "$APPR_ID" --role "$APPR_N" --reason ok
check "demo's request is active" active "$(state "$APPR_ID")"
check_invariant "the approvals"

# --- 2. attribute options ---------------------------------------------------
# Attack: member;lang-en compares TRUE for member but PIM would neither
# grant nor remove it: standing privilege through a side door.
for who in admin manager; do
	refused 53 "$who adds member;lang-en: demo to the role" "attribute options are not allowed" \
		modify "$who" "$ROLE" "add: member;lang-en" "member;lang-en: $DEMO"
	check "ldapcompare member:demo after $who's member;lang-en" FALSE "$(is_member "$ROLE" "$DEMO")"
done
act_ldif "$T/opt.ldif" opt-1 "$DEMO" "$SHORT" "pimRequestedDuration: 1h" \
	"pimJustification: fine" "pimJustification;lang-en: hidden"
refused 53 "demo ldapadds an activation with pimJustification;lang-en" "attribute options are not allowed" add_ldif demo "$T/opt.ldif"
entry_exists "$(act_dn opt-1)" && fail "the activation with an option was written" ||
	pass "no activation with an option written"

# --- 10. a start PIM cannot write --------------------------------------------
# Case: a start at the end of time plus a duration gives an end after
# 99991231235959Z: refused before anything is written.
act_ldif "$T/far.ldif" far-1 "$DEMO" "$SHORT" "pimStartTime: 99991231235959Z" \
	"pimRequestedDuration: 1h" "pimJustification: far future"
refused 19 "door-2 activation starting 99991231235959Z for 1h" "99991231235959Z" add_ldif demo "$T/far.ldif"
entry_exists "$(act_dn far-1)" && fail "the far-future activation was written" ||
	pass "no far-future activation written"
bad=$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" "(pimPrincipal=$DEMO)" pimEndTime |
	sed -n 's/^pimEndTime: //p' | grep -v '^[0-9]\{14\}Z$')
check "no malformed pimEndTime among demo's entries" "" "$bad"

# --- 8b. a ticket longer than 256 bytes -------------------------------------
act_ldif "$T/tk.ldif" ticket-1 "$DEMO" "$SHORT" "pimRequestedDuration: 1h" \
	"pimJustification: long ticket" "pimTicket: $(printf 'T%.0s' $(seq 1 257))"
refused 19 "door-2 activation with a 257-byte ticket" "longer than 256 bytes" add_ldif demo "$T/tk.ldif"

# --- 9 and 11. log escaping; a 3 s activation ---------------------------------
# Attack (9): a justification with a quote and a backslash ends the value
# early in slapd's log.  Case (11): an activation that starts now starts
# in the current second and its end counts from the next: it holds the
# membership at least the 3 s granted (its record, 3 or 4 whole seconds).
REASON='say "hi" \ back'
expect_rc 0 "other activates the short role for 3s (a reason with a quote and a backslash)" \
	noin as other pimctl activate "$SHORT_N" --duration 3s --reason "$REASON"
sleep 2.5
check "2.5 s after the call returned, other is a member" TRUE "$(is_member "$SHORT" "$OTHER")"
SID=$(id_of)
s=$(gt_epoch "$(attr_values "$(act_dn "$SID")" pimStartTime)")
e=$(gt_epoch "$(attr_values "$(act_dn "$SID")" pimEndTime)")
case $((e - s)) in
3|4) pass "pimEndTime - pimStartTime of the 3s activation: $((e - s))" ;;
*) fail "pimEndTime - pimStartTime of the 3s activation: expected 3 or 4, got $((e - s))" ;;
esac
grep -F 'pim: activated' "$T/slapd.log" | grep -qF 'reason="say \22hi\22 \5c back"' &&
	pass "the log shows the reason as say \\22hi\\22 \\5c back" ||
	{ fail "no escaped reason in the log"; grep -F 'pim: activated' "$T/slapd.log" | grep -F 'say' | sed 's/^/#   /'; }
grep 'pim: ' "$T/slapd.log" | grep -qF 'say "hi' &&
	fail "a raw quote inside a logged reason" || pass "no raw quote inside a logged reason"
not_member() { [ "$(is_member "$1" "$2")" = FALSE ]; }
wait_for 5 not_member "$SHORT" "$OTHER" &&
	pass "the 3s activation's membership is gone after its end" || fail "the 3s activation's membership stays"
check_invariant "the 3s activation"

# --- 5. extending an administrator's active assignment ---------------------
# Attack: the holder of an administrator's time-bound assignment extends it
# herself, turning a decision of the administrator into her own.
expect_rc 0 "admin assigns demo $RNAME active for 1h" \
	noin as admin pimctl assign --active demo "$RNAME" --duration 1h --reason x
ASG=$(activations "$DEMO" "$ROLE" active)
end0=$(attr_values "$ASG" pimEndTime)
refused 50 "demo extends the administrator's assignment herself" "pimActiveSelfExtendAllowed" \
	noin as demo pimctl extend "$RNAME" --duration 2h --reason y
check "the assignment's end is unchanged" "$end0" "$(attr_values "$ASG" pimEndTime)"
expect_rc 0 "admin extends demo's assignment (--for demo) to 2h" \
	noin as admin pimctl extend "$RNAME" --for demo --duration 2h --reason y
d=$(( $(gt_epoch "$(attr_values "$ASG" pimEndTime)") - $(date +%s) ))
[ "$d" -ge 7190 ] && [ "$d" -le 7205 ] && pass "the assignment now ends in about 2h ($d s)" ||
	fail "the assignment ends in $d s, expected about 7200"
expect_rc 0 "admin sets pimActiveSelfExtendAllowed: TRUE on the role" \
	modify admin "$ROLE" "replace: pimActiveSelfExtendAllowed" "pimActiveSelfExtendAllowed: TRUE"
expect_rc 0 "with pimActiveSelfExtendAllowed, demo extends it to 3h" \
	noin as demo pimctl extend "$RNAME" --duration 3h --reason y
d=$(( $(gt_epoch "$(attr_values "$ASG" pimEndTime)") - $(date +%s) ))
[ "$d" -ge 10790 ] && [ "$d" -le 10805 ] && pass "the assignment now ends in about 3h ($d s)" ||
	fail "the assignment ends in $d s, expected about 10800"
check_invariant "the assignment's extensions"
modify admin "$ROLE" "delete: pimActiveSelfExtendAllowed" >/dev/null || fail "cannot reset pimActiveSelfExtendAllowed"
expect_rc 0 "admin revokes demo's assignment" noin as admin pimctl unassign --active demo "$RNAME"

# --- 6. scheduled starts against eligibility cuts -------------------------
# Attack: a scheduled activation made while eligible survives the cut (or
# removal) of its eligibility and grants the role at its start anyway.
far=$(gentime $(( $(date +%s) + 30 * 86400 )))
for p in demo other; do
	cat > "$T/elig.ldif" <<LDIF
dn: pimId=sched-$p,$CONTAINER
objectClass: pimEligibility
pimId: sched-$p
pimPrincipal: uid=$p,ou=people,$BASE
pimRoleDN: $SCHED
pimEndTime: $far
LDIF
	expect_rc 0 "admin ldapadds $p's eligibility for $SCHED_N (ends in 30 days)" as admin ldapadd -f "$T/elig.ldif"
done
expect_rc 0 "demo schedules $SCHED_N at +4s" \
	noin as demo pimctl activate "$SCHED_N" --start +4s --duration 1h --reason r
SD=$(id_of)
expect_rc 0 "other schedules $SCHED_N at +4s" \
	noin as other pimctl activate "$SCHED_N" --start +4s --duration 1h --reason r
SO=$(id_of)
start=$(gt_epoch "$(attr_values "$(act_dn "$SD")" pimStartTime)")
check "demo's activation is scheduled" scheduled "$(state "$SD")"
check "other's activation is scheduled" scheduled "$(state "$SO")"
expect_rc 0 "admin cuts demo's eligibility to end in 2s" \
	modify admin "pimId=sched-demo,$CONTAINER" "replace: pimEndTime" "pimEndTime: $(gentime $(( $(date +%s) + 2 )))"
expect_rc 0 "admin deletes other's eligibility" as admin ldapdelete "pimId=sched-other,$CONTAINER"
pim_log "# right after the cut: demo's is $(state "$SD"), other's is $(state "$SO")"
# watch the membership through the start: it must never appear
seen=""
while [ "$(date +%s)" -le $((start + 2)) ]; do
	[ "$(is_member "$SCHED" "$DEMO")" = TRUE ] && seen="$seen demo"
	[ "$(is_member "$SCHED" "$OTHER")" = TRUE ] && seen="$seen other"
	sleep 0.2
done
check "membership seen on $SCHED_N around the start" "" "$seen"
check "demo's scheduled activation after its start (eligibility cut)" revoked "$(state "$SD")"
check "other's scheduled activation after its start (eligibility deleted)" revoked "$(state "$SO")"
check "'activated' records for demo's scheduled activation" 0 "$(audit_count "(pimAuditEvent=activated)(pimAuditId=$SD)")"
check "'activated' records for other's scheduled activation" 0 "$(audit_count "(pimAuditEvent=activated)(pimAuditId=$SO)")"
check_invariant "the eligibility cuts"

# --- 8d. the open-request limit ------------------------------------------------
# Attack: one principal fills the approvers' queue (and the directory) with
# requests.  pim-max-open-requests 3: the 4th is adminLimitExceeded.
PIMCFG=$(pim_cfg_dn)
expect_rc 0 "cn=config: olcPimMaxOpenRequests: 3" \
	modify config "$PIMCFG" "replace: olcPimMaxOpenRequests" "olcPimMaxOpenRequests: 3"
OPEN_IDS=""
for i in 1 2 3; do
	expect_rc 0 "demo's request $i (Open Role $i)" \
		noin as demo pimctl activate "Open Role $i" --duration 1h --reason "request $i"
	OPEN_IDS="$OPEN_IDS $(id_of)"
done
refused 11 "demo's 4th open request" "pim-max-open-requests" \
	noin as demo pimctl activate "Open Role 4" --duration 1h --reason "request 4"
for id in $OPEN_IDS; do as demo pimctl cancel "$id" >/dev/null 2>&1 || fail "cannot cancel $id"; done
expect_rc 0 "after cancelling, the 4th role may be requested (control)" \
	noin as demo pimctl activate "Open Role 4" --duration 1h --reason "request 4"
as demo pimctl cancel "$(id_of)" >/dev/null 2>&1 || fail "cannot cancel the 4th request"

# --- 3 and 4. MFA tokens and one-time codes -------------------------------
as manager ldapadd >/dev/null <<LDIF
dn: $OTP
objectClass: organizationalUnit
ou: otp

dn: cn=w3,$OTP
objectClass: device
objectClass: oathTOTPParams
cn: w3
oathOTPLength: 6
oathHMACAlgorithm: 1.2.840.113549.2.7
oathTOTPTimeStepPeriod: 30
oathTOTPTimeStepWindow: 3

dn: cn=totp-demo,$OTP
objectClass: device
objectClass: oathTOTPToken
cn: totp-demo
oathSecret:: $(secret_b64 demo)
oathTOTPParams: cn=w3,$OTP

dn: cn=fake-demo,ou=people,$BASE
objectClass: device
objectClass: oathTOTPToken
cn: fake-demo
oathSecret:: $(secret_b64 fake)
oathTOTPParams: cn=w3,$OTP

dn: cn=fake-params,ou=people,$BASE
objectClass: device
objectClass: oathTOTPParams
cn: fake-params
oathOTPLength: 6
oathHMACAlgorithm: 1.2.840.113549.2.7
oathTOTPTimeStepPeriod: 30
oathTOTPTimeStepWindow: 3

dn: cn=fake2-demo,$OTP
objectClass: device
objectClass: oathTOTPToken
cn: fake2-demo
oathSecret:: $(secret_b64 fake2)
oathTOTPParams: cn=fake-params,ou=people,$BASE
LDIF
[ $? = 0 ] && pass "tokens: demo's under ou=otp, a fake one under ou=people, one with params under ou=people" ||
	fail "cannot add the tokens"
modify manager "$DEMO" "add: objectClass" "objectClass: oathTOTPUser" "-" \
	"add: oathTOTPToken" "oathTOTPToken: cn=totp-demo,$OTP" >/dev/null || fail "cannot link demo's token"
DEMO_S=$(secret_b32 demo)

# 4. One text for every wrong code: a replayed code and one 5 steps old
# (outside the window of 3) get exactly "wrong one-time code".
fresh_step 4
c0=$(totp "$DEMO_S")
expect_rc 0 "demo activates the MFA role with a correct code" mfa_activate --otp "$c0"
refused 49 "the same code again (replay)" "wrong one-time code" mfa_activate --otp "$c0"
check "the replay's diagnostic" "wrong one-time code" "$(diag)"
printf '%s\n' "$OUT" | grep -qiE 'window|clock|used' && fail "the replay's refusal says why: $OUT" ||
	pass "the replay's refusal names no window, clock or use"
refused 49 "a code 5 steps old" "wrong one-time code" mfa_activate --otp "$(totp "$DEMO_S" -5)"
check "the old code's diagnostic" "wrong one-time code" "$(diag)"
printf '%s\n' "$OUT" | grep -qiE 'window|clock|used' && fail "the old code's refusal says why: $OUT" ||
	pass "the old code's refusal names no window, clock or use"
expect_rc 0 "demo deactivates the MFA role" noin as demo pimctl deactivate "$MFAR_N"

# 3a. Attack: a user administrator (here the manager) creates a token with
# a known secret outside the token base and points demo's entry at it.
modify manager "$DEMO" "replace: oathTOTPToken" "oathTOTPToken: cn=fake-demo,ou=people,$BASE" >/dev/null ||
	fail "cannot re-point demo's token"
refused 53 "demo activates with a correct code of a token under ou=people" "oathTOTPToken.*outside the server.s token base \(pim-mfa-token-base\)" \
	mfa_activate --otp "$(totp "$(secret_b32 fake)")"
modify manager "$DEMO" "replace: oathTOTPToken" "oathTOTPToken: cn=fake2-demo,$OTP" >/dev/null ||
	fail "cannot re-point demo's token"
refused 53 "demo activates with a token whose params are under ou=people" "oathTOTPParams.*outside the server.s token base \(pim-mfa-token-base\)" \
	mfa_activate --otp "$(totp "$(secret_b32 fake2)")"
modify manager "$DEMO" "replace: oathTOTPToken" "oathTOTPToken: cn=totp-demo,$OTP" >/dev/null ||
	fail "cannot restore demo's token"

# 3b. The documented hardening ACL, before the other rules: a member of
# User Administrator (who writes ou=people) cannot re-point oathTOTPToken.
as manager ldapadd >/dev/null <<LDIF
dn: $TOKMGR
objectClass: groupOfNames
cn: Token Managers
member: $ADMIN
LDIF
[ $? = 0 ] || fail "cannot add the Token Managers group"
expect_rc 0 "cn=config: the hardening ACL as rules {0} and {1}" as config ldapmodify <<LDIF
dn: $MDB
changetype: modify
add: olcAccess
olcAccess: {0}to dn.subtree="$OTP" by group.exact="$TOKMGR" write by * none
olcAccess: {1}to dn.subtree="ou=people,$BASE" attrs=oathTOTPToken by group.exact="$TOKMGR" write by users read by * none
LDIF
expect_rc 0 "admin assigns other $RNAME active for 1h" \
	noin as admin pimctl assign --active other "$RNAME" --duration 1h --reason "user admin"
expect_rc 0 "other (a user administrator) changes demo's description (control)" \
	modify other "$DEMO" "replace: description" "description: changed by a user administrator"
refused 50 "other (a user administrator) re-points demo's oathTOTPToken" "Insufficient access" \
	modify other "$DEMO" "replace: oathTOTPToken" "oathTOTPToken: cn=fake-demo,ou=people,$BASE"
expect_rc 0 "admin revokes other's assignment" noin as admin pimctl unassign --active other "$RNAME"

# 3c. Attack: demo may write her own token's secret (a site ACL): a token
# its holder may write is no second factor.
expect_rc 0 "cn=config: demo may write her token's oathSecret (rule {0})" as config ldapmodify <<LDIF
dn: $MDB
changetype: modify
add: olcAccess
olcAccess: {0}to dn.exact="cn=totp-demo,$OTP" attrs=oathSecret by dn.exact="$DEMO" write by * break
LDIF
refused 53 "demo activates with a correct code of a token she may write" "may change your own TOTP token|writable by" \
	mfa_activate --otp "$(totp "$DEMO_S" 1)"
expect_rc 0 "cn=config: the rule is removed" as config ldapmodify <<LDIF
dn: $MDB
changetype: modify
delete: olcAccess
olcAccess: {0}
LDIF
expect_rc 0 "under the hardening ACL alone, demo activates with a correct code (control)" \
	mfa_activate --otp "$(totp "$DEMO_S" 1)"
check_invariant "the MFA activations"

# --- 15. migration of a static member ---------------------------------------
# Case: an existing group becomes a role; a static member is given a
# time-bound assignment and the static value is then deleted: the
# membership continues (now PIM's), and ends with the assignment.
as manager ldapadd >/dev/null <<LDIF
dn: $LEGACY
objectClass: groupOfNames
cn: Legacy Ops
member: $DEMO
member: $OTHER
LDIF
[ $? = 0 ] || fail "cannot add the legacy group"
expect_rc 0 "admin makes the legacy group a PIM role" \
	modify admin "$LEGACY" "add: objectClass" "objectClass: pimRole"
check "demo is a member of the new role (compare)" TRUE "$(is_member "$LEGACY" "$DEMO")"
check "demo's value is static (not in pimManagedMember)" FALSE "$(managed "$LEGACY" "$DEMO")"
expect_rc 0 "admin assigns demo $LEGACY_N active for 1h" \
	noin as admin pimctl assign --active demo "$LEGACY_N" --duration 1h --reason migrate
check "the static value is not PIM's yet" FALSE "$(managed "$LEGACY" "$DEMO")"
expect_rc 0 "admin deletes demo's static member value" \
	modify admin "$LEGACY" "delete: member" "member: $DEMO"
check "demo is still a member (compare)" TRUE "$(is_member "$LEGACY" "$DEMO")"
check "the value is now in pimManagedMember" TRUE "$(managed "$LEGACY" "$DEMO")"
check_invariant "the migration"
expect_rc 0 "admin revokes demo's assignment" noin as admin pimctl unassign --active demo "$LEGACY_N"
check "after the revocation demo is no member" FALSE "$(is_member "$LEGACY" "$DEMO")"
check "after the revocation the value is not managed" FALSE "$(managed "$LEGACY" "$DEMO")"
check "other's static value stays" TRUE "$(is_member "$LEGACY" "$OTHER")"
refused 16 "admin deletes a member value that is not there" "no such value" \
	modify admin "$LEGACY" "delete: member" "member: $DEMO"

# --- 14. audit verify without read access -------------------------------------
# Case: an identity that may read no record must not be told "intact".
expect_rc 67 "pimctl audit verify as other" as other pimctl audit verify
expect_out "no audit record|nothing was verified" "audit verify as other: a message"
expect_rc 0 "pimctl audit verify as admin" as admin pimctl audit verify

# --- 7. privacy under a permissive site ACL ------------------------------------
# Attack: a site whose first rule is "access to * by * read" (Debian's
# default) publishes justifications, tickets and the audit trail.
awk '/^access to/ && !done { print "access to * by * read"; done = 1 } { print }' \
	"$T/slapd.conf" > "$T/slapd.conf.new" && mv "$T/slapd.conf.new" "$T/slapd.conf"
pim_reconfigure "syncprov.la" "" "overlay syncprov" || { fail "cannot reconfigure"; pim_done; exit; }
DACT=$(activations "$DEMO" "$APPR" active | head -1)
[ -n "$DACT" ] && pass "demo's active activation: $DACT" || fail "demo has no active activation"
count_dns() { grep -c '^dn:'; }
anon_n=$(as anon ldapsearch -LLL -b "$CONTAINER" 1.1 2>/dev/null | count_dns)
check "anonymous entries under $CONTAINER" 0 "$anon_n"
anon_n=$(as anon ldapsearch -LLL -b "$BASE" "(|(objectClass=pimActivation)(objectClass=pimEligibility)(objectClass=pimAuditRecord))" 1.1 2>/dev/null | count_dns)
check "anonymous PIM entries from the suffix" 0 "$anon_n"
expect_rc 32 "anonymous base read of demo's activation" as anon ldapsearch -LLL -b "$DACT" -s base
expect_rc 32 "anonymous compare pimState:active on demo's activation" as anon ldapcompare "$DACT" "pimState:active"
pim_of() {	# WHO: "DN<TAB>principal" of the activations and eligibility WHO sees
	local who=$1 f="(|(objectClass=pimActivation)(objectClass=pimEligibility))"
	{ if [ "$who" = auditor ]; then
		user auditor ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" "$f" pimPrincipal
	  else
		as "$who" ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" "$f" pimPrincipal
	  fi; } 2>/dev/null |
		awk -v RS= '{ d = ""; p = ""; n = split( $0, l, "\n" )
			for ( i = 1; i <= n; i++ ) {
				if ( l[i] ~ /^dn: / ) d = substr( l[i], 5 )
				if ( tolower( l[i] ) ~ /^pimprincipal: / ) p = tolower( substr( l[i], 15 ) )
			}
			if ( d != "" ) print d "\t" p }' | sort
}
ALL=$(pim_of manager)
check "other sees none of demo's entries" 0 "$(pim_of other | grep -c "	$(lc "$DEMO")$")"
check "other sees only his own entries" "" "$(pim_of other | grep -v "	$(lc "$OTHER")$")"
n=$(pim_of demo | grep -c .)
[ "$n" -gt 0 ] && pass "demo sees her own entries ($n)" || fail "demo sees none of her entries"
check "demo sees only her own entries" "" "$(pim_of demo | grep -v "	$(lc "$DEMO")$")"
[ "$(printf '%s\n' "$ALL" | grep -c "	$(lc "$OTHER")$")" -gt 0 ] && pass "other has entries demo could have seen (sanity)" ||
	fail "other has no PIM entries: the check above proves nothing"
check "demo's audit records" 0 "$(as demo ldapsearch -LLL -b "$AUDIT" -s one 1.1 2>/dev/null | count_dns)"
[ "$(pim_of admin)" = "$ALL" ] && pass "the admin sees every activation and eligibility" ||
	fail "the admin sees $(pim_of admin | grep -c .) of $(printf '%s\n' "$ALL" | grep -c .) entries"
[ "$(pim_of auditor)" = "$ALL" ] && pass "the auditor sees every activation and eligibility" ||
	fail "the auditor sees $(pim_of auditor | grep -c .) of $(printf '%s\n' "$ALL" | grep -c .) entries"
n=$(as admin ldapsearch -LLL -b "$AUDIT" -s one 1.1 2>/dev/null | count_dns)
[ "$n" -gt 0 ] && pass "the admin reads the audit trail ($n records)" || fail "the admin reads no audit record"
n=$(user auditor ldapsearch -LLL -b "$AUDIT" -s one 1.1 2>/dev/null | count_dns)
[ "$n" -gt 0 ] && pass "the auditor reads the audit trail ($n records)" || fail "the auditor reads no audit record"
# Attack: a content synchronization by a plain user (whose persistent
# phase no filter could follow).
expect_rc 50 "demo's sync search (refreshOnly) of the suffix" \
	timeout 30 ldapsearch -x -H "$URI" -D "$DEMO" -w "$DEMO_PW" -LLL -E sync=ro -b "$BASE" 1.1
expect_rc 0 "the admin's sync search (control: syncprov answers)" \
	timeout 30 ldapsearch -x -H "$URI" -D "$ADMIN" -w "$ADMIN_PW" -LLL -E sync=ro -b "$BASE" 1.1
check_invariant "the restart"
# The opt-out: pim-read-access acl leaves reads to the site's ACL alone.
PIMCFG=$(pim_cfg_dn)
expect_rc 0 "cn=config: olcPimReadAccess: acl" \
	modify config "$PIMCFG" "replace: olcPimReadAccess" "olcPimReadAccess: acl"
n=$(as anon ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimActivation)" 1.1 2>/dev/null | count_dns)
[ "$n" -gt 0 ] && pass "with pim-read-access acl anonymous sees the activations ($n)" ||
	fail "with pim-read-access acl anonymous still sees no activation"
expect_rc 0 "with pim-read-access acl anonymous reads demo's activation" as anon ldapsearch -LLL -b "$DACT" -s base

# --- 13. a missing container is named at startup --------------------------
# Case: pim-container names an entry that does not exist: every PIM action
# would fail, so the start says so whatever the log level.
mark=$(wc -l < "$T/slapd.log")
sed -i 's|^pim-container.*|pim-container "cn=nopim,dc=example,dc=com"|' "$T/slapd.conf"
pim_reconfigure "" "" "" || fail "slapd does not start with a missing container entry"
logged() { tail -n +"$((mark + 1))" "$T/slapd.log" | grep -q "pim: WARNING: the PIM container entry"; }
wait_for 5 logged && pass "the log warns: $(tail -n +"$((mark + 1))" "$T/slapd.log" | grep -o 'pim: WARNING: the PIM container entry.*' | head -1)" ||
	fail "no 'pim: WARNING: the PIM container entry' within 5 s"

pim_done
