// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Records: every key's default and print order against golden files
 * captured from open-iscsi 2.1.8 (tests/data/ref-*), parse/write round
 * trips, legacy and unknown keys, and hostile values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "conf.h"
#include "err.h"
#include "rec.h"

static char *
slurp(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[4096], *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/data/%s", top ? top : ".", name);
	ck_assert_msg(conf_read_file(path, &buf, &len) == 0, "cannot read %s", path);
	return buf;
}

static char *
format(const struct rec *r, unsigned fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(rec_format(r, fmt, f), ISCSI_OK);
	fclose(f);
	return buf;
}

/* key=value pairs applied to a fresh record before formatting */
struct golden {
	enum rec_kind	 kind;
	unsigned	 fmt;
	const char	*file;
	const char	*sets[8];
};

static const struct golden goldens[] = {
	{ REC_NODE, REC_FMT_SHOW, "ref-node-show.txt",
	  { "node.name=iqn.2024-01.test:tgt1", "node.tpgt=1", "node.conn[0].address=127.0.0.1" } },
	{ REC_NODE, REC_FMT_FILE, "ref-node-file.txt",
	  { "node.name=iqn.2024-01.test:tgt1", "node.tpgt=1", "node.conn[0].address=127.0.0.1" } },
	{ REC_NODE, REC_FMT_SHOW, "ref-legacy-show.txt",
	  { "node.name=iqn.2001-04.com.example:t1", "node.conn[0].address=127.0.0.1" } },
	{ REC_NODE, REC_FMT_FILE, "ref-legacy-file.txt",
	  { "node.name=iqn.2001-04.com.example:t1", "node.conn[0].address=127.0.0.1" } },
	{ REC_NODE, REC_FMT_FILE, "ref-node6-file.txt",
	  { "node.name=iqn.2024-01.test:tgt6", "node.tpgt=2", "node.conn[0].address=::1",
	    "node.conn[0].port=3261", "iface.iscsi_ifacename=if0", "iface.ipaddress=fe80::1" } },
	{ REC_NODE, REC_FMT_FILE, "ref-node4-file.txt",
	  { "node.name=iqn.2024-01.test:tgt4", "node.tpgt=1", "node.conn[0].address=127.0.0.1",
	    "iface.iscsi_ifacename=if4", "iface.ipaddress=10.0.0.1", "iface.net_ifacename=eth0",
	    "iface.initiatorname=iqn.2024-01.x:y", "iface.state=enable" } },
	{ REC_IFACE, REC_FMT_SHOW, "ref-iface-show.txt", { "iface.iscsi_ifacename=if0" } },
	{ REC_IFACE, REC_FMT_FILE, "ref-iface-file.txt", { "iface.iscsi_ifacename=if1" } },
	{ REC_IFACE, REC_FMT_FILE, "ref-iface6-file.txt",
	  { "iface.iscsi_ifacename=if0", "iface.ipaddress=fe80::1" } },
	{ REC_DISC_ST, REC_FMT_SHOW, "ref-st-show.txt",
	  { "discovery.sendtargets.address=127.0.0.1" } },
	{ REC_DISC_ST, REC_FMT_FILE, "ref-st-file.txt",
	  { "discovery.sendtargets.address=127.0.0.1" } },
	{ REC_DISC_ISNS, REC_FMT_SHOW, "ref-isns-show.txt",
	  { "discovery.sendtargets.address=127.0.0.1" } },
	{ REC_DISC_ISNS, REC_FMT_FILE, "ref-isns-file.txt",
	  { "discovery.sendtargets.address=127.0.0.1" } },
};

static struct rec *
golden_rec(const struct golden *g)
{
	struct rec *r = rec_new(g->kind);

	ck_assert_ptr_nonnull(r);
	for (size_t i = 0; i < 8 && g->sets[i]; i++) {
		char kv[256], *eq;
		snprintf(kv, sizeof(kv), "%s", g->sets[i]);
		eq = strchr(kv, '=');
		*eq = '\0';
		ck_assert_int_eq(rec_set(r, kv, eq + 1), ISCSI_OK);
	}
	return r;
}

