#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iscsiadm -m node -l/-u/-L/-U against an iscsid without kernel iSCSI
# (ISCSID_NO_KERNEL=1) on a private root: the lines, their order and the
# exit codes that do not need a kernel (21 nothing, 7 bad -L, 12 no kernel
# transport, 27 logout refused).  The kernel path is tests/vm/guest/session-ours.sh.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
iscsid=$top_builddir/iscsid
iscsiadm=$top_builddir/iscsiadm
iscsid_root_name=nodelogin
. "$top_srcdir/tests/lib/iscsid_root.sh"
ISCSID_NO_KERNEL=1 "$iscsid" -c "$tmp/etc/iscsi/iscsid.conf" -p "$pidfile" 2>"$tmp/log" ||
	{ echo "FAIL: iscsid: $(cat "$tmp/log")"; exit 1; }

no() { echo "FAIL: $*"; fail=1; }
# want RC EXPECTED-OUTPUT CMD...: exit status and whole stdout+stderr
want() {
	rc=$1 exp=$2; shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$rc" ] || no "'$*' exited $got, want $rc (output: $out)"
	[ "$out" = "$exp" ] || no "'$*' printed '$out', want '$exp'"
}

T=iqn.2024-01.test:login1
want 21 "iscsiadm: No records found" "$iscsiadm" -m node -T $T -p 127.0.0.1 -l
want 21 "iscsiadm: No records found" "$iscsiadm" -m node -L automatic
"$iscsiadm" -m node -o new -T $T -p 127.0.0.1:3260 > /dev/null || no "-o new"
want 12 "Logging in to [iface: default, target: $T, portal: 127.0.0.1,3260]
iscsiadm: Could not login to [iface: default, target: $T, portal: 127.0.0.1,3260].
iscsiadm: initiator reported error (12 - iSCSI driver not found. Please make sure it is loaded, and retry the operation)" \
	"$iscsiadm" -m node -T $T -p 127.0.0.1 -l
# -L selects on node.startup: manual records are not "automatic"
want 21 "iscsiadm: No records found" "$iscsiadm" -m node -L automatic
"$iscsiadm" -m node -T $T -o update -n node.startup -v automatic || no "-o update"
out=$("$iscsiadm" -m node -L automatic 2>&1); [ $? = 12 ] || no "-L automatic: $out"
want 21 "iscsiadm: No matching sessions found" "$iscsiadm" -m node -T $T -p 127.0.0.1 -u
want 21 "iscsiadm: No matching sessions found" "$iscsiadm" -m node -T nosuch -u
want 21 "iscsiadm: No matching sessions found" "$iscsiadm" -m node -T nosuch -R
# the fake sysfs tree has sessions 1 and 2: -U all finds their targets' records absent
want 21 "iscsiadm: No matching sessions found" "$iscsiadm" -m node -U all
# a session in sysfs for -u: iscsid without a kernel refuses the logout (27)
out=$("$iscsiadm" -m node -T iqn.2024-01.test:tgt1 -u 2>&1); rc=$?
[ $rc = 27 ] || no "-u of a sysfs session exited $rc: $out"
case $out in
"Logging out of session [sid: 1, target: iqn.2024-01.test:tgt1, portal: 127.0.0.1,3260]"*"Could not logout of [sid: 1"*) ;;
*) no "-u printed '$out'";;
esac
[ $fail = 0 ] && echo "PASS: node login/logout CLI"
exit $fail
