#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# scripts/make-certs.sh: usage, what it makes, idempotence, and that nng's
# tls+tcp accepts its certificates with mutual authentication (tls_probe).
#
#   test_certs.sh SOURCE_ROOT TLS_PROBE
set -euo pipefail

src=$1
probe=$2
mk=$src/scripts/make-certs.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

check() {	# description, then a command that must succeed
	local what=$1
	shift
	if "$@"; then
		echo "ok   $what"
	else
		echo "FAIL $what"
		fails=$((fails + 1))
	fi
}

mode() { stat -c %a "$1"; }
sums() { (cd "$1" && md5sum ./*.crt ./*.key ./*.pem | sort); }
subject_cn() {
	openssl x509 -in "$1" -noout -subject -nameopt multiline |
		sed -n 's/^ *commonName *= *//p'
}

# Usage.
check "--help exits 0 and shows usage" bash -c "'$mk' --help | grep -q '^Usage: make-certs.sh'"
set +e
"$mk" >/dev/null 2>&1; rc_none=$?
"$mk" --bogus "$work/x" >/dev/null 2>&1; rc_opt=$?
"$mk" --client 'bad/id' "$work/x" >/dev/null 2>&1; rc_id=$?
"$mk" --days abc "$work/x" >/dev/null 2>&1; rc_days=$?
set -e
check "no OUTDIR: exit 2" test "$rc_none" -eq 2
check "unknown option: exit 2" test "$rc_opt" -eq 2
check "unsafe dataplane id: exit 2" test "$rc_id" -eq 2
check "bad --days: exit 2" test "$rc_days" -eq 2
check "nothing made on bad arguments" test ! -e "$work/x"

# A set.
d=$work/certs
"$mk" --server-name localhost --server-name cordond.lan \
	--server-ip 127.0.0.1 --client gw0 --client gw-1 "$d" >/dev/null
for f in ca cordond dataplane-gw0 dataplane-gw-1; do
	check "$f.key is 0600" test "$(mode "$d/$f.key")" = 600
	check "$f.crt is 0644" test "$(mode "$d/$f.crt")" = 644
done
check "cordond.pem is 0600" test "$(mode "$d/cordond.pem")" = 600
check "chain verifies" openssl verify -CAfile "$d/ca.crt" \
	"$d/cordond.crt" "$d/dataplane-gw0.crt" "$d/dataplane-gw-1.crt"
check "server: serverAuth" bash -c "openssl x509 -in '$d/cordond.crt' -noout -ext extendedKeyUsage | grep -q 'Server Authentication'"
check "server: SANs" bash -c "openssl x509 -in '$d/cordond.crt' -noout -ext subjectAltName | grep -q 'DNS:localhost, DNS:cordond.lan, IP Address:127.0.0.1'"
check "client: clientAuth" bash -c "openssl x509 -in '$d/dataplane-gw0.crt' -noout -ext extendedKeyUsage | grep -q 'Client Authentication'"
check "client: CN is the dataplane id" test "$(subject_cn "$d/dataplane-gw-1.crt")" = gw-1
check "keys are EC P-256" bash -c "openssl pkey -in '$d/cordond.key' -noout -text | grep -q 'NIST CURVE: P-256'"
check "CA is a CA" bash -c "openssl x509 -in '$d/ca.crt' -noout -ext basicConstraints | grep -q 'CA:TRUE'"
check "leaf is not a CA" bash -c "openssl x509 -in '$d/cordond.crt' -noout -ext basicConstraints | grep -q 'CA:FALSE'"

# Idempotent: the same request changes nothing.
before=$(sums "$d")
"$mk" --server-name localhost --server-name cordond.lan \
	--server-ip 127.0.0.1 --client gw0 --client gw-1 "$d" >/dev/null
check "second run changes nothing" test "$before" = "$(sums "$d")"

# A new client only adds; other SANs reissue the server cert, same key.
srv_crt=$(md5sum <"$d/cordond.crt")
srv_key=$(md5sum <"$d/cordond.key")
gw0=$(md5sum <"$d/dataplane-gw0.crt")
"$mk" --server-name localhost --client gw2 "$d" >/dev/null
check "new client certificate" test -s "$d/dataplane-gw2.crt"
check "changed SANs: server cert reissued" test "$srv_crt" != "$(md5sum <"$d/cordond.crt")"
check "changed SANs: server key kept" test "$srv_key" = "$(md5sum <"$d/cordond.key")"
check "other clients untouched" test "$gw0" = "$(md5sum <"$d/dataplane-gw0.crt")"
ca=$(md5sum <"$d/ca.crt")
"$mk" --renew --client gw0 "$d" >/dev/null
check "--renew reissues leaves" test "$gw0" != "$(md5sum <"$d/dataplane-gw0.crt")"
check "--renew keeps the CA" test "$ca" = "$(md5sum <"$d/ca.crt")"

# nng: mutual TLS with these certificates, and refusals.
"$mk" --client gw0 "$d/other" >/dev/null
check "nng tls+tcp mutual authentication" "$probe" "$d"

if [[ $fails -gt 0 ]]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
