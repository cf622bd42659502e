#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkibft.py - write an iSCSI Boot Firmware Table (iBFT 1.03) as an ACPI
table for qemu's "-acpitable file=OUT": one initiator, one NIC, one target,
optional CHAP and reverse CHAP.  The guest's iscsi_ibft module shows it under
/sys/firmware/ibft (tests/vm/guest/ibft-ours.sh).  Test data only: it does
not cover a second NIC/target or IPv6 NIC addresses.

usage: mkibft.py [--initiator IQN] [--target IQN] [--target-ip A] [--port N]
                 [--lun N] [--nic A/LEN] [--gateway A] [--mac M]
                 [--chap USER:SECRET] [--rchap USER:SECRET] OUT
"""
import argparse
import ipaddress
import struct
import sys

# Offsets from the table start; every structure is 8-byte aligned.
OFF_CONTROL, OFF_INI, OFF_NIC, OFF_TGT, OFF_HEAP = 48, 72, 152, 256, 312
ID_CONTROL, ID_INI, ID_NIC, ID_TGT = 1, 2, 3, 4
FLAGS_VALID_BOOT = 0x03          # block valid | firmware boot selected
ORIGIN_MANUAL = 1


def hdr(sid, length, flags):
    """Structure header: id, version 1, length, index 0, flags."""
    return struct.pack("<BBHBB", sid, 1, length, 0, flags)


def ip16(addr):
    """IPv4 as ::ffff:a.b.c.d; 0.0.0.0 (unset) as all zeros."""
    if addr in (None, "", "0.0.0.0"):
        return bytes(16)
    return ipaddress.IPv6Address("::ffff:" + str(ipaddress.IPv4Address(addr))).packed


class Heap:
    """The strings area: NUL-terminated, (length, offset) per string."""

    def __init__(self):
        self.data = b""

    def add(self, s):
        if not s:
            return struct.pack("<HH", 0, 0)
        off = OFF_HEAP + len(self.data)
        self.data += s.encode() + b"\0"
        return struct.pack("<HH", len(s), off)


def build(a):
    heap = Heap()
    control = hdr(ID_CONTROL, 18, 0) + struct.pack(
        "<HHHHHH", 0, OFF_INI, OFF_NIC, OFF_TGT, 0, 0)
    ini = hdr(ID_INI, 74, FLAGS_VALID_BOOT) + bytes(64) + heap.add(a.initiator)
    nic_ip, plen = a.nic.split("/")
    mac = bytes(int(x, 16) for x in a.mac.split(":"))
    nic = (hdr(ID_NIC, 102, FLAGS_VALID_BOOT) + ip16(nic_ip) +
           struct.pack("<BB", int(plen), ORIGIN_MANUAL) + ip16(a.gateway) +
           bytes(16 * 3) + struct.pack("<H", 0) + mac + struct.pack("<H", 0) +
           heap.add(a.hostname))
    chap, rchap = (a.chap or ":").split(":", 1), (a.rchap or ":").split(":", 1)
    chap_type = 2 if a.rchap else 1 if a.chap else 0
    tgt = (hdr(ID_TGT, 54, FLAGS_VALID_BOOT) + ip16(a.target_ip) +
           struct.pack("<H", a.port) + struct.pack("<Q", 0) +
           struct.pack("<BB", chap_type, 0) + heap.add(a.target) +
           heap.add(chap[0]) + heap.add(chap[1]) + heap.add(rchap[0]) + heap.add(rchap[1]))
    # LUN is 8 bytes in SCSI (big-endian) order: single-level LUN in byte 1
    tgt = tgt[:24] + struct.pack(">HHHH", a.lun, 0, 0, 0) + tgt[32:]
    body = bytearray(OFF_HEAP)
    for off, blob in ((OFF_CONTROL, control), (OFF_INI, ini), (OFF_NIC, nic), (OFF_TGT, tgt)):
        body[off:off + len(blob)] = blob
    table = bytearray(body + heap.data)
    table[0:36] = (b"iBFT" + struct.pack("<IBB", len(table), 1, 0) + b"QEMU  " +
                   b"IBFTTEST" + struct.pack("<I", 1) + b"QEMU" + struct.pack("<I", 1))
    table[9] = (-sum(table)) & 0xFF          # ACPI: all bytes sum to 0
    return bytes(table)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--initiator", default="iqn.2004-10.com.example.vm:ibft-initiator")
    p.add_argument("--target", default="iqn.2003-01.org.example.vm:ibft-target")
    p.add_argument("--target-ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3260)
    p.add_argument("--lun", type=int, default=0, choices=range(256), metavar="0-255")
    p.add_argument("--nic", default="127.0.0.1/8")
    p.add_argument("--gateway", default="0.0.0.0")
    p.add_argument("--mac", default="52:54:00:12:34:56")
    p.add_argument("--hostname", default="vm")
    p.add_argument("--chap")
    p.add_argument("--rchap")
    p.add_argument("out")
    a = p.parse_args()
    with open(a.out, "wb") as f:
        f.write(build(a))
    print(a.out)


if __name__ == "__main__":
    sys.exit(main())
