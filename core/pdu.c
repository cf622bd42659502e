// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PDU layout (RFC 7143 §11): accessors over the raw BHS, builders for the
 * requests an initiator sends and serialisation with padding and digests.
 * The incremental receiver lives in pdu_rx.c.
 */
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "err.h"
#include "pdu.h"

static const struct {
	uint8_t		 op;
	bool		 from_target;
	const char	*name;
} pdu_ops[] = {
	{ ISCSI_OP_NOP_OUT,	false, "NOP-Out" },
	{ ISCSI_OP_SCSI_CMD,	false, "SCSI Command" },
	{ ISCSI_OP_TMF_REQ,	false, "Task Management Function Request" },
	{ ISCSI_OP_LOGIN_REQ,	false, "Login Request" },
	{ ISCSI_OP_TEXT_REQ,	false, "Text Request" },
	{ ISCSI_OP_DATA_OUT,	false, "SCSI Data-Out" },
	{ ISCSI_OP_LOGOUT_REQ,	false, "Logout Request" },
	{ ISCSI_OP_SNACK,	false, "SNACK Request" },
	{ ISCSI_OP_NOP_IN,	true,  "NOP-In" },
	{ ISCSI_OP_SCSI_RSP,	true,  "SCSI Response" },
	{ ISCSI_OP_TMF_RSP,	true,  "Task Management Function Response" },
	{ ISCSI_OP_LOGIN_RSP,	true,  "Login Response" },
	{ ISCSI_OP_TEXT_RSP,	true,  "Text Response" },
	{ ISCSI_OP_DATA_IN,	true,  "SCSI Data-In" },
	{ ISCSI_OP_LOGOUT_RSP,	true,  "Logout Response" },
	{ ISCSI_OP_R2T,		true,  "Ready To Transfer" },
	{ ISCSI_OP_ASYNC,	true,  "Asynchronous Message" },
	{ ISCSI_OP_REJECT,	true,  "Reject" },
};

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v;
}

static void
put64(uint8_t *b, uint64_t v)
{
	put32(b, (uint32_t)(v >> 32));
	put32(b + 4, (uint32_t)v);
}

void
pdu_free(struct pdu *p)
{
	free(p->ahs);
	free(p->data);
	p->ahs = NULL;
	p->data = NULL;
	p->ahs_len = p->data_len = 0;
}

int
pdu_set_data(struct pdu *p, const void *data, uint32_t len)
{
	uint8_t *d = NULL;

	if (len > 0) {
		if ((d = malloc(len)) == NULL)
			return err_set(ISCSI_ERR_NOMEM, "no memory for a %u-byte data segment", len);
		memcpy(d, data, len);
	}
	pdu_take_data(p, d, len);
	return ISCSI_OK;
}

void
pdu_take_data(struct pdu *p, uint8_t *data, uint32_t len)
{
	free(p->data);
	p->data = data;
	p->data_len = data != NULL ? len : 0;
}

uint8_t pdu_opcode(const struct pdu *p) { return p->bhs[0] & ISCSI_BHS_OPCODE_MASK; }
bool pdu_immediate(const struct pdu *p) { return (p->bhs[0] & ISCSI_BHS_IMMEDIATE) != 0; }
uint8_t pdu_flags(const struct pdu *p) { return p->bhs[1]; }
uint32_t pdu_itt(const struct pdu *p) { return get32(p->bhs + 16); }
uint32_t pdu_ttt(const struct pdu *p) { return get32(p->bhs + 20); }
uint32_t pdu_statsn(const struct pdu *p) { return get32(p->bhs + 24); }
uint32_t pdu_expcmdsn(const struct pdu *p) { return get32(p->bhs + 28); }
uint32_t pdu_maxcmdsn(const struct pdu *p) { return get32(p->bhs + 32); }
uint32_t pdu_dsl(const struct pdu *p) { return get32(p->bhs + 4) & ISCSI_DSL_FIELD_MAX; }
uint32_t pdu_ahs_words(const struct pdu *p) { return p->bhs[4]; }

uint16_t pdu_login_status(const struct pdu *p) { return get16(p->bhs + 36); }
uint16_t pdu_login_tsih(const struct pdu *p) { return get16(p->bhs + 14); }
unsigned pdu_login_csg(const struct pdu *p) { return (p->bhs[1] >> 2) & 3; }
unsigned pdu_login_nsg(const struct pdu *p) { return p->bhs[1] & 3; }
uint8_t pdu_login_version_active(const struct pdu *p) { return p->bhs[3]; }
uint8_t pdu_logout_response(const struct pdu *p) { return p->bhs[2]; }
uint16_t pdu_logout_time2wait(const struct pdu *p) { return get16(p->bhs + 40); }
uint16_t pdu_logout_time2retain(const struct pdu *p) { return get16(p->bhs + 42); }
uint8_t pdu_reject_reason(const struct pdu *p) { return p->bhs[2]; }
uint8_t pdu_async_event(const struct pdu *p) { return p->bhs[36]; }
uint8_t pdu_async_vcode(const struct pdu *p) { return p->bhs[37]; }
uint64_t pdu_lun(const struct pdu *p) { return (uint64_t)get32(p->bhs + 8) << 32 | get32(p->bhs + 12); }

