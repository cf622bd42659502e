/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Our own definitions of the kernel's NETLINK_ISCSI ABI (the kernel's
 * include/scsi/iscsi_if.h, which is not a UAPI header): event codes, the
 * 56-byte struct kif_uevent with its request and reply unions, parameter
 * enums, connection error codes and the stats layout.  Layouts are what
 * x86_64/arm64 kernels use; the static asserts at the end pin them.
 * Private to core: plugins never see this file.
 */
#ifndef ISCSIKIT_ISCSI_IF_H
#define ISCSIKIT_ISCSI_IF_H

#include <stddef.h>
#include <stdint.h>

#ifndef NETLINK_ISCSI
#define NETLINK_ISCSI		8
#endif
#define KIF_NL_GRP_ISCSID	1	/* iscsid's multicast group */
#define KIF_NL_GRP_UIP		2	/* iscsiuio's */

/* Event codes (nlmsg_type and kif_uevent.type). */
enum kif_event_type {
	KIF_UNKNOWN			= 0,
	/* user -> kernel: UEVENT_BASE 10 + n */
	KIF_UEV_CREATE_SESSION		= 11,
	KIF_UEV_DESTROY_SESSION		= 12,
	KIF_UEV_CREATE_CONN		= 13,
	KIF_UEV_DESTROY_CONN		= 14,
	KIF_UEV_BIND_CONN		= 15,
	KIF_UEV_SET_PARAM		= 16,
	KIF_UEV_START_CONN		= 17,
	KIF_UEV_STOP_CONN		= 18,
	KIF_UEV_SEND_PDU		= 19,
	KIF_UEV_GET_STATS		= 20,
	KIF_UEV_GET_PARAM		= 21,
	KIF_UEV_EP_CONNECT		= 22,
	KIF_UEV_EP_POLL			= 23,
	KIF_UEV_EP_DISCONNECT		= 24,
	KIF_UEV_TGT_DSCVR		= 25,
	KIF_UEV_SET_HOST_PARAM		= 26,
	KIF_UEV_UNBIND_SESSION		= 27,
	KIF_UEV_CREATE_BOUND_SESSION	= 28,
	KIF_UEV_EP_CONNECT_THROUGH_HOST	= 29,
	KIF_UEV_PATH_UPDATE		= 30,
	KIF_UEV_SET_IFACE_PARAMS	= 31,
	KIF_UEV_PING			= 32,
	KIF_UEV_GET_CHAP		= 33,
	KIF_UEV_DELETE_CHAP		= 34,
	KIF_UEV_SET_FLASHNODE_PARAMS	= 35,
	KIF_UEV_NEW_FLASHNODE		= 36,
	KIF_UEV_DEL_FLASHNODE		= 37,
	KIF_UEV_LOGIN_FLASHNODE		= 38,
	KIF_UEV_LOGOUT_FLASHNODE	= 39,
	KIF_UEV_LOGOUT_FLASHNODE_SID	= 40,
	KIF_UEV_SET_CHAP		= 41,
	KIF_UEV_GET_HOST_STATS		= 42,
	KIF_UEV_DESTROY_SESSION_ASYNC	= 43,
	KIF_UEV_MAX,
	/* kernel -> user: KEVENT_BASE 100 + n, multicast group 1 */
	KIF_KEV_RECV_PDU		= 101,
	KIF_KEV_CONN_ERROR		= 102,
	KIF_KEV_IF_ERROR		= 103,
	KIF_KEV_DESTROY_SESSION		= 104,
	KIF_KEV_UNBIND_SESSION		= 105,
	KIF_KEV_CREATE_SESSION		= 106,
	KIF_KEV_PATH_REQ		= 107,
	KIF_KEV_IF_DOWN			= 108,
	KIF_KEV_CONN_LOGIN_STATE	= 109,
	KIF_KEV_HOST_EVENT		= 110,
	KIF_KEV_PING_COMP		= 111,
	KIF_KEV_MAX
};

/* STOP_CONN flag: why the connection stops. */
enum kif_stop_flag {
	KIF_STOP_CONN_TERM	= 1,	/* for good (logout, teardown) */
	KIF_STOP_CONN_SUSPEND	= 2,
	KIF_STOP_CONN_RECOVER	= 3,	/* block the host and start recovery_tmo */
};

