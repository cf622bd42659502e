/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where iscsikit's files live.  Compiled-in defaults (configure
 * --with-dbroot/--with-homedir/--with-lockdir) can be moved as a whole
 * under a private root with ISCSI_ROOT=/tmp/x (tests, containers), or one
 * by one with ISCSI_DB_ROOT, ISCSI_CONFIG_DIR, ISCSI_LOCK_DIR,
 * ISCSI_SYSFS_ROOT and ISCSI_RUN_DIR.  Values are computed once.
 */
#ifndef ISCSIKIT_PATHS_H
#define ISCSIKIT_PATHS_H

const char *paths_dbroot(void);		/* nodes/, send_targets/, ifaces/ ... */
const char *paths_confdir(void);	/* iscsid.conf, initiatorname.iscsi */
const char *paths_lockdir(void);	/* lock, lock.write */
const char *paths_sysfs(void);		/* "/sys" */
const char *paths_rundir(void);		/* "/run": iscsid.pid */
/* Forget cached values (tests that change the environment). */
void paths_reset(void);

#endif
