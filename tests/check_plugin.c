// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loader, through real libltdl modules: a good fake plugin, one fake
 * per refusal (ABI major, newer minor, magic, symbol, decline, ops size,
 * kind, name, init), unsafe files made in a temp dir, duplicates across
 * two directories, enumeration and discovery lookup by type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_plugin_util.h"
#include "check_util.h"
#include "err.h"
#include "log.h"
#include "plugin.h"

#define FAKES	"tests/plugins/.libs"

static char fake_dir[2048];

static void
use_path(const char *path)
{
	plugin_unload_all();
	ck_assert_int_eq(setenv("ISCSI_PLUGIN_PATH", path, 1), 0);
}

static void
setup(void)
{
	snprintf(fake_dir, sizeof(fake_dir), "%s", build_path(FAKES));
	use_path(fake_dir);
	mock_log_capture();
	err_clear();
}

static void
teardown(void)
{
	plugin_unload_all();
	log_set_sink(NULL, NULL);
}

static void
assert_detail(int rc, const char *want)
{
	const char *d = err_detail(rc);

	ck_assert_msg(d != NULL, "no detail for error %d", rc);
	ck_assert_msg(strstr(d, want) != NULL, "detail '%s' lacks '%s'", d, want);
}

START_TEST(test_plugin_get_good)
{
	const struct plugin_handle *h, *again;
	const struct iscsi_transport_ops *t;
	struct iscsi_conn_limits lim = { .cl_size = sizeof(lim), .cl_max_recv_dsl = 8192 };

	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &h), ISCSI_OK);
	ck_assert_str_eq(plugin_name(h), "good");
	ck_assert_str_eq(plugin_tag(h), "transport-good");
	ck_assert_int_eq(plugin_kind(h), ISCSI_PLUGIN_TRANSPORT);
	ck_assert_str_eq(plugin_descriptor(h)->ip_version, "9.9-fake");
	ck_assert_ptr_nonnull(strstr(plugin_file(h), "/transport-good.so"));
	ck_assert_int_eq(plugin_api(h)->ca_abi_major, ISCSI_PLUGIN_ABI_MAJOR);
	ck_assert_int_eq(plugin_api(h)->ca_size, sizeof(struct iscsi_core_api));
	ck_assert_ptr_eq(plugin_priv(h), plugin_api(h));	/* what fake_init stored */
	ck_assert_ptr_nonnull(strstr(mock_log_text(), "transport-good: init ABI 1.0"));
	/* Defaults for what the plugin left NULL. */
	t = plugin_transport_ops(h);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->to_size, sizeof(*t));
	ck_assert_str_eq(t->to_kernel_module, "fake");
	ck_assert_ptr_nonnull(t->to_adjust_limits);
	ck_assert_int_eq(t->to_adjust_limits(plugin_api(h), plugin_priv(h), &lim), ISCSI_OK);
	ck_assert_int_eq(lim.cl_max_recv_dsl, 8192);
	ck_assert_ptr_null(plugin_discovery_ops(h));
	ck_assert_ptr_null(plugin_host_ops(h));
	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &again), ISCSI_OK);
	ck_assert_ptr_eq(again, h);
}
END_TEST

START_TEST(test_plugin_detail_tagged)
{
	const struct plugin_handle *h;
	const struct iscsi_transport_ops *t;
	struct mock_settings m;
	const struct mock_kv kv[] = { { "iface.fake", "xyz" }, { NULL, NULL } };

	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &h), ISCSI_OK);
	t = plugin_transport_ops(h);
	mock_settings_init(&m, kv);
	ck_assert_int_eq(t->to_validate_iface(plugin_api(h), plugin_priv(h), &m.s), ISCSI_ERR_INVAL);
	ck_assert_str_eq(err_detail(ISCSI_ERR_INVAL), "transport-good: iface.fake 'xyz' refused");
}
END_TEST

