#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Cordon side by side with its peers, in one run (scripts/bench_peers.sh).

One capture and one 1,000-device policy (scripts/peers_mix.py), compiled
into each system's form, and five systems:

  testpmd    dpdk-testpmd io forwarding: the I/O limit, no policy
  l3fwd-acl  DPDK's l3fwd --lookup=acl: rte_acl on every packet; built from
             Debian's dpdk-doc example source in the work folder, with
             scripts/peers/l3fwd-virtual-ports.patch (net_pcap and
             net_null offer no RX checksum offload, which l3fwd asks for)
  ovs        OVS-DPDK (Debian's openvswitch-switch-dpdk), the policy as
             OpenFlow rules, stateless
  ovs-ct     the same through conntrack (ct(commit) for a new connection
             that a device's rule allows; established ones pass)
  cordon     cordon-dataplane: stateful flow table, fingerprinting on, and
             inline detection when the build has it (--detect)

Every system replays the capture from net_pcap (infinite_rx) into net_null
(no-rx) with one forwarding core on CPU 1, and is measured the same way:
packets taken off the input port per second over a fixed window after a
warm-up, from the system's own counters (DPDK telemetry, OVS's port
counters), together with what it forwarded in that window. Runs are
interleaved (a b c d e, a b c d e, ...); each system's median counts, and
every system with a policy must forward the fraction the policy allows.

A system that cannot start is skipped with the reason, and the others go
on. The run ends with four RATIO lines (Cordon's median over each peer's).
--against LABEL=BUILD adds another build's dataplane (cordon@LABEL), to
tell a change's effect from the machine's mood.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers_mix  # noqa: E402
from bench import (against_of, dataplane_of, log, paired, run_args, stop,  # noqa: E402
                   telemetry, thread_cpu, wait_telemetry)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
EAL = ["--no-huge", "--no-pci", "--log-level", "*:error"]
MBUFS = 65536
OVS_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
DPDK_EXAMPLES = "/usr/share/dpdk/examples"
# In the order of each round.
SYSTEMS = ("testpmd", "l3fwd-acl", "ovs", "ovs-ct", "cordon")


class Skip(Exception):
    """The system cannot run here: the reason is printed, the run goes on."""


def run_quiet(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def replay_vdevs(pcap):
    """The capture replayed from port 0 into a sink on port 1."""
    return ["--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
            "--vdev", "net_null0,no-rx=1"]


def cordon_policy(work):
    """peers_mix's policy in work, encoded for --policy (once)."""
    out = os.path.join(work, "cordon.bin")
    if not os.path.exists(out):
        with open(os.path.join(work, "cordon.txtpb")) as fi, open(out, "wb") as fo:
            subprocess.run(["protoc", "--encode=cordon.Policy", "--proto_path=" + ROOT + "/proto",
                            ROOT + "/proto/cordon.proto"], stdin=fi, stdout=fo, check=True)
    return out


def cordon_detects(binary):
    """Whether the build has inline detection (issue 13) to turn on."""
    return "--detect" in run_quiet([binary, "--", "--help"]).stdout


# The worker's burst (dataplane/flow_table.h: FLOW_BURST_MAX, the default
# --burst): the most a counter read while it runs can find received but
# not yet sent or dropped.
CORDON_BURST = 64


def cordon_argv(binary, prefix, vdevs, policy, detect, extra=()):
    """cordon-dataplane as bench_peers runs it (scripts/perf_dp.py too)."""
    return [binary, "-l", "0,1", "--file-prefix", prefix, "-m", "1536", *EAL, *vdevs,
            "--", "--no-control", "--mbufs", str(MBUFS), "--policy", policy,
            *(["--detect"] if detect else []), *extra]


class DpdkApp:
    """A DPDK application measured through its telemetry socket."""

    thread = "rte-worker-1"	# the forwarding lcore's thread

    def __init__(self, bench, name):
        self.b = bench
        self.name = name

    def command(self, prefix, vdevs):
        raise NotImplementedError

    def check(self):
        """Raise Skip if the system cannot run."""

    def measure(self):
        b = self.b
        prefix = b.prefix()
        vdevs = replay_vdevs(b.pcap)
        logf = open(os.path.join(b.work, prefix + ".log"), "w+")
        p = subprocess.Popen(self.command(prefix, vdevs), stdin=subprocess.PIPE, stdout=logf,
                             stderr=subprocess.STDOUT)
        try:
            try:
                wait_telemetry(prefix, p)
                time.sleep(b.a.warmup)
                snap = self.before(prefix)
                rx0 = telemetry(prefix, "/ethdev/stats,0")["ipackets"]
                tx0 = telemetry(prefix, "/ethdev/stats,1")["opackets"]
                c0 = thread_cpu(p.pid, self.thread)
                t0 = time.monotonic()
                time.sleep(b.a.seconds)
                rx1 = telemetry(prefix, "/ethdev/stats,0")["ipackets"]
                tx1 = telemetry(prefix, "/ethdev/stats,1")["opackets"]
                c1 = thread_cpu(p.pid, self.thread)
                t1 = time.monotonic()
                extra = self.after(prefix, snap)
                # Packets per second of the forwarding thread's own CPU
                # time: what it would do with its core to itself.
                if c0 is not None and c1 is not None and c1 > c0:
                    extra["pps_cpu"] = (rx1 - rx0) / (c1 - c0)
            except (RuntimeError, OSError, ValueError, KeyError) as e:
                logf.seek(0)
                tail = logf.read().strip().splitlines()[-2:]
                raise Skip("%s: %s" % (e, " / ".join(tail)))
        finally:
            p.stdin.close()
            stop(p)
            logf.close()
            shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
        return (rx1 - rx0) / (t1 - t0), (tx1 - tx0) / max(1, rx1 - rx0), extra

    def before(self, prefix):
        """What after() compares with, read as the window opens."""
        return None

    def after(self, prefix, before):
        return {}


class Testpmd(DpdkApp):
    def check(self):
        if shutil.which("dpdk-testpmd") is None:
            raise Skip("dpdk-testpmd not found (Debian package dpdk)")

    def command(self, prefix, vdevs):
        return ["dpdk-testpmd", "-l", "0,1", "--file-prefix", prefix, "-m", "1024", *EAL,
                *vdevs, "--", "--forward-mode=io", "--no-mlockall",
                "--total-num-mbufs=%d" % MBUFS, "-a", "--stats-period", "0"]


class L3fwdAcl(DpdkApp):
    thread = "l3fwd"		# -l 1: the main lcore forwards

    def check(self):
        src = os.path.join(DPDK_EXAMPLES, "l3fwd")
        if not os.path.isdir(src):
            raise Skip("%s not found (Debian package dpdk-doc)" % src)
        if shutil.which("make") is None:
            raise Skip("make not found")
        d = os.path.join(self.b.work, "examples")
        shutil.copytree(src, os.path.join(d, "l3fwd"))
        shutil.copytree(os.path.join(DPDK_EXAMPLES, "common"), os.path.join(d, "common"))
        r = run_quiet(["patch", "-p1", "-i", os.path.join(ROOT, "scripts", "peers",
                                                          "l3fwd-virtual-ports.patch")],
                      cwd=os.path.join(d, "l3fwd"))
        if r.returncode != 0:
            raise Skip("the patch for virtual ports does not apply: %s" % r.stdout.strip())
        r = run_quiet(["make", "-j2"], cwd=os.path.join(d, "l3fwd"))
        self.binary = os.path.join(d, "l3fwd", "build", "l3fwd")
        if r.returncode != 0 or not os.path.exists(self.binary):
            raise Skip("l3fwd does not build: %s" % r.stdout.strip()[-300:])

    def command(self, prefix, vdevs):
        w = self.b.work
        # -l 1: the main lcore forwards, on CPU 1 like the others' workers.
        return [self.binary, "-l", "1", "--file-prefix", prefix, "-m", "1024", *EAL, *vdevs,
                "--", "-p", "0x3", "--config", "(0,0,1),(1,0,1)", "--rx-queue-size", "8192",
                "--parse-ptype", "--lookup=acl", "--rule_ipv4=%s/acl_v4.cfg" % w,
                "--rule_ipv6=%s/acl_v6.cfg" % w]


class Cordon(DpdkApp):
    def __init__(self, bench, name, build=None):
        super().__init__(bench, name)
        self.build = build or bench.build

    def check(self):
        self.binary = os.path.join(self.build, "dataplane", "cordon-dataplane")
        if not os.access(self.binary, os.X_OK):
            raise Skip("%s not built" % self.binary)
        self.policy = cordon_policy(self.b.work)
        self.detect = cordon_detects(self.binary)

    def command(self, prefix, vdevs):
        return cordon_argv(self.binary, prefix, vdevs, self.policy, self.detect,
                           self.b.a.cordon_args.split())

    def before(self, prefix):
        return telemetry(prefix, "/cordon/worker,0")

    def after(self, prefix, before):
        return {"stats": telemetry(prefix, "/cordon/stats"),
                "worker0": telemetry(prefix, "/cordon/worker,0"),
                "worker0_before": before}


class Ovs:
    """OVS-DPDK started for each sample: ovsdb-server, then ovs-vswitchd
    with one PMD thread on CPU 1, a bridge with fail_mode=secure, the
    capture on port 1 and a net_null sink on port 2."""

    def __init__(self, bench, name, flows):
        self.b = bench
        self.name = name
        self.flows = flows

    def check(self):
        for tool in (OVS_VSWITCHD, "/usr/sbin/ovsdb-server", "/usr/bin/ovs-vsctl"):
            if not os.access(tool, os.X_OK):
                raise Skip("%s not found (Debian package openvswitch-switch-dpdk)" % tool)

    def env(self, d):
        e = dict(os.environ)
        e.update(OVS_RUNDIR=d, OVS_LOGDIR=d, OVS_DBDIR=d)
        return e

    def measure(self):
        b = self.b
        prefix = b.prefix()
        d = os.path.join(b.work, prefix)
        os.makedirs(d)
        env = self.env(d)
        vsctl = ["ovs-vsctl", "--db=unix:%s/db.sock" % d, "--timeout=30"]
        appctl = ["ovs-appctl", "-t", "%s/ovs-vswitchd.ctl" % d]

        def sh(*cmd):
            r = run_quiet(list(cmd), env=env)
            if r.returncode != 0:
                raise Skip("%s: %s" % (" ".join(cmd[:3]), r.stdout.strip()[-300:]))
            return r.stdout

        try:
            sh("ovsdb-tool", "create", d + "/conf.db", "/usr/share/openvswitch/vswitch.ovsschema")
            sh("taskset", "-c", "0", "ovsdb-server", "-vconsole:off", d + "/conf.db",
               "--remote=punix:%s/db.sock" % d, "--pidfile=%s/ovsdb-server.pid" % d,
               "--log-file=%s/ovsdb-server.log" % d, "--unixctl=%s/ovsdb-server.ctl" % d,
               "--detach")
            sh(*vsctl, "--no-wait", "init")
            # --legacy-mem: OVS 3.1 adds --in-memory otherwise, which EAL
            # refuses beside --no-huge.
            sh(*vsctl, "--no-wait", "set", "Open_vSwitch", ".",
               "other_config:dpdk-init=true",
               "other_config:dpdk-extra=--no-huge -m 2048 --no-pci --legacy-mem "
               "--file-prefix=%s" % prefix,
               "other_config:dpdk-lcore-mask=0x1", "other_config:pmd-cpu-mask=0x2")
            sh("taskset", "-c", "0", OVS_VSWITCHD, "-vconsole:off", "unix:%s/db.sock" % d,
               "--pidfile=%s/ovs-vswitchd.pid" % d, "--log-file=%s/ovs-vswitchd.log" % d,
               "--unixctl=%s/ovs-vswitchd.ctl" % d, "--detach")
            sh(*vsctl, "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
               "fail_mode=secure")
            sh(*vsctl, "add-port", "br0", "pin", "--", "set", "Interface", "pin", "type=dpdk",
               "options:dpdk-devargs=net_pcap0,rx_pcap=%s,infinite_rx=1" % b.pcap,
               "ofport_request=1")
            sh(*vsctl, "add-port", "br0", "pout", "--", "set", "Interface", "pout", "type=dpdk",
               "options:dpdk-devargs=net_null0,no-rx=1", "ofport_request=2")
            sh("ovs-ofctl", "add-flows", "br0", os.path.join(b.work, self.flows))
            # Every thread but the PMD on CPU 0, as the DPDK apps' main lcore.
            pid = open(d + "/ovs-vswitchd.pid").read().strip()
            for t in os.listdir("/proc/%s/task" % pid):
                if not open("/proc/%s/task/%s/comm" % (pid, t)).read().startswith("pmd"):
                    run_quiet(["taskset", "-pc", "0", t])
            time.sleep(b.a.warmup)
            rx0, tx0 = self.counters(env)
            c0 = thread_cpu(int(pid), "pmd*")
            t0 = time.monotonic()
            time.sleep(b.a.seconds)
            rx1, tx1 = self.counters(env)
            c1 = thread_cpu(int(pid), "pmd*")
            t1 = time.monotonic()
            if rx1 == rx0:
                raise Skip("no packet went through (log: %s/ovs-vswitchd.log)" % d)
            extra = {"megaflows": sh(*appctl, "dpctl/dump-flows").count("recirc_id")}
            if c0 is not None and c1 is not None and c1 > c0:
                extra["pps_cpu"] = (rx1 - rx0) / (c1 - c0)
        finally:
            for daemon in ("ovs-vswitchd", "ovsdb-server"):
                self.stop(d, daemon, env)
            shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
        return (rx1 - rx0) / (t1 - t0), (tx1 - tx0) / max(1, rx1 - rx0), extra

    @staticmethod
    def counters(env):
        """Packets received on port 1 and sent on port 2: ovs-ofctl's
        live counters (the database's copy is refreshed every 5 s)."""
        def port(n, what):
            out = run_quiet(["ovs-ofctl", "dump-ports", "br0", str(n)], env=env).stdout
            try:
                return int(out.split(what + " pkts=")[1].split(",")[0])
            except (IndexError, ValueError):
                raise Skip("ovs-ofctl dump-ports br0 %d: %s" % (n, out.strip()[-200:]))
        return port(1, "rx"), port(2, "tx")

    @staticmethod
    def stop(d, daemon, env):
        try:
            pid = int(open("%s/%s.pid" % (d, daemon)).read().strip())
        except (OSError, ValueError):
            return
        run_quiet(["ovs-appctl", "-t", "%s/%s.ctl" % (d, daemon), "exit"], env=env, timeout=20)
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)


class Bench:
    def __init__(self, a):
        self.a = a
        self.build = os.path.abspath(a.build)
        self.work = tempfile.mkdtemp(prefix="cordon-peers-")
        self.pcap = os.path.join(self.work, "mix.pcap")
        self.seq = 0

    def prefix(self):
        self.seq += 1
        return "cordon-peers-%d-%d" % (os.getpid(), self.seq)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    # Five rounds: the shared machines slow down for minutes at a time, and
    # OVS most of all (docs/perf.md, "A third host"); a median of three
    # rounds moved with one slow one. About a minute a round.
    run_args(ap, runs=5, seconds=5.0, warmup=3.0)
    ap.add_argument("--only", default="", help="comma-separated systems to run (default: all)")
    ap.add_argument("--cordon-args", default="", help="extra cordon-dataplane options")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--against", action="append", default=[], metavar="LABEL=BUILD",
                    help="also run another build's cordon-dataplane (a build folder, e.g. of "
                    "an older commit), interleaved as cordon@LABEL: INFO lines give it "
                    "and this build over it, run by run")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    if only - set(SYSTEMS):
        ap.error("--only: no system %s (systems: %s)" % (
            ", ".join(sorted(only - set(SYSTEMS))), ",".join(SYSTEMS)))
    # Cordon is what every RATIO line is about: without it nothing is.
    if not only or "cordon" in only:
        dataplane_of(ap, a.build)
    against = [(label, build) for label, build, _ in against_of(ap, a.against)]

    b = Bench(a)
    facts = peers_mix.write(b.work)
    want = facts["allowed"] / facts["packets"]
    log("bench_peers: %d packets, %d devices, %d rules, %.1f %% allowed; work folder %s" % (
        facts["packets"], facts["devices"], facts["rules"], 100 * want, b.work))
    systems = [Testpmd(b, "testpmd"), L3fwdAcl(b, "l3fwd-acl"), Ovs(b, "ovs", "ovs.flows"),
               Ovs(b, "ovs-ct", "ovs-ct.flows"), Cordon(b, "cordon")]
    assert [s.name for s in systems] == list(SYSTEMS)
    if only:
        systems = [s for s in systems if s.name in only]
    if any(s.name == "cordon" for s in systems):
        systems += [Cordon(b, "cordon@" + label, build) for label, build in against]
    skipped = {}
    for s in systems:
        try:
            s.check()
        except Skip as e:
            skipped[s.name] = str(e)
            log("bench_peers: SKIP %s: %s" % (s.name, e))
    load0 = os.getloadavg()
    samples = {s.name: [] for s in systems}
    fwd = {s.name: [] for s in systems}
    cpu = {s.name: [] for s in systems}
    extra = {}
    for r in range(a.runs):
        for s in systems:
            if s.name in skipped:
                continue
            try:
                pps, frac, ex = s.measure()
            except Skip as e:
                skipped[s.name] = str(e)
                log("bench_peers: SKIP %s: %s" % (s.name, e))
                continue
            samples[s.name].append(pps / 1e6)
            fwd[s.name].append(frac)
            if "pps_cpu" in ex:
                cpu[s.name].append(ex["pps_cpu"] / 1e6)
            extra[s.name] = ex
            log("bench_peers: run %d %-9s %6.2f Mpps, forwarded %.1f %%" % (
                r + 1, s.name, pps / 1e6, 100 * frac))
    load1 = os.getloadavg()

    med = {k: statistics.median(v) for k, v in samples.items() if v and k not in skipped}
    base = med.get("testpmd")
    nw = max([10] + [len(s.name) for s in systems])
    print("SYSTEM %-*s %8s %9s %10s   %s" % (nw, "", "Mpps", "/testpmd", "forwarded", "runs"))
    for s in systems:
        if s.name in skipped:
            print("SYSTEM %-*s skipped: %s" % (nw, s.name, skipped[s.name]))
            continue
        print("SYSTEM %-*s %8.2f %9s %9.1f%%   %s" % (
            nw, s.name, med[s.name], "%.3f" % (med[s.name] / base) if base else "-",
            100 * statistics.median(fwd[s.name]), " ".join("%.2f" % x for x in samples[s.name])))
    # Every system with the policy forwards what it allows, within 1 %
    # (a window's edges cut the capture's replay anywhere).
    ok = True
    for name in ["l3fwd-acl", "ovs", "ovs-ct", "cordon"] + ["cordon@" + x for x, _ in against]:
        if name in med:
            f = statistics.median(fwd[name])
            good = abs(f - want) < 0.01
            ok &= good
            print("CHECK %-*s forwards %.1f %% of packets, the policy allows %.1f %%: %s" % (
                nw, name, 100 * f, 100 * want, "ok" if good else "MISMATCH"))
    if "cordon" in extra:
        st = extra["cordon"]["stats"] or {}
        wk = extra["cordon"]["worker0"] or {}
        w0 = extra["cordon"]["worker0_before"] or {}
        # The first pass over the capture starts all its flows within a
        # few milliseconds, and their first packets overflow the tap ring:
        # the window's own figures say what the steady state loses.
        print("INFO cordon: fingerprinting on (%d packets tapped, %d not: ring full; in the "
              "last window %d tapped, %d not), detection %s; %d flows, %d classified; "
              "rx %d, tx %d, drops %d" % (
                  wk.get("tapped", -1), wk.get("tap_full", -1),
                  wk.get("tapped", 0) - w0.get("tapped", 0),
                  wk.get("tap_full", 0) - w0.get("tap_full", 0),
                  "on" if next(s for s in systems if s.name == "cordon").detect
                  else "not in this build (issue 13)",
                  wk.get("flows_active", -1), st.get("classified", -1),
                  st.get("rx_packets", -1), st.get("tx_packets", -1), st.get("drops", -1)))
        # Read while the worker runs: what it received but had not sent
        # or dropped yet is at most one burst (one worker).
        xa = a.cordon_args.split()
        burst = int(xa[xa.index("--burst") + 1]) if "--burst" in xa[:-1] else CORDON_BURST
        inflight = st.get("rx_packets", 0) - st.get("tx_packets", 0) - st.get("drops", 0)
        ok &= 0 <= inflight <= burst
        print("CHECK cordon counters: rx - tx - drops = %d, the burst in flight at the read "
              "(0..%d): %s" % (inflight, burst, "ok" if 0 <= inflight <= burst else "MISMATCH"))
    for label, _ in against:
        k = "cordon@" + label
        if k in med and "cordon" in med:
            print("INFO cordon@%s: %.2f Mpps; this build over it %s" % (
                label, med[k], paired(samples["cordon"], samples[k])))
    # The host's mood shifts within a run (every system slows by a quarter
    # to a half for minutes): a median of each system's runs can pair a
    # fast run of one with a slow run of another. Cordon over each peer in
    # the same round tells the two apart; the RATIO lines stay on medians.
    for peer in ("ovs", "ovs-ct", "l3fwd-acl", "testpmd"):
        if peer in med and "cordon" in med:
            print("INFO cordon over %s, round by round: %s" % (
                peer, paired(samples["cordon"], samples[peer])))
    for name in ("ovs", "ovs-ct"):
        if name in extra:
            print("INFO %s: %d megaflows at the end of its last run" % (name, extra[name]["megaflows"]))
    print("INFO load average %.2f at start, %.2f at end (%d CPUs)" % (load0[0], load1[0],
                                                                      os.cpu_count()))
    # On a busy machine the forwarding threads lose their CPU now and then:
    # packets per second of each one's own CPU time tell what the rates
    # would be with the core to itself (the RATIO lines stay on the rates).
    mcpu = {k: statistics.median(v) for k, v in cpu.items() if v and k in med}
    if mcpu:
        print("INFO Mpps per CPU-second of the forwarding thread: %s" % ", ".join(
            "%s %.2f" % (k, mcpu[k]) for k in (s.name for s in systems) if k in mcpu))
        if "cordon" in mcpu:
            print("INFO the same, cordon over each: %s" % ", ".join(
                "%s %.2f" % (k, mcpu["cordon"] / mcpu[k]) for k in
                (s.name for s in systems) if k in mcpu and k != "cordon"))
    # What a RATIO line can reach on this host: testpmd io does the same
    # RX and TX and nothing else, so no dataplane measured the same way
    # goes further over a peer than it does.
    if "testpmd" in med:
        ceil = ["%s %.2f" % (k, med["testpmd"] / med[k]) for k in ("ovs", "ovs-ct", "l3fwd-acl")
                if k in med]
        if ceil:
            print("INFO the I/O limit over each peer (testpmd io over it, the most a RATIO "
                  "line can be here): %s" % ", ".join(ceil))
    for peer, label in (("ovs", "ovs-stateless"), ("ovs-ct", "ovs-conntrack"),
                        ("l3fwd-acl", "l3fwd-acl"), ("testpmd", "testpmd")):
        if "cordon" in med and peer in med:
            print("RATIO cordon/%s %.2f" % (label, med["cordon"] / med[peer]))
        else:
            print("RATIO cordon/%s n/a (%s)" % (label, skipped.get(peer) or skipped.get("cordon")
                                               or "not run"))
    if not a.keep:
        shutil.rmtree(b.work, ignore_errors=True)
    # A peer that cannot start is skipped (said above); a Cordon build
    # asked for and not measured is a failed run.
    lost = [s.name for s in systems if s.name.startswith("cordon") and s.name in skipped]
    if lost:
        log("bench_peers: not measured: %s" % ", ".join(lost))
    return 0 if ok and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
