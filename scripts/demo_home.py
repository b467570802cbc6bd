#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The demo's story (scripts/demo.sh runs it): examples/home.yaml's smart
home on network namespaces bridged by cordon-dataplane, a camera that
turns, and what Cordon does about it.

  1. The home comes up: a router (DHCP, DNS, NTP, the vendors' clouds), a
     real cordond holding home.yaml (`cordonctl policy apply`), the
     dataplane on AF_XDP ports (af_packet where AF_XDP cannot start).
  2. The devices join as real ones do (DHCP host names and vendor classes,
     mDNS), cordond identifies them (`cordonctl devices`), home.yaml is
     applied again so the camera and the speaker land in "iot", and they
     talk to their clouds (DNS, NTP, HTTPS by name).
  3. The camera turns: nmap -sS of the LAN from its namespace, while the
     phone keeps talking to the print server and the internet. The
     dataplane's detectors catch it and the dataplane contains it by
     itself; the story shows the alerts (`cordonctl alerts`), the times
     and the drops, and that nobody else lost a packet.
  4. The operator releases it (`cordonctl release`): the camera reaches its
     cloud again.
  5. Everything is stopped, and the demo checks that no namespace, link or
     process of it is left.

Exit 0 only when every step did what it says.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

import attacks      # noqa: E402
import cordonlab    # noqa: E402
import netlab       # noqa: E402
import smarthome    # noqa: E402

BOLD = sys.stdout.isatty()


def step(msg):
    print(("\n\033[1m== %s\033[0m" if BOLD else "\n== %s") % msg, flush=True)


def say(msg):
    print(msg, flush=True)


def ctl(home, *args):
    """Show a cordonctl command and what it prints."""
    say("$ cordonctl %s" % " ".join(args))
    out = home.ctl(*args)
    say(out.rstrip())
    return out


def ns_inodes(home):
    """The inodes of the lab's network namespaces (taken before down())."""
    out = set()
    for ns in [h.ns for h in home.nl.hosts.values()] + [home.nl.netns]:
        try:
            out.add(os.stat("/run/netns/" + ns).st_ino)
        except OSError:
            pass
    return out


def leftovers(home, inodes, pids):
    """What of this demo is still there: its namespaces and links (by its
    tag), a process still in one of its namespaces, or one it started."""
    tag = home.nl.tag
    left = [n for n in (netlab.sh("ip", "netns", "list", check=False).stdout +
                        netlab.sh("ip", "-o", "link", check=False).stdout).split()
            if tag in n]
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            link = os.readlink("/proc/%s/ns/net" % d)
        except OSError:
            continue
        if int(link[5:-1]) in inodes or int(d) in pids:
            left.append("pid %s" % d)
    return left


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--pause", action="store_true", help="wait for Enter before stopping")
    args = ap.parse_args()
    why = netlab.available()
    if why:
        print("demo: the smart home needs network namespaces: %s" % why, file=sys.stderr)
        return 1
    home = smarthome.SmartHome(args.build, name="demo")
    ok = False
    inodes = set()
    try:
        step("The smart home comes up: router, cordond with examples/home.yaml, the dataplane")
        t = time.monotonic()
        home.up()
        inodes = ns_inodes(home)
        say("%d hosts on %s ports, policy version %d in force (%.1f s)" % (
            len(home.nl.hosts), home.dp.port, home.in_force(), time.monotonic() - t))

        step("The devices join: DHCP with their host names and vendor classes, mDNS")
        home.join()
        home.wait_identified()
        ctl(home, "devices")

        step("home.yaml again, now that cordond knows them: camera and speaker go to iot")
        home.wait_version(home.apply_policy())
        home.routine()
        home.services()
        say("every device reached its time server and its cloud by name")

        step("The camera turns: nmap -sS 192.168.1.0/24 from its namespace")
        r = attacks.run_attack(home, attacks.BY_NAME["nmap-syn"], attacker="camera",
                               bound=30.0)
        if r["containment"] is None:
            say("the camera was NOT contained:\n" + r["tool_log"])
            return 1
        c = r["containment"]
        # The dataplane sent its alerts to cordond at once.
        cordonlab.wait_until(lambda: home.devices["camera"].mac in home.ctl(
            "alerts", "--device", home.devices["camera"].mac), 20, "no alert at cordonctl")
        ctl(home, "alerts", "--device", home.devices["camera"].mac)
        say("detector %s; from nmap's first packet (its ARP discovery): contained after "
            "%.0f ms; its first SYN probe went out %.0f ms later and was dropped; %d of its "
            "packets dropped by the quarantine" % (
                c["detector"], r["to_contain_ms"], (r["first_probe"] - c["contained"]) * 1e3,
                c["quarantine_drops"]))
        for f in r["steady"]:
            say("meanwhile %s: %d sent, %d answered" % (f["flow"], f["sent"], f["answered"]))
        others = {n: home.dev_counters(n).get("quarantine_drops", 0)
                  for n in home.devices if n != "camera"}
        if any(others.values()):
            say("other devices had packets dropped: %s" % others)
            return 1
        cam = home.nl["camera"]
        url = "https://%s/" % home.devices["camera"].cloud
        if cam.client("tls-get", url, "--ca", home.ca, dns=smarthome.ROUTER_IP, timeout=2):
            say("the contained camera still reaches its cloud")
            return 1
        say("contained: the camera cannot reach its cloud; nobody else lost a packet")

        step("The operator releases the camera")
        mac = home.devices["camera"].mac
        if mac not in home.quarantined():
            say("(cordond does not hold the dataplane's own containments yet: the operator "
                "takes this one over, then releases it)")
            ctl(home, "quarantine", mac, "--reason", "contained by the dataplane (nmap)")
            home.wait_version(int(home.lab.ctl_json("status").get("policy_version", 0)))
        ctl(home, "release", mac)
        home.wait_version(int(home.lab.ctl_json("status").get("policy_version", 0)))
        cordonlab.wait_until(lambda: cam.client("tls-get", url, "--ca", home.ca,
                                                dns=smarthome.ROUTER_IP, timeout=2),
                             20, "the released camera does not reach its cloud")
        say("released: the camera reaches %s again" % url)

        if args.pause:
            input("\nPress Enter to stop the demo... ")
        ok = True
    finally:
        step("Stopping everything")
        pids = {p.pid for p in home.lab.procs}
        bad = home.down()
        left = leftovers(home, inodes, pids)
        if bad or left:
            say("left behind or unclean: %s" % ", ".join(bad + left))
            ok = False
        else:
            say("no namespace, link or process left (lab %s, dataplane %s)" % (
                home.nl.tag, home.prefix))
        if ok:
            home.remove_files()
        else:
            say("logs: %s" % home.lab.dir)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, netlab.LabError, subprocess.SubprocessError, OSError) as e:
        print("demo: %s" % e, file=sys.stderr)
        sys.exit(1)
