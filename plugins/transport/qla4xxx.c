// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QLogic qla4xxx HBAs: the firmware logs in and out itself and keeps
 * flash nodes and a CHAP table; iscsid only creates the endpoint through
 * the host bound by iface.hwaddress.  The HBA has no Linux netdev driver
 * of its own to map from.
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

/*
 * The endpoint is created through the host whose port has iface.hwaddress.
 */
static int
qla4xxx_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	(void)priv;
	return api->ca_check_iface_common(api, iface,
	    ISCSI_IFACE_NEED_HWADDRESS);
}

static const struct iscsi_transport_ops qla4xxx_ops = {
	.to_size = sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "qla4xxx",
	.to_kernel_module = "qla4xxx",
	.to_caps = ISCSI_TCAP_TEXT_NEGO | ISCSI_TCAP_DATA_PATH_OFFLOAD | ISCSI_TCAP_HDRDGST |
	    ISCSI_TCAP_DATADGST | ISCSI_TCAP_LOGIN_OFFLOAD | ISCSI_TCAP_MULTI_R2T,
	.to_flags = ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED | ISCSI_TF_LOGIN_OFFLOAD,
	.to_set_host_ip = ISCSI_HOST_IP_NOT_REQ,
	.to_default_iface = NULL,
	.to_netdev_drivers = NULL,
	.to_validate_iface = qla4xxx_validate_iface,
	.to_adjust_limits = NULL,
};

ISCSI_PLUGIN_DEFINE(transport_qla4xxx, ISCSI_PLUGIN_TRANSPORT, "qla4xxx", PLUGIN_VERSION, "iscsikit",
    "QLogic iSCSI HBA, firmware performs login (kernel qla4xxx)",
    ISCSI_PLUGIN_F_CLI_OK, NULL, NULL, &qla4xxx_ops)
