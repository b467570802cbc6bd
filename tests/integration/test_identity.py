#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Device identity end to end: type confidence, model, firmware, old TLS.

A real capture from the shared test data is replayed through
cordon-dataplane with cordond attached: a TP-Link HS110 plug, whose
hostname, discovery reply and TLS say what it is (plug, HS110(FR), firmware
1.2.6, RC4 and export cipher suites in its ClientHello), and the Amazon
Echo that drives it, whose traffic says "voice-assistant" only weakly (its
OUI). A policy sends `type: plug` and `type: voice-assistant` to segments
of their own at the default threshold (70 %):

- the HS110 lands in its segment; the Echo stays in the default segment
  and `cordonctl devices` says why (its type's confidence, the threshold
  and the policy line);
- `cordonctl device MAC` shows model and firmware with their evidence and
  flags the obsolete TLS;
- after cordond restarts with no dataplane, the stored inventory shows the
  same firmware and TLS flags, and the note still stands.
"""

import json
import os
import signal
import subprocess

from cordonlab import lab_main, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
DEVICES = os.path.join(HERE, "..", "..", "..", "shared", "testdata", "devices")
PCAP = os.path.join(DEVICES, "uclouvain-tplink-hs110-plug.pcap")
HS110 = "50:c7:bf:ed:0a:54"
ECHO = "50:dc:e7:a2:d8:95"
POLICY = """\
segments:
  - name: lan
    default: allow
  - name: plugs
    default: allow
  - name: quarantine
default-segment: lan
quarantine-segment: quarantine
devices:
  - type: plug
    segment: plugs
  - type: voice-assistant
    segment: plugs
"""


def offline(lab, pcap, mac):
    """cordon-fingerprint's device object for mac."""
    out = subprocess.run([lab.bin("fingerprint/cordon-fingerprint"), "-r", pcap,
                          "--devices-only"], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        o = json.loads(line)
        if o["mac"] == mac:
            return o
    raise AssertionError("%s: no device %s offline" % (pcap, mac))


def conf(ident, attr):
    return int(ident.get(attr + "_confidence", 0) or 0)


def test(lab):
    want = {m: offline(lab, PCAP, m) for m in (HS110, ECHO)}
    # What the captures teach, as the offline tool says: the premise of
    # the test, so a signature change that moves it fails here first.
    assert want[HS110]["type"]["value"] == "plug" and want[HS110]["type"]["confidence"] >= 70
    assert want[HS110]["firmware"]["value"], want[HS110]
    assert set(want[HS110]["tls"]["obsolete"]) >= {"rc4-ciphers"}, want[HS110]["tls"]
    assert want[ECHO]["type"]["value"] == "voice-assistant"
    assert want[ECHO]["type"]["confidence"] < 70

    cordond = lab.start_cordond()
    vdevs = ["net_pcap0,rx_pcap=%s" % PCAP, "net_null0,no-rx=1"]
    dp = lab.start_dataplane(vdevs, "--id", "ident", "--report-interval", "200")

    def devices():
        rc, out, _ = lab.ctl("--json", "devices")
        return {d["mac"]: d for d in json.loads(out)} if rc == 0 else {}

    # The shapes of traffic replayed at once differ from the capture's,
    # so confidences are not the offline tool's: what is compared is the
    # side of the threshold each lands on, the model and the firmware.
    def identified():
        got = devices()
        hs = (got.get(HS110, {}).get("identity") or {})
        echo = (got.get(ECHO, {}).get("identity") or {})
        ok = (hs.get("type") == "plug" and conf(hs, "type") >= 70 and
              hs.get("model") == want[HS110]["model"]["value"] and
              hs.get("firmware") == want[HS110]["firmware"]["value"] and
              "rc4-ciphers" in hs.get("tls_obsolete", []) and
              echo.get("type") == "voice-assistant" and
              0 < conf(echo, "type") < 70)
        return got if ok else None
    try:
        got = wait_until(identified, 120, "")
    except AssertionError:
        got = devices()
        for m in want:
            print("%s inline: %s" % (m, json.dumps(got.get(m, {}).get("identity"))))
            print("%s offline: %s" % (m, json.dumps({k: want[m].get(k) for k in
                                                       ("type", "firmware", "model", "tls")})))
        raise AssertionError("the plugs' identities never matched the offline tool's")
    for m in want:
        print("%s: type %s %d%%" % (m, got[m]["identity"]["type"],
                                    conf(got[m]["identity"], "type")))

    pol = lab.path("plugs.yaml")
    with open(pol, "w") as f:
        f.write(POLICY)
    rc, out, err = lab.ctl("policy", "apply", pol)
    assert rc == 0, (out, err)

    def placed():
        got = devices()
        return got if (got[HS110].get("segment_name") == "plugs" and
                       got[ECHO].get("segment_name") == "lan") else None
    got = wait_until(placed, 60, "the policy never placed the devices")
    note = got[ECHO].get("segment_note", "")
    print("Echo: %s" % note)
    assert note == ('type voice-assistant at %d%%, below the 70%% that '
                    '"type: voice-assistant" (line 12) asks: default segment lan' %
                    conf(got[ECHO]["identity"], "type")), note
    assert not got[HS110].get("segment_note"), got[HS110]

    rc, out, _ = lab.ctl("devices")
    assert rc == 0
    print(out)
    assert "%s  segment: type voice-assistant at" % ECHO in out, out
    assert "%s  obsolete TLS: " % HS110 in out and "rc4-ciphers" in out, out
    row = next(line.split() for line in out.splitlines() if line.startswith(HS110))
    assert row[3:6] == ["plugs", "TP-Link", "(%d%%)" % conf(got[HS110]["identity"], "vendor")], row

    def device_text():
        rc, out, _ = lab.ctl("device", HS110)
        assert rc == 0, out
        return out
    out = device_text()
    print(out)
    model = want[HS110]["model"]["value"]
    firmware = want[HS110]["firmware"]["value"]
    assert "  model     %s (" % model in out, out
    assert "  firmware  %s (" % firmware in out, out
    assert "  tls       obsolete: " in out and "rc4-ciphers" in out, out
    assert " firmware %s " % firmware in out, out        # its evidence line
    assert " tls rc4-ciphers 100%  tls tls_hello" in out, out

    # The stored inventory: same firmware and flags, same note.
    dp.send_signal(signal.SIGTERM)
    assert dp.wait(20) == 0
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0
    lab.start_cordond()
    stored = devices()
    ident = stored[HS110]["identity"]
    assert ident.get("firmware") == firmware, ident
    assert "rc4-ciphers" in ident.get("tls_obsolete", []), ident
    assert "below the 70%" in stored[ECHO].get("segment_note", ""), stored[ECHO]
    out = device_text()
    assert "  firmware  %s (" % firmware in out, out
    print("after a restart, from the store: firmware %s, TLS %s" % (
        ident["firmware"], ", ".join(ident["tls_obsolete"])))


if __name__ == "__main__":
    lab_main("ident", test)
