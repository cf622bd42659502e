// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text Request/Response sequencing (RFC 7143 §11.10-11.11): our request
 * split with the C bit when over the target's MaxRecvDataSegmentLength,
 * then the answer gathered while the target says F=0 by echoing its
 * Target Transfer Tag.  Keys may straddle PDUs, so only raw bytes are
 * joined here; the caller parses the whole answer.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "text.h"

enum text_state { TS_IDLE = 0, TS_SENDING, TS_RECEIVING, TS_DONE, TS_FAILED };

void
text_init(struct text_ctx *t)
{
	memset(t, 0, sizeof(*t));
}

void
text_free(struct text_ctx *t)
{
	free(t->req);
	free(t->buf);
	text_init(t);
}

static enum text_verdict
text_fail(struct text_ctx *t, struct text_out *out, int err)
{
	t->st = TS_FAILED;
	out->to_err = err;
	return TEXT_FAIL;
}

/* The next Text Request: a chunk of our text, or empty to ask for more. */
static enum text_verdict
text_send(struct text_ctx *t, struct text_out *out, uint32_t ttt)
{
	size_t left = t->req_len - t->req_off, n = left;
	bool last;

	if (t->cfg.tc_max_send != 0 && n > t->cfg.tc_max_send)
		n = t->cfg.tc_max_send;
	last = n == left;
	pdu_build_text_req(&out->to_pdu, last, !last, t->cfg.tc_itt, ttt, t->cmdsn++,
	    t->exp_statsn);
	if (n > 0 && pdu_set_data(&out->to_pdu, t->req + t->req_off, (uint32_t)n) != ISCSI_OK)
		return text_fail(t, out, ISCSI_ERR_NOMEM);
	t->req_off += n;
	t->st = t->req_off < t->req_len ? TS_SENDING : TS_RECEIVING;
	return TEXT_SEND;
}

enum text_verdict
text_start(struct text_ctx *t, const struct text_cfg *cfg, const char *req, size_t len,
    struct text_out *out)
{
	text_free(t);
	memset(out, 0, sizeof(*out));
	t->cfg = *cfg;
	if (t->cfg.tc_max_answer == 0)
		t->cfg.tc_max_answer = TEXT_DEFAULT_MAX;
	if (t->cfg.tc_max_pdus == 0)
		t->cfg.tc_max_pdus = TEXT_DEFAULT_MAX_PDUS;
	t->exp_statsn = cfg->tc_exp_statsn;
	t->cmdsn = cfg->tc_cmdsn;
	unsol_init(&t->unsol, cfg->tc_max_send, cfg->tc_max_unsol);
	if (len == 0 || (t->req = malloc(len)) == NULL)
		return text_fail(t, out, len == 0 ? err_set(ISCSI_ERR_INVAL, "empty Text Request")
		    : err_set(ISCSI_ERR_NOMEM, "no memory for a Text Request"));
	memcpy(t->req, req, len);
	t->req_len = len;
	return text_send(t, out, ISCSI_RSVD_TAG);
}

/* Append a response's data; the buffer grows geometrically up to the cap. */
static int
text_append(struct text_ctx *t, const uint8_t *data, size_t n)
{
	if (n > t->cfg.tc_max_answer - t->len)
		return err_set(ISCSI_ERR_INVAL, "text answer exceeds %zu bytes",
		    t->cfg.tc_max_answer);
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 65536;
		char *b;

		while (cap < t->len + n + 1)
			cap *= 2;
		if ((b = realloc(t->buf, cap)) == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory for %zu bytes of text", cap);
		t->buf = b;
		t->cap = cap;
	}
	if (n > 0)
		memcpy(t->buf + t->len, data, n);
	t->len += n;
	t->buf[t->len] = '\0';
	return ISCSI_OK;
}

