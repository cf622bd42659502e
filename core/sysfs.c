// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs readers for sessions, connections, hosts, transports and the SCSI
 * devices of a session.  Attributes are described by tables and read with
 * one bounded reader; nothing here caches, so callers see current state.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "paths.h"
#include "sysfs.h"

static int
sysfs_path(char *out, size_t len, const char *rel)
{
	int n = snprintf(out, len, "%s/%s", paths_sysfs(), rel);

	if (n < 0 || (size_t)n >= len)
		return err_set(ISCSI_ERR_INVAL, "sysfs path %s is too long", rel);
	return ISCSI_OK;
}

/* Read all of @fd into @buf; -1 if it does not fit in @len bytes. */
static ssize_t
read_bounded(int fd, char *buf, size_t len)
{
	size_t got = 0;
	char extra;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -2;
		if (n == 0)
			return (ssize_t)got;
		got += (size_t)n;
	}
	return read(fd, &extra, 1) == 0 ? (ssize_t)got : -1;
}

static int
join(char *out, size_t len, const char *a, const char *b)
{
	int n = snprintf(out, len, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= len)
		return err_set(ISCSI_ERR_INVAL, "sysfs path %s/%s is too long", a, b);
	return ISCSI_OK;
}

/* The bounded reader behind sysfs_read, for an absolute @path. */
static int
read_attr(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (len == 0)
		return err_set(ISCSI_ERR_INVAL, "no room to read %s", path);
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not open %s: %s", path, strerror(errno));
	n = read_bounded(fd, buf, len);
	close(fd);
	if (n == -2)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not read %s", path);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n < 0 || (size_t)n >= len)
		return err_set(ISCSI_ERR_INVAL, "%s is longer than %zu bytes", path, len - 1);
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f) {
			buf[0] = '\0';
			return err_set(ISCSI_ERR_INVAL, "%s holds control characters", path);
		}
	return ISCSI_OK;
}

int
sysfs_read(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	int rc = sysfs_path(path, sizeof(path), rel);

	if (rc != ISCSI_OK) {
		if (len > 0)
			buf[0] = '\0';
		return rc;
	}
	return read_attr(path, buf, len);
}

int
sysfs_readf(char *buf, size_t len, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return err_set(ISCSI_ERR_INVAL, "sysfs path too long");
	return sysfs_read(rel, buf, len);
}

static int
parse_ll(const char *rel, const char *s, long long *v, int base)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, base);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || isspace((unsigned char)s[0]))
		return err_set(ISCSI_ERR_INVAL, "%s/%s: \"%.40s\" is not a number", paths_sysfs(), rel, s);
	return ISCSI_OK;
}

int
sysfs_read_int(const char *rel, long long *v, int base)
{
	char buf[64];
	int rc = sysfs_read(rel, buf, sizeof(buf));

	return rc != ISCSI_OK ? rc : parse_ll(rel, buf, v, base);
}

