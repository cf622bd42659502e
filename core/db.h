/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The node database under paths_dbroot(), in open-iscsi's layout:
 * nodes/<target>/<ip>,<port>,<tpgt>/<iface> (+ legacy flat
 * nodes/<target>/<ip>,<port>), send_targets/, isns/, static/, fw/, ifaces/.
 * Single-record operations go straight to their path (O(1)); iteration
 * reads directories only.  Record contents are rec.h's business.
 */
#ifndef ISCSIKIT_DB_H
#define ISCSIKIT_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "rec.h"

#define DB_NAME_MAX	256	/* target names (RFC 3720 allows 223) */
#define DB_ADDR_MAX	256	/* IP literal or hostname */
#define DB_IFACE_MAX	65	/* iface names are 1..64 */

/**
 * struct db_node_id - what identifies a node record (and its path).
 * @target: node.name.
 * @address: node.conn[0].address as written in the path: IPv6 raw, no [].
 * @port: node.conn[0].port.
 * @tpgt: node.tpgt; -1 = unknown (legacy flat record, or "any" in lookups).
 * @iface: iface.iscsi_ifacename ("default" unless bound).
 * @legacy: set by the db when the record is a flat tpgt-less file; when
 *          set on input (an id from db_node_list()), lookups go to that
 *          flat file even if a directory record for the portal exists.
 */
struct db_node_id {
	char	target[DB_NAME_MAX];
	char	address[DB_ADDR_MAX];
	int	port;
	int	tpgt;
	char	iface[DB_IFACE_MAX];
	bool	legacy;
};

/*
 * Filter for iteration; NULL/-1 members match everything.  Address
 * matching is exact string comparison of what is in the path.
 */
struct db_node_filter {
	const char	*target;
	const char	*address;
	int		 port;		/* -1 = any */
	int		 tpgt;		/* -1 = any */
	const char	*iface;
};
#define DB_NODE_FILTER_ALL { NULL, NULL, -1, -1, NULL }

/* Fill @id from a node record's keys (node.name, conn[0] address/port, tpgt, iface). */
int db_node_id_from_rec(const struct rec *node, struct db_node_id *id);

/*
 * Global DB lock, compatible with open-iscsi: link(lockdir/lock,
 * lockdir/lock.write), retried every 10 ms for up to 30 s ("Timeout on
 * acquiring lock on DB", ISCSI_ERR_IDBM).  Our processes serialise first
 * on flock(lockdir/lock.owner); a lock.write whose holder is not one of
 * ours and whose inode change time is older than the stale age (10 s,
 * db_lock_set_stale_age()) is treated as left by a crashed process and
 * broken.  Re-entrant in-process (refcount).  Every db_* function that
 * writes takes it itself; callers doing read-modify-write of their own
 * hold it around the whole sequence.
 */
int db_lock(void);
void db_unlock(void);
void db_lock_set_stale_age(int seconds);

/* ---- node records ---- */

/*
 * Load the record @id.  tpgt -1 finds the record for that portal+iface
 * whatever its tpgt (only <target>/ is read), including a legacy flat
 * file.  iface "" = "default".  ISCSI_ERR_NO_OBJS_FOUND when absent.  On
 * success *@out is a new REC_NODE and @id's tpgt/legacy are filled in.
 */
int db_node_load(struct db_node_id *id, struct rec **out);
bool db_node_exists(const struct db_node_id *id);

/*
 * Write @node (its own keys decide the path) atomically.  Replaces a
 * legacy flat file for the same portal when a tpgt is known; when tpgt is
 * -1 and a directory record exists for that portal+iface, reuses its tpgt
 * (open-iscsi #408).  Creates the static/ or fw/ link for
 * node.discovery_type static/fw; discovery links are made by
 * db_node_link_discovery().  Names are validated before they become paths.
 */
int db_node_store(const struct rec *node);

/*
 * For bulk discovery, with db_lock() held: mkdir nodes/<@target>.  1: made,
 * so no record of @target exists and db_node_create() may store its new
 * records without db_node_store()'s probes for existing, legacy and
 * other-tpgt records (7 syscalls per record instead of ~25); 0: it was
 * there (or the name is invalid): use db_node_store(); -1: error (errno).
 * db_node_create() falls back to db_node_store() when the record's portal
 * directory exists or its target directory does not.
 */
int db_node_target_new(const char *target);
int db_node_create(const struct rec *node);

/* Delete one record, its links, and directories left empty. */
int db_node_delete(const struct db_node_id *id);

/* Create send_targets/<ip>,<port>/<t>,<ip>,<port>,<tpgt>,<iface> (or isns/...) for @id. */
int db_node_link_discovery(const struct db_node_id *id, enum rec_kind disc,
			   const char *disc_address, int disc_port);

/*
 * Ids of every node record matching @f (directory reads only, plus the
 * contents of legacy flat files), sorted like libopeniscsiusr: target name,
 * then portal (address, port, tpgt), then iface.  With @f->target only
 * that target's directory is read; a full listing reads target
 * directories on a few threads.  *@ids is malloc'ed (free() it); *@n may
 * be 0 (then ISCSI_OK too).  Takes no lock: records are replaced by
 * rename, so readers never see a partial file.
 */
