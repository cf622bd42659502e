#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kernel.sh - fetch Debian's current kernel package and cache what the VM
# tests boot: an uncompressed vmlinux (PVH entry, ~3.5 s faster under TCG
# than the bzImage) and a small depmod'ed module tree (iSCSI initiator, LIO
# target, SCSI disk, configfs and their modules.dep closure).  Not a kernel
# builder: nothing is compiled, the .deb is never installed.
#
# usage: kernel.sh            prints the kernel directory (…/kernel/current)
# env:   VM_CACHE       cache root (default /var/cache/iscsikit-vm as root,
#                       else /tmp/iscsikit-vm-$UID)
#        VM_MODULES     module names (default below); closure is added
#        KERNEL_PKG     exact package (default: what linux-image-amd64 wants)
#        VM_KERNEL_REFRESH=1  ask apt for a newer package despite a cache
# exit:  0 ready, 77 kernel package cannot be obtained, 1 other error
set -euo pipefail

if [ "$(id -u)" = 0 ]; then DEFAULT_CACHE=/var/cache/iscsikit-vm; else DEFAULT_CACHE=/tmp/iscsikit-vm-$(id -u); fi
CACHE=${VM_CACHE:-$DEFAULT_CACHE}
DIR=$CACHE/kernel
MODULES=${VM_MODULES:-"configfs scsi_mod sd_mod sg loop brd
	iscsi_tcp libiscsi libiscsi_tcp scsi_transport_iscsi iscsi_boot_sysfs
	target_core_mod target_core_file target_core_iblock target_core_pscsi
	target_core_user iscsi_target_mod
	crc32c_generic crc32c_intel dm_multipath dm_round_robin"}

log() { echo "kernel.sh: $*" >&2; }
die() { log "$*"; exit "${2:-1}"; }
# root downloading into a directory _apt cannot read warns; run as root.
apt_dl() { apt-get -q -o APT::Sandbox::User=root download "$@"; }
# the .deb file name of a package's candidate, without downloading (run from
# /: --print-uris prints nothing when the file is in the current directory)
deb_name() { (cd / && apt_dl --print-uris "$1" 2>/dev/null | awk 'NR == 1 { print $2 }'); }

mkdir -p "$DIR/debs" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
# parallel test runs share the cache: one extraction at a time
exec 9>"$DIR/.lock"
flock 9

WANT=$(for m in $MODULES; do echo "${m//-/_}"; done | sort -u)
MODHASH=$(echo "layout-1 $WANT" | cksum | cut -d' ' -f1)
ENV=$DIR/current/kernel.env

if [ "${VM_KERNEL_REFRESH:-0}" != 1 ] && [ -e "$ENV" ] && grep -qx "MODHASH=$MODHASH" "$ENV" &&
   { [ -z "${KERNEL_PKG:-}" ] || grep -qx "PKG=$KERNEL_PKG" "$ENV"; }; then
	echo "$DIR/current"
	exit 0
fi

# 1. the exact package: never a pattern (apt-get download would fetch
#    every version in the archive)
resolve() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
PKG=${KERNEL_PKG:-$(resolve)}
# a fresh container may have empty package lists: refresh them once
if [ -z "$PKG" ] && [ "$(id -u)" = 0 ]; then
	log "apt knows no linux-image-amd64: apt-get update"
	apt-get update -qq >&2 || true
	PKG=$(resolve)
fi
[ -n "$PKG" ] || die "cannot resolve linux-image-amd64 (apt-get update?)" 77
DEB=$(deb_name "$PKG")
[ -n "$DEB" ] || die "apt cannot find $PKG (apt-get update?)" 77
if [ -e "$ENV" ] && grep -qx "DEB=$DEB" "$ENV" && grep -qx "MODHASH=$MODHASH" "$ENV"; then
	echo "$DIR/current"
	exit 0
fi
if [ ! -s "$DIR/debs/$DEB" ]; then
	log "downloading $DEB"
	(cd "$DIR/debs" && apt_dl "$PKG" >&2) || die "apt-get download $PKG failed" 77
fi

command -v depmod >/dev/null || PATH=$PATH:/usr/sbin:/sbin
command -v depmod >/dev/null || die "depmod not found (apt-get install kmod)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-kernel.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
log "extracting $DEB"
dpkg-deb -x "$DIR/debs/$DEB" "$TMP/x"
VMLINUZ=$(ls "$TMP"/x/boot/vmlinuz-* | head -n1)
KVER=${VMLINUZ##*/vmlinuz-}
SRC=
for d in "$TMP/x/lib/modules/$KVER" "$TMP/x/usr/lib/modules/$KVER"; do
	[ -d "$d" ] && SRC=$d && break
done
[ -n "$SRC" ] || die "no modules for $KVER in $DEB"
# the package ships no modules.dep (its postinst makes it)
mkdir -p "$TMP/full/lib/modules"
ln -s "$SRC" "$TMP/full/lib/modules/$KVER"
depmod -b "$TMP/full" "$KVER"

# 2. module closure: requested names, one level of softdeps, then the
#    (already transitive) modules.dep lines
awk -F: '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\.(xz|gz|zst))?$/, "", n);
	   gsub(/-/, "_", n); print n, $1 }' "$SRC/modules.dep" > "$TMP/names"
for m in $WANT; do
	awk -v n="$m" '$1 == n { print $1 }' "$TMP/names" | grep . ||
		{ log "warning: no module $m in $PKG"; continue; }
	awk -v n="$m" '$1 == "softdep" && $2 == n { for (i = 3; i <= NF; i++)
		if ($i !~ /:$/) { gsub(/-/, "_", $i); print $i } }' "$SRC/modules.softdep"
