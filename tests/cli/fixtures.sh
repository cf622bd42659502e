#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fixtures.sh DIR: hand-written databases next to DIR/empty: "legacy"
# (tpgt-less flat files, a record with a key newer tools wrote, an iface
# file), "ipv6" and "hostile" (odd but path-safe names found on disk).
set -eu
F=$1
rec() {	# file target address port tpgt iface [extra line]
	mkdir -p "$(dirname "$1")"
	{
	echo "# BEGIN RECORD 2.1.5"
	echo "node.name = $2"
	echo "node.tpgt = $5"
	echo "node.startup = manual"
	echo "iface.iscsi_ifacename = $6"
	echo "iface.transport_name = tcp"
	echo "node.discovery_address = 10.9.9.9"
	echo "node.discovery_port = 3260"
	echo "node.discovery_type = send_targets"
	echo "node.session.initial_login_retry_max = 8"
	echo "node.session.cmds_max = 64"
	echo "node.session.auth.authmethod = CHAP"
	echo "node.session.auth.username = alice"
	echo "node.session.auth.password = wonderland"
	[ $# -ge 7 ] && echo "$7"
	echo "node.conn[0].address = $3"
	echo "node.conn[0].port = $4"
	echo "node.conn[0].startup = manual"
	echo "# END RECORD"
	} >"$1"
	chmod 600 "$1"
}
for d in legacy ipv6 hostile newkey; do mkdir -p "$F/$d"; cp -a "$F/empty/." "$F/$d/"; done

L=$F/legacy
rec "$L/nodes/iqn.2001-04.com.example:old1/10.1.1.1,3260" iqn.2001-04.com.example:old1 10.1.1.1 3260 -1 default
rec "$F/newkey/nodes/iqn.2001-04.com.example:new2/10.1.1.2,3260,1/default" iqn.2001-04.com.example:new2 10.1.1.2 3260 1 default \
	"node.session.sess_reopen_log_freq = 1"
rec "$L/nodes/iqn.2001-04.com.example:old3/10.1.1.3,3260,1/default" iqn.2001-04.com.example:old3 10.1.1.3 3260 1 default
mkdir -p "$L/ifaces"
printf '# BEGIN RECORD 2.1.8\niface.iscsi_ifacename = eth1\niface.net_ifacename = eth1\niface.transport_name = tcp\niface.initiatorname = iqn.2001-04.com.example:init1\n# END RECORD\n' >"$L/ifaces/eth1"
printf '# BEGIN RECORD 2.1.8\niface.iscsi_ifacename = bnx\niface.hwaddress = 00:10:18:aa:bb:dd\niface.ipaddress = 10.0.0.6\niface.transport_name = tcp\n# END RECORD\n' >"$L/ifaces/bnx"
rec "$L/nodes/iqn.2001-04.com.example:old3/10.1.1.3,3260,1/eth1" iqn.2001-04.com.example:old3 10.1.1.3 3260 1 eth1
mkdir -p "$L/send_targets/10.9.9.9,3260"
printf '# BEGIN RECORD 2.1.8\ndiscovery.startup = manual\ndiscovery.type = sendtargets\ndiscovery.sendtargets.address = 10.9.9.9\ndiscovery.sendtargets.port = 3260\ndiscovery.sendtargets.auth.authmethod = None\n# END RECORD\n' >"$L/send_targets/10.9.9.9,3260/st_config"

V=$F/ipv6
rec "$V/nodes/iqn.2001-04.com.example:v6a/::1,3260,1/default" iqn.2001-04.com.example:v6a ::1 3260 1 default
rec "$V/nodes/iqn.2001-04.com.example:v6a/fe80::2,3261,3/default" iqn.2001-04.com.example:v6a fe80::2 3261 3 default
rec "$V/nodes/iqn.2001-04.com.example:v6b/2001:db8::5,3260" iqn.2001-04.com.example:v6b 2001:db8::5 3260 -1 default
rec "$V/nodes/iqn.2001-04.com.example:v4/192.0.2.1,3260,1/default" iqn.2001-04.com.example:v4 192.0.2.1 3260 1 default

H=$F/hostile
rec "$H/nodes/iqn.2001-04.com.example:a b/10.2.2.2,3260,1/default" "iqn.2001-04.com.example:a b" 10.2.2.2 3260 1 default
rec "$H/nodes/iqn.2001-04.com.example:UPPER_x/10.2.2.3,3260,1/default" iqn.2001-04.com.example:UPPER_x 10.2.2.3 3260 1 default
rec "$H/nodes/iqn.2001-04.com.example:ok/10.2.2.4,3260,1/default" iqn.2001-04.com.example:ok 10.2.2.4 3260 1 default
