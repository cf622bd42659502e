#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/sendtargets.sh [N ...]   (default: 100 1000 10000)
# SendTargets discovery against one private tgtd with N targets: the
# reference iscsiadm 2.1.8 (Debian, in tests/lib/refsandbox.sh) and ours,
# with -o nonpersistent and with node DB writes (empty DB each run; the
# untimed preparation also runs sync so no run pays for an earlier one).
# Prints medians (whole-process wall time) and reference/ours ratios; the
# two tools' runs alternate so both see the same filesystem history.
# BENCH_FS=tmpfs|ext4: both DBs on a tmpfs, or on a fresh journaled ext4
# image (loop) instead of the host filesystem (an ext4 without journal
# skips inodes freed in the last 1-6 min on every create: the emptied-DB
# runs then measure that scan, the same for both tools).
# tgtd 1.0.85 builds the whole SendTargets answer once per request in
# O(N^2) (per-target lookups by tid in lists): ~0.85 s CPU at 10k targets,
# ~10 ms at 1k, whatever MaxRecvDataSegmentLength we offer (8 KiB-16 MiB
# measured; a larger one only saves round trips).  At 10k that caps the
# ratio at reference/tgtd, about 3-5x, whoever the initiator is.
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
trap 'tgtd_stop; umount "$OURS/etc/iscsi" "$OURS/fs" 2>/dev/null; rm -rf "$OURS"' EXIT
mkdir -p "$OURS/etc/iscsi" "$OURS/run/lock/iscsi"
# bench_fs_mount: both /etc/iscsi on BENCH_FS (this mount namespace only)
bench_fs_mount() {
	local m="$OURS/fs" d
	mkdir -p "$m"
	case ${BENCH_FS:-} in
	"") return 0 ;;
	tmpfs) mount -t tmpfs -o mode=755 tmpfs "$m" || return 1 ;;
	ext4) truncate -s 4G "$OURS/fs.img" && mkfs.ext4 -q -F "$OURS/fs.img" &&
		mount -o loop "$OURS/fs.img" "$m" || return 1 ;;
	*) echo "BENCH_FS: tmpfs or ext4" >&2; return 1 ;;
	esac
	for d in ref ours; do mkdir -p "$m/$d"; done
	cp -a /etc/iscsi/. "$m/ref/" && mount --bind "$m/ref" /etc/iscsi &&
		mount --bind "$m/ours" "$OURS/etc/iscsi"
}
bench_fs_mount || exit 1
echo "InitiatorName=iqn.2024-01.org.example:bench" > "$OURS/etc/iscsi/initiatorname.iscsi"
export ISCSI_PLUGIN_PATH="$BUILD/plugins/discovery/.libs:$BUILD/plugins/transport/.libs"
ADM="env ISCSI_ROOT=$OURS $BUILD/iscsiadm"

# medians RUNS PREP_A CMD_A PREP_B CMD_B: median wall seconds of CMD_A and
# of CMD_B over RUNS runs each, alternating A and B (PREP untimed)
medians() {
	python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs, jobs = int(sys.argv[1]), [sys.argv[2:4], sys.argv[4:6]]
ts = [[], []]
for i in range(runs + 1):
    for k, (prep, cmd) in enumerate(jobs):
        if prep:
            subprocess.run(prep, shell=True, check=True)
        t = time.perf_counter()
        r = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        if r.returncode != 0:
            sys.exit("command failed (%d): %s" % (r.returncode, cmd))
        if i > 0:                  # the first run warms caches
            ts[k].append(dt)
print("%.4f %.4f" % (statistics.median(ts[0]), statistics.median(ts[1])))
PY
}
# cpu_split CMD [PREP]: "<tgtd CPU ms>/<CMD user+sys ms>" for one run of CMD
cpu_split() {
	local t0 t1 tck
	tck=$(getconf CLK_TCK)
	[ -z "${2:-}" ] || sh -c "$2"
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
	read -r a b < <(medians "$R" "" "$REFADM -m discovery -t st -p $P -o nonpersistent" \
		"" "$ADM -m discovery -t st -p $P -o nonpersistent") && [ -n "$b" ] || exit 1
	printf '%-7s %-13s %9.4fs %9.4fs %8s  %s, %s\n' "$N" nonpersistent "$a" "$b" "$(ratio "$a" "$b")" \
		"$(cpu_split "$REFADM -m discovery -t st -p $P -o nonpersistent")" \
		"$(cpu_split "$ADM -m discovery -t st -p $P -o nonpersistent")"
	read -r a b < <(medians "$R" "rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets; sync" \
		"$REFADM -m discovery -t st -p $P" \
		"rm -rf $OURS/etc/iscsi/nodes $OURS/etc/iscsi/send_targets; sync" \
		"$ADM -m discovery -t st -p $P") && [ -n "$b" ] || exit 1
	printf '%-7s %-13s %9.4fs %9.4fs %8s  %s, %s\n' "$N" "DB writes" "$a" "$b" "$(ratio "$a" "$b")" \
		"$(cpu_split "$REFADM -m discovery -t st -p $P" \
			"rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets; sync")" \
		"$(cpu_split "$ADM -m discovery -t st -p $P" \
			"rm -rf $OURS/etc/iscsi/nodes $OURS/etc/iscsi/send_targets; sync")"
	# records already there: the reference rewrites them all from defaults
	read -r a b < <(medians "$R" "sync" "$REFADM -m discovery -t st -p $P" \
		"sync" "$ADM -m discovery -t st -p $P") && [ -n "$b" ] || exit 1
	printf '%-7s %-13s %9.4fs %9.4fs %8s\n' "$N" "rediscovery" "$a" "$b" "$(ratio "$a" "$b")"
	rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets "$OURS/etc/iscsi/nodes" "$OURS/etc/iscsi/send_targets"
done
