#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's test command: build from a clean clone and run every test
# (unit suites, CLI golden and differential tests, target tests on
# loopback, the VM suite), then "make distcheck", which builds the release
# tarball and runs the same tests from it in a read-only source tree.
# Each test keeps its files under its own private root.
set -eu
cd "$(dirname "$0")/.."
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure --enable-werror
make -j"$(nproc)"
make -j"$(nproc)" check || { cat tests/*.log tests/*/*.log 2>/dev/null | tail -200; exit 1; }
make distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror || { echo "make distcheck failed" >&2; exit 1; }
