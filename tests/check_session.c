// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core/session*: the node record -> login configuration mapping, refusals
 * without a kernel, the IPC login request parser, and kernel-delivered
 * PDUs being queued as events (never handled inline) with our ITT back.
 * The kernel path itself is tested in the VM (tests/session-vm).
 */
#include <string.h>

#include "check_util.h"
#include "err.h"
#include "evloop.h"
#include "ipc.h"
#include "rec.h"
#include "session.h"
#include "session_priv.h"

static struct evloop *loop;

static void
setup(void)
{
	loop = evloop_new();
	ck_assert_ptr_nonnull(loop);
	session_init(loop, NULL, "iqn.2004-10.com.example:ini", "host1");
}

static void
teardown(void)
{
	session_shutdown();
	evloop_free(loop);
}

static struct rec *
node(const char *const *kv)
{
	struct rec *r = rec_new(REC_NODE);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rec_set(r, "node.name", "iqn.2003-01.org.example:t1"), ISCSI_OK);
	ck_assert_int_eq(rec_set(r, "node.conn[0].address", "127.0.0.1"), ISCSI_OK);
	for (; kv != NULL && kv[0] != NULL; kv += 2)
		ck_assert_int_eq(rec_set(r, kv[0], kv[1]), ISCSI_OK);
	return r;
}

static const struct {
	const char	*kv[9];
	enum login_auth	 auth;
	const char	*user_in;	/* NULL: no mutual CHAP */
	uint32_t	 hdgst;
	const char	*iname;
} cfgs[] = {
	{ { NULL }, LOGIN_AUTH_NONE, NULL, ISCSI_DIGEST_NONE, "iqn.2004-10.com.example:ini" },
	{ { "node.session.auth.authmethod", "CHAP", "node.session.auth.username", "u",
	    "node.session.auth.password", "secret123456", NULL }, LOGIN_AUTH_CHAP, NULL,
	  ISCSI_DIGEST_NONE, "iqn.2004-10.com.example:ini" },
	/* CHAP without a password offers no security stage, as the reference */
	{ { "node.session.auth.authmethod", "CHAP", "node.session.auth.username", "u", NULL },
	  LOGIN_AUTH_NONE, NULL, ISCSI_DIGEST_NONE, "iqn.2004-10.com.example:ini" },
	{ { "node.session.auth.authmethod", "CHAP", "node.session.auth.password", "secret123456",
	    "node.session.auth.username_in", "t", "node.session.auth.password_in", "other1234567",
	    NULL }, LOGIN_AUTH_CHAP, "t", ISCSI_DIGEST_NONE, "iqn.2004-10.com.example:ini" },
	{ { "node.conn[0].iscsi.HeaderDigest", "CRC32C", "iface.initiatorname",
	    "iqn.2004-10.com.example:other", NULL }, LOGIN_AUTH_NONE, NULL, ISCSI_DIGEST_CRC32C,
	  "iqn.2004-10.com.example:other" },
};

START_TEST(test_session_login_cfg)
{
	struct sess *s = sess_new(node(cfgs[_i].kv));

	ck_assert_ptr_nonnull(s);
	s->sid = 0x010203;
	sess_login_cfg(s);
	ck_assert_int_eq(s->cfg.lc_auth, cfgs[_i].auth);
	ck_assert_str_eq(s->cfg.lc_initiator_name, cfgs[_i].iname);
	ck_assert_str_eq(s->cfg.lc_target_name, "iqn.2003-01.org.example:t1");
	ck_assert_uint_eq(s->cfg.lc_want.header_digest, cfgs[_i].hdgst);
	/* ISID 00 02 3D + the low three bytes of the kernel's sid */
	ck_assert_uint_eq(s->cfg.lc_isid[2], 0x3d);
	ck_assert_uint_eq(s->cfg.lc_isid[3], 0x01);
	ck_assert_uint_eq(s->cfg.lc_isid[5], 0x03);
	if (cfgs[_i].user_in != NULL)
		ck_assert_str_eq(s->cfg.lc_chap.username_in, cfgs[_i].user_in);
	else if (cfgs[_i].auth == LOGIN_AUTH_CHAP)
		ck_assert_ptr_null(s->cfg.lc_chap.username_in);
	ck_assert_str_eq(s->iface, "default");
	ck_assert_int_eq(s->port, 3260);
	sess_free(s);
}
END_TEST

