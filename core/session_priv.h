/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by session.c (state machine, socket), session_act.c
 * (the actions), session_kern.c (kernel requests) and session_ipc.c.
 * Not an API for anything outside core/session*.c.
 */
#ifndef ISCSIKIT_SESSION_PRIV_H
#define ISCSIKIT_SESSION_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "evloop.h"
#include "ipc.h"
#include "kif.h"
#include "login.h"
#include "pdu.h"

enum sess_state {
	SS_IDLE = 0,
	SS_CONNECTING,		/* TCP connect in progress */
	SS_LOGIN,		/* login PDUs over our socket */
	SS_LOGGED_IN,		/* socket bound, connection started */
	SS_REOPEN_WAIT,		/* waiting to reconnect (initial retry or recovery) */
	SS_UNBINDING,		/* logout: the kernel removes the SCSI devices */
	SS_LOGOUT_WAIT,		/* logout: Logout PDU sent through the kernel */
	SS_DEAD,		/* freed after the current round */
	SS_MAX
};

enum sess_event {
	SE_START = 0,
	SE_CONNECTED,
	SE_PDU,			/* s->rxpdu holds a received PDU */
	SE_IO_ERR,		/* err_detail(ISCSI_ERR_TRANS) says why */
	SE_TIMEOUT,		/* login timer */
	SE_LOGIN_OK,
	SE_LOGIN_FAIL,		/* s->lo says why */
	SE_KERN_ERR,		/* KEVENT_CONN_ERROR */
	SE_LOGOUT,		/* s->call is the logout request */
	SE_RETRY,		/* reopen timer */
	SE_UNBOUND,		/* KEVENT_UNBIND_SESSION: devices gone */
	SE_MAX
};

#define SESS_QMAX	8

struct sess {
	struct sess		*next;
	enum sess_state		 state;
	struct rec		*rec;		/* the node record of the login */
	char			 target[224], addr[256], iface[64];
	int			 port, tpgt;
	/* kernel objects */
	uint64_t		 th;		/* transport handle */
	uint32_t		 sid, cid, host_no;
	bool			 kcreated;	/* CREATE_SESSION done */
	bool			 was_logged_in;	/* recovery, not initial login */
	bool			 kpdu;		/* socket bound: PDUs go through the kernel */
	uint32_t		 tcaps;		/* transport ISCSI_TCAP_*, 0 = not known */
	struct sess_limits {
		uint32_t	 max_recv_dsl, max_xmit_dsl, first_burst, max_burst;
	}			 lim;		/* transport's limits, 0 = none */
	/* connection */
	int			 fd;
	struct evloop_watch	 watch;
	struct evloop_timer	 timer;
	uint8_t			*obuf;
	size_t			 olen, ooff;
	struct pdu_rx		 rx;
	struct pdu		 rxpdu;
	/* login */
	struct login_ctx	*lctx;
	struct login_cfg	 cfg;
	struct login_out	 lo;
	int			 last_err;
	uint64_t		 first_try_ms;	/* initial login budget starts here */
	unsigned		 attempts;
	/* IPC: the login or logout request waiting for its one reply */
	struct ipc_call		*call;		/* login */
	struct ipc_call		*logout_call;
	/* event queue, drained by a deferred call */
	struct evloop_defer	 defer;
	enum sess_event		 q[SESS_QMAX];
	unsigned		 qhead, nq;
};

struct session_globals {
	struct evloop		*loop;
	struct kif		*kif;
	char			 iname[224], ialias[256];
	struct sess		*list;
};
extern struct session_globals sess_g;

/* session.c */
void sess_post(struct sess *s, enum sess_event ev);
const char *sess_event_name(enum sess_event ev);
struct sess *sess_new(struct rec *rec);
void sess_free(struct sess *s);
struct sess *sess_find(uint32_t sid);
void sess_reply(struct sess *s, int err, const char *msg);
int sess_connect(struct sess *s);
int sess_send_pdu(struct sess *s, struct pdu *p);
void sess_timer(struct sess *s, uint64_t ms);
void sess_release_socket_to_kernel(struct sess *s);
void sess_drop_socket(struct sess *s);

/* session_act.c: actions return the next state */
enum sess_state sess_a_connect(struct sess *s, enum sess_event ev);
enum sess_state sess_a_login_start(struct sess *s, enum sess_event ev);
enum sess_state sess_a_login_pdu(struct sess *s, enum sess_event ev);
enum sess_state sess_a_ffp(struct sess *s, enum sess_event ev);
enum sess_state sess_a_fail(struct sess *s, enum sess_event ev);
enum sess_state sess_a_recover(struct sess *s, enum sess_event ev);
enum sess_state sess_a_logout(struct sess *s, enum sess_event ev);
enum sess_state sess_a_logout_pdu(struct sess *s, enum sess_event ev);
enum sess_state sess_a_logout_done(struct sess *s, enum sess_event ev);

/* session_kern.c */
int sess_k_create(struct sess *s);
int sess_k_bind(struct sess *s);
int sess_k_params_start(struct sess *s);
int sess_k_send_pdu(struct sess *s, struct pdu *p);
void sess_k_recv_pdu(const struct kif_event *ev);
int sess_k_stop(uint64_t th, uint32_t sid, uint32_t cid, int flag);
int sess_k_destroy(uint64_t th, uint32_t sid, uint32_t cid);
int sess_k_unbind(uint64_t th, uint32_t sid);
void sess_k_scan(uint32_t host_no);
int sess_transport_handle(const char *name, const char *module, uint64_t *th);
void sess_netdev_by_mac(const char *mac, char *dev, size_t len);
void sess_login_cfg(struct sess *s);
struct plugin_handle;
/* Remember what the transport plugin @h cannot do (digests, limits). */
void sess_clamp_caps(struct sess *s, const struct plugin_handle *h);

#endif
