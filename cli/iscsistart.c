// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsistart (reference §6.5): boot-time logins without a running iscsid.
 * -f prints the firmware targets, -b logs in to them, -i/-t/-g/-a/-p/-u/-w/
 * -U/-W/-P log in to one explicit target.  Logins go to our own iscsid run
 * as a private child on ISCSIADM_ABSTRACT_NAMESPACE-<pid>, which is stopped
 * afterwards; the sessions stay in the kernel for iscsid to adopt.  No DB.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <iscsi/errors.h>
#include "cli.h"
#include "err.h"
#include "fw.h"
#include "ipc.h"
#include "ipc_client.h"
#include "log.h"
#include "names.h"
#include "rec.h"

#define IS_READY_MS	15000	/* private iscsid must listen within this */

struct is_opts {
	const char		*target[9];	/* indexed by enum below, NULL = not given */
	const char		*config;
	int			 tpgt, debug;
	bool			 boot, print;
	int			 nnv;
	struct cli_nameval	 nv[CLI_MAX_NAMEVALS];
	char			*nvbuf[CLI_MAX_NAMEVALS];
};

/* -i/-t/-a/-p/-u/-w/-U/-W: which boot key each explicit option sets. */
static const struct { int opt; const char *key; } is_keys[] = {
	{ 'i', "iface.initiatorname" }, { 't', "node.name" },
	{ 'a', "node.conn[0].address" }, { 'p', "node.conn[0].port" },
	{ 'u', "node.session.auth.username" }, { 'w', "node.session.auth.password" },
	{ 'U', "node.session.auth.username_in" }, { 'W', "node.session.auth.password_in" },
};
#define IS_NKEYS (sizeof(is_keys) / sizeof(is_keys[0]))

static void
is_usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f, "Usage: iscsistart [OPTION]\n"
	    "  -i, --initiatorname=name set InitiatorName to name (Required)\n"
	    "  -t, --targetname=name    set TargetName to name (Required)\n"
	    "  -g, --tgpt=N             set target portal group tag to N (Required)\n"
	    "  -a, --address=A.B.C.D    set IP address to A.B.C.D (Required)\n"
	    "  -p, --port=N             set port to N (Default 3260)\n"
	    "  -u, --username=N         set username to N (optional)\n"
	    "  -w, --password=N         set password to N (optional)\n"
	    "  -U, --username_in=N      set incoming username to N (optional)\n"
	    "  -W, --password_in=N      set incoming password to N (optional)\n"
	    "  -d, --debug=debuglevel   print debugging information\n"
	    "  -b, --fwparam_connect    create a session to the target using iBFT or OF\n"
	    "  -f, --fwparam_print      print the iBFT or OF info to STDOUT\n"
	    "  -P, --param=NAME=VALUE   set parameter with the name NAME to VALUE\n"
	    "  -c, --config=path        iscsid.conf for the private iscsid\n"
	    "  -h, --help               display this help and exit\n"
	    "  -v, --version            display version and exit\n");
	exit(status);
}

static int
is_parse(struct is_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "initiatorname", 1, NULL, 'i' }, { "targetname", 1, NULL, 't' },
		{ "tgpt", 1, NULL, 'g' }, { "address", 1, NULL, 'a' }, { "port", 1, NULL, 'p' },
		{ "username", 1, NULL, 'u' }, { "password", 1, NULL, 'w' },
		{ "username_in", 1, NULL, 'U' }, { "password_in", 1, NULL, 'W' },
		{ "debug", 1, NULL, 'd' }, { "fwparam_connect", 0, NULL, 'b' },
		{ "fwparam_network", 0, NULL, 'N' }, { "fwparam_print", 0, NULL, 'f' },
		{ "param", 1, NULL, 'P' }, { "config", 1, NULL, 'c' },
		{ "help", 0, NULL, 'h' }, { "version", 0, NULL, 'v' }, { NULL, 0, NULL, 0 },
	};
	int c;

	o->tpgt = -1;
	while ((c = getopt_long(argc, argv, "i:t:g:a:p:u:w:U:W:d:bNfP:c:hv", lo, NULL)) >= 0) {
		size_t k;

		for (k = 0; k < IS_NKEYS && is_keys[k].opt != c; k++)
			;
		if (k < IS_NKEYS) {
			o->target[k] = optarg;
			continue;
		}
		switch (c) {
		case 'g': o->tpgt = atoi(optarg); break;
		case 'd': o->debug = atoi(optarg); log_set_level(o->debug); break;
		case 'b': o->boot = true; break;
		case 'f': o->print = true; break;
		case 'c': o->config = optarg; break;
		case 'v': printf("%s version %s\n", "iscsistart", rec_version()); exit(0);
		case 'h': is_usage(0); break;
		case 'N':
			log_warnx("-N (configure the boot NIC) is not supported by this build");
			return 1;
		case 'P': {
			char *eq, *dup;

			if (o->nnv == CLI_MAX_NAMEVALS || (eq = strchr(optarg, '=')) == NULL) {
				log_warnx("Invalid format for param: %s", optarg);
				return 1;
			}
			if ((dup = strdup(optarg)) == NULL)
				return 1;
			dup[eq - optarg] = '\0';
			o->nvbuf[o->nnv] = dup;
			o->nv[o->nnv].name = dup;
			o->nv[o->nnv++].value = dup + (eq - optarg) + 1;
			break;
		}
		default: is_usage(1);
		}
	}
	if (optind < argc) {
		log_warnx("unexpected argument %s", argv[optind]);
		return 1;
	}
	return 0;
}

