/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The blocking IPC client iscsiadm (and iscsistart) use to ask iscsid:
 * connect to the abstract socket, send one request, wait for its one
 * reply under a deadline.  Message format: core/ipc.h.
 */
#ifndef ISCSIKIT_IPC_CLIENT_H
#define ISCSIKIT_IPC_CLIENT_H

#include "ipc.h"

/* Reply deadlines as open-iscsi: short for config/stop, none for login. */
#define IPC_CLIENT_SHORT_MS	1000
#define IPC_CLIENT_FOREVER	(-1)

/*
 * Send @req and read its reply into @rsp (free with ipc_msg_free).
 * Returns ISCSI_OK with the reply in @rsp, or, with err_set() detail:
 * ISCSI_ERR_ISCSID_NOTCONN (20) when nobody listens, ISCSI_ERR_REQ_TIMEDOUT
 * (33) when no reply came within @timeout_ms (-1: wait forever),
 * ISCSI_ERR_ISCSID_COMM_ERR (18) on a short read, a reply of another
 * protocol version, type or sequence number.
 */
int ipc_client_call(const struct ipc_msg *req, struct ipc_msg *rsp, int timeout_ms);

/*
 * ipc_client_call() and then the daemon's verdict: returns the reply's
 * enum iscsi_err with its message recorded by err_set().  On ISCSI_OK
 * @rsp holds the reply fields; it is freed otherwise.
 */
int ipc_client_request(const struct ipc_msg *req, struct ipc_msg *rsp, int timeout_ms);

/* A request of @type with no fields, or with one u32 field (@sid). */
int ipc_client_simple(uint16_t type, struct ipc_msg *rsp, int timeout_ms);
int ipc_client_sid(uint16_t type, uint32_t sid, struct ipc_msg *rsp, int timeout_ms);

#endif
