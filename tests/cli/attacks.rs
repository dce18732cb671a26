//! CLI tests: attack classes (issue 5, `docs/SECURITY.md` "Attack classes").
//!
//! Every attack is run against the real binary (`verify --json`) and must give `invalid` (or
//! `indeterminate` where nothing is proven wrong), never `valid`; the problem code that names the
//! attack class is asserted. `tests/cli/verify.rs` and `tests/cli/sign.rs` hold the basic tamper
//! suite (one character changed per layer, an appended or removed paragraph, a stripped annex, a
//! moved letter, a flipped signature bit, a copied signature, key validity, a swapped annex); the
//! tests here complement them, one group per attack class:
//!
//! * universal forgery (empty, zero, short, long, non-hex signatures, `S ≥ L`, small-order `R` and
//!   keys, the identity point);
//! * signature wrapping (layer boundaries in the signature file pointing elsewhere, duplicated or
//!   missing layer records, out-of-range numbers);
//! * incremental saving (text appended, inserted between layers, put in the header's place);
//! * layer surgery (stripped, injected, duplicated, reordered layers; a signed cover moved onto
//!   another document);
//! * replay and substitution (signatures from other documents, profiles, identities; two
//!   trust-store entries with one name);
//! * text confusion (NFD/NFC, homoglyphs, invisible and bidirectional controls, quoted "(Signed)");
//! * downgrade (older, newer or unknown format and profile strings).
//!
//! Genuine signatures over crafted statements are made in-process with the demo secret keys (the
//! attacker model where a signer's key is used on something the signer would not sign through the
//! tool, or an attacker's own key is used), so that the verifier's checks are tested on their own,
//! not only through `sign`'s refusals.

use crate::common::*;
use serde_json::{json, Value};
use std::path::Path;
use transmittal::chain::{Beneath, Commitment, Statement};
use transmittal::keys::SecretKey;
use transmittal::sigfile::{SignatureFile, SignatureRecord};

pub(crate) const DOC: &str = "kfor-2017-q3.md";
pub(crate) const SIG: &str = "kfor-2017-q3.md.sig.json";
/// The order of the Ed25519 prime-order subgroup, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];
/// The encoding of the identity point (y = 1).
const IDENTITY: &str = "0100000000000000000000000000000000000000000000000000000000000000";
/// A point of order 8.
const SMALL_ORDER: &str = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa";

// ---------------------------------------------------------------------------------------------
// Helpers.

pub(crate) fn edit_doc(dir: &Path, name: &str, f: impl FnOnce(&str) -> String) {
    let p = dir.join(name);
    let s = std::fs::read_to_string(&p).unwrap();
    let t = f(&s);
    assert_ne!(s, t, "the edit must change {name}");
    std::fs::write(&p, t).unwrap();
}

