// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Applying the target's operational keys to our offer (RFC 7143 §6.2):
 * answers to our offers are checked against the result function, offers
 * the target starts are answered from our wishes, unknown keys get
 * NotUnderstood.  Security keys are skipped here (login.c, chap.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "keys.h"
#include "log.h"

#define NEGO_ERR ISCSI_ERR_FATAL_LOGIN

/* A value as received, NUL-terminated for messages and parsing. */
struct nego_val {
	char	s[KEYS_VALUE_MAX + 1];
	size_t	len;
};

void
keys_nego_init(struct keys_nego *n, const struct iscsi_params *want, bool discovery)
{
	memset(n, 0, sizeof(*n));
	n->want = *want;
	n->discovery = discovery;
	keys_defaults(&n->result);
}

void
keys_nego_free(struct keys_nego *n)
{
	keys_buf_free(&n->reply);
}

int
keys_nego_offer(struct keys_nego *n, struct keys_buf *b, enum keys_emit_mode mode)
{
	size_t nrows;
	const struct keys_def *t = keys_table(&nrows);
	int rc;

	if ((rc = keys_emit_offer(b, &n->want, n->discovery, mode)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < nrows; i++) {
		if (!keys_row_offered(&t[i], &n->want, n->discovery, mode))
			continue;
		if (t[i].rule == KEYS_R_DECL)	/* our declaration holds once sent */
			*keys_slot(&n->result, t[i].off) = *keys_slot(&n->want, t[i].off);
		else
			n->offered |= 1ull << i;
	}
	return ISCSI_OK;
}

/* Index of @v in a list row's choices, or -1. */
static int
nego_choice(const struct keys_def *k, const char *v, size_t len)
{
	for (int i = 0; k->choices[i] != NULL; i++)
		if (strlen(k->choices[i]) == len && memcmp(k->choices[i], v, len) == 0)
			return i;
	return -1;
}

/* Would we accept choice @idx of list row @k given our wish @want? */
static bool
nego_list_accepts(const struct keys_def *k, uint32_t want, int idx)
{
	if (k->off >= 0 && strcmp(k->choices[0], "None") == 0 && k->max == 1 &&
	    strcmp(k->choices[1], "CRC32C") == 0) {
		/* digests: the record's enum allows one or both */
		if (want == ISCSI_DIGEST_CRC32C_NONE || want == ISCSI_DIGEST_NONE_CRC32C)
			return true;
		return (int)want == idx;
	}
	return (int)want == idx;
}

/* Parse @v for row @k into @out (bool 0/1, number, list index). */
static int
nego_parse(const struct keys_def *k, const struct nego_val *v, uint32_t *out)
{
	uint64_t num;
	int idx;

	switch (k->type) {
	case KEYS_T_BOOL:
		if (strcmp(v->s, "Yes") == 0 || strcmp(v->s, "No") == 0) {
			*out = v->s[0] == 'Y';
			return ISCSI_OK;
		}
		break;
	case KEYS_T_NUM:
		if (keys_parse_num(v->s, v->len, &num) == 0 && num >= k->min && num <= k->max) {
			*out = (uint32_t)num;
			return ISCSI_OK;
		}
		break;
	case KEYS_T_LIST:
		if ((idx = nego_choice(k, v->s, v->len)) >= 0) {
			*out = (uint32_t)idx;
			return ISCSI_OK;
		}
		break;
	default:
		return ISCSI_OK;
	}
	return err_set(NEGO_ERR, "target sent an invalid value for %s", k->name);
}

static uint32_t
nego_want(struct keys_nego *n, const struct keys_def *k)
{
	return k->off >= 0 ? *keys_slot(&n->want, k->off) : k->def;
}

/* The target answered our offer of @k with @val. */
static int
nego_answer(struct keys_nego *n, const struct keys_def *k, uint32_t val)
{
	uint32_t want = nego_want(n, k), res = val;
	bool ok = true;

	switch (k->rule) {
	case KEYS_R_MIN: ok = val <= want; break;
	case KEYS_R_MAX: ok = val >= want; break;
	case KEYS_R_OR: res = val | want; break;
	case KEYS_R_AND: res = val & want; break;
	case KEYS_R_LIST: ok = nego_list_accepts(k, want, (int)val); break;
	default: break;
	}
	if (!ok)
		return err_set(NEGO_ERR, "target answered %s=%u, outside what we offered (%u)",
		    k->name, val, want);
	if (k->flags & KEYS_F_FIXED && res != k->def)
		return err_set(NEGO_ERR, "target negotiated %s=%u; only %u is supported",
		    k->name, res, k->def);
	*keys_slot(&n->result, k->off) = res;
	return ISCSI_OK;
}

/* The target offered @k (we did not): compute our answer and queue it. */
static int
nego_counter(struct keys_nego *n, const struct keys_def *k, const struct nego_val *v)
{
	uint32_t want = nego_want(n, k), val, res;
	char ans[32];
	int rc;

	if (n->discovery && k->flags & KEYS_F_NORMAL)
		return keys_buf_add(&n->reply, k->name, "Irrelevant");
	if (k->type == KEYS_T_LIST) {
		/* the offer is a list in the target's preference order */
		const char *p = v->s, *e;
		int idx = -1;

		do {
			e = strchr(p, ',');
			int i = nego_choice(k, p, e ? (size_t)(e - p) : strlen(p));
			if (i >= 0 && nego_list_accepts(k, want, i)) {
				idx = i;
				break;
			}
			p = e ? e + 1 : NULL;
		} while (p != NULL);
		if (idx < 0)
			return keys_buf_add(&n->reply, k->name, "Reject");
		res = (uint32_t)idx;
		snprintf(ans, sizeof(ans), "%s", k->choices[idx]);
	} else {
		if ((rc = nego_parse(k, v, &val)) != ISCSI_OK)
			return rc;
		switch (k->rule) {
		case KEYS_R_MIN: res = val < want ? val : want; break;
		case KEYS_R_MAX: res = val > want ? val : want; break;
		case KEYS_R_OR: res = val | want; break;
		default: res = val & want; break;
		}
		if (k->type == KEYS_T_BOOL)
			snprintf(ans, sizeof(ans), "%s", res ? "Yes" : "No");
		else
			snprintf(ans, sizeof(ans), "%u", res);
	}
	if (k->flags & KEYS_F_FIXED && res != k->def)
		return err_set(NEGO_ERR, "target offered %s=%u; only %u is supported", k->name,
		    res, k->def);
	if (k->off >= 0)
		*keys_slot(&n->result, k->off) = res;
	return keys_buf_add(&n->reply, k->name, ans);
}

/* A declaration by the target (MaxRecvDataSegmentLength, TPGT, TargetAlias). */
static int
nego_declared(struct keys_nego *n, const struct keys_def *k, const struct nego_val *v,
    bool again)
{
	uint32_t val, *slot;
	int rc, off = k->peer_off >= 0 ? k->peer_off : k->off;

	if (k->flags & KEYS_F_INIT_DECL)
		return err_set(NEGO_ERR, "target sent %s, which only an initiator declares",
		    k->name);
	if (strcmp(k->name, "TargetAlias") == 0) {
		if (v->len >= sizeof(n->result.target_alias))
			return err_set(NEGO_ERR, "TargetAlias longer than %zu bytes",
			    sizeof(n->result.target_alias) - 1);
		if (again && strcmp(n->result.target_alias, v->s) != 0)
			return err_set(NEGO_ERR, "target declared two different TargetAlias values");
		memcpy(n->result.target_alias, v->s, v->len + 1);
		return ISCSI_OK;
	}
	if (off < 0)
		return ISCSI_OK;	/* TargetAddress: login.c reads it */
	if ((rc = nego_parse(k, v, &val)) != ISCSI_OK)
		return rc;
	slot = keys_slot(&n->result, off);
	if (again && *slot != val)
		return err_set(NEGO_ERR, "target declared %s twice with different values",
		    k->name);
	*slot = val;
	if (off == (int)offsetof(struct iscsi_params, tpgt))
		n->result.tpgt_seen = 1;
	return ISCSI_OK;
}

/* NotUnderstood, Irrelevant or Reject from the target. */
static int
nego_special(struct keys_nego *n, const struct keys_def *k, size_t idx, const char *v)
{
	if (!(n->offered & (1ull << idx)))
		return err_set(NEGO_ERR, "target answered %s=%s to a key we did not send",
		    k->name, v);
	/* The key keeps its default (RFC 7143 §6.2); fixed keys are at it. */
	if (k->off >= 0)
		*keys_slot(&n->result, k->off) = k->def;
	log_debug(3, "target answered %s=%s; using the default %u", k->name, v, k->def);
	return ISCSI_OK;
}

static int
nego_one(struct keys_nego *n, const char *key, size_t klen, const struct nego_val *v,
    uint64_t *seen)
{
	size_t nrows, idx;
	const struct keys_def *t = keys_table(&nrows), *k = keys_find(key, klen);
	bool again;

	if (k == NULL) {
		char name[KEYS_NAME_MAX + 1];

		memcpy(name, key, klen);
		name[klen] = '\0';
		return keys_buf_add(&n->reply, name, "NotUnderstood");
	}
	if (k->flags & KEYS_F_SECURITY)
		return ISCSI_OK;
	idx = (size_t)(k - t);
	/* A key repeated within one response is a protocol error (RFC 7143
	 * §6.1); a declaration repeated in a later response must agree. */
	if (*seen & (1ull << idx))
		return err_set(NEGO_ERR, "target sent %s twice in one response", k->name);
	*seen |= 1ull << idx;
	again = (n->answered & (1ull << idx)) != 0;
	n->answered |= 1ull << idx;
	if (k->rule == KEYS_R_DECL)
		return nego_declared(n, k, v, again);
	if (again)
		return err_set(NEGO_ERR, "target sent %s more than once", k->name);
	if (strcmp(v->s, "NotUnderstood") == 0 || strcmp(v->s, "Irrelevant") == 0 ||
	    strcmp(v->s, "Reject") == 0) {
		int rc = nego_special(n, k, idx, v->s);

		n->offered &= ~(1ull << idx);
		return rc;
	}
	if (n->offered & (1ull << idx)) {
		uint32_t val;
		int rc;

		n->offered &= ~(1ull << idx);
		if ((rc = nego_parse(k, v, &val)) != ISCSI_OK)
			return rc;
		return nego_answer(n, k, val);
	}
	return nego_counter(n, k, v);
}

int
keys_nego_apply(struct keys_nego *n, const char *buf, size_t len)
{
	struct nego_val *v = malloc(sizeof(*v));	/* 8 KiB: off the stack */
	const char *key, *val;
	size_t off = 0, klen, vlen;
	uint64_t seen = 0;
	int r, rc = ISCSI_OK;

	if (v == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory to parse keys");
	while ((r = keys_next(buf, len, &off, &key, &klen, &val, &vlen)) == 1) {
		memcpy(v->s, val, vlen);
		v->s[vlen] = '\0';
		v->len = vlen;
		if ((rc = nego_one(n, key, klen, v, &seen)) != ISCSI_OK)
			break;
	}
	free(v);
	if (rc != ISCSI_OK)
		return rc;
	if (r < 0)
		return err_set(NEGO_ERR, "malformed key=value text from the target at byte %zu",
		    off);
	return ISCSI_OK;
}

/*
 * The value of a key we offered and the target never answered.  RFC 7143
 * §6.2.1 lets a target leave out the answer when the result is implied by
 * our offer: a Boolean AND key offered as No, or an OR key offered as Yes.
 * LIO does this for ImmediateData=No; taking the default (Yes) there makes
 * the kernel send immediate data the target rejects.  Otherwise the RFC
 * default applies.
 */
static uint32_t
nego_unanswered(struct keys_nego *n, const struct keys_def *k)
{
	uint32_t want = nego_want(n, k);

	if (k->type == KEYS_T_BOOL &&
	    ((k->rule == KEYS_R_AND && want == 0) || (k->rule == KEYS_R_OR && want == 1))) {
		log_debug(3, "target did not answer %s; the result is implied by our %s",
		    k->name, want ? "Yes" : "No");
		return want;
	}
	log_debug(3, "target did not answer %s; using the default", k->name);
	return k->def;
}

int
keys_nego_finish(struct keys_nego *n, struct iscsi_params *out)
{
	size_t nrows;
	const struct keys_def *t = keys_table(&nrows);

	for (size_t i = 0; i < nrows; i++)
		if (n->offered & (1ull << i))
			*keys_slot(&n->result, t[i].off) = nego_unanswered(n, &t[i]);
	n->offered = 0;
	*out = n->result;
	if (!n->discovery && out->first_burst > out->max_burst)
		return err_set(NEGO_ERR, "negotiated FirstBurstLength %u exceeds MaxBurstLength %u",
		    out->first_burst, out->max_burst);
	return ISCSI_OK;
}
