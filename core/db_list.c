// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Walking the node database: ids from directory names only (no record is
 * read except legacy flat files, whose iface lives inside), sorted like
 * libopeniscsiusr, and bulk update/delete under one lock hold (records are
 * replaced by rename, not synced, unless ISCSI_DB_SYNC=full: then one syncfs).
 */
#include "config.h"

#include <dirent.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
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
	bool	eof;		/* the last batch ended the directory */
	char	buf[8192] __attribute__((aligned(8)));
};

struct db_dirent64 {
	unsigned long long	d_ino;
	long long		d_off;
	unsigned short		d_reclen;
	unsigned char		d_type;
	char			d_name[];
};

/*
 * On ext4 (dir_index) a directory of one block is read as a hash tree and
 * its last entry's d_off is this end-of-directory cookie, so the second
 * getdents64() that would return 0 can be skipped: half the syscalls of
 * listing nodes/, where every target and portal directory is tiny.  Only
 * trusted on ext4 (db_dir_eof_cookie_ok), elsewhere cookies are opaque.
 */
#define DB_EXT4_HTREE_EOF	0x7fffffffffffffffLL
static bool db_dir_eof_cookie_ok;

static int
db_dir_open(struct db_dir *d, int parent, const char *name)
{
	d->n = d->pos = 0;
	d->eof = false;
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
			if (d->eof)
				return NULL;
			d->n = syscall(SYS_getdents64, d->fd, d->buf, sizeof(d->buf));
			d->pos = 0;
			if (d->n <= 0)
				return NULL;
		}
		e = (struct db_dirent64 *)(void *)(d->buf + d->pos);
		d->pos += e->d_reclen;
		if (d->pos >= d->n && e->d_off == DB_EXT4_HTREE_EOF && db_dir_eof_cookie_ok)
			d->eof = true;
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

/*
 * Every record of one portal directory (or flat file) @name of target dir
 * @tfd.  @tdir NULL means "on a worker thread": nothing here may then call
 * err_set() or log, so legacy flat files only set *@legacy.
 */
static int
db_list_portal(const struct db_node_filter *f, int tfd, const char *tdir, const char *target,
	       const char *name, struct db_ids *a, bool *legacy)
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
		if (tdir == NULL) {	/* threaded pass: legacy files are read afterwards */
			*legacy = true;
			return ISCSI_OK;
		}
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
		if (!names_iface_ok(e))
			continue;
		memcpy(id.iface, e, strlen(e) + 1);	/* <= 64: checked above */
		if (db_match(f, &id))
			rc = db_ids_push(a, &id);
	}
	db_dir_close(&d);
	return rc;
}

/* Records of one target; @tdir NULL on worker threads (see db_list_portal). */
static int
db_list_target(const struct db_node_filter *f, int nfd, const char *target, struct db_ids *a,
	       bool threaded, bool *legacy)
{
	char tdir[DB_PATH_MAX];
	struct db_dir d;
	const char *e;
	int rc = ISCSI_OK;

	if (!threaded) {
		if (names_check_component(target) != ISCSI_OK || strlen(target) >= DB_NAME_MAX)
			return ISCSI_OK;
		if (db_path(tdir, "%s/nodes/%s", paths_dbroot(), target) != ISCSI_OK)
			return ISCSI_OK;
	}
	if (db_dir_open(&d, nfd, target) < 0)
		return ISCSI_OK;
	while (rc == ISCSI_OK && (e = db_dir_next(&d)) != NULL)
		rc = db_list_portal(f, d.fd, threaded ? NULL : tdir, target, e, a, legacy);
	db_dir_close(&d);
	return rc;
}

/*
 * The whole nodes/ tree: target names are read here, their directories on
 * db_par_for() threads (each into its own array), legacy flat files
 * afterwards on this thread.  Readdir of 20,000 small directories is
 * syscall-bound, so this scales with the CPUs available.
 */
/*
 * Listing goes to threads from this many targets on (below db_par_min):
 * on two cores 1,000 targets listed in 13-15 ms instead of 19-21 ms,
 * while 100 were slower threaded (see db_par.c).
 */
#define DB_LIST_PAR_MIN	256

struct db_list_job {
	const struct db_node_filter	*f;
	int				 nfd;
	char				**names;
	struct db_ids			*res;
	bool				*legacy;
};

static int
db_list_job_one(size_t i, void *arg)
{
	struct db_list_job *j = arg;

	return db_list_target(j->f, j->nfd, j->names[i], &j->res[i], true, &j->legacy[i]);
}

