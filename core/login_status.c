// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Login Response Status-Class/Status-Detail (RFC 7143 §11.13.5) to enum
 * iscsi_err, with the reference's retry policy (open-iscsi.md §6.4):
 * authentication/authorisation → 24, other initiator errors → 19 (never
 * retried), target errors → 5 (retried), redirects handled by the engine.
 */
#include <stddef.h>

#include <iscsi/errors.h>
#include "login.h"

static const struct {
	uint16_t	 status;
	int		 err;
	bool		 retry;
	const char	*name;
} login_statuses[] = {
	{ 0x0000, ISCSI_OK,			false, "Success" },
	{ 0x0101, ISCSI_ERR_LOGIN,		true,  "Target moved temporarily" },
	{ 0x0102, ISCSI_ERR_LOGIN,		true,  "Target moved permanently" },
	{ 0x0200, ISCSI_ERR_FATAL_LOGIN,	false, "Initiator error" },
	{ 0x0201, ISCSI_ERR_LOGIN_AUTH_FAILED,	false, "Authentication failure" },
	{ 0x0202, ISCSI_ERR_LOGIN_AUTH_FAILED,	false, "Authorization failure" },
	{ 0x0203, ISCSI_ERR_FATAL_LOGIN,	false, "Not found" },
	{ 0x0204, ISCSI_ERR_FATAL_LOGIN,	false, "Target removed" },
	{ 0x0205, ISCSI_ERR_FATAL_LOGIN,	false, "Unsupported version" },
	{ 0x0206, ISCSI_ERR_FATAL_LOGIN,	false, "Too many connections" },
	{ 0x0207, ISCSI_ERR_FATAL_LOGIN,	false, "Missing parameter" },
	{ 0x0208, ISCSI_ERR_FATAL_LOGIN,	false, "Can't include in session" },
	{ 0x0209, ISCSI_ERR_FATAL_LOGIN,	false, "Session type not supported" },
	{ 0x020a, ISCSI_ERR_FATAL_LOGIN,	false, "Session does not exist" },
	{ 0x020b, ISCSI_ERR_FATAL_LOGIN,	false, "Invalid during login" },
	{ 0x0300, ISCSI_ERR_LOGIN,		true,  "Target error" },
	{ 0x0301, ISCSI_ERR_LOGIN,		true,  "Service unavailable" },
	{ 0x0302, ISCSI_ERR_LOGIN,		true,  "Out of resources" },
};

#define NSTATUS (sizeof(login_statuses) / sizeof(login_statuses[0]))

int
login_status_err(uint16_t status, bool *retry)
{
	unsigned cls = status >> 8;
	bool r = false;
	int err = ISCSI_ERR_FATAL_LOGIN;

	for (size_t i = 0; i < NSTATUS; i++)
		if (login_statuses[i].status == status) {
			if (retry != NULL)
				*retry = login_statuses[i].retry;
			return login_statuses[i].err;
		}
	/* Unknown details take their class's policy; unknown classes are fatal. */
	if (cls == 1 || cls == 3) {
		err = ISCSI_ERR_LOGIN;
		r = true;
	}
	if (retry != NULL)
		*retry = r;
	return err;
}

const char *
login_status_name(uint16_t status)
{
	for (size_t i = 0; i < NSTATUS; i++)
		if (login_statuses[i].status == status)
			return login_statuses[i].name;
	return "unknown";
}
