// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsid: the daemon's main.  Options as open-iscsi's iscsid, a kernel
 * check that refuses to start without NETLINK_ISCSI, the IPC socket (own
 * or systemd's), daemonizing with a locked pid file, sd_notify readiness,
 * and the IPC handlers that exist so far.  Sessions and logins are not
 * here yet: their requests are answered "operation not supported".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "err.h"
#include "evloop.h"
#include "ipc.h"
#include "kif.h"
#include "log.h"
#include "paths.h"
#include "session.h"
#include "sysfs.h"

#define ISCSID_VERSION		"2.1.8"	/* the reference whose interface we keep */
#define SD_LISTEN_FDS_START	3

struct iscsid {
	struct evloop		*loop;
	struct ipc_server	*ipc;
	struct kif		*kif;		/* NULL with ISCSID_NO_KERNEL=1 */
	struct evloop_watch	 kif_watch;
	struct evloop_defer	 kif_later;	/* events queued during a request */
	char			 config_file[1024];
	char			 iname_file[1024];
	char			 pid_file[1024];
	char			 initiator_name[224];
	char			 initiator_alias[256];
	bool			 foreground, pid_file_on;
	int			 uid, gid;
};

static void
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f, "Usage: iscsid [OPTION]\n"
	    "Open-iSCSI initiator daemon.\n"
	    "  -c, --config=[path]     Execute using the config file (%s/iscsid.conf).\n"
	    "  -i, --initiatorname=[path]     read initiatorname from file (%s/initiatorname.iscsi).\n"
	    "  -f, --foreground        Make the program run in the foreground\n"
	    "  -d, --debug debuglevel  Print debugging information\n"
	    "  -u, --uid=uid           Run as uid, default is current user\n"
	    "  -g, --gid=gid           Run as gid, default is current user group\n"
	    "  -n, --no-pid-file       Do not use a pid file\n"
	    "  -p, --pid=pidfile       Use pid file (default %s/iscsid.pid).\n"
	    "  -h, --help              Display this help and exit\n"
	    "  -v, --version           Display version and exit\n"
	    "Tests only: ISCSI_IPC_NAME=name moves the IPC socket; ISCSID_NO_KERNEL=1 runs\n"
	    "without the kernel's iSCSI interface (no session can be created).\n",
	    paths_confdir(), paths_confdir(), paths_rundir());
	exit(status);
}

/* ---------------------------------------------------------------- configuration */

static void
iscsid_read_config(struct iscsid *d)
{
	struct utsname u;

	if (access(d->config_file, R_OK) != 0)
		log_debug(1, "%s: %s; using built-in defaults", d->config_file, strerror(errno));
	if (!ipc_conf_lookup(d->iname_file, "InitiatorName", d->initiator_name,
	    sizeof(d->initiator_name)) || d->initiator_name[0] == '\0')
		log_warnx("InitiatorName not found in %s: software iSCSI logins and discovery will "
		    "fail until it is set (iscsi-iname -g >> %s)", d->iname_file, d->iname_file);
	if (!ipc_conf_lookup(d->iname_file, "InitiatorAlias", d->initiator_alias,
	    sizeof(d->initiator_alias)) && uname(&u) == 0)
		snprintf(d->initiator_alias, sizeof(d->initiator_alias), "%s", u.nodename);
}

/* ---------------------------------------------------------------- IPC handlers */

static int
h_config_value(struct ipc_call *c, const char *value, const char *what)
{
	if (value[0] == '\0')
		return err_set(ISCSI_ERR_NO_OBJS_FOUND, "iscsid has no %s", what);
	return ipc_put_str(ipc_call_reply_msg(c), IPC_F_VALUE, value);
}

static int
h_iname(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct iscsid *d = arg;

	(void)req;
	return h_config_value(c, d->initiator_name, "InitiatorName");
}

static int
h_ialias(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct iscsid *d = arg;

	(void)req;
	return h_config_value(c, d->initiator_alias, "InitiatorAlias");
}

static int
h_config_file(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct iscsid *d = arg;

	(void)req;
	return h_config_value(c, d->config_file, "config file");
}

static int
h_stop(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	struct iscsid *d = arg;

	(void)c;
	(void)req;
	log_info("iscsid stopping on request (iscsiadm -k 0)");
	evloop_break(d->loop);
	return ISCSI_OK;
}

