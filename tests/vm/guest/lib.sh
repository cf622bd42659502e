# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - helpers for guest test scripts (busybox sh), /vm/lib.sh in the VM.
# Bookkeeping (vm_check, vm_require, vm_expect_rc, vm_step, vm_summary), the
# LIO target through configfs (lio_*), and the initiator under test driven
# with open-iscsi's command line (ini_*): ours in /usr/local/sbin, the
# reference (Debian's open-iscsi, unpacked, not installed) in /opt/ref/sbin.
VM_PASSED=0
VM_FAILED=0
exec 8>&1       # the console, also while a step's output is redirected
LIO=/sys/kernel/config/target

vm_now() { cut -d' ' -f1 /proc/uptime; }

# vm_step LABEL CMD...: run CMD, print "TIMING LABEL 1.23s", keep its status
vm_step() {
	local label=$1 t0 rc
	shift
	t0=$(vm_now)
	"$@"
	rc=$?
	awk -v l="$label" -v a="$t0" -v b="$(vm_now)" -v rc=$rc \
		'BEGIN { printf "TIMING %-34s %6.2fs%s\n", l, b - a, rc ? " (status " rc ")" : "" }' >&8
	return $rc
}

vm_pass() { VM_PASSED=$((VM_PASSED + 1)); echo "PASS: $1" >&8; }
vm_fail() { VM_FAILED=$((VM_FAILED + 1)); echo "FAIL: $1" >&8; return 1; }

# vm_check NAME CMD...: CMD must succeed
vm_check() {
	local name=$1
	shift
	if "$@"; then vm_pass "$name"; else vm_fail "$name"; fi
}

# vm_require NAME CMD...: as vm_check, but a failure ends the test
vm_require() {
	vm_check "$@" && return 0
	echo "(remaining steps skipped: they depend on this one)"
	vm_summary
	exit 1
}

# vm_expect_rc NAME RC CMD...: CMD must exit with status RC
vm_expect_rc() {
	local name=$1 want=$2 rc
	shift 2
	"$@"
	rc=$?
	if [ $rc -eq "$want" ]; then vm_pass "$name"; else vm_fail "$name (status $rc, want $want)"; fi
}

# vm_grep NAME PATTERN FILE: FILE has a line matching the extended regex
vm_grep() {
	if grep -qE "$2" "$3"; then vm_pass "$1"; else
		vm_fail "$1: no line matching '$2' in:"; sed 's/^/    | /' "$3" | head -n 20
	fi
}

# vm_summary: "N passed, N failed"; status 0 only when something passed and
# nothing failed (suite.sh reads this line)
vm_summary() {
	echo "$VM_PASSED passed, $VM_FAILED failed"
	[ $VM_FAILED -eq 0 ] && [ $VM_PASSED -gt 0 ]
}

