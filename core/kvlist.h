/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small ordered list of string key/value pairs with unique keys: the
 * entries of iscsid.conf (conf.c) and the keys of a record that no table
 * knows (rec.c).  Linear lookups: these lists hold tens of entries.
 */
#ifndef ISCSIKIT_KVLIST_H
#define ISCSIKIT_KVLIST_H

#include <stddef.h>

struct kv {
	char	*key;
	char	*value;
};

struct kvlist {
	struct kv	*v;
	size_t		 n, cap;
};

/* Set @key to @value, replacing an earlier value in place or appending.  ISCSI_OK or ISCSI_ERR_NOMEM. */
int kvlist_put(struct kvlist *l, const char *key, const char *value);
/* The value of @key, or NULL. */
const char *kvlist_get(const struct kvlist *l, const char *key);
/* Free the entries; @l is empty and reusable afterwards. */
void kvlist_clear(struct kvlist *l);

#endif
