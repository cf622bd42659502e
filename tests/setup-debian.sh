#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what a fresh Debian machine lacks to build and test iscsikit.
# Used by the README's commands and by .ci/run; safe to run twice.
set -eu
PKGS="build-essential autoconf automake libtool pkg-config libltdl-dev \
libnl-3-dev libnl-route-3-dev libssl-dev check tgt open-isns-server clang \
python3"
# the VM tier (tests/vm): QEMU/TCG, the initramfs shell, its packer, depmod, vmlinux unpacking
PKGS="$PKGS qemu-system-x86 busybox-static cpio kmod xz-utils"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# tgt's postinst tries to start the service; tests start their own tgtd.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
