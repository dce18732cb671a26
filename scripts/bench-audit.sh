#!/usr/bin/env bash
# Throughput of `transmittal audit` over generated chains, against the raw cryptographic cost of
# the same signatures (examples/raw_verify.rs) and a shell loop of `ssh-keygen -Y verify`, all in
# the same run; then the scaling curve (time and peak memory). Results: docs/PERFORMANCE.md,
# "audit throughput".
#
#   scripts/bench-audit.sh
#
# Environment: N (chains for the comparison, default 10000), SIZES (scaling curve, default
# "1000 10000 100000"), SAMPLE (documents in the ssh-keygen loop, default 200), RUNS (hyperfine
# runs, default 5), DATA (where chains are generated, default target/bench-chains; reused when
# complete).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-10000}
SIZES=${SIZES:-"1000 10000 100000"}
SAMPLE=${SAMPLE:-200}
RUNS=${RUNS:-5}
DATA=${DATA:-target/bench-chains}
KEYS=$ROOT/keys

need=()
for t in hyperfine ssh-keygen jq; do command -v "$t" >/dev/null || need+=("$t"); done
[[ -x /usr/bin/time ]] || need+=(time)
if ((${#need[@]})); then
    apt-get update -qq
    apt-get install -y -qq hyperfine openssh-client jq time >/dev/null
fi

cargo build --release --quiet --bin transmittal --example gen_chains --example raw_verify
scripts/build-release.sh >/dev/null 2>&1 # the shipped build (static PIE on Linux/glibc)
BIN=$ROOT/target/release/transmittal

gen() { # gen N: $DATA/N holds N signed chains (a hidden marker, skipped by audit, says it is complete)
    local d=$DATA/$1
    if [[ ! -f $d/.complete ]]; then
        rm -rf "$d"
        "$ROOT/target/release/examples/gen_chains" "$1" "$d" --keys "$KEYS"
        touch "$d/.complete"
    fi
}
gen "$N"
D=$DATA/$N
SIGS=$((2 * N))

echo "== machine"
lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz|Flags' | sed -E 's/(Flags:).*/\1 (sha_ni: '"$(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no)"', avx2: '"$(grep -qw avx2 /proc/cpuinfo && echo yes || echo no)"')/'
echo "nproc: $(nproc); memory: $(free -h | awk '/Mem:/{print $2}'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$N chains, $SIGS signatures, $(du -sh "$D" | cut -f1) on disk, in $D"
echo

echo "== 1. raw reference (same files)"
"$ROOT/target/release/examples/raw_verify" "$D" | tee "$DATA/raw-$N.txt"
# The reference as the issue defines it: reads the files, hashes them, checks the signatures.
REF=$(awk '/reference: minimal parse/{for(i=1;i<=NF;i++) if($i=="signatures/s"){print $(i-1); exit}}' "$DATA/raw-$N.txt")
echo

echo "== 2. transmittal audit (hyperfine, $RUNS runs; output discarded)"
"$BIN" audit "$D" --keys "$KEYS" --json | tail -1
hyperfine --warmup 1 --runs "$RUNS" --style basic --export-json "$DATA/audit-$N.json" \
    -n "audit --json" "$BIN audit $D --keys $KEYS --json" \
    -n "audit (human)" "$BIN audit $D --keys $KEYS" \
    -n "audit --jobs 1 --json" "$BIN audit $D --keys $KEYS --jobs 1 --json"
jq -r --argjson s "$SIGS" --argjson ref "${REF:-0}" '.results[] | "  \(.command): \(.mean|.*1000|round/1000) s ± \(.stddev|.*1000|round/1000)  =  \($s/.mean|round) signatures/s" + (if $ref > 0 then "  =  \($s/.mean/$ref*1000|round/10) % of the reference (\($ref) signatures/s; goal 80 %)" else "" end)' "$DATA/audit-$N.json"
echo

echo "== 3. ssh-keygen -Y verify, one process per file, over $SAMPLE documents"
S=$DATA/ssh-sample
rm -rf "$S" && mkdir -p "$S"
mapfile -t all < <(find "$D" -name '*.md' | sort)
cp "${all[@]:0:$SAMPLE}" "$S/"
ssh-keygen -q -t ed25519 -N '' -C bench -f "$S/key"
printf 'bench %s\n' "$(cut -d' ' -f1,2 "$S/key.pub")" >"$S/allowed_signers"
ssh-keygen -q -Y sign -f "$S/key" -n file "$S"/*.md 2>/dev/null
loop() {
    for f in "$S"/*.md; do
        ssh-keygen -Y verify -f "$S/allowed_signers" -I bench -n file -s "$f.sig" <"$f" >/dev/null 2>&1 || exit 1
    done
}
start=$(date +%s.%N); loop; end=$(date +%s.%N)
t=$(echo "$end - $start" | bc -l)
echo "  sequential loop: $SAMPLE signatures in $(printf %.3f "$t") s = $(echo "$SAMPLE / $t" | bc -l | xargs printf %.0f) signatures/s (extrapolated: $(echo "$SIGS * $t / $SAMPLE" | bc -l | xargs printf %.1f) s for $SIGS)"
start=$(date +%s.%N)
printf '%s\n' "$S"/*.md | xargs -P "$(nproc)" -I{} sh -c 'ssh-keygen -Y verify -f "$1/allowed_signers" -I bench -n file -s "$2.sig" <"$2" >/dev/null 2>&1' _ "$S" {}
end=$(date +%s.%N)
t=$(echo "$end - $start" | bc -l)
echo "  xargs -P $(nproc):      $SAMPLE signatures in $(printf %.3f "$t") s = $(echo "$SAMPLE / $t" | bc -l | xargs printf %.0f) signatures/s"
echo

echo "== 4. scaling: time and peak memory (/usr/bin/time -v), --json to /dev/null, after one untimed run (page cache warm)"
printf '  %-8s %-10s %-10s %-14s %-12s %s\n' chains signatures "wall (s)" "signatures/s" "max RSS" "human: wall, max RSS"
for n in $SIZES; do
    gen "$n"
    "$BIN" audit "$DATA/$n" --keys "$KEYS" --quiet >/dev/null || true # warm the page cache
    /usr/bin/time -v "$BIN" audit "$DATA/$n" --keys "$KEYS" --json >/dev/null 2>"$DATA/time-$n.txt" || true
    /usr/bin/time -v "$BIN" audit "$DATA/$n" --keys "$KEYS" >/dev/null 2>"$DATA/time-h-$n.txt" || true
    wall() { awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
    rss() { awk -F': ' '/Maximum resident set size/{printf "%.1f MB", $2/1024}' "$1"; }
    w=$(wall "$DATA/time-$n.txt")
    printf '  %-8s %-10s %-10s %-14s %-12s %s\n' "$n" $((2 * n)) "$w" "$(echo "2 * $n / $w" | bc -l | xargs printf %.0f)" \
        "$(rss "$DATA/time-$n.txt")" "$(wall "$DATA/time-h-$n.txt") s, $(rss "$DATA/time-h-$n.txt")"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
