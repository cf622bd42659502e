// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Walking the node database: ids from directory names only (no record is
 * read except legacy flat files, whose iface lives inside), sorted like
 * libopeniscsiusr, and bulk update/delete under one lock hold with one
 * syncfs() instead of an fsync per record.
 */
#include "config.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "conf.h"
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

/*
 * Directory reading with getdents64 into a buffer on the stack: listing
 * 10,000 records opens 20,000 directories, and opendir()'s 32 KiB
 * allocation per directory was a measurable part of that.
 */
struct db_dir {
	int	fd;
	long	n, pos;
	char	buf[8192] __attribute__((aligned(8)));
};

struct db_dirent64 {
	unsigned long long	d_ino;
	long long		d_off;
	unsigned short		d_reclen;
	unsigned char		d_type;
	char			d_name[];
};

static int
db_dir_open(struct db_dir *d, int parent, const char *name)
{
	d->n = d->pos = 0;
	d->fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return d->fd;
}

/* Next entry name not starting with '.', or NULL at the end. */
static const char *
db_dir_next(struct db_dir *d)
{
	for (;;) {
		struct db_dirent64 *e;

		if (d->pos >= d->n) {
			d->n = syscall(SYS_getdents64, d->fd, d->buf, sizeof(d->buf));
			d->pos = 0;
			if (d->n <= 0)
				return NULL;
		}
		e = (struct db_dirent64 *)(void *)(d->buf + d->pos);
		d->pos += e->d_reclen;
		if (e->d_name[0] != '.')
			return e->d_name;
	}
}

