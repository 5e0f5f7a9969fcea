#!/bin/bash
# multiprovider.sh - two providers (syncrepl both ways, multiprovider
# on, each with its own audit container): an activation made on one and
# ending while that one is down is expired by the other after
# pim-peer-grace, and the two converge when the first comes back.
. "$(dirname "$0")/lib.sh"
pim_setup multiprovider "pim-min-duration 1s
pim-peer-grace 2s
pim-audit-container \"cn=audit-1,cn=pim,dc=example,dc=com\""
R="User Administrator"
P2PORT=$(pim_free_port)
P2URI="ldap://127.0.0.1:$P2PORT/"
P1PORT=$PORT

# provider_conf SRC DST SID PEER-URI DIR AUDIT: the same configuration as
# a multi-provider member with serverID SID replicating from PEER-URI
provider_conf() {
	awk -v sid="$3" -v peer="$4" -v d="$5" -v audit="$6" -v top="$T" '
		/^(pidfile|argsfile)/ { sub( top, d ) }
		/^database[ \t]+config/ && !s { print "serverID\t" sid; s = 1 }
		/^directory/ { print "directory\t" d "/db"; next }
		/^pim-audit-container/ { print "pim-audit-container\t\"" audit "\""; next }
		/^overlay[ \t]+pim/ && !done {
			print "syncrepl\trid=00" sid " provider=" peer " bindmethod=simple " \
				"binddn=\"cn=Manager,dc=example,dc=com\" credentials=manager-secret " \
				"searchbase=\"dc=example,dc=com\" type=refreshAndPersist " \
				"retry=\"1 +\" attrs=\"*,+\""
			print "multiprovider\ton"
			done = 1
		}
		{ print }
		END { print "overlay\tsyncprov" }' "$1" > "$2"
}

# provider 1: this test's own slapd, reconfigured from its slapd.conf
cp "$T/slapd.conf" "$T/base.conf"
provider_conf "$T/base.conf" "$T/slapd.conf" 1 "$P2URI" "$T" "cn=audit-1,$CONTAINER"
sed -i 's/^overlay\tsyncprov$//' "$T/slapd.conf"
PIM_PORT=$P1PORT pim_reconfigure "syncprov.la" "" "overlay	syncprov" || exit 99
P1URI=$URI

# provider 2: its own directory, filled by replication
P2="$T/p2"; mkdir -p "$P2/db" "$P2/slapd.d"
provider_conf "$T/base.conf" "$P2/slapd.conf" 2 "$P1URI" "$P2" "cn=audit-2,$CONTAINER"
sed -i 's/^moduleload\tback_mdb.la$/moduleload\tback_mdb.la\nmoduleload\tsyncprov.la/' "$P2/slapd.conf"
pim_tool "$SLAPTEST" -f "$P2/slapd.conf" -u >"$P2/slaptest.log" 2>&1
start_p2() {
	env $PIM_PRELOAD "$PIM_SLAPD" -h "$P2URI" -f "$P2/slapd.conf" -d stats >>"$P2/slapd.log" 2>&1 &
	P2PID=$!
}
stop_p2() { kill -TERM "$P2PID" 2>/dev/null; sleep 0.5; kill -KILL "$P2PID" 2>/dev/null; wait "$P2PID" 2>/dev/null; }
start_p2
trap 'r=$?; stop_p2; (exit $r); pim_teardown' EXIT
on2() { "$1" -x -H "$P2URI" -D "$MANAGER" -w "$MANAGER_PW" "${@:2}"; }
for i in $(seq 1 100); do
	on2 ldapsearch -LLL -b "$ROLE" -s base 1.1 2>/dev/null | grep -q '^dn:' && break
	sleep 0.1
done
[ "$i" -lt 100 ] && pass "provider 2 has the directory" ||
	{ fail "provider 2 did not replicate"; tail -20 "$P2/slapd.log"; }
state2() {	# ID: the activation's state on provider 2
	on2 ldapsearch -LLL -b "$CONTAINER" "(pimId=$1)" pimState | sed -n 's/^pimState: //p'
}
member2() {
	on2 ldapcompare "$ROLE" "member:$DEMO" >/dev/null 2>&1
	case $? in 6) echo TRUE ;; 5) echo FALSE ;; *) echo ERROR ;; esac
}

# --- an activation on provider 1, which is down at its end -------------------
expect_rc 0 "demo made eligible on provider 1" as admin pimctl assign demo "$R" --reason "mp"
expect_rc 0 "demo activates on provider 1 for 3 s" \
	as demo pimctl activate "$R" --duration 3s --reason "mp"
ID=$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimState=active))" pimId |
	sed -n 's/^pimId: //p' | head -1)
for i in $(seq 1 50); do [ "$(state2 "$ID")" = active ] && break; sleep 0.1; done
[ "$(state2 "$ID")" = active ] && pass "provider 2 has the activation" || fail "no activation on provider 2"
END=$(gt_epoch "$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=$ID)" pimEndTime | sed -n 's/^pimEndTime: //p')")
pim_stop
pass "provider 1 is down"
# provider 2 expires it pim-peer-grace (2 s) after its end
for i in $(seq 1 80); do
	[ "$(state2 "$ID")" = expired ] && break
	sleep 0.1
done
now=$(date +%s)
[ "$(state2 "$ID")" = expired ] && pass "provider 2 expired it ($((now - END)) s after its end)" ||
	fail "provider 2 did not expire it: $(state2 "$ID")"
[ $((now - END)) -ge 2 ] && pass "... not before the grace" || fail "... before the grace ($((now - END)) s)"
[ "$(member2)" = FALSE ] && pass "provider 2 removed the value" || fail "provider 2 keeps the value"
n=$(on2 ldapsearch -LLL -b "cn=audit-2,$CONTAINER" "(&(pimAuditEvent=expired)(pimAuditId=$ID))" dn | grep -c '^dn:')
[ "$n" = 1 ] && pass "provider 2 recorded one expiry in its own trail" || fail "provider 2's expiry records: $n"

# --- provider 1 back: the two converge ------------------------------------------
PIM_PORT=$P1PORT pim_start
for i in $(seq 1 50); do
	st1=$(as manager ldapsearch -LLL -b "$CONTAINER" "(pimId=$ID)" pimState | sed -n 's/^pimState: //p')
	[ "$st1" = expired ] && break
	sleep 0.2
done
[ "$st1" = expired ] && pass "provider 1 agrees: expired" || fail "provider 1 says $st1"
as manager ldapcompare "$ROLE" "member:$DEMO" >/dev/null 2>&1
[ $? = 5 ] && pass "provider 1 holds no value" || fail "provider 1 holds the value"
# provider 1's reconciliation waited for provider 2's refresh: it did
# not expire the activation a second time
sleep 3
n1=$(as admin ldapsearch -LLL -b "cn=audit-1,$CONTAINER" "(&(pimAuditEvent=expired)(pimAuditId=$ID))" dn | grep -c '^dn:')
n2=$(on2 ldapsearch -LLL -b "cn=audit-2,$CONTAINER" "(&(pimAuditEvent=expired)(pimAuditId=$ID))" dn | grep -c '^dn:')
[ $((n1 + n2)) = 1 ] && pass "one expiry recorded in both trails together" ||
	fail "expiry records: provider 1 $n1, provider 2 $n2"
check_invariant "two providers after the originator's outage"
grep -q "multi-provider replication without slapo-accesslog" "$T/slapd.log" &&
	pass "plain syncrepl between providers is warned about at startup" ||
	fail "no warning about multi-provider without accesslog"
pim_done
