#!/bin/bash
# Every listing of pimctl (pimctl(1)) as a table, as --json and as
# --csv: the JSON is parsed by a JSON parser and the CSV by a CSV
# parser, with the keys and values each command documents; "pimctl
# assignments" lists exactly the rows each filter selects; --json and
# --csv together are a usage error; "pimctl help COMMAND" is "pimctl
# COMMAND --help".
. "$(dirname "$0")/lib.sh"
pim_setup listings

# jsoncheck WHAT PYTHON CMD...: CMD --json's standard output parsed as JSON
# into d, then the Python assertions (a failed one fails the check)
jsoncheck() {
	local what=$1 py=$2 out
	shift 2
	out=$("$@" --json 2>"$T/stderr")
	if printf '%s' "$out" | python3 -c "import json, sys
d = json.load(sys.stdin)
$py" 2>"$T/py.err"; then
		pass "$what"
	else
		fail "$what"
		sed 's/^/#   /' "$T/py.err" "$T/stderr"
		printf '%s\n' "$out" | head -40 | sed 's/^/#   /'
	fi
}
# csvcheck WHAT PYTHON CMD...: CMD --csv's output parsed as CSV into rows (dicts)
# and head (the header line's fields)
csvcheck() {
	local what=$1 py=$2 out
	shift 2
	out=$("$@" --csv 2>"$T/stderr")
	if printf '%s' "$out" | python3 -c "import csv, io, sys
text = sys.stdin.read()
head = next(csv.reader(io.StringIO(text)))
rows = list(csv.DictReader(io.StringIO(text)))
$py" 2>"$T/py.err"; then
		pass "$what"
	else
		fail "$what"
		sed 's/^/#   /' "$T/py.err" "$T/stderr"
		printf '%s\n' "$out" | head -40 | sed 's/^/#   /'
	fi
}

# --- the assignments ---------------------------------------------------
# demo: eligible (current), activated under it; other: an active
# assignment, and an eligibility that ended; demo's deactivated
# activation of a second role.
add_user carol
ROLE2="cn=Backup Operators,ou=roles,$BASE"
as manager ldapadd >/dev/null <<LDIF
dn: $ROLE2
objectClass: groupOfNames
objectClass: pimRole
cn: Backup Operators
member: $CONTAINER
LDIF
[ $? = 0 ] && pass "a second role" || fail "cannot add the second role"
NOW=$(date +%s)
expect_rc 0 "demo made eligible for User Administrator" \
	as admin pimctl assign --eligible demo "User Administrator" --duration 8h --reason "helpdesk, rota"
expect_rc 0 "demo made eligible for Backup Operators" \
	as admin pimctl assign --eligible demo "Backup Operators" --duration 8h
expect_rc 0 "other assigned active" \
	as admin pimctl assign --active other "User Administrator" --duration 2h --reason 'on "call"'
expect_rc 0 "carol eligible for 2s" \
	as admin pimctl assign --eligible carol "Backup Operators" --duration 2s
expect_rc 0 "demo activates User Administrator" \
	as demo pimctl activate "User Administrator" --duration 1h --reason "change 42"
expect_rc 0 "demo activates Backup Operators" \
	as demo pimctl activate "Backup Operators" --duration 1h --reason "backup"
expect_rc 0 "demo deactivates Backup Operators" \
	as demo pimctl deactivate "Backup Operators"
sleep 3	# carol's eligibility ends

A="as admin pimctl assignments"
# rows as "role|principal|kind|state", sorted, from --json
rows_of() {
	"$@" --json 2>/dev/null | python3 -c 'import json, sys
for r in sorted(json.load(sys.stdin), key=lambda r: (r["role"], r["principal"], r["kind"], r["state"])):
	print("%s|%s|%s|%s" % (r["role"], r["principal"], r["kind"], r["state"]))' | tr '\n' ' '
}
UA="User Administrator"; BO="Backup Operators"
check "default: current eligibilities and live assignments" \
	"$BO|demo|eligible|current $UA|demo|activation|active $UA|demo|eligible|current $UA|other|active assignment|active " \
	"$(rows_of $A)"
check "--eligible" "$BO|demo|eligible|current $UA|demo|eligible|current " "$(rows_of $A --eligible)"
check "--active" "$UA|demo|activation|active $UA|other|active assignment|active " "$(rows_of $A --active)"
check "--expired" "$BO|carol|eligible|expired $BO|demo|activation|deactivated " "$(rows_of $A --expired)"
check "--all" "$BO|carol|eligible|expired $BO|demo|activation|deactivated $BO|demo|eligible|current $UA|demo|activation|active $UA|demo|eligible|current $UA|other|active assignment|active " \
	"$(rows_of $A --all)"
