// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsid restart: take over the kernel's software sessions an earlier
 * iscsid created, without relogin, so their connection errors are
 * recovered and their logouts go through the state machine.  The node
 * record comes from the DB, or from sysfs when it was deleted meanwhile.
 * Not here: firmware/offload sessions (creator -1), which stay the kernel's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "err.h"
#include "log.h"
#include "rec.h"
#include "session.h"
#include "session_priv.h"
#include "sysfs.h"

/* The record for @ss: the DB's, else one rebuilt from what sysfs knows. */
static struct rec *
adopt_record(const struct sysfs_session *ss)
{
	struct db_node_id id = { .port = ss->conn.persistent_port, .tpgt = -1 };
	struct rec *r = NULL;
	char num[16];

	snprintf(id.target, sizeof(id.target), "%s", ss->targetname);
	snprintf(id.address, sizeof(id.address), "%s", ss->conn.persistent_address);
	snprintf(id.iface, sizeof(id.iface), "%s", ss->ifacename[0] != '\0' ? ss->ifacename :
	    "default");
	if (db_node_load(&id, &r) == ISCSI_OK)
		return r;
	err_clear();
	if ((r = rec_new(REC_NODE)) == NULL)
		return NULL;
	(void)rec_set(r, "node.name", ss->targetname);
	(void)rec_set(r, "node.conn[0].address", ss->conn.persistent_address);
	snprintf(num, sizeof(num), "%d", ss->conn.persistent_port);
	(void)rec_set(r, "node.conn[0].port", num);
	snprintf(num, sizeof(num), "%d", ss->tpgt);
	(void)rec_set(r, "node.tpgt", num);
	(void)rec_set(r, "iface.iscsi_ifacename", id.iface);
	if (ss->username[0] != '\0') {
		(void)rec_set(r, "node.session.auth.authmethod", "CHAP");
		(void)rec_set(r, "node.session.auth.username", ss->username);
		(void)rec_set(r, "node.session.auth.password", ss->password);
		(void)rec_set(r, "node.session.auth.username_in", ss->username_in);
		(void)rec_set(r, "node.session.auth.password_in", ss->password_in);
	}
	err_clear();
	return r;
}

static void
adopt_one(uint32_t sid, uint64_t th)
{
	struct sysfs_session ss;
	struct rec *r;
	struct sess *s;

	if (sysfs_session_get(sid, &ss) != ISCSI_OK || strcmp(ss.transport, "tcp") != 0 ||
	    ss.creator == -1 || sess_find(sid) != NULL) {
		err_clear();
		return;
	}
	if ((r = adopt_record(&ss)) == NULL || (s = sess_new(r)) == NULL) {
		rec_free(r);
		log_warnx("session %u: out of memory adopting it", sid);
		return;
	}
	s->th = th;
	s->sid = sid;
	s->cid = 0;
	s->host_no = ss.host_no < 0 ? 0 : (uint32_t)ss.host_no;
	s->kcreated = true;
	s->was_logged_in = true;
	sess_login_cfg(s);
	s->lo.lo_params.default_time2wait = 2;
	s->state = SS_LOGGED_IN;
	log_info("session %u to [target: %s, portal: %s,%d] adopted from the kernel", sid,
	    s->target, s->addr, s->port);
	/* a connection that already failed is recovered now */
	if (strcmp(ss.state, "FAILED") == 0 || strcmp(ss.conn.state, "failed") == 0)
		sess_post(s, SE_KERN_ERR);
}

void
session_adopt(void)
{
	uint32_t *sids = NULL;
	size_t n = 0;
	uint64_t th;

	if (sess_g.kif == NULL || sess_transport_handle("tcp", NULL, &th) != ISCSI_OK) {
		err_clear();
		return;
	}
	if (sysfs_session_list(&sids, &n) != ISCSI_OK) {
		err_clear();
		return;
	}
	for (size_t i = 0; i < n; i++)
		adopt_one(sids[i], th);
	free(sids);
}
