#!/bin/bash
# replica.sh - a provider and a read-only consumer, both Debian's slapd
# with the module loaded and the overlay on the replicated database:
# activations and deactivations replicate; the consumer enforces an
# activation's end at read time while the provider is down; a write
# extended operation of any shape sent to the consumer is referred to
# the provider.
. "$(dirname "$0")/lib.sh"
pim_setup replica "pim-min-duration 1s"
pim_reconfigure "syncprov.la" "" "overlay	syncprov" || exit 99
PROVIDER=$URI
R="User Administrator"

# --- the consumer: the provider's configuration, its own directory, an
# empty database filled by syncrepl ------------------------------------
C="$T/consumer"
mkdir -p "$C/db"
CPORT=$(pim_free_port)
CURI="ldap://127.0.0.1:$CPORT/"
awk -v dir="$T" -v c="$C" -v prov="$PROVIDER" '
	/^(pidfile|argsfile)/ { sub( dir, c ) }
	/^directory/ { print "directory\t" c "/db"; next }
	/^overlay[ \t]+syncprov/ { next }
	/^overlay[ \t]+pim/ && !done {
		print "syncrepl\trid=001 provider=" prov " bindmethod=simple " \
			"binddn=\"cn=Manager,dc=example,dc=com\" credentials=manager-secret " \
			"searchbase=\"dc=example,dc=com\" type=refreshAndPersist " \
			"retry=\"1 +\" attrs=\"*,+\""
		print "updateref\t" prov
		done = 1
	}
	{ print }' "$T/slapd.conf" > "$C/slapd.conf"
grep -q '^syncrepl' "$C/slapd.conf" || { fail "no syncrepl in the consumer's configuration"; pim_done; exit 1; }
env $PIM_PRELOAD "$PIM_SLAPD" -h "$CURI" -f "$C/slapd.conf" -d stats >"$C/slapd.log" 2>&1 &
CPID=$!
# A second consumer that does not load the module: the shipped
# schema/pim.schema, and memberof.la loaded (with no overlay) for the
# definition of memberOf, which pim.schema says it leaves out.
P="$T/plain"
mkdir -p "$P/db"
PPORT=$(pim_free_port)
PURI="ldap://127.0.0.1:$PPORT/"
awk -v c="$C" -v p="$P" -v schema="$PIM_TOP_SRCDIR/schema/pim.schema" '
	/^(pidfile|argsfile|directory)/ { sub( c, p ) }
	/^moduleload/ && /pim\.so/ { print "moduleload\tmemberof.la"; next }
	/^overlay[ \t]+pim/ { exit }
	{ print }
	/^include.*nis\.schema/ { print "include\t\t" schema }' "$C/slapd.conf" |
	sed "s/rid=001/rid=003/" > "$P/slapd.conf"
