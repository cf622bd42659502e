// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm: parse the command line exactly as open-iscsi's iscsiadm(8)
 * does, check the options against the chosen mode and dispatch through the
 * mode table.  The modes themselves live in cli/mode_*.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "log.h"

#define ISCSIADM_VERSION "2.1.8"	/* the reference whose formats we keep */

static const struct cli_mode modes[] = {
	{ "discoverydb",	"DSIPdmntplov",		mode_discoverydb_run },
	{ "discovery",		"DSIPdmntplov",		mode_discovery_run },
	{ "node",		"RsPIdmlSonvupTULW",	mode_node_run },
	{ "session",		"PiRdrmusonuSv",	mode_session_run },
	{ "iface",		"HIdnvmPoCabci",	mode_iface_run },
	{ "fw",			"dmlWnv",		mode_fw_run },
	{ "host",		"CHdmPotnvxA",		mode_host_run },
	{ "plugin",		"dmP",			mode_plugin_run },	/* iscsikit addition */
};

static const char short_opts[] = "RlDVhm:a:b:c:C:p:P:T:H:i:I:U:k:L:d:r:n:v:o:sSt:ux:A:W";

static const struct option long_opts[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "portal", required_argument, NULL, 'p' },
	{ "targetname", required_argument, NULL, 'T' },
	{ "interface", required_argument, NULL, 'I' },
	{ "op", required_argument, NULL, 'o' },
	{ "type", required_argument, NULL, 't' },
	{ "name", required_argument, NULL, 'n' },
	{ "value", required_argument, NULL, 'v' },
	{ "host", required_argument, NULL, 'H' },
	{ "sid", required_argument, NULL, 'r' },
	{ "rescan", no_argument, NULL, 'R' },
	{ "print", required_argument, NULL, 'P' },
	{ "discover", no_argument, NULL, 'D' },
	{ "login", no_argument, NULL, 'l' },
	{ "loginall", required_argument, NULL, 'L' },
	{ "logout", no_argument, NULL, 'u' },
	{ "logoutall", required_argument, NULL, 'U' },
	{ "stats", no_argument, NULL, 's' },
	{ "killiscsid", required_argument, NULL, 'k' },
	{ "debug", required_argument, NULL, 'd' },
	{ "show", no_argument, NULL, 'S' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "submode", required_argument, NULL, 'C' },
	{ "ip", required_argument, NULL, 'a' },
	{ "packetsize", required_argument, NULL, 'b' },
	{ "count", required_argument, NULL, 'c' },
	{ "interval", required_argument, NULL, 'i' },
	{ "index", required_argument, NULL, 'x' },
	{ "portal_type", required_argument, NULL, 'A' },
	{ "no_wait", no_argument, NULL, 'W' },
	{ NULL, 0, NULL, 0 },
};

static const struct { const char *name; unsigned bit; } op_names[] = {
	{ "new", CLI_OP_NEW }, { "delete", CLI_OP_DELETE }, { "update", CLI_OP_UPDATE },
	{ "show", CLI_OP_SHOW }, { "nonpersistent", CLI_OP_NONPERSISTENT },
	{ "apply", CLI_OP_APPLY }, { "applyall", CLI_OP_APPLY_ALL },
	{ "login", CLI_OP_LOGIN }, { "logout", CLI_OP_LOGOUT },
};

static void
usage(FILE *f)
{
	fputs("iscsiadm -m discoverydb [-hV] [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-Dl]] | [[-p ip:port -t type] [-o operation] [-n name] [-v value] [-lD]] \n"
	    "iscsiadm -m discovery [-hV] [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-l]] | [[-p ip:port] [-l | -D]] [-W]\n"
	    "iscsiadm -m node [-hV] [-d debug_level] [-P printlevel] [-L all,manual,automatic,onboot] [-W] [-U all,manual,automatic,onboot] [-S] [[-T targetname -p ip:port -I ifaceN] [-l | -u | -R | -s]] [[-o operation ] [-n name] [-v value]]\n"
	    "iscsiadm -m session [-hV] [-d debug_level] [-P printlevel] [-r sessionid | sysfsdir [-R | -u | -s] [-o operation] [-n name] [-v value]]\n"
	    "iscsiadm -m iface [-hV] [-d debug_level] [-P printlevel] [-I ifacename | -H hostno|MAC] [[-o operation ] [-n name] [-v value]] [-C ping [-a ip] [-b packetsize] [-c count] [-i interval]]\n"
	    "iscsiadm -m fw [-d debug_level] [-l] [-W] [[-n name] [-v value]]\n"
	    "iscsiadm -m host [-P printlevel] [-H hostno|MAC] [[-C chap [-x chap_tbl_idx]] | [-C flashnode [-A portal_type] [-x flashnode_idx]] | [-C stats]] [[-o operation] [-n name] [-v value]] \n"
	    "iscsiadm -k priority\n", f);
}

