#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Devices unheard for --device-retire give their place in the table back.

A site whose phones take a new MAC every day meets far more MACs than it
has devices. Two real dataplanes in a namespace lab (af_packet), each with
a small device table, and made-up devices from a host's raw socket, in two
waves of new MACs that together do not fit:

  1. --device-retire 3s: the first wave is forgotten once it falls silent
     (gone from /cordon/devices, counted in devices_retired, what it
     sent kept in the retired_* sums, so that the devices' counters still
     add up), and the second wave then takes the freed indices
     (devices_reused) with none turned away (devices_full 0) and counters
     of its own, from zero.
  2. --device-retire 1h, --mac-ageing 2: the first wave fills the table
     past 7/8, so those unheard for the ageing time go, and the second
     wave fits again.

Each dataplane's counters add up when it stops. Without retiring, each
second wave would find the table full. Exit 77 (skip) without root or
network namespaces.
"""

import signal

import netlab
from cordonlab import final_counters, lab_main, telemetry, wait_until

H2_MAC = "02:00:00:00:0e:02"
WAVE = 15


def macs(first, count):
    return {"02:5e:00:00:%02x:%02x" % (n >> 8, n & 255) for n in range(first, first + count)}


def listed(dp):
    return set(telemetry(dp.file_prefix, "/cordon/devices")["/cordon/devices"])


def stats(dp):
    return telemetry(dp.file_prefix, "/cordon/stats")["/cordon/stats"]


# A device's counters, and the retired devices' sums of them.
COUNTS = ("allowed_packets", "allowed_bytes", "denied_packets", "denied_bytes",
          "received_packets", "received_bytes", "flows")


def counted(dp):
    """Every per-device count: the listed devices' and the retired's, and
    the listed devices' own. Read until two reads agree, and only while
    neither the list nor the retired's sums move (a scan may retire some
    devices while the list is read): (totals, {mac: counters})."""
    def retired():
        st = stats(dp)
        return {k: st["retired_" + k] for k in COUNTS}

    def read():
        before, gone = listed(dp), retired()
        devs = {m: telemetry(dp.file_prefix, "/cordon/device,%s" % m)["/cordon/device"]
                for m in before}
        if listed(dp) != before or retired() != gone or \
                not all("flows" in d for d in devs.values()):
            return None
        return {k: gone[k] + sum(d[k] for d in devs.values()) for k in COUNTS}, devs
    last = [None]

    def same():
        now = read()
        ok = now is not None and now == last[0]
        last[0] = now
        return ok
    wait_until(same, 30, "the devices' counters did not hold still", interval=0.2)
    return last[0]


def wave(h1, first, count=WAVE):
    """count new devices, one frame each, again until all are listed (the
    first frames may come before af_packet's socket reads). Returns the
    MACs and how many frames each sent."""
    want, sends = macs(first, count), [0]

    def seen():
        if sends[0] and want <= listed(dp_now[0]):
            return True
        assert h1.client("macs", "10.9.0.2", H2_MAC, first, count, timeout=10), \
            h1.last.stderr
        sends[0] += 1
        return False
    wait_until(seen, 60, "the wave from %d was not all learned" % first, interval=0.5)
    return want, sends[0]


dp_now = [None]


def stop(dp):
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(30) == 0, "dataplane exit %s" % dp.returncode
    rx, tx, drops = final_counters(dp.log_path)
    assert rx == tx + drops, "rx %d != tx %d + drops %d" % (rx, tx, drops)
    with open(dp.log_path) as f:
        lines = [x.strip() for x in f if x.startswith("cordon-dataplane: device ")]
    assert len(lines) >= 2, "no device table lines"
    print("\n".join(lines[-2:]))
    # "device indices N = listed L + retiring R + free F; retired T = reused U + free F"
    w = lines[-1].replace(";", "").split()
    n, live, retiring, free = int(w[3]), int(w[6]), int(w[9]), int(w[12])
    retired, reused, free2 = int(w[14]), int(w[17]), int(w[20])
    assert n == live + retiring + free and retired == reused + free2 and free == free2, lines[-1]
    assert retiring == 0 and live > 0, lines[-1]


def check_idle(nl, lab, h1):
    dp = nl.start_dataplane(lab, "--no-control", "--devices", "24", "--flows", "1024",
                            "--device-retire", "3s", port="af_packet", prefix="cordon-dr-idle")
    dp_now[0] = dp
    first, _ = wave(h1, 1)
    total0, devs = counted(dp)
    print("wave 1 learned: %d devices listed; counted %s" % (len(listed(dp)), total0))
    # Silent now: forgotten, counted.
    wait_until(lambda: not (first & listed(dp)) and stats(dp)["devices_retired"] >= WAVE,
               120, "the silent wave was not retired: %s" % sorted(first & listed(dp)),
               interval=0.5)
    st = stats(dp)
    print("wave 1 retired: devices_retired %d, devices %d" % (st["devices_retired"],
                                                                    st["devices"]))
    # Nothing it counted is lost: what the wave had sent is in the
    # retired's sums, and the devices listed and those add up to at least
    # what they did before (the lab's hosts may have sent since).
    total1, _ = counted(dp)
    print("wave 1 retired: counted %s" % total1)
    for k in COUNTS:
        assert total1[k] >= total0[k], "%s: %d counted before the wave retired, %d after" % (
            k, total0[k], total1[k])
        gone = sum(d[k] for m, d in devs.items() if m in first)
        assert st["retired_" + k] >= gone, "retired_%s %d < the wave's %d" % (
            k, st["retired_" + k], gone)
    assert st["retired_allowed_packets"] >= WAVE, st
    second, sends = wave(h1, 101)
    st = stats(dp)
    print("wave 2: devices %d, reused %d, full %d" % (st["devices"],
                                                            st["devices_reused"],
                                                            st["devices_full"]))
    assert st["devices_full"] == 0, "new devices turned away: %d" % st["devices_full"]
    assert st["devices_reused"] >= WAVE, st
    assert not (first & listed(dp)), "a retired device is listed again"
    # A reused index starts from zero: each new device sent what it sent,
    # not what the one before it on that index did.
    for mac in sorted(second)[:5]:
        d = telemetry(dp.file_prefix, "/cordon/device,%s" % mac)["/cordon/device"]
        assert 1 <= d["allowed_packets"] <= sends, (d, sends)
    stop(dp)


def check_pressure(nl, lab, h1):
    dp = nl.start_dataplane(lab, "--no-control", "--devices", "16", "--flows", "1024",
                            "--device-retire", "1h", "--mac-ageing", "2", port="af_packet",
                            prefix="cordon-dr-full")
    dp_now[0] = dp
    # 14 of 16 is 7/8: those unheard for the ageing time go.
    first, _ = wave(h1, 201, 14)
    wait_until(lambda: not (first & listed(dp)) and stats(dp)["devices_retired"] >= 14, 120,
               "a table 7/8 full kept its silent devices", interval=0.5)
    st = stats(dp)
    print("table 7/8 full: devices_retired %d, devices %d" % (st["devices_retired"],
                                                                    st["devices"]))
    wave(h1, 301, 14)
    st = stats(dp)
    print("second wave: devices %d, reused %d, full %d" % (st["devices"],
                                                                 st["devices_reused"],
                                                                 st["devices_full"]))
    assert st["devices_full"] == 0, "new devices turned away: %d" % st["devices_full"]
    assert st["devices_reused"] >= 14, st
    stop(dp)


def test(lab):
    netlab.require()
    nl = netlab.NetLab("retire")
    h1 = nl.add_host("h1", "02:00:00:00:0e:01", ["10.9.0.1/24"])
    nl.add_host("h2", H2_MAC, ["10.9.0.2/24"])
    with nl:
        check_idle(nl, lab, h1)
        check_pressure(nl, lab, h1)


if __name__ == "__main__":
    lab_main("retire", test)
