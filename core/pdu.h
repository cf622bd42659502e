/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iSCSI PDU codec (RFC 7143 §11): the 48-byte Basic Header Segment, AHS,
 * data padding to 4 bytes, CRC32C digests, builders for what an initiator
 * sends and an incremental receiver that checks every length before it
 * allocates.  Sans-I/O: bytes in, struct pdu out, and the reverse.
 */
#ifndef ISCSIKIT_PDU_H
#define ISCSIKIT_PDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISCSI_BHS_LEN		48
#define ISCSI_DIGEST_LEN	4
#define ISCSI_AHS_MAX		(255 * 4)	/* TotalAHSLength is one byte of words */
#define ISCSI_DSL_FIELD_MAX	0xffffffu	/* DataSegmentLength is 24 bits */
#define ISCSI_RSVD_TAG		0xffffffffu	/* reserved ITT/TTT value */
#define ISCSI_DEFAULT_MRDSL	8192		/* RFC 7143 §13.12; also the login-phase limit */

/* Opcodes (RFC 7143 §11.2.1.2).  Initiator opcodes 0x00-0x1f, target 0x20-0x3f. */
enum iscsi_opcode {
	ISCSI_OP_NOP_OUT	= 0x00,
	ISCSI_OP_SCSI_CMD	= 0x01,
	ISCSI_OP_TMF_REQ	= 0x02,
	ISCSI_OP_LOGIN_REQ	= 0x03,
	ISCSI_OP_TEXT_REQ	= 0x04,
	ISCSI_OP_DATA_OUT	= 0x05,
	ISCSI_OP_LOGOUT_REQ	= 0x06,
	ISCSI_OP_SNACK		= 0x10,
	ISCSI_OP_NOP_IN		= 0x20,
	ISCSI_OP_SCSI_RSP	= 0x21,
	ISCSI_OP_TMF_RSP	= 0x22,
	ISCSI_OP_LOGIN_RSP	= 0x23,
	ISCSI_OP_TEXT_RSP	= 0x24,
	ISCSI_OP_DATA_IN	= 0x25,
	ISCSI_OP_LOGOUT_RSP	= 0x26,
	ISCSI_OP_R2T		= 0x31,
	ISCSI_OP_ASYNC		= 0x32,
	ISCSI_OP_REJECT		= 0x3f,
};

/* Byte 0 and byte 1 flag bits. */
#define ISCSI_BHS_IMMEDIATE	0x40	/* byte 0: I bit (requests) */
#define ISCSI_BHS_OPCODE_MASK	0x3f
#define ISCSI_FLAG_FINAL	0x80	/* byte 1: F bit */
#define ISCSI_FLAG_TEXT_CONT	0x40	/* Text Req/Rsp: C bit */
#define ISCSI_FLAG_LOGIN_TRANSIT 0x80	/* Login Req/Rsp: T bit */
#define ISCSI_FLAG_LOGIN_CONT	0x40	/* Login Req/Rsp: C bit */
#define ISCSI_FLAG_CMD_READ	0x40	/* SCSI Command: R */
#define ISCSI_FLAG_CMD_WRITE	0x20	/* SCSI Command: W */

/* Login stages (CSG/NSG, RFC 7143 §11.12.3). */
enum iscsi_login_stage {
	ISCSI_STAGE_SECURITY	= 0,
	ISCSI_STAGE_OPERATIONAL	= 1,
	ISCSI_STAGE_FULL_FEATURE = 3,
};

/* Logout reason codes (RFC 7143 §11.14.1). */
enum iscsi_logout_reason {
	ISCSI_LOGOUT_CLOSE_SESSION	= 0,
	ISCSI_LOGOUT_CLOSE_CONNECTION	= 1,
	ISCSI_LOGOUT_REMOVE_FOR_RECOVERY = 2,
};

/**
 * struct pdu - one PDU, decoded.
 * @bhs:      the 48 header bytes exactly as on the wire; read and write them
 *            with the accessors below.  DataSegmentLength and TotalAHSLength
 *            in @bhs are kept equal to @data_len/@ahs_len by pdu_encode().
 * @ahs:      malloc'd AHS bytes or NULL (owned by the struct).
 * @ahs_len:  bytes of AHS, a multiple of 4, at most ISCSI_AHS_MAX.
 * @data:     malloc'd data segment without padding, or NULL (owned).
 * @data_len: bytes of data.
 * A zeroed struct pdu is a valid empty PDU; pdu_free() releases @ahs/@data.
 */
struct pdu {
	uint8_t		 bhs[ISCSI_BHS_LEN];
	uint8_t		*ahs;
	uint32_t	 ahs_len;
	uint8_t		*data;
	uint32_t	 data_len;
};

