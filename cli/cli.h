/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iscsiadm's parsed command line and the mode table.  Each mode lives in
 * its own cli/mode_<name>.c and is reached through the table in
 * iscsiadm.c; option parsing and per-mode option checks happen once, here.
 */
#ifndef ISCSIKIT_CLI_H
#define ISCSIKIT_CLI_H

#include <stdbool.h>

#define CLI_MAX_NAMEVALS	64
#define CLI_MAX_OPS		8

/* -o operations; several may be given and are OR-ed. */
enum cli_op {
	CLI_OP_NEW		= 1u << 0,
	CLI_OP_DELETE		= 1u << 1,
	CLI_OP_UPDATE		= 1u << 2,
	CLI_OP_SHOW		= 1u << 3,
	CLI_OP_NONPERSISTENT	= 1u << 4,
	CLI_OP_APPLY		= 1u << 5,
	CLI_OP_APPLY_ALL	= 1u << 6,
	CLI_OP_LOGIN		= 1u << 7,
	CLI_OP_LOGOUT		= 1u << 8,
};

struct cli_nameval {
	const char	*name;
	const char	*value;		/* NULL until the matching -v arrives */
};

struct cli_opts {
	const char	*mode;		/* -m */
	const char	*seen;		/* option letters given, for per-mode checks */
	char		 seen_buf[64];
	unsigned	 ops;		/* -o, enum cli_op bits */
	const char	*portal;	/* -p */
	const char	*target;	/* -T */
	const char	*iface;		/* -I (last one) */
	const char	*type;		/* -t */
	const char	*host;		/* -H */
	const char	*sid;		/* -r */
	const char	*submode;	/* -C */
	const char	*login_all;	/* -L */
	const char	*logout_all;	/* -U */
	const char	*index;		/* -x */
	const char	*ip;		/* -a */
	const char	*packetsize;	/* -b */
	const char	*count;		/* -c */
	const char	*interval;	/* -i */
	const char	*portal_type;	/* -A */
	const char	*kill_priority;	/* -k */
	int		 print_level;	/* -P, -1 if absent */
	int		 debug;		/* -d */
	bool		 login, logout, discover, rescan, stats, show_secrets, no_wait;
	int		 nnamevals;
	struct cli_nameval namevals[CLI_MAX_NAMEVALS];
};

struct cli_mode {
	const char	*name;
	const char	*allowed;	/* option letters accepted in this mode */
	int		(*run)(struct cli_opts *o);
};

/* Mode handlers: each returns an enum iscsi_err, which becomes the exit status. */
int mode_discovery_run(struct cli_opts *o);
int mode_discoverydb_run(struct cli_opts *o);
int mode_node_run(struct cli_opts *o);
int mode_session_run(struct cli_opts *o);
int mode_iface_run(struct cli_opts *o);
int mode_fw_run(struct cli_opts *o);
int mode_host_run(struct cli_opts *o);
int mode_plugin_run(struct cli_opts *o);

/* iscsiadm -k PRIORITY (cli/mode_session.c); always returns ISCSI_OK as open-iscsi. */
int cli_kill_iscsid(const char *priority);

/* Print "iscsiadm: <detail or strerror>" for a failing code; returns @err. */
int cli_report(int err);

#endif
