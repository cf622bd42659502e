// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Node database on a private ISCSI_ROOT: open-iscsi's layout and links,
 * legacy flat records, IPv6 portals, hostile names, atomic writes, bulk
 * creation and update/delete, ifaces, discovery records and the lock.
 */
#include "db_test_util.h"

#include <dirent.h>
#include <sys/stat.h>

#include "check_util.h"
#include "db.h"
#include "db_priv.h"
#include "conf.h"
#include "err.h"
#include "rec.h"

static struct rec *
mknode(const char *target, const char *addr, int port, int tpgt, const char *iface)
{
	struct rec *r = rec_new(REC_NODE);
	char num[16];

	ck_assert_int_eq(rec_set(r, "node.name", target), ISCSI_OK);
	ck_assert_int_eq(rec_set(r, "node.conn[0].address", addr), ISCSI_OK);
	snprintf(num, sizeof(num), "%d", port);
	rec_set(r, "node.conn[0].port", num);
	snprintf(num, sizeof(num), "%d", tpgt);
	rec_set(r, "node.tpgt", num);
	if (iface)
		rec_set(r, "iface.iscsi_ifacename", iface);
	return r;
}

static void
store(const char *target, const char *addr, int port, int tpgt, const char *iface)
{
	struct rec *r = mknode(target, addr, port, tpgt, iface);

	ck_assert_int_eq(db_node_store(r), ISCSI_OK);
	rec_free(r);
}

static struct db_node_id
nid(const char *target, const char *addr, int port, int tpgt, const char *iface)
{
	struct db_node_id id;

	memset(&id, 0, sizeof(id));
	snprintf(id.target, sizeof(id.target), "%s", target);
	snprintf(id.address, sizeof(id.address), "%s", addr);
	snprintf(id.iface, sizeof(id.iface), "%s", iface ? iface : "");
	id.port = port;
	id.tpgt = tpgt;
	return id;
}

START_TEST(test_db_layout)
{
	char path[4096], link[4096], want[4096];
	struct stat st;
	ssize_t n;

	store("iqn.2024-01.test:tgt1", "127.0.0.1", 3260, 1, NULL);
	snprintf(path, sizeof(path), "%s/nodes/iqn.2024-01.test:tgt1/127.0.0.1,3260,1/default",
		 paths_dbroot());
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/static/iqn.2024-01.test:tgt1,127.0.0.1,3260,1,default",
		 paths_dbroot());
	n = readlink(path, link, sizeof(link) - 1);
	ck_assert_int_gt(n, 0);
	link[n] = '\0';
	snprintf(want, sizeof(want), "%s/nodes/iqn.2024-01.test:tgt1/127.0.0.1,3260,1",
		 paths_dbroot());
	ck_assert_str_eq(link, want);
}
END_TEST

START_TEST(test_db_load_any_tpgt)
{
	struct db_node_id id = nid("iqn.2024-01.test:tgt1", "127.0.0.1", 3260, -1, NULL);
	struct rec *r;

	store("iqn.2024-01.test:tgt1", "127.0.0.1", 3260, 5, NULL);
	store("iqn.2024-01.test:tgt1", "127.0.0.1", 3260, 5, "if0");
	ck_assert_int_eq(db_node_load(&id, &r), ISCSI_OK);
	ck_assert_int_eq(id.tpgt, 5);
	ck_assert_str_eq(rec_get(r, "node.tpgt"), "5");
	rec_free(r);
	id = nid("iqn.2024-01.test:tgt1", "127.0.0.1", 3261, -1, NULL);
	ck_assert_int_eq(db_node_load(&id, &r), ISCSI_ERR_NO_OBJS_FOUND);
	ck_assert_ptr_null(r);
	id = nid("iqn.2024-01.test:tgt1", "127.0.0.1", 3260, 5, "if1");
	ck_assert(!db_node_exists(&id));
	id = nid("iqn.2024-01.test:tgt1", "127.0.0.1", 3260, 5, "if0");
	ck_assert(db_node_exists(&id));
}
END_TEST

