// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m node login and logout: -l, -u, -L all|manual|automatic|onboot,
 * -U all|manual|automatic, -W, and -R (rescan), with open-iscsi 2.1.8's lines and exit
 * codes (reference §5.3).  Records come from the node DB, sessions from
 * sysfs; the work is iscsid's (SESSION_LOGIN/LOGOUT over the IPC).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "err.h"
#include "ipc_client.h"
#include "log.h"
#include "rec.h"
#include "sysfs.h"

#define NL_NOWAIT_MS	500	/* -W: time to hand the request over */
#define NL_PARALLEL	64	/* requests in flight at once */

/* One login candidate: its DB id and the loaded record. */
struct nl_item {
	struct db_node_id	 id;
	struct rec		*rec;
	int			 err;
};

static const char *
nl_iface(const struct db_node_id *id)
{
	return id->iface[0] != '\0' ? id->iface : "default";
}

/* Sessions in sysfs for @id (same target, persistent portal, iface). */
static size_t
nl_count_sessions(const struct db_node_id *id)
{
	struct sysfs_session s;
	uint32_t *sids = NULL;
	size_t n = 0, found = 0;

	if (sysfs_session_list(&sids, &n) != ISCSI_OK) {
		err_clear();
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (sysfs_session_get(sids[i], &s) != ISCSI_OK) {
			err_clear();
			continue;
		}
		if (strcmp(s.targetname, id->target) == 0 &&
		    strcmp(s.conn.persistent_address, id->address) == 0 &&
		    s.conn.persistent_port == id->port &&
		    (s.ifacename[0] == '\0' || strcmp(s.ifacename, nl_iface(id)) == 0))
			found++;
	}
	free(sids);
	return found;
}

/* Send the record to iscsid and wait for the verdict (or not, with -W). */
static int
nl_request_login(const struct rec *r, bool no_wait)
{
	struct ipc_msg req, rsp;
	char *text, *line, *save = NULL;
	size_t len;
	int rc;

	if ((text = rec_to_text(r, &len)) == NULL)
		return ISCSI_ERR_NOMEM;
	if ((rc = ipc_msg_init(&req, IPC_SESSION_LOGIN, 0)) != ISCSI_OK) {
		free(text);
		return rc;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL && rc == ISCSI_OK;
	    line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#' && line[0] != '\0')
			rc = ipc_put_str(&req, IPC_F_KV, line);
	free(text);
	if (rc == ISCSI_OK) {
		rc = ipc_client_request(&req, &rsp, no_wait ? NL_NOWAIT_MS : IPC_CLIENT_FOREVER);
		if (rc == ISCSI_OK)
			ipc_msg_free(&rsp);
		if (no_wait && rc == ISCSI_ERR_REQ_TIMEDOUT) {
			err_clear();
			rc = ISCSI_OK;		/* handed over; iscsid goes on without us */
		}
	}
	ipc_msg_free(&req);
	return rc;
}

static void
nl_report(const char *what, int rc)
{
	fprintf(stderr, "iscsiadm: %s\n", what);
	fprintf(stderr, "iscsiadm: initiator reported error (%d - %s)\n", rc, iscsi_strerror(rc));
	err_clear();	/* the reference prints nothing more; iscsid's log has the detail */
}

/*
 * Send the logins in parallel as the reference does (iscsid works on them
 * concurrently), one child process per request since the IPC client is
 * blocking; a child's exit status is the request's enum iscsi_err.
 * Without fork, or for one item, requests go one by one.
 */
static void
nl_parallel(struct nl_item *it, size_t n, bool no_wait)
{
	pid_t pids[NL_PARALLEL];
	size_t base = 0;

	while (base < n) {
		size_t k = 0, todo = n - base < NL_PARALLEL ? n - base : NL_PARALLEL;

		for (; k < todo; k++) {
			struct nl_item *x = &it[base + k];

			pids[k] = -1;
			if (x->err != ISCSI_OK)
				continue;
			if (n == 1 || (pids[k] = fork()) < 0) {
				x->err = nl_request_login(x->rec, no_wait);
				continue;
			}
			if (pids[k] == 0)
				_exit(nl_request_login(x->rec, no_wait) & 0xff);
		}
		for (k = 0; k < todo; k++) {
			int st;

			if (pids[k] <= 0)
				continue;
			if (waitpid(pids[k], &st, 0) < 0 || !WIFEXITED(st))
				it[base + k].err = ISCSI_ERR_CHILD_TERMINATED;
			else
				it[base + k].err = WEXITSTATUS(st);
		}
		base += todo;
	}
}

/* Log in every item: all "Logging in to" lines first, then the results. */
static int
nl_login_items(struct nl_item *it, size_t n, bool no_wait)
{
	char tag[CLI_ADDR_MAX + 512];
	int first = ISCSI_OK;
	size_t nfail = 0;

	for (size_t i = 0; i < n; i++) {
		if (nl_count_sessions(&it[i].id) > 0) {
			fprintf(stderr, "iscsiadm: %s: 1 session requested, but 1 already present.\n",
			    nl_iface(&it[i].id));
			it[i].err = ISCSI_ERR_SESS_EXISTS;
			continue;
		}
		printf("Logging in to [iface: %s, target: %s, portal: %s,%d]\n",
		    nl_iface(&it[i].id), it[i].id.target, it[i].id.address, it[i].id.port);
	}
	fflush(stdout);
	nl_parallel(it, n, no_wait);
	for (size_t i = 0; i < n; i++) {
		snprintf(tag, sizeof(tag), "[iface: %s, target: %s, portal: %s,%d]",
		    nl_iface(&it[i].id), it[i].id.target, it[i].id.address, it[i].id.port);
		if (it[i].err == ISCSI_OK && !no_wait)
			printf("Login to %s successful.\n", tag);
		else if (it[i].err != ISCSI_OK && it[i].err != ISCSI_ERR_SESS_EXISTS) {
			char what[sizeof(tag) + 32];

			snprintf(what, sizeof(what), "Could not login to %s.", tag);
			nl_report(what, it[i].err);
		}
		if (it[i].err != ISCSI_OK) {
			nfail++;
			if (first == ISCSI_OK)
				first = it[i].err;
		}
		fflush(stdout);
	}
	if (nfail > 0 && n > 1)
		fprintf(stderr, "iscsiadm: Could not log into all portals\n");
	return first;
}

/* -L: which node.startup values a login-all selects. */
static bool
nl_startup_match(const struct rec *r, const char *sel)
{
	const char *st = rec_get(r, "node.startup"), *cst = rec_get(r, "node.conn[0].startup");

	if (strcmp(sel, "all") == 0)
		return true;
	return (st != NULL && strcmp(st, sel) == 0) || (cst != NULL && strcmp(cst, sel) == 0);
}

static int
nl_collect(const struct db_node_filter *f, const char *sel, struct nl_item **out, size_t *nout)
{
	struct db_node_id *ids;
	struct nl_item *it;
	size_t n, k = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = db_node_list(f, &ids, &n)) != ISCSI_OK)
		return rc;
	if ((it = calloc(n + 1, sizeof(*it))) == NULL) {
		free(ids);
		return ISCSI_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		it[k].id = ids[i];
		if (db_node_load(&it[k].id, &it[k].rec) != ISCSI_OK) {
			err_clear();
			continue;
		}
		if (sel != NULL && !nl_startup_match(it[k].rec, sel)) {
			rec_free(it[k].rec);
			continue;
		}
		k++;
	}
	free(ids);
	*out = it;
	*nout = k;
	return ISCSI_OK;
}

