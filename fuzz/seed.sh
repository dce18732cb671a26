#!/bin/sh
# Seed the fuzz corpora from the repository's test files (corpus/ is not committed).
# Run from anywhere: sh fuzz/seed.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
c="$here/corpus"
mkdir -p "$c/parse_document" "$c/parse_sigfile" "$c/verify"

n=0
for f in "$repo"/tests/data/corpus/*.md "$repo"/examples/*.md "$repo"/README.md "$repo"/docs/FORMAT.md; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$c/parse_document/doc-$n"
    # Variants the canonical profile must absorb: CRLF, lone CR, trailing spaces, BOM.
    sed 's/$/\r/' "$f" > "$c/parse_document/doc-$n-crlf"
    tr '\n' '\r' < "$f" > "$c/parse_document/doc-$n-cr"
    sed 's/$/  \t/' "$f" > "$c/parse_document/doc-$n-trailing"
    { printf '\357\273\277'; cat "$f"; } > "$c/parse_document/doc-$n-bom"
done

ex="$repo/examples/kfor-2017-q3.md"
sig="$ex.sig.json"
cp "$sig" "$c/parse_sigfile/example"
# Mutations of the example signature file: each one a different refusal path.
sed 's/"transmittal-signatures-v1"/"transmittal-signatures-v0"/' "$sig" > "$c/parse_sigfile/format-v0"
sed 's/"transmittal-text-v1"/"transmittal-text-v2"/' "$sig" > "$c/parse_sigfile/profile-v2"
sed '0,/"bytes": [0-9]*/s//"bytes": 18446744073709551615/' "$sig" > "$c/parse_sigfile/bytes-max"
sed '0,/"bytes": [0-9]*/s//"bytes": -1/' "$sig" > "$c/parse_sigfile/bytes-negative"
sed '0,/"index": 1/s//"index": 7/' "$sig" > "$c/parse_sigfile/index"
sed '0,/"signature": "[0-9a-f]*"/s//"signature": ""/' "$sig" > "$c/parse_sigfile/signature-empty"
sed 's/"kind": "annex"/"kind": "annex", "kind": "cover"/' "$sig" > "$c/parse_sigfile/duplicate-key"
printf '%s' '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' > "$c/parse_sigfile/deep"

# verify: document, a 0x00 byte, signature file.
pair() { { cat "$1"; printf '\000'; cat "$2"; } > "$c/verify/$3"; }
pair "$ex" "$sig" example
for f in "$c"/parse_sigfile/*; do pair "$ex" "$f" "sig-$(basename "$f")"; done
tmp=$(mktemp)
sed 's/4,100/4,600/' "$ex" > "$tmp"; pair "$tmp" "$sig" figure-changed
sed '1,9d' "$ex" > "$tmp"; pair "$tmp" "$sig" no-header
sed 's/(Signed) Jens \*\*Stoltenberg\*\*/(Signed) Jens Stolt\xd0\xb5nberg/' "$ex" > "$tmp"; pair "$tmp" "$sig" homoglyph
{ cat "$ex"; printf '\n8. KFOR will withdraw next week.\n'; } > "$tmp"; pair "$tmp" "$sig" appended
sed '/^Annex$/,/^Enclosure/d' "$ex" > "$tmp"; pair "$tmp" "$sig" annex-stripped
sed 's/$/\r/' "$ex" > "$tmp"; pair "$tmp" "$sig" crlf
rm -f "$tmp"
for f in "$repo"/tests/data/corpus/*.md; do cp "$f" "$c/verify/unsigned-$(basename "$f")"; done

# align and render take the same shape of input (document, 0x00, more): start from verify's seeds.
mkdir -p "$c/align" "$c/render"
cp "$c"/verify/* "$c/align/"
cp "$c"/verify/* "$c/render/"

# timestamp_token: every token and response of the fixtures and the public one, as they are.
mkdir -p "$c/timestamp_token"
for f in "$repo"/crates/core/tests/data/tsa/*.tst "$repo"/crates/core/tests/data/tsa/*.tsr \
    "$repo"/tests/data/tsa-public/*.tsr; do
    cp "$f" "$c/timestamp_token/$(basename "$(dirname "$f")")-$(basename "$f")"
done

# x509_path: a control byte, then DER certificates and CRLs one after the other (the target's
# header comment). Each fixture alone (control 0: a chain of one), then paths with their CRLs.
p="$c/x509_path"
mkdir -p "$p"
pki="$repo/crates/core/tests/data/pki"
der() { sed '/^-----/d' "$pki/$1" | base64 -d; }
for f in "$pki"/*.pem; do
    n=$(basename "$f" .pem)
    { printf '\000'; der "$n.pem"; } > "$p/$n"
    { printf '\200'; der "$n.pem"; } > "$p/$n-fixed-key"
done
# chain: control 1 (the leaf and the issuing CA), then the CRLs of the issuing CA and the root.
path() { out=$1; ctl=$2; shift 2; { printf "$ctl"; for x in "$@"; do der "$x"; done; } > "$p/$out"; }
for leaf in leaf-good leaf-revoked-kc leaf-revoked-sup leaf-expired leaf-notyet leaf-no-eku \
    leaf-wrong-eku leaf-no-digsig leaf-too-long; do
    path "path-$leaf" '\001' "$leaf.pem" inter.pem crl-inter.pem crl-root.pem
done
path path-stale '\001' leaf-good.pem inter.pem crl-inter-stale.pem crl-root.pem
path path-stale-allowed '\011' leaf-good.pem inter.pem crl-inter-stale.pem crl-root.pem
path path-before-revocation '\041' leaf-revoked-kc.pem inter.pem crl-inter.pem
path path-2020 '\101' leaf-good.pem inter.pem
path path-no-now '\021' leaf-good.pem inter.pem crl-inter.pem
path path-revoked-ca '\001' leaf-under-revoked-ca.pem revoked-ca.pem crl-root.pem
path path-constrained '\001' leaf-constrained.pem constrained.pem crl-root.pem
path path-constrained-inside '\001' leaf-constrained-inside.pem constrained.pem
path path-impostor '\001' leaf-impostor.pem impostor.pem crl-impostor.pem
path path-other-root '\000' leaf-other-root.pem other-root.pem crl-other-v1.pem
path path-sub '\002' leaf-good.pem inter.pem sub.pem crl-inter.pem
path path-own-roots '\000' leaf-other-root.pem other-root.pem
{ printf '\000'; sed '/^-----/d' "$pki/signatory.csr" | base64 -d; } > "$p/csr"
# PEM text, for pem::der_blobs.
{ printf '\000'; cat "$pki/leaf-good.pem" "$pki/inter.pem"; } > "$p/pem-bundle"

echo "seeded: $(ls "$c/parse_document" | wc -l) parse_document, $(ls "$c/parse_sigfile" | wc -l) parse_sigfile, $(ls "$c/verify" | wc -l) verify, $(ls "$c/timestamp_token" | wc -l) timestamp_token, $(ls "$c/x509_path" | wc -l) x509_path"
