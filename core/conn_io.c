// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Blocking-with-deadlines TCP for the protocol engines (see conn_io.h):
 * connect, send and receive whole PDUs, drive a login through redirects,
 * log out.  The engines decide; this file only moves bytes and keeps time.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <iscsi/errors.h>
#include "conn_io.h"
#include "err.h"
#include "keys.h"
#include "log.h"
#include "unsol.h"

uint64_t
conn_io_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Milliseconds left until @deadline, 0 when passed. */
static int
conn_io_left(uint64_t deadline)
{
	uint64_t now = conn_io_now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* poll() one fd until @deadline; 1 ready, 0 timed out, -1 error (errno). */
static int
conn_io_wait(int fd, short events, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	for (;;) {
		n = poll(&pfd, 1, conn_io_left(deadline));
		if (n >= 0 || errno != EINTR)
			return n > 0 ? 1 : n;
	}
}

void
conn_io_init(struct conn_io *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	pdu_rx_init(&c->rx, ISCSI_DEFAULT_MRDSL);
}

static void
conn_io_set_peer(struct conn_io *c, const char *host, uint16_t port)
{
	if (strchr(host, ':') != NULL)
		snprintf(c->peer, sizeof(c->peer), "[%s]:%u", host, (unsigned)port);
	else
		snprintf(c->peer, sizeof(c->peer), "%s:%u", host, (unsigned)port);
}

/* One address: 0 connected, else errno (ETIMEDOUT for the deadline). */
static int
conn_io_try(struct conn_io *c, const struct addrinfo *ai, uint64_t deadline)
{
	int fd, one = 1, soerr = 0;
	socklen_t sl = sizeof(soerr);

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (c->ifname[0] != '\0' && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->ifname,
	    (socklen_t)strlen(c->ifname) + 1) < 0) {
		soerr = errno;
		log_warnx("cannot bind to network device %s: %s", c->ifname, strerror(soerr));
		goto fail;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			soerr = errno;
			goto fail;
		}
		switch (conn_io_wait(fd, POLLOUT, deadline)) {
		case 0:
			soerr = ETIMEDOUT;
			goto fail;
		case -1:
			soerr = errno;
			goto fail;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
			soerr = errno;
		if (soerr != 0)
			goto fail;
	}
	c->fd = fd;
	return 0;
fail:
	close(fd);
	return soerr != 0 ? soerr : EIO;
}

