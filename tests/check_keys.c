// SPDX-License-Identifier: GPL-2.0-or-later
/* Key table and negotiation: every row checked, our offers against the
 * captures, tgtd's answers merged, and hostile answers refused. */
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "err.h"
#include "keys.h"
#include "proto_util.h"

static size_t nrows;
static const struct keys_def *rows;

static void
setup(void)
{
	rows = keys_table(&nrows);
}

/* Every row is self-consistent and findable. */
START_TEST(test_keys_row_consistent)
{
	const struct keys_def *k = &rows[_i];
	struct iscsi_params p;

	ck_assert_ptr_eq(keys_find(k->name, strlen(k->name)), k);
	ck_assert_uint_le(strlen(k->name), KEYS_NAME_MAX);
	ck_assert_ptr_nonnull(k->rfc);
	if (k->type == KEYS_T_NUM || k->type == KEYS_T_BOOL) {
		ck_assert_uint_le(k->min, k->def);
		ck_assert_uint_le(k->def, k->max);
	}
	if (k->type == KEYS_T_BOOL)
		ck_assert(k->rule == KEYS_R_OR || k->rule == KEYS_R_AND);
	if (k->type == KEYS_T_LIST)
		ck_assert_ptr_nonnull(k->choices);
	if (k->rule == KEYS_R_MIN || k->rule == KEYS_R_MAX)
		ck_assert_int_eq(k->type, KEYS_T_NUM);
	keys_defaults(&p);
	if (k->off >= 0)
		ck_assert_uint_eq(*keys_slot(&p, k->off), k->def);
	if (k->peer_off >= 0)
		ck_assert_uint_eq(*keys_slot(&p, k->peer_off), k->def);
}
END_TEST

/* Every negotiated row: the target answering our offer with the default
 * merges per the result rule; a value outside the range is refused. */
START_TEST(test_keys_row_negotiates)
{
	const struct keys_def *k = &rows[_i];
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	char text[128];
	size_t len;

	if (k->off < 0 || k->rule == KEYS_R_DECL || k->flags & KEYS_F_SECURITY)
		return;
	keys_defaults(&want);
	keys_nego_init(&n, &want, false);
	ck_assert_int_eq(keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI), 0);
	if (k->type == KEYS_T_NUM)
		snprintf(text, sizeof(text), "%s=%u", k->name, k->max + 1u);
	else
		snprintf(text, sizeof(text), "%s=Maybe", k->name);
	char *t = pu_keys(text, &len);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), ISCSI_ERR_FATAL_LOGIN);
	free(t);
	keys_nego_free(&n);

	keys_nego_init(&n, &want, false);
	memset(&b, 0, sizeof(b));
	keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI);
	if (k->type == KEYS_T_BOOL)
		snprintf(text, sizeof(text), "%s=%s", k->name, k->def ? "Yes" : "No");
	else if (k->type == KEYS_T_LIST)
		snprintf(text, sizeof(text), "%s=%s", k->name, k->choices[k->def]);
	else
		snprintf(text, sizeof(text), "%s=%u", k->name, k->def);
	t = pu_keys(text, &len);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), 0);
	/* ... and the same key again is a conflict (RFC 7143 §6.1). */
	ck_assert_int_eq(keys_nego_apply(&n, t, len), ISCSI_ERR_FATAL_LOGIN);
	free(t);
	ck_assert_int_eq(keys_nego_finish(&n, &out), 0);
	ck_assert_uint_eq(*keys_slot(&out, k->off), k->def);
	keys_nego_free(&n);
	keys_buf_free(&b);
}
END_TEST

static const char *
emit(const struct iscsi_params *p, bool disc, enum keys_emit_mode m, char *out, size_t cap)
{
	struct keys_buf b = { 0 };

	ck_assert_int_eq(keys_emit_offer(&b, p, disc, m), 0);
	pu_spaced((const uint8_t *)b.kb_buf, b.kb_len, out, cap);
	keys_buf_free(&b);
	return out;
}

