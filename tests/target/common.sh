# SPDX-License-Identifier: GPL-2.0-or-later
# common.sh - sourced by the target tests: a private root for our iscsiadm
# (nothing under /etc/iscsi, /run/lock/iscsi or /sys is touched), the
# plugin path of the build tree, and small assertion helpers.  Not for
# the reference iscsiadm (tests/lib/refsandbox.sh is).
set -u
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
LIB=$top_srcdir/tests/lib
ADM=$top_builddir/iscsiadm
export ISCSI_PLUGIN_PATH="$top_builddir/plugins/discovery/.libs:$top_builddir/plugins/transport/.libs"

T_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/iscsikit-test.XXXXXX")
export ISCSI_ROOT=$T_ROOT
mkdir -p "$T_ROOT/etc/iscsi" "$T_ROOT/run/lock/iscsi" "$T_ROOT/sys"
echo "InitiatorName=iqn.2024-01.org.example:init1" > "$T_ROOT/etc/iscsi/initiatorname.iscsi"
T_FAILS=0
TGTD_NO_TRAP=1
T_OUT=$T_ROOT/out
T_ERR=$T_ROOT/err

t_cleanup() {
	[ -n "${TGTD_PID:-}" ] && tgtd_stop
	[ -n "${HOSTILE_PID:-}" ] && hostile_stop
	rm -rf "$T_ROOT"
}
trap t_cleanup EXIT

t_fail() { echo "FAIL: $*" >&2; T_FAILS=$((T_FAILS + 1)); }
t_ok() { echo "ok: $*"; }

# t_run WANT_RC DESC CMD... - run with a timeout, check the exit status.
t_run() {
	local want=$1 desc=$2 rc=0
	shift 2
	timeout 60 "$@" >"$T_OUT" 2>"$T_ERR" || rc=$?
	if [ "$rc" != "$want" ]; then
		t_fail "$desc: exit $rc, want $want"
		sed 's/^/    stdout: /' "$T_OUT" | head -5 >&2
		sed 's/^/    stderr: /' "$T_ERR" | head -5 >&2
		return 1
	fi
	t_ok "$desc (exit $rc)"
}

# t_same FILE EXPECTED-TEXT DESC
t_same() {
	if [ "$(cat "$1")" != "$2" ]; then
		t_fail "$3: got"; sed 's/^/    /' "$1" | head -10 >&2
		echo "  want:" >&2; printf '%s\n' "$2" | sed 's/^/    /' | head -10 >&2
		return 1
	fi
	t_ok "$3"
}

# the same, ignoring line order (tgtd lists re-created targets last)
t_same_sorted() {
	sort "$1" > "$1.sorted"
	t_same "$1.sorted" "$(printf '%s\n' "$2" | sort)" "$3"
}

t_grep() {
	grep -q -- "$2" "$1" || { t_fail "$3: no \"$2\" in"; sed 's/^/    /' "$1" | head -5 >&2; return 1; }
	t_ok "$3"
}

# The node DB must be empty (hostile cases write nothing).
t_db_empty() {
	local n
	n=$(find "$T_ROOT/etc/iscsi/nodes" -mindepth 1 2>/dev/null | wc -l)
	[ "$n" = 0 ] && t_ok "$1: node DB empty" || t_fail "$1: $n entries in the node DB"
}

t_done() {
	[ "$T_FAILS" = 0 ] && { echo "all passed"; exit 0; }
	echo "$T_FAILS failure(s)" >&2
	exit 1
}

HOSTILE_PID=
HOSTILE_PORT=
HOSTILE_LOG=
# hostile_start MODE [args] - start tests/lib/hostile_target.py, set HOSTILE_PORT;
# its output (PORT, ASSERT lines, tracebacks) goes to HOSTILE_LOG.
# port_from_log LOG - wait up to 5 s for a helper's "PORT <n>" line; print n
port_from_log() {
	local i p
	for i in $(seq 100); do
		p=$(sed -n 's/^PORT //p' "$1")
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}

hostile_start() {
	HOSTILE_LOG=$(mktemp "$T_ROOT/hostile.XXXXXX")
	python3 "$LIB/hostile_target.py" "$@" >"$HOSTILE_LOG" 2>&1 &
	HOSTILE_PID=$!
	HOSTILE_PORT=$(port_from_log "$HOSTILE_LOG") && return 0
	echo "hostile target did not start" >&2
	return 1
}
# hostile_asserts DESC - the modes that check what we sent said "ASSERT ok"
# and never "ASSERT FAIL" (call after hostile_stop, so every line is in).
hostile_asserts() {
	if grep -q '^ASSERT FAIL' "$HOSTILE_LOG" || ! grep -q '^ASSERT ok' "$HOSTILE_LOG"; then
		t_fail "$1: the target's checks:"; grep -v '^PORT' "$HOSTILE_LOG" | head -20 >&2
		return 1
	fi
	t_ok "$1: $(grep -c '^ASSERT ok' "$HOSTILE_LOG") checks by the target"
}
hostile_stop() {
	[ -n "$HOSTILE_PID" ] || return 0
	kill "$HOSTILE_PID" 2>/dev/null
	wait "$HOSTILE_PID" 2>/dev/null
	HOSTILE_PID=
}
