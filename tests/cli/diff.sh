#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Differential test: the same iscsiadm command lines run against Debian's
# open-iscsi 2.1.8 (unpacked into a cache, run in private namespaces, see
# ref-sandbox.sh) and against ours on copies of the same databases; stdout,
# stderr, exit status and the database afterwards must be identical.
# Cases whose difference is a deliberate fix (docs/compat.md) carry the
# expected result for ours and are checked to still differ from the
# reference.  Exit 77 only when the reference cannot be obtained or run.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(cd "$HERE/../.." && pwd)}
OURS=$top_builddir/iscsiadm
: "${ISCSI_PLUGIN_PATH:=$top_builddir/plugins/transport/.libs}"
export ISCSI_PLUGIN_PATH
CACHE=${ISCSIKIT_REF_CACHE:-/var/tmp/iscsikit-ref-cache}
REF=$(sh "$HERE/get-reference.sh" "$CACHE") || { echo "SKIP: cannot fetch open-iscsi"; exit 77; }
REFROOT=$(dirname "$REF")/root
W=$(mktemp -d /tmp/iscsikit-clidiff.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
unshare --mount --net true 2>/dev/null || { echo "SKIP: unshare not permitted"; exit 77; }

# ---- fixtures: each a complete etc/iscsi tree
F=$W/fixtures
mkdir -p "$F/empty"
cp "$REFROOT/etc/iscsi/iscsid.conf" "$F/empty/iscsid.conf"
echo "InitiatorName=iqn.1993-08.org.debian:01:cli-test" >"$F/empty/initiatorname.iscsi"
make_fixture() {	# name bin setup-file [sandbox]
	mkdir -p "$W/mk-$1/etc/iscsi"
	cp -a "$F/empty/." "$W/mk-$1/etc/iscsi/"
	while IFS= read -r l; do
		case $l in ''|'#'*) continue ;; esac
		if [ "${4:-}" = sandbox ]; then
			echo "(eval \"set -- $l\" && \"$2\" \"\$@\") >/dev/null"
		else
			echo "(eval \"set -- $l\" && ISCSI_ROOT=\"$W/mk-$1\" \"$2\" \"\$@\") >/dev/null"
		fi
	done <"$3" >"$W/mk-$1.sh"
	if [ "${4:-}" = sandbox ]; then
		sh "$HERE/ref-sandbox.sh" "$W/mk-$1" sh "$W/mk-$1.sh"
	else
		sh "$W/mk-$1.sh"
	fi
	mkdir -p "$F/$1"
	cp -a "$W/mk-$1/etc/iscsi/." "$F/$1/"
}
make_fixture ref "$REF" "$HERE/setup.txt" sandbox
make_fixture ours "$OURS" "$HERE/setup.txt"
sh "$HERE/fixtures.sh" "$F"

# ---- run every case on both
sed -n 's/^\([^|]*|[^|]*\).*/\1/p' "$HERE/cases.txt" >"$W/cases"
sh "$HERE/ref-sandbox.sh" "$W/refstate" sh "$HERE/run-cases.sh" "$REF" "$W/refstate" "$F" "$W/cases" "$W/ref"
ISCSI_ROOT=$W/ourstate sh "$HERE/run-cases.sh" "$OURS" "$W/ourstate" "$F" "$W/cases" "$W/ours"

# ---- compare
norm() { sed -e "s#$REFROOT/sbin/iscsiadm#iscsiadm#g" -e "s#$OURS#iscsiadm#g" -e "s#$W/ourstate##g" "$1"; }
pass=0 fail=0 intended=0 known=0 n=0
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	n=$((n + 1))
	expect=$(echo "$line" | sed -n 's/^[^|]*|[^|]*|[ 	]*//p')
	same=1
	for k in out err rc db; do
		norm "$W/ref/$n.$k" >"$W/r.$k"; norm "$W/ours/$n.$k" >"$W/o.$k"
		# "unordered": the reference prints in directory (hash) order
		if [ "$expect" = unordered ] && [ $k = out ]; then
			sort -o "$W/r.$k" "$W/r.$k"; sort -o "$W/o.$k" "$W/o.$k"
		fi
		cmp -s "$W/r.$k" "$W/o.$k" || same=0
	done
	case $expect in known:*)	# a bug of another area, reported until fixed
		if [ $same = 1 ]; then fail=$((fail + 1)); echo "FAIL $n: fixed, drop 'known': $line"
		else known=$((known + 1)); echo "KNOWN $n: ${expect#known: }"; fi
		continue ;;
	esac
	if [ -z "$expect" ] || [ "$expect" = unordered ]; then
		if [ $same = 1 ]; then pass=$((pass + 1)); continue; fi
		fail=$((fail + 1))
		echo "FAIL $n: $line"
		for k in out err rc db; do diff -u "$W/r.$k" "$W/o.$k" | sed -n '3,40p'; done
		continue
	fi
	# intended difference: "rc=N", optional "db=~REGEX" and "err=~REGEX" (last)
	ok=1
	want_rc=$(echo "$expect" | sed -n 's/.*rc=\([0-9]*\).*/\1/p')
	want_err=$(echo "$expect" | sed -n 's/.*err=~\(.*\)$/\1/p')
	want_db=$(echo "$expect" | sed -n 's/.*db=~\([^ ]*\).*/\1/p')
	if [ -n "$want_db" ] && ! grep -q -e "$want_db" "$W/o.db"; then
		ok=0; echo "FAIL $n: database lacks '$want_db': $line"
	fi
	[ $same = 0 ] || { ok=0; echo "FAIL $n: no longer differs from the reference: $line"; }
	[ "$(cat "$W/o.rc")" = "$want_rc" ] || { ok=0; echo "FAIL $n: rc $(cat "$W/o.rc"), want $want_rc: $line"; }
	if [ -n "$want_err" ] && ! grep -q -e "$want_err" "$W/o.err"; then
		ok=0; echo "FAIL $n: stderr lacks '$want_err': $line"; sed 's/^/	/' "$W/o.err"
	fi
	if [ $ok = 1 ]; then intended=$((intended + 1)); else fail=$((fail + 1)); fi
done <"$HERE/cases.txt"
echo "cli differential: $n cases, $pass identical, $intended intended differences, $known known bugs, $fail failed"
[ $fail = 0 ]
