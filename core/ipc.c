// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPC message encoding and decoding: header, TLV fields, bounds checks.
 * No sockets here except the address helper; the server is ipc_server.c,
 * the client cli/ipc_client.c.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "err.h"
#include "ipc.h"

static const char *const type_names[IPC_TYPE_MAX] = {
	[IPC_SESSION_LOGIN] = "SESSION_LOGIN",
	[IPC_SESSION_LOGOUT] = "SESSION_LOGOUT",
	[IPC_SESSION_STATS] = "SESSION_STATS",
	[IPC_CONFIG_INAME] = "CONFIG_INAME",
	[IPC_CONFIG_IALIAS] = "CONFIG_IALIAS",
	[IPC_CONFIG_FILE] = "CONFIG_FILE",
	[IPC_IMMEDIATE_STOP] = "IMMEDIATE_STOP",
	[IPC_SESSION_SYNC] = "SESSION_SYNC",
	[IPC_SESSION_INFO] = "SESSION_INFO",
	[IPC_SESSION_RESCAN] = "SESSION_RESCAN",
};

const char *
ipc_type_name(uint16_t type)
{
	type &= (uint16_t)~IPC_REPLY;
	if (type < IPC_TYPE_MAX && type_names[type] != NULL)
		return type_names[type];
	return "unknown";
}

const char *
ipc_socket_name(void)
{
	const char *name = getenv("ISCSI_IPC_NAME");

	return name != NULL && *name != '\0' ? name : IPC_DEFAULT_NAME;
}

size_t
ipc_sockaddr(struct sockaddr_un *sun, const char *name)
{
	size_t n = strlen(name);

	if (n > sizeof(sun->sun_path) - 1)
		n = sizeof(sun->sun_path) - 1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	/* Abstract: leading NUL, no trailing NUL counted (as open-iscsi). */
	memcpy(sun->sun_path + 1, name, n);
	return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

bool
ipc_conf_lookup(const char *file, const char *key, char *val, size_t len)
{
	char line[2048];
	size_t klen = strlen(key);
	bool found = false;
	FILE *f = fopen(file, "re");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line + strspn(line, " \t"), *end;

		if (strncmp(p, key, klen) != 0)
			continue;
		p += klen;
		p += strspn(p, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t");
		end = p + strcspn(p, "\r\n");
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		found = (size_t)snprintf(val, len, "%s", p) < len;
	}
	fclose(f);
	return found;
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

/* Keep the header's length field in step with the buffer. */
static void
msg_sync_hdr(struct ipc_msg *m)
{
	put_be32(m->buf, IPC_MAGIC);
	put_be16(m->buf + 4, m->version);
	put_be16(m->buf + 6, m->type);
	put_be32(m->buf + 8, (uint32_t)(m->len - IPC_HDR_LEN));
	put_be32(m->buf + 12, m->seq);
}

int
ipc_msg_init(struct ipc_msg *m, uint16_t type, uint32_t seq)
{
	memset(m, 0, sizeof(*m));
	m->cap = 256;
	m->buf = malloc(m->cap);
	if (m->buf == NULL)
		return err_set(ISCSI_ERR_NOMEM, "out of memory for an IPC message");
	m->version = IPC_VERSION;
	m->type = type;
	m->seq = seq;
	m->len = IPC_HDR_LEN;
	msg_sync_hdr(m);
	return ISCSI_OK;
}

void
ipc_msg_free(struct ipc_msg *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

int
ipc_put(struct ipc_msg *m, uint16_t tag, const void *val, size_t len)
{
	size_t need = m->len + 4 + len;

	if (len > UINT16_MAX || need - IPC_HDR_LEN > IPC_MAX_PAYLOAD)
		return err_set(ISCSI_ERR_INVAL, "IPC field %u of %zu bytes does not fit", tag, len);
	if (need > m->cap) {
		size_t cap = m->cap * 2 > need ? m->cap * 2 : need;
		uint8_t *b = realloc(m->buf, cap);

		if (b == NULL)
			return err_set(ISCSI_ERR_NOMEM, "out of memory for an IPC message");
		m->buf = b;
		m->cap = cap;
	}
	put_be16(m->buf + m->len, tag);
	put_be16(m->buf + m->len + 2, (uint16_t)len);
	if (len > 0)
		memcpy(m->buf + m->len + 4, val, len);
	m->len = need;
	msg_sync_hdr(m);
	return ISCSI_OK;
}

int
ipc_put_u32(struct ipc_msg *m, uint16_t tag, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	return ipc_put(m, tag, b, sizeof(b));
}

int
ipc_put_str(struct ipc_msg *m, uint16_t tag, const char *s)
{
	return ipc_put(m, tag, s, strlen(s));
}

int
ipc_put_stat(struct ipc_msg *m, uint16_t tag, const char *name, uint64_t v)
{
	uint8_t b[8 + 64];
	size_t n = strnlen(name, 64);

	put_be32(b, (uint32_t)(v >> 32));
	put_be32(b + 4, (uint32_t)v);
	memcpy(b + 8, name, n);
	return ipc_put(m, tag, b, 8 + n);
}

int
ipc_reply_init(struct ipc_msg *m, const struct ipc_msg *req, int err, const char *msg)
{
	int rc = ipc_msg_init(m, (uint16_t)(req->type | IPC_REPLY), req->seq);

	if (rc == ISCSI_OK)
		rc = ipc_put_u32(m, IPC_F_ERR, (uint32_t)err);
	if (rc == ISCSI_OK)
		rc = ipc_put_str(m, IPC_F_MSG, msg != NULL ? msg : "");
	return rc;
}

int
ipc_hdr_parse(const uint8_t *b, size_t n, uint16_t *version, uint16_t *type,
    uint32_t *seq, uint32_t *paylen)
{
	if (n < IPC_HDR_LEN)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR, "IPC header truncated (%zu bytes)", n);
	if (get_be32(b) != IPC_MAGIC)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR,
		    "IPC peer is not iscsikit (magic 0x%08x)", get_be32(b));
	*version = get_be16(b + 4);
	*type = get_be16(b + 6);
	*paylen = get_be32(b + 8);
	*seq = get_be32(b + 12);
	if (*paylen > IPC_MAX_PAYLOAD)
		return err_set(ISCSI_ERR_INVAL, "IPC message of %u bytes exceeds the %u-byte limit",
		    *paylen, IPC_MAX_PAYLOAD);
	return ISCSI_OK;
}

int
ipc_msg_adopt(struct ipc_msg *m, uint8_t *buf, size_t len)
{
	uint32_t paylen;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = ipc_hdr_parse(buf, len, &m->version, &m->type, &m->seq, &paylen);
	if (rc != ISCSI_OK)
		return rc;
	if (paylen != len - IPC_HDR_LEN)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR,
		    "IPC message length %u does not match the %zu bytes received",
		    paylen, len - IPC_HDR_LEN);
	m->buf = buf;
	m->len = m->cap = len;
	return ISCSI_OK;
}

