# lib.sh - shared by the integration tests and the sandbox.
#
# Each test gets a fresh directory under tests/tmp, a free loopback
# port, Debian's slapd with the built module loaded, and the seed lab's
# demo directory.  Source it, then call pim_setup; a trap stops slapd
# and (on success) removes the directory.
#
# Environment (set by "make check" through AM_TESTS_ENVIRONMENT):
#   PIM_TOP_SRCDIR, PIM_TOP_BUILDDIR, PIM_SLAPD (default /usr/sbin/slapd)
#   PIM_MODULE       the module slapd loads (default: the built overlay/.libs/pim.so)
#   PIM_TOOL_MODULE  the module slapadd/slaptest/slapmodify load (default:
#                    PIM_MODULE); with PIM_SANITIZE, a build without sanitizers
#   PIM_SANITIZE=1   preload the ASan/UBSan runtime into slapd (PIM_MODULE built
#                    with --enable-sanitizers).  Debian's slap* binaries hang
#                    in p11-kit's exit handler when ASan is preloaded, so the
#                    tools run without it, on PIM_TOOL_MODULE, and slapd is
#                    killed if it does not exit after SIGTERM.
#   PIM_VALGRIND=1   run slapd under valgrind's memcheck; errors whose stack
#                    passes through the module (pim_*) fail the test.  Slow:
#                    tests that time expiry to the second may miss (see
#                    docs/admin-guide.md, "Testing")
#   PIM_KEEP=1       keep the test directory (a failed test keeps it anyway;
#                    the test's result is the same either way)
#   PIM_EXTRA_MODULES  modules loaded before pim, such as "otp.la" (whose
#                    schema the MFA checks use)
#   PIM_EXTRA_SCHEMA   schema files included after the standard ones (a
#                    role kind's classes: sudo-ldap's sudoRole)
#   PIM_NIS_SCHEMA   the RFC 2307 schema file instead of Debian's nis.schema
#                    (an RFC 2307bis one, whose posixGroup is auxiliary)

set -u

