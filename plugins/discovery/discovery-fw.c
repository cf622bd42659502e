// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Firmware boot discovery (reference §7.5): read the iSCSI Boot Firmware
 * Table the kernel exports under <sysfs>/firmware/ibft (iscsi_ibft) or
 * <sysfs>/firmware/iscsi_bootN (LLD boot data) and hand each boot target,
 * with its initiator and NIC settings in dt_extra, to the core's sink.
 * Every value is checked before use: firmware tables are input too.
 * Finding the NIC's netdev and writing records is the caller's job.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/core_api.h>
#include <iscsi/discovery.h>
#include <iscsi/errors.h>
#include <iscsi/plugin.h>

#define FW_VAL_MAX	256	/* longest value kept (iSCSI names are <= 223) */
#define FW_MAX_TARGETS	4	/* iBFT 1.03 has two; LLD tables a few more */
#define FW_MAX_NICS	8
#define FW_MAX_ROOTS	8	/* iscsi_boot0..7 after ibft */

/* How a value is checked. */
enum fw_check {
	FW_NAME,	/* iSCSI name */
	FW_IP,		/* IPv4 or IPv6 literal */
	FW_PORT,	/* 1..65535 */
	FW_HEX,		/* LUN: 1..16 hex digits */
	FW_MAC,		/* xx:xx:xx:xx:xx:xx */
	FW_UINT,	/* decimal 0..65535 */
	FW_TEXT,	/* CHAP name/secret: printable ASCII, no spaces */
};

/* Keys handed to the sink, each read from one sysfs attribute. */
enum fw_key {
	FK_INAME, FK_HWADDR, FK_IP, FK_PREFIX, FK_MASK, FK_GW, FK_DNS1, FK_DNS2,
	FK_VLAN, FK_ORIGIN, FK_DHCP, FK_TNAME, FK_TIP, FK_TPORT, FK_USER, FK_PASS,
	FK_USER_IN, FK_PASS_IN, FK_LUN, FK_NIC, FK_BOOTPROTO, FK_TRANSPORT, FK_NKEYS
};

enum fw_block { FB_INI, FB_NIC, FB_TGT, FB_NONE };

struct fw_attr {
	enum fw_key	 key;
	const char	*name;		/* key as the sink sees it */
	enum fw_block	 block;
	const char	*attr;		/* sysfs file in that block */
	enum fw_check	 check;
	bool		 required;
};

static const struct fw_attr fw_attrs[] = {
	{ FK_INAME,	"iface.initiatorname",		FB_INI, "initiator-name", FW_NAME, true },
	{ FK_HWADDR,	"iface.hwaddress",		FB_NIC, "mac",		FW_MAC,  false },
	{ FK_IP,	"iface.ipaddress",		FB_NIC, "ip-addr",	FW_IP,   false },
	{ FK_PREFIX,	"iface.prefix_len",		FB_NIC, "prefix-len",	FW_UINT, false },
	{ FK_MASK,	"iface.subnet_mask",		FB_NIC, "subnet-mask",	FW_IP,   false },
	{ FK_GW,	"iface.gateway",		FB_NIC, "gateway",	FW_IP,   false },
	{ FK_DNS1,	"iface.primary_dns",		FB_NIC, "primary-dns",	FW_IP,   false },
	{ FK_DNS2,	"iface.secondary_dns",		FB_NIC, "secondary-dns", FW_IP,  false },
	{ FK_VLAN,	"iface.vlan_id",		FB_NIC, "vlan",		FW_UINT, false },
	{ FK_ORIGIN,	"fw.origin",			FB_NIC, "origin",	FW_UINT, false },
	{ FK_DHCP,	"fw.dhcp",			FB_NIC, "dhcp",		FW_IP,   false },
	{ FK_TNAME,	"node.name",			FB_TGT, "target-name",	FW_NAME, true },
	{ FK_TIP,	"node.conn[0].address",		FB_TGT, "ip-addr",	FW_IP,   true },
	{ FK_TPORT,	"node.conn[0].port",		FB_TGT, "port",		FW_PORT, true },
	{ FK_USER,	"node.session.auth.username",	FB_TGT, "chap-name",	FW_TEXT, false },
	{ FK_PASS,	"node.session.auth.password",	FB_TGT, "chap-secret",	FW_TEXT, false },
	{ FK_USER_IN,	"node.session.auth.username_in", FB_TGT, "rev-chap-name", FW_TEXT, false },
	{ FK_PASS_IN,	"node.session.auth.password_in", FB_TGT, "rev-chap-secret", FW_TEXT, false },
	{ FK_LUN,	"node.boot_lun",		FB_TGT, "lun",		FW_HEX,  false },
	{ FK_NIC,	"fw.nic_assoc",			FB_TGT, "nic-assoc",	FW_UINT, false },
	{ FK_BOOTPROTO,	"iface.bootproto",		FB_NONE, NULL,		FW_TEXT, false },
	{ FK_TRANSPORT,	"iface.transport_name",		FB_NONE, NULL,		FW_TEXT, false },
};