START_TEST(test_rec_golden_defaults)
{
	const struct golden *g = &goldens[_i];
	struct rec *r = golden_rec(g);
	char *want = slurp(g->file), *got = format(r, g->fmt);

	ck_assert_msg(strcmp(want, got) == 0, "%s differs:\n%s", g->file, got);
	free(want);
	free(got);
	rec_free(r);
}
END_TEST

/* Parsing a reference file and writing it again gives the same bytes. */
START_TEST(test_rec_golden_roundtrip)
{
	const struct golden *g = &goldens[_i];
	struct rec *r = rec_new(g->kind);
	char *want = slurp(g->file), *got;

	if (g->fmt != REC_FMT_FILE) {
		free(want);
		rec_free(r);
		return;
	}
	ck_assert_int_eq(rec_parse(r, want, strlen(want), g->file), ISCSI_OK);
	got = format(r, REC_FMT_FILE);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(rec_unknown_count(r), 0);
	free(want);
	free(got);
	rec_free(r);
}
END_TEST

START_TEST(test_rec_unknown_kept)
{
	static const char text[] =
		"# BEGIN RECORD 2.1.12\n"
		"node.name = iqn.2024-01.test:x\n"
		"node.session.conn_reopen_log_freq = 3\n"
		"node.session.sess_reopen_log_freq = 4\n"
		"node.future.key = some value\n"
		"node.session.cmds_max = 64\n"
		"# END RECORD\n";
	struct rec *r = rec_new(REC_NODE);
	char *file, *show;

	ck_assert_int_eq(rec_parse(r, text, strlen(text), "t"), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "node.future.key"), "some value");
	ck_assert_str_eq(rec_get(r, "node.session.conn_reopen_log_freq"), "3");
	ck_assert_str_eq(rec_get(r, "node.session.sess_reopen_log_freq"), "4");
	ck_assert_int_eq(rec_get_int(r, "node.session.cmds_max", 0), 64);
	file = format(r, REC_FMT_FILE);
	ck_assert_ptr_nonnull(strstr(file, "\nnode.future.key = some value\n"));
	ck_assert_ptr_nonnull(strstr(file, "\nnode.session.conn_reopen_log_freq = 3\n"));
	ck_assert_ptr_nonnull(strstr(file, "\nnode.session.sess_reopen_log_freq = 4\n"));
	show = format(r, REC_FMT_SHOW);
	ck_assert_ptr_null(strstr(show, "reopen_log_freq"));
	ck_assert_ptr_null(strstr(show, "future"));
	free(file);
	free(show);
	rec_free(r);
}
END_TEST

/* Parser rules of open-iscsi's idbm: whitespace, '=', long lines, last line. */
static const struct { const char *text; const char *key, *want; } parse_cases[] = {
	{ "node.startup=automatic\n", "node.startup", "automatic" },
	{ "  node.startup   =   automatic   \n", "node.startup", "automatic" },
	{ "node.startup automatic\n", "node.startup", "manual" },	/* no '=': ignored */
	{ "#node.startup = automatic\n", "node.startup", "manual" },
	{ "node.startup = automatic", "node.startup", "manual" },	/* no newline: ignored */
	{ "node.startup = bogus\n", "node.startup", "manual" },	/* invalid: kept */
	{ "node.session.cmds_max = 12x\n", "node.session.cmds_max", "128" },
	{ "node.session.auth.username = a b\n", "node.session.auth.username", "a b" },
	{ "node.session.auth.chap_algs = SHA256 MD5,bogus,MD5\n",
	  "node.session.auth.chap_algs", "SHA256,MD5" },
	{ "node.transport_name = iser\n", "iface.transport_name", "iser" },
	{ "node.session.auth.password = abc\n", "node.session.auth.password_length", "3" },
};

