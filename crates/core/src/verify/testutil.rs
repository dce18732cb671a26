//! Small synthetic documents for the unit tests of the checks: signature files over given layer
//! texts, signed by keys made from a seed, and trust stores holding those keys.

use super::{verify, Options, Report};
use crate::format::canonical::PROFILE;
use crate::format::chain::{chain_digest, Beneath, Commitment, LayerKind, Statement};
use crate::format::dates::{parse_iso, Date};
use crate::format::sigfile::{
    signature_set_digest, LayerRecord, PartRecord, SignatureFile, SignatureRecord,
};
use crate::trust::{EntryDetails, TrustEntry, TrustStore};
use ed25519_dalek::{Signer, SigningKey};
use std::path::{Path, PathBuf};

/// A date from `YYYY-MM-DD`.
pub(crate) fn date(s: &str) -> Date {
    parse_iso(s).unwrap()
}

/// The key made from `seed`.
pub(crate) fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

/// A signature file recording one layer with `content` and no signature.
pub(crate) fn unsigned_file(content: &str) -> SignatureFile {
    file_of(&[("", content)])
}

/// The document of layers of (markers, content), outermost first: their concatenation.
pub(crate) fn doc_of(layers: &[(&str, &str)]) -> String {
    layers.iter().flat_map(|(m, c)| [*m, *c]).collect()
}

/// A signature file recording layers of (markers, content), outermost first, no signature.
pub(crate) fn file_of(layers: &[(&str, &str)]) -> SignatureFile {
    let mut records: Vec<LayerRecord> = Vec::new();
    for (i, (markers, content)) in layers.iter().enumerate().rev() {
        let kind = LayerKind::from_markers(i, markers);
        let markers = PartRecord::of(markers);
        let content = PartRecord::of(content);
        let beneath = records.first().map(|b: &LayerRecord| Beneath {
            markers: b.markers.root,
            chain: b.chain,
        });
        records.insert(
            0,
            LayerRecord {
                kind,
                chain: chain_digest(PROFILE, &content.root, beneath.as_ref()),
                markers,
                content,
                signatures: Vec::new(),
            },
        );
    }
    SignatureFile {
        profile: PROFILE.into(),
        layers: records,
    }
}

/// Adds to layer `i` of `file` a signature by `key` as `signer` (trust-store id) named
/// `signatory`, signed on `signed_on`.
pub(crate) fn sign(
    file: &mut SignatureFile,
    i: usize,
    key: &SigningKey,
    signer: &str,
    signatory: &str,
    signed_on: &str,
) {
    let below = file.layers.get(i + 1);
    let statement = Statement {
        profile: PROFILE.into(),
        content: file.layers[i].content.root,
        beneath: below.map(|b| Beneath {
            markers: b.markers.root,
            chain: b.chain,
        }),
        beneath_signatures: below.map(|b| signature_set_digest(&b.signatures)),
        commitment: Commitment::Endorses,
        signatory: signatory.into(),
        signer: signer.into(),
        public_key: key.verifying_key().to_bytes(),
        letter_date: None,
        signed_on: date(signed_on),
    };
    let signature = key.sign(&statement.to_bytes()).to_bytes();
    file.layers[i]
        .signatures
        .push(SignatureRecord::new(statement, signature));
}

/// A trust entry for `key`.
pub(crate) fn entry(id: &str, name: &str, key: &SigningKey) -> TrustEntry {
    TrustEntry::build(
        &EntryDetails::new(id, name),
        key.verifying_key().to_bytes(),
        PathBuf::from(format!("{id}.json")),
    )
    .unwrap()
}

/// A trust store of `entries`.
pub(crate) fn store(entries: Vec<TrustEntry>) -> TrustStore {
    TrustStore::from_entries(Path::new("keys"), entries).unwrap()
}

/// Verifies `doc` against `file` (the parser's advice skipped).
pub(crate) fn run(
    doc: &str,
    file: &SignatureFile,
    store: &TrustStore,
    today: Option<&str>,
) -> Report {
    verify(
        "doc.md",
        doc.as_bytes(),
        "doc.sig.json",
        file.to_json().as_bytes(),
        store,
        Options {
            strict: false,
            skip_parser_check: true,
            today: today.map(date),
            ..Default::default()
        },
    )
    .unwrap()
}

/// One letter signed by Ann Lee (key 1) whose entry is in the store: a valid document.
pub(crate) const LETTER: &str = "Letter\n\nWe agree.\n\n(Signed) Ann Lee\n";

/// Sign layer `layer` of `file` as Ann Lee (key 1, id `ann`) on 2024-01-02.
pub(crate) fn sign_as_ann(file: &mut SignatureFile, layer: usize) {
    sign(file, layer, &key(1), "ann", "Ann Lee", "2024-01-02");
}

/// A store trusting Ann Lee (key 1, id `ann`).
pub(crate) fn ann_store() -> TrustStore {
    store(vec![entry("ann", "Ann Lee", &key(1))])
}

/// [`LETTER`], its signature file and a store trusting Ann Lee.
pub(crate) fn signed_letter() -> (SignatureFile, TrustStore) {
    let mut file = unsigned_file(LETTER);
    sign_as_ann(&mut file, 0);
    (file, ann_store())
}

#[test]
fn the_synthetic_letter_is_valid() {
    let (file, store) = signed_letter();
    let r = run(LETTER, &file, &store, Some("2024-01-03"));
    assert_eq!(r.verdict, super::Verdict::Valid, "{:?}", r.problem_codes());
}
