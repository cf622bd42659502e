// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m node without a daemon: list (-P 0/1), show, new, update,
 * delete of node records, with open-iscsi 2.1.8's messages and exit
 * codes.  Login and logout need iscsid and are refused here until the
 * daemon area provides them.  Record contents are core/rec.c's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "rec.h"

#define NODE_DEFPORT 3260

struct node_ctx {
	struct cli_opts		*o;
	struct db_node_filter	 f;
	const char		*iface;		/* -I (the first one) */
	int			 first_err;
};

static void
node_filter(struct node_ctx *c)
{
	const struct cli_portal *p = cli_portal(c->o, NODE_DEFPORT);

	c->f.target = c->o->target;
	c->f.address = p != NULL ? p->address : NULL;
	c->f.port = p != NULL ? p->port : -1;
	c->f.tpgt = -1;		/* the reference never matches on the tag */
	c->f.iface = c->iface;
}

/* "127.0.0.1:3260,1 iqn..." and the -P 1 tree; tpgt -1 prints unsigned in the flat list. */
static int
node_list(const struct node_ctx *c, int level)
{
	struct db_node_id *ids;
	size_t n;
	char portal[CLI_ADDR_MAX + 16];
	const char *last = NULL;
	int rc;

	if ((rc = db_node_list(&c->f, &ids, &n)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		cli_out_portal(portal, sizeof(portal), ids[i].address, ids[i].port);
		if (level == 0) {
			printf("%s,%u %s\n", portal, (unsigned)ids[i].tpgt, ids[i].target);
			continue;
		}
		if (last == NULL || strcmp(last, ids[i].target) != 0)
			printf("Target: %s\n", ids[i].target);
		last = ids[i].target;
		printf("\tPortal: %s,%d\n\t\tIface Name: %s\n", portal, ids[i].tpgt, ids[i].iface);
	}
	free(ids);
	return n == 0 ? cli_out_no_records() : ISCSI_OK;
}

static int
node_show(const struct node_ctx *c)
{
	unsigned fmt = REC_FMT_SHOW | (c->o->show_secrets ? REC_FMT_SECRETS : 0);
	struct db_node_id *ids;
	struct rec *r;
	size_t n;
	int rc, first = ISCSI_OK;

	if ((rc = db_node_list(&c->f, &ids, &n)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = db_node_load(&ids[i], &r)) != ISCSI_OK) {
			cli_report(rc);
			if (first == ISCSI_OK)
				first = rc;
			continue;
		}
		rec_format(r, fmt, stdout);
		rec_free(r);
	}
	free(ids);
	if (n == 0)
		return cli_out_no_records();
	return first;
}

/* A fresh record with iscsid.conf defaults, bound to @iface. */
static int
node_build(const char *target, const char *address, int port, int tpgt,
	   const struct rec *iface, struct rec **out)
{
	struct rec *r = rec_new(REC_NODE);
	char num[16];
	int rc;

	if (r == NULL)
		return ISCSI_ERR_NOMEM;
	rec_apply_conf(r, NULL);
	rec_node_set_iface(r, iface);
	snprintf(num, sizeof(num), "%d", tpgt);
	if ((rc = rec_set(r, "node.name", target)) == ISCSI_OK &&
	    (rc = rec_set(r, "node.tpgt", num)) == ISCSI_OK &&
	    (rc = rec_set(r, "node.conn[0].address", address)) == ISCSI_OK) {
		snprintf(num, sizeof(num), "%d", port);
		rc = rec_set(r, "node.conn[0].port", num);
	}
	if (rc == ISCSI_OK)
		rc = rec_set(r, "node.discovery_type", "static");
	if (rc != ISCSI_OK) {
		rec_free(r);
		return rc;
	}
	*out = r;
	return ISCSI_OK;
}

static int
node_add_one(const char *target, const char *address, int port, int tpgt, const char *ifname)
{
	struct rec *iface, *r;
	int rc;

	if ((rc = db_iface_load(ifname, &iface)) != ISCSI_OK)
		return rc;
	rc = node_build(target, address, port, tpgt, iface, &r);
	if (rc == ISCSI_OK) {
		if ((rc = db_node_store(r)) == ISCSI_OK)
			printf("New iSCSI node [%s:[hw=%s,ip=%s,net_if=%s,iscsi_if=%s] %s,%d,%d %s] added\n",
			    rec_get(iface, "iface.transport_name"), rec_get(iface, "iface.hwaddress"),
			    rec_get(iface, "iface.ipaddress"), rec_get(iface, "iface.net_ifacename"),
			    ifname, address, port, tpgt, target);
		rec_free(r);
	}
	rec_free(iface);
	return rc;
}

/* Same target and portal (the iface does not matter). */
static bool
node_same_portal(const struct db_node_id *a, const struct db_node_id *b)
{
	return strcmp(a->target, b->target) == 0 && strcmp(a->address, b->address) == 0 &&
	    a->port == b->port && a->tpgt == b->tpgt;
}

/*
 * -o new.  With -T and -p: one record (an existing one is overwritten with
 * defaults, as the reference does).  Without -p: a record on the -I iface
 * ("default") for every stored portal of the target (or of every target),
 * in listing order where the reference uses directory order.
 */
static int
node_new(struct node_ctx *c)
{
	const struct cli_portal *p = cli_portal(c->o, NODE_DEFPORT);
	const char *ifname = c->iface != NULL ? c->iface : "default";
	struct db_node_id *ids;
	size_t n;
	int rc, first = ISCSI_OK;

	if (c->o->target != NULL && p != NULL) {
		rc = node_add_one(c->o->target, p->address, p->port, p->tpgt, ifname);
		if (rc != ISCSI_OK && err_detail(rc) == NULL)
			log_warnx("Error while adding record: %s", iscsi_strerror(rc));
		return rc;
	}
	if (p != NULL) {
		log_warnx("Error while adding record: ");
		return ISCSI_OK;
	}
	if ((rc = db_node_list(&c->f, &ids, &n)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && node_same_portal(&ids[i - 1], &ids[i]))
			continue;
		rc = node_add_one(ids[i].target, ids[i].address, ids[i].port, ids[i].tpgt, ifname);
		if (rc != ISCSI_OK && first == ISCSI_OK)
			first = cli_report(rc);
	}
	free(ids);
	return first;
}

