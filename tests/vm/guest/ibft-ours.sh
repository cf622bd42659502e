#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: firmware boot with OUR iscsid/iscsiadm/iscsistart.  suite.sh
# boots this VM with an iBFT from tests/vm/mkibft.py (-acpitable); iscsi_ibft
# shows it in /sys/firmware/ibft, then -m fw, -m fw -l, -m discovery -t fw
# and iscsistart -f/-b must reach the LIO target it names (127.0.0.1:3260).
# usage (host): tests/vm/suite.sh ibft-ours
. /vm/lib.sh

BOOT_INI=iqn.2004-10.com.example.vm:ibft-initiator	# mkibft.py defaults (ini_setup owns $INI)
TGT=iqn.2003-01.org.example.vm:ibft-target
FW=/sys/firmware/ibft
START=/usr/local/sbin/iscsistart

ini_use ours
have_ours() { ini_have && [ -x $START ]; }
vm_require "our iscsid, iscsiadm and iscsistart are in this VM" have_ours
vm_check "ACPI table iBFT present" test -e /sys/firmware/acpi/tables/iBFT
vm_require "iscsi_ibft loads (tests/vm/kernel.sh MODULES must list it)" modprobe iscsi_ibft
vm_require "/sys/firmware/ibft/target0" test -d $FW/target0
vm_check "initiator-name from table" test "$(cat $FW/initiator/initiator-name)" = "$BOOT_INI"

vm_modprobe iscsi_tcp sd_mod
setup_lio() {
	lio_load && BS=$(lio_backstore_rd disk0 16) &&
	lio_target "$TGT" "127.0.0.1:3260" "$BS" && lio_acl "$TGT" "$BOOT_INI"
}
vm_require "LIO target" setup_lio
ini_setup iqn.2004-10.com.example.vm:not-the-boot-name	# the table's name must win
vm_require "iscsid starts" iscsid_start

vm_step "iscsiadm -m fw" $ADM -m fw > /tmp/fw 2>&1
cat /tmp/fw
for k in "iface.initiatorname = $BOOT_INI" "iface.transport_name = tcp" \
    "iface.hwaddress = 52:54:00:12:34:56" "iface.bootproto = STATIC" \
    "iface.ipaddress = 127.0.0.1" "iface.prefix_len = 8" "node.name = $TGT" \
    "node.conn[0].address = 127.0.0.1" "node.conn[0].port = 3260" \
    "node.boot_lun = 00000000"; do
	vm_check "-m fw: $k" grep -qxF "$k" /tmp/fw
done
vm_step "iscsiadm -m fw -l" $ADM -m fw -l > /tmp/fwl 2>&1
cat /tmp/fwl
vm_check "-m fw -l: disk of $TGT" iscsi_wait_disks 1 "$TGT" 15
vm_check "-m fw -l: session as the table's initiator" sh -c \
	"grep -qx '$BOOT_INI' /sys/class/iscsi_session/session*/initiatorname"
vm_check "-m fw -l wrote no record" test ! -e /etc/iscsi/nodes/$TGT
$ADM -m session -u > /dev/null 2>&1
vm_check "logout" vm_wait_for 10 iscsi_no_sessions

vm_step "discovery -t fw" $ADM -m discovery -t fw > /tmp/disc 2>&1
cat /tmp/disc
vm_grep "discovery -t fw lists the boot target" "^127.0.0.1:3260,1 $TGT\$" /tmp/disc
vm_check "fw/ link" test -L "/etc/iscsi/fw/$TGT,127.0.0.1,3260,1,default"

iscsid_stop	# iscsistart works without iscsid
vm_step "iscsistart -f" $START -f > /tmp/isf 2>&1
vm_check "iscsistart -f prints what -m fw does" cmp -s /tmp/isf /tmp/fw
vm_step "iscsistart -b" $START -b
vm_check "iscsistart -b: disk of $TGT" iscsi_wait_disks 1 "$TGT" 15
vm_check "iscsistart left no iscsid behind" sh -c "! grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix"
vm_summary
