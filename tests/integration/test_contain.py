#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Threat detection and containment, end to end (issue 13), on real hosts.

Three hosts in network namespaces bridged by the real cordon-dataplane,
which reports to the real cordond; the policy (applied with cordonctl)
lets the LAN talk freely. The attacker's frames of an nmap SYN scan
capture (tests/detect/gen_attacks.py, scan-vertical-nmap) are replayed
out of the attacker's namespace by replay.py at the capture's pace; the
victim is a real host whose kernel answers the probes (RST from closed
ports). Then:

  - the dataplane contains the attacker by itself (telemetry
    /cordon/containment: contained, then its packets dropped);
  - the alert reaches cordonctl alerts at once, with its evidence, and
    cordonctl events has it;
  - cordond made the quarantine a stored policy version, which survives a
    restart of cordond;
  - the other host keeps reaching the victim;
  - the devices' behaviour envelopes (learned in 2 s here) are stored by
    cordond, shown by cordonctl device, and installed again in the
    dataplane when it says hello to a restarted cordond;
  - the policy's detection actions decide: the scan is a quarantine by
    the segment's entry, lateral movement only an alert by the policy's;
  - cordonctl envelope relearn forgets the stored envelope and the
    dataplane learns it again;
  - cordonctl release lets the attacker out: the dataplane applies the
    version without it and the attacker reaches the victim again;
  - detection's ask action: with the segment's detection at ask, the same
    scan from a second attacker (a MAC and address of its own) raises a
    consent prompt "quarantine ...? (scan_vertical: ...)" instead of a
    quarantine; answered quarantine (cordonctl deny ID --quarantine),
    cordond makes the version that holds it;
  - a device with a MUD file gets its MUD profile as its envelope.

Prints the time from the first probe to containment and to the first
dropped packet, as the dataplane stamped them (FIGURE lines). Exit 77
(skip) without root or network namespaces.
"""

import json
import os
import re
import signal
import struct
import subprocess
import sys

import netlab
import replay
from cordonlab import figure, lab_main, telemetry, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "detect", "gen_attacks.py")
REPLAY = os.path.join(HERE, "replay.py")
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import pcapgen  # noqa: E402

LUM = os.path.join(HERE, "..", "..", "..", "shared", "testdata", "mud",
                   "cisco-luminaire", "Luminaire_150.json")

# The capture's own addresses (gen_attacks.py): the lab's hosts take them.
ATT, VIC, OTHER = "02:00:00:00:ee:66", "02:00:00:00:ee:10", "02:00:00:00:ee:20"
ATT_IP, VIC_IP, OTHER_IP = "10.77.3.66", "10.77.3.10", "10.77.3.20"

POLICY = """version: 1
comment: "contain test: one LAN, a quarantine"
local-networks:
  - 10.77.3.0/24
segments:
  - name: lan
    default: allow
    detection: {"*": alert, scan_vertical: quarantine}
  - name: quarantine
    default: deny
    l2: allow
default-segment: lan
quarantine-segment: quarantine
detection:
  lateral: alert
