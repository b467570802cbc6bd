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

# The next pass's tree builds at the lowest priority while a pass runs: it
# takes the CPU the tests leave idle, and the tests hardly notice (nice 19
# weighs 1/70th of a test). Its log is printed if it fails.
bg_pid=
bg_start() {
	local dir=$1

	nice -n 19 ninja -C "$dir" >"$dir/bg-build.log" 2>&1 &
	bg_pid=$!
}
bg_wait() {
	local dir=$1 rc=0

	wait "$bg_pid" || rc=$?
	bg_pid=
	if [ "$rc" -ne 0 ]; then
		cat "$dir/bg-build.log" >&2
		echo "test.sh: building $dir failed" >&2
		exit 1
	fi
	ninja -C "$dir"		# nothing left to do, or what the wait missed
}
trap '[ -z "$bg_pid" ] || kill "$bg_pid" 2>/dev/null || true' EXIT

if [ ! -f build-asan/build.ninja ]; then
	meson setup build-asan --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false
fi
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz --buildtype=debugoptimized -Dfuzzers=true \
		-Db_sanitize=address,undefined -Db_lundef=false
fi

echo "== tests (build/)"
bg_start build-asan
meson test -C build --print-errorlogs --num-processes "$jobs" --no-suite soak
check_left "the tests"

echo "== tests under ASan+UBSan (build-asan/)"
bg_wait build-asan
bg_start build-fuzz
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
meson test -C build-asan --print-errorlogs --num-processes "$jobs" \
	--no-suite bench
check_left "the tests under ASan+UBSan"

echo "== fuzzers, briefly (build-fuzz/: clang, libFuzzer; scripts/fuzz.sh runs them longer)"
bg_wait build-fuzz
meson test -C build-fuzz --print-errorlogs --suite fuzz
check_left "the fuzzers"

echo "== all tests passed"