"$PIM_SLAPD" -h "$PURI" -f "$P/slapd.conf" -d stats >"$P/slapd.log" 2>&1 &
PLPID=$!
consumer_stop() {
	kill -TERM "$CPID" "$PLPID" 2>/dev/null
	sleep 0.5
	kill -KILL "$CPID" "$PLPID" 2>/dev/null
	wait "$CPID" "$PLPID" 2>/dev/null
}
# pim_teardown judges the test by the exit status: keep it
trap 'r=$?; consumer_stop; (exit $r); pim_teardown' EXIT
on_c() {	# WHO CMD ARGS...: against the consumer
	local who=$1 cmd=$2
	shift 2
	case $who in
	manager) "$cmd" -x -H "$CURI" -D "$MANAGER" -w "$MANAGER_PW" "$@" ;;
	demo)    "$cmd" -x -H "$CURI" -D "$DEMO" -w "$DEMO_PW" "$@" ;;
	other)   "$cmd" -x -H "$CURI" -D "$OTHER" -w "$OTHER_PW" "$@" ;;
	esac
}
c_member() {	# on the consumer, as other: TRUE / FALSE
	on_c other ldapcompare "$ROLE" "member:$DEMO" >/dev/null 2>&1
	case $? in 6) echo TRUE ;; 5) echo FALSE ;; *) echo ERROR ;; esac
}
wait_c() {	# WANT SECONDS: poll the consumer; prints the time it took
	local want=$1 n=$(( $2 * 20 )) t0
	t0=$(date +%s%N)
	while [ $n -gt 0 ]; do
		[ "$(c_member)" = "$want" ] && {
			echo $(( ( $(date +%s%N) - t0 ) / 1000000 )); return 0; }
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
for i in $(seq 1 100); do
	on_c manager ldapsearch -LLL -b "$ROLE" -s base 1.1 2>/dev/null | grep -q '^dn:' && break
	sleep 0.1
done
[ "$i" -lt 100 ] && pass "the consumer has the directory" ||
	{ fail "the consumer did not replicate the role"; tail -20 "$C/slapd.log"; }

# --- activation and deactivation replicate ---------------------------------
plain_has() {	# FILTER: the module-less consumer holds an entry matching it
	ldapsearch -x -H "$PURI" -D "$MANAGER" -w "$MANAGER_PW" -LLL -b "$BASE" \
		"$1" 1.1 2>/dev/null | grep -q '^dn:'
}
wait_plain() {	# yes|no FILTER
	local i
	for i in $(seq 1 100); do
		if plain_has "$2"; then [ "$1" = yes ] && return 0
		else [ "$1" = no ] && return 0; fi
		sleep 0.1
	done
	return 1
}
wait_plain yes "(objectClass=pimRole)" &&
	pass "a consumer without the module, with schema/pim.schema, takes the refresh" ||
	{ fail "the module-less consumer did not replicate PIM's entries"; tail -5 "$P/slapd.log"; }
expect_rc 0 "demo made eligible on the provider" as admin pimctl assign demo "$R" --reason "replica"
expect_rc 0 "demo activates on the provider" as demo pimctl activate "$R" --duration 1h --reason "replica"
ms=$(wait_c TRUE 10) && pass "the consumer sees the membership after ${ms} ms" ||
	fail "the consumer does not see the membership"
wait_plain yes "(&(objectClass=pimActivation)(pimState=active))" &&
wait_plain yes "(&(uid=demo)(memberOf=$ROLE))" &&
wait_plain yes "(member=$DEMO)" &&
	pass "... and so does the module-less one: the activation, member and memberOf" ||
	fail "the module-less consumer misses the activation: $(tail -3 "$P/slapd.log")"
expect_rc 0 "demo deactivates on the provider" as demo pimctl deactivate "$R"
ms=$(wait_c FALSE 10) && pass "the consumer drops it after ${ms} ms" ||
	fail "the consumer keeps the membership"
wait_plain no "(member=$DEMO)" && wait_plain no "(&(uid=demo)(memberOf=$ROLE))" &&
	pass "... and so does the module-less one" ||
	fail "the module-less consumer keeps the membership"

# --- an expiry replicates; the consumer restarted across one ----------------
c_stored() {	# the consumer's stored value, as its rootdn sees it
	on_c manager ldapcompare "$ROLE" "member:$DEMO" >/dev/null 2>&1
	case $? in 6) echo TRUE ;; 5) echo FALSE ;; *) echo ERROR ;; esac
}
expect_rc 0 "demo activates for 2 s" as demo pimctl activate "$R" --duration 2s --reason "replica expiry"
wait_c TRUE 10 >/dev/null && pass "the consumer sees it" || fail "the consumer does not see the 2 s activation"
for i in $(seq 1 60); do [ "$(c_stored)" = FALSE ] && break; sleep 0.1; done
[ "$(c_stored)" = FALSE ] && pass "the provider's expiry replicates: the consumer's stored value is gone" ||
	fail "the consumer still stores the expired value"
expect_rc 0 "demo activates for 2 s again" as demo pimctl activate "$R" --duration 2s --reason "replica restart"
wait_c TRUE 10 >/dev/null || fail "the consumer does not see the second 2 s activation"
consumer_stop
sleep 3	# the end passes while the consumer is down
env $PIM_PRELOAD "$PIM_SLAPD" -h "$CURI" -f "$C/slapd.conf" -d stats >>"$C/slapd.log" 2>&1 &
CPID=$!
for i in $(seq 1 100); do
	on_c manager ldapsearch -LLL -b "" -s base 1.1 >/dev/null 2>&1 && break
	sleep 0.1