static int
db_list_all(const struct db_node_filter *f, int nfd, struct db_ids *a)
{
	struct db_list_job j = { f, nfd, NULL, NULL, NULL };
	size_t nn = 0, cap = 0;
	struct db_dir d;
	const char *e;
	bool dummy = false;
	int rc = ISCSI_OK;

	if (db_dir_open(&d, nfd, ".") < 0)
		return ISCSI_OK;
	while ((e = db_dir_next(&d)) != NULL) {
		if (names_check_component(e) != ISCSI_OK || strlen(e) >= DB_NAME_MAX)
			continue;
		if (nn == cap) {
			char **nv = realloc(j.names, (cap ? cap * 2 : 256) * sizeof(*nv));
			if (nv == NULL) {
				rc = ISCSI_ERR_NOMEM;
				break;
			}
			j.names = nv;
			cap = cap ? cap * 2 : 256;
		}
		if ((j.names[nn] = strdup(e)) == NULL) {
			rc = ISCSI_ERR_NOMEM;
			break;
		}
		nn++;
	}
	db_dir_close(&d);
	j.res = calloc(nn + 1, sizeof(*j.res));
	j.legacy = calloc(nn + 1, sizeof(*j.legacy));
	if (rc == ISCSI_OK && (j.res == NULL || j.legacy == NULL))
		rc = ISCSI_ERR_NOMEM;
	if (rc == ISCSI_OK)
		rc = db_par_for_min(nn, db_par_min < DB_LIST_PAR_MIN ? db_par_min : DB_LIST_PAR_MIN,
				    db_list_job_one, &j);	/* tests lower db_par_min */
	for (size_t i = 0; i < nn && rc == ISCSI_OK; i++) {
		if (j.legacy[i]) {	/* redo this target here, flat files included */
			j.res[i].n = 0;
			rc = db_list_target(f, nfd, j.names[i], &j.res[i], false, &dummy);
		}
		for (size_t k = 0; k < j.res[i].n && rc == ISCSI_OK; k++)
			rc = db_ids_push(a, &j.res[i].v[k]);
	}
	for (size_t i = 0; i < nn; i++) {
		free(j.names[i]);
		if (j.res)
			free(j.res[i].v);
	}
	free(j.names);
	free(j.res);
	free(j.legacy);
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
	struct statfs sfs;
	bool legacy = false;
	int rc = ISCSI_OK, nfd;

	*ids = NULL;
	*n = 0;
	if (db_path(ndir, "%s/nodes", paths_dbroot()) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((nfd = open(ndir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ISCSI_OK;
	db_dir_eof_cookie_ok = fstatfs(nfd, &sfs) == 0 && sfs.f_type == EXT4_SUPER_MAGIC;
	if (f && f->target)
		rc = db_list_target(f, nfd, f->target, &a, false, &legacy);
	else
		rc = db_list_all(f, nfd, &a);
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

int
db_id_path(const struct db_node_id *id, char *buf)
{
	if (id->legacy || id->tpgt < 0)
		return db_path(buf, "%s/nodes/%s/%s,%d", paths_dbroot(), id->target,
			       id->address, id->port);
	return db_path(buf, "%s/nodes/%s/%s,%d,%d/%s", paths_dbroot(), id->target,
		       id->address, id->port, id->tpgt, id->iface);
}

/*
 * Bulk delete, staged like bulk update: records are read once (their
 * discovery link is named inside), then files and links are unlinked and
 * the emptied portal and target directories removed, each step on
 * db_par_for() threads.  Ids are sorted, so a portal's or target's
 * records are adjacent and each directory is listed once.
 */
struct db_del {
	char	*file;
	char	*link;		/* NULL if the record has none */
	char	*dir;		/* portal dir (NULL: legacy) or, in the 2nd array, target dir */
};

static int
db_del_files(size_t i, void *arg)
{
	struct db_del *d = (struct db_del *)arg + i;

	if (d->link)
		unlink(d->link);
	return unlink(d->file) < 0 && errno != ENOENT ? errno : 0;
}

static int
db_del_dir(size_t i, void *arg)
{
	struct db_del *d = (struct db_del *)arg + i;

	if (d->dir)
		rmdir(d->dir);		/* fails harmlessly while other records remain */
	return 0;
}

static int
db_del_stage(const struct db_node_id *id, struct db_del *d, struct db_del *t, size_t *nt)
{
	char path[DB_PATH_MAX], link[DB_PATH_MAX], *slash;
	struct rec *r = rec_new(REC_NODE);

	if (r == NULL || db_id_path(id, path) != ISCSI_OK) {
		rec_free(r);
		return ISCSI_ERR_NOMEM;
	}
	rec_load_file(r, path);		/* a missing file just has no link */
	d->file = strdup(path);
	d->link = db_node_link_path(r, id, link) == 0 ? strdup(link) : NULL;
	rec_free(r);
	slash = strrchr(path, '/');
	*slash = '\0';
	d->dir = id->legacy || id->tpgt < 0 ? NULL : strdup(path);
	if (d->dir != NULL) {
		slash = strrchr(path, '/');
		*slash = '\0';
	}
	if (*nt == 0 || strcmp(t[*nt - 1].dir, path) != 0) {
		if ((t[*nt].dir = strdup(path)) == NULL)
			return ISCSI_ERR_NOMEM;
		(*nt)++;
	}
	return d->file == NULL ? ISCSI_ERR_NOMEM : ISCSI_OK;
}

int
db_node_delete_each(const struct db_node_filter *f, size_t *count)
{
	struct db_node_id *ids = NULL;
	struct db_del *d = NULL, *t = NULL;
	size_t n = 0, nt = 0;
	int rc, err;

	if (count)
		*count = 0;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if ((rc = db_node_list(f, &ids, &n)) != ISCSI_OK || n == 0)
		goto out;
	d = calloc(n, sizeof(*d));
	t = calloc(n, sizeof(*t));
	if (d == NULL || t == NULL) {
		rc = ISCSI_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n && rc == ISCSI_OK; i++)
		rc = db_del_stage(&ids[i], &d[i], t, &nt);
	if (rc != ISCSI_OK)
		goto out;
	if ((err = db_par_for(n, db_del_files, d)) != 0)
		rc = err_set(ISCSI_ERR_IDBM, "Could not delete a record: %s", strerror(err));
	db_par_for(n, db_del_dir, d);
	db_par_for(nt, db_del_dir, t);
	if (count && rc == ISCSI_OK)
		*count = n;
out:
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].file);
		free(d[i].link);
		free(d[i].dir);
	}
	for (size_t i = 0; t && i < nt; i++)
		free(t[i].dir);
	free(d);
	free(t);
	free(ids);
	db_unlock();
	return rc;
}
