# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Shared helpers for Cordon's integration tests: real processes only.

Start cordond and cordon-dataplane from the build tree, run cordonctl, read
DPDK telemetry, and speak nng's SP protocol by hand (for rogue peers).
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import traceback
import tempfile
import threading
import time


# Every Lab this process made: run() removes their folders when the test
# passes and keeps them, saying where, when it fails.
_labs = []

# The labs' dataplanes sleep when idle (--idle-sleep, dp_idle.h), so that
# integration tests run side by side on a 2-core machine without their
# busy-polling workers splitting a core between them.
# CORDON_TEST_IDLE_SLEEP=0 runs them busy-polling, as production does by
# default (the bench scripts set it).
IDLE_SLEEP_US = os.environ.get("CORDON_TEST_IDLE_SLEEP", "500")

# The labs' dataplanes keep 131,072 flows (--flows), not the default
# million. A dataplane zeroes its whole flow table as it starts, so that
# the fast path never takes a page fault, and a million flows are 140 MB,
# the most a lab dataplane zeroes. On the 2-vCPU guests, where memory
# touched for the first time is slow while the suite runs, memset and the
# page faults under it (for the flow table, the mbuf pool, the device
# table, the classifier's builds) took a fifth of the machine's CPU in
# cordon-dataplane's main threads (`perf record -a`), and the plain pass
# ran some 5 % faster with the smaller table (393 and 400 s against 368
# and 382, the CPU-seconds alike). No test needs more: the most a lab
# makes is integration-attacks' floods, 20,000 packets a run, four runs
# of each. A test that passes --flows keeps its own; CORDON_TEST_FLOWS
# sets another size, and 0 the dataplane's own default (the bench
# scripts).
FLOWS = os.environ.get("CORDON_TEST_FLOWS", "131072")
FLOWS_ARGS = ("--flows", FLOWS) if FLOWS not in ("", "0") else ()


