// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: "plugin-get KIND NAME" loads one plugin through the loader
 * and exits with plugin_get()'s code, printing the detail, so shell tests
 * can check what a command needing a missing plugin would see.
 */
#include <stdio.h>

#include "err.h"
#include "log.h"
#include "plugin.h"

int
main(int argc, char **argv)
{
	const struct plugin_handle *h;
	int rc;

	log_init("plugin-get", LOG_TO_STDERR);
	if (argc != 3 || plugin_kind_from_name(argv[1]) == 0) {
		fprintf(stderr, "usage: plugin-get transport|discovery|host NAME\n");
		return ISCSI_ERR_INVAL;
	}
	rc = plugin_get(plugin_kind_from_name(argv[1]), argv[2], &h);
	if (rc != ISCSI_OK)
		log_warnx("%s", err_detail(rc) != NULL ? err_detail(rc) : iscsi_strerror(rc));
	else
		printf("%s %s\n", plugin_tag(h), plugin_file(h));
	plugin_unload_all();
	return rc;
}
