// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RFC 7143 key table and the loops over it: defaults, sanitising,
 * emitting our offer, tokenising "k=v\0" text and the key=value buffer.
 * Applying the target's answers is in keys_nego.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "keys.h"

#define P(f)	((int)offsetof(struct iscsi_params, f))

static const char *const keys_digests[] = { "None", "CRC32C", NULL };
static const char *const keys_session_types[] = { "Normal", "Discovery", NULL };
static const char *const keys_authmethods[] = { "None", "CHAP", NULL };
static const char *const keys_task_reporting[] = { "RFC3720", "ResponseFence", "FastAbort", NULL };

#define BOOL(name, rule, fl, def, off, rfc) \
	{ name, KEYS_T_BOOL, rule, fl, def, 0, 1, NULL, off, -1, rfc }
#define NUM(name, rule, fl, def, lo, hi, off, rfc) \
	{ name, KEYS_T_NUM, rule, fl, def, lo, hi, NULL, off, -1, rfc }

#define LS	(KEYS_F_SESSION | KEYS_F_LEADING)
#define SND	(KEYS_F_SEND_N | KEYS_F_SEND_D)

/*
 * Row order is the order open-iscsi emits its offer in (reference §6.2),
 * so the first PDU of an operational stage matches the reference's.
 */
static const struct keys_def keys_rows[] = {
	{ "HeaderDigest", KEYS_T_LIST, KEYS_R_LIST, KEYS_F_IO | SND, 0, 0, 1, keys_digests,
	  P(header_digest), -1, "13.1" },
	{ "DataDigest", KEYS_T_LIST, KEYS_R_LIST, KEYS_F_IO | SND, 0, 0, 1, keys_digests,
	  P(data_digest), -1, "13.1" },
	NUM("DefaultTime2Wait", KEYS_R_MAX, LS | SND, 2, 0, 3600, P(default_time2wait), "13.15"),
	NUM("DefaultTime2Retain", KEYS_R_MIN, LS | SND, 20, 0, 3600, P(default_time2retain),
	    "13.16"),
	BOOL("IFMarker", KEYS_R_AND, KEYS_F_IO | KEYS_F_FIXED | SND, 0, P(ifmarker), "3720 A.3.1"),
	BOOL("OFMarker", KEYS_R_AND, KEYS_F_IO | KEYS_F_FIXED | SND, 0, P(ofmarker), "3720 A.3.1"),
	NUM("ErrorRecoveryLevel", KEYS_R_MIN, LS | KEYS_F_FIXED | SND, 0, 0, 2,
	    P(error_recovery_level), "13.20"),
	BOOL("InitialR2T", KEYS_R_OR, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 1, P(initial_r2t), "13.10"),
	BOOL("ImmediateData", KEYS_R_AND, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 1,
	    P(immediate_data), "13.11"),
	NUM("MaxBurstLength", KEYS_R_MIN, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 262144, 512,
	    16777215, P(max_burst), "13.13"),
	NUM("FirstBurstLength", KEYS_R_MIN, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 65536, 512,
	    16777215, P(first_burst), "13.14"),
	NUM("MaxOutstandingR2T", KEYS_R_MIN, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 1, 1, 65535,
	    P(max_outstanding_r2t), "13.17"),
	NUM("MaxConnections", KEYS_R_MIN, LS | KEYS_F_NORMAL | KEYS_F_FIXED | KEYS_F_SEND_N, 1, 1,
	    65535, P(max_connections), "13.2"),
	BOOL("DataPDUInOrder", KEYS_R_OR, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 1,
	    P(data_pdu_in_order), "13.18"),
	BOOL("DataSequenceInOrder", KEYS_R_OR, LS | KEYS_F_NORMAL | KEYS_F_SEND_N, 1,
	    P(data_sequence_in_order), "13.19"),
	/* Declarative per direction: ours limits what the target sends us; the
	 * target's (8192 if never declared: tgtd never does) limits what we send. */
	{ "MaxRecvDataSegmentLength", KEYS_T_NUM, KEYS_R_DECL, SND, 8192, 512, 16777215, NULL,
	  P(max_recv_dsl), P(max_xmit_dsl), "13.12" },
	/* Declared by the target. */
	{ "TargetPortalGroupTag", KEYS_T_NUM, KEYS_R_DECL, KEYS_F_IO | KEYS_F_TGT_DECL, 0, 0,
	  65535, NULL, -1, P(tpgt), "13.9" },
	{ "TargetAlias", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_TGT_DECL, 0, 0, 0, NULL, -1, -1,
	  "13.6" },
	{ "TargetAddress", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_TGT_DECL, 0, 0, 0, NULL, -1, -1,
	  "13.8" },
	/* Declared by the initiator in the first Login Request (login.c). */
	{ "InitiatorName", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_IO | KEYS_F_INIT_DECL, 0, 0, 0,
	  NULL, -1, -1, "13.5" },
	{ "InitiatorAlias", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_INIT_DECL, 0, 0, 0, NULL, -1, -1,
	  "13.7" },
	{ "TargetName", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_IO | KEYS_F_INIT_DECL, 0, 0, 0, NULL,
	  -1, -1, "13.4" },
	{ "SessionType", KEYS_T_LIST, KEYS_R_DECL, LS | KEYS_F_IO | KEYS_F_INIT_DECL, 0, 0, 1,
	  keys_session_types, -1, -1, "13.21" },
	/* Full feature phase only; answered by text.c's callers. */
	{ "SendTargets", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_SESSION | KEYS_F_INIT_DECL, 0, 0, 0,
	  NULL, -1, -1, "13.3" },
	/* Never offered by us; answered with the default if a target offers them. */
	{ "TaskReporting", KEYS_T_LIST, KEYS_R_LIST, LS | KEYS_F_NORMAL, 0, 0, 2,
	  keys_task_reporting, -1, -1, "13.23" },
	NUM("iSCSIProtocolLevel", KEYS_R_MIN, LS | KEYS_F_NORMAL, 1, 0, 31, -1, "7144 13.1"),
	/* iSER (RFC 7145): LIO proposes them on an iSER portal and fails the
	 * login if RDMAExtensions is not understood; we answer our want (the
	 * session driver sets it for RDMA transports), the lengths by default. */
	BOOL("RDMAExtensions", KEYS_R_AND, LS | KEYS_F_IO, 0, P(rdma_extensions), "7145 6.3"),
	NUM("InitiatorRecvDataSegmentLength", KEYS_R_DECL, 0, 8192, 512, 16777215,
	    P(ini_recv_dsl), "7145 6.5"),
	NUM("TargetRecvDataSegmentLength", KEYS_R_DECL, 0, 8192, 512, 16777215, P(tgt_recv_dsl),
	    "7145 6.4"),
	/* Security stage keys: chap.c and login.c read them. */
	{ "AuthMethod", KEYS_T_LIST, KEYS_R_LIST, KEYS_F_SECURITY | KEYS_F_IO, 0, 0, 1,
	  keys_authmethods, -1, -1, "12" },
	{ "CHAP_A", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_SECURITY, 0, 0, 0, NULL, -1, -1, "12.1.3" },
	{ "CHAP_I", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_SECURITY, 0, 0, 0, NULL, -1, -1, "12.1.3" },
	{ "CHAP_C", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_SECURITY, 0, 0, 0, NULL, -1, -1, "12.1.3" },
	{ "CHAP_N", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_SECURITY, 0, 0, 0, NULL, -1, -1, "12.1.3" },
	{ "CHAP_R", KEYS_T_STRING, KEYS_R_DECL, KEYS_F_SECURITY, 0, 0, 0, NULL, -1, -1, "12.1.3" },
};

