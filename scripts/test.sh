#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# Set up if needed, build, and run every test: the whole suite on the normal
# build (gcc), then again on an ASan+UBSan build (clang; DPDK included: it
# runs with --no-huge) with the fuzzers. Exits non-zero on the first
# failing run.
set -euo pipefail

case "${1:-}" in
'') ;;
-h|--help) sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# The sanitizer pass is built by clang, the plain one by gcc: each
# compiler's warnings (-Werror) cover the whole tree, and the one clang
# tree also builds the libFuzzer targets, which run briefly in this pass
# (suite 'fuzz'; scripts/fuzz.sh runs them longer on an optimised tree).
# -O0: the tests wait on daemons and tools more than on our code.
echo "== tests under ASan+UBSan, fuzzers briefly (build-san/: clang)"
if [ ! -f build-san/build.ninja ]; then
	CC=clang meson setup build-san --buildtype=debug -Dfuzzers=true \
		-Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C build-san
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
meson test -C build-san --print-errorlogs --num-processes "$jobs" \
	--no-suite bench
check_left "the tests under ASan+UBSan"

echo "== all tests passed"
