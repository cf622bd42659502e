// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Initiator-side CHAP (RFC 7143 §12.1.3, RFC 1994): the algorithm table,
 * hex/base64 values, the response to a target challenge and the check of
 * the target's response for mutual CHAP.  Digests go through OpenSSL EVP;
 * comparisons of secrets-derived values are constant time.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sys/random.h>

#include "chap.h"
#include "crypto.h"
#include "err.h"
#include "keys.h"
#include "log.h"

#define AUTH_ERR ISCSI_ERR_LOGIN_AUTH_FAILED

static const struct chap_alg chap_algs[] = {
	{ CHAP_ALG_MD5,		"MD5",		"MD5",		16 },
	{ CHAP_ALG_SHA1,	"SHA1",		"SHA1",		20 },
	{ CHAP_ALG_SHA256,	"SHA256",	"SHA256",	32 },
	{ CHAP_ALG_SHA3_256,	"SHA3-256",	"SHA3-256",	32 },
};
#define CHAP_NALGS (sizeof(chap_algs) / sizeof(chap_algs[0]))

/* Challenges this process sent recently, to spot one reflected back to us. */
#define CHAP_RECENT 32
static struct {
	uint8_t	c[CHAP_DIGEST_MAX];
	size_t	len;
} chap_recent[CHAP_RECENT];
static unsigned chap_recent_next;

const struct chap_alg *
chap_alg_by_id(int id)
{
	for (size_t i = 0; i < CHAP_NALGS; i++)
		if (chap_algs[i].id == id)
			return &chap_algs[i];
	return NULL;
}

const struct chap_alg *
chap_alg_by_name(const char *name)
{
	for (size_t i = 0; i < CHAP_NALGS; i++)
		if (strcasecmp(chap_algs[i].name, name) == 0)
			return &chap_algs[i];
	return NULL;
}

/* Constant time: how long a compare takes must not tell where secrets differ. */
static bool
chap_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

bool
chap_alg_available(const struct chap_alg *a)
{
	const struct crypto_fns *cf = crypto_get();
	EVP_MD_CTX *ctx;
	const EVP_MD *md;
	bool ok;

	if (cf == NULL)
		return false;
	ctx = cf->md_ctx_new();
	md = cf->get_digestbyname(a->evp_name);
	ok = ctx != NULL && md != NULL && cf->digest_init(ctx, md, NULL) == 1 &&
	    (size_t)cf->md_size(md) == a->digest_len;
	cf->md_ctx_free(ctx);
	return ok;
}

int
chap_parse_algs(const char *list, int ids[CHAP_MAX_ALGS], size_t *n)
{
	char buf[256], *tok, *save = NULL;

	*n = 0;
	if (strlen(list) >= sizeof(buf))
		return err_set(ISCSI_ERR_INVAL, "chap_algs list is too long");
	strcpy(buf, list);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		const struct chap_alg *a = chap_alg_by_name(tok);

		if (a == NULL)
			return err_set(ISCSI_ERR_INVAL, "unknown CHAP algorithm \"%s\"", tok);
		if (!chap_alg_available(a)) {
			log_warnx("CHAP algorithm %s is not available in this crypto library; "
			    "dropped", a->name);
			continue;
		}
		if (*n < CHAP_MAX_ALGS)
			ids[(*n)++] = a->id;
	}
	if (*n == 0)
		return err_set(ISCSI_ERR_INVAL, "no usable CHAP algorithm in \"%s\"", list);
	return ISCSI_OK;
}

