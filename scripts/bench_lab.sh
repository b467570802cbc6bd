#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# One TCP stream (iperf3) between two namespace hosts, through
# cordon-dataplane on AF_XDP and on af_packet ports, against the same veths
# in a Linux bridge. Ends with "RATIO af_xdp/bridge" and "RATIO
# af_packet/bridge". See scripts/bench_lab.py --help. Installs iperf3 when
# it is missing (benchmark only, not in PACKAGES).
#
#   scripts/bench_lab.sh [--runs N] [--seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."
# The dataplane as production runs it, busy-polling and with its default
# flow table: the test labs' dataplanes sleep when idle and keep fewer
# flows (tests/integration/cordonlab.py).
export CORDON_TEST_IDLE_SLEEP=${CORDON_TEST_IDLE_SLEEP:-0}
export CORDON_TEST_FLOWS=${CORDON_TEST_FLOWS:-0}
./scripts/setup.sh >/dev/null
if ! command -v iperf3 >/dev/null; then
	echo "bench_lab: installing iperf3" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		-o DPkg::Lock::Timeout=600 iperf3 >/dev/null
fi
exec python3 scripts/bench_lab.py "$@"
