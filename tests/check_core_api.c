// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core_api services without a plugin: the shared iface checks (table of
 * good and bad settings), the loop/text/config hooks before and after
 * registration, and sysfs access confined to ISCSI_SYSFS_ROOT.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_plugin_util.h"
#include "check_util.h"
#include <iscsi/plugin.h>
#include "core_api.h"
#include "err.h"
#include "paths.h"

#define KV(k, v)	{ "iface." k, v }
#define END		{ NULL, NULL }

static const struct {
	struct mock_kv	 kv[6];
	uint32_t	 require;
	const char	*detail;	/* NULL: accepted */
} iface_cases[] = {
	{ { END }, 0, NULL },
	{ { KV("hwaddress", "00:0e:1e:AA:bb:cc"), KV("net_ifacename", "eth0"),
	    KV("ipaddress", "192.168.1.5"), KV("prefix_len", "24"), END },
	  ISCSI_IFACE_NEED_HWADDRESS | ISCSI_IFACE_NEED_IPADDRESS, NULL },
	{ { KV("ipaddress", "fe80::1"), KV("port", "3260"), KV("vlan_id", "4095"),
	    KV("vlan_priority", "7"), KV("mtu", "9000"), END }, 0, NULL },
	{ { KV("mtu", "0"), KV("iface_num", "0"), KV("hwaddress", "default"),
	    KV("net_ifacename", "default"), KV("port", "0"), END }, 0, NULL },
	{ { KV("net_ifacename", "enp0s31f6.100"), KV("vlan_id", "0"), END }, 0, NULL },
	{ { KV("hwaddress", "00:0e:1e:aa:bb"), END }, 0,
	  "iface.hwaddress '00:0e:1e:aa:bb' is not a MAC address" },
	{ { KV("hwaddress", "00-0e-1e-aa-bb-cc"), END }, 0, "is not a MAC address" },
	{ { KV("hwaddress", "0g:0e:1e:aa:bb:cc"), END }, 0, "is not a MAC address" },
	{ { KV("net_ifacename", "sixteen-chars-xx"), END }, 0,
	  "iface.net_ifacename 'sixteen-chars-xx' is not a network interface name" },
	{ { KV("net_ifacename", "eth/0"), END }, 0, "is not a network interface name" },
	{ { KV("net_ifacename", "eth 0"), END }, 0, "is not a network interface name" },
	{ { KV("net_ifacename", "eth0:1"), END }, 0, "is not a network interface name" },
	{ { KV("net_ifacename", ".."), END }, 0, "is not a network interface name" },
	{ { KV("net_ifacename", "eth\n0"), END }, 0, "'eth\\0120' is not" },
	{ { KV("ipaddress", "300.1.1.1"), END }, 0, "is not an IPv4 or IPv6 address" },
	{ { KV("ipaddress", "target.example"), END }, 0, "is not an IPv4 or IPv6 address" },
	{ { KV("ipaddress", "1.2.3"), END }, 0, "is not an IPv4 or IPv6 address" },
	{ { KV("prefix_len", "129"), END }, 0, "iface.prefix_len '129'" },
	{ { KV("port", "65536"), END }, 0, "iface.port '65536' is not a TCP port 0-65535" },
	{ { KV("port", "-1"), END }, 0, "iface.port '-1'" },
	{ { KV("port", "0x10"), END }, 0, "iface.port '0x10'" },
	{ { KV("port", " 80"), END }, 0, "iface.port ' 80'" },
	{ { KV("vlan_id", "4096"), END }, 0, "iface.vlan_id '4096' is not a VLAN id 0-4095" },
	{ { KV("vlan_priority", "8"), END }, 0, "iface.vlan_priority '8'" },
	{ { KV("mtu", "67"), END }, 0, "iface.mtu '67' is not an MTU of 0 or 68-65535" },
	{ { KV("mtu", "65536"), END }, 0, "iface.mtu '65536'" },
	{ { KV("iface_num", "-1"), END }, 0, "iface.iface_num '-1'" },
	{ { KV("iscsi_ifacename", "iface0"), END }, ISCSI_IFACE_NEED_HWADDRESS,
	  "iface iface0: iface.hwaddress must be set" },
	{ { KV("iscsi_ifacename", "iface0"), KV("hwaddress", "00:0e:1e:aa:bb:cc"), END },
	  ISCSI_IFACE_NEED_HWADDRESS | ISCSI_IFACE_NEED_IPADDRESS,
	  "Please set the iface.ipaddress for iface iface0, then retry the login command." },
};

START_TEST(test_core_api_check_iface)
{
	struct mock_settings m;
	int rc;

	mock_settings_init(&m, iface_cases[_i].kv);
	err_clear();
	rc = core_api_check_iface(&m.s, iface_cases[_i].require);
	if (iface_cases[_i].detail == NULL) {
		ck_assert_msg(rc == ISCSI_OK, "case %d refused: %s", _i,
		    err_detail(rc) != NULL ? err_detail(rc) : "?");
		return;
	}
	ck_assert_int_eq(rc, ISCSI_ERR_INVAL);
	ck_assert_msg(strstr(err_detail(rc), iface_cases[_i].detail) != NULL,
	    "case %d: '%s' lacks '%s'", _i, err_detail(rc), iface_cases[_i].detail);
}
END_TEST

static int hook_calls;

static int
mock_watch_add(const struct plugin_handle *owner, int fd, uint32_t events,
    iscsi_watch_fn fn, void *arg, struct iscsi_watch **out)
{
	(void)owner, (void)fn, (void)arg;
	hook_calls++;
	*out = (struct iscsi_watch *)(uintptr_t)(fd + events);
	return ISCSI_OK;
}

