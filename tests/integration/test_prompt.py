#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Consent prompts (ask mode) on real hosts through a real dataplane.

A camera in a segment with `default: ask` and a server in the LAN, in
network namespaces bridged by cordon-dataplane under cordond. The camera's
UDP flows to the server are held denied and each raises a prompt:

- allow once: that flow (a client resending every 50 ms from one source
  port) gets its echo; the time from `cordonctl allow` to the echo is
  printed (the bar is 1 s; the test only bounds it generously); no policy
  version is made and no rule appears; a second flow is still held;
- allow always: a new policy version whose rule's comment names the
  prompt and who answered; the held flow passes;
- a prompt nobody answers expires (cordond --prompt-timeout): it is gone,
  an event says so, and no rule or version was made;
- deny: the flow stays denied and the same question is not asked again;
- identical flows merge into one prompt;
- a 5 s capture holds nothing: cordonctl status answers, a policy version
  reaches the dataplane and a second capture is refused, while it runs;
- a name: the camera resolves api.cloud.example (the server's DNS, which
  the policy lets it use), then its flow to that address is asked about
  by name ("camera-2 wants to reach api.cloud.example:7003/udp"), in
  cordonctl requests and the event; allow always makes a dns_name rule;
- allow for a time (cordonctl allow ID --for 4s): a version with the rule,
  the flow passes; when the time is over cordond makes a version without
  it, applied by "cordond: consent N expired", with an event.

Exit 77 (skip) without root or network namespaces.
"""

import json
import os
import subprocess
import sys
import time

import netlab
from cordonlab import figure, lab_main, telemetry, wait_until

CAM, CAM_MAC = "10.5.0.1", "02:00:00:00:05:01"
SRV, SRV_MAC = "10.5.0.2", "02:00:00:00:05:02"
TIMEOUT_S = 8		# --prompt-timeout

POLICY = """version: 1
comment: "ask lab"
local-networks:
  - 10.5.0.0/24
segments:
  - name: lan
    default: allow
  - name: iot
    default: ask
  - name: quarantine
    default: deny
default-segment: lan
quarantine-segment: quarantine
rules:
  - from: segment:iot
    to: 10.5.0.2
    proto: udp
    ports: 53
    action: allow
    comment: "DNS from the server"
devices:
  - mac: %s
    segment: iot
    name: camera-2
""" % CAM_MAC


def requests(lab):
    return lab.ctl_json("requests").get("prompts", [])


def prompt_for(lab, port, sport=None):
    for p in requests(lab):
        f = p.get("flow", {})
        if f.get("dst_port") == port and (sport is None or f.get("src_port") == sport):
            return p
    return None


def policy(lab):
    return lab.ctl_json("policy", "show")


def udp_flow(cam, port, sport, timeout):
    """The resending client, once it has its socket."""
    p = cam.popen(sys.executable, netlab.LABHOST, "udp-retry", SRV, str(port), str(sport),
                  "--timeout", str(timeout), stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready", "udp-retry did not start"
    return p


def answered(p, timeout):
    """CLOCK_MONOTONIC time of the echo, or None if none came. Read
    through p.stdout, not communicate(): on a flow that passes at once,
    "answered" may have come in one read with "ready", and then sits in
    p.stdout's buffer, which communicate(timeout=) does not look at (it
    reads the pipe itself). The client writes two short lines at most."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None
    for line in p.stdout.read().splitlines():
        if line.startswith("answered "):
            return float(line.split()[1])
    return None


SEND = """
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[3])):
    s.sendto(b"cap %d" % i, (sys.argv[1], int(sys.argv[2])))
    time.sleep(0.005)
"""


