// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iSER: the kernel connects over RDMA (EP_CONNECT) and the login carries
 * the iSER keys.  RDMA protects the data itself, so iSER sessions never
 * negotiate CRC32C digests (RFC 7145); to_adjust_limits turns them off.
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

static int
iser_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface, 0);
}

static int
iser_adjust_limits(const struct iscsi_core_api *api, void *priv,
    struct iscsi_conn_limits *lim)
{
	(void)priv;
	if (lim->cl_header_digest || lim->cl_data_digest)
		api->ca_debug(api, 2, "digests are not used over RDMA; offering None");
	lim->cl_header_digest = 0;
	lim->cl_data_digest = 0;
	return ISCSI_OK;
}

static const struct iscsi_transport_ops iser_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "iser",
	.to_kernel_module = "ib_iser",
	.to_caps = ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_MULTI_R2T | ISCSI_TCAP_TEXT_NEGO,
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_RDMA,
	.to_set_host_ip = ISCSI_HOST_IP_NOT_REQ,
	.to_default_iface = "iser",
	.to_netdev_drivers = NULL,
	.to_validate_iface = iser_validate_iface,
	.to_adjust_limits = iser_adjust_limits,
};

ISCSI_PLUGIN_DEFINE(transport_iser, ISCSI_PLUGIN_TRANSPORT, "iser", PLUGIN_VERSION, "iscsikit",
    "iSCSI Extensions for RDMA: InfiniBand, RoCE, iWARP (kernel ib_iser)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &iser_ops)
