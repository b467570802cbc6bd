#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""The dataplane <-> cordond channel over tls+tcp with mutual authentication.

scripts/make-certs.sh makes a CA and certificates, and a second, unrelated
set. cordond listens on tls+tcp://127.0.0.1:PORT requiring client
certificates; a real dataplane dials it with its own. Then:
  - the dataplane registers (cordonctl status) and a policy applied reaches
    it;
  - a dataplane with another's certificate cannot say its id (wire minor
    5: the id is signed with the certificate's key, whose CN must be it);
  - clients with a certificate from the other CA, with none, or without TLS
    at all are refused, and cordond keeps serving the good dataplane (a
    second policy reaches it; the listener was never restarted);
  - missing certificates or files: a clear message and a non-zero exit at
    start, from both programs.
"""

import json
import os
import socket
import ssl
import subprocess

from cordonlab import gen_policy, lab_main, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE_CERTS = os.path.join(HERE, "..", "..", "scripts", "make-certs.sh")
SP_REQ0 = bytes([0, ord("S"), ord("P"), 0, 0, 0x30, 0, 0])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rogue(port, ca, certkey=None, use_tls=True):
    """Try to get an SP handshake out of cordond. True if it answered."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=3)
    try:
        if use_tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(ca)
            if certkey:
                ctx.load_cert_chain(certkey)
            s = ctx.wrap_socket(raw, server_hostname="localhost")
        else:
            s = raw
        s.sendall(SP_REQ0)
        return len(s.recv(8)) == 8
    except (ssl.SSLError, OSError):
        return False
    finally:
        raw.close()


def version_in_force(lab):
    st = lab.ctl_json("status")
    return st["dataplanes"][0]["policy_version"] if st["dataplanes"] else -1


