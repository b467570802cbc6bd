#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""`cordonctl mud import/list/remove` against the real cordond.

 - Signature policy (cordond --mud-ca, no --mud-accept-unsigned): a file
   signed by a certificate the anchors vouch for is imported; unsigned,
   tampered and wrongly signed files are refused with exit 1 and a clear
   error, and nothing is stored or applied (same bindings, same version).
 - A binding is durable and part of every version: its rules are in the
   policy after import, and stay through quarantine, rollback and a
   restart of cordond; `mud remove` takes them out.
 - Every file of the shared MUD test data either imports (the 21 MUD
   files, as `mud check` finds) or is refused with exit 1 and a message
   naming the file (--mud-accept-unsigned).
 - Events: mud_applied, mud_rejected, mud_removed.
"""

import json
import os
import shutil
import signal

from cordonlab import lab_main, make_mud_pki, mud_sign

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
TESTDATA = os.path.join(ROOT, "..", "shared", "testdata")
LUM = os.path.join(TESTDATA, "mud", "cisco-luminaire", "Luminaire_150.json")
LUM_URL = "https://luminaire.example.com/Luminaire_150"
DEV = "00:16:3e:10:01:50"
HOME = os.path.join(ROOT, "examples", "home.yaml")


def mud_rules(lab, mac):
    pol = lab.ctl_json("policy", "show")
    return [r for r in pol.get("rules", [])
            if r.get("comment", "").startswith("mud ") and
            (r.get("src") or {}).get("device") == mac]


def bindings(lab):
    return {b["mac"]: b for b in lab.ctl_json("mud", "list").get("bindings", [])}


def version(lab):
    return int(lab.ctl_json("status").get("policy_version", 0))


def refused(lab, *args):
    rc, out, err = lab.ctl("mud", "import", *args)
    assert rc == 1, (args, rc, out, err)
    assert err.strip(), "no error message for %s" % (args,)
    return err.strip()


def test(lab):
    pki = lab.path("pki")
    make_mud_pki(pki)
    files = lab.path("files")
    os.makedirs(files)
    lum = os.path.join(files, "lum.json")
    shutil.copy(LUM, lum)
    mud_sign(pki, lum)
    unsigned = os.path.join(files, "unsigned.json")
    shutil.copy(LUM, unsigned)
    wrong = os.path.join(files, "wrong.json")
    shutil.copy(LUM, wrong)
    mud_sign(pki, wrong, "o")
    tampered = os.path.join(files, "tampered.json")
    shutil.copy(LUM, tampered)
    mud_sign(pki, tampered)
    with open(tampered) as f:
        t = f.read()
    with open(tampered, "w") as f:
        f.write(t.replace("5684", "5685"))

    ctx = os.path.join(ROOT, "examples", "mud-context-luminaire.yaml")
    cordond = lab.start_cordond("--mud-ca", os.path.join(pki, "ca.pem"),
                                "--mud-context", ctx)

    # Usage errors: exit 2.
    for args in ([], ["x.json"], ["x.json", "--device", "zz"],
                 ["x.json", "--device", "01:00:5e:00:00:01"],
                 ["x.json", "--device", DEV, "--vlan", "4096"],
                 ["x.json", "--device", DEV, "--bogus"]):
        rc, _, err = lab.ctl("mud", "import", *args)
        assert rc == 2, (args, rc, err)
    rc, out, _ = lab.ctl("mud", "import", "--help")
    assert rc == 0 and "import FILE --device MAC" in out
    rc, _, err = lab.ctl("mud", "import", lab.path("missing.json"), "--device", DEV)
    assert rc == 1 and "missing.json" in err, err

    # Before any policy: recorded, in force with the first one.
    rc, out, err = lab.ctl("mud", "import", lum, "--device", DEV)
    assert rc == 0, err
    assert "signature verified" in out and "first policy" in out, out
    b = bindings(lab)[DEV]
    assert b["verified"] and b["source"] == "cli" and b["mud_url"] == LUM_URL, b
    assert b["rules"] == 5, b
    rc, out, err = lab.ctl("policy", "apply", HOME)
    assert rc == 0, err
    v1 = version(lab)
    rules = mud_rules(lab, DEV)
    assert len(rules) == 5, rules
    # The luminaire context's static DNS and my-controller resolved.
    assert any((r["dst"].get("cidr") or {}).get("addr") == "172.12.212.10/32"
               or "172.12.212.10" in json.dumps(r["dst"]) for r in rules), rules

    # Refused: nothing stored, nothing applied.
    before = bindings(lab)
    why = [refused(lab, unsigned, "--device", "00:16:3e:10:01:51"),
           refused(lab, wrong, "--device", DEV),
           refused(lab, tampered, "--device", DEV)]
    print("refused:\n  " + "\n  ".join(why))
    assert "unsigned" in why[0] and "--mud-accept-unsigned" in why[0]
    assert "verification failed" in why[1] and "verification failed" in why[2]
    assert bindings(lab) == before
    assert version(lab) == v1

    # Quarantine and rollback keep the MUD rules.
    rc, _, err = lab.ctl("quarantine", DEV)
    assert rc == 0, err
    pol = lab.ctl_json("policy", "show")
    assert DEV in pol.get("quarantined", []) and len(mud_rules(lab, DEV)) == 5
    rc, _, err = lab.ctl("policy", "rollback", str(v1))
    assert rc == 0, err
    assert len(mud_rules(lab, DEV)) == 5

    # Durable across a restart.
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0
    cordond = lab.start_cordond("--mud-ca", os.path.join(pki, "ca.pem"),
                                "--mud-context", ctx)
    assert bindings(lab)[DEV]["sha256"] == b["sha256"]
    assert len(mud_rules(lab, DEV)) == 5
    rc, out, _ = lab.ctl("mud", "list")
    assert rc == 0 and LUM_URL in out and "verified" in out, out

    # Remove: a version without its rules.
    v = version(lab)
    rc, out, err = lab.ctl("mud", "remove", DEV)
    assert rc == 0, err
    assert version(lab) > v and mud_rules(lab, DEV) == []
    assert DEV not in bindings(lab)
    rc, _, err = lab.ctl("mud", "remove", DEV)
    assert rc == 1 and "no MUD file" in err, err

    kinds = [e["kind"] for e in lab.events("--all")]
    assert kinds.count("mud_applied") == 1, kinds
    assert kinds.count("mud_rejected") == 3, kinds
    assert kinds.count("mud_removed") == 1, kinds

    # Every shared MUD test file, unsigned accepted: imports or is
    # refused clearly, and a refusal leaves the last good binding.
    cordond.send_signal(signal.SIGTERM)
    assert cordond.wait(10) == 0
    cordond = lab.start_cordond("--mud-accept-unsigned")
    n_ok = n_refused = 0
    last_sha = None
    for dirpath, _, names in sorted(os.walk(os.path.join(TESTDATA, "mud"))):
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            with open(path, errors="replace") as f:
                is_mud = '"ietf-mud:mud"' in f.read()
            rc, out, err = lab.ctl("mud", "import", path, "--device", DEV)
            rel = os.path.relpath(path, TESTDATA)
            if is_mud:
                assert rc == 0, (rel, err)
                n_ok += 1
                last_sha = bindings(lab)[DEV]["sha256"]
            else:
                assert rc == 1, (rel, rc, out)
                assert path in err, (rel, err)
                n_refused += 1
                assert last_sha is None or bindings(lab)[DEV]["sha256"] == last_sha
    print("shared MUD data through mud import: %d imported, %d refused" % (
        n_ok, n_refused))
    assert n_ok == 21 and n_refused > 0


if __name__ == "__main__":
    lab_main("mudimp", test)
