#!/bin/sh
# Guest test (shared/vm harness): our iscsid + iscsiadm against LIO over
# 127.0.0.1: discovery, login, disk, dd write/read/compare, session -P 3,
# logout.  Host side: tests/session-vm/run.sh.
. /vm/lib.sh

INI=iqn.2004-10.com.example.vm:initiator
TGT=iqn.2003-01.org.example.vm:lio-demo
P=127.0.0.1

# iscsi_tcp is left to iscsid: the first login loads it (the transport
# plugin names the module), as the reference's transport lookup does
vm_require "modules" vm_step "modprobe" vm_modprobe scsi_transport_iscsi sd_mod
vm_require "LIO" vm_step "modprobe LIO" lio_load
BS=$(lio_backstore_rd disk0 64) && lio_target $TGT $P:3260 "$BS"
iscsi_setup $INI
vm_require "iscsid starts" vm_step "iscsid start" iscsid_start -d 2
vm_step discovery iscsiadm -m discovery -t st -p $P
vm_check "login" vm_step login iscsiadm -m node -T $TGT -p $P -l
vm_check "iscsid loaded iscsi_tcp" test -d /sys/class/iscsi_transport/tcp
vm_check "-m node -R" sh -c "iscsiadm -m node -T $TGT -p $P -R | grep -q '^Rescanning session \[sid: '"
vm_expect_rc "second login refused (15)" 15 iscsiadm -m node -T $TGT -p $P -l
if vm_check "disk appears" vm_step "disk appears" iscsi_wait_disks 1 $TGT; then
    DISK=$(iscsi_session_disks $TGT | head -n1)
    echo "disk: $DISK size $(cat /sys/block/${DISK#/dev/}/size)"
    dd if=/dev/urandom of=/tmp/pattern bs=1M count=16 2>/dev/null
    SUM=$(vm_md5 /tmp/pattern)
    vm_check "dd write" vm_step "write 16MiB" dd if=/tmp/pattern of="$DISK" bs=1M oflag=direct conv=fsync
    vm_check "dd read" vm_step "read 16MiB" dd if="$DISK" of=/tmp/readback bs=1M count=16 iflag=direct
    vm_check "data equal" test "$(vm_md5 /tmp/readback)" = "$SUM"
    echo "== recovery: LIO drops the connection (tpgt disabled for 2 s)"
    T=$LIO/iscsi/$TGT/tpgt_1
    echo 0 > $T/enable; sleep 2; echo 1 > $T/enable
    vm_check "read after recovery" vm_step "read after recovery" \
        test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
    vm_check "iscsid logged the recovery" grep -q "operational after recovery" /tmp/iscsid.log
    echo "== iscsid restart keeps the session"
    iscsid_stop
    cp /tmp/iscsid.log /tmp/iscsid.log.1
    vm_check "session survives iscsid exit" sh -c 'ls -d /sys/class/iscsi_session/session*' 
    vm_require "iscsid restarts" iscsid_start -d 2
    vm_check "read after iscsid restart" test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
    vm_check "restarted iscsid adopted the session" grep -q "adopted from the kernel" /tmp/iscsid.log
    echo 0 > $T/enable; sleep 2; echo 1 > $T/enable
    vm_check "adopted session recovers" test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
    vm_check "iscsid logged that recovery" grep -q "operational after recovery" /tmp/iscsid.log
    echo "== -L all / -U all / -W"
    vm_expect_rc "-L all: already present (15)" 15 iscsiadm -m node -L all
    vm_check "-U all" vm_step "logout all" iscsiadm -m node -U all
    vm_check "-l -W" iscsiadm -m node -T $TGT -p $P -l -W
    vm_check "-W login completes" vm_wait_for 15 sh -c 'ls /sys/class/iscsi_session/session*/device/target*/*/block/ 2>/dev/null | grep -q sd'
    DISK=$(iscsi_session_disks $TGT | head -n1)
    vm_check "read after -W login" test "$(vm_read_md5 $DISK 16 direct)" = "$SUM"
fi
vm_step "session -P 3" iscsiadm -m session -P 3
echo "== logout wins over recovery (target gone)"
T=$LIO/iscsi/$TGT/tpgt_1
echo 0 > $T/enable; sleep 3
vm_check "logout" vm_step "logout during recovery" iscsiadm -m node -T $TGT -p $P -u
echo 1 > $T/enable
vm_check "no session left" sh -c '! ls -d /sys/class/iscsi_session/session* 2>/dev/null'
vm_expect_rc "logout again: none (21)" 21 iscsiadm -m node -T $TGT -p $P -u
echo "== iface bound to a netdev (SO_BINDTODEVICE)"
iscsiadm -m iface -I lo0 -o new > /dev/null
iscsiadm -m iface -I lo0 -o update -n iface.net_ifacename -v lo
iscsiadm -m discovery -t st -p $P -I lo0 > /dev/null
vm_check "login through iface lo0 (net_ifacename lo)" iscsiadm -m node -T $TGT -p $P -I lo0 -l
vm_check "kernel session names iface lo0" grep -qx lo0 /sys/class/iscsi_session/session*/ifacename
SID=$(basename /sys/class/iscsi_session/session* | sed 's/session//')
vm_check "logout lo0 via -m session -r $SID -u" iscsiadm -m session -r "$SID" -u
if modprobe dummy 2>/dev/null && ip link set dummy0 up 2>/dev/null; then
    iscsiadm -m iface -I dum0 -o new > /dev/null
    iscsiadm -m iface -I dum0 -o update -n iface.net_ifacename -v dummy0
    iscsiadm -m node -o new -T $TGT -p $P -I dum0 > /dev/null
    iscsiadm -m node -T $TGT -p $P -I dum0 -o update -n node.session.initial_login_retry_max -v 1
    iscsiadm -m node -T $TGT -p $P -I dum0 -o update -n 'node.conn[0].timeo.login_timeout' -v 3
    # 127.0.0.1 is not reachable through dummy0: the binding is really applied
    vm_check "login through dummy0 fails" sh -c "! iscsiadm -m node -T $TGT -p $P -I dum0 -l"
    vm_check "no session via dummy0" sh -c '! ls -d /sys/class/iscsi_session/session* 2>/dev/null'
fi
echo "== iscsid logs"; cat /tmp/iscsid.log.1 /tmp/iscsid.log
iscsid_stop
vm_summary
