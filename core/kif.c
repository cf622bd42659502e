// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NETLINK_ISCSI messages: builders and a length-checked parser, sans-I/O
 * and tested without a kernel; the socket that carries them is kif_nl.c.
 * The kernel's bytes are untrusted like any peer's: nothing is read past
 * what a length field and the received size both allow.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "err.h"
#include "kif.h"

/* ---------------------------------------------------------------- builders */

static struct kif_uevent *
req_start(struct kif_req *r, uint32_t type, uint64_t th, size_t payload)
{
	size_t body = sizeof(struct kif_uevent) + payload;
	struct nlmsghdr *nh;
	struct kif_uevent *ev;

	if (r->buf == NULL || payload > KIF_MSG_MAX || r->cap < NLMSG_SPACE(body)) {
		err_set(ISCSI_ERR_INVAL, "netlink %s request of %zu bytes does not fit in %zu",
		    kif_event_name(type), NLMSG_SPACE(body), r->cap);
		return NULL;
	}
	memset(r->buf, 0, NLMSG_SPACE(body));
	nh = (struct nlmsghdr *)(void *)r->buf;
	nh->nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
	nh->nlmsg_type = (uint16_t)type;
	ev = NLMSG_DATA(nh);
	ev->type = type;
	ev->transport_handle = th;
	r->len = nh->nlmsg_len;
	r->type = type;
	return ev;
}

#define REQ(r, type, th, payload)					\
	struct kif_uevent *ev = req_start((r), (type), (th), (payload));	\
	if (ev == NULL)							\
		return ISCSI_ERR_INVAL

int
kif_create_session(struct kif_req *r, uint64_t th, uint32_t initial_cmdsn,
    uint16_t cmds_max, uint16_t queue_depth)
{
	REQ(r, KIF_UEV_CREATE_SESSION, th, 0);
	ev->u.c_session.initial_cmdsn = initial_cmdsn;
	ev->u.c_session.cmds_max = cmds_max;
	ev->u.c_session.queue_depth = queue_depth;
	return ISCSI_OK;
}

int
kif_create_bound_session(struct kif_req *r, uint64_t th, uint64_t ep,
    uint32_t initial_cmdsn, uint16_t cmds_max, uint16_t queue_depth)
{
	REQ(r, KIF_UEV_CREATE_BOUND_SESSION, th, 0);
	ev->u.c_bound_session.ep_handle = ep;
	ev->u.c_bound_session.initial_cmdsn = initial_cmdsn;
	ev->u.c_bound_session.cmds_max = cmds_max;
	ev->u.c_bound_session.queue_depth = queue_depth;
	return ISCSI_OK;
}

int
kif_destroy_session(struct kif_req *r, uint64_t th, uint32_t sid)
{
	REQ(r, KIF_UEV_DESTROY_SESSION, th, 0);
	ev->u.d_session.sid = sid;
	return ISCSI_OK;
}

int
kif_unbind_session(struct kif_req *r, uint64_t th, uint32_t sid)
{
	REQ(r, KIF_UEV_UNBIND_SESSION, th, 0);
	ev->u.d_session.sid = sid;
	return ISCSI_OK;
}

/* The requests that carry only (sid, cid) share one layout. */
static int
req_sid_cid(struct kif_req *r, uint32_t type, uint64_t th, uint32_t sid, uint32_t cid)
{
	REQ(r, type, th, 0);
	ev->u.c_conn.sid = sid;
	ev->u.c_conn.cid = cid;
	return ISCSI_OK;
}

int
kif_create_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid)
{
	return req_sid_cid(r, KIF_UEV_CREATE_CONN, th, sid, cid);
}

int
kif_destroy_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid)
{
	return req_sid_cid(r, KIF_UEV_DESTROY_CONN, th, sid, cid);
}

int
kif_start_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid)
{
	return req_sid_cid(r, KIF_UEV_START_CONN, th, sid, cid);
}

int
kif_get_stats(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid)
{
	return req_sid_cid(r, KIF_UEV_GET_STATS, th, sid, cid);
}