pub(crate) fn edit_sig(dir: &Path, name: &str, f: impl FnOnce(&mut Value)) {
    let p = dir.join(name);
    let mut v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

pub(crate) fn load_sig(dir: &Path, name: &str) -> SignatureFile {
    SignatureFile::from_json(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

pub(crate) fn save_sig(dir: &Path, name: &str, f: &SignatureFile) {
    std::fs::write(dir.join(name), f.to_json()).unwrap();
}

/// The codes of layer `i` (its problems and its signatures' codes).
pub(crate) fn layer_codes(r: &Value, i: usize) -> Vec<String> {
    let l = &r["layers"][i];
    let mut out: Vec<String> = l["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect();
    for s in l["signatures"].as_array().into_iter().flatten() {
        for c in s["codes"].as_array().unwrap() {
            out.push(c.as_str().unwrap().to_owned());
        }
    }
    out
}

/// The codes of signature `k` of layer `i`.
pub(crate) fn sig_codes(r: &Value, i: usize, k: usize) -> Vec<String> {
    r["layers"][i]["signatures"][k]["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn warning_codes(r: &Value) -> Vec<String> {
    r["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| w["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Verify `doc` in `dir`; assert the verdict is `want` (never `valid` for an attack) with the
/// matching exit code, and that every code of `must` is reported. Returns the report.
pub(crate) fn expect(dir: &Path, doc: &str, want: &str, must: &[&str]) -> Value {
    let (code, r) = verify_json(dir, doc);
    let all = codes(&r);
    assert_eq!(r["verdict"], want, "codes {all:?}");
    let exit = match want {
        "valid" => 0,
        "invalid" => 1,
        "indeterminate" => 3,
        _ => unreachable!(),
    };
    assert_eq!(code, exit, "codes {all:?}");
    for m in must {
        assert!(
            all.iter().any(|c| c == m),
            "expected code {m}, found {all:?}"
        );
    }
    r
}

pub(crate) fn invalid(dir: &Path, must: &[&str]) -> Value {
    expect(dir, DOC, "invalid", must)
}

/// The secret key of a demo signer (`demo-keys/ID.key`, unencrypted).
pub(crate) fn demo_key(dir: &Path, id: &str) -> SecretKey {
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("demo-keys/{id}.key"))).unwrap())
            .unwrap();
    let mut seed = [0u8; 32];
    hex::decode_to_slice(v["secret_key"].as_str().unwrap(), &mut seed).unwrap();
    SecretKey::from_seed(&seed, Some(id.to_owned()), None)
}

/// An attacker's key (not in any trust store).
pub(crate) fn attacker_key() -> SecretKey {
    SecretKey::from_seed(&[0x66; 32], Some("mallory".into()), None)
}

pub(crate) fn date(s: &str) -> transmittal::dates::Date {
    transmittal::dates::parse_iso(s).unwrap()
}

/// The statement a signature on layer `layer` of `file` would sign, with the fields given.
pub(crate) fn statement(
    file: &SignatureFile,
    layer: usize,
    key: &SecretKey,
    signer: &str,
    signatory: &str,
    on: &str,
) -> Statement {
    let n = file.layers.len();
    Statement {
        profile: file.profile.clone(),
        content: file.layers[layer].content.root,
        beneath: (layer + 1 < n).then(|| Beneath {
            markers: file.layers[layer + 1].markers.root,
            chain: file.layers[layer + 1].chain,
        }),
        beneath_signatures: (layer + 1 < n).then(|| {
            transmittal::sigfile::signature_set_digest(&file.layers[layer + 1].signatures)
        }),
        commitment: Commitment::Endorses,
        signatory: signatory.to_owned(),
        signer: signer.to_owned(),
        public_key: key.public_key(),
        letter_date: Some(date(on)),
        signed_on: date(on),
    }
}

/// A genuine signature by `key` over `st`.
pub(crate) fn signed(key: &SecretKey, st: Statement) -> SignatureRecord {
    let signature = transmittal::crypto::sign(key.signing_key(), &st.to_bytes());
    SignatureRecord::new(st, signature)
}

/// The unsigned records the parser proposes for `text` (what `sign` would start from).
pub(crate) fn proposed(text: &str) -> SignatureFile {
    let doc = transmittal::canonical::canonicalize(text.as_bytes()).unwrap();
    let s = transmittal::parser::propose(&doc);
    SignatureFile {
        profile: transmittal::canonical::PROFILE.to_owned(),
        layers: transmittal::sign::records_from_structure(&doc, &s),
    }
}

pub(crate) fn seed_text() -> String {
    std::fs::read_to_string(root().join("examples/kfor-2017-q3.md")).unwrap()
}

/// NATO's own document: the letter and the enclosed report.
pub(crate) fn nato_text(seed: &str) -> String {
    seed[seed.find("In accordance with paragraph 20").unwrap()..].to_owned()
}

/// The UN cover letter (heading to signature line).
pub(crate) fn un_cover_text(seed: &str) -> String {
    let a = seed.find("**Letter dated 25 October").unwrap();
    let b = seed.find("(Signed) António **Guterres**").unwrap();
    format!("{}(Signed) António **Guterres**\n", &seed[a..b])
}

pub(crate) fn run_ok(dir: &Path, args: &[&str]) {
    let o = bin().current_dir(dir).args(args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Sign NATO's document `nato.md` (with `text`) in `dir` through the CLI, as Stoltenberg.
pub(crate) fn nato_signed(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            name,
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "--letter-date",
            "2017-10-18",
        ],
    );
}

fn sig_hex(v: &Value, layer: usize) -> Vec<u8> {
    hex::decode(
        v["layers"][layer]["signatures"][0]["signature"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
}

fn set_sig(v: &mut Value, layer: usize, bytes: &[u8]) {
    v["layers"][layer]["signatures"][0]["signature"] = hex::encode(bytes).into();
}

fn key_id_of(hex_key: &str) -> String {
    let mut k = [0u8; 32];
    hex::decode_to_slice(hex_key, &mut k).unwrap();
    transmittal::keys::key_id(&k)
}

// ---------------------------------------------------------------------------------------------
// Universal forgery.

#[test]
fn forgery_all_zero_signature_is_bad_signature() {
    let d = example_dir();
    edit_sig(d.path(), SIG, |v| set_sig(v, 1, &[0u8; 64]));
    let r = invalid(d.path(), &["bad-signature"]);
    assert_eq!(sig_codes(&r, 1, 0), ["bad-signature"]);
    assert_eq!(r["layers"][1]["signatures"][0]["status"], "invalid");
    // The outer signer saw another signature beneath.
    assert!(sig_codes(&r, 0, 0).contains(&"inner-signatures-changed".to_owned()));
}

/// `S + L` is the same scalar mod L: a non-strict verifier accepts it (malleability).
#[test]
fn forgery_s_plus_l_is_bad_signature() {
    for layer in [0usize, 1] {
        let d = example_dir();
        edit_sig(d.path(), SIG, |v| {
            let mut s = sig_hex(v, layer);
            let mut carry = 0u16;
            for i in 0..32 {
                let t = s[32 + i] as u16 + L[i] as u16 + carry;
                s[32 + i] = t as u8;
                carry = t >> 8;
            }
            assert_eq!(carry, 0);
            set_sig(v, layer, &s);
        });
        let r = invalid(d.path(), &["bad-signature"]);
        assert!(sig_codes(&r, layer, 0).contains(&"bad-signature".to_owned()));
        let reason = r["layers"][layer]["signatures"][0]["reason"]
            .as_str()
            .unwrap();
        assert!(reason.contains("S value is not reduced"), "{reason}");
    }
}

#[test]
fn forgery_small_order_r_is_bad_signature() {
    for r_point in [IDENTITY, SMALL_ORDER] {
        let d = example_dir();
        edit_sig(d.path(), SIG, |v| {
            let mut s = sig_hex(v, 1);
            s[..32].copy_from_slice(&hex::decode(r_point).unwrap());
            set_sig(v, 1, &s);
        });
        let r = invalid(d.path(), &["bad-signature"]);
        let reason = r["layers"][1]["signatures"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("small-order point"), "{r_point}: {reason}");
    }
}

/// A small-order public key (with its `key_id` made to match) is weak: refused, whatever the
/// signature. The statement names the trust-store id of another key, so it is also a mismatch.
#[test]
fn forgery_small_order_public_key_is_bad_signature() {
    for pk in [IDENTITY, SMALL_ORDER] {
        let d = example_dir();
        edit_sig(d.path(), SIG, |v| {
            let s = &mut v["layers"][1]["signatures"][0];
            s["public_key"] = pk.into();
            s["key_id"] = key_id_of(pk).into();
        });
        let r = invalid(d.path(), &["bad-signature"]);
        let reason = r["layers"][1]["signatures"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("weak (small-order) key"), "{pk}: {reason}");
        // Without the key id edited too, the file is inconsistent.
        let d = example_dir();
        edit_sig(d.path(), SIG, |v| {
            v["layers"][1]["signatures"][0]["public_key"] = pk.into()
        });
        invalid(d.path(), &["malformed-signature-file"]);
    }
}

/// The classic universal forgery: `A = R =` identity (or a small-order point) and `S = 0`
/// satisfies `[S]B = R + [k]A` for every message under a cofactored or lenient verifier.
#[test]
fn forgery_identity_point_universal_forgery() {
    for point in [IDENTITY, SMALL_ORDER] {
        for layer in [0usize, 1] {
            let d = example_dir();
            edit_sig(d.path(), SIG, |v| {
                let s = &mut v["layers"][layer]["signatures"][0];
                s["public_key"] = point.into();
                s["key_id"] = key_id_of(point).into();
                s["signature"] = format!("{point}{}", "00".repeat(32)).into();
            });
            let r = invalid(d.path(), &["bad-signature"]);
            assert_eq!(r["layers"][layer]["signatures"][0]["status"], "invalid");
            assert!(sig_codes(&r, layer, 0).contains(&"bad-signature".to_owned()));
        }
    }
    // On a document of its own, with the identity point as a "trusted" key: the trust store
    // refuses to load such an entry at all (exit 2).
    let d = example_dir();
    edit_sig(d.path(), "keys/stoltenberg.pub.json", |v| {
        v["public_key"] = IDENTITY.into();
        v["fingerprint"] = hex::encode(transmittal::keys::fingerprint(&{
            let mut k = [0u8; 32];
            hex::decode_to_slice(IDENTITY, &mut k).unwrap();
            k
        }))
        .into();
    });
    let o = bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

/// A genuine signature by an attacker's key that claims a trusted signer's id: not "unknown"
/// (indeterminate) but a substitution (invalid).
#[test]
fn forgery_attacker_key_claiming_a_trusted_id_is_key_mismatch() {
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    let k = attacker_key();
    let st = statement(&f, 1, &k, "stoltenberg", "Jens Stoltenberg", "2017-10-18");
    f.layers[1].signatures = vec![signed(&k, st)];
    save_sig(d.path(), SIG, &f);
    let r = invalid(d.path(), &["key-mismatch", "inner-signatures-changed"]);
    assert!(sig_codes(&r, 1, 0).contains(&"key-mismatch".to_owned()));
    // The same attacker signature under an id nobody holds, on NATO's own document signed by
    // nobody else: nothing proves it wrong, nothing proves it right.
    let d = example_dir();
    std::fs::write(d.path().join("nato.md"), nato_text(&seed_text())).unwrap();
    let mut f = proposed(&nato_text(&seed_text()));
    let st = statement(&f, 0, &k, "nato-sg", "Jens Stoltenberg", "2017-10-18");
    f.layers[0].signatures = vec![signed(&k, st)];
    save_sig(d.path(), "nato.md.sig.json", &f);
    let r = expect(d.path(), "nato.md", "indeterminate", &["unknown-key"]);
    assert_eq!(r["layers"][0]["signatures"][0]["status"], "indeterminate");
}

/// A signature file with no signature at all, whose only layer is empty: the whole text then lies
/// in the publication header's place, is short enough to pass for a header, and nothing fails.
/// Found by `cargo fuzz run parse_document` (`fuzz/findings/parse_document-unsigned-valid`).
/// Nothing is signed, so the answer can never be `valid`.
#[test]
fn forgery_signature_file_without_signatures_or_text() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(
        dir.join("pay.md"),
        "Transfer 1,000,000 USD to Mallory.\n\nApproved by the Secretary-General.\n",
    )
    .unwrap();
    let mut layers = vec![transmittal::sigfile::LayerRecord {
        kind: transmittal::chain::LayerKind::Cover,
        markers: transmittal::sigfile::PartRecord::of(""),
        content: transmittal::sigfile::PartRecord::of(""),
        chain: [0; 32],
        signatures: vec![],
    }];
    transmittal::sign::rechain(&mut layers);
    let f = SignatureFile {
        profile: transmittal::canonical::PROFILE.to_owned(),
        layers,
    };
    save_sig(dir, "pay.md.sig.json", &f);
    let (code, r) = verify_json(dir, "pay.md");
    assert_ne!(r["verdict"], "valid", "{:?}", codes(&r));
    assert_ne!(code, 0);
    // The same with the example's text: the header is not the publisher's, it is everything.
    std::fs::copy(dir.join(DOC), dir.join("all.md")).unwrap();
    let text = std::fs::read_to_string(dir.join("all.md")).unwrap();
    std::fs::write(dir.join("all.md"), &text[..text.find("Annex").unwrap()]).unwrap();
    save_sig(dir, "all.md.sig.json", &f);
    let (code, r) = verify_json(dir, "all.md");
    assert_ne!(r["verdict"], "valid", "{:?}", codes(&r));
    assert_ne!(code, 0);
}

// ---------------------------------------------------------------------------------------------
// Signature wrapping: the signature file's layer boundaries.

/// Whatever the boundaries say, the signatures never verify text other than what they signed:
/// boundaries that cut the text elsewhere *and* a document edited to fit them are caught.
#[test]
fn wrapping_boundaries_and_text_moved_together() {
    // Move "[Original: English]" out of the markers into the NATO letter's content: the recorded
    // roots say where each line belongs, so the move is a change of both parts.
    let d = example_dir();
    edit_sig(d.path(), SIG, |v| {
        v["layers"][1]["markers"]["bytes"] = json!(7);
        v["layers"][1]["content"]["bytes"] = json!(365 + 21);
    });
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Annex\n\n[Original: English]\n", "Annex\n\n", 1)
            .replacen(
                "(Signed) Jens **Stoltenberg**\n",
                "(Signed) Jens **Stoltenberg**\n\n[Original: English]\n",
                1,
            )
    });
    let r = invalid(d.path(), &[]);
    assert_ne!(r["layers"][0]["status"], "valid", "{:?}", codes(&r));
    assert_ne!(r["layers"][1]["status"], "valid", "{:?}", codes(&r));
}

/// A layer record duplicated (overlapping layers): as edited JSON the recorded chain digests no
/// longer agree; rebuilt consistently (rechained), the signatures no longer match what lies
/// beneath them.
#[test]
fn wrapping_duplicated_layer_record() {
    for dup in [1usize, 2] {
        // Raw JSON edit: the chain digests are inconsistent.
        let d = example_dir();
        edit_sig(d.path(), SIG, |v| {
            let l = v["layers"][dup].clone();
            let layers = v["layers"].as_array_mut().unwrap();
            layers.insert(dup + 1, l);
            for (i, l) in layers.iter_mut().enumerate() {
                l["index"] = json!(i);
            }
        });
        invalid(d.path(), &["malformed-signature-file"]);
        // Rebuilt with consistent chain digests.
        let d = example_dir();
        let mut f = load_sig(d.path(), SIG);
        let l = f.layers[dup].clone();
        f.layers.insert(dup + 1, l);
        transmittal::sign::rechain(&mut f.layers);
        save_sig(d.path(), SIG, &f);
        let r = invalid(d.path(), &[]);
        // The signature right above the duplicate was made over another chain beneath.
        let above = dup - 1;
        let c = sig_codes(&r, above, 0);
        assert!(
            c.iter()
                .any(|c| c == "chain-mismatch" || c == "layer-added"),
            "dup {dup}: {c:?} / {:?}",
            codes(&r)
        );
        assert!(
            codes(&r)
                .iter()
                .any(|c| c == "layer-missing" || c == "lines-removed"),
            "dup {dup}: the second copy is nowhere in the text: {:?}",
            codes(&r)
        );
    }
}

/// A layer record dropped from the file (and the file rebuilt consistently): the text of the
/// dropped layer is then unsigned text inside the layer above, and the signature that covered it
/// says a layer it was made over is gone.
#[test]
fn wrapping_layer_record_removed() {
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    f.layers.truncate(2);
    transmittal::sign::rechain(&mut f.layers);
    save_sig(d.path(), SIG, &f);
    let r = invalid(d.path(), &["layer-missing"]);
    assert!(sig_codes(&r, 1, 0).contains(&"layer-missing".to_owned()));
    assert!(
        layer_codes(&r, 1)
            .iter()
            .any(|c| c == "lines-added" || c == "layer-added"),
        "{:?}",
        codes(&r)
    );
    // No record left at all.
    let d = example_dir();
    edit_sig(d.path(), SIG, |v| v["layers"] = json!([]));
    invalid(d.path(), &["malformed-signature-file"]);
}

// ---------------------------------------------------------------------------------------------
// Incremental saving.

#[test]
fn incremental_text_appended_after_the_last_layer() {
    let cases: [(&str, fn(&str) -> String, &str); 4] = [
        (
            "a signature line",
            |s| format!("{s}\n(Signed) Jens Stoltenberg\n"),
            "layer-added",
        ),
        (
            "a new annex",
            |s| format!("{s}\nAnnex\n\nKFOR withdraws.\n"),
            "layer-added",
        ),
        (
            "text on the last line",
            |s| format!("{} x", s.trim_end()),
            "content-changed",
        ),
        (
            "a zero-width space alone",
            |s| format!("{s}\u{200b}\n"),
            "content-changed",
        ),
    ];
    for (name, f, want) in cases {
        let d = example_dir();
        edit_doc(d.path(), DOC, f);
        let r = invalid(d.path(), &[want]);
        assert!(
            layer_codes(&r, 2).contains(&want.to_owned()),
            "{name}: {:?}",
            codes(&r)
        );
        for outer in [0, 1] {
            assert!(
                sig_codes(&r, outer, 0).contains(&"inner-layer-changed".to_owned()),
                "{name}: layer {outer}"
            );
        }
    }
    // Only what the canonical profile declares invisible may be appended: trailing white space
    // (here a no-break space, Unicode White_Space) and blank lines.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| format!("{s}\u{a0}\n\t\n\n"));
    expect(d.path(), DOC, "valid", &[]);
}

#[test]
fn incremental_text_inserted_between_layers_and_into_markers() {
    // Between the cover letter and the "Annex" heading: unsigned text in layer 0.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen(
            "Annex\n",
            "Note: the figures below are provisional.\n\nAnnex\n",
            1,
        )
    });
    let r = invalid(d.path(), &["lines-added"]);
    assert!(layer_codes(&r, 0).contains(&"lines-added".to_owned()));
    assert_ne!(r["layers"][0]["status"], "valid");
    // Inside the container markers (between "Annex" and "[Original: English]"): the markers the
    // UN signed changed; reported on layer 0, whose signer added them.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Annex\n\n[Original", "Annex\n\nCorrigendum\n\n[Original", 1)
    });
    let r = invalid(d.path(), &["markers-changed"]);
    assert!(layer_codes(&r, 0).contains(&"markers-changed".to_owned()));
    assert_ne!(r["layers"][0]["status"], "valid");
    // Into the run-in "Enclosure" heading.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Enclosure**", "Enclosure DRAFT**", 1)
    });
    let r = invalid(d.path(), &[]);
    assert!(
        codes(&r)
            .iter()
            .any(|c| c == "markers-changed" || c == "content-changed"),
        "{:?}",
        codes(&r)
    );
    assert_ne!(r["layers"][1]["status"], "valid");
}