START_TEST(test_keys_offer_matches_openiscsi)
{
	struct iscsi_params p;
	char s[1024];

	/* captures/discovery_sendtargets_iscsiadm frame 6, after the names. */
	keys_openiscsi_defaults(&p, true);
	ck_assert_str_eq(emit(&p, true, KEYS_EMIT_OPENISCSI, s, sizeof(s)),
	    "HeaderDigest=None DataDigest=None DefaultTime2Wait=2 DefaultTime2Retain=0 "
	    "IFMarker=No OFMarker=No ErrorRecoveryLevel=0 MaxRecvDataSegmentLength=32768");
	/* Normal session: the reference §6.2 order with record defaults. */
	keys_openiscsi_defaults(&p, false);
	p.header_digest = ISCSI_DIGEST_CRC32C_NONE;
	ck_assert_str_eq(emit(&p, false, KEYS_EMIT_OPENISCSI, s, sizeof(s)),
	    "HeaderDigest=CRC32C,None DataDigest=None DefaultTime2Wait=2 DefaultTime2Retain=0 "
	    "IFMarker=No OFMarker=No ErrorRecoveryLevel=0 InitialR2T=No ImmediateData=Yes "
	    "MaxBurstLength=16776192 FirstBurstLength=262144 MaxOutstandingR2T=1 "
	    "MaxConnections=1 DataPDUInOrder=Yes DataSequenceInOrder=Yes "
	    "MaxRecvDataSegmentLength=262144");
	/* Minimal: only what differs from RFC 7143 defaults. */
	ck_assert_str_eq(emit(&p, false, KEYS_EMIT_MINIMAL, s, sizeof(s)),
	    "HeaderDigest=CRC32C,None DefaultTime2Retain=0 InitialR2T=No "
	    "MaxBurstLength=16776192 FirstBurstLength=262144 MaxRecvDataSegmentLength=262144");
}
END_TEST

/* tgtd's answer to libiscsi (captures/login_libiscsi_inq frame 6). */
START_TEST(test_keys_tgtd_answer)
{
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	size_t len;
	char *t = pu_keys("TargetPortalGroupTag=1 HeaderDigest=None DataDigest=None "
	    "InitialR2T=Yes ImmediateData=Yes MaxBurstLength=262144 FirstBurstLength=65536 "
	    "DefaultTime2Wait=2 DefaultTime2Retain=0 MaxOutstandingR2T=1 ErrorRecoveryLevel=0 "
	    "IFMarker=No OFMarker=No MaxConnections=1 DataPDUInOrder=Yes "
	    "DataSequenceInOrder=Yes", &len);

	keys_openiscsi_defaults(&want, false);
	want.header_digest = ISCSI_DIGEST_NONE_CRC32C;
	keys_nego_init(&n, &want, false);
	keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), 0);
	ck_assert_uint_eq(n.reply.kb_len, 0);
	ck_assert_int_eq(keys_nego_finish(&n, &out), 0);
	ck_assert_uint_eq(out.initial_r2t, 1);		/* OR: tgtd says Yes */
	ck_assert_uint_eq(out.first_burst, 65536);
	ck_assert_uint_eq(out.max_burst, 262144);
	ck_assert_uint_eq(out.max_xmit_dsl, 8192);	/* never declared by tgtd */
	ck_assert_uint_eq(out.max_recv_dsl, 262144);	/* ours, declared */
	ck_assert_uint_eq(out.header_digest, ISCSI_DIGEST_NONE);
	ck_assert_uint_eq(out.tpgt, 1);
	ck_assert_uint_eq(out.tpgt_seen, 1);
	free(t);
	keys_nego_free(&n);
	keys_buf_free(&b);
}
END_TEST

/*
 * LIO leaves out answers whose result our offer implies (RFC 7143 §6.2.1):
 * ImmediateData=No (AND) and InitialR2T=Yes (OR) must stay as offered;
 * an unanswered ImmediateData=Yes falls back to the RFC default.
 */
START_TEST(test_keys_unanswered_implied)
{
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	size_t len;
	char *t = pu_keys("HeaderDigest=None DataDigest=None MaxBurstLength=262144 "
	    "FirstBurstLength=65536", &len);

	keys_openiscsi_defaults(&want, false);
	want.immediate_data = 0;
	want.initial_r2t = 1;
	keys_nego_init(&n, &want, false);
	keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), 0);
	ck_assert_int_eq(keys_nego_finish(&n, &out), 0);
	ck_assert_uint_eq(out.immediate_data, 0);
	ck_assert_uint_eq(out.initial_r2t, 1);
	keys_nego_free(&n);
	keys_buf_free(&b);

	keys_openiscsi_defaults(&want, false);
	want.immediate_data = 1;
	want.initial_r2t = 0;
	memset(&b, 0, sizeof(b));
	keys_nego_init(&n, &want, false);
	keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), 0);
	ck_assert_int_eq(keys_nego_finish(&n, &out), 0);
	ck_assert_uint_eq(out.immediate_data, 1);	/* RFC default Yes */
	ck_assert_uint_eq(out.initial_r2t, 1);		/* RFC default Yes */
	free(t);
	keys_nego_free(&n);
	keys_buf_free(&b);
}
END_TEST

