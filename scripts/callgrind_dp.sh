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
	--mix|--seconds|--warmup|--build)
		[ $# -ge 2 ] || { echo "callgrind_dp.sh: $1 wants a value" >&2; exit 2; } ;;
	esac
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
for n in "$secs" "$warm"; do
	case "$n" in
	''|*[!0-9]*|0) echo "callgrind_dp.sh: --seconds and --warmup want whole seconds from 1 (got '$n')" >&2; exit 2 ;;
	esac
done
case "$mix" in peers|bench|new) ;; *) echo "callgrind_dp.sh: --mix peers, bench or new" >&2; exit 2 ;; esac
command -v valgrind >/dev/null || { echo "callgrind_dp.sh: needs valgrind" >&2; exit 1; }
# A DIR without build.ninja holds a copy of dataplane/cordon-dataplane.
[ ! -f "$build/build.ninja" ] || ninja -C "$build" dataplane/cordon-dataplane >/dev/null
# Without this, valgrind's failure to start shows only as no packet
# forwarded, ten minutes later.
[ -x "$build/dataplane/cordon-dataplane" ] || {
	echo "callgrind_dp.sh: no $build/dataplane/cordon-dataplane" \
		"(meson setup $build --buildtype=release -Ddebug=true)" >&2
	exit 1
}
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
# Given up or interrupted: no valgrind left running on its own.
trap 'kill -TERM "$vg" 2>/dev/null || true; rm -rf "/var/run/dpdk/$prefix"' EXIT
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
        # Valgrind runs one thread at a time: the answer can take longer
        # than the benches' 5 s while the worker polls.
        if telemetry(sys.argv[1], "/cordon/stats", 60)["rx_packets"] > 0:
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
# where reading a counter around the dump races with the worker). The
# files are read here rather than by callgrind_annotate, which puts all of
# a part that starts in the middle of a call on the thread's first frame.
python3 - "$out.1" "$out" "$total" "$mix" "$secs" "$warm" <<'PY'
import sys
from collections import defaultdict

def self_costs(path):
    """Self cost of each file:function, one list of event counts each."""
    costs = defaultdict(lambda: None)
    events, fn, fl, fi, ob, skip = [], "?", "?", None, "", False
    try:
        f = open(path)
    except FileNotFoundError:
        return [], {}
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith("ob="):
            ob = line[3:]
        elif line.startswith("fl="):
            fl, fi = line[3:], None
        elif line.startswith(("fi=", "fe=")):
            fi = line[3:]
        elif line.startswith("fn="):
            fn, fi = line[3:], None
        elif line.startswith("calls="):
            skip = True	# the next line is the call's inclusive cost
        elif events and (line[:1].isdigit() or line[:1] in "+-*"):
            if skip:
                skip = False
                continue
            v = [int(x) for x in line.split()[1:]]
            v += [0] * (len(events) - len(v))
            key = ("%s:%s [%s]" % ((fi or fl).replace("/work/perf/", ""),
                                   fn, ob.rsplit("/", 1)[-1]))
            c = costs[key]
            costs[key] = v if c is None else [a + b for a, b in zip(c, v)]
    return events, costs

_, warm = self_costs(sys.argv[1])
events, meas = self_costs(sys.argv[2])
total, mix, secs, wsecs = int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
pcap = lambda c: sum(v[0] for k, v in c.items() if "librte_net_pcap" in k)
if pcap(meas) == 0:
    sys.exit("callgrind_dp.sh: nothing measured")
n = total * pcap(meas) / (pcap(warm) + pcap(meas))
col = {e: i for i, e in enumerate(events)}
cache = "D1mr" in col

def row(v, what):
    if cache:
        d1 = v[col["D1mr"]] + v[col["D1mw"]]
        ll = v[col["DLmr"]] + v[col["DLmw"]]
        print("%8.1f %7.2f %7.3f  %s" % (v[0] / n, d1 / n, ll / n, what))
    else:
        print("%8.1f  %s" % (v[0] / n, what))

print("packets %d (%s mix, %s s under callgrind after %s s); per packet:"
      % (n, mix, secs, wsecs))
if cache:
    print("%8s %7s %7s" % ("instr", "L1 miss", "LL miss"))
tot = [sum(v[i] for v in meas.values()) for i in range(len(events))]
row(tot, "total")
# The sweep (each millisecond) and the look-up of a destination never heard
# from (once a second a flow) run by the clock: per packet they weigh as
# much more as valgrind runs slower, which the machine's load decides.
# Without them, two runs of the established mixes compare; on the new mix
# device_lookup is mostly each new flow's, not the clock's.
clock = [sum(v[i] for k, v in meas.items()
             if ":flow_table_sweep " in k or ":device_lookup " in k)
         for i in range(len(events))]
row([a - b for a, b in zip(tot, clock)],
    "total without flow_table_sweep and device_lookup")
for k, v in sorted(meas.items(), key=lambda kv: -kv[1][0])[:25]:
    if v[0] / n >= 0.5:
        row(v, k)
# The same stages as scripts/perf_dp.py's cycles.
sys.path.insert(0, "scripts")
from perf_dp import STAGES, stage_of
stage = {s: [0] * len(events) for s in STAGES}
for k, v in meas.items():
    src, _, rest = k.partition(":")
    fn, _, ob = rest.rpartition(" [")
    acc = stage[stage_of(ob, fn, src)]
    for i, x in enumerate(v):
        acc[i] += x
print("by stage (scripts/perf_dp.py gives their cycles):")
for s in STAGES:
    row(stage[s], s)
PY
echo "callgrind output: $out"
