#!/usr/bin/env bash
# Test the browser verifier end to end:
#
# 1. build the command-line binary as shipped (scripts/build-release.sh) and the page
#    (scripts/build-web.sh, into web/dist/);
# 2. tests/web/equality.mjs: a matrix of cases through the page's wasm (in Node) and through
#    `transmittal verify --json`, compared byte for byte;
# 3. tests/web/page.mjs: the page in headless Chromium (puppeteer-core): the example and a tampered
#    copy through the file input, the verdict, the highlighted lines, a phone-sized screen, no
#    network request, no CSP violation, a page with entries bundled; screenshots in
#    target/web-test/ and the time to verify the example in the page.
#
# Installs what is missing: Chromium (apt-get, as root), the npm packages of tests/web (npm ci),
# Node.js and npm (apt-get, as root), the wasm32 target and the pinned wasm-bindgen CLI
# (scripts/build-web.sh). Needs node >= 18.
#
#   scripts/test-web.sh          CHROMIUM=/path/to/chrome scripts/test-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
chromium="${CHROMIUM:-}"

if [ -z "$chromium" ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -x "$c" ] && chromium="$c" && break
  done
fi
if [ -z "$chromium" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing chromium (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chromium=/usr/bin/chromium
  else
    echo "test-web.sh: no Chromium found; install it or set CHROMIUM=/path/to/chrome" >&2
    exit 1
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing nodejs and npm (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "test-web.sh: node (>= 18) and npm are needed" >&2; exit 1
  fi
fi
if [ ! -d tests/web/node_modules/puppeteer-core ]; then
  echo "== npm ci (tests/web)"
  (cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== the command-line binary (scripts/build-release.sh)"
scripts/build-release.sh
echo "== the page (scripts/build-web.sh)"
scripts/build-web.sh
scripts/build-web.sh --trust-bundle keys --out "$target_dir/web-bundled" | tail -n 1

echo "== the page's JSON and verify --json, byte for byte (tests/web/equality.mjs)"
node tests/web/equality.mjs --bin "$target_dir/release/transmittal" --dist web/dist
echo "== the page in headless Chromium (tests/web/page.mjs)"
node tests/web/page.mjs --dist web/dist --out "$target_dir/web-test" --chromium "$chromium" \
  --bundled "$target_dir/web-bundled"
