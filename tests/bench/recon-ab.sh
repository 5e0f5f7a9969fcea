#!/bin/bash
# recon-ab.sh N MODULE-A MODULE-B - the startup reconciliation of two
# builds of the module on the same database: N users, each eligible and
# holding an active activation (roles of 1,000), loaded offline as
# "make bench" loads them; each module starts on a fresh copy twice,
# alternately, and the time from start to the "pim: reconciled" line is
# printed with that line.  For comparing a change against the build
# before it (make bench measures one build against plain slapd).
#   bash tests/bench/recon-ab.sh 100000 /tmp/old/pim.so overlay/.libs/pim.so
. "$(dirname "$0")/bench-lib.sh"
N=${1:?N}; A=$(readlink -f "${2:?MODULE-A}"); B=$(readlink -f "${3:?MODULE-B}"); RSIZE=${PIM_BENCH_ROLE_SIZE:-1000}
BENCH_START=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
mkdir -p "$PIM_TOP_BUILDDIR/tests/tmp"
W=$(mktemp -d "$PIM_TOP_BUILDDIR/tests/tmp/recon-ab.XXXXXX")
trap 'bench_stop_all 2>/dev/null; rm -rf "$W"' EXIT
dir=$W/pim
bench_prepare "$dir" pim || exit 1
bench_load "$dir" "$PIM_TOP_SRCDIR/tests/data/demo.ldif" || exit 1
bench_gen base "$N" "$RSIZE" > "$W/base.ldif" && bench_load "$dir" "$W/base.ldif" || exit 1
bench_gen act "$N" "$RSIZE" "$(date -u -d "@$(( $(date +%s) + 3600 ))" +%Y%m%d%H%M%SZ)" > "$W/act.ldif" &&
	bench_load "$dir" "$W/act.ldif" || exit 1
rm -f "$W/base.ldif" "$W/act.ldif"
cp -a "$dir/db" "$W/db0"
for m in "$A" "$B" "$A" "$B"; do
	rm -rf "$dir/db"; cp -a "$W/db0" "$dir/db"; : > "$dir/slapd.log"
	t0=$(date +%s.%N)
	PIM_MODULE=$m bench_start "$dir" || exit 1
	rt=$(bench_wait_reconciled "$dir") || exit 1
	printf 'module=%s n=%s secs=%s%s\n' "$m" "$N" "$(echo "$rt - $t0" | bc)" \
		"$(grep -m1 'pim: reconciled' "$dir/slapd.log" | cut -d: -f3-)"
	bench_stop "$dir"
done
