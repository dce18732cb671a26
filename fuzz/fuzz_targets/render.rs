//! The human renderings of `verify` and `inspect` on an arbitrary document and signature file:
//! the input is split at its first 0x00 byte into the document (before) and the signature file
//! (after; empty when there is none).
//!
//! Invariants: no panic; the streamed rendering equals the string one; no rendered line is longer
//! than a constant (nesting is drawn to a bounded depth, lists and texts are cut), so the output is
//! linear in the number of layers, checks and problems.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use transmittal::render::{self, Style, MAX_INDENT_DEPTH, MAX_TEXT_CHARS};
use transmittal::{inspect, trust::TrustStore, verify};

/// Longest line any rendering may print: a few cut fields, indentation and fixed words.
const MAX_LINE: usize = 8 * MAX_TEXT_CHARS + 3 * MAX_INDENT_DEPTH + 400;

fn check(out: &str) {
    for line in out.lines() {
        let n = line.chars().count();
        assert!(n <= MAX_LINE, "a line of {n} characters: {line:.200}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (doc, sig) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let style = Style { color: data.len() % 2 == 1 };
    if let Ok(i) = inspect::inspect("doc", doc) {
        let s = render::inspection(&i, style);
        let mut streamed = Vec::new();
        render::write_inspection(&mut streamed, &i, style).expect("a vector takes every write");
        assert_eq!(streamed, s.as_bytes(), "streamed inspection differs");
        check(&s);
    }
    let empty = TrustStore::empty(Path::new("keys"));
    let opts = verify::Options::default();
    if let Ok(r) = verify::verify("doc", doc, "doc.sig.json", sig, &empty, opts) {
        let s = render::report(&r, style);
        let mut streamed = Vec::new();
        render::write_report(&mut streamed, &r, style).expect("a vector takes every write");
        assert_eq!(streamed, s.as_bytes(), "streamed report differs");
        check(&s);
        assert!(s.lines().count() >= r.layers.len() + 1, "a line per layer");
    }
});
