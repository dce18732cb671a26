//! The JSON contract: every document `--json` writes names its schema (`"schema"`), matches the
//! JSON Schema of that name in `docs/schemas/`, lists its codes root cause first, and errors are
//! JSON too.

use crate::common::{bin, example_dir, root};
use serde_json::Value;
use std::path::Path;

/// Run the binary in `dir`: (exit code, stdout).
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let o = bin().current_dir(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
    )
}

/// Validate `doc` against the schema it names, which must be `id`.
fn check(doc: &Value, id: &str) {
    assert_eq!(doc["schema"], id, "{doc}");
    let path = root().join(format!("docs/schemas/{id}.schema.json"));
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{id}: {errors:?}\n{doc}");
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The example with an edited figure in the enclosure (layer 2).
fn tamper_figure(dir: &Path) {
    let p = dir.join("kfor-2017-q3.md");
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains("4,100"));
    std::fs::write(&p, t.replace("4,100", "4,600")).unwrap();
}

/// The example with one hex digit of layer 1's (NATO) signature flipped.
fn damage_nato_signature(dir: &Path) {
    let p = dir.join("kfor-2017-q3.md.sig.json");
    let mut f: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let s = f["layers"][1]["signatures"][0]["signature"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = if s.starts_with('0') { "1" } else { "0" };
    f["layers"][1]["signatures"][0]["signature"] = Value::from(format!("{flipped}{}", &s[1..]));
    std::fs::write(&p, serde_json::to_vec_pretty(&f).unwrap()).unwrap();
}

#[test]
fn every_document_matches_its_schema() {
    let d = example_dir();
    let dir = d.path();
    let doc = "kfor-2017-q3.md";
    std::fs::copy(dir.join(doc), dir.join("copy.md")).unwrap();
    std::fs::write(dir.join("unsigned.md"), "# A note\n\nNobody signed this.\n").unwrap();
    std::fs::write(dir.join("latin1.md"), b"caf\xe9\n").unwrap();
    for (args, id) in [
        (
            vec!["verify", doc, "--keys", "keys", "--json"],
            "transmittal-report-v1",
        ),
        (
            vec!["show", doc, "--keys", "keys", "--json"],
            "transmittal-show-v1",
        ),
        (vec!["inspect", doc, "--json"], "transmittal-inspect-v1"),
        (
            vec!["inspect", "unsigned.md", "--json"],
            "transmittal-inspect-v1",
        ),
        (vec!["hash", doc, "--json"], "transmittal-hash-v1"),
        (
            vec!["diff", doc, "copy.md", "--json"],
            "transmittal-diff-v1",
        ),
        (
            vec!["keys", "list", "--keys", "keys", "--json"],
            "transmittal-keys-v2",
        ),
        (
            vec!["verify", "unsigned.md", "--json"],
            "transmittal-error-v1",
        ),
        (vec!["verify", "nope.md", "--json"], "transmittal-error-v1"),
        (vec!["show", "latin1.md", "--json"], "transmittal-error-v1"),
        (vec!["hash", ".", "--json"], "transmittal-error-v1"),
        (
            vec!["verify", doc, "--json", "--no-such-flag"],
            "transmittal-error-v1",
        ),
    ] {
        let (code, out) = run(dir, &args);
        let v = json(&out);
        check(&v, id);
        if id == "transmittal-error-v1" {
            assert_eq!(code, 2, "{args:?}: {out}");
        }
    }
    let codes = |args: &[&str]| json(&run(dir, args).1)["error"]["code"].clone();
    assert_eq!(codes(&["verify", "nope.md", "--json"]), "input-not-found");
    assert_eq!(codes(&["hash", "latin1.md", "--json"]), "input-not-utf8");
    assert_eq!(
        codes(&["show", "latin1.md", "--json"]),
        "signature-file-not-found"
    );
    std::fs::write(dir.join("latin1.md.sig.json"), "{}").unwrap();
    assert_eq!(codes(&["show", "latin1.md", "--json"]), "input-not-utf8");
    std::fs::remove_file(dir.join("latin1.md.sig.json")).unwrap();
    assert_eq!(codes(&["hash", ".", "--json"]), "input-not-regular-file");
    assert_eq!(codes(&["diff", "a.md", "--json"]), "usage");
    // Tampered copies, and an audit over the tree: every line.
    tamper_figure(dir);
    let (code, out) = run(dir, &["diff", "copy.md", doc, "--json"]);
    assert_ne!(code, 2, "{out}");
    check(&json(&out), "transmittal-diff-v1");
    for args in [
        vec!["verify", doc, "--keys", "keys", "--json"],
        vec!["show", doc, "--keys", "keys", "--json"],
    ] {
        let (code, out) = run(dir, &args);
        assert_eq!(code, 1, "{out}");
        let id = if args[0] == "verify" {
            "transmittal-report-v1"
        } else {
            "transmittal-show-v1"
        };
        check(&json(&out), id);
    }
    damage_nato_signature(dir);
    let (code, out) = run(dir, &["audit", ".", "--keys", "keys", "--json"]);
    assert_eq!(code, 1, "the tampered example is invalid: {out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 4, "{out}");
    let (last, records) = lines.split_last().unwrap();
    for l in records {
        check(&json(l), "transmittal-audit-record-v1");
    }
    check(&json(last), "transmittal-audit-summary-v1");
    let unsigned = records
        .iter()
        .map(|l| json(l))
        .find(|r| r["path"] == "./unsigned.md")
        .unwrap();
    assert_eq!(
        unsigned["reason"],
        "no signature file ./unsigned.md.sig.json"
    );
}

#[test]
fn a_schema_for_every_identifier_and_each_closed() {
    for id in transmittal::schema::ALL {
        let path = root().join(format!("docs/schemas/{id}.schema.json"));
        let s: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        // Every document is an object that names its schema (no bare arrays).
        assert_eq!(s["type"], "object", "{id}");
        assert_eq!(s["additionalProperties"], false, "{id}");
        assert_eq!(s["properties"]["schema"]["const"], *id);
    }
}

#[test]
fn an_edited_figure_in_the_enclosure_is_content_changed_on_layer_2() {
    let d = example_dir();
    tamper_figure(d.path());
    let (code, out) = run(
        d.path(),
        &["verify", "kfor-2017-q3.md", "--keys", "keys", "--json"],
    );
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["codes"][0], "content-changed", "{}", r["codes"]);
    assert_eq!(r["layers"][2]["problems"][0]["code"], "content-changed");
    let codes: Vec<&str> = r["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let cause = codes.iter().position(|c| *c == "content-changed").unwrap();
    let consequence = codes
        .iter()
        .position(|c| *c == "inner-layer-changed")
        .unwrap();
    assert!(cause < consequence, "{codes:?}");
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), codes.len(), "{codes:?}");
    let (_, human) = run(d.path(), &["audit", ".", "--keys", "keys"]);
    assert!(
        human.contains("kfor-2017-q3.md: invalid: content-changed: layer 2"),
        "{human}"
    );
}

