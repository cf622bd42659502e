#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Speak iscsid's IPC from outside C, for tests/iscsid.sh.

  ipc_probe.py request TYPE [VERSION [UID]]   one request; prints err, msg, value
  ipc_probe.py hold SECONDS [FLAG]            connect, send 3 bytes, create FLAG, hold
  ipc_probe.py activate ISCSID [ARGS...]      run iscsid -f under fake systemd:
        socket activation on $ISCSI_IPC_NAME and a NOTIFY_SOCKET; prints what
        iscsid notified, stops it with IMMEDIATE_STOP, prints its exit status.
The wire format is core/ipc.h: big-endian header {magic, version, type,
length, seq} then TLV fields {u16 tag, u16 len, value}.
"""
import os
import socket
import struct
import sys
import time

MAGIC = 0x6953436B
HDR = struct.Struct(">IHHII")
F_ERR, F_MSG, F_VALUE = 1, 2, 5


def address():
    return "\0" + os.environ.get("ISCSI_IPC_NAME", "ISCSIADM_ABSTRACT_NAMESPACE")


def request(rtype, version=1, seq=7):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(address())
    s.sendall(HDR.pack(MAGIC, version, rtype, 0, seq))
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    magic, ver, typ, length, rseq = HDR.unpack_from(data)
    assert magic == MAGIC and len(data) == HDR.size + length, "malformed reply"
    assert typ == rtype | 0x8000 and rseq == seq, "reply does not match the request"
    fields, off = {}, HDR.size
    while off < len(data):
        tag, flen = struct.unpack_from(">HH", data, off)
        fields.setdefault(tag, data[off + 4:off + 4 + flen])
        off += 4 + flen
    err = struct.unpack(">I", fields[F_ERR])[0]
    return ver, err, fields.get(F_MSG, b"").decode(), fields.get(F_VALUE, b"").decode()


def cmd_request(args):
    rtype = int(args[0])
    version = int(args[1]) if len(args) > 1 else 1
    if len(args) > 2:
        os.setgid(int(args[2]))
        os.setuid(int(args[2]))
    ver, err, msg, value = request(rtype, version)
    print("version=%d err=%d msg=%s value=%s" % (ver, err, msg, value))


def cmd_hold(args):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(address())
    s.sendall(b"iSC")
    if len(args) > 1:
        open(args[1], "w").close()      # tell the test we are holding
    time.sleep(float(args[0]))


def cmd_activate(args):
    tmp = os.environ["TMPDIR_TEST"]
    lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lsock.bind(address())
    lsock.listen(8)
    npath = os.path.join(tmp, "notify")
    nsock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    nsock.bind(npath)
    nsock.settimeout(5)
    pid = os.fork()
    if pid == 0:
        os.dup2(lsock.fileno(), 3)
        os.set_inheritable(3, True)     # dup2 onto itself keeps CLOEXEC
        os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS="1", NOTIFY_SOCKET=npath)
        os.execv(args[0], args)
    lsock.close()
    print("notify: " + nsock.recv(4096).decode().replace("\n", " "))
    ver, err, msg, value = request(11)
    print("stop: err=%d" % err)
    print("notify: " + nsock.recv(4096).decode().replace("\n", " "))
    _, status = os.waitpid(pid, 0)
    print("exit: %d" % os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    {"request": cmd_request, "hold": cmd_hold, "activate": cmd_activate}[sys.argv[1]](sys.argv[2:])
