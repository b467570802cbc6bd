#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Write synthetic attack captures for the detectors that have no real one,
and a benign capture of shapes just under the thresholds, with their labels.

usage: gen_attacks.py OUTDIR

Writes OUTDIR/*.pcap and OUTDIR/labels.tsv: file, kind, alert_mac (the
device the alert must name: the attacker, or the victim for a forged DNS
answer), attack (detector names that count, '|'-separated), first attack
packet time, cordon-detect options. The shapes follow the tools: hping3
(source port +1 per packet), nmap -sS (its top ports, RST from closed ones,
RST after SYN-ACK from open ones), arp-scan, Mirai's telnet scanner,
hydra's 16 parallel tasks, a random-letter DGA; the addresses are made up
for this file and mean nothing to the detectors.
"""

import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import pcapgen as pg  # noqa: E402

GW = bytes.fromhex("02aa00000001")
ATT = bytes.fromhex("02000000ee66")
VIC = bytes.fromhex("02000000ee10")
OTHER = bytes.fromhex("02000000ee20")
NET = (10, 77, 3)


def ip(n):
    return pg.ip4(NET[0], NET[1], NET[2], n)


GW_IP, ATT_IP, VIC_IP, OTHER_IP = ip(1), ip(66), ip(10), ip(20)
RESOLVER = ip(1)

NMAP_TOP = [80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306,
            8080, 1723, 111, 995, 993, 5900, 1025, 587, 8888, 199, 1720, 465,
            548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000, 8443, 8000,
            32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027, 5666,
            646, 5000, 5631, 631, 49153, 8081, 2049, 88, 79, 5800, 106]

SYN, RST, ACK, PSH, FIN = 0x02, 0x04, 0x10, 0x08, 0x01


class Cap:
    def __init__(self, path, t0=1750000000.0):
        self.f = open(path, "wb")
        self.w = pg.Writer(self.f)
        self.w.t = t0
        self.first = None

    def at(self, t):
        """Move to absolute time t (never backwards)."""
        if t > self.w.t:
            self.w.t = t

    def add(self, frame, dt=0.0, attack=False):
        self.w.add(frame, dt)
        if attack and self.first is None:
            self.first = self.w.t

    def tcp(self, smac, dmac, s, d, sp, dp, fl, data=b"", dt=0.0002,
            attack=False):
        self.add(pg.eth(dmac, smac, 0x0800) +
                 pg.ipv4(s, d, 6, pg.tcp(s, d, sp, dp, fl, data=data)),
                 dt, attack)

    def udp(self, smac, dmac, s, d, sp, dp, data, dt=0.0002, attack=False):
        self.add(pg.eth(dmac, smac, 0x0800) +
                 pg.ipv4(s, d, 17, pg.udp(s, d, sp, dp, data)), dt, attack)

    def close(self):
        self.f.close()


def background(c, t0, t1, rng, mac=ATT, addr=ATT_IP):
    """A device's ordinary life: DNS and HTTPS to its cloud (a dozen
    addresses behind one name), every 20 s."""
    t = t0
    q = 1
    while t < t1:
        c.at(t)
        cloud = bytes([198, 18, 7, 1 + q % 12])
        c.udp(mac, GW, addr, RESOLVER, 40000 + q, 53,
              pg.dns_query(q, "api.vendor-cloud.example"))
        c.udp(GW, mac, RESOLVER, addr, 53, 40000 + q,
              pg.dns_response(q, "api.vendor-cloud.example",
                              [("api.vendor-cloud.example", 1,
                                cloud, 60)]), dt=0.01)
        sp = 50000 + q
        c.tcp(mac, GW, addr, cloud, sp, 443, SYN, dt=0.01)
        c.tcp(GW, mac, cloud, addr, 443, sp, SYN | ACK, dt=0.03)
        c.tcp(mac, GW, addr, cloud, sp, 443, ACK, dt=0.001)
        c.tcp(mac, GW, addr, cloud, sp, 443, PSH | ACK, b"\x16\x03\x01" +
              bytes(200), dt=0.001)
        c.tcp(GW, mac, cloud, addr, 443, sp, PSH | ACK, bytes(900), dt=0.03)
        c.tcp(mac, GW, addr, cloud, sp, 443, FIN | ACK, dt=0.01)
        c.tcp(GW, mac, cloud, addr, 443, sp, FIN | ACK, dt=0.03)
        q += 1
        t += 20 + rng.random()


# Every labelled capture: its file name, the detector that must alert on
# it, cordon-detect's options for it and the MAC the alert names; in the
# order the generators stand below.
ATTACKS = []


def attack(name, detector, opts="", mac=ATT):
    def register(gen):
        ATTACKS.append((name, mac, detector, opts, gen))
        return gen
    return register


@attack("syn-flood", "flood_syn")
def gen_syn_flood(c, rng):
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(6000):      # hping3 -S --flood -p 80: sport + 1 each
        c.tcp(ATT, VIC, ATT_IP, VIC_IP, 1024 + i, 80, SYN, dt=0.00002,
              attack=True)


@attack("syn-flood-slow", "flood_syn")
def gen_syn_flood_slow(c, rng):
    """hping3 -S -p 443 -i u1 let out slowly by a loaded host: 300 SYNs a
    second for 1 s to one host, whose closed port answers RST; never the
    1000 a second of gen_syn_flood."""
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(300):
        c.tcp(ATT, VIC, ATT_IP, VIC_IP, 2000 + i, 443, SYN, dt=0.0033,
              attack=True)
        c.tcp(VIC, ATT, VIC_IP, ATT_IP, 443, 2000 + i, RST | ACK, dt=0.0001)


@attack("udp-flood", "flood_udp")
def gen_udp_flood(c, rng):
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(6000):      # hping3 --udp --flood -p 53
        c.udp(ATT, VIC, ATT_IP, VIC_IP, 1024 + i, 53, bytes(20),
              dt=0.00002, attack=True)


@attack("udp-flood-one-flow", "flood_udp")
def gen_udp_flood_flow(c, rng):
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(9000):      # one flow, fixed ports (hping3 -k -s 5000)
        c.udp(ATT, VIC, ATT_IP, VIC_IP, 5000, 9000, bytes(512),
              dt=0.00003, attack=True)


@attack("icmp-flood", "flood_icmp")
def gen_icmp_flood(c, rng):
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(6000):      # hping3 --icmp --flood / ping -f
        c.add(pg.eth(VIC, ATT, 0x0800) +
              pg.ipv4(ATT_IP, VIC_IP, 1, pg.icmp_echo(0x4242, i)),
              0.00005, True)


@attack("amplification-ntp-reflector", "amplification")
def gen_amp_ntp(c, rng):
    """The device answers NTP monlist (mode 7) requests, 48 bytes in, 100
    x 468 bytes out, for spoofed sources: a reflector."""
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(300):
        victim = bytes([203, 0, 113, 5])
        sp = 1000 + i
        c.udp(GW, ATT, victim, ATT_IP, sp, 123, bytes([0x17, 0, 3, 0x2a]) +
              bytes(44), dt=0.005, attack=True)
        for _ in range(100):
            c.udp(ATT, GW, ATT_IP, victim, 123, sp, bytes(440), dt=0.00002)


@attack("amplification-dns-reflection", "amplification")
def gen_amp_dns(c, rng):
    """The device sends DNS ANY queries with its LAN neighbour's address:
    the answers, 40 x larger, go to the neighbour (reflection)."""
    background(c, c.w.t, c.w.t + 300, rng)
    resolver = bytes([198, 18, 53, 53])
    for i in range(1000):
        qid = i + 1
        sp = 20000 + i
        q = pg.dns_query(qid, "example.org", 255)
        c.udp(ATT, GW, OTHER_IP, resolver, sp, 53, q, dt=0.002, attack=True)
        ans = struct.pack("!HHHHHH", qid, 0x8180, 1, 0, 0, 0) + \
            pg.dns_name("example.org") + struct.pack("!HH", 255, 1) + \
            bytes(1400 - 12 - 17)
        c.udp(GW, OTHER, resolver, OTHER_IP, 53, sp, ans, dt=0.0005)


@attack("scan-vertical-nmap", "scan_vertical")
def gen_scan_vertical(c, rng):
    """nmap -sS 10.77.3.10 (default timing): closed ports answer RST,
    22 and 80 answer SYN-ACK and get nmap's RST."""
    background(c, c.w.t, c.w.t + 30, rng)
    sport = 41234
    for p in NMAP_TOP:
        c.tcp(ATT, VIC, ATT_IP, VIC_IP, sport, p, SYN, dt=0.0004,
              attack=True)
        if p in (22, 80):
            c.tcp(VIC, ATT, VIC_IP, ATT_IP, p, sport, SYN | ACK, dt=0.0002)
            c.tcp(ATT, VIC, ATT_IP, VIC_IP, sport, p, RST, dt=0.0001)
        else:
            c.tcp(VIC, ATT, VIC_IP, ATT_IP, p, sport, RST | ACK, dt=0.0002)


@attack("scan-horizontal-telnet", "scan_horizontal")
def gen_scan_horizontal(c, rng):
    """Mirai's scanner: SYNs to random internet addresses on 23 (one in
    ten on 2323), none answered."""
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(1200):
        dst = bytes([rng.randint(1, 223), rng.randint(0, 255),
                     rng.randint(0, 255), rng.randint(1, 254)])
        if dst[0] in (10, 127, 172, 192):
            continue
        c.tcp(ATT, GW, ATT_IP, dst, rng.randint(1024, 65535),
              2323 if i % 10 == 0 else 23, SYN, dt=0.005, attack=True)


def arp(op, smac, sip, tmac, tip, dst):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, smac, sip, tmac,
                       tip)
    return pg.eth(dst, smac, 0x0806) + body


@attack("scan-arp", "scan_arp")
def gen_scan_arp(c, rng):
    """arp-scan --localnet: every address of the /24, five answer."""
    background(c, c.w.t, c.w.t + 30, rng)
    alive = {1: GW, 10: VIC, 20: OTHER}
    for n in range(1, 255):
        c.add(arp(1, ATT, ATT_IP, bytes(6), ip(n), pg.BCAST), 0.002, True)
        if n in alive:
            c.add(arp(2, alive[n], ip(n), ATT, ATT_IP, ATT), 0.0003)


def nd_ns(smac, src6, target6):
    dst6 = bytes.fromhex("ff0200000000000000000001ff") + target6[13:]
    dmac = bytes([0x33, 0x33, 0xff]) + target6[13:]
    body = struct.pack("!BBHI16s", 135, 0, 0, 0, target6) + \
        bytes([1, 1]) + smac
    c = pg.l4_csum(src6, dst6, 58, body)
    body = body[:2] + struct.pack("!H", c) + body[4:]
    return pg.eth(dmac, smac, 0x86DD) + pg.ipv6(src6, dst6, 58, body, 255)


@attack("scan-nd", "scan_nd")
def gen_scan_nd(c, rng):
    """Neighbour solicitations for 100 addresses of the prefix (a scanner
    looking for hosts), none answer."""
    background(c, c.w.t, c.w.t + 30, rng)
    me = bytes.fromhex("fd00007700030000000000000000ee66")
    for i in range(100):
        tgt = bytes.fromhex("fd000077000300000000000000000000")[:14] + \
            struct.pack("!H", 0x100 + i)
        c.add(nd_ns(ATT, me, tgt), 0.003, True)


def play_sessions(c, sched, port):
    """Write the packets of sessions between ATT and VIC:port in time
    order: sched holds (when, who, sport, flags, data, first)."""
    for when, who, sp, fl, data, first in sorted(sched, key=lambda x: x[0]):
        c.at(when)
        if who == ATT:
            c.tcp(ATT, VIC, ATT_IP, VIC_IP, sp, port, fl, data, dt=0,
                  attack=first)
        else:
            c.tcp(VIC, ATT, VIC_IP, ATT_IP, port, sp, fl, data, dt=0)


def brute_sessions(c, port, rounds, tasks, sport0, stagger, talk, gap, close,
                   period):
    """A brute-forcer's sessions against VIC:port, tasks at a time: rounds
    of them period s apart, task k starting stagger * k s into its round
    from port sport0 + round * tasks + k. Each the handshake, then talk
    [(who, flags, data)] gap s apart, then close(s0)'s packets
    [(when, who, flags, data)]."""
    t = c.w.t + 1
    sched = []
    for rnd in range(rounds):
        for k in range(tasks):
            sp = sport0 + rnd * tasks + k
            s0 = t + k * stagger
            seq = [(ATT, SYN, b""), (VIC, SYN | ACK, b""), (ATT, ACK, b"")]
            for j, (who, fl, data) in enumerate(seq + talk):
                sched.append((s0 + j * gap, who, sp, fl, data, j == 0))
            for when, who, fl, data in close(s0):
                sched.append((when, who, sp, fl, data, False))
        t += period
    play_sessions(c, sched, port)


@attack("bruteforce-ssh", "bruteforce")
def gen_bruteforce_ssh(c, rng):
    """hydra -t 4 ssh://10.77.3.10 (OpenSSH): 4 sessions at a time, each
    the banners, key exchange and a few refused passwords in ~0.3 s, 2
    rounds; then hydra waits 32 s for a stuck task. 8 sessions: under
    the 10 a minute."""
    background(c, c.w.t, c.w.t + 40, rng)
    talk = [(VIC, PSH | ACK, b"SSH-2.0-OpenSSH_9.2p1\r\n"),
            (ATT, PSH | ACK, b"SSH-2.0-libssh_0.10.4\r\n"),
            (ATT, PSH | ACK, bytes(1400)),
            (VIC, PSH | ACK, bytes(1100))]
    talk += [(ATT, PSH | ACK, bytes(100)), (VIC, PSH | ACK, bytes(60))] * 3

    def close(s0):
        end = s0 + 0.3
        return [(end, ATT, FIN | ACK, b""), (end + 0.001, VIC, FIN | ACK, b"")]

    brute_sessions(c, 22, 2, 4, 40000, 0.001, talk, 0.02, close, 0.32)


@attack("bruteforce-telnet", "bruteforce")
def gen_bruteforce_telnet(c, rng):
    """hydra -t 16 telnet://10.77.3.10: 16 connections at a time, each
    reads the prompt, sends a login and a password, is refused after
    login's delay, closes; then the next round."""
    background(c, c.w.t, c.w.t + 30, rng)
    talk = [(VIC, PSH | ACK, b"login: "),
            (ATT, PSH | ACK, b"root\r\n"),
            (VIC, PSH | ACK, b"Password: "),
            (ATT, PSH | ACK, b"admin\r\n")]

    def close(s0):
        end = s0 + 2.0 + rng.random() * 0.5
        return [(end, VIC, PSH | ACK, b"Login incorrect\r\n"),
                (end + 0.001, VIC, FIN | ACK, b""),
                (end + 0.002, ATT, FIN | ACK, b"")]

    brute_sessions(c, 23, 4, 16, 30000, 0.002, talk, 0.001, close, 2.6)


def nx(qid, name):
    return struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + \
        pg.dns_name(name) + struct.pack("!HH", 1, 1)


@attack("dns-dga", "dns_dga")
def gen_dga(c, rng):
    """A random-letter DGA (as Conficker or Cryptolocker make): 40 names,
    all NXDOMAIN."""
    background(c, c.w.t, c.w.t + 30, rng)
    for i in range(40):
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                       for _ in range(rng.randint(10, 16))) + \
            rng.choice([".com", ".net", ".org", ".info"])
        c.udp(ATT, GW, ATT_IP, RESOLVER, 33000 + i, 53,
              pg.dns_query(500 + i, name), dt=0.25, attack=True)
        c.udp(GW, ATT, RESOLVER, ATT_IP, 53, 33000 + i, nx(500 + i, name),
              dt=0.02)


@attack("dns-nxdomain", "dns_nxdomain")
def gen_nxdomain(c, rng):
    """Dictionary names (which no DGA scoring catches), all NXDOMAIN."""
    background(c, c.w.t, c.w.t + 30, rng)
    words = ["blue", "horse", "garden", "silver", "river", "stone", "cloud",
             "maple", "ocean", "tiger", "amber", "cedar", "delta", "ember"]
    for i in range(20):
        name = "%s%s.com" % (words[i % 14], words[(i * 5 + 3) % 14])
        c.udp(ATT, GW, ATT_IP, RESOLVER, 34000 + i, 53,
              pg.dns_query(700 + i, name), dt=1.0, attack=True)
        c.udp(GW, ATT, RESOLVER, ATT_IP, 53, 34000 + i, nx(700 + i, name),
              dt=0.02)


def tls_session(c, mac, addr, dst, sp, dport, attack=False):
    c.tcp(mac, GW, addr, dst, sp, dport, SYN, dt=0.0, attack=attack)
    c.tcp(GW, mac, dst, addr, dport, sp, SYN | ACK, dt=0.04)
    c.tcp(mac, GW, addr, dst, sp, dport, ACK, dt=0.001)
    c.tcp(mac, GW, addr, dst, sp, dport, PSH | ACK, bytes(300), dt=0.001)
    c.tcp(GW, mac, dst, addr, dport, sp, PSH | ACK, bytes(1200), dt=0.04)
    c.tcp(mac, GW, addr, dst, sp, dport, FIN | ACK, dt=0.05)
    c.tcp(GW, mac, dst, addr, dport, sp, FIN | ACK, dt=0.04)


@attack("beacon", "beacon", opts="--learn 10m")
def gen_beacon(c, rng):
    """Learns 15 minutes of ordinary life, then beacons every 120 s +-20 %
    to an address it never used, on a fresh connection each time."""
    t0 = c.w.t
    background(c, t0, t0 + 900, rng)
    t = c.w.t + 60
    c2 = bytes([192, 0, 2, 200])
    for i in range(14):
        c.at(t)
        tls_session(c, ATT, ATT_IP, c2, 45000 + i, 8443, attack=True)
        t += 120 * (1 + rng.uniform(-0.2, 0.2))


@attack("dns-forged", "dns_forged", mac=VIC)
def gen_forged_dns(c, rng):
    """The device asks its resolver; a neighbour floods it with answers of
    guessed ids to its port (off-path spoofing, as Kaminsky's)."""
    background(c, c.w.t, c.w.t + 30, rng, mac=VIC, addr=VIC_IP)
    c.udp(VIC, GW, VIC_IP, RESOLVER, 51515, 53,
          pg.dns_query(0x1234, "bank.example"), dt=0.5)
    for i in range(50):
        qid = rng.randint(0, 65535)
        if qid == 0x1234:
            continue
        c.udp(ATT, VIC, RESOLVER, VIC_IP, 53, 51515,
              pg.dns_response(qid, "bank.example",
                              [("bank.example", 1, bytes([6, 6, 6, 6]),
                                86400)]), dt=0.0001, attack=True)
    c.udp(GW, VIC, RESOLVER, VIC_IP, 53, 51515,
          pg.dns_response(0x1234, "bank.example",
                          [("bank.example", 1, bytes([198, 18, 9, 9]), 60)]),
          dt=0.01)


def dhcp_frame(mac, xid, vendor, params, host):
    payload = pg.dhcp_request(mac, xid, host, vendor, params)
    return pg.eth(pg.BCAST, mac, 0x0800) + \
        pg.ipv4(bytes(4), bytes([255] * 4), 17,
                pg.udp(bytes(4), bytes([255] * 4), 68, 67, payload))


@attack("identity-change", "identity_change", opts="--learn 60s")
def gen_identity(c, rng):
    """A camera's DHCP (udhcp's option list) while it learns; two minutes
    later the same MAC asks with Windows' list and vendor class."""
    t0 = c.w.t
    c.add(dhcp_frame(ATT, 1, "udhcp 1.24.2", [1, 3, 6, 12, 15, 28, 42],
                     "ipcam"), 0.01)
    background(c, t0 + 1, t0 + 100, rng)
    c.at(t0 + 180)
    c.add(dhcp_frame(ATT, 2, "MSFT 5.0", [1, 3, 6, 15, 31, 33, 43, 44, 46,
                                           47, 119, 121, 249, 252],
                     "DESKTOP-1"), 0.01, True)


@attack("indicator", "indicator", opts="--indicators {indicators}")
def gen_indicator(c, rng):
    """The device looks up a name on the indicator list and connects to an
    address on it."""
    background(c, c.w.t, c.w.t + 30, rng)
    c.udp(ATT, GW, ATT_IP, RESOLVER, 35000, 53,
          pg.dns_query(900, "update.c2-relay.example"), dt=1.0, attack=True)
    c.udp(GW, ATT, RESOLVER, ATT_IP, 53, 35000,
          pg.dns_response(900, "update.c2-relay.example",
                          [("update.c2-relay.example", 1,
                            bytes([203, 0, 113, 99]), 60)]), dt=0.02)
    tls_session(c, ATT, ATT_IP, bytes([203, 0, 113, 99]), 35500, 443)


@attack("lateral", "lateral",
        opts="--deny-lan 10.77.3.0/24 --allow 10.77.3.1")
def gen_lateral(c, rng):
    """Tries its neighbours' SMB, SSH and telnet: a policy of one cell per
    device denies each (--deny-lan)."""
    background(c, c.w.t, c.w.t + 30, rng)
    for n in range(2, 14):
        for p in (445, 22, 23):
            peer = VIC if n == 10 else OTHER
            c.tcp(ATT, peer, ATT_IP, ip(n), 46000 + n * 3 + p % 3, p, SYN,
                  dt=0.2, attack=True)


@attack("envelope", "envelope", opts="--learn 10m")
def gen_envelope(c, rng):
    """Learns 15 minutes; then accepts connections on telnet (a bot's
    telnetd) from an address it never spoke to."""
    t0 = c.w.t
    background(c, t0, t0 + 900, rng)
    c.at(c.w.t + 30)
    peer = bytes([198, 51, 100, 23])
    for i in range(3):
        sp = 52000 + i
        c.tcp(GW, ATT, peer, ATT_IP, sp, 23, SYN, dt=1.0,
              attack=(i == 0))
        c.tcp(ATT, GW, ATT_IP, peer, 23, sp, SYN | ACK, dt=0.03)
        c.tcp(GW, ATT, peer, ATT_IP, sp, 23, ACK, dt=0.03)
        c.tcp(ATT, GW, ATT_IP, peer, 23, sp, PSH | ACK, b"# ", dt=0.01)


def gen_benign_edges(c, rng):
    """Just under every threshold, for a device-hour: polling a hub every
    2 s on fresh connections, 30 names looked up then connected to on 443,
    4 hosts pinged, a gateway resolving 20 answered neighbours, NTP every
    64 s, 6 NXDOMAINs, a phone reaching a hub a few times a minute."""
    t0 = c.w.t
    hub_ip, hub = ip(30), bytes.fromhex("02000000ee30")
    t = t0
    i = 0
    while t < t0 + 3600:
        c.at(t)
        sp = 20000 + i % 30000
        c.tcp(ATT, hub, ATT_IP, hub_ip, sp, 80, SYN)
        c.tcp(hub, ATT, hub_ip, ATT_IP, 80, sp, SYN | ACK)
        c.tcp(ATT, hub, ATT_IP, hub_ip, sp, 80, ACK)
        c.tcp(ATT, hub, ATT_IP, hub_ip, sp, 80, PSH | ACK, b"GET /state\r\n")
        c.tcp(hub, ATT, hub_ip, ATT_IP, 80, sp, PSH | ACK, bytes(300))
        c.tcp(ATT, hub, ATT_IP, hub_ip, sp, 80, FIN | ACK)
        c.tcp(hub, ATT, hub_ip, ATT_IP, 80, sp, FIN | ACK)
        if i % 32 == 0:
            c.udp(ATT, GW, ATT_IP, bytes([198, 18, 1, 123]), 123, 123,
                  bytes(48))
            c.udp(GW, ATT, bytes([198, 18, 1, 123]), ATT_IP, 123, 123,
                  bytes(48))
        i += 1
        t += 2.0
    # a page: 30 names, each looked up, then HTTPS to each
    c.at(t0 + 100)
    for k in range(30):
        addr = bytes([198, 18, 40, k + 1])
        name = "cdn%d.pages.example" % k
        c.udp(OTHER, GW, OTHER_IP, RESOLVER, 36000 + k, 53,
              pg.dns_query(1000 + k, name), dt=0.002)
        c.udp(GW, OTHER, RESOLVER, OTHER_IP, 53, 36000 + k,
              pg.dns_response(1000 + k, name, [(name, 1, addr, 60)]),
              dt=0.01)
    for k in range(30):
        tls_session(c, OTHER, OTHER_IP, bytes([198, 18, 40, k + 1]),
                    37000 + k, 443)
    for k in range(4):
        c.add(pg.eth(GW, OTHER, 0x0800) +
              pg.ipv4(OTHER_IP, bytes([198, 18, 50, k]), 1,
                      pg.icmp_echo(7, k)), 0.5)
    for n in range(40, 60):
        nm = bytes.fromhex("02000000ef%02x" % n)
        c.add(arp(1, GW, GW_IP, bytes(6), ip(n), pg.BCAST), 0.01)
        c.add(arp(2, nm, ip(n), GW, GW_IP, GW), 0.001)
    for k in range(6):
        name = "typo%d.example" % k
        c.udp(OTHER, GW, OTHER_IP, RESOLVER, 38000 + k, 53,
              pg.dns_query(1100 + k, name), dt=5)
        c.udp(GW, OTHER, RESOLVER, OTHER_IP, 53, 38000 + k,
              nx(1100 + k, name), dt=0.01)


INDICATORS = """# cordon-detect test indicators: VALUE SOURCE COMMENT
203.0.113.99          test-feed   a C2 address of the indicator test
c2-relay.example      test-feed   the C2's names, and all under it
198.51.100.0/24       test-feed   a range nothing in the captures uses
"""


def macstr(m):
    return ":".join("%02x" % b for b in m)


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: gen_attacks.py OUT-DIR')
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ind = os.path.join(out, "indicators.txt")
    with open(ind, "w") as f:
        f.write(INDICATORS)
    rows = []
    for name, amac, det, opts, gen in ATTACKS:
        rng = random.Random(name)
        path = os.path.join(out, name + ".pcap")
        c = Cap(path)
        gen(c, rng)
        c.close()
        rows.append((name + ".pcap", "attack", macstr(amac), det,
                     "%.6f" % c.first, opts.format(indicators=ind)))
    rng = random.Random("benign")
    c = Cap(os.path.join(out, "benign-edges.pcap"))
    gen_benign_edges(c, rng)
    c.close()
    rows.append(("benign-edges.pcap", "benign", "-", "-", "-", ""))
    with open(os.path.join(out, "labels.tsv"), "w") as f:
        f.write("file\tkind\talert_mac\tattack\tfirst_attack_ts\toptions\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


if __name__ == "__main__":
    main()
