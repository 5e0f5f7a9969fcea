#!/bin/sh
# deb-src.sh - make sure apt knows a deb-src entry for Debian's archive
# (apt-get source and build-dep need one).  Run as root.  Exit 0 when
# one was already there, 10 when this script added it (the caller then
# runs apt-get update).
set -eu
if grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	exit 0
fi
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
cat > /etc/apt/sources.list.d/pim-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
echo "deb-src.sh: added a deb-src entry for Debian's archive" >&2
exit 10
