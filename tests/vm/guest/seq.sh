#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest runner for suite.sh's merged jobs ("a+b"): runs several guest tests
# one after the other in this one VM, each in its own shell, and prints
# "PART name status P passed F failed Ns" per test and the sum last.  One
# boot instead of one per test.  Between tests: records forgotten, LIO
# cleared, tgtd gone; a test that leaves a session or an iscsid behind ends
# the run (the next one would measure the leftovers).
# usage (guest): seq.sh TEST[:ARG,...]...
. /vm/lib.sh

SUM_P=0 SUM_F=0 BAD=0
leftovers() {
	iscsi_no_sessions || { echo "sessions left: $(ls /sys/class/iscsi_session)"; return 0; }
	pidof iscsid > /dev/null && { echo "an iscsid still runs: $(pidof iscsid)"; return 0; }
	return 1
}
for spec in "$@"; do
	name=${spec%%:*} args=
	case $spec in *:*) args=$(echo "${spec#*:}" | tr , ' ') ;; esac
	echo "===== part $name $args"
	t0=$(vm_now)
	rm -f /tmp/seq-counts
	# no pipe to catch the output: daemons the test starts would hold it open
	# shellcheck disable=SC2086
	VM_SUMMARY_FILE=/tmp/seq-counts sh /vm/guest/$name.sh $args < /dev/null 2>&1
	rc=$?
	p=0 f=1
	[ -s /tmp/seq-counts ] && read -r p f < /tmp/seq-counts
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	SUM_P=$((SUM_P + p)) SUM_F=$((SUM_F + f))
	[ "$rc" = 0 ] || BAD=1
	awk -v n="$name" -v rc="$rc" -v p="$p" -v f="$f" -v a="$t0" -v b="$(vm_now)" \
		'BEGIN { printf "PART %s %s %d passed %d failed %.1fs\n", n, rc, p, f, b - a }'
	if leftovers; then
		echo "seq: $name left state behind: the remaining tests are not run"
		SUM_F=$((SUM_F + 1)) BAD=1
		break
	fi
	ini_reset
	lio_clear
	vm_wait_for 10 sh -c '! pidof tgtd' || echo "seq: tgtd did not exit"
	rm -f /tmp/pattern /tmp/readback /tmp/disk1.img /tmp/tgt0.img /tmp/tgt1.img
done
echo "$SUM_P passed, $SUM_F failed"
exit $BAD