# vm_wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds
vm_wait_for() {
	local end
	end=$(awk -v t="$1" '{ printf "%d", ($1 + t) * 100 }' /proc/uptime)
	shift
	while ! "$@" 2>/dev/null; do
		[ "$(awk '{ printf "%d", $1 * 100 }' /proc/uptime)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# md5 of a file or stdin; busybox cmp runs at ~20 MB/s under TCG, md5sum at ~80
vm_md5() { md5sum ${1:+"$1"} | cut -d' ' -f1; }
vm_read_md5() { dd if="$1" bs=1M count="$2" ${3:+iflag=$3} 2>/dev/null | vm_md5; }

vm_modprobe() {
	local m
	for m in "$@"; do modprobe "$m" || { echo "modprobe $m failed" >&2; return 1; }; done
}

# ------------------------------------------------------------------ LIO ----
# configfs recipe: backstore -> target/tpgt_1/lun -> np (portal) -> enable.
lio_load() {
	mkdir -p /etc/target   # LIO's db_root; without it the kernel warns
	vm_modprobe target_core_mod iscsi_target_mod target_core_file target_core_iblock \
		target_core_pscsi target_core_user && mkdir -p "$LIO/iscsi"
}

# lio_backstore_rd NAME MB: RAM disk; prints its configfs path
lio_backstore_rd() {
	local d=$LIO/core/rd_mcp_0/$1
	mkdir -p "$d" && echo "rd_pages=$(($2 * 256))" > "$d/control" &&
		echo 1 > "$d/enable" && echo "$d"
}

# lio_backstore_file NAME FILE MB: sparse file backstore
lio_backstore_file() {
	local d=$LIO/core/fileio_0/$1
	[ -e "$2" ] || dd if=/dev/zero of="$2" bs=1M count=0 seek="$3" 2>/dev/null
	mkdir -p "$d" && echo "fd_dev_name=$2,fd_dev_size=$(($3 * 1048576))" > "$d/control" &&
		echo 1 > "$d/enable" && echo "$d"
}

# lio_target IQN PORTAL BACKSTORE...: TPG 1, lun_N per backstore, a portal
# "IP:PORT" ("[::1]:3260"), demo mode (any initiator, no auth)
lio_target() {
	local tpg=$LIO/iscsi/$1/tpgt_1 portal=$2 n=0 bs
	shift 2
	mkdir -p "$tpg" || return 1
	for bs in "$@"; do
		mkdir "$tpg/lun/lun_$n" && ln -s "$bs" "$tpg/lun/lun_$n/${bs##*/}" || return 1
		n=$((n + 1))
	done
	mkdir "$tpg/np/$portal" || return 1
	echo 1 > "$tpg/attrib/generate_node_acls"
	echo 1 > "$tpg/attrib/cache_dynamic_acls"
	echo 0 > "$tpg/attrib/demo_mode_write_protect"
	echo 0 > "$tpg/attrib/authentication"
	echo 1 > "$tpg/enable"
}

# lio_portal IQN PORTAL: one more network portal for the TPG
lio_portal() { mkdir "$LIO/iscsi/$1/tpgt_1/np/$2"; }

# lio_acl IQN INITIATOR [USER SECRET [MUTUAL_USER MUTUAL_SECRET]]: only
# INITIATOR may log in, with CHAP (and mutual CHAP) when given.  printf %s:
# LIO keeps a trailing newline as part of names and secrets.
lio_acl() {
	local tpg=$LIO/iscsi/$1/tpgt_1 acl=$LIO/iscsi/$1/tpgt_1/acls/$2 l
	mkdir -p "$acl" || return 1
	for l in "$tpg"/lun/lun_*; do
		[ -d "$l" ] || continue
		mkdir -p "$acl/${l##*/}" && ln -s "$l" "$acl/${l##*/}/mapped" || return 1
	done
	echo 0 > "$tpg/attrib/generate_node_acls"
	if [ -n "${3:-}" ]; then
		printf %s "$3" > "$acl/auth/userid"
		printf %s "$4" > "$acl/auth/password"
		if [ -n "${5:-}" ]; then
			printf %s "$5" > "$acl/auth/userid_mutual"
			printf %s "$6" > "$acl/auth/password_mutual"
		fi
		echo 1 > "$tpg/attrib/authentication"
	else
		echo 0 > "$tpg/attrib/authentication"
	fi
}

# lio_discovery_auth [USER SECRET [MUTUAL_USER MUTUAL_SECRET]]: CHAP on
# SendTargets sessions (enforced); no arguments turns it off
lio_discovery_auth() {
	local d=$LIO/iscsi/discovery_auth
	if [ -z "${1:-}" ]; then echo 0 > "$d/enforce_discovery_auth"; return; fi
	printf %s "$1" > "$d/userid"
	printf %s "$2" > "$d/password"
	printf %s "${3:-}" > "$d/userid_mutual"
	printf %s "${4:-}" > "$d/password_mutual"
	echo 1 > "$d/enforce_discovery_auth"
}

# lio_clear: remove every iSCSI target and backstore
lio_clear() {
	local t g x
	for t in "$LIO"/iscsi/iqn.* "$LIO"/iscsi/eui.* "$LIO"/iscsi/naa.*; do
		[ -d "$t" ] || continue
		for g in "$t"/tpgt_*; do
			echo 0 > "$g/enable" 2>/dev/null
			for x in "$g"/acls/*/lun_*/*; do [ -L "$x" ] && rm "$x"; done
			for x in "$g"/acls/*/lun_* "$g"/acls/*; do [ -d "$x" ] && rmdir "$x"; done
			for x in "$g"/lun/lun_*/*; do [ -L "$x" ] && rm "$x"; done
			for x in "$g"/lun/lun_* "$g"/np/*; do [ -d "$x" ] && rmdir "$x"; done
			rmdir "$g"
		done
		rmdir "$t"
	done
	for x in "$LIO"/core/*_*/*; do
		[ -d "$x" ] && [ "${x##*/}" != alua ] && rmdir "$x" 2>/dev/null
	done
	for x in "$LIO"/core/*_*; do [ -d "$x" ] && rmdir "$x" 2>/dev/null; done
	return 0
}

# ------------------------------------------------------------ initiator ----
# ini_use ours|ref: which iscsid/iscsiadm $ISCSID and $ADM name; both keep
# their records under /etc/iscsi, so ini_reset between them.
ini_use() {
	case $1 in
	ours) ISCSID=/usr/local/sbin/iscsid ADM=/usr/local/sbin/iscsiadm ;;
	ref) ISCSID=/opt/ref/sbin/iscsid ADM=/opt/ref/sbin/iscsiadm ;;
	*) echo "ini_use: ours or ref, not $1" >&2; return 1 ;;
	esac
	INI_WHO=$1
}
ini_have() { [ -x "$ISCSID" ] && [ -x "$ADM" ]; }

# ini_setup [INITIATOR_IQN]: initiatorname.iscsi and a small iscsid.conf
ini_setup() {
	INI=${1:-iqn.2004-10.com.example.vm:initiator}
	mkdir -p /etc/iscsi /var/lib/iscsi /run/lock/iscsi
	echo "InitiatorName=$INI" > /etc/iscsi/initiatorname.iscsi
	cat > /etc/iscsi/iscsid.conf <<'CONF'
iscsid.startup = /bin/false
node.startup = manual
node.session.timeo.replacement_timeout = 20
node.conn[0].timeo.login_timeout = 15
node.conn[0].timeo.logout_timeout = 15
node.conn[0].timeo.noop_out_interval = 5
node.conn[0].timeo.noop_out_timeout = 5
node.session.initial_login_retry_max = 4
node.session.cmds_max = 128
node.session.queue_depth = 32
node.session.iscsi.InitialR2T = No
node.session.iscsi.ImmediateData = Yes
node.session.iscsi.FirstBurstLength = 262144
node.session.iscsi.MaxBurstLength = 16776192
node.conn[0].iscsi.MaxRecvDataSegmentLength = 262144
discovery.sendtargets.iscsi.MaxRecvDataSegmentLength = 32768
CONF
}

# ini_reset: forget every record (node, discovery, iface) of either initiator
ini_reset() {
	rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets /etc/iscsi/ifaces \
		/etc/iscsi/isns /etc/iscsi/static /var/lib/iscsi/*
}

# iscsid_start [ARGS]: "iscsid -f" in its own session (open-iscsi's iscsid
# signals its whole process group on SIGTERM), until iscsiadm reaches it:
# "-m session" answers 0 or 21 (no sessions), 20 while unreachable
iscsid_start() {
	setsid "$ISCSID" -f "$@" > /tmp/iscsid-$INI_WHO.log 2>&1 &
	ISCSID_PID=$!
	vm_wait_for 10 sh -c "$ADM -m session >/dev/null 2>&1; rc=\$?; [ \$rc = 0 ] || [ \$rc = 21 ]" &&
		kill -0 $ISCSID_PID && return 0
	# say why, for the console log
	kill -0 $ISCSID_PID 2>/dev/null && echo "iscsid (pid $ISCSID_PID) runs, but:" || echo "iscsid exited:"
	$ADM -m session > /tmp/iscsid-probe 2>&1
	echo "    iscsiadm -m session: status $? (want 0 or 21):"
	sed 's/^/    | /' /tmp/iscsid-probe
	sed 's/^/    iscsid: /' /tmp/iscsid-$INI_WHO.log | tail -n 20
	return 1
}

# iscsid_stop: SIGTERM by PID, then wait (never a bare "wait": it would
# wait for iscsid forever)
iscsid_stop() {
	[ -n "${ISCSID_PID:-}" ] || return 0
	kill $ISCSID_PID 2>/dev/null
	vm_wait_for 5 sh -c "! kill -0 $ISCSID_PID"
	ISCSID_PID=
}

# iscsi_session_disks [TARGET]: /dev/sdX of every session (of TARGET)
iscsi_session_disks() {
	local s b
	for s in /sys/class/iscsi_session/session*; do
		[ -d "$s" ] || continue
		[ -z "${1:-}" ] || [ "$(cat "$s/targetname")" = "$1" ] || continue
		for b in "$s"/device/target*/*/block/*; do [ -e "$b" ] && echo "/dev/${b##*/}"; done
	done
}

# iscsi_wait_disks N [TARGET] [SECONDS]: no udev here, so poll sysfs
iscsi_wait_disks() {
	vm_wait_for "${3:-30}" sh -c ". /vm/lib.sh; [ \$(iscsi_session_disks ${2:-} | wc -l) -ge $1 ]"
}

iscsi_no_sessions() { ! ls -d /sys/class/iscsi_session/session* >/dev/null 2>&1; }
