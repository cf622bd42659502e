// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SendTargets plugin against a mock core_api: answer parsing (IPv4,
 * IPv6, scopes, host names, missing port/tag), name and address validation
 * and the all-or-nothing rule.  No sockets; tgtd tests live in tests/target.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "mock_api.h"

const struct iscsi_plugin *discovery_sendtargets_LTX_iscsi_plugin_entry(uint16_t, uint16_t);

struct st_case {
	const char	*answer;	/* '|' stands for the NUL separator */
	int		 rc;
	const char	*portals;	/* "addr port tpgt name;" per portal */
};

static const struct st_case st_cases[] = {
	{ "TargetName=iqn.2024-01.test:t1|TargetAddress=127.0.0.1:3260,1", 0,
	  "127.0.0.1 3260 1 iqn.2024-01.test:t1;" },
	{ "TargetName=iqn.a:x|TargetAddress=10.0.0.1:3261,2|TargetAddress=10.0.0.2:3262,3|"
	  "TargetName=iqn.a:y|TargetAddress=10.0.0.1:3261,2|", 0,
	  "10.0.0.1 3261 2 iqn.a:x;10.0.0.2 3262 3 iqn.a:x;10.0.0.1 3261 2 iqn.a:y;" },
	{ "TargetName=iqn.a:v6|TargetAddress=[::1]:3260,1", 0, "::1 3260 1 iqn.a:v6;" },
	{ "TargetName=iqn.a:ll|TargetAddress=[fe80::1%eth0]:3260,7", 0,
	  "fe80::1%eth0 3260 7 iqn.a:ll;" },
	{ "TargetName=iqn.a:np|TargetAddress=[fe80::2],1", 0, "fe80::2 3260 1 iqn.a:np;" },
	{ "TargetName=iqn.a:bare6|TargetAddress=fe80::3,4", 0, "fe80::3 3260 4 iqn.a:bare6;" },
	{ "TargetName=iqn.a:host|TargetAddress=san.example.com:3260,1", 0,
	  "san.example.com 3260 1 iqn.a:host;" },
	{ "TargetName=iqn.a:notag|TargetAddress=10.1.1.1:3299", 0, "10.1.1.1 3299 -1 iqn.a:notag;" },
	{ "TargetName=iqn.a:noport|TargetAddress=10.1.1.1", 0, "10.1.1.1 3260 -1 iqn.a:noport;" },
	{ "TargetName=iqn.a:noaddr|TargetAlias=disk one|TargetName=eui.0123456789ABCDEF", 0,
	  "192.0.2.9 3260 -1 iqn.a:noaddr;192.0.2.9 3260 -1 eui.0123456789ABCDEF;" },
	{ "TargetName=iqn.a:unterminated|TargetAddress=1.2.3.4:5,6|", 0,
	  "1.2.3.4 5 6 iqn.a:unterminated;" },
	{ "", ISCSI_ERR_NO_OBJS_FOUND, "" },
	{ "TargetAlias=x", ISCSI_ERR_NO_OBJS_FOUND, "" },
	/* hostile names: nothing may reach the sink, not even good ones before */
	{ "TargetName=iqn.a:good|TargetName=iqn.a/../../etc", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:good|TargetName=iqn.a..b", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x\nnode.startup = automatic", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:ctl\x01", ISCSI_ERR_INVAL, "" },
	{ "TargetName=..", ISCSI_ERR_INVAL, "" },
	{ "TargetName=notaname", ISCSI_ERR_INVAL, "" },
	{ "TargetName=", ISCSI_ERR_INVAL, "" },
	{ "TargetAddress=1.2.3.4:3260,1|TargetName=iqn.a:late", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=1.2.3.4/../x:3260,1", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=1.2.3.4:99999,1", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=1.2.3.4:0,1", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=1.2.3.4:3260,1x", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=[::1:3260,1", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=[::1]x3260,1", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|TargetAddress=,1", ISCSI_ERR_INVAL, "" },
	{ "TargetName=iqn.a:x|garbage", ISCSI_ERR_INVAL, "" },
};

static char st_got[4096];
static int st_sink_calls;

static int
st_sink(void *arg, const struct iscsi_disc_target *t)
{
	size_t o = strlen(st_got);

	(void)arg;
	st_sink_calls++;
	snprintf(st_got + o, sizeof(st_got) - o, "%s %u %d %s;", t->dt_address,
	    (unsigned)t->dt_port, (int)t->dt_tpgt, t->dt_name);
	return ISCSI_OK;
}

static int
st_run(const char *answer, size_t len, int open_rc)
{
	const struct iscsi_plugin *p = discovery_sendtargets_LTX_iscsi_plugin_entry(1, 0);
	const struct iscsi_discovery_ops *ops = p->ip_ops;
	struct iscsi_disc_request req;

	memset(&req, 0, sizeof(req));
	req.dr_size = sizeof(req);
	req.dr_address = "192.0.2.9";
	req.dr_port = 3260;
	mock_api_reset(answer, len);
	mock_api.open_rc = open_rc;
	st_got[0] = '\0';
	st_sink_calls = 0;
	return ops->do_discover(&mock_core_api, NULL, &req, st_sink, NULL);
}

START_TEST(test_st_parser_answers)
{
	const struct st_case *c = &st_cases[_i];
	char buf[512];
	size_t len = strlen(c->answer), i;
	int rc;

	memcpy(buf, c->answer, len);
	for (i = 0; i < len; i++)
		if (buf[i] == '|')
			buf[i] = '\0';
	rc = st_run(buf, len, ISCSI_OK);
	ck_assert_msg(rc == c->rc, "case %d: rc %d want %d (%s)", _i, rc, c->rc, mock_api.detail);
	ck_assert_str_eq(st_got, c->portals);
	ck_assert_str_eq(mock_api.asked, "SendTargets=All");
	ck_assert_int_eq(mock_api.closed, 1);
	if (rc != 0)
		ck_assert_int_eq(st_sink_calls, 0);
}
END_TEST

START_TEST(test_st_parser_open_failure)
{
	ck_assert_int_eq(st_run("", 0, ISCSI_ERR_LOGIN_AUTH_FAILED), ISCSI_ERR_LOGIN_AUTH_FAILED);
	ck_assert_int_eq(mock_api.closed, 0);
	ck_assert_int_eq(st_sink_calls, 0);
}
END_TEST

/* 10,000 targets in one answer: linear, and every portal arrives. */
START_TEST(test_st_parser_many)
{
	enum { N = 10000 };
	size_t cap = (size_t)N * 96, o = 0;
	char *buf = malloc(cap);
	int i;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < N; i++)
		o += (size_t)snprintf(buf + o, cap - o,
		    "TargetName=iqn.2024-01.org.example:t%05d%cTargetAddress=127.0.0.1:3260,1%c",
		    i, '\0', '\0');
	ck_assert_int_eq(st_run(buf, o, ISCSI_OK), 0);
	ck_assert_int_eq(st_sink_calls, N);
	free(buf);
}
END_TEST

static Suite *
st_parser_suite(void)
{
	Suite *s = suite_create("st_parser");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_st_parser_answers, 0,
	    (int)(sizeof(st_cases) / sizeof(st_cases[0])));
	tcase_add_test(tc, test_st_parser_open_failure);
	tcase_add_test(tc, test_st_parser_many);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(st_parser_suite)
