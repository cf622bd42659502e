#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Answer the reference iscsiadm's configuration queries on its abstract
management socket, so that `-m node -o new` does not spend a second trying
to start a daemon.  Test helper only: it runs inside the private network
namespace of tests/cli/ref-sandbox.sh and knows three requests.

The reference (open-iscsi 2.1.8, x86_64) sends a 16104-byte request whose
first int32 is the command and expects a 2464-byte reply: int32 command,
int32 error, then a NUL-terminated string.
"""
import os
import socket
import struct
import sys

REQUEST_LEN = 16104
REPLY_LEN = 2464
CMD_INAME, CMD_IALIAS, CMD_CONFIG_FILE = 8, 9, 10
ERR_TRANS_NOT_FOUND = 12


def initiator_name(confdir):
    try:
        with open(os.path.join(confdir, "initiatorname.iscsi")) as f:
            for line in f:
                key, _, val = line.strip().partition("=")
                if key == "InitiatorName":
                    return val
    except OSError:
        pass
    return ""


def answer(cmd, confdir):
    answers = {
        CMD_INAME: lambda: initiator_name(confdir),
        CMD_IALIAS: lambda: "",
        CMD_CONFIG_FILE: lambda: os.path.join(confdir, "iscsid.conf"),
    }
    if cmd in answers:
        err, text = 0, answers[cmd]()
    else:
        err, text = ERR_TRANS_NOT_FOUND, ""
    body = struct.pack("=ii", cmd, err) + text.encode() + b"\0"
    return body.ljust(REPLY_LEN, b"\0")


def serve(confdir, ready_file):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind("\0ISCSIADM_ABSTRACT_NAMESPACE")
    srv.listen(64)
    if ready_file:
        with open(ready_file, "w") as f:
            f.write("%d\n" % os.getpid())
    while True:
        conn, _ = srv.accept()
        with conn:
            req = b""
            while len(req) < REQUEST_LEN:
                chunk = conn.recv(REQUEST_LEN - len(req))
                if not chunk:
                    break
                req += chunk
            if len(req) >= 4:
                try:
                    conn.sendall(answer(struct.unpack_from("=i", req)[0], confdir))
                except OSError:
                    pass


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else "/etc/iscsi",
          sys.argv[2] if len(sys.argv) > 2 else "")
