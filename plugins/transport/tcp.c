// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Software iSCSI: iscsid connects the TCP socket itself and hands the fd
 * to iscsi_tcp; binding is by netdev (SO_BINDTODEVICE) or by MAC mapped
 * to a netdev.  No login or kernel ops yet; those come with later minors.
 */
#include <stddef.h>
#include <string.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

static int
tcp_is_set(const char *v)
{
	return v != NULL && v[0] != '\0' && strcmp(v, "default") != 0;
}

/*
 * open-iscsi refuses at login to bind a software session by source address
 * only ("not supported with software iSCSI (iscsi_tcp)"); we say so when the
 * iface is checked, before anything is written.
 */
static int
tcp_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	const char *name = iface->is_get(iface, "iface.iscsi_ifacename");
	int rc;

	(void)priv;
	if ((rc = api->ca_check_iface_common(api, iface, 0)) != ISCSI_OK)
		return rc;
	if (tcp_is_set(iface->is_get(iface, "iface.ipaddress")) &&
	    !tcp_is_set(iface->is_get(iface, "iface.hwaddress")) &&
	    !tcp_is_set(iface->is_get(iface, "iface.net_ifacename"))) {
		api->ca_set_error(api, ISCSI_ERR_INVAL, "iface %s: binding by iface.ipaddress "
		    "alone is not supported with software iSCSI (iscsi_tcp); set "
		    "iface.net_ifacename or iface.hwaddress", name != NULL ? name : "(unnamed)");
		return ISCSI_ERR_INVAL;
	}
	return ISCSI_OK;
}

static const struct iscsi_transport_ops tcp_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "tcp",
	.to_kernel_module = "iscsi_tcp",
	.to_caps = ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_MULTI_R2T | ISCSI_TCAP_HDRDGST | ISCSI_TCAP_DATADGST,
	.to_flags = ISCSI_TF_USERSPACE_SOCKET,
	.to_set_host_ip = ISCSI_HOST_IP_NOT_REQ,
	.to_default_iface = "default",
	.to_netdev_drivers = NULL,
	.to_validate_iface = tcp_validate_iface,
	.to_adjust_limits = NULL,
};

ISCSI_PLUGIN_DEFINE(transport_tcp, ISCSI_PLUGIN_TRANSPORT, "tcp", PLUGIN_VERSION, "iscsikit",
    "software iSCSI over TCP sockets (kernel iscsi_tcp)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &tcp_ops)
