// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Node records on disk: path building from validated names, atomic
 * writes, and the single-record operations (load, store, delete, links),
 * each touching only the paths of that record (O(1) in the database
 * size).  Listing and bulk updates are in db_list.c, ifaces and discovery
 * records in db_iface.c.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_priv.h"
#include "err.h"
#include "log.h"
#include "names.h"
#include "paths.h"

int
db_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, DB_PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= DB_PATH_MAX)
		return err_set(ISCSI_ERR_INVAL, "path too long");
	return ISCSI_OK;
}

int
db_mkdirs(const char *path)
{
	char buf[DB_PATH_MAX], *cut[64];
	size_t len = strlen(path), ncut = 0;
	char *slash;

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	/* Walk up to the deepest existing parent, then create downwards: a new
	 * record usually needs two mkdirs, not one per path component. */
	memcpy(buf, path, len + 1);
	for (;;) {
		if ((slash = strrchr(buf, '/')) == NULL || slash == buf || ncut == 64)
			return -1;
		*slash = '\0';
		cut[ncut++] = slash;
		if (mkdir(buf, 0700) == 0 || errno == EEXIST)
			break;
		if (errno != ENOENT)
			return -1;
	}
	while (ncut > 0) {
		*cut[--ncut] = '/';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

int
db_check_id(const struct db_node_id *id, int strict)
{
	int rc = strict ? names_check_iscsi(id->target) : names_check_component(id->target);

	if (rc != ISCSI_OK)
		return rc;
	if ((rc = names_check_address(id->address)) != ISCSI_OK)
		return rc;
	if (id->port < 0 || id->port > 65535)
		return err_set(ISCSI_ERR_INVAL, "invalid port %d", id->port);
	if (id->iface[0] && (rc = names_check_iface(id->iface)) != ISCSI_OK)
		return rc;
	return ISCSI_OK;
}

static int
db_num(const char *s, int *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < -1 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

int
db_parse_portal_dir(const char *s, char *addr, size_t alen, int *port, int *tpgt)
{
	char buf[DB_ADDR_MAX + 32], *c1, *c2;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((c1 = strchr(buf, ',')) == NULL)
		return -1;
	*c1++ = '\0';
	*tpgt = -1;
	if ((c2 = strchr(c1, ',')) != NULL) {
		*c2++ = '\0';
		if (db_num(c2, tpgt) < 0)
			return -1;
	}
	if (db_num(c1, port) < 0 || buf[0] == '\0' || strlen(buf) >= alen)
		return -1;
	strcpy(addr, buf);
	return c2 ? 3 : 2;
}

int
db_parse_link(const char *s, struct db_node_id *id)
{
	char buf[DB_PATH_MAX], *f[4];
	size_t len = strlen(s);

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len + 1);
	for (int i = 3; i >= 0; i--) {		/* the target may hold no ',', but parse from the right */
		char *c = strrchr(buf, ',');
		if (c == NULL)
			return -1;
		*c = '\0';
		f[i] = c + 1;
	}
	memset(id, 0, sizeof(*id));
	if (strlen(buf) >= sizeof(id->target) || strlen(f[0]) >= sizeof(id->address) ||
	    strlen(f[3]) >= sizeof(id->iface) || db_num(f[1], &id->port) < 0 ||
	    db_num(f[2], &id->tpgt) < 0)
		return -1;
	strcpy(id->target, buf);
	strcpy(id->address, f[0]);
	strcpy(id->iface, f[3]);
	return 0;
}

int
db_ids_push(struct db_ids *a, const struct db_node_id *id)
{
	if (a->n == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 4;
		struct db_node_id *nv = realloc(a->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return ISCSI_ERR_NOMEM;
		a->v = nv;
		a->cap = ncap;
	}
	a->v[a->n++] = *id;
	return ISCSI_OK;
}

void
db_prune(const char *path, const char *stop)
{
	char buf[DB_PATH_MAX];
	size_t slen = strlen(stop);

	snprintf(buf, sizeof(buf), "%s", path);
	while (strlen(buf) > slen && strncmp(buf, stop, slen) == 0) {
		char *slash;
		if (rmdir(buf) < 0)
			return;
		if ((slash = strrchr(buf, '/')) == NULL)
			return;
		*slash = '\0';
	}
}

/* 1: @path holds exactly @data, 0: it differs, -1: no such file. */
static int
db_compare(const char *path, const char *data, size_t len)
{
	char buf[16384];
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? -1 : 0;
	if (len >= sizeof(buf)) {
		close(fd);
		return 0;
	}
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return r >= 0 && (size_t)r == len && memcmp(buf, data, len) == 0;
}

bool
db_same_content(const char *path, const char *data, size_t len)
{
	return db_compare(path, data, len) == 1;
}

/*
 * Durability policy (ISCSI_DB_SYNC, see docs/compat.md): every record is
 * written whole with one write() to a temporary beside it and renamed over
 * the old one, so readers see the old or the new text, never a mix (a new
 * record of a new target: an O_TMPFILE inode linked in place, db_write_new).
 *  - default: no sync, like the reference (whose in-place writes can tear).
 *    A record renamed over an old one is flushed by ext4 before the rename
 *    commits (auto_da_alloc), so a crash leaves the old or the new text; a
 *    brand-new record can after a crash be absent or empty, never partial.
 *    An fsync per new record cost 5-15 ms, making "new" slower than the
 *    reference; a syncfs per discovery flushed every other writer's data too.
 *  - full: every temporary is fsync()ed, and its directory after the rename.
 *  - none: no syncing at all (tests, throw-away roots).
 */
enum db_sync { DB_SYNC_DEFAULT, DB_SYNC_FULL, DB_SYNC_NONE };

static enum db_sync
db_sync_mode(void)
{
	static int mode = -1;
	const char *e;

	if (mode < 0) {
		e = getenv("ISCSI_DB_SYNC");
		mode = e == NULL ? DB_SYNC_DEFAULT : strcmp(e, "full") == 0 ? DB_SYNC_FULL :
		       strcmp(e, "none") == 0 ? DB_SYNC_NONE : DB_SYNC_DEFAULT;
	}
	return (enum db_sync)mode;
}

bool
db_sync_full(void)
{
	return db_sync_mode() == DB_SYNC_FULL;
}

bool
db_sync_none(void)
{
	return db_sync_mode() == DB_SYNC_NONE;
}

int
db_write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = pwrite(fd, data + off, len - off, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int
db_write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[DB_PATH_MAX], dir[DB_PATH_MAX], *slash;
	static unsigned seq;
	int fd, dfd, old;
	bool sync;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		return err_set(ISCSI_ERR_INVAL, "relative path %s", path);
	*slash = '\0';
	if ((old = db_compare(path, data, len)) == 1)
		return ISCSI_OK;	/* nothing changes: no write, no new inode */
	if (db_batch_active())
		return db_batch_write(path, data, len);
	sync = db_sync_mode() == DB_SYNC_FULL;
	if (db_path(tmp, "%s/.tmp.%s.%ld.%u", dir, slash + 1, (long)getpid(), seq++) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", tmp, strerror(errno));
	if (db_write_all(fd, data, len) < 0)
		goto fail;
	if (sync && fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	if (db_sync_mode() == DB_SYNC_FULL &&
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return ISCSI_OK;
fail:
	err_set(ISCSI_ERR_IDBM, "Could not write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return ISCSI_ERR_IDBM;
}

int
db_node_id_from_rec(const struct rec *node, struct db_node_id *id)
{
	const char *t = rec_get(node, "node.name");
	const char *a = rec_get(node, "node.conn[0].address");
	const char *i = rec_get(node, "iface.iscsi_ifacename");

	memset(id, 0, sizeof(*id));
	if (!t || !a || strlen(t) >= sizeof(id->target) || strlen(a) >= sizeof(id->address))
		return err_set(ISCSI_ERR_INVAL, "record without a valid name or address");
	strcpy(id->target, t);
	strcpy(id->address, a);
	snprintf(id->iface, sizeof(id->iface), "%s", i && *i ? i : "default");
	id->port = (int)rec_get_int(node, "node.conn[0].port", 3260);
	id->tpgt = (int)rec_get_int(node, "node.tpgt", -1);
	return ISCSI_OK;
}

/* Path of the record file of @id (tpgt known, or legacy flat when -1). */
static int
db_node_path(const struct db_node_id *id, char *buf)
{
	if (id->tpgt < 0)
		return db_path(buf, "%s/nodes/%s/%s,%d", paths_dbroot(), id->target,
			       id->address, id->port);
	return db_path(buf, "%s/nodes/%s/%s,%d,%d/%s", paths_dbroot(), id->target,
		       id->address, id->port, id->tpgt, id->iface);
}

static bool
db_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The legacy flat file of @id's portal, if it holds @id's iface. */
static bool
db_legacy_match(const struct db_node_id *id)
{
	struct db_node_id l = *id;
	char path[DB_PATH_MAX];
	struct rec *r;
	bool ok = false;
	const char *i;

	l.tpgt = -1;
	if (db_node_path(&l, path) != ISCSI_OK || !db_is_file(path))
		return false;
	if ((r = rec_new(REC_NODE)) == NULL)
		return false;
	if (rec_load_file(r, path) == ISCSI_OK) {
		i = rec_get(r, "iface.iscsi_ifacename");
		ok = strcmp(i && *i ? i : "default", id->iface) == 0;
	}
	rec_free(r);
	return ok;
}

/* Lowest tpgt of a directory record <addr>,<port>,<tpgt>/<iface> of @id's target. */
static int
db_find_tpgt(const struct db_node_id *id)
{
	char dir[DB_PATH_MAX], addr[DB_ADDR_MAX];
	struct dirent *de;
	int port, tpgt, best = -1;
	DIR *d;

	if (db_path(dir, "%s/nodes/%s", paths_dbroot(), id->target) != ISCSI_OK)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    db_parse_portal_dir(de->d_name, addr, sizeof(addr), &port, &tpgt) != 3)
			continue;
		if (port != id->port || strcmp(addr, id->address) != 0 || (best >= 0 && tpgt >= best))
			continue;
		if (faccessat(dirfd(d), de->d_name, F_OK, 0) == 0) {
			char f[DB_PATH_MAX];
			if (db_path(f, "%s/%s/%s", dir, de->d_name, id->iface) == ISCSI_OK &&
			    access(f, F_OK) == 0)
				best = tpgt;
		}
	}
	closedir(d);
	return best;
}

/* Find the stored record for @id: fills tpgt and legacy.  NO_OBJS_FOUND if none. */
static int
db_node_resolve(struct db_node_id *id)
{
	char path[DB_PATH_MAX];
	int tpgt;

	if (id->iface[0] == '\0')
		strcpy(id->iface, "default");
	if (db_check_id(id, 0) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if (id->legacy) {		/* from a listing: exactly the flat file */
		id->tpgt = -1;
		return db_legacy_match(id) ? ISCSI_OK :
			err_set(ISCSI_ERR_NO_OBJS_FOUND, "No records found");
	}
	if (id->tpgt >= 0) {
		if (db_node_path(id, path) == ISCSI_OK && access(path, F_OK) == 0)
			return ISCSI_OK;
	} else if ((tpgt = db_find_tpgt(id)) >= 0) {
		id->tpgt = tpgt;
		return ISCSI_OK;
	}
	if (db_legacy_match(id)) {
		id->tpgt = -1;
		id->legacy = true;
		return ISCSI_OK;
	}
	return err_set(ISCSI_ERR_NO_OBJS_FOUND, "No records found");
}

bool
db_node_exists(const struct db_node_id *id)
{
	struct db_node_id c = *id;

	return db_node_resolve(&c) == ISCSI_OK;
}

int
db_node_load(struct db_node_id *id, struct rec **out)
{
	char path[DB_PATH_MAX];
	struct rec *r;
	int rc;

	*out = NULL;
	if ((rc = db_node_resolve(id)) != ISCSI_OK)
		return rc;
	if ((rc = db_node_path(id, path)) != ISCSI_OK)
		return rc;
	if ((r = rec_new(REC_NODE)) == NULL)
		return ISCSI_ERR_NOMEM;
	if ((rc = rec_load_file(r, path)) != ISCSI_OK) {
		rec_free(r);
		return rc;
	}
	*out = r;
	return ISCSI_OK;
}

static int
db_link_name(const struct db_node_id *id, char *buf)
{
	return db_path(buf, "%s,%s,%d,%d,%s", id->target, id->address, id->port, id->tpgt,
		       id->iface);
}

/* Symlink <dir>/<t>,<ip>,<port>,<tpgt>,<iface> -> <dbroot>/nodes/<t>/<ip>,<port>,<tpgt>. */
static int
db_make_link(const char *dir, const struct db_node_id *id)
{
	char name[DB_PATH_MAX], lpath[DB_PATH_MAX], target[DB_PATH_MAX];

	if (db_link_name(id, name) != ISCSI_OK ||
	    db_path(lpath, "%s/%s", dir, name) != ISCSI_OK ||
	    db_path(target, "%s/nodes/%s/%s,%d,%d", paths_dbroot(), id->target, id->address,
		    id->port, id->tpgt) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if (db_batch_mkdirs(dir) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not make %s: %s", dir, strerror(errno));
	if (symlink(target, lpath) < 0 && errno != EEXIST)
		return err_set(ISCSI_ERR_IDBM, "Could not make link %s: %s", lpath, strerror(errno));
	return ISCSI_OK;
}

int
db_node_link_discovery(const struct db_node_id *id, enum rec_kind disc,
		       const char *disc_address, int disc_port)
{
	char dir[DB_PATH_MAX];

	if (id->tpgt < 0)
		return ISCSI_OK;
	if (names_check_address(disc_address) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if (db_path(dir, "%s/%s/%s,%d", paths_dbroot(),
		    disc == REC_DISC_ISNS ? "isns" : "send_targets", disc_address,
		    disc_port) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	return db_make_link(dir, id);
}

/* The static/, fw/ or discovery link that node.discovery_type asks for. */
static int
db_node_links(const struct rec *node, const struct db_node_id *id)
{
	const char *type = rec_get(node, "node.discovery_type");
	const char *da = rec_get(node, "node.discovery_address");
	int dp = (int)rec_get_int(node, "node.discovery_port", 0);
	char dir[DB_PATH_MAX];

	if (id->tpgt < 0 || type == NULL)
		return ISCSI_OK;
	if (strcmp(type, "static") == 0 || strcmp(type, "fw") == 0) {
		if (db_path(dir, "%s/%s", paths_dbroot(), type) != ISCSI_OK)
			return ISCSI_ERR_INVAL;
		return db_make_link(dir, id);
	}
	if (da == NULL || *da == '\0')
		return ISCSI_OK;
	if (strcmp(type, "send_targets") == 0)
		return db_node_link_discovery(id, REC_DISC_ST, da, dp);
	if (strcmp(type, "isns") == 0)
		return db_node_link_discovery(id, REC_DISC_ISNS, da, dp);
	return ISCSI_OK;
}

static int
db_node_write(const struct rec *node, const struct db_node_id *id)
{
	char path[DB_PATH_MAX], dir[DB_PATH_MAX], *text, *slash;
	size_t len;
	int rc;

	if ((rc = db_node_path(id, path)) != ISCSI_OK)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	if (db_mkdirs(dir) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not make %s: %s", dir, strerror(errno));
	if ((text = rec_to_text(node, &len)) == NULL)
		return ISCSI_ERR_NOMEM;
	rc = db_write_atomic(path, text, len);
	free(text);
	return rc;
}

int
db_node_store(const struct rec *node)
{
	struct db_node_id id, found;
	struct rec *copy = NULL;
	char legacy[DB_PATH_MAX];
	int rc;

	if (rec_kind(node) != REC_NODE)
		return err_set(ISCSI_ERR_INVAL, "not a node record");
	if ((rc = db_node_id_from_rec(node, &id)) != ISCSI_OK)
		return rc;
	found = id;
	if ((rc = db_check_id(&id, db_node_resolve(&found) != ISCSI_OK)) != ISCSI_OK)
		return rc;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if (id.tpgt < 0 && (found = id, db_node_resolve(&found)) == ISCSI_OK && found.tpgt >= 0) {
		/* open-iscsi #408: reuse the directory record's tpgt, no clashing flat file */
		char num[16];
		if ((copy = rec_dup(node)) == NULL) {
			rc = ISCSI_ERR_NOMEM;
			goto out;
		}
		snprintf(num, sizeof(num), "%d", found.tpgt);
		rec_set(copy, "node.tpgt", num);
		node = copy;
		id.tpgt = found.tpgt;
	}
	if ((rc = db_node_write(node, &id)) != ISCSI_OK)
		goto out;
	if (id.tpgt >= 0) {
		struct db_node_id l = id;
		l.tpgt = -1;
		if (db_node_path(&l, legacy) == ISCSI_OK && db_is_file(legacy))
			unlink(legacy);		/* converted to the directory form */
	}
	rc = db_node_links(node, &id);
out:
	db_unlock();
	rec_free(copy);
	return rc;
}

int
db_node_target_new(const char *target)
{
	char dir[DB_PATH_MAX];
	int n;

	if (names_check_iscsi(target) != ISCSI_OK) {
		err_clear();
		return 0;		/* db_node_store() will say why */
	}
	n = snprintf(dir, sizeof(dir), "%s/nodes/%s", paths_dbroot(), target);
	if (n < 0 || n >= (int)sizeof(dir))
		return 0;
	if (mkdir(dir, 0700) == 0)
		return 1;
	if (errno == EEXIST)
		return 0;
	if (errno != ENOENT || db_mkdirs(dir) < 0)	/* first record: no nodes/ yet */
		return -1;
	return 1;
}

int
db_node_create(const struct rec *node)
{
	struct db_node_id id;
	char path[DB_PATH_MAX], dir[DB_PATH_MAX], *text;
	size_t len;
	int rc;

	if (rec_kind(node) != REC_NODE || db_node_id_from_rec(node, &id) != ISCSI_OK ||
	    id.tpgt < 0)
		return db_node_store(node);	/* its errors and legacy rules */
	if ((rc = db_check_id(&id, 1)) != ISCSI_OK || (rc = db_node_path(&id, path)) != ISCSI_OK)
		return rc;
	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0700) < 0) {		/* the portal directory */
		int e = errno;

		db_unlock();
		if (e == EEXIST || e == ENOENT)	/* not a target just made */
			return db_node_store(node);
		return err_set(ISCSI_ERR_IDBM, "Could not make %s: %s", dir, strerror(e));
	}
	if ((text = rec_to_text(node, &len)) == NULL) {
		rc = ISCSI_ERR_NOMEM;
	} else {
		rc = db_write_new(path, text, len);
		free(text);
	}
	if (rc == ISCSI_OK)
		rc = db_node_links(node, &id);
	db_unlock();
	return rc;
}

int
db_node_link_path(const struct rec *node, const struct db_node_id *id, char *p)
{
	const char *type = node ? rec_get(node, "node.discovery_type") : NULL;
	const char *da = node ? rec_get(node, "node.discovery_address") : NULL;
	int dp = node ? (int)rec_get_int(node, "node.discovery_port", 0) : 0;
	char name[DB_PATH_MAX];

	if (id->tpgt < 0 || id->legacy || db_link_name(id, name) != ISCSI_OK)
		return -1;
	if (type == NULL || strcmp(type, "static") == 0 || strcmp(type, "fw") == 0)
		return db_path(p, "%s/%s/%s", paths_dbroot(), type ? type : "static", name) ==
			ISCSI_OK ? 0 : -1;
	if (da == NULL || *da == '\0')
		return -1;
	return db_path(p, "%s/%s/%s,%d/%s", paths_dbroot(),
		       strcmp(type, "isns") == 0 ? "isns" : "send_targets", da, dp, name) ==
		ISCSI_OK ? 0 : -1;
}

/* Remove the link node.discovery_type says @id's record has (one unlink, not a scan). */
static void
db_node_unlink_all(const struct rec *node, const struct db_node_id *id)
{
	char p[DB_PATH_MAX];

	if (db_node_link_path(node, id, p) == 0)
		unlink(p);
}

int
db_node_delete(const struct db_node_id *idp)
{
	struct db_node_id id = *idp;
	char path[DB_PATH_MAX], stop[DB_PATH_MAX], *slash;
	struct rec *r = NULL;
	int rc;

	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if ((rc = db_node_load(&id, &r)) != ISCSI_OK)
		goto out;
	if ((rc = db_node_path(&id, path)) != ISCSI_OK)
		goto out;
	if (unlink(path) < 0) {
		rc = err_set(ISCSI_ERR_IDBM, "Could not remove %s: %s", path, strerror(errno));
		goto out;
	}
	db_node_unlink_all(r, &id);
	slash = strrchr(path, '/');
	*slash = '\0';
	db_path(stop, "%s/nodes", paths_dbroot());
	db_prune(path, stop);
out:
	rec_free(r);
	db_unlock();
	return rc;
}
