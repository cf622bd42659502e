// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session module's entry points: SESSION_LOGIN/LOGOUT IPC handlers,
 * the duplicate-session check (our list and sysfs), logout of sessions
 * this iscsid did not create (an earlier iscsid's, read from sysfs), and
 * kernel events.  The state machine itself is session.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/plugin.h>
#include <iscsi/transport.h>

#include "err.h"
#include "log.h"
#include "plugin.h"
#include "rec.h"
#include "session.h"
#include "session_priv.h"
#include "sysfs.h"

void
session_init(struct evloop *loop, struct kif *kif, const char *iname, const char *ialias)
{
	sess_g.loop = loop;
	sess_g.kif = kif;
	snprintf(sess_g.iname, sizeof(sess_g.iname), "%s", iname != NULL ? iname : "");
	snprintf(sess_g.ialias, sizeof(sess_g.ialias), "%s", ialias != NULL ? ialias : "");
	session_adopt();
}

void
session_shutdown(void)
{
	while (sess_g.list != NULL) {
		struct sess *s = sess_g.list;

		if (s->call != NULL)
			sess_reply(s, ISCSI_ERR_INTERNAL, "iscsid is stopping");
		if (s->logout_call != NULL) {
			ipc_call_finish(s->logout_call, ISCSI_ERR_INTERNAL, "iscsid is stopping");
			s->logout_call = NULL;
		}
		sess_free(s);
	}
}

/* Is there already a session for this target, portal and iface? */
static bool
session_exists(const char *target, const char *addr, int port, const char *iface)
{
	struct sysfs_session ss;
	uint32_t *sids = NULL;
	size_t n = 0;
	bool found = false;

	for (struct sess *s = sess_g.list; s != NULL; s = s->next)
		if (s->state != SS_DEAD && strcmp(s->target, target) == 0 &&
		    strcmp(s->addr, addr) == 0 && s->port == port && strcmp(s->iface, iface) == 0)
			return true;
	if (sysfs_session_list(&sids, &n) != ISCSI_OK) {
		err_clear();
		return false;
	}
	for (size_t i = 0; i < n && !found; i++) {
		if (sysfs_session_get(sids[i], &ss) != ISCSI_OK) {
			err_clear();
			continue;
		}
		found = strcmp(ss.targetname, target) == 0 &&
		    strcmp(ss.conn.persistent_address, addr) == 0 &&
		    ss.conn.persistent_port == port &&
		    (ss.ifacename[0] == '\0' || strcmp(ss.ifacename, iface) == 0);
	}
	free(sids);
	return found;
}

/*
 * The transport plugin of the record (exit 12 when it is not installed)
 * and whether this driver can do it: only transports that log in over a
 * userspace socket handed to the kernel (iscsi_tcp) so far.
 */
static int
session_transport(const char *name, const struct plugin_handle **outh)
{
	const struct plugin_handle *h;
	const struct iscsi_transport_ops *to;
	int rc = plugin_get(ISCSI_PLUGIN_TRANSPORT, name, &h);

	if (rc != ISCSI_OK)
		return rc;
	if ((to = plugin_transport_ops(h)) == NULL || to->to_kernel_name == NULL)
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND, "plugin %s is not a transport", name);
	if (!(to->to_flags & ISCSI_TF_USERSPACE_SOCKET))
		return err_set(ISCSI_ERR_OP_NOT_SUPP, "iscsid cannot log in over transport %s yet: "
		    "only transports that take a userspace TCP socket (tcp) are driven so far", name);
	*outh = h;
	return ISCSI_OK;
}

int
session_login(struct ipc_call *c, struct rec *rec, int multiple)
{
	const char *tn = rec_get(rec, "iface.transport_name");
	const char *iface = rec_get(rec, "iface.iscsi_ifacename");
	const struct plugin_handle *h = NULL;
	struct sess *s;
	int rc;

	if (sess_g.kif == NULL) {
		rec_free(rec);
		return err_set(ISCSI_ERR_TRANS_NOT_FOUND,
		    "iscsid runs without the kernel's iSCSI interface");
	}
	if ((rc = session_transport(tn != NULL && tn[0] != '\0' ? tn : "tcp", &h)) != ISCSI_OK) {
		rec_free(rec);
		return rc;
	}
	if (!multiple && session_exists(rec_get(rec, "node.name"),
	    rec_get(rec, "node.conn[0].address"), (int)rec_get_int(rec, "node.conn[0].port", 3260),
	    iface != NULL && iface[0] != '\0' ? iface : "default")) {
		rec_free(rec);
		return err_set(ISCSI_ERR_SESS_EXISTS, "session exists");
	}
	if ((s = sess_new(rec)) == NULL) {
		rec_free(rec);
		return ISCSI_ERR_NOMEM;
	}
	sess_clamp_caps(s, h);
	if ((rc = sess_transport_handle(plugin_transport_ops(h)->to_kernel_name,
	    plugin_transport_ops(h)->to_kernel_module, &s->th)) != ISCSI_OK) {
		sess_free(s);
		return rc;
	}
	s->call = c;
	sess_post(s, SE_START);
	return IPC_PENDING;
}

