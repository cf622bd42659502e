/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The core side of struct iscsi_core_api: builds each plugin's copy and
 * holds the hooks through which the event loop (iscsid) and the text
 * session code (protocol area) plug their services in.  Until a hook is
 * registered the matching services answer ISCSI_ERR_OP_NOT_SUPP, which is
 * exactly what iscsiadm (no event loop) wants.
 */
#ifndef ISCSIKIT_CORE_API_H
#define ISCSIKIT_CORE_API_H

#include <stddef.h>
#include <stdint.h>

#include <iscsi/core_api.h>

struct plugin_handle;

/*
 * Event-loop services, registered by the daemon.  @owner is the plugin
 * asking (for logging and for dropping its watches when it is unloaded).
 * Return values as the matching ca_* members.
 */
struct core_loop_ops {
	int	(*watch_add)(const struct plugin_handle *owner, int fd, uint32_t events,
		    iscsi_watch_fn fn, void *arg, struct iscsi_watch **out);
	void	(*watch_del)(const struct plugin_handle *owner, struct iscsi_watch *w);
	int	(*timer_add)(const struct plugin_handle *owner, uint64_t msec,
		    iscsi_timer_fn fn, void *arg, struct iscsi_timer **out);
	void	(*timer_del)(const struct plugin_handle *owner, struct iscsi_timer *t);
	int	(*defer)(const struct plugin_handle *owner, iscsi_timer_fn fn, void *arg);
};

/* Discovery text sessions, registered by the protocol area. */
struct core_text_ops {
	int	(*open)(const struct plugin_handle *owner,
		    const struct iscsi_disc_request *req, struct iscsi_text_conn **out);
	int	(*exchange)(const struct plugin_handle *owner, struct iscsi_text_conn *conn,
		    const char *kv, size_t len, char **resp, size_t *resp_len);
	void	(*close)(const struct plugin_handle *owner, struct iscsi_text_conn *conn);
};

/* iscsid.conf lookup, registered by the config/db area: value or NULL. */
typedef const char *(*core_config_get_fn)(const char *key);

/* Register (or with NULL remove) a provider.  @ops must outlive its use. */
void core_api_set_loop(const struct core_loop_ops *ops);
void core_api_set_text_ops(const struct core_text_ops *ops);
void core_api_set_config(core_config_get_fn fn);

/* Fill @api as the copy handed to plugin @owner (its ca_handle). */
void core_api_fill(struct iscsi_core_api *api, const struct plugin_handle *owner);

/* ca_check_iface_common without a plugin (core defaults, tests). */
int core_api_check_iface(const struct iscsi_settings *iface, uint32_t require);

#endif
