//! CLI tests: `valid` means every word a reader sees was signed, by the person named, with a key
//! the reader chose to trust (docs/SECURITY.md, "What `valid` promises").
//!
//! Each attack here was found by trying the verifier as an attacker would; each must now be
//! refused with its problem code: forged publication headers (unsigned text above the signed
//! layers, "(Signed)" look-alikes, a header that hides what follows, a header that ends inside a
//! line, a rewritten cover letter over a genuine inner chain), names matched by prefix,
//! duplicated signature records, dates in the future, hidden text and blank lines that are not
//! blank to a Markdown reader. `show` prints only what valid signatures cover.

use crate::attacks::{
    demo_key, edit_doc, expect, invalid, load_sig, nato_text, run_ok, save_sig, seed_text, signed,
    statement, un_cover_text, DOC, SIG,
};
use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// `verify --json` against the trust store `keys/`, with extra arguments.
fn verify_with(dir: &Path, doc: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--keys", "keys"];
    args.extend_from_slice(extra);
    verify_json_with(dir, doc, &args)
}

fn problem_codes(r: &Value, field: &str) -> Vec<String> {
    r[field]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Run a command that must fail with `code`, stderr containing `msg`.
fn refused(dir: &Path, args: &[&str], code: i32, msg: &str) {
    let o = bin().current_dir(dir).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(msg), "{args:?}: expected {msg:?} in {err}");
}

// ---------------------------------------------------------------------------------------------
// Unsigned text above the signed layers.

#[test]
fn header_forged_corrigendum_is_uncovered_text() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen(
            "Original: French\n",
            "Original: French\nCorrigendum: in paragraph 2, for 4,100 read 4,600\n",
            1,
        )
    });
    let r = invalid(d.path(), &["uncovered-text"]);
    assert_eq!(r["header"]["accepted"], false);
}

#[test]
fn header_signature_mark_look_alikes_are_uncovered_text() {
    for line in [
        "\\(Signed) Jens Stoltenberg",
        "&#40;Signed) Jens Stoltenberg",
        "\u{200b}(Signed) Jens Stoltenberg",
        "> (Signed) Jens Stoltenberg",
        "(Signed) Jens Stoltenberg",
    ] {
        let d = example_dir();
        edit_doc(d.path(), DOC, |s| {
            s.replacen("English\n", &format!("English\n{line}\n"), 1)
        });
        let r = invalid(d.path(), &["uncovered-text"]);
        assert_eq!(r["header"]["accepted"], false, "{line}");
    }
}

#[test]
fn header_that_hides_the_signed_text_is_uncovered_text() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("Original: French\n", "Original: French\n<!--\n", 1)
    });
    let r = invalid(d.path(), &["uncovered-text"]);
    assert_eq!(r["header"]["accepted"], false);
}

#[test]
fn header_ending_inside_a_line_is_uncovered_text() {
    // Layers are located from the end, so text run into the first line of the cover letter
    // leaves every signature intact and ends the header inside a line.
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("**Letter dated 25", "Urgent: **Letter dated 25", 1)
    });
    let r = invalid(d.path(), &["uncovered-text"]);
    assert_eq!(r["header"]["accepted"], false);
    // No signature is blamed: the signed text is intact.
    for l in r["layers"].as_array().unwrap() {
        for s in l["signatures"].as_array().unwrap() {
            assert_eq!(s["status"], "valid");
        }
    }
}

#[test]
fn rewritten_cover_letter_over_a_genuine_inner_chain_is_not_valid() {
    let d = example_dir();
    let dir = d.path();
    run_ok(dir, &["extract", DOC, "--layer", "1", "--out", "inner.md"]);
    // A short forged "cover letter" in the header's place, no "(Signed)" line.
    let forged = "Letter dated 2 November 2017 from the Secretary-General\n\nThe enclosed figures are superseded: KFOR now counts 4,600 troops.\n\n";
    let inner = std::fs::read_to_string(dir.join("inner.md")).unwrap();
    std::fs::write(dir.join("inner.md"), format!("{forged}{inner}")).unwrap();
    let (code, r) = verify_with(dir, "inner.md", &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["verdict"], "invalid");
    assert!(problem_codes(&r, "problems").contains(&"uncovered-text".to_owned()));
}

