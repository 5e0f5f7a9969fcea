#!/bin/bash
# The schema the running module registers is the schema we ship.
#
# Reads cn=Subschema from a slapd with the module loaded, takes every
# attribute type and object class under the project arc (except the
# cn=config ones, .5 and .6, which belong to the module and are not
# shipped), and compares them, both ways, with schema/pim.schema and
# schema/pim.ldif.  Whitespace and the quoting of a SYNTAX OID are
# normalized; anything else (a name, a syntax, a matching rule, a MAY
# list) is a difference.  The comparison is first shown to catch such
# changes on edited copies of pim.schema, so that a pass means something.
# Also checks that the root DSE advertises the four extended operations.
. "$(dirname "$0")/lib.sh"
pim_setup schema

ARC=2.25.303586913736191762808327319970460715176
SHIPPED_SCHEMA=$PIM_TOP_SRCDIR/schema/pim.schema
SHIPPED_LDIF=$PIM_TOP_SRCDIR/schema/pim.ldif

# normalize: one definition per input line, "AT ( ..." or "OC ( ...".
# Splits into tokens: '(' ')' '$', quoted strings (kept verbatim), bare
# words; prints them separated by one space.  A quoted SYNTAX OID loses
# its quotes (slapd may print either).
normalize() {
	awk '
	{
		line = $0; n = 0; i = 1; L = length(line)
		while (i <= L) {
			c = substr(line, i, 1)
			if (c ~ /[ \t]/) { i++; continue }
			if (c == "(" || c == ")" || c == "$") { tok[++n] = c; i++; continue }
			if (c == "\047") {
				j = index(substr(line, i + 1), "\047")
				if (j == 0) { tok[++n] = substr(line, i); break }
				tok[++n] = substr(line, i, j + 1); i += j + 1; continue
			}
			j = i
			while (j <= L && substr(line, j, 1) !~ /[ \t()$\047]/) j++
			tok[++n] = substr(line, i, j - i); i = j
		}
		out = ""
		for (k = 1; k <= n; k++) {
			t = tok[k]
			if (k > 1 && tok[k - 1] == "SYNTAX" && t ~ /^\047[0-9.{}]+\047$/)
				t = substr(t, 2, length(t) - 2)
			out = out (k > 1 ? " " : "") t
		}
		print out
	}'
}

# Definitions of a slapd.conf-style schema file, joined, one per line.
defs_from_schema_file() {
	awk '
	function flush() { if (def != "") print def; def = "" }
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { flush(); next }
	/^[ \t]/ { sub(/^[ \t]+/, ""); def = def " " $0; next }
	{
		flush()
		kw = tolower($1)
		if (kw == "attributetype" || kw == "attributetypes") { sub(/^[^ \t]+[ \t]*/, ""); def = "AT " $0 }
		else if (kw == "objectclass" || kw == "objectclasses") { sub(/^[^ \t]+[ \t]*/, ""); def = "OC " $0 }
		else { print "UNPARSED " $0 }
	}
	END { flush() }' "$1" | normalize | sort
}

# Definitions of an LDIF schema entry (olcAttributeTypes/olcObjectClasses).
defs_from_ldif_file() {
	awk '
	/^#/ { next }
	/^ / { cur = cur substr($0, 2); next }
	{ if (cur != "") print cur; cur = $0 }
	END { if (cur != "") print cur }' "$1" |
	sed -n -e 's/^olcAttributeTypes: *\({[0-9]*}\)\{0,1\}/AT /Ip' \
	       -e 's/^olcObjectClasses: *\({[0-9]*}\)\{0,1\}/OC /Ip' |
	normalize | sort
}

# The arc's definitions in cn=Subschema, minus the cn=config sub-arcs.
defs_from_subschema() {
	ldapsearch -x -H "$URI" -b cn=Subschema -s base '(objectClass=*)' \
		attributeTypes objectClasses -o ldif-wrap=no -LLL |
	sed -n -e 's/^attributeTypes: /AT /p' -e 's/^objectClasses: /OC /p' |
	normalize | grep -F "( $ARC." | grep -v -E "^(AT|OC) \( $ARC\.(5|6)\." | sort
}

# same_defs A B: 0 when the files hold the same definitions; otherwise
# prints the first difference (by OID) and returns 1.
same_defs() {
	local a=$1 b=$2 line oid other
	DIFF=""
	while IFS= read -r line; do
		grep -qxF -- "$line" "$b" && continue
		oid=$(printf '%s\n' "$line" | awk '{print $3}')
		other=$(awk -v o="$oid" '$3 == o' "$b" | head -1)
		if [ -n "$other" ]; then
			DIFF="$oid differs: [$line] vs [$other]"
		else
			DIFF="$oid only on one side: [$line]"
		fi
		return 1
	done < "$a"
	while IFS= read -r line; do
		grep -qxF -- "$line" "$a" && continue
		oid=$(printf '%s\n' "$line" | awk '{print $3}')
		DIFF="$oid only on one side: [$line]"
		return 1
	done < "$b"
	return 0
}

defs_from_subschema > "$T/registered"
nat=$(grep -c '^AT ' "$T/registered"); noc=$(grep -c '^OC ' "$T/registered")
if [ "$nat" -gt 0 ] && [ "$noc" -gt 0 ] &&
	grep -q "^OC ( $ARC\.2\.1 NAME 'pimRole' " "$T/registered" &&
	grep -q "^OC ( $ARC\.2\.2 NAME 'pimEligibility' " "$T/registered" &&
	grep -q "^OC ( $ARC\.2\.3 NAME 'pimActivation' " "$T/registered"; then
	pass "cn=Subschema has $nat PIM attribute types and $noc PIM object classes"
