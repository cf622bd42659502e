// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 8 processes x 500 read-modify-write updates of 4 shared node records
 * through the db API (half with db_lock+load+store, half with
 * db_node_update_each), while a reader keeps loading them.  Afterwards the
 * counters must add up exactly (no lost update) and every file must be a
 * complete record (no torn write).  Exit status 0 = pass.
 */
#include "db_test_util.h"

#include <errno.h>
#include <sys/wait.h>

#include "db.h"
#include "err.h"
#include "rec.h"

#define WORKERS	8
#define UPDATES	500
#define RECORDS	4

static const char *const targets[RECORDS] = {
	"iqn.2024-01.test:c0", "iqn.2024-01.test:c1", "iqn.2024-01.test:c2", "iqn.2024-01.test:c3",
};

static struct db_node_id
cid(int i)
{
	struct db_node_id id;

	memset(&id, 0, sizeof(id));
	snprintf(id.target, sizeof(id.target), "%s", targets[i]);
	strcpy(id.address, "127.0.0.1");
	strcpy(id.iface, "default");
	id.port = 3260;
	id.tpgt = 1;
	return id;
}

static int
bump(struct rec *r, const struct db_node_id *id, bool *changed, void *arg)
{
	char num[32];

	(void)id;
	(void)arg;
	snprintf(num, sizeof(num), "%ld", rec_get_int(r, "node.session.initial_cmdsn", 0) + 1);
	*changed = true;
	return rec_set(r, "node.session.initial_cmdsn", num);
}

static int
worker(int w)
{
	for (int u = 0; u < UPDATES; u++) {
		int i = (w + u) % RECORDS;
		struct db_node_id id = cid(i);
		struct rec *r;
		bool ch;
		int rc;

		if (w % 2 == 0) {
			struct db_node_filter f = DB_NODE_FILTER_ALL;
			f.target = targets[i];
			rc = db_node_update_each(&f, bump, NULL);
		} else {
			if ((rc = db_lock()) != ISCSI_OK)
				return 1;
			if ((rc = db_node_load(&id, &r)) == ISCSI_OK) {
				bump(r, &id, &ch, NULL);
				rc = db_node_store(r);
				rec_free(r);
			}
			db_unlock();
		}
		if (rc != ISCSI_OK) {
			fprintf(stderr, "worker %d update %d: %s\n", w, u, iscsi_strerror(rc));
			return 1;
		}
	}
	return 0;
}

/* Keep reading until told to stop; every read must be a whole record. */
static int
reader(void)
{
	char path[4096], *buf;
	size_t len;

	for (int n = 0; n < 20000; n++) {
		snprintf(path, sizeof(path), "%s/nodes/%s/127.0.0.1,3260,1/default", paths_dbroot(),
			 targets[n % RECORDS]);
		if (conf_read_file(path, &buf, &len) < 0) {
			fprintf(stderr, "reader: %s: %s\n", path, strerror(errno));
			return 1;
		}
		if (len < 40 || strncmp(buf, "# BEGIN RECORD ", 15) != 0 ||
		    strcmp(buf + len - 13, "# END RECORD\n") != 0) {
			fprintf(stderr, "reader: torn record %s (%zu bytes)\n", path, len);
			free(buf);
			return 1;
		}
		free(buf);
	}
	return 0;
}

int
main(void)
{
	pid_t pids[WORKERS + 1];
	long total = 0;
	int failed = 0, status;

	dbt_setup();
	for (int i = 0; i < RECORDS; i++) {
		struct rec *r = rec_new(REC_NODE);
		rec_set(r, "node.name", targets[i]);
		rec_set(r, "node.conn[0].address", "127.0.0.1");
		rec_set(r, "node.tpgt", "1");
		rec_set(r, "node.session.initial_cmdsn", "0");
		if (db_node_store(r) != ISCSI_OK)
			return 1;
		rec_free(r);
	}
	for (int w = 0; w <= WORKERS; w++) {
		if ((pids[w] = fork()) < 0)
			return 1;
		if (pids[w] == 0)
			_exit(w == WORKERS ? reader() : worker(w));
	}
	for (int w = 0; w <= WORKERS; w++) {
		if (waitpid(pids[w], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	for (int i = 0; i < RECORDS; i++) {
		struct db_node_id id = cid(i);
		struct rec *r;
		if (db_node_load(&id, &r) != ISCSI_OK) {
			failed = 1;
			continue;
		}
		total += rec_get_int(r, "node.session.initial_cmdsn", -1);
		rec_free(r);
	}
	printf("updates counted: %ld of %d\n", total, WORKERS * UPDATES);
	if (total != WORKERS * UPDATES)
		failed = 1;
	dbt_teardown();
	return failed;
}