check "--principal other" "$UA|other|active assignment|active " "$(rows_of $A --principal other)"
check "ROLE argument" "$BO|demo|eligible|current " "$(rows_of $A "$BO")"
check "two ROLE arguments and --all --principal demo" \
	"$BO|demo|activation|deactivated $BO|demo|eligible|current $UA|demo|activation|active $UA|demo|eligible|current " \
	"$(rows_of $A "$BO" "$UA" --all --principal demo)"
expect_rc 64 "--eligible and --active exclude each other" $A --eligible --active
expect_rc 65 "an unknown role is a name error" $A "No Such Role"

expect_rc 0 "assignments as a table" $A
expect_out "^Assignments:" "the table has its title"
expect_out "ROLE +PRINCIPAL +KIND +STATE +START +END +ASSIGNED BY +REASON +ID" "the table's columns"
expect_out "User Administrator +other +active assignment +active .* admin +on \"call\"" "the assignment names its role, principal, assigner and reason"
expect_out "User Administrator +demo +eligible +current .* permanent|User Administrator +demo +eligible +current " "demo's eligibility is listed"

jsoncheck "assignments --json: keys and values" '
keys = ["role", "role_dn", "principal", "principal_dn", "kind", "state", "start", "start_epoch", "end", "end_epoch", "assigned_by", "assigned_by_dn", "reason", "id", "through", "through_dn"]
assert isinstance(d, list) and len(d) == 4, d
for r in d:
	assert list(r) == keys, list(r)
a = [r for r in d if r["kind"] == "active assignment"][0]
assert a["principal"] == "other" and a["principal_dn"].lower() == "uid=other,ou=people,dc=example,dc=com"
assert a["assigned_by"] == "admin" and a["reason"] == "on \"call\""
assert a["role_dn"].lower() == "cn=user administrator,ou=roles,dc=example,dc=com"
import re, calendar, time
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["end"]), a["end"]
assert calendar.timegm(time.strptime(a["end"], "%Y-%m-%dT%H:%M:%SZ")) == a["end_epoch"]
assert isinstance(a["end_epoch"], int) and 6000 < a["end_epoch"] - '"$NOW"' < 7400
act = [r for r in d if r["kind"] == "activation"][0]
assert act["assigned_by"] is None and act["assigned_by_dn"] is None, act
assert act["reason"] == "change 42" and act["id"]
' $A
csvcheck "assignments --csv: the header and the rows" '
assert head[:6] == ["role", "role_dn", "principal", "principal_dn", "kind", "state"], head
assert len(rows) == 4
a = [r for r in rows if r["kind"] == "active assignment"][0]
assert a["reason"] == "on \"call\"" and a["assigned_by"] == "admin"
e = [r for r in rows if r["kind"] == "eligible" and r["role"] == "User Administrator"][0]
assert e["reason"] == "helpdesk, rota", e
assert e["start_epoch"].isdigit()
' $A

# --- roles ---------------------------------------------------------------
expect_rc 0 "roles as a table" as demo pimctl roles
expect_out "^Eligible roles:" "roles: the eligible section"
expect_out "^  Backup Operators +[0-9-]+ [0-9:]+Z +[0-9-]+ " "roles: the eligible role with its times"
expect_out "^  User Administrator +active " "roles: the active role"
jsoncheck "roles --json: demo's eligibilities and activation, kind says which" '
kinds = sorted((r["role"], r["kind"], r["state"]) for r in d)
assert kinds == [("Backup Operators", "eligible", "current"), ("User Administrator", "activation", "active"), ("User Administrator", "eligible", "current")], kinds
assert all(r["principal"] == "demo" for r in d)
' as demo pimctl roles
jsoncheck "roles --all --json adds the deactivated activation" '
assert ("Backup Operators", "deactivated") in [(r["role"], r["state"]) for r in d], d
' as demo pimctl roles --all
csvcheck "roles --csv" '
assert head[0] == "role" and len(rows) == 3
assert {r["kind"] for r in rows} == {"eligible", "activation"}
' as demo pimctl roles

# --- requests --------------------------------------------------------------
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE2
changetype: modify
replace: pimApprovalRequired
pimApprovalRequired: TRUE
LDIF
expect_rc 0 "demo asks for Backup Operators" \
	as demo pimctl activate "Backup Operators" --duration 30m --reason "needs, approval"
