/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A blocking-with-timeouts socket driver for the sans-I/O protocol engines:
 * TCP connect with a deadline (non-blocking connect + poll), optional
 * binding to a network device, whole PDUs out and in with per-PDU
 * deadlines, and a login loop that follows redirects.  For iscsiadm and
 * iscsistart, which have no event loop; iscsid drives the engines itself.
 */
#ifndef ISCSIKIT_CONN_IO_H
#define ISCSIKIT_CONN_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "login.h"
#include "pdu.h"

#define CONN_IO_ADDR_MAX	256
#define CONN_IO_RBUF		65536

/**
 * struct conn_io - one TCP connection to a target.
 * @fd:     the socket, -1 when closed.
 * @rx:     PDU reassembly; its limit is ISCSI_DEFAULT_MRDSL until the
 *          caller raises it after login (pdu_rx_set_max_dsl).
 * @dg:     digests for what we send (none until negotiated).
 * @peer:   "addr:port" for messages.
 * @ifname: the netdev connections are bound to ("" = none).
 * The read buffer lets one read() carry several PDUs.
 */
struct conn_io {
	int			fd;
	struct pdu_rx		rx;
	struct pdu_digests	dg;
	char			peer[CONN_IO_ADDR_MAX + 8];
	char			ifname[64];
	bool			partial;	/* bytes of an unfinished PDU received */
	uint8_t			rbuf[CONN_IO_RBUF];
	size_t			roff, rlen;
};

/* CLOCK_MONOTONIC in milliseconds: the clock of every deadline here. */
uint64_t conn_io_now_ms(void);
void conn_io_init(struct conn_io *c);
/*
 * Connect to @host (numeric IPv4/IPv6 with optional "%scope", or a host
 * name) on @port within @timeout_ms, bound to @ifname when non-empty
 * (SO_BINDTODEVICE, iface.net_ifacename).  Returns 0,
 * ISCSI_ERR_TRANS (refused, unreachable, resolution failed) or
 * ISCSI_ERR_TRANS_TIMEOUT, with an err_set() detail such as
 * "cannot make connection to 127.0.0.1: Connection refused".
 */
int conn_io_connect(struct conn_io *c, const char *host, uint16_t port, const char *ifname,
    unsigned timeout_ms);
/* Send @p whole (encoded with c->dg) within @timeout_ms.  0, ISCSI_ERR_TRANS, _PDU_TIMEOUT. */
int conn_io_send(struct conn_io *c, struct pdu *p, unsigned timeout_ms);
/*
 * Receive one PDU within @timeout_ms into @out (caller pdu_free()s).
 * 0, ISCSI_ERR_PDU_TIMEOUT, ISCSI_ERR_TRANS (closed, reset, or a PDU the
 * codec refused: truncated, over-long, wrong opcode).
 */
int conn_io_recv(struct conn_io *c, struct pdu *out, unsigned timeout_ms);
void conn_io_close(struct conn_io *c);

/*
 * Split a TargetAddress "host[:port][,tpgt]" ("[v6%scope]:port,tpgt") as a
 * redirect gives it.  @host gets at most CONN_IO_ADDR_MAX bytes; a missing
 * port is 3260.  0 or ISCSI_ERR_INVAL.
 */
int conn_io_split_addr(const char *s, char *host, size_t hostcap, uint16_t *port);

/*
 * Log in on a connected @c: login_start(), then send/receive until the
 * engine says done or fail, reconnecting on redirects (within the
 * engine's limit).  Per-response deadline: login_timeout(ctx) seconds.
 * On success @out holds the negotiated parameters and @c->rx accepts
 * out->lo_params.max_recv_dsl.  Returns 0 or an enum iscsi_err with a detail.
 */
int conn_io_login(struct conn_io *c, struct login_ctx *ctx, const struct login_cfg *cfg,
    struct login_out *out);
/* Send a Logout (close session) and wait for the answer; best effort. */
int conn_io_logout(struct conn_io *c, uint32_t itt, uint32_t cmdsn, uint32_t exp_statsn,
    unsigned timeout_ms);

#endif
