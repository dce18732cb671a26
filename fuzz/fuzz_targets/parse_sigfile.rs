//! The signature-file parser on arbitrary bytes.
//!
//! Invariants: no panic, no stack overflow, bounded memory; whatever parses writes back to JSON
//! that parses to the same value, deterministically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use transmittal::sigfile::SignatureFile;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = SignatureFile::from_json(data) {
        let json = f.to_json();
        let back = SignatureFile::from_json(json.as_bytes()).expect("own JSON parses");
        assert_eq!(back, f);
        assert_eq!(back.to_json(), json);
        assert!(!f.layers.is_empty());
    }
});