/* Hostile or wrong answers: each refused with a detail naming the key. */
static const struct { const char *text; const char *detail; } hostile[] = {
	{ "MaxBurstLength=16776193", "MaxBurstLength" },	/* MIN: above our offer */
	{ "DefaultTime2Wait=1", "DefaultTime2Wait" },		/* MAX: below our offer */
	{ "HeaderDigest=CRC32C", "HeaderDigest" },		/* we offered None only */
	{ "ErrorRecoveryLevel=1", "ErrorRecoveryLevel" },	/* above offer 0 */
	{ "MaxConnections=0", "MaxConnections" },		/* out of range */
	{ "ImmediateData=yes", "ImmediateData" },		/* case matters */
	{ "FirstBurstLength=0x", "FirstBurstLength" },
	{ "FirstBurstLength=-1", "FirstBurstLength" },
	{ "FirstBurstLength=99999999999999999999999", "FirstBurstLength" },
	{ "InitiatorName=iqn.evil", "InitiatorName" },
	{ "SessionType=Normal", "SessionType" },
	{ "MaxRecvDataSegmentLength=511", "MaxRecvDataSegmentLength" },
	{ "TargetPortalGroupTag=1 TargetPortalGroupTag=2", "TargetPortalGroupTag" },
	{ "InitialR2T=Yes InitialR2T=No", "InitialR2T" },
	{ "TaskReporting=Reject", "TaskReporting" },	/* Reject to a key we never sent */
	{ "MaxBurstLength=4096 FirstBurstLength=8192", "FirstBurstLength" },
	{ "=x", "malformed" },
	{ "novalue", "malformed" },
};

START_TEST(test_keys_hostile_answers)
{
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	size_t len;
	char *t = pu_keys(hostile[_i].text, &len);
	int rc;

	keys_openiscsi_defaults(&want, false);
	keys_nego_init(&n, &want, false);
	keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI);
	rc = keys_nego_apply(&n, t, len);
	if (rc == 0)
		rc = keys_nego_finish(&n, &out);
	ck_assert_int_eq(rc, ISCSI_ERR_FATAL_LOGIN);
	ck_assert_ptr_nonnull(strstr(err_detail(rc), hostile[_i].detail));
	free(t);
	keys_nego_free(&n);
	keys_buf_free(&b);
}
END_TEST

START_TEST(test_keys_target_offers_and_unknown)
{
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	char s[512];
	size_t len;
	char *t = pu_keys("X-com.example.Foo=1 MaxOutstandingR2T=4 HeaderDigest=CRC32C,None "
	    "TaskReporting=FastAbort,RFC3720 InitialR2T=Reject MaxBurstLength=Irrelevant "
	    "TargetAlias=disk\001one", &len);

	keys_openiscsi_defaults(&want, false);
	keys_nego_init(&n, &want, false);
	/* Offer only what differs from the defaults: not MaxOutstandingR2T. */
	keys_nego_offer(&n, &b, KEYS_EMIT_MINIMAL);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), 0);
	ck_assert_str_eq(pu_spaced((uint8_t *)n.reply.kb_buf, n.reply.kb_len, s, sizeof(s)),
	    "X-com.example.Foo=NotUnderstood MaxOutstandingR2T=1 HeaderDigest=None "
	    "TaskReporting=RFC3720");
	ck_assert_int_eq(keys_nego_finish(&n, &out), 0);
	ck_assert_uint_eq(out.header_digest, ISCSI_DIGEST_NONE);
	ck_assert_uint_eq(out.initial_r2t, 1);		/* Reject: RFC default */
	ck_assert_uint_eq(out.max_burst, 262144);	/* Irrelevant: default */
	ck_assert_str_eq(out.target_alias, "disk\001one");	/* raw; escape to log */
	free(t);
	keys_nego_free(&n);
	keys_buf_free(&b);
}
END_TEST

