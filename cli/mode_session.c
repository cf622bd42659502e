// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm -m session: the session list and -P 0..3 trees read from sysfs
 * in open-iscsi 2.1.8's exact formats, -R rescan, and -s stats / -u logout
 * through iscsid.  Also iscsiadm -k (stop iscsid).  Node records are not
 * read here: "-r N" without -P prints the list line, not the node record.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "ipc_client.h"
#include "kif.h"
#include "log.h"
#include "sysfs.h"

#define EMPTY		"<empty>"
#define HIDDEN		"********"
#define ISCSIADM_VER	"2.1.8"

/* One session as printed: sysfs view plus what iscsid says about it. */
struct sess_row {
	struct sysfs_session	s;
	char			target[224 * 4];	/* escaped for printing */
	int			conn_state;		/* -1: unknown to iscsid */
	int			internal_state;
};

/* "127.0.0.1:3260" or "[::1]:3260", as open-iscsi decides by ':' in the address. */
static void
fmt_portal(char *out, size_t len, const char *addr, int port)
{
	snprintf(out, len, strchr(addr, ':') != NULL ? "[%s]:%d" : "%s:%d", addr, port);
}

static const char *
num_or_empty(char *buf, size_t len, long long v)
{
	if (v < 0)
		return EMPTY;
	snprintf(buf, len, "%lld", v);
	return buf;
}

static const char *
str_or(const char *s, const char *dflt)
{
	return s[0] != '\0' ? s : dflt;
}

static const char *
yes_no(int v)
{
	return v < 0 ? EMPTY : v ? "Yes" : "No";
}

/* ---------------------------------------------------------------- collecting */

static void
row_ask_iscsid(struct sess_row *r)
{
	struct ipc_msg rsp;
	uint32_t v;

	r->conn_state = r->internal_state = -1;
	if (ipc_client_sid(IPC_SESSION_INFO, r->s.sid, &rsp, IPC_CLIENT_SHORT_MS) != ISCSI_OK)
		return;
	if (ipc_get_u32(&rsp, IPC_F_CONN_STATE, &v) == ISCSI_OK)
		r->conn_state = (int)v;
	if (ipc_get_u32(&rsp, IPC_F_SESSION_STATE, &v) == ISCSI_OK)
		r->internal_state = (int)v;
	ipc_msg_free(&rsp);
}

static int
row_load(struct sess_row *r, uint32_t sid, bool ask)
{
	int rc = sysfs_session_get(sid, &r->s);

	if (rc != ISCSI_OK) {
		const char *d = err_detail(rc);

		if (d != NULL)
			log_warnx("%s", d);
		log_warnx("Could not get session info for sid %u", sid);
		err_clear();	/* said once, here */
		return ISCSI_ERR_SYSFS_LOOKUP;
	}
	log_escape(r->target, sizeof(r->target), r->s.targetname, strlen(r->s.targetname));
	r->conn_state = r->internal_state = -1;
	if (ask)
		row_ask_iscsid(r);
	return ISCSI_OK;
}

static int
row_cmp_tree(const void *a, const void *b)
{
	const struct sess_row *x = a, *y = b;
	int c = strcmp(x->s.targetname, y->s.targetname);

	if (c == 0)
		c = strcmp(x->s.conn.persistent_address, y->s.conn.persistent_address);
	if (c == 0)
		c = x->s.conn.persistent_port - y->s.conn.persistent_port;
	if (c == 0)
		c = x->s.sid < y->s.sid ? -1 : x->s.sid > y->s.sid;
	return c;
}

/*
 * The sessions to work on: all, or the one of -r.  Returns the first error
 * met; rows that could not be read are skipped.  *@rows is malloc'ed.
 */
static int
rows_collect(const struct cli_opts *o, bool ask, struct sess_row **rows, size_t *n)
{
	uint32_t *sids = NULL, one;
	size_t nsids = 0;
	int rc = ISCSI_OK, r;

	*rows = NULL;
	*n = 0;
	if (o->sid != NULL) {
		if ((rc = sysfs_session_parse_id(o->sid, &one)) != ISCSI_OK)
			return rc;
		sids = &one;
		nsids = 1;
	} else if ((rc = sysfs_session_list(&sids, &nsids)) != ISCSI_OK) {
		return rc;
	}
	if (nsids > 0 && (*rows = calloc(nsids, sizeof(**rows))) == NULL)
		rc = err_set(ISCSI_ERR_NOMEM, "out of memory for %zu sessions", nsids);
	for (size_t i = 0; *rows != NULL && i < nsids; i++) {
		if ((r = row_load(&(*rows)[*n], sids[i], ask)) == ISCSI_OK)
			(*n)++;
		else if (rc == ISCSI_OK)
			rc = r;
	}
	if (sids != &one)
		free(sids);
	return rc;
}

