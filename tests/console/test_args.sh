#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# cordon-console's command line: every refusal exits 2 and names the
# option at fault as it was written (not the program's name, not the word
# before it), for the server's options and the users subcommands alike.
# Nothing here starts a server: each case fails before it would.
set -u
bin=$1
fails=0

expect() {	# expect RC TEXT ARGS...: exit RC, TEXT in stderr
	local rc=$1 text=$2 out got
	shift 2
	out=$("$bin" "$@" 2>&1 </dev/null)
	got=$?
	if [ "$got" -ne "$rc" ] || ! grep -qF -- "$text" <<<"$out"; then
		echo "FAIL: cordon-console $*: exit $got (want $rc): $out"
		fails=$((fails + 1))
	else
		echo "ok: cordon-console $*: exit $rc, $text"
	fi
}

expect 2 "unknown option '-z'" -zh
expect 2 "unknown option '-z'" -vz
expect 2 "unknown option '--bogus'" --bogus
expect 2 "option '--listen' needs a value" --listen
expect 2 "--listen: empty or too long" --listen=
expect 2 "--cert: empty or too long" --cert ""
expect 2 "--timeout: '5' is not a number in 100..600000" --timeout 5
expect 2 "unknown command 'stray'" stray
expect 2 "users: unknown option '-z'" users -zh
expect 2 "users: unknown option '--bogus'" users --bogus
expect 2 "passwd: one USER" passwd
expect 0 "Usage" --help
[ "$fails" -eq 0 ] || exit 1
echo "all passed"
