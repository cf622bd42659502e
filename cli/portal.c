// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsiadm's -p argument: "ip", "ip:port", "ip:port,tpgt", "[v6]:port,tpgt",
 * a bare IPv6 literal (no port) and hostnames, split the way open-iscsi
 * 2.1.8 splits them.  Names are not resolved here; the database decides
 * what an address may contain.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"

static int
copy_addr(struct cli_portal *p, const char *s, size_t len, const char *arg)
{
	if (len == 0 || len >= sizeof(p->address))
		return err_set(ISCSI_ERR_INVAL, "Invalid portal '%s'.", arg);
	memcpy(p->address, s, len);
	p->address[len] = '\0';
	return ISCSI_OK;
}

/* ":port" and/or ",tpgt" after the address; strtoul like the reference. */
static void
parse_suffix(struct cli_portal *p, const char *s)
{
	const char *comma;

	if (*s == ':')
		p->port = (int)strtoul(s + 1, NULL, 10);
	if ((comma = strchr(s, ',')) != NULL)
		p->tpgt = (int)strtoul(comma + 1, NULL, 10);
}

int
cli_portal_parse(const char *s, struct cli_portal *p)
{
	const char *end;
	size_t ncolon = 0;

	p->port = -1;
	p->tpgt = -1;
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return err_set(ISCSI_ERR_INVAL, "Invalid portal '%s'.", s);
		parse_suffix(p, end + 1);
		return copy_addr(p, s + 1, (size_t)(end - s - 1), s);
	}
	for (const char *c = s; *c != '\0' && *c != ','; c++)
		ncolon += *c == ':';
	if (strchr(s, '.') == NULL && ncolon > 1) {	/* raw IPv6: no port */
		end = s + strcspn(s, ",");
		parse_suffix(p, end);
		return copy_addr(p, s, (size_t)(end - s), s);
	}
	end = s + strcspn(s, ":,");
	parse_suffix(p, end);
	return copy_addr(p, s, (size_t)(end - s), s);
}

const struct cli_portal *
cli_portal(struct cli_opts *o, int defport)
{
	if (!o->have_portal)
		return NULL;
	if (o->portal.port < 0)
		o->portal.port = defport;
	return &o->portal;
}
