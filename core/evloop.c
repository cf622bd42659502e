// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop: epoll for fds, one timerfd armed at the earliest entry
 * of a min-heap of millisecond timers, one signalfd, and a doubly linked
 * deferred-call queue.  Not thread-safe and not meant to be.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <iscsi/errors.h>

#include "evloop.h"

#define EVLOOP_BATCH	64
#define EVLOOP_NSIG	65

struct evloop_sig {
	evloop_fn	 fn;
	void		*arg;
};

struct evloop {
	int			 epfd, tfd, sfd;
	bool			 stop;
	struct evloop_timer	**heap;
	size_t			 nheap, heapcap;
	uint64_t		 armed;		/* due time the timerfd is set for, 0 = off */
	struct evloop_defer	*dhead, *dtail;
	sigset_t		 sigs;
	struct evloop_sig	 sig[EVLOOP_NSIG];
	/* The batch being dispatched, so a delete can cancel a pending entry. */
	struct epoll_event	 batch[EVLOOP_BATCH];
	int			 nbatch, ibatch;
};

/* Tags in epoll data for the loop's own fds; watches store their pointer. */
static char tag_timer, tag_signal;

uint64_t
evloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int
loop_add_fd(struct evloop *loop, int fd, void *tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = tag };

	return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev);
}

struct evloop *
evloop_new(void)
{
	struct evloop *loop = calloc(1, sizeof(*loop));

	if (loop == NULL)
		return NULL;
	loop->tfd = loop->sfd = -1;
	sigemptyset(&loop->sigs);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto fail;
	loop->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (loop->tfd < 0 || loop_add_fd(loop, loop->tfd, &tag_timer) < 0)
		goto fail;
	return loop;
fail:
	evloop_free(loop);
	return NULL;
}

void
evloop_free(struct evloop *loop)
{
	int saved = errno;

	if (loop == NULL)
		return;
	while (loop->dhead != NULL)
		evloop_defer_cancel(loop->dhead);
	for (size_t i = 0; i < loop->nheap; i++)
		loop->heap[i]->t_loop = NULL;
	free(loop->heap);
	if (loop->sfd >= 0)
		close(loop->sfd);
	sigprocmask(SIG_UNBLOCK, &loop->sigs, NULL);
	if (loop->tfd >= 0)
		close(loop->tfd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	free(loop);
	errno = saved;
}

/* ---------------------------------------------------------------- watches */

void
evloop_watch_init(struct evloop_watch *w, int fd, evloop_watch_fn fn, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->w_fd = fd;
	w->w_fn = fn;
	w->w_arg = arg;
}

int
evloop_watch_add(struct evloop *loop, struct evloop_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (w->w_loop != NULL) {
		errno = EEXIST;
		return -1;
	}
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, w->w_fd, &ev) < 0)
		return -1;
	w->w_loop = loop;
	w->w_events = events;
	return 0;
}