/// The container markers are part of what the outer signer signed (FORMAT.md §5 `markers`): when
/// they change, that signature itself must not be reported `valid`, nor count as covering the
/// layer beneath.
#[test]
fn incremental_marker_change_invalidates_the_outer_signature() {
    for (name, from, to) in [
        ("language", "[Original: English]", "[Original: French]"),
        (
            "inserted line",
            "Annex\n\n[Original",
            "Annex\n\nCorrigendum\n\n[Original",
        ),
    ] {
        let d = example_dir();
        edit_doc(d.path(), DOC, |s| s.replacen(from, to, 1));
        let r = invalid(d.path(), &["markers-changed"]);
        assert_eq!(
            r["layers"][0]["signatures"][0]["status"],
            "invalid",
            "{name}: {:?}",
            codes(&r)
        );
        assert!(
            !r["layers"][1]["covered_by"]
                .as_array()
                .unwrap()
                .contains(&json!(0)),
            "{name}: {}",
            r["layers"][1]["covered_by"]
        );
    }
}

#[test]
fn incremental_text_in_the_header_place() {
    // Anything that is not a short publication header is uncovered text.
    let cases: [(&str, fn(&str) -> String); 3] = [
        ("a (Signed) line", |s| {
            s.replacen("Distr.: General", "(Signed) António Guterres", 1)
        }),
        ("13 lines", |s| {
            let lines: String = (0..13).map(|i| format!("Line {i}\n\n")).collect();
            format!("{lines}{s}")
        }),
        ("a 121-character line", |s| {
            format!("{}\n{s}", "x".repeat(121))
        }),
    ];
    for (name, f) in cases {
        let d = example_dir();
        edit_doc(d.path(), DOC, f);
        let r = invalid(d.path(), &["uncovered-text"]);
        assert_eq!(r["problems"][0]["code"], "uncovered-text", "{name}");
        assert_eq!(r["header"]["accepted"], false, "{name}");
    }
    // A short header is the publisher's and covered by no one: another one verifies, shown as
    // uncovered (a warning), and `--strict` refuses it.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("31 October 2017", "1 November 2019", 1)
    });
    let r = expect(d.path(), DOC, "valid", &[]);
    assert!(warning_codes(&r).contains(&"uncovered-header".to_owned()));
    assert_eq!(r["uncovered_lines"], json!([[3, 8]]));
    bin()
        .current_dir(d.path())
        .args(["verify", DOC, "--strict"])
        .assert()
        .code(1);
}