PIM_TOP_SRCDIR=${PIM_TOP_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PIM_TOP_BUILDDIR=${PIM_TOP_BUILDDIR:-$PIM_TOP_SRCDIR}
PIM_SLAPD=${PIM_SLAPD:-/usr/sbin/slapd}
PIM_MODULE=${PIM_MODULE:-$PIM_TOP_BUILDDIR/overlay/.libs/pim.so}
PIM_TOOL_MODULE=${PIM_TOOL_MODULE:-$PIM_MODULE}
PIMCTL=${PIMCTL:-$PIM_TOP_BUILDDIR/tools/pimctl}
SLAPADD=${SLAPADD:-/usr/sbin/slapadd}
SLAPTEST=${SLAPTEST:-/usr/sbin/slaptest}

BASE="dc=example,dc=com"
CONTAINER="cn=pim,$BASE"
MANAGER="cn=Manager,$BASE"; MANAGER_PW=manager-secret
ADMIN="uid=admin,ou=people,$BASE"; ADMIN_PW=admin-secret
DEMO="uid=demo,ou=people,$BASE"; DEMO_PW=demo-secret
OTHER="uid=other,ou=people,$BASE"; OTHER_PW=other-secret
ROLE="cn=User Administrator,ou=roles,$BASE"
CONFIG_DN="cn=admin,cn=config"; CONFIG_PW=config-secret

PIM_FAILURES=0
PIM_CHECKS=0
PIM_SKIPS=0

pim_log() { printf '%s\n' "$*" >&2; }

# A loopback port nothing listens on.
pim_free_port() {
	local port tries=0
	while [ $tries -lt 50 ]; do
		# below Linux's ephemeral range (32768-60999), which clients use
		port=$(( 10000 + (RANDOM * 7 + $$) % 22000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
		tries=$((tries + 1))
	done
	return 1
}

# pim_prepare DIR [EXTRA_PIM_CONFIG_LINES]: a configuration (slapd.d) and
# the demo directory in DIR.  Used by the tests and by the sandbox.
pim_prepare() {
	local dir=$1 extra=${2:-} mods="" schema="" m
	[ -f "$PIM_MODULE" ] || { pim_log "FAIL: module $PIM_MODULE not built"; return 99; }
	T=$dir
	mkdir -p "$T/db" "$T/slapd.d"
	# slapd.d names $T/pim.so: a link to the tools' or the server's module
	ln -sf "$PIM_TOOL_MODULE" "$T/pim.so"
	for m in ${PIM_EXTRA_MODULES:-}; do
		mods="${mods}moduleload	$m\\n"
	done
	for m in ${PIM_EXTRA_SCHEMA:-}; do
		schema="${schema}include	$m\\n"
	done
	sed -e "s|@DIR@|$T|g" -e "s|@MODULE@|$T/pim.so|g" -e "s|@PIMCONF@||" \
	    -e "s|/etc/ldap/schema/nis.schema|${PIM_NIS_SCHEMA:-/etc/ldap/schema/nis.schema}|" \
	    -e "s|^#@MODULES@\$|$mods|" -e "s|^#@SCHEMA@\$|$schema|" \
	    "$PIM_TOP_SRCDIR/tests/data/slapd.conf.in" > "$T/slapd.conf"
	# the pim overlay is the file's last section: extra lines configure it
	printf '%s\n' "$extra" >> "$T/slapd.conf"
	pim_preload_env
	# Load the demo directory first (slapadd creates the database), then
	# convert the configuration to cn=config so that it can be changed
	# online.
	pim_tool "$SLAPADD" -f "$T/slapd.conf" -b "$BASE" -l "$PIM_TOP_SRCDIR/tests/data/demo.ldif" >"$T/slapadd.log" 2>&1 ||
		{ cat "$T/slapadd.log" >&2; pim_log "FAIL: slapadd"; return 99; }
	pim_tool "$SLAPTEST" -f "$T/slapd.conf" -F "$T/slapd.d" >"$T/slaptest.log" 2>&1 ||
		{ cat "$T/slaptest.log" >&2; pim_log "FAIL: slaptest"; return 99; }
}

# pim_tool CMD ARGS...: run an offline slap* tool on $T's configuration.
pim_tool() {
	ln -sf "$PIM_TOOL_MODULE" "$T/pim.so"
	"$@"
}

# pim_setup NAME [EXTRA_PIM_CONFIG_LINES]: a fresh directory for one test,
# and slapd started on it.
pim_setup() {
	local name=$1 extra=${2:-}
	[ -x "$PIM_SLAPD" ] || { pim_log "SKIP: no slapd at $PIM_SLAPD"; exit 77; }
	mkdir -p "$PIM_TOP_BUILDDIR/tests/tmp"
	T=$(mktemp -d "$PIM_TOP_BUILDDIR/tests/tmp/$name.XXXXXX")
	trap pim_teardown EXIT
	pim_prepare "$T" "$extra" || exit 99
	pim_start
}

# With PIM_SANITIZE=1 slapd gets the sanitizer runtimes preloaded, since
# it was not built with them; reports go to $T/asan.*.
pim_preload_env() {
	PIM_PRELOAD=""
	if [ "${PIM_SANITIZE:-0}" = 1 ]; then
		local asan ubsan
		asan=$(gcc -print-file-name=libasan.so)
		ubsan=$(gcc -print-file-name=libubsan.so)
		PIM_PRELOAD="LD_PRELOAD=$asan:$ubsan ASAN_OPTIONS=detect_leaks=0:log_path=$T/asan:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$T/ubsan"
	fi
}

pim_start() {
	local attempt
	for attempt in 1 2 3 4 5; do
		pim_start_once && return 0
		[ $? -eq 2 ] || break	# only a port clash is worth another try
	done
	pim_log "FAIL: slapd did not start"
	exit 99
}

# 0 started; 2 the port was taken meanwhile; 1 anything else.
pim_start_once() {
	local i mark
	PORT=${PIM_PORT:-$(pim_free_port)} || { pim_log "FAIL: no free port"; exit 99; }
	URI="ldap://127.0.0.1:$PORT/"
	mark=$( { wc -l < "$T/slapd.log"; } 2>/dev/null || echo 0 )
	ln -sf "$PIM_MODULE" "$T/pim.so"
	env $PIM_PRELOAD $(pim_valgrind_cmd) "$PIM_SLAPD" -h "$URI" -F "$T/slapd.d" -d stats >>"$T/slapd.log" 2>&1 &
	SLAPD_PID=$!
	for i in $(seq 1 $( [ "${PIM_VALGRIND:-0}" = 1 ] && echo 600 || echo 100 )); do
		if ldapsearch -x -H "$URI" -b "" -s base -LLL namingContexts >/dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 "$SLAPD_PID" 2>/dev/null; then
			wait "$SLAPD_PID" 2>/dev/null
			SLAPD_PID=""
			if tail -n +"$((mark + 1))" "$T/slapd.log" | grep -q "Address already in use"; then
				return 2
			fi
			tail -20 "$T/slapd.log" >&2
			pim_log "slapd exited at startup"
			return 1
		fi
		sleep 0.1
	done
	pim_log "slapd did not answer on $URI"
	return 1
}

pim_stop() {
	local i
	if [ -n "${SLAPD_PID:-}" ] && kill -0 "$SLAPD_PID" 2>/dev/null; then
		kill -TERM "$SLAPD_PID"
		for i in $(seq 1 100); do
			kill -0 "$SLAPD_PID" 2>/dev/null || break
			sleep 0.1
		done
		# slapd has shut its databases down by now; with a preloaded
		# sanitizer it may hang in an exit handler (see above)
		kill -KILL "$SLAPD_PID" 2>/dev/null || true
		wait "$SLAPD_PID" 2>/dev/null || true
	fi
	SLAPD_PID=""
}

pim_kill() {
	if [ -n "${SLAPD_PID:-}" ]; then
		kill -KILL "$SLAPD_PID" 2>/dev/null || true
		wait "$SLAPD_PID" 2>/dev/null || true
	fi
	SLAPD_PID=""
}

pim_valgrind_cmd() {
	[ "${PIM_VALGRIND:-0}" = 1 ] || return 0
	echo "valgrind --tool=memcheck --leak-check=full --error-limit=no --num-callers=30 --log-file=$T/valgrind.%p.log"
}

# Valgrind's errors in the module: a stack with a pim_ frame.  slapd's
# own reports (LMDB writes uninitialized padding by design) are not ours.
pim_valgrind_reports() {
	local f
	for f in "$T"/valgrind.*.log; do
		[ -f "$f" ] || continue
		awk '/^==[0-9]+== [A-Z].*(Invalid|uninitiali|definitely lost|Mismatched)/ { block = $0; keep = 0; next }
		     /^==[0-9]+==    (at|by) .* pim_/ { keep = 1 }
		     /^==[0-9]+== $/ { if ( keep && block != "" ) print FILENAME ": " block; block = ""; keep = 0 }' "$f"
	done
}

pim_sanitizer_reports() {
	ls "$T"/asan.* "$T"/ubsan.* 2>/dev/null
	pim_valgrind_reports
}

pim_teardown() {
	local rc=$?
	pim_stop
	if [ -n "$(pim_sanitizer_reports)" ]; then
		pim_log "FAIL: sanitizer or valgrind reports:"
		cat "$T"/asan.* "$T"/ubsan.* >&2 2>/dev/null
		pim_valgrind_reports >&2
		rc=1
	fi
	# A recorded failure fails the test even if the script went on to
	# exit 0; PIM_KEEP only keeps the directory, it never changes rc.
	[ $rc -eq 0 ] && [ "$PIM_FAILURES" -ne 0 ] && rc=1
	# Checks that could not run here make the test a SKIP, not a PASS.
	[ $rc -eq 0 ] && [ "$PIM_SKIPS" -ne 0 ] && rc=77
	if [ $rc -ne 0 ] || [ "${PIM_KEEP:-0}" = 1 ]; then
		pim_log "test directory kept: $T"
	else
		rm -rf "$T"
	fi
	exit $rc
}

# --- assertions -------------------------------------------------------

pass() { PIM_CHECKS=$((PIM_CHECKS + 1)); printf 'ok %d - %s\n' "$PIM_CHECKS" "$*"; }
# skip WHAT: checks that cannot run on this machine (a missing tool or
# module).  They are counted apart, never as passes, and the test ends
# with 77 (SKIP) unless something failed.  A test that cannot run at all
# exits 77 itself before pim_setup.
skip() { PIM_SKIPS=$((PIM_SKIPS + 1)); printf 'skip - %s\n' "$*"; pim_log "SKIP: $*"; }
fail() {
	PIM_CHECKS=$((PIM_CHECKS + 1)); PIM_FAILURES=$((PIM_FAILURES + 1))
	printf 'not ok %d - %s\n' "$PIM_CHECKS" "$*"
}

# expect_rc WANT DESCRIPTION CMD...   (output of CMD kept in $OUT)
expect_rc() {
	local want=$1 what=$2 got
	shift 2
	OUT=$("$@" 2>&1); got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$what (rc=$got)"
	else
		fail "$what: expected rc=$want, got rc=$got"
		printf '%s\n' "$OUT" | sed 's/^/#   /'
	fi
}

# expect_out REGEX DESCRIPTION   (matches the last $OUT)
expect_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then
		pass "$2"
	else
		fail "$2: output does not match /$1/"
		printf '%s\n' "$OUT" | sed 's/^/#   /'
	fi
}

# check WHAT WANT GOT: GOT is WANT
check() {
	if [ "$2" = "$3" ]; then pass "$1: $3"; else fail "$1: expected '$2', got '$3'"; fi
}

# refused CODE WHAT DIAG CMD...: CMD fails with CODE and a diagnostic
# matching DIAG, and the directory is what it was before (dir_snapshot)
refused() {
	local code=$1 what=$2 diag=$3 before
	shift 3
	before=$(dir_snapshot)
	expect_rc "$code" "$what" "$@"
	expect_out "$diag" "$what: diagnostic"
	[ "$before" = "$(dir_snapshot)" ] && pass "$what: nothing changed" ||
		fail "$what: the directory changed"
}

# is_member ROLE USER [ATTR]: TRUE or FALSE, as ldapcompare of ATTR
# (default member) on ROLE answers to the manager; ERROR otherwise
is_member() {
	as manager ldapcompare "$1" "${3:-member}:$2" >/dev/null 2>&1
	case $? in 6) echo TRUE ;; 5) echo FALSE ;; *) echo ERROR ;; esac
}

