#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""A store restored from a backup, under a dataplane that ran on.

The backup is taken at version 1. A device is quarantined after it:
version 2, signed, in force on the dataplane (--pubkey). cordond's store
is then restored from the backup (`cordond --restore`): it has version 1
and no quarantine, while the dataplane enforces version 2. cordond must

 - make what its store holds the policy in force: a version above the
   dataplane's 2, which the dataplane takes, and say so (its log and a
   policy_unknown event), so that what `cordonctl` shows is what runs;
 - number every later version above that: a quarantine after the restore
   must be in force on the dataplane. Before, it was made as version 2
   again: cordond never offers a dataplane a version not above the one it
   has, and a signed dataplane refuses one as a replay. The quarantine
   was stored and reported, and never enforced;
 - hand out no event id the replaced store handed out after the backup,
   so that `cordonctl events --follow`, running across the restore, goes
   on after the last event it printed and misses none of the new store's;
 - restored where no store is replaced, say that the ids handed out after
   the backup may repeat, and go above --ids-above N.
"""

import os
import signal
import subprocess

from cordonlab import gen_pcap, lab_main, telemetry, wait_until

POLICY = """version: 1
comment: restore
segments:
  - {name: all, default: allow}
  - {name: quarantine, default: deny}
default-segment: all
quarantine-segment: quarantine
"""
DEV = "02:00:00:00:00:03"


def test(lab):
    pcap = lab.path("t.pcap")
    gen_pcap(pcap, "--mix", "flows", "-n", "1000", "--flows", "100", "--devices", "10")
    yaml = lab.path("p.yaml")
    with open(yaml, "w") as f:
        f.write(POLICY)
    rc, out, err = lab.ctl("keygen")
    assert rc == 0, err
    pub = os.path.join(lab.statedir, "policy-signing.pub")
    cordond = lab.start_cordond()
    assert lab.ctl("policy", "apply", yaml)[0] == 0
    prefix = "cordon-restore-%d" % os.getpid()

    def dp_version():
        try:
            return telemetry(prefix, "/cordon/policy")["/cordon/policy"]["version"]
        except (OSError, TypeError, KeyError):
            return None

    lab.start_dataplane(["net_pcap0,rx_pcap=%s" % pcap, "net_null0,no-rx=1"],
                        "--id", "rs", "--pubkey", pub, "--state-dir", lab.path("dpstate"),
                        "--mbufs", "8192", prefix=prefix)
    wait_until(lambda: dp_version() == 1, 60, "version 1 never in force")
    backup = lab.path("b1.db")
    rc, out, err = lab.ctl("backup", backup)
    assert rc == 0, err
    at_backup = max(e["id"] for e in lab.events("--last", "5"))

    rc, out, err = lab.ctl("quarantine", DEV)
    assert rc == 0, err
    wait_until(lambda: dp_version() == 2, 60, "the quarantine (version 2) never in force")
    spent = max(e["id"] for e in lab.events("--last", "5"))
    # A follow across the restore: it rides out the outage (cli_log.c).
    follow = lab.follow_events(1000)
    followed = follow.events
    wait_until(lambda: followed, 60, "the follow printed nothing")

    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(20) == 0
    lab.procs.remove(cordond)
    r = subprocess.run([lab.bin("control/cordond"), "--restore", backup], env=lab.env,
                       capture_output=True, text=True, timeout=60)
    print("restore: exit %d: %s" % (r.returncode, (r.stdout + r.stderr).strip()))
    assert r.returncode == 0, r.stderr
    assert "new ids go on above the replaced store's" in r.stdout + r.stderr
    cordond = lab.start_cordond()

    # What the store holds is made the policy in force, above version 2.
    wait_until(lambda: (dp_version() or 0) > 2, 60,
               "the dataplane kept version 2, which the store does not have")
    made = dp_version()
    st = lab.ctl_json("status")
    assert st["policy_version"] == made, (st["policy_version"], made)
    assert [d["policy_version"] for d in st["dataplanes"]] == [made], st["dataplanes"]
    pol = lab.ctl_json("policy", "show")
    assert not pol.get("quarantined"), pol.get("quarantined")
    with open(lab.path("cordond.log")) as f:
        said = [l.strip() for l in f if "which this store does not have" in l]
    print("cordond: %s" % said)
    assert said and "made version %d" % made in said[0], said
    unknown = [e for e in lab.events("--all") if e["kind"] == "policy_unknown"]
    assert len(unknown) == 1 and unknown[0]["id"] > spent, unknown

    # Ids: none the replaced store handed out after the backup is handed
    # out again.
    ids = [e["id"] for e in lab.events("--all")]
    again = [i for i in ids if at_backup < i <= spent]
    new = [i for i in ids if i > spent]
    print("events: %d at the backup, %d the replaced store's last; since the restore: %s" % (
        at_backup, spent, new[:5]))
    assert not again, "ids handed out twice: %s" % again
    assert new, "no event after the restore"
    # The follow went on after its last id, and printed the new store's.
    try:
        wait_until(lambda: [e for e in list(followed) if e["kind"] == "policy_unknown"], 60,
                   "the follow across the restore never printed the policy_unknown event")
        assert follow.proc.poll() is None, (follow.proc.returncode, follow.said)
    finally:
        follow.stop()
    got = [e["id"] for e in followed if e["id"] > spent]
    every = [e["id"] for e in lab.events("--since", str(spent))]
    print("the follow printed after the restore: %s" % got[:8])
    assert got and got == every[:len(got)], (got, every)

    # A quarantine now: a version above, and in force.
    rc, out, err = lab.ctl("quarantine", DEV)
    assert rc == 0, err
    wait_until(lambda: (dp_version() or 0) > made, 60,
               "the quarantine after the restore never reached the dataplane")
    st = lab.ctl_json("status")
    assert [d["policy_version"] for d in st["dataplanes"]] == [st["policy_version"]]
    assert not any(d.get("rejected_version") for d in st["dataplanes"]), st["dataplanes"]
    print("after the restore: version %d made from the store, the quarantine %d in force" % (
        made, dp_version()))

    # The same backup on a new machine: no store replaced, so cordond
    # cannot know the ids handed out after the backup. It says so, and
    # --ids-above (the last id seen) puts them above.
    for extra, said in (([], "no store was replaced"),
                        (["--ids-above", str(spent)], "new ids go on above --ids-above (event %d" % spent)):
        r = subprocess.run([lab.bin("control/cordond"), "--state-dir",
                            lab.path("new-%d" % len(extra)), "--restore", backup] + extra,
                           env=lab.env, capture_output=True, text=True, timeout=60)
        print("restore on a new machine: exit %d: %s" % (r.returncode, (r.stdout + r.stderr).strip()))
        assert r.returncode == 0 and said in r.stdout, (r.returncode, r.stdout, r.stderr)


if __name__ == "__main__":
    lab_main("restore", test)
