// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The global node-database lock, interoperable with open-iscsi: holding it
 * means owning the hard link lockdir/lock.write -> lockdir/lock.  Our own
 * processes first serialise on flock(lockdir/lock.owner), so a lock.write
 * found while we hold that flock belongs to an open-iscsi binary or to a
 * crashed process; once its inode change time (set by link()) is older
 * than the stale age it is broken.  open-iscsi never breaks it and waits
 * 30 s; we wait the same 30 s for a live holder.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "err.h"
#include "log.h"
#include "paths.h"

#define DB_LOCK_TRIES	3000		/* x 10 ms = 30 s, as open-iscsi */
#define DB_LOCK_SLEEP_NS 10000000L

static int lock_refs;
static int lock_owner_fd = -1;
static int lock_stale_age = 10;

void
db_lock_set_stale_age(int seconds)
{
	lock_stale_age = seconds;
}

static void
lock_nap(void)
{
	struct timespec ts = { 0, DB_LOCK_SLEEP_NS };

	nanosleep(&ts, NULL);
}

/* mkdir -p for the lock dir; EEXIST from a racing process is fine (open-iscsi PR #453). */
static int
lock_mkdir(const char *dir)
{
	char buf[4096];

	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;	/* the usual case: one syscall, not one per component */
	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Take flock(lock.owner) within the overall budget; returns tries used or -1. */
static int
lock_owner(const char *dir, int *tries)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/lock.owner", dir);
	if ((lock_owner_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return -1;
	for (; *tries < DB_LOCK_TRIES; (*tries)++) {
		if (flock(lock_owner_fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		lock_nap();
	}
	close(lock_owner_fd);
	lock_owner_fd = -1;
	errno = ETIMEDOUT;
	return -1;
}

/* lock.write exists although none of ours holds it: old enough to break? */
static int
lock_is_stale(const char *wpath)
{
	struct stat st;

	if (lstat(wpath, &st) < 0)
		return 0;
	return time(NULL) - st.st_ctime >= lock_stale_age;
}

int
db_lock(void)
{
	const char *dir = paths_lockdir();
	char lpath[4096], wpath[4096];
	int tries = 0, fd;

	if (lock_refs > 0) {
		lock_refs++;
		return ISCSI_OK;
	}
	snprintf(lpath, sizeof(lpath), "%s/lock", dir);
	snprintf(wpath, sizeof(wpath), "%s/lock.write", dir);
	if (lock_mkdir(dir) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not create %s: %s", dir, strerror(errno));
	if ((fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", lpath, strerror(errno));
	close(fd);
	if (lock_owner(dir, &tries) < 0)
		return err_set(ISCSI_ERR_IDBM, "Timeout on acquiring lock on DB");
	for (; tries < DB_LOCK_TRIES; tries++) {
		if (link(lpath, wpath) == 0) {
			lock_refs = 1;
			return ISCSI_OK;
		}
		if (errno == ENOENT) {	/* lock removed under us: recreate */
			if ((fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0)
				close(fd);
			continue;
		}
		if (errno != EEXIST)
			break;
		if (lock_is_stale(wpath)) {
			log_warnx("breaking stale DB lock %s", wpath);
			unlink(wpath);
			continue;
		}
		lock_nap();
	}
	close(lock_owner_fd);
	lock_owner_fd = -1;
	return err_set(ISCSI_ERR_IDBM, "Timeout on acquiring lock on DB");
}

void
db_unlock(void)
{
	char wpath[4096];

	if (lock_refs == 0 || --lock_refs > 0)
		return;
	snprintf(wpath, sizeof(wpath), "%s/lock.write", paths_lockdir());
	unlink(wpath);
	if (lock_owner_fd >= 0) {
		close(lock_owner_fd);	/* releases the flock */
		lock_owner_fd = -1;
	}
}
