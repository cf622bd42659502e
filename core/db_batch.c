// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Batched durability for bulk writers of the node DB (discovery of
 * thousands of targets): inside a batch db_write_atomic() writes the
 * temporary file without fsync and defers the rename; db_batch_end() makes
 * all temporaries durable with one syncfs(), renames them into place and
 * syncs again.  Each file still appears whole or not at all.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iscsi/errors.h>
#include "db.h"
#include "db_priv.h"
#include "err.h"
#include "paths.h"

struct db_batch_item {
	char	*tmp;
	char	*path;
};

static struct {
	bool			 on;
	unsigned		 seq;
	struct db_batch_item	*v;
	size_t			 n, cap;
} db_batch;

void
db_batch_begin(void)
{
	db_batch.on = true;
}

bool
db_batch_active(void)
{
	return db_batch.on;
}

static int
db_batch_push(char *tmp, const char *path)
{
	struct db_batch_item *v;

	if (db_batch.n == db_batch.cap) {
		size_t cap = db_batch.cap ? db_batch.cap * 2 : 256;

		if ((v = realloc(db_batch.v, cap * sizeof(*v))) == NULL)
			return ISCSI_ERR_NOMEM;
		db_batch.v = v;
		db_batch.cap = cap;
	}
	if ((db_batch.v[db_batch.n].path = strdup(path)) == NULL)
		return ISCSI_ERR_NOMEM;
	db_batch.v[db_batch.n++].tmp = tmp;
	return ISCSI_OK;
}

int
db_batch_write(const char *path, const char *data, size_t len)
{
	char tmp[DB_PATH_MAX], *slash, *keep;
	size_t off = 0;
	int fd;

	if ((slash = strrchr(path, '/')) == NULL)
		return err_set(ISCSI_ERR_INVAL, "relative path %s", path);
	if (db_path(tmp, "%.*s/.tmp.%s.%ld.b%u", (int)(slash - path), path, slash + 1,
	    (long)getpid(), db_batch.seq++) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", tmp, strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) < 0 || off < len || (keep = strdup(tmp)) == NULL) {
		unlink(tmp);
		return err_set(ISCSI_ERR_IDBM, "Could not write %s: %s", path, strerror(errno));
	}
	if (db_batch_push(keep, path) != ISCSI_OK) {
		unlink(tmp);
		free(keep);
		return err_set(ISCSI_ERR_NOMEM, "no memory for the write batch");
	}
	return ISCSI_OK;
}

static void
db_batch_free(void)
{
	size_t i;

	for (i = 0; i < db_batch.n; i++) {
		free(db_batch.v[i].tmp);
		free(db_batch.v[i].path);
	}
	free(db_batch.v);
	memset(&db_batch, 0, sizeof(db_batch));
}

int
db_batch_end(bool commit)
{
	int fd, rc = ISCSI_OK;
	size_t i;

	fd = open(paths_dbroot(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (commit && fd >= 0)
		syncfs(fd);
	for (i = 0; i < db_batch.n; i++) {
		if (!commit) {
			unlink(db_batch.v[i].tmp);
		} else if (rename(db_batch.v[i].tmp, db_batch.v[i].path) < 0) {
			if (rc == ISCSI_OK)
				rc = err_set(ISCSI_ERR_IDBM, "Could not write %s: %s",
				    db_batch.v[i].path, strerror(errno));
			unlink(db_batch.v[i].tmp);
		}
	}
	if (fd >= 0) {
		if (commit)
			syncfs(fd);
		close(fd);
	}
	db_batch_free();
	return rc;
}
