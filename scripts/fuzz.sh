#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Run the fingerprinting libFuzzer targets for longer than the test suite
# does. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Builds build-fuzz/ with clang, ASan and UBSan. The "frame" target's
# corpus is seeded with the frames of the shared test captures.
set -eu

all="frame tls tcp quic quic_frames dns dhcp dhcpv6 ssdp p0f disc re"
case "${1:-}" in -h|--help) sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
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
targets=${*:-$all}

if [ ! -d "$bdir" ]; then
	CC=clang meson setup "$bdir" "$top" -Dfuzzers=true \
		-Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$bdir" -j2

corpus="$bdir/fuzz-corpus"
mkdir -p "$corpus"
if [ ! -d "$corpus/frame" ] && [ -d "$top/../shared/testdata" ]; then
	mkdir -p "$corpus/frame"
	# one file per Ethernet frame of the shared captures (no copies in git)
	/usr/bin/python3 - "$top/../shared/testdata" "$corpus/frame" <<'PY' || true
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
fi

for t in $targets; do
	mkdir -p "$corpus/$t"
	echo "== fuzz_fp_$t for ${secs}s"
	(cd "$bdir" && "./tests/fingerprint/fuzz_fp_$t" -max_total_time="$secs" \
		-rss_limit_mb=2048 -print_final_stats=1 "$corpus/$t")
done
