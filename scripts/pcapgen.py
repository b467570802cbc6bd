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
  mud      devices announcing MUD URLs (RFC 8520): DHCP option 161, DHCPv6
           option 112 and LLDP (TLV 127, OUI 00:00:5E, subtype 1), with the
           URLs of MUD_DEVICES; each device also sends some UDP so it has
           traffic. --mud-url MAC=URL adds or replaces one (DHCP).
  dns      dns_name rules (tests/integration/test_dns.py): device A opens a
           flow to an address before and after it receives a DNS answer
           naming it (CNAME chain), device B never asks; fixed packets
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


def dns_name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_rr(name, rtype, rdata, ttl=120):
    return dns_name(name) + struct.pack("!HHIH", rtype, 0x8001, ttl, len(rdata)) + rdata


def mdns_announce(instance, service, txt):
    """An mDNS response: PTR service -> instance, and the instance's TXT."""
    full = "%s.%s" % (instance, service)
    rrs = dns_rr(service, 12, dns_name(full))
    rrs += dns_rr(full, 16, b"".join(bytes([len(t)]) + t.encode() for t in txt))
    return struct.pack("!HHHHHH", 0, 0x8400, 0, 2, 0, 0) + rrs


def dhcp_request(mac, xid, hostname, vendor, params):
    opts = bytes([53, 1, 3])                                   # DHCPREQUEST
    opts += bytes([61, 7, 1]) + mac
    opts += bytes([55, len(params)]) + bytes(params)
    if vendor:
        opts += bytes([60, len(vendor)]) + vendor.encode()
    opts += bytes([12, len(hostname)]) + hostname.encode() + b"\xff"
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000,
                        bytes(4), bytes(4), bytes(4), bytes(4), mac + bytes(10),
                        bytes(64), bytes(128))
    return bootp + b"\x63\x82\x53\x63" + opts


def dhcp_request_mud(mac, xid, hostname, url):
    """A DHCPREQUEST carrying a MUD URL in option 161."""
    u = url.encode()
    opts = bytes([53, 1, 3]) + bytes([61, 7, 1]) + mac + bytes([55, 4, 1, 3, 6, 15])
    opts += bytes([12, len(hostname)]) + hostname.encode()
    opts += bytes([161, len(u)]) + u + b"\xff"
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000,
                        bytes(4), bytes(4), bytes(4), bytes(4), mac + bytes(10),
                        bytes(64), bytes(128))
    return bootp + b"\x63\x82\x53\x63" + opts


def dhcpv6_solicit_mud(mac, xid, url):
    """A DHCPv6 SOLICIT with client id, ORO and a MUD URL (option 112)."""
    u = url.encode()
    duid = struct.pack("!HH", 3, 1) + mac                      # DUID-LL
    opts = struct.pack("!HH", 1, len(duid)) + duid
    opts += struct.pack("!HHHH", 6, 4, 23, 24)
    opts += struct.pack("!HH", 8, 2) + b"\0\0"                # elapsed time
    opts += struct.pack("!HH", 112, len(u)) + u
    return struct.pack("!I", (1 << 24) | (xid & 0xFFFFFF)) + opts


def lldp_mud(mac, sysname, url):
    """An LLDPDU: chassis (MAC), port, TTL, system name, MUD URL TLV."""
    def tlv(t, v):
        return struct.pack("!H", (t << 9) | len(v)) + v
    body = tlv(1, b"\x04" + mac) + tlv(2, b"\x05eth0") + tlv(3, b"\x00\x78")
    body += tlv(5, sysname.encode())
    body += tlv(127, b"\x00\x00\x5e\x01" + url.encode()) + tlv(0, b"")
    return body


def link_local6(mac):
    eui = bytes([mac[0] ^ 2]) + mac[1:3] + b"\xff\xfe" + mac[3:]
    return b"\xfe\x80" + bytes(6) + eui


# Devices announcing MUD URLs: (mac, how, url). The last one's file is
# missing in the tests' MUD directory on purpose.
MUD_DEVICES = [
    ("00:16:3e:4d:00:01", "dhcp", "https://lighting.example.com/.well-known/mud/v1/bulb"),
    ("00:16:3e:4d:00:02", "dhcpv6", "https://sensors.example.com/mud/thermostat.json"),
    ("00:16:3e:4d:00:03", "lldp", "https://lighting.example.com/.well-known/mud/v1/switch"),
    ("00:16:3e:4d:00:04", "dhcp", "https://nofile.example.com/mud/missing"),
]


