#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: the main job against LIO (guest/lio-tcp.inc) with the
# reference initiator, Debian's open-iscsi: it proves the harness end to end.
# usage (host): tests/vm/suite.sh lio-tcp-ref[:LUN_MiB]   (default 64)
WHO=ref
. /vm/guest/lio-tcp.inc
