#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build a fake sysfs tree under $1 shaped like a kernel with two iscsi_tcp
# sessions: sid 1 (127.0.0.1, LUN 0 = sdb) and sid 2 ([::1], LUN 0 = sdc,
# LUN 1 without a block device).  Only the attributes iscsikit reads;
# class entries are symlinks into devices/ as on a real kernel.
set -eu
root=$1
sys=$root
[ ! -e "$sys" ] || { echo "mktree.sh: $sys already exists" >&2; exit 1; }
mkdir -p "$sys/class/iscsi_session" "$sys/class/iscsi_connection" "$sys/class/iscsi_host" \
	"$sys/class/scsi_host" "$sys/class/iscsi_transport/tcp" "$sys/module/scsi_transport_iscsi" \
	"$sys/bus/scsi/devices"
echo 2.0-870 > "$sys/module/scsi_transport_iscsi/version"
echo 18446744072107557056 > "$sys/class/iscsi_transport/tcp/handle"
echo 0x39 > "$sys/class/iscsi_transport/tcp/caps"

# attrs DIR name=value ...: one file per attribute, newline-terminated.
attrs() {
	d=$1; shift
	mkdir -p "$d"
	for kv in "$@"; do
		printf '%s\n' "${kv#*=}" > "$d/${kv%%=*}"
	done
}

# host H ipaddress
host() {
	h=$1
	hd=$sys/devices/platform/host$h
	attrs "$hd/iscsi_host/host$h" ipaddress="$2" hwaddress="(null)" netdev="(null)" \
		initiatorname="(null)" port_state=Unknown port_speed=Unknown
	attrs "$hd/scsi_host/host$h" proc_name=iscsi_tcp state=running
	: > "$hd/scsi_host/host$h/scan"
	ln -s "../../devices/platform/host$h/iscsi_host/host$h" "$sys/class/iscsi_host/host$h"
	ln -s "../../devices/platform/host$h/scsi_host/host$h" "$sys/class/scsi_host/host$h"
}

# session SID HOST TARGET ADDR PORT TPGT
session() {
	sid=$1 h=$2
	sd=$sys/devices/platform/host$h/session$sid
	attrs "$sd/iscsi_session/session$sid" targetname="$3" tpgt="$6" state=LOGGED_IN \
		creator=1234 ifacename=default initiatorname=iqn.1993-08.org.debian:01:fakeinit \
		targetalias="" username="(null)" password="(null)" username_in="(null)" \
		password_in="(null)" recovery_tmo=120 lu_reset_tmo=30 tgt_reset_tmo=30 abort_tmo=15 \
		initial_r2t=0 immediate_data=1 erl=0 data_pdu_in_order=1 data_seq_in_order=1 \
		first_burst_len=262144 max_burst_len=16776192 max_outstanding_r2t=1
	ln -s ../../../session$sid "$sd/iscsi_session/session$sid/device"
	ln -s "../../devices/platform/host$h/session$sid/iscsi_session/session$sid" \
		"$sys/class/iscsi_session/session$sid"
	attrs "$sd/connection$sid:0/iscsi_connection/connection$sid:0" address="$4" port="$5" \
		persistent_address="$4" persistent_port="$5" local_ipaddr="$4" \
		header_digest=None data_digest=None max_recv_dlength=262144 \
		max_xmit_dlength=262144 state=up exp_statsn=17
	ln -s "../../devices/platform/host$h/session$sid/connection$sid:0/iscsi_connection/connection$sid:0" \
		"$sys/class/iscsi_connection/connection$sid:0"
}

# lun HOST SID ID LUN [BLOCK]
lun() {
	d=$sys/devices/platform/host$1/session$2/target$1:0:$3/$1:0:$3:$4
	attrs "$d" state=running
	: > "$d/rescan"
	if [ -n "${5:-}" ]; then mkdir -p "$d/block/$5"; fi
	ln -s "../../../devices/platform/host$1/session$2/target$1:0:$3/$1:0:$3:$4" \
		"$sys/bus/scsi/devices/$1:0:$3:$4"
}

host 2 127.0.0.1
session 1 2 iqn.2024-01.test:tgt1 127.0.0.1 3260 1
lun 2 1 0 0 sdb
host 3 ::1
session 2 3 iqn.2024-01.test:tgt2 ::1 3260 1
lun 3 2 0 0 sdc
lun 3 2 0 1
