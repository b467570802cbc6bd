#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Both directions of a flow meet in one worker, also without RSS.

Two workers (two lcores mapped on the machine's CPUs), one net_pcap port
with two RX queues and no RSS: queue 0 replays 1,000 flows one way, queue 1
their replies. Each queue is polled by a different worker, so only the
software steering can bring a flow's two directions together. With it, the
flow tables hold each flow once, with packets counted both ways; and every
packet is accounted for. Then, under a policy that denies half the flows
(both queues replaying the devices' side), every drop too.
"""

import os
import signal

from cordonlab import (final_counters, gen_pcap, gen_policy, lab_main, telemetry,
                       wait_until)

PKTS = 2000            # one way; 500 devices x 2 flows = 1,000 flows
FLOWS = 1000


def test(lab):
    fwd, rev = lab.path("fwd.pcap"), lab.path("rev.pcap")
    args = ["--mix", "policy", "--devices", "500", "--all-allowed", "-n", str(PKTS)]
    gen_pcap(fwd, *args)
    gen_pcap(rev, *args, "--reverse")
    prefix = "cordon-steer-%d" % os.getpid()
    cpus = os.sched_getaffinity(0)
    last = max(cpus)
    lcores = "0@%d,1@%d,2@%d" % (min(cpus), last, last)
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,rx_pcap=%s" % (fwd, rev),
                              "net_null0,no-rx=1"], "--no-control", prefix=prefix,
                             eal=["--lcores", lcores])

    def done():
        try:
            w = [telemetry(prefix, "/cordon/worker,%d" % i)["/cordon/worker"]
                 for i in (0, 1)]
        except OSError:
            return None     # not up yet
        if None in w:
            return None     # commands not registered yet
        return w if sum(x["rx_packets"] for x in w) == 2 * PKTS else None

    w = wait_until(done, 60, "not all packets received")
    active = sum(x["flows_active"] for x in w)
    print("workers received %d and %d packets; %d flows in the tables" % (
        w[0]["rx_packets"], w[1]["rx_packets"], active))
    assert w[0]["rx_packets"] > 0 and w[1]["rx_packets"] > 0, "one worker idle"
    assert active == FLOWS, "%d flow entries for %d flows: directions split" % (
        active, FLOWS)
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    rx, tx, drops = final_counters(dp.log_path)
    print("final: rx %d tx %d drops %d" % (rx, tx, drops))
    assert rx == 2 * PKTS and rx == tx + drops

    # Half denied (a policy this time): the port's drops are the workers'.
    # A worker counts a burst from its own queue on the port once, after
    # the burst; the packets steered to it, each (worker.c). Both queues
    # replay the same devices' side of the flows: with the replies on one
    # of them, whichever side a flow showed first was its initiator, and
    # a race between the workers decided how much the policy denied.
    pol = gen_policy(lab.path("pol.bin"), "--devices", "500")
    fwd, fwd2 = lab.path("fwd-deny.pcap"), lab.path("fwd-deny-2.pcap")
    args = ["--mix", "policy", "--devices", "500", "-n", str(PKTS)]
    gen_pcap(fwd, *args)
    gen_pcap(fwd2, *args)
    prefix += "-deny"
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,rx_pcap=%s" % (fwd, fwd2),
                              "net_null0,no-rx=1"], "--no-control", "--policy", pol,
                             prefix=prefix, eal=["--lcores", lcores],
                             log_name="dataplane-deny.log")

    def settled():
        w = done()
        if w is None:
            return None
        port = telemetry(prefix, "/cordon/port,0")["/cordon/port"]
        drops = sum(x["drops"] for x in w)
        sent = sum(x["tx_packets"] for x in w)
        return (w, port) if port["drops"] == drops and sent + drops == 2 * PKTS else None

    w, port = wait_until(settled, 60, "drops never added up")
    print("denied mix: port drops %d, the workers' %s" % (
        port["drops"], [x["drops"] for x in w]))
    # every other flow of each device is denied; the others flood (their
    # destination never sends)
    assert port["drops"] == PKTS
    assert w[0]["drops"] > 0 and w[1]["drops"] > 0, "one worker dropped nothing"
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    rx, tx, drops = final_counters(dp.log_path)
    assert rx == 2 * PKTS and rx == tx + drops and drops == port["drops"]


if __name__ == "__main__":
    lab_main("steer", test)
