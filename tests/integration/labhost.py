#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""What runs inside a lab host (python3 stdlib only): servers and clients.

netlab.py runs this in a host's network namespace (ip netns exec):

  prep IFACE [--ipv6] [--netns NAME ...]
                               sysctls for a quiet host (no DAD, no router
                               solicitations) and no TX checksum offload on
                               IFACE (af_packet would carry partial sums);
                               --netns: in each of these named namespaces
                               in turn (netlab prepares a lab's hosts with
                               one start), not in this process's own
  serve [--http ADDR:PORT] [--tcp-echo ADDR:PORT] [--udp-echo ADDR:PORT]
        [--dns ADDR:PORT --zone NAME=IP[,IP][@TTL] ...]
        [--tls ADDR:PORT --tls-cert PEM] [--ntp ADDR:PORT]
        [--telnet ADDR:PORT] [--dhcp ADDR/LEN --lease MAC=IP ...]
                               one process, one thread per server; prints
                               "ready" once every socket is bound. tls:
                               HTTPS with PEM's certificate and key; ntp:
                               an SNTP server (RFC 4330); telnet: a login
                               prompt that refuses every password; dhcp: a
                               DHCP server on eth0 (RFC 2131) handing out
                               the leases (else from .100 up), with ADDR
                               as router and DNS server
  http-get URL [--dns SERVER]  GET, prints the status line
  tcp HOST PORT                connect, send a line, expect it echoed back
  udp HOST PORT                send a datagram, expect it echoed back
  icmp HOST                    ICMP echo (raw socket; root)
  resolve NAME --dns SERVER    A/AAAA lookup, prints the addresses
  dhcp-mud URL                 broadcast a DHCPREQUEST announcing MUD URL
                               (option 161) from eth0, as a MUD device does
  dhcp [--hostname H] [--vendor-class V] [--params 1,3,6]
                               a DHCP client on eth0 (raw socket, as the
                               address is not there yet): DISCOVER, OFFER,
                               REQUEST, ACK with host name (option 12),
                               vendor class (60) and parameter list (55);
                               then the lease goes on eth0 with a default
                               route via the router; prints the address
  macs HOST DST_MAC FIRST COUNT
                               a UDP frame to HOST from each of COUNT made-up
                               devices' MACs (02:5e:00:00:NN:NN from FIRST)
  mdns --host H --service TYPE/INSTANCE/PORT[/K=V;K=V]
                               one mDNS announcement (RFC 6762/6763): the
                               services' PTR, SRV and TXT and H.local's A
  tls-get URL --ca FILE        HTTPS GET, the server's name checked
  ntp HOST                     one SNTP request, expects a server's answer
  (clients: --dns-sport P sends the DNS queries from port P)
  steady HOST PORT --rate N --seconds S
                               UDP echo at N a second for S seconds (or
                               until SIGTERM); prints "started", then {"sent", "answered",
                               "lost"} as JSON; exits 0 when none was lost
