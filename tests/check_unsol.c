// SPDX-License-Identifier: GPL-2.0-or-later
/* Unsolicited target PDUs (core/unsol.c): every AsyncEvent and NOP-In kind
 * against its decision and sequence numbers, the NOP-Out a ping gets field
 * by field, the echo cap, the run cap, and StatSN serial arithmetic. */
#include <string.h>

#include "check_util.h"
#include "err.h"
#include "proto_util.h"
#include "unsol.h"

#define EXP0	0x100u	/* ExpStatSN before the PDU */
#define CMDSN0	0x20u

static void
mk_nop_in(struct pdu *p, uint32_t itt, uint32_t ttt, uint32_t statsn)
{
	pu_rsp(p, ISCSI_OP_NOP_IN, 0x80, itt, ttt, statsn, CMDSN0, CMDSN0 + 8);
}

static void
mk_async(struct pdu *p, uint8_t event, uint16_t p1, uint16_t p2, uint16_t p3, uint32_t statsn)
{
	pu_rsp(p, ISCSI_OP_ASYNC, 0x80, ISCSI_RSVD_TAG, 0, statsn, CMDSN0, CMDSN0 + 8);
	p->bhs[36] = event;
	p->bhs[37] = 0x5a;
	p->bhs[38] = p1 >> 8; p->bhs[39] = p1 & 0xff;
	p->bhs[40] = p2 >> 8; p->bhs[41] = p2 & 0xff;
	p->bhs[42] = p3 >> 8; p->bhs[43] = p3 & 0xff;
}

/* One PDU, its decision, and ExpStatSN afterwards. */
static const struct {
	const char		*what;
	uint8_t			 op;
	uint32_t		 itt, ttt, statsn;
	uint8_t			 event;
	uint16_t		 p3;
	enum unsol_action	 want;
	int			 err;
	bool			 dropping;
	uint32_t		 exp_after;
} cases[] = {
	{ "NOP-In without TTT", ISCSI_OP_NOP_IN, ISCSI_RSVD_TAG, ISCSI_RSVD_TAG, EXP0, 0, 0,
	  UNSOL_IGNORE, 0, false, EXP0 },
	{ "NOP-In with TTT", ISCSI_OP_NOP_IN, ISCSI_RSVD_TAG, 9, EXP0, 0, 0,
	  UNSOL_SEND, 0, false, EXP0 },
	{ "NOP-In StatSN off by one", ISCSI_OP_NOP_IN, ISCSI_RSVD_TAG, 9, EXP0 + 1, 0, 0,
	  UNSOL_SEND, 0, false, EXP0 },
	{ "NOP-In answering no ping", ISCSI_OP_NOP_IN, 7, ISCSI_RSVD_TAG, EXP0, 0, 0,
	  UNSOL_FAIL, ISCSI_ERR_TRANS, false, EXP0 },
	{ "SCSI event", ISCSI_OP_ASYNC, 0, 0, EXP0, UNSOL_EV_SCSI, 0,
	  UNSOL_IGNORE, 0, false, EXP0 + 1 },
	{ "logout request", ISCSI_OP_ASYNC, 0, 0, EXP0, UNSOL_EV_LOGOUT, 17,
	  UNSOL_LOGOUT, 0, false, EXP0 + 1 },
	{ "connection drop", ISCSI_OP_ASYNC, 0, 0, EXP0, UNSOL_EV_DROP_CONN, 20,
	  UNSOL_FAIL, ISCSI_ERR_TRANS, true, EXP0 + 1 },
	{ "session drop", ISCSI_OP_ASYNC, 0, 0, EXP0, UNSOL_EV_DROP_ALL, 20,
	  UNSOL_FAIL, ISCSI_ERR_TRANS, true, EXP0 + 1 },
	{ "negotiation request", ISCSI_OP_ASYNC, 0, 0, EXP0, UNSOL_EV_NEGOTIATE, 5,
	  UNSOL_IGNORE, 0, false, EXP0 + 1 },
	{ "vendor event", ISCSI_OP_ASYNC, 0, 0, EXP0, UNSOL_EV_VENDOR, 0,
	  UNSOL_IGNORE, 0, false, EXP0 + 1 },
	{ "reserved event", ISCSI_OP_ASYNC, 0, 0, EXP0, 9, 0,
	  UNSOL_IGNORE, 0, false, EXP0 + 1 },
	{ "Async ahead by two", ISCSI_OP_ASYNC, 0, 0, EXP0 + 2, UNSOL_EV_SCSI, 0,
	  UNSOL_IGNORE, 0, false, EXP0 + 3 },
	{ "Async behind: no step back", ISCSI_OP_ASYNC, 0, 0, EXP0 - 1, UNSOL_EV_SCSI, 0,
	  UNSOL_IGNORE, 0, false, EXP0 },
	{ "Text Response is not unsolicited", ISCSI_OP_TEXT_RSP, 1, ISCSI_RSVD_TAG, EXP0, 0, 0,
	  UNSOL_FAIL, ISCSI_ERR_INTERNAL, false, EXP0 },
};

