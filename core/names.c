// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Name validation before anything becomes a path or a record line
 * (open-iscsi CVE-2026-44943 was a traversal through TargetName).  Pure
 * string checks; no DNS, no filesystem.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "names.h"

static int
has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return s[n] == '\0';
}

/* "iqn." + yyyy-mm + "." + at least one more character. */
static int
iqn_date_ok(const char *s)
{
	for (int i = 0; i < 7; i++) {
		if (i == 4 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	}
	return s[7] == '.' && s[8] != '\0';
}

int
names_check_iscsi(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0)
		return err_set(ISCSI_ERR_INVAL, "empty iSCSI name");
	if (len > NAMES_ISCSI_MAX)
		return err_set(ISCSI_ERR_INVAL, "iSCSI name longer than %d bytes", NAMES_ISCSI_MAX);
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!isalnum(c) && c != '-' && c != '.' && c != ':' && c != '_')
			return err_set(ISCSI_ERR_INVAL,
				       "invalid character 0x%02x in iSCSI name", c);
	}
	if (strstr(name, "..") != NULL)
		return err_set(ISCSI_ERR_INVAL, "invalid iSCSI name: contains \"..\"");
	if (strncasecmp(name, "iqn.", 4) == 0) {
		if (!iqn_date_ok(name + 4))
			return err_set(ISCSI_ERR_INVAL,
				       "invalid iSCSI name %s: expected iqn.yyyy-mm.<domain>", name);
		return ISCSI_OK;
	}
	if (strncasecmp(name, "eui.", 4) == 0 && all_hex(name + 4, 16))
		return ISCSI_OK;
	if (strncasecmp(name, "naa.", 4) == 0 &&
	    (all_hex(name + 4, 16) || all_hex(name + 4, 32)))
		return ISCSI_OK;
	return err_set(ISCSI_ERR_INVAL,
		       "invalid iSCSI name %s: must start with iqn., eui. or naa.", name);
}

int
names_check_component(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0 || len > 255)
		return err_set(ISCSI_ERR_INVAL, "invalid name length %zu", len);
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strchr(s, '/') || has_ctl(s))
		return err_set(ISCSI_ERR_INVAL, "unsafe name in the database");
	return ISCSI_OK;
}

bool
names_iface_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	/* a leading '.' would hide the file (and our temporaries look like that) */
	if (len == 0 || len > NAMES_IFACE_MAX || strstr(name, "..") != NULL || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '/')
			return false;
	return true;
}

int
names_check_iface(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (names_iface_ok(name))
		return ISCSI_OK;

	if (len == 0 || len > NAMES_IFACE_MAX)
		return err_set(ISCSI_ERR_INVAL,
			       "Invalid iface name %s. Must be from 1 to 64 characters.",
			       name ? name : "");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '/')
			return err_set(ISCSI_ERR_INVAL,
				       "Invalid iface name: character 0x%02x not allowed",
				       (unsigned char)*p);
	if (strstr(name, "..") != NULL || name[0] == '.')
		return err_set(ISCSI_ERR_INVAL, "Invalid iface name %s.", name);
	return ISCSI_OK;
}

int
names_check_address(const char *addr)
{
	size_t len = addr ? strlen(addr) : 0;

	if (len == 0 || len >= 256)
		return err_set(ISCSI_ERR_INVAL, "invalid portal address length %zu", len);
	for (const char *p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!isalnum(c) && c != '.' && c != ':' && c != '-' && c != '%' && c != '_')
			return err_set(ISCSI_ERR_INVAL,
				       "invalid character 0x%02x in portal address", c);
	}
	if (strstr(addr, "..") != NULL)
		return err_set(ISCSI_ERR_INVAL, "invalid portal address %s", addr);
	return ISCSI_OK;
}

int
names_check_value(const char *value)
{
	if (value != NULL && has_ctl(value))
		return err_set(ISCSI_ERR_INVAL, "value contains a control character");
	return ISCSI_OK;
}

bool
names_is_ipv6(const char *addr)
{
	return addr != NULL && strchr(addr, ':') != NULL;
}

static int
parse_num(const char *s, int *out, int lo, int hi)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int
names_parse_portal(const char *s, char *addr, size_t addrlen, int *port,
		   int *tpgt, int defport)
{
	char buf[512], *a = buf, *rest = NULL, *comma, *colon;

	if (s == NULL || strlen(s) >= sizeof(buf))
		return err_set(ISCSI_ERR_INVAL, "invalid portal");
	strcpy(buf, s);
	*port = defport;
	*tpgt = -1;
	if ((comma = strrchr(buf, ',')) != NULL) {
		*comma = '\0';
		if (parse_num(comma + 1, tpgt, 0, 65535) < 0)
			return err_set(ISCSI_ERR_INVAL, "invalid tpgt in portal %s", s);
	}
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (close == NULL)
			return err_set(ISCSI_ERR_INVAL, "invalid portal %s", s);
		*close = '\0';
		a = buf + 1;
		if (close[1] == ':')
			rest = close + 2;
		else if (close[1] != '\0')
			return err_set(ISCSI_ERR_INVAL, "invalid portal %s", s);
	} else if ((colon = strchr(buf, ':')) != NULL && strchr(colon + 1, ':') == NULL) {
		*colon = '\0';
		rest = colon + 1;
	}
	if (rest != NULL && parse_num(rest, port, 0, 65535) < 0)
		return err_set(ISCSI_ERR_INVAL, "invalid port in portal %s", s);
	if (names_check_address(a) != ISCSI_OK)
		return ISCSI_ERR_INVAL;
	if (strlen(a) >= addrlen)
		return err_set(ISCSI_ERR_INVAL, "portal address too long");
	strcpy(addr, a);
	return ISCSI_OK;
}