#[test]
fn the_real_header_is_still_accepted() {
    let d = example_dir();
    let (code, r) = verify_with(d.path(), DOC, &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["header"]["accepted"], true);
    assert_eq!(r["rules"], "transmittal-rules-v2");
    assert!(problem_codes(&r, "warnings").contains(&"uncovered-header".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// Names matched by whole name only.

/// A trust-store entry for `name` in `keys/` and its secret key in `secret/`, made by `keygen`.
fn keygen(dir: &Path, id: &str, name: &str) {
    run_ok(
        dir,
        &[
            "keygen",
            "--id",
            id,
            "--name",
            name,
            "--valid-from",
            "2010-01-01",
            "--unencrypted",
            "--out-dir",
            "keys",
            "--secret-dir",
            "secret",
        ],
    );
}

fn secret(dir: &Path, id: &str) -> transmittal::keys::SecretKey {
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("secret/{id}.key"))).unwrap())
            .unwrap();
    let mut seed = [0u8; 32];
    hex::decode_to_slice(v["secret_key"].as_str().unwrap(), &mut seed).unwrap();
    transmittal::keys::SecretKey::from_seed(&seed, Some(id.to_owned()), None)
}

#[test]
fn a_name_prefix_does_not_satisfy_a_signature_line() {
    for (key_name, line) in [
        ("Jens", "(Signed) Jens Stoltenberg"),
        ("Mary Robinson", "(Signed) Mary Robinson-Smith"),
    ] {
        let d = example_dir();
        let dir = d.path();
        keygen(dir, "prefix", key_name);
        let text = format!(
            "Letter dated 1 March 2017 from the Secretary-General\n\nI have the honour to transmit the report.\n\n{line}\n"
        );
        std::fs::write(dir.join("p.md"), &text).unwrap();
        // `sign` refuses: the key's name is not the name on the line.
        refused(
            dir,
            &[
                "sign",
                "p.md",
                "--key",
                "secret/prefix.key",
                "--date",
                "2017-03-01",
                "--keys",
                "keys",
                "--accept-structure",
            ],
            1,
            "signatory",
        );
        // A signature made outside the tool: signer-mismatch and a missing signature.
        let k = secret(dir, "prefix");
        let mut f = crate::attacks::proposed(&text);
        let st = statement(&f, 0, &k, "prefix", key_name, "2017-03-01");
        f.layers[0].signatures.push(signed(&k, st));
        save_sig(dir, "p.md.sig.json", &f);
        let (code, r) = verify_with(dir, "p.md", &[]);
        assert_eq!(code, 1, "{key_name}: {r}");
        let all = codes(&r);
        assert!(all.contains(&"signer-mismatch".to_owned()), "{all:?}");
        assert!(all.contains(&"missing-signature".to_owned()), "{all:?}");
    }
}

#[test]
fn every_name_on_a_layer_needs_its_own_valid_signature() {
    // Two "(Signed)" lines on the NATO letter, one signature: missing-signature, not valid.
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text()).replacen(
        "(Signed) Jens **Stoltenberg**\n",
        "(Signed) Jens **Stoltenberg**\n\n(Signed) Mircea Geoană\n",
        1,
    );
    crate::attacks::nato_signed(dir, "two.md", &text);
    let (code, r) = verify_with(dir, "two.md", &[]);
    assert_eq!(code, 3, "{r}");
    assert!(codes(&r).contains(&"missing-signature".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// Signature-file hygiene.

#[test]
fn a_duplicated_signature_record_is_malformed() {
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    let copy = f.layers[1].signatures[0].clone();
    f.layers[1].signatures.push(copy);
    save_sig(d.path(), SIG, &f);
    invalid(d.path(), &["malformed-signature-file"]);
}

#[test]
fn a_signature_file_without_signatures_is_no_signature() {
    let d = example_dir();
    let mut f = load_sig(d.path(), SIG);
    for l in &mut f.layers {
        l.signatures.clear();
    }
    save_sig(d.path(), SIG, &f);
    invalid(d.path(), &["no-signature"]);
}

#[test]
fn an_unknown_key_leaves_coverage_undecided_not_valid() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("keys/stoltenberg.pub.json")).unwrap();
    let r = expect(d.path(), DOC, "indeterminate", &["unknown-key"]);
    // Layer 1 is covered by the UN signature; only its own signature is undecided.
    assert_eq!(r["layers"][1]["covered_by"], serde_json::json!([0]));
}

