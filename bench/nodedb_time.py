#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Timing half of bench/nodedb.sh; runs inside the reference sandbox where
/etc/iscsi is W/ref/etc/iscsi.  Usage: nodedb_time.py REF OURS W N...
Each step is timed as whole-process wall time; destructive steps restore
the database before every run, outside the timed region."""
import os
import shutil
import statistics
import subprocess
import sys
import time

REF, OURS, W = sys.argv[1], sys.argv[2], sys.argv[3]
NS = [int(n) for n in sys.argv[4:]]
PREFIX = "iqn.2024-01.org.example.bench"
P = "127.0.0.1:3260"
ROOTS = {"ref": os.path.join(W, "ref"), "ours": os.path.join(W, "ours")}
BINS = {"ref": REF, "ours": OURS}
ENV = {"ref": dict(os.environ), "ours": dict(os.environ, ISCSI_ROOT=ROOTS["ours"])}
LINKBASE = {"ref": "/etc/iscsi", "ours": os.path.join(ROOTS["ours"], "etc/iscsi")}


def tgt(i):
    return "%s:tgt%05d" % (PREFIX, i)


def run(who, args, check=True):
    r = subprocess.run([BINS[who]] + args, env=ENV[who], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise SystemExit("%s %s: exit %d: %s" % (who, args, r.returncode, r.stderr.decode()))
    return r.returncode


def db(who):
    return os.path.join(ROOTS[who], "etc/iscsi")


def wipe(who):
    for d in ("nodes", "static", "send_targets", "isns", "ifaces"):
        shutil.rmtree(os.path.join(db(who), d), ignore_errors=True)


def build(who, n):
    """One record written by the binary itself, cloned N times."""
    wipe(who)
    run(who, ["-m", "node", "-o", "new", "-T", tgt(0), "-p", P + ",1"])
    src = os.path.join(db(who), "nodes", tgt(0), "127.0.0.1,3260,1", "default")
    text = open(src).read()
    shutil.rmtree(os.path.join(db(who), "nodes", tgt(0)))
    for f in os.listdir(os.path.join(db(who), "static")):
        os.unlink(os.path.join(db(who), "static", f))
    for i in range(1, n + 1):
        d = os.path.join(db(who), "nodes", tgt(i), "127.0.0.1,3260,1")
        os.makedirs(d)
        with open(os.path.join(d, "default"), "w") as f:
            f.write(text.replace(tgt(0), tgt(i)))
        os.chmod(os.path.join(d, "default"), 0o600)
        os.symlink(os.path.join(LINKBASE[who], "nodes", tgt(i), "127.0.0.1,3260,1"),
                   os.path.join(db(who), "static", "%s,127.0.0.1,3260,1,default" % tgt(i)))
    snap = os.path.join(W, who + "-snap")
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(db(who), snap, symlinks=True)


def restore(who):
    wipe(who)
    snap = os.path.join(W, who + "-snap")
    for d in os.listdir(snap):
        s = os.path.join(snap, d)
        if os.path.isdir(s):
            shutil.copytree(s, os.path.join(db(who), d), symlinks=True)


def timed(who, args, runs, prepare=None):
    """args may be a function of the run number (steps that must change
    something on every run alternate their value)."""
    argv = args if callable(args) else (lambda i: args)
    out = []
    run(who, argv(-1), check=False)		# warm-up
    for i in range(runs):
        if prepare:
            prepare(who)
        t = time.perf_counter()
        run(who, argv(i), check=False)
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def steps(n):
    mid = tgt((n + 1) // 2)
    extra = PREFIX + ":extra"
    rm_extra = lambda who: shutil.rmtree(os.path.join(db(who), "nodes", extra), ignore_errors=True)
    flip = lambda i: "automatic" if i % 2 == 0 else "manual"
    return [
        ("show one", ["-m", "node", "-T", mid, "-p", P], None),
        ("list all", ["-m", "node"], None),
        ("update one", lambda i: ["-m", "node", "-T", mid, "-p", P, "-o", "update", "-n", "node.startup", "-v", flip(i)], None),
        ("update all", lambda i: ["-m", "node", "-o", "update", "-n", "node.startup", "-v", flip(i)], None),
        ("update all, same value", ["-m", "node", "-o", "update", "-n", "node.startup", "-v", "manual"], None),
        ("new one", ["-m", "node", "-o", "new", "-T", extra, "-p", P], rm_extra),
        ("delete one", ["-m", "node", "-T", mid, "-p", P, "-o", "delete"], restore),
        ("delete all", ["-m", "node", "-o", "delete"], restore),
    ]


def main():
    rows = []
    for n in NS:
        runs = 20 if n <= 100 else 10 if n <= 1000 else 3
        for who in ("ref", "ours"):
            build(who, n)
        for name, args, prep in steps(n):
            r = {}
            for who in ("ref", "ours"):
                restore(who)
                r[who] = timed(who, args, runs, prep)
            rows.append((n, name, r["ref"], r["ours"]))
            print("N=%-6d %-22s ref %9.2f ms  ours %8.2f ms  ratio %6.1fx" %
                  (n, name, r["ref"] * 1e3, r["ours"] * 1e3, r["ref"] / r["ours"]),
                  file=sys.stderr, flush=True)
    print("| N | operation | reference (ms) | iscsikit (ms) | ref/ours |")
    print("|---:|---|---:|---:|---:|")
    for n, name, ref, ours in rows:
        print("| %d | %s | %.2f | %.2f | %.1fx |" % (n, name, ref * 1e3, ours * 1e3, ref / ours))


main()
