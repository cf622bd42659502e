// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel interface without a kernel: builder bytes at the ABI offsets,
 * the event parser on well-formed and hostile messages, stats decoding,
 * and the probe's verdict on this machine's kernel.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include "check_util.h"
#include "err.h"
#include "kif.h"

static uint8_t buf[KIF_MSG_MAX] __attribute__((aligned(8)));

static uint32_t
u32_at(size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, 4);
	return v;
}

static uint64_t
u64_at(size_t off)
{
	uint64_t v;

	memcpy(&v, buf + off, 8);
	return v;
}

/* Offsets below count from the start of the nlmsghdr (16 bytes). */
#define UEV(off)	(16 + (off))

START_TEST(test_kif_builders)
{
	struct kif_req r = { .buf = buf, .cap = sizeof(buf) };
	static const uint8_t bhs[48] = { 0x03 };

	ck_assert_int_eq(kif_create_session(&r, 0x1234, 7, 128, 32), 0);
	ck_assert_uint_eq(r.len, 16 + 56);
	ck_assert_uint_eq(u32_at(0), 72);			/* nlmsg_len */
	ck_assert_uint_eq(buf[4], KIF_UEV_CREATE_SESSION);	/* nlmsg_type */
	ck_assert_uint_eq(u32_at(UEV(0)), 11);
	ck_assert_uint_eq(u64_at(UEV(8)), 0x1234);
	ck_assert_uint_eq(u32_at(UEV(16)), 7);
	ck_assert_uint_eq(u32_at(UEV(20)), 128u | 32u << 16);

	ck_assert_int_eq(kif_bind_conn(&r, 1, 5, 0, 9, true), 0);
	ck_assert_uint_eq(u32_at(UEV(16)), 5);
	ck_assert_uint_eq(u64_at(UEV(24)), 9);
	ck_assert_uint_eq(u32_at(UEV(32)), 1);

	ck_assert_int_eq(kif_set_param(&r, 1, 5, 0, KIF_PARAM_TARGET_NAME, "iqn.x:t"), 0);
	ck_assert_uint_eq(r.len, 16 + 56 + 8);
	ck_assert_uint_eq(u32_at(UEV(24)), KIF_PARAM_TARGET_NAME);
	ck_assert_uint_eq(u32_at(UEV(28)), 8);
	ck_assert_str_eq((char *)buf + 16 + 56, "iqn.x:t");
	ck_assert_int_eq(kif_set_param(&r, 1, 5, 0, KIF_PARAM_MAX, "1"), ISCSI_ERR_INVAL);

	ck_assert_int_eq(kif_stop_conn(&r, 1, 5, 0, 0xabcdef, KIF_STOP_CONN_RECOVER), 0);
	ck_assert_uint_eq(u64_at(UEV(24)), 0xabcdef);
	ck_assert_uint_eq(u32_at(UEV(32)), 3);
	ck_assert_int_eq(kif_stop_conn(&r, 1, 5, 0, 0, 4), ISCSI_ERR_INVAL);

	ck_assert_int_eq(kif_send_pdu(&r, 1, 5, 0, bhs, 48, "abcd", 4), 0);
	ck_assert_uint_eq(u32_at(UEV(24)), 48);
	ck_assert_uint_eq(u32_at(UEV(28)), 4);
	ck_assert_uint_eq(buf[16 + 56], 0x03);
	ck_assert_int_eq(memcmp(buf + 16 + 56 + 48, "abcd", 4), 0);
	ck_assert_int_eq(kif_send_pdu(&r, 1, 5, 0, bhs, 47, NULL, 0), ISCSI_ERR_INVAL);

	ck_assert_int_eq(kif_ep_poll(&r, 1, 77, 1000), 0);
	ck_assert_uint_eq(u64_at(UEV(16)), 77);
	ck_assert_uint_eq(u32_at(UEV(24)), 1000);
}
END_TEST

