# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""examples/home.yaml's smart home on the namespace lab (netlab.py).

The devices of home.yaml, each a network namespace with its real MAC
(Apple laptop and phone, a Raspberry Pi print server, a Philips Hue bridge,
an Axis camera, a Sonos speaker) and a router that is the home's gateway
(192.168.1.1: DHCP with reservations, DNS, and the "internet": vendor
clouds over HTTPS with a certificate from scripts/make-certs.sh, the NTP
pool, an echo server). cordon-dataplane bridges them, following a real
cordond that holds examples/home.yaml (`cordonctl policy apply`).

The devices boot as real ones do: DHCP with their host names, vendor
classes and parameter lists (options 12, 60, 55), mDNS announcements of
their services, DNS lookups, NTP and HTTPS to their clouds by name. Then
cordond knows what they are (`cordonctl devices`), and applying home.yaml
again puts the camera (by type) and the speaker (by vendor) in "iot".

    home = SmartHome(build_dir)
    home.up()                  # lab, router services, cordond, policy, dataplane
    home.join()                # every device: DHCP, mDNS
    home.wait_identified()     # cordonctl devices: vendor and type of each
    home.apply_policy()        # type/vendor assignments resolved
    home.routine()             # DNS, NTP and HTTPS to their clouds, by name
    ...
    home.down()                # nothing left: namespaces, links, processes

