// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsid's session state machine for software iSCSI (iscsi_tcp): a table
 * of (state, event) -> action, events queued and run from a deferred call
 * so no action ever runs inside another.  I/O is non-blocking on the loop;
 * the login PDUs go over our own socket before it is handed to the kernel
 * (BIND_CONN).  Kernel requests and parameter pushing: session_kern.c.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "rec.h"
#include "session.h"
#include "session_priv.h"

struct session_globals sess_g;

/* ---------------------------------------------------------------- event queue */

static void sess_run(void *arg);

void
sess_post(struct sess *s, enum sess_event ev)
{
	if (s->nq == SESS_QMAX) {
		log_warnx("session %u: event queue full, dropping %s", s->sid, sess_event_name(ev));
		return;
	}
	s->q[(s->qhead + s->nq++) % SESS_QMAX] = ev;
	evloop_defer_post(sess_g.loop, &s->defer);
}

static const char *const state_names[] = {
	[SS_IDLE] = "IDLE", [SS_CONNECTING] = "CONNECTING", [SS_LOGIN] = "IN_LOGIN",
	[SS_LOGGED_IN] = "LOGGED_IN", [SS_REOPEN_WAIT] = "REOPEN_WAIT",
	[SS_UNBINDING] = "UNBINDING", [SS_LOGOUT_WAIT] = "LOGOUT_WAIT", [SS_DEAD] = "DEAD",
};
static const char *const event_names[] = {
	[SE_START] = "START", [SE_CONNECTED] = "CONNECTED", [SE_PDU] = "PDU",
	[SE_IO_ERR] = "IO_ERR", [SE_TIMEOUT] = "TIMEOUT", [SE_LOGIN_OK] = "LOGIN_OK",
	[SE_LOGIN_FAIL] = "LOGIN_FAIL", [SE_KERN_ERR] = "KERNEL_CONN_ERROR",
	[SE_LOGOUT] = "LOGOUT", [SE_RETRY] = "RETRY", [SE_UNBOUND] = "UNBOUND",
};

const char *
sess_event_name(enum sess_event ev)
{
	return (unsigned)ev < SE_MAX ? event_names[ev] : "?";
}

/* ---------------------------------------------------------------- socket I/O */

static void sess_io_cb(int fd, uint32_t events, void *arg);

static void
sess_close_sock(struct sess *s)
{
	evloop_watch_del(&s->watch);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->obuf);
	s->obuf = NULL;
	s->olen = s->ooff = 0;
	pdu_rx_reset(&s->rx);
}

/* iface.net_ifacename, or the netdev whose MAC is iface.hwaddress. */
static void
sess_bind_dev(struct sess *s, char *dev, size_t len)
{
	const char *n = rec_get(s->rec, "iface.net_ifacename");
	const char *hw = rec_get(s->rec, "iface.hwaddress");

	dev[0] = '\0';
	if (n != NULL && n[0] != '\0' && strcmp(n, "default") != 0) {
		snprintf(dev, len, "%s", n);
		return;
	}
	if (hw != NULL && hw[0] != '\0' && strcmp(hw, "default") != 0)
		sess_netdev_by_mac(hw, dev, len);
}

static int
sess_socket(struct sess *s, const struct addrinfo *ai)
{
	char dev[64];
	int one = 1;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return err_set(ISCSI_ERR_TRANS, "socket: %s", strerror(errno));
	sess_bind_dev(s, dev, sizeof(dev));
	if (dev[0] != '\0' &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev) + 1) < 0) {
		close(fd);
		return err_set(ISCSI_ERR_TRANS, "cannot bind to network device %s: %s", dev,
		    strerror(errno));
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		return err_set(ISCSI_ERR_TRANS, "cannot make connection to %s: %s", s->addr,
		    strerror(e));
	}
	s->fd = fd;
	return ISCSI_OK;
}

/* Start a non-blocking connect to the record's portal. */
int
sess_connect(struct sess *s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *res;
	char port[16];
	int rc;

	snprintf(port, sizeof(port), "%d", s->port);
	if ((rc = getaddrinfo(s->addr, port, &hints, &res)) != 0) {
		hints.ai_flags = 0;	/* a host name: resolving may block briefly */
		if ((rc = getaddrinfo(s->addr, port, &hints, &res)) != 0)
			return err_set(ISCSI_ERR_TRANS, "cannot resolve %s: %s", s->addr,
			    gai_strerror(rc));
	}
	rc = sess_socket(s, res);
	freeaddrinfo(res);
	if (rc != ISCSI_OK)
		return rc;
	pdu_rx_init(&s->rx, ISCSI_DEFAULT_MRDSL);
	evloop_watch_init(&s->watch, s->fd, sess_io_cb, s);
	if (evloop_watch_add(sess_g.loop, &s->watch, EVLOOP_WRITE) < 0) {
		sess_close_sock(s);
		return err_set(ISCSI_ERR_INTERNAL, "cannot watch the socket: %s", strerror(errno));
	}
	return ISCSI_OK;
}