def mix_mud(w, count, extra):
    devs = [(m, how, url) for m, how, url in MUD_DEVICES if m not in extra]
    devs += [(m, "dhcp", url) for m, url in sorted(extra.items())]
    bcast_ip, zero_ip = ip4(255, 255, 255, 255), ip4(0, 0, 0, 0)
    all_dhcp6 = bytes.fromhex("ff020000000000000000000000010002")
    n = 0
    while n < count:
        for i, (ms, how, url) in enumerate(devs):
            m = bytes.fromhex(ms.replace(":", ""))
            if how == "dhcp":
                req = dhcp_request_mud(m, 0x4d00 + i, "mud-%d" % i, url)
                f = eth(BCAST, m, 0x0800) + ipv4(zero_ip, bcast_ip, 17,
                                                  udp(zero_ip, bcast_ip, 68, 67, req))
            elif how == "dhcpv6":
                src = link_local6(m)
                sol = dhcpv6_solicit_mud(m, 0x4d00 + i, url)
                f = eth(bytes.fromhex("333300010002"), m, 0x86DD) + ipv6(
                    src, all_dhcp6, 17, udp(src, all_dhcp6, 546, 547, sol), hlim=1)
            else:
                f = eth(bytes.fromhex("0180c200000e"), m, 0x88CC) + lldp_mud(m, "mud-%d" % i, url)
            w.add(f, dt=0.01)
            # and a little traffic of its own
            a = ip4(192, 168, 7, 10 + i)
            w.add(eth(GW_MAC, m, 0x0800) + ipv4(a, ip4(192, 168, 7, 1), 17,
                                                udp(a, ip4(192, 168, 7, 1), 40000 + i, 123,
                                                    b"ntp")), dt=0.01)
            n += 2
            if n >= count:
                break


def dhcp_ack(server_mac, mac, xid, yiaddr, server_ip):
    opts = bytes([53, 1, 5, 54, 4]) + server_ip + bytes([51, 4, 0, 1, 81, 128, 1, 4, 255, 255, 255, 0])
    opts += bytes([3, 4]) + server_ip + bytes([6, 4]) + server_ip + b"\xff"
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 2, 1, 6, 0, xid, 0, 0,
                        bytes(4), yiaddr, server_ip, bytes(4), mac + bytes(10),
                        bytes(64), bytes(128))
    return bootp + b"\x63\x82\x53\x63" + opts


