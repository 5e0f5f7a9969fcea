#!/bin/bash
# MFA on activation: TOTP codes against the otp overlay's OATH tokens.
# A correct code activates; a wrong one, one outside the window, a used
# one (by an activation or by a bind through the otp overlay) and a
# missing one are refused, each with its own diagnostic, and change
# nothing; of two concurrent activations with one code exactly one
# succeeds; wrong codes lock out and the lockout ends; a token enrolled
# with "pimctl mfa enroll" works with a code computed from its URI.
. "$(dirname "$0")/lib.sh"
[ -f /usr/lib/ldap/otp.la ] || { pim_log "SKIP: no otp.la"; exit 77; }
command -v python3 >/dev/null || { pim_log "SKIP: no python3"; exit 77; }
PIM_EXTRA_MODULES="otp.la"
pim_setup mfa "pim-min-duration 1s
pim-mfa-max-failures 3
pim-mfa-failure-window 1m
pim-mfa-lockout 3s"

RNAME="User Administrator"
OTP="ou=otp,$BASE"
MDB="olcDatabase={1}mdb,cn=config"

# --- helpers ----------------------------------------------------------

# TOTP (RFC 6238) with python3's hmac: totp SECRET-BASE32 [STEP-OFFSET
# [PERIOD]] prints the code of the current step plus STEP-OFFSET.
# "totp SECRET wrong" prints a code that no step within 12 of now has,
# "totp SECRET step" the current step.
totp() {
	python3 - "$@" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = sys.argv[1]
key = base64.b32decode(secret + "=" * (-len(secret) % 8))
arg = sys.argv[2] if len(sys.argv) > 2 else "0"
period = int(sys.argv[3]) if len(sys.argv) > 3 else 30
t = int(time.time()) // period
def code(step):
    d = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = d[-1] & 15
    return "%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7fffffff) % 10**6)
if arg == "step":
    print(t)
elif arg == "wrong":
    near = {code(s) for s in range(t - 12, t + 13)}
    print(next(c for c in ("000000", "111111", "123456", "424242", "987654")
               if c not in near))
else:
    print(code(t + int(arg)))
PY
}

# A user's secret: 20 bytes derived from the name, in base32 and base64.
secret_b32() { python3 -c 'import base64,hashlib,sys; print(base64.b32encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())' "$1"; }
secret_b64() { python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha1(sys.argv[1].encode()).digest()).decode())' "$1"; }

# Seconds until the current 30 s step ends; wait for a fresh step when
# fewer than $1 are left, so that a block of codes stays in one step.
fresh_step() {
	local left=$(( 30 - $(date +%s) % 30 ))
	[ "$left" -ge "$1" ] || sleep "$left"
}


add_params() {	# CN WINDOW
	as manager ldapadd >/dev/null <<LDIF
dn: cn=$1,$OTP
objectClass: device
objectClass: oathTOTPParams
cn: $1
oathOTPLength: 6
oathHMACAlgorithm: 1.2.840.113549.2.7
oathTOTPTimeStepPeriod: 30
oathTOTPTimeStepWindow: $2
LDIF
}

add_token() {	# UID PARAMS-CN
	as manager ldapadd >/dev/null <<LDIF
dn: cn=totp-$1,$OTP
objectClass: device
objectClass: oathTOTPToken
cn: totp-$1
oathSecret:: $(secret_b64 "$1")
oathTOTPParams: cn=$2,$OTP
LDIF
	[ $? = 0 ] || return 1
	as manager ldapmodify >/dev/null <<LDIF
dn: uid=$1,ou=people,$BASE
changetype: modify
add: objectClass
objectClass: oathTOTPUser
-
add: oathTOTPToken
oathTOTPToken: cn=totp-$1,$OTP
LDIF
}

# activate_as UID ARGS...: pimctl activate as UID (password UID-secret,
# or $PW when set), standard input not a terminal.
activate_as() {
	local who=$1
	shift
	"$PIMCTL" -b "$BASE" -x -H "$URI" -D "uid=$who,ou=people,$BASE" \
		-w "${PW:-$who-secret}" activate "$RNAME" --duration 1h \
		--reason "MFA test" "$@" </dev/null
}

noin() { "$@" </dev/null; }


last_step() { attr_values "cn=totp-$1,$OTP" oathTOTPLastTimeStep; }

active_count() {	# UID: active activations of the role
	as manager ldapsearch -LLL -b "$CONTAINER" \
		"(&(objectClass=pimActivation)(pimPrincipal=uid=$1,ou=people,$BASE)(pimState=active))" 1.1 |
		grep -c '^dn:'
}

# --- the directory: users, tokens, an MFA role --------------------------

