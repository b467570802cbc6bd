#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Dataplane benchmark: cordon-dataplane against dpdk-testpmd io forwarding
# on the same ports and captures, in one invocation. Prints one CASE line
# per case (Mpps, ratio to the baseline, every run) and ends with exactly
# one line "RATIO established <x.xx>". Before it, CONTROL lines give the
# control plane's figures (policy apply, quarantine, re-registration, swap
# latency) as medians (scripts/bench_control.py). See scripts/bench.py --help.
#
#   scripts/bench.sh [--runs N] [--seconds S] [--quick] [--control-runs N] [--control-only]
#                    [--cases a,b,...] [--against LABEL=BUILD ...]
set -euo pipefail
cd "$(dirname "$0")/.."
# The dataplane as production runs it, busy-polling and with its default
# flow table: the test labs' dataplanes sleep when idle and keep fewer
# flows (tests/integration/cordonlab.py).
export CORDON_TEST_IDLE_SLEEP=${CORDON_TEST_IDLE_SLEEP:-0}
export CORDON_TEST_FLOWS=${CORDON_TEST_FLOWS:-0}
./scripts/setup.sh >/dev/null
exec python3 scripts/bench.py "$@"
