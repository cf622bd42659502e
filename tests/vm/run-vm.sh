#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-vm.sh - run one guest script as the only job of a throw-away QEMU VM
# (TCG: KVM hangs on the build machines).  Builds an initramfs from
# busybox-static, the cached kernel modules (kernel.sh), the given binaries
# with their ldd libraries, our plugins, guest/init and guest/lib.sh; prints
# the console and exits with the guest script's status.  No network device:
# all iSCSI traffic stays on the guest's loopback.  In the guest:
# /vm/test.sh (the script), /vm/lib.sh, /vm/guest/ (every guest file),
# /vm/vm.env (the -e settings, exported by /init).
#
# usage: run-vm.sh [options] GUEST_SCRIPT [ARG...]
#   -b SRC[:DST]  executable (default DST /usr/local/bin/NAME) + its libraries
#   -f SRC[:DST]  file or tree (default DST /vm/NAME)
#   -P DIR        plugin directory: every *.so goes to the guest's
#                 /usr/lib/iscsikit/plugins-1, which ISCSI_PLUGIN_PATH names
#   -L DIR        extra library directory for -b/-P resolution (repeatable)
#   -e VAR=VALUE  environment for the guest script (repeatable)
#   -t SEC        timeout of the whole VM (default ${VM_TIMEOUT:-300})
#   -c N, -m MB   vCPUs (${VM_CPUS:-2}), memory (${VM_MEM:-1024})
#   -l FILE       also save the console log (CRs removed)
#   -q ARG        extra qemu argument (repeatable)
#   -K            keep the staging directory, for debugging
# exit: the guest script's status; 124 timeout, 125 VM died without a
# status (panic, oops: the kernel runs with oops=panic), 77 qemu, busybox
# or the kernel package cannot be had, 2 usage.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST_PLUGINS=/usr/lib/iscsikit/plugins-1
TIMEOUT=${VM_TIMEOUT:-300} CPUS=${VM_CPUS:-2} MEM=${VM_MEM:-1024}
LOGFILE= KEEP=0
BINS=() FILES=() PLUGDIRS=() LIBDIRS=() ENVS=() QEMU_EXTRA=()

usage() { sed -n '/^# usage/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "run-vm: $1" >&2; exit "${2:-2}"; }

while getopts "b:f:P:L:e:t:c:m:l:q:Kh" opt; do
	case $opt in
	b) BINS+=("$OPTARG") ;;
	f) FILES+=("$OPTARG") ;;
	P) PLUGDIRS+=("$OPTARG") ;;
	L) LIBDIRS+=("$OPTARG") ;;
	e) ENVS+=("$OPTARG") ;;
	t) TIMEOUT=$OPTARG ;;
	c) CPUS=$OPTARG ;;
	m) MEM=$OPTARG ;;
	l) LOGFILE=$OPTARG ;;
	q) QEMU_EXTRA+=("$OPTARG") ;;
	K) KEEP=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
SCRIPT=$1
shift
[ -f "$SCRIPT" ] || die "no guest script $SCRIPT"
for t in qemu-system-x86_64 cpio busybox; do
	command -v "$t" >/dev/null ||
		die "$t not found (tests/setup-debian.sh installs qemu-system-x86 cpio busybox-static)" 77
done
T0=$(date +%s.%N)
rc=0
KDIR=$(bash "$HERE/kernel.sh") || rc=$?
[ $rc = 0 ] || die "no kernel (kernel.sh status $rc)" $([ $rc = 77 ] && echo 77 || echo 2)
# shellcheck disable=SC1091
. "$KDIR/kernel.env"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-vm.XXXXXX")
cleanup() {
	if [ $KEEP = 1 ]; then echo "run-vm: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ROOT=$WORK/root
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,usr/local/sbin,usr/local/lib,etc,proc,sys,dev,run,tmp,vm,root}
chmod 1777 "$ROOT/tmp"

