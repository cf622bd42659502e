// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plugin loader (libltdl, libtool-2 API).  Finds <kind>-<name>.so in
 * the plugin directory or $ISCSI_PLUGIN_PATH, refuses unsafe or mismatched
 * files with a message naming the file and both ABI versions, fills core
 * defaults into the ops and calls ip_init with the plugin's core_api copy.
 * Entry symbols are <kind>_<name>_LTX_-prefixed, so the same loader works
 * for modules linked in with -dlpreopen (see docs/plugin-abi.md).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ltdl.h>

#include "core_api.h"
#include "err.h"
#include "log.h"
#include "plugin.h"

#ifndef PLUGINDIR
#define PLUGINDIR "/usr/lib/iscsikit/plugins-1"
#endif

#define PLUGIN_NAME_MAX	32

struct plugin_handle {
	struct plugin_handle		*next;
	enum iscsi_plugin_kind		 kind;
	char				 name[PLUGIN_NAME_MAX + 1];
	char				 tag[PLUGIN_NAME_MAX + 16];
	char				*file;
	dev_t				 dev;
	ino_t				 ino;
	lt_dlhandle			 dl;
	const struct iscsi_plugin	*desc;
	void				*priv;
	const char			*type_names[2];	/* discovery default */
	struct iscsi_core_api		 api;
	union {
		struct iscsi_transport_ops	t;
		struct iscsi_discovery_ops	d;
		struct iscsi_host_ops		h;
	} ops;
};

/* What a refused load could still read from the file, for the listing. */
struct plugin_probe {
	int	abi_major;
	int	abi_minor;
	char	version[64];
};

static struct plugin_handle *plugin_list;
static char *plugin_path;
static bool plugin_ltdl_up;
static lt_dladvise plugin_advise;

static const char *const plugin_kinds[] = {
	[ISCSI_PLUGIN_TRANSPORT] = "transport",
	[ISCSI_PLUGIN_DISCOVERY] = "discovery",
	[ISCSI_PLUGIN_HOST] = "host",
};
#define PLUGIN_NKINDS	(sizeof(plugin_kinds) / sizeof(plugin_kinds[0]))

/*
 * Smallest descriptor and ops a plugin of ABI minor 0 may present: the
 * whole 1.0 structs.  A later minor that appends members adds a column
 * here so plugins built against 1.0 keep loading.
 */
static const size_t plugin_min_ops[PLUGIN_NKINDS] = {
	[ISCSI_PLUGIN_TRANSPORT] = sizeof(struct iscsi_transport_ops),
	[ISCSI_PLUGIN_DISCOVERY] = sizeof(struct iscsi_discovery_ops),
	[ISCSI_PLUGIN_HOST] = sizeof(struct iscsi_host_ops),
};
#define PLUGIN_MIN_DESC	sizeof(struct iscsi_plugin)

const char *
plugin_kind_name(enum iscsi_plugin_kind kind)
{
	return (size_t)kind < PLUGIN_NKINDS ? plugin_kinds[kind] : NULL;
}

enum iscsi_plugin_kind
plugin_kind_from_name(const char *s)
{
	for (size_t k = 1; k < PLUGIN_NKINDS; k++)
		if (strcmp(s, plugin_kinds[k]) == 0)
			return (enum iscsi_plugin_kind)k;
	return 0;
}

/* Names become file names and symbol prefixes: [a-z0-9_], 1..32. */
static bool
plugin_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > PLUGIN_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

const char *
plugin_search_path(void)
{
	const char *env;

	if (plugin_path == NULL) {
		env = secure_getenv("ISCSI_PLUGIN_PATH");
		plugin_path = strdup(env != NULL && *env != '\0' ? env : PLUGINDIR);
		if (plugin_path == NULL)
			return PLUGINDIR;
	}
	return plugin_path;
}

