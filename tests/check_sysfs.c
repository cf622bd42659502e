// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs readers on the fake tree built by tests/data/sysfs/mktree.sh, then
 * the same tree with hostile content: each case must give a clear error.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_util.h"
#include "err.h"
#include "paths.h"
#include "sysfs.h"

static char root[256];

static void
tree_setup(void)
{
	char cmd[PATH_MAX * 2];
	const char *src = getenv("top_srcdir");

	snprintf(root, sizeof(root), "/tmp/iscsikit-check-sysfs-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "sh %s/tests/data/sysfs/mktree.sh %s/sys",
	    src != NULL ? src : ".", root);
	ck_assert_int_eq(system(cmd), 0);
	setenv("ISCSI_ROOT", root, 1);
	unsetenv("ISCSI_SYSFS_ROOT");
	paths_reset();
}

static void
tree_teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	(void)!system(cmd);
}

/* Overwrite (or with @content NULL remove) a file relative to the root. */
static void
tree_put(const char *rel, const char *content, size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/sys/%s", root, rel);
	if (content == NULL) {
		ck_assert_int_eq(unlink(path), 0);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
}

START_TEST(test_sysfs_sessions)
{
	struct sysfs_session s;
	uint32_t *sids;
	size_t n;

	ck_assert_int_eq(sysfs_session_list(&sids, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(sids[0], 1);
	ck_assert_uint_eq(sids[1], 2);
	free(sids);
	ck_assert_int_eq(sysfs_session_get(2, &s), 0);
	ck_assert_str_eq(s.targetname, "iqn.2024-01.test:tgt2");
	ck_assert_int_eq(s.tpgt, 1);
	ck_assert_int_eq(s.host_no, 3);
	ck_assert_str_eq(s.transport, "tcp");
	ck_assert_str_eq(s.state, "LOGGED_IN");
	ck_assert_int_eq(s.creator, 1234);
	ck_assert_str_eq(s.password, "");		/* "(null)" normalised */
	ck_assert_int_eq(s.recovery_tmo, 120);
	ck_assert_int_eq(s.max_burst_len, 16776192);
	ck_assert_str_eq(s.conn.persistent_address, "::1");
	ck_assert_int_eq(s.conn.persistent_port, 3260);
	ck_assert_str_eq(s.conn.header_digest, "None");
	ck_assert_int_eq(sysfs_session_get(9, &s), ISCSI_ERR_SYSFS_LOOKUP);
}
END_TEST

START_TEST(test_sysfs_no_sessions)
{
	uint32_t *sids;
	size_t n;

	setenv("ISCSI_SYSFS_ROOT", "/nonexistent-iscsikit", 1);
	paths_reset();
	ck_assert_int_eq(sysfs_session_list(&sids, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(sids);
}
END_TEST

START_TEST(test_sysfs_disks_hosts_transports)
{
	struct sysfs_disk *d;
	struct sysfs_host h;
	struct sysfs_transport t;
	char ver[32];
	size_t n;

	ck_assert_int_eq(sysfs_session_disks(2, &d, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(d[0].host, 3);
	ck_assert_int_eq(d[0].lun, 0);
	ck_assert_str_eq(d[0].block, "sdc");
	ck_assert_str_eq(d[0].state, "running");
	ck_assert_int_eq(d[1].lun, 1);
	ck_assert_str_eq(d[1].block, "");
	free(d);
	ck_assert_int_eq(sysfs_host_get(2, &h), 0);
	ck_assert_str_eq(h.ipaddress, "127.0.0.1");
	ck_assert_str_eq(h.hwaddress, "");
	ck_assert_str_eq(h.state, "running");
	ck_assert_str_eq(h.proc_name, "iscsi_tcp");
	ck_assert_int_eq(sysfs_transport_get("tcp", &t), 0);
	ck_assert_uint_eq(t.handle, 18446744072107557056ull);
	ck_assert_uint_eq(t.caps, 0x39);
	ck_assert_int_eq(sysfs_transport_get("iser", &t), ISCSI_ERR_TRANS_NOT_FOUND);
	ck_assert_int_eq(sysfs_transport_get("../tcp", &t), ISCSI_ERR_INVAL);
	ck_assert_int_eq(sysfs_transport_class_version(ver, sizeof(ver)), 0);
	ck_assert_str_eq(ver, "2.0-870");
	ck_assert_int_eq(sysfs_write("class/scsi_host/host2/scan", "- - -"), 0);
	ck_assert_int_eq(sysfs_read("class/scsi_host/host2/scan", ver, sizeof(ver)), 0);
	ck_assert_str_eq(ver, "- - -");
}
END_TEST

static const struct {
	const char	*target, *addr, *iface;
	int		 port, rc;
	uint32_t	 sid;
} finds[] = {
	{ "iqn.2024-01.test:tgt1", "127.0.0.1", NULL, 3260, ISCSI_OK, 1 },
	{ "iqn.2024-01.test:tgt2", "::1", "default", 3260, ISCSI_OK, 2 },
	{ "iqn.2024-01.test:tgt2", "::1", "", 3260, ISCSI_OK, 2 },
	{ "iqn.2024-01.test:tgt2", "::1", "iface0", 3260, ISCSI_ERR_NO_OBJS_FOUND, 0 },
	{ "iqn.2024-01.test:tgt1", "127.0.0.1", NULL, 3261, ISCSI_ERR_NO_OBJS_FOUND, 0 },
	{ "iqn.2024-01.test:tgt1", "::1", NULL, 3260, ISCSI_ERR_NO_OBJS_FOUND, 0 },
};

START_TEST(test_sysfs_find)
{
	uint32_t sid = 0;

	ck_assert_int_eq(sysfs_session_find(finds[_i].target, finds[_i].addr, finds[_i].port,
	    finds[_i].iface, &sid), finds[_i].rc);
	ck_assert_uint_eq(sid, finds[_i].sid);
}
END_TEST

static const struct {
	const char	*arg;
	int		 rc;
	uint32_t	 sid;
} ids[] = {
	{ "3", ISCSI_OK, 3 }, { "session3", ISCSI_OK, 3 },
	{ "/sys/class/iscsi_session/session2", ISCSI_OK, 2 },
	{ "/sys/devices/platform/host2/session12/", ISCSI_OK, 12 },
	{ "abc", ISCSI_ERR_INVAL, 0 }, { "session", ISCSI_ERR_INVAL, 0 },
	{ "-1", ISCSI_ERR_INVAL, 0 }, { "/sys/class/3", ISCSI_ERR_INVAL, 0 },
	{ "99999999999", ISCSI_ERR_INVAL, 0 }, { "", ISCSI_ERR_INVAL, 0 },
	{ "3x", ISCSI_ERR_INVAL, 0 },
};

START_TEST(test_sysfs_parse_id)
{
	uint32_t sid = 0;

	ck_assert_int_eq(sysfs_session_parse_id(ids[_i].arg, &sid), ids[_i].rc);
	if (ids[_i].rc == ISCSI_OK)
		ck_assert_uint_eq(sid, ids[_i].sid);
}
END_TEST

#define SESS1 "class/iscsi_session/session1/"
#define CONN1 "class/iscsi_connection/connection1:0/"

static char longname[5000];

/* Hostile content written over the good tree, and sysfs_session_get(1)'s verdict. */
static const struct {
	const char	*file;
	const char	*content;	/* NULL: remove the file */
	size_t		 len;		/* 0: strlen */
	int		 rc;
	const char	*detail;	/* substring of the error detail */
} hostile[] = {
	{ SESS1 "targetname", "iqn.x\033[2J:t\n", 0, ISCSI_ERR_INVAL, "control characters" },
	{ SESS1 "targetname", NULL, 0, ISCSI_ERR_SYSFS_LOOKUP, "targetname" },
	{ SESS1 "targetname", longname, sizeof(longname) - 1, ISCSI_ERR_INVAL, "longer than" },
	{ SESS1 "tpgt", "abc\n", 0, ISCSI_ERR_INVAL, "not a number" },
	{ SESS1 "tpgt", "99999999999\n", 0, ISCSI_ERR_INVAL, "out of range" },
	{ SESS1 "tpgt", " 1\n", 0, ISCSI_ERR_INVAL, "not a number" },
	{ SESS1 "tpgt", "1\0x", 3, ISCSI_ERR_INVAL, "control characters" },
	{ CONN1 "port", "3260 3261\n", 0, ISCSI_ERR_INVAL, "not a number" },
	{ SESS1 "recovery_tmo", "", 0, ISCSI_OK, NULL },
	{ SESS1 "state", NULL, 0, ISCSI_OK, NULL },
	{ SESS1 "device", NULL, 0, ISCSI_ERR_SYSFS_LOOKUP, "could not resolve" },
	{ "class/scsi_host/host2/proc_name", NULL, 0, ISCSI_OK, NULL },
};

START_TEST(test_sysfs_hostile)
{
	struct sysfs_session s;
	int rc;

	memset(longname, 'a', sizeof(longname) - 1);
	tree_put(hostile[_i].file, hostile[_i].content,
	    hostile[_i].len ? hostile[_i].len : hostile[_i].content ? strlen(hostile[_i].content) : 0);
	rc = sysfs_session_get(1, &s);
	ck_assert_msg(rc == hostile[_i].rc, "%s: rc %d", hostile[_i].file, rc);
	if (hostile[_i].detail != NULL)
		ck_assert_msg(strstr(err_detail(rc), hostile[_i].detail) != NULL, "%s: detail '%s'",
		    hostile[_i].file, err_detail(rc));
	/* the other session is unaffected */
	ck_assert_int_eq(sysfs_session_get(2, &s), 0);
}
END_TEST

START_TEST(test_sysfs_hostile_disks_and_caps)
{
	struct sysfs_transport t;
	struct sysfs_disk *d;
	size_t n;

	tree_put("devices/platform/host3/session2/target3:0:0/3:0:0:0/state", "run\x01ning", 8);
	ck_assert_int_eq(sysfs_session_disks(2, &d, &n), ISCSI_ERR_INVAL);
	ck_assert_ptr_null(d);
	tree_put("class/iscsi_transport/tcp/caps", "0xzz\n", 5);
	ck_assert_int_eq(sysfs_transport_get("tcp", &t), ISCSI_ERR_INVAL);
	tree_put("class/iscsi_transport/tcp/handle", "-5\n", 3);
	ck_assert_int_eq(sysfs_transport_get("tcp", &t), ISCSI_ERR_INVAL);
}
END_TEST

static Suite *
sysfs_suite(void)
{
	Suite *s = suite_create("sysfs");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_test(tc, test_sysfs_sessions);
	tcase_add_test(tc, test_sysfs_no_sessions);
	tcase_add_test(tc, test_sysfs_disks_hosts_transports);
	tcase_add_loop_test(tc, test_sysfs_find, 0, sizeof(finds) / sizeof(finds[0]));
	tcase_add_loop_test(tc, test_sysfs_parse_id, 0, sizeof(ids) / sizeof(ids[0]));
	tcase_add_loop_test(tc, test_sysfs_hostile, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, test_sysfs_hostile_disks_and_caps);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(sysfs_suite)