/* Queue @p for sending; the watch flushes it. */
int
sess_send_pdu(struct sess *s, struct pdu *p)
{
	static const struct pdu_digests none;
	uint8_t *buf;
	size_t len;
	int rc;

	if (s->kpdu)
		return sess_k_send_pdu(s, p);
	if ((rc = pdu_encode_alloc(p, &none, &buf, &len)) != ISCSI_OK)
		return rc;
	if (s->obuf != NULL) {		/* the engine sends one PDU per response */
		free(buf);
		return err_set(ISCSI_ERR_INTERNAL, "login PDU queued while another is unsent");
	}
	s->obuf = buf;
	s->olen = len;
	s->ooff = 0;
	evloop_watch_mod(&s->watch, EVLOOP_READ | EVLOOP_WRITE);
	return ISCSI_OK;
}

static void
sess_flush(struct sess *s)
{
	while (s->obuf != NULL) {
		ssize_t n = send(s->fd, s->obuf + s->ooff, s->olen - s->ooff, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			err_set(ISCSI_ERR_TRANS, "send to %s: %s", s->addr, strerror(errno));
			sess_post(s, SE_IO_ERR);
			return;
		}
		s->ooff += (size_t)n;
		if (s->ooff == s->olen) {
			free(s->obuf);
			s->obuf = NULL;
			evloop_watch_mod(&s->watch, EVLOOP_READ);
		}
	}
}

/* Read exactly what the current PDU still needs: bytes after the last
 * login response belong to the kernel once the socket is bound. */
static void
sess_read(struct sess *s)
{
	uint8_t buf[4096];

	for (;;) {
		size_t need = pdu_rx_need(&s->rx), used;
		ssize_t n = read(s->fd, buf, need < sizeof(buf) ? need : sizeof(buf));
		enum pdu_rx_status st;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			err_set(ISCSI_ERR_TRANS, "connection to %s closed%s%s", s->addr,
			    n < 0 ? ": " : " by the target", n < 0 ? strerror(errno) : "");
			sess_post(s, SE_IO_ERR);
			evloop_watch_del(&s->watch);
			return;
		}
		st = pdu_rx_feed(&s->rx, buf, (size_t)n, &used, &s->rxpdu);
		if (st == PDU_RX_ERROR) {
			err_set(ISCSI_ERR_TRANS, "bad PDU from %s", s->addr);
			sess_post(s, SE_IO_ERR);
			evloop_watch_del(&s->watch);
			return;
		}
		if (st == PDU_RX_PDU) {
			/* one PDU at a time: resume reading after it was handled */
			evloop_watch_mod(&s->watch, s->obuf != NULL ? EVLOOP_WRITE : 0);
			sess_post(s, SE_PDU);
			return;
		}
	}
}

static void
sess_io_cb(int fd, uint32_t events, void *arg)
{
	struct sess *s = arg;
	int e = 0;
	socklen_t el = sizeof(e);

	if (s->state == SS_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
			e = errno;
		if (e == EINPROGRESS)
			return;
		evloop_watch_mod(&s->watch, EVLOOP_READ);
		if (e != 0) {
			err_set(ISCSI_ERR_TRANS, "cannot make connection to %s: %s", s->addr,
			    strerror(e));
			evloop_watch_del(&s->watch);
			sess_post(s, SE_IO_ERR);
		} else {
			sess_post(s, SE_CONNECTED);
		}
		return;
	}
	if (events & EVLOOP_WRITE)
		sess_flush(s);
	if (events & (EVLOOP_READ | EVLOOP_HUP | EVLOOP_ERROR))
		sess_read(s);
}

/* ---------------------------------------------------------------- timers */

static void
sess_timer_cb(void *arg)
{
	struct sess *s = arg;

	sess_post(s, s->state == SS_REOPEN_WAIT ? SE_RETRY : SE_TIMEOUT);
}

void
sess_timer(struct sess *s, uint64_t ms)
{
	evloop_timer_add(sess_g.loop, &s->timer, ms);
}

/* ---------------------------------------------------------------- the table */

struct sess_trans {
	enum sess_state	 st;
	enum sess_event	 ev;
	enum sess_state	(*action)(struct sess *s, enum sess_event ev);
};