# has_member_of ROLE USER: TRUE or FALSE, as ldapcompare of memberOf:
# ROLE on USER answers to the manager (no memberOf at all, 16, is FALSE);
# ERROR otherwise
has_member_of() {
	as manager ldapcompare "$2" "memberOf:$1" >/dev/null 2>&1
	case $? in 6) echo TRUE ;; 5|16) echo FALSE ;; *) echo ERROR ;; esac
}

# wait_for SECONDS CMD...: poll every 0.1 s until CMD succeeds; 1 if it
# did not within SECONDS
wait_for() {
	local deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 ))
	shift
	until "$@"; do
		[ $(( $(date +%s%N) / 1000000 )) -ge $deadline ] && return 1
		sleep 0.1
	done
}

# wait_output SECONDS WANT CMD...: poll every 0.1 s until CMD prints WANT
# or SECONDS pass; prints CMD's last output
wait_output() {
	local secs=$1 want=$2 got deadline
	shift 2
	deadline=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while :; do
		got=$("$@")
		[ "$got" = "$want" ] && break
		[ $(( $(date +%s%N) / 1000000 )) -ge $deadline ] && break
		sleep 0.1
	done
	echo "$got"
}

pim_done() {
	printf '%d passed, %d failed' $((PIM_CHECKS - PIM_FAILURES)) "$PIM_FAILURES"
	[ "$PIM_SKIPS" -eq 0 ] && echo || printf ', %d skipped\n' "$PIM_SKIPS"
	[ "$PIM_FAILURES" -eq 0 ]
}

