// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel half of a software session: CREATE_SESSION/CONN, BIND_CONN
 * with our socket, SET_PARAM of the record's timeouts and the negotiated
 * values (reference §6.3, strings as the kernel parses them), START_CONN,
 * teardown and the SCSI scan; plus turning a node record into the login
 * engine's configuration.  Not here: the state machine (session.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iscsi/transport.h>

#include "err.h"
#include "keys.h"
#include "log.h"
#include "paths.h"
#include "plugin.h"
#include "rec.h"
#include "session_priv.h"
#include "sysfs.h"

#define SESS_KIF_TIMEOUT_MS	10000

static uint8_t k_qbuf[16384] __attribute__((aligned(8)));
static uint8_t k_rbuf[16384] __attribute__((aligned(8)));

/* Events kif_transact() queued (an unbind or PDU answered while we waited
 * for a reply) are delivered from the loop: the netlink fd may never turn
 * readable again for them. */
static void
k_dispatch(void *arg)
{
	(void)arg;
	if (sess_g.kif != NULL && kif_dispatch(sess_g.kif) != ISCSI_OK)
		err_clear();
}

static struct evloop_defer k_dispatch_defer;

/* Send a built request; a refusal is ISCSI_ERR_INTERNAL with the errno. */
static int
k_do(struct kif_req *r, struct kif_event *ev, bool check_ret)
{
	int rc;

	if (sess_g.kif == NULL)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "iscsid runs without the kernel interface");
	if (k_dispatch_defer.d_fn == NULL)
		evloop_defer_init(&k_dispatch_defer, k_dispatch, NULL);
	if (k_dispatch_defer.d_loop == NULL)
		evloop_defer_post(sess_g.loop, &k_dispatch_defer);
	rc = kif_transact(sess_g.kif, r, ev, k_rbuf, sizeof(k_rbuf), SESS_KIF_TIMEOUT_MS);
	if (rc != ISCSI_OK)
		return rc;
	if (ev->iferror != 0)
		return err_set(ISCSI_ERR_INTERNAL, "the kernel refused %s: %s",
		    kif_event_name(r->type), strerror(-(int32_t)ev->iferror));
	if (check_ret && ev->retcode < 0)
		return err_set(ISCSI_ERR_INTERNAL, "the kernel refused %s: %s",
		    kif_event_name(r->type), strerror(-ev->retcode));
	return ISCSI_OK;
}

#define K_REQ(r)	struct kif_req r = { .buf = k_qbuf, .cap = sizeof(k_qbuf) }

