#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The scripts' bad arguments: each is refused at once with exit 2 and a
line that names what is wrong, before anything is set up, built, started
or measured. Before this test, `bench_peers.sh --only foo` measured nothing
and exited 0, `bench.sh --new-flows 0` ended in a traceback, and
`test.sh --bogus` ran the whole suite.

Usage: test_args.py SOURCE_ROOT BUILD_ROOT
"""

import os
import signal
import subprocess
import sys

# (command, what its error must say); {build} is a real build folder, so
# that the argument under test is the only thing wrong. The benchmarks'
# wrappers (bench*.sh) run setup.sh and install their peers first: their
# Python, which parses the arguments, is called here.
CASES = [
    ("scripts/bench_peers.py --only foo", "no system foo"),
    ("scripts/bench_peers.py --only cordon,ovs,bar", "no system bar"),
    ("scripts/bench_peers.py --build /nonexistent", "/nonexistent/dataplane/cordon-dataplane"),
    ("scripts/bench_peers.py --build {build} --against x=/nonexistent", "--against x=/nonexistent"),
    ("scripts/bench_peers.py --build {build} --against x", "LABEL=BUILD"),
    ("scripts/bench_peers.py --build {build} --runs 0", "--runs: 0 is not at least 1"),
    ("scripts/bench_peers.py --build {build} --runs many", "'many' is not a number"),
    ("scripts/bench_peers.py --build {build} --seconds 0", "--seconds: 0 is not above 0"),
    ("scripts/bench_peers.py --build {build} --seconds nan", "--seconds: nan"),
    ("scripts/bench_peers.py --build {build} --warmup -1", "--warmup: -1"),
    ("scripts/bench.py --build /nonexistent", "/nonexistent/dataplane/cordon-dataplane"),
    ("scripts/bench.py --build {build} --new-flows 0", "--new-flows: 0"),
    ("scripts/bench.py --build {build} --flows-per-device 0", "--flows-per-device: 0"),
    ("scripts/bench.py --build {build} --control-runs -1", "--control-runs: -1"),
    ("scripts/bench.py --build {build} --settle -3", "--settle: -3"),
    ("scripts/bench.py --build {build} --cases b,zz", "no case zz"),
    ("scripts/bench.py --build {build} --against y=/nonexistent", "--against y=/nonexistent"),
    ("scripts/bench_lab.py --build {build} --runs 0", "--runs: 0"),
    ("scripts/bench_lab.py --build /nonexistent", "/nonexistent/dataplane/cordon-dataplane"),
    ("scripts/bench_lab.py --build {build} --warmup 1", "unrecognized arguments"),
    ("scripts/bench_lab_attacks.py --build {build} --runs 0", "--runs: 0"),
    ("scripts/bench_lab_attacks.py --build /nonexistent", "/nonexistent/dataplane/cordon-dataplane"),
    ("scripts/bench_flow.sh /nonexistent", "no meson build folder"),
    ("scripts/bench_flow.sh {build} 12x", "'12x' is no number"),
    ("scripts/bench_flow.sh {build} 12 3", "usage"),
    ("scripts/callgrind_dp.sh --seconds x", "whole seconds"),
    ("scripts/callgrind_dp.sh --mix", "--mix wants a value"),
    ("scripts/callgrind_dp.sh --mix zz", "--mix peers, bench or new"),
    ("scripts/bench_fleet.py --build /nonexistent", "/nonexistent/control/cordond"),
    ("scripts/bench_fleet.py --build {build} --dataplanes 0", "--dataplanes: 0 is not at least 1"),
    ("scripts/bench_fleet.py --build {build} --dataplanes 70000", "more than 65,535"),
    ("scripts/bench_fleet.py --build {build} --devices -1", "--devices: -1"),
    ("scripts/bench_fleet.py --build {build} --seconds 0", "--seconds: 0 is not above 0"),
    ("scripts/bench_fleet.py --build {build} --runs x", "'x' is not a number"),
    ("scripts/perf_dp.py --build /nonexistent", "/nonexistent/dataplane/cordon-dataplane"),
    ("scripts/perf_dp.py --build {build} --seconds 0", "--seconds: 0 is not above 0"),
    ("scripts/perf_dp.py --build {build} --warmup x", "'x' is not a number"),
    ("scripts/fuzz.sh 0", "SECONDS_PER_TARGET"),
    ("scripts/fuzz.sh 5 nosuch", "no target 'nosuch'"),
    ("scripts/soak.sh x", "MINUTES"),
    ("scripts/soak.sh 1 2", "one argument at most"),
    ("scripts/setup.sh --bogus", "unknown option --bogus"),
    ("scripts/test.sh --bogus", "takes no arguments"),
    ("scripts/demo.sh --bogus", "takes no arguments"),
]

# A refusal takes well under a second; a script that ignores its bad
# argument goes on to build, run or measure, and is stopped here.
LIMIT = 60


def run(src, cmd):
    if cmd[0].endswith(".py"):
        cmd = [sys.executable] + cmd
    p = subprocess.Popen(cmd, cwd=src, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True, text=True,
                         env=dict(os.environ, CORDON_BUILD=""))
    try:
        out, _ = p.communicate(timeout=LIMIT)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failed = 0
    for cmd, says in CASES:
        argv = [a.format(build=build) for a in cmd.split()]
        rc, out = run(src, argv)
        why = None
        if rc is None:
            why = "still running after %d s: the bad argument was not refused" % LIMIT
        elif rc != 2:
            why = "exit %d, not 2" % rc
        elif says not in out:
            why = "the error does not say %r" % says
        elif "Traceback" in out:
            why = "a traceback"
        print("%s %s%s" % ("ok  " if why is None else "FAIL", " ".join(argv),
                           "" if why is None else ": " + why))
        if why is not None:
            failed += 1
            print("  | " + "\n  | ".join(out.strip().splitlines()[-5:]))
    print("%d of %d refused as they should be" % (len(CASES) - failed, len(CASES)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
