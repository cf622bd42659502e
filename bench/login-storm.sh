#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/login-storm.sh [N ...]   (default: 16 64 128)
# Login storm in ONE VM (QEMU/TCG, Debian's kernel, LIO): N targets with a
# 1 MiB RAM disk each; "iscsiadm -m node -L all" until all N disks are
# visible, iscsid's resident memory with N sessions, "-U all" until none is
# left; first the reference (Debian's open-iscsi 2.1.8), then ours on the
# same targets.  Ours runs once it can log in: ISCSIKIT_VM_LOGIN=1.
# Issue 5's goal: linear growth, 128 logins in at most 1/5 of the reference.
# Reference measured on the build machines (../shared/vm): 1.5 s, 15.0 s,
# 55.3 s.  TCG times move with host load: compare only within one run.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${top_builddir:-$SRC}
NS=(${*:-16 64 128})
WHO=ref
VM=()
if [ "${ISCSIKIT_VM_LOGIN:-0}" = 1 ]; then
	[ -x "$B/iscsid" ] || { echo "login-storm: $B/iscsid not built" >&2; exit 1; }
	WHO=ref,ours
	VM+=(-b "$B/iscsiadm:/usr/local/sbin/iscsiadm" -b "$B/iscsid:/usr/local/sbin/iscsid")
	for d in "$B"/plugins/*/.libs; do VM+=(-P "$d"); done
fi
R=$(bash "$SRC/tests/vm/debs.sh" open-iscsi) || exit 1
VM+=(-b "$R/sbin/iscsid:/opt/ref/sbin/iscsid" -b "$R/sbin/iscsiadm:/opt/ref/sbin/iscsiadm"
     -L "$R/usr/lib/x86_64-linux-gnu" -L "$R/lib/x86_64-linux-gnu")
LOG=$(mktemp "${TMPDIR:-/tmp}/iscsikit-storm.XXXXXX")
trap 'rm -f "$LOG"' EXIT

echo "login storm: ${NS[*]} targets, initiators: $WHO (one VM, TCG, ${VM_CPUS:-2} vCPUs)"
bash "$SRC/tests/vm/run-vm.sh" "${VM[@]}" -t "${VM_TIMEOUT:-1800}" -m 2048 -l "$LOG" \
	"$SRC/tests/vm/guest/storm.sh" "$WHO" "${NS[@]}" > /dev/null
rc=$?
grep -E '^(TIMING|FAIL|STORM)' "$LOG"
[ $rc = 0 ] || echo "login-storm: the VM run failed (status $rc); console above is partial"

# table: N, reference and ours login/logout/RSS, ours/ref login ratio
awk '
BEGIN { paper[16] = 1.5; paper[64] = 15.0; paper[128] = 55.3 }
/^STORM / && !/skipped/ {
	for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	key = v["who"] SUBSEP v["n"]
	login[key] = v["login"]; logout[key] = v["logout"]; rss[key] = v["rss_kb"]; ok[key] = v["ok"]
	if (!(v["n"] in seen)) { seen[v["n"]] = 1; ns[++nn] = v["n"] }
}
END {
	printf "\n%5s | %-30s | %-30s | %s\n", "N", "reference -L all / -U all / RSS", "ours -L all / -U all / RSS", "ours/ref"
	for (i = 1; i <= nn; i++) {
		n = ns[i]; r = "ref" SUBSEP n; o = "ours" SUBSEP n
		rs = (r in login) ? sprintf("%6.2fs %6.2fs %6d kB%s", login[r], logout[r], rss[r], ok[r] ? "" : " !") : "-"
		os = (o in login) ? sprintf("%6.2fs %6.2fs %6d kB%s", login[o], logout[o], rss[o], ok[o] ? "" : " !") : "not run"
		ratio = (r in login && o in login && login[r] > 0) ? sprintf("%.2f", login[o] / login[r]) : "-"
		printf "%5d | %-30s | %-30s | %s%s\n", n, rs, os, ratio,
			(n in paper) ? sprintf("   (reference on the build machines: %.1fs)", paper[n]) : ""
	}
	print "(\"!\": a check failed in that run; see the FAIL lines)"
}' "$LOG"
exit $rc
