// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the key tokeniser and negotiation.  The input is the
 * target's "k=v\0" text, applied twice (a second response) to an offer
 * chosen by the first byte; results must stay within the table's ranges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iscsi_params want, out;
	struct keys_nego n;
	struct keys_buf b = { 0 };
	const struct keys_def *t;
	size_t nrows, off = 0, kl, vl;
	const char *k, *v, *text = (const char *)data + 1;
	bool disc;

	if (size < 1)
		return 0;
	log_set_level(0);
	disc = data[0] & 1;
	keys_openiscsi_defaults(&want, disc);
	if (data[0] & 2)
		want.header_digest = ISCSI_DIGEST_CRC32C_NONE;
	while (keys_next(text, size - 1, &off, &k, &kl, &v, &vl) == 1)
		if (off > size - 1 || kl == 0 || kl > KEYS_NAME_MAX)
			abort();
	keys_nego_init(&n, &want, disc);
	keys_nego_offer(&n, &b, (data[0] & 4) ? KEYS_EMIT_MINIMAL : KEYS_EMIT_OPENISCSI);
	if (keys_nego_apply(&n, text, size - 1) == 0)
		keys_nego_apply(&n, text, size - 1);
	if (keys_nego_finish(&n, &out) == 0) {
		t = keys_table(&nrows);
		for (size_t i = 0; i < nrows; i++) {
			if (t[i].off < 0 || t[i].type == KEYS_T_STRING)
				continue;
			uint32_t val = *keys_slot(&out, t[i].off);
			if (t[i].type != KEYS_T_LIST && (val < t[i].min || val > t[i].max))
				abort();
			if (t[i].flags & KEYS_F_FIXED && val != t[i].def)
				abort();
		}
		if (out.max_xmit_dsl < 512 || memchr(out.target_alias, 0,
		    sizeof(out.target_alias)) == NULL)
			abort();
	}
	keys_nego_free(&n);
	keys_buf_free(&b);
	return 0;
}