/* ---------------------------------------------------------------- printing */

static void
print_flat(const struct sess_row *r)
{
	char portal[96];

	fmt_portal(portal, sizeof(portal), r->s.conn.persistent_address, r->s.conn.persistent_port);
	printf("%s: [%u] %s,%d %s (%s)\n", str_or(r->s.transport, EMPTY), r->s.sid, portal,
	    r->s.tpgt, r->target, r->s.creator == -1 ? "flash" : "non-flash");
}

static const char *const internal_states[] = { "NO CHANGE", "CLEANUP", "REOPEN", "REDIRECT" };

/* The kernel exports digests as "0"/"1" (libiscsi's hdrdgst_en); print as the reference. */
static const char *
digest_name(const char *v)
{
	if (strcmp(v, "1") == 0)
		return "CRC32C";
	if (strcmp(v, "0") == 0)
		return "None";
	return str_or(v, EMPTY);
}

static void
print_iface(const struct sess_row *r)
{
	struct sysfs_host h;
	const char *internal = "Unknown";

	if (sysfs_host_get(r->s.host_no, &h) != ISCSI_OK)
		memset(&h, 0, sizeof(h));
	if (r->internal_state >= 0 &&
	    (size_t)r->internal_state < sizeof(internal_states) / sizeof(internal_states[0]))
		internal = internal_states[r->internal_state];
	printf("\t\t**********\n\t\tInterface:\n\t\t**********\n");
	printf("\t\tIface Name: %s\n", str_or(r->s.ifacename, EMPTY));
	printf("\t\tIface Transport: %s\n", str_or(r->s.transport, EMPTY));
	printf("\t\tIface Initiatorname: %s\n", str_or(r->s.initiatorname, EMPTY));
	if (strchr(h.ipaddress, ':') != NULL)
		printf("\t\tIface IPaddress: [%s]\n", h.ipaddress);
	else
		printf("\t\tIface IPaddress: %s\n", str_or(h.ipaddress, EMPTY));
	printf("\t\tIface HWaddress: %s\n", str_or(h.hwaddress, "default"));
	printf("\t\tIface Netdev: %s\n", str_or(h.netdev, "default"));
	printf("\t\tSID: %u\n", r->s.sid);
	printf("\t\tiSCSI Connection State: %s\n",
	    r->conn_state < 0 ? "Unknown" : kif_conn_state_name((uint32_t)r->conn_state));
	printf("\t\tiSCSI Session State: %s\n", str_or(r->s.state, "Unknown"));
	printf("\t\tInternal iscsid Session State: %s\n", internal);
}

static void
print_secret(const char *label, const char *value, bool show)
{
	char esc[1024];

	log_escape(esc, sizeof(esc), value, strlen(value));
	printf("\t\t%s: %s\n", label, show ? str_or(esc, EMPTY) : HIDDEN);
}

static void
print_params(const struct sess_row *r, bool show_secrets)
{
	const struct sysfs_session *s = &r->s;
	char b[4][32], esc[1024];

	printf("\t\t*********\n\t\tTimeouts:\n\t\t*********\n");
	printf("\t\tRecovery Timeout: %s\n", num_or_empty(b[0], 32, s->recovery_tmo));
	printf("\t\tTarget Reset Timeout: %s\n", num_or_empty(b[1], 32, s->tgt_reset_tmo));
	printf("\t\tLUN Reset Timeout: %s\n", num_or_empty(b[2], 32, s->lu_reset_tmo));
	printf("\t\tAbort Timeout: %s\n", num_or_empty(b[3], 32, s->abort_tmo));
	printf("\t\t*****\n\t\tCHAP:\n\t\t*****\n");
	log_escape(esc, sizeof(esc), s->username, strlen(s->username));
	printf("\t\tusername: %s\n", str_or(esc, EMPTY));
	print_secret("password", s->password, show_secrets);
	log_escape(esc, sizeof(esc), s->username_in, strlen(s->username_in));
	printf("\t\tusername_in: %s\n", str_or(esc, EMPTY));
	/* 2.1.8 labels the shown inbound password "password:" (kept for scripts) */
	print_secret(show_secrets ? "password" : "password_in", s->password_in, show_secrets);
	printf("\t\t************************\n\t\tNegotiated iSCSI params:\n"
	    "\t\t************************\n");
	printf("\t\tHeaderDigest: %s\n", digest_name(s->conn.header_digest));
	printf("\t\tDataDigest: %s\n", digest_name(s->conn.data_digest));
	printf("\t\tMaxRecvDataSegmentLength: %s\n", num_or_empty(b[0], 32, s->conn.max_recv_dlength));
	printf("\t\tMaxXmitDataSegmentLength: %s\n", num_or_empty(b[1], 32, s->conn.max_xmit_dlength));
	printf("\t\tFirstBurstLength: %s\n", num_or_empty(b[2], 32, s->first_burst_len));
	printf("\t\tMaxBurstLength: %s\n", num_or_empty(b[3], 32, s->max_burst_len));
	printf("\t\tImmediateData: %s\n", yes_no(s->immediate_data));
	printf("\t\tInitialR2T: %s\n", yes_no(s->initial_r2t));
	printf("\t\tMaxOutstandingR2T: %s\n", num_or_empty(b[0], 32, s->max_outstanding_r2t));
}

