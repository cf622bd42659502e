/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iscsiadm/iscsistart <-> iscsid management IPC: the message format (a
 * fixed big-endian header and TLV fields, never raw structs) and the
 * server that answers requests from the event loop.  The blocking client
 * lives in cli/ipc_client.c.  One request per connection, exactly one reply.
 *
 * Wire format (all integers big-endian):
 *   header  u32 magic "iSCk", u16 version, u16 type, u32 length, u32 seq
 *   fields  u16 tag, u16 length, value ... (length bytes, no padding)
 * A reply has type = request type | IPC_REPLY and starts with the fields
 * IPC_F_ERR (u32 enum iscsi_err) and IPC_F_MSG (string), whose tags and
 * order never change, so a client of another version can still read why
 * it was refused.
 */
#ifndef ISCSIKIT_IPC_H
#define ISCSIKIT_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define IPC_MAGIC		0x6953436bu	/* "iSCk" */
#define IPC_VERSION		1		/* bump on any incompatible change */
#define IPC_HDR_LEN		16
#define IPC_MAX_PAYLOAD		65536		/* bytes after the header */
#define IPC_DEFAULT_NAME	"ISCSIADM_ABSTRACT_NAMESPACE"
#define IPC_REPLY		0x8000u

/* Request types; numbers follow open-iscsi's iscsiadm_cmd for familiarity. */
enum ipc_type {
	IPC_SESSION_LOGIN	= 1,	/* F_KV record lines [+ F_MULTIPLE] */
	IPC_SESSION_LOGOUT	= 2,	/* F_SID */
	IPC_SESSION_STATS	= 7,	/* F_SID -> F_STAT..., F_CUSTOM_STAT... */
	IPC_CONFIG_INAME	= 8,	/* -> F_VALUE */
	IPC_CONFIG_IALIAS	= 9,	/* -> F_VALUE */
	IPC_CONFIG_FILE		= 10,	/* -> F_VALUE */
	IPC_IMMEDIATE_STOP	= 11,	/* reply, then iscsid exits */
	IPC_SESSION_SYNC	= 12,	/* F_SID + F_KV record */
	IPC_SESSION_INFO	= 13,	/* F_SID -> F_CONN_STATE, F_SESSION_STATE */
	IPC_SESSION_RESCAN	= 20,	/* F_SID (iscsikit addition) */
	IPC_TYPE_MAX
};

/* Field tags.  Append only; unknown tags are skipped by readers. */
enum ipc_tag {
	IPC_F_ERR		= 1,	/* u32, replies only, always first */
	IPC_F_MSG		= 2,	/* string, replies only, always second */
	IPC_F_SID		= 3,	/* u32 */
	IPC_F_CID		= 4,	/* u32 */
	IPC_F_VALUE		= 5,	/* string */
	IPC_F_CONN_STATE	= 6,	/* u32 enum iscsi_conn_state */
	IPC_F_SESSION_STATE	= 7,	/* u32 internal stage (NO CHANGE, CLEANUP ...) */
	IPC_F_KV		= 8,	/* string "key = value" (a record line) */
	IPC_F_MULTIPLE		= 9,	/* u32 bool: allow another session to the record */
	IPC_F_STAT		= 10,	/* u64 value + name: a standard counter */
	IPC_F_CUSTOM_STAT	= 11,	/* u64 value + name: a transport's extra counter */
};

/* A message being built or one received; buf holds header + fields. */
struct ipc_msg {
	uint16_t	 version;
	uint16_t	 type;
	uint32_t	 seq;
	uint8_t		*buf;
	size_t		 len;		/* bytes used, header included */
	size_t		 cap;
};

struct ipc_field {
	uint16_t	 tag;
	uint16_t	 len;
	const uint8_t	*val;
};

/* The abstract socket name: $ISCSI_IPC_NAME (tests) or IPC_DEFAULT_NAME. */
const char *ipc_socket_name(void);
/* Fill an abstract sockaddr_un for @name; returns the address length. */
struct sockaddr_un;
size_t ipc_sockaddr(struct sockaddr_un *sun, const char *name);

/*
 * Value of @key in a "key = value" file (iscsid.conf's iscsid.startup,
 * initiatorname.iscsi's InitiatorName); '#' lines are comments and the
 * last occurrence wins.  True if found and it fit in @len.  A stopgap for
 * the client and iscsid until the db area's core/conf.h is merged; they
 * should then call conf_get() instead.
 */
bool ipc_conf_lookup(const char *file, const char *key, char *val, size_t len);

/* Building.  Functions return an enum iscsi_err (NOMEM, INVAL if the
 * payload would exceed IPC_MAX_PAYLOAD or a string 65535 bytes). */
