#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# A private CA and the certificates for the dataplane <-> cordond tls+tcp
# channel, with mutual authentication: cordond presents a server certificate,
# each dataplane a client certificate whose CN is its dataplane id.
#
# Keys are EC P-256 (ECDSA). nng in Debian 12 (libnng1 1.5.2) does TLS with
# mbedTLS 2.28, which has no Ed25519 in X.509 or TLS; P-256 works there and
# with OpenSSL alike.
#
# Idempotent: an existing CA is kept; an existing certificate is kept if it
# still verifies against the CA, is valid for at least 30 more days and (for
# cordond) names exactly the requested DNS names and IPs. Otherwise it is
# issued again with the same key. --renew reissues every leaf certificate.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: make-certs.sh [options] OUTDIR

Make (or complete) a CA and certificates for cordond's tls+tcp endpoint.

Options:
  --server-name NAME  DNS name in cordond's certificate (repeatable;
                      default: localhost)
  --server-ip IP      IP address in cordond's certificate (repeatable;
                      default: 127.0.0.1 and ::1)
  --client ID         a client certificate for dataplane ID, CN=ID
                      (repeatable)
  --console           also a server certificate for cordon-console's HTTPS,
                      with the same names and IPs as cordond's
  --days N            validity of the leaf certificates (default: 825)
  --ca-days N         validity of a new CA (default: 3650)
  --renew             issue every leaf certificate again (keys are kept)
  -h, --help          this text

Files in OUTDIR (keys mode 0600, certificates 0644):
  ca.key, ca.crt              the CA; keep ca.key away from the gateways
  cordond.key, cordond.crt    cordond's key and certificate
  cordond.pem                 certificate + key in one file, the form
                              NNG_OPT_TLS_CERT_KEY_FILE wants
  dataplane-ID.{key,crt,pem}  the same for each dataplane
  console.{key,crt,pem}       the same for cordon-console (--console); give
                              browsers and Prometheus ca.crt to trust it
  *.crt.san                   the SANs asked for, to notice a change

cordond: cert-key file cordond.pem, CA file ca.crt, auth mode required.
Dataplane: cert-key file dataplane-ID.pem, CA file ca.crt, server name one of
the --server-name values.
EOF
}

die() {
	echo "make-certs.sh: $*" >&2
	exit 2
}

names=()
ips=()
clients=()
days=825
ca_days=3650
renew=0
console=0
outdir=