# --- small conversions ------------------------------------------------

gentime() { date -u -d "@$1" +%Y%m%d%H%M%SZ; }	# seconds -> GeneralizedTime
gt_epoch() {	# YYYYMMDDHHMMSSZ -> seconds since the epoch ("" -> 0)
	local g=$1
	[ -n "$g" ] || { echo 0; return; }
	date -u -d "${g:0:4}-${g:4:2}-${g:6:2} ${g:8:2}:${g:10:2}:${g:12:2}" +%s
}
lc() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# --- acting as somebody -----------------------------------------------

# as WHO CMD ARGS...: run an ldap-utils command or pimctl bound as WHO
# (manager, admin, demo, other, anon).
as() {
	local who=$1 cmd=$2
	shift 2
	case $who in
	manager) "$cmd" -x -H "$URI" -D "$MANAGER" -w "$MANAGER_PW" "$@" ;;
	admin)   "$cmd" -x -H "$URI" -D "$ADMIN" -w "$ADMIN_PW" "$@" ;;
	demo)    "$cmd" -x -H "$URI" -D "$DEMO" -w "$DEMO_PW" "$@" ;;
	other)   "$cmd" -x -H "$URI" -D "$OTHER" -w "$OTHER_PW" "$@" ;;
	config)  "$cmd" -x -H "$URI" -D "$CONFIG_DN" -w "$CONFIG_PW" "$@" ;;
	anon)    "$cmd" -x -H "$URI" "$@" ;;
	*) pim_log "as: unknown actor $who"; return 99 ;;
	esac
}

