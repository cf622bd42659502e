#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Differential: the reference iscsiadm 2.1.8 (Debian, run by
# tests/lib/refsandbox.sh) and ours against the same tgtd must print the
# same lines and exit with the same status for SendTargets discovery.
# Skipped (77) when the reference cannot be fetched or namespaces are missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${ISCSIKIT_REFSANDBOX:-}" ]; then
	[ "$(id -u)" = 0 ] || exit 77
	exec "$HERE/../lib/refsandbox.sh" "$0" "$@"
fi
. "$HERE/common.sh"
. "$LIB/tgtd.sh"
tgtd_start || exit 99
Q=iqn.2024-01.org.example
for i in 1 2 3; do tgt_target $i $Q:ref$i 1 || exit 99; done
P=127.0.0.1:$TGTD_PORT

# same command, both tools: exit status and stdout must match
same() {
	local desc=$1 rref=0 rours=0
	shift
	timeout 60 $REFADM "$@" >"$T_ROOT/ref.out" 2>"$T_ROOT/ref.err" || rref=$?
	timeout 60 $ADM "$@" >"$T_ROOT/ours.out" 2>"$T_ROOT/ours.err" || rours=$?
	if [ "$rref" != "$rours" ]; then
		t_fail "$desc: exit $rours, reference $rref"; sed 's/^/    ours: /' "$T_ROOT/ours.err" >&2
		return
	fi
	if ! cmp -s "$T_ROOT/ref.out" "$T_ROOT/ours.out"; then
		t_fail "$desc: stdout differs"; diff "$T_ROOT/ref.out" "$T_ROOT/ours.out" | head >&2
		return
	fi
	t_ok "$desc (exit $rours, $(wc -l < "$T_ROOT/ours.out") lines)"
}

same "st nonpersistent" -m discovery -t st -p $P -o nonpersistent
same "st nonpersistent -P 1" -m discovery -t st -p $P -o nonpersistent -P 1
same "sendtargets, default port given" -m discovery -t sendtargets -p $P -o nonpersistent
[ "$TGTD_HAVE_V6" = 1 ] && same "st IPv6" -m discovery -t st -p "[::1]:$TGTD_PORT" -o nonpersistent
tgt_account refuser refsecret12345
tgt_bind_account discovery refuser
same "CHAP required, none configured" -m discovery -t st -p $P -o nonpersistent
FREE=$(tgtd_free_port)
same "closed port" -m discovery -t st -p 127.0.0.1:$FREE -o nonpersistent
t_done
