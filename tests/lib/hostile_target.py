#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A scripted iSCSI target that misbehaves on purpose (python3 stdlib only).

Usage: hostile_target.py MODE [--host 127.0.0.1] [--port 0] [--targets N]
Prints "PORT <n>" once listening, then serves connections until killed.
Modes that check what the initiator sends print "ASSERT ok <what>" or
"ASSERT FAIL <what>: <got>" (the driver greps them) and hang up on a failure.
It speaks just enough of RFC 7143 (discovery login without CHAP, Text,
Logout) to reach the step where MODE misbehaves.  It is a test fixture, not
a target: no SCSI, no CHAP, one connection at a time.
"""
import argparse
import socket
import struct
import sys
import time

OP_LOGIN_RSP, OP_TEXT_RSP, OP_LOGOUT_RSP, OP_SCSI_RSP = 0x23, 0x24, 0x26, 0x21
OP_LOGIN_REQ, OP_TEXT_REQ, OP_LOGOUT_REQ = 0x03, 0x04, 0x06
OP_NOP_OUT, OP_NOP_IN, OP_ASYNC = 0x00, 0x20, 0x32
RSVD = 0xFFFFFFFF
MODES = {}


def mode(name):
    def reg(fn):
        MODES[name] = fn
        return fn
    return reg


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def kv(pairs):
    return b"".join(k.encode() + b"=" + (v if isinstance(v, bytes) else v.encode()) + b"\0"
                    for k, v in pairs)


class Conn:
    """One initiator connection and the sequence numbers we answer with."""

    def __init__(self, sock, args):
        self.s = sock
        self.args = args
        self.statsn = 0x100
        self.req = None

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def recv_pdu(self):
        bhs = self.recv_exact(48)
        ahs = bhs[4] * 4
        dsl = int.from_bytes(bhs[5:8], "big")
        rest = self.recv_exact(ahs + dsl + (-dsl % 4))
        self.req = bhs
        return bhs[0] & 0x3F, bhs, rest[ahs:ahs + dsl]

    def bhs(self, op, flags, dsl, b2=0, b3=0, ttt=RSVD, tail=b""):
        itt = self.req[16:20]
        cmdsn = int.from_bytes(self.req[24:28], "big")
        h = bytes([op, flags, b2, b3, 0]) + dsl.to_bytes(3, "big")
        h += self.req[8:14] + (b"\x00\x01" if op == OP_LOGIN_RSP else self.req[14:16])
        h += itt + struct.pack(">IIII", ttt if op != OP_LOGIN_RSP else 0, self.statsn,
                               cmdsn + 1, cmdsn + 8)
        h += tail.ljust(12, b"\0")
        self.statsn += 1
        return h

    def send(self, op, flags, data=b"", dsl=None, ttt=RSVD, tail=b"", b2=0):
        self.s.sendall(self.bhs(op, flags, len(data) if dsl is None else dsl, b2=b2,
                                ttt=ttt, tail=tail) + pad4(data))

    def unsolicited(self, op, ttt=RSVD, lun=0, data=b"", dsl=None, tail=b""):
        """A NOP-In or Async Message (ITT 0xffffffff); only the Async takes a StatSN."""
        cmdsn = u32(self.req, 24)
        h = bytes([op, 0x80, 0, 0, 0]) + (len(data) if dsl is None else dsl).to_bytes(3, "big")
        h += lun.to_bytes(8, "big") + struct.pack(">IIIII", RSVD, ttt, self.statsn,
                                                  cmdsn + 1, cmdsn + 8)
        h += tail.ljust(12, b"\0")
        if op == OP_ASYNC:
            self.statsn += 1
        self.s.sendall(h + pad4(data))

    def async_msg(self, event, p1=0, p2=0, p3=0, data=b"", dsl=None):
        tail = bytes([event, 0]) + struct.pack(">HHH", p1, p2, p3)
        self.unsolicited(OP_ASYNC, data=data, dsl=dsl, tail=tail)

    def login_reply(self, keys=None, status=b"\0\0", data=None):
        """Answer the Login Request we hold: same stage, transit granted."""
        flags = self.req[1]
        csg = (flags >> 2) & 3
        nsg = flags & 3
        if keys is None:
            keys = [("AuthMethod", "None")] if csg == 0 else []
            keys += [("TargetPortalGroupTag", "1"), ("HeaderDigest", "None"),
                     ("DataDigest", "None"), ("ErrorRecoveryLevel", "0")]
        out = (flags & 0x80) | (csg << 2) | nsg
        self.send(OP_LOGIN_RSP, out, kv(keys) if data is None else data, tail=status)
        return bool(flags & 0x80) and nsg == 3

    def login(self):
        """Run the login until full feature phase; False if the peer left."""
        while True:
            op, _, _ = self.recv_pdu()
            if op != OP_LOGIN_REQ:
                return False
            if self.login_reply():
                return True

    def text_answer(self, data):
        op, _, _ = self.recv_pdu()
        if op == OP_TEXT_REQ:
            self.send(OP_TEXT_RSP, 0x80, data)

    def serve_logout(self):
        try:
            op, _, _ = self.recv_pdu()
            if op == OP_LOGOUT_REQ:
                self.send(OP_LOGOUT_RSP, 0x80)
        except (EOFError, OSError):
            pass


class AssertFail(Exception):
    pass


def check(what, got, want):
    """Print the verdict on one field the initiator sent; raise on a mismatch."""
    if got != want:
        print("ASSERT FAIL %s: got %r, want %r" % (what, got, want), flush=True)
        raise AssertFail(what)
    print("ASSERT ok %s" % what, flush=True)


def u32(b, off):
    return int.from_bytes(b[off:off + 4], "big")


def targets(n, name_fn=lambda i: "iqn.2024-01.test.hostile:t%d" % i):
    return kv([p for i in range(n) for p in (("TargetName", name_fn(i)),
                                              ("TargetAddress", "127.0.0.1:3260,1"))])


@mode("ok")
def m_ok(c):
    if c.login():
        c.text_answer(targets(c.args.targets))
        c.serve_logout()


@mode("silent")
def m_silent(c):
    time.sleep(3600)


@mode("truncated-bhs")
def m_truncated_bhs(c):
    c.recv_pdu()
    c.s.sendall(bytes([OP_LOGIN_RSP, 0x87]) + b"\0" * 20)


@mode("truncated-data")
def m_truncated_data(c):
    c.recv_pdu()
    c.s.sendall(c.bhs(OP_LOGIN_RSP, 0x87, 200) + b"HeaderDigest=None\0")


@mode("huge-dsl")
def m_huge_dsl(c):
    """A Login Response announcing 16 MiB - 1 (the field's maximum)."""
    c.recv_pdu()
    c.s.sendall(c.bhs(OP_LOGIN_RSP, 0x87, 0xFFFFFF) + b"A" * 4096)


@mode("text-over-limit")
def m_text_over_limit(c):
    """Text Response data beyond the MaxRecvDataSegmentLength we declared."""
    if c.login():
        c.recv_pdu()
        c.s.sendall(c.bhs(OP_TEXT_RSP, 0x80, 1 << 20) + b"TargetName=" + b"x" * 4096)


@mode("endless-text")
def m_endless_text(c):
    """F=0 continuation forever: gigabytes of answer if nobody stops it."""
    if not c.login():
        return
    chunk = targets(300)
    while True:
        op, _, _ = c.recv_pdu()
        if op != OP_TEXT_REQ:
            return
        c.send(OP_TEXT_RSP, 0x00, chunk, ttt=7)


@mode("wrong-opcode")
def m_wrong_opcode(c):
    """A SCSI Response where the Login Response belongs."""
    c.recv_pdu()
    c.send(OP_SCSI_RSP, 0x80, b"")


@mode("initiator-opcode")
def m_initiator_opcode(c):
    """An opcode only initiators send (Text Request) in answer to Text."""
    if c.login():
        c.recv_pdu()
        c.send(OP_TEXT_REQ, 0x80, b"SendTargets=All\0")


def bad_name_mode(name, value):
    @mode(name)
    def m(c):
        if c.login():
            c.text_answer(targets(2) + kv([("TargetName", value),
                                           ("TargetAddress", "127.0.0.1:3260,1")]))
            c.serve_logout()


bad_name_mode("name-slash", b"iqn.2024-01.evil:a/b")
bad_name_mode("name-dotdot", b"../../../../etc/cron.d/x")
bad_name_mode("name-ctrl", b"iqn.2024-01.evil:x\nnode.startup = automatic")
bad_name_mode("name-long", b"iqn.2024-01.evil:" + b"a" * 300)


@mode("bad-address")
def m_bad_address(c):
    if c.login():
        c.text_answer(kv([("TargetName", "iqn.2024-01.test:x"),
                          ("TargetAddress", "127.0.0.1/../../x:3260,1")]))
        c.serve_logout()


@mode("dup-keys")
def m_dup_keys(c):
    """The same key twice with conflicting values in one Login Response."""
    c.recv_pdu()
    c.login_reply([("HeaderDigest", "None"), ("MaxRecvDataSegmentLength", "8192"),
                   ("MaxRecvDataSegmentLength", "65536"), ("ErrorRecoveryLevel", "0")])
    c.serve_logout()


@mode("conflicting-keys")
def m_conflicting_keys(c):
    """Values we never offered (CRC32C when we offered None, ERL 2)."""
    c.recv_pdu()
    c.login_reply([("HeaderDigest", "CRC32C"), ("ErrorRecoveryLevel", "2")])
    c.serve_logout()


@mode("redirect-loop")
def m_redirect_loop(c):
    """Temporary redirect (0x0101) back to ourselves, forever."""
    c.recv_pdu()
    addr = "%s:%d,1" % c.s.getsockname()[:2]
    if ":" in c.s.getsockname()[0]:
        addr = "[%s]:%d,1" % c.s.getsockname()[:2]
    c.login_reply([("TargetAddress", addr)], status=b"\x01\x01")


@mode("auth-fail")
def m_auth_fail(c):
    """Authentication failure (0x0201) to whatever we are offered."""
    c.recv_pdu()
    c.login_reply([], status=b"\x02\x01")


# ---- PDUs a target may legally send unasked (RFC 7143 §11.9, §11.19) ----

def expect_logout(c, statsn):
    """The initiator's Logout: immediate, close session, ExpStatSN @statsn."""
    op, bhs, _ = c.recv_pdu()
    check("Logout Request opcode", op, OP_LOGOUT_REQ)
    check("Logout Request I bit", bhs[0] & 0x40, 0x40)
    check("Logout reason close session", bhs[1] & 0x7F, 0)
    check("Logout ExpStatSN counts every StatSN taken", u32(bhs, 28), statsn)
    c.send(OP_LOGOUT_RSP, 0x80)


@mode("nop-ping")
def m_nop_ping(c):
    """A NOP-In with a TTT, a LUN and ping data inside a continued answer."""
    if not c.login():
        return
    _, req, _ = c.recv_pdu()
    cmdsn = u32(req, 24)
    answer = targets(c.args.targets)
    c.send(OP_TEXT_RSP, 0x00, answer[:40], ttt=7)
    _, cont, _ = c.recv_pdu()
    check("continuation CmdSN", u32(cont, 24), cmdsn + 1)
    check("continuation ExpStatSN", u32(cont, 28), c.statsn)
    c.unsolicited(OP_NOP_IN)                        # no TTT: must not be answered
    ping = b"ping-data-13!"                         # 13 bytes: padded on the wire
    c.unsolicited(OP_NOP_IN, ttt=0x1234, lun=0x0001000000000000, data=ping)
    op, nop, data = c.recv_pdu()
    check("NOP-Out opcode", op, OP_NOP_OUT)
    check("NOP-Out I and F bits", (nop[0] & 0x40, nop[1] & 0x80), (0x40, 0x80))
    check("NOP-Out ITT", u32(nop, 16), RSVD)
    check("NOP-Out TTT", u32(nop, 20), 0x1234)
    check("NOP-Out LUN", nop[8:16], (0x0001000000000000).to_bytes(8, "big"))
    check("NOP-Out CmdSN (immediate: next, not advanced)", u32(nop, 24), cmdsn + 2)
    check("NOP-Out ExpStatSN (NOP-In StatSN not taken)", u32(nop, 28), c.statsn)
    check("NOP-Out echoes the ping data", data, ping)
    c.req = cont
    c.send(OP_TEXT_RSP, 0x80, answer[40:])
    expect_logout(c, c.statsn)


@mode("nop-at-logout")
def m_nop_at_logout(c):
    """A ping between our Logout and its response still gets a NOP-Out."""
    if not c.login():
        return
    c.text_answer(targets(c.args.targets))
    op, lo, _ = c.recv_pdu()
    check("Logout Request", op, OP_LOGOUT_REQ)
    c.unsolicited(OP_NOP_IN, ttt=0x77)
    try:
        op, nop, _ = c.recv_pdu()
    except EOFError:
        op = "hang-up"          # the exit status is 0 either way: this is the test
    check("NOP-Out while logging out", op, OP_NOP_OUT)
    check("its TTT", u32(nop, 20), 0x77)
    check("its CmdSN and ExpStatSN are the Logout's", nop[24:32], lo[24:32])
    c.req = lo
    c.send(OP_LOGOUT_RSP, 0x80)


@mode("nop-flood")
def m_nop_flood(c):
    """Pings answered by pings: NOP-In after NOP-In, never the Text Response."""
    if not c.login():
        return
    c.recv_pdu()
    ttt = 1
    while True:
        c.unsolicited(OP_NOP_IN, ttt=ttt)
        op, _, _ = c.recv_pdu()
        if op != OP_NOP_OUT:
            return
        ttt += 1


@mode("nop-drip")
def m_nop_drip(c):
    """A NOP-In every half second, never an answer: pings must not extend
    the wait for the Text Response."""
    if not c.login():
        return
    c.recv_pdu()
    while True:
        c.unsolicited(OP_NOP_IN)
        time.sleep(0.5)


@mode("nop-login")
def m_nop_login(c):
    """A NOP-In where the Login Response belongs (only Login PDUs are legal)."""
    c.recv_pdu()
    c.unsolicited(OP_NOP_IN, ttt=5)


@mode("async-login")
def m_async_login(c):
    c.recv_pdu()
    c.async_msg(1, p3=5)


@mode("async-ignored")
def m_async_ignored(c):
    """SCSI (with sense data), negotiation, reserved and vendor events mid-answer."""
    if not c.login():
        return
    c.recv_pdu()
    c.async_msg(0, data=b"\x00\x12\x70\x00\x06" + b"\x00" * 7 + b"\x3f\x0e" + b"\0" * 4)
    c.async_msg(4, p3=10)
    c.async_msg(9)
    c.async_msg(255, data=b"vendor")
    c.send(OP_TEXT_RSP, 0x80, targets(c.args.targets))
    expect_logout(c, c.statsn)


@mode("async-logout")
def m_async_logout(c):
    """Logout requested right after the final Text Response."""
    if not c.login():
        return
    c.text_answer(targets(c.args.targets))
    c.async_msg(1, p3=5)
    op, bhs, _ = c.recv_pdu()
    check("Logout Request after AsyncEvent 1", op, OP_LOGOUT_REQ)
    c.send(OP_LOGOUT_RSP, 0x80)


@mode("async-logout-early")
def m_async_logout_early(c):
    """Logout requested before the final Text Response: the answer still counts."""
    if not c.login():
        return
    c.recv_pdu()
    c.async_msg(1, p3=5)
    c.send(OP_TEXT_RSP, 0x80, targets(c.args.targets))
    expect_logout(c, c.statsn)


@mode("async-logout-partial")
def m_async_logout_partial(c):
    """Logout requested, then an answer that needs another Text Request."""
    if not c.login():
        return
    c.recv_pdu()
    c.async_msg(1, p3=5)
    c.send(OP_TEXT_RSP, 0x00, targets(1), ttt=7)
    op, _, _ = c.recv_pdu()
    check("Logout Request instead of a continuation", op, OP_LOGOUT_REQ)
    c.send(OP_LOGOUT_RSP, 0x80)


@mode("async-logout-slow")
def m_async_logout_slow(c):
    """Logout wanted within 1 s (Parameter3), the answer 1.5 s later."""
    if not c.login():
        return
    c.recv_pdu()
    c.async_msg(1, p3=1)
    time.sleep(1.5)
    c.send(OP_TEXT_RSP, 0x80, targets(c.args.targets))
    c.serve_logout()


def drop_mode(name, event):
    @mode(name)
    def m(c):
        """The target announces it drops the connection mid-answer, then does."""
        if not c.login():
            return
        c.recv_pdu()
        c.send(OP_TEXT_RSP, 0x00, targets(1), ttt=7)
        c.recv_pdu()
        c.async_msg(event, p1=0, p2=2, p3=20)
        c.s.settimeout(3)
        try:
            op, _, _ = c.recv_pdu()
            check("nothing sent after the drop announcement", op, None)
        except (EOFError, ConnectionResetError):
            print("ASSERT ok hang-up without a Logout", flush=True)


drop_mode("async-drop", 2)
drop_mode("async-drop-all", 3)


@mode("async-huge")
def m_async_huge(c):
    """An Async Message announcing 16 MiB - 1 of sense data."""
    if not c.login():
        return
    c.recv_pdu()
    c.async_msg(0, dsl=0xFFFFFF, data=b"")
    c.s.sendall(b"\0" * 4096)
    time.sleep(3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=sorted(MODES))
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--targets", type=int, default=3)
    args = ap.parse_args()
    fam = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.host, args.port))
    srv.listen(16)
    print("PORT %d" % srv.getsockname()[1], flush=True)
    while True:
        s, _ = srv.accept()
        try:
            MODES[args.mode](Conn(s, args))
            time.sleep(0.05)
        except (EOFError, OSError, AssertFail):
            pass
        finally:
            s.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
