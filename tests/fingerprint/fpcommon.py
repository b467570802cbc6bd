# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
"""Helpers shared by the fingerprint conformance scripts."""

import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import yaml


def captures(tdir):
    """The shared captures the conformance scripts read."""
    out = []
    for p in ['ja4/pcap/*', 'suricata-verify/*/*.pcap',
              'suricata-verify/*/*/*.pcap', 'tcpdump/*.pcap']:
        out += glob.glob(os.path.join(tdir, p))
    return sorted(out)


def suricata_tests(tdir):
    """(directory, test.yaml, its pcaps) of every suricata-verify test
    that has a capture."""
    for y in sorted(glob.glob(os.path.join(tdir, 'suricata-verify', '**',
                                           'test.yaml'), recursive=True)):
        d = os.path.dirname(y)
        with open(y) as f:
            spec = yaml.safe_load(f)
        pcaps = ([os.path.join(d, spec['pcap'])] if spec.get('pcap')
                 else glob.glob(os.path.join(d, '*.pcap')))
        if pcaps:
            yield d, spec, pcaps


def run_tool(tool, pcap, devices=False, db=None):
    """Run cordon-fingerprint on pcap; return the parsed JSON objects.

    Fails (raises) when the tool exits non-zero or prints a line that is
    not a JSON object."""
    args = [tool, '-r', pcap]
    if not devices:
        args.append('--no-devices')
    if db:
        args += ['--p0f-db', db]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    if p.returncode != 0:
        raise RuntimeError('%s exited %d: %s' % (pcap, p.returncode,
                           p.stderr.decode(errors='replace').strip()))
    out = []
    for line in p.stdout.decode('utf-8').splitlines():
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise RuntimeError('%s: not a JSON object: %s' % (pcap, line))
        out.append(obj)
    return out


# tshark's answers, kept: the oracle is a pure function of its version,
# its arguments and the capture's bytes, and it takes nearly all of a
# conformance run's time (half a second a capture to load its
# dissectors). The sanitizer pass of scripts/test.sh and every later run
# reuse what the first computed. CORDON_ORACLE_CACHE names the folder
# (default $XDG_CACHE_HOME/cordon/tshark); 'off' runs tshark every time.
_tshark_version = None


def _oracle_cache():
    d = os.environ.get('CORDON_ORACLE_CACHE', '')
    if d == 'off':
        return None
    if not d:
        d = os.path.join(os.environ.get('XDG_CACHE_HOME') or
                         os.path.expanduser('~/.cache'), 'cordon', 'tshark')
    try:
        os.makedirs(d, exist_ok=True)
    except OSError:
        return None
    return d


def _cache_key(pcap, args):
    global _tshark_version
    if _tshark_version is None:
        _tshark_version = subprocess.run(['tshark', '--version'],
                                         stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL,
                                         check=False).stdout
    h = hashlib.sha256(_tshark_version)
    h.update(json.dumps(args).encode())
    with open(pcap, 'rb') as f:
        h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def tshark_fields(pcap, dfilter, fields, extra=None):
    """Rows of tshark -T fields output (tab separated, lists with ',')."""
    opts = ['-Y', dfilter, '-T', 'fields', '-E', 'separator=\t',
            '-E', 'occurrence=a', '-E', 'aggregator=|']
    for f in fields:
        opts += ['-e', f]
    if extra:
        opts += extra
    cache = _oracle_cache()
    path = None
    if cache is not None:
        path = os.path.join(cache, _cache_key(pcap, opts) + '.json')
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            pass
    p = subprocess.run(['tshark', '-n', '-r', pcap] + opts,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    if p.returncode not in (0, 2):
        raise RuntimeError('tshark failed on %s: %s' % (
            pcap, p.stderr.decode(errors='replace')))
    rows = []
    for line in p.stdout.decode('utf-8', errors='replace').splitlines():
        rows.append(line.split('\t'))
    if path is not None:
        # Whole or not at all: a parallel run may read it meanwhile.
        fd, tmp = tempfile.mkstemp(dir=cache, suffix='.tmp')
        with os.fdopen(fd, 'w') as f:
            json.dump(rows, f)
        os.replace(tmp, path)
    return rows


def report(name, checked, mismatches, details):
    for d in details[:50]:
        print('MISMATCH', d)
    print('%s: checked %d, mismatches %d' % (name, checked, mismatches))
    if checked == 0:
        print('%s: nothing was checked' % name)
        sys.exit(1)
    sys.exit(1 if mismatches else 0)
