// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iface records (ifaces/<name>, plus the built-in "default" and "iser"
 * that are never stored) and discovery records
 * (send_targets/<ip>,<port>/st_config, isns/<ip>,<port>/isns_config).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "db_priv.h"
#include "err.h"
#include "log.h"
#include "names.h"
#include "paths.h"

static const struct { const char *name, *transport; } db_builtin[] = {
	{ "default", "tcp" },
	{ "iser", "iser" },
};

bool
db_iface_is_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(db_builtin) / sizeof(db_builtin[0]); i++)
		if (strcmp(name, db_builtin[i].name) == 0)
			return true;
	return false;
}

int
db_iface_load(const char *name, struct rec **out)
{
	char path[DB_PATH_MAX];
	struct rec *r;
	int rc;

	*out = NULL;
	if ((rc = names_check_iface(name)) != ISCSI_OK)
		return rc;
	if ((r = rec_new(REC_IFACE)) == NULL)
		return ISCSI_ERR_NOMEM;
	for (size_t i = 0; i < sizeof(db_builtin) / sizeof(db_builtin[0]); i++) {
		if (strcmp(name, db_builtin[i].name) == 0) {
			rec_set(r, "iface.iscsi_ifacename", name);
			rec_set(r, "iface.transport_name", db_builtin[i].transport);
			*out = r;
			return ISCSI_OK;
		}
	}
	if ((rc = db_path(path, "%s/ifaces/%s", paths_dbroot(), name)) != ISCSI_OK ||
	    (rc = rec_load_file(r, path)) != ISCSI_OK) {
		rec_free(r);
		return rc;
	}
	rec_set(r, "iface.iscsi_ifacename", name);	/* the file name wins */
	*out = r;
	return ISCSI_OK;
}

/* Write @r to @path under the DB lock, creating @dir first. */
static int
db_store_rec(const char *dir, const char *path, const struct rec *r)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if (db_mkdirs(dir) < 0) {
		rc = err_set(ISCSI_ERR_IDBM, "Could not make %s: %s", dir, strerror(errno));
	} else if ((text = rec_to_text(r, &len)) == NULL) {
		rc = ISCSI_ERR_NOMEM;
	} else {
		rc = db_write_atomic(path, text, len);
		free(text);
	}
	db_unlock();
	return rc;
}

