#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# meson install into a DESTDIR, then what an operator gets from it:
# - the programs, a man page for each (rendered by man -l, no warnings),
#   the examples and the systemd units;
# - systemd-analyze verify on the installed units, with the installed tree
#   bind-mounted at its prefix in a private mount namespace, so that the
#   units' ExecStart paths and man: links resolve to what was installed
#   (root only; that part is skipped otherwise);
# - the installed programs run: cordond --check-config (good and bad),
#   cordond and cordonctl status, cordon-dataplane --check-config (the
#   installed example configuration, and bad files), and a dataplane that
#   registers with the installed cordond and stops cleanly.
#
#   test_install.sh BUILD_DIR
set -euo pipefail

build=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/cordon-test-install.XXXXXX)
prefix_dpdk=cordon-install-$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work" "/var/run/dpdk/$prefix_dpdk"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

dest=$work/dest
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "meson install"; }
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
root=$dest$prefix
bin=$root/bin
for f in bin/cordond bin/cordonctl bin/cordon-dataplane bin/cordon-fingerprint \
	share/man/man8/cordond.8 share/man/man8/cordon-dataplane.8 share/man/man8/cordon-console.8 \
	share/man/man1/cordonctl.1 share/man/man1/cordon-fingerprint.1 \
	lib/systemd/system/cordond.service lib/systemd/system/cordon-dataplane@.service \
	share/doc/cordon/examples/home.yaml share/doc/cordon/examples/dataplane-gw0.conf \
	share/doc/cordon/examples/cordond.conf share/cordon/fingerprint/hostname.sig share/cordon/fingerprint/oui.sig; do
	[ -s "$root/$f" ] || fail "not installed: $prefix/$f"
