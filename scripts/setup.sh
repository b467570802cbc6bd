#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Install what Cordon needs from Debian 12 and build it. Idempotent: a second
# run installs nothing and ninja finds no work. As root apt-get runs
# directly, otherwise through sudo.
#
#   scripts/setup.sh              packages + build/ (release, asserts on)
#   scripts/setup.sh --no-build   packages only (tests/scripts/test_setup.sh)
#   BUILD_DIR=x scripts/setup.sh
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
build=1
for arg in "$@"; do
	case "$arg" in
	--no-build) build=0 ;;
	-h|--help) sed -n '5,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "setup: unknown option $arg (--no-build, --help)" >&2; exit 2 ;;
	esac
done

# One list for build, tests and demo. Keep it sorted.
PACKAGES=(
	build-essential
	clang
	dpdk
	dpdk-dev
	ieee-data
	iproute2
	libclang-rt-14-dev
	libcmocka-dev
	libdpdk-dev
	libjansson-dev
	libnng-dev
	libpcap-dev
	libprotobuf-c-dev
	libssl-dev
	meson
	ninja-build
	openssl
	p0f
	pkg-config
	protobuf-c-compiler
	protobuf-compiler
	python3
	python3-yaml
	tshark
)
# Components may list extra packages, one per line; many repeat the list
# above or each other, and each package is asked for once.
declare -A listed=()
for p in "${PACKAGES[@]}"; do listed[$p]=1; done
for f in */PACKAGES */PACKAGES.* */*/PACKAGES; do
	[ -f "$f" ] || continue
	while read -r p _; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -n "${listed[$p]:-}" ] && continue
		listed[$p]=1
		PACKAGES+=("$p")
	done < "$f"
done

missing=()
for p in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	# As root, apt-get runs directly; otherwise through sudo. env carries
	# DEBIAN_FRONTEND past sudo's environment reset either way.
	as_root=()
	[ "$(id -u)" -eq 0 ] || as_root=(sudo)
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
	scripts/quiet_services.sh "${missing[@]}"
else
	echo "setup: all ${#PACKAGES[@]} packages present"
fi

[ "$build" -eq 1 ] || exit 0
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
	meson setup "$BUILD_DIR" --buildtype=release -Db_ndebug=false
fi
ninja -C "$BUILD_DIR"