int
sysfs_write(const char *rel, const char *value)
{
	char path[PATH_MAX];
	size_t n = strlen(value);
	int fd, rc;

	if ((rc = sysfs_path(path, sizeof(path), rel)) != ISCSI_OK)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not open %s: %s", path, strerror(errno));
	rc = write(fd, value, n) == (ssize_t)n ? ISCSI_OK :
	    err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not write %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/* ---------------------------------------------------------------- attribute tables */

enum attr_kind { A_STR, A_INT, A_LL };

struct attr {
	const char	*name;
	enum attr_kind	 kind;
	size_t		 off, size;
	bool		 required;
};

#define ATTR(type, f, kind, req) \
	{ #f, kind, offsetof(struct type, f), sizeof(((struct type *)0)->f), req }
#define SESS(f, kind) ATTR(sysfs_session, f, kind, false)
#define CONN(f, kind) ATTR(sysfs_conn, f, kind, false)
#define HOST(f) ATTR(sysfs_host, f, A_STR, false)

static const struct attr session_attrs[] = {
	ATTR(sysfs_session, targetname, A_STR, true),
	SESS(tpgt, A_INT), SESS(state, A_STR), SESS(creator, A_INT), SESS(ifacename, A_STR),
	SESS(initiatorname, A_STR), SESS(targetalias, A_STR), SESS(username, A_STR),
	SESS(password, A_STR), SESS(username_in, A_STR), SESS(password_in, A_STR),
	SESS(recovery_tmo, A_INT), SESS(lu_reset_tmo, A_INT), SESS(tgt_reset_tmo, A_INT),
	SESS(abort_tmo, A_INT), SESS(initial_r2t, A_INT), SESS(immediate_data, A_INT),
	SESS(erl, A_INT), SESS(data_pdu_in_order, A_INT), SESS(data_seq_in_order, A_INT),
	SESS(first_burst_len, A_LL), SESS(max_burst_len, A_LL), SESS(max_outstanding_r2t, A_LL),
};

static const struct attr conn_attrs[] = {
	CONN(address, A_STR), CONN(port, A_INT), CONN(persistent_address, A_STR),
	CONN(persistent_port, A_INT), CONN(local_ipaddr, A_STR), CONN(header_digest, A_STR),
	CONN(data_digest, A_STR), CONN(max_recv_dlength, A_LL), CONN(max_xmit_dlength, A_LL),
	CONN(state, A_STR),
};

static const struct attr host_attrs[] = {
	HOST(hwaddress), HOST(ipaddress), HOST(netdev), HOST(initiatorname),
	HOST(port_state), HOST(port_speed),
};

/*
 * Fill @obj from the attributes under directory @dir.  A missing optional
 * attribute leaves "" or -1; kernels print "(null)" for unset strings.
 */
static int
attrs_read(const char *dir, const struct attr *tab, size_t n, void *obj)
{
	char rel[PATH_MAX], val[SYSFS_VALUE_MAX];
	long long v;
	int rc;

	for (size_t i = 0; i < n; i++) {
		char *field = (char *)obj + tab[i].off;

		snprintf(rel, sizeof(rel), "%s/%s", dir, tab[i].name);
		rc = sysfs_read(rel, val, tab[i].kind == A_STR ? tab[i].size : 64);
		if (rc == ISCSI_OK && strcmp(val, "(null)") == 0)
			val[0] = '\0';
		if (rc == ISCSI_ERR_SYSFS_LOOKUP && !tab[i].required)
			val[0] = '\0';
		else if (rc != ISCSI_OK)
			return rc;
		if (tab[i].kind == A_STR) {
			memcpy(field, val, strlen(val) + 1);
			continue;
		}
		v = -1;
		if (val[0] != '\0' && (rc = parse_ll(rel, val, &v, 10)) != ISCSI_OK)
			return rc;
		if (tab[i].kind == A_INT) {
			if (v < INT_MIN || v > INT_MAX)
				return err_set(ISCSI_ERR_INVAL, "%s: %lld is out of range", rel, v);
			*(int *)(void *)field = (int)v;
		} else {
			*(long long *)(void *)field = v;
		}
	}
	return ISCSI_OK;
}

/* ---------------------------------------------------------------- sessions */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* "prefix<digits>" exactly → the number; -1 otherwise. */
static long long
name_number(const char *name, const char *prefix)
{
	size_t pl = strlen(prefix);
	long long v;
	char *end;

	if (strncmp(name, prefix, pl) != 0 || !isdigit((unsigned char)name[pl]))
		return -1;
	errno = 0;
	v = strtoll(name + pl, &end, 10);
	return *end != '\0' || errno != 0 || v > UINT32_MAX ? -1 : v;
}

int
sysfs_session_list(uint32_t **sids, size_t *n)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	*sids = NULL;
	*n = 0;
	sysfs_path(path, sizeof(path), "class/iscsi_session");
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? ISCSI_OK :
		    err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not list %s: %s", path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		long long sid = name_number(de->d_name, "session");

		if (sid < 0)
			continue;
		if (*n == cap) {
			uint32_t *p = realloc(*sids, (cap = cap ? cap * 2 : 16) * sizeof(*p));

			if (p == NULL) {
				closedir(d);
				free(*sids);
				*sids = NULL;
				*n = 0;
				return err_set(ISCSI_ERR_NOMEM, "out of memory listing sessions");
			}
			*sids = p;
		}
		(*sids)[(*n)++] = (uint32_t)sid;
	}
	closedir(d);
	if (*n > 1)
		qsort(*sids, *n, sizeof(**sids), cmp_u32);
	return ISCSI_OK;
}

