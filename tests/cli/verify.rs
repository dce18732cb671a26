//! CLI tests: `verify`, and the tamper suite on the signed example.

use crate::common::*;
use predicates::prelude::*;
use std::path::Path;

const DOC: &str = "kfor-2017-q3.md";
const SIG: &str = "kfor-2017-q3.md.sig.json";

fn edit(dir: &Path, name: &str, f: impl FnOnce(String) -> String) {
    let p = dir.join(name);
    let s = std::fs::read_to_string(&p).unwrap();
    let t = f(s.clone());
    assert_ne!(s, t, "the edit must change {name}");
    std::fs::write(&p, t).unwrap();
}

fn edit_json(dir: &Path, name: &str, f: impl FnOnce(&mut serde_json::Value)) {
    let p = dir.join(name);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

fn layer_codes(report: &serde_json::Value, i: usize) -> Vec<String> {
    let l = &report["layers"][i];
    let mut out: Vec<String> = l["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect();
    for s in l["signatures"].as_array().unwrap() {
        for c in s["codes"].as_array().unwrap() {
            out.push(c.as_str().unwrap().to_owned());
        }
    }
    out
}

fn problem_lines(report: &serde_json::Value, i: usize, code: &str) -> Vec<[u64; 2]> {
    report["layers"][i]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == code)
        .flat_map(|p| p["lines"].as_array().unwrap().clone())
        .map(|r| [r[0].as_u64().unwrap(), r[1].as_u64().unwrap()])
        .collect()
}

#[test]
fn example_verifies_valid_with_exit_0() {
    let d = example_dir();
    bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "valid: kfor-2017-q3.md (3 layers, 2 signatures)",
        ))
        .stdout(predicate::str::contains("António Guterres"))
        .stdout(predicate::str::contains("Jens Stoltenberg"));
}

#[test]
fn example_json_report() {
    let d = example_dir();
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 0);
    assert_eq!(r["verdict"], "valid");
    assert_eq!(r["document"], DOC);
    assert_eq!(r["document_sha256"].as_str().unwrap().len(), 64);
    let layers = r["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    let kinds: Vec<&str> = layers.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["cover", "annex", "enclosure"]);
    assert_eq!(layers[0]["status"], "valid");
    assert_eq!(layers[1]["status"], "valid");
    assert_eq!(layers[2]["status"], "unsigned");
    assert_eq!(layers[0]["signatures"][0]["signer"], "António Guterres");
    assert_eq!(layers[0]["signatures"][0]["commitment"], "transmits");
    assert_eq!(layers[1]["signatures"][0]["signer"], "Jens Stoltenberg");
    assert_eq!(layers[1]["signatures"][0]["commitment"], "endorses");
    assert_eq!(layers[1]["signatures"][0]["letter_date"], "2017-10-18");
    assert_eq!(layers[2]["covered_by"], serde_json::json!([0, 1]));
    // The publication header is uncovered, shown as such, and only a warning.
    assert_eq!(r["uncovered_lines"], serde_json::json!([[3, 8]]));
    assert!(r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "uncovered-header"));
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));
}

#[test]
fn strict_turns_the_header_warning_into_invalid() {
    let d = example_dir();
    bin()
        .current_dir(d.path())
        .args(["verify", DOC, "--strict"])
        .assert()
        .code(1);
}

/// One visible character changed in each layer: that layer is `content-changed` at the exact line,
/// and every outer layer is invalid because of it.
#[test]
fn one_character_changed_in_each_layer() {
    let cases = [
        (0usize, "I have the honour", "I have the hanour", 13u64),
        (1, "please find enclosed", "please find enclosad", 25),
        (2, "approximately 4,100", "approximately 4,600", 32),
    ];
    for (layer, from, to, line) in cases {
        let d = example_dir();
        edit(d.path(), DOC, |s| s.replacen(from, to, 1));
        let (code, r) = verify_json(d.path(), DOC);
        assert_eq!(code, 1, "layer {layer}");
        assert_eq!(r["verdict"], "invalid");
        assert_eq!(r["layers"][layer]["status"], "invalid", "layer {layer}");
        assert!(
            layer_codes(&r, layer).contains(&"content-changed".to_owned()),
            "layer {layer}: {:?}",
            layer_codes(&r, layer)
        );
        assert_eq!(
            problem_lines(&r, layer, "content-changed"),
            vec![[line, line]],
            "layer {layer}"
        );
        for outer in 0..layer {
            assert_eq!(
                r["layers"][outer]["status"], "invalid",
                "outer {outer} of {layer}"
            );
            assert!(layer_codes(&r, outer).contains(&"inner-layer-changed".to_owned()));
        }
        for inner in layer + 1..3 {
            assert_ne!(
                r["layers"][inner]["status"], "invalid",
                "inner {inner} of {layer}"
            );
        }
        // The human report shows the changed line.
        bin()
            .current_dir(d.path())
            .args(["verify", DOC, "--color", "never"])
            .assert()
            .code(1)
            .stdout(predicate::str::starts_with("invalid:"))
            .stdout(predicate::str::contains(to));
    }
}