static void
db_dir_close(struct db_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* Every record of one portal directory (or flat file) @name of target dir @tfd. */
static int
db_list_portal(const struct db_node_filter *f, int tfd, const char *tdir, const char *target,
	       const char *name, struct db_ids *a)
{
	struct db_node_id id;
	struct db_dir d;
	char path[DB_PATH_MAX];
	const char *e;
	int fields, rc = ISCSI_OK;

	memset(&id, 0, sizeof(id));
	memcpy(id.target, target, strlen(target) + 1);	/* checked by the caller */
	fields = db_parse_portal_dir(name, id.address, sizeof(id.address), &id.port, &id.tpgt);
	if (fields < 0)
		return ISCSI_OK;
	if (fields == 2) {
		if (db_path(path, "%s/%s", tdir, name) == ISCSI_OK &&
		    db_list_legacy(path, &id) == ISCSI_OK && db_match(f, &id))
			return db_ids_push(a, &id);
		return ISCSI_OK;
	}
	if (f && ((f->address && strcmp(f->address, id.address) != 0) ||
		  (f->port >= 0 && f->port != id.port) || (f->tpgt >= 0 && f->tpgt != id.tpgt)))
		return ISCSI_OK;
	if (db_dir_open(&d, tfd, name) < 0)
		return ISCSI_OK;
	while (rc == ISCSI_OK && (e = db_dir_next(&d)) != NULL) {
		if (names_check_iface(e) != ISCSI_OK)
			continue;
		memcpy(id.iface, e, strlen(e) + 1);	/* <= 64: checked above */
		if (db_match(f, &id))
			rc = db_ids_push(a, &id);
	}
	db_dir_close(&d);
	return rc;
}

static int
db_list_target(const struct db_node_filter *f, int nfd, const char *target, struct db_ids *a)
{
	char tdir[DB_PATH_MAX];
	struct db_dir d;
	const char *e;
	int rc = ISCSI_OK;

	if (names_check_component(target) != ISCSI_OK || strlen(target) >= DB_NAME_MAX)
		return ISCSI_OK;
	if (db_path(tdir, "%s/nodes/%s", paths_dbroot(), target) != ISCSI_OK)
		return ISCSI_OK;
	if (db_dir_open(&d, nfd, target) < 0)
		return ISCSI_OK;
	while (rc == ISCSI_OK && (e = db_dir_next(&d)) != NULL)
		rc = db_list_portal(f, d.fd, tdir, target, e, a);
	db_dir_close(&d);
	return rc;
}

static int
db_ptr_cmp(const void *a, const void *b)
{
	return db_node_id_cmp(*(const struct db_node_id *const *)a,
			      *(const struct db_node_id *const *)b);
}

/* Sort @a in place through an array of pointers (ids are ~600 bytes each). */
static int
db_ids_sort(struct db_ids *a)
{
	const struct db_node_id **p;
	struct db_node_id *sorted;

	if (a->n < 2)
		return ISCSI_OK;
	p = malloc(a->n * sizeof(*p));
	sorted = malloc(a->n * sizeof(*sorted));
	if (p == NULL || sorted == NULL) {
		free(p);
		free(sorted);
		return ISCSI_ERR_NOMEM;
	}
	for (size_t i = 0; i < a->n; i++)
		p[i] = &a->v[i];
	qsort(p, a->n, sizeof(*p), db_ptr_cmp);
	for (size_t i = 0; i < a->n; i++)
		sorted[i] = *p[i];
	free(p);
	free(a->v);
	a->v = sorted;
	a->cap = a->n;
	return ISCSI_OK;
}

int
db_node_list(const struct db_node_filter *f, struct db_node_id **ids, size_t *n)
{
	struct db_ids a = { NULL, 0, 0 };
	char ndir[DB_PATH_MAX];
	struct db_dir d;
	const char *e;
	int rc = ISCSI_OK, nfd;

	*ids = NULL;
	*n = 0;
	if (db_path(ndir, "%s/nodes", paths_dbroot()) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((nfd = open(ndir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ISCSI_OK;
	if (f && f->target) {
		rc = db_list_target(f, nfd, f->target, &a);
	} else if (db_dir_open(&d, nfd, ".") >= 0) {
		while (rc == ISCSI_OK && (e = db_dir_next(&d)) != NULL)
			rc = db_list_target(f, nfd, e, &a);
		db_dir_close(&d);
	}
	close(nfd);
	if (rc == ISCSI_OK)
		rc = db_ids_sort(&a);
	if (rc != ISCSI_OK) {
		free(a.v);
		return rc;
	}
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

/* Write @text to a dot-named temporary beside @path, without fsync; *@tmp gets its name. */
static int
db_write_tmp(const char *text, size_t len, const char *path, char *tmp)
{
	const char *slash = strrchr(path, '/');
	size_t off = 0;
	int fd, rc = ISCSI_OK;

	/* the leading dot hides the temporary from listings */
	if (db_path(tmp, "%.*s/.%s.tmp-bulk.%ld", (int)(slash - path), path, slash + 1,
		    (long)getpid()) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", tmp, strerror(errno));
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
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Load, modify and (if its text changes) stage one record of a listing. */
static int
db_update_one(struct db_node_id *id, db_node_fn fn, void *arg, struct db_pending *pend,
	      size_t *npend)
{
	struct db_pending *p = &pend[*npend];
	char *old = NULL, *text = NULL;
	size_t oldlen, len;
	struct rec *r = NULL;
	bool changed = false;
	int rc;

	if ((rc = db_id_path(id, p->path)) != ISCSI_OK)
		return rc;
	if (conf_read_file(p->path, &old, &oldlen) < 0)
		return errno == ENOENT ? ISCSI_OK :	/* deleted meanwhile */
			err_set(ISCSI_ERR_IDBM, "Could not read %s: %s", p->path, strerror(errno));
	if ((r = rec_new(REC_NODE)) == NULL) {
		rc = ISCSI_ERR_NOMEM;
		goto out;
	}
	rec_parse(r, old, oldlen, p->path);
	rc = fn(r, id, &changed, arg);
	if (rc != ISCSI_OK || !changed)
		goto out;
	if ((text = rec_to_text(r, &len)) == NULL) {
		rc = ISCSI_ERR_NOMEM;
	} else if (len != oldlen || memcmp(text, old, len) != 0) {
		if ((rc = db_write_tmp(text, len, p->path, p->tmp)) == ISCSI_OK)
			(*npend)++;
	}
out:
	free(text);
	free(old);
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
