#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The detectors' evaluation, through cordon-detect:

 1. ../shared/testdata/detect/LABELS.tsv: each attack capture raises an
    alert of the labelled kind on the attacker's MAC, at severity
    quarantine for scans, brute force and floods; the benign captures cause
    no quarantine and at most one alert per device-day;
 2. the synthetic attacks of gen_attacks.py (its labels.tsv): the same;
 3. every benign capture there is (scripts/pcapgen.py's demo and bench
    mixes, testdata ja4, suricata-verify, tcpdump, devices): no quarantine;
    alerts per device-hour reported.

Prints a table: capture, expected, got, time to detect from the first
attack packet (capture time). Exit status 1 if a check fails.

usage: detect_eval.py TOOL TESTDATA_DIR WORK_DIR
"""

import csv
import glob
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")

KINDS = {
    "scan-icmp": {"scan_icmp"},
    "scan-tcp": {"scan_horizontal", "scan_vertical"},
    "scan-arp": {"scan_arp"},
    "bruteforce-ssh": {"bruteforce"},
    "bruteforce-telnet": {"bruteforce"},
    "c2-beacon": {"beacon"},
    "flood": {"flood_syn", "flood_udp", "flood_icmp", "amplification"},
}
QUARANTINE = {"scan_horizontal", "scan_vertical", "scan_icmp", "scan_arp",
              "scan_nd", "bruteforce", "flood_syn", "flood_udp",
              "flood_icmp", "amplification"}


def run(tool, path, opts=()):
    p = subprocess.run([tool, "-r", path] + list(opts), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False, timeout=600)
    alerts, summary = [], None
    if p.returncode != 0:
        return None, None, "exit %d: %s" % (p.returncode,
                                            p.stderr.decode()[:200])
    for line in p.stdout.decode().splitlines():
        o = json.loads(line)
        if o["type"] == "alert":
            alerts.append(o)
        elif o["type"] == "summary":
            summary = o
    if summary is None:
        return None, None, "no summary"
    return alerts, summary, None


def check_attack(alerts, mac, want, first_ts):
    """The first alert of a wanted kind on mac: (ok, got, ttd_ms, why)."""
    got = sorted({"%s/%s" % (a["detector"], a["severity"]) for a in alerts
                  if a["mac"] == mac})
    hit = [a for a in alerts if a["mac"] == mac and a["detector"] in want]
    if not hit:
        return False, got, None, "no %s alert on %s" % ("|".join(sorted(want)),
                                                         mac)
    a = min(hit, key=lambda x: x["ts"])
    ttd = (a["ts"] - first_ts) * 1000.0 if first_ts is not None else None
    if a["detector"] in QUARANTINE and a["severity"] != "quarantine":
        return False, got, ttd, "%s is %s, not quarantine" % (
            a["detector"], a["severity"])
    return True, got, ttd, ""


def check_benign(alerts, summary):
    """No quarantine, at most one alert per device-day."""
    if summary["quarantine"]:
        return False, "%d quarantine alerts" % summary["quarantine"]
    days = max(1, math.ceil(summary["duration_s"] / 86400.0))
    per = {}
    for a in alerts:
        per[a["mac"]] = per.get(a["mac"], 0) + 1
    over = {m: n for m, n in per.items() if n > days}
    if over:
        return False, "more than one alert per device-day: %s" % over
    return True, ""


def fmt_ttd(ttd):
    # an alert in the first packet's microsecond can print as -0.0
    return "-" if ttd is None else "%.1f ms" % max(ttd, 0.0)


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: detect_eval.py CORDON-DETECT TESTDATA-DIR WORK-DIR')
    tool, tdir, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    rows, failures = [], []
    tot = {"files": 0, "hours": 0.0, "alerts": 0, "quarantine": 0,
           "devices": 0}
    by_det = {}

    def account(alerts, summ):
        tot["files"] += 1
        tot["hours"] += summ["device_hours"]
        tot["alerts"] += summ["alerts"]
        tot["quarantine"] += summ["quarantine"]
        tot["devices"] += summ["devices"]
        for a in alerts:
            by_det[a["detector"]] = by_det.get(a["detector"], 0) + 1

    # 1. the shared labels
    lab = os.path.join(tdir, "detect", "LABELS.tsv")
    with open(lab) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            path = os.path.join(tdir, "detect", r["file"])
            alerts, summ, err = run(tool, path)
            if err:
                failures.append("%s: %s" % (r["file"], err))
                continue
            if r["kind"] == "attack":
                want = KINDS.get(r["attack"], set())
                ok, got, ttd, why = check_attack(alerts, r["attacker_mac"],
                                                 want,
                                                 float(r["first_attack_ts"]))
                rows.append((r["file"], r["attack"], " ".join(got) or "-",
                             fmt_ttd(ttd), "ok" if ok else "FAIL " + why))
            else:
                ok, why = check_benign(alerts, summ)
                account(alerts, summ)
                rows.append((r["file"], "benign",
                             " ".join(sorted({"%s/%s" % (a["detector"],
                                                         a["severity"])
                                              for a in alerts})) or "-",
                             "-", "ok" if ok else "FAIL " + why))
            if not ok:
                failures.append("%s: %s" % (r["file"], why))

    # 2. synthetic attacks
    synth = os.path.join(work, "synthetic")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_attacks.py"),
                    synth], check=True)
    with open(os.path.join(synth, "labels.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            path = os.path.join(synth, r["file"])
            alerts, summ, err = run(tool, path, r["options"].split())
            if err:
                failures.append("%s: %s" % (r["file"], err))
                continue
            if r["kind"] == "attack":
                want = set(r["attack"].split("|"))
                ok, got, ttd, why = check_attack(alerts, r["alert_mac"], want,
                                                 float(r["first_attack_ts"]))
                rows.append(("synthetic/" + r["file"], r["attack"],
                             " ".join(got) or "-", fmt_ttd(ttd),
                             "ok" if ok else "FAIL " + why))
            else:
                ok, why = check_benign(alerts, summ)
                account(alerts, summ)
                if ok and alerts:
                    ok, why = False, "%d alerts" % len(alerts)
                rows.append(("synthetic/" + r["file"], "benign",
                             " ".join(a["detector"] for a in alerts) or "-",
                             "-", "ok" if ok else "FAIL " + why))
            if not ok:
                failures.append("%s: %s" % (r["file"], why))

    # 3. every benign capture
    mixes = os.path.join(work, "mixes")
    os.makedirs(mixes, exist_ok=True)
    gen = [sys.executable, os.path.join(ROOT, "scripts", "pcapgen.py")]
    for name, args in (
            ("demo-iot", ["--mix", "iot", "-n", "20000", "--gateway-out",
                          os.path.join(mixes, "demo-gateway.pcap")]),
            ("bench-established", ["--mix", "policy", "--devices", "1000",
                                   "--flows-per-device", "4", "-n", "20000"]),
            ("bench-new-flows", ["--mix", "policy", "--devices", "1000",
                                 "--unique", "-n", "20000"]),
            ("flows", ["--mix", "flows", "-n", "20000"]),
            ("newflows", ["--mix", "newflows", "-n", "20000"]),
            ("mud", ["--mix", "mud"]),
            ("dns", ["--mix", "dns", "--gateway-out",
                     os.path.join(mixes, "dns-gateway.pcap")])):
        subprocess.run(gen + args + ["-o", os.path.join(mixes, name + ".pcap")],
                       check=True, stderr=subprocess.DEVNULL)
    files = sorted(glob.glob(os.path.join(mixes, "*.pcap")))
    for sub, pat in (("ja4", "pcap/*"), ("suricata-verify", "**/*.pcap"),
                     ("tcpdump", "*.pcap"), ("devices", "*.pcap*")):
        files += sorted(glob.glob(os.path.join(tdir, sub, pat),
                                  recursive=True))
    for path in files:
        alerts, summ, err = run(tool, path)
        if err:
            failures.append("%s: %s" % (path, err))
            continue
        account(alerts, summ)
        if summ["quarantine"]:
            failures.append("%s: %d quarantine alerts on a benign capture" %
                            (path, summ["quarantine"]))
        if alerts:
            rows.append((os.path.relpath(path, tdir) if path.startswith(tdir)
                         else os.path.basename(path), "benign",
                         " ".join(sorted({"%s/%s" % (a["detector"],
                                                     a["severity"])
                                          for a in alerts})), "-",
                         "ok" if not summ["quarantine"] else "FAIL"))

    w = max(len(r[0]) for r in rows) if rows else 10
    print("%-*s  %-22s  %-40s  %-12s  %s" % (w, "capture", "expected", "got",
                                             "detect", "result"))
    for r in rows:
        print("%-*s  %-22s  %-40s  %-12s  %s" % (w, r[0], r[1], r[2], r[3],
                                                 r[4]))
    print("\nbenign captures (labelled, synthetic and the rest): %d captures, "
          "%d devices, %.1f device-hours, "
          "%d alerts (%s), %d quarantine: %.4f alerts per device-hour" %
          (tot["files"], tot["devices"], tot["hours"], tot["alerts"],
           ", ".join("%s %d" % kv for kv in sorted(by_det.items())) or "none",
           tot["quarantine"],
           tot["alerts"] / tot["hours"] if tot["hours"] else 0.0))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
