#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iscsid on this host: without kernel iSCSI support it must refuse to start
# with a clear message; with ISCSID_NO_KERNEL=1 (tests only) it runs its
# loop and IPC on a private root and socket name, answers iscsiadm, is
# refused to other users, survives a slow client, stops on `iscsiadm -k 0`
# and on SIGTERM, and works under socket activation with sd_notify.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
iscsid=$top_builddir/iscsid
iscsiadm=$top_builddir/iscsiadm
probe="python3 $top_srcdir/tests/ipc_probe.py"
iscsid_root_name=iscsid
. "$top_srcdir/tests/lib/iscsid_root.sh"
export TMPDIR_TEST=$tmp
unset ISCSID_NO_KERNEL

no() { echo "FAIL: $*"; fail=1; }
# expect WHAT CMD...: CMD's output contains WHAT
expect() {
	what=$1; shift
	out=$("$@" 2>&1)
	case $out in *"$what"*) ;; *) no "'$*' printed '$out', expected '$what'";; esac
}
# wait_gone PID: the process exited (a zombie counts: the daemon's parent
# is whoever adopted it, which may not reap it at once)
wait_gone() {
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || return 0
		case $(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) in Z|X|"") return 0;; esac
		sleep 0.1
	done
	return 1
}

# 1. No kernel support: a clear refusal, exit 1, nothing left behind.
if ! python3 -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 8)' 2>/dev/null; then
	out=$("$iscsid" -f 2>&1); rc=$?
	[ $rc = 1 ] || no "iscsid without kernel support exited $rc, want 1"
	case $out in
	*"can not create NETLINK_ISCSI socket [Protocol not supported]: this kernel has no iSCSI support"*) ;;
	*) no "unclear refusal: $out";;
	esac
	[ ! -e "$pidfile" ] || no "pid file left behind"
	expect "can not connect to iSCSI daemon" "$iscsiadm" -k 0
else
	echo "SKIP refusal check: this kernel has NETLINK_ISCSI"
fi

# 2. Daemon mode on the private root: returns once ready, pid file locked.
ISCSID_NO_KERNEL=1 "$iscsid" -d 1 -c "$tmp/etc/iscsi/iscsid.conf" -p "$pidfile" 2>"$tmp/log" \
	|| no "iscsid with ISCSID_NO_KERNEL=1 failed: $(cat "$tmp/log")"
pid=$(cat "$pidfile" 2>/dev/null) || no "no pid file"
kill -0 "$pid" 2>/dev/null || no "iscsid $pid is not running"
out=$(ISCSID_NO_KERNEL=1 "$iscsid" -f -n 2>&1) && no "a second iscsid started"
case $out in *"is another iscsid running"*) ;; *) no "second iscsid said: $out";; esac

# 3. Requests: config file, initiator name, version mismatch, other uid.
expect "err=0 msg= value=$tmp/etc/iscsi/iscsid.conf" $probe request 10
expect "err=0 msg= value=iqn.2024-01.test:initiator" $probe request 8
expect "msg=iscsid speaks IPC version 1 but the client sent version 9" $probe request 10 9
expect "err=16 msg=iscsid has no handler for request type 99" $probe request 99
if [ "$(id -u)" = 0 ]; then
	expect "err=13 msg=iscsid accepts requests from uid 0 only, not 65534" $probe request 10 1 65534
fi

# 4. iscsiadm through iscsid: stats/logout are not supported yet, clearly.
"$iscsiadm" -m session -r 1 -s >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 27 ] || no "session stats exit $rc, want 27"
grep -q "session statistics need the kernel's iSCSI support" "$tmp/err" || no "stats: $(cat "$tmp/err")"
"$iscsiadm" -m session -r 1 -u >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 27 ] || no "logout exit $rc, want 27"
expect "iSCSI Connection State: Unknown" "$iscsiadm" -m session -P 1

# 5. A client that sends half a header and holds the line for 3 s does not
# hold up the others (open-iscsi would block until it left).
$probe hold 3 "$tmp/holding" &
holder=$!
for _ in $(seq 50); do [ -e "$tmp/holding" ] && break; sleep 0.1; done
[ -e "$tmp/holding" ] || no "the slow client never connected"
start=$(date +%s%N)
expect "iscsid cannot do SESSION_LOGOUT yet" "$iscsiadm" -m session -r 1 -u
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $ms -lt 2000 ] || no "a slow client delayed another by $ms ms"

# 6. iscsiadm -k 0 stops it; the pid file goes away.
"$iscsiadm" -k 0 2>"$tmp/err" || no "iscsiadm -k 0 failed: $(cat "$tmp/err")"
wait_gone "$pid" || no "iscsid $pid still running after -k 0"
[ ! -e "$pidfile" ] || no "pid file left after -k 0"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# 7. SIGTERM stops it too.
ISCSID_NO_KERNEL=1 "$iscsid" -p "$pidfile" 2>/dev/null || no "restart failed"
pid=$(cat "$pidfile")
kill -TERM "$pid"
wait_gone "$pid" || no "iscsid $pid ignored SIGTERM: $(ps -o pid,stat,wchan:20,cmd -p "$pid" | tail -1) $(grep -E "Sig(Blk|Pnd)|ShdPnd" /proc/$pid/status | tr "\n" " ")"
[ ! -e "$pidfile" ] || no "pid file left after SIGTERM"

# 8. iscsid.startup: iscsiadm starts iscsid itself when nobody listens.
echo "iscsid.startup = env ISCSID_NO_KERNEL=1 $iscsid -p $pidfile" >> "$tmp/etc/iscsi/iscsid.conf"
expect "iscsid cannot do SESSION_LOGOUT yet" "$iscsiadm" -m session -r 1 -u
pid=$(cat "$pidfile" 2>/dev/null) || no "iscsid.startup did not start iscsid"
"$iscsiadm" -k 0
wait_gone "$pid" || no "auto-started iscsid $pid still running"
expect "can not connect to iSCSI daemon" "$iscsiadm" -k 0	# -k never starts it

# 9. systemd: socket activation (LISTEN_PID/LISTEN_FDS) and NOTIFY_SOCKET.
out=$(ISCSID_NO_KERNEL=1 $probe activate "$iscsid" -f -n 2>/dev/null)
case $out in
*"notify: READY=1 STATUS=Ready to process requests"*"stop: err=0"*"notify: STOPPING=1"*"exit: 0"*) ;;
*) no "socket activation: $out";;
esac

[ $fail = 0 ] && echo "iscsid tests passed"
exit $fail