int
kif_bind_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    uint64_t eph, bool is_leading)
{
	REQ(r, KIF_UEV_BIND_CONN, th, 0);
	ev->u.b_conn.sid = sid;
	ev->u.b_conn.cid = cid;
	ev->u.b_conn.transport_eph = eph;
	ev->u.b_conn.is_leading = is_leading;
	return ISCSI_OK;
}

int
kif_set_param(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    enum kif_param param, const char *value)
{
	size_t n = value != NULL ? strnlen(value, KIF_PARAM_VALUE_MAX) : KIF_PARAM_VALUE_MAX;

	if ((unsigned)param >= KIF_PARAM_MAX || n >= KIF_PARAM_VALUE_MAX)
		return err_set(ISCSI_ERR_INVAL, "SET_PARAM %d: bad parameter or value", (int)param);
	{
		REQ(r, KIF_UEV_SET_PARAM, th, n + 1);
		ev->u.set_param.sid = sid;
		ev->u.set_param.cid = cid;
		ev->u.set_param.param = (uint32_t)param;
		ev->u.set_param.len = (uint32_t)(n + 1);
		memcpy(ev + 1, value, n + 1);
	}
	return ISCSI_OK;
}

int
kif_stop_conn(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    uint64_t conn_handle, enum kif_stop_flag flag)
{
	if (flag < KIF_STOP_CONN_TERM || flag > KIF_STOP_CONN_RECOVER)
		return err_set(ISCSI_ERR_INVAL, "STOP_CONN flag %d is not 1, 2 or 3", (int)flag);
	{
		REQ(r, KIF_UEV_STOP_CONN, th, 0);
		ev->u.stop_conn.sid = sid;
		ev->u.stop_conn.cid = cid;
		ev->u.stop_conn.conn_handle = conn_handle;
		ev->u.stop_conn.flag = (uint32_t)flag;
	}
	return ISCSI_OK;
}

int
kif_send_pdu(struct kif_req *r, uint64_t th, uint32_t sid, uint32_t cid,
    const void *hdr, size_t hdr_len, const void *data, size_t data_len)
{
	if (hdr_len < 48 || hdr_len > 8192 || data_len > 65536 || (data_len && data == NULL))
		return err_set(ISCSI_ERR_INVAL, "SEND_PDU: header %zu / data %zu bytes out of range",
		    hdr_len, data_len);
	{
		REQ(r, KIF_UEV_SEND_PDU, th, hdr_len + data_len);
		ev->u.send_pdu.sid = sid;
		ev->u.send_pdu.cid = cid;
		ev->u.send_pdu.hdr_size = (uint32_t)hdr_len;
		ev->u.send_pdu.data_size = (uint32_t)data_len;
		memcpy(ev + 1, hdr, hdr_len);
		if (data_len > 0)
			memcpy((uint8_t *)(ev + 1) + hdr_len, data, data_len);
	}
	return ISCSI_OK;
}

int
kif_ep_connect(struct kif_req *r, uint64_t th, const struct sockaddr *sa,
    socklen_t salen, bool non_blocking, int host_no)
{
	uint32_t type = host_no < 0 ? KIF_UEV_EP_CONNECT : KIF_UEV_EP_CONNECT_THROUGH_HOST;

	if (sa == NULL || salen == 0 || salen > sizeof(struct sockaddr_storage))
		return err_set(ISCSI_ERR_INVAL, "EP_CONNECT: bad address length %u", (unsigned)salen);
	{
		REQ(r, type, th, salen);
		if (host_no < 0) {
			ev->u.ep_connect.non_blocking = non_blocking;
		} else {
			ev->u.ep_connect_through_host.host_no = (uint32_t)host_no;
			ev->u.ep_connect_through_host.non_blocking = non_blocking;
		}
		memcpy(ev + 1, sa, salen);
	}
	return ISCSI_OK;
}

int
kif_ep_poll(struct kif_req *r, uint64_t th, uint64_t ep, uint32_t timeout_ms)
{
	REQ(r, KIF_UEV_EP_POLL, th, 0);
	ev->u.ep_poll.ep_handle = ep;
	ev->u.ep_poll.timeout_ms = timeout_ms;
	return ISCSI_OK;
}

