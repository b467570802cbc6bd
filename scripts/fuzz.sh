#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Run the libFuzzer targets for longer than the test suite does, one at a
# time. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Targets: fingerprinting (frame tls tcp quic quic_frames dns dhcp dhcpv6
# ssdp p0f disc re), wire (a peer's message), cd (cordond's handling of
# it), policy (a YAML policy), mud (a MUD file), mud_context (a MUD
# context file), pkt (the dataplane's frame parser), http (the console),
# validate and signed (a policy from cordond, as the dataplane checks it),
# acl (such a policy built into the classifier, against a reference),
# dp_conf, cd_conf and cli (the command lines of cordon-dataplane, cordond
# and cordonctl's commands), det_ioc, det_envelope, det_dnsmatch and
# det_engine (detection: indicator files, stored envelopes, DNS matching,
# event sequences).
# Builds build-fuzz/ with clang, ASan and UBSan. Corpora live in
# build-fuzz/fuzz-corpus/TARGET, seeded from the repository's test data,
# scripts, README and units, and ../shared/testdata on first use (no
# copies in git).
set -eu

all="frame tls tcp quic quic_frames dns dhcp dhcpv6 ssdp p0f disc re"
all="$all wire cd policy mud mud_context pkt http validate signed acl"
all="$all dp_conf cd_conf cli det_ioc det_envelope det_dnsmatch det_engine"
case "${1:-}" in -h|--help) sed -n '5,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
secs=${1:-60}
case "$secs" in
''|*[!0-9]*|0) echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number from 1 (got '$secs')" >&2; exit 2 ;;
esac
[ $# -gt 0 ] && shift
for t in "$@"; do
	case " $all " in
	*" $t "*) ;;
	*) echo "fuzz.sh: no target '$t' (targets: $all)" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/.." && pwd)
bdir="$top/build-fuzz"
shared="$top/../shared/testdata"
targets=${*:-$all}

if [ ! -d "$bdir" ]; then
	CC=clang meson setup "$bdir" "$top" -Dfuzzers=true \
		-Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$bdir" -j2

corpus="$bdir/fuzz-corpus"
mkdir -p "$corpus"

# The Python seeders run after this prelude: top and dst (their first
# argument) from the command line, and enc(), a text-format message of
# proto/cordon.proto encoded by protoc.
py_prelude='
import glob, hashlib, os, subprocess, sys
top, dst = sys.argv[1], sys.argv[2]
proto = os.path.join(top, "proto")
def enc(msg, text):
    if isinstance(text, str):
        text = text.encode()
    return subprocess.run(["protoc", "--encode=cordon." + msg,
        "--proto_path=" + proto, os.path.join(proto, "cordon.proto")],
        input=text, capture_output=True, check=True).stdout
'

# The Python on stdin, after py_prelude, for the corpus directory $1 (and
# any further arguments, sys.argv[3:]).
py_seed() {
	/usr/bin/python3 -c "$py_prelude
$(cat)" "$top" "$@" || true
}

# One file per Ethernet frame of the shared captures.
seed_frames() {
	[ -d "$shared" ] || return 0
	/usr/bin/python3 - "$shared" "$1" <<'PY' || true
import glob, hashlib, os, sys
from scapy.all import PcapReader, Ether
src, dst = sys.argv[1], sys.argv[2]
for f in glob.glob(src + '/**/*.pcap*', recursive=True):
    try:
        for i, p in enumerate(PcapReader(f)):
            if i > 200 or not isinstance(p, Ether):
                break
            b = bytes(p)
            open(os.path.join(dst, hashlib.sha1(b).hexdigest()), 'wb').write(b)
    except Exception:
        pass
PY
}

