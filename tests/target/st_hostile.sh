#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Our iscsiadm against tests/lib/hostile_target.py: every misbehaviour
# ends in a clear message and the expected exit status, quickly, and
# writes nothing to the node database.  The table is MODE EXIT MESSAGE.
. "$(dirname "$0")/common.sh"
# short timeouts so the silent peer costs seconds, not the default 15/30
mkdir -p "$T_ROOT/etc/iscsi"
cat > "$T_ROOT/etc/iscsi/iscsid.conf" <<'CONF'
discovery.sendtargets.timeo.login_timeout = 2
discovery.sendtargets.timeo.auth_timeout = 2
discovery.sendtargets.timeo.active_timeout = 2
CONF

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
TABLE
t_done
