#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Our iscsiadm against tests/lib/hostile_target.py: every misbehaviour
# ends in a clear message and the expected exit status, quickly, and
# writes nothing to the node database.  The table is MODE EXIT MESSAGE;
# modes listed in CHECKED also verify what we sent (ASSERT lines).
. "$(dirname "$0")/common.sh"
# short timeouts so the silent peer costs seconds, not the default 15/30
mkdir -p "$T_ROOT/etc/iscsi"
cat > "$T_ROOT/etc/iscsi/iscsid.conf" <<'CONF'
discovery.sendtargets.timeo.login_timeout = 2
discovery.sendtargets.timeo.auth_timeout = 2
discovery.sendtargets.timeo.active_timeout = 2
CONF

CHECKED=" nop-ping nop-at-logout async-ignored async-logout async-logout-early async-logout-partial "
CHECKED+="async-drop async-drop-all "

while read -r mode want msg; do
	[ -z "$mode" ] && continue
	rm -rf "$T_ROOT/etc/iscsi/nodes" "$T_ROOT/etc/iscsi/send_targets"
	hostile_start "$mode" || exit 99
	start=$(date +%s)
	if t_run "$want" "hostile $mode" $ADM -m discovery -t st -p 127.0.0.1:$HOSTILE_PORT; then
		if [ "$want" = 0 ]; then
			t_grep "$T_OUT" "$msg" "hostile $mode output"
		else
			t_grep "$T_ERR" "$msg" "hostile $mode message"
		fi
	fi
	[ $(( $(date +%s) - start )) -le 10 ] && t_ok "hostile $mode: bounded time" ||
		t_fail "hostile $mode took more than 10 s"
	[ "$want" = 0 ] || t_db_empty "hostile $mode"
	hostile_stop
	case $CHECKED in *" $mode "*) hostile_asserts "hostile $mode";; esac
done <<'TABLE'
ok			0	hostile:t2$
silent			11	no answer from
truncated-bhs		4	closed the connection in the middle of a PDU
truncated-data		4	closed the connection in the middle of a PDU
huge-dsl		4	bad PDU from
text-over-limit		4	bad PDU from
endless-text		7	text answer exceeds
wrong-opcode		4	Could not perform SendTargets discovery
initiator-opcode	4	Could not perform SendTargets discovery
name-slash		7	invalid TargetName
name-dotdot		7	invalid TargetName
name-ctrl		7	invalid TargetName
name-long		7	invalid TargetName
bad-address		7	invalid TargetAddress
dup-keys		19	MaxRecvDataSegmentLength twice
conflicting-keys	19	outside what we offered
redirect-loop		19	Could not perform SendTargets discovery
auth-fail		24	authorization failure
nop-ping		0	hostile:t2$
nop-at-logout		0	hostile:t2$
nop-flood		4	NOP-In or Async Messages in a row
nop-drip		11	no Text Response from .* within 2000 ms
nop-login		4	received NOP-In during login
async-login		4	received Asynchronous Message during login
async-ignored		0	hostile:t2$
async-logout		0	hostile:t2$
async-logout-early	0	hostile:t2$
async-logout-partial	4	before its Text answer was complete
async-logout-slow	4	requested a logout within 1 s
async-drop		4	target announced a connection drop
async-drop-all		4	target announced a session drop
async-huge		4	Asynchronous Message announces 16777215 data bytes
TABLE
t_done
