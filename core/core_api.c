// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The services behind struct iscsi_core_api: logging and error detail
 * tagged with the plugin's name, sysfs under paths_sysfs(), the iface
 * checks every transport shares, and the hooks for services other areas
 * provide (event loop, text sessions, iscsid.conf).  No plugin loading here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <iscsi/errors.h>
#include "core_api.h"
#include "err.h"
#include "log.h"
#include "paths.h"
#include "plugin.h"

static const struct core_loop_ops *core_loop;
static const struct core_text_ops *core_text;
static core_config_get_fn core_config_get;

void
core_api_set_loop(const struct core_loop_ops *ops)
{
	core_loop = ops;
}

void
core_api_set_text_ops(const struct core_text_ops *ops)
{
	core_text = ops;
}

void
core_api_set_config(core_config_get_fn fn)
{
	core_config_get = fn;
}

static const struct plugin_handle *
owner_of(const struct iscsi_core_api *api)
{
	return api != NULL ? api->ca_handle : NULL;
}

static const char *
tag_of(const struct iscsi_core_api *api)
{
	const struct plugin_handle *h = owner_of(api);

	return h != NULL ? plugin_tag(h) : "plugin";
}

/* ------------------------------------------------------------ logging */

static void
ca_vlog(const struct iscsi_core_api *api, int prio, const char *fmt, va_list ap)
{
	char line[1536];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (prio == LOG_DEBUG)
		log_debug(1, "%s: %s", tag_of(api), line);
	else if (prio == LOG_INFO)
		log_info("%s: %s", tag_of(api), line);
	else
		log_warnx("%s: %s", tag_of(api), line);
}