/* iface.* keys belong to iface mode; the reference refuses them before touching records. */
static int
node_update_precheck(const struct cli_opts *o)
{
	if (o->nnamevals == 0) {
		log_warnx("update requires name and value");
		return ISCSI_ERR_INVAL;
	}
	for (int i = 0; i < o->nnamevals; i++) {
		const char *k = o->namevals[i].name;

		if (strncmp(k, "iface.", 6) == 0 && strcmp(k, "iface.transport_name") != 0) {
			log_warnx("Cannot modify %s. Use iface mode to update this value.", k);
			return ISCSI_ERR_INVAL;
		}
	}
	return ISCSI_OK;
}

/*
 * rec_update() @key and tell whether its value really changed: records
 * whose values are all unchanged are not rewritten (re-applying a setting
 * to thousands of records then costs reads only).
 */
static int
node_update_key(struct rec *node, const char *key, const char *value, bool *same)
{
	const char *cur = rec_get(node, key), *now;
	char *old = cur != NULL ? strdup(cur) : NULL;
	int rc = rec_update(node, key, value);

	if (rc == ISCSI_OK) {
		now = rec_get(node, key);
		if (old == NULL || now == NULL || strcmp(old, now) != 0)
			*same = false;
	}
	free(old);
	return rc;
}

static int
node_update_one(struct rec *node, const struct db_node_id *id, bool *changed, void *arg)
{
	struct node_ctx *c = arg;
	const struct rec_key *k;
	bool same = true;
	int rc;

	(void)id;
	for (int i = 0; i < c->o->nnamevals; i++) {
		const struct cli_nameval *nv = &c->o->namevals[i];

		if ((rc = node_update_key(node, nv->name, nv->value, &same)) == ISCSI_OK)
			continue;
		cli_report(rc);
		k = rec_key_find(REC_NODE, nv->name);
		if (k != NULL && !(k->flags & REC_F_RO))
			log_warnx("Unknown parameter %s.", nv->name);
		if (c->first_err == ISCSI_OK)
			c->first_err = rc;
		*changed = false;
		return ISCSI_OK;	/* the reference goes on with the other records */
	}
	*changed = !same;
	return ISCSI_OK;
}

static int
node_update(struct node_ctx *c)
{
	int rc;

	if ((rc = node_update_precheck(c->o)) != ISCSI_OK)
		return rc;
	rc = db_node_update_each(&c->f, node_update_one, c);
	if (rc == ISCSI_ERR_NO_OBJS_FOUND)
		return cli_out_no_records();
	if (rc == ISCSI_OK)
		rc = c->first_err;
	if (rc != ISCSI_OK) {
		cli_report(rc);
		log_warnx("Could not execute operation on all records: %s", iscsi_strerror(rc));
	}
	return rc;
}

static int
node_delete(const struct node_ctx *c)
{
	size_t n = 0;
	int rc = db_node_delete_each(&c->f, &n);

	if (rc == ISCSI_ERR_NO_OBJS_FOUND || (rc == ISCSI_OK && n == 0))
		return cli_out_no_records();
	return rc;
}

/* -I: node mode takes one; the reference names it with a garbled line. */
static int
node_pick_iface(struct node_ctx *c)
{
	struct rec *r;

	if (c->o->nifaces == 0)
		return ISCSI_OK;
	if (c->o->nifaces > 1)
		log_warnx("NODE mode only accepts one interface. Using the first one driver  hwaddress  ipaddress .");
	c->iface = c->o->ifaces[0];
	if (db_iface_load(c->iface, &r) != ISCSI_OK) {
		err_clear();
		log_warnx("Could not read iface info for %s.", c->iface);
		return ISCSI_ERR_NOMEM;		/* sic: 2.1.8 exits 3 here */
	}
	rec_free(r);
	return ISCSI_OK;
}

int
mode_node_run(struct cli_opts *o)
{
	struct node_ctx c = { .o = o };
	bool filtered;
	int rc;

	if (o->print_level > 1 || o->print_level < -1) {
		log_warnx("Invalid info level %d. Try 0 or 1.", o->print_level);
		return ISCSI_ERR_INVAL;
	}
	if ((rc = node_pick_iface(&c)) != ISCSI_OK)
		return rc;
	node_filter(&c);
	if (o->login || o->logout || o->login_all || o->logout_all || o->rescan)
		return node_login_dispatch(o, &c.f);	/* cli/node_login.c */
	if (o->rescan || o->stats)
		return err_set(ISCSI_ERR_ISCSID_NOTCONN,
		    "login, logout, rescan and stats need iscsid, which this build does not run yet");
	filtered = o->target != NULL || o->have_portal || c.iface != NULL;
	switch (o->ops) {
	case 0:
		if (!filtered)
			return node_list(&c, o->print_level < 0 ? 0 : o->print_level);
		return node_show(&c);	/* -P is ignored once a record is named */
	case CLI_OP_SHOW:
		return node_show(&c);
	case CLI_OP_NEW:
		return node_new(&c);
	case CLI_OP_UPDATE:
		return node_update(&c);
	case CLI_OP_DELETE:
		return node_delete(&c);
	default:
		log_warnx("operation is not supported.");
		return ISCSI_ERR_INVAL;
	}
}
