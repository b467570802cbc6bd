#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# scripts/demo.sh with no terminal: it must finish by itself, exit 0, and
# show forwarded packets in cordonctl stats.
set -euo pipefail
out=$(timeout 90 "$1/scripts/demo.sh" </dev/null 2>&1) || {
	echo "$out"
	echo "FAIL: demo.sh exited non-zero"
	exit 1
}
echo "$out"
tx=$(echo "$out" | awk '/^ +1 +net_pcap1 /{print $5; exit}')
if [ -z "$tx" ] || [ "$tx" -eq 0 ]; then
	echo "FAIL: no forwarded packets in the demo's stats"
	exit 1
fi
echo "PASS: demo forwarded $tx packets"
