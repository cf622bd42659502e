#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# get-reference.sh CACHE
# Unpack Debian's open-iscsi (and libopeniscsiusr) into CACHE once and print
# the path of a wrapper that runs the reference iscsiadm.  Never installs
# anything over the system.  Exit 77 when the packages cannot be fetched.
set -eu
CACHE=$1
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
wrapper=$CACHE/ref-iscsiadm
if [ ! -x "$wrapper" ]; then
	(
		cd "$CACHE"
		for p in open-iscsi libopeniscsiusr; do
			ls ${p}_*.deb >/dev/null 2>&1 && continue
			apt-get download "$p" >/dev/null 2>&1 ||
				{ apt-get update -qq >/dev/null 2>&1 && apt-get download "$p" >/dev/null 2>&1; } ||
				exit 77
		done
		rm -rf root
		for d in open-iscsi_*.deb libopeniscsiusr_*.deb; do dpkg -x "$d" root; done
	) || exit 77
	[ -x "$CACHE/root/sbin/iscsiadm" ] || exit 77
	lib=$(find "$CACHE/root" -name 'libopeniscsiusr.so.0' | head -n 1)
	[ -n "$lib" ] || exit 77
	cat > "$wrapper.tmp" <<EOW
#!/bin/sh
LD_LIBRARY_PATH=$(dirname "$lib") exec $CACHE/root/sbin/iscsiadm "\$@"
EOW
	chmod +x "$wrapper.tmp"
	mv "$wrapper.tmp" "$wrapper"
fi
"$wrapper" -V >/dev/null 2>&1 || exit 77
echo "$wrapper"
