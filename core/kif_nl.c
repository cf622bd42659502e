// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NETLINK_ISCSI socket (libnl-3): open and join iscsid's group, send a
 * request and wait for its reply, queue the async events that arrive
 * meanwhile and deliver them later from the loop.  Message bytes are built
 * and checked by kif.c; this file only moves them.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "err.h"
#include "kif.h"
#include "log.h"

struct kif_queued {
	struct kif_queued	*next;
	size_t			 len;
	uint8_t			 buf[];
};

struct kif {
	struct nl_sock		*sk;
	kif_event_fn		 fn;
	void			*arg;
	struct kif_queued	*qhead, *qtail;
	void			(*wake)(void *arg);
	void			*wake_arg;
	uint32_t		 seq;
	uint8_t			 rx[KIF_MSG_MAX] __attribute__((aligned(8)));
};

int
kif_probe(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ISCSI);

	if (fd >= 0) {
		close(fd);
		return ISCSI_OK;
	}
	if (errno == EPROTONOSUPPORT)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND,
		    "can not create NETLINK_ISCSI socket [%s]: this kernel has no iSCSI support; "
		    "load the scsi_transport_iscsi and iscsi_tcp modules", strerror(errno));
	return err_set(ISCSI_ERR_TRANS, "can not create NETLINK_ISCSI socket [%s]", strerror(errno));
}

int
kif_open(struct kif **out, kif_event_fn fn, void *arg)
{
	struct kif *k;
	int rc = kif_probe(), nrc;

	if (rc != ISCSI_OK)
		return rc;
	k = calloc(1, sizeof(*k));
	if (k == NULL || (k->sk = nl_socket_alloc()) == NULL) {
		free(k);
		return err_set(ISCSI_ERR_NOMEM, "out of memory for the netlink socket");
	}
	k->fn = fn;
	k->arg = arg;
	nl_socket_disable_seq_check(k->sk);
	nl_socket_disable_auto_ack(k->sk);
	if ((nrc = nl_connect(k->sk, NETLINK_ISCSI)) < 0 ||
	    (nrc = nl_socket_add_membership(k->sk, KIF_NL_GRP_ISCSID)) < 0 ||
	    (nrc = nl_socket_set_nonblocking(k->sk)) < 0) {
		nl_socket_free(k->sk);
		free(k);
		return err_set(ISCSI_ERR_TRANS, "can not set up NETLINK_ISCSI: %s", nl_geterror(nrc));
	}
	(void)nl_socket_set_buffer_size(k->sk, 1 << 20, 1 << 20);
	*out = k;
	return ISCSI_OK;
}

void
kif_close(struct kif *k)
{
	if (k == NULL)
		return;
	while (k->qhead != NULL) {
		struct kif_queued *q = k->qhead;

		k->qhead = q->next;
		free(q);
	}
	nl_socket_free(k->sk);
	free(k);
}

void
kif_set_wakeup(struct kif *k, void (*fn)(void *arg), void *arg)
{
	k->wake = fn;
	k->wake_arg = arg;
}

int
kif_fd(const struct kif *k)
{
	return nl_socket_get_fd(k->sk);
}

static void
kif_queue(struct kif *k, const uint8_t *b, size_t len)
{
	struct kif_queued *q = malloc(sizeof(*q) + len);

	if (q == NULL) {
		log_warnx("out of memory: dropping a kernel event");
		return;
	}
	q->next = NULL;
	q->len = len;
	memcpy(q->buf, b, len);
	if (k->qtail != NULL)
		k->qtail->next = q;
	else
		k->qhead = q;
	k->qtail = q;
	if (k->wake != NULL)
		k->wake(k->wake_arg);
}

static void
kif_deliver(struct kif *k, const uint8_t *b, size_t len)
{
	struct kif_event ev;
	size_t used;

	if (kif_parse(b, len, &ev, &used) != ISCSI_OK) {
		log_warnx("ignoring a kernel message: %s", err_detail(ISCSI_ERR_INVAL) ?
		    err_detail(ISCSI_ERR_INVAL) : "malformed");
		return;
	}
	if (k->fn != NULL)
		k->fn(&ev, k->arg);
}

/* One datagram into k->rx; returns its length, 0 if none, -1 on error. */
static ssize_t
kif_recv(struct kif *k)
{
	ssize_t n;

	do
		n = recv(kif_fd(k), k->rx, sizeof(k->rx), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0 && errno == ENOBUFS) {
		log_warnx("NETLINK_ISCSI receive buffer overflowed: kernel events were lost");
		return 0;
	}
	return n;
}