static int
plugin_ltdl_init(void)
{
	if (plugin_ltdl_up)
		return ISCSI_OK;
	/* LTDL_SET_PRELOADED_SYMBOLS() goes before this call in a static
	 * iscsistart; nothing else changes. */
	if (lt_dlinit() != 0)
		return err_set(ISCSI_ERR_INTERNAL, "libltdl: %s", lt_dlerror());
	if (lt_dlsetsearchpath(plugin_search_path()) != 0 ||
	    lt_dladvise_init(&plugin_advise) != 0 ||
	    lt_dladvise_ext(&plugin_advise) != 0 ||
	    lt_dladvise_local(&plugin_advise) != 0) {
		int rc = err_set(ISCSI_ERR_INTERNAL, "libltdl: %s", lt_dlerror());

		lt_dlexit();
		return rc;
	}
	plugin_ltdl_up = true;
	return ISCSI_OK;
}

/* Split ".../<kind>-<name>.so" into its parts. */
static int
plugin_parse_file(const char *path, enum iscsi_plugin_kind *kind, char *name, size_t namelen)
{
	const char *base = strrchr(path, '/');
	const char *dash, *dot;
	char kbuf[16];

	base = base != NULL ? base + 1 : path;
	dash = strchr(base, '-');
	dot = strrchr(base, '.');
	if (dash == NULL || dot == NULL || strcmp(dot, ".so") != 0 || dot < dash ||
	    (size_t)(dash - base) >= sizeof(kbuf) || (size_t)(dot - dash - 1) >= namelen)
		return err_set(ISCSI_ERR_INVAL, "%s is not named <kind>-<name>.so", path);
	memcpy(kbuf, base, (size_t)(dash - base));
	kbuf[dash - base] = '\0';
	memcpy(name, dash + 1, (size_t)(dot - dash - 1));
	name[dot - dash - 1] = '\0';
	if ((*kind = plugin_kind_from_name(kbuf)) == 0 || !plugin_name_ok(name))
		return err_set(ISCSI_ERR_INVAL, "%s is not named <kind>-<name>.so "
		    "(kind transport, discovery or host; name [a-z0-9_])", path);
	return ISCSI_OK;
}

/* Only a regular file that only its owner (root or us) can change. */
static int
plugin_check_file(const char *path, struct stat *st)
{
	char dir[4096];
	struct stat dst;
	const char *slash = strrchr(path, '/');

	if (lstat(path, st) == -1)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "could not stat %s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st->st_mode))
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: not a regular file "
		    "(symbolic links are refused too)", path);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: file is group- or "
		    "world-writable (mode %04o)", path, (unsigned)(st->st_mode & 07777));
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: owned by uid %u, "
		    "neither root nor us", path, (unsigned)st->st_uid);
	snprintf(dir, sizeof(dir), "%.*s", slash != NULL ? (int)(slash - path) : 1,
	    slash != NULL ? path : ".");
	if (dir[0] == '\0')
		snprintf(dir, sizeof(dir), "/");
	if (stat(dir, &dst) == -1)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "could not stat %s: %s", dir,
		    strerror(errno));
	if (dst.st_mode & (S_IWGRP | S_IWOTH))
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: directory %s is group- "
		    "or world-writable (mode %04o)", path, dir, (unsigned)(dst.st_mode & 07777));
	return ISCSI_OK;
}

static struct plugin_handle *
plugin_find(enum iscsi_plugin_kind kind, const char *name)
{
	for (struct plugin_handle *h = plugin_list; h != NULL; h = h->next)
		if (h->kind == kind && strcmp(h->name, name) == 0)
			return h;
	return NULL;
}

