// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Initiator login as a table of {state, event → action, next state}
 * (RFC 7143 §6.3 stages, §11.12/11.13 PDUs).  Each received Login Response
 * is checked, turned into one event and dispatched; actions build the next
 * Login Request.  No I/O and no timers here: the driver does both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "login.h"

#define LOGIN_MAX_EXCHANGES	64	/* PDUs per login before we call it a loop */

enum login_state {
	LS_IDLE,
	LS_SEC_AUTH,	/* SecurityNegotiation: AuthMethod offered */
	LS_SEC_CHAP_A,	/* SecurityNegotiation: CHAP_A offered */
	LS_SEC_CHAP_R,	/* SecurityNegotiation: CHAP_N/CHAP_R sent, transit asked */
	LS_OPER,	/* LoginOperationalNegotiation: offer sent, transit asked */
	LS_FULL,	/* FullFeaturePhase */
	LS_FAILED,
	LS_ANY,		/* table wildcard */
};

enum login_event {
	EV_PARTIAL,	/* C=1: more text follows */
	EV_REDIRECT,	/* Status-Class 1 */
	EV_REJECTED,	/* Status-Class 2 or 3 */
	EV_STAY,	/* success, T=0 */
	EV_TRANSIT,	/* success, T=1 to the NSG we asked for */
	EV_ACK_PART,	/* empty response to our C=1 request */
};

static const char *const login_state_names[] = {
	"IDLE", "SEC_AUTH", "SEC_CHAP_A", "SEC_CHAP_R", "OPER", "FULL", "FAILED", "ANY",
};
static const char *const login_event_names[] = {
	"PARTIAL", "REDIRECT", "REJECTED", "STAY", "TRANSIT", "ACK_PART",
};

struct login_ctx {
	struct login_cfg	 cfg;
	enum login_state	 st;
	unsigned		 redirects;
	unsigned		 exchanges;
	unsigned		 csg, nsg;	/* of the last request */
	bool			 transit;
	uint32_t		 exp_statsn;
	uint32_t		 exp_cmdsn, max_cmdsn;
	uint16_t		 tsih;
	bool			 auth_none;	/* target chose AuthMethod=None */
	struct chap_ctx		 chap;
	struct keys_nego	 nego;
	struct keys_buf		 rx;		/* text of the current response (C bit) */
	struct keys_buf		 tx;		/* text of the next request */
	size_t			 tx_off;	/* bytes of tx already sent (C=1 parts) */
	bool			 tx_more;	/* the last request had C=1 */
};

typedef enum login_verdict (*login_action)(struct login_ctx *, const struct pdu *,
    struct login_out *);

/* ------------------------------------------------------------ helpers */

static enum login_verdict
login_fail(struct login_ctx *ctx, struct login_out *out, int err, bool retry)
{
	const char *d = err_detail(err);

	ctx->st = LS_FAILED;
	out->lo_err = err;
	out->lo_retry = retry;
	snprintf(out->lo_msg, sizeof(out->lo_msg), "%s", d ? d : iscsi_strerror(err));
	return LOGIN_FAIL;
}

/*
 * Emit the next part of ctx->tx: at most the login-phase 8192 bytes per
 * PDU; a longer text goes out with C=1 and T=0 and the rest follows once
 * the target acknowledges each part with an empty response (§11.12.2).
 */
static enum login_verdict
login_emit(struct login_ctx *ctx, struct login_out *out)
{
	size_t n = ctx->tx.kb_len - ctx->tx_off;
	bool more = n > ISCSI_DEFAULT_MRDSL;
	struct pdu_login_req r = {
		.transit = more ? false : ctx->transit, .cont = more, .csg = ctx->csg,
		.nsg = ctx->nsg, .tsih = ctx->cfg.lc_tsih, .itt = ctx->cfg.lc_itt,
		.cid = ctx->cfg.lc_cid, .cmdsn = ctx->cfg.lc_cmdsn, .exp_statsn = ctx->exp_statsn,
	};

	if (more)
		n = ISCSI_DEFAULT_MRDSL;
	if (++ctx->exchanges > LOGIN_MAX_EXCHANGES)
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "login did not "
		    "complete within %d exchanges", LOGIN_MAX_EXCHANGES), false);
	memcpy(r.isid, ctx->cfg.lc_isid, 6);
	pdu_build_login_req(&out->lo_pdu, &r);
	if (n > 0 && pdu_set_data(&out->lo_pdu, ctx->tx.kb_buf + ctx->tx_off, (uint32_t)n) !=
	    ISCSI_OK)
		return login_fail(ctx, out, ISCSI_ERR_NOMEM, false);
	ctx->tx_off += n;
	ctx->tx_more = more;
	if (!more)
		ctx->tx.kb_len = ctx->tx_off = 0;
	return LOGIN_SEND;
}

