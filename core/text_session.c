// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core_api text services for discovery plugins: a SessionType=Discovery
 * login over conn_io with the discovery record's CHAP and timeouts, Text
 * exchanges with continuation (text.h), and a Logout at the end.  It does
 * not interpret answers (the plugin does) and never touches the node DB.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/errors.h>
#include "conn_io.h"
#include "core_api.h"
#include "err.h"
#include "keys.h"
#include "log.h"
#include "login.h"
#include "text.h"
#include "text_session.h"

#define TS_LOGOUT_TIMEOUT_MS	2000

struct iscsi_text_conn {
	struct conn_io		 io;
	struct login_ctx	*login;
	struct login_out	 lo;
	uint32_t		 itt;
	uint32_t		 cmdsn;
	uint32_t		 exp_statsn;
	unsigned		 active_ms;
	bool			 logout_requested;	/* AsyncEvent 1 seen */
};

/* The record settings one discovery login needs, with the reference's defaults. */
struct ts_settings {
	unsigned	 login_timeout, auth_timeout, active_timeout;
	unsigned	 mrdsl;
	bool		 chap;
	const char	*user, *pass, *user_in, *pass_in, *algs;
	const char	*netdev;
};

static const char *
ts_get(const struct iscsi_settings *s, const char *key)
{
	const char *v;

	if (s == NULL || s->is_get == NULL)
		return NULL;
	v = s->is_get(s, key);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

static unsigned
ts_num(const struct iscsi_settings *s, const char *key, unsigned def, unsigned min,
    unsigned max)
{
	const char *v = ts_get(s, key);
	unsigned long n;
	char *end;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max) {
		log_warnx("ignoring %s = %s (want %u..%u); using %u", key, v, min, max, def);
		return def;
	}
	return (unsigned)n;
}

static void
ts_read_settings(const struct iscsi_disc_request *req, struct ts_settings *st)
{
	const struct iscsi_settings *r = req->dr_record;
	const char *m = ts_get(r, "discovery.sendtargets.auth.authmethod");

	memset(st, 0, sizeof(*st));
	st->login_timeout = ts_num(r, "discovery.sendtargets.timeo.login_timeout", 15, 1, 3600);
	st->auth_timeout = ts_num(r, "discovery.sendtargets.timeo.auth_timeout", 45, 1, 3600);
	st->active_timeout = ts_num(r, "discovery.sendtargets.timeo.active_timeout", 30, 1, 3600);
	st->mrdsl = ts_num(r, "discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", 32768,
	    512, 16777215);
	st->chap = m != NULL && strcmp(m, "CHAP") == 0;
	st->user = ts_get(r, "discovery.sendtargets.auth.username");
	st->pass = ts_get(r, "discovery.sendtargets.auth.password");
	st->user_in = ts_get(r, "discovery.sendtargets.auth.username_in");
	st->pass_in = ts_get(r, "discovery.sendtargets.auth.password_in");
	/* the discovery record keeps its CHAP list under the node key (reference §4.6) */
	st->algs = ts_get(r, "node.session.auth.chap_algs");
	st->netdev = ts_get(req->dr_iface, "iface.net_ifacename");
	if (st->netdev != NULL && strcmp(st->netdev, "default") == 0)
		st->netdev = NULL;
}

static int
ts_login_cfg(const struct iscsi_disc_request *req, const struct ts_settings *st,
    struct login_cfg *cfg)
{
	static const uint8_t isid[6] = { 0x00, 0x02, 0x3d, 0x00, 0x00, 0x00 };
	int rc;

	login_cfg_init(cfg, LOGIN_SESSION_DISCOVERY);
	if (req->dr_initiator_name == NULL || req->dr_initiator_name[0] == '\0')
		return err_set(ISCSI_ERR_INVAL, "Cannot perform discovery. Initiatorname required.");
	cfg->lc_initiator_name = req->dr_initiator_name;
	cfg->lc_initiator_alias = req->dr_initiator_alias;
	memcpy(cfg->lc_isid, isid, sizeof(isid));
	cfg->lc_itt = 0;
	cfg->lc_cmdsn = 1;
	cfg->lc_want.max_recv_dsl = st->mrdsl;
	keys_sanitize(&cfg->lc_want);
	cfg->lc_emit = KEYS_EMIT_OPENISCSI;
	cfg->lc_login_timeout = st->login_timeout;
	cfg->lc_auth_timeout = st->auth_timeout;
	if (!st->chap)
		return ISCSI_OK;
	cfg->lc_auth = LOGIN_AUTH_CHAP;
	cfg->lc_chap.username = st->user;
	cfg->lc_chap.password = st->pass;
	cfg->lc_chap.username_in = st->user_in;
	cfg->lc_chap.password_in = st->pass_in;
	rc = chap_parse_algs(st->algs != NULL ? st->algs : "MD5", cfg->lc_chap.algs,
	    &cfg->lc_chap.nalgs);
	return rc;
}

static int ts_relabel(int rc, int code);

