/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NOP-In pings (RFC 7143 §11.19) and Async Messages (§11.9) a target sends
 * unasked in full feature phase of a session without SCSI tasks (discovery),
 * turned into a decision or a NOP-Out (§11.18).  Sans-I/O: the text engine
 * and conn_io_logout feed them.  Not for kernel sessions (the kernel answers).
 */
#ifndef ISCSIKIT_UNSOL_H
#define ISCSIKIT_UNSOL_H

#include <stdbool.h>
#include <stdint.h>

#include "pdu.h"

/* Unsolicited PDUs accepted in a row before the awaited response: a target
 * that only pings is broken, and the cap keeps a flood from hanging us. */
#define UNSOL_DEFAULT_MAX_RUN	64

/* AsyncEvent codes (RFC 7143 §11.9.1). */
enum unsol_async_event {
	UNSOL_EV_SCSI		= 0,	/* SCSI event; sense data in the data segment */
	UNSOL_EV_LOGOUT		= 1,	/* target requests Logout within Parameter3 s */
	UNSOL_EV_DROP_CONN	= 2,	/* target will drop this connection (Parameter1 CID) */
	UNSOL_EV_DROP_ALL	= 3,	/* target will drop all connections of the session */
	UNSOL_EV_NEGOTIATE	= 4,	/* target requests a Text negotiation */
	UNSOL_EV_VENDOR		= 255,	/* vendor specific (AsyncVCode) */
};

enum unsol_action {
	UNSOL_IGNORE	= 0,	/* consumed; feed the next PDU */
	UNSOL_SEND	= 1,	/* send out->uo_pdu (a NOP-Out), then feed the next PDU */
	UNSOL_LOGOUT	= 2,	/* target wants a Logout within out->uo_logout_s seconds */
	UNSOL_FAIL	= 3,	/* out->uo_err with an err_set() detail */
};

/**
 * struct unsol_sn - the connection's sequence numbers, read and updated.
 * @us_cmdsn:      CmdSN of the next non-immediate command; an immediate
 *                 NOP-Out carries it without advancing it (§4.2.2.1).
 * @us_exp_statsn: ExpStatSN; an Async Message takes a StatSN and advances
 *                 it, a NOP-In with ITT 0xffffffff does not (§11.19).
 */
struct unsol_sn {
	uint32_t	us_cmdsn;
	uint32_t	us_exp_statsn;
};

/**
 * struct unsol_out - result of unsol_input().
 * @uo_pdu:      UNSOL_SEND: the NOP-Out; the caller sends and pdu_free()s it.
 * @uo_logout_s: UNSOL_LOGOUT: Parameter3, the seconds the target waits.
 * @uo_dropping: UNSOL_FAIL: the target is dropping the connection, so a
 *               Logout would go nowhere; close without one.
 * @uo_err:      UNSOL_FAIL: enum iscsi_err (ISCSI_ERR_TRANS).
 */
struct unsol_out {
	struct pdu	uo_pdu;
	unsigned	uo_logout_s;
	bool		uo_dropping;
	int		uo_err;
};

/**
 * struct unsol_ctx - per connection (treat as opaque).
 * @max_xmit_dsl: the target's MaxRecvDataSegmentLength: echoed ping data
 *                is cut there.
 * @max_run:      unsolicited PDUs allowed between two awaited responses.
 * @run:          how many arrived since the last awaited response.
 */
struct unsol_ctx {
	uint32_t	max_xmit_dsl;
	unsigned	max_run;
	unsigned	run;
};

/* @max_run 0: UNSOL_DEFAULT_MAX_RUN; @max_xmit_dsl 0: ISCSI_DEFAULT_MRDSL. */
void unsol_init(struct unsol_ctx *u, uint32_t max_xmit_dsl, unsigned max_run);
/* Is @p a PDU a target sends unasked (NOP-In, Async Message)? */
bool unsol_is(const struct pdu *p);
/*
 * Decide what @p (unsol_is() true) asks of us.  A NOP-In with a Target
 * Transfer Tag gets a NOP-Out: ITT 0xffffffff, I=1, its TTT and LUN, our
 * CmdSN and ExpStatSN unchanged, its data echoed.  A NOP-In without one
 * is not answered (§11.18: SHOULD NOT).  A NOP-In with an ITT answers a
 * ping we never sent: a protocol error.  Async Messages: SCSI, negotiation
 * (a Text Request is pending, which satisfies it, §11.9.1), vendor and
 * reserved events are ignored; logout requests give UNSOL_LOGOUT; drop
 * events fail the connection.  @sn is updated for the Async's StatSN.
 */
enum unsol_action unsol_input(struct unsol_ctx *u, const struct pdu *p, struct unsol_sn *sn,
    struct unsol_out *out);
/* The awaited response arrived: the run of unsolicited PDUs starts over. */
void unsol_progress(struct unsol_ctx *u);
/* "logout request", "connection drop", ... for logs; "reserved" otherwise. */
const char *unsol_event_name(uint8_t event);

#endif
