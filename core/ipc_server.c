// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsid's IPC server: accepts on the abstract socket (or systemd's),
 * reads each request without blocking into a per-client buffer under a
 * deadline, checks the peer with SO_PEERCRED, dispatches through a table
 * and writes exactly one reply.  Handlers live in iscsid.c and beyond.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "ipc.h"
#include "log.h"

#define IPC_BACKLOG		32
#define IPC_CLIENT_TIMEOUT_MS	5000u
#define IPC_FLUSH_MS		200

enum client_state { CL_READ, CL_DISPATCHED, CL_WRITE };

struct ipc_client {
	struct ipc_server	*srv;
	struct ipc_client	*next, *prev;
	int			 fd;
	uid_t			 uid;
	pid_t			 pid;
	enum client_state	 state;
	struct evloop_watch	 watch;
	struct evloop_timer	 deadline;
	uint8_t			 hdr[IPC_HDR_LEN];
	uint8_t			*in;		/* header + payload once the header is known */
	size_t			 got, need;
	uint8_t			*out;
	size_t			 outlen, outoff;
	struct ipc_call		*call;		/* while dispatched */
};

struct ipc_call {
	struct ipc_server	*srv;
	struct ipc_client	*cl;		/* NULL once the client has gone */
	struct ipc_call		*next, *prev;
	struct ipc_msg		 req;
	struct ipc_msg		 extra;		/* fields the handler adds to the reply */
};

struct ipc_server {
	struct evloop		*loop;
	int			 fd;
	struct evloop_watch	 watch;
	const struct ipc_handler *handlers;
	void			*arg;
	uid_t			 allowed_uid;
	unsigned		 timeout_ms;
	struct ipc_client	*clients;
	struct ipc_call		*calls;
	size_t			 nclients;
};

/* Doubly linked list helpers shared by clients and calls. */
#define LIST_LINK(head, e) do {						\
	(e)->prev = NULL; (e)->next = (head);				\
	if ((head) != NULL) (head)->prev = (e);				\
	(head) = (e);							\
} while (0)
#define LIST_UNLINK(head, e) do {					\
	if ((e)->prev != NULL) (e)->prev->next = (e)->next;		\
	else (head) = (e)->next;					\
	if ((e)->next != NULL) (e)->next->prev = (e)->prev;		\
} while (0)

static void
client_close(struct ipc_client *cl)
{
	struct ipc_server *srv = cl->srv;

	if (cl->call != NULL)
		cl->call->cl = NULL;	/* a pending reply will be dropped */
	evloop_watch_del(&cl->watch);
	evloop_timer_del(&cl->deadline);
	close(cl->fd);
	LIST_UNLINK(srv->clients, cl);
	srv->nclients--;
	free(cl->in);
	free(cl->out);
	free(cl);
}

static void
client_timeout_cb(void *arg)
{
	struct ipc_client *cl = arg;

	log_warnx("IPC client pid %d uid %u timed out %s; dropping it", (int)cl->pid,
	    (unsigned)cl->uid, cl->state == CL_READ ? "sending its request" : "reading the reply");
	client_close(cl);
}

static void
client_write_cb(int fd, uint32_t events, void *arg)
{
	struct ipc_client *cl = arg;

	while (cl->outoff < cl->outlen) {
		ssize_t n = send(fd, cl->out + cl->outoff, cl->outlen - cl->outoff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !(events & EVLOOP_ERROR))
			return;
		if (n <= 0) {
			log_debug(2, "IPC client pid %d went away before its reply", (int)cl->pid);
			break;
		}
		cl->outoff += (size_t)n;
	}
	client_close(cl);
}

