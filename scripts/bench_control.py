#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Control-plane figures, for scripts/bench.py (and on their own).

The integration tests that exercise these paths print what each timed step
took on FIGURE lines, and never assert it. This runs those same tests with
--repeat and reports the median of every figure:

  policy_apply_10k  `cordonctl policy apply` of a 10,000-device policy to
                    the first drop of the flow it denies (test_control.py)
  quarantine        `cordonctl quarantine MAC` to the first drop of the
                    device's existing flow (test_control.py)
  reregistration    cordond restarted (kill -9) to the dataplane registered
                    again (test_skeleton.py)
  swap_latency      `cordonctl policy push` to the version in force, over
                    100 swaps under traffic (test_policy_swap.py)

  scripts/bench_control.py [--build DIR] [--runs N]
"""

import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TESTS = os.path.join(ROOT, "tests", "integration")
# (test, takes --repeat)
CASES = [("test_control.py", True), ("test_skeleton.py", True),
         ("test_policy_swap.py", False)]


def run_test(build, test, repeat, log):
    cmd = [sys.executable, os.path.join(TESTS, test), "--build", build]
    if repeat:
        cmd += ["--repeat", str(repeat)]
    r = subprocess.run(cmd, cwd=TESTS, capture_output=True, text=True)
    if r.returncode != 0:
        log(r.stdout[-3000:] + r.stderr[-2000:])
        raise RuntimeError("%s failed (exit %d)" % (test, r.returncode))
    figs = {}
    for line in r.stdout.splitlines():
        w = line.split()
        if len(w) > 2 and w[0] == "FIGURE":
            figs.setdefault(w[1], []).extend(float(x) for x in w[2:])
    return figs


def control_figures(build, runs, log=lambda *a: print(*a, file=sys.stderr, flush=True)):
    """{name: [ms, ...]} over runs repeats of each timed step."""
    out = {}
    for test, repeats in CASES:
        log("bench: %s%s" % (test, " --repeat %d" % runs if repeats else ""))
        for name, v in run_test(build, test, runs if repeats else 0, log).items():
            out.setdefault(name, []).extend(v)
    return out


def report(figs):
    for name in sorted(figs):
        v = figs[name]
        shown = " ".join("%.0f" % x for x in v) if len(v) <= 12 else "%d samples, max %.0f" % (
            len(v), max(v))
        print("CONTROL %-18s median %8.1f ms   (%s)" % (name, statistics.median(v), shown))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5, help="repeats of each timed step (5)")
    a = ap.parse_args()
    if a.runs < 1:
        ap.error("--runs must be positive")
    report(control_figures(os.path.abspath(a.build), a.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