def capture(lab, cam):
    """cordonctl capture --device MAC --count 100 -w FILE: tshark reads 100
    frames, each from or to the camera; with a BPF filter, only what it
    lets through; a bad filter is a clear error."""
    out = lab.path("cam.pcapng")
    for tool in ("tshark",):
        assert subprocess.run(["which", tool], capture_output=True).returncode == 0, \
            "%s is needed (console/PACKAGES)" % tool
    for extra, port in (([], None), (["--filter", "udp dst port 7001"], "7001")):
        cap = subprocess.Popen([lab.bin("control/cordonctl"), "--json", "capture", "--device",
                                CAM_MAC, "--count", "100", *extra, "-w", out], env=lab.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)		# the query reaches the dataplane with its poll
        snd = [cam.popen(sys.executable, "-c", SEND, SRV, p, "300") for p in ("7", "7001")]
        o, e = cap.communicate(timeout=90)
        for s in snd:
            s.wait(60)
        assert cap.returncode == 0, "capture: exit %d: %s" % (cap.returncode, e)
        res = json.loads(o)
        print("capture %s: %s" % (" ".join(extra), o.strip()))
        t = subprocess.run(["tshark", "-r", out, "-T", "fields", "-e", "eth.src", "-e", "eth.dst",
                            "-e", "udp.dstport", "-e", "frame.interface_name"],
                           capture_output=True, text=True)
        assert t.returncode == 0, "tshark -r: %s" % t.stderr
        rows = [x.split("\t") for x in t.stdout.splitlines()]
        assert len(rows) == 100 == res["packets"], "tshark read %d frames, cordonctl said %d" % (
            len(rows), res["packets"])
        assert all(CAM_MAC in (r[0], r[1]) for r in rows), rows[:5]
        assert res["matched"] == res["packets"] + res["filtered"], res
        if port:
            assert all(r[2] == port for r in rows) and res["filtered"] > 0, (res, rows[:5])
        print("tshark -r: 100 frames, all from or to %s%s; interfaces %s" % (
            CAM_MAC, ", udp dst port " + port if port else "", sorted(set(r[3] for r in rows))))
    # A 5 s capture holds neither cordond nor the dataplane's polls: status
    # answers, a new policy version reaches the dataplane, and a second
    # capture is refused at once, all while it runs.
    cap = subprocess.Popen([lab.bin("control/cordonctl"), "--json", "capture", "--device",
                            CAM_MAC, "--seconds", "5", "-w", out + "5"], env=lab.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)		# the query reaches the dataplane with its poll
    t0 = time.monotonic()
    rc, o, e = lab.ctl("status")
    t_status = time.monotonic() - t0
    assert rc == 0, e
    rc, o, e = lab.ctl("capture", "--device", CAM_MAC, "--count", "1", "-w", out + "6")
    assert rc != 0 and "already" in e and not os.path.exists(out + "6"), (rc, o, e)
    rc, o, e = lab.ctl("quarantine", "02:00:00:00:05:99", "--reason", "during a capture")
    assert rc == 0, e
    v = policy(lab)["version"]
    wait_until(lambda: any(d.get("policy_version") == v for d in
                           lab.ctl_json("status").get("dataplanes", [])) or cap.poll() is not None,
               60, "neither the version nor the capture's end")
    running = cap.poll() is None
    o, e = cap.communicate(timeout=90)
    assert cap.returncode == 0, e
    assert running, "policy %d reached the dataplane only after the 5 s capture ended" % v
    print("during a 5 s capture: status answered in %.0f ms, a second capture refused (%s), "
          "policy %d in force in the dataplane before the capture ended (%s)" % (
              t_status * 1000, "already running", v, o.strip()))
    rc, o, e = lab.ctl("release", "02:00:00:00:05:99")
    assert rc == 0, e
    rc, o, e = lab.ctl("capture", "--count", "1", "--filter", "udp port", "-w", out + "2")
    assert rc == 1 and "filter" in e and not os.path.exists(out + "2"), (rc, o, e)
    print("a bad filter: exit 1: %s" % e.strip())


NAME = "api.cloud.example"


def by_name(lab, cam, v):
    """The camera resolves NAME, then reaches its address: the prompt names
    it; allow always makes a rule to the name. The new version."""
    assert cam.client("resolve", NAME, dns=SRV + ":53", timeout=5.0), cam.last.stderr
    assert SRV in cam.last.stdout, cam.last.stdout
    c = udp_flow(cam, 7003, 40008, 60)
    p = wait_until(lambda: prompt_for(lab, 7003), 60, "no prompt for the named flow")
    assert p["flow"].get("dst_name") == NAME and p["flow"]["dst_ip"] == SRV, p
    rc, out, err = lab.ctl("requests")
    print(out.strip())
    assert "camera-2 (%s) wants to reach %s:7003/udp (%s)" % (CAM_MAC, NAME, SRV) in out, out
    evs = lab.events("--all")
    assert any(e["kind"] == "prompt_raised" and (e.get("details") or {}).get("dst_name") == NAME
               for e in evs), "no prompt_raised event with the name"
    r = lab.ctl_json("allow", str(p["id"]), "--always")
    v2 = r.get("policy_version", 0)
    assert v2 > v, r
    assert answered(c, 60) is not None, "allowed always by name, yet the flow never passed"
    mine = [x for x in policy(lab).get("rules", [])
            if "prompt %d" % p["id"] in x.get("comment", "")]
    assert len(mine) == 1 and mine[0]["dst"].get("dns_name") == NAME, mine
    print("by name: prompt %d asked about %s:7003/udp; allow always: rule %d to dns_name %s "
          "in policy %d" % (p["id"], NAME, mine[0]["id"], NAME, v2))
    return v2


FOR_S = 4	# allow --for


