#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A packager ships a subset: copy the built transport plugins minus iser
# into a private directory.  The listing still works (exit 0, the others
# listed), loading it fails with exit 12 naming the missing file, and
# the rest still load.
set -eu
top=${top_builddir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

fail() { echo "FAIL: $*"; exit 1; }

# Drop iser (or, if this build has no iser, the first transport built).
libs=$top/plugins/transport/.libs
victim=iser
if [ ! -f "$libs/transport-iser.so" ]; then
	victim=""
	for so in "$libs"/transport-*.so; do
		[ -f "$so" ] || continue
		victim=${so##*/transport-}
		victim=${victim%.so}
		break
	done
fi
n=0
for so in "$libs"/transport-*.so; do
	[ -f "$so" ] || continue
	[ "$so" = "$libs/transport-$victim.so" ] && continue
	cp "$so" "$tmp/" && chmod 644 "$tmp/$(basename "$so")"
	n=$((n + 1))
done
if [ -z "$victim" ] || [ "$n" -lt 1 ]; then
	echo "SKIP: needs two transports built"
	exit 77
fi

rc=0
out=$(ISCSI_PLUGIN_PATH=$tmp "$top/iscsiadm" -m plugin) || rc=$?
printf "%s\n" "$out"
[ "$rc" -eq 0 ] || fail "iscsiadm -m plugin exited $rc, want 0"
[ "$(printf "%s\n" "$out" | grep -c ' ok$')" -eq "$n" ] || fail "want $n plugins listed as ok"
printf "%s\n" "$out" | grep -q "^transport $victim " && fail "$victim listed although removed"

rc=0
msg=$(ISCSI_PLUGIN_PATH=$tmp "$top/tests/plugin-get" transport "$victim" 2>&1) || rc=$?
printf "%s\n" "$msg"
[ "$rc" -eq 12 ] || fail "loading the removed plugin exited $rc, want 12"
printf "%s\n" "$msg" | grep -qF "transport plugin '$victim' is not installed: no transport-$victim.so in $tmp" ||
	fail "message does not name the plugin and the directory"
for so in "$tmp"/transport-*.so; do
	name=$(basename "$so" .so)
	ISCSI_PLUGIN_PATH=$tmp "$top/tests/plugin-get" transport "${name#transport-}" >/dev/null ||
		fail "$name no longer loads"
done
# A blank in the path is escaped, so every line still splits into 6+ fields.
mkdir "$tmp/with space"
chmod 755 "$tmp/with space"
cp "$tmp/transport-tcp.so" "$tmp/with space/" 2>/dev/null || cp "$tmp"/transport-*.so "$tmp/with space/"
out=$(ISCSI_PLUGIN_PATH="$tmp/with space" "$top/iscsiadm" -m plugin) || fail "listing with a blank in the path"
printf "%s\n" "$out"
printf "%s\n" "$out" | grep -qF "$tmp/with\040space/transport-" || fail "blank in the file field not escaped"
printf "%s\n" "$out" | awk 'NF != 6 || $6 != "ok" { bad = 1 } END { exit bad }' || fail "a line does not have 6 fields"

echo "ok: $n of $((n + 1)) transports installed; only $victim is missing"
