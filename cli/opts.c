// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm's command line, parsed the way open-iscsi 2.1.8 does it so that
 * scripts see the same messages in the same order: getopt_long with the
 * reference's option string, the per-mode letter check run when -m is
 * seen, -n/-v pairs formed when both halves arrived, -o values OR-ed.
 * What the options mean is up to the modes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "log.h"

#define ISCSIADM_VERSION "2.1.8"	/* the reference whose formats we keep */

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

static const struct { const char *name; enum cli_disc_type type; } type_names[] = {
	{ "sendtargets", CLI_DISC_ST }, { "st", CLI_DISC_ST },
	{ "isns", CLI_DISC_ISNS }, { "fw", CLI_DISC_FW },
};

/* Arguments of options that only store a string, by letter. */
struct str_slot { char letter; size_t off; };
#define SLOT(c, m) { c, offsetof(struct cli_opts, m) }
static const struct str_slot str_slots[] = {
	SLOT('T', target), SLOT('H', host), SLOT('r', sid), SLOT('C', submode),
	SLOT('x', index), SLOT('a', ip), SLOT('b', packetsize), SLOT('c', count),
	SLOT('i', interval), SLOT('A', portal_type),
};

/* Flags set by options without argument. */
struct flag_slot { char letter; size_t off; };
#define FLAG(c, m) { c, offsetof(struct cli_opts, m) }
static const struct flag_slot flag_slots[] = {
	FLAG('l', login), FLAG('u', logout), FLAG('D', discover), FLAG('R', rescan),
	FLAG('s', stats), FLAG('S', show_secrets), FLAG('W', no_wait),
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

static void
try_help(void)
{
	fputs("Try `iscsiadm --help' for more information.\n", stderr);
}

/*
 * The reference rescans the whole command line when it meets -m and
 * reports the first letter the mode does not take (getopt's '?' included,
 * so getopt's own complaint may be printed twice).  Our scan position is
 * restored afterwards; -m arrives at an argument boundary.
 */
static int
check_mode_letters(const struct cli_mode *m, int argc, char **argv)
{
	int saved = optind, bad = 0, c;

	optind = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == 'm' || strchr(m->allowed, c) != NULL)
			continue;
		bad = c;
		break;
	}
	optind = saved;
	return bad;
}

static int
set_mode(struct cli_opts *o, const char *arg, const struct cli_mode *modes,
	 size_t nmodes, int argc, char **argv)
{
	int bad;

	o->mode = NULL;
	for (size_t i = 0; i < nmodes; i++)
		if (strcmp(arg, modes[i].name) == 0)
			o->mode = &modes[i];
	if (o->mode == NULL) {
		log_warnx("mode -1 is not yet supported");
		return ISCSI_ERR_INVAL;
	}
	if ((bad = check_mode_letters(o->mode, argc, argv)) != 0) {
		log_warnx("%s mode: option '-%c' is not allowed/supported", arg, bad);
		return ISCSI_ERR_INVAL;
	}
	return -1;
}

static int
parse_op(struct cli_opts *o, const char *arg)
{
	for (size_t i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
		if (strcmp(arg, op_names[i].name) == 0) {
			o->ops |= op_names[i].bit;
			return -1;
		}
	log_warnx("can not recognize operation: '%s'", arg);
	return ISCSI_ERR_INVAL;
}

static void
parse_type(struct cli_opts *o, const char *arg)
{
	o->type_arg = arg;
	o->type = CLI_DISC_NONE;
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(arg, type_names[i].name) == 0)
			o->type = type_names[i].type;
}

/* -L/-U take a fixed word; the reference refuses others while parsing. */
static int
parse_all(const char **slot, const char *arg, const char *what, bool onboot)
{
	static const char *const words[] = { "all", "manual", "automatic", "onboot" };

	for (size_t i = 0; i < (onboot ? 4u : 3u); i++)
		if (strcmp(arg, words[i]) == 0) {
			*slot = arg;
			return -1;
		}
	log_warnx("Invalid %s option %s.", what, arg);
	try_help();
	return ISCSI_ERR_INVAL;
}

