// SPDX-License-Identifier: GPL-2.0-or-later
/* CHAP: digests against vectors computed with `openssl dgst`, the tgtd
 * captures, value encodings, one-way and mutual exchanges, reflection. */
#include <stdio.h>
#include <string.h>

#include "chap.h"
#include "check_util.h"
#include "err.h"
#include "keys.h"
#include "proto_util.h"

/*
 * Vectors made independently with the openssl CLI, e.g.
 *   printf '\x07secret-0123456789abcdefghijklmnopqrstuvwxyzpqrstuvwxyz0123' |
 *   openssl dgst -sha256
 * (identifier 7, secret "secret-0123456789", the rest the challenge), and
 *   { printf '\x00s'; head -c 20 /dev/zero; } | openssl dgst -sha3-256
 */
static const struct {
	int		 alg;
	uint8_t		 id;
	const char	*secret;
	const char	*challenge;
	size_t		 clen;
	const char	*hex;
} vectors[] = {
	{ 5, 7, "secret-0123456789", "abcdefghijklmnopqrstuvwxyzpqrstuvwxyz0123", 41,
	  "0b8cb13da5ae59d33d35422a50677485" },
	{ 6, 7, "secret-0123456789", "abcdefghijklmnopqrstuvwxyzpqrstuvwxyz0123", 41,
	  "9223c44995142823bac4bf09ad810d68d61adb98" },
	{ 7, 7, "secret-0123456789", "abcdefghijklmnopqrstuvwxyzpqrstuvwxyz0123", 41,
	  "5e7d951b22835ff13b267d4b28d92d8668cc41dbf4c83ab268d9ae10d0a3fc48" },
	{ 8, 7, "secret-0123456789", "abcdefghijklmnopqrstuvwxyzpqrstuvwxyz0123", 41,
	  "c9975f1e9f7ed80b392c7a2fde2daa498ccdcbbaeb57a7852a0a9f1947511297" },
	{ 5, 0, "s", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20,
	  "83b4d18fbdbab3d7ccd38bf55304266e" },
	{ 6, 0, "s", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20,
	  "6a344111f6d75584508857834a49681ea1275e49" },
	{ 7, 0, "s", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20,
	  "7418ca7a53f2c74a24863e16727429b09f104fff835726f80d177de9a8749346" },
	{ 8, 0, "s", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20,
	  "ac5c13d510d1cd2a98da8971f4a2fe3048ad7c96bfd18671a64c76a7f7a98d0a" },
};

START_TEST(test_chap_digest_vectors)
{
	uint8_t out[CHAP_DIGEST_MAX];
	char hex[2 * CHAP_DIGEST_MAX + 3];
	size_t len;

	if (!chap_alg_available(chap_alg_by_id(vectors[_i].alg)))
		return;	/* e.g. MD5 under FIPS */
	ck_assert_int_eq(chap_compute(vectors[_i].alg, vectors[_i].id, vectors[_i].secret,
	    strlen(vectors[_i].secret), (const uint8_t *)vectors[_i].challenge, vectors[_i].clen,
	    out, &len), 0);
	ck_assert_uint_eq(len, chap_alg_by_id(vectors[_i].alg)->digest_len);
	ck_assert_int_eq(chap_encode_hex(out, len, hex, sizeof(hex)), 0);
	ck_assert_str_eq(hex + 2, vectors[_i].hex);
}
END_TEST

