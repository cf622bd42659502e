/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error detail: a function that fails with an enum iscsi_err may record
 * one human sentence saying why; the CLI prints it, iscsid sends it over
 * IPC.  The codes themselves are in include/iscsi/errors.h.
 */
#ifndef ISCSIKIT_ERR_H
#define ISCSIKIT_ERR_H

#include <iscsi/errors.h>

/* Record a detail for @err and return @err, so callers can write
 * "return err_set(ISCSI_ERR_INVAL, "bad %s", key);". */
int err_set(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The detail recorded for @err, or NULL if the last detail was for another code. */
const char *err_detail(int err);
void err_clear(void);

#endif
