// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one place iface mode asks a transport plugin whether an iface
 * record's settings make sense for it.  Until the plugin loader is merged
 * every transport is accepted.
 */
#include "cli.h"
#include "err.h"

int
cli_iface_validate(const struct rec *iface)
{
	(void)iface;
	return ISCSI_OK;
}
