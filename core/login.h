/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The initiator's login state machine (RFC 7143 §6.3, §11.12-11.13):
 * security stage (AuthMethod None/CHAP), operational stage, transit bits,
 * multi-PDU text (C bit), redirects, status → enum iscsi_err.  Sans-I/O:
 * the driver connects, sends the PDUs it is given and feeds back every
 * PDU it receives; it owns timers and sockets.
 */
#ifndef ISCSIKIT_LOGIN_H
#define ISCSIKIT_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "chap.h"
#include "keys.h"
#include "pdu.h"

#define LOGIN_DEFAULT_TIMEOUT	15	/* node.conn[0].timeo.login_timeout */
#define LOGIN_DEFAULT_AUTH_TIMEOUT 45	/* discovery.sendtargets.auth_timeout */
#define LOGIN_DEFAULT_REDIRECTS	8	/* redirects followed before giving up */
#define LOGIN_TEXT_MAX		65536	/* reassembled login text (C bit) cap */
#define LOGIN_ADDR_MAX		300	/* TargetAddress value */
#define LOGIN_MSG_MAX		256

enum login_session_type {
	LOGIN_SESSION_NORMAL	= 0,
	LOGIN_SESSION_DISCOVERY	= 1,
};

/* What the security stage offers (reference §6.2). */
enum login_auth {
	LOGIN_AUTH_NONE	= 0,	/* no security stage: start in operational */
	LOGIN_AUTH_CHAP	= 1,	/* AuthMethod=CHAP,None; AuthMethod=CHAP if mutual */
};

/**
 * struct login_cfg - everything one login needs.  The strings must stay
 * valid until login_free() or the next login_start().
 * @lc_type:           normal or discovery session.
 * @lc_initiator_name: InitiatorName (required).
 * @lc_initiator_alias: InitiatorAlias or NULL.
 * @lc_target_name:    TargetName (normal sessions only).
 * @lc_isid:           6 bytes; open-iscsi uses 00 02 3D + 3 bytes of the sid.
 * @lc_tsih:           0 for a new session, the old TSIH to add a connection
 *                     or reinstate.
 * @lc_cid:            connection id (0).
 * @lc_itt:            Initiator Task Tag used by every login PDU of this login.
 * @lc_cmdsn:          initial CmdSN (login requests are immediate: it stays).
 * @lc_exp_statsn:     ExpStatSN of the first request (0 for a new connection).
 * @lc_want:           operational offer: keys_defaults() then the record.
 * @lc_emit:           KEYS_EMIT_OPENISCSI (what open-iscsi sends) or MINIMAL.
 * @lc_auth:           enum login_auth.
 * @lc_chap:           credentials and CHAP_A order when @lc_auth is CHAP.
 * @lc_login_timeout:  seconds; the driver arms it (login_timeout()).
 * @lc_auth_timeout:   seconds while in the security stage (0: login_timeout).
 * @lc_max_redirects:  redirects followed before ISCSI_ERR_FATAL_LOGIN.
 */
struct login_cfg {
	enum login_session_type	 lc_type;
	const char		*lc_initiator_name;
	const char		*lc_initiator_alias;
	const char		*lc_target_name;
	uint8_t			 lc_isid[6];
	uint16_t		 lc_tsih;
	uint16_t		 lc_cid;
	uint32_t		 lc_itt;
	uint32_t		 lc_cmdsn;
	uint32_t		 lc_exp_statsn;
	struct iscsi_params	 lc_want;
	enum keys_emit_mode	 lc_emit;
	enum login_auth		 lc_auth;
	struct chap_cfg		 lc_chap;
	unsigned		 lc_login_timeout;
	unsigned		 lc_auth_timeout;
	unsigned		 lc_max_redirects;
};

/* Fill @cfg with defaults (discovery or normal, no auth, default params). */
void login_cfg_init(struct login_cfg *cfg, enum login_session_type type);

/* Verdicts of login_start() and login_input(). */
enum login_verdict {
	LOGIN_SEND	= 0,	/* send out->lo_pdu, then feed the next received PDU */
	LOGIN_DONE	= 1,	/* full feature phase; out->lo_params etc. valid */
	LOGIN_REDIRECT	= 2,	/* reconnect to out->lo_redirect and call login_start() again */
	LOGIN_FAIL	= 3,	/* out->lo_err and out->lo_msg say why; close the connection */
};

