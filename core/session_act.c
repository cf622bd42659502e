// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The actions of the session state machine (table in session.c): each
 * does its work and returns the next state; follow-up events are posted,
 * never handled inline.  Retry policy is the reference's (§6.4): initial
 * logins retry retryable failures within initial_login_retry_max ×
 * login_timeout, 3 s apart; a lost connection is reopened after
 * DefaultTime2Wait until logout, or node.session.reopen_max attempts if set.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conn_io.h"
#include "err.h"
#include "log.h"
#include "rec.h"
#include "session_priv.h"

#define SESS_REOPEN_DELAY_MS	3000	/* ISCSI_CONN_ERR_REOPEN_DELAY */

static void
arm_login_timer(struct sess *s, unsigned sec)
{
	sess_timer(s, (uint64_t)(sec != 0 ? sec : LOGIN_DEFAULT_TIMEOUT) * 1000u);
}

enum sess_state
sess_a_connect(struct sess *s, enum sess_event ev)
{
	int rc;

	(void)ev;
	if (!s->kcreated && (rc = sess_k_create(s)) != ISCSI_OK) {
		sess_reply(s, rc, NULL);
		return SS_DEAD;
	}
	if (s->lctx == NULL) {
		sess_login_cfg(s);
		if ((s->lctx = login_new()) == NULL) {
			sess_k_destroy(s->th, s->sid, s->cid);
			sess_reply(s, ISCSI_ERR_NOMEM, NULL);
			return SS_DEAD;
		}
	}
	if (s->first_try_ms == 0)
		s->first_try_ms = evloop_now_ms();
	s->attempts++;
	arm_login_timer(s, s->cfg.lc_login_timeout);
	if ((rc = sess_connect(s)) != ISCSI_OK) {
		s->last_err = rc;
		sess_post(s, SE_IO_ERR);
	}
	return SS_CONNECTING;
}

/* What the engine said: send its PDU, or post the outcome. */
static enum sess_state
verdict(struct sess *s, enum login_verdict v)
{
	char host[256], esc[LOGIN_ADDR_MAX * 4];
	uint16_t port;
	int rc;

	switch (v) {
	case LOGIN_SEND:
		rc = sess_send_pdu(s, &s->lo.lo_pdu);
		pdu_free(&s->lo.lo_pdu);
		if (rc != ISCSI_OK) {
			s->last_err = rc;
			sess_post(s, SE_IO_ERR);
		}
		arm_login_timer(s, login_timeout(s->lctx));
		return SS_LOGIN;
	case LOGIN_DONE:
		sess_post(s, SE_LOGIN_OK);
		return SS_LOGIN;
	case LOGIN_REDIRECT:
		sess_drop_socket(s);
		if (conn_io_split_addr(s->lo.lo_redirect, host, sizeof(host), &port) != ISCSI_OK) {
			s->lo.lo_err = ISCSI_ERR_FATAL_LOGIN;
			s->lo.lo_retry = false;
			snprintf(s->lo.lo_msg, sizeof(s->lo.lo_msg), "bad redirect address");
			sess_post(s, SE_LOGIN_FAIL);
			return SS_LOGIN;
		}
		log_info("session %u redirected to %s", s->sid, log_escape(esc, sizeof(esc),
		    s->lo.lo_redirect, strlen(s->lo.lo_redirect)));
		snprintf(s->addr, sizeof(s->addr), "%s", host);
		s->port = port;
		if ((rc = sess_connect(s)) != ISCSI_OK) {
			s->last_err = rc;
			sess_post(s, SE_IO_ERR);
		}
		return SS_CONNECTING;
	case LOGIN_FAIL:
	default:
		sess_post(s, SE_LOGIN_FAIL);
		return SS_LOGIN;
	}
}

enum sess_state
sess_a_login_start(struct sess *s, enum sess_event ev)
{
	int rc;

	(void)ev;
	/* A relogin runs through the kernel, which owns the session's CmdSN
	 * by now; a first login runs on our socket before the kernel sees it. */
	if (s->was_logged_in && !s->kpdu && (rc = sess_k_bind(s)) != ISCSI_OK) {
		s->last_err = rc;
		sess_post(s, SE_IO_ERR);
		return SS_LOGIN;
	}
	return verdict(s, login_start(s->lctx, &s->cfg, &s->lo));
}

