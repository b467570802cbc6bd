# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Device identification on real captures (../shared/testdata/devices).

Runs cordon-fingerprint over every capture of LABELS.tsv, with the first
10 seconds, the first minute and all of the traffic, and reports for each
how many labelled devices got the right vendor, type and model. Fails when
a device gets a wrong type or vendor at 70 % confidence or more (a
confident wrong answer is what a policy would act on), or when the type
or vendor accuracy over all of the traffic falls below the bars of issue
12 (80 % and 95 %).

Matching: the type must be the label's word. A vendor matches when one of
its words is one of the label's (ignoring legal suffixes): "TP-Link" for
"TP-Link (Kasa)". A model matches when one of its model-like words
contains or is contained in one of the label's ("HS110(FR)" for "HS110").
Labels whose model is "not stated" are not counted for models.
"""

import csv
import json
import os
import re
import subprocess
import sys

from fpcommon import report

WINDOWS = (('10 s', '10'), ('1 min', '60'), ('all', None))
CONFIDENT = 70
TYPE_BAR, VENDOR_BAR = 0.80, 0.95
STOP = {'inc', 'ltd', 'co', 'corp', 'corporation', 'technology',
        'technologies', 'international', 'electronics', 'global', 'the',
        'smart', 'home', 'systems', 'group', 'module', 'ecosystem', 'not',
        'stated', 'per', 'and', 'of'}


def words(s):
    """Lower-case alphanumeric words, punctuation inside a word dropped."""
    out = []
    for w in re.split(r'[\s()/;,_]+', s or ''):
        w = re.sub(r'[^0-9a-z]', '', w.lower())
        if w:
            out.append(w)
    return out


def vendor_ok(got, label):
    lw = set(words(label)) - STOP
    return any(w in lw for w in set(words(got)) - STOP if len(w) >= 2)


def model_ok(got, label):
    gw = [w for w in words(got) if len(w) >= 4 or re.search(r'\d', w)]
    lw = [w for w in words(label) if len(w) >= 4 or re.search(r'\d', w)]
    for g in gw:
        for lab in lw:
            if g == lab or (min(len(g), len(lab)) >= 4 and
                            (g in lab or lab in g)):
                return True
    return False


def run(tool, path, secs):
    args = [tool, '-r', path, '--devices-only']
    if secs:
        args += ['--max-seconds', secs]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False, timeout=300)
    if p.returncode != 0:
        raise RuntimeError('%s: exit %d: %s' % (path, p.returncode,
                                                p.stderr[:300]))
    devs = {}
    for line in p.stdout.decode('utf-8').splitlines():
        o = json.loads(line)
        if o.get('kind') == 'device':
            devs[o['mac']] = o
    return devs


def attr(dev, name):
    a = (dev or {}).get(name)
    return (a['value'], a['confidence']) if a else (None, 0)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: device_conformance.py CORDON-FINGERPRINT TESTDATA-DIR')
    tool, tdir = sys.argv[1], sys.argv[2]
    ddir = os.path.join(tdir, 'devices')
    with open(os.path.join(ddir, 'LABELS.tsv'), encoding='utf-8') as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    checked = bad = 0
    details = []
    summary = []
    for wname, secs in WINDOWS:
        cache = {}
        n = ok_v = ok_t = n_m = ok_m = typed = seen = seen_t = 0
        wrong = []
        lines = []
        for r in rows:
            f = r['file']
            if f not in cache:
                cache[f] = run(tool, os.path.join(ddir, f), secs)
            dev = cache[f].get(r['device_mac'])
            v, vc = attr(dev, 'vendor')
            t, tc = attr(dev, 'type')
            m, _ = attr(dev, 'model')
            n += 1
            vok = v is not None and vendor_ok(v, r['vendor'])
            tok = t == r['type']
            seen += dev is not None
            seen_t += dev is not None and tok
            ok_v += vok
            ok_t += tok
            typed += t is not None
            if not r['model'].startswith('not stated'):
                n_m += 1
                ok_m += m is not None and model_ok(m, r['model'])
            if t is not None and not tok and tc >= CONFIDENT:
                wrong.append('%s %s: type %s at %d%%, label %s' % (
                    f, r['device_mac'], t, tc, r['type']))
            if v is not None and not vok and vc >= CONFIDENT:
                wrong.append('%s %s: vendor %s at %d%%, label %s' % (
                    f, r['device_mac'], v, vc, r['vendor']))
            lines.append('  %-38s %-17s %-3s %-16s %3s %-3s %-22s %s' % (
                f[:38], r['device_mac'], 'ok' if tok else '--',
                t or '-', tc if t else '', 'ok' if vok else '--',
                (v or '-')[:22], m or '-'))
        print('window %s: vendor %d/%d (%.0f%%), type %d/%d (%.0f%%; %d '
              'typed), model %d/%d (%.0f%%), confident wrong %d; %d devices '
              'seen in the window, type right for %d of them' % (
                  wname, ok_v, n, 100.0 * ok_v / n, ok_t, n,
                  100.0 * ok_t / n, typed, ok_m, n_m,
                  100.0 * ok_m / max(n_m, 1), len(wrong), seen, seen_t))
        if secs is None:
            print('\n'.join(lines))
        summary.append((wname, ok_v / n, ok_t / n))
        for w in wrong:
            checked += 1
            bad += 1
            details.append('[%s] confident wrong answer: %s' % (wname, w))
        checked += 1
    _, v_all, t_all = summary[-1]
    if t_all < TYPE_BAR:
        bad += 1
        details.append('type accuracy %.0f%% below %.0f%%' % (
            100 * t_all, 100 * TYPE_BAR))
    if v_all < VENDOR_BAR:
        bad += 1
        details.append('vendor accuracy %.0f%% below %.0f%%' % (
            100 * v_all, 100 * VENDOR_BAR))
    checked += 2
    report('device identification', checked, bad, details)


if __name__ == '__main__':
    main()
