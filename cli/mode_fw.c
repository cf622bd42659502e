// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m fw [-l [-W]] [-n name -v value] and -m discovery -t fw
 * (reference §5.3 "fw", §7.5): print the boot targets, log in to them
 * without touching the DB, or store them as onboot records linked under
 * fw/.  Reading the table is cli/fw.c's; logins go through node_login.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/errors.h>
#include "cli.h"
#include "db.h"
#include "err.h"
#include "fw.h"
#include "log.h"
#include "rec.h"

/* Node records for every entry; on failure nothing is returned. */
static int
fw_recs(const struct cli_opts *o, const struct fw_list *l, struct rec ***out)
{
	struct rec **recs = calloc(l->n + 1, sizeof(*recs));
	int rc = ISCSI_OK;
	size_t i;

	if (recs == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for firmware records");
	for (i = 0; rc == ISCSI_OK && i < l->n; i++)
		rc = fw_node_rec(&l->v[i], o->namevals, o->nnamevals, &recs[i]);
	if (rc != ISCSI_OK) {
		for (i = 0; i < l->n; i++)
			rec_free(recs[i]);
		free(recs);
		return rc;
	}
	*out = recs;
	return ISCSI_OK;
}

static void
fw_recs_free(struct rec **recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rec_free(recs[i]);
	free(recs);
}

/* -l: the reference does not fold per-target failures into the exit code. */
static int
fw_login(const struct cli_opts *o, const struct fw_list *l)
{
	struct rec **recs;
	int rc;

	if ((rc = fw_recs(o, l, &recs)) != ISCSI_OK)
		return cli_report(rc);
	rc = node_login_recs(recs, l->n, o->no_wait);
	fw_recs_free(recs, l->n);
	return rc == ISCSI_ERR_NOMEM ? rc : ISCSI_OK;
}

int
mode_fw_run(struct cli_opts *o)
{
	struct fw_list l;
	int rc;

	if ((rc = fw_load(&l)) != ISCSI_OK)
		return fw_report(rc);
	if (o->login)
		rc = fw_login(o, &l);
	else
		fw_print(&l);
	fw_list_free(&l);
	return rc;
}

/* -m discovery -t fw: store each target as an onboot record (fw/ link), print it. */
static int
fw_store(struct rec *const *recs, size_t n)
{
	int rc;

	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	for (size_t i = 0; rc == ISCSI_OK && i < n; i++)
		rc = db_node_store(recs[i]);
	db_unlock();
	return rc;
}

int
fw_discover(struct cli_opts *o)
{
	struct rec **recs;
	struct fw_list l;
	int rc;

	if ((rc = fw_load(&l)) != ISCSI_OK)
		return fw_report(rc);
	if ((rc = fw_recs(o, &l, &recs)) != ISCSI_OK) {
		fw_list_free(&l);
		return cli_report(rc);
	}
	if (!(o->ops & CLI_OP_NONPERSISTENT) && (rc = fw_store(recs, l.n)) != ISCSI_OK)
		cli_report(rc);
	for (size_t i = 0; rc == ISCSI_OK && i < l.n; i++) {
		char portal[CLI_ADDR_MAX + 16];

		cli_out_portal(portal, sizeof(portal), rec_get(recs[i], "node.conn[0].address"),
		    (int)rec_get_int(recs[i], "node.conn[0].port", 3260));
		printf("%s,1 %s\n", portal, rec_get(recs[i], "node.name"));
	}
	fflush(stdout);
	if (rc == ISCSI_OK && o->login)
		rc = node_login_recs(recs, l.n, o->no_wait);
	fw_recs_free(recs, l.n);
	fw_list_free(&l);
	return rc;
}