"""


def attack_capture(lab):
    """The nmap capture and the time of its first probe."""
    out = lab.path("attacks")
    subprocess.run(["/usr/bin/python3", GEN, out], check=True, timeout=120)
    with open(os.path.join(out, "labels.tsv")) as f:
        rows = [l.rstrip("\n").split("\t") for l in f][1:]
    row = [r for r in rows if r[0] == "scan-vertical-nmap.pcap"][0]
    assert row[2] == ATT, row
    return os.path.join(out, row[0]), float(row[4])


def capture_start(path):
    with open(path, "rb") as f:
        f.read(24)
        sec, usec = struct.unpack("<II", f.read(8))
    return sec + usec / 1e6


def alerts(lab, *args):
    """Every alert (of a device: --device MAC), oldest first; the page's
    total says how many the store holds, and must agree."""
    page = lab.ctl_json("alerts", "--all", *args)
    assert page["total"] == len(page["alerts"]), page
    return page["alerts"]


def quarantined(lab):
    pol = lab.ctl_json("policy", "show")
    return [q.lower() for q in pol.get("quarantined", [])], pol.get("version")


def containment(dp):
    return telemetry(dp.file_prefix, "/cordon/containment,%s" % ATT).get(
        "/cordon/containment", {})


# A second attacker: a device of its own (MAC, address), unseen so far.
ASKER, ASK_IP = "02:00:00:00:ee:67", "10.77.3.67"


def as_device(pcap, first_ts, out, mac, addr):
    """The attacker's frames of the capture from its first probe, sent by
    another device (mac, addr): its own flows, not the first scan's (the
    dataplane keeps those a while; a SYN on one is a retransmission)."""
    a, m = bytes(map(int, addr.split("."))), bytes.fromhex(mac.replace(":", ""))
    att = bytes.fromhex(ATT.replace(":", ""))
    n = 0
    with open(out, "wb") as f:
        w = pcapgen.Writer(f)
        for ts, fr in replay.read_capture(pcap):
            if (ts < first_ts - 1e-6 or fr[6:12] != att or fr[12:14] != b"\x08\x00" or
                    fr[23] != 6):
                continue
            ip = fr[14:14 + struct.unpack("!H", fr[16:18])[0]]   # no Ethernet padding
            dst, tcp = ip[16:20], ip[(ip[0] & 15) * 4:]
            sp, dp, seq, ack, off, fl = struct.unpack("!HHIIBB", tcp[:14])
            w.t = ts
            w.add(pcapgen.eth(fr[:6], m, 0x0800) + pcapgen.ipv4(
                a, dst, 6, pcapgen.tcp(a, dst, sp, dp, fl, seq, ack,
                                       data=tcp[(off >> 4) * 4:])), 0)
            n += 1
    assert n > 0, "no probe of %s in %s" % (ATT, pcap)
    return n


def ask_action(lab, att, vic, pcap, first_ts):
    """The segment's detection says ask: the scan raises a prompt, not a
    quarantine; the operator's answer quarantines."""
    pol = lab.path("ask.yaml")
    with open(pol, "w") as f:
        f.write(POLICY.replace('scan_vertical: quarantine', 'scan_vertical: ask'))
    rc, _, err = lab.ctl("policy", "apply", pol, "--wait", "60")
    assert rc == 0, err
    seen = {x["id"] for x in alerts(lab)}
    # The same scan from a device the detectors have not seen, sent out
    # of the attacker's host; the victim answers it (its neighbour entry:
    # nobody in the lab answers ARP for that address).
    mine = lab.path("scan-ask.pcap")
    n = as_device(pcap, first_ts, mine, ASKER, ASK_IP)
    vic.run("ip", "neigh", "replace", ASK_IP, "lladdr", ASKER, "dev", "eth0", check=True)
    r = subprocess.run([*att.cmd("/usr/bin/python3", REPLAY, "eth0", mine)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    print("ask: %d frames as %s %s: %s" % (n, ASKER, ASK_IP, r.stdout.strip()))
    # Its scan_vertical alert: the segment's ask (the policy's "*" makes
    # its other alerts, flood_syn's, plain alerts).
    a = wait_until(lambda: [x for x in alerts(lab) if x["id"] not in seen and
                            x["alert"]["mac"] == ASKER and
                            x["alert"]["detector"] == "scan_vertical"], 60,
                   "the second scan raised no scan_vertical alert")[0]
    print("ask alert: %s" % json.dumps(a))
    # A page of the newest says how many there are when there are more:
    # there are (the ask's and those before it). More may come in between,
    # so the count lies between the two reads.
    n0 = len(alerts(lab))
    rc, out, _ = lab.ctl("alerts", "--last", "1")
    n1 = len(alerts(lab))
    more = re.search(r"^\(1 of (\d+) alerts; --last N, --all, --before ID", out, re.M)
    assert rc == 0 and n0 >= 2 and more and n0 <= int(more.group(1)) <= n1, (n0, n1, out)
    for x in alerts(lab):
        if x["id"] not in seen and x["alert"]["mac"] == ASKER:
            assert x["alert"]["action"] == ("ask" if x["alert"]["detector"] ==
                                            "scan_vertical" else "alert"), x
    assert not a["alert"]["contained"], a
    p = wait_until(lambda: [x for x in lab.ctl_json("requests").get("prompts", [])
                            if x.get("alert_id") == a["id"]], 30, "no prompt for the ask alert")[0]
    rc, out, _ = lab.ctl("requests")
    print(out.strip())
    assert "quarantine %s? (alert %s, scan_vertical: " % (ASKER, a["id"]) in out, out
    assert ASKER not in quarantined(lab)[0], "an ask alert quarantined by itself"
    rc, _, err = lab.ctl("allow", str(p["id"]))
    assert rc == 1 and "quarantine or dismiss" in err, (rc, err)
    r = lab.ctl_json("deny", str(p["id"]), "--quarantine")
    q, v = quarantined(lab)
    assert ASKER in q and r.get("policy_version") == v, (r, q, v)
    evs = lab.events("--all")
    assert any(e["kind"] == "prompt_answered" and (e.get("details") or {}).get("answer") ==
               "quarantine" for e in evs), "no prompt_answered event"
    print("ask: alert %s raised prompt %d; answered quarantine: policy %d holds %s" % (
        a["id"], p["id"], v, ASKER))
    rc, out, err = lab.ctl("release", ASKER)
    assert rc == 0, err


def test(lab):
    nl = netlab.NetLab("contain")
    att = nl.add_host("att", ATT, [ATT_IP + "/24"])
    vic = nl.add_host("vic", VIC, [VIC_IP + "/24"])
    oth = nl.add_host("oth", OTHER, [OTHER_IP + "/24"])
    pcap, first_ts = attack_capture(lab)
    with nl:
        vic.serve(tcp_echo=["0.0.0.0:22", "0.0.0.0:80", "0.0.0.0:8010"])
        pol = lab.path("lan.yaml")
        with open(pol, "w") as f:
            f.write(POLICY)
        cordond = lab.start_cordond()
        rc, _, err = lab.ctl("policy", "apply", pol)
        assert rc == 0, err
        version = quarantined(lab)[1]
        dp = nl.start_dataplane(lab, "--control", "ipc://%s/dataplane.sock" % lab.rundir,
                                "--id", "gw", "--report-interval", "500", "--detect-learn", "2s",
                                "--state-dir", lab.path("dpstate"), port="af_packet",
                                detect=True)
        wait_until(lambda: any(d.get("policy_version") == version
                               for d in lab.ctl_json("status").get("dataplanes", [])),
                   30, "the dataplane did not apply the policy")
        # Before: everyone reaches the victim.
        for h in (att, oth):
            assert h.client("tcp", VIC_IP, 8010, timeout=10.0), h.last.stderr

        # The attack: the attacker's frames, from the first probe on.
        r = subprocess.run([*att.cmd("/usr/bin/python3", REPLAY, "eth0", pcap, "--src", ATT,
                                     "--from", "%.6f" % (first_ts - capture_start(pcap)))],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        print("replay: %s" % r.stdout.strip())

        c = wait_until(lambda: (lambda x: x if x.get("state") in ("local", "held")
                                else None)(containment(dp)),
                       30, "the dataplane did not contain the attacker")
        assert c["detector"] == "scan_vertical", c
        figure("contain_scan_ms", [(c["contained_unix_us"] - c["first_packet_unix_us"]) / 1e6],
               "nmap SYN scan, first probe to containment (dataplane's stamps)")
        # Its next packets are dropped (the scan's own last probes may all
        # have passed before, on a loaded machine).
        assert not att.client("tcp", VIC_IP, 8010, timeout=2.0), "the attacker still reaches"
        c = wait_until(lambda: (lambda x: x if x.get("first_drop_unix_us") and
                                x.get("quarantine_drops", 0) > 0 else None)(containment(dp)),
                       30, "no packet of the attacker dropped")
        print("containment: %s" % json.dumps(c))
        last_probe_us = float(r.stdout.split()[5]) * 1e6
        if c["first_drop_unix_us"] <= last_probe_us:
            figure("contain_scan_drop_ms",
                   [(c["first_drop_unix_us"] - c["first_packet_unix_us"]) / 1e6],
                   "nmap SYN scan, first probe to the first probe dropped")
        else:
            print("every probe of the scan passed before the containment")

        # The alert, at cordonctl, with its evidence.
        a = wait_until(lambda: [x for x in alerts(lab) if x["alert"]["detector"] ==
                                "scan_vertical"], 30, "no alert at cordonctl")[0]
        print("alert: %s" % json.dumps(a))
        al = a["alert"]
        assert al["mac"] == ATT and al["contained"] and al["action"] == "quarantine", al
        ev = al["evidence"]
        assert int(ev["count"]) >= int(ev["threshold"]) > 0, ev
        assert ev["packets"] and ev["packets"][0]["src"] == ATT_IP, ev
        assert al["dataplane_id"] == "gw", al
        figure("contain_scan_alert_ms", [(a["received_unix_ms"] * 1000 -
                                          int(al["first_unix_us"])) / 1e6],
               "nmap SYN scan, first probe to the alert stored by cordond")
        rc, out, _ = lab.ctl("alerts", "--all")
        assert rc == 0 and "scan_vertical" in out and ATT in out, out
        print(out.strip())
        # The policy's actions: the segment's scan_vertical entry made it a
        # quarantine (its "*" says alert); lateral (the quarantined
        # attacker's denied probes) is the policy's alert.
        for x in alerts(lab):
            if x["alert"]["detector"] == "lateral":
                assert x["alert"]["action"] == "alert", x
        evs = lab.events("--all")
        assert any(e["kind"] == "alert" and e.get("mac") == ATT for e in evs), evs

        # The stored version that holds it, handed to the dataplane.
        q, held = wait_until(lambda: (lambda x: x if ATT in x[0] else None)(quarantined(lab)),
                             30, "cordond made no quarantine version")
        assert int(a.get("policy_version", 0)) == int(held), (a, held)
        wait_until(lambda: containment(dp).get("state") == "held", 30,
                   "the dataplane does not hold the stored quarantine")
        # The others are untouched.
        assert oth.client("tcp", VIC_IP, 8010, timeout=10.0), oth.last.stderr
        assert not att.client("tcp", VIC_IP, 8010, timeout=2.0), "the attacker still reaches"

        # The devices' envelopes, learned in 2 s, are stored by cordond and
        # shown by cordonctl device.
        out = wait_until(lambda: (lambda r: r[1] if "envelope  complete" in r[1] else None)(
            lab.ctl("device", VIC)), 60, "no envelope stored for the victim")
        print(out.strip())
        assert "scan_vertical" in lab.ctl("device", ATT)[1]

        # cordond restarts: the quarantine and the alerts are kept.
        before = [x["id"] for x in alerts(lab)]
        cordond.send_signal(signal.SIGTERM)
        assert cordond.wait(15) == 0
        cordond = lab.start_cordond()
        q, v2 = quarantined(lab)
        assert ATT in q and v2 == held, (q, v2, held)
        assert set(before) <= {x["id"] for x in alerts(lab)}, alerts(lab)
        # The envelopes it kept go back to the dataplane at its hello.
        wait_until(lambda: telemetry(dp.file_prefix, "/cordon/detect").get(
            "/cordon/detect", {}).get("envelopes_installed", 0) > 0, 30,
            "the stored envelopes were not installed again")

        # The operator's re-learn: the stored envelope goes at once, the
        # dataplane learns the victim again (2 s) and cordond stores it anew.
        rc, out, err = lab.ctl("envelope", "relearn", VIC)
        assert rc == 0, err
        assert "stored envelope deleted" in out and "1 dataplane " in out, out
        print("relearn: %s" % out.strip())
        wait_until(lambda: telemetry(dp.file_prefix, "/cordon/detect").get(
            "/cordon/detect", {}).get("relearns", 0) > 0, 30,
            "the dataplane did not restart learning")
        wait_until(lambda: "envelope  complete" in lab.ctl("device", VIC)[1],
                   60, "the re-learned envelope was not stored")
        rc, out, err = lab.ctl("envelope", "relearn", "01:00:5e:00:00:01")
        assert rc == 1 and "unicast" in err, (rc, out, err)

        # Release: a version without it, applied; the attacker is back.
        rc, out, err = lab.ctl("release", ATT)
        assert rc == 0, err
        wait_until(lambda: containment(dp).get("state") == "released", 30,
                   "the dataplane did not release the attacker")
        assert ATT not in quarantined(lab)[0]
        wait_until(lambda: att.client("tcp", VIC_IP, 8010, timeout=2.0), 30,
                   "the released attacker does not reach the victim")
        print("released: %s" % out.strip())
        ask_action(lab, att, vic, pcap, first_ts)

        # A MUD file bound to the other host: the dataplane judges it by
        # its MUD profile from the version that carries its rules.
        cordond.send_signal(signal.SIGTERM)
        assert cordond.wait(15) == 0
        cordond = lab.start_cordond("--mud-accept-unsigned")
        rc, out, err = lab.ctl("mud", "import", LUM, "--device", OTHER)
        assert rc == 0, (out, err)
        wait_until(lambda: telemetry(dp.file_prefix, "/cordon/detect").get(
            "/cordon/detect", {}).get("envelopes_mud", 0) > 0, 30,
            "the MUD profile was not installed as the envelope")
        print("mud envelope: %s" % out.strip())
        dp.send_signal(signal.SIGTERM)
        assert dp.wait(20) == 0


if __name__ == "__main__":
    netlab.require()
    lab_main("contain", test)
