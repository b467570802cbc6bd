# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""A device of the smart home (smarthome.py) turns: real attack tools from
Debian, run in its namespace, and what Cordon did about each.

ATTACKS, each run by run_attack():

  nmap-syn      nmap -sS of the LAN, default timing (ARP discovery first)
  hping3-syn    hping3 SYN flood, -i u1 (as fast as it goes), 20,000 packets
  hping3-udp    hping3 UDP flood, the same
  hydra-telnet  hydra, 16 tasks, against the print server's telnet login
  hydra-ssh     hydra, 4 tasks, against the print server's sshd (OpenSSH):
                4 sessions at a time, a few tries each, then a 32 s wait;
                caught on its short sessions (no bar in the issue). Not
                waited for a drop: contained at the end of a burst, it
                may send nothing more within the bound
  arp-scan      arp-scan --localnet

For each: the attack's first packet (tcpdump in the attacker's namespace,
its capture filter), when the attacker was contained and the first attack
packet the dataplane dropped (see Containment), and the losses of two
steady benign flows running meanwhile: phone -> print server (UDP echo) and
phone -> the internet (UDP echo at the router's 203.0.113.7). Every attack
is bounded in count and in time (--bound); the tool is stopped a moment
after containment. run_forged_dns(): scapy answers for a name the policy
allows by name, sprayed at a device (forge_dns.py); the answer must never
bind.
"""

import json
import os
import signal
import subprocess
import tempfile
import time

import cordonlab
import netlab
import smarthome

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN_PYTHON = "/usr/bin/python3"      # python3-scapy lives there

# Default credentials of IoT devices, as Mirai's list has them (public).
USERS = ["root", "admin", "pi", "support", "user"]
PASSWORDS = ["xc3511", "vizxv", "admin", "888888", "xmhdipc", "default", "juantech",
             "123456", "54321", "support", "root", "12345", "user", "pass", "password",
             "raspberry", "1234", "7ujMko0admin", "666666", "klv123"]


class Attack:
    def __init__(self, name, what, bar_s, capture, argv, drops=True, probe=None, target=None,
                 required=True):
        self.name, self.what, self.bar_s = name, what, bar_s
        self.required = required        # must be contained (else only measured)
        self.target = target            # the one device it aims at, if one
        self.capture = capture          # tcpdump filter for its packets
        self.probe = probe              # ... for its probes, when not all
        self.argv = argv                # f(home, work dir) -> argv
        self.drops = drops              # its packets are dropped once contained


def _wordlists(work):
    u, p = os.path.join(work, "users"), os.path.join(work, "passwords")
    with open(u, "w") as f:
        f.write("\n".join(USERS) + "\n")
    with open(p, "w") as f:
        f.write("\n".join(PASSWORDS) + "\n")
    return u, p


def _hydra(service, tasks):
    def argv(home, work):
        u, p = _wordlists(work)
        return ["hydra", "-I", "-L", u, "-P", p, "-t", str(tasks),
                "%s://%s" % (service, home.devices["printer"].ip)]
    return argv


FLOOD_TARGET = "hue"        # a LAN device that takes no part in the benign flows

ATTACKS = [
    Attack("nmap-syn", "nmap -sS 192.168.1.0/24 (default timing)", 1.0,
           "arp or (tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0)",
           lambda home, work: ["nmap", "-sS", "-n", "192.168.1.0/24"],
           probe="tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0"),
    Attack("hping3-syn", "hping3 -S -p 443 -i u1 -c 20000 (SYN flood)", 0.25,
           "tcp[tcpflags] & tcp-syn != 0",
           lambda home, work: ["hping3", "-q", "-S", "-p", "443", "-i", "u1", "-c", "20000",
                               home.devices[FLOOD_TARGET].ip], target=FLOOD_TARGET),
    Attack("hping3-udp", "hping3 --udp -p 53 -i u1 -c 20000 (UDP flood)", None,
           "udp and dst port 53",
           lambda home, work: ["hping3", "-q", "--udp", "-p", "53", "-i", "u1", "-c", "20000",
                               home.devices[FLOOD_TARGET].ip], target=FLOOD_TARGET),
    Attack("hydra-telnet", "hydra -t 16 telnet:// (brute force)", 5.0,
           "tcp dst port 23 and tcp[tcpflags] & tcp-syn != 0", _hydra("telnet", 16),
           target="printer"),
    Attack("hydra-ssh", "hydra -t 4 ssh:// (brute force)", None,
           "tcp dst port 22 and tcp[tcpflags] & tcp-syn != 0", _hydra("ssh", 4),
           drops=False, target="printer"),
    Attack("arp-scan", "arp-scan --localnet", None, "arp",
           lambda home, work: ["arp-scan", "-q", "-I", "eth0", "--localnet"], drops=False,
           required=False),
]
BY_NAME = {a.name: a for a in ATTACKS}


# -- what runs beside an attack ------------------------------------------------
class FirstPacket:
    """tcpdump in the attacker's namespace: the time of the first packet
    it sends that matches the attack's filter."""

    def __init__(self, host, flt):
        self.p = host.popen("tcpdump", "-i", "eth0", "-Q", "out", "-nn", "-tt", "-l", "-c", "1",
                            flt, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(5):
            line = self.p.stderr.readline()     # "listening on eth0, ..."
            if "listening on" in line or not line:
                break
        if "listening on" not in line:
            raise netlab.LabError("tcpdump: %s" % (line.strip() or self.p.stderr.read()))

    def time(self, timeout=5):
        """Unix seconds of the first packet, or None."""
        try:
            out, _ = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.communicate()
            return None
        try:
            return float(out.split()[0])
        except (IndexError, ValueError):
            return None


class Steady:
    """A steady benign UDP echo flow between two hosts (labhost steady)."""

    def __init__(self, home, src, dst_ip, label, rate=100):
        self.label = label
        self.p = home.nl[src].popen(*smarthome.labhost_argv(
            "steady", dst_ip, "7", "--rate", str(rate), "--timeout", "0.5"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if self.p.stdout.readline().strip() != "started":     # its SIGTERM handler is set
            self.p.kill()
            raise netlab.LabError("steady %s: %s" % (label, self.p.communicate()[1].strip()))

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        out, err = self.p.communicate(timeout=15)
        try:
            r = json.loads(out.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise netlab.LabError("steady %s: %s" % (self.label, err.strip() or out))
        r["flow"] = self.label
        return r


def benign_flows(home):
    return [Steady(home, "phone", home.devices["printer"].ip, "phone->printer"),
            Steady(home, "phone", smarthome.ECHO, "phone->internet")]


class Containment:
    """The dataplane's own containment of a device, read from its
    telemetry (/cordon/containment,MAC): the detector that fired and, in
    its clock (Unix us), the first packet it counted, the detection, the
    containment and the first packet of the device it dropped."""

    def __init__(self, home, name):
        self.home, self.mac = home, home.devices[name].mac
        self.times0 = self.read().get("times_contained", 0)

    def read(self):
        r = cordonlab.telemetry(self.home.dp.file_prefix,
                                "/cordon/containment," + self.mac)
        return r.get("/cordon/containment") or {}

    def state(self, dropped=True):
        """The containment (a dict, times in Unix seconds) once the
        dataplane contained the device anew (and, with dropped, dropped
        one of its packets), else None."""
        c = self.read()
        if c.get("times_contained", 0) <= self.times0 or \
                (dropped and not c.get("first_drop_unix_us")) or \
                c.get("state") not in ("contained", "held"):
            return None
        return {k[:-8]: c[k] / 1e6 for k in ("first_packet_unix_us", "detected_unix_us",
                                              "contained_unix_us", "first_drop_unix_us")
                if c.get(k)} | {"detector": c.get("detector"),
                                "quarantine_drops": c.get("quarantine_drops", 0)}


def stop_proc(p, grace=3):
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# -- one attack ------------------------------------------------------------------
def run_attack(home, attack, attacker="laptop", bound=30.0, after=1.0, flows=True):
    """Run one attack from `attacker`; returns a dict of what happened:
    first (Unix s of its first packet, seen by tcpdump), containment (the
    dataplane's, see Containment.state(); None when it did not contain the
    attacker within bound seconds), detector, quarantine_drops,
    to_contain_ms / to_drop_ms (from first), dp_to_drop_ms (from the first
    packet the dataplane counted), tool (its exit status), steady (each
    benign flow's sent/answered/lost)."""
    h = home.nl[attacker]
    work = tempfile.mkdtemp(prefix="attack-", dir=home.lab.dir)
    res = {"attack": attack.name, "attacker": attacker}
    first = FirstPacket(h, attack.capture)
    probe = FirstPacket(h, attack.probe) if attack.probe else None
    steady = benign_flows(home) if flows else []
    time.sleep(0.3)                      # the flows are going
    watch = Containment(home, attacker)
    log = open(os.path.join(work, "tool.log"), "w")
    tool = h.popen(*attack.argv(home, work), cwd=work, stdout=log, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + bound
        st = None
        while time.monotonic() < end:
            st = watch.state(attack.drops)
            if st:
                break
            time.sleep(0.02)
        if st:
            # Let it run on against the quarantine a moment: drops.
            time.sleep(after)
    finally:
        stop_proc(tool)
        log.close()
        res["steady"] = [f.stop() for f in steady]
    res["tool"] = tool.returncode
    res["first"] = first.time()
    res["first_probe"] = probe.time() if probe else res["first"]
    st = watch.state(attack.drops) if st else None     # again: the drop counts went on
    # The dataplane's stamps are on this machine's clock already: it
    # re-anchors its uptime to the system clock every second (dp.h), so
    # they are off by at most a second's TSC drift (~1 ms). (Corrected
    # here once by the drift since its start, which then added that
    # drift, ~5 ms per run here, to every figure of a long lab.)
    res["containment"] = st
    res["detector"] = st and st["detector"]
    res["quarantine_drops"] = st and st["quarantine_drops"]

    def ms(key, since):
        return (st[key] - since) * 1e3 if st and st.get(key) and since else None
    # From the tool's first packet (tcpdump in its namespace), from its
    # first probe (nmap: the first SYN, after its ARP
    # discovery; the bar's figure), and from the first packet the
    # dataplane counted against it.
    res["to_contain_ms"] = ms("contained", res["first"])
    res["to_drop_ms"] = ms("first_drop", res["first"])
    res["probe_to_drop_ms"] = ms("first_drop", res["first_probe"])
    res["dp_to_drop_ms"] = ms("first_drop", st and st.get("first_packet"))
    with open(os.path.join(work, "tool.log"), errors="replace") as f:
        res["tool_log"] = f.read()[-2000:]
    return res


def release(home, attacker):
    """The operator lets the device back in."""
    home.release(attacker)


# -- forged DNS ----------------------------------------------------------------
def run_forged_dns(home, attacker="laptop", victim="speaker", count=64):
    """The victim looks up its NTP server by name (home.yaml allows iot NTP
    to *.pool.ntp.org by name only) from a fixed port; the attacker sprays
    forged answers pointing that name at smarthome.EVIL. Returns a dict:
    evil_before / evil_after (did NTP to EVIL get through before and after
    the forgery), good (NTP by name still works), dns_before / dns_after
    (the dataplane's /cordon/detect), sent (forged answers), first (Unix s)."""
    d = home.devices[victim]
    v = home.nl[victim]
    port = str(smarthome.DNS_PORT)

    def ntp(host, fixed=True):
        return v.client("ntp", host, *(("--dns-sport", port) if fixed else ()),
                        dns=smarthome.ROUTER_IP, timeout=1)
    res = {"attack": "forged-dns", "attacker": attacker, "victim": victim, "name": d.ntp}
    res["good_before"] = ntp(d.ntp)             # the real answer binds
    res["evil_before"] = ntp(smarthome.EVIL)
    # A matcher names an answer for no query a forgery only once it has
    # watched for a timeout (earlier, the query may have gone before it
    # started: refused, counted no_history). A lab that comes up fast
    # forged within that time (stop 18's fresh clone: 64 refused, no
    # event), so the forger waits for every worker's matcher.
    workers = len(cordonlab.telemetry(home.dp.file_prefix, "/cordon/workers")["/cordon/workers"])
    cordonlab.wait_until(lambda: home.detect_stats().get("dns_matchers_ready", 0) >= workers,
                         60, "the forged-DNS matchers did not start")
    res["dns_before"] = home.detect_stats()
    r = home.nl[attacker].run(
        DEBIAN_PYTHON, os.path.join(HERE, "forge_dns.py"), "--victim-mac", d.mac,
        "--victim", d.ip, "--port", port, "--server", smarthome.ROUTER_IP, "--name", d.ntp,
        "--address", smarthome.EVIL, "--count", str(count), timeout=60)
    if r.returncode != 0:
        raise netlab.LabError("forge_dns.py: %s" % (r.stderr.strip() or r.stdout))
    w = r.stdout.split()
    res["sent"], res["first"] = int(w[1]), float(w[3])
    time.sleep(0.3)
    res["evil_after"] = ntp(smarthome.EVIL)
    # The real name still works (a fresh query port). Waited for: see
    # res["dns_outage_s"].
    t = time.monotonic()
    while not ntp(d.ntp, fixed=False) and time.monotonic() < t + 20:
        time.sleep(0.2)
    res["dns_outage_s"] = time.monotonic() - t
    res["good_after"] = bool(v.last.returncode == 0)
    res["good_after_err"] = v.last.stderr.strip()
    res["fixed_port_after"] = ntp(d.ntp)
    res["dns_after"] = home.detect_stats()
    return res


def describe(r):
    """One line for a run_attack() result."""
    lost = sum(f["lost"] for f in r.get("steady", []))
    sent = sum(f["sent"] for f in r.get("steady", []))
    if r["containment"] is None:
        what = "NOT contained"
    else:
        what = "contained after %s (%s)" % (
            "%.0f ms" % r["to_contain_ms"] if r["to_contain_ms"] is not None else "?",
            r["detector"])
        if r.get("to_drop_ms") is not None:
            what += ", first drop after %.0f ms" % r["to_drop_ms"]
        if r.get("first_probe") != r.get("first") and r.get("probe_to_drop_ms") is not None:
            what += " (%.0f ms after its first probe)" % r["probe_to_drop_ms"]
        if r.get("dp_to_drop_ms") is not None:
            what += " (%.0f ms from the first packet it counted)" % r["dp_to_drop_ms"]
    return "%-13s %s; benign flows: %d of %d lost" % (r["attack"], what, lost, sent)