static const struct iscsi_plugin *
plugin_call_entry(lt_dlhandle dl, const char *path, enum iscsi_plugin_kind kind,
    const char *name, int *rc)
{
	char sym[128];
	iscsi_plugin_entry_fn entry;
	const struct iscsi_plugin *d;

	/* The prefixed name first (unique even when preloaded), then the plain one. */
	snprintf(sym, sizeof(sym), "%s_%s_LTX_%s", plugin_kind_name(kind), name,
	    ISCSI_PLUGIN_ENTRY_SYMBOL);
	entry = (iscsi_plugin_entry_fn)(uintptr_t)lt_dlsym(dl, sym);
	if (entry == NULL)
		entry = (iscsi_plugin_entry_fn)(uintptr_t)lt_dlsym(dl, ISCSI_PLUGIN_ENTRY_SYMBOL);
	if (entry == NULL) {
		*rc = err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: no entry point "
		    "(%s or %s)", path, sym, ISCSI_PLUGIN_ENTRY_SYMBOL);
		return NULL;
	}
	if ((d = entry(ISCSI_PLUGIN_ABI_MAJOR, ISCSI_PLUGIN_ABI_MINOR)) == NULL)
		*rc = err_set(ISCSI_ERR_TRANS_NOT_FOUND, "plugin %s declined this iscsikit "
		    "(plugin ABI %d.%d)", path, ISCSI_PLUGIN_ABI_MAJOR, ISCSI_PLUGIN_ABI_MINOR);
	return d;
}

/* Magic and versions: the first 8 bytes are the same in every ABI major. */
static int
plugin_check_version(const struct iscsi_plugin *d, const char *path, struct plugin_probe *pr)
{
	const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;

	if (d->ip_magic != ISCSI_PLUGIN_MAGIC)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: bad magic 0x%08x "
		    "(expected 0x%08x), not an iscsikit plugin", path, (unsigned)d->ip_magic,
		    ISCSI_PLUGIN_MAGIC);
	pr->abi_major = d->ip_abi_major;
	pr->abi_minor = d->ip_abi_minor;
	if (d->ip_abi_major != ISCSI_PLUGIN_ABI_MAJOR)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "plugin %s was built for plugin ABI "
		    "%u.%u, this iscsikit speaks %d.%d (%s)", base, d->ip_abi_major,
		    d->ip_abi_minor, ISCSI_PLUGIN_ABI_MAJOR, ISCSI_PLUGIN_ABI_MINOR, path);
	if (d->ip_abi_minor > ISCSI_PLUGIN_ABI_MINOR)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "plugin %s was built for plugin ABI "
		    "%u.%u, newer than this iscsikit's %d.%d; it may need services this "
		    "core lacks (%s)", base, d->ip_abi_major, d->ip_abi_minor,
		    ISCSI_PLUGIN_ABI_MAJOR, ISCSI_PLUGIN_ABI_MINOR, path);
	if (d->ip_size < PLUGIN_MIN_DESC)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: descriptor is %u bytes, "
		    "plugin ABI %u.%u needs at least %zu", path, (unsigned)d->ip_size,
		    d->ip_abi_major, d->ip_abi_minor, PLUGIN_MIN_DESC);
	if (d->ip_version != NULL)
		snprintf(pr->version, sizeof(pr->version), "%s", d->ip_version);
	return ISCSI_OK;
}

/* Kind, name and ops as the file name and ABI promise. */
static int
plugin_check_identity(const struct iscsi_plugin *d, const char *path,
    enum iscsi_plugin_kind kind, const char *name)
{
	const uint32_t *ops_size = d->ip_ops;
	const struct plugin_handle *dup;
	const char *k = plugin_kind_name(kind);

	if (d->ip_kind != (uint32_t)kind)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: it declares kind %u "
		    "(%s) but its file name says %s", path, (unsigned)d->ip_kind,
		    plugin_kind_name((enum iscsi_plugin_kind)d->ip_kind) != NULL ?
		    plugin_kind_name((enum iscsi_plugin_kind)d->ip_kind) : "unknown", k);
	if (d->ip_name == NULL || strcmp(d->ip_name, name) != 0)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: it declares name '%s' "
		    "but its file name says '%s'", path, d->ip_name != NULL ? d->ip_name : "",
		    name);
	if (ops_size == NULL || *ops_size < plugin_min_ops[kind])
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: %s ops are %u bytes, "
		    "plugin ABI %u.%u needs at least %zu", path, k,
		    ops_size != NULL ? (unsigned)*ops_size : 0u, d->ip_abi_major,
		    d->ip_abi_minor, plugin_min_ops[kind]);
	if ((dup = plugin_find(kind, name)) != NULL)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: a %s plugin named "
		    "'%s' is already loaded from %s", path, k, name, dup->file);
	return ISCSI_OK;
}

