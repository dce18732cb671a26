#!/usr/bin/env bash
# Build the browser verifier: crates/web for wasm32-unknown-unknown, its JavaScript glue with
# wasm-bindgen (--target no-modules), and the static page in web/dist/ (index.html, style.css,
# app.js, transmittal-web.js). The .wasm is embedded as base64 in that classic script and
# instantiated with initSync, so the page works from file:// and from any static host, with a
# Content-Security-Policy that allows no network at all.
#
#   scripts/build-web.sh [--trust-bundle DIR] [--out DIR]
#
# --trust-bundle DIR bundles DIR/*.pub.json into the page (web/dist/trust-bundle.js): the page
# then starts with those entries as its trust store, and the user may add or remove entries.
# --out DIR writes the page there instead of web/dist.
#
# Installs what is missing: the wasm32-unknown-unknown target (rustup) and the wasm-bindgen CLI
# of the version crates/web pins (cargo install, into ~/.cargo/bin unless WASM_BINDGEN_ROOT).
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=""
out=web/dist
while [ $# -gt 0 ]; do
  case "$1" in
    --trust-bundle) bundle="${2:?--trust-bundle needs a directory}"; shift 2 ;;
    --trust-bundle=*) bundle="${1#*=}"; shift ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-web.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -n "$bundle" ] && ! ls "$bundle"/*.pub.json >/dev/null 2>&1; then
  echo "build-web.sh: $bundle holds no *.pub.json trust entries" >&2; exit 2
fi

target_dir="${CARGO_TARGET_DIR:-target}"
# The wasm-bindgen version the crate pins (wasm-bindgen = "=X" in crates/web/Cargo.toml).
version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' crates/web/Cargo.toml)
[ -n "$version" ] || { echo "build-web.sh: no pinned wasm-bindgen version in crates/web/Cargo.toml" >&2; exit 1; }

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

root="${WASM_BINDGEN_ROOT:-$HOME/.cargo}"
export PATH="$root/bin:$PATH"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  echo "== installing wasm-bindgen-cli $version (a few minutes)"
  # --locked first; a registry mirror without a locked dependency's exact version falls back to
  # a fresh resolution of the same wasm-bindgen-cli version.
  cargo install wasm-bindgen-cli --version "=$version" --locked --root "$root" \
    || cargo install wasm-bindgen-cli --version "=$version" --root "$root"
fi

echo "== cargo build -p transmittal-web (wasm32-unknown-unknown, profile web)"
cargo build -p transmittal-web --profile web --target wasm32-unknown-unknown
wasm="$target_dir/wasm32-unknown-unknown/web/transmittal_web.wasm"

gen="$target_dir/web-bindgen"
rm -rf "$gen" && mkdir -p "$gen"
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section --out-dir "$gen" "$wasm"

rm -rf "$out" && mkdir -p "$out"
cp web/index.html web/style.css web/app.js "$out/"
{
  echo "// transmittal-web: wasm-bindgen $version glue (--target no-modules) and the module, embedded."
  cat "$gen/transmittal_web.js"
  printf '\nwasm_bindgen.initSync({ module: Uint8Array.from(atob("'
  base64 -w0 "$gen/transmittal_web_bg.wasm"
  printf '"), function (c) { return c.charCodeAt(0); }) });\n'
} > "$out/transmittal-web.js"

{
  echo "// Trust entries bundled into the page by scripts/build-web.sh --trust-bundle (none: empty)."
  echo "var TRANSMITTAL_TRUST_BUNDLE = ["
  if [ -n "$bundle" ]; then
    for f in "$bundle"/*.pub.json; do
      case "$(basename "$f")" in
        *[!A-Za-z0-9._@+-]*) echo "build-web.sh: skipping $f (unusual file name)" >&2; continue ;;
      esac
      printf '  { "name": "%s", "base64": "%s" },\n' "$(basename "$f")" "$(base64 -w0 "$f")"
    done
  fi
  echo "];"
} > "$out/trust-bundle.js"

size=$(wc -c < "$gen/transmittal_web_bg.wasm")
gz=$(gzip -9 -c "$gen/transmittal_web_bg.wasm" | wc -c)
echo "== web/dist: $(ls "$out" | tr '\n' ' ')"
echo "wasm: $size bytes, $gz gzipped (gzip -9)"