int
kif_ep_disconnect(struct kif_req *r, uint64_t th, uint64_t ep)
{
	REQ(r, KIF_UEV_EP_DISCONNECT, th, 0);
	ev->u.ep_disconnect.ep_handle = ep;
	return ISCSI_OK;
}

/* ---------------------------------------------------------------- names */

static const char *const event_names[] = {
	[KIF_UEV_CREATE_SESSION] = "CREATE_SESSION", [KIF_UEV_DESTROY_SESSION] = "DESTROY_SESSION",
	[KIF_UEV_CREATE_CONN] = "CREATE_CONN", [KIF_UEV_DESTROY_CONN] = "DESTROY_CONN",
	[KIF_UEV_BIND_CONN] = "BIND_CONN", [KIF_UEV_SET_PARAM] = "SET_PARAM",
	[KIF_UEV_START_CONN] = "START_CONN", [KIF_UEV_STOP_CONN] = "STOP_CONN",
	[KIF_UEV_SEND_PDU] = "SEND_PDU", [KIF_UEV_GET_STATS] = "GET_STATS",
	[KIF_UEV_GET_PARAM] = "GET_PARAM", [KIF_UEV_EP_CONNECT] = "TRANSPORT_EP_CONNECT",
	[KIF_UEV_EP_POLL] = "TRANSPORT_EP_POLL", [KIF_UEV_EP_DISCONNECT] = "TRANSPORT_EP_DISCONNECT",
	[KIF_UEV_TGT_DSCVR] = "TGT_DSCVR", [KIF_UEV_SET_HOST_PARAM] = "SET_HOST_PARAM",
	[KIF_UEV_UNBIND_SESSION] = "UNBIND_SESSION",
	[KIF_UEV_CREATE_BOUND_SESSION] = "CREATE_BOUND_SESSION",
	[KIF_UEV_EP_CONNECT_THROUGH_HOST] = "TRANSPORT_EP_CONNECT_THROUGH_HOST",
	[KIF_UEV_PATH_UPDATE] = "PATH_UPDATE", [KIF_UEV_SET_IFACE_PARAMS] = "SET_IFACE_PARAMS",
	[KIF_UEV_PING] = "PING", [KIF_UEV_GET_CHAP] = "GET_CHAP", [KIF_UEV_DELETE_CHAP] = "DELETE_CHAP",
	[KIF_UEV_SET_FLASHNODE_PARAMS] = "SET_FLASHNODE_PARAMS",
	[KIF_UEV_NEW_FLASHNODE] = "NEW_FLASHNODE", [KIF_UEV_DEL_FLASHNODE] = "DEL_FLASHNODE",
	[KIF_UEV_LOGIN_FLASHNODE] = "LOGIN_FLASHNODE", [KIF_UEV_LOGOUT_FLASHNODE] = "LOGOUT_FLASHNODE",
	[KIF_UEV_LOGOUT_FLASHNODE_SID] = "LOGOUT_FLASHNODE_SID", [KIF_UEV_SET_CHAP] = "SET_CHAP",
	[KIF_UEV_GET_HOST_STATS] = "GET_HOST_STATS",
	[KIF_UEV_DESTROY_SESSION_ASYNC] = "DESTROY_SESSION_ASYNC",
	[KIF_KEV_RECV_PDU] = "RECV_PDU", [KIF_KEV_CONN_ERROR] = "CONN_ERROR",
	[KIF_KEV_IF_ERROR] = "IF_ERROR", [KIF_KEV_DESTROY_SESSION] = "KEVENT_DESTROY_SESSION",
	[KIF_KEV_UNBIND_SESSION] = "KEVENT_UNBIND_SESSION",
	[KIF_KEV_CREATE_SESSION] = "KEVENT_CREATE_SESSION", [KIF_KEV_PATH_REQ] = "PATH_REQ",
	[KIF_KEV_IF_DOWN] = "IF_DOWN", [KIF_KEV_CONN_LOGIN_STATE] = "CONN_LOGIN_STATE",
	[KIF_KEV_HOST_EVENT] = "HOST_EVENT", [KIF_KEV_PING_COMP] = "PING_COMP",
};

