#!/usr/bin/env bash
# Builds the DEMO ONLY organisation PKI of the certified example (examples/demo-pki/) and signs
# examples/kfor-2017-q3-certified.md with the demo keys and their certificates.
#
# Everything is derived from published seeds (examples/demo-keys/README.md), so a second run
# writes the same certificates byte for byte: Ed25519 signatures are deterministic, and the serial
# numbers and validity windows are fixed here.
#
#   scripts/make-demo-pki.sh            # rewrite examples/demo-pki/ and the certified example
#
# Needs openssl (3.x) and a built transmittal (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
T=${TRANSMITTAL:-target/release/transmittal}
OUT=examples/demo-pki
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# An Ed25519 private key in PEM from a demo seed: SHA-256("transmittal demo key v1: " + id).
key_pem() { # id file
  local seed
  seed=$(printf 'transmittal demo key v1: %s' "$1" | sha256sum | cut -c1-64)
  printf '302e020100300506032b657004220420%s' "$seed" | xxd -r -p |
    openssl pkey -inform DER -out "$2"
}

key_pem demo-ca "$W/ca.key"
cat > "$W/ca.cnf" <<'CNF'
[ ca ]
default_ca = demo
[ demo ]
dir = WORKDIR
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = default
policy = any
unique_subject = no
preserve = yes
copy_extensions = none
[ any ]
commonName = supplied
title = optional
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = DEMO ONLY transmittal root CA
O = DEMO ONLY, not an organisation
[ root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ signatory ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = 1.3.6.1.5.5.7.3.36
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
sed -i "s|WORKDIR|$W|" "$W/ca.cnf"
mkdir -p "$W/new"
: > "$W/index.txt"
echo 01 > "$W/serial"
openssl req -new -key "$W/ca.key" -config "$W/ca.cnf" -out "$W/ca.csr"
openssl ca -batch -config "$W/ca.cnf" -selfsign -keyfile "$W/ca.key" -in "$W/ca.csr" \
  -extensions root -startdate 20100101000000Z -enddate 20991231235959Z -notext \
  -out "$W/ca.pem" 2>/dev/null

issue() { # id "CN" "title" "O"
  key_pem "$1" "$W/$1.key"
  openssl req -new -key "$W/$1.key" -subj "/CN=$2/title=$3/O=$4" -utf8 -out "$W/$1.csr"
  openssl ca -batch -config "$W/ca.cnf" -cert "$W/ca.pem" -keyfile "$W/ca.key" -in "$W/$1.csr" \
    -extensions signatory -startdate 20170101000000Z -enddate 20371231235959Z -notext -utf8 \
    -out "$OUT/$1.pem" 2>/dev/null
}
mkdir -p "$OUT/recipient/roots"
cp "$W/ca.pem" "$OUT/recipient/roots/demo-ca.pem"
issue stoltenberg "Jens Stoltenberg" "Secretary-General of NATO" "North Atlantic Treaty Organization (DEMO ONLY)"
issue guterres "António Guterres" "Secretary-General of the United Nations" "United Nations (DEMO ONLY)"

# The certified example: the same document, signed again with certificates embedded.
DOC=examples/kfor-2017-q3-certified.md
cp examples/kfor-2017-q3.md "$DOC"
rm -f "$DOC.sig.json"
chmod 600 examples/demo-keys/*.key
R="$OUT/recipient"
"$T" sign "$DOC" --key examples/demo-keys/stoltenberg.key --layer 1 --date 2017-10-18 \
  --cert "$OUT/stoltenberg.pem" --keys "$R" --accept-structure --quiet
"$T" sign "$DOC" --key examples/demo-keys/guterres.key --layer 0 --date 2017-10-25 \
  --cert "$OUT/guterres.pem" --keys "$R" --quiet
"$T" verify "$DOC" --keys "$R"