uint16_t
pdu_async_param(const struct pdu *p, unsigned n)
{
	return n >= 1 && n <= 3 ? get16(p->bhs + 36 + 2 * n) : 0;
}

void
pdu_login_isid(const struct pdu *p, uint8_t isid[6])
{
	memcpy(isid, p->bhs + 8, 6);
}

const char *
pdu_opcode_name(uint8_t opcode)
{
	for (size_t i = 0; i < sizeof(pdu_ops) / sizeof(pdu_ops[0]); i++)
		if (pdu_ops[i].op == opcode)
			return pdu_ops[i].name;
	return "unknown";
}

bool
pdu_opcode_from_target(uint8_t opcode)
{
	for (size_t i = 0; i < sizeof(pdu_ops) / sizeof(pdu_ops[0]); i++)
		if (pdu_ops[i].op == opcode)
			return pdu_ops[i].from_target;
	return false;
}

/* Start a request: clear everything, set opcode (+I) and byte 1. */
static void
pdu_begin(struct pdu *p, uint8_t op, bool immediate, uint8_t flags)
{
	pdu_free(p);
	memset(p->bhs, 0, sizeof(p->bhs));
	p->bhs[0] = op | (immediate ? ISCSI_BHS_IMMEDIATE : 0);
	p->bhs[1] = flags;
}

void
pdu_build_login_req(struct pdu *p, const struct pdu_login_req *r)
{
	uint8_t fl = (uint8_t)(((r->csg & 3) << 2) | (r->nsg & 3));

	if (r->transit)
		fl |= ISCSI_FLAG_LOGIN_TRANSIT;
	if (r->cont)
		fl |= ISCSI_FLAG_LOGIN_CONT;
	if (!r->transit)	/* NSG is reserved when T is clear (§11.12.3) */
		fl &= (uint8_t)~3;
	pdu_begin(p, ISCSI_OP_LOGIN_REQ, true, fl);
	p->bhs[2] = 0;	/* VersionMax */
	p->bhs[3] = 0;	/* VersionMin */
	memcpy(p->bhs + 8, r->isid, 6);
	put16(p->bhs + 14, r->tsih);
	put32(p->bhs + 16, r->itt);
	put16(p->bhs + 20, r->cid);
	put32(p->bhs + 24, r->cmdsn);
	put32(p->bhs + 28, r->exp_statsn);
}

void
pdu_build_text_req(struct pdu *p, bool final, bool cont, uint32_t itt, uint32_t ttt,
    uint32_t cmdsn, uint32_t exp_statsn)
{
	pdu_begin(p, ISCSI_OP_TEXT_REQ, false,
	    (final ? ISCSI_FLAG_FINAL : 0) | (cont ? ISCSI_FLAG_TEXT_CONT : 0));
	put32(p->bhs + 16, itt);
	put32(p->bhs + 20, ttt);
	put32(p->bhs + 24, cmdsn);
	put32(p->bhs + 28, exp_statsn);
}

void
pdu_build_logout_req(struct pdu *p, enum iscsi_logout_reason reason, uint32_t itt,
    uint16_t cid, uint32_t cmdsn, uint32_t exp_statsn)
{
	pdu_begin(p, ISCSI_OP_LOGOUT_REQ, true, ISCSI_FLAG_FINAL | (reason & 0x7f));
	put32(p->bhs + 16, itt);
	put16(p->bhs + 20, cid);
	put32(p->bhs + 24, cmdsn);
	put32(p->bhs + 28, exp_statsn);
}

void
pdu_build_nop_out(struct pdu *p, uint32_t itt, uint32_t ttt, uint64_t lun,
    uint32_t cmdsn, uint32_t exp_statsn)
{
	/* A NOP-Out that answers a NOP-In (ITT reserved) is immediate. */
	pdu_begin(p, ISCSI_OP_NOP_OUT, itt == ISCSI_RSVD_TAG, ISCSI_FLAG_FINAL);
	put64(p->bhs + 8, lun);
	put32(p->bhs + 16, itt);
	put32(p->bhs + 20, ttt);
	put32(p->bhs + 24, cmdsn);
	put32(p->bhs + 28, exp_statsn);
}

void
pdu_build_scsi_cmd(struct pdu *p, uint8_t flags, uint64_t lun, uint32_t itt,
    uint32_t edtl, uint32_t cmdsn, uint32_t exp_statsn, const uint8_t *cdb, size_t cdb_len)
{
	pdu_begin(p, ISCSI_OP_SCSI_CMD, false, flags);
	put64(p->bhs + 8, lun);
	put32(p->bhs + 16, itt);
	put32(p->bhs + 20, edtl);
	put32(p->bhs + 24, cmdsn);
	put32(p->bhs + 28, exp_statsn);
	memcpy(p->bhs + 32, cdb, cdb_len > 16 ? 16 : cdb_len);
}

