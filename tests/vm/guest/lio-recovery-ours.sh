#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: LIO portal group disabled and re-enabled under a session
# (guest/lio-recovery.inc) with OUR iscsid + iscsiadm.  Opt-in
# (ISCSIKIT_VM_LOGIN=1) until our iscsid logs in.
WHO=ours
. /vm/guest/lio-recovery.inc
