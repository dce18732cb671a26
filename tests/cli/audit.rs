//! CLI tests: `audit`.
//!
//! One mixed archive, built from the shipped signed example: two valid copies (one in a
//! subdirectory), a tampered copy (one figure changed), an unsigned document, a document signed by
//! a key that is not in the trust store (indeterminate), a document that is not UTF-8 and a
//! directory named like a document (both unreadable), plus files that must be skipped (hidden
//! files and directories, a non-text file without a signature file).

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DOC: &str = "kfor-2017-q3.md";

/// Every record path of the archive, with its expected verdict, in the order audit writes them.
const EXPECTED: [(&str, &str); 7] = [
    ("archive/a-valid.md", "valid"),
    ("archive/c-tampered.md", "invalid"),
    ("archive/d-unsigned.md", "unsigned"),
    ("archive/e-unknown-key.md", "indeterminate"),
    ("archive/f-latin1.md", "error"),
    ("archive/g-folder.md", "error"),
    ("archive/sub/b-valid.md", "valid"),
];

struct Archive {
    dir: tempfile::TempDir,
}

impl Archive {
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn copy_signed(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
    std::fs::copy(
        transmittal::sigfile::default_path(from),
        transmittal::sigfile::default_path(to),
    )
    .unwrap();
}

/// Sign the UN cover of the example with a new key for "António Guterres" that only a private
/// signing store knows: mathematically genuine, unknown to the audit's trust store.
fn sign_with_unknown_key(d: &Path, doc: &Path) {
    let store_dir = d.join("sign-keys");
    copy_dir(&d.join("keys"), &store_dir);
    let mut opts = transmittal::keys::KeygenOptions::new(
        "guterres-2",
        "António Guterres",
        store_dir.clone(),
        d.join("sign-secret"),
    );
    opts.valid_from = transmittal::dates::parse_iso("2017-01-01");
    transmittal::keys::keygen(&opts).expect("keygen");
    let store = transmittal::trust::load(&store_dir).unwrap();
    let secret =
        transmittal::keys::load_secret_key(&d.join("sign-secret/guterres-2.key"), &mut || {
            panic!("the test key is not encrypted")
        })
        .unwrap();
    let sig_path = transmittal::sigfile::default_path(doc);
    let mut file =
        transmittal::sigfile::SignatureFile::from_json(&std::fs::read(&sig_path).unwrap()).unwrap();
    file.layers[0].signatures.clear();
    let bytes = std::fs::read(doc).unwrap();
    let date = transmittal::dates::parse_iso("2017-10-25").unwrap();
    let outcome = transmittal::sign::sign(
        &doc.display().to_string(),
        &bytes,
        Some(&file),
        &secret,
        &store,
        &transmittal::sign::SignOptions {
            layer: Some(0),
            signed_on: date,
            letter_date: Some(Some(date)),
            commitment: None,
            allow_invisible: false,
            accept_structure: true,
            allow_hidden: false,
            force_letter_date: false,
            today: transmittal::dates::today(),
        },
    )
    .expect("sign with the unknown key");
    std::fs::write(&sig_path, outcome.file.to_json()).unwrap();
}

fn archive() -> Archive {
    let dir = example_dir();
    let d = dir.path();
    let (code, report) = verify_json(d, DOC);
    assert_eq!(
        (code, report["verdict"].as_str()),
        (0, Some("valid")),
        "the shipped example must verify valid for these tests: {report}"
    );
    let src = d.join(DOC);
    let a = d.join("archive");
    copy_signed(&src, &a.join("a-valid.md"));
    copy_signed(&src, &a.join("sub/b-valid.md"));
    // Tampered: one figure changed.
    copy_signed(&src, &a.join("c-tampered.md"));
    let t = std::fs::read_to_string(a.join("c-tampered.md")).unwrap();
    assert!(t.contains("approximately 4,100"));
    std::fs::write(
        a.join("c-tampered.md"),
        t.replace("approximately 4,100", "approximately 4,700"),
    )
    .unwrap();
    // Unsigned text document, and a non-text file without a signature file (not a document).
    std::fs::write(a.join("d-unsigned.md"), "A note.\n").unwrap();
    std::fs::write(a.join("photo.png"), [0x89, b'P', b'N', b'G']).unwrap();
    // Signed by a key the audit's trust store does not hold.
    copy_signed(&src, &a.join("e-unknown-key.md"));
    sign_with_unknown_key(d, &a.join("e-unknown-key.md"));
    // Not UTF-8.
    copy_signed(&src, &a.join("f-latin1.md"));
    let mut b = std::fs::read(a.join("f-latin1.md")).unwrap();
    b.extend_from_slice(b"\nEnd of report \xe9t\xe9.\n");
    std::fs::write(a.join("f-latin1.md"), b).unwrap();
    // A directory named like a signed document.
    std::fs::create_dir(a.join("g-folder.md")).unwrap();
    std::fs::copy(
        transmittal::sigfile::default_path(&src),
        a.join("g-folder.md.sig.json"),
    )
    .unwrap();
    // Hidden: skipped (they would be invalid if audited).
    copy_signed(&a.join("c-tampered.md"), &a.join(".hidden.md"));
    copy_signed(&a.join("c-tampered.md"), &a.join(".git/x.md"));
    Archive { dir }
}

fn audit(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = bin()
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn audit_stdin(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let o = bin()
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// Parse JSON Lines; the last record must be the summary.
fn records(stdout: &str) -> (Vec<serde_json::Value>, serde_json::Value) {
    let mut v: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("not a JSON record ({e}): {l}\nall output:\n{stdout}"))
        })
        .collect();
    let summary = v.pop().expect("a summary record");
    assert_eq!(summary["type"], "summary", "{summary}");
    assert!(v.iter().all(|r| r["type"] == "document"));
    (v, summary)
}

