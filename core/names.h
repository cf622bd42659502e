/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Validation of every name that becomes part of a path or a record line:
 * iSCSI names (RFC 3720 3.2.6), iface names, portal addresses, values.
 * Refusals return ISCSI_ERR_INVAL with an err_set() detail saying why.
 */
#ifndef ISCSIKIT_NAMES_H
#define ISCSIKIT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define NAMES_ISCSI_MAX	223	/* RFC 3720 3.2.6.1 */
#define NAMES_IFACE_MAX	64

/*
 * An iSCSI name: "iqn.yyyy-mm.<reversed domain>[:<anything>]",
 * "eui.<16 hex>" or "naa.<16|32 hex>", 1..223 bytes, RFC charset
 * (a-z 0-9 '-' '.' ':'), plus, for compatibility with names found on real
 * targets, upper-case letters and '_'.  Never '/', "..", spaces or
 * control characters.
 */
int names_check_iscsi(const char *name);

/*
 * A component read back from the database directory (existing records
 * written by other tools): only path safety is checked (non-empty, not
 * "." or "..", no '/', no control characters, < 256 bytes).
 */
int names_check_component(const char *s);

/* iface names: 1..64 bytes, no '/', no leading '.', no "..", no control/space. */
int names_check_iface(const char *name);
/* The same test without recording an error detail (safe from any thread). */
bool names_iface_ok(const char *name);

/* A portal address: IPv4/IPv6 literal (IPv6 raw, zone "%if" allowed) or a
 * hostname; no '/', ',', spaces or control characters; < 256 bytes. */
int names_check_address(const char *addr);

/* A record value: no newline, tab or other control character. */
int names_check_value(const char *value);

/*
 * Parse iscsiadm's -p: "ip", "ip:port", "ip:port,tpgt", "[v6]", "[v6]:port",
 * "[v6]:port,tpgt", a bare IPv6 literal, or a hostname with the same
 * suffixes.  *@port = @defport and *@tpgt = -1 when not given.  The address
 * is returned without brackets.
 */
int names_parse_portal(const char *s, char *addr, size_t addrlen, int *port,
		       int *tpgt, int defport);

/* True if @addr is an IPv6 literal (contains ':'). */
bool names_is_ipv6(const char *addr);

#endif
