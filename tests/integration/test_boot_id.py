#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""A dataplane's runs are keyed by a boot id, not by their start time.

A CPE with no real-time clock can start its dataplane at the same wall
time every boot; keyed by that time, a second run's reports fell under the
first's mark and were acknowledged as duplicates, unstored. From wire
minor 5 the dataplane says a random boot id in its hello (Hello.boot_id)
and cordond keys the run by it.

0. A cordond of wire minor 5 (by hand, as below) refuses Hello.uptime_ms
   (minor 6): the dataplane says hello again without it, its boot id kept.
1. An older cordond (wire minor 4, here by hand: the SP protocol over ipc,
   the envelopes by hand, as tests/integration/test_rogue.py speaks them)
   refuses the field as such a cordond does (ERR_UNKNOWN_FIELD): the
   dataplane says hello again without the newest field, then without the
   boot id, logs why, and its reports go on.
2. That cordond is upgraded under the running dataplane (the real one on
   the same socket): the run stays keyed by its start time, so its mark
   does not move to a new key mid-run.
3. The dataplane restarts: the new run says its boot id, and cordond keys
   it by that.
"""

import os
import signal
import socket
import sqlite3
import struct
import threading

from cordonlab import PROTO_REP0, decode_fields, envelope, lab_main, varint, wait_until

MSG_ACK, MSG_ERROR, MSG_HELLO, MSG_HELLO_ACK, MSG_STATS_REPORT = 1, 2, 10, 11, 12
ERR_UNKNOWN_FIELD, ERR_NOT_REGISTERED = 4, 6
# Hello's fields by the wire minor that brought them.
HELLO_BOOT_ID, HELLO_UPTIME = 9, 12


def pb_uint(field, v):
    return varint(field << 3) + varint(v)


def pb_bytes(field, b):
    return varint(field << 3 | 2) + varint(len(b)) + b


class OldCordond:
    """Enough of a wire-minor-4 cordond (or 5, with minor=5) for a
    dataplane's report socket: hello (refusing the first field it does not
    know, as its wire_unpack() would), reports acked as received, anything
    else answered 'not registered' (the poll thread then waits and asks
    again)."""

    def __init__(self, path, minor=4):
        self.path = path
        self.wire = (1 << 16) | minor
        self.unknown = (HELLO_BOOT_ID, HELLO_UPTIME) if minor < 5 else (HELLO_UPTIME,)
        self.hellos, self.reports = [], []
        self.lock = threading.Lock()
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(8)
        self.conns = []
        self.stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopping:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            with self.lock:
                if self.stopping:
                    # A redial that reached this one as it stopped.
                    c.close()
                    return
                self.conns.append(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    @staticmethod
    def _recvn(c, n):
        b = b""
        while len(b) < n:
            d = c.recv(n - len(b))
            if not d:
                raise ConnectionError("closed")
            b += d
        return b

    def _serve(self, c):
        try:
            hdr = self._recvn(c, 8)
            assert hdr[1:3] == b"SP", hdr
            c.sendall(bytes([0, ord("S"), ord("P"), 0, PROTO_REP0 >> 8, PROTO_REP0 & 0xFF, 0, 0]))
            while True:
                self._recvn(c, 1)
                (n,) = struct.unpack("!Q", self._recvn(c, 8))
                msg = self._recvn(c, n)
                # The request's backtrace: the id (high bit set) ends it.
                k = 4
                while not msg[k - 4] & 0x80:
                    k += 4
                body = self._answer(decode_fields(msg[k:]))
                out = msg[:k] + body
                c.sendall(b"\x01" + struct.pack("!Q", len(out)) + out)
        except (ConnectionError, OSError, AssertionError):
            c.close()

    def _answer(self, env):
        mtype, req = env[2][0], env[3][0]
        payload = decode_fields(env.get(4, [b""])[0])
        if mtype == MSG_HELLO:
            hello = {"boot_id": payload.get(HELLO_BOOT_ID, [0])[0], "started": payload.get(7, [0])[0],
                     "uptime": payload.get(HELLO_UPTIME, [0])[0]}
            with self.lock:
                self.hellos.append(hello)
            for f in self.unknown:
                if f in payload:
                    return envelope(MSG_ERROR, req, pb_uint(1, ERR_UNKNOWN_FIELD) +
                                    pb_bytes(2, b"unknown field %d in Hello" % f), self.wire)
            return envelope(MSG_HELLO_ACK, req, pb_bytes(1, b"0.old") + pb_uint(2, 100) +
                            pb_uint(3, self.wire), self.wire)
        if mtype == MSG_STATS_REPORT:
            seq = payload.get(2, [0])[0]
            with self.lock:
                self.reports.append(seq)
            return envelope(MSG_ACK, req, pb_uint(1, seq), self.wire)
        return envelope(MSG_ERROR, req, pb_uint(1, ERR_NOT_REGISTERED) +
                        pb_bytes(2, b"not registered"), self.wire)

    def stop(self):
        """Gone for good: the path first, so that the dataplane's redial
        finds the next cordond there, and no connection is taken after."""
        os.unlink(self.path)
        with self.lock:
            self.stopping = True
            conns = list(self.conns)
        # close() alone does not wake a thread blocked in accept().
        try:
            self.srv.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.srv.close()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()


def marks(lab, dp_id):
    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    try:
        return dict(db.execute("SELECT boot, seq FROM report_mark WHERE dataplane_id = ?",
                               (dp_id,)).fetchall())
    finally:
        db.close()


def started_ms(lab, dp_id):
    for d in lab.ctl_json("status")["dataplanes"]:
        if d["dataplane_id"] == dp_id and d["connected"]:
            return d["started_unix_ms"]
    return None


def test(lab):
    os.makedirs(lab.rundir, exist_ok=True)
    sock = os.path.join(lab.rundir, "dataplane.sock")
    old = OldCordond(sock, minor=5)
    vdevs = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
    dp = lab.start_dataplane(vdevs, "--id", "cpe", "--report-interval", "100")

    # 0. A cordond of minor 5: the uptime refused, the boot id kept.
    wait_until(lambda: len(old.reports) >= 3, 60, "no reports to the minor-5 cordond")
    with old.lock:
        hellos = list(old.hellos)
    print("minor-5 cordond: hellos %s" % hellos)
    assert hellos[0]["uptime"] != 0 and hellos[0]["boot_id"] != 0, hellos
    assert hellos[1]["uptime"] == 0 and hellos[1]["boot_id"] == hellos[0]["boot_id"], hellos
    old.stop()

    # 1. The older cordond: refused, said again without the newest field,
    # then without the id, reported.
    old = OldCordond(sock)
    wait_until(lambda: len(old.reports) >= 3, 60, "no reports to the older cordond")
    with old.lock:
        hellos = list(old.hellos)
    print("older cordond: hellos %s, reports %s" % (hellos, old.reports[:5]))
    assert hellos[0]["boot_id"] != 0, "the first hello did not say a boot id"
    assert hellos[0]["boot_id"] != hellos[0]["started"]
    assert hellos[1]["boot_id"] == hellos[0]["boot_id"] and hellos[1]["uptime"] == 0, hellos
    assert all(h["boot_id"] == 0 for h in hellos[2:]), hellos
    started = hellos[2]["started"]
    with open(dp.log_path) as f:
        assert "refused Hello.boot_id" in f.read()
    assert dp.poll() is None

    # 2. Upgraded under the running dataplane: still keyed by the start.
    old.stop()
    lab.start_cordond("--report-interval", "100")
    wait_until(lambda: marks(lab, "cpe"), 60, "no report stored after the upgrade")
    assert started_ms(lab, "cpe") == started
    m = marks(lab, "cpe")
    print("after the upgrade: marks %s (started %d)" % (m, started))
    assert list(m) == [started], m

    # 3. A new run says its boot id, and is keyed by it.
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(30) == 0
    lab.procs.remove(dp)
    dp = lab.start_dataplane(vdevs, "--id", "cpe", "--report-interval", "100",
                             log_name="dataplane2.log")
    wait_until(lambda: len(marks(lab, "cpe")) == 2, 60, "the new run's reports not stored")
    m = marks(lab, "cpe")
    new = [b for b in m if b != started]
    print("after the restart: marks %s" % m)
    assert len(new) == 1 and new[0] != started_ms(lab, "cpe"), m
    with open(dp.log_path) as f:
        assert "refused Hello.boot_id" not in f.read()


if __name__ == "__main__":
    lab_main("boot", test)