/* Every sid/cid request: type and where sid/cid land. */
static const struct {
	int		(*fn)(struct kif_req *, uint64_t, uint32_t, uint32_t);
	uint32_t	type;
} sidcid[] = {
	{ kif_create_conn, KIF_UEV_CREATE_CONN },
	{ kif_destroy_conn, KIF_UEV_DESTROY_CONN },
	{ kif_start_conn, KIF_UEV_START_CONN },
	{ kif_get_stats, KIF_UEV_GET_STATS },
};

START_TEST(test_kif_sid_cid_requests)
{
	struct kif_req r = { .buf = buf, .cap = sizeof(buf) };

	ck_assert_int_eq(sidcid[_i].fn(&r, 3, 17, 2), 0);
	ck_assert_uint_eq(r.type, sidcid[_i].type);
	ck_assert_uint_eq(u32_at(UEV(0)), sidcid[_i].type);
	ck_assert_uint_eq(u32_at(UEV(16)), 17);
	ck_assert_uint_eq(u32_at(UEV(20)), 2);
	r.cap = 40;	/* too small for any request */
	ck_assert_int_eq(sidcid[_i].fn(&r, 3, 17, 2), ISCSI_ERR_INVAL);
}
END_TEST

START_TEST(test_kif_ep_connect)
{
	struct kif_req r = { .buf = buf, .cap = sizeof(buf) };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(3260) };

	ck_assert_int_eq(kif_ep_connect(&r, 1, (struct sockaddr *)&sin, sizeof(sin), true, -1), 0);
	ck_assert_uint_eq(r.type, KIF_UEV_EP_CONNECT);
	ck_assert_uint_eq(u32_at(UEV(16)), 1);
	ck_assert_int_eq(memcmp(buf + 16 + 56, &sin, sizeof(sin)), 0);
	ck_assert_int_eq(kif_ep_connect(&r, 1, (struct sockaddr *)&sin, sizeof(sin), false, 4), 0);
	ck_assert_uint_eq(r.type, KIF_UEV_EP_CONNECT_THROUGH_HOST);
	ck_assert_uint_eq(u32_at(UEV(16)), 4);
	ck_assert_int_eq(kif_ep_connect(&r, 1, (struct sockaddr *)&sin, 0, false, 4), ISCSI_ERR_INVAL);
}
END_TEST

/* Build a kernel message: uevent type, r-union words, payload size. */
static size_t
make_event(uint32_t type, const uint32_t r[4], size_t payload, uint32_t nl_len_delta)
{
	struct nlmsghdr nh = { 0 };
	struct kif_uevent ev = { .type = type };

	memset(buf, 0, sizeof(buf));
	memcpy(&ev.r, r, 16);
	nh.nlmsg_len = (uint32_t)(NLMSG_LENGTH(sizeof(ev) + payload) + nl_len_delta);
	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + NLMSG_HDRLEN, &ev, sizeof(ev));
	return NLMSG_LENGTH(sizeof(ev) + payload);
}

static const struct {
	const char	*what;
	uint32_t	 type;
	uint32_t	 r[4];
	size_t		 payload;
	uint32_t	 nl_len_delta;
	size_t		 cut;		/* bytes removed from the received size */
	int		 rc;
	uint32_t	 sid, cid, host_no, code;
} events[] = {
	{ "conn error", KIF_KEV_CONN_ERROR, { 3, 0, 1020 }, 0, 0, 0, ISCSI_OK, 3, 0, 0, 1020 },
	{ "login state", KIF_KEV_CONN_LOGIN_STATE, { 4, 1, 3 }, 0, 0, 0, ISCSI_OK, 4, 1, 0, 3 },
	{ "destroy session", KIF_KEV_DESTROY_SESSION, { 2, 9 }, 0, 0, 0, ISCSI_OK, 9, 0, 2, 0 },
	{ "unbind session", KIF_KEV_UNBIND_SESSION, { 9, 2 }, 0, 0, 0, ISCSI_OK, 9, 0, 2, 0 },
	{ "create session ret", KIF_UEV_CREATE_SESSION, { 5, 6 }, 0, 0, 0, ISCSI_OK, 5, 0, 6, 0 },
	{ "recv pdu", KIF_KEV_RECV_PDU, { 1, 0, 0, 0 }, 48, 0, 0, ISCSI_OK, 1, 0, 0, 0 },
	{ "recv pdu short", KIF_KEV_RECV_PDU, { 1 }, 47, 0, 0, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "host event data", KIF_KEV_HOST_EVENT, { 7, 4, 1 }, 4, 0, 0, ISCSI_OK, 0, 0, 7, 1 },
	{ "host event lies", KIF_KEV_HOST_EVENT, { 7, 400, 1 }, 4, 0, 0, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "ping comp lies", KIF_KEV_PING_COMP, { 7, 0, 1, 99 }, 0, 0, 0, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "len beyond data", KIF_KEV_CONN_ERROR, { 3 }, 0, 8, 0, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "len below header", KIF_KEV_CONN_ERROR, { 3 }, 0, (uint32_t)-70, 0, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "no uevent", KIF_KEV_CONN_ERROR, { 3 }, 0, (uint32_t)-8, 8, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "truncated read", KIF_KEV_CONN_ERROR, { 3 }, 0, 0, 60, ISCSI_ERR_INVAL, 0, 0, 0, 0 },
	{ "unknown type", 250, { 1 }, 0, 0, 0, ISCSI_OK, 0, 0, 0, 0 },
};