expect_rc 0 "requests as a table" as admin pimctl requests
expect_out "Backup Operators +demo +pending +30m" "the pending request is listed"
jsoncheck "requests --json" '
assert len(d) == 1
r = d[0]
assert list(r) == ["id", "role", "role_dn", "principal", "principal_dn", "state", "requested", "start", "start_epoch", "end", "end_epoch", "reason", "approvals", "created", "created_epoch", "for"], list(r)
assert r["for"] == "activation"
assert r["role"] == "Backup Operators" and r["state"] == "pending" and r["requested"] == "30m"
assert r["approvals"] == 0 and r["reason"] == "needs, approval" and r["start"] is None
assert isinstance(r["created_epoch"], int)
' as admin pimctl requests
csvcheck "requests --csv" '
assert len(rows) == 1 and rows[0]["reason"] == "needs, approval" and rows[0]["approvals"] == "0"
' as admin pimctl requests
jsoncheck "requests --mine --json" '
assert [r["state"] for r in d if r["role"] == "Backup Operators"] == ["pending"], d
' as demo pimctl requests --mine

# --- policy show -------------------------------------------------------------
as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE2
changetype: modify
replace: pimApprover
pimApprover: $ADMIN
pimApprover: $OTHER
-
replace: pimMaxDuration
pimMaxDuration: 4h
LDIF
expect_rc 0 "policy show as a table" as admin pimctl policy show "Backup Operators"
expect_out "^  max +pimMaxDuration +4h" "policy: a set value"
expect_out "^  min +pimMinDuration +\(default\)" "policy: a default"
expect_out "^ +uid=other,ou=people" "policy: the second approver on its own line"
jsoncheck "policy show --json" '
s = {r["setting"]: r for r in d}
assert list(d[0]) == ["setting", "attribute", "values"]
assert s["max"]["values"] == ["4h"] and s["max"]["attribute"] == "pimMaxDuration"
assert s["min"]["values"] is None
assert [v.lower() for v in s["approvers"]["values"]] == ["uid=admin,ou=people,dc=example,dc=com", "uid=other,ou=people,dc=example,dc=com"]
' as admin pimctl policy show "Backup Operators"
expect_rc 0 "policy set: the role's notification settings" \
	as admin pimctl policy set "Backup Operators" "notify-events=requested, approved" \
	"notify-recipients=ops@example.com;sec@example.com" notify-critical-only=true
jsoncheck "policy show --json: the notification settings" '
s = {r["setting"]: r for r in d}
assert s["notify-events"]["values"] == ["requested", "approved"], s["notify-events"]
assert s["notify-recipients"]["values"] == ["ops@example.com", "sec@example.com"]
assert s["notify-critical-only"]["values"] == ["TRUE"] and s["notify-critical-only"]["attribute"] == "pimNotifyCriticalOnly"
' as admin pimctl policy show "Backup Operators"
refused 50 "an ordinary user may not set them" "" \
	as demo pimctl policy set "Backup Operators" notify-recipients=me@example.com
expect_rc 64 "an unknown setting names every setting" as admin pimctl policy set "Backup Operators" nosuch=1
expect_out "notify-critical-only" "the usage lists the settings"
csvcheck "policy show --csv" '
s = {r["setting"]: r for r in rows}
assert s["max"]["values"] == "4h" and s["min"]["values"] == ""
assert len(s["approvers"]["values"].split("\n")) == 2
' as admin pimctl policy show "Backup Operators"

# --- audit -----------------------------------------------------------------
expect_rc 0 "audit as a table" as admin pimctl audit --event activated
expect_out "SEQ +TIME +EVENT +ACTOR +PRINCIPAL +ROLE +ID +DETAILS" "audit: the table's columns"
expect_out "activated +demo +demo +User Administrator" "audit: demo's activation"
jsoncheck "audit --json keeps its documented keys, numbers and raw values" '
assert len(d) >= 2
r = [r for r in d if r["reason"] == "change 42"][0]
for k in ["dn", "seq", "time", "event", "actor", "principal", "role", "id", "start", "end", "reason", "ticket", "result", "text", "anchorSeq", "prevHash", "hash"]:
	assert k in r, k
assert isinstance(r["seq"], int) and isinstance(r["connection"], int) and r["event"] == "activated"
import re
assert r["ticket"] is None and re.fullmatch(r"\d{14}(\.\d+)?Z", r["time"]), r["time"]
assert r["principal"].lower() == "uid=demo,ou=people,dc=example,dc=com"
' as admin pimctl audit --event activated
csvcheck "audit --csv has the keys of --json" '
assert head[:4] == ["dn", "seq", "time", "event"] and head[-1] == "hash", head
assert all(r["event"] == "activated" for r in rows) and len(rows) >= 2
' as admin pimctl audit --event activated
expect_rc 64 "audit --ldif --csv is a usage error" as admin pimctl audit --ldif --csv

