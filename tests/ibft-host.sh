#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iscsiadm -m fw, -m discovery -t fw and iscsistart -f/-b on fake sysfs iBFT
# trees (tests/data/ibft): the reference's record output, exit codes 21/22
# without a table, and every hostile table refused with the file named.
# Kernel logins are tests/vm/guest/ibft-ours.sh's job.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
data=$top_srcdir/tests/data/ibft
iscsiadm=$top_builddir/iscsiadm
iscsistart=$top_builddir/iscsistart
tmp=$(mktemp -d /tmp/iscsikit-ibft-XXXXXX)
export ISCSI_ROOT=$tmp ISCSI_IPC_NAME="iscsikit-test-ibft-$$"
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

# mktree SPEC DIR [ATTR VALUE]: build DIR/sys from "path = value" lines,
# with ibft ATTR replaced by VALUE ("-" removes it).
mktree() {
	rm -rf "$2"; mkdir -p "$2/sys" "$2/etc/iscsi"
	grep -v '^#' "$1" | while IFS= read -r l; do
		p=${l%% = *}; v=${l#* = }
		mkdir -p "$2/sys/${p%/*}" && printf '%s\n' "$v" > "$2/sys/$p"
	done
	[ $# -lt 4 ] && return 0
	f=$2/sys/firmware/ibft/$3
	if [ "$4" = - ]; then rm -f "$f"; else printf '%s\n' "$4" > "$f"; fi
}
long() { printf "%0${1}d" 0 | tr 0 a; }

runin() { r=$1; shift; rc=0
	ISCSI_ROOT=$r ISCSI_SYSFS_ROOT=$r/sys "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?; }

# good table: exactly the reference's block (2.1.8, results/ibft.log)
mktree "$data/good.txt" "$tmp/g"
runin "$tmp/g" "$iscsiadm" -m fw
[ $rc = 0 ] && cmp -s "$tmp/out" "$data/good.expected" ||
	no "-m fw good: rc $rc: $(diff "$data/good.expected" "$tmp/out") $(cat "$tmp/err")"
runin "$tmp/g" "$iscsistart" -f
[ $rc = 0 ] && cmp -s "$tmp/out" "$data/good.expected" || no "iscsistart -f good: rc $rc"

# the same table exported by an LLD (iscsi_boot_sysfs) instead of iscsi_ibft
mktree "$data/good.txt" "$tmp/b"
mv "$tmp/b/sys/firmware/ibft" "$tmp/b/sys/firmware/iscsi_boot0"
runin "$tmp/b" "$iscsiadm" -m fw
[ $rc = 0 ] && cmp -s "$tmp/out" "$data/good.expected" || no "-m fw iscsi_boot0: rc $rc"

# CHAP, reverse CHAP, gateway/DNS and DHCP origin
mktree "$data/good.txt" "$tmp/c"
for kv in ethernet0/ip-addr=10.0.2.15 ethernet0/prefix-len=24 \
    ethernet0/subnet-mask=255.255.255.0 ethernet0/gateway=10.0.2.2 \
    ethernet0/primary-dns=10.0.2.3 ethernet0/origin=3 target0/ip-addr=10.0.2.100 \
    target0/chap-name=bootuser target0/chap-secret=bootsecret12 \
    target0/rev-chap-name=tgtuser target0/rev-chap-secret=tgtsecret123; do
	printf '%s\n' "${kv#*=}" > "$tmp/c/sys/firmware/ibft/${kv%%=*}"
done
runin "$tmp/c" "$iscsiadm" -m fw
[ $rc = 0 ] && cmp -s "$tmp/out" "$data/chap.expected" ||
	no "-m fw chap: rc $rc: $(diff "$data/chap.expected" "$tmp/out") $(cat "$tmp/err")"

# no table: 21 with /sys/firmware, 22 without (reference §5.3)
mkdir -p "$tmp/e/sys/firmware" "$tmp/n/sys"
for c in "e 21" "n 22"; do
	set -- $c
	runin "$tmp/$1" "$iscsiadm" -m fw
	[ $rc = "$2" ] && grep -qx "iscsiadm: Could not get list of targets from firmware. (err $2)" \
	    "$tmp/err" || no "-m fw without table ($1): rc $rc, $(cat "$tmp/err")"
	runin "$tmp/$1" "$iscsistart" -b
	[ $rc = 1 ] || no "iscsistart -b without table ($1): rc $rc"
done

# -m discovery -t fw: onboot record with the boot CHAP, linked under fw/
runin "$tmp/c" "$iscsiadm" -m discovery -t fw
[ $rc = 0 ] && grep -qx "10.0.2.100:3260,1 iqn.2003-01.org.example.vm:ibft-target" "$tmp/out" ||
	no "discovery -t fw: rc $rc $(cat "$tmp/out" "$tmp/err")"
rec=$tmp/c/etc/iscsi/nodes/iqn.2003-01.org.example.vm:ibft-target/10.0.2.100,3260,1/default
for want in "node.startup = onboot" "node.discovery_type = fw" \
    "iface.initiatorname = iqn.2004-10.com.example.vm:ibft-initiator" \
    "node.session.auth.authmethod = CHAP" "node.session.auth.username_in = tgtuser"; do
	grep -qxF "$want" "$rec" 2>/dev/null || no "discovery -t fw record lacks '$want'"
done
[ -L "$tmp/c/etc/iscsi/fw/iqn.2003-01.org.example.vm:ibft-target,10.0.2.100,3260,1,default" ] ||
	no "discovery -t fw: no fw/ link"

# hostile tables: refused, the file named, no record, nothing stored
grep -v '^#' "$data/hostile.txt" | while IFS='|' read -r name attr val msg; do
	case $val in LONG*) n=${val#*LONG}; val=$(long "$n") ;; *LONG*)
		n=${val##*LONG}; val=${val%LONG*}$(long "$n") ;; esac
	mktree "$data/good.txt" "$tmp/h" "$attr" "$val"
	runin "$tmp/h" "$iscsiadm" -m fw
	if [ $rc = 0 ] || grep -q "BEGIN RECORD" "$tmp/out" || ! grep -qF "$msg" "$tmp/err"; then
		echo "FAIL: hostile $name: rc $rc, stderr: $(cat "$tmp/err")"; echo x >> "$tmp/failed"
	fi
	runin "$tmp/h" "$iscsiadm" -m discovery -t fw
	if [ $rc = 0 ] || [ -e "$tmp/h/etc/iscsi/nodes" ]; then
		echo "FAIL: hostile $name stored something"; echo x >> "$tmp/failed"
	fi
done
[ -e "$tmp/failed" ] && fail=1

# iscsistart: explicit target checks, and -b through a private iscsid that
# has no kernel interface here: the login fails (1), the child is gone.
runin "$tmp/g" "$iscsistart" -t iqn.2003-01.org.example:t -g 1 -a 127.0.0.1
[ $rc = 1 ] && grep -q "InitiatorName not set" "$tmp/err" || no "iscsistart without -i: rc $rc"
runin "$tmp/g" "$iscsistart" -i iqn.2003-01.org.example:i -t "iqn.x/../y" -g 1 -a 127.0.0.1
[ $rc = 1 ] || no "iscsistart bad -t accepted"
ISCSID_NO_KERNEL=1 runin "$tmp/g" "$iscsistart" -b
[ $rc = 1 ] && grep -q "Logging into iqn.2003-01.org.example.vm:ibft-target 127.0.0.1:3260,1" \
	"$tmp/err" || no "iscsistart -b (no kernel): rc $rc $(cat "$tmp/err")"
grep -q "@$ISCSI_IPC_NAME-" /proc/net/unix && no "iscsistart left its private iscsid running"

[ $fail = 0 ] && echo "PASS: ibft-host"
exit $fail
