#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh - the README's first command after tests/setup-debian.sh: builds
# iscsikit if needed, then shows each step: the plugins, our discovery
# against a private tgtd on loopback and the node records it wrote, then
# in a QEMU VM with Debian's kernel and the LIO target: discovery and, with
# ISCSIKIT_VM_LOGIN=1 (until our iscsid logs in), login, dd write/read,
# -m session -P 3 and logout.  Everything runs on private roots and is
# removed on exit; only the VM cache (kernel, .debs) stays for next time.
# The README runs "sh tests/demo.sh": continue under bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# No "set -e": tests/lib/tgtd.sh relies on failing commands in its loops.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
SRC=$PWD
STEP=0
step() { STEP=$((STEP + 1)); printf '\n=== %d. %s\n' $STEP "$*"; }
die() { echo "demo: $*" >&2; exit 1; }
run() { echo "\$ $*" | sed "s|$SRC/||g"; "$@"; }

step "build"
[ -x configure ] || autoreconf -fi || die "autoreconf failed"
[ -f Makefile ] || ./configure --enable-werror > /dev/null || die "configure failed"
make -j"$(nproc)" > /dev/null || die "build failed"
echo "built: $(ls iscsiadm iscsid 2>/dev/null | tr '\n' ' ')"
export ISCSI_PLUGIN_PATH=$(ls -d "$SRC"/plugins/*/.libs | tr '\n' ':')
ADM=$SRC/iscsiadm

# private root for the host part: no /etc/iscsi, /run/lock/iscsi or /sys
export ISCSI_ROOT
ISCSI_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-demo.XXXXXX")
TGTD_NO_TRAP=1
TGTD_PID=
cleanup() {
	rm -rf "$ISCSI_ROOT"
	[ -z "$TGTD_PID" ] || tgtd_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM PIPE
mkdir -p "$ISCSI_ROOT/etc/iscsi" "$ISCSI_ROOT/run/lock/iscsi" "$ISCSI_ROOT/sys"
echo "InitiatorName=iqn.2024-01.org.example:demo" > "$ISCSI_ROOT/etc/iscsi/initiatorname.iscsi"

step "plugins our iscsiadm finds"
run "$ADM" -m plugin

step "a private tgtd on loopback"
if [ "$(id -u)" = 0 ] && command -v tgtd > /dev/null; then
	. tests/lib/tgtd.sh
	tgtd_start || die "tgtd did not start"
	{ tgt_target 1 iqn.2024-01.org.example:demo-disk1 1 &&
	  tgt_target 2 iqn.2024-01.org.example:demo-disk2 2; } || die "tgtadm failed"
	echo "tgtd pid $TGTD_PID on 127.0.0.1:$TGTD_PORT$([ "$TGTD_HAVE_V6" = 1 ] && echo " and [::1]:$TGTD_PORT")"
	step "our discovery against it (SendTargets)"
	run "$ADM" -m discovery -t st -p 127.0.0.1:"$TGTD_PORT" || die "discovery failed"
	step "the node records it wrote (under the private root $ISCSI_ROOT)"
	run "$ADM" -m node
	run "$ADM" -m node -T iqn.2024-01.org.example:demo-disk1 -p 127.0.0.1:"$TGTD_PORT" |
		grep -E '^node\.(name|tpgt|startup|conn\[0\]\.(address|port)|session\.auth\.authmethod) '
	tgtd_stop
	TGTD_PID=
else
	echo "skipped: needs root and tgtd (tests/setup-debian.sh installs tgt)"
fi

step "in a VM (QEMU/TCG, Debian's kernel, LIO target): discovery$([ "${ISCSIKIT_VM_LOGIN:-0}" = 1 ] &&
	echo ", login, dd, session, logout")"
VM=(-b "$ADM:/usr/local/sbin/iscsiadm" -e "ISCSIKIT_VM_LOGIN=${ISCSIKIT_VM_LOGIN:-0}")
[ -x iscsid ] && VM+=(-b "$SRC/iscsid:/usr/local/sbin/iscsid")
for d in plugins/*/.libs; do VM+=(-P "$SRC/$d"); done
bash tests/vm/run-vm.sh "${VM[@]}" tests/vm/guest/demo.sh 2>&1 |
	grep -vE '^(VM-BOOTED|VM-EXIT-STATUS|\[ *[0-9.]+\] reboot)'
rc=${PIPESTATUS[0]}
case $rc in
0) step "done: every step above ran for real; the private roots are gone"
   [ "$(id -u)" = 0 ] && cache=/var/cache/iscsikit-vm || cache=/tmp/iscsikit-vm-$(id -u)
   echo "(kept on purpose for the next run: the VM cache ${VM_CACHE:-$cache}: kernel, .debs)" ;;
77) echo "VM step skipped: qemu, busybox or the kernel package is missing (tests/setup-debian.sh)" ;;
*) echo "VM step failed (status $rc)" ;;
esac
exit "$rc"
