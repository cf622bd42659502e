#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: LIO portal group disabled and re-enabled under a session
# (guest/lio-recovery.inc) with the reference initiator, Debian's open-iscsi.
WHO=ref
. /vm/guest/lio-recovery.inc