for u in carol dave erin frank; do
	add_user "$u" || fail "cannot add user $u"
done
as manager ldapadd >/dev/null <<LDIF
dn: $OTP
objectClass: organizationalUnit
ou: otp
LDIF
add_params w1 1 && add_params w3 3 && pass "two TOTP parameter entries" ||
	fail "cannot add the TOTP parameters"
for u in demo other carol dave; do
	add_token "$u" w1 || fail "cannot give $u a token"
done
add_token erin w3 || fail "cannot give erin a token"
DEMO_S=$(secret_b32 demo) OTHER_S=$(secret_b32 other)
CAROL_S=$(secret_b32 carol) DAVE_S=$(secret_b32 dave) ERIN_S=$(secret_b32 erin)

as admin ldapmodify >/dev/null <<LDIF
dn: $ROLE
changetype: modify
replace: pimMFARequired
pimMFARequired: TRUE
LDIF
[ $? = 0 ] && pass "the role requires MFA" || fail "cannot set pimMFARequired"
for u in demo other carol dave erin frank; do
	as admin pimctl assign --eligible "$u" "$RNAME" >/dev/null ||
		fail "cannot make $u eligible"
done

# The administrator enrolls users: the token container, and the two
# attributes of the users that link them (read access for the rest).
as config ldapmodify >/dev/null <<LDIF
dn: $MDB
changetype: modify
add: olcAccess
olcAccess: {0}to dn.subtree="$OTP" by dn.exact="$ADMIN" write by * none
olcAccess: {1}to dn.base="$BASE" attrs=children by dn.exact="$ADMIN" write by * break
olcAccess: {2}to dn.subtree="ou=people,$BASE" attrs=objectClass,oathTOTPToken by dn.exact="$ADMIN" write by * break
LDIF
[ $? = 0 ] && pass "ACLs: the administrator manages tokens, nobody else reads them" ||
	fail "cannot add the token ACLs"

# --- configuration --------------------------------------------------------

CFG="olcOverlay={0}pim,$MDB"
cfg() { as config ldapsearch -LLL -o ldif-wrap=no -b "$CFG" -s base "(objectClass=*)" "$1" | sed -n "s/^$1: //p"; }
[ "$(cfg olcPimMFAMaxFailures)/$(cfg olcPimMFAFailureWindow)/$(cfg olcPimMFALockout)" = "3/1m/3s" ] &&
	pass "cn=config shows pim-mfa-max-failures, -failure-window, -lockout" ||
	fail "cn=config MFA lockout: $(cfg olcPimMFAMaxFailures)/$(cfg olcPimMFAFailureWindow)/$(cfg olcPimMFALockout)"
expect_rc 80 "olcPimMFALockout: 0s refused" as config ldapmodify <<LDIF
dn: $CFG
changetype: modify
replace: olcPimMFALockout
olcPimMFALockout: 0s
LDIF
expect_rc 80 "olcPimMFAMaxFailures: -1 refused" as config ldapmodify <<LDIF
dn: $CFG
changetype: modify
replace: olcPimMFAMaxFailures
olcPimMFAMaxFailures: -1
LDIF

# --- a correct code; the same code again; no code -------------------------

fresh_step 8
code=$(totp "$DEMO_S")
expect_rc 0 "a correct code activates" activate_as demo --otp "$code"
[ "$(can_create_user demo mfa-new1)" = 0 ] && pass "demo holds the role" ||
	fail "demo cannot create a user after activating"
[ -n "$(last_step demo)" ] && pass "oathTOTPLastTimeStep recorded: $(last_step demo)" ||
	fail "no oathTOTPLastTimeStep on demo's token"
# One text for every code that does not verify (no oracle: "used
# already" or "outside the window" would tell a guesser it was right).
refused 49 "the same code again" "wrong one-time code" activate_as demo --otp "$code"
printf '%s\n' "$OUT" | grep -qi "used already\|window" &&
	fail "the refusal of a replayed code says why: $OUT" ||
	pass "the refusal of a replayed code says no more than 'wrong one-time code'"
refused 8 "no code" "requires a one-time code" activate_as demo
expect_out "give the one-time code with --otp" "no code: pimctl says to give --otp"
refused 8 "an extension without a code" "requires a one-time code" \
	noin as demo pimctl extend "$RNAME" --duration 2h --reason "more time"
expect_rc 0 "an extension with the next code" \
	noin as demo pimctl extend "$RNAME" --duration 2h --reason "more time" \
	--otp "$(totp "$DEMO_S" 1)"

# --- a wrong code; a code outside the window; a user without a token ------

refused 49 "a wrong code" "wrong one-time code" \
	activate_as other --otp "$(totp "$OTHER_S" wrong)"
