# SPDX-License-Identifier: GPL-2.0-or-later
# tgtd.sh - start a private tgtd for one test, sourced by bash tests.
# Free iSCSI port on 127.0.0.1 (and ::1 when usable), private control port,
# targets/LUNs backed by temp files, CHAP accounts; stopped by PID on exit
# even when the test fails.  Not a general tgt manager: tests only.
#
#   . tests/lib/tgtd.sh
#   tgtd_start                 # sets TGTD_PORT TGTD_CTL TGTD_PID TGTD_DIR TGTD_HAVE_V6
#   tgt_target 1 iqn.x:t1 2    # tid, name, number of 1 MiB file LUNs
#   tgt_account user secret; tgt_bind_account 1 user [--outgoing]
#   tgt_many 100 iqn.x:many    # tids 1..100, null LUNs, open to ALL
#   tgtd_stop                  # also run by the EXIT trap (unless TGTD_NO_TRAP=1)

TGTD_PID=
TGTD_PORT=
TGTD_CTL=
TGTD_DIR=
TGTD_HAVE_V6=0
TGTD_EXTRA_PORTS=

# tgtd_free_port [host] - print a TCP port nobody listens on right now.
tgtd_free_port() {
	python3 - "${1:-127.0.0.1}" <<'PY'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1])
s.close()
PY
}

tgtd_v6_usable() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null
}

tgtadm_() {
	timeout 20 tgtadm -C "$TGTD_CTL" --lld iscsi "$@"
}

# tgtd_listening PORT [host] - true once something accepts on PORT.
tgtd_listening() {
	python3 - "$1" "${2:-127.0.0.1}" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection((sys.argv[2], int(sys.argv[1])), timeout=0.5)
s.close()
PY
}

# tgtd_start [--no-v6] - start tgtd, wait until it answers tgtadm and the
# portal accepts connections.  Retries with other ports on a clash.
tgtd_start() {
	local want_v6=1 try portals
	# tgtd needs root (/var/run/tgtd); automake's "skipped" is 77
	if ! command -v tgtd >/dev/null || ! command -v tgtadm >/dev/null || [ "$(id -u)" != 0 ]; then
		echo "tgtd.sh: tgtd/tgtadm missing or not root: skipping" >&2
		exit 77
	fi
	[ "${1:-}" = --no-v6 ] && want_v6=0
	TGTD_DIR=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-tgtd.XXXXXX")
	# callers with their own EXIT trap set TGTD_NO_TRAP and call tgtd_stop
	[ -z "${TGTD_NO_TRAP:-}" ] && trap tgtd_stop EXIT
	trap 'exit 130' INT TERM
	tgtd_v6_usable && [ $want_v6 = 1 ] && TGTD_HAVE_V6=1
	for try in 1 2 3 4 5 6 7 8; do
		TGTD_PORT=$(tgtd_free_port)
		TGTD_CTL=$(( RANDOM % 31000 + 1700 ))	# tgtd accepts up to 32767
		[ -e "/var/run/tgtd/socket.$TGTD_CTL" ] && continue
		portals="portal=127.0.0.1:$TGTD_PORT"
		# started from a subshell: not our job, so no "Killed" notice at exit
		TGTD_PID=$(tgtd -f -C "$TGTD_CTL" --iscsi "$portals" >"$TGTD_DIR/tgtd.log" 2>&1 &
			echo $!)
		if tgtd_wait_ready; then
			[ $TGTD_HAVE_V6 = 1 ] &&
				{ tgtadm_ --mode portal --op new --param "portal=[::1]:$TGTD_PORT" ||
				  TGTD_HAVE_V6=0; }
			return 0
		fi
		tgtd_kill
	done
	echo "tgtd.sh: could not start tgtd; last log:" >&2
	cat "$TGTD_DIR/tgtd.log" >&2
	return 1
}

