/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records: one node, iface or discovery record as open-iscsi stores and
 * prints it.  Every key of a kind comes from one static table (name, type,
 * default, allowed values, flags) in print order; parse, write, print and
 * validation are loops over that table.  Not the on-disk layout: db.h.
 */
#ifndef ISCSIKIT_REC_H
#define ISCSIKIT_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <iscsi/core_api.h>

struct conf;

enum rec_kind {
	REC_NODE = 0,		/* nodes/<t>/<ip>,<port>,<tpgt>/<iface> (with iface.* block) */
	REC_IFACE,		/* ifaces/<name> */
	REC_DISC_ST,		/* send_targets/<ip>,<port>/st_config */
	REC_DISC_ISNS,		/* isns/<ip>,<port>/isns_config */
	REC_KIND_MAX
};

enum rec_type {
	REC_T_INT = 0,		/* decimal, signed; range in min/max */
	REC_T_UINT,		/* decimal, unsigned (tpgt -1 prints as -1 in records) */
	REC_T_STR,		/* free text, no control characters, at most maxlen bytes */
	REC_T_ENUM,		/* exactly one of choices[] */
	REC_T_ALGLIST,		/* chap_algs: comma/space separated names from choices[] */
};

/* Key flags. */
#define REC_F_RO	0x0001u	/* identifies the record: "-o update" refuses it */
#define REC_F_SECRET	0x0002u	/* printed as ******** unless show-secrets */
#define REC_F_HIDDEN	0x0004u	/* *_length: never printed nor written, recomputed */
#define REC_F_IFACE	0x0008u	/* iface.* block of a node record: update via iface mode */
#define REC_F_IPV4	0x0010u	/* printed only for IPv4 ifaces */
#define REC_F_IPV6	0x0020u	/* printed only for IPv6 ifaces */
#define REC_F_NOPRINT	0x0040u	/* accepted and written, not in -o show (newer keys) */
#define REC_F_ALIAS	0x0080u	/* legacy name of another key (see rec_key.alias_of) */

/**
 * struct rec_key - one row of a kind's key table.
 * @name:     full key name as in the file ("node.session.cmds_max").
 * @type:     how values are checked and canonicalised.
 * @def:      compiled default as text; NULL or "" = empty.
 * @choices:  NULL-terminated allowed values for ENUM/ALGLIST.
 * @min, @max: inclusive range for INT/UINT.
 * @maxlen:   longest accepted string (bytes, without NUL) for STR.
 * @flags:    REC_F_*.
 * @alias_of: for REC_F_ALIAS rows, the key the value really belongs to.
 */
struct rec_key {
	const char		*name;
	enum rec_type		 type;
	const char		*def;
	const char *const	*choices;
	long			 min, max;
	unsigned		 maxlen;
	unsigned		 flags;
	const char		*alias_of;
};

struct rec;	/* opaque: values of every table key + unknown keys kept verbatim */

/* The version written after "# BEGIN RECORD " (default "2.1.8"). */
void rec_set_version(const char *version);
const char *rec_version(void);

/* A new record of @kind holding the compiled defaults.  NULL on ENOMEM. */
struct rec *rec_new(enum rec_kind kind);
struct rec *rec_dup(const struct rec *r);
void rec_free(struct rec *r);
enum rec_kind rec_kind(const struct rec *r);

/*
 * Overlay iscsid.conf values onto @r for the kind's keys (new records
 * only).  Invalid values in the config are skipped with a warning, like
 * unknown keys.  @c NULL = conf_default().
 */
void rec_apply_conf(struct rec *r, const struct conf *c);

/* Table lookups.  rec_key_find() also finds REC_F_ALIAS rows. */
const struct rec_key *rec_key_find(enum rec_kind kind, const char *name);
/* The table of @kind in print order; *@n receives its length. */
const struct rec_key *rec_keys(enum rec_kind kind, size_t *n);