static void __attribute__((format(printf, 3, 4)))
ca_log(const struct iscsi_core_api *api, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ca_vlog(api, prio, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
ca_debug(const struct iscsi_core_api *api, int level, const char *fmt, ...)
{
	char line[1536];
	va_list ap;

	if (level > log_get_level())
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_debug(level, "%s: %s", tag_of(api), line);
}

static void __attribute__((format(printf, 3, 4)))
ca_set_error(const struct iscsi_core_api *api, int err, const char *fmt, ...)
{
	char detail[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	err_set(err, "%s: %s", tag_of(api), detail);
}

static void __attribute__((format(printf, 2, 3)))
ca_print(const struct iscsi_core_api *api, const char *fmt, ...)
{
	va_list ap;

	(void)api;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *
ca_config_get(const struct iscsi_core_api *api, const char *key)
{
	(void)api;
	return core_config_get != NULL ? core_config_get(key) : NULL;
}

static void
ca_free(const struct iscsi_core_api *api, void *p)
{
	(void)api;
	free(p);
}

/* --------------------------------------------- loop and text services */

static int
not_registered(const struct iscsi_core_api *api, const char *what)
{
	return err_set(ISCSI_ERR_OP_NOT_SUPP, "%s: %s needs iscsid's event loop, "
	    "which this program does not run", tag_of(api), what);
}

static int
ca_watch_add(const struct iscsi_core_api *api, int fd, uint32_t events,
    iscsi_watch_fn fn, void *arg, struct iscsi_watch **out)
{
	if (core_loop == NULL || core_loop->watch_add == NULL)
		return not_registered(api, "watching a file descriptor");
	return core_loop->watch_add(owner_of(api), fd, events, fn, arg, out);
}

static void
ca_watch_del(const struct iscsi_core_api *api, struct iscsi_watch *w)
{
	if (core_loop != NULL && core_loop->watch_del != NULL)
		core_loop->watch_del(owner_of(api), w);
}

static int
ca_timer_add(const struct iscsi_core_api *api, uint64_t msec, iscsi_timer_fn fn,
    void *arg, struct iscsi_timer **out)
{
	if (core_loop == NULL || core_loop->timer_add == NULL)
		return not_registered(api, "a timer");
	return core_loop->timer_add(owner_of(api), msec, fn, arg, out);
}

static void
ca_timer_del(const struct iscsi_core_api *api, struct iscsi_timer *t)
{
	if (core_loop != NULL && core_loop->timer_del != NULL)
		core_loop->timer_del(owner_of(api), t);
}

static int
ca_defer(const struct iscsi_core_api *api, iscsi_timer_fn fn, void *arg)
{
	if (core_loop == NULL || core_loop->defer == NULL)
		return not_registered(api, "a deferred call");
	return core_loop->defer(owner_of(api), fn, arg);
}

static int
ca_text_open(const struct iscsi_core_api *api, const struct iscsi_disc_request *req,
    struct iscsi_text_conn **out)
{
	if (core_text == NULL || core_text->open == NULL)
		return err_set(ISCSI_ERR_OP_NOT_SUPP, "%s: discovery sessions are not "
		    "available in this build (no text session provider)", tag_of(api));
	return core_text->open(owner_of(api), req, out);
}

static int
ca_text_exchange(const struct iscsi_core_api *api, struct iscsi_text_conn *conn,
    const char *kv, size_t len, char **resp, size_t *resp_len)
{
	if (core_text == NULL || core_text->exchange == NULL)
		return err_set(ISCSI_ERR_OP_NOT_SUPP, "%s: no text session provider",
		    tag_of(api));
	return core_text->exchange(owner_of(api), conn, kv, len, resp, resp_len);
}

static void
ca_text_close(const struct iscsi_core_api *api, struct iscsi_text_conn *conn)
{
	if (core_text != NULL && core_text->close != NULL)
		core_text->close(owner_of(api), conn);
}

/* ------------------------------------------------------------- sysfs */

/* Plugins name attributes relative to the sysfs root; refuse escapes. */
static int
sysfs_path(const struct iscsi_core_api *api, const char *rel, char *buf, size_t len)
{
	const char *p;

	if (rel == NULL || rel[0] == '\0' || rel[0] == '/')
		return err_set(ISCSI_ERR_INVAL, "%s: sysfs path '%s' must be relative",
		    tag_of(api), rel != NULL ? rel : "(null)");
	for (p = rel; p != NULL; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return err_set(ISCSI_ERR_INVAL, "%s: sysfs path '%s' contains '..'",
			    tag_of(api), rel);
	}
	if ((size_t)snprintf(buf, len, "%s/%s", paths_sysfs(), rel) >= len)
		return err_set(ISCSI_ERR_INVAL, "%s: sysfs path '%s' is too long",
		    tag_of(api), rel);
	return ISCSI_OK;
}

static int
ca_sysfs_read(const struct iscsi_core_api *api, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	ssize_t n;
	int fd, rc;

	if (len == 0)
		return err_set(ISCSI_ERR_INVAL, "%s: sysfs read into an empty buffer",
		    tag_of(api));
	buf[0] = '\0';
	if ((rc = sysfs_path(api, path, full, sizeof(full))) != ISCSI_OK)
		return rc;
	if ((fd = open(full, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "%s: could not open %s: %s",
		    tag_of(api), full, strerror(errno));
	n = read(fd, buf, len - 1);
	rc = errno;
	close(fd);
	if (n < 0)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "%s: could not read %s: %s",
		    tag_of(api), full, strerror(rc));
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return ISCSI_OK;
}

static int
ca_sysfs_write(const struct iscsi_core_api *api, const char *path, const char *value)
{
	char full[PATH_MAX];
	size_t vlen = strlen(value);
	ssize_t n;
	int fd, rc;

	if ((rc = sysfs_path(api, path, full, sizeof(full))) != ISCSI_OK)
		return rc;
	if ((fd = open(full, O_WRONLY | O_TRUNC | O_CLOEXEC)) == -1)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "%s: could not open %s: %s",
		    tag_of(api), full, strerror(errno));
	n = write(fd, value, vlen);
	rc = errno;
	close(fd);
	if (n < 0 || (size_t)n != vlen)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "%s: could not write '%s' to %s: %s",
		    tag_of(api), value, full, n < 0 ? strerror(rc) : "short write");
	return ISCSI_OK;
}

static int
ca_check_iface_common(const struct iscsi_core_api *api, const struct iscsi_settings *iface,
    uint32_t require)
{
	int rc = core_api_check_iface(iface, require);
	const char *detail;

	/* Tag the detail like every other plugin-originated one. */
	if (rc != ISCSI_OK && (detail = err_detail(rc)) != NULL) {
		char copy[1024];

		snprintf(copy, sizeof(copy), "%s", detail);
		err_set(rc, "%s: %s", tag_of(api), copy);
	}
	return rc;
}

void
core_api_fill(struct iscsi_core_api *api, const struct plugin_handle *owner)
{
	const struct iscsi_core_api tmpl = {
		.ca_size = sizeof(struct iscsi_core_api),
		.ca_abi_major = ISCSI_PLUGIN_ABI_MAJOR,
		.ca_abi_minor = ISCSI_PLUGIN_ABI_MINOR,
		.ca_handle = (void *)(uintptr_t)owner,	/* opaque to plugins */
		.ca_log = ca_log,
		.ca_debug = ca_debug,
		.ca_set_error = ca_set_error,
		.ca_strerror = iscsi_strerror,
		.ca_print = ca_print,
		.ca_config_get = ca_config_get,
		.ca_watch_add = ca_watch_add,
		.ca_watch_del = ca_watch_del,
		.ca_timer_add = ca_timer_add,
		.ca_timer_del = ca_timer_del,
		.ca_defer = ca_defer,
		.ca_sysfs_read = ca_sysfs_read,
		.ca_sysfs_write = ca_sysfs_write,
		.ca_text_open = ca_text_open,
		.ca_text_exchange = ca_text_exchange,
		.ca_text_close = ca_text_close,
		.ca_free = ca_free,
		.ca_check_iface_common = ca_check_iface_common,
	};

	*api = tmpl;
}

/* ---------------------------------------------- shared iface checks */

static bool
iface_is_mac(const char *v)
{
	/* Six colon-separated hex octets, as open-iscsi stores hwaddress. */
	if (strlen(v) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
			return false;
	}
	return true;
}

static bool
iface_is_netdev(const char *v)
{
	/* The kernel's dev_valid_name(): < IFNAMSIZ (16), not "." or "..",
	 * no '/', ':' or whitespace. */
	size_t n = strlen(v);

	if (n == 0 || n > 15 || strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '/' || c == ':' || isspace(c) || c < 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

static bool
iface_is_ip(const char *v)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1;
}

/* A plain decimal in [min, max]; no sign, no spaces, no hex. */
static bool
iface_in_range(const char *v, unsigned long min, unsigned long max)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)v[0]))
		return false;
	errno = 0;
	n = strtoul(v, &end, 10);
	return errno == 0 && *end == '\0' && n >= min && n <= max;
}

