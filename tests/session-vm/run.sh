#!/bin/sh
# Host side: install this build into a scratch root and boot the shared VM
# with our iscsid/iscsiadm and plugins.  usage: tests/session-vm/run.sh [GUEST_TEST]
# Needs ../shared/vm (run-vm.sh) and VM_CACHE (default /tmp/iscsi-vm).
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=${SHARED_VM:-/work/shared/vm}
test=${1:-$top/tests/session-vm/login-dd.sh}
inst=$(mktemp -d /tmp/session-vm.XXXXXX)
trap 'rm -rf "$inst"' EXIT
make -C "$top" install DESTDIR="$inst" >/dev/null 2>&1
plugdir=$(cd "$inst" && find . -type d -name 'plugins-1' | head -n1 | sed 's/^\.//')
export VM_CACHE=${VM_CACHE:-/tmp/iscsi-vm}
bash "$vm/run-vm.sh" -b "$inst/usr/local/sbin/iscsid:/usr/sbin/iscsid" \
    -b "$inst/usr/local/sbin/iscsiadm:/usr/sbin/iscsiadm" \
    -f "$inst$plugdir:$plugdir" "$test"
