#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Never lie, never lose, with a real dataplane and faults injected (issue 11).

The test runs in a private mount namespace of its own (unshare -m), so that
cordond's state directory can sit on a small tmpfs that it fills; the mount
goes with the namespace.

 - a quarantine after a pushed compiled policy: the dataplane has the new
   version in force and `cordonctl devices` shows the device in the
   quarantine segment; `policy apply --wait` says "in force" only once the
   dataplane has it;
 - a full disk under cordond's store (a read-only one is
   test_truth_readonly.py) while the dataplane reports ten times a second: cordond refuses the reports
   it cannot store, logs it once, `status` says DEGRADED with the reason;
   the dataplane keeps them and sends them again; once space is back every
   acknowledged report is stored exactly once, none was dropped, a
   store_failed event records the episode, and the dataplane's counters add
   up (made = acknowledged + pending + dropped, dropped 0);
 - SIGSTOP of cordond for longer than the dataplane's request timeouts
   and its report queue (--report-queue 32 here), then SIGCONT: the full queue made
   the dataplane defer its reports (backpressure, said and counted), and
   nothing was pushed out or lost;
 - kill -9 of cordond amid a stream of changes: every acknowledged version
   survives, and the dataplane gets the latest;
 - kill -9 of the dataplane amid the report and apply streams, restarted:
   each boot's acknowledged reports are all stored, once, and the restarted
   dataplane has the latest version in force (from its last-known-good,
   then from cordond);
 - a last-known-good file with a flipped byte: the dataplane falls back to
   the older one and says so; with both corrupt it starts fail-closed,
   says how to recover, and takes the policy from cordond.
"""

import json
import os
import random
import signal
import sqlite3
import threading
import time

from cordonlab import (gen_pcap, gen_policy, lab_main, mounted_statedir, private_mounts, report_counters,
                       wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
HOME = os.path.join(HERE, "..", "..", "examples", "home.yaml")
QDEV = "02:00:00:00:00:03"
POLL_TIMEOUT = 16.0             # past the dataplane's policy long-poll (agent.c)


def counters(dp):
    """The final counters add up, and every drop has a named reason."""
    with open(dp.log_path) as f:
        assert "without a named reason" not in f.read(), "drops without a reason"
    return report_counters(dp.log_path)


def stored(lab, dp_id):
    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    rows = db.execute("SELECT boot, seq FROM report WHERE dataplane_id = ?", (dp_id,)).fetchall()
    db.close()
    return rows


def check_store(lab, dp_id):
    """Every report cordond acknowledged is stored once, and none is
    missing: a dataplane whose queue is full while cordond is away makes
    no new report (backpressure, counted as deferred) rather than push an
    old one out, so cordond never records a gap (a hole in the sequence
    it would otherwise count when the next one came)."""
    rows = stored(lab, dp_id)
    dups = len(rows) - len(set(rows))
    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    marks = db.execute("SELECT boot, seq, gaps, duplicates FROM report_mark "
                       "WHERE dataplane_id = ?", (dp_id,)).fetchall()
    db.close()
    lost, holes = [], 0
    for boot, mark, gaps, dup in marks:
        holes += gaps
        have = {s for b, s in rows if b == boot}
        missing = [s for s in range(1, mark + 1) if s not in have]
        print("  boot %d: acknowledged up to %d, stored %d, never delivered (gaps) %d, "
              "resent %d" % (boot, mark, len(have), gaps, dup))
        if len(missing) != gaps:
            lost += [(boot, s) for s in missing]
    print("store: %d reports of %s, %d duplicates, %d acknowledged ones missing" % (
        len(rows), dp_id, dups, len(lost)))
    assert dups == 0 and not lost, lost[:10]
    assert holes == 0, "%d reports pushed out of the dataplane's queue" % holes


def status(lab):
    return lab.ctl_json("status")


def dp_version(lab, dp_id):
    for d in status(lab).get("dataplanes", []):
        if d["dataplane_id"] == dp_id and d.get("connected"):
            return int(d.get("policy_version", 0))
    return -1


def fill(path):
    """Fill the file system of path; the filler file's name."""
    f = os.path.join(path, "filler")
    fd = os.open(f, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (1 << 16, 512):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)
    return f


