#!/bin/bash
# delta-mpr.sh - two providers with delta-syncrepl (accesslog, OpenLDAP's
# recommended multi-provider mode): concurrent activations and
# deactivations of different users of one role on the two providers
# converge, every round, to exactly the memberships active activations
# back, on both (the invariant checked on each).
. "$(dirname "$0")/lib.sh"
pim_setup delta-mpr "pim-min-duration 1s
pim-audit-container \"cn=audit-1,cn=pim,dc=example,dc=com\""
R="User Administrator"
ROUNDS=${PIM_MPR_ROUNDS:-8}
P1PORT=$PORT
P2PORT=$(pim_free_port)
P1URI="ldap://127.0.0.1:$P1PORT/"; P2URI="ldap://127.0.0.1:$P2PORT/"

# provider_conf SRC DST SID PEER-URI DIR AUDIT: SRC as a delta-syncrepl
# provider with serverID SID, its accesslog database in DIR/alog
provider_conf() {
	awk -v sid="$3" -v peer="$4" -v d="$5" -v audit="$6" -v top="$T" '
		/^(pidfile|argsfile)/ { sub( top, d ) }
		/^moduleload[ \t]+back_mdb\.la/ { print; print "moduleload\tsyncprov.la"; print "moduleload\taccesslog.la"; next }
		/^database[ \t]+config/ && !s { print "serverID\t" sid; s = 1 }
		/^database[ \t]+mdb/ && !l {
			print "database\tmdb"
			print "maxsize\t\t104857600"
			print "suffix\t\t\"cn=accesslog\""
			print "rootdn\t\t\"cn=accesslog\""
			print "directory\t" d "/alog"
			print "index\t\tdefault eq"
			print "index\t\tentryCSN,objectClass,reqEnd,reqResult,reqStart eq"
			print "overlay\t\tsyncprov"
			print "syncprov-nopresent\tTRUE"
			print "syncprov-reloadhint\tTRUE"
			print ""
			l = 1
		}
		/^directory/ && l { print "directory\t" d "/db"; next }
		/^pim-audit-container/ { print "pim-audit-container\t\"" audit "\""; next }
		/^overlay[ \t]+pim/ && !done {
			print "syncrepl\trid=00" sid " provider=" peer " bindmethod=simple " \
				"binddn=\"cn=Manager,dc=example,dc=com\" credentials=manager-secret " \
				"searchbase=\"dc=example,dc=com\" type=refreshAndPersist " \
				"retry=\"1 +\" syncdata=accesslog logbase=\"cn=accesslog\" " \
				"logfilter=\"(&(objectClass=auditWriteObject)(reqResult=0))\""
			print "multiprovider\ton"
			print "overlay\t\tsyncprov"
			print "overlay\t\taccesslog"
			print "logdb\t\tcn=accesslog"
			print "logops\t\twrites"
			print "logsuccess\tTRUE"
			done = 1
		}
		{ print }' "$1" > "$2"
}

cp "$T/slapd.conf" "$T/base.conf"
pim_stop
provider_conf "$T/base.conf" "$T/slapd.conf" 1 "$P2URI" "$T" "cn=audit-1,$CONTAINER"
mkdir -p "$T/alog"
rm -rf "$T/slapd.d"; mkdir -p "$T/slapd.d"
pim_tool "$SLAPADD" -f "$T/slapd.conf" -b cn=accesslog -l /dev/null >"$T/slapadd.log" 2>&1 ||
	{ cat "$T/slapadd.log"; fail "cannot create provider 1's accesslog"; }
pim_tool "$SLAPTEST" -f "$T/slapd.conf" -F "$T/slapd.d" >"$T/slaptest.log" 2>&1 ||
	{ cat "$T/slaptest.log"; fail "provider 1's configuration"; }
PIM_PORT=$P1PORT pim_start

P2="$T/p2"; mkdir -p "$P2/db" "$P2/alog"
provider_conf "$T/base.conf" "$P2/slapd.conf" 2 "$P1URI" "$P2" "cn=audit-2,$CONTAINER"
env $PIM_PRELOAD "$PIM_SLAPD" -h "$P2URI" -f "$P2/slapd.conf" -d stats >"$P2/slapd.log" 2>&1 &
P2PID=$!
stop_p2() { kill -TERM "$P2PID" 2>/dev/null; sleep 0.5; kill -KILL "$P2PID" 2>/dev/null; wait "$P2PID" 2>/dev/null; }
trap 'r=$?; stop_p2; (exit $r); pim_teardown' EXIT

