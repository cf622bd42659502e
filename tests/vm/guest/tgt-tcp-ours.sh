#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: the main job against tgtd (guest/tgt-tcp.inc) with OUR iscsid +
# iscsiadm.  Runs by default in suite.sh and make check.
WHO=ours
. /vm/guest/tgt-tcp.inc
