/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text keys (RFC 7143 §6 and §13) as data: one table row per key with its
 * type, scope, phase, default, range and result rule.  Emitting our offer,
 * parsing the target's answer and merging the result are loops over that
 * table.  CHAP/AuthMethod values are only carried here; chap.c checks them.
 */
#ifndef ISCSIKIT_KEYS_H
#define ISCSIKIT_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYS_NAME_MAX	63	/* RFC 7143 §6.1: key names at most 63 bytes */
#define KEYS_VALUE_MAX	8192	/* §6.1: values at most 255 bytes, except binary up to 8192 */

/* HeaderDigest/DataDigest offers as the node record spells them. */
enum iscsi_digest {
	ISCSI_DIGEST_NONE		= 0,	/* "None" */
	ISCSI_DIGEST_CRC32C		= 1,	/* "CRC32C" */
	ISCSI_DIGEST_CRC32C_NONE	= 2,	/* "CRC32C,None" (prefer CRC32C) */
	ISCSI_DIGEST_NONE_CRC32C	= 3,	/* "None,CRC32C" */
};

/**
 * struct iscsi_params - operational parameters of a session and connection.
 * Used both as what we offer (login_cfg.lc_want, filled by keys_defaults()
 * then from the node record) and as the negotiated result (login_out).
 * Booleans are 0/1.  After negotiation the digests are NONE or CRC32C.
 */
struct iscsi_params {
	uint32_t	header_digest;		/* enum iscsi_digest */
	uint32_t	data_digest;		/* enum iscsi_digest */
	uint32_t	max_connections;
	uint32_t	initial_r2t;
	uint32_t	immediate_data;
	uint32_t	max_recv_dsl;		/* we declare: MaxRecvDataSegmentLength */
	uint32_t	max_xmit_dsl;		/* target declared (8192 if it never does) */
	uint32_t	max_burst;
	uint32_t	first_burst;
	uint32_t	default_time2wait;
	uint32_t	default_time2retain;
	uint32_t	max_outstanding_r2t;
	uint32_t	data_pdu_in_order;
	uint32_t	data_sequence_in_order;
	uint32_t	error_recovery_level;
	uint32_t	ifmarker;
	uint32_t	ofmarker;
	uint32_t	tpgt;			/* TargetPortalGroupTag, declared by target */
	uint32_t	tpgt_seen;		/* 1 if the target sent TargetPortalGroupTag */
	uint32_t	rdma_extensions;	/* RFC 7145 RDMAExtensions (iSER): 1 = Yes */
	uint32_t	ini_recv_dsl;		/* iSER InitiatorRecvDataSegmentLength */
	uint32_t	tgt_recv_dsl;		/* iSER TargetRecvDataSegmentLength */
	char		target_alias[256];	/* TargetAlias (raw; escape before logging) */
};

/* Key types (RFC 7143 §6.1, §5.1). */
enum keys_type {
	KEYS_T_BOOL,	/* Yes/No */
	KEYS_T_NUM,	/* numerical, decimal or 0x hex */
	KEYS_T_LIST,	/* list of values from row's choices */
	KEYS_T_STRING,	/* text (names, addresses, CHAP values) */
};

/* Result functions (RFC 7143 §6.2.2 and the per-key rows in §13). */
enum keys_rule {
	KEYS_R_DECL,	/* declarative: each side states its own value */
	KEYS_R_MIN,	/* numerical minimum */
	KEYS_R_MAX,	/* numerical maximum */
	KEYS_R_OR,	/* boolean OR */
	KEYS_R_AND,	/* boolean AND */
	KEYS_R_LIST,	/* first value of the offer the responder accepts */
};

/* Row flags. */
#define KEYS_F_SESSION	0x0001	/* session-wide (else connection) */
#define KEYS_F_LEADING	0x0002	/* leading connection only (LO) */
#define KEYS_F_IO	0x0004	/* login only, never in full feature (IO) */
#define KEYS_F_SECURITY	0x0008	/* security stage key */
#define KEYS_F_SEND_N	0x0010	/* open-iscsi always offers it in normal sessions */
#define KEYS_F_SEND_D	0x0020	/* open-iscsi always offers it in discovery sessions */
#define KEYS_F_NORMAL	0x0040	/* irrelevant in discovery sessions */
#define KEYS_F_FIXED	0x0080	/* we support only the default (ERL 0, markers No,
				   MaxConnections 1): another result fails login */
#define KEYS_F_TGT_DECL	0x0100	/* the target declares it (TargetAlias, TPGT, ...) */
#define KEYS_F_INIT_DECL 0x0200	/* only the initiator declares it (names, SessionType):
				   the target sending it is a protocol error */

/**
 * struct keys_def - one RFC 7143 key.
 * @name:    key name as on the wire.
 * @type:    enum keys_type.
 * @rule:    enum keys_rule.
 * @flags:   KEYS_F_*.
 * @def:     RFC default (numbers, booleans, list index).
 * @min/max: accepted range for numbers.
 * @choices: NULL-terminated values of a list key, in the order the node
 *           record's enum iscsi_digest indexes them.
 * @off:     offset of the uint32_t in struct iscsi_params, or -1.
 * @peer_off: where a declarative value the target states is stored when it
 *           differs from @off (MaxRecvDataSegmentLength → max_xmit_dsl), or -1.
 * @rfc:     the RFC 7143 section, for logs and tests.
 */
struct keys_def {
	const char		*name;
	enum keys_type		 type;
	enum keys_rule		 rule;
	uint32_t		 flags;
	uint32_t		 def;
	uint32_t		 min, max;
	const char *const	*choices;
	int			 off;
	int			 peer_off;
	const char		*rfc;
};

