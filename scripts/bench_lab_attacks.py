#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Medians of the lab attacks against issue 13's bars (see
bench_lab_attacks.sh). Runs tests/integration/test_attacks.py --runs N
--forged-dns --json, then prints, per attack:

  first probe -> first drop   the bar's figure: from the tool's first probe
                              (tcpdump in its namespace; nmap: its first
                              SYN, after its ARP discovery) to the first of
                              its packets the dataplane dropped (the
                              dataplane's stamp)
  first packet -> contained   from the tool's very first packet to the
                              policy swap that contained it
  counted -> first drop       from the first packet the detector counted

and one line per bar: BAR NAME median ... <= bar: PASS/FAIL. A run that
fails a check does not stop the others (test_attacks.py --keep-going): it
is counted in its attack's "failed" column and said at the end; a bar
attack passes only when all its runs passed and were timed. Exit 1 when a
run failed or a bar is missed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from bench import arg_number, dataplane_of

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "tests", "integration")
BARS = {"nmap-syn": 1000.0, "hping3-syn": 250.0, "hydra-telnet": 5000.0}


def med(xs):
    xs = [x for x in xs if x is not None]
    return (statistics.median(xs), len(xs)) if xs else (None, 0)


def fmt(m):
    return "%8.0f ms" % m[0] if m[0] is not None else "%11s" % "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--runs", type=arg_number(int, 1, False), default=5)
    ap.add_argument("--attack", action="append")
    ap.add_argument("--port", default="af_xdp")	# test_attacks.py checks it
    args = ap.parse_args()
    dataplane_of(ap, args.build)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        argv = [sys.executable, "test_attacks.py", "--build", os.path.abspath(args.build),
                "--runs", str(args.runs), "--forged-dns", "--port", args.port,
                "--keep-going", "--json", out.name]
        for a in args.attack or ():
            argv += ["--attack", a]
        rc = subprocess.run(argv, cwd=TESTS).returncode
        try:
            with open(out.name) as f:
                results = json.load(f)
        except ValueError:
            results = []
    if rc == 77:
        print("bench_lab_attacks: skipped (see above)")
        return 0
    by = {}
    for r in results:
        by.setdefault(r["attack"], []).append(r)
    print("\n%-13s %5s %16s %16s %16s %12s %7s" % ("attack", "runs", "probe->drop",
                                                   "first->contained", "counted->drop",
                                                   "contained", "failed"))
    ok = rc == 0
    for name, rs in by.items():
        if name == "forged-dns":
            continue
        p = med(r["probe_to_drop_ms"] for r in rs)
        c = med(r["to_contain_ms"] for r in rs)
        d = med(r["dp_to_drop_ms"] for r in rs)
        n = sum(1 for r in rs if r["containment"])
        bad = sum(1 for r in rs if r.get("failed"))
        print("%-13s %5d %16s %16s %16s %9d/%d %7d" % (name, len(rs), fmt(p), fmt(c), fmt(d),
                                                       n, len(rs), bad))
        if name in BARS:
            good = p[0] is not None and p[1] == len(rs) and not bad and \
                p[0] <= BARS[name]
            ok = ok and good
            print("BAR %s median %s of %d runs (probe -> first drop) <= %.0f ms: %s" % (
                name, fmt(p).strip(), p[1], BARS[name], "PASS" if good else "FAIL"))
    for r in by.get("forged-dns", []):
        good = not r["evil_after"] and not r.get("failed")
        ok = ok and good
        print("BAR forged-dns: %d forged answers, %s: %s" % (
            r["sent"], "never bound" if good else "BOUND", "PASS" if good else "FAIL"))
    lost = sum(f["lost"] for rs in by.values() for r in rs for f in r.get("steady", []))
    sent = sum(f["sent"] for rs in by.values() for r in rs for f in r.get("steady", []))
    drops = sum(sum(r.get("others_dropped", {}).values()) for rs in by.values() for r in rs)
    print("other devices: %d packets dropped by the dataplane; steady flows %d of %d lost"
          % (drops, lost, sent))
    for r in results:
        if r.get("failed"):
            print("failed: %s: %s" % (r["attack"], r["failed"].splitlines()[0]))
    if rc != 0:
        print("bench_lab_attacks: test_attacks.py failed (exit %d)" % rc)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
