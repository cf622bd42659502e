// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Incremental PDU receiver: BHS, then AHS and header digest, then data with
 * padding, then data digest.  Every length is checked the moment the BHS
 * is complete and before anything is allocated, so a peer announcing a
 * gigabyte costs nothing.  Does no I/O: the driver offers bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "err.h"
#include "pdu.h"

enum pdu_rx_state { RX_BHS = 0, RX_HTAIL, RX_DATA, RX_DDIGEST };

static uint32_t
rx_le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

void
pdu_rx_init(struct pdu_rx *rx, uint32_t max_dsl)
{
	memset(rx, 0, sizeof(*rx));
	rx->max_dsl = max_dsl;
	rx->ahs_max = ISCSI_AHS_MAX;
}

void
pdu_rx_set_max_dsl(struct pdu_rx *rx, uint32_t max_dsl)
{
	rx->max_dsl = max_dsl;
}

void
pdu_rx_set_digests(struct pdu_rx *rx, const struct pdu_digests *dg)
{
	rx->dg = *dg;
}

void
pdu_rx_reset(struct pdu_rx *rx)
{
	pdu_free(&rx->cur);
	rx->st = RX_BHS;
	rx->have = 0;
}

int
pdu_rx_error(const struct pdu_rx *rx)
{
	return rx->err;
}

static size_t
rx_part_len(const struct pdu_rx *rx)
{
	switch (rx->st) {
	case RX_BHS:
		return ISCSI_BHS_LEN;
	case RX_HTAIL:
		return rx->cur.ahs_len + (rx->dg.header ? ISCSI_DIGEST_LEN : 0);
	case RX_DATA:
		return rx->padded;
	default:
		return ISCSI_DIGEST_LEN;
	}
}

size_t
pdu_rx_need(const struct pdu_rx *rx)
{
	size_t n = rx_part_len(rx) - rx->have;

	return n > 0 ? n : 1;
}

static enum pdu_rx_status
rx_fail(struct pdu_rx *rx, int err)
{
	rx->err = err;
	pdu_rx_reset(rx);
	return PDU_RX_ERROR;
}

/* The BHS is complete: check every length before anything is allocated. */
static enum pdu_rx_status
rx_bhs_done(struct pdu_rx *rx)
{
	struct pdu *p = &rx->cur;
	uint8_t op;
	uint32_t dsl, ahs;

	memcpy(p->bhs, rx->hdr, ISCSI_BHS_LEN);
	op = pdu_opcode(p);
	dsl = pdu_dsl(p);
	ahs = pdu_ahs_words(p) * 4;
	if (!pdu_opcode_from_target(op))
		return rx_fail(rx, err_set(ISCSI_ERR_TRANS,
		    "received opcode 0x%02x (%s), which a target never sends", op,
		    pdu_opcode_name(op)));
	if (dsl > rx->max_dsl)
		return rx_fail(rx, err_set(ISCSI_ERR_TRANS,
		    "%s announces %u data bytes, limit is %u", pdu_opcode_name(op), dsl,
		    rx->max_dsl));
	if (ahs > rx->ahs_max)
		return rx_fail(rx, err_set(ISCSI_ERR_TRANS,
		    "%s announces %u AHS bytes, limit is %u", pdu_opcode_name(op), ahs,
		    rx->ahs_max));
	p->ahs_len = ahs;
	p->data_len = dsl;
	rx->padded = (dsl + 3) & ~3u;
	rx->st = RX_HTAIL;
	rx->have = 0;
	return PDU_RX_MORE;
}

static enum pdu_rx_status
rx_htail_done(struct pdu_rx *rx)
{
	struct pdu *p = &rx->cur;
	const uint8_t *tail = rx->hdr + ISCSI_BHS_LEN;

	if (rx->dg.header) {
		uint32_t want = crc32c(0, rx->hdr, ISCSI_BHS_LEN + p->ahs_len);

		if (rx_le32(tail + p->ahs_len) != want)
			return rx_fail(rx, err_set(ISCSI_ERR_TRANS,
			    "header digest mismatch on %s", pdu_opcode_name(pdu_opcode(p))));
	}
	if (p->ahs_len > 0) {
		if ((p->ahs = malloc(p->ahs_len)) == NULL)
			return rx_fail(rx, err_set(ISCSI_ERR_NOMEM, "no memory for AHS"));
		memcpy(p->ahs, tail, p->ahs_len);
	}
	if (rx->padded > 0 && (p->data = malloc(rx->padded)) == NULL)
		return rx_fail(rx, err_set(ISCSI_ERR_NOMEM, "no memory for %u data bytes",
		    rx->padded));
	rx->st = RX_DATA;
	rx->have = 0;
	return PDU_RX_MORE;
}

static enum pdu_rx_status
rx_ddigest_done(struct pdu_rx *rx)
{
	if (rx_le32(rx->tail) != crc32c(0, rx->cur.data, rx->padded))
		return rx_fail(rx, err_set(ISCSI_ERR_TRANS, "data digest mismatch on %s",
		    pdu_opcode_name(pdu_opcode(&rx->cur))));
	return PDU_RX_PDU;
}

/* Where the bytes of the current part go. */
static uint8_t *
rx_dest(struct pdu_rx *rx)
{
	switch (rx->st) {
	case RX_BHS:
		return rx->hdr;
	case RX_HTAIL:
		return rx->hdr + ISCSI_BHS_LEN;
	case RX_DATA:
		return rx->cur.data;
	default:
		return rx->tail;
	}
}

/* The current part is complete: move on.  PDU_RX_PDU when the PDU is. */
static enum pdu_rx_status
rx_advance(struct pdu_rx *rx)
{
	enum pdu_rx_status s;

	switch (rx->st) {
	case RX_BHS:
		if ((s = rx_bhs_done(rx)) != PDU_RX_MORE)
			return s;
		if (rx_part_len(rx) > 0)
			return PDU_RX_MORE;
		/* no AHS, no header digest */
		__attribute__((fallthrough));
	case RX_HTAIL:
		if ((s = rx_htail_done(rx)) != PDU_RX_MORE)
			return s;
		if (rx->padded > 0)
			return PDU_RX_MORE;
		return PDU_RX_PDU;
	case RX_DATA:
		if (!rx->dg.data)
			return PDU_RX_PDU;
		rx->st = RX_DDIGEST;
		rx->have = 0;
		return PDU_RX_MORE;
	default:
		return rx_ddigest_done(rx);
	}
}

enum pdu_rx_status
pdu_rx_feed(struct pdu_rx *rx, const uint8_t *buf, size_t len, size_t *used,
    struct pdu *out)
{
	size_t off = 0;

	*used = 0;
	while (off < len) {
		size_t part = rx_part_len(rx), n = part - rx->have;
		enum pdu_rx_status s;

		if (n > len - off)
			n = len - off;
		memcpy(rx_dest(rx) + rx->have, buf + off, n);
		rx->have += n;
		off += n;
		*used = off;
		if (rx->have < part)
			continue;
		s = rx_advance(rx);
		if (s == PDU_RX_ERROR)
			return s;
		if (s == PDU_RX_PDU) {
			*out = rx->cur;
			memset(&rx->cur, 0, sizeof(rx->cur));
			rx->st = RX_BHS;
			rx->have = 0;
			return PDU_RX_PDU;
		}
	}
	return PDU_RX_MORE;
}
