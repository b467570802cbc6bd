#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Cordon against testpmd, DPDK's l3fwd --lookup=acl and OVS-DPDK (stateless
# and with conntrack) on one capture and one 1,000-device policy, in one
# interleaved run. Ends with four lines:
#   RATIO cordon/ovs-stateless, cordon/ovs-conntrack, cordon/l3fwd-acl,
#   cordon/testpmd
# See scripts/bench_peers.py --help. The peers come from Debian: this
# installs them when they are missing (benchmark only, not in PACKAGES).
#
#   scripts/bench_peers.sh [--runs N] [--seconds S] [--only a,b] [--against LABEL=BUILD]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
PEERS=(openvswitch-switch-dpdk dpdk-doc make patch)
missing=()
for p in "${PEERS[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "bench_peers: installing ${missing[*]}" >&2
	# openvswitch-switch-dpdk brings openvswitch-switch, whose daemons the
	# benchmark does not use (it starts its own): quiet_services.sh stops
	# them when they came with this install.
	new=("${missing[@]}")
	dpkg -s openvswitch-switch >/dev/null 2>&1 || new+=(openvswitch-switch)
	# A failure leaves those systems to be skipped, with the reason.
	if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null; then
		scripts/quiet_services.sh "${new[@]}" >&2
	else
		echo "bench_peers: could not install ${missing[*]}" >&2
	fi
fi
exec python3 scripts/bench_peers.py "$@"
