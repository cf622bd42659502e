// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Blocking IPC client: one connection per request, poll() deadlines on
 * every wait so a stuck or foreign iscsid can never hang iscsiadm.  When
 * nobody listens it runs iscsid.conf's iscsid.startup once and retries, as
 * open-iscsi does (Debian: "/bin/systemctl start iscsid.socket").
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "evloop.h"
#include "ipc_client.h"
#include "log.h"
#include "paths.h"

/* Milliseconds left until @deadline (0 = none → -1 for poll). */
static int
ms_left(uint64_t deadline)
{
	uint64_t now;

	if (deadline == 0)
		return -1;
	now = evloop_now_ms();
	return now >= deadline ? 0 : (int)(deadline - now);
}

/* iscsid.startup from iscsid.conf. */
static bool
startup_command(char *cmd, size_t len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/iscsid.conf", paths_confdir());
	if (access(path, R_OK) != 0) {
		log_warnx("can't open iscsid.startup configuration file %s", path);
		return false;
	}
	return ipc_conf_lookup(path, "iscsid.startup", cmd, len) && cmd[0] != '\0';
}

/* Nobody listens: start iscsid the configured way, once per process. */
static bool
client_autostart(void)
{
	static bool tried;
	char cmd[1024];

	if (tried)
		return false;
	tried = true;
	if (!startup_command(cmd, sizeof(cmd)) || system(cmd) != 0) {
		log_warnx("iscsid is not running. Could not start it up automatically using the "
		    "startup command in the iscsid.conf iscsid.startup setting. Please check that "
		    "the file exists or that your init scripts have started iscsid.");
		return false;
	}
	return true;
}

static int
client_connect(uint64_t deadline, bool autostart)
{
	struct sockaddr_un sun;
	const char *name = ipc_socket_name();
	socklen_t len = (socklen_t)ipc_sockaddr(&sun, name);
	uint64_t started = 0;

	for (unsigned delay = 50; ; delay = delay < 400 ? delay * 2 : delay) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

		if (fd < 0)
			return -err_set(ISCSI_ERR_ISCSID_NOTCONN, "can not create IPC socket (%d)!", errno);
		if (connect(fd, (struct sockaddr *)&sun, len) == 0)
			return fd;
		e = errno;
		close(fd);
		if (e == ECONNREFUSED && autostart && client_autostart()) {
			started = evloop_now_ms();
			autostart = false;
		}
		/* give a freshly started iscsid a second to listen */
		if (e == ECONNREFUSED && started != 0 && evloop_now_ms() - started < 1000) {
			usleep(delay * 1000u);
			continue;
		}
		/* A full backlog is worth a retry; nobody listening is not. */
		if (e != EAGAIN || (deadline != 0 && ms_left(deadline) < (int)delay))
			return -err_set(ISCSI_ERR_ISCSID_NOTCONN,
			    "can not connect to iSCSI daemon (%d)!", e);
		usleep(delay * 1000u);
	}
}

static int
client_send_all(int fd, const uint8_t *b, size_t n, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return err_set(ISCSI_ERR_ISCSID_COMM_ERR, "got write error (%d) on cmd, daemon died?",
			    errno);
		if (poll(&p, 1, ms_left(deadline)) == 0)
			return err_set(ISCSI_ERR_REQ_TIMEDOUT, "timed out sending the request to iscsid");
	}
	return ISCSI_OK;
}

static int
client_recv_all(int fd, uint8_t *b, size_t n, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (n > 0) {
		int pr = poll(&p, 1, ms_left(deadline));
		ssize_t r;

		if (pr == 0)
			return err_set(ISCSI_ERR_REQ_TIMEDOUT, "iscsid did not reply in time");
		if (pr < 0 && errno == EINTR)
			continue;
		r = recv(fd, b, n, MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0)
			return err_set(ISCSI_ERR_ISCSID_COMM_ERR, "got read error (%d/%d), daemon died?",
			    (int)r, r < 0 ? errno : 0);
		b += r;
		n -= (size_t)r;
	}
	return ISCSI_OK;
}

