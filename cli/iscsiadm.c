// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm: the mode table and main().  Parsing is in cli/opts.c, each
 * mode in cli/mode_<name>.c; nothing here knows what a mode does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "err.h"
#include "log.h"

/* Allowed letters per mode are open-iscsi's, so scripts get the same refusals. */
static const struct cli_mode modes[] = {
	{ "discoverydb",	"DSIPdmntplov",		mode_discoverydb_run },
	{ "discovery",		"DSIPdmntplov",		mode_discovery_run },
	{ "node",		"RsPIdmlSonvupTULW",	mode_node_run },
	{ "session",		"PiRdrmusonuSv",	mode_session_run },
	{ "iface",		"HIdnvmPoCabci",	mode_iface_run },
	{ "fw",			"dmlWnv",		mode_fw_run },
	{ "host",		"CHdmPotnvxA",		mode_host_run },
	{ "plugin",		"dmP",			mode_plugin_run },	/* iscsikit addition */
};

int
cli_report(int err)
{
	const char *detail = err_detail(err);

	if (err != ISCSI_OK && detail != NULL && *detail != '\0')
		log_warnx("%s", detail);
	err_clear();
	return err;
}

int
main(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	int rc;

	log_init("iscsiadm", LOG_TO_STDERR);
	rc = cli_parse(&o, argc, argv, modes, sizeof(modes) / sizeof(modes[0]));
	if (rc < 0)
		rc = cli_report(o.mode->run(&o));
	if (fflush(stdout) != 0 && rc == ISCSI_OK)
		rc = ISCSI_ERR;
	return rc;
}