int
sysfs_session_find(const char *target, const char *address, int port, const char *iface,
    uint32_t *sid)
{
	struct sysfs_session s;
	uint32_t *sids;
	size_t n;
	int rc = sysfs_session_list(&sids, &n);

	if (rc != ISCSI_OK)
		return rc;
	rc = ISCSI_ERR_NO_OBJS_FOUND;
	for (size_t i = 0; i < n && rc != ISCSI_OK; i++) {
		if (sysfs_session_get(sids[i], &s) != ISCSI_OK ||
		    strcmp(s.targetname, target) != 0 ||
		    strcmp(s.conn.persistent_address, address) != 0 ||
		    s.conn.persistent_port != port ||
		    (iface != NULL && iface[0] != '\0' && strcmp(s.ifacename, iface) != 0))
			continue;
		*sid = sids[i];
		rc = ISCSI_OK;
	}
	free(sids);
	if (rc != ISCSI_OK)
		err_set(rc, "no session to %s at %s:%d", target, address, port);
	return rc;
}

int
sysfs_session_parse_id(const char *arg, uint32_t *sid)
{
	const char *base = strrchr(arg, '/');
	char buf[64];
	size_t len;
	long long v;

	/* Accept ".../session3" and ".../session3/" alike. */
	len = strlen(arg);
	while (len > 1 && arg[len - 1] == '/')
		len--;
	if (len >= sizeof(buf))
		return err_set(ISCSI_ERR_INVAL, "invalid session id or path '%.64s'", arg);
	memcpy(buf, arg, len);
	buf[len] = '\0';
	base = strrchr(buf, '/');
	base = base != NULL ? base + 1 : buf;
	v = name_number(base, "session");
	if (v < 0 && base == buf)
		v = name_number(base, "");
	if (v < 0)
		return err_set(ISCSI_ERR_INVAL, "invalid session id or path '%s'", arg);
	*sid = (uint32_t)v;
	return ISCSI_OK;
}

/* The session's device directory (…/hostH/sessionN) and its host number. */
static int
session_devdir(uint32_t sid, char *out, size_t len, int *host_no)
{
	char path[PATH_MAX], rel[64], real[PATH_MAX];
	const char *p;

	snprintf(rel, sizeof(rel), "class/iscsi_session/session%u/device", sid);
	sysfs_path(path, sizeof(path), rel);
	if (realpath(path, real) == NULL)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not resolve %s: %s", path, strerror(errno));
	*host_no = -1;
	for (p = real; (p = strstr(p, "/host")) != NULL; p++) {
		char comp[32];
		size_t n = strcspn(p + 1, "/");
		long long h;

		if (n >= sizeof(comp))
			continue;
		memcpy(comp, p + 1, n);
		comp[n] = '\0';
		if ((h = name_number(comp, "host")) >= 0 && h <= INT_MAX)
			*host_no = (int)h;
	}
	if (*host_no < 0)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "no SCSI host in the device path of session%u", sid);
	if (strlen(real) >= len)
		return err_set(ISCSI_ERR_INVAL, "device path of session%u is too long", sid);
	strcpy(out, real);
	return ISCSI_OK;
}

int
sysfs_session_get(uint32_t sid, struct sysfs_session *s)
{
	char dir[64], dev[PATH_MAX], proc[32];
	int rc;

	memset(s, 0, sizeof(*s));
	s->sid = sid;
	snprintf(dir, sizeof(dir), "class/iscsi_session/session%u", sid);
	if ((rc = attrs_read(dir, session_attrs,
	    sizeof(session_attrs) / sizeof(session_attrs[0]), s)) != ISCSI_OK)
		return rc;
	snprintf(dir, sizeof(dir), "class/iscsi_connection/connection%u:0", sid);
	if ((rc = attrs_read(dir, conn_attrs, sizeof(conn_attrs) / sizeof(conn_attrs[0]),
	    &s->conn)) != ISCSI_OK)
		return rc;
	if ((rc = session_devdir(sid, dev, sizeof(dev), &s->host_no)) != ISCSI_OK)
		return rc;
	if (sysfs_readf(proc, sizeof(proc), "class/scsi_host/host%d/proc_name", s->host_no) == ISCSI_OK)
		snprintf(s->transport, sizeof(s->transport), "%s",
		    strncmp(proc, "iscsi_", 6) == 0 ? proc + 6 : proc);
	return ISCSI_OK;
}

