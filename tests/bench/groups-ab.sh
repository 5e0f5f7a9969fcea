#!/bin/bash
# groups-ab.sh N VARIANT... - writes to 1,000-member groups under
# configurations that differ in how back-mdb keeps their values: for
# each variant, the directory of N users (each eligible and active,
# roles of 1,000, as "make bench" loads it) loaded afresh under that
# configuration, then one client activating and deactivating, and adding
# itself to and deleting itself from "bench plain group" (1,000 static
# members), PIM_BENCH_SECONDS per side.  A variant is
#   NAME|GLOBAL|DATABASE
# GLOBAL replaces the template's global index_hash64 and sortvals lines
# (empty: neither, slapd's defaults), DATABASE is added to the mdb
# section ("\n" between lines), e.g.
#   bash tests/bench/groups-ab.sh 100000 'none||' 'hash64|index_hash64 on|' \
#	'hash64+sortvals|index_hash64 on\nsortvals member memberOf pimManagedMember|'
# Prints one line per variant and operation: p50 and p99 in ms.  Run it
# with nothing else busy; each variant at 100,000 takes about 40 s.
. "$(dirname "$0")/bench-lib.sh"
N=${1:?N}; shift
RSIZE=${PIM_BENCH_ROLE_SIZE:-1000}
SECS=${PIM_BENCH_SECONDS:-6}
PIM_BENCH=$PIM_TOP_BUILDDIR/tests/bench/pim_bench
BENCH_START=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
mkdir -p "$PIM_TOP_BUILDDIR/tests/tmp"
W=$(mktemp -d "$PIM_TOP_BUILDDIR/tests/tmp/groups-ab.XXXXXX")
trap 'bench_stop_all 2>/dev/null; [ "${PIM_KEEP:-0}" = 1 ] || rm -rf "$W"' EXIT
bench_gen base "$N" "$RSIZE" > "$W/base.ldif" || exit 1
bench_gen act "$N" "$RSIZE" "$(date -u -d '+1 day' +%Y%m%d%H%M%SZ)" > "$W/act.ldif" || exit 1
for v in "$@"; do
	IFS='|' read -r name global db <<<"$v"
	dir=$W/$name
	PIM_BENCH_GLOBAL_CONF=$global PIM_BENCH_DB_CONF=$db bench_prepare "$dir" pim || exit 1
	t0=$(date +%s.%N)
	for f in "$PIM_TOP_SRCDIR/tests/data/demo.ldif" "$W/base.ldif" "$W/act.ldif"; do
		bench_load "$dir" "$f" || exit 1
	done
	t1=$(date +%s.%N)
	bench_start "$dir" || exit 1
	bench_wait_reconciled "$dir" >/dev/null || exit 1
	uri=$(cat "$dir/uri")
	"$PIM_BENCH" setup -H "$uri" -c 1 || exit 1
	"$PIM_BENCH" write -H "$uri" -c 1 -t "$SECS" | sed -n 's/^RESULT //p' |
		awk -v name="$name" -v n="$N" -v load="$(echo "$t1 - $t0" | bc)" '
		{ for ( i = 1; i <= NF; i++ ) { split( $i, kv, "=" ); f[kv[1]] = kv[2] }
		  printf "variant=%s n=%s %-14s p50=%.2f p99=%.2f ms  ops=%s (load %.0f s)\n",
			name, n, f["what"], f["p50"] / 1000, f["p99"] / 1000, f["ops"], load }'
	echo "variant=$name db=$(du -sm "$dir/db" | cut -f1) MB"
	bench_stop "$dir"
	[ "${PIM_KEEP:-0}" = 1 ] || rm -rf "$dir"
done