/// Text put in front of the first signed line, on the same line ("NOT **Letter dated…**"): the
/// layout from the end still fits, and the prefix passes for a short publication header. But a
/// publication header ends at a line break; this one changes a signed line as a reader sees it.
#[test]
fn incremental_text_prefixed_to_the_first_signed_line() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen(
            "**Letter dated 25 October",
            "NOT **Letter dated 25 October",
            1,
        )
    });
    let r = invalid(d.path(), &["uncovered-text"]);
    assert_eq!(r["header"]["accepted"], false);
    // Without a publication header at all.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        format!("FORGED: {}", &s[s.find("**Letter dated").unwrap()..])
    });
    invalid(d.path(), &["uncovered-text"]);
    // NATO's own document: a word in front of its first line.
    let d = example_dir();
    nato_signed(d.path(), "nato.md", &nato_text(&seed_text()));
    edit_doc(d.path(), "nato.md", |s| format!("Never {s}"));
    expect(d.path(), "nato.md", "invalid", &["uncovered-text"]);
}

// ---------------------------------------------------------------------------------------------
// Layer surgery.

#[test]
fn surgery_innermost_layer_stripped() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s[..s.find("Enclosure**").unwrap()].to_owned()
    });
    let r = invalid(d.path(), &["layer-missing"]);
    assert!(layer_codes(&r, 2).contains(&"layer-missing".to_owned()));
    assert_eq!(r["layers"][0]["status"], "invalid");
    assert_eq!(r["layers"][1]["status"], "invalid");
}

#[test]
fn surgery_cover_stripped_but_signature_file_kept() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s[s.find("Annex\n").unwrap()..].to_owned()
    });
    let r = invalid(d.path(), &["layer-missing"]);
    assert!(layer_codes(&r, 0).contains(&"layer-missing".to_owned()));
    assert_eq!(r["layers"][0]["status"], "invalid");
    // What remains is genuine and still says so.
    assert_eq!(r["layers"][1]["status"], "valid", "{:?}", codes(&r));
}

/// A layer cut out by hand, with the outer record dropped from the signature file: it verifies
/// as the 2-layer chain it is, never as the 3-layer one, and the "Annex" heading left in front of
/// it is shown as uncovered text in the header's place.
#[test]
fn surgery_cut_out_by_hand_is_the_shorter_chain() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s[s.find("Annex\n").unwrap()..].to_owned()
    });
    let mut f = load_sig(d.path(), SIG);
    f.layers.remove(0);
    f.layers[0].markers = transmittal::sigfile::PartRecord::of("");
    f.layers[0].kind = transmittal::chain::LayerKind::Cover;
    transmittal::sign::rechain(&mut f.layers);
    save_sig(d.path(), SIG, &f);
    // The shorter chain's signatures hold, but the annex heading left above it is no publication
    // header (FORMAT.md §9.3): unsigned text beside the signed layers is not valid.
    let r = expect(d.path(), DOC, "invalid", &["uncovered-text"]);
    assert_eq!(r["layers"].as_array().unwrap().len(), 2);
    let s = &r["layers"][0]["signatures"][0];
    assert_eq!(s["signer"], "Jens Stoltenberg");
    assert_eq!(s["status"], "valid");
    assert_eq!(r["header"]["lines"], json!([1, 3]));
    assert_eq!(r["header"]["accepted"], false);
}

