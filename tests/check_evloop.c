// SPDX-License-Identifier: GPL-2.0-or-later
/* Event loop: timer order, deletion from callbacks, defers, signals, adapter. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "check_util.h"
#include "evloop.h"
#include "err.h"

struct rec {
	struct evloop	*loop;
	char		 log[64];
	size_t		 n;
};

static void
rec_add(struct rec *r, char c)
{
	if (r->n + 1 < sizeof(r->log))
		r->log[r->n++] = c;
}

struct tmark {
	struct evloop_timer	 t;
	struct rec		*r;
	char			 c;
	struct evloop_timer	*victim;	/* deleted when this one fires */
};

static int tmark_fired;

static void
tmark_cb(void *arg)
{
	struct tmark *m = arg;

	tmark_fired++;
	rec_add(m->r, m->c);
	if (m->victim != NULL)
		evloop_timer_del(m->victim);
}

static void
run_until_idle(struct evloop *loop, int rounds)
{
	while (rounds-- > 0)
		evloop_run_once(loop, 20);
}

/* Delays (ms) and the firing order they must produce. */
static const struct {
	unsigned	 delays[5];
	const char	*order;
} timer_cases[] = {
	{ { 30, 10, 20, 0, 5 }, "debca" },
	{ { 1, 1, 1, 1, 1 }, "" },		/* equal: any order, all five */
	{ { 50, 40, 30, 20, 10 }, "edcba" },
};

START_TEST(test_evloop_timer_order)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };
	struct tmark m[5];

	ck_assert_ptr_nonnull(loop);
	for (int i = 0; i < 5; i++) {
		m[i] = (struct tmark){ .r = &r, .c = (char)('a' + i) };
		evloop_timer_init(&m[i].t, tmark_cb, &m[i]);
		ck_assert_int_eq(evloop_timer_add(loop, &m[i].t, timer_cases[_i].delays[i]), 0);
	}
	while (r.n < 5)
		ck_assert_int_ge(evloop_run_once(loop, 200), 0);
	r.log[r.n] = '\0';
	if (timer_cases[_i].order[0] != '\0')
		ck_assert_str_eq(r.log, timer_cases[_i].order);
	for (int i = 0; i < 5; i++)
		ck_assert(!evloop_timer_pending(&m[i].t));
	evloop_free(loop);
}
END_TEST

START_TEST(test_evloop_timer_delete_from_callback)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };
	struct tmark a = { .r = &r, .c = 'a' }, b = { .r = &r, .c = 'b' };

	evloop_timer_init(&a.t, tmark_cb, &a);
	evloop_timer_init(&b.t, tmark_cb, &b);
	a.victim = &b.t;
	/* Both due in the same round: a runs first and cancels b. */
	evloop_timer_add(loop, &a.t, 0);
	evloop_timer_add(loop, &b.t, 1);
	usleep(5000);
	run_until_idle(loop, 3);
	r.log[r.n] = '\0';
	ck_assert_str_eq(r.log, "a");
	evloop_free(loop);
}
END_TEST

struct wmark {
	struct evloop_watch	 w;
	struct rec		*r;
	char			 c;
	struct wmark		*victim;
	int			 fds[2];
};

static void
wmark_cb(int fd, uint32_t events, void *arg)
{
	struct wmark *m = arg;
	char buf[16];

	(void)events;
	(void)!read(fd, buf, sizeof(buf));
	rec_add(m->r, m->c);
	if (m->victim != NULL) {
		evloop_watch_del(&m->victim->w);
		/* The owner frees its memory: the loop must not touch it. */
		memset(&m->victim->w, 0xa5, sizeof(m->victim->w));
	}
}

START_TEST(test_evloop_watch_delete_from_callback)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };
	struct wmark a = { .r = &r, .c = 'a' }, b = { .r = &r, .c = 'b' };

	ck_assert_int_eq(pipe(a.fds), 0);
	ck_assert_int_eq(pipe(b.fds), 0);
	evloop_watch_init(&a.w, a.fds[0], wmark_cb, &a);
	evloop_watch_init(&b.w, b.fds[0], wmark_cb, &b);
	a.victim = &b;
	b.victim = &a;
	ck_assert_int_eq(evloop_watch_add(loop, &a.w, EVLOOP_READ), 0);
	ck_assert_int_eq(evloop_watch_add(loop, &b.w, EVLOOP_READ), 0);
	ck_assert_int_eq(evloop_watch_add(loop, &b.w, EVLOOP_READ), -1);
	/* Both readable in one batch: whichever runs first deletes the other. */
	ck_assert_int_eq(write(a.fds[1], "x", 1), 1);
	ck_assert_int_eq(write(b.fds[1], "x", 1), 1);
	ck_assert_int_eq(evloop_run_once(loop, 100), 1);
	ck_assert_int_eq(evloop_run_once(loop, 20), 0);
	ck_assert_uint_eq(r.n, 1);
	for (int i = 0; i < 2; i++) {
		close(a.fds[i]);
		close(b.fds[i]);
	}
	evloop_free(loop);
}
END_TEST

struct dmark {
	struct evloop_defer	 d;
	struct rec		*r;
	char			 c;
	bool			 repost;
};