int
conn_io_connect(struct conn_io *c, const char *host, uint16_t port, const char *ifname,
    unsigned timeout_ms)
{
	struct addrinfo hints, *res = NULL, *ai;
	uint64_t deadline = conn_io_now_ms() + timeout_ms;
	char svc[8];
	int gai, e = EHOSTUNREACH;

	conn_io_close(c);
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname != NULL ? ifname : "");
	conn_io_set_peer(c, host, port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(svc, sizeof(svc), "%u", (unsigned)port);
	/* glibc resolves "fe80::1%eth0" to a sockaddr_in6 with the scope id */
	if ((gai = getaddrinfo(host, svc, &hints, &res)) != 0)
		return err_set(ISCSI_ERR_TRANS, "cannot resolve host name %s: %s", host,
		    gai_strerror(gai));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((e = conn_io_try(c, ai, deadline)) == 0)
			break;
		if (e == ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (c->fd >= 0) {
		log_debug(3, "connected to %s", c->peer);
		return ISCSI_OK;
	}
	return err_set(e == ETIMEDOUT ? ISCSI_ERR_TRANS_TIMEOUT : ISCSI_ERR_TRANS,
	    "cannot make connection to %s: %s", host, strerror(e));
}

void
conn_io_close(struct conn_io *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->roff = c->rlen = 0;
	c->partial = false;
	pdu_rx_reset(&c->rx);
	pdu_rx_init(&c->rx, ISCSI_DEFAULT_MRDSL);
	memset(&c->dg, 0, sizeof(c->dg));
}

int
conn_io_send(struct conn_io *c, struct pdu *p, unsigned timeout_ms)
{
	uint64_t deadline = conn_io_now_ms() + timeout_ms;
	uint8_t *buf = NULL;
	size_t len = 0, off = 0;
	ssize_t n;
	int rc;

	if (c->fd < 0)
		return err_set(ISCSI_ERR_TRANS, "not connected");
	if ((rc = pdu_encode_alloc(p, &c->dg, &buf, &len)) != ISCSI_OK)
		return rc;
	while (off < len) {
		n = send(c->fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (conn_io_wait(c->fd, POLLOUT, deadline) > 0)
				continue;
			rc = err_set(ISCSI_ERR_PDU_TIMEOUT, "%s does not take our %s",
			    c->peer, pdu_opcode_name(pdu_opcode(p)));
			break;
		}
		rc = err_set(ISCSI_ERR_TRANS, "cannot send to %s: %s", c->peer, strerror(errno));
		break;
	}
	free(buf);
	return rc;
}

/* The codec refused what arrived: keep its words, make it a transport error. */
static int
conn_io_bad_pdu(struct conn_io *c)
{
	int e = pdu_rx_error(&c->rx);
	const char *d = err_detail(e);
	char why[256];

	snprintf(why, sizeof(why), "%s", d != NULL ? d : iscsi_strerror(e));
	return err_set(ISCSI_ERR_TRANS, "bad PDU from %s: %s", c->peer, why);
}

int
conn_io_recv(struct conn_io *c, struct pdu *out, unsigned timeout_ms)
{
	uint64_t deadline = conn_io_now_ms() + timeout_ms;
	enum pdu_rx_status st;
	size_t used;
	ssize_t n;

	if (c->fd < 0)
		return err_set(ISCSI_ERR_TRANS, "not connected");
	for (;;) {
		while (c->roff < c->rlen) {
			st = pdu_rx_feed(&c->rx, c->rbuf + c->roff, c->rlen - c->roff, &used, out);
			c->roff += used;
			c->partial = st == PDU_RX_MORE && used > 0;
			if (st == PDU_RX_PDU)
				return ISCSI_OK;
			if (st == PDU_RX_ERROR)
				return conn_io_bad_pdu(c);
		}
		switch (conn_io_wait(c->fd, POLLIN, deadline)) {
		case 0:
			return err_set(ISCSI_ERR_PDU_TIMEOUT, "no answer from %s within %u ms",
			    c->peer, timeout_ms);
		case -1:
			return err_set(ISCSI_ERR_TRANS, "poll: %s", strerror(errno));
		}
		n = read(c->fd, c->rbuf, sizeof(c->rbuf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return err_set(ISCSI_ERR_TRANS, "connection to %s failed: %s", c->peer,
			    strerror(errno));
		if (n == 0)
			return err_set(ISCSI_ERR_TRANS, "%s closed the connection%s", c->peer,
			    c->partial ? " in the middle of a PDU" : "");
		c->roff = 0;
		c->rlen = (size_t)n;
	}
}

int
conn_io_split_addr(const char *s, char *host, size_t hostcap, uint16_t *port)
{
	const char *end = s + strlen(s), *comma = strrchr(s, ','), *h = s, *hend, *colon;
	unsigned long p = 3260;
	char *ep;

	if (comma != NULL && strchr(comma, ']') == NULL)
		end = comma;
	if (*s == '[') {
		hend = memchr(s, ']', (size_t)(end - s));
		if (hend == NULL)
			return ISCSI_ERR_INVAL;
		h = s + 1;
		colon = hend + 1 < end && hend[1] == ':' ? hend + 1 : NULL;
	} else {
		colon = memchr(s, ':', (size_t)(end - s));
		if (colon != NULL && memchr(colon + 1, ':', (size_t)(end - colon - 1)) != NULL)
			colon = NULL;	/* bare IPv6 */
		hend = colon != NULL ? colon : end;
	}
	if (colon != NULL) {
		errno = 0;
		p = strtoul(colon + 1, &ep, 10);
		if (ep != end || p == 0 || p > 65535 || errno != 0)
			return ISCSI_ERR_INVAL;
	}
	if (hend <= h || (size_t)(hend - h) >= hostcap || (size_t)(hend - h) > CONN_IO_ADDR_MAX)
		return ISCSI_ERR_INVAL;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	*port = (uint16_t)p;
	return ISCSI_OK;
}

/* After login: the limits and digests the target and we agreed on. */
static void
conn_io_apply_params(struct conn_io *c, const struct iscsi_params *p)
{
	struct pdu_digests dg = {
		.header = p->header_digest == ISCSI_DIGEST_CRC32C,
		.data = p->data_digest == ISCSI_DIGEST_CRC32C,
	};

	c->dg = dg;
	pdu_rx_set_max_dsl(&c->rx, p->max_recv_dsl);
	pdu_rx_set_digests(&c->rx, &dg);
}

static int
conn_io_redirect(struct conn_io *c, const struct login_out *out, unsigned timeout_ms)
{
	char host[CONN_IO_ADDR_MAX + 1], esc[CONN_IO_ADDR_MAX * 4 + 1];
	char ifname[sizeof(c->ifname)];
	uint16_t port;

	log_escape(esc, sizeof(esc), out->lo_redirect, strlen(out->lo_redirect));
	if (conn_io_split_addr(out->lo_redirect, host, sizeof(host), &port) != ISCSI_OK)
		return err_set(ISCSI_ERR_FATAL_LOGIN, "target redirected to an invalid address \"%s\"",
		    esc);
	log_info("%s redirected %s to %s", c->peer,
	    out->lo_redirect_permanent ? "permanently" : "temporarily", esc);
	memcpy(ifname, c->ifname, sizeof(ifname));
	return conn_io_connect(c, host, port, ifname, timeout_ms);
}

int
conn_io_login(struct conn_io *c, struct login_ctx *ctx, const struct login_cfg *cfg,
    struct login_out *out)
{
	enum login_verdict v = login_start(ctx, cfg, out);
	struct pdu rsp;
	unsigned tmo;
	int rc;

	for (;;) {
		tmo = login_timeout(ctx) * 1000u;
		switch (v) {
		case LOGIN_SEND:
			rc = conn_io_send(c, &out->lo_pdu, tmo);
			pdu_free(&out->lo_pdu);
			memset(&rsp, 0, sizeof(rsp));
			if (rc == ISCSI_OK)
				rc = conn_io_recv(c, &rsp, tmo);
			if (rc != ISCSI_OK)
				return rc;
			v = login_input(ctx, &rsp, out);
			pdu_free(&rsp);
			break;
		case LOGIN_DONE:
			conn_io_apply_params(c, &out->lo_params);
			return ISCSI_OK;
		case LOGIN_REDIRECT:
			if ((rc = conn_io_redirect(c, out, tmo)) != ISCSI_OK)
				return rc;
			v = login_start(ctx, cfg, out);
			break;
		case LOGIN_FAIL:
		default:
			pdu_free(&out->lo_pdu);
			return err_set(out->lo_err != ISCSI_OK ? out->lo_err : ISCSI_ERR_LOGIN,
			    "login to %s failed: %s", c->peer, out->lo_msg);
		}
	}
}

/* Ping data echoed while logging out is cut at the smallest MaxRecvDataSegmentLength
 * a target may declare (RFC 7143 §13.12): the caller does not pass the real one. */
#define CONN_IO_LOGOUT_ECHO_MAX	512

/* A ping still gets its NOP-Out (RFC 7143 §11.18: MUST); a drop announcement
 * ends the wait; everything else is skipped. */
static int
conn_io_logout_unsol(struct conn_io *c, struct unsol_ctx *u, struct unsol_sn *sn,
    const struct pdu *p, unsigned timeout_ms)
{
	struct unsol_out uo;
	int rc;

	switch (unsol_input(u, p, sn, &uo)) {
	case UNSOL_SEND:
		rc = conn_io_send(c, &uo.uo_pdu, timeout_ms);
		pdu_free(&uo.uo_pdu);
		return rc;
	case UNSOL_FAIL:
		return uo.uo_err;
	default:
		return ISCSI_OK;
	}
}

int
conn_io_logout(struct conn_io *c, uint32_t itt, uint32_t cmdsn, uint32_t exp_statsn,
    unsigned timeout_ms)
{
	uint64_t deadline = conn_io_now_ms() + timeout_ms;
	struct unsol_sn sn = { .us_cmdsn = cmdsn, .us_exp_statsn = exp_statsn };
	struct unsol_ctx u;
	struct pdu p;
	int rc, i;

	memset(&p, 0, sizeof(p));
	pdu_build_logout_req(&p, ISCSI_LOGOUT_CLOSE_SESSION, itt, 0, cmdsn, exp_statsn);
	rc = conn_io_send(c, &p, timeout_ms);
	pdu_free(&p);
	/* NOP-Ins and Async Messages may come first, within one deadline: a
	 * target pinging every second must not stretch the wait */
	unsol_init(&u, CONN_IO_LOGOUT_ECHO_MAX, 8);
	for (i = 0; rc == ISCSI_OK && i < 8; i++) {
		memset(&p, 0, sizeof(p));
		if ((rc = conn_io_recv(c, &p, (unsigned)conn_io_left(deadline) + 1)) != ISCSI_OK)
			break;
		if (pdu_opcode(&p) == ISCSI_OP_LOGOUT_RSP) {
			if (pdu_logout_response(&p) != 0)
				rc = err_set(ISCSI_ERR_LOGOUT, "%s refused the logout (response %u)",
				    c->peer, pdu_logout_response(&p));
			pdu_free(&p);
			return rc;
		}
		if (unsol_is(&p))
			rc = conn_io_logout_unsol(c, &u, &sn, &p, timeout_ms);
		pdu_free(&p);
	}
	return rc != ISCSI_OK ? rc : err_set(ISCSI_ERR_LOGOUT, "no Logout Response from %s",
	    c->peer);
}