/// A layer injected between two signed layers, with a record of its own (signed by an attacker):
/// the signature above was made over another chain beneath.
#[test]
fn surgery_signed_layer_injected() {
    let d = example_dir();
    let injected =
        "Appendix\n\nThe figures in the enclosed report are superseded.\n\n(Signed) Mallory\n";
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Enclosure**", &format!("{injected}\nEnclosure**"), 1)
    });
    let mut f = load_sig(d.path(), SIG);
    let mut rec = transmittal::sigfile::LayerRecord {
        kind: transmittal::chain::LayerKind::Appendix,
        markers: transmittal::sigfile::PartRecord::of("Appendix\n\n"),
        content: transmittal::sigfile::PartRecord::of(
            "The figures in the enclosed report are superseded.\n\n(Signed) Mallory\n\n",
        ),
        chain: [0; 32],
        signatures: vec![],
    };
    f.layers.insert(2, rec.clone());
    transmittal::sign::rechain(&mut f.layers);
    let k = attacker_key();
    let st = statement(&f, 2, &k, "mallory", "Mallory", "2017-10-19");
    rec = f.layers[2].clone();
    rec.signatures.push(signed(&k, st));
    f.layers[2] = rec;
    transmittal::sign::rechain(&mut f.layers);
    save_sig(d.path(), SIG, &f);
    let r = invalid(d.path(), &["chain-mismatch"]);
    assert!(
        sig_codes(&r, 1, 0).contains(&"chain-mismatch".to_owned()),
        "{:?}",
        codes(&r)
    );
    assert_eq!(r["layers"][1]["status"], "invalid");
    assert_eq!(r["layers"][0]["status"], "invalid");
    // Injected as text only (no record): extra text that reads as a layer.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Enclosure**", &format!("{injected}\nEnclosure**"), 1)
    });
    invalid(d.path(), &["layer-added"]);
}

#[test]
fn surgery_layer_text_duplicated() {
    // The whole report a second time at the end.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        let i = s.find("Enclosure**").unwrap() + "Enclosure".len();
        format!("{s}\n{}", &s[i..])
    });
    let r = invalid(d.path(), &["layer-added"]);
    assert!(layer_codes(&r, 2).contains(&"layer-added".to_owned()));
    // The NATO letter a second time, before the report.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        let a = s.find("In accordance with paragraph 20").unwrap();
        let b = s.find("Enclosure**").unwrap();
        format!("{}{}{}", &s[..b], &s[a..b], &s[b..])
    });
    let r = invalid(d.path(), &["layer-added"]);
    assert!(layer_codes(&r, 1).contains(&"layer-added".to_owned()));
}

#[test]
fn surgery_layers_reordered() {
    // The cover letter moved after the NATO letter.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        let a = s.find("**Letter dated 25").unwrap();
        let b = s.find("Annex\n").unwrap();
        let c = s.find("Enclosure**").unwrap();
        format!("{}{}{}{}", &s[..a], &s[b..c], &s[a..b], &s[c..])
    });
    let r = invalid(d.path(), &["layers-reordered"]);
    assert_eq!(r["layers"][0]["status"], "invalid");
    assert_eq!(r["layers"][1]["status"], "invalid");
}

/// Two lines of the report swapped: the verdict is invalid, and both lines are named.
#[test]
fn surgery_lines_swapped_within_a_layer_are_both_named() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        let mut lines: Vec<&str> = s.split('\n').collect();
        let i = lines.iter().position(|l| l.starts_with("5. ")).unwrap();
        let j = lines.iter().position(|l| l.starts_with("6. ")).unwrap();
        lines.swap(i, j);
        lines.join("\n")
    });
    let r = invalid(d.path(), &[]);
    let named: Vec<u64> = r["layers"][2]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["lines"].as_array().unwrap().clone())
        .flat_map(|l| l[0].as_u64().unwrap()..=l[1].as_u64().unwrap())
        .collect();
    assert!(
        named.contains(&38) && named.contains(&39),
        "{named:?}: {:?}",
        r["layers"][2]["problems"]
    );
}

