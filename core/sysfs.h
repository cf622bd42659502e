/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-mostly views of the kernel's iSCSI sysfs: iscsi_session,
 * iscsi_connection, iscsi_host, iscsi_transport and the SCSI devices of a
 * session, all under paths_sysfs() so tests use fake trees.  sysfs content
 * is untrusted input: reads are bounded, numbers parsed strictly, and bad
 * content is an error with a detail naming the file, never a crash.
 */
#ifndef ISCSIKIT_SYSFS_H
#define ISCSIKIT_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYSFS_VALUE_MAX		4096

/*
 * Read the attribute at @rel (relative to the sysfs root, e.g.
 * "class/iscsi_host/host3/hwaddress") into @buf; one trailing newline is
 * removed.  ISCSI_ERR_SYSFS_LOOKUP if it is missing or unreadable,
 * ISCSI_ERR_INVAL if longer than @len - 1 or holding control bytes.
 */
int sysfs_read(const char *rel, char *buf, size_t len);
int sysfs_readf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A decimal (or 0x hex with @base 0) integer attribute; junk is INVAL. */
int sysfs_read_int(const char *rel, long long *v, int base);
/* Write @value to @rel (no newline added). */
int sysfs_write(const char *rel, const char *value);

struct sysfs_conn {
	char		address[64];		/* current portal */
	int		port;
	char		persistent_address[64];	/* as configured */
	int		persistent_port;
	char		local_ipaddr[64];
	char		header_digest[16];	/* "None", "CRC32C" */
	char		data_digest[16];
	long long	max_recv_dlength, max_xmit_dlength;
	char		state[32];
};

/* Numbers are -1 when the kernel does not export them. */
struct sysfs_session {
	uint32_t	sid;
	int		host_no;		/* from the device path */
	char		transport[32];		/* "tcp": scsi_host proc_name minus "iscsi_" */
	char		targetname[224];
	int		tpgt;
	char		state[32];		/* "LOGGED_IN", "FAILED", "FREE" */
	int		creator;		/* creating pid; -1 = firmware/HBA ("flash") */
	char		ifacename[64];
	char		initiatorname[224];
	char		targetalias[256];
	char		username[256], password[256], username_in[256], password_in[256];
	int		recovery_tmo, lu_reset_tmo, tgt_reset_tmo, abort_tmo;
	int		initial_r2t, immediate_data, erl, data_pdu_in_order, data_seq_in_order;
	long long	first_burst_len, max_burst_len, max_outstanding_r2t;
	struct sysfs_conn conn;			/* connection<sid>:0 */
};

struct sysfs_host {
	int		host_no;
	char		state[32];		/* scsi_host state: "running" */
	char		proc_name[32];		/* "iscsi_tcp" */
	char		hwaddress[64], ipaddress[64], netdev[32], initiatorname[224];
	char		port_state[32], port_speed[32];
};

struct sysfs_transport {
	char		name[32];
	uint64_t	handle;
	uint32_t	caps;			/* KIF_CAP_* */
};

struct sysfs_disk {
	int		host, channel, id, lun;
	char		state[32];		/* "running", "offline" ... */
	char		block[32];		/* "sdb", "" if no block device */
};

/* All session ids, ascending; *@sids is malloc'ed (NULL if none). */
int sysfs_session_list(uint32_t **sids, size_t *n);
/* Fill @s for @sid: ISCSI_ERR_SYSFS_LOOKUP if the session or its
 * targetname is missing, ISCSI_ERR_INVAL (detail) for bad content. */
int sysfs_session_get(uint32_t sid, struct sysfs_session *s);
/*
 * The session to @target at @address:@port through iface @iface (NULL or
 * "" matches any), lowest sid first: ISCSI_OK with *@sid, or
 * ISCSI_ERR_NO_OBJS_FOUND.  For "session exists" (15) checks and adoption.
 */
int sysfs_session_find(const char *target, const char *address, int port,
    const char *iface, uint32_t *sid);
/* "-r" argument: "3", "session3", or a path ending in ".../session3". */
int sysfs_session_parse_id(const char *arg, uint32_t *sid);
/* SCSI devices under the session, sorted by H:C:T:L; *@out malloc'ed. */
int sysfs_session_disks(uint32_t sid, struct sysfs_disk **out, size_t *n);
/* Rescan each device of the session and scan its host for new LUNs
 * (writes "1" to H:C:T:L/rescan and "- - -" to scsi_host/hostH/scan). */
int sysfs_session_rescan(uint32_t sid);
int sysfs_host_get(int host_no, struct sysfs_host *h);
int sysfs_transport_get(const char *name, struct sysfs_transport *t);
/* /sys/module/scsi_transport_iscsi/version, e.g. "2.0-870". */
int sysfs_transport_class_version(char *buf, size_t len);

#endif
