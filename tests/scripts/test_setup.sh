#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# scripts/setup.sh's install path, really run, with stand-ins first on PATH:
# dpkg-query answers from a fake package database in which three packages
# are missing, apt-get records its calls and installs into that database,
# sudo records and runs the rest, and id says who we are. Run as root and as
# a user with sudo: what was called, with which environment, each package
# asked for once (tshark is listed twice), and a second run installs nothing.
#
#   test_setup.sh SOURCE_ROOT
set -euo pipefail

src=$1
work=$(mktemp -d /tmp/cordon-test-setup.XXXXXX)
trap 'rm -rf "$work"' EXIT
stub=$work/bin
mkdir -p "$stub"

cat >"$stub/dpkg-query" <<'STUB'
#!/bin/sh
# dpkg-query -W -f='${db:Status-Status}' PKG: "installed" unless missing.
# dpkg-query -L PKG: a daemon package's unit files, or none.
eval pkg=\${$#}
if [ "$1" = -L ]; then
	case "$pkg" in
	openssh-server) printf '/etc/ssh\n/lib/systemd/system/ssh.service\n/lib/systemd/system/ssh.socket\n/lib/systemd/system/ssh@.service\n' ;;
	*) echo /usr/share/doc/"$pkg" ;;
	esac
	exit 0
fi
if grep -qx "$pkg" "$FAKE_DB/missing"; then
	echo "dpkg-query: no packages found matching $pkg" >&2
	exit 1
fi
printf installed
STUB
cat >"$stub/dpkg" <<'STUB'
#!/bin/sh
echo "dpkg $*" >>"$FAKE_DB/calls"
echo "dpkg stand-in: setup.sh should not need dpkg" >&2
exit 1
STUB
cat >"$stub/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $* [uid=$FAKE_UID DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}]" >>"$FAKE_DB/calls"
[ "$FAKE_UID" = 0 ] || { echo "apt-get: not root" >&2; exit 100; }
if [ "$1" = install ]; then
	for a in "$@"; do
		case "$a" in -*|install) ;; *)
			grep -vx "$a" "$FAKE_DB/missing" >"$FAKE_DB/m" || true
			mv "$FAKE_DB/m" "$FAKE_DB/missing" ;;
		esac
	done
fi
STUB
cat >"$stub/sudo" <<'STUB'
#!/bin/sh
# Like sudo: root for the command, and an environment reset (no
# DEBIAN_FRONTEND passes unless the command sets it itself).
echo "sudo $*" >>"$FAKE_DB/calls"
exec env -u DEBIAN_FRONTEND FAKE_UID=0 "$@"
STUB
cat >"$stub/systemctl" <<'STUB'
#!/bin/sh
echo "systemctl $* [uid=$FAKE_UID]" >>"$FAKE_DB/calls"
[ "$FAKE_UID" = 0 ] || { echo "systemctl: not root" >&2; exit 1; }
STUB
cat >"$stub/id" <<'STUB'
#!/bin/sh
[ "$1" = -u ] && { echo "$FAKE_UID"; exit 0; }
exec /usr/bin/id "$@"
STUB
cat >"$stub/meson" <<'STUB'
#!/bin/sh
echo "meson $*" >>"$FAKE_DB/calls"
STUB
cp "$stub/meson" "$stub/ninja"
sed -i 's/meson \$/ninja $/' "$stub/ninja"
chmod +x "$stub"/*

fail=0
check() {	# what, expected, got
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		printf 'FAIL: %s\n  expected:\n%s\n  got:\n%s\n' "$1" "$2" "$3"
		fail=1
	fi
}

run_setup() {	# uid
	FAKE_UID=$1 FAKE_DB=$work/db PATH="$stub:$PATH" \
		DEBIAN_FRONTEND=readline bash "$src/scripts/setup.sh" --no-build
}

for who in root user; do
	rm -rf "$work/db"
	mkdir "$work/db"
	printf 'p0f\ntshark\nlibsqlite3-dev\n' >"$work/db/missing"
	: >"$work/db/calls"
	uid=0 pre=
	if [ $who = user ]; then
		uid=1000 pre="sudo env DEBIAN_FRONTEND=noninteractive "
	fi
	out=$(run_setup $uid 2>&1) || { echo "$out"; echo "FAIL: setup.sh as $who exited non-zero"; exit 1; }
	echo "$out" | sed 's/^/  /'
	env="[uid=0 DEBIAN_FRONTEND=noninteractive]"
	want=""
	[ $who = user ] && want="${pre}apt-get update -q
"
	want="${want}apt-get update -q $env
"
	[ $who = user ] && want="${want}${pre}apt-get install -y -q --no-install-recommends p0f tshark libsqlite3-dev
"
	want="${want}apt-get install -y -q --no-install-recommends p0f tshark libsqlite3-dev $env"
	# The order is the list's: p0f and tshark from the main list (sorted),
	# libsqlite3-dev from control/PACKAGES.store.
	check "$who: the missing packages installed, each once, noninteractive" \
		"$want" "$(cat "$work/db/calls")"
	check "$who: nothing missing afterwards" "" "$(cat "$work/db/missing")"

	: >"$work/db/calls"
	out=$(run_setup $uid 2>&1) || { echo "$out"; echo "FAIL: second run as $who"; exit 1; }
	check "$who: a second run calls nothing" "" "$(cat "$work/db/calls")"
	case "$out" in
	"setup: all "*" packages present") echo "ok: $who: second run says: $out" ;;
	*) echo "FAIL: $who: second run said: $out"; fail=1 ;;
	esac
done

# Each package once in the list, however many PACKAGES files name it.
n_listed=$(cd "$src" && { sed -n '/^PACKAGES=(/,/^)/p' scripts/setup.sh | sed '1d;$d';
	cat ./*/PACKAGES ./*/PACKAGES.* ./*/*/PACKAGES 2>/dev/null || true; } |
	awk '$1 !~ /^#/ && NF {print $1}' | sort -u | wc -l)
check "every listed package asked for once" \
	"setup: all $n_listed packages present" "$out"

# A daemon's package installed by setup.sh: its units (not the template)
# disabled, stopped too when booted with systemd; nothing else touched.
rm -rf "$work/db"
mkdir "$work/db"
printf 'p0f\nopenssh-server\n' >"$work/db/missing"
: >"$work/db/calls"
out=$(run_setup 1000 2>&1) || { echo "$out"; echo "FAIL: setup.sh with a daemon"; exit 1; }
now=
[ -d /run/systemd/system ] && now="--now "
check "a daemon that came with an install is disabled, as root through sudo" \
	"sudo systemctl disable ${now}ssh.service ssh.socket
systemctl disable ${now}ssh.service ssh.socket [uid=0]" \
	"$(grep systemctl "$work/db/calls")"
case "$out" in
*"setup: ssh.service ssh.socket came with packages installed for Cordon's tests: disabled"*)
	echo "ok: it says so" ;;
*) echo "FAIL: setup.sh did not say what it disabled: $out"; fail=1 ;;
esac

# A bad option: usage, exit 2, nothing installed.
: >"$work/db/calls"
rc=0
FAKE_UID=0 FAKE_DB=$work/db PATH="$stub:$PATH" bash "$src/scripts/setup.sh" --bogus \
	>/dev/null 2>&1 || rc=$?
check "an unknown option exits 2 and calls nothing" "2:" "$rc:$(cat "$work/db/calls")"

if [ $fail -ne 0 ]; then
	echo "FAIL"
	exit 1
fi
echo "PASS"