Clients take --timeout S (default 1), --bind ADDR (source address) and exit 0 on success, 1 on failure
(timeout, refused, wrong answer), 2 on a usage error: a failure never costs
more than the timeout.
"""

import argparse
import fcntl
import ipaddress
import os
import random
import socket
import struct
import sys
import time

# -- host preparation ------------------------------------------------------
SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x17


def tx_csum_off(iface):
    """ethtool -K IFACE tx off, by ioctl: a veth otherwise hands af_packet
    frames whose TCP/UDP checksum the kernel has not filled in yet."""
    import ctypes
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


CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Move this process into network namespace NAME of ip netns, as ip
    netns exec does (but for its /sys, which prep does not use): /proc/sys
    and new sockets are then that namespace's."""
    fd = os.open("/var/run/netns/" + name, os.O_RDONLY)
    try:
        if hasattr(os, "setns"):        # Python 3.12
            os.setns(fd, CLONE_NEWNET)
        else:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.setns(fd, CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def prep(args):
    for ns in args.netns or [None]:
        if ns:
            enter_netns(ns)
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


def tcp_server(addr, handler):
    import socketserver
    host, port = split_hostport(addr)

    class Server(socketserver.ThreadingTCPServer):
        address_family = family_of(host)
        allow_reuse_address = True
        daemon_threads = True
    return Server((host, port), handler)


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


class TlsHttpServer:
    """HTTPS: an HttpHandler behind TLS with one certificate (the cloud's)."""

    def __init__(self, addr, pem, handler):
        import ssl
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(pem)
        self.srv = tcp_server(addr, handler)
        self.srv.socket = self.ctx.wrap_socket(self.srv.socket, server_side=True,
                                               do_handshake_on_connect=False)

    def serve_forever(self):
        self.srv.serve_forever()


NTP_EPOCH = 2208988800          # 1900-01-01 to 1970-01-01, seconds


def ntp_stamp(t):
    return struct.pack("!II", int(t) + NTP_EPOCH, int((t % 1) * (1 << 32)))


def ntp_reply(q):
    """An SNTP server's answer (RFC 4330 section 5) to a client's request."""
    if len(q) < 48 or q[0] & 7 != 3:
        return None
    now = time.time()
    return bytes([(q[0] & 0x38) | 4, 2, q[2], 0xEC]) + struct.pack("!II", 0, 0) + \
        b"LAB\0" + ntp_stamp(now - 16) + q[40:48] + ntp_stamp(now) + ntp_stamp(now)


def handlers():
    """The TCP servers' request handlers: {"http", "echo", "telnet"}.
    Made here, on serve's first call, not at import: http.server and
    socketserver were more than half of every client's start (a client is
    one process, and a lab runs one per connection it tries)."""
    import http.server
    import socketserver

    class HttpHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = ("cordon lab %s\n" % self.server.server_address[0]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    class EchoHandler(socketserver.StreamRequestHandler):
        def handle(self):
            self.request.settimeout(5)
            try:
                line = self.rfile.readline(4096)
                self.wfile.write(line)
            except OSError:
                pass

    class TelnetHandler(socketserver.StreamRequestHandler):
        """A device's telnet login, as login(1) does it: three tries per
        connection, every password refused (what a brute forcer meets on an
        IoT device that still runs telnetd)."""

        def readline(self):
            """A line ends at CR (NVT: CR NUL or CR LF) or at LF."""
            line = b""
            while len(line) < 256:
                c = self.rfile.read(1)
                if not c:
                    raise EOFError
                if c == b"\xff":            # IAC: skip the option negotiation
                    self.rfile.read(2)
                elif c in (b"\n", b"\0") and self.after_cr and not line:
                    pass                    # the rest of the last line's end
                elif c in (b"\r", b"\n"):
                    self.after_cr = c == b"\r"
                    return line
                else:
                    line += c
                self.after_cr = False
            return line

        def handle(self):
            self.request.settimeout(10)
            self.after_cr = False
            try:
                self.wfile.write(b"\r\nprintserver login: ")
                for i in range(3):
                    while not self.readline():      # login(1) asks again
                        self.wfile.write(b"printserver login: ")
                    self.wfile.write(b"Password: ")
                    self.readline()
                    time.sleep(0.2)
                    self.wfile.write(b"\r\nLogin incorrect\r\n" +
                                     (b"printserver login: " if i < 2 else b""))
            except (OSError, EOFError):
                pass

    return {"http": HttpHandler, "echo": EchoHandler, "telnet": TelnetHandler}


# -- DHCP (RFC 2131, 2132) -------------------------------------------------
DHCP_MAGIC = b"\x63\x82\x53\x63"
DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_ACK, DHCP_NAK = 1, 2, 3, 5, 6
BOOTP_FMT = "!BBBBIHH4s4s4s4s16s64s128s"


def dhcp_options(buf):
    """{code: bytes} of a DHCP message's options (after the magic)."""
    off = struct.calcsize(BOOTP_FMT)
    if buf[off:off + 4] != DHCP_MAGIC:
        raise ValueError("no DHCP magic")
    i, out = off + 4, {}
    while i < len(buf):
        code = buf[i]
        if code == 255:
            break
        if code == 0:
            i += 1
            continue
        n = buf[i + 1]
        out[code] = buf[i + 2:i + 2 + n]
        i += 2 + n
    return out


def dhcp_msg(op, xid, mac, opts, yiaddr=b"\0" * 4, siaddr=b"\0" * 4, flags=0x8000):
    """A BOOTP message; opts: [(code, bytes)] in wire order."""
    body = struct.pack(BOOTP_FMT, op, 1, 6, 0, xid, 0, flags, bytes(4), yiaddr, siaddr,
                       bytes(4), mac + bytes(10), bytes(64), bytes(128))
    return body + DHCP_MAGIC + b"".join(bytes([c, len(v)]) + v for c, v in opts) + b"\xff"


class DhcpServer:
    """A home router's DHCP server: reservations by MAC, else a pool from
    .100; answers broadcast, as the clients have no address yet."""

    def __init__(self, spec, leases):
        net = ipaddress.ip_interface(spec)
        self.me, self.net = net.ip, net.network
        self.leases = {}
        for lease in leases:
            mac, _, ip = lease.partition("=")
            self.leases[bytes.fromhex(mac.replace(":", ""))] = ipaddress.ip_address(ip)
        self.next = 100

    def lease_of(self, mac):
        if mac not in self.leases:
            self.leases[mac] = self.net.network_address + self.next
            self.next += 1
        return self.leases[mac]

    def answer(self, q):
        op, _, _, _, xid = struct.unpack("!BBBBI", q[:8])
        mac = q[28:34]
        opts = dhcp_options(q)
        kind = opts.get(53, b"\0")[0]
        if op != 1 or kind not in (DHCP_DISCOVER, DHCP_REQUEST):
            return None
        ip = self.lease_of(mac)
        if kind == DHCP_REQUEST:
            want = opts.get(50) or q[12:16]
            kind = DHCP_ACK if want == ip.packed else DHCP_NAK
        else:
            kind = DHCP_OFFER
        me = self.me.packed
        out = [(53, bytes([kind])), (54, me)]
        if kind != DHCP_NAK:
            out += [(51, struct.pack("!I", 86400)), (1, self.net.netmask.packed), (3, me),
                    (6, me), (15, b"lan")]
        return dhcp_msg(2, xid, mac, out, yiaddr=ip.packed if kind != DHCP_NAK else bytes(4),
                        siaddr=me)

    def loop(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")
        s.bind(("0.0.0.0", 67))

        def run():
            while True:
                q, _ = s.recvfrom(4096)
                try:
                    out = self.answer(q)
                except (ValueError, struct.error, IndexError):
                    continue
                if out is not None:
                    s.sendto(out, ("255.255.255.255", 68))
        return run


def serve(args):
    import threading
    # http.server's imports only where a TCP server needs them.
    h = handlers() if args.http or args.tcp_echo or args.tls or args.telnet else {}
    loops = []
    for a in args.http:
        loops.append(tcp_server(a, h["http"]).serve_forever)
    for a in args.tcp_echo:
        loops.append(tcp_server(a, h["echo"]).serve_forever)
    for a in args.udp_echo:
        loops.append(udp_loop(a, lambda d: d))
    if args.dns:
        zone = Zone(args.zone)
        for a in args.dns:
            loops.append(udp_loop(a, zone.answer))
    for a in args.tls:
        loops.append(TlsHttpServer(a, args.tls_cert, h["http"]).serve_forever)
    for a in args.ntp:
        loops.append(udp_loop(a, ntp_reply))
    for a in args.telnet:
        loops.append(tcp_server(a, h["telnet"]).serve_forever)
    for a in args.dhcp:
        loops.append(DhcpServer(a, args.lease).loop())
    for fn in loops:
        threading.Thread(target=fn, daemon=True).start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


# -- clients ---------------------------------------------------------------
DNS_SPORT = [0]         # --dns-sport: the queries' fixed source port


def resolve(name, server, timeout, family=socket.AF_INET):
    """Ask the lab's DNS server (not the host's resolver: a lab host has no
    /etc/resolv.conf of its own). Answers with another id are ignored, as
    a stub resolver does."""
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
        if DNS_SPORT[0]:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("", DNS_SPORT[0]))
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
    import urllib.parse
    u = urllib.parse.urlsplit(args.url if "://" in args.url else "http://" + args.url)
    host, port, path = u.hostname, u.port or 80, u.path.lstrip("/")
    ip = resolve(host, args.dns, args.timeout)[0]
    with connect(ip, port, args) as s:
        s.sendall(("GET /%s HTTP/1.0\r\nHost: %s\r\n\r\n" % (path, host)).encode())
        return http_status(s)


def http_status(s):
    """Print an HTTP answer's status line; 0 for a 200."""
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


def iface_mac(iface="eth0"):
    with open("/sys/class/net/%s/address" % iface) as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def iface_addr(iface="eth0"):
    """IFACE's IPv4 address (SIOCGIFADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        r = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", iface.encode()))
    return socket.inet_ntoa(r[20:24])


def udp_frame(src_mac, src, dst, sport, dport, payload, dst_mac=b"\xff" * 6):
    """Ethernet + IPv4 + UDP, checksums filled in."""
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    csum = inet_sum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0x10, 20 + ulen, random.randrange(65536), 0, 64,
                     17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", inet_sum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + udp


def c_macs(args):
    """One UDP frame from each of COUNT made-up devices (02:5e:00:00 and
    the number, from FIRST) to DST_MAC: a site's phones with new MACs."""
    dst_mac = bytes.fromhex(args.dst_mac.replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind(("eth0", 0x0800))
    for n in range(args.first, args.first + args.count):
        mac = bytes([2, 0x5E, 0, 0, (n >> 8) & 255, n & 255])
        src = bytes([10, 9, 1 + (n >> 8) % 250, 1 + n % 250])
        s.send(udp_frame(mac, src, socket.inet_aton(args.host), 40000 + n % 20000, 7,
                         b"device %d" % n, dst_mac=dst_mac))
    s.close()
    print("sent %d" % args.count, flush=True)
    return 0


def c_dhcp(args):
    """DISCOVER, OFFER, REQUEST, ACK as a device's DHCP client does it, on
    a raw socket: eth0 has no address yet."""
    mac = iface_mac()
    xid = random.randrange(1 << 32)
    ident = [(61, b"\x01" + mac), (57, struct.pack("!H", 1500))]
    if args.vendor_class:
        ident.append((60, args.vendor_class.encode()))
    if args.hostname:
        ident.append((12, args.hostname.encode()))
    params = [(55, bytes(int(x) for x in args.params.split(",")))] if args.params else []
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind(("eth0", 0x0800))
    end = time.monotonic() + args.timeout

    def exchange(opts, want):
        """Send, and again every second (a client retransmits, RFC 2131
        4.1, here faster than its 4 s), until the answer comes."""
        msg = dhcp_msg(1, xid, mac, [(53, bytes([opts[0]]))] + opts[1])
        resend = 0
        while True:
            now = time.monotonic()
            if now >= end:
                raise socket.timeout("no DHCP answer")
            if now >= resend:
                s.send(udp_frame(mac, bytes(4), b"\xff" * 4, 68, 67, msg))
                resend = now + 1
            s.settimeout(max(0.01, min(end, resend) - now))
            try:
                f = s.recv(4096)
            except socket.timeout:
                continue
            ihl = (f[14] & 0x0F) * 4
            if len(f) < 14 + ihl + 8 or f[23] != 17:
                continue
            u = 14 + ihl
            if struct.unpack("!H", f[u + 2:u + 4])[0] != 68:
                continue
            m = f[u + 8:]
            try:
                if m[0] != 2 or struct.unpack("!I", m[4:8])[0] != xid or m[28:34] != mac:
                    continue
                o = dhcp_options(m)
            except (ValueError, struct.error, IndexError):
                continue
            kind = o.get(53, b"\0")[0]
            if kind == DHCP_NAK:
                raise OSError("DHCPNAK from %s" % socket.inet_ntoa(o.get(54, bytes(4))))
            if kind == want:
                return m[16:20], o
    yiaddr, o = exchange((DHCP_DISCOVER, ident + params), DHCP_OFFER)
    server = o.get(54, bytes(4))
    yiaddr, o = exchange((DHCP_REQUEST, ident[:1] + [(50, yiaddr), (54, server)] +
                          ident[1:] + params), DHCP_ACK)
    s.close()
    addr = socket.inet_ntoa(yiaddr)
    plen = bin(struct.unpack("!I", o.get(1, b"\xff\xff\xff\0"))[0]).count("1")
    if args.apply:
        import subprocess
        subprocess.run(["ip", "addr", "replace", "%s/%d" % (addr, plen), "dev", "eth0"],
                       check=True)
        if 3 in o:
            subprocess.run(["ip", "route", "replace", "default", "via",
                            socket.inet_ntoa(o[3][:4])], check=True)
    print(addr)
    return 0


def mdns_rr(name, rtype, rdata, ttl=120, flush=True):
    return dns_encode_name(name) + struct.pack("!HHIH", rtype, 0x8001 if flush else 1, ttl,
                                               len(rdata)) + rdata


def c_mdns(args):
    """One unsolicited mDNS response announcing the services, as a device
    does when it joins (RFC 6762 section 8.3)."""
    host = args.host + ".local"
    ip = args.bind or iface_addr()
    rrs = []
    for spec in args.service:
        parts = spec.split("/")
        stype, inst, port = parts[0] + ".local", parts[1], int(parts[2])
        full = "%s.%s" % (inst, stype)
        txt = b"".join(bytes([len(t)]) + t.encode() for t in
                       (parts[3].split(";") if len(parts) > 3 and parts[3] else [""]))
        rrs.append(mdns_rr("_services._dns-sd._udp.local", 12, dns_encode_name(stype),
                           4500, False))
        rrs.append(mdns_rr(stype, 12, dns_encode_name(full), 4500, False))
        rrs.append(mdns_rr(full, 33, struct.pack("!HHH", 0, 0, port) + dns_encode_name(host)))
        rrs.append(mdns_rr(full, 16, txt, 4500))
    rrs.append(mdns_rr(host, 1, socket.inet_aton(ip)))
    msg = struct.pack("!HHHHHH", 0, 0x8400, 0, len(rrs), 0, 0) + b"".join(rrs)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(ip))
        s.bind(("0.0.0.0", 5353))
        s.sendto(msg, ("224.0.0.251", 5353))
    return 0


def c_tls_get(args):
    import ssl
    import urllib.parse
    u = urllib.parse.urlsplit(args.url if "://" in args.url else "https://" + args.url)
    host, port = u.hostname, u.port or 443
    ip = resolve(host, args.dns, args.timeout)[0]
    ctx = ssl.create_default_context(cafile=args.ca)
    with connect(ip, port, args) as raw, ctx.wrap_socket(raw, server_hostname=host) as s:
        s.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                   % (u.path.lstrip("/"), host)).encode())
        return http_status(s)