static int
default_validate_iface(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_settings *iface)
{
	const struct plugin_handle *h = api->ca_handle;
	uint32_t req = 0;

	(void)priv;
	if (h->ops.t.to_flags & ISCSI_TF_BIND_EP_REQUIRED)
		req |= ISCSI_IFACE_NEED_HWADDRESS;
	if (h->ops.t.to_set_host_ip == ISCSI_HOST_IP_REQUIRED)
		req |= ISCSI_IFACE_NEED_IPADDRESS;
	return api->ca_check_iface_common(api, iface, req);
}

static int
default_adjust_limits(const struct iscsi_core_api *api, void *priv,
    struct iscsi_conn_limits *lim)
{
	(void)api, (void)priv, (void)lim;
	return ISCSI_OK;
}

static int
missing_op(const struct plugin_handle *h, const char *op)
{
	return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "refusing %s: %s ops lack the required %s",
	    h->file, plugin_kind_name(h->kind), op);
}

/* Copy the ops into the core's own struct and fill defaults. */
static int
plugin_fill_ops(struct plugin_handle *h)
{
	const uint32_t *src = h->desc->ip_ops;
	size_t n = *src;

	switch (h->kind) {
	case ISCSI_PLUGIN_TRANSPORT:
		memcpy(&h->ops.t, src, n < sizeof(h->ops.t) ? n : sizeof(h->ops.t));
		h->ops.t.to_size = sizeof(h->ops.t);
		if (h->ops.t.to_kernel_name == NULL)
			return missing_op(h, "to_kernel_name");
		/* open-iscsi's rule: module name = transport name unless aliased. */
		if (h->ops.t.to_kernel_module == NULL)
			h->ops.t.to_kernel_module = h->ops.t.to_kernel_name;
		if (h->ops.t.to_validate_iface == NULL)
			h->ops.t.to_validate_iface = default_validate_iface;
		if (h->ops.t.to_adjust_limits == NULL)
			h->ops.t.to_adjust_limits = default_adjust_limits;
		return ISCSI_OK;
	case ISCSI_PLUGIN_DISCOVERY:
		memcpy(&h->ops.d, src, n < sizeof(h->ops.d) ? n : sizeof(h->ops.d));
		h->ops.d.do_size = sizeof(h->ops.d);
		if (h->ops.d.do_discover == NULL)
			return missing_op(h, "do_discover");
		if (h->ops.d.do_type_names == NULL) {
			h->type_names[0] = h->name;
			h->ops.d.do_type_names = h->type_names;
		}
		return ISCSI_OK;
	case ISCSI_PLUGIN_HOST:
		memcpy(&h->ops.h, src, n < sizeof(h->ops.h) ? n : sizeof(h->ops.h));
		h->ops.h.ho_size = sizeof(h->ops.h);
		if (h->ops.h.ho_run == NULL)
			return missing_op(h, "ho_run");
		if (h->ops.h.ho_submode == NULL)
			h->ops.h.ho_submode = h->name;
		return ISCSI_OK;
	}
	return missing_op(h, "kind");
}

static int
plugin_start(struct plugin_handle *h)
{
	int rc;

	if ((rc = plugin_fill_ops(h)) != ISCSI_OK)
		return rc;
	core_api_fill(&h->api, h);
	if (h->desc->ip_init == NULL)
		return ISCSI_OK;
	err_clear();
	if ((rc = h->desc->ip_init(&h->api, &h->priv)) != ISCSI_OK && err_detail(rc) == NULL)
		err_set(rc, "plugin %s failed to initialise: %s", h->file, iscsi_strerror(rc));
	return rc;
}

