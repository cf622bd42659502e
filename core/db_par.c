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

#define DB_PAR_THREADS	8
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
	int		(*fn)(size_t i, void *arg);
	void		 *arg;
};

static void *
db_par_worker(void *p)
{
	struct db_par *par = p;
	size_t i;

	while ((i = __atomic_fetch_add(&par->next, 1, __ATOMIC_RELAXED)) < par->n) {
		int rc = par->fn(i, par->arg);
		int zero = 0;
		if (rc != 0)
			__atomic_compare_exchange_n(&par->rc, &zero, rc, false,
						    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	return NULL;
}

int
db_par_for_min(size_t n, size_t min, int (*fn)(size_t i, void *arg), void *arg)
{
	struct db_par par = { n, 0, 0, fn, arg };
	pthread_t th[DB_PAR_THREADS];
	int started = 0;

	if (n >= min)
		for (; started < DB_PAR_THREADS; started++)
			if (pthread_create(&th[started], NULL, db_par_worker, &par) != 0)
				break;
	db_par_worker(&par);		/* the caller works too (and alone if no thread started) */
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return par.rc;
}

int
db_par_for(size_t n, int (*fn)(size_t i, void *arg), void *arg)
{
	return db_par_for_min(n, db_par_min, fn, arg);
}
