#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""A soak: one dataplane under traffic, policy churn every second, queries
and a report stream, for --minutes (2 in the suite; scripts/soak.sh runs it
longer on the ASan build).

Churn, one change a second, each waited for (--wait) so that every version
is in force on the dataplane before the next: policy apply (two YAML files
in turn), quarantine, release, rollback, MUD import, MUD remove. Between
changes: status, devices, stats, events and policy history (pages, as an
operator asks: the default latest 20 of each), policy diff. cordond's resident growth is charged to the step
it came in, by kind, and printed.

At the end, asserted:
 - every change exited 0 and every version made is marked applied in the
   history (a dataplane had it in force);
 - every report the dataplane made was acknowledged (none pending or
   dropped), and the store holds each acknowledged one exactly once;
 - cordond and the dataplane exit 0 (under ASan/LSan: no leak, no error);
 - resident memory: sampled every 5 s; the slope after warm-up (the first
   third) is printed in MiB per 10 minutes, and from --minutes 10 on it
   must stay under --max-slope (1 MiB per 10 minutes). Under ASan from 10
   minutes on, with no quarantine (see test()): with one, the sanitizer's
   allocator grows on its own while the programs' live heap stays flat.
"""

import os
import random
import signal
import sqlite3
import time

from cordonlab import gen_pcap, lab_main, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
LUM = os.path.join(ROOT, "..", "shared", "testdata", "mud", "cisco-luminaire",
                   "Luminaire_150.json")
MUDDEV = "00:16:3e:10:01:50"
QDEV = "02:00:00:00:00:05"

POLICY = """version: 1
comment: "soak %s"
segments:
  - {name: all, default: allow}
  - {name: iot, default: %s}
  - {name: quarantine, default: deny}
default-segment: all
quarantine-segment: quarantine
devices:
  - {mac: "02:00:00:00:00:01", segment: iot}
  - {mac: "02:00:00:00:00:02", segment: iot}
rules:
  - {from: "segment:iot", to: 10.200.0.0/16, proto: tcp, ports: [%d], action: allow}