def start_dp(lab, pcap):
    return lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                                "net_null0,no-rx=1"], "--id", "tf", "--report-interval", "100",
                               "--report-queue", "32",
                               "--mbufs", "16384", "--state-dir", lab.path("dplkg"))


def case_quarantine_pushed(lab, pcap):
    pbin = gen_policy(lab.path("p.bin"), "--devices", "8", "--rules", "20")
    rc, out, err = lab.ctl("policy", "push", pbin)
    assert rc == 0, err
    dp = start_dp(lab, pcap)
    wait_until(lambda: dp_version(lab, "tf") > 0, 60, "the dataplane never took the pushed policy")
    rc, out, err = lab.ctl("quarantine", QDEV, "--wait", "60")
    print("quarantine --wait: exit %d: %s%s" % (rc, out.strip(), err.strip()))
    assert rc == 0 and "in force on 1 of 1" in out, (out, err)

    def seg():
        devs = lab.ctl_json("devices")
        return [d.get("segment_name") for d in devs if d.get("mac") == QDEV]
    wait_until(lambda: seg() == ["quarantine"], 60, "devices does not show %s quarantined: %s"
               % (QDEV, seg()))
    print("devices: %s in %s" % (QDEV, seg()))
    rc, out, err = lab.ctl("release", QDEV, "--wait", "60")
    assert rc == 0 and "in force on 1 of 1" in out, (out, err)
    wait_until(lambda: seg() not in ([], ["quarantine"]), 60, "not released: %s" % seg())
    # A YAML policy, waited for: in force on the dataplane when it says so.
    rc, out, err = lab.ctl("policy", "apply", HOME, "--wait", "60")
    print("apply --wait: %s" % out.strip())
    v = int(out.split("policy ")[1].split()[0])
    assert rc == 0 and "in force on 1 of 1" in out and dp_version(lab, "tf") >= v
    h = lab.ctl_json("policy", "history")["versions"][0]
    assert h["version"] == v and h.get("applied_unix_ms", 0) > 0, h
    return dp


def case_disk(lab, dp, mnt):
    # Flowing first.
    wait_until(lambda: lab.ctl_json("stats").get("reports"), 60, "no reports")
    before = len(stored(lab, "tf"))
    for how in ("full",):
        filler = fill(mnt)
        wait_until(lambda: status(lab).get("degraded"), 60, "status never said degraded (%s)" % how)
        print("%s: status degraded: %s" % (how, status(lab)["degraded"]))
        rc, out, err = lab.ctl("status")
        assert "DEGRADED" in out, out
        time.sleep(2)           # reports pile up, refused, in the dataplane's queue
        os.unlink(filler)
        wait_until(lambda: not status(lab).get("degraded"), 60, "still degraded after %s" % how)
    ev = lab.events("--all")
    failed = [e for e in ev if e.get("kind") == "store_failed"]
    print("store_failed events: %d" % len(failed))
    assert len(failed) >= 1, "no store_failed event after recovery"
    with open(lab.path("cordond.log")) as f:
        log = f.read()
    assert "store write failed" in log and "writable again" in log
    wait_until(lambda: len(stored(lab, "tf")) > before + 10, 60, "reports did not resume")


def dp_log(lab):
    with open(lab.path("dataplane.log")) as f:
        return f.read()


