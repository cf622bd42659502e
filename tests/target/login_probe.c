// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * login_probe: a normal-session login to full feature phase and a Logout,
 * all from the protocol engine over a plain socket (conn_io), for the
 * tgtd tests.  Not a tool for users: no SCSI, no kernel, one connection.
 *   login_probe HOST PORT TARGET [USER SECRET [USER_IN SECRET_IN]] [ALGS]
 * Prints the negotiated parameters; exit status is the enum iscsi_err.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/errors.h>
#include "conn_io.h"
#include "err.h"
#include "keys.h"
#include "log.h"
#include "login.h"

static int
probe_cfg(struct login_cfg *cfg, int argc, char **argv)
{
	static const uint8_t isid[6] = { 0x00, 0x02, 0x3d, 0x00, 0x00, 0x01 };
	const char *algs = getenv("PROBE_CHAP_ALGS");

	login_cfg_init(cfg, LOGIN_SESSION_NORMAL);
	cfg->lc_initiator_name = "iqn.2024-01.org.example:probe";
	cfg->lc_target_name = argv[3];
	memcpy(cfg->lc_isid, isid, sizeof(isid));
	cfg->lc_cmdsn = 1;
	cfg->lc_login_timeout = 5;
	cfg->lc_auth_timeout = 5;
	cfg->lc_emit = KEYS_EMIT_OPENISCSI;
	if (argc < 6)
		return ISCSI_OK;
	cfg->lc_auth = LOGIN_AUTH_CHAP;
	cfg->lc_chap.username = argv[4];
	cfg->lc_chap.password = argv[5];
	if (argc >= 8) {
		cfg->lc_chap.username_in = argv[6];
		cfg->lc_chap.password_in = argv[7];
	}
	return chap_parse_algs(algs != NULL ? algs : "MD5", cfg->lc_chap.algs,
	    &cfg->lc_chap.nalgs);
}

int
main(int argc, char **argv)
{
	struct conn_io c;
	struct login_cfg cfg;
	struct login_out out;
	struct login_ctx *ctx;
	const char *d;
	int rc;

	log_init("login_probe", LOG_TO_STDERR);
	if (argc < 4) {
		fprintf(stderr, "usage: login_probe HOST PORT TARGET [USER SECRET [USER_IN SECRET_IN]]\n");
		return ISCSI_ERR_INVAL;
	}
	if ((rc = probe_cfg(&cfg, argc, argv)) != ISCSI_OK || (ctx = login_new()) == NULL)
		return rc != ISCSI_OK ? rc : ISCSI_ERR_NOMEM;
	conn_io_init(&c);
	memset(&out, 0, sizeof(out));
	rc = conn_io_connect(&c, argv[1], (uint16_t)atoi(argv[2]), NULL, 5000);
	if (rc == ISCSI_OK)
		rc = conn_io_login(&c, ctx, &cfg, &out);
	if (rc == ISCSI_OK) {
		printf("full feature phase: tsih=%u chap_alg=%d MaxXmitDataSegmentLength=%u "
		    "InitialR2T=%u ImmediateData=%u FirstBurstLength=%u MaxBurstLength=%u\n",
		    out.lo_tsih, out.lo_chap_alg, out.lo_params.max_xmit_dsl,
		    out.lo_params.initial_r2t, out.lo_params.immediate_data,
		    out.lo_params.first_burst, out.lo_params.max_burst);
		rc = conn_io_logout(&c, 0x1000, out.lo_cmdsn, out.lo_exp_statsn, 5000);
		if (rc == ISCSI_OK)
			printf("logout ok\n");
	}
	if (rc != ISCSI_OK && (d = err_detail(rc)) != NULL)
		log_warnx("%s", d);
	conn_io_close(&c);
	login_free(ctx);
	return rc;
}
