//! CLI tests: `diff`.
//!
//! Every copy is made from the seed (`examples/kfor-2017-q3.md`: UN cover letter → NATO letter
//! ("Annex") → KFOR report ("Enclosure")) by a transformation written out here, so that what each
//! test compares is plain to see.

use crate::common::*;
use std::path::{Path, PathBuf};

fn seed() -> String {
    std::fs::read_to_string(root().join("examples/kfor-2017-q3.md")).expect("seed")
}

/// Write `text` as `name` in `dir` and return its path.
fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Wrap `words` at `width` columns.
fn wrap(words: &[&str], width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for w in words {
        if col > 0 && col + 1 + w.chars().count() > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += w.chars().count();
    }
    out
}

/// The seed as a PDF text layer would give it: every paragraph (blank-line separated block)
/// rewrapped at 60 columns, the Markdown bold markers removed, page furniture between paragraphs
/// (job number, language, date stamp, barcode, running header, page counter), one word hyphenated
/// at a line end.
fn reflowed(seed: &str) -> String {
    let text = seed.replace("**", "");
    let blocks: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect();
    let furniture = [
        "17-19230 (E) 021117\n*1719230*",
        "S/2017/912",
        "2/3 17-19230",
        "S/2017/912",
    ];
    let mut out = String::from("S/2017/912\n\n");
    for (k, b) in blocks.iter().enumerate() {
        let words: Vec<&str> = b.split_whitespace().collect();
        out.push_str(&wrap(&words, 60));
        out.push_str("\n\n");
        if k % 3 == 2 {
            out.push_str(furniture[(k / 3) % furniture.len()]);
            out.push_str("\n\n");
        }
    }
    // A word hyphenated at a line end, as PDF text layers do.
    let out = out.replacen(" operations ", " opera-\ntions ", 1);
    assert!(
        out.contains("opera-\ntions"),
        "the reflow hyphenates a word"
    );
    out
}

/// The seed on one line (line breaks lost, as in flattened PDF text).
fn flattened(seed: &str) -> String {
    seed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The seed without the annexed letter: its "Annex" heading, "[Original: English]", the NATO
/// letter and its signature line.
fn without_annex(seed: &str) -> String {
    let mut out = String::new();
    for line in seed.lines() {
        let t = line.trim();
        if t == "Annex"
            || t == "[Original: English]"
            || t.starts_with("In accordance with paragraph 20")
            || t == "(Signed) Jens **Stoltenberg**"
        {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    assert!(out.len() < seed.len() - 300, "the annexed letter is gone");
    out
}

/// Run `transmittal diff A B [--json]` in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, a: &Path, b: &Path, json: bool) -> (i32, String, String) {
    let mut c = bin();
    c.current_dir(dir).arg("diff").arg(a).arg(b);
    if json {
        c.arg("--json");
    }
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Run `diff --json` and parse it.
fn run_json(dir: &Path, a: &Path, b: &Path) -> (i32, serde_json::Value) {
    let (code, out, err) = run(dir, a, b, true);
    let v: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("diff --json is not JSON ({e}): {out}\nstderr: {err}"));
    (code, v)
}

fn statuses(v: &serde_json::Value) -> Vec<String> {
    v["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["status"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// The seed's three layers, as the parser must read them for the layer-level checks.
fn assert_three_layers(v: &serde_json::Value) {
    let kinds: Vec<&str> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        kinds,
        ["cover", "annex", "enclosure"],
        "the parser reads the seed as cover → annex → enclosure: {v:#}"
    );
}

/// Human output and JSON agree: the verdict line, the exit code and every layer's status.
fn assert_human_matches_json(dir: &Path, a: &Path, b: &Path) -> serde_json::Value {
    let (code, v) = run_json(dir, a, b);
    let (hcode, human, _) = run(dir, a, b, false);
    assert_eq!(code, hcode, "same exit code with and without --json");
    let same = v["same"].as_bool().expect("same is a bool");
    assert_eq!(code, if same { 0 } else { 1 });
    let first = human.lines().next().unwrap_or("");
    assert!(
        first.starts_with(if same { "same text:" } else { "differs:" }),
        "verdict line {first:?} vs same = {same}"
    );
    assert_eq!(
        human.matches("compared: words (ignoring line wrapping, white space, page furniture and Markdown emphasis)").count(),
        1,
        "the comparison rule is stated once:\n{human}"
    );
    assert_eq!(
        v["comparison"],
        "words (ignoring line wrapping, white space, page furniture and Markdown emphasis)"
    );
    assert!(!human.contains('\x1b'), "no colour when not on a terminal");
    for l in v["layers"].as_array().unwrap() {
        let head = format!(
            "layer {} {}",
            l["index"].as_u64().unwrap(),
            l["kind"].as_str().unwrap()
        );
        let line = human
            .lines()
            .find(|x| x.contains(&format!("{head}:")) || x.contains(&format!("{head} (B:")))
            .unwrap_or_else(|| panic!("no line for {head} in:\n{human}"));
        let (mark, word) = match l["status"].as_str().unwrap() {
            "same" => ("✓", "same text"),
            "differs" => ("✗", "differs"),
            "missing" => ("✗", "missing in B"),
            "added" => ("✗", "added in B"),
            s => panic!("unknown status {s}"),
        };
        assert!(
            line.starts_with(mark) && line.contains(word),
            "{line:?} vs {l}"
        );
    }
    v
}

#[test]
fn identical_copies_are_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.md", seed());
    let (code, out, _) = run(dir.path(), &a, &a, false);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("same text: "), "{out}");
}

#[test]
fn reflowed_copy_with_furniture_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed();
    let a = write(dir.path(), "web.md", &s);
    let b = write(dir.path(), "pdf.txt", reflowed(&s));
    let v = assert_human_matches_json(dir.path(), &a, &b);
    assert_eq!(v["same"], true, "{v:#}");
    assert!(statuses(&v).iter().all(|s| s == "same"), "{v:#}");
    assert!(
        v["ignored"]["furniture_b"].as_u64().unwrap() >= 10,
        "the furniture is counted: {v:#}"
    );
    assert_eq!(v["ignored"]["furniture_a"], 0);
    let (code, out, _) = run(dir.path(), &a, &b, false);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ignored: page furniture 0 words in A"),
        "{out}"
    );
    // Symmetric.
    let (code, v) = run_json(dir.path(), &b, &a);
    assert_eq!(code, 0, "{v:#}");
    assert_three_layers(&v);
}

