// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Record text in and out: the open-iscsi file parser, the file writer
 * (non-empty values only) and the "-o show" printer (every visible key,
 * <empty>, ********), plus the iface block copy and the plugin view.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "log.h"
#include "rec.h"
#include "rec_keys.h"

struct rec_parse_ctx {
	struct rec	*r;
	const char	*origin;
};

static int
rec_parse_line(const char *key, const char *value, void *arg)
{
	struct rec_parse_ctx *ctx = arg;
	struct rec *r = ctx->r;
	long row = rec_row(r->kind, key, r->hint);

	if (row < 0)
		return rec_unknown_put(r, key, value) == ISCSI_OK ? 0 : ISCSI_ERR_NOMEM;
	r->hint = (size_t)row + 1;
	if (rec_set(r, key, value) != ISCSI_OK) {
		const char *d = err_detail(ISCSI_ERR_INVAL);
		log_warnx("%s: ignoring %s: %s", ctx->origin, key, d ? d : "invalid value");
	}
	return 0;
}

int
rec_parse(struct rec *r, const char *buf, size_t len, const char *origin)
{
	struct rec_parse_ctx ctx = { r, origin ? origin : "record" };
	int rc;

	r->hint = 0;
	rc = conf_parse_lines(buf, len, ctx.origin, rec_parse_line, &ctx);
	return rc ? rc : ISCSI_OK;
}

int
rec_load_file(struct rec *r, const char *path)
{
	char *buf;
	size_t len;
	int rc;

	if (conf_read_file(path, &buf, &len) < 0)
		return err_set(ISCSI_ERR_IDBM, "Could not open %s: %s", path, strerror(errno));
	rc = rec_parse(r, buf, len, path);
	free(buf);
	return rc;
}

bool
rec_iface_is_ipv6(const struct rec *r)
{
	const char *ip, *name;

	if (r->kind != REC_NODE && r->kind != REC_IFACE)
		return false;
	ip = rec_get(r, "iface.ipaddress");
	name = rec_get(r, "iface.iscsi_ifacename");
	if (ip && *ip && strchr(ip, '.') == NULL)
		return true;
	return name && strstr(name, "ipv6") != NULL;
}

/* Is row @k part of this record's output in flavour @fmt? */
static bool
rec_visible(const struct rec_key *k, unsigned fmt, bool v6)
{
	if (k->flags & (REC_F_HIDDEN | REC_F_ALIAS))
		return false;
	if ((k->flags & REC_F_IPV4) && v6)
		return false;
	if ((k->flags & REC_F_IPV6) && !v6)
		return false;
	if ((fmt & REC_FMT_SHOW) && (k->flags & REC_F_NOPRINT))
		return false;
	return true;
}

/*
 * open-iscsi writes a node file's iface block with the binding keys
 * iface.hwaddress and then iface.ipaddress first (before
 * iface.iscsi_ifacename), although -o show and iface files keep the table
 * order.  Returns true when row @k was handled here.
 */
static const char *const node_file_hoisted[] = { "iface.hwaddress", "iface.ipaddress" };

static bool
rec_node_file_quirk(const struct rec *r, const struct rec_key *k, FILE *out)
{
	const size_t n = sizeof(node_file_hoisted) / sizeof(node_file_hoisted[0]);
	const char *v;

	for (size_t i = 0; i < n; i++)
		if (strcmp(k->name, node_file_hoisted[i]) == 0)
			return true;
	if (strcmp(k->name, "iface.iscsi_ifacename") != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((v = rec_get(r, node_file_hoisted[i])) != NULL && *v)
			fprintf(out, "%s = %s\n", node_file_hoisted[i], v);
	return false;
}

int
rec_format(const struct rec *r, unsigned fmt, FILE *out)
{
	bool v6 = rec_iface_is_ipv6(r), show = (fmt & REC_FMT_SHOW) != 0;

	if (!(fmt & REC_FMT_NOBANNER))
		fprintf(out, "# BEGIN RECORD %s\n", rec_version());
	for (size_t i = 0; i < r->t->n; i++) {
		const struct rec_key *k = &r->t->keys[i];
		const char *v = r->val[i] ? r->val[i] : "";

		if (!rec_visible(k, fmt, v6))
			continue;
		if (!show && r->kind == REC_NODE && rec_node_file_quirk(r, k, out))
			continue;
		if (!show) {
			if (*v)
				fprintf(out, "%s = %s\n", k->name, v);
			continue;
		}
		if (*v == '\0')
			v = "<empty>";
		else if ((k->flags & REC_F_SECRET) && !(fmt & REC_FMT_SECRETS))
			v = "********";
		fprintf(out, "%s = %s\n", k->name, v);
	}
	if (!show)
		for (size_t i = 0; i < r->unk.n; i++)
			fprintf(out, "%s = %s\n", r->unk.v[i].key, r->unk.v[i].value);
	if (!(fmt & REC_FMT_NOBANNER))
		fputs("# END RECORD\n", out);
	return ferror(out) ? err_set(ISCSI_ERR_IDBM, "write error") : ISCSI_OK;
}

char *
rec_to_text(const struct rec *r, size_t *len)
{
	char *buf = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);

	if (f == NULL)
		return NULL;
	if (rec_format(r, REC_FMT_FILE, f) != ISCSI_OK) {
		fclose(f);
		free(buf);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	if (len)
		*len = sz;
	return buf;
}

/* Copy every iface.* row of @from into the same-named rows of @to. */
static void
rec_copy_iface_rows(struct rec *to, const struct rec *from)
{
	for (size_t i = 0; i < from->t->n; i++) {
		const struct rec_key *k = &from->t->keys[i];
		long row;

		if (strncmp(k->name, "iface.", 6) != 0)
			continue;
		if ((row = rec_row(to->kind, k->name, 0)) < 0)
			continue;
		free(to->val[row]);
		to->val[row] = from->val[i] ? strdup(from->val[i]) : NULL;
	}
}

void
rec_node_set_iface(struct rec *node, const struct rec *iface)
{
	rec_copy_iface_rows(node, iface);
}

struct rec *
rec_iface_from_node(const struct rec *node)
{
	struct rec *i = rec_new(REC_IFACE);

	if (i != NULL)
		rec_copy_iface_rows(i, node);
	return i;
}

static const char *
rec_settings_get(const struct iscsi_settings *s, const char *key)
{
	const char *v = rec_get(s->is_priv, key);

	return v && *v ? v : NULL;
}

void
rec_settings(const struct rec *r, struct iscsi_settings *s)
{
	s->is_size = sizeof(*s);
	s->is_get = rec_settings_get;
	s->is_priv = (void *)(uintptr_t)r;
}
