// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bulk update through reused spare inodes (core/db_swap.c, db_update.c):
 * inodes really are reused, a reader holding a record open keeps reading
 * that record, hard-linked or loosely-permitted files are not recycled,
 * spares of a dead run are swept, and nothing is left behind.
 */
#include "db_test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check_util.h"
#include "db.h"
#include "db_priv.h"
#include "err.h"
#include "rec.h"

#define NREC	200

static char *
path_of(int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/nodes/iqn.2024-01.test:swap%03d/127.0.0.1,3260,1/default",
		 paths_dbroot(), i);
	return buf;
}

static void
store_all(void)
{
	char name[64];

	for (int i = 0; i < NREC; i++) {
		struct rec *r = rec_new(REC_NODE);

		snprintf(name, sizeof(name), "iqn.2024-01.test:swap%03d", i);
		ck_assert_int_eq(rec_set(r, "node.name", name), ISCSI_OK);
		rec_set(r, "node.conn[0].address", "127.0.0.1");
		rec_set(r, "node.conn[0].port", "3260");
		rec_set(r, "node.tpgt", "1");
		ck_assert_int_eq(db_node_store(r), ISCSI_OK);
		rec_free(r);
	}
}

static int
set_startup(struct rec *r, const struct db_node_id *id, bool *changed, void *arg)
{
	(void)id;
	*changed = true;
	return rec_update(r, "node.startup", arg);
}

static void
update_to(const char *startup)
{
	struct db_node_filter all = DB_NODE_FILTER_ALL;

	ck_assert_int_eq(db_node_update_each(&all, set_startup, (void *)startup), ISCSI_OK);
}

static void
update_all(void)
{
	update_to("automatic");
}

static char *
slurp_fd(int fd)
{
	static char buf[16384];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	return buf;
}

/* Each record file holds its own record, whole, with @startup, mode 0600; no spare left. */
static void
check_all(const char *startup)
{
	char p[4096], want[128];
	struct stat st;
	DIR *d;

	for (int i = 0; i < NREC; i++) {
		int fd = open(path_of(i, p, sizeof(p)), O_RDONLY);
		char *text;

		ck_assert_int_ge(fd, 0);
		text = slurp_fd(fd);
		snprintf(want, sizeof(want), "node.name = iqn.2024-01.test:swap%03d\n", i);
		ck_assert_msg(strstr(text, want) != NULL, "record %d holds another record", i);
		snprintf(want, sizeof(want), "node.startup = %s\n", startup);
		ck_assert_ptr_nonnull(strstr(text, want));
		/* a shorter text over a longer spare leaves no tail */
		ck_assert_ptr_eq(strstr(text, "# END RECORD"), text + strlen(text) - 13);
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert_int_eq(st.st_mode & 07777, 0600);
		ck_assert_int_eq(st.st_nlink, 1);
		close(fd);
	}
	ck_assert_ptr_nonnull(d = opendir(paths_dbroot()));
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		ck_assert_msg(strncmp(e->d_name, ".iscsikit-spare", 15) != 0,
			      "spare left behind: %s", e->d_name);
	closedir(d);
}

static void
check_all_updated(void)
{
	check_all("automatic");
}

/* The point of db_swap.c: the new files are mostly the old inodes, reused. */
START_TEST(test_db_swap_reuses_inodes)
{
	ino_t before[NREC];
	char p[4096];
	struct stat st;
	int reused = 0;

	db_par_min = 32;
	store_all();
	for (int i = 0; i < NREC; i++) {
		ck_assert_int_eq(stat(path_of(i, p, sizeof(p)), &st), 0);
		before[i] = st.st_ino;
	}
	update_all();
	check_all_updated();
	for (int i = 0; i < NREC; i++) {
		ck_assert_int_eq(stat(path_of(i, p, sizeof(p)), &st), 0);
		for (int k = 0; k < NREC; k++)
			if (st.st_ino == before[k]) {
				reused++;
				break;
			}
	}
	/* one fresh spare per swapping thread at most; everything else is recycled */
	ck_assert_int_ge(reused, NREC - (DB_UPDATE_SWAPPERS + 1));
	update_to("manual");	/* shorter texts into longer spares */
	check_all("manual");
}
END_TEST

/*
 * A reader that opened records before the update must go on reading those
 * records, whole, as they were: their inodes must not be recycled.
 */
START_TEST(test_db_swap_open_readers_keep_their_record)
{
	int fds[NREC / 10];
	char p[4096], want[128];

	db_par_min = 32;
	store_all();
	for (int k = 0; k < NREC / 10; k++)
		ck_assert_int_ge(fds[k] = open(path_of(k * 10, p, sizeof(p)), O_RDONLY), 0);
	update_all();
	check_all_updated();
	for (int k = 0; k < NREC / 10; k++) {
		char *text = slurp_fd(fds[k]);

		snprintf(want, sizeof(want), "node.name = iqn.2024-01.test:swap%03d\n", k * 10);
		ck_assert_msg(strstr(text, want) != NULL, "reader of %d got another record", k * 10);
		ck_assert_ptr_nonnull(strstr(text, "node.startup = manual\n"));
		ck_assert_ptr_nonnull(strstr(text, "# END RECORD"));
		close(fds[k]);
	}
}
END_TEST

/* A record hard-linked elsewhere keeps that other name's content; 0644 files are not reused as is. */
START_TEST(test_db_swap_hardlink_and_mode)
{
	char p[4096], keep[4096], before[16384];
	int fd;

	db_par_min = 32;
	store_all();
	snprintf(keep, sizeof(keep), "%s/keep", paths_dbroot());
	ck_assert_int_eq(link(path_of(7, p, sizeof(p)), keep), 0);
	ck_assert_int_eq(chmod(path_of(8, p, sizeof(p)), 0644), 0);
	ck_assert_int_ge(fd = open(keep, O_RDONLY), 0);
	snprintf(before, sizeof(before), "%s", slurp_fd(fd));
	close(fd);
	update_all();
	check_all_updated();
	ck_assert_int_ge(fd = open(keep, O_RDONLY), 0);
	ck_assert_str_eq(slurp_fd(fd), before);
	close(fd);
}
END_TEST

/* Spares left by a process that died mid-update are removed by the next one; serial path too. */
START_TEST(test_db_swap_sweep_and_serial)
{
	char p[4096];
	int fd;

	store_all();
	snprintf(p, sizeof(p), "%s/.iscsikit-spare.1.3", paths_dbroot());
	ck_assert_int_ge(fd = open(p, O_WRONLY | O_CREAT, 0600), 0);
	close(fd);
	update_all();		/* db_par_min as shipped: one worker */
	check_all_updated();
}
END_TEST

/* ISCSI_DB_SYNC=full and =none take the same swaps (fdatasync / no writeback). */
static const char *const sync_modes[] = { "full", "none" };

START_TEST(test_db_swap_sync_modes)
{
	setenv("ISCSI_DB_SYNC", sync_modes[_i], 1);
	db_par_min = 32;
	store_all();
	update_all();
	check_all_updated();
	update_to("manual");
	check_all("manual");
	unsetenv("ISCSI_DB_SYNC");
}
END_TEST

static Suite *
db_swap_suite(void)
{
	Suite *s = suite_create("db_swap");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, dbt_setup, dbt_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_db_swap_reuses_inodes);
	tcase_add_test(tc, test_db_swap_open_readers_keep_their_record);
	tcase_add_test(tc, test_db_swap_hardlink_and_mode);
	tcase_add_test(tc, test_db_swap_sweep_and_serial);
	tcase_add_loop_test(tc, test_db_swap_sync_modes, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(db_swap_suite)