at() {	# URI WHO CMD ARGS...
	local uri=$1 who=$2 cmd=$3 dn pw
	shift 3
	case $who in
	manager) dn=$MANAGER; pw=$MANAGER_PW ;;
	demo) dn=$DEMO; pw=$DEMO_PW ;;
	other) dn=$OTHER; pw=$OTHER_PW ;;
	admin) dn=$ADMIN; pw=$ADMIN_PW ;;
	esac
	case $cmd in
	pimctl) "$PIMCTL" -x -H "$uri" -D "$dn" -w "$pw" -b "$BASE" --no-referrals "$@" ;;
	*) "$cmd" -x -H "$uri" -D "$dn" -w "$pw" "$@" ;;
	esac
}
members_at() {	# URI: the role's member values (not the placeholder), sorted
	at "$1" manager ldapsearch -LLL -o ldif-wrap=no -b "$ROLE" -s base member |
		sed -n 's/^member: //p' | tr 'A-Z' 'a-z' | grep -v "^$(lc "$CONTAINER")\$" | sort | tr '\n' ' '
}
converge() {	# WANT SECONDS: both providers hold exactly WANT
	local n=$(( $2 * 10 ))
	while [ $n -gt 0 ]; do
		[ "$(members_at "$P1URI")" = "$1" ] && [ "$(members_at "$P2URI")" = "$1" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
for i in $(seq 1 100); do
	at "$P2URI" manager ldapsearch -LLL -b "$ROLE" -s base 1.1 2>/dev/null | grep -q '^dn:' && break
	sleep 0.1
done
[ "$i" -lt 100 ] && pass "provider 2 has the directory" || { fail "provider 2 did not replicate"; tail -20 "$P2/slapd.log"; }

expect_rc 0 "demo eligible" at "$P1URI" admin pimctl assign demo "$R" --reason "delta mpr"
expect_rc 0 "other eligible" at "$P1URI" admin pimctl assign other "$R" --reason "delta mpr"
for i in $(seq 1 100); do
	[ "$(at "$P2URI" manager ldapsearch -LLL -b "$CONTAINER" "(objectClass=pimEligibility)" 1.1 |
		grep -c '^dn:')" = 2 ] && break
	sleep 0.1
done
[ "$i" -lt 100 ] && pass "provider 2 has both eligibilities" || fail "the eligibilities did not reach provider 2"
BOTH="$(printf '%s\n%s\n' "$(lc "$DEMO")" "$(lc "$OTHER")" | sort | tr '\n' ' ')"
bad=0
for r in $(seq 1 "$ROUNDS"); do
	at "$P1URI" demo pimctl activate "$R" --duration 1h --reason "round $r" >"$T/a1" 2>&1 & a=$!
	at "$P2URI" other pimctl activate "$R" --duration 1h --reason "round $r" >"$T/a2" 2>&1 & b=$!
	wait $a; ra=$?; wait $b; rb=$?
	if [ $ra != 0 ] || [ $rb != 0 ]; then
		fail "round $r: activations rc $ra $rb"; cat "$T/a1" "$T/a2"; bad=1; break
	fi
	converge "$BOTH" 10 || { fail "round $r: after the activations P1 [$(members_at "$P1URI")] P2 [$(members_at "$P2URI")]"; bad=1; }
	at "$P1URI" demo pimctl deactivate "$R" >"$T/d1" 2>&1 & a=$!
	at "$P2URI" other pimctl deactivate "$R" >"$T/d2" 2>&1 & b=$!
	wait $a; ra=$?; wait $b; rb=$?
	if [ $ra != 0 ] || [ $rb != 0 ]; then
		fail "round $r: deactivations rc $ra $rb"; cat "$T/d1" "$T/d2"; bad=1; break
	fi
	converge "" 10 || { fail "round $r: after the deactivations P1 [$(members_at "$P1URI")] P2 [$(members_at "$P2URI")]"; bad=1; }
done
[ $bad = 0 ] && pass "$ROUNDS rounds of concurrent activations and deactivations on two providers converged"
check_invariant "the rounds, on provider 1"
URI=$P2URI check_invariant "the rounds, on provider 2"
grep -q "without slapo-accesslog" "$T/slapd.log" "$P2/slapd.log" &&
	fail "delta-syncrepl providers are warned about" ||
	pass "delta-syncrepl providers get no warning"
pim_done
