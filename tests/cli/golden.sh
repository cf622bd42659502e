#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden test: needs no reference binary.  Runs golden-cases.txt with our
# iscsiadm on hand-written databases (fixtures.sh) and compares exit
# status, stdout, stderr and the database afterwards with golden/<n>.txt,
# which open-iscsi 2.1.8 produced.  "golden.sh --regen" rewrites those
# files from the reference (needs get-reference.sh and unshare).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(cd "$HERE/../.." && pwd)}
OURS=$top_builddir/iscsiadm
W=$(mktemp -d /tmp/iscsikit-cligolden.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
F=$W/fixtures
mkdir -p "$F/empty"
cp "$HERE/golden-iscsid.conf" "$F/empty/iscsid.conf"
sh "$HERE/fixtures.sh" "$F"
sed -n 's/^\([^#][^|]*|[^|]*\).*/\1/p' "$HERE/golden-cases.txt" >"$W/cases"

collect() {	# dir n -> one text per case
	echo "rc $(cat "$1/$2.rc")"
	echo "--- stdout"; cat "$1/$2.out"
	echo "--- stderr"; cat "$1/$2.err"
	echo "--- db"; cat "$1/$2.db"
}
norm() { sed -e "s#$W/state##g" -e "s#$1#iscsiadm#g"; }

if [ "${1:-}" = --regen ]; then
	CACHE=${ISCSIKIT_REF_CACHE:-/var/tmp/iscsikit-ref-cache}
	REF=$(sh "$HERE/get-reference.sh" "$CACHE") || exit 77
	sh "$HERE/ref-sandbox.sh" "$W/state" sh "$HERE/run-cases.sh" "$REF" "$W/state" "$F" "$W/cases" "$W/out"
	mkdir -p "$HERE/golden"
	rm -f "$HERE/golden/"*.txt
	n=$(grep -c . "$W/cases")
	for i in $(seq 1 "$n"); do
		collect "$W/out" "$i" | norm "$(dirname "$REF")/root/sbin/iscsiadm" >"$HERE/golden/$i.txt"
	done
	echo "regenerated $n golden files"
	exit 0
fi

ISCSI_ROOT=$W/state sh "$HERE/run-cases.sh" "$OURS" "$W/state" "$F" "$W/cases" "$W/out"
n=$(grep -c . "$W/cases") fail=0
for i in $(seq 1 "$n"); do
	collect "$W/out" "$i" | norm "$OURS" >"$W/got"
	if ! cmp -s "$HERE/golden/$i.txt" "$W/got"; then
		fail=$((fail + 1))
		echo "FAIL $i: $(sed -n "${i}p" "$W/cases")"
		diff -u "$HERE/golden/$i.txt" "$W/got" | sed -n '3,30p'
	fi
done
echo "cli golden: $n cases, $fail failed"
[ $fail = 0 ]
