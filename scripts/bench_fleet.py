#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""How many dataplanes one cordond takes: reports stored per second.

An ISP sizing a fleet asks how many CPEs one cordond serves. Each report
is stored, committed (an fsync) and only then acknowledged; cordond
commits the reports that arrive together in one transaction (group
commit, control/cd_reports.c), so the answer is how many reports a
commit holds times the store's commit rate. This measures cordond and
that rate in one run, on the same disk:

  baseline   SQLite alone: a 1 KB row inserted and committed, one
             transaction at a time, WAL and synchronous=FULL as cordond's
             store has it (Python's sqlite3, the same library).
  cordond    a real cordond (from --build) and N simulated dataplanes,
             each on its own connection over ipc: a hello, then reports
             of D devices each, the next one sent as soon as the last is
             acknowledged (every dataplane has one in flight).

It prints the figures and

  RATIO fleet-reports/sqlite-commits   cordond's stored reports a second
                                       over the bare commits a second (above
                                       1: more than a report a commit)
  INFO dataplanes at a 1 s interval    what that rate serves

and checks that nothing acknowledged was lost: every dataplane's mark in
the store is the last sequence number cordond acknowledged to it, and the
store holds one row per acknowledged report.

  scripts/bench_fleet.py [--build DIR] [--dataplanes N] [--devices D]
                         [--seconds S] [--runs R]
"""

import argparse
import json
import os
import resource
import selectors
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from bench import arg_number  # noqa: E402
from cordonlab import SpPeer, decode_fields, envelope, varint  # noqa: E402

MSG_ACK, MSG_ERROR, MSG_HELLO, MSG_HELLO_ACK, MSG_STATS_REPORT = 1, 2, 10, 11, 12
WIRE = (1 << 16) | 6


def pb_uint(field, v):
    return varint(field << 3) + varint(v)


def pb_bytes(field, b):
    return varint(field << 3 | 2) + varint(len(b)) + b


def hello(dp_id, boot):
    return (pb_bytes(1, dp_id.encode()) + pb_bytes(2, b"bench") + pb_uint(3, WIRE)
            + pb_uint(5, 1) + pb_uint(7, 1000) + pb_uint(8, os.getpid()) + pb_uint(9, boot))


def devices(n, k):
    """n devices of dataplane k: MACs of their own, counters that move."""
    out = []
    for i in range(n):
        mac = bytes([0x02, 0xbe, (k >> 8) & 0xff, k & 0xff, (i >> 8) & 0xff, i & 0xff])
        d = (pb_bytes(1, mac) + pb_uint(3, 1) + pb_uint(4, 1000 + i) + pb_uint(5, 64000 + i)
             + pb_uint(8, 1000) + pb_uint(9, 2000) + pb_uint(13, 900) + pb_uint(14, 50000))
        out.append(pb_bytes(8, d))
    return b"".join(out)


def report(dp_id, seq, devs):
    return (pb_bytes(1, dp_id.encode()) + pb_uint(2, seq) + pb_uint(3, 2000 + seq)
            + pb_uint(4, 0) + devs)


def sqlite_commits(path, seconds):
    """Bare commits a second: WAL, synchronous=FULL, a 1 KB row each."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)")
    row = os.urandom(1024)
    n, t0 = 0, time.monotonic()
    while time.monotonic() - t0 < seconds:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (b) VALUES (?)", (row,))
        db.execute("COMMIT")
        n += 1
    el = time.monotonic() - t0
    db.close()
    return n / el


