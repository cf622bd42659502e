#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: LIO portal group disabled and re-enabled under a session
# (guest/lio-recovery.inc) with OUR iscsid + iscsiadm.
# Runs by default in suite.sh and make check.
WHO=ours
. /vm/guest/lio-recovery.inc