START_TEST(test_db_list_sorted)
{
	struct db_node_filter all = DB_NODE_FILTER_ALL, f = DB_NODE_FILTER_ALL;
	struct db_node_id *ids;
	size_t n;

	store("iqn.2024-01.test:b", "127.0.0.2", 3260, 1, NULL);
	store("iqn.2024-01.test:a", "::1", 3261, 2, NULL);
	store("iqn.2024-01.test:a", "127.0.0.1", 3260, 1, "if1");
	store("iqn.2024-01.test:a", "127.0.0.1", 3260, 1, NULL);
	ck_assert_int_eq(db_node_list(&all, &ids, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(ids[0].address, "127.0.0.1");
	ck_assert_str_eq(ids[0].iface, "default");
	ck_assert_str_eq(ids[1].iface, "if1");
	ck_assert_str_eq(ids[2].address, "::1");
	ck_assert_int_eq(ids[2].tpgt, 2);
	ck_assert_str_eq(ids[3].target, "iqn.2024-01.test:b");
	free(ids);
	f.target = "iqn.2024-01.test:a";
	f.iface = "if1";
	ck_assert_int_eq(db_node_list(&f, &ids, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 1);
	free(ids);
	f.iface = NULL;
	f.address = "::1";
	ck_assert_int_eq(db_node_list(&f, &ids, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0].port, 3261);
	free(ids);
	{
		char p[4096];
		struct stat st;
		snprintf(p, sizeof(p), "%s/nodes/iqn.2024-01.test:a/::1,3261,2/default",
			 paths_dbroot());
		ck_assert_int_eq(stat(p, &st), 0);
	}
}
END_TEST

static char *
ref_text(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[4096], *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/data/%s", top ? top : ".", name);
	ck_assert_int_eq(conf_read_file(path, &buf, &len), 0);
	return buf;
}

static int
db_file_exists(const char *rel)
{
	char p[4096];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", paths_dbroot(), rel);
	return lstat(p, &st) == 0;
}

START_TEST(test_db_legacy_flat)
{
	char *text = ref_text("ref-legacy-file.txt");
	struct db_node_filter all = DB_NODE_FILTER_ALL;
	struct db_node_id *ids, id = nid("iqn.2001-04.com.example:t1", "127.0.0.1", 3260, -1, NULL);
	struct rec *r;
	size_t n;

	dbt_put("nodes/iqn.2001-04.com.example:t1/127.0.0.1,3260", text);
	free(text);
	ck_assert_int_eq(db_node_list(&all, &ids, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0].tpgt, -1);
	ck_assert(ids[0].legacy);
	ck_assert_str_eq(ids[0].iface, "default");
	free(ids);
	ck_assert_int_eq(db_node_load(&id, &r), ISCSI_OK);
	ck_assert(id.legacy);
	/* rewrite without tpgt keeps the flat form */
	rec_set(r, "node.startup", "automatic");
	ck_assert_int_eq(db_node_store(r), ISCSI_OK);
	ck_assert(db_file_exists("nodes/iqn.2001-04.com.example:t1/127.0.0.1,3260"));
	/* a known tpgt converts it to the directory form */
	rec_set(r, "node.tpgt", "1");
	ck_assert_int_eq(db_node_store(r), ISCSI_OK);
	ck_assert(!db_file_exists("nodes/iqn.2001-04.com.example:t1/127.0.0.1,3260"));
	ck_assert(db_file_exists("nodes/iqn.2001-04.com.example:t1/127.0.0.1,3260,1/default"));
	rec_free(r);
	id = nid("iqn.2001-04.com.example:t1", "127.0.0.1", 3260, -1, NULL);
	ck_assert_int_eq(db_node_load(&id, &r), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "node.startup"), "automatic");
	rec_free(r);
}
END_TEST

/* open-iscsi #408: a tpgt-less write must not create a clashing flat file. */
START_TEST(test_db_reuse_tpgt)
{
	store("iqn.2024-01.test:t", "127.0.0.1", 3260, 3, NULL);
	store("iqn.2024-01.test:t", "127.0.0.1", 3260, -1, NULL);
	ck_assert(!db_file_exists("nodes/iqn.2024-01.test:t/127.0.0.1,3260"));
	ck_assert(db_file_exists("nodes/iqn.2024-01.test:t/127.0.0.1,3260,3/default"));
}
END_TEST

static const struct { const char *target, *addr, *iface; } hostile[] = {
	{ "../../../tmp/evil", "127.0.0.1", NULL },
	{ "iqn.2024-01.test:a/../../b", "127.0.0.1", NULL },
	{ "iqn.2024-01.test:a\nnode.name = x", "127.0.0.1", NULL },
	{ "..", "127.0.0.1", NULL },
	{ "iqn.2024-01.test:a", "127.0.0.1/../../x", NULL },
	{ "iqn.2024-01.test:a", "1.2.3.4,5", NULL },
	{ "iqn.2024-01.test:a", "127.0.0.1", "../../x" },
	{ "iqn.2024-01.test:a", "127.0.0.1", "a/b" },
	{ "iqn.2024-01.test:a", "127.0.0.1", ".." },
	{ "iqn.2024-01.test:a", "127.0.0.1", "x\ty" },
};

START_TEST(test_db_hostile_names)
{
	struct rec *r = rec_new(REC_NODE);
	char p[4096];
	DIR *d;

	/* refused either by rec_set (control characters) or by db_node_store */
	int refused = rec_set(r, "node.name", hostile[_i].target) != ISCSI_OK;

	refused |= rec_set(r, "node.conn[0].address", hostile[_i].addr) != ISCSI_OK;
	rec_set(r, "node.tpgt", "1");
	if (hostile[_i].iface)
		refused |= rec_set(r, "iface.iscsi_ifacename", hostile[_i].iface) != ISCSI_OK;
	if (!refused)
		ck_assert_int_eq(db_node_store(r), ISCSI_ERR_INVAL);
	rec_free(r);
	snprintf(p, sizeof(p), "%s/nodes", paths_dbroot());
	d = opendir(p);
	if (d != NULL) {
		struct dirent *de;
		int n = 0;
		while ((de = readdir(d)) != NULL)
			n += de->d_name[0] != '.';
		closedir(d);
		ck_assert_int_eq(n, 0);
	}
	ck_assert(!dbt_exists("tmp/evil"));
}
END_TEST

START_TEST(test_db_atomic_no_leftovers)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;

	for (int i = 0; i < 20; i++)
		store("iqn.2024-01.test:t", "127.0.0.1", 3260, 1, NULL);
	snprintf(dir, sizeof(dir), "%s/nodes/iqn.2024-01.test:t/127.0.0.1,3260,1", paths_dbroot());
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		ck_assert_msg(strncmp(de->d_name, ".tmp", 4) != 0, "leftover %s", de->d_name);
	closedir(d);
	ck_assert_int_eq(db_write_atomic("relative", "x", 1), ISCSI_ERR_INVAL);
}
END_TEST

/* Every ISCSI_DB_SYNC mode writes whole records and leaves no temporaries. */
static const char *const sync_modes[] = { "", "full", "none", "bogus" };

static void
assert_no_tmp(const char *dir)
{
	struct dirent *de;
	DIR *d;

	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		ck_assert_msg(strstr(de->d_name, "tmp") == NULL, "leftover %s", de->d_name);
	closedir(d);
}

START_TEST(test_db_sync_modes)
{
	char dir[4096], path[4200], *text;
	size_t len;

	setenv("ISCSI_DB_SYNC", sync_modes[_i], 1);
	store("iqn.2024-01.test:s", "127.0.0.1", 3260, 1, NULL);	/* new: 2 mkdirs */
	store("iqn.2024-01.test:s", "127.0.0.1", 3260, 1, NULL);	/* unchanged */
	snprintf(dir, sizeof(dir), "%s/nodes/iqn.2024-01.test:s/127.0.0.1,3260,1", paths_dbroot());
	snprintf(path, sizeof(path), "%s/default", dir);
	ck_assert_int_eq(db_write_atomic(path, "a = 1\n", 6), ISCSI_OK);	/* replace */
	db_batch_begin();
	ck_assert_int_eq(db_write_atomic(path, "b = 2\n", 6), ISCSI_OK);
	ck_assert_int_eq(conf_read_file(path, &text, &len), 0);	/* not yet renamed */
	ck_assert_str_eq(text, "a = 1\n");
	free(text);
	ck_assert_int_eq(db_batch_end(true), ISCSI_OK);
	ck_assert_int_eq(conf_read_file(path, &text, &len), 0);
	ck_assert_str_eq(text, "b = 2\n");
	free(text);
	assert_no_tmp(dir);
	snprintf(dir, sizeof(dir), "%s/a/b/c/d", paths_dbroot());
	ck_assert_int_eq(db_mkdirs(dir), 0);
	ck_assert_int_eq(db_mkdirs(dir), 0);
	ck_assert(db_file_exists("a/b/c/d"));
	unsetenv("ISCSI_DB_SYNC");
}
END_TEST

/*
 * db_node_create() after db_node_target_new(): whole records and links, no
 * temporaries, in every sync mode; the second record finds its portal
 * directory there and goes through db_node_store().
 */
START_TEST(test_db_create_new)
{
	static const char *const ifaces[] = { "default", "i2" };
	char dir[1024], path[1100], rel[512], full[1600], *text, *want = NULL;
	size_t len, wlen;
	struct rec *r;

	setenv("ISCSI_DB_SYNC", sync_modes[_i], 1);
	db_batch_begin();
	ck_assert_int_eq(db_node_target_new("iqn.2024-01.test:c"), 1);	/* makes nodes/ too */
	for (int i = 0; i < 2; i++) {
		r = mknode("iqn.2024-01.test:c", "127.0.0.1", 3260, 1, ifaces[i]);
		rec_set(r, "node.discovery_type", "send_targets");
		rec_set(r, "node.discovery_address", "127.0.0.1");
		rec_set(r, "node.discovery_port", "3260");
		ck_assert_int_eq(db_node_create(r), ISCSI_OK);
		free(want);
		ck_assert_ptr_nonnull(want = rec_to_text(r, &wlen));
		rec_free(r);
	}
	ck_assert_int_eq(db_batch_end(true), ISCSI_OK);
	ck_assert_int_eq(db_node_target_new("iqn.2024-01.test:c"), 0);
	ck_assert_int_eq(db_node_target_new("../bad"), 0);
	ck_assert(!db_file_exists("bad"));
	snprintf(dir, sizeof(dir), "%s/nodes/iqn.2024-01.test:c/127.0.0.1,3260,1", paths_dbroot());
	assert_no_tmp(dir);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ifaces[i]);
		ck_assert_int_eq(conf_read_file(path, &text, &len), 0);
		ck_assert_uint_gt(len, 100);
		free(text);
		snprintf(rel, sizeof(rel), "send_targets/127.0.0.1,3260/"
			 "iqn.2024-01.test:c,127.0.0.1,3260,1,%s", ifaces[i]);
		ck_assert(db_file_exists(rel));
	}
	ck_assert_int_eq(conf_read_file(path, &text, &len), 0);
	ck_assert_str_eq(text, want);
	free(text);
	free(want);
	snprintf(full, sizeof(full), "%s/%s/i2", paths_dbroot(), rel);	/* through the link */
	ck_assert(access(full, R_OK) == 0);
	r = mknode("iqn.2024-01.test:c2", "127.0.0.1", 3260, -1, NULL);	/* no tpgt: flat */
	ck_assert_int_eq(db_node_create(r), ISCSI_OK);
	rec_free(r);
	ck_assert(db_file_exists("nodes/iqn.2024-01.test:c2/127.0.0.1,3260"));
	unsetenv("ISCSI_DB_SYNC");
}
END_TEST

