#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm.sh - the "vm" test of make check: the VM suite's tests that pass today
# (our discovery against LIO; the reference's login, tgtd and recovery jobs,
# which prove the harness; our own jobs too when ISCSIKIT_VM_LOGIN=1).
# Skips (77) only when qemu, busybox or the kernel package cannot be had.
exec bash "$(dirname "$0")/suite.sh"