# Envelopes (wire.h) around the example policies and a few requests.
seed_wire() {
	py_seed "$1" <<'PY'
def varint(n):
    out = b''
    while True:
        b = n & 0x7f
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out
def envelope(mtype, payload, minor=6):
    return (b'\x08' + varint((1 << 16) | minor) + b'\x10' + varint(mtype) +
            b'\x18\x07' + b'\x22' + varint(len(payload)) + payload)
seeds = []
for f in glob.glob(os.path.join(top, 'tests/data/policy/*.txtpb')):
    pol = enc('Policy', open(f, 'rb').read())
    seeds.append(envelope(50, pol))
    seeds.append(envelope(14, b'\x0a' + varint(len(pol)) + pol))
seeds.append(envelope(10, enc('Hello', b'dataplane_id: "gw0" proto_version: 65542 '
    b'ports { name: "p0" } workers: 2 boot_id: 7')))
seeds.append(envelope(13, enc('Poll', b'dataplane_id: "gw0" wait_ms: 100')))
seeds.append(envelope(61, enc('MudImport', b'mac: "\\002\\000\\000\\000\\000\\001" '
    b'file: "{\\"ietf-mud:mud\\": {}}" name: "x.json"')))
seeds.append(envelope(2, enc('Error', b'code: ERR_DECODE message: "x"')))
seeds.append(envelope(12, b'', minor=1))
for s in seeds:
    open(os.path.join(dst, hashlib.sha1(s).hexdigest()), 'wb').write(s)
PY
}

# cordond's requests for fuzz_cd: endpoint and pipe, type, payload.
seed_cd() {
	py_seed "$1" <<'PY'
mac = r'mac: "\002\000\000\000\000\001"'
pol = open(os.path.join(top, 'examples/home.yaml')).read()
pol = pol.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
mud = '{}'
for f in sorted(glob.glob(os.path.join(top, '../shared/testdata/mud/**/*.json'),
                          recursive=True)):
    if '"ietf-mud:mud"' in open(f).read():
        mud = open(f).read()
        break
mud = mud.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
seeds = [
    (0, 10, 'Hello', 'dataplane_id: "gw0" proto_version: 65542 workers: 1 boot_id: 9'),
    (0, 12, 'StatsReport', 'dataplane_id: "gw0" seq: 1 devices { ' + mac +
        ' allowed_packets: 3 identity { vendor: "Acme" } }'),
    (0, 13, 'Poll', 'dataplane_id: "gw0" wait_ms: 0'),
    (1, 30, 'StatusRequest', ''),
    (1, 52, 'PolicyApply', 'source: "' + pol + '" name: "home.yaml" applied_by: "fuzz"'),
    (1, 56, 'Quarantine', mac + ' reason: "x" by: "fuzz"'),
    (1, 57, 'EventsRequest', 'limit: 5 newest: true'),
    (1, 61, 'MudImport', mac + ' file: "' + mud + '" name: "m.json" by: "fuzz"'),
    (1, 91, 'DeviceSegment', mac + ' segment: "trusted" by: "fuzz"'),
    (1, 51, 'PolicyGet', ''),
]
for ep, t, msg, text in seeds:
    try:
        s = bytes([ep, t]) + enc(msg, text)
    except subprocess.CalledProcessError:
        continue
    open(os.path.join(dst, hashlib.sha1(s).hexdigest()), 'wb').write(s)
PY
}

seed_files() {
	d=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$d/$(sha1sum "$f" | cut -c1-40)"
	done
	return 0
}

