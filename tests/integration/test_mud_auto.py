#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""MUD URLs devices announce are imported automatically, end to end.

A capture (scripts/pcapgen.py --mix mud) of devices announcing MUD URLs by
DHCP option 161, DHCPv6 option 112 and LLDP is replayed, over and over,
through the real dataplane (net_pcap), which reports to the real cordond
started with --mud-dir. cordond maps each URL to a file there, checks its
signature and binds it:

  bulb        DHCP    signed by the trusted CA      -> bound, verified
  thermostat  DHCPv6  unsigned (--mud-accept-unsigned) -> bound
  switch      LLDP    signed by the trusted CA      -> bound, verified
  missing     DHCP    no file                       -> refused
  badsig      DHCP    signed by an untrusted key    -> refused
  insecure    DHCP    http:// URL                   -> refused

Each refusal is logged and evented once, not at every report; each
binding once. `cordonctl mud list` shows the three with their sources, and
the policy holds their rules, including the same-manufacturer rules the
bulb and the switch (both lighting.example.com) make for each other (and
for the badsig device, whose URL is on that host too). After
a restart of cordond nothing is imported again.
"""

import json
import os
import signal
import time

from cordonlab import gen_pcap, lab_main, make_mud_pki, mud_sign, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
HOME = os.path.join(HERE, "..", "..", "examples", "home.yaml")

BULB, THERMO, SWITCH = "00:16:3e:4d:00:01", "00:16:3e:4d:00:02", "00:16:3e:4d:00:03"
MISSING, BADSIG, INSECURE = "00:16:3e:4d:00:04", "00:16:3e:4d:00:05", "00:16:3e:4d:00:06"
URLS = {
    BULB: "https://lighting.example.com/.well-known/mud/v1/bulb",
    THERMO: "https://sensors.example.com/mud/thermostat.json",
    SWITCH: "https://lighting.example.com/.well-known/mud/v1/switch",
    BADSIG: "https://lighting.example.com/.well-known/mud/v1/badsig",
    INSECURE: "http://insecure.example.com/mud/x",
}


def mud_file(url):
    """A small RFC 8520 file: HTTPS to its cloud, CoAP to its own make."""
    return {
        "ietf-mud:mud": {
            "mud-version": 1, "mud-url": url, "last-update": "2026-11-01T00:00:00+00:00",
            "cache-validity": 48, "is-supported": True, "systeminfo": "Cordon test device",
            "from-device-policy": {"access-lists": {"access-list": [{"name": "fr"}]}}},
        "ietf-access-control-list:acls": {"acl": [{
            "name": "fr", "type": "ipv4-acl-type", "aces": {"ace": [
                {"name": "cloud",
                 "matches": {"ipv4": {"ietf-acldns:dst-dnsname": "cloud.example.com",
                                      "protocol": 6},
                             "tcp": {"destination-port": {"operator": "eq", "port": 443}}},
                 "actions": {"forwarding": "accept"}},
                {"name": "mfg",
                 "matches": {"ietf-mud:mud": {"same-manufacturer": [None]},
                             "ipv4": {"protocol": 17},
                             "udp": {"destination-port": {"operator": "eq", "port": 5683}}},
                 "actions": {"forwarding": "accept"}}]}}]}}


def url_path(mud_dir, url):
    host, _, path = url[len("https://"):].partition("/")
    return os.path.join(mud_dir, host, path.replace("/", "_"))


def write_mud(mud_dir, url, pki=None, who="s"):
    p = url_path(mud_dir, url)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        json.dump(mud_file(url), f, indent=1)
    if pki:
        mud_sign(pki, p, who)
    return p


def events(lab, kind):
    return [e for e in lab.events("--all") if e["kind"] == kind]


def test(lab):
    pki = lab.path("pki")
    make_mud_pki(pki)
    mud_dir = lab.path("mud")
    write_mud(mud_dir, URLS[BULB], pki)
    write_mud(mud_dir, URLS[THERMO])
    write_mud(mud_dir, URLS[SWITCH], pki)
    write_mud(mud_dir, URLS[BADSIG], pki, "o")

    pcap = lab.path("mud.pcap")
    gen_pcap(pcap, "--mix", "mud", "-n", "60",
             "--mud-url", "%s=%s" % (BADSIG, URLS[BADSIG]),
             "--mud-url", "%s=%s" % (INSECURE, URLS[INSECURE]))
    args = ("--mud-dir", mud_dir, "--mud-ca", os.path.join(pki, "ca.pem"),
            "--mud-accept-unsigned")
    cordond = lab.start_cordond(*args)
    rc, _, err = lab.ctl("policy", "apply", HOME)
    assert rc == 0, err
    lab.start_dataplane(["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                         "net_null0,no-rx=1"], "--id", "mud",
                        "--report-interval", "200")

    def bound():
        b = {x["mac"]: x for x in lab.ctl_json("mud", "list").get("bindings", [])}
        return b if {BULB, THERMO, SWITCH} <= set(b) else None

    b = wait_until(bound, 30, "announced MUD URLs were not imported")
    rejected = wait_until(lambda: (lambda r: r if len(r) >= 3 else None)(
        events(lab, "mud_rejected")), 60, "no refusals evented")
    time.sleep(2.0)         # ten more reports: nothing new
    b = bound()
    for mac, src, verified in ((BULB, "dhcp", True), (THERMO, "dhcpv6", False),
                               (SWITCH, "lldp", True)):
        assert b[mac]["source"] == src, b[mac]
        assert b[mac]["mud_url"] == URLS[mac], b[mac]
        assert bool(b[mac].get("verified")) == verified, b[mac]
    assert set(b) == {BULB, THERMO, SWITCH}, sorted(b)
    # Same-manufacturer peers: the other devices whose MUD URL (bound
    # or only announced) is on lighting.example.com: for the bulb, the
    # switch and the badsig device. Cloud + 2 peers + default deny.
    assert b[BULB]["rules"] == 4 and b[BULB]["unresolved"] == 0, b[BULB]
    assert b[THERMO]["unresolved"] == 1, b[THERMO]     # no peer of its make

    applied = events(lab, "mud_applied")
    rejected = events(lab, "mud_rejected")
    print("bindings: %s" % ", ".join("%s %s" % (m, b[m]["source"]) for m in sorted(b)))
    print("events: %d mud_applied, %d mud_rejected" % (len(applied), len(rejected)))
    for e in rejected:
        print("  refused %s: %s" % (e["mac"], e["details"]["reason"]))
    assert sorted(e["mac"] for e in applied) == sorted([BULB, THERMO, SWITCH]), applied
    assert sorted(e["mac"] for e in rejected) == sorted([MISSING, BADSIG, INSECURE]), rejected
    why = {e["mac"]: e["details"]["reason"] for e in rejected}
    assert "No such file" in why[MISSING], why
    assert "verification failed" in why[BADSIG], why
    assert "https" in why[INSECURE], why

    pol = lab.ctl_json("policy", "show")
    mud = [r for r in pol["rules"] if r.get("comment", "").startswith("mud ")]
    by_src = {}
    for r in mud:
        by_src.setdefault(r["src"].get("device"), []).append(r)
    assert set(by_src) == {BULB, THERMO, SWITCH}, sorted(by_src)
    assert any(r["dst"].get("device") == SWITCH and r["ip_proto"] == 17
               for r in by_src[BULB]), by_src[BULB]
    assert any(r["dst"].get("device") == BADSIG for r in by_src[BULB]), by_src[BULB]
    assert any(r["dst"].get("device") == BULB for r in by_src[SWITCH]), by_src[SWITCH]
    assert any(r["dst"].get("dns_name") == "cloud.example.com" for r in by_src[THERMO])

    rc, out, _ = lab.ctl("devices")
    assert rc == 0 and BULB in out

    # Restart: the bindings stay, the same URLs are not imported again.
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0
    cordond = lab.start_cordond(*args)
    wait_until(lambda: lab.ctl_json("status")["dataplanes"] and
               lab.ctl_json("stats")["reports"] and
               "inventory_from_store" not in json.dumps(lab.ctl_json("stats")),
               60, "the dataplane did not report again")
    time.sleep(1.0)
    assert set(bound()) == {BULB, THERMO, SWITCH}
    assert len(events(lab, "mud_applied")) == 3


if __name__ == "__main__":
    lab_main("mudauto", test)