/* Connection error codes in CONN_ERROR events (ISCSI_ERR_BASE 1000 + n). */
enum kif_conn_err {
	KIF_CERR_DATASN = 1001, KIF_CERR_DATA_OFFSET, KIF_CERR_MAX_CMDSN, KIF_CERR_EXP_CMDSN,
	KIF_CERR_BAD_OPCODE, KIF_CERR_DATALEN, KIF_CERR_AHSLEN, KIF_CERR_PROTO, KIF_CERR_LUN,
	KIF_CERR_BAD_ITT, KIF_CERR_CONN_FAILED, KIF_CERR_R2TSN, KIF_CERR_SESSION_FAILED,
	KIF_CERR_HDR_DGST, KIF_CERR_DATA_DGST, KIF_CERR_PARAM_NOT_FOUND, KIF_CERR_NO_SCSI_CMD,
	KIF_CERR_INVALID_HOST, KIF_CERR_XMIT_FAILED, KIF_CERR_TCP_CONN_CLOSE,
	KIF_CERR_SCSI_EH_SESSION_RST, KIF_CERR_NOP_TIMEDOUT,	/* 1022 */
	KIF_CERR_LAST = KIF_CERR_NOP_TIMEDOUT
};

/* Connection states (CONN_LOGIN_STATE, SESSION_INFO, sysfs). */
enum kif_conn_state {
	KIF_CONN_STATE_FREE		= 0,
	KIF_CONN_STATE_XPT_WAIT		= 1,
	KIF_CONN_STATE_IN_LOGIN		= 2,
	KIF_CONN_STATE_LOGGED_IN	= 3,
	KIF_CONN_STATE_IN_LOGOUT	= 4,
	KIF_CONN_STATE_LOGOUT_REQUESTED	= 5,
	KIF_CONN_STATE_CLEANUP_WAIT	= 6,
};

/* HOST_EVENT codes and target discovery types. */
enum kif_host_event_code { KIF_HOST_EVENT_LINK_UP = 1, KIF_HOST_EVENT_LINK_DOWN = 2 };
enum kif_tgt_dscvr { KIF_TGT_DSCVR_SEND_TARGETS = 1, KIF_TGT_DSCVR_ISNS = 2, KIF_TGT_DSCVR_SLP = 3 };

/* Session/connection parameters for SET_PARAM / GET_PARAM (values as strings). */
enum kif_param {
	KIF_PARAM_MAX_RECV_DLENGTH, KIF_PARAM_MAX_XMIT_DLENGTH, KIF_PARAM_HDRDGST_EN,
	KIF_PARAM_DATADGST_EN, KIF_PARAM_INITIAL_R2T_EN, KIF_PARAM_MAX_R2T,
	KIF_PARAM_IMM_DATA_EN, KIF_PARAM_FIRST_BURST, KIF_PARAM_MAX_BURST,
	KIF_PARAM_PDU_INORDER_EN, KIF_PARAM_DATASEQ_INORDER_EN, KIF_PARAM_ERL,
	KIF_PARAM_IFMARKER_EN, KIF_PARAM_OFMARKER_EN, KIF_PARAM_EXP_STATSN,
	KIF_PARAM_TARGET_NAME, KIF_PARAM_TPGT, KIF_PARAM_PERSISTENT_ADDRESS,
	KIF_PARAM_PERSISTENT_PORT, KIF_PARAM_SESS_RECOVERY_TMO,		/* 19 */
	KIF_PARAM_CONN_PORT, KIF_PARAM_CONN_ADDRESS,			/* 20: from bind */
	KIF_PARAM_USERNAME, KIF_PARAM_USERNAME_IN, KIF_PARAM_PASSWORD,
	KIF_PARAM_PASSWORD_IN, KIF_PARAM_FAST_ABORT, KIF_PARAM_ABORT_TMO,
	KIF_PARAM_LU_RESET_TMO, KIF_PARAM_HOST_RESET_TMO, KIF_PARAM_PING_TMO,
	KIF_PARAM_RECV_TMO, KIF_PARAM_IFACE_NAME, KIF_PARAM_ISID,
	KIF_PARAM_INITIATOR_NAME, KIF_PARAM_TGT_RESET_TMO, KIF_PARAM_TARGET_ALIAS,
	KIF_PARAM_CHAP_IN_IDX, KIF_PARAM_CHAP_OUT_IDX, KIF_PARAM_BOOT_ROOT,
	KIF_PARAM_BOOT_NIC, KIF_PARAM_BOOT_TARGET, KIF_PARAM_AUTO_SND_TGT_DISABLE,
	KIF_PARAM_DISCOVERY_SESS, KIF_PARAM_PORTAL_TYPE, KIF_PARAM_CHAP_AUTH_EN,
	KIF_PARAM_DISCOVERY_LOGOUT_EN, KIF_PARAM_BIDI_CHAP_EN,
	KIF_PARAM_DISCOVERY_AUTH_OPTIONAL, KIF_PARAM_DEF_TIME2WAIT,
	KIF_PARAM_DEF_TIME2RETAIN, KIF_PARAM_MAX_SEGMENT_SIZE, KIF_PARAM_STATSN,
	KIF_PARAM_KEEPALIVE_TMO, KIF_PARAM_LOCAL_PORT, KIF_PARAM_TSID,
	KIF_PARAM_DEF_TASKMGMT_TMO, KIF_PARAM_TCP_TIMESTAMP_STAT,
	KIF_PARAM_TCP_WSF_DISABLE, KIF_PARAM_TCP_NAGLE_DISABLE,
	KIF_PARAM_TCP_TIMER_SCALE, KIF_PARAM_TCP_TIMESTAMP_EN, KIF_PARAM_TCP_XMIT_WSF,
	KIF_PARAM_TCP_RECV_WSF, KIF_PARAM_IP_FRAGMENT_DISABLE, KIF_PARAM_IPV4_TOS,
	KIF_PARAM_IPV6_TC, KIF_PARAM_IPV6_FLOW_LABEL, KIF_PARAM_IS_FW_ASSIGNED_IPV6,
	KIF_PARAM_DISCOVERY_PARENT_IDX, KIF_PARAM_DISCOVERY_PARENT_TYPE,
	KIF_PARAM_LOCAL_IPADDR,						/* 71 */
	KIF_PARAM_MAX							/* 72 */
};

