// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m plugin (an iscsikit addition): one line per installed plugin
 * file, "<kind> <name> <version> <abi> <file> <status>", where status is
 * "ok" or "refused: <reason>".  Fields never contain blanks (escaped as
 * \ooo, unknown ones are "-"), so scripts split the first five and keep the
 * rest.  -P 1 adds indented "key: value" lines; the loader itself is core/plugin.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "plugin.h"

/* Blanks, control bytes and '\\' become \ooo so a field is one word. */
static const char *
field(char *buf, size_t len, const char *s)
{
	size_t o = 0;

	if (s == NULL || *s == '\0')
		s = "-";
	for (; *s != '\0' && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || c == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\%03o", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

static const struct { uint32_t bit; const char *name; } tflag_names[] = {
	{ ISCSI_TF_USERSPACE_SOCKET, "userspace_socket" },
	{ ISCSI_TF_KERNEL_EP, "kernel_ep" },
	{ ISCSI_TF_BIND_EP_REQUIRED, "bind_ep_required" },
	{ ISCSI_TF_RDMA, "rdma" },
	{ ISCSI_TF_USE_BOOT_INFO, "use_boot_info" },
	{ ISCSI_TF_NO_NETDEV, "no_netdev" },
	{ ISCSI_TF_SYNC_VLAN, "sync_vlan" },
	{ ISCSI_TF_NEEDS_ISCSIUIO, "needs_iscsiuio" },
	{ ISCSI_TF_LOGIN_OFFLOAD, "login_offload" },
};

static const char *const host_ip_names[] = {
	[ISCSI_HOST_IP_NOT_REQ] = "not_required",
	[ISCSI_HOST_IP_REQUIRED] = "required",
	[ISCSI_HOST_IP_OPTIONAL] = "optional",
};

static void
print_list(const char *key, const char *const *v)
{
	printf("\t%s:", key);
	if (v == NULL || *v == NULL)
		printf(" -");
	for (; v != NULL && *v != NULL; v++)
		printf(" %s", *v);
	putchar('\n');
}

static void
print_transport(const struct iscsi_transport_ops *t)
{
	printf("\tkernel_transport: %s\n\tkernel_module: %s\n\tcaps: 0x%x\n",
	    t->to_kernel_name, t->to_kernel_module, (unsigned)t->to_caps);
	printf("\ttransport_flags:");
	if (t->to_flags == 0)
		printf(" -");
	for (size_t i = 0; i < sizeof(tflag_names) / sizeof(tflag_names[0]); i++)
		if (t->to_flags & tflag_names[i].bit)
			printf(" %s", tflag_names[i].name);
	printf("\n\tset_host_ip: %s\n\tdefault_iface: %s\n",
	    t->to_set_host_ip < 3 ? host_ip_names[t->to_set_host_ip] : "unknown",
	    t->to_default_iface != NULL ? t->to_default_iface : "-");
	print_list("netdev_drivers", t->to_netdev_drivers);
}

static void
print_details(const struct plugin_handle *h)
{
	const struct iscsi_plugin *d = plugin_descriptor(h);
	const struct iscsi_discovery_ops *dops;
	const struct iscsi_host_ops *hops;
	const struct iscsi_transport_ops *tops;
	char buf[512];

	printf("\tvendor: %s\n", field(buf, sizeof(buf), d->ip_vendor));
	/* The description is prose: keep its spaces, escape the rest. */
	printf("\tdescription: %s\n", d->ip_description != NULL ? d->ip_description : "-");
	printf("\tplugin_flags:%s%s%s\n", d->ip_flags & ISCSI_PLUGIN_F_CLI_OK ? " cli_ok" : "",
	    d->ip_flags & ISCSI_PLUGIN_F_DAEMON ? " daemon" : "",
	    (d->ip_flags & (ISCSI_PLUGIN_F_CLI_OK | ISCSI_PLUGIN_F_DAEMON)) == 0 ? " -" : "");
	if ((tops = plugin_transport_ops(h)) != NULL)
		print_transport(tops);
	if ((dops = plugin_discovery_ops(h)) != NULL) {
		print_list("types", dops->do_type_names);
		printf("\tdefault_port: %u\n", (unsigned)dops->do_default_port);
	}
	if ((hops = plugin_host_ops(h)) != NULL)
		printf("\tsubmode: %s\n", hops->ho_submode);
}

static int
print_one(const struct plugin_info *pi, void *arg)
{
	const struct cli_opts *o = arg;
	char name[128], version[128], file[8192], abi[32] = "-";

	if (pi->pi_abi_major >= 0)
		snprintf(abi, sizeof(abi), "%d.%d", pi->pi_abi_major, pi->pi_abi_minor);
	printf("%s %s %s %s %s ", plugin_kind_name(pi->pi_kind),
	    field(name, sizeof(name), pi->pi_name), field(version, sizeof(version), pi->pi_version),
	    abi, field(file, sizeof(file), pi->pi_file));
	if (pi->pi_status == ISCSI_OK)
		printf("ok\n");
	else
		printf("refused: %s\n", pi->pi_reason);
	if (o->print_level >= 1 && pi->pi_handle != NULL)
		print_details(pi->pi_handle);
	return ISCSI_OK;
}

int
mode_plugin_run(struct cli_opts *o)
{
	int rc;

	rc = plugin_foreach_installed(print_one, o);
	fflush(stdout);
	plugin_unload_all();
	return rc;
}
