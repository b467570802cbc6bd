#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The NIST MUD cases (usnistgov/nist-mud test/) with real hosts.

For every test of tests/control/mud_nist.h (the cases of nist-mud's
EXPECTATIONS.txt with their MACs and addresses): a lab of network
namespaces h1..h9 on 10.0.0.0/24 plus a router owning the "internet"
(203.0.113.x, 192.0.2.8), bridged by a real cordon-dataplane over
af_packet; h1's MUD file brought to it either the way a deployment does
(--policy-mode cordond, the default: `cordonctl mud import` into a real
cordond that runs with the test's MUD context, see CordondPolicy) or
compiled by nist_policy and loaded with --policy (--policy-mode file, see
FilePolicy); servers in the hosts; then each case's connection, which
must succeed or fail as expected. Failures must be the policy's doing: each
expected failure must raise the dataplane's policy drop counters, and the
final counters must name only policy_* drops.

The dns test needs the dataplane to learn names from the DNS answers a
device receives. It runs when the dataplane says it can (--dns-ttl-floor in
its --help) or CORDON_TEST_DNS=1, and is skipped with a message otherwise.

Exit 77 (skip) without root or network namespaces.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import netlab
from cordonlab import Lab, final_counters, run, telemetry, wait_until

LAN = "10.0.0.0/24"
ROUTER_LAN_IP = "10.0.0.254"
DNS_SERVER = "10.0.0.5"         # urn:ietf:params:mud:dns in the mappings
DNS_TTL = 30
TIMEOUT = 0.7                   # a denied connection costs this much
ALLOWED_TIMEOUT = 10.0          # the bound on an allowed one (it takes ms)
EXTERNAL = ("NIST", "ANTD", "GOV", "EXT13", "ROUTER")


def client_of(proto, port):
    """The labhost client (and server) for a case's traffic."""
    if proto == 1:
        return "icmp"
    if proto == 17:
        return "udp"
    return "tcp" if port == 8010 else "http-get"   # nist-mud's tcp-client.py


def policy_drops(prefix):
    st = telemetry(prefix, "/cordon/stats")["/cordon/stats"]
    return sum(v for k, v in st.items() if is_policy_drop(k))


def is_policy_drop(name):
    """policy_rule_deny, policy_default_deny (not policy_version...)."""
    return name.startswith("policy_") and name.endswith("_deny")


# -- the policy --------------------------------------------------------------
# mud_nist.h's lan_policy as YAML: one LAN segment that allows by default,
# and a quarantine.
BASE_POLICY = """\
version: 1
comment: "nist-mud lab: one LAN that allows by default"
local-networks: [%s]
segments:
  - name: lan
    default: allow
    l2: allow
  - name: quarantine
    default: deny
    l2: allow
default-segment: lan
quarantine-segment: quarantine
"""


class FilePolicy:
    """--policy-mode file: nist_policy compiles h1's MUD file (ctl_mud, the
    real compiler) into a binary cordon.Policy that the dataplane loads
    with --policy, without cordond."""

    def __init__(self, args, lab):
        self.args, self.lab = args, lab

    def _tool(self, cmd, test, out, dns_names):
        r = subprocess.run([self.args.nist_policy, cmd, self.args.testdata, test["dir"],
                            *([out] if out else []), *(["--dns-names"] if dns_names else [])],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise AssertionError("nist_policy %s %s: %s" % (cmd, test["dir"], r.stderr.strip()))
        return r.stdout.strip()

    def dataplane_args(self, test, dns_names):
        out = self.lab.path("%s.pb" % test["dir"])
        print("  policy (file): %s" % self._tool("compile", test, out, dns_names))
        return ["--no-control", "--policy", out]

    def applied(self, dp, nl):
        """Once the dataplane runs: nothing to do, it started with it."""

    def stop(self):
        """Nothing runs besides the dataplane."""


class CordondPolicy(FilePolicy):
    """--policy-mode cordond (the default): the way a deployment does it.
    A cordond per test, with the test's MUD context (`nist_policy
    context`: the lab's controllers, names and local networks) but without
    its peers; the LAN policy applied with `cordonctl policy apply`; the
    dataplane connected to it. The peers nist-mud's device-association
    files name (same manufacturer, model) then announce their MUD URLs as
    devices do, by DHCP option 161 from their own hosts through the
    dataplane, and cordond learns them from its reports; no file is
    served for those URLs, so none is bound and only h1 is enforced, as
    in file mode. Then `cordonctl mud import MUDFILE --device h1` while the
    dataplane runs, and traffic only once the dataplane reports that
    version in force. The policy cordond hands out must be the one
    nist_policy compiles (file mode), rule for rule."""

    def dataplane_args(self, test, dns_names):
        self.test, self.dns_names = test, dns_names
        d = self.lab.path("cordond-%s" % test["dir"])
        os.makedirs(d)
        # A fresh cordond, store and sockets per test: no binding, no
        # version, no peer of one test leaks into the next.
        self.lab.rundir = os.path.join(d, "run")
        self.lab.env = dict(self.lab.env, CORDON_RUNDIR=self.lab.rundir,
                            CORDON_STATE_DIR=os.path.join(d, "state"))
        ctx = os.path.join(d, "context.yaml")
        self._tool("context", test, ctx, dns_names)
        self.peers = strip_peers(ctx)
        self.cordond = self.lab.start_cordond("--mud-context", ctx, "--mud-accept-unsigned",
                                              "--state-dir", os.path.join(d, "state"))
        base = os.path.join(d, "lan.yaml")
        with open(base, "w") as f:
            f.write(BASE_POLICY % LAN)
        self._ctl("policy", "apply", base)
        return ["--control", "ipc://%s/dataplane.sock" % self.lab.rundir,
                "--id", test["dir"], "--report-interval", "100"]

    def _ctl(self, *args):
        rc, out, err = self.lab.ctl(*args)
        if rc != 0:
            raise AssertionError("cordonctl %s: exit %d: %s" % (" ".join(args), rc, err.strip()))
        return out

    def applied(self, dp, nl):
        test = self.test
        self.announce_peers(nl)
        mud = os.path.join(self.args.testdata, "mud", "nist-mud", test["dir"], test["mudfile"])
        mac = test["hosts"]["h1"]["mac"]
        r = self.lab.ctl_json("mud", "import", mud, "--device", mac)
        b = [x for x in r["bindings"] if x["mac"] == mac][0]
        version = int(r["policy_version"])
        print("  policy (cordond): %s bound to %s: %d rules from %d ACEs, %d unresolved, "
              "version %d" % (b["mud_url"], mac, b["rules"], b["aces"], b["unresolved"], version))

        def in_force():
            dps = self.lab.ctl_json("status").get("dataplanes", [])
            return any(x.get("dataplane_id") == test["dir"] and x.get("connected") and
                       int(x.get("policy_version", 0)) == version for x in dps)
        t = time.monotonic()
        wait_until(in_force, 60,
                   "the dataplane did not report policy version %d" % version)
        print("  dataplane enforces version %d after %.2f s" % (version, time.monotonic() - t))
        self.compare()

    def announce_peers(self, nl):
        """Each peer but h1 says its MUD URL; wait until cordond knows."""
        hosts = self.test["hosts"]
        by_mac = {h["mac"]: n for n, h in hosts.items() if n.startswith("h")}
        want = {mac: url for mac, url in self.peers if mac != hosts["h1"]["mac"]}
        if not want:
            return
        t = time.monotonic()
        sent = [0.0]

        def known():
            # Announce, and again each second until cordond knows (a
            # DHCP broadcast may be lost): cordond hears of it with the
            # dataplane's next report, 100 ms on.
            if time.monotonic() - sent[0] >= 1.0:
                for mac, url in want.items():
                    host = by_mac.get(mac)
                    assert host in nl.hosts, "peer %s is no host of the lab" % mac
                    if not nl[host].client("dhcp-mud", url):
                        raise AssertionError("%s: dhcp-mud: %s" % (host, nl[host].last.stderr))
                sent[0] = time.monotonic()
            devs = self.lab.ctl_json("devices")
            devs = devs.get("devices", []) if isinstance(devs, dict) else devs
            seen = {d.get("mac"): json.dumps(d) for d in devs}
            return all(mac in seen and json.dumps(url)[1:-1] in seen[mac]
                       for mac, url in want.items())
        wait_until(known, 60, "cordond did not learn the peers' MUD URLs",
                   interval=0.1)
        print("  peers announced by DHCP option 161, known to cordond after %.2f s: %s" % (
            time.monotonic() - t, ", ".join("%s %s" % (by_mac[m], u)
                                            for m, u in sorted(want.items()))))

    def compare(self):
        """cordond's policy against nist_policy's, but for what must differ."""
        mine = self.lab.ctl_json("policy", "show")
        ref = json.loads(self._tool("json", self.test, None, self.dns_names))
        for p in (mine, ref):
            p.pop("version", None)
            p.pop("comment", None)
            # Peers come in another order (bindings, then the inventory):
            # the same rules, numbered otherwise.
            for r in p.get("rules", []):
                r.pop("id", None)
            p["rules"] = sorted(p.get("rules", []), key=lambda r: json.dumps(r, sort_keys=True))
        if mine != ref:
            a, b = self.lab.path("cordond.json"), self.lab.path("nist_policy.json")
            for path, p in ((a, mine), (b, ref)):
                with open(path, "w") as f:
                    json.dump(p, f, indent=1, sort_keys=True)
            diff = subprocess.run(["diff", "-u", b, a], capture_output=True, text=True).stdout
            raise AssertionError("%s: cordond's policy is not nist_policy's:\n%s" % (
                self.test["dir"], diff[:6000]))
        print("  cordond's policy = nist_policy's (%d rules)" % len(mine.get("rules", [])))

    def stop(self):
        self.cordond.send_signal(signal.SIGTERM)
        assert self.cordond.wait(15) == 0, "cordond exit status %s" % self.cordond.returncode


def strip_peers(path):
    """Take the peers out of a context YAML nist_policy wrote; return them
    as (mac, mud-url) pairs."""
    with open(path) as f:
        lines = f.read().splitlines()
    out, peers, in_peers = [], [], False
    for line in lines:
        if line == "peers:":
            in_peers = True
            continue
        if in_peers and line.startswith("  "):
            w = line.split()
            if w[:2] == ["-", "mac:"]:
                peers.append([w[2], None])
            elif w[0] == "mud-url:":
                peers[-1][1] = w[1].strip('"')
            continue
        in_peers = False
        out.append(line)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    assert all(url for _, url in peers), peers
    return [tuple(p) for p in peers]


MODES = {"cordond": CordondPolicy, "file": FilePolicy}


def dns_capable(build):
    if os.environ.get("CORDON_TEST_DNS") == "1":
        return True
    r = subprocess.run([os.path.join(build, "dataplane", "cordon-dataplane"), "--", "--help"],
                       capture_output=True, text=True)
    return "--dns-ttl-floor" in r.stdout + r.stderr


def cases_of(test, names, dns_mode):
    """The header's cases, plus controls that every policy must honour."""
    cases = [dict(c) for c in test["cases"]]
    # An unrelated pair allows (the LAN's default), and the device is
    # denied where its MUD file says nothing.
    cases.append({"what": "control: LAN h4 -> h6 tcp 8080", "from": "h4", "to": "h6",
                  "proto": 6, "port": 8080, "allow": True})
    cases.append({"what": "control: device h1 -> h6 udp 9999", "from": "h1", "to": "h6",
                  "proto": 17, "port": 9999, "allow": False})
    if dns_mode:
        by_ip = {ip: n for n, ip in names.items()}
        for c in cases:
            c["name"] = by_ip.get(test["hosts"][c["to"]]["ip"])
        # Names bind to addresses only once the device has looked them up.
        cases.insert(0, {"what": "device -> 203.0.113.10 before any lookup", "from": "h1",
                         "to": "NIST", "proto": 6, "port": 80, "allow": False, "name": None})
        cases.append({"what": "device -> www.antd.local (looked up, not in its MUD)",
                      "from": "h1", "to": "ANTD", "proto": 6, "port": 80, "allow": False,
                      "name": "www.antd.local"})
    return cases


def build_lab(test, cases, dns_mode, names):
    hosts = test["hosts"]
    # Every MUD host: the peers announce their MUD URLs (cordond mode).
    used = {"h1"} | {c["from"] for c in cases} | {c["to"] for c in cases} | \
        {n for n, h in hosts.items() if h["mud"] and n.startswith("h")}
    if dns_mode:
        used.add("h5")
    nl = netlab.NetLab(test["dir"])
    for h in sorted(n for n in used if n.startswith("h")):
        nl.add_host(h, hosts[h]["mac"], [hosts[h]["ip"] + "/24"], gateway=ROUTER_LAN_IP)
    wan = sorted({hosts[n]["ip"] for n in EXTERNAL})
    nl.add_router("router", hosts["ROUTER"]["mac"], [ROUTER_LAN_IP + "/24"], wan=wan)
    nl.up()
    # Servers: whatever each case connects to, listening before the test.
    serve = {}
    for c in cases:
        kind = client_of(c["proto"], c["port"])
        ext = c["to"] in EXTERNAL
        host = "router" if ext else c["to"]
        addr = "%s:%d" % (hosts[c["to"]]["ip"] if ext else "0.0.0.0", c["port"])
        s = serve.setdefault(host, {"http": set(), "tcp_echo": set(), "udp_echo": set()})
        if kind == "http-get":
            s["http"].add(addr)
        elif kind == "tcp":
            s["tcp_echo"].add(addr)
        elif kind == "udp":
            s["udp_echo"].add(addr)
    for host, s in serve.items():
        nl[host].serve(**{k: sorted(v) for k, v in s.items()})
    if dns_mode:
        nl["h5"].serve(dns=["%s:53" % DNS_SERVER],
                       zone=["%s=%s@%d" % (n, ip, DNS_TTL) for n, ip in names.items()])
    return nl


def run_case(nl, test, c, dns_mode, timeout=TIMEOUT):
    hosts = test["hosts"]
    src = "router" if c["from"] in EXTERNAL else c["from"]
    bind = hosts[c["from"]]["ip"] if c["from"] in EXTERNAL else None
    target = c.get("name") or hosts[c["to"]]["ip"]
    kind = client_of(c["proto"], c["port"])
    dns = DNS_SERVER if dns_mode and c.get("name") else None
    if kind == "http-get":
        cargs = ["http://%s:%d/" % (target, c["port"])]
    elif kind == "icmp":
        cargs = [target]
    else:
        cargs = [target, c["port"]]
    if dns:
        # The lookup itself must pass, else the case tests the resolver.
        assert nl[src].client("resolve", target, timeout=ALLOWED_TIMEOUT, dns=dns), \
            "%s: %s could not resolve %s: %s" % (c["what"], src, target, nl[src].last.stderr)
    return nl[src].client(kind, *cargs, timeout=timeout, dns=dns, bind=bind)


def run_test(args, lab, test, names, dns_mode, mode):
    cases = cases_of(test, names, dns_mode)
    nl = build_lab(test, cases, dns_mode, names)
    prefix = "cordon-nist-%d-%s" % (os.getpid(), test["dir"][4:-5])
    rows, failed = [], []
    try:
        policy = MODES[mode](args, lab)
        dp_args = policy.dataplane_args(test, dns_mode)
        dp = start_dataplane(lab, nl, dp_args, prefix, test["dir"])
        policy.applied(dp, nl)
        for c in cases:
            before = policy_drops(dp.file_prefix)
            t = time.monotonic()
            # An allowed exchange answers in milliseconds and gets a bound
            # for a loaded machine; a denied one costs its whole timeout,
            # kept short. Either way round a wrong verdict shows: an
            # allowed case that is dropped fails, a denied one that passes
            # passes at once.
            ok = run_case(nl, test, c, dns_mode,
                          timeout=ALLOWED_TIMEOUT if c["allow"] else TIMEOUT)
            verdict = "ok"
            dt = time.monotonic() - t
            if not ok:
                # The client gave up; the dataplane may count the drop a
                # moment later on a busy machine.
                try:
                    wait_until(lambda: policy_drops(dp.file_prefix) > before, 10, "")
                except AssertionError:
                    pass
            dropped = policy_drops(dp.file_prefix) - before
            if ok != c["allow"]:
                verdict = "WRONG"
            elif ok and dropped:
                verdict = "WRONG (passed, but the policy dropped %d packets)" % dropped
            elif not ok and dropped == 0:
                verdict = "WRONG (failed, but no policy drop)"
            if verdict.startswith("WRONG"):
                failed.append("%s: %s" % (c["what"], verdict))
                src = nl["router" if c["from"] in EXTERNAL else c["from"]]
                print("  %s: client said: %s" % (c["what"], (src.last.stdout + src.last.stderr)
                                                  .strip()[-300:] or "nothing"))
                print("  ports then: %s" % port_stats(dp.file_prefix, nl))
            rows.append((c["what"], c["from"], c["to"],
                         {1: "icmp", 6: "tcp", 17: "udp"}[c["proto"]],
                         c["port"], c["allow"], ok, dropped, dt, verdict))
        dp.send_signal(signal.SIGTERM)
        assert dp.wait(20) == 0, "dataplane exit status %s" % dp.returncode
        policy.stop()
        rx, tx, drops = final_counters(dp.log_path)
        with open(dp.log_path) as f:
            log = f.read().splitlines()
        reasons = {line.split()[0]: int(line.split()[1]) for line in log
                   if line.startswith("  ") and len(line.split()) == 2}
        # The dataplane names the frame of an l2_same_port drop.
        same_port = [line for line in log if "both behind that port" in line]
    finally:
        nl.down()
    print_table(test["dir"], rows)
    print("  final: rx %d tx %d drops %d %s" % (rx, tx, drops, reasons))
    denied = sum(1 for r in rows if not r[5])
    pol = {k: v for k, v in reasons.items() if is_policy_drop(k)}
    if denied and sum(pol.values()) < denied:
        failed.append("final counters: %d policy drops for %d denied cases (%s)" %
                      (sum(pol.values()), denied, reasons))
    other = {k: v for k, v in reasons.items() if not is_policy_drop(k)}
    if other:
        failed.append("drops that are not the policy's: %s%s" % (
            other, "".join("\n    " + line for line in same_port)))
    return rows, failed


def start_dataplane(lab, nl, dp_args, prefix, name):
    """Start it and wait until its worker runs. Once (of some hundred
    starts) af_packet found a fresh veth missing (ENODEV) at port start;
    that start is retried once, and said."""
    for attempt in (1, 2):
        dp = lab.start_dataplane(nl.vdevs(), *dp_args, prefix="%s-%d" % (prefix, attempt),
                                 log_name="%s.log" % name, wrap=nl.exec_prefix())
        wait_until(lambda: dp.poll() is not None or _tel_ok(dp.file_prefix), 60,
                   "dataplane for %s did not come up" % name)
        if dp.poll() is None:
            return dp
        with open(dp.log_path) as f:
            log = f.read()
        if attempt == 1 and "No such device" in log:
            print("  dataplane start failed with ENODEV on a port; retrying once")
            continue
        raise AssertionError("dataplane exited: %s" % log[-2000:])


def port_stats(prefix, nl):
    """host: rx/tx packets of its dataplane port (ports in host order), to
    tell a lost link from a lost answer."""
    out = []
    for i, name in enumerate(nl.hosts):
        try:
            st = telemetry(prefix, "/ethdev/stats,%d" % i)["/ethdev/stats"]
            out.append("%s %d/%d" % (name, st["ipackets"], st["opackets"]))
        except (OSError, ValueError, KeyError, TypeError):
            out.append("%s ?" % name)
    return ", ".join(out)


def _tel_ok(prefix):
    """The worker runs once the stats answer (the socket comes first)."""
    try:
        st = telemetry(prefix, "/cordon/stats")["/cordon/stats"]
        return isinstance(st, dict) and "rx_packets" in st
    except (OSError, ValueError):
        return False


def print_table(name, rows):
    print("  %-52s %-6s %-6s %-4s %5s %-6s %-6s %5s %5s  %s" % (
        "case", "from", "to", "prot", "port", "expect", "actual", "pdrop", "secs", ""))
    for what, f, t, proto, port, allow, ok, dropped, dt, verdict in rows:
        print("  %-52s %-6s %-6s %-4s %5s %-6s %-6s %5d %5.2f  %s" % (
            what[:52], f, t, proto, port if proto != "icmp" else "-",
            "pass" if allow else "fail", "pass" if ok else "fail", dropped, dt, verdict))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--testdata", required=True)
    ap.add_argument("--nist-policy", required=True)
    ap.add_argument("--only", action="append", help="run only this test (dir name)")
    ap.add_argument("--policy-mode", choices=sorted(MODES), default="cordond",
                    help="how h1's MUD file reaches the dataplane (default cordond)")
    args = ap.parse_args()

    netlab.require()
    if not os.path.isdir(os.path.join(args.testdata, "mud", "nist-mud")):
        print("SKIP: no nist-mud test data in %s" % args.testdata)
        sys.exit(77)
    table = json.loads(subprocess.run([args.nist_policy, "list"], check=True,
                                      capture_output=True, text=True).stdout)
    names = table["dns"]
    can_dns = dns_capable(args.build)
    lab = Lab(args.build, "nist")
    t0 = time.monotonic()
    ok, failed, n_cases, skipped, summary = False, [], 0, [], []
    try:
        for test in table["tests"]:
            if args.only and test["dir"] not in args.only:
                continue
            dns_mode = test["dir"] == "mud-dns-test"
            if dns_mode and not can_dns:
                skipped.append(test["dir"])
                print("== %s: SKIPPED: the dataplane does not learn names from DNS answers "
                      "(no --dns-ttl-floor in its --help; CORDON_TEST_DNS=1 forces it)"
                      % test["dir"])
                continue
            print("== %s (%s) [%s]" % (test["dir"], test["mudfile"], args.policy_mode))
            t = time.monotonic()
            rows, bad = run_test(args, lab, test, names, dns_mode, args.policy_mode)
            print("  %d cases in %.1f s" % (len(rows), time.monotonic() - t))
            n_cases += len(rows)
            failed += ["%s %s" % (test["dir"], b) for b in bad]
            summary.append((test["dir"], len(rows), sum(1 for r in rows if r[5]),
                            sum(1 for r in rows if not r[-1].startswith("WRONG"))))
        ok = True
    except BaseException:
        lab.dump_logs()
        raise
    finally:
        bad = lab.stop_all()
        if ok and bad:
            failed.append("unclean exit: %s" % ", ".join(bad))
    print("\n%-30s %5s %5s %5s %8s" % ("test", "cases", "pass", "fail", "as said"))
    for name, n, npass, nok in summary:
        print("%-30s %5d %5d %5d %5d/%-2d" % (name, n, npass, n - npass, nok, n))
    print("%d cases in %.1f s (policy mode %s); skipped: %s" % (
        n_cases, time.monotonic() - t0, args.policy_mode, ", ".join(skipped) or "none"))
    if failed:
        print("FAIL:\n  " + "\n  ".join(failed))
        sys.exit(1)
    assert n_cases > 0, "no case ran"


if __name__ == "__main__":
    run(main)
