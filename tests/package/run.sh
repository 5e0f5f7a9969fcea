#!/bin/bash
# tests/package/run.sh - the Debian package, end to end, as root:
#
#   1. build it with dpkg-buildpackage -us -uc -b in a copy of the tree
#      (the checkout gets no debian/ build products);
#   2. install it with dpkg -i and check what dpkg -L lists, and that it
#      depends on the exact slapd it was built against;
#   3. make a slapd configuration from Debian's own initial cn=config
#      (/usr/share/slapd/slapd.init.ldif), start Debian's /usr/sbin/slapd
#      on loopback and apply the INSTALLED examples to it
#      (/usr/share/doc/slapo-pim/examples: the module loaded by name
#      through olcModulePath /usr/lib/ldap, the container, indexes, the
#      overlay, the ACLs), load the seed lab's directory, restart, and run
#      the seed lab's scenario with the installed /usr/bin/pimctl;
#   4. run tests/integration/seed-lab.sh against the installed module and
#      pimctl;
#   5. purge the package and check that its files are gone.
#
# Exit 0 when everything passed, 1 on any failure (each is printed as
# "FAIL: ..."), 77 when not run as root.  The work directory
# (/tmp/pim-package.*) is removed on success and kept on failure.
# PIM_OPENLDAP_SOURCE: the installed slapd's OpenLDAP source (default: the
# one configure fetched into ./openldap/src; without one, the package's
# configure fetches it).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
started=$(date +%s)

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: tests/package/run.sh installs a package: run it as root" >&2
	exit 77
fi

# lib.sh: the assertions (pass, fail, expect_rc, check ...) and the seed
# lab's actors (as, is_member, can_create_user ...); its pimctl is the
# installed one here, and Debian's rootdn is cn=admin.
. "$top/tests/integration/lib.sh"
PIMCTL=/usr/bin/pimctl
MANAGER="cn=admin,$BASE"

work=$(mktemp -d /tmp/pim-package.XXXXXX)
installed_by_us=0
SLAPD_PID=""
failed=""

ok() { pass "$@"; }
bad() { fail "$@"; echo "FAIL: $*"; }
fail() {	# lib.sh's, also remembering what failed for the summary
	PIM_CHECKS=$((PIM_CHECKS + 1)); PIM_FAILURES=$((PIM_FAILURES + 1))
	printf 'not ok %d - %s\n' "$PIM_CHECKS" "$*"
	failed="$failed
  $*"
}
die() { bad "$*"; exit 1; }
step() { echo "== $* ($(( $(date +%s) - started ))s)"; }

stop_slapd() {
	local i
	[ -n "$SLAPD_PID" ] || return 0
	kill -TERM "$SLAPD_PID" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$SLAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$SLAPD_PID" 2>/dev/null || true
	wait "$SLAPD_PID" 2>/dev/null || true
	SLAPD_PID=""
}

finish() {
	local rc=$?
	stop_slapd
	if [ $installed_by_us = 1 ] && dpkg-query -W -f='${Status}' slapo-pim 2>/dev/null | grep -q installed; then
		dpkg --purge slapo-pim >/dev/null 2>&1 || echo "warning: could not purge slapo-pim" >&2
	fi
	[ $rc -eq 0 ] && [ "$PIM_FAILURES" -ne 0 ] && rc=1
	[ -n "$failed" ] && printf 'failed:%s\n' "$failed"
	echo "package test: $((PIM_CHECKS - PIM_FAILURES)) passed, $PIM_FAILURES failed, $(( $(date +%s) - started ))s"
	if [ $rc -eq 0 ]; then
		rm -rf "$work"
	else
		echo "work directory kept: $work (build.log, slapd/slapd.log)"
	fi
	exit $rc
}
trap finish EXIT