int
kif_dispatch(struct kif *k)
{
	ssize_t n;

	while (k->qhead != NULL) {
		struct kif_queued *q = k->qhead;

		k->qhead = q->next;
		if (k->qhead == NULL)
			k->qtail = NULL;
		kif_deliver(k, q->buf, q->len);
		free(q);
	}
	while ((n = kif_recv(k)) > 0) {
		for (size_t off = 0, used; off < (size_t)n; off += used) {
			kif_deliver(k, k->rx + off, (size_t)n - off);
			used = NLMSG_ALIGN(((struct nlmsghdr *)(void *)(k->rx + off))->nlmsg_len);
			if (used == 0 || used > (size_t)n - off)
				break;
		}
	}
	return n < 0 ? err_set(ISCSI_ERR_TRANS, "NETLINK_ISCSI read: %s", strerror(errno)) : ISCSI_OK;
}

/* Is the message at @b the reply to @req?  Copies it to @rbuf if so. */
static bool
kif_take_reply(const uint8_t *b, size_t len, const struct kif_req *req,
    struct kif_event *reply, uint8_t *rbuf, size_t rcap, int *rc)
{
	struct kif_event ev;
	size_t used;

	*rc = kif_parse(b, len, &ev, &used);
	if (*rc == ISCSI_ERR_TRANS)
		return true;		/* NLMSG_ERROR: the answer to what we sent */
	/* a refused request is answered with type IF_ERROR and the errno */
	if (*rc != ISCSI_OK || (ev.type != req->type && ev.type != KIF_KEV_IF_ERROR))
		return false;
	if (used > rcap) {
		*rc = err_set(ISCSI_ERR_INVAL, "%s reply of %zu bytes exceeds the %zu-byte buffer",
		    kif_event_name(req->type), used, rcap);
		return true;
	}
	memcpy(rbuf, b, used);
	*rc = kif_parse(rbuf, used, reply, &used);
	return true;
}

int
kif_transact(struct kif *k, struct kif_req *req, struct kif_event *reply,
    uint8_t *rbuf, size_t rcap, int timeout_ms)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(void *)req->buf;
	struct pollfd p = { .fd = kif_fd(k), .events = POLLIN };
	int rc;

	nh->nlmsg_pid = nl_socket_get_local_port(k->sk);
	nh->nlmsg_seq = ++k->seq;
	if (nl_sendto(k->sk, req->buf, req->len) < 0)
		return err_set(ISCSI_ERR_TRANS, "can not send %s to the kernel: %s",
		    kif_event_name(req->type), strerror(errno));
	for (;;) {
		ssize_t n = kif_recv(k);

		if (n < 0)
			return err_set(ISCSI_ERR_TRANS, "NETLINK_ISCSI read: %s", strerror(errno));
		if (n == 0) {
			if (poll(&p, 1, timeout_ms) == 0)
				return err_set(ISCSI_ERR_TRANS_TIMEOUT, "the kernel did not answer %s",
				    kif_event_name(req->type));
			continue;
		}
		for (size_t off = 0, used; off < (size_t)n; off += used) {
			struct nlmsghdr *m = (struct nlmsghdr *)(void *)(k->rx + off);

			if (kif_take_reply(k->rx + off, (size_t)n - off, req, reply, rbuf, rcap, &rc))
				return rc;
			kif_queue(k, k->rx + off, (size_t)n - off < m->nlmsg_len ?
			    (size_t)n - off : m->nlmsg_len);
			used = NLMSG_ALIGN(m->nlmsg_len);
			if (used == 0 || used > (size_t)n - off)
				break;
		}
	}
}

int
kif_call(struct kif *k, struct kif_req *req, struct kif_event *reply, uint8_t *rbuf, size_t rcap)
{
	int rc = kif_transact(k, req, reply, rbuf, rcap, 10000), e;

	if (rc != ISCSI_OK)
		return rc;
	e = reply->iferror != 0 ? (int)reply->iferror : reply->retcode < 0 ? reply->retcode : 0;
	if (e == 0)
		return ISCSI_OK;
	return err_set(ISCSI_ERR_TRANS, "the kernel refused %s: %s", kif_event_name(req->type),
	    strerror(e < 0 ? -e : e));
}
