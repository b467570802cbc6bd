#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Inline fingerprinting agrees with the offline tool.

Real captures from the shared test data (DHCP, TLS, HTTP, DNS, mDNS) are
replayed through cordon-dataplane, one per port, with cordond attached.
For every device, the identity `cordonctl devices --json` reports (vendor,
type, OS, model) must equal what `cordon-fingerprint -r` concludes from the
same captures; the DHCP client must have learned the address its ACK gave
it; and devices that sent traffic must have a behaviour summary.

The inventory is durable: after cordond restarts, before any dataplane has
reported again, `cordonctl devices` and `device MAC` list the same devices
with the same identities from the store. Writes are throttled: far fewer
store transactions than reports. With --device-retention, the devices no
dataplane lists any more are forgotten, all but the one quarantined, and
--event-retention prunes the events.
"""

import json
import os
import signal
import subprocess

from cordonlab import lab_main, timed_until, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "..", "..", "shared", "testdata")
CAPTURES = ["ja4/pcap/dhcp.pcapng", "ja4/pcap/tls-handshake.pcapng",
            "ja4/pcap/http1.pcapng", "ja4/pcap/tls12.pcap"]
ATTRS = ("vendor", "type", "os", "model")


def offline(lab, pcaps):
    """cordon-fingerprint's device verdicts, by MAC."""
    devs = {}
    for p in pcaps:
        out = subprocess.run([lab.bin("fingerprint/cordon-fingerprint"), "-r", p],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            o = json.loads(line)
            if o["kind"] == "device":
                devs[o["mac"]] = {a: (o[a] or {}).get("value") or "" for a in ATTRS}
    return devs


def test(lab):
    pcaps = []
    for c in CAPTURES:
        src = os.path.join(TESTDATA, c)
        assert os.path.exists(src), "missing shared capture %s" % src
        # net_pcap reads pcap; tshark converts pcapng.
        dst = lab.path(os.path.basename(c).split(".")[0] + ".pcap")
        subprocess.run(["tshark", "-r", src, "-F", "pcap", "-w", dst], check=True,
                       stderr=subprocess.DEVNULL)
        pcaps.append(dst)
    want = offline(lab, pcaps)
    assert len(want) >= 4, want

    cordond = lab.start_cordond()
    vdevs = ["net_pcap%d,rx_pcap=%s" % (i, p) for i, p in enumerate(pcaps)]
    vdevs.append("net_null0,no-rx=1")
    dp = lab.start_dataplane(vdevs, "--id", "inv", "--report-interval", "200",
                             "--behaviour-interval", "1")

    def reported():
        rc, out, _ = lab.ctl("--json", "devices")
        if rc != 0:
            return None
        got = {d["mac"]: d for d in json.loads(out)}
        return got if set(want) <= set(got) else None

    wait_until(reported, 60, "not every device reported")

    # The captures are read once: wait until what they teach has been
    # reported (every identity as offline, a behaviour summary for each
    # busy device), bounded; then judge the last report either way.
    def settled():
        got = reported()
        if got is None:
            return None
        busy = [d for d in got.values() if d["flows"] > 0]
        same = all((((got[m].get("identity") or {}).get(a) or "") == want[m][a])
                   for m in want for a in ATTRS)
        return got if same and busy and all(d.get("behaviour") for d in busy) else None
    try:
        t = timed_until(settled, 60, "")
        print("identities and behaviour settled %.1f s after every device showed" % t)
    except AssertionError:
        pass
    got = reported()

    mismatches = 0
    for mac, attrs in sorted(want.items()):
        ident = got[mac].get("identity") or {}
        for a in ATTRS:
            if (ident.get(a) or "") != attrs[a]:
                mismatches += 1
                print("MISMATCH %s %s: inline %r, offline %r" % (
                    mac, a, ident.get(a), attrs[a]))
    identified = sum(1 for m in want if any(want[m].values()))
    print("%d devices, %d with an identity offline; %d attribute mismatches" % (
        len(want), identified, mismatches))
    assert mismatches == 0

    dhcp_client = got["00:0b:82:01:fc:42"]
    assert "192.168.0.10" in dhcp_client.get("addresses", []), dhcp_client
    assert (dhcp_client.get("identity") or {}).get("dhcp_params") == "1,3,6,42"
    busy = [d for d in got.values() if d["flows"] > 0]
    with_behaviour = [d for d in busy if d.get("behaviour")]
    print("%d devices started flows, %d have a behaviour summary" % (
        len(busy), len(with_behaviour)))
    assert busy and len(with_behaviour) == len(busy)
    b = max(with_behaviour, key=lambda d: d["flows"])["behaviour"]
    assert b["interval_ms"] == 1000, b

    # Throttled writes: one transaction per report at most, and only
    # for reports that changed something. The captures are over, so
    # ten more reports change nothing and write nothing (however long
    # the machine took to get here).
    def counters():
        return {k: int(v) for k, v in lab.ctl_json("status")["counters"].items()}

    def reports_after(c, n):
        return wait_until(lambda: (lambda x: x if x["dp_reports"] >= c["dp_reports"] + n
                                   else None)(counters()), 60, "no %d more reports" % n)
    # Three reports for the last of the captures to reach the store.
    c0 = reports_after(counters(), 3)
    c1 = reports_after(c0, 10)
    for c in (c0, c1):
        print("%d reports, %d inventory transactions, %d rows written" % (
            c["dp_reports"], c.get("inventory_transactions", 0),
            c.get("inventory_rows_written", 0)))
    assert 1 <= c0["inventory_transactions"] <= c0["dp_reports"], c0
    assert c1["inventory_transactions"] == c0["inventory_transactions"], (c0, c1)
    assert c1["inventory_rows_written"] == c0["inventory_rows_written"], (c0, c1)

    # Restart cordond with no dataplane: the inventory comes from the store.
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0
    cordond = lab.start_cordond()
    rc, out, _ = lab.ctl("--json", "devices")
    assert rc == 0
    stored = {d["mac"]: d for d in json.loads(out)}
    assert set(want) <= set(stored), (sorted(want), sorted(stored))
    for mac, attrs in want.items():
        ident = stored[mac].get("identity") or {}
        for a in ATTRS:
            assert (ident.get(a) or "") == attrs[a], (mac, a, ident, attrs)
        assert stored[mac]["dataplane_id"] == "inv"
        assert int(stored[mac]["last_seen_ms"]) >= int(stored[mac]["first_seen_ms"]) > 0
    assert "192.168.0.10" in stored["00:0b:82:01:fc:42"].get("addresses", [])
    rc, out, _ = lab.ctl("devices")
    assert rc == 0 and "stored" in out.splitlines()[0], out
    assert "00:0b:82:01:fc:42" in out
    rc, out, _ = lab.ctl("device", "00:0b:82:01:fc:42")
    assert rc == 0 and "192.168.0.10" in out, out
    rc, out, _ = lab.ctl("stats")
    assert rc == 0 and "no stats yet" in out, out
    print("after a restart: %d devices from the store" % len(stored))

    # Retention: cordond once more, forgetting devices no dataplane has
    # listed for 2 s and events older than 2 s. The one quarantined stays.
    held = sorted(stored)[0]
    rc, out, err = lab.ctl("quarantine", held, "--reason", "kept")
    assert rc == 0, err
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0
    lab.start_cordond("--device-retention", "2s", "--inventory-refresh", "1",
                      "--event-retention", "2s")

    def pruned():
        c = {k: int(v) for k, v in lab.ctl_json("status")["counters"].items()}
        return c if (c["store_devices_pruned"] == len(stored) - 1 and
                     c["store_events_pruned"] > 0) else None
    c = wait_until(pruned, 60, "the stored devices were not forgotten")
    left = lab.ctl_json("devices")
    assert [d["mac"] for d in left] == [held], left
    kinds = [e["kind"] for e in lab.events("--all")]
    assert "dataplane_connect" not in kinds, kinds
    print("retention: %d devices forgotten, %s kept (quarantined); %d events pruned" % (
        c["store_devices_pruned"], held, c["store_events_pruned"]))


if __name__ == "__main__":
    lab_main("inv", test)