/*
 * The value of @key: "" when empty, NULL when @key is not a key of this
 * kind and was not kept as an unknown key.  Owned by @r; valid until the
 * next change of that key.
 */
const char *rec_get(const struct rec *r, const char *key);
/* Integer value of an INT/UINT key; @def when unset, empty or unparsable. */
long rec_get_int(const struct rec *r, const char *key, long def);

/*
 * Set @key to @value after validation: enum values exactly one of the
 * choices, integers decimal and in range, strings within maxlen, and no
 * newline or other control character anywhere.  Setting a secret also
 * updates its hidden *_length key.  Unknown keys are refused.  Returns
 * ISCSI_OK or ISCSI_ERR_INVAL with an err_set() detail naming the key.
 * @value NULL or "" empties the key.
 */
int rec_set(struct rec *r, const char *key, const char *value);

/*
 * "-o update" semantics of iscsiadm on @r: refuses REC_F_RO keys, iface.*
 * keys in node records (except iface.transport_name, and the legacy alias
 * node.transport_name) and unknown keys, each with open-iscsi's message as
 * the err_set() detail:
 *   "Cannot modify node.name. It is used to look up the record and cannot be changed."
 *   "Cannot modify iface.ipaddress. Use iface mode to update this value."
 *   "Cannot modify node.bogus. Invalid param name."
 * then calls rec_set() (whose enum failure detail is
 *   "unknown value format 'bogus' for parameter name 'node.startup'").
 */
int rec_update(struct rec *r, const char *key, const char *value);

/*
 * Parse a record file's text into @r (which normally holds defaults):
 * '#' and blank lines skipped, key up to whitespace or '=', value after
 * '=' with surrounding whitespace stripped; lines over 2047 bytes and a
 * last line without '\n' are ignored with a warning naming @origin.
 * Unknown keys are kept (written back by rec_format) and otherwise
 * ignored; invalid values keep the previous value with a warning.  Never
 * fails on content; returns ISCSI_OK or ISCSI_ERR_NOMEM.
 */
int rec_parse(struct rec *r, const char *buf, size_t len, const char *origin);
/* Read and parse @path.  ISCSI_ERR_IDBM (+detail) when it cannot be read. */
int rec_load_file(struct rec *r, const char *path);

/* Output flavours for rec_format(). */
#define REC_FMT_FILE	0x1u	/* file: non-empty values only, clear passwords */
#define REC_FMT_SHOW	0x2u	/* -o show: every visible key, <empty>, ******** */
#define REC_FMT_SECRETS	0x4u	/* with SHOW: print secrets in clear (-S) */
#define REC_FMT_NOBANNER 0x8u	/* without the BEGIN/END RECORD lines */

/* Write @r with its "# BEGIN RECORD <ver>" / "# END RECORD" lines. */
int rec_format(const struct rec *r, unsigned fmt, FILE *out);
/* rec_format(REC_FMT_FILE) into a malloc'ed string; *@len its length. */
char *rec_to_text(const struct rec *r, size_t *len);

/* True when the iface part of @r uses the IPv6 key set (iface.ipaddress
 * contains ':' / has no '.', or the iface name contains "ipv6"). */
bool rec_iface_is_ipv6(const struct rec *r);

/*
 * Copy the iface.* keys of @iface (REC_IFACE) into the node record @node,
 * or the reverse (a REC_IFACE built from a node's block).
 */
void rec_node_set_iface(struct rec *node, const struct rec *iface);
struct rec *rec_iface_from_node(const struct rec *node);

/* Keys kept verbatim because no table knows them, in file order. */
size_t rec_unknown_count(const struct rec *r);
const char *rec_unknown_key(const struct rec *r, size_t i);

/*
 * A plugin-facing read-only view of @r: is_get(key) returns the value or
 * NULL when empty/unknown.  @s stays valid as long as @r.
 */
void rec_settings(const struct rec *r, struct iscsi_settings *s);

#endif