#[test]
fn a_damaged_nato_signature_is_bad_signature_on_layer_1() {
    let d = example_dir();
    damage_nato_signature(d.path());
    let (code, out) = run(
        d.path(),
        &["verify", "kfor-2017-q3.md", "--keys", "keys", "--json"],
    );
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["codes"][0], "bad-signature", "{}", r["codes"]);
    assert_eq!(r["layers"][1]["signatures"][0]["codes"][0], "bad-signature");
    let (_, human) = run(d.path(), &["audit", ".", "--keys", "keys"]);
    assert!(
        human.contains("kfor-2017-q3.md: invalid: bad-signature: layer 1"),
        "{human}"
    );
}

#[test]
fn audits_are_byte_identical_across_runs_and_jobs() {
    let d = example_dir();
    tamper_figure(d.path());
    std::fs::write(d.path().join("unsigned.md"), "# A note\n").unwrap();
    let a = run(
        d.path(),
        &["audit", ".", "--keys", "keys", "--json", "--jobs", "1"],
    );
    let b = run(
        d.path(),
        &["audit", ".", "--keys", "keys", "--json", "--jobs", "2"],
    );
    assert_eq!(a, b);
    assert!(!a.1.contains("seconds"), "{}", a.1);
    let h1 = run(d.path(), &["audit", ".", "--keys", "keys", "--jobs", "1"]);
    let h2 = run(d.path(), &["audit", ".", "--keys", "keys", "--jobs", "2"]);
    assert_eq!(h1, h2);
}