/* Connect and log in once; on failure the connection is closed. */
static int
ts_connect_login(struct iscsi_text_conn *tc, const struct iscsi_disc_request *req,
    const struct ts_settings *st, const struct login_cfg *cfg)
{
	int rc;

	rc = conn_io_connect(&tc->io, req->dr_address, req->dr_port, st->netdev,
	    st->login_timeout * 1000u);
	/* refused, unreachable or slow portals: "iSCSI PDU timed out" as the reference */
	if (rc != ISCSI_OK)
		return ts_relabel(rc, ISCSI_ERR_PDU_TIMEOUT);
	rc = conn_io_login(&tc->io, tc->login, cfg, &tc->lo);
	if (rc != ISCSI_OK)
		conn_io_close(&tc->io);
	return rc;
}

/* The reference ends every unreachable or silent portal in "iSCSI PDU timed
 * out" (11) after its retries; keep the code, keep our detail. */
static int
ts_discovery_code(int rc)
{
	switch (rc) {
	case ISCSI_ERR_TRANS_TIMEOUT:
	case ISCSI_ERR_PDU_TIMEOUT:
		return ISCSI_ERR_PDU_TIMEOUT;
	default:
		return rc;
	}
}

static int
ts_relabel(int rc, int code)
{
	const char *d = err_detail(rc);
	char why[512];

	if (rc == code)
		return rc;
	snprintf(why, sizeof(why), "%s", d != NULL ? d : iscsi_strerror(rc));
	return err_set(code, "%s", why);
}

int
text_session_open(const struct plugin_handle *owner, const struct iscsi_disc_request *req,
    struct iscsi_text_conn **out)
{
	struct iscsi_text_conn *tc;
	struct ts_settings st;
	struct login_cfg cfg;
	int rc;

	(void)owner;
	*out = NULL;
	ts_read_settings(req, &st);
	if ((rc = ts_login_cfg(req, &st, &cfg)) != ISCSI_OK)
		return rc;
	if ((tc = calloc(1, sizeof(*tc))) == NULL || (tc->login = login_new()) == NULL) {
		free(tc);
		return err_set(ISCSI_ERR_NOMEM, "no memory for a discovery session");
	}
	conn_io_init(&tc->io);
	tc->active_ms = st.active_timeout * 1000u;
	rc = ts_connect_login(tc, req, &st, &cfg);
	if (rc != ISCSI_OK && tc->lo.lo_md5_fallback && cfg.lc_auth == LOGIN_AUTH_CHAP &&
	    !(cfg.lc_chap.nalgs == 1 && cfg.lc_chap.algs[0] == CHAP_ALG_MD5)) {
		/* tgtd numbers SHA-1 as 7 (IANA's SHA-256) and rejects the answer */
		log_warnx("discovery login to %s: CHAP_A %d rejected; retrying once with MD5",
		    req->dr_address, tc->lo.lo_chap_alg);
		cfg.lc_chap.algs[0] = CHAP_ALG_MD5;
		cfg.lc_chap.nalgs = 1;
		login_free(tc->login);
		if ((tc->login = login_new()) == NULL)
			rc = err_set(ISCSI_ERR_NOMEM, "no memory for a discovery session");
		else
			rc = ts_connect_login(tc, req, &st, &cfg);
	}
	if (rc != ISCSI_OK) {
		rc = ts_relabel(rc, ts_discovery_code(rc));
		login_free(tc->login);
		free(tc);
		return rc;
	}
	tc->cmdsn = tc->lo.lo_cmdsn;
	tc->exp_statsn = tc->lo.lo_exp_statsn;
	tc->itt = 1;
	log_debug(2, "discovery session to %s logged in (MaxXmitDataSegmentLength %u)",
	    tc->io.peer, tc->lo.lo_params.max_xmit_dsl);
	*out = tc;
	return ISCSI_OK;
}

/* The Text Response did not come in time; @by_logout: the limit was a logout
 * request's @within_s, which makes it the target's failure, not a timeout. */
static int
ts_late(const struct iscsi_text_conn *tc, bool by_logout, unsigned within_s)
{
	if (by_logout)
		return err_set(ISCSI_ERR_TRANS, "%s requested a logout within %u s and did not "
		    "finish its Text answer by then", tc->io.peer, within_s);
	return err_set(ISCSI_ERR_PDU_TIMEOUT, "no Text Response from %s within %u ms",
	    tc->io.peer, tc->active_ms);
}

/*
 * Send what the engine asks for and feed it what arrives until the answer
 * is complete.  The deadline restarts with each Text Request only: NOP-Ins
 * and Async Messages in between do not extend it, and a logout request
 * (AsyncEvent 1) shortens it to its Parameter3.
 */
static int
ts_run(struct iscsi_text_conn *tc, struct text_ctx *t, struct text_out *out,
    enum text_verdict *v)
{
	uint64_t deadline = 0, now;
	unsigned within = 0;
	bool clamped = false;
	struct pdu rsp;
	int rc = ISCSI_OK;