#define KEYS_NROWS (sizeof(keys_rows) / sizeof(keys_rows[0]))
_Static_assert(KEYS_NROWS <= 64, "keys_nego bitmaps hold 64 rows");

const struct keys_def *
keys_table(size_t *n)
{
	*n = KEYS_NROWS;
	return keys_rows;
}

const struct keys_def *
keys_find(const char *name, size_t len)
{
	for (size_t i = 0; i < KEYS_NROWS; i++)
		if (strlen(keys_rows[i].name) == len && memcmp(keys_rows[i].name, name, len) == 0)
			return &keys_rows[i];
	return NULL;
}

uint32_t *
keys_slot(struct iscsi_params *p, int off)
{
	return (uint32_t *)(void *)((char *)p + off);
}

void
keys_defaults(struct iscsi_params *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < KEYS_NROWS; i++) {
		if (keys_rows[i].off >= 0)
			*keys_slot(p, keys_rows[i].off) = keys_rows[i].def;
		if (keys_rows[i].peer_off >= 0)
			*keys_slot(p, keys_rows[i].peer_off) = keys_rows[i].def;
	}
}

void
keys_openiscsi_defaults(struct iscsi_params *p, bool discovery)
{
	keys_defaults(p);
	p->initial_r2t = 0;
	p->immediate_data = 1;
	p->first_burst = 262144;
	p->max_burst = 16776192;
	p->default_time2retain = 0;
	p->max_recv_dsl = discovery ? 32768 : 262144;
}

