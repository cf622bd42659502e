// SPDX-License-Identifier: GPL-2.0-or-later
/* Text sequencing: the captured SendTargets exchanges (one PDU, and tgtd's
 * F=0 continuation with TTT 1), a 10,000-target answer over 1 MB, caps and
 * protocol violations, our own request split with the C bit, and NOP-In
 * and Async Messages in the middle of an answer. */
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "err.h"
#include "proto_util.h"
#include "text.h"

static const char st_all[] = "SendTargets=All";

static struct text_cfg
cfg_of(uint32_t max_answer)
{
	struct text_cfg c = { .tc_itt = 1, .tc_cmdsn = 1, .tc_exp_statsn = 1,
	    .tc_max_send = 8192, .tc_max_answer = max_answer };

	return c;
}

/* captures/discovery_sendtargets_iscsiadm frames 11 and 13. */
START_TEST(test_text_single_response)
{
	struct text_ctx t;
	struct text_out o;
	struct pdu rsp;

	text_init(&t);
	struct text_cfg c = cfg_of(0);
	ck_assert_int_eq(text_start(&t, &c, st_all, sizeof(st_all), &o), TEXT_SEND);
	ck_assert_uint_eq(pdu_flags(&o.to_pdu), 0x80);
	ck_assert_uint_eq(pdu_ttt(&o.to_pdu), ISCSI_RSVD_TAG);
	ck_assert_uint_eq(o.to_pdu.data_len, 16);
	ck_assert_mem_eq(o.to_pdu.data, "SendTargets=All\0", 16);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x80, 1, ISCSI_RSVD_TAG, 1, 2, 2);
	pu_data(&rsp, "TargetName=iqn.2024-01.org.example.bench:tgt00001 "
	    "TargetAddress=127.0.0.1:3260,1");
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_DONE);
	ck_assert_uint_eq(o.to_len, rsp.data_len);
	ck_assert_str_eq(o.to_data, "TargetName=iqn.2024-01.org.example.bench:tgt00001");
	ck_assert_uint_eq(text_exp_statsn(&t), 2);
	ck_assert_uint_eq(text_next_cmdsn(&t), 2);
	pdu_free(&rsp);
	text_free(&t);
}
END_TEST

/*
 * tgtd style (captures/discovery_sendtargets_1000_continuation): F=0 C=0
 * TTT=1 parts cut at 32768 bytes mid-key, each asked for with an empty
 * F=1 request echoing TTT 1 under the next CmdSN.  @_i targets.
 */
static void
run_continuation(int ntargets, size_t chunk)
{
	struct text_ctx t;
	struct text_out o;
	struct text_cfg c = cfg_of(0);
	char *all = malloc((size_t)ntargets * 96), *got;
	size_t len = 0, off = 0, glen;
	uint32_t statsn = 1, cmdsn = 1;

	for (int i = 0; i < ntargets; i++)
		len += (size_t)sprintf(all + len, "TargetName=iqn.2024-01.org.example.bench:tgt%05d",
		    i) + 1, len += (size_t)sprintf(all + len, "TargetAddress=127.0.0.1:3260,1") + 1;
	if (ntargets >= 13000)
		ck_assert_uint_gt(len, 1u << 20);	/* tgtd's 10,000 targets: > 1 MB */
	text_init(&t);
	ck_assert_int_eq(text_start(&t, &c, st_all, sizeof(st_all), &o), TEXT_SEND);
	for (;;) {
		struct pdu rsp;
		size_t n = len - off < chunk ? len - off : chunk;
		bool last = off + n == len;
		enum text_verdict v;

		ck_assert_uint_eq(pdu_statsn(&o.to_pdu), cmdsn);	/* CmdSN field */
		ck_assert_uint_eq(pdu_expcmdsn(&o.to_pdu), statsn);	/* ExpStatSN field */
		ck_assert_uint_eq(pdu_itt(&o.to_pdu), 1);
		if (off > 0) {
			ck_assert_uint_eq(pdu_ttt(&o.to_pdu), 1);
			ck_assert_uint_eq(o.to_pdu.data_len, 0);
			ck_assert_uint_eq(pdu_flags(&o.to_pdu), 0x80);
		}
		pdu_free(&o.to_pdu);
		cmdsn++;
		pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, last ? 0x80 : 0x00, 1, last ? ISCSI_RSVD_TAG : 1,
		    statsn++, cmdsn, cmdsn + 1);
		rsp.data = malloc(n ? n : 1);
		memcpy(rsp.data, all + off, n);
		rsp.data_len = (uint32_t)n;
		off += n;
		v = text_input(&t, &rsp, &o);
		pdu_free(&rsp);
		if (last) {
			ck_assert_int_eq(v, TEXT_DONE);
			break;
		}
		ck_assert_int_eq(v, TEXT_SEND);
	}
	ck_assert_uint_eq(o.to_len, len);
	ck_assert_mem_eq(o.to_data, all, len);
	got = text_take_answer(&t, &glen);
	ck_assert_uint_eq(glen, len);
	ck_assert_uint_eq(text_next_cmdsn(&t), cmdsn);
	free(got);
	free(all);
	text_free(&t);
}

