#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""SIGTERM at every point of the dataplane's start-up stops it cleanly.

integration-truth-lkg failed now and then on a busy machine: it sends
SIGTERM once /cordon/policy answers, which the dataplane registered before
it installed its handler, and a SIGTERM in between killed it with the
default action: no final counters, no message, status -15.

Here the timing is not left to the machine: gdb stops the dataplane (cordond
down, as after a restart on its last-known-good) at four steps of its
start-up, the test sends it a real, process-wide SIGTERM there, and lets it
go on. Each time it must exit 0 with its final counters, say that the
signal came during start-up, and not dial cordond. The binary before the
fix died of it at each of the four (status -15, nothing printed).
"""

import os
import re
import shutil
import subprocess
import time

from cordonlab import FLOWS_ARGS, gen_pcap, lab_main

# Where the signal arrives, in order of start-up, each before the agent
# would dial cordond (so the dataplane does not dial at all). Not after
# that: with cordond down, nng 1.5.2 can panic (abort) closing sockets
# whose dialers are redialling, a defect of its own that would make this
# test fail now and then whatever the signal handling does.
STAGES = (
    "rte_eal_init",         # before the EAL starts its threads
    "port_init_all",        # the EAL up, the ports not yet
    "telemetry_init",       # /cordon/... about to answer
    "rte_pdump_init",       # /cordon/policy answers: the flake's window
)

# gdb's side: stop at the stage, send SIGTERM to the whole process (kill(),
# as a supervisor does), forget the breakpoint, let it run to its end.
GDB_SCRIPT = r'''
import gdb, os, signal
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set breakpoint pending on")
gdb.execute("handle SIGTERM nostop noprint pass")
gdb.execute("handle SIGPIPE nostop noprint pass")
gdb.execute("break " + os.environ["CORDON_STAGE"])
gdb.execute("run")
pid = gdb.selected_inferior().pid
if pid == 0:
    print("STAGE-NOT-REACHED")
else:
    print("STAGE-REACHED %d" % pid)
    os.kill(pid, signal.SIGTERM)
    gdb.execute("delete")
    gdb.execute("continue")
code = gdb.parse_and_eval("$_exitcode")
sig = gdb.parse_and_eval("$_exitsignal")
print("INFERIOR-EXIT code=%s signal=%s" % (code, sig))
'''


def test(lab):
    gdb = shutil.which("gdb")
    assert gdb, "gdb is needed (scripts/setup.sh installs it)"
    pcap = lab.path("t.pcap")
    gen_pcap(pcap, "--mix", "flows", "-n", "200", "--flows", "20", "--devices", "4")
    script = lab.path("stage.py")
    with open(script, "w") as f:
        f.write(GDB_SCRIPT)
    # LeakSanitizer cannot run under ptrace (ASan and UBSan still do; the
    # other tests' stops check for leaks); a build without ASan ignores it.
    env = dict(lab.env, ASAN_OPTIONS=(os.environ.get("ASAN_OPTIONS", "")
                                      + ":detect_leaks=0").lstrip(":"))

    for stage in STAGES:
        prefix = "cordon-sigstart-%d" % os.getpid()
        lab.dpdk_dirs.append("/var/run/dpdk/" + prefix)
        state = lab.path("dpstate-" + stage)
        cmd = [gdb, "-q", "-nx", "-batch", "-x", script, "--args",
               lab.bin("dataplane/cordon-dataplane"), "-l", "0,1", "--no-huge", "-m", "512",
               "--no-pci", "--file-prefix", prefix, "--log-level", "user1,info",
               "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
               "--vdev", "net_null0,no-rx=1",
               "--", "--id", "sigstart", "--state-dir", state, "--mbufs", "8192",
               *FLOWS_ARGS, "--no-detect"]
        log = lab.path("dp-%s.log" % stage)
        t0 = time.monotonic()
        with open(log, "wb") as f:
            r = subprocess.run(cmd, env=dict(env, CORDON_STAGE=stage), stdout=f,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               timeout=240)
        with open(log, errors="replace") as f:
            out = f.read()
        assert r.returncode == 0, "gdb exited %d at %s:\n%s" % (r.returncode, stage, out[-3000:])
        assert "STAGE-REACHED" in out, "start-up never reached %s:\n%s" % (stage, out[-3000:])
        m = re.search(r"INFERIOR-EXIT code=(\S+) signal=(\S+)", out)
        assert m, "no exit status for %s:\n%s" % (stage, out[-3000:])
        code, sig = m.group(1), m.group(2)
        # A clean exit: status 0, not killed; the final counters printed.
        assert sig == "void" and code == "0", (
            "SIGTERM at %s: the dataplane exited with code %s, signal %s:\n%s"
            % (stage, code, sig, out[-3000:]))
        assert "cordon-dataplane: total rx" in out, (
            "SIGTERM at %s: no final counters:\n%s" % (stage, out[-3000:]))
        assert "SIGTERM arrived during start-up" in out, (
            "SIGTERM at %s: not said:\n%s" % (stage, out[-3000:]))
        assert "not dialling" in out, (
            "SIGTERM at %s: cordond dialled all the same:\n%s" % (stage, out[-3000:]))
        print("SIGTERM at %-16s exit 0, final counters, held until started and said; "
              "cordond not dialled (%.1f s under gdb)" % (stage, time.monotonic() - t0))


if __name__ == "__main__":
    lab_main("signal-startup", test)
