#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Instructions per packet of the dataplane's worker, by function, counted
# by callgrind: deterministic, and blind to whatever else the machine runs
# (timings here are not). The worker replays a capture into net_null under
# valgrind; after --warmup seconds (the flows are in the table by then) the
# counts start over, and everything worker_main runs in the next --seconds
# is counted, the PMDs' RX and TX included, and divided by the packets it
# received in that time.
#
#   scripts/callgrind_dp.sh [--mix peers|bench|new] [--warmup S] [--seconds S]
#                           [--build DIR]
#                           [-- cordon-dataplane options]
#
#   peers  scripts/peers_mix.py: 10,000 packets, ~10,000 flows, 1,000-device
#          policy, half denied (what bench_peers.sh runs)
#   bench  scripts/bench.sh's case (b): 8,000 packets over 8,000 flows of
#          gen_policy.py's 1,000 devices, half denied
#   new    scripts/bench.sh's case (c): every packet a new flow, into a
#          65,536-flow table (each insert evicts)
#
# Build DIR should have debug info for line-level annotation, e.g.
#   meson setup build-prof --buildtype=release -Ddebug=true
# The output file is left for callgrind_annotate (--auto=yes for lines).
set -euo pipefail
cd "$(dirname "$0")/.."
mix=peers secs=20 warm=20 build=build-prof
while [ $# -gt 0 ]; do
	case "$1" in
	--mix) mix=$2; shift 2 ;;
	--seconds) secs=$2; shift 2 ;;
	--warmup) warm=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--) shift; break ;;
	-h|--help) sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "callgrind_dp.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
command -v valgrind >/dev/null || { echo "callgrind_dp.sh: needs valgrind" >&2; exit 1; }
ninja -C "$build" dataplane/cordon-dataplane >/dev/null
work=$(mktemp -d /tmp/cordon-callgrind-XXXXXX)
case "$mix" in
peers)
	python3 scripts/peers_mix.py "$work" >/dev/null
	txt=$work/cordon.txtpb pcap=$work/mix.pcap ;;
bench)
	python3 scripts/pcapgen.py --mix policy --devices 1000 --flows-per-device 4 \
		-n 8000 -o "$work/mix.pcap" 2>/dev/null
	python3 scripts/gen_policy.py --devices 1000 --rules 1002 -o "$work/pol.txtpb"
	txt=$work/pol.txtpb pcap=$work/mix.pcap ;;
new)
	python3 scripts/pcapgen.py --mix policy --devices 1000 --unique -n 262144 \
		-o "$work/mix.pcap" 2>/dev/null
	python3 scripts/gen_policy.py --devices 1000 --rules 1002 -o "$work/pol.txtpb"
	txt=$work/pol.txtpb pcap=$work/mix.pcap
	set -- --flows 65536 "$@" ;;
*) echo "callgrind_dp.sh: --mix peers, bench or new" >&2; exit 2 ;;
esac
protoc --encode=cordon.Policy --proto_path=proto proto/cordon.proto <"$txt" >"$work/pol.bin"
out=$work/callgrind.out
prefix=cordon-cg-$$
valgrind --tool=callgrind --toggle-collect=worker_main --callgrind-out-file="$out" \
	"$build/dataplane/cordon-dataplane" -l 0,1 --no-huge -m 1536 --no-pci \
	--file-prefix "$prefix" --log-level '*:error' \
	--vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" --vdev net_null0,no-rx=1 \
	-- --no-control --mbufs 300000 --policy "$work/pol.bin" \
	--exit-after $((warm + secs)) "$@" >"$work/dp.log" 2>&1 &
vg=$!
# Steady state only: the counts start over once every flow is in the table.
sleep "$warm"
rx0=$(python3 - "$prefix" <<'PY'
import sys
sys.path.insert(0, "scripts")
from bench import telemetry
for i in range(10):	# under valgrind, telemetry answers slowly
    try:
        print(telemetry(sys.argv[1], "/ethdev/stats,0")["ipackets"])
        break
    except OSError:
        pass
else:
    sys.exit("no answer on telemetry")
PY
)
callgrind_control --dump=warmup "$vg" >/dev/null 2>&1
wait "$vg"
rm -rf "/var/run/dpdk/$prefix"
rx=$(sed -n 's/^cordon-dataplane: total rx \([0-9]*\) .*/\1/p' "$work/dp.log")
[ -n "$rx" ] && [ "$rx" -gt "$rx0" ] || { cat "$work/dp.log" >&2; exit 1; }
rx=$((rx - rx0))
echo "packets $rx ($mix mix, $secs s under callgrind after $warm s); instructions per packet:"
callgrind_annotate --auto=no --show-percs=no "$out" 2>/dev/null | awk -v n="$rx" '
	/PROGRAM TOTALS/ { gsub(",", "", $1); printf "%8.1f  total\n", $1 / n; next }
	/^ *[0-9,]+ +[^ ]/ && t++ < 25 { x = $1; gsub(",", "", x); $1 = "";
		if (x / n >= 0.5) printf "%8.1f %s\n", x / n, $0 }'
echo "callgrind output: $out"
