#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: OUR iscsid's session lifecycle against LIO over 127.0.0.1
# : the first login loads
# iscsi_tcp, a second login is refused (15), dd O_DIRECT write/read/md5,
# the portal group disabled and re-enabled (recovery, data intact), iscsid
# restarted (the new one adopts the kernel session and recovers it too),
# -L all / -U all, -l -W, -m node -R, -m session -P 3, logout while the
# session reconnects, an iface bound to lo (works) and to dummy0 (fails),
# logout through -m session -r SID -u.  Not the reference: lio-tcp-* is.
# usage (host): tests/vm/suite.sh session-ours
. /vm/lib.sh

INI=iqn.2004-10.com.example.vm:initiator
TGT=iqn.2003-01.org.example.vm:lio-demo
P=127.0.0.1
T=$LIO/iscsi/$TGT/tpgt_1
ini_use ours
LOG=/tmp/iscsid-$INI_WHO.log
vm_require "our iscsid and iscsiadm are in this VM" ini_have

# iscsi_tcp is left to iscsid: the first login loads it (the transport
# plugin names the module), as the reference's transport lookup does
vm_require "modules" vm_step "modprobe" vm_modprobe scsi_transport_iscsi sd_mod
vm_require "LIO" vm_step "modprobe LIO" lio_load
vm_require "LIO target" sh -c ". /vm/lib.sh; BS=\$(lio_backstore_rd disk0 64) && lio_target $TGT $P:3260 \"\$BS\""
ini_setup $INI
vm_require "iscsid starts" vm_step "iscsid start" iscsid_start -d 2
vm_step discovery $ADM -m discovery -t st -p $P
vm_require "login" vm_step login $ADM -m node -T $TGT -p $P -l
vm_check "iscsid loaded iscsi_tcp" test -d /sys/class/iscsi_transport/tcp
vm_check "-m node -R" sh -c "$ADM -m node -T $TGT -p $P -R | grep -q '^Rescanning session \[sid: '"
vm_expect_rc "second login refused (15)" 15 $ADM -m node -T $TGT -p $P -l
vm_require "disk appears" vm_step "disk appears" iscsi_wait_disks 1 $TGT
DISK=$(iscsi_session_disks $TGT | head -n1)
echo "disk: $DISK size $(cat /sys/block/${DISK#/dev/}/size)"
dd if=/dev/urandom of=/tmp/pattern bs=1M count=16 2>/dev/null
SUM=$(vm_md5 /tmp/pattern)
vm_check "dd write" vm_step "write 16MiB" dd if=/tmp/pattern of="$DISK" bs=1M oflag=direct conv=fsync
vm_check "dd read" vm_step "read 16MiB" dd if="$DISK" of=/tmp/readback bs=1M count=16 iflag=direct
vm_check "data equal" test "$(vm_md5 /tmp/readback)" = "$SUM"

echo "== recovery: LIO drops the connection (tpgt disabled for 2 s)"
echo 0 > $T/enable; sleep 2; echo 1 > $T/enable
vm_check "read after recovery" vm_step "read after recovery" \
	test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
vm_check "iscsid logged the recovery" grep -q "operational after recovery" $LOG

echo "== iscsid restart keeps the session"
iscsid_stop
cp $LOG $LOG.1
vm_check "session survives iscsid exit" sh -c 'ls -d /sys/class/iscsi_session/session*'
vm_require "iscsid restarts" iscsid_start -d 2
vm_check "read after iscsid restart" test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
vm_check "restarted iscsid adopted the session" grep -q "adopted from the kernel" $LOG
echo 0 > $T/enable; sleep 2; echo 1 > $T/enable
vm_check "adopted session recovers" test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
vm_check "iscsid logged that recovery" grep -q "operational after recovery" $LOG

echo "== -L all / -U all / -W"
vm_expect_rc "-L all: already present (15)" 15 $ADM -m node -L all
vm_check "-U all" vm_step "logout all" $ADM -m node -U all
vm_check "-l -W" $ADM -m node -T $TGT -p $P -l -W
vm_check "-W login completes" vm_wait_for 15 sh -c ". /vm/lib.sh; [ -n \"\$(iscsi_session_disks $TGT)\" ]"
DISK=$(iscsi_session_disks $TGT | head -n1)
vm_check "read after -W login" test "$(vm_read_md5 "$DISK" 16 direct)" = "$SUM"
vm_step "session -P 3" $ADM -m session -P 3 > /tmp/s3 2>&1
cat /tmp/s3
vm_grep "-P 3: session logged in" "iSCSI Session State: LOGGED_IN" /tmp/s3
vm_grep "-P 3: attached disk running" "Attached scsi disk ${DISK#/dev/}[[:space:]]+State: running" /tmp/s3

echo "== logout wins over recovery (target gone)"
echo 0 > $T/enable; sleep 3
vm_check "logout" vm_step "logout during recovery" $ADM -m node -T $TGT -p $P -u
echo 1 > $T/enable
vm_check "no session left" iscsi_no_sessions
vm_expect_rc "logout again: none (21)" 21 $ADM -m node -T $TGT -p $P -u

echo "== iface bound to a netdev (SO_BINDTODEVICE)"
$ADM -m iface -I lo0 -o new > /dev/null
$ADM -m iface -I lo0 -o update -n iface.net_ifacename -v lo
$ADM -m discovery -t st -p $P -I lo0 > /dev/null
vm_check "login through iface lo0 (net_ifacename lo)" $ADM -m node -T $TGT -p $P -I lo0 -l
vm_check "kernel session names iface lo0" grep -qx lo0 /sys/class/iscsi_session/session*/ifacename
SID=$(basename /sys/class/iscsi_session/session* | sed 's/session//')
vm_check "logout lo0 via -m session -r $SID -u" $ADM -m session -r "$SID" -u
vm_check "no session after -r -u" iscsi_no_sessions
if vm_check "dummy0 up" sh -c 'modprobe dummy && ip link set dummy0 up'; then
	$ADM -m iface -I dum0 -o new > /dev/null
	$ADM -m iface -I dum0 -o update -n iface.net_ifacename -v dummy0
	$ADM -m node -o new -T $TGT -p $P -I dum0 > /dev/null
	$ADM -m node -T $TGT -p $P -I dum0 -o update -n node.session.initial_login_retry_max -v 1
	$ADM -m node -T $TGT -p $P -I dum0 -o update -n 'node.conn[0].timeo.login_timeout' -v 3
	# 127.0.0.1 is not reachable through dummy0: the binding is really applied
	vm_expect_rc "login through dummy0 fails: 8" 8 $ADM -m node -T $TGT -p $P -I dum0 -l
	vm_check "no session via dummy0" iscsi_no_sessions
fi
echo "== iscsid logs"; cat $LOG.1 $LOG
iscsid_stop
vm_check "LIO teardown" lio_clear
vm_summary