#[test]
fn changes_the_profile_allows_stay_valid() {
    let variants: [(&str, fn(String) -> String); 4] = [
        ("crlf", |s| s.replace('\n', "\r\n")),
        ("trailing spaces", |s| s.replace('\n', "  \t\n")),
        ("nfd", |s| s.replace('ó', "o\u{301}")),
        ("blank lines and bom", |s| {
            format!("\u{feff}\n\n{}\n\n\n", s.replace("\n\n", "\n\n\n"))
        }),
    ];
    for (name, f) in variants {
        let d = example_dir();
        edit(d.path(), DOC, f);
        let (code, r) = verify_json(d.path(), DOC);
        assert_eq!(code, 0, "{name}: {:?}", codes(&r));
        assert_eq!(r["verdict"], "valid", "{name}");
    }
}

#[test]
fn appended_paragraph_is_invalid_and_uncovered() {
    let d = example_dir();
    edit(d.path(), DOC, |s| {
        format!("{s}\n\n8. KFOR will withdraw next week.\n")
    });
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert!(
        layer_codes(&r, 2).contains(&"lines-added".to_owned()),
        "{:?}",
        codes(&r)
    );
    // No signature is valid any more, so no line is covered; the added line is among them.
    let unc = r["uncovered_lines"].as_array().unwrap();
    assert!(
        unc.iter()
            .any(|x| x[0].as_u64().unwrap() <= 46 && x[1].as_u64().unwrap() >= 46),
        "{unc:?}"
    );
}

fn set_entry(dir: &Path, id: &str, f: impl FnOnce(&mut serde_json::Value)) {
    edit_json(dir, &format!("keys/{id}.pub.json"), f);
}

// ---------------------------------------------------------------------------------------------
// The tamper table: one change to a fresh copy of the example, the exit code and the facts the
// report must show.