START_TEST(test_unsol_decisions)
{
	struct unsol_ctx u;
	struct unsol_sn sn = { .us_cmdsn = CMDSN0, .us_exp_statsn = EXP0 };
	struct unsol_out o;
	struct pdu p;

	unsol_init(&u, 8192, 0);
	if (cases[_i].op == ISCSI_OP_ASYNC)
		mk_async(&p, cases[_i].event, 0, 2, cases[_i].p3, cases[_i].statsn);
	else
		pu_rsp(&p, cases[_i].op, 0x80, cases[_i].itt, cases[_i].ttt, cases[_i].statsn,
		    CMDSN0, CMDSN0 + 8);
	err_clear();
	ck_assert_msg(unsol_input(&u, &p, &sn, &o) == cases[_i].want, "%s", cases[_i].what);
	ck_assert_int_eq(o.uo_err, cases[_i].err);
	ck_assert(o.uo_dropping == cases[_i].dropping);
	ck_assert_uint_eq(sn.us_exp_statsn, cases[_i].exp_after);
	ck_assert_uint_eq(sn.us_cmdsn, CMDSN0);
	if (cases[_i].err != 0)
		ck_assert_ptr_nonnull(err_detail(cases[_i].err));
	if (cases[_i].want == UNSOL_LOGOUT)
		ck_assert_uint_eq(o.uo_logout_s, cases[_i].p3);
	if (cases[_i].want == UNSOL_SEND)
		ck_assert_uint_eq(pdu_opcode(&o.uo_pdu), ISCSI_OP_NOP_OUT);
	pdu_free(&o.uo_pdu);
	pdu_free(&p);
}
END_TEST

/* The answer to a ping (RFC 7143 §11.18), wire bytes included. */
START_TEST(test_unsol_nop_out_fields)
{
	static const char ping[] = "ping-data-13!";
	struct unsol_ctx u;
	struct unsol_sn sn = { .us_cmdsn = CMDSN0, .us_exp_statsn = EXP0 };
	struct unsol_out o;
	struct pdu p;
	uint8_t wire[128];
	size_t n;

	unsol_init(&u, 8192, 0);
	mk_nop_in(&p, ISCSI_RSVD_TAG, 0x1234, EXP0);
	p.bhs[8] = 0x00; p.bhs[9] = 0x01; p.bhs[15] = 0x07;
	ck_assert_int_eq(pdu_set_data(&p, ping, 13), ISCSI_OK);
	ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_SEND);
	ck_assert_uint_eq(pdu_opcode(&o.uo_pdu), ISCSI_OP_NOP_OUT);
	ck_assert(pdu_immediate(&o.uo_pdu));
	ck_assert_uint_eq(pdu_flags(&o.uo_pdu), 0x80);
	ck_assert_uint_eq(pdu_itt(&o.uo_pdu), ISCSI_RSVD_TAG);
	ck_assert_uint_eq(pdu_ttt(&o.uo_pdu), 0x1234);
	ck_assert_uint_eq(pdu_lun(&o.uo_pdu), 0x0001000000000007ull);
	/* CmdSN and ExpStatSN are bytes 24-31 of a NOP-Out */
	ck_assert_uint_eq(pdu_statsn(&o.uo_pdu), CMDSN0);
	ck_assert_uint_eq(pdu_expcmdsn(&o.uo_pdu), EXP0);
	ck_assert_uint_eq(o.uo_pdu.data_len, 13);
	ck_assert_mem_eq(o.uo_pdu.data, ping, 13);
	n = pdu_encode(&o.uo_pdu, &(struct pdu_digests){ 0 }, wire, sizeof(wire));
	ck_assert_uint_eq(n, ISCSI_BHS_LEN + 16);
	ck_assert_uint_eq(pdu_dsl(&o.uo_pdu), 13);
	ck_assert_mem_eq(wire + ISCSI_BHS_LEN, ping, 13);
	ck_assert_uint_eq(wire[ISCSI_BHS_LEN + 13], 0);
	pdu_free(&o.uo_pdu);
	pdu_free(&p);
}
END_TEST