START_TEST(test_rec_parse_rules)
{
	struct rec *r = rec_new(REC_NODE);
	const char *t = parse_cases[_i].text;

	rec_parse(r, t, strlen(t), "case");
	ck_assert_str_eq(rec_get(r, parse_cases[_i].key), parse_cases[_i].want);
	rec_free(r);
}
END_TEST

START_TEST(test_rec_parse_long_line)
{
	size_t n = 3000;
	char *buf = malloc(n + 64);
	struct rec *r = rec_new(REC_NODE);

	strcpy(buf, "node.session.auth.username = ");
	memset(buf + strlen(buf), 'a', n);
	strcpy(buf + 29 + n, "\nnode.startup = onboot\n");
	rec_parse(r, buf, strlen(buf), "long");
	ck_assert_str_eq(rec_get(r, "node.session.auth.username"), "");
	ck_assert_str_eq(rec_get(r, "node.startup"), "onboot");
	free(buf);
	rec_free(r);
}
END_TEST

static const struct { const char *key, *value, *detail; } hostile[] = {
	{ "node.session.auth.username", "x\nnode.name = evil", NULL },
	{ "node.session.auth.password", "a\rb", NULL },
	{ "node.session.auth.username", "tab\there", NULL },
	{ "node.startup", "bogus", "unknown value format 'bogus' for parameter name 'node.startup'" },
	{ "node.session.cmds_max", "abc", NULL },
	{ "node.session.cmds_max", "99999999999999999999", NULL },
	{ "node.bogus", "1", "Cannot modify node.bogus. Invalid param name." },
};

START_TEST(test_rec_hostile_values)
{
	struct rec *r = rec_new(REC_NODE);

	ck_assert_int_eq(rec_set(r, hostile[_i].key, hostile[_i].value), ISCSI_ERR_INVAL);
	if (hostile[_i].detail)
		ck_assert_str_eq(err_detail(ISCSI_ERR_INVAL), hostile[_i].detail);
	ck_assert_str_eq(rec_get(r, "node.name"), "");
	rec_free(r);
}
END_TEST

static const struct { const char *key, *value; int rc; const char *detail; } updates[] = {
	{ "node.name", "iqn.2024-01.x:y", ISCSI_ERR_INVAL,
	  "Cannot modify node.name. It is used to look up the record and cannot be changed." },
	{ "node.conn[0].port", "1", ISCSI_ERR_INVAL,
	  "Cannot modify node.conn[0].port. It is used to look up the record and cannot be changed." },
	{ "iface.ipaddress", "1.2.3.4", ISCSI_ERR_INVAL,
	  "Cannot modify iface.ipaddress. Use iface mode to update this value." },
	{ "node.bogus", "1", ISCSI_ERR_INVAL, "Cannot modify node.bogus. Invalid param name." },
	{ "iface.transport_name", "iser", ISCSI_OK, NULL },
	{ "node.transport_name", "iser", ISCSI_OK, NULL },
	{ "node.session.auth.password_length", "3", ISCSI_OK, NULL },
	{ "node.startup", "automatic", ISCSI_OK, NULL },
};

START_TEST(test_rec_update_rules)
{
	struct rec *r = rec_new(REC_NODE);

	ck_assert_int_eq(rec_update(r, updates[_i].key, updates[_i].value), updates[_i].rc);
	if (updates[_i].detail)
		ck_assert_str_eq(err_detail(updates[_i].rc), updates[_i].detail);
	else
		ck_assert_str_eq(rec_get(r, updates[_i].key), updates[_i].value);
	rec_free(r);
}
END_TEST

START_TEST(test_rec_secrets)
{
	struct rec *r = rec_new(REC_NODE);
	char *show, *shown, *file;

	ck_assert_int_eq(rec_set(r, "node.session.auth.password", "secret"), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "node.session.auth.password_length"), "6");
	show = format(r, REC_FMT_SHOW);
	shown = format(r, REC_FMT_SHOW | REC_FMT_SECRETS);
	file = format(r, REC_FMT_FILE);
	ck_assert_ptr_nonnull(strstr(show, "node.session.auth.password = ********\n"));
	ck_assert_ptr_nonnull(strstr(show, "node.session.auth.password_in = <empty>\n"));
	ck_assert_ptr_nonnull(strstr(shown, "node.session.auth.password = secret\n"));
	ck_assert_ptr_nonnull(strstr(file, "node.session.auth.password = secret\n"));
	ck_assert_ptr_null(strstr(file, "_length"));
	free(show);
	free(shown);
	free(file);
	rec_free(r);
}
END_TEST

