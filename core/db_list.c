// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Walking the node database: ids from directory names only (no record is
 * read except legacy flat files, whose iface lives inside), sorted like
 * libopeniscsiusr, and bulk update/delete under one lock hold with one
 * syncfs() instead of an fsync per record.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_priv.h"
#include "err.h"
#include "log.h"
#include "names.h"
#include "paths.h"

int
db_node_id_cmp(const void *a, const void *b)
{
	const struct db_node_id *x = a, *y = b;
	int c;

	if ((c = strcmp(x->target, y->target)) != 0)
		return c;
	if ((c = strcmp(x->address, y->address)) != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->tpgt != y->tpgt)
		return x->tpgt < y->tpgt ? -1 : 1;
	return strcmp(x->iface, y->iface);
}

static bool
db_match(const struct db_node_filter *f, const struct db_node_id *id)
{
	if (f == NULL)
		return true;
	if (f->address && strcmp(f->address, id->address) != 0)
		return false;
	if (f->port >= 0 && f->port != id->port)
		return false;
	if (f->tpgt >= 0 && f->tpgt != id->tpgt)
		return false;
	if (f->iface && strcmp(f->iface, id->iface) != 0)
		return false;
	return true;
}

/* A legacy flat file: its iface name is inside. */
static int
db_list_legacy(const char *path, struct db_node_id *id)
{
	struct rec *r = rec_new(REC_NODE);
	const char *i;
	int rc;

	if (r == NULL)
		return ISCSI_ERR_NOMEM;
	if ((rc = rec_load_file(r, path)) == ISCSI_OK) {
		i = rec_get(r, "iface.iscsi_ifacename");
		snprintf(id->iface, sizeof(id->iface), "%s", i && *i ? i : "default");
		id->legacy = true;
	}
	rec_free(r);
	return rc;
}

/* Every record of one portal directory (or flat file) @name under @tdir. */
static int
db_list_portal(const struct db_node_filter *f, const char *tdir, const char *target,
	       const char *name, struct db_ids *a)
{
	struct db_node_id id;
	char path[DB_PATH_MAX];
	struct dirent *de;
	int fields, rc = ISCSI_OK;
	DIR *d;

	memset(&id, 0, sizeof(id));
	snprintf(id.target, sizeof(id.target), "%s", target);
	fields = db_parse_portal_dir(name, id.address, sizeof(id.address), &id.port, &id.tpgt);
	if (fields < 0 || db_path(path, "%s/%s", tdir, name) != ISCSI_OK)
		return ISCSI_OK;
	if (fields == 2) {
		if (db_list_legacy(path, &id) == ISCSI_OK && db_match(f, &id))
			return db_ids_push(a, &id);
		return ISCSI_OK;
	}
	if (f && ((f->address && strcmp(f->address, id.address) != 0) ||
		  (f->port >= 0 && f->port != id.port) || (f->tpgt >= 0 && f->tpgt != id.tpgt)))
		return ISCSI_OK;
	if ((d = opendir(path)) == NULL)
		return ISCSI_OK;
	while (rc == ISCSI_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || names_check_iface(de->d_name) != ISCSI_OK)
			continue;
		memcpy(id.iface, de->d_name, strlen(de->d_name) + 1);	/* <= 64: checked above */
		if (db_match(f, &id))
			rc = db_ids_push(a, &id);
	}
	closedir(d);
	return rc;
}

