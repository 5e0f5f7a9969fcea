#!/bin/bash
# sandbox.sh - the main job on a fresh machine: install what is needed (as
# root), build slapo-pim, and start a sandbox slapd on loopback with the
# overlay and the seed lab's demo directory.  Then print what to try.
#
#   bash tests/sandbox.sh          set up (if needed) and start
#   bash tests/sandbox.sh stop     stop the sandbox slapd
#
# The sandbox lives in ./sandbox (remove it to start over); it listens on
# ldap://127.0.0.1:3890/ unless PIM_PORT says otherwise.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PIM_TOP_SRCDIR=$top PIM_TOP_BUILDDIR=$top
dir=$top/sandbox
port=${PIM_PORT:-3890}

if [ "${1:-}" = stop ]; then
	if [ -f "$dir/slapd.pid" ] && kill "$(cat "$dir/slapd.pid")" 2>/dev/null; then
		echo "sandbox slapd stopped"
	else
		echo "no sandbox slapd running"
	fi
	exit 0
fi

if [ ! -x tools/pimctl ] || [ ! -f overlay/.libs/pim.so ]; then
	if [ "$(id -u)" -eq 0 ]; then
		bash build-aux/setup-machine.sh
	fi
	[ -x configure ] || autoreconf -fi
	[ -f Makefile ] || ./configure
	make -j2
fi

# shellcheck source=integration/lib.sh
. "$top/tests/integration/lib.sh"
if [ -f "$dir/slapd.pid" ] && kill -0 "$(cat "$dir/slapd.pid")" 2>/dev/null; then
	echo "the sandbox slapd is already running (bash tests/sandbox.sh stop)"
else
	if [ ! -d "$dir/slapd.d/cn=config" ]; then
		rm -rf "$dir"
		pim_prepare "$dir"
	fi
	T=$dir
	URI="ldap://127.0.0.1:$port/"
	nohup "$PIM_SLAPD" -h "$URI" -F "$dir/slapd.d" -d stats >"$dir/slapd.log" 2>&1 &
	for _ in $(seq 1 50); do
		ldapsearch -x -H "$URI" -b "" -s base >/dev/null 2>&1 && break
		sleep 0.1
	done
	ldapsearch -x -H "$URI" -b "" -s base >/dev/null 2>&1 ||
		{ tail "$dir/slapd.log"; echo "the sandbox slapd did not start" >&2; exit 1; }
fi

cat <<MSG

slapo-pim sandbox: slapd with the pim overlay on ldap://127.0.0.1:$port/
(configuration $dir/slapd.d, log $dir/slapd.log)

The seed lab's directory: uid=admin (PIM administrator, password admin-secret),
uid=demo (no roles, password demo-secret), the role "User Administrator",
whose members may create users under ou=people.  Try:

  P="tools/pimctl -H ldap://127.0.0.1:$port/ -x -b dc=example,dc=com"
  \$P -D uid=demo,ou=people,dc=example,dc=com -w demo-secret roles
  \$P -D uid=admin,ou=people,dc=example,dc=com -w admin-secret assign --eligible demo "User Administrator"
  \$P -D uid=demo,ou=people,dc=example,dc=com -w demo-secret activate "User Administrator" --duration 2h --reason "onboarding"
  ldapadd -x -H ldap://127.0.0.1:$port/ -D uid=demo,ou=people,dc=example,dc=com -w demo-secret <<LDIF
dn: uid=newhire,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: newhire
cn: New Hire
sn: Hire
LDIF
  \$P -D uid=demo,ou=people,dc=example,dc=com -w demo-secret deactivate "User Administrator"

Stop it with: bash tests/sandbox.sh stop
MSG
