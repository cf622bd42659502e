// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: Text Response sequencing and reassembly.  The input is
 * cut into responses by a small header per PDU (flags, TTT, ITT choice,
 * length); flag bits 0x18 make NOP-Ins and Async Messages in between.  The
 * joined answer must equal the concatenated Text data, and a NOP-Out must
 * be immediate, ITT 0xffffffff and within the target's limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char req[] = "SendTargets=All";
	struct text_cfg cfg = { .tc_itt = 1, .tc_cmdsn = 1, .tc_max_send = 8,
	    .tc_max_answer = 1 << 16, .tc_max_pdus = 64 };
	struct text_ctx t;
	struct text_out o;
	size_t off = 0, joined = 0;
	uint8_t *all = malloc(size + 1);
	enum text_verdict v;

	log_set_level(0);
	text_init(&t);
	v = text_start(&t, &cfg, req, sizeof(req), &o);
	while ((v == TEXT_SEND || v == TEXT_MORE) && off + 4 <= size) {
		struct pdu rsp;
		uint8_t fl = data[off], ttt = data[off + 1], itt = data[off + 2];
		size_t len = data[off + 3];

		pdu_free(&o.to_pdu);
		off += 4;
		if (len > size - off)
			len = size - off;
		memset(&rsp, 0, sizeof(rsp));
		rsp.bhs[0] = (fl & 0x20) ? 0x3f : (fl & 0x10) ? ((fl & 0x08) ? 0x32 : 0x20) : 0x24;
		rsp.bhs[36] = ttt;	/* AsyncEvent */
		rsp.bhs[43] = itt;	/* Parameter3 */
		rsp.bhs[1] = fl & 0xc0;
		/* unsolicited PDUs carry ITT 0xffffffff unless the input says otherwise */
		put32(rsp.bhs + 16, (itt & 0x80) ? itt : (fl & 0x30) == 0x10 ? 0xffffffffu : 1);
		put32(rsp.bhs + 20, (ttt & 0x80) ? 0xffffffffu : ttt);
		if (len > 0) {
			rsp.data = malloc(len);
			memcpy(rsp.data, data + off, len);
			rsp.data_len = (uint32_t)len;
		}
		if (t.st == 2 && rsp.bhs[0] == 0x24)	/* receiving: what should be joined */
			memcpy(all + joined, data + off, len), joined += len;
		off += len;
		v = text_input(&t, &rsp, &o);
		pdu_free(&rsp);
		if (v == TEXT_MORE && o.to_reply && (!pdu_immediate(&o.to_pdu) ||
		    pdu_itt(&o.to_pdu) != 0xffffffffu || o.to_pdu.data_len > cfg.tc_max_send))
			abort();
	}
	pdu_free(&o.to_pdu);
	if (v == TEXT_DONE && (o.to_len != joined || memcmp(o.to_data, all, joined) != 0 ||
	    o.to_data[o.to_len] != '\0'))
		abort();
	free(all);
	text_free(&t);
	return 0;
}