START_TEST(test_chap_alg_table)
{
	static const struct { int id; const char *name; size_t len; } want[] = {
		{ 5, "MD5", 16 }, { 6, "SHA1", 20 }, { 7, "SHA256", 32 }, { 8, "SHA3-256", 32 },
	};
	int ids[CHAP_MAX_ALGS];
	size_t n;

	for (size_t i = 0; i < 4; i++) {
		ck_assert_ptr_eq(chap_alg_by_name(want[i].name), chap_alg_by_id(want[i].id));
		ck_assert_uint_eq(chap_alg_by_id(want[i].id)->digest_len, want[i].len);
		ck_assert_uint_le(want[i].len, CHAP_DIGEST_MAX);
	}
	ck_assert_ptr_null(chap_alg_by_id(9));
	ck_assert_int_eq(chap_parse_algs("SHA3-256,SHA256,SHA1,MD5", ids, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(ids[0], 8);
	ck_assert_int_eq(ids[3], 5);
	ck_assert_int_eq(chap_parse_algs("sha256", ids, &n), 0);
	ck_assert_int_eq(ids[0], 7);
	ck_assert_int_eq(chap_parse_algs("MD4", ids, &n), ISCSI_ERR_INVAL);
	ck_assert_int_eq(chap_parse_algs("", ids, &n), ISCSI_ERR_INVAL);
}
END_TEST

static const struct { const char *in; int rc; size_t len; uint8_t first; } decodes[] = {
	{ "0x00ff", 0, 2, 0x00 },
	{ "0XAbC", 0, 2, 0x0a },	/* odd digits: leading nibble */
	{ "0bAAEC", 0, 3, 0x00 },
	{ "0bQUJD", 0, 3, 'A' },
	{ "0bQUI=", 0, 2, 'A' },
	{ "0bQQ==", 0, 1, 'A' },
	{ "0bQ===", ISCSI_ERR_INVAL, 0, 0 },
	{ "0bQUJ", ISCSI_ERR_INVAL, 0, 0 },
	{ "0bQ=UI", ISCSI_ERR_INVAL, 0, 0 },
	{ "0x", ISCSI_ERR_INVAL, 0, 0 },
	{ "0xg0", ISCSI_ERR_INVAL, 0, 0 },
	{ "1234", ISCSI_ERR_INVAL, 0, 0 },
	{ "", ISCSI_ERR_INVAL, 0, 0 },
	{ "0x0102030405", ISCSI_ERR_INVAL, 0, 0 },	/* over the 4-byte cap below */
};

START_TEST(test_chap_decode)
{
	uint8_t out[4];
	size_t len = 0;

	ck_assert_int_eq(chap_decode(decodes[_i].in, strlen(decodes[_i].in), out, sizeof(out),
	    &len), decodes[_i].rc);
	if (decodes[_i].rc == 0) {
		ck_assert_uint_eq(len, decodes[_i].len);
		ck_assert_uint_eq(out[0], decodes[_i].first);
	}
}
END_TEST

static struct chap_cfg
cfg_of(const char *u, const char *p, const char *ui, const char *pi, int alg)
{
	struct chap_cfg c = { .username = u, .password = p, .username_in = ui,
	    .password_in = pi, .algs = { alg }, .nalgs = 1 };

	return c;
}

/* The captured tgtd challenges and our answers (benchuser/benchsecret12). */
START_TEST(test_chap_tgtd_transcripts)
{
	struct chap_ctx c;
	struct chap_cfg cfg = cfg_of("benchuser", "benchsecret12", NULL, NULL, 5);
	struct keys_buf r = { 0 };
	char s[512];
	const char *md5c = "0x5cbe76aa69a0de237d6150ced6aa2ce40e5fdd96b3f29b1ef587ff42d20e5d38"
	    "cdce08a3c8d238a2fd1e6655e0b5fbf35459";
	const char *shac = "0xe3aa168a2d07ac416cdce0708a80b31abe68876baeb78bc570a8fba0f34b59ef"
	    "44942393071d3340895929d2964e0cafc406";

	/* login_libiscsi_mutual_chap frames 9/10: CHAP_A=5 CHAP_I=1. */
	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert_int_eq(chap_respond(&c, "5", 1, "1", 1, md5c, strlen(md5c), &r), 0);
	ck_assert_str_eq(pu_spaced((uint8_t *)r.kb_buf, r.kb_len, s, sizeof(s)),
	    "CHAP_N=benchuser CHAP_R=0xb07bde74b740ba4ae1ae84d81ece95a8");
	/* discovery_chap_sha256_vs_tgtd frames 13/15: CHAP_A=7 (SHA-256) CHAP_I=2. */
	r.kb_len = 0;
	cfg.algs[0] = 7;
	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert_int_eq(chap_respond(&c, "7", 1, "2", 1, shac, strlen(shac), &r), 0);
	ck_assert_str_eq(pu_spaced((uint8_t *)r.kb_buf, r.kb_len, s, sizeof(s)),
	    "CHAP_N=benchuser CHAP_R=0xf421a4cbc831cbf170710955ef3132a76883e9de98aba8f5a057d7ba"
	    "8ec87bfd");
	keys_buf_free(&r);
	chap_clear(&c);
}
END_TEST

/* The target's mutual answer in the capture: benchtgt/tgtsecret1234 over the
 * challenge libiscsi sent (frame 10), CHAP_I 1, CHAP_R 0x7d2f... (frame 11). */
START_TEST(test_chap_mutual_capture_verifies)
{
	struct chap_ctx c;
	struct chap_cfg cfg = cfg_of("benchuser", "benchsecret12", "benchtgt", "tgtsecret1234", 5);
	size_t len;

	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert(chap_is_mutual(&c));
	c.alg = 5;
	c.my_id = 1;
	chap_decode("0xED3F13F0B684676BEEA1BA3BF3E2F175F3BEF3E3E70A58A9BFD141B5705F3F5E", 66,
	    c.my_chal, sizeof(c.my_chal), &len);
	c.my_chal_len = len;
	ck_assert_int_eq(chap_verify(&c, "benchtgt", 8, "0x7d2fdc2ca32a9768ec235c41ed4e91ba", 34),
	    0);
	/* Upper-case hex (libiscsi's style) and base64 of the same bytes. */
	ck_assert_int_eq(chap_verify(&c, "benchtgt", 8, "0X7D2FDC2CA32A9768EC235C41ED4E91BA", 34),
	    0);
	ck_assert_int_eq(chap_verify(&c, "benchtgt", 8, "0bfS/cLKMql2jsI1xB7U6Rug==", 26), 0);
	ck_assert_int_eq(chap_verify(&c, "benchtgt", 8, "0x7d2fdc2ca32a9768ec235c41ed4e91bb", 34),
	    ISCSI_ERR_LOGIN_AUTH_FAILED);
	ck_assert_int_eq(chap_verify(&c, "benchtgt", 8, "0x7d2fdc2ca32a9768ec235c41ed4e91", 32),
	    ISCSI_ERR_LOGIN_AUTH_FAILED);	/* short */
	ck_assert_int_eq(chap_verify(&c, "benchtgX", 8, "0x7d2fdc2ca32a9768ec235c41ed4e91ba", 34),
	    ISCSI_ERR_LOGIN_AUTH_FAILED);
	chap_clear(&c);
}
END_TEST

/* Full mutual exchange, every algorithm: we answer, we challenge, a
 * simulated target answers us, reflection of our challenge is refused. */
START_TEST(test_chap_mutual_roundtrip)
{
	static const int algs[] = { 5, 6, 7, 8 };
	int alg = algs[_i];
	struct chap_ctx c;
	struct chap_cfg cfg = cfg_of("me", "out-secret-123", "tgt", "in-secret-4567", alg);
	struct keys_buf r = { 0 };
	const char *k, *v, *myc = NULL, *myi = NULL;
	size_t off = 0, kl, vl, myclen = 0, myilen = 0, len;
	uint8_t chal[CHAP_DIGEST_MAX], dig[CHAP_DIGEST_MAX];
	char hex[2 * CHAP_DIGEST_MAX + 3], a[4];
	uint64_t id;
	const char *tchal = "0x000102030405060708090a0b0c0d0e0f1011";

	if (!chap_alg_available(chap_alg_by_id(alg)))
		return;
	snprintf(a, sizeof(a), "%d", alg);
	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert_int_eq(chap_respond(&c, a, strlen(a), "9", 1, tchal, strlen(tchal), &r), 0);
	while (keys_next(r.kb_buf, r.kb_len, &off, &k, &kl, &v, &vl) == 1) {
		if (kl == 6 && memcmp(k, "CHAP_C", 6) == 0) { myc = v; myclen = vl; }
		if (kl == 6 && memcmp(k, "CHAP_I", 6) == 0) { myi = v; myilen = vl; }
	}
	ck_assert_ptr_nonnull(myc);
	ck_assert_int_eq(keys_parse_num(myi, myilen, &id), 0);
	ck_assert_int_eq(chap_decode(myc, myclen, chal, sizeof(chal), &len), 0);
	ck_assert_uint_eq(len, chap_alg_by_id(alg)->digest_len);
	ck_assert_int_eq(chap_compute(alg, (uint8_t)id, "in-secret-4567", 14, chal, len, dig, &len),
	    0);
	chap_encode_hex(dig, len, hex, sizeof(hex));
	ck_assert_int_eq(chap_verify(&c, "tgt", 3, hex, strlen(hex)), 0);

	/* A second connection's target replays our challenge at us. */
	struct chap_ctx c2;
	struct keys_buf r2 = { 0 };

	ck_assert_int_eq(chap_init(&c2, &cfg), 0);
	ck_assert_int_eq(chap_respond(&c2, a, strlen(a), "1", 1, myc, myclen, &r2),
	    ISCSI_ERR_LOGIN_AUTH_FAILED);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_LOGIN_AUTH_FAILED), "reflection"));
	keys_buf_free(&r);
	keys_buf_free(&r2);
	chap_clear(&c);
	chap_clear(&c2);
}
END_TEST

