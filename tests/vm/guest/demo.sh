#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest part of tests/demo.sh: an LIO target in the VM, OUR iscsiadm's
# discovery and node records; with ISCSIKIT_VM_LOGIN=1 also the login with
# OUR iscsid, dd write and read-back, -m session -P 3 and logout.  Prints
# each step; shows nothing it did not do.
. /vm/lib.sh
TGT=iqn.2003-01.org.example.vm:demo
P=127.0.0.1
say() { printf '\n--> %s\n' "$*"; }
run() { echo "# $*" | sed 's|/usr/local/sbin/||'; "$@"; }

say "VM: load the iSCSI initiator and LIO target modules"
vm_require "modules" vm_step "modprobe" vm_modprobe iscsi_tcp sd_mod
setup() {
	lio_load && BS=$(lio_backstore_rd demo 64) && lio_target $TGT $P:3260 "$BS" &&
	lio_portal $TGT "[::1]:3260"
}
say "VM: LIO target $TGT, 64 MiB RAM disk, portals $P:3260 and [::1]:3260"
vm_require "LIO target" vm_step "LIO setup (configfs)" setup
ini_use ours
ini_setup iqn.2004-10.com.example.vm:demo

say "VM: our iscsiadm, SendTargets discovery against LIO"
vm_check "discovery" run $ADM -m discovery -t st -p $P
say "VM: the node records it wrote"
vm_check "node records" run $ADM -m node

if [ "${ISCSIKIT_VM_LOGIN:-0}" != 1 ]; then
	say "VM: login, dd, session, logout with OUR iscsid: not run."
	echo "    Our iscsid cannot log in through the kernel yet; ISCSIKIT_VM_LOGIN=1 runs these steps."
	lio_clear
	vm_summary
	exit
fi
say "VM: start our iscsid"
vm_require "our iscsid is in this VM" ini_have
vm_require "iscsid starts" vm_step "iscsid start" iscsid_start
say "VM: log in"
vm_require "login" run $ADM -m node -T $TGT -p $P:3260 -l
vm_require "disk appears" iscsi_wait_disks 1 $TGT
DISK=$(iscsi_session_disks $TGT | head -n1)
echo "    block device: $DISK ($(($(cat /sys/block/${DISK#/dev/}/size) / 2048)) MiB)"
say "VM: write 16 MiB of random data to $DISK, read it back, compare"
dd if=/dev/urandom of=/tmp/pattern bs=1M count=16 2>/dev/null
vm_check "dd write" vm_step "write 16 MiB" dd if=/tmp/pattern of="$DISK" bs=1M oflag=direct conv=fsync
vm_check "read-back equals" test "$(vm_read_md5 "$DISK" 16 direct)" = "$(vm_md5 /tmp/pattern)"
say "VM: the session"
vm_check "session -P 3" run $ADM -m session -P 3
say "VM: log out"
vm_check "logout" run $ADM -m node -T $TGT -p $P:3260 -u
iscsid_stop
lio_clear
vm_summary
