#!/bin/bash
# run.sh - "make bench": start a slapd with the overlay and the demo
# directory (as the tests do) and run pim_bench against it.
. "$(dirname "$0")/../integration/lib.sh"
pim_setup bench
# stats logging costs both sides alike; keep it, as a real server would
"$PIM_TOP_BUILDDIR/tests/bench/pim_bench" -H "$URI" -n "${PIM_BENCH_ROUNDS:-500}"
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