	while (rc == ISCSI_OK && (*v == TEXT_SEND || *v == TEXT_MORE)) {
		if (*v == TEXT_SEND || out->to_reply)
			rc = conn_io_send(&tc->io, &out->to_pdu, tc->active_ms);
		pdu_free(&out->to_pdu);
		memset(&out->to_pdu, 0, sizeof(out->to_pdu));
		now = conn_io_now_ms();
		if (*v == TEXT_SEND)
			deadline = now + tc->active_ms;
		if (!clamped && text_logout_requested(t, &within) &&
		    now + within * 1000ull < deadline) {
			deadline = now + within * 1000ull;
			clamped = true;
		}
		if (rc != ISCSI_OK)
			break;
		memset(&rsp, 0, sizeof(rsp));
		rc = conn_io_recv(&tc->io, &rsp, deadline > now ? (unsigned)(deadline - now) : 1);
		if (rc == ISCSI_ERR_PDU_TIMEOUT)
			rc = ts_late(tc, clamped, within);
		if (rc == ISCSI_OK)
			*v = text_input(t, &rsp, out);
		pdu_free(&rsp);
	}
	return rc;
}

int
text_session_exchange(const struct plugin_handle *owner, struct iscsi_text_conn *tc,
    const char *kv, size_t len, char **resp, size_t *resp_len)
{
	struct text_ctx t;
	struct text_cfg cfg;
	struct text_out out;
	enum text_verdict v;
	int rc = ISCSI_OK;

	(void)owner;
	*resp = NULL;
	*resp_len = 0;
	if (tc->logout_requested)
		return err_set(ISCSI_ERR_TRANS, "%s requested a logout; no new Text Request is "
		    "sent", tc->io.peer);
	memset(&cfg, 0, sizeof(cfg));
	cfg.tc_itt = tc->itt++;
	cfg.tc_cmdsn = tc->cmdsn;
	cfg.tc_exp_statsn = tc->exp_statsn;
	cfg.tc_max_send = tc->lo.lo_params.max_xmit_dsl;
	text_init(&t);
	memset(&out, 0, sizeof(out));
	v = text_start(&t, &cfg, kv, len, &out);
	rc = ts_run(tc, &t, &out, &v);
	tc->logout_requested = text_logout_requested(&t, NULL);
	if (rc == ISCSI_OK && v == TEXT_DONE) {
		*resp = text_take_answer(&t, resp_len);
		tc->cmdsn = text_next_cmdsn(&t);
		tc->exp_statsn = text_exp_statsn(&t);
		log_debug(2, "Text answer from %s: %zu bytes", tc->io.peer, *resp_len);
		if (tc->logout_requested)
			log_debug(1, "%s requested a logout: logging out after its answer",
			    tc->io.peer);
	} else if (rc == ISCSI_OK) {
		rc = out.to_err != ISCSI_OK ? out.to_err : ISCSI_ERR_TRANS;
		if (err_detail(rc) == NULL)
			err_set(rc, "%s broke the Text exchange", tc->io.peer);
		/* it said it drops the connection: a Logout would go nowhere */
		if (out.to_dropped)
			conn_io_close(&tc->io);
	}
	pdu_free(&out.to_pdu);
	text_free(&t);
	return rc == ISCSI_OK ? rc : ts_relabel(rc, ts_discovery_code(rc));
}

/* The code whose detail is pending (err.c keeps one), copied to @buf; 0 if none. */
static int
ts_pending_error(char *buf, size_t len)
{
	const char *d;
	int e;

	for (e = 1; e < ISCSI_ERR_MAX; e++)
		if ((d = err_detail(e)) != NULL) {
			snprintf(buf, len, "%s", d);
			return e;
		}
	return 0;
}

void
text_session_close(const struct plugin_handle *owner, struct iscsi_text_conn *tc)
{
	char detail[512];
	int pending;
	unsigned tmo;

	(void)owner;
	if (tc == NULL)
		return;
	/* a best-effort logout must not replace the error the caller reports */
	pending = ts_pending_error(detail, sizeof(detail));
	if (tc->io.fd >= 0) {
		tmo = tc->active_ms < TS_LOGOUT_TIMEOUT_MS ? tc->active_ms : TS_LOGOUT_TIMEOUT_MS;
		if (conn_io_logout(&tc->io, tc->itt++, tc->cmdsn, tc->exp_statsn, tmo) != ISCSI_OK)
			log_debug(1, "logout from %s: %s", tc->io.peer,
			    err_detail(ISCSI_ERR_LOGOUT) != NULL ? err_detail(ISCSI_ERR_LOGOUT) :
			    "no clean logout");
	}
	if (pending != 0)
		err_set(pending, "%s", detail);
	else
		err_clear();
	conn_io_close(&tc->io);
	login_free(tc->login);
	free(tc);
}

static const struct core_text_ops text_session_ops = {
	.open = text_session_open,
	.exchange = text_session_exchange,
	.close = text_session_close,
};

void
text_session_register(void)
{
	core_api_set_text_ops(&text_session_ops);
}