static void
plugin_free(struct plugin_handle *h)
{
	if (h->dl != NULL)
		lt_dlclose(h->dl);
	free(h->file);
	free(h);
}

/* The whole load: file checks, dlopen, descriptor checks, defaults, init. */
static int
plugin_load(const char *path, const struct plugin_handle **out, struct plugin_probe *pr)
{
	struct plugin_handle *h;
	struct stat st;
	int rc;

	pr->abi_major = pr->abi_minor = -1;
	pr->version[0] = '\0';
	if ((h = calloc(1, sizeof(*h))) == NULL || (h->file = strdup(path)) == NULL) {
		free(h);
		return err_set(ISCSI_ERR_NOMEM, "out of memory loading %s", path);
	}
	if ((rc = plugin_parse_file(path, &h->kind, h->name, sizeof(h->name))) != ISCSI_OK ||
	    (rc = plugin_check_file(path, &st)) != ISCSI_OK)
		goto fail;
	for (struct plugin_handle *o = plugin_list; o != NULL; o = o->next)
		if (o->dev == st.st_dev && o->ino == st.st_ino) {
			plugin_free(h);
			*out = o;
			return ISCSI_OK;
		}
	h->dev = st.st_dev;
	h->ino = st.st_ino;
	snprintf(h->tag, sizeof(h->tag), "%s-%s", plugin_kind_name(h->kind), h->name);
	if ((rc = plugin_ltdl_init()) != ISCSI_OK)
		goto fail;
	if ((h->dl = lt_dlopenadvise(path, plugin_advise)) == NULL) {
		rc = err_set(ISCSI_ERR_TRANS_NOT_FOUND, "could not load %s: %s (run ldd on it "
		    "to see missing libraries)", path, lt_dlerror());
		goto fail;
	}
	if ((h->desc = plugin_call_entry(h->dl, path, h->kind, h->name, &rc)) == NULL ||
	    (rc = plugin_check_version(h->desc, path, pr)) != ISCSI_OK ||
	    (rc = plugin_check_identity(h->desc, path, h->kind, h->name)) != ISCSI_OK ||
	    (rc = plugin_start(h)) != ISCSI_OK)
		goto fail;
	h->next = plugin_list;
	plugin_list = h;
	log_debug(2, "loaded %s plugin %s %s from %s", plugin_kind_name(h->kind), h->name,
	    h->desc->ip_version != NULL ? h->desc->ip_version : "", path);
	*out = h;
	return ISCSI_OK;
fail:
	plugin_free(h);
	return rc;
}

int
plugin_load_file(const char *path, const struct plugin_handle **out)
{
	struct plugin_probe pr;

	return plugin_load(path, out, &pr);
}

int
plugin_get(enum iscsi_plugin_kind kind, const char *name, const struct plugin_handle **out)
{
	const char *k = plugin_kind_name(kind);
	const char *sp = plugin_search_path();
	char file[4200];
	struct stat st;
	const struct plugin_handle *h;

	if (k == NULL)
		return err_set(ISCSI_ERR_INVAL, "unknown plugin kind %d", (int)kind);
	if (name == NULL || !plugin_name_ok(name))
		return err_set(ISCSI_ERR_INVAL, "'%s' is not a valid %s plugin name",
		    name != NULL ? name : "", k);
	if ((h = plugin_find(kind, name)) != NULL) {
		*out = h;
		return ISCSI_OK;
	}
	/* Search-path order: the first directory holding the file wins. */
	for (const char *d = sp; *d != '\0'; d += strcspn(d, ":"), d += *d == ':') {
		size_t dl = strcspn(d, ":");

		if (dl == 0)
			continue;
		snprintf(file, sizeof(file), "%.*s/%s-%s.so", (int)dl, d, k, name);
		if (lstat(file, &st) == 0)
			return plugin_load_file(file, out);
	}
	return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "%s plugin '%s' is not installed: "
	    "no %s-%s.so in %s", k, name, k, name, sp);
}

