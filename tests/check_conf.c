// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsid.conf and the shared key/value parser; initiatorname.iscsi and
 * the iscsi-iname generator (iname.c), which use the same parser.
 */
#include "db_test_util.h"

#include <ctype.h>

#include "check_util.h"
#include "err.h"
#include "iname.h"
#include "names.h"
#include "rec.h"

START_TEST(test_conf_parse_and_default)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"iscsid.startup = /bin/systemctl start iscsid.socket\n"
		"node.startup = automatic\n"
		"node.session.cmds_max=64\n"
		"unknown.key = kept\n"
		"node.startup = onboot\n"
		"iscsid.safe_logout = Yes\n";
	char path[4096];
	struct rec *r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/iscsid.conf", paths_confdir());
	dbt_mkconf();
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_str_eq(conf_get(conf_default(), "iscsid.startup"),
			 "/bin/systemctl start iscsid.socket");
	ck_assert_str_eq(conf_get(conf_default(), "node.startup"), "onboot");	/* last wins */
	ck_assert_str_eq(conf_get(conf_default(), "unknown.key"), "kept");
	ck_assert_int_eq(conf_get_bool(conf_default(), "iscsid.safe_logout", 0), 1);
	ck_assert_int_eq(conf_get_bool(conf_default(), "iscsid.ipc_auth_uid", 1), 1);
	ck_assert_uint_eq(conf_count(conf_default()), 5);
	/* new records take the config's values although no daemon runs */
	r = rec_new(REC_NODE);
	rec_apply_conf(r, NULL);
	ck_assert_str_eq(rec_get(r, "node.startup"), "onboot");
	ck_assert_str_eq(rec_get(r, "node.session.cmds_max"), "64");
	rec_free(r);
}
END_TEST

START_TEST(test_conf_missing_file)
{
	ck_assert_ptr_nonnull(conf_default());
	ck_assert_uint_eq(conf_count(conf_default()), 0);
	ck_assert_ptr_null(conf_get(conf_default(), "node.startup"));
}
END_TEST

static int
count_lines(const char *key, const char *value, void *arg)
{
	(void)key; (void)value;
	(*(int *)arg)++;
	return 0;
}

START_TEST(test_conf_stop_and_embedded_nul)
{
	static const char text[] = "a = 1\nb\0c = 2\nd = 3\n";
	int n = 0;

	conf_parse_lines(text, sizeof(text) - 1, "t", count_lines, &n);
	ck_assert_int_eq(n, 2);		/* the line with a NUL byte is dropped */
}
END_TEST

static const struct { const char *text; int rc; const char *name, *alias; } inames[] = {
	{ "## DO NOT EDIT OR REMOVE THIS FILE!\nInitiatorName=iqn.1993-08.org.debian:01:abc\n",
	  ISCSI_OK, "iqn.1993-08.org.debian:01:abc", "" },
	{ "InitiatorName=iqn.2024-01.test:i\nInitiatorAlias=host1\n", ISCSI_OK,
	  "iqn.2024-01.test:i", "host1" },
	{ "# nothing\n", ISCSI_ERR_INVAL, "", "" },
	{ "InitiatorName=../../x\n", ISCSI_ERR_INVAL, "../../x", "" },
};

START_TEST(test_conf_initiatorname)
{
	char path[4096], name[256], alias[256];
	FILE *f;

	dbt_mkconf();
	snprintf(path, sizeof(path), "%s/initiatorname.iscsi", paths_confdir());
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(inames[_i].text, f);
	fclose(f);
	ck_assert_int_eq(iname_read(NULL, name, sizeof(name), alias, sizeof(alias)), inames[_i].rc);
	ck_assert_str_eq(name, inames[_i].name);
	ck_assert_str_eq(alias, inames[_i].alias);
	unlink(path);
	ck_assert_int_eq(iname_read(NULL, name, sizeof(name), NULL, 0), ISCSI_ERR_IDBM);
}
END_TEST

START_TEST(test_conf_iname_generate)
{
	char out[512], prefix[300];
	const char *hex;

	ck_assert_int_eq(iname_generate("iqn.2016-04.com.open-iscsi", out, sizeof(out)), ISCSI_OK);
	ck_assert_int_eq(strncmp(out, "iqn.2016-04.com.open-iscsi:", 27), 0);
	hex = out + 27;
	ck_assert_uint_ge(strlen(hex), 6);
	ck_assert_uint_le(strlen(hex), 12);
	for (const char *p = hex; *p; p++)
		ck_assert(isxdigit((unsigned char)*p) && !isupper((unsigned char)*p));
	ck_assert_int_eq(names_check_iscsi(out), ISCSI_OK);
	memset(prefix, 'a', 211);
	prefix[211] = '\0';
	ck_assert_int_eq(iname_generate(prefix, out, sizeof(out)), ISCSI_ERR_INVAL);
	prefix[210] = '\0';
	ck_assert_int_eq(iname_generate(prefix, out, sizeof(out)), ISCSI_OK);
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, dbt_setup, dbt_teardown);
	tcase_set_timeout(tc, 120);	/* fsync-bound on a busy disk */
	tcase_add_test(tc, test_conf_parse_and_default);
	tcase_add_test(tc, test_conf_missing_file);
	tcase_add_test(tc, test_conf_stop_and_embedded_nul);
	tcase_add_loop_test(tc, test_conf_initiatorname, 0,
			    (int)(sizeof(inames) / sizeof(inames[0])));
	tcase_add_test(tc, test_conf_iname_generate);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(conf_suite)