else
	fail "PIM definitions missing from cn=Subschema ($nat attribute types, $noc object classes)"
	sed 's/^/#   /' "$T/registered"
fi
grep -q "^OC ( $ARC\.6\.1 NAME 'olcPimConfig'" <(ldapsearch -x -H "$URI" -b cn=Subschema -s base \
	'(objectClass=*)' objectClasses -o ldif-wrap=no -LLL | sed -n 's/^objectClasses: /OC /p' | normalize) &&
	pass "olcPimConfig (the cn=config class, not shipped) is registered too" ||
	fail "olcPimConfig missing from cn=Subschema"

# --- the comparison must catch real differences ------------------------
# (edited copies live in the test directory; the shipped file is untouched)
if [ -f "$SHIPPED_SCHEMA" ]; then
	defs_from_schema_file "$SHIPPED_SCHEMA" > "$T/shipped.norm"
	mutant() {	# mutant DESCRIPTION SED-EXPRESSION
		local what=$1 expr=$2
		sed -e "$expr" "$SHIPPED_SCHEMA" > "$T/mutant.schema"
		if cmp -s "$T/mutant.schema" "$SHIPPED_SCHEMA"; then
			fail "self-test: the edit for '$what' changed nothing in the copy"
			return
		fi
		defs_from_schema_file "$T/mutant.schema" > "$T/mutant.norm"
		if same_defs "$T/mutant.norm" "$T/shipped.norm"; then
			fail "self-test: comparison misses $what"
		else
			pass "self-test: comparison catches $what (${DIFF%%:*})"
		fi
	}
	mutant "a renamed attribute type" "s/NAME 'pimRoleDN'/NAME 'pimRoleName'/"
	mutant "a changed syntax" "/NAME 'pimId'/,/)/s/1\.3\.6\.1\.4\.1\.1466\.115\.121\.1\.26/1.3.6.1.4.1.1466.115.121.1.15/"
	mutant "a changed matching rule" "s/EQUALITY caseIgnoreIA5Match/EQUALITY caseExactIA5Match/"
	mutant "a dropped ORDERING" "/NAME 'pimEndTime'/,/)/{/ORDERING/d}"
	mutant "SINGLE-VALUE dropped" "/NAME 'pimPrincipal'/,/)/s/ SINGLE-VALUE//"
	mutant "a changed MAY list" "s/MAY ( pimStartTime \\\$ pimEndTime/MAY ( pimStartTime/"
	mutant "a changed object class kind" "s/SUP top AUXILIARY/SUP top STRUCTURAL/"
	mutant "a missing definition" "/^attributetype ( $ARC\.1\.16\$/,/^\$/d"
	# ...and is not fooled by layout: the same definitions refolded
	awk '/^[ \t]/ { sub(/^[ \t]+/, ""); printf "   %s", $0; next } NR > 1 { print "" } { printf "%s", $0 } END { print "" }' \
		"$SHIPPED_SCHEMA" | sed "s/SYNTAX \([0-9.]*\)/SYNTAX '\1'/" > "$T/refolded.schema"
	defs_from_schema_file "$T/refolded.schema" > "$T/refolded.norm"
	same_defs "$T/refolded.norm" "$T/shipped.norm" &&
		pass "self-test: refolded lines and a quoted SYNTAX compare equal" ||
		fail "self-test: layout alone made a difference: $DIFF"
else
	fail "$SHIPPED_SCHEMA is missing"
fi

# --- the real comparison ----------------------------------------------
if [ -f "$SHIPPED_SCHEMA" ]; then
	n=$(wc -l < "$T/shipped.norm")
	grep -q '^UNPARSED' "$T/shipped.norm" &&
		fail "pim.schema has lines that are neither attributetype nor objectclass: $(grep '^UNPARSED' "$T/shipped.norm" | head -1)"
	if same_defs "$T/registered" "$T/shipped.norm"; then
		pass "cn=Subschema and schema/pim.schema hold the same $n definitions"
	else
		fail "cn=Subschema and schema/pim.schema differ: $DIFF"
	fi
fi
if [ -f "$SHIPPED_LDIF" ]; then
	defs_from_ldif_file "$SHIPPED_LDIF" > "$T/ldif.norm"
	n=$(wc -l < "$T/ldif.norm")
	if same_defs "$T/registered" "$T/ldif.norm"; then
		pass "cn=Subschema and schema/pim.ldif hold the same $n definitions"
	else
		fail "cn=Subschema and schema/pim.ldif differ: $DIFF"
	fi
else
	fail "$SHIPPED_LDIF is missing"
fi

# --- extended operations in the root DSE ------------------------------
OUT=$(ldapsearch -x -H "$URI" -b "" -s base -LLL '(objectClass=*)' supportedExtension)
for n in 1 2 3 4; do
	printf '%s\n' "$OUT" | grep -qx "supportedExtension: $ARC\.3\.$n" &&
		pass "root DSE advertises extended operation $ARC.3.$n" ||
		fail "root DSE lacks supportedExtension $ARC.3.$n"
done

pim_done
