#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The operator's control plane, end to end: YAML policy through cordond's
store to a dataplane under traffic.

- `cordonctl policy apply` of a 10,000-device policy: a newly denied flow
  is dropped; the time until its first drop is printed.
- `cordonctl quarantine MAC`: the device's existing flows stop (the time is
  printed); `release` lets them through again.
- Times are figures, not bars: `scripts/bench.sh` runs this with --repeat
  and reports their medians.
- history, diff, rollback and events; a bad policy is refused with
  file:line:column and changes nothing; everything survives a restart of
  cordond.
"""

import os
import re
import signal
import time

from cordonlab import figure, gen_pcap, lab_main, telemetry, timed_until, wait_until

# How often the drop counters are read while a change is timed. Each read is
# a telemetry connection (a thread in the dataplane) on the same two cores
# as the policy build being timed: every 5 ms, that alone added ~60 ms. A
# 20 ms poll overstates a time by at most 20 ms.
POLL_S = 0.02
# The bound on every wait: a change takes 0.1-1 s on the optimised build on
# a quiet machine, several times that under ASan with the other core busy.
BOUND_S = 30

N_DEVICES = 10000
HEAD = """version: 1
comment: "%s"
local-networks: [10.0.0.0/8]
segments:
  - name: default
    default: deny
  - name: devices
    default: deny
  - name: quarantine
    default: deny
    l2: deny
