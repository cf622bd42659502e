#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dump-db.sh DIR: a comparable listing of a node database: every path with
# its kind, symlink targets relative to DIR's "/etc/iscsi", file contents.
# iscsid.conf is left out (it is the fixture's, never written).
set -u
cd "$1" || exit 1
root=$(pwd)
find . -mindepth 1 ! -name iscsid.conf | LC_ALL=C sort | while IFS= read -r p; do
	if [ -L "$p" ]; then
		t=$(readlink "$p")
		case $t in "$root"/*) t=/etc/iscsi${t#"$root"} ;; esac
		echo "L $p -> $t"
	elif [ -d "$p" ]; then
		# the reference creates empty top-level directories on lookups
		case $p in ./*/*) ;; *) [ -z "$(ls -A "$p")" ] && continue ;; esac
		echo "D $p"
	else
		echo "F $p $(stat -c %a "$p")"
		sed 's/^/	/' "$p"
	fi
done
