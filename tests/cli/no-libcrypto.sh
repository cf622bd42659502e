#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The programs must not link libcrypto: core/crypto.c loads it when CHAP
# first needs it, which halves the start-up time of every iscsiadm run
# (1.7 -> 0.9 ms).  Also checks that an offline command never maps it.
set -eu
top=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
fail=0
for p in iscsiadm iscsistart iscsi-iname; do
	bin="$top/$p"
	[ -x "$top/.libs/$p" ] && bin="$top/.libs/$p"
	if readelf -d "$bin" | grep -q 'NEEDED.*libcrypto'; then
		echo "FAIL: $p links libcrypto" >&2
		fail=1
	fi
done
root=$(mktemp -d /tmp/iscsikit-nocrypto.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/iscsi"
maps=$(ISCSI_ROOT="$root" LD_DEBUG=files "$top/iscsiadm" -m node 2>&1 || true)
if printf '%s\n' "$maps" | grep -q 'file=libcrypto'; then
	echo "FAIL: iscsiadm -m node loaded libcrypto" >&2
	fail=1
fi
printf '%s\n' "$maps" | grep -q 'No records found' || { echo "FAIL: unexpected output: $maps" >&2; fail=1; }
exit $fail