/* Queue @m (consumed) as the only reply of @cl and start writing it. */
static void
client_send(struct ipc_client *cl, struct ipc_msg *m)
{
	cl->call = NULL;
	cl->state = CL_WRITE;
	cl->out = m->buf;
	cl->outlen = m->len;
	cl->outoff = 0;
	m->buf = NULL;
	evloop_watch_del(&cl->watch);
	evloop_watch_init(&cl->watch, cl->fd, client_write_cb, cl);
	if (evloop_watch_add(cl->srv->loop, &cl->watch, EVLOOP_WRITE) < 0) {
		client_close(cl);
		return;
	}
	evloop_timer_add(cl->srv->loop, &cl->deadline, cl->srv->timeout_ms);
	client_write_cb(cl->fd, 0, cl);
}

static void
call_free(struct ipc_call *c)
{
	LIST_UNLINK(c->srv->calls, c);
	ipc_msg_free(&c->req);
	ipc_msg_free(&c->extra);
	free(c);
}

struct ipc_msg *
ipc_call_reply_msg(struct ipc_call *c)
{
	return &c->extra;
}

void
ipc_call_finish(struct ipc_call *c, int err, const char *msg)
{
	struct ipc_msg rsp;
	struct ipc_field f;
	size_t off = 0;
	int rc;

	if (msg == NULL)
		msg = err_detail(err);
	if (msg == NULL)
		msg = err == ISCSI_OK ? "" : iscsi_strerror(err);
	if (c->cl == NULL) {
		log_debug(2, "dropping the %s reply: its client has gone", ipc_type_name(c->req.type));
		call_free(c);
		return;
	}
	rc = ipc_reply_init(&rsp, &c->req, err, msg);
	while (rc == ISCSI_OK && c->extra.buf != NULL && ipc_next(&c->extra, &off, &f) == 1)
		rc = ipc_put(&rsp, f.tag, f.val, f.len);
	if (rc == ISCSI_OK)
		client_send(c->cl, &rsp);
	else
		client_close(c->cl);	/* out of memory: closing is the one answer left */
	ipc_msg_free(&rsp);
	call_free(c);
}

static int
handler_find(const struct ipc_server *srv, uint16_t type, ipc_handler_fn *fn)
{
	for (const struct ipc_handler *h = srv->handlers; h->fn != NULL; h++)
		if (h->type == type) {
			*fn = h->fn;
			return ISCSI_OK;
		}
	return err_set(ISCSI_ERR_INVALID_MGMT_REQ, "iscsid has no handler for request type %u (%s)",
	    type, ipc_type_name(type));
}

/* Why a complete request is refused before any handler sees it, or 0. */
static int
client_check(const struct ipc_client *cl, const struct ipc_msg *req)
{
	const struct ipc_server *srv = cl->srv;
	struct ipc_field f;
	size_t off = 0;
	int rc;

	if (req->version != IPC_VERSION)
		return err_set(ISCSI_ERR_INVALID_MGMT_REQ,
		    "iscsid speaks IPC version %u but the client sent version %u; "
		    "iscsiadm and iscsid must come from the same build",
		    IPC_VERSION, req->version);
	if (cl->uid != srv->allowed_uid) {
		log_warnx("Unauthorized user with UID=%u", (unsigned)cl->uid);
		return err_set(ISCSI_ERR_ACCESS, "iscsid accepts requests from uid %u only, not %u",
		    (unsigned)srv->allowed_uid, (unsigned)cl->uid);
	}
	while ((rc = ipc_next(req, &off, &f)) == 1)
		;
	if (rc < 0)
		return err_set(ISCSI_ERR_INVALID_MGMT_REQ, "malformed %s request: %s",
		    ipc_type_name(req->type), err_detail(-rc));
	return ISCSI_OK;
}

/*
 * A request is complete (or refused early with @preset != 0, @type and
 * @seq from its header): check, dispatch, and make sure it is answered.
 */
