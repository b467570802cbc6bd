#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Micro-benchmark of pkt_parse and the flow table (single core, no EAL).
# Usage: scripts/bench_flow.sh [build dir (default build)] [capacity_log2]
# Build with optimisation (the default buildtype is debugoptimized, -O2).
set -eu
cd "$(dirname "$0")/.."
builddir=${1:-build}
ninja -C "$builddir" tests/dataplane/bench_fastpath >/dev/null
# Pin to one core when possible: numbers from a migrating thread are noise.
if command -v taskset >/dev/null 2>&1; then
	exec taskset -c "${BENCH_CPU:-1}" "$builddir/tests/dataplane/bench_fastpath" ${2:-}
fi
exec "$builddir/tests/dataplane/bench_fastpath" ${2:-}
