#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Write synthetic captures for Cordon's demo, tests and benchmarks.

Standard library only. Every packet is a complete Ethernet frame with valid
IPv4/IPv6 and TCP/UDP/ICMP headers and checksums, so tshark and the
dataplane's parser both accept them.

Mixes:
  iot      a small IoT network: a handful of devices talking DNS, NTP, MQTT,
           HTTPS and to each other, plus ARP and broadcast DHCP (the demo's
           default)
  flows    --flows N distinct UDP flows between --devices MACs, round-robin
           (benchmarks: with N small the flow table stays warm)
  newflows every packet starts a new flow (unique source port/address)
  policy   traffic for scripts/gen_policy.py's address scheme: --devices
           devices, each with --flows-per-device flows to its own service
           port (allowed) alternating with flows to that port + 1 (denied);
           with --unique every packet is a flow of its own
"""

import argparse
import random
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mac(b):
    return bytes(b)


def dev_mac(i):
    return bytes([0x02, 0x00, 0x00, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF])


def eth(dst, src, etype, vlan=None):
    if vlan is not None:
        return dst + src + struct.pack("!HHH", 0x8100, vlan & 0xFFF, etype)
    return dst + src + struct.pack("!H", etype)


def ipv4(src, dst, proto, payload, ttl=64, ident=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000,
                      ttl, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim, src, dst) + payload


def l4_csum(src, dst, proto, seg):
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    else:
        pseudo = src + dst + struct.pack("!IxxxB", len(seg), proto)
    return csum(pseudo + seg)


def udp(src, dst, sport, dport, data):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = l4_csum(src, dst, 17, seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp(src, dst, sport, dport, flags, seq=1, ack=0, data=b"", opts=b""):
    off = (20 + len(opts)) // 4
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags,
                      64240, 0, 0) + opts + data
    c = l4_csum(src, dst, 6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def icmp_echo(ident, seq, data=b"cordon"):
    m = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def ip4(a, b, c, d):
    return bytes([a, b, c, d])


class Writer:
    def __init__(self, f):
        self.f = f
        self.n = 0
        self.t = 1700000000.0
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    def add(self, frame, dt=0.001):
        if len(frame) < 60:
            frame += bytes(60 - len(frame))
        self.t += dt
        sec = int(self.t)
        usec = int((self.t - sec) * 1e6)
        self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
        self.n += 1


GW_MAC = bytes.fromhex("02aa00000001")
BCAST = b"\xff" * 6


def mix_iot(w, count, rng):
    devs = [(dev_mac(i + 1), ip4(192, 168, 1, 10 + i)) for i in range(8)]
    gw_ip = ip4(192, 168, 1, 1)
    remote = [ip4(93, 184, 216, 34), ip4(52, 1, 2, 3), ip4(142, 250, 0, 1)]
    i = 0
    while w.n < count:
        m, a = devs[i % len(devs)]
        kind = i % 7
        if kind == 0:
            f = eth(BCAST, m, 0x0806) + struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1,
                                                    m, a, b"\0" * 6, gw_ip)
        elif kind == 1:
            f = eth(GW_MAC, m, 0x0800) + ipv4(a, gw_ip, 17, udp(a, gw_ip, 40000 + i % 1000, 53,
                                                              b"\x12\x34\x01\x00\x00\x01\0\0\0\0\0\0\x07example\x03com\0\0\x01\0\x01"))
        elif kind == 2:
            r = remote[i % len(remote)]
            f = eth(GW_MAC, m, 0x0800) + ipv4(a, r, 6, tcp(a, r, 50000 + i % 500, 443, 0x18, data=b"\x17\x03\x03\x00\x10" + bytes(16)))
        elif kind == 3:
            r = remote[i % len(remote)]
            f = eth(GW_MAC, m, 0x0800) + ipv4(a, r, 17, udp(a, r, 123, 123, bytes(48)))
        elif kind == 4:
            m2, a2 = devs[(i + 1) % len(devs)]
            f = eth(m2, m, 0x0800) + ipv4(a, a2, 6, tcp(a, a2, 51000 + i % 100, 1883, 0x18, data=b"\x30\x05\x00\x01t\x01"))
        elif kind == 5:
            f = eth(GW_MAC, m, 0x0800) + ipv4(a, gw_ip, 1, icmp_echo(i & 0xFFFF, i & 0xFFFF))
        else:
            s6 = bytes.fromhex("fe80000000000000") + m[:3] + b"\xff\xfe" + m[3:]
            d6 = bytes.fromhex("ff020000000000000000000000000001")
            f = eth(bytes.fromhex("333300000001"), m, 0x86DD) + ipv6(s6, d6, 17, udp(s6, d6, 5353, 5353, bytes(12)))
        w.add(f)
        i += 1


def mix_flows(w, count, rng, flows, devices, size, vlan=None):
    srv_mac = GW_MAC
    for i in range(count):
        fl = i % flows
        d = fl % devices
        m = dev_mac(d + 1)
        src = ip4(10, 100 + (d >> 16), (d >> 8) & 0xFF, d & 0xFF)
        dst = ip4(10, 200, (d >> 8) & 0xFF, d & 0xFF)
        sport = 1024 + (fl // devices) % 60000
        payload = bytes(max(0, size - 42))
        f = eth(srv_mac, m, 0x0800, vlan) + ipv4(src, dst, 17, udp(src, dst, sport, 1000 + d % 1000, payload))
        w.add(f)


def mix_newflows(w, count, rng, size):
    for i in range(count):
        m = dev_mac(1 + i % 1000)
        src = ip4(10, 100 + ((i >> 16) & 0x3F), (i >> 8) & 0xFF, i & 0xFF)
        dst = ip4(10, 200, 0, 1)
        sport = 1024 + (i % 64000)
        f = eth(GW_MAC, m, 0x0800) + ipv4(src, dst, 17, udp(src, dst, sport, 1000, bytes(max(0, size - 42))))
        w.add(f)


GEN_GW_MAC = bytes.fromhex("02ff00000001")


def mix_policy(w, count, devices, per_dev, port_mod, size, unique, all_allowed=False,
               reverse=False):
    """gen_policy.py's scheme: device i = MAC 02:00:00:i24, client
    10.100.i>>8.i&255, service 10.200.i>>8.i&255 TCP 1000 + i % port_mod."""
    for n in range(count):
        d = n % devices
        k = n // devices
        deny = 0 if all_allowed else k & 1
        m = bytes([0x02, 0, 0, (d >> 16) & 0xFF, (d >> 8) & 0xFF, d & 0xFF])
        src = ip4(10, 100, (d >> 8) & 0xFF, d & 0xFF)
        dst = ip4(10, 200, (d >> 8) & 0xFF, d & 0xFF)
        if unique:
            # A fresh (source address, port) pair for every packet.
            src = ip4(10, 64 + ((n >> 24) & 0x3F), (n >> 16) & 0xFF, (n >> 8) & 0xFF)
            sport = 1024 + ((n & 0xFF) << 8 | (n >> 8) & 0xFF) % 64000
        else:
            sport = 20000 + (k // 2) % per_dev
        dport = 1000 + d % port_mod + deny
        payload = bytes(max(0, size - 54))
        if reverse:
            f = eth(m, GEN_GW_MAC, 0x0800) + ipv4(dst, src, 6, tcp(dst, src, dport, sport, 0x10,
                                                                    data=payload))
        else:
            f = eth(GEN_GW_MAC, m, 0x0800) + ipv4(src, dst, 6, tcp(src, dst, sport, dport, 0x10,
                                                                    data=payload))
        w.add(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", required=True, help="pcap file to write")
    ap.add_argument("-n", "--count", type=int, default=1000, help="packets (default 1000)")
    ap.add_argument("--mix", choices=["iot", "flows", "newflows", "policy"], default="iot")
    ap.add_argument("--flows-per-device", type=int, default=4,
                    help="allowed (and as many denied) flows per device (mix policy)")
    ap.add_argument("--port-mod", type=int, default=1000, help="as gen_policy.py's (mix policy)")
    ap.add_argument("--unique", action="store_true", help="every packet a new flow (mix policy)")
    ap.add_argument("--reverse", action="store_true",
                    help="the replies of the same flows, service to device (mix policy)")
    ap.add_argument("--all-allowed", action="store_true",
                    help="only flows to the service port (mix policy)")
    ap.add_argument("--flows", type=int, default=1000, help="distinct flows (mix flows)")
    ap.add_argument("--devices", type=int, default=100, help="distinct device MACs (mix flows)")
    ap.add_argument("--size", type=int, default=64, help="frame size for flows/newflows")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.count < 1 or a.flows < 1 or a.devices < 1 or not 60 <= a.size <= 9000:
        ap.error("counts must be positive and --size in 60..9000")
    rng = random.Random(a.seed)
    with open(a.out, "wb") as f:
        w = Writer(f)
        if a.mix == "iot":
            mix_iot(w, a.count, rng)
        elif a.mix == "flows":
            mix_flows(w, a.count, rng, a.flows, a.devices, a.size)
        elif a.mix == "newflows":
            mix_newflows(w, a.count, rng, a.size)
        else:
            mix_policy(w, a.count, a.devices, a.flows_per_device, a.port_mod, a.size, a.unique,
                       a.all_allowed, a.reverse)
    print("%s: %d packets" % (a.out, w.n), file=sys.stderr)


if __name__ == "__main__":
    main()
