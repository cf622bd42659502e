#!/bin/sh
# Host side: build this tree with prefix $PFX (default /tmp/iscsikit-session)
# in a scratch copy, install it there, and run the shared harness's lio-tcp
# test with our iscsid/iscsiadm (plugins copied in via INITIATOR_TREE).
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=${SHARED_VM:-/work/shared/vm}
PFX=${PFX:-/tmp/iscsikit-session}
src=$(mktemp -d /tmp/session-src.XXXXXX)
trap 'rm -rf "$src"' EXIT
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$src")
(cd "$src" && autoreconf -fi && ./configure --prefix="$PFX" && make -j"$(nproc)" &&
    rm -rf "$PFX" && make install) >/dev/null 2>&1
export VM_CACHE=${VM_CACHE:-/tmp/iscsi-vm}
ISCSID=$PFX/sbin/iscsid ISCSIADM=$PFX/sbin/iscsiadm INITIATOR_TREE=$PFX \
    bash "$vm/run-tests.sh" "${@:-lio-tcp}"