START_TEST(test_text_continuation_1000) { run_continuation(1000, 32768); }
END_TEST
START_TEST(test_text_continuation_13000_over_1mb) { run_continuation(13000, 32768); }
END_TEST
START_TEST(test_text_continuation_tiny_parts) { run_continuation(20, 7); }
END_TEST

START_TEST(test_text_answer_cap)
{
	struct text_ctx t;
	struct text_out o;
	struct text_cfg c = cfg_of(40);
	struct pdu rsp;

	text_init(&t);
	text_start(&t, &c, st_all, sizeof(st_all), &o);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x00, 1, 1, 1, 2, 2);
	pu_data(&rsp, "TargetName=iqn.2024-01.org.example:one");	/* 39 bytes */
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_SEND);
	pdu_free(&o.to_pdu);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_FAIL);
	ck_assert_int_eq(o.to_err, ISCSI_ERR_INVAL);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_INVAL), "exceeds 40 bytes"));
	pdu_free(&rsp);
	text_free(&t);
}
END_TEST

/* Protocol violations in a Text Response. */
static const struct { uint8_t op, flags; uint32_t itt, ttt; const char *detail; } bad[] = {
	{ ISCSI_OP_TEXT_RSP, 0xc0, 1, ISCSI_RSVD_TAG, "both F and C" },
	{ ISCSI_OP_TEXT_RSP, 0x80, 1, 7, "final Text Response carries TTT" },
	{ ISCSI_OP_TEXT_RSP, 0x00, 1, ISCSI_RSVD_TAG, "no TTT to continue" },
	{ ISCSI_OP_TEXT_RSP, 0x80, 2, ISCSI_RSVD_TAG, "for ITT 0x00000002" },
	{ ISCSI_OP_LOGIN_RSP, 0x80, 1, ISCSI_RSVD_TAG, "received Login Response" },
	{ ISCSI_OP_REJECT, 0x80, ISCSI_RSVD_TAG, 0, "rejected the Text Request" },
};

START_TEST(test_text_protocol_violations)
{
	struct text_ctx t;
	struct text_out o;
	struct text_cfg c = cfg_of(0);
	struct pdu rsp;

	text_init(&t);
	text_start(&t, &c, st_all, sizeof(st_all), &o);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, bad[_i].op, bad[_i].flags, bad[_i].itt, bad[_i].ttt, 1, 2, 2);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_FAIL);
	ck_assert_int_eq(o.to_err, ISCSI_ERR_TRANS);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_TRANS), bad[_i].detail));
	/* A failed exchange takes no more input. */
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_FAIL);
	text_free(&t);
}
END_TEST

START_TEST(test_text_pdu_cap)
{
	struct text_ctx t;
	struct text_out o;
	struct text_cfg c = cfg_of(0);
	struct pdu rsp;
	int i;

	c.tc_max_pdus = 5;
	text_init(&t);
	text_start(&t, &c, st_all, sizeof(st_all), &o);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x00, 1, 1, 1, 2, 2);	/* empty, endless */
	for (i = 0; i < 10 && text_input(&t, &rsp, &o) == TEXT_SEND; i++)
		pdu_free(&o.to_pdu);
	ck_assert_int_eq(i, 5);
	ck_assert_int_eq(o.to_err, ISCSI_ERR_TRANS);
	text_free(&t);
}
END_TEST

