/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the proto test programs: build target-side PDUs from
 * fields and turn "k=v k=v" strings into "k=v\0k=v\0" key text.  Test-only.
 */
#ifndef ISCSIKIT_PROTO_UTIL_H
#define ISCSIKIT_PROTO_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdu.h"

static inline void
pu_put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

/* "a=1 b=2" -> "a=1\0b=2\0"; returns malloc'd text and its length. */
static inline char *
pu_keys(const char *spaced, size_t *len)
{
	size_t n = strlen(spaced);
	char *t = malloc(n + 2);

	memcpy(t, spaced, n + 1);
	for (size_t i = 0; i < n; i++)
		if (t[i] == ' ')
			t[i] = '\0';
	*len = n ? n + 1 : 0;
	return t;
}

/* "a=1\0b=2\0" -> "a=1 b=2" in @out. */
static inline const char *
pu_spaced(const uint8_t *data, size_t len, char *out, size_t cap)
{
	size_t n = len < cap - 1 ? len : cap - 1;

	if (n > 0)
		memcpy(out, data, n);
	out[n] = '\0';
	while (n > 0 && out[n - 1] == '\0')
		n--;
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
	return out;
}

/* A target PDU header: opcode, byte 1, ITT, TTT, StatSN, ExpCmdSN, MaxCmdSN. */
static inline void
pu_rsp(struct pdu *p, uint8_t op, uint8_t flags, uint32_t itt, uint32_t ttt,
    uint32_t statsn, uint32_t expcmdsn, uint32_t maxcmdsn)
{
	memset(p, 0, sizeof(*p));
	p->bhs[0] = op;
	p->bhs[1] = flags;
	pu_put32(p->bhs + 16, itt);
	pu_put32(p->bhs + 20, ttt);
	pu_put32(p->bhs + 24, statsn);
	pu_put32(p->bhs + 28, expcmdsn);
	pu_put32(p->bhs + 32, maxcmdsn);
}

/* Attach "k=v k=v" as the data segment. */
static inline void
pu_data(struct pdu *p, const char *spaced)
{
	size_t len;
	char *t = pu_keys(spaced, &len);

	if (len == 0) {
		free(t);
		return;
	}
	p->data = (uint8_t *)t;
	p->data_len = (uint32_t)len;
	p->bhs[5] = (uint8_t)(len >> 16);
	p->bhs[6] = (uint8_t)(len >> 8);
	p->bhs[7] = (uint8_t)len;
}

#endif
