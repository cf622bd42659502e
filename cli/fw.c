// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Boot firmware targets shared by iscsiadm -m fw and iscsistart: collect what
 * the "fw" discovery plugin reads from sysfs, add the NIC's netdev (found by
 * MAC), print the reference's record blocks, and build login records.  No DB
 * access here: -m discovery -t fw stores records itself.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <iscsi/discovery.h>
#include <iscsi/errors.h>
#include "db.h"
#include "err.h"
#include "fw.h"
#include "log.h"
#include "names.h"
#include "paths.h"
#include "plugin.h"
#include "rec.h"
#include "sysfs.h"

/* Print order of `iscsiadm -m fw` (2.1.8); only keys present are printed. */
static const char *const fw_keys[FW_NKEYS] = {
	"iface.initiatorname", "iface.transport_name", "iface.hwaddress",
	"iface.bootproto", "iface.ipaddress", "iface.prefix_len", "iface.subnet_mask",
	"iface.gateway", "iface.primary_dns", "iface.secondary_dns", "iface.vlan_id",
	"iface.net_ifacename", "node.name", "node.conn[0].address", "node.conn[0].port",
	"node.session.auth.username", "node.session.auth.password",
	"node.session.auth.username_in", "node.session.auth.password_in", "node.boot_lun",
};
#define FW_K_HWADDR	2
#define FW_K_NETDEV	11

/* Keys copied into a login record: the rest describe the NIC, which a
 * software boot reaches through the default iface. */
static const char *const fw_node_keys[] = {
	"iface.initiatorname", "node.name", "node.conn[0].address", "node.conn[0].port",
	"node.session.auth.username", "node.session.auth.password",
	"node.session.auth.username_in", "node.session.auth.password_in",
};

/* The netdev whose address is @mac, or NULL: ethernetN has no device link
 * for NICs the kernel did not match (e.g. virtual machines). */
static char *
fw_netdev(const char *mac)
{
	char path[4096], addr[64];
	struct dirent *d;
	char *found = NULL;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/net", paths_sysfs());
	if ((dir = opendir(path)) == NULL)
		return NULL;
	while (found == NULL && (d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || names_check_component(d->d_name) != ISCSI_OK)
			continue;
		snprintf(path, sizeof(path), "class/net/%s/address", d->d_name);
		if (sysfs_read(path, addr, sizeof(addr)) == ISCSI_OK && strcasecmp(addr, mac) == 0)
			found = strdup(d->d_name);
		err_clear();
	}
	closedir(dir);
	return found;
}

static int
fw_sink(void *arg, const struct iscsi_disc_target *t)
{
	struct fw_list *l = arg;
	struct fw_entry *e, *v;

	if (t->dt_extra == NULL || names_check_iscsi(t->dt_name) != ISCSI_OK ||
	    names_check_address(t->dt_address) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "firmware discovery returned an unusable target");
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for firmware targets");
	l->v = v;
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < FW_NKEYS; i++) {
		const char *s = t->dt_extra->is_get(t->dt_extra, fw_keys[i]);

		if (s != NULL && names_check_value(s) != ISCSI_OK)
			return err_set(ISCSI_ERR_INVAL, "firmware value for %s is unusable", fw_keys[i]);
		if (s != NULL && (e->v[i] = strdup(s)) == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory for firmware targets");
	}
	if (e->v[FW_K_HWADDR] != NULL && e->v[FW_K_NETDEV] == NULL)
		e->v[FW_K_NETDEV] = fw_netdev(e->v[FW_K_HWADDR]);
	return ISCSI_OK;
}

int
fw_load(struct fw_list *l)
{
	const struct plugin_handle *h;
	struct iscsi_disc_request req;
	char path[4096];
	struct stat st;
	int rc;

	memset(l, 0, sizeof(*l));
	snprintf(path, sizeof(path), "%s/firmware", paths_sysfs());
	if (stat(path, &st) != 0)
		return ISCSI_ERR_SYSFS_LOOKUP;
	if ((rc = plugin_find_discovery_by_type("fw", &h)) != ISCSI_OK)
		return rc;
	memset(&req, 0, sizeof(req));
	req.dr_size = sizeof(req);
	rc = plugin_discovery_ops(h)->do_discover(plugin_api(h), plugin_priv(h), &req, fw_sink, l);
	if (rc != ISCSI_OK)
		fw_list_free(l);
	return rc;
}