/* modprobe @module, as the reference's transport lookup does (§6.1 step 1). */
static void
k_modprobe(const char *module)
{
	pid_t pid;
	int st;

	if (module == NULL || module[0] == '\0' || (pid = fork()) < 0)
		return;
	if (pid == 0) {
		execlp("modprobe", "modprobe", "-q", module, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The kernel transport's handle; loads @module once if it is missing. */
int
sess_transport_handle(const char *name, const char *module, uint64_t *th)
{
	struct sysfs_transport t;
	int rc = sysfs_transport_get(name, &t);

	if (rc != ISCSI_OK && module != NULL) {
		err_clear();
		k_modprobe(module);
		rc = sysfs_transport_get(name, &t);
	}
	if (rc != ISCSI_OK)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "kernel transport %s is not loaded "
		    "(modprobe %s)", name, module != NULL ? module : "its module");
	*th = t.handle;
	return ISCSI_OK;
}

int
sess_k_create(struct sess *s)
{
	struct kif_event ev;
	int rc;
	long cmds = rec_get_int(s->rec, "node.session.cmds_max", 128);
	long qd = rec_get_int(s->rec, "node.session.queue_depth", 32);
	K_REQ(r);

	if ((rc = kif_create_session(&r, s->th, 1, (uint16_t)cmds, (uint16_t)qd)) != ISCSI_OK ||
	    (rc = k_do(&r, &ev, false)) != ISCSI_OK)
		return rc;
	s->sid = ev.sid;
	s->host_no = ev.host_no;
	s->kcreated = true;
	s->cid = 0;
	if ((rc = kif_create_conn(&r, s->th, s->sid, s->cid)) != ISCSI_OK ||
	    (rc = k_do(&r, &ev, false)) != ISCSI_OK) {
		sess_k_destroy(s->th, s->sid, UINT32_MAX);
		s->kcreated = false;
		return rc;
	}
	log_debug(1, "session %u on host %u created", s->sid, s->host_no);
	return ISCSI_OK;
}

static int
k_param(struct sess *s, enum kif_param p, const char *v)
{
	struct kif_event ev;
	int rc;
	K_REQ(r);

	if (v == NULL || v[0] == '\0')
		return ISCSI_OK;
	if ((rc = kif_set_param(&r, s->th, s->sid, s->cid, p, v)) != ISCSI_OK)
		return rc;
	rc = k_do(&r, &ev, true);
	if (rc != ISCSI_OK) {
		/* the LLD may not know a parameter (ENOSYS): as the reference, go on */
		log_debug(1, "session %u: SET_PARAM %d = %s: %s", s->sid, (int)p,
		    p == KIF_PARAM_PASSWORD || p == KIF_PARAM_PASSWORD_IN ? "********" : v,
		    err_detail(rc) != NULL ? err_detail(rc) : iscsi_strerror(rc));
		err_clear();
	}
	return ISCSI_OK;
}

static void
k_param_int(struct sess *s, enum kif_param p, long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%ld", v);
	k_param(s, p, buf);
}

static void
k_param_rec(struct sess *s, enum kif_param p, const char *key)
{
	k_param(s, p, rec_get(s->rec, key));
}

/* Table A of §6.3: identity and timeouts. */
static void
k_params_session(struct sess *s)
{
	static const struct { enum kif_param p; const char *key; } keyed[] = {
		{ KIF_PARAM_SESS_RECOVERY_TMO, "node.session.timeo.replacement_timeout" },
		{ KIF_PARAM_USERNAME, "node.session.auth.username" },
		{ KIF_PARAM_USERNAME_IN, "node.session.auth.username_in" },
		{ KIF_PARAM_PASSWORD, "node.session.auth.password" },
		{ KIF_PARAM_PASSWORD_IN, "node.session.auth.password_in" },
		{ KIF_PARAM_ABORT_TMO, "node.session.err_timeo.abort_timeout" },
		{ KIF_PARAM_LU_RESET_TMO, "node.session.err_timeo.lu_reset_timeout" },
		{ KIF_PARAM_TGT_RESET_TMO, "node.session.err_timeo.tgt_reset_timeout" },
		{ KIF_PARAM_PING_TMO, "node.conn[0].timeo.noop_out_timeout" },
		{ KIF_PARAM_RECV_TMO, "node.conn[0].timeo.noop_out_interval" },
	};
	const char *fa = rec_get(s->rec, "node.session.iscsi.FastAbort");

	k_param(s, KIF_PARAM_TARGET_NAME, s->target);
	k_param(s, KIF_PARAM_PERSISTENT_ADDRESS, s->addr);
	k_param_int(s, KIF_PARAM_PERSISTENT_PORT, s->port);
	for (size_t i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++)
		k_param_rec(s, keyed[i].p, keyed[i].key);
	k_param_int(s, KIF_PARAM_FAST_ABORT, fa == NULL || strcasecmp(fa, "No") != 0);
	k_param(s, KIF_PARAM_IFACE_NAME, s->iface);
	k_param(s, KIF_PARAM_INITIATOR_NAME, s->cfg.lc_initiator_name);
	k_param_int(s, KIF_PARAM_DISCOVERY_SESS, 0);
}

static bool
dg_on(uint32_t d)
{
	return d == ISCSI_DIGEST_CRC32C || d == ISCSI_DIGEST_CRC32C_NONE;
}

/* Table B: the negotiated values. */
static void
k_params_negotiated(struct sess *s)
{
	const struct iscsi_params *p = &s->lo.lo_params;
	const struct { enum kif_param p; long v; } tab[] = {
		{ KIF_PARAM_MAX_RECV_DLENGTH, p->max_recv_dsl },
		{ KIF_PARAM_MAX_XMIT_DLENGTH, p->max_xmit_dsl },
		{ KIF_PARAM_HDRDGST_EN, dg_on(p->header_digest) },
		{ KIF_PARAM_DATADGST_EN, dg_on(p->data_digest) },
		{ KIF_PARAM_INITIAL_R2T_EN, p->initial_r2t },
		{ KIF_PARAM_MAX_R2T, p->max_outstanding_r2t },
		{ KIF_PARAM_IMM_DATA_EN, p->immediate_data },
		{ KIF_PARAM_FIRST_BURST, p->first_burst },
		{ KIF_PARAM_MAX_BURST, p->max_burst },
		{ KIF_PARAM_PDU_INORDER_EN, p->data_pdu_in_order },
		{ KIF_PARAM_DATASEQ_INORDER_EN, p->data_sequence_in_order },
		{ KIF_PARAM_ERL, 0 },
		{ KIF_PARAM_EXP_STATSN, (long)s->lo.lo_exp_statsn },
		{ KIF_PARAM_TPGT, p->tpgt_seen ? (long)p->tpgt : s->tpgt },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		k_param_int(s, tab[i].p, tab[i].v);
	if (p->target_alias[0] != '\0')
		k_param(s, KIF_PARAM_TARGET_ALIAS, p->target_alias);
}

/* The kernel takes our socket over; from now on PDUs go through it. */
int
sess_k_bind(struct sess *s)
{
	struct kif_event ev;
	int rc;
	K_REQ(r);

	sess_release_socket_to_kernel(s);
	if ((rc = kif_bind_conn(&r, s->th, s->sid, s->cid, (uint64_t)s->fd, true)) != ISCSI_OK ||
	    (rc = k_do(&r, &ev, true)) != ISCSI_OK)
		return rc;
	s->kpdu = true;
	return ISCSI_OK;
}

/* After a successful login: tables A and B, then START_CONN. */
int
sess_k_params_start(struct sess *s)
{
	struct kif_event ev;
	int rc;
	K_REQ(r);

	k_params_session(s);
	k_params_negotiated(s);
	if ((rc = kif_start_conn(&r, s->th, s->sid, s->cid)) != ISCSI_OK ||
	    (rc = k_do(&r, &ev, true)) != ISCSI_OK)
		return rc;
	return ISCSI_OK;
}

/* A PDU for the kernel to send on the bound connection (it fills in the
 * ITT and CmdSN of its own session state). */
int
sess_k_send_pdu(struct sess *s, struct pdu *p)
{
	struct kif_event ev;
	int rc;
	K_REQ(r);

	p->bhs[5] = (uint8_t)(p->data_len >> 16);
	p->bhs[6] = (uint8_t)(p->data_len >> 8);
	p->bhs[7] = (uint8_t)p->data_len;
	if ((rc = kif_send_pdu(&r, s->th, s->sid, s->cid, p->bhs, ISCSI_BHS_LEN, p->data,
	    p->data_len)) != ISCSI_OK)
		return rc;
	return k_do(&r, &ev, true);
}

/* KEVENT_RECV_PDU: a login or logout response for a session we drive.
 * The kernel replaced our ITT with its own; the engine wants ours back. */
void
sess_k_recv_pdu(const struct kif_event *ev)
{
	struct sess *s = sess_find(ev->sid);

	if (s == NULL || (s->state != SS_LOGIN && s->state != SS_LOGOUT_WAIT))
		return;
	pdu_free(&s->rxpdu);
	memcpy(s->rxpdu.bhs, ev->data, ISCSI_BHS_LEN);
	s->rxpdu.bhs[16] = (uint8_t)(s->cfg.lc_itt >> 24);
	s->rxpdu.bhs[17] = (uint8_t)(s->cfg.lc_itt >> 16);
	s->rxpdu.bhs[18] = (uint8_t)(s->cfg.lc_itt >> 8);
	s->rxpdu.bhs[19] = (uint8_t)s->cfg.lc_itt;
	if (ev->data_len > ISCSI_BHS_LEN && pdu_set_data(&s->rxpdu, ev->data + ISCSI_BHS_LEN,
	    (uint32_t)(ev->data_len - ISCSI_BHS_LEN)) != ISCSI_OK) {
		sess_post(s, SE_IO_ERR);
		return;
	}
	sess_post(s, SE_PDU);
}

int
sess_k_stop(uint64_t th, uint32_t sid, uint32_t cid, int flag)
{
	struct kif_event ev;
	int rc;
	K_REQ(r);

	if ((rc = kif_stop_conn(&r, th, sid, cid, ((uint64_t)sid << 32) | cid,
	    (enum kif_stop_flag)flag)) != ISCSI_OK)
		return rc;
	return k_do(&r, &ev, true);
}

int
sess_k_unbind(uint64_t th, uint32_t sid)
{
	struct kif_event ev;
	int rc;
	K_REQ(r);

	if ((rc = kif_unbind_session(&r, th, sid)) != ISCSI_OK)
		return rc;
	return k_do(&r, &ev, true);
}

/* STOP_CONN(TERM), DESTROY_CONN, DESTROY_SESSION; @cid UINT32_MAX: no conn. */
int
sess_k_destroy(uint64_t th, uint32_t sid, uint32_t cid)
{
	struct kif_event ev;
	int rc = ISCSI_OK, r2;
	K_REQ(r);

	if (cid != UINT32_MAX) {
		if (sess_k_stop(th, sid, cid, KIF_STOP_CONN_TERM) != ISCSI_OK)
			err_clear();	/* never started: destroy anyway */
		if ((r2 = kif_destroy_conn(&r, th, sid, cid)) == ISCSI_OK)
			r2 = k_do(&r, &ev, true);
		if (r2 != ISCSI_OK)
			rc = r2;
	}
	if ((r2 = kif_destroy_session(&r, th, sid)) == ISCSI_OK)
		r2 = k_do(&r, &ev, true);
	return r2 != ISCSI_OK ? r2 : rc;
}

/* Scan the new host for LUNs in a child, as the reference: a slow target
 * must not stall the loop.  SIGCHLD is ignored, so children reap themselves. */
void
sess_k_scan(uint32_t host_no)
{
	char rel[64];
	pid_t pid;

	snprintf(rel, sizeof(rel), "class/scsi_host/host%u/scan", host_no);
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		log_warn("cannot fork the scan of host %u; scanning inline", host_no);
		(void)sysfs_write(rel, "- - -");
		return;
	}
	if (pid == 0) {
		int rc = sysfs_write(rel, "- - -");

		_exit(rc == ISCSI_OK ? 0 : 1);
	}
}

/* The netdev whose address is @mac (iface.hwaddress), from sysfs. */
void
sess_netdev_by_mac(const char *mac, char *dev, size_t len)
{
	char path[1024], val[64];
	struct dirent *de;
	DIR *d;

	dev[0] = '\0';
	snprintf(path, sizeof(path), "%s/class/net", paths_sysfs());
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && dev[0] == '\0') {
		if (de->d_name[0] == '.')
			continue;
		if (sysfs_readf(val, sizeof(val), "class/net/%s/address", de->d_name) == ISCSI_OK &&
		    strcasecmp(val, mac) == 0)
			snprintf(dev, len, "%s", de->d_name);
		err_clear();
	}
	closedir(d);
	if (dev[0] == '\0')
		log_warnx("no network device has the address %s (iface.hwaddress)", mac);
}

/* ---------------------------------------------------------------- login config */

static void cfg_clamp(const struct sess *s, struct iscsi_params *p);

static uint32_t
yesno(const struct rec *r, const char *key, uint32_t def)
{
	const char *v = rec_get(r, key);

	if (v == NULL || v[0] == '\0')
		return def;
	return strcasecmp(v, "Yes") == 0;
}

static void
cfg_params(const struct rec *r, struct iscsi_params *p)
{
	int d;

	keys_openiscsi_defaults(p, false);
	if ((d = keys_digest_from_str(rec_get(r, "node.conn[0].iscsi.HeaderDigest"))) >= 0)
		p->header_digest = (uint32_t)d;
	if ((d = keys_digest_from_str(rec_get(r, "node.conn[0].iscsi.DataDigest"))) >= 0)
		p->data_digest = (uint32_t)d;
	p->initial_r2t = yesno(r, "node.session.iscsi.InitialR2T", p->initial_r2t);
	p->immediate_data = yesno(r, "node.session.iscsi.ImmediateData", p->immediate_data);
	p->first_burst = (uint32_t)rec_get_int(r, "node.session.iscsi.FirstBurstLength",
	    p->first_burst);
	p->max_burst = (uint32_t)rec_get_int(r, "node.session.iscsi.MaxBurstLength", p->max_burst);
	p->max_outstanding_r2t = (uint32_t)rec_get_int(r, "node.session.iscsi.MaxOutstandingR2T",
	    p->max_outstanding_r2t);
	p->max_recv_dsl = (uint32_t)rec_get_int(r, "node.conn[0].iscsi.MaxRecvDataSegmentLength",
	    p->max_recv_dsl);
	p->default_time2wait = (uint32_t)rec_get_int(r, "node.session.iscsi.DefaultTime2Wait",
	    p->default_time2wait);
	p->default_time2retain = (uint32_t)rec_get_int(r,
	    "node.session.iscsi.DefaultTime2Retain", p->default_time2retain);
	keys_sanitize(p);
}

static const char *
nonempty(const char *v)
{
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The login engine's configuration from the node record (strings point
 * into the record, which lives as long as the session). */
void
sess_login_cfg(struct sess *s)
{
	struct login_cfg *c = &s->cfg;
	const struct rec *r = s->rec;
	const char *m = rec_get(r, "node.session.auth.authmethod");
	const char *algs = nonempty(rec_get(r, "node.session.auth.chap_algs"));

	login_cfg_init(c, LOGIN_SESSION_NORMAL);
	c->lc_initiator_name = nonempty(rec_get(r, "iface.initiatorname"));
	if (c->lc_initiator_name == NULL)
		c->lc_initiator_name = sess_g.iname;
	c->lc_initiator_alias = nonempty(sess_g.ialias);
	c->lc_target_name = s->target;
	c->lc_isid[0] = 0x00;
	c->lc_isid[1] = 0x02;
	c->lc_isid[2] = 0x3d;
	c->lc_isid[3] = (uint8_t)(s->sid >> 16);
	c->lc_isid[4] = (uint8_t)(s->sid >> 8);
	c->lc_isid[5] = (uint8_t)s->sid;
	c->lc_tsih = 0;
	c->lc_cid = (uint16_t)s->cid;
	c->lc_itt = 0;
	c->lc_cmdsn = 1;	/* the kernel session's initial_cmdsn */
	c->lc_exp_statsn = 0;
	cfg_params(r, &c->lc_want);
	cfg_clamp(s, &c->lc_want);
	keys_sanitize(&c->lc_want);
	c->lc_emit = KEYS_EMIT_OPENISCSI;
	c->lc_login_timeout = (unsigned)rec_get_int(r, "node.conn[0].timeo.login_timeout",
	    LOGIN_DEFAULT_TIMEOUT);
	c->lc_auth_timeout = (unsigned)rec_get_int(r, "node.conn[0].timeo.auth_timeout",
	    LOGIN_DEFAULT_AUTH_TIMEOUT);
	if (m == NULL || strcmp(m, "CHAP") != 0 ||
	    nonempty(rec_get(r, "node.session.auth.password")) == NULL)
		return;
	c->lc_auth = LOGIN_AUTH_CHAP;
	c->lc_chap.username = rec_get(r, "node.session.auth.username");
	c->lc_chap.password = rec_get(r, "node.session.auth.password");
	c->lc_chap.username_in = nonempty(rec_get(r, "node.session.auth.username_in"));
	c->lc_chap.password_in = nonempty(rec_get(r, "node.session.auth.password_in"));
	if (chap_parse_algs(algs != NULL ? algs : "MD5", c->lc_chap.algs, &c->lc_chap.nalgs) !=
	    ISCSI_OK) {
		err_clear();
		c->lc_chap.algs[0] = CHAP_ALG_MD5;
		c->lc_chap.nalgs = 1;
	}
}

/* Transport capabilities and limits (reference §6.1 step 1: values the
 * driver cannot do are clamped before they are offered). */
void
sess_clamp_caps(struct sess *s, const struct plugin_handle *h)
{
	const struct iscsi_transport_ops *to = plugin_transport_ops(h);
	struct iscsi_conn_limits l = { .cl_size = sizeof(l), .cl_header_digest = 1,
	    .cl_data_digest = 1 };

	s->tcaps = to->to_caps;
	if (to->to_adjust_limits != NULL && to->to_adjust_limits(plugin_api(h), plugin_priv(h), &l) == ISCSI_OK) {
		s->lim.max_recv_dsl = l.cl_max_recv_dsl;
		s->lim.max_xmit_dsl = l.cl_max_xmit_dsl;
		s->lim.first_burst = l.cl_first_burst;
		s->lim.max_burst = l.cl_max_burst;
		if (!l.cl_header_digest)
			s->tcaps &= ~ISCSI_TCAP_HDRDGST;
		if (!l.cl_data_digest)
			s->tcaps &= ~ISCSI_TCAP_DATADGST;
	}
}

static void
clamp_u32(uint32_t *v, uint32_t lim)
{
	if (lim != 0 && *v > lim)
		*v = lim;
}

/* Apply sess_clamp_caps()' findings to the offer. */
static void
cfg_clamp(const struct sess *s, struct iscsi_params *p)
{
	if (s->tcaps == 0)
		return;		/* not resolved through a plugin (tests, adoption) */
	if (!(s->tcaps & ISCSI_TCAP_HDRDGST))
		p->header_digest = ISCSI_DIGEST_NONE;
	if (!(s->tcaps & ISCSI_TCAP_DATADGST))
		p->data_digest = ISCSI_DIGEST_NONE;
	if (!(s->tcaps & ISCSI_TCAP_MULTI_R2T))
		p->max_outstanding_r2t = 1;
	clamp_u32(&p->max_recv_dsl, s->lim.max_recv_dsl);
	clamp_u32(&p->first_burst, s->lim.first_burst);
	clamp_u32(&p->max_burst, s->lim.max_burst);
}
