// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The key tables of node, iface and discovery records, in open-iscsi
 * 2.1.8's print order, with compiled defaults.  Data only: rec.c walks
 * these rows to parse, validate, write and print.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>

#include "rec.h"
#include "rec_keys.h"

static const char *const yes_no[] = { "No", "Yes", NULL };
static const char *const startup[] = { "manual", "automatic", "onboot", NULL };
static const char *const authm[] = { "None", "CHAP", NULL };
static const char *const digest[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C", NULL };
static const char *const scan[] = { "manual", "auto", NULL };
static const char *const disc_type[] = {
	"send_targets", "isns", "offload_send_targets", "slp", "static", "fw", NULL
};
const char *const rec_chap_algs[] = { "MD5", "SHA1", "SHA256", "SHA3-256", NULL };
static const char *const disc_startup[] = { "manual", "automatic", NULL };
static const char *const st_type[] = { "sendtargets", NULL };
static const char *const isns_type[] = { "isns", NULL };

#define I(n, d)		{ n, REC_T_INT, d, NULL, INT_MIN, INT_MAX, 0, 0, NULL }
#define IF(n, d, f)	{ n, REC_T_INT, d, NULL, INT_MIN, INT_MAX, 0, f, NULL }
#define S(n, d)		{ n, REC_T_STR, d, NULL, 0, 0, 255, 0, NULL }
#define SF(n, d, f)	{ n, REC_T_STR, d, NULL, 0, 0, 255, f, NULL }
#define E(n, d, c)	{ n, REC_T_ENUM, d, c, 0, 0, 0, 0, NULL }
#define EF(n, d, c, f)	{ n, REC_T_ENUM, d, c, 0, 0, 0, f, NULL }

/* The iface block (node records embed it with REC_F_IFACE added by rec.c). */
#define IFACE_ROWS(X)							\
	SF("iface.iscsi_ifacename", "default", REC_F_RO | X),		\
	SF("iface.net_ifacename", NULL, X),				\
	SF("iface.ipaddress", NULL, X),					\
	IF("iface.prefix_len", "0", X),					\
	SF("iface.hwaddress", NULL, X),					\
	SF("iface.transport_name", "tcp", X),				\
	SF("iface.initiatorname", NULL, X),				\
	SF("iface.state", NULL, X),					\
	IF("iface.vlan_id", "0", X),					\
	IF("iface.vlan_priority", "0", X),				\
	SF("iface.vlan_state", NULL, X),				\
	IF("iface.iface_num", "0", X),					\
	IF("iface.mtu", "0", X),					\
	IF("iface.port", "0", X),					\
	SF("iface.bootproto", NULL, X | REC_F_IPV4),			\
	SF("iface.subnet_mask", NULL, X | REC_F_IPV4),			\
	SF("iface.gateway", NULL, X | REC_F_IPV4),			\
	SF("iface.dhcp_alt_client_id_state", NULL, X | REC_F_IPV4),	\
	SF("iface.dhcp_alt_client_id", NULL, X | REC_F_IPV4),		\
	SF("iface.dhcp_dns", NULL, X | REC_F_IPV4),			\
	SF("iface.dhcp_learn_iqn", NULL, X | REC_F_IPV4),		\
	SF("iface.dhcp_req_vendor_id_state", NULL, X | REC_F_IPV4),	\
	SF("iface.dhcp_vendor_id_state", NULL, X | REC_F_IPV4),		\
	SF("iface.dhcp_vendor_id", NULL, X | REC_F_IPV4),		\
	SF("iface.dhcp_slp_da", NULL, X | REC_F_IPV4),			\
	SF("iface.fragmentation", NULL, X | REC_F_IPV4),		\
	SF("iface.gratuitous_arp", NULL, X | REC_F_IPV4),		\
	SF("iface.incoming_forwarding", NULL, X | REC_F_IPV4),		\
	SF("iface.tos_state", NULL, X | REC_F_IPV4),			\
	IF("iface.tos", "0", X | REC_F_IPV4),				\
	IF("iface.ttl", "0", X | REC_F_IPV4),				\
	SF("iface.ipv6_autocfg", NULL, X | REC_F_IPV6),			\
	SF("iface.linklocal_autocfg", NULL, X | REC_F_IPV6),		\
	SF("iface.router_autocfg", NULL, X | REC_F_IPV6),		\
	SF("iface.ipv6_linklocal", NULL, X | REC_F_IPV6),		\
	SF("iface.ipv6_router", NULL, X | REC_F_IPV6),			\
	IF("iface.dup_addr_detect_cnt", "0", X | REC_F_IPV6),		\
	IF("iface.flow_label", "0", X | REC_F_IPV6),			\
	SF("iface.gratuitous_neighbor_adv", NULL, X | REC_F_IPV6),	\
	IF("iface.hop_limit", "0", X | REC_F_IPV6),			\
	SF("iface.mld", NULL, X | REC_F_IPV6),				\
	IF("iface.nd_reachable_tmo", "0", X | REC_F_IPV6),		\
	IF("iface.nd_rexmit_time", "0", X | REC_F_IPV6),		\
	IF("iface.nd_stale_tmo", "0", X | REC_F_IPV6),			\
	IF("iface.router_adv_link_mtu", "0", X | REC_F_IPV6),		\
	IF("iface.traffic_class", "0", X | REC_F_IPV6),			\
	SF("iface.delayed_ack", NULL, X),				\
	SF("iface.tcp_nagle", NULL, X),					\
	SF("iface.tcp_wsf_state", NULL, X),				\
	IF("iface.tcp_wsf", "0", X),					\
	IF("iface.tcp_timer_scale", "0", X),				\
	SF("iface.tcp_timestamp", NULL, X),				\
	SF("iface.redirect", NULL, X),					\
	IF("iface.def_task_mgmt_timeout", "0", X),			\
	SF("iface.header_digest", NULL, X),				\
	SF("iface.data_digest", NULL, X),				\
	SF("iface.immediate_data", NULL, X),				\
	SF("iface.initial_r2t", NULL, X),				\
	SF("iface.data_seq_inorder", NULL, X),				\
	SF("iface.data_pdu_inorder", NULL, X),				\
	IF("iface.erl", "0", X),					\
	IF("iface.max_receive_data_len", "0", X),			\
	IF("iface.first_burst_len", "0", X),				\
	IF("iface.max_outstanding_r2t", "0", X),			\
	IF("iface.max_burst_len", "0", X),				\
	SF("iface.chap_auth", NULL, X),					\
	SF("iface.bidi_chap", NULL, X),					\
	SF("iface.strict_login_compliance", NULL, X),			\
	SF("iface.discovery_auth", NULL, X),				\
	SF("iface.discovery_logout", NULL, X),				\
	/* parsed from fw output and newer files, never printed */	\
	SF("iface.isid", NULL, X | REC_F_NOPRINT),			\
	SF("iface.primary_dns", NULL, X | REC_F_NOPRINT),		\
	SF("iface.secondary_dns", NULL, X | REC_F_NOPRINT),		\
	SF("iface.ignore_icmp_echo_request", NULL, X | REC_F_NOPRINT)

static const struct rec_key node_keys[] = {
	SF("node.name", NULL, REC_F_RO),
	IF("node.tpgt", "-1", REC_F_RO),
	E("node.startup", "manual", startup),
	E("node.leading_login", "No", yes_no),
	IFACE_ROWS(REC_F_IFACE),
	SF("node.discovery_address", NULL, REC_F_RO),
	IF("node.discovery_port", "0", REC_F_RO),
	EF("node.discovery_type", "static", disc_type, REC_F_RO),
	I("node.session.initial_cmdsn", "0"),
	I("node.session.initial_login_retry_max", "4"),
	I("node.session.xmit_thread_priority", "-20"),	/* 2.1.8; 0 from 2.1.10 */
	I("node.session.cmds_max", "128"),
	I("node.session.queue_depth", "32"),
	I("node.session.nr_sessions", "1"),
	E("node.session.auth.authmethod", "None", authm),
	S("node.session.auth.username", NULL),
	SF("node.session.auth.password", NULL, REC_F_SECRET),
	S("node.session.auth.username_in", NULL),
	SF("node.session.auth.password_in", NULL, REC_F_SECRET),
	{ "node.session.auth.chap_algs", REC_T_ALGLIST, "MD5", rec_chap_algs, 0, 0, 0, 0, NULL },
	I("node.session.timeo.replacement_timeout", "120"),
	I("node.session.err_timeo.abort_timeout", "15"),
	I("node.session.err_timeo.lu_reset_timeout", "30"),
	I("node.session.err_timeo.tgt_reset_timeout", "30"),
	I("node.session.err_timeo.host_reset_timeout", "60"),
	E("node.session.iscsi.FastAbort", "Yes", yes_no),
	E("node.session.iscsi.InitialR2T", "No", yes_no),
	E("node.session.iscsi.ImmediateData", "Yes", yes_no),
	I("node.session.iscsi.FirstBurstLength", "262144"),
	I("node.session.iscsi.MaxBurstLength", "16776192"),
	I("node.session.iscsi.DefaultTime2Retain", "0"),
	I("node.session.iscsi.DefaultTime2Wait", "2"),
	I("node.session.iscsi.MaxConnections", "1"),
	I("node.session.iscsi.MaxOutstandingR2T", "1"),
	I("node.session.iscsi.ERL", "0"),
	E("node.session.scan", "auto", scan),
	I("node.session.reopen_max", "0"),
	/* 2.1.11 wrote conn_, 2.1.12 sess_: both kept under their own name. */
	IF("node.session.sess_reopen_log_freq", NULL, REC_F_NOPRINT),
	IF("node.session.conn_reopen_log_freq", NULL, REC_F_NOPRINT),
	SF("node.conn[0].address", NULL, REC_F_RO),
	IF("node.conn[0].port", "3260", REC_F_RO),
	E("node.conn[0].startup", "manual", startup),
	I("node.conn[0].tcp.window_size", "524288"),
	I("node.conn[0].tcp.type_of_service", "0"),
	SF("node.conn[0].tcp.congestion_control", NULL, REC_F_NOPRINT),
	I("node.conn[0].timeo.logout_timeout", "15"),
	I("node.conn[0].timeo.login_timeout", "30"),
	I("node.conn[0].timeo.auth_timeout", "45"),
	I("node.conn[0].timeo.noop_out_interval", "5"),
	I("node.conn[0].timeo.noop_out_timeout", "5"),
	I("node.conn[0].iscsi.MaxXmitDataSegmentLength", "0"),
	I("node.conn[0].iscsi.MaxRecvDataSegmentLength", "262144"),
	E("node.conn[0].iscsi.HeaderDigest", "None", digest),
	E("node.conn[0].iscsi.DataDigest", "None", digest),
	E("node.conn[0].iscsi.IFMarker", "No", yes_no),
	E("node.conn[0].iscsi.OFMarker", "No", yes_no),
	IF("node.session.auth.password_length", NULL, REC_F_HIDDEN),
	IF("node.session.auth.password_in_length", NULL, REC_F_HIDDEN),
	SF("node.boot_lun", NULL, REC_F_NOPRINT),
	{ "node.transport_name", REC_T_STR, NULL, NULL, 0, 0, 255,
	  REC_F_ALIAS | REC_F_HIDDEN, "iface.transport_name" },
};

static const struct rec_key iface_keys[] = {
	IFACE_ROWS(0),
};

static const struct rec_key st_keys[] = {
	E("discovery.startup", "manual", disc_startup),
	EF("discovery.type", "sendtargets", st_type, REC_F_RO),
	SF("discovery.sendtargets.address", NULL, REC_F_RO),
	IF("discovery.sendtargets.port", "3260", REC_F_RO),
	E("discovery.sendtargets.auth.authmethod", "None", authm),
	S("discovery.sendtargets.auth.username", NULL),
	SF("discovery.sendtargets.auth.password", NULL, REC_F_SECRET),
	S("discovery.sendtargets.auth.username_in", NULL),
	SF("discovery.sendtargets.auth.password_in", NULL, REC_F_SECRET),
	/* the discovery record's CHAP list really uses the node key name */
	{ "node.session.auth.chap_algs", REC_T_ALGLIST, "MD5", rec_chap_algs, 0, 0, 0, 0, NULL },
	I("discovery.sendtargets.timeo.login_timeout", "15"),
	E("discovery.sendtargets.use_discoveryd", "No", yes_no),
	I("discovery.sendtargets.discoveryd_poll_inval", "30"),
	I("discovery.sendtargets.reopen_max", "5"),
	I("discovery.sendtargets.timeo.auth_timeout", "45"),
	I("discovery.sendtargets.timeo.active_timeout", "30"),
	I("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", "32768"),
	IF("discovery.sendtargets.auth.password_length", NULL, REC_F_HIDDEN),
	IF("discovery.sendtargets.auth.password_in_length", NULL, REC_F_HIDDEN),
};

static const struct rec_key isns_keys[] = {
	E("discovery.startup", "manual", disc_startup),
	EF("discovery.type", "isns", isns_type, REC_F_RO),
	/* iSNS records keep their address under the sendtargets names */
	SF("discovery.sendtargets.address", NULL, REC_F_RO),
	IF("discovery.sendtargets.port", "3205", REC_F_RO),
	E("discovery.isns.use_discoveryd", "No", yes_no),
	I("discovery.isns.discoveryd_poll_inval", "-1"),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct rec_table rec_tables[REC_KIND_MAX] = {
	[REC_NODE]	= { node_keys, N(node_keys) },
	[REC_IFACE]	= { iface_keys, N(iface_keys) },
	[REC_DISC_ST]	= { st_keys, N(st_keys) },
	[REC_DISC_ISNS]	= { isns_keys, N(isns_keys) },
};