const struct iscsi_plugin *plugin_descriptor(const struct plugin_handle *h) { return h->desc; }
const char *plugin_name(const struct plugin_handle *h) { return h->name; }
enum iscsi_plugin_kind plugin_kind(const struct plugin_handle *h) { return h->kind; }
const char *plugin_file(const struct plugin_handle *h) { return h->file; }
const char *plugin_tag(const struct plugin_handle *h) { return h->tag; }
const struct iscsi_core_api *plugin_api(const struct plugin_handle *h) { return &h->api; }
void *plugin_priv(const struct plugin_handle *h) { return h->priv; }

const struct iscsi_transport_ops *
plugin_transport_ops(const struct plugin_handle *h)
{
	return h->kind == ISCSI_PLUGIN_TRANSPORT ? &h->ops.t : NULL;
}

const struct iscsi_discovery_ops *
plugin_discovery_ops(const struct plugin_handle *h)
{
	return h->kind == ISCSI_PLUGIN_DISCOVERY ? &h->ops.d : NULL;
}

const struct iscsi_host_ops *
plugin_host_ops(const struct plugin_handle *h)
{
	return h->kind == ISCSI_PLUGIN_HOST ? &h->ops.h : NULL;
}

/* ------------------------------------------------------ enumeration */

struct plugin_file {
	enum iscsi_plugin_kind	 kind;
	char			 name[PLUGIN_NAME_MAX + 1];
	size_t			 dir_index;
	char			*path;
};

struct plugin_scan {
	struct plugin_file	*files;
	size_t			 n, cap;
	size_t			 dir_index;
	int			 rc;
};

/* lt_dlforeachfile callback: @filename is "<dir>/<base>" without extension. */
static int
plugin_scan_one(const char *filename, void *data)
{
	struct plugin_scan *sc = data;
	struct plugin_file f = { .dir_index = sc->dir_index };
	struct stat st;
	char path[4200];

	snprintf(path, sizeof(path), "%s.so", filename);
	if (plugin_parse_file(path, &f.kind, f.name, sizeof(f.name)) != ISCSI_OK ||
	    lstat(path, &st) == -1)
		return 0;
	for (size_t i = 0; i < sc->n; i++)	/* .la and .so give the same base */
		if (strcmp(sc->files[i].path, path) == 0)
			return 0;
	if (sc->n == sc->cap) {
		size_t cap = sc->cap != 0 ? sc->cap * 2 : 16;
		struct plugin_file *nf = realloc(sc->files, cap * sizeof(*nf));

		if (nf == NULL)
			return sc->rc = ISCSI_ERR_NOMEM;
		sc->files = nf;
		sc->cap = cap;
	}
	if ((f.path = strdup(path)) == NULL)
		return sc->rc = ISCSI_ERR_NOMEM;
	sc->files[sc->n++] = f;
	return 0;
}

static int
plugin_file_cmp(const void *a, const void *b)
{
	const struct plugin_file *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->dir_index < y->dir_index ? -1 : x->dir_index > y->dir_index;
}

static void
plugin_scan_free(struct plugin_scan *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free(sc->files[i].path);
	free(sc->files);
}

/* Every plugin file in the search path, sorted; one directory at a time
 * so the order of the path is kept for duplicates. */
static int
plugin_scan(struct plugin_scan *sc)
{
	const char *sp = plugin_search_path();
	char dir[4096];
	int rc;

	memset(sc, 0, sizeof(*sc));
	if ((rc = plugin_ltdl_init()) != ISCSI_OK)
		return rc;
	for (const char *d = sp; *d != '\0'; d += strcspn(d, ":"), d += *d == ':') {
		size_t dl = strcspn(d, ":");

		if (dl == 0 || dl >= sizeof(dir))
			continue;
		snprintf(dir, sizeof(dir), "%.*s", (int)dl, d);
		lt_dlforeachfile(dir, plugin_scan_one, sc);
		sc->dir_index++;
		if (sc->rc != ISCSI_OK) {
			plugin_scan_free(sc);
			return err_set(sc->rc, "out of memory listing plugins in %s", dir);
		}
	}
	if (sc->n == 0)
		return err_set(ISCSI_ERR_NO_OBJS_FOUND, "no plugins found in %s", sp);
	qsort(sc->files, sc->n, sizeof(sc->files[0]), plugin_file_cmp);
	return ISCSI_OK;
}

