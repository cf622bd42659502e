#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests for iscsiadm -m session on the fake sysfs tree built by
# tests/data/sysfs/mktree.sh.  The .out files were checked byte for byte
# against open-iscsi 2.1.8's iscsiadm on the same tree (bind-mounted on
# /sys in a private mount namespace).  No iscsid runs: a private IPC name
# makes sure none is reached.  REGEN=1 rewrites the golden files.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
golden=$top_srcdir/tests/data/session
tmp=$(mktemp -d /tmp/iscsikit-session-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sh "$top_srcdir/tests/data/sysfs/mktree.sh" "$tmp/sys" || exit 99
export ISCSI_ROOT="$tmp" ISCSI_IPC_NAME="iscsikit-golden-$$"
fail=0

# run NAME WANT_RC ARGS...: exit status, then stdout against NAME.out if present
run() {
	name=$1 want=$2
	shift 2
	"$top_builddir/iscsiadm" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: iscsiadm $*: exit $rc, want $want"; sed 's/^/  /' "$tmp/err"; fail=1
	fi
	if [ "${REGEN:-}" = 1 ] && [ -s "$tmp/out" ]; then cp "$tmp/out" "$golden/$name.out"; fi
	if [ -f "$golden/$name.out" ]; then
		diff -u "$golden/$name.out" "$tmp/out" || { echo "FAIL $name: stdout differs"; fail=1; }
	elif [ -s "$tmp/out" ]; then
		echo "FAIL $name: unexpected output"; cat "$tmp/out"; fail=1
	fi
}

# stderr NEEDLE: the last run's stderr contains NEEDLE
stderr_has() {
	grep -qF -- "$1" "$tmp/err" || { echo "FAIL $name: stderr lacks '$1'"; cat "$tmp/err"; fail=1; }
}

run list 0 -m session
run P0 0 -m session -P 0
run P1 0 -m session -P 1
run P2 0 -m session -P 2
run P3 0 -m session -P 3
run P2-S 0 -m session -P 2 -S
run r2-P1 0 -m session -r 2 -P 1
run r2-path-P3 0 -m session -r /sys/class/iscsi_session/session2/ -P 3
run bad-level 7 -m session -P 4
stderr_has "iscsiadm: Invalid info level 4. Try 0 - 3."
run bad-sid 22 -m session -r 9 -P 1
stderr_has "iscsiadm: Could not get session info for sid 9"
run bad-sid-arg 7 -m session -r abc -P 1
run bad-option 7 -m session -T iqn.x
stderr_has "session mode: option '-T' is not allowed/supported"
run rescan 0 -m session -r 1 -R
[ "$(cat "$tmp/sys/class/scsi_host/host2/scan")" = "- - -" ] || { echo "FAIL rescan: host scan not written"; fail=1; }
[ "$(cat "$tmp/sys/bus/scsi/devices/2:0:0:0/rescan")" = "1" ] || { echo "FAIL rescan: device not rescanned"; fail=1; }
run stats-no-iscsid 20 -m session -r 1 -s
stderr_has "iscsiadm: Could not execute operation on all sessions: could not connect to iscsid"
run logout-no-iscsid 20 -m session -r 1 -u
stderr_has "iscsiadm: Could not logout of [sid: 1, target: iqn.2024-01.test:tgt1, portal: 127.0.0.1,3260]."
run kill-no-iscsid 0 -k 0
stderr_has "iscsiadm: Could not stop iscsid."
run kill-bad-priority 0 -k 1
stderr_has "iscsiadm: Invalid iscsid priority 1. Priority must be 0."

# hostile sysfs content: a clear error for that session, the others still listed
printf 'iqn.evil\033[2J\n' > "$tmp/sys/class/iscsi_session/session1/targetname"
run hostile-list 22 -m session
stderr_has "holds control characters"
rm -rf "$tmp/sys/class/iscsi_session"
run none 21 -m session
stderr_has "iscsiadm: No active sessions."
run none-P3 21 -m session -P 3

[ $fail = 0 ] && echo "session golden tests passed"
exit $fail
