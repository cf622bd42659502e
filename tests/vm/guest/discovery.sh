#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest test: OUR iscsiadm's SendTargets discovery against the kernel's LIO
# target in the same VM: output lines, node records and their keys, updates,
# IPv6, discovery CHAP and mutual CHAP (wrong secrets: status 24), a target
# that vanishes, a closed port; and the same discovery by the reference
# iscsiadm, whose lines ours must equal.  Needs no iscsid and no login.
. /vm/lib.sh

T1=iqn.2003-01.org.example.vm:disc1
T2=iqn.2003-01.org.example.vm:disc2
P=127.0.0.1

echo "== LIO: $T1 on $P:3260 and [::1]:3260, $T2 on $P:3260 and $P:3261"
setup() {
	lio_load && BS1=$(lio_backstore_rd d1 8) && BS2=$(lio_backstore_rd d2 8) &&
	lio_target $T1 $P:3260 "$BS1" && lio_portal $T1 "[::1]:3260" &&
	lio_target $T2 $P:3260 "$BS2" && lio_portal $T2 $P:3261
}
vm_require "LIO targets configured" vm_step "LIO setup" setup
ini_use ours
ini_setup

echo "== plugins"
$ADM -m plugin > /tmp/plugins 2>&1
cat /tmp/plugins
vm_grep "tcp transport plugin loads" '^transport tcp .* ok$' /tmp/plugins
vm_grep "sendtargets plugin loads" '^discovery sendtargets .* ok$' /tmp/plugins

echo "== discovery (nonpersistent, then into the node DB)"
WANT="$P:3260,1 $T1
$P:3260,1 $T2
$P:3261,1 $T2
[::1]:3260,1 $T1"
sorted_is() { [ "$(sort "$1")" = "$(printf '%s\n' "$2" | sort)" ]; }
vm_expect_rc "discovery -o nonpersistent" 0 vm_step "discovery nonpersistent" \
	$ADM -m discovery -t st -p $P -o nonpersistent > /tmp/d0 2>&1
cat /tmp/d0
vm_check "every LIO portal listed once" sorted_is /tmp/d0 "$WANT"
vm_check "nonpersistent writes no records" test ! -e /etc/iscsi/nodes/$T1
vm_expect_rc "discovery" 0 vm_step "discovery" $ADM -m discovery -t st -p $P > /tmp/d1 2>&1
vm_check "same lines persistent" sorted_is /tmp/d1 "$WANT"
REC=/etc/iscsi/nodes/$T1/$P,3260,1/default
vm_check "record file $REC" test -f $REC
vm_check "IPv6 record file" test -f "/etc/iscsi/nodes/$T1/::1,3260,1/default"
vm_check "discovery record" test -d /etc/iscsi/send_targets/$P,3260
$ADM -m node > /tmp/n 2>&1
vm_check "-m node lists the 4 records" sorted_is /tmp/n "$WANT"
$ADM -m node -T $T1 -p $P:3260 > /tmp/rec 2>&1
vm_grep "record names the target" "^node.name = $T1\$" /tmp/rec
vm_grep "record keeps the discovery address" "^node.discovery_address = $P\$" /tmp/rec
vm_grep "record has the portal" "^node.conn\[0\].address = $P\$" /tmp/rec
vm_grep "iscsid.conf default applied" '^node.session.cmds_max = 128$' /tmp/rec
vm_expect_rc "-o update node.startup" 0 \
	$ADM -m node -T $T1 -p $P:3260 -o update -n node.startup -v automatic
$ADM -m node -T $T1 -p $P:3260 > /tmp/rec 2>&1
vm_grep "update stored" '^node.startup = automatic$' /tmp/rec
vm_expect_rc "rediscovery" 0 $ADM -m discovery -t st -p $P > /dev/null
$ADM -m node -T $T1 -p $P:3260 > /tmp/rec 2>&1
vm_grep "user setting survives rediscovery" '^node.startup = automatic$' /tmp/rec
vm_expect_rc "no record for an unknown target: 21" 21 \
	$ADM -m node -T iqn.2003-01.org.example.vm:none -p $P > /dev/null 2>&1

