#!/bin/bash
# docs/protocol.md, section 7: the recipe that activates a role from a
# shell script with stock ldapexop(1), run as the document writes it
# (its functions are taken out of the document): the exact bytes of the
# example, an activation and its response, a refusal with its exit
# status and diagnostic, and a deactivation.
. "$(dirname "$0")/lib.sh"
command -v ldapexop >/dev/null || { pim_log "SKIP: no ldapexop"; exit 77; }
pim_setup ldapexop "pim-min-duration 1s"

DOC=$PIM_TOP_SRCDIR/docs/protocol.md
sed -n '/^# --- pim ldapexop recipe: begin/,/^# --- pim ldapexop recipe: end/p' "$DOC" > "$T/recipe.sh"
[ "$(wc -l < "$T/recipe.sh")" -gt 10 ] && pass "the recipe is in docs/protocol.md" ||
	fail "no recipe between the markers in docs/protocol.md"
. "$T/recipe.sh"

# --- the document's example, byte for byte ---------------------------------
want=$(grep -o '3\.1::[A-Za-z0-9+/=]*' "$DOC" | sed -n 's/^3\.1:://p' | grep '^MEUE')
got=$(pim_activate_value "$ROLE" 3600 "nightly batch")
check "the example's value is the documented base64" "$want" "$got"
hexdoc=$(awk '/^The exact bytes of that request/ { on = 1; next }
	on && /^```$/ { n++; if ( n == 2 ) exit; next }
	on && n == 1 && /^[0-9a-f][0-9a-f] / && !/SEQUENCE/ { printf "%s ", $0 }' "$DOC" | tr -s ' ' | sed 's/ $//')
check "the documented bytes are that value" "$hexdoc" "$(printf '%s' "$got" | base64 -d | od -An -v -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')"
check "OIDs" "$PIM_TOP_SRCDIR:2.25.303586913736191762808327319970460715176.3.1" "$PIM_TOP_SRCDIR:$PIM_ACTIVATE"

# pimctl's own encoder agrees: the server decodes the recipe's value
# as it decodes pimctl's (the activation below), and long lengths work
long=$(pim_activate_value "cn=$(printf 'x%.0s' $(seq 1 200)),dc=example,dc=com" 256 "")
check "a 200-byte RDN gets a long length, 256 s the bytes 01 00" "30 81 e4 04 81 dd" \
	"$(printf '%s' "$long" | base64 -d | od -An -tx1 -N6 | sed 's/^ //')"
check "... and 256 seconds is 82 02 01 00" "82 02 01 00" \
	"$(printf '%s' "$long" | base64 -d | od -An -v -tx1 | tr -s ' \n' ' ' | sed 's/ $//' | grep -o '82 02 01 00$')"

# --- activation ---------------------------------------------------------------
expect_rc 0 "demo made eligible" as admin pimctl assign --eligible demo "User Administrator"
exop() { as demo ldapexop -o ldif_wrap=no "$@"; }
exop "$PIM_ACTIVATE::$(pim_activate_value "$ROLE" 3600 "nightly batch")" >"$T/out" 2>&1
check "ldapexop activate: exit status" 0 $?
OUT=$(cat "$T/out")
expect_out "^# extended operation response$" "ldapexop prints the response"
expect_out "^data:: " "with its value"
check "the response's state" active "$(pim_response_state < "$T/out")"
check "demo is a member" TRUE "$(is_member "$ROLE" "$DEMO")"
[ "$(can_create_user demo exop-user)" = 0 ] && pass "demo may create users now" || fail "demo cannot create users"
end=$(as manager ldapsearch -LLL -b "$CONTAINER" "(&(objectClass=pimActivation)(pimPrincipal=$DEMO)(pimState=active))" pimJustification pimEndTime)
printf '%s\n' "$end" | grep -q "^pimJustification: nightly batch$" && pass "the justification was recorded" ||
	fail "activation: $end"
e=$(gt_epoch "$(printf '%s\n' "$end" | sed -n 's/^pimEndTime: //p')")
[ $(( e - $(date +%s) )) -gt 3500 ] && [ $(( e - $(date +%s) )) -le 3601 ] &&
	pass "it ends in an hour" || fail "it ends at $e"

# --- a refusal ----------------------------------------------------------------
refused 1 "ldapexop: 9h is refused" "^	additional info: requested duration 9h exceeds the role's maximum of 8h$" \
	exop "$PIM_ACTIVATE::$(pim_activate_value "$ROLE" 32400 "too long")"
expect_out "^ldap_parse_result: Constraint violation \(19\)$" "ldapexop prints the result code"
exop "$PIM_ACTIVATE::$(pim_activate_value "$ROLE" 32400 "too long")" >"$T/out" 2>"$T/err"
OUT=$(sed -n 's/^ldap_parse_result: //p; s/^\tadditional info: //p' "$T/err")
expect_out "^requested duration 9h exceeds the role's maximum of 8h$" "the recipe's sed takes the diagnostic"
check "nothing on standard output" "" "$(cat "$T/out")"

# --- deactivation ---------------------------------------------------------------
exop "$PIM_DEACTIVATE::$(pim_deactivate_value "$ROLE")" >"$T/out" 2>&1
check "ldapexop deactivate: exit status" 0 $?
check "the response's state" deactivated "$(pim_response_state < "$T/out")"
check "demo is no member" FALSE "$(is_member "$ROLE" "$DEMO")"

pim_done