const char *
kif_event_name(uint32_t type)
{
	if (type < sizeof(event_names) / sizeof(event_names[0]) && event_names[type] != NULL)
		return event_names[type];
	return "UNKNOWN";
}

/* Texts as iscsid logs them: "... error (1020 - ISCSI_ERR_TCP_CONN_CLOSE: TCP connection closed)". */
static const char *const conn_err_texts[] = {
	"ISCSI_ERR_DATASN: Received invalid data sequence number",
	"ISCSI_ERR_DATA_OFFSET: Received invalid data offset",
	"ISCSI_ERR_MAX_CMDSN: Exceeded max command sequence number",
	"ISCSI_ERR_EXP_CMDSN: Received invalid expected command sequence number",
	"ISCSI_ERR_BAD_OPCODE: Received invalid iSCSI opcode",
	"ISCSI_ERR_DATALEN: Invalid data length value",
	"ISCSI_ERR_AHSLEN: Received invalid additional header segment length",
	"ISCSI_ERR_PROTO: iSCSI protocol violation",
	"ISCSI_ERR_LUN: LUN mismatch",
	"ISCSI_ERR_BAD_ITT: Received invalid initiator task tag",
	"ISCSI_ERR_CONN_FAILED: iSCSI connection failed",
	"ISCSI_ERR_R2TSN: Received invalid R2T sequence number",
	"ISCSI_ERR_SESSION_FAILED: iSCSI session failed",
	"ISCSI_ERR_HDR_DGST: Header digest mismatch",
	"ISCSI_ERR_DATA_DGST: Data digest mismatch",
	"ISCSI_ERR_PARAM_NOT_FOUND: Parameter not found",
	"ISCSI_ERR_NO_SCSI_CMD: Could not look up SCSI command",
	"ISCSI_ERR_INVALID_HOST: iSCSI host is in an invalid state",
	"ISCSI_ERR_XMIT_FAILED: Transmission of iSCSI packet failed",
	"ISCSI_ERR_TCP_CONN_CLOSE: TCP connection closed",
	"ISCSI_ERR_SCSI_EH_SESSION_RST: Session was dropped as a result of SCSI error recovery",
	"ISCSI_ERR_NOP_TIMEDOUT: A NOP has timed out",
};

const char *
kif_conn_err_text(uint32_t code)
{
	if (code < KIF_CERR_DATASN || code > KIF_CERR_LAST)
		return NULL;
	return conn_err_texts[code - KIF_CERR_DATASN];
}

static const char *const conn_state_names[] = {
	"FREE", "TRANSPORT WAIT", "IN LOGIN", "LOGGED IN", "IN LOGOUT", "LOGOUT REQUESTED",
	"CLEANUP WAIT",
};

const char *
kif_conn_state_name(uint32_t state)
{
	if (state < sizeof(conn_state_names) / sizeof(conn_state_names[0]))
		return conn_state_names[state];
	return "Unknown";
}

/* ---------------------------------------------------------------- parser */

typedef int (*kif_decode_fn)(struct kif_event *ev);

static int
dec_conn(struct kif_event *ev)
{
	ev->sid = ev->raw.r.connerror.sid;
	ev->cid = ev->raw.r.connerror.cid;
	ev->code = ev->raw.r.connerror.error;	/* also conn_login.state */
	return ISCSI_OK;
}

static int
dec_recv_pdu(struct kif_event *ev)
{
	ev->sid = ev->raw.r.recv_req.sid;
	ev->cid = ev->raw.r.recv_req.cid;
	ev->handle = ev->raw.r.recv_req.recv_handle;
	if (ev->data_len < 48)
		return err_set(ISCSI_ERR_INVAL, "RECV_PDU carries %zu bytes, less than a 48-byte BHS",
		    ev->data_len);
	return ISCSI_OK;
}

static int
dec_sid_host(struct kif_event *ev)		/* c_session_ret, unbind_session */
{
	ev->sid = ev->raw.r.c_session_ret.sid;
	ev->host_no = ev->raw.r.c_session_ret.host_no;
	return ISCSI_OK;
}

