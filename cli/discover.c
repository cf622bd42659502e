// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Placeholder for network discovery (SendTargets, iSNS): the discovery
 * area replaces this file.  It refuses plainly instead of pretending.
 */
#include "cli.h"
#include "err.h"

int
cli_discover(struct cli_opts *o, struct rec *disc)
{
	(void)o;
	(void)disc;
	return err_set(ISCSI_ERR_OP_NOT_SUPP,
	    "network discovery is not available in this build");
}