/* Our request over the target's MaxRecvDataSegmentLength goes out with C=1. */
START_TEST(test_text_request_split)
{
	struct text_ctx t;
	struct text_out o;
	struct text_cfg c = cfg_of(0);
	struct pdu rsp;
	char req[20] = "X-a=0123456789abcde";	/* 20 bytes with the NUL */

	c.tc_max_send = 8;
	text_init(&t);
	ck_assert_int_eq(text_start(&t, &c, req, sizeof(req), &o), TEXT_SEND);
	ck_assert_uint_eq(pdu_flags(&o.to_pdu), ISCSI_FLAG_TEXT_CONT);	/* F=0 C=1 */
	ck_assert_uint_eq(o.to_pdu.data_len, 8);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x00, 1, 0x55, 1, 2, 2);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_SEND);
	ck_assert_uint_eq(pdu_ttt(&o.to_pdu), 0x55);
	ck_assert_uint_eq(pdu_flags(&o.to_pdu), ISCSI_FLAG_TEXT_CONT);
	pdu_free(&o.to_pdu);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_SEND);
	ck_assert_uint_eq(pdu_flags(&o.to_pdu), ISCSI_FLAG_FINAL);	/* last 4 bytes */
	ck_assert_uint_eq(o.to_pdu.data_len, 4);
	pdu_free(&o.to_pdu);
	/* Data before our request is complete is a violation. */
	text_start(&t, &c, req, sizeof(req), &o);
	pdu_free(&o.to_pdu);
	pu_data(&rsp, "a=b");
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_FAIL);
	pdu_free(&rsp);
	text_free(&t);
}
END_TEST

/* RFC 7143 §11.9/§11.19 inside a continued answer: the NOP-Out takes the
 * live CmdSN and ExpStatSN, an Async Message's StatSN shows in the next
 * Text Request, and neither disturbs the reassembly. */
START_TEST(test_text_unsol_mid_continuation)
{
	struct text_ctx t;
	struct text_out o;
	struct pdu rsp;
	size_t len;
	char *a;

	text_init(&t);
	struct text_cfg c = cfg_of(0);
	ck_assert_int_eq(text_start(&t, &c, st_all, sizeof(st_all), &o), TEXT_SEND);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x00, 1, 7, 1, 2, 9);
	pu_data(&rsp, "TargetName=iqn.x:a");
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_SEND);
	ck_assert_uint_eq(pdu_statsn(&o.to_pdu), 2);		/* CmdSN */
	ck_assert_uint_eq(pdu_expcmdsn(&o.to_pdu), 2);		/* ExpStatSN */
	pdu_free(&o.to_pdu);
	pdu_free(&rsp);
	pu_rsp(&rsp, ISCSI_OP_NOP_IN, 0x80, ISCSI_RSVD_TAG, 0x55, 2, 3, 9);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_MORE);
	ck_assert(o.to_reply);
	ck_assert_uint_eq(pdu_opcode(&o.to_pdu), ISCSI_OP_NOP_OUT);
	ck_assert_uint_eq(pdu_ttt(&o.to_pdu), 0x55);
	ck_assert_uint_eq(pdu_statsn(&o.to_pdu), 3);		/* CmdSN: next, immediate */
	ck_assert_uint_eq(pdu_expcmdsn(&o.to_pdu), 2);		/* the NOP-In took none */
	pdu_free(&o.to_pdu);
	pdu_free(&rsp);
	pu_rsp(&rsp, ISCSI_OP_ASYNC, 0x80, ISCSI_RSVD_TAG, 0, 2, 3, 9);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_MORE);
	ck_assert(!o.to_reply);
	pdu_free(&rsp);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x00, 1, 7, 3, 3, 9);
	pu_data(&rsp, "TargetAddress=127.0.0.1:3260,1");
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_SEND);
	ck_assert_uint_eq(pdu_statsn(&o.to_pdu), 3);
	ck_assert_uint_eq(pdu_expcmdsn(&o.to_pdu), 4);
	pdu_free(&o.to_pdu);
	pdu_free(&rsp);
	pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, 0x80, 1, ISCSI_RSVD_TAG, 4, 4, 9);
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_DONE);
	ck_assert_uint_eq(text_exp_statsn(&t), 5);
	ck_assert_uint_eq(text_next_cmdsn(&t), 4);
	ck_assert(!text_logout_requested(&t, NULL));
	a = text_take_answer(&t, &len);
	ck_assert_uint_eq(len, 19 + 31);
	ck_assert_str_eq(a + 19, "TargetAddress=127.0.0.1:3260,1");
	free(a);
	pdu_free(&rsp);
	text_free(&t);
}
END_TEST