refused 49 "a code 5 steps old (outside the window of 1)" "wrong one-time code" \
	activate_as other --otp "$(totp "$OTHER_S" -5)"
printf '%s\n' "$OUT" | grep -qi "window\|clock" &&
	fail "the refusal of a code for a nearby step says so: $OUT" ||
	pass "the refusal of a code for a nearby step says no more than 'wrong one-time code'"
[ -z "$(last_step other)" ] && pass "refused codes left oathTOTPLastTimeStep alone" ||
	fail "a refused code moved oathTOTPLastTimeStep"
refused 53 "a user without a token" "no TOTP token" activate_as frank --otp 123456

# --- two concurrent activations with one code -----------------------------

fresh_step 8
code=$(totp "$CAROL_S")
activate_as carol --otp "$code" >"$T/c1.out" 2>&1 & p1=$!
activate_as carol --otp "$code" >"$T/c2.out" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
if { [ $r1 = 0 ] && [ $r2 = 49 ]; } || { [ $r1 = 49 ] && [ $r2 = 0 ]; }; then
	pass "two concurrent activations with one code: exactly one succeeds ($r1, $r2)"
else
	fail "two concurrent activations with one code: rc $r1 and $r2"
	sed 's/^/#   /' "$T/c1.out" "$T/c2.out"
fi
grep -q "wrong one-time code" "$T/c1.out" "$T/c2.out" && pass "the loser is told the code is wrong" ||
	fail "the loser's diagnostic: $(cat "$T/c1.out" "$T/c2.out")"
[ "$(active_count carol)" = 1 ] && pass "one activation recorded for carol" ||
	fail "carol has $(active_count carol) active activations"

# --- lockout after 3 failures, recovery after the cool-down (3s) ----------

refused 49 "a code of 5 digits" "must have 6 digits" activate_as dave --otp 12345
refused 49 "dave: wrong code 2" "wrong one-time code" activate_as dave --otp "$(totp "$DAVE_S" wrong)"
refused 49 "dave: wrong code 3" "wrong one-time code" activate_as dave --otp "$(totp "$DAVE_S" wrong)"
refused 53 "locked out: even the correct code is refused" "too many wrong one-time codes" \
	activate_as dave --otp "$(totp "$DAVE_S")"
grep -q 'pim: mfa lockout.*uid=dave' "$T/slapd.log" && pass "the lockout is logged" ||
	fail "no mfa lockout line in the log"
sleep 4
fresh_step 4
expect_rc 0 "after the cool-down the correct code activates" activate_as dave --otp "$(totp "$DAVE_S")"

# --- the code never reaches the log ----------------------------------------

if grep -Eq -- "(^|[^0-9])$code([^0-9]|\$)" "$T/slapd.log"; then
	fail "a one-time code appears in slapd's log"
else
	pass "the one-time codes are not logged"
fi
grep -q 'pim: mfa failure.*uid=other.*reason="wrong' "$T/slapd.log" && pass "a wrong code is logged (without the code)" ||
	fail "no mfa failure line in the log"

# --- enrollment with pimctl -------------------------------------------------

expect_rc 0 "pimctl mfa enroll frank" as admin pimctl mfa enroll frank
uri=$(printf '%s\n' "$OUT" | grep '^otpauth://totp/')
expect_out '^otpauth://totp/PIM:frank\?secret=[A-Z2-7]{32}&issuer=PIM&algorithm=SHA1&digits=6&period=30$' \
	"enroll prints the otpauth URI"