enum kif_host_param {
	KIF_HOST_PARAM_HWADDRESS, KIF_HOST_PARAM_INITIATOR_NAME, KIF_HOST_PARAM_NETDEV_NAME,
	KIF_HOST_PARAM_IPADDRESS, KIF_HOST_PARAM_PORT_STATE, KIF_HOST_PARAM_PORT_SPEED,
	KIF_HOST_PARAM_MAX
};

/* Transport capabilities, sysfs iscsi_transport/<t>/caps (hex). */
#define KIF_CAP_RECOVERY_L0		0x1u
#define KIF_CAP_RECOVERY_L1		0x2u
#define KIF_CAP_RECOVERY_L2		0x4u
#define KIF_CAP_MULTI_R2T		0x8u
#define KIF_CAP_HDRDGST			0x10u
#define KIF_CAP_DATADGST		0x20u
#define KIF_CAP_MULTI_CONN		0x40u
#define KIF_CAP_TEXT_NEGO		0x80u
#define KIF_CAP_MARKERS			0x100u
#define KIF_CAP_FW_DB			0x200u
#define KIF_CAP_SENDTARGETS_OFFLOAD	0x400u
#define KIF_CAP_DATA_PATH_OFFLOAD	0x800u
#define KIF_CAP_DIGEST_OFFLOAD		0x1000u
#define KIF_CAP_PADDING_OFFLOAD		0x2000u
#define KIF_CAP_LOGIN_OFFLOAD		0x4000u

/*
 * The message body after the nlmsghdr.  Requests fill @u, the kernel
 * answers in @r (retcode < 0 is -errno); @iferror carries interface
 * errors.  Member names are ours; offsets and sizes are the kernel's.
 */
