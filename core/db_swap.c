// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Atomic replacement of many existing records without allocating and
 * freeing an inode per record ("update all").  Not for new records and
 * not for single writes: those use db_write_atomic()'s temporary + rename.
 *
 * Why: a temporary renamed over a record frees the old inode.  On ext4
 * without a journal (our build and CI machines) the inode allocator then
 * skips every inode freed in the last one to six minutes, reading the
 * inode table for each (recently_deleted()), so "update all" of 10,000
 * records cost 1-2 s of system time, more on every repeat, and was slower
 * than open-iscsi's in-place rewrite.
 *
 * How: each worker owns one spare file at <dbroot>/.iscsikit-spare.<pid>.<n>
 * (a dot name in the database root: neither we nor open-iscsi read it).
 * A record's new text is written into the spare and renameat2(EXCHANGE)
 * swaps it into place atomically; the spare name now holds the record's
 * old inode, which becomes the next spare.  Readers see the old or the new
 * file whole, exactly as with rename.
 *
 * The one hazard of reusing an inode is a reader that opened the old
 * record just before the swap and would then read another record's text.
 * So a reused inode is first leased (F_SETLEASE F_WRLCK), which the kernel
 * grants only while nobody else has the file open; if anybody does, that
 * inode is left to them and a fresh spare is made.  An open that races in
 * after the lease waits for it; if one did (F_GETLEASE no longer F_WRLCK
 * after the write), the inode gets the text of the record it was opened
 * under, and is left to that reader too.  Where leases or RENAME_EXCHANGE
 * are not available every record gets a fresh spare: the old cost, same
 * safety.
 *
 * Durability as db_write_atomic(): by default writeback of the new text
 * is started before the swap (what ext4's auto_da_alloc does for a rename
 * over a file); ISCSI_DB_SYNC=full fdatasync()s it first.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_priv.h"
#include "paths.h"

#define DB_SPARE_PREFIX	".iscsikit-spare."

void
db_swap_init(struct db_swap *s, unsigned id)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->id = id;
	s->euid = geteuid();
}

/* Let go of the spare: its inode stays with whoever has it open. */
static void
db_swap_drop(struct db_swap *s)
{
	if (s->fd < 0)
		return;
	close(s->fd);
	unlink(s->path);
	s->fd = -1;
}

void
db_swap_fini(struct db_swap *s)
{
	db_swap_drop(s);
}

/* A new, empty spare that nobody else can have open. */
static int
db_swap_fresh(struct db_swap *s)
{
	db_swap_drop(s);
	if (db_path(s->path, "%s/" DB_SPARE_PREFIX "%ld.%u", paths_dbroot(),
	    (long)getpid(), s->id) != 0)
		return ENAMETOOLONG;
	unlink(s->path);		/* left by a dead process with our pid */
	s->fd = open(s->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (s->fd < 0)
		return errno;
	s->reused = false;
	s->size = 0;
	return 0;
}

/* Overwrite the spare with @text (no truncate to 0: its block is reused too). */
static int
db_swap_fill(struct db_swap *s, const char *text, size_t len)
{
	if (db_write_all(s->fd, text, len) < 0)
		return errno;
	if ((off_t)len < s->size && ftruncate(s->fd, (off_t)len) < 0)
		return errno;
	s->size = (off_t)len;
	if (db_sync_full())
		return fdatasync(s->fd) < 0 ? errno : 0;
	if (!db_sync_none())
		(void)sync_file_range(s->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	return 0;
}

/*
 * Make the spare safe to overwrite: a fresh one always is; a reused one
 * only under a write lease (nobody else has it open).  Otherwise start a
 * fresh one.  Sets s->leased.
 */
static int
db_swap_claim(struct db_swap *s)
{
	s->leased = false;
	if (s->fd >= 0 && !s->reused)
		return 0;
	if (s->fd >= 0 && fcntl(s->fd, F_SETLEASE, F_WRLCK) == 0) {
		s->leased = true;
		return 0;
	}
	return db_swap_fresh(s);
}

/*
 * An open of the reused inode raced in after the lease and waits for it:
 * give that reader the text of the record it asked for and leave it the
 * inode; the text for @path then goes into a fresh spare.
 */
static int
db_swap_yield(struct db_swap *s, const char *text, size_t len)
{
	int rc = db_swap_fill(s, s->prev, s->prev_len);

	fcntl(s->fd, F_SETLEASE, F_UNLCK);
	s->leased = false;
	if (rc != 0)
		return rc;
	if ((rc = db_swap_fresh(s)) != 0)
		return rc;
	return db_swap_fill(s, text, len);
}

/* After the swap: the spare name holds the record's old inode; reuse it if plain. */
static void
db_swap_adopt_old(struct db_swap *s)
{
	struct stat st;

	close(s->fd);
	s->fd = open(s->path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0) {
		unlink(s->path);	/* e.g. the record was a symlink */
		return;
	}
	if (fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    st.st_uid != s->euid ||
	    ((st.st_mode & 07777) != 0600 && fchmod(s->fd, 0600) < 0)) {
		db_swap_drop(s);	/* hard-linked, foreign or odd: not ours to reuse */
		return;
	}
	s->reused = true;
	s->size = st.st_size;
}

int
db_swap_put(struct db_swap *s, const char *path, const char *text, size_t len)
{
	int rc;

	if ((rc = db_swap_claim(s)) != 0)
		return rc;
	if ((rc = db_swap_fill(s, text, len)) != 0)
		goto out;
	if (s->leased && fcntl(s->fd, F_GETLEASE) != F_WRLCK &&
	    (rc = db_swap_yield(s, text, len)) != 0)
		goto out;
	if (renameat2(AT_FDCWD, s->path, AT_FDCWD, path, RENAME_EXCHANGE) < 0) {
		rc = errno;
		if (rc == ENOENT)		/* deleted meanwhile: stays deleted */
			goto out;
		if (rc != EINVAL && rc != ENOSYS && rc != ENOTSUP)
			goto out;
		/* no RENAME_EXCHANGE here: a plain rename, spare used up */
		rc = rename(s->path, path) < 0 ? errno : 0;
		if (s->leased)
			fcntl(s->fd, F_SETLEASE, F_UNLCK);
		close(s->fd);
		s->fd = -1;
		return rc;
	}
	/* the lease goes with the descriptor, closed at once by db_swap_adopt_old() */
	s->leased = false;
	s->prev = text;
	s->prev_len = len;
	db_swap_adopt_old(s);
	return 0;
out:
	if (s->leased)
		fcntl(s->fd, F_SETLEASE, F_UNLCK);
	s->leased = false;
	if (rc != 0 && rc != ENOENT)
		db_swap_drop(s);	/* its content is no longer what any name had */
	return rc == ENOENT ? 0 : rc;
}

/* Spares left by a process that died mid-update (the caller holds the DB lock). */
void
db_swap_sweep(void)
{
	DIR *d = opendir(paths_dbroot());
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, DB_SPARE_PREFIX, strlen(DB_SPARE_PREFIX)) == 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}
