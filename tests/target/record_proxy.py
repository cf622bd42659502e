#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A recording TCP proxy for tests/target/record-transcripts.sh (stdlib only).

Usage: record_proxy.py --target-port P --out-dir DIR [--host 127.0.0.1]
Prints "PORT <n>" once listening; forwards every connection to the target
and writes the login phase of connection k to DIR/conn<k>.txt in the
body format of tests/data/proto (see its README): a "wire" line with the
ITT, ISID, CmdSN and ExpStatSN we used, ">" and "<" lines, a "status"
line and, for a login that reached full feature phase, an "expect" line.
Our random CHAP_I/CHAP_C become "*"; the target's CHAP_R stays literal
(the script turns it into "@mutual" where the replay should compute it).
It records, it does not judge: the script decides the "=" line.
"""
import argparse
import os
import socket
import sys
import threading


def keys_of(data):
    """[(key, value)] of "k=v\\0..." text, and whether it ended cleanly."""
    text = data.decode("utf-8", "replace")
    parts = text.split("\0")
    whole = text.endswith("\0") or not text
    pairs = [p.split("=", 1) if "=" in p else [p, None] for p in parts if p]
    return pairs, whole


def spaced(pairs, whole):
    s = " ".join(k if v is None else "%s=%s" % (k, v) for k, v in pairs)
    return s + ("" if whole else "~")


class Recording:
    """The login PDUs of one connection, in the order they crossed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.lines = []
        self.first = None
        self.done = False
        self.target_keys = {}
        self.our_keys = {}
        self.last = None
        self.last_req = None

    def request(self, bhs, data):
        pairs, _ = keys_of(data)
        with self.lock:
            if self.first is None:
                self.first = bhs
            self.last_req = bhs
            # our challenge to the target is random: a replay cannot match it
            mine = any(k == "CHAP_C" for k, _ in pairs)
            out = []
            for k, v in pairs:
                self.our_keys[k] = v
                out.append((k, "*" if k in ("CHAP_I", "CHAP_C") and mine else v))
            fl = bhs[1]
            self.lines.append("> T=%d CSG=%d NSG=%d | %s" % (fl >> 7, (fl >> 2) & 3, fl & 3,
                                                             spaced(out, True)))

    def response(self, bhs, data):
        pairs, whole = keys_of(data)
        fl = bhs[1]
        f = ["T=%d" % (fl >> 7)]
        if fl & 0x40:
            f.append("C=1")
        f += ["CSG=%d" % ((fl >> 2) & 3), "NSG=%d" % (fl & 3)]
        tsih = int.from_bytes(bhs[14:16], "big")
        if tsih:
            f.append("TSIH=0x%04x" % tsih)
        f += ["StatSN=%d" % u32(bhs, 24), "ExpCmdSN=%d" % u32(bhs, 28),
              "MaxCmdSN=%d" % u32(bhs, 32)]
        status = int.from_bytes(bhs[36:38], "big")
        with self.lock:
            req = self.last_req or bhs
            if status:
                f.append("Status=0x%04x" % status)
            if bhs[8:14] != req[8:14]:
                f.append("ISID=" + bhs[8:14].hex())
            if bhs[16:20] != req[16:20]:
                f.append("ITT=0x%08x" % u32(bhs, 16))
            if bhs[3]:
                f.append("VA=%d" % bhs[3])
            for k, v in pairs:
                self.target_keys[k] = v
            self.lines.append("< %s | %s" % (" ".join(f), spaced(pairs, whole)))
            self.last = bhs
            self.done = status != 0 or (fl & 0x80 and fl & 3 == 3)

    def text(self):
        if self.first is None or self.last is None:
            return ""
        b = self.first
        head = "wire itt=0x%08x isid=%s cmdsn=%d expstatsn=%d" % (
            u32(b, 16), b[8:14].hex(), u32(b, 24), u32(b, 28))
        status = int.from_bytes(self.last[36:38], "big")
        out = [head] + self.lines + ["status 0x%04x" % status]
        if status == 0 and self.done:
            out.append("expect " + self.expect())
        return "\n".join(out) + "\n"

    def expect(self):
        t, last = self.target_keys, self.last
        e = []
        if "TargetPortalGroupTag" in t:
            e.append("tpgt=" + t["TargetPortalGroupTag"])
        for key, name in (("InitialR2T", "initial_r2t"), ("ImmediateData", "immediate_data")):
            if key in t:
                e.append("%s=%d" % (name, t[key] == "Yes"))
        for key, name in (("FirstBurstLength", "first_burst"), ("MaxBurstLength", "max_burst")):
            if key in t:
                e.append("%s=%s" % (name, t[key]))
        # a target that never declares it gets the RFC default (issue 4 item 6)
        e.append("max_xmit_dsl=%s" % t.get("MaxRecvDataSegmentLength", "8192"))
        if "MaxRecvDataSegmentLength" in self.our_keys:
            e.append("max_recv_dsl=" + self.our_keys["MaxRecvDataSegmentLength"])
        if "CHAP_A" in t:
            e.append("chap_alg=" + t["CHAP_A"])
        e += ["tsih=%d" % int.from_bytes(last[14:16], "big"),
              "exp_statsn=%d" % (u32(last, 24) + 1), "cmdsn=%d" % u32(self.first, 24),
              "max_cmdsn=%d" % u32(last, 32)]
        return " ".join(e)


def u32(b, off):
    return int.from_bytes(b[off:off + 4], "big")


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def pump(src, dst, rec, from_initiator):
    """Forward PDUs; record Login PDUs until the login is over, then just bytes."""
    try:
        while not rec.done:
            bhs = recv_exact(src, 48)
            dsl = int.from_bytes(bhs[5:8], "big")
            rest = recv_exact(src, bhs[4] * 4 + dsl + (-dsl % 4))
            data = rest[bhs[4] * 4:bhs[4] * 4 + dsl]
            op = bhs[0] & 0x3F
            # recorded before it is forwarded, so the answer cannot come first
            if from_initiator and op == 0x03:
                rec.request(bhs, data)
            elif not from_initiator and op == 0x23:
                rec.response(bhs, data)
            dst.sendall(bhs + rest)
        while True:
            chunk = src.recv(65536)
            if not chunk:
                break
            dst.sendall(chunk)
    except (EOFError, OSError):
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(conn, n, args):
    rec = Recording()
    up = socket.create_connection((args.host, args.target_port))
    threads = [threading.Thread(target=pump, args=(conn, up, rec, True)),
               threading.Thread(target=pump, args=(up, conn, rec, False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn.close()
    up.close()
    path = os.path.join(args.out_dir, "conn%d.txt" % n)
    with open(path + ".tmp", "w") as f:
        f.write(rec.text())
    os.rename(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--target-port", type=int, required=True)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind((args.host, 0))
    srv.listen(8)
    print("PORT %d" % srv.getsockname()[1], flush=True)
    n = 0
    while True:
        conn, _ = srv.accept()
        n += 1
        threading.Thread(target=serve, args=(conn, n, args), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