/* Bad target challenges and bad configurations. */
static const struct { const char *a, *i, *c; const char *detail; } bad_ch[] = {
	{ "7", "1", "0x000102030405060708090a0b0c0d0e0f", "did not offer" },
	{ "x", "1", "0x000102030405060708090a0b0c0d0e0f", "not a number" },
	{ "5", "256", "0x000102030405060708090a0b0c0d0e0f", "CHAP_I" },
	{ "5", "-1", "0x000102030405060708090a0b0c0d0e0f", "CHAP_I" },
	{ "5", "1", "0x0001020304050607", "at least 16" },
	{ "5", "1", "0xzz", "invalid CHAP_C" },
	{ "5", "1", NULL, "did not send" },
};

START_TEST(test_chap_bad_challenges)
{
	struct chap_ctx c;
	struct chap_cfg cfg = cfg_of("u", "p", NULL, NULL, 5);
	struct keys_buf r = { 0 };
	const char *ch = bad_ch[_i].c;

	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert_int_eq(chap_respond(&c, bad_ch[_i].a, strlen(bad_ch[_i].a), bad_ch[_i].i,
	    strlen(bad_ch[_i].i), ch, ch ? strlen(ch) : 0, &r), ISCSI_ERR_LOGIN_AUTH_FAILED);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_LOGIN_AUTH_FAILED), bad_ch[_i].detail));
	ck_assert_uint_eq(r.kb_len, 0);
	keys_buf_free(&r);
}
END_TEST

