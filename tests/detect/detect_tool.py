#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""cordon-detect as a program: its options, its errors, its output.

 - --help exits 0; unknown or bad options exit 2 with a message;
 - a missing, empty, truncated or corrupt capture, a bad indicator file or
   a bad envelope file: a one-line error naming the file, exit 1, no crash;
 - every output line is JSON; one summary at the end;
 - --envelope-out then --envelope-in: the learned envelopes load back, and
   a device that does the same afterwards raises nothing;
 - --learn-until 50% and --learn-until 30s are taken.

usage: detect_tool.py TOOL TESTDATA_DIR WORK_DIR
"""

import json
import os
import subprocess
import sys


def run(*args):
    return subprocess.run(list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False, timeout=300)


def main():
    tool, tdir, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    cap = os.path.join(tdir, "detect", "test12-icmp-portscan.pcap")
    cc = os.path.join(tdir, "detect", "test-cc-capture-2.pcap")
    fails = []

    def expect(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            fails.append(what)

    p = run(tool, "--help")
    expect(p.returncode == 0 and b"--learn-until" in p.stdout, "--help")
    for bad in (["--bogus"], ["-r"], [], ["-r", cap, "extra"],
                ["-r", cap, "--learn", "soon"], ["-r", cap, "--learn", "-5"],
                ["-r", cap, "--learn-until", "150%"],
                ["-r", cap, "--deny-lan", "10.0.0.0/40"],
                ["-r", cap, "--allow", "nowhere"],
                ["-r", cap, "--disable", "no_such_detector"],
                ["-r", cap, "--devices", "3"], ["-r", cap, "--flows", "x"]):
        p = run(tool, *bad)
        expect(p.returncode == 2 and p.stderr and b"Segmentation" not in
               p.stderr, "exit 2 for %s" % " ".join(bad))

    empty = os.path.join(work, "empty.pcap")
    open(empty, "wb").close()
    trunc = os.path.join(work, "truncated.pcap")
    with open(cap, "rb") as f:
        data = f.read()
    with open(trunc, "wb") as f:
        f.write(data[:len(data) - 7])
    junk = os.path.join(work, "junk.pcap")
    with open(junk, "wb") as f:
        f.write(b"this is not a capture file at all" * 10)
    for path in ("/nonexistent/x.pcap", empty, trunc, junk, work):
        p = run(tool, "-r", path)
        err = p.stderr.decode()
        expect(p.returncode == 1 and err.count("\n") == 1 and
               "cordon-detect:" in err, "exit 1, one line, for %s (%s)" %
               (os.path.basename(path), err.strip()[:80]))

    ioc = os.path.join(work, "bad-indicators.txt")
    with open(ioc, "w") as f:
        f.write("# ok\n198.51.100.1 feed ok\n10.0.0.1/8 feed host bits\n")
    p = run(tool, "-r", cap, "--indicators", ioc)
    expect(p.returncode == 1 and b"bad-indicators.txt:3:" in p.stderr and
           b"host bits" in p.stderr, "indicator file error names the line")

    env = os.path.join(work, "env.bin")
    p = run(tool, "-r", cc, "--learn", "70s", "--envelope-out", env)
    expect(p.returncode == 0 and os.path.getsize(env) > 0,
           "--envelope-out writes the envelopes")
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    expect(lines and lines[-1]["type"] == "summary" and
           all(x["type"] == "alert" for x in lines[:-1]),
           "JSON lines, alerts then one summary")
    p = run(tool, "-r", cc, "--envelope-in", env, "--disable", "beacon")
    alerts = [json.loads(x) for x in p.stdout.decode().splitlines()
              if json.loads(x)["type"] == "alert"]
    expect(p.returncode == 0 and not [a for a in alerts
                                      if a["detector"] == "envelope"],
           "replayed inside its own envelope: no envelope alert (%s)" %
           [a["detector"] for a in alerts])
    with open(env, "r+b") as f:
        f.seek(40)
        b = f.read(1)
        f.seek(40)
        f.write(bytes([b[0] ^ 0xff]))
    p = run(tool, "-r", cc, "--envelope-in", env)
    expect(p.returncode == 1 and b"envelope 1" in p.stderr,
           "a corrupt envelope file is refused (%s)" %
           p.stderr.decode().strip()[:80])

    for until in ("50%", "30s"):
        p = run(tool, "-r", cc, "--learn-until", until)
        expect(p.returncode == 0, "--learn-until %s" % until)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