static int
parse_op(struct cli_opts *o, const char *arg)
{
	for (size_t i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
		if (strcmp(arg, op_names[i].name) == 0) {
			o->ops |= op_names[i].bit;
			return ISCSI_OK;
		}
	log_warnx("can not recognize operation: '%s'", arg);
	return ISCSI_ERR_INVAL;
}

static int
parse_one(struct cli_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'm': o->mode = arg; break;
	case 'p': o->portal = arg; break;
	case 'T': o->target = arg; break;
	case 'I': o->iface = arg; break;
	case 't': o->type = arg; break;
	case 'H': o->host = arg; break;
	case 'r': o->sid = arg; break;
	case 'C': o->submode = arg; break;
	case 'L': o->login_all = arg; break;
	case 'U': o->logout_all = arg; break;
	case 'x': o->index = arg; break;
	case 'a': o->ip = arg; break;
	case 'b': o->packetsize = arg; break;
	case 'c': o->count = arg; break;
	case 'i': o->interval = arg; break;
	case 'A': o->portal_type = arg; break;
	case 'k': o->kill_priority = arg; break;
	case 'P': o->print_level = atoi(arg); break;
	case 'd': o->debug = atoi(arg); log_set_level(o->debug); break;
	case 'o': return parse_op(o, arg);
	case 'l': o->login = true; break;
	case 'u': o->logout = true; break;
	case 'D': o->discover = true; break;
	case 'R': o->rescan = true; break;
	case 's': o->stats = true; break;
	case 'S': o->show_secrets = true; break;
	case 'W': o->no_wait = true; break;
	case 'n':
		if (o->nnamevals == CLI_MAX_NAMEVALS) {
			log_warnx("too many -n options (at most %d)", CLI_MAX_NAMEVALS);
			return ISCSI_ERR_INVAL;
		}
		o->namevals[o->nnamevals++].name = arg;
		break;
	case 'v':
		if (o->nnamevals == 0 || o->namevals[o->nnamevals - 1].value != NULL) {
			log_warnx("-v %s given without a preceding -n name", arg);
			return ISCSI_ERR_INVAL;
		}
		o->namevals[o->nnamevals - 1].value = arg;
		break;
	default:
		return ISCSI_ERR_INVAL;
	}
	return ISCSI_OK;
}

/* Refuse option letters that do not belong to the mode (open-iscsi's check). */
static int
check_mode_opts(const struct cli_opts *o, const struct cli_mode *m)
{
	for (const char *s = o->seen; *s != '\0'; s++) {
		if (*s == 'm' || strchr(m->allowed, *s) != NULL)
			continue;
		log_warnx("%s mode: option '-%c' is not allowed/supported", m->name, *s);
		return ISCSI_ERR_INVAL;
	}
	return ISCSI_OK;
}

int
cli_report(int err)
{
	const char *detail = err_detail(err);

	if (err != ISCSI_OK && detail != NULL)
		log_warnx("%s", detail);
	return err;
}

int
main(int argc, char **argv)
{
	struct cli_opts o = { .print_level = -1 };
	size_t nseen = 0;
	int c, rc;

	log_init("iscsiadm", LOG_TO_STDERR);
	o.seen = o.seen_buf;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return ISCSI_OK;
		}
		if (c == 'V') {
			printf("iscsiadm version %s\n", ISCSIADM_VERSION);
			return ISCSI_OK;
		}
		if (c == '?' || (rc = parse_one(&o, c, optarg)) != ISCSI_OK) {
			fprintf(stderr, "Try `iscsiadm --help' for more information.\n");
			return ISCSI_ERR_INVAL;
		}
		if (nseen + 1 < sizeof(o.seen_buf) && strchr(o.seen_buf, c) == NULL)
			o.seen_buf[nseen++] = (char)c;
	}
	if (optind < argc) {
		log_warnx("unrecognized character '%s'", argv[optind]);
		return ISCSI_ERR_INVAL;
	}
	if (o.mode == NULL && o.kill_priority != NULL)
		return cli_kill_iscsid(o.kill_priority);
	if (o.mode == NULL) {
		fprintf(stderr, "Try `iscsiadm --help' for more information.\n");
		return ISCSI_ERR_INVAL;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(o.mode, modes[i].name) != 0)
			continue;
		if ((rc = check_mode_opts(&o, &modes[i])) != ISCSI_OK)
			return rc;
		return cli_report(modes[i].run(&o));
	}
	log_warnx("%s mode is unknown/unsupported", o.mode);
	return ISCSI_ERR_INVAL;
}
