#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Real attacks in the smart home (smarthome.py, attacks.py): the dataplane
must contain the device that turns, by itself, and touch nobody else.

The home comes up as in the demo (DHCP, mDNS, identification, home.yaml,
DNS, NTP and HTTPS by name), the print server runs a telnet login and
sshd. Then, for each attack asked for (--attack, default: all of
attacks.ATTACKS), --runs times: the laptop runs the real tool from Debian
against the LAN while the phone keeps two steady UDP echo flows going (to
the print server, to the internet). Checked each time:

  - the dataplane contained the laptop (its own /cordon/containment) and
    dropped its packets (quarantine_drops), within a generous bound;
  - no other device lost a packet to the dataplane: the denied and
    quarantine-dropped packet counts of the phone and the print server
    (unless the attack aims at it) do not move, and the steady flows'
    losses are printed;
  - the operator's `cordonctl release` lets the laptop back in (it reaches
    the internet again).

Printed for each: the time from the tool's first packet (tcpdump in the
laptop's namespace) to the containment and to the first packet the
dataplane dropped, and from the first packet the dataplane counted. No
wall-clock figure is asserted: scripts/bench_lab_attacks.sh reports the
medians against issue 13's bars. arp-scan is only measured: its ARP
requests are broadcast, which quarantine still lets through (l2: allow).