done
check_c0() { [ "$2" = "$3" ] && pass "$1: $3" || fail "$1: expected $2, got $3"; }
check_c0 "consumer restarted across the end: compare member as other" FALSE "$(c_member)"
for i in $(seq 1 60); do [ "$(c_stored)" = FALSE ] && break; sleep 0.1; done
check_c0 "... and its refresh removes the stored value" FALSE "$(c_stored)"

# --- the provider down across an end time -----------------------------------
expect_rc 0 "demo activates for 4 s" as demo pimctl activate "$R" --duration 4s --reason "replica"
wait_c TRUE 10 >/dev/null && pass "the consumer sees it" || fail "the consumer does not see the 4 s activation"
END=$(gt_epoch "$(as manager ldapsearch -LLL -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimState=active))" pimEndTime | sed -n 's/^pimEndTime: //p' | sort | tail -1)")
pim_stop
pass "the provider is down"
while [ "$(date +%s)" -lt "$END" ]; do sleep 0.1; done
sleep 0.3
on_c manager ldapcompare "$ROLE" "member:$DEMO" >/dev/null 2>&1
[ $? = 6 ] && pass "the consumer still stores the value (nobody purged it)" ||
	fail "the value is gone from the consumer: the check below proves nothing"
check_c() { [ "$2" = "$3" ] && pass "$1: $3" || fail "$1: expected $2, got $3"; }
check_c "provider down, after the end: compare member on the consumer" FALSE "$(c_member)"
check_c "... (member=demo) on the consumer" "" \
	"$(on_c other ldapsearch -LLL -b "$BASE" "(member=$DEMO)" 1.1 | sed -n 's/^dn: //p')"
check_c "... (memberOf=role) on the consumer" "" \
	"$(on_c other ldapsearch -LLL -b "$BASE" "(memberOf=$ROLE)" 1.1 | sed -n 's/^dn: //p')"

# --- writes sent to the consumer are referred --------------------------------
OID=2.25.303586913736191762808327319970460715176.3
out=$(on_c demo ldapexop "$OID.1" 2>&1); rc=$?
printf '%s\n' "$out" | grep -qi "referral" && pass "an activate without a value gets the referral" ||
	fail "an activate without a value: rc=$rc $out"
out=$(on_c demo ldapexop "$OID.1::MAA=" 2>&1)
printf '%s\n' "$out" | grep -qi "referral" && pass "an activate with an empty sequence gets the referral" ||
	fail "an activate with an empty sequence: $out"
PIM_PORT=$PORT pim_start	# where the consumer's updateref points
expect_rc 10 "pimctl --no-referrals against the consumer: the referral" \
	"$PIMCTL" -x -H "$CURI" -D "$DEMO" -w "$DEMO_PW" -b "$BASE" --no-referrals \
	activate "$R" --duration 1h --reason "to the consumer"
expect_out "${PROVIDER%/}" "pimctl names the provider"
expect_rc 0 "pimctl activate against the consumer follows the referral" \
	"$PIMCTL" -x -H "$CURI" -D "$DEMO" -w "$DEMO_PW" -b "$BASE" \
	activate "$R" --duration 1h --reason "to the consumer"
expect_out "referred to ${PROVIDER%/}" "pimctl says where it went"
ms=$(wait_c TRUE 10) && pass "the activation made through the referral replicates back (${ms} ms)" ||
	fail "the followed activation does not reach the consumer"
# --- the consumer promoted to a provider online -------------------------------
# cn=config removes its olcSyncrepl and olcUpdateRef: no restart, and
# its timer, audit trail and reconciliation start.
CDB=$("ldapsearch" -x -H "$CURI" -D "$CONFIG_DN" -w "$CONFIG_PW" -LLL -b cn=config \
	"(olcSuffix=$BASE)" dn | sed -n 's/^dn: //p')
expect_rc 0 "the consumer's olcSyncrepl and olcUpdateRef removed" \
	ldapmodify -x -H "$CURI" -D "$CONFIG_DN" -w "$CONFIG_PW" <<LDIF
