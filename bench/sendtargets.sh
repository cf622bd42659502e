#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/sendtargets.sh [N ...]   (default: 100 1000 10000)
# SendTargets discovery against one private tgtd with N targets: the
# reference iscsiadm 2.1.8 (Debian, in tests/lib/refsandbox.sh) and ours,
# with -o nonpersistent and with node DB writes (empty DB each run; the
# untimed preparation also runs sync so no run pays for an earlier one).
# Prints medians (whole-process wall time) and reference/ours ratios.
# Needs root, tgt and apt access to fetch open-iscsi once into a cache.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
if [ -z "${ISCSIKIT_REFSANDBOX:-}" ]; then
	exec "$SRC/tests/lib/refsandbox.sh" "$0" "$@"
fi
NS=${*:-100 1000 10000}
. "$SRC/tests/lib/tgtd.sh"
tgtd_start --no-v6 || exit 1
P=127.0.0.1:$TGTD_PORT
OURS=$(mktemp -d /tmp/iscsikit-bench.XXXXXX)
trap 'tgtd_stop; rm -rf "$OURS"' EXIT
mkdir -p "$OURS/etc/iscsi" "$OURS/run/lock/iscsi"
echo "InitiatorName=iqn.2024-01.org.example:bench" > "$OURS/etc/iscsi/initiatorname.iscsi"
export ISCSI_PLUGIN_PATH="$BUILD/plugins/discovery/.libs:$BUILD/plugins/transport/.libs"
ADM="env ISCSI_ROOT=$OURS $BUILD/iscsiadm"

# median RUNS PREPARE CMD: median wall seconds of CMD over RUNS runs (PREPARE untimed)
median() {
	python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs, prep, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ts = []
for i in range(runs + 1):
    if prep:
        subprocess.run(prep, shell=True, check=True)
    t = time.perf_counter()
    r = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit("command failed (%d): %s" % (r.returncode, cmd))
    if i > 0:                      # the first run warms caches
        ts.append(dt)
print("%.4f" % statistics.median(ts))
PY
}
# cpu_split CMD: "<tgtd CPU ms>/<CMD user+sys ms>" for one run of CMD
cpu_split() {
	local t0 t1 tck
	tck=$(getconf CLK_TCK)
	t0=$(awk '{print $14 + $15}' "/proc/$TGTD_PID/stat")
	/usr/bin/time -f '%U %S' -o "$OURS/time" sh -c "$1" >/dev/null 2>&1
	t1=$(awk '{print $14 + $15}' "/proc/$TGTD_PID/stat")
	awk -v a="$t0" -v b="$t1" -v tck="$tck" '{printf "%d/%d", (b - a) * 1000 / tck, ($1 + $2) * 1000}' "$OURS/time"
}
runs_for() { if [ "$1" -ge 10000 ]; then echo 3; elif [ "$1" -ge 1000 ]; then echo 7; else echo 15; fi; }
ratio() { python3 -c "print('%.1fx' % ($1 / $2))"; }

# the last column splits one run of each tool: tgtd's CPU / the tool's CPU, in ms
printf '%-7s %-13s %10s %10s %8s  %s\n' N mode reference ours ratio 'cpu ms tgtd/tool: ref, ours'
have=0
for N in $NS; do
	tgt_many "$N" iqn.2024-01.org.example.bench $((have + 1)) || exit 1
	have=$N
	got=$($ADM -m discovery -t st -p "$P" -o nonpersistent | wc -l)
	ref=$($REFADM -m discovery -t st -p "$P" -o nonpersistent 2>/dev/null | wc -l)
	[ "$got" = "$N" ] && [ "$ref" = "$N" ] || { echo "N=$N: ours $got, reference $ref lines" >&2; exit 1; }
	R=$(runs_for "$N")
	a=$(median "$R" "" "$REFADM -m discovery -t st -p $P -o nonpersistent") || exit 1
	b=$(median "$R" "" "$ADM -m discovery -t st -p $P -o nonpersistent") || exit 1
	printf '%-7s %-13s %9.4fs %9.4fs %8s  %s, %s\n' "$N" nonpersistent "$a" "$b" "$(ratio "$a" "$b")" \
		"$(cpu_split "$REFADM -m discovery -t st -p $P -o nonpersistent")" \
		"$(cpu_split "$ADM -m discovery -t st -p $P -o nonpersistent")"
	a=$(median "$R" "rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets; sync" \
		"$REFADM -m discovery -t st -p $P") || exit 1
	b=$(median "$R" "rm -rf $OURS/etc/iscsi/nodes $OURS/etc/iscsi/send_targets; sync" \
		"$ADM -m discovery -t st -p $P") || exit 1
	printf '%-7s %-13s %9.4fs %9.4fs %8s\n' "$N" "DB writes" "$a" "$b" "$(ratio "$a" "$b")"
	# records already there: the reference rewrites them all from defaults
	a=$(median "$R" "sync" "$REFADM -m discovery -t st -p $P") || exit 1
	b=$(median "$R" "sync" "$ADM -m discovery -t st -p $P") || exit 1
	printf '%-7s %-13s %9.4fs %9.4fs %8s\n' "$N" "rediscovery" "$a" "$b" "$(ratio "$a" "$b")"
	rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets "$OURS/etc/iscsi/nodes" "$OURS/etc/iscsi/send_targets"
done
rm -rf "$OURS"