def test(lab):
    certs, other = lab.path("certs"), lab.path("other")
    for d in (certs, other):
        subprocess.run(["bash", MAKE_CERTS, "--client", "tls0", "--client", "tls1", d],
                       check=True, stdout=subprocess.DEVNULL)
    c = lambda f: os.path.join(certs, f)      # noqa: E731
    port = free_port()
    url = "tls+tcp://127.0.0.1:%d" % port

    # Refusals at start: cordond.
    for args, code, text in [
            (["-d", url], 2, "needs --tls-cert and --tls-ca"),
            (["-d", url, "--tls-cert", c("cordond.pem")], 2, "needs --tls-cert and --tls-ca"),
            (["--tls-cert", c("cordond.pem"), "--tls-ca", c("ca.crt")], 2,
             "need a tls+tcp:// --dataplane-url"),
            (["--tls-id-optional"], 2, "need a tls+tcp:// --dataplane-url"),
            (["-d", url, "--tls-cert", c("nope.pem"), "--tls-ca", c("ca.crt")], 1,
             "nope.pem: No such file or directory"),
            (["-d", url, "--tls-cert", c("cordond.crt"), "--tls-key",
              c("dataplane-tls0.key"), "--tls-ca", c("ca.crt")], 1,
             "not a certificate and its private key"),
            (["-d", url, "--tls-cert", c("cordond.crt"), "--tls-ca", c("ca.crt")], 1,
             "no private key in it")]:
        r = subprocess.run([lab.bin("control/cordond"), *args], env=lab.env,
                           capture_output=True, text=True, timeout=10)
        assert r.returncode == code and text in r.stderr, (args, r.returncode, r.stderr)
    os.chmod(c("ca.crt"), 0o000)
    if not os.access(c("ca.crt"), os.R_OK):     # root reads it anyway
        r = subprocess.run([lab.bin("control/cordond"), "-d", url, "--tls-cert",
                            c("cordond.pem"), "--tls-ca", c("ca.crt")], env=lab.env,
                           capture_output=True, text=True, timeout=10)
        assert r.returncode == 1 and "Permission denied" in r.stderr, r.stderr
    os.chmod(c("ca.crt"), 0o644)
    print("cordond: missing or unusable TLS files refused at start")

    lab.start_cordond("-d", url, "--tls-cert", c("cordond.pem"), "--tls-ca", c("ca.crt"))
    dp_tls = ["--control", url, "--tls-cert", c("dataplane-tls0.crt"), "--tls-key",
              c("dataplane-tls0.key"), "--tls-ca", c("ca.crt"),
              "--tls-server-name", "localhost"]

    # Refusals at start: the dataplane.
    for i, (args, text) in enumerate([
            (["--control", url], "needs --tls-cert and --tls-ca"),
            (["--control", url, "--tls-cert", c("dataplane-tls0.pem"), "--tls-ca",
              c("missing.crt")], "missing.crt: No such file or directory")]):
        p = lab.start_dataplane(["net_null0,no-rx=1"], "--id", "bad", *args,
                                prefix="cordon-tls-bad%d-%d" % (i, os.getpid()),
                                log_name="bad%d.log" % i)
        rc = p.wait(30)
        with open(p.log_path) as f:
            log = f.read()
        assert rc != 0 and text in log, (rc, log[-2000:])
    print("dataplane: missing TLS files refused at start")

    lab.start_dataplane(["net_null0,no-rx=1", "net_null1,no-rx=1"], "--id", "tls0", *dp_tls)
    wait_until(lambda: (lab.ctl_json("status")["dataplanes"] or [{}])[0].get("connected"),
               60, "dataplane never registered over TLS")
    pol = gen_policy(lab.path("pol.bin"), "--devices", "3")
    rc, out, err = lab.ctl("--json", "policy", "push", pol)
    assert rc == 0, err
    v1 = json.loads(out)["policy_version"]
    wait_until(lambda: version_in_force(lab) == v1, 60, "policy %d never in force" % v1)
    print("dataplane registered over tls+tcp; policy %d in force" % v1)

    # Another gateway's certificate cannot speak for tls0: not its hello,
    # not its polls. The real tls0 stays registered, once.
    rogue_dp = lab.start_dataplane(
        ["net_null0,no-rx=1"], "--id", "tls0", "--control", url, "--tls-cert",
        c("dataplane-tls1.pem"), "--tls-ca", c("ca.crt"), "--tls-server-name", "localhost",
        prefix="cordon-tls-rogue-%d" % os.getpid(), log_name="rogue.log")
    wait_until(lambda: lab.ctl_json("status")["counters"]["dp_id_refused"] >= 3, 60,
               "tls1's certificate never refused as tls0")
    rogue_dp.terminate()
    assert rogue_dp.wait(30) == 0
    lab.procs.remove(rogue_dp)
    with open(lab.path("cordond.log")) as f:
        log = f.read()
    assert "hello of dataplane 'tls0' refused: its certificate is dataplane 'tls1' (CN), " \
        "not 'tls0'" in log, log[-3000:]
    with open(rogue_dp.log_path) as f:
        assert "cordond refused hello" in f.read()
    st = lab.ctl_json("status")
    assert [(d["dataplane_id"], d["registrations"], d["connected"])
            for d in st["dataplanes"]] == [("tls0", 1, True)], st["dataplanes"]
    print("tls1's certificate as tls0: refused %d times (hello and poll)" %
          st["counters"]["dp_id_refused"])
    rc, out, err = lab.ctl("status")
    assert rc == 0 and "dataplane hellos or polls not proving the id said" in out, out

    # Rogues: another CA, no certificate, no TLS.
    # cordond's own certificate is for servers only (extendedKeyUsage).
    assert not rogue(port, c("ca.crt"), c("cordond.pem"))
    for _ in range(3):
        assert not rogue(port, c("ca.crt"), os.path.join(other, "dataplane-tls0.pem"))
        assert not rogue(port, c("ca.crt"))
        assert not rogue(port, c("ca.crt"), use_tls=False)
    print("clients with another CA's certificate, none, or no TLS: refused")

    rc, out, err = lab.ctl("--json", "policy", "push", pol)
    assert rc == 0, err
    v2 = json.loads(out)["policy_version"]
    wait_until(lambda: version_in_force(lab) == v2, 60, "policy %d never in force" % v2)
    st = lab.ctl_json("status")
    assert len(st["dataplanes"]) == 1 and st["dataplanes"][0]["connected"], st
    assert st["dataplanes"][0]["registrations"] == 1, st
    assert st["counters"]["listener_restarts"] == 0, st["counters"]
    rc, out, err = lab.ctl("--json", "flows")
    assert rc == 0, err
    print("cordond kept serving: policy %d in force, no listener restart" % v2)


if __name__ == "__main__":
    lab_main("tls", test)
