// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel endpoints for transports that connect in the kernel (iSER,
 * offload: ISCSI_TF_KERNEL_EP): EP_CONNECT, EP_POLL from a timer so the
 * loop never waits, CREATE_BOUND_SESSION and BIND_CONN with the endpoint,
 * EP_DISCONNECT.  The login then runs through the kernel (SEND_PDU).
 * Not here: userspace sockets (session.c).
 */
#include "config.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "err.h"
#include "log.h"
#include "rec.h"
#include "session_priv.h"

#define EP_POLL_MS	50

static uint8_t ep_qbuf[1024] __attribute__((aligned(8)));
static uint8_t ep_rbuf[4096] __attribute__((aligned(8)));

static int
ep_do(struct kif_req *r, struct kif_event *ev)
{
	int rc;

	if (sess_g.kif == NULL)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "iscsid runs without the kernel interface");
	rc = kif_transact(sess_g.kif, r, ev, ep_rbuf, sizeof(ep_rbuf), 10000);
	if (rc == ISCSI_OK && ev->iferror != 0)
		rc = err_set(ISCSI_ERR_TRANS, "the kernel refused %s: %s", kif_event_name(r->type),
		    strerror(-(int32_t)ev->iferror));
	return rc;
}

static void
ep_poll_cb(void *arg)
{
	struct sess *s = arg;
	struct kif_req r = { .buf = ep_qbuf, .cap = sizeof(ep_qbuf) };
	struct kif_event ev;
	int rc;

	if (s->state != SS_CONNECTING || s->ep == 0)
		return;
	if ((rc = kif_ep_poll(&r, s->th, s->ep, 1)) == ISCSI_OK)
		rc = ep_do(&r, &ev);
	if (rc == ISCSI_OK && ev.retcode > 0) {
		sess_post(s, SE_CONNECTED);
	} else if (rc == ISCSI_OK && ev.retcode == 0) {
		evloop_timer_add(sess_g.loop, &s->ptimer, EP_POLL_MS);
	} else {
		s->last_err = rc != ISCSI_OK ? rc : err_set(ISCSI_ERR_TRANS,
		    "cannot make connection to %s: %s", s->addr, strerror(-ev.retcode));
		sess_post(s, SE_IO_ERR);
	}
}

/* Ask the kernel to connect to the portal; polled until it is up. */
int
sess_ep_connect(struct sess *s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *res;
	struct kif_req r = { .buf = ep_qbuf, .cap = sizeof(ep_qbuf) };
	struct kif_event ev;
	char port[16];
	int rc;

	snprintf(port, sizeof(port), "%d", s->port);
	if ((rc = getaddrinfo(s->addr, port, &hints, &res)) != 0)
		return err_set(ISCSI_ERR_TRANS, "cannot use %s as a kernel endpoint address: %s",
		    s->addr, gai_strerror(rc));
	rc = kif_ep_connect(&r, s->th, res->ai_addr, res->ai_addrlen, true, -1);
	freeaddrinfo(res);
	if (rc != ISCSI_OK || (rc = ep_do(&r, &ev)) != ISCSI_OK)
		return rc;
	s->ep = ev.handle;
	evloop_timer_init(&s->ptimer, ep_poll_cb, s);
	evloop_timer_add(sess_g.loop, &s->ptimer, EP_POLL_MS);
	return ISCSI_OK;
}

void
sess_ep_disconnect(struct sess *s)
{
	struct kif_req r = { .buf = ep_qbuf, .cap = sizeof(ep_qbuf) };
	struct kif_event ev;

	evloop_timer_del(&s->ptimer);
	if (s->ep == 0)
		return;
	if (kif_ep_disconnect(&r, s->th, s->ep) != ISCSI_OK || ep_do(&r, &ev) != ISCSI_OK)
		err_clear();
	s->ep = 0;
}

/* CREATE_BOUND_SESSION + CREATE_CONN + BIND_CONN on the connected endpoint. */
int
sess_ep_create_bind(struct sess *s)
{
	struct kif_req r = { .buf = ep_qbuf, .cap = sizeof(ep_qbuf) };
	struct kif_event ev;
	long cmds = rec_get_int(s->rec, "node.session.cmds_max", 128);
	long qd = rec_get_int(s->rec, "node.session.queue_depth", 32);
	int rc;

	if (!s->kcreated) {
		if ((rc = kif_create_bound_session(&r, s->th, s->ep, 1, (uint16_t)cmds,
		    (uint16_t)qd)) != ISCSI_OK || (rc = ep_do(&r, &ev)) != ISCSI_OK)
			return rc;
		s->sid = ev.sid;
		s->host_no = ev.host_no;
		s->cid = 0;
		s->kcreated = true;
		if ((rc = kif_create_conn(&r, s->th, s->sid, s->cid)) != ISCSI_OK ||
		    (rc = ep_do(&r, &ev)) != ISCSI_OK)
			return rc;
	}
	if ((rc = kif_bind_conn(&r, s->th, s->sid, s->cid, s->ep, true)) != ISCSI_OK ||
	    (rc = ep_do(&r, &ev)) != ISCSI_OK)
		return rc;
	if (ev.retcode < 0)
		return err_set(ISCSI_ERR_TRANS, "the kernel refused BIND_CONN: %s", strerror(-ev.retcode));
	s->kpdu = true;
	return ISCSI_OK;
}
