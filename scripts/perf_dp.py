#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Cycles per packet of the dataplane's worker, by stage.

The worker replays bench_peers' capture (scripts/peers_mix.py: 10,000
packets over some 10,000 flows, the 1,000-device policy, half denied) from
net_pcap into net_null, as bench_peers.sh runs it (fingerprinting and
inline detection on). After --warmup seconds, `perf record -e cpu-clock`
samples the worker's thread for --seconds while the port's counter gives
the rate over the same window. Each sample is put in a stage by its
function and, inside the worker's inlined code, by its source file:

  RX (net_pcap)        the PMD: mbuf allocation, the copy of a stored frame
  parse                pkt_parse.h
  key and hash         flow_hash.h, util_hash.h
  flow table           flow_table.c/.h (look-up, hints, update)
  detection            dp_detect*, det_* (inline test and slow path)
  frees of the drops   worker_free_bulk, rte_mempool.h, rte_mbuf.h
  TX (net_null)        the PMD: its frees of the sent mbufs
  the worker's rest    worker.c and everything else of ours (counters,
                       L2 decision, dispatch, the loop)
  kernel               timer ticks, perf's own sampling interrupts

and a stage's cycles per packet are its share of the samples times the
clock's cycles per packet (/proc/cpuinfo's MHz over the rate). The
sampling itself slows the worker (by some 10 % at perf's default 4 kHz,
though its interrupts take none of the samples): the rate is measured
first without it over a window as long, and the cycles are of that rate.
Timings drift with the machine's load: the shares are the finding, the
absolute figures a run's. The hardware counters (`perf stat`) are not
available in these guests; instructions per packet come from
scripts/callgrind_dp.sh.

Build DIR needs debug info to split the worker's inlined stages, e.g.
  meson setup build-prof --buildtype=release -Ddebug=true
Without it the worker's code is one stage.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers_mix  # noqa: E402
from bench import arg_number, dataplane_of, stop, telemetry, wait_telemetry  # noqa: E402
from bench_peers import cordon_argv, cordon_detects, cordon_policy, replay_vdevs  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
STAGES = ("RX (net_pcap)", "parse", "key and hash", "flow table", "detection",
          "frees of the drops", "TX (net_null)", "the worker's rest", "kernel")


def stage_of(dso, sym, src):
    """The stage of one sample: its object, function and source file."""
    if "net_pcap" in dso:
        return "RX (net_pcap)"
    if "net_null" in dso:
        return "TX (net_null)"
    if dso.startswith("[kernel"):
        return "kernel"
    f = os.path.basename(src.split(":")[0])
    if f == "pkt_parse.h":
        return "parse"
    if f in ("flow_hash.h", "util_hash.h"):
        return "key and hash"
    if sym.startswith("flow_") or f.startswith("flow_table"):
        return "flow table"
    if sym.startswith(("dp_detect", "det_")) or f.startswith(("dp_detect", "det_")):
        return "detection"
    if sym == "worker_free_bulk" or f in ("rte_mempool.h", "rte_mbuf.h"):
        return "frees of the drops"
    return "the worker's rest"


def cpu_mhz():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("cpu MHz"):
                return float(line.split(":")[1])
    return None


def worker_tid(pid):
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
            if f.read().strip() == "rte-worker-1":
                return int(t)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-prof"))
    ap.add_argument("--seconds", type=arg_number(float, 0, True), default=10.0,
                    help="sampling window, default 10")
    ap.add_argument("--warmup", type=arg_number(float, 0, False), default=5.0,
                    help="seconds of forwarding before it, default 5")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (perf.data)")
    a = ap.parse_args()
    binary = dataplane_of(ap, a.build)
    if shutil.which("perf") is None:
        print("perf_dp: needs perf (Debian package linux-perf)", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="cordon-perf-")
    peers_mix.write(work)
    prefix = "cordon-perf-%d" % os.getpid()
    cmd = cordon_argv(binary, prefix, replay_vdevs(os.path.join(work, "mix.pcap")),
                      cordon_policy(work), cordon_detects(binary))
    data = work + "/perf.data"
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(work + "/dp.log", "w"))
    try:
        wait_telemetry(prefix, p)
        time.sleep(a.warmup)
        tid = worker_tid(p.pid)
        if tid is None:
            raise RuntimeError("no rte-worker-1 thread in the dataplane")
        rx0, t0 = telemetry(prefix, "/ethdev/stats,0")["ipackets"], time.monotonic()
        time.sleep(a.seconds)
        rx1, t1 = telemetry(prefix, "/ethdev/stats,0")["ipackets"], time.monotonic()
        bare = (rx1 - rx0) / (t1 - t0)
        rx0, t0 = telemetry(prefix, "/ethdev/stats,0")["ipackets"], time.monotonic()
        r = subprocess.run(["perf", "record", "-e", "cpu-clock", "-t", str(tid), "-o", data,
                            "--", "sleep", str(a.seconds)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        rx1, t1 = telemetry(prefix, "/ethdev/stats,0")["ipackets"], time.monotonic()
        if r.returncode != 0:
            raise RuntimeError("perf record: %s" % r.stderr.strip()[-300:])
    finally:
        stop(p)
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    pps = (rx1 - rx0) / (t1 - t0)
    rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio",
                          "--sort", "dso,sym,srcline", "-F", "sample,dso,sym,srcline",
                          "--percent-limit", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    samples = collections.Counter()
    row = re.compile(r"^\s*(\d+)\s+(\S+)\s+\[[.k]\]\s+(\S+)\s+(\S+)")
    for line in rep.splitlines():
        m = row.match(line)
        if m:
            n, dso, sym, src = int(m.group(1)), m.group(2), m.group(3), m.group(4)
            samples[stage_of(dso, sym, src)] += n
    total = sum(samples.values())
    if total == 0 or pps <= 0:
        print("perf_dp: no samples or no packets (perf report said %d lines)" %
              len(rep.splitlines()), file=sys.stderr)
        return 1
    mhz = cpu_mhz()
    cyc = mhz * 1e6 / bare if mhz and bare > 0 else None
    print("perf_dp: %.2f Mpps (%.2f while sampled, %d samples of the worker); %s" % (
              bare / 1e6, pps / 1e6, total,
              "%.0f cycles a packet at %.0f MHz" % (cyc, mhz) if cyc else "no clock rate"))
    print("%-20s %7s %9s" % ("stage", "share", "cycles"))
    for s in STAGES:
        share = samples[s] / total
        print("%-20s %6.1f%% %9s" % (s, 100 * share, "%.1f" % (share * cyc) if cyc else "-"))
    if a.keep:
        print("perf_dp: work folder %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
