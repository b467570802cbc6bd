#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Cordon's dataplane benchmark, run by scripts/bench.sh.

Every case replays a generated capture from net_pcap (infinite_rx) into
net_null on one worker, and is measured the same way: the input port's
received packets per second, read from DPDK telemetry (/ethdev/stats) over a
fixed window after a warm-up. Shared machines drift, so each case runs
--runs times, interleaved with the others, and the median counts; ratios
are taken against the baseline of the same invocation.

  (a) dpdk-testpmd io forwarding: the baseline
  (b) cordon-dataplane, 1,000-device policy (each device allowed to its own
      service address and port), half the traffic denied, flow table warm;
      and again with fingerprinting off (RATIO fingerprint: on / off), and
      with detection off (RATIO detection: on / off; RATIO established
      nodetect: off against the baseline)
  (c) the same with every packet starting a new flow, detection off (each
      device's packets are then a flood by definition: the detectors would
      contain them, and the case would measure drops)
  (d) policy scaling: new flows against 10, 1,000 and 10,000 rules
  plus the memory of a 1 M-flow table and the policy build times, and the
  control plane's figures (scripts/bench_control.py: policy apply,
  quarantine, re-registration, swap latency), medians of --control-runs.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import bench_control

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
EAL = ["--no-huge", "-m", "1536", "--no-pci", "--log-level", "*:error"]
MBUFS = 300000
CASE_KEYS = ("a", "b", "b-nofp", "b-nodet", "c", "d10", "d10000")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def telemetry(prefix, cmd, timeout=5):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(timeout)
    s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix)
    s.recv(16384)
    s.send(cmd.encode())
    data = json.loads(s.recv(1 << 20).decode())
    s.close()
    return data[cmd.split(",")[0]]


def wait_telemetry(prefix, proc, timeout=60):
    """Until packets come in on port 0. Telemetry answers as soon as the
    EAL is up, before an application has built its tables and started
    its ports, which takes seconds on a busy machine."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("process exited with %s" % proc.returncode)
        try:
            if telemetry(prefix, "/ethdev/stats,0")["ipackets"] > 0:
                return
        except (OSError, ValueError, KeyError, TypeError):
            pass
        time.sleep(0.1)
    raise RuntimeError("no packet came in on port 0 of %s within %d s" % (prefix, timeout))


def stop(p, sig=signal.SIGINT, timeout=30):
    """Ask a process to stop; kill it if it has not after timeout s."""
    if p.poll() is None:
        p.send_signal(sig)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def paired(ours, theirs):
    """Run by run, ours over theirs (each against the run next to it: the
    machine's drift cancels in a pair better than in the medians): the
    median and the runs, as text."""
    pairs = [x / y for x, y in zip(ours, theirs)]
    return "%.3f (median of %d paired runs; runs %s)" % (
        statistics.median(pairs), len(pairs), " ".join("%.3f" % x for x in pairs))


def hit_share(info):
    """The share of a dataplane's flow look-ups that found their flow."""
    wk = info.get("worker0") or {}
    return wk.get("flow_hits", 0) / max(1, wk.get("flow_lookups", 0))


def arg_number(kind, least, strict):
    """An argparse type: a number of kind (int, float) at least (strict:
    above) least, or a clear error at parse time."""
    def parse(text):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError("%r is not a number" % text)
        if v != v or v in (float("inf"), float("-inf")) or v < least or (strict and v == least):
            raise argparse.ArgumentTypeError("%s is not %s %g" % (
                text, "above" if strict else "at least", least))
        return v
    return parse


def dataplane_of(ap, build, what=None):
    """BUILD/dataplane/cordon-dataplane, or the parser's error (exit 2)
    that names the option (what, default --build BUILD)."""
    dp = os.path.join(os.path.abspath(build), "dataplane", "cordon-dataplane")
    if not os.access(dp, os.X_OK):
        ap.error("%s: no %s (scripts/setup.sh builds it into build/)" % (
            what or "--build " + build, dp))
    return dp


def against_of(ap, specs):
    """--against LABEL=BUILD options as (label, build, its dataplane), or
    the parser's error."""
    out = []
    for spec in specs:
        label, sep, build = spec.partition("=")
        if not sep or not label or not build:
            ap.error("--against wants LABEL=BUILD, not %r" % spec)
        out.append((label, os.path.abspath(build),
                    dataplane_of(ap, build, "--against " + spec)))
    return out


def run_args(ap, runs, seconds, warmup):
    """The options every benchmark here has. Parsed, --build holds a
    built dataplane (check it with dataplane_of()), --runs is at least 1,
    --seconds above 0 and --warmup (none if warmup is None) at least 0."""
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=arg_number(int, 1, False), default=runs,
                    help="interleaved runs of each case (median), default %d" % runs)
    ap.add_argument("--seconds", type=arg_number(float, 0, True), default=seconds,
                    help="measuring window, default %g" % seconds)
    if warmup is not None:
        ap.add_argument("--warmup", type=arg_number(float, 0, False), default=warmup,
                        help="seconds before measuring, default %g" % warmup)


