#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The programs' command lines: help, usage errors, exit codes, and one
clear line when cordond is not there."""

import os
import stat
import subprocess

from cordonlab import lab_main


def runp(lab, prog, *args):
    r = subprocess.run([lab.bin(prog), *args], env=lab.env, capture_output=True, text=True,
                       timeout=20)
    return r.returncode, r.stdout, r.stderr


def test(lab):
    # No cordond: non-zero exit and exactly one clear line.
    for cmd in (["stats"], ["status"], ["--json", "stats"]):
        rc, out, err = lab.ctl(*cmd)
        lines = err.strip().splitlines()
        print("no cordond: cordonctl %s -> %d: %s" % (" ".join(cmd), rc, err.strip()))
        assert rc == 3, "exit %d" % rc
        assert out == "", "stdout not empty: %r" % out
        assert len(lines) == 1, "want one line, got %r" % lines
        assert "cannot reach cordond" in lines[0] and "ctl.sock" in lines[0]

    # Usage errors: exit 2, one line naming the problem.
    usage = [
        (["bogus"], "unknown command 'bogus'"),
        (["stats", "--bogus"], "unknown option '--bogus'"),
        (["stats", "a", "b"], "unexpected argument 'b'"),
        (["status", "x"], "unexpected argument 'x'"),
        (["--timeout", "abc", "status"], "--timeout"),
        (["--timeout", "0", "status"], "--timeout"),
        (["--socket", "/not/a/url", "status"], "not an nng URL"),
        (["--socket"], "needs a value"),
        ([], "Usage"),
    ]
    for args, want in usage:
        rc, out, err = lab.ctl(*args)
        assert rc == 2, "cordonctl %s: exit %d" % (args, rc)
        assert want in err, "cordonctl %s: %r lacks %r" % (args, err, want)

    # --help everywhere, exit 0, on stdout.
    for args in (["--help"], ["-h"], ["status", "--help"], ["stats", "--help"]):
        rc, out, err = lab.ctl(*args)
        assert rc == 0 and "Usage" in out, "cordonctl %s: %d %r" % (args, rc, err)
    rc, out, _ = lab.ctl("--help")
    assert "Exit codes" in out
    rc, out, _ = lab.ctl("--version")
    assert rc == 0 and out.startswith("cordonctl ")

    for prog, bad in (("control/cordond", ["--bogus"]),
                      ("control/cordond", ["--report-interval", "5"]),
                      ("control/cordond", ["--ctl-url", "nope"]),
                      ("control/cordond", ["--report-retention", "0.0001s"]),
                      ("control/cordond", ["--report-retention", "-1d"]),
                      ("control/cordond", ["--report-retention", "4000d"]),
                      ("control/cordond", ["--device-retention", "1x"]),
                      ("control/cordond", ["--event-retention", ""]),
                      ("control/cordond", ["--alert-retention", "-5m"]),
                      ("control/cordond", ["--dataplane-retention", "-7d"]),
                      # shorter than twice --inventory-refresh
                      ("control/cordond", ["--device-retention", "90s"]),
                      ("dataplane/cordon-dataplane", ["--", "--burst", "65"]),
                      ("dataplane/cordon-dataplane", ["--", "--bogus"])):
        rc, out, err = runp(lab, prog, *bad)
        assert rc == 2, "%s %s: exit %d (%s)" % (prog, bad, rc, err)
        assert len(err.strip().splitlines()) == 1, "%s %s: %r" % (prog, bad, err)
    for prog in ("control/cordond", "dataplane/cordon-dataplane"):
        rc, out, err = runp(lab, prog, "--help")
        assert rc == 0 and "Usage" in out, "%s --help: %d" % (prog, rc)

    # The CLI socket is the owner's alone. The second cordond below hangs up
    # on this one's listeners mid-handshake (nng#1518): see the file.
    here = os.path.dirname(os.path.abspath(__file__))
    lab.start_cordond(env={"LSAN_OPTIONS": "suppressions=%s/lsan-nng1518.supp" % here})
    mode = stat.S_IMODE(os.stat(os.path.join(lab.rundir, "ctl.sock")).st_mode)
    print("ctl.sock mode %o" % mode)
    assert mode == 0o600, "ctl.sock mode %o" % mode
    rc, out, err = lab.ctl("status")
    assert rc == 0 and "0 dataplanes" in out, out
    rc, out, err = lab.ctl("stats", "nope")
    assert rc == 1 and "no such dataplane" in err, (rc, err)
    # A second cordond on the same state directory refuses (its lock);
    # on the same sockets with its own state, it must not steal them.
    rc, out, err = runp(lab, "control/cordond")
    assert rc == 1 and "in use by another cordond" in err, (rc, err)
    rc, out, err = runp(lab, "control/cordond", "--state-dir", lab.path("state2"))
    assert rc == 1 and "cannot listen" in err, (rc, err)
    rc, out, err = lab.ctl("status")
    assert rc == 0


if __name__ == "__main__":
    lab_main("cli", test)