static int
client_read_reply(int fd, const struct ipc_msg *req, struct ipc_msg *rsp, uint64_t deadline)
{
	uint8_t hdr[IPC_HDR_LEN], *buf;
	uint16_t version, type;
	uint32_t seq, paylen;
	int rc = client_recv_all(fd, hdr, sizeof(hdr), deadline);

	if (rc == ISCSI_OK)
		rc = ipc_hdr_parse(hdr, sizeof(hdr), &version, &type, &seq, &paylen);
	if (rc != ISCSI_OK)
		return rc == ISCSI_ERR_INVAL ? ISCSI_ERR_ISCSID_COMM_ERR : rc;
	buf = malloc(IPC_HDR_LEN + paylen);
	if (buf == NULL)
		return err_set(ISCSI_ERR_NOMEM, "out of memory for the iscsid reply");
	memcpy(buf, hdr, IPC_HDR_LEN);
	rc = client_recv_all(fd, buf + IPC_HDR_LEN, paylen, deadline);
	if (rc == ISCSI_OK)
		rc = ipc_msg_adopt(rsp, buf, IPC_HDR_LEN + paylen);
	if (rc != ISCSI_OK) {
		free(buf);
		return rc;
	}
	if (version != IPC_VERSION || type != (req->type | IPC_REPLY) || seq != req->seq) {
		char msg[512];
		int err = 0;

		if (ipc_reply_status(rsp, &err, msg, sizeof(msg)) != ISCSI_OK)
			msg[0] = '\0';
		ipc_msg_free(rsp);
		if (version != IPC_VERSION)
			return err_set(ISCSI_ERR_ISCSID_COMM_ERR,
			    "iscsid speaks IPC version %u, iscsiadm version %u%s%s", version,
			    IPC_VERSION, msg[0] ? ": " : "", msg);
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR,
		    "iscsid answered request %u/%u with %u/%u", req->type, req->seq, type, seq);
	}
	return ISCSI_OK;
}

int
ipc_client_call(const struct ipc_msg *req, struct ipc_msg *rsp, int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? 0 : evloop_now_ms() + (uint64_t)timeout_ms + 1;
	/* "-k 0" must not start the daemon it wants to stop */
	int fd = client_connect(deadline, req->type != IPC_IMMEDIATE_STOP), rc;

	memset(rsp, 0, sizeof(*rsp));
	if (fd < 0)
		return -fd;
	rc = client_send_all(fd, req->buf, req->len, deadline);
	if (rc == ISCSI_OK)
		rc = client_read_reply(fd, req, rsp, deadline);
	close(fd);
	return rc;
}

int
ipc_client_request(const struct ipc_msg *req, struct ipc_msg *rsp, int timeout_ms)
{
	char msg[1024];
	int err, rc = ipc_client_call(req, rsp, timeout_ms);

	if (rc != ISCSI_OK)
		return rc;
	rc = ipc_reply_status(rsp, &err, msg, sizeof(msg));
	if (rc == ISCSI_OK && err != ISCSI_OK)
		rc = msg[0] != '\0' ? err_set(err, "%s", msg) : err;
	if (rc != ISCSI_OK)
		ipc_msg_free(rsp);
	return rc;
}

/* Sequence numbers only need to differ between a client's requests. */
static uint32_t
next_seq(void)
{
	static uint32_t seq;

	if (seq == 0)
		seq = (uint32_t)getpid() << 8;
	return ++seq;
}

int
ipc_client_simple(uint16_t type, struct ipc_msg *rsp, int timeout_ms)
{
	struct ipc_msg req;
	int rc = ipc_msg_init(&req, type, next_seq());

	if (rc == ISCSI_OK)
		rc = ipc_client_request(&req, rsp, timeout_ms);
	ipc_msg_free(&req);
	return rc;
}

int
ipc_client_sid(uint16_t type, uint32_t sid, struct ipc_msg *rsp, int timeout_ms)
{
	struct ipc_msg req;
	int rc = ipc_msg_init(&req, type, next_seq());

	if (rc == ISCSI_OK)
		rc = ipc_put_u32(&req, IPC_F_SID, sid);
	if (rc == ISCSI_OK)
		rc = ipc_client_request(&req, rsp, timeout_ms);
	ipc_msg_free(&req);
	return rc;
}
