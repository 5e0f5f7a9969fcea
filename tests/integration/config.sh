#!/bin/bash
# cn=config round trips for the pim overlay, as the config administrator
# (cn=admin,cn=config): what the entry shows, that every change takes
# effect at once on the next request, that bad values are refused with
# nothing changed, and that the values survive a restart.
. "$(dirname "$0")/lib.sh"
pim_setup config

# --- helpers ----------------------------------------------------------

# The overlay's cn=config entry, found by its object class.
CFG=$(as config ldapsearch -LLL -o ldif-wrap=no -b cn=config '(objectClass=olcPimConfig)' 1.1 |
	sed -n 's/^dn: //p')

cfg_values() {	# ATTR: its values in the overlay's entry, one per line
	as config ldapsearch -LLL -o ldif-wrap=no -b "$CFG" -s base '(objectClass=*)' "$1" |
		sed -n "s/^$1: //Ip"
}
cfg_snapshot() {	# the entry's user attributes, order-independent
	as config ldapsearch -LLL -o ldif-wrap=no -b "$CFG" -s base '(objectClass=*)' '*' |
		sort | md5sum
}
cfg_modify() {	# LINE...: one ldapmodify of the entry ("-" separates mods)
	printf 'dn: %s\nchangetype: modify\n' "$CFG" > "$T/cfg.ldif"
	printf '%s\n' "$@" >> "$T/cfg.ldif"
	as config ldapmodify -f "$T/cfg.ldif"
}
expect_cfg() {	# ATTR WANT DESCRIPTION: ATTR has exactly the value(s) WANT ("" = absent)
	local got
	got=$(cfg_values "$1")
	[ "$got" = "$2" ] && pass "$3" ||
		fail "$3: $1 is [$(printf '%s' "$got" | tr '\n' '|')], expected [$(printf '%s' "$2" | tr '\n' '|')]"
}
# cfg_refused CODE DESCRIPTION DIAGNOSTIC-REGEX LINE...: cn=config refuses
# the modification with CODE and a diagnostic, and neither the overlay's
# entry nor the directory changed.
cfg_refused() {
	local code=$1 what=$2 diag=$3 cb db
	shift 3
	cb=$(cfg_snapshot); db=$(dir_snapshot)
	expect_rc "$code" "$what" cfg_modify "$@"
	expect_out "$diag" "$what: diagnostic"
	[ "$cb" = "$(cfg_snapshot)" ] && pass "$what: cn=config entry unchanged" ||
		fail "$what: the cn=config entry changed"
	[ "$db" = "$(dir_snapshot)" ] && pass "$what: directory unchanged" ||
		fail "$what: the directory changed"
}
# activation_refused CODE DESCRIPTION DIAGNOSTIC-REGEX PIMCTL-ARGS...
activation_refused() {
	local code=$1 what=$2 diag=$3 db
	shift 3
	db=$(dir_snapshot)
	expect_rc "$code" "$what" as demo pimctl activate "User Administrator" "$@"
	expect_out "$diag" "$what: diagnostic"
	[ "$db" = "$(dir_snapshot)" ] && pass "$what: directory unchanged" ||
		fail "$what: the directory changed"
}
# activation_works DESCRIPTION PIMCTL-ARGS...: demo activates, then
# deactivates again, so that every check starts from no activation.
activation_works() {
	local what=$1
	shift
	expect_rc 0 "$what" as demo pimctl activate "User Administrator" "$@"
	as demo pimctl deactivate "User Administrator" >/dev/null 2>&1 ||
		fail "$what: cannot deactivate afterwards"
}
members() { attr_values "$ROLE" member | sort; }

# --- 1. the entry as converted from slapd.conf ------------------------

[ "$CFG" = "olcOverlay={0}pim,olcDatabase={1}mdb,cn=config" ] &&
	pass "(objectClass=olcPimConfig) finds the overlay's entry: $CFG" ||
	{ fail "olcPimConfig entry: expected olcOverlay={0}pim,olcDatabase={1}mdb,cn=config, got [$CFG]"; pim_done; exit 1; }