void pdu_free(struct pdu *p);
/* Copy @len bytes into a new data segment; 0 or ISCSI_ERR_NOMEM. */
int pdu_set_data(struct pdu *p, const void *data, uint32_t len);
/* Take ownership of a malloc'd buffer as the data segment (frees the old). */
void pdu_take_data(struct pdu *p, uint8_t *data, uint32_t len);

/* ---- field accessors (big-endian on the wire) ---- */
uint8_t  pdu_opcode(const struct pdu *p);		/* without the I bit */
bool     pdu_immediate(const struct pdu *p);
uint8_t  pdu_flags(const struct pdu *p);		/* byte 1 */
uint32_t pdu_itt(const struct pdu *p);			/* bytes 16-19 */
uint32_t pdu_ttt(const struct pdu *p);			/* bytes 20-23 (Text, R2T, NOP, Data) */
uint32_t pdu_statsn(const struct pdu *p);		/* bytes 24-27 (target PDUs) */
uint32_t pdu_expcmdsn(const struct pdu *p);		/* bytes 28-31 (target PDUs) */
uint32_t pdu_maxcmdsn(const struct pdu *p);		/* bytes 32-35 (target PDUs) */
uint32_t pdu_dsl(const struct pdu *p);			/* DataSegmentLength field */
uint32_t pdu_ahs_words(const struct pdu *p);		/* TotalAHSLength field */
const char *pdu_opcode_name(uint8_t opcode);		/* "Login Response", "unknown" */
/* Is @opcode one a target sends (accepted by the initiator's receiver)? */
bool     pdu_opcode_from_target(uint8_t opcode);

/* Login Response (RFC 7143 §11.13): status as class<<8 | detail. */
uint16_t pdu_login_status(const struct pdu *p);
uint16_t pdu_login_tsih(const struct pdu *p);
void     pdu_login_isid(const struct pdu *p, uint8_t isid[6]);
unsigned pdu_login_csg(const struct pdu *p);
unsigned pdu_login_nsg(const struct pdu *p);
uint8_t  pdu_login_version_active(const struct pdu *p);	/* byte 3 of the response */
/* Logout Response (§11.15): response code byte 2, Time2Wait, Time2Retain. */
uint8_t  pdu_logout_response(const struct pdu *p);
uint16_t pdu_logout_time2wait(const struct pdu *p);
uint16_t pdu_logout_time2retain(const struct pdu *p);
/* Reject (§11.17): reason byte 2; the rejected BHS is the data segment. */
uint8_t  pdu_reject_reason(const struct pdu *p);
/* Async Message (§11.9): AsyncEvent byte 36, AsyncVCode 37, Parameter1-3 bytes 38-43
 * (@n 1..3; 0 for another @n). */
uint8_t  pdu_async_event(const struct pdu *p);
uint8_t  pdu_async_vcode(const struct pdu *p);
uint16_t pdu_async_param(const struct pdu *p, unsigned n);
/* LUN, bytes 8-15 (NOP-In, Async, SCSI PDUs). */
uint64_t pdu_lun(const struct pdu *p);

/* ---- builders for what an initiator sends; they reset @p first ---- */

/**
 * struct pdu_login_req - the fields of a Login Request (RFC 7143 §11.12).
 * Keys go in the data segment (pdu_set_data after pdu_build_login_req).
 */
struct pdu_login_req {
	bool		transit;	/* T */
	bool		cont;		/* C */
	unsigned	csg, nsg;	/* enum iscsi_login_stage */
	uint8_t		isid[6];
	uint16_t	tsih;
	uint32_t	itt;
	uint16_t	cid;
	uint32_t	cmdsn;
	uint32_t	exp_statsn;
};
void pdu_build_login_req(struct pdu *p, const struct pdu_login_req *r);
/* Text Request (§11.10): F/C bits, ITT, TTT (ISCSI_RSVD_TAG for a new one). */
void pdu_build_text_req(struct pdu *p, bool final, bool cont, uint32_t itt, uint32_t ttt,
    uint32_t cmdsn, uint32_t exp_statsn);
/* Logout Request (§11.14), always immediate as open-iscsi sends it. */
void pdu_build_logout_req(struct pdu *p, enum iscsi_logout_reason reason, uint32_t itt,
    uint16_t cid, uint32_t cmdsn, uint32_t exp_statsn);
/* NOP-Out (§11.18): ITT ISCSI_RSVD_TAG and the target's TTT to answer a NOP-In. */
void pdu_build_nop_out(struct pdu *p, uint32_t itt, uint32_t ttt, uint64_t lun,
    uint32_t cmdsn, uint32_t exp_statsn);
