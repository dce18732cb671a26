#!/usr/bin/env bash
# Whole-process latency of `transmittal verify` on one document, against peers that each check one
# Ed25519 signature over the same document: minisign -V, ssh-keygen -Y verify, openssl pkeyutl
# -verify. All measured with hyperfine in the same run. Results: docs/PERFORMANCE.md, "verify latency".
#
#   scripts/bench-verify.sh [DOC]        (default: examples/kfor-2017-q3.md)
#
# Environment: RUNS (default 300), WARMUP (default 30), OUT (default target/bench-verify),
# ROUNDS (alternating verify/minisign pairs at the end, default 5).
# "transmittal" is the shipped build (scripts/build-release.sh: a static PIE on Linux/glibc);
# "transmittal (dynamic)" is a plain `cargo build --release`, measured in the same run.
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

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cargo build --release --quiet --bin transmittal
cp target/release/transmittal "$W/transmittal-dynamic"
DBIN=$W/transmittal-dynamic
scripts/build-release.sh >/dev/null 2>&1
BIN=$ROOT/target/release/transmittal

mkdir -p "$OUT"

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
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$ROOT/$OUT/verify.json" --export-markdown "$ROOT/$OUT/verify.md" \
    -n "transmittal verify" "$BIN verify doc.md --keys $KEYS" \
    -n "transmittal verify --json" "$BIN verify doc.md --keys $KEYS --json" \
    -n "minisign -V" "minisign -V -q -p minisign.pub -m doc.md -x doc.md.minisig" \
    -n "openssl pkeyutl -verify" "openssl pkeyutl -verify -pubin -inkey ossl.pub.pem -rawin -in doc.md -sigfile doc.md.ossl-sig" \
    -n "transmittal verify (dynamic)" "$DBIN verify doc.md --keys $KEYS"
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
    printf '  %-28s %s\n' "transmittal verify (dynamic)" "$(cpu "$DBIN" verify doc.md --keys "$KEYS")"
    printf '  %-28s %s\n' "transmittal --version (dyn.)" "$(cpu "$DBIN" --version)"
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

# The machine's start-up costs drift within minutes, which a single long hyperfine run folds into
# whichever command it happens to time then: so also alternate short pairs.
echo
echo "== transmittal verify vs minisign -V in ${ROUNDS:=5} alternating rounds of 150 runs each"
for r in $(seq "$ROUNDS"); do
    hyperfine -N --warmup 20 --runs 150 --export-json "$ROOT/$OUT/round-$r.json" \
        "$BIN verify doc.md --keys $KEYS -q" \
        "minisign -V -q -p minisign.pub -m doc.md -x doc.md.minisig" >/dev/null 2>&1
    jq -r '[.results[].mean*1000] | "  round '"$r"': \(.[0]*1000|round/1000) ms vs \(.[1]*1000|round/1000) ms = \((.[0]/.[1])*100|round/100)x"' \
        "$ROOT/$OUT/round-$r.json"
done | tee "$ROOT/$OUT/rounds.txt"
sort -t= -k2 -n "$ROOT/$OUT/rounds.txt" | awk -F'= ' '{r[NR]=$2} END {print "  median ratio: " r[int((NR+1)/2)]}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