#[test]
fn flattened_copy_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed();
    let a = write(dir.path(), "web.md", &s);
    let b = write(dir.path(), "flat.txt", flattened(&s));
    let v = assert_human_matches_json(dir.path(), &a, &b);
    assert_eq!(v["same"], true, "{v:#}");
    assert!(statuses(&v).iter().all(|s| s == "same"), "{v:#}");
}

#[test]
fn changed_figure_is_reported_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed();
    assert_eq!(s.matches("4,100").count(), 1);
    let a = write(dir.path(), "a.md", &s);
    // Against the seed itself and against the reflowed copy: the same single change.
    for (name, text) in [
        ("b.md", s.replace("4,100", "4,600")),
        ("b-pdf.txt", reflowed(&s).replace("4,100", "4,600")),
    ] {
        let b = write(dir.path(), name, text);
        let v = assert_human_matches_json(dir.path(), &a, &b);
        assert_eq!(v["same"], false);
        assert_three_layers(&v);
        assert_eq!(statuses(&v), ["same", "same", "differs"], "{name}: {v:#}");
        let changes = v["layers"][2]["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{name}: {v:#}");
        let c = &changes[0];
        assert_eq!(c["a"], "4,100");
        assert_eq!(c["b"], "4,600");
        assert_eq!(c["case_only"], false);
        let line_a = s
            .lines()
            .position(|l| l.contains("4,100"))
            .map(|i| i as u64 + 1)
            .unwrap();
        assert_eq!(c["a_lines"], serde_json::json!([line_a, line_a]));
        let b_text = std::fs::read_to_string(&b).unwrap();
        let line_b = b_text
            .lines()
            .position(|l| l.contains("4,600"))
            .map(|i| i as u64 + 1)
            .unwrap();
        assert_eq!(c["b_lines"], serde_json::json!([line_b, line_b]));
        assert!(
            c["before"]
                .as_str()
                .unwrap()
                .ends_with("remains approximately"),
            "{c}"
        );

        let (code, out, _) = run(dir.path(), &a, &b, false);
        assert_eq!(code, 1);
        assert!(
            out.contains("✗ layer 2 enclosure: differs (1 change)"),
            "{out}"
        );
        assert!(out.contains("\n  - 4,100\n  + 4,600\n"), "{out}");
        assert!(
            out.contains(&format!("A line {line_a}, B line {line_b}")),
            "{out}"
        );
        assert!(out.contains("✓ layer 0 cover: same text"), "{out}");
        assert!(out.contains("✓ layer 1 annex: same text"), "{out}");
    }
}

#[test]
fn removed_annex_is_reported_missing() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed();
    let a = write(dir.path(), "a.md", &s);
    let b = write(dir.path(), "b.md", without_annex(&s));
    let v = assert_human_matches_json(dir.path(), &a, &b);
    assert_eq!(v["same"], false);
    let layers = v["layers"].as_array().unwrap();
    let missing: Vec<&serde_json::Value> =
        layers.iter().filter(|l| l["status"] == "missing").collect();
    assert_eq!(missing.len(), 1, "{v:#}");
    assert_eq!(missing[0]["kind"], "annex", "{v:#}");
    assert_eq!(missing[0]["index"], 1);
    assert_eq!(missing[0]["words_b"], 0);
    // The layers around it are paired with their counterparts and unchanged.
    assert_eq!(statuses(&v), ["same", "missing", "same"], "{v:#}");
    assert_eq!(layers[2]["index_b"], 1);
    let (code, out, _) = run(dir.path(), &a, &b, false);
    assert_eq!(code, 1);
    assert!(out.contains("✗ layer 1 annex: missing in B"), "{out}");
    // The other way round, the annex is added.
    let (code, v) = run_json(dir.path(), &b, &a);
    assert_eq!(code, 1);
    assert_eq!(statuses(&v), ["same", "added", "same"], "{v:#}");
}

#[test]
fn not_utf8_is_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.md", seed());
    let b = write(dir.path(), "latin1.txt", b"Kosovo Force \xe9t\xe9\n");
    for json in [false, true] {
        let (code, out, err) = run(dir.path(), &a, &b, json);
        assert_eq!(code, 2, "{out}{err}");
        if json {
            assert!(out.contains(r#""code":"input-not-utf8""#), "{out}");
        } else {
            assert!(out.is_empty(), "{out}");
        }
        assert!(
            err.contains("latin1.txt") && err.contains("not UTF-8"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let (code, _, err) = run(dir.path(), &b, &a, false);
    assert_eq!(code, 2);
    assert!(err.contains("latin1.txt"), "{err}");
}

#[test]
fn unreadable_input_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.md", seed());
    let (code, _, err) = run(dir.path(), &a, &dir.path().join("nope.md"), false);
    assert_eq!(code, 2);
    assert!(err.contains("nope.md"), "{err}");
}
