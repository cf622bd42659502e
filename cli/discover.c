// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Network discovery for iscsiadm (-m discovery -t st, -m discoverydb -D):
 * run the discovery plugin once per iface, print "ip:port,tpgt target" per
 * portal, then apply -o new/delete/update to the node database as the
 * reference does (§7.2), except that rediscovery keeps what a user changed
 * on existing records.  Needs neither iscsid nor kernel modules.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/discovery.h>
#include <iscsi/errors.h>
#include "cli.h"
#include "db.h"
#include "err.h"
#include "iname.h"
#include "log.h"
#include "names.h"
#include "paths.h"
#include "plugin.h"
#include "rec.h"
#include "text_session.h"

struct disc_portal {
	char		*name;
	char		 addr[DB_ADDR_MAX];
	int		 port;
	int		 tpgt;
};

/* One discovery run over one iface. */
struct disc_run {
	struct cli_opts		*o;
	const struct rec	*disc;
	const char		*iface;
	struct disc_portal	*v;
	size_t			 n, cap;
	struct rec		*tmpl;		/* defaults + iscsid.conf + iface, made once */
};

static void
disc_run_clear(struct disc_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
	rec_free(r->tmpl);
	r->tmpl = NULL;
}

/* The plugin validated already; names become paths, so check again here. */
static int
disc_sink(void *arg, const struct iscsi_disc_target *t)
{
	struct disc_run *r = arg;
	struct disc_portal *p;

	if (names_check_iscsi(t->dt_name) != ISCSI_OK ||
	    names_check_address(t->dt_address) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "discovery returned an unusable target or portal");
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct disc_portal *v = realloc(r->v, cap * sizeof(*v));

		if (v == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory for discovered portals");
		r->v = v;
		r->cap = cap;
	}
	p = &r->v[r->n];
	if ((p->name = strdup(t->dt_name)) == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for discovered portals");
	snprintf(p->addr, sizeof(p->addr), "%s", t->dt_address);
	p->port = t->dt_port;
	p->tpgt = t->dt_tpgt;
	r->n++;
	return ISCSI_OK;
}

static void
disc_print(const struct disc_run *r)
{
	char portal[DB_ADDR_MAX + 16];
	size_t i;

	for (i = 0; i < r->n; i++) {
		cli_out_portal(portal, sizeof(portal), r->v[i].addr, r->v[i].port);
		if (r->o->print_level == 1) {
			/* the node tree, target line once per run of the same target */
			if (i == 0 || strcmp(r->v[i - 1].name, r->v[i].name) != 0)
				printf("Target: %s\n", r->v[i].name);
			printf("\tPortal: %s,%d\n\t\tIface Name: %s\n", portal, r->v[i].tpgt,
			    r->iface);
			continue;
		}
		/* tpgt -1 prints unsigned, as the reference's node listing does */
		printf("%s,%u %s\n", portal, (unsigned)r->v[i].tpgt, r->v[i].name);
	}
}

/* The initiator name: the iface's own, else initiatorname.iscsi. */
static int
disc_initiator(const struct rec *iface, char *name, size_t len, char *alias, size_t alen)
{
	const char *v = rec_get(iface, "iface.initiatorname");
	char path[4096];

	alias[0] = '\0';
	if (v != NULL && *v != '\0') {
		snprintf(name, len, "%s", v);
		return ISCSI_OK;
	}
	snprintf(path, sizeof(path), "%s/initiatorname.iscsi", paths_confdir());
	if (iname_read(path, name, len, alias, alen) != ISCSI_OK || name[0] == '\0')
		return err_set(ISCSI_ERR_INVAL, "Cannot perform discovery. Initiatorname required.");
	return ISCSI_OK;
}

static int
disc_run_iface(struct disc_run *r, const struct plugin_handle *h, const struct rec *iface)
{
	const struct iscsi_discovery_ops *ops = plugin_discovery_ops(h);
	struct iscsi_settings rs, is;
	struct iscsi_disc_request req;
	char iname[256], alias[256];
	int rc;

	if ((rc = disc_initiator(iface, iname, sizeof(iname), alias, sizeof(alias))) != ISCSI_OK)
		return rc;
	rec_settings(r->disc, &rs);
	rec_settings(iface, &is);
	memset(&req, 0, sizeof(req));
	req.dr_size = sizeof(req);
	req.dr_address = rec_get(r->disc, "discovery.sendtargets.address");
	req.dr_port = (uint16_t)rec_get_int(r->disc, "discovery.sendtargets.port", 3260);
	req.dr_record = &rs;
	req.dr_iface = &is;
	req.dr_initiator_name = iname;
	req.dr_initiator_alias = alias[0] != '\0' ? alias : NULL;
	return ops->do_discover(plugin_api(h), plugin_priv(h), &req, disc_sink, r);
}

/* -I as given, else every stored tcp iface, else "default" (reference §4.5). */
static int
disc_ifaces(struct cli_opts *o, char ***names, size_t *n)
{
	char **all = NULL, **out;
	size_t nall = 0, i, k = 0;
	int rc;

	if (o->nifaces == 0 && (rc = db_iface_list(&all, &nall)) != ISCSI_OK)
		return rc;
	out = calloc((size_t)o->nifaces + nall + 1, sizeof(*out));
	if (out == NULL) {
		db_names_free(all, nall);
		return err_set(ISCSI_ERR_NOMEM, "no memory for iface names");
	}
	for (i = 0; i < (size_t)o->nifaces; i++)
		out[k++] = strdup(o->ifaces[i]);
	for (i = 0; i < nall; i++) {
		struct rec *ifr = NULL;

		if (db_iface_load(all[i], &ifr) == ISCSI_OK &&
		    rec_get(ifr, "iface.transport_name") != NULL &&
		    strcmp(rec_get(ifr, "iface.transport_name"), "tcp") == 0)
			out[k++] = strdup(all[i]);
		rec_free(ifr);
	}
	if (k == 0)
		out[k++] = strdup("default");
	db_names_free(all, nall);
	*names = out;
	*n = k;
	return ISCSI_OK;
}


/* Reference messages: the detail, then what failed with the fixed text. */
static int
disc_fail(int rc)
{
	const char *d = err_detail(rc);

	if (d != NULL && *d != '\0')
		log_warnx("%s", d);
	if (rc != ISCSI_ERR_NO_OBJS_FOUND)
		log_warnx("Could not perform SendTargets discovery: %s", iscsi_strerror(rc));
	err_clear();
	return rc;
}

static int
disc_portal_cmp(const void *a, const void *b)
{
	const struct disc_portal *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0 || (c = strcmp(x->addr, y->addr)) != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->tpgt < y->tpgt ? -1 : x->tpgt > y->tpgt;
}

static int
disc_set_keys(struct rec *node, const struct disc_run *r, const struct disc_portal *p)
{
	char port[16], tpgt[16], dport[16];
	int rc = ISCSI_OK;

	snprintf(port, sizeof(port), "%d", p->port);
	snprintf(tpgt, sizeof(tpgt), "%d", p->tpgt);
	snprintf(dport, sizeof(dport), "%ld",
	    rec_get_int(r->disc, "discovery.sendtargets.port", 3260));
	const char *kv[][2] = {
		{ "node.name", p->name },
		{ "node.tpgt", tpgt },
		{ "node.conn[0].address", p->addr },
		{ "node.conn[0].port", port },
		{ "node.discovery_address", rec_get(r->disc, "discovery.sendtargets.address") },
		{ "node.discovery_port", dport },
		{ "node.discovery_type",
		  rec_kind(r->disc) == REC_DISC_ISNS ? "isns" : "send_targets" },
	};
	for (size_t i = 0; rc == ISCSI_OK && i < sizeof(kv) / sizeof(kv[0]); i++)
		rc = rec_set(node, kv[i][0], kv[i][1]);
	return rc;
}

/*
 * new: create missing records from defaults + iscsid.conf; update: keep the
 * user's settings on existing ones and only refresh where they came from
 * (docs/compat.md: the reference rewrites them from defaults).
 */
static int
disc_db_store(struct disc_run *r, const struct rec *iface, const struct disc_portal *p,
    unsigned ops)
{
	struct db_node_id id;
	struct rec *node = NULL;
	bool exists, fresh;
	int rc;

	memset(&id, 0, sizeof(id));
	snprintf(id.target, sizeof(id.target), "%s", p->name);
	snprintf(id.address, sizeof(id.address), "%s", p->addr);
	snprintf(id.iface, sizeof(id.iface), "%s", r->iface);
	id.port = p->port;
	id.tpgt = p->tpgt;
	/* a target whose directory we just made has no record of any kind */
	fresh = p->tpgt >= 0 && (ops & CLI_OP_NEW) && db_node_target_new(p->name) == 1;
	exists = !fresh && db_node_exists(&id) && db_node_load(&id, &node) == ISCSI_OK;
	if (exists ? !(ops & CLI_OP_UPDATE) : !(ops & CLI_OP_NEW)) {
		rec_free(node);
		return ISCSI_OK;
	}
	if (!exists) {
		/* iscsid.conf applied once per answer, not per record (10k: 0.1 s) */
		if (r->tmpl == NULL && (r->tmpl = rec_new(REC_NODE)) != NULL) {
			rec_apply_conf(r->tmpl, NULL);
			rec_node_set_iface(r->tmpl, iface);
		}
		if (r->tmpl == NULL || (node = rec_dup(r->tmpl)) == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory for a node record");
	}
	/* db_node_store() also makes the send_targets/ (or isns/) link */
	rc = disc_set_keys(node, r, p);
	if (rc == ISCSI_OK)
		rc = fresh ? db_node_create(node) : db_node_store(node);
	rec_free(node);
	return rc;
}

/* delete: records this discovery address made earlier for this iface and
 * that it no longer returns. */
static int
disc_db_prune(const struct disc_run *r, const struct disc_portal *sorted)
{
	struct db_disc_id did;
	struct db_node_id *ids = NULL;
	struct disc_portal key;
	size_t n = 0, i;
	int rc;

	memset(&did, 0, sizeof(did));
	did.kind = rec_kind(r->disc);
	snprintf(did.address, sizeof(did.address), "%s",
	    rec_get(r->disc, "discovery.sendtargets.address"));
	did.port = (int)rec_get_int(r->disc, "discovery.sendtargets.port", 3260);
	if ((rc = db_disc_nodes(&did, &ids, &n)) != ISCSI_OK)
		return rc == ISCSI_ERR_NO_OBJS_FOUND ? ISCSI_OK : rc;
	for (i = 0; i < n && rc == ISCSI_OK; i++) {
		if (strcmp(ids[i].iface, r->iface) != 0)
			continue;
		key.name = ids[i].target;
		snprintf(key.addr, sizeof(key.addr), "%s", ids[i].address);
		key.port = ids[i].port;
		key.tpgt = ids[i].tpgt;
		if (bsearch(&key, sorted, r->n, sizeof(*sorted), disc_portal_cmp) == NULL)
			rc = db_node_delete(&ids[i]);
	}
	free(ids);
	return rc;
}

static int
disc_db_apply(struct disc_run *r, const struct rec *iface)
{
	unsigned ops = r->o->ops & (CLI_OP_NEW | CLI_OP_DELETE | CLI_OP_UPDATE);
	struct disc_portal *sorted;
	size_t i;
	int rc;

	if (ops == 0)
		ops = CLI_OP_NEW | CLI_OP_DELETE | CLI_OP_UPDATE;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	/* one syncfs for the whole answer instead of two fsyncs per record */
	db_batch_begin();
	for (i = 0; rc == ISCSI_OK && i < r->n; i++)
		rc = disc_db_store(r, iface, &r->v[i], ops);
	if (rc == ISCSI_OK)
		rc = db_batch_end(true);
	else
		db_batch_end(false);
	if (rc == ISCSI_OK && (ops & CLI_OP_DELETE)) {
		sorted = malloc((r->n ? r->n : 1) * sizeof(*sorted));
		if (sorted == NULL) {
			rc = err_set(ISCSI_ERR_NOMEM, "no memory for discovered portals");
		} else {
			memcpy(sorted, r->v, r->n * sizeof(*sorted));
			qsort(sorted, r->n, sizeof(*sorted), disc_portal_cmp);
			rc = disc_db_prune(r, sorted);
			free(sorted);
		}
	}
	db_unlock();
	return rc;
}

int
cli_discover(struct cli_opts *o, struct rec *disc)
{
	const struct plugin_handle *h;
	struct disc_run r;
	char **ifnames = NULL;
	size_t nif = 0, i;
	int rc, first = ISCSI_OK;

	if (disc == NULL)
		return err_set(ISCSI_ERR_OP_NOT_SUPP, "firmware discovery is not available in this build");
	text_session_register();
	rc = plugin_find_discovery_by_type(rec_kind(disc) == REC_DISC_ISNS ? "isns" : "st", &h);
	if (rc != ISCSI_OK)
		return rc;
	if ((rc = disc_ifaces(o, &ifnames, &nif)) != ISCSI_OK)
		return rc;
	for (i = 0; i < nif; i++) {
		struct rec *iface = NULL;

		memset(&r, 0, sizeof(r));
		r.o = o;
		r.disc = disc;
		r.iface = ifnames[i];
		rc = db_iface_load(ifnames[i], &iface);
		if (rc == ISCSI_OK)
			rc = disc_run_iface(&r, h, iface);
		if (rc == ISCSI_OK && !(o->ops & CLI_OP_NONPERSISTENT))
			rc = disc_db_apply(&r, iface);
		if (rc == ISCSI_OK)
			disc_print(&r);
		else if (first == ISCSI_OK)
			first = disc_fail(rc);
		disc_run_clear(&r);
		rec_free(iface);
	}
	for (i = 0; i < nif; i++)
		free(ifnames[i]);
	free(ifnames);
	return first;
}