echo "== IPv6 discovery"
vm_expect_rc "discovery -p [::1]" 0 vm_step "discovery [::1]" \
	$ADM -m discovery -t st -p '[::1]' -o nonpersistent > /tmp/d6 2>&1
cat /tmp/d6
vm_grep "IPv6 portal listed" "^\[::1\]:3260,1 $T1\$" /tmp/d6

echo "== target removed from LIO: rediscovery deletes its records"
drop_t2() {
	local g=$LIO/iscsi/$T2/tpgt_1
	echo 0 > $g/enable && rm $g/lun/lun_0/d2 && rmdir $g/lun/lun_0 $g/np/* $g $LIO/iscsi/$T2
}
vm_check "LIO target removed" drop_t2
vm_expect_rc "rediscovery" 0 $ADM -m discovery -t st -p $P > /tmp/d2 2>&1
vm_check "only $T1 listed" sorted_is /tmp/d2 "$P:3260,1 $T1
[::1]:3260,1 $T1"
vm_check "records of $T2 deleted" test ! -e /etc/iscsi/nodes/$T2

echo "== discovery CHAP (enforce_discovery_auth)"
lio_discovery_auth discuser discsecret123
vm_expect_rc "no credentials: 24" 24 $ADM -m discovery -t st -p $P -o nonpersistent
upd() { $ADM -m discoverydb -t st -p $P -o update -n "$1" -v "$2"; }
$ADM -m discoverydb -t st -p $P -o new > /dev/null
upd discovery.sendtargets.auth.authmethod CHAP
upd discovery.sendtargets.auth.username discuser
upd discovery.sendtargets.auth.password wrongsecret1
vm_expect_rc "wrong secret: 24" 24 $ADM -m discoverydb -t st -p $P -D -o nonpersistent
upd discovery.sendtargets.auth.password discsecret123
vm_expect_rc "CHAP" 0 vm_step "discovery CHAP" \
	$ADM -m discoverydb -t st -p $P -D -o nonpersistent > /tmp/dc 2>&1
vm_grep "CHAP discovery lists $T1" "^$P:3260,1 $T1\$" /tmp/dc
lio_discovery_auth discuser discsecret123 tgtuser tgtsecret4567
upd discovery.sendtargets.auth.username_in tgtuser
upd discovery.sendtargets.auth.password_in wrongsecret2
vm_expect_rc "mutual CHAP, wrong target secret: 24" 24 \
	$ADM -m discoverydb -t st -p $P -D -o nonpersistent
upd discovery.sendtargets.auth.password_in tgtsecret4567
vm_expect_rc "mutual CHAP" 0 vm_step "discovery mutual CHAP" \
	$ADM -m discoverydb -t st -p $P -D -o nonpersistent > /tmp/dm 2>&1
vm_grep "mutual CHAP discovery lists $T1" "^$P:3260,1 $T1\$" /tmp/dm
lio_discovery_auth

echo "== closed port"
vm_expect_rc "nothing on :3999: status 11 as the reference" 11 \
	$ADM -m discovery -t st -p $P:3999 -o nonpersistent

echo "== the reference iscsiadm sees the same"
if ini_use ref && ini_have; then
	ini_reset
	vm_require "reference iscsid starts" iscsid_start
	$ADM -m discovery -t st -p $P > /tmp/dr 2>&1
	ini_use ours
	ini_reset
	$ADM -m discovery -t st -p $P > /tmp/do 2>&1
	vm_check "our lines equal the reference's" sorted_is /tmp/do "$(cat /tmp/dr)"
	ini_use ref
	iscsid_stop
else
	echo "(reference open-iscsi not in this VM: comparison skipped)"
fi
vm_check "LIO teardown" lio_clear
vm_summary
