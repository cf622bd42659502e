// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One record in memory: values of every table key (rec_keys.c) plus the
 * unknown keys of the file it came from, kept verbatim so a rewrite never
 * loses what a newer or older open-iscsi wrote.  Parsing, validation,
 * writing and -o show printing are loops over the kind's table.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "log.h"
#include "names.h"
#include "rec.h"
#include "rec_keys.h"

static char rec_ver[32] = "2.1.8";

void
rec_set_version(const char *version)
{
	snprintf(rec_ver, sizeof(rec_ver), "%s", version);
}

const char *
rec_version(void)
{
	return rec_ver;
}

const struct rec_key *
rec_keys(enum rec_kind kind, size_t *n)
{
	if ((unsigned)kind >= REC_KIND_MAX)
		return NULL;
	if (n)
		*n = rec_tables[kind].n;
	return rec_tables[kind].keys;
}

/* Sorted row indexes per kind, built on first use, for bsearch. */
static size_t *rec_index[REC_KIND_MAX];
static const struct rec_table *sort_tab;

static int
idx_cmp(const void *a, const void *b)
{
	return strcmp(sort_tab->keys[*(const size_t *)a].name,
		      sort_tab->keys[*(const size_t *)b].name);
}

static const size_t *
rec_index_of(enum rec_kind kind)
{
	const struct rec_table *t = &rec_tables[kind];
	size_t *ix;

	if (rec_index[kind] != NULL)
		return rec_index[kind];
	if ((ix = malloc(t->n * sizeof(*ix))) == NULL)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		ix[i] = i;
	sort_tab = t;
	qsort(ix, t->n, sizeof(*ix), idx_cmp);
	rec_index[kind] = ix;
	return ix;
}

/* Row number of @name in @kind's table, or -1. */
long
rec_row(enum rec_kind kind, const char *name, size_t hint)
{
	const struct rec_table *t = &rec_tables[kind];
	const size_t *ix;
	size_t lo = 0, hi = t->n;

	if (hint < t->n && strcmp(t->keys[hint].name, name) == 0)
		return (long)hint;
	if ((ix = rec_index_of(kind)) == NULL) {
		for (size_t i = 0; i < t->n; i++)
			if (strcmp(t->keys[i].name, name) == 0)
				return (long)i;
		return -1;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, t->keys[ix[mid]].name);
		if (c == 0)
			return (long)ix[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const struct rec_key *
rec_key_find(enum rec_kind kind, const char *name)
{
	long row;

	if ((unsigned)kind >= REC_KIND_MAX || name == NULL)
		return NULL;
	row = rec_row(kind, name, 0);
	return row < 0 ? NULL : &rec_tables[kind].keys[row];
}

struct rec *
rec_new(enum rec_kind kind)
{
	struct rec *r;

	if ((unsigned)kind >= REC_KIND_MAX)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->kind = kind;
	r->t = &rec_tables[kind];
	if ((r->val = calloc(r->t->n, sizeof(char *))) == NULL) {
		free(r);
		return NULL;
	}
	for (size_t i = 0; i < r->t->n; i++) {
		const char *d = r->t->keys[i].def;
		if (d != NULL && *d != '\0' && (r->val[i] = strdup(d)) == NULL) {
			rec_free(r);
			return NULL;
		}
	}
	return r;
}

void
rec_free(struct rec *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->t->n; i++)
		free(r->val[i]);
	free(r->val);
	kvlist_clear(&r->unk);
	free(r);
}

int
rec_unknown_put(struct rec *r, const char *key, const char *value)
{
	return kvlist_put(&r->unk, key, value);
}

struct rec *
rec_dup(const struct rec *r)
{
	struct rec *d = rec_new(r->kind);

	if (d == NULL)
		return NULL;
	for (size_t i = 0; i < r->t->n; i++) {
		free(d->val[i]);
		d->val[i] = NULL;
		if (r->val[i] && (d->val[i] = strdup(r->val[i])) == NULL)
			goto fail;
	}
	for (size_t i = 0; i < r->unk.n; i++)
		if (rec_unknown_put(d, r->unk.v[i].key, r->unk.v[i].value) != ISCSI_OK)
			goto fail;
	return d;
fail:
	rec_free(d);
	return NULL;
}

enum rec_kind
rec_kind(const struct rec *r)
{
	return r->kind;
}

const char *
rec_get(const struct rec *r, const char *key)
{
	long row = rec_row(r->kind, key, 0);

	if (row >= 0) {
		const struct rec_key *k = &r->t->keys[row];
		if (k->flags & REC_F_ALIAS)
			return rec_get(r, k->alias_of);
		return r->val[row] ? r->val[row] : "";
	}
	return kvlist_get(&r->unk, key);
}

long
rec_get_int(const struct rec *r, const char *key, long def)
{
	const char *v = rec_get(r, key);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return def;
	return n;
}

size_t
rec_unknown_count(const struct rec *r)
{
	return r->unk.n;
}

const char *
rec_unknown_key(const struct rec *r, size_t i)
{
	return i < r->unk.n ? r->unk.v[i].key : NULL;
}

/* Canonicalise an ALGLIST value into @out ("SHA256,MD5"), warning like
 * open-iscsi about unknown and repeated names. */
static int
rec_alglist(const struct rec_key *k, const char *value, char *out, size_t outlen)
{
	char buf[256], *save = NULL, *tok;
	int used[8] = { 0 }, n = 0;

	if (strlen(value) >= sizeof(buf))
		return err_set(ISCSI_ERR_INVAL, "value for %s too long", k->name);
	strcpy(buf, value);
	out[0] = '\0';
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		int i;
		for (i = 0; k->choices[i] && strcmp(k->choices[i], tok) != 0; i++)
			;
		if (k->choices[i] == NULL) {
			log_warnx("Ignoring unknown value '%s' for '%s'", tok, k->name);
			continue;
		}
		if (used[i]++) {
			log_warnx("Ignoring repeated value '%s' for '%s'", tok, k->name);
			continue;
		}
		if (n++)
			strncat(out, ",", outlen - strlen(out) - 1);
		strncat(out, tok, outlen - strlen(out) - 1);
	}
	return ISCSI_OK;
}

