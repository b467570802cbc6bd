#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Policy swaps under load, through cordond like an operator would.

Traffic from 1,000 devices, each only to its own service port, replays
without end. Policy A allows every device; policy B allows devices 0-499
only. cordonctl pushes B, A, B, ... 100 times (40 under the sanitizers),
each time waiting until the dataplane has it in force. Then:
  - devices 0-499 (allowed by both) lost 0 packets: 0 denied;
  - devices 500-999 were stopped by B (lazy re-check of existing flows)
    and let through by A;
  - after the dataplane stops, rx = tx + drops exactly, and every drop is
    a policy drop.
"""

import json
import os
import signal
import time

from cordonlab import (figure, final_counters, gen_pcap, gen_policy, lab_main, telemetry,
                       timed_until, wait_until)

SWAPS = 100
SWAPS_SANITIZED = 40            # each costs ~3x under ASan; 100 in the plain pass


def dev_mac(i):
    return "02:00:00:%02x:%02x:%02x" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)


def device(prefix, i):
    d = telemetry(prefix, "/cordon/device," + dev_mac(i))["/cordon/device"]
    return d or None


def in_force(lab, version):
    st = lab.ctl_json("status")
    return st["dataplanes"] and st["dataplanes"][0]["policy_version"] == version


def test(lab):
    pcap = lab.path("traffic.pcap")
    gen_pcap(pcap, "--mix", "policy", "--devices", "1000", "--all-allowed", "-n", "8000")
    pol_a = gen_policy(lab.path("a.bin"), "--devices", "1000")
    pol_b = gen_policy(lab.path("b.bin"), "--devices", "1000", "--rules", "502")

    lab.start_cordond()
    prefix = "cordon-swap-%d" % os.getpid()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                              "net_null0,no-rx=1"], "--id", "swap", "--mbufs", "16384",
                             prefix=prefix)
    wait_until(lambda: (lab.ctl_json("status")["dataplanes"] or [{}])[0].get("connected"),
               30, "dataplane never registered")

    swaps = SWAPS_SANITIZED if lab.sanitized else SWAPS
    times = []
    for n in range(swaps):
        pol = pol_b if n % 2 == 0 else pol_a
        t0 = time.monotonic()
        rc, out, err = lab.ctl("--json", "policy", "push", pol)
        assert rc == 0, "push %d failed: %s" % (n, err)
        version = json.loads(out)["policy_version"]
        times.append(timed_until(lambda: in_force(lab, version), 30,
                                 "policy %d never in force" % version, 0.002, since=t0))
    times.sort()
    print("%d swaps; push to in force: median %.1f ms, max %.1f ms" % (
        swaps, 1000 * times[len(times) // 2], 1000 * times[-1]))
    figure("swap_latency", times, "push to in force, each swap")
    pol_info = telemetry(prefix, "/cordon/policy")["/cordon/policy"]
    assert pol_info["swaps"] >= swaps, pol_info
    assert pol_info["rejected"] == 0, pol_info

    # Let the last policy (A) run a moment, then look at the devices.
    time.sleep(0.5)
    allowed_kept, stopped = 0, 0
    for i in range(0, 500, 7):
        d = device(prefix, i)
        assert d is not None, "device %d unknown" % i
        assert d["denied_packets"] == 0, "device %d (allowed by both) lost %d packets" % (
            i, d["denied_packets"])
        allowed_kept += d["allowed_packets"]
    for i in range(500, 1000, 7):
        d = device(prefix, i)
        assert d is not None, "device %d unknown" % i
        assert d["denied_packets"] > 0, "device %d was never stopped by B" % i
        assert d["allowed_packets"] > 0, "device %d never passed under A" % i
        stopped += d["denied_packets"]
    print("devices 0-499: %d packets allowed, 0 denied; devices 500-999: %d denied by B" % (
        allowed_kept, stopped))

    stats = telemetry(prefix, "/cordon/stats")["/cordon/stats"]
    assert stats["reclassified"] > 0, "no flow was re-checked after a swap"
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    rx, tx, drops = final_counters(dp.log_path)
    print("final: rx %d = tx %d + drops %d: %s" % (rx, tx, drops, rx == tx + drops))
    assert rx == tx + drops, "accounting: rx %d != tx %d + drops %d" % (rx, tx, drops)
    with open(dp.log_path) as f:
        log = f.read()
    reasons = {l.split()[0]: int(l.split()[1]) for l in log.splitlines()
               if l.startswith("  ") and len(l.split()) == 2}
    assert set(reasons) <= {"policy_default_deny", "policy_rule_deny"}, reasons
    assert sum(reasons.values()) == drops, (reasons, drops)


if __name__ == "__main__":
    lab_main("swap", test)
