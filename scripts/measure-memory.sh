#!/usr/bin/env bash
# Peak memory (maximum resident set size, /usr/bin/time) and exit code of the release binary on
# the hostile inputs of docs/SECURITY.md, "Memory bounds": a 200 MB single line, 2 million short
# lines, a 100 MB signature file, JSON nested 10,000 deep. Prints a Markdown table.
#
#   scripts/measure-memory.sh [WORKDIR]     (default: a temporary directory, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [[ ! -x /usr/bin/time ]]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet --bin transmittal
BIN=$ROOT/target/release/transmittal
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
W=${1:-$tmp}
mkdir -p "$W"
cp -r keys "$W/keys"
cp examples/demo-keys/stoltenberg.key "$W/s.key"
chmod 600 "$W/s.key"

python3 - "$W" <<'EOF'
import sys, os
w = sys.argv[1]
# 200 MB on one line (no line feed), signed as one layer.
with open(os.path.join(w, "line.md"), "w") as f:
    chunk = "The Kosovo Force continued to monitor the situation in the north. " * 1000
    n = 200 * 10**6 // len(chunk)
    for _ in range(n):
        f.write(chunk)
    f.write("\n\n(Signed) Jens Stoltenberg\n")
# 2 million short lines.
with open(os.path.join(w, "lines.md"), "w") as f:
    for i in range(2_000_000):
        f.write(f"{i} patrols\n")
    f.write("\n(Signed) Jens Stoltenberg\n")
# A 100 MB signature file (one huge string) next to a small document.
with open(os.path.join(w, "small.md"), "w") as f:
    f.write("A short letter.\n\n(Signed) Jens Stoltenberg\n")
with open(os.path.join(w, "small.md.sig.json"), "w") as f:
    f.write('{"format": "transmittal-signatures-v1", "profile": "' + "x" * (100 * 10**6) + '"}')
# JSON nested 10,000 levels deep.
with open(os.path.join(w, "deep.md"), "w") as f:
    f.write("A short letter.\n")
with open(os.path.join(w, "deep.md.sig.json"), "w") as f:
    f.write("[" * 10000 + "]" * 10000)
EOF

run() { # run LABEL ARGS...: one table row
    local label=$1
    shift
    local rc=0
    (cd "$W" && /usr/bin/time -f "%M %e" -o "$W/time.txt" "$BIN" "$@" >/dev/null 2>"$W/err.txt") || rc=$?
    read -r kb secs <"$W/time.txt" || true
    # /usr/bin/time writes "Command exited with non-zero status N" first on failure.
    if [[ $rc -ne 0 ]]; then read -r kb secs < <(tail -1 "$W/time.txt"); fi
    printf '| %s | `transmittal %s` | %s | %.1f MB | %s s |\n' "$label" "$*" "$rc" "$(echo "$kb / 1024" | bc -l)" "$secs"
}

echo "machine: $(nproc) CPUs, $(free -h | awk '/Mem:/{print $2}') RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | command | exit | peak RSS | wall |"
echo "|---|---|---:|---:|---:|"
for doc in line.md lines.md; do
    size=$(du -m "$W/$doc" | cut -f1)
    run "$doc ($size MB)" hash "$doc"
    run "$doc ($size MB)" inspect "$doc" --json
    run "$doc ($size MB)" sign "$doc" --key s.key --keys keys --date 2017-10-18 --letter-date none
    run "$doc ($size MB)" verify "$doc" --keys keys --json
done
run "100 MB signature file" verify small.md --keys keys --json
run "JSON nested 10,000 deep" verify deep.md --keys keys --json
