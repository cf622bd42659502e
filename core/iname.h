/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The initiator's own name: initiatorname.iscsi (InitiatorName=,
 * InitiatorAlias=) and the generator behind iscsi-iname.
 */
#ifndef ISCSIKIT_INAME_H
#define ISCSIKIT_INAME_H

#include <stddef.h>

#define INAME_PREFIX_MAX	210	/* iscsi-iname: "error: prefix too long" */

/*
 * Read @path (NULL = paths_confdir()/initiatorname.iscsi).  @name gets
 * InitiatorName ("" if absent), @alias InitiatorAlias ("" if absent; may
 * be NULL).  ISCSI_ERR_IDBM with detail if the file cannot be read;
 * ISCSI_ERR_INVAL if the name is missing or not a valid iSCSI name.
 */
int iname_read(const char *path, char *name, size_t namelen,
	       char *alias, size_t aliaslen);

/*
 * Generate "<prefix>:<hex>" where hex is 6 random bytes each printed with
 * %x (no zero padding, like open-iscsi).  ISCSI_ERR_INVAL if @prefix is
 * longer than INAME_PREFIX_MAX, ISCSI_ERR if no entropy.
 */
int iname_generate(const char *prefix, char *out, size_t outlen);

#endif
