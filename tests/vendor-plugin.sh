#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The vendor path: install into a DESTDIR, build a transport plugin outside
# the tree with nothing but "pkg-config iscsi-plugin", and check that the
# installed iscsiadm lists and loads it, and refuses the same plugin built
# for ABI 2 with both versions in the message.
set -eu
top=${top_builddir:-.}
make=${MAKE:-make}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
dest=$tmp/dest

fail() { echo "FAIL: $*"; exit 1; }

$make -C "$top" install DESTDIR="$dest" >"$tmp/install.log" 2>&1 ||
	{ tail -30 "$tmp/install.log"; fail "make install DESTDIR=$dest"; }
pc=$(find "$dest" -name iscsi-plugin.pc | head -1)
[ -n "$pc" ] || fail "iscsi-plugin.pc not installed"
adm=$(find "$dest" -name iscsiadm -type f | head -1)
[ -x "$adm" ] || fail "iscsiadm not installed"

PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$dest
PKG_CONFIG_LIBDIR=$PKG_CONFIG_PATH
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
cflags=$(pkg-config --cflags iscsi-plugin) || fail "pkg-config --cflags iscsi-plugin"
plugindir=$(pkg-config --variable=plugindir iscsi-plugin)
case $plugindir in
"$dest"/*) ;;
/*) plugindir=$dest$plugindir ;;	# pkg-config versions differ on sysroot for variables
*) fail "plugindir '$plugindir' is not an absolute path (unexpanded variable?)" ;;
esac
case $plugindir in
*'$'*|*'@'*) fail "plugindir '$plugindir' is not fully expanded" ;;
*/plugins-1) ;;
*) fail "plugindir '$plugindir' does not end in plugins-<ABI major>" ;;
esac
[ -f "$plugindir/transport-tcp.so" ] || fail "no transport-tcp.so in the .pc's plugindir $plugindir"
case $cflags in
*"$dest"*) ;;
*) fail "cflags '$cflags' do not point into DESTDIR" ;;
esac

# The vendor's source: what docs/plugin-abi.md shows, plus a test-only
# switch that pretends it was compiled against ABI 2.
mkdir "$tmp/vendor" "$tmp/plugins" "$tmp/plugins-2"
chmod 755 "$tmp/vendor" "$tmp/plugins" "$tmp/plugins-2"
cat >"$tmp/vendor/acme.c" <<'SRC'
#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>
#ifdef ACME_PRETEND_ABI2
#undef ISCSI_PLUGIN_ABI_MAJOR
#define ISCSI_PLUGIN_ABI_MAJOR 2
#endif

static int
acme_validate(const struct iscsi_core_api *api, void *priv, const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface, ISCSI_IFACE_NEED_HWADDRESS);
}

static const struct iscsi_transport_ops acme_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "acme",
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED,
	.to_validate_iface = acme_validate,
};

ISCSI_PLUGIN_DEFINE(transport_acme, ISCSI_PLUGIN_TRANSPORT, "acme", "1.2.3", "ACME Corp",
    "ACME iSCSI offload", ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &acme_ops)
SRC
flags="-std=c99 -pedantic -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -Wl,-z,now"
# shellcheck disable=SC2086
$cc $flags $cflags -o "$tmp/plugins/transport-acme.so" "$tmp/vendor/acme.c" ||
	fail "vendor plugin does not build against the installed SDK"
# shellcheck disable=SC2086
$cc $flags $cflags -DACME_PRETEND_ABI2 -o "$tmp/plugins-2/transport-acme.so" "$tmp/vendor/acme.c" ||
	fail "ABI-2 variant does not build"
chmod 755 "$tmp/plugins/transport-acme.so" "$tmp/plugins-2/transport-acme.so"

out=$(ISCSI_PLUGIN_PATH=$tmp/plugins:$plugindir "$adm" -m plugin -P 1) ||
	fail "iscsiadm -m plugin exited $?"
printf "%s\n" "$out"
printf "%s\n" "$out" | grep -qx "transport acme 1.2.3 1.0 $tmp/plugins/transport-acme.so ok" ||
	fail "vendor plugin not listed as loading"
printf "%s\n" "$out" | grep -qx "	description: ACME iSCSI offload" || fail "-P 1 lacks the description"
printf "%s\n" "$out" | grep -qx "transport tcp .* ok" || fail "installed tcp plugin not listed"

rc=0
out=$(ISCSI_PLUGIN_PATH=$tmp/plugins-2 "$adm" -m plugin) || rc=$?
printf "%s\n" "$out"
[ "$rc" -eq 0 ] || fail "listing with a refused plugin exited $rc, want 0"
want="transport acme - 2.0 $tmp/plugins-2/transport-acme.so refused: plugin transport-acme.so was built for plugin ABI 2.0, this iscsikit speaks 1.0"
printf "%s\n" "$out" | grep -qF "$want" || fail "ABI-2 plugin not refused with both versions"
echo "ok: vendor plugin built with pkg-config loads; its ABI-2 build is refused"