while [[ $# -gt 0 ]]; do
	case "$1" in
	--server-name) [[ $# -ge 2 ]] || die "--server-name needs a value"
		names+=("$2"); shift 2 ;;
	--server-ip) [[ $# -ge 2 ]] || die "--server-ip needs a value"
		ips+=("$2"); shift 2 ;;
	--client) [[ $# -ge 2 ]] || die "--client needs a value"
		clients+=("$2"); shift 2 ;;
	--days) [[ $# -ge 2 ]] || die "--days needs a value"
		days=$2; shift 2 ;;
	--ca-days) [[ $# -ge 2 ]] || die "--ca-days needs a value"
		ca_days=$2; shift 2 ;;
	--renew) renew=1; shift ;;
	--console) console=1; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) [[ -z $outdir ]] || die "one OUTDIR only (see --help)"
		outdir=$1; shift ;;
	esac
done

[[ -n $outdir ]] || { usage >&2; exit 2; }
[[ $days =~ ^[1-9][0-9]{0,4}$ ]] || die "--days: not a number of days: $days"
[[ $ca_days =~ ^[1-9][0-9]{0,4}$ ]] ||
	die "--ca-days: not a number of days: $ca_days"
[[ ${#names[@]} -gt 0 ]] || names=(localhost)
[[ ${#ips[@]} -gt 0 ]] || ips=(127.0.0.1 ::1)
for n in "${names[@]}"; do
	[[ $n =~ ^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] ||
		die "--server-name: not a DNS name: $n"
done
for ip in "${ips[@]}"; do
	[[ $ip =~ ^[0-9.]+$ || $ip =~ ^[0-9A-Fa-f:.]+$ ]] ||
		die "--server-ip: not an IP address: $ip"
done
for c in "${clients[@]}"; do
	# The id becomes a file name and a CN: keep it tame.
	[[ $c =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] ||
		die "--client: dataplane id must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}: $c"
done
command -v openssl >/dev/null || die "openssl is not installed"

umask 077
mkdir -p "$outdir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

newkey() {	# path: an EC P-256 key, unless there is one
	if [[ ! -s $1 ]]; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-pkeyopt ec_param_enc:named_curve -out "$1.tmp" 2>/dev/null
		mv "$1.tmp" "$1"
		echo "  key   $1"
	fi
	chmod 600 "$1"
}

serial() {
	echo "0x$(openssl rand -hex 16)"
}

# --- CA -------------------------------------------------------------------
ca_key=$outdir/ca.key
ca_crt=$outdir/ca.crt
if [[ ! -s $ca_crt || ! -s $ca_key ]]; then
	[[ ! -s $ca_crt ]] || die "$ca_crt exists without $ca_key; move it away first"
	newkey "$ca_key"
	cat >"$tmp/ca.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca_ext
[dn]
CN = Cordon CA
O = Cordon
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
	openssl req -new -x509 -config "$tmp/ca.cnf" -key "$ca_key" \
		-days "$ca_days" -set_serial "$(serial)" -sha256 \
		-out "$ca_crt.tmp"
	mv "$ca_crt.tmp" "$ca_crt"
	chmod 644 "$ca_crt"
	echo "  cert  $ca_crt (new CA)"
fi

# Is cert $1 issued by our CA and valid 30 more days? Its SANs are kept in
# $1.san as requested, so a changed request is noticed.
cert_ok() {
	local crt=$1 san=$2
	[[ $renew -eq 0 && -s $crt ]] || return 1
	openssl verify -CAfile "$ca_crt" "$crt" >/dev/null 2>&1 || return 1
	openssl x509 -in "$crt" -noout -checkend $((30 * 86400)) >/dev/null ||
		return 1
	[[ $(cat "$crt.san" 2>/dev/null) == "$san" ]]
}

# issue NAME CN EKU [SAN]: NAME.key, NAME.crt, NAME.pem
issue() {
	local name=$1 cn=$2 eku=$3 san=${4-}
	local key=$outdir/$name.key crt=$outdir/$name.crt pem=$outdir/$name.pem

	newkey "$key"
	if ! cert_ok "$crt" "$san"; then
		cat >"$tmp/$name.ext" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = $eku
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
		[[ -z $san ]] || echo "subjectAltName = $san" >>"$tmp/$name.ext"
		openssl req -new -key "$key" -subj "/O=Cordon/CN=$cn" \
			-out "$tmp/$name.csr"
		openssl x509 -req -in "$tmp/$name.csr" -CA "$ca_crt" \
			-CAkey "$ca_key" -set_serial "$(serial)" -days "$days" \
			-sha256 -extfile "$tmp/$name.ext" -out "$crt.tmp" \
			2>/dev/null
		mv "$crt.tmp" "$crt"
		chmod 644 "$crt"
		echo "$san" >"$crt.san"
		chmod 644 "$crt.san"
		echo "  cert  $crt (CN=$cn${san:+, $san})"
	fi
	# Rebuilt every time: cheap, and always matches the pair above.
	cat "$crt" "$key" >"$pem.tmp"
	chmod 600 "$pem.tmp"
	mv "$pem.tmp" "$pem"
}

san=
for n in "${names[@]}"; do san+="${san:+,}DNS:$n"; done
for ip in "${ips[@]}"; do san+="${san:+,}IP:$ip"; done
issue cordond "${names[0]}" serverAuth "$san"
if [[ $console -eq 1 ]]; then
	issue console "${names[0]}" serverAuth "$san"
fi
for c in "${clients[@]}"; do
	issue "dataplane-$c" "$c" clientAuth
done
echo "make-certs.sh: certificates in $outdir are ready"