START_TEST(test_rec_apply_conf)
{
	static const char text[] =
		"node.session.cmds_max = 64\n"
		"node.name = iqn.2024-01.evil:x\n"
		"node.startup = sometimes\n"
		"node.conn[0].timeo.login_timeout = 15\n"
		"discovery.sendtargets.reopen_max = 9\n";
	struct conf *c = conf_from_text(text, strlen(text));
	struct rec *n = rec_new(REC_NODE), *d = rec_new(REC_DISC_ST);

	rec_apply_conf(n, c);
	rec_apply_conf(d, c);
	ck_assert_str_eq(rec_get(n, "node.session.cmds_max"), "64");
	ck_assert_str_eq(rec_get(n, "node.conn[0].timeo.login_timeout"), "15");
	ck_assert_str_eq(rec_get(n, "node.name"), "");		/* ro keys never from config */
	ck_assert_str_eq(rec_get(n, "node.startup"), "manual");	/* invalid skipped */
	ck_assert_str_eq(rec_get(d, "discovery.sendtargets.reopen_max"), "9");
	rec_free(n);
	rec_free(d);
	conf_free(c);
}
END_TEST

START_TEST(test_rec_iface_copy_and_settings)
{
	struct rec *i = rec_new(REC_IFACE), *n = rec_new(REC_NODE), *back;
	struct iscsi_settings s;

	rec_set(i, "iface.iscsi_ifacename", "ipv6-eth0");
	rec_set(i, "iface.net_ifacename", "eth0");
	rec_node_set_iface(n, i);
	ck_assert_str_eq(rec_get(n, "iface.net_ifacename"), "eth0");
	ck_assert(rec_iface_is_ipv6(n));
	back = rec_iface_from_node(n);
	ck_assert_str_eq(rec_get(back, "iface.iscsi_ifacename"), "ipv6-eth0");
	rec_settings(n, &s);
	ck_assert_str_eq(s.is_get(&s, "iface.net_ifacename"), "eth0");
	ck_assert_ptr_null(s.is_get(&s, "iface.hwaddress"));
	ck_assert_ptr_null(s.is_get(&s, "no.such.key"));
	rec_free(i);
	rec_free(n);
	rec_free(back);
}
END_TEST

START_TEST(test_rec_version)
{
	struct rec *r = rec_new(REC_IFACE);
	char *t;

	rec_set_version("2.1.12");
	t = format(r, REC_FMT_FILE);
	ck_assert_int_eq(strncmp(t, "# BEGIN RECORD 2.1.12\n", 22), 0);
	rec_set_version("2.1.8");
	free(t);
	rec_free(r);
}
END_TEST

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *
rec_suite(void)
{
	Suite *s = suite_create("rec");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_rec_golden_defaults, 0, N(goldens));
	tcase_add_loop_test(tc, test_rec_golden_roundtrip, 0, N(goldens));
	tcase_add_test(tc, test_rec_unknown_kept);
	tcase_add_loop_test(tc, test_rec_parse_rules, 0, N(parse_cases));
	tcase_add_test(tc, test_rec_parse_long_line);
	tcase_add_loop_test(tc, test_rec_hostile_values, 0, N(hostile));
	tcase_add_loop_test(tc, test_rec_update_rules, 0, N(updates));
	tcase_add_test(tc, test_rec_secrets);
	tcase_add_test(tc, test_rec_apply_conf);
	tcase_add_test(tc, test_rec_iface_copy_and_settings);
	tcase_add_test(tc, test_rec_version);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(rec_suite)
