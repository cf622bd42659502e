/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pieces shared by iscsiadm's discovery and discoverydb modes: the
 * discovery record named by -t/-p, showing it, and the listing of every
 * discovery record (-P 0 and the -P 1 tree).  Internal to cli/.
 */
#ifndef ISCSIKIT_CLI_DISC_H
#define ISCSIKIT_CLI_DISC_H

#include "cli.h"
#include "db.h"

/* The id for -p with @kind's default port; prints the reference's complaint without -p. */
int disc_id_from_opts(struct cli_opts *o, enum rec_kind kind, struct db_disc_id *id);
/* -o show of one discovery record (secrets masked unless -S). */
int disc_show(const struct cli_opts *o, const struct rec *r);
/* "-m discovery" with no portal: one line per record, or the -P 1 tree. */
int disc_list(const struct cli_opts *o);

#endif
