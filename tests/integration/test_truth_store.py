#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Never lie, never lose: cordond's store and state directory (issue 11).

Each case is one an operator or an attacker hit, replayed against the real
cordond and cordonctl (no dataplane needed):

 - private by default: the state directory 0700, cordond.db, its WAL and
   SHM, the lock file and backups 0600, under umask 022;
 - one cordond per state directory: a second refuses, naming the pid;
 - a plain tcp:// dataplane listener on a non-loopback address is refused
   unless --insecure-listen (logged); loopback is accepted;
 - a corrupt store (garbage in the middle, zeros, a torn file, a bad
   header) is refused at start with a message that says how to recover;
   `cordond --restore BACKUP` brings back everything up to the backup
   taken with `cordonctl backup FILE`;
 - a store from before cordond set auto_vacuum says so (at start and in
   --check-config), and `cordond --compact` makes it shrink: refused under
   a running cordond, and with --restore;
 - a quarantine after a pushed compiled policy makes a version with the
   device quarantined (and a release one without);
 - `policy history --json`: real rule and device counts, signed, and
   whether a dataplane has it in force; `policy diff` across a MUD import
   and a quarantine shows the change.
"""

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess

from cordonlab import gen_policy, lab_main, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
HOME = os.path.join(ROOT, "examples", "home.yaml")
LUM = os.path.join(ROOT, "..", "shared", "testdata", "mud", "cisco-luminaire",
                   "Luminaire_150.json")
DEV = "24:0a:c4:5e:6f:70"


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def run_cordond(lab, *args, timeout=30):
    """cordond in the foreground, for the runs that must refuse to start."""
    r = subprocess.run([lab.bin("control/cordond"), *args], env=lab.env,
                       capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr


def some_port():
    """A port for a listener: refused before it binds, or bound on every
    address of this host only (its own namespace's)."""
    return 20000 + os.getpid() % 30000


def stop(p):
    p.send_signal(signal.SIGTERM)
    assert p.wait(20) == 0


def history(lab):
    return lab.ctl_json("policy", "history", "--all")["versions"]


def case_private(lab):
    old = os.umask(0o022)
    try:
        d = lab.start_cordond()
    finally:
        os.umask(old)
    rc, out, err = lab.ctl("policy", "apply", HOME)
    assert rc == 0, err
    st = lab.statedir
    print("modes: dir %o, db %o, wal %o, shm %o" % (
        mode(st), mode(st + "/cordond.db"), mode(st + "/cordond.db-wal"),
        mode(st + "/cordond.db-shm")))
    assert mode(st) == 0o700
    for f in ("cordond.db", "cordond.db-wal", "cordond.db-shm", "cordond.lock"):
        assert mode(os.path.join(st, f)) == 0o600, f
    return d


def case_second(lab, d):
    other = dict(lab.env, CORDON_RUNDIR=lab.path("run2"))
    r = subprocess.run([lab.bin("control/cordond")], env=other, capture_output=True,
                       text=True, timeout=30)
    print("second cordond: exit %d: %s" % (r.returncode, r.stderr.strip()))
    assert r.returncode != 0
    assert str(d.pid) in r.stderr, "the holder's pid is not named"
    # The first one still serves.
    assert lab.ctl("status")[0] == 0


def case_listen(lab):
    port = some_port()
    rc, out = run_cordond(lab, "--rundir", lab.path("run3"), "--state-dir",
                          lab.path("st3"), "--dataplane-url", "tcp://0.0.0.0:%d" % port)
    print("tcp://0.0.0.0: exit %d: %s" % (rc, out.strip()))
    assert rc == 2 and "--insecure-listen" in out
    # With the explicit option it starts, and says so.
    env = dict(lab.env, CORDON_RUNDIR=lab.path("run3"), CORDON_STATE_DIR=lab.path("st3"))
    log = open(lab.path("insecure.log"), "wb")
    p = subprocess.Popen([lab.bin("control/cordond"), "--dataplane-url",
                          "tcp://0.0.0.0:%d" % port, "--insecure-listen"], env=env,
                         stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "insecure" in open(lab.path("insecure.log")).read(), 30,
                   "--insecure-listen not logged")
        assert p.poll() is None
    finally:
        stop(p)


def corrupt(path, how):
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        if how == "garbage":
            f.seek(size // 2 // 4096 * 4096)
            f.write(os.urandom(4096))
        elif how == "zeros":
            f.seek(4096)
            f.write(bytes(8192))
        elif how == "torn":
            f.truncate(size // 2 // 4096 * 4096 + 100)
        elif how == "header":
            f.write(b"not an sqlite file at all")


def case_corrupt(lab, d):
    # Enough versions that the file has many pages.
    for i in range(12):
        rc, out, err = lab.ctl("quarantine" if i % 2 == 0 else "release",
                               "02:00:00:00:00:%02x" % (i // 2 + 1))
        assert rc == 0, err
    rc, out, err = lab.ctl("backup", lab.path("b1.db"))
    print("backup: %s%s" % (out.strip(), err.strip()))
    assert rc == 0, err
    assert mode(lab.path("b1.db")) == 0o600
    at_backup = [v["version"] for v in history(lab)]
    # Not under a running cordond.
    rc, out = run_cordond(lab, "--restore", lab.path("b1.db"))
    assert rc == 1 and "in use by another cordond" in out, (rc, out)
    stop(d)
    db = os.path.join(lab.statedir, "cordond.db")
    pristine = lab.path("pristine.db")
    shutil.copy(db, pristine)
    for how in ("garbage", "zeros", "torn", "header"):
        shutil.copy(pristine, db)
        for f in (db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.unlink(f)
        corrupt(db, how)
        rc, out = run_cordond(lab)
        print("%s: exit %d: %s" % (how, rc, out.strip()))
        assert rc != 0, "a corrupt store (%s) was served" % how
        assert "--restore" in out, "no recovery path in the message"
        assert "out of memory" not in out
        rc, out = run_cordond(lab, "--restore", lab.path("b1.db"))
        print("restore: exit %d: %s" % (rc, out.strip()))
        assert rc == 0, out
        assert mode(db) == 0o600
        d = lab.start_cordond()
        got = [v["version"] for v in history(lab)]
        assert got == at_backup, (got, at_backup)
        stop(d)
    # A backup that is itself corrupt is refused, and changes nothing.
    shutil.copy(lab.path("b1.db"), lab.path("bad.db"))
    corrupt(lab.path("bad.db"), "garbage")
    rc, out = run_cordond(lab, "--restore", lab.path("bad.db"))
    print("restore of a corrupt backup: exit %d: %s" % (rc, out.strip()))
    assert rc != 0
    rc, out, err = lab.ctl("keygen", "--dir", lab.statedir)
    assert rc == 0, err
    assert mode(os.path.join(lab.statedir, "policy-signing.key")) == 0o600
    d = lab.start_cordond("--mud-accept-unsigned")
    # Backups into the state directory: 0700 and 0600 as well.
    rc, out, err = lab.ctl("backup")
    assert rc == 0, err
    b = out.strip().split(" to ")[-1]
    assert mode(os.path.dirname(b)) == 0o700 and mode(b) == 0o600, out
    return d


def case_compact(lab, d):
    db = os.path.join(lab.statedir, "cordond.db")
    rc, out = run_cordond(lab, "--compact")
    print("compact under a running cordond: exit %d: %s" % (rc, out.strip()))
    assert rc == 1 and "in use by another cordond" in out, (rc, out)
    rc, out = run_cordond(lab, "--compact", "--restore", db)
    assert rc == 2 and "one at a time" in out, (rc, out)
    before = [v["version"] for v in history(lab)]
    stop(d)
    rc, out = run_cordond(lab, "--check-config")
    assert "gives freed pages back" in out, out
    # As a store made before auto_vacuum is.
    con = sqlite3.connect(db)
    con.execute("PRAGMA auto_vacuum = NONE")
    con.execute("VACUUM")
    con.close()
    rc, out = run_cordond(lab, "--check-config")
    print([l for l in out.splitlines() if "store" in l])
    assert rc == 0 and "only stops growing: cordond --compact" in out, out
    d = lab.start_cordond()
    stop(d)
    with open(lab.path("cordond.log")) as f:
        assert "run cordond --compact once" in f.read()
    rc, out = run_cordond(lab, "--compact")
    print("compact: exit %d: %s" % (rc, out.strip()))
    assert rc == 0 and "compacted" in out, out
    assert mode(db) == 0o600
    rc, out = run_cordond(lab, "--check-config")
    assert "gives freed pages back" in out, out
    d = lab.start_cordond("--mud-accept-unsigned")
    got = [v["version"] for v in history(lab)]
    assert got == before, (got, before)
    return d


def case_pushed_quarantine(lab):
    pbin = gen_policy(lab.path("p.bin"), "--devices", "8", "--rules", "20")
    rc, out, err = lab.ctl("policy", "push", pbin)
    assert rc == 0, err
    pushed = lab.ctl_json("policy", "show")
    rc, out, err = lab.ctl("quarantine", DEV)
    print("quarantine after push: exit %d: %s%s" % (rc, out.strip(), err.strip()))
    assert rc == 0, err
    pol = lab.ctl_json("policy", "show")
    assert pol["version"] > pushed["version"], "no new version"
    q = [m for m in pol.get("quarantined", [])]
    assert DEV in json.dumps(q), "the device is not quarantined in the policy: %s" % q
    assert len(pol.get("rules", [])) == len(pushed.get("rules", []))
    rc, out, err = lab.ctl("release", DEV)
    assert rc == 0, err
    pol = lab.ctl_json("policy", "show")
    assert DEV not in json.dumps(pol.get("quarantined", [])), "not released"
    assert len(pol.get("rules", [])) == len(pushed.get("rules", []))
    # A rollback to the pushed version: composed on it, as it is now.
    rc, out, err = lab.ctl("policy", "rollback", str(pushed["version"]))
    assert rc == 0, err
    top = history(lab)[0]
    assert top["rollback_of"] == pushed["version"] and top["base_version"] == pushed["version"]
    assert top["rules"] == len(pushed.get("rules", [])), top


def case_history(lab):
    rc, out, err = lab.ctl("policy", "apply", HOME)
    assert rc == 0, err
    print("apply: %s" % out.strip())
    assert "no dataplane is connected" in out and "in force nowhere" in out, \
        "'in force' claimed with no dataplane: %s" % out
    h = history(lab)
    top = h[0]
    print("history[0]: %s" % json.dumps(top))
    pol = lab.ctl_json("policy", "show")
    assert top["rules"] == len(pol.get("rules", [])) and top["rules"] > 0
    assert top["devices"] == len(pol.get("devices", []))
    assert top.get("is_signed") is True, "signed with a key, history says not"
    assert not top.get("applied_unix_ms"), "applied with no dataplane"
    v0 = top["version"]
    rc, out, err = lab.ctl("mud", "import", LUM, "--device", "00:16:3e:10:01:50")
    assert rc == 0, err
    v1 = history(lab)[0]["version"]
    rc, out, err = lab.ctl("policy", "diff", str(v0), str(v1))
    print("diff across a MUD import:\n%s" % out)
    assert rc == 0 and out.strip(), "policy diff across a MUD import printed nothing"
    assert "00:16:3e:10:01:50" in out
    rc, out, err = lab.ctl("quarantine", DEV)
    v2 = history(lab)[0]["version"]
    rc, out, err = lab.ctl("policy", "diff", str(v1), str(v2))
    print("diff across a quarantine:\n%s" % out)
    assert rc == 0 and DEV in out


def case_small_truths(lab):
    for prog in ("control/cordond", "control/cordonctl", "dataplane/cordon-dataplane",
                 "fingerprint/cordon-fingerprint", "detect/tool/cordon-detect"):
        r = subprocess.run([lab.bin(prog), "--version"], capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0 and r.stdout.startswith(os.path.basename(prog) + " "), \
            (prog, r.returncode, r.stdout, r.stderr)
    # Reasons have a length limit; control characters never reach the
    # operator's terminal.
    rc, out, err = lab.ctl("quarantine", DEV, "--reason", "x" * 300)
    assert rc == 2 and "at most" in err, (rc, err)
    bad = lab.path("bad\x1b[2J.yaml")
    with open(bad, "w") as f:
        f.write("version: [\n")
    rc, out, err = lab.ctl("policy", "apply", bad)
    print("a refused file with an escape in its name: %r" % err.strip())
    assert rc == 1 and "\x1b" not in err and "\\x1b" in err, err
    rc, out, err = lab.ctl("mud", "check", LUM)
    assert rc == 0 and "PRIO" in out and not out.lstrip().startswith("{"), out
    rc, out, err = lab.ctl("mud", "check", "--json", LUM)
    assert rc == 0 and json.loads(out)["rules"], out


def test(lab):
    d = case_private(lab)
    case_second(lab, d)
    case_small_truths(lab)
    case_listen(lab)
    d = case_corrupt(lab, d)
    d = case_compact(lab, d)
    case_pushed_quarantine(lab)
    case_history(lab)
    stop(d)


if __name__ == "__main__":
    lab_main("truth-store", test)