pimctl() { "$PIMCTL" -b "$BASE" "$@"; }

# The seed lab's test of privilege: may WHO create a user under ou=people?
# Prints the ldapadd exit code (0 yes, 50 insufficient access).
can_create_user() {
	local who=$1 uid=$2 rc
	as "$who" ldapadd >/dev/null 2>&1 <<LDIF
dn: uid=$uid,ou=people,$BASE
objectClass: inetOrgPerson
uid: $uid
cn: $uid
sn: $uid
LDIF
	rc=$?
	echo $rc
}

# add_user UID: a user uid=UID under ou=people, password UID-secret.
add_user() {
	as manager ldapadd >/dev/null <<LDIF
dn: uid=$1,ou=people,$BASE
objectClass: inetOrgPerson
uid: $1
cn: $1
sn: $1
userPassword: $1-secret
LDIF
}

# u UID: the DN of the user uid=UID (as add_user makes them)
u() { printf 'uid=%s,ou=people,%s' "$1" "$BASE"; }
# user UID CMD...: CMD bound as uid=UID, password UID-secret (add_user's)
user() {
	local who=$1 cmd=$2
	shift 2
	"$cmd" -x -H "$URI" -D "$(u "$who")" -w "$who-secret" "$@"
}

# Values of ATTR on DN, one per line (as the manager, so ACLs do not hide them).
attr_values() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$1" -s base "(objectClass=*)" "$2" |
		sed -n "s/^$2: //Ip"
}

# A fingerprint of the directory's user-visible content, to show that a
# refused request changed nothing.  The audit trail is left out: PIM
# records refusals there too, and that is not a change.  Entries are
# sorted: back-mdb's order changes as the database grows.
dir_snapshot() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$BASE" \
		"(!(|(objectClass=pimAuditRecord)(objectClass=pimAuditLog)))" '*' memberOf |
		grep -v -i '^\(modifyTimestamp\|modifiersName\|entryCSN\):' |
		awk -v RS= '{ gsub( /\n/, "\t" ); print }' | sort | md5sum
}

# --- the membership invariant (tests/integration/invariant.py) ----------

# invariant_dump FILE: the directory as the manager sees it, memberOf
# included: every activation, every PIM role and every entry with a
# memberOf value (the users).
invariant_dump() {
	as manager ldapsearch -LLL -o ldif-wrap=no -b "$BASE" \
		"(|(objectClass=pimActivation)(objectClass=pimRole)(objectClass=inetOrgPerson)(memberOf=*))" \
		objectClass member uniqueMember pimManagedMember memberOf pimPrincipal pimRoleDN \
		pimState pimStartTime pimEndTime > "$1"
}
# invariant_evaluate FILE: invariant.py's verdict on a dump taken just now
# (the placeholder member, $CONTAINER by default, is no membership).
invariant_evaluate() {
	python3 "$PIM_TOP_SRCDIR/tests/integration/invariant.py" "$1" "$(date +%s.%N)" \
		"$ROLE" "${PIM_PLACEHOLDER:-$CONTAINER}"
}
# check_invariant LABEL: the invariant in both directions, for every PIM
# role, as one check "invariant after LABEL".  Forward violations (a live
# activation lacks a value) count at once; reverse and stale ones may be
# a dump that caught the timer half way through an expiry, so they count
# only if a second look 1.2 s later still shows them (as crash.sh does).
# The violations are printed as comments; INVARIANT_STATS is set.
check_invariant() {
	local label=$1 v1 v2="" line key bad=0 lines=""
	invariant_dump "$T/invariant.dump1"; v1=$(invariant_evaluate "$T/invariant.dump1")
	if printf '%s\n' "$v1" | grep -q '^[RS]	'; then
		sleep 1.2
		invariant_dump "$T/invariant.dump2"; v2=$(invariant_evaluate "$T/invariant.dump2")
	fi
	while IFS= read -r line; do
		key=$(printf '%s' "$line" | cut -f1,2)
		case $line in
		F*) ;;
		R*|S*) printf '%s\n' "$v2" | cut -f1,2 | grep -qxF "$key" || continue ;;
		*) continue ;;
		esac
		bad=$((bad + 1))
		lines="$lines#   $(printf '%s' "$line" | cut -f3)