static int
dec_host_sid(struct kif_event *ev)		/* d_session: host_no first */
{
	ev->host_no = ev->raw.r.d_session.host_no;
	ev->sid = ev->raw.r.d_session.sid;
	return ISCSI_OK;
}

static int
dec_sid_cid(struct kif_event *ev)
{
	ev->sid = ev->raw.r.c_conn_ret.sid;
	ev->cid = ev->raw.r.c_conn_ret.cid;
	return ISCSI_OK;
}

static int
dec_ep(struct kif_event *ev)
{
	ev->handle = ev->raw.r.ep_connect_ret.handle;
	return ISCSI_OK;
}

static int
dec_host(struct kif_event *ev)
{
	ev->host_no = ev->raw.r.req_path.host_no;
	return ISCSI_OK;
}

/* Host event and ping completion announce a data size: it must be there. */
static int
dec_host_event(struct kif_event *ev)
{
	uint32_t size = ev->raw.r.host_event.data_size;

	ev->host_no = ev->raw.r.host_event.host_no;
	ev->code = ev->raw.r.host_event.code;
	if (size > ev->data_len)
		return err_set(ISCSI_ERR_INVAL, "HOST_EVENT announces %u data bytes, has %zu",
		    size, ev->data_len);
	ev->data_len = size;
	return ISCSI_OK;
}

static int
dec_ping_comp(struct kif_event *ev)
{
	uint32_t size = ev->raw.r.ping_comp.data_size;

	ev->host_no = ev->raw.r.ping_comp.host_no;
	ev->code = ev->raw.r.ping_comp.status;
	if (size > ev->data_len)
		return err_set(ISCSI_ERR_INVAL, "PING_COMP announces %u data bytes, has %zu",
		    size, ev->data_len);
	ev->data_len = size;
	return ISCSI_OK;
}

static const struct {
	uint32_t	type;
	kif_decode_fn	fn;
} decoders[] = {
	{ KIF_KEV_RECV_PDU, dec_recv_pdu },
	{ KIF_KEV_CONN_ERROR, dec_conn },
	{ KIF_KEV_CONN_LOGIN_STATE, dec_conn },
	{ KIF_KEV_DESTROY_SESSION, dec_host_sid },
	{ KIF_KEV_UNBIND_SESSION, dec_sid_host },
	{ KIF_KEV_CREATE_SESSION, dec_sid_host },
	{ KIF_KEV_PATH_REQ, dec_host },
	{ KIF_KEV_IF_DOWN, dec_host },
	{ KIF_KEV_HOST_EVENT, dec_host_event },
	{ KIF_KEV_PING_COMP, dec_ping_comp },
	{ KIF_UEV_CREATE_SESSION, dec_sid_host },
	{ KIF_UEV_CREATE_BOUND_SESSION, dec_sid_host },
	{ KIF_UEV_CREATE_CONN, dec_sid_cid },
	{ KIF_UEV_EP_CONNECT, dec_ep },
	{ KIF_UEV_EP_CONNECT_THROUGH_HOST, dec_ep },
};

