#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""JA3 conformance: every ClientHello tshark dissects in the shared
captures (TLS over TCP and QUIC Initials) must give the same JA3 string
(tls.handshake.ja3_full) and MD5 (tls.handshake.ja3) in cordon-fingerprint;
and the suricata-verify JA3/JA4/SNI expectations (test.yaml) must hold.

usage: ja3_conformance.py TOOL TESTDATA_DIR
"""

import ipaddress
import os
import sys

from fpcommon import captures, report, run_tool, suricata_tests, tshark_fields


def first(v):
    return v.split('|')[0] if v else ''


def tshark_hellos(pcap):
    rows = tshark_fields(pcap, 'tls.handshake.type == 1',
                         ['ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst',
                          'tcp.srcport', 'udp.srcport', 'tcp.dstport',
                          'udp.dstport', 'tls.handshake.ja3_full',
                          'tls.handshake.ja3'])
    res = []
    for r in rows:
        r += [''] * (10 - len(r))
        # innermost addresses (tunnels put the outer ones first)
        src = (r[0] or r[1]).split('|')[-1]
        dst = (r[2] or r[3]).split('|')[-1]
        sport = first(r[4] or r[5])
        dport = first(r[6] or r[7])
        fulls = r[8].split('|') if r[8] else []
        hashes = r[9].split('|') if r[9] else []
        for full, h in zip(fulls, hashes):
            res.append(((str(ipaddress.ip_address(src)), int(sport),
                         str(ipaddress.ip_address(dst)), int(dport)),
                        full, h))
    return res


# Documented divergence from Suricata, following the JA4 specification
# (technical_details/JA4.md, "Extension hash": "If there are no signature
# algorithms in the hello packet, then the string ends without an
# underscore and is hashed"). This TLS 1.0 ClientHello has extensions
# 0005,000a,000b,0017,0023,ff01 and no signature_algorithms extension:
# Suricata hashes "...,ff01_" (ce66f3b797c1); the specification, FoxIO's
# JA4_r output for such hellos and we hash "...,ff01" (c39ab67fec8e).
SPEC_OVERRIDES = {
    ('bug-5713-02-ja4', 'tls.ja4'): 't10i070600_c50f5591e341_c39ab67fec8e',
}


def suricata_checks(tool, tdir, details):
    """tls.ja3.*, tls.ja4, tls.sni and quic.ja4 expectations."""
    checked = mism = 0
    for d, spec, pcaps in suricata_tests(tdir):
        obs = None
        for chk in spec.get('checks', []):
            m = chk.get('filter', {}).get('match', {})
            et = m.get('event_type')
            want = {k: v for k, v in m.items()
                    if k.startswith(('tls.ja3.', 'tls.ja4', 'tls.sni',
                                     'quic.ja4'))}
            if et not in ('tls', 'quic') or not want:
                continue
            for k in list(want):
                o = SPEC_OVERRIDES.get((os.path.basename(d), k))
                if o:
                    print('spec override: %s %s: %s instead of Suricata\'s '
                          '%s' % (os.path.basename(d), k, o, want[k]))
                    want[k] = o
            if obs is None:
                obs = run_tool(tool, pcaps[0])
            kind = 'quic' if et == 'quic' else 'tls'
            ours = [o for o in obs if o['kind'] == kind]
            ok = 0
            for o in ours:
                got = {'tls.ja3.string': o['ja3_string'],
                       'tls.ja3.hash': o['ja3'], 'tls.ja4': o['ja4'],
                       'quic.ja4': o['ja4'], 'tls.sni': o.get('sni')}
                if all(got[k] == v for k, v in want.items()):
                    ok += 1
            count = chk['filter'].get('count', 1)
            checked += 1
            # count is the number of matching events Suricata logs; we must
            # have at least one ClientHello with those values
            if (count > 0 and ok == 0) or (count == 0 and ok > 0):
                mism += 1
                details.append('suricata-verify %s: %s (we have %d '
                               'matching)' % (os.path.basename(d), want, ok))
    return checked, mism


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: ja3_conformance.py CORDON-FINGERPRINT TESTDATA-DIR')
    tool, tdir = sys.argv[1], sys.argv[2]
    checked = mism = 0
    details = []
    for pcap in captures(tdir):
        ref = tshark_hellos(pcap)
        if not ref:
            continue
        mine = {}
        for o in run_tool(tool, pcap):
            if o['kind'] in ('tls', 'quic'):
                key = (o['src'], o['sport'], o['dst'], o['dport'])
                mine.setdefault(key, []).append((o['ja3_string'], o['ja3']))
        for key, full, h in ref:
            checked += 1
            lst = mine.get(key, [])
            if (full, h) in lst:
                lst.remove((full, h))
            else:
                mism += 1
                details.append('%s %s: tshark %s %s, ours %s' % (
                    os.path.basename(pcap), key, full, h, lst))
    print('ja3 vs tshark: %d ClientHellos checked, %d mismatches' %
          (checked, mism))
    sc, sm = suricata_checks(tool, tdir, details)
    print('suricata-verify tls/quic checks: %d checked, %d mismatches' %
          (sc, sm))
    report('ja3', checked + sc, mism + sm, details)


if __name__ == '__main__':
    main()
