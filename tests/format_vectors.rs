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
    canonical_vectors(&mut v);
    leaf_vectors(&mut v);
    kind_vectors(&mut v);
    rule_vectors(&mut v);
    ed25519_vectors(&mut v);
    file_vectors(&mut v);
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
        assert!(!k.contains(" = "), "a vector name cannot hold \" = \": {k}");
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

// ---------------------------------------------------------------------------------------------
// Vectors that pin the rules a second implementation would otherwise have to guess. Names that
// carry an input write it escaped exactly as the values are (FORMAT.md §11), inside `"…"`.

/// `canonical("INPUT") = OUTPUT` (§2): U+FEFF removal at the start of the text.
const CANONICAL_INPUTS: &[&str] = &[
    "\u{feff}\u{feff}A\n\u{feff}B",
    "\u{feff}\u{feff}\n\n\u{feff}\u{feff} A\n\u{feff}B\n",
    "\u{feff}  \r\n\u{feff}\n\nA",
    "\u{feff}",
    "A\u{feff}\n",
];

fn canonical_vectors(v: &mut BTreeMap<String, String>) {
    for input in CANONICAL_INPUTS {
        let c = canonicalize(input.as_bytes()).unwrap();
        v.insert(
            format!("canonical(\"{}\")", escape(input)),
            format!("\"{}\"", escape(c.as_str())),
        );
    }
}

/// `leaves("PART") = ["LEAF", …]` (§3.1).
const LEAF_PARTS: &[&str] = &[
    "\n\nA\n",
    "\nA\n",
    "A\n\n",
    "A\nB",
    "\nA\n\nB\n",
    "\n",
    "\n\n",
    "A",
    "Enclosure",
];

fn leaves_of(part: &str) -> Vec<&str> {
    merkle::leaf_ranges(part).map(|r| &part[r]).collect()
}

fn leaf_vectors(v: &mut BTreeMap<String, String>) {
    for part in LEAF_PARTS {
        let leaves: Vec<String> = leaves_of(part)
            .iter()
            .map(|l| format!("\"{}\"", escape(l)))
            .collect();
        v.insert(
            format!("leaves(\"{}\")", escape(part)),
            format!("[{}]", leaves.join(", ")),
        );
    }
}

/// `kind(INDEX, "MARKERS") = KIND` (§3.4).
const KIND_MARKERS: &[(usize, &str)] = &[
    (1, "**Annex**\n\n"),
    (2, "Annex I\n\n"),
    (2, "ANNEX\n\n"),
    (1, "Annexes\n\n"),
    (2, "Annexes\n\n"),
    (1, "Enclosure:\n\n"),
    (1, "_Appendix_\n\n"),
    (2, "Annex\u{a0}I\n\n"),
    (2, "\u{a0}## `Appendix`"),
    (2, "Annex1"),
    (2, "Annex\u{e9}"),
    (1, "Encloſure"),
    (3, "(Annex)"),
    (1, "1. Enclosure"),
    (2, ""),
    (0, "Appendix"),
];

fn kind_vectors(v: &mut BTreeMap<String, String>) {
    for (i, m) in KIND_MARKERS {
        v.insert(
            format!("kind({i}, \"{}\")", escape(m)),
            chain::LayerKind::from_markers(*i, m).as_str().to_owned(),
        );
    }
}

/// (name field after "(Signed)", key name): whether the name names the mark (FORMAT.md §6.4).
const NAME_CASES: &[(&str, &str)] = &[
    ("Jens Stoltenberg", "Jens Stoltenberg"),
    ("Jens **Stoltenberg**", "jens stoltenberg"),
    ("Jens Stoltenberg", "Jens"),
    ("Mary Robinson-Smith", "Mary Robinson"),
    ("Jane Doe, Permanent Representative", "Jane Doe"),
    ("Jane Doe Permanent Representative of Ruritania", "Jane Doe"),
    ("Jane Doe  Ambassador", "Jane Doe"),
    ("Jane Doe Smith", "Jane Doe"),
    ("Jane Doerr", "Jane Doe"),
    ("Kofi A. Annan 01-59943 (E) 251001", "Kofi A. Annan"),
    ("Ban Ki-moon Annex Letter dated 1 May 2000", "Ban Ki-moon"),
    ("Jens Stoltenbеrg", "Jens Stoltenberg"),
];