START_TEST(test_kif_parse_events)
{
	size_t len = make_event(events[_i].type, events[_i].r, events[_i].payload,
	    events[_i].nl_len_delta), used;
	struct kif_event ev;
	int rc = kif_parse(buf, len - events[_i].cut, &ev, &used);

	ck_assert_msg(rc == events[_i].rc, "%s: rc %d", events[_i].what, rc);
	if (rc != ISCSI_OK)
		return;
	ck_assert_uint_eq(ev.type, events[_i].type);
	ck_assert_uint_eq(ev.sid, events[_i].sid);
	ck_assert_uint_eq(ev.cid, events[_i].cid);
	ck_assert_uint_eq(ev.host_no, events[_i].host_no);
	ck_assert_uint_eq(ev.code, events[_i].code);
	ck_assert_uint_le(used, len);
	ck_assert(ev.data + ev.data_len <= buf + len);
}
END_TEST

START_TEST(test_kif_parse_nlmsg_error)
{
	struct nlmsghdr nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr)),
	    .nlmsg_type = NLMSG_ERROR };
	struct nlmsgerr e = { .error = -EINVAL };
	struct kif_event ev;
	size_t used;

	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	ck_assert_int_eq(kif_parse(buf, nh.nlmsg_len, &ev, &used), ISCSI_ERR_TRANS);
	ck_assert_int_eq(ev.retcode, -EINVAL);
	ck_assert_int_eq(kif_parse(buf, NLMSG_HDRLEN + 2, &ev, &used), ISCSI_ERR_INVAL);
	ck_assert_int_eq(kif_parse(buf, 3, &ev, &used), ISCSI_ERR_INVAL);
}
END_TEST

START_TEST(test_kif_stats)
{
	static const uint32_t none[4];
	struct kif_stats st = { .txdata_octets = 1000, .rxdata_octets = 2000, .noptx_pdus = 1,
	    .timeout_err = 19, .custom_length = 1 };
	struct kif_stats_custom c = { .desc = "tx_sendpage_failures", .value = 7 };
	struct kif_stats_view v;
	struct kif_event ev;
	char desc[65];
	uint64_t val;
	size_t len, used;

	len = make_event(KIF_UEV_GET_STATS, none, sizeof(st) + sizeof(c), 0);
	memcpy(buf + NLMSG_HDRLEN + 56, &st, sizeof(st));
	memcpy(buf + NLMSG_HDRLEN + 56 + sizeof(st), &c, sizeof(c));
	ck_assert_int_eq(kif_parse(buf, len, &ev, &used), 0);
	ck_assert_int_eq(kif_parse_stats(&ev, &v), 0);
	ck_assert_uint_eq(kif_stats_count(), 21);
	ck_assert_str_eq(kif_stats_name(0), "txdata_octets");
	ck_assert_str_eq(kif_stats_name(20), "timeout_err");
	ck_assert_uint_eq(kif_stats_value(&v.std, 1), 2000);
	ck_assert_uint_eq(kif_stats_value(&v.std, 20), 19);
	ck_assert_uint_eq(v.ncustom, 1);
	kif_stats_custom_get(&v, 0, desc, &val);
	ck_assert_str_eq(desc, "tx_sendpage_failures");
	ck_assert_uint_eq(val, 7);
	/* announces more custom counters than were sent */
	st.custom_length = 2;
	memcpy(buf + NLMSG_HDRLEN + 56, &st, sizeof(st));
	ck_assert_int_eq(kif_parse(buf, len, &ev, &used), 0);
	ck_assert_int_eq(kif_parse_stats(&ev, &v), ISCSI_ERR_INVAL);
	st.custom_length = 0xffffffffu;
	memcpy(buf + NLMSG_HDRLEN + 56, &st, sizeof(st));
	ck_assert_int_eq(kif_parse_stats(&ev, &v), ISCSI_ERR_INVAL);
}
END_TEST