static void
dmark_cb(void *arg)
{
	struct dmark *m = arg;

	rec_add(m->r, m->c);
	if (m->repost) {
		m->repost = false;
		evloop_defer_post(m->r->loop, &m->d);
	}
}

START_TEST(test_evloop_defer_order_and_cancel)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };
	struct dmark m[3];

	for (int i = 0; i < 3; i++) {
		m[i] = (struct dmark){ .r = &r, .c = (char)('a' + i) };
		evloop_defer_init(&m[i].d, dmark_cb, &m[i]);
		evloop_defer_post(loop, &m[i].d);
	}
	evloop_defer_post(loop, &m[0].d);	/* already queued: once */
	evloop_defer_cancel(&m[1].d);
	m[2].repost = true;
	ck_assert_int_eq(evloop_run_once(loop, 0), 2);
	r.log[r.n] = '\0';
	ck_assert_str_eq(r.log, "ac");
	/* The re-post runs in the next round, not the same one. */
	ck_assert_int_eq(evloop_run_once(loop, 0), 1);
	ck_assert_int_eq(evloop_run_once(loop, 0), 0);
	evloop_free(loop);
}
END_TEST

static void
sig_cb(void *arg)
{
	struct rec *r = arg;

	rec_add(r, 's');
	evloop_break(r->loop);
}

START_TEST(test_evloop_signal_breaks_run)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };

	ck_assert_int_eq(evloop_signal(loop, SIGUSR1, sig_cb, &r), 0);
	ck_assert_int_eq(evloop_signal(loop, 0, sig_cb, &r), -1);
	kill(getpid(), SIGUSR1);
	ck_assert_int_eq(evloop_run(loop), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(evloop_signal(loop, SIGUSR1, NULL, NULL), 0);
	evloop_free(loop);
}
END_TEST

static void
ops_timer_cb(void *arg)
{
	rec_add(arg, 't');
}

static void
ops_watch_cb(int fd, uint32_t events, void *arg)
{
	char c;

	(void)events;
	(void)!read(fd, &c, 1);
	rec_add(arg, 'w');
}

START_TEST(test_evloop_plugin_services)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };
	struct iscsi_watch *w = NULL;
	struct iscsi_timer *t1 = NULL, *t2 = NULL;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	evloop_plugin_bind(NULL);
	ck_assert_int_eq(evloop_plugin_defer(NULL, ops_timer_cb, &r), ISCSI_ERR_OP_NOT_SUPP);
	evloop_plugin_bind(loop);
	ck_assert_int_eq(evloop_plugin_watch_add(NULL, fds[0], ISCSI_EV_READ, ops_watch_cb, &r, &w), 0);
	ck_assert_int_eq(evloop_plugin_timer_add(NULL, 0, ops_timer_cb, &r, &t1), 0);
	ck_assert_int_eq(evloop_plugin_timer_add(NULL, 5, ops_timer_cb, &r, &t2), 0);
	evloop_plugin_timer_del(NULL, t2);
	ck_assert_int_eq(evloop_plugin_defer(NULL, ops_timer_cb, &r), 0);
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	run_until_idle(loop, 4);
	r.log[r.n] = '\0';
	ck_assert_uint_eq(r.n, 3);		/* defer, watch, timer t1; never t2 */
	ck_assert_ptr_nonnull(strchr(r.log, 'w'));
	evloop_plugin_watch_del(NULL, w);
	evloop_plugin_bind(NULL);
	close(fds[0]);
	close(fds[1]);
	evloop_free(loop);
}
END_TEST

START_TEST(test_evloop_many_timers)
{
	struct evloop *loop = evloop_new();
	struct rec r = { .loop = loop };
	static struct tmark m[500];
	int fired = 0;

	tmark_fired = 0;
	for (int i = 0; i < 500; i++) {
		m[i] = (struct tmark){ .r = &r, .c = 'x' };
		evloop_timer_init(&m[i].t, tmark_cb, &m[i]);
		evloop_timer_add(loop, &m[i].t, (uint64_t)(i * 7919 % 23));
	}
	for (int i = 0; i < 500; i += 3)
		evloop_timer_del(&m[i].t);
	for (int round = 0; round < 50; round++)
		evloop_run_once(loop, 5);
	for (int i = 0; i < 500; i++)
		fired += !evloop_timer_pending(&m[i].t);
	ck_assert_int_eq(fired, 500);
	ck_assert_int_eq(tmark_fired, 500 - 167);
	evloop_free(loop);
}
END_TEST

static Suite *
evloop_suite(void)
{
	Suite *s = suite_create("evloop");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_evloop_timer_order, 0,
	    sizeof(timer_cases) / sizeof(timer_cases[0]));
	tcase_add_test(tc, test_evloop_timer_delete_from_callback);
	tcase_add_test(tc, test_evloop_watch_delete_from_callback);
	tcase_add_test(tc, test_evloop_defer_order_and_cancel);
	tcase_add_test(tc, test_evloop_signal_breaks_run);
	tcase_add_test(tc, test_evloop_plugin_services);
	tcase_add_test(tc, test_evloop_many_timers);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(evloop_suite)