expect_cfg olcPimContainer "$CONTAINER" "olcPimContainer is the configured container"
expect_cfg olcPimAdmin "$ADMIN" "olcPimAdmin is the one configured administrator"
# Unset settings show their effective defaults...
expect_cfg olcPimMaxDuration 8h "unset olcPimMaxDuration shows the default 8h"
expect_cfg olcPimMinDuration 0s "unset olcPimMinDuration shows the default 0s"
expect_cfg olcPimJustificationRequired TRUE "unset olcPimJustificationRequired shows the default TRUE"
expect_cfg olcPimJustificationMaxLength 500 "unset olcPimJustificationMaxLength shows the default 500"
# ...except the placeholder, whose default (the container) follows
# olcPimContainer and so is not pinned into the entry.
expect_cfg olcPimPlaceholder "" "unset olcPimPlaceholder is not shown (it follows the container)"
# Only the config administrator reads it.
[ -z "$(as admin ldapsearch -LLL -b "$CFG" -s base 1.1 2>/dev/null)" ] &&
	pass "a directory user does not see the overlay's cn=config entry" ||
	fail "uid=admin can read cn=config"

# --- 2. olcPimMaxDuration takes effect on the next activation --------

expect_rc 0 "admin makes demo eligible" as admin pimctl assign --eligible demo "User Administrator"
expect_rc 0 "admin removes pimMaxDuration from the role (the config default applies)" \
	as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
delete: pimMaxDuration
LDIF
[ -z "$(attr_values "$ROLE" pimMaxDuration)" ] && pass "the role has no pimMaxDuration" ||
	fail "pimMaxDuration still on the role"
activation_refused 19 "9h under the default 8h maximum is refused" "maximum" --duration 9h --reason "too long"
activation_works "2h under the default 8h maximum works" --duration 2h --reason "default max"

expect_rc 0 "olcPimMaxDuration: 1h accepted" cfg_modify "replace: olcPimMaxDuration" "olcPimMaxDuration: 1h"
expect_cfg olcPimMaxDuration 1h "olcPimMaxDuration reads back 1h"
activation_refused 19 "2h under olcPimMaxDuration 1h is refused (constraintViolation)" "maximum" \
	--duration 2h --reason "above the new maximum"
activation_works "30m under olcPimMaxDuration 1h works" --duration 30m --reason "within the new maximum"
# The role's own value still wins over the configuration's default.
expect_rc 0 "admin sets pimMaxDuration 3h on the role" as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
add: pimMaxDuration
pimMaxDuration: 3h
LDIF
activation_works "2h works under the role's own 3h despite olcPimMaxDuration 1h" --duration 2h --reason "role max"
expect_rc 0 "admin removes pimMaxDuration from the role again" as admin ldapmodify <<LDIF
dn: $ROLE
changetype: modify
delete: pimMaxDuration
LDIF

# --- 3. olcPimAdmin: a second administrator, added and removed --------

expect_rc 50 "before: other cannot assign eligibility" as other pimctl assign --eligible admin "User Administrator"
expect_out "only PIM administrators" "before: other is told why"
expect_rc 0 "olcPimAdmin: add uid=other" cfg_modify "add: olcPimAdmin" "olcPimAdmin: $OTHER"
expect_cfg olcPimAdmin "$ADMIN
$OTHER" "olcPimAdmin reads back both administrators"
expect_rc 0 "other, now an administrator, assigns eligibility with pimctl" \
	as other pimctl assign --eligible admin "User Administrator" --reason "second admin"
[ "$(as manager ldapsearch -LLL -o ldif-wrap=no -b "$CONTAINER" \
	"(&(objectClass=pimEligibility)(pimPrincipal=$ADMIN))" pimAssignedBy | sed -n 's/^pimAssignedBy: //Ip')" = \
	"$(echo "$OTHER" | tr A-Z a-z)" ] && pass "the eligibility says other assigned it" ||
	fail "pimAssignedBy is not other"