/* Random bytes and random truncations: never a crash, never a read past. */
START_TEST(test_kif_parse_random)
{
	struct kif_event ev;
	struct kif_stats_view v;
	size_t used;

	srand(12345);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand() % 200;
		uint8_t *b = malloc(len ? len : 1);

		for (size_t j = 0; j < len; j++)
			b[j] = (uint8_t)rand();
		if (len >= 4 && rand() % 2)
			memcpy(b, &(uint32_t){ (uint32_t)len - (uint32_t)(rand() % 3) }, 4);
		if (kif_parse(b, len, &ev, &used) == ISCSI_OK) {
			ck_assert(ev.data + ev.data_len <= b + len);
			(void)kif_parse_stats(&ev, &v);
		}
		free(b);
	}
}
END_TEST

START_TEST(test_kif_names)
{
	ck_assert_str_eq(kif_event_name(KIF_KEV_CONN_ERROR), "CONN_ERROR");
	ck_assert_str_eq(kif_event_name(9999), "UNKNOWN");
	ck_assert_str_eq(kif_conn_err_text(1020), "ISCSI_ERR_TCP_CONN_CLOSE: TCP connection closed");
	ck_assert_ptr_null(kif_conn_err_text(1023));
	ck_assert_ptr_null(kif_conn_err_text(0));
	ck_assert_str_eq(kif_conn_state_name(3), "LOGGED IN");
	ck_assert_str_eq(kif_conn_state_name(7), "Unknown");
}
END_TEST

/* This build machine's kernel lacks iSCSI: the probe must say so clearly. */
START_TEST(test_kif_probe_without_kernel_support)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ISCSI);
	struct kif *k = NULL;

	if (fd >= 0) {
		close(fd);
		ck_assert_int_eq(kif_probe(), ISCSI_OK);
		return;		/* a kernel with iSCSI: nothing to refuse */
	}
	ck_assert_int_eq(errno, EPROTONOSUPPORT);
	ck_assert_int_eq(kif_probe(), ISCSI_ERR_TRANS_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(err_detail(ISCSI_ERR_TRANS_NOT_FOUND), "no iSCSI support"));
	ck_assert_int_eq(kif_open(&k, NULL, NULL), ISCSI_ERR_TRANS_NOT_FOUND);
	ck_assert_ptr_null(k);
}
END_TEST

static Suite *
kif_suite(void)
{
	Suite *s = suite_create("kif");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_kif_builders);
	tcase_add_loop_test(tc, test_kif_sid_cid_requests, 0, sizeof(sidcid) / sizeof(sidcid[0]));
	tcase_add_test(tc, test_kif_ep_connect);
	tcase_add_loop_test(tc, test_kif_parse_events, 0, sizeof(events) / sizeof(events[0]));
	tcase_add_test(tc, test_kif_parse_nlmsg_error);
	tcase_add_test(tc, test_kif_stats);
	tcase_add_test(tc, test_kif_parse_random);
	tcase_add_test(tc, test_kif_names);
	tcase_add_test(tc, test_kif_probe_without_kernel_support);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(kif_suite)