START_TEST(test_keys_discovery_irrelevant)
{
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	char s[256];
	size_t len;
	char *t = pu_keys("MaxConnections=1 InitialR2T=Yes HeaderDigest=None", &len);

	keys_openiscsi_defaults(&want, true);
	keys_nego_init(&n, &want, true);
	keys_nego_offer(&n, &b, KEYS_EMIT_OPENISCSI);
	ck_assert_int_eq(keys_nego_apply(&n, t, len), 0);
	ck_assert_str_eq(pu_spaced((uint8_t *)n.reply.kb_buf, n.reply.kb_len, s, sizeof(s)),
	    "MaxConnections=Irrelevant InitialR2T=Irrelevant");
	ck_assert_int_eq(keys_nego_finish(&n, &out), 0);
	ck_assert_uint_eq(out.max_recv_dsl, 32768);
	free(t);
	keys_nego_free(&n);
	keys_buf_free(&b);
}
END_TEST

START_TEST(test_keys_tokeniser_and_numbers)
{
	const char *k, *v;
	size_t off = 0, kl, vl;
	uint64_t num;
	static const char text[] = "a=1\0\0b=\0c=x=y";	/* last pair lacks its NUL */

	ck_assert_int_eq(keys_next(text, sizeof(text) - 1, &off, &k, &kl, &v, &vl), 1);
	ck_assert_uint_eq(kl, 1);
	ck_assert_int_eq(keys_next(text, sizeof(text) - 1, &off, &k, &kl, &v, &vl), 1);
	ck_assert_uint_eq(vl, 0);
	ck_assert_int_eq(keys_next(text, sizeof(text) - 1, &off, &k, &kl, &v, &vl), -1);
	off = 0;
	ck_assert_int_eq(keys_next(text, sizeof(text), &off, &k, &kl, &v, &vl), 1);
	ck_assert_int_eq(keys_next(text, sizeof(text), &off, &k, &kl, &v, &vl), 1);
	ck_assert_int_eq(keys_next(text, sizeof(text), &off, &k, &kl, &v, &vl), 1);
	ck_assert_uint_eq(vl, 3);	/* "x=y": the first '=' splits */
	ck_assert_int_eq(keys_next(text, sizeof(text), &off, &k, &kl, &v, &vl), 0);
	ck_assert_int_eq(keys_parse_num("0x1F", 4, &num), 0);
	ck_assert_uint_eq(num, 31);
	ck_assert_int_eq(keys_parse_num("18446744073709551615", 20, &num), 0);
	ck_assert_int_eq(keys_parse_num("18446744073709551616", 20, &num), -1);
	ck_assert_int_eq(keys_parse_num("", 0, &num), -1);
	ck_assert_int_eq(keys_parse_num("12a", 3, &num), -1);
}
END_TEST

START_TEST(test_keys_sanitize)
{
	struct iscsi_params p;

	keys_openiscsi_defaults(&p, false);
	p.max_recv_dsl = 100;
	p.first_burst = 1 << 20;
	p.max_burst = 1 << 19;
	p.error_recovery_level = 2;
	p.max_connections = 4;
	ck_assert_int_eq(keys_sanitize(&p), 4);
	ck_assert_uint_eq(p.max_recv_dsl, 262144);
	ck_assert_uint_eq(p.first_burst, 1 << 19);
	ck_assert_uint_eq(p.error_recovery_level, 0);
	ck_assert_uint_eq(p.max_connections, 1);
	p.max_recv_dsl = 8191;
	keys_sanitize(&p);
	ck_assert_uint_eq(p.max_recv_dsl, 8188);
	ck_assert_int_eq(keys_digest_from_str("None,CRC32C"), ISCSI_DIGEST_NONE_CRC32C);
	ck_assert_int_eq(keys_digest_from_str("crc32c"), -1);
}
END_TEST

static Suite *
keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("core");
	size_t n;

	keys_table(&n);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_keys_row_consistent, 0, (int)n);
	tcase_add_loop_test(tc, test_keys_row_negotiates, 0, (int)n);
	tcase_add_test(tc, test_keys_offer_matches_openiscsi);
	tcase_add_test(tc, test_keys_tgtd_answer);
	tcase_add_test(tc, test_keys_unanswered_implied);
	tcase_add_loop_test(tc, test_keys_hostile_answers, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, test_keys_target_offers_and_unknown);
	tcase_add_test(tc, test_keys_discovery_irrelevant);
	tcase_add_test(tc, test_keys_tokeniser_and_numbers);
	tcase_add_test(tc, test_keys_sanitize);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(keys_suite)
