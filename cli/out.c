// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output pieces several iscsiadm modes share, in open-iscsi 2.1.8's exact
 * spelling.  Data goes to stdout, complaints to stderr through log.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "log.h"

void
cli_out_portal(char *buf, size_t len, const char *address, int port)
{
	if (strchr(address, '.') == NULL)
		snprintf(buf, len, "[%s]:%d", address, port);
	else
		snprintf(buf, len, "%s:%d", address, port);
}

int
cli_out_no_records(void)
{
	err_clear();
	log_warnx("No records found");
	return ISCSI_ERR_NO_OBJS_FOUND;
}