/// Publication headers (canonical text) and the grammar's answer (FORMAT.md §9.3).
const HEADER_CASES: &[&str] = &[
    "",
    "**Security Council**\n\nDistr.: General\n31 October 2017\nEnglish\nOriginal: French\n\n",
    "S/2014/663\n\nSecurity Council Distr.: General 12 September 2014\n\nOriginal: English\n\n",
    "Security Council\nCorrigendum: for 4,100 read 4,600\n",
    "Security Council\n\\(Signed) X\n",
    "Security Council\n&#40;Signed) X\n",
    "Security Council\n\u{200b}(Signed) X\n",
    "Security Council\n> (Signed) X\n",
    "Security Council\n<!--\n",
    "Security Council\nEnglish",
    "JStM\n",
    "S/2017/912/Corr.1\nS/CORRIGENDUM/for-4100/read-4600\n",
    "29 February 2016\n31 February 2019\n",
];

fn rule_vectors(v: &mut BTreeMap<String, String>) {
    for (field, name) in NAME_CASES {
        let text = format!("(Signed) {field}\n");
        let yes = transmittal::identity::text_names_signatory(&text, name);
        v.insert(
            format!("names(\"{}\", \"{}\")", escape(field), escape(name)),
            if yes { "yes" } else { "no" }.to_owned(),
        );
    }
    for h in HEADER_CASES {
        let answer = match transmittal::header::check_header(h) {
            Ok(()) => "accepted".to_owned(),
            Err(e) => {
                // The refusal's kind (the variant, in kebab case) and the line it names.
                let dbg = format!("{e:?}");
                let variant = dbg.split([' ', '{']).next().unwrap_or_default();
                let mut kind = String::new();
                for (i, c) in variant.chars().enumerate() {
                    if c.is_uppercase() && i > 0 {
                        kind.push('-');
                    }
                    kind.extend(c.to_lowercase());
                }
                match transmittal::header::refusal_line(&e) {
                    Some(l) => format!("refused {kind} (line {l})"),
                    None => format!("refused {kind}"),
                }
            }
        };
        v.insert(format!("header(\"{}\")", escape(h)), answer);
    }
}

/// speccheck cases (tests/data/vectors/speccheck-cases.json) and what strict verification says.
const SPECCHECK: &[(usize, &str)] = &[
    (1, "small-order A"),
    (2, "small-order R"),
    (3, "mixed-order A and R"),
    (4, "mixed-order A and R, cofactored equation only"),
];

fn ed25519_vectors(v: &mut BTreeMap<String, String>) {
    let cases: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(root().join("tests/data/vectors/speccheck-cases.json")).unwrap(),
    )
    .unwrap();
    for (n, what) in SPECCHECK {
        let c = &cases[*n];
        let h = |k: &str| hex::decode(c[k].as_str().unwrap()).unwrap();
        let answer =
            match transmittal::crypto::verify_strict(&h("pub_key"), &h("message"), &h("signature"))
            {
                Ok(()) => "accepted".to_owned(),
                Err(e) => format!("rejected {}", e.code()),
            };
        v.insert(format!("ed25519(speccheck {n}: {what})"), answer);
    }
    // Case 3's key: a point of order 8L (mixed: not small order, not torsion-free).
    let key = "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d";
    assert_eq!(cases[3]["pub_key"].as_str(), Some(key));
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(key, &mut bytes).unwrap();
    let point = curve25519_dalek::edwards::CompressedEdwardsY(bytes)
        .decompress()
        .unwrap();
    let order = match (point.is_small_order(), point.is_torsion_free()) {
        (true, _) => "small",
        (false, true) => "prime",
        (false, false) => "mixed",
    };
    v.insert(format!("ed25519.order({key})"), order.into());
    v.insert(
        format!("ed25519.public-key({key})"),
        match transmittal::crypto::parse_public_key(&bytes) {
            Ok(_) => "accepted".to_owned(),
            Err(e) => format!("rejected {}", e.code()),
        },
    );
    let mut test1 = [0u8; 32];
    hex::decode_to_slice(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        &mut test1,
    )
    .unwrap();
    v.insert(
        "key-id(d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a)".into(),
        transmittal::keys::key_id(&test1),
    );
}

