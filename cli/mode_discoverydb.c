// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m discoverydb: SendTargets and iSNS discovery records (new,
 * update, delete, show) and, with -D, discovery using the stored record.
 * The listing without -t is shared with -m discovery (disc_list).  The
 * network part is cli_discover() in cli/discover.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "rec.h"
#include "disc.h"

int
disc_id_from_opts(struct cli_opts *o, enum rec_kind kind, struct db_disc_id *id)
{
	const struct cli_portal *p = cli_portal(o, kind == REC_DISC_ISNS ? 3205 : 3260);

	if (p == NULL) {
		log_warnx("Please specify portal as <ipaddr>[:<ipport>]");
		return ISCSI_ERR_INVAL;
	}
	memset(id, 0, sizeof(*id));
	id->kind = kind;
	snprintf(id->address, sizeof(id->address), "%s", p->address);
	id->port = p->port;
	return ISCSI_OK;
}

int
disc_show(const struct cli_opts *o, const struct rec *r)
{
	return rec_format(r, REC_FMT_SHOW | (o->show_secrets ? REC_FMT_SECRETS : 0), stdout);
}

static int
discdb_load(const struct db_disc_id *id, struct rec **r)
{
	int rc = db_disc_load(id, r);

	if (rc == ISCSI_ERR_NO_OBJS_FOUND) {
		err_clear();
		log_warnx("Discovery record [%s,%d] not found.", id->address, id->port);
		return ISCSI_ERR_IDBM;
	}
	return rc;
}

static int
discdb_new(const struct db_disc_id *id)
{
	struct rec *r = db_disc_new(id);
	int rc;

	if (r == NULL)
		return ISCSI_ERR_NOMEM;
	if ((rc = db_disc_store(r)) == ISCSI_OK)
		printf("New discovery record for [%s,%d] added.\n", id->address, id->port);
	rec_free(r);
	return rc;
}

static int
discdb_update(const struct cli_opts *o, const struct db_disc_id *id)
{
	struct rec *r;
	int rc;

	if (o->nnamevals == 0) {
		log_warnx("Update requires name and value.");
		return ISCSI_ERR_INVAL;
	}
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if ((rc = discdb_load(id, &r)) == ISCSI_OK) {
		for (int i = 0; i < o->nnamevals && rc == ISCSI_OK; i++)
			rc = rec_update(r, o->namevals[i].name, o->namevals[i].value);
		if (rc == ISCSI_OK)
			rc = db_disc_store(r);
		rec_free(r);
	}
	db_unlock();
	return rc;
}

static int
discdb_delete(const struct db_disc_id *id)
{
	struct rec *r;
	int rc;

	if ((rc = discdb_load(id, &r)) != ISCSI_OK)
		return rc;
	rec_free(r);
	return db_disc_delete(id);
}

/* -D: discover with the stored record, creating it with defaults if absent. */
static int
discdb_discover(struct cli_opts *o, const struct db_disc_id *id)
{
	struct rec *r;
	int rc = db_disc_load(id, &r);

	if (rc == ISCSI_ERR_NO_OBJS_FOUND) {
		err_clear();
		if ((r = db_disc_new(id)) == NULL)
			return ISCSI_ERR_NOMEM;
		if (!(o->ops & CLI_OP_NONPERSISTENT) && (rc = db_disc_store(r)) != ISCSI_OK) {
			rec_free(r);
			return rc;
		}
		rc = ISCSI_OK;
	}
	if (rc != ISCSI_OK)
		return rc;
	rc = cli_discover(o, r);
	rec_free(r);
	return rc;
}

int
mode_discoverydb_run(struct cli_opts *o)
{
	struct db_disc_id id;
	struct rec *r;
	enum rec_kind kind;
	int rc;

	if (o->type == CLI_DISC_NONE) {
		if (o->have_portal) {
			log_warnx("Invalid command. Portal not needed or Possibly missing discovery --type.");
			return ISCSI_ERR_INVAL;
		}
		return disc_list(o);
	}
	if (o->type == CLI_DISC_FW) {
		if (!o->discover) {
			log_warnx("Invalid command. Possibly missing --discover argument.");
			return ISCSI_ERR_INVAL;
		}
		return cli_discover(o, NULL);
	}
	kind = o->type == CLI_DISC_ISNS ? REC_DISC_ISNS : REC_DISC_ST;
	if ((rc = disc_id_from_opts(o, kind, &id)) != ISCSI_OK)
		return rc;
	if (o->discover)
		return discdb_discover(o, &id);
	/* without -D the reference acts on the first of new, update, delete, show */
	if (o->ops & CLI_OP_NEW)
		return discdb_new(&id);
	if (o->ops & CLI_OP_UPDATE)
		return discdb_update(o, &id);
	if (o->ops & CLI_OP_DELETE)
		return discdb_delete(&id);
	if ((rc = discdb_load(&id, &r)) != ISCSI_OK)
		return rc;
	rc = disc_show(o, r);
	rec_free(r);
	return rc;
}
