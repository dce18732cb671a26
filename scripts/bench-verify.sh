#!/usr/bin/env bash
# Whole-process latency of `transmittal verify` on one document, against peers that each check one
# Ed25519 signature over the same document: minisign -V, ssh-keygen -Y verify, openssl pkeyutl
# -verify. All measured with hyperfine in the same run. Results: docs/PERFORMANCE.md, "verify latency".
#
#   scripts/bench-verify.sh [DOC]        (default: examples/kfor-2017-q3.md)
#
# Environment: RUNS (default 300), WARMUP (default 30), OUT (default target/bench-verify);
# STATIC=1 also builds and measures a statically linked, non-PIE binary (target/static; the build
# the "verify latency" section of docs/PERFORMANCE.md recommends).
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
STATIC_CMD=()
if [[ ${STATIC:-0} == 1 ]]; then
    CARGO_TARGET_DIR=$ROOT/target/static \
        RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" \
        cargo build --release --quiet --bin transmittal --target x86_64-unknown-linux-gnu
    SBIN=$ROOT/target/static/x86_64-unknown-linux-gnu/release/transmittal
fi

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

# Commands that take their input as arguments run without a shell (-N). ssh-keygen reads the
# message from standard input, so it runs under a shell (hyperfine subtracts the shell's start-up
# time), next to minisign under the same shell for a like-for-like ratio.
cd "$W"
if [[ -n ${SBIN:-} ]]; then
    STATIC_CMD=(-n "transmittal verify (static)" "$SBIN verify doc.md --keys $KEYS")
fi
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$ROOT/$OUT/verify.json" --export-markdown "$ROOT/$OUT/verify.md" \
    -n "transmittal verify" "$BIN verify doc.md --keys $KEYS" \
    -n "transmittal verify --json" "$BIN verify doc.md --keys $KEYS --json" \
    -n "minisign -V" "minisign -V -q -p minisign.pub -m doc.md -x doc.md.minisig" \
    -n "openssl pkeyutl -verify" "openssl pkeyutl -verify -pubin -inkey ossl.pub.pem -rawin -in doc.md -sigfile doc.md.ossl-sig" \
    "${STATIC_CMD[@]}"
hyperfine --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$ROOT/$OUT/verify-shell.json" --export-markdown "$ROOT/$OUT/verify-shell.md" \
    -n "minisign -V (shell)" "minisign -V -q -p minisign.pub -m doc.md -x doc.md.minisig" \
    -n "ssh-keygen -Y verify (shell)" "ssh-keygen -Y verify -f allowed_signers -I bench -n file -s doc.md.sig < doc.md"

# CPU time (task-clock) of each process: less disturbed than wall time on a busy machine.
echo
echo "== CPU time per process (perf stat -r 200, task-clock)"
if command -v perf >/dev/null; then
    cpu() { perf stat -r 200 -x, -e task-clock "$@" 2>&1 >/dev/null </dev/null | awk -F, '/task-clock/{printf "%.3f ms\n", $1}'; }
    printf '  %-28s %s\n' "transmittal verify" "$(cpu "$BIN" verify doc.md --keys "$KEYS")"
    printf '  %-28s %s\n' "transmittal --version" "$(cpu "$BIN" --version)"
    if [[ -n ${SBIN:-} ]]; then
        printf '  %-28s %s\n' "transmittal verify (static)" "$(cpu "$SBIN" verify doc.md --keys "$KEYS")"
        printf '  %-28s %s\n' "transmittal --version (static)" "$(cpu "$SBIN" --version)"
    fi
    printf '  %-28s %s\n' "minisign -V" "$(cpu minisign -V -q -p minisign.pub -m doc.md -x doc.md.minisig)"
    printf '  %-28s %s\n' "openssl pkeyutl -verify" "$(cpu openssl pkeyutl -verify -pubin -inkey ossl.pub.pem -rawin -in doc.md -sigfile doc.md.ossl-sig)"
    printf '  %-28s %s\n' "ssh-keygen -Y verify" "$(perf stat -r 200 -x, -e task-clock sh -c 'exec ssh-keygen -Y verify -f allowed_signers -I bench -n file -s doc.md.sig < doc.md' 2>&1 >/dev/null | awk -F, '/task-clock/{printf "%.3f ms (with sh)\n", $1}')"
else
    echo "  (perf not installed)"
fi

echo
echo "== ratios (mean and minimum wall time / those of minisign -V in the same mode; lower is faster)"
for f in verify.json verify-shell.json; do
    jq -r '(.results[] | select(.command|startswith("minisign")) ) as $m
           | .results[] | "\(.command)\tmean \(.mean*1e6|round/1000) ms ± \(.stddev*1e6|round/1000)\tmin \(.min*1e6|round/1000) ms\t\(.mean/$m.mean*100|round/100)x (min \(if $m.min > 0 then (.min/$m.min*100|round/100|tostring) + "x" else "n/a" end))"' \
        "$ROOT/$OUT/$f"
done | column -t -s $'\t'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