def c_ntp(args):
    ip = resolve(args.host, args.dns, args.timeout)[0]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(args.timeout)
        if args.bind:
            s.bind((args.bind, 0))
        s.connect((ip, 123))
        stamp = ntp_stamp(time.time())
        s.send(bytes([0x23]) + bytes(39) + stamp)       # v4, client
        r = s.recv(512)
    if len(r) < 48 or r[0] & 7 != 4 or r[24:32] != stamp:
        raise OSError("not an answer to our request")
    print("%s stratum %d" % (ip, r[1]))
    return 0


def c_steady(args):
    """A steady benign flow: numbered UDP datagrams to an echo server, and
    which came back. SIGTERM ends it early, with the count so far."""
    import json
    import signal
    import threading
    ip = resolve(args.host, args.dns, args.timeout)[0]
    # A plain flag: Event.set() from a signal handler can deadlock on the
    # Event's own lock when the signal lands inside stop.wait().
    stop = {"set": False, "drain": float("inf")}

    def on_term(*_):
        stop["set"] = True
    signal.signal(signal.SIGTERM, on_term)
    print("started", flush=True)        # SIGTERM is ours from here on
    got = set()
    s = socket.socket(family_of(ip), socket.SOCK_DGRAM)
    s.connect((ip, args.port))
    s.settimeout(0.2)

    def rx():
        while not (stop["set"] and stop["drain"] < time.monotonic()):
            try:
                d = s.recv(64)
            except socket.timeout:
                continue
            except OSError:
                continue        # ICMP unreachable: counted as lost
            if d.startswith(b"steady "):
                got.add(int(d.split()[1]))
    t = threading.Thread(target=rx, daemon=True)
    t.start()
    sent, start = 0, time.monotonic()
    while not stop["set"] and time.monotonic() - start < args.seconds:
        try:
            s.send(b"steady %d" % sent)
        except OSError:
            pass
        sent += 1
        time.sleep(max(0.0, start + sent / args.rate - time.monotonic()))
    stop["drain"] = time.monotonic() + args.timeout     # the last echoes
    stop["set"] = True
    t.join()
    print(json.dumps({"sent": sent, "answered": len(got), "lost": sent - len(got)}),
          flush=True)
    return 0 if len(got) == sent else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("iface")
    p.add_argument("--ipv6", action="store_true")
    p.add_argument("--netns", action="append", default=[])
    p.set_defaults(fn=prep)
    p = sub.add_parser("serve")
    for opt in ("--http", "--tcp-echo", "--udp-echo", "--dns", "--zone", "--tls", "--ntp",
                "--telnet", "--dhcp", "--lease"):
        p.add_argument(opt, action="append", default=[])
    p.add_argument("--tls-cert")
    p.set_defaults(fn=serve)

    def client(name, fn, *pos):
        c = sub.add_parser(name)
        for a, t in pos:
            c.add_argument(a, type=t)
        c.add_argument("--timeout", type=float, default=1.0)
        c.add_argument("--dns", default=None, help="DNS server ADDR[:PORT]")
        c.add_argument("--bind", default=None, help="source address")
        c.add_argument("--dns-sport", type=int, default=0,
                       help="the DNS queries' source port (default: any)")
        c.set_defaults(fn=fn)
        return c
    client("http-get", c_http_get, ("url", str))
    client("tcp", c_tcp, ("host", str), ("port", int))
    client("udp", c_udp, ("host", str), ("port", int))
    client("udp-retry", c_udp_retry, ("host", str), ("port", int), ("sport", int))
    client("icmp", c_icmp, ("host", str))
    client("resolve", c_resolve, ("name", str))
    client("dhcp-mud", c_dhcp_mud, ("url", str))
    c = client("macs", c_macs, ("host", str), ("dst_mac", str), ("first", int),
               ("count", int))
    c = client("dhcp", c_dhcp)
    c.add_argument("--hostname")
    c.add_argument("--vendor-class")
    c.add_argument("--params", help="option 55, as 1,3,6")
    c.add_argument("--no-apply", dest="apply", action="store_false")
    c = client("mdns", c_mdns)
    c.add_argument("--host", required=True)
    c.add_argument("--service", action="append", default=[])
    c = client("tls-get", c_tls_get, ("url", str))
    c.add_argument("--ca", required=True)
    client("ntp", c_ntp, ("host", str))
    c = client("steady", c_steady, ("host", str), ("port", int))
    c.add_argument("--rate", type=float, default=50)
    c.add_argument("--seconds", type=float, default=3600)
    args = ap.parse_args(argv)
    DNS_SPORT[0] = getattr(args, "dns_sport", 0)
    try:
        return args.fn(args)
    except (OSError, ValueError, struct.error, IndexError) as e:
        print("%s: %s" % (args.cmd, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