expect_rc 0 "olcPimAdmin: delete the uid=other value" cfg_modify "delete: olcPimAdmin" "olcPimAdmin: $OTHER"
expect_cfg olcPimAdmin "$ADMIN" "olcPimAdmin reads back only uid=admin"
db=$(dir_snapshot)
expect_rc 50 "other, no longer an administrator, cannot remove eligibility" \
	as other pimctl unassign admin "User Administrator"
expect_rc 50 "other, no longer an administrator, cannot assign eligibility" \
	as other pimctl assign --eligible other "User Administrator"
[ "$db" = "$(dir_snapshot)" ] && pass "other's refused requests changed nothing" ||
	fail "other's refused requests changed the directory"
expect_rc 0 "admin still administers: removes admin's eligibility" as admin pimctl unassign admin "User Administrator"
# Deleting the first of two values keeps the second (and only it).
expect_rc 0 "olcPimAdmin: add uid=other again" cfg_modify "add: olcPimAdmin" "olcPimAdmin: $OTHER"
expect_rc 0 "olcPimAdmin: delete the uid=admin value (the first)" cfg_modify "delete: olcPimAdmin" "olcPimAdmin: $ADMIN"
expect_cfg olcPimAdmin "$OTHER" "olcPimAdmin reads back only uid=other"
expect_rc 50 "uid=admin, removed, cannot assign" as admin pimctl assign --eligible other "User Administrator"
expect_rc 0 "uid=other, kept, can assign" as other pimctl assign --eligible other "User Administrator"
expect_rc 0 "uid=other, kept, can remove" as other pimctl unassign other "User Administrator"
expect_rc 0 "olcPimAdmin: replace with uid=admin alone" cfg_modify "replace: olcPimAdmin" "olcPimAdmin: $ADMIN"
expect_cfg olcPimAdmin "$ADMIN" "olcPimAdmin is back to uid=admin"
expect_rc 50 "uid=other, replaced away, cannot assign" as other pimctl assign --eligible other "User Administrator"

# --- 4. bad values are refused and change nothing ---------------------
# (slapd answers a refusal of a cn=config value with other (80) and the
# module's message; a value the attribute syntax rejects gets 21)

cfg_refused 80 "olcPimMaxDuration: banana" "not a duration" \
	"replace: olcPimMaxDuration" "olcPimMaxDuration: banana"
cfg_refused 80 "olcPimMaxDuration: 0s" "at least 1 second" \
	"replace: olcPimMaxDuration" "olcPimMaxDuration: 0s"
cfg_refused 19 "olcPimMinDuration: 2h above olcPimMaxDuration 1h" "minimum duration exceeds maximum" \
	"replace: olcPimMinDuration" "olcPimMinDuration: 2h"
expect_rc 0 "olcPimMinDuration: 20m accepted" cfg_modify "replace: olcPimMinDuration" "olcPimMinDuration: 20m"
cfg_refused 19 "olcPimMaxDuration: 10m below olcPimMinDuration 20m" "minimum duration exceeds maximum" \
	"replace: olcPimMaxDuration" "olcPimMaxDuration: 10m"
activation_refused 19 "10m under olcPimMinDuration 20m is refused" "minimum" --duration 10m --reason "too short"
expect_rc 0 "olcPimMinDuration deleted" cfg_modify "delete: olcPimMinDuration"
expect_cfg olcPimMinDuration "" "olcPimMinDuration is gone from the entry"
activation_works "10m works again once the minimum is deleted" --duration 10m --reason "short is fine"
cfg_refused 80 "olcPimJustificationMaxLength: 0" "between 1 and" \
	"replace: olcPimJustificationMaxLength" "olcPimJustificationMaxLength: 0"
cfg_refused 80 "olcPimJustificationMaxLength: 9000" "between 1 and" \
	"replace: olcPimJustificationMaxLength" "olcPimJustificationMaxLength: 9000"
cfg_refused 21 "olcPimJustificationMaxLength: abc" "invalid per syntax" \
	"replace: olcPimJustificationMaxLength" "olcPimJustificationMaxLength: abc"
