#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: the main job against LIO (guest/lio-tcp.inc) with OUR
# iscsid + iscsiadm.  Opt-in (ISCSIKIT_VM_LOGIN=1) until our iscsid logs in.
# usage (host): tests/vm/suite.sh lio-tcp-ours[:LUN_MiB]   (default 64)
WHO=ours
. /vm/guest/lio-tcp.inc
