// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bulk update of node records ("iscsiadm -m node -o update" without -T,
 * iface rebinding).  Three stages: every record is read on db_par_for()
 * threads; this thread parses each, lets the caller's function change it
 * (it may log and keep state, so it runs here, in order) and formats it;
 * and as soon as a record is formatted, swap workers put it in place with
 * db_swap_put() (db_swap.c: one spare inode per worker, none allocated or
 * freed per record).  Formatting and swapping overlap: on two cores the
 * CPU-bound parsing and the syscall-bound swapping run side by side.
 * Single-record writes are db_write_atomic()'s business, not this file's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iscsi/errors.h>
#include "conf.h"
#include "db.h"
#include "db_priv.h"
#include "err.h"
#include "paths.h"
#include "rec.h"

/*
 * Threads from this many records on.  Lower than db_par_min: a swap is a
 * handful of syscalls (~30 us), so even a few hundred records gain from
 * overlapping them with the parsing on this thread (100 records: 8-9 ms
 * instead of 9-12 ms).
 */
static size_t db_update_par_min = 32;

struct db_pending {
	char	*path;
	char	*old;		/* the record as read */
	size_t	 oldlen;
	int	 rerr;		/* errno of the read, 0 if fine */
	char	*text;		/* the new text, NULL if unchanged */
	size_t	 len;
	int	 err;		/* errno of the write, 0 if fine */
};

/*
 * The hand-over from the formatting thread to the swap workers: items
 * below @ready are formatted; workers claim them in order through @next.
 * @closed: no more will come (all formatted, or the update was abandoned:
 * then @ready stays where it was and nothing after it is written).
 */
struct db_update {
	struct db_pending	*p;
	size_t			 n;
	pthread_mutex_t		 mu;
	pthread_cond_t		 more;
	size_t			 ready, next;
	bool			 closed;
	int			 failed;	/* a write failed: stop writing */
	struct db_swap		 swap[DB_UPDATE_SWAPPERS + 1];	/* [0]: this thread */
};

static int
db_pend_read(size_t i, void *arg)
{
	struct db_pending *p = (struct db_pending *)arg + i;

	if (conf_read_file(p->path, &p->old, &p->oldlen) < 0)
		p->rerr = errno;
	return 0;
}

/* The next formatted item to swap, or false when there is none left. */
static bool
db_update_claim(struct db_update *u, size_t *i)
{
	bool ok;

	pthread_mutex_lock(&u->mu);
	while (u->next >= u->ready && !u->closed)
		pthread_cond_wait(&u->more, &u->mu);
	ok = u->next < u->ready;
	if (ok)
		*i = u->next++;
	pthread_mutex_unlock(&u->mu);
	return ok;
}

static void
db_update_publish(struct db_update *u, size_t ready, bool closed)
{
	pthread_mutex_lock(&u->mu);
	u->ready = ready;
	u->closed = closed;
	pthread_cond_broadcast(&u->more);
	pthread_mutex_unlock(&u->mu);
}

static void
db_update_swap(struct db_update *u, unsigned worker)
{
	struct db_pending *p;
	size_t i;

	while (db_update_claim(u, &i)) {
		p = &u->p[i];
		if (p->text == NULL || __atomic_load_n(&u->failed, __ATOMIC_RELAXED))
			continue;	/* unchanged, or left as it was after a failure */
		if ((p->err = db_swap_put(&u->swap[worker], p->path, p->text, p->len)) != 0)
			__atomic_store_n(&u->failed, 1, __ATOMIC_RELAXED);
	}
}

struct db_update_worker {
	struct db_update	*u;
	unsigned		 id;
};

static void *
db_update_thread(void *arg)
{
	struct db_update_worker *w = arg;

	db_update_swap(w->u, w->id);
	return NULL;
}

/* Parse, modify and format one record that was read; p->text stays NULL if unchanged. */
static int
db_update_one(struct db_node_id *id, db_node_fn fn, void *arg, struct db_pending *p)
{
	struct rec *r;
	bool changed = false;
	int rc;

	if (p->rerr == ENOENT)
		return ISCSI_OK;	/* deleted meanwhile */
	if (p->rerr != 0)
		return err_set(ISCSI_ERR_IDBM, "Could not read %s: %s", p->path,
			       strerror(p->rerr));
	if ((r = rec_new(REC_NODE)) == NULL)
		return ISCSI_ERR_NOMEM;
	rec_parse(r, p->old, p->oldlen, p->path);
	rc = fn(r, id, &changed, arg);
	if (rc == ISCSI_OK && changed) {
		if ((p->text = rec_to_text(r, &p->len)) == NULL)
			rc = ISCSI_ERR_NOMEM;
		else if (p->len == p->oldlen && memcmp(p->text, p->old, p->len) == 0) {
			free(p->text);		/* unchanged: not rewritten */
			p->text = NULL;
		}
	}
	rec_free(r);
	free(p->old);
	p->old = NULL;
	return rc;
}