static int
cmp_disk(const void *a, const void *b)
{
	const struct sysfs_disk *x = a, *y = b;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	if (x->channel != y->channel)
		return x->channel < y->channel ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->lun < y->lun ? -1 : x->lun > y->lun;
}

/* First entry of @dir/block, the disk's name; "" if none. */
static int
disk_block(const char *devdir, struct sysfs_disk *dk)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = ISCSI_OK;

	if (join(path, sizeof(path), devdir, "block") != ISCSI_OK || (d = opendir(path)) == NULL)
		return ISCSI_OK;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (strlen(de->d_name) >= sizeof(dk->block))
			rc = err_set(ISCSI_ERR_INVAL, "%s: block device name too long", path);
		else
			strcpy(dk->block, de->d_name);
		break;
	}
	closedir(d);
	return rc;
}

/* One targetH:C:T directory: append its H:C:T:L devices to @v. */
static int
disks_of_target(const char *tdir, struct sysfs_disk **v, size_t *n, size_t *cap)
{
	char dev[PATH_MAX], state[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(tdir);
	int rc = ISCSI_OK;

	if (d == NULL)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not list %s: %s", tdir, strerror(errno));
	while (rc == ISCSI_OK && (de = readdir(d)) != NULL) {
		struct sysfs_disk dk = { 0 };
		char tail;

		if (sscanf(de->d_name, "%d:%d:%d:%d%c", &dk.host, &dk.channel, &dk.id, &dk.lun,
		    &tail) != 4 || dk.host < 0 || dk.channel < 0 || dk.id < 0 || dk.lun < 0)
			continue;
		rc = join(dev, sizeof(dev), tdir, de->d_name);
		if (rc == ISCSI_OK)
			rc = join(state, sizeof(state), dev, "state");
		if (rc == ISCSI_OK && read_attr(state, dk.state, sizeof(dk.state)) == ISCSI_ERR_INVAL)
			rc = ISCSI_ERR_INVAL;
		if (rc == ISCSI_OK)
			rc = disk_block(dev, &dk);
		if (rc == ISCSI_OK && *n == *cap) {
			struct sysfs_disk *p = realloc(*v, (*cap = *cap ? *cap * 2 : 8) * sizeof(*p));

			if (p == NULL)
				rc = err_set(ISCSI_ERR_NOMEM, "out of memory listing disks");
			else
				*v = p;
		}
		if (rc == ISCSI_OK)
			(*v)[(*n)++] = dk;
	}
	closedir(d);
	return rc;
}

int
sysfs_session_disks(uint32_t sid, struct sysfs_disk **out, size_t *n)
{
	char dev[PATH_MAX], tdir[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	int host_no, rc;
	DIR *d;

	*out = NULL;
	*n = 0;
	if ((rc = session_devdir(sid, dev, sizeof(dev), &host_no)) != ISCSI_OK)
		return rc;
	if ((d = opendir(dev)) == NULL)
		return err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not list %s: %s", dev, strerror(errno));
	while (rc == ISCSI_OK && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "target", 6) != 0)
			continue;
		rc = join(tdir, sizeof(tdir), dev, de->d_name);
		if (rc == ISCSI_OK)
			rc = disks_of_target(tdir, out, n, &cap);
	}
	closedir(d);
	if (rc != ISCSI_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_disk);
	return ISCSI_OK;
}

