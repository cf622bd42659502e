// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SendTargets discovery (RFC 7143 §12.3, Annex C): log in a discovery
 * session through core_api's text services, ask "SendTargets=All", and turn
 * the TargetName/TargetAddress answer into portals for the core's sink.
 * The whole answer is validated before the first portal is handed over, so a
 * hostile target gets nothing into the node database.  No sockets here.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iscsi/core_api.h>
#include <iscsi/discovery.h>
#include <iscsi/errors.h>
#include <iscsi/plugin.h>

#define ST_NAME_MAX	223	/* RFC 3720 §3.2.6.1: at most 223 bytes */
#define ST_ADDR_MAX	255
#define ST_DEFAULT_PORT	3260

struct st_portal {
	char		 addr[ST_ADDR_MAX + 1];
	uint16_t	 port;
	int32_t		 tpgt;
};

/* What the walk over the answer needs; sink NULL = validate only. */
struct st_walk {
	const struct iscsi_core_api	*api;
	const struct iscsi_disc_request	*req;
	iscsi_disc_sink_fn		 sink;
	void				*arg;
	char				 name[ST_NAME_MAX + 1];
	bool				 have_name;
	unsigned			 naddrs;	/* TargetAddress seen for this name */
	unsigned			 ntargets;
	unsigned			 nportals;
	char				 bad[96];	/* what was wrong, for the error detail */
};

static bool
st_is_digits(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 5)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static long
st_number(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Names become directory names in the node DB: RFC 3720 §3.2.6 types only,
 * a conservative ASCII set, never '/', ".." or control characters. */
static bool
st_name_ok(const char *n, size_t len)
{
	static const char *const types[] = { "iqn.", "eui.", "naa." };
	size_t i;
	bool typed = false;

	if (len < 5 || len > ST_NAME_MAX)
		return false;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strncasecmp(n, types[i], 4) == 0)
			typed = true;
	if (!typed)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)n[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '_'))
			return false;
		if (c == '.' && i > 0 && n[i - 1] == '.')
			return false;
	}
	return true;
}

/* Addresses become part of record paths too ("<addr>,<port>,<tpgt>"):
 * host names, IPv4, IPv6 and a "%scope" suffix only. */
static bool
st_addr_ok(const char *a, size_t len)
{
	size_t i;

	if (len == 0 || len > ST_ADDR_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
		    c == '%' || c == '_'))
			return false;
		if (c == '.' && i > 0 && a[i - 1] == '.')
			return false;
	}
	return a[0] != '.' && a[0] != '-';
}

/* "addr[:port][,tpgt]", IPv6 as "[addr%scope]:port,tpgt" or bare.  The tag
 * is after the last comma; a port after the only colon (or after "]"). */
static bool
st_parse_address(const char *s, size_t len, struct st_portal *p)
{
	const char *end = s + len, *comma, *addr, *aend, *rb, *colon;

	p->tpgt = -1;
	p->port = ST_DEFAULT_PORT;
	for (comma = end; comma > s && comma[-1] != ','; comma--)
		;
	comma = comma > s ? comma - 1 : NULL;
	if (comma != NULL) {
		if (!st_is_digits(comma + 1, (size_t)(end - comma - 1)) ||
		    st_number(comma + 1, (size_t)(end - comma - 1)) > 65535)
			return false;
		p->tpgt = (int32_t)st_number(comma + 1, (size_t)(end - comma - 1));
		end = comma;
	}
	if (s < end && *s == '[') {
		rb = memchr(s, ']', (size_t)(end - s));
		if (rb == NULL)
			return false;
		addr = s + 1;
		aend = rb;
		colon = rb + 1 < end ? rb + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return false;
	} else {
		addr = s;
		colon = memchr(s, ':', (size_t)(end - s));
		/* more than one colon without brackets: a bare IPv6 address */
		if (colon != NULL && memchr(colon + 1, ':', (size_t)(end - colon - 1)) != NULL)
			colon = NULL;
		aend = colon != NULL ? colon : end;
	}
	if (colon != NULL) {
		size_t plen = (size_t)(end - colon - 1);
		long port;

		if (!st_is_digits(colon + 1, plen))
			return false;
		port = st_number(colon + 1, plen);
		if (port < 1 || port > 65535)
			return false;
		p->port = (uint16_t)port;
	}
	if (!st_addr_ok(addr, (size_t)(aend - addr)))
		return false;
	memcpy(p->addr, addr, (size_t)(aend - addr));
	p->addr[aend - addr] = '\0';
	return true;
}

static int
st_emit(struct st_walk *w, const char *addr, uint16_t port, int32_t tpgt)
{
	struct iscsi_disc_target t;

	w->nportals++;
	if (w->sink == NULL)
		return ISCSI_OK;
	memset(&t, 0, sizeof(t));
	t.dt_size = sizeof(t);
	t.dt_name = w->name;
	t.dt_address = addr;
	t.dt_port = port;
	t.dt_tpgt = tpgt;
	return w->sink(w->arg, &t);
}

/* A record without TargetAddress is reachable at the discovery portal. */
static int
st_end_record(struct st_walk *w)
{
	int rc = ISCSI_OK;

	if (w->have_name && w->naddrs == 0)
		rc = st_emit(w, w->req->dr_address, w->req->dr_port, -1);
	w->have_name = false;
	w->naddrs = 0;
	return rc;
}

