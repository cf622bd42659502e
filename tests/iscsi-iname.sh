#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iscsi-iname: output format, -g, -p, prefix limit, usage and exit codes.
set -u
bin="${top_builddir:-.}/iscsi-iname"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$bin") || fail "plain run exited $?"
echo "$out" | grep -Eq '^iqn\.[^:]+:[0-9a-f]{6,12}$' || fail "bad name '$out'"
out=$("$bin" -g -p iqn.2024-01.test) || fail "-g exited $?"
echo "$out" | grep -Eq '^InitiatorName=iqn\.2024-01\.test:[0-9a-f]{6,12}$' || fail "bad -g '$out'"
out=$("$bin" --prefix=iqn.2024-01.x) || fail "--prefix exited $?"
echo "$out" | grep -Eq '^iqn\.2024-01\.x:[0-9a-f]{6,12}$' || fail "bad --prefix '$out'"
[ "$("$bin")" != "$("$bin")" ] || fail "two names are equal"
long=$(printf '%0211d' 0)
err=$("$bin" -p "$long" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] || fail "long prefix exit $rc"
echo "$err" | head -1 | grep -qx 'error: prefix too long' || fail "long prefix message '$err'"
"$bin" -p "$(printf '%0210d' 0)" >/dev/null || fail "210-char prefix refused"
out=$("$bin" -h 2>/dev/null); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] || fail "-h: exit $rc, stdout '$out'"
"$bin" -h 2>&1 | head -1 | grep -qx 'Usage: iscsi-iname \[OPTIONS\]' || fail "usage text"
"$bin" -x >/dev/null 2>&1 && fail "-x accepted"
"$bin" extra >/dev/null 2>&1 && fail "extra argument accepted"
echo "PASS"
