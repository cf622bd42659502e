// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m iface: list, show, new, update and delete iface records,
 * with the built-in "default" and "iser" ifaces, in open-iscsi 2.1.8's
 * wording.  Transport-specific checks go through cli_iface_validate();
 * pushing settings to offload hardware (apply, ping) is not done here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "err.h"
#include "log.h"
#include "paths.h"
#include "rec.h"

static const char *
or_empty(const char *s)
{
	return s == NULL || *s == '\0' ? "<empty>" : s;
}

static void
iface_line(const char *name, const struct rec *r)
{
	printf("%s %s,%s,%s,%s,%s\n", name, or_empty(rec_get(r, "iface.transport_name")),
	    or_empty(rec_get(r, "iface.hwaddress")), or_empty(rec_get(r, "iface.ipaddress")),
	    or_empty(rec_get(r, "iface.net_ifacename")),
	    or_empty(rec_get(r, "iface.initiatorname")));
}

/* -P 1: an iface with the node records bound to it. */
static void
iface_tree(const char *name)
{
	struct db_node_filter f = DB_NODE_FILTER_ALL;
	struct db_node_id *ids;
	char portal[CLI_ADDR_MAX + 16];
	const char *last = NULL;
	size_t n;

	f.iface = name;
	if (db_node_list(&f, &ids, &n) != ISCSI_OK || n == 0) {
		err_clear();
		return;
	}
	printf("Iface: %s\n", name);
	for (size_t i = 0; i < n; i++) {
		if (last == NULL || strcmp(last, ids[i].target) != 0)
			printf("\tTarget: %s\n", ids[i].target);
		last = ids[i].target;
		cli_out_portal(portal, sizeof(portal), ids[i].address, ids[i].port);
		printf("\t\tPortal: %s,%d\n", portal, ids[i].tpgt);
	}
	free(ids);
}

