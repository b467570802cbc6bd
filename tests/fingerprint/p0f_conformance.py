#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""p0f conformance: every SYN and SYN+ACK signature that `p0f -r` reports
on the shared captures must be produced, byte for byte, by
cordon-fingerprint (tcp_syn / tcp_synack "p0f" field) for the same flow.

usage: p0f_conformance.py TOOL TESTDATA_DIR [P0F_DB]
"""

import ipaddress
import os
import subprocess
import sys
import tempfile

from fpcommon import captures, report, run_tool


def norm(hostport):
    host, port = hostport.rsplit('/', 1)
    return str(ipaddress.ip_address(host)), int(port)


def p0f_sigs(pcap, db):
    with tempfile.TemporaryDirectory() as td:
        log = os.path.join(td, 'p0f.log')
        args = ['p0f', '-r', pcap, '-o', log]
        if db:
            args += ['-f', db]
        p = subprocess.run(args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
        if not os.path.exists(log):
            return None
        res = []
        for line in open(log, encoding='utf-8', errors='replace'):
            f = dict(kv.split('=', 1) for kv in
                     line.strip().split('] ', 1)[1].split('|') if '=' in kv)
            if f.get('mod') not in ('syn', 'syn+ack'):
                continue
            res.append((f['mod'], norm(f['cli']), norm(f['srv']),
                        f['raw_sig'], f.get('os', '???')))
        return res


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit('usage: p0f_conformance.py CORDON-FINGERPRINT TESTDATA-DIR [P0F-FP]')
    tool, tdir = sys.argv[1], sys.argv[2]
    db = sys.argv[3] if len(sys.argv) > 3 else None
    checked = mism = files = 0
    os_checked, os_mism = [0], [0]
    syn = synack = 0
    details = []
    td = tempfile.TemporaryDirectory()
    extra = []
    try:
        import p0f_synthetic
        extra.append(os.path.join(td.name, 'p0f-synthetic.pcap'))
        p0f_synthetic.write(extra[0])
    except ImportError:
        print('scapy not available: synthetic SYNs skipped')
    for pcap in captures(tdir) + extra:
        ref = p0f_sigs(pcap, db)
        if ref is None:
            continue
        files += 1
        if not ref:
            continue
        mine = {}
        labels = {}
        for o in run_tool(tool, pcap, devices=False, db=db):
            if o['kind'] == 'tcp_syn':
                key = ('syn', (o['src'], o['sport']), (o['dst'], o['dport']))
            elif o['kind'] == 'tcp_synack':
                key = ('syn+ack', (o['dst'], o['dport']),
                       (o['src'], o['sport']))
            else:
                continue
            mine.setdefault(key, []).append(o['p0f'])
            lab = o.get('p0f_label')
            # "s:unix:Linux:3.11 and newer" -> p0f's "Linux 3.11 and newer"
            os_name = '???'
            if lab:
                parts = lab.split(':', 3)
                os_name = parts[2] + (' ' + parts[3] if parts[3] else '')
            labels.setdefault((key, o['p0f']), []).append(os_name)
        for mod, cli, srv, sig, os_ref in ref:
            lk = ((mod, cli, srv), sig)
            if labels.get(lk):
                os_checked[0] += 1
                got = labels[lk].pop(0)
                if got != os_ref:
                    os_mism[0] += 1
                    details.append('%s %s %s: p0f os %r, ours %r' % (
                        os.path.basename(pcap), mod, cli, os_ref, got))
            checked += 1
            if mod == 'syn':
                syn += 1
            else:
                synack += 1
            lst = mine.get((mod, cli, srv), [])
            if sig in lst:
                lst.remove(sig)
            else:
                mism += 1
                details.append('%s %s %s %s: p0f %s, ours %s' % (
                    os.path.basename(pcap), mod, cli, srv, sig, lst))
    print('p0f: %d captures, %d SYN and %d SYN+ACK signatures' %
          (files, syn, synack))
    print('p0f OS labels (p0f.fp matching): checked %d, mismatches %d' %
          (os_checked[0], os_mism[0]))
    report('p0f signatures and labels', checked + os_checked[0],
           mism + os_mism[0], details)


if __name__ == '__main__':
    main()
