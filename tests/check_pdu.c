// SPDX-License-Identifier: GPL-2.0-or-later
/* PDU codec: builders against captured headers, padding and digests,
 * the incremental receiver in every chunking, and its length checks. */
#include <string.h>

#include "check_util.h"
#include "crc32c.h"
#include "err.h"
#include "pdu.h"
#include "proto_util.h"

/* Every opcode: its name and which side sends it. */
static const struct { uint8_t op; bool from_target; const char *name; } ops[] = {
	{ 0x00, false, "NOP-Out" }, { 0x01, false, "SCSI Command" },
	{ 0x02, false, "Task Management Function Request" }, { 0x03, false, "Login Request" },
	{ 0x04, false, "Text Request" }, { 0x05, false, "SCSI Data-Out" },
	{ 0x06, false, "Logout Request" }, { 0x10, false, "SNACK Request" },
	{ 0x20, true, "NOP-In" }, { 0x21, true, "SCSI Response" },
	{ 0x22, true, "Task Management Function Response" }, { 0x23, true, "Login Response" },
	{ 0x24, true, "Text Response" }, { 0x25, true, "SCSI Data-In" },
	{ 0x26, true, "Logout Response" }, { 0x31, true, "Ready To Transfer" },
	{ 0x32, true, "Asynchronous Message" }, { 0x3f, true, "Reject" },
	{ 0x07, false, "unknown" }, { 0x30, false, "unknown" },
};

START_TEST(test_pdu_opcode_table)
{
	ck_assert_str_eq(pdu_opcode_name(ops[_i].op), ops[_i].name);
	ck_assert_int_eq(pdu_opcode_from_target(ops[_i].op), ops[_i].from_target);
}
END_TEST

START_TEST(test_pdu_login_req_matches_capture)
{
	/* discovery_sendtargets_iscsiadm frame 6: Login, T=1 CSG=1 NSG=3,
	 * ISID 00023d000000, ITT 0, CID 0, CmdSN 1, ExpStatSN 0, DSL 226. */
	struct pdu p = { 0 };
	struct pdu_login_req r = { .transit = true, .csg = 1, .nsg = 3, .isid = { 0, 2, 0x3d },
	    .cmdsn = 1 };
	uint8_t buf[512], data[226];
	size_t n;

	pdu_build_login_req(&p, &r);
	memset(data, 'k', sizeof(data));
	ck_assert_int_eq(pdu_set_data(&p, data, sizeof(data)), 0);
	n = pdu_encode(&p, NULL, buf, sizeof(buf));
	ck_assert_uint_eq(n, 48 + 228);	/* 226 padded to 228 */
	ck_assert_uint_eq(buf[0], 0x43);	/* Immediate | Login */
	ck_assert_uint_eq(buf[1], 0x87);	/* T | CSG 1 | NSG 3 */
	ck_assert_uint_eq(buf[7], 226);
	ck_assert_uint_eq(buf[10], 0x3d);
	ck_assert_uint_eq(buf[27], 1);
	ck_assert_uint_eq(buf[48 + 226], 0);
	ck_assert_uint_eq(buf[48 + 227], 0);
	pdu_free(&p);
	/* NSG is reserved when T=0. */
	r.transit = false;
	pdu_build_login_req(&p, &r);
	ck_assert_uint_eq(p.bhs[1], 0x04);
}
END_TEST

START_TEST(test_pdu_text_and_logout_builders)
{
	struct pdu p = { 0 };

	/* discovery_sendtargets_1000_continuation frame 17: Text, F=1, ITT 1, TTT 1, CmdSN 2. */
	pdu_build_text_req(&p, true, false, 1, 1, 2, 1);
	ck_assert_uint_eq(p.bhs[0], 0x04);
	ck_assert_uint_eq(p.bhs[1], 0x80);
	ck_assert_uint_eq(pdu_itt(&p), 1);
	ck_assert_uint_eq(pdu_ttt(&p), 1);
	ck_assert_uint_eq(pdu_statsn(&p), 2);	/* bytes 24-27: CmdSN in a request */
	pdu_build_logout_req(&p, ISCSI_LOGOUT_CLOSE_SESSION, 9, 0, 8, 9);
	ck_assert_uint_eq(p.bhs[0], 0x46);
	ck_assert_uint_eq(p.bhs[1], 0x80);
	pdu_build_nop_out(&p, ISCSI_RSVD_TAG, 0x1234, 0, 5, 6);
	ck_assert(pdu_immediate(&p));
	ck_assert_uint_eq(pdu_ttt(&p), 0x1234);
	pdu_build_scsi_cmd(&p, ISCSI_FLAG_FINAL | ISCSI_FLAG_CMD_READ, 1ull << 48, 7, 96, 6, 3,
	    (const uint8_t[]){ 0x12, 0, 0, 0, 96, 0 }, 6);
	ck_assert_uint_eq(p.bhs[1], 0xc0);
	ck_assert_uint_eq(p.bhs[9], 0x01);
	ck_assert_uint_eq(p.bhs[32], 0x12);
	pdu_build_data_out(&p, true, 0, 7, 8, 3, 0, 4096);
	ck_assert_uint_eq(p.bhs[0], 0x05);
	pdu_build_tmf_req(&p, 1, 0, 10, 7, 9, 3);
	ck_assert_uint_eq(p.bhs[1], 0x81);
	pdu_build_snack(&p, 1, 0, 7, 0, 3, 2, 1);
	ck_assert_uint_eq(p.bhs[0], 0x10);
	pdu_free(&p);
}
END_TEST

