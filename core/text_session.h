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

/*
 * The three services with core_api's signatures; @api is only used for
 * its identity (logging goes through the core's log).  Errors follow the
 * reference's discovery exit codes: an unreachable portal or a silent one
 * gives ISCSI_ERR_PDU_TIMEOUT (11), authentication ISCSI_ERR_LOGIN_AUTH_FAILED
 * (24), a target breaking the protocol ISCSI_ERR_TRANS (4).
 */
int text_session_open(const struct iscsi_core_api *api, const struct iscsi_disc_request *req,
    struct iscsi_text_conn **out);
int text_session_exchange(const struct iscsi_core_api *api, struct iscsi_text_conn *conn,
    const char *kv, size_t len, char **resp, size_t *resp_len);
void text_session_close(const struct iscsi_core_api *api, struct iscsi_text_conn *conn);
void text_session_free_mem(const struct iscsi_core_api *api, void *p);

#endif