int
kif_parse(const void *buf, size_t len, struct kif_event *ev, size_t *used)
{
	const uint8_t *b = buf;
	struct nlmsghdr nh;
	size_t blen;

	memset(ev, 0, sizeof(*ev));
	*used = len;
	if (len < NLMSG_HDRLEN)
		return err_set(ISCSI_ERR_INVAL, "netlink message of %zu bytes is shorter than its header",
		    len);
	memcpy(&nh, b, sizeof(nh));
	if (nh.nlmsg_len < NLMSG_HDRLEN || nh.nlmsg_len > len)
		return err_set(ISCSI_ERR_INVAL, "netlink length %u does not fit the %zu bytes received",
		    nh.nlmsg_len, len);
	*used = NLMSG_ALIGN(nh.nlmsg_len) < len ? NLMSG_ALIGN(nh.nlmsg_len) : len;
	blen = nh.nlmsg_len - NLMSG_HDRLEN;
	if (nh.nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr e;

		if (blen < sizeof(e))
			return err_set(ISCSI_ERR_INVAL, "truncated netlink error message");
		memcpy(&e, b + NLMSG_HDRLEN, sizeof(e));
		ev->retcode = e.error;
		return err_set(ISCSI_ERR_TRANS, "the kernel refused a netlink message: %s",
		    strerror(e.error < 0 ? -e.error : e.error));
	}
	if (blen < sizeof(struct kif_uevent))
		return err_set(ISCSI_ERR_INVAL, "NETLINK_ISCSI message of %zu bytes, a uevent needs %zu",
		    blen, sizeof(struct kif_uevent));
	memcpy(&ev->raw, b + NLMSG_HDRLEN, sizeof(ev->raw));
	ev->type = ev->raw.type;
	ev->iferror = ev->raw.iferror;
	ev->retcode = ev->raw.r.retcode;
	ev->data = b + NLMSG_HDRLEN + sizeof(struct kif_uevent);
	ev->data_len = blen - sizeof(struct kif_uevent);
	for (size_t i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
		if (decoders[i].type == ev->type)
			return decoders[i].fn(ev);
	return ISCSI_OK;
}

/* ---------------------------------------------------------------- stats */

#define STAT(f) { #f, offsetof(struct kif_stats, f), sizeof(((struct kif_stats *)0)->f) }
static const struct {
	const char	*name;
	size_t		 off, size;
} stats_fields[] = {
	STAT(txdata_octets), STAT(rxdata_octets), STAT(noptx_pdus), STAT(scsicmd_pdus),
	STAT(tmfcmd_pdus), STAT(login_pdus), STAT(text_pdus), STAT(dataout_pdus),
	STAT(logout_pdus), STAT(snack_pdus), STAT(noprx_pdus), STAT(scsirsp_pdus),
	STAT(tmfrsp_pdus), STAT(textrsp_pdus), STAT(datain_pdus), STAT(logoutrsp_pdus),
	STAT(r2t_pdus), STAT(async_pdus), STAT(rjt_pdus), STAT(digest_err), STAT(timeout_err),
};

size_t
kif_stats_count(void)
{
	return sizeof(stats_fields) / sizeof(stats_fields[0]);
}

const char *
kif_stats_name(size_t i)
{
	return i < kif_stats_count() ? stats_fields[i].name : NULL;
}

uint64_t
kif_stats_value(const struct kif_stats *s, size_t i)
{
	const uint8_t *p = (const uint8_t *)s + stats_fields[i].off;
	uint32_t v32;
	uint64_t v64;

	if (stats_fields[i].size == 8) {
		memcpy(&v64, p, 8);
		return v64;
	}
	memcpy(&v32, p, 4);
	return v32;
}

int
kif_parse_stats(const struct kif_event *ev, struct kif_stats_view *out)
{
	memset(out, 0, sizeof(*out));
	if (ev->type != KIF_UEV_GET_STATS || ev->data_len < sizeof(struct kif_stats))
		return err_set(ISCSI_ERR_INVAL, "GET_STATS reply of %zu bytes, stats need %zu",
		    ev->data_len, sizeof(struct kif_stats));
	memcpy(&out->std, ev->data, sizeof(out->std));
	if (out->std.custom_length > KIF_STATS_CUSTOM_MAX ||
	    ev->data_len - sizeof(struct kif_stats) <
	    out->std.custom_length * sizeof(struct kif_stats_custom))
		return err_set(ISCSI_ERR_INVAL, "GET_STATS reply announces %u custom counters in %zu bytes",
		    out->std.custom_length, ev->data_len);
	out->ncustom = out->std.custom_length;
	out->custom = (const void *)(ev->data + sizeof(struct kif_stats));
	return ISCSI_OK;
}

void
kif_stats_custom_get(const struct kif_stats_view *v, uint32_t i, char desc[65], uint64_t *value)
{
	struct kif_stats_custom c;

	memcpy(&c, (const uint8_t *)v->custom + (size_t)i * sizeof(c), sizeof(c));
	memcpy(desc, c.desc, KIF_STATS_CUSTOM_DESC_MAX);
	desc[KIF_STATS_CUSTOM_DESC_MAX] = '\0';
	*value = c.value;
}
