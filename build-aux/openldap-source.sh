#!/bin/sh
# openldap-source.sh - find or fetch the OpenLDAP source of the *installed*
# slapd, and configure it with the distribution's own options, so that the
# module sees the same struct layouts as the slapd that loads it.
#
#   openldap-source.sh --builddir DIR [--source SRC]
#
# On success prints shell assignments on stdout:
#   OPENLDAP_SRC=... OPENLDAP_BUILD=... OPENLDAP_VERSION=...
# Progress and errors go to stderr.  Exit 1 on any failure, including a
# source whose version differs from the installed slapd's.
set -eu

builddir=""; source=""
while [ $# -gt 0 ]; do
	case "$1" in
	--builddir) builddir=$2; shift 2 ;;
	--source) source=$2; shift 2 ;;
	*) echo "openldap-source.sh: unknown argument $1" >&2; exit 1 ;;
	esac
done
[ -n "$builddir" ] || { echo "openldap-source.sh: --builddir is required" >&2; exit 1; }
mkdir -p "$builddir"
builddir=$(cd "$builddir" && pwd)

die() { echo "openldap-source.sh: $*" >&2; exit 1; }

# The installed slapd's version: Debian's package version when there is one
# (it names the exact source package), else what slapd says of itself.
installed=""
if command -v dpkg-query >/dev/null 2>&1; then
	installed=$(dpkg-query -W -f='${Version}' slapd 2>/dev/null || true)
fi
if [ -z "$installed" ]; then
	slapd=${SLAPD:-/usr/sbin/slapd}
	[ -x "$slapd" ] || die "no installed slapd found (install Debian's slapd, or set SLAPD)"
	installed=$("$slapd" -VV 2>&1 | sed -n 's/.*slapd \([0-9][^ ]*\).*/\1/p' | head -n 1)
fi
[ -n "$installed" ] || die "cannot tell the installed slapd's version"
upstream=$(echo "$installed" | sed 's/^[0-9]*://; s/[+~-].*//')

# The version a source tree claims: the Debian changelog's, or upstream's.
tree_version() {
	if [ -f "$1/debian/changelog" ]; then
		sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$1/debian/changelog"
	elif [ -f "$1/build/version.var" ]; then
		. "$1/build/version.var"
		echo "$ol_major.$ol_minor.$ol_patch"
	fi
}

check_version() {
	v=$(tree_version "$1")
	[ -n "$v" ] || die "$1 does not look like an OpenLDAP source tree"
	case "$v" in
	*-*) [ "$v" = "$installed" ] || die "source $1 is version $v but the installed slapd is $installed: build against the same version" ;;
	*) [ "$(echo "$v" | sed 's/[+~-].*//')" = "$upstream" ] || die "source $1 is version $v but the installed slapd is $installed: build against the same version" ;;
	esac
	echo "$v"
}

fetch_debian_source() {
	command -v apt-get >/dev/null 2>&1 || die "no --with-openldap-source given and no apt-get to fetch the source with"
	if [ "$(id -u)" -eq 0 ]; then
		rc=0
		sh "$(dirname "$0")/deb-src.sh" || rc=$?
		if [ $rc -eq 10 ]; then
			apt-get update >&2 || true
		elif [ $rc -ne 0 ]; then
			die "cannot add a deb-src entry"
		fi
		echo "installing openldap's build dependencies" >&2
		DEBIAN_FRONTEND=noninteractive apt-get build-dep -y "openldap=$installed" >&2 ||
			die "apt-get build-dep openldap failed"
	fi
	mkdir -p "$builddir/src"
	( cd "$builddir/src" && apt-get source --only-source "openldap=$installed" >&2 ) ||
		die "apt-get source openldap=$installed failed (is there a deb-src entry? run as root once to add one)"
}

if [ -n "$source" ]; then
	source=$(cd "$source" && pwd) || die "no such directory: $source"
	version=$(check_version "$source")
	if [ -f "$source/include/portable.h" ]; then
		echo "OPENLDAP_SRC='$source' OPENLDAP_BUILD='$source' OPENLDAP_VERSION='$version'"
		exit 0
	fi
	if [ -f "$source/debian/build/include/portable.h" ]; then
		echo "OPENLDAP_SRC='$source' OPENLDAP_BUILD='$source/debian/build' OPENLDAP_VERSION='$version'"
		exit 0
	fi
else
	source=$(ls -d "$builddir"/src/openldap-"$upstream"* 2>/dev/null | head -n 1 || true)
	if [ -z "$source" ] || [ "$(tree_version "$source")" != "$installed" ]; then
		rm -rf "$builddir/src"
		fetch_debian_source
		source=$(ls -d "$builddir"/src/openldap-"$upstream"* | head -n 1)
	fi
	version=$(check_version "$source")
fi

# Configure out of tree with the distribution's options (Debian keeps them,
# one per line, in debian/configure.options; debian/rules adds the CFLAGS).
build="$builddir/build"
stamp="$build/.pim-configured"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$source $version" ]; then
	rm -rf "$build"; mkdir -p "$build"
	opts=""
	if [ -f "$source/debian/configure.options" ]; then
		opts=$(grep -v '^#' "$source/debian/configure.options" | tr '\n' ' ')
	else
		echo "warning: $source has no debian/configure.options; configuring with --enable-modules --enable-slapi only" >&2
		opts="--enable-modules --enable-slapi --enable-dynacl --enable-overlays=mod"
	fi
	echo "configuring OpenLDAP $version in $build" >&2
	( cd "$build" && eval "CFLAGS='-g -O2 -D_FILE_OFFSET_BITS=64 -D_GNU_SOURCE' '$source/configure' --prefix=/usr $opts" ) >"$builddir/configure.log" 2>&1 ||
		die "configuring OpenLDAP failed; see $builddir/configure.log"
	# slap.h needs the generated ldap_config.h too (made by "make" in include/)
	make -C "$build/include" ldap_config.h >>"$builddir/configure.log" 2>&1 ||
		die "generating ldap_config.h failed; see $builddir/configure.log"
	echo "$source $version" > "$stamp"
fi
echo "OPENLDAP_SRC='$source' OPENLDAP_BUILD='$build' OPENLDAP_VERSION='$version'"
