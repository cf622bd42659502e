// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "key = value" line parser (records, iscsid.conf, initiatorname.iscsi)
 * and iscsid.conf itself.  Keys are not interpreted here; unknown ones are
 * simply kept.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "kvlist.h"
#include "err.h"
#include "log.h"
#include "paths.h"

struct conf {
	struct kvlist	kv;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

#define CONF_NO_SEPARATOR	(-1)	/* conf_line: "key value" without '=' */

/* One line (without '\n', NUL-terminated in @line, modified in place). */
static int
conf_line(char *line, conf_line_fn fn, void *arg)
{
	char *p = line, *key, *val, *end;

	while (is_space(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	key = p;
	while (*p && !is_space(*p) && *p != '=')
		p++;
	end = p;
	while (is_space(*p))
		p++;
	if (*p != '=')
		return CONF_NO_SEPARATOR;
	p++;
	*end = '\0';
	while (is_space(*p))
		p++;
	val = p;
	end = val + strlen(val);
	while (end > val && is_space(end[-1]))
		end--;
	*end = '\0';
	return fn(key, val, arg);
}

int
conf_parse_lines(const char *buf, size_t len, const char *origin,
		 conf_line_fn fn, void *arg)
{
	char line[CONF_LINE_MAX];
	size_t pos = 0, lineno = 0;
	int rc;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l;

		lineno++;
		if (nl == NULL) {
			log_warnx("%s: line %zu has no newline, ignored", origin, lineno);
			break;
		}
		l = (size_t)(nl - (buf + pos));
		if (l >= CONF_LINE_MAX - 1) {
			log_warnx("%s: line %zu is too long, ignored", origin, lineno);
		} else {
			memcpy(line, buf + pos, l);
			line[l] = '\0';
			rc = memchr(line, '\0', l) == NULL ? conf_line(line, fn, arg) : 0;
			if (rc == CONF_NO_SEPARATOR)
				log_warnx("%s: line %zu has no '=' separator, ignored", origin, lineno);
			else if (rc != 0)
				return rc;
		}
		pos += l + 1;
	}
	return 0;
}

int
conf_read_file(const char *path, char **bufp, size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	ssize_t r;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	cap = (size_t)st.st_size + 1;
	if (cap < 4096)
		cap = 4096;
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	for (;;) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
		/* files here are replaced whole, never appended to: st_size bytes is all
		 * (saves the read() that returns 0, once per record in a bulk update) */
		if (S_ISREG(st.st_mode) && st.st_size > 0 && len == (size_t)st.st_size)
			break;
	}
	buf[len] = '\0';
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

static int
conf_add(const char *key, const char *value, void *arg)
{
	return kvlist_put(&((struct conf *)arg)->kv, key, value);
}

struct conf *
conf_from_text(const char *buf, size_t len)
{
	struct conf *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if (conf_parse_lines(buf, len, "iscsid.conf", conf_add, c) != 0) {
		conf_free(c);
		return NULL;
	}
	return c;
}

struct conf *
conf_load(const char *path)
{
	char defpath[4096], *buf;
	size_t len;
	struct conf *c;

	if (path == NULL) {
		snprintf(defpath, sizeof(defpath), "%s/iscsid.conf", paths_confdir());
		path = defpath;
	}
	if (conf_read_file(path, &buf, &len) < 0) {
		if (errno != ENOENT)
			log_warn("cannot read %s", path);
		return calloc(1, sizeof(struct conf));
	}
	c = calloc(1, sizeof(*c));
	if (c != NULL && conf_parse_lines(buf, len, path, conf_add, c) != 0) {
		conf_free(c);
		c = NULL;
	}
	free(buf);
	return c;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	kvlist_clear(&c->kv);
	free(c);
}

const char *
conf_get(const struct conf *c, const char *key)
{
	return c == NULL ? NULL : kvlist_get(&c->kv, key);
}

int
conf_get_bool(const struct conf *c, const char *key, int def)
{
	const char *v = conf_get(c, key);

	if (v == NULL)
		return def;
	if (strcmp(v, "Yes") == 0 || strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "No") == 0 || strcmp(v, "no") == 0)
		return 0;
	return def;
}

size_t
conf_count(const struct conf *c)
{
	return c ? c->kv.n : 0;
}

const char *
conf_key_at(const struct conf *c, size_t i, const char **value)
{
	if (c == NULL || i >= c->kv.n)
		return NULL;
	if (value)
		*value = c->kv.v[i].value;
	return c->kv.v[i].key;
}

static struct conf *conf_cached;
static const struct conf conf_empty;

const struct conf *
conf_default(void)
{
	if (conf_cached == NULL)
		conf_cached = conf_load(NULL);
	return conf_cached ? conf_cached : &conf_empty;
}

void
conf_default_reset(void)
{
	conf_free(conf_cached);
	conf_cached = NULL;
}