def for_a_time(lab, cam, v):
    for bad in ("0", "1x", "2y", "400d", ""):
        rc, out, err = lab.ctl("allow", "1", "--for", bad)
        assert rc == 2 and "--for" in err, (bad, rc, err)
    rc, out, err = lab.ctl("allow", "1", "--for", "1h", "--always")
    assert rc == 2, (rc, err)
    c = udp_flow(cam, 7004, 40009, 60)
    p = wait_until(lambda: prompt_for(lab, 7004), 60, "no prompt for port 7004")
    r = lab.ctl_json("allow", str(p["id"]), "--for", "%ds" % FOR_S)
    v2 = r.get("policy_version", 0)
    assert v2 > v, r
    assert answered(c, 60) is not None, "allowed for a time, yet the flow never passed"
    t0 = time.monotonic()

    def mine():
        return [x for x in policy(lab).get("rules", [])
                if "prompt %d," % p["id"] in x.get("comment", "")]
    rule = mine()
    assert len(rule) == 1 and "allowed by cordonctl until " in rule[0]["comment"], rule
    print("allow --for %ds: policy %d, rule %d: %s" % (FOR_S, v2, rule[0]["id"], rule[0]["comment"]))
    wait_until(lambda: not mine(), 30 * FOR_S, "the rule for a time never went")
    gone = policy(lab)["version"]
    print("the rule went %.1f s later, in policy %d" % (time.monotonic() - t0, gone))
    assert gone > v2, gone
    hist = lab.ctl_json("policy", "history").get("versions", [])
    by = [h for h in hist if h["version"] == gone][0].get("applied_by", "")
    assert by.startswith("cordond: consent") and by.endswith("expired"), by
    evs = lab.events("--all")
    assert any(e["kind"] == "consent_expired" and "prompt %d" % p["id"] in
               (e.get("details") or {}).get("reason", "") for e in evs), "no consent_expired event"
    c2 = udp_flow(cam, 7004, 40010, 3)
    assert answered(c2, 30) is None, "the flow still passes after the time"
    print("expired: policy %d applied by %r, consent_expired event, the flow is asked again" % (
        gone, by))