// The seed example, its signature file and the trust store `keys/`.

fn seed_doc() -> Vec<u8> {
    std::fs::read(root().join("examples/kfor-2017-q3.md")).unwrap()
}

fn seed_json() -> String {
    std::fs::read_to_string(root().join("examples/kfor-2017-q3.md.sig.json")).unwrap()
}

/// The demo signing key `id` (seed = SHA-256("transmittal demo key v1: " + id)).
fn demo_key(id: &str) -> ed25519_dalek::SigningKey {
    let seed: [u8; 32] =
        <sha2::Sha256 as sha2::Digest>::digest(format!("transmittal demo key v1: {id}")).into();
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

/// The verdict on the seed document with signature file `json`: `valid`, or the verdict and the
/// distinct problem codes in report order.
fn verdict(json: &str) -> String {
    let store = transmittal::trust::load(&root().join("keys")).unwrap();
    let r = transmittal::verify::verify(
        "doc",
        &seed_doc(),
        "sig",
        json.as_bytes(),
        &store,
        transmittal::verify::Options {
            strict: false,
            skip_parser_check: true,
            today: None,
            ..Default::default()
        },
    )
    .unwrap();
    let mut codes: Vec<&str> = Vec::new();
    for c in r.problem_codes().iter().map(|c| c.as_str()) {
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    if codes.is_empty() {
        r.verdict.as_str().to_owned()
    } else {
        format!("{} {}", r.verdict.as_str(), codes.join(" "))
    }
}

/// What the parser says of a signature file: `parses`, or the problem it is reported as.
fn parse_answer(json: &str) -> String {
    match SignatureFile::from_json(json.as_bytes()) {
        Ok(_) => "parses".into(),
        Err(_) => "malformed-signature-file".into(),
    }
}

/// `json` with the first `from` replaced by `to` (which must be there).
fn edited(json: &str, from: &str, to: &str) -> String {
    assert!(json.contains(from), "the example file has no {from:?}");
    json.replacen(from, to, 1)
}

/// `json` with `edit` applied to its value (for edits that are not about JSON syntax).
fn edited_value(json: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    edit(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

/// Raw edits of the example signature file, `(label, from, to)`: the first `from` becomes `to`.
/// The label is what the vector's name shows.
const RAW_EDITS: &[(&str, &str, &str)] = &[
    // Numbers.
    ("\"index\": 1 → 1.0", "\"index\": 1", "\"index\": 1.0"),
    ("\"index\": 1 → 1e0", "\"index\": 1", "\"index\": 1e0"),
    ("\"index\": 0 → -0", "\"index\": 0", "\"index\": -0"),
    ("\"index\": 1 → 01", "\"index\": 1", "\"index\": 01"),
    ("\"index\": 1 → \"1\"", "\"index\": 1", "\"index\": \"1\""),
    ("\"bytes\": 631 → -631", "\"bytes\": 631", "\"bytes\": -631"),
    (
        "\"bytes\": 631 → 18446744073709551616",
        "\"bytes\": 631",
        "\"bytes\": 18446744073709551616",
    ),
    // Strings and hex.
    (
        "\"key_id\": \"8904caf1f8ce3ed4\" → \"8904CAF1F8CE3ED4\"",
        "\"8904caf1f8ce3ed4\"",
        "\"8904CAF1F8CE3ED4\"",
    ),
    (
        "\"key_id\": \"8904caf1f8ce3ed4\" → \"8904caf1f8ce3ed5\"",
        "\"8904caf1f8ce3ed4\"",
        "\"8904caf1f8ce3ed5\"",
    ),
    (
        "\"key_id\": \"8904caf1f8ce3ed4\" → \"8904caf1f8ce3ed\"",
        "\"8904caf1f8ce3ed4\"",
        "\"8904caf1f8ce3ed\"",
    ),
    (
        "\"key_id\": \"8904caf1f8ce3ed4\" → \"\\u0038904caf1f8ce3ed4\"",
        "\"8904caf1f8ce3ed4\"",
        "\"\\u0038904caf1f8ce3ed4\"",
    ),
    (
        "\"signatory\": \"António Guterres\" → \"Ant\\u00f3nio Guterres\"",
        "\"António Guterres\"",
        "\"Ant\\u00f3nio Guterres\"",
    ),
    (
        "\"signatory\": \"António Guterres\" → \"\\ud800\"",
        "\"António Guterres\"",
        "\"\\ud800\"",
    ),
    (
        "\"letter_date\": \"2017-10-25\" → \"2017-10-25T00:00\"",
        "\"letter_date\": \"2017-10-25\"",
        "\"letter_date\": \"2017-10-25T00:00\"",
    ),
    (
        "\"letter_date\": \"2017-10-25\" → \"2017-02-29\"",
        "\"letter_date\": \"2017-10-25\"",
        "\"letter_date\": \"2017-02-29\"",
    ),
    (
        "\"letter_date\": \"2017-10-25\" → \"17-10-25\"",
        "\"letter_date\": \"2017-10-25\"",
        "\"letter_date\": \"17-10-25\"",
    ),
    (
        "\"commitment\": \"transmits\" → \"Transmits\"",
        "\"transmits\"",
        "\"Transmits\"",
    ),
    (
        "\"kind\": \"cover\" → \"Cover\"",
        "\"kind\": \"cover\"",
        "\"kind\": \"Cover\"",
    ),
    (
        "\"leaves\" of layer 0 with a line break",
        "\"leaves\": \"gzUp",
        "\"leaves\": \"gzUp\\n",
    ),
    (
        "\"leaves\" of layer 0 without its \"==\"",
        "EzCtA==\"",
        "EzCtA\"",
    ),
    (
        "\"leaves\" of layer 0 with unused bits set",
        "EzCtA==\"",
        "EzCtB==\"",
    ),
    // Objects.
    (
        "duplicate \"index\"",
        "\"index\": 0,",
        "\"index\": 0, \"index\": 0,",
    ),
    (
        "unknown field \"note\": null",
        "\"index\": 0,",
        "\"index\": 0, \"note\": null,",
    ),
    ("no \"markers\" in layer 0", "\"markers\": null,", ""),
    ("no \"letter_date\"", "\"letter_date\": \"2017-10-25\",", ""),
    (
        "\"letter_date\": null",
        "\"letter_date\": \"2017-10-25\"",
        "\"letter_date\": null",
    ),
    (
        "\"signed_on\": null",
        "\"signed_on\": \"2017-10-25\"",
        "\"signed_on\": null",
    ),
    // Around the value.
    ("U+FEFF before the JSON", "{", "\u{feff}{"),
    ("white space before the JSON", "{", " \r\n\t{"),
];

/// Edits of the parsed example file, `(label, edit)`.
/// A named edit of a signature file's JSON.
type ValueEdit = (String, Box<dyn Fn(&mut serde_json::Value)>);

fn value_edits() -> Vec<ValueEdit> {
    use serde_json::{json, Value};
    let mut out: Vec<ValueEdit> = vec![
        (
            "\"format\": \"transmittal-signatures-v2\"".into(),
            Box::new(|v| v["format"] = json!("transmittal-signatures-v2")),
        ),
        (
            "\"profile\": \"transmittal-text-v2\"".into(),
            Box::new(|v| v["profile"] = json!("transmittal-text-v2")),
        ),
        (
            "\"layers\": []".into(),
            Box::new(|v| v["layers"] = json!([])),
        ),
        (
            "layer 0 \"signatures\": []".into(),
            Box::new(|v| v["layers"][0]["signatures"] = json!([])),
        ),
        (
            "every \"signatures\": []".into(),
            Box::new(|v| {
                for l in v["layers"].as_array_mut().unwrap() {
                    l["signatures"] = json!([]);
                }
            }),
        ),
        (
            "layer 1 \"markers\": null".into(),
            Box::new(|v| v["layers"][1]["markers"] = Value::Null),
        ),
        (
            "layer 1 without \"markers\"".into(),
            Box::new(|v| {
                v["layers"][1].as_object_mut().unwrap().remove("markers");
            }),
        ),
        (
            "layer 0 \"markers\": layer 1's".into(),
            Box::new(|v| v["layers"][0]["markers"] = v["layers"][1]["markers"].clone()),
        ),
        (
            "layer 0 \"chain_sha256\": null".into(),
            Box::new(|v| v["layers"][0]["chain_sha256"] = Value::Null),
        ),
        (
            "layer 0 \"signature\": null".into(),
            Box::new(|v| v["layers"][0]["signatures"][0]["signature"] = Value::Null),
        ),
        (
            "layer 0 \"beneath_signatures_sha256\": null".into(),
            Box::new(|v| {
                v["layers"][0]["signatures"][0]["beneath_signatures_sha256"] = Value::Null
            }),
        ),
        (
            "layer 0 \"beneath_markers_sha256\": null".into(),
            Box::new(|v| v["layers"][0]["signatures"][0]["beneath_markers_sha256"] = Value::Null),
        ),
        (
            "layer 0 three \"beneath_…\": null".into(),
            Box::new(|v| {
                let s = &mut v["layers"][0]["signatures"][0];
                for k in [
                    "beneath_markers_sha256",
                    "beneath_chain_sha256",
                    "beneath_signatures_sha256",
                ] {
                    s[k] = Value::Null;
                }
            }),
        ),
        (
            "layer 0 \"content\".\"tail_bytes\": 632".into(),
            Box::new(|v| v["layers"][0]["content"]["tail_bytes"] = json!(632)),
        ),
        (
            "layer 0 \"content\".\"leaves\": \"\"".into(),
            Box::new(|v| v["layers"][0]["content"]["leaves"] = json!("")),
        ),
    ];
    let long = [
        ("200 × \"é\" (400 bytes)", "é".repeat(200)),
        ("201 × \"é\"", "é".repeat(201)),
        ("200 × \"a\"", "a".repeat(200)),
        ("201 × \"a\"", "a".repeat(201)),
    ];
    let named = SIGNATORIES
        .iter()
        .map(|s| (format!("\"{}\"", escape(s)), s.to_string()))
        .chain(long.into_iter().map(|(l, s)| (l.to_owned(), s)));
    for (label, s) in named {
        out.push((
            format!("\"signatory\": {label}"),
            Box::new(move |v| v["layers"][0]["signatures"][0]["signatory"] = json!(s.clone())),
        ));
    }
    for signer in SIGNERS {
        let s = signer.to_string();
        out.push((
            format!("\"signer\": \"{}\"", escape(&s)),
            Box::new(move |v| v["layers"][0]["signatures"][0]["signer"] = json!(s.clone())),
        ));
    }
    out
}

/// Values of `signatory` the parser is asked about (§5).
const SIGNATORIES: &[&str] = &[
    "",
    " ",
    " António Guterres",
    "António Guterres ",
    "\u{a0}António Guterres",
    "António\u{a0}Guterres",
    "António  Guterres",
    "António\tGuterres",
    "António\nGuterres",
    "António\u{7f}Guterres",
    "António\u{85}Guterres",
    "António\u{200b}Guterres",
    "António\u{feff}Guterres",
    "António Guterres\u{3000}",
    "**antónio guterres**",
    "Anto\u{301}nio Guterres",
];

/// Values of `signer` the parser is asked about (§5).
const SIGNERS: &[&str] = &[
    "",
    "Guterres",
    "guterres-2.un_sg",
    "2guterres",
    "-guterres",
    ".guterres",
    "gutérres",
    "guterres ",
    "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
    "ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
];

/// `parse(EDIT) = ANSWER` (§7) and `verify(EDIT) = VERDICT CODES` (§7: which inconsistencies are
/// `malformed-signature-file` and which are changes).
fn file_vectors(v: &mut BTreeMap<String, String>) {
    let json = seed_json();
    v.insert("parse(the example file)".into(), parse_answer(&json));
    v.insert("verify(the example file)".into(), verdict(&json));
    for (label, from, to) in RAW_EDITS {
        v.insert(
            format!("parse({label})"),
            parse_answer(&edited(&json, from, to)),
        );
    }
    v.insert(
        "parse(text after the JSON)".into(),
        parse_answer(&format!("{json}x")),
    );
    v.insert(
        "parse(the example file on one line)".into(),
        parse_answer(
            &serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&json).unwrap())
                .unwrap(),
        ),
    );
    for (label, edit) in value_edits() {
        v.insert(
            format!("parse({label})"),
            parse_answer(&edited_value(&json, edit)),
        );
    }
    for (label, from, to) in VERIFY_EDITS {
        v.insert(
            format!("verify({label})"),
            verdict(&edited(&json, from, to)),
        );
    }
    v.insert(
        "verify(layer 1 re-signed with signatory \"**jens  stoltenberg**\")".into(),
        verdict(&resigned_with_signatory("**jens  stoltenberg**")),
    );
}

/// Raw edits checked with a full verification, `(label, from, to)`.
const VERIFY_EDITS: &[(&str, &str, &str)] = &[
    (
        "layer 0 content \"bytes\": 631 → 632",
        "\"bytes\": 631",
        "\"bytes\": 632",
    ),
    (
        "layer 0 content \"bytes\": 631 → 630",
        "\"bytes\": 631",
        "\"bytes\": 630",
    ),
    (
        "layer 2 content \"bytes\": 2136 → 3250",
        "\"bytes\": 2136",
        "\"bytes\": 3250",
    ),
    (
        "layer 1 markers \"bytes\": 28 → 27",
        "\"bytes\": 28",
        "\"bytes\": 27",
    ),
    (
        "layer 0 content \"tail_bytes\": 0 → 5",
        "\"tail_bytes\": 0",
        "\"tail_bytes\": 5",
    ),
    (
        "layer 2 markers \"tail_bytes\": 9 → 0",
        "\"tail_bytes\": 9",
        "\"tail_bytes\": 0",
    ),
    (
        "layer 0 \"chain_sha256\" edited",
        "\"chain_sha256\": \"9e5b",
        "\"chain_sha256\": \"9e5c",
    ),
    (
        "layer 0 \"content\".\"sha256\" edited",
        "\"sha256\": \"dde3",
        "\"sha256\": \"dde4",
    ),
    (
        "layer 0 \"key_id\" edited",
        "\"8904caf1f8ce3ed4\"",
        "\"8904caf1f8ce3ed5\"",
    ),
    (
        "layer 0 \"content_sha256\" edited",
        "\"content_sha256\": \"dde3",
        "\"content_sha256\": \"dde4",
    ),
    (
        "layer 0 \"signature\" edited",
        "\"signature\": \"d26d",
        "\"signature\": \"d26e",
    ),
    (
        "\"profile\": \"transmittal-text-v2\"",
        "\"profile\": \"transmittal-text-v1\"",
        "\"profile\": \"transmittal-text-v2\"",
    ),
];

/// The example file with layer 1's signature re-made by the demo key over `signatory`, and
/// layer 0's re-made over the new signature set beneath.
fn resigned_with_signatory(signatory: &str) -> String {
    let mut file = SignatureFile::from_json(seed_json().as_bytes()).unwrap();
    let s1 = &mut file.layers[1].signatures[0];
    s1.statement.signatory = signatory.into();
    s1.signature = transmittal::crypto::sign(&demo_key("stoltenberg"), &s1.statement.to_bytes());
    let set = sigfile::signature_set_digest(&file.layers[1].signatures);
    let s0 = &mut file.layers[0].signatures[0];
    s0.statement.beneath_signatures = Some(set);
    s0.signature = transmittal::crypto::sign(&demo_key("guterres"), &s0.statement.to_bytes());
    file.to_json()
}

/// §3.1's pseudo-code, transcribed.
fn leaves_by_the_spec(p: &[u8]) -> Vec<&[u8]> {
    const LF: u8 = b'\n';
    let mut out = Vec::new();
    let mut s = 0;
    while s < p.len() {
        let mut i = s;
        if p[s] == LF && s + 1 < p.len() && p[s + 1] != LF {
            i = s + 1;
        }
        let e = match p[i..].iter().position(|&b| b == LF) {
            None => p.len(),
            Some(k) => {
                let mut e = i + k + 1;
                while e < p.len() && p[e] == LF {
                    e += 1;
                }
                e
            }
        };
        out.push(&p[s..e]);
        s = e;
    }
    out
}

#[test]
fn leaf_pseudo_code_of_format_md_is_the_library() {
    // Every string of up to 12 characters over {A, LF}, and some with CR and multi-byte text.
    let mut parts: Vec<String> = vec!["é\n\nß".into(), "\r\n\n".into(), "\u{feff}\n".into()];
    for len in 0..=12u32 {
        for bits in 0..(1u32 << len) {
            parts.push(
                (0..len)
                    .map(|k| if bits >> k & 1 == 1 { '\n' } else { 'A' })
                    .collect(),
            );
        }
    }
    for part in &parts {
        let lib: Vec<&[u8]> = leaves_of(part).iter().map(|l| l.as_bytes()).collect();
        assert_eq!(
            lib,
            leaves_by_the_spec(part.as_bytes()),
            "leaves of {part:?}"
        );
        // The leaves' root is the root of the part.
        let hashes: Vec<merkle::Hash> = lib.iter().map(|l| merkle::leaf_hash(l)).collect();
        assert_eq!(merkle::root_of(&hashes), merkle::content_root(part));
    }
}

/// §11's escapes, decoded as the document says.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'u' => {
                if it.next()? != '{' {
                    return None;
                }
                let hex: String = it.by_ref().take_while(|&c| c != '}').collect();
                if hex.is_empty() || hex.len() > 6 || hex.starts_with('0') && hex.len() > 1 {
                    return None;
                }
                if hex.chars().any(|c| !matches!(c, '0'..='9' | 'a'..='f')) {
                    return None;
                }
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[test]
fn vector_escapes_are_those_format_md_describes() {
    // Every character has exactly the documented spelling, and the documented decoding inverts it.
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        let e = escape(&c.to_string());
        let expected = match c {
            '\n' => "\\n".to_owned(),
            '\t' => "\\t".to_owned(),
            '\r' => "\\r".to_owned(),
            '\\' | '\'' | '"' => format!("\\{c}"),
            ' '..='~' => c.to_string(),
            _ => format!("\\u{{{:x}}}", c as u32),
        };
        assert_eq!(e, expected, "spelling of U+{:04X}", c as u32);
        assert_eq!(unescape(&e), Some(c.to_string()));
    }
    // The text vectors of the document decode to what the library was given or gave.
    let doc = std::fs::read_to_string(root().join("docs/FORMAT.md")).unwrap();
    let value = |name: &str| {
        doc.lines()
            .find_map(|l| l.strip_prefix(&format!("vector {name} = ")))
            .unwrap_or_else(|| panic!("vector {name}"))
            .to_owned()
    };
    assert_eq!(
        unescape(&value("canonical.input")).unwrap().as_bytes(),
        b"\xef\xbb\xbfA  \r\n\r\n\r\nB\t\rC"
    );
    for input in CANONICAL_INPUTS {
        let listed = value(&format!("canonical(\"{}\")", escape(input)));
        let c = canonicalize(input.as_bytes()).unwrap();
        let quoted = listed
            .strip_prefix('"')
            .and_then(|l| l.strip_suffix('"'))
            .unwrap();
        assert_eq!(unescape(quoted).unwrap(), c.as_str());
        // Canonicalization is idempotent, and canonical text never starts with U+FEFF.
        assert_eq!(
            canonicalize(c.as_str().as_bytes()).unwrap().as_str(),
            c.as_str()
        );
        assert!(!c.as_str().starts_with('\u{feff}'));
    }
}

#[test]
fn section_7_shows_the_example_file() {
    // The §7 example is examples/kfor-2017-q3.md.sig.json line for line, `leaves` shortened to
    // their first characters and "…".
    let doc = std::fs::read_to_string(root().join("docs/FORMAT.md")).unwrap();
    let s7 = &doc[doc.find("## 7. ").unwrap()..];
    let block = &s7[s7.find("```json\n").unwrap() + 8..];
    let block = &block[..block.find("```").unwrap()];
    let file = seed_json();
    assert_eq!(block.lines().count(), file.lines().count());
    for (shown, real) in block.lines().zip(file.lines()) {
        match shown.split_once('…') {
            Some((head, tail)) => {
                assert!(
                    shown.contains("\"leaves\": \"") && real.starts_with(head),
                    "{shown}"
                );
                assert!(real.ends_with(tail) && real.len() > shown.len(), "{shown}");
            }
            None => assert_eq!(shown, real),
        }
    }
}