# --- 1. build --------------------------------------------------------------
step "building the package"
command -v git >/dev/null || die "git is needed to copy the tree"
src=$work/src/slapo-pim
mkdir -p "$src"
# tracked and new (not ignored) files, as they are in the working tree
(cd "$top" && git ls-files -z -co --exclude-standard | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | tar -xf - -C "$src" || die "cannot copy the tree to $src"
[ -x "$src/debian/rules" ] || die "no debian/rules in the copied tree"
if [ -z "${PIM_OPENLDAP_SOURCE:-}" ]; then
	PIM_OPENLDAP_SOURCE=$(find "$top/openldap/src" -maxdepth 1 -type d -name 'openldap-*' 2>/dev/null | head -n 1)
fi
[ -n "$PIM_OPENLDAP_SOURCE" ] && echo "OpenLDAP source: $PIM_OPENLDAP_SOURCE"
export PIM_OPENLDAP_SOURCE
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	tail -n 40 "$work/build.log"
	die "dpkg-buildpackage failed (log: $work/build.log)"
fi
grep -q 'CK_DEFAULT_TIMEOUT=60 ./tests/unit/check_pim' "$work/build.log" && ok "the build ran the unit tests" ||
	bad "the build did not run the unit tests"
grep -q 'tests/integration/' "$work/build.log" && bad "the build ran integration tests" ||
	ok "the build ran no integration test"
deb=$(ls "$work"/src/slapo-pim_*.deb 2>/dev/null | head -n 1)
[ -f "$deb" ] || die "no slapo-pim_*.deb in $work/src"
ok "built $(basename "$deb")"

# --- 2. install --------------------------------------------------------------
step "installing it"
for f in /usr/lib/ldap/pim.so /usr/lib/ldap/pim.la /usr/bin/pimctl; do
	if [ -e "$f" ] && ! dpkg -S "$f" >/dev/null 2>&1; then
		echo "warning: $f exists and belongs to no package (a make install?): the package replaces it, and purging removes it" >&2
	fi
done
installed_by_us=1
dpkg -i "$deb" >"$work/dpkg-i.log" 2>&1 || { cat "$work/dpkg-i.log"; die "dpkg -i $(basename "$deb")"; }
ok "dpkg -i"
slapd_version=$(dpkg-query -W -f='${Version}' slapd)
depends=$(dpkg-query -W -f='${Depends}' slapo-pim)
case ", $depends," in
*", slapd (= $slapd_version),"*) ok "depends on slapd (= $slapd_version)" ;;
*) bad "Depends is '$depends', without slapd (= $slapd_version)" ;;
esac
dpkg -L slapo-pim >"$work/files"
for f in /usr/lib/ldap/pim.so /usr/lib/ldap/pim.la /usr/bin/pimctl \
	/usr/share/man/man5/slapo-pim.5.gz /usr/share/man/man1/pimctl.1.gz \
	/usr/share/bash-completion/completions/pimctl \
	/etc/ldap/schema/pim.schema /etc/ldap/schema/pim.ldif \
	/usr/share/doc/slapo-pim/README.md.gz /usr/share/doc/slapo-pim/admin-guide.md.gz \
	/usr/share/doc/slapo-pim/protocol.md.gz \
	/usr/share/doc/slapo-pim/examples/01-module.ldif /usr/share/doc/slapo-pim/examples/02-container.ldif \
	/usr/share/doc/slapo-pim/examples/03-indexes.ldif /usr/share/doc/slapo-pim/examples/04-overlay.ldif \
	/usr/share/doc/slapo-pim/examples/05-acls.ldif \
	/usr/share/man/man1/pimctl-notify.1.gz /usr/share/doc/slapo-pim/examples/pim-notify.conf \
	/lib/systemd/system/slapo-pim-notify.service; do
	if grep -qxF "$f" "$work/files" && [ -f "$f" ]; then ok "installed $f"; else bad "dpkg -L slapo-pim lacks $f"; fi
done
grep -q "^libdir='/usr/lib/ldap'" /usr/lib/ldap/pim.la && ok "pim.la names /usr/lib/ldap" || bad "pim.la's libdir is not /usr/lib/ldap"
/usr/bin/pimctl --version >"$work/pimctl-version" 2>&1 && ok "pimctl --version: $(head -n 1 "$work/pimctl-version")" ||
	bad "/usr/bin/pimctl --version fails: $(cat "$work/pimctl-version")"

