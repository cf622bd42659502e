// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Emulex OneConnect (be2net ports): the adapter keeps its own network
 * settings, and VLAN settings are pushed to it before each login.
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

/* NIC drivers whose ports this transport offloads (iface auto-creation, modprobe). */
static const char *const be2iscsi_netdevs[] = { "be2net", NULL };

/*
 * The endpoint is created through the host whose port has iface.hwaddress.
 */
static int
be2iscsi_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface,
	    ISCSI_IFACE_NEED_HWADDRESS);
}

static const struct iscsi_transport_ops be2iscsi_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "be2iscsi",
	.to_kernel_module = "be2iscsi",
	.to_caps = ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_HDRDGST | ISCSI_TCAP_MULTI_R2T |
	    ISCSI_TCAP_DATADGST | ISCSI_TCAP_DATA_PATH_OFFLOAD | ISCSI_TCAP_TEXT_NEGO,
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED | ISCSI_TF_SYNC_VLAN,
	.to_set_host_ip = ISCSI_HOST_IP_NOT_REQ,
	.to_default_iface = NULL,
	.to_netdev_drivers = be2iscsi_netdevs,
	.to_validate_iface = be2iscsi_validate_iface,
	.to_adjust_limits = NULL,
};

ISCSI_PLUGIN_DEFINE(transport_be2iscsi, ISCSI_PLUGIN_TRANSPORT, "be2iscsi", PLUGIN_VERSION, "iscsikit",
    "Emulex OneConnect iSCSI offload (kernel be2iscsi)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &be2iscsi_ops)
