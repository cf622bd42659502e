/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the plugin-area suites: a mock iscsi_settings built
 * from a key/value table, a log sink that keeps lines for assertions,
 * and temporary directories holding copies of built plugins.
 */
#ifndef ISCSIKIT_CHECK_PLUGIN_UTIL_H
#define ISCSIKIT_CHECK_PLUGIN_UTIL_H

#include <iscsi/core_api.h>

#define MOCK_MAX_KEYS	16

/* A record: pairs of key, value; a NULL key ends it. */
struct mock_kv {
	const char	*key;
	const char	*value;
};

struct mock_settings {
	struct iscsi_settings	 s;
	struct mock_kv		 kv[MOCK_MAX_KEYS];
};

/* Point @m at a copy of @kv (terminated by a NULL key). */
void mock_settings_init(struct mock_settings *m, const struct mock_kv *kv);

/* Start capturing log lines; mock_log_text() returns them joined by '\n'. */
void mock_log_capture(void);
const char *mock_log_text(void);

/* "<top_builddir>/<rel>" (top_builddir from the test environment, else "."). */
const char *build_path(const char *rel);
/* A fresh 0700 directory under $TMPDIR; the caller removes it with rm_tree. */
char *make_temp_dir(void);
/* Copy @src to @dir/<basename of src>; returns the new path (static buffer). */
const char *copy_into(const char *src, const char *dir);
/* Remove @dir and the regular files and links directly inside it. */
void rm_tree(const char *dir);

#endif