START_TEST(test_chap_huge_challenge)
{
	/* 1025 bytes: one over RFC 7143's limit; 1024 is accepted. */
	static char big[2 + 2 * 1025 + 1];
	struct chap_ctx c;
	struct chap_cfg cfg = cfg_of("u", "p", NULL, NULL, 5);
	struct keys_buf r = { 0 };

	if (!chap_alg_available(chap_alg_by_id(5)))
		return;
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '0';
	big[1] = 'x';
	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert_int_eq(chap_respond(&c, "5", 1, "1", 1, big, sizeof(big) - 1, &r),
	    ISCSI_ERR_LOGIN_AUTH_FAILED);
	ck_assert_int_eq(chap_respond(&c, "5", 1, "1", 1, big, sizeof(big) - 3, &r), 0);
	keys_buf_free(&r);
}
END_TEST

START_TEST(test_chap_bad_config)
{
	struct chap_ctx c;
	struct chap_cfg cfg = cfg_of("u", "same-secret", "t", "same-secret", 5);
	char offer[64];

	ck_assert_int_eq(chap_init(&c, &cfg), ISCSI_ERR_INVAL);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_INVAL), "identical"));
	cfg = cfg_of("u", "", NULL, NULL, 5);
	ck_assert_int_eq(chap_init(&c, &cfg), ISCSI_ERR_INVAL);
	cfg = cfg_of("u", "p", NULL, "in-only", 5);
	ck_assert_int_eq(chap_init(&c, &cfg), ISCSI_ERR_INVAL);
	cfg = cfg_of("u", "p", NULL, NULL, 4);
	ck_assert_int_eq(chap_init(&c, &cfg), ISCSI_ERR_INVAL);
	cfg = cfg_of("u", "p", NULL, NULL, 7);
	cfg.algs[1] = 5;
	cfg.nalgs = 2;
	ck_assert_int_eq(chap_init(&c, &cfg), 0);
	ck_assert(!chap_is_mutual(&c));
	chap_alg_offer(&c, offer, sizeof(offer));
	ck_assert_str_eq(offer, "7,5");
}
END_TEST

static Suite *
chap_suite(void)
{
	Suite *s = suite_create("chap");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_chap_digest_vectors, 0, sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_test(tc, test_chap_alg_table);
	tcase_add_loop_test(tc, test_chap_decode, 0, sizeof(decodes) / sizeof(decodes[0]));
	tcase_add_test(tc, test_chap_tgtd_transcripts);
	tcase_add_test(tc, test_chap_mutual_capture_verifies);
	tcase_add_loop_test(tc, test_chap_mutual_roundtrip, 0, 4);
	tcase_add_loop_test(tc, test_chap_bad_challenges, 0, sizeof(bad_ch) / sizeof(bad_ch[0]));
	tcase_add_test(tc, test_chap_huge_challenge);
	tcase_add_test(tc, test_chap_bad_config);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(chap_suite)