def case_sigstop(lab, cordond):
    """cordond stopped for longer than the dataplane's report queue lasts
    (--report-queue 32, 3.2 s at 100 ms): the queue fills and the dataplane makes
    no new report until cordond takes some (backpressure, said once),
    rather than push the oldest out."""
    n = len(stored(lab, "tf"))
    # The full disk may have filled the queue already: wait for a new
    # episode.
    fulls = dp_log(lab).count("report queue full (")
    cordond.send_signal(signal.SIGSTOP)
    t0 = time.monotonic()
    try:
        wait_until(lambda: dp_log(lab).count("report queue full (") > fulls, 300,
                   "the report queue never filled with cordond stopped")
        print("report queue full %.1f s after SIGSTOP" % (time.monotonic() - t0))
        assert dp_log(lab).count("report queue full (32,") > fulls, \
            "--report-queue 32 not in effect"
        # A few intervals deferred, and the policy long-poll (15 s) timed
        # out too.
        time.sleep(max(2.0, POLL_TIMEOUT - (time.monotonic() - t0)))
    finally:
        cordond.send_signal(signal.SIGCONT)
    wait_until(lambda: len(stored(lab, "tf")) > n + 10, 60, "reports did not resume after SIGCONT")
    wait_until(lambda: "report queue takes reports again" in dp_log(lab), 60,
               "the dataplane did not say its queue takes reports again")
    print([l for l in dp_log(lab).splitlines() if "report queue" in l])


def case_kill_cordond(lab, cordond, rng):
    """kill -9 of cordond amid a stream of changes: every change that was
    acknowledged (exit 0, a version) is in the history after the restart,
    versions only grow, and the dataplane ends with the latest in force."""
    made = []
    for k in range(3):
        timer = threading.Timer(rng.uniform(0.1, 0.8), cordond.send_signal, (signal.SIGKILL,))
        timer.start()
        for i in range(8):
            rc, out, err = lab.ctl("--json", "quarantine" if i % 2 == 0 else "release",
                                   "02:00:00:00:00:06", timeout=20)
            if rc == 0:
                made.append(json.loads(out)["policy_version"])
            elif rc != 3:
                assert "quarantined" in err, (rc, err)      # the kill came in between
        timer.join()
        cordond.wait()
        lab.procs.remove(cordond)
        cordond = lab.start_cordond()
    have = {v["version"] for v in lab.ctl_json("policy", "history", "--all")["versions"]}
    lost = [v for v in made if v not in have]
    print("kill -9 of cordond amid changes: %d acknowledged versions, %d missing" % (
        len(made), len(lost)))
    assert not lost and made == sorted(made), (lost, made)
    latest = status(lab)["policy_version"]
    wait_until(lambda: dp_version(lab, "tf") == latest, 60,
               "the dataplane does not have %d in force after the restarts" % latest)
    return cordond


def stop_dp(dp):
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(30) == 0
    return counters(dp)


def case_kill_dp(lab, dp, pcap, rng):
    for k in range(3):
        # Policy churn while it reports.
        for i in range(rng.randint(1, 4)):
            lab.ctl("quarantine" if i % 2 == 0 else "release", "02:00:00:00:00:0%d" % (k + 4))
        time.sleep(rng.uniform(0.2, 1.0))
        dp.send_signal(signal.SIGKILL)
        dp.wait()
        lab.procs.remove(dp)
        dp = start_dp(lab, pcap)
        latest = status(lab)["policy_version"]
        wait_until(lambda: dp_version(lab, "tf") == latest, 60,
                   "restarted dataplane does not have %d in force" % latest)
    return dp


def test(lab):
    rng = random.Random(11)
    with mounted_statedir(lab, "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs") as mnt:
        pcap = lab.path("t.pcap")
        gen_pcap(pcap, "--mix", "policy", "--devices", "8", "--all-allowed", "-n", "4000")
        cordond = lab.start_cordond()
        dp = case_quarantine_pushed(lab, pcap)
        case_disk(lab, dp, mnt)
        case_sigstop(lab, cordond)
        v = stop_dp(dp)
        lab.procs.remove(dp)
        assert v["dropped"] == 0 and v["refused"] > 0 and v["pending"] == 0, v
        assert v["deferred"] > 0, v
        dp = start_dp(lab, pcap)
        cordond = case_kill_cordond(lab, cordond, rng)
        dp = case_kill_dp(lab, dp, pcap, rng)
        v = stop_dp(dp)
        assert v["dropped"] == 0 and v["pending"] == 0, v
        check_store(lab, "tf")
        cordond.send_signal(signal.SIGTERM)
        assert cordond.wait(20) == 0


if __name__ == "__main__":
    private_mounts()
    lab_main("truth-faults", test)