/* Validate @value for @k; on success the canonical text is in @out. */
static int
rec_check(const struct rec_key *k, const char *value, char *out, size_t outlen)
{
	char *end;
	long v;

	if (names_check_value(value) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "value for %s contains a control character",
			       k->name);
	switch (k->type) {
	case REC_T_INT:
	case REC_T_UINT:
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || v < k->min || v > k->max)
			return err_set(ISCSI_ERR_INVAL,
				       "invalid number '%s' for parameter name '%s'", value, k->name);
		snprintf(out, outlen, "%ld", v);
		return ISCSI_OK;
	case REC_T_ENUM:
		for (size_t i = 0; k->choices[i]; i++)
			if (strcmp(k->choices[i], value) == 0) {
				snprintf(out, outlen, "%s", value);
				return ISCSI_OK;
			}
		return err_set(ISCSI_ERR_INVAL, "unknown value format '%s' for parameter name '%s'",
			       value, k->name);
	case REC_T_ALGLIST:
		return rec_alglist(k, value, out, outlen);
	case REC_T_STR:
		if (strlen(value) > k->maxlen)
			return err_set(ISCSI_ERR_INVAL, "value for %s longer than %u bytes",
				       k->name, k->maxlen);
		snprintf(out, outlen, "%s", value);
		return ISCSI_OK;
	}
	return err_set(ISCSI_ERR_INTERNAL, "bad key type for %s", k->name);
}

static int
rec_store_row(struct rec *r, size_t row, const char *canon)
{
	char *nv = NULL;

	if (*canon != '\0' && (nv = strdup(canon)) == NULL)
		return ISCSI_ERR_NOMEM;
	free(r->val[row]);
	r->val[row] = nv;
	return ISCSI_OK;
}

/* Keep the hidden <secret>_length row in step with its secret. */
static void
rec_secret_length(struct rec *r, const struct rec_key *k, const char *canon)
{
	char lname[128], num[24];
	long row;

	snprintf(lname, sizeof(lname), "%s_length", k->name);
	if ((row = rec_row(r->kind, lname, 0)) < 0)
		return;
	snprintf(num, sizeof(num), "%zu", strlen(canon));
	rec_store_row(r, (size_t)row, *canon ? num : "");
}

int
rec_set(struct rec *r, const char *key, const char *value)
{
	char canon[512];
	const struct rec_key *k;
	long row;
	int rc;

	if ((row = rec_row(r->kind, key, 0)) < 0)
		return err_set(ISCSI_ERR_INVAL, "Cannot modify %s. Invalid param name.", key);
	k = &r->t->keys[row];
	if (k->flags & REC_F_ALIAS)
		return rec_set(r, k->alias_of, value);
	if (value == NULL || *value == '\0')
		canon[0] = '\0';
	else if ((rc = rec_check(k, value, canon, sizeof(canon))) != ISCSI_OK)
		return rc;
	if ((rc = rec_store_row(r, (size_t)row, canon)) != ISCSI_OK)
		return rc;
	if (k->flags & REC_F_SECRET)
		rec_secret_length(r, k, canon);
	return ISCSI_OK;
}

int
rec_update(struct rec *r, const char *key, const char *value)
{
	const struct rec_key *k = rec_key_find(r->kind, key);

	if (k == NULL)
		return err_set(ISCSI_ERR_INVAL, "Cannot modify %s. Invalid param name.", key);
	if (r->kind == REC_NODE && (k->flags & REC_F_IFACE) &&
	    strcmp(k->name, "iface.transport_name") != 0)
		return err_set(ISCSI_ERR_INVAL,
			       "Cannot modify %s. Use iface mode to update this value.", key);
	if (k->flags & REC_F_RO)
		return err_set(ISCSI_ERR_INVAL,
			       "Cannot modify %s. It is used to look up the record and cannot be changed.",
			       key);
	return rec_set(r, key, value);
}

void
rec_apply_conf(struct rec *r, const struct conf *c)
{
	if (c == NULL)
		c = conf_default();
	if (r->kind == REC_IFACE)
		return;
	for (size_t i = 0; i < r->t->n; i++) {
		const struct rec_key *k = &r->t->keys[i];
		const char *v;

		if (k->flags & (REC_F_RO | REC_F_IFACE | REC_F_HIDDEN | REC_F_ALIAS))
			continue;
		if ((v = conf_get(c, k->name)) == NULL)
			continue;
		if (rec_set(r, k->name, v) != ISCSI_OK)
			log_warnx("iscsid.conf: ignoring %s = %s: %s", k->name, v,
				  err_detail(ISCSI_ERR_INVAL) ? err_detail(ISCSI_ERR_INVAL) : "invalid");
	}
}