int
db_iface_store(const struct rec *iface)
{
	const char *name = rec_get(iface, "iface.iscsi_ifacename");
	char dir[DB_PATH_MAX], path[DB_PATH_MAX];
	int rc;

	if (rec_kind(iface) != REC_IFACE || name == NULL)
		return err_set(ISCSI_ERR_INVAL, "not an iface record");
	if ((rc = names_check_iface(name)) != ISCSI_OK)
		return rc;
	if (db_iface_is_builtin(name))
		return err_set(ISCSI_ERR_INVAL, "iface %s is a special interface and is not stored",
			       name);
	if (db_path(dir, "%s/ifaces", paths_dbroot()) != ISCSI_OK ||
	    db_path(path, "%s/%s", dir, name) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	return db_store_rec(dir, path, iface);
}

int
db_iface_delete(const char *name)
{
	char path[DB_PATH_MAX];
	int rc;

	if ((rc = names_check_iface(name)) != ISCSI_OK)
		return rc;
	if (db_iface_is_builtin(name))
		return err_set(ISCSI_ERR_INVAL, "iface %s is a special interface and cannot be deleted",
			       name);
	if (db_path(path, "%s/ifaces/%s", paths_dbroot(), name) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if (unlink(path) < 0)
		rc = err_set(errno == ENOENT ? ISCSI_ERR_NO_OBJS_FOUND : ISCSI_ERR_IDBM,
			     "Could not delete %s: %s", path, strerror(errno));
	db_unlock();
	return rc;
}

void
db_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
db_iface_list(char ***namesp, size_t *np)
{
	char dir[DB_PATH_MAX], **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*namesp = NULL;
	*np = 0;
	if (db_path(dir, "%s/ifaces", paths_dbroot()) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((d = opendir(dir)) == NULL)
		return ISCSI_OK;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "iface.example") == 0)
			continue;
		if (names_check_iface(de->d_name) != ISCSI_OK) {
			log_warnx("ignoring iface file with an invalid name in %s", dir);
			continue;
		}
		if (n == cap) {
			char **nn = realloc(names, (cap ? cap * 2 : 8) * sizeof(*nn));
			if (nn == NULL)
				goto nomem;
			names = nn;
			cap = cap ? cap * 2 : 8;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	closedir(d);
	*namesp = names;
	*np = n;
	return ISCSI_OK;
nomem:
	closedir(d);
	db_names_free(names, n);
	return ISCSI_ERR_NOMEM;
}

/* ---- discovery records ---- */

static const char *
db_disc_dir(enum rec_kind kind)
{
	return kind == REC_DISC_ISNS ? "isns" : "send_targets";
}

static const char *
db_disc_file(enum rec_kind kind)
{
	return kind == REC_DISC_ISNS ? "isns_config" : "st_config";
}

static int
db_disc_check(const struct db_disc_id *id)
{
	if (id->kind != REC_DISC_ST && id->kind != REC_DISC_ISNS)
		return err_set(ISCSI_ERR_INVAL, "not a discovery record kind");
	if (id->port < 0 || id->port > 65535)
		return err_set(ISCSI_ERR_INVAL, "invalid port %d", id->port);
	return names_check_address(id->address);
}

struct rec *
db_disc_new(const struct db_disc_id *id)
{
	struct rec *r = rec_new(id->kind);
	char port[16];

	if (r == NULL)
		return NULL;
	rec_apply_conf(r, NULL);
	snprintf(port, sizeof(port), "%d", id->port);
	if (rec_set(r, "discovery.sendtargets.address", id->address) != ISCSI_OK ||
	    rec_set(r, "discovery.sendtargets.port", port) != ISCSI_OK) {
		rec_free(r);
		return NULL;
	}
	return r;
}

int
db_disc_load(const struct db_disc_id *id, struct rec **out)
{
	char path[DB_PATH_MAX];
	struct rec *r;
	int rc;

	*out = NULL;
	if ((rc = db_disc_check(id)) != ISCSI_OK)
		return rc;
	if (db_path(path, "%s/%s/%s,%d/%s", paths_dbroot(), db_disc_dir(id->kind), id->address,
		    id->port, db_disc_file(id->kind)) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if (access(path, F_OK) < 0)
		return err_set(ISCSI_ERR_NO_OBJS_FOUND, "Discovery record [%s,%d] not found.",
			       id->address, id->port);
	if ((r = rec_new(id->kind)) == NULL)
		return ISCSI_ERR_NOMEM;
	if ((rc = rec_load_file(r, path)) != ISCSI_OK) {
		rec_free(r);
		return rc;
	}
	*out = r;
	return ISCSI_OK;
}

int
db_disc_store(const struct rec *disc)
{
	struct db_disc_id id;
	char dir[DB_PATH_MAX], path[DB_PATH_MAX];
	const char *a = rec_get(disc, "discovery.sendtargets.address");
	int rc;

	id.kind = rec_kind(disc);
	id.port = (int)rec_get_int(disc, "discovery.sendtargets.port", -1);
	snprintf(id.address, sizeof(id.address), "%s", a ? a : "");
	if ((rc = db_disc_check(&id)) != ISCSI_OK)
		return rc;
	if (db_path(dir, "%s/%s/%s,%d", paths_dbroot(), db_disc_dir(id.kind), id.address,
		    id.port) != ISCSI_OK ||
	    db_path(path, "%s/%s", dir, db_disc_file(id.kind)) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	return db_store_rec(dir, path, disc);
}

/* Ids of the node links in directory @dir (send_targets/<p>, static, fw). */
static int
db_links_in(const char *dir, struct db_node_id **ids, size_t *n)
{
	struct db_ids a = { NULL, 0, 0 };
	struct db_node_id id;
	struct dirent *de;
	int rc = ISCSI_OK;
	DIR *d;

	*ids = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return ISCSI_OK;
	while (rc == ISCSI_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || db_parse_link(de->d_name, &id) < 0)
			continue;
		rc = db_ids_push(&a, &id);
	}
	closedir(d);
	if (rc != ISCSI_OK) {
		free(a.v);
		return rc;
	}
	if (a.n > 1)
		qsort(a.v, a.n, sizeof(*a.v), db_node_id_cmp);
	*ids = a.v;
	*n = a.n;
	return ISCSI_OK;
}

int
db_disc_nodes(const struct db_disc_id *id, struct db_node_id **ids, size_t *n)
{
	char dir[DB_PATH_MAX];
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = db_disc_check(id)) != ISCSI_OK)
		return rc;
	if (db_path(dir, "%s/%s/%s,%d", paths_dbroot(), db_disc_dir(id->kind), id->address,
		    id->port) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	return db_links_in(dir, ids, n);
}

int
db_node_list_linked_dir(const char *which, struct db_node_id **ids, size_t *n)
{
	char dir[DB_PATH_MAX];

	*ids = NULL;
	*n = 0;
	if (strcmp(which, "static") != 0 && strcmp(which, "fw") != 0)
		return err_set(ISCSI_ERR_INVAL, "unknown link directory %s", which);
	if (db_path(dir, "%s/%s", paths_dbroot(), which) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	return db_links_in(dir, ids, n);
}

int
db_disc_delete(const struct db_disc_id *id)
{
	char dir[DB_PATH_MAX], path[DB_PATH_MAX];
	struct db_node_id *ids;
	size_t n;
	int rc;

	if ((rc = db_disc_check(id)) != ISCSI_OK)
		return rc;
	if (db_path(dir, "%s/%s/%s,%d", paths_dbroot(), db_disc_dir(id->kind), id->address,
		    id->port) != ISCSI_OK ||
	    db_path(path, "%s/%s", dir, db_disc_file(id->kind)) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if (access(path, F_OK) < 0) {
		rc = err_set(ISCSI_ERR_NO_OBJS_FOUND, "Discovery record [%s,%d] not found.",
			     id->address, id->port);
		goto out;
	}
	if ((rc = db_disc_nodes(id, &ids, &n)) != ISCSI_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int r2 = db_node_delete(&ids[i]);
		char l[DB_PATH_MAX];
		if (r2 != ISCSI_OK && r2 != ISCSI_ERR_NO_OBJS_FOUND)
			log_warnx("could not delete node %s: %s", ids[i].target, iscsi_strerror(r2));
		if (db_path(l, "%s/%s,%s,%d,%d,%s", dir, ids[i].target, ids[i].address,
			    ids[i].port, ids[i].tpgt, ids[i].iface) == ISCSI_OK)
			unlink(l);
	}
	free(ids);
	if (unlink(path) < 0)
		rc = err_set(ISCSI_ERR_IDBM, "Could not delete %s: %s", path, strerror(errno));
	rmdir(dir);
out:
	db_unlock();
	return rc;
}

/* Discovery ids of one kind, sorted by address then port. */
static int
db_disc_scan(enum rec_kind kind, struct db_disc_id **v, size_t *n, size_t *cap)
{
	char dir[DB_PATH_MAX], f[DB_PATH_MAX];
	struct dirent *de;
	struct db_disc_id id;
	int tpgt;
	DIR *d;

	if (db_path(dir, "%s/%s", paths_dbroot(), db_disc_dir(kind)) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((d = opendir(dir)) == NULL)
		return ISCSI_OK;
	while ((de = readdir(d)) != NULL) {
		memset(&id, 0, sizeof(id));
		id.kind = kind;
		if (de->d_name[0] == '.' ||
		    db_parse_portal_dir(de->d_name, id.address, sizeof(id.address), &id.port,
					&tpgt) != 2)
			continue;
		if (db_path(f, "%s/%s/%s", dir, de->d_name, db_disc_file(kind)) != ISCSI_OK ||
		    access(f, F_OK) < 0)
			continue;
		if (*n == *cap) {
			struct db_disc_id *nv = realloc(*v, (*cap ? *cap * 2 : 8) * sizeof(*nv));
			if (nv == NULL) {
				closedir(d);
				return ISCSI_ERR_NOMEM;
			}
			*v = nv;
			*cap = *cap ? *cap * 2 : 8;
		}
		(*v)[(*n)++] = id;
	}
	closedir(d);
	return ISCSI_OK;
}

static int
db_disc_cmp(const void *a, const void *b)
{
	const struct db_disc_id *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->address, y->address)) != 0)
		return c;
	return x->port - y->port;
}

int
db_disc_list(struct db_disc_id **ids, size_t *n)
{
	struct db_disc_id *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = db_disc_scan(REC_DISC_ST, &v, &cnt, &cap)) != ISCSI_OK ||
	    (rc = db_disc_scan(REC_DISC_ISNS, &v, &cnt, &cap)) != ISCSI_OK) {
		free(v);
		return rc;
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), db_disc_cmp);
	*ids = v;
	*n = cnt;
	return ISCSI_OK;
}
