/* SPDX-License-Identifier: MIT */
/*
 * The iscsikit plugin descriptor and its ABI version.  A plugin is one
 * shared module exporting one function that returns one const descriptor;
 * the core checks magic, versions and sizes before it calls anything else.
 * Kind-specific operations live in transport.h, discovery.h and host.h;
 * services the core offers plugins live in core_api.h.
 */
#ifndef ISCSI_PLUGIN_H
#define ISCSI_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ABI rules
 * ---------
 * 1. A change that breaks an existing plugin binary bumps ISCSI_PLUGIN_ABI_MAJOR
 *    and resets the minor.  Plugins of another major are refused; they also
 *    live in another directory (plugins-<major>), so they are simply not found.
 * 2. Additions bump ISCSI_PLUGIN_ABI_MINOR.  Structs that cross the boundary
 *    begin with their own size, use fixed-width types and only grow at the
 *    end.  A plugin built against an older minor is accepted: members past
 *    the size it reports read as NULL/0 and the core substitutes defaults.
 *    A plugin built against a newer minor than the core is refused, because
 *    it may call services the core lacks.
 * 3. Enums that cross the boundary have explicit values and are never
 *    renumbered.  No layout depends on configure options or #ifdefs.
 * 4. Memory: the core never frees what a plugin allocated and a plugin never
 *    frees core memory except through core_api->ca_free where documented.
 * 5. Plugins link against nothing of iscsikit's; every service comes
 *    through the struct iscsi_core_api handed to ip_init.
 *
 * History
 * -------
 * 1.0  2026-11-27  First version: descriptor, core_api (logging, errors,
 *                  config, fd watches, timers, deferred calls, sysfs, text
 *                  sessions for discovery, shared iface checks),
 *                  transport/discovery/host ops.
 */
#define ISCSI_PLUGIN_MAGIC	0x69534350u	/* "iSCP" */
#define ISCSI_PLUGIN_ABI_MAJOR	1
#define ISCSI_PLUGIN_ABI_MINOR	0

/* Name of the exported entry point.  libltdl looks for the prefixed form
 * <module>_LTX_iscsi_plugin_entry first (module = file name without ".so",
 * with '-' turned into '_'), then the plain name. */
#define ISCSI_PLUGIN_ENTRY_SYMBOL "iscsi_plugin_entry"

enum iscsi_plugin_kind {
	ISCSI_PLUGIN_TRANSPORT	= 1,	/* plugins/transport: ops in transport.h */
	ISCSI_PLUGIN_DISCOVERY	= 2,	/* plugins/discovery: ops in discovery.h */
	ISCSI_PLUGIN_HOST	= 3,	/* plugins/host: ops in host.h */
};

/* ip_flags */
#define ISCSI_PLUGIN_F_CLI_OK	(1u << 0)	/* may run inside iscsiadm (no event loop) */
#define ISCSI_PLUGIN_F_DAEMON	(1u << 1)	/* needs iscsid's event loop */

struct iscsi_core_api;

/**
 * struct iscsi_plugin - what a plugin tells the core about itself.
 * @ip_magic:     ISCSI_PLUGIN_MAGIC.
 * @ip_abi_major: ABI major the plugin was compiled against.
 * @ip_abi_minor: ABI minor the plugin was compiled against.
 * @ip_size:      sizeof(struct iscsi_plugin) as compiled by the plugin.
 * @ip_kind:      enum iscsi_plugin_kind.
 * @ip_name:      short name, unique per kind ("tcp", "sendtargets", "chap").
 * @ip_version:   the plugin's own version string.
 * @ip_vendor:    who ships it.
 * @ip_description: one line for "iscsiadm -m plugin".
 * @ip_flags:     ISCSI_PLUGIN_F_*.
 * @ip_init:      optional; called once after the checks pass.  May store a
 *                private pointer in *@priv.  Returns an enum iscsi_err; a
 *                non-zero value refuses the load (set a detail with
 *                api->ca_set_error).  @api stays valid until ip_fini returns.
 * @ip_fini:      optional; called before the module is unloaded.
 * @ip_ops:       kind-specific operations; the struct starts with its size.
 *
 * The descriptor is owned by the plugin and must be static const.
 */