static int
text_check(struct text_ctx *t, const struct pdu *rsp)
{
	uint8_t op = pdu_opcode(rsp), fl = pdu_flags(rsp);

	if (op == ISCSI_OP_REJECT)
		return err_set(ISCSI_ERR_TRANS, "target rejected the Text Request (reason 0x%02x)",
		    pdu_reject_reason(rsp));
	if (op != ISCSI_OP_TEXT_RSP)
		return err_set(ISCSI_ERR_TRANS, "expected a Text Response, received %s",
		    pdu_opcode_name(op));
	if (pdu_itt(rsp) != t->cfg.tc_itt)
		return err_set(ISCSI_ERR_TRANS, "Text Response for ITT 0x%08x, expected 0x%08x",
		    pdu_itt(rsp), t->cfg.tc_itt);
	if ((fl & ISCSI_FLAG_FINAL) && (fl & ISCSI_FLAG_TEXT_CONT))
		return err_set(ISCSI_ERR_TRANS, "Text Response with both F and C set");
	if ((fl & ISCSI_FLAG_FINAL) && pdu_ttt(rsp) != ISCSI_RSVD_TAG)
		return err_set(ISCSI_ERR_TRANS, "final Text Response carries TTT 0x%08x",
		    pdu_ttt(rsp));
	if (!(fl & ISCSI_FLAG_FINAL) && pdu_ttt(rsp) == ISCSI_RSVD_TAG)
		return err_set(ISCSI_ERR_TRANS, "Text Response with F=0 has no TTT to continue");
	if (++t->pdus > t->cfg.tc_max_pdus)
		return err_set(ISCSI_ERR_TRANS, "text answer spans more than %u PDUs",
		    t->cfg.tc_max_pdus);
	return ISCSI_OK;
}

/* A NOP-In or Async Message between our request and the Text Response. */
static enum text_verdict
text_unsol(struct text_ctx *t, const struct pdu *p, struct text_out *out)
{
	struct unsol_sn sn = { .us_cmdsn = t->cmdsn, .us_exp_statsn = t->exp_statsn };
	struct unsol_out uo;
	enum unsol_action a = unsol_input(&t->unsol, p, &sn, &uo);

	t->exp_statsn = sn.us_exp_statsn;
	switch (a) {
	case UNSOL_SEND:
		out->to_pdu = uo.uo_pdu;
		out->to_reply = true;
		return TEXT_MORE;
	case UNSOL_LOGOUT:
		t->logout = true;
		t->logout_s = uo.uo_logout_s;
		/* the rest of a C=1 request would be a new command */
		if (t->st == TS_SENDING)
			return text_fail(t, out, err_set(ISCSI_ERR_TRANS, "target requested a logout "
			    "(AsyncEvent 1) before our Text Request was complete"));
		return TEXT_MORE;
	case UNSOL_FAIL:
		out->to_dropped = uo.uo_dropping;
		return text_fail(t, out, uo.uo_err);
	default:
		return TEXT_MORE;
	}
}

enum text_verdict
text_input(struct text_ctx *t, const struct pdu *rsp, struct text_out *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (t->st != TS_SENDING && t->st != TS_RECEIVING)
		return text_fail(t, out, err_set(ISCSI_ERR_INTERNAL, "Text Response fed with no "
		    "exchange running"));
	if (unsol_is(rsp))
		return text_unsol(t, rsp, out);
	if ((rc = text_check(t, rsp)) != ISCSI_OK)
		return text_fail(t, out, rc);
	unsol_progress(&t->unsol);
	t->exp_statsn = pdu_statsn(rsp) + 1;
	if (t->logout && !(pdu_flags(rsp) & ISCSI_FLAG_FINAL))
		return text_fail(t, out, err_set(ISCSI_ERR_TRANS, "target requested a logout "
		    "(AsyncEvent 1) before its Text answer was complete"));
	if (t->st == TS_SENDING) {
		/* The target acknowledges each part of a C=1 request with an empty
		 * F=0 response and a TTT we echo (§11.10.2). */
		if (rsp->data_len != 0 || (pdu_flags(rsp) & ISCSI_FLAG_FINAL))
			return text_fail(t, out, err_set(ISCSI_ERR_TRANS, "target answered before "
			    "our Text Request was complete"));
		return text_send(t, out, pdu_ttt(rsp));
	}
	if ((rc = text_append(t, rsp->data, rsp->data_len)) != ISCSI_OK)
		return text_fail(t, out, rc);
	if (!(pdu_flags(rsp) & ISCSI_FLAG_FINAL))
		return text_send(t, out, pdu_ttt(rsp));
	t->st = TS_DONE;
	out->to_data = t->buf ? t->buf : "";
	out->to_len = t->len;
	return TEXT_DONE;
}

char *
text_take_answer(struct text_ctx *t, size_t *len)
{
	char *b = t->buf;

	*len = t->len;
	t->buf = NULL;
	t->len = t->cap = 0;
	return b;
}

uint32_t
text_exp_statsn(const struct text_ctx *t)
{
	return t->exp_statsn;
}

uint32_t
text_next_cmdsn(const struct text_ctx *t)
{
	return t->cmdsn;
}

bool
text_logout_requested(const struct text_ctx *t, unsigned *within_s)
{
	if (within_s != NULL)
		*within_s = t->logout_s;
	return t->logout;
}
