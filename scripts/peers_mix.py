#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The IoT mix and the 1,000-device policy of scripts/bench_peers.sh.

One description of the devices and what each may reach, written out as a
capture and compiled into every compared system's form:

  mix.pcap        10,000 IPv4 frames (60-252 bytes captured), one direction,
                  from 1,000 device MACs/addresses in 192.168.0.0/16
  cordon.txtpb    a cordon.Policy (encode with protoc for --policy)
  acl_v4.cfg      DPDK l3fwd --lookup=acl rules ('R' = forward; a packet
  acl_v6.cfg      that matches no rule is dropped)
  ovs.flows       OpenFlow rules, stateless
  ovs-ct.flows    the same through conntrack: a new connection must match a
                  device's rule and is committed, established ones pass
  mix.json        packet count, allowed count and other facts

The policy: device i may open TCP connections to the hosts of one service
/24 (one of 64, in 198.18.0.0/16) on one port (443, 8443 or 8883), and
nothing else; the rule names the device by MAC (Cordon, OVS) and by its
address (l3fwd's ACL sees no MACs, and OVS matches both). Half the packets
are allowed. The rest go to other internet hosts (35 %), to other devices
(35 %: ssh, telnet, MQTT, mDNS, SSDP...) or to the device's own service on
the wrong port or protocol (30 %). Every packet has a random source port,
so the capture holds about 10,000 flows, each seen once per replay.

Standard library only; deterministic (seeded).

  peers_mix.py OUTDIR [--packets N] [--devices N] [--seed S]
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcapgen  # noqa: E402

N_SVC = 64		# service /24s: 198.18.0.0/24 .. 198.18.63.0/24
HOSTS_PER_SVC = 80
N_OTHER = 3000		# other internet hosts, in 198.19.0.0/16
GW_MAC = bytes.fromhex("020000fffffe")
DEV_NET = (192, 168, 0, 0, 16)


def dev_mac(i):
    return bytes([2, 0, 0, 0, (i >> 8) & 255, i & 255])


def dev_ip(i):
    return bytes([192, 168, 1 + i // 250, 1 + i % 250])


def svc_net(s):
    return bytes([198, 18, s, 0])


def dot(b):
    return ".".join(str(x) for x in b)


def colons(b):
    return ":".join("%02x" % x for x in b)


def octal(b):
    return '"' + "".join("\\%03o" % x for x in b) + '"'


class Mix:
    def __init__(self, devices, seed):
        rng = random.Random(seed)
        self.rng = rng
        self.devices = devices
        self.svc_of = [(i * 7 + rng.randint(0, 3)) % N_SVC for i in range(devices)]
        self.port_of = [rng.choice((443, 443, 443, 8883, 8443)) for _ in range(devices)]
        self.svc_hosts = [[bytes([198, 18, s, h]) for h in rng.sample(range(1, 255), HOSTS_PER_SVC)]
                          for s in range(N_SVC)]
        self.other = [bytes([198, 19, rng.randrange(256), rng.randrange(1, 255)])
                      for _ in range(N_OTHER)]

    # -- the capture ------------------------------------------------------
    def packet(self):
        """One frame and whether the policy allows it."""
        rng = self.rng
        d = rng.randrange(self.devices)
        src = dev_ip(d)
        sport = rng.randint(1024, 65535)
        allowed = rng.random() < 0.5
        if allowed:
            dst = rng.choice(self.svc_hosts[self.svc_of[d]])
            proto, dport = 6, self.port_of[d]
        else:
            r = rng.random()
            if r < 0.35:
                while True:
                    dst = rng.choice(self.other) if rng.random() < 0.5 else \
                        rng.choice(rng.choice(self.svc_hosts))
                    if dst[2] != self.svc_of[d] or dst[1] != 18:
                        break
                if rng.random() < 0.6:
                    proto, dport = 6, rng.choice((443, 80, 8883, 22))
                else:
                    proto, dport = 17, rng.choice((53, 123, 443, 5683))
            elif r < 0.70:
                dst = dev_ip(rng.randrange(self.devices))
                if rng.random() < 0.5:
                    proto, dport = 6, rng.choice((22, 23, 80, 1883, 8080, 445))
                else:
                    proto, dport = 17, rng.choice((5353, 1900, 5683, 161))
            else:
                dst = rng.choice(self.svc_hosts[self.svc_of[d]])
                if rng.random() < 0.5:
                    proto = 6
                    dport = rng.choice([p for p in (80, 22, 8080, 443, 8883)
                                        if p != self.port_of[d]])
                else:
                    proto, dport = 17, rng.choice((443, 53, 123))
        size = rng.randint(60, 252)
        hdr = 14 + 20 + (20 if proto == 6 else 8)
        data = bytes(rng.getrandbits(8) for _ in range(max(0, size - hdr)))
        if proto == 6:
            l4 = pcapgen.tcp(src, dst, sport, dport, 0x18, seq=rng.getrandbits(32),
                             ack=rng.getrandbits(32), data=data)
        else:
            l4 = pcapgen.udp(src, dst, sport, dport, data)
        frame = pcapgen.eth(GW_MAC, dev_mac(d), 0x0800) + pcapgen.ipv4(src, dst, proto, l4)
        return frame, allowed

    # -- the policy, in each system's form ---------------------------------
    def rules(self):
        """(mac, address, service /24, TCP port) per device."""
        for i in range(self.devices):
            yield dev_mac(i), dev_ip(i), svc_net(self.svc_of[i]), self.port_of[i]

    def cordon(self):
        out = ["# scripts/peers_mix.py: %d devices, each to its service" % self.devices,
               "version: 1",
               'comment: "bench_peers: %d devices"' % self.devices,
               'segments { id: 1 name: "default" default_action: ACTION_DENY '
               'l2_action: ACTION_ALLOW }',
               'segments { id: 2 name: "devices" default_action: ACTION_DENY '
               'l2_action: ACTION_ALLOW }',
               'segments { id: 99 name: "quarantine" default_action: ACTION_DENY '
               'l2_action: ACTION_DENY }',
               "default_segment: 1",
               "quarantine_segment: 99",
               "local_networks { addr: %s prefix_len: %d }" % (octal(bytes(DEV_NET[:4])),
                                                                DEV_NET[4])]
        for i, (mac, _, _, _) in enumerate(self.rules()):
            out.append('devices { mac: %s segment: 2 name: "dev%d" }' % (octal(mac), i))
        for i, (mac, _, net, port) in enumerate(self.rules()):
            out.append("rules { id: %d priority: 100 src { device: %s } "
                       "dst { cidr { addr: %s prefix_len: 24 } } ip_proto: 6 "
                       "dst_ports { lo: %d hi: %d } action: ACTION_ALLOW }"
                       % (i + 1, octal(mac), octal(net), port, port))
        return "\n".join(out) + "\n"

    def l3fwd_acl(self):
        # Earlier lines win; no catch-all: what matches nothing is dropped.
        return "".join("R%s/32 %s/24 0 : 65535 %d : %d 6/0xff 1\n" % (dot(ip), dot(net), port, port)
                       for _, ip, net, port in self.rules())

    @staticmethod
    def l3fwd_acl6():
        # l3fwd wants both files; no IPv6 in the mix, this never matches.
        return "R0:0:0:0:0:0:0:1/128 0:0:0:0:0:0:0:1/128 0 : 65535 0 : 65535 0/0 1\n"

    def ovs(self, pin, pout):
        m = ["table=0,priority=100,in_port=%d,tcp,dl_src=%s,nw_src=%s,nw_dst=%s/24,tp_dst=%d,"
             "actions=output:%d\n" % (pin, colons(mac), dot(ip), dot(net), port, pout)
             for mac, ip, net, port in self.rules()]
        return "".join(m) + "table=0,priority=1,actions=drop\n"

    def ovs_ct(self, pin, pout):
        out = ["table=0,priority=100,ip,ct_state=-trk,actions=ct(table=1,zone=1)\n",
               "table=0,priority=1,actions=drop\n",
               "table=1,priority=200,ip,ct_state=+trk+est-rel-inv,ct_zone=1,actions=output:%d\n"
               % pout]
        out += ["table=1,priority=100,ct_state=+trk+new,ct_zone=1,in_port=%d,tcp,dl_src=%s,"
                "nw_src=%s,nw_dst=%s/24,tp_dst=%d,actions=ct(commit,zone=1),output:%d\n"
                % (pin, colons(mac), dot(ip), dot(net), port, pout)
                for mac, ip, net, port in self.rules()]
        out.append("table=1,priority=1,actions=drop\n")
        return "".join(out)


def write(outdir, packets=10000, devices=1000, seed=20261203):
    mix = Mix(devices, seed)
    allowed = nbytes = 0
    with open(os.path.join(outdir, "mix.pcap"), "wb") as f:
        w = pcapgen.Writer(f)
        for _ in range(packets):
            frame, ok = mix.packet()
            allowed += ok
            nbytes += max(60, len(frame))
            w.add(frame)
    files = {
        "cordon.txtpb": mix.cordon(),
        "acl_v4.cfg": mix.l3fwd_acl(),
        "acl_v6.cfg": mix.l3fwd_acl6(),
        "ovs.flows": mix.ovs(1, 2),
        "ovs-ct.flows": mix.ovs_ct(1, 2),
    }
    for name, text in files.items():
        with open(os.path.join(outdir, name), "w", encoding="ascii") as f:
            f.write(text)
    facts = {"packets": packets, "allowed": allowed, "devices": devices,
             "mean_frame": nbytes / packets, "rules": devices}
    with open(os.path.join(outdir, "mix.json"), "w") as f:
        json.dump(facts, f)
    return facts


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--packets", type=int, default=10000)
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261203)
    a = ap.parse_args()
    if not 1 <= a.devices <= 1000:
        ap.error("--devices must be 1..1000 (addresses are 192.168.1-4.x)")
    if a.packets < 1:
        ap.error("--packets must be positive")
    os.makedirs(a.outdir, exist_ok=True)
    print(json.dumps(write(a.outdir, a.packets, a.devices, a.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
