// SPDX-License-Identifier: GPL-2.0-or-later
/* Error table and detail: codes and messages are an interface. */
#include <string.h>

#include "check_util.h"
#include "err.h"

static const struct { int code; const char *msg; } known[] = {
	{ 0, "success" },
	{ 7, "invalid parameter" },
	{ 12, "iSCSI driver not found. Please make sure it is loaded, and retry the operation" },
	{ 15, "session exists" },
	{ 21, "no objects found" },
	{ 24, "iSCSI login failed due to authorization failure" },
	{ 33, "iscsid request timed out" },
};

START_TEST(test_err_messages)
{
	ck_assert_str_eq(iscsi_strerror(known[_i].code), known[_i].msg);
}
END_TEST

START_TEST(test_err_every_code_has_message)
{
	for (int e = 0; e < ISCSI_ERR_MAX; e++)
		if (e != ISCSI_ERR) ck_assert_str_ne(iscsi_strerror(e), "unknown error");
	ck_assert_str_eq(iscsi_strerror(ISCSI_ERR_MAX), "unknown error");
	ck_assert_str_eq(iscsi_strerror(-1), "unknown error");
	ck_assert_int_eq(ISCSI_ERR_REQ_TIMEDOUT, 33);
}
END_TEST

START_TEST(test_err_detail)
{
	ck_assert_int_eq(err_set(ISCSI_ERR_INVAL, "bad key %s", "x"), ISCSI_ERR_INVAL);
	ck_assert_str_eq(err_detail(ISCSI_ERR_INVAL), "bad key x");
	ck_assert_ptr_null(err_detail(ISCSI_ERR_IDBM));
	err_clear();
	ck_assert_ptr_null(err_detail(ISCSI_ERR_INVAL));
}
END_TEST

static Suite *
err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_err_messages, 0, sizeof(known) / sizeof(known[0]));
	tcase_add_test(tc, test_err_every_code_has_message);
	tcase_add_test(tc, test_err_detail);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(err_suite)
