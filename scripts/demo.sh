#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Cordon in one command: a smart home (examples/home.yaml) on network
# namespaces bridged by cordon-dataplane, with a real cordond; the devices
# join and are identified, a camera turns (nmap) and the dataplane contains
# it by itself, the operator releases it. See scripts/demo_home.py.
#
# Interactive (a terminal on stdin): waits for Enter before stopping.
# Otherwise it runs to the end by itself and exits 0. Either way it leaves
# no namespace, link or process behind (it checks). Needs root.
set -euo pipefail

case "${1:-}" in
'') ;;
-h|--help) sed -n '5,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "demo.sh: takes no arguments (got '$1'); see README.md" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# CORDON_BUILD: use that build directory as it is (the test suite does).
if [ -n "${CORDON_BUILD:-}" ]; then
	BUILD=$CORDON_BUILD
else
	./scripts/setup.sh >/dev/null
	BUILD=$ROOT/build
fi

args=(--build "$BUILD")
if [ -t 0 ]; then
	args+=(--pause)
fi
exec python3 scripts/demo_home.py "${args[@]}"
