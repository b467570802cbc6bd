#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""What runs inside a lab host (python3 stdlib only): servers and clients.

netlab.py runs this in a host's network namespace (ip netns exec):

  prep IFACE [--ipv6]          sysctls for a quiet host (no DAD, no router
                               solicitations) and no TX checksum offload on
                               IFACE (af_packet would carry partial sums)
  serve [--http ADDR:PORT] [--tcp-echo ADDR:PORT] [--udp-echo ADDR:PORT]
        [--dns ADDR:PORT --zone NAME=IP[,IP][@TTL] ...]
                               one process, one thread per server; prints
                               "ready" once every socket is bound
  http-get URL [--dns SERVER]  GET, prints the status line
  tcp HOST PORT                connect, send a line, expect it echoed back
  udp HOST PORT                send a datagram, expect it echoed back
  icmp HOST                    ICMP echo (raw socket; root)
  resolve NAME --dns SERVER    A/AAAA lookup, prints the addresses
  dhcp-mud URL                 broadcast a DHCPREQUEST announcing MUD URL
                               (option 161) from eth0, as a MUD device does
Clients take --timeout S (default 1), --bind ADDR (source address) and exit 0 on success, 1 on failure
(timeout, refused, wrong answer), 2 on a usage error: a failure never costs
more than the timeout.
"""

import argparse
import ctypes
import fcntl
import http.server
import ipaddress
import os
import random
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

# -- host preparation ------------------------------------------------------
SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x17


def tx_csum_off(iface):
    """ethtool -K IFACE tx off, by ioctl: a veth otherwise hands af_packet
    frames whose TCP/UDP checksum the kernel has not filled in yet."""
    val = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_STXCSUM, 0))
    ifr = struct.pack("16sP", iface.encode(), ctypes.addressof(val)) + b"\0" * 16
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifr)


def sysctl(path, value):
    try:
        with open("/proc/sys/" + path, "w") as f:
            f.write(str(value))
    except FileNotFoundError:
        pass        # no IPv6 in this kernel: nothing to quiet


def prep(args):
    for scope in ("all", "default", args.iface):
        base = "net/ipv6/conf/%s/" % scope
        sysctl(base + "disable_ipv6", 0 if args.ipv6 else 1)
        sysctl(base + "accept_dad", 0)
        sysctl(base + "dad_transmits", 0)
        sysctl(base + "router_solicitations", 0)
        sysctl(base + "accept_ra", 0)
    tx_csum_off(args.iface)
    return 0


# -- DNS, just enough ------------------------------------------------------
QTYPE_A, QTYPE_AAAA = 1, 28


def dns_name(buf, i):
    """(name, next offset) of a name at i, compression pointers followed."""
    labels, end, hops = [], None, 0
    while True:
        if i >= len(buf) or hops > 32:
            raise ValueError("bad name")
        n = buf[i]
        if n & 0xC0 == 0xC0:
            if i + 1 >= len(buf):
                raise ValueError("bad pointer")
            if end is None:
                end = i + 2
            i = ((n & 0x3F) << 8) | buf[i + 1]
            hops += 1
            continue
        if n == 0:
            return ".".join(labels), (end if end is not None else i + 1)
        labels.append(buf[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n


def dns_encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_query(name, qtype):
    qid = random.randrange(65536)
    return qid, struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_encode_name(name) + \
        struct.pack("!HH", qtype, 1)


def dns_parse_answer(buf, qid):
    """Addresses in a response to query qid."""
    if len(buf) < 12:
        raise ValueError("short")
    rid, flags, qd, an = struct.unpack("!HHHH", buf[:8])
    if rid != qid or not flags & 0x8000:
        raise ValueError("not our answer")
    i = 12
    for _ in range(qd):
        _, i = dns_name(buf, i)
        i += 4
    addrs = []
    for _ in range(an):
        _, i = dns_name(buf, i)
        rtype, _, _, rdlen = struct.unpack("!HHIH", buf[i:i + 10])
        rdata = buf[i + 10:i + 10 + rdlen]
        i += 10 + rdlen
        if rtype == QTYPE_A and rdlen == 4:
            addrs.append(socket.inet_ntop(socket.AF_INET, rdata))
        elif rtype == QTYPE_AAAA and rdlen == 16:
            addrs.append(socket.inet_ntop(socket.AF_INET6, rdata))
    return addrs


class Zone:
    """NAME=IP[,IP...][@TTL] records, answered authoritatively."""

    def __init__(self, specs):
        self.records = {}
        for spec in specs:
            name, _, rest = spec.partition("=")
            ips, _, ttl = rest.partition("@")
            self.records[name.lower().rstrip(".")] = (
                [ipaddress.ip_address(a) for a in ips.split(",") if a], int(ttl or 60))

    def answer(self, q):
        if len(q) < 12:
            return None
        qid, flags, qd = struct.unpack("!HHH", q[:6])
        if flags & 0x8000 or qd != 1:
            return None
        try:
            name, i = dns_name(q, 12)
        except ValueError:
            return None
        if i + 4 > len(q):
            return None
        qtype, qclass = struct.unpack("!HH", q[i:i + 4])
        question = q[12:i + 4]
        rec = self.records.get(name.lower().rstrip("."))
        answers = []
        if rec:
            want = 4 if qtype == QTYPE_A else 6 if qtype == QTYPE_AAAA else 0
            for a in rec[0]:
                if a.version == want:
                    answers.append(b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, rec[1],
                                                             len(a.packed)) + a.packed)
        rcode = 0 if rec else 3
        hdr = struct.pack("!HHHHHH", qid, 0x8400 | 0x0100 * bool(flags & 0x0100) | rcode, 1,
                          len(answers), 0, 0)
        return hdr + question + b"".join(answers)


# -- servers ---------------------------------------------------------------
def split_hostport(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


def server_addr(s, default_port):
    """ADDR, ADDR:PORT, [V6ADDR] or [V6ADDR]:PORT; a bare V6ADDR too."""
    if s.startswith("["):
        host, _, rest = s[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if s.count(":") == 1:
        return split_hostport(s)
    return s, default_port


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


class HttpHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("cordon lab %s\n" % self.server.server_address[0]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def tcp_server(addr, handler):
    host, port = split_hostport(addr)

    class Server(socketserver.ThreadingTCPServer):
        address_family = family_of(host)
        allow_reuse_address = True
        daemon_threads = True
    return Server((host, port), handler)


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.request.settimeout(5)
        try:
            line = self.rfile.readline(4096)
            self.wfile.write(line)
        except OSError:
            pass


def udp_loop(addr, reply):
    host, port = split_hostport(addr)
    s = socket.socket(family_of(host), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))

    def loop():
        while True:
            data, peer = s.recvfrom(4096)
            try:
                out = reply(data)
            except (ValueError, struct.error, IndexError, UnicodeError):
                continue            # a malformed query gets no answer
            if out is not None:
                s.sendto(out, peer)
    return loop


def serve(args):
    loops = []
    for a in args.http:
        loops.append(tcp_server(a, HttpHandler).serve_forever)
    for a in args.tcp_echo:
        loops.append(tcp_server(a, EchoHandler).serve_forever)
    for a in args.udp_echo:
        loops.append(udp_loop(a, lambda d: d))
    if args.dns:
        zone = Zone(args.zone)
        for a in args.dns:
            loops.append(udp_loop(a, zone.answer))
    for fn in loops:
        threading.Thread(target=fn, daemon=True).start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


# -- clients ---------------------------------------------------------------
def resolve(name, server, timeout, family=socket.AF_INET):
    """Ask the lab's DNS server (not the host's resolver: a lab host has no
    /etc/resolv.conf of its own)."""
    try:
        ipaddress.ip_address(name)
        return [name]
    except ValueError:
        pass
    if not server:
        raise OSError("no DNS server for %s" % name)
    qtype = QTYPE_AAAA if family == socket.AF_INET6 else QTYPE_A
    qid, q = dns_query(name, qtype)
    host, port = server_addr(server, 53)
    with socket.socket(family_of(host), socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(q, (host, port))
        end = time.monotonic() + timeout
        while True:
            s.settimeout(max(0.01, end - time.monotonic()))
            data, _ = s.recvfrom(4096)
            try:
                addrs = dns_parse_answer(data, qid)
            except ValueError:
                continue
            if not addrs:
                raise OSError("%s: no address" % name)
            return addrs


def connect(ip, port, args):
    return socket.create_connection((ip, port), timeout=args.timeout,
                                    source_address=(args.bind, 0) if args.bind else None)


def c_resolve(args):
    print(" ".join(resolve(args.name, args.dns, args.timeout)))
    return 0


def c_http_get(args):
    u = urllib.parse.urlsplit(args.url if "://" in args.url else "http://" + args.url)
    host, port, path = u.hostname, u.port or 80, u.path.lstrip("/")
    ip = resolve(host, args.dns, args.timeout)[0]
    with connect(ip, port, args) as s:
        s.sendall(("GET /%s HTTP/1.0\r\nHost: %s\r\n\r\n" % (path, host)).encode())
        data = b""
        while b"\r\n" not in data:
            c = s.recv(4096)
            if not c:
                break
            data += c
    status = data.split(b"\r\n", 1)[0].decode(errors="replace")
    print(status)
    return 0 if status.split()[1:2] == ["200"] else 1


def c_tcp(args):
    ip = resolve(args.host, args.dns, args.timeout)[0]
    msg = b"cordon %d\n" % random.randrange(1 << 30)
    with connect(ip, args.port, args) as s:
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            c = s.recv(4096)
            if not c:
                break
            got += c
    return 0 if got == msg else 1


def c_udp(args):
    ip = resolve(args.host, args.dns, args.timeout)[0]
    msg = b"cordon %d" % random.randrange(1 << 30)
    with socket.socket(family_of(ip), socket.SOCK_DGRAM) as s:
        s.settimeout(args.timeout)
        if args.bind:
            s.bind((args.bind, 0))
        s.connect((ip, args.port))
        s.send(msg)
        return 0 if s.recv(4096) == msg else 1


def c_udp_retry(args):
    """One UDP flow (a fixed source port) that says "ready", then sends
    every 50 ms until an echo comes back: prints "answered T", T the
    CLOCK_MONOTONIC time of the echo (the same clock in every namespace)."""
    ip = resolve(args.host, args.dns, args.timeout)[0]
    msg = b"cordon %d" % random.randrange(1 << 30)
    end = time.monotonic() + args.timeout
    with socket.socket(family_of(ip), socket.SOCK_DGRAM) as s:
        s.bind((args.bind or "", args.sport))
        s.connect((ip, args.port))
        s.settimeout(0.05)
        print("ready", flush=True)
        while time.monotonic() < end:
            s.send(msg)
            try:
                if s.recv(4096) == msg:
                    print("answered %.6f" % time.monotonic(), flush=True)
                    return 0
            except socket.timeout:
                pass
    return 1


def inet_sum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def c_icmp(args):
    ip = resolve(args.host, args.dns, args.timeout)[0]
    ident, seq = os.getpid() & 0xFFFF, 1
    payload = b"cordon-lab"
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    pkt = struct.pack("!BBHHH", 8, 0, inet_sum(hdr + payload), ident, seq) + payload
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as s:
        if args.bind:
            s.bind((args.bind, 0))
        s.sendto(pkt, (ip, 0))
        end = time.monotonic() + args.timeout
        while True:
            s.settimeout(max(0.01, end - time.monotonic()))
            data, peer = s.recvfrom(4096)
            ihl = (data[0] & 0x0F) * 4
            t, _, _, rid, rseq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if peer[0] == ip and t == 0 and rid == ident and rseq == seq:
                return 0


def c_dhcp_mud(args):
    """One DHCPREQUEST announcing a MUD URL (RFC 8520, option 161), as a
    device does, broadcast from this host's eth0; no answer expected."""
    with open("/sys/class/net/eth0/address") as f:
        mac = bytes.fromhex(f.read().strip().replace(":", ""))
    u = args.url.encode()
    opts = bytes([53, 1, 3, 61, 7, 1]) + mac + bytes([55, 4, 1, 3, 6, 15])
    opts += bytes([161, len(u)]) + u + b"\xff"
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, random.randrange(1 << 32),
                        0, 0x8000, bytes(4), bytes(4), bytes(4), bytes(4), mac + bytes(10),
                        bytes(64), bytes(128))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")
        s.bind(("0.0.0.0", 68))
        s.sendto(bootp + b"\x63\x82\x53\x63" + opts, ("255.255.255.255", 67))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("iface")
    p.add_argument("--ipv6", action="store_true")
    p.set_defaults(fn=prep)
    p = sub.add_parser("serve")
    for opt in ("--http", "--tcp-echo", "--udp-echo", "--dns", "--zone"):
        p.add_argument(opt, action="append", default=[])
    p.set_defaults(fn=serve)

    def client(name, fn, *pos):
        c = sub.add_parser(name)
        for a, t in pos:
            c.add_argument(a, type=t)
        c.add_argument("--timeout", type=float, default=1.0)
        c.add_argument("--dns", default=None, help="DNS server ADDR[:PORT]")
        c.add_argument("--bind", default=None, help="source address")
        c.set_defaults(fn=fn)
    client("http-get", c_http_get, ("url", str))
    client("tcp", c_tcp, ("host", str), ("port", int))
    client("udp", c_udp, ("host", str), ("port", int))
    client("udp-retry", c_udp_retry, ("host", str), ("port", int), ("sport", int))
    client("icmp", c_icmp, ("host", str))
    client("resolve", c_resolve, ("name", str))
    client("dhcp-mud", c_dhcp_mud, ("url", str))
    args = ap.parse_args(argv)
    try:
        return args.fn(args)
    except (OSError, ValueError, struct.error, IndexError) as e:
        print("%s: %s" % (args.cmd, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