START_TEST(test_db_delete_prunes)
{
	struct db_node_id id = nid("iqn.2024-01.test:t", "127.0.0.1", 3260, -1, NULL);

	store("iqn.2024-01.test:t", "127.0.0.1", 3260, 1, NULL);
	ck_assert_int_eq(db_node_delete(&id), ISCSI_OK);
	ck_assert(!db_file_exists("nodes/iqn.2024-01.test:t"));
	ck_assert(!db_file_exists("static/iqn.2024-01.test:t,127.0.0.1,3260,1,default"));
	ck_assert_int_eq(db_node_delete(&id), ISCSI_ERR_NO_OBJS_FOUND);
}
END_TEST

static int
set_auto(struct rec *r, const struct db_node_id *id, bool *changed, void *arg)
{
	(void)id;
	(*(int *)arg)++;
	*changed = true;
	return rec_update(r, "node.startup", "automatic");
}

START_TEST(test_db_update_delete_each)
{
	struct db_node_filter f = DB_NODE_FILTER_ALL;
	struct db_node_id id = nid("iqn.2024-01.test:a", "127.0.0.1", 3260, 1, "if1");
	struct rec *r;
	size_t n;
	int calls = 0;

	store("iqn.2024-01.test:a", "127.0.0.1", 3260, 1, NULL);
	store("iqn.2024-01.test:a", "127.0.0.1", 3260, 1, "if1");
	store("iqn.2024-01.test:b", "127.0.0.1", 3260, 1, NULL);
	f.target = "iqn.2024-01.test:a";
	ck_assert_int_eq(db_node_update_each(&f, set_auto, &calls), ISCSI_OK);
	ck_assert_int_eq(calls, 2);
	ck_assert_int_eq(db_node_load(&id, &r), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "node.startup"), "automatic");
	rec_free(r);
	f.target = "iqn.2024-01.test:nothing";
	ck_assert_int_eq(db_node_update_each(&f, set_auto, &calls), ISCSI_ERR_NO_OBJS_FOUND);
	f.target = NULL;
	ck_assert_int_eq(db_node_delete_each(&f, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert(!db_file_exists("nodes/iqn.2024-01.test:a"));
}
END_TEST

/* Enough records for the threaded bulk paths (db_par_for). */
START_TEST(test_db_bulk_threaded)
{
	struct db_node_filter all = DB_NODE_FILTER_ALL;
	struct db_node_id id;
	struct rec *r;
	char name[64], p[4096];
	size_t n;
	int calls = 0;
	DIR *d;

	db_par_min = 32;	/* 111 records: take the threaded paths */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "iqn.2024-01.test:bulk%03d", i);
		store(name, "127.0.0.1", 3260, 1, NULL);
		if (i % 10 == 0)
			store(name, "127.0.0.1", 3260, 1, "if1");
	}
	{
		char *text = ref_text("ref-legacy-file.txt");
		struct db_node_id *ids;
		size_t k, legacy = 0;

		dbt_put("nodes/iqn.2001-04.com.example:t1/127.0.0.1,3260", text);
		free(text);
		ck_assert_int_eq(db_node_list(&all, &ids, &k), ISCSI_OK);
		ck_assert_uint_eq(k, 111);
		for (size_t i = 0; i < k; i++)
			legacy += ids[i].legacy;
		ck_assert_uint_eq(legacy, 1);
		ck_assert_str_eq(ids[0].target, "iqn.2001-04.com.example:t1");
		ck_assert_str_eq(ids[110].target, "iqn.2024-01.test:bulk099");
		free(ids);
	}
	ck_assert_int_eq(db_node_update_each(&all, set_auto, &calls), ISCSI_OK);
	ck_assert_int_eq(calls, 111);
	id = nid("iqn.2024-01.test:bulk050", "127.0.0.1", 3260, 1, "if1");
	ck_assert_int_eq(db_node_load(&id, &r), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "node.startup"), "automatic");
	rec_free(r);
	ck_assert_int_eq(db_node_delete_each(&all, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 111);
	snprintf(p, sizeof(p), "%s/nodes", paths_dbroot());
	ck_assert_ptr_nonnull(d = opendir(p));
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		ck_assert_msg(de->d_name[0] == '.', "left behind: %s", de->d_name);
	closedir(d);
	snprintf(p, sizeof(p), "%s/static", paths_dbroot());
	ck_assert_ptr_nonnull(d = opendir(p));
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		ck_assert_msg(de->d_name[0] == '.', "link left behind: %s", de->d_name);
	closedir(d);
}
END_TEST

