#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The namespace lab itself (netlab.py, labhost.py), with no policy.

Leftovers of a dead lab are removed when a lab starts; two labs in one
process get distinct names; then hosts with IPv4 and IPv6, a router with
"internet" addresses of both families and a DNS server, bridged by a real
cordon-dataplane on AF_XDP ports (af_packet where AF_XDP cannot start):
TCP, UDP, ICMP, HTTP by name, HTTP over IPv6 and a
connection from a router address must all pass, a closed port must fail
(refused, not timed out), and the dataplane must have dropped nothing.

Exit 77 (skip) without root or network namespaces.
"""

import argparse
import signal
import subprocess
import time

import netlab
from cordonlab import Lab, final_counters, run


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def check_stale_cleanup():
    pid = dead_pid()
    ns, link = "%s%d-old" % (netlab.PREFIX, pid), "%s%d.0" % (netlab.PREFIX, pid)
    netlab.sh("ip", "netns", "add", ns)
    netlab.sh("ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns)
    ours = {ns, link}
    made = {n for _, n in netlab.stale()} & ours
    assert made == ours, "the stale lab was not made: %s" % made
    netlab.clean_stale()
    # The outcome, not the steps: some kernels delete the veth with its
    # namespace, so how many deletions it took varies. (Only ours: another
    # lab on this machine may die meanwhile.)
    left = {n for _, n in netlab.stale()} & ours
    listed = netlab.sh("ip", "netns", "list").stdout + netlab.sh("ip", "-o", "link").stdout
    assert not left and ns not in listed and link not in listed, \
        "stale lab left behind: %s" % (left or listed)
    a, b = netlab.NetLab("a"), netlab.NetLab("b")
    assert a.tag != b.tag, "two labs share the tag %s" % a.tag
    print("stale namespace and link removed; labs %s and %s" % (a.tag, b.tag))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    args = ap.parse_args()
    netlab.require()
    check_stale_cleanup()

    nl = netlab.NetLab("selftest", verbose=True)
    h1 = nl.add_host("h1", "02:00:00:00:01:01", ["10.9.0.1/24", "fd00:9::1/64"],
                     gateway="10.9.0.254", gateway6="fd00:9::fe")
    h2 = nl.add_host("h2", "02:00:00:00:01:02", ["10.9.0.2/24", "fd00:9::2/64"],
                     gateway="10.9.0.254", gateway6="fd00:9::fe")
    r = nl.add_router("router", "02:00:00:00:01:fe", ["10.9.0.254/24", "fd00:9::fe/64"],
                      wan=["203.0.113.80", "192.0.2.8"], wan6=["2001:db8::80"])
    lab = Lab(args.build, "netlab")
    ok = False
    t0 = time.monotonic()
    try:
        nl.up()
        r.serve(http=["203.0.113.80:80", "[2001:db8::80]:80"], udp_echo=["0.0.0.0:7"])
        h2.serve(tcp_echo=["0.0.0.0:8010"], udp_echo=["[::]:7"], http=["0.0.0.0:80"],
                 dns=["10.9.0.2:53"], zone=["www.example.lab=203.0.113.80,2001:db8::80@5"])
        # AF_XDP ports (generic XDP on the veths), af_packet where the
        # kernel cannot: the nist tests run on af_packet.
        dp = nl.start_dataplane(lab, "--no-control", port="af_xdp")
        print("dataplane on %s ports" % dp.port)
        checks = [
            ("tcp v4 h1 -> h2", h1, ("tcp", "10.9.0.2", 8010), {}),
            ("udp v6 h1 -> h2", h1, ("udp", "fd00:9::2", 7), {}),
            ("icmp v4 h1 -> h2", h1, ("icmp", "10.9.0.2"), {}),
            ("resolve by the lab DNS", h1, ("resolve", "www.example.lab"), {"dns": "10.9.0.2"}),
            ("http by name h1 -> router", h1, ("http-get", "http://www.example.lab/"),
             {"dns": "10.9.0.2"}),
            ("http v6 h1 -> router", h1, ("http-get", "http://[2001:db8::80]/"), {}),
            ("http from 192.0.2.8 (router) -> h2", r, ("http-get", "http://10.9.0.2/"),
             {"bind": "192.0.2.8"}),
            ("udp h2 -> router", h2, ("udp", "10.9.0.254", 7), {}),
        ]
        for what, host, cargs, kw in checks:
            # Each passes in milliseconds; the bound is for a loaded machine.
            res = host.client(*cargs, timeout=10.0, **kw)
            print("%-40s %s %s" % (what, "pass" if res else "FAIL", host.last.stdout.strip()))
            assert res, "%s: %s" % (what, host.last.stderr.strip())
        # A closed port is refused (an RST through the bridge), not left
        # to time out.
        t = time.monotonic()
        assert not h1.client("tcp", "10.9.0.2", 9, timeout=10.0), "closed port answered"
        assert "refused" in h1.last.stderr, "closed port: %s" % h1.last.stderr.strip()
        print("closed port refused in %.2f s: %s" % (time.monotonic() - t,
                                                     h1.last.stderr.strip()))
        dp.send_signal(signal.SIGTERM)
        assert dp.wait(20) == 0
        rx, tx, drops = final_counters(dp.log_path)
        print("dataplane: rx %d tx %d drops %d" % (rx, tx, drops))
        assert rx > 20 and tx >= rx, "too little traffic bridged: rx %d tx %d" % (rx, tx)
        assert drops == 0, "drops without a policy: %d" % drops
        ok = True
    except BaseException:
        lab.dump_logs()
        raise
    finally:
        nl.down()
        bad = lab.stop_all()
    left = netlab.sh("ip", "netns", "list").stdout
    assert nl.tag not in left, "namespaces left behind: %s" % left
    if ok and bad:
        raise AssertionError("unclean exit: %s" % ", ".join(bad))
    print("in %.1f s" % (time.monotonic() - t0))


if __name__ == "__main__":
    run(main)