static void
print_devices(const struct sess_row *r)
{
	struct sysfs_host h;
	struct sysfs_disk *d;
	size_t n;

	printf("\t\t************************\n\t\tAttached SCSI devices:\n"
	    "\t\t************************\n");
	if (sysfs_host_get(r->s.host_no, &h) != ISCSI_OK)
		memset(&h, 0, sizeof(h));
	printf("\t\tHost Number: %d\tState: %s\n", r->s.host_no, str_or(h.state, "Unknown"));
	if (sysfs_session_disks(r->s.sid, &d, &n) != ISCSI_OK) {
		log_warnx("%s", err_detail(ISCSI_ERR_INVAL) ? err_detail(ISCSI_ERR_INVAL) :
		    "could not list the session's SCSI devices");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		printf("\t\tscsi%d Channel %02d Id %d Lun: %d\n", d[i].host, d[i].channel, d[i].id,
		    d[i].lun);
		if (d[i].block[0] != '\0')
			printf("\t\t\tAttached scsi disk %s\t\tState: %s\n", d[i].block,
			    str_or(d[i].state, "Unknown"));
	}
	free(d);
}

static void
print_tree(struct sess_row *rows, size_t n, int level, bool show_secrets)
{
	const struct sess_row *prev = NULL;
	char cur[96], pers[96], prev_pers[96] = "";
	char ver[64];

	if (level >= 3) {
		if (sysfs_transport_class_version(ver, sizeof(ver)) == ISCSI_OK)
			printf("iSCSI Transport Class version %s\n", ver);
		printf("version %s\n", ISCSIADM_VER);
	}
	qsort(rows, n, sizeof(*rows), row_cmp_tree);
	for (size_t i = 0; i < n; i++) {
		const struct sess_row *r = &rows[i];
		bool new_target = prev == NULL || strcmp(prev->s.targetname, r->s.targetname) != 0;

		if (new_target)
			printf("Target: %s (%s)\n", r->target, r->s.creator == -1 ? "flash" : "non-flash");
		fmt_portal(cur, sizeof(cur), r->s.conn.address, r->s.conn.port);
		fmt_portal(pers, sizeof(pers), r->s.conn.persistent_address, r->s.conn.persistent_port);
		if (new_target || strcmp(pers, prev_pers) != 0) {
			printf("\tCurrent Portal: %s,%d\n", cur, r->s.tpgt);
			printf("\tPersistent Portal: %s,%d\n", pers, r->s.tpgt);
		}
		print_iface(r);
		if (level >= 2)
			print_params(r, show_secrets);
		if (level >= 3)
			print_devices(r);
		snprintf(prev_pers, sizeof(prev_pers), "%s", pers);
		prev = r;
	}
}

/* ---------------------------------------------------------------- actions */

/* "[sid: 1, target: iqn…, portal: 127.0.0.1,3260]" (IPv6 without brackets). */
static void
fmt_ident(char *out, size_t len, const struct sess_row *r)
{
	snprintf(out, len, "[sid: %u, target: %s, portal: %s,%d]", r->s.sid, r->target,
	    r->s.conn.persistent_address, r->s.conn.persistent_port);
}

static int
session_stats(const struct sess_row *r)
{
	char ident[1200], name[80];
	struct ipc_msg rsp;
	struct ipc_field f;
	bool extended = false;
	uint64_t v;
	size_t off = 0;
	int rc = ipc_client_sid(IPC_SESSION_STATS, r->s.sid, &rsp, IPC_CLIENT_FOREVER);

	if (rc != ISCSI_OK) {
		cli_report(rc);
		return rc;
	}
	fmt_ident(ident, sizeof(ident), r);
	printf("Stats for session %s\niSCSI SNMP:\n", ident);
	while (ipc_next(&rsp, &off, &f) == 1) {
		if ((f.tag != IPC_F_STAT && f.tag != IPC_F_CUSTOM_STAT) ||
		    ipc_field_stat(&f, name, sizeof(name), &v) != ISCSI_OK)
			continue;
		if (f.tag == IPC_F_CUSTOM_STAT && !extended) {
			printf("iSCSI Extended:\n");
			extended = true;
		}
		printf("\t%s: %llu\n", name, (unsigned long long)v);
	}
	ipc_msg_free(&rsp);
	return ISCSI_OK;
}

