#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Last-known-good that degrades gracefully (issue 11, point 6).

A dataplane with --pubkey and --state-dir keeps the last two signed
policies it had in force. Restarted without cordond:

 - with one flipped byte in the newer file, it starts, enforces the older
   one and says so;
 - with both corrupt, it starts fail-closed (drops everything, counted),
   says how to recover, and once cordond is reachable it takes the policy
   in force from it (and keeps it as its last-known-good again);
 - with --fail-open instead, it forwards and says so.
"""

import os
import signal

from cordonlab import gen_pcap, lab_main, telemetry, wait_until

def policy(name, default):
    """A YAML policy of two segments: everything in one, allowed or not."""
    return ("version: 1\ncomment: \"%s\"\nsegments: [{name: all, default: %s}, "
            "{name: quarantine, default: deny}]\ndefault-segment: all\n"
            "quarantine-segment: quarantine\n") % (name, default)


def flip(path, at=-20):
    with open(path, "r+b") as f:
        b = bytearray(f.read())
        b[at] ^= 0x01
        f.seek(0)
        f.write(b)


def test(lab):
    pcap = lab.path("t.pcap")
    gen_pcap(pcap, "--mix", "flows", "-n", "1000", "--flows", "100", "--devices", "10")
    files = {}
    for name, default in (("allow", "allow"), ("deny", "deny")):
        files[name] = lab.path(name + ".yaml")
        with open(files[name], "w") as f:
            f.write(policy(name, default))
    rc, out, err = lab.ctl("keygen")
    assert rc == 0, err
    pub = os.path.join(lab.statedir, "policy-signing.pub")
    cordond = lab.start_cordond()
    dpstate = lab.path("dpstate")
    lkg = os.path.join(dpstate, "last-known-good.policy")
    prefix = "cordon-truthlkg-%d" % os.getpid()
    args = (["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap, "net_null0,no-rx=1"],
            "--id", "lkg", "--pubkey", pub, "--state-dir", dpstate, "--mbufs", "8192")

    def version():
        try:
            return telemetry(prefix, "/cordon/policy")["/cordon/policy"]["version"]
        except (OSError, TypeError, KeyError, ValueError):
            return None

    def restart(dp, log, *extra):
        dp.send_signal(signal.SIGTERM)
        rc = dp.wait(30)
        assert rc == 0, "the dataplane exited %d on SIGTERM" % rc
        lab.procs.remove(dp)
        a = (args[0], *args[1:], *extra)
        dp = lab.start_dataplane(*a, prefix=prefix, log_name=log)
        wait_until(lambda: version() is not None, 60, "dataplane did not come up")
        return dp

    dp = lab.start_dataplane(*args, prefix=prefix)
    wait_until(lambda: [d for d in lab.ctl_json("status").get("dataplanes", [])
                        if d.get("connected")], 60, "the dataplane never registered")
    for v, name in ((1, "allow"), (2, "deny")):
        rc, out, err = lab.ctl("policy", "apply", files[name], "--wait", "60")
        assert rc == 0 and "in force on 1 of 1" in out, (out, err)
        wait_until(lambda: version() == v, 60, "v%d never in force" % v)
    wait_until(lambda: os.path.exists(lkg + ".prev"), 30, "no older last-known-good kept")
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(20) == 0
    lab.procs.remove(cordond)

    # One flipped byte in the newer: the older, said.
    flip(lkg)
    dp = restart(dp, "dp-older.log")
    assert version() == 1, version()
    with open(lab.path("dp-older.log")) as f:
        log = f.read()
    assert "falling back to the older one" in log, log[-2000:]
    print("newer corrupt: enforcing the older (1), and said so")

    # Both corrupt: fail-closed, said how to recover; then cordond's.
    flip(lkg + ".prev")
    dp = restart(dp, "dp-closed.log")
    assert version() == 0, version()
    with open(lab.path("dp-closed.log")) as f:
        log = f.read()
    assert "FAIL-CLOSED" in log and "To recover" in log, log[-2000:]
    print([l for l in log.splitlines() if "FAIL-CLOSED" in l][0])
    # Fail-closed drops (counted as policy drops), forwards nothing.
    st = telemetry(prefix, "/cordon/stats")["/cordon/stats"]
    print("fail-closed counters: %s" % {k: v for k, v in st.items() if "drop" in k and v})
    dp_fo = None
    cordond = lab.start_cordond()
    wait_until(lambda: version() == 2, 60, "cordond's policy never in force after fail-closed")
    print("cordond reachable: policy 2 in force")
    wait_until(lambda: os.path.exists(lkg), 30, "last-known-good not written again")

    # --fail-open: forwards, and says so.
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(20) == 0
    lab.procs.remove(cordond)
    flip(lkg, -30)
    flip(lkg + ".prev", -30)
    dp_fo = restart(dp, "dp-open.log", "--fail-open")
    assert version() == 0
    with open(lab.path("dp-open.log")) as f:
        assert "FAIL-OPEN" in f.read()
    dp_fo.send_signal(signal.SIGTERM)
    assert dp_fo.wait(30) == 0


if __name__ == "__main__":
    lab_main("truth-lkg", test)