int
plugin_foreach_installed(plugin_foreach_fn fn, void *arg)
{
	struct plugin_scan sc;
	int rc;

	if ((rc = plugin_scan(&sc)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < sc.n && rc == ISCSI_OK; i++) {
		const struct plugin_file *f = &sc.files[i];
		const struct plugin_handle *h = NULL;
		struct plugin_probe pr;
		char reason[1024] = "";
		struct plugin_info info = {
			.pi_kind = f->kind, .pi_name = f->name, .pi_file = f->path,
		};

		info.pi_status = plugin_load(f->path, &h, &pr);
		if (info.pi_status != ISCSI_OK) {
			const char *d = err_detail(info.pi_status);

			snprintf(reason, sizeof(reason), "%s",
			    d != NULL ? d : iscsi_strerror(info.pi_status));
			info.pi_reason = reason;
		} else {
			info.pi_handle = h;
		}
		info.pi_abi_major = h != NULL ? h->desc->ip_abi_major : pr.abi_major;
		info.pi_abi_minor = h != NULL ? h->desc->ip_abi_minor : pr.abi_minor;
		info.pi_version = h != NULL ? h->desc->ip_version :
		    pr.version[0] != '\0' ? pr.version : NULL;
		rc = fn(&info, arg);
	}
	plugin_scan_free(&sc);
	return rc;
}

static bool
plugin_claims_type(const struct plugin_handle *h, const char *type)
{
	for (const char *const *t = h->ops.d.do_type_names; *t != NULL; t++)
		if (strcmp(*t, type) == 0)
			return true;
	return false;
}

int
plugin_find_discovery_by_type(const char *type, const struct plugin_handle **out)
{
	struct plugin_scan sc;
	const struct plugin_handle *h;
	int rc;

	if (type == NULL || type[0] == '\0')
		return err_set(ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE, "no discovery type given");
	if (plugin_name_ok(type) && plugin_get(ISCSI_PLUGIN_DISCOVERY, type, &h) == ISCSI_OK &&
	    plugin_claims_type(h, type)) {
		*out = h;
		return ISCSI_OK;
	}
	/* Short names ("st") belong to a plugin of another name: ask them all. */
	if ((rc = plugin_scan(&sc)) == ISCSI_OK) {
		rc = ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE;
		for (size_t i = 0; i < sc.n && rc != ISCSI_OK; i++) {
			if (sc.files[i].kind != ISCSI_PLUGIN_DISCOVERY ||
			    plugin_load_file(sc.files[i].path, &h) != ISCSI_OK)
				continue;
			if (plugin_claims_type(h, type)) {
				*out = h;
				rc = ISCSI_OK;
			}
		}
		plugin_scan_free(&sc);
	}
	if (rc != ISCSI_OK)
		return err_set(ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE, "no installed discovery "
		    "plugin handles type '%s' (searched %s)", type, plugin_search_path());
	return ISCSI_OK;
}

void
plugin_unload_all(void)
{
	struct plugin_handle *h;

	while ((h = plugin_list) != NULL) {
		plugin_list = h->next;
		if (h->desc->ip_fini != NULL)
			h->desc->ip_fini(h->priv);
		plugin_free(h);
	}
	if (plugin_ltdl_up) {
		lt_dladvise_destroy(&plugin_advise);
		lt_dlexit();
		plugin_ltdl_up = false;
	}
	free(plugin_path);
	plugin_path = NULL;
}