/* One boot target: values indexed by enum fw_key, "" = absent. */
struct fw_target {
	char	v[FK_NKEYS][FW_VAL_MAX + 1];
};

static bool
fw_digits(const char *s, const char *set, size_t max)
{
	size_t n = strspn(s, set);

	return n > 0 && n <= max && s[n] == '\0';
}

static bool
fw_name_ok(const char *n)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-:";
	size_t len = strlen(n);

	if (len < 5 || len > 223 || strspn(n, ok) != len || strstr(n, "..") != NULL)
		return false;
	return strncmp(n, "iqn.", 4) == 0 || strncmp(n, "eui.", 4) == 0 ||
	    strncmp(n, "naa.", 4) == 0;
}

static bool
fw_value_ok(const char *s, enum fw_check c)
{
	unsigned char a[16];
	long v;

	switch (c) {
	case FW_NAME:
		return fw_name_ok(s);
	case FW_IP:
		return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
	case FW_PORT:
	case FW_UINT:
		if (!fw_digits(s, "0123456789", 5))
			return false;
		v = strtol(s, NULL, 10);
		return v <= 65535 && (c != FW_PORT || v > 0);
	case FW_HEX:
		return fw_digits(s, "0123456789abcdefABCDEF", 16);
	case FW_MAC:
		for (int i = 0; i < 17; i++)
			if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
				return false;
		return s[17] == '\0';
	case FW_TEXT:
		for (const char *p = s; *p != '\0'; p++)
			if (*p <= ' ' || *p > '~')
				return false;
		return *s != '\0';
	}
	return false;
}

/*
 * Read one attribute.  Absent files are "not in the table"; present but
 * unreadable, oversized or malformed ones are errors naming the file.
 */
static int
fw_read(const struct iscsi_core_api *api, const char *dir, const struct fw_attr *a, char *out)
{
	char path[192], buf[FW_VAL_MAX + 2];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, a->attr);
	out[0] = '\0';
	memset(buf, 0, sizeof(buf));
	rc = api->ca_sysfs_read(api, path, buf, sizeof(buf));
	if (rc != ISCSI_OK || buf[0] == '\0') {
		if (a->required) {
			api->ca_set_error(api, ISCSI_ERR_INVAL,
			    "firmware table: %s is missing or unreadable", path);
			return ISCSI_ERR_INVAL;
		}
		return ISCSI_OK;
	}
	if (strlen(buf) > FW_VAL_MAX) {
		api->ca_set_error(api, ISCSI_ERR_INVAL,
		    "firmware table: %s is longer than %d bytes", path, FW_VAL_MAX);
		return ISCSI_ERR_INVAL;
	}
	if (!fw_value_ok(buf, a->check)) {
		api->ca_set_error(api, ISCSI_ERR_INVAL,
		    "firmware table: %s has an invalid value", path);
		return ISCSI_ERR_INVAL;
	}
	memcpy(out, buf, strlen(buf) + 1);
	return ISCSI_OK;
}

static int
fw_read_block(const struct iscsi_core_api *api, struct fw_target *t, enum fw_block b,
    const char *dir)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(fw_attrs) / sizeof(fw_attrs[0]); i++) {
		if (fw_attrs[i].block != b)
			continue;
		if ((rc = fw_read(api, dir, &fw_attrs[i], t->v[fw_attrs[i].key])) != ISCSI_OK)
			return rc;
	}
	return ISCSI_OK;
}

/* A block exists when its "index" attribute can be read (kernel always has it). */
static bool
fw_block_exists(const struct iscsi_core_api *api, const char *dir)
{
	char path[192], buf[32];

	snprintf(path, sizeof(path), "%s/index", dir);
	return api->ca_sysfs_read(api, path, buf, sizeof(buf)) == ISCSI_OK;
}

/* DHCP when the NIC's origin is 3 (RFC 4293 dhcp) or a DHCP server is named. */
static void
fw_derive(struct fw_target *t)
{
	bool dhcp = strcmp(t->v[FK_ORIGIN], "3") == 0 ||
	    (t->v[FK_DHCP][0] != '\0' && strcmp(t->v[FK_DHCP], "0.0.0.0") != 0);

	snprintf(t->v[FK_TRANSPORT], sizeof(t->v[FK_TRANSPORT]), "tcp");
	if (t->v[FK_HWADDR][0] != '\0' || t->v[FK_IP][0] != '\0')
		snprintf(t->v[FK_BOOTPROTO], sizeof(t->v[FK_BOOTPROTO]), "%s",
		    dhcp ? "DHCP" : "STATIC");
}

