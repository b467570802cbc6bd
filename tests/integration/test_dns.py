#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""dns_name rules through the real worker: DNS snooping on the wire.

Two net_pcap ports, one worker, --burst 1: port 0 replays device A and B
(scripts/pcapgen.py --mix dns), port 1 the gateway; the worker takes one
packet from each in turn, so the order across the ports is fixed. The
policy lets everyone use DNS and segment 1 reach api.example.com:443 only.

  - A's SYN to 93.184.216.34 before any answer: denied;
  - the gateway's answer (api.example.com CNAME edge.example-cdn.net,
    A 93.184.216.34) passes and is snooped before it is sent on;
  - the same SYN again (the flow the dataplane denied): now allowed, so
    denied flows are re-checked when a name is learned; a new flow too;
  - B, which never received the answer: denied; A to another address:
    denied.
Checked in /cordon/dns, the per-device counters, the final totals and the
frames that came out of port 1.
"""

import os
import signal
import subprocess

from cordonlab import final_counters, gen_pcap, lab_main, pcap_count, telemetry, wait_until

POLICY = r"""
version: 1
segments { id: 1 name: "lan" default_action: ACTION_DENY l2_action: ACTION_ALLOW }
default_segment: 1
quarantine_segment: 1
local_networks { addr: "\300\250\000\000" prefix_len: 16 }
devices { mac: "\002\000\000\000\000\012" segment: 1 name: "a" }
devices { mac: "\002\000\000\000\000\013" segment: 1 name: "b" }
rules { id: 1 priority: 1 src { any: true } dst { any: true } ip_proto: 17
        dst_ports { lo: 53 hi: 53 } action: ACTION_ALLOW }
rules { id: 2 priority: 2 src { segment: 1 } dst { dns_name: "api.example.com" }
        ip_proto: 6 dst_ports { lo: 443 hi: 443 } action: ACTION_ALLOW }
"""


def encode_policy(lab):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..", "..")
    out = lab.path("dns.bin")
    with open(out, "wb") as fo:
        subprocess.run(["protoc", "--encode=cordon.Policy", "--proto_path=" + root + "/proto",
                        root + "/proto/cordon.proto"], input=POLICY.encode(), stdout=fo,
                       check=True)
    return out


def test(lab):
    dev, gw = lab.path("dev.pcap"), lab.path("gw.pcap")
    gen_pcap(dev, "--mix", "dns", "--gateway-out", gw)
    n_dev, n_gw = pcap_count(dev), pcap_count(gw)
    pol = encode_policy(lab)
    out0, out1 = lab.path("out0.pcap"), lab.path("out1.pcap")
    prefix = "cordon-dns-%d" % os.getpid()
    dp = lab.start_dataplane(["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (dev, out0),
                              "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (gw, out1)],
                             "--no-control", "--no-fingerprint", "--burst", "1",
                             "--policy", pol, prefix=prefix)

    def stats():
        try:
            return telemetry(prefix, "/cordon/stats")["/cordon/stats"]
        except OSError:
            return None

    wait_until(lambda: (stats() or {}).get("rx_packets") == n_dev + n_gw, 60,
               "not all packets received")
    dns = telemetry(prefix, "/cordon/dns")["/cordon/dns"]
    print("dns: %s" % dns)
    assert dns["responses"] == 1 and dns["parsed"] == 1, dns
    assert dns["malformed"] == 0 and dns["ignored"] == 0, dns
    # One address, bound to the question and the CNAME target.
    assert dns["bindings_created"] == 1 and dns["names_bound"] == 2, dns
    assert dns["generation"] == 1, dns
    assert dns["ttl_floor_s"] == 60, dns

    def device(mac):
        return telemetry(prefix, "/cordon/device," + mac)["/cordon/device"]
    a, b = device("02:00:00:00:00:0a"), device("02:00:00:00:00:0b")
    print("A: %s\nB: %s" % (a, b))
    assert a["denied_packets"] == 2, a     # before the answer; other address
    assert b["denied_packets"] == 1, b
    # SYN retransmission + 3 data + new flow + query = 6 IP packets allowed
    # (and one ARP, counted allowed by the L2 path).
    assert a["allowed_packets"] == 7, a

    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    rx, tx, drops = final_counters(dp.log_path)
    print("final: rx %d tx %d drops %d" % (rx, tx, drops))
    assert rx == n_dev + n_gw and drops == 3, (rx, tx, drops)
    # Port 1 saw A's query, the re-checked SYN, the data, the new flow,
    # and the ARP; nothing of the denied flows.
    r = subprocess.run(["tshark", "-r", out1, "-T", "fields", "-e", "tcp.srcport",
                        "-Y", "tcp"], capture_output=True, text=True)
    if r.returncode == 0:
        ports = sorted(int(p) for p in r.stdout.split())
        print("tcp out of port 1, source ports: %s" % ports)
        assert ports == [40000] * 4 + [40001], ports
    assert pcap_count(out1) == n_dev - 3


if __name__ == "__main__":
    lab_main("dns", test)
