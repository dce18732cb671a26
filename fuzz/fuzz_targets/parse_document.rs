//! Canonicalization, the parser's proposal and `inspect` on arbitrary bytes.
//!
//! Invariants: no panic; canonicalization is idempotent and its output is canonical (LF-terminated
//! lines, no trailing white space, no blank line at either end or twice in a row); the proposal's
//! layers tile the text after the header, on character boundaries; the records `sign` would start
//! from round-trip through the signature-file JSON, and an unsigned file is never `valid`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use transmittal::{canonical, inspect, parser, sigfile, sign, trust, verify};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = canonical::canonicalize(data) else {
        // Only non-UTF-8 input is refused.
        assert!(std::str::from_utf8(data).is_err());
        return;
    };
    let text = doc.as_str();

    // Idempotent, and canonical.
    let again = canonical::canonicalize_str(text);
    // Regression (findings/parse_document-late-bom): canonical text never starts with U+FEFF.
    assert!(
        !text.starts_with('\u{feff}'),
        "canonical text starts with U+FEFF"
    );
    assert_eq!(again.as_str(), text, "canonicalize(canonical) != canonical");
    assert!(text.is_empty() || text.ends_with('\n'));
    assert!(!text.starts_with('\n'));
    assert!(!text.contains("\n\n\n"));
    assert!(!text.ends_with("\n\n"));
    assert!(!text.contains('\r'));
    for line in text.split('\n') {
        assert_eq!(line.trim_end(), line, "trailing white space kept: {line:?}");
    }
    assert_eq!(doc.line_count(), text.matches('\n').count());

    // The proposal tiles the text: header, then layers end to end.
    let s = parser::propose(&doc);
    if text.is_empty() {
        return;
    }
    assert!(!s.layers.is_empty());
    let header_end = s.header.as_ref().map(|h| h.end).unwrap_or(0);
    assert_eq!(s.layers[0].start, header_end);
    for (i, l) in s.layers.iter().enumerate() {
        assert!(
            l.start <= l.content_start && l.content_start <= l.end,
            "layer {i}"
        );
        assert!(text.is_char_boundary(l.start) && text.is_char_boundary(l.content_start));
        assert!(text.is_char_boundary(l.end));
        if i + 1 < s.layers.len() {
            assert_eq!(
                l.end,
                s.layers[i + 1].start,
                "layer {i} does not meet the next"
            );
        } else {
            assert_eq!(l.end, text.len());
        }
    }

    // What verification compares with the recorded boundaries: the same layers, no details.
    let b = parser::propose_boundaries(&doc);
    assert_eq!(
        format!("{:?}", b.header),
        format!("{:?}", s.header),
        "propose_boundaries: header"
    );
    assert_eq!(
        b.layers.len(),
        s.layers.len(),
        "propose_boundaries: layer count"
    );
    for (x, y) in b.layers.iter().zip(&s.layers) {
        assert_eq!(
            (x.kind, x.start, x.content_start, x.end, x.confidence),
            (y.kind, y.start, y.content_start, y.end, y.confidence),
            "propose_boundaries: layer"
        );
    }

    let i = inspect::inspect_canonical("fuzz", &doc);
    assert_eq!(i.layers.len(), s.layers.len());

    // The records `sign` would start from: JSON round trip, and never valid unsigned.
    let file = sigfile::SignatureFile {
        profile: canonical::PROFILE.to_owned(),
        layers: sign::records_from_structure(&doc, &s),
    };
    let json = file.to_json();
    let back = sigfile::SignatureFile::from_json(json.as_bytes()).expect("own JSON parses");
    assert_eq!(back, file);
    let store = trust::TrustStore::empty(Path::new("keys"));
    let report = verify::verify(
        "fuzz",
        data,
        "fuzz.sig.json",
        json.as_bytes(),
        &store,
        verify::Options::default(),
    )
    .expect("UTF-8 input verifies");
    assert_ne!(report.verdict, verify::Verdict::Valid);
    // The layout of its own records is exact: nothing is reported changed.
    for code in report.problem_codes() {
        assert!(
            matches!(code.as_str(), "uncovered-text" | "missing-signature"),
            "unexpected {code} for the parser's own records"
        );
    }
});