static int
stats_reply(struct ipc_msg *m, const struct kif_event *ev)
{
	struct kif_stats_view v;
	char desc[65];
	uint64_t val;
	int rc = kif_parse_stats(ev, &v);

	for (size_t i = 0; rc == ISCSI_OK && i < kif_stats_count(); i++)
		rc = ipc_put_stat(m, IPC_F_STAT, kif_stats_name(i), kif_stats_value(&v.std, i));
	for (uint32_t i = 0; rc == ISCSI_OK && i < v.ncustom; i++) {
		kif_stats_custom_get(&v, i, desc, &val);
		rc = ipc_put_stat(m, IPC_F_CUSTOM_STAT, desc, val);
	}
	return rc;
}

/* GET_STATS through the kernel for connection <sid>:0. */
static int
h_session_stats(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	static uint8_t rbuf[8192] __attribute__((aligned(8)));
	uint8_t qbuf[128] __attribute__((aligned(8)));
	struct kif_req r = { .buf = qbuf, .cap = sizeof(qbuf) };
	struct iscsid *d = arg;
	struct sysfs_session s;
	struct sysfs_transport t;
	struct kif_event ev;
	uint32_t sid;
	int rc;

	if (ipc_get_u32(req, IPC_F_SID, &sid) != ISCSI_OK)
		return err_set(ISCSI_ERR_INVAL, "SESSION_STATS without a session id");
	if (d->kif == NULL)
		return err_set(ISCSI_ERR_OP_NOT_SUPP,
		    "session statistics need the kernel's iSCSI support (iscsid runs with ISCSID_NO_KERNEL)");
	if (sysfs_session_get(sid, &s) != ISCSI_OK)
		return err_set(ISCSI_ERR_SESS_NOT_FOUND, "session %u not found", sid);
	if ((rc = sysfs_transport_get(s.transport, &t)) != ISCSI_OK ||
	    (rc = kif_get_stats(&r, t.handle, sid, 0)) != ISCSI_OK ||
	    (rc = kif_call(d->kif, &r, &ev, rbuf, sizeof(rbuf))) != ISCSI_OK)
		return rc;
	return stats_reply(ipc_call_reply_msg(c), &ev);
}

static int
h_not_yet(struct ipc_call *c, const struct ipc_msg *req, void *arg)
{
	(void)c;
	(void)arg;
	return err_set(ISCSI_ERR_OP_NOT_SUPP, "iscsid cannot do %s yet: sessions are not implemented "
	    "in this build", ipc_type_name(req->type));
}

static const struct ipc_handler iscsid_handlers[] = {
	{ IPC_CONFIG_INAME, h_iname },
	{ IPC_CONFIG_IALIAS, h_ialias },
	{ IPC_CONFIG_FILE, h_config_file },
	{ IPC_IMMEDIATE_STOP, h_stop },
	{ IPC_SESSION_INFO, session_ipc_info },
	{ IPC_SESSION_STATS, h_session_stats },
	{ IPC_SESSION_LOGIN, session_ipc_login },
	{ IPC_SESSION_LOGOUT, session_ipc_logout },
	{ IPC_SESSION_SYNC, h_not_yet },
	{ IPC_SESSION_RESCAN, h_not_yet },
	{ 0, NULL },
};

/* ---------------------------------------------------------------- kernel events */

static void
iscsid_kernel_event(const struct kif_event *ev, void *arg)
{
	const char *text;

	(void)arg;
	session_kernel_event(ev);
	switch (ev->type) {
	case KIF_KEV_CONN_ERROR:
		text = kif_conn_err_text(ev->code);
		log_warnx("Kernel reported iSCSI connection %u:%u error (%u - %s)", ev->sid, ev->cid,
		    ev->code, text != NULL ? text : "unknown error");
		break;
	default:
		log_debug(3, "kernel event %s sid %u host %u", kif_event_name(ev->type), ev->sid,
		    ev->host_no);
		break;
	}
}

static void
iscsid_kif_cb(int fd, uint32_t events, void *arg)
{
	struct iscsid *d = arg;

	(void)fd;
	(void)events;
	if (kif_dispatch(d->kif) != ISCSI_OK)
		log_warnx("%s", err_detail(ISCSI_ERR_TRANS));
}

