#!/usr/bin/env bash
# Build the release binary as it is meant to be shipped: target/release/transmittal.
#
#   scripts/build-release.sh            # then: target/release/transmittal verify ...
#
# On x86-64/aarch64 Linux with glibc the binary is linked as a *static PIE*
# (`-C target-feature=+crt-static` on the binary only): no dynamic loader, no shared libraries to
# map and bind at every start, and still position-independent, so ASLR is kept. That halves the
# start-up of a process that checks one document (docs/PERFORMANCE.md, "verify latency": 1.2x
# minisign -V instead of about 1.8x for the default dynamic build on the same run). The program
# uses nothing that static glibc cannot do (no dlopen, no locale): files, clocks and getrandom,
# and one exception: `--tsa URL` resolves the time-stamping authority's host name with
# getaddrinfo, which static glibc does by loading the system's NSS modules at run time (checked:
# `localhost` and unknown names resolve and fail as in the dynamic build; an IP address needs
# no resolver at all).
#
# The flag goes to the final binary only (`cargo rustc`), not to the whole build: with RUSTFLAGS it
# would also reach the proc-macro crates, which cannot be linked statically, and the build fails
# unless an explicit --target is given (which moves the output to target/<triple>/release).
#
# Elsewhere (macOS, Windows, musl) this is a plain `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
case "$host" in
    x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu)
        cargo rustc --release --locked --bin transmittal -- -C target-feature=+crt-static
        ;;
    *)
        cargo build --release --locked --bin transmittal
        ;;
esac
bin="${CARGO_TARGET_DIR:-target}/release/transmittal"
if command -v file >/dev/null 2>&1; then
    file -b "$bin" | cut -d, -f1-2 >&2
fi
"$bin" --version