/* -n and -v may come in any order; a pair is complete when both arrived. */
static int
parse_nameval(struct cli_opts *o, int c, const char *arg, const char **pending_n,
	      const char **pending_v)
{
	if (c == 'n')
		*pending_n = arg;
	else
		*pending_v = arg;
	if (*pending_n == NULL || *pending_v == NULL)
		return -1;
	if (o->nnamevals == CLI_MAX_NAMEVALS) {
		log_warnx("too many -n/-v pairs (at most %d)", CLI_MAX_NAMEVALS);
		return ISCSI_ERR_INVAL;
	}
	o->namevals[o->nnamevals].name = *pending_n;
	o->namevals[o->nnamevals].value = *pending_v;
	o->nnamevals++;
	*pending_n = *pending_v = NULL;
	return -1;
}

static bool
parse_slot(struct cli_opts *o, int c, const char *arg)
{
	for (size_t i = 0; i < sizeof(str_slots) / sizeof(str_slots[0]); i++)
		if (str_slots[i].letter == c) {
			*(const char **)(void *)((char *)o + str_slots[i].off) = arg;
			return true;
		}
	for (size_t i = 0; i < sizeof(flag_slots) / sizeof(flag_slots[0]); i++)
		if (flag_slots[i].letter == c) {
			*(bool *)(void *)((char *)o + flag_slots[i].off) = true;
			return true;
		}
	return false;
}

struct parse_state {
	const struct cli_mode	*modes;
	size_t			 nmodes;
	int			 argc;
	char			**argv;
	const char		*pending_n, *pending_v;
};

/* One option; -1 = go on, otherwise the exit status. */
static int
parse_one(struct cli_opts *o, struct parse_state *st, int c, const char *arg)
{
	if (parse_slot(o, c, arg))
		return -1;
	switch (c) {
	case 'h':
		usage(stdout);
		return ISCSI_OK;
	case 'V':
		printf("iscsiadm version %s\n", ISCSIADM_VERSION);
		return ISCSI_OK;
	case 'm':
		return set_mode(o, arg, st->modes, st->nmodes, st->argc, st->argv);
	case 'o':
		return parse_op(o, arg);
	case 't':
		parse_type(o, arg);
		return -1;
	case 'p':
		o->portal_arg = arg;
		return -1;
	case 'I':
		if (o->nifaces < CLI_MAX_IFACES)
			o->ifaces[o->nifaces++] = arg;
		return -1;
	case 'L':
		return parse_all(&o->login_all, arg, "loginall", true);
	case 'U':
		return parse_all(&o->logout_all, arg, "logoutall", false);
	case 'k': o->killiscsid = atoi(arg); return -1;
	case 'P': o->print_level = atoi(arg); return -1;
	case 'd':
		o->debug = atoi(arg);
		log_set_level(o->debug);
		return -1;
	case 'n':
	case 'v':
		return parse_nameval(o, c, arg, &st->pending_n, &st->pending_v);
	default:	/* '?': getopt complained; the mode check or the end reports it */
		return -1;
	}
}

/* -k without a mode: only priority 0 exists; there is no daemon to stop yet. */
static int
kill_iscsid(int priority)
{
	char buf[16];

	/* merge of the daemon branch: its IPC stop request (cli/mode_session.c) */
	snprintf(buf, sizeof(buf), "%d", priority);
	return cli_kill_iscsid(buf);
}

int
cli_parse(struct cli_opts *o, int argc, char **argv, const struct cli_mode *modes, size_t nmodes)
{
	struct parse_state st = { modes, nmodes, argc, argv, NULL, NULL };
	int c, rc;

	o->argv0 = argv[0];
	o->print_level = -1;
	o->killiscsid = -1;
	optopt = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1)
		if ((rc = parse_one(o, &st, c, optarg)) >= 0)
			return rc;
	if (optopt != 0) {
		log_warnx("unrecognized character '%c'", optopt);
		return ISCSI_ERR_INVAL;
	}
	if (o->killiscsid >= 0)
		return kill_iscsid(o->killiscsid);
	if (o->mode == NULL) {
		try_help();
		return ISCSI_ERR_INVAL;
	}
	if (o->login && o->logout) {
		log_warnx("Invalid parameters. Both login and logout passed in");
		return ISCSI_ERR_INVAL;
	}
	if (o->portal_arg != NULL) {
		if ((rc = cli_portal_parse(o->portal_arg, &o->portal)) != ISCSI_OK)
			return cli_report(rc);
		o->have_portal = true;
	}
	return -1;
}
