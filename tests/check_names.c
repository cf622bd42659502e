// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Name validation (RFC 3720 iSCSI names, iface names, portal addresses,
 * values) and iscsiadm's -p portal syntax.
 */
#include <string.h>

#include "check_util.h"
#include "err.h"
#include "names.h"

static const struct { const char *name; int ok; } iscsi_names[] = {
	{ "iqn.2024-01.test:tgt1", 1 },
	{ "iqn.1993-08.org.debian:01:fakeinit", 1 },
	{ "iqn.2001-04.com.Example:Storage_1", 1 },	/* compat: upper case and '_' */
	{ "eui.02004567A425678D", 1 },
	{ "naa.52004567BA64678D", 1 },
	{ "naa.62004567BA64678D0123456789ABCDEF", 1 },
	{ "", 0 },
	{ "target1", 0 },
	{ "iqn.24-01.test", 0 },
	{ "iqn.2024-01.", 0 },
	{ "eui.0200", 0 },
	{ "naa.xyz", 0 },
	{ "iqn.2024-01.test:a/b", 0 },
	{ "iqn.2024-01.test:..", 0 },
	{ "iqn.2024-01.test:a b", 0 },
	{ "iqn.2024-01.test:a\nb", 0 },
	{ "iqn.2024-01.test:\x1b[31m", 0 },
	{ "../../etc/passwd", 0 },
};

START_TEST(test_names_iscsi)
{
	int rc = names_check_iscsi(iscsi_names[_i].name);

	ck_assert_msg((rc == ISCSI_OK) == iscsi_names[_i].ok, "%s", iscsi_names[_i].name);
	if (!iscsi_names[_i].ok)
		ck_assert_ptr_nonnull(err_detail(ISCSI_ERR_INVAL));
}
END_TEST

START_TEST(test_names_iscsi_length)
{
	char buf[300] = "iqn.2024-01.test:";

	memset(buf + strlen(buf), 'a', 223 - strlen(buf));
	buf[223] = '\0';
	ck_assert_int_eq(names_check_iscsi(buf), ISCSI_OK);
	strcat(buf, "a");
	ck_assert_int_eq(names_check_iscsi(buf), ISCSI_ERR_INVAL);
}
END_TEST

static const struct { const char *name; int ok; } ifaces[] = {
	{ "default", 1 }, { "if0", 1 }, { "bnx2i.00:10:18:aa:bb:dd.ipv4.0", 1 },
	{ "", 0 }, { "a/b", 0 }, { "..", 0 }, { ".", 0 }, { "x..y", 0 }, { "a b", 0 },
	{ "a\tb", 0 }, { ".hidden", 0 },
	{ "0123456789012345678901234567890123456789012345678901234567890123", 1 },
	{ "01234567890123456789012345678901234567890123456789012345678901234", 0 },
};

START_TEST(test_names_iface)
{
	ck_assert_msg((names_check_iface(ifaces[_i].name) == ISCSI_OK) == ifaces[_i].ok, "%s",
		      ifaces[_i].name);
}
END_TEST

START_TEST(test_names_iface_message)
{
	ck_assert_int_eq(names_check_iface(""), ISCSI_ERR_INVAL);
	ck_assert_str_eq(err_detail(ISCSI_ERR_INVAL),
			 "Invalid iface name . Must be from 1 to 64 characters.");
}
END_TEST

static const struct { const char *a; int ok; } addrs[] = {
	{ "127.0.0.1", 1 }, { "::1", 1 }, { "fe80::1%eth0", 1 }, { "target.example.com", 1 },
	{ "", 0 }, { "a/b", 0 }, { "1.2.3.4,1", 0 }, { "..", 0 }, { "a b", 0 }, { "[::1]", 0 },
};

START_TEST(test_names_address)
{
	ck_assert_msg((names_check_address(addrs[_i].a) == ISCSI_OK) == addrs[_i].ok, "%s",
		      addrs[_i].a);
}
END_TEST

static const struct { const char *in, *addr; int port, tpgt, rc; } portals[] = {
	{ "127.0.0.1", "127.0.0.1", 3260, -1, ISCSI_OK },
	{ "127.0.0.1:3261", "127.0.0.1", 3261, -1, ISCSI_OK },
	{ "127.0.0.1:3261,5", "127.0.0.1", 3261, 5, ISCSI_OK },
	{ "127.0.0.1,2", "127.0.0.1", 3260, 2, ISCSI_OK },
	{ "[::1]:3262,2", "::1", 3262, 2, ISCSI_OK },
	{ "[::1]", "::1", 3260, -1, ISCSI_OK },
	{ "::1", "::1", 3260, -1, ISCSI_OK },
	{ "fe80::1%eth0", "fe80::1%eth0", 3260, -1, ISCSI_OK },
	{ "host.example:860", "host.example", 860, -1, ISCSI_OK },
	{ "127.0.0.1:port", "", 0, 0, ISCSI_ERR_INVAL },
	{ "[::1", "", 0, 0, ISCSI_ERR_INVAL },
	{ "127.0.0.1:99999", "", 0, 0, ISCSI_ERR_INVAL },
	{ "../x:3260", "", 0, 0, ISCSI_ERR_INVAL },
};

START_TEST(test_names_portal)
{
	char addr[256];
	int port, tpgt;

	ck_assert_int_eq(names_parse_portal(portals[_i].in, addr, sizeof(addr), &port, &tpgt, 3260),
			 portals[_i].rc);
	if (portals[_i].rc != ISCSI_OK)
		return;
	ck_assert_str_eq(addr, portals[_i].addr);
	ck_assert_int_eq(port, portals[_i].port);
	ck_assert_int_eq(tpgt, portals[_i].tpgt);
}
END_TEST

START_TEST(test_names_value)
{
	ck_assert_int_eq(names_check_value("a b=c"), ISCSI_OK);
	ck_assert_int_eq(names_check_value("a\nb"), ISCSI_ERR_INVAL);
	ck_assert_int_eq(names_check_value("a\x7f"), ISCSI_ERR_INVAL);
	ck_assert(names_is_ipv6("::1"));
	ck_assert(!names_is_ipv6("10.0.0.1"));
}
END_TEST

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *
names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_names_iscsi, 0, N(iscsi_names));
	tcase_add_test(tc, test_names_iscsi_length);
	tcase_add_loop_test(tc, test_names_iface, 0, N(ifaces));
	tcase_add_test(tc, test_names_iface_message);
	tcase_add_loop_test(tc, test_names_address, 0, N(addrs));
	tcase_add_loop_test(tc, test_names_portal, 0, N(portals));
	tcase_add_test(tc, test_names_value);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(names_suite)
