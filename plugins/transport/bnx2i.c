// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Broadcom/QLogic NetXtreme II (bnx2/bnx2x ports): the offload function has
 * its own IP address, so iface.ipaddress is required; ARP, DHCP, VLAN and
 * ping go through the iscsiuio daemon.  Settings may come from the boot
 * firmware.
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

/* NIC drivers whose ports this transport offloads (iface auto-creation, modprobe). */
static const char *const bnx2i_netdevs[] = { "bnx2", "bnx2x", NULL };

/*
 * The endpoint is created through the host whose port has iface.hwaddress,
 * and the offload function needs its own iface.ipaddress (set_host_ip REQ).
 */
static int
bnx2i_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface,
	    ISCSI_IFACE_NEED_HWADDRESS | ISCSI_IFACE_NEED_IPADDRESS);
}

static const struct iscsi_transport_ops bnx2i_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "bnx2i",
	.to_kernel_module = "bnx2i",
	.to_caps = ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_HDRDGST | ISCSI_TCAP_MULTI_R2T |
	    ISCSI_TCAP_DATADGST | ISCSI_TCAP_DATA_PATH_OFFLOAD | ISCSI_TCAP_TEXT_NEGO,
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED | ISCSI_TF_USE_BOOT_INFO |
	    ISCSI_TF_NEEDS_ISCSIUIO,
	.to_set_host_ip = ISCSI_HOST_IP_REQUIRED,
	.to_default_iface = NULL,
	.to_netdev_drivers = bnx2i_netdevs,
	.to_validate_iface = bnx2i_validate_iface,
	.to_adjust_limits = NULL,
};

ISCSI_PLUGIN_DEFINE(transport_bnx2i, ISCSI_PLUGIN_TRANSPORT, "bnx2i", PLUGIN_VERSION, "iscsikit",
    "Broadcom/QLogic NetXtreme II iSCSI offload, needs iscsiuio (kernel bnx2i)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &bnx2i_ops)
