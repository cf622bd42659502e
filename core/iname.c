// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * initiatorname.iscsi (InitiatorName=, InitiatorAlias=) and the random
 * name generator behind iscsi-iname.  Not the per-iface
 * iface.initiatorname override: that is a record key.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "conf.h"
#include "err.h"
#include "iname.h"
#include "names.h"
#include "paths.h"

struct iname_ctx {
	char	*name, *alias;
	size_t	 namelen, aliaslen;
};

static int
iname_line(const char *key, const char *value, void *arg)
{
	struct iname_ctx *c = arg;

	if (strcmp(key, "InitiatorName") == 0)
		snprintf(c->name, c->namelen, "%s", value);
	else if (strcmp(key, "InitiatorAlias") == 0 && c->alias != NULL)
		snprintf(c->alias, c->aliaslen, "%s", value);
	return 0;
}

int
iname_read(const char *path, char *name, size_t namelen, char *alias, size_t aliaslen)
{
	struct iname_ctx c = { name, alias, namelen, aliaslen };
	char defpath[4096], *buf;
	size_t len;

	if (path == NULL) {
		snprintf(defpath, sizeof(defpath), "%s/initiatorname.iscsi", paths_confdir());
		path = defpath;
	}
	name[0] = '\0';
	if (alias != NULL && aliaslen > 0)
		alias[0] = '\0';
	if (conf_read_file(path, &buf, &len) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", path, strerror(errno));
	conf_parse_lines(buf, len, path, iname_line, &c);
	free(buf);
	if (name[0] == '\0')
		return err_set(ISCSI_ERR_INVAL, "InitiatorName not found in %s", path);
	if (names_check_iscsi(name) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "InitiatorName %s in %s is invalid", name, path);
	return ISCSI_OK;
}

int
iname_generate(const char *prefix, char *out, size_t outlen)
{
	unsigned char b[6];
	size_t got = 0;
	ssize_t r;
	int n;

	if (strlen(prefix) > INAME_PREFIX_MAX)
		return err_set(ISCSI_ERR_INVAL, "prefix too long");
	while (got < sizeof(b)) {
		r = getrandom(b + got, sizeof(b) - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(ISCSI_ERR, "no entropy: %s", strerror(errno));
		got += (size_t)r;
	}
	/* %x without zero padding on purpose: open-iscsi's names look like this. */
	n = snprintf(out, outlen, "%s:%x%x%x%x%x%x", prefix, b[0], b[1], b[2], b[3], b[4], b[5]);
	if (n < 0 || (size_t)n >= outlen)
		return err_set(ISCSI_ERR_INVAL, "prefix too long");
	return ISCSI_OK;
}