static void
client_dispatch(struct ipc_client *cl, int preset, uint16_t type, uint32_t seq)
{
	struct ipc_server *srv = cl->srv;
	struct ipc_call *c = calloc(1, sizeof(*c));
	ipc_handler_fn fn = NULL;
	int rc = preset;

	if (c == NULL) {
		client_close(cl);
		return;
	}
	c->srv = srv;
	c->cl = cl;
	LIST_LINK(srv->calls, c);
	cl->call = c;
	cl->state = CL_DISPATCHED;
	/* Not watched while dispatched: a client that half-closes after its
	 * request still gets the reply; one that went away fails the write. */
	evloop_timer_del(&cl->deadline);
	evloop_watch_del(&cl->watch);

	if (rc == ISCSI_OK) {
		rc = ipc_msg_adopt(&c->req, cl->in, cl->got);
		if (rc == ISCSI_OK)
			cl->in = NULL;
	}
	if (c->req.buf == NULL && ipc_msg_init(&c->req, type, seq) != ISCSI_OK) {
		call_free(c);
		client_close(cl);
		return;
	}
	if (rc == ISCSI_OK && ipc_msg_init(&c->extra, 0, 0) != ISCSI_OK)
		rc = ISCSI_ERR_NOMEM;
	if (rc == ISCSI_OK)
		rc = client_check(cl, &c->req);
	if (rc == ISCSI_OK && (rc = handler_find(srv, c->req.type, &fn)) == ISCSI_OK) {
		log_debug(3, "IPC %s from pid %d", ipc_type_name(c->req.type), (int)cl->pid);
		err_clear();
		rc = fn(c, &c->req, srv->arg);
	}
	if (rc != IPC_PENDING)
		ipc_call_finish(c, rc, NULL);
}

/* Read what is there; never wait for the rest. */
static void
client_read_cb(int fd, uint32_t events, void *arg)
{
	struct ipc_client *cl = arg;
	uint16_t version, type;
	uint32_t seq, paylen;
	uint8_t *dst;
	ssize_t n;
	int rc;

	for (;;) {
		size_t want = cl->in == NULL ? IPC_HDR_LEN - cl->got : cl->need - cl->got;

		dst = cl->in == NULL ? cl->hdr + cl->got : cl->in + cl->got;
		n = want > 0 ? recv(fd, dst, want, MSG_DONTWAIT) : 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0 && want > 0) {
			log_debug(2, "IPC client pid %d closed after %zu bytes", (int)cl->pid, cl->got);
			client_close(cl);
			return;
		}
		cl->got += (size_t)n;
		if (cl->in == NULL && cl->got == IPC_HDR_LEN) {
			rc = ipc_hdr_parse(cl->hdr, IPC_HDR_LEN, &version, &type, &seq, &paylen);
			if (rc == ISCSI_ERR_ISCSID_COMM_ERR) {
				log_warnx("IPC client pid %d: %s", (int)cl->pid, err_detail(rc));
				client_close(cl);	/* not our protocol: nothing to answer */
				return;
			}
			if (rc != ISCSI_OK) {
				client_dispatch(cl, rc, type, seq);
				return;
			}
			cl->need = IPC_HDR_LEN + paylen;
			cl->in = malloc(cl->need);
			if (cl->in == NULL) {
				client_dispatch(cl, ISCSI_ERR_NOMEM, type, seq);
				return;
			}
			memcpy(cl->in, cl->hdr, IPC_HDR_LEN);
		}
		if (cl->in != NULL && cl->got == cl->need) {
			client_dispatch(cl, ISCSI_OK, 0, 0);
			return;
		}
	}
	(void)events;
}

int
ipc_server_add_client(struct ipc_server *srv, int cfd)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct ipc_client *cl = calloc(1, sizeof(*cl));

	if (cl == NULL || getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
		free(cl);
		return err_set(ISCSI_ERR_INTERNAL, "cannot take an IPC client: %s", strerror(errno));
	}
	cl->srv = srv;
	cl->fd = cfd;
	cl->uid = cred.uid;
	cl->pid = cred.pid;
	evloop_watch_init(&cl->watch, cfd, client_read_cb, cl);
	evloop_timer_init(&cl->deadline, client_timeout_cb, cl);
	if (evloop_watch_add(srv->loop, &cl->watch, EVLOOP_READ) < 0 ||
	    evloop_timer_add(srv->loop, &cl->deadline, srv->timeout_ms) < 0) {
		evloop_watch_del(&cl->watch);
		free(cl);
		return err_set(ISCSI_ERR_INTERNAL, "cannot watch an IPC client: %s", strerror(errno));
	}
	LIST_LINK(srv->clients, cl);
	srv->nclients++;
	return ISCSI_OK;
}