/// The example's signed UN cover letter moved onto another NATO document (made with
/// `sign`/`wrap` through the CLI: the same letter heading, another letter and report).
#[test]
fn surgery_signed_cover_moved_onto_another_document() {
    let d = example_dir();
    let dir = d.path();
    let seed = seed_text();
    let other = nato_text(&seed)
        .replace("the quarterly report", "the special report")
        .replace("4,100", "3,900");
    nato_signed(dir, "other.md", &other);
    std::fs::write(dir.join("un-cover.md"), un_cover_text(&seed)).unwrap();
    run_ok(
        dir,
        &[
            "wrap",
            "--inner",
            "other.md",
            "--cover",
            "un-cover.md",
            "--heading",
            "Annex",
            "--original",
            "English",
            "--out",
            "other-un.md",
        ],
    );
    // Graft: the example's header, cover letter and markers over the other NATO document, with
    // the example's layer 0 record (Guterres's genuine signature) over the other's records.
    for heading in ["Annex", "Enclosure"] {
        let mut f = load_sig(dir, "other-un.md.sig.json");
        let mine = load_sig(dir, SIG);
        f.layers[0] = mine.layers[0].clone();
        let markers = format!("{heading}\n\n[Original: English]\n\n");
        f.layers[1].markers = transmittal::sigfile::PartRecord::of(&markers);
        f.layers[1].kind = transmittal::chain::LayerKind::from_markers(1, &markers);
        transmittal::sign::rechain(&mut f.layers);
        let text = format!("{}{markers}{other}", &seed[..seed.find("Annex\n").unwrap()]);
        std::fs::write(dir.join("graft.md"), text).unwrap();
        save_sig(dir, "graft.md.sig.json", &f);
        let r = expect(dir, "graft.md", "invalid", &["chain-mismatch"]);
        assert!(
            sig_codes(&r, 0, 0).contains(&"chain-mismatch".to_owned()),
            "{heading}"
        );
        assert_eq!(r["layers"][0]["status"], "invalid");
        // The other NATO document is itself genuine.
        assert_eq!(
            r["layers"][1]["status"],
            "valid",
            "{heading}: {:?}",
            codes(&r)
        );
        // And without rebuilding the chain digests, the edited file is inconsistent.
        let mut f = load_sig(dir, "other-un.md.sig.json");
        f.layers[0] = mine.layers[0].clone();
        save_sig(dir, "graft.md.sig.json", &f);
        expect(dir, "graft.md", "invalid", &["malformed-signature-file"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Replay and substitution.

/// Stoltenberg's genuine signature over another letter, copied onto the example's annex.
#[test]
fn replay_signature_from_another_document() {
    let d = example_dir();
    let dir = d.path();
    let other = nato_text(&seed_text()).replace("please find enclosed", "please find attached");
    nato_signed(dir, "other.md", &other);
    let foreign = load_sig(dir, "other.md.sig.json").layers[0].signatures[0].clone();
    let mut f = load_sig(dir, SIG);
    f.layers[1].signatures = vec![foreign];
    save_sig(dir, SIG, &f);
    let r = invalid(dir, &["signature-replayed"]);
    assert!(sig_codes(&r, 1, 0).contains(&"signature-replayed".to_owned()));
    assert!(sig_codes(&r, 0, 0).contains(&"inner-signatures-changed".to_owned()));
    // Copied to the cover letter, next to Guterres's own.
    let d = example_dir();
    let dir = d.path();
    nato_signed(dir, "other.md", &other);
    let foreign = load_sig(dir, "other.md.sig.json").layers[0].signatures[0].clone();
    let mut f = load_sig(dir, SIG);
    f.layers[0].signatures.push(foreign);
    save_sig(dir, SIG, &f);
    let r = invalid(dir, &["signature-replayed"]);
    assert!(sig_codes(&r, 0, 1).contains(&"signature-replayed".to_owned()));
}

/// A statement whose profile line differs: the file's `profile` names another profile.
/// Genuinely signed under another profile by the trusted key: still not verified. (A profile
/// string merely edited is in the table of malformed signature files.)
#[test]
fn replay_under_another_profile() {
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    f.profile = "transmittal-text-v2".into();
    let k = demo_key(d.path(), "stoltenberg");
    for layer in &mut f.layers {
        layer.signatures.clear();
    }
    let st = statement(&f, 1, &k, "stoltenberg", "Jens Stoltenberg", "2017-10-18");
    assert!(String::from_utf8(st.to_bytes())
        .unwrap()
        .contains("profile transmittal-text-v2\n"));
    f.layers[1].signatures.push(signed(&k, st));
    save_sig(d.path(), SIG, &f);
    invalid(d.path(), &["profile-mismatch"]);
}

#[test]
fn substitution_key_id_and_signer_of_another_entry() {
    let guterres_key = {
        let v: Value =
            serde_json::from_slice(&std::fs::read(root().join("keys/guterres.pub.json")).unwrap())
                .unwrap();
        v["public_key"].as_str().unwrap().to_owned()
    };
    // key_id pointing at Guterres's entry, public key Stoltenberg's: inconsistent.
    let d = example_dir();
    edit_sig(d.path(), SIG, |v| {
        v["layers"][1]["signatures"][0]["key_id"] = key_id_of(&guterres_key).into()
    });
    invalid(d.path(), &["malformed-signature-file"]);
    // Public key and key id both Guterres's on Stoltenberg's signature: the signature no longer
    // verifies (the key is part of the statement).
    let d = example_dir();
    edit_sig(d.path(), SIG, |v| {
        let s = &mut v["layers"][1]["signatures"][0];
        s["public_key"] = guterres_key.clone().into();
        s["key_id"] = key_id_of(&guterres_key).into();
    });
    invalid(d.path(), &["bad-signature"]);
    // The signer id edited: a signed field.
    let d = example_dir();
    edit_sig(d.path(), SIG, |v| {
        v["layers"][1]["signatures"][0]["signer"] = "guterres".into()
    });
    invalid(d.path(), &["bad-signature"]);
    // Genuinely signed with Stoltenberg's key, claiming Guterres's id: key-mismatch.
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    let k = demo_key(d.path(), "stoltenberg");
    let st = statement(&f, 1, &k, "guterres", "Jens Stoltenberg", "2017-10-18");
    f.layers[1].signatures = vec![signed(&k, st)];
    save_sig(d.path(), SIG, &f);
    let r = invalid(d.path(), &["key-mismatch"]);
    assert!(sig_codes(&r, 1, 0).contains(&"key-mismatch".to_owned()));
    // Genuinely signed with Stoltenberg's key, claiming Guterres's name on the cover letter (as
    // the only signature of layer 0): signer-mismatch.
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    let st = statement(&f, 0, &k, "stoltenberg", "António Guterres", "2017-10-25");
    f.layers[0].signatures = vec![signed(&k, st)];
    save_sig(d.path(), SIG, &f);
    let r = invalid(d.path(), &["signer-mismatch"]);
    assert!(sig_codes(&r, 0, 0).contains(&"signer-mismatch".to_owned()));
    // ... and claiming his own name on the cover letter, which Guterres signed: no "(Signed) Jens
    // Stoltenberg" line there.
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    let st = statement(&f, 0, &k, "stoltenberg", "Jens Stoltenberg", "2017-10-25");
    f.layers[0].signatures = vec![signed(&k, st)];
    save_sig(d.path(), SIG, &f);
    let r = invalid(d.path(), &["signer-mismatch"]);
    assert!(sig_codes(&r, 0, 0).contains(&"signer-mismatch".to_owned()));
}

/// Two trust-store entries with one name (a rotated or second key of Jens Stoltenberg). The trust
/// store is the root of trust: an entry there says "this key speaks for this name", so a signature
/// by the second key is valid, and the report names which entry (id and key id) made it. What the
/// second key cannot do is pass for the first (its id) or slip into a signed chain.
#[test]
fn substitution_two_trust_store_entries_with_one_name() {
    let d = example_dir();
    let dir = d.path();
    run_ok(
        dir,
        &[
            "keygen",
            "--id",
            "stoltenberg2",
            "--name",
            "Jens Stoltenberg",
            "--valid-from",
            "2014-10-01",
            "--unencrypted",
            "--out-dir",
            "keys",
            "--secret-dir",
            "secret",
        ],
    );
    // The genuine chain stays valid.
    let r = expect(dir, DOC, "valid", &[]);
    assert_eq!(r["layers"][1]["signatures"][0]["signer_id"], "stoltenberg");
    // A copy of NATO's document signed with the second key: valid, and the report says which key.
    std::fs::write(dir.join("nato.md"), nato_text(&seed_text())).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "secret/stoltenberg2.key",
            "--date",
            "2017-10-18",
        ],
    );
    let r = expect(dir, "nato.md", "valid", &[]);
    let s = &r["layers"][0]["signatures"][0];
    assert_eq!(s["signer"], "Jens Stoltenberg");
    assert_eq!(s["signer_id"], "stoltenberg2");
    let first_id = key_id_of(
        serde_json::from_slice::<Value>(
            &std::fs::read(dir.join("keys/stoltenberg.pub.json")).unwrap(),
        )
        .unwrap()["public_key"]
            .as_str()
            .unwrap(),
    );
    assert_ne!(s["key_id"], first_id.as_str());
    // Its signature added to the example's annex: the UN did not see it.
    let second = load_sig(dir, "nato.md.sig.json").layers[0].signatures[0].clone();
    let mut f = load_sig(dir, SIG);
    f.layers[1].signatures.push(second);
    save_sig(dir, SIG, &f);
    let r = invalid(dir, &["inner-signatures-changed"]);
    assert_eq!(r["layers"][1]["signatures"].as_array().unwrap().len(), 2);
    // The second key claiming the first entry's id.
    let k2 = {
        let v: Value =
            serde_json::from_slice(&std::fs::read(dir.join("secret/stoltenberg2.key")).unwrap())
                .unwrap();
        let mut seed = [0u8; 32];
        hex::decode_to_slice(v["secret_key"].as_str().unwrap(), &mut seed).unwrap();
        SecretKey::from_seed(&seed, None, None)
    };
    let mut f = proposed(&nato_text(&seed_text()));
    let st = statement(&f, 0, &k2, "stoltenberg", "Jens Stoltenberg", "2017-10-18");
    f.layers[0].signatures.push(signed(&k2, st));
    save_sig(dir, "nato.md.sig.json", &f);
    expect(dir, "nato.md", "invalid", &["key-mismatch"]);
}

// ---------------------------------------------------------------------------------------------
// Text confusion.

#[test]
fn confusion_nfd_and_nfc_names_are_one() {
    // The document in NFD throughout: the canonical text is NFC, the signatures hold.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replace('ó', "o\u{301}").replace('é', "e\u{301}")
    });
    expect(d.path(), DOC, "valid", &[]);
    // The trust store's name in NFD: names compare after NFC.
    let d = example_dir();
    edit_sig(d.path(), "keys/guterres.pub.json", |v| {
        v["name"] = "Anto\u{301}nio Guterres".into()
    });
    let r = expect(d.path(), DOC, "valid", &[]);
    assert_eq!(r["layers"][0]["signatures"][0]["status"], "valid");
    // Signed in NFD, verified in NFC (and the other way round).
    use unicode_normalization::UnicodeNormalization;
    let cover = un_cover_text(&seed_text());
    assert!(cover.contains('ó'));
    for (signed_form, verified_form) in [
        (
            cover.nfd().collect::<String>(),
            cover.nfc().collect::<String>(),
        ),
        (
            cover.nfc().collect::<String>(),
            cover.nfd().collect::<String>(),
        ),
    ] {
        let d = example_dir();
        std::fs::write(d.path().join("un.md"), &signed_form).unwrap();
        run_ok(
            d.path(),
            &[
                "sign",
                "un.md",
                "--key",
                "demo-keys/guterres.key",
                "--date",
                "2017-10-25",
            ],
        );
        std::fs::write(d.path().join("un.md"), &verified_form).unwrap();
        let r = expect(d.path(), "un.md", "valid", &[]);
        assert_eq!(
            r["layers"][0]["signatures"][0]["signer"],
            "António Guterres"
        );
    }
}

