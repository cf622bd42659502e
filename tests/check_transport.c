// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eight transport plugins, each loaded through the real loader from
 * the build tree: their declared facts against open-iscsi's transport
 * table (reference §9) and their iface checks against good and bad
 * settings held in a mock record.  Transports disabled at configure time
 * are skipped; every built one must load.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check_plugin_util.h"
#include "check_util.h"
#include "err.h"
#include "plugin.h"

#define CAPS_OFFLOAD	(ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_HDRDGST | ISCSI_TCAP_MULTI_R2T | \
			 ISCSI_TCAP_DATADGST | ISCSI_TCAP_DATA_PATH_OFFLOAD | ISCSI_TCAP_TEXT_NEGO)
#define CAPS_CXGBI	(ISCSI_TCAP_RECOVERY_L0 | ISCSI_TCAP_MULTI_R2T | ISCSI_TCAP_HDRDGST | \
			 ISCSI_TCAP_DATADGST | ISCSI_TCAP_DIGEST_OFFLOAD | \
			 ISCSI_TCAP_PADDING_OFFLOAD | ISCSI_TCAP_TEXT_NEGO)
#define EP		(ISCSI_TF_KERNEL_EP | ISCSI_TF_BIND_EP_REQUIRED)

static const struct {
	const char	*name;
	const char	*module;
	uint32_t	 caps;
	uint32_t	 flags;
	uint32_t	 host_ip;
	const char	*default_iface;
	const char	*netdevs;	/* space-separated */
} facts[] = {
	{ "tcp", "iscsi_tcp", 0x39, ISCSI_TF_USERSPACE_SOCKET, ISCSI_HOST_IP_NOT_REQ, "default", "" },
	{ "iser", "ib_iser", 0x89, ISCSI_TF_KERNEL_EP | ISCSI_TF_RDMA, ISCSI_HOST_IP_NOT_REQ,
	  "iser", "" },
	{ "qla4xxx", "qla4xxx", ISCSI_TCAP_TEXT_NEGO | ISCSI_TCAP_DATA_PATH_OFFLOAD |
	  ISCSI_TCAP_HDRDGST | ISCSI_TCAP_DATADGST | ISCSI_TCAP_LOGIN_OFFLOAD | ISCSI_TCAP_MULTI_R2T,
	  EP | ISCSI_TF_LOGIN_OFFLOAD, ISCSI_HOST_IP_NOT_REQ, NULL, "" },
	{ "bnx2i", "bnx2i", CAPS_OFFLOAD, EP | ISCSI_TF_USE_BOOT_INFO | ISCSI_TF_NEEDS_ISCSIUIO,
	  ISCSI_HOST_IP_REQUIRED, NULL, "bnx2 bnx2x" },
	{ "cxgb3i", "cxgb3i", CAPS_CXGBI, EP, ISCSI_HOST_IP_OPTIONAL, NULL, "cxgb3" },
	{ "cxgb4i", "cxgb4i", CAPS_CXGBI, EP, ISCSI_HOST_IP_NOT_REQ, NULL, "cxgb4" },
	{ "be2iscsi", "be2iscsi", CAPS_OFFLOAD, EP | ISCSI_TF_SYNC_VLAN, ISCSI_HOST_IP_NOT_REQ,
	  NULL, "be2net" },
	{ "qedi", "qedi", CAPS_OFFLOAD, EP | ISCSI_TF_USE_BOOT_INFO | ISCSI_TF_NO_NETDEV |
	  ISCSI_TF_NEEDS_ISCSIUIO, ISCSI_HOST_IP_REQUIRED, NULL, "qede" },
};