/* Encode a target PDU with AHS, odd data and both digests, then receive it
 * in chunks of every size from 1 to the whole. */
START_TEST(test_pdu_rx_roundtrip_any_chunking)
{
	struct pdu_digests dg = { .header = true, .data = true };
	struct pdu p, got;
	uint8_t buf[256];
	size_t n, chunk = (size_t)_i + 1;

	pu_rsp(&p, ISCSI_OP_TEXT_RSP, 0x80, 5, ISCSI_RSVD_TAG, 7, 8, 9);
	p.ahs = malloc(8);
	memset(p.ahs, 0xa5, 8);
	p.ahs_len = 8;
	pu_data(&p, "SendTargets=All x=y1");
	n = pdu_encode(&p, &dg, buf, sizeof(buf));
	ck_assert_uint_eq(n, pdu_wire_len(&p, &dg));
	ck_assert_uint_eq(n, 48 + 8 + 4 + 24 + 4);

	struct pdu_rx rx;
	size_t off = 0, used;
	enum pdu_rx_status st = PDU_RX_MORE;

	pdu_rx_init(&rx, 8192);
	pdu_rx_set_digests(&rx, &dg);
	while (off < n) {
		size_t len = n - off < chunk ? n - off : chunk;

		st = pdu_rx_feed(&rx, buf + off, len, &used, &got);
		ck_assert_int_ne(st, PDU_RX_ERROR);
		off += used;
		if (st == PDU_RX_PDU)
			break;
	}
	ck_assert_int_eq(st, PDU_RX_PDU);
	ck_assert_uint_eq(off, n);
	ck_assert_uint_eq(got.data_len, 21);
	ck_assert_mem_eq(got.data, p.data, 21);
	ck_assert_uint_eq(got.ahs_len, 8);
	ck_assert_uint_eq(pdu_itt(&got), 5);
	ck_assert_uint_eq(pdu_rx_need(&rx), 48);
	pdu_free(&got);
	pdu_free(&p);
}
END_TEST

START_TEST(test_pdu_rx_two_pdus_one_buffer)
{
	struct pdu a, b, got;
	uint8_t buf[256];
	size_t n, used;
	struct pdu_rx rx;

	pu_rsp(&a, ISCSI_OP_NOP_IN, 0x80, 1, 2, 3, 4, 5);
	pu_rsp(&b, ISCSI_OP_LOGOUT_RSP, 0x80, 6, 0, 7, 8, 9);
	pu_data(&a, "ping");
	n = pdu_encode(&a, NULL, buf, sizeof(buf));
	n += pdu_encode(&b, NULL, buf + n, sizeof(buf) - n);
	pdu_rx_init(&rx, 8192);
	ck_assert_int_eq(pdu_rx_feed(&rx, buf, n, &used, &got), PDU_RX_PDU);
	ck_assert_uint_eq(used, 48 + 8);
	ck_assert_uint_eq(pdu_opcode(&got), ISCSI_OP_NOP_IN);
	pdu_free(&got);
	ck_assert_int_eq(pdu_rx_feed(&rx, buf + used, n - used, &used, &got), PDU_RX_PDU);
	ck_assert_uint_eq(pdu_opcode(&got), ISCSI_OP_LOGOUT_RSP);
	ck_assert_ptr_null(got.data);
	pdu_free(&got);
	pdu_free(&a);
}
END_TEST

/* Hostile headers: each is refused as soon as the BHS is complete. */
static const struct { uint8_t op; uint32_t dsl; uint8_t ahs_words; const char *why; } bad[] = {
	{ ISCSI_OP_LOGIN_REQ, 0, 0, "which a target never sends" },
	{ 0x1f, 0, 0, "which a target never sends" },
	{ ISCSI_OP_TEXT_RSP, 8193, 0, "limit is 8192" },
	{ ISCSI_OP_DATA_IN, 0xffffff, 0, "limit is 8192" },	/* "gigabytes": field max */
	{ ISCSI_OP_LOGIN_RSP, 0, 17, "AHS bytes, limit is 64" },
};