// ---------------------------------------------------------------------------------------------
// Dates.

#[test]
fn sign_refuses_a_signing_date_in_the_future() {
    let d = example_dir();
    std::fs::write(d.path().join("nato.md"), nato_text(&seed_text())).unwrap();
    refused(
        d.path(),
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2999-12-31",
            "--keys",
            "keys",
        ],
        1,
        "in the future",
    );
}

#[test]
fn verify_refuses_a_signing_date_in_the_future() {
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text());
    std::fs::write(dir.join("nato.md"), &text).unwrap();
    let k = demo_key(dir, "stoltenberg");
    let mut f = crate::attacks::proposed(&text);
    let st = statement(&f, 0, &k, "stoltenberg", "Jens Stoltenberg", "2999-12-31");
    f.layers[0].signatures.push(signed(&k, st));
    save_sig(dir, "nato.md.sig.json", &f);
    let (code, r) = verify_with(dir, "nato.md", &[]);
    assert_eq!(code, 1, "{r}");
    assert!(codes(&r).contains(&"signed-in-future".to_owned()));
    assert!(r["verified_on"].as_str().is_some());
}

#[test]
fn sign_refuses_a_letter_date_the_letter_contradicts() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("un.md"), un_cover_text(&seed_text())).unwrap();
    let args = [
        "sign",
        "un.md",
        "--key",
        "demo-keys/guterres.key",
        "--date",
        "2017-10-25",
        "--letter-date",
        "2017-10-26",
        "--keys",
        "keys",
    ];
    refused(dir, &args, 1, "contradicts");
    let mut forced = args.to_vec();
    forced.push("--force-letter-date");
    run_ok(dir, &forced);
    let (_, r) = verify_with(dir, "un.md", &[]);
    assert_eq!(r["layers"][0]["signatures"][0]["letter_date"], "2017-10-26");
}

// ---------------------------------------------------------------------------------------------
// The parser never changes a verdict.

