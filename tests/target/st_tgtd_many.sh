#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A SendTargets answer spread over many Text Responses (F=0 continuation):
# 500 targets with 200-byte names are about 115 KB, four PDUs at the
# discovery record's 32 KiB MaxRecvDataSegmentLength and eight at 16 KiB
# (long names keep tgtd's set-up short).  Every target must arrive once
# and be written to the node DB.
. "$(dirname "$0")/common.sh"
. "$LIB/tgtd.sh"
N=500
Q=iqn.2024-01.org.example.many.$(printf 'x%.0s' $(seq 170))
tgtd_start --no-v6 || exit 99
tgt_many $N $Q || exit 99
P=127.0.0.1:$TGTD_PORT

t_run 0 "st, $N targets, nonpersistent" $ADM -m discovery -t st -p $P -o nonpersistent
[ "$(wc -l < "$T_OUT")" = $N ] && t_ok "$N lines" || t_fail "$(wc -l < "$T_OUT") lines, want $N"
[ "$(sort -u "$T_OUT" | wc -l)" = $N ] && t_ok "no duplicates" || t_fail "duplicate lines"
t_grep "$T_OUT" "^127.0.0.1:$TGTD_PORT,1 $Q:t00500\$" "last target"

$ADM -m discoverydb -t st -p $P -o new >/dev/null
$ADM -m discoverydb -t st -p $P -o update \
	-n discovery.sendtargets.iscsi.MaxRecvDataSegmentLength -v 16384
t_run 0 "st, $N targets, 16 KiB PDUs, DB writes" $ADM -m discoverydb -t st -p $P -D
n=$(find "$T_ROOT/etc/iscsi/nodes" -type f -name default | wc -l)
[ "$n" = $N ] && t_ok "$N node records" || t_fail "$n node records, want $N"
n=$(find "$T_ROOT/etc/iscsi/send_targets" -type l | wc -l)
[ "$n" = $N ] && t_ok "$N discovery links" || t_fail "$n discovery links, want $N"
t_done