/* Our iscsid: next to this program, else where it is installed. */
static void
is_iscsid_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			snprintf(buf, len, "%.*s/iscsid", (int)(slash - self), self);
			if (access(buf, X_OK) == 0)
				return;
		}
	}
	snprintf(buf, len, "%s/iscsid", SBINDIR);
}

/* Listening yet?  The abstract socket shows in /proc/net/unix as "@name". */
static bool
is_listening(const char *name)
{
	char line[512];
	size_t nl = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/net/unix", "r");

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *at = strchr(line, '@');

		found = at != NULL && strncmp(at + 1, name, nl) == 0 &&
		    (at[1 + nl] == '\n' || at[1 + nl] == '\0');
	}
	fclose(f);
	return found;
}

/* Start the private iscsid; its IPC name goes into our environment. */
static pid_t
is_start_iscsid(const struct is_opts *o)
{
	char name[256], path[PATH_MAX];
	const char *base = getenv("ISCSI_IPC_NAME");
	pid_t pid;

	snprintf(name, sizeof(name), "%s-%ld", base != NULL && *base != '\0' ? base :
	    IPC_DEFAULT_NAME, (long)getpid());
	setenv("ISCSI_IPC_NAME", name, 1);
	is_iscsid_path(path, sizeof(path));
	if ((pid = fork()) < 0) {
		log_warn("fork");
		return -1;
	}
	if (pid == 0) {
		char dbg[16];

		snprintf(dbg, sizeof(dbg), "%d", o->debug);
		if (o->config != NULL)
			execl(path, "iscsid", "-f", "-n", "-d", dbg, "-c", o->config, (char *)NULL);
		else
			execl(path, "iscsid", "-f", "-n", "-d", dbg, (char *)NULL);
		log_warn("cannot run %s", path);
		_exit(127);
	}
	for (int ms = 0; ms < IS_READY_MS; ms += 50) {
		int st;

		if (is_listening(name))
			return pid;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			log_warnx("the private iscsid (%s) exited before it was ready", path);
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	log_warnx("the private iscsid did not start listening within %d s", IS_READY_MS / 1000);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return -1;
}

static void
is_stop_iscsid(pid_t pid)
{
	struct ipc_msg rsp;

	if (ipc_client_simple(IPC_IMMEDIATE_STOP, &rsp, IPC_CLIENT_SHORT_MS) == ISCSI_OK)
		ipc_msg_free(&rsp);
	else
		kill(pid, SIGTERM);
	err_clear();
	waitpid(pid, NULL, 0);
}

/* Log in to each record; failures are counted, not fatal. */
static int
is_login_all(struct rec *const *recs, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		int rc;

		log_info("Logging into %s %s:%s,%s", rec_get(recs[i], "node.name"),
		    rec_get(recs[i], "node.conn[0].address"),
		    rec_get(recs[i], "node.conn[0].port"), rec_get(recs[i], "node.tpgt"));
		if ((rc = node_login_send(recs[i], false)) != ISCSI_OK) {
			const char *d = err_detail(rc);

			log_warnx("Could not login to %s: %s (%d)", rec_get(recs[i], "node.name"),
			    d != NULL && *d != '\0' ? d : iscsi_strerror(rc), rc);
			err_clear();
			failed++;
		}
	}
	return failed;
}