struct iscsi_plugin {
	uint32_t	 ip_magic;
	uint16_t	 ip_abi_major;
	uint16_t	 ip_abi_minor;
	uint32_t	 ip_size;
	uint32_t	 ip_kind;
	const char	*ip_name;
	const char	*ip_version;
	const char	*ip_vendor;
	const char	*ip_description;
	uint32_t	 ip_flags;
	int		(*ip_init)(const struct iscsi_core_api *api, void **priv);
	void		(*ip_fini)(void *priv);
	const void	*ip_ops;
};

/**
 * iscsi_plugin_entry_fn - the one exported function.
 * @core_major: the loading core's ISCSI_PLUGIN_ABI_MAJOR.
 * @core_minor: the loading core's ISCSI_PLUGIN_ABI_MINOR.
 *
 * Return: the plugin's descriptor, or NULL to decline this core.
 */
typedef const struct iscsi_plugin *(*iscsi_plugin_entry_fn)(uint16_t core_major,
    uint16_t core_minor);

#define ISCSI_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The entry point keeps its C name when a plugin is written in C++. */
#ifdef __cplusplus
#define ISCSI_PLUGIN_EXTERN_C extern "C"
#else
#define ISCSI_PLUGIN_EXTERN_C
#endif

/**
 * ISCSI_PLUGIN_DEFINE() - emit the descriptor and the entry function.
 * @modid: the module name with '-' as '_' (file transport-tcp.so -> transport_tcp);
 *         it prefixes the entry symbol so plugins can also be preloaded
 *         into one static binary without clashing.
 * @kind:  ISCSI_PLUGIN_TRANSPORT, ..._DISCOVERY or ..._HOST.
 * @name, @version, @vendor, @desc, @flags, @init, @fini, @ops: as in struct iscsi_plugin.
 *
 * The version fields come from this header, so a plugin cannot get them wrong.
 * The expansion ends with a function body: write no ';' after it (-pedantic
 * warns).  C++ plugins need C++20 (designated initializers); the entry point
 * gets C linkage either way.
 */
#define ISCSI_PLUGIN_DEFINE(modid, kind, name, version, vendor, desc, flags, init, fini, ops) \
	static const struct iscsi_plugin modid##_iscsi_descriptor = {			\
		.ip_magic = ISCSI_PLUGIN_MAGIC,						\
		.ip_abi_major = ISCSI_PLUGIN_ABI_MAJOR,					\
		.ip_abi_minor = ISCSI_PLUGIN_ABI_MINOR,					\
		.ip_size = sizeof(struct iscsi_plugin),					\
		.ip_kind = (kind),							\
		.ip_name = (name),							\
		.ip_version = (version),						\
		.ip_vendor = (vendor),							\
		.ip_description = (desc),						\
		.ip_flags = (flags),							\
		.ip_init = (init),							\
		.ip_fini = (fini),							\
		.ip_ops = (ops),							\
	};										\
	ISCSI_PLUGIN_EXTERN_C ISCSI_PLUGIN_EXPORT const struct iscsi_plugin *		\
	modid##_LTX_iscsi_plugin_entry(uint16_t core_major, uint16_t core_minor);	\
	ISCSI_PLUGIN_EXPORT const struct iscsi_plugin *					\
	modid##_LTX_iscsi_plugin_entry(uint16_t core_major, uint16_t core_minor)	\
	{										\
		(void)core_major;							\
		(void)core_minor;							\
		return &modid##_iscsi_descriptor;						\
	}

#ifdef __cplusplus
}
#endif
#endif /* ISCSI_PLUGIN_H */