static const struct sess_trans sess_table[] = {
	{ SS_IDLE,		SE_START,	sess_a_connect },
	{ SS_CONNECTING,	SE_CONNECTED,	sess_a_login_start },
	{ SS_CONNECTING,	SE_IO_ERR,	sess_a_fail },
	{ SS_CONNECTING,	SE_TIMEOUT,	sess_a_fail },
	{ SS_CONNECTING,	SE_LOGOUT,	sess_a_logout },
	{ SS_LOGIN,		SE_PDU,		sess_a_login_pdu },
	{ SS_LOGIN,		SE_LOGIN_OK,	sess_a_ffp },
	{ SS_LOGIN,		SE_LOGIN_FAIL,	sess_a_fail },
	{ SS_LOGIN,		SE_IO_ERR,	sess_a_fail },
	{ SS_LOGIN,		SE_TIMEOUT,	sess_a_fail },
	{ SS_LOGIN,		SE_LOGOUT,	sess_a_logout },
	{ SS_LOGIN,		SE_KERN_ERR,	sess_a_fail },
	{ SS_LOGGED_IN,		SE_KERN_ERR,	sess_a_recover },
	{ SS_LOGGED_IN,		SE_LOGOUT,	sess_a_logout },
	{ SS_REOPEN_WAIT,	SE_RETRY,	sess_a_connect },
	{ SS_REOPEN_WAIT,	SE_LOGOUT,	sess_a_logout },
	{ SS_UNBINDING,		SE_UNBOUND,	sess_a_logout_pdu },
	{ SS_UNBINDING,		SE_TIMEOUT,	sess_a_logout_pdu },
	{ SS_LOGOUT_WAIT,	SE_PDU,		sess_a_logout_done },
	{ SS_LOGOUT_WAIT,	SE_TIMEOUT,	sess_a_logout_done },
	{ SS_LOGOUT_WAIT,	SE_KERN_ERR,	sess_a_logout_done },
};

static void
sess_dispatch(struct sess *s, enum sess_event ev)
{
	enum sess_state old = s->state;

	for (size_t i = 0; i < sizeof(sess_table) / sizeof(sess_table[0]); i++) {
		if (sess_table[i].st != s->state || sess_table[i].ev != ev)
			continue;
		s->state = sess_table[i].action(s, ev);
		log_debug(2, "session %u: %s --%s--> %s", s->sid, state_names[old],
		    sess_event_name(ev), state_names[s->state]);
		return;
	}
	log_debug(2, "session %u: %s ignored in %s", s->sid, sess_event_name(ev), state_names[old]);
	if (ev == SE_PDU)
		pdu_free(&s->rxpdu);
}

static void
sess_run(void *arg)
{
	struct sess *s = arg;

	while (s->nq > 0 && s->state != SS_DEAD) {
		enum sess_event ev = s->q[s->qhead];

		s->qhead = (s->qhead + 1) % SESS_QMAX;
		s->nq--;
		sess_dispatch(s, ev);
	}
	if (s->state == SS_DEAD)
		sess_free(s);
}

/* ---------------------------------------------------------------- objects */

struct sess *
sess_new(struct rec *rec)
{
	struct sess *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->rec = rec;
	s->fd = -1;
	s->state = SS_IDLE;
	evloop_defer_init(&s->defer, sess_run, s);
	evloop_timer_init(&s->timer, sess_timer_cb, s);
	snprintf(s->target, sizeof(s->target), "%s", rec_get(rec, "node.name"));
	snprintf(s->addr, sizeof(s->addr), "%s", rec_get(rec, "node.conn[0].address"));
	s->port = (int)rec_get_int(rec, "node.conn[0].port", 3260);
	s->tpgt = (int)rec_get_int(rec, "node.tpgt", -1);
	snprintf(s->iface, sizeof(s->iface), "%s", rec_get(rec, "iface.iscsi_ifacename"));
	if (s->iface[0] == '\0')
		snprintf(s->iface, sizeof(s->iface), "default");
	s->next = sess_g.list;
	sess_g.list = s;
	return s;
}

void
sess_free(struct sess *s)
{
	struct sess **pp;

	for (pp = &sess_g.list; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	sess_close_sock(s);
	evloop_timer_del(&s->timer);
	evloop_defer_cancel(&s->defer);
	pdu_free(&s->rxpdu);
	pdu_free(&s->lo.lo_pdu);
	if (s->lctx != NULL)
		login_free(s->lctx);
	if (s->call != NULL)
		ipc_call_finish(s->call, ISCSI_ERR_INTERNAL, "session freed before it finished");
	rec_free(s->rec);
	free(s);
}

struct sess *
sess_find(uint32_t sid)
{
	for (struct sess *s = sess_g.list; s != NULL; s = s->next)
		if (s->sid == sid && s->state != SS_DEAD)
			return s;
	return NULL;
}

void
sess_reply(struct sess *s, int err, const char *msg)
{
	if (s->call == NULL)
		return;
	ipc_call_finish(s->call, err, msg);
	s->call = NULL;
}

/* Hand the socket to the kernel: after BIND_CONN only the kernel reads it. */
void
sess_release_socket_to_kernel(struct sess *s)
{
	evloop_watch_del(&s->watch);
}

void
sess_drop_socket(struct sess *s)
{
	sess_close_sock(s);
}
