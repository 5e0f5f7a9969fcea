#!/bin/bash
# heap-mem.sh N MODULE-A [MODULE-B] - the memory figure of make bench's
# step 6 (tests/bench/run.sh) for one or two builds of the module, without
# the rest of the bench: N users, each eligible and holding an active
# activation (roles of 1,000), loaded offline as run.sh loads them, and
# the same users and eligibility with no activation; each module starts
# on a fresh copy of each, and once its startup is done (the "pim:
# reconciled" line, then slapd's CPU time still for 3 s: the expiry
# warnings are scheduled after the reconciliation) its VmRSS and RssAnon
# are read.  Printed per module: both servers' figures and the difference
# per activation, "B/act." (VmRSS, run.sh's "B/activation") and
# "anon/act" (RssAnon, run.sh's "anon B/act.": the overlay's memory and
# slapd's, with what malloc keeps after a free; back-mdb's pages are the
# file-backed rest), and with gdb "live/act": the bytes malloc has out.
#
# Unlike run.sh, the activations end 2 hours after the load, so that each
# has its expiry warning (pim-expiry-warning 15m) as well as its end on
# the timer heap, as a real activation of more than 15 minutes does; and
# their identifiers are UUID-shaped ("a0000001-0000-1000-8000-
# 000000000000", as PIM's and run.sh's are) unless PIM_HEAP_MEM_IDS=bench
# shortens them to "a0000001" (the timer then keeps each DN as a copy).
#   bash tests/bench/heap-mem.sh 100000 /tmp/old/pim.so overlay/.libs/pim.so
. "$(dirname "$0")/bench-lib.sh"
N=${1:?N}; RSIZE=${PIM_BENCH_ROLE_SIZE:-1000}
shift
MODULES=()
for m in "$@"; do MODULES+=("$(readlink -f "$m")"); done
[ ${#MODULES[@]} -ge 1 ] || { echo "usage: $0 N MODULE-A [MODULE-B]" >&2; exit 2; }
BENCH_START=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
mkdir -p "$PIM_TOP_BUILDDIR/tests/tmp"
W=$(mktemp -d "$PIM_TOP_BUILDDIR/tests/tmp/heap-mem.XXXXXX")
trap 'bench_stop_all 2>/dev/null; rm -rf "$W"' EXIT

# load DIR ACTIVE: the directory, as run.sh's load_pim and
# measure_baseline load it
load() {
	local dir=$1 active=$2
	bench_prepare "$dir" pim || return 1
	bench_load "$dir" "$PIM_TOP_SRCDIR/tests/data/demo.ldif" || return 1
	bench_gen base "$N" "$RSIZE" "" "$active" > "$W/base.ldif" &&
		bench_load "$dir" "$W/base.ldif" || return 1
	rm -f "$W/base.ldif"
	[ "$active" = 1 ] || return 0
	bench_gen act "$N" "$RSIZE" "$(date -u -d "@$(( $(date +%s) + 7200 ))" +%Y%m%d%H%M%SZ)" |
	if [ "${PIM_HEAP_MEM_IDS:-uuid}" = bench ]; then
		sed -E 's/^(dn: pimId=|pimId: )a([0-9]{7})-0000-1000-8000-0{12}/\1a\2/'
	else
		cat
	fi > "$W/act.ldif"
	bench_load "$dir" "$W/act.ldif" || return 1
	rm -f "$W/act.ldif"
}

# cputime PID: utime + stime, in clock ticks
cputime() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# inuse PID LOG: the bytes malloc has handed out and not had back (glibc's
# malloc_stats, "in use", all arenas and mmap'ed blocks), through gdb;
# "-" without gdb.  RssAnon keeps what was freed (the reconciliation's
# lists, the warnings' scan): this is the live figure.
inuse() {
	command -v gdb >/dev/null || { echo -; return; }
	gdb -p "$1" -batch -ex 'call (void)malloc_stats()' >/dev/null 2>&1
	sleep 0.5
	awk '/^Total \(incl. mmap\):/ { t = 1 } t && /^in use bytes/ { v = $NF } END { print v == "" ? "-" : v }' "$2"
}

# measure MODULE DB: "rss anon inuse" of slapd with MODULE on a copy of DB,
# once its startup is done
measure() {
	local dir=$W/run pid c0 c1 i
	rm -rf "$dir"; mkdir -p "$dir"
	cp "$W/$2/slapd.conf" "$dir/slapd.conf"
	sed -i "s|$W/$2|$dir|g" "$dir/slapd.conf"
	cp -a --sparse=always "$W/$2/db" "$dir/db"
	PIM_MODULE=$1 bench_start "$dir" >&2 || return 1
	pid=$(cat "$dir/pid")
	bench_wait_reconciled "$dir" >/dev/null || { pim_log "heap-mem: no reconciliation"; return 1; }
	c0=$(cputime "$pid")
	for i in $(seq 1 300); do
		sleep 3
		c1=$(cputime "$pid")
		[ "$c1" = "$c0" ] && break
		c0=$c1
	done
	grep -m1 'pim: reconciled' "$dir/slapd.log" | cut -d: -f3- | sed 's/^/  /' >&2
	echo "$(bench_rss "$pid") $(inuse "$pid" "$dir/slapd.log")"
	bench_stop "$dir"
	rm -rf "$dir"
}

load "$W/active" 1 || exit 1
load "$W/zero" 0 || exit 1
printf '%-44s %9s %9s %9s %9s %7s %7s %12s %12s %7s\n' module rss-act anon-act \
	rss-zero anon-zero B/act. anon/act inuse-act inuse-zero live/act
for m in "${MODULES[@]}"; do
	read -r ra aa ia <<<"$(measure "$m" active)" || exit 1
	read -r rz az iz <<<"$(measure "$m" zero)" || exit 1
	[ -n "$ra" ] && [ -n "$rz" ] || exit 1
	live=-
	[ "$ia" != - ] && [ "$iz" != - ] && live=$(( (ia - iz) / N ))
	printf '%-44s %9s %9s %9s %9s %7d %7d %12s %12s %7s\n' "$m" "$ra" "$aa" "$rz" "$az" \
		$(( (ra - rz) * 1024 / N )) $(( (aa - az) * 1024 / N )) "$ia" "$iz" "$live"
done
echo "(rss, anon: KiB, VmRSS and RssAnon; inuse: bytes; per activation: bytes)"
