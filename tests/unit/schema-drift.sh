#!/bin/sh
# schema-drift.sh - fail when schema/pim.schema or schema/pim.ldif differ
# from what schema/gen_schema prints from overlay/pim_schema_defs.h.
#
# Run by "make check" with PIM_TOP_SRCDIR and PIM_TOP_BUILDDIR set.
set -u

srcdir=${PIM_TOP_SRCDIR:-.}
builddir=${PIM_TOP_BUILDDIR:-.}
gen=$builddir/schema/gen_schema

if [ ! -x "$gen" ]; then
	echo "schema-drift: $gen not built" >&2
	exit 99		# hard error, not a drift
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pim-schema.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

status=0
for fmt in schema ldif; do
	shipped=$srcdir/schema/pim.$fmt
	if ! "$gen" "$fmt" > "$tmp/pim.$fmt"; then
		echo "schema-drift: $gen $fmt failed" >&2
		exit 99
	fi
	if [ ! -f "$shipped" ]; then
		echo "schema-drift: $shipped is missing" >&2
		status=1
	elif ! diff -u "$shipped" "$tmp/pim.$fmt"; then
		echo "schema-drift: $shipped is out of date with" \
			"overlay/pim_schema_defs.h." >&2
		echo "schema-drift: regenerate it with:" \
			"schema/gen_schema $fmt > schema/pim.$fmt" >&2
		status=1
	fi
done

[ "$status" -eq 0 ] && echo "schema-drift: pim.schema and pim.ldif match overlay/pim_schema_defs.h"
exit "$status"