void
fw_list_free(struct fw_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < FW_NKEYS; k++)
			free(l->v[i].v[k]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
fw_report(int rc)
{
	const char *d = err_detail(rc);

	if (rc == ISCSI_ERR_NO_OBJS_FOUND || rc == ISCSI_ERR_SYSFS_LOOKUP)
		log_warnx("Could not get list of targets from firmware. (err %d)", rc);
	else if (d != NULL && *d != '\0')
		log_warnx("%s", d);
	else
		log_warnx("Could not read the firmware table: %s", iscsi_strerror(rc));
	err_clear();
	return rc;
}

void
fw_print(const struct fw_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		printf("# BEGIN RECORD %s\n", rec_version());
		for (size_t k = 0; k < FW_NKEYS; k++)
			if (l->v[i].v[k] != NULL)
				printf("%s = %s\n", fw_keys[k], l->v[i].v[k]);
		printf("# END RECORD\n");
	}
	fflush(stdout);
}

static const char *
fw_value(const struct fw_entry *e, const char *key)
{
	for (size_t k = 0; k < FW_NKEYS; k++)
		if (strcmp(fw_keys[k], key) == 0)
			return e->v[k];
	return NULL;
}

int
fw_entry_set(struct fw_entry *e, const char *key, const char *value)
{
	for (size_t k = 0; k < FW_NKEYS; k++) {
		if (strcmp(fw_keys[k], key) != 0)
			continue;
		free(e->v[k]);
		if ((e->v[k] = strdup(value)) == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory for boot settings");
		return ISCSI_OK;
	}
	return err_set(ISCSI_ERR_INVAL, "%s is not a boot setting", key);
}

/* iscsistart/-m fw defaults (§6.5): patient first login, no NOPs, scan. */
static const char *const fw_defaults[][2] = {
	{ "node.tpgt", "1" },
	{ "node.session.initial_login_retry_max", "30" },
	{ "node.conn[0].timeo.noop_out_interval", "0" },
	{ "node.conn[0].timeo.noop_out_timeout", "0" },
	{ "node.session.scan", "auto" },
	{ "node.startup", "onboot" },
	{ "node.discovery_type", "fw" },
};

int
fw_node_rec(const struct fw_entry *e, const struct cli_nameval *nv, int nnv, struct rec **out)
{
	struct rec *node = rec_new(REC_NODE), *iface = NULL;
	int rc = ISCSI_OK;
	size_t i;

	if (node == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for a node record");
	rec_apply_conf(node, NULL);
	if (db_iface_load("default", &iface) == ISCSI_OK)
		rec_node_set_iface(node, iface);
	err_clear();
	rec_free(iface);
	for (i = 0; rc == ISCSI_OK && i < sizeof(fw_defaults) / sizeof(fw_defaults[0]); i++)
		rc = rec_set(node, fw_defaults[i][0], fw_defaults[i][1]);
	for (i = 0; rc == ISCSI_OK && i < sizeof(fw_node_keys) / sizeof(fw_node_keys[0]); i++) {
		const char *v = fw_value(e, fw_node_keys[i]);

		if (v != NULL)
			rc = rec_set(node, fw_node_keys[i], v);
	}
	if (rc == ISCSI_OK && fw_value(e, "node.session.auth.username") != NULL)
		rc = rec_set(node, "node.session.auth.authmethod", "CHAP");
	for (int k = 0; rc == ISCSI_OK && k < nnv; k++)
		rc = rec_update(node, nv[k].name, nv[k].value);
	if (rc != ISCSI_OK) {
		rec_free(node);
		return rc;
	}
	*out = node;
	return ISCSI_OK;
}
