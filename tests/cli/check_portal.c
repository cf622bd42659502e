// SPDX-License-Identifier: GPL-2.0-or-later
/* iscsiadm's -p parsing (cli/portal.c): every form open-iscsi 2.1.8 takes. */
#include <string.h>

#include "check_util.h"
#include "cli.h"
#include "err.h"

static const struct {
	const char	*in;
	int		 rc;
	const char	*addr;
	int		 port, tpgt;
} portals[] = {
	{ "10.0.0.1", ISCSI_OK, "10.0.0.1", -1, -1 },
	{ "10.0.0.1:3261", ISCSI_OK, "10.0.0.1", 3261, -1 },
	{ "10.0.0.1:3261,5", ISCSI_OK, "10.0.0.1", 3261, 5 },
	{ "10.0.0.1,7", ISCSI_OK, "10.0.0.1", -1, 7 },
	{ "10.0.0.1:abc", ISCSI_OK, "10.0.0.1", 0, -1 },	/* strtoul, as the reference */
	{ "[::1]", ISCSI_OK, "::1", -1, -1 },
	{ "[::1]:3262,2", ISCSI_OK, "::1", 3262, 2 },
	{ "[fe80::1%eth0]:3260", ISCSI_OK, "fe80::1%eth0", 3260, -1 },
	{ "::1", ISCSI_OK, "::1", -1, -1 },
	{ "2001:db8::5,3", ISCSI_OK, "2001:db8::5", -1, 3 },
	{ "localhost", ISCSI_OK, "localhost", -1, -1 },
	{ "localhost:3261", ISCSI_OK, "localhost", 3261, -1 },
	{ "host.example.com:3261,5", ISCSI_OK, "host.example.com", 3261, 5 },
	{ "[::2", ISCSI_ERR_INVAL, NULL, 0, 0 },
	{ "", ISCSI_ERR_INVAL, NULL, 0, 0 },
	{ ":3260", ISCSI_ERR_INVAL, NULL, 0, 0 },
	{ "[]:3260", ISCSI_ERR_INVAL, NULL, 0, 0 },
};

START_TEST(test_portal_forms)
{
	struct cli_portal p;
	int rc = cli_portal_parse(portals[_i].in, &p);

	ck_assert_int_eq(rc, portals[_i].rc);
	if (rc != ISCSI_OK) {
		ck_assert_ptr_nonnull(err_detail(rc));
		return;
	}
	ck_assert_str_eq(p.address, portals[_i].addr);
	ck_assert_int_eq(p.port, portals[_i].port);
	ck_assert_int_eq(p.tpgt, portals[_i].tpgt);
}
END_TEST

START_TEST(test_portal_default_port)
{
	struct cli_opts o;

	memset(&o, 0, sizeof(o));
	ck_assert_ptr_null(cli_portal(&o, 3260));
	ck_assert_int_eq(cli_portal_parse("10.0.0.1", &o.portal), ISCSI_OK);
	o.have_portal = true;
	ck_assert_int_eq(cli_portal(&o, 3205)->port, 3205);
	ck_assert_int_eq(cli_portal_parse("10.0.0.1:4000", &o.portal), ISCSI_OK);
	ck_assert_int_eq(cli_portal(&o, 3205)->port, 4000);
}
END_TEST

static Suite *
portal_suite(void)
{
	Suite *s = suite_create("portal");
	TCase *tc = tcase_create("portal");

	tcase_add_loop_test(tc, test_portal_forms, 0, sizeof(portals) / sizeof(portals[0]));
	tcase_add_test(tc, test_portal_default_port);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(portal_suite)