"
	done <<< "$v1"
	INVARIANT_STATS=$(printf '%s\n' "$v1" | sed -n 's/^stats //p')
	if [ -z "$INVARIANT_STATS" ]; then
		fail "invariant after $label: the checker gave no verdict"
		printf '%s\n' "$v1" | sed 's/^/#   /'
	elif [ "$bad" -eq 0 ]; then
		pass "invariant after $label ($INVARIANT_STATS)"
	else
		fail "invariant after $label: $bad violations ($INVARIANT_STATS)"
		printf '%s' "$lines"
	fi
}

# --- another configuration, the same data --------------------------------

# pim_reconfigure MODULES PRE-DB-FILE [EXTRA]: stop slapd and start it
# again on $T's data with a changed configuration: MODULES (a
# space-separated list such as "accesslog.la retcode.la") loaded after
# back_mdb, the slapd.conf text in the file PRE-DB-FILE ("" for none,
# such as another database) put before the main database, and the lines
# EXTRA appended after the pim overlay's (more overlays on the main
# database, above pim).  slapd.d is made afresh from $T/slapd.conf (the
# previous one is kept as slapd.conf.N), so online configuration changes
# are lost.  PRE-DB-FILE's databases must have their own (existing,
# empty) directories; they are created empty.
pim_reconfigure() {
	local mods=$1 pre=${2:-} extra=${3:-} n=1 suffix
	pim_stop
	while [ -e "$T/slapd.conf.$n" ]; do n=$((n + 1)); done
	cp "$T/slapd.conf" "$T/slapd.conf.$n"
	awk -v mods="$mods" -v pre="$pre" '
		/^database[ \t]+mdb/ && !done && pre != "" {
			while ( ( getline l < pre ) > 0 ) print l
			done = 1
		}
		{ print }
		/^moduleload[ \t]+back_mdb\.la/ {
			n = split( mods, m, " " )
			for ( i = 1; i <= n; i++ ) print "moduleload\t" m[i]
		}' "$T/slapd.conf.$n" > "$T/slapd.conf"
	printf '%s\n' "$extra" >> "$T/slapd.conf"
	rm -rf "$T/slapd.d"
	mkdir -p "$T/slapd.d"
	# the databases of PRE-DB-FILE: an empty slapadd creates their files
	# (slaptest does not open a database that has none)
	while IFS= read -r suffix; do
		[ -n "$suffix" ] || continue
		pim_tool "$SLAPADD" -f "$T/slapd.conf" -b "$suffix" -l /dev/null >"$T/slapadd.log" 2>&1 ||
			{ cat "$T/slapadd.log" >&2; pim_log "FAIL: slapadd cannot create $suffix"; return 99; }
	done <<< "$( [ -n "$pre" ] && sed -n 's/^suffix[ \t]*"\{0,1\}\([^"]*\)"\{0,1\}[ \t]*$/\1/p' "$pre" )"
	pim_tool "$SLAPTEST" -f "$T/slapd.conf" -F "$T/slapd.d" >"$T/slaptest.log" 2>&1 ||
		{ cat "$T/slaptest.log" >&2; pim_log "FAIL: slaptest on the new configuration"; return 99; }
	pim_start
}