attacks.py turns one of them.
"""

import json
import re
import os
import subprocess
import sys

import cordonlab
import netlab

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HOME_YAML = os.path.join(ROOT, "examples", "home.yaml")

ROUTER_IP = "192.168.1.1"
CLOUD = "203.0.113.10"          # the vendors' clouds (HTTPS, MQTT/TLS)
NTP = "203.0.113.123"           # the NTP pool
ECHO = "203.0.113.7"            # an internet echo server (benign traffic)
EVIL = "198.51.100.66"          # an attacker's server (forged DNS answers)
CLOUD_NAMES = ("hue.cloud.example.com", "camera.cloud.example.com",
               "sonos.cloud.example.com", "www.example.com")
NTP_NAMES = ("0.pool.ntp.org", "0.debian.pool.ntp.org", "0.sonos.pool.ntp.org",
             "time.apple.com")
# The fixed source port of a device's DNS lookups (forged-answer tests).
DNS_PORT = 33533


class Device:
    """A device of the home: what it says about itself on the network."""

    def __init__(self, name, mac, ip, hostname, params, vendor_class=None, mdns=(),
                 cloud=None, ntp=None, expect=("", "")):
        self.name, self.mac, self.ip = name, mac, ip
        self.hostname, self.params, self.vendor_class = hostname, params, vendor_class
        self.mdns, self.cloud, self.ntp = list(mdns), cloud, ntp
        self.expect = expect        # (vendor, type) cordond should tell


# Host names, vendor classes and parameter lists as these devices' DHCP
# clients send them (macOS/iOS, dhcpcd on Raspberry Pi OS, BusyBox udhcpc on
# the camera and the speaker); mDNS service types from the IANA registry and
# the vendors' documentation. MACs: home.yaml's, and real OUIs for the rest.
DEVICES = [
    Device("laptop", "3c:22:fb:12:34:56", "192.168.1.10", "Alices-MacBook-Air",
           "1,121,3,6,15,119,252,95,44,46",
           mdns=["_device-info._tcp/Alice's MacBook Air/0/model=MacBookAir10,1;osxvers=23",
                 "_companion-link._tcp/Alice's MacBook Air/7000/rpBA=4A:2B:11:0C:9D:01"],
           cloud="www.example.com", ntp="time.apple.com", expect=("Apple", "computer")),
    Device("phone", "f0:18:98:ab:cd:ef", "192.168.1.11", "iPhone",
           "1,121,3,6,15,114,119,252,95,44,46",
           mdns=["_device-info._tcp/Alice's iPhone/0/model=iPhone14,2",
                 "_companion-link._tcp/Alice's iPhone/49152/rpBA=5C:10:3E:7F:20:AA"],
           cloud="www.example.com", ntp="time.apple.com", expect=("Apple", "phone")),
    Device("printer", "b8:27:eb:00:00:10", "192.168.1.20", "printserver",
           "1,121,33,3,6,12,15,26,28,51,54,58,59,119",
           vendor_class="dhcpcd-9.4.1:Linux-6.1.21-v8+:aarch64:BCM2835",
           mdns=["_ipp._tcp/Office Printer @ printserver/631/txtvers=1;rp=printers/office;"
                 "ty=HP LaserJet Pro M404n;pdl=application/pdf,image/urf",
                 "_printer._tcp/Office Printer @ printserver/0/rp=printers/office"],
           ntp="0.debian.pool.ntp.org", expect=("", "printer")),
    Device("hue", "00:17:88:4a:5b:6c", "192.168.1.21", "Philips-hue",
           "1,3,28,6,15,12",
           mdns=["_hue._tcp/Philips Hue - 4A5B6C/443/bridgeid=001788fffe4a5b6c;modelid=BSB002"],
           cloud="hue.cloud.example.com", ntp="0.pool.ntp.org",
           expect=("Philips", "hub")),
    Device("camera", "ac:cc:8e:12:34:56", "192.168.1.22", "axis-accc8e123456",
           "1,3,6,12,15,28,42", vendor_class="udhcp 1.31.1",
           mdns=["_axis-video._tcp/AXIS M3106-L Mk II - ACCC8E123456/80/"
                 "macaddress=ACCC8E123456"],
           cloud="camera.cloud.example.com", ntp="0.pool.ntp.org", expect=("Axis", "camera")),
    Device("speaker", "48:a6:b8:11:22:33", "192.168.1.23", "SonosZP",
           "1,3,6,12,15,28,42", vendor_class="udhcp 1.30.1",
           mdns=["_sonos._tcp/Living Room/1443/info=/api/v1/players/RINCON_48A6B8112233/info"],
           cloud="sonos.cloud.example.com", ntp="0.sonos.pool.ntp.org",
           expect=("Sonos", "speaker")),
]
ROUTER_MAC = "3c:a6:2f:0a:0b:01"    # AVM (a FRITZ!Box)


class SmartHome:
    def __init__(self, build, name="home", policy=HOME_YAML, port="af_xdp", log=None,
                 dp_args=()):
        self.build, self.policy, self.port = build, policy, port
        self.log = log or (lambda msg: print(msg, flush=True))
        self.lab = cordonlab.Lab(build, name)
        self.nl = netlab.NetLab(name)
        self.devices = {d.name: d for d in DEVICES}
        self.router = self.nl.add_router("router", ROUTER_MAC, [ROUTER_IP + "/24"],
                                         wan=[CLOUD, NTP, ECHO, EVIL])
        for d in DEVICES:
            # No address: each gets its lease from the router's DHCP server.
            self.nl.add_host(d.name, d.mac, [])
        self.dp_args = list(dp_args)
        self.dp = None
        self.prefix = "cordon-%s-%d" % (name, os.getpid())
        self.version = 0

    def __getitem__(self, name):
        return self.nl[name]

    # -- bring-up -----------------------------------------------------------
    def up(self):
        lab, nl = self.lab, self.nl
        nl.up()
        certs = lab.path("pki")
        r = subprocess.run([os.path.join(ROOT, "scripts", "make-certs.sh")] +
                           sum((["--server-name", n] for n in CLOUD_NAMES), []) +
                           ["--server-ip", CLOUD, certs], capture_output=True, text=True)
        if r.returncode != 0:
            raise netlab.LabError("make-certs.sh: %s" % r.stderr.strip())
        self.ca = os.path.join(certs, "ca.crt")
        zone = ["%s=%s@300" % (n, CLOUD) for n in CLOUD_NAMES]
        zone += ["%s=%s@300" % (n, NTP) for n in NTP_NAMES]
        zone += ["echo.example.net=%s@300" % ECHO]
        self.router.serve(dns=[ROUTER_IP + ":53"], zone=zone,
                          dhcp=[ROUTER_IP + "/24"],
                          lease=["%s=%s" % (d.mac, d.ip) for d in DEVICES],
                          tls=[CLOUD + ":443", CLOUD + ":8883"],
                          tls_cert=os.path.join(certs, "cordond.pem"),
                          ntp=[NTP + ":123", EVIL + ":123"],
                          udp_echo=[ECHO + ":7"])
        lab.start_cordond("--report-interval", "250")
        self.apply_policy()
        url = "ipc://%s/dataplane.sock" % lab.rundir
        # AF_XDP fills each port's ring from the pool, and a flood parks
        # mbufs in the TX rings of its target's port: room for both. With
        # 4096 a port, an hping3 flood starved the pool and the attacker's
        # AF_XDP port stopped receiving for good.
        mbufs = ["--mbufs", str(12288 * (len(nl.hosts) + 1))]
        # --detect: the lab's dataplane runs the detectors (cordonlab turns
        # them off for the tests that replay captures at line rate).
        self.dp = nl.start_dataplane(lab, "--detect", "--control", url, "--id", "home",
                                     "--report-interval", "250", *mbufs, *self.dp_args,
                                     port=self.port, prefix=self.prefix)
        self.wait_version()
        return self

    def ctl(self, *args, check=True):
        rc, out, err = self.lab.ctl(*args)
        if check and rc != 0:
            raise AssertionError("cordonctl %s: exit %d: %s" % (" ".join(args), rc,
                                                                 err.strip()))
        return out

    def apply_policy(self):
        """cordonctl policy apply: once before the devices come (in force
        from their first packet), again once cordond knows them."""
        out = self.lab.ctl_json("policy", "apply", self.policy)
        self.version = int(out["policy_version"])
        return self.version

    def in_force(self, version=None):
        """The version the dataplane reports in force (0: none)."""
        for x in self.lab.ctl_json("status").get("dataplanes", []):
            if x.get("dataplane_id") == "home" and x.get("connected"):
                return int(x.get("policy_version", 0))
        return 0

    def wait_version(self, version=None, timeout=60):
        version = version or self.version
        cordonlab.wait_until(lambda: self.in_force() >= version, timeout,
                             "the dataplane did not report policy version %d" % version)

    # -- the devices ----------------------------------------------------------
    def join(self, names=None, timeout=30):
        """Each device joins: DHCP (its lease goes on eth0), then it
        announces its services over mDNS."""
        for d in (self.devices[n] for n in (names or self.devices)):
            h = self.nl[d.name]
            argv = ["--timeout", "10"]
            if d.hostname:
                argv += ["--hostname", d.hostname]
            if d.vendor_class:
                argv += ["--vendor-class", d.vendor_class]
            if d.params:
                argv += ["--params", d.params]
            r = h.run_py("dhcp", *argv, timeout=timeout)
            if r.returncode != 0 or r.stdout.strip() != d.ip:
                raise netlab.LabError("%s: DHCP: %s%s" % (d.name, r.stdout.strip(),
                                                          r.stderr.strip()))
            h.ips = [d.ip + "/24"]
        for d in (self.devices[n] for n in (names or self.devices)):
            if d.mdns:
                argv = ["mdns", "--host", d.hostname]
                for s in d.mdns:
                    argv += ["--service", s]
                self.nl[d.name].run_py(*argv)

    def routine(self, names=None):
        """What each device does on its own, once home.yaml knows what it
        is: its time server and its cloud, looked up by name. Fails
        loudly: a device that cannot reach what the policy allows it is a
        broken lab."""
        for d in (self.devices[n] for n in (names or self.devices)):
            h = self.nl[d.name]
            # NTP is one UDP datagram each way: a lost one is retried, as
            # a real client does, before the lab calls itself broken.
            if d.ntp and not any(h.client("ntp", d.ntp, dns=ROUTER_IP, timeout=2)
                                 for _ in range(3)):
                raise netlab.LabError("%s: NTP from %s: %s" % (d.name, d.ntp,
                                                              h.last.stderr.strip()))
            if d.cloud and not h.client("tls-get", "https://%s/" % d.cloud, "--ca", self.ca,
                                        dns=ROUTER_IP, timeout=3):
                raise netlab.LabError("%s: HTTPS to %s: %s" % (d.name, d.cloud,
                                                               h.last.stderr.strip()))

    def services(self):
        """The print server's: UDP echo (the benign flows' peer), a telnet
        login and OpenSSH's sshd (what a brute forcer goes for)."""
        h, ip = self.nl["printer"], self.devices["printer"].ip
        h.serve(udp_echo=[ip + ":7"], telnet=[ip + ":23"])
        d = self.lab.path("sshd")
        os.makedirs(d, exist_ok=True)
        key = os.path.join(d, "host_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        conf = os.path.join(d, "sshd_config")
        with open(conf, "w") as f:
            f.write("ListenAddress %s\nHostKey %s\nPidFile none\nUsePAM no\n"
                    "PasswordAuthentication yes\nKbdInteractiveAuthentication no\n"
                    "PermitRootLogin no\nMaxStartups 100:30:200\nLoginGraceTime 10\n"
                    "LogLevel ERROR\n" % (ip, key))
        os.makedirs("/run/sshd", exist_ok=True)       # its privilege separation
        log = open(os.path.join(d, "sshd.log"), "w")
        h.popen("/usr/sbin/sshd", "-D", "-e", "-f", conf, stdout=log, stderr=subprocess.STDOUT)
        cordonlab.wait_until(lambda: ":22 " in h.run("ss", "-Hltn").stdout, 10,
                             "sshd does not listen")

    def detect_stats(self):
        return cordonlab.telemetry(self.dp.file_prefix, "/cordon/detect")["/cordon/detect"]

    def dev_counters(self, name):
        """The dataplane's /cordon/device for a device ({} when unknown)."""
        return cordonlab.telemetry(self.dp.file_prefix, "/cordon/device," +
                                   self.devices[name].mac)["/cordon/device"] or {}

    def inventory(self):
        """{mac: device row of cordonctl --json devices}."""
        out = self.lab.ctl_json("devices")
        rows = out.get("devices", []) if isinstance(out, dict) else out
        return {r.get("mac"): r for r in rows}

    def identity(self, row):
        ident = row.get("identity") or {}
        return ident.get("vendor", ""), ident.get("type", "")

    def wait_identified(self, timeout=60, confidence=70):
        """Until cordond tells each device's vendor and type as expected,
        the type at or above the confidence a policy's type: selector needs
        (home.yaml keeps the default, 70): below it the device would stay
        in the default segment."""
        with open(HOME_YAML) as f:
            selected = set(re.findall(r"^\s*-?\s*type:\s*([\w-]+)", f.read(), re.M))

        def done():
            inv = self.inventory()
            for d in self.devices.values():
                row = inv.get(d.mac, {})
                v, t = self.identity(row)
                if (d.expect[0] and d.expect[0].lower() not in v.lower()) or \
                        (d.expect[1] and d.expect[1].lower() != t.lower()):
                    return False
                conf = (row.get("identity") or {}).get("type_confidence", 0)
                if t.lower() in selected and conf < confidence:
                    return False
            return True
        try:
            cordonlab.wait_until(done, timeout, "devices not identified", interval=0.25)
        except AssertionError:
            inv = self.inventory()
            print("identified (vendor, type) against expected:", json.dumps(
                {d.name: [self.identity(inv.get(d.mac, {})), d.expect]
                 for d in self.devices.values()}))
            raise

    # -- containment ----------------------------------------------------------
    def quarantined(self):
        """MACs in the quarantine of the policy in force."""
        out = self.lab.ctl_json("policy", "show")
        return {q.lower() for q in out.get("quarantined", [])}

    def release(self, name):
        """The operator lets a contained device back in: `cordonctl
        release`. A device the dataplane contained on its own, that cordond
        does not hold yet, is taken over first (`cordonctl quarantine`: a
        stored version that holds it), then released."""
        mac = self.devices[name].mac
        if mac not in self.quarantined():
            out = self.lab.ctl_json("quarantine", mac, "--reason",
                                    "contained by the dataplane")
            self.wait_version(int(out["policy_version"]))
        out = self.lab.ctl_json("release", mac)
        v = int(out["policy_version"])
        if v:
            self.wait_version(v)
        return v

    # -- teardown -------------------------------------------------------------
    def down(self):
        bad = []
        self.nl.down()
        bad = self.lab.stop_all()
        return bad

    def remove_files(self):
        self.lab.remove_files()


def labhost_argv(*args):
    return [sys.executable, netlab.LABHOST, *args]