static void
iscsid_kif_later(void *arg)
{
	iscsid_kif_cb(-1, 0, arg);
}

static void
iscsid_kif_wake(void *arg)
{
	struct iscsid *d = arg;

	evloop_defer_post(d->loop, &d->kif_later);
}

/* ---------------------------------------------------------------- systemd and daemon */

/* sd_notify without libsystemd: one datagram to $NOTIFY_SOCKET. */
static void
iscsid_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    (n = strlen(path)) >= sizeof(sun.sun_path))
		return;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) < 0)
		log_warn("sd_notify to %s", path);
	close(fd);
}

/* The socket systemd passed (LISTEN_PID/LISTEN_FDS), or -1. */
static int
iscsid_listen_fd(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	struct stat st;
	int fd = -1;

	if (pid != NULL && fds != NULL && strtol(pid, NULL, 10) == (long)getpid()) {
		if (strcmp(fds, "1") == 0)
			fd = SD_LISTEN_FDS_START;
		else
			log_warnx("LISTEN_FDS=%s: expected exactly one socket; binding our own", fds);
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))) {
		log_warnx("LISTEN_FDS: fd %d is not a socket; binding our own", fd);
		return -1;
	}
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* Create, lock and fill the pid file; the lock lives as long as @*fdp. */
static int
iscsid_pidfile(const struct iscsid *d, int *fdp)
{
	char buf[32];
	int fd = open(d->pid_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		log_warn("Unable to create pid file %s", d->pid_file);
		return -1;
	}
	if (lockf(fd, F_TLOCK, 0) < 0) {
		log_warnx("Unable to lock pid file %s: is another iscsid running?", d->pid_file);
		close(fd);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
		log_warn("Unable to write pid file %s", d->pid_file);
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

/*
 * Fork.  The parent waits for the child's word that it is ready, so its
 * exit status means something, and exits with it.  The child takes the
 * pid file while its stderr still reaches the user.  Returns the fd on
 * which the child reports readiness (write one 0 byte), or -1.
 */
static int
iscsid_daemonize(const struct iscsid *d, int *pidfd)
{
	int ready[2], nul;
	char c = 1;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		log_warn("cannot daemonize");
		return -1;
	}
	if (pid > 0) {
		close(ready[1]);
		_exit(read(ready[0], &c, 1) == 1 && c == 0 ? 0 : 1);
	}
	close(ready[0]);
	setsid();
	if (d->pid_file_on && iscsid_pidfile(d, pidfd) < 0)
		return -1;
	if (chdir("/") < 0)
		log_warn("chdir /");
	if ((nul = open("/dev/null", O_RDWR)) >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		if (nul > 2)
			close(nul);
	}
	return ready[1];
}

static void
iscsid_signal_stop(void *arg)
{
	struct iscsid *d = arg;

	log_info("iscsid shutting down on a signal");
	evloop_break(d->loop);
}

static void
iscsid_parse(struct iscsid *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "initiatorname", required_argument, NULL, 'i' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", required_argument, NULL, 'd' },
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "no-pid-file", no_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	snprintf(d->config_file, sizeof(d->config_file), "%s/iscsid.conf", paths_confdir());
	snprintf(d->iname_file, sizeof(d->iname_file), "%s/initiatorname.iscsi", paths_confdir());
	snprintf(d->pid_file, sizeof(d->pid_file), "%s/iscsid.pid", paths_rundir());
	d->pid_file_on = true;
	d->uid = d->gid = -1;
	while ((ch = getopt_long(argc, argv, "c:i:fd:u:g:np:vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': snprintf(d->config_file, sizeof(d->config_file), "%s", optarg); break;
		case 'i': snprintf(d->iname_file, sizeof(d->iname_file), "%s", optarg); break;
		case 'f': d->foreground = true; break;
		case 'd': log_set_level(atoi(optarg)); break;
		case 'u': d->uid = atoi(optarg); break;
		case 'g': d->gid = atoi(optarg); break;
		case 'n': d->pid_file_on = false; break;
		case 'p': snprintf(d->pid_file, sizeof(d->pid_file), "%s", optarg); break;
		case 'v': printf("iscsid version %s\n", ISCSID_VERSION); exit(0);
		case 'h': usage(0); break;
		default: usage(1); break;
		}
	}
	if (optind < argc)
		usage(1);
}

/* Everything up to the running loop; returns the readiness fd or -1/-2. */
static int
iscsid_start(struct iscsid *d, int *pidfd)
{
	const char *nk = getenv("ISCSID_NO_KERNEL");
	int rc, ready = -1, lfd = iscsid_listen_fd();	/* before any fd of ours takes 3 */

	if (nk != NULL && strcmp(nk, "1") == 0) {
		log_warnx("ISCSID_NO_KERNEL=1: running without the kernel's iSCSI interface "
		    "(for tests only; no session can be created)");
	} else if ((rc = kif_open(&d->kif, iscsid_kernel_event, d)) != ISCSI_OK) {
		log_warnx("%s", err_detail(rc) != NULL ? err_detail(rc) : iscsi_strerror(rc));
		return -2;
	}
	iscsid_read_config(d);
	if ((d->loop = evloop_new()) == NULL) {
		log_warn("cannot create the event loop");
		return -2;
	}
	/* Plugins reach the loop through core_api_set_loop() once the loader's
	 * core/core_api.c is merged; the services are bound here already. */
	evloop_plugin_bind(d->loop);
	session_init(d->loop, d->kif, d->initiator_name, d->initiator_alias);
	d->ipc = ipc_server_new(d->loop, lfd, iscsid_handlers, d);
	if (d->ipc == NULL) {
		log_warnx("%s", err_detail(ISCSI_ERR_BUSY) != NULL ? err_detail(ISCSI_ERR_BUSY) :
		    err_detail(ISCSI_ERR_INTERNAL));
		return -2;
	}
	if (!d->foreground && (ready = iscsid_daemonize(d, pidfd)) < 0)
		return -2;
	if (!d->foreground)
		log_init("iscsid", LOG_TO_SYSLOG);
	if ((d->gid >= 0 && (setgroups(0, NULL) < 0 || setgid((gid_t)d->gid) < 0)) ||
	    (d->uid >= 0 && setuid((uid_t)d->uid) < 0)) {
		log_warn("cannot switch to uid %d gid %d", d->uid, d->gid);
		return -2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (evloop_signal(d->loop, SIGTERM, iscsid_signal_stop, d) < 0 ||
	    evloop_signal(d->loop, SIGINT, iscsid_signal_stop, d) < 0) {
		log_warn("cannot route signals");
		return -2;
	}
	if (d->kif != NULL) {
		evloop_defer_init(&d->kif_later, iscsid_kif_later, d);
		kif_set_wakeup(d->kif, iscsid_kif_wake, d);
		evloop_watch_init(&d->kif_watch, kif_fd(d->kif), iscsid_kif_cb, d);
		if (evloop_watch_add(d->loop, &d->kif_watch, EVLOOP_READ) < 0) {
			log_warn("cannot watch NETLINK_ISCSI");
			return -2;
		}
	}
	return ready;
}

int
main(int argc, char **argv)
{
	struct iscsid d = { 0 };
	int ready, pidfd = -1, status = 0;

	log_init("iscsid", LOG_TO_STDERR);
	iscsid_parse(&d, argc, argv);
	umask(0077);
	ready = iscsid_start(&d, &pidfd);
	if (ready == -2) {
		status = 1;
		goto out;
	}
	if (ready >= 0) {
		(void)!write(ready, "", 1);
		close(ready);
	}
	log_info("iscsid ready: IPC on @%s%s", ipc_socket_name(),
	    d.kif == NULL ? ", no kernel interface" : "");
	iscsid_notify("READY=1\nSTATUS=Ready to process requests");
	if (evloop_run(d.loop) < 0) {
		log_warn("event loop");
		status = 1;
	}
	iscsid_notify("STOPPING=1");
out:
	ipc_server_free(d.ipc);
	evloop_plugin_bind(NULL);
	evloop_watch_del(&d.kif_watch);
	kif_close(d.kif);
	evloop_free(d.loop);
	if (pidfd >= 0) {
		unlink(d.pid_file);
		close(pidfd);
	}
	return status;
}