static int
mock_defer(const struct plugin_handle *owner, iscsi_timer_fn fn, void *arg)
{
	(void)owner;
	hook_calls++;
	fn(arg);
	return ISCSI_OK;
}

static void
bump(void *arg)
{
	(*(int *)arg)++;
}

static const char *
mock_config(const char *key)
{
	return strcmp(key, "node.startup") == 0 ? "manual" : NULL;
}

START_TEST(test_core_api_hooks)
{
	struct iscsi_core_api api;
	struct iscsi_watch *w = NULL;
	struct iscsi_timer *t = NULL;
	struct iscsi_text_conn *c = NULL;
	const struct core_loop_ops loop = { .watch_add = mock_watch_add, .defer = mock_defer };
	int ran = 0;

	core_api_fill(&api, NULL);
	ck_assert_int_eq(api.ca_size, sizeof(api));
	ck_assert_int_eq(api.ca_abi_major, ISCSI_PLUGIN_ABI_MAJOR);
	ck_assert_str_eq(api.ca_strerror(ISCSI_ERR_TRANS_NOT_FOUND), iscsi_strerror(12));
	/* Nothing registered: what iscsiadm sees. */
	ck_assert_int_eq(api.ca_watch_add(&api, 3, ISCSI_EV_READ, NULL, NULL, &w),
	    ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_OP_NOT_SUPP), "needs iscsid's event loop"));
	ck_assert_int_eq(api.ca_timer_add(&api, 10, bump, &ran, &t), ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_int_eq(api.ca_defer(&api, bump, &ran), ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_int_eq(api.ca_text_open(&api, NULL, &c), ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_OP_NOT_SUPP), "no text session provider"));
	ck_assert_ptr_null(api.ca_config_get(&api, "node.startup"));
	api.ca_watch_del(&api, NULL);		/* harmless without a loop */
	api.ca_timer_del(&api, NULL);
	api.ca_text_close(&api, NULL);
	/* Registered: the calls reach the provider. */
	core_api_set_loop(&loop);
	core_api_set_config(mock_config);
	ck_assert_int_eq(api.ca_watch_add(&api, 3, ISCSI_EV_READ, NULL, NULL, &w), ISCSI_OK);
	ck_assert_ptr_eq(w, (struct iscsi_watch *)(uintptr_t)(3 + ISCSI_EV_READ));
	ck_assert_int_eq(api.ca_defer(&api, bump, &ran), ISCSI_OK);
	ck_assert_int_eq(ran, 1);
	ck_assert_int_eq(api.ca_timer_add(&api, 10, bump, &ran, &t), ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_int_eq(hook_calls, 2);
	ck_assert_str_eq(api.ca_config_get(&api, "node.startup"), "manual");
	core_api_set_loop(NULL);
	core_api_set_config(NULL);
	ck_assert_int_eq(api.ca_defer(&api, bump, &ran), ISCSI_ERR_OP_NOT_SUPP);
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_core_api_sysfs)
{
	char *root = make_temp_dir();
	char p[4200], buf[64], small[4];
	struct iscsi_core_api api;

	snprintf(p, sizeof(p), "%s/caps", root);
	write_file(p, "0x39\n");
	setenv("ISCSI_SYSFS_ROOT", root, 1);
	paths_reset();
	core_api_fill(&api, NULL);
	ck_assert_int_eq(api.ca_sysfs_read(&api, "caps", buf, sizeof(buf)), ISCSI_OK);
	ck_assert_str_eq(buf, "0x39");
	ck_assert_int_eq(api.ca_sysfs_read(&api, "caps", small, sizeof(small)), ISCSI_OK);
	ck_assert_str_eq(small, "0x3");
	ck_assert_int_eq(api.ca_sysfs_write(&api, "caps", "0x1"), ISCSI_OK);
	ck_assert_int_eq(api.ca_sysfs_read(&api, "caps", buf, sizeof(buf)), ISCSI_OK);
	ck_assert_str_eq(buf, "0x1");
	ck_assert_int_eq(api.ca_sysfs_read(&api, "nope", buf, sizeof(buf)), ISCSI_ERR_SYSFS_LOOKUP);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_SYSFS_LOOKUP), root));
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(api.ca_sysfs_read(&api, "../caps", buf, sizeof(buf)), ISCSI_ERR_INVAL);
	ck_assert_int_eq(api.ca_sysfs_read(&api, "a/../../caps", buf, sizeof(buf)), ISCSI_ERR_INVAL);
	ck_assert_int_eq(api.ca_sysfs_read(&api, "/etc/passwd", buf, sizeof(buf)), ISCSI_ERR_INVAL);
	ck_assert_int_eq(api.ca_sysfs_write(&api, "..", "x"), ISCSI_ERR_INVAL);
	ck_assert_int_eq(api.ca_sysfs_read(&api, "..foo", buf, sizeof(buf)), ISCSI_ERR_SYSFS_LOOKUP);
	api.ca_free(&api, strdup("freed by the core"));
	rm_tree(root);
	free(root);
}
END_TEST

static Suite *
core_api_suite(void)
{
	Suite *s = suite_create("core_api");
	TCase *tc = tcase_create("services");

	tcase_add_loop_test(tc, test_core_api_check_iface, 0,
	    sizeof(iface_cases) / sizeof(iface_cases[0]));
	tcase_add_test(tc, test_core_api_hooks);
	tcase_add_test(tc, test_core_api_sysfs);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(core_api_suite)