static void
server_accept_cb(int fd, uint32_t events, void *arg)
{
	struct ipc_server *srv = arg;
	int cfd;

	(void)events;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		if (ipc_server_add_client(srv, cfd) != ISCSI_OK) {
			log_warnx("IPC: %s", err_detail(ISCSI_ERR_INTERNAL));
			close(cfd);
		}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		log_warn("IPC accept");
}

static int
server_listen(const char *name, int *out)
{
	struct sockaddr_un sun;
	socklen_t len = (socklen_t)ipc_sockaddr(&sun, name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return err_set(ISCSI_ERR_INTERNAL, "cannot create the IPC socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sun, len) < 0 || listen(fd, IPC_BACKLOG) < 0) {
		int e = errno;

		close(fd);
		if (e == EADDRINUSE)
			return err_set(ISCSI_ERR_BUSY,
			    "the IPC socket @%s is in use: is another iscsid running?", name);
		return err_set(ISCSI_ERR_INTERNAL, "cannot listen on @%s: %s", name, strerror(e));
	}
	*out = fd;
	return ISCSI_OK;
}

struct ipc_server *
ipc_server_new(struct evloop *loop, int fd, const struct ipc_handler *handlers, void *arg)
{
	struct ipc_server *srv;

	if (fd < 0) {
		if (server_listen(ipc_socket_name(), &fd) != ISCSI_OK)
			return NULL;
	} else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		err_set(ISCSI_ERR_INTERNAL, "cannot use the inherited IPC socket %d: %s", fd,
		    strerror(errno));
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL) {
		close(fd);
		err_set(ISCSI_ERR_NOMEM, "out of memory for the IPC server");
		return NULL;
	}
	srv->loop = loop;
	srv->fd = fd;
	srv->handlers = handlers;
	srv->arg = arg;
	srv->timeout_ms = IPC_CLIENT_TIMEOUT_MS;
	evloop_watch_init(&srv->watch, fd, server_accept_cb, srv);
	if (evloop_watch_add(loop, &srv->watch, EVLOOP_READ) < 0) {
		err_set(ISCSI_ERR_INTERNAL, "cannot watch the IPC socket: %s", strerror(errno));
		close(fd);
		free(srv);
		return NULL;
	}
	return srv;
}

/* Give a reply that is still being written a short chance to leave. */
static void
client_flush(struct ipc_client *cl)
{
	struct pollfd p = { .fd = cl->fd, .events = POLLOUT };

	while (cl->outoff < cl->outlen && poll(&p, 1, IPC_FLUSH_MS) == 1) {
		ssize_t n = send(cl->fd, cl->out + cl->outoff, cl->outlen - cl->outoff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n <= 0)
			break;
		cl->outoff += (size_t)n;
	}
}

void
ipc_server_free(struct ipc_server *srv)
{
	if (srv == NULL)
		return;
	evloop_watch_del(&srv->watch);
	close(srv->fd);
	while (srv->calls != NULL)
		ipc_call_finish(srv->calls, ISCSI_ERR,
		    "iscsid is stopping; the request was not completed");
	while (srv->clients != NULL) {
		if (srv->clients->state == CL_WRITE)
			client_flush(srv->clients);
		client_close(srv->clients);
	}
	free(srv);
}

void
ipc_server_allow_uid(struct ipc_server *srv, unsigned uid)
{
	srv->allowed_uid = (uid_t)uid;
}

void
ipc_server_set_timeout(struct ipc_server *srv, unsigned ms)
{
	srv->timeout_ms = ms;
}

size_t
ipc_server_nclients(const struct ipc_server *srv)
{
	return srv->nclients;
}