/* AsyncEvent 1: a final answer still ends the exchange; one that needs
 * another Text Request, or a request still being sent, fails. */
static const struct {
	uint8_t		flags;		/* of the Text Response after the Async */
	uint32_t	max_send;	/* 4: our request is still being sent */
	enum text_verdict want;
} logout_cases[] = {
	{ 0x80, 8192, TEXT_DONE },
	{ 0x00, 8192, TEXT_FAIL },
	{ 0x00, 4, TEXT_FAIL },
};

START_TEST(test_text_async_logout)
{
	struct text_ctx t;
	struct text_out o;
	struct pdu rsp;
	unsigned within = 0;
	enum text_verdict v;

	text_init(&t);
	struct text_cfg c = cfg_of(0);
	c.tc_max_send = logout_cases[_i].max_send;
	text_start(&t, &c, st_all, sizeof(st_all), &o);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_ASYNC, 0x80, ISCSI_RSVD_TAG, 0, 1, 2, 9);
	rsp.bhs[36] = UNSOL_EV_LOGOUT;
	rsp.bhs[43] = 17;
	v = text_input(&t, &rsp, &o);
	pdu_free(&rsp);
	ck_assert(text_logout_requested(&t, &within));
	ck_assert_uint_eq(within, 17);
	if (v == TEXT_MORE) {
		pu_rsp(&rsp, ISCSI_OP_TEXT_RSP, logout_cases[_i].flags, 1,
		    logout_cases[_i].flags ? ISCSI_RSVD_TAG : 7, 2, 2, 9);
		pu_data(&rsp, "TargetName=iqn.x:a");
		v = text_input(&t, &rsp, &o);
		pdu_free(&rsp);
	}
	ck_assert_int_eq(v, logout_cases[_i].want);
	if (v == TEXT_DONE)
		ck_assert_uint_eq(text_exp_statsn(&t), 3);
	else
		ck_assert_int_eq(o.to_err, ISCSI_ERR_TRANS);
	pdu_free(&o.to_pdu);
	text_free(&t);
}
END_TEST

/* Drop announcements fail with to_dropped; a ping flood fails at the cap. */
START_TEST(test_text_async_drop_and_flood)
{
	struct text_ctx t;
	struct text_out o;
	struct pdu rsp;
	int i;

	text_init(&t);
	struct text_cfg c = cfg_of(0);
	text_start(&t, &c, st_all, sizeof(st_all), &o);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_ASYNC, 0x80, ISCSI_RSVD_TAG, 0, 1, 2, 9);
	rsp.bhs[36] = UNSOL_EV_DROP_CONN;
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_FAIL);
	ck_assert(o.to_dropped);
	ck_assert_int_eq(o.to_err, ISCSI_ERR_TRANS);
	pdu_free(&rsp);

	c.tc_max_unsol = 3;
	text_start(&t, &c, st_all, sizeof(st_all), &o);
	pdu_free(&o.to_pdu);
	pu_rsp(&rsp, ISCSI_OP_NOP_IN, 0x80, ISCSI_RSVD_TAG, 0x99, 1, 2, 9);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_MORE);
		pdu_free(&o.to_pdu);
	}
	ck_assert_int_eq(text_input(&t, &rsp, &o), TEXT_FAIL);
	ck_assert(!o.to_dropped);
	pdu_free(&rsp);
	text_free(&t);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_text_single_response);
	tcase_add_test(tc, test_text_continuation_1000);
	tcase_add_test(tc, test_text_continuation_13000_over_1mb);
	tcase_add_test(tc, test_text_continuation_tiny_parts);
	tcase_add_test(tc, test_text_answer_cap);
	tcase_add_loop_test(tc, test_text_protocol_violations, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_text_pdu_cap);
	tcase_add_test(tc, test_text_request_split);
	tcase_add_test(tc, test_text_unsol_mid_continuation);
	tcase_add_loop_test(tc, test_text_async_logout, 0,
	    sizeof(logout_cases) / sizeof(logout_cases[0]));
	tcase_add_test(tc, test_text_async_drop_and_flood);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(text_suite)
