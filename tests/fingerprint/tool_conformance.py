#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""cordon-fingerprint as a program: exits 0 with valid JSON lines (common
fields present, one device object per MAC at the end) on every shared
capture, including the malformed tcpdump ones; unreadable, truncated and
corrupt files give a one-line error and a non-zero exit, never a crash.

usage: tool_conformance.py TOOL TESTDATA_DIR
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

from fpcommon import report

KINDS = {'tls', 'quic', 'dhcp', 'dhcpv6', 'tcp_syn', 'tcp_synack',
         'dns_query', 'dns_answer', 'mdns', 'ssdp', 'http', 'lldp',
         'discovery', 'device'}


def run(tool, *args):
    return subprocess.run([tool] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False, timeout=120)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: tool_conformance.py CORDON-FINGERPRINT TESTDATA-DIR')
    tool, tdir = sys.argv[1], sys.argv[2]
    checked = bad = 0
    details = []
    files = sorted(glob.glob(os.path.join(tdir, 'ja4', 'pcap', '*')) +
                   glob.glob(os.path.join(tdir, 'tcpdump', '*.pcap')) +
                   glob.glob(os.path.join(tdir, 'suricata-verify', '**',
                                          '*.pcap'), recursive=True))
    lines = 0
    for f in files:
        checked += 1
        p = run(tool, '-r', f)
        err = None
        if p.returncode != 0:
            err = 'exit %d: %s' % (p.returncode, p.stderr[:200])
        else:
            macs, devs = set(), set()
            for line in p.stdout.decode('utf-8').splitlines():
                lines += 1
                try:
                    o = json.loads(line)
                except ValueError as e:
                    err = 'bad JSON %s: %s' % (e, line[:100])
                    break
                if not isinstance(o, dict) or o.get('kind') not in KINDS:
                    err = 'bad object: %s' % line[:100]
                    break
                if o['kind'] == 'device':
                    devs.add(o['mac'])
                    continue
                for k in ('ts', 'src', 'dst', 'frame'):
                    if k not in o:
                        err = 'missing %s: %s' % (k, line[:100])
                if o.get('mac'):
                    macs.add(o['mac'])
            # every unicast sender of an observation is a device; devices
            # that only sent other traffic are there too, all unicast
            unicast = {m for m in macs if not int(m[:2], 16) & 1}
            if err is None and not unicast <= devs:
                err = 'no device objects for %s' % sorted(unicast - devs)
            if err is None and any(int(m[:2], 16) & 1 for m in devs):
                err = 'multicast device objects %s' % sorted(devs)
        if err:
            bad += 1
            details.append('%s: %s' % (os.path.basename(f), err))
    print('tool: %d captures, %d JSON lines' % (len(files), lines))

    # Bad input files.
    src = os.path.join(tdir, 'ja4', 'pcap', 'tls12.pcap')
    blob = open(src, 'rb').read()
    with tempfile.TemporaryDirectory() as td:
        cases = {
            'missing': os.path.join(td, 'does-not-exist.pcap'),
            'empty': os.path.join(td, 'empty.pcap'),
            'garbage': os.path.join(td, 'garbage.pcap'),
            'truncated': os.path.join(td, 'truncated.pcap'),
            'bad-record': os.path.join(td, 'bad-record.pcap'),
        }
        open(cases['empty'], 'wb').close()
        open(cases['garbage'], 'wb').write(b'\x17\x42not a capture' * 50)
        open(cases['truncated'], 'wb').write(blob[:len(blob) // 2 + 7])
        # a record header claiming an absurd captured length
        open(cases['bad-record'], 'wb').write(
            blob[:24] + b'\0' * 8 + b'\xff\xff\xff\x7f' + b'\0\0\0\1' +
            b'x' * 64)
        for name, path in sorted(cases.items()):
            checked += 1
            p = run(tool, '-r', path)
            errl = p.stderr.decode(errors='replace').strip().splitlines()
            if p.returncode <= 0 or len(errl) != 1:
                bad += 1
                details.append('%s file: exit %d, stderr %r' % (
                    name, p.returncode, errl))
            for line in p.stdout.decode('utf-8').splitlines():
                json.loads(line)
    checked += 1
    p = run(tool, '--help')
    if p.returncode != 0 or b'Usage' not in p.stdout:
        bad += 1
        details.append('--help: exit %d' % p.returncode)
    report('cordon-fingerprint', checked, bad, details)


if __name__ == '__main__':
    main()
