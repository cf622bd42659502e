/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin loader: finds <kind>-<name>.so in the plugin directory (or
 * $ISCSI_PLUGIN_PATH), checks it, hands it its core_api copy and keeps it
 * until plugin_unload_all().  Consumers (iscsiadm modes, discovery, iscsid)
 * use only this header; plugins never see it.
 */
#ifndef ISCSIKIT_PLUGIN_H
#define ISCSIKIT_PLUGIN_H

#include <stdint.h>

#include <iscsi/plugin.h>
#include <iscsi/core_api.h>
#include <iscsi/transport.h>
#include <iscsi/discovery.h>
#include <iscsi/host.h>

struct plugin_handle;	/* one loaded, checked, initialised plugin; owned by the loader */

/* "transport", "discovery", "host", or NULL for an unknown kind. */
const char *plugin_kind_name(enum iscsi_plugin_kind kind);
/* The kind whose name is @s, or 0. */
enum iscsi_plugin_kind plugin_kind_from_name(const char *s);

/*
 * The search path: $ISCSI_PLUGIN_PATH (colon-separated) when set and
 * non-empty, else the compiled-in PLUGINDIR.  Computed on first use;
 * plugin_unload_all() forgets it so tests can change the environment.
 */
const char *plugin_search_path(void);

/*
 * plugin_get() - the plugin (@kind, @name), loading it on first use.
 * On success *@out is valid until plugin_unload_all().  Errors (with an
 * err_set() detail naming the file): ISCSI_ERR_INVAL for a name that cannot
 * be a file name; ISCSI_ERR_TRANS_NOT_FOUND when no <kind>-<name>.so is in
 * the search path and also when the file is refused by a check (unsafe
 * file, no symbol, bad magic, ABI mismatch...: the detail says which and
 * gives both versions), since either way there is no usable plugin; or
 * whatever the plugin's ip_init returned.
 */
int plugin_get(enum iscsi_plugin_kind kind, const char *name,
    const struct plugin_handle **out);

/*
 * plugin_load_file() - load one plugin from an explicit @path (the file
 * name must still be <kind>-<name>.so).  Used by the listing and by tests;
 * the same checks as plugin_get() apply, plus the duplicate check: a
 * different file declaring an already registered (kind, name) is refused.
 * Loading the same file again returns the registered handle.
 */
int plugin_load_file(const char *path, const struct plugin_handle **out);

/* Accessors for a handle plugin_get() returned; only plugin_priv() and the
 * ops of another kind may be NULL. */
const struct iscsi_plugin *plugin_descriptor(const struct plugin_handle *h);
const char *plugin_name(const struct plugin_handle *h);
enum iscsi_plugin_kind plugin_kind(const struct plugin_handle *h);
const char *plugin_file(const struct plugin_handle *h);
/* "<kind>-<name>", the prefix of the plugin's log lines and error details. */
const char *plugin_tag(const struct plugin_handle *h);
/* The plugin's own core_api copy: pass it to every op of this plugin. */
const struct iscsi_core_api *plugin_api(const struct plugin_handle *h);
/* What ip_init stored in *priv; pass it to every op of this plugin. */
void *plugin_priv(const struct plugin_handle *h);
/*
 * The kind's ops, copied into a core-owned struct of the core's size with
 * defaults filled in for members the plugin left NULL or did not know
 * about (older minor).  NULL when @h is of another kind.
 */
const struct iscsi_transport_ops *plugin_transport_ops(const struct plugin_handle *h);
const struct iscsi_discovery_ops *plugin_discovery_ops(const struct plugin_handle *h);
const struct iscsi_host_ops *plugin_host_ops(const struct plugin_handle *h);

/**
 * struct plugin_info - one installed file, as plugin_foreach_installed() sees it.
 * @pi_kind, @pi_name: from the file name.
 * @pi_file:   full path.
 * @pi_status: ISCSI_OK if it loads, else the refusal's error code.
 * @pi_reason: NULL when it loads, else the refusal detail.
 * @pi_abi_major, @pi_abi_minor: as the plugin declares them, or -1 when
 *             the descriptor could not be read (no symbol, bad magic...).
 * @pi_version: the plugin's version string when the descriptor could be
 *             read under this core's ABI, else NULL.
 * @pi_handle: the loaded plugin when pi_status is ISCSI_OK, else NULL; its
 *             descriptor then gives vendor, description and ops.
 *
 * Everything is valid only during the callback.
 */
struct plugin_info {
	enum iscsi_plugin_kind		 pi_kind;
	const char			*pi_name;
	const char			*pi_file;
	int				 pi_status;
	const char			*pi_reason;
	int				 pi_abi_major;
	int				 pi_abi_minor;
	const char			*pi_version;
	const struct plugin_handle	*pi_handle;
};

typedef int (*plugin_foreach_fn)(const struct plugin_info *info, void *arg);

/*
 * plugin_foreach_installed() - every <kind>-<name>.so in the search path,
 * sorted by kind, name, then search-path order, each loaded (so refusals
 * are reported) and passed to @fn.  A non-zero return from @fn stops the
 * walk and is returned.  Returns ISCSI_ERR_NO_OBJS_FOUND when the path
 * holds no plugin file at all.  Loaded plugins stay registered.
 */
int plugin_foreach_installed(plugin_foreach_fn fn, void *arg);

/*
 * plugin_find_discovery_by_type() - the discovery plugin one of whose
 * do_type_names is @type ("st", "sendtargets", "isns", "fw").  Tries the
 * plugin named @type first, then every installed discovery plugin.
 * ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE when none claims it.
 */
int plugin_find_discovery_by_type(const char *type, const struct plugin_handle **out);

/* Call every plugin's ip_fini, close every module, forget every refusal. */
void plugin_unload_all(void);

#endif