int
evloop_watch_mod(struct evloop_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (w->w_loop == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (epoll_ctl(w->w_loop->epfd, EPOLL_CTL_MOD, w->w_fd, &ev) < 0)
		return -1;
	w->w_events = events;
	return 0;
}

void
evloop_watch_del(struct evloop_watch *w)
{
	struct evloop *loop = w->w_loop;

	if (loop == NULL)
		return;
	/* The fd may already be closed, which removed it from the set. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->w_fd, NULL);
	for (int i = loop->ibatch; i < loop->nbatch; i++)
		if (loop->batch[i].data.ptr == w)
			loop->batch[i].data.ptr = NULL;
	w->w_loop = NULL;
}

/* ---------------------------------------------------------------- timers */

static void
heap_swap(struct evloop *loop, size_t a, size_t b)
{
	struct evloop_timer *t = loop->heap[a];

	loop->heap[a] = loop->heap[b];
	loop->heap[b] = t;
	loop->heap[a]->t_index = a;
	loop->heap[b]->t_index = b;
}

static void
heap_up(struct evloop *loop, size_t i)
{
	while (i > 0 && loop->heap[(i - 1) / 2]->t_due > loop->heap[i]->t_due) {
		heap_swap(loop, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct evloop *loop, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < loop->nheap && loop->heap[l]->t_due < loop->heap[m]->t_due)
			m = l;
		if (r < loop->nheap && loop->heap[r]->t_due < loop->heap[m]->t_due)
			m = r;
		if (m == i)
			return;
		heap_swap(loop, i, m);
		i = m;
	}
}

/* Arm the timerfd for the heap's earliest entry (absolute, so no drift). */
static void
timer_rearm(struct evloop *loop)
{
	struct itimerspec its;
	uint64_t due = loop->nheap > 0 ? loop->heap[0]->t_due : 0;

	if (due == loop->armed)
		return;
	memset(&its, 0, sizeof(its));
	if (due != 0) {
		its.it_value.tv_sec = (time_t)(due / 1000);
		its.it_value.tv_nsec = (long)(due % 1000) * 1000000L;
	}
	if (timerfd_settime(loop->tfd, due != 0 ? TFD_TIMER_ABSTIME : 0, &its, NULL) == 0)
		loop->armed = due;
}

void
evloop_timer_init(struct evloop_timer *t, evloop_fn fn, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->t_fn = fn;
	t->t_arg = arg;
}

bool
evloop_timer_pending(const struct evloop_timer *t)
{
	return t->t_loop != NULL;
}

int
evloop_timer_add(struct evloop *loop, struct evloop_timer *t, uint64_t msec)
{
	evloop_timer_del(t);
	if (loop->nheap == loop->heapcap) {
		size_t cap = loop->heapcap ? loop->heapcap * 2 : 16;
		struct evloop_timer **h = realloc(loop->heap, cap * sizeof(*h));

		if (h == NULL)
			return -1;
		loop->heap = h;
		loop->heapcap = cap;
	}
	/* +1 so that a zero delay still differs from "disarmed". */
	t->t_due = evloop_now_ms() + msec + 1;
	t->t_loop = loop;
	t->t_index = loop->nheap;
	loop->heap[loop->nheap++] = t;
	heap_up(loop, t->t_index);
	timer_rearm(loop);
	return 0;
}

void
evloop_timer_del(struct evloop_timer *t)
{
	struct evloop *loop = t->t_loop;
	size_t i = t->t_index;

	if (loop == NULL)
		return;
	t->t_loop = NULL;
	if (i != --loop->nheap) {
		heap_swap(loop, i, loop->nheap);
		heap_down(loop, i);
		heap_up(loop, i);
	}
	timer_rearm(loop);
}

/* Fire every due timer; each is removed before its callback runs. */
static int
timers_fire(struct evloop *loop)
{
	uint64_t now = evloop_now_ms(), expirations;
	int n = 0;

	(void)!read(loop->tfd, &expirations, sizeof(expirations));
	loop->armed = 0;
	while (loop->nheap > 0 && loop->heap[0]->t_due <= now) {
		struct evloop_timer *t = loop->heap[0];

		evloop_timer_del(t);
		t->t_fn(t->t_arg);
		n++;
	}
	timer_rearm(loop);
	return n;
}

/* ---------------------------------------------------------------- deferred calls */

void
evloop_defer_init(struct evloop_defer *d, evloop_fn fn, void *arg)
{
	memset(d, 0, sizeof(*d));
	d->d_fn = fn;
	d->d_arg = arg;
}

void
evloop_defer_post(struct evloop *loop, struct evloop_defer *d)
{
	if (d->d_loop != NULL)
		return;		/* already queued: runs once */
	d->d_loop = loop;
	d->d_next = NULL;
	d->d_prev = loop->dtail;
	if (loop->dtail != NULL)
		loop->dtail->d_next = d;
	else
		loop->dhead = d;
	loop->dtail = d;
}

void
evloop_defer_cancel(struct evloop_defer *d)
{
	struct evloop *loop = d->d_loop;

	if (loop == NULL)
		return;
	if (d->d_prev != NULL)
		d->d_prev->d_next = d->d_next;
	else
		loop->dhead = d->d_next;
	if (d->d_next != NULL)
		d->d_next->d_prev = d->d_prev;
	else
		loop->dtail = d->d_prev;
	d->d_loop = NULL;
	d->d_next = d->d_prev = NULL;
	if (d->d_allocated)
		free(d);
}

int
evloop_defer_call(struct evloop *loop, evloop_fn fn, void *arg)
{
	struct evloop_defer *d = malloc(sizeof(*d));

	if (d == NULL)
		return -1;
	evloop_defer_init(d, fn, arg);
	d->d_allocated = true;
	evloop_defer_post(loop, d);
	return 0;
}

/* Run what was queued before this round started; later posts wait. */
static int
defers_run(struct evloop *loop)
{
	size_t queued = 0;
	int n = 0;

	for (struct evloop_defer *d = loop->dhead; d != NULL; d = d->d_next)
		queued++;
	while (queued-- > 0 && loop->dhead != NULL) {
		struct evloop_defer *d = loop->dhead;
		evloop_fn fn = d->d_fn;
		void *arg = d->d_arg;
		bool allocated = d->d_allocated;

		d->d_allocated = false;		/* unlink without freeing */
		evloop_defer_cancel(d);
		if (allocated)
			free(d);
		fn(arg);
		n++;
	}
	return n;
}

/* ---------------------------------------------------------------- signals */

int
evloop_signal(struct evloop *loop, int signo, evloop_fn fn, void *arg)
{
	sigset_t one;
	int fd;

	if (signo <= 0 || signo >= EVLOOP_NSIG) {
		errno = EINVAL;
		return -1;
	}
	sigemptyset(&one);
	sigaddset(&one, signo);
	if (fn != NULL)
		sigaddset(&loop->sigs, signo);
	else
		sigdelset(&loop->sigs, signo);
	if (sigprocmask(fn != NULL ? SIG_BLOCK : SIG_UNBLOCK, &one, NULL) < 0)
		return -1;
	fd = signalfd(loop->sfd, &loop->sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (loop->sfd < 0) {
		if (loop_add_fd(loop, fd, &tag_signal) < 0) {
			close(fd);
			return -1;
		}
		loop->sfd = fd;
	}
	loop->sig[signo].fn = fn;
	loop->sig[signo].arg = arg;
	return 0;
}

static int
signals_dispatch(struct evloop *loop)
{
	struct signalfd_siginfo si;
	int n = 0;

	while (read(loop->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo < EVLOOP_NSIG && loop->sig[si.ssi_signo].fn != NULL) {
			loop->sig[si.ssi_signo].fn(loop->sig[si.ssi_signo].arg);
			n++;
		}
	}
	return n;
}

/* ---------------------------------------------------------------- running */

int
evloop_run_once(struct evloop *loop, int timeout_ms)
{
	int n = defers_run(loop), nev;

	if (loop->dhead != NULL || loop->stop)
		timeout_ms = 0;		/* more work queued: only poll */
	nev = epoll_wait(loop->epfd, loop->batch, EVLOOP_BATCH, timeout_ms);
	if (nev < 0)
		return errno == EINTR ? n : -1;
	loop->nbatch = nev;
	for (loop->ibatch = 0; loop->ibatch < loop->nbatch; ) {
		struct epoll_event *ev = &loop->batch[loop->ibatch++];
		struct evloop_watch *w = ev->data.ptr;

		if (w == NULL)
			continue;	/* deleted earlier in this batch */
		if (ev->data.ptr == &tag_timer)
			n += timers_fire(loop);
		else if (ev->data.ptr == &tag_signal)
			n += signals_dispatch(loop);
		else {
			w->w_fn(w->w_fd, ev->events, w->w_arg);
			n++;
		}
	}
	loop->nbatch = loop->ibatch = 0;
	return n;
}

int
evloop_run(struct evloop *loop)
{
	loop->stop = false;
	while (!loop->stop)
		if (evloop_run_once(loop, -1) < 0)
			return -1;
	loop->stop = false;
	return 0;
}

void
evloop_break(struct evloop *loop)
{
	loop->stop = true;
}

/* ---------------------------------------------------------------- plugin services */

static struct evloop *plugin_loop;

struct iscsi_watch {
	struct evloop_watch	 ew;
	iscsi_watch_fn		 fn;
	void			*arg;
};

struct iscsi_timer {
	struct evloop_timer	 et;
	iscsi_timer_fn		 fn;
	void			*arg;
	bool			 firing;
};

void
evloop_plugin_bind(struct evloop *loop)
{
	plugin_loop = loop;
}

static void
plugin_watch_cb(int fd, uint32_t events, void *arg)
{
	struct iscsi_watch *w = arg;

	w->fn(fd, events, w->arg);
}

int
evloop_plugin_watch_add(const struct plugin_handle *owner, int fd, uint32_t events,
    iscsi_watch_fn fn, void *arg, struct iscsi_watch **out)
{
	struct iscsi_watch *w;

	(void)owner;
	if (plugin_loop == NULL)
		return ISCSI_ERR_OP_NOT_SUPP;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ISCSI_ERR_NOMEM;
	w->fn = fn;
	w->arg = arg;
	evloop_watch_init(&w->ew, fd, plugin_watch_cb, w);
	if (evloop_watch_add(plugin_loop, &w->ew, events) < 0) {
		free(w);
		return ISCSI_ERR_INVAL;
	}
	*out = w;
	return ISCSI_OK;
}

void
evloop_plugin_watch_del(const struct plugin_handle *owner, struct iscsi_watch *w)
{
	(void)owner;
	if (w == NULL)
		return;
	evloop_watch_del(&w->ew);
	free(w);
}

static void
plugin_timer_cb(void *arg)
{
	struct iscsi_timer *t = arg;

	t->firing = true;
	t->fn(t->arg);
	free(t);
}

int
evloop_plugin_timer_add(const struct plugin_handle *owner, uint64_t msec,
    iscsi_timer_fn fn, void *arg, struct iscsi_timer **out)
{
	struct iscsi_timer *t;

	(void)owner;
	if (plugin_loop == NULL)
		return ISCSI_ERR_OP_NOT_SUPP;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return ISCSI_ERR_NOMEM;
	t->fn = fn;
	t->arg = arg;
	evloop_timer_init(&t->et, plugin_timer_cb, t);
	if (evloop_timer_add(plugin_loop, &t->et, msec) < 0) {
		free(t);
		return ISCSI_ERR_NOMEM;
	}
	if (out != NULL)
		*out = t;
	return ISCSI_OK;
}

void
evloop_plugin_timer_del(const struct plugin_handle *owner, struct iscsi_timer *t)
{
	(void)owner;
	if (t == NULL || t->firing)
		return;		/* a firing timer is freed when its callback returns */
	evloop_timer_del(&t->et);
	free(t);
}

int
evloop_plugin_defer(const struct plugin_handle *owner, iscsi_timer_fn fn, void *arg)
{
	(void)owner;
	if (plugin_loop == NULL)
		return ISCSI_ERR_OP_NOT_SUPP;
	return evloop_defer_call(plugin_loop, fn, arg) == 0 ? ISCSI_OK : ISCSI_ERR_NOMEM;
}
