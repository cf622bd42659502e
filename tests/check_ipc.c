// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPC: codec round trips and hostile input, then a server in a child
 * process on a private abstract name: version mismatch, oversized and
 * truncated requests, a slow client, uid refusal, timeouts, one reply each.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_util.h"
#include "err.h"
#include "evloop.h"
#include "ipc.h"
#include "ipc_client.h"

/* ---------------------------------------------------------------- codec */

START_TEST(test_ipc_roundtrip)
{
	struct ipc_msg m, r;
	struct ipc_field f;
	char buf[64], name[64];
	uint32_t v;
	uint64_t v64;
	size_t off = 0;
	uint8_t *copy;

	ck_assert_int_eq(ipc_msg_init(&m, IPC_CONFIG_FILE, 77), 0);
	ck_assert_int_eq(ipc_put_u32(&m, IPC_F_SID, 0xdeadbeef), 0);
	ck_assert_int_eq(ipc_put_str(&m, IPC_F_VALUE, "/etc/iscsi/iscsid.conf"), 0);
	ck_assert_int_eq(ipc_put_stat(&m, IPC_F_STAT, "txdata_octets", 1ull << 40), 0);
	copy = malloc(m.len);
	memcpy(copy, m.buf, m.len);
	ck_assert_int_eq(ipc_msg_adopt(&r, copy, m.len), 0);
	ck_assert_uint_eq(r.type, IPC_CONFIG_FILE);
	ck_assert_uint_eq(r.seq, 77);
	ck_assert_uint_eq(r.version, IPC_VERSION);
	ck_assert_int_eq(ipc_get_u32(&r, IPC_F_SID, &v), 0);
	ck_assert_uint_eq(v, 0xdeadbeef);
	ck_assert_int_eq(ipc_get_str(&r, IPC_F_VALUE, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/etc/iscsi/iscsid.conf");
	ck_assert_int_eq(ipc_get_str(&r, IPC_F_VALUE, buf, 5), ISCSI_ERR_ISCSID_COMM_ERR);
	ck_assert_int_eq(ipc_get_u32(&r, IPC_F_VALUE, &v), ISCSI_ERR_ISCSID_COMM_ERR);
	ck_assert_int_eq(ipc_get_u32(&r, IPC_F_CID, &v), ISCSI_ERR_NO_OBJS_FOUND);
	while (ipc_next(&r, &off, &f) == 1 && f.tag != IPC_F_STAT)
		;
	ck_assert_int_eq(ipc_field_stat(&f, name, sizeof(name), &v64), 0);
	ck_assert_str_eq(name, "txdata_octets");
	ck_assert_uint_eq(v64, 1ull << 40);
	ck_assert_str_eq(ipc_type_name(IPC_SESSION_INFO | IPC_REPLY), "SESSION_INFO");
	ck_assert_str_eq(ipc_type_name(999), "unknown");
	ipc_msg_free(&m);
	ipc_msg_free(&r);
}
END_TEST

/* Hostile wire bytes: header then payload, and the verdict of adopt/next. */
static const struct {
	const char	*what;
	uint8_t		 bytes[32];
	size_t		 len;
	int		 adopt_rc;
	int		 next_rc;	/* first ipc_next() result when adopted */
} hostile[] = {
	{ "short header", { 0x69, 0x53, 0x43 }, 3, ISCSI_ERR_ISCSID_COMM_ERR, 0 },
	{ "bad magic", { 'H', 'T', 'T', 'P', 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1 }, 16,
	  ISCSI_ERR_ISCSID_COMM_ERR, 0 },
	{ "huge length", { 0x69, 0x53, 0x43, 0x6b, 0, 1, 0, 8, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1 },
	  16, ISCSI_ERR_INVAL, 0 },
	{ "length mismatch", { 0x69, 0x53, 0x43, 0x6b, 0, 1, 0, 8, 0, 0, 0, 9, 0, 0, 0, 1 }, 16,
	  ISCSI_ERR_ISCSID_COMM_ERR, 0 },
	{ "field overruns", { 0x69, 0x53, 0x43, 0x6b, 0, 1, 0, 8, 0, 0, 0, 6, 0, 0, 0, 1,
	  0, 5, 0, 200, 'a', 'b' }, 22, ISCSI_OK, -ISCSI_ERR_ISCSID_COMM_ERR },
	{ "half a field header", { 0x69, 0x53, 0x43, 0x6b, 0, 1, 0, 8, 0, 0, 0, 2, 0, 0, 0, 1,
	  0, 5 }, 18, ISCSI_OK, -ISCSI_ERR_ISCSID_COMM_ERR },
	{ "empty field", { 0x69, 0x53, 0x43, 0x6b, 0, 1, 0, 8, 0, 0, 0, 4, 0, 0, 0, 1,
	  0, 5, 0, 0 }, 20, ISCSI_OK, 1 },
};

START_TEST(test_ipc_hostile_bytes)
{
	uint8_t *b = malloc(32);
	struct ipc_msg m;
	struct ipc_field f;
	size_t off = 0;
	int rc;

	memcpy(b, hostile[_i].bytes, hostile[_i].len);
	rc = ipc_msg_adopt(&m, b, hostile[_i].len);
	ck_assert_msg(rc == hostile[_i].adopt_rc, "%s: adopt %d", hostile[_i].what, rc);
	if (rc != ISCSI_OK) {
		free(b);
		return;
	}
	ck_assert_int_eq(ipc_next(&m, &off, &f), hostile[_i].next_rc);
	ipc_msg_free(&m);
}
END_TEST

START_TEST(test_ipc_conf_lookup)
{
	char path[] = "/tmp/iscsikit-check-conf-XXXXXX", val[64];
	int fd = mkstemp(path);
	static const char text[] =
	    "# iscsid.startup = commented\n"
	    "iscsid.startupx = other key\n"
	    "  iscsid.startup =  first  \n"
	    "iscsid.startup=/bin/systemctl start iscsid.socket\n"
	    "InitiatorName=iqn.2024-01.test:a-name-much-longer-than-the-sixty-four-byte-buffer\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	ck_assert(!ipc_conf_lookup(path, "iscsid.startup", val, 16));	/* last one does not fit */
	ck_assert(ipc_conf_lookup(path, "iscsid.startup", val, sizeof(val)));
	ck_assert_str_eq(val, "/bin/systemctl start iscsid.socket");
	ck_assert(!ipc_conf_lookup(path, "InitiatorName", val, sizeof(val)));
	ck_assert(!ipc_conf_lookup(path, "node.startup", val, sizeof(val)));
	ck_assert(!ipc_conf_lookup("/nonexistent/iscsid.conf", "iscsid.startup", val, sizeof(val)));
	unlink(path);
}
END_TEST

START_TEST(test_ipc_put_limits)
{
	struct ipc_msg m;
	static char big[70000];

	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(ipc_msg_init(&m, 1, 1), 0);
	ck_assert_int_eq(ipc_put_str(&m, IPC_F_VALUE, big), ISCSI_ERR_INVAL);
	big[60000] = '\0';
	ck_assert_int_eq(ipc_put_str(&m, IPC_F_VALUE, big), ISCSI_OK);
	ck_assert_int_eq(ipc_put_str(&m, IPC_F_VALUE, big), ISCSI_ERR_INVAL);
	ipc_msg_free(&m);
}
END_TEST

/* ---------------------------------------------------------------- server side */

struct srv_ctx {
	struct evloop		*loop;
	struct evloop_timer	 late;
	struct ipc_call		*pending;
};

static int
h_config_file(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	(void)req;
	(void)arg;
	return ipc_put_str(ipc_call_reply_msg(c), IPC_F_VALUE, "/tmp/test/iscsid.conf");
}

static int
h_stop(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct srv_ctx *ctx = arg;

	(void)c;
	(void)req;
	evloop_break(ctx->loop);
	return ISCSI_OK;
}

static void
late_cb(void *arg)
{
	struct srv_ctx *ctx = arg;

	ipc_put_u32(ipc_call_reply_msg(ctx->pending), IPC_F_SID, 5);
	ipc_call_finish(ctx->pending, ISCSI_OK, NULL);
	ctx->pending = NULL;
}

/* Answers 300 ms later, from a timer: an asynchronous reply. */
static int
h_login(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct srv_ctx *ctx = arg;

	(void)req;
	if (ctx->pending != NULL)
		return err_set(ISCSI_ERR_BUSY, "one login at a time in this test");
	ctx->pending = c;
	evloop_timer_add(ctx->loop, &ctx->late, 300);
	return IPC_PENDING;
}

static int
h_logout(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	(void)c;
	(void)req;
	(void)arg;
	return err_set(ISCSI_ERR_OP_NOT_SUPP, "logout is not supported yet");
}

static const struct ipc_handler test_handlers[] = {
	{ IPC_CONFIG_FILE, h_config_file },
	{ IPC_IMMEDIATE_STOP, h_stop },
	{ IPC_SESSION_LOGIN, h_login },
	{ IPC_SESSION_LOGOUT, h_logout },
	{ 0, NULL },
};

static pid_t server_pid;

static void
set_private_name(void)
{
	char name[64];

	snprintf(name, sizeof(name), "iscsikit-check-ipc-%d", (int)getpid());
	setenv("ISCSI_IPC_NAME", name, 1);
}

/* Fork a server on the private name; returns when it listens. */
static void
server_start(void)
{
	int ready[2];
	char c;

	set_private_name();
	ck_assert_int_eq(pipe(ready), 0);
	server_pid = fork();
	ck_assert_int_ge(server_pid, 0);
	if (server_pid == 0) {
		struct srv_ctx ctx = { .loop = evloop_new() };
		struct ipc_server *srv;

		evloop_timer_init(&ctx.late, late_cb, &ctx);
		srv = ipc_server_new(ctx.loop, -1, test_handlers, &ctx);
		if (srv == NULL)
			_exit(2);
		ipc_server_set_timeout(srv, 1500);
		(void)!write(ready[1], "r", 1);
		evloop_run(ctx.loop);
		ipc_server_free(srv);
		evloop_free(ctx.loop);
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
}

static void
server_stop(void)
{
	struct ipc_msg rsp;
	int status;

	ck_assert_int_eq(ipc_client_simple(IPC_IMMEDIATE_STOP, &rsp, 1000), ISCSI_OK);
	ipc_msg_free(&rsp);
	ck_assert_int_eq(waitpid(server_pid, &status, 0), server_pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int
raw_connect(void)
{
	struct sockaddr_un sun;
	socklen_t len = (socklen_t)ipc_sockaddr(&sun, ipc_socket_name());
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, len), 0);
	return fd;
}

/* Read one whole reply from @fd and check nothing follows it. */
static void
raw_read_reply(int fd, struct ipc_msg *rsp)
{
	static uint8_t buf[IPC_HDR_LEN + IPC_MAX_PAYLOAD];
	size_t got = 0;
	ssize_t n;
	uint8_t *copy;

	while ((n = read(fd, buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	ck_assert_uint_ge(got, IPC_HDR_LEN);
	copy = malloc(got);
	memcpy(copy, buf, got);
	/* adopt checks that the bytes are exactly one message: no second reply */
	ck_assert_int_eq(ipc_msg_adopt(rsp, copy, got), ISCSI_OK);
}

START_TEST(test_ipc_server_requests)
{
	struct ipc_msg rsp;
	char val[128];

	server_start();
	ck_assert_int_eq(ipc_client_simple(IPC_CONFIG_FILE, &rsp, 1000), ISCSI_OK);
	ck_assert_int_eq(ipc_get_str(&rsp, IPC_F_VALUE, val, sizeof(val)), 0);
	ck_assert_str_eq(val, "/tmp/test/iscsid.conf");
	ipc_msg_free(&rsp);
	ck_assert_int_eq(ipc_client_sid(IPC_SESSION_LOGOUT, 1, &rsp, 1000), ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_str_eq(err_detail(ISCSI_ERR_OP_NOT_SUPP), "logout is not supported yet");
	ck_assert_int_eq(ipc_client_simple(99, &rsp, 1000), ISCSI_ERR_INVALID_MGMT_REQ);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_INVALID_MGMT_REQ), "type 99"));
	/* asynchronous reply, then one that outlives the client's patience */
	ck_assert_int_eq(ipc_client_simple(IPC_SESSION_LOGIN, &rsp, 2000), ISCSI_OK);
	ipc_msg_free(&rsp);
	ck_assert_int_eq(ipc_client_simple(IPC_SESSION_LOGIN, &rsp, 100), ISCSI_ERR_REQ_TIMEDOUT);
	usleep(400 * 1000);	/* the late reply finds its client gone */
	ck_assert_int_eq(ipc_client_simple(IPC_CONFIG_FILE, &rsp, 1000), ISCSI_OK);
	ipc_msg_free(&rsp);
	server_stop();
	ck_assert_int_eq(ipc_client_simple(IPC_CONFIG_FILE, &rsp, 1000), ISCSI_ERR_ISCSID_NOTCONN);
}
END_TEST

START_TEST(test_ipc_version_mismatch)
{
	struct ipc_msg req, rsp;
	char msg[256];
	int err, fd;

	server_start();
	ipc_msg_init(&req, IPC_CONFIG_FILE, 3);
	req.version = IPC_VERSION + 1;
	req.buf[5] = (uint8_t)(IPC_VERSION + 1);	/* as a newer client would send */
	fd = raw_connect();
	ck_assert_int_eq(write(fd, req.buf, req.len), (ssize_t)req.len);
	raw_read_reply(fd, &rsp);
	close(fd);
	ck_assert_uint_eq(rsp.version, IPC_VERSION);
	ck_assert_int_eq(ipc_reply_status(&rsp, &err, msg, sizeof(msg)), 0);
	ck_assert_int_eq(err, ISCSI_ERR_INVALID_MGMT_REQ);
	ck_assert_ptr_nonnull(strstr(msg, "version 1 but the client sent version 2"));
	ipc_msg_free(&rsp);
	ipc_msg_free(&req);
	server_stop();
}
END_TEST

START_TEST(test_ipc_oversized_and_truncated)
{
	static const uint8_t huge[IPC_HDR_LEN] = { 0x69, 0x53, 0x43, 0x6b, 0, IPC_VERSION, 0,
	    IPC_CONFIG_FILE, 0, 0x10, 0, 0, 0, 0, 0, 9 };
	struct ipc_msg rsp;
	int err, fd;

	server_start();
	fd = raw_connect();
	ck_assert_int_eq(write(fd, huge, sizeof(huge)), (ssize_t)sizeof(huge));
	raw_read_reply(fd, &rsp);
	close(fd);
	ck_assert_int_eq(ipc_reply_status(&rsp, &err, NULL, 0), 0);
	ck_assert_int_eq(err, ISCSI_ERR_INVAL);
	ck_assert_uint_eq(rsp.seq, 9);
	ipc_msg_free(&rsp);
	/* a field that runs past the message: refused, not misread */
	{
		static const uint8_t bad[] = { 0x69, 0x53, 0x43, 0x6b, 0, IPC_VERSION, 0,
		    IPC_CONFIG_FILE, 0, 0, 0, 6, 0, 0, 0, 4, 0, 3, 0, 9, 1, 2 };
		char msg[256];

		fd = raw_connect();
		ck_assert_int_eq(write(fd, bad, sizeof(bad)), (ssize_t)sizeof(bad));
		raw_read_reply(fd, &rsp);
		close(fd);
		ck_assert_int_eq(ipc_reply_status(&rsp, &err, msg, sizeof(msg)), 0);
		ck_assert_int_eq(err, ISCSI_ERR_INVALID_MGMT_REQ);
		ck_assert_ptr_nonnull(strstr(msg, "malformed CONFIG_FILE request"));
		ipc_msg_free(&rsp);
	}
	/* half a header, then hang up: the server shrugs */
	fd = raw_connect();
	ck_assert_int_eq(write(fd, huge, 7), 7);
	close(fd);
	/* not our protocol at all: closed without an answer */
	fd = raw_connect();
	ck_assert_int_eq(write(fd, "GET / HTTP/1.0\r\n\r\n", 18), 18);
	ck_assert_int_le(read(fd, &err, sizeof(err)), 0);	/* EOF or reset */
	close(fd);
	server_stop();
}
END_TEST

START_TEST(test_ipc_slow_client_does_not_block)
{
	struct ipc_msg rsp;
	uint64_t t0;
	struct pollfd p;
	int fd;
	char c;

	server_start();
	fd = raw_connect();
	ck_assert_int_eq(write(fd, "iSC", 3), 3);
	t0 = evloop_now_ms();
	ck_assert_int_eq(ipc_client_simple(IPC_CONFIG_FILE, &rsp, 1000), ISCSI_OK);
	ipc_msg_free(&rsp);
	ck_assert_uint_lt(evloop_now_ms() - t0, 1000);	/* not after the 1.5 s deadline */
	/* the slow one is dropped at its deadline, without a reply */
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ck_assert_int_eq(poll(&p, 1, 4000), 1);
	ck_assert_int_eq(read(fd, &c, 1), 0);
	ck_assert_uint_ge(evloop_now_ms() - t0, 1000);
	ck_assert_uint_lt(evloop_now_ms() - t0, 4000);
	close(fd);
	server_stop();
}
END_TEST

START_TEST(test_ipc_refuses_other_uid)
{
	struct ipc_msg rsp;
	pid_t pid;
	int status;

	if (getuid() != 0)
		return;		/* needs root to become another user */
	server_start();
	pid = fork();
	if (pid == 0) {
		int rc;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(100);
		rc = ipc_client_simple(IPC_CONFIG_FILE, &rsp, 1000);
		_exit(rc);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), ISCSI_ERR_ACCESS);
	server_stop();
}
END_TEST

/* 200 clients connected at once, each answered exactly once, in any order. */
START_TEST(test_ipc_many_clients)
{
	enum { N = 200 };
	static int fds[N];
	struct ipc_msg req, rsp;
	char val[64];

	server_start();
	for (int i = 0; i < N; i++) {
		ipc_msg_init(&req, IPC_CONFIG_FILE, (uint32_t)i);
		fds[i] = raw_connect();
		ck_assert_int_eq(write(fds[i], req.buf, req.len), (ssize_t)req.len);
		ipc_msg_free(&req);
	}
	for (int i = N - 1; i >= 0; i--) {
		raw_read_reply(fds[i], &rsp);
		close(fds[i]);
		ck_assert_uint_eq(rsp.seq, (uint32_t)i);
		ck_assert_int_eq(ipc_get_str(&rsp, IPC_F_VALUE, val, sizeof(val)), 0);
		ipc_msg_free(&rsp);
	}
	server_stop();
}
END_TEST

/* A request still pending when iscsid stops gets its one answer anyway. */
START_TEST(test_ipc_pending_answered_at_stop)
{
	struct ipc_msg req, rsp;
	char msg[128];
	int err, fd, status;

	server_start();
	ipc_msg_init(&req, IPC_SESSION_LOGIN, 11);
	fd = raw_connect();
	ck_assert_int_eq(write(fd, req.buf, req.len), (ssize_t)req.len);
	usleep(50 * 1000);	/* let the server take it: now pending for 300 ms */
	ck_assert_int_eq(ipc_client_simple(IPC_IMMEDIATE_STOP, &rsp, 1000), ISCSI_OK);
	ipc_msg_free(&rsp);
	raw_read_reply(fd, &rsp);
	close(fd);
	ck_assert_uint_eq(rsp.seq, 11);
	ck_assert_int_eq(ipc_reply_status(&rsp, &err, msg, sizeof(msg)), 0);
	ck_assert_int_eq(err, ISCSI_ERR);
	ck_assert_str_eq(msg, "iscsid is stopping; the request was not completed");
	ipc_msg_free(&rsp);
	ipc_msg_free(&req);
	ck_assert_int_eq(waitpid(server_pid, &status, 0), server_pid);
}
END_TEST

/* One process: a client over a socketpair, fed one byte per loop round. */
START_TEST(test_ipc_socketpair_bytewise)
{
	struct srv_ctx ctx = { .loop = evloop_new() };
	struct ipc_server *srv;
	struct ipc_msg req, rsp;
	char val[64];
	int sv[2];

	set_private_name();
	srv = ipc_server_new(ctx.loop, -1, test_handlers, &ctx);
	ck_assert_ptr_nonnull(srv);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	ck_assert_int_eq(ipc_server_add_client(srv, sv[0]), 0);
	ipc_msg_init(&req, IPC_CONFIG_FILE, 42);
	ipc_put_u32(&req, IPC_F_SID, 1);	/* unknown to the handler: ignored */
	for (size_t i = 0; i < req.len; i++) {
		ck_assert_int_eq(write(sv[1], req.buf + i, 1), 1);
		evloop_run_once(ctx.loop, 0);
	}
	ck_assert_uint_eq(ipc_server_nclients(srv), 0);
	shutdown(sv[1], SHUT_WR);
	raw_read_reply(sv[1], &rsp);
	ck_assert_uint_eq(rsp.seq, 42);
	ck_assert_int_eq(ipc_get_str(&rsp, IPC_F_VALUE, val, sizeof(val)), 0);
	ck_assert_str_eq(val, "/tmp/test/iscsid.conf");
	ipc_msg_free(&rsp);
	ipc_msg_free(&req);
	close(sv[1]);
	ipc_server_free(srv);
	evloop_free(ctx.loop);
}
END_TEST

static Suite *
ipc_suite(void)
{
	Suite *s = suite_create("ipc");
	TCase *codec = tcase_create("codec"), *server = tcase_create("server");

	tcase_add_test(codec, test_ipc_roundtrip);
	tcase_add_loop_test(codec, test_ipc_hostile_bytes, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(codec, test_ipc_put_limits);
	tcase_add_test(codec, test_ipc_conf_lookup);
	tcase_set_timeout(server, 20);
	tcase_add_test(server, test_ipc_server_requests);
	tcase_add_test(server, test_ipc_version_mismatch);
	tcase_add_test(server, test_ipc_oversized_and_truncated);
	tcase_add_test(server, test_ipc_slow_client_does_not_block);
	tcase_add_test(server, test_ipc_refuses_other_uid);
	tcase_add_test(server, test_ipc_socketpair_bytewise);
	tcase_add_test(server, test_ipc_pending_answered_at_stop);
	tcase_add_test(server, test_ipc_many_clients);
	suite_add_tcase(s, codec);
	suite_add_tcase(s, server);
	return s;
}

CHECK_MAIN(ipc_suite)
