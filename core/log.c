// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Log sinks: stderr with the program prefix, or syslog.  No logger process
 * and no shared memory (open-iscsi's design); the daemon logs directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *log_ident = "iscsikit";
static enum log_target log_target = LOG_TO_STDERR;
static int log_level;
static log_sink_fn log_sink;
static void *log_sink_arg;

void
log_init(const char *ident, enum log_target target)
{
	log_ident = ident;
	log_target = target;
	if (target == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

void
log_set_level(int debug_level)
{
	log_level = debug_level;
}

int
log_get_level(void)
{
	return log_level;
}

void
log_set_sink(log_sink_fn fn, void *arg)
{
	log_sink = fn;
	log_sink_arg = arg;
}

void
log_vmsg(int prio, const char *fmt, va_list ap)
{
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_sink != NULL) {
		log_sink(prio, line, log_sink_arg);
		return;
	}
	if (log_target == LOG_TO_SYSLOG) {
		syslog(prio, "%s", line);
		return;
	}
	fprintf(stderr, "%s: %s\n", log_ident, line);
}

static void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	char buf[1536];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(LOG_WARNING, "%s: %s", buf, strerror(saved));
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	log_vmsg(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

char *
log_escape(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t o = 0;

	if (dstlen == 0)
		return dst;
	for (size_t i = 0; i < srclen && src[i] != '\0'; i++) {
		unsigned char c = (unsigned char)src[i];
		char tmp[5];
		size_t n;

		if (c == '\\')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\%03o", c);
		else {
			tmp[0] = (char)c;
			n = 1;
		}
		if (o + n >= dstlen)
			break;
		memcpy(dst + o, tmp, n);
		o += n;
	}
	dst[o] = '\0';
	return dst;
}