/* Send ctx->tx (cleared afterwards) asking for @csg -> @nsg, T = @transit. */
static enum login_verdict
login_send(struct login_ctx *ctx, struct login_out *out, unsigned csg, unsigned nsg,
    bool transit)
{
	/* Answers to target offers and NotUnderstood go out with the next PDU. */
	if (ctx->nego.reply.kb_len > 0) {
		struct keys_buf *rp = &ctx->nego.reply;

		if (keys_buf_append(&ctx->tx, rp->kb_buf, rp->kb_len) != ISCSI_OK)
			return login_fail(ctx, out, ISCSI_ERR_NOMEM, false);
		rp->kb_len = 0;
	}
	if (ctx->tx.kb_len > LOGIN_TEXT_MAX)
		return login_fail(ctx, out, err_set(ISCSI_ERR_INVAL, "login text of %zu bytes "
		    "exceeds %d", ctx->tx.kb_len, LOGIN_TEXT_MAX), false);
	ctx->csg = csg;
	ctx->nsg = nsg;
	ctx->transit = transit;
	ctx->tx_off = 0;
	return login_emit(ctx, out);
}

/*
 * Find a key's value in the current response text.  A key present twice
 * is a protocol error (RFC 7143 §6.1); *dup is set.
 */
static const char *
login_key(const struct login_ctx *ctx, const char *name, size_t *vlen, bool *dup)
{
	const char *k, *v, *found = NULL;
	size_t off = 0, kl, vl, nl = strlen(name);

	while (keys_next(ctx->rx.kb_buf, ctx->rx.kb_len, &off, &k, &kl, &v, &vl) == 1)
		if (kl == nl && memcmp(k, name, nl) == 0) {
			if (found != NULL)
				*dup = true;
			found = v;
			*vlen = vl;
		}
	return found;
}

/* Apply the non-security keys of the response; they may queue replies. */
static int
login_apply_keys(struct login_ctx *ctx)
{
	return keys_nego_apply(&ctx->nego, ctx->rx.kb_buf, ctx->rx.kb_len);
}

/* Names and session type: the first PDU of every login (reference §6.2). */
static int
login_add_names(struct login_ctx *ctx)
{
	const struct login_cfg *c = &ctx->cfg;
	int rc;

	if ((rc = keys_buf_add(&ctx->tx, "InitiatorName", c->lc_initiator_name)) != ISCSI_OK)
		return rc;
	if (c->lc_initiator_alias != NULL && c->lc_initiator_alias[0] != '\0' &&
	    (rc = keys_buf_add(&ctx->tx, "InitiatorAlias", c->lc_initiator_alias)) != ISCSI_OK)
		return rc;
	if (c->lc_type == LOGIN_SESSION_NORMAL &&
	    (rc = keys_buf_add(&ctx->tx, "TargetName", c->lc_target_name)) != ISCSI_OK)
		return rc;
	return keys_buf_add(&ctx->tx, "SessionType",
	    c->lc_type == LOGIN_SESSION_NORMAL ? "Normal" : "Discovery");
}

static enum login_verdict
login_send_oper_offer(struct login_ctx *ctx, struct login_out *out)
{
	if (keys_nego_offer(&ctx->nego, &ctx->tx, ctx->cfg.lc_emit) != ISCSI_OK)
		return login_fail(ctx, out, ISCSI_ERR_NOMEM, false);
	ctx->st = LS_OPER;
	return login_send(ctx, out, ISCSI_STAGE_OPERATIONAL, ISCSI_STAGE_FULL_FEATURE, true);
}

