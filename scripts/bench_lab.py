#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Single-stream TCP through the dataplane against a Linux bridge
(scripts/bench_lab.sh).

Two hosts of the netns lab (tests/integration/netlab.py), one veth each.
iperf3 sends one TCP stream from h1 to h2 for --seconds, three ways over
the same veths, interleaved --runs times:

  bridge      the two veths in a Linux bridge (ip link add type bridge)
  af_xdp      cordon-dataplane on AF_XDP sockets (generic XDP on the veths)
  af_packet   cordon-dataplane on af_packet sockets

The dataplane runs as a plain stateful bridge (no policy: every flow is
tracked and allowed), fingerprinting on, its worker polling CPU 1; iperf3's
client and server run on CPU 0 in every case. Prints each way's median
receiver throughput and the RATIO of each port type to the bridge.
Needs root, iproute2 and iperf3.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import cordonlab  # noqa: E402
import netlab  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import dataplane_of, run_args, stop  # noqa: E402


def iperf(nl, seconds):
    """Receiver-side bits per second of one TCP stream h1 -> h2."""
    h1, h2 = nl["h1"], nl["h2"]
    for _ in range(20):		# the path is up: the bridge forwards, ARP is done
        if h1.client("icmp", h2.ip, timeout=0.5):
            break
    else:
        raise netlab.LabError("h1 cannot reach h2")
    srv = h2.popen("taskset", "-c", "0", "iperf3", "-s", "-1", "-B", h2.ip,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):	# until it listens
            if ":5201 " in h2.run("ss", "-Hltn").stdout:
                break
            time.sleep(0.05)
        r = h1.run("taskset", "-c", "0", "iperf3", "-c", h2.ip, "-t", str(seconds), "-J",
                   timeout=seconds + 30)
        if r.returncode != 0:
            raise netlab.LabError("iperf3: %s" % (r.stdout[-300:] or r.stderr[-300:]))
        return json.loads(r.stdout)["end"]["sum_received"]["bits_per_second"]
    finally:
        stop(srv, timeout=5)


def via_bridge(nl, seconds):
    # The peers live in the lab's switch namespace: the bridge goes there.
    br, ipn = "%s.br" % nl.tag, ("ip", "-n", nl.netns)
    netlab.sh(*ipn, "link", "add", br, "type", "bridge")
    try:
        for h in nl.hosts.values():
            netlab.sh(*ipn, "link", "set", h.peer, "master", br)
        netlab.sh(*ipn, "link", "set", br, "up")
        return iperf(nl, seconds)
    finally:
        netlab.sh(*ipn, "link", "del", br, check=False)


def via_dataplane(nl, lab, port, seconds):
    dp = nl.start_dataplane(lab, "--no-control", port=port)
    try:
        if dp.port != port:
            return None, "%s cannot start here" % port
        return iperf(nl, seconds), None
    finally:
        stop(dp, signal.SIGTERM, 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    run_args(ap, runs=3, seconds=5.0, warmup=None)
    a = ap.parse_args()
    dataplane_of(ap, a.build)
    why = netlab.available()
    if why:
        print("bench_lab: cannot run: %s" % why)
        return 1
    nl = netlab.NetLab("benchlab")
    nl.add_host("h1", "02:00:00:00:0b:01", ["10.79.0.1/24"])
    nl.add_host("h2", "02:00:00:00:0b:02", ["10.79.0.2/24"])
    lab = cordonlab.Lab(a.build, "benchlab")
    res = {"bridge": [], "af_xdp": [], "af_packet": []}
    skipped = {}
    load0 = os.getloadavg()[0]
    ok = False
    try:
        nl.up()
        for r in range(a.runs):
            res["bridge"].append(via_bridge(nl, a.seconds) / 1e9)
            print("bench_lab: run %d bridge    %6.2f Gbit/s" % (r + 1, res["bridge"][-1]),
                  file=sys.stderr, flush=True)
            for port in ("af_xdp", "af_packet"):
                if port in skipped:
                    continue
                bps, why = via_dataplane(nl, lab, port, a.seconds)
                if bps is None:
                    skipped[port] = why
                    continue
                res[port].append(bps / 1e9)
                print("bench_lab: run %d %-9s %6.2f Gbit/s" % (r + 1, port, res[port][-1]),
                      file=sys.stderr, flush=True)
        ok = True
    finally:
        nl.down()
        bad = lab.stop_all()
        # The dataplane's logs say why a port type was skipped or a run
        # failed: kept then, removed otherwise.
        if ok and not bad and not skipped:
            lab.remove_files()
        else:
            print("bench_lab: %slogs in %s" % ("unclean exit: %s; " % ", ".join(bad) if bad else "",
                                               lab.dir), file=sys.stderr)
    med = {k: statistics.median(v) for k, v in res.items() if v}
    for k in ("bridge", "af_xdp", "af_packet"):
        if k in med:
            print("PATH %-10s %7.2f Gbit/s   %s" % (k, med[k], " ".join("%.2f" % x for x in res[k])))
        else:
            print("PATH %-10s skipped: %s" % (k, skipped.get(k)))
    print("INFO one TCP stream h1 -> h2, %.0f s per run; load average %.2f at start, %.2f at end"
          % (a.seconds, load0, os.getloadavg()[0]))
    for k in ("af_xdp", "af_packet"):
        if k in med:
            print("RATIO %s/bridge %.2f" % (k, med[k] / med["bridge"]))
        else:
            print("RATIO %s/bridge n/a (%s)" % (k, skipped.get(k)))
    if not med.keys() & {"af_xdp", "af_packet"}:
        print("bench_lab: the dataplane ran on neither port type", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
