#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""`cordonctl flows`: live flows, from the workers' tables, through cordond.

A capture written here, replayed once through a real cordon-dataplane with a
gen_policy.py policy and a real cordond. Devices 0-2 each open one allowed
TCP connection to their service (handshake, data both ways; device 2 on
VLAN 7) and try one port the policy does not allow (two SYNs). Then:
  - `flows --json` lists exactly those 6 flows, with initiator/responder,
    devices, state, verdict (rule or default), packets and bytes each way;
  - --device filters, --limit truncates (and says so);
  - an unknown device or dataplane is an error (exit 1), bad arguments are
    usage errors (exit 2);
  - a dataplane that does not answer (SIGSTOP) gets an error within ~2 s,
    and flows works again once it is back.
"""

import json
import os
import signal
import sys
import time

from cordonlab import gen_policy, lab_main, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import pcapgen  # noqa: E402

GW_MAC = "02:ff:00:00:00:01"
GW_IP = bytes([10, 0, 0, 1])


def dev_mac(i):
    return "02:00:00:00:00:%02x" % i


def build_capture(path):
    """Write the capture; return the expected flows keyed by (src, sport)."""
    gw = bytes.fromhex(GW_MAC.replace(":", ""))
    want = {}
    with open(path, "wb") as f:
        w = pcapgen.Writer(f)

        def send(src_mac, dst_mac, src, dst, sport, dport, flags, data=b"", vlan=None):
            seg = pcapgen.tcp(src, dst, sport, dport, flags, data=data)
            fr = pcapgen.eth(dst_mac, src_mac, 0x0800, vlan) + pcapgen.ipv4(src, dst, 6, seg)
            fr += bytes(max(0, 60 - len(fr)))
            w.add(fr)
            return len(fr)

        for d in range(3):
            m = bytes.fromhex(dev_mac(d).replace(":", ""))
            cli = bytes([10, 100, 0, d])
            srv = bytes([10, 200, 0, d])
            vlan = 7 if d == 2 else None
            sp, dp = 40000 + d, 1000 + d
            f = {"src": "10.100.0.%d" % d, "dst": "10.200.0.%d" % d, "sport": sp, "dport": dp,
                 "mac": dev_mac(d), "vlan": vlan or 0, "allow": True, "rule": 3 + d,
                 "pout": 0, "bout": 0, "pin": 0, "bin": 0, "state": "established"}
            # Handshake, d + 1 data segments out, one back.
            f["bout"] += send(m, gw, cli, srv, sp, dp, 0x02, vlan=vlan)
            f["bin"] += send(gw, m, srv, cli, dp, sp, 0x12, vlan=vlan)
            f["bout"] += send(m, gw, cli, srv, sp, dp, 0x10, vlan=vlan)
            for k in range(d + 1):
                f["bout"] += send(m, gw, cli, srv, sp, dp, 0x18, b"x" * (100 + k), vlan=vlan)
            f["bin"] += send(gw, m, srv, cli, dp, sp, 0x18, b"y" * 300, vlan=vlan)
            f["pout"], f["pin"] = d + 3, 2
            want[(f["src"], sp)] = f
            # A port it has no rule for: the segment default denies it.
            sp2, dp2 = 41000 + d, 1001 + d
            g = {"src": "10.100.0.%d" % d, "dst": "10.200.0.%d" % d, "sport": sp2,
                 "dport": dp2, "mac": dev_mac(d), "vlan": vlan or 0, "allow": False,
                 "rule": 0, "pout": 2, "bout": 0, "pin": 0, "bin": 0, "state": "syn_sent"}
            for _ in range(2):
                g["bout"] += send(m, gw, cli, srv, sp2, dp2, 0x02, vlan=vlan)
            want[(g["src"], sp2)] = g
    return want


def check_flow(got, f):
    where = "%s:%d" % (f["src"], f["sport"])
    checks = {
        "family": 4, "ip_proto": 6, "src_addr": f["src"], "dst_addr": f["dst"],
        "src_port": f["sport"], "dst_port": f["dport"], "vlan": f["vlan"],
        "src_mac": f["mac"], "dst_mac": GW_MAC, "state": f["state"],
        "action": "ACTION_ALLOW" if f["allow"] else "ACTION_DENY",
        "rule_id": f["rule"], "default_action": not f["allow"],
        "packets_out": f["pout"], "bytes_out": f["bout"],
        "packets_in": f["pin"], "bytes_in": f["bin"], "stale": False, "midstream": False,
    }
    for k, v in checks.items():
        assert got.get(k) == v, "%s: %s is %r, want %r" % (where, k, got.get(k), v)
    assert 0 <= got["idle_ms"] <= got["age_ms"] < 600000, got


def test(lab):
    cap = lab.path("flows.pcap")
    want = build_capture(cap)
    pol = gen_policy(lab.path("pol.bin"), "--devices", "3")

    lab.start_cordond()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s" % cap, "net_null0,no-rx=1"],
                             # The default burst: a flow's first packet and
                             # its reply arrive in one burst, and the entry
                             # must stay the initiator's.
                             "--id", "fl0", "--policy", pol, "--report-interval", "200")
    wait_until(lambda: (lab.ctl_json("status")["dataplanes"] or [{}])[0].get("connected"),
               60, "dataplane never registered")

    def listed():
        rc, out, _ = lab.ctl("--json", "flows")
        if rc != 0:
            return None
        j = json.loads(out)
        return j if j.get("matched") == len(want) else None

    j = wait_until(listed, 60, "the flows never all showed up")
    assert j["dataplane_id"] == "fl0", j
    assert j.get("truncated", False) is False and j["active"] == len(want), j
    got = {(f["src_addr"], f["src_port"]): f for f in j["flows"]}
    assert set(got) == set(want), (sorted(got), sorted(want))
    for k, f in want.items():
        try:
            check_flow(got[k], f)
        except AssertionError:
            for x in got.values():
                print(x)
            raise
    print("flows --json: %d flows, every field as sent" % len(got))

    # Filters and limits.
    j = lab.ctl_json("flows", "--device", dev_mac(1))
    assert j["matched"] == 2 and len(j["flows"]) == 2, j
    assert all(f["src_mac"] == dev_mac(1) for f in j["flows"]), j
    j = lab.ctl_json("flows", "--device", GW_MAC.upper(), "--dataplane", "fl0")
    assert j["matched"] == 6 and len(j["flows"]) == 6, j
    j = lab.ctl_json("flows", "--limit", "2")
    assert j["matched"] == 6 and len(j["flows"]) == 2 and j["truncated"] is True, j
    rc, out, err = lab.ctl("flows", "--device", dev_mac(2))
    assert rc == 0 and out.startswith("2 flows of the device on fl0"), (rc, out, err)
    assert "10.100.0.2:40002" in out and "allow rule 5" in out, out
    assert "deny default" in out, out
    rows = [l.split() for l in out.splitlines()[3:]]
    assert [r[3] for r in rows] == ["7", "7"], out   # VLAN column
    print("--device and --limit filter; the table reads:\n" + out)

    # Errors.
    for args, code, text in [
            (["--device", "02:de:ad:00:00:01"], 1, "not seen that device"),
            (["--dataplane", "nope"], 1, "no dataplane 'nope'"),
            (["--limit", "0"], 2, "--limit"),
            (["--limit", "x"], 2, "--limit"),
            (["--device", "zz:zz"], 2, "is not a MAC"),
            (["--device"], 2, "needs a value"),
            (["--bogus"], 2, "unknown option"),
            (["extra"], 2, "unexpected argument")]:
        rc, out, err = lab.ctl("flows", *args)
        assert rc == code and text in err, (args, rc, out, err)
    rc, out, _ = lab.ctl("flows", "--help")
    assert rc == 0 and "--device MAC" in out, out
    print("unknown device/dataplane: exit 1; bad arguments: exit 2")

    # A dataplane that does not answer.
    dp.send_signal(signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        rc, out, err = lab.ctl("flows", timeout=60)
        took = time.monotonic() - t0
    finally:
        dp.send_signal(signal.SIGCONT)
    assert rc == 1 and "did not answer" in err, (rc, out, err)
    # cordond gives a dataplane 2 s: it must not give up sooner. How
    # much later it answers is the machine's business (printed).
    assert took >= 1.9, "gave up after %.2f s, before the 2 s" % took
    print("stopped dataplane: exit 1 after %.1f s: %s" % (took, err.strip()))
    wait_until(listed, 60, "flows did not work again after SIGCONT")
    st = lab.ctl_json("status")
    assert st["counters"]["flows_timeouts"] == 1, st["counters"]


if __name__ == "__main__":
    lab_main("flows", test)