# --- 3. slapd from Debian's configuration and the installed examples --------
step "slapd on the installed module, configured from the installed examples"
ex=/usr/share/doc/slapo-pim/examples
T=$work/slapd
mkdir -p "$T/db" "$T/slapd.d"
init=/usr/share/slapd/slapd.init.ldif
[ -f "$init" ] || die "no $init (Debian's slapd package)"
sed -e "s|@SUFFIX@|$BASE|g" -e "s|@PASSWORD@|$MANAGER_PW|g" \
    -e "s|/var/run/slapd/|$T/|g" -e "s|^olcDbDirectory: .*|olcDbDirectory: $T/db|" \
    -e "s|^olcLogLevel: none|olcLogLevel: stats|" "$init" >"$T/init.ldif"
slapadd -n 0 -F "$T/slapd.d" -l "$T/init.ldif" >"$T/slapadd.log" 2>&1 ||
	{ cat "$T/slapadd.log"; die "slapadd of Debian's initial configuration"; }
PORT=$(pim_free_port) || die "no free port"
URI="ldap://127.0.0.1:$PORT/"
sock=$T/ldapi
LDAPI="ldapi://${sock//\//%2F}"

start_slapd() {
	local i
	/usr/sbin/slapd -h "$URI $LDAPI" -F "$T/slapd.d" -d stats >>"$T/slapd.log" 2>&1 &
	SLAPD_PID=$!
	for i in $(seq 1 100); do
		ldapsearch -x -H "$URI" -b "" -s base -LLL namingContexts >/dev/null 2>&1 && return 0
		kill -0 "$SLAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$T/slapd.log"
	SLAPD_PID=""
	return 1
}
config() { ldapmodify -Q -Y EXTERNAL -H "$LDAPI" "$@"; }

start_slapd && ok "slapd starts on Debian's initial configuration" || die "slapd did not start"
expect_rc 0 "example 01: load the module (cn=module{0})" config -f "$ex/01-module.ldif"
# the seed lab's directory, but for the container, which example 02 adds
awk -v RS= -v ORS='\n\n' '!/^dn: cn=pim,dc=example,dc=com\n/' "$top/tests/data/demo.ldif" >"$T/demo.ldif"
expect_rc 0 "the seed lab's directory (without its container)" as manager ldapadd -f "$T/demo.ldif"
expect_rc 0 "example 02: the container and the PIM administrators" as manager ldapadd -f "$ex/02-container.ldif"
expect_rc 0 "example 03: indexes" config -f "$ex/03-indexes.ldif"
expect_rc 0 "example 04: the overlay" config -f "$ex/04-overlay.ldif"
expect_rc 0 "example 05: the ACLs" config -f "$ex/05-acls.ldif"
[ "$PIM_FAILURES" -eq 0 ] || die "the installed examples do not apply"

# A restart: the module now loads from the stored configuration.
stop_slapd
start_slapd && ok "slapd restarts with the examples' configuration" || die "slapd did not restart"
grep -q '^olcModulePath: /usr/lib/ldap$' "$T/slapd.d/cn=config/cn=module{0}.ldif" &&
	grep -q '^olcModuleLoad: {1}pim.la$' "$T/slapd.d/cn=config/cn=module{0}.ldif" &&
	ok "cn=module{0}: pim.la by name, from olcModulePath /usr/lib/ldap" || bad "cn=module{0} is not as expected"
grep -q ' /usr/lib/ldap/pim.so$' "/proc/$SLAPD_PID/maps" && ok "slapd mapped the installed /usr/lib/ldap/pim.so" ||
	bad "slapd did not map /usr/lib/ldap/pim.so"
! grep -q "$top" "/proc/$SLAPD_PID/maps" && ok "nothing from the build tree is loaded" || bad "slapd maps a file of $top"

