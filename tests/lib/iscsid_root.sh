# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests that run our iscsid on a private root: sets $tmp
# (ISCSI_ROOT), a private IPC name from $iscsid_root_name (set before
# sourcing), $pidfile and $fail, a fake sysfs
# tree, an initiator name and a minimal iscsid.conf, and removes it all
# (stopping the daemon) on exit.
tmp=$(mktemp -d "/tmp/iscsikit-$iscsid_root_name-XXXXXX")
export ISCSI_ROOT=$tmp ISCSI_IPC_NAME="iscsikit-test-$iscsid_root_name-$$"
unset NOTIFY_SOCKET LISTEN_PID LISTEN_FDS
pidfile=$tmp/run/iscsid.pid
fail=0
cleanup() {
	[ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/etc/iscsi" "$tmp/run"
sh "$top_srcdir/tests/data/sysfs/mktree.sh" "$tmp/sys" || exit 99
echo "InitiatorName=iqn.2024-01.test:initiator" > "$tmp/etc/iscsi/initiatorname.iscsi"
echo "node.startup = manual" > "$tmp/etc/iscsi/iscsid.conf"
