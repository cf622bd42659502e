#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SendTargets discovery with our iscsiadm against a private tgtd: output
# lines, node DB effects (new/update/delete, user settings kept), IPv6,
# CHAP, mutual CHAP, wrong secrets (24), the MD5 fallback, closed port (11).
. "$(dirname "$0")/common.sh"
. "$LIB/tgtd.sh"
tgtd_start || exit 99
PORT=$TGTD_PORT
P=127.0.0.1:$PORT
Q=iqn.2024-01.org.example
for i in 1 2 3; do tgt_target $i $Q:disk$i 1 || exit 99; done
DB=$T_ROOT/etc/iscsi
WANT="127.0.0.1:$PORT,1 $Q:disk1
127.0.0.1:$PORT,1 $Q:disk2
127.0.0.1:$PORT,1 $Q:disk3"

t_run 0 "st -o nonpersistent" $ADM -m discovery -t st -p $P -o nonpersistent &&
	t_same "$T_OUT" "$WANT" "nonpersistent output lines"
t_db_empty "nonpersistent"

t_run 0 "st (new+update+delete)" $ADM -m discovery -t st -p $P &&
	t_same "$T_OUT" "$WANT" "persistent output lines"
REC=$DB/nodes/$Q:disk1/127.0.0.1,$PORT,1/default
[ -f "$REC" ] && t_ok "record file $REC" || t_fail "no record file $REC"
[ -f "$DB/send_targets/127.0.0.1,$PORT/st_config" ] && t_ok "st_config written" ||
	t_fail "no st_config"
L=$DB/send_targets/127.0.0.1,$PORT/$Q:disk2,127.0.0.1,$PORT,1,default
[ -L "$L" ] && t_ok "discovery link" || t_fail "no link $L"
t_grep "$REC" "node.discovery_type = send_targets" "discovery_type in record"
t_grep "$REC" "node.discovery_address = 127.0.0.1" "discovery_address in record"

# a user's change survives rediscovery (docs/compat.md); a vanished target goes
sed -i 's/^node.startup = .*/node.startup = automatic/' "$REC"
tgtadm_ --mode target --op delete --tid 3 --force
t_run 0 "rediscovery" $ADM -m discovery -t st -p $P
t_grep "$REC" "node.startup = automatic" "node.startup kept on rediscovery"
[ ! -e "$DB/nodes/$Q:disk3" ] && t_ok "vanished target deleted" || t_fail "disk3 still in DB"
tgt_target 3 $Q:disk3 1
tgtadm_ --mode target --op delete --tid 2 --force
t_run 0 "-o new only" $ADM -m discovery -t st -p $P -o new
[ -d "$DB/nodes/$Q:disk2" ] && t_ok "-o new does not delete" || t_fail "-o new deleted disk2"
[ -d "$DB/nodes/$Q:disk3" ] && t_ok "-o new adds disk3" || t_fail "-o new did not add disk3"
t_run 0 "-o delete only" $ADM -m discovery -t st -p $P -o delete
[ ! -e "$DB/nodes/$Q:disk2" ] && t_ok "-o delete removes disk2" || t_fail "disk2 kept"
tgt_target 2 $Q:disk2 1

if [ "$TGTD_HAVE_V6" = 1 ]; then
	t_run 0 "IPv6 discovery" $ADM -m discovery -t st -p "[::1]:$PORT" -o nonpersistent &&
		t_grep "$T_OUT" "^\[::1\]:$PORT,1 $Q:disk1\$" "IPv6 output line"
fi

# ---- CHAP on the discovery session (account bound to tgtd's discovery tid)
tgt_account discuser discsecret12345
tgt_account disctgt tgtsecret123456
tgt_bind_account discovery discuser
t_run 24 "CHAP required, none configured" $ADM -m discovery -t st -p $P -o nonpersistent
upd() { $ADM -m discoverydb -t st -p $P -o update -n "$1" -v "$2"; }
$ADM -m discoverydb -t st -p $P -o new >/dev/null
upd discovery.sendtargets.auth.authmethod CHAP
upd discovery.sendtargets.auth.username discuser
upd discovery.sendtargets.auth.password discsecret12345
t_run 0 "one-way CHAP" $ADM -m discoverydb -t st -p $P -D -o nonpersistent &&
	t_same_sorted "$T_OUT" "$WANT" "one-way CHAP output"
upd discovery.sendtargets.auth.password wrongsecret999
t_run 24 "one-way CHAP, wrong secret" $ADM -m discoverydb -t st -p $P -D -o nonpersistent
upd discovery.sendtargets.auth.password discsecret12345
upd node.session.auth.chap_algs SHA256,MD5
t_run 0 "CHAP_A SHA256 first: MD5 fallback" $ADM -m discoverydb -t st -p $P -D -o nonpersistent &&
	t_grep "$T_ERR" "retrying once with MD5" "fallback logged"
upd node.session.auth.chap_algs MD5
tgt_bind_account discovery disctgt --outgoing
upd discovery.sendtargets.auth.username_in disctgt
upd discovery.sendtargets.auth.password_in tgtsecret123456
t_run 0 "mutual CHAP" $ADM -m discoverydb -t st -p $P -D -o nonpersistent &&
	t_same_sorted "$T_OUT" "$WANT" "mutual CHAP output"
upd discovery.sendtargets.auth.password_in wrongsecret9999
t_run 24 "mutual CHAP, wrong target secret" $ADM -m discoverydb -t st -p $P -D -o nonpersistent

# ---- iface binding (SO_BINDTODEVICE from iface.net_ifacename)
$ADM -m discoverydb -t st -p $P -o update -n discovery.sendtargets.auth.authmethod -v None
tgtadm_ --mode account --op unbind --user discuser
tgtadm_ --mode account --op unbind --user disctgt --outgoing
$ADM -m iface -I lo0 -o new >/dev/null
$ADM -m iface -I lo0 -o update -n iface.net_ifacename -v lo >/dev/null
t_run 0 "-I lo0 bound to lo" $ADM -m discoverydb -t st -p $P -D -I lo0 &&
	t_same_sorted "$T_OUT" "$WANT" "-I lo0 output"
[ -f "$DB/nodes/$Q:disk1/127.0.0.1,$PORT,1/lo0" ] && t_ok "record for iface lo0" ||
	t_fail "no record for iface lo0"
$ADM -m iface -I bad0 -o new >/dev/null
$ADM -m iface -I bad0 -o update -n iface.net_ifacename -v nosuchdev0 >/dev/null
t_run 11 "-I bound to a missing netdev" $ADM -m discovery -t st -p $P -I bad0 -o nonpersistent &&
	t_grep "$T_ERR" "cannot bind to network device nosuchdev0" "bind failure message"

# ---- nothing listening
FREE=$(tgtd_free_port)
t_run 11 "closed port" $ADM -m discovery -t st -p 127.0.0.1:$FREE -o nonpersistent &&
	t_grep "$T_ERR" "cannot make connection to 127.0.0.1: Connection refused" "refused message"
t_done
