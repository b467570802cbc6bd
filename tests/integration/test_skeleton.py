#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Walking skeleton: cordond + cordon-dataplane + cordonctl, for real.

Phase A: the dataplane replays a capture of exactly K packets from net_pcap0
and bridges them to net_pcap1; `cordonctl stats --json` must report exactly K
received and K transmitted, and the output capture holds K packets.
Then cordond is killed (-9): the dataplane keeps running; cordond restarts
and the dataplane registers again (the time it takes is printed).

Phase B: the dataplane forwards an endless replay into net_null while cordond
is away; DPDK telemetry shows the counters still moving.
"""

import os
import signal
import time

from cordonlab import figure, gen_pcap, lab_main, pcap_count, telemetry, timed_until, wait_until

K = 10000


def dp_of(lab, dp_id):
    st = lab.ctl_json("status")
    for d in st["dataplanes"]:
        if d["dataplane_id"] == dp_id:
            return d
    return None


def phase_a(lab, repeat):
    src, out = lab.path("in.pcap"), lab.path("out.pcap")
    gen_pcap(src, "--mix", "flows", "-n", str(K), "--flows", "500", "--devices", "50")
    assert pcap_count(src) == K

    lab.start_cordond()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s" % src, "net_pcap1,tx_pcap=%s" % out],
                             "--id", "skel-a", "--report-interval", "200",
                             prefix="cordon-skel-a-%d" % os.getpid())

    def counted():
        # Received first, transmitted a moment later: wait for both.
        rep = [r for r in lab.ctl_json("stats")["reports"] if r["dataplane_id"] == "skel-a"]
        if rep and rep[0]["workers"][0]["rx_packets"] == K and \
                rep[0]["workers"][0]["tx_packets"] >= K:
            return rep[0]
        return None

    rep = wait_until(counted, 60, "dataplane never reported %d packets through" % K)
    ports = {p["name"]: p for p in rep["ports"]}
    w = rep["workers"][0]
    print("stats: rx=%d tx=%d drops=%d" % (w["rx_packets"], w["tx_packets"], w["drops"]))
    assert w["rx_packets"] == K, "rx %d != %d" % (w["rx_packets"], K)
    assert w["tx_packets"] == K, "tx %d != %d" % (w["tx_packets"], K)
    assert w["drops"] == 0
    assert ports["net_pcap0"]["rx_packets"] == K and ports["net_pcap0"]["tx_packets"] == 0
    assert ports["net_pcap1"]["tx_packets"] == K and ports["net_pcap1"]["rx_packets"] == 0
    assert sum(rep["counters"][n] for n in ("l2_truncated", "l2_same_port", "tx_full")) == 0

    st = dp_of(lab, "skel-a")
    assert st["connected"] and st["workers"] == 1 and len(st["ports"]) == 2
    regs = st["registrations"]

    # cordond dies; the dataplane must not care, and registers again when
    # cordond is back. The time that takes is printed (scripts/bench.sh
    # repeats it), never asserted.
    times = []
    for k in range(repeat):
        cordond = [p for p in lab.procs if "cordond" in p.args[0] and p.poll() is None][0]
        cordond.send_signal(signal.SIGKILL)
        cordond.wait()
        if k == 0:
            time.sleep(1.5)
            assert dp.poll() is None, "dataplane died with cordond"
            rc, _, err = lab.ctl("status")
            assert rc == 3, "cordonctl status with cordond dead: rc %d" % rc

        t0 = time.monotonic()
        lab.start_cordond()

        def reregistered():
            d = dp_of(lab, "skel-a")
            return d is not None and d["connected"]

        times.append(timed_until(reregistered, 30, "dataplane did not re-register", since=t0))
        # The new cordond has the dataplane's counters again at the next
        # report.
        wait_until(lambda: lab.ctl_json("stats", "skel-a")["reports"], 30,
                   "no report after restart")
        rep = lab.ctl_json("stats", "skel-a")["reports"][0]
        assert rep["workers"][0]["rx_packets"] == K and rep["workers"][0]["tx_packets"] == K
    figure("reregistration", times, "re-registered after cordond restarted")

    dp.send_signal(signal.SIGTERM)
    assert dp.wait(30) == 0, "dataplane exit status %s" % dp.returncode
    with open(dp.log_path) as f:
        log = f.read()
    assert "final counters" in log and str(K) in log, "no final counters printed"
    got = pcap_count(out)
    print("output capture: %d packets" % got)
    assert got == K, "output capture has %d packets, want %d" % (got, K)
    assert regs >= 1


def phase_b(lab):
    src = lab.path("loop.pcap")
    gen_pcap(src, "--mix", "flows", "-n", "1000", "--flows", "100", "--devices", "10")
    prefix = "cordon-skel-b-%d" % os.getpid()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % src, "net_null0,no-rx=1"],
                             "--id", "skel-b", prefix=prefix, log_name="dataplane-b.log")
    wait_until(lambda: (dp_of(lab, "skel-b") or {}).get("connected"), 30,
               "skel-b never registered")

    for p in lab.procs:
        if "cordond" in p.args[0] and p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()

    def opackets():
        return telemetry(prefix, "/ethdev/stats,1")["/ethdev/stats"]["opackets"]

    a = opackets()
    t = timed_until(lambda: opackets() > a + 100000, 60,
                    "forwarding stalled while cordond was away (%d)" % a)
    print("forwarded 100,000 packets in %.2f s with cordond away" % t)
    dp.send_signal(signal.SIGINT)
    assert dp.wait(30) == 0


def test(lab):
    phase_a(lab, lab.args.repeat)
    phase_b(lab)


if __name__ == "__main__":
    lab_main("skel", test, lambda ap: ap.add_argument(
        "--repeat", type=int, default=1,
        help="time the re-registration N times (scripts/bench.py)"))