# A small smart home: real vendor OUIs, and what each device says about
# itself on the wire (all of it made up, in the form these devices use).
IOT_DEVICES = [
    # (mac, hostname, DHCP vendor class, option 55, extra)
    ("00:17:88:6a:1b:2c", "Philips-hue", "", [1, 3, 6, 12, 15, 28, 42],
     ("ssdp", "Linux/3.14.0 UPnP/1.0 IpBridge/1.60.0")),
    ("f4:f5:d8:11:22:33", "Chromecast", "", [1, 3, 6, 15, 26, 28, 51, 58, 59, 43],
     ("mdns", "Chromecast-4f2a", "_googlecast._tcp.local", ["md=Chromecast", "fn=Living Room"])),
    ("dc:a6:32:0a:0b:0c", "raspberrypi", "dhcpcd-9.4.1:Linux-6.1.21-v8+:aarch64:BCM2835",
     [1, 121, 33, 3, 6, 28, 51, 58, 59], None),
    ("24:0a:c4:5e:6f:70", "ESP_5E6F70", "", [1, 3, 28, 6, 15, 44, 46, 47, 31, 33, 121, 43],
     None),
    ("94:9f:3e:12:34:56", "SonosZP", "", [1, 3, 6, 12, 15, 28, 42],
     ("mdns", "Kitchen", "_sonos._tcp.local", ["model=One"])),
    ("34:f6:4b:aa:bb:cc", "LAPTOP-8KQ2M1", "MSFT 5.0", [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252],
     ("http", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/120.0.0.0 Safari/537.36")),
    ("a0:d3:c1:44:55:66", "NPI445566", "Hewlett-Packard JetDirect", [1, 3, 6, 15, 44, 47],
     ("mdns", "HP LaserJet", "_ipp._tcp.local", ["ty=HP LaserJet Pro", "product=(HP LaserJet)"])),
    ("70:ee:50:77:88:99", "Netatmo-Weather", "", [1, 3, 6, 15, 28, 51, 58, 59], None),
]


def mix_iot(w, count, rng, gw=None):
    gw_ip = ip4(192, 168, 1, 1)
    remote = [ip4(93, 184, 216, 34), ip4(52, 1, 2, 3), ip4(142, 250, 0, 1)]
    devs = []
    for i, d in enumerate(IOT_DEVICES):
        devs.append((bytes.fromhex(d[0].replace(":", "")), ip4(192, 168, 1, 10 + i)) + d[1:])
    bcast_ip, zero_ip = ip4(255, 255, 255, 255), ip4(0, 0, 0, 0)

    # Each device joins: DHCP request, the gateway's ACK, then whatever it
    # announces about itself.
    for i, (m, a, host, vendor, params, extra) in enumerate(devs):
        xid = 0x1000 + i
        req = dhcp_request(m, xid, host, vendor, params)
        w.add(eth(BCAST, m, 0x0800) + ipv4(zero_ip, bcast_ip, 17, udp(zero_ip, bcast_ip, 68, 67, req)))
        ack = dhcp_ack(GW_MAC, m, xid, a, gw_ip)
        (gw or w).add(eth(m, GW_MAC, 0x0800) + ipv4(gw_ip, a, 17, udp(gw_ip, a, 67, 68, ack)))
        if extra and extra[0] == "ssdp":
            msg = ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=100\r\n"
                   "LOCATION: http://%d.%d.%d.%d:80/description.xml\r\nSERVER: %s\r\n"
                   "NT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nUSN: uuid:2f402f80-da50-11e1-9b23-%s"
                   "::upnp:rootdevice\r\n\r\n" % (tuple(a) + (extra[1], m.hex())))
            mc = ip4(239, 255, 255, 250)
            w.add(eth(bytes.fromhex("01005e7ffffa"), m, 0x0800) +
                  ipv4(a, mc, 17, udp(a, mc, 1900, 1900, msg.encode()), ttl=4))
        elif extra and extra[0] == "mdns":
            mc = ip4(224, 0, 0, 251)
            w.add(eth(bytes.fromhex("01005e0000fb"), m, 0x0800) +
                  ipv4(a, mc, 17, udp(a, mc, 5353, 5353, mdns_announce(*extra[1:])), ttl=255))
        elif extra and extra[0] == "http":
            r = remote[0]
            req = ("GET /connecttest.txt HTTP/1.1\r\nHost: www.msftconnecttest.com\r\n"
                   "User-Agent: %s\r\n\r\n" % extra[1]).encode()
            w.add(eth(GW_MAC, m, 0x0800) + ipv4(a, r, 6, tcp(a, r, 49152 + i, 80, 0x02, seq=100)))
            w.add(eth(GW_MAC, m, 0x0800) + ipv4(a, r, 6, tcp(a, r, 49152 + i, 80, 0x18, seq=101, data=req)))

    # Then their everyday traffic.
    i = 0
    while w.n < count:
        m, a = devs[i % len(devs)][:2]
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
            m2, a2 = devs[(i + 1) % len(devs)][:2]
            f = eth(m2, m, 0x0800) + ipv4(a, a2, 6, tcp(a, a2, 51000 + i % 100, 1883, 0x18, data=b"\x30\x05\x00\x01t\x01"))
        elif kind == 5:
            f = eth(GW_MAC, m, 0x0800) + ipv4(a, gw_ip, 1, icmp_echo(i & 0xFFFF, i & 0xFFFF))
        else:
            s6 = bytes.fromhex("fe80000000000000") + bytes([m[0] ^ 2]) + m[1:3] + b"\xff\xfe" + m[3:]
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


def dns_query(qid, qname, qtype=1):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(qname) + \
        struct.pack("!HH", qtype, 1)


def dns_response(qid, qname, answers, qtype=1):
    """Unicast answer (class IN); answers: (owner, type, rdata, ttl)."""
    out = struct.pack("!HHHHHH", qid, 0x8180, 1, len(answers), 0, 0)
    out += dns_name(qname) + struct.pack("!HH", qtype, 1)
    for owner, rtype, rdata, ttl in answers:
        out += dns_name(owner) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata
    return out


DNS_A = dev_mac(10)
DNS_B = dev_mac(11)


def mix_dns(w, gw):
    """Device side in w, gateway side in gw (another port). Polled one
    packet per port in turn (--burst 1, one worker), frame i of w comes
    before frame i of gw, which comes before frame i + 1 of w. Expected,
    with policy "any may use DNS; segment -> api.example.com:443": 3 policy
    drops (A before the answer, B, A to an address no answer named)."""
    a_ip, b_ip = ip4(192, 168, 1, 10), ip4(192, 168, 1, 11)
    resolver, server = ip4(192, 168, 1, 1), ip4(93, 184, 216, 34)
    other = ip4(93, 184, 216, 99)
    SYN, ACK, PSH = 0x02, 0x10, 0x08

    def tcp4(src_mac, dst_mac, src, dst, sport, dport, flags, data=b""):
        return eth(dst_mac, src_mac, 0x0800) + ipv4(src, dst, 6, tcp(src, dst, sport, dport,
                                                                     flags, data=data))

    def udp4(src_mac, dst_mac, src, dst, sport, dport, data):
        return eth(dst_mac, src_mac, 0x0800) + ipv4(src, dst, 17, udp(src, dst, sport, dport,
                                                                      data))

    def garp(m, ip):
        return eth(BCAST, m, 0x0806) + struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, m, ip,
                                                   bytes(6), ip)
    dev = [
        # 0: A opens a flow to the server's address before knowing it.
        tcp4(DNS_A, GW_MAC, a_ip, server, 40000, 443, SYN),
        # 1: A asks (gateway answers in its frame 1, right after).
        udp4(DNS_A, GW_MAC, a_ip, resolver, 33333, 53, dns_query(7, "api.example.com")),
        garp(DNS_A, a_ip),
        # 3: the same SYN again (a retransmission, the same flow).
        tcp4(DNS_A, GW_MAC, a_ip, server, 40000, 443, SYN),
    ]
    dev += [tcp4(DNS_A, GW_MAC, a_ip, server, 40000, 443, ACK | PSH, b"x" * 100)] * 3
    dev += [
        # A new flow of A to the same address.
        tcp4(DNS_A, GW_MAC, a_ip, server, 40001, 443, SYN),
        # B never received the answer.
        tcp4(DNS_B, GW_MAC, b_ip, server, 40002, 443, SYN),
        # A to an address no answer named.
        tcp4(DNS_A, GW_MAC, a_ip, other, 40003, 443, SYN),
    ]
    gwf = [
        garp(GW_MAC, resolver),
        udp4(GW_MAC, DNS_A, resolver, a_ip, 53, 33333, dns_response(7, "api.example.com", [
            ("api.example.com", 5, dns_name("edge.example-cdn.net"), 3600),
            ("edge.example-cdn.net", 1, server, 300)])),
        garp(GW_MAC, resolver),
        garp(GW_MAC, resolver),
        tcp4(GW_MAC, DNS_A, server, a_ip, 443, 40000, SYN | ACK),
    ]
    for f in dev:
        w.add(f)
    for f in gwf:
        gw.add(f)


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
    ap.add_argument("--mix", choices=["iot", "flows", "newflows", "policy", "mud", "dns"],
                    default="iot")
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
    ap.add_argument("--mud-url", action="append", default=[], metavar="MAC=URL",
                    help="mix mud: a device announcing URL by DHCP option 161")
    ap.add_argument("--gateway-out", metavar="FILE",
                    help="mix iot, dns: write the gateway's own frames here, for the other port")
    a = ap.parse_args()
    if a.count < 1 or a.flows < 1 or a.devices < 1 or not 60 <= a.size <= 9000:
        ap.error("counts must be positive and --size in 60..9000")
    rng = random.Random(a.seed)
    with open(a.out, "wb") as f:
        w = Writer(f)
        if a.mix == "iot":
            gw = Writer(open(a.gateway_out, "wb")) if a.gateway_out else None
            mix_iot(w, a.count, rng, gw)
            if gw is not None:
                gw.f.close()
        elif a.mix == "flows":
            mix_flows(w, a.count, rng, a.flows, a.devices, a.size)
        elif a.mix == "newflows":
            mix_newflows(w, a.count, rng, a.size)
        elif a.mix == "mud":
            extra = dict(x.split("=", 1) for x in a.mud_url)
            mix_mud(w, a.count, extra)
        elif a.mix == "dns":
            if not a.gateway_out:
                ap.error("mix dns needs --gateway-out")
            gw = Writer(open(a.gateway_out, "wb"))
            mix_dns(w, gw)
            gw.f.close()
        else:
            mix_policy(w, a.count, a.devices, a.flows_per_device, a.port_mod, a.size, a.unique,
                       a.all_allowed, a.reverse)
    print("%s: %d packets" % (a.out, w.n), file=sys.stderr)


if __name__ == "__main__":
    main()
