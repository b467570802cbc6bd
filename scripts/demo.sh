#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Cordon in one command: set up if needed, start cordond and a dataplane that
# bridges a generated IoT capture between two virtual ports, show what
# cordonctl sees, and shut everything down cleanly.
#
# Interactive (a terminal on stdin): waits for Enter before stopping.
# Otherwise it runs to the end by itself and exits 0.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PACKETS=${PACKETS:-20000}

# CORDON_BUILD: use that build directory as it is (the test suite does).
if [ -n "${CORDON_BUILD:-}" ]; then
	BUILD=$CORDON_BUILD
else
	./scripts/setup.sh >/dev/null
	BUILD=$ROOT/build
fi

WORK=$(mktemp -d /tmp/cordon-demo.XXXXXX)
export CORDON_RUNDIR=$WORK/run
export CORDON_STATE_DIR=$WORK/state
CTL="$BUILD/control/cordonctl"
pids=()

cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT

if [ -t 1 ]; then
	step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	step() { printf '\n== %s\n' "$*"; }
fi

step "Generating an IoT capture: $PACKETS packets (ARP, DNS, HTTPS, NTP, MQTT, ICMP, mDNS)"
python3 scripts/pcapgen.py --mix iot -n "$PACKETS" -o "$WORK/iot.pcap" \
	--gateway-out "$WORK/gateway.pcap"

step "Starting cordond (runtime dir $CORDON_RUNDIR)"
"$BUILD/control/cordond" 2>"$WORK/cordond.log" &
pids+=($!)
for _ in $(seq 100); do
	"$CTL" status >/dev/null 2>&1 && break
	sleep 0.05
done

step "Compiling the demo policy (scripts/demo-policy.txtpb): IoT may do DNS, NTP and HTTPS, nothing else"
protoc --encode=cordon.Policy --proto_path=proto proto/cordon.proto \
	< scripts/demo-policy.txtpb > "$WORK/policy.bin"

step "Starting cordon-dataplane: devices on net_pcap0 <-> gateway on net_pcap1"
"$BUILD/dataplane/cordon-dataplane" -l 0,1 --no-huge -m 512 --no-pci \
	--file-prefix "cordon-demo-$$" --log-level user1,info \
	--vdev "net_pcap0,rx_pcap=$WORK/iot.pcap" \
	--vdev "net_pcap1,rx_pcap=$WORK/gateway.pcap,tx_pcap=$WORK/out.pcap" \
	-- --id demo-gw --report-interval 250 --policy "$WORK/policy.bin" \
	>"$WORK/dataplane.log" 2>&1 &
DP=$!
pids+=($DP)

# Wait until the whole capture has gone through and been reported.
for _ in $(seq 200); do
	rx=$("$CTL" --json stats 2>/dev/null |
		python3 -c 'import json,sys
r=json.load(sys.stdin)["reports"]
print(r[0]["workers"][0]["rx_packets"] if r else 0)' 2>/dev/null || echo 0)
	[ "$rx" -ge "$PACKETS" ] && break
	sleep 0.1
done
sleep 0.3

step "cordonctl status"
"$CTL" status

step "cordonctl stats"
"$CTL" stats

step "cordonctl devices (passive fingerprinting, inline)"
"$CTL" devices

if [ -t 0 ]; then
	printf '\nTry: CORDON_RUNDIR=%s %s stats --json\n' "$CORDON_RUNDIR" "$CTL"
	read -r -p "Press Enter to stop the demo... " _
fi

step "Stopping the dataplane (SIGTERM): its final counters"
kill -TERM "$DP"
wait "$DP"
sed -n '/final counters/,$p' "$WORK/dataplane.log"
cleanup
trap - EXIT
printf '\nDemo done. Logs and captures are in %s\n' "$WORK"