fn verdicts(recs: &[serde_json::Value]) -> Vec<(String, String)> {
    recs.iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn expected(only: &[&str]) -> Vec<(String, String)> {
    EXPECTED
        .iter()
        .filter(|(p, _)| only.is_empty() || only.contains(p))
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect()
}

fn counts(summary: &serde_json::Value) -> BTreeMap<&'static str, u64> {
    [
        "documents",
        "valid",
        "invalid",
        "indeterminate",
        "unsigned",
        "error",
        "signatures",
    ]
    .into_iter()
    .map(|k| {
        (
            k,
            summary[k]
                .as_u64()
                .unwrap_or_else(|| panic!("{k} in {summary}")),
        )
    })
    .collect()
}

fn without_seconds(stdout: &str) -> String {
    let (_, summary) = records(stdout);
    assert!(
        summary.get("seconds").is_none(),
        "no wall-clock time: {summary}"
    );
    stdout.to_owned()
}

#[test]
fn mixed_archive_json_counts_order_and_exit_code() {
    let a = archive();
    let (code, out, err) = audit(a.path(), &["archive", "--json", "--jobs", "2"]);
    assert_eq!(
        code, 1,
        "an invalid document makes the exit code 1\n{out}\n{err}"
    );
    let (recs, summary) = records(&out);
    assert_eq!(
        verdicts(&recs),
        expected(&[]),
        "hidden files and photo.png are skipped"
    );
    let want: BTreeMap<&str, u64> = [
        ("documents", 7),
        ("valid", 2),
        ("invalid", 1),
        ("indeterminate", 1),
        ("unsigned", 1),
        ("error", 2),
        ("signatures", 8),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts(&summary), want, "{summary}");
    let by_path: BTreeMap<&str, &serde_json::Value> = recs
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r))
        .collect();
    // Error records name the file.
    for p in ["archive/f-latin1.md", "archive/g-folder.md"] {
        let e = by_path[p]["error"].as_str().unwrap();
        assert!(e.contains(p), "{e}");
    }
    assert!(by_path["archive/f-latin1.md"]["error"]
        .as_str()
        .unwrap()
        .contains("not UTF-8"));
    assert_eq!(
        by_path["archive/d-unsigned.md"],
        &serde_json::json!({"schema": "transmittal-audit-record-v1", "type": "document", "path": "archive/d-unsigned.md", "verdict": "unsigned", "codes": [], "reason": "no signature file archive/d-unsigned.md.sig.json"})
    );
    // Verified documents: the `verify --json` report plus type and path.
    let tampered = by_path["archive/c-tampered.md"];
    assert!(
        codes(tampered).iter().any(|c| c == "content-changed"),
        "{tampered}"
    );
    let unknown = by_path["archive/e-unknown-key.md"];
    assert!(
        codes(unknown).iter().any(|c| c == "unknown-key"),
        "{unknown}"
    );
    for p in [
        "archive/a-valid.md",
        "archive/c-tampered.md",
        "archive/e-unknown-key.md",
    ] {
        let (_, mut report) = verify_json(a.path(), p);
        let mut rec = by_path[p].clone();
        let obj = rec.as_object_mut().unwrap();
        assert_eq!(obj.remove("type").unwrap(), "document");
        assert_eq!(obj.remove("schema").unwrap(), "transmittal-audit-record-v1");
        assert_eq!(
            report.as_object_mut().unwrap().remove("schema").unwrap(),
            "transmittal-report-v1"
        );
        assert_eq!(obj.remove("path").unwrap(), p);
        report["document"] = serde_json::json!(p);
        assert_eq!(rec, report, "audit record of {p} = verify --json report");
    }
}

