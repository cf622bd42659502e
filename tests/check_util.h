/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by every libcheck program: one suite per core module, one
 * program per suite so automake's harness reports each on its own.
 */
#ifndef ISCSIKIT_CHECK_UTIL_H
#define ISCSIKIT_CHECK_UTIL_H

#include <check.h>
#include <stdlib.h>

#define CHECK_MAIN(suite_fn)						\
	int main(void)							\
	{								\
		SRunner *sr = srunner_create(suite_fn());		\
		int failed;						\
		srunner_run_all(sr, CK_NORMAL);				\
		failed = srunner_ntests_failed(sr);			\
		srunner_free(sr);					\
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;	\
	}

#endif