cfg_refused 21 "olcPimJustificationRequired: maybe" "invalid per syntax" \
	"replace: olcPimJustificationRequired" "olcPimJustificationRequired: maybe"
activation_refused 19 "after the refusals the maximum is still 1h" "maximum" --duration 2h --reason "still 1h"

# A container the database does not hold, or none at all, would stop
# slapd from starting again (pim_db_open refuses it): refuse it now.
before=$(cfg_snapshot)
cfg_refused 80 "olcPimContainer outside the database" "[Cc]ontainer|database" \
	"replace: olcPimContainer" "olcPimContainer: cn=pim,dc=elsewhere,dc=org"
cfg_refused 80 "deleting olcPimContainer (required)" "[Cc]ontainer|database|required" \
	"delete: olcPimContainer"
if [ "$before" != "$(cfg_snapshot)" ]; then	# accepted: put it back for the rest
	cfg_modify "replace: olcPimContainer" "olcPimContainer: $CONTAINER" >/dev/null 2>&1 ||
		fail "cannot restore olcPimContainer"
fi

# Deleting the maximum while a minimum above the built-in 8h is set would
# leave min > max: every activation would fail and slapd would not start.
expect_rc 0 "olcPimMaxDuration: 12h accepted" cfg_modify "replace: olcPimMaxDuration" "olcPimMaxDuration: 12h"
expect_rc 0 "olcPimMinDuration: 10h accepted" cfg_modify "replace: olcPimMinDuration" "olcPimMinDuration: 10h"
cfg_refused 19 "deleting olcPimMaxDuration under olcPimMinDuration 10h (8h < 10h)" "minimum|maximum" \
	"delete: olcPimMaxDuration"
# back to: olcPimMaxDuration 1h, no minimum (whatever happened above)
cfg_modify "replace: olcPimMaxDuration" "olcPimMaxDuration: 12h" >/dev/null 2>&1
cfg_modify "delete: olcPimMinDuration" >/dev/null 2>&1
expect_rc 0 "olcPimMaxDuration: 1h again" cfg_modify "replace: olcPimMaxDuration" "olcPimMaxDuration: 1h"

# The same in slapd.conf: the order of the directives does not matter.
for order in "max min" "min max"; do
	cp "$T/slapd.conf" "$T/order.conf"
	for d in $order; do
		case $d in
		max) echo "pim-max-duration 12h" ;;
		min) echo "pim-min-duration 10h" ;;
		esac
	done >> "$T/order.conf"
	pim_tool "$SLAPTEST" -u -d config -f "$T/order.conf" >"$T/order.log" 2>&1 &&
		pass "slapd.conf with pim-${order% *}-duration before pim-${order#* }-duration (12h/10h) is accepted" ||
		{ fail "slapd.conf with pim-${order% *}-duration before pim-${order#* }-duration (12h/10h) is refused"
		  grep -i 'duration.*:' "$T/order.log" | sed 's/^/#   /'; }
done

# --- 5. the justification defaults -------------------------------------

activation_refused 19 "no reason while olcPimJustificationRequired is TRUE" "justification" --duration 10m
expect_rc 0 "olcPimJustificationRequired: FALSE accepted" \
	cfg_modify "replace: olcPimJustificationRequired" "olcPimJustificationRequired: FALSE"
expect_cfg olcPimJustificationRequired FALSE "olcPimJustificationRequired reads back FALSE"
activation_works "no reason needed once olcPimJustificationRequired is FALSE" --duration 10m
expect_rc 0 "olcPimJustificationRequired: TRUE again" \
	cfg_modify "replace: olcPimJustificationRequired" "olcPimJustificationRequired: TRUE"
activation_refused 19 "no reason refused again" "justification" --duration 10m
expect_rc 0 "olcPimJustificationMaxLength: 20 accepted" \
	cfg_modify "replace: olcPimJustificationMaxLength" "olcPimJustificationMaxLength: 20"
activation_refused 19 "a 21-character reason under olcPimJustificationMaxLength 20" "justification" \
	--duration 10m --reason "123456789012345678901"
