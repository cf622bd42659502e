/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iscsiadm's parsed command line and the mode table.  Each mode lives in
 * its own cli/mode_<name>.c and is reached through the table in
 * iscsiadm.c; option parsing and per-mode option checks happen once, in
 * cli/opts.c.  Output helpers shared by several modes are in cli/out.c.
 */
#ifndef ISCSIKIT_CLI_H
#define ISCSIKIT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_MAX_NAMEVALS	64
#define CLI_MAX_IFACES		64
#define CLI_ADDR_MAX		256

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

/* -t: "sendtargets"/"st", "isns", "fw"; anything else is "no type" as open-iscsi. */
enum cli_disc_type {
	CLI_DISC_NONE = 0,
	CLI_DISC_ST,
	CLI_DISC_ISNS,
	CLI_DISC_FW,
};

/* One "-n name -v value" pair; a pair is formed once both were seen. */
struct cli_nameval {
	const char	*name;
	const char	*value;
};

/* A parsed -p: "ip", "ip:port", "ip:port,tpgt", "[v6]:port,tpgt", hostnames. */
struct cli_portal {
	char	address[CLI_ADDR_MAX];	/* without brackets */
	int	port;			/* -1 when not given: the mode picks 3260 or 3205 */
	int	tpgt;			/* -1 when not given */
};

struct cli_mode;

struct cli_opts {
	const char		*argv0;
	const struct cli_mode	*mode;		/* -m */
	unsigned		 ops;		/* -o, enum cli_op bits */
	const char		*portal_arg;	/* -p as typed */
	bool			 have_portal;	/* -p given and parsed */
	struct cli_portal	 portal;
	const char		*target;	/* -T */
	int			 nifaces;	/* -I, in order */
	const char		*ifaces[CLI_MAX_IFACES];
	enum cli_disc_type	 type;		/* -t */
	const char		*type_arg;
	const char		*host;		/* -H */
	const char		*sid;		/* -r */
	const char		*submode;	/* -C */
	const char		*login_all;	/* -L */
	const char		*logout_all;	/* -U */
	const char		*index;		/* -x */
	const char		*ip;		/* -a */
	const char		*packetsize;	/* -b */
	const char		*count;		/* -c */
	const char		*interval;	/* -i */
	const char		*portal_type;	/* -A */
	int			 killiscsid;	/* -k, -1 if absent */
	int			 print_level;	/* -P, -1 if absent */
	int			 debug;		/* -d */
	bool			 login, logout, discover, rescan, stats, show_secrets, no_wait;
	int			 nnamevals;
	struct cli_nameval	 namevals[CLI_MAX_NAMEVALS];
};

struct cli_mode {
	const char	*name;
	const char	*allowed;	/* option letters accepted in this mode */
	int		(*run)(struct cli_opts *o);
};

/*
 * Parse argv exactly as open-iscsi 2.1.8's iscsiadm: per-mode option
 * letters are checked when -m is seen (so messages and their order match),
 * -h/-V act at once.  Returns -1 when parsing finished and the mode should
 * run, otherwise the exit status (0 after -h/-V/-k, 7 on errors) with the
 * message already printed.
 */
int cli_parse(struct cli_opts *o, int argc, char **argv,
	      const struct cli_mode *modes, size_t nmodes);

/* Parse one -p value; ISCSI_ERR_INVAL (with detail) when malformed. */
int cli_portal_parse(const char *s, struct cli_portal *p);
/* The -p portal with its port defaulted to @defport; NULL without -p. */
const struct cli_portal *cli_portal(struct cli_opts *o, int defport);

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
/*
 * Network discovery (-m discovery -t st|isns -p ..., -m discoverydb -D).
 * Lives in cli/discover.c, which the discovery area replaces; @disc is the
 * discovery record to use (REC_DISC_ST or REC_DISC_ISNS), already stored
 * unless CLI_OP_NONPERSISTENT.  Returns an enum iscsi_err.
 */
struct rec;
int cli_discover(struct cli_opts *o, struct rec *disc);

/*
 * Transport validation seam for iface records: asks the transport plugin
 * named by iface.transport_name whether @iface is acceptable.  ISCSI_OK,
 * or an error with an err_set() detail.  cli/iface_check.c.
 */
int cli_iface_validate(const struct rec *iface);

/* -m node -l/-u/-L/-U (cli/node_login.c); @f is the -T/-p/-I filter. */
struct db_node_filter;
int node_login_dispatch(struct cli_opts *o, const struct db_node_filter *f);

/* Print "iscsiadm: <detail or strerror>" for a failing code; returns @err. */
int cli_report(int err);

/* ---- output helpers (cli/out.c) ---- */

/* "ip:port" or "[ip]:port": brackets when the address has no '.' (as 2.1.8). */
void cli_out_portal(char *buf, size_t len, const char *address, int port);
/* "No records found" on stderr; returns ISCSI_ERR_NO_OBJS_FOUND. */
int cli_out_no_records(void);

#endif
