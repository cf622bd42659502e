/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel interface (NETLINK_ISCSI).  Two halves: sans-I/O builders and
 * parsers that turn calls into netlink message bytes and received bytes
 * into checked events (unit-tested without a kernel), and the libnl-3
 * socket plumbing that sends them and routes replies and async events.
 * ABI definitions: iscsi_if.h.  Not here: sysfs (sysfs.h), login logic.
 */
#ifndef ISCSIKIT_KIF_H
#define ISCSIKIT_KIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "iscsi_if.h"

/* Largest message we build or accept: header, uevent and a PDU/param. */
#define KIF_MSG_MAX		(16u + 56u + 8192u + 65536u)
#define KIF_PARAM_VALUE_MAX	4096u

/* A request being built into caller storage (@buf of @cap bytes). */
struct kif_req {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;		/* set by the builders */
	uint32_t	 type;		/* enum kif_event_type, for matching the reply */
};

/*
 * Builders: fill @r with nlmsghdr (type = event, pid/seq 0: the plumbing
 * stamps them) + kif_uevent (+ payload).  @th is the transport handle.
 * Return ISCSI_OK or ISCSI_ERR_INVAL (with detail) if @r->cap is too small
 * or an argument is out of range.
 */
int kif_create_session(struct kif_req *r, uint64_t th, uint32_t initial_cmdsn,
    uint16_t cmds_max, uint16_t queue_depth);
int kif_create_bound_session(struct kif_req *r, uint64_t th, uint64_t ep,
    uint32_t initial_cmdsn, uint16_t cmds_max, uint16_t queue_depth);
int kif_destroy_session(struct kif_req *r, uint64_t th, uint32_t sid);
int kif_unbind_session(struct kif_req *r, uint64_t th, uint32_t sid);
int kif_create_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid);
int kif_destroy_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid);
/* @eph: the connected TCP socket's fd (iscsi_tcp) or an endpoint handle. */
int kif_bind_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    uint64_t eph, bool is_leading);
/* @value: NUL-terminated string as the kernel wants (ints as "%d"). */
int kif_set_param(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    enum kif_param param, const char *value);
int kif_start_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid);
int kif_stop_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    uint64_t conn_handle, enum kif_stop_flag flag);
/* A PDU for the kernel to transmit: 48-byte BHS (+AHS) in @hdr, then data. */
int kif_send_pdu(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    const void *hdr, size_t hdr_len, const void *data, size_t data_len);
int kif_get_stats(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid);
/* Offload endpoints: @host_no < 0 connects without choosing a host. */
int kif_ep_connect(struct kif_req *r, uint64_t th, const struct sockaddr *sa,
    socklen_t salen, bool non_blocking, int host_no);
int kif_ep_poll(struct kif_req *r, uint64_t th, uint64_t ep, uint32_t timeout_ms);
int kif_ep_disconnect(struct kif_req *r, uint64_t th, uint64_t ep);

/* A received message, checked and decoded.  @data points into the bytes
 * given to kif_parse (a PDU, the stats, host event data), never past them. */
struct kif_event {
	uint32_t	 type;		/* enum kif_event_type */
	uint32_t	 iferror;
	int32_t		 retcode;	/* replies: 0 or -errno */
	uint32_t	 sid, cid, host_no;
	uint32_t	 code;		/* conn error, login state, host event code, ping status */
	uint64_t	 handle;	/* recv_handle, ep handle */
	const uint8_t	*data;
	size_t		 data_len;
	struct kif_uevent raw;		/* copy of the fixed part */
};

/*
 * Decode one netlink message from @buf/@len (the first if several).
 * *@used gets its aligned length so callers can walk a batch.  Every
 * length is checked: a message shorter than its header, than a uevent, or
 * than the payload its fields announce is ISCSI_ERR_INVAL with detail;
 * NLMSG_ERROR from the kernel is ISCSI_ERR_TRANS with the errno.
 */
int kif_parse(const void *buf, size_t len, struct kif_event *ev, size_t *used);

/* Decoded GET_STATS reply; @custom points into the parsed bytes. */
struct kif_stats_view {
	struct kif_stats		 std;
	uint32_t			 ncustom;
	const struct kif_stats_custom	*custom;	/* possibly unaligned: use kif_stats_custom_get */
};
int kif_parse_stats(const struct kif_event *ev, struct kif_stats_view *out);
/* Custom counter @i: description (NUL-terminated, bounded) and value. */
void kif_stats_custom_get(const struct kif_stats_view *v, uint32_t i, char desc[65],
    uint64_t *value);
/* Standard counters in iscsiadm's print order: name and value by index. */
size_t kif_stats_count(void);
const char *kif_stats_name(size_t i);
uint64_t kif_stats_value(const struct kif_stats *s, size_t i);

/* "CREATE_SESSION", "CONN_ERROR"; "UNKNOWN" otherwise. */
const char *kif_event_name(uint32_t type);
/* "ISCSI_ERR_TCP_CONN_CLOSE: TCP connection closed"; NULL if unknown. */
const char *kif_conn_err_text(uint32_t code);
/* "LOGGED IN", "IN LOGIN" ... as iscsiadm -P 1 prints; "Unknown" otherwise. */
const char *kif_conn_state_name(uint32_t state);

/* ---------------------------------------------------------------- plumbing (libnl-3) */

struct kif;
typedef void (*kif_event_fn)(const struct kif_event *ev, void *arg);

/*
 * Open NETLINK_ISCSI and join group 1.  A kernel without iSCSI support
 * gives ISCSI_ERR_TRANS_NOT_FOUND with a detail naming the missing module.
 * @fn receives async events (conn errors, unbind ...) from kif_dispatch,
 * never re-entrantly from inside kif_transact.
 */
int kif_open(struct kif **out, kif_event_fn fn, void *arg);
void kif_close(struct kif *k);
/* Called when kif_transact queued events, so the owner schedules a
 * kif_dispatch (they would otherwise wait for the next kernel message). */
void kif_set_wakeup(struct kif *k, void (*fn)(void *arg), void *arg);
/* The fd to watch for EVLOOP_READ; then call kif_dispatch. */
int kif_fd(const struct kif *k);
/* Read what is pending (non-blocking) and deliver queued and new events. */
int kif_dispatch(struct kif *k);
/*
 * Send @req and wait (at most @timeout_ms) for the kernel's reply of the
 * same type, copied with its payload into @rbuf/@rcap and decoded in
 * @reply.  Events arriving meanwhile are queued for kif_dispatch.
 * Returns ISCSI_OK (check reply->retcode), ISCSI_ERR_TRANS_TIMEOUT, or
 * ISCSI_ERR_TRANS with detail.
 */
int kif_transact(struct kif *k, struct kif_req *req, struct kif_event *reply,
    uint8_t *rbuf, size_t rcap, int timeout_ms);
/*
 * kif_transact() with the verdict folded in: ISCSI_OK only when the kernel
 * answered with iferror 0 and retcode >= 0; otherwise ISCSI_ERR_TRANS with
 * "the kernel refused <EVENT>: <strerror>" (reply still filled).  The
 * kernel handles a request while it is being sent, so the wait is short.
 */
int kif_call(struct kif *k, struct kif_req *req, struct kif_event *reply,
    uint8_t *rbuf, size_t rcap);
/* Probe only: can this kernel open NETLINK_ISCSI?  ISCSI_OK or as kif_open. */
int kif_probe(void);

#endif