enum sess_state
sess_a_login_pdu(struct sess *s, enum sess_event ev)
{
	enum login_verdict v;

	(void)ev;
	pdu_free(&s->lo.lo_pdu);
	v = login_input(s->lctx, &s->rxpdu, &s->lo);
	pdu_free(&s->rxpdu);
	if (v == LOGIN_SEND && !s->kpdu)
		evloop_watch_mod(&s->watch, EVLOOP_READ);	/* reading paused per PDU */
	return verdict(s, v);
}

enum sess_state
sess_a_ffp(struct sess *s, enum sess_event ev)
{
	const char *scan = rec_get(s->rec, "node.session.scan");
	int rc;

	(void)ev;
	evloop_timer_del(&s->timer);
	if ((!s->kpdu && (rc = sess_k_bind(s)) != ISCSI_OK) ||
	    (rc = sess_k_params_start(s)) != ISCSI_OK) {
		s->last_err = rc;
		log_warnx("session %u: %s", s->sid, err_detail(rc) != NULL ? err_detail(rc) :
		    iscsi_strerror(rc));
		sess_post(s, SE_IO_ERR);
		return SS_LOGIN;
	}
	if (s->was_logged_in)
		log_info("connection%u:%u is operational after recovery (%u attempts)", s->sid,
		    s->cid, s->attempts);
	else
		log_info("Connection%u:%u to [target: %s, portal: %s,%d] through [iface: %s] is "
		    "operational now", s->sid, s->cid, s->target, s->addr, s->port, s->iface);
	if (scan == NULL || strcmp(scan, "manual") != 0)
		sess_k_scan(s->host_no);
	s->was_logged_in = true;
	s->attempts = 0;
	s->first_try_ms = 0;
	sess_reply(s, ISCSI_OK, NULL);
	return SS_LOGGED_IN;
}

/* The error of a failed attempt and whether the reference retries it. */
static int
fail_reason(struct sess *s, enum sess_event ev, bool *retry, char *msg, size_t len)
{
	int err;

	*retry = true;
	msg[0] = '\0';
	if (ev == SE_LOGIN_FAIL) {
		*retry = s->lo.lo_retry;
		snprintf(msg, len, "%s", s->lo.lo_msg);
		return s->lo.lo_err != 0 ? s->lo.lo_err : ISCSI_ERR_LOGIN;
	}
	if (ev == SE_TIMEOUT) {
		err = s->state == SS_CONNECTING ? ISCSI_ERR_TRANS_TIMEOUT : ISCSI_ERR_PDU_TIMEOUT;
		snprintf(msg, len, "%s", iscsi_strerror(err));
		return err;
	}
	err = s->last_err != 0 ? s->last_err : ISCSI_ERR_TRANS;
	if (err_detail(ISCSI_ERR_TRANS) != NULL && err == ISCSI_ERR_TRANS)
		snprintf(msg, len, "%s", err_detail(ISCSI_ERR_TRANS));
	return err;
}

enum sess_state
sess_a_fail(struct sess *s, enum sess_event ev)
{
	long tmo = rec_get_int(s->rec, "node.conn[0].timeo.login_timeout", 15);
	long tries = rec_get_int(s->rec, "node.session.initial_login_retry_max", 8);
	uint64_t budget = (uint64_t)(tmo * tries) * 1000u;
	long reopen_max = rec_get_int(s->rec, "node.session.reopen_max", 0);
	char msg[LOGIN_MSG_MAX], esc[LOGIN_MSG_MAX * 4];
	bool retry;
	int err = fail_reason(s, ev, &retry, msg, sizeof(msg));

	s->last_err = 0;
	evloop_timer_del(&s->timer);
	if (s->kpdu && sess_k_stop(s->th, s->sid, s->cid, KIF_STOP_CONN_RECOVER) != ISCSI_OK)
		err_clear();
	s->kpdu = false;
	sess_drop_socket(s);
	if (s->lctx != NULL) {
		login_free(s->lctx);
		s->lctx = NULL;
	}
	log_warnx("session %u: login to %s,%d failed: %s (%d)", s->sid, s->addr, s->port,
	    msg[0] != '\0' ? log_escape(esc, sizeof(esc), msg, strlen(msg)) :
	    iscsi_strerror(err), err);
	if (s->was_logged_in && reopen_max > 0 && s->attempts >= (unsigned long)reopen_max) {
		log_warnx("connection%u:%u: Giving up after %u retries", s->sid, s->cid, s->attempts);
		sess_k_destroy(s->th, s->sid, s->cid);
		return SS_DEAD;
	}
	if (s->was_logged_in || (retry && evloop_now_ms() - s->first_try_ms < budget)) {
		sess_timer(s, SESS_REOPEN_DELAY_MS);
		return SS_REOPEN_WAIT;
	}
	sess_k_destroy(s->th, s->sid, s->cid);
	sess_reply(s, err, msg[0] != '\0' ? msg : NULL);
	return SS_DEAD;
}