static bool
built(const char *name)
{
	const char *list = TRANSPORT_PLUGINS_BUILT;
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void
setup(void)
{
	if (getenv("ISCSI_PLUGIN_PATH") == NULL)
		setenv("ISCSI_PLUGIN_PATH", build_path("plugins/transport/.libs"), 1);
	err_clear();
}

static const struct iscsi_transport_ops *
load(const char *name, const struct plugin_handle **h)
{
	int rc = plugin_get(ISCSI_PLUGIN_TRANSPORT, name, h);

	ck_assert_msg(rc == ISCSI_OK, "transport %s: %s", name,
	    err_detail(rc) != NULL ? err_detail(rc) : iscsi_strerror(rc));
	return plugin_transport_ops(*h);
}

START_TEST(test_transport_facts)
{
	const struct plugin_handle *h;
	const struct iscsi_transport_ops *t;
	const struct iscsi_plugin *d;
	char netdevs[128] = "";

	if (!built(facts[_i].name))
		return;
	t = load(facts[_i].name, &h);
	d = plugin_descriptor(h);
	ck_assert_str_eq(d->ip_name, facts[_i].name);
	ck_assert_str_eq(d->ip_vendor, "iscsikit");
	ck_assert_ptr_nonnull(strstr(d->ip_description, facts[_i].module));
	ck_assert_uint_eq(d->ip_flags & ISCSI_PLUGIN_F_CLI_OK, ISCSI_PLUGIN_F_CLI_OK);
	ck_assert_str_eq(t->to_kernel_name, facts[_i].name);
	ck_assert_str_eq(t->to_kernel_module, facts[_i].module);
	ck_assert_uint_eq(t->to_caps, facts[_i].caps);
	ck_assert_uint_eq(t->to_flags, facts[_i].flags);
	ck_assert_uint_eq(t->to_set_host_ip, facts[_i].host_ip);
	if (facts[_i].default_iface == NULL)
		ck_assert_ptr_null(t->to_default_iface);
	else
		ck_assert_str_eq(t->to_default_iface, facts[_i].default_iface);
	for (const char *const *n = t->to_netdev_drivers; n != NULL && *n != NULL; n++) {
		strcat(netdevs, netdevs[0] != '\0' ? " " : "");
		strcat(netdevs, *n);
	}
	ck_assert_str_eq(netdevs, facts[_i].netdevs);
	/* Exactly one connect path. */
	ck_assert_int_eq(!(t->to_flags & ISCSI_TF_USERSPACE_SOCKET) !=
	    !(t->to_flags & ISCSI_TF_KERNEL_EP), 1);
	plugin_unload_all();
}
END_TEST

#define MAC	{ "iface.hwaddress", "00:0e:1e:aa:bb:cc" }
#define IP	{ "iface.ipaddress", "10.0.0.5" }
#define NAME	{ "iface.iscsi_ifacename", "iface0" }
#define END	{ NULL, NULL }

static const struct {
	const char	*transport;
	struct mock_kv	 kv[5];
	const char	*detail;	/* NULL: accepted */
} validate_cases[] = {
	{ "tcp", { NAME, END }, NULL },
	{ "tcp", { NAME, { "iface.net_ifacename", "eth0" }, IP, END }, NULL },
	{ "tcp", { NAME, MAC, IP, END }, NULL },
	{ "tcp", { NAME, IP, END }, "transport-tcp: iface iface0: binding by iface.ipaddress alone "
	  "is not supported with software iSCSI (iscsi_tcp)" },
	{ "tcp", { NAME, { "iface.net_ifacename", "eth0/1" }, END },
	  "transport-tcp: iface iface0: iface.net_ifacename 'eth0/1' is not" },
	{ "tcp", { NAME, { "iface.vlan_id", "5000" }, END }, "iface.vlan_id '5000'" },
	{ "iser", { NAME, IP, END }, NULL },
	{ "iser", { NAME, { "iface.ipaddress", "10.0.0.256" }, END },
	  "transport-iser: iface iface0: iface.ipaddress '10.0.0.256' is not" },
	{ "qla4xxx", { NAME, MAC, END }, NULL },
	{ "qla4xxx", { NAME, IP, END }, "transport-qla4xxx: iface iface0: iface.hwaddress must be set" },
	{ "qla4xxx", { NAME, { "iface.hwaddress", "00:0e:1e:aa:bb:cc:dd" }, END },
	  "is not a MAC address" },
	{ "bnx2i", { NAME, MAC, IP, END }, NULL },
	{ "bnx2i", { NAME, MAC, END }, "transport-bnx2i: Please set the iface.ipaddress for iface "
	  "iface0, then retry the login command." },
	{ "bnx2i", { NAME, IP, END }, "iface.hwaddress must be set" },
	{ "qedi", { NAME, MAC, { "iface.ipaddress", "fd00::5" }, END }, NULL },
	{ "qedi", { NAME, MAC, END }, "Please set the iface.ipaddress for iface iface0" },
	{ "cxgb3i", { NAME, MAC, END }, NULL },
	{ "cxgb3i", { NAME, END }, "iface.hwaddress must be set" },
	{ "cxgb4i", { NAME, MAC, { "iface.mtu", "9000" }, END }, NULL },
	{ "cxgb4i", { NAME, MAC, { "iface.mtu", "40" }, END }, "iface.mtu '40'" },
	{ "be2iscsi", { NAME, MAC, { "iface.vlan_id", "100" }, END }, NULL },
	{ "be2iscsi", { NAME, MAC, { "iface.vlan_priority", "9" }, END }, "iface.vlan_priority '9'" },
};

START_TEST(test_transport_validate_iface)
{
	const struct plugin_handle *h;
	const struct iscsi_transport_ops *t;
	struct mock_settings m;
	int rc;

	if (!built(validate_cases[_i].transport))
		return;
	t = load(validate_cases[_i].transport, &h);
	mock_settings_init(&m, validate_cases[_i].kv);
	err_clear();
	rc = t->to_validate_iface(plugin_api(h), plugin_priv(h), &m.s);
	if (validate_cases[_i].detail == NULL) {
		ck_assert_msg(rc == ISCSI_OK, "case %d refused: %s", _i,
		    err_detail(rc) != NULL ? err_detail(rc) : "?");
	} else {
		ck_assert_int_eq(rc, ISCSI_ERR_INVAL);
		ck_assert_msg(strstr(err_detail(rc), validate_cases[_i].detail) != NULL,
		    "case %d: '%s' lacks '%s'", _i, err_detail(rc), validate_cases[_i].detail);
	}
	plugin_unload_all();
}
END_TEST

START_TEST(test_transport_limits)
{
	const struct plugin_handle *h;
	const struct iscsi_transport_ops *t;
	struct iscsi_conn_limits lim = {
		.cl_size = sizeof(lim), .cl_max_recv_dsl = 262144, .cl_max_xmit_dsl = 262144,
		.cl_header_digest = 1, .cl_data_digest = 1,
	};

	if (!built("iser") || !built("tcp"))
		return;
	t = load("tcp", &h);
	ck_assert_int_eq(t->to_adjust_limits(plugin_api(h), plugin_priv(h), &lim), ISCSI_OK);
	ck_assert_uint_eq(lim.cl_header_digest, 1);	/* tcp: the core default, unchanged */
	t = load("iser", &h);
	ck_assert_int_eq(t->to_adjust_limits(plugin_api(h), plugin_priv(h), &lim), ISCSI_OK);
	ck_assert_uint_eq(lim.cl_header_digest, 0);
	ck_assert_uint_eq(lim.cl_data_digest, 0);
	ck_assert_uint_eq(lim.cl_max_recv_dsl, 262144);
	plugin_unload_all();
}
END_TEST

static Suite *
transport_suite(void)
{
	Suite *s = suite_create("transport");
	TCase *tc = tcase_create("plugins");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_transport_facts, 0, sizeof(facts) / sizeof(facts[0]));
	tcase_add_loop_test(tc, test_transport_validate_iface, 0,
	    sizeof(validate_cases) / sizeof(validate_cases[0]));
	tcase_add_test(tc, test_transport_limits);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(transport_suite)