/* As iscsiadm's: the detail, else the code's text.  node_login.c needs it. */
int
cli_report(int err)
{
	const char *d = err_detail(err);

	log_warnx("%s", d != NULL && *d != '\0' ? d : iscsi_strerror(err));
	err_clear();
	return err;
}

/* The explicit target of -i/-t/-g/-a as a one-entry list. */
static int
is_explicit(const struct is_opts *o, struct fw_list *l)
{
	/* the reference's complaints, in is_keys[] order */
	static const char *const need[] = { "InitiatorName", "TargetName", "IP Address" };
	int rc = ISCSI_OK;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (o->target[i] == NULL) {
			log_warnx("%s not set. Exiting iscsistart", need[i]);
			return ISCSI_ERR_INVAL;
		}
	if (o->tpgt < 0) {
		log_warnx("Portal Group not set. Exiting iscsistart");
		return ISCSI_ERR_INVAL;
	}
	if (names_check_iscsi(o->target[0]) != ISCSI_OK ||
	    names_check_iscsi(o->target[1]) != ISCSI_OK ||
	    names_check_address(o->target[2]) != ISCSI_OK)
		return cli_report(ISCSI_ERR_INVAL);
	if ((l->v = calloc(1, sizeof(*l->v))) == NULL)
		return ISCSI_ERR_NOMEM;
	l->n = 1;
	for (size_t k = 0; rc == ISCSI_OK && k < IS_NKEYS; k++)
		if (o->target[k] != NULL)
			rc = fw_entry_set(&l->v[0], is_keys[k].key, o->target[k]);
	if (rc == ISCSI_OK && o->target[3] == NULL)
		rc = fw_entry_set(&l->v[0], "node.conn[0].port", "3260");
	return rc != ISCSI_OK ? cli_report(rc) : ISCSI_OK;
}

static int
is_recs(const struct is_opts *o, const struct fw_list *l, struct rec **recs)
{
	char tpgt[16];
	int rc = ISCSI_OK;

	snprintf(tpgt, sizeof(tpgt), "%d", o->tpgt >= 0 ? o->tpgt : 1);
	for (size_t i = 0; rc == ISCSI_OK && i < l->n; i++) {
		rc = fw_node_rec(&l->v[i], o->nv, o->nnv, &recs[i]);
		if (rc == ISCSI_OK)
			rc = rec_set(recs[i], "node.tpgt", tpgt);
	}
	return rc != ISCSI_OK ? cli_report(rc) : ISCSI_OK;
}

static int
is_login(const struct is_opts *o, const struct fw_list *l)
{
	struct rec **recs = calloc(l->n + 1, sizeof(*recs));
	int failed = 1;
	pid_t pid;

	if (recs == NULL)
		return 1;
	if (is_recs(o, l, recs) == ISCSI_OK && (pid = is_start_iscsid(o)) > 0) {
		failed = is_login_all(recs, l->n);
		is_stop_iscsid(pid);
	}
	for (size_t i = 0; i < l->n; i++)
		rec_free(recs[i]);
	free(recs);
	return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct is_opts o;
	struct fw_list l = { NULL, 0 };
	int rc;

	memset(&o, 0, sizeof(o));
	log_init("iscsistart", LOG_TO_STDERR);
	umask(0077);
	if (is_parse(&o, argc, argv) != 0)
		return 1;
	if (o.print || o.boot) {
		if ((rc = fw_load(&l)) != ISCSI_OK) {
			fw_report(rc);
			return 1;
		}
		if (o.print)
			fw_print(&l);
		if (o.boot) {
			log_info("version %s", rec_version());
			rc = is_login(&o, &l);
		}
		fw_list_free(&l);
	} else if ((rc = is_explicit(&o, &l)) == ISCSI_OK) {
		rc = is_login(&o, &l);
		fw_list_free(&l);
	} else {
		fw_list_free(&l);
		rc = 1;
	}
	for (int i = 0; i < o.nnv; i++)
		free(o.nvbuf[i]);
	return rc == ISCSI_OK ? 0 : 1;
}
