# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""JA4 of SSLv2-compatible ClientHellos against FoxIO's ja4.py.

FoxIO's reference (python/ja4.py and common.py of FoxIO-LLC/ja4) does not
parse packets itself: it reads tshark's "-T ek" fields and builds JA4 from
them. For a ClientHello it takes the handshake type and version, the
"ciphersuite", "extension_type", "server_name", "supported_version" and
"alpn_str" fields, treats missing ones as empty lists, prints 00 for empty
counts and 000000000000 for empty hashes, and maps the version through its
table (0x0002 s2, 0x0300 s3, 0x0301 10 ... 0x0304 13, else 00).

An SSLv2-compatible hello (RFC 5246 appendix E.2) is shown by tshark with
a handshake type and version, and its 3-byte cipher specs as
"cipherspec" fields, not "ciphersuite": ja4.py therefore sees no cipher
suites, no extensions, no SNI and no ALPN. This script builds such hellos
(and, to check the oracle itself, ordinary TLS hellos) with scapy, runs
tshark on them, derives what ja4.py prints from tshark's fields the way
ja4.py does, and compares with cordon-fingerprint.
"""

import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, '/usr/lib/python3/dist-packages')
from scapy.all import IP, IPv6, TCP, Ether, Raw, wrpcap  # noqa: E402

from fpcommon import report, run_tool  # noqa: E402

VERSIONS = {'0x0002': 's2', '0x0300': 's3', '0x0301': '10',
            '0x0302': '11', '0x0303': '12', '0x0304': '13'}
GREASE = {'0x%02x%02x' % (b, b) for b in range(0x0a, 0x100, 0x10)}


def sslv2_hello(version, specs, session=b''):
    chal = bytes(range(16))
    cs = b''.join(struct.pack('>I', s)[1:] for s in specs)
    body = (bytes([1]) + struct.pack('>HHHH', version, len(cs),
                                     len(session), len(chal)) +
            cs + session + chal)
    return struct.pack('>H', 0x8000 | len(body)) + body


def tls_hello(sni):
    """A small TLS 1.2 ClientHello with SNI, ALPN and signature_algorithms."""
    def ext(t, d):
        return struct.pack('>HH', t, len(d)) + d
    name = sni.encode()
    exts = ext(0, struct.pack('>HBH', len(name) + 3, 0, len(name)) + name)
    exts += ext(10, struct.pack('>H', 4) + b'\x00\x1d\x00\x17')
    exts += ext(13, struct.pack('>H', 4) + b'\x04\x03\x08\x04')
    exts += ext(16, struct.pack('>H', 3) + b'\x02h2')
    ciphers = b'\xc0\x2f\xc0\x30\x00\x9c\x00\x2f'
    body = (b'\x03\x03' + bytes(32) + b'\x00' +
            struct.pack('>H', len(ciphers)) + ciphers + b'\x01\x00' +
            struct.pack('>H', len(exts)) + exts)
    hs = b'\x01' + struct.pack('>I', len(body))[1:] + body
    return b'\x16\x03\x01' + struct.pack('>H', len(hs)) + hs


def flow(pkts, c, s, sport, payload, v6=False):
    ip = IPv6 if v6 else IP
    e = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')
    r = Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')
    pkts.append(e / ip(src=c, dst=s) / TCP(sport=sport, dport=443,
                                            flags='S', seq=1000))
    pkts.append(r / ip(src=s, dst=c) / TCP(sport=443, dport=sport,
                                            flags='SA', seq=5000, ack=1001))
    pkts.append(e / ip(src=c, dst=s) / TCP(sport=sport, dport=443,
                                            flags='A', seq=1001, ack=5001))
    pkts.append(e / ip(src=c, dst=s) / TCP(sport=sport, dport=443,
                                            flags='PA', seq=1001,
                                            ack=5001) / Raw(payload))


def listify(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def sha12(items):
    return hashlib.sha256(','.join(items).encode()).hexdigest()[:12]


def ja4py(tls):
    """What ja4.py's to_ja4 prints for one tshark EK "tls" layer."""
    exts = ['0x%04x' % int(x) for x in
            listify(tls.get('tls_tls_handshake_extension_type'))]
    ciphers = listify(tls.get('tls_tls_handshake_ciphersuite'))
    ext_len = '%02d' % min(len([x for x in exts if x not in GREASE]), 99)
    sigs = []
    if '0x000d' in exts:
        sigs = [x[2:] for x in listify(tls.get('tls_tls_handshake_sig_hash_alg'))
                if x not in GREASE]
    ext_hex = [x[2:] for x in exts if x not in GREASE]
    sorted_ext = sorted(x for x in ext_hex if x not in ('0000', '0010'))
    raw_ext = ','.join(sorted_ext)
    raw_ext_o = ','.join(ext_hex)
    if sigs:
        raw_ext += '_' + ','.join(sigs)
        raw_ext_o += '_' + ','.join(sigs)
    if exts:
        h_ext = hashlib.sha256(raw_ext.encode()).hexdigest()[:12]
        h_ext_o = hashlib.sha256(raw_ext_o.encode()).hexdigest()[:12]
    else:
        h_ext = h_ext_o = '000000000000'
    c = [x[2:] for x in ciphers if x not in GREASE]
    if c:
        n_c = '%02d' % min(len(c), 99)
        h_c, h_c_o = sha12(sorted(c)), sha12(c)
    else:
        n_c, h_c, h_c_o = '00', '000000000000', '000000000000'
    sni = 'd' if 'tls_tls_handshake_extensions_server_name' in tls else 'i'
    ver = listify(tls.get('tls_tls_handshake_version'))[0]
    sv = [x for x in listify(tls.get(
        'tls_tls_handshake_extensions_supported_version')) if x not in GREASE]
    if sv:
        ver = sorted(sv)[-1]
    alpn = listify(tls.get('tls_tls_handshake_extensions_alpn_str'))
    alpn = alpn[0] if alpn else '00'
    if len(alpn) > 2:
        alpn = alpn[0] + alpn[-1]
    if ord(alpn[0]) > 127:
        alpn = '99'
    a = 't%s%s%s%s%s' % (VERSIONS.get(ver, '00'), sni, n_c, ext_len, alpn)
    return {'ja4': '%s_%s_%s' % (a, h_c, h_ext),
            'ja4_o': '%s_%s_%s' % (a, h_c_o, h_ext_o),
            'ja4_r': '%s_%s_%s' % (a, ','.join(sorted(c)), raw_ext),
            'ja4_ro': '%s_%s_%s' % (a, ','.join(c), raw_ext_o)}