/* Stored ifaces in directory order, then the built-ins. */
static int
iface_list(const struct cli_opts *o)
{
	static const char *const builtin[] = { "default", "iser" };
	char **names;
	size_t n;
	struct rec *r;
	int rc;

	if ((rc = db_iface_list(&names, &n)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < n + 2; i++) {
		const char *name = i < n ? names[i] : builtin[i - n];

		if (o->print_level > 0) {
			iface_tree(name);
			continue;
		}
		if (db_iface_load(name, &r) != ISCSI_OK) {
			cli_report(ISCSI_ERR_IDBM);
			continue;
		}
		iface_line(name, r);
		rec_free(r);
	}
	db_names_free(names, n);
	return ISCSI_OK;
}

/* A missing iface is reported in libopeniscsiusr's format (column-80 padding). */
static int
iface_show(const struct cli_opts *o, const char *name)
{
	struct rec *r;
	char msg[512];

	if (db_iface_load(name, &r) != ISCSI_OK) {
		err_clear();
		snprintf(msg, sizeof(msg),
		    "iSCSI ERROR: Failed to open %s/ifaces/%s using read mode: 2 No such file or directory",
		    paths_dbroot(), name);
		fprintf(stderr, "%-80s # idbm.c:_idbm_recs_read():834\n", msg);
		return ISCSI_ERR_IDBM;
	}
	rec_format(r, REC_FMT_SHOW | (o->show_secrets ? REC_FMT_SECRETS : 0), stdout);
	rec_free(r);
	return ISCSI_OK;
}

static int
iface_new(const char *name)
{
	struct rec *r;
	int rc;

	if (db_iface_is_builtin(name)) {
		log_warnx("iface %s is a special interface and is not stored in %s/ifaces.",
		    name, paths_dbroot());
		log_warnx("Could not create new interface %s.", name);
		return ISCSI_ERR_INVAL;
	}
	if ((r = rec_new(REC_IFACE)) == NULL)
		return ISCSI_ERR_NOMEM;
	rc = rec_set(r, "iface.iscsi_ifacename", name);
	if (rc == ISCSI_OK)
		rc = db_iface_store(r);
	rec_free(r);
	if (rc != ISCSI_OK) {
		cli_report(rc);
		log_warnx("Could not create new interface %s.", name);
		return rc;
	}
	printf("%s updated.\nNew interface %s added\n", name, name);
	return ISCSI_OK;
}

/* Deleting an iface deletes the node records bound to it first. */
static int
iface_delete(const char *name)
{
	struct db_node_filter f = DB_NODE_FILTER_ALL;
	struct rec *r;
	int rc;

	if (db_iface_is_builtin(name)) {
		log_warnx("iface %s is a special interface and cannot be deleted.", name);
		log_warnx("Could not delete iface %s: %s", name, iscsi_strerror(ISCSI_ERR_INVAL));
		return ISCSI_ERR_INVAL;
	}
	if (db_iface_load(name, &r) != ISCSI_OK) {
		err_clear();
		log_warnx("Could not read iface info for %s.", name);
		log_warnx("Could not delete iface %s: %s", name, iscsi_strerror(ISCSI_ERR_INVAL));
		return ISCSI_ERR_INVAL;
	}
	rec_free(r);
	f.iface = name;
	rc = db_node_delete_each(&f, NULL);
	if (rc == ISCSI_OK || rc == ISCSI_ERR_NO_OBJS_FOUND)
		rc = db_iface_delete(name);
	if (rc != ISCSI_OK) {
		cli_report(rc);
		log_warnx("Could not delete iface %s: %s", name, iscsi_strerror(rc));
		return rc;
	}
	printf("%s unbound and deleted.\n", name);
	return ISCSI_OK;
}

static bool
bound_by(const struct rec *r, const char *key)
{
	const char *v = rec_get(r, key);

	return v != NULL && *v != '\0' && strcmp(v, "default") != 0;
}

/* The binding style (hwaddress vs net_ifacename) cannot be switched by update. */
static int
iface_check_binding(const struct rec *old, const struct rec *new)
{
	if (bound_by(old, "iface.hwaddress") && bound_by(new, "iface.net_ifacename"))
		return err_set(ISCSI_ERR_INVAL, "Can not update interface binding from hwaddress to net_ifacename. You must delete the interface and create a new one");
	if (bound_by(old, "iface.net_ifacename") && bound_by(new, "iface.hwaddress"))
		return err_set(ISCSI_ERR_INVAL, "Can not update interface binding from net_ifacename to hwaddress. You must delete the interface and create a new one");
	return ISCSI_OK;
}

static int
iface_rebind_node(struct rec *node, const struct db_node_id *id, bool *changed, void *arg)
{
	(void)id;
	rec_node_set_iface(node, arg);
	*changed = true;
	return ISCSI_OK;
}

static int
iface_apply_updates(const struct cli_opts *o, struct rec *r)
{
	int rc;

	for (int i = 0; i < o->nnamevals; i++) {
		const char *k = o->namevals[i].name;

		if (strcmp(k, "iface.iscsi_ifacename") == 0)
			return err_set(ISCSI_ERR_INVAL, "Can not update iface.iscsi_ifacename. It is used to look up the record and cannot be changed.");
		if ((rc = rec_update(r, k, o->namevals[i].value)) != ISCSI_OK)
			return rc;
	}
	return ISCSI_OK;
}

/* Rewrite the iface and every node record bound to it, under one lock. */
static int
iface_update(const struct cli_opts *o, const char *name)
{
	struct db_node_filter f = DB_NODE_FILTER_ALL;
	struct rec *old, *r;
	int rc;

	if (o->nnamevals == 0) {
		log_warnx("Update requires name, value, and iface.");
		return ISCSI_ERR_INVAL;
	}
	if (db_iface_is_builtin(name) || db_iface_load(name, &old) != ISCSI_OK) {
		err_clear();
		log_warnx("Could not read iface info for %s.", name);
		return ISCSI_ERR_INVAL;
	}
	if ((r = rec_dup(old)) == NULL) {
		rec_free(old);
		return ISCSI_ERR_NOMEM;
	}
	if ((rc = iface_apply_updates(o, r)) == ISCSI_OK &&
	    (rc = iface_check_binding(old, r)) == ISCSI_OK &&
	    (rc = cli_iface_validate(r)) == ISCSI_OK &&
	    (rc = db_lock()) == ISCSI_OK) {
		if ((rc = db_iface_store(r)) == ISCSI_OK) {
			f.iface = name;
			rc = db_node_update_each(&f, iface_rebind_node, r);
			if (rc == ISCSI_ERR_NO_OBJS_FOUND)
				rc = ISCSI_OK;
		}
		db_unlock();
	}
	rec_free(old);
	rec_free(r);
	if (rc == ISCSI_OK)
		printf("%s updated.\n", name);
	return rc;
}

/*
 * -o apply pushes offload settings to the HBA.  Software transports have
 * none, so the reference says so and succeeds; offload needs the kernel.
 */
static int
iface_apply(const char *name)
{
	const char *t;
	struct rec *r;
	bool soft;

	if (db_iface_load(name, &r) != ISCSI_OK) {
		err_clear();
		log_warnx("Could not read iface %s (%d).", name, ISCSI_ERR_IDBM);
		return ISCSI_ERR_IDBM;
	}
	t = rec_get(r, "iface.transport_name");
	soft = t == NULL || strcmp(t, "tcp") == 0 || strcmp(t, "iser") == 0;
	rec_free(r);
	if (!soft)
		return err_set(ISCSI_ERR_OP_NOT_SUPP,
		    "applying %s settings to offload hardware is not supported in this build", t);
	log_warnx("Nothing to configure.");
	printf("%s applied.\n", name);
	return ISCSI_OK;
}

/* Without -I: list, or the reference's complaint for operations that need one. */
static int
iface_no_name(const struct cli_opts *o)
{
	static const struct { unsigned op; const char *msg; int rc; } need[] = {
		{ CLI_OP_NEW, "Could not add interface. No interface passed in.",
		  ISCSI_ERR_SYSFS_LOOKUP },	/* sic: 2.1.8 exits 22 (EINVAL) */
		{ CLI_OP_DELETE, "Could not delete interface. No interface passed in.",
		  ISCSI_ERR_INVAL },
		{ CLI_OP_UPDATE, "Update requires name, value, and iface.", ISCSI_ERR_INVAL },
		{ CLI_OP_APPLY, "Apply requires iface.", ISCSI_ERR_INVAL },
	};

	if (o->submode != NULL && o->host == NULL) {
		log_warnx("Ping requires iface.");
		return ISCSI_ERR_INVAL;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (o->ops & need[i].op) {
			log_warnx("%s", need[i].msg);
			return need[i].rc;
		}
	return iface_list(o);
}

int
mode_iface_run(struct cli_opts *o)
{
	const char *name = o->nifaces > 0 ? o->ifaces[0] : NULL;

	if ((o->submode != NULL && name != NULL) || o->host != NULL ||
	    (o->ops & CLI_OP_APPLY_ALL))
		return err_set(ISCSI_ERR_OP_NOT_SUPP,
		    "ping, applyall and host ifaces need offload hardware support, not in this build");
	if (name == NULL)
		return iface_no_name(o);
	switch (o->ops) {
	case 0:
		if (o->print_level > 0) {
			iface_tree(name);
			return ISCSI_OK;
		}
		return iface_show(o, name);
	case CLI_OP_SHOW:
		return iface_show(o, name);
	case CLI_OP_APPLY:
		return iface_apply(name);
	case CLI_OP_NEW:
		return iface_new(name);
	case CLI_OP_DELETE:
		return iface_delete(name);
	case CLI_OP_UPDATE:
		return iface_update(o, name);
	default:
		return ISCSI_ERR_INVAL;		/* several operations: 2.1.8 fails silently */
	}
}
