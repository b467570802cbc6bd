#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Micro-benchmark of pkt_parse and the flow table (single core, no EAL).
# Usage: scripts/bench_flow.sh [build dir (default build)] [capacity_log2]
# Build with optimisation (the default buildtype is debugoptimized, -O2).
set -eu
cd "$(dirname "$0")/.."
usage() {
	echo "usage: scripts/bench_flow.sh [BUILD_DIR (default build)] [CAPACITY_LOG2 (10..24, default 20)]" >&2
	exit "${1:-2}"
}
case "${1:-}" in -h|--help) usage 0 ;; esac
[ $# -le 2 ] || usage
builddir=${1:-build}
[ -f "$builddir/build.ninja" ] ||
	{ echo "bench_flow.sh: $builddir is no meson build folder (scripts/setup.sh makes build/)" >&2; usage; }
case "${2:-20}" in
''|*[!0-9]*) echo "bench_flow.sh: CAPACITY_LOG2 '$2' is no number" >&2; usage ;;
esac
ninja -C "$builddir" tests/dataplane/bench_fastpath >/dev/null
# Pin to one core when possible: numbers from a migrating thread are noise.
if command -v taskset >/dev/null 2>&1; then
	exec taskset -c "${BENCH_CPU:-1}" "$builddir/tests/dataplane/bench_fastpath" ${2:-}
fi
exec "$builddir/tests/dataplane/bench_fastpath" ${2:-}