done | sort -u > "$TMP/sel"
awk 'NR == FNR { w[$1] = 1; next } ($1 in w) { print $2 ":" }' "$TMP/sel" "$TMP/names" > "$TMP/keys"
awk 'NR == FNR { w[$1] = 1; next } ($1 in w) { sub(/:$/, "", $1); for (i = 1; i <= NF; i++) print $i }' \
	"$TMP/keys" "$SRC/modules.dep" | sort -u > "$TMP/closure"

OUT=$DIR/$KVER.new
rm -rf "$OUT"
MOD=$OUT/modules/lib/modules/$KVER
while read -r p; do
	dst=$MOD/${p%.xz}; dst=${dst%.zst}; dst=${dst%.gz}
	mkdir -p "${dst%/*}"
	case $p in
	*.xz) xz -dc "$SRC/$p" > "$dst" ;;
	*.zst) zstd -qdc "$SRC/$p" > "$dst" ;;
	*.gz) gzip -dc "$SRC/$p" > "$dst" ;;
	*) cp "$SRC/$p" "$dst" ;;
	esac
done < "$TMP/closure"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -e "$SRC/$f" ] && cp "$SRC/$f" "$MOD/"
done
depmod -b "$OUT/modules" "$KVER"

# 3. vmlinux: the first compressed stream in the bzImage that unpacks to ELF
cp "$VMLINUZ" "$OUT/vmlinuz"
for spec in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
	tool=${spec%%:*}
	command -v "$tool" >/dev/null || continue
	for off in $(LC_ALL=C grep -obUaP "${spec#*:}" "$VMLINUZ" | cut -d: -f1 | head -n 4); do
		tail -c +$((off + 1)) "$VMLINUZ" | "$tool" -dc 2>/dev/null > "$OUT/vmlinux" || true
		[ "$(head -c 4 "$OUT/vmlinux" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] && break 2
	done
	rm -f "$OUT/vmlinux"
done
[ -e "$OUT/vmlinux" ] || log "warning: no vmlinux extracted; VMs boot the slower bzImage"
printf 'KVER=%s\nPKG=%s\nDEB=%s\nMODHASH=%s\n' "$KVER" "$PKG" "$DEB" "$MODHASH" > "$OUT/kernel.env"

rm -rf "${DIR:?}/$KVER"
mv "$OUT" "$DIR/$KVER"
ln -sfn "$KVER" "$DIR/current"
for f in "$DIR"/debs/linux-image-*.deb; do
	[ "${f##*/}" = "$DEB" ] || rm -f "$f"
done
log "ready: $KVER, $(wc -l < "$TMP/closure") modules, $(du -sh "$DIR/$KVER/modules" | cut -f1)"
echo "$DIR/current"
