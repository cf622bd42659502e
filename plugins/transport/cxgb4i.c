// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Chelsio T4 and later (cxgb4 ports): digest and padding offload; the
 * offload shares the port's netdev address, so no iface.ipaddress is
 * pushed to the host.
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

/* NIC drivers whose ports this transport offloads (iface auto-creation, modprobe). */
static const char *const cxgb4i_netdevs[] = { "cxgb4", NULL };

/*
 * The endpoint is created through the host whose port has iface.hwaddress.
 */
static int
cxgb4i_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface,
	    ISCSI_IFACE_NEED_HWADDRESS);
}

static const struct iscsi_transport_ops cxgb4i_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "cxgb4i",
	.to_kernel_module = "cxgb4i",
	.to_caps = ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_MULTI_R2T | ISCSI_TCAP_HDRDGST |
	    ISCSI_TCAP_DATADGST | ISCSI_TCAP_DIGEST_OFFLOAD | ISCSI_TCAP_PADDING_OFFLOAD |
	    ISCSI_TCAP_TEXT_NEGO,
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED,
	.to_set_host_ip = ISCSI_HOST_IP_NOT_REQ,
	.to_default_iface = NULL,
	.to_netdev_drivers = cxgb4i_netdevs,
	.to_validate_iface = cxgb4i_validate_iface,
	.to_adjust_limits = NULL,
};

ISCSI_PLUGIN_DEFINE(transport_cxgb4i, ISCSI_PLUGIN_TRANSPORT, "cxgb4i", PLUGIN_VERSION, "iscsikit",
    "Chelsio T4/T5/T6 iSCSI offload (kernel cxgb4i)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &cxgb4i_ops)