memberof_hits() {
	as demo ldapsearch -LLL -b "ou=people,$BASE" "(&(uid=demo)(memberOf=$ROLE))" 1.1 | grep -c '^dn:'
}
check "demo without roles creates a user (ldapadd rc)" 50 "$(can_create_user demo lab1)"
expect_rc 0 "admin (a PIM administrator through example 02's group) makes demo eligible" \
	as admin pimctl assign --eligible demo "User Administrator"
check "eligible, not active: demo creates a user (rc)" 50 "$(can_create_user demo lab2)"
check "eligible, not active: ldapcompare member" FALSE "$(is_member "$ROLE" "$DEMO")"
expect_rc 0 "demo activates for 2h with a reason" \
	as demo pimctl activate "User Administrator" --duration 2h --reason "create the new hires"
expect_out "^activated .* until " "activate prints the expiry"
check "active: ldapcompare member" TRUE "$(is_member "$ROLE" "$DEMO")"
check "active: (memberOf=role) finds demo" 1 "$(memberof_hits)"
check "active: demo creates a user (rc)" 0 "$(can_create_user demo lab3)"
expect_rc 0 "demo lists roles" as demo pimctl roles
expect_out "^  User Administrator +active " "roles shows the active role"
expect_rc 0 "demo deactivates" as demo pimctl deactivate "User Administrator"
check "deactivated: ldapcompare member" FALSE "$(is_member "$ROLE" "$DEMO")"
check "deactivated: (memberOf=role) finds demo" 0 "$(memberof_hits)"
check "deactivated: demo creates a user (rc)" 50 "$(can_create_user demo lab4)"
grep -q 'pim: activated role="cn=user administrator,ou=roles,dc=example,dc=com" principal="uid=demo,ou=people,dc=example,dc=com"' "$T/slapd.log" &&
	grep -q 'pim: deactivated role=.* principal="uid=demo,ou=people,dc=example,dc=com"' "$T/slapd.log" &&
	ok "slapd's log has the activation and the deactivation" || bad "no activation/deactivation lines in slapd's log"
expect_rc 0 "the audit trail verifies (as the PIM administrator)" as admin pimctl audit verify
expect_rc 32 "example 05: the audit trail is hidden from demo" \
	as demo ldapsearch -LLL -b "cn=audit,$CONTAINER" -s base 1.1
stop_slapd

# --- 4. the seed lab, on the installed module and pimctl --------------------
step "tests/integration/seed-lab.sh with PIM_MODULE=/usr/lib/ldap/pim.so PIMCTL=/usr/bin/pimctl"
if PIM_TOP_SRCDIR=$top PIM_TOP_BUILDDIR=$work PIM_MODULE=/usr/lib/ldap/pim.so PIM_TOOL_MODULE=/usr/lib/ldap/pim.so \
	PIMCTL=/usr/bin/pimctl bash "$top/tests/integration/seed-lab.sh" >"$work/seed-lab.log" 2>&1; then
	ok "seed-lab.sh: $(tail -n 1 "$work/seed-lab.log")"
else
	grep -E '^not ok|FAIL' "$work/seed-lab.log"
	bad "seed-lab.sh on the installed package (log: $work/seed-lab.log)"
fi

# --- 5. remove ----------------------------------------------------------------
step "purging it"
if dpkg --purge slapo-pim >"$work/dpkg-purge.log" 2>&1; then
	ok "dpkg --purge slapo-pim"
	installed_by_us=0
else
	cat "$work/dpkg-purge.log"
	bad "dpkg --purge slapo-pim"
fi
dpkg-query -W -f='${Status}' slapo-pim 2>/dev/null | grep -q ' installed' && bad "slapo-pim is still installed" ||
	ok "slapo-pim is not installed"
left=""
while IFS= read -r f; do
	[ -e "$f" ] && [ ! -d "$f" ] && left="$left $f"
done <"$work/files"
[ -z "$left" ] && ok "none of its files is left" || bad "files left after the purge:$left"
[ -d /usr/share/doc/slapo-pim ] && bad "/usr/share/doc/slapo-pim is left" || true
[ "$PIM_FAILURES" -eq 0 ]