/* ------------------------------------------------------------ actions */

/* Any stage, C=1: the target has more text; ask for it with an empty
 * request (RFC 7143 §11.13.2) restating our T/NSG so the stage can still end. */
static enum login_verdict
act_more_text(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	ctx->tx.kb_len = 0;
	return login_send(ctx, out, ctx->csg, ctx->nsg, ctx->transit);
}

/* Any stage, our C=1 part acknowledged: send the next part. */
static enum login_verdict
act_send_rest(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	return login_emit(ctx, out);
}

/* Any stage, Status-Class 1: reconnect to TargetAddress (§11.13.5). */
static enum login_verdict
act_redirect(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	bool dup = false;
	size_t vl = 0;
	const char *v = login_key(ctx, "TargetAddress", &vl, &dup);

	out->lo_status = pdu_login_status(rsp);
	if (v == NULL || dup || vl == 0 || vl >= sizeof(out->lo_redirect))
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "redirect without "
		    "one valid TargetAddress"), false);
	for (size_t i = 0; i < vl; i++)
		if ((unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7e)
			return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "redirect "
			    "TargetAddress holds a control or non-ASCII byte"), false);
	if (++ctx->redirects > ctx->cfg.lc_max_redirects)
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "more than %u "
		    "redirects: giving up (redirect loop?)", ctx->cfg.lc_max_redirects), false);
	memcpy(out->lo_redirect, v, vl);
	out->lo_redirect[vl] = '\0';
	out->lo_redirect_permanent = out->lo_status == 0x0102;
	snprintf(out->lo_msg, sizeof(out->lo_msg), "%s to %.200s",
	    login_status_name(out->lo_status), out->lo_redirect);
	ctx->st = LS_IDLE;
	return LOGIN_REDIRECT;
}

/* Any stage, Status-Class 2 or 3: the target refused the login. */
static enum login_verdict
act_rejected(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	uint16_t st = pdu_login_status(rsp);
	bool retry;
	int err = login_status_err(st, &retry);

	out->lo_status = st;
	/* tgtd numbers SHA-1 as 7 and answers a SHA-256 CHAP_R with 0x0200, and
	 * refuses CHAP_A=6/8 outright; old targets refuse CHAP_A lists.  A
	 * retry offering MD5 alone is worth it unless that is what failed. */
	out->lo_md5_fallback = (st >> 8) == 2 &&
	    (ctx->st == LS_SEC_CHAP_R || ctx->st == LS_SEC_CHAP_A) &&
	    ctx->chap.alg != CHAP_ALG_MD5 &&
	    !(ctx->chap.nalgs == 1 && ctx->chap.algs[0] == CHAP_ALG_MD5);
	login_fail(ctx, out, err, retry);
	snprintf(out->lo_msg, sizeof(out->lo_msg), "login rejected: %s (%02x/%02x)",
	    login_status_name(st), st >> 8, st & 0xff);
	return LOGIN_FAIL;
}

/* SecurityNegotiation, T=0: the target picked an AuthMethod. */
static enum login_verdict
act_auth_picked(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	bool dup = false;
	size_t vl = 0;
	const char *v = login_key(ctx, "AuthMethod", &vl, &dup);
	char offer[4 * CHAP_MAX_ALGS + 1];

	if (dup)
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "AuthMethod sent twice"),
		    false);
	if (v != NULL && vl == 4 && memcmp(v, "CHAP", 4) == 0) {
		chap_alg_offer(&ctx->chap, offer, sizeof(offer));
		if (keys_buf_add(&ctx->tx, "CHAP_A", offer) != ISCSI_OK)
			return login_fail(ctx, out, ISCSI_ERR_NOMEM, false);
		ctx->st = LS_SEC_CHAP_A;
		return login_send(ctx, out, ISCSI_STAGE_SECURITY, 0, false);
	}
	if ((v != NULL && vl == 4 && memcmp(v, "None", 4) == 0) || (v == NULL && ctx->auth_none)) {
		if (chap_is_mutual(&ctx->chap))
			return login_fail(ctx, out, err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "target "
			    "refuses CHAP but mutual CHAP is configured"), false);
		ctx->auth_none = true;
		return login_send(ctx, out, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, true);
	}
	return login_fail(ctx, out, err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "target answered "
	    "AuthMethod with neither CHAP nor None"), false);
}