int
keys_sanitize(struct iscsi_params *p)
{
	int changed = 0;

	if (p->max_recv_dsl < 512 || p->max_recv_dsl > 16777215) {
		p->max_recv_dsl = 262144;
		changed++;
	} else if (p->max_recv_dsl & 3) {
		p->max_recv_dsl &= ~3u;
		changed++;
	}
	for (size_t i = 0; i < KEYS_NROWS; i++) {
		const struct keys_def *k = &keys_rows[i];
		uint32_t *v;

		if (k->off < 0 || k->rule == KEYS_R_DECL)
			continue;
		v = keys_slot(p, k->off);
		if (k->type == KEYS_T_LIST && *v > ISCSI_DIGEST_NONE_CRC32C) {
			*v = k->def;
			changed++;
		} else if (k->type != KEYS_T_LIST && (*v < k->min || *v > k->max)) {
			*v = k->def;
			changed++;
		} else if (k->flags & KEYS_F_FIXED && *v != k->def) {
			*v = k->def;	/* ERL 0, MaxConnections 1, markers No: always */
			changed++;
		}
	}
	if (p->first_burst > p->max_burst) {
		p->first_burst = p->max_burst;
		changed++;
	}
	return changed;
}

void
keys_buf_free(struct keys_buf *b)
{
	free(b->kb_buf);
	memset(b, 0, sizeof(*b));
}

static int
keys_buf_reserve(struct keys_buf *b, size_t more)
{
	size_t cap = b->kb_cap ? b->kb_cap : 256;
	char *n;

	if (b->kb_len + more <= b->kb_cap)
		return ISCSI_OK;
	while (cap < b->kb_len + more)
		cap *= 2;
	if ((n = realloc(b->kb_buf, cap)) == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for %zu bytes of keys", cap);
	b->kb_buf = n;
	b->kb_cap = cap;
	return ISCSI_OK;
}

int
keys_buf_add(struct keys_buf *b, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);

	if (keys_buf_reserve(b, nl + vl + 2) != ISCSI_OK)
		return ISCSI_ERR_NOMEM;
	memcpy(b->kb_buf + b->kb_len, name, nl);
	b->kb_buf[b->kb_len + nl] = '=';
	memcpy(b->kb_buf + b->kb_len + nl + 1, value, vl);
	b->kb_buf[b->kb_len + nl + 1 + vl] = '\0';
	b->kb_len += nl + vl + 2;
	return ISCSI_OK;
}