void
pdu_build_data_out(struct pdu *p, bool final, uint64_t lun, uint32_t itt, uint32_t ttt,
    uint32_t exp_statsn, uint32_t datasn, uint32_t offset)
{
	pdu_begin(p, ISCSI_OP_DATA_OUT, false, final ? ISCSI_FLAG_FINAL : 0);
	put64(p->bhs + 8, lun);
	put32(p->bhs + 16, itt);
	put32(p->bhs + 20, ttt);
	put32(p->bhs + 28, exp_statsn);
	put32(p->bhs + 36, datasn);
	put32(p->bhs + 40, offset);
}

void
pdu_build_tmf_req(struct pdu *p, uint8_t function, uint64_t lun, uint32_t itt,
    uint32_t ref_itt, uint32_t cmdsn, uint32_t exp_statsn)
{
	pdu_begin(p, ISCSI_OP_TMF_REQ, true, ISCSI_FLAG_FINAL | (function & 0x7f));
	put64(p->bhs + 8, lun);
	put32(p->bhs + 16, itt);
	put32(p->bhs + 20, ref_itt);
	put32(p->bhs + 24, cmdsn);
	put32(p->bhs + 28, exp_statsn);
}

void
pdu_build_snack(struct pdu *p, uint8_t type, uint64_t lun, uint32_t itt, uint32_t ttt,
    uint32_t exp_statsn, uint32_t begrun, uint32_t runlength)
{
	pdu_begin(p, ISCSI_OP_SNACK, false, ISCSI_FLAG_FINAL | (type & 0x0f));
	put64(p->bhs + 8, lun);
	put32(p->bhs + 16, itt);
	put32(p->bhs + 20, ttt);
	put32(p->bhs + 28, exp_statsn);
	put32(p->bhs + 40, begrun);
	put32(p->bhs + 44, runlength);
}

static uint32_t
pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

size_t
pdu_wire_len(const struct pdu *p, const struct pdu_digests *dg)
{
	size_t n = ISCSI_BHS_LEN + p->ahs_len;

	if (dg != NULL && dg->header)
		n += ISCSI_DIGEST_LEN;
	if (p->data_len > 0) {
		n += pad4(p->data_len);
		if (dg != NULL && dg->data)
			n += ISCSI_DIGEST_LEN;
	}
	return n;
}

static void
pdu_put_digest(uint8_t *b, uint32_t crc)
{
	/* The digest is sent least significant byte first (RFC 3720 B.4). */
	b[0] = crc;
	b[1] = crc >> 8;
	b[2] = crc >> 16;
	b[3] = crc >> 24;
}

size_t
pdu_encode(struct pdu *p, const struct pdu_digests *dg, uint8_t *buf, size_t cap)
{
	size_t need = pdu_wire_len(p, dg), off;

	if (p->ahs_len > ISCSI_AHS_MAX || (p->ahs_len & 3) != 0) {
		err_set(ISCSI_ERR_INVAL, "AHS length %u is not a multiple of 4 up to %u",
		    p->ahs_len, ISCSI_AHS_MAX);
		return 0;
	}
	if (p->data_len > ISCSI_DSL_FIELD_MAX) {
		err_set(ISCSI_ERR_INVAL, "data segment of %u bytes does not fit 24 bits",
		    p->data_len);
		return 0;
	}
	if (need > cap) {
		err_set(ISCSI_ERR_INVAL, "PDU needs %zu bytes, buffer has %zu", need, cap);
		return 0;
	}
	p->bhs[4] = (uint8_t)(p->ahs_len / 4);
	p->bhs[5] = (uint8_t)(p->data_len >> 16);
	p->bhs[6] = (uint8_t)(p->data_len >> 8);
	p->bhs[7] = (uint8_t)p->data_len;
	memcpy(buf, p->bhs, ISCSI_BHS_LEN);
	if (p->ahs_len > 0)
		memcpy(buf + ISCSI_BHS_LEN, p->ahs, p->ahs_len);
	off = ISCSI_BHS_LEN + p->ahs_len;
	if (dg != NULL && dg->header) {
		pdu_put_digest(buf + off, crc32c(0, buf, off));
		off += ISCSI_DIGEST_LEN;
	}
	if (p->data_len > 0) {
		size_t start = off;

		memcpy(buf + off, p->data, p->data_len);
		off += p->data_len;
		while (off & 3)
			buf[off++] = 0;
		if (dg != NULL && dg->data) {
			pdu_put_digest(buf + off, crc32c(0, buf + start, off - start));
			off += ISCSI_DIGEST_LEN;
		}
	}
	return off;
}

int
pdu_encode_alloc(struct pdu *p, const struct pdu_digests *dg, uint8_t **buf, size_t *len)
{
	size_t n = pdu_wire_len(p, dg);
	uint8_t *b = malloc(n);

	if (b == NULL)
		return err_set(ISCSI_ERR_NOMEM, "no memory for a %zu-byte PDU", n);
	if ((*len = pdu_encode(p, dg, b, n)) == 0) {
		free(b);
		return ISCSI_ERR_INVAL;
	}
	*buf = b;
	return ISCSI_OK;
}
