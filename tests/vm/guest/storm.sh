#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test for bench/login-storm.sh: N LIO targets (1 MiB RAM disk each)
# behind one portal; for each initiator in turn, on the same targets:
# discovery, "iscsiadm -m node -L all" until every disk is visible, iscsid's
# resident memory with N sessions, "-U all" until no session is left.
# usage: storm.sh WHO[,WHO] N...     e.g. storm.sh ref,ours 16 64 128
# Prints one line per run for the host to parse:
#   STORM who=ref n=16 login=1.50 visible=1.55 logout=0.65 rss_kb=2100 ok=1
. /vm/lib.sh
WHOS=$(echo "$1" | tr , ' ')
shift
P=127.0.0.1
vm_require "modules" vm_modprobe iscsi_tcp sd_mod
vm_require "LIO" lio_load
ini_setup iqn.2004-10.com.example.vm:storm

mk_targets() {
	local i=0 bs
	while [ $i -lt "$1" ]; do
		bs=$(lio_backstore_rd d$i 1) && lio_target iqn.2003-01.org.example.vm:t$i $P:3260 "$bs" ||
			return 1
		i=$((i + 1))
	done
}
since() { awk -v a="$1" -v b="$(vm_now)" 'BEGIN { printf "%.2f", b - a }'; }

# storm_one WHO N: one login/logout storm; prints the STORM line
storm_one() {
	local who=$1 n=$2 t0 login visible logout rss ok=1
	ini_use "$who"
	if ! ini_have; then
		echo "STORM who=$who n=$n skipped: no $who iscsid in this VM"
		return 0
	fi
	ini_reset
	vm_require "$who: iscsid starts" iscsid_start
	$ADM -m discovery -t st -p $P > /tmp/disc 2>&1
	vm_check "$who $n: discovery finds $n" test "$(grep -c ':t[0-9]' /tmp/disc)" -eq "$n" || ok=0
	t0=$(vm_now)
	$ADM -m node -L all > /tmp/login 2>&1
	login=$(since "$t0")
	vm_check "$who $n: $n logins reported" test "$(grep -c 'successful' /tmp/login)" -eq "$n" || ok=0
	vm_check "$who $n: $n disks visible" iscsi_wait_disks "$n" "" 300 || ok=0
	visible=$(since "$t0")
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$ISCSID_PID/status)
	t0=$(vm_now)
	$ADM -m node -U all > /dev/null 2>&1
	vm_check "$who $n: all sessions gone" vm_wait_for 120 iscsi_no_sessions || ok=0
	logout=$(since "$t0")
	iscsid_stop
	echo "STORM who=$who n=$n login=$login visible=$visible logout=$logout rss_kb=${rss:-?} ok=$ok"
}

for n in "$@"; do
	echo "== $n targets"
	lio_clear
	vm_check "$n: LIO targets" vm_step "$n: LIO setup" mk_targets "$n" || continue
	for who in $WHOS; do storm_one "$who" "$n"; done
done
lio_clear
vm_summary
