/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iscsid.conf and the "key = value" line parser shared by records, the
 * config file and initiatorname.iscsi.  Unknown keys are kept and left to
 * the reader; nothing here knows what a key means (rec.c does).
 */
#ifndef ISCSIKIT_CONF_H
#define ISCSIKIT_CONF_H

#include <stddef.h>

#define CONF_LINE_MAX	2048	/* lines of 2047+ bytes are ignored, as open-iscsi */

/*
 * Call @fn for every "key = value" line of @buf: blank and '#' lines are
 * skipped; key runs to the first whitespace or '='; value is what follows
 * the '=' with leading and trailing whitespace removed; lines without '=',
 * overlong lines and a last line without '\n' are skipped with a warning
 * naming @origin (as libopeniscsiusr does).  @fn returns non-zero to stop;
 * that value is returned.
 */
typedef int (*conf_line_fn)(const char *key, const char *value, void *arg);
int conf_parse_lines(const char *buf, size_t len, const char *origin,
		     conf_line_fn fn, void *arg);

/* Read a whole file into a malloc'ed, NUL-terminated buffer (0/-1 + errno). */
int conf_read_file(const char *path, char **buf, size_t *len);

struct conf;	/* opaque: the keys of one iscsid.conf, last one wins */

/* Parse @path (NULL = paths_confdir()/iscsid.conf).  A missing file gives an
 * empty config, not an error.  NULL only on ENOMEM. */
struct conf *conf_load(const char *path);
struct conf *conf_from_text(const char *buf, size_t len);
void conf_free(struct conf *c);

/* Value of @key or NULL.  Owned by @c. */
const char *conf_get(const struct conf *c, const char *key);
/* "Yes"/"No" style boolean; @def when absent or neither. */
int conf_get_bool(const struct conf *c, const char *key, int def);
size_t conf_count(const struct conf *c);
/* The @i-th distinct key and its value, in file order of first appearance. */
const char *conf_key_at(const struct conf *c, size_t i, const char **value);

/* The process-wide iscsid.conf, loaded on first use; never NULL. */
const struct conf *conf_default(void);
/* Drop the cached default (tests that change ISCSI_ROOT). */
void conf_default_reset(void);

#endif
