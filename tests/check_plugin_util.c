// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers for the plugin-area suites (see check_plugin_util.h).  Test
 * support only: nothing here is linked into the programs.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "check_plugin_util.h"
#include "log.h"

static const char *
mock_get(const struct iscsi_settings *s, const char *key)
{
	const struct mock_settings *m = s->is_priv;

	for (const struct mock_kv *kv = m->kv; kv->key != NULL; kv++)
		if (strcmp(kv->key, key) == 0)
			return kv->value != NULL && kv->value[0] != '\0' ? kv->value : NULL;
	return NULL;
}

void
mock_settings_init(struct mock_settings *m, const struct mock_kv *kv)
{
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	while (kv != NULL && kv[n].key != NULL && n + 1 < MOCK_MAX_KEYS) {
		m->kv[n] = kv[n];
		n++;
	}
	m->s.is_size = sizeof(m->s);
	m->s.is_get = mock_get;
	m->s.is_priv = m;
}

static char mock_log_buf[16384];

static void
mock_sink(int prio, const char *line, void *arg)
{
	size_t used = strlen(mock_log_buf);

	(void)prio, (void)arg;
	snprintf(mock_log_buf + used, sizeof(mock_log_buf) - used, "%s\n", line);
}

void
mock_log_capture(void)
{
	mock_log_buf[0] = '\0';
	log_set_level(8);
	log_set_sink(mock_sink, NULL);
}

const char *
mock_log_text(void)
{
	return mock_log_buf;
}

const char *
build_path(const char *rel)
{
	static char buf[4096];
	const char *top = getenv("top_builddir");

	snprintf(buf, sizeof(buf), "%s/%s", top != NULL ? top : ".", rel);
	return buf;
}

char *
make_temp_dir(void)
{
	const char *t = getenv("TMPDIR");
	char *p;

	if (asprintf(&p, "%s/iscsikit-test.XXXXXX", t != NULL ? t : "/tmp") < 0)
		ck_abort_msg("asprintf failed");
	ck_assert_ptr_nonnull(mkdtemp(p));
	return p;
}

const char *
copy_into(const char *src, const char *dir)
{
	static char dst[4096];
	const char *base = strrchr(src, '/') != NULL ? strrchr(src, '/') + 1 : src;
	char buf[65536];
	ssize_t n;
	int in, out;

	snprintf(dst, sizeof(dst), "%s/%s", dir, base);
	ck_assert_int_ge(in = open(src, O_RDONLY), 0);
	ck_assert_int_ge(out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	return dst;
}

void
rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}
