/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to rec*.c: the per-kind key tables defined in rec_keys.c and
 * the layout of struct rec.
 */
#ifndef ISCSIKIT_REC_KEYS_H
#define ISCSIKIT_REC_KEYS_H

#include <stddef.h>

#include "kvlist.h"
#include "rec.h"

struct rec_table {
	const struct rec_key	*keys;
	size_t			 n;
};

/* struct rec is opaque outside rec*.c. */
struct rec {
	enum rec_kind		 kind;
	const struct rec_table	*t;
	char			**val;		/* t->n entries; NULL = empty */
	struct kvlist		 unk;		/* keys no table knows, kept verbatim */
	size_t			 hint;		/* next row expected by the parser */
};

extern const struct rec_table rec_tables[REC_KIND_MAX];
extern const char *const rec_chap_algs[];

/* Row of @name in @kind's table (-1 if none); @hint is tried first. */
long rec_row(enum rec_kind kind, const char *name, size_t hint);
int rec_unknown_put(struct rec *r, const char *key, const char *value);

#endif
