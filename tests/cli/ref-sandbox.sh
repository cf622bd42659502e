#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ref-sandbox.sh STATE CMD [ARGS...]
# Run CMD in private mount and network namespaces where the reference
# iscsiadm's fixed paths point into STATE: /etc/iscsi is STATE/etc/iscsi and
# /run/lock/iscsi is STATE/run/lock/iscsi.  A stub answers the reference's
# config queries on its abstract socket.  Nothing on the host is touched:
# when /etc/iscsi does not exist, /etc is overlaid inside the namespace.
set -eu
if [ -z "${CLI_REF_SANDBOX:-}" ]; then
	CLI_REF_SANDBOX=1 exec unshare --mount --net --propagation private "$0" "$@"
fi
STATE=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$STATE/etc/iscsi" "$STATE/run/lock/iscsi"
if [ ! -d /etc/iscsi ]; then
	mkdir -p "$STATE/.etc-upper" "$STATE/.etc-work"
	mount -t overlay overlay \
		-o "lowerdir=/etc,upperdir=$STATE/.etc-upper,workdir=$STATE/.etc-work" /etc
	mkdir -p /etc/iscsi
fi
mount --bind "$STATE/etc/iscsi" /etc/iscsi
mount -t tmpfs -o mode=755 tmpfs /run/lock
mkdir -p /run/lock/iscsi
mount --bind "$STATE/run/lock/iscsi" /run/lock/iscsi
ip link set lo up 2>/dev/null || true
rm -f "$STATE/.stub-ready"
python3 "$HERE/../lib/iscsid_stub.py" /etc/iscsi "$STATE/.stub-ready" &
stub=$!
i=0
while [ ! -s "$STATE/.stub-ready" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
rc=0
"$@" || rc=$?
kill "$stub" 2>/dev/null || true
wait "$stub" 2>/dev/null || true
exit $rc