def test(lab):
    netlab.require()
    nl = netlab.NetLab("ask")
    cam = nl.add_host("cam", CAM_MAC, [CAM + "/24"])
    srv = nl.add_host("srv", SRV_MAC, [SRV + "/24"])
    try:
        nl.up()
        srv.serve(udp_echo=["0.0.0.0:7", "0.0.0.0:7001", "0.0.0.0:7002", "0.0.0.0:7003",
                           "0.0.0.0:7004"],
                  dns=["0.0.0.0:53"], zone=["%s=%s@300" % (NAME, SRV)])
        lab.start_cordond("--prompt-timeout", str(TIMEOUT_S))
        pol = lab.path("ask.yaml")
        with open(pol, "w") as f:
            f.write(POLICY)
        rc, out, err = lab.ctl("policy", "apply", pol)
        assert rc == 0, "policy apply: %s" % err
        dp = nl.start_dataplane(lab, "--control", "ipc://%s/dataplane.sock" % lab.rundir,
                           "--id", "gw-ask", "--report-interval", "200", port="af_packet")
        wait_until(lambda: any(d.get("policy_version") for d in
                               lab.ctl_json("status").get("dataplanes", [])), 60,
                   "the dataplane never took the policy")
        base = policy(lab)
        v0, rules0 = base["version"], len(base.get("rules", []))
        print("policy %d in force: %d rules; camera-2 in iot (default: ask)" % (v0, rules0))

        # -- allow once ---------------------------------------------------
        c1 = udp_flow(cam, 7, 40001, 60)
        p1 = wait_until(lambda: prompt_for(lab, 7), 60, "no prompt for the first flow")
        rc, out, err = lab.ctl("requests")
        print(out.strip())
        assert "camera-2" in out and "%s:7/udp" % SRV in out, out
        # Held: nothing came back while the prompt waited.
        assert c1.poll() is None, "the flow passed before anyone answered"
        t_allow = time.monotonic()
        rc, out, err = lab.ctl("allow", str(p1["id"]))
        t_done = time.monotonic()
        assert rc == 0, "allow: %s" % err
        print(out.strip())
        t_echo = answered(c1, 60)
        assert t_echo is not None, "allowed once, yet the flow never passed"
        figure("prompt_allow_once", [t_echo - t_allow],
               "allow once to the flow's first echo (cordonctl took %.0f ms)"
               % ((t_done - t_allow) * 1000))
        after = policy(lab)
        assert after["version"] == v0 and len(after.get("rules", [])) == rules0, \
            "allow once made a version or a rule: %s" % after
        assert prompt_for(lab, 7, 40001) is None, "the answered prompt is still listed"
        w = telemetry(dp.file_prefix, "/cordon/worker,0")["/cordon/worker"]
        assert w["asked"] >= 1 and w["granted"] == 1 and w["ask_full"] == 0, w
        print("worker 0: asked %d, granted %d, grants whose flow had gone %d" % (
            w["asked"], w["granted"], w["grant_gone"]))
        print("allow once: no new version, no rule; the prompt is gone")

        # Only that flow: another one from the camera is held and asked.
        c2 = udp_flow(cam, 7, 40002, 60)
        p2 = wait_until(lambda: prompt_for(lab, 7), 60, "no prompt for a second flow")
        time.sleep(1.0)
        assert c2.poll() is None, "a second flow passed on the first one's answer"
        print("a second flow to the same port is held and asked again (prompt %d)" % p2["id"])

        # -- allow always -------------------------------------------------
        t_allow = time.monotonic()
        r = lab.ctl_json("allow", str(p2["id"]), "--always")
        v1 = r.get("policy_version", 0)
        assert v1 > v0, "allow --always made no version: %s" % r
        t_echo = answered(c2, 60)
        assert t_echo is not None, "allowed always, yet the held flow never passed"
        figure("prompt_allow_always", [t_echo - t_allow], "allow always to the flow's echo")
        after = policy(lab)
        mine = [x for x in after.get("rules", []) if "prompt %d" % p2["id"] in x.get("comment", "")]
        assert after["version"] == v1 and len(mine) == 1, \
            "version %d: no rule naming prompt %d: %s" % (after["version"], p2["id"],
                                                          after.get("rules"))
        assert "allowed always by cordonctl" in mine[0]["comment"], mine[0]
        print("allow always: policy %d, rule %d: %s" % (v1, mine[0]["id"], mine[0]["comment"]))
        # The rule lets the next flow through without a prompt.
        c3 = udp_flow(cam, 7, 40003, 30)
        assert answered(c3, 60) is not None, "a new flow to the allowed port was held"
        print("a new flow to %s:7 passes on the rule" % SRV)

        # -- expiry, merging ----------------------------------------------
        c4 = udp_flow(cam, 7001, 40004, 4 * TIMEOUT_S)
        c5 = udp_flow(cam, 7001, 40005, 4 * TIMEOUT_S)
        p4 = wait_until(lambda: prompt_for(lab, 7001), 60, "no prompt for port 7001")
        wait_until(lambda: (prompt_for(lab, 7001) or {}).get("flows", 0) >= 2, 30,
                   "two flows to 7001 did not merge into one prompt")
        assert len([p for p in requests(lab) if p["flow"]["dst_port"] == 7001]) == 1
        print("two flows to port 7001: one prompt (%d), flows 2" % p4["id"])
        t = time.monotonic()
        wait_until(lambda: prompt_for(lab, 7001) is None, 10 * TIMEOUT_S,
                   "the prompt never expired")
        print("prompt %d expired after %.1f s (--prompt-timeout %d)"
              % (p4["id"], time.monotonic() - t + 0.0, TIMEOUT_S))
        evs = lab.events("--all")
        assert any(e["kind"] == "prompt_expired" and
                   (e.get("details") or {}).get("prompt") == str(p4["id"]) for e in evs), \
            "no prompt_expired event"
        after = policy(lab)
        assert after["version"] == v1 and len(after.get("rules", [])) == rules0 + 1, \
            "an expired prompt changed the policy: %s" % after
        assert answered(c4, 1) is None and answered(c5, 1) is None, \
            "an expired prompt's flow passed"
        print("expired: a deny, no rule, no version (still %d)" % v1)

        # -- deny ---------------------------------------------------------
        c6 = udp_flow(cam, 7002, 40006, 30)
        p6 = wait_until(lambda: prompt_for(lab, 7002), 60, "no prompt for port 7002")
        rc, out, err = lab.ctl("deny", str(p6["id"]))
        assert rc == 0, err
        c7 = udp_flow(cam, 7002, 40007, 3)
        assert answered(c7, 30) is None and answered(c6, 1) is None, "a denied flow passed"
        assert prompt_for(lab, 7002) is None, "denied, yet asked again"
        print("deny: the flow stays denied and is not asked again")
        after = policy(lab)
        assert after["version"] == v1, "deny made a version"

        # -- by name ----------------------------------------------------------
        v1 = by_name(lab, cam, v1)

        # -- for a time -------------------------------------------------------
        for_a_time(lab, cam, v1)

        # -- capture in the dataplane ---------------------------------------
        capture(lab, cam)
        ok = True
    finally:
        nl.down()
    return ok


if __name__ == "__main__":
    lab_main("prompt", test)
