/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firmware boot targets for iscsiadm -m fw and iscsistart: read them through
 * the "fw" discovery plugin, print them in the reference's record format,
 * and turn them into node records for a login.  Internal to cli/.
 */
#ifndef ISCSIKIT_CLI_FW_H
#define ISCSIKIT_CLI_FW_H

#include <stddef.h>

#include "cli.h"

struct rec;

/* Keys of one boot target, in the reference's print order (fw_keys[]). */
#define FW_NKEYS	20

struct fw_entry {
	char	*v[FW_NKEYS];		/* NULL = not in the table */
};

struct fw_list {
	struct fw_entry	*v;
	size_t		 n;
};

/*
 * Every boot target of every firmware table.  ISCSI_ERR_NO_OBJS_FOUND when
 * there is none (ISCSI_ERR_SYSFS_LOOKUP without <sysfs>/firmware), other
 * codes with an err_set() detail when a table is malformed.
 */
int fw_load(struct fw_list *l);
void fw_list_free(struct fw_list *l);
/* Log the reference's complaint for a fw_load() failure; returns @rc. */
int fw_report(int rc);
/* "# BEGIN RECORD" blocks to stdout. */
void fw_print(const struct fw_list *l);
/* Set @key (one of the printed keys) in @e, for iscsistart's explicit target. */
int fw_entry_set(struct fw_entry *e, const char *key, const char *value);
/* A node record for entry @e: defaults, the boot settings (§6.5), then @nv overrides. */
int fw_node_rec(const struct fw_entry *e, const struct cli_nameval *nv, int nnv,
    struct rec **out);

#endif
