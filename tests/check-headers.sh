#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Each installed SDK header must compile on its own, without config.h:
# as C99 and C11 with -pedantic, and as C++11 when a C++ compiler exists.
# Vendors include them in builds we do not control.
set -eu
src=${abs_top_srcdir:-${top_srcdir:-.}}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cxx=""
for c in c++ g++ clang++; do
	if command -v "$c" >/dev/null 2>&1; then cxx=$c; break; fi
done
n=0
for h in "$src"/include/iscsi/*.h; do
	name=iscsi/$(basename "$h")
	printf '#include <%s>\n#include <%s>\n' "$name" "$name" >"$tmp/t.c"
	for std in c99 c11; do
		$cc -std=$std -pedantic -Wall -Wextra -Werror -fsyntax-only \
			-I"$src/include" "$tmp/t.c" || { echo "FAIL: $name as $std"; exit 1; }
	done
	if [ -n "$cxx" ]; then
		cp "$tmp/t.c" "$tmp/t.cc"
		$cxx -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only \
			-I"$src/include" "$tmp/t.cc" || { echo "FAIL: $name as C++11"; exit 1; }
	fi
	n=$((n + 1))
done

# ISCSI_PLUGIN_DEFINE must give a pedantic-clean C plugin and, from C++20,
# a C++ one whose entry point keeps its unmangled name.
cat >"$tmp/p.c" <<'SRC'
#include <iscsi/plugin.h>
#include <iscsi/transport.h>
static const struct iscsi_transport_ops hdr_ops = {
	sizeof(struct iscsi_transport_ops), "hdr", 0, 0, 0, 0, 0, 0, 0, 0
};
ISCSI_PLUGIN_DEFINE(transport_hdr, ISCSI_PLUGIN_TRANSPORT, "hdr", "1", "t", "d",
    ISCSI_PLUGIN_F_CLI_OK, 0, 0, &hdr_ops)
SRC
$cc -std=c99 -pedantic -Wall -Wextra -Werror -fPIC -c -I"$src/include" -o "$tmp/p.o" "$tmp/p.c" ||
	{ echo "FAIL: ISCSI_PLUGIN_DEFINE as C99"; exit 1; }
nm "$tmp/p.o" | grep -q ' T transport_hdr_LTX_iscsi_plugin_entry$' ||
	{ echo "FAIL: C entry symbol missing"; exit 1; }
if [ -n "$cxx" ] && $cxx -std=c++20 -x c++ -fsyntax-only /dev/null 2>/dev/null; then
	cp "$tmp/p.c" "$tmp/p.cc"
	$cxx -std=c++20 -pedantic -Wall -Wextra -Werror -fPIC -c -I"$src/include" \
		-o "$tmp/pp.o" "$tmp/p.cc" || { echo "FAIL: ISCSI_PLUGIN_DEFINE as C++20"; exit 1; }
	nm "$tmp/pp.o" | grep -q ' T transport_hdr_LTX_iscsi_plugin_entry$' ||
		{ echo "FAIL: C++ entry symbol is mangled"; exit 1; }
fi

[ "$n" -ge 6 ] || { echo "FAIL: only $n headers found in $src/include/iscsi"; exit 1; }
echo "ok: $n headers compile alone as C99, C11${cxx:+ and C++11 ($cxx)}"
