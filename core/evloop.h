/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's one event loop: fd watches (epoll), millisecond timers (a
 * min-heap behind one timerfd), signals (signalfd) and a deferred-call
 * queue.  Handles are embedded in the objects that own them, OpenBSD
 * style; the loop never allocates them and never touches a handle after
 * its owner deleted it, even from inside another callback of the same
 * round.  Single-threaded; nothing here blocks except evloop_run's wait.
 */
#ifndef ISCSIKIT_EVLOOP_H
#define ISCSIKIT_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iscsi/core_api.h>

struct evloop;

/* Watch events: the epoll values, identical to ISCSI_EV_* in core_api.h. */
#define EVLOOP_READ	0x001u
#define EVLOOP_WRITE	0x004u
#define EVLOOP_ERROR	0x008u
#define EVLOOP_HUP	0x010u

typedef void (*evloop_watch_fn)(int fd, uint32_t events, void *arg);
typedef void (*evloop_fn)(void *arg);

/*
 * An fd watch, embedded in its owner.  Fill it with evloop_watch_init();
 * the members are the loop's.  @events passed to the callback are the
 * EVLOOP_* bits that fired (ERROR/HUP are always reported).
 */
struct evloop_watch {
	struct evloop	*w_loop;	/* NULL when not added */
	int		 w_fd;
	uint32_t	 w_events;
	evloop_watch_fn	 w_fn;
	void		*w_arg;
};

/* A one-shot timer, embedded in its owner; re-arm from the callback if needed. */
struct evloop_timer {
	struct evloop	*t_loop;	/* NULL when not pending */
	uint64_t	 t_due;		/* CLOCK_MONOTONIC, ms */
	size_t		 t_index;	/* heap slot */
	evloop_fn	 t_fn;
	void		*t_arg;
};

/* A deferred call, embedded in its owner: runs once from the loop, soon. */
struct evloop_defer {
	struct evloop		*d_loop;	/* NULL when not queued */
	struct evloop_defer	*d_next, *d_prev;
	evloop_fn		 d_fn;
	void			*d_arg;
	bool			 d_allocated;	/* evloop_defer_call's: freed after running */
};

/* Create/destroy.  evloop_new returns NULL and sets errno on failure. */
struct evloop *evloop_new(void);
/* Pending timers/defers/watches are dropped (not run); signals unblocked. */
void evloop_free(struct evloop *loop);

/* Watches.  add: 0 or -1 + errno (EEXIST if already added). */
void evloop_watch_init(struct evloop_watch *w, int fd, evloop_watch_fn fn, void *arg);
int evloop_watch_add(struct evloop *loop, struct evloop_watch *w, uint32_t events);
/* Change the event mask of an added watch. */
int evloop_watch_mod(struct evloop_watch *w, uint32_t events);
/* Safe at any time, including from any callback; no-op if not added. */
void evloop_watch_del(struct evloop_watch *w);

/* Timers: due @msec from now.  Re-adding a pending timer moves it. */
void evloop_timer_init(struct evloop_timer *t, evloop_fn fn, void *arg);
int evloop_timer_add(struct evloop *loop, struct evloop_timer *t, uint64_t msec);
void evloop_timer_del(struct evloop_timer *t);
bool evloop_timer_pending(const struct evloop_timer *t);

/* Deferred calls run in posting order, after the current callback returns;
 * a call posted by a deferred call runs in the next round. */
void evloop_defer_init(struct evloop_defer *d, evloop_fn fn, void *arg);
void evloop_defer_post(struct evloop *loop, struct evloop_defer *d);
void evloop_defer_cancel(struct evloop_defer *d);
/* Allocating form for callers without a handle (plugins' ca_defer): 0/-1. */
int evloop_defer_call(struct evloop *loop, evloop_fn fn, void *arg);

/* Route @signo to @fn through the signalfd (the signal is blocked).
 * @fn NULL removes the handler and unblocks it.  0 or -1 + errno. */
int evloop_signal(struct evloop *loop, int signo, evloop_fn fn, void *arg);

/* Run until evloop_break().  Returns 0, or -1 + errno if the wait failed. */
int evloop_run(struct evloop *loop);
/* One round: run deferred calls, wait up to @timeout_ms (-1 forever) and
 * dispatch.  Returns the number of callbacks run or -1 + errno. */
int evloop_run_once(struct evloop *loop, int timeout_ms);
void evloop_break(struct evloop *loop);
/* CLOCK_MONOTONIC in milliseconds, the timers' clock. */
uint64_t evloop_now_ms(void);

/*
 * The plugin side: services for struct core_loop_ops (core/core_api.h,
 * installed with core_api_set_loop()).  Opaque iscsi_watch/iscsi_timer
 * handles are allocated here and freed by the del functions, or after a
 * timer fired (deleting it from inside its own callback is allowed).
 * Return enum iscsi_err values.  @owner is accepted for the loader's
 * bookkeeping and not used yet.  evloop_plugin_bind() picks the loop; until
 * then the services answer ISCSI_ERR_OP_NOT_SUPP.
 */
struct plugin_handle;
void evloop_plugin_bind(struct evloop *loop);
int evloop_plugin_watch_add(const struct plugin_handle *owner, int fd, uint32_t events,
    iscsi_watch_fn fn, void *arg, struct iscsi_watch **out);
void evloop_plugin_watch_del(const struct plugin_handle *owner, struct iscsi_watch *w);
int evloop_plugin_timer_add(const struct plugin_handle *owner, uint64_t msec,
    iscsi_timer_fn fn, void *arg, struct iscsi_timer **out);
void evloop_plugin_timer_del(const struct plugin_handle *owner, struct iscsi_timer *t);
int evloop_plugin_defer(const struct plugin_handle *owner, iscsi_timer_fn fn, void *arg);

#endif