# The example policies, encoded.
seed_policies() {
	for f in "$top"/tests/data/policy/*.txtpb; do
		protoc --encode=cordon.Policy --proto_path="$top/proto" \
			"$top/proto/cordon.proto" < "$f" > "$1/$(basename "$f" .txtpb)" ||
			rm -f "$1/$(basename "$f" .txtpb)"
	done
	return 0
}

# Requests as a browser and a script send them. The first byte picks the
# HTTPS handler (0) or the redirector (1); tests/console/http_harness.h's
# admin session is a..a with CSRF token b..b.
seed_http() {
	a=$(printf '%064d' 0 | tr 0 a)
	b=$(printf '%064d' 0 | tr 0 b)
	printf '\000GET / HTTP/1.1\r\nHost: gw\r\n\r\n' > "$1/get"
	printf '\000GET /static/app.js HTTP/1.1\r\nHost: gw\r\nCookie: __Host-cordon_session=00\r\n\r\n' > "$1/static"
	printf '\000POST /api/login HTTP/1.1\r\nHost: gw:8443\r\nOrigin: https://gw:8443\r\nContent-Type: application/json\r\nContent-Length: 39\r\n\r\n{"user":"admin","password":"password1"}' > "$1/login"
	printf '\000GET /metrics HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer abc\r\n\r\n' > "$1/metrics"
	printf '\000GET /api/devices?segment=1&x=%%41 HTTP/1.1\r\nHost: gw\r\nCookie: __Host-cordon_session=%s\r\n\r\n' "$a" > "$1/args"
	printf '\000POST /api/device/segment HTTP/1.1\r\nHost: gw\r\nCookie: __Host-cordon_session=%s\r\nX-CSRF-Token: %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1b\r\n{"mac":"02:00:00:00:00:01"}\r\n0\r\n\r\n' "$a" "$b" > "$1/chunked"
	printf '\000GET /api/events/stream HTTP/1.1\r\nHost: gw\r\nCookie: __Host-cordon_session=%s\r\n\r\n' "$a" > "$1/stream"
	printf '\001GET /login HTTP/1.1\r\nHost: [::1]:80\r\n\r\n' > "$1/redirect"
}

# Command lines of prog ($2) for the dp_conf, cd_conf and cli targets, one
# NUL-separated seed each: from the scripts, README, examples and units
# (the words after prog, after "--" for the dataplane), and from the
# integration tests' calls (call, $3: the string arguments from the first
# option on, or all for cordonctl). Then the extra seeds ($4...), each a
# command line with | between words.
seed_argv() {
	py_seed "$@" <<'PY'
import re, shlex
prog, call, extra = sys.argv[3], sys.argv[4], sys.argv[5:]
seeds = set()
def add(words):
    if words and len(words) < 40:
        seeds.add('\0'.join(words).encode())
stops = {'|', '||', '&&', ';', '&', ')'}
files = glob.glob(top + '/scripts/*.sh') + glob.glob(top + '/scripts/*.py')
files += glob.glob(top + '/systemd/*.in') + glob.glob(top + '/examples/*')
files += [top + '/README.md']
for f in files:
    text = open(f, errors='replace').read().replace('\\\n', ' ')
    lines = text.splitlines()
    if f.endswith('.md'):
        # `inline` commands, and code blocks' lines
        lines = [l for l in lines if '`' not in l]
        lines += re.findall(r'`([^`]*' + prog + r'[^`]*)`', text)
    for line in lines:
        if prog not in line:
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        at = [i for i, w in enumerate(words) if w.endswith(prog)]
        if not at:
            continue
        words = words[at[0] + 1:]
        if prog == 'cordon-dataplane':
            words = words[words.index('--') + 1:] if '--' in words else []
        out = []
        for w in words:
            if (w in stops or w.startswith('>') or w.startswith('2>') or
                    w.endswith(prog)):
                break
            out.append(w.strip('`'))
        # an option first, or cordonctl's command: not prose
        if out and re.match('-' if prog != 'cordonctl' else '[a-z]+$',
                            out[0]):
            add(out)
lit = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
for f in glob.glob(top + '/tests/integration/*.py'):
    text = open(f, errors='replace').read()
    for m in re.finditer(r'\.' + call + r'\(', text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {'(': 1, ')': -1}.get(text[i], 0)
            i += 1
        words = [a or b for a, b in lit.findall(text[m.end():i - 1])]
        if prog != 'cordonctl':
            first = [k for k, w in enumerate(words) if w.startswith('-')]
            words = words[first[0]:] if first else []
        add(words)
for e in extra:
    add(e.split('|'))
for s in seeds:
    open(os.path.join(dst, hashlib.sha1(s).hexdigest()), 'wb').write(s)
PY
}

seed() {
	t=$1
	d="$corpus/$t"
	[ -d "$d" ] && return 0
	mkdir -p "$d"
	case "$t" in
	frame|pkt) seed_frames "$d" ;;
	wire) seed_wire "$d" ;;
	policy) seed_files "$d" "$top"/examples/home.yaml \
		"$top"/examples/enterprise.yaml "$top"/examples/isp-cpe.yaml \
		"$top"/tests/data/policy-yaml/*/*.yaml ;;
	mud) [ -d "$shared/mud" ] && seed_files "$d" \
		$(find "$shared/mud" -type f ! -name LICENSE ! -name '*.txt') ;;
	http) seed_http "$d" ;;
	validate|signed|acl) seed_policies "$d" ;;
	cd) seed_cd "$d" ;;
	mud_context) seed_files "$d" "$top"/examples/mud-context-*.yaml
		printf 'device:\n  mac: 02:00:00:00:00:01\n  mud-url: https://a.example/m\n  manufacturer: a.example\nlocal-networks: [10.0.0.0/8, "fd00::/8"]\nmy-controller: [10.0.0.1]\ncontrollers:\n  - uri: http://a.example/c\n    addresses: [10.0.0.2, 2001:db8::1]\ndns:\n  - name: fw.a.example\n    addresses: [192.0.2.1]\npeers:\n  - mac: 02:00:00:00:00:02\n    mud-url: https://a.example/m\nallow-dns: true\ndefault-deny: false\nsignature:\n  ca-file: ca.pem\n  accept-unsigned: true\ncomment: every key\n' > "$d/all-keys" ;;
	# Files a target may read are in its scratch directory (fuzz_argv.h).
	dp_conf) f=fuzz-dp-conf.d
		seed_argv "$d" cordon-dataplane start_dataplane \
		"--control|tls+tcp://gw:7450|--tls-cert|$f/home.yaml|--tls-ca|$f/empty|--policy|$f/home.txtpb|--state-dir|$f/dir|--pubkey|$f/gw0.conf|--check-config" \
		"--no-control|--indicators|$f/missing|--detect-learn|90s|--device-retire|0|-b|16" ;;
	cd_conf) f=fuzz-cd-conf.d
		seed_argv "$d" cordond start_cordond \
		"--dataplane-url|tls+tcp://0.0.0.0:7450|--tls-cert|$f/home.yaml|--tls-ca|$f/empty|--mud-context|$f/context.yaml|--check-config" \
		"--mud-dir|$f/dir|--mud-ca|$f/missing|--probation|15m|--policy-keep|0|--check-config" \
		"--help" ;;
	det_ioc) printf '203.0.113.7 abuse.ch botnet C2\n2001:db8::/32 feed-x\n*.c2.example  urlhaus\nE7D705A3286E19EA42F587B344EE6865 sslbl JA3\nt13d1516h2_8daaf6152771_02713d6af862 ja4db a JA4\n' > "$d/mixed" ;;
	cli) f=fuzz-cli.d
		seed_argv "$d" cordonctl ctl "policy|check|$f/home.yaml" \
		"mud|check|$f/luminaire.json|--context|$f/context.yaml" ;;
	esac
	return 0
}

binary() {
	case "$1" in
	wire) echo tests/proto/fuzz_wire ;;
	policy|mud) echo "tests/control/fuzz_ctl_$1" ;;
	cd) echo tests/control/fuzz_cd ;;
	mud_context|cd_conf|cli) echo "tests/control/fuzz_$1" ;;
	dp_conf) echo tests/dataplane/fuzz_dp_conf ;;
	pkt) echo tests/dataplane/fuzz_pkt ;;
	acl) echo tests/dataplane/fuzz_acl ;;
	validate|signed) echo "tests/policy/fuzz_policy_$1" ;;
	http) echo tests/console/fuzz_http ;;
	det_*) echo "tests/detect/fuzz_$1" ;;
	*) echo "tests/fingerprint/fuzz_fp_$1" ;;
	esac
}

for t in $targets; do
	seed "$t"
	b=$(binary "$t")
	if [ ! -x "$bdir/$b" ]; then
		echo "== $t: $b not built (DPDK or libmicrohttpd missing?), skipped"
		continue
	fi
	echo "== $b for ${secs}s"
	(cd "$bdir" && "./$b" -max_total_time="$secs" \
		-rss_limit_mb=2048 -print_final_stats=1 "$corpus/$t")
done