/* SCSI Command (§11.3); @cdb up to 16 bytes (longer CDBs need an AHS). */
void pdu_build_scsi_cmd(struct pdu *p, uint8_t flags, uint64_t lun, uint32_t itt,
    uint32_t edtl, uint32_t cmdsn, uint32_t exp_statsn, const uint8_t *cdb, size_t cdb_len);
/* SCSI Data-Out (§11.7). */
void pdu_build_data_out(struct pdu *p, bool final, uint64_t lun, uint32_t itt, uint32_t ttt,
    uint32_t exp_statsn, uint32_t datasn, uint32_t offset);
/* Task Management Function Request (§11.5). */
void pdu_build_tmf_req(struct pdu *p, uint8_t function, uint64_t lun, uint32_t itt,
    uint32_t ref_itt, uint32_t cmdsn, uint32_t exp_statsn);
/* SNACK Request (§11.16). */
void pdu_build_snack(struct pdu *p, uint8_t type, uint64_t lun, uint32_t itt, uint32_t ttt,
    uint32_t exp_statsn, uint32_t begrun, uint32_t runlength);

/* ---- encoding ---- */

/* Digest settings of one direction of a connection (negotiated in login). */
struct pdu_digests {
	bool	header;		/* HeaderDigest=CRC32C */
	bool	data;		/* DataDigest=CRC32C */
};

/* Bytes pdu_encode() writes for @p. */
size_t pdu_wire_len(const struct pdu *p, const struct pdu_digests *dg);
/*
 * Serialise @p into @buf (@cap bytes): fixes DataSegmentLength and
 * TotalAHSLength from @p's lengths, pads to 4, appends digests.  Returns the
 * byte count, or 0 with an err_set() detail if @cap is too small or a length
 * does not fit its field.
 */
size_t pdu_encode(struct pdu *p, const struct pdu_digests *dg, uint8_t *buf, size_t cap);
/* Same into a malloc'd buffer; 0 or an enum iscsi_err. */
int pdu_encode_alloc(struct pdu *p, const struct pdu_digests *dg, uint8_t **buf, size_t *len);

/* ---- incremental receiver ---- */

enum pdu_rx_status {
	PDU_RX_MORE	= 0,	/* consumed everything offered; feed more */
	PDU_RX_PDU	= 1,	/* one PDU complete in *out; may not have consumed all */
	PDU_RX_ERROR	= 2,	/* protocol error; pdu_rx_error() has the code; stop */
};

/**
 * struct pdu_rx - reassembles PDUs from a byte stream.  Treat as opaque;
 * it is in the header so drivers can embed it.  Limits are checked when
 * the BHS is complete, before any allocation:
 *   DataSegmentLength <= max_dsl (our declared MaxRecvDataSegmentLength;
 *   ISCSI_DEFAULT_MRDSL during login), TotalAHSLength*4 <= ahs_max,
 *   the opcode is one a target sends.
 */
struct pdu_rx {
	uint32_t		max_dsl;
	uint32_t		ahs_max;
	struct pdu_digests	dg;
	/* private */
	int			st;
	size_t			have;		/* bytes of the current part received */
	uint8_t			hdr[ISCSI_BHS_LEN + ISCSI_AHS_MAX + ISCSI_DIGEST_LEN];
	uint8_t			tail[ISCSI_DIGEST_LEN];
	struct pdu		cur;
	uint32_t		padded;		/* data bytes incl. padding */
	int			err;
};

void pdu_rx_init(struct pdu_rx *rx, uint32_t max_dsl);
/* Change limits/digests between PDUs (after login, per negotiated values). */
void pdu_rx_set_max_dsl(struct pdu_rx *rx, uint32_t max_dsl);
void pdu_rx_set_digests(struct pdu_rx *rx, const struct pdu_digests *dg);
/* Bytes still needed to finish the current part (BHS, AHS, data, digest); >= 1. */
size_t pdu_rx_need(const struct pdu_rx *rx);
/*
 * Offer @len bytes.  *@used is set to the bytes consumed (<= @len).  On
 * PDU_RX_PDU *@out receives the PDU (caller owns and pdu_free()s it) and the
 * receiver is ready for the next one; unconsumed bytes must be offered
 * again.  On PDU_RX_ERROR the connection must be dropped.
 */
enum pdu_rx_status pdu_rx_feed(struct pdu_rx *rx, const uint8_t *buf, size_t len,
    size_t *used, struct pdu *out);
/* The enum iscsi_err of the last PDU_RX_ERROR (detail via err_detail()). */
int pdu_rx_error(const struct pdu_rx *rx);
/* Release a partially received PDU. */
void pdu_rx_reset(struct pdu_rx *rx);

#endif