# --- alerts ------------------------------------------------------------------
expect_rc 0 "alerts as a table" as admin pimctl alerts
expect_out "ID +WHEN +ALERT +PRINCIPAL +ROLE +DETAILS" "alerts: the table's columns"
expect_out "no-mfa:[0-9a-f]+ +- +no-mfa +- +Backup Operators" "alerts: a scan finding"
jsoncheck "alerts --json" '
m = [r for r in d if r["alert"] == "no-mfa" and r["role"] == "Backup Operators"]
assert len(m) == 1, d
r = m[0]
assert list(r) == ["id", "when", "when_epoch", "alert", "principal", "principal_dn", "role", "role_dn", "details", "dismissed"], list(r)
assert r["dismissed"] is False and r["when"] is None and r["id"].startswith("no-mfa:")
assert r["details"].startswith("activation does not require")
' as admin pimctl alerts
csvcheck "alerts --csv" '
assert "dismissed" in head and any(r["alert"] == "no-approval" for r in rows)
' as admin pimctl alerts

# --- review listings ----------------------------------------------------------
expect_rc 0 "a review is defined" as admin pimctl review create "quarterly check" --role "User Administrator"
expect_rc 0 "reviews as a table" as admin pimctl reviews
expect_out "^Access reviews:" "reviews: the definitions"
expect_out "quarterly check +once" "reviews: the definition's recurrence"
wait_for 10 sh -c "'$PIMCTL' -b '$BASE' -x -H '$URI' -D '$ADMIN' -w '$ADMIN_PW' reviews --json | grep -q '\"instance\"'"
jsoncheck "reviews --json: definitions and instances, type says which" '
defs = [r for r in d if r["type"] == "definition"]
inst = [r for r in d if r["type"] == "instance"]
assert len(defs) == 1 and defs[0]["name"] == "quarterly check" and defs[0]["recurrence"] == "once"
assert len(inst) == 1 and inst[0]["state"] == "open" and isinstance(inst[0]["items"], int) and inst[0]["items"] >= 1
assert list(defs[0]) == ["id", "type", "name", "recurrence", "next_open", "next_open_epoch", "state", "opened", "opened_epoch", "closes", "closes_epoch", "items", "undecided"]
' as admin pimctl reviews
INST=$(as admin pimctl reviews --json | python3 -c 'import json, sys; print([r["id"] for r in json.load(sys.stdin) if r["type"] == "instance"][0])')
csvcheck "reviews --csv" '
assert {r["type"] for r in rows} == {"definition", "instance"}
' as admin pimctl reviews
expect_rc 0 "review show as a table" as admin pimctl review show "$INST"
expect_out "ITEM +PRINCIPAL +ROLE +KIND +RECOMMENDATION +DECISION +BY +OUTCOME" "review show: the columns"
jsoncheck "review show --json" '
assert len(d) >= 2 and {r["principal"] for r in d} >= {"demo", "other"}, d
assert all(r["role"] == "User Administrator" and r["decision"] is None for r in d)
assert list(d[0]) == ["id", "principal", "principal_dn", "role", "role_dn", "kind", "recommendation", "recommendation_reason", "decision", "decided_by", "decided_by_dn", "outcome"]
' as admin pimctl review show "$INST"
csvcheck "review items --csv" '
assert head[0] == "id" and len(rows) >= 2
' as admin pimctl review items
jsoncheck "review report --json is still one object" '
assert d["instance"]["state"] == "open" and d["counts"]["items"] >= 2
assert all(isinstance(i["reviewers"], list) for i in d["items"])
' as admin pimctl review report "$INST"

# --- usage ---------------------------------------------------------------------
for cmd in roles assignments requests alerts audit reviews "review items" "policy show Backup\ Operators"; do
	eval "set -- $cmd"
	expect_rc 64 "$cmd --json --csv exits 64" as admin pimctl "$@" --json --csv
	expect_out "--json and --csv exclude each other" "$cmd: the message says why"
done
for cmd in roles assignments audit review; do
	[ "$("$PIMCTL" help $cmd)" = "$("$PIMCTL" $cmd --help)" ] && [ -n "$("$PIMCTL" help $cmd)" ] &&
		pass "help $cmd is $cmd --help" || fail "help $cmd differs from $cmd --help"
done
pim_done