START_TEST(test_db_iface)
{
	struct rec *r;
	char **names;
	size_t n;

	ck_assert_int_eq(db_iface_load("default", &r), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "iface.transport_name"), "tcp");
	ck_assert_int_eq(db_iface_store(r), ISCSI_ERR_INVAL);
	rec_free(r);
	ck_assert_int_eq(db_iface_load("iser", &r), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "iface.transport_name"), "iser");
	rec_free(r);
	ck_assert_int_eq(db_iface_load("if0", &r), ISCSI_ERR_IDBM);
	r = rec_new(REC_IFACE);
	rec_set(r, "iface.iscsi_ifacename", "if0");
	rec_set(r, "iface.net_ifacename", "eth0");
	ck_assert_int_eq(db_iface_store(r), ISCSI_OK);
	rec_free(r);
	dbt_put("ifaces/iface.example", "# doc\n");
	ck_assert_int_eq(db_iface_list(&names, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "if0");
	db_names_free(names, n);
	ck_assert_int_eq(db_iface_load("if0", &r), ISCSI_OK);
	ck_assert_str_eq(rec_get(r, "iface.net_ifacename"), "eth0");
	rec_free(r);
	ck_assert_int_eq(db_iface_delete("default"), ISCSI_ERR_INVAL);
	ck_assert_int_eq(db_iface_delete("if0"), ISCSI_OK);
	ck_assert_int_eq(db_iface_delete("if0"), ISCSI_ERR_NO_OBJS_FOUND);
	ck_assert_int_eq(db_iface_load("../nodes", &r), ISCSI_ERR_INVAL);
}
END_TEST

