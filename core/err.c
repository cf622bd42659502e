// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fixed messages of enum iscsi_err (identical to open-iscsi's, since
 * scripts match them in "initiator reported error (N - msg)") and the
 * per-process error detail that travels with a code up to the CLI.
 */
#include <stdarg.h>
#include <stdio.h>

#include <iscsi/errors.h>
#include "err.h"

static const char *const err_msgs[ISCSI_ERR_MAX] = {
	[ISCSI_OK]			= "success",
	[ISCSI_ERR]			= "unknown error",
	[ISCSI_ERR_SESS_NOT_FOUND]	= "session not found",
	[ISCSI_ERR_NOMEM]		= "no available memory",
	[ISCSI_ERR_TRANS]		= "encountered connection failure",
	[ISCSI_ERR_LOGIN]		= "encountered iSCSI login failure",
	[ISCSI_ERR_IDBM]		= "encountered iSCSI database failure",
	[ISCSI_ERR_INVAL]		= "invalid parameter",
	[ISCSI_ERR_TRANS_TIMEOUT]	= "connection timed out",
	[ISCSI_ERR_INTERNAL]		= "internal error",
	[ISCSI_ERR_LOGOUT]		= "encountered iSCSI logout failure",
	[ISCSI_ERR_PDU_TIMEOUT]		= "iSCSI PDU timed out",
	[ISCSI_ERR_TRANS_NOT_FOUND]	= "iSCSI driver not found. Please make sure it is "
					  "loaded, and retry the operation",
	[ISCSI_ERR_ACCESS]		= "daemon access denied",
	[ISCSI_ERR_TRANS_CAPS]		= "iSCSI driver does not support requested capability.",
	[ISCSI_ERR_SESS_EXISTS]		= "session exists",
	[ISCSI_ERR_INVALID_MGMT_REQ]	= "Unknown request",
	[ISCSI_ERR_ISNS_UNAVAILABLE]	= "iSNS service not supported",
	[ISCSI_ERR_ISCSID_COMM_ERR]	= "could not communicate to iscsid",
	[ISCSI_ERR_FATAL_LOGIN]		= "encountered non-retryable iSCSI login failure",
	[ISCSI_ERR_ISCSID_NOTCONN]	= "could not connect to iscsid",
	[ISCSI_ERR_NO_OBJS_FOUND]	= "no objects found",
	[ISCSI_ERR_SYSFS_LOOKUP]	= "sysfs lookup failure",
	[ISCSI_ERR_HOST_NOT_FOUND]	= "host not found",
	[ISCSI_ERR_LOGIN_AUTH_FAILED]	= "iSCSI login failed due to authorization failure",
	[ISCSI_ERR_ISNS_QUERY]		= "iSNS query failed",
	[ISCSI_ERR_ISNS_REG_FAILED]	= "iSNS registration failed",
	[ISCSI_ERR_OP_NOT_SUPP]		= "operation not supported",
	[ISCSI_ERR_BUSY]		= "device or resource in use",
	[ISCSI_ERR_AGAIN]		= "operation failed but retry may succeed",
	[ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE] = "unknown discovery type",
	[ISCSI_ERR_CHILD_TERMINATED]	= "child process terminated",
	[ISCSI_ERR_SESSION_NOT_CONNECTED] = "target likely not connected",
	[ISCSI_ERR_REQ_TIMEDOUT]	= "iscsid request timed out",
};

static char err_detail_buf[1024];
static int err_detail_code;

const char *
iscsi_strerror(int err)
{
	if (err < 0 || err >= ISCSI_ERR_MAX || err_msgs[err] == NULL)
		return "unknown error";
	return err_msgs[err];
}

int
err_set(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_detail_buf, sizeof(err_detail_buf), fmt, ap);
	va_end(ap);
	err_detail_code = err;
	return err;
}

const char *
err_detail(int err)
{
	if (err_detail_code != err || err_detail_buf[0] == '\0')
		return NULL;
	return err_detail_buf;
}

void
err_clear(void)
{
	err_detail_buf[0] = '\0';
	err_detail_code = ISCSI_OK;
}
