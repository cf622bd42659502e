#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: the main job against tgtd (guest/tgt-tcp.inc) with the
# reference initiator, Debian's open-iscsi.
WHO=ref
. /vm/guest/tgt-tcp.inc
