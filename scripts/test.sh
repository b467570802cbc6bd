#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Set up if needed, build, and run every test: the whole suite on the normal
# build, then again on an ASan+UBSan build (DPDK included: it runs with
# --no-huge). Exits non-zero on the first failing run.
set -euo pipefail

case "${1:-}" in
'') ;;
-h|--help) sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "test.sh: takes no arguments (got '$1'); see README.md" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
./scripts/setup.sh

# A passing test leaves nothing behind: its lab folder in /tmp and EAL's
# runtime folders go (a failing one keeps its lab and says where).
# CORDON_KEEP_LABS=1 keeps them all, and skips this check.
left() { ls -d /tmp/cordon-* /var/run/dpdk/cordon* 2>/dev/null | sort || true; }
left0=$(left)
check_left() {
	local new
	[ -z "${CORDON_KEEP_LABS:-}" ] || [ "${CORDON_KEEP_LABS}" = 0 ] || return 0
	new=$(comm -13 <(echo "$left0") <(left))
	if [ -n "$new" ]; then
		echo "test.sh: $1 left these behind:" >&2
		echo "$new" | sed 's/^/  /' >&2
		exit 1
	fi
}

# Three at a time on two cores: the integration tests spend a good part
# of their time waiting (namespaces, timeouts, daemons starting), and their
# dataplanes sleep when idle (tests/integration/meson.build). On the
# 2-core AMD host two at a time left 22 % of the CPU idle; three, 9 %.
jobs=${CORDON_TEST_JOBS:-3}

echo "== tests (build/)"
meson test -C build --print-errorlogs --num-processes "$jobs" --no-suite soak
check_left "the tests"

echo "== tests under ASan+UBSan (build-asan/)"
if [ ! -f build-asan/build.ninja ]; then
	meson setup build-asan --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C build-asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
meson test -C build-asan --print-errorlogs --num-processes "$jobs" \
	--no-suite bench
check_left "the tests under ASan+UBSan"

echo "== fuzzers, briefly (build-fuzz/: clang, libFuzzer; scripts/fuzz.sh runs them longer)"
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz --buildtype=debugoptimized -Dfuzzers=true \
		-Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C build-fuzz
meson test -C build-fuzz --print-errorlogs --suite fuzz
check_left "the fuzzers"

echo "== all tests passed"
