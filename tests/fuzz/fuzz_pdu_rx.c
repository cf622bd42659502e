// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the incremental PDU receiver.  The first input byte
 * picks digests and a chunk size, the rest is the byte stream; every PDU
 * received is re-encoded and received again, which must round-trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdu_digests dg;
	struct pdu_rx rx;
	size_t off = 1, chunk;

	if (size < 1)
		return 0;
	log_set_level(0);
	dg.header = data[0] & 1;
	dg.data = (data[0] >> 1) & 1;
	chunk = (size_t)(data[0] >> 2) + 1;
	pdu_rx_init(&rx, (data[0] & 0x80) ? 262144 : 8192);
	pdu_rx_set_digests(&rx, &dg);
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk, used;
		struct pdu p;
		enum pdu_rx_status st = pdu_rx_feed(&rx, data + off, n, &used, &p);

		if (used > n)
			abort();
		off += used;
		if (st == PDU_RX_ERROR)
			break;
		if (st == PDU_RX_PDU) {
			uint8_t *wire;
			size_t len, used2;
			struct pdu q, p2;
			struct pdu_rx rx2;

			if (p.data_len != pdu_dsl(&p) || p.ahs_len != pdu_ahs_words(&p) * 4)
				abort();
			if (pdu_encode_alloc(&p, &dg, &wire, &len) == 0) {
				pdu_rx_init(&rx2, rx.max_dsl);
				pdu_rx_set_digests(&rx2, &dg);
				if (pdu_rx_feed(&rx2, wire, len, &used2, &q) != PDU_RX_PDU ||
				    used2 != len || memcmp(q.bhs, p.bhs, 48) != 0 ||
				    q.data_len != p.data_len ||
				    (p.data_len && memcmp(q.data, p.data, p.data_len) != 0))
					abort();
				p2 = q;
				pdu_free(&p2);
				free(wire);
			}
			pdu_free(&p);
		}
	}
	pdu_rx_reset(&rx);
	return 0;
}
