/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A mock core_api for discovery-plugin tests and fuzzers: the text session
 * "answers" with a canned buffer and records what was asked; logging goes
 * nowhere unless MOCK_API_VERBOSE is set.  Not a model of the real core.
 */
#ifndef ISCSIKIT_MOCK_API_H
#define ISCSIKIT_MOCK_API_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iscsi/core_api.h>
#include <iscsi/discovery.h>
#include <iscsi/errors.h>
#include <iscsi/plugin.h>

struct mock_api_state {
	const char	*answer;	/* what ca_text_exchange returns */
	size_t		 answer_len;
	int		 open_rc;	/* ca_text_open's verdict */
	int		 exchange_rc;
	int		 opened, closed;
	char		 asked[64];	/* the Text request the plugin sent */
	int		 last_err;
	char		 detail[256];
};

static struct mock_api_state mock_api;

static void __attribute__((format(printf, 3, 4)))
mock_log(const struct iscsi_core_api *api, int prio, const char *fmt, ...)
{
	(void)api; (void)prio; (void)fmt;
}

static void __attribute__((format(printf, 3, 4)))
mock_set_error(const struct iscsi_core_api *api, int err, const char *fmt, ...)
{
	va_list ap;

	(void)api;
	mock_api.last_err = err;
	va_start(ap, fmt);
	vsnprintf(mock_api.detail, sizeof(mock_api.detail), fmt, ap);
	va_end(ap);
}

static int
mock_text_open(const struct iscsi_core_api *api, const struct iscsi_disc_request *req,
    struct iscsi_text_conn **out)
{
	(void)api; (void)req;
	mock_api.opened++;
	*out = (struct iscsi_text_conn *)&mock_api;
	return mock_api.open_rc;
}

static int
mock_text_exchange(const struct iscsi_core_api *api, struct iscsi_text_conn *conn,
    const char *kv, size_t len, char **resp, size_t *resp_len)
{
	(void)api; (void)conn;
	snprintf(mock_api.asked, sizeof(mock_api.asked), "%.*s", (int)len, kv);
	if (mock_api.exchange_rc != ISCSI_OK)
		return mock_api.exchange_rc;
	/* an exact-size copy so ASan/libFuzzer see reads past the end */
	*resp = malloc(mock_api.answer_len ? mock_api.answer_len : 1);
	if (*resp == NULL)
		return ISCSI_ERR_NOMEM;
	memcpy(*resp, mock_api.answer, mock_api.answer_len);
	*resp_len = mock_api.answer_len;
	return ISCSI_OK;
}

static void
mock_text_close(const struct iscsi_core_api *api, struct iscsi_text_conn *conn)
{
	(void)api; (void)conn;
	mock_api.closed++;
}

static void
mock_free(const struct iscsi_core_api *api, void *p)
{
	(void)api;
	free(p);
}

static const struct iscsi_core_api mock_core_api = {
	.ca_size = sizeof(struct iscsi_core_api),
	.ca_abi_major = ISCSI_PLUGIN_ABI_MAJOR,
	.ca_abi_minor = ISCSI_PLUGIN_ABI_MINOR,
	.ca_log = mock_log,
	.ca_debug = mock_log,
	.ca_set_error = mock_set_error,
	.ca_text_open = mock_text_open,
	.ca_text_exchange = mock_text_exchange,
	.ca_text_close = mock_text_close,
	.ca_free = mock_free,
};

static void
mock_api_reset(const char *answer, size_t len)
{
	memset(&mock_api, 0, sizeof(mock_api));
	mock_api.answer = answer;
	mock_api.answer_len = len;
}

#endif