# libraries outside the standard directories go to /usr/local/lib (ldconfig'd)
NEED_LDCONFIG=0
copy_lib() {
	local dst=$1
	case $1 in
	/lib/* | /lib64/* | /usr/lib/* | /usr/lib64/*) ;;
	*) dst=/usr/local/lib/${1##*/}; NEED_LDCONFIG=1 ;;
	esac
	[ -e "$ROOT$dst" ] && return 0
	mkdir -p "$(dirname "$ROOT$dst")"
	cp -L "$1" "$ROOT$dst"
}
# add_libs FILE: every library ldd lists for FILE, and the dynamic loader
add_libs() {
	local out line lib path
	path=$(IFS=:; echo "${LIBDIRS[*]:-}")
	out=$(LD_LIBRARY_PATH=$path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ldd "$1" 2>&1) || {
		case $out in *"not a dynamic"* | *"statically linked"*) return 0 ;; esac
		die "ldd $1: $out"
	}
	while IFS= read -r line; do
		line=${line#"${line%%[![:space:]]*}"}
		case $line in
		*"not found"*) die "$1 needs a library nobody provides: $line (-L DIR)" ;;
		*"=> /"*) lib=${line#*=> }; copy_lib "${lib%% (*}" ;;
		/*) copy_lib "${line%% (*}" ;;
		esac
	done <<< "$out"
}
add_file() {  # SRC DST [MODE]
	[ -e "$1" ] || die "no file $1"
	mkdir -p "$(dirname "$ROOT$2")"
	rm -rf "${ROOT:?}$2"
	cp -aL "$1" "$ROOT$2"
	[ -z "${3:-}" ] || chmod "$3" "$ROOT$2"
}

add_file "$(command -v busybox)" /bin/busybox 755
add_libs "$(command -v busybox)"
ln -s busybox "$ROOT/bin/sh"
cp -a "$KDIR/modules/." "$ROOT/"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\n' > "$ROOT/etc/group"
printf '127.0.0.1 localhost vm\n::1 localhost\n' > "$ROOT/etc/hosts"
printf 'hosts: files\npasswd: files\ngroup: files\n' > "$ROOT/etc/nsswitch.conf"

for spec in "${BINS[@]}"; do
	src=${spec%%:*} dst=/usr/local/bin/${spec##*/}
	[[ $spec == *:* ]] && dst=${spec#*:}
	add_file "$src" "$dst" 755
	add_libs "$src"
done
for spec in "${FILES[@]}"; do
	src=${spec%%:*} dst=/vm/${spec##*/}
	[[ $spec == *:* ]] && dst=${spec#*:}
	add_file "$src" "$dst"
done
for d in "${PLUGDIRS[@]}"; do
	for so in "$d"/*.so; do
		[ -e "$so" ] || continue
		# the loader refuses group/world-writable plugins
		add_file "$so" "$GUEST_PLUGINS/${so##*/}" 755
		add_libs "$so"
	done
	ENVS+=("ISCSI_PLUGIN_PATH=$GUEST_PLUGINS")
done
if [ $NEED_LDCONFIG = 1 ]; then
	echo /usr/local/lib > "$ROOT/etc/ld.so.conf"
	ldconfig -r "$ROOT" 2>/dev/null || /sbin/ldconfig -r "$ROOT"
fi

add_file "$HERE/guest/init" /init 755
add_file "$HERE/guest/lib.sh" /vm/lib.sh
# the other guest files, for scripts that share a body (lio-tcp.inc)
add_file "$HERE/guest" /vm/guest
add_file "$SCRIPT" /vm/test.sh 755
: > "$ROOT/vm/args"
for a in "$@"; do printf '%s\n' "$a" >> "$ROOT/vm/args"; done
{
	printf 'VM_KVER=%s\nVM_CPUS=%s\n' "$KVER" "$CPUS"
	for e in "${ENVS[@]}"; do printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"; done
} > "$ROOT/vm/vm.env"
INITRD=$WORK/initrd.cpio
(cd "$ROOT" && find . | cpio -o -H newc --quiet) > "$INITRD"

IMAGE=$KDIR/vmlinux
[ -e "$IMAGE" ] || IMAGE=$KDIR/vmlinuz
CMDLINE="console=ttyS0 quiet loglevel=4 panic=-1 oops=panic rdinit=/init mitigations=off edd=off"
# -nodefaults -nic none: no disks, no network; sercon-port=0 keeps SeaBIOS'
# terminal escapes off the serial console (qemu warns about the name)
QEMU=(qemu-system-x86_64 -accel tcg -cpu max -smp "$CPUS" -m "$MEM"
	-nodefaults -no-user-config -display none -monitor none -serial stdio
	-nic none -no-reboot -fw_cfg name=etc/sercon-port,string=0
	-kernel "$IMAGE" -initrd "$INITRD" -append "$CMDLINE" "${QEMU_EXTRA[@]}")
CONSOLE=$WORK/console.log
# qemu's stdin is /dev/null so it never puts a terminal into raw mode
{ timeout -k 5 "$TIMEOUT" "${QEMU[@]}" < /dev/null 2> "$WORK/qemu.err"; echo $? > "$WORK/qemu.rc"; } |
	tr -d '\r' | tee "$CONSOLE"
QRC=$(cat "$WORK/qemu.rc")
[ -z "$LOGFILE" ] || cp "$CONSOLE" "$LOGFILE"
grep -v 'externally provided fw_cfg item names' "$WORK/qemu.err" >&2 || true

STATUS=$(sed -n 's/^VM-EXIT-STATUS=\([0-9]*\).*/\1/p' "$CONSOLE" | tail -n1)
if [ -z "$STATUS" ]; then
	if [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then
		echo "run-vm: timeout after ${TIMEOUT}s" >&2; STATUS=124
	else
		echo "run-vm: VM ended without a status (qemu status $QRC)" >&2; STATUS=125
	fi
fi
echo "run-vm: ${SCRIPT##*/}: guest status $STATUS, $(awk -v a="$T0" -v b="$(date +%s.%N)" \
	'BEGIN { printf "%.1f", b - a }')s wall, kernel $KVER" >&2
exit "$STATUS"
