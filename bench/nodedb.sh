#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/nodedb.sh [N ...]   (default: 100 1000 10000)
# Node database scale, side by side in one run: Debian's open-iscsi 2.1.8
# iscsiadm (unpacked into a cache, run in private namespaces with a config
# stub, see tests/cli/ref-sandbox.sh) and ours (ISCSI_ROOT).  Both get the
# same N records (nodes/<t>/127.0.0.1,3260,1/default + static/ links,
# generated from one record each binary wrote).  Prints medians and ratios.
# Build first (./configure && make); needs root for unshare.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
OURS=${OURS:-$TOP/iscsiadm}
CACHE=${ISCSIKIT_REF_CACHE:-/var/tmp/iscsikit-ref-cache}
REF=$(sh "$TOP/tests/cli/get-reference.sh" "$CACHE") || { echo "cannot fetch open-iscsi" >&2; exit 1; }
W=${BENCH_DIR:-$(mktemp -d /var/tmp/iscsikit-bench.XXXXXX)}
mkdir -p "$W/ref/etc/iscsi" "$W/ours/etc/iscsi"
cp "$(dirname "$REF")/root/etc/iscsi/iscsid.conf" "$W/ref/etc/iscsi/"
cp "$(dirname "$REF")/root/etc/iscsi/iscsid.conf" "$W/ours/etc/iscsi/"
trap 'rm -rf "$W"' EXIT INT TERM
sh "$TOP/tests/cli/ref-sandbox.sh" "$W/ref" python3 "$HERE/nodedb_time.py" \
	"$REF" "$OURS" "$W" ${*:-100 1000 10000}