done
# Every installed program has its page, as an operator expects of man(1).
for prog in "$bin"/*; do
	p=$(basename "$prog")
	ls "$root"/share/man/man?/"$p".? >/dev/null 2>&1 || fail "$p is installed without a man page"
done
echo "ok: installed under $dest$prefix: programs, a man page for each, units, examples"

# Man pages: each renders, without a groff warning, and names its program.
for page in "$root"/share/man/man?/*; do
	name=$(basename "$page"); name=${name%.?}
	out=$(MANWIDTH=80 man --warnings -l "$page" 2>"$work/man.err") ||
		fail "man -l $page"
	[ ! -s "$work/man.err" ] || { cat "$work/man.err"; fail "man -l $page warns"; }
	grep -q "^NAME" <<<"$out" || fail "$name: no NAME section"
	echo "$out" | grep -Eq "^ *$name +- " || fail "$name: NAME does not name it"
	grep -q "@VERSION@" <<<"$out" && fail "$name: @VERSION@ not substituted"
	echo "ok: man -l $(basename "$page"): $(echo "$out" | wc -l) lines, no warnings"
done

# The units, verified where they were installed to be.
if [ "$(id -u)" -eq 0 ] && command -v systemd-analyze >/dev/null &&
	unshare -m true 2>/dev/null; then
	mkdir -p "$work/inst"
	ln -s "$prefix/lib/systemd/system/cordon-dataplane@.service" \
		"$work/inst/cordon-dataplane@gw0.service"
	unshare -m bash -c '
		set -e
		# The installed tree over the prefix, the prefix still beneath it:
		# with --prefix=/usr a bind mount would hide the system itself.
		mkdir -p "$2"
		mount -t overlay overlay -o lowerdir="$1:$2" "$2"
		export MANPATH=$2/share/man
		for u in "$2/lib/systemd/system/cordond.service" "$3/cordon-dataplane@gw0.service"; do
			systemd-analyze verify "$u" >"$4/verify.out" 2>&1 ||
				{ cat "$4/verify.out"; echo "FAIL: systemd-analyze verify $u"; exit 1; }
			if [ -s "$4/verify.out" ]; then
				cat "$4/verify.out"; echo "FAIL: systemd-analyze verify $u warns"; exit 1
			fi
			echo "ok: systemd-analyze verify $u"
		done
		# The example instance configuration passes the unit'\''s check.
		set -a; . "$2/share/doc/cordon/examples/dataplane-gw0.conf"; set +a
		"$2/bin/cordon-dataplane" $EAL_OPTS -- --id gw0 $CORDON_OPTS --check-config \
			>"$4/check.out" 2>&1 || { cat "$4/check.out"; echo "FAIL: example conf"; exit 1; }
		echo "ok: the example dataplane-gw0.conf passes --check-config"
	' _ "$root" "$prefix" "$work/inst" "$work"
else
	echo "SKIP (part): systemd-analyze verify needs root, systemd-analyze and unshare"
fi

# The installed programs, for real.
export CORDON_RUNDIR=$work/run CORDON_STATE_DIR=$work/state
out=$("$bin/cordond" --check-config 2>&1) || { echo "$out"; fail "cordond --check-config"; }
grep -q "configuration OK" <<<"$out" || fail "cordond --check-config: $out"
[ ! -e "$work/state" ] && [ ! -e "$work/run" ] || fail "--check-config created directories"
echo "ok: cordond --check-config: OK, and created nothing"
rc=0
out=$("$bin/cordond" --check-config --dataplane-url tls+tcp://127.0.0.1:7450 \
	--tls-cert "$work/nope.pem" --tls-ca /etc/hostname 2>&1) || rc=$?
[ $rc -eq 1 ] && grep -q "nope.pem: No such file" <<<"$out" ||
	fail "cordond --check-config with a missing certificate: exit $rc: $out"
echo "ok: cordond --check-config: a missing certificate named, exit 1"

"$bin/cordond" >"$work/cordond.log" 2>&1 &
cordond=$!
pids+=($cordond)
for _ in $(seq 600); do
	"$bin/cordonctl" status >/dev/null 2>&1 && break
	sleep 0.05
done
"$bin/cordonctl" status >"$work/status.out" 2>&1 || { cat "$work/status.out" "$work/cordond.log"; fail "installed cordonctl status"; }
echo "ok: installed cordond answers installed cordonctl status"

out=$("$bin/cordond" --check-config 2>&1) || { echo "$out"; fail "cordond --check-config, with a store"; }
grep -q "store .*cordond.db: ok" <<<"$out" || fail "the store was not checked: $out"
echo "ok: cordond --check-config checks the store cordond made"

dp_args=(-l 0,1 --no-huge -m 256 --no-pci --file-prefix "$prefix_dpdk" --log-level user1,info
	--vdev net_null0 --vdev net_null1)
printf 'not a policy' >"$work/bad.policy"
rc=0
out=$("$bin/cordon-dataplane" "${dp_args[@]}" -- --id inst --policy "$work/bad.policy" \
	--pubkey /etc/hostname --check-config 2>&1) || rc=$?
[ $rc -eq 1 ] && grep -q "bad.policy" <<<"$out" && grep -q "pubkey" <<<"$out" ||
	fail "dataplane --check-config with bad files: exit $rc: $out"
echo "ok: cordon-dataplane --check-config: a bad policy and key named, exit 1"
out=$("$bin/cordon-dataplane" "${dp_args[@]}" -- --id inst --state-dir "$work/dp-state" \
	--check-config 2>&1) || { echo "$out"; fail "dataplane --check-config"; }
[ ! -e "$work/dp-state" ] || fail "dataplane --check-config created its state directory"
echo "ok: cordon-dataplane --check-config: OK"

"$bin/cordon-dataplane" "${dp_args[@]}" -- --id inst --report-interval 200 \
	>"$work/dataplane.log" 2>&1 &
dp=$!
pids+=($dp)
registered=0
for _ in $(seq 1200); do
	if "$bin/cordonctl" status 2>/dev/null | grep -q "inst"; then
		registered=1
		break
	fi
	kill -0 "$dp" 2>/dev/null || break
	sleep 0.05
done
[ $registered -eq 1 ] || { cat "$work/dataplane.log"; fail "the installed dataplane never registered"; }
"$bin/cordonctl" status
kill -TERM "$dp"
rc=0
wait "$dp" || rc=$?
[ $rc -eq 0 ] || { cat "$work/dataplane.log"; fail "dataplane exit $rc at SIGTERM"; }
grep -q "final counters" "$work/dataplane.log" || fail "no final counters"
kill -TERM "$cordond"
rc=0
wait "$cordond" || rc=$?
[ $rc -eq 0 ] || { cat "$work/cordond.log"; fail "cordond exit $rc at SIGTERM"; }
pids=()
echo "ok: the installed dataplane registered with the installed cordond; both stopped cleanly"
echo "PASS"
