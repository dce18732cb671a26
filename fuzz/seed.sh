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

echo "seeded: $(ls "$c/parse_document" | wc -l) parse_document, $(ls "$c/parse_sigfile" | wc -l) parse_sigfile, $(ls "$c/verify" | wc -l) verify"
