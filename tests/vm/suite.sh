#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# suite.sh - the VM tests: each guest test in its own throw-away VM with our
# build (iscsiadm, iscsid when built, every plugin) and the reference
# open-iscsi (Debian's .deb unpacked, never installed); one result line per
# test and "N passed, N failed" over all checks.
#
# usage: suite.sh [TEST[:ARG,...][+TEST[:ARG,...]...]...]
#   "a+b" runs a then b in ONE VM (guest/seq.sh): one boot for both
#   tests: discovery         our discovery, node records, CHAP, IPv6 vs LIO
#          lio-tcp-ref       reference: login, dd, session -P 3, logout, CHAP,
#                            digests, IPv6 against LIO (proves the harness)
#          tgt-tcp-ref       reference: the same job against tgtd in the VM
#          lio-recovery-ref  reference: LIO portal group off and on under a
#                            session: recovery, data intact
#          *-ours            each *-ref job with OUR iscsid + iscsiadm
#          session-ours      our iscsid's session lifecycle: recovery,
#                            restart + adoption, -L/-U all, -W, -R, ifaces
#   default: discovery, every *-ref, every *-ours and session-ours, merged
#   into 4 VMs (each boot costs 10-35 s on a loaded 2-core host);
#   ISCSIKIT_VM_OURS=0 leaves out the jobs with our iscsid (*-ours)
# env: top_builddir (default: the source tree), VM_CACHE, VM_LOG_DIR (keep
#      each console log there), VM_TIMEOUT (per VM, default 300), VM_CPUS
# exit: 0 all run tests passed, 1 a test failed, 77 no qemu/busybox or no
#      kernel package (nothing else skips)
set -uo pipefail
shopt -s extglob

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
B=${top_builddir:-$SRC}
TESTS=("$@")
JOBS=(lio-tcp tgt-tcp lio-recovery)
if [ ${#TESTS[@]} = 0 ]; then
	if [ "${ISCSIKIT_VM_OURS:-1}" = 0 ]; then
		TESTS=(discovery "${JOBS[@]/%/-ref}")
	else
		# session-ours first: it checks that our iscsid loads iscsi_tcp
		TESTS=(session-ours+discovery)
		for j in "${JOBS[@]}"; do TESTS+=("$j-ref+$j-ours"); done
		# its own VM: the iBFT ACPI table and the NIC it names
		TESTS+=(ibft-ours)
		TESTS+=(matrix-ours)    # login-key matrix: R2T x Imm x digests x bursts
	fi
fi

[ -x "$B/iscsiadm" ] || { echo "suite: $B/iscsiadm not built (make first)" >&2; exit 1; }
OURS=(-b "$B/iscsiadm:/usr/local/sbin/iscsiadm")
[ -x "$B/iscsid" ] && OURS+=(-b "$B/iscsid:/usr/local/sbin/iscsid")
for d in "$B"/plugins/*/.libs; do [ -d "$d" ] && OURS+=(-P "$d"); done
REF=()
if R=$(bash "$HERE/debs.sh" open-iscsi); then
	REF=(-b "$R/sbin/iscsid:/opt/ref/sbin/iscsid" -b "$R/sbin/iscsiadm:/opt/ref/sbin/iscsiadm"
	     -L "$R/usr/lib/x86_64-linux-gnu" -L "$R/lib/x86_64-linux-gnu")
else
	echo "suite: the reference open-iscsi could not be fetched: lio-tcp-ref will fail" >&2
fi

# tgtd for tgt-*: the installed one, else Debian's unpacked
TGT=()
for t in tgtd tgtadm; do
	f=$(command -v $t || true)
	if [ -z "$f" ] && R2=$(bash "$HERE/debs.sh" tgt); then f=$R2/usr/sbin/$t; fi
	[ -n "$f" ] && TGT+=(-b "$f:/usr/sbin/$t")
done

LOGS=${VM_LOG_DIR:-}
[ -n "$LOGS" ] || { LOGS=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-vmlogs.XXXXXX"); trap 'rm -rf "$LOGS"' EXIT; }
mkdir -p "$LOGS"
export VM_TIMEOUT=${VM_TIMEOUT:-300}
TOTAL_P=0 TOTAL_F=0 BAD=0
LINES=()
SUITE_T0=$(date +%s.%N)
# result NAME RC PASSED FAILED SECS BOOT: one line of the summary
result() {
	local f=$4
	[ "$2" != 0 ] && [ "$f" = 0 ] && f=1      # timeout or crash
	TOTAL_P=$((TOTAL_P + $3)) TOTAL_F=$((TOTAL_F + f))
	LINES+=("$(printf '%-4s %-18s %3d passed %2d failed  %6ss %s' \
		"$([ "$2" = 0 ] && echo PASS || echo FAIL)" "$1" "$3" "$f" "$5" "$6")")
}
for spec in "${TESTS[@]}"; do
	name=${spec%%:*} args=()
	[[ $spec == *:* ]] && IFS=, read -r -a args <<< "${spec#*:}"
	if [[ $spec == *+* ]]; then
		# merged: guest/seq.sh runs the parts; it prints a PART line each
		name=${spec//:*([^+])/} args=()
		IFS=+ read -r -a args <<< "$spec"
		script=$HERE/guest/seq.sh
		for a in "${args[@]}"; do
			[ -f "$HERE/guest/${a%%:*}.sh" ] || { echo "suite: no guest test ${a%%:*}" >&2; BAD=1; continue 2; }
		done
	else
		script=$HERE/guest/$name.sh
		[ -f "$script" ] || { echo "suite: no guest test $name" >&2; BAD=1; continue; }
	fi
	echo "===== $name ${args[*]:-}"
	log=$LOGS/$name.log
	t0=$(date +%s.%N)
	extra=()
	[[ $spec == *tgt-* ]] && extra=("${TGT[@]}")
	[[ $spec == *ibft-* ]] && extra+=(-b "$B/iscsistart:/usr/local/sbin/iscsistart" -q -acpitable -q "file=$(python3 "$HERE/mkibft.py" "$LOGS/$name.ibft")")
	bash "$HERE/run-vm.sh" "${OURS[@]}" "${REF[@]}" "${extra[@]}" -l "$log" "$script" "${args[@]}"
	rc=$?
	[ $rc = 77 ] && { echo "suite: SKIP: qemu, busybox or the kernel cannot be had"; exit 77; }
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	boot=$(sed -n 's/^VM-BOOTED .*uptime=\([0-9.]*\)s.*/\1/p' "$log" 2>/dev/null)
	[ $rc = 0 ] || BAD=1
	if [[ $spec == *+* ]]; then
		LINES+=("$(printf 'VM   %-18s %6ss wall  boot %ss  status %s' "$name" "$secs" "${boot:-?}" $rc)")
		parts=0
		while read -r _ pn prc pp _ pf _ ps; do
			result "  $pn" "$prc" "$pp" "$pf" "${ps%s}" "in the guest"
			parts=$((parts + 1))
		done < <(grep -E '^PART ' "$log")
		[ $parts = ${#args[@]} ] || result "  (not run)" 1 0 $((${#args[@]} - parts)) 0 "parts"
		continue
	fi
	counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n1)
	p=${counts%% passed*} f=${counts#*, }
	f=${f%% failed}
	[ -n "$counts" ] || { p=0 f=1; }
	result "$name" $rc "$p" "$f" "$secs" "wall  boot ${boot:-?}s"
done
[ "${ISCSIKIT_VM_OURS:-1}" = 0 ] && [ $# = 0 ] &&
	LINES+=("SKIP *-ours: ISCSIKIT_VM_OURS=0 left out the jobs with our iscsid")
echo "===== VM suite"
printf '%s\n' "${LINES[@]}"
echo "total $(awk -v a="$SUITE_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s wall"
echo "$TOTAL_P passed, $TOTAL_F failed"
[ -z "${VM_LOG_DIR:-}" ] || echo "console logs: $LOGS"
exit $BAD