def thread_cpu(pid, name):
    """CPU seconds the process's thread called name (or name*, when name
    ends with a '*') has used; None if it has no such thread."""
    hz = os.sysconf("SC_CLK_TCK")
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, t)) as f:
                st = f.read()
            comm = st[st.index("(") + 1:st.rindex(")")]
            if comm == name or (name.endswith("*") and comm.startswith(name[:-1])):
                f = st[st.rindex(")") + 2:].split()
                return (int(f[11]) + int(f[12])) / hz
    except (OSError, ValueError):
        pass
    return None


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Bench:
    def __init__(self, a):
        self.a = a
        self.build = os.path.abspath(a.build)
        self.dp = os.path.join(self.build, "dataplane", "cordon-dataplane")
        self.work = tempfile.mkdtemp(prefix="cordon-bench-")
        self.seq = 0

    def sh(self, *cmd, **kw):
        subprocess.run(cmd, check=True, **kw)

    # -- inputs ---------------------------------------------------------
    def prepare(self):
        w = self.work
        gen = [sys.executable, os.path.join(ROOT, "scripts", "pcapgen.py")]
        # Each device: one flow to its service (allowed) and one attempt
        # elsewhere (denied); 2,000 flows, half the packets denied.
        self.sh(*gen, "--mix", "policy", "--devices", "1000", "--flows-per-device",
                str(self.a.flows_per_device), "-n", str(2000 * self.a.flows_per_device),
                "-o", w + "/est.pcap", stderr=subprocess.DEVNULL)
        self.sh(*gen, "--mix", "policy", "--devices", "1000", "--unique",
                "-n", str(self.a.new_flows), "-o", w + "/new.pcap", stderr=subprocess.DEVNULL)
        self.pol = {}
        for rules in (10, 1002, 10000):
            txt, binf = "%s/pol%d.txtpb" % (w, rules), "%s/pol%d.bin" % (w, rules)
            self.sh(sys.executable, os.path.join(ROOT, "scripts", "gen_policy.py"),
                    "--devices", "1000", "--rules", str(rules), "-o", txt)
            with open(txt) as fi, open(binf, "wb") as fo:
                self.sh("protoc", "--encode=cordon.Policy", "--proto_path=" + ROOT + "/proto",
                        ROOT + "/proto/cordon.proto", stdin=fi, stdout=fo)
            self.pol[rules] = binf

    # -- one measured run ------------------------------------------------
    def run(self, kind, pcap, extra=(), secs=None, dp=None):
        self.seq += 1
        prefix = "cordon-bench-%d-%d" % (os.getpid(), self.seq)
        vdevs = ["--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                 "--vdev", "net_null0,no-rx=1"]
        if kind == "testpmd":
            cmd = ["dpdk-testpmd", "-l", "0,1", "--file-prefix", prefix, *EAL, *vdevs, "--",
                   "--forward-mode=io", "--no-mlockall", "--total-num-mbufs=%d" % MBUFS,
                   "-a", "--stats-period", "0"]
        else:
            cmd = [dp or self.dp, "-l", "0,1", "--file-prefix", prefix, *EAL, *vdevs, "--",
                   "--no-control", "--mbufs", str(MBUFS), *extra, *self.a.dp_args.split()]
        out = open(os.path.join(self.work, prefix + ".log"), "w+")
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=out,
                             stderr=subprocess.STDOUT)
        try:
            wait_telemetry(prefix, p)
            time.sleep(self.a.warmup)
            a0 = telemetry(prefix, "/ethdev/stats,0")["ipackets"]
            c0 = thread_cpu(p.pid, "rte-worker-1")
            t0 = time.monotonic()
            time.sleep(secs or self.a.seconds)
            a1 = telemetry(prefix, "/ethdev/stats,0")["ipackets"]
            c1 = thread_cpu(p.pid, "rte-worker-1")
            t1 = time.monotonic()
            info = {"rss_kib": rss_kib(p.pid)}
            # The forwarding thread's own CPU time: what the rate would be
            # with its core to itself (a busy machine takes it away).
            if c0 is not None and c1 is not None and c1 > c0:
                info["pps_cpu"] = (a1 - a0) / (c1 - c0)
            if kind != "testpmd":
                info["stats"] = telemetry(prefix, "/cordon/stats")
                info["policy"] = telemetry(prefix, "/cordon/policy")
                info["worker0"] = telemetry(prefix, "/cordon/worker,0")
        finally:
            if kind == "testpmd":
                p.stdin.close()         # testpmd quits at end of input
            stop(p)
            subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix])
        out.seek(0)
        for line in out:
            if line.startswith("cordon-dataplane: total rx"):
                w = line.split()
                info["final"] = (int(w[3]), int(w[5]), int(w[7]))
        out.close()
        return (a1 - a0) / (t1 - t0) / 1e6, info