/// What a tamper case changes in a fresh copy of the example.
#[derive(Clone, Copy)]
enum Tweak {
    /// The document's text (the edit must change it).
    Doc(fn(String) -> String),
    /// The signature file, as JSON.
    Sig(fn(&mut serde_json::Value)),
    /// The signature file replaced by these bytes.
    SigBytes(&'static [u8]),
    /// A trust-store entry (`keys/ID.pub.json`), as JSON.
    Entry(&'static str, fn(&mut serde_json::Value)),
}

/// A fact the `verify --json` report must show.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// This code, anywhere in the report.
    Code(&'static str),
    /// One of these codes, anywhere in the report.
    AnyCode(&'static [&'static str]),
    /// This code on layer N (its problems or its signatures').
    LayerCode(usize, &'static str),
    /// Layer N has this status.
    Status(usize, &'static str),
}

struct Case {
    name: &'static str,
    tweak: Tweak,
    expect_exit: i32,
    expect: &'static [Expect],
}

impl Tweak {
    fn apply(self, dir: &Path) -> Result<(), String> {
        match self {
            Tweak::Doc(f) => {
                let p = dir.join(DOC);
                let s = std::fs::read_to_string(&p).unwrap();
                let t = f(s.clone());
                if s == t {
                    return Err("the edit does not change the document".into());
                }
                std::fs::write(&p, t).unwrap();
            }
            Tweak::Sig(f) => edit_json(dir, SIG, f),
            Tweak::SigBytes(b) => std::fs::write(dir.join(SIG), b).unwrap(),
            Tweak::Entry(id, f) => set_entry(dir, id, f),
        }
        Ok(())
    }
}

impl Expect {
    fn holds(self, r: &serde_json::Value) -> bool {
        match self {
            Expect::Code(c) => codes(r).iter().any(|x| x == c),
            Expect::AnyCode(cs) => codes(r).iter().any(|x| cs.contains(&x.as_str())),
            Expect::LayerCode(i, c) => layer_codes(r, i).iter().any(|x| x == c),
            Expect::Status(i, st) => r["layers"][i]["status"] == st,
        }
    }
}

/// Run every case, each on a fresh copy of the example, and report every failing case by name.
fn run_cases(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let d = example_dir();
        if let Err(e) = c.tweak.apply(d.path()) {
            failures.push(format!("{}: {e}", c.name));
            continue;
        }
        let (code, r) = verify_json(d.path(), DOC);
        let verdict = match c.expect_exit {
            0 => "valid",
            1 => "invalid",
            3 => "indeterminate",
            _ => "",
        };
        let mut why = Vec::new();
        if code != c.expect_exit {
            why.push(format!("exit {code}, expected {}", c.expect_exit));
        }
        if !verdict.is_empty() && r["verdict"] != verdict {
            why.push(format!("verdict {}, expected {verdict}", r["verdict"]));
        }
        for e in c.expect {
            if !e.holds(&r) {
                why.push(format!("{e:?} does not hold"));
            }
        }
        if !why.is_empty() {
            failures.push(format!(
                "{}: {} (codes {:?})",
                c.name,
                why.join("; "),
                codes(&r)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Text inserted, removed or moved: the change is named.
#[test]
fn tamper_table_document_text() {
    use Expect::*;
    run_cases(&[
        Case {
            name: "paragraph inserted between layers",
            tweak: Tweak::Doc(|s| {
                s.replacen(
                    "(Signed) Jens **Stoltenberg**\n",
                    "(Signed) Jens **Stoltenberg**\n\nP.S. Please disregard the figures below.\n",
                    1,
                )
            }),
            expect_exit: 1,
            expect: &[
                AnyCode(&["lines-added", "layer-added"]),
                Status(0, "invalid"),
            ],
        },
        Case {
            name: "layer inserted",
            tweak: Tweak::Doc(|s| {
                s.replacen(
                    "(Signed) Jens **Stoltenberg**\n",
                    "(Signed) Jens **Stoltenberg**\n\nAppendix\n\nA forged note.\n\n(Signed) Mallory\n",
                    1,
                )
            }),
            expect_exit: 1,
            expect: &[Code("layer-added")],
        },
        Case {
            name: "paragraph removed",
            tweak: Tweak::Doc(|s| {
                let start = s.find("3. There were").unwrap();
                let end = start + s[start..].find('\n').unwrap() + 1;
                format!("{}{}", &s[..start], &s[end..])
            }),
            expect_exit: 1,
            expect: &[LayerCode(2, "lines-removed")],
        },
        Case {
            name: "annex letter stripped",
            tweak: Tweak::Doc(|s| {
                let a = s.find("In accordance with paragraph 20").unwrap();
                let b = s.find("Enclosure**").unwrap();
                format!("{}{}", &s[..a], &s[b..])
            }),
            expect_exit: 1,
            expect: &[Code("layer-missing")],
        },
        Case {
            // The NATO letter's text moved after the report: its leaves are all present,
            // elsewhere.
            name: "paragraphs reordered",
            tweak: Tweak::Doc(|s| {
                let a = s.find("In accordance with paragraph 20").unwrap();
                let b = s.find("Enclosure**").unwrap();
                let letter = s[a..b].to_owned();
                format!("{}{}\n\n{}", &s[..a], &s[b..], letter)
            }),
            expect_exit: 1,
            expect: &[Code("layers-reordered")],
        },
        Case {
            name: "\"(Signed)\" line changed to another name",
            tweak: Tweak::Doc(|s| {
                s.replace("(Signed) Jens **Stoltenberg**", "(Signed) Anders Rasmussen")
            }),
            expect_exit: 1,
            expect: &[LayerCode(1, "signer-mismatch")],
        },
    ]);
}

/// The signature file edited: copied, forged, stripped or edited signatures; malformed and
/// downgraded files.
#[test]
fn tamper_table_signature_file() {
    use Expect::*;
    run_cases(&[
        Case {
            name: "signature copied to another layer",
            tweak: Tweak::Sig(|v| {
                let s = v["layers"][1]["signatures"][0].clone();
                v["layers"][0]["signatures"].as_array_mut().unwrap().push(s);
            }),
            expect_exit: 1,
            expect: &[LayerCode(0, "signature-replayed")],
        },
        Case {
            // The outer signer saw other signatures beneath.
            name: "signature bytes forged",
            tweak: Tweak::Sig(|v| {
                let s = v["layers"][1]["signatures"][0]["signature"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let flipped = format!("{}{}", if s.starts_with('0') { "1" } else { "0" }, &s[1..]);
                v["layers"][1]["signatures"][0]["signature"] = flipped.into();
            }),
            expect_exit: 1,
            expect: &[
                LayerCode(1, "bad-signature"),
                LayerCode(0, "inner-signatures-changed"),
            ],
        },
        Case {
            name: "inner signature stripped",
            tweak: Tweak::Sig(|v| v["layers"][1]["signatures"] = serde_json::json!([])),
            expect_exit: 1,
            expect: &[LayerCode(0, "inner-signatures-changed")],
        },
        Case {
            name: "signed field edited",
            tweak: Tweak::Sig(|v| {
                v["layers"][0]["signatures"][0]["commitment"] = "endorses".into()
            }),
            expect_exit: 1,
            expect: &[LayerCode(0, "bad-signature")],
        },
        Case {
            name: "older format",
            tweak: Tweak::Sig(|v| v["format"] = "transmittal-signatures-v0".into()),
            expect_exit: 1,
            expect: &[Code("malformed-signature-file")],
        },
        Case {
            name: "unknown field",
            tweak: Tweak::Sig(|v| v["layers"][0]["trusted"] = true.into()),
            expect_exit: 1,
            expect: &[Code("malformed-signature-file")],
        },
        Case {
            name: "bad hex",
            tweak: Tweak::Sig(|v| v["layers"][0]["chain_sha256"] = "zz".into()),
            expect_exit: 1,
            expect: &[Code("malformed-signature-file")],
        },
        Case {
            name: "huge number",
            tweak: Tweak::Sig(|v| v["layers"][2]["content"]["bytes"] = serde_json::json!(1e300)),
            expect_exit: 1,
            expect: &[Code("malformed-signature-file")],
        },
        Case {
            name: "other profile",
            tweak: Tweak::Sig(|v| v["profile"] = "transmittal-text-v0".into()),
            expect_exit: 1,
            expect: &[Code("profile-mismatch")],
        },
        Case {
            name: "not JSON",
            tweak: Tweak::SigBytes(b"{not json"),
            expect_exit: 1,
            expect: &[Code("malformed-signature-file")],
        },
    ]);
}

/// The trust store's entry for the NATO key edited: validity, revocation, name.
#[test]
fn tamper_table_trust_store_entry() {
    use Expect::*;
    run_cases(&[
        Case {
            name: "key expired",
            tweak: Tweak::Entry("stoltenberg", |v| v["valid_until"] = "2017-10-01".into()),
            expect_exit: 1,
            expect: &[LayerCode(1, "key-expired")],
        },
        Case {
            name: "key not yet valid",
            tweak: Tweak::Entry("stoltenberg", |v| v["valid_from"] = "2017-10-20".into()),
            expect_exit: 1,
            expect: &[LayerCode(1, "key-not-yet-valid")],
        },
        Case {
            name: "key revoked before signing",
            tweak: Tweak::Entry("stoltenberg", |v| {
                v["revoked_at"] = "2017-10-01".into();
                v["revocation_reason"] = "superseded".into();
            }),
            expect_exit: 1,
            expect: &[LayerCode(1, "key-revoked")],
        },
        Case {
            // The backdating attack: a thief signs with the stolen key and claims a date before
            // the revocation. Without a trusted timestamp, no claimed date counts.
            name: "key revoked as compromised after the claimed signing date",
            tweak: Tweak::Entry("stoltenberg", |v| {
                v["revoked_at"] = "2017-10-20".into();
                v["revocation_reason"] = "compromised".into();
            }),
            expect_exit: 1,
            expect: &[LayerCode(1, "time-unproven-after-compromise")],
        },
        Case {
            // The same revocation as superseded: signatures dated before it stand.
            name: "key superseded after the claimed signing date",
            tweak: Tweak::Entry("stoltenberg", |v| {
                v["revoked_at"] = "2017-10-20".into();
                v["revocation_reason"] = "superseded".into();
            }),
            expect_exit: 0,
            expect: &[],
        },
        Case {
            // The trust store says the key is someone else's: a Cyrillic е in the name.
            name: "entry names someone else",
            tweak: Tweak::Entry("stoltenberg", |v| v["name"] = "Jens Stoltenbеrg".into()),
            expect_exit: 1,
            expect: &[LayerCode(1, "signer-mismatch")],
        },
    ]);
}

/// Revoked later than the signature: still valid, and the report says so.
#[test]
fn key_revoked_after_signing_is_still_valid() {
    let d = example_dir();
    bin()
        .current_dir(d.path())
        .args([
            "keys",
            "revoke",
            "stoltenberg",
            "--at",
            "2020-01-01",
            "--reason",
            "superseded",
        ])
        .assert()
        .code(0);
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 0, "{:?}", codes(&r));
    let reason = r["layers"][1]["signatures"][0]["reason"]
        .as_str()
        .unwrap_or("");
    assert!(reason.contains("revoked on 2020-01-01"), "{reason}");
}

#[test]
fn unknown_key_is_indeterminate() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("keys/stoltenberg.pub.json")).unwrap();
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 3);
    assert_eq!(r["verdict"], "indeterminate");
    assert!(layer_codes(&r, 1).contains(&"unknown-key".to_owned()));
    bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .assert()
        .code(3)
        .stdout(predicate::str::starts_with("indeterminate:"));
}

#[test]
fn key_swapped_in_the_trust_store_is_a_mismatch() {
    let d = example_dir();
    let other = tempfile::tempdir().unwrap();
    bin()
        .args([
            "keygen",
            "--id",
            "stoltenberg",
            "--name",
            "Jens Stoltenberg",
            "--unencrypted",
            "--secret-dir",
        ])
        .arg(other.path().join("secret"))
        .arg("--out-dir")
        .arg(other.path().join("store"))
        .assert()
        .code(0);
    std::fs::copy(
        other.path().join("store/stoltenberg.pub.json"),
        d.path().join("keys/stoltenberg.pub.json"),
    )
    .unwrap();
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert!(
        layer_codes(&r, 1).contains(&"key-mismatch".to_owned()),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn missing_signature_file_is_exit_2_with_a_hint() {
    let d = example_dir();
    std::fs::remove_file(d.path().join(SIG)).unwrap();
    bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no signature file kfor-2017-q3.md.sig.json",
        ))
        .stderr(predicate::str::contains(
            "transmittal sign kfor-2017-q3.md --key",
        ));
}

#[test]
fn non_utf8_document_is_exit_2_with_offset() {
    let d = example_dir();
    let mut bytes = std::fs::read(d.path().join(DOC)).unwrap();
    bytes[100] = 0xff;
    std::fs::write(d.path().join(DOC), bytes).unwrap();
    bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kfor-2017-q3.md"))
        .stderr(predicate::str::contains("offset 100"));
}

#[test]
fn header_may_be_added_or_removed() {
    let d = example_dir();
    edit(d.path(), DOC, |s| {
        s[s.find("**Letter dated").unwrap()..].to_owned()
    });
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert!(r["header"].is_null());
    // A long paragraph in the header's place is not a header.
    let d = example_dir();
    edit(d.path(), DOC, |s| {
        format!("{}{s}", "The Security Council has decided that the following report is false and that the figures in it must be disregarded entirely by all members.\n\n")
    });
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert!(
        codes(&r).contains(&"uncovered-text".to_owned()),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn invisible_characters_are_reported() {
    let d = example_dir();
    // Adding a zero-width space changes the text, so this is invalid anyway; the warning names it.
    edit(d.path(), DOC, |s| s.replacen("4,100", "4,\u{200b}100", 1));
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    let w = r["warnings"].as_array().unwrap();
    let inv = w
        .iter()
        .find(|w| w["code"] == "invisible-characters")
        .expect("warning");
    assert!(inv["message"].as_str().unwrap().contains("U+200B"));
    assert_eq!(inv["lines"], serde_json::json!([[32, 32]]));
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let d = example_dir();
    let plain = bin()
        .current_dir(d.path())
        .args(["verify", DOC])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let coloured = bin()
        .current_dir(d.path())
        .args(["verify", DOC, "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\x1b'));
    let no_color = bin()
        .current_dir(d.path())
        .env("NO_COLOR", "1")
        .args(["verify", DOC])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&no_color.stdout).contains('\x1b'));
}

/// The README shows `verify`'s report on the shipped example: it is the report the tool prints.
#[test]
fn readme_example_output_is_the_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let cmd = "$ transmittal verify examples/kfor-2017-q3.md --keys keys\n";
    let start = readme.find(cmd).expect("README shows the verify command") + cmd.len();
    let end = start + readme[start..].find("```").unwrap();
    let shown = &readme[start..end];
    let o = bin()
        .current_dir(root())
        .args([
            "verify",
            "examples/kfor-2017-q3.md",
            "--keys",
            "keys",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8(o.stdout).unwrap(), shown);
}
