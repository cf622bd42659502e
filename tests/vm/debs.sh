#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debs.sh - download Debian packages by exact name and unpack them with
# dpkg -x under the VM cache, plus the lib* packages they depend on that
# this host lacks, so the VM can carry the reference open-iscsi.  Never
# installs anything and runs no maintainer scripts.
#
# usage: debs.sh PKG...     prints the unpacked root (…/debs/root)
# env:   VM_CACHE as kernel.sh
set -euo pipefail

if [ "$(id -u)" = 0 ]; then DEFAULT_CACHE=/var/cache/iscsikit-vm; else DEFAULT_CACHE=/tmp/iscsikit-vm-$(id -u); fi
DIR=${VM_CACHE:-$DEFAULT_CACHE}/debs
mkdir -p "$DIR/pool" "$DIR/root" "$DIR/stamps"
exec 9>"$DIR/.lock"
flock 9

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
# first alternative of each (Pre)Depends; virtual names (<…>) skipped
deps() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
		--no-replaces --no-enhances "$1" 2>/dev/null |
	awk '$1 ~ /^\|?(Pre)?Depends:$/ && $2 !~ /^</ { if (!alt) print $2; alt = ($1 ~ /^\|/); next }
	     { alt = 0 }' | sed 's/:any$//' | sort -u
}
fetch() {
	local pkg=$1 deb d
	[ -e "$DIR/stamps/$pkg" ] && return 0
	deb=$(cd / && apt-get -q -o APT::Sandbox::User=root download --print-uris "$pkg" 2>/dev/null |
		awk 'NR == 1 { print $2 }')
	[ -n "$deb" ] || { echo "debs.sh: apt knows no package $pkg" >&2; return 1; }
	if [ ! -s "$DIR/pool/$deb" ]; then
		echo "debs.sh: downloading $pkg" >&2
		(cd "$DIR/pool" && apt-get -q -o APT::Sandbox::User=root download "$pkg" >&2) || return 1
	fi
	dpkg-deb -x "$DIR/pool/$deb" "$DIR/root"
	echo "$deb" > "$DIR/stamps/$pkg"
	for d in $(deps "$pkg"); do
		case $d in lib*) installed "$d" || fetch "$d" ;; esac
	done
}
for p in "$@"; do fetch "$p"; done
echo "$DIR/root"
