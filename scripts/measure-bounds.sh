#!/usr/bin/env bash
# Wall time and peak memory (maximum resident set size, /usr/bin/time) of the release binary on
# the hostile inputs of docs/SECURITY.md, "Bounds": deeply nested documents, a forged signature
# file of mid-line parts, signed documents with shuffled layers, megabytes of "Annex" or
# "(Signed) X" lines, random bytes, random text. Inputs come from examples/gen_hostile.rs (deterministic).
# Prints a Markdown table; every command is stopped after LIMIT seconds (default 120).
#
#   scripts/measure-bounds.sh [WORKDIR]     (default: a temporary directory, removed at the end)
#   QUICK=1 scripts/measure-bounds.sh       (the 20,000-layer cases only)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LIMIT=${LIMIT:-120}
if [[ ! -x /usr/bin/time ]]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet --bin transmittal --example gen_hostile
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/transmittal
GEN=$TARGET/release/examples/gen_hostile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
W=${1:-$tmp}
mkdir -p "$W"
rm -rf "$W/keys"
cp -r keys "$W/keys"

gen() { (cd "$W" && "$GEN" "$@" --keys keys); }
gen nested 20000 nested-20k.md
gen forged 20000 forged-20k.md
gen shuffled 20000 shuffled-20k.md
if [[ -z ${QUICK:-} ]]; then
    gen shuffled 50000 shuffled-50k.md
    gen shuffled 100000 shuffled-100k.md
    gen annex-lines 14 annex-14mb.md
    gen signed-lines 14 signed-14mb.md
    gen random 10 random-10mb.md
    gen random-text 10 text-10mb.md
fi

size() { # human size of a file
    local b
    b=$(stat -c %s "$W/$1")
    if ((b >= 1048576)); then
        printf '%.1f MB' "$(echo "$b / 1048576" | bc -l)"
    else
        printf '%d KB' $((b / 1024))
    fi
}

run() { # run LABEL ARGS...: one table row
    local label=$1
    shift
    local rc=0
    (cd "$W" && timeout "$LIMIT" /usr/bin/time -f "%M %e" -o "$W/time.txt" "$BIN" "$@" >"$W/out.txt" 2>"$W/err.txt") || rc=$?
    local kb secs
    read -r kb secs < <(tail -1 "$W/time.txt") || true
    local out
    out=$(stat -c %s "$W/out.txt")
    if [[ $rc -eq 124 ]]; then
        printf '| %s | `transmittal %s` | timeout | - | > %s s | - |\n' "$label" "$*" "$LIMIT"
    else
        printf '| %s | `transmittal %s` | %s | %.1f MB | %s s | %.1f MB |\n' "$label" "$*" "$rc" \
            "$(echo "$kb / 1024" | bc -l)" "$secs" "$(echo "$out / 1048576" | bc -l)"
    fi
}

echo "machine: $(nproc) CPUs, $(free -h | awk '/Mem:/{print $2}') RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | command | exit | peak RSS | wall | output |"
echo "|---|---|---:|---:|---:|---:|"
n="20,000 layers ($(size nested-20k.md), signature file $(size nested-20k.md.sig.json))"
run "$n" inspect nested-20k.md
run "$n" inspect nested-20k.md --json
run "$n" verify nested-20k.md
run "$n" verify nested-20k.md --json
f="20,000 lines, forged 20,000-part signature file ($(size forged-20k.md.sig.json))"
run "$f" verify forged-20k.md
run "$f" verify forged-20k.md --json
for k in 20k 50k 100k; do
    [[ -f $W/shuffled-$k.md ]] || continue
    s="${k/k/,000} layers shuffled, signed ($(size shuffled-$k.md))"
    run "$s" verify shuffled-$k.md
    run "$s" verify shuffled-$k.md --json
    run "$s" inspect shuffled-$k.md
done
run "20,000 layers against 20,000 shuffled" diff nested-20k.md shuffled-20k.md
run "20,000 layers against 20,000 shuffled" diff nested-20k.md shuffled-20k.md --json
if [[ -f $W/random-10mb.md ]]; then
    for d in annex-14mb.md signed-14mb.md random-10mb.md text-10mb.md; do
        l="$d ($(size $d))"
        run "$l" inspect "$d"
        run "$l" inspect "$d" --json
        run "$l" verify "$d" --sig nested-20k.md.sig.json
        run "$l" verify "$d" --sig forged-20k.md.sig.json --json
    done
    run "random text 10 MB against 14 MB of Annex lines" diff text-10mb.md annex-14mb.md
    run "random text 10 MB against 14 MB of (Signed) lines" diff text-10mb.md signed-14mb.md --json
fi