enum sess_state
sess_a_recover(struct sess *s, enum sess_event ev)
{
	long t2w = (long)s->lo.lo_params.default_time2wait;

	(void)ev;
	log_warnx("connection%u:%u lost; reconnecting to %s,%d", s->sid, s->cid, s->addr, s->port);
	if (sess_k_stop(s->th, s->sid, s->cid, KIF_STOP_CONN_RECOVER) != ISCSI_OK)
		err_clear();
	s->kpdu = false;
	sess_drop_socket(s);
	if (s->lctx != NULL) {
		login_free(s->lctx);
		s->lctx = NULL;
	}
	s->first_try_ms = 0;
	sess_timer(s, (uint64_t)(t2w > 0 ? t2w : 1) * 1000u);
	return SS_REOPEN_WAIT;
}

static enum sess_state
logout_finish(struct sess *s)
{
	int rc = sess_k_destroy(s->th, s->sid, s->cid);

	evloop_timer_del(&s->timer);
	sess_drop_socket(s);
	if (rc == ISCSI_OK)
		log_info("Connection%u:%u to [target: %s, portal: %s,%d] through [iface: %s] is "
		    "shutdown.", s->sid, s->cid, s->target, s->addr, s->port, s->iface);
	if (s->logout_call != NULL) {
		ipc_call_finish(s->logout_call, rc, NULL);
		s->logout_call = NULL;
	}
	return SS_DEAD;
}

static unsigned
logout_timeout_ms(const struct sess *s)
{
	long t = rec_get_int(s->rec, "node.conn[0].timeo.logout_timeout", 15);

	return (unsigned)(t > 0 ? t : 15) * 1000u;
}

/*
 * Logout wins over a login or recovery in progress.  A logged-in session
 * is unbound first (the kernel removes its SCSI devices while the
 * connection still works), then a Logout PDU goes out through the kernel;
 * the rest tear down at once.
 */
enum sess_state
sess_a_logout(struct sess *s, enum sess_event ev)
{
	(void)ev;
	evloop_timer_del(&s->timer);
	if (s->call != NULL)
		sess_reply(s, ISCSI_ERR_LOGIN, "logged out while logging in");
	if (s->state != SS_LOGGED_IN)
		return logout_finish(s);
	if (sess_k_unbind(s->th, s->sid) != ISCSI_OK) {
		err_clear();	/* old kernels: destroy removes the devices too */
		return sess_a_logout_pdu(s, SE_TIMEOUT);
	}
	sess_timer(s, logout_timeout_ms(s));
	return SS_UNBINDING;
}

enum sess_state
sess_a_logout_pdu(struct sess *s, enum sess_event ev)
{
	struct pdu p = { 0 };
	int rc;

	(void)ev;
	evloop_timer_del(&s->timer);
	pdu_build_logout_req(&p, ISCSI_LOGOUT_CLOSE_SESSION, s->cfg.lc_itt, (uint16_t)s->cid, 0, 0);
	rc = sess_k_send_pdu(s, &p);
	pdu_free(&p);
	if (rc != ISCSI_OK) {
		log_debug(1, "session %u: Logout PDU not sent: %s", s->sid,
		    err_detail(rc) != NULL ? err_detail(rc) : iscsi_strerror(rc));
		err_clear();
		return logout_finish(s);
	}
	sess_timer(s, logout_timeout_ms(s));
	return SS_LOGOUT_WAIT;
}

enum sess_state
sess_a_logout_done(struct sess *s, enum sess_event ev)
{
	if (ev == SE_PDU) {
		if (pdu_opcode(&s->rxpdu) == ISCSI_OP_LOGOUT_RSP && pdu_logout_response(&s->rxpdu) != 0)
			log_warnx("session %u: target answered the logout with response %u", s->sid,
			    pdu_logout_response(&s->rxpdu));
		pdu_free(&s->rxpdu);
	} else if (ev == SE_TIMEOUT) {
		log_warnx("session %u: no Logout Response within the logout timeout", s->sid);
	}
	return logout_finish(s);
}