static const struct {
	const char	*name;
	int		 rc;
	const char	*detail;
} refusals[] = {
	{ "abimajor", ISCSI_ERR_TRANS_NOT_FOUND,
	  "plugin transport-abimajor.so was built for plugin ABI 2.0, this iscsikit speaks 1.0" },
	{ "abiminor", ISCSI_ERR_TRANS_NOT_FOUND,
	  "plugin transport-abiminor.so was built for plugin ABI 1.1, newer than this iscsikit's 1.0" },
	{ "badmagic", ISCSI_ERR_TRANS_NOT_FOUND, "transport-badmagic.so: bad magic 0x12345678" },
	{ "nosym", ISCSI_ERR_TRANS_NOT_FOUND,
	  "transport-nosym.so: no entry point (transport_nosym_LTX_iscsi_plugin_entry" },
	{ "declines", ISCSI_ERR_TRANS_NOT_FOUND,
	  "transport-declines.so declined this iscsikit (plugin ABI 1.0)" },
	{ "smallops", ISCSI_ERR_TRANS_NOT_FOUND, "transport-smallops.so: transport ops are 8 bytes" },
	{ "wrongkind", ISCSI_ERR_TRANS_NOT_FOUND,
	  "transport-wrongkind.so: it declares kind 3 (host) but its file name says transport" },
	{ "wrongname", ISCSI_ERR_TRANS_NOT_FOUND,
	  "transport-wrongname.so: it declares name 'other' but its file name says 'wrongname'" },
	{ "initfail", ISCSI_ERR_NOMEM, "transport-initfail: fake init failure" },
	{ "missing", ISCSI_ERR_TRANS_NOT_FOUND,
	  "transport plugin 'missing' is not installed: no transport-missing.so in /" },
};

START_TEST(test_plugin_refusals)
{
	const struct plugin_handle *h = NULL;
	int rc = plugin_get(ISCSI_PLUGIN_TRANSPORT, refusals[_i].name, &h);

	ck_assert_int_eq(rc, refusals[_i].rc);
	assert_detail(rc, refusals[_i].detail);
	ck_assert_ptr_null(h);
	/* A refused plugin never stays registered, and asking again refuses again. */
	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, refusals[_i].name, &h), rc);
}
END_TEST

static const char *const bad_names[] = {
	"", "../good", "Good", "a-b", "a/b", "good.so", "a b",
	"abcdefghijklmnopqrstuvwxyz0123456",	/* 33 characters */
};

START_TEST(test_plugin_bad_names)
{
	const struct plugin_handle *h;

	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, bad_names[_i], &h), ISCSI_ERR_INVAL);
	ck_assert_int_eq(plugin_get((enum iscsi_plugin_kind)9, "good", &h), ISCSI_ERR_INVAL);
}
END_TEST

/* What each unsafe-file case does to a private copy of transport-good.so. */
enum unsafe { UNSAFE_GROUP_W, UNSAFE_WORLD_W, UNSAFE_DIR_W, UNSAFE_SYMLINK };

static const struct {
	enum unsafe	 what;
	const char	*detail;
} unsafe_cases[] = {
	{ UNSAFE_GROUP_W, "file is group- or world-writable (mode 0664)" },
	{ UNSAFE_WORLD_W, "file is group- or world-writable (mode 0646)" },
	{ UNSAFE_DIR_W, "is group- or world-writable (mode 0770)" },
	{ UNSAFE_SYMLINK, "not a regular file" },
};

START_TEST(test_plugin_unsafe_files)
{
	char *dir = make_temp_dir();
	char src[4096], path[4096];
	const struct plugin_handle *h = NULL;
	int rc;

	snprintf(src, sizeof(src), "%s/transport-good.so", fake_dir);
	snprintf(path, sizeof(path), "%s", copy_into(src, dir));
	switch (unsafe_cases[_i].what) {
	case UNSAFE_GROUP_W: ck_assert_int_eq(chmod(path, 0664), 0); break;
	case UNSAFE_WORLD_W: ck_assert_int_eq(chmod(path, 0646), 0); break;
	case UNSAFE_DIR_W: ck_assert_int_eq(chmod(dir, 0770), 0); break;
	case UNSAFE_SYMLINK:
		ck_assert_int_eq(unlink(path), 0);
		ck_assert_int_eq(symlink(src, path), 0);
		break;
	}
	use_path(dir);
	rc = plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &h);
	rm_tree(dir);
	ck_assert_int_eq(rc, ISCSI_ERR_TRANS_NOT_FOUND);
	assert_detail(rc, unsafe_cases[_i].detail);
	assert_detail(rc, "transport-good.so");
	ck_assert_ptr_null(h);
	free(dir);
}
END_TEST

