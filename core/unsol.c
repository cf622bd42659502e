// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NOP-In and Async Message handling for sessions without SCSI tasks
 * (RFC 7143 §11.9, §11.18, §11.19): one table row per AsyncEvent, a
 * NOP-Out builder for pings, and a cap on how many such PDUs may come
 * in a row.  Sans-I/O; no sockets, no clocks (the driver keeps deadlines).
 */
#include <stdio.h>
#include <string.h>

#include <iscsi/errors.h>
#include "err.h"
#include "log.h"
#include "unsol.h"

/* What an AsyncEvent means for a discovery session (§11.9.1). */
struct unsol_event_row {
	uint8_t			event;
	enum unsol_action	action;
	const char		*name;
};

static const struct unsol_event_row unsol_events[] = {
	/* sense data about LUNs; a discovery session has none */
	{ UNSOL_EV_SCSI,	UNSOL_IGNORE,	"SCSI event" },
	/* MUST log out within Parameter3 seconds; the exchange may finish first */
	{ UNSOL_EV_LOGOUT,	UNSOL_LOGOUT,	"logout request" },
	/* Parameter1 CID, Parameter2 Time2Wait, Parameter3 Time2Retain */
	{ UNSOL_EV_DROP_CONN,	UNSOL_FAIL,	"connection drop" },
	{ UNSOL_EV_DROP_ALL,	UNSOL_FAIL,	"session drop" },
	/* answered by a Text Request; ours is pending whenever we read */
	{ UNSOL_EV_NEGOTIATE,	UNSOL_IGNORE,	"negotiation request" },
	{ UNSOL_EV_VENDOR,	UNSOL_IGNORE,	"vendor event" },
};

static const struct unsol_event_row *
unsol_event_row(uint8_t event)
{
	size_t i;

	for (i = 0; i < sizeof(unsol_events) / sizeof(unsol_events[0]); i++)
		if (unsol_events[i].event == event)
			return &unsol_events[i];
	return NULL;
}

const char *
unsol_event_name(uint8_t event)
{
	const struct unsol_event_row *r = unsol_event_row(event);

	return r != NULL ? r->name : "reserved";
}

void
unsol_init(struct unsol_ctx *u, uint32_t max_xmit_dsl, unsigned max_run)
{
	memset(u, 0, sizeof(*u));
	u->max_xmit_dsl = max_xmit_dsl != 0 ? max_xmit_dsl : ISCSI_DEFAULT_MRDSL;
	u->max_run = max_run != 0 ? max_run : UNSOL_DEFAULT_MAX_RUN;
}

bool
unsol_is(const struct pdu *p)
{
	return pdu_opcode(p) == ISCSI_OP_NOP_IN || pdu_opcode(p) == ISCSI_OP_ASYNC;
}

void
unsol_progress(struct unsol_ctx *u)
{
	u->run = 0;
}

static enum unsol_action
unsol_fail(struct unsol_out *out, bool dropping, int err)
{
	out->uo_err = err;
	out->uo_dropping = dropping;
	return UNSOL_FAIL;
}

/* A ping: answer with an immediate NOP-Out that does not advance CmdSN. */
static enum unsol_action
unsol_nop_in(struct unsol_ctx *u, const struct pdu *p, const struct unsol_sn *sn,
    struct unsol_out *out)
{
	uint32_t echo;

	if (pdu_itt(p) != ISCSI_RSVD_TAG)
		return unsol_fail(out, false, err_set(ISCSI_ERR_TRANS, "NOP-In answers ITT "
		    "0x%08x, but this session sent no NOP-Out", pdu_itt(p)));
	/* its StatSN is the next one and is not taken (§11.19) */
	if (pdu_statsn(p) != sn->us_exp_statsn)
		log_debug(3, "NOP-In StatSN %u, expected %u", pdu_statsn(p), sn->us_exp_statsn);
	if (pdu_ttt(p) == ISCSI_RSVD_TAG) {
		log_debug(3, "NOP-In without a Target Transfer Tag: not answered");
		return UNSOL_IGNORE;
	}
	pdu_build_nop_out(&out->uo_pdu, ISCSI_RSVD_TAG, pdu_ttt(p), pdu_lun(p), sn->us_cmdsn,
	    sn->us_exp_statsn);
	/* §11.19 wants no data in a ping; a target that sends some gets it back */
	echo = p->data_len < u->max_xmit_dsl ? p->data_len : u->max_xmit_dsl;
	if (echo > 0 && pdu_set_data(&out->uo_pdu, p->data, echo) != ISCSI_OK) {
		pdu_free(&out->uo_pdu);
		return unsol_fail(out, false, err_set(ISCSI_ERR_NOMEM,
		    "no memory for %u bytes of ping data", echo));
	}
	log_debug(3, "NOP-In TTT 0x%08x: NOP-Out with %u data bytes", pdu_ttt(p), echo);
	return UNSOL_SEND;
}

/* An Async Message takes a StatSN (ITT 0xffffffff, but not a NOP-In). */
static void
unsol_async_statsn(const struct pdu *p, struct unsol_sn *sn)
{
	uint32_t s = pdu_statsn(p);

	/* serial arithmetic (RFC 1982): never step back */
	if ((int32_t)(s - sn->us_exp_statsn) >= 0)
		sn->us_exp_statsn = s + 1;
	else
		log_debug(3, "Async Message StatSN %u is behind ExpStatSN %u", s,
		    sn->us_exp_statsn);
}

static enum unsol_action
unsol_async(const struct pdu *p, struct unsol_sn *sn, struct unsol_out *out)
{
	uint8_t ev = pdu_async_event(p);
	const struct unsol_event_row *r = unsol_event_row(ev);

	unsol_async_statsn(p, sn);
	if (r == NULL) {
		log_warnx("ignoring Async Message with reserved AsyncEvent %u", ev);
		return UNSOL_IGNORE;
	}
	log_debug(2, "Async Message: %s (AsyncEvent %u, AsyncVCode %u, %u data bytes)",
	    r->name, ev, pdu_async_vcode(p), p->data_len);
	switch (r->action) {
	case UNSOL_LOGOUT:
		out->uo_logout_s = pdu_async_param(p, 3);
		return UNSOL_LOGOUT;
	case UNSOL_FAIL:
		return unsol_fail(out, true, err_set(ISCSI_ERR_TRANS, "target announced a %s "
		    "(AsyncEvent %u, CID %u, Time2Wait %u s, Time2Retain %u s)", r->name, ev,
		    pdu_async_param(p, 1), pdu_async_param(p, 2), pdu_async_param(p, 3)));
	default:
		return r->action;
	}
}

enum unsol_action
unsol_input(struct unsol_ctx *u, const struct pdu *p, struct unsol_sn *sn,
    struct unsol_out *out)
{
	memset(out, 0, sizeof(*out));
	if (++u->run > u->max_run)
		return unsol_fail(out, false, err_set(ISCSI_ERR_TRANS, "%u NOP-In or Async "
		    "Messages in a row instead of a response", u->run));
	switch (pdu_opcode(p)) {
	case ISCSI_OP_NOP_IN:
		return unsol_nop_in(u, p, sn, out);
	case ISCSI_OP_ASYNC:
		return unsol_async(p, sn, out);
	default:
		return unsol_fail(out, false, err_set(ISCSI_ERR_INTERNAL,
		    "%s is not an unsolicited PDU", pdu_opcode_name(pdu_opcode(p))));
	}
}