#[test]
fn output_is_the_same_with_one_or_two_jobs() {
    let a = archive();
    let (c1, o1, _) = audit(a.path(), &["archive", "--json", "--jobs", "1"]);
    let (c2, o2, _) = audit(a.path(), &["archive", "--json", "--jobs", "2"]);
    let (c0, o0, _) = audit(a.path(), &["archive", "--json"]);
    assert_eq!((c1, c2, c0), (1, 1, 1));
    assert_eq!(without_seconds(&o1), without_seconds(&o2));
    assert_eq!(without_seconds(&o1), without_seconds(&o0));
    let (h1, hout1, _) = audit(a.path(), &["archive", "--jobs", "1"]);
    let (h2, hout2, _) = audit(a.path(), &["archive", "--jobs", "2"]);
    assert_eq!((h1, h2), (1, 1));
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.starts_with("audit:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(strip(&hout1), strip(&hout2));
}

#[test]
fn human_output_lists_only_documents_that_are_not_valid() {
    let a = archive();
    let (code, out, _) = audit(a.path(), &["archive", "--color", "never"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    // The first problem the report names (its code, then its message and lines).
    assert!(
        ["content-changed", "inner-layer-changed"]
            .iter()
            .any(|c| lines[0].starts_with(&format!("archive/c-tampered.md: invalid: {c}: "))),
        "{out}"
    );
    assert!(lines[0].contains("line 32"), "{out}");
    assert!(
        lines[1].starts_with(
            "archive/d-unsigned.md: unsigned: no signature file archive/d-unsigned.md.sig.json"
        ),
        "{out}"
    );
    assert!(
        lines[2].starts_with("archive/e-unknown-key.md: indeterminate: unknown-key: "),
        "{out}"
    );
    assert!(
        lines[3].starts_with("archive/f-latin1.md: error: "),
        "{out}"
    );
    assert!(
        lines[4].starts_with("archive/g-folder.md: error: "),
        "{out}"
    );
    assert!(lines[5] == "audit: 7 documents (8 signatures)", "{out}");
    assert!(
        !out.contains("a-valid") && !out.contains("b-valid"),
        "{out}"
    );
    for (label, n) in [
        ("valid", 2),
        ("invalid", 1),
        ("indeterminate", 1),
        ("unsigned", 1),
        ("error", 2),
    ] {
        assert!(
            lines.iter().any(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                w == [label, &n.to_string()]
            }),
            "no row {label} {n} in\n{out}"
        );
    }
    assert!(!out.contains('\x1b'));
}

#[test]
fn exit_codes_by_kind_of_document() {
    let a = archive();
    let d = a.path();
    let run = |paths: &[&str], extra: &[&str]| -> i32 {
        let mut args: Vec<&str> = paths.to_vec();
        args.extend_from_slice(extra);
        args.push("--json");
        audit(d, &args).0
    };
    let valid = "archive/a-valid.md";
    assert_eq!(run(&[valid, "archive/sub"], &[]), 0);
    assert_eq!(
        run(&[valid, "archive/d-unsigned.md"], &[]),
        0,
        "unsigned is allowed by default"
    );
    assert_eq!(
        run(&[valid, "archive/d-unsigned.md"], &["--require-signed"]),
        1
    );
    assert_eq!(run(&[valid, "archive/e-unknown-key.md"], &[]), 3);
    assert_eq!(run(&[valid, "archive/f-latin1.md"], &[]), 2);
    assert_eq!(
        run(&["archive/e-unknown-key.md", "archive/f-latin1.md"], &[]),
        2
    );
    assert_eq!(
        run(&["archive/c-tampered.md", "archive/f-latin1.md"], &[]),
        1
    );
    // The uncovered publication header is a warning: a failure under --strict.
    assert_eq!(run(&[valid], &["--strict"]), 1);
    // A trust store missing one entry: every signed document is indeterminate.
    let partial = d.join("partial-keys");
    std::fs::create_dir(&partial).unwrap();
    std::fs::copy(
        d.join("keys/stoltenberg.pub.json"),
        partial.join("stoltenberg.pub.json"),
    )
    .unwrap();
    assert_eq!(run(&[valid, "archive/sub"], &["--keys", "partial-keys"]), 3);
}

#[test]
fn unsigned_with_require_signed() {
    let a = archive();
    let (code, out, _) = audit(
        a.path(),
        &[
            "archive/sub",
            "archive/d-unsigned.md",
            "--require-signed",
            "--json",
        ],
    );
    assert_eq!(code, 1);
    let (recs, summary) = records(&out);
    assert_eq!(
        verdicts(&recs),
        expected(&["archive/d-unsigned.md", "archive/sub/b-valid.md"])
    );
    assert_eq!(summary["unsigned"], 1);
}

#[test]
fn paths_from_standard_input() {
    let a = archive();
    // Any order, a CRLF line, an empty line, a duplicate, a signature file naming its document.
    let list = "archive/e-unknown-key.md\r\n\narchive/a-valid.md\narchive/a-valid.md.sig.json\narchive/d-unsigned.md\n";
    let (code, out, err) = audit_stdin(a.path(), &["-", "--json"], list);
    assert_eq!(code, 3, "{out}\n{err}");
    let (recs, summary) = records(&out);
    assert_eq!(
        verdicts(&recs),
        expected(&[
            "archive/a-valid.md",
            "archive/d-unsigned.md",
            "archive/e-unknown-key.md"
        ])
    );
    assert_eq!(summary["documents"], 3);
    // Combined with a directory on the command line; a missing path on stdin is an error record.
    let (code, out, _) = audit_stdin(
        a.path(),
        &["archive/sub", "-", "--json"],
        "archive/nope.md\n",
    );
    assert_eq!(code, 2);
    let (recs, _) = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["path"], "archive/nope.md");
    assert_eq!(recs[0]["verdict"], "error");
    assert!(recs[0]["error"]
        .as_str()
        .unwrap()
        .contains("archive/nope.md"));
    assert_eq!(recs[1]["path"], "archive/sub/b-valid.md");
}

#[test]
fn usage_errors_exit_2_before_any_record() {
    let a = archive();
    let (code, out, err) = audit(a.path(), &["archive", "no-such-dir", "--json"]);
    assert_eq!(code, 2);
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e["schema"], "transmittal-error-v1", "{out}");
    assert!(out.lines().count() == 1, "an error, no record: {out}");
    assert!(err.contains("no-such-dir"), "{err}");
    let (code, out, err) = audit(a.path(), &["archive", "--jobs", "0"]);
    assert_eq!(code, 2);
    assert!(out.is_empty() && err.contains("--jobs"), "{err}");
    // A trust store that cannot be loaded.
    std::fs::write(a.path().join("keys/broken.pub.json"), "{").unwrap();
    let (code, out, err) = audit(a.path(), &["archive", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.pub.json"), "{err}");
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e["error"]["code"], "trust-store-unusable", "{out}");
}

#[test]
fn fail_fast_stops_at_the_first_document_that_is_not_valid() {
    let a = archive();
    let (code, out, _) = audit(a.path(), &["archive", "--json", "--fail-fast"]);
    assert_eq!(code, 1);
    let (recs, summary) = records(&out);
    assert_eq!(
        verdicts(&recs),
        expected(&["archive/a-valid.md", "archive/c-tampered.md"])
    );
    assert_eq!(summary["documents"], 2);
    // Unsigned documents do not stop it unless they are failures.
    let (code, out, _) = audit(
        a.path(),
        &[
            "archive/d-unsigned.md",
            "archive/sub",
            "--json",
            "--fail-fast",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(records(&out).0.len(), 2);
    let (code, out, _) = audit(
        a.path(),
        &[
            "archive/d-unsigned.md",
            "archive/sub",
            "--json",
            "--fail-fast",
            "--require-signed",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(records(&out).0.len(), 1);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let a = archive();
    let (code, out, _) = audit(a.path(), &["archive/sub", "archive/d-unsigned.md", "-q"]);
    assert_eq!(code, 0);
    assert!(out.is_empty(), "{out}");
    let (code, out, _) = audit(a.path(), &["archive/sub", "archive/c-tampered.md", "-q"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn many_documents_in_more_than_one_chunk() {
    // More documents than one chunk (1024), so that chunking, ordering across chunks and
    // fail-fast across chunks are exercised.
    let a = archive();
    let d = a.path();
    let src = d.join(DOC);
    let many = d.join("many");
    let n = 1100;
    for i in 0..n {
        copy_signed(&src, &many.join(format!("doc-{i:04}.md")));
    }
    let bad = many.join("doc-1050.md");
    let t = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(
        &bad,
        t.replace("approximately 4,100", "approximately 4,101"),
    )
    .unwrap();
    let (code, out, _) = audit(d, &["many", "--json"]);
    assert_eq!(code, 1);
    let (recs, summary) = records(&out);
    assert_eq!(recs.len(), n);
    let paths: Vec<PathBuf> = recs
        .iter()
        .map(|r| PathBuf::from(r["path"].as_str().unwrap()))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(summary["valid"], n as u64 - 1);
    assert_eq!(summary["invalid"], 1);
    assert_eq!(summary["signatures"], 2 * n as u64);
    let (code, out, _) = audit(d, &["many", "--json", "--fail-fast", "--jobs", "1"]);
    assert_eq!(code, 1);
    let (recs, _) = records(&out);
    assert_eq!(recs.len(), 1051);
    assert_eq!(recs[1050]["path"], "many/doc-1050.md");
}

// ---------------------------------------------------------------------------------------------
// Only regular files; hidden entries; empty audits

/// Run the binary with a deadline: a regression that blocks (on a FIFO) fails instead of hanging.
fn run_with_deadline(dir: &Path, args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_transmittal"))
        .current_dir(dir)
        .envs(TEST_ENV)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            panic!(
                "{args:?} still running after 20 s (blocked?); printed so far:\n{}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn mkfifo(p: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn a_fifo_is_refused_at_once_not_waited_on() {
    let a = archive();
    let dir = a.path();
    assert!(mkfifo(&dir.join("archive/x.md")), "mkfifo failed");
    // verify, inspect and hash name it and stop, exit 2.
    for args in [
        &["verify", "archive/x.md"][..],
        &["inspect", "archive/x.md"],
        &["hash", "archive/x.md"],
    ] {
        let (code, out, err) = run_with_deadline(dir, args, b"");
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("archive/x.md: not a regular file (a FIFO)"),
            "{args:?}: {err}"
        );
    }
    // `find … | audit -`: the FIFO is an error record, the documents around it are audited.
    let list = "archive/a-valid.md\narchive/x.md\narchive/sub/b-valid.md\n";
    let (code, out, err) = run_with_deadline(dir, &["audit", "-", "--json"], list.as_bytes());
    assert_eq!(code, 2, "{err}");
    let (recs, summary) = records(&out);
    assert_eq!(
        verdicts(&recs),
        [
            ("archive/a-valid.md".to_owned(), "valid".to_owned()),
            ("archive/sub/b-valid.md".to_owned(), "valid".to_owned()),
            ("archive/x.md".to_owned(), "error".to_owned()),
        ]
    );
    assert!(
        recs[2]["error"]
            .as_str()
            .unwrap()
            .contains("not a regular file (a FIFO)"),
        "{}",
        recs[2]
    );
    assert_eq!(summary["error"], 1);
    // Found by the walk: an error record too, and the walk goes on.
    let (code, out, err) = run_with_deadline(dir, &["audit", "archive", "--json"], b"");
    assert_eq!(code, 1, "{err}");
    let (recs, _) = records(&out);
    let x = recs
        .iter()
        .find(|r| r["path"] == "archive/x.md")
        .expect("a record for the FIFO");
    assert_eq!(x["verdict"], "error");
    assert!(x["error"]
        .as_str()
        .unwrap()
        .contains("not a regular file (a FIFO)"));
    assert_eq!(recs.len(), EXPECTED.len() + 1);
    // A FIFO as a signature file is refused the same way.
    std::fs::remove_file(dir.join("archive/a-valid.md.sig.json")).unwrap();
    assert!(mkfifo(&dir.join("archive/a-valid.md.sig.json")));
    let (code, _, err) = run_with_deadline(dir, &["verify", "archive/a-valid.md"], b"");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a-valid.md.sig.json: not a regular file (a FIFO)"),
        "{err}"
    );
}

#[test]
fn a_directory_given_to_verify_points_to_audit() {
    let a = archive();
    let (code, out, err) = run_with_deadline(a.path(), &["verify", "archive"], b"");
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("archive: not a regular file (a directory)"),
        "{err}"
    );
    assert!(err.contains("transmittal audit archive"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn nul_separated_paths_from_standard_input() {
    let a = archive();
    let dir = a.path();
    // A name with a newline in it, as only -0 can carry.
    copy_signed(&dir.join(DOC), &dir.join("archive/two\nlines.md"));
    let list = b"archive/sub/b-valid.md\0archive/two\nlines.md\0\0archive/d-unsigned.md\0";
    let (code, out, err) = run_with_deadline(dir, &["audit", "-0", "-", "--json"], list);
    assert_eq!(code, 0, "{out}\n{err}");
    let (recs, summary) = records(&out);
    assert_eq!(
        verdicts(&recs),
        [
            ("archive/d-unsigned.md".to_owned(), "unsigned".to_owned()),
            ("archive/sub/b-valid.md".to_owned(), "valid".to_owned()),
            ("archive/two\nlines.md".to_owned(), "valid".to_owned()),
        ]
    );
    assert_eq!(summary["documents"], 3);
    // --null is the long form; without it the same input is one unusable path.
    let (code, out, _) = run_with_deadline(dir, &["audit", "--null", "-", "--json"], list);
    assert_eq!((code, records(&out).1["documents"].as_u64()), (0, Some(3)));
    let (code, _, _) = run_with_deadline(dir, &["audit", "-", "--json"], list);
    assert_eq!(code, 2);
}

#[test]
fn hidden_entries_are_counted_and_included_with_hidden() {
    let a = archive();
    let dir = a.path();
    // The archive holds .hidden.md, .hidden.md.sig.json and .git/ (tampered copies).
    let (code, out, err) = audit(dir, &["archive", "--json"]);
    assert_eq!(code, 1, "{err}");
    let (recs, summary) = records(&out);
    assert_eq!(verdicts(&recs), expected(&[]));
    assert_eq!(summary["skipped_hidden"], 3, "{summary}");
    let (_, out, _) = audit(dir, &["archive"]);
    assert!(
        out.contains("3 hidden entries skipped (--hidden includes them)"),
        "{out}"
    );
    // --hidden: the tampered hidden copies are audited and found invalid.
    let (code, out, _) = audit(dir, &["archive", "--json", "--hidden"]);
    assert_eq!(code, 1);
    let (recs, summary) = records(&out);
    assert_eq!(summary["skipped_hidden"], 0);
    let hidden: Vec<_> = verdicts(&recs)
        .into_iter()
        .filter(|(p, _)| p.contains("/."))
        .collect();
    assert_eq!(
        hidden,
        [
            ("archive/.git/x.md".to_owned(), "invalid".to_owned()),
            ("archive/.hidden.md".to_owned(), "invalid".to_owned()),
        ]
    );
    assert_eq!(recs.len(), EXPECTED.len() + 2);
}

#[test]
fn an_audit_that_finds_nothing_is_an_error_unless_allowed() {
    let a = archive();
    let dir = a.path();
    // Only a tampered hidden copy: not reported, and not silently a success either.
    std::fs::create_dir(dir.join("only-hidden")).unwrap();
    copy_signed(
        &dir.join("archive/c-tampered.md"),
        &dir.join("only-hidden/.archive/t.md"),
    );
    let (code, out, err) = audit(dir, &["only-hidden", "--json"]);
    assert_eq!(code, 2, "{out}");
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        e["schema"], "transmittal-error-v1",
        "an error, no record: {out}"
    );
    assert!(
        err.contains("no documents found under only-hidden"),
        "{err}"
    );
    assert!(err.contains("1 hidden entry skipped"), "{err}");
    let (code, out, _) = audit(dir, &["only-hidden", "--json", "--allow-empty"]);
    assert_eq!(code, 0);
    let (recs, summary) = records(&out);
    assert!(recs.is_empty());
    assert_eq!(summary["skipped_hidden"], 1);
    let (code, out, _) = audit(dir, &["only-hidden", "--json", "--hidden"]);
    assert_eq!(code, 1);
    assert_eq!(records(&out).0[0]["verdict"], "invalid");
    // An empty directory and an empty list on standard input.
    std::fs::create_dir(dir.join("empty")).unwrap();
    let (code, _, err) = audit(dir, &["empty"]);
    assert_eq!(code, 2);
    assert!(err.contains("no documents found under empty"), "{err}");
    let (code, _, err) = audit_stdin(dir, &["-"], "");
    assert_eq!(code, 2);
    assert!(err.contains("standard input"), "{err}");
}
