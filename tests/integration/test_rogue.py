#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Rogue peers against cordond: random bytes on the raw socket, random and
malformed messages inside valid nng framing, unknown types and fields,
oversized messages. cordond must answer each well-framed request with an
Error carrying its request id, count it, and keep serving cordonctl."""

import os
import random
import time

from cordonlab import SpPeer, decode_fields, envelope, lab_main, wait_until

MSG_ERROR = 2
MSG_HELLO = 10
MSG_STATUS_REQUEST = 30
ERR = {1: "bad_version", 2: "decode", 3: "unknown_type", 4: "unknown_field", 5: "unexpected",
       6: "not_registered", 7: "invalid"}


def error_of(body):
    env = decode_fields(body)
    assert env[2][0] == MSG_ERROR, "reply type %s is not MSG_ERROR" % env.get(2)
    err = decode_fields(env[4][0]) if 4 in env else {}
    return ERR.get(err.get(1, [0])[0], "?"), env.get(3, [0])[0]


def served(sock):
    """One well-formed request on a fresh connection gets an answer."""
    try:
        p = SpPeer(sock)
        p.s.settimeout(0.3)
        p.request(1, envelope(3, 1, b"\x08\x2a"))           # MSG_PING nonce 42
        rid, body = p.reply()
        p.close()
        env = decode_fields(body)
        return rid == 1 and env[2][0] == 1 and decode_fields(env[4][0])[1][0] == 42
    except (OSError, AssertionError):
        return False


def test(lab):
    a = lab.args
    rng = random.Random(1234)
    here = os.path.dirname(os.path.abspath(__file__))
    supp = {"LSAN_OPTIONS": "suppressions=%s/lsan-nng1518.supp" % here}
    first = lab.start_cordond(env=supp)
    dp_sock = os.path.join(lab.rundir, "dataplane.sock")
    ctl_sock = os.path.join(lab.rundir, "ctl.sock")

    # 1. Raw random bytes, no SP handshake. Peers that hang up inside
    # the 8-byte handshake hit nng 1.5's listener bug (nng#1518);
    # cordond's watchdog must bring the endpoint back.
    for sock in (dp_sock, ctl_sock):
        for i in range(40):
            n = rng.randrange(1, 8) if i % 2 else rng.randrange(8, 4096)
            try:
                p = SpPeer(sock, handshake=False)
                p.send_raw(bytes(rng.getrandbits(8) for _ in range(n)))
                p.close()
            except OSError:
                pass
        t0 = time.monotonic()
        wait_until(lambda: served(sock), 60, "%s never served again" % sock, 0.1)
        print("%s served again %.2f s after the garbage" % (os.path.basename(sock),
                                                           time.monotonic() - t0))
    assert lab.ctl("status")[0] == 0, "cordond stopped answering after raw garbage"
    restarts = lab.ctl_json("status")["counters"]["listener_restarts"]
    print("listener restarts: %d" % restarts)
    first.terminate()
    assert first.wait(15) == 0, "cordond exit status %s" % first.returncode

    # The rest runs on a fresh cordond with full leak checking.
    lab.start_cordond()

    # 2. Random payloads in valid framing: each gets an Error reply.
    p = SpPeer(dp_sock)
    replies = 0
    for i in range(a.rounds):
        n = rng.randrange(0, 300)
        p.request(i, bytes(rng.getrandbits(8) for _ in range(n)))
        try:
            rid, body = p.reply()
        except OSError as e:
            raise AssertionError("no reply to random request %d (%d bytes): %s" % (i, n, e))
        assert rid == i, "reply to %d carries id %d" % (i, rid)
        env = decode_fields(body)
        assert env[2][0] == MSG_ERROR, "random bytes accepted? %r" % body[:40]
        replies += 1
    p.close()
    print("random messages answered with errors: %d" % replies)

    # 3. Well-formed envelopes that are still wrong.
    cases = [
        (envelope(MSG_HELLO, 7, b"", version=2 << 16), "bad_version"),
        (envelope(4242, 8, b""), "unknown_type"),
        (envelope(1, 9, b"\x08\x01\x78\x07"), "unknown_field"),   # Ack + field 15
        (envelope(MSG_HELLO, 10, b"\x0a\xff\x01x"), "decode"),     # truncated string
        (envelope(MSG_STATUS_REQUEST, 11, b""), "unexpected"),      # CLI request on dp socket
        (envelope(12, 12, b"\x0a\x01x"), "not_registered"),       # report before hello
        (envelope(MSG_HELLO, 13, b"\x0a\x03a b"), "invalid"),      # bad dataplane id
    ]
    p = SpPeer(dp_sock)
    for i, (msg, want) in enumerate(cases):
        p.request(100 + i, msg)
        rid, body = p.reply()
        code, req_id = error_of(body)
        assert rid == 100 + i and code == want, "case %d: got %s, want %s" % (i, code, want)
    p.close()

    # 4. Oversized: beyond the receive limit, nng drops the pipe.
    p = SpPeer(dp_sock)
    try:
        big = 33 << 20
        p.send_raw(b"\x01" + (big + 4).to_bytes(8, "big") + b"\x80\0\0\1" + bytes(1 << 16))
        p.reply()
        raise AssertionError("oversized message was answered")
    except (ConnectionError, OSError):
        pass
    p.close()

    # 5. The CLI socket gets the same treatment.
    p = SpPeer(ctl_sock)
    for i in range(200):
        p.request(i, bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 200))))
        rid, body = p.reply()
        assert rid == i and decode_fields(body)[2][0] == MSG_ERROR
    p.request(999, envelope(MSG_HELLO, 999, b"\x0a\x01x"))   # hello on the CLI socket
    assert error_of(p.reply()[1])[0] == "unexpected"
    p.close()

    st = lab.ctl_json("status")
    c = st["counters"]
    print("cordond counters: %s" % {k: v for k, v in c.items() if v})
    assert c["rejected_decode"] + c["rejected_unknown_type"] + c["rejected_bad_version"] \
        + c["rejected_unknown_field"] >= a.rounds, c
    for k in ("rejected_bad_version", "rejected_unknown_type", "rejected_unknown_field",
              "rejected_decode", "rejected_unexpected", "rejected_not_registered",
              "rejected_invalid"):
        assert c[k] >= 1, "%s not counted" % k
    assert lab.procs[-1].poll() is None, "cordond died"
    rc, out, _ = lab.ctl("status")
    assert rc == 0 and "cordond" in out


if __name__ == "__main__":
    lab_main("rogue", test, lambda ap: ap.add_argument("--rounds", type=int, default=2000))
