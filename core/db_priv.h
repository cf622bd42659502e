/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to db*.c: path building and helpers shared by the node, list
 * and iface/discovery parts of the database.
 */
#ifndef ISCSIKIT_DB_PRIV_H
#define ISCSIKIT_DB_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "db.h"

#define DB_PATH_MAX	4096

/* snprintf into a DB_PATH_MAX buffer; ISCSI_ERR_INVAL if it does not fit. */
int db_path(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* mkdir -p of @path (mode 0700, as open-iscsi under umask 077); 0/-1 + errno. */
int db_mkdirs(const char *path);
/* Check the parts of @id that become path components. */
int db_check_id(const struct db_node_id *id, int strict);
/* Parse "<addr>,<port>[,<tpgt>]"; returns number of fields (2 or 3) or -1. */
int db_parse_portal_dir(const char *s, char *addr, size_t alen, int *port, int *tpgt);
/* Parse a link name "<t>,<ip>,<port>,<tpgt>,<iface>" into @id (0/-1). */
int db_parse_link(const char *s, struct db_node_id *id);
/* True when @path already holds exactly @data (small files only). */
bool db_same_content(const char *path, const char *data, size_t len);
/* Path of the static/, fw/ or discovery link of @id's record @node; 0 or -1 if none. */
int db_node_link_path(const struct rec *node, const struct db_node_id *id, char *buf);
/* Write all of @data to @fd from offset 0 (pwrite, EINTR retried); 0 or -1 + errno. */
int db_write_all(int fd, const char *data, size_t len);
/* ISCSI_DB_SYNC=full / =none (see db_write_atomic() in db.c). */
bool db_sync_full(void);
bool db_sync_none(void);
/* Path of the record file of a listed id (tpgt resolved, or legacy flat). */
int db_id_path(const struct db_node_id *id, char *buf);
/* Growable id array. */
struct db_ids {
	struct db_node_id	*v;
	size_t			 n, cap;
};
int db_ids_push(struct db_ids *a, const struct db_node_id *id);
/*
 * Run @fn(i, @arg) for every i in [0, @n), on a few threads when @n is
 * large.  @fn must be thread-safe (syscalls only).  Returns the first
 * non-zero value an @fn returned (all items are still attempted), or 0.
 */
int db_par_for(size_t n, int (*fn)(size_t i, void *arg), void *arg);
/* As db_par_for(), with threads from @min items on (work heavier than a listing's). */
int db_par_for_min(size_t n, size_t min, int (*fn)(size_t i, void *arg), void *arg);
/*
 * Bulk update (db_update.c) runs one swap thread beside the parsing one,
 * which drains the rest at the end: a swap renames across directories, which the kernel serialises on the
 * filesystem's rename mutex, so more swappers only contend.  10k records:
 * 1 swapper 471 ms, 2: 485 ms, 8: 550-650 ms on two cores.
 */
#define DB_UPDATE_SWAPPERS	1
/* db_par_for() uses threads from this many items on (tests lower it). */
extern size_t db_par_min;

/*
 * Replacing existing records in bulk by swapping each with a reused spare
 * inode (db_swap.c).  One struct db_swap per worker thread.
 */
struct db_swap {
	int		 fd;		/* the spare, -1 when there is none */
	unsigned	 id;
	bool		 reused;	/* the spare is a record's former inode */
	bool		 leased;
	off_t		 size;		/* the spare's length */
	uid_t		 euid;
	const char	*prev;		/* what that record's new text is */
	size_t		 prev_len;
	char		 path[DB_PATH_MAX];
};
void db_swap_init(struct db_swap *s, unsigned id);
/* Atomically replace the existing file @path with @text; 0 or an errno. */
int db_swap_put(struct db_swap *s, const char *path, const char *text, size_t len);
void db_swap_fini(struct db_swap *s);
/* Remove spares a dead process left (call with the DB lock held). */
void db_swap_sweep(void);
/* Remove @path and then its parents up to (not including) @stop if empty. */
void db_prune(const char *path, const char *stop);

#endif