struct kif_uevent {
	uint32_t	type;			/* enum kif_event_type */
	uint32_t	iferror;
	uint64_t	transport_handle;	/* sysfs iscsi_transport/<t>/handle */
	union {
		struct { uint32_t initial_cmdsn; uint16_t cmds_max, queue_depth; } c_session;
		struct { uint64_t ep_handle; uint32_t initial_cmdsn;
			 uint16_t cmds_max, queue_depth; } c_bound_session;
		struct { uint32_t sid; } d_session;
		struct { uint32_t sid, cid; } c_conn;
		/* transport_eph: the TCP socket fd for iscsi_tcp, an endpoint otherwise */
		struct { uint32_t sid, cid; uint64_t transport_eph; uint32_t is_leading; } b_conn;
		struct { uint32_t sid, cid; } d_conn;
		struct { uint32_t sid, cid, hdr_size, data_size; } send_pdu;
		struct { uint32_t sid, cid, param, len; } set_param;	/* + len bytes */
		struct { uint32_t sid, cid; } start_conn;
		struct { uint32_t sid, cid; uint64_t conn_handle; uint32_t flag; } stop_conn;
		struct { uint32_t sid, cid; } get_stats;
		struct { uint32_t non_blocking; } ep_connect;		/* + sockaddr */
		struct { uint32_t host_no, non_blocking; } ep_connect_through_host;
		struct { uint64_t ep_handle; uint32_t timeout_ms; } ep_poll;
		struct { uint64_t ep_handle; } ep_disconnect;
		struct { uint32_t type, host_no, enable; } tgt_dscvr;	/* + sockaddr */
		struct { uint32_t host_no, param, len; } set_host_param;
		struct { uint32_t host_no; } set_path;
		struct { uint32_t host_no, count; } set_iface_params;
		struct { uint32_t host_no, iface_num, iface_type, payload_size, pid; } ping;
		struct { uint32_t host_no, num_entries; uint16_t chap_tbl_idx; } get_chap;
		struct { uint32_t host_no; uint16_t chap_tbl_idx; } delete_chap;
		struct { uint32_t host_no, flashnode_idx, count; } set_flashnode;
		struct { uint32_t host_no, len; } new_flashnode;
		struct { uint32_t host_no, flashnode_idx; } flashnode;	/* del/login/logout */
		struct { uint32_t host_no, sid; } logout_flashnode_sid;
		struct { uint32_t host_no; } get_host_stats;
	} u;
	union {
		int32_t retcode;
		struct { uint32_t sid, host_no; } c_session_ret;
		struct { uint32_t sid, cid; } c_conn_ret;
		struct { uint32_t sid, host_no; } unbind_session;
		struct { uint32_t sid, cid; uint64_t recv_handle; } recv_req;	/* + PDU */
		struct { uint32_t sid, cid, state; } conn_login;
		struct { uint32_t sid, cid, error; } connerror;
		struct { uint32_t host_no, sid; } d_session;
		struct { uint64_t handle; } ep_connect_ret;
		struct { uint32_t host_no; } req_path;
		struct { uint32_t host_no; } notify_if_down;
		struct { uint32_t host_no, data_size, code; } host_event;	/* + data */
		struct { uint32_t host_no, status, pid, data_size; } ping_comp;
		struct { uint32_t flashnode_idx; } new_flashnode_ret;
	} r;
} __attribute__((aligned(8)));

#define KIF_STATS_CUSTOM_MAX		32
#define KIF_STATS_CUSTOM_DESC_MAX	64

struct kif_stats_custom {
	char		desc[KIF_STATS_CUSTOM_DESC_MAX];
	uint64_t	value;
};

/* GET_STATS reply payload after the uevent; custom_length entries follow. */
struct kif_stats {
	uint64_t	txdata_octets, rxdata_octets;
	uint32_t	noptx_pdus, scsicmd_pdus, tmfcmd_pdus, login_pdus, text_pdus,
			dataout_pdus, logout_pdus, snack_pdus;
	uint32_t	noprx_pdus, scsirsp_pdus, tmfrsp_pdus, textrsp_pdus, datain_pdus,
			logoutrsp_pdus, r2t_pdus, async_pdus, rjt_pdus;
	uint32_t	digest_err, timeout_err;
	uint32_t	custom_length;
	/* struct kif_stats_custom custom[] follows, 8-byte aligned */
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct kif_uevent) == 56, "iscsi_uevent is 56 bytes");
_Static_assert(offsetof(struct kif_uevent, u) == 16, "iscsi_uevent.u at 16");
_Static_assert(offsetof(struct kif_uevent, r) == 40, "iscsi_uevent.r at 40");
_Static_assert(offsetof(struct kif_uevent, u.b_conn.is_leading) == 32, "b_conn layout");
_Static_assert(offsetof(struct kif_uevent, u.stop_conn.flag) == 32, "stop_conn layout");
_Static_assert(offsetof(struct kif_uevent, r.recv_req.recv_handle) == 48, "recv_req layout");
_Static_assert(sizeof(struct kif_stats) == 96, "iscsi_stats header is 96 bytes");
_Static_assert(sizeof(struct kif_stats_custom) == 72, "iscsi_stats_custom is 72 bytes");
_Static_assert(KIF_PARAM_LOCAL_IPADDR == 71 && KIF_PARAM_MAX == 72, "iscsi_param numbering");
_Static_assert(KIF_CERR_NOP_TIMEDOUT == 1022, "connection error numbering");

#endif
