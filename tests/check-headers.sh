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
[ "$n" -ge 6 ] || { echo "FAIL: only $n headers found in $src/include/iscsi"; exit 1; }
echo "ok: $n headers compile alone as C99, C11${cxx:+ and C++11 ($cxx)}"