int
chap_compute(int alg, uint8_t identifier, const void *secret, size_t secret_len,
    const uint8_t *challenge, size_t challenge_len, uint8_t *out, size_t *outlen)
{
	const struct chap_alg *a = chap_alg_by_id(alg);
	const struct crypto_fns *cf;
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	int ok;

	if (a == NULL)
		return err_set(ISCSI_ERR_INVAL, "unknown CHAP_A %d", alg);
	if ((cf = crypto_get()) == NULL)
		return ISCSI_ERR_INTERNAL;
	if ((md = cf->get_digestbyname(a->evp_name)) == NULL ||
	    (size_t)cf->md_size(md) != a->digest_len)
		return err_set(ISCSI_ERR_INTERNAL, "digest %s unavailable", a->name);
	if ((ctx = cf->md_ctx_new()) == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for a digest context");
	ok = cf->digest_init(ctx, md, NULL) == 1 &&
	    cf->digest_update(ctx, &identifier, 1) == 1 &&
	    cf->digest_update(ctx, secret, secret_len) == 1 &&
	    cf->digest_update(ctx, challenge, challenge_len) == 1 &&
	    cf->digest_final(ctx, out, &len) == 1;
	cf->md_ctx_free(ctx);
	if (!ok || len != a->digest_len)
		return err_set(ISCSI_ERR_INTERNAL, "%s digest failed", a->name);
	*outlen = len;
	return ISCSI_OK;
}

static int
chap_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
chap_b64val(char c)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) : -1;
}