static void
nl_items_free(struct nl_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rec_free(it[i].rec);
	free(it);
}

static int
nl_login(struct cli_opts *o, const struct db_node_filter *f, const char *sel)
{
	struct nl_item *it;
	size_t n;
	int rc = nl_collect(f, sel, &it, &n);

	if (rc == ISCSI_ERR_NO_OBJS_FOUND || (rc == ISCSI_OK && n == 0)) {
		if (rc == ISCSI_OK)
			nl_items_free(it, n);
		err_clear();
		return cli_out_no_records();
	}
	if (rc != ISCSI_OK)
		return rc;
	rc = nl_login_items(it, n, o->no_wait);
	nl_items_free(it, n);
	return rc;
}

static int node_logout_sessions(struct cli_opts *o, const struct db_node_filter *f, const char *sel);
static int node_rescan_sessions(const struct db_node_filter *f);

/*
 * Entry from mode_node.c for -l/-u/-L/-U/-R.  @f is the -T/-p/-I filter.
 * Returns an enum iscsi_err, already reported on stderr.
 */
int
node_login_dispatch(struct cli_opts *o, const struct db_node_filter *f)
{
	static const struct db_node_filter all = DB_NODE_FILTER_ALL;

	if (o->login)
		return nl_login(o, f, NULL);
	if (o->login_all != NULL)
		return nl_login(o, &all, o->login_all);
	if (o->logout)
		return node_logout_sessions(o, f, NULL);
	if (o->rescan)
		return node_rescan_sessions(f);
	return node_logout_sessions(o, &all, o->logout_all);
}

/* ---------------------------------------------------------------- logout */

static bool
nl_session_match(const struct sysfs_session *s, const struct db_node_filter *f)
{
	const char *iface = s->ifacename[0] != '\0' ? s->ifacename : "default";

	return (f->target == NULL || strcmp(f->target, s->targetname) == 0) &&
	    (f->address == NULL || strcmp(f->address, s->conn.persistent_address) == 0) &&
	    (f->port < 0 || f->port == s->conn.persistent_port) &&
	    (f->iface == NULL || strcmp(f->iface, iface) == 0);
}