static const char *
fw_get(const struct iscsi_settings *s, const char *key)
{
	const struct fw_target *t = s->is_priv;
	size_t i;

	for (i = 0; i < sizeof(fw_attrs) / sizeof(fw_attrs[0]); i++)
		if (strcmp(fw_attrs[i].name, key) == 0)
			return t->v[fw_attrs[i].key][0] != '\0' ? t->v[fw_attrs[i].key] : NULL;
	return NULL;
}

static int
fw_emit(const struct fw_target *t, iscsi_disc_sink_fn sink, void *arg)
{
	struct iscsi_settings extra = { sizeof(extra), fw_get, (void *)t };
	struct iscsi_disc_target dt;

	memset(&dt, 0, sizeof(dt));
	dt.dt_size = sizeof(dt);
	dt.dt_name = t->v[FK_TNAME];
	dt.dt_address = t->v[FK_TIP];
	dt.dt_port = (uint16_t)strtol(t->v[FK_TPORT], NULL, 10);
	dt.dt_tpgt = 1;			/* the reference hard-codes it (§7.5) */
	dt.dt_extra = &extra;
	return sink(arg, &dt);
}

/* Every target of one table root; *@found counts them. */
static int
fw_scan_root(const struct iscsi_core_api *api, const char *root, iscsi_disc_sink_fn sink,
    void *arg, unsigned *found)
{
	struct fw_target *t;
	char dir[128];
	int rc = ISCSI_OK;

	snprintf(dir, sizeof(dir), "%s/initiator", root);
	if (!fw_block_exists(api, dir))
		return ISCSI_OK;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return ISCSI_ERR_NOMEM;
	for (unsigned n = 0; rc == ISCSI_OK && n < FW_MAX_TARGETS; n++) {
		snprintf(dir, sizeof(dir), "%s/target%u", root, n);
		if (!fw_block_exists(api, dir))
			continue;
		memset(t, 0, sizeof(*t));
		snprintf(dir, sizeof(dir), "%s/initiator", root);
		if ((rc = fw_read_block(api, t, FB_INI, dir)) != ISCSI_OK)
			break;
		snprintf(dir, sizeof(dir), "%s/target%u", root, n);
		if ((rc = fw_read_block(api, t, FB_TGT, dir)) != ISCSI_OK)
			break;
		long nic = t->v[FK_NIC][0] != '\0' ? strtol(t->v[FK_NIC], NULL, 10) : 0;
		if (nic >= FW_MAX_NICS) {
			api->ca_set_error(api, ISCSI_ERR_INVAL,
			    "firmware table: %s/nic-assoc names NIC %ld (at most %d)", dir, nic,
			    FW_MAX_NICS - 1);
			rc = ISCSI_ERR_INVAL;
			break;
		}
		snprintf(dir, sizeof(dir), "%s/ethernet%ld", root, nic);
		if (fw_block_exists(api, dir) &&
		    (rc = fw_read_block(api, t, FB_NIC, dir)) != ISCSI_OK)
			break;
		fw_derive(t);
		(*found)++;
		rc = fw_emit(t, sink, arg);
	}
	free(t);
	return rc;
}

static int
fw_discover(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_disc_request *req, iscsi_disc_sink_fn sink, void *arg)
{
	unsigned found = 0;
	char root[64];
	int rc;

	(void)priv;
	(void)req;
	if ((rc = fw_scan_root(api, "firmware/ibft", sink, arg, &found)) != ISCSI_OK)
		return rc;
	for (unsigned i = 0; i < FW_MAX_ROOTS; i++) {
		snprintf(root, sizeof(root), "firmware/iscsi_boot%u", i);
		if ((rc = fw_scan_root(api, root, sink, arg, &found)) != ISCSI_OK)
			return rc;
	}
	api->ca_debug(api, 1, "firmware: %u boot targets", found);
	if (found == 0) {
		api->ca_set_error(api, ISCSI_ERR_NO_OBJS_FOUND,
		    "Could not get list of targets from firmware.");
		return ISCSI_ERR_NO_OBJS_FOUND;
	}
	return ISCSI_OK;
}

static const char *const fw_type_names[] = { "fw", NULL };

static const struct iscsi_discovery_ops fw_ops = {
	.do_size = sizeof(struct iscsi_discovery_ops),
	.do_type_names = fw_type_names,
	.do_default_port = 0,
	.do_discover = fw_discover,
};

ISCSI_PLUGIN_DEFINE(discovery_fw, ISCSI_PLUGIN_DISCOVERY, "fw", "1.0",
    "iscsikit", "Boot firmware discovery (iBFT, iscsi_boot sysfs)", ISCSI_PLUGIN_F_CLI_OK,
    NULL, NULL, &fw_ops)