/* A session this iscsid does not drive (created by an earlier one). */
static int
session_logout_foreign(uint32_t sid)
{
	struct sysfs_session ss;
	uint64_t th;
	int rc;

	if (sysfs_session_get(sid, &ss) != ISCSI_OK)
		return err_set(ISCSI_ERR_SESS_NOT_FOUND, "session %u not found", sid);
	if ((rc = sess_transport_handle(ss.transport[0] != '\0' ? ss.transport : "tcp", NULL,
	    &th)) != ISCSI_OK)
		return rc;
	if (sess_k_unbind(th, sid) != ISCSI_OK)
		err_clear();
	if ((rc = sess_k_destroy(th, sid, 0)) == ISCSI_OK)
		log_info("Connection%u:0 to [target: %s, portal: %s,%d] through [iface: %s] is "
		    "shutdown.", sid, ss.targetname, ss.conn.persistent_address,
		    ss.conn.persistent_port, ss.ifacename[0] != '\0' ? ss.ifacename : "default");
	return rc;
}

int
session_logout(struct ipc_call *c, uint32_t sid)
{
	struct sess *s = sess_find(sid);

	if (sess_g.kif == NULL)
		return err_set(ISCSI_ERR_OP_NOT_SUPP, "iscsid cannot do SESSION_LOGOUT yet: it runs "
		    "without the kernel's iSCSI interface (ISCSID_NO_KERNEL=1)");
	if (s == NULL)
		return session_logout_foreign(sid);
	if (s->logout_call != NULL)
		return err_set(ISCSI_ERR_BUSY, "session %u is already logging out", sid);
	s->logout_call = c;
	sess_post(s, SE_LOGOUT);
	return IPC_PENDING;
}

void
session_kernel_event(const struct kif_event *ev)
{
	struct sess *s;

	if (ev->type == KIF_KEV_RECV_PDU) {
		sess_k_recv_pdu(ev);
		return;
	}
	if ((s = sess_find(ev->sid)) == NULL)
		return;
	if (ev->type == KIF_KEV_CONN_ERROR)
		sess_post(s, SE_KERN_ERR);
	else if (ev->type == KIF_KEV_UNBIND_SESSION)
		sess_post(s, SE_UNBOUND);
}

/* ---------------------------------------------------------------- IPC */

int
session_ipc_login(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct ipc_field f;
	struct rec *rec;
	char *text = NULL, *p;
	size_t off = 0, len = 0;
	uint32_t multiple = 0;
	int rc;

	(void)arg;
	while ((rc = ipc_next(req, &off, &f)) == 1) {
		if (f.tag != IPC_F_KV)
			continue;
		if ((p = realloc(text, len + f.len + 2)) == NULL) {
			free(text);
			return ISCSI_ERR_NOMEM;
		}
		text = p;
		memcpy(text + len, f.val, f.len);
		len += f.len;
		text[len++] = '\n';
	}
	if (rc < 0 || text == NULL) {
		free(text);
		return err_set(ISCSI_ERR_INVAL, "SESSION_LOGIN without a node record");
	}
	if (ipc_get_u32(req, IPC_F_MULTIPLE, &multiple) != ISCSI_OK)
		err_clear();
	if ((rec = rec_new(REC_NODE)) == NULL || rec_parse(rec, text, len, "login request") !=
	    ISCSI_OK) {
		free(text);
		rec_free(rec);
		return ISCSI_ERR_NOMEM;
	}
	free(text);
	if (rec_get(rec, "node.name")[0] == '\0' || rec_get(rec, "node.conn[0].address")[0] == '\0') {
		rec_free(rec);
		return err_set(ISCSI_ERR_INVAL, "SESSION_LOGIN record has no node.name or address");
	}
	return session_login(c, rec, multiple != 0);
}

int
session_ipc_logout(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	uint32_t sid;

	(void)arg;
	if (ipc_get_u32(req, IPC_F_SID, &sid) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "SESSION_LOGOUT without a session id");
	return session_logout(c, sid);
}

/* SESSION_INFO: connection state (iscsiadm's kif_conn_state_name numbers)
 * and the internal stage ("NO CHANGE", "CLEANUP", "REOPEN") for -P 1..3. */
int
session_ipc_info(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	static const uint32_t conn_state[SS_MAX] = {
		[SS_IDLE] = 0, [SS_CONNECTING] = 1, [SS_LOGIN] = 2, [SS_LOGGED_IN] = 3,
		[SS_REOPEN_WAIT] = 1, [SS_UNBINDING] = 4, [SS_LOGOUT_WAIT] = 4, [SS_DEAD] = 0,
	};
	struct ipc_msg *m = ipc_call_reply_msg(c);
	struct sess *s;
	uint32_t sid, stage;
	int rc;

	(void)arg;
	if (ipc_get_u32(req, IPC_F_SID, &sid) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "SESSION_INFO without a session id");
	if ((s = sess_find(sid)) == NULL)
		return err_set(ISCSI_ERR_SESS_NOT_FOUND, "iscsid does not manage session %u", sid);
	stage = s->state == SS_UNBINDING || s->state == SS_LOGOUT_WAIT ? 1 :
	    s->was_logged_in && s->state != SS_LOGGED_IN ? 2 : 0;
	if ((rc = ipc_put_u32(m, IPC_F_CONN_STATE, conn_state[s->state])) != ISCSI_OK)
		return rc;
	return ipc_put_u32(m, IPC_F_SESSION_STATE, stage);
}
