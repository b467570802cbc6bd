#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Known-bad indicators inline: cordon-dataplane --indicators.

tests/detect/gen_attacks.py writes its indicator capture (a device looks up
a name on the list, then talks TLS to an address on it) and the list. The
dataplane replays the capture once, detection on:
  - with --indicators, it raises an `indicator` alert on that device, as
    cordon-detect does offline on the same capture and list;
  - without the list, the same replay raises none: the alert is the list's;
  - a list with a bad line: --check-config names FILE:LINE and exits 1, and
    so does a start, before any port runs; with --no-detect the option is
    refused (exit 2).
"""

import json
import os
import subprocess
import sys

from cordonlab import lab_main, pcap_count, telemetry, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
ATT = "02:00:00:00:ee:66"	# gen_attacks.py's attacker


def alerts(prefix):
    """The dataplane's recent alerts: (detector, MAC) pairs."""
    rows = telemetry(prefix, "/cordon/alerts")["/cordon/alerts"]
    return [(r.split()[1], r.split()[2]) for r in rows]


def replay(lab, cap, name, *args):
    """Replay cap once into net_null; its alerts once every packet is in
    and detection has had its ticks."""
    prefix = "cordon-ind-%s-%d" % (name, os.getpid())
    n = pcap_count(cap)
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s" % cap, "net_null0,no-rx=1"],
                             "--no-control", *args, detect=True, prefix=prefix,
                             log_name="dataplane-%s.log" % name)

    def all_in():
        try:
            return telemetry(prefix, "/cordon/stats")["/cordon/stats"]["rx_packets"] >= n
        except (OSError, KeyError, ValueError, TypeError):
            return False	# not up yet
    wait_until(all_in, 60, "%s: the capture's %d packets never all came in" % (name, n))
    # The engine runs on the main lcore, from the workers' rings, every
    # 100 ms: an alert it will raise is there well within this.
    try:
        wait_until(lambda: ("indicator", ATT) in alerts(prefix), 10, "")
    except AssertionError:
        pass
    got = alerts(prefix)
    dp.terminate()
    assert dp.wait(30) == 0, "%s: the dataplane exited %d" % (name, dp.returncode)
    lab.procs.remove(dp)
    return got


def test(lab):
    gen = os.path.join(HERE, "..", "detect", "gen_attacks.py")
    out = lab.path("attacks")
    subprocess.run([sys.executable, gen, out], check=True)
    cap, ind = os.path.join(out, "indicator.pcap"), os.path.join(out, "indicators.txt")
    dpbin = lab.bin("dataplane/cordon-dataplane")

    # Offline, the same capture and list: the detector's own answer.
    p = subprocess.run([lab.bin("detect/tool/cordon-detect"), "-r", cap, "--indicators", ind],
                       capture_output=True, text=True)
    offline = [json.loads(x) for x in p.stdout.splitlines() if x.startswith("{")]
    offline = [(a.get("detector"), a.get("mac")) for a in offline if "detector" in a]
    print("cordon-detect: %s" % offline)
    assert ("indicator", ATT) in offline, offline

    got = replay(lab, cap, "with", "--indicators", ind)
    print("dataplane with --indicators: %s" % got)
    assert ("indicator", ATT) in got, got
    # Every indicator alert is the attacker's: the list names nothing else.
    assert all(m == ATT for d, m in got if d == "indicator"), got

    got = replay(lab, cap, "without")
    print("dataplane without: %s" % got)
    assert not any(d == "indicator" for d, _ in got), got

    # A bad list: said with its line, nothing started.
    bad = lab.path("bad.txt")
    with open(bad, "w") as f:
        f.write("203.0.113.7 feed ok\n# a comment\nnot-an-indicator!! feed\n")
    r = subprocess.run([dpbin, "--", "--no-control", "--indicators", bad, "--check-config"],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "bad.txt:3:" in r.stdout, (r.returncode, r.stdout)
    r = subprocess.run([dpbin, "--", "--no-control", "--indicators", ind, "--check-config"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "indicators %s: 3 loaded" % ind in r.stdout, r.stdout
    prefix = "cordon-ind-bad-%d" % os.getpid()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s" % cap, "net_null0,no-rx=1"],
                             "--no-control", "--indicators", bad, detect=True,
                             prefix=prefix, log_name="dataplane-bad.log")
    rc = dp.wait(60)
    lab.procs.remove(dp)
    with open(dp.log_path) as f:
        log = f.read()
    assert rc == 1 and "bad.txt:3:" in log, (rc, log[-500:])
    print("bad list refused: %s" % [l for l in log.splitlines() if "bad.txt" in l][0])
    r = subprocess.run([dpbin, "--", "--no-control", "--no-detect", "--indicators", ind],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "needs detection" in r.stderr, (r.returncode, r.stderr)


if __name__ == "__main__":
    lab_main("ind", test)