/* The key table and its length; rows never move (tests loop over them). */
const struct keys_def *keys_table(size_t *n);
const struct keys_def *keys_find(const char *name, size_t len);

enum keys_emit_mode {
	KEYS_EMIT_OPENISCSI,	/* what open-iscsi 2.1.x always sends (reference §6.2) */
	KEYS_EMIT_MINIMAL,	/* only values that differ from the RFC default */
};

/* The uint32_t at offset @off (a row's off/peer_off) of @p. */
uint32_t *keys_slot(struct iscsi_params *p, int off);
/* Is row @k part of our offer for this session type and emit mode? */
bool keys_row_offered(const struct keys_def *k, const struct iscsi_params *want,
    bool discovery, enum keys_emit_mode mode);

/* RFC defaults for every row (what the session has if nothing is negotiated). */
void keys_defaults(struct iscsi_params *p);
/* open-iscsi's record defaults (reference §4.4): InitialR2T No, MaxBurst
 * 16776192, FirstBurst 262144, MRDSL 262144 (32768 for discovery), T2R 0. */
void keys_openiscsi_defaults(struct iscsi_params *p, bool discovery);
/*
 * Clamp @p to the ranges open-iscsi enforces before offering (§6.2 of the
 * reference): MRDSL 512..16777215 rounded down to 4, FirstBurst <= MaxBurst.
 * Returns the number of values changed.
 */
int keys_sanitize(struct iscsi_params *p);

/* A growable key=value buffer ("k=v\0k=v\0..."). */
struct keys_buf {
	char	*kb_buf;
	size_t	 kb_len;
	size_t	 kb_cap;
};
void keys_buf_free(struct keys_buf *b);
/* Append "name=value\0"; 0 or ISCSI_ERR_NOMEM. */
int keys_buf_add(struct keys_buf *b, const char *name, const char *value);
/* Append @len raw bytes (already "k=v\0" text); 0 or ISCSI_ERR_NOMEM. */
int keys_buf_append(struct keys_buf *b, const char *data, size_t len);
int keys_buf_addf(struct keys_buf *b, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Append our operational offer from @want for a normal (@discovery false)
 * or discovery session.  Keys with KEYS_F_SECURITY, KEYS_F_TGT_DECL or
 * KEYS_F_INIT_DECL (names, SessionType: login.c adds them) are never emitted.  0 or ISCSI_ERR_NOMEM.
 */
int keys_emit_offer(struct keys_buf *b, const struct iscsi_params *want, bool discovery,
    enum keys_emit_mode mode);

/*
 * Tokenise "k=v\0k=v\0" text.  Start with *@off = 0.  Returns 1 with the
 * next pair, 0 at the end, -1 on a malformed pair (no '=', empty or too
 * long name, value over KEYS_VALUE_MAX, missing NUL terminator at the end
 * of @buf).  Empty pairs (runs of NULs, as padding) are skipped.  The
 * returned pointers point into @buf; lengths exclude NULs.
 */
int keys_next(const char *buf, size_t len, size_t *off, const char **key, size_t *klen,
    const char **val, size_t *vlen);

/* Parse a numerical value: decimal or 0x hex, no sign, fits 64 bits. */
int keys_parse_num(const char *val, size_t vlen, uint64_t *out);

/**
 * struct keys_nego - state of one operational negotiation (one login).
 * @offered:  bit per table row we offered and not yet got an answer for.
 * @answered: bit per table row settled (a second value is a conflict).
 * @result:   the parameters being built (starts as the RFC defaults; our
 *            declarations are copied in when offered).
 * @reply:    keys to send back: answers to target-initiated offers and
 *            NotUnderstood for unknown keys.  Caller frees with keys_buf_free.
 */
struct keys_nego {
	uint64_t		offered;
	uint64_t		answered;
	struct iscsi_params	want;
	struct iscsi_params	result;
	bool			discovery;
	struct keys_buf		reply;
};

/* Begin a negotiation: @want is the (sanitised) offer; result starts as defaults. */
void keys_nego_init(struct keys_nego *n, const struct iscsi_params *want, bool discovery);
/* Emit our offer (as keys_emit_offer) into @b and remember which keys it holds. */
int keys_nego_offer(struct keys_nego *n, struct keys_buf *b, enum keys_emit_mode mode);
/*
 * Apply the target's keys in @buf (@len bytes, "k=v\0"...).  Keys with
 * KEYS_F_SECURITY are skipped (chap.c/login.c handle them); any other
 * key not in the table gets "k=NotUnderstood" in n->reply.  Returns 0 or an
 * enum iscsi_err with an err_set() detail naming the key: duplicate in one
 * exchange, malformed value, out of range, a value we did not offer,
 * a conflict with a fixed parameter (ERL, MaxConnections, markers).
 */
int keys_nego_apply(struct keys_nego *n, const char *buf, size_t len);
/*
 * Finish: keys we offered that the target never answered take the RFC
 * default (RFC 7143 §6.2: an unanswered offer leaves the default) and the
 * target's declaratives default (max_xmit_dsl 8192).  Fills @out.
 * Returns 0, or ISCSI_ERR_FATAL_LOGIN if the result is inconsistent
 * (FirstBurstLength > MaxBurstLength).
 */
int keys_nego_finish(struct keys_nego *n, struct iscsi_params *out);
void keys_nego_free(struct keys_nego *n);

/* Parse a digest setting as the record spells it ("CRC32C,None"); -1 if invalid. */
int keys_digest_from_str(const char *s);
const char *keys_digest_str(uint32_t d);

#endif