/*
 * Format on this thread while @nthreads swap workers write.  A failing
 * @fn stops the hand-over: records already handed over are written (as
 * open-iscsi, which writes each record as it goes), later ones are not.
 */
static int
db_update_run(struct db_update *u, struct db_node_id *ids, db_node_fn fn, void *arg)
{
	struct db_update_worker w[DB_UPDATE_SWAPPERS];
	pthread_t th[DB_UPDATE_SWAPPERS];
	unsigned nthreads = 0;
	int rc = ISCSI_OK;
	size_t i;

	if (u->n >= db_update_par_min)
		for (; nthreads < DB_UPDATE_SWAPPERS; nthreads++) {
			w[nthreads] = (struct db_update_worker){ u, nthreads + 1 };
			if (pthread_create(&th[nthreads], NULL, db_update_thread, &w[nthreads]) != 0)
				break;
		}
	for (i = 0; i < u->n && rc == ISCSI_OK; i++) {
		rc = db_update_one(&ids[i], fn, arg, &u->p[i]);
		if (rc == ISCSI_OK && nthreads > 0 && (i % 64 == 63 || i + 1 == u->n))
			db_update_publish(u, i + 1, false);
	}
	db_update_publish(u, rc == ISCSI_OK ? u->n : u->ready, true);
	db_update_swap(u, 0);		/* this thread drains what is left */
	for (unsigned k = 0; k < nthreads; k++)
		pthread_join(th[k], NULL);
	return rc;
}

/* Run the update; a lease break notice (SIGIO, db_swap.c) must not kill us. */
static int
db_update_all(struct db_update *u, struct db_node_id *ids, db_node_fn fn, void *arg)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int fd, rc;

	pthread_mutex_init(&u->mu, NULL);
	pthread_cond_init(&u->more, NULL);
	for (unsigned k = 0; k <= DB_UPDATE_SWAPPERS; k++)
		db_swap_init(&u->swap[k], k);
	db_swap_sweep();
	sigaction(SIGIO, &ign, &old);
	rc = db_update_run(u, ids, fn, arg);
	for (unsigned k = 0; k <= DB_UPDATE_SWAPPERS; k++)
		db_swap_fini(&u->swap[k]);
	sigaction(SIGIO, &old, NULL);
	pthread_cond_destroy(&u->more);
	pthread_mutex_destroy(&u->mu);
	/* ISCSI_DB_SYNC=full: texts were fdatasync()ed; now the directory entries */
	if (db_sync_full() && (fd = open(paths_dbroot(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		syncfs(fd);
		close(fd);
	}
	for (size_t i = 0; i < u->n; i++)
		if (u->p[i].err != 0)
			return err_set(ISCSI_ERR_IDBM, "Could not write %s: %s", u->p[i].path,
				       strerror(u->p[i].err));
	return rc;
}

static void
db_pend_free(struct db_pending *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].path);
		free(p[i].old);
		free(p[i].text);
	}
	free(p);
}

int
db_node_update_each(const struct db_node_filter *f, db_node_fn fn, void *arg)
{
	struct db_node_id *ids = NULL;
	struct db_update *u = NULL;
	char path[DB_PATH_MAX];
	size_t n = 0;
	int rc;

	if ((rc = db_lock()) != ISCSI_OK)
		return rc;
	if ((rc = db_node_list(f, &ids, &n)) != ISCSI_OK)
		goto out;
	if (n == 0) {
		rc = err_set(ISCSI_ERR_NO_OBJS_FOUND, "No records found");
		goto out;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL || (u->p = calloc(n, sizeof(*u->p))) == NULL) {
		rc = ISCSI_ERR_NOMEM;
		goto out;
	}
	u->n = n;
	for (size_t i = 0; i < n && rc == ISCSI_OK; i++)
		if ((rc = db_id_path(&ids[i], path)) == ISCSI_OK &&
		    (u->p[i].path = strdup(path)) == NULL)
			rc = ISCSI_ERR_NOMEM;
	if (rc == ISCSI_OK) {
		db_par_for_min(n, db_update_par_min, db_pend_read, u->p);
		rc = db_update_all(u, ids, fn, arg);
	}
out:
	if (u != NULL) {
		db_pend_free(u->p, n);
		free(u);
	}
	free(ids);
	db_unlock();
	return rc;
}