START_TEST(test_session_refusals_without_kernel)
{
	ck_assert_int_eq(session_login(NULL, node(NULL), 0), ISCSI_ERR_TRANS_NOT_FOUND);
	ck_assert_int_eq(session_logout(NULL, 1), ISCSI_ERR_OP_NOT_SUPP);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_OP_NOT_SUPP), "SESSION_LOGOUT"));
	ck_assert_ptr_null(sess_g.list);
}
END_TEST

static const struct {
	const char	*lines[3];
	int		 want;
} reqs[] = {
	{ { NULL }, ISCSI_ERR_INVAL },					/* no record at all */
	{ { "node.conn[0].address = 127.0.0.1", NULL }, ISCSI_ERR_INVAL },	/* no node.name */
	{ { "node.name = iqn.2003-01.org.example:t1", "node.conn[0].address = 127.0.0.1", NULL },
	  ISCSI_ERR_TRANS_NOT_FOUND },					/* parsed; no kernel */
};

START_TEST(test_session_ipc_login_request)
{
	struct ipc_msg m;

	ck_assert_int_eq(ipc_msg_init(&m, IPC_SESSION_LOGIN, 1), ISCSI_OK);
	for (size_t i = 0; reqs[_i].lines[i] != NULL; i++)
		ck_assert_int_eq(ipc_put_str(&m, IPC_F_KV, reqs[_i].lines[i]), ISCSI_OK);
	ck_assert_int_eq(session_ipc_login(NULL, &m, NULL), reqs[_i].want);
	ipc_msg_free(&m);
}
END_TEST

/* A Login Response from the kernel (KEVENT_RECV_PDU) carries the kernel's
 * ITT; the session queues it as SE_PDU with ours restored. */
START_TEST(test_session_kernel_pdu_queued)
{
	uint8_t buf[48 + 8] = { 0x23, 0x80 };
	struct kif_event ev = { .type = KIF_KEV_RECV_PDU, .sid = 7, .data = buf,
	    .data_len = sizeof(buf) };
	struct sess *s = sess_new(node(NULL));

	buf[7] = 8;
	buf[16] = 0xaa;		/* the kernel's ITT */
	memcpy(buf + 48, "K=V\0X=Y\0", 8);
	s->sid = 7;
	s->state = SS_LOGIN;
	s->cfg.lc_itt = 0x12345678;
	session_kernel_event(&ev);
	ck_assert_uint_eq(s->nq, 1);
	ck_assert_int_eq(s->q[s->qhead], SE_PDU);
	ck_assert_uint_eq(pdu_itt(&s->rxpdu), 0x12345678);
	ck_assert_uint_eq(s->rxpdu.data_len, 8);
	ck_assert_int_eq(memcmp(s->rxpdu.data, "K=V", 3), 0);
	/* in LOGGED_IN a stray PDU is not taken */
	s->nq = 0;
	s->state = SS_LOGGED_IN;
	session_kernel_event(&ev);
	ck_assert_uint_eq(s->nq, 0);
	sess_free(s);
}
END_TEST

static Suite *
session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_session_login_cfg, 0, sizeof(cfgs) / sizeof(cfgs[0]));
	tcase_add_test(tc, test_session_refusals_without_kernel);
	tcase_add_loop_test(tc, test_session_ipc_login_request, 0, sizeof(reqs) / sizeof(reqs[0]));
	tcase_add_test(tc, test_session_kernel_pdu_queued);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(session_suite)
