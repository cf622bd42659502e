// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one place iface mode asks a transport plugin whether an iface
 * record's settings make sense for it (software tcp refuses binding by
 * ipaddress alone, offload transports want a hwaddress, ...).  Nothing is
 * pushed to hardware here; that is -o apply, which needs the kernel.
 */
#include "cli.h"
#include "err.h"
#include "log.h"
#include "plugin.h"
#include "rec.h"

int
cli_iface_validate(const struct rec *iface)
{
	const char *tname = rec_get(iface, "iface.transport_name");
	const char *name = rec_get(iface, "iface.iscsi_ifacename");
	const struct iscsi_transport_ops *ops;
	const struct plugin_handle *h;
	struct iscsi_settings s;

	if (tname == NULL || *tname == '\0')
		tname = "tcp";
	if (plugin_get(ISCSI_PLUGIN_TRANSPORT, tname, &h) != ISCSI_OK) {
		cli_report(ISCSI_ERR_TRANS_NOT_FOUND);
		log_warnx("Cound not locate transport for iface %s", name);	/* sic, as 2.1.8 */
		return ISCSI_ERR_INVAL;
	}
	ops = plugin_transport_ops(h);
	if (ops == NULL || ops->to_validate_iface == NULL)
		return ISCSI_OK;
	rec_settings(iface, &s);
	return ops->to_validate_iface(plugin_api(h), plugin_priv(h), &s);
}