START_TEST(test_pdu_rx_refuses_before_reading)
{
	struct pdu p, got;
	struct pdu_rx rx;
	size_t used;

	pu_rsp(&p, bad[_i].op, 0x80, 1, 2, 3, 4, 5);
	p.bhs[4] = bad[_i].ahs_words;
	p.bhs[5] = (uint8_t)(bad[_i].dsl >> 16);
	p.bhs[6] = (uint8_t)(bad[_i].dsl >> 8);
	p.bhs[7] = (uint8_t)bad[_i].dsl;
	pdu_rx_init(&rx, 8192);
	rx.ahs_max = 64;
	/* Only the 48 header bytes: the error must not wait for the payload. */
	ck_assert_int_eq(pdu_rx_feed(&rx, p.bhs, 48, &used, &got), PDU_RX_ERROR);
	ck_assert_int_eq(pdu_rx_error(&rx), ISCSI_ERR_TRANS);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_TRANS), bad[_i].why));
}
END_TEST

START_TEST(test_pdu_rx_digest_mismatch)
{
	struct pdu_digests dg = { .header = true, .data = true };
	struct pdu p, got;
	struct pdu_rx rx;
	uint8_t buf[128];
	size_t n, used;

	pu_rsp(&p, ISCSI_OP_TEXT_RSP, 0x80, 1, ISCSI_RSVD_TAG, 3, 4, 5);
	pu_data(&p, "a=b");
	n = pdu_encode(&p, &dg, buf, sizeof(buf));
	pdu_rx_init(&rx, 8192);
	pdu_rx_set_digests(&rx, &dg);
	buf[20] ^= 1;	/* header corrupted */
	ck_assert_int_eq(pdu_rx_feed(&rx, buf, n, &used, &got), PDU_RX_ERROR);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_TRANS), "header digest"));
	buf[20] ^= 1;
	buf[50 + 4] ^= 1;	/* data corrupted */
	ck_assert_int_eq(pdu_rx_feed(&rx, buf, n, &used, &got), PDU_RX_ERROR);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_TRANS), "data digest"));
	buf[50 + 4] ^= 1;
	ck_assert_int_eq(pdu_rx_feed(&rx, buf, n, &used, &got), PDU_RX_PDU);
	pdu_free(&got);
	pdu_free(&p);
}
END_TEST

START_TEST(test_pdu_encode_limits)
{
	struct pdu p = { 0 };
	uint8_t buf[60];

	pdu_build_nop_out(&p, 1, ISCSI_RSVD_TAG, 0, 1, 1);
	ck_assert_int_eq(pdu_set_data(&p, "0123456789abcdef", 16), 0);
	ck_assert_uint_eq(pdu_encode(&p, NULL, buf, sizeof(buf)), 0);	/* 64 > 60 */
	p.ahs_len = 3;
	ck_assert_uint_eq(pdu_encode(&p, NULL, buf, sizeof(buf)), 0);
	p.ahs_len = 0;
	pdu_free(&p);
}
END_TEST

START_TEST(test_pdu_login_rsp_accessors)
{
	struct pdu p;
	uint8_t isid[6];

	/* discovery_chap_sha256_vs_tgtd frame 17: status 0x0200, zeroed ISID. */
	pu_rsp(&p, ISCSI_OP_LOGIN_RSP, 0x00, 0, 0, 0, 0, 0);
	p.bhs[36] = 2;
	p.bhs[37] = 0;
	ck_assert_uint_eq(pdu_login_status(&p), 0x0200);
	pdu_login_isid(&p, isid);
	ck_assert_uint_eq(isid[2], 0);
	p.bhs[1] = 0x87;
	p.bhs[14] = 1;
	ck_assert_uint_eq(pdu_login_csg(&p), 1);
	ck_assert_uint_eq(pdu_login_nsg(&p), 3);
	ck_assert_uint_eq(pdu_login_tsih(&p), 0x0100);
}
END_TEST

static Suite *
pdu_suite(void)
{
	Suite *s = suite_create("pdu");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_pdu_opcode_table, 0, sizeof(ops) / sizeof(ops[0]));
	tcase_add_test(tc, test_pdu_login_req_matches_capture);
	tcase_add_test(tc, test_pdu_text_and_logout_builders);
	tcase_add_loop_test(tc, test_pdu_rx_roundtrip_any_chunking, 0, 90);
	tcase_add_test(tc, test_pdu_rx_two_pdus_one_buffer);
	tcase_add_loop_test(tc, test_pdu_rx_refuses_before_reading, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_pdu_rx_digest_mismatch);
	tcase_add_test(tc, test_pdu_encode_limits);
	tcase_add_test(tc, test_pdu_login_rsp_accessors);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(pdu_suite)
