#!/bin/sh
# run.sh - run the libFuzzer targets built by tests/fuzz/local.mk.
#
#   run.sh [short]   make check: per target, FUZZ_RUNS inputs in all:
#                    the seed corpus, then generated ones (fixed seed:
#                    the same inputs every time).  Exit 77 (skip) when the
#                    targets were not built: no clang with libFuzzer.
#   run.sh long      make fuzz: per target, fuzz for FUZZ_SECONDS, keeping
#                    what it learns in tests/fuzz/work/<target> (build
#                    tree) for the next run.
#
# Any crash, leak, sanitizer report, timeout or broken invariant fails the
# run (exit 1); libFuzzer leaves the input in tests/fuzz/crashes/.  To
# make it a regression test, copy it to tests/fuzz/corpus/<target>/ as
# crash-<what> (and, for a logic bug, add a Check unit test).
#
# Environment: PIM_TOP_SRCDIR, PIM_TOP_BUILDDIR (set by make),
# FUZZ_RUNS (short, default 200000), FUZZ_SECONDS (long, default 60),
# FUZZ_TARGETS (default: all four), FUZZ_ARGS (more libFuzzer options).
set -u

mode=${1:-short}
srcdir=${PIM_TOP_SRCDIR:-.}
builddir=${PIM_TOP_BUILDDIR:-.}
targets=${FUZZ_TARGETS:-fuzz_request fuzz_response fuzz_time fuzz_policy}
runs=${FUZZ_RUNS:-200000}
seconds=${FUZZ_SECONDS:-60}
bindir=$builddir/tests/fuzz
crashdir=$bindir/crashes

case $mode in
short|long) ;;
*)	echo "usage: run.sh [short|long]" >&2; exit 2 ;;
esac

missing=
for t in $targets; do
	[ -x "$bindir/$t" ] || missing="$missing $t"
done
if [ -n "$missing" ]; then
	echo "fuzz: not built:$missing (make found no clang that links" \
		"-fsanitize=fuzzer; on Debian: apt-get install clang" \
		"libclang-rt-14-dev, or make FUZZ_CC=...)"
	# Skipped in make check; an explicit make fuzz must not pass quietly.
	[ "$mode" = short ] && exit 77
	exit 1
fi

# Largest input worth trying, per target: a request may carry a
# justification of 8 KiB; times and policy lines are short.
max_len() {
	case $1 in
	fuzz_request|fuzz_response) echo 12000 ;;
	*) echo 512 ;;
	esac
}

# Inputs a libFuzzer run executed, seeds included (-print_final_stats).
executed() {
	sed -n 's/^stat::number_of_executed_units: *//p' "$1"
}

# Coverage at the end of a run: "cov: 212 ft: 582 corp: 122/9283b".
coverage() {
	sed -n 's/^#[0-9]*.*\(cov: [0-9]* ft: [0-9]* corp: [0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' \
		"$1" | tail -n 1
}

mkdir -p "$crashdir" || exit 99
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pim-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

status=0
start_all=$(date +%s)
for t in $targets; do
	seeds=$srcdir/tests/fuzz/corpus/$t
	nseeds=$(ls "$seeds" 2>/dev/null | wc -l)
	# libFuzzer writes new inputs into the first directory only: a
	# scratch one in short mode (the source tree stays untouched, and
	# may be read-only), the kept work directory in long mode.
	if [ "$mode" = short ]; then
		out=$tmp/$t
		limit="-runs=$runs -seed=1"
	else
		out=$bindir/work/$t
		limit="-max_total_time=$seconds"
	fi
	mkdir -p "$out" || exit 99
	log=$tmp/$t.log
	start=$(date +%s%N)
	# -error_exitcode: libFuzzer's default, 77, would read as "skipped".
	"$bindir/$t" $limit -max_len=$(max_len "$t") -timeout=10 \
		-rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1 \
		-use_value_profile=1 -print_final_stats=1 \
		-artifact_prefix="$crashdir/$t-" ${FUZZ_ARGS:-} \
		"$out" "$seeds" > "$log" 2>&1
	rc=$?
	ms=$(( ( $(date +%s%N) - start ) / 1000000 + 1 ))
	n=$(executed "$log")
	secs=$(( ms / 1000 )).$(( ms % 1000 / 100 ))
	if [ $rc -eq 0 ]; then
		echo "fuzz: $t: PASS: ${n:-?} inputs ($nseeds seeds, then" \
			"generated ones) in ${secs}s ($(( ${n:-0} * 1000 / ms )) exec/s;" \
			"$(coverage "$log"))"
	else
		status=1
		echo "fuzz: $t: FAIL (exit $rc) after ${secs}s; libFuzzer said:"
		grep -v '^#[0-9]' "$log" | tail -n 60
		echo "fuzz: $t: the input is in $crashdir/"
	fi
done
rmdir "$crashdir" 2>/dev/null	# only kept when it holds something
echo "fuzz: $mode run of $(echo $targets | wc -w) targets took" \
	"$(( $(date +%s) - start_all ))s"
exit $status
