#!/usr/bin/env bash
# Whole-process latency of `transmittal verify` on one document, against peers that each check one
# Ed25519 signature over the same document: minisign -V, ssh-keygen -Y verify, openssl pkeyutl
# -verify. All measured with hyperfine in the same run. Results: docs/PERFORMANCE.md, "verify latency".
#
#   scripts/bench-verify.sh [DOC]        (default: examples/kfor-2017-q3.md)
#
# Environment: RUNS (default 300), WARMUP (default 30), OUT (default target/bench-verify).
# Installs the peers with apt-get when they are missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DOC=${1:-examples/kfor-2017-q3.md}
RUNS=${RUNS:-300}
WARMUP=${WARMUP:-30}
OUT=${OUT:-target/bench-verify}

need=()
for t in hyperfine minisign ssh-keygen openssl; do command -v "$t" >/dev/null || need+=("$t"); done
if ((${#need[@]})); then
    apt-get update -qq
    apt-get install -y -qq hyperfine minisign openssh-client openssl >/dev/null
fi

cargo build --release --quiet --bin transmittal
BIN=$ROOT/target/release/transmittal

mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# transmittal: the document and its signature file (the shipped example, or a generated chain).
if [[ -f "$DOC.sig.json" ]]; then
    cp "$DOC" "$W/doc.md"
    cp "$DOC.sig.json" "$W/doc.md.sig.json"
    KEYS=$ROOT/keys
else
    echo "no $DOC.sig.json: using a generated chain" >&2
    cargo build --release --quiet --example gen_chains
    "$ROOT/target/release/examples/gen_chains" 1 "$W/gen"
    cp "$W/gen/000/chain-000000.md" "$W/doc.md"
    cp "$W/gen/000/chain-000000.md.sig.json" "$W/doc.md.sig.json"
    KEYS=$ROOT/keys
fi
"$BIN" verify "$W/doc.md" --keys "$KEYS" -q || { echo "transmittal verify: not valid" >&2; exit 1; }

# minisign (Ed25519, prehashed with BLAKE2b-512 by default for files).
minisign -G -W -f -p "$W/minisign.pub" -s "$W/minisign.key" >/dev/null
minisign -S -s "$W/minisign.key" -m "$W/doc.md" -x "$W/doc.md.minisig" >/dev/null
minisign -V -q -p "$W/minisign.pub" -m "$W/doc.md" -x "$W/doc.md.minisig"

# ssh-keygen -Y (Ed25519 over SHA-512 of the file, allowed_signers lookup).
ssh-keygen -q -t ed25519 -N '' -C bench -f "$W/ssh_key"
ssh-keygen -q -Y sign -f "$W/ssh_key" -n file "$W/doc.md" 2>/dev/null
printf 'bench %s\n' "$(cut -d' ' -f1,2 "$W/ssh_key.pub")" >"$W/allowed_signers"
ssh-keygen -Y verify -f "$W/allowed_signers" -I bench -n file -s "$W/doc.md.sig" <"$W/doc.md" >/dev/null

# openssl (pure Ed25519 over the raw file).
openssl genpkey -algorithm ed25519 -out "$W/ossl.pem"
openssl pkey -in "$W/ossl.pem" -pubout -out "$W/ossl.pub.pem"
openssl pkeyutl -sign -inkey "$W/ossl.pem" -rawin -in "$W/doc.md" -out "$W/doc.md.ossl-sig"
openssl pkeyutl -verify -pubin -inkey "$W/ossl.pub.pem" -rawin -in "$W/doc.md" \
    -sigfile "$W/doc.md.ossl-sig" >/dev/null

echo "== machine"
lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz' || true
echo "nproc: $(nproc); memory: $(free -h | awk '/Mem:/{print $2}'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "document: $DOC ($(wc -c <"$W/doc.md") bytes), transmittal: $("$BIN" --version)"
echo "peers: $(minisign -v 2>&1 | head -1); $(ssh -V 2>&1); $(openssl version)"

# ssh-keygen reads the message from standard input, so every command runs under the same shell
# (hyperfine subtracts the shell's start-up time).
cd "$W"
hyperfine --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$ROOT/$OUT/verify.json" --export-markdown "$ROOT/$OUT/verify.md" \
    -n "transmittal verify" "$BIN verify doc.md --keys $KEYS" \
    -n "transmittal verify --json" "$BIN verify doc.md --keys $KEYS --json" \
    -n "minisign -V" "minisign -V -q -p minisign.pub -m doc.md -x doc.md.minisig" \
    -n "ssh-keygen -Y verify" "ssh-keygen -Y verify -f allowed_signers -I bench -n file -s doc.md.sig < doc.md" \
    -n "openssl pkeyutl -verify" "openssl pkeyutl -verify -pubin -inkey ossl.pub.pem -rawin -in doc.md -sigfile doc.md.ossl-sig"

echo
echo "== ratios (mean time / mean time of minisign -V; lower is faster)"
jq -r '(.results[] | select(.command=="minisign -V") | .mean) as $m
       | .results[] | "\(.command)\t\(.mean*1000|.*1000|round/1000) ms ± \(.stddev*1000|.*1000|round/1000)\t\(.mean/$m|.*100|round/100)x"' \
    "$ROOT/$OUT/verify.json" | column -t -s $'\t'
