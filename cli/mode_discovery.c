// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m discovery.  Not built yet: refuses clearly instead of pretending.
 */
#include "cli.h"
#include "err.h"

int
mode_discovery_run(struct cli_opts *o)
{
	(void)o;
	return err_set(ISCSI_ERR_OP_NOT_SUPP, "discovery mode is not implemented in this build");
}