static int
db_list_target(const struct db_node_filter *f, const char *target, struct db_ids *a)
{
	char tdir[DB_PATH_MAX];
	struct dirent *de;
	int rc = ISCSI_OK;
	DIR *d;

	if (names_check_component(target) != ISCSI_OK)
		return ISCSI_OK;
	if (db_path(tdir, "%s/nodes/%s", paths_dbroot(), target) != ISCSI_OK)
		return ISCSI_OK;
	if ((d = opendir(tdir)) == NULL)
		return ISCSI_OK;
	while (rc == ISCSI_OK && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			rc = db_list_portal(f, tdir, target, de->d_name, a);
	closedir(d);
	return rc;
}

int
db_node_list(const struct db_node_filter *f, struct db_node_id **ids, size_t *n)
{
	struct db_ids a = { NULL, 0, 0 };
	char ndir[DB_PATH_MAX];
	struct dirent *de;
	int rc = ISCSI_OK;
	DIR *d;

	*ids = NULL;
	*n = 0;
	if (f && f->target) {
		rc = db_list_target(f, f->target, &a);
	} else {
		if (db_path(ndir, "%s/nodes", paths_dbroot()) != ISCSI_OK)
			return ISCSI_ERR_INVAL;
		if ((d = opendir(ndir)) != NULL) {
			while (rc == ISCSI_OK && (de = readdir(d)) != NULL)
				if (de->d_name[0] != '.')
					rc = db_list_target(f, de->d_name, &a);
			closedir(d);
		}
	}
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

/* Path of a loaded id (tpgt resolved). */
static int
db_id_path(const struct db_node_id *id, char *buf)
{
	if (id->legacy || id->tpgt < 0)
		return db_path(buf, "%s/nodes/%s/%s,%d", paths_dbroot(), id->target,
			       id->address, id->port);
	return db_path(buf, "%s/nodes/%s/%s,%d,%d/%s", paths_dbroot(), id->target,
		       id->address, id->port, id->tpgt, id->iface);
}

/* Write @node's text to a temporary beside @path without fsync; *@tmp gets its name. */
static int
db_write_tmp(const struct rec *node, const char *path, char *tmp)
{
	size_t len, off = 0;
	char *text;
	int fd, rc = ISCSI_OK;

	if (db_path(tmp, "%s.tmp-bulk.%ld", path, (long)getpid()) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	/* hide the temporary from listings: dot-prefix its basename */
	{
		char *slash = strrchr(tmp, '/'), base[DB_PATH_MAX];
		snprintf(base, sizeof(base), ".%s", slash + 1);
		if ((size_t)(slash + 1 - tmp) + strlen(base) >= DB_PATH_MAX)
			return err_set(ISCSI_ERR_INVAL, "path too long");
		strcpy(slash + 1, base);
	}
	if ((text = rec_to_text(node, &len)) == NULL)
		return ISCSI_ERR_NOMEM;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		free(text);
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", tmp, strerror(errno));
	}
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = err_set(ISCSI_ERR_IDBM, "Could not write %s: %s", tmp, strerror(errno));
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0 && rc == ISCSI_OK)
		rc = err_set(ISCSI_ERR_IDBM, "Could not write %s: %s", tmp, strerror(errno));
	free(text);
	if (rc != ISCSI_OK)
		unlink(tmp);
	return rc;
}

struct db_pending {
	char	tmp[DB_PATH_MAX];
	char	path[DB_PATH_MAX];
};

/* Make the temporaries durable with one syncfs(), then rename them into place. */
static int
db_commit(struct db_pending *p, size_t n)
{
	int fd, rc = ISCSI_OK;

	if (n == 0)
		return ISCSI_OK;
	if ((fd = open(paths_dbroot(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		syncfs(fd);
	}
	for (size_t i = 0; i < n; i++) {
		if (rename(p[i].tmp, p[i].path) < 0) {
			rc = err_set(ISCSI_ERR_IDBM, "Could not rename %s: %s", p[i].tmp,
				     strerror(errno));
			unlink(p[i].tmp);
		}
	}
	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
	return rc;
}

static int
db_update_one(struct db_node_id *id, db_node_fn fn, void *arg, struct db_pending *pend,
	      size_t *npend)
{
	struct rec *r = NULL;
	bool changed = false;
	int rc;

	if ((rc = db_node_load(id, &r)) != ISCSI_OK)
		return rc == ISCSI_ERR_NO_OBJS_FOUND ? ISCSI_OK : rc;	/* deleted meanwhile */
	rc = fn(r, id, &changed, arg);
	if (rc == ISCSI_OK && changed) {
		struct db_pending *p = &pend[*npend];
		if ((rc = db_id_path(id, p->path)) == ISCSI_OK &&
		    (rc = db_write_tmp(r, p->path, p->tmp)) == ISCSI_OK)
			(*npend)++;
	}
	rec_free(r);
	return rc;
}

int
db_node_update_each(const struct db_node_filter *f, db_node_fn fn, void *arg)
{
	struct db_node_id *ids;
	struct db_pending *pend;
	size_t n, npend = 0;
	int rc, rc2;

	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if ((rc = db_node_list(f, &ids, &n)) != ISCSI_OK)
		goto out;
	if (n == 0) {
		rc = err_set(ISCSI_ERR_NO_OBJS_FOUND, "No records found");
		free(ids);
		goto out;
	}
	if ((pend = malloc(n * sizeof(*pend))) == NULL) {
		free(ids);
		rc = ISCSI_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n && rc == ISCSI_OK; i++)
		rc = db_update_one(&ids[i], fn, arg, pend, &npend);
	if (rc != ISCSI_OK)
		for (size_t i = 0; i < npend; i++)
			unlink(pend[i].tmp);
	else
		rc = db_commit(pend, npend);
	/* keep the first error but always release what was written */
	rc2 = rc;
	free(pend);
	free(ids);
	rc = rc2;
out:
	db_unlock();
	return rc;
}

int
db_node_delete_each(const struct db_node_filter *f, size_t *count)
{
	struct db_node_id *ids;
	size_t n, done = 0;
	int rc;

	if (count)
		*count = 0;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if ((rc = db_node_list(f, &ids, &n)) == ISCSI_OK) {
		for (size_t i = 0; i < n && rc == ISCSI_OK; i++) {
			rc = db_node_delete(&ids[i]);
			if (rc == ISCSI_OK)
				done++;
			else if (rc == ISCSI_ERR_NO_OBJS_FOUND)
				rc = ISCSI_OK;
		}
		free(ids);
	}
	db_unlock();
	if (count)
		*count = done;
	return rc;
}