/// A Cyrillic "е" (U+0435) in the signatory's name on the "(Signed)" line: `sign` refuses, and a
/// signature made anyway (in-process, with the real key) is a signer-mismatch.
#[test]
fn confusion_cyrillic_homoglyph_in_the_signed_line() {
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text()).replace(
        "(Signed) Jens **Stoltenberg**",
        "(Signed) Jens **Stoltеnberg**",
    );
    std::fs::write(dir.join("nato.md"), &text).unwrap();
    let before = snapshot(dir);
    bin()
        .current_dir(dir)
        .args([
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ])
        .assert()
        .code(1);
    assert_eq!(snapshot(dir), before);
    let mut f = proposed(&text);
    let k = demo_key(dir, "stoltenberg");
    let st = statement(&f, 0, &k, "stoltenberg", "Jens Stoltenberg", "2017-10-18");
    f.layers[0].signatures.push(signed(&k, st));
    save_sig(dir, "nato.md.sig.json", &f);
    let r = expect(dir, "nato.md", "invalid", &["signer-mismatch"]);
    assert_eq!(sig_codes(&r, 0, 0), ["signer-mismatch"]);
    // The homoglyph put into the example after signing: changed text and a broken identity.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Jens **Stoltenberg**", "Jens **Stoltеnberg**", 1)
    });
    let r = invalid(d.path(), &["content-changed", "signer-mismatch"]);
    assert!(sig_codes(&r, 1, 0).contains(&"signer-mismatch".to_owned()));
}

/// "Trojan Source": a right-to-left override put into a figure after signing (the text displays
/// like the signed text). Changed text, and the warning names the code point and line.
#[test]
fn confusion_bidi_and_zero_width_characters_added_after_signing() {
    for (ch, name) in [
        ('\u{202e}', "U+202E"),
        ('\u{2066}', "U+2066"),
        ('\u{200d}', "U+200D"),
        ('\u{feff}', "U+FEFF"),
    ] {
        let d = example_dir();
        edit_doc(d.path(), DOC, |s| {
            s.replacen("4,100", &format!("4,{ch}100"), 1)
        });
        let r = invalid(d.path(), &["content-changed"]);
        let w = r["warnings"].as_array().unwrap();
        let inv = w
            .iter()
            .find(|w| w["code"] == "invisible-characters")
            .expect("warning");
        assert!(inv["message"].as_str().unwrap().contains(name), "{inv}");
        assert_eq!(inv["lines"], json!([[32, 32]]));
    }
    // In the signatory's name: the identity no longer matches either.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Jens **Stoltenberg**", "Jens\u{200b} **Stoltenberg**", 1)
    });
    let r = invalid(d.path(), &["content-changed", "signer-mismatch"]);
    assert!(warning_codes(&r).contains(&"invisible-characters".to_owned()));
}

/// Signed on purpose with `--allow-invisible`: the signature holds, the warning stays, and
/// `--strict` turns it into `invalid`.
#[test]
fn confusion_invisible_characters_signed_on_purpose() {
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text())
        .replacen("please", "ple\u{202e}ase", 1)
        .replacen("4,100", "4,\u{200b}100", 1);
    std::fs::write(dir.join("nato.md"), &text).unwrap();
    let before = snapshot(dir);
    bin()
        .current_dir(dir)
        .args([
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ])
        .assert()
        .code(1);
    assert_eq!(snapshot(dir), before);
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "--allow-invisible",
        ],
    );
    let r = expect(dir, "nato.md", "valid", &[]);
    assert_eq!(warning_codes(&r), ["invisible-characters"]);
    let msg = r["warnings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("U+202E") && msg.contains("U+200B"), "{msg}");
    bin()
        .current_dir(dir)
        .args(["verify", "nato.md", "--strict"])
        .assert()
        .code(1);
}

/// A "(Signed)" line inside a quotation binds no identity: `sign` finds no signature line, and a
/// signature made anyway is a signer-mismatch.
#[test]
fn confusion_quoted_signed_line_binds_no_identity() {
    let quotes = [
        "> (Signed) Jens Stoltenberg",
        "  > (Signed) Jens **Stoltenberg**",
        "He closed with the words \"(Signed) Jens Stoltenberg\".",
        "He closed with the words “(Signed) Jens Stoltenberg”.",
    ];
    for q in quotes {
        let d = example_dir();
        let dir = d.path();
        let text = nato_text(&seed_text()).replace("(Signed) Jens **Stoltenberg**", q);
        std::fs::write(dir.join("nato.md"), &text).unwrap();
        let before = snapshot(dir);
        bin()
            .current_dir(dir)
            .args([
                "sign",
                "nato.md",
                "--key",
                "demo-keys/stoltenberg.key",
                "--date",
                "2017-10-18",
                "--layer",
                "0",
            ])
            .assert()
            .code(1);
        assert_eq!(snapshot(dir), before, "{q}");
        let mut f = proposed(&text);
        let k = demo_key(dir, "stoltenberg");
        let st = statement(&f, 0, &k, "stoltenberg", "Jens Stoltenberg", "2017-10-18");
        f.layers[0].signatures.push(signed(&k, st));
        save_sig(dir, "nato.md.sig.json", &f);
        let r = expect(dir, "nato.md", "invalid", &["signer-mismatch"]);
        assert_eq!(sig_codes(&r, 0, 0), ["signer-mismatch"], "{q}");
    }
}

// ---------------------------------------------------------------------------------------------
// Downgrade.

/// A trust-store entry or secret key of another format version is refused (exit 2).
#[test]
fn downgrade_trust_store_entry_of_another_format() {
    let d = example_dir();
    edit_sig(d.path(), "keys/stoltenberg.pub.json", |v| {
        v["format"] = "transmittal-key-v0".into()
    });
    bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------------------------------------
// The table of malformed, wrapped and downgraded signature files: one edit of the example's
// signature file, the exit code and the problem codes.

/// An edit of the example's signature file.
enum Tweak {
    /// As JSON.
    Json(Box<dyn Fn(&mut Value)>),
    /// As text (an `Err` says the edit did not apply).
    Text(Box<dyn Fn(&str) -> Result<String, String>>),
}

/// The problem codes a case must report.
#[derive(Debug)]
enum Codes {
    /// These and no others.
    Exactly(&'static [&'static str]),
    /// These among others.
    Include(&'static [&'static str]),
}

struct Case {
    name: String,
    tweak: Tweak,
    expect_exit: i32,
    expect_codes: Codes,
}

fn json_case(name: impl Into<String>, codes: Codes, f: impl Fn(&mut Value) + 'static) -> Case {
    Case {
        name: name.into(),
        tweak: Tweak::Json(Box::new(f)),
        expect_exit: 1,
        expect_codes: codes,
    }
}