/* SecurityNegotiation → LoginOperationalNegotiation without CHAP. */
static enum login_verdict
act_auth_skipped(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	bool dup = false;
	size_t vl = 0;
	const char *v = login_key(ctx, "AuthMethod", &vl, &dup);

	if (dup || (v != NULL && !(vl == 4 && memcmp(v, "None", 4) == 0)) ||
	    (v == NULL && !ctx->auth_none))
		return login_fail(ctx, out, err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "target left "
		    "the security stage without agreeing on an AuthMethod"), false);
	if (chap_is_mutual(&ctx->chap))
		return login_fail(ctx, out, err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "target skipped "
		    "authentication but mutual CHAP is configured"), false);
	return login_send_oper_offer(ctx, out);
}

/* SecurityNegotiation, CHAP_A/CHAP_I/CHAP_C received: answer the challenge. */
static enum login_verdict
act_chap_challenge(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	bool dup = false;
	size_t al = 0, il = 0, cl = 0;
	const char *a = login_key(ctx, "CHAP_A", &al, &dup);
	const char *i = login_key(ctx, "CHAP_I", &il, &dup);
	const char *c = login_key(ctx, "CHAP_C", &cl, &dup);
	int rc;

	if (dup)
		return login_fail(ctx, out, err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "a CHAP key was "
		    "sent twice"), false);
	if ((rc = chap_respond(&ctx->chap, a, al, i, il, c, cl, &ctx->tx)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	out->lo_chap_alg = ctx->chap.alg;
	ctx->st = LS_SEC_CHAP_R;
	return login_send(ctx, out, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, true);
}

/* Mutual CHAP: check the target's CHAP_N/CHAP_R if it sent them now. */
static int
login_check_target_chap(struct login_ctx *ctx, bool required)
{
	bool dup = false;
	size_t nl = 0, rl = 0;
	const char *n = login_key(ctx, "CHAP_N", &nl, &dup);
	const char *r = login_key(ctx, "CHAP_R", &rl, &dup);

	if (dup)
		return err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "CHAP_N or CHAP_R sent twice");
	if (!chap_is_mutual(&ctx->chap)) {
		if (n != NULL || r != NULL)
			return err_set(ISCSI_ERR_LOGIN_AUTH_FAILED, "target sent CHAP_N/CHAP_R "
			    "without being asked");
		return ISCSI_OK;
	}
	if (n == NULL && r == NULL && !required)
		return ISCSI_OK;
	if (n == NULL && r == NULL && ctx->chap.my_chal_len == 0)
		return ISCSI_OK;	/* already verified: the challenge is wiped */
	if (chap_verify(&ctx->chap, n, nl, r, rl) != ISCSI_OK)
		return ISCSI_ERR_LOGIN_AUTH_FAILED;
	ctx->chap.my_chal_len = 0;	/* verified once; a replay is refused */
	return ISCSI_OK;
}

