#!/bin/bash
# pimctl's ldap-utils options -o nettimeout=SECONDS and -d LEVEL:
# against a loopback port that accepts connections and never answers,
# -o nettimeout makes pimctl give up within the timeout with a message
# and a nonzero exit status; bad values are usage errors; -d makes
# libldap trace to standard error.  No slapd.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { pim_log "SKIP: no python3"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pimctl-options.XXXXXX")
LISTENER=""
cleanup() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# A listener that accepts every connection, keeps it open, reads
# nothing and answers nothing, for at most 60 s; it writes its port.
python3 - "$T/port" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(0.5)
held, end = [], time.time() + 60
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PY
LISTENER=$!
port_ready() { [ -s "$T/port" ]; }
wait_for 5 port_ready || { pim_log "FAIL: the listener did not start"; exit 99; }
SILENT="ldap://127.0.0.1:$(cat "$T/port")/"

ms() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms)
expect_rc 255 "a server that never answers, -o nettimeout=2" \
	"$PIMCTL" -o nettimeout=2 -H "$SILENT" -x -D "cn=nobody" -w secret roles
t1=$(ms)
[ $((t1 - t0)) -ge 1900 ] && [ $((t1 - t0)) -lt 5000 ] &&
	pass "it gave up after about 2 s ($((t1 - t0)) ms)" ||
	fail "it gave up after $((t1 - t0)) ms"
expect_out "Timed out" "the message says it timed out"
expect_out "^pimctl" "the message names pimctl"

t0=$(ms)
expect_rc 255 "an extended operation's wait is limited too (activate)" \
	"$PIMCTL" -H "$SILENT" -x -D "cn=nobody" -w secret activate "cn=r" \
	--duration 1h --reason r -o nettimeout=1
t1=$(ms)
[ $((t1 - t0)) -lt 4000 ] && pass "within the timeout ($((t1 - t0)) ms)" ||
	fail "activate took $((t1 - t0)) ms"

expect_rc 64 "-o nettimeout=soon is a usage error" \
	"$PIMCTL" -o nettimeout=soon -H "$SILENT" roles
expect_out "not a number of seconds" "the usage error says why"
expect_rc 64 "-o nettimeout=0 is a usage error" \
	"$PIMCTL" -o nettimeout=0 -H "$SILENT" roles
expect_rc 64 "an unknown -o option is a usage error" \
	"$PIMCTL" -o ldif_wrap=no -H "$SILENT" roles
expect_out "unknown option" "the usage error names it"

expect_rc 255 "-d 1 with -o nettimeout=1" \
	"$PIMCTL" -d 1 -o nettimeout=1 -H "$SILENT" -x -D "cn=nobody" -w secret roles
expect_out "ldap_(connect|initialize|init|url_parse|new_connection)" "libldap traces to standard error"
expect_rc 64 "-d loud is a usage error" "$PIMCTL" -d loud -H "$SILENT" roles
OUT=$("$PIMCTL" --help 2>&1)
expect_out "-o nettimeout=SECONDS" "--help lists -o nettimeout"
expect_out "-d level" "--help lists -d"

pim_done