static int
chap_decode_hex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t n = 0, i = 0;

	/* An odd digit count means a leading zero nibble (RFC 7143 §6.1). */
	if (len % 2) {
		int v = chap_hexval(s[0]);

		if (v < 0 || cap < 1)
			return -1;
		out[n++] = (uint8_t)v;
		i = 1;
	}
	for (; i < len; i += 2) {
		int hi = chap_hexval(s[i]), lo = chap_hexval(s[i + 1]);

		if (hi < 0 || lo < 0 || n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	*outlen = n;
	return 0;
}

static int
chap_decode_b64(const char *s, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	uint32_t acc = 0;
	size_t n = 0, pad = 0, bits = 0;

	if (len % 4)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v;

		if (s[i] == '=') {
			if (i < len - 2 || ++pad > 2)
				return -1;
			continue;
		}
		if (pad || (v = chap_b64val(s[i])) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	*outlen = n;
	return 0;
}

int
chap_decode(const char *val, size_t vlen, uint8_t *out, size_t cap, size_t *outlen)
{
	int rc = -1;

	if (vlen > 2 && val[0] == '0' && (val[1] == 'x' || val[1] == 'X'))
		rc = chap_decode_hex(val + 2, vlen - 2, out, cap, outlen);
	else if (vlen > 2 && val[0] == '0' && (val[1] == 'b' || val[1] == 'B'))
		rc = chap_decode_b64(val + 2, vlen - 2, out, cap, outlen);
	if (rc != 0 || *outlen == 0)
		return err_set(ISCSI_ERR_INVAL, "CHAP value is not 0x-hex or 0b-base64 of 1..%zu "
		    "bytes", cap);
	return ISCSI_OK;
}

int
chap_encode_hex(const uint8_t *buf, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";

	if (cap < 2 * len + 3)
		return err_set(ISCSI_ERR_INVAL, "no room for a %zu-byte CHAP value", len);
	out[0] = '0';
	out[1] = 'x';
	for (size_t i = 0; i < len; i++) {
		out[2 + 2 * i] = digits[buf[i] >> 4];
		out[3 + 2 * i] = digits[buf[i] & 15];
	}
	out[2 + 2 * len] = '\0';
	return ISCSI_OK;
}

int
chap_init(struct chap_ctx *c, const struct chap_cfg *cfg)
{
	size_t ul, pl;

	memset(c, 0, sizeof(*c));
	if (cfg->username == NULL || cfg->password == NULL || cfg->password[0] == '\0')
		return err_set(ISCSI_ERR_INVAL, "CHAP needs a username and a password");
	ul = strlen(cfg->username);
	pl = strlen(cfg->password);
	if (ul >= CHAP_NAME_MAX || pl > CHAP_SECRET_MAX)
		return err_set(ISCSI_ERR_INVAL, "CHAP username or password is too long");
	memcpy(c->user, cfg->username, ul + 1);
	memcpy(c->secret, cfg->password, pl);
	c->secret_len = pl;
	if (cfg->password_in != NULL && cfg->password_in[0] != '\0') {
		size_t uil = cfg->username_in ? strlen(cfg->username_in) : 0;
		size_t pil = strlen(cfg->password_in);

		if (uil == 0 || uil >= CHAP_NAME_MAX || pil > CHAP_SECRET_MAX) {
			chap_clear(c);
			return err_set(ISCSI_ERR_INVAL, "mutual CHAP needs username_in and a "
			    "password_in of at most %d bytes", CHAP_SECRET_MAX);
		}
		/* Identical secrets would let a target answer its own challenge
		 * with ours (open-iscsi: AUTH_DBG_STATUS_PASSWD_IDENTICAL). */
		if (pil == pl && chap_equal(cfg->password_in, cfg->password, pl)) {
			chap_clear(c);
			return err_set(ISCSI_ERR_INVAL, "CHAP password and password_in are "
			    "identical");
		}
		memcpy(c->user_in, cfg->username_in, uil + 1);
		memcpy(c->secret_in, cfg->password_in, pil);
		c->secret_in_len = pil;
		c->mutual = true;
	}
	for (size_t i = 0; i < cfg->nalgs && i < CHAP_MAX_ALGS; i++)
		if (chap_alg_by_id(cfg->algs[i]) != NULL)
			c->algs[c->nalgs++] = cfg->algs[i];
	if (c->nalgs == 0) {
		chap_clear(c);
		return err_set(ISCSI_ERR_INVAL, "no CHAP algorithm configured");
	}
	return ISCSI_OK;
}

void
chap_clear(struct chap_ctx *c)
{
	explicit_bzero(c, sizeof(*c));
}

bool
chap_is_mutual(const struct chap_ctx *c)
{
	return c->mutual;
}

void
chap_alg_offer(const struct chap_ctx *c, char *out, size_t cap)
{
	size_t off = 0;

	out[0] = '\0';
	for (size_t i = 0; i < c->nalgs && off < cap; i++)
		off += (size_t)snprintf(out + off, cap - off, "%s%d", i ? "," : "", c->algs[i]);
}

static bool
chap_is_recent(const uint8_t *ch, size_t len)
{
	for (unsigned i = 0; i < CHAP_RECENT; i++)
		if (chap_recent[i].len == len && chap_equal(chap_recent[i].c, ch, len))
			return true;
	return false;
}

static void
chap_remember(const uint8_t *ch, size_t len)
{
	memcpy(chap_recent[chap_recent_next].c, ch, len);
	chap_recent[chap_recent_next].len = len;
	chap_recent_next = (chap_recent_next + 1) % CHAP_RECENT;
}

/* Check CHAP_A and CHAP_I and decode CHAP_C into the context. */
static int
chap_take_challenge(struct chap_ctx *c, const char *a, size_t alen, const char *i,
    size_t ilen, const char *ch, size_t chlen, uint64_t *id)
{
	uint64_t alg;
	bool offered = false;

	if (keys_parse_num(a, alen, &alg) != 0)
		return err_set(AUTH_ERR, "target sent a CHAP_A that is not a number");
	for (size_t k = 0; k < c->nalgs; k++)
		offered |= (uint64_t)c->algs[k] == alg;
	if (!offered)
		return err_set(AUTH_ERR, "target chose CHAP_A=%llu, which we did not offer",
		    (unsigned long long)alg);
	c->alg = (int)alg;
	if (keys_parse_num(i, ilen, id) != 0 || *id > 255)
		return err_set(AUTH_ERR, "target sent an invalid CHAP_I");
	if (chap_decode(ch, chlen, c->tgt_chal, sizeof(c->tgt_chal), &c->tgt_chal_len) != 0)
		return err_set(AUTH_ERR, "target sent an invalid CHAP_C (more than %d bytes or "
		    "badly encoded)", CHAP_CHALLENGE_MAX);
	if (c->tgt_chal_len < CHAP_CHALLENGE_MIN)
		return err_set(AUTH_ERR, "target sent a %zu-byte CHAP_C; at least %d required",
		    c->tgt_chal_len, CHAP_CHALLENGE_MIN);
	if (chap_is_recent(c->tgt_chal, c->tgt_chal_len))
		return err_set(AUTH_ERR, "target sent back a challenge we issued (reflection)");
	return ISCSI_OK;
}

/* Mutual CHAP: a fresh identifier and challenge of the digest's length. */
static int
chap_make_challenge(struct chap_ctx *c, struct keys_buf *reply)
{
	char hex[2 * CHAP_DIGEST_MAX + 3];
	int rc;

	c->my_chal_len = chap_alg_by_id(c->alg)->digest_len;
	do {
		if (getrandom(c->my_chal, c->my_chal_len, 0) != (ssize_t)c->my_chal_len ||
		    getrandom(&c->my_id, 1, 0) != 1)
			return err_set(ISCSI_ERR_INTERNAL, "no random bytes for a CHAP challenge");
	} while (c->my_chal_len == c->tgt_chal_len &&
	    memcmp(c->my_chal, c->tgt_chal, c->my_chal_len) == 0);
	chap_remember(c->my_chal, c->my_chal_len);
	chap_encode_hex(c->my_chal, c->my_chal_len, hex, sizeof(hex));
	if ((rc = keys_buf_addf(reply, "CHAP_I", "%u", c->my_id)) != ISCSI_OK)
		return rc;
	return keys_buf_add(reply, "CHAP_C", hex);
}

int
chap_respond(struct chap_ctx *c, const char *a, size_t alen, const char *i, size_t ilen,
    const char *ch, size_t chlen, struct keys_buf *reply)
{
	uint8_t digest[CHAP_DIGEST_MAX];
	char hex[2 * CHAP_DIGEST_MAX + 3];
	size_t dlen;
	uint64_t id;
	int rc;

	if (a == NULL || i == NULL || ch == NULL)
		return err_set(AUTH_ERR, "target did not send CHAP_A, CHAP_I and CHAP_C");
	if ((rc = chap_take_challenge(c, a, alen, i, ilen, ch, chlen, &id)) != ISCSI_OK)
		return rc;
	if ((rc = chap_compute(c->alg, (uint8_t)id, c->secret, c->secret_len, c->tgt_chal,
	    c->tgt_chal_len, digest, &dlen)) != ISCSI_OK)
		return rc;
	chap_encode_hex(digest, dlen, hex, sizeof(hex));
	explicit_bzero(digest, sizeof(digest));
	if ((rc = keys_buf_add(reply, "CHAP_N", c->user)) != ISCSI_OK ||
	    (rc = keys_buf_add(reply, "CHAP_R", hex)) != ISCSI_OK)
		return rc;
	return c->mutual ? chap_make_challenge(c, reply) : ISCSI_OK;
}

int
chap_verify(struct chap_ctx *c, const char *n, size_t nlen, const char *r, size_t rlen)
{
	uint8_t want[CHAP_DIGEST_MAX], got[CHAP_DIGEST_MAX];
	size_t wlen, glen;
	int ok;

	if (!c->mutual || c->my_chal_len == 0)
		return err_set(AUTH_ERR, "target sent CHAP_N/CHAP_R we did not ask for");
	if (n == NULL || r == NULL)
		return err_set(AUTH_ERR, "target did not authenticate itself (no CHAP_N/CHAP_R)");
	if (nlen != strlen(c->user_in) || memcmp(n, c->user_in, nlen) != 0)
		return err_set(AUTH_ERR, "target's CHAP_N does not match username_in");
	if (chap_decode(r, rlen, got, sizeof(got), &glen) != 0)
		return err_set(AUTH_ERR, "target sent an invalid CHAP_R");
	if (chap_compute(c->alg, c->my_id, c->secret_in, c->secret_in_len, c->my_chal,
	    c->my_chal_len, want, &wlen) != ISCSI_OK)
		return ISCSI_ERR_INTERNAL;
	ok = glen == wlen && chap_equal(got, want, wlen);
	explicit_bzero(want, sizeof(want));
	return ok ? ISCSI_OK : err_set(AUTH_ERR, "target's CHAP_R is wrong (mutual CHAP)");
}
