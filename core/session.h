/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iscsid's sessions: the software (iscsi_tcp) login driven from the event
 * loop, kernel session/connection setup, logout and connection recovery.
 * The IPC handlers live in session_ipc.c; the protocol engines (login.c,
 * pdu.c) and the netlink plumbing (kif.c) are used, not reimplemented.
 */
#ifndef ISCSIKIT_SESSION_H
#define ISCSIKIT_SESSION_H

#include <stdint.h>

#include "evloop.h"
#include "ipc.h"
#include "kif.h"

struct rec;

/* Give the module its loop, the kernel interface (NULL: no kernel) and the
 * daemon's initiator name/alias (used unless iface.initiatorname is set). */
void session_init(struct evloop *loop, struct kif *kif, const char *iname, const char *ialias);
/* Adopt the software sessions an earlier iscsid left in the kernel
 * (called by session_init). */
void session_adopt(void);
/* Tear down nothing (sessions outlive iscsid, as open-iscsi's); free memory. */
void session_shutdown(void);

/* Kernel events (conn errors, unbind) forwarded by iscsid's kif callback. */
void session_kernel_event(const struct kif_event *ev);

/*
 * Log in the node record @rec (taken over).  The reply to @c is sent
 * exactly once when the session is up or failed; returns IPC_PENDING or
 * an enum iscsi_err for an immediate refusal (then @rec is freed).
 */
int session_login(struct ipc_call *c, struct rec *rec, int multiple);
/* Log out kernel session @sid; replies to @c once done. */
int session_logout(struct ipc_call *c, uint32_t sid);

/* IPC handlers for the table in iscsid.c (session_ipc.c). */
int session_ipc_login(struct ipc_call *c, const struct ipc_msg *req, void *arg);
int session_ipc_logout(struct ipc_call *c, const struct ipc_msg *req, void *arg);
int session_ipc_info(struct ipc_call *c, const struct ipc_msg *req, void *arg);

#endif