/**
 * struct login_out - what to do next.
 * @lo_pdu:      LOGIN_SEND: the Login Request to send; the caller owns it
 *               (pdu_free() after sending).  Login PDUs carry no digests.
 * @lo_err:      LOGIN_FAIL: enum iscsi_err (24 auth, 19 fatal, 5 retryable,
 *               4 transport/protocol, 3 nomem).
 * @lo_retry:    LOGIN_FAIL: the reference would retry this failure.
 * @lo_md5_fallback: LOGIN_FAIL: an initiator-error status (class 2) came
 *               during CHAP while the offer or the chosen algorithm was not
 *               MD5 alone (tgtd numbers SHA-1 as 7 and rejects a SHA-256
 *               answer with 0x0200; it refuses CHAP_A=6/8 at once): a driver
 *               may retry once with lc_chap.algs = { CHAP_ALG_MD5 }, nalgs 1.
 * @lo_status:   last Login Response status (class<<8 | detail).
 * @lo_msg:      human message ("target error (03/01)", "redirect loop").
 * @lo_redirect: LOGIN_REDIRECT: TargetAddress value "host:port,tpgt" raw
 *               from the target (host may be "[v6]"); @lo_redirect_permanent
 *               for 0x0102.  Parse it with the discovery address parser.
 * @lo_params:   LOGIN_DONE: negotiated parameters (max_xmit_dsl = what we
 *               may send per PDU; max_recv_dsl = pdu_rx limit from now on).
 * @lo_tsih:     LOGIN_DONE: TSIH the target assigned.
 * @lo_cmdsn:    LOGIN_DONE: CmdSN for the first full-feature command.
 * @lo_exp_statsn/@lo_exp_cmdsn/@lo_max_cmdsn: sequence numbers after login.
 * @lo_chap_alg: CHAP_A used (0 if none).
 */
struct login_out {
	struct pdu		lo_pdu;
	int			lo_err;
	bool			lo_retry;
	bool			lo_md5_fallback;
	uint16_t		lo_status;
	char			lo_msg[LOGIN_MSG_MAX];
	char			lo_redirect[LOGIN_ADDR_MAX];
	bool			lo_redirect_permanent;
	struct iscsi_params	lo_params;
	uint16_t		lo_tsih;
	uint32_t		lo_cmdsn;
	uint32_t		lo_exp_statsn;
	uint32_t		lo_exp_cmdsn;
	uint32_t		lo_max_cmdsn;
	int			lo_chap_alg;
};

struct login_ctx;

/* A context for one connection's logins (keeps the redirect count). */
struct login_ctx *login_new(void);
void login_free(struct login_ctx *ctx);

/*
 * Start (or, after LOGIN_REDIRECT, restart on the new connection) a login.
 * @cfg is copied (its strings are referenced).  @out is reset; returns
 * LOGIN_SEND with the first Login Request, or LOGIN_FAIL (bad config,
 * too many redirects).
 */
enum login_verdict login_start(struct login_ctx *ctx, const struct login_cfg *cfg,
    struct login_out *out);
/*
 * Feed one received PDU (any opcode; the engine checks).  @out is reset
 * (any lo_pdu the caller still owns must have been freed).
 */
enum login_verdict login_input(struct login_ctx *ctx, const struct pdu *rsp,
    struct login_out *out);

/* Seconds the driver should allow for the next response (security stage
 * uses the auth timeout). */
unsigned login_timeout(const struct login_ctx *ctx);
/* Current state name, for logs ("SEC_CHAP_R"). */
const char *login_state_name(const struct login_ctx *ctx);
/* Redirects followed so far by this context. */
unsigned login_redirects(const struct login_ctx *ctx);

/**
 * login_status_err() - map a Login Response status to an error.
 * @status:  class<<8 | detail (RFC 7143 §11.13.5).
 * @retry:   set to whether the reference retries it (may be NULL).
 * Return: ISCSI_OK for 0x0000, ISCSI_ERR_LOGIN_AUTH_FAILED for 0x0201/0x0202,
 * ISCSI_ERR_FATAL_LOGIN for other initiator errors, ISCSI_ERR_LOGIN (retry)
 * for target errors, ISCSI_ERR_LOGIN for redirects (handled by the engine).
 */
int login_status_err(uint16_t status, bool *retry);
/* The RFC name of a status ("Authentication failure"), "unknown" if none. */
const char *login_status_name(uint16_t status);

#endif
