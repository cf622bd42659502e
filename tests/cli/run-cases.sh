#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run-cases.sh BIN STATE FIXTURES CASES OUTDIR
# For every line "<fixture> | <args>" of CASES: reset STATE/etc/iscsi to a
# copy of FIXTURES/<fixture>, run "BIN <args>" with cwd STATE, and keep its
# stdout, stderr, exit status and a dump of the resulting database in
# OUTDIR/<n>.{out,err,rc,db}.  Used for the reference (inside
# ref-sandbox.sh, where /etc/iscsi is STATE/etc/iscsi) and for ours
# (ISCSI_ROOT=STATE).  Lines starting with '#' and blank lines are skipped.
set -u
BIN=$1 STATE=$2 FIX=$3 CASES=$4 OUT=$5
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT" "$STATE/etc/iscsi" "$STATE/run/lock/iscsi"
n=0
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	n=$((n + 1))
	fix=${line%%|*}; fix=$(echo $fix)
	rest=${line#*|}
	args=${rest%%|*}
	find "$STATE/etc/iscsi" -mindepth 1 -delete 2>/dev/null
	rm -f "$STATE/run/lock/iscsi/"*
	cp -a "$FIX/$fix/." "$STATE/etc/iscsi/"
	(cd "$STATE" && eval "set -- $args" && "$BIN" "$@") \
		>"$OUT/$n.out" 2>"$OUT/$n.err" </dev/null
	echo $? >"$OUT/$n.rc"
	sh "$HERE/dump-db.sh" "$STATE/etc/iscsi" >"$OUT/$n.db"
done <"$CASES"
