#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Signed policies and the last-known-good.

cordonctl keygen makes the key; cordond signs every version with it; a
dataplane given the public key (--pubkey) applies only what that key
signed, keeps the last one in force in its --state-dir and enforces it
from the start, before cordond is reachable. Refused, each with its
reason, while the policy in force stays: a tampered signed policy, one
signed by another key, and an unsigned one.
"""

import os
import shutil
import signal
import sqlite3

from cordonlab import gen_pcap, lab_main, telemetry, wait_until

POLICY = """version: 1
comment: "%s"
segments:
  - {name: all, default: %s}
  - {name: quarantine, default: deny}
default-segment: all
quarantine-segment: quarantine
"""


def test(lab):
    pcap = lab.path("t.pcap")
    gen_pcap(pcap, "--mix", "flows", "-n", "1000", "--flows", "100", "--devices", "10")
    files = {}
    for name, default in (("allow", "allow"), ("deny", "deny"), ("again", "allow"),
                          ("more", "deny")):
        files[name] = lab.path(name + ".yaml")
        with open(files[name], "w") as f:
            f.write(POLICY % (name, default))
    rc, out, err = lab.ctl("keygen")
    assert rc == 0, err
    pub = os.path.join(lab.statedir, "policy-signing.pub")
    rc, out, err = lab.ctl("keygen")
    assert rc == 1 and "exist" in err, "keygen overwrote a key: %s" % err

    cordond = lab.start_cordond()
    assert lab.ctl("policy", "apply", files["allow"])[0] == 0
    dpstate = lab.path("dpstate")
    prefix = "cordon-sig-%d" % os.getpid()
    args = (["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap, "net_null0,no-rx=1"],
            "--id", "sig", "--pubkey", pub, "--state-dir", dpstate, "--mbufs", "8192")

    def dp_policy():
        try:
            return telemetry(prefix, "/cordon/policy")["/cordon/policy"]
        except (OSError, TypeError, KeyError):
            return None

    dp = lab.start_dataplane(*args, prefix=prefix)
    wait_until(lambda: (dp_policy() or {}).get("version") == 1, 60, "v1 never in force")
    # Kept once in force: written just after telemetry shows the version.
    wait_until(lambda: os.path.exists(os.path.join(dpstate, "last-known-good.policy")),
               60, "no last-known-good file")

    # The dataplane restarts while cordond is away: v1 from the start.
    cordond.send_signal(signal.SIGTERM)
    cordond.wait()
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    dp = lab.start_dataplane(*args, prefix=prefix, log_name="dataplane2.log")
    wait_until(lambda: dp_policy() is not None, 60, "dataplane did not come up")
    assert dp_policy()["version"] == 1, dp_policy()
    print("restarted without cordond: enforcing last-known-good policy 1")

    def refused(version, words):
        st = lab.ctl_json("status")["dataplanes"]
        return (st and st[0].get("rejected_version") == version and
                words in st[0].get("rejected_reason", ""))

    # 2: tampered in cordond's store. The dataplane is away while version 2
    # is made: had it been there, it could take the sound version 2 just
    # before the tamper (as it did, applied just after a check of its
    # version said 1), and there would be nothing to refuse.
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    cordond = lab.start_cordond()
    assert lab.ctl("policy", "apply", files["deny"])[0] == 0
    db = sqlite3.connect(os.path.join(lab.statedir, "cordond.db"))
    blob = bytearray(db.execute("SELECT signed FROM policy WHERE version = 2").fetchone()[0])
    blob[-10] ^= 0x01                         # a bit of the signature
    cordond.send_signal(signal.SIGKILL)
    cordond.wait()
    db.execute("UPDATE policy SET signed = ? WHERE version = 2", (bytes(blob),))
    db.commit()
    db.close()
    dp = lab.start_dataplane(*args, prefix=prefix, log_name="dataplane3.log")
    wait_until(lambda: (dp_policy() or {}).get("version") == 1, 60,
               "the last-known-good policy 1 not in force")
    cordond = lab.start_cordond()
    wait_until(lambda: refused(2, "signature"), 60, "tampered policy not refused")
    print("tampered policy 2 refused: %s" %
          lab.ctl_json("status")["dataplanes"][0]["rejected_reason"])
    assert dp_policy()["version"] == 1
    held = dp_policy()["version"]

    # 3: signed by another key.
    cordond.send_signal(signal.SIGTERM)
    cordond.wait()
    assert lab.ctl("keygen", "--force")[0] == 0
    shutil.copy(pub, lab.path("not-this-one.pub"))
    cordond = lab.start_cordond()
    rc, out, err = lab.ctl("--json", "policy", "apply", files["again"])
    assert rc == 0, err
    wait_until(lambda: refused(3, "key"), 60, "other key not refused")
    print("policy 3 (another key) refused: %s" %
          lab.ctl_json("status")["dataplanes"][0]["rejected_reason"])
    assert dp_policy()["version"] == held

    # 4: unsigned.
    cordond.send_signal(signal.SIGTERM)
    cordond.wait()
    os.unlink(os.path.join(lab.statedir, "policy-signing.key"))
    cordond = lab.start_cordond()
    assert lab.ctl("policy", "apply", files["more"])[0] == 0
    wait_until(lambda: refused(4, "unsigned"), 60, "unsigned policy not refused")
    print("unsigned policy 4 refused")
    assert dp_policy()["version"] == held
    kinds = [e["kind"] for e in lab.events("--all")]
    assert "policy_rejected" in kinds, kinds


if __name__ == "__main__":
    lab_main("sig", test)
