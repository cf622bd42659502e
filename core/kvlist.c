// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Ordered string key/value list with unique keys (see kvlist.h).  The
 * order of first insertion is kept: rewritten records keep their unknown
 * keys where they were, and iscsid.conf keys list in file order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <iscsi/errors.h>
#include "kvlist.h"

int
kvlist_put(struct kvlist *l, const char *key, const char *value)
{
	struct kv *nv;
	char *v;

	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0) {
			if ((v = strdup(value)) == NULL)
				return ISCSI_ERR_NOMEM;
			free(l->v[i].value);
			l->v[i].value = v;
			return ISCSI_OK;
		}
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;

		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return ISCSI_ERR_NOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].key = strdup(key);
	l->v[l->n].value = strdup(value);
	if (l->v[l->n].key == NULL || l->v[l->n].value == NULL) {
		free(l->v[l->n].key);
		free(l->v[l->n].value);
		return ISCSI_ERR_NOMEM;
	}
	l->n++;
	return ISCSI_OK;
}

const char *
kvlist_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

void
kvlist_clear(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
