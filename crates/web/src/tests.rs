//! Native tests of the JSON the page gets (the byte-for-byte comparison with the command line is
//! `tests/web/equality.mjs`, run by `scripts/test-web.sh`).

use super::*;

const DOC: &[u8] = include_bytes!("../../../examples/kfor-2017-q3.md");
const SIG: &[u8] = include_bytes!("../../../examples/kfor-2017-q3.md.sig.json");
const GUTERRES: &[u8] = include_bytes!("../../../keys/guterres.pub.json");
const STOLTENBERG: &[u8] = include_bytes!("../../../keys/stoltenberg.pub.json");

fn run(doc: &[u8], entries: &[(&str, &[u8])]) -> serde_json::Value {
    let out = verify_json(&Inputs {
        doc_name: "kfor-2017-q3.md",
        doc,
        sig_name: "kfor-2017-q3.md.sig.json",
        sig: SIG,
        store_dir: PAGE_STORE_DIR,
        entries,
        today: "2026-01-01",
        strict: false,
    });
    assert!(out.ends_with('\n'));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_example_is_valid_against_its_keys_in_any_order() {
    let v = run(
        DOC,
        &[
            ("stoltenberg.pub.json", STOLTENBERG),
            ("guterres.pub.json", GUTERRES),
        ],
    );
    assert_eq!(v["schema"], "transmittal-report-v1");
    assert_eq!(v["verdict"], "valid");
    assert_eq!(v["trust_store"], "keys (--keys)");
    assert_eq!(v["verified_on"], "2026-01-01");
}

#[test]
fn a_changed_figure_is_invalid() {
    let doc = String::from_utf8(DOC.to_vec()).unwrap();
    let changed = doc.replacen("approximately 4,100", "approximately 4,700", 1);
    assert_ne!(changed, doc);
    let v = run(
        changed.as_bytes(),
        &[
            ("guterres.pub.json", GUTERRES),
            ("stoltenberg.pub.json", STOLTENBERG),
        ],
    );
    assert_eq!(v["verdict"], "invalid");
}

#[test]
fn no_entries_is_the_command_lines_refusal() {
    let v = run(DOC, &[]);
    assert_eq!(v["schema"], "transmittal-error-v1");
    assert_eq!(v["error"]["code"], "trust-store-unusable");
}

#[test]
fn a_binary_document_gets_the_advice() {
    let v = run(b"%PDF-1.7\n\xff", &[("guterres.pub.json", GUTERRES)]);
    assert_eq!(v["error"]["code"], "error");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("kfor-2017-q3.md is a PDF file"));
}

#[test]
fn entries_are_split_by_their_lengths() {
    let names = vec!["a".to_string(), "b".to_string()];
    let got = split_entries(&names, b"xyz", &[1, 2]).unwrap();
    assert_eq!(got, vec![("a", &b"x"[..]), ("b", &b"yz"[..])]);
    assert!(split_entries(&names, b"xyz", &[1, 1]).is_none());
    assert!(split_entries(&names, b"xyz", &[1]).is_none());
    assert!(split_entries(&names, b"xyz", &[1, 3]).is_none());
}
