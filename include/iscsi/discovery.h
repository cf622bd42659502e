/* SPDX-License-Identifier: MIT */
/*
 * Discovery plugins: SendTargets, iSNS, firmware (iBFT).  A plugin turns a
 * discovery request into a stream of (target, portal, tpgt) records handed
 * to a sink; the core owns the node database and decides what to write.
 */
#ifndef ISCSI_DISCOVERY_H
#define ISCSI_DISCOVERY_H

#include <stdint.h>
#include <iscsi/core_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct iscsi_disc_target - one discovered portal of one target.
 * @dt_size:    sizeof(struct iscsi_disc_target).
 * @dt_name:    target name, already checked by the plugin against the
 *              iSCSI name rules (RFC 3720 §3.2.6); the core checks again.
 * @dt_address: numeric address or host name, no brackets; IPv6 link-local
 *              scope as "%ifname".
 * @dt_port:    TCP port.
 * @dt_tpgt:    portal group tag, or -1 when the method does not know it.
 * @dt_iface:   iface the record binds to, or NULL for the request's.
 * @dt_extra:   method-specific settings (iBFT CHAP, boot LUN...), or NULL.
 */
struct iscsi_disc_target {
	uint32_t			 dt_size;
	const char			*dt_name;
	const char			*dt_address;
	uint16_t			 dt_port;
	int32_t				 dt_tpgt;
	const char			*dt_iface;
	const struct iscsi_settings	*dt_extra;
};

/* Called once per discovered portal.  A non-zero enum iscsi_err stops discovery. */
typedef int (*iscsi_disc_sink_fn)(void *arg, const struct iscsi_disc_target *t);

/**
 * struct iscsi_disc_request - what to discover and how.
 * @dr_size:     sizeof(struct iscsi_disc_request).
 * @dr_address:  server address as the user gave it (no brackets), or NULL
 *               for methods without a server (firmware).
 * @dr_port:     server port.
 * @dr_record:   the discovery record (discovery.sendtargets.* / discovery.isns.*).
 * @dr_iface:    the iface record to use.
 * @dr_initiator_name:  our iSCSI name.
 * @dr_initiator_alias: our alias, or NULL.
 */
struct iscsi_disc_request {
	uint32_t			 dr_size;
	const char			*dr_address;
	uint16_t			 dr_port;
	const struct iscsi_settings	*dr_record;
	const struct iscsi_settings	*dr_iface;
	const char			*dr_initiator_name;
	const char			*dr_initiator_alias;
};

/**
 * struct iscsi_discovery_ops - ip_ops of an ISCSI_PLUGIN_DISCOVERY plugin.
 * @do_size:         sizeof(struct iscsi_discovery_ops).
 * @do_type_names:   NULL-terminated names accepted by "-t" ({"sendtargets", "st", NULL}).
 * @do_default_port: port when "-p" gives none (3260, iSNS 3205, 0 = none).
 * @do_discover:     run discovery synchronously, calling @sink per portal.
 *                   Return an enum iscsi_err with a detail via ca_set_error.
 */
struct iscsi_discovery_ops {
	uint32_t		 do_size;
	const char *const	*do_type_names;
	uint16_t		 do_default_port;
	int			(*do_discover)(const struct iscsi_core_api *api, void *priv,
				    const struct iscsi_disc_request *req,
				    iscsi_disc_sink_fn sink, void *arg);
};

#ifdef __cplusplus
}
#endif
#endif /* ISCSI_DISCOVERY_H */
