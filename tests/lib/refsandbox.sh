#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# refsandbox.sh CMD [ARGS...] - run CMD in private net/mount/pid namespaces
# where Debian's reference iscsiadm 2.1.8 works without kernel iSCSI:
# private loopback (its own ports and iscsid socket name), a private
# /etc/iscsi and /run, an inert sysfs tcp transport entry, the iscsid config
# stub.  REFADM names the reference iscsiadm wrapper inside.  For tests and
# bench comparisons only; our own iscsiadm never needs any of this.
set -euo pipefail
LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${ISCSIKIT_REF_CACHE:-/var/cache/iscsikit-ref}

# refsandbox_fetch - unpack open-iscsi (+ libopeniscsiusr) into $CACHE/root.
refsandbox_fetch() {
	[ -x "$CACHE/root/sbin/iscsiadm" ] && return 0
	mkdir -p "$CACHE"
	(cd "$CACHE" && apt-get download open-iscsi libopeniscsiusr >/dev/null 2>&1) || return 1
	for d in "$CACHE"/open-iscsi_*.deb "$CACHE"/libopeniscsiusr_*.deb; do
		dpkg -x "$d" "$CACHE/root" || return 1
	done
	[ -x "$CACHE/root/sbin/iscsiadm" ]
}

if [ -z "${ISCSIKIT_REFSANDBOX:-}" ]; then
	refsandbox_fetch || { echo "refsandbox: cannot fetch open-iscsi" >&2; exit 77; }
	export ISCSIKIT_REFSANDBOX=1
	exec unshare --mount --net --pid --fork --mount-proc --propagation private "$0" "$@"
fi

STATE=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-ref.XXXXXX")
ip link set lo up
mkdir -p "$STATE/etc-up" "$STATE/etc-work" "$STATE/sys-up" "$STATE/sys-work"
# /etc/iscsi may not exist on the host: overlay /etc so it can be made here only
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$STATE/etc-up,workdir=$STATE/etc-work" /etc
mkdir -p /etc/iscsi
cp "$CACHE/root/etc/iscsi/iscsid.conf" /etc/iscsi/iscsid.conf
echo "InitiatorName=${REF_IQN:-iqn.2024-01.org.example:refinit}" > /etc/iscsi/initiatorname.iscsi
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock /run/tgtd
mount -t overlay overlay -o "lowerdir=/sys/class,upperdir=$STATE/sys-up,workdir=$STATE/sys-work" /sys/class
mkdir -p /sys/class/iscsi_transport/tcp /sys/class/iscsi_host /sys/class/iscsi_session \
	/sys/class/iscsi_connection
echo 1 > /sys/class/iscsi_transport/tcp/handle
echo 0x39 > /sys/class/iscsi_transport/tcp/caps

python3 "$LIB/iscsid_stub.py" /etc/iscsi > "$STATE/stub.log" 2>&1 &
STUB=$!
for _ in $(seq 100); do grep -q ready "$STATE/stub.log" && break; sleep 0.02; done
cat > "$STATE/refadm" <<EOW
#!/bin/sh
LD_LIBRARY_PATH=$CACHE/root/usr/lib/x86_64-linux-gnu exec $CACHE/root/sbin/iscsiadm "\$@"
EOW
chmod +x "$STATE/refadm"
export REFADM=$STATE/refadm
rc=0
"$@" || rc=$?
kill "$STUB" 2>/dev/null; wait "$STUB" 2>/dev/null || true
rm -rf "$STATE"
exit $rc
