// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the SendTargets answer parser: the plugin source is
 * compiled in and driven through do_discover with a mock core_api whose
 * text session returns the fuzz input.  Built by "make fuzz-sendtargets".
 */
#include "mock_api.h"

const struct iscsi_plugin *discovery_sendtargets_LTX_iscsi_plugin_entry(uint16_t, uint16_t);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_sink(void *arg, const struct iscsi_disc_target *t)
{
	/* touch every field the core would use */
	*(size_t *)arg += strlen(t->dt_name) + strlen(t->dt_address) + t->dt_port;
	return ISCSI_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct iscsi_plugin *p = discovery_sendtargets_LTX_iscsi_plugin_entry(1, 0);
	const struct iscsi_discovery_ops *ops = p->ip_ops;
	struct iscsi_disc_request req;
	size_t sum = 0;

	memset(&req, 0, sizeof(req));
	req.dr_size = sizeof(req);
	req.dr_address = "192.0.2.1";
	req.dr_port = 3260;
	mock_api_reset((const char *)data, size);
	ops->do_discover(&mock_core_api, NULL, &req, fuzz_sink, &sum);
	return 0;
}