activation_works "a 20-character reason under olcPimJustificationMaxLength 20" \
	--duration 10m --reason "12345678901234567890"

# --- 6. olcPimPlaceholder round trip ----------------------------------

# With the default placeholder (the container), an activation replaces it.
expect_rc 0 "demo activates (default placeholder)" \
	as demo pimctl activate "User Administrator" --duration 10m --reason placeholder
[ "$(members)" = "$DEMO" ] &&
	pass "default placeholder: the role holds only demo while active" ||
	fail "default placeholder: role members [$(members | tr '\n' '|')]"
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"
expect_rc 0 "olcPimPlaceholder: the container, set explicitly" \
	cfg_modify "replace: olcPimPlaceholder" "olcPimPlaceholder: $CONTAINER"
expect_cfg olcPimPlaceholder "$CONTAINER" "olcPimPlaceholder reads back"
expect_rc 0 "olcPimPlaceholder deleted" cfg_modify "delete: olcPimPlaceholder"
expect_cfg olcPimPlaceholder "" "olcPimPlaceholder is gone from the entry"
# Deleted means the default again: the container, replaced on activation.
expect_rc 0 "demo activates (placeholder deleted)" \
	as demo pimctl activate "User Administrator" --duration 10m --reason placeholder
[ "$(members)" = "$DEMO" ] &&
	pass "deleted placeholder reverts to the container: the role holds only demo while active" ||
	fail "deleted placeholder: role members while active [$(members | tr '\n' '|')], expected only demo"
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"
[ "$(members)" = "$CONTAINER" ] && pass "after deactivation the role holds the container placeholder" ||
	fail "after deactivation role members [$(members | tr '\n' '|')]"

# --- 7. deleting olcPimMaxDuration reverts to 8h ----------------------

expect_rc 0 "olcPimMaxDuration deleted" cfg_modify "delete: olcPimMaxDuration"
expect_cfg olcPimMaxDuration "" "olcPimMaxDuration is gone from the entry"
activation_works "2h works again: the maximum is the default 8h" --duration 2h --reason "back to 8h"
activation_refused 19 "9h is refused: the maximum is the default 8h, not unlimited" "maximum" \
	--duration 9h --reason "above 8h"

# --- 8. the values survive a restart ----------------------------------

expect_rc 0 "olcPimMinDuration: 1m accepted" cfg_modify "replace: olcPimMinDuration" "olcPimMinDuration: 1m"
expect_rc 0 "olcPimAdmin: add uid=other" cfg_modify "add: olcPimAdmin" "olcPimAdmin: $OTHER"
before=$(cfg_snapshot)
pim_stop
pim_start
[ "$before" = "$(cfg_snapshot)" ] && pass "after a restart the cn=config entry is the same" ||
	fail "the cn=config entry changed across the restart"
expect_cfg olcPimContainer "$CONTAINER" "after restart: olcPimContainer"
expect_cfg olcPimAdmin "$ADMIN
$OTHER" "after restart: both administrators"
expect_cfg olcPimMaxDuration "" "after restart: olcPimMaxDuration still deleted"
expect_cfg olcPimMinDuration 1m "after restart: olcPimMinDuration 1m"
expect_cfg olcPimJustificationRequired TRUE "after restart: olcPimJustificationRequired TRUE"
expect_cfg olcPimJustificationMaxLength 20 "after restart: olcPimJustificationMaxLength 20"
# ...and the running overlay uses them
activation_refused 19 "after restart: 30s is under the 1m minimum" "minimum" --duration 30s --reason "too short"
activation_refused 19 "after restart: 9h is over the default 8h" "maximum" --duration 9h --reason "too long"
activation_refused 19 "after restart: a 21-character reason is too long" "justification" \
	--duration 10m --reason "123456789012345678901"
activation_works "after restart: 2h with a 20-character reason works" --duration 2h --reason "12345678901234567890"
expect_rc 0 "after restart: other is still an administrator" as other pimctl assign --eligible other "User Administrator"

pim_done