START_TEST(test_db_discovery)
{
	struct db_disc_id id = { REC_DISC_ST, "127.0.0.1", 3260 }, *ids;
	struct db_disc_id is = { REC_DISC_ISNS, "::1", 3205 };
	struct db_node_id *nids;
	struct rec *d, *node;
	size_t n;

	ck_assert_int_eq(db_disc_load(&id, &d), ISCSI_ERR_NO_OBJS_FOUND);
	d = db_disc_new(&id);
	ck_assert_int_eq(db_disc_store(d), ISCSI_OK);
	rec_free(d);
	d = db_disc_new(&is);
	ck_assert_int_eq(db_disc_store(d), ISCSI_OK);
	rec_free(d);
	ck_assert(db_file_exists("send_targets/127.0.0.1,3260/st_config"));
	ck_assert(db_file_exists("isns/::1,3205/isns_config"));
	ck_assert_int_eq(db_disc_list(&ids, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0].kind, REC_DISC_ST);
	ck_assert_int_eq(ids[1].kind, REC_DISC_ISNS);
	free(ids);
	node = mknode("iqn.2024-01.test:t", "127.0.0.1", 3260, 1, NULL);
	rec_set(node, "node.discovery_type", "send_targets");
	rec_set(node, "node.discovery_address", "127.0.0.1");
	rec_set(node, "node.discovery_port", "3260");
	ck_assert_int_eq(db_node_store(node), ISCSI_OK);
	rec_free(node);
	ck_assert(db_file_exists("send_targets/127.0.0.1,3260/iqn.2024-01.test:t,127.0.0.1,3260,1,default"));
	ck_assert(!db_file_exists("static/iqn.2024-01.test:t,127.0.0.1,3260,1,default"));
	ck_assert_int_eq(db_disc_nodes(&id, &nids, &n), ISCSI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(nids[0].target, "iqn.2024-01.test:t");
	free(nids);
	ck_assert_int_eq(db_disc_delete(&id), ISCSI_OK);
	ck_assert(!db_file_exists("send_targets/127.0.0.1,3260"));
	ck_assert(!db_file_exists("nodes/iqn.2024-01.test:t"));
	ck_assert_int_eq(db_disc_delete(&id), ISCSI_ERR_NO_OBJS_FOUND);
}
END_TEST

START_TEST(test_db_lock_stale_and_refcount)
{
	char l[4096], w[4096];
	FILE *f;

	ck_assert_int_eq(db_lock(), ISCSI_OK);
	ck_assert_int_eq(db_lock(), ISCSI_OK);		/* re-entrant */
	db_unlock();
	snprintf(w, sizeof(w), "%s/lock.write", paths_lockdir());
	ck_assert_int_eq(access(w, F_OK), 0);
	db_unlock();
	ck_assert_int_ne(access(w, F_OK), 0);
	/* a lock.write left by a crashed process is broken once stale */
	snprintf(l, sizeof(l), "%s/lock", paths_lockdir());
	ck_assert_ptr_nonnull(f = fopen(l, "a"));
	fclose(f);
	ck_assert_int_eq(link(l, w), 0);
	db_lock_set_stale_age(0);
	ck_assert_int_eq(db_lock(), ISCSI_OK);
	db_unlock();
	ck_assert_int_ne(access(w, F_OK), 0);
}
END_TEST

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *
db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, dbt_setup, dbt_teardown);
	tcase_set_timeout(tc, 120);	/* fsync-bound on a busy disk */
	tcase_add_test(tc, test_db_layout);
	tcase_add_test(tc, test_db_load_any_tpgt);
	tcase_add_test(tc, test_db_list_sorted);
	tcase_add_test(tc, test_db_legacy_flat);
	tcase_add_test(tc, test_db_reuse_tpgt);
	tcase_add_loop_test(tc, test_db_hostile_names, 0, N(hostile));
	tcase_add_test(tc, test_db_atomic_no_leftovers);
	tcase_add_test(tc, test_db_delete_prunes);
	tcase_add_loop_test(tc, test_db_sync_modes, 0, N(sync_modes));
	tcase_add_loop_test(tc, test_db_create_new, 0, N(sync_modes));
	tcase_add_test(tc, test_db_update_delete_each);
	tcase_add_test(tc, test_db_bulk_threaded);
	tcase_add_test(tc, test_db_iface);
	tcase_add_test(tc, test_db_discovery);
	tcase_add_test(tc, test_db_lock_stale_and_refcount);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(db_suite)