class Lab:
    def __init__(self, build, name):
        self.build = os.path.abspath(build)
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="cordon-%s-" % name)
        _labs.append(self)
        self.rundir = os.path.join(self.dir, "run")
        self.procs = []
        self.dpdk_dirs = []
        self.statedir = os.path.join(self.dir, "state")
        self.env = dict(os.environ, CORDON_RUNDIR=self.rundir, CORDON_STATE_DIR=self.statedir)

    def path(self, *p):
        return os.path.join(self.dir, *p)

    @property
    def sanitized(self):
        """Whether the build runs under a sanitizer (meson's b_sanitize):
        tests that repeat one path many times repeat it fewer times
        there, where each round costs several times more."""
        try:
            with open(os.path.join(self.build, "meson-info", "intro-buildoptions.json")) as f:
                opts = json.load(f)
        except (OSError, ValueError):
            return False
        return any(o.get("name") == "b_sanitize" and o.get("value") not in ("none", "")
                   for o in opts)

    def bin(self, rel):
        return os.path.join(self.build, rel)

    # -- processes --------------------------------------------------------
    def start_cordond(self, *args, env=None):
        log = open(self.path("cordond.log"), "ab")
        p = subprocess.Popen([self.bin("control/cordond"), "-v", *args],
                             env=dict(self.env, **(env or {})),
                             stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        sock = os.path.join(self.rundir, "ctl.sock")
        wait_until(lambda: os.path.exists(sock) and self.ctl("status")[0] == 0, 30,
                   "cordond did not come up")
        return p

    def start_dataplane(self, vdevs, *args, prefix=None, log_name="dataplane.log", eal=None,
                        env=None, wrap=(), detect=False):
        """wrap: a command prefix, e.g. netlab's exec_prefix() (ip netns
        exec execs: the pid is the dataplane's). detect: run the threat
        detectors (the dataplane's default); off unless asked, because the
        tests replay captures at line rate, which the detectors rightly
        take for floods and contain (test_contain turns them on)."""
        if not detect and "--detect" not in args:
            args = (*args, "--no-detect")
        if "--idle-sleep" not in args:
            args = (*args, "--idle-sleep", IDLE_SLEEP_US)
        if "--flows" not in args:
            args = (*args, *FLOWS_ARGS)
        prefix = prefix or "cordon-%s-%d" % (self.name, os.getpid())
        cmd = [*wrap, self.bin("dataplane/cordon-dataplane"), *(eal or ["-l", "0,1"]), "--no-huge",
               "-m", "512", "--no-pci", "--file-prefix", prefix, "--log-level", "user1,info"]
        for v in vdevs:
            cmd += ["--vdev", v]
        cmd += ["--", *args]
        env = dict(env or {})
        # nng 1.5's leak at close of a request cordond never answered
        # (lsan-nng-close.supp): only the agent's stop path.
        if "LSAN_OPTIONS" not in self.env:
            env.setdefault("LSAN_OPTIONS", "suppressions=%s" % os.path.join(
                os.path.dirname(os.path.abspath(__file__)), "lsan-nng-close.supp"))
        log = open(self.path(log_name), "ab")
        p = subprocess.Popen(cmd, env=dict(self.env, **env), stdout=log,
                             stderr=subprocess.STDOUT)
        # EAL's runtime folder goes with the lab, even where a test stops
        # this dataplane itself and takes it out of procs.
        self.dpdk_dirs.append("/var/run/dpdk/" + prefix)
        p.file_prefix = prefix
        p.log_path = self.path(log_name)
        p.label = "cordon-dataplane"
        self.procs.append(p)
        return p

    def ctl(self, *args, timeout=90):
        # cordonctl waits 5 s for cordond by default; compiling a large
        # policy under ASan on a busy machine may take longer.
        if args and "--timeout" not in args:
            args = ("--timeout", str(int(timeout * 1000 * 2 / 3)), *args)
        r = subprocess.run([self.bin("control/cordonctl"), *args], env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout, r.stderr

    def ctl_json(self, *args):
        rc, out, err = self.ctl("--json", *args)
        if rc != 0:
            raise AssertionError("cordonctl %s failed (%d): %s" % (" ".join(args), rc, err))
        return json.loads(out)

    def events(self, *args):
        """The events `cordonctl events ARGS` prints, oldest first: by
        default the newest 20; "--all" every one, "--since", ID those
        after ID."""
        return self.ctl_json("events", *args)["events"]

    def follow_events(self, timeout_ms):
        """`cordonctl --timeout timeout_ms --json events --follow`, read as
        it prints: .events (one object a line), .said (its stderr lines),
        .proc; .stop() ends it."""
        return EventsFollow(self, timeout_ms)

    def stop_all(self):
        """SIGTERM whatever still runs; each must exit 0 (a crash or, under
        ASan, a leak at exit fails the test). The dataplanes go first, while
        cordond still takes their last reports: stopped together, a report
        in flight when cordond's pipe closes is a message nng 1.5 leaks
        (nng#1643, lsan-nng-close.supp), seen once in the sanitizer pass of
        test_console."""
        running = [p for p in self.procs if p.poll() is None]
        first = [p for p in running if any("cordon-dataplane" in str(a) for a in p.args)]
        bad = self._stop(first)
        return bad + self._stop([p for p in running if p not in first])

    def _stop(self, running):
        for p in running:
            p.send_signal(signal.SIGTERM)
        bad = []
        for p in running:
            try:
                rc = p.wait(15)
            except subprocess.TimeoutExpired:
                # Where it hangs, before it goes (when gdb is there).
                try:
                    bt = subprocess.run(["gdb", "-batch", "-p", str(p.pid), "-ex",
                                         "thread apply all bt 12"], capture_output=True,
                                        text=True, timeout=60).stdout
                except (OSError, subprocess.TimeoutExpired) as e:
                    bt = "(no backtrace: %s)" % e
                print("---- %s hung at SIGTERM ----\n%s" % (
                    getattr(p, "label", os.path.basename(p.args[0])),
                    "\n".join(line for line in bt.splitlines()
                              if line.startswith(("#", "Thread", "(no")))))
                p.kill()
                rc = "hung"
                p.wait()
            if rc != 0:
                bad.append("%s: %s" % (getattr(p, "label", os.path.basename(p.args[0])), rc))
        for d in self.dpdk_dirs:
            shutil.rmtree(d, ignore_errors=True)
        return bad

    def remove_files(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def dump_logs(self):
        for f in sorted(os.listdir(self.dir)):
            if f.endswith(".log"):
                print("---- %s ----" % f)
                with open(self.path(f), errors="replace") as fh:
                    print(fh.read()[-4000:])


class EventsFollow:
    """Lab.follow_events()."""

    def __init__(self, lab, timeout_ms):
        self.events, self.said = [], []
        self.proc = subprocess.Popen([lab.bin("control/cordonctl"), "--timeout",
                                      str(timeout_ms), "--json", "events", "--follow"],
                                     env=lab.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.readers = [
            threading.Thread(target=self._read, daemon=True,
                             args=(self.proc.stdout, self.events, json.loads)),
            threading.Thread(target=self._read, daemon=True,
                             args=(self.proc.stderr, self.said, lambda l: l.rstrip("\n")))]
        for t in self.readers:
            t.start()

    @staticmethod
    def _read(f, into, conv):
        for line in f:
            into.append(conv(line))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)
        for t in self.readers:
            t.join(60)


def wait_until(pred, timeout, what, interval=0.05):
    """Poll pred until it is true. timeout only bounds a failure: pick it
    at least 10x what the step takes on a loaded machine under ASan, and
    never use it as a bar (a test asserts outcomes, not wall-clock time)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError("timed out after %.1fs: %s" % (timeout, what))


def timed_until(pred, timeout, what, interval=0.05, since=None):
    """wait_until, and the seconds it took from since (default: now)."""
    t0 = time.monotonic() if since is None else since
    wait_until(pred, timeout, what, interval)
    return time.monotonic() - t0


def figure(name, seconds, what):
    """Print what a timed step took: a human line, and one FIGURE line that
    scripts/bench.py collects (it runs the tests with --repeat and reports
    medians). Tests print figures; they never assert them."""
    ms = [s * 1000 for s in seconds]
    print("%s: %s ms" % (what, ", ".join("%.0f" % x for x in ms)))
    print("FIGURE %s %s" % (name, " ".join("%.1f" % x for x in ms)), flush=True)


def pcap_count(path):
    """Number of records in a classic pcap file."""
    n = 0
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return 0
        # Microsecond or nanosecond magic, either byte order.
        endian = "<" if hdr[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return n
            incl = struct.unpack(endian + "IIII", rec)[2]
            f.seek(incl, 1)
            n += 1


def gen_policy(out, *args):
    """gen_policy.py, then protoc --encode: a binary cordon.Policy."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..", "..")
    txt = out + ".txtpb"
    subprocess.run([sys.executable, os.path.join(root, "scripts", "gen_policy.py"), "-o", txt,
                    *args], check=True)
    with open(txt) as fi, open(out, "wb") as fo:
        subprocess.run(["protoc", "--encode=cordon.Policy", "--proto_path=" + root + "/proto",
                        root + "/proto/cordon.proto"], stdin=fi, stdout=fo, check=True)
    return out


def final_counters(log_path):
    """(rx, tx, drops) from the line a dataplane prints when it stops."""
    with open(log_path) as f:
        for line in f:
            if line.startswith("cordon-dataplane: total rx"):
                w = line.split()
                return int(w[3]), int(w[5]), int(w[7])
    raise AssertionError("no final counters in %s" % log_path)


def gen_pcap(out, *args):
    here = os.path.dirname(os.path.abspath(__file__))
    gen = os.path.join(here, "..", "..", "scripts", "pcapgen.py")
    subprocess.run([sys.executable, gen, "-o", out, *args], check=True,
                   stderr=subprocess.DEVNULL)


# -- MUD signatures ---------------------------------------------------------
def _sh(cmd, cwd):
    subprocess.run(cmd, shell=True, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_mud_pki(d):
    """In d: a CA (ca.pem), a signer it certifies (s), an unrelated one (o)."""
    os.makedirs(d)
    _sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mud-ca "
        "-keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE "
        "-addext keyUsage=critical,keyCertSign", d)
    _sh("openssl req -newkey rsa:2048 -nodes -subj /CN=signer -keyout s.key -out s.csr", d)
    _sh("printf 'keyUsage=digitalSignature\\n' > ext && openssl x509 -req -in s.csr "
        "-CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext -out s.pem", d)
    _sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other "
        "-keyout o.key -out o.pem", d)


def mud_sign(pki, f, who="s"):
    """f.p7s: a detached DER CMS signature of f by signer who of pki."""
    _sh("openssl cms -sign -binary -in '%s' -signer %s.pem -inkey %s.key -outform DER "
        "-out '%s.p7s'" % (f, who, who, f), pki)


# -- DPDK telemetry -------------------------------------------------------
def telemetry(file_prefix, cmd):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % file_prefix
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    s.recv(16384)                       # greeting
    s.send(cmd.encode())
    data = json.loads(s.recv(1 << 20).decode())
    s.close()
    return data


# -- nng SP protocol over ipc, by hand --------------------------------------
PROTO_REQ0 = 0x30
PROTO_REP0 = 0x31


class SpPeer:
    """A raw nng ipc peer: handshake, then framed messages."""

    def __init__(self, path, proto=PROTO_REQ0, handshake=True):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(3)
        self.s.connect(path)
        if handshake:
            self.s.sendall(bytes([0, ord("S"), ord("P"), 0, proto >> 8, proto & 0xFF, 0, 0]))
            peer = self._recvn(8)
            assert peer[1:3] == b"SP", "bad SP handshake from cordond: %r" % peer

    def _recvn(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise ConnectionError("closed")
            b += c
        return b

    def send_raw(self, data):
        self.s.sendall(data)

    def request(self, req_id, body):
        hdr = struct.pack("!I", 0x80000000 | req_id)
        msg = hdr + body
        self.s.sendall(b"\x01" + struct.pack("!Q", len(msg)) + msg)

    def reply(self):
        self._recvn(1)
        (n,) = struct.unpack("!Q", self._recvn(8))
        msg = self._recvn(n)
        return struct.unpack("!I", msg[:4])[0] & 0x7FFFFFFF, msg[4:]

    def close(self):
        self.s.close()


# -- protobuf by hand (enough for envelopes) --------------------------------
def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def envelope(msg_type, req_id, payload, version=1 << 16):
    return (b"\x08" + varint(version) + b"\x10" + varint(msg_type) + b"\x18" + varint(req_id)
            + b"\x22" + varint(len(payload)) + payload)


def decode_fields(buf):
    """Top-level fields of a protobuf message: {field: [values]}."""
    out, i = {}, 0
    while i < len(buf):
        key, i = _read_varint(buf, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _read_varint(buf, i)
        elif wt == 2:
            n, i = _read_varint(buf, i)
            v, i = buf[i:i + n], i + n
        elif wt == 1:
            v, i = buf[i:i + 8], i + 8
        elif wt == 5:
            v, i = buf[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        out.setdefault(f, []).append(v)
    return out


def _read_varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if not c & 0x80:
            return v, i


def finish(lab, ok):
    """Stop the lab; on success, insist on clean exits."""
    bad = lab.stop_all()
    if ok and bad:
        lab.dump_logs()
        raise AssertionError("unclean exit: %s" % ", ".join(bad))


def lab_main(name, test, options=None):
    """An integration test's main(): --build (and what options(ap) adds,
    in lab.args), a Lab called name, test(lab); the logs when it fails,
    clean exits insisted on when it passes."""
    def main():
        ap = argparse.ArgumentParser()
        ap.add_argument("--build", required=True)
        if options is not None:
            options(ap)
        args = ap.parse_args()
        lab = Lab(args.build, name)
        lab.args = args
        ok = False
        try:
            test(lab)
            ok = True
        except BaseException:
            lab.dump_logs()
            raise
        finally:
            finish(lab, ok)
    run(main)


def labs_done(ok):
    """A test that passed (or skipped) leaves nothing behind: its labs'
    folders go. One that failed keeps them (logs, captures, cordond's
    state) and says where. CORDON_KEEP_LABS=1 keeps them either way."""
    keep = not ok or os.environ.get("CORDON_KEEP_LABS", "") not in ("", "0")
    for lab in _labs:
        if keep:
            print("lab files kept in %s" % lab.dir)
        else:
            lab.remove_files()
    del _labs[:]


def run(main):
    """Run a test main(lab_args) with uniform reporting and exit codes."""
    try:
        main()
    except AssertionError as e:
        labs_done(False)
        # Where it failed, for an assert that carries no message.
        tb = traceback.extract_tb(e.__traceback__)[-1]
        print("FAIL: %s (%s:%d: %s)" % (e, os.path.basename(tb.filename), tb.lineno, tb.line))
        sys.exit(1)
    except SystemExit as e:
        # 77 is meson's skip.
        labs_done(e.code in (None, 0, 77))
        raise
    except BaseException:
        labs_done(False)
        raise
    labs_done(True)
    print("PASS")


def report_counters(log_path):
    """The dataplane's last 'reports made M = acknowledged A + pending P +
    dropped D (queue full F, refused as invalid I); refusals retried R;
    intervals deferred, the queue full E' line, as a dict; asserts that it
    adds up."""
    with open(log_path) as f:
        lines = [l for l in f if l.startswith("cordon-dataplane: reports made") and "=" in l]
    w = lines[-1].replace(",", " ").replace("(", " ").replace(")", " ").replace(";", " ").split()
    v = {"made": int(w[3]), "acked": int(w[6]), "pending": int(w[9]), "dropped": int(w[12]),
         "full": int(w[15]), "invalid": int(w[19]), "refused": int(w[22]),
         "deferred": int(w[28]) if "deferred" in w else 0}
    print("dataplane: %s" % lines[-1].strip())
    assert v["made"] == v["acked"] + v["pending"] + v["dropped"], v
    assert v["dropped"] == v["full"] + v["invalid"], v
    return v


@contextlib.contextmanager
def mounted_statedir(lab, *mount_args):
    """cordond's state directory as a mount of its own: `mount MOUNT_ARGS
    statedir` (inside private_mounts()), lazily unmounted at the end."""
    os.makedirs(lab.statedir)
    subprocess.run(["mount", *mount_args, lab.statedir], check=True)
    try:
        yield lab.statedir
    finally:
        subprocess.run(["umount", "-l", lab.statedir])


def private_mounts():
    """Run this test again in a private mount namespace of its own (what it
    mounts is seen by it and its processes only, and goes with them);
    returns only inside it."""
    if os.environ.get("CORDON_PRIVATE_MOUNTS") != "1":
        sys.exit(subprocess.run(["unshare", "-m", "--propagation", "private",
                                 sys.executable, *sys.argv],
                                env=dict(os.environ, CORDON_PRIVATE_MOUNTS="1")).returncode)
