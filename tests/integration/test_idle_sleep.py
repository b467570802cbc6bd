#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""--idle-sleep: a worker with nothing to do gives its core back, and
loses nothing when packets come.

A dataplane with --idle-sleep 1000 bridges a capture of K packets from
net_pcap0 to net_pcap1: all K come out, in the output capture and in the
counters. Then its queues stay empty: telemetry shows the worker sleeping
(idle_sleeps and idle_sleep_us grow), and the worker thread's CPU time
over the idle window is a small part of the window. The same dataplane
without the option busy-polls (its share is printed, not asserted: on a
loaded machine it gets what it gets). The final counters add up.

The harness runs every other test's dataplane with --idle-sleep too
(cordonlab.IDLE_SLEEP_US), so that the integration tests can share the
machine's cores; this one checks the option itself.
"""

import os
import signal
import time

from cordonlab import gen_pcap, lab_main, pcap_count, telemetry, wait_until

K = 10000
WINDOW_S = 2.0


def worker_cpu_s(pid):
    """CPU seconds of the dataplane's worker lcore thread (rte-worker-N)."""
    tick = os.sysconf("SC_CLK_TCK")
    for tid in os.listdir("/proc/%d/task" % pid):
        try:        # threads come and go (the EAL's, the agent's)
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                if not f.read().startswith("rte-worker-"):
                    continue
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        return (int(fields[11]) + int(fields[12])) / tick
    raise AssertionError("no rte-worker thread in dataplane %d" % pid)


def worker(prefix):
    """Worker 0's counters; {} while the dataplane is still starting."""
    return telemetry(prefix, "/cordon/worker,0").get("/cordon/worker") or {}


def idle_share(dp):
    c0, t0 = worker_cpu_s(dp.pid), time.monotonic()
    time.sleep(WINDOW_S)
    return (worker_cpu_s(dp.pid) - c0) / (time.monotonic() - t0)


def run(lab, name, idle_us):
    src, out = lab.path("in.pcap"), lab.path("out-%s.pcap" % name)
    if not os.path.exists(src):
        gen_pcap(src, "--mix", "flows", "-n", str(K), "--flows", "500", "--devices", "50")
    prefix = "cordon-idle-%s-%d" % (name, os.getpid())
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s" % src, "net_pcap1,tx_pcap=%s" % out],
                             "--no-control", "--idle-sleep", str(idle_us), prefix=prefix,
                             log_name="dataplane-%s.log" % name)
    wait_until(lambda: os.path.exists("/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix)
               and worker(prefix).get("tx_packets") == K, 60,
               "%s: the worker never sent %d packets" % (name, K))
    w0 = worker(prefix)
    share = idle_share(dp)
    w1 = worker(prefix)
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(30) == 0, "%s: dataplane exit status %s" % (name, dp.returncode)
    lab.procs.remove(dp)
    with open(dp.log_path) as f:
        log = f.read()
    assert "cordon-dataplane: total rx %d tx %d drops 0" % (K, K) in log, log[-2000:]
    assert pcap_count(out) == K, "%s: output capture has %d packets" % (name, pcap_count(out))
    return share, w0, w1


def test(lab):
    share, w0, w1 = run(lab, "sleeps", 1000)
    slept = w1["idle_sleeps"] - w0["idle_sleeps"]
    slept_us = w1["idle_sleep_us"] - w0["idle_sleep_us"]
    print("--idle-sleep 1000: the worker took %.1f %% of a core idle; %d sleeps, %.2f s slept "
          "in %.1f s" % (100 * share, slept, slept_us / 1e6, WINDOW_S))
    assert slept > 0 and slept_us > 0, "the idle worker never slept: %s" % w1
    # Up to 1 ms a sleep: at most some thousands of wakeups a second; and
    # no more time slept than passed.
    assert slept_us / slept > 100, "sleeps of %.1f us on average" % (slept_us / slept)
    assert slept_us < 1e6 * (WINDOW_S + 2), "slept %d us in %.1f s" % (slept_us, WINDOW_S)
    # Generous: a broken back-off spins the whole window (1.0); the
    # machine's load only lowers the share.
    assert share < 0.25, "the idle worker took %.0f %% of a core" % (100 * share)

    share, w0, w1 = run(lab, "polls", 0)
    print("--idle-sleep 0: the worker took %.1f %% of a core idle (busy-polling)" % (100 * share))
    assert w1["idle_sleeps"] == 0 and w1["idle_sleep_us"] == 0, w1
    assert w1["polls"] > w0["polls"], "the busy worker stopped polling: %s" % w1


if __name__ == "__main__":
    lab_main("idle", test)
