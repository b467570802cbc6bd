#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# scripts/quiet_services.sh PKG...: called by setup.sh and bench_peers.sh
# with the packages they have just installed. Debian enables and starts a
# package's daemons on install; Cordon needs these packages only for their
# programs (its tests start their own sshd, run promtool, start their own
# ovsdb-server and ovs-vswitchd), so a daemon that came with one of them is
# disabled and stopped rather than left listening (sshd on :22, Prometheus
# on :9090). A package that was there before is never passed here, so a
# machine's own services are left as they were. Says what it did.
set -euo pipefail

# The packages whose daemons Cordon never uses.
DAEMONS=(openssh-server prometheus openvswitch-switch)

case "${1:-}" in -h|--help) sed -n '5,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
command -v systemctl >/dev/null 2>&1 || exit 0

units=()
for p in "$@"; do
	case " ${DAEMONS[*]} " in *" $p "*) ;; *) continue ;; esac
	while read -r f; do
		u=${f##*/}
		case "$u" in *@*) continue ;; esac	# templates: never enabled
		units+=("$u")
	done < <(dpkg-query -L "$p" 2>/dev/null |
		grep -E '/systemd/system/[^/]+\.(service|socket)$' || true)
done
[ ${#units[@]} -gt 0 ] || exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
# Booted with systemd: disable and stop. In a chroot or a container without
# it, disabling is all there is (nothing was started).
now=()
[ -d /run/systemd/system ] && now=(--now)
if "${as_root[@]}" systemctl disable "${now[@]}" "${units[@]}" >/dev/null 2>&1; then
	echo "setup: ${units[*]} came with packages installed for Cordon's tests:" \
		"disabled${now:+ and stopped} (the tests start their own)"
else
	echo "setup: could not disable ${units[*]} (they came with packages" \
		"installed for Cordon's tests; the tests do not need them running)" >&2
fi