static int
sessions_stats(const struct sess_row *rows, size_t n)
{
	int first = ISCSI_OK, rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = session_stats(&rows[i])) != ISCSI_OK && first == ISCSI_OK)
			first = rc;
	if (first != ISCSI_OK)
		log_warnx("Could not execute operation on all sessions: %s", iscsi_strerror(first));
	err_clear();
	return first;
}

static int
session_logout(const struct sess_row *rows, size_t n)
{
	char ident[1200];
	int first = ISCSI_OK, rc;

	for (size_t i = 0; i < n; i++) {
		fmt_ident(ident, sizeof(ident), &rows[i]);
		printf("Logging out of session %s\n", ident);
	}
	for (size_t i = 0; i < n; i++) {
		struct ipc_msg rsp;

		fmt_ident(ident, sizeof(ident), &rows[i]);
		rc = ipc_client_sid(IPC_SESSION_LOGOUT, rows[i].s.sid, &rsp, IPC_CLIENT_FOREVER);
		if (rc == ISCSI_OK) {
			ipc_msg_free(&rsp);
			printf("Logout of %s successful.\n", ident);
			continue;
		}
		cli_report(rc);
		log_warnx("Could not logout of %s.", ident);
		log_warnx("initiator reported error (%d - %s)", rc, iscsi_strerror(rc));
		if (first == ISCSI_OK)
			first = rc;
	}
	err_clear();
	return first;
}

static int
session_rescan(const struct sess_row *rows, size_t n)
{
	char ident[1200];
	int first = ISCSI_OK, rc;

	for (size_t i = 0; i < n; i++) {
		fmt_ident(ident, sizeof(ident), &rows[i]);
		printf("Rescanning session %s\n", ident);
		if ((rc = sysfs_session_rescan(rows[i].s.sid)) != ISCSI_OK) {
			cli_report(rc);
			if (first == ISCSI_OK)
				first = rc;
		}
	}
	err_clear();
	return first;
}

static int
session_check_opts(const struct cli_opts *o)
{
	if (o->print_level > 3 || o->print_level < -1)
		return err_set(ISCSI_ERR_INVAL, "Invalid info level %d. Try 0 - 3.", o->print_level);
	if ((o->logout + o->rescan + o->stats) > 1)
		return err_set(ISCSI_ERR_INVAL, "Only one of -u, -R and -s may be given.");
	if (o->ops != 0 || o->nnamevals != 0)
		return err_set(ISCSI_ERR_OP_NOT_SUPP,
		    "session mode operations on node records (-o/-n/-v) are not supported yet");
	return ISCSI_OK;
}

int
mode_session_run(struct cli_opts *o)
{
	struct sess_row *rows;
	size_t n;
	int rc, first = ISCSI_OK;
	bool ask = !o->logout && !o->rescan && !o->stats && o->print_level >= 1;

	if ((rc = session_check_opts(o)) != ISCSI_OK)
		return rc;
	rc = rows_collect(o, ask, &rows, &n);
	if (n == 0) {
		free(rows);
		if (rc != ISCSI_OK)
			return rc == ISCSI_ERR_INVAL ? rc : ISCSI_ERR_SYSFS_LOOKUP;
		if (o->logout)
			return err_set(ISCSI_ERR_NO_OBJS_FOUND, "No matching sessions found");
		return err_set(ISCSI_ERR_NO_OBJS_FOUND, "No active sessions.");
	}
	err_clear();
	if (o->logout)
		first = session_logout(rows, n);
	else if (o->rescan)
		first = session_rescan(rows, n);
	else if (o->stats)
		first = sessions_stats(rows, n);
	else if (o->print_level >= 1)
		print_tree(rows, n, o->print_level, o->show_secrets);
	else
		for (size_t i = 0; i < n; i++)
			print_flat(&rows[i]);
	free(rows);
	fflush(stdout);
	return first != ISCSI_OK ? first : rc;
}

/*
 * iscsiadm -k 0: ask iscsid to stop.  As open-iscsi, the exit status is 0
 * even when iscsid could not be reached; the reason is printed.
 */
int
cli_kill_iscsid(const char *priority)
{
	struct ipc_msg rsp;
	int rc;

	if (strcmp(priority, "0") != 0) {
		log_warnx("Invalid iscsid priority %s. Priority must be 0.", priority);
		return ISCSI_OK;
	}
	rc = ipc_client_simple(IPC_IMMEDIATE_STOP, &rsp, IPC_CLIENT_SHORT_MS);
	if (rc == ISCSI_OK) {
		ipc_msg_free(&rsp);
		return ISCSI_OK;
	}
	cli_report(rc);
	log_warnx("initiator reported error (%d - %s)", rc, iscsi_strerror(rc));
	log_warnx("Could not stop iscsid. Trying sending iscsid SIGTERM or SIGKILL signals manually");
	return ISCSI_OK;
}