"""


def resident_kib(pid):
    """Resident set size of pid, from statm (pages)."""
    with open("/proc/%d/statm" % pid) as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def slope_mib_per_10min(samples):
    """Least-squares slope of (seconds, KiB), in MiB per 10 minutes."""
    n = len(samples)
    if n < 3:
        return 0.0
    mx = sum(t for t, _ in samples) / n
    my = sum(v for _, v in samples) / n
    num = sum((t - mx) * (v - my) for t, v in samples)
    den = sum((t - mx) ** 2 for t, _ in samples) or 1.0
    return num / den * 600 / 1024


def options(ap):
    ap.add_argument("--minutes", type=float, default=2.0)
    ap.add_argument("--max-slope", type=float, default=1.0,
                    help="MiB per 10 minutes after warm-up (asserted from 10 minutes on)")


def test(lab):
    minutes = lab.args.minutes
    rng = random.Random(1)
    # Under ASan, freed chunks wait in a quarantine before reuse. Where the
    # slope is asserted (10 minutes on), no quarantine: with one (16 MiB)
    # resident memory grew 1.2-1.5 MiB per 10 minutes while the programs'
    # live heap stayed flat (cordond 1.99 MiB in ASan's own count from 4
    # to 20 minutes): its size classes' mapped high-water marks rose
    # (45 -> 59 MiB) as what the FIFO holds shifted between them, pages it
    # released were faulted back as chunks cycled through it, and ASan's
    # stack depot (never freed) took ~500 new stacks a minute (a few a
    # minute without the quarantine). Without it, freed memory is reused
    # at once, as a plain malloc does, and what grows is what the programs
    # keep. Leak checking (LSan at exit) is the same; use after free is
    # caught until the chunk is reused, not later (the shorter soak, as
    # the suite's 2 minutes, keeps the 16 MiB quarantine). An explicit
    # quarantine_size_mb in ASAN_OPTIONS wins.
    asan = lab.env.get("ASAN_OPTIONS", "")
    if "quarantine_size_mb" not in asan:
        q = ("quarantine_size_mb=0:thread_local_quarantine_size_kb=0" if minutes >= 10
             else "quarantine_size_mb=16")
        lab.env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + q
    print("soak: ASAN_OPTIONS=%s" % lab.env.get("ASAN_OPTIONS", ""), flush=True)
    files = []
    for i, default in enumerate(("allow", "deny")):
        files.append(lab.path("p%d.yaml" % i))
        with open(files[-1], "w") as f:
            f.write(POLICY % (i, default, 1000 + i))
    pcap = lab.path("t.pcap")
    gen_pcap(pcap, "--mix", "flows", "-n", "4000", "--flows", "400", "--devices", "20")
    cordond = lab.start_cordond("--mud-accept-unsigned", "--backup-interval", "30")
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap, "net_null0,no-rx=1"],
                             "--id", "soak", "--report-interval", "100", "--mbufs", "16384")
    wait_until(lambda: [d for d in lab.ctl_json("status").get("dataplanes", [])
                        if d.get("connected")], 120, "the dataplane never registered")

    def change(*args):
        rc, out, err = lab.ctl(*args, "--wait", "60")
        assert rc == 0, (args, rc, out, err)

    change("policy", "apply", files[0])
    t0 = time.monotonic()
    end = t0 + minutes * 60
    samples = {"cordond": [], "dataplane": []}
    next_sample = t0
    steps = 0
    quarantined = mud = False
    # cordond's resident growth after warm-up charged to the step it came
    # in, by kind (and by query): what grows with the versions, events or
    # reports shows where.
    kinds = ("apply", "quarantine", "rollback", "mud", "queries", "diff")
    grown = dict.fromkeys(kinds + ("between",), 0)
    between = None
    took = dict.fromkeys(kinds, 0.0)
    by_query = {}
    while time.monotonic() < end:
        k = steps % 6
        before = resident_kib(cordond.pid)
        t_step = time.monotonic()
        if k == 0:
            change("policy", "apply", files[(steps // 6) % 2])
        elif k == 1:
            change("release" if quarantined else "quarantine", QDEV)
            quarantined = not quarantined
        elif k == 2:
            # A page, as an operator asks: the default 20, newest first,
            # and how many there are in all.
            page = lab.ctl_json("policy", "history")
            hist = page["versions"]
            assert len(hist) == min(20, page["total"]), (len(hist), page["total"])
            src = [v["version"] for v in hist if v.get("has_source")]
            change("policy", "rollback", str(rng.choice(src[:5])))
        elif k == 3:
            if mud:
                change("mud", "remove", MUDDEV)
            else:
                change("mud", "import", LUM, "--device", MUDDEV)
            mud = not mud
        elif k == 4:
            for q in (("status",), ("devices",), ("stats",), ("events",),
                      ("policy", "history")):
                was = resident_kib(cordond.pid)
                rc, out, err = lab.ctl(*q)
                assert rc == 0, (q, err)
                if t_step - t0 >= minutes * 60 / 3:
                    by_query[q[-1]] = by_query.get(q[-1], 0) + resident_kib(cordond.pid) - was
        else:
            v = lab.ctl_json("status")["policy_version"]
            rc, out, err = lab.ctl("policy", "diff", str(max(1, v - 3)), str(v))
            assert rc == 0, err
        if t_step - t0 >= minutes * 60 / 3:          # after warm-up
            grown[kinds[k]] += resident_kib(cordond.pid) - before
            took[kinds[k]] += time.monotonic() - t_step
        steps += 1
        if t_step - t0 >= minutes * 60 / 3 and between is not None:
            # What came between the last step and this one: reports,
            # polls and backups, no cordonctl.
            grown["between"] += before - between
        between = resident_kib(cordond.pid)
        now = time.monotonic()
        if now >= next_sample:
            samples["cordond"].append((now - t0, resident_kib(cordond.pid)))
            samples["dataplane"].append((now - t0, resident_kib(dp.pid)))
            next_sample = now + 5
            if len(samples["cordond"]) % 12 == 1:     # a line a minute
                print("soak %.1f min: %d steps, RSS cordond %d KiB, dataplane %d KiB" % (
                    (now - t0) / 60, steps, samples["cordond"][-1][1],
                    samples["dataplane"][-1][1]), flush=True)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - now)))

    print("cordond RSS growth after warm-up by step (KiB, in s): %s; between the steps %+d" % (
        ", ".join("%s %+d in %.0f" % (kind, grown[kind], took[kind]) for kind in kinds),
        grown["between"]))
    print("  of the queries: %s" % ", ".join("%s %+d" % kv for kv in by_query.items()))
    # Every version applied: each change waited for it. All the pages.
    page = lab.ctl_json("policy", "history", "--all")
    hist = page["versions"]
    unapplied = [v["version"] for v in hist if not v.get("applied_unix_ms")]
    print("soak: %.1f min, %d steps, %d versions, %d left unapplied" % (
        minutes, steps, len(hist), len(unapplied)))
    assert len(hist) == page["total"] and hist[-1]["version"] == 1, (len(hist), page["total"])
    assert [v["version"] for v in hist] == list(range(len(hist), 0, -1))
    assert not unapplied, unapplied[:20]

    dp.send_signal(signal.SIGTERM)
    assert dp.wait(60) == 0, "the dataplane did not exit cleanly"
    lab.procs.remove(dp)
    with open(dp.log_path) as f:
        line = [l for l in f if l.startswith("cordon-dataplane: reports made") and "=" in l][-1]
    print(line.strip())
    w = line.replace(",", " ").replace("(", " ").replace(")", " ").replace(";", " ").split()
    made, acked, pending, dropped = int(w[3]), int(w[6]), int(w[9]), int(w[12])
    assert made == acked + pending + dropped and dropped == 0 and pending == 0, line
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(60) == 0, "cordond did not exit cleanly"
    lab.procs.remove(cordond)

    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    rows = db.execute("SELECT boot, seq FROM report WHERE dataplane_id = 'soak'").fetchall()
    marks = dict(db.execute("SELECT boot, seq FROM report_mark WHERE dataplane_id = 'soak'"))
    db.close()
    dups = len(rows) - len(set(rows))
    lost = [(b, s) for b, m in marks.items() for s in range(1, m + 1) if (b, s) not in set(rows)]
    print("store: %d reports, %d duplicates, %d lost; dataplane made %d, acknowledged %d" % (
        len(rows), dups, len(lost), made, acked))
    assert dups == 0 and not lost and len(rows) == acked

    # Every process's slope printed, then the bar.
    steep = []
    for who, s in samples.items():
        warm = [x for x in s if x[0] >= minutes * 60 / 3]
        slope = slope_mib_per_10min(warm)
        print("%s: RSS %d -> %d KiB; after warm-up %d samples, slope %+.2f MiB per 10 min" % (
            who, s[0][1] if s else 0, s[-1][1] if s else 0, len(warm), slope))
        print("FIGURE soak_rss_slope_%s %.3f" % (who, slope))
        if minutes >= 10 and slope >= lab.args.max_slope:
            steep.append("%s: RSS grows %.2f MiB per 10 min" % (who, slope))
    assert not steep, "; ".join(steep)


if __name__ == "__main__":
    lab_main("soak", test, options)
