#!/usr/bin/env bash
# Whole-process hashing throughput on a large document, against sha256sum and openssl in the
# same run (docs/PERFORMANCE.md, "hyperfine").
#
# Usage: scripts/bench-hash.sh [SIZE_MB] [OUT_DIR]
#   SIZE_MB  size of the generated document (default 100)
#   OUT_DIR  where to write hyperfine's JSON and Markdown exports (default: a temporary directory,
#            removed at the end; the results are printed either way)
#
# Builds the release binary, generates a deterministic seed-like Markdown document with
# scripts/gen-doc.py in a temporary directory, and times with hyperfine:
#   - sha256sum FILE                      (coreutils; the raw SHA-256 of the bytes)
#   - openssl dgst -sha256 FILE           (OpenSSL; SHA-NI/AVX2 assembly)
#   - transmittal hash FILE               (streamed: 128 KiB reads, canonicalize and Merkle-hash
#     piece by piece), with the rayon pool at 1 thread and at all threads (RAYON_NUM_THREADS)
#   - target/release/examples/hash_file FILE 1 whole   (the non-streamed path verify and sign
#     take: read the whole file, canonicalize it whole, then the Merkle root), same thread counts
# and prints mean ± σ and MB/s for each.
set -euo pipefail

size_mb=${1:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v hyperfine >/dev/null 2>&1; then
    echo "hyperfine not found; install it (Debian/Ubuntu: apt-get install -y hyperfine," >&2
    echo "or: cargo install hyperfine)" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${2:-$tmp}
mkdir -p "$out"

echo "== building (release)" >&2
cargo build --release --quiet --bin transmittal
bin="$root/target/release/transmittal"
example=""
if [ -f examples/hash_file.rs ]; then
    cargo build --release --quiet --example hash_file
    example="$root/target/release/examples/hash_file"
fi

doc="$tmp/doc-${size_mb}MB.md"
echo "== generating $doc" >&2
python3 scripts/gen-doc.py "$size_mb" "$doc"
bytes=$(wc -c <"$doc")

# The tool must work on this file before it is timed.
"$bin" hash "$doc" >/dev/null

threads=$(nproc)
cmds=(
    -n "sha256sum" "sha256sum '$doc'"
    -n "openssl dgst -sha256" "openssl dgst -sha256 '$doc'"
    -n "transmittal hash (1 thread)" "RAYON_NUM_THREADS=1 '$bin' hash '$doc'"
    -n "transmittal hash ($threads threads)" "RAYON_NUM_THREADS=$threads '$bin' hash '$doc'"
)
if [ -n "$example" ]; then
    cmds+=(
        -n "whole-text path (1 thread)" "RAYON_NUM_THREADS=1 '$example' '$doc' 1 whole"
        -n "whole-text path ($threads threads)" "RAYON_NUM_THREADS=$threads '$example' '$doc' 1 whole"
    )
fi

echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
hyperfine --warmup 2 --min-runs 10 \
    --export-json "$out/hyperfine.json" --export-markdown "$out/hyperfine.md" \
    "${cmds[@]}"

python3 - "$out/hyperfine.json" "$bytes" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
size = int(sys.argv[2])
print(f"\nfile: {size} bytes ({size / 1e6:.1f} MB)\n")
print("| command | mean ± σ (ms) | min (ms) | MB/s (mean) |")
print("|---|---:|---:|---:|")
for r in results:
    mean, sd, lo = r["mean"], r["stddev"] or 0.0, r["min"]
    print(f"| {r['command']} | {mean * 1e3:.1f} ± {sd * 1e3:.1f} | {lo * 1e3:.1f} | {size / mean / 1e6:.0f} |")
EOF
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