struct seen {
	int		 n;
	char		 line[32][512];
};

static int
record(const struct plugin_info *pi, void *arg)
{
	struct seen *s = arg;

	ck_assert_int_lt(s->n, 32);
	snprintf(s->line[s->n++], sizeof(s->line[0]), "%s-%s %d %d.%d %s|%s",
	    plugin_kind_name(pi->pi_kind), pi->pi_name, pi->pi_status, pi->pi_abi_major,
	    pi->pi_abi_minor, pi->pi_version != NULL ? pi->pi_version : "-",
	    pi->pi_reason != NULL ? pi->pi_reason : "");
	ck_assert_int_eq(pi->pi_status == ISCSI_OK, pi->pi_handle != NULL);
	return ISCSI_OK;
}

START_TEST(test_plugin_duplicate)
{
	char *dir = make_temp_dir();
	char src[4096], path[8300];
	const struct plugin_handle *h, *other;
	struct seen s = { 0 };
	int rc;

	snprintf(src, sizeof(src), "%s/transport-good.so", fake_dir);
	copy_into(src, dir);
	snprintf(path, sizeof(path), "%s:%s", dir, fake_dir);
	use_path(path);
	/* The first directory in the path wins. */
	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &h), ISCSI_OK);
	ck_assert_ptr_nonnull(strstr(plugin_file(h), dir));
	rc = plugin_load_file(src, &other);
	ck_assert_int_eq(rc, ISCSI_ERR_TRANS_NOT_FOUND);
	assert_detail(rc, "a transport plugin named 'good' is already loaded from");
	ck_assert_int_eq(plugin_foreach_installed(record, &s), ISCSI_OK);
	rm_tree(dir);
	free(dir);
	for (int i = 0; i < s.n; i++)
		if (strncmp(s.line[i], "transport-good ", 15) == 0) {
			ck_assert_str_eq(s.line[i], "transport-good 0 1.0 9.9-fake|");
			ck_assert_ptr_nonnull(strstr(s.line[i + 1], "transport-good 12 1.0 9.9-fake|"));
			ck_assert_ptr_nonnull(strstr(s.line[i + 1], "already loaded from"));
			return;
		}
	ck_abort_msg("transport-good not listed");
}
END_TEST

/* Sorted by kind then name; status and ABI as each fake was built. */
static const char *const listing[] = {
	"transport-abimajor 12 2.0 -|", "transport-abiminor 12 1.1 -|",
	"transport-badmagic 12 -1.-1 -|", "transport-declines 12 -1.-1 -|",
	"transport-good 0 1.0 9.9-fake|", "transport-initfail 3 1.0 9.9-fake|",
	"transport-nosym 12 -1.-1 -|", "transport-smallops 12 1.0 9.9-fake|",
	"transport-wrongkind 12 1.0 9.9-fake|", "transport-wrongname 12 1.0 9.9-fake|",
	"discovery-fakest 0 1.0 9.9-fake|", "host-fakehost 0 1.0 9.9-fake|",
};

START_TEST(test_plugin_foreach)
{
	struct seen s = { 0 };
	size_t n = sizeof(listing) / sizeof(listing[0]);

	ck_assert_int_eq(plugin_foreach_installed(record, &s), ISCSI_OK);
	ck_assert_int_eq(s.n, n);
	/* Refusals carry their reason; kinds sort transport, discovery, host. */
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strncmp(s.line[i], listing[i], strlen(listing[i])) == 0 &&
		    (strchr(listing[i], ' ')[1] == '0') == (strchr(s.line[i], '|')[1] == '\0'),
		    "entry %zu: '%s', want '%s'", i, s.line[i], listing[i]);
}
END_TEST

static int
stop_at_first(const struct plugin_info *pi, void *arg)
{
	(void)pi, (void)arg;
	return 42;
}

