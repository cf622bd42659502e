/* SPDX-License-Identifier: MIT */
/*
 * iscsikit error codes: one numbered, append-only enum shared by the core,
 * every plugin and the iscsiadm exit status.  Values 0-33 are identical to
 * open-iscsi's and are an interface (systemd units, CSI drivers and scripts
 * test them); never renumber, only append.
 */
#ifndef ISCSI_ERRORS_H
#define ISCSI_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

enum iscsi_err {
	ISCSI_OK			= 0,	/* success */
	ISCSI_ERR			= 1,	/* generic failure */
	ISCSI_ERR_SESS_NOT_FOUND	= 2,	/* no such session */
	ISCSI_ERR_NOMEM			= 3,	/* allocation failed */
	ISCSI_ERR_TRANS			= 4,	/* connection failure */
	ISCSI_ERR_LOGIN			= 5,	/* login failed, may be retried */
	ISCSI_ERR_IDBM			= 6,	/* node database failure or missing record */
	ISCSI_ERR_INVAL			= 7,	/* invalid parameter */
	ISCSI_ERR_TRANS_TIMEOUT		= 8,	/* connection timed out */
	ISCSI_ERR_INTERNAL		= 9,	/* internal error */
	ISCSI_ERR_LOGOUT		= 10,	/* logout failed */
	ISCSI_ERR_PDU_TIMEOUT		= 11,	/* PDU timed out */
	ISCSI_ERR_TRANS_NOT_FOUND	= 12,	/* transport/driver or plugin missing */
	ISCSI_ERR_ACCESS		= 13,	/* daemon access denied */
	ISCSI_ERR_TRANS_CAPS		= 14,	/* driver lacks a needed capability */
	ISCSI_ERR_SESS_EXISTS		= 15,	/* session (or record) exists */
	ISCSI_ERR_INVALID_MGMT_REQ	= 16,	/* unknown IPC request */
	ISCSI_ERR_ISNS_UNAVAILABLE	= 17,	/* iSNS not supported */
	ISCSI_ERR_ISCSID_COMM_ERR	= 18,	/* could not talk to iscsid */
	ISCSI_ERR_FATAL_LOGIN		= 19,	/* login failed, do not retry */
	ISCSI_ERR_ISCSID_NOTCONN	= 20,	/* could not connect to iscsid */
	ISCSI_ERR_NO_OBJS_FOUND		= 21,	/* nothing matched */
	ISCSI_ERR_SYSFS_LOOKUP		= 22,	/* sysfs lookup failed */
	ISCSI_ERR_HOST_NOT_FOUND	= 23,	/* no such host */
	ISCSI_ERR_LOGIN_AUTH_FAILED	= 24,	/* authentication failed */
	ISCSI_ERR_ISNS_QUERY		= 25,	/* iSNS query failed */
	ISCSI_ERR_ISNS_REG_FAILED	= 26,	/* iSNS registration failed */
	ISCSI_ERR_OP_NOT_SUPP		= 27,	/* operation not supported */
	ISCSI_ERR_BUSY			= 28,	/* device or resource in use */
	ISCSI_ERR_AGAIN			= 29,	/* failed, retry may succeed */
	ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE = 30,	/* unknown discovery type */
	ISCSI_ERR_CHILD_TERMINATED	= 31,	/* child process terminated */
	ISCSI_ERR_SESSION_NOT_CONNECTED	= 32,	/* target likely not connected */
	ISCSI_ERR_REQ_TIMEDOUT		= 33,	/* iscsid request timed out */
	/* Append new codes here; keep the explicit values. */
	ISCSI_ERR_MAX
};

/**
 * iscsi_strerror() - the fixed message for an error code.
 * @err: an enum iscsi_err value.
 *
 * Return: a static string; never NULL ("unknown error" for codes it does
 * not know).  Implemented by the core and also reachable from plugins
 * through core_api->ca_strerror, since plugins link against nothing.
 */
const char *iscsi_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* ISCSI_ERRORS_H */
