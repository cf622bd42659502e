#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Answer the reference iscsiadm's config queries the way iscsid would.

Only for running Debian's iscsiadm 2.1.8 in a private sandbox (tests and
bench): without a listener every query costs it a fixed 1 s sleep.  It is not
an iscsid: every other request gets error 12 (no iSCSI driver).
Wire facts (2.1.8, x86_64): request 16104 bytes with the int32 command first;
reply 2464 bytes: int32 command, int32 error, NUL-terminated value.
"""
import os
import socket
import sys

REQ_LEN = 16104
RSP_LEN = 2464
NAME = "\0ISCSIADM_ABSTRACT_NAMESPACE"
CFG_INAME, CFG_IALIAS, CFG_FILE = 8, 9, 10


def iname(confdir):
    try:
        with open(os.path.join(confdir, "initiatorname.iscsi")) as f:
            for line in f:
                if line.startswith("InitiatorName="):
                    return line.strip().split("=", 1)[1]
    except OSError:
        pass
    return ""


def answer(cmd, confdir):
    table = {
        CFG_INAME: (0, iname(confdir)),
        CFG_IALIAS: (0, ""),
        CFG_FILE: (0, os.path.join(confdir, "iscsid.conf")),
    }
    err, val = table.get(cmd, (12, ""))
    body = cmd.to_bytes(4, "little") + err.to_bytes(4, "little") + val.encode() + b"\0"
    return body.ljust(RSP_LEN, b"\0")


def main():
    confdir = sys.argv[1] if len(sys.argv) > 1 else "/etc/iscsi"
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(NAME)
    srv.listen(64)
    print("ready", flush=True)
    while True:
        conn, _ = srv.accept()
        with conn:
            buf = b""
            while len(buf) < REQ_LEN:
                chunk = conn.recv(REQ_LEN - len(buf))
                if not chunk:
                    break
                buf += chunk
            if len(buf) >= 4:
                conn.sendall(answer(int.from_bytes(buf[:4], "little"), confdir))


if __name__ == "__main__":
    main()
