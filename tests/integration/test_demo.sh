#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# scripts/demo.sh with no terminal: it must finish by itself, exit 0, show
# the camera contained and released, and leave no namespace, link or
# process of its own behind (the demo checks its own; this checks that no
# cordon-dataplane, cordond or lab namespace of its run is left either).
# Needs root and network namespaces; skips (77) otherwise.
set -euo pipefail
if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
	echo "SKIP: the demo needs root and network namespaces"
	exit 77
fi
out=$(timeout 240 "$1/scripts/demo.sh" </dev/null 2>&1) || {
	echo "$out"
	echo "FAIL: demo.sh exited non-zero"
	exit 1
}
echo "$out"
for want in "contained after" "released: the camera reaches" \
	"no namespace, link or process left"; do
	if ! grep -q "$want" <<<"$out"; then
		echo "FAIL: the demo did not show: $want"
		exit 1
	fi
done
# Checked again from outside: nothing carries the lab's tag or the
# dataplane's file prefix (other labs may run beside this one).
read -r tag prefix < <(sed -n 's/.*no namespace, link or process left (lab \([^,]*\), dataplane \([^)]*\)).*/\1 \2/p' <<<"$out")
if [ -z "$tag" ] || [ -z "$prefix" ]; then
	echo "FAIL: the demo did not name its lab"
	exit 1
fi
seen=$(ip netns list; ip -o link; ps -eo args)
left=$(grep -E -e "${tag}[-.]" -e "${prefix}-" <<<"$seen" || true)
if [ -n "$left" ]; then
	echo "FAIL: the demo left behind: $left"
	exit 1
fi
echo "PASS: the camera was contained and released; nothing of lab $tag left"
