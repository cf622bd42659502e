#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Re-record the login transcripts of tests/data/proto from a private tgtd:
# our iscsiadm (discovery) and login_probe (normal sessions) log in through
# tests/target/record_proxy.py, which writes what crossed; this script adds
# the cfg and "=" lines and replays the result with tests/check_login.
#   tests/target/record-transcripts.sh [OUTDIR]
# Without OUTDIR the files go to a temporary directory that is removed
# (a check that tgtd still answers as recorded).  Not for the reference tools.
. "$(dirname "$0")/common.sh"
. "$LIB/tgtd.sh"
OUT=${1:-$T_ROOT/transcripts}
mkdir -p "$OUT" "$T_ROOT/rec" || exit 99
PROBE=$top_builddir/tests/target/login_probe
B=iqn.2024-01.org.example.bench
PROXY_PID=
trap 'kill "$PROXY_PID" 2>/dev/null; t_cleanup' EXIT

tgtd_start --no-v6 || exit 99
for i in 1 2 3; do tgt_target $i "$(printf '%s:tgt%05d' $B $i)" 1 || exit 99; done
tgt_account benchuser benchsecret12 && tgt_account benchtgt tgtsecret1234 &&
	tgt_bind_account 3 benchuser && tgt_bind_account 3 benchtgt --outgoing || exit 99
echo "InitiatorName=$B:initiator" > "$T_ROOT/etc/iscsi/initiatorname.iscsi"

# proxy_start - a fresh proxy (connection numbers start at 1) in $T_ROOT/rec/N
N=0
proxy_start() {
	local log
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
	N=$((N + 1))
	mkdir -p "$T_ROOT/rec/$N"
	log=$T_ROOT/rec/$N.log
	: > "$log"
	python3 "$(dirname "$0")/record_proxy.py" --target-port "$TGTD_PORT" \
		--out-dir "$T_ROOT/rec/$N" >"$log" 2>&1 &
	PROXY_PID=$!
	PROXY_PORT=$(port_from_log "$log")
}

# compose CONN NAME RESULT CFG COMMENT - one transcript from a recorded connection
compose() {
	local conn=$T_ROOT/rec/$N/conn$1.txt name=$2 result=$3 cfg=$4 comment=$5 i
	for i in $(seq 50); do [ -s "$conn" ] && break; sleep 0.05; done
	[ -s "$conn" ] || { t_fail "$name: connection $1 not recorded"; return 1; }
	{
		printf '# %s\n' "$comment"
		echo "cfg $cfg $(sed -n 's/^wire //p' "$conn")"
		grep '^[<>] ' "$conn"
		echo "= $result"
		[ "$result" = done ] && grep '^expect ' "$conn"
	} > "$OUT/$name"
	t_ok "recorded $name"
}

conf() {
	printf '%s\n' "discovery.sendtargets.timeo.login_timeout = 5" "$@" \
		> "$T_ROOT/etc/iscsi/iscsid.conf"
}

DISC="type=discovery initiator=$B:initiator"
proxy_start || exit 99
conf
t_run 0 "discovery, no CHAP" $ADM -m discovery -t st -p 127.0.0.1:$PROXY_PORT -o nonpersistent &&
	compose 1 discovery_plain.txt done "$DISC" "recorded by record-transcripts.sh: discovery vs tgtd"

# CHAP_A=7 is SHA-1 to tgtd: the SHA-256 answer is refused, the MD5 retry passes
tgt_bind_account discovery benchuser || exit 99
proxy_start || exit 99
conf "discovery.sendtargets.auth.authmethod = CHAP" \
	"discovery.sendtargets.auth.username = benchuser" \
	"discovery.sendtargets.auth.password = benchsecret12" \
	"node.session.auth.chap_algs = SHA256"
CHAP="auth=chap user=benchuser secret=benchsecret12"
t_run 0 "discovery, CHAP SHA256 then MD5" $ADM -m discovery -t st \
	-p 127.0.0.1:$PROXY_PORT -o nonpersistent &&
	compose 1 discovery_chap_sha256_rejected.txt "fail 19 md5" "$DISC $CHAP algs=SHA256" \
		"recorded: tgtd refuses a SHA-256 answer to CHAP_A=7 (its SHA-1)" &&
	compose 2 discovery_chap_md5.txt done "$DISC $CHAP algs=MD5" \
		"recorded: the MD5 retry of discovery_chap_sha256_rejected"

NORM="type=normal initiator=iqn.2024-01.org.example:probe"
proxy_start || exit 99
t_run 0 "normal login, no CHAP" $PROBE 127.0.0.1 $PROXY_PORT $B:tgt00001 &&
	compose 1 normal_plain.txt done "$NORM target=$B:tgt00001" \
		"recorded: login_probe vs tgtd, no CHAP"
proxy_start || exit 99
MUT="$NORM target=$B:tgt00003 $CHAP user_in=benchtgt secret_in=tgtsecret1234 algs=MD5"
if t_run 0 "normal login, mutual CHAP" $PROBE 127.0.0.1 $PROXY_PORT $B:tgt00003 \
	benchuser benchsecret12 benchtgt tgtsecret1234 &&
   compose 1 normal_mutual_chap.txt done "$MUT" "recorded: mutual CHAP; CHAP_R computed"; then
	# the literal CHAP_R answered the live challenge, not the replay's: 24
	{
		echo "# recorded: a target CHAP_R for a live challenge cannot match a new one"
		sed -n '2,$p' "$OUT/normal_mutual_chap.txt" | sed '/^< .*CHAP_R=/q'
		echo "= fail 24"
	} > "$OUT/normal_mutual_chap_wrong.txt"
	sed -i '/^< /s/CHAP_R=[^ ]*/CHAP_R=@mutual/' "$OUT/normal_mutual_chap.txt"
fi

t_run 0 "the recordings replay through the login engine" \
	env PROTO_TRANSCRIPTS="$OUT" "$top_builddir/tests/check_login"
[ -n "${1:-}" ] && echo "transcripts in $OUT"
t_done