int
ipc_next(const struct ipc_msg *m, size_t *off, struct ipc_field *f)
{
	size_t pos = IPC_HDR_LEN + *off;

	if (pos >= m->len)
		return 0;
	if (m->len - pos < 4 || m->len - pos - 4 < get_be16(m->buf + pos + 2)) {
		err_set(ISCSI_ERR_ISCSID_COMM_ERR, "IPC field truncated at offset %zu", *off);
		return -ISCSI_ERR_ISCSID_COMM_ERR;
	}
	f->tag = get_be16(m->buf + pos);
	f->len = get_be16(m->buf + pos + 2);
	f->val = m->buf + pos + 4;
	*off += 4u + f->len;
	return 1;
}

static int
find_field(const struct ipc_msg *m, uint16_t tag, struct ipc_field *f)
{
	size_t off = 0;
	int rc;

	while ((rc = ipc_next(m, &off, f)) == 1)
		if (f->tag == tag)
			return ISCSI_OK;
	return rc < 0 ? -rc : ISCSI_ERR_NO_OBJS_FOUND;
}

int
ipc_get_u32(const struct ipc_msg *m, uint16_t tag, uint32_t *v)
{
	struct ipc_field f;
	int rc = find_field(m, tag, &f);

	if (rc != ISCSI_OK)
		return rc;
	if (f.len != 4)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR, "IPC field %u has %u bytes, not 4",
		    tag, f.len);
	*v = get_be32(f.val);
	return ISCSI_OK;
}

int
ipc_get_str(const struct ipc_msg *m, uint16_t tag, char *buf, size_t len)
{
	struct ipc_field f;
	int rc = find_field(m, tag, &f);

	if (rc != ISCSI_OK)
		return rc;
	if (f.len >= len || memchr(f.val, '\0', f.len) != NULL)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR,
		    "IPC string field %u (%u bytes) is too long or holds a NUL", tag, f.len);
	memcpy(buf, f.val, f.len);
	buf[f.len] = '\0';
	return ISCSI_OK;
}

int
ipc_reply_status(const struct ipc_msg *m, int *err, char *msg, size_t msglen)
{
	uint32_t v;
	int rc = ipc_get_u32(m, IPC_F_ERR, &v);

	if (rc != ISCSI_OK)
		return rc == ISCSI_ERR_NO_OBJS_FOUND ?
		    err_set(ISCSI_ERR_ISCSID_COMM_ERR, "iscsid reply carries no error code") : rc;
	*err = (int)v;
	if (msg != NULL && ipc_get_str(m, IPC_F_MSG, msg, msglen) != ISCSI_OK)
		msg[0] = '\0';
	return ISCSI_OK;
}

int
ipc_field_stat(const struct ipc_field *f, char *name, size_t namelen, uint64_t *v)
{
	size_t n;

	if (f->len < 8 || namelen == 0)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR, "IPC counter field of %u bytes", f->len);
	n = f->len - 8u;
	if (n >= namelen)
		n = namelen - 1;
	*v = (uint64_t)get_be32(f->val) << 32 | get_be32(f->val + 4);
	memcpy(name, f->val + 8, n);
	name[n] = '\0';
	if (strlen(name) != n)
		return err_set(ISCSI_ERR_ISCSID_COMM_ERR, "IPC counter name holds a NUL");
	return ISCSI_OK;
}
