#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Full logins from the protocol engine over a plain socket against a
# private tgtd: login to full feature phase, then Logout; one-way and
# mutual CHAP, wrong secrets (24), tgtd's SHA-1-as-7 quirk, parameters.
. "$(dirname "$0")/common.sh"
. "$LIB/tgtd.sh"
PROBE=$top_builddir/tests/target/login_probe
tgtd_start || exit 99
Q=iqn.2024-01.org.example
for i in 1 2 3; do tgt_target $i $Q:disk$i 1 || exit 99; done
tgt_account user1 usersecret1234
tgt_account tgt1 tgtsecret12345
tgt_bind_account 2 user1
tgt_bind_account 3 user1
tgt_bind_account 3 tgt1 --outgoing
H=127.0.0.1

t_run 0 "login+logout, no CHAP" $PROBE $H $TGTD_PORT $Q:disk1 &&
	t_grep "$T_OUT" "logout ok" "logout answered"
# tgtd declares no MaxRecvDataSegmentLength... and answers these (issue 4 item 6)
t_grep "$T_OUT" "InitialR2T=1" "tgtd InitialR2T=Yes"
t_grep "$T_OUT" "FirstBurstLength=65536" "tgtd FirstBurstLength=65536"
t_run 24 "CHAP target, no credentials" $PROBE $H $TGTD_PORT $Q:disk2
t_run 0 "one-way CHAP" $PROBE $H $TGTD_PORT $Q:disk2 user1 usersecret1234
t_run 24 "one-way CHAP, wrong secret" $PROBE $H $TGTD_PORT $Q:disk2 user1 wrongsecret999
t_run 0 "mutual CHAP" $PROBE $H $TGTD_PORT $Q:disk3 user1 usersecret1234 tgt1 tgtsecret12345
t_run 24 "mutual CHAP, wrong target secret" \
	$PROBE $H $TGTD_PORT $Q:disk3 user1 usersecret1234 tgt1 wrongsecret9999
# tgtd's CHAP_A 7 is SHA-1; a SHA-256 answer is refused (0x0200 -> 19)
t_run 19 "CHAP_A SHA256 against tgtd" env PROBE_CHAP_ALGS=SHA256 \
	$PROBE $H $TGTD_PORT $Q:disk2 user1 usersecret1234
t_run 19 "unknown target" $PROBE $H $TGTD_PORT $Q:nosuchdisk
if [ "$TGTD_HAVE_V6" = 1 ]; then
	t_run 0 "login over ::1" $PROBE ::1 $TGTD_PORT $Q:disk1
fi
t_done