--forged-dns: scapy sprays forged answers at the speaker for its NTP
server's name (home.yaml allows that by name only); the answer must never
bind (NTP to the forger's address stays denied, the real name still works),
every one is refused and counted (a forgery, or a duplicate if it guessed
the id of the query already answered), each forgery is an event, and the
episode raises the speaker's dns_forged alert at cordond. The forger waits
until the dataplane's matchers have watched for a timeout: earlier, an
answer for no query may be a late one to a query sent before they started.

--keep-going: a run that fails a check is said, kept in the results with
what failed, and the next runs go on (the bench wants every run); exit 1
at the end. --json FILE writes every result. Exit 77 (skip) without root, network
namespaces or the tools.
"""

import argparse
import json
import shutil
import sys
import time

import attacks
import cordonlab
import netlab
import smarthome

TOOLS = ("nmap", "hping3", "hydra", "arp-scan", "tcpdump", "/usr/sbin/sshd",
         attacks.DEBIAN_PYTHON)
OTHERS = ("phone", "printer")           # the steady flows' ends


def dev_drops(home, name):
    d = cordonlab.telemetry(home.dp.file_prefix, "/cordon/device," +
                            home.devices[name].mac)["/cordon/device"] or {}
    return d.get("denied_packets", 0) + d.get("quarantine_drops", 0)


def port_pools(home):
    """Per port: receive buffers the mbuf pool could not give
    (rx_nombuf) and receive stalls (the dataplane's port_watch: a second
    of frames missed or refused, none received)."""
    names = cordonlab.telemetry(home.dp.file_prefix, "/cordon/ports")["/cordon/ports"]
    out = {}
    for i, name in enumerate(names):
        p = cordonlab.telemetry(home.dp.file_prefix, "/cordon/port,%d" % i)["/cordon/port"]
        out[name] = (p["hw_rx_nombuf"], p["rx_stalls"])
    return out


def check_attack(home, attack, bound, log, results):
    # The devices the attack does not aim at: the dataplane drops nothing
    # of theirs. (The target's answers to the contained attacker are
    # dropped, as they should be: a device in quarantine is cut off both
    # ways.)
    others = [n for n in OTHERS if n != attack.target]
    held = attacks.Containment(home, "laptop").read().get("state")
    if held in ("contained", "held"):       # left by the attack before: let it go
        home.release("laptop")
    # The last attack's sessions end first: a server's late answers to
    # a laptop contained again would be dropped, and counted as its own.
    lap_ip = home.devices["laptop"].ip
    t = time.monotonic()
    cordonlab.wait_until(lambda: not any(
        home.nl[n].run("ss", "-Htn", "dst", lap_ip).stdout.strip() for n in OTHERS),
        60, "the servers' sessions with the laptop do not end")
    if time.monotonic() - t > 1:
        log("  (waited %.1f s for the last attack's sessions to end)" % (time.monotonic() - t))
    before = {n: dev_drops(home, n) for n in others}
    r = attacks.run_attack(home, attack, bound=bound)
    results.append(r)           # with what failed, if a check does
    try:
        check_run(home, attack, bound, log, r, others, before)
    except AssertionError as e:
        r["failed"] = str(e)
        raise
    return r


def check_run(home, attack, bound, log, r, others, before):
    log(attacks.describe(r))
    for f in r["steady"]:
        log("  %s: %d sent, %d answered, %d lost" % (f["flow"], f["sent"], f["answered"],
                                                     f["lost"]))
    after = {n: dev_drops(home, n) for n in others}
    pools = port_pools(home)
    r["rx_nombuf"] = sum(v[0] for v in pools.values())
    r["rx_stalls"] = sum(v[1] for v in pools.values())
    if r["rx_nombuf"] or r["rx_stalls"]:
        log("  receive stalled or the mbuf pool ran dry: " + ", ".join(
            "%s rx_nombuf %d stalls %d" % (k, *v) for k, v in pools.items() if any(v)))
    r["others_dropped"] = {n: after[n] - before[n] for n in others}
    assert not any(r["others_dropped"].values()), \
        "%s: the dataplane dropped other devices' packets: %s" % (attack.name,
                                                                  r["others_dropped"])
    if attack.required:
        assert r["containment"] is not None, \
            "%s: the laptop was not contained within %.0f s:\n%s" % (
                attack.name, bound, r["tool_log"])
    if r["containment"] is not None:
        if attack.drops:
            assert r["quarantine_drops"] > 0, "%s: contained, but nothing dropped" % attack.name
        assert all(f["answered"] > 0 for f in r["steady"]), \
            "%s: a steady flow got no answer at all: %s" % (attack.name, r["steady"])
        home.release("laptop")
        lap = home.nl["laptop"]
        try:
            cordonlab.wait_until(lambda: lap.client("udp", smarthome.ECHO, "7", timeout=0.5),
                                 20, "released, the laptop does not reach the internet")
        except AssertionError:
            log(release_state(home, "laptop"))
            raise
        log("  released: the laptop reaches the internet again")


def flows_brief(out):
    """cordonctl flows, the attack's many TCP flows counted by state and
    verdict rather than listed."""
    keep, tcp = [], {}
    for line in out.splitlines():
        w = line.split()
        if w and w[0] == "tcp":
            k = "%s %s" % (w[6], " ".join(w[7:9]))
            tcp[k] = tcp.get(k, 0) + 1
        else:
            keep.append(line)
    return "\n".join(keep + ["tcp flows by state and verdict: %s" % tcp])


def sh_sw(home, name):
    h = home.nl[name]
    return netlab.sh("ip", "-n", home.nl.netns, "-s", "link", "show", h.peer,
                     check=False).stdout


def release_state(home, name):
    """What the dataplane and cordond hold of a released device that does
    not get through: drops by reason, its flows, its row, the policy in
    force, its containment and its neighbour table."""
    out = ["---- %s, released, does not get through ----" % name]
    mac = home.devices[name].mac

    def add(what, f):
        try:
            v = f()
        except Exception as e:          # a dump never hides the failure
            v = "(unavailable: %s)" % e
        out.append("%s:\n%s" % (what, v if isinstance(v, str) else json.dumps(v, indent=1)))
    fp = home.dp.file_prefix
    add("dataplane drops by reason", lambda: {
        k: v for k, v in cordonlab.telemetry(fp, "/cordon/stats")["/cordon/stats"].items()
        if isinstance(v, int) and v})
    add("its counters (/cordon/device)", lambda: home.dev_counters(name))
    add("its containment (/cordon/containment)",
        lambda: cordonlab.telemetry(fp, "/cordon/containment," + mac)["/cordon/containment"])
    add("policy in force (/cordon/policy)",
        lambda: cordonlab.telemetry(fp, "/cordon/policy")["/cordon/policy"])
    add("cordonctl policy show: version, quarantined", lambda: {
        k: v for k, v in home.lab.ctl_json("policy", "show").items()
        if k in ("version", "quarantined")})
    add("cordonctl devices (its row)", lambda: home.inventory().get(mac))
    add("cordonctl flows --device %s (but its TCP ones, counted)" % mac,
        lambda: flows_brief(home.lab.ctl("flows", "--device", mac)[1]))
    add("its neighbours (ip neigh)", lambda: home.nl[name].run("ip", "neigh").stdout)
    add("the router's neighbours (ip neigh)", lambda: home.router.run("ip", "neigh").stdout)
    names = cordonlab.telemetry(fp, "/cordon/ports")["/cordon/ports"]
    for i, pname in enumerate(names):
        add("port %d (%s)" % (i, pname), lambda i=i: cordonlab.telemetry(
            fp, "/cordon/port,%d" % i)["/cordon/port"])
    add("its link, both ends (ip -s link)", lambda: home.nl[name].run(
        "ip", "-s", "link", "show", "eth0").stdout + sh_sw(home, name))
    add("recent alerts (/cordon/alerts)",
        lambda: cordonlab.telemetry(fp, "/cordon/alerts")["/cordon/alerts"])
    return "\n".join(out)


def check_forged_dns(home, log, results):
    r = attacks.run_forged_dns(home)
    results.append(r)
    try:
        check_forged(home, log, r)
    except AssertionError as e:
        r["failed"] = str(e)
        raise
    return r


def check_forged(home, log, r):
    b, a = r["dns_before"], r["dns_after"]
    log("forged-dns    %d forged answers for %s; NTP to %s: %s before, %s after; "
        "by name: %s" % (
            r["sent"], r["name"], smarthome.EVIL, "passes" if r["evil_before"] else "denied",
            "passes" if r["evil_after"] else "denied", "works" if r["good_after"] else "FAILS"))
    assert r["good_before"], "NTP by name did not work before the forgery"
    assert not r["evil_before"], "NTP to the forger's server passed before any forgery"
    assert not r["evil_after"], "a forged DNS answer bound: NTP to %s passes" % smarthome.EVIL
    log("  the real name answered again after %.1f s" % r["dns_outage_s"])
    # Every forged answer is refused (unvouched) and named: a forgery
    # (unmatched, or the right id with another question), or, if it
    # guessed the id of the speaker's answered query, a duplicate. Each
    # forgery is an event of the device's, none lost on the way, and the
    # episode is the speaker's dns_forged alert.
    def delta(k):
        return a.get(k, 0) - b.get(k, 0)

    def settled():
        # the main lcore takes the workers' events when it polls
        nonlocal a
        a = home.detect_stats()
        return (delta("events_dns_forged") >= delta("dns_unmatched") +
                delta("dns_name_mismatch") and delta("alerts_dns_forged") >= 1)
    cordonlab.wait_until(settled, 30, "the forgeries' events or alert did not come")
    named = delta("dns_unmatched") + delta("dns_name_mismatch")
    forged, dup = delta("events_dns_forged"), delta("dns_duplicate")
    log("  the dataplane refused %d answers (unvouched): %d forgeries (%d events), %d "
        "duplicates, %d without history; %d dns_forged alert" % (
            delta("dns_unvouched"), named, forged, dup, delta("dns_no_history"),
            delta("alerts_dns_forged")))
    assert delta("dns_unvouched") >= r["sent"], "not every forged answer was refused"
    assert forged == named == delta("dns_forged"), \
        "forgeries judged, counted and evented differ: %d, %d, %d" % (
            named, delta("dns_forged"), forged)
    assert r["sent"] - dup <= forged <= r["sent"], \
        "%d forged answers sent, %d named forgeries (%d duplicates)" % (r["sent"], forged, dup)
    mac = home.devices[r["victim"]].mac

    def at_cordond():
        out = home.lab.ctl_json("alerts", "--all")["alerts"]
        return [x for x in out
                if x["alert"]["detector"] == "dns_forged" and x["alert"]["mac"] == mac]
    al = cordonlab.wait_until(at_cordond, 30, "no dns_forged alert for %s at cordond" % mac)[0]
    log("  alert %s: dns_forged on %s: %s" % (al["id"], mac, al["alert"]["evidence"]["what"]))
    assert r["good_after"], "after the forgery, NTP by name fails: %s" % r["good_after_err"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--attack", action="append", choices=sorted(attacks.BY_NAME),
                    help="an attack to run (repeatable; default: all)")
    ap.add_argument("--forged-dns", action="store_true", help="the forged DNS answers too")
    ap.add_argument("--only-forged-dns", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--bound", type=float, default=30.0,
                    help="seconds an attack may run uncontained (default 30)")
    ap.add_argument("--port", default="af_xdp", choices=netlab.PORTS)
    ap.add_argument("--json", help="write the results there")
    ap.add_argument("--keep-going", action="store_true",
                    help="a failed run is said and kept (\"failed\" in --json); "
                    "the others still run; exit 1 at the end")
    args = ap.parse_args()
    why = netlab.available()
    missing = [t for t in TOOLS if not shutil.which(t)]
    if why or missing:
        print("SKIP: %s" % (why or "not installed: " + " ".join(missing)))
        sys.exit(77)
    todo = [] if args.only_forged_dns else \
        [attacks.BY_NAME[n] for n in (args.attack or [a.name for a in attacks.ATTACKS])]

    def log(msg):
        print(msg, flush=True)
    home = smarthome.SmartHome(args.build, name="attacks", port=args.port)
    results, failed = [], []

    def checked(what, f, *a):
        try:
            f(home, *a)
        except AssertionError as e:
            if not args.keep_going:
                raise
            failed.append("%s: %s" % (what, e))
            log("FAILED (going on): %s: %s" % (what, e))
    try:
        t = time.monotonic()
        home.up()
        home.join()
        home.wait_identified()
        home.wait_version(home.apply_policy())
        home.routine()
        home.services()
        log("smart home up in %.1f s (%s ports)" % (time.monotonic() - t, home.dp.port))
        if args.forged_dns or args.only_forged_dns:
            checked("forged-dns", check_forged_dns, log, results)
        for i in range(args.runs):
            for a in todo:
                checked("%s run %d" % (a.name, i + 1), check_attack, a, args.bound, log,
                        results)
        if failed:
            raise AssertionError("%d of %d runs failed:\n  %s" % (
                len(failed), len(results), "\n  ".join(failed)))
    except BaseException:
        home.lab.dump_logs()
        raise
    finally:
        bad = home.down()
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1)
    if bad:
        raise AssertionError("unclean exit: %s" % ", ".join(bad))
    return 0


if __name__ == "__main__":
    cordonlab.run(main)