/* SecurityNegotiation, T=0 after our CHAP_R: maybe the target's answer, ask to transit. */
static enum login_verdict
act_chap_wait(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	int rc;

	if ((rc = login_check_target_chap(ctx, false)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	return login_send(ctx, out, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, true);
}

/* SecurityNegotiation → LoginOperationalNegotiation after CHAP. */
static enum login_verdict
act_chap_done(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	int rc;

	if ((rc = login_check_target_chap(ctx, true)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	return login_send_oper_offer(ctx, out);
}

/* LoginOperationalNegotiation, T=0: answer what the target offered, ask again. */
static enum login_verdict
act_oper_more(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	return login_send(ctx, out, ISCSI_STAGE_OPERATIONAL, ISCSI_STAGE_FULL_FEATURE, true);
}

/* LoginOperationalNegotiation → FullFeaturePhase. */
static enum login_verdict
act_full_feature(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	int rc;

	/* Nothing can answer keys that arrive with the final response; RFC 7143
	 * §6.2 forbids a transit with offers pending, so at most NotUnderstood
	 * replies are lost here. */
	if (ctx->nego.reply.kb_len > 0)
		log_debug(2, "dropping %zu bytes of key replies at transit to full feature",
		    ctx->nego.reply.kb_len);
	if ((rc = keys_nego_finish(&ctx->nego, &out->lo_params)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	ctx->tsih = pdu_login_tsih(rsp);
	if (ctx->tsih == 0 || (ctx->cfg.lc_tsih != 0 && ctx->tsih != ctx->cfg.lc_tsih))
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "final Login Response "
		    "has TSIH 0x%04x", ctx->tsih), false);
	out->lo_tsih = ctx->tsih;
	out->lo_cmdsn = ctx->cfg.lc_cmdsn;
	out->lo_exp_statsn = ctx->exp_statsn;
	out->lo_exp_cmdsn = ctx->exp_cmdsn;
	out->lo_max_cmdsn = ctx->max_cmdsn;
	out->lo_chap_alg = ctx->chap.alg;
	ctx->st = LS_FULL;
	return LOGIN_DONE;
}

/* ------------------------------------------------------------ the table */

static const struct login_row {
	enum login_state	st;
	enum login_event	ev;
	login_action		act;
	const char		*label;
} login_fsm[] = {
	{ LS_ANY,	 EV_PARTIAL,  act_more_text,	  "C=1: empty request for the rest of the text" },
	{ LS_ANY,	 EV_ACK_PART, act_send_rest,	  "our C=1 part acknowledged: next part" },
	{ LS_ANY,	 EV_REDIRECT, act_redirect,	  "Status-Class 1: redirection" },
	{ LS_ANY,	 EV_REJECTED, act_rejected,	  "Status-Class 2/3: login refused" },
	{ LS_SEC_AUTH,	 EV_STAY,     act_auth_picked,	  "SecurityNegotiation: AuthMethod answer" },
	{ LS_SEC_AUTH,	 EV_TRANSIT,  act_auth_skipped,	  "SecurityNegotiation -> Operational, None" },
	{ LS_SEC_CHAP_A, EV_STAY,     act_chap_challenge, "SecurityNegotiation: CHAP_A/I/C" },
	{ LS_SEC_CHAP_R, EV_STAY,     act_chap_wait,	  "SecurityNegotiation: waiting for transit" },
	{ LS_SEC_CHAP_R, EV_TRANSIT,  act_chap_done,	  "SecurityNegotiation -> Operational, CHAP" },
	{ LS_OPER,	 EV_STAY,     act_oper_more,	  "LoginOperationalNegotiation: more keys" },
	{ LS_OPER,	 EV_TRANSIT,  act_full_feature,	  "LoginOperationalNegotiation -> FullFeature" },
};

static const struct login_row *
login_lookup(enum login_state st, enum login_event ev)
{
	for (size_t i = 0; i < sizeof(login_fsm) / sizeof(login_fsm[0]); i++)
		if ((login_fsm[i].st == st || login_fsm[i].st == LS_ANY) && login_fsm[i].ev == ev)
			return &login_fsm[i];
	return NULL;
}

/* ------------------------------------------------------------ entry points */

void
login_cfg_init(struct login_cfg *cfg, enum login_session_type type)
{
	static const uint8_t isid[6] = { 0x00, 0x02, 0x3d, 0, 0, 0 };

	memset(cfg, 0, sizeof(*cfg));
	cfg->lc_type = type;
	memcpy(cfg->lc_isid, isid, sizeof(isid));
	cfg->lc_cmdsn = 1;
	keys_openiscsi_defaults(&cfg->lc_want, type == LOGIN_SESSION_DISCOVERY);
	cfg->lc_emit = KEYS_EMIT_OPENISCSI;
	cfg->lc_auth = LOGIN_AUTH_NONE;
	cfg->lc_chap.algs[0] = CHAP_ALG_MD5;
	cfg->lc_chap.nalgs = 1;
	cfg->lc_login_timeout = LOGIN_DEFAULT_TIMEOUT;
	cfg->lc_auth_timeout = LOGIN_DEFAULT_AUTH_TIMEOUT;
	cfg->lc_max_redirects = LOGIN_DEFAULT_REDIRECTS;
}

struct login_ctx *
login_new(void)
{
	struct login_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		err_set(ISCSI_ERR_NOMEM, "no memory for a login context");
	return ctx;
}

static void
login_release(struct login_ctx *ctx)
{
	chap_clear(&ctx->chap);
	keys_nego_free(&ctx->nego);
	keys_buf_free(&ctx->rx);
	keys_buf_free(&ctx->tx);
}

void
login_free(struct login_ctx *ctx)
{
	if (ctx == NULL)
		return;
	login_release(ctx);
	free(ctx);
}

static void
login_out_reset(struct login_out *out)
{
	memset(out, 0, sizeof(*out));
}

enum login_verdict
login_start(struct login_ctx *ctx, const struct login_cfg *cfg, struct login_out *out)
{
	unsigned redirects = ctx->redirects;
	int rc;

	login_out_reset(out);
	login_release(ctx);
	memset(ctx, 0, sizeof(*ctx));
	ctx->redirects = redirects;
	ctx->cfg = *cfg;
	ctx->exp_statsn = cfg->lc_exp_statsn;
	if (cfg->lc_initiator_name == NULL || cfg->lc_initiator_name[0] == '\0' ||
	    (cfg->lc_type == LOGIN_SESSION_NORMAL &&
	    (cfg->lc_target_name == NULL || cfg->lc_target_name[0] == '\0')))
		return login_fail(ctx, out, err_set(ISCSI_ERR_INVAL, "login needs an initiator "
		    "name%s", cfg->lc_type == LOGIN_SESSION_NORMAL ? " and a target name" : ""),
		    false);
	keys_sanitize(&ctx->cfg.lc_want);
	keys_nego_init(&ctx->nego, &ctx->cfg.lc_want, cfg->lc_type == LOGIN_SESSION_DISCOVERY);
	if ((rc = login_add_names(ctx)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	if (cfg->lc_auth == LOGIN_AUTH_NONE)
		return login_send_oper_offer(ctx, out);
	if ((rc = chap_init(&ctx->chap, &cfg->lc_chap)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	/* Mutual CHAP never offers None: the target must prove itself. */
	if (keys_buf_add(&ctx->tx, "AuthMethod",
	    chap_is_mutual(&ctx->chap) ? "CHAP" : "CHAP,None") != ISCSI_OK)
		return login_fail(ctx, out, ISCSI_ERR_NOMEM, false);
	ctx->st = LS_SEC_AUTH;
	return login_send(ctx, out, ISCSI_STAGE_SECURITY, ISCSI_STAGE_OPERATIONAL, true);
}

/* Header checks common to every Login Response; returns 0 or an error. */
static int
login_check_rsp(struct login_ctx *ctx, const struct pdu *rsp)
{
	uint8_t op = pdu_opcode(rsp), fl = pdu_flags(rsp), isid[6];

	if (op == ISCSI_OP_REJECT)
		return err_set(ISCSI_ERR_FATAL_LOGIN, "target rejected the Login Request "
		    "(reason 0x%02x)", pdu_reject_reason(rsp));
	if (op != ISCSI_OP_LOGIN_RSP)
		return err_set(ISCSI_ERR_TRANS, "received %s during login, where only Login "
		    "Responses may come", pdu_opcode_name(op));
	if (pdu_login_status(rsp) != 0)
		return ISCSI_OK;	/* error responses may carry zeroed fields (tgtd) */
	pdu_login_isid(rsp, isid);
	if (pdu_itt(rsp) != ctx->cfg.lc_itt || memcmp(isid, ctx->cfg.lc_isid, 6) != 0)
		return err_set(ISCSI_ERR_TRANS, "Login Response for another ITT/ISID");
	if (pdu_login_version_active(rsp) != 0)
		return err_set(ISCSI_ERR_FATAL_LOGIN, "target chose protocol version %u",
		    pdu_login_version_active(rsp));
	if ((fl & ISCSI_FLAG_LOGIN_TRANSIT) && (fl & ISCSI_FLAG_LOGIN_CONT))
		return err_set(ISCSI_ERR_FATAL_LOGIN, "Login Response with both T and C set");
	if (pdu_login_csg(rsp) != ctx->csg)
		return err_set(ISCSI_ERR_FATAL_LOGIN, "Login Response for stage %u, we are in %u",
		    pdu_login_csg(rsp), ctx->csg);
	if (ctx->tx_more && (fl != (ctx->csg << 2) || rsp->data_len != 0))
		return err_set(ISCSI_ERR_FATAL_LOGIN, "target answered a partial (C=1) Login "
		    "Request with flags 0x%02x and %u data bytes", fl, rsp->data_len);
	if ((fl & ISCSI_FLAG_LOGIN_TRANSIT) && (!ctx->transit || pdu_login_nsg(rsp) != ctx->nsg))
		return err_set(ISCSI_ERR_FATAL_LOGIN, "target transits to stage %u; we asked "
		    "for %u%s", pdu_login_nsg(rsp), ctx->nsg, ctx->transit ? "" : " without T");
	return ISCSI_OK;
}

static enum login_event
login_classify(const struct login_ctx *ctx, const struct pdu *rsp)
{
	uint16_t st = pdu_login_status(rsp);

	if ((st >> 8) == 1)
		return EV_REDIRECT;
	if (st != 0)
		return EV_REJECTED;
	if (ctx->tx_more)	/* login_check_rsp made sure it is empty */
		return EV_ACK_PART;
	if (pdu_flags(rsp) & ISCSI_FLAG_LOGIN_CONT)
		return EV_PARTIAL;
	return (pdu_flags(rsp) & ISCSI_FLAG_LOGIN_TRANSIT) ? EV_TRANSIT : EV_STAY;
}

enum login_verdict
login_input(struct login_ctx *ctx, const struct pdu *rsp, struct login_out *out)
{
	const struct login_row *row;
	enum login_event ev;
	enum login_verdict v;
	int rc;

	login_out_reset(out);
	if (ctx->st == LS_IDLE || ctx->st == LS_FULL || ctx->st == LS_FAILED)
		return login_fail(ctx, out, err_set(ISCSI_ERR_INTERNAL, "Login Response fed in "
		    "state %s", login_state_names[ctx->st]), false);
	if ((rc = login_check_rsp(ctx, rsp)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	ctx->exp_statsn = pdu_statsn(rsp) + 1;
	ctx->exp_cmdsn = pdu_expcmdsn(rsp);
	ctx->max_cmdsn = pdu_maxcmdsn(rsp);
	if (ctx->rx.kb_len + rsp->data_len > LOGIN_TEXT_MAX)
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "login text exceeds "
		    "%d bytes", LOGIN_TEXT_MAX), false);
	if (keys_buf_append(&ctx->rx, (const char *)rsp->data, rsp->data_len) != ISCSI_OK)
		return login_fail(ctx, out, ISCSI_ERR_NOMEM, false);
	ev = login_classify(ctx, rsp);
	if ((ev == EV_STAY || ev == EV_TRANSIT) && (rc = login_apply_keys(ctx)) != ISCSI_OK)
		return login_fail(ctx, out, rc, false);
	if ((row = login_lookup(ctx->st, ev)) == NULL)
		return login_fail(ctx, out, err_set(ISCSI_ERR_FATAL_LOGIN, "unexpected %s in "
		    "login state %s", login_event_names[ev], login_state_names[ctx->st]), false);
	log_debug(4, "login %s + %s: %s", login_state_names[ctx->st], login_event_names[ev],
	    row->label);
	v = row->act(ctx, rsp, out);
	if (ev != EV_PARTIAL)
		ctx->rx.kb_len = 0;
	return v;
}

unsigned
login_timeout(const struct login_ctx *ctx)
{
	bool sec = ctx->st == LS_SEC_AUTH || ctx->st == LS_SEC_CHAP_A || ctx->st == LS_SEC_CHAP_R;

	if (sec && ctx->cfg.lc_auth_timeout != 0)
		return ctx->cfg.lc_auth_timeout;
	return ctx->cfg.lc_login_timeout ? ctx->cfg.lc_login_timeout : LOGIN_DEFAULT_TIMEOUT;
}

const char *
login_state_name(const struct login_ctx *ctx)
{
	return login_state_names[ctx->st];
}

unsigned
login_redirects(const struct login_ctx *ctx)
{
	return ctx->redirects;
}
