// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small parallel-for for bulk database work.  Creating, renaming and
 * removing thousands of small files is dominated by waiting on the
 * filesystem journal and the disk, not by CPU, so a few threads in flight
 * roughly halve "update all" / "delete all".  Workers only make syscalls:
 * no logging, no err_set(); the caller reports errors afterwards.
 */
#include "config.h"

#include <pthread.h>
#include <stddef.h>

#include "db_priv.h"

#define DB_PAR_THREADS	(DB_PAR_WORKERS - 1)	/* the caller is a worker too */
/*
 * Below this, threads cost more than they save: with no fsync a record is
 * ~20-40 us of CPU, and on a busy 2-core machine waiting for 8 threads to
 * be scheduled made "list all" of 100 records 0.9x the reference (1000:
 * serial 17.5 ms CPU vs threaded 18.4 ms).  A variable so tests can lower it.
 */
size_t db_par_min = 1024;

struct db_par {
	size_t		  n;
	size_t		  next;		/* atomically incremented */
	int		  rc;		/* first failure seen, 0 if none */
	int		(*fn)(size_t i, unsigned worker, void *arg);
	void		 *arg;
};

struct db_par_worker {
	struct db_par	*par;
	unsigned	 id;
};

static void *
db_par_worker(void *p)
{
	struct db_par_worker *w = p;
	struct db_par *par = w->par;
	size_t i;

	while ((i = __atomic_fetch_add(&par->next, 1, __ATOMIC_RELAXED)) < par->n) {
		int rc = par->fn(i, w->id, par->arg);
		int zero = 0;
		if (rc != 0)
			__atomic_compare_exchange_n(&par->rc, &zero, rc, false,
						    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
db_par_run(size_t n, size_t min, int (*fn)(size_t i, unsigned worker, void *arg), void *arg)
{
	struct db_par par = { n, 0, 0, fn, arg };
	struct db_par_worker w[DB_PAR_WORKERS];
	pthread_t th[DB_PAR_THREADS];
	unsigned started = 0;

	for (unsigned k = 0; k < DB_PAR_WORKERS; k++)
		w[k] = (struct db_par_worker){ &par, k };
	if (n >= min)
		for (; started < DB_PAR_THREADS; started++)
			if (pthread_create(&th[started], NULL, db_par_worker, &w[started + 1]) != 0)
				break;
	db_par_worker(&w[0]);		/* the caller works too (and alone if no thread started) */
	for (unsigned k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	return par.rc;
}

int
db_par_for_w(size_t n, int (*fn)(size_t i, unsigned worker, void *arg), void *arg)
{
	return db_par_run(n, db_par_min, fn, arg);
}

/* db_par_for()'s callers do not care which worker runs an item. */
struct db_par_plain {
	int	(*fn)(size_t i, void *arg);
	void	 *arg;
};

static int
db_par_plain_one(size_t i, unsigned worker, void *arg)
{
	struct db_par_plain *p = arg;

	(void)worker;
	return p->fn(i, p->arg);
}

int
db_par_for_min(size_t n, size_t min, int (*fn)(size_t i, void *arg), void *arg)
{
	struct db_par_plain p = { fn, arg };

	return db_par_run(n, min, db_par_plain_one, &p);
}

int
db_par_for(size_t n, int (*fn)(size_t i, void *arg), void *arg)
{
	return db_par_for_min(n, db_par_min, fn, arg);
}
