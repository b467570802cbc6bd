#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Issue 13's lab bars: the real attacks of tests/integration/attacks.py from
# a device of the smart home, --runs times each (default 5) in one lab, and
# the medians of the time from each attack's first probe to the first of
# its packets the dataplane dropped (the dataplane's own timestamps):
#
#   nmap -sS of the LAN, default timing   within 1 s
#   hping3 SYN flood                      within 250 ms
#   hydra telnet brute force              within 5 s
#   a forged DNS answer                   never binds
#
# The other attacks (hping3 UDP flood, hydra ssh, arp-scan) are reported
# without a bar. Every run also checks that no other device lost a packet
# to the dataplane. Needs root.
#
#   scripts/bench_lab_attacks.sh [--runs N] [--attack NAME ...] [--port af_packet]
set -euo pipefail
cd "$(dirname "$0")/.."
# The dataplane as production runs it, busy-polling and with its default
# flow table: the test labs' dataplanes sleep when idle and keep fewer
# flows (tests/integration/cordonlab.py).
export CORDON_TEST_IDLE_SLEEP=${CORDON_TEST_IDLE_SLEEP:-0}
export CORDON_TEST_FLOWS=${CORDON_TEST_FLOWS:-0}
if [ -n "${CORDON_BUILD:-}" ]; then
	BUILD=$CORDON_BUILD
else
	./scripts/setup.sh >/dev/null
	BUILD=$(pwd)/build
fi
exec python3 scripts/bench_lab_attacks.py --build "$BUILD" "$@"
