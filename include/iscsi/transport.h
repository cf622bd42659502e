/* SPDX-License-Identifier: MIT */
/*
 * Transport plugins: what a kernel iSCSI transport (iscsi_tcp, ib_iser, an
 * offload HBA driver) needs from userspace.  Most of it is declarative: the
 * core reads these facts to pick the connect path, the login keys and the
 * iface checks.  The session and kernel operations are added in later ABI
 * minors (see plugin.h history).
 */
#ifndef ISCSI_TRANSPORT_H
#define ISCSI_TRANSPORT_H

#include <stdint.h>
#include <iscsi/core_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Capability bits as the kernel reports them in
 * /sys/class/iscsi_transport/<name>/caps (same values as the kernel's CAP_*).
 * to_caps says what the driver is known to support; the kernel's file is
 * authoritative at run time and a plugin may only mask it.
 */
#define ISCSI_TCAP_RECOVERY_L0		0x00001u
#define ISCSI_TCAP_RECOVERY_L1		0x00002u
#define ISCSI_TCAP_RECOVERY_L2		0x00004u
#define ISCSI_TCAP_MULTI_R2T		0x00008u
#define ISCSI_TCAP_HDRDGST		0x00010u
#define ISCSI_TCAP_DATADGST		0x00020u
#define ISCSI_TCAP_MULTI_CONN		0x00040u
#define ISCSI_TCAP_TEXT_NEGO		0x00080u
#define ISCSI_TCAP_MARKERS		0x00100u
#define ISCSI_TCAP_FW_DB		0x00200u
#define ISCSI_TCAP_SENDTARGETS_OFFLOAD	0x00400u
#define ISCSI_TCAP_DATA_PATH_OFFLOAD	0x00800u
#define ISCSI_TCAP_DIGEST_OFFLOAD	0x01000u
#define ISCSI_TCAP_PADDING_OFFLOAD	0x02000u
#define ISCSI_TCAP_LOGIN_OFFLOAD	0x04000u

/* to_flags */
#define ISCSI_TF_USERSPACE_SOCKET	(1u << 0)  /* we connect a TCP socket and hand its fd to the kernel */
#define ISCSI_TF_KERNEL_EP		(1u << 1)  /* kernel connects (EP_CONNECT/EP_POLL/EP_DISCONNECT) */
#define ISCSI_TF_BIND_EP_REQUIRED	(1u << 2)  /* the endpoint must be created through one host */
#define ISCSI_TF_RDMA			(1u << 3)  /* iSER: RDMAExtensions and iSER login keys */
#define ISCSI_TF_USE_BOOT_INFO		(1u << 4)  /* take settings from the boot firmware */
#define ISCSI_TF_NO_NETDEV		(1u << 5)  /* the host has no Linux netdev to bring up */
#define ISCSI_TF_SYNC_VLAN		(1u << 6)  /* push VLAN settings to the HBA before login */
#define ISCSI_TF_NEEDS_ISCSIUIO		(1u << 7)  /* ARP/DHCP/ping done by the iscsiuio daemon */
#define ISCSI_TF_LOGIN_OFFLOAD		(1u << 8)  /* firmware performs login and logout */

/* to_set_host_ip: must iface.ipaddress be pushed to the host? */
enum iscsi_set_host_ip {
	ISCSI_HOST_IP_NOT_REQ	= 0,
	ISCSI_HOST_IP_REQUIRED	= 1,
	ISCSI_HOST_IP_OPTIONAL	= 2,
};

/**
 * struct iscsi_conn_limits - per-connection limits a transport may clamp
 * before login (open-iscsi's create_conn hook).  Values in bytes; the core
 * fills the configured values, the plugin lowers what its hardware cannot
 * do, the core then re-checks them against RFC 7143 ranges.
 */
struct iscsi_conn_limits {
	uint32_t	cl_size;
	uint32_t	cl_max_recv_dsl;
	uint32_t	cl_max_xmit_dsl;
	uint32_t	cl_first_burst;
	uint32_t	cl_max_burst;
	uint32_t	cl_header_digest;	/* 1 if CRC32C may be offered */
	uint32_t	cl_data_digest;		/* 1 if CRC32C may be offered */
};

/**
 * struct iscsi_transport_ops - ip_ops of an ISCSI_PLUGIN_TRANSPORT plugin.
 * @to_size:          sizeof(struct iscsi_transport_ops).
 * @to_kernel_name:   name under /sys/class/iscsi_transport ("tcp", "iser").
 * @to_kernel_module: module to load when the transport is absent ("iscsi_tcp").
 * @to_caps:          ISCSI_TCAP_* the driver is known to have.
 * @to_flags:         ISCSI_TF_*.
 * @to_set_host_ip:   enum iscsi_set_host_ip.
 * @to_default_iface: built-in iface bound to this transport ("default",
 *                    "iser") or NULL.
 * @to_netdev_drivers: NULL-terminated list of NIC drivers whose ports this
 *                    transport offloads ("cxgb4"), or NULL.
 * @to_validate_iface: optional; check an iface record's settings for this
 *                    transport.  Return ISCSI_OK or ISCSI_ERR_INVAL with a
 *                    detail set through api->ca_set_error naming the key.
 * @to_adjust_limits: optional; clamp @lim to what the hardware supports.
 */
struct iscsi_transport_ops {
	uint32_t		 to_size;
	const char		*to_kernel_name;
	const char		*to_kernel_module;
	uint32_t		 to_caps;
	uint32_t		 to_flags;
	uint32_t		 to_set_host_ip;
	const char		*to_default_iface;
	const char *const	*to_netdev_drivers;
	int			(*to_validate_iface)(const struct iscsi_core_api *api, void *priv,
				    const struct iscsi_settings *iface);
	int			(*to_adjust_limits)(const struct iscsi_core_api *api, void *priv,
				    struct iscsi_conn_limits *lim);
};

#ifdef __cplusplus
}
#endif
#endif /* ISCSI_TRANSPORT_H */