int ipc_msg_init(struct ipc_msg *m, uint16_t type, uint32_t seq);
void ipc_msg_free(struct ipc_msg *m);
int ipc_put(struct ipc_msg *m, uint16_t tag, const void *val, size_t len);
int ipc_put_u32(struct ipc_msg *m, uint16_t tag, uint32_t v);
int ipc_put_str(struct ipc_msg *m, uint16_t tag, const char *s);
/* A named counter: u64 + name bytes. */
int ipc_put_stat(struct ipc_msg *m, uint16_t tag, const char *name, uint64_t v);
/* Start a reply to @req: IPC_F_ERR @err and IPC_F_MSG @msg ("" if NULL). */
int ipc_reply_init(struct ipc_msg *m, const struct ipc_msg *req, int err, const char *msg);

/*
 * Parse a header from @n >= IPC_HDR_LEN bytes.  *@paylen gets the payload
 * length.  Errors (with detail): bad magic (ISCSI_ERR_ISCSID_COMM_ERR),
 * payload too large (ISCSI_ERR_INVAL).  A foreign version is NOT an error
 * here: callers compare m->version themselves (the server answers it).
 */
int ipc_hdr_parse(const uint8_t *b, size_t n, uint16_t *version, uint16_t *type,
    uint32_t *seq, uint32_t *paylen);
/* Take ownership of a complete wire message (@buf malloc'ed, @len bytes). */
int ipc_msg_adopt(struct ipc_msg *m, uint8_t *buf, size_t len);

/* Iterate fields: *@off starts at 0.  Returns 1 with @f set, 0 at the end,
 * or ISCSI_ERR_ISCSID_COMM_ERR (negated) on a truncated field. */
int ipc_next(const struct ipc_msg *m, size_t *off, struct ipc_field *f);
/* First field @tag.  Return ISCSI_OK, ISCSI_ERR_NO_OBJS_FOUND if absent,
 * ISCSI_ERR_ISCSID_COMM_ERR if malformed (wrong size, truncated). */
int ipc_get_u32(const struct ipc_msg *m, uint16_t tag, uint32_t *v);
int ipc_get_str(const struct ipc_msg *m, uint16_t tag, char *buf, size_t len);
/* For a reply: its IPC_F_ERR and IPC_F_MSG (msg may be NULL). */
int ipc_reply_status(const struct ipc_msg *m, int *err, char *msg, size_t msglen);
/* Decode an IPC_F_STAT/IPC_F_CUSTOM_STAT value. */
int ipc_field_stat(const struct ipc_field *f, char *name, size_t namelen, uint64_t *v);

/* Name of a request type for logs ("SESSION_LOGIN"), "unknown" otherwise. */
const char *ipc_type_name(uint16_t type);

/* ---------------------------------------------------------------- server */

struct ipc_server;
struct ipc_call;

/*
 * A request handler.  Return an enum iscsi_err to have the server reply at
 * once with that code, err_detail() as message and any fields the handler
 * put into ipc_call_reply_msg(); or return IPC_PENDING after keeping @c and
 * later call ipc_call_finish() exactly once (login/logout complete
 * asynchronously).  A pending call outlives its client: if the client went
 * away the late reply is dropped, never misdelivered.
 */
#define IPC_PENDING	(-1)
typedef int (*ipc_handler_fn)(struct ipc_call *c, const struct ipc_msg *req, void *arg);

struct ipc_handler {
	uint16_t	 type;
	ipc_handler_fn	 fn;
};

/*
 * Listen on @fd if >= 0 (systemd's socket), else bind the abstract
 * ipc_socket_name().  @handlers ends with { 0, NULL }; a type without a
 * handler is answered ISCSI_ERR_INVALID_MGMT_REQ.  @arg goes to handlers.
 * Returns NULL with err_set() detail.
 */
struct ipc_server *ipc_server_new(struct evloop *loop, int fd,
    const struct ipc_handler *handlers, void *arg);
/* Serve an already connected non-blocking stream socket (socketpair,
 * tests).  The server owns @fd on success; on failure the caller closes it. */
int ipc_server_add_client(struct ipc_server *srv, int fd);
/* Answer pending calls "iscsid is stopping" (best-effort flush), close. */
void ipc_server_free(struct ipc_server *srv);
/* Tests: peers with another uid are refused unless it is @uid (default 0). */
void ipc_server_allow_uid(struct ipc_server *srv, unsigned uid);
/* A client that has not sent a full request within @ms is dropped (5000). */
void ipc_server_set_timeout(struct ipc_server *srv, unsigned ms);
/* Connections currently open, for tests and shutdown. */
size_t ipc_server_nclients(const struct ipc_server *srv);

/* The reply being built for @c (already holds ERR/MSG placeholders). */
struct ipc_msg *ipc_call_reply_msg(struct ipc_call *c);
/* Send the reply of a pending call: @err, @msg (NULL: err_detail or
 * strerror) plus fields put into ipc_call_reply_msg().  Frees @c. */
void ipc_call_finish(struct ipc_call *c, int err, const char *msg);

#endif