class Fleet:
    def __init__(self, build, workdir, n, n_dev):
        self.build = build
        self.dir = workdir
        self.env = dict(os.environ, CORDON_RUNDIR=os.path.join(workdir, "run"),
                        CORDON_STATE_DIR=os.path.join(workdir, "state"))
        self.log = open(os.path.join(workdir, "cordond.log"), "ab")
        self.cordond = subprocess.Popen([os.path.join(build, "control/cordond")],
                                        env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        sock = os.path.join(workdir, "run", "dataplane.sock")
        t0 = time.monotonic()
        while not os.path.exists(sock):
            if self.cordond.poll() is not None or time.monotonic() - t0 > 30:
                raise RuntimeError("cordond did not start (%s)" % workdir)
            time.sleep(0.05)
        self.dps = []
        for k in range(n):
            p = SpPeer(sock)
            dp_id = "cpe-%05d" % k
            p.request(1, envelope(MSG_HELLO, 1, hello(dp_id, 1 + k), WIRE))
            _, body = p.reply()
            if decode_fields(body)[2][0] != MSG_HELLO_ACK:
                raise RuntimeError("hello of %s refused: %r" % (dp_id, body))
            p.s.setblocking(False)
            self.dps.append({"peer": p, "id": dp_id, "seq": 0, "acked": 0, "buf": b"",
                             "devs": devices(n_dev, k), "sent": 0.0})
        self.state_db = os.path.join(workdir, "state", "cordond.db")

    def _send(self, d, now):
        d["seq"] += 1
        body = envelope(MSG_STATS_REPORT, d["seq"] + 1, report(d["id"], d["seq"], d["devs"]), WIRE)
        msg = struct.pack("!I", 0x80000000 | (d["seq"] + 1)) + body
        d["peer"].s.setblocking(True)
        d["peer"].s.sendall(b"\x01" + struct.pack("!Q", len(msg)) + msg)
        d["peer"].s.setblocking(False)
        d["sent"] = now

    def run(self, seconds):
        """Closed loop for seconds: (acks a second, [latency ms])."""
        sel = selectors.DefaultSelector()
        for d in self.dps:
            sel.register(d["peer"].s, selectors.EVENT_READ, d)
        lat, acks = [], 0
        t0 = time.monotonic()
        for d in self.dps:
            self._send(d, t0)
        stop = t0 + seconds
        inflight = len(self.dps)
        while inflight > 0:
            now = time.monotonic()
            for key, _ in sel.select(timeout=1.0):
                d = key.data
                d["buf"] += d["peer"].s.recv(65536)
                while len(d["buf"]) >= 9:
                    (n,) = struct.unpack("!Q", d["buf"][1:9])
                    if len(d["buf"]) < 9 + n:
                        break
                    msg, d["buf"] = d["buf"][9:9 + n], d["buf"][9 + n:]
                    env = decode_fields(msg[4:])
                    if env[2][0] != MSG_ACK:
                        raise RuntimeError("report of %s refused: %r" % (d["id"], msg))
                    seq = decode_fields(env.get(4, [b""])[0]).get(1, [0])[0]
                    if seq != d["seq"]:
                        raise RuntimeError("%s: acked %d, sent %d" % (d["id"], seq, d["seq"]))
                    d["acked"] = seq
                    t = time.monotonic()
                    lat.append((t - d["sent"]) * 1000)
                    acks += 1
                    if t < stop:
                        self._send(d, t)
                    else:
                        inflight -= 1
            if now > stop + 60:
                raise RuntimeError("acks stopped coming")
        el = time.monotonic() - t0
        sel.close()
        return acks / el, lat

    def counters(self):
        """cordond's own counters (cordonctl status --json)."""
        r = subprocess.run([os.path.join(self.build, "control/cordonctl"), "--json", "status"],
                           env=self.env, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("cordonctl status: %s" % r.stderr.strip())
        return json.loads(r.stdout).get("counters", {})

    def check(self):
        """Nothing acknowledged lost: marks and rows as acknowledged."""
        db = sqlite3.connect("file:%s?mode=ro" % self.state_db, uri=True)
        try:
            marks = dict(db.execute("SELECT dataplane_id, seq FROM report_mark"))
            rows = db.execute("SELECT count(*) FROM report").fetchone()[0]
        finally:
            db.close()
        bad = [d["id"] for d in self.dps if marks.get(d["id"]) != d["acked"]]
        acked = sum(d["acked"] for d in self.dps)
        return bad, rows, acked

    def stop(self):
        for d in self.dps:
            d["peer"].close()
        self.cordond.send_signal(signal.SIGTERM)
        rc = self.cordond.wait(60)
        self.log.close()
        return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--dataplanes", type=arg_number(int, 1, False), default=200,
                    help="simulated dataplanes, a connection each (200; at most 65,535)")
    ap.add_argument("--devices", type=arg_number(int, 0, False), default=10,
                    help="devices in each report (10)")
    ap.add_argument("--seconds", type=arg_number(float, 0, True), default=10,
                    help="how long each run sends (10)")
    ap.add_argument("--runs", type=arg_number(int, 1, False), default=3)
    a = ap.parse_args()
    if a.dataplanes > 65535:
        ap.error("--dataplanes: %d is more than 65,535" % a.dataplanes)
    # A connection each, and cordond's side of them: room for both.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.dataplanes + 64
    if soft < want and (hard == resource.RLIM_INFINITY or hard >= want):
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    elif soft < want:
        ap.error("--dataplanes %d needs %d open files; the limit is %d" % (a.dataplanes, want, hard))
    if not os.access(os.path.join(a.build, "control/cordond"), os.X_OK):
        ap.error("--build: no %s (build first)" % os.path.join(a.build, "control/cordond"))

    base, rate, p50, p99, ok = [], [], [], [], True
    for r in range(a.runs):
        work = tempfile.mkdtemp(prefix="cordon-fleet-", dir=os.path.join(ROOT, "build"))
        try:
            base.append(sqlite_commits(os.path.join(work, "bare.db"), a.seconds / 2))
            f = Fleet(os.path.abspath(a.build), work, a.dataplanes, a.devices)
            try:
                per_s, lat = f.run(a.seconds)
                bad, rows, acked = f.check()
                cnt = f.counters()
            finally:
                rc = f.stop()
            lat.sort()
            rate.append(per_s)
            p50.append(lat[len(lat) // 2])
            p99.append(lat[min(len(lat) - 1, len(lat) * 99 // 100)])
            commits = cnt.get("dp_report_commits", 0)
            print("run %d: sqlite %.0f commits/s; cordond %.0f reports/s (%d dataplanes, "
                  "%d devices each), ack p50 %.1f ms p99 %.1f ms; %d acked, %d rows, %s reports "
                  "a commit, cordond exit %d"
                  % (r + 1, base[-1], per_s, a.dataplanes, a.devices, p50[-1], p99[-1], acked,
                     rows, "%.1f" % (cnt.get("dp_reports", 0) / commits) if commits else "-",
                     rc), flush=True)
            if bad or rows != acked or rc != 0:
                ok = False
                print("CHECK FAILED: marks differ for %s; %d rows for %d acked; exit %d"
                      % (bad[:5], rows, acked, rc))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    b, c = statistics.median(base), statistics.median(rate)
    print("FIGURE sqlite_commits_per_s %.0f" % b)
    print("FIGURE fleet_reports_per_s %.0f" % c)
    print("FIGURE fleet_ack_p50_ms %.1f p99_ms %.1f" % (statistics.median(p50),
                                                       statistics.median(p99)))
    print("CHECK every acknowledged report stored, every mark the last ack: %s"
          % ("ok" if ok else "FAILED"))
    print("RATIO fleet-reports/sqlite-commits %.2f" % (c / b))
    print("INFO dataplanes at a 1 s interval: about %d (at the default --report-interval)" % c)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