#[test]
fn parser_disagreement_is_advice_even_under_strict() {
    // One signed layer over a text the parser reads as two (a heading it takes for an annex).
    let d = example_dir();
    let dir = d.path();
    let text = un_cover_text(&seed_text()) + "\nAnnex\n\nA note the Secretary-General wrote.\n";
    std::fs::write(dir.join("one.md"), &text).unwrap();
    let doc = transmittal::canonical::canonicalize(text.as_bytes()).unwrap();
    let k = demo_key(dir, "guterres");
    let mut f = transmittal::sigfile::SignatureFile {
        profile: transmittal::canonical::PROFILE.to_owned(),
        layers: vec![transmittal::sigfile::LayerRecord {
            kind: transmittal::chain::LayerKind::Cover,
            markers: transmittal::sigfile::PartRecord::of(""),
            content: transmittal::sigfile::PartRecord::of(doc.as_str()),
            chain: transmittal::chain::chain_digest(
                transmittal::canonical::PROFILE,
                &transmittal::merkle::content_root(doc.as_str()),
                None,
            ),
            signatures: Vec::new(),
        }],
    };
    let st = statement(&f, 0, &k, "guterres", "António Guterres", "2017-10-25");
    f.layers[0].signatures.push(signed(&k, st));
    save_sig(dir, "one.md.sig.json", &f);
    let (code, r) = verify_with(dir, "one.md", &["--strict"]);
    assert_eq!(code, 0, "{r}");
    assert!(problem_codes(&r, "advice").contains(&"parser-disagrees".to_owned()));
    assert!(!problem_codes(&r, "warnings").contains(&"parser-disagrees".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// `show`: what you see is what was signed.

#[test]
fn show_prints_only_the_signed_text() {
    let d = example_dir();
    let o = bin()
        .current_dir(d.path())
        .args(["show", DOC, "--keys", "keys"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.starts_with("valid: "), "{out}");
    // The publication header is not signed: replaced by a placeholder naming its lines.
    assert!(!out.contains("Distr.: General"), "{out}");
    assert!(out.contains("[… lines 3-8 not shown"), "{out}");
    for l in [
        "── layer 0 (cover)",
        "── layer 1 (annex)",
        "── layer 2 (enclosure)",
    ] {
        assert!(out.contains(l), "{l}: {out}");
    }
    assert!(out.contains("signed by António Guterres (transmits, 2017-10-25)"));
    assert!(out.contains("approximately 4,100"));
}

#[test]
fn show_leaves_out_a_changed_layer_and_keeps_what_still_verifies() {
    let d = example_dir();
    edit_doc(d.path(), DOC, |s| {
        s.replacen("I would be grateful", "I would be very grateful", 1)
    });
    let o = bin()
        .current_dir(d.path())
        .args(["show", DOC, "--keys", "keys", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "invalid");
    let pieces = v["pieces"].as_array().unwrap();
    let shown: String = pieces
        .iter()
        .filter(|p| p["covered"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    // The cover letter changed: not shown. NATO's letter and the report still verify: shown.
    assert!(!shown.contains("very grateful"), "{shown}");
    assert!(!shown.contains("Letter dated 25 October"), "{shown}");
    assert!(shown.contains("please find enclosed the quarterly report"));
    assert!(shown.contains("approximately 4,100"));
    for p in pieces.iter().filter(|p| p["covered"] == false) {
        assert!(p["text"].is_null());
        assert!(p["lines"].is_array());
    }
}

// ---------------------------------------------------------------------------------------------
// Hidden text and blank lines that are not blank.

#[test]
fn hidden_text_is_refused_by_sign_and_reported_by_verify() {
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text()).replacen(
        "please find enclosed",
        "please find enclosed <!-- KFOR will withdraw next week --> ",
        1,
    );
    std::fs::write(dir.join("nato.md"), &text).unwrap();
    let args = [
        "sign",
        "nato.md",
        "--key",
        "demo-keys/stoltenberg.key",
        "--date",
        "2017-10-18",
        "--letter-date",
        "2017-10-18",
        "--keys",
        "keys",
    ];
    // The refusal prints the hidden sentence so the signer sees it.
    refused(dir, &args, 1, "KFOR will withdraw next week");
    let mut allowed = args.to_vec();
    allowed.push("--allow-hidden");
    run_ok(dir, &allowed);
    let (code, r) = verify_with(dir, "nato.md", &[]);
    assert_eq!(code, 0, "{r}");
    let w: Vec<&Value> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "hidden-text")
        .collect();
    assert_eq!(w.len(), 1, "{r}");
    assert_eq!(w[0]["lines"], serde_json::json!([[1, 1]]));
    assert!(w[0]["message"]
        .as_str()
        .unwrap()
        .contains("KFOR will withdraw"));
    let (code, r) = verify_with(dir, "nato.md", &["--strict"]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["verdict"], "invalid");
}

#[test]
fn hidden_link_reference_comment_is_refused() {
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text()).replacen(
        "(Signed) Jens",
        "[//]: # (the enclosed figures are estimates only)\n\n(Signed) Jens",
        1,
    );
    std::fs::write(dir.join("nato.md"), &text).unwrap();
    refused(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "--keys",
            "keys",
        ],
        1,
        "estimates only",
    );
}

#[test]
fn a_blank_line_that_is_not_blank_makes_the_document_invalid() {
    for space in ["\u{a0}", "\u{3000}", " \u{a0} "] {
        let d = example_dir();
        // A signed blank line of the report replaced: the hashes stay equal, the rendering not.
        edit_doc(d.path(), DOC, |s| {
            s.replacen("\n\nSummary\n", &format!("\n{space}\nSummary\n"), 1)
        });
        let r = invalid(d.path(), &["ambiguous-blank-line"]);
        let p = r["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "ambiguous-blank-line")
            .unwrap()
            .clone();
        assert_eq!(p["lines"].as_array().unwrap().len(), 1, "{p}");
        // The signatures themselves are intact.
        for l in r["layers"].as_array().unwrap() {
            for s in l["signatures"].as_array().unwrap() {
                assert_eq!(s["status"], "valid");
            }
        }
    }
    // And `sign` refuses such a document.
    let d = example_dir();
    let text = nato_text(&seed_text()).replacen("\n\n(Signed)", "\n\u{a0}\n(Signed)", 1);
    std::fs::write(d.path().join("nato.md"), text).unwrap();
    refused(
        d.path(),
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "--keys",
            "keys",
        ],
        1,
        "non-breaking",
    );
}

// ---------------------------------------------------------------------------------------------
// Found by attacking the verifier from its documentation.

#[test]
fn a_signature_line_look_alike_is_refused_by_sign_and_verify() {
    for look_alike in [
        "\u{a0}(Signed) António **Guterres**",
        "\\(Signed) António **Guterres**",
        "&#40;Signed) António **Guterres**",
        "- (Signed) António **Guterres**",
        "## (Signed) António Guterres",
        "（Signed） António Guterres",
        "(Ѕigned) António Guterres",
        "Yours sincerely (Signed) António **Guterres**",
    ] {
        let d = example_dir();
        let dir = d.path();
        // Stoltenberg's letter, with a second line that shows Guterres's signature.
        let text = nato_text(&seed_text()).replacen(
            "(Signed) Jens **Stoltenberg**\n",
            &format!("(Signed) Jens **Stoltenberg**\n\n{look_alike}\n"),
            1,
        );
        std::fs::write(dir.join("m.md"), &text).unwrap();
        refused(
            dir,
            &[
                "sign",
                "m.md",
                "--key",
                "demo-keys/stoltenberg.key",
                "--date",
                "2017-10-18",
                "--keys",
                "keys",
                "--accept-structure",
            ],
            1,
            "reads as a \"(Signed)\" line",
        );
        // Signed outside the tool: invalid.
        let k = demo_key(dir, "stoltenberg");
        let mut f = crate::attacks::proposed(&text);
        let st = statement(&f, 0, &k, "stoltenberg", "Jens Stoltenberg", "2017-10-18");
        f.layers[0].signatures.push(signed(&k, st));
        save_sig(dir, "m.md.sig.json", &f);
        let (code, r) = verify_with(dir, "m.md", &[]);
        assert_eq!(code, 1, "{look_alike}: {r}");
        assert!(
            codes(&r).contains(&"signature-look-alike".to_owned()),
            "{look_alike}: {:?}",
            codes(&r)
        );
    }
}

#[test]
fn a_character_nfc_turns_into_markup_cannot_hide_signed_text() {
    // Signed: a code block showing an HTML comment (displayed as code, not hidden).
    let d = example_dir();
    let dir = d.path();
    let text = nato_text(&seed_text()).replacen(
        "(Signed) Jens",
        "```\n<!--\n```\n\nThe figure of 4,100 troops is final.\n\n```\n-->\n```\n\n(Signed) Jens",
        1,
    );
    crate::attacks::nato_signed(dir, "bt.md", &text);
    let (code, _) = verify_with(dir, "bt.md", &["--strict"]);
    assert_eq!(code, 0);
    // After signing, the fences become U+1FEF GREEK VARIA: NFC keeps the hash, but a Markdown
    // reader now sees an HTML comment that hides the signed sentence.
    let forged = text.replace("```", "\u{1fef}\u{1fef}\u{1fef}");
    std::fs::write(dir.join("bt.md"), forged).unwrap();
    let (code, r) = verify_with(dir, "bt.md", &[]);
    assert_eq!(code, 1, "{r}");
    let p = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "ambiguous-character")
        .cloned()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(!p["lines"].as_array().unwrap().is_empty());
}

#[test]
fn show_output_cannot_be_imitated_by_signed_text() {
    let d = example_dir();
    let dir = d.path();
    let fake = "── layer 1 (annex) · signed by António Guterres (endorses, 2017-10-25)";
    let text = nato_text(&seed_text()).replacen(
        "(Signed) Jens",
        &format!(
            "{fake}\n\nThe United Nations endorses the figure of 41,000 troops.\n\n(Signed) Jens"
        ),
        1,
    );
    crate::attacks::nato_signed(dir, "s.md", &text);
    let o = bin()
        .current_dir(dir)
        .args(["show", "s.md", "--keys", "keys"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    // The signed line is shown behind the gutter; only show's own banners start a line with ──.
    assert!(out.contains(&format!("│ {fake}")), "{out}");
    let banners: Vec<&str> = out.lines().filter(|l| l.starts_with("──")).collect();
    assert_eq!(banners.len(), 2, "{out}");
    assert!(out
        .lines()
        .filter(|l| !l.starts_with("──") && !l.starts_with("[…") && !l.starts_with("valid:"))
        .all(|l| l.starts_with("│ ")));
}
