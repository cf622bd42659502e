/* SPDX-License-Identifier: MIT */
/*
 * The services table the core hands to every plugin's ip_init.  Plugins
 * reach the core only through it: they link against nothing of ours, which
 * keeps vendors' binaries working across core releases and lets plugins be
 * tested against a mock table.  Kernel ABI details stay inside the core.
 */
#ifndef ISCSI_CORE_API_H
#define ISCSI_CORE_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Log priorities for ca_log (values as syslog's). */
#define ISCSI_LOG_ERR		3
#define ISCSI_LOG_WARNING	4
#define ISCSI_LOG_INFO		6
#define ISCSI_LOG_DEBUG		7

/* fd watch events (values as epoll's EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP). */
#define ISCSI_EV_READ		0x001u
#define ISCSI_EV_WRITE		0x004u
#define ISCSI_EV_ERROR		0x008u
#define ISCSI_EV_HUP		0x010u

struct iscsi_watch;		/* opaque, owned by the core */
struct iscsi_timer;		/* opaque, owned by the core */
struct iscsi_text_conn;		/* opaque: a logged-in session for Text requests */
struct iscsi_disc_request;	/* discovery.h */

/**
 * struct iscsi_settings - a read-only view of a record's keys.
 * @is_size: sizeof(struct iscsi_settings).
 * @is_get:  returns the value of @key ("iface.hwaddress",
 *           "discovery.sendtargets.auth.username", ...) or NULL when the
 *           key is unset or empty.  The string is owned by the record and
 *           valid for the duration of the call that received @s.
 * @is_priv: the owner's data.
 */
struct iscsi_settings {
	uint32_t	 is_size;
	const char	*(*is_get)(const struct iscsi_settings *s, const char *key);
	void		*is_priv;
};

/* ca_check_iface_common @require bits. */
#define ISCSI_IFACE_NEED_HWADDRESS	(1u << 0)	/* offload: bind by the HBA port's MAC */
#define ISCSI_IFACE_NEED_IPADDRESS	(1u << 1)	/* the host needs its own address (bnx2i, qedi) */

typedef void (*iscsi_watch_fn)(int fd, uint32_t events, void *arg);
typedef void (*iscsi_timer_fn)(void *arg);

/**
 * struct iscsi_core_api - services for plugins.
 *
 * Every function takes the table it was reached through as @api; the core
 * hands each plugin its own copy so log lines and error details are tagged
 * with the plugin's name.  Unless stated otherwise functions return an enum
 * iscsi_err.  In iscsiadm (no event loop) the watch/timer/defer services
 * return ISCSI_ERR_OP_NOT_SUPP; plugins flagged ISCSI_PLUGIN_F_CLI_OK must
 * not need them.
 *
 * @ca_size, @ca_abi_major, @ca_abi_minor: the core's table size and ABI.
 * @ca_handle:     the core's per-plugin context; plugins must not touch it.
 * @ca_log:        log a line at @prio (ISCSI_LOG_*), tagged with the plugin name.
 * @ca_debug:      log at debug @level 1..8 (iscsiadm/iscsid -d); cheap when off.
 * @ca_set_error:  record the human detail for the error the caller is about to
 *                 return; iscsiadm prints it (and iscsid sends it over IPC).
 * @ca_strerror:   iscsi_strerror().
 * @ca_print:      write one data line to the command's standard output; the
 *                 core adds the newline.
 * @ca_config_get: value of an iscsid.conf key, or NULL; owned by the core.
 * @ca_watch_add:  call @fn when @fd has @events (ISCSI_EV_*); *@out receives
 *                 the handle to pass to @ca_watch_del.
 * @ca_watch_del:  stop watching; safe from inside the callback.
 * @ca_timer_add:  call @fn once after @msec; *@out for @ca_timer_del.
 * @ca_timer_del:  cancel a pending timer; safe from inside any callback.
 * @ca_defer:      call @fn from the event loop soon, never re-entrantly.
 * @ca_sysfs_read: read a sysfs attribute, @path relative to the sysfs root
 *                 ("class/iscsi_host/host3/hwaddress"); trailing newline
 *                 removed, always NUL-terminated.  The root honours the
 *                 test override, so plugins never hard-code "/sys".
 * @ca_sysfs_write: write @value to a sysfs attribute.
 * @ca_text_open:  connect and log in a discovery session for @req (address,
 *                 iface, CHAP from the record); *@out for the calls below.
 * @ca_text_exchange: send Text request @kv (NUL-separated key=value pairs,
 *                 @len bytes) and collect the whole answer across
 *                 continuation PDUs; *@resp (allocated, free with ca_free)
 *                 holds @resp_len bytes of NUL-separated key=value pairs.
 * @ca_text_close: log out (best effort) and release the session.
 * @ca_free:       free memory the core allocated for the plugin.
 * @ca_check_iface_common: the iface checks every transport shares: syntax
 *                 of iface.hwaddress (MAC), iface.net_ifacename (a Linux
 *                 interface name), iface.ipaddress (IPv4 or IPv6),
 *                 iface.prefix_len, iface.port, iface.vlan_id,
 *                 iface.vlan_priority, iface.mtu and iface.iface_num, plus
 *                 that the keys named by @require (ISCSI_IFACE_NEED_*) are
 *                 set.  Unset keys and the value "default" pass.  Returns
 *                 ISCSI_OK, or ISCSI_ERR_INVAL with the detail already set
 *                 (naming the iface, the key and the value), so a plugin
 *                 can return the code as is.  Added in 1.0.
 */