int db_node_list(const struct db_node_filter *f, struct db_node_id **ids, size_t *n);

/*
 * Read-modify-write every record matching @f under one lock hold: @fn gets
 * each loaded record in order and returns an enum iscsi_err (non-zero
 * stops the walk: records after it are not written, and the code is
 * returned); it sets *@changed when the record must be written back.  A
 * record whose text does not change is not rewritten.  Each write is
 * atomic (db_update.c, db_swap.c); @fn always runs on the caller's thread.
 * ISCSI_ERR_NO_OBJS_FOUND when nothing matched.
 */
typedef int (*db_node_fn)(struct rec *node, const struct db_node_id *id,
			  bool *changed, void *arg);
int db_node_update_each(const struct db_node_filter *f, db_node_fn fn, void *arg);

/* Delete every record matching @f with its links and emptied directories,
 * under one lock hold, file operations on a few threads.  *@n (may be
 * NULL) gets the count; 0 records is ISCSI_OK. */
int db_node_delete_each(const struct db_node_filter *f, size_t *n);

/* ---- iface records ---- */

/* "default" (tcp) and "iser" (iser) are built in and never stored. */
bool db_iface_is_builtin(const char *name);

/*
 * Load iface @name: built-ins are synthesised; others read
 * ifaces/<name>.  ISCSI_ERR_IDBM with detail when missing (open-iscsi 6).
 */
int db_iface_load(const char *name, struct rec **out);
/* Write ifaces/<iface.iscsi_ifacename>; refuses built-ins (ISCSI_ERR_INVAL). */
int db_iface_store(const struct rec *iface);
int db_iface_delete(const char *name);
/*
 * Names of stored ifaces in readdir order (iface.example skipped, names
 * failing names_check_iface() skipped with a warning), not including the
 * built-ins.  *@names is a malloc'ed array of malloc'ed strings: free with
 * db_names_free().
 */
int db_iface_list(char ***names, size_t *n);
void db_names_free(char **names, size_t n);

/* ---- discovery records (REC_DISC_ST / REC_DISC_ISNS) ---- */

struct db_disc_id {
	enum rec_kind	kind;		/* REC_DISC_ST or REC_DISC_ISNS */
	char		address[DB_ADDR_MAX];
	int		port;
};

/* A new discovery record with defaults (+ iscsid.conf) for @id. */
struct rec *db_disc_new(const struct db_disc_id *id);
int db_disc_load(const struct db_disc_id *id, struct rec **out);	/* NO_OBJS_FOUND if absent */
int db_disc_store(const struct rec *disc);
/* Delete the record, its links and the node records they point to. */
int db_disc_delete(const struct db_disc_id *id);
/* Every discovery record, ST first then iSNS, each sorted by address, port. */
int db_disc_list(struct db_disc_id **ids, size_t *n);

/* Node ids linked from one discovery record (send_targets/<ip>,<port>/<links>). */
int db_disc_nodes(const struct db_disc_id *id, struct db_node_id **ids, size_t *n);
/* Node ids linked from static/ (@dir "static") or fw/ (@dir "fw"). */
int db_node_list_linked_dir(const char *dir, struct db_node_id **ids, size_t *n);

/* ---- helpers ---- */

/* Compare two ids in listing order (for qsort of merged lists). */
int db_node_id_cmp(const void *a, const void *b);

/*
 * Write @len bytes of @data to @path atomically: temporary file in the
 * same directory (mode 0600), fsync, rename (plus an fsync of the
 * directory with ISCSI_DB_SYNC=full).  Nothing is written when @path
 * already holds exactly @data.
 */
int db_write_atomic(const char *path, const char *data, size_t len);

/*
 * Bulk writes (core/db_batch.c, used by SendTargets discovery): between
 * db_batch_begin() and db_batch_end(true), db_write_atomic() writes changed
 * records to temporaries and defers the rename; db_batch_end(true) fsyncs
 * the temporaries from 16 threads, renames them into place (directories
 * fsynced too with ISCSI_DB_SYNC=full); db_batch_end(false) drops them.
 * Reads inside a batch do not see its writes.  Single-threaded callers
 * only.  Returns ISCSI_OK or the first sync/rename failure.
 */
void db_batch_begin(void);
int db_batch_end(bool commit);
bool db_batch_active(void);
int db_batch_write(const char *path, const char *data, size_t len);
/*
 * Write a file known not to exist: without ISCSI_DB_SYNC=full an
 * O_TMPFILE inode linked in place once written (one inode, no temporary
 * name, no rename: it appears whole or not at all); otherwise, or where
 * O_TMPFILE/linkat fail, db_write_atomic().
 */
int db_write_new(const char *path, const char *data, size_t len);
/* mkdir -p @dir once per batch (a discovery makes one link directory). */
int db_batch_mkdirs(const char *dir);

#endif