int
keys_buf_append(struct keys_buf *b, const char *data, size_t len)
{
	if (len == 0)
		return ISCSI_OK;
	if (keys_buf_reserve(b, len) != ISCSI_OK)
		return ISCSI_ERR_NOMEM;
	memcpy(b->kb_buf + b->kb_len, data, len);
	b->kb_len += len;
	return ISCSI_OK;
}

int
keys_buf_addf(struct keys_buf *b, const char *name, const char *fmt, ...)
{
	char val[KEYS_VALUE_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(val))
		return err_set(ISCSI_ERR_INVAL, "value of %s is longer than %d bytes", name,
		    KEYS_VALUE_MAX);
	return keys_buf_add(b, name, val);
}

int
keys_digest_from_str(const char *s)
{
	static const char *const names[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *
keys_digest_str(uint32_t d)
{
	static const char *const names[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C" };

	return d < 4 ? names[d] : "None";
}

bool
keys_row_offered(const struct keys_def *k, const struct iscsi_params *want, bool discovery,
    enum keys_emit_mode mode)
{
	uint32_t v;

	if (k->off < 0 || k->flags & (KEYS_F_TGT_DECL | KEYS_F_SECURITY | KEYS_F_INIT_DECL))
		return false;
	if (discovery && k->flags & KEYS_F_NORMAL)
		return false;
	/* iSER replaces it by Initiator/TargetRecvDataSegmentLength (RFC 7145 §6.4, 6.5) */
	if (want->rdma_extensions && k->off == (int)offsetof(struct iscsi_params, max_recv_dsl))
		return false;
	v = *keys_slot((struct iscsi_params *)(uintptr_t)want, k->off);
	if (mode == KEYS_EMIT_OPENISCSI && k->flags & (discovery ? KEYS_F_SEND_D : KEYS_F_SEND_N))
		return true;
	return v != k->def;
}

int
keys_emit_offer(struct keys_buf *b, const struct iscsi_params *want, bool discovery,
    enum keys_emit_mode mode)
{
	for (size_t i = 0; i < KEYS_NROWS; i++) {
		const struct keys_def *k = &keys_rows[i];
		uint32_t v;
		int rc;

		if (!keys_row_offered(k, want, discovery, mode))
			continue;
		v = *keys_slot((struct iscsi_params *)(uintptr_t)want, k->off);
		if (k->type == KEYS_T_BOOL)
			rc = keys_buf_add(b, k->name, v ? "Yes" : "No");
		else if (k->choices == keys_digests)
			rc = keys_buf_add(b, k->name, keys_digest_str(v));
		else
			rc = keys_buf_addf(b, k->name, "%u", v);
		if (rc != ISCSI_OK)
			return rc;
	}
	return ISCSI_OK;
}

int
keys_next(const char *buf, size_t len, size_t *off, const char **key, size_t *klen,
    const char **val, size_t *vlen)
{
	const char *p, *end, *eq;

	/* Skip NUL padding between pairs; some targets pad the last PDU. */
	while (*off < len && buf[*off] == '\0')
		(*off)++;
	if (*off >= len)
		return 0;
	p = buf + *off;
	if ((end = memchr(p, '\0', len - *off)) == NULL)
		return -1;
	if ((eq = memchr(p, '=', (size_t)(end - p))) == NULL)
		return -1;
	*key = p;
	*klen = (size_t)(eq - p);
	*val = eq + 1;
	*vlen = (size_t)(end - eq - 1);
	if (*klen == 0 || *klen > KEYS_NAME_MAX || *vlen > KEYS_VALUE_MAX)
		return -1;
	*off = (size_t)(end - buf) + 1;
	return 1;
}

int
keys_parse_num(const char *val, size_t vlen, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned base = 10;

	if (vlen > 2 && val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= vlen)
		return -1;
	for (; i < vlen; i++) {
		unsigned d;
		char c = val[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}
