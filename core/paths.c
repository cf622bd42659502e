// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Path resolution with a private-root override, so tests and containers
 * never read or write the machine's /etc/iscsi, /run/lock/iscsi or /sys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"

#ifndef DBROOT
#define DBROOT "/etc/iscsi"
#endif
#ifndef HOMEDIR
#define HOMEDIR "/etc/iscsi"
#endif
#ifndef LOCKDIR
#define LOCKDIR "/run/lock/iscsi"
#endif

enum path_id { P_DB, P_CONF, P_LOCK, P_SYSFS, P_RUN, P_COUNT };

static const struct {
	const char *env;
	const char *dflt;
} path_defs[P_COUNT] = {
	[P_DB]		= { "ISCSI_DB_ROOT", DBROOT },
	[P_CONF]	= { "ISCSI_CONFIG_DIR", HOMEDIR },
	[P_LOCK]	= { "ISCSI_LOCK_DIR", LOCKDIR },
	[P_SYSFS]	= { "ISCSI_SYSFS_ROOT", "/sys" },
	[P_RUN]		= { "ISCSI_RUN_DIR", "/run" },
};

static char path_cache[P_COUNT][4096];

static const char *
path_get(enum path_id id)
{
	const char *v, *root;

	if (path_cache[id][0] != '\0')
		return path_cache[id];
	if ((v = getenv(path_defs[id].env)) != NULL && *v != '\0')
		snprintf(path_cache[id], sizeof(path_cache[id]), "%s", v);
	else if ((root = getenv("ISCSI_ROOT")) != NULL && *root != '\0')
		snprintf(path_cache[id], sizeof(path_cache[id]), "%s%s", root, path_defs[id].dflt);
	else
		snprintf(path_cache[id], sizeof(path_cache[id]), "%s", path_defs[id].dflt);
	return path_cache[id];
}

const char *paths_dbroot(void)	{ return path_get(P_DB); }
const char *paths_confdir(void)	{ return path_get(P_CONF); }
const char *paths_lockdir(void)	{ return path_get(P_LOCK); }
const char *paths_sysfs(void)	{ return path_get(P_SYSFS); }
const char *paths_rundir(void)	{ return path_get(P_RUN); }

void
paths_reset(void)
{
	memset(path_cache, 0, sizeof(path_cache));
}