struct iscsi_core_api {
	uint32_t	  ca_size;
	uint16_t	  ca_abi_major;
	uint16_t	  ca_abi_minor;
	void		 *ca_handle;

	void		(*ca_log)(const struct iscsi_core_api *api, int prio,
			    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
	void		(*ca_debug)(const struct iscsi_core_api *api, int level,
			    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
	void		(*ca_set_error)(const struct iscsi_core_api *api, int err,
			    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
	const char	*(*ca_strerror)(int err);
	void		(*ca_print)(const struct iscsi_core_api *api,
			    const char *fmt, ...) __attribute__((format(printf, 2, 3)));

	const char	*(*ca_config_get)(const struct iscsi_core_api *api, const char *key);

	int		(*ca_watch_add)(const struct iscsi_core_api *api, int fd,
			    uint32_t events, iscsi_watch_fn fn, void *arg,
			    struct iscsi_watch **out);
	void		(*ca_watch_del)(const struct iscsi_core_api *api, struct iscsi_watch *w);
	int		(*ca_timer_add)(const struct iscsi_core_api *api, uint64_t msec,
			    iscsi_timer_fn fn, void *arg, struct iscsi_timer **out);
	void		(*ca_timer_del)(const struct iscsi_core_api *api, struct iscsi_timer *t);
	int		(*ca_defer)(const struct iscsi_core_api *api, iscsi_timer_fn fn, void *arg);

	int		(*ca_sysfs_read)(const struct iscsi_core_api *api, const char *path,
			    char *buf, size_t len);
	int		(*ca_sysfs_write)(const struct iscsi_core_api *api, const char *path,
			    const char *value);

	int		(*ca_text_open)(const struct iscsi_core_api *api,
			    const struct iscsi_disc_request *req, struct iscsi_text_conn **out);
	int		(*ca_text_exchange)(const struct iscsi_core_api *api,
			    struct iscsi_text_conn *conn, const char *kv, size_t len,
			    char **resp, size_t *resp_len);
	void		(*ca_text_close)(const struct iscsi_core_api *api,
			    struct iscsi_text_conn *conn);
	void		(*ca_free)(const struct iscsi_core_api *api, void *p);

	int		(*ca_check_iface_common)(const struct iscsi_core_api *api,
			    const struct iscsi_settings *iface, uint32_t require);
};

#ifdef __cplusplus
}
#endif
#endif /* ISCSI_CORE_API_H */