def settle(max_wait, target):
    """Wait for the machine to quieten down (1-minute load average)."""
    end = time.monotonic() + max_wait
    while True:
        load = os.getloadavg()[0]
        if load < target or time.monotonic() > end:
            return load
        time.sleep(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    run_args(ap, runs=3, seconds=3.0, warmup=2.0)
    ap.add_argument("--new-flows", type=arg_number(int, 1, False), default=262144,
                    help="distinct flows in the new-flow capture (default 262144)")
    ap.add_argument("--settle", type=arg_number(float, 0, False), default=60,
                    help="wait up to this long for load average < 0.5 (default 60 s)")
    ap.add_argument("--quick", action="store_true", help="one run per case, short windows")
    ap.add_argument("--flows-per-device", type=arg_number(int, 1, False), default=4,
                    help="allowed (and as many denied) flows per device in (b), default 4")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--dp-args", default="", help="extra cordon-dataplane options, for experiments")
    ap.add_argument("--control-runs", type=arg_number(int, 0, False), default=5,
                    help="repeats of each control-plane figure (bench_control.py), 0: none")
    ap.add_argument("--control-only", action="store_true",
                    help="only the control-plane figures")
    ap.add_argument("--against", action="append", default=[], metavar="LABEL=BUILD",
                    help="also run cases (b) and (c) on another build's dataplane (a commit "
                         "before a change), interleaved with the others; prints RATIO "
                         "established@LABEL and this build's rates over that one's. Repeatable")
    ap.add_argument("--cases", default="",
                    help="comma-separated case keys to run (default: all); a is always run")
    a = ap.parse_args()
    dataplane_of(ap, a.build)
    against = [(label, dp) for label, _, dp in against_of(ap, a.against)]
    unknown = set(filter(None, a.cases.split(","))) - set(CASE_KEYS)
    if unknown:
        ap.error("--cases: no case %s (cases: %s)" % (", ".join(sorted(unknown)),
                                                     ",".join(CASE_KEYS)))
    if a.quick:
        a.runs, a.seconds, a.warmup = 1, 1.5, 1.0

    if a.quick:
        a.control_runs = min(a.control_runs, 1)
    control = {}
    if a.control_runs > 0:
        control = bench_control.control_figures(os.path.abspath(a.build), a.control_runs, log)
    if a.control_only:
        bench_control.report(control)
        return 0

    b = Bench(a)
    ok = False
    try:
        rc = measure(a, b, control, against)
        ok = True
        return rc
    finally:
        # Captures, policies and the dataplanes' logs: kept when asked, or
        # when the run failed, for what it says.
        if ok and not a.keep:
            shutil.rmtree(b.work, ignore_errors=True)
        else:
            log("bench: work folder kept: %s" % b.work)


def measure(a, b, control, against):
    log("bench: generating captures and policies in %s" % b.work)
    b.prepare()
    load = settle(a.settle, 0.5)
    log("bench: load average %.2f at start" % load)

    new_extra = ["--flows", "65536"]
    cases = [
        ("a", "testpmd io-fwd (baseline)", "testpmd", b.work + "/est.pcap", []),
        ("b", "cordon established, 1000 devices", "cordon", b.work + "/est.pcap",
         ["--policy", b.pol[1002]]),
        ("b-nofp", "  the same, fingerprinting off", "cordon", b.work + "/est.pcap",
         ["--policy", b.pol[1002], "--no-fingerprint"]),
        ("b-nodet", "  the same, detection off", "cordon", b.work + "/est.pcap",
         ["--policy", b.pol[1002], "--no-detect"]),
        ("c", "cordon new flow every packet", "cordon", b.work + "/new.pcap",
         ["--policy", b.pol[1002], "--no-detect", *new_extra]),
        ("d10", "cordon new flows, 10 rules", "cordon", b.work + "/new.pcap",
         ["--policy", b.pol[10], "--no-detect", *new_extra]),
        ("d10000", "cordon new flows, 10000 rules", "cordon", b.work + "/new.pcap",
         ["--policy", b.pol[10000], "--no-detect", *new_extra]),
    ]
    if a.cases:
        keep = set(a.cases.split(",")) | {"a"}
        cases = [c for c in cases if c[0] in keep]
    run_keys = {c[0] for c in cases}
    for label, dp in against:
        # A build from before detection (issue 13) has no --no-detect:
        # its case (c) runs without it, as that build always did.
        helptext = subprocess.run([dp, "--", "--help"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True).stdout
        nodet = ["--no-detect"] if "--no-detect" in helptext else []
        if "b" in run_keys:
            cases.append(("b@" + label, "  case b on " + label, dp, b.work + "/est.pcap",
                          ["--policy", b.pol[1002]]))
        if "c" in run_keys:
            cases.append(("c@" + label, "  case c on " + label, dp, b.work + "/new.pcap",
                          ["--policy", b.pol[1002], *nodet, *new_extra]))
    samples = {c[0]: [] for c in cases}
    cpu = {c[0]: [] for c in cases}
    infos = {}
    for r in range(a.runs):
        for key, _, kind, pcap, extra in cases:
            if kind in ("testpmd", "cordon"):
                mpps, info = b.run(kind, pcap, extra)
            else:               # another build's dataplane (--against)
                mpps, info = b.run("cordon", pcap, extra, dp=kind)
            samples[key].append(mpps)
            if "pps_cpu" in info:
                cpu[key].append(info["pps_cpu"] / 1e6)
            infos[key] = info
            log("bench: run %d %-7s %6.2f Mpps" % (r + 1, key, mpps))

    med = {k: statistics.median(v) for k, v in samples.items()}
    base = med["a"]
    kw = max(7, max(len(c[0]) for c in cases))
    print("CASE %-*s %-36s %8s %7s   %s" % (kw, "", "", "Mpps", "ratio", "runs"))
    for key, name, _, _, _ in cases:
        print("CASE %-*s %-36s %8.2f %7.2f   %s" % (kw, key, name, med[key], med[key] / base,
                                                  " ".join("%.2f" % x for x in samples[key])))
    ran = set(med)
    # Case (d) at 1,000 rules is case (c).
    if "c" in ran:
        print("CASE %-*s %-36s %8.2f %7.2f   (= case c)" % (
            kw, "d1000", "cordon new flows, 1002 rules", med["c"], med["c"] / base))

    if "b" in ran:
        st = infos["b"]["stats"]
        denied = st.get("policy_default_deny", 0) + st.get("policy_rule_deny", 0)
        rx, tx, drops = infos["b"].get("final", (0, 0, -1))
        print("INFO established: %.0f%% denied; after stopping, rx %d = tx %d + drops %d: %s" % (
            100.0 * denied / max(1, st["rx_packets"]), rx, tx, drops, rx == tx + drops))
    if "c" in ran:
        wc = infos["c"]["worker0"]
        # A packet of case (c) that found its flow (a survivor of the
        # previous pass over the capture) is not a new flow: count inserts.
        new_share = 1.0 - hit_share(infos["c"])
        print("INFO new flows: %.2f M new flows/s per worker = %.3f of testpmd io (%.2f Mpps, "
              "%.2f%% of look-ups hits; flow inserts %d, evicted %d, classified %d)" % (
                  med["c"] * new_share, med["c"] * new_share / base, med["c"],
                  100.0 * (1.0 - new_share), wc["flow_inserts"], wc["flow_evicted"],
                  wc["classified"]))
    for rules, key in ((10, "d10"), (1002, "c"), (10000, "d10000")):
        if key not in ran:
            continue
        p = infos[key]["policy"]
        print("INFO policy %5d rules: built in %.1f ms, %d ACL entries, %.1f MiB" % (
            p["rules"], p["build_us"] / 1000.0, p["acl4_entries"], p["mem_bytes"] / 1048576))

    if not a.cases:
        # Memory of a 1 M-flow table: resident size with 1,048,576 flows
        # against 1,024, same everything else, once the table is allocated.
        _, big = b.run("cordon", b.work + "/est.pcap", ["--flows", "1048576"], secs=0.5)
        _, small = b.run("cordon", b.work + "/est.pcap", ["--flows", "1024"], secs=0.5)
        mib = (big["rss_kib"] - small["rss_kib"]) / 1024.0
        print("INFO flow table of 1048576 flows: %.1f MiB resident (%s)" % (
            mib, "<= 256 MB" if mib * 1048576 <= 256e6 else "OVER 256 MB"))
    print("INFO load average %.2f at the end (%d CPUs)" % (os.getloadavg()[0], os.cpu_count()))
    mc = {k: statistics.median(v) for k, v in cpu.items() if v}
    if "a" in mc:
        print("INFO Mpps per CPU-second of the forwarding thread (ratio to a): %s" % ", ".join(
            "%s %.2f (%.2f)" % (k, mc[k], mc[k] / mc["a"]) for k, *_ in cases if k in mc))
    bench_control.report(control)
    if "b" in ran:
        dst = infos["b"]["stats"]
        print("INFO established, detection on: %d alerts, %d events dropped, %d devices "
              "contained" % (dst.get("detect_alerts", 0), dst.get("detect_events_dropped", 0),
                             dst.get("detect_contained", 0)))
    for label, _ in against:
        k = "b@" + label
        if k in ran:
            ast = infos[k]["stats"]
            print("INFO established on %s: %.0f%% denied" % (label, 100.0 * (
                ast.get("policy_default_deny", 0) + ast.get("policy_rule_deny", 0)) /
                max(1, ast["rx_packets"])))
            print("INFO established against %s: this build over it %s" % (
                label, paired(samples["b"], samples[k])))
            print("RATIO established@%s %.2f" % (label, med[k] / base))
        k = "c@" + label
        if k in ran:
            print("INFO new flows against %s: %.2f Mpps (%.3f of testpmd, %.2f%% of look-ups "
                  "hits); this build over it %s" % (
                      label, med[k], med[k] / base, 100.0 * hit_share(infos[k]),
                      paired(samples["c"], samples[k])))
    if "b-nofp" in ran and "b" in ran:
        print("RATIO fingerprint %.2f" % (med["b"] / med["b-nofp"]))
    if "b-nodet" in ran and "b" in ran:
        print("RATIO detection %.2f" % (med["b"] / med["b-nodet"]))
    if "b-nodet" in ran:
        print("RATIO established-nodetect %.2f" % (med["b-nodet"] / base))
    if "b" in ran:
        print("RATIO established %.2f" % (med["b"] / base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
