#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm.sh - the "vm" test of make check: every VM suite job (our discovery
# against LIO; the reference's login, tgtd and recovery jobs, which prove
# the harness; the same jobs and session-ours with OUR iscsid).
# Skips (77) only when qemu, busybox or the kernel package cannot be had.
exec bash "$(dirname "$0")/suite.sh"