/* -U: the session's record must be readable and selected, never onboot. */
static bool
nl_logout_all_match(const struct sysfs_session *s, const char *sel)
{
	struct db_node_filter f = { s->targetname, s->conn.persistent_address,
	    s->conn.persistent_port, -1, s->ifacename[0] != '\0' ? s->ifacename : "default" };
	struct nl_item *it;
	size_t n;
	bool ok;

	if (nl_collect(&f, NULL, &it, &n) != ISCSI_OK || n == 0) {
		err_clear();
		if (it != NULL)
			nl_items_free(it, n);
		return false;
	}
	ok = strcmp(rec_get(it[0].rec, "node.startup"), "onboot") != 0 &&
	    nl_startup_match(it[0].rec, sel);
	nl_items_free(it, n);
	return ok;
}

static int
nl_logout_request(uint32_t sid)
{
	struct ipc_msg rsp;
	int rc = ipc_client_sid(IPC_SESSION_LOGOUT, sid, &rsp, IPC_CLIENT_FOREVER);

	if (rc == ISCSI_OK)
		ipc_msg_free(&rsp);
	return rc;
}

static void
nl_logout_result(const struct sysfs_session *s, int rc)
{
	if (rc == ISCSI_OK) {
		printf("Logout of [sid: %u, target: %s, portal: %s,%d] successful.\n", s->sid,
		    s->targetname, s->conn.persistent_address, s->conn.persistent_port);
	} else {
		char what[1024];

		snprintf(what, sizeof(what), "Could not logout of [sid: %u, target: %s, portal: %s,%d].",
		    s->sid, s->targetname, s->conn.persistent_address, s->conn.persistent_port);
		nl_report(what, rc);
	}
	fflush(stdout);
}

/* The sysfs sessions matching @f (and, for -U, @sel); 21 with the
 * reference's line when there is none. */
static int
nl_sessions(const struct db_node_filter *f, const char *sel, struct sysfs_session **out,
    size_t *nout)
{
	struct sysfs_session *ss;
	uint32_t *sids = NULL;
	size_t n = 0, k = 0;

	if (sysfs_session_list(&sids, &n) != ISCSI_OK)
		err_clear();
	if ((ss = calloc(n + 1, sizeof(*ss))) == NULL) {
		free(sids);
		return ISCSI_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (sysfs_session_get(sids[i], &ss[k]) != ISCSI_OK) {
			err_clear();
			continue;
		}
		if (nl_session_match(&ss[k], f) && (sel == NULL || nl_logout_all_match(&ss[k], sel)))
			k++;
	}
	free(sids);
	if (k == 0) {
		free(ss);
		fprintf(stderr, "iscsiadm: No matching sessions found\n");
		return ISCSI_ERR_NO_OBJS_FOUND;
	}
	*out = ss;
	*nout = k;
	return ISCSI_OK;
}

/* -m node -R: rescan the record's sessions (sysfs, no iscsid needed). */
static int
node_rescan_sessions(const struct db_node_filter *f)
{
	struct sysfs_session *ss;
	size_t k;
	int rc = nl_sessions(f, NULL, &ss, &k), first = ISCSI_OK;

	for (size_t i = 0; rc == ISCSI_OK && i < k; i++) {
		printf("Rescanning session [sid: %u, target: %s, portal: %s,%d]\n", ss[i].sid,
		    ss[i].targetname, ss[i].conn.persistent_address, ss[i].conn.persistent_port);
		fflush(stdout);
		if ((rc = sysfs_session_rescan(ss[i].sid)) != ISCSI_OK) {
			cli_report(rc);
			if (first == ISCSI_OK)
				first = rc;
			rc = ISCSI_OK;
		}
	}
	if (rc == ISCSI_OK)
		free(ss);
	err_clear();
	return rc != ISCSI_OK ? rc : first;
}

static int
node_logout_sessions(struct cli_opts *o, const struct db_node_filter *f, const char *sel)
{
	struct sysfs_session *ss;
	size_t k;
	int rc, first = ISCSI_OK;

	(void)o;
	if ((rc = nl_sessions(f, sel, &ss, &k)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; i < k; i++)
		printf("Logging out of session [sid: %u, target: %s, portal: %s,%d]\n", ss[i].sid,
		    ss[i].targetname, ss[i].conn.persistent_address, ss[i].conn.persistent_port);
	fflush(stdout);
	for (size_t base = 0; base < k; base += NL_PARALLEL) {
		pid_t pids[NL_PARALLEL];
		size_t todo = k - base < NL_PARALLEL ? k - base : NL_PARALLEL;

		/* children only ask; the parent prints, in order */
		for (size_t i = 0; i < todo; i++)
			if (k == 1 || (pids[i] = fork()) < 0)
				pids[i] = -1;
			else if (pids[i] == 0)
				_exit(nl_logout_request(ss[base + i].sid) & 0xff);
		for (size_t i = 0; i < todo; i++) {
			int st;

			if (pids[i] < 0)
				rc = nl_logout_request(ss[base + i].sid);
			else if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st))
				rc = ISCSI_ERR_CHILD_TERMINATED;
			else
				rc = WEXITSTATUS(st);
			nl_logout_result(&ss[base + i], rc);
			if (rc != ISCSI_OK && first == ISCSI_OK)
				first = rc;
		}
	}
	free(ss);
	return first;
}
