//! Reproduces every test vector of `docs/FORMAT.md` §11.
//!
//! The document lists `vector NAME = VALUE` lines; this test computes each NAME from first
//! principles (the library's public API, the example document and its signature file, and the
//! RFC 8032 TEST 1 key) and requires the values to match, and every computed vector to be listed.
//! Run with `TRANSMITTAL_PRINT_VECTORS=1 cargo test --test format_vectors -- --nocapture` to print
//! the block for the document.

use std::collections::BTreeMap;
use std::path::PathBuf;
use transmittal::canonical::{canonicalize, PROFILE};
use transmittal::chain::{self, Beneath, Commitment, Statement};
use transmittal::merkle;
use transmittal::sigfile::{self, SignatureFile};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// RFC 8032 §7.1 TEST 1 secret key (public: d75a9801…).
const TEST_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

fn escape(s: &str) -> String {
    s.escape_default().to_string()
}

fn computed() -> (BTreeMap<String, String>, String) {
    let mut v = BTreeMap::new();
    // Canonical text.
    let input = b"\xef\xbb\xbfA  \r\n\r\n\r\nB\t\rC";
    v.insert(
        "canonical.input".into(),
        escape(std::str::from_utf8(input).unwrap()),
    );
    let c = canonicalize(input).unwrap();
    v.insert("canonical.output".into(), escape(c.as_str()));
    // Leaves and roots.
    let part = "A\n\nB\nC\n";
    v.insert(
        "leaves.count".into(),
        merkle::leaf_ranges(part).count().to_string(),
    );
    v.insert(
        "leaf-hash.A-blank".into(),
        hex::encode(merkle::leaf_hash(b"A\n\n")),
    );
    v.insert(
        "root.A-blank-B-C".into(),
        hex::encode(merkle::content_root(part)),
    );
    v.insert("root.empty".into(), hex::encode(merkle::empty_root()));

    // The seed example and its signature file.
    let doc_bytes = std::fs::read(root().join("examples/kfor-2017-q3.md")).unwrap();
    let doc = canonicalize(&doc_bytes).unwrap();
    let file = SignatureFile::from_json(
        &std::fs::read(root().join("examples/kfor-2017-q3.md.sig.json")).unwrap(),
    )
    .unwrap();
    v.insert("seed.canonical-bytes".into(), doc.len().to_string());
    v.insert(
        "seed.canonical-sha256".into(),
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            doc.as_str().as_bytes(),
        )),
    );
    let lengths: Vec<chain::PartLengths> = file
        .layers
        .iter()
        .map(|l| chain::PartLengths {
            markers: l.markers.bytes,
            content: l.content.bytes,
        })
        .collect();
    let layout = chain::layout_from_end(doc.as_str(), &lengths).unwrap();
    v.insert("seed.header-bytes".into(), layout.header_end.to_string());
    let text = doc.as_str();
    let n = file.layers.len();
    let mut chains = vec![[0u8; 32]; n];
    for i in (0..n).rev() {
        let (s, cs, e) = layout.layers[i];
        let content = merkle::content_root(&text[cs..e]);
        let markers = merkle::content_root(&text[s..cs]);
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: merkle::content_root(&text[layout.layers[i + 1].0..layout.layers[i + 1].1]),
            chain: chains[i + 1],
        });
        chains[i] = chain::chain_digest(PROFILE, &content, beneath.as_ref());
        v.insert(format!("seed.layer{i}.markers-bytes"), (cs - s).to_string());
        v.insert(format!("seed.layer{i}.content-bytes"), (e - cs).to_string());
        v.insert(format!("seed.layer{i}.markers-root"), hex::encode(markers));
        v.insert(format!("seed.layer{i}.content-root"), hex::encode(content));
        v.insert(format!("seed.layer{i}.chain"), hex::encode(chains[i]));
        v.insert(
            format!("seed.layer{i}.signature-set"),
            hex::encode(sigfile::signature_set_digest(&file.layers[i].signatures)),
        );
    }

    // A complete signed statement with the RFC 8032 TEST 1 key over layer 1 of the seed.
    let mut seed = [0u8; 32];
    hex::decode_to_slice(TEST_SEED, &mut seed).unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let (s2, cs2, _) = layout.layers[2];
    let st = Statement {
        profile: PROFILE.into(),
        content: merkle::content_root(&text[layout.layers[1].1..layout.layers[1].2]),
        beneath: Some(Beneath {
            markers: merkle::content_root(&text[s2..cs2]),
            chain: chains[2],
        }),
        beneath_signatures: Some(sigfile::signature_set_digest(&file.layers[2].signatures)),
        commitment: Commitment::Endorses,
        signatory: "Jens Stoltenberg".into(),
        signer: "test".into(),
        public_key: key.verifying_key().to_bytes(),
        letter_date: transmittal::dates::parse_iso("2017-10-18"),
        signed_on: transmittal::dates::parse_iso("2017-10-18").unwrap(),
    };
    let bytes = st.to_bytes();
    v.insert(
        "statement.sha256".into(),
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
    );
    v.insert(
        "statement.signature".into(),
        hex::encode(transmittal::crypto::sign(&key, &bytes)),
    );
    assert_eq!(
        st.chain(),
        chains[1],
        "a statement covers its layer's chain digest"
    );
    (v, String::from_utf8(bytes).unwrap())
}

#[test]
fn format_md_vectors_are_reproduced() {
    let (values, statement) = computed();
    if std::env::var_os("TRANSMITTAL_PRINT_VECTORS").is_some() {
        for (k, v) in &values {
            println!("vector {k} = {v}");
        }
        println!("---\n{statement}---");
    }
    let doc = std::fs::read_to_string(root().join("docs/FORMAT.md")).unwrap();
    let mut listed = BTreeMap::new();
    for line in doc.lines() {
        if let Some(rest) = line.strip_prefix("vector ") {
            let (k, v) = rest.split_once(" = ").expect("vector NAME = VALUE");
            listed.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    assert!(!listed.is_empty(), "docs/FORMAT.md lists no vectors");
    for (k, v) in &values {
        assert_eq!(listed.get(k), Some(v), "vector {k} in docs/FORMAT.md");
    }
    for k in listed.keys() {
        assert!(
            values.contains_key(k),
            "docs/FORMAT.md lists an unknown vector {k}"
        );
    }
    // The complete statement is printed verbatim in the document.
    assert!(
        doc.contains(&format!("```\n{statement}```")),
        "docs/FORMAT.md must show the statement bytes verbatim:\n{statement}"
    );
}
