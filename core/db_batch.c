// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Batched durability for bulk writers of the node DB (discovery of
 * thousands of targets): inside a batch db_write_atomic() writes the
 * temporary file without fsync and defers the rename; db_batch_end()
 * renames them all into place (as db_write_atomic(): no sync by default).
 * With ISCSI_DB_SYNC=full every temporary is fsynced first and every
 * directory after, from a few threads at once (the journal commits them
 * together).  Each file appears whole or not at all.  Not syncfs(): that
 * flushed every other writer's data on the disk too (100 new records:
 * 0.06-0.22 s depending on the machine's load; without sync ~0.02 s).
 * Also db_write_new(): a file known to be new, as one unnamed inode linked
 * in place, and db_batch_mkdirs(): one mkdir per batch for the link dir.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iscsi/errors.h>
#include "db.h"
#include "db_priv.h"
#include "err.h"

struct db_batch_item {
	char	*tmp;
	char	*path;
};

static struct {
	bool			 on;
	unsigned		 seq;
	long			 pid;
	char			*made_dir;	/* last directory db_batch_mkdirs() made */
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
	bool wrote;
	int fd;

	if ((slash = strrchr(path, '/')) == NULL)
		return err_set(ISCSI_ERR_INVAL, "relative path %s", path);
	if (db_batch.pid == 0)
		db_batch.pid = (long)getpid();
	if (db_path(tmp, "%.*s/.tmp.%s.%ld.b%u", (int)(slash - path), path, slash + 1,
	    db_batch.pid, db_batch.seq++) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", tmp, strerror(errno));
	wrote = db_write_all(fd, data, len) == 0;
	if (close(fd) < 0 || !wrote || (keep = strdup(tmp)) == NULL) {
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
	free(db_batch.made_dir);
	memset(&db_batch, 0, sizeof(db_batch));
}

int
db_batch_mkdirs(const char *dir)
{
	if (db_batch.on && db_batch.made_dir != NULL && strcmp(db_batch.made_dir, dir) == 0)
		return 0;
	if (db_mkdirs(dir) < 0)
		return -1;
	if (db_batch.on) {
		free(db_batch.made_dir);
		db_batch.made_dir = strdup(dir);	/* NULL only costs a mkdir next time */
	}
	return 0;
}

/*
 * Give the unnamed inode @fd the name @path: AT_EMPTY_PATH needs
 * CAP_DAC_READ_SEARCH, /proc/self/fd works for any owner.  0 or -1.
 */
static int
db_link_tmpfile(int fd, const char *path)
{
	char proc[64];

	if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT && errno != EPERM)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

int
db_write_new(const char *path, const char *data, size_t len)
{
	char dir[DB_PATH_MAX], *slash;
	int fd, ok;

	if (db_sync_full() || strlen(path) >= sizeof(dir) || strrchr(path, '/') == NULL)
		return db_write_atomic(path, data, len);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	/* mode as db_write_atomic()'s temporaries; any failure: the portable way */
	if ((fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)) < 0)
		return db_write_atomic(path, data, len);
	ok = db_write_all(fd, data, len) == 0 && db_link_tmpfile(fd, path) == 0;
	close(fd);
	return ok ? ISCSI_OK : db_write_atomic(path, data, len);
}

#define DB_BATCH_THREADS	16

/* fsync every name in @names (stride over threads); errors counted. */
struct db_sync_job {
	char *const	*names;
	size_t		 n, first;
	size_t		 failed;
};

static void *
db_sync_worker(void *arg)
{
	struct db_sync_job *j = arg;
	size_t i;
	int fd;

	for (i = j->first; i < j->n; i += DB_BATCH_THREADS) {
		fd = open(j->names[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) < 0)
			j->failed++;
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

/* fsync @n files or directories concurrently; 0 or -1 if any failed. */
static int
db_sync_all(char *const *names, size_t n)
{
	struct db_sync_job jobs[DB_BATCH_THREADS];
	pthread_t tids[DB_BATCH_THREADS];
	size_t t, started = 0, failed = 0;

	for (t = 0; t < DB_BATCH_THREADS && t < n; t++) {
		jobs[t] = (struct db_sync_job){ .names = names, .n = n, .first = t };
		if (pthread_create(&tids[t], NULL, db_sync_worker, &jobs[t]) != 0) {
			db_sync_worker(&jobs[t]);	/* no thread: do that share here */
			failed += jobs[t].failed;
			continue;
		}
		started |= (size_t)1 << t;
	}
	for (t = 0; t < DB_BATCH_THREADS && t < n; t++)
		if (started & ((size_t)1 << t)) {
			pthread_join(tids[t], NULL);
			failed += jobs[t].failed;
		}
	return failed == 0 ? 0 : -1;
}

static int
db_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct parent directories of the batch's paths (malloc'd strings). */
static char **
db_batch_dirs(size_t *n)
{
	char **d = calloc(db_batch.n ? db_batch.n : 1, sizeof(*d));
	size_t i, k = 0;

	if (d == NULL)
		return NULL;
	for (i = 0; i < db_batch.n; i++) {
		const char *slash = strrchr(db_batch.v[i].path, '/');

		d[i] = strndup(db_batch.v[i].path, (size_t)(slash - db_batch.v[i].path));
	}
	qsort(d, db_batch.n, sizeof(*d), db_cmp_str);
	for (i = 0; i < db_batch.n; i++) {
		if (d[i] != NULL && (k == 0 || strcmp(d[k - 1], d[i]) != 0))
			d[k++] = d[i];
		else
			free(d[i]);
	}
	*n = k;
	return d;
}

static int
db_batch_commit(void)
{
	char **names, **dirs;
	size_t i, ndirs = 0;
	int rc = ISCSI_OK;

	if (db_batch.n == 0)
		return ISCSI_OK;
	if (db_sync_full()) {
		if ((names = calloc(db_batch.n, sizeof(*names))) == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory to commit the write batch");
		for (i = 0; i < db_batch.n; i++)
			names[i] = db_batch.v[i].tmp;
		if (db_sync_all(names, db_batch.n) < 0)
			rc = err_set(ISCSI_ERR_IDBM, "Could not sync new records: %s",
				     strerror(errno));
		free(names);
	}
	for (i = 0; i < db_batch.n; i++) {
		if (rc == ISCSI_OK && rename(db_batch.v[i].tmp, db_batch.v[i].path) < 0)
			rc = err_set(ISCSI_ERR_IDBM, "Could not write %s: %s",
			    db_batch.v[i].path, strerror(errno));
		if (rc != ISCSI_OK)
			unlink(db_batch.v[i].tmp);
	}
	/* directories only with ISCSI_DB_SYNC=full, as db_write_atomic() */
	if (rc == ISCSI_OK && db_sync_full() && (dirs = db_batch_dirs(&ndirs)) != NULL) {
		(void)db_sync_all(dirs, ndirs);	/* best effort, as db_write_atomic */
		for (i = 0; i < ndirs; i++)
			free(dirs[i]);
		free(dirs);
	}
	return rc;
}

int
db_batch_end(bool commit)
{
	int rc = ISCSI_OK;
	size_t i;

	db_batch.on = false;
	if (commit)
		rc = db_batch_commit();
	else
		for (i = 0; i < db_batch.n; i++)
			unlink(db_batch.v[i].tmp);
	db_batch_free();
	return rc;
}
