#!/bin/sh
# setup-machine.sh - install what building and testing slapo-pim needs on a
# Debian (bookworm) machine: Debian's slapd and ldap-utils (the real parts
# the tests run), the build tools, Check, and a deb-src entry so that
# configure can fetch the installed slapd's source.  Idempotent; run as root.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-machine.sh: run as root (it installs Debian packages)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# sudo-ldap (tests/integration/role-kinds.sh checks sudoRole roles with
# it) replaces sudo, whose removal asks for this.
export SUDO_FORCE_REMOVE=yes

# slapd's package would otherwise make and start a default directory of
# its own; the tests and the sandbox run their own slapd.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections

sh "$(dirname "$0")/deb-src.sh" || [ $? -eq 10 ]

# A source list this machine cannot reach must not stop the others.
apt-get update || true
apt-get install -y --no-install-recommends \
	slapd ldap-utils libldap-dev nslcd libnss-ldapd sudo-ldap libsasl2-dev nettle-dev check libjson-c-dev libqrencode-dev libcurl4-gnutls-dev python3-aiosmtpd \
	gcc make autoconf automake libtool pkg-config \
	dpkg-dev ca-certificates bc python3 procps valgrind \
	clang libclang-rt-14-dev \
	debhelper fakeroot dh-autoreconf git
# tests/package/run.sh builds the Debian package (debian/control's
# Build-Depends are openldap's build dependencies below, and the above).
# configure builds against the installed slapd's own source, configured
# with Debian's options: that needs openldap's build dependencies.
apt-get build-dep -y openldap