FRANK_S=$(printf '%s\n' "$uri" | sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p')
expect_rc 0 "pimctl mfa status frank" as admin pimctl mfa status frank
expect_out "cn=totp-frank,$OTP" "status names the token"
expect_out "last used: +never" "status: never used"
expect_rc 68 "a second enrollment is refused" as admin pimctl mfa enroll frank
expect_rc 0 "frank activates with a code from the URI" activate_as frank --otp "$(totp "$FRANK_S")"
expect_rc 0 "pimctl mfa status frank after use" as admin pimctl mfa status frank
expect_out "last used: +[0-9-]+ [0-9:]+Z \(time step [0-9]+\)" "status: when it was last used"
expect_rc 0 "pimctl mfa remove frank" as admin pimctl mfa remove frank
refused 53 "after removal frank has no token" "no TOTP token" \
	activate_as frank --otp "$(totp "$FRANK_S")"
before=$(dir_snapshot)
as other pimctl mfa enroll frank >"$T/other-enroll.out" 2>&1
rc=$?
[ $rc != 0 ] && [ "$before" = "$(dir_snapshot)" ] &&
	pass "a user without the rights cannot enroll anybody (rc=$rc), nothing changed" ||
	fail "other enrolled frank: rc=$rc: $(cat "$T/other-enroll.out")"
expect_rc 0 "enroll under --base, created when missing" \
	as manager pimctl mfa enroll frank --base "ou=otp2,$BASE"
expect_out "cn=totp-frank,ou=otp2,$BASE" "the token went under --base"

# --- several roles at once: one justification, one code --------------------
# The code pimctl sends for the first role serves the others on the same
# connection; from another connection it is a replay.
add_user gina && add_token gina w1 || fail "cannot add gina and her token"
GINA_S=$(secret_b32 gina)
for r in "MFA Two" "MFA Three" "Not Eligible"; do
	as admin ldapadd >/dev/null <<LDIF
dn: cn=$r,ou=roles,$BASE
objectClass: groupOfNames
objectClass: pimRole
cn: $r
member: $CONTAINER
pimMFARequired: TRUE
LDIF
done
for r in "$RNAME" "MFA Two" "MFA Three"; do
	as admin pimctl assign --eligible gina "$r" >/dev/null || fail "cannot make gina eligible for $r"
done
gina() { "$PIMCTL" -b "$BASE" -x -H "$URI" -D "uid=gina,ou=people,$BASE" -w gina-secret "$@" </dev/null; }
fresh_step 8
code=$(totp "$GINA_S")
expect_rc 50 "gina activates three roles with one code, one she is not eligible for" \
	gina activate "$RNAME" "MFA Two" "Not Eligible" --duration 1h --reason "one change" --otp "$code"
expect_out 'activated "cn=User Administrator' "the first role is activated"
expect_out 'activated "cn=MFA Two' "the second role is activated with the same code"
expect_out '"cn=Not Eligible,ou=roles,dc=example,dc=com" not activated' "the refused role is named"
check "gina's active activations" 2 "$(active_count gina)"
check "the second activation carries the one justification" "one change" \
	"$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
	"(&(objectClass=pimActivation)(pimPrincipal=uid=gina,ou=people,$BASE)(pimRoleDN=cn=MFA Two,ou=roles,$BASE))" \
	pimJustification | sed -n 's/^pimJustification: //p')"
refused 49 "the same code from another connection (replay)" "wrong one-time code" \
	gina activate "MFA Three" --duration 1h --reason again --otp "$code"
refused 65 "a typo in the second role sends nothing for the first" "Nothing Like This|no .*role|matches no" \
	gina activate "MFA Three" "Nothing Like This" --duration 1h --reason x --otp "$code"
expect_rc 0 "gina deactivates both roles at once" gina deactivate "$RNAME" "MFA Two"
check "gina's active activations after the deactivation" 0 "$(active_count gina)"
expect_rc 64 "--id with two roles is a usage error" gina deactivate "$RNAME" "MFA Two" --id x

# --- codes shared with binds through the otp overlay -----------------------

as config ldapadd >/dev/null <<LDIF
dn: olcOverlay=otp,$MDB
objectClass: olcOverlayConfig
olcOverlay: otp
LDIF
[ $? = 0 ] && pass "the otp overlay is on the database" || fail "cannot add the otp overlay"
expect_rc 49 "otp on: erin's password alone no longer binds" \
	ldapwhoami -x -H "$URI" -D "uid=erin,ou=people,$BASE" -w erin-secret
# Steps t0..t0+3 all lie within erin's window of 3 while the test runs.
fresh_step 8
t0=$(totp "$ERIN_S" step)
c0=$(totp "$ERIN_S" 0) c1=$(totp "$ERIN_S" 1) c2=$(totp "$ERIN_S" 2) c3=$(totp "$ERIN_S" 3)
PW="erin-secret$c0" expect_rc 0 "a bind with one code, an activation with the next" \
	activate_as erin --otp "$c1"
expect_rc 49 "a code used for an activation, then for a bind" \
	ldapwhoami -x -H "$URI" -D "uid=erin,ou=people,$BASE" -w "erin-secret$c1"
expect_rc 0 "a bind with a fresh code" \
	ldapwhoami -x -H "$URI" -D "uid=erin,ou=people,$BASE" -w "erin-secret$c2"
PW="erin-secret$c3" expect_rc 49 "a code used for a bind, then for an activation" \
	activate_as erin --otp "$c2"
expect_out "wrong one-time code" "a code used for a bind: diagnostic"
[ "$(active_count erin)" = 1 ] && pass "the refused activation recorded nothing" ||
	fail "erin has $(active_count erin) active activations"
[ "$(last_step erin)" = $((t0 + 3)) ] &&
	pass "binds and activations move one oathTOTPLastTimeStep (now t0+3)" ||
	fail "erin's last step: $(last_step erin), expected $((t0 + 3))"

pim_done
