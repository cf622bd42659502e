/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging for every program and plugin: stderr with a "<prog>: " prefix
 * (iscsiadm's format scripts expect) or syslog for the daemon, debug
 * levels 0-8 as iscsiadm/iscsid -d, and a sink hook so tests capture lines.
 */
#ifndef ISCSIKIT_LOG_H
#define ISCSIKIT_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_target { LOG_TO_STDERR = 0, LOG_TO_SYSLOG = 1 };

typedef void (*log_sink_fn)(int prio, const char *line, void *arg);

void log_init(const char *ident, enum log_target target);
void log_set_level(int debug_level);
int log_get_level(void);
/* Replace the output with @fn (NULL restores the default). */
void log_set_sink(log_sink_fn fn, void *arg);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* + strerror(errno) */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The primitive the others use; @prio is a syslog priority. */
void log_vmsg(int prio, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/*
 * Escape a peer-supplied string (target names, aliases, reasons) for a log
 * line or a file: control characters and bytes >= 0x7f become \ooo, '\\'
 * becomes "\\\\".  Always NUL-terminates; returns @dst.
 */
char *log_escape(char *dst, size_t dstlen, const char *src, size_t srclen);

#endif