def tshark_hellos(pcap):
    p = subprocess.run(['tshark', '-r', pcap, '-T', 'ek', '-n'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=True)
    out = {}
    for line in p.stdout.decode().splitlines():
        if '"layers"' not in line:
            continue
        pkt = json.loads(line)
        layers = pkt['layers']
        tls = layers.get('tls')
        if isinstance(tls, list):
            tls = next((t for t in tls if 'tls_tls_handshake_type' in t),
                       None)
        if not tls or listify(tls.get('tls_tls_handshake_type'))[0] != '1':
            continue
        out[int(layers['frame']['frame_frame_number'])] = ja4py(tls)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: sslv2_conformance.py CORDON-FINGERPRINT')
    tool = sys.argv[1]
    rc4_export = [0x000039, 0x000038, 0x000035, 0x000016, 0x000013,
                  0x00000a, 0x000033, 0x000032, 0x00002f, 0x000005,
                  0x000004, 0x010080, 0x030080, 0x000015, 0x000012,
                  0x000009, 0x060040, 0x000014, 0x000011, 0x000008,
                  0x000006, 0x040080, 0x000003, 0x020080, 0x0000ff]
    pkts = []
    flow(pkts, '192.168.1.50', '203.0.113.7', 40000,
         sslv2_hello(0x0301, rc4_export))
    flow(pkts, '192.168.1.50', '203.0.113.7', 40001,
         sslv2_hello(0x0300, [0x00000a, 0x000005, 0x000004, 0x0000ff]))
    flow(pkts, '192.168.1.50', '203.0.113.7', 40002,
         sslv2_hello(0x0002, [0x010080, 0x030080, 0x0700c0]))
    flow(pkts, '192.168.1.50', '203.0.113.7', 40003,
         sslv2_hello(0x0303, [0x00002f, 0x000035], bytes(16)))
    flow(pkts, 'fd00::50', 'fd00::7', 40004,
         sslv2_hello(0x0301, [0x00002f, 0x000005]), v6=True)
    flow(pkts, '192.168.1.50', '203.0.113.8', 40005,
         tls_hello('example.com'))
    checked = bad = 0
    details = []
    with tempfile.TemporaryDirectory() as td:
        pcap = os.path.join(td, 'sslv2.pcap')
        wrpcap(pcap, pkts)
        ref = tshark_hellos(pcap)
        ours = {o['frame']: o for o in run_tool(tool, pcap)
                if o['kind'] == 'tls'}
    if len(ref) != 6:
        bad += 1
        details.append('tshark saw %d ClientHellos, not 6' % len(ref))
    for frame, want in sorted(ref.items()):
        got = ours.get(frame)
        checked += 1
        if not got:
            bad += 1
            details.append('frame %d: no tls observation' % frame)
            continue
        for k, v in want.items():
            if got.get(k) != v:
                bad += 1
                details.append('frame %d: %s %s, ja4.py %s' % (
                    frame, k, got.get(k), v))
        print('frame %d: %s (%s)' % (frame, got['ja4'],
                                     ','.join(got.get('obsolete', []))))
    # the hygiene flags of the first hello: SSLv2 record, TLS 1.0 at most,
    # RC4 and export suites, SSL 2.0 cipher kinds
    first = ours.get(min(ref)) if ref else None
    flags = set(first.get('obsolete', [])) if first else set()
    checked += 1
    if flags != {'sslv2-hello', 'sslv2-ciphers', 'tls1.0-max',
                 'export-ciphers', 'rc4-ciphers'}:
        bad += 1
        details.append('flags of the first hello: %s' % sorted(flags))
    report('JA4 of SSLv2-compatible hellos vs ja4.py', checked, bad, details)


if __name__ == '__main__':
    main()
