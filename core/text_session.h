/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery text sessions for plugins (core_api ca_text_open/exchange/
 * close): connect, log in a SessionType=Discovery session with the
 * record's CHAP settings, run Text exchanges with continuation, log out.
 * Blocking with the record's timeouts; used by iscsiadm, not by iscsid's loop.
 */
#ifndef ISCSIKIT_TEXT_SESSION_H
#define ISCSIKIT_TEXT_SESSION_H

#include <stddef.h>

#include <iscsi/core_api.h>
#include <iscsi/discovery.h>

struct plugin_handle;

/*
 * The three services as core_api.h's struct core_text_ops wants them;
 * @owner (the calling plugin) is only used for its identity.  Errors follow the
 * reference's discovery exit codes: an unreachable portal or a silent one
 * gives ISCSI_ERR_PDU_TIMEOUT (11), authentication ISCSI_ERR_LOGIN_AUTH_FAILED
 * (24), a target breaking the protocol ISCSI_ERR_TRANS (4).
 */
int text_session_open(const struct plugin_handle *owner, const struct iscsi_disc_request *req,
    struct iscsi_text_conn **out);
int text_session_exchange(const struct plugin_handle *owner, struct iscsi_text_conn *conn,
    const char *kv, size_t len, char **resp, size_t *resp_len);
void text_session_close(const struct plugin_handle *owner, struct iscsi_text_conn *conn);
/* Offer the three as core_api's text services (core_api_set_text_ops). */
void text_session_register(void);

#endif
