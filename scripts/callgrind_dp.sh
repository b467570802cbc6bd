#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Instructions per packet of the dataplane's worker, by function, counted
# by callgrind: deterministic, and blind to whatever else the machine runs
# (timings here are not). The worker replays a capture into net_null under
# valgrind; after --warmup seconds of forwarding (the flows are in the table
# by then) the counts start over, and everything worker_main runs in the
# next --seconds is counted, the PMDs' RX and TX included, and divided by
# the packets it received in that time.
#
#   scripts/callgrind_dp.sh [--mix peers|bench|new] [--warmup S] [--seconds S]
#                           [--build DIR] [--cache]
#                           [-- cordon-dataplane options]
#
#   peers  scripts/peers_mix.py: 10,000 packets, ~10,000 flows, 1,000-device
#          policy, half denied (what bench_peers.sh runs)
#   bench  scripts/bench.sh's case (b): 8,000 packets over 8,000 flows of
#          gen_policy.py's 1,000 devices, half denied
#   new    scripts/bench.sh's case (c): every packet a new flow, into a
#          65,536-flow table (each insert evicts)
#
# --cache simulates the caches too (valgrind's model, not the real ones, and
# about twice as slow): data reads and writes that miss L1 (32 KiB), and
# those that miss a 1 MiB "last level", the size of these guests' per-core
# L2 (their L3 is shared with whatever else runs), per packet. There is no
# timing in it: the misses say how much memory the work touches, not how
# much of the wait a prefetch hides.
#
# Build DIR should have debug info for line-level annotation, e.g.
#   meson setup build-prof --buildtype=release -Ddebug=true
# The output file is left for callgrind_annotate (--auto=yes for lines).
set -euo pipefail
cd "$(dirname "$0")/.."
mix=peers secs=20 warm=20 build=build-prof cache=no
while [ $# -gt 0 ]; do
	case "$1" in
	--mix) mix=$2; shift 2 ;;
	--seconds) secs=$2; shift 2 ;;
	--warmup) warm=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--cache) cache=yes; shift ;;
	--) shift; break ;;
	-h|--help) sed -n '4,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "callgrind_dp.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
command -v valgrind >/dev/null || { echo "callgrind_dp.sh: needs valgrind" >&2; exit 1; }
# A DIR without build.ninja holds a copy of dataplane/cordon-dataplane.
[ ! -f "$build/build.ninja" ] || ninja -C "$build" dataplane/cordon-dataplane >/dev/null
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
cachesim=(--cache-sim=no)
[ "$cache" = yes ] && cachesim=(--cache-sim=yes --D1=32768,8,64 --LL=1048576,16,64)
valgrind --tool=callgrind "${cachesim[@]}" --compress-strings=no --compress-pos=no \
	--toggle-collect=worker_main --callgrind-out-file="$out" \
	"$build/dataplane/cordon-dataplane" -l 0,1 --no-huge -m 1536 --no-pci \
	--file-prefix "$prefix" --log-level '*:error' \
	--vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" --vdev net_null0,no-rx=1 \
	-- --no-control --mbufs 300000 --policy "$work/pol.bin" \
	--exit-after $((warm + secs + 900)) "$@" >"$work/dp.log" 2>&1 &
vg=$!
# Valgrind takes a while to start DPDK (longer on a loaded machine): the
# warm-up starts with the first packet forwarded.
python3 - "$prefix" <<'PY'
import sys, time
sys.path.insert(0, "scripts")
from bench import telemetry
end = time.monotonic() + 600
while time.monotonic() < end:
    try:
        # The workers' count: net_pcap's own may move while it loads the
        # capture, before any worker runs.
        if telemetry(sys.argv[1], "/cordon/stats")["rx_packets"] > 0:
            sys.exit(0)
    except (OSError, KeyError, ValueError, TypeError):
        pass
    time.sleep(1)
sys.exit("callgrind_dp.sh: no packet forwarded in 600 s")
PY
# Steady state only: a dump once the flows are in the table; what follows
# it is the measurement.
sleep "$warm"
callgrind_control --dump=warmup "$vg" >/dev/null 2>&1 || echo "callgrind_dp.sh: the dump failed: all is counted" >&2
sleep "$secs"
kill -TERM "$vg"
wait "$vg" || true
rm -rf "/var/run/dpdk/$prefix"
total=$(sed -n 's/^cordon-dataplane: total rx \([0-9]*\) .*/\1/p' "$work/dp.log")
[ -n "$total" ] || { cat "$work/dp.log" >&2; exit 1; }
# The packets of the measured part: net_pcap's RX costs the same
# instructions for every pass over the capture, so its share of them in
# the part after the dump is that part's share of the packets (exact,
# where reading a counter around the dump races with the worker).
pcap_ir() {
	callgrind_annotate --auto=no --show-percs=no --threshold=100 "$1" 2>/dev/null |
		awk '/librte_net_pcap/ { x = $1; gsub(",", "", x); s += x } END { print s + 0 }'
}
warm_ir=$(pcap_ir "$out.1") meas_ir=$(pcap_ir "$out")
[ "$meas_ir" -gt 0 ] || { echo "callgrind_dp.sh: nothing measured" >&2; exit 1; }
rx=$(( total * meas_ir / (warm_ir + meas_ir) ))
echo "packets $rx ($mix mix, $secs s under callgrind after $warm s); per packet:"
# Columns: instructions, and with --cache the L1 and last-level data misses.
callgrind_annotate --auto=no --show-percs=no "$out" 2>/dev/null | awk -v n="$rx" '
	function col(name) { return (name in ev) ? $ev[name] : 0 }
	function row(what) {
		if ("D1mr" in ev)
			printf "%8.1f %7.2f %7.2f  %s\n", $1 / n,
				(col("D1mr") + col("D1mw")) / n,
				(col("DLmr") + col("DLmw")) / n, what
		else
			printf "%8.1f  %s\n", $1 / n, what
	}
	/^Events recorded/ { ne = NF - 2; for (i = 3; i <= NF; i++) ev[$i] = i - 2
		if ("D1mr" in ev) printf "%8s %7s %7s\n", "instr", "L1 miss", "LL miss"
		next }
	/PROGRAM TOTALS/ { gsub(",", ""); row("total"); next }
	/^ *[0-9,]+ +[^ ]/ && t++ < 25 { gsub(",", ""); if ($1 / n < 0.5) next
		what = $(ne + 1); for (i = ne + 2; i <= NF; i++) what = what " " $i
		row(what) }'
echo "callgrind output: $out"