default-segment: default
quarantine-segment: quarantine
"""


def mac(i):
    return "02:00:00:%02x:%02x:%02x" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)


def policy_yaml(comment, skip=()):
    """Every device may reach its own service (pcapgen's policy scheme)."""
    out = [HEAD % comment, "devices:\n"]
    for i in range(N_DEVICES):
        out.append("  - {mac: %s, segment: devices}\n" % mac(i))
    out.append("rules:\n")
    for i in range(N_DEVICES):
        if i in skip:
            continue
        out.append("  - {from: 'device:%s', to: 10.200.%d.%d, proto: tcp, ports: %d, "
                   "action: allow}\n" % (mac(i), (i >> 8) & 255, i & 255, 1000 + i % 1000))
    return "".join(out)


def denied(prefix, i):
    d = telemetry(prefix, "/cordon/device," + mac(i))["/cordon/device"] or {}
    return d.get("denied_packets", 0), d.get("allowed_packets", 0)


def test(lab):
    pcap = lab.path("traffic.pcap")
    gen_pcap(pcap, "--mix", "policy", "--devices", "1000", "--all-allowed", "-n", "4000")
    pol_a, pol_b, bad = lab.path("a.yaml"), lab.path("b.yaml"), lab.path("bad.yaml")
    with open(pol_a, "w") as f:
        f.write(policy_yaml("all allowed"))
    with open(pol_b, "w") as f:
        f.write(policy_yaml("device 7 cut off", skip={7}))
    with open(bad, "w") as f:
        f.write(HEAD % "bad" + "rules:\n  - {from: any, to: internet, action: permit}\n")

    cordond = lab.start_cordond()
    rc, out, err = lab.ctl("policy", "apply", pol_a)
    assert rc == 0, err
    prefix = "cordon-ctl-%d" % os.getpid()
    lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap, "net_null0,no-rx=1"],
                        "--id", "ctl", "--mbufs", "16384", prefix=prefix)

    def in_force(v):
        st = lab.ctl_json("status")
        return bool(st["dataplanes"]) and st["dataplanes"][0]["policy_version"] == v

    wait_until(lambda: in_force(1), BOUND_S, "policy 1 never in force")
    wait_until(lambda: denied(prefix, 7)[1] > 1000, BOUND_S, "no traffic from device 7")
    assert denied(prefix, 7)[0] == 0

    # A 10,000-device policy that cuts device 7 off: device 7's flow
    # must be dropped. The time to its first drop is printed (a figure
    # for scripts/bench.sh, which repeats this), never asserted.
    times = []
    for k in range(lab.args.repeat):
        if k:
            a0 = denied(prefix, 7)[1]
            rc, out, err = lab.ctl("policy", "apply", pol_a)
            assert rc == 0, err
            wait_until(lambda: denied(prefix, 7)[1] > a0 + 100, BOUND_S, "not restored")
        d0 = denied(prefix, 7)[0]
        t0 = time.monotonic()
        rc, out, err = lab.ctl("policy", "apply", pol_b)
        assert rc == 0, err
        times.append(timed_until(lambda: denied(prefix, 7)[0] > d0, BOUND_S,
                                 "device 7 was never stopped", POLL_S, since=t0))
    figure("policy_apply_10k", times, "10,000-device policy applied: device 7's flow "
           "dropped after `cordonctl policy apply`")

    # Quarantine device 9 mid-flow: its existing flow is cut off; then
    # release it: the flow passes again.
    qtimes = []
    for k in range(lab.args.repeat):
        d0 = denied(prefix, 9)[0]
        t0 = time.monotonic()
        rc, out, err = lab.ctl("quarantine", mac(9), "--reason", "test")
        assert rc == 0, err
        qtimes.append(timed_until(lambda: denied(prefix, 9)[0] > d0, BOUND_S,
                                  "quarantine never took", POLL_S, since=t0))
        if k == 0:
            rc, _, err = lab.ctl("quarantine", mac(9))
            assert rc == 1 and "already quarantined" in err, err
        rc, out, err = lab.ctl("release", mac(9))
        assert rc == 0, err
        a0 = denied(prefix, 9)[1]
        wait_until(lambda: denied(prefix, 9)[1] > a0, BOUND_S, "release never took", POLL_S)
    figure("quarantine", qtimes, "quarantine of %s took effect" % mac(9))

    # A bad policy: refused, named, nothing changed.
    rc, out, err = lab.ctl("policy", "apply", bad)
    assert rc == 1 and "bad.yaml:" in err and "permit" in err, (rc, err)
    page = lab.ctl_json("policy", "history", "--all")
    hist = page["versions"]
    versions = [v["version"] for v in hist]
    print("history: %s" % versions)
    assert page["total"] == len(versions), (page["total"], len(versions))
    # By default a page: the latest 20 (or --last N), and how many in all.
    page = lab.ctl_json("policy", "history", "--last", "3")
    assert [v["version"] for v in page["versions"]] == versions[:3], page
    assert page["total"] == len(versions), page["total"]
    assert len(lab.ctl_json("policy", "history")["versions"]) == min(20, len(versions))
    older = lab.ctl_json("policy", "history", "--before", str(versions[1]), "--last", "2")
    assert [v["version"] for v in older["versions"]] == versions[2:4], older
    # 1 a, then b and a alternating (2R - 1), then R quarantines and
    # releases (2R): 4R in all.
    last = 4 * lab.args.repeat
    assert versions == list(range(last, 0, -1)), versions
    rc, out, err = lab.ctl("policy", "diff", "1", "2")
    assert rc == 0 and "-  - {from: 'device:02:00:00:00:00:07'" in out, out[:500]
    # `events --follow` (one JSON object a line) prints the newest, then
    # what comes: the rollback's version. Its polls wait as lab.ctl()'s
    # do: under ASan cordond can take longer than cordonctl's default 5 s
    # to compile the rollback's 10,000 devices, and a poll that times out
    # ends the follow (seen in the Debian root's sanitizer pass).
    follow = lab.follow_events(60000)
    followed = follow.events
    try:
        wait_until(lambda: followed, BOUND_S, "events --follow printed nothing")
        rc, out, err = lab.ctl("policy", "rollback", "1")
        assert rc == 0, err
        hist = lab.ctl_json("policy", "history")["versions"]
        assert hist[0]["version"] == last + 1 and hist[0]["rollback_of"] == 1, hist[0]
        wait_until(lambda: in_force(last + 1), BOUND_S, "rollback never in force")
        wait_until(lambda: [e for e in list(followed) if e["kind"] == "policy_added" and
                            e["details"].get("version") == str(last + 1)],
                   BOUND_S, "events --follow never printed the rollback's version")
    finally:
        follow.stop()

    # By default a page of the newest 20 (--last N, --before ID), oldest
    # first, as `tail`; every event (--all), oldest first, as many as
    # "total" says; --since ID every one after ID. The pages first: --all
    # then holds them (events are only ever appended).
    pages = [(n, lab.ctl_json("events", *args)) for args, n in (((), 20), (("--last", "3"), 3))]
    rc, out, err = lab.ctl("events", "--last", "2")
    page = lab.ctl_json("events", "--all")
    evs = page["events"]
    ids = [e["id"] for e in evs]
    kinds = [e["kind"] for e in evs]
    print("events: %d, total %d: %s" % (len(evs), page["total"], sorted(set(kinds))))
    for k in ("policy_added", "quarantine", "release", "dataplane_connect",
              "policy_applied"):
        assert k in kinds, (k, kinds)
    assert page["total"] == len(ids) and ids == sorted(set(ids)), (page["total"], ids)
    fids = [e["id"] for e in followed]
    assert fids == sorted(set(fids)) and set(fids) <= set(ids), fids
    for n, p in pages:
        got = [e["id"] for e in p["events"]]
        # The newest when asked: as many as there were up to its last.
        upto = ids.index(got[-1]) + 1
        assert upto == p["total"] and got == ids[max(0, upto - n):upto], (n, got, p["total"])
    assert rc == 0 and len(out.splitlines()) == 3, (rc, out, err)
    assert re.search(r"^\(2 of \d+ events; --last N", out, re.M), out
    older = lab.ctl_json("events", "--before", str(ids[4]), "--last", "2")["events"]
    assert [e["id"] for e in older] == ids[2:4], older
    after = lab.events("--since", str(ids[-4]))
    assert [e["id"] for e in after][:3] == ids[-3:], after

    # A follow outlives a cordond that stops answering (stopped, as a busy
    # one looks from outside) and one that restarts: it says so on stderr
    # and goes on after the last event it printed, skipping nothing. Its
    # --timeout is short so that its polls time out while cordond is
    # stopped; the follow must not end on them.
    follow = lab.follow_events(1000)
    followed, said = follow.events, follow.said

    def saying(what, n):
        return lambda: len([l for l in list(said) if what in l]) >= n
    try:
        wait_until(lambda: followed, BOUND_S, "the second follow printed nothing")
        cordond.send_signal(signal.SIGSTOP)
        try:
            wait_until(saying("; still following", 1), BOUND_S,
                       "the follow never said that cordond stopped answering")
            assert follow.proc.poll() is None, (follow.proc.returncode, said)
            # --timeout holds for the dial too (nng 1.5's own handshake
            # wait is 10 s): a silent cordond is said to be one.
            rc, out, err = lab.ctl("--timeout", "1000", "status")
            assert rc == 3 and "did not answer within 1000 ms" in err, (rc, err)
        finally:
            cordond.send_signal(signal.SIGCONT)
        wait_until(saying("answers again", 1), BOUND_S,
                   "the follow never said that cordond answered again")
        before = max(e["id"] for e in lab.ctl_json("events", "--last", "1")["events"])

        # cordond restarts: the store keeps everything, dataplanes get the
        # rollback's version.
        cordond.send_signal(signal.SIGKILL)
        cordond.wait()
        wait_until(saying("; still following", 2), BOUND_S,
                   "the follow never said that cordond went away")
        lab.start_cordond()
        assert lab.ctl_json("status")["policy_version"] == last + 1
        assert [v["version"] for v in
                lab.ctl_json("policy", "history")["versions"]][0] == last + 1
        wait_until(lambda: in_force(last + 1), BOUND_S, "dataplane lost the policy")
        # The dataplane's reconnection is an event of the new cordond's.
        wait_until(lambda: [e for e in list(followed) if e["id"] > before and
                            e["kind"] == "dataplane_connect"], BOUND_S,
                   "the follow never printed the dataplane's reconnection")
        assert follow.proc.poll() is None, (follow.proc.returncode, said)
    finally:
        follow.stop()
    print("the follow said: %s" % said)
    assert len([l for l in said if "answers again" in l]) == 2, said
    assert not [l for l in said if "still following" not in l and "answers again" not in l], said
    fids = [e["id"] for e in followed]
    every = [e["id"] for e in lab.ctl_json("events", "--since", str(fids[0] - 1))["events"]]
    assert fids == every[:len(fids)], (fids, every)


if __name__ == "__main__":
    lab_main("ctl", test, lambda ap: ap.add_argument(
        "--repeat", type=int, default=1,
        help="time the apply and the quarantine N times (scripts/bench.py)"))
