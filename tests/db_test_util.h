/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the db-area tests: a private ISCSI_ROOT per test, removed
 * afterwards, and small file utilities.
 */
#ifndef ISCSIKIT_DB_TEST_UTIL_H
#define ISCSIKIT_DB_TEST_UTIL_H

#define _GNU_SOURCE 1
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "paths.h"

static char dbt_root[256];

#define DBT_UNUSED __attribute__((unused))

static DBT_UNUSED int
dbt_rm(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static DBT_UNUSED void
dbt_setup(void)
{
	snprintf(dbt_root, sizeof(dbt_root), "/tmp/iscsikit-dbtest.XXXXXX");
	if (mkdtemp(dbt_root) == NULL)
		abort();
	setenv("ISCSI_ROOT", dbt_root, 1);
	unsetenv("ISCSI_DB_ROOT");
	unsetenv("ISCSI_CONFIG_DIR");
	unsetenv("ISCSI_LOCK_DIR");
	paths_reset();
	conf_default_reset();
}

static DBT_UNUSED void
dbt_teardown(void)
{
	nftw(dbt_root, dbt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write @text to <dbroot>/<rel>, creating parent directories. */
static DBT_UNUSED void
dbt_put(const char *rel, const char *text)
{
	char path[4096], cmd[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", paths_dbroot(), rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd) != 0)
		abort();
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

/* Create the config directory of the private root. */
static DBT_UNUSED void
dbt_mkconf(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", paths_confdir());
	if (system(cmd) != 0)
		abort();
}

static DBT_UNUSED int
dbt_exists(const char *rel)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", paths_dbroot(), rel);
	return lstat(path, &st) == 0;
}

#endif