int
sysfs_host_get(int host_no, struct sysfs_host *h)
{
	char dir[64];
	int rc;

	memset(h, 0, sizeof(*h));
	h->host_no = host_no;
	snprintf(dir, sizeof(dir), "class/iscsi_host/host%d", host_no);
	if ((rc = attrs_read(dir, host_attrs, sizeof(host_attrs) / sizeof(host_attrs[0]), h)) != ISCSI_OK)
		return rc;
	rc = sysfs_readf(h->state, sizeof(h->state), "class/scsi_host/host%d/state", host_no);
	if (rc == ISCSI_OK)
		rc = sysfs_readf(h->proc_name, sizeof(h->proc_name), "class/scsi_host/host%d/proc_name",
		    host_no);
	return rc == ISCSI_ERR_SYSFS_LOOKUP ? ISCSI_OK : rc;
}

int
sysfs_transport_get(const char *name, struct sysfs_transport *t)
{
	char rel[128], val[64], *end;
	long long v;
	int rc;

	memset(t, 0, sizeof(*t));
	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL ||
	    strlen(name) >= sizeof(t->name))
		return err_set(ISCSI_ERR_INVAL, "invalid transport name '%.40s'", name);
	strcpy(t->name, name);
	snprintf(rel, sizeof(rel), "class/iscsi_transport/%s/handle", name);
	if ((rc = sysfs_read(rel, val, sizeof(val))) != ISCSI_OK)
		return rc == ISCSI_ERR_SYSFS_LOOKUP ?
		    err_set(ISCSI_ERR_TRANS_NOT_FOUND, "iSCSI driver %s is not loaded", name) : rc;
	/* A kernel pointer printed with %llu: may exceed LLONG_MAX. */
	errno = 0;
	t->handle = strtoull(val, &end, 10);
	if (!isdigit((unsigned char)val[0]) || *end != '\0' || errno != 0)
		return err_set(ISCSI_ERR_INVAL, "%s: \"%.40s\" is not a handle", rel, val);
	snprintf(rel, sizeof(rel), "class/iscsi_transport/%s/caps", name);
	if ((rc = sysfs_read_int(rel, &v, 16)) != ISCSI_OK)
		return rc;
	if (v < 0 || v > UINT32_MAX)
		return err_set(ISCSI_ERR_INVAL, "%s: caps %lld out of range", rel, v);
	t->caps = (uint32_t)v;
	return ISCSI_OK;
}

int
sysfs_transport_class_version(char *buf, size_t len)
{
	return sysfs_read("module/scsi_transport_iscsi/version", buf, len);
}

/* Ask the SCSI layer to re-read each device, then scan the host for new LUNs. */
int
sysfs_session_rescan(uint32_t sid)
{
	char dev[PATH_MAX], tdir[PATH_MAX], ddir[PATH_MAX], attr[PATH_MAX], rel[64];
	struct sysfs_disk *disks;
	size_t n;
	int host_no, rc, fd;

	if ((rc = session_devdir(sid, dev, sizeof(dev), &host_no)) != ISCSI_OK ||
	    (rc = sysfs_session_disks(sid, &disks, &n)) != ISCSI_OK)
		return rc;
	for (size_t i = 0; rc == ISCSI_OK && i < n; i++) {
		snprintf(rel, sizeof(rel), "target%d:%d:%d", disks[i].host, disks[i].channel,
		    disks[i].id);
		if (join(tdir, sizeof(tdir), dev, rel) != ISCSI_OK)
			break;
		snprintf(rel, sizeof(rel), "%d:%d:%d:%d", disks[i].host, disks[i].channel,
		    disks[i].id, disks[i].lun);
		if (join(ddir, sizeof(ddir), tdir, rel) != ISCSI_OK ||
		    join(attr, sizeof(attr), ddir, "rescan") != ISCSI_OK)
			break;
		fd = open(attr, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "1", 1) != 1)
			rc = err_set(ISCSI_ERR_SYSFS_LOOKUP, "could not rescan %s: %s", ddir,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	free(disks);
	if (rc == ISCSI_OK) {
		snprintf(rel, sizeof(rel), "class/scsi_host/host%d/scan", host_no);
		rc = sysfs_write(rel, "- - -");
	}
	return rc;
}
