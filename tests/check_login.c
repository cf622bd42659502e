// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Login engine driven by transcripts: the tgtd captures rewritten in
 * tests/data/proto (format in its README), plus inline hostile ones, the
 * status table, redirects and redirect loops.
 */
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "err.h"
#include "login.h"
#include "proto_util.h"

struct script {
	struct login_cfg	 cfg;
	char			 strs[24][256];	/* storage for cfg strings */
	struct login_ctx	*ctx;
	struct login_out	 out;
	enum login_verdict	 v;
	char			 my_i[8], my_c[160];	/* CHAP_I/CHAP_C we sent */
	int			 line;
};

static void
hexbytes(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

static void
cfg_line(struct script *s, char *args)
{
	char *tok, *save = NULL;
	int nstr = 0;

	login_cfg_init(&s->cfg, strstr(args, "type=discovery") ? LOGIN_SESSION_DISCOVERY :
	    LOGIN_SESSION_NORMAL);
	for (tok = strtok_r(args, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *v = strchr(tok, '=') + 1, *str = s->strs[nstr++ % 24];

		snprintf(str, 256, "%s", v);
		if (!strncmp(tok, "initiator=", 10)) s->cfg.lc_initiator_name = str;
		else if (!strncmp(tok, "target=", 7)) s->cfg.lc_target_name = str;
		else if (!strncmp(tok, "itt=", 4)) s->cfg.lc_itt = (uint32_t)strtoul(v, NULL, 0);
		else if (!strncmp(tok, "cmdsn=", 6)) s->cfg.lc_cmdsn = (uint32_t)strtoul(v, NULL, 0);
		else if (!strncmp(tok, "expstatsn=", 10))
			s->cfg.lc_exp_statsn = (uint32_t)strtoul(v, NULL, 0);
		else if (!strncmp(tok, "isid=", 5)) hexbytes(v, s->cfg.lc_isid, 6);
		else if (!strncmp(tok, "auth=", 5)) s->cfg.lc_auth = LOGIN_AUTH_CHAP;
		else if (!strncmp(tok, "user=", 5)) s->cfg.lc_chap.username = str;
		else if (!strncmp(tok, "secret=", 7)) s->cfg.lc_chap.password = str;
		else if (!strncmp(tok, "user_in=", 8)) s->cfg.lc_chap.username_in = str;
		else if (!strncmp(tok, "secret_in=", 10)) s->cfg.lc_chap.password_in = str;
		else if (!strncmp(tok, "algs=", 5))
			ck_assert_int_eq(chap_parse_algs(v, s->cfg.lc_chap.algs,
			    &s->cfg.lc_chap.nalgs), 0);
		else if (!strncmp(tok, "redirects=", 10))
			s->cfg.lc_max_redirects = (unsigned)atoi(v);
	}
	s->ctx = login_new();
	s->v = login_start(s->ctx, &s->cfg, &s->out);
}

/* "> T=1 CSG=0 NSG=1 | k=v ...": check the request we were given. */
static void
req_line(struct script *s, char *args)
{
	struct pdu *p = &s->out.lo_pdu;
	char *bar = strchr(args, '|'), got[4096], want[4096];
	unsigned t, csg, nsg;

	ck_assert_msg(s->v == LOGIN_SEND, "line %d: verdict %d, expected a request (%s)",
	    s->line, s->v, s->out.lo_msg);
	ck_assert_int_eq(sscanf(args, " T=%u CSG=%u NSG=%u", &t, &csg, &nsg), 3);
	ck_assert_uint_eq(pdu_opcode(p), ISCSI_OP_LOGIN_REQ);
	ck_assert(pdu_immediate(p));
	ck_assert_uint_eq(!!(pdu_flags(p) & ISCSI_FLAG_LOGIN_TRANSIT), t);
	ck_assert_uint_eq(pdu_login_csg(p), csg);
	ck_assert_uint_eq(pdu_login_nsg(p), nsg);
	ck_assert_uint_eq(pdu_itt(p), s->cfg.lc_itt);
	pu_spaced(p->data, p->data_len, got, sizeof(got));
	snprintf(want, sizeof(want), "%s", bar + 1 + (bar[1] == ' '));
	/* Remember our CHAP_I/CHAP_C for a computed mutual answer. */
	char *i = strstr(got, "CHAP_I="), *c = strstr(got, "CHAP_C=");
	if (i) sscanf(i + 7, "%7[^ ]", s->my_i);
	if (c) sscanf(c + 7, "%159[^ ]", s->my_c);
	if (strcmp(want, "*") != 0) {
		/* k=* matches any value: blank both sides' values out. */
		for (char *w = strstr(want, "=*"); w; w = strstr(w + 1, "=*")) {
			char key[64], *gk;

			sscanf(w - 6, "%6s", key);
			key[6] = '\0';
			if ((gk = strstr(got, key)) != NULL) {
				/* the tail is saved first: a one-character value
				 * (CHAP_I=7) ends where the "*" and NUL go */
				char *e = strchr(gk, ' '), tail[4096];

				snprintf(tail, sizeof(tail), "%s", e ? e : "");
				snprintf(gk + 7, sizeof(got) - (size_t)(gk + 7 - got), "*%s", tail);
			}
		}
		ck_assert_msg(strcmp(got, want) == 0, "line %d: sent\n  %s\nexpected\n  %s",
		    s->line, got, want);
	}
	pdu_free(p);
}

static void
mutual_answer(struct script *s, char *text, size_t cap)
{
	char *at = strstr(text, "@mutual"), hex[80];
	uint8_t chal[64], dig[64];
	size_t clen, dlen;

	if (at == NULL)
		return;
	ck_assert_int_eq(chap_decode(s->my_c, strlen(s->my_c), chal, sizeof(chal), &clen), 0);
	ck_assert_int_eq(chap_compute(s->cfg.lc_chap.algs[0], (uint8_t)atoi(s->my_i),
	    s->cfg.lc_chap.password_in, strlen(s->cfg.lc_chap.password_in), chal, clen, dig,
	    &dlen), 0);
	chap_encode_hex(dig, dlen, hex, sizeof(hex));
	snprintf(at, cap - (size_t)(at - text), "%s", hex);
}

/* "< field=value ... | keys": build and feed a Login Response. */
static void
rsp_line(struct script *s, char *args)
{
	struct pdu p;
	char *bar = strchr(args, '|'), text[8192], *tok, *save = NULL;
	unsigned t = 0, c = 0, csg = 0, nsg = 0, status = 0, tsih = 0, va = 0;
	unsigned op = ISCSI_OP_LOGIN_RSP;
	uint32_t statsn = 0, expcmdsn = 0, maxcmdsn = 0, itt = s->cfg.lc_itt;
	uint8_t isid[6];

	memcpy(isid, s->cfg.lc_isid, 6);
	snprintf(text, sizeof(text), "%s", bar ? bar + 1 + (bar[1] == ' ') : "");
	if (bar) *bar = '\0';
	for (tok = strtok_r(args, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		unsigned long v = strtoul(strchr(tok, '=') + 1, NULL, 0);

		if (!strncmp(tok, "T=", 2)) t = (unsigned)v;
		else if (!strncmp(tok, "C=", 2)) c = (unsigned)v;
		else if (!strncmp(tok, "CSG=", 4)) csg = (unsigned)v;
		else if (!strncmp(tok, "NSG=", 4)) nsg = (unsigned)v;
		else if (!strncmp(tok, "TSIH=", 5)) tsih = (unsigned)v;
		else if (!strncmp(tok, "StatSN=", 7)) statsn = (uint32_t)v;
		else if (!strncmp(tok, "ExpCmdSN=", 9)) expcmdsn = (uint32_t)v;
		else if (!strncmp(tok, "MaxCmdSN=", 9)) maxcmdsn = (uint32_t)v;
		else if (!strncmp(tok, "Status=", 7)) status = (unsigned)v;
		else if (!strncmp(tok, "ITT=", 4)) itt = (uint32_t)v;
		else if (!strncmp(tok, "VA=", 3)) va = (unsigned)v;
		else if (!strncmp(tok, "op=", 3)) op = (unsigned)v;
		else if (!strncmp(tok, "ISID=", 5)) hexbytes(strchr(tok, '=') + 1, isid, 6);
	}
	mutual_answer(s, text, sizeof(text));
	pu_rsp(&p, (uint8_t)op, (uint8_t)((t << 7) | (c << 6) | (csg << 2) | nsg), itt, 0,
	    statsn, expcmdsn, maxcmdsn);
	p.bhs[3] = (uint8_t)va;
	memcpy(p.bhs + 8, isid, 6);
	p.bhs[14] = (uint8_t)(tsih >> 8);
	p.bhs[15] = (uint8_t)tsih;
	p.bhs[36] = (uint8_t)(status >> 8);
	p.bhs[37] = (uint8_t)status;
	/* A trailing '~' cuts the text mid-key: no final NUL (C=1 tests). */
	size_t tl = strlen(text);
	bool cut = tl > 0 && text[tl - 1] == '~';
	if (cut)
		text[tl - 1] = '\0';
	pu_data(&p, text);
	if (cut && p.data_len > 0)
		p.data_len--;
	s->v = login_input(s->ctx, &p, &s->out);
	pdu_free(&p);
}

static void
result_line(struct script *s, char *args)
{
	char what[16] = "", extra[300] = "";
	int err = 0;

	sscanf(args, " %15s %299[^\n]", what, extra);
	if (!strcmp(what, "done")) {
		ck_assert_msg(s->v == LOGIN_DONE, "line %d: verdict %d (%s)", s->line, s->v,
		    s->out.lo_msg);
	} else if (!strcmp(what, "fail")) {
		ck_assert_msg(s->v == LOGIN_FAIL, "line %d: verdict %d", s->line, s->v);
		sscanf(extra, "%d", &err);
		ck_assert_msg(s->out.lo_err == err, "line %d: error %d (%s), expected %d", s->line,
		    s->out.lo_err, s->out.lo_msg, err);
		ck_assert_int_eq(s->out.lo_md5_fallback, strstr(extra, "md5") != NULL);
	} else {
		ck_assert_int_eq(s->v, LOGIN_REDIRECT);
		ck_assert_str_eq(s->out.lo_redirect, extra);
	}
}

static void
expect_line(struct script *s, char *args)
{
	const struct login_out *o = &s->out;
	const struct { const char *name; uint32_t val; } f[] = {
		{ "tpgt", o->lo_params.tpgt }, { "initial_r2t", o->lo_params.initial_r2t },
		{ "immediate_data", o->lo_params.immediate_data },
		{ "first_burst", o->lo_params.first_burst }, { "max_burst", o->lo_params.max_burst },
		{ "max_xmit_dsl", o->lo_params.max_xmit_dsl },
		{ "max_recv_dsl", o->lo_params.max_recv_dsl }, { "tsih", o->lo_tsih },
		{ "exp_statsn", o->lo_exp_statsn }, { "cmdsn", o->lo_cmdsn },
		{ "max_cmdsn", o->lo_max_cmdsn }, { "chap_alg", (uint32_t)o->lo_chap_alg },
	};
	char *tok, *save = NULL;

	for (tok = strtok_r(args, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t nl = (size_t)(strchr(tok, '=') - tok), i;

		for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if (strlen(f[i].name) == nl && !strncmp(tok, f[i].name, nl))
				break;
		ck_assert_msg(i < sizeof(f) / sizeof(f[0]), "unknown expect field %s", tok);
		ck_assert_msg(f[i].val == strtoul(tok + nl + 1, NULL, 0), "%s is %u", tok, f[i].val);
	}
}

static void
run_script(const char *text)
{
	struct script *s = calloc(1, sizeof(*s));
	char *copy = strdup(text), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		s->line++;
		if (!strncmp(line, "cfg ", 4)) cfg_line(s, line + 4);
		else if (line[0] == '>') req_line(s, line + 1);
		else if (line[0] == '<') rsp_line(s, line + 1);
		else if (line[0] == '=') result_line(s, line + 1);
		else if (!strncmp(line, "expect ", 7)) expect_line(s, line + 7);
	}
	pdu_free(&s->out.lo_pdu);
	login_free(s->ctx);
	free(copy);
	free(s);
}

static const char *const transcripts[] = {
	"discovery_plain.txt", "normal_plain.txt", "discovery_chap_sha256_rejected.txt",
	"discovery_chap_md5.txt", "normal_mutual_chap.txt", "normal_mutual_chap_wrong.txt",
};

START_TEST(test_login_tgtd_transcripts)
{
	const char *top = getenv("top_srcdir"), *dir = getenv("PROTO_TRANSCRIPTS");
	char path[1024], *buf;
	FILE *f;
	long n;

	/* PROTO_TRANSCRIPTS: a directory from tests/target/record-transcripts.sh */
	if (dir != NULL && dir[0] != '\0')
		snprintf(path, sizeof(path), "%s/%s", dir, transcripts[_i]);
	else
		snprintf(path, sizeof(path), "%s/tests/data/proto/%s", top ? top : ".",
		    transcripts[_i]);
	ck_assert_msg((f = fopen(path, "r")) != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	run_script(buf);
	free(buf);
}
END_TEST

#define DISC "cfg type=discovery initiator=iqn.2024-01.org.example:i itt=7\n> T=1 CSG=1 NSG=3 | *\n"
#define CHAP "cfg type=discovery initiator=iqn.2024-01.org.example:i itt=7 auth=chap user=u " \
	"secret=p algs=MD5\n> T=1 CSG=0 NSG=1 | *\n"
#define OK13 "T=1 CSG=1 NSG=3 TSIH=1"

/* Hostile or broken targets: each ends in a clear error and exit code. */
static const struct { const char *script; } hostile[] = {
	{ DISC "< op=0x24 " OK13 " |\n= fail 4\n" },				/* Text Rsp */
	{ DISC "< op=0x3f " OK13 " |\n= fail 19\n" },				/* Reject */
	/* NOP-In and Async Messages belong to full feature phase, not to a login */
	{ DISC "< op=0x20 ITT=0xffffffff |\n= fail 4\n" },			/* NOP-In */
	{ DISC "< op=0x32 ITT=0xffffffff |\n= fail 4\n" },			/* Async */
	{ DISC "< T=0 CSG=1 | TargetPortalGroupTag=1\n> T=1 CSG=1 NSG=3 |\n"
	       "< op=0x20 ITT=0xffffffff |\n= fail 4\n" },			/* between */
	{ DISC "< ITT=8 " OK13 " |\n= fail 4\n" },
	{ DISC "< ISID=000000000001 " OK13 " |\n= fail 4\n" },
	{ DISC "< T=1 C=1 CSG=1 NSG=3 |\n= fail 19\n" },
	{ DISC "< T=1 CSG=0 NSG=1 |\n= fail 19\n" },				/* wrong CSG */
	{ DISC "< T=1 CSG=1 NSG=2 |\n= fail 19\n" },				/* NSG not asked */
	{ DISC "< VA=1 " OK13 " |\n= fail 19\n" },
	{ DISC "< T=1 CSG=1 NSG=3 TSIH=0 |\n= fail 19\n" },
	{ DISC "< " OK13 " | HeaderDigest=None HeaderDigest=None\n= fail 19\n" },
	{ DISC "< " OK13 " | TargetPortalGroupTag=1 TargetPortalGroupTag=1\n= fail 19\n" },
	{ DISC "< T=0 CSG=1 | HeaderDigest=None\n> T=1 CSG=1 NSG=3 |\n"
	       "< " OK13 " | HeaderDigest=None\n= fail 19\n" },			/* conflicting */
	{ DISC "< T=0 CSG=1 | TargetPortalGroupTag=1\n> T=1 CSG=1 NSG=3 |\n"
	       "< " OK13 " | TargetPortalGroupTag=2\n= fail 19\n" },
	{ DISC "< " OK13 " | HeaderDigest\n= fail 19\n" },			/* truncated */
	{ DISC "< " OK13 " | ErrorRecoveryLevel=2\n= fail 19\n" },
	{ DISC "< " OK13 " | InitiatorName=x\n= fail 19\n" },
	{ DISC "< Status=0x0201 |\n= fail 24\n" },
	{ DISC "< Status=0x0202 |\n= fail 24\n" },
	{ DISC "< Status=0x0203 |\n= fail 19\n" },
	{ DISC "< Status=0x0301 |\n= fail 5\n" },
	{ DISC "< Status=0x0400 |\n= fail 19\n" },
	{ DISC "< Status=0x0101 |\n= fail 19\n" },				/* no address */
	{ DISC "< Status=0x0101 | TargetAddress=10.0.0.2:3260,1 TargetAddress=x\n= fail 19\n" },
	{ DISC "< Status=0x0101 | TargetAddress=10.0.0.2\001:3260\n= fail 19\n" },
	{ DISC "< Status=0x0101 | TargetAddress=[fe80::1%eth0]:3261,2\n"
	       "= redirect [fe80::1%eth0]:3261,2\n" },
	/* C=1: the engine asks for the rest, then applies the joined text. */
	{ DISC "< C=1 CSG=1 | TargetPortalGroupTag=1 HeaderDi~\n> T=1 CSG=1 NSG=3 |\n"
	       "< " OK13 " | gest=None\n= done\nexpect tpgt=1\n" },
	/* Target-offered key answered on the next PDU before transit. */
	{ DISC "< T=0 CSG=1 | X-vendor=1\n> T=1 CSG=1 NSG=3 | X-vendor=NotUnderstood\n"
	       "< " OK13 " |\n= done\n" },
	/* Security: CHAP refused by a target that insists on None while we
	 * have credentials but no mutual: allowed (reference). */
	{ CHAP "< T=1 CSG=0 NSG=1 | AuthMethod=None\n> T=1 CSG=1 NSG=3 | *\n< " OK13 " |\n"
	       "= done\n" },
	{ CHAP "< T=0 CSG=0 | AuthMethod=KRB5\n= fail 24\n" },
	{ CHAP "< T=0 CSG=0 | AuthMethod=CHAP\n> T=0 CSG=0 NSG=0 | CHAP_A=5\n"
	       "< T=1 CSG=0 NSG=1 |\n= fail 19\n" },				/* skipped CHAP */
	{ CHAP "< T=0 CSG=0 | AuthMethod=CHAP\n> T=0 CSG=0 NSG=0 | CHAP_A=5\n"
	       "< T=0 CSG=0 | CHAP_A=6 CHAP_I=1 CHAP_C=0x000102030405060708090a0b0c0d0e0f\n"
	       "= fail 24\n" },
	{ CHAP "< T=0 CSG=0 | AuthMethod=CHAP\n> T=0 CSG=0 NSG=0 | CHAP_A=5\n"
	       "< T=0 CSG=0 | CHAP_A=5 CHAP_I=1 CHAP_C=0x01 CHAP_C=0x02\n= fail 24\n" },
	{ CHAP "< T=0 CSG=0 | AuthMethod=CHAP\n> T=0 CSG=0 NSG=0 | CHAP_A=5\n"
	       "< T=0 CSG=0 | CHAP_A=5 CHAP_I=1 CHAP_C=0x000102030405060708090a0b0c0d0e0f\n"
	       "> T=1 CSG=0 NSG=1 | *\n< T=1 CSG=0 NSG=1 | CHAP_N=t CHAP_R=0x00\n= fail 24\n" },
	/* tgtd refusing CHAP_A=6 outright (baselines §6): MD5 retry advised. */
	{ "cfg type=discovery initiator=iqn.2024-01.org.example:i itt=7 auth=chap user=u "
	  "secret=p algs=SHA1\n> T=1 CSG=0 NSG=1 | *\n< T=0 CSG=0 | AuthMethod=CHAP\n"
	  "> T=0 CSG=0 NSG=0 | CHAP_A=6\n< Status=0x0200 |\n= fail 19 md5\n" },
	/* MD5 answer rejected: no fallback advice (already MD5). */
	{ CHAP "< T=0 CSG=0 | AuthMethod=CHAP\n> T=0 CSG=0 NSG=0 | CHAP_A=5\n"
	       "< T=0 CSG=0 | CHAP_A=5 CHAP_I=1 CHAP_C=0x000102030405060708090a0b0c0d0e0f\n"
	       "> T=1 CSG=0 NSG=1 | *\n< Status=0x0201 |\n= fail 24\n" },
};

START_TEST(test_login_hostile_targets)
{
	run_script(hostile[_i].script);
}
END_TEST

/* A target that redirects forever: followed up to the cap, then 19. */
START_TEST(test_login_redirect_loop)
{
	struct login_cfg cfg;
	struct login_out out;
	struct login_ctx *ctx = login_new();
	struct pdu rsp;
	unsigned n = 0;

	login_cfg_init(&cfg, LOGIN_SESSION_NORMAL);
	cfg.lc_initiator_name = "iqn.2024-01.org.example:i";
	cfg.lc_target_name = "iqn.2024-01.org.example:t";
	cfg.lc_max_redirects = 3;
	for (;;) {
		ck_assert_int_eq(login_start(ctx, &cfg, &out), LOGIN_SEND);
		pdu_free(&out.lo_pdu);
		pu_rsp(&rsp, ISCSI_OP_LOGIN_RSP, 0, 0, 0, 0, 1, 1);
		rsp.bhs[36] = 1;
		rsp.bhs[37] = (uint8_t)(1 + (n & 1));	/* temporary, permanent, ... */
		pu_data(&rsp, "TargetAddress=192.0.2.1:3260,1");
		if (login_input(ctx, &rsp, &out) != LOGIN_REDIRECT) {
			pdu_free(&rsp);
			break;
		}
		ck_assert_int_eq(out.lo_redirect_permanent, n & 1);
		ck_assert_str_eq(out.lo_redirect, "192.0.2.1:3260,1");
		pdu_free(&rsp);
		n++;
	}
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(login_redirects(ctx), 4);
	ck_assert_int_eq(out.lo_err, ISCSI_ERR_FATAL_LOGIN);
	ck_assert_ptr_nonnull(strstr(out.lo_msg, "redirect"));
	login_free(ctx);
}
END_TEST

/* A target that never transits, or sends text forever, or sends more than
 * LOGIN_TEXT_MAX of it, is cut off. */
START_TEST(test_login_endless_target)
{
	struct script *s = calloc(1, sizeof(*s));
	char cfg[] = "type=discovery initiator=iqn.2024-01.org.example:i itt=7";
	int i;

	cfg_line(s, cfg);
	for (i = 0; i < 200 && s->v == LOGIN_SEND; i++) {
		char r[] = " T=0 C=1 CSG=1 | X-pad=0123456789012345678901234567890123456789";
		static char big[8100];

		memcpy(big, " T=0 C=1 CSG=1 | X-pad=", 23);	/* rsp_line cuts it up */
		memset(big + 23, 'a', sizeof(big) - 24);
		pdu_free(&s->out.lo_pdu);
		rsp_line(s, _i == 2 ? big : _i ? r : (char[]){ " T=0 CSG=1 |" });
	}
	ck_assert_int_eq(s->v, LOGIN_FAIL);
	ck_assert_int_eq(s->out.lo_err, ISCSI_ERR_FATAL_LOGIN);
	ck_assert_msg(strstr(s->out.lo_msg, _i == 2 ? "exceeds 65536" : "exchanges") != NULL, "%s",
	    s->out.lo_msg);
	ck_assert_int_lt(i, _i == 2 ? 10 : 100);
	login_free(s->ctx);
	free(s);
}
END_TEST

/* Our own text over 8192 bytes goes out in C=1 parts (RFC 7143 §11.12.2);
 * variant 1: a target that answers a part with data is refused. */
START_TEST(test_login_long_request_split)
{
	static char alias[9000];
	struct script *s = calloc(1, sizeof(*s));
	char cfg[] = "type=discovery initiator=iqn.2024-01.org.example:i itt=7";
	char ack[] = " T=0 CSG=1 |", bad[] = " T=0 CSG=1 | X-a=b";
	struct pdu *p = &s->out.lo_pdu;
	size_t total;

	memset(alias, 'a', sizeof(alias) - 1);
	cfg_line(s, cfg);
	pdu_free(p);
	s->cfg.lc_initiator_alias = alias;
	s->v = login_start(s->ctx, &s->cfg, &s->out);
	ck_assert_int_eq(s->v, LOGIN_SEND);
	ck_assert_uint_eq(pdu_flags(p), ISCSI_FLAG_LOGIN_CONT | (1 << 2));	/* C=1 T=0 CSG=1 */
	ck_assert_uint_eq(p->data_len, 8192);
	total = p->data_len;
	pdu_free(p);
	rsp_line(s, _i ? bad : ack);
	if (_i) {
		ck_assert_int_eq(s->v, LOGIN_FAIL);
		ck_assert_ptr_nonnull(strstr(s->out.lo_msg, "partial"));
	} else {
		ck_assert_int_eq(s->v, LOGIN_SEND);
		ck_assert_uint_eq(pdu_flags(p), 0x87);	/* T=1 CSG=1 NSG=3, C=0 */
		total += p->data_len;
		ck_assert_uint_gt(total, 9000);
		ck_assert_uint_eq(p->data[p->data_len - 1], '\0');
		pdu_free(p);
	}
	login_free(s->ctx);
	free(s);
}
END_TEST

static const struct { uint16_t st; int err; bool retry; const char *name; } statuses[] = {
	{ 0x0000, 0, false, "Success" }, { 0x0101, 5, true, "Target moved temporarily" },
	{ 0x0102, 5, true, "Target moved permanently" }, { 0x0200, 19, false, "Initiator error" },
	{ 0x0201, 24, false, "Authentication failure" }, { 0x0202, 24, false, "Authorization failure" },
	{ 0x0203, 19, false, "Not found" }, { 0x0204, 19, false, "Target removed" },
	{ 0x0205, 19, false, "Unsupported version" }, { 0x0206, 19, false, "Too many connections" },
	{ 0x0207, 19, false, "Missing parameter" }, { 0x0208, 19, false, "Can't include in session" },
	{ 0x0209, 19, false, "Session type not supported" },
	{ 0x020a, 19, false, "Session does not exist" }, { 0x020b, 19, false, "Invalid during login" },
	{ 0x0300, 5, true, "Target error" }, { 0x0301, 5, true, "Service unavailable" },
	{ 0x0302, 5, true, "Out of resources" }, { 0x02ff, 19, false, "unknown" },
	{ 0x03ff, 5, true, "unknown" }, { 0x0700, 19, false, "unknown" },
};

START_TEST(test_login_status_table)
{
	bool retry = !statuses[_i].retry;

	ck_assert_int_eq(login_status_err(statuses[_i].st, &retry), statuses[_i].err);
	ck_assert_int_eq(retry, statuses[_i].retry);
	ck_assert_str_eq(login_status_name(statuses[_i].st), statuses[_i].name);
}
END_TEST

START_TEST(test_login_config_and_timeouts)
{
	struct login_cfg cfg;
	struct login_out out;
	struct login_ctx *ctx = login_new();

	login_cfg_init(&cfg, LOGIN_SESSION_NORMAL);
	cfg.lc_initiator_name = "iqn.2024-01.org.example:i";
	ck_assert_int_eq(login_start(ctx, &cfg, &out), LOGIN_FAIL);	/* no TargetName */
	ck_assert_int_eq(out.lo_err, ISCSI_ERR_INVAL);
	cfg.lc_target_name = "iqn.2024-01.org.example:t";
	cfg.lc_auth = LOGIN_AUTH_CHAP;
	ck_assert_int_eq(login_start(ctx, &cfg, &out), LOGIN_FAIL);	/* no secret */
	cfg.lc_chap.username = "u";
	cfg.lc_chap.password = "p";
	cfg.lc_auth_timeout = 45;
	cfg.lc_login_timeout = 15;
	ck_assert_int_eq(login_start(ctx, &cfg, &out), LOGIN_SEND);
	ck_assert_uint_eq(login_timeout(ctx), 45);
	ck_assert_str_eq(login_state_name(ctx), "SEC_AUTH");
	pdu_free(&out.lo_pdu);
	cfg.lc_auth = LOGIN_AUTH_NONE;
	ck_assert_int_eq(login_start(ctx, &cfg, &out), LOGIN_SEND);
	ck_assert_uint_eq(login_timeout(ctx), 15);
	ck_assert_str_eq(login_state_name(ctx), "OPER");
	pdu_free(&out.lo_pdu);
	login_free(ctx);
}
END_TEST

static Suite *
login_suite(void)
{
	Suite *s = suite_create("login");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_login_tgtd_transcripts, 0,
	    sizeof(transcripts) / sizeof(transcripts[0]));
	tcase_add_loop_test(tc, test_login_hostile_targets, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, test_login_redirect_loop);
	tcase_add_loop_test(tc, test_login_endless_target, 0, 3);
	tcase_add_loop_test(tc, test_login_long_request_split, 0, 2);
	tcase_add_loop_test(tc, test_login_status_table, 0, sizeof(statuses) / sizeof(statuses[0]));
	tcase_add_test(tc, test_login_config_and_timeouts);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(login_suite)
