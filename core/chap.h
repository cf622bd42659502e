/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CHAP for iSCSI (RFC 7143 §12.1.3, RFC 1994) on the initiator side:
 * algorithm table (CHAP_A 5 MD5, 6 SHA-1, 7 SHA-256, 8 SHA3-256) through
 * OpenSSL EVP, one-way and mutual, value encodings (0x hex, 0b base64).
 * Sans-I/O: key values in, key values out.  Not the login state machine.
 */
#ifndef ISCSIKIT_CHAP_H
#define ISCSIKIT_CHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHAP_DIGEST_MAX		64	/* largest digest in the table */
#define CHAP_CHALLENGE_MAX	1024	/* RFC 7143 §12.1.3: binary values up to 1024 bytes */
#define CHAP_CHALLENGE_MIN	16	/* refuse shorter target challenges */
#define CHAP_MAX_ALGS		8
#define CHAP_NAME_MAX		256
#define CHAP_SECRET_MAX		256

/* CHAP_A values (IANA "PPP Authentication Algorithms"). */
enum chap_alg_id {
	CHAP_ALG_MD5		= 5,
	CHAP_ALG_SHA1		= 6,
	CHAP_ALG_SHA256		= 7,
	CHAP_ALG_SHA3_256	= 8,
};

/**
 * struct chap_alg - one algorithm row.
 * @id:         CHAP_A value.
 * @name:       name as node.session.auth.chap_algs spells it ("SHA3-256").
 * @evp_name:   OpenSSL digest name.
 * @digest_len: response size in bytes (16, 20, 32, 32).
 */
struct chap_alg {
	int		 id;
	const char	*name;
	const char	*evp_name;
	size_t		 digest_len;
};

const struct chap_alg *chap_alg_by_id(int id);
const struct chap_alg *chap_alg_by_name(const char *name);	/* case-insensitive */
/* Is the algorithm usable in this OpenSSL (FIPS may refuse MD5)? */
bool chap_alg_available(const struct chap_alg *a);
/*
 * Parse node.session.auth.chap_algs ("SHA3-256,SHA256,SHA1,MD5") into CHAP_A
 * ids in the given order; unknown names fail, unavailable ones are dropped
 * with a warning.  Returns 0 or ISCSI_ERR_INVAL; *@n is at least 1 on success.
 */
int chap_parse_algs(const char *list, int ids[CHAP_MAX_ALGS], size_t *n);

/*
 * Response = H(identifier || secret || challenge) (RFC 1994 §4.1).
 * @out must hold CHAP_DIGEST_MAX bytes; *@outlen gets the digest size.
 * 0 or ISCSI_ERR_INTERNAL / ISCSI_ERR_INVAL.
 */
int chap_compute(int alg, uint8_t identifier, const void *secret, size_t secret_len,
    const uint8_t *challenge, size_t challenge_len, uint8_t *out, size_t *outlen);

/* Decode a binary value, "0x<hex>" or "0b<base64>" (RFC 7143 §6.1).
 * Returns 0 or ISCSI_ERR_INVAL (bad prefix/characters, longer than @cap, empty). */
int chap_decode(const char *val, size_t vlen, uint8_t *out, size_t cap, size_t *outlen);
/* Encode as "0x" + lower-case hex; @cap must be >= 2*len+3.  0 or ISCSI_ERR_INVAL. */
int chap_encode_hex(const uint8_t *buf, size_t len, char *out, size_t cap);

/**
 * struct chap_cfg - credentials and choices, from node.session.auth.* or
 * discovery.sendtargets.auth.*.  Strings are copied by chap_init().
 * @username/@password:       we prove ourselves (one-way CHAP).
 * @username_in/@password_in: the target proves itself (mutual CHAP).
 * @algs/@nalgs:              CHAP_A ids in preference order.
 */
struct chap_cfg {
	const char	*username;
	const char	*password;
	const char	*username_in;
	const char	*password_in;
	int		 algs[CHAP_MAX_ALGS];
	size_t		 nalgs;
};

/* Initiator CHAP exchange state (opaque in spirit; embedded by login.c). */
struct chap_ctx {
	char		 user[CHAP_NAME_MAX];
	uint8_t		 secret[CHAP_SECRET_MAX];
	size_t		 secret_len;
	char		 user_in[CHAP_NAME_MAX];
	uint8_t		 secret_in[CHAP_SECRET_MAX];
	size_t		 secret_in_len;
	bool		 mutual;
	int		 algs[CHAP_MAX_ALGS];
	size_t		 nalgs;
	int		 alg;			/* chosen by the target, 0 until known */
	uint8_t		 my_id;			/* our CHAP_I for mutual */
	uint8_t		 my_chal[CHAP_DIGEST_MAX];
	size_t		 my_chal_len;
	uint8_t		 tgt_chal[CHAP_CHALLENGE_MAX];
	size_t		 tgt_chal_len;
};

/*
 * Check and copy @cfg.  Refuses (ISCSI_ERR_INVAL with detail): no username
 * or password, incoming credentials whose secret equals the outgoing one,
 * over-long values, an empty algorithm list.
 */
int chap_init(struct chap_ctx *c, const struct chap_cfg *cfg);
/* Wipe secrets. */
void chap_clear(struct chap_ctx *c);
/* Mutual CHAP configured (AuthMethod=CHAP only, never None). */
bool chap_is_mutual(const struct chap_ctx *c);
/* "7,5": the CHAP_A offer; @cap >= 4*CHAP_MAX_ALGS is enough. */
void chap_alg_offer(const struct chap_ctx *c, char *out, size_t cap);

/*
 * Target's CHAP_A, CHAP_I, CHAP_C (values as received, not NUL-terminated,
 * lengths given).  Checks: CHAP_A is one we offered, CHAP_I a number 0..255,
 * CHAP_C decodes to CHAP_CHALLENGE_MIN..CHAP_CHALLENGE_MAX bytes and is
 * not a challenge this process issued recently (reflection: a target that
 * replays our own challenge, on this or another connection, to make us
 * compute the answer for it; RFC 7143 §12.1.3).  On
 * success appends CHAP_N and CHAP_R, and for mutual CHAP also our CHAP_I
 * and CHAP_C (fresh RAND_bytes, digest length) to @reply.
 * Returns 0, ISCSI_ERR_LOGIN_AUTH_FAILED (bad values) or ISCSI_ERR_NOMEM.
 */
struct keys_buf;
int chap_respond(struct chap_ctx *c, const char *a, size_t alen, const char *i, size_t ilen,
    const char *ch, size_t chlen, struct keys_buf *reply);
/*
 * Mutual CHAP: verify the target's CHAP_N/CHAP_R against username_in /
 * password_in and our challenge, in constant time (CRYPTO_memcmp).
 * 0 or ISCSI_ERR_LOGIN_AUTH_FAILED.
 */
int chap_verify(struct chap_ctx *c, const char *n, size_t nlen, const char *r, size_t rlen);

#endif