dn: $CDB
changetype: modify
delete: olcUpdateRef
-
delete: olcSyncrepl
LDIF
promoted() { grep -q "is writable now" "$C/slapd.log"; }
for i in $(seq 1 50); do promoted && break; sleep 0.2; done
promoted && pass "the promoted consumer starts its timer and audit trail" ||
	fail "no 'is writable now' in the consumer's log"
sleep 0.5
expect_rc 0 "an activation on the promoted server" \
	"$PIMCTL" -x -H "$CURI" -D "$DEMO" -w "$DEMO_PW" -b "$BASE" --no-referrals \
	activate "$R" --duration 1h --reason "promoted" 
as_c_admin_audit() {
	"ldapsearch" -x -H "$CURI" -D "$MANAGER" -w "$MANAGER_PW" -LLL -b "cn=audit,$CONTAINER" \
		"(&(pimAuditEvent=activated)(pimAuditReason=promoted))" dn
}
as_c_admin_audit | grep -q '^dn:' && pass "... recorded in its audit trail" ||
	fail "the promoted server's activation is not audited"

# --- and demoted back online: its timer stops, writes are referred -----------
CSYNC=$(grep '^syncrepl' "$C/slapd.conf" | sed 's/^syncrepl[ \t]*//')
expect_rc 0 "the promoted server's olcSyncrepl and olcUpdateRef put back" \
	ldapmodify -x -H "$CURI" -D "$CONFIG_DN" -w "$CONFIG_PW" <<LDIF
dn: $CDB
changetype: modify
add: olcSyncrepl
olcSyncrepl: $CSYNC
-
add: olcUpdateRef
olcUpdateRef: $PROVIDER
LDIF
demoted() { grep -q "is a read-only consumer now" "$C/slapd.log"; }
for i in $(seq 1 50); do demoted && break; sleep 0.2; done
demoted && pass "the demoted server stops its timer" ||
	fail "no 'is a read-only consumer now' in the consumer's log"
expect_rc 10 "an activation sent to the demoted server gets the referral" \
	"$PIMCTL" -x -H "$CURI" -D "$DEMO" -w "$DEMO_PW" -b "$BASE" --no-referrals \
	activate "$R" --duration 1h --reason "demoted"
expect_out "${PROVIDER%/}" "... naming the provider"

# --- multi-provider: each provider its own audit container ----------------
# slaptest runs the overlay's checks: a provider of a multi-provider
# setup that would share the default audit container is refused.
mp_conf() {	# FILE [EXTRA-PIM-LINE]
	awk -v extra="${2:-}" -v c="$T/mp" '
		/^(pidfile|argsfile)/ { sub( /[^ \t]*$/, c "/" $1 ) }
		/^directory/ { print "directory\t" c "/db"; next }
		/^database[ \t]+config/ && !sid { print "serverID\t1"; sid = 1 }
		/^overlay[ \t]+syncprov/ { next }
		/^overlay[ \t]+pim/ && !done {
			print "syncrepl\trid=002 provider=ldap://127.0.0.1:1/ bindmethod=simple " \
				"binddn=\"cn=Manager,dc=example,dc=com\" credentials=x " \
				"searchbase=\"dc=example,dc=com\" type=refreshAndPersist retry=\"1 +\""
			print "multiprovider\ton"
			done = 1
		}
		{ print }
		END { if ( extra != "" ) print extra }' "$T/slapd.conf" > "$1"
}
mkdir -p "$T/mp/db"
cp "$T"/db/*.mdb "$T/mp/db/"	# slaptest opens the database
mp_conf "$T/mp1.conf"
out=$(pim_tool "$SLAPTEST" -f "$T/mp1.conf" 2>&1); rc=$?
[ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q "audit container of its own" &&
	pass "multi-provider with the shared default audit container is refused" ||
	fail "multi-provider with the shared audit container: rc=$rc $(printf '%s' "$out" | tail -3)"
mp_conf "$T/mp2.conf" 'pim-audit-container "cn=audit-1,cn=pim,dc=example,dc=com"'
out=$(pim_tool "$SLAPTEST" -f "$T/mp2.conf" 2>&1) &&
	pass "... and accepted with an audit container of its own" ||
	fail "multi-provider with its own audit container: $(printf '%s' "$out" | tail -3)"
pim_done