enum iface_rule { RULE_MAC, RULE_NETDEV, RULE_IP, RULE_RANGE };

static const struct {
	const char	*key;
	enum iface_rule	 rule;
	unsigned long	 min, max;
	const char	*what;
} iface_rules[] = {
	{ "iface.hwaddress",	 RULE_MAC,	0, 0, "a MAC address (xx:xx:xx:xx:xx:xx)" },
	{ "iface.net_ifacename", RULE_NETDEV,	0, 0,
	  "a network interface name (1-15 characters, no '/', ':' or spaces)" },
	{ "iface.ipaddress",	 RULE_IP,	0, 0, "an IPv4 or IPv6 address" },
	{ "iface.prefix_len",	 RULE_RANGE,	0, 128, "a prefix length 0-128" },
	{ "iface.port",		 RULE_RANGE,	0, 65535, "a TCP port 0-65535" },
	{ "iface.vlan_id",	 RULE_RANGE,	0, 4095, "a VLAN id 0-4095" },
	{ "iface.vlan_priority", RULE_RANGE,	0, 7, "a VLAN priority 0-7" },
	/* 0 means "leave the MTU alone"; 68 is IPv4's minimum, 65535 Linux's maximum. */
	{ "iface.mtu",		 RULE_RANGE,	0, 65535, "an MTU of 0 or 68-65535" },
	{ "iface.iface_num",	 RULE_RANGE,	0, INT32_MAX, "a non-negative iface number" },
};

static const char *
iface_get(const struct iscsi_settings *s, const char *key)
{
	const char *v = s->is_get(s, key);

	/* open-iscsi writes "default" for unbound hwaddress/net_ifacename. */
	return v == NULL || v[0] == '\0' || strcmp(v, "default") == 0 ? NULL : v;
}

static bool
iface_value_ok(size_t i, const char *v)
{
	switch (iface_rules[i].rule) {
	case RULE_MAC:
		return iface_is_mac(v);
	case RULE_NETDEV:
		return iface_is_netdev(v);
	case RULE_IP:
		return iface_is_ip(v);
	case RULE_RANGE:
		if (strcmp(iface_rules[i].key, "iface.mtu") == 0 && strcmp(v, "0") != 0)
			return iface_in_range(v, 68, 65535);
		return iface_in_range(v, iface_rules[i].min, iface_rules[i].max);
	}
	return false;
}

int
core_api_check_iface(const struct iscsi_settings *iface, uint32_t require)
{
	const char *name, *v;
	char esc[256];

	if (iface == NULL || iface->is_get == NULL)
		return err_set(ISCSI_ERR_INVAL, "no iface settings to check");
	if ((name = iface->is_get(iface, "iface.iscsi_ifacename")) == NULL)
		name = "(unnamed)";
	for (size_t i = 0; i < sizeof(iface_rules) / sizeof(iface_rules[0]); i++) {
		if ((v = iface_get(iface, iface_rules[i].key)) == NULL || iface_value_ok(i, v))
			continue;
		log_escape(esc, sizeof(esc), v, strlen(v));
		return err_set(ISCSI_ERR_INVAL, "iface %s: %s '%s' is not %s", name,
		    iface_rules[i].key, esc, iface_rules[i].what);
	}
	if ((require & ISCSI_IFACE_NEED_HWADDRESS) && iface_get(iface, "iface.hwaddress") == NULL)
		return err_set(ISCSI_ERR_INVAL, "iface %s: iface.hwaddress must be set: "
		    "this transport binds through the port with that MAC", name);
	/* open-iscsi's wording for set_host_ip = REQ. */
	if ((require & ISCSI_IFACE_NEED_IPADDRESS) && iface_get(iface, "iface.ipaddress") == NULL)
		return err_set(ISCSI_ERR_INVAL, "Please set the iface.ipaddress for iface %s, "
		    "then retry the login command.", name);
	return ISCSI_OK;
}