/// Run every case on a fresh copy of the example; fail once, naming every failing case.
fn run_cases(cases: Vec<Case>) {
    let n = cases.len();
    let mut failures = Vec::new();
    for c in cases {
        let d = example_dir();
        match &c.tweak {
            Tweak::Json(f) => edit_sig(d.path(), SIG, f),
            Tweak::Text(f) => {
                let p = d.path().join(SIG);
                let s = std::fs::read_to_string(&p).unwrap();
                match f(&s) {
                    Ok(t) if t != s => std::fs::write(&p, t).unwrap(),
                    Ok(_) => {
                        failures.push(format!("{}: the edit changes nothing", c.name));
                        continue;
                    }
                    Err(e) => {
                        failures.push(format!("{}: {e}", c.name));
                        continue;
                    }
                }
            }
        }
        let (code, r) = verify_json(d.path(), DOC);
        let all = codes(&r);
        let verdict = match c.expect_exit {
            0 => "valid",
            1 => "invalid",
            _ => "indeterminate",
        };
        let mut why = Vec::new();
        if code != c.expect_exit {
            why.push(format!("exit {code}, expected {}", c.expect_exit));
        }
        if r["verdict"] != verdict {
            why.push(format!("verdict {}, expected {verdict}", r["verdict"]));
        }
        let ok = match c.expect_codes {
            Codes::Exactly(want) => all == want,
            Codes::Include(want) => want.iter().all(|w| all.iter().any(|c| c == w)),
        };
        if !ok {
            why.push(format!("codes {all:?}, expected {:?}", c.expect_codes));
        }
        if !why.is_empty() {
            failures.push(format!("{}: {}", c.name, why.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const MALFORMED: &[&str] = &["malformed-signature-file"];

/// Every way a signature file can be malformed, wrapped or downgraded without a new signature.
#[test]
fn malformed_wrapped_and_downgraded_signature_files() {
    use Codes::{Exactly, Include};
    let mut cases = Vec::new();

    // Universal forgery: the signature field empty, short, long, not hex or of the wrong type.
    for (name, val) in [
        ("empty", json!("")),
        ("32 bytes", json!("ab".repeat(32))),
        ("63 bytes", json!("ab".repeat(63))),
        ("65 bytes", json!("ab".repeat(65))),
        ("odd length", json!("a".repeat(127))),
        ("not hex", json!("zz".repeat(64))),
        ("upper-case hex", json!("AB".repeat(64))),
        ("null", Value::Null),
        ("number", json!(0)),
        ("array", json!(vec![0u8; 64])),
    ] {
        cases.push(json_case(
            format!("signature field: {name}"),
            Exactly(MALFORMED),
            move |v| v["layers"][1]["signatures"][0]["signature"] = val.clone(),
        ));
    }

    // Wrapping: `bytes` of parts moved so that the parts point at other lines than those signed
    // (the totals unchanged, so the layout from the end still "fits"). The document is
    // authentic, but the file carries boundaries that disagree with it: such a field makes the
    // file invalid.
    let shifted: [(&str, fn(&mut Value)); 5] = [
        ("layer 2 content shifted into its markers", |v| {
            v["layers"][2]["content"]["bytes"] = json!(2136 - 10);
            v["layers"][2]["markers"]["bytes"] = json!(9 + 10);
        }),
        ("layer 1 grows into layer 0", |v| {
            v["layers"][1]["content"]["bytes"] = json!(365 + 20);
            v["layers"][0]["content"]["bytes"] = json!(631 - 20);
        }),
        ("layer 0 swallows the header", |v| {
            v["layers"][0]["content"]["bytes"] = json!(631 + 80);
        }),
        ("span past the end of the file", |v| {
            v["layers"][2]["content"]["bytes"] = json!(2136 + 100_000);
        }),
        ("u64::MAX", |v| {
            v["layers"][2]["content"]["bytes"] = json!(u64::MAX);
        }),
    ];
    for (name, f) in shifted {
        cases.push(json_case(
            format!("boundaries: {name}"),
            Include(MALFORMED),
            f,
        ));
    }
    // Tail bytes disagreeing with the text.
    for (layer, part, tail) in [
        (2usize, "content", 5u64),
        (2, "markers", 0),
        (1, "markers", 3),
    ] {
        cases.push(json_case(
            format!("layer {layer} {part} tail_bytes {tail}"),
            Include(MALFORMED),
            move |v| v["layers"][layer][part]["tail_bytes"] = json!(tail),
        ));
    }
    // Negative, huge and non-integer numbers, written as such in the file's text.
    let big = format!("1{}", "0".repeat(399));
    for (name, num) in [
        ("negative", "-1".to_owned()),
        ("2^64", "18446744073709551616".into()),
        ("400 digits", big),
        ("float", "2136.0".into()),
        ("exponent", "2.136e3".into()),
        ("string", "\"2136\"".into()),
        ("null", "null".into()),
    ] {
        for field in ["bytes", "tail_bytes"] {
            let num = num.clone();
            cases.push(Case {
                name: format!("{field} {name}"),
                tweak: Tweak::Text(Box::new(move |s| {
                    let from = format!("\"{field}\": {}", if field == "bytes" { 2136 } else { 0 });
                    if !s.contains(&from) {
                        return Err(format!("no {from} in the signature file"));
                    }
                    Ok(s.replacen(&from, &format!("\"{field}\": {num}"), 1))
                })),
                expect_exit: 1,
                expect_codes: Exactly(MALFORMED),
            });
        }
    }
    // The index, too.
    cases.push(json_case("index -1", Include(MALFORMED), |v| {
        v["layers"][1]["index"] = json!(-1)
    }));
    cases.push(json_case("index u64::MAX", Include(MALFORMED), |v| {
        v["layers"][1]["index"] = json!(u64::MAX)
    }));

    // Downgrade: an older, newer or unknown format string, or none.
    for (name, val) in [
        ("v0", Some(json!("transmittal-signatures-v0"))),
        ("v2", Some(json!("transmittal-signatures-v2"))),
        ("v1.1", Some(json!("transmittal-signatures-v1.1"))),
        ("upper case", Some(json!("TRANSMITTAL-SIGNATURES-V1"))),
        ("trailing space", Some(json!("transmittal-signatures-v1 "))),
        ("empty", Some(json!(""))),
        ("number", Some(json!(1))),
        ("null", Some(Value::Null)),
        ("missing", None),
    ] {
        cases.push(json_case(
            format!("format {name}"),
            Exactly(MALFORMED),
            move |v| match &val {
                Some(x) => v["format"] = x.clone(),
                None => {
                    v.as_object_mut().unwrap().remove("format");
                }
            },
        ));
    }
    // The profile missing or of the wrong type: malformed.
    for (name, val) in [
        ("missing", None),
        ("null", Some(Value::Null)),
        ("number", Some(json!(1))),
    ] {
        cases.push(json_case(
            format!("profile {name}"),
            Include(MALFORMED),
            move |v| match &val {
                Some(x) => v["profile"] = x.clone(),
                None => {
                    v.as_object_mut().unwrap().remove("profile");
                }
            },
        ));
    }
    // Replay under another profile string: a mismatch, and only that.
    for profile in [
        "transmittal-text-v2",
        "transmittal-text-v0",
        "",
        "TRANSMITTAL-TEXT-V1",
        "transmittal-text-v1 ",
    ] {
        cases.push(json_case(
            format!("profile {profile:?}"),
            Exactly(&["profile-mismatch"]),
            move |v| v["profile"] = profile.into(),
        ));
    }
    run_cases(cases);
}
