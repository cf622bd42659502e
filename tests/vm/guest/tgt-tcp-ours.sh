#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: the main job against tgtd (guest/tgt-tcp.inc) with OUR iscsid +
# iscsiadm.  Opt-in (ISCSIKIT_VM_LOGIN=1) until our iscsid logs in.
WHO=ours
. /vm/guest/tgt-tcp.inc
