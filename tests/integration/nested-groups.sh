#!/bin/bash
# Nested groups: a group named as PIM administrator or as a role's
# approver counts the members of the groups that are its members, to
# pim-group-depth levels (3 by default), through real group entries
# only, and a cycle of groups ends the walk instead of looping.
. "$(dirname "$0")/lib.sh"
GROUPS_OU="ou=groups,$BASE"
ADMINS="cn=PIM Admins,$GROUPS_OU"
pim_setup nested-groups "pim-admin \"$ADMINS\""

group() {	# CN CLASS ATTR MEMBER...: a group of CLASS holding MEMBERs in ATTR
	local cn=$1 class=$2 attr=$3 m
	shift 3
	{
		printf 'dn: cn=%s,%s\nobjectClass: %s\ncn: %s\n' "$cn" "$GROUPS_OU" "$class" "$cn"
		for m in "$@"; do printf '%s: %s\n' "$attr" "$m"; done
	} | as manager ldapadd >/dev/null
}
g() { printf 'cn=%s,%s' "$1" "$GROUPS_OU"; }
for x in carol dave erin frank mallory; do add_user "$x"; done

# PIM Admins <- Ops (groupOfUniqueNames) <- Oncall <- carol: carol is an
# administrator at depth 3; dave, in Deep, one level further, is not.
group Oncall groupOfNames member "$(u carol)" "$(g Deep)"
group Deep groupOfNames member "$(u dave)"
group Ops groupOfUniqueNames uniqueMember "$(g Oncall)"
group "PIM Admins" groupOfNames member "$(g Ops)"
# A cycle around erin's groups: Loop1 <-> Loop2, neither in PIM Admins.
group Loop1 groupOfNames member "$(u erin)" "$(g Loop2)"
group Loop2 groupOfNames member "$(g Loop1)"
# A look-alike: an extensibleObject with a member value is no group,
# even when a real group names it.
as manager ldapadd >/dev/null <<LDIF
dn: cn=Lookalike,$GROUPS_OU
objectClass: device
objectClass: extensibleObject
cn: Lookalike
member: $(u mallory)
LDIF
as manager ldapmodify >/dev/null <<LDIF
dn: $(g Oncall)
changetype: modify
add: member
member: cn=Lookalike,$GROUPS_OU
LDIF

expect_rc 0 "carol (Oncall in Ops in PIM Admins) assigns demo eligible" \
	user carol pimctl -b "$BASE" assign --eligible demo "User Administrator"
refused 50 "dave (one level deeper than pim-group-depth 3) assigns other" \
	"only PIM administrators" user dave pimctl -b "$BASE" assign --eligible other "User Administrator"
refused 50 "erin, in a cycle of groups outside PIM Admins, assigns other" \
	"only PIM administrators" user erin pimctl -b "$BASE" assign --eligible other "User Administrator"
refused 50 "mallory, in a look-alike named by Oncall, assigns other" \
	"only PIM administrators" user mallory pimctl -b "$BASE" assign --eligible other "User Administrator"

# The depth is configuration: 4 lets dave in, 1 keeps even carol out.
cfg_depth() {
	as config ldapmodify >/dev/null 2>&1 <<LDIF
dn: $PIM_OVERLAY_DN
changetype: modify
replace: olcPimGroupDepth
olcPimGroupDepth: $1
LDIF
}
PIM_OVERLAY_DN=$(as config ldapsearch -LLL -b cn=config "(objectClass=olcPimConfig)" 1.1 |
	sed -n 's/^dn: //p' | head -1)
expect_rc 0 "cn=config: olcPimGroupDepth 4" cfg_depth 4
expect_rc 0 "dave (depth 4) assigns other eligible" \
	user dave pimctl -b "$BASE" assign --eligible other "User Administrator"
expect_rc 0 "cn=config: olcPimGroupDepth 1" cfg_depth 1
refused 50 "carol (depth 3) with pim-group-depth 1" "only PIM administrators" \
	user carol pimctl -b "$BASE" unassign --eligible other "User Administrator"
expect_rc 80 "cn=config refuses olcPimGroupDepth 0" cfg_depth 0
expect_rc 80 "cn=config refuses olcPimGroupDepth 9" cfg_depth 9
expect_rc 0 "back to 3" cfg_depth 3

# Approvers: the role's pimApprover names Approvers, whose member is
# Team (groupOfUniqueNames), whose member is frank.
group Team groupOfUniqueNames uniqueMember "$(u frank)"
group Approvers groupOfNames member "$(g Team)"
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimApprovalRequired
pimApprovalRequired: TRUE
-
replace: pimApprover
pimApprover: $(g Approvers)
LDIF
[ $? = 0 ] && pass "the role requires the approval of Approvers" || fail "cannot set the role's approvers"
expect_rc 0 "demo requests the role" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "nested approvers"
ID=$(as manager ldapsearch -LLL -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimState=pending)(pimPrincipal=$DEMO))" pimId |
	sed -n 's/^pimId: //p' | head -1)
[ -n "$ID" ] && pass "a pending request ($ID)" || fail "no pending request"
# Reads under the container check the reader (administrator? approver of
# this request's role?) while the backend returns each entry: the walk
# up the groups runs inside the search (slapd aborted there once).
expect_rc 0 "demo lists her roles" as demo pimctl roles
expect_out "User Administrator" "demo's listing names the role"
expect_rc 0 "frank (nested approver) lists the requests he may approve" \
	user frank pimctl -b "$BASE" requests
expect_rc 0 "carol (nested administrator) searches the container" \
	user carol ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimActivation)" pimId
refused 50 "erin (no approver) approves it" "not an approver" \
	user erin pimctl -b "$BASE" approve "$ID" --role "$ROLE" --reason ok
expect_rc 0 "frank (Team in Approvers) approves it" \
	user frank pimctl -b "$BASE" approve "$ID" --role "$ROLE" --reason ok
check "demo is a member after frank's approval" TRUE "$(is_member "$ROLE" "$DEMO")"

pim_done
