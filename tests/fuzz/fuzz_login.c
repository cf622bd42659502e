// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the login state machine fed arbitrary Login Responses
 * (48-byte header + length-prefixed data), with CHAP or not; it must end
 * in a verdict without crashing or leaking, whatever the peer says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "login.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct login_cfg cfg;
	struct login_out out;
	struct login_ctx *ctx;
	enum login_verdict v;
	size_t off = 1;

	if (size < 1)
		return 0;
	log_set_level(0);
	login_cfg_init(&cfg, (data[0] & 1) ? LOGIN_SESSION_DISCOVERY : LOGIN_SESSION_NORMAL);
	cfg.lc_initiator_name = "iqn.2024-01.org.example:fuzz";
	cfg.lc_target_name = "iqn.2024-01.org.example:t";
	if (data[0] & 2) {
		cfg.lc_auth = LOGIN_AUTH_CHAP;
		cfg.lc_chap.username = "u";
		cfg.lc_chap.password = "secret";
		if (data[0] & 4) {
			cfg.lc_chap.username_in = "t";
			cfg.lc_chap.password_in = "secret-in";
		}
	}
	ctx = login_new();
	v = login_start(ctx, &cfg, &out);
	while (v == LOGIN_SEND && off + 50 <= size) {
		struct pdu rsp;
		size_t len = (size_t)data[off + 48] << 8 | data[off + 49];

		pdu_free(&out.lo_pdu);
		memset(&rsp, 0, sizeof(rsp));
		memcpy(rsp.bhs, data + off, 48);
		rsp.bhs[0] = (rsp.bhs[0] & 0x80) ? rsp.bhs[0] & 0x3f : 0x23;
		memset(rsp.bhs + 16, 0, 4);	/* our ITT */
		if (!(rsp.bhs[0] & 0x40))
			memcpy(rsp.bhs + 8, cfg.lc_isid, 6);	/* and ISID, mostly */
		off += 50;
		if (len > size - off)
			len = size - off;
		if (len > 0) {
			rsp.data = malloc(len);
			memcpy(rsp.data, data + off, len);
			rsp.data_len = (uint32_t)len;
		}
		off += len;
		v = login_input(ctx, &rsp, &out);
		pdu_free(&rsp);
	}
	pdu_free(&out.lo_pdu);
	if (v == LOGIN_FAIL && (out.lo_err <= 0 || out.lo_msg[0] == '\0'))
		abort();
	login_free(ctx);
	return 0;
}