/* Ping data longer than the target accepts is cut at its MaxRecvDataSegmentLength. */
START_TEST(test_unsol_echo_cap)
{
	static uint8_t big[1024];
	struct unsol_ctx u;
	struct unsol_sn sn = { .us_cmdsn = 1, .us_exp_statsn = 1 };
	struct unsol_out o;
	struct pdu p;

	memset(big, 'x', sizeof(big));
	unsol_init(&u, 512, 0);
	mk_nop_in(&p, ISCSI_RSVD_TAG, 3, 1);
	ck_assert_int_eq(pdu_set_data(&p, big, sizeof(big)), ISCSI_OK);
	ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_SEND);
	ck_assert_uint_eq(o.uo_pdu.data_len, 512);
	pdu_free(&o.uo_pdu);
	pdu_free(&p);
	/* 0 means the RFC default, 8192 */
	unsol_init(&u, 0, 0);
	ck_assert_uint_eq(u.max_xmit_dsl, ISCSI_DEFAULT_MRDSL);
	ck_assert_uint_eq(u.max_run, UNSOL_DEFAULT_MAX_RUN);
}
END_TEST

/* A flood fails at the cap; an awaited response starts the count over. */
START_TEST(test_unsol_run_cap)
{
	struct unsol_ctx u;
	struct unsol_sn sn = { .us_cmdsn = 1, .us_exp_statsn = 1 };
	struct unsol_out o;
	struct pdu p;
	unsigned i;

	unsol_init(&u, 8192, 4);
	mk_nop_in(&p, ISCSI_RSVD_TAG, ISCSI_RSVD_TAG, 1);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_IGNORE);
	unsol_progress(&u);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_IGNORE);
	err_clear();
	ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_FAIL);
	ck_assert_int_eq(o.uo_err, ISCSI_ERR_TRANS);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_TRANS), "5 NOP-In or Async"));
	pdu_free(&p);
}
END_TEST

/* StatSN wraps: 0xffffffff then 0 are both ahead of 0xfffffffe. */
START_TEST(test_unsol_statsn_wrap)
{
	struct unsol_ctx u;
	struct unsol_sn sn = { .us_cmdsn = 1, .us_exp_statsn = 0xfffffffeu };
	struct unsol_out o;
	struct pdu p;

	unsol_init(&u, 8192, 0);
	mk_async(&p, UNSOL_EV_SCSI, 0, 0, 0, 0xffffffffu);
	ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_IGNORE);
	ck_assert_uint_eq(sn.us_exp_statsn, 0);
	mk_async(&p, UNSOL_EV_SCSI, 0, 0, 0, 0);
	ck_assert_int_eq(unsol_input(&u, &p, &sn, &o), UNSOL_IGNORE);
	ck_assert_uint_eq(sn.us_exp_statsn, 1);
	ck_assert_uint_eq(pdu_async_vcode(&p), 0x5a);
	ck_assert_uint_eq(pdu_async_param(&p, 4), 0);
}
END_TEST

START_TEST(test_unsol_event_names)
{
	ck_assert_str_eq(unsol_event_name(UNSOL_EV_LOGOUT), "logout request");
	ck_assert_str_eq(unsol_event_name(UNSOL_EV_DROP_CONN), "connection drop");
	ck_assert_str_eq(unsol_event_name(200), "reserved");
}
END_TEST

static Suite *
unsol_suite(void)
{
	Suite *s = suite_create("unsol");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_unsol_decisions, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_unsol_nop_out_fields);
	tcase_add_test(tc, test_unsol_echo_cap);
	tcase_add_test(tc, test_unsol_run_cap);
	tcase_add_test(tc, test_unsol_statsn_wrap);
	tcase_add_test(tc, test_unsol_event_names);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(unsol_suite)
