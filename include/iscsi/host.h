/* SPDX-License-Identifier: MIT */
/*
 * Host plugins: the "iscsiadm -m host -H N -C <submode>" operations (chap,
 * flashnode, stats, ping).  They run synchronously inside iscsiadm and talk
 * to the HBA through core services.
 */
#ifndef ISCSI_HOST_H
#define ISCSI_HOST_H

#include <stdint.h>
#include <iscsi/core_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct iscsi_host_request - one "-m host -C" invocation.
 * @hr_size:         sizeof(struct iscsi_host_request).
 * @hr_host_no:      SCSI host number resolved from -H (number or MAC).
 * @hr_op:           the -o operation ("show", "new", "update", "delete",
 *                   "login", "logout"), or NULL.
 * @hr_params:       -n/-v pairs and the other options as keys
 *                   ("index" for -x, "ip", "packetsize", "count", "interval").
 * @hr_print_level:  -P value, or -1.
 * @hr_show_secrets: 1 with -S.
 */
struct iscsi_host_request {
	uint32_t			 hr_size;
	uint32_t			 hr_host_no;
	const char			*hr_op;
	const struct iscsi_settings	*hr_params;
	int32_t				 hr_print_level;
	uint32_t			 hr_show_secrets;
};

/**
 * struct iscsi_host_ops - ip_ops of an ISCSI_PLUGIN_HOST plugin.
 * @ho_size:    sizeof(struct iscsi_host_ops).
 * @ho_submode: the -C name ("chap", "flashnode", "stats", "ping").
 * @ho_run:     perform the request; data lines go out through api->ca_print.
 *              Return an enum iscsi_err with a detail via ca_set_error.
 */
struct iscsi_host_ops {
	uint32_t	 ho_size;
	const char	*ho_submode;
	int		(*ho_run)(const struct iscsi_core_api *api, void *priv,
			    const struct iscsi_host_request *req);
};

#ifdef __cplusplus
}
#endif
#endif /* ISCSI_HOST_H */
