#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: the login-parameter matrix with OUR iscsid + iscsiadm against
# LIO: every InitialR2T x ImmediateData x digest (None / CRC32C) pair once,
# each with one of four [FirstBurst, MaxBurst, MaxRecvDataSegment] triples
# (one with FirstBurst > MaxBurst, which negotiation must clamp).  Per row:
# -o update, login, the negotiated values in -m session -P 2 (from sysfs)
# against RFC 7143's rules with LIO's declared values, dd O_DIRECT writes
# with 4k/64k/1M blocks, read-back md5, logout.  Not a performance test.
# usage (host): tests/vm/suite.sh matrix-ours
. /vm/lib.sh

INI=iqn.2004-10.com.example.vm:initiator
TGT=iqn.2003-01.org.example.vm:lio-matrix
P=127.0.0.1:3260
# LIO's side: InitialR2T=No and ImmediateData=Yes so the initiator's choice
# decides both (OR / AND); both digests offered; burst limits above ours
# so min() shows our value.  What we may send: LIO answers our declaration
# with its MaxXmitDataSegmentLength as its MaxRecvDataSegmentLength, so both
# are set to the one value the initiator must then use
T_FBL=262144 T_MBL=16776192 T_MRDSL=65536

ini_use ours
vm_require "our iscsid and iscsiadm are in this VM" ini_have
vm_require "modules" vm_step "modprobe" vm_modprobe iscsi_tcp sd_mod
lio_params() {
	local p=$LIO/iscsi/$TGT/tpgt_1/param
	echo No > $p/InitialR2T && echo Yes > $p/ImmediateData &&
	echo CRC32C,None > $p/HeaderDigest && echo CRC32C,None > $p/DataDigest &&
	echo $T_FBL > $p/FirstBurstLength && echo $T_MBL > $p/MaxBurstLength &&
	echo $T_MRDSL > $p/MaxRecvDataSegmentLength &&
	echo $T_MRDSL > $p/MaxXmitDataSegmentLength
}
setup() {
	lio_load && BS=$(lio_backstore_rd disk0 16) && lio_target $TGT $P "$BS" && lio_params
}
vm_require "LIO target, InitialR2T=No ImmediateData=Yes" vm_step "LIO setup" setup
ini_setup $INI
vm_require "iscsid starts" vm_step "iscsid start" iscsid_start -d 3
vm_require "discovery" sh -c "$ADM -m discovery -t st -p $P | grep -q ' $TGT\$'"

node_set() { $ADM -m node -T $TGT -p $P -o update -n "$1" -v "$2"; }
min() { [ "$1" -le "$2" ] && echo "$1" || echo "$2"; }
or_yes() { [ "$1" = Yes ] || [ "$2" = Yes ] && echo Yes || echo No; }
and_yes() { [ "$1" = Yes ] && [ "$2" = Yes ] && echo Yes || echo No; }

# want TAG KEY VALUE: the -P 2 output has "KEY: VALUE"
want() { vm_grep "$1 $2=$3" "^[[:space:]]+$2: $3\$" /tmp/mx-s2; }

# write_blocks DISK: 512 KiB in 4k blocks, 1.5 MiB in 64k, 2 MiB in 1M,
# each at its own offset, all O_DIRECT
write_blocks() {
	dd if=/tmp/mx-pat of="$1" bs=4k count=128 oflag=direct conv=notrunc 2>/dev/null &&
	dd if=/tmp/mx-pat of="$1" bs=64k skip=8 seek=8 count=24 oflag=direct conv=notrunc 2>/dev/null &&
	dd if=/tmp/mx-pat of="$1" bs=1M skip=2 seek=2 count=2 oflag=direct conv=notrunc,fsync 2>/dev/null
}
# read_blocks DISK: the same 4 MiB back, O_DIRECT, in 64k and 1M reads
read_blocks() {
	{ dd if="$1" bs=64k count=32 iflag=direct 2>/dev/null &&
	  dd if="$1" bs=1M skip=2 count=2 iflag=direct 2>/dev/null; } | vm_md5
}

# row IR2T IMMD DIGEST FBL MBL MRDSL
row() {
	local ir2t=$1 immd=$2 dg=$3 fbl=$4 mbl=$5 mrdsl=$6 tag e_mbl e_fbl disk sum
	tag="[R2T=$1 Imm=$2 dig=$3 $4/$5/$6]"
	echo "== $tag"
	node_set node.session.iscsi.InitialR2T "$ir2t" &&
	node_set node.session.iscsi.ImmediateData "$immd" &&
	node_set 'node.conn[0].iscsi.HeaderDigest' "$dg" &&
	node_set 'node.conn[0].iscsi.DataDigest' "$dg" &&
	node_set node.session.iscsi.FirstBurstLength "$fbl" &&
	node_set node.session.iscsi.MaxBurstLength "$mbl" &&
	node_set 'node.conn[0].iscsi.MaxRecvDataSegmentLength' "$mrdsl" ||
		{ vm_fail "$tag -o update"; return; }
	vm_check "$tag login" vm_step "login $tag" $ADM -m node -T $TGT -p $P -l || return
	if vm_check "$tag disk appears" iscsi_wait_disks 1 $TGT; then
		disk=$(iscsi_session_disks $TGT | head -n1)
		$ADM -m session -P 2 > /tmp/mx-s2 2>&1
		sed -n '/Negotiated iSCSI params/,/MaxOutstandingR2T/p' /tmp/mx-s2
		e_mbl=$(min "$mbl" $T_MBL)
		e_fbl=$(min "$(min "$fbl" $T_FBL)" "$e_mbl")
		want "$tag" HeaderDigest "$dg"
		want "$tag" DataDigest "$dg"
		want "$tag" InitialR2T "$(or_yes "$ir2t" No)"
		want "$tag" ImmediateData "$(and_yes "$immd" Yes)"
		want "$tag" MaxBurstLength "$e_mbl"
		want "$tag" FirstBurstLength "$e_fbl"
		want "$tag" MaxRecvDataSegmentLength "$mrdsl"
		want "$tag" MaxXmitDataSegmentLength $T_MRDSL
		dd if=/dev/urandom of=/tmp/mx-pat bs=1M count=4 2>/dev/null
		sum=$(vm_md5 /tmp/mx-pat)
		vm_check "$tag dd write 4k/64k/1M O_DIRECT" vm_step "write $tag" write_blocks "$disk"
		vm_check "$tag read-back md5" test "$(vm_step "read $tag" read_blocks "$disk")" = "$sum"
	fi
	vm_check "$tag logout" $ADM -m node -T $TGT -p $P -u
	vm_check "$tag no session left" iscsi_no_sessions
}

T0=$(vm_now)
#   InitialR2T ImmediateData digest  FirstBurst MaxBurst MaxRecvDSL
row Yes Yes None    4096   4096     4096
row Yes No  CRC32C  65536  262144   8192
row No  Yes None    262144 16776192 262144
row No  No  CRC32C  131072 65536    16384
row Yes Yes CRC32C  262144 16776192 262144
row Yes No  None    131072 65536    16384
row No  Yes CRC32C  4096   4096     4096
row No  No  None    65536  262144   8192
awk -v a="$T0" -v b="$(vm_now)" 'BEGIN { printf "TIMING matrix (8 rows) %.2fs\n", b - a }'

echo "== keys the target left unanswered (iscsid -d 3)"
grep -o "target did not answer [A-Za-z]*; using the default" /tmp/iscsid-ours.log | sort | uniq -c
iscsid_stop
vm_check "LIO teardown" lio_clear
vm_summary