static int
st_bad(struct st_walk *w, const char *what, const char *v, size_t vlen)
{
	size_t i, o = 0;
	int n;

	n = snprintf(w->bad, sizeof(w->bad), "%s \"", what);
	o = n > 0 && (size_t)n < sizeof(w->bad) ? (size_t)n : 0;
	/* escape what the target sent: it may hold anything */
	for (i = 0; i < vlen && o + 6 < sizeof(w->bad); i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
			w->bad[o++] = (char)c;
		else
			o += (size_t)snprintf(w->bad + o, sizeof(w->bad) - o, "\\x%02x", c);
	}
	if (o + 2 < sizeof(w->bad)) {
		w->bad[o++] = '"';
		w->bad[o] = '\0';
	}
	return ISCSI_ERR_INVAL;
}

static int
st_pair(struct st_walk *w, const char *kv, size_t len)
{
	const char *eq = memchr(kv, '=', len);
	const char *v;
	size_t klen, vlen;
	struct st_portal p;
	int rc;

	if (eq == NULL)
		return st_bad(w, "text without '='", kv, len);
	klen = (size_t)(eq - kv);
	v = eq + 1;
	vlen = len - klen - 1;
	if (klen == 10 && memcmp(kv, "TargetName", 10) == 0) {
		if ((rc = st_end_record(w)) != ISCSI_OK)
			return rc;
		if (!st_name_ok(v, vlen))
			return st_bad(w, "invalid TargetName", v, vlen);
		memcpy(w->name, v, vlen);
		w->name[vlen] = '\0';
		w->have_name = true;
		w->ntargets++;
		return ISCSI_OK;
	}
	if (klen == 13 && memcmp(kv, "TargetAddress", 13) == 0) {
		if (!w->have_name)
			return st_bad(w, "TargetAddress before any TargetName", v, vlen);
		if (!st_parse_address(v, vlen, &p))
			return st_bad(w, "invalid TargetAddress", v, vlen);
		w->naddrs++;
		return st_emit(w, p.addr, p.port, p.tpgt);
	}
	return ISCSI_OK;	/* TargetAlias and extensions: not ours to judge */
}

/* Walk NUL-separated pairs; the buffer need not end with a NUL. */
static int
st_walk(struct st_walk *w, const char *buf, size_t len)
{
	size_t off = 0;
	int rc;

	while (off < len) {
		const char *nul = memchr(buf + off, '\0', len - off);
		size_t plen = nul != NULL ? (size_t)(nul - (buf + off)) : len - off;

		if (plen > 0 && (rc = st_pair(w, buf + off, plen)) != ISCSI_OK)
			return rc;
		off += plen + 1;
	}
	return st_end_record(w);
}

/* Two passes: validate all, then hand portals over. */
static int
st_parse_answer(const struct iscsi_core_api *api, const struct iscsi_disc_request *req,
    const char *buf, size_t len, iscsi_disc_sink_fn sink, void *arg)
{
	struct st_walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.api = api;
	w.req = req;
	if ((rc = st_walk(&w, buf, len)) != ISCSI_OK) {
		api->ca_set_error(api, rc, "SendTargets answer from %s rejected: %s",
		    req->dr_address, w.bad);
		return rc;
	}
	if (w.ntargets == 0) {
		api->ca_set_error(api, ISCSI_ERR_NO_OBJS_FOUND, "No portals found");
		return ISCSI_ERR_NO_OBJS_FOUND;
	}
	api->ca_debug(api, 1, "SendTargets: %u targets, %u portals from %s",
	    w.ntargets, w.nportals, req->dr_address);
	w.sink = sink;
	w.arg = arg;
	w.ntargets = w.nportals = 0;
	return st_walk(&w, buf, len);
}

static int
st_discover(const struct iscsi_core_api *api, void *priv,
    const struct iscsi_disc_request *req, iscsi_disc_sink_fn sink, void *arg)
{
	static const char ask[] = "SendTargets=All";
	struct iscsi_text_conn *conn = NULL;
	char *resp = NULL;
	size_t resp_len = 0;
	int rc;

	(void)priv;
	if (api->ca_text_open == NULL || api->ca_text_exchange == NULL)
		return ISCSI_ERR_OP_NOT_SUPP;
	if ((rc = api->ca_text_open(api, req, &conn)) != ISCSI_OK)
		return rc;
	rc = api->ca_text_exchange(api, conn, ask, sizeof(ask), &resp, &resp_len);
	api->ca_text_close(api, conn);
	if (rc == ISCSI_OK)
		rc = st_parse_answer(api, req, resp, resp_len, sink, arg);
	if (resp != NULL)
		api->ca_free(api, resp);
	return rc;
}

static const char *const st_type_names[] = { "sendtargets", "st", NULL };

static const struct iscsi_discovery_ops st_ops = {
	.do_size = sizeof(struct iscsi_discovery_ops),
	.do_type_names = st_type_names,
	.do_default_port = ST_DEFAULT_PORT,
	.do_discover = st_discover,
};

ISCSI_PLUGIN_DEFINE(discovery_sendtargets, ISCSI_PLUGIN_DISCOVERY, "sendtargets", "1.0",
    "iscsikit", "SendTargets discovery (RFC 7143 12.3)", ISCSI_PLUGIN_F_CLI_OK,
    NULL, NULL, &st_ops)
