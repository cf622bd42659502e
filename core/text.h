/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text Request/Response sequencing in full feature phase (RFC 7143 §11.10,
 * §11.11): one request (e.g. SendTargets=All), then continuation while the
 * target answers F=0, echoing its Target Transfer Tag, and reassembly of
 * the answer up to a cap.  Sans-I/O; it does not interpret the keys
 * (the SendTargets parser does, with keys_next()).
 */
#ifndef ISCSIKIT_TEXT_H
#define ISCSIKIT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdu.h"
#include "unsol.h"

#define TEXT_DEFAULT_MAX	(64u << 20)	/* reassembled answer cap: 64 MiB */
#define TEXT_DEFAULT_MAX_PDUS	100000		/* continuation round trips cap */

/**
 * struct text_cfg - one exchange.
 * @tc_itt:        Initiator Task Tag (a fresh one per exchange).
 * @tc_cmdsn:      CmdSN of the first request (non-immediate: each request
 *                 takes one; text_next_cmdsn() says where it ended).
 * @tc_exp_statsn: ExpStatSN to put in the first request.
 * @tc_max_send:   target's MaxRecvDataSegmentLength (our request is split
 *                 with the C bit above it).
 * @tc_max_answer: cap on the reassembled answer (0: TEXT_DEFAULT_MAX).
 * @tc_max_pdus:   cap on response PDUs (0: TEXT_DEFAULT_MAX_PDUS).
 * @tc_max_unsol:  NOP-In/Async Messages allowed in a row (0: UNSOL_DEFAULT_MAX_RUN).
 */
struct text_cfg {
	uint32_t	tc_itt;
	uint32_t	tc_cmdsn;
	uint32_t	tc_exp_statsn;
	uint32_t	tc_max_send;
	size_t		tc_max_answer;
	uint32_t	tc_max_pdus;
	unsigned	tc_max_unsol;
};

enum text_verdict {
	TEXT_SEND	= 0,	/* send out->to_pdu, then feed the next Text Response */
	TEXT_DONE	= 1,	/* out->to_data/to_len hold the whole answer */
	TEXT_FAIL	= 2,	/* out->to_err, detail via err_detail() */
	/* a NOP-In or Async Message was handled (unsol.h): send out->to_pdu when
	 * out->to_reply (a NOP-Out), then feed the next PDU; the Text Response
	 * is still awaited, so its deadline does not restart */
	TEXT_MORE	= 3,
};

/**
 * struct text_out - result of a step.
 * @to_pdu:  TEXT_SEND: the Text Request; caller sends and pdu_free()s it.
 * @to_data: TEXT_DONE: the reassembled "k=v\0..." answer; owned by the
 *           context until text_free()/text_take_answer().
 * @to_len:  its length.
 * @to_err:  TEXT_FAIL: enum iscsi_err (ISCSI_ERR_TRANS protocol violation,
 *           ISCSI_ERR_NOMEM, ISCSI_ERR_INVAL answer over the cap).
 * @to_reply: TEXT_MORE: @to_pdu holds a NOP-Out to send.
 * @to_dropped: TEXT_FAIL: the target announced it drops the connection
 *           (AsyncEvent 2 or 3): close it without a Logout.
 */
struct text_out {
	struct pdu	 to_pdu;
	const char	*to_data;
	size_t		 to_len;
	int		 to_err;
	bool		 to_reply;
	bool		 to_dropped;
};

/**
 * struct text_ctx - sequencing state (treat as opaque).
 */
struct text_ctx {
	struct text_cfg	 cfg;
	char		*req;		/* request text still to send (C bit splitting) */
	size_t		 req_len, req_off;
	char		*buf;		/* reassembled answer */
	size_t		 len, cap;
	uint32_t	 exp_statsn;
	uint32_t	 cmdsn;		/* CmdSN of the next request */
	uint32_t	 pdus;
	int		 st;
	struct unsol_ctx unsol;
	bool		 logout;	/* AsyncEvent 1 seen */
	unsigned	 logout_s;	/* its Parameter3 */
};

void text_init(struct text_ctx *t);
void text_free(struct text_ctx *t);
/* Begin an exchange with @len bytes of "k=v\0" request text. */
enum text_verdict text_start(struct text_ctx *t, const struct text_cfg *cfg, const char *req,
    size_t len, struct text_out *out);
/*
 * Feed one received PDU: a Text Response, or a NOP-In or Async Message the
 * target sent in between (TEXT_MORE).  After a logout request (AsyncEvent 1)
 * the exchange still ends if the next response is final; one that needs
 * another Text Request fails, as no new command may follow the request.
 */
enum text_verdict text_input(struct text_ctx *t, const struct pdu *rsp, struct text_out *out);
/* Take ownership of the answer after TEXT_DONE (caller free()s it). */
char *text_take_answer(struct text_ctx *t, size_t *len);
/* ExpStatSN to use after the exchange (last StatSN + 1). */
uint32_t text_exp_statsn(const struct text_ctx *t);
/* CmdSN for the next command after the exchange: every Text Request is
 * non-immediate and takes one (iscsiadm sends 1, 2, 3 on continuations). */
uint32_t text_next_cmdsn(const struct text_ctx *t);
/* Did the target request a Logout (AsyncEvent 1)?  @within_s: its Parameter3. */
bool text_logout_requested(const struct text_ctx *t, unsigned *within_s);

#endif
