#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Send a capture's frames out of an interface at the capture's own pace
(python3 stdlib only; run it in a lab host's namespace, as root).

  replay.py IFACE PCAP [PCAP...] [--src MAC ...] [--from S] [--until S]
            [--start UNIX] [--speed X] [--max-gap S]

Frames are sent as they are, on an AF_PACKET socket, each at its time in
the capture (relative to the capture's first frame, or to --from seconds
into it), divided by --speed; a gap between two frames longer than
--max-gap seconds (after the speed-up) is cut to it. Several captures are
merged into one timeline, each from its own first frame. --src keeps only
the frames sent by those MACs (the attacker's side of a capture whose
victim is a real host of the lab). --start waits for that wall-clock time
before the first frame (several replayers in step).

Prints one line at the end: "sent N first UNIX last UNIX late_ms L": how
many frames went out, the wall-clock times of the first and the last, and
how far behind its time the latest frame was (the machine's load).
Exit 0, or 1 when a capture cannot be read, 2 for bad arguments.
"""

import argparse
import socket
import struct
import sys
import time


def read_capture(path):
    """(seconds, frame) of every Ethernet frame of a pcap or pcapng file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a capture" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1",
                 b"\xa1\xb2\x3c\x4d"):
        e = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        div = 1e9 if magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 1e6
        if struct.unpack(e + "I", data[20:24])[0] != 1:
            raise ValueError("%s: not Ethernet" % path)
        out, off = [], 24
        while off + 16 <= len(data):
            sec, frac, incl, _ = struct.unpack(e + "IIII", data[off:off + 16])
            off += 16
            if off + incl > len(data):
                raise ValueError("%s: cut short" % path)
            out.append((sec + frac / div, data[off:off + incl]))
            off += incl
        return out
    if magic == b"\x0a\x0d\x0d\x0a":
        return read_pcapng(path, data)
    raise ValueError("%s: not pcap or pcapng" % path)


def read_pcapng(path, data):
    out, off, e = [], 0, "<"
    links, res = [], []
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links, res = [], []
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            raise ValueError("%s: cut short" % path)
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            links.append(struct.unpack(e + "H", body[:2])[0])
            r = 1e6
            o = 8
            while o + 4 <= len(body):
                code, ln = struct.unpack(e + "HH", body[o:o + 4])
                if code == 0:
                    break
                if code == 9 and ln >= 1:
                    v = body[o + 4]
                    r = float(2 ** (v & 0x7F)) if v & 0x80 else float(10 ** v)
                o += 4 + ((ln + 3) & ~3)
            res.append(r)
        elif btype == 6:
            iface, hi, lo, cap = struct.unpack(e + "IIII", body[:16])
            if iface < len(links) and links[iface] == 1:
                out.append((((hi << 32) | lo) / res[iface], body[20:20 + cap]))
        elif btype == 3 and links and links[0] == 1:
            out.append((0.0, body[4:]))
        off += blen
    return out


def mac_bytes(s):
    b = bytes(int(x, 16) for x in s.split(":"))
    if len(b) != 6:
        raise argparse.ArgumentTypeError("%s: not a MAC" % s)
    return b


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("iface")
    ap.add_argument("pcaps", nargs="+")
    ap.add_argument("--src", type=mac_bytes, action="append", default=[])
    ap.add_argument("--from", dest="frm", type=float, default=0.0)
    ap.add_argument("--until", type=float, default=None)
    ap.add_argument("--start", type=float, default=None)
    ap.add_argument("--speed", type=float, default=1.0)
    ap.add_argument("--max-gap", type=float, default=None)
    a = ap.parse_args()
    if a.speed <= 0:
        ap.error("--speed must be positive")

    timeline = []
    try:
        for i, p in enumerate(a.pcaps):
            frames = read_capture(p)
            if not frames:
                continue
            t0 = frames[0][0] + a.frm
            for ts, fr in frames:
                rel = ts - t0
                if rel < 0 or (a.until is not None and rel > a.until - a.frm):
                    continue
                if a.src and fr[6:12] not in a.src:
                    continue
                timeline.append((rel / a.speed, i, fr))
    except (OSError, ValueError) as e:
        print("replay.py: %s" % e, file=sys.stderr)
        return 1
    timeline.sort(key=lambda x: (x[0], x[1]))
    # Cut the long gaps: each frame keeps its distance to the one before,
    # at most max_gap.
    if a.max_gap is not None:
        last, shift = 0.0, 0.0
        for k, (t, i, fr) in enumerate(timeline):
            gap = t - last
            if gap > a.max_gap:
                shift += gap - a.max_gap
            last = t
            timeline[k] = (t - shift, i, fr)

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    if a.start is not None:
        while time.time() < a.start:
            time.sleep(min(0.05, a.start - time.time()))
    base = time.monotonic()
    wall0 = time.time()
    late, first, lastw = 0.0, None, None
    for t, _, fr in timeline:
        now = time.monotonic() - base
        if t > now:
            time.sleep(t - now)
        else:
            late = max(late, now - t)
        s.send(fr)
        lastw = wall0 + (time.monotonic() - base)
        if first is None:
            first = lastw
    s.close()
    print("sent %d first %.6f last %.6f late_ms %.1f" % (
        len(timeline), first or 0.0, lastw or 0.0, late * 1000), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
