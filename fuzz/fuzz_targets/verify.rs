//! `verify` on an arbitrary document and signature file: the input is split at its first 0x00
//! byte into the document (before) and the signature file (after; empty when there is none).
//!
//! Invariants: no panic; only non-UTF-8 documents are errors; with an empty trust store the
//! verdict is never `valid`; with the demo trust store (the repository's `keys/`) the batch and
//! one-by-one signature checks give the same answers, and a `valid` verdict has at least one
//! valid signature and no problem.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use transmittal::{crypto, trust, trust::TrustStore, verify};

fn demo_store() -> &'static TrustStore {
    static STORE: OnceLock<TrustStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../keys");
        trust::load(&dir).expect("the repository's keys/ loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let (doc, sig) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let opts = verify::Options::default();
    let empty = TrustStore::empty(Path::new("keys"));
    let r = match verify::verify("doc", doc, "doc.sig.json", sig, &empty, opts) {
        Ok(r) => r,
        Err(_) => {
            assert!(
                std::str::from_utf8(doc).is_err(),
                "only non-UTF-8 is an input error"
            );
            return;
        }
    };
    assert_ne!(
        r.verdict,
        verify::Verdict::Valid,
        "valid with an empty trust store"
    );

    let store = demo_store();
    let p = verify::prepare("doc", doc, "doc.sig.json", sig, store, opts).expect("UTF-8");
    let strict: Vec<_> = p
        .jobs
        .iter()
        .map(|j| crypto::verify_strict(&j.public_key, &j.message, &j.signature))
        .collect();
    let items: Vec<crypto::BatchItem<'_>> = p
        .jobs
        .iter()
        .map(|j| crypto::BatchItem {
            public_key: &j.public_key,
            message: &j.message,
            signature: &j.signature,
        })
        .collect();
    assert_eq!(crypto::verify_many(&items), strict, "batch != strict");
    let r = verify::finish(p, &strict, store, opts);
    let again = verify::verify("doc", doc, "doc.sig.json", sig, store, opts).expect("UTF-8");
    assert_eq!(again, r, "verify is not deterministic");
    if r.verdict == verify::Verdict::Valid {
        assert!(r.problem_codes().is_empty());
        assert!(r
            .layers
            .iter()
            .flat_map(|l| &l.signatures)
            .any(|s| s.status == verify::SigStatus::Valid));
    }
});
