#!/bin/bash
# Requests for eligibility changes: a user whose own eligibility ends
# within pim-eligibility-extend-window may ask for it to be extended,
# one whose eligibility ended within pim-eligibility-renew-window for it
# to be renewed ("pimctl extend ROLE --eligible"); the role's approvers
# (PIM administrators when it names none) decide through the approval
# machinery; a grant moves the eligibility's end and activates nothing.
. "$(dirname "$0")/lib.sh"
pim_setup eligibility-requests
ROLE="cn=Ops Console,ou=roles,$BASE"
OVL="olcOverlay={0}pim,olcDatabase={1}mdb,cn=config"
now=$(date +%s)
add_user carol; add_user dave
as manager ldapadd >/dev/null <<LDIF
dn: $ROLE
objectClass: groupOfNames
objectClass: pimRole
cn: Ops Console
member: $CONTAINER
pimEligibleMaxDuration: 90d
LDIF
elig() {	# USER START END: an eligibility, as the manager
	as manager ldapadd >/dev/null <<LDIF
dn: pimId=elig-$1,$CONTAINER
objectClass: pimEligibility
pimId: elig-$1
pimPrincipal: $(u "$1")
pimRoleDN: $ROLE
pimStartTime: $(gentime "$2")
pimEndTime: $(gentime "$3")
LDIF
}
end_of() { attr_values "pimId=elig-$1,$CONTAINER" pimEndTime; }
req_of() {	# USER: the DN of USER's request about their eligibility
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=$(u "$1"))(pimRequestFor=eligibility))" 1.1 |
		sed -n 's/^dn: //p'
}
# demo's ends in 10 days (within the window), carol's in 40 (not yet),
# dave's ended 5 days ago (renewable); other has none
elig demo $((now - 86400)) $((now + 10 * 86400))
elig carol $((now - 86400)) $((now + 40 * 86400))
as manager ldapadd >/dev/null <<LDIF
dn: pimId=elig-dave,$CONTAINER
objectClass: pimEligibility
pimId: elig-dave
pimPrincipal: $(u dave)
pimRoleDN: $ROLE
pimStartTime: $(gentime $((now - 40 * 86400)))
pimEndTime: $(gentime $((now + 3)))
LDIF
sleep 4	# dave's eligibility has ended
DEMO_END=$(end_of demo)

# --- asking -------------------------------------------------------------------
refused 53 "carol, 40 days from her end, asks too early" "ask nearer its end" \
	user carol pimctl extend "Ops Console" --eligible --duration 30d --reason "rota"
refused 32 "other, with no eligibility, has nothing to extend" "no eligibility of your own" \
	as other pimctl extend "Ops Console" --eligible --duration 30d --reason "rota"
refused 19 "a request needs a justification" "needs a justification" \
	as demo pimctl extend "Ops Console" --eligible --duration 30d
refused 19 "the role's rules hold: 200 days is beyond pimEligibleMaxDuration" "" \
	as demo pimctl extend "Ops Console" --eligible --duration 200d --reason "rota"
expect_rc 0 "demo asks for her eligibility to be extended by 30 days" \
	as demo pimctl extend "Ops Console" --eligible --duration 30d --reason "on call next month"
expect_out "pending" "the request is pending"
check "it is a request about the eligibility" "pending|eligibility|pimId=elig-demo,$CONTAINER" \
	"$(attr_values "$(req_of demo)" pimState)|$(attr_values "$(req_of demo)" pimRequestFor)|$(attr_values "$(req_of demo)" pimEligibilityRef)"
check "nothing is granted yet: the end is as it was" "$DEMO_END" "$(end_of demo)"
check "and demo holds no membership" FALSE "$(is_member "$ROLE" "$(u demo)")"
refused 68 "a second request about it while one is pending" "pending already" \
	as demo pimctl extend "Ops Console" --eligible --duration 20d --reason "again"
expect_rc 0 "approvers see it in pimctl requests" as admin pimctl requests
expect_out "Ops Console .* eligibility$" "requests: the eligibility request is listed, FOR eligibility"
REQ=$(req_of demo); REQ_ID=${REQ%%,*}; REQ_ID=${REQ_ID#pimId=}
refused 50 "demo may not approve her own request" "" \
	as demo pimctl approve "$REQ_ID" --reason "me"
refused 50 "other, no approver, may not approve it" "not an approver" \
	as other pimctl approve "$REQ_ID" --role "Ops Console" --reason "me"

# --- granting -------------------------------------------------------------------
expect_rc 0 "a PIM administrator approves" as admin pimctl approve "$REQ_ID" --reason "ok"
check "the request is granted" granted "$(attr_values "$REQ" pimState)"
check "the eligibility now ends 30 days after its old end" \
	"$(gentime $(( $(gt_epoch "$DEMO_END") + 30 * 86400 )))" "$(end_of demo)"
check "no activation came of it" FALSE "$(is_member "$ROLE" "$(u demo)")"
check "the audit trail has the extension" 1 "$(as admin pimctl audit --json | python3 -c "import json, sys
print(sum(1 for r in json.load(sys.stdin) if r.get('event') == 'eligibility extended'))")"
expect_rc 0 "demo activates under the longer eligibility" \
	as demo pimctl activate "Ops Console" --duration 1h --reason "work"

# --- renewing, denying, the windows ----------------------------------------------
expect_rc 0 "dave, whose eligibility ended 4 s ago, asks for a renewal" \
	user dave pimctl extend "Ops Console" --eligible --duration 30d --reason "back from leave"
DREQ=$(req_of dave); DREQ_ID=${DREQ%%,*}; DREQ_ID=${DREQ_ID#pimId=}
expect_rc 0 "admin denies it" as admin pimctl deny "$DREQ_ID" --reason "not now"
check "denied, and the eligibility stays ended" "denied|$(gentime $((now + 3)))" \
	"$(attr_values "$DREQ" pimState)|$(end_of dave)"
refused 50 "dave still may not activate" "" \
	user dave pimctl activate "Ops Console" --duration 1h --reason "work"
expect_rc 0 "cn=config: a renewal window of 1s" \
	as config ldapmodify <<LDIF
dn: $OVL
changetype: modify
replace: olcPimEligibilityRenewWindow
olcPimEligibilityRenewWindow: 1s
LDIF
# the window is a second: make sure more than one has passed since the end
while [ "$(date +%s)" -le $((now + 3 + 2)) ]; do sleep 0.2; done
refused 53 "dave's eligibility ended longer ago than the window" "ask an administrator" \
	user dave pimctl extend "Ops Console" --eligible --duration 30d --reason "again"
refused 64 "--eligible with --for is a usage error" "" \
	as admin pimctl extend "Ops Console" --eligible --for demo --duration 1d --reason x
pim_done