START_TEST(test_plugin_foreach_empty_and_stop)
{
	char *dir = make_temp_dir();
	struct seen s = { 0 };

	ck_assert_int_eq(plugin_foreach_installed(stop_at_first, NULL), 42);
	use_path(dir);
	ck_assert_int_eq(plugin_foreach_installed(record, &s), ISCSI_ERR_NO_OBJS_FOUND);
	assert_detail(ISCSI_ERR_NO_OBJS_FOUND, dir);
	ck_assert_int_eq(s.n, 0);
	rm_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_plugin_discovery_by_type)
{
	const struct plugin_handle *h, *h2;
	const struct iscsi_host_ops *ho;

	ck_assert_int_eq(plugin_find_discovery_by_type("fst", &h), ISCSI_OK);
	ck_assert_str_eq(plugin_name(h), "fakest");
	ck_assert_int_eq(plugin_discovery_ops(h)->do_default_port, 3260);
	ck_assert_int_eq(plugin_find_discovery_by_type("fakest", &h2), ISCSI_OK);
	ck_assert_ptr_eq(h, h2);
	ck_assert_int_eq(plugin_find_discovery_by_type("nope", &h2), ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE);
	assert_detail(ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE, "type 'nope'");
	ck_assert_int_eq(plugin_find_discovery_by_type("", &h2), ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE);
	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_HOST, "fakehost", &h), ISCSI_OK);
	ho = plugin_host_ops(h);
	ck_assert_str_eq(ho->ho_submode, "fakehost");	/* default: the plugin name */
}
END_TEST

START_TEST(test_plugin_unload_calls_fini)
{
	const struct plugin_handle *h;

	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &h), ISCSI_OK);
	plugin_unload_all();
	ck_assert_ptr_nonnull(strstr(mock_log_text(), "transport-good: fini"));
	/* The environment is read again after an unload. */
	use_path("/nonexistent-a:/nonexistent-b");
	ck_assert_str_eq(plugin_search_path(), "/nonexistent-a:/nonexistent-b");
	ck_assert_int_eq(plugin_get(ISCSI_PLUGIN_TRANSPORT, "good", &h), ISCSI_ERR_TRANS_NOT_FOUND);
	assert_detail(ISCSI_ERR_TRANS_NOT_FOUND, "in /nonexistent-a:/nonexistent-b");
}
END_TEST

START_TEST(test_plugin_kind_names)
{
	ck_assert_str_eq(plugin_kind_name(ISCSI_PLUGIN_TRANSPORT), "transport");
	ck_assert_str_eq(plugin_kind_name(ISCSI_PLUGIN_DISCOVERY), "discovery");
	ck_assert_str_eq(plugin_kind_name(ISCSI_PLUGIN_HOST), "host");
	ck_assert_ptr_null(plugin_kind_name((enum iscsi_plugin_kind)0));
	ck_assert_ptr_null(plugin_kind_name((enum iscsi_plugin_kind)4));
	ck_assert_int_eq(plugin_kind_from_name("host"), ISCSI_PLUGIN_HOST);
	ck_assert_int_eq(plugin_kind_from_name("hosts"), 0);
	unsetenv("ISCSI_PLUGIN_PATH");
	plugin_unload_all();
	ck_assert_str_eq(plugin_search_path(), PLUGINDIR);
}
END_TEST

static Suite *
plugin_suite(void)
{
	Suite *s = suite_create("plugin");
	TCase *tc = tcase_create("loader");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_plugin_get_good);
	tcase_add_test(tc, test_plugin_detail_tagged);
	tcase_add_loop_test(tc, test_plugin_refusals, 0, sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_loop_test(tc, test_plugin_bad_names, 0, sizeof(bad_names) / sizeof(bad_names[0]));
	tcase_add_loop_test(tc, test_plugin_unsafe_files, 0,
	    sizeof(unsafe_cases) / sizeof(unsafe_cases[0]));
	tcase_add_test(tc, test_plugin_duplicate);
	tcase_add_test(tc, test_plugin_foreach);
	tcase_add_test(tc, test_plugin_foreach_empty_and_stop);
	tcase_add_test(tc, test_plugin_discovery_by_type);
	tcase_add_test(tc, test_plugin_unload_calls_fini);
	tcase_add_test(tc, test_plugin_kind_names);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(plugin_suite)
