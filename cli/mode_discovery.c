// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m discovery: listing of discovery records (-P 0 / -P 1),
 * showing or deleting one record by portal, and discovery with -t, which
 * first (re)writes the record from iscsid.conf defaults as the reference
 * does and then calls cli_discover().
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "disc.h"
#include "err.h"
#include "log.h"
#include "rec.h"

static const char *const disc_type_word[REC_KIND_MAX] = {
	[REC_DISC_ST] = "sendtargets",
	[REC_DISC_ISNS] = "isns",
};

/* Target/Portal/Iface Name tree of @ids, as -m node -P 1 prints it. */
static void
disc_node_tree(struct db_node_id *ids, size_t n)
{
	char portal[CLI_ADDR_MAX + 16];
	const struct db_node_id *last = NULL;

	qsort(ids, n, sizeof(*ids), db_node_id_cmp);
	for (size_t i = 0; i < n; i++) {
		bool new_target = last == NULL || strcmp(last->target, ids[i].target) != 0;

		if (new_target)
			printf("Target: %s\n", ids[i].target);
		cli_out_portal(portal, sizeof(portal), ids[i].address, ids[i].port);
		if (new_target || strcmp(last->address, ids[i].address) != 0 ||
		    last->port != ids[i].port || last->tpgt != ids[i].tpgt)
			printf("\tPortal: %s,%d\n", portal, ids[i].tpgt);
		printf("\t\tIface Name: %s\n", ids[i].iface);
		last = &ids[i];
	}
}

/* Where each node record came from, read once for the -P 1 tree. */
struct disc_origin {
	struct db_node_id	id;
	char			type[32];
	char			address[DB_ADDR_MAX];
	int			port;
};

static struct disc_origin *
disc_origins(size_t *n)
{
	struct db_node_filter f = DB_NODE_FILTER_ALL;
	struct db_node_id *ids;
	struct disc_origin *o;
	struct rec *r;

	*n = 0;
	if (db_node_list(&f, &ids, n) != ISCSI_OK || (o = calloc(*n + 1, sizeof(*o))) == NULL) {
		err_clear();
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		o[i].id = ids[i];
		if (db_node_load(&o[i].id, &r) != ISCSI_OK) {
			err_clear();
			continue;
		}
		snprintf(o[i].type, sizeof(o[i].type), "%s", rec_get(r, "node.discovery_type"));
		snprintf(o[i].address, sizeof(o[i].address), "%s", rec_get(r, "node.discovery_address"));
		o[i].port = (int)rec_get_int(r, "node.discovery_port", 0);
		rec_free(r);
	}
	free(ids);
	return o;
}

/* The nodes of @type (and, when @addr is set, of that discovery portal). */
static bool
disc_tree_of(const struct disc_origin *o, size_t n, const char *type, const char *addr, int port)
{
	struct db_node_id *sel = calloc(n + 1, sizeof(*sel));
	size_t k = 0;

	if (sel == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].type, type) == 0 && (addr == NULL ||
		    (strcmp(o[i].address, addr) == 0 && o[i].port == port)))
			sel[k++] = o[i].id;
	disc_node_tree(sel, k);
	free(sel);
	return k > 0;
}

static void
disc_section(const char *title, const struct db_disc_id *ids, size_t n, enum rec_kind kind,
	     const struct disc_origin *o, size_t no)
{
	size_t shown = 0;

	printf("%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		if (ids[i].kind != kind)
			continue;
		shown++;
		printf("DiscoveryAddress: %s,%d\n", ids[i].address, ids[i].port);
		disc_tree_of(o, no, kind == REC_DISC_ISNS ? "isns" : "send_targets",
		    ids[i].address, ids[i].port);
	}
	if (shown == 0)
		printf("No targets found.\n");
}

static void
disc_typed_section(const char *title, const char *type, const struct disc_origin *o, size_t no)
{
	printf("%s:\n", title);
	if (!disc_tree_of(o, no, type, NULL, 0))
		printf("No targets found.\n");
}

int
disc_list(const struct cli_opts *o)
{
	struct db_disc_id *ids;
	size_t n;
	int rc;

	if ((rc = db_disc_list(&ids, &n)) != ISCSI_OK)
		return rc;
	if (o->print_level > 0) {
		size_t no;
		struct disc_origin *org = disc_origins(&no);

		disc_section("SENDTARGETS", ids, n, REC_DISC_ST, org, no);
		disc_section("iSNS", ids, n, REC_DISC_ISNS, org, no);
		disc_typed_section("STATIC", "static", org, no);
		disc_typed_section("FIRMWARE", "fw", org, no);
		free(org);
		free(ids);
		return n == 0 ? ISCSI_ERR_NO_OBJS_FOUND : ISCSI_OK;
	}
	for (size_t i = 0; i < n; i++)
		printf("%s:%d via %s\n", ids[i].address, ids[i].port, disc_type_word[ids[i].kind]);
	free(ids);
	return n == 0 ? ISCSI_ERR_NO_OBJS_FOUND : ISCSI_OK;	/* silently, as the reference */
}

/* -p without -t: the SendTargets record of that portal, else the iSNS one. */
static int
disc_by_portal(struct cli_opts *o)
{
	static const enum rec_kind kinds[] = { REC_DISC_ST, REC_DISC_ISNS };
	struct db_disc_id id;
	struct rec *r = NULL;
	int rc = ISCSI_ERR_NO_OBJS_FOUND;

	for (size_t i = 0; i < 2 && rc == ISCSI_ERR_NO_OBJS_FOUND; i++) {
		if ((rc = disc_id_from_opts(o, kinds[i], &id)) != ISCSI_OK)
			return rc;
		rc = db_disc_load(&id, &r);
	}
	if (rc == ISCSI_ERR_NO_OBJS_FOUND) {
		err_clear();
		log_warnx("Discovery record [%s,%d] not found!", id.address, id.port);
		return ISCSI_ERR_INVAL;
	}
	if (rc != ISCSI_OK)
		return rc;
	if (o->ops & (CLI_OP_NEW | CLI_OP_UPDATE)) {
		log_warnx("Operations new and update for discovery mode is not supported. Use discoverydb mode.");
		rc = ISCSI_ERR_INVAL;
	} else if (o->ops & CLI_OP_DELETE) {
		rc = db_disc_delete(&id);
	} else {
		rc = disc_show(o, r);
	}
	rec_free(r);
	return rc;
}

/* -t st|isns -p: rewrite the record from defaults (unless nonpersistent), then discover. */
static int
disc_run(struct cli_opts *o)
{
	enum rec_kind kind = o->type == CLI_DISC_ISNS ? REC_DISC_ISNS : REC_DISC_ST;
	struct db_disc_id id;
	struct rec *r;
	int rc;

	if (o->type == CLI_DISC_FW)
		return cli_discover(o, NULL);
	if ((rc = disc_id_from_opts(o, kind, &id)) != ISCSI_OK)
		return rc;
	if ((r = db_disc_new(&id)) == NULL)
		return ISCSI_ERR_NOMEM;
	if (!(o->ops & CLI_OP_NONPERSISTENT))
		rc = db_disc_store(r);
	if (rc == ISCSI_OK)
		rc = cli_discover(o, r);
	rec_free(r);
	return rc;
}

int
mode_discovery_run(struct cli_opts *o)
{
	if (o->type != CLI_DISC_NONE)
		return disc_run(o);
	if (o->have_portal)
		return disc_by_portal(o);
	return disc_list(o);
}
