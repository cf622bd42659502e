// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Chelsio T3 (cxgb3 ports): digest and padding offload, endpoint created
 * through the host bound by iface.hwaddress; an iface.ipaddress is
 * optional (pushed to the host when set).
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

/* NIC drivers whose ports this transport offloads (iface auto-creation, modprobe). */
static const char *const cxgb3i_netdevs[] = { "cxgb3", NULL };

/*
 * The endpoint is created through the host whose port has iface.hwaddress.
 */
static int
cxgb3i_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface,
	    ISCSI_IFACE_NEED_HWADDRESS);
}

static const struct iscsi_transport_ops cxgb3i_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "cxgb3i",
	.to_kernel_module = "cxgb3i",
	.to_caps = ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_MULTI_R2T | ISCSI_TCAP_HDRDGST |
	    ISCSI_TCAP_DATADGST | ISCSI_TCAP_DIGEST_OFFLOAD | ISCSI_TCAP_PADDING_OFFLOAD |
	    ISCSI_TCAP_TEXT_NEGO,
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED,
	.to_set_host_ip = ISCSI_HOST_IP_OPTIONAL,
	.to_default_iface = NULL,
	.to_netdev_drivers = cxgb3i_netdevs,
	.to_validate_iface = cxgb3i_validate_iface,
	.to_adjust_limits = NULL,
};

ISCSI_PLUGIN_DEFINE(transport_cxgb3i, ISCSI_PLUGIN_TRANSPORT, "cxgb3i", PLUGIN_VERSION, "iscsikit",
    "Chelsio T3 iSCSI offload (kernel cxgb3i)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &cxgb3i_ops)
