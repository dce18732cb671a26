//! Pinpointing (`align::diagnose`) on an arbitrary document and arbitrary signed parts: the input
//! is split at 0x00 bytes into the document (first) and the texts of the parts (the rest), whose
//! records (`PartRecord::of`) stand for a hostile signature file's parts.
//!
//! Invariants: no panic; deterministic; one span per part, in order, within the text, after the
//! prefix; every change names an existing part, a document range within the text on character
//! boundaries and signed leaves within the part.
#![no_main]

use libfuzzer_sys::fuzz_target;
use transmittal::align;
use transmittal::canonical;
use transmittal::sigfile::PartRecord;

fuzz_target!(|data: &[u8]| {
    let mut pieces = data.split(|&b| b == 0);
    let Some(doc) = pieces.next() else { return };
    let Ok(doc) = canonical::canonicalize(doc) else {
        return;
    };
    let text = doc.as_str();
    let records: Vec<PartRecord> = pieces
        .take(64)
        .map(|p| PartRecord::of(&String::from_utf8_lossy(p)))
        .collect();
    let parts: Vec<&PartRecord> = records.iter().collect();
    let d = align::diagnose(text, &parts);
    let again = align::diagnose(text, &parts);
    assert_eq!(d.spans, again.spans, "spans not deterministic");
    assert_eq!(d.changes, again.changes, "changes not deterministic");
    assert_eq!(d.incomplete, again.incomplete, "limits not deterministic");
    assert_eq!(d.spans.len(), parts.len());
    assert!(d.prefix_end <= text.len());
    let mut end = 0;
    for s in &d.spans {
        assert!(s.start <= s.end && s.end <= text.len(), "{s:?}");
        assert!(s.start >= end, "spans out of order: {:?}", d.spans);
        end = s.end;
    }
    for c in &d.changes {
        assert!(c.part < parts.len());
        assert!(c.doc.start <= c.doc.end && c.doc.end <= text.len(), "{c:?}");
        assert!(text.is_char_boundary(c.doc.start) && text.is_char_boundary(c.doc.end));
        assert!(c.signed_leaves.start <= c.signed_leaves.end);
        assert!(c.signed_leaves.end <= parts[c.part].leaves.len(), "{c:?}");
    }
});