tgtd_wait_ready() {
	local i
	for i in $(seq 100); do
		[ -e "/proc/$TGTD_PID" ] || return 1
		if tgtadm -C "$TGTD_CTL" --lld iscsi --mode system --op show >/dev/null 2>&1 &&
		   tgtd_listening "$TGTD_PORT"; then
			# another tgtd may own the port: ours must list it
			tgtadm_ --mode portal --op show | grep -q ":$TGTD_PORT," && return 0
			return 1
		fi
		sleep 0.05
	done
	return 1
}

# tgtd_add_portal HOST - listen on another free port (a second portal).
tgtd_add_portal() {
	local p
	p=$(tgtd_free_port "$1")
	case $1 in *:*) tgtadm_ --mode portal --op new --param "portal=[$1]:$p" ;;
		   *) tgtadm_ --mode portal --op new --param "portal=$1:$p" ;; esac || return 1
	TGTD_EXTRA_PORTS="$TGTD_EXTRA_PORTS $p"
	echo "$p"
}

# tgt_target TID NAME [NLUNS] - a target with NLUNS (default 1) file LUNs.
tgt_target() {
	local tid=$1 name=$2 n=${3:-1} lun f
	tgtadm_ --mode target --op new --tid "$tid" -T "$name" || return 1
	for lun in $(seq 1 "$n"); do
		f="$TGTD_DIR/t$tid-l$lun.img"
		truncate -s 1M "$f" || return 1
		tgtadm_ --mode logicalunit --op new --tid "$tid" --lun "$lun" -b "$f" || return 1
	done
	tgtadm_ --mode target --op bind --tid "$tid" -I ALL
}

# tgt_many N PREFIX [FIRST] - targets FIRST..N named PREFIX:tNNNNN, no
# LUNs (LUN 0 only), open to all; for scale tests.
tgt_many() {
	local n=$1 prefix=$2 tid=${3:-1}
	while [ "$tid" -le "$n" ]; do
		tgtadm_ --mode target --op new --tid "$tid" -T "$(printf '%s:t%05d' "$prefix" "$tid")" &&
		tgtadm_ --mode target --op bind --tid "$tid" -I ALL || return 1
		tid=$((tid + 1))
	done
}

tgt_account() {
	tgtadm_ --mode account --op new --user "$1" --password "$2"
}

# tgt_bind_account TID|discovery USER [--outgoing]
tgt_bind_account() {
	local tid=$1 user=$2
	shift 2
	if [ "$tid" = discovery ]; then
		tgtadm_ --mode account --op bind --user "$user" "$@"
	else
		tgtadm_ --mode account --op bind --tid "$tid" --user "$user" "$@"
	fi
}

# tgt_redirect TID ADDR PORT [Temporary|Permanent]
tgt_redirect() {
	tgtadm_ --mode target --op update --tid "$1" --name RedirectAddress --value "$2" &&
	tgtadm_ --mode target --op update --tid "$1" --name RedirectPort --value "$3" &&
	tgtadm_ --mode target --op update --tid "$1" --name RedirectReason --value "${4:-Temporary}"
}

# A zombie still answers kill -0: look at /proc state instead.
tgtd_wait_gone() {
	local i
	for i in $(seq 100); do
		[ -e "/proc/$TGTD_PID" ] || return 0
		grep -q '^State:.*Z' "/proc/$TGTD_PID/status" 2>/dev/null && return 0
		sleep 0.02
	done
}

tgtd_kill() {
	[ -n "$TGTD_PID" ] || return 0
	kill -9 "$TGTD_PID" 2>/dev/null
	tgtd_wait_gone
	rm -f "/var/run/tgtd/socket.$TGTD_CTL" "/var/run/tgtd/socket.$TGTD_CTL.lock"
	TGTD_PID=
}

# tgtd ignores SIGTERM; a quick orderly stop is "system delete" after the
# targets are gone, but with many targets SIGKILL by PID is what works.
tgtd_stop() {
	local i
	if [ -n "$TGTD_PID" ]; then
		tgtd_kill
	fi
	[ -n "$TGTD_DIR" ] && rm -rf "$TGTD_DIR"
	TGTD_DIR=
	return 0
}
