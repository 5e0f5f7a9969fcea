# bench-lib.sh - servers for "make bench" (tests/bench/run.sh).
#
# Built on tests/integration/lib.sh (module paths, free ports, the
# slapd.conf template), but a benchmark needs what a test does not:
# several servers at once, a directory loaded offline at scale, a
# variant of the configuration without the overlay, and a larger map.
#
# A server is a directory: bench_prepare DIR pim|plain writes its
# slapd.conf, bench_load adds LDIF to its database, bench_start starts
# it (URI and PID in DIR/uri and DIR/slapd.pid, log in DIR/slapd.log).

. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

BENCH_DIR=$(dirname "${BASH_SOURCE[0]}")
BENCH_SERVERS=""
# The expiry of a loaded activation (pimId a0000000-0000-1000-8000-...)
# in the stats log; older overlays name it activation="pimId=a...",
# newer ones id=a...
BENCH_EXPIRED_RE='pim: expired .*(activation="pimId=a| id=a[0-9]{7}(-0000-1000-8000-0{12})?( |$))'
# 100,000 activations with their users and eligibility take about
# 400 MB; the template's 1 GiB is too tight once they all change.
BENCH_MAXSIZE=${PIM_BENCH_MAXSIZE:-8589934592}

# bench_prepare DIR pim|plain|dds: the template's configuration; "plain"
# is the same without the "overlay pim" section (the file's last lines),
# so that the module is still loaded for the schema the data uses; "dds"
# is plain with slapo-dds instead.
bench_prepare() {
	local dir=$1 kind=$2
	mkdir -p "$dir/db"
	ln -sf "$PIM_TOOL_MODULE" "$dir/pim.so"
	sed -e "s|@DIR@|$dir|g" -e "s|@MODULE@|$dir/pim.so|g" -e "s|@PIMCONF@||" \
	    -e "s|^maxsize.*|maxsize		$BENCH_MAXSIZE|" \
	    "$PIM_TOP_SRCDIR/tests/data/slapd.conf.in" > "$dir/slapd.conf"
	if [ "$kind" = plain ] || [ "$kind" = dds ]; then
		sed -i -e '/^overlay[[:space:]]*pim/,$d' "$dir/slapd.conf"
	fi
	# slapo-dds at its smallest interval (1 s; it warns below 60 s),
	# its expiry search indexed as its manual page advises
	if [ "$kind" = dds ]; then
		sed -i -e "s|^#@MODULES@\$|moduleload	dds.la|" "$dir/slapd.conf"
		printf '%s\n' "index		entryExpireTimestamp eq" "overlay		dds" \
			"dds-interval	1s" "dds-max-ttl	1d" >> "$dir/slapd.conf"
	fi
	bench_conf_extra "$dir/slapd.conf" || return 1
	grep -q '^overlay[[:space:]]*pim' "$dir/slapd.conf" && [ "$kind" != pim ] &&
		{ pim_log "bench: plain configuration still has an overlay"; return 1; }
	return 0
}

# A/B knobs (groups-ab.sh): PIM_BENCH_GLOBAL_CONF replaces the
# template's global "index_hash64" and "sortvals" lines (or goes before
# the first database, after the modules; empty: neither),
# PIM_BENCH_DB_CONF is added to the database's section after its
# "directory" line; "\n" separates lines in both.
bench_conf_extra() {
	local f=$1
	if [ -n "${PIM_BENCH_GLOBAL_CONF+set}" ]; then
		awk -v x="$PIM_BENCH_GLOBAL_CONF" '
			/^(sortvals|index_hash64)[[:space:]]/ { if ( !done && x != "" ) print x; done = 1; next }
			/^database[[:space:]]/ && !done { if ( x != "" ) print x; done = 1 }
			{ print }' "$f" > "$f.new" && mv "$f.new" "$f" || return 1
	fi
	if [ -n "${PIM_BENCH_DB_CONF:-}" ]; then
		awk -v x="$PIM_BENCH_DB_CONF" '
			{ print }
			/^directory[[:space:]]/ { print x }' "$f" > "$f.new" &&
			mv "$f.new" "$f" || return 1
	fi
}

# bench_load DIR FILE: slapadd (quick mode: the generator's LDIF is
# consistent by construction).
bench_load() {
	ln -sf "$PIM_TOOL_MODULE" "$1/pim.so"
	"$SLAPADD" -q -f "$1/slapd.conf" -b "$BASE" -l "$2" >>"$1/slapadd.log" 2>&1 ||
		{ cat "$1/slapadd.log" >&2; pim_log "bench: slapadd $2 failed"; return 1; }
}

# bench_gen PART N RSIZE [END [ACTIVE [TTL]]] > LDIF (see gen-ldif.awk)
bench_gen() {
	awk -v part="$1" -v n="$2" -v rsize="$3" -v start="$BENCH_START" \
	    -v end="${4:-}" -v active="${5:-1}" -v ttl="${6:-0}" -f "$BENCH_DIR/gen-ldif.awk"
}

# bench_start DIR: slapd on a free loopback port, as lib.sh starts it.
bench_start() {
	local dir=$1 i port uri pid
	for i in 1 2 3 4 5; do
		port=$(pim_free_port) || return 1
		uri="ldap://127.0.0.1:$port/"
		ln -sf "$PIM_MODULE" "$dir/pim.so"
		"$PIM_SLAPD" -h "$uri" -f "$dir/slapd.conf" -d stats >>"$dir/slapd.log" 2>&1 &
		pid=$!
		BENCH_SERVERS="$BENCH_SERVERS $pid"
		if bench_wait_up "$uri" "$pid"; then
			echo "$uri" > "$dir/uri"
			echo "$pid" > "$dir/pid"
			return 0
		fi
	done
	pim_log "bench: slapd in $dir did not start"
	tail -5 "$dir/slapd.log" >&2
	return 1
}

bench_wait_up() {
	local i
	for i in $(seq 1 600); do
		ldapsearch -x -H "$1" -b "" -s base -LLL namingContexts >/dev/null 2>&1 && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# bench_stop DIR
bench_stop() {
	local pid i
	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$1/pid"
}

bench_stop_all() {
	local pid
	for pid in $BENCH_SERVERS; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $BENCH_SERVERS; do
		wait "$pid" 2>/dev/null || true
	done
	BENCH_SERVERS=""
}

# bench_wait_reconciled DIR: wait for the startup reconciliation's log
# line; prints its log time.
bench_wait_reconciled() {
	local i line
	for i in $(seq 1 6000); do
		line=$(grep -m1 'pim: reconciled' "$1/slapd.log" 2>/dev/null) &&
			{ bench_logtime "${line%% *}"; return 0; }
		sleep 0.1
	done
	return 1
}

# bench_logtime HEXSEC.HEXFRAC: a slapd log time stamp as decimal
# seconds (the fraction is nanoseconds when 8 hex digits, microseconds
# when 5).
bench_logtime() {
	local sec=${1%%.*} frac=${1#*.}
	if [ ${#frac} -ge 8 ]; then
		printf '%d.%09d\n' "0x$sec" "0x$frac"
	else
		printf '%d.%06d\n' "0x$sec" "0x$frac"
	fi
}

# bench_rss PID: "VmRSS RssAnon" in KiB.
bench_rss() {
	awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } END { print r, a }' \
		"/proc/$1/status"
}

# bench_expired_count DIR: how many of the loaded activations
# (pimId=a...) the timer has expired so far.
bench_expired_count() {
	grep -Ec "$BENCH_EXPIRED_RE" "$1/slapd.log" || true
}
