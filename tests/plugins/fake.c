// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One source for every fake plugin the loader suite loads: each module is
 * built from it with -D switches that break exactly one thing (ABI major,
 * newer minor, magic, entry symbol, ops size, kind, name, init), so every
 * refusal goes through the real libltdl path.  Not a real transport.
 */
#include <stddef.h>
#include <stdint.h>

#include <iscsi/core_api.h>
#include <iscsi/discovery.h>
#include <iscsi/errors.h>
#include <iscsi/host.h>
#include <iscsi/plugin.h>
#include <iscsi/transport.h>

#ifndef FAKE_MODID
#error "FAKE_MODID (the module name with '-' as '_') is required"
#endif
#ifndef FAKE_NAME
#error "FAKE_NAME is required"
#endif
#ifndef FAKE_KIND
#define FAKE_KIND	ISCSI_PLUGIN_TRANSPORT
#endif
#ifndef FAKE_MAGIC
#define FAKE_MAGIC	ISCSI_PLUGIN_MAGIC
#endif
#ifndef FAKE_ABI_MAJOR
#define FAKE_ABI_MAJOR	ISCSI_PLUGIN_ABI_MAJOR
#endif
#ifndef FAKE_ABI_MINOR
#define FAKE_ABI_MINOR	ISCSI_PLUGIN_ABI_MINOR
#endif
#ifndef FAKE_OPS_SIZE
#define FAKE_OPS_SIZE	0	/* 0: the real size of the kind's ops */
#endif
#ifndef FAKE_INIT_RC
#define FAKE_INIT_RC	ISCSI_OK
#endif

#define FAKE_CAT(a, b)	a##b
#define FAKE_XCAT(a, b)	FAKE_CAT(a, b)
#define FAKE_ENTRY	FAKE_XCAT(FAKE_MODID, _LTX_iscsi_plugin_entry)

static int
fake_init(const struct iscsi_core_api *api, void **priv)
{
	*priv = (void *)(uintptr_t)api;
	api->ca_log(api, ISCSI_LOG_INFO, "init ABI %u.%u", (unsigned)api->ca_abi_major,
	    (unsigned)api->ca_abi_minor);
	if (FAKE_INIT_RC != ISCSI_OK)
		api->ca_set_error(api, FAKE_INIT_RC, "fake init failure");
	return FAKE_INIT_RC;
}

static void
fake_fini(void *priv)
{
	const struct iscsi_core_api *api = priv;

	api->ca_log(api, ISCSI_LOG_INFO, "fini");
}

/* Rejects one value so the suite can see a plugin-set, tagged detail. */
static int
fake_validate(const struct iscsi_core_api *api, void *priv, const struct iscsi_settings *s)
{
	const char *v = s->is_get(s, "iface.fake");

	(void)priv;
	if (v != NULL && v[0] == 'x') {
		api->ca_set_error(api, ISCSI_ERR_INVAL, "iface.fake '%s' refused", v);
		return ISCSI_ERR_INVAL;
	}
	return api->ca_check_iface_common(api, s, 0);
}

static int
fake_discover(const struct iscsi_core_api *api, void *priv, const struct iscsi_disc_request *req,
    iscsi_disc_sink_fn sink, void *arg)
{
	(void)api, (void)priv, (void)req, (void)sink, (void)arg;
	return ISCSI_OK;
}

static int
fake_host_run(const struct iscsi_core_api *api, void *priv, const struct iscsi_host_request *req)
{
	(void)priv, (void)req;
	api->ca_print(api, "fake host ran");
	return ISCSI_OK;
}

/* Members left NULL on purpose: the loader must fill its defaults. */
static const struct iscsi_transport_ops fake_transport_ops = {
	.to_size = FAKE_OPS_SIZE != 0 ? FAKE_OPS_SIZE : sizeof(struct iscsi_transport_ops),
	.to_kernel_name = "fake",
	.to_caps = ISCSI_TCAP_RECOVERY_L0,
	.to_flags = ISCSI_TF_USERSPACE_SOCKET,
	.to_validate_iface = fake_validate,
};

static const char *const fake_types[] = { FAKE_NAME, "fst", NULL };

static const struct iscsi_discovery_ops fake_discovery_ops = {
	.do_size = FAKE_OPS_SIZE != 0 ? FAKE_OPS_SIZE : sizeof(struct iscsi_discovery_ops),
	.do_type_names = fake_types,
	.do_default_port = 3260,
	.do_discover = fake_discover,
};

static const struct iscsi_host_ops fake_host_ops = {
	.ho_size = FAKE_OPS_SIZE != 0 ? FAKE_OPS_SIZE : sizeof(struct iscsi_host_ops),
	.ho_run = fake_host_run,
};

/* Built by hand, not with ISCSI_PLUGIN_DEFINE, so the versions can lie. */
static const struct iscsi_plugin fake_descriptor = {
	.ip_magic = FAKE_MAGIC,
	.ip_abi_major = FAKE_ABI_MAJOR,
	.ip_abi_minor = FAKE_ABI_MINOR,
	.ip_size = sizeof(struct iscsi_plugin),
	.ip_kind = FAKE_KIND,
	.ip_name = FAKE_NAME,
	.ip_version = "9.9-fake",
	.ip_vendor = "tests",
	.ip_description = "fake plugin for the loader suite",
	.ip_flags = ISCSI_PLUGIN_F_CLI_OK,
	.ip_init = fake_init,
	.ip_fini = fake_fini,
	.ip_ops = FAKE_KIND == ISCSI_PLUGIN_DISCOVERY ? (const void *)&fake_discovery_ops :
	    FAKE_KIND == ISCSI_PLUGIN_HOST ? (const void *)&fake_host_ops :
	    (const void *)&fake_transport_ops,
};

#ifdef FAKE_NO_ENTRY
/* Exports nothing the loader knows; the function only keeps the rest alive. */
ISCSI_PLUGIN_EXPORT const struct iscsi_plugin *fake_not_the_entry(void);
ISCSI_PLUGIN_EXPORT const struct iscsi_plugin *
fake_not_the_entry(void)
{
	return &fake_descriptor;
}
#else
ISCSI_PLUGIN_EXPORT const struct iscsi_plugin *FAKE_ENTRY(uint16_t major, uint16_t minor);
ISCSI_PLUGIN_EXPORT const struct iscsi_plugin *
FAKE_ENTRY(uint16_t major, uint16_t minor)
{
	(void)major, (void)minor;
#ifdef FAKE_DECLINE
	(void)fake_descriptor;
	return NULL;
#else
	return &fake_descriptor;
#endif
}
#endif
