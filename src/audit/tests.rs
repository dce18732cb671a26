//! Unit tests of `audit`.

use super::*;
use std::fs;

#[test]
fn read_into_reads_whole_files_and_refuses_those_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let first = usize::try_from(FIRST_READ).unwrap();
    let mut buf = vec![7u8; 10]; // left-over bytes from a previous file are cleared
    for (len, limit, ok) in [
        (0, 50, true),
        (50, 50, true),
        (51, 50, false), // fills the first read (limit + 1 bytes): measured, refused
        (first - 1, 1 << 20, true), // whole in the first read
        (first, 1 << 20, true), // fills it: measured, then read on
        (3 * first + 5, 1 << 20, true), // read on past the first read
        (3 * first + 5, (2 * first) as u64, false), // measured and refused unread
        (first + 1, first as u64, false),
        (first, first as u64, true),
    ] {
        let path = dir.path().join(format!("f-{len}-{limit}"));
        let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let got = read_into(&path, limit, &mut buf);
        if ok {
            assert!(got.is_ok(), "{len} bytes, limit {limit}: {got:?}");
            assert!(buf == bytes, "{len} bytes, limit {limit}: content differs");
        } else {
            assert!(
                matches!(got, Err(InputError::TooLarge { limit: l, .. }) if l == limit),
                "{len} bytes, limit {limit}: {got:?}"
            );
        }
    }
    let missing = read_into(&dir.path().join("missing"), 50, &mut buf);
    assert!(
        matches!(missing, Err(InputError::Read { .. })),
        "{missing:?}"
    );
}

fn names(found: &[Found], root: &Path) -> Vec<(String, String)> {
    found
        .iter()
        .map(|f| {
            let p = f
                .path
                .strip_prefix(root)
                .unwrap_or(&f.path)
                .display()
                .to_string();
            let k = match &f.kind {
                FoundKind::Signed => "signed".to_owned(),
                FoundKind::Unsigned => "unsigned".to_owned(),
                FoundKind::Unreadable(m) => format!("error: {m}"),
            };
            (p, k)
        })
        .collect()
}

fn touch(p: &Path) {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap();
    }
    fs::write(p, b"x").unwrap();
}

#[test]
fn walk_finds_signed_unsigned_and_skips_the_rest() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    for f in [
        "a.md",
        "a.md.sig.json",
        "b.txt",
        "c.pdf",
        "c.pdf.sig.json",
        "d.png",
        "README",
        "sub/e.MD",
        "sub/deeper/f.markdown",
        "sub/deeper/f.markdown.sig.json",
        ".hidden.md",
        ".hidden.md.sig.json",
        ".git/x.md",
        ".git/x.md.sig.json",
        "sub/.y.txt",
    ] {
        touch(&r.join(f));
    }
    let found = discover(&[r.to_path_buf()], &mut &b""[..]).unwrap();
    assert_eq!(
        names(&found, r),
        vec![
            ("a.md".into(), "signed".into()),
            ("b.txt".into(), "unsigned".into()),
            ("c.pdf".into(), "signed".into()),
            ("sub/deeper/f.markdown".into(), "signed".into()),
            ("sub/e.MD".into(), "unsigned".into()),
        ]
    );
}

#[test]
fn orphans_and_directories_named_like_documents_are_errors() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    touch(&r.join("gone.md.sig.json"));
    fs::create_dir(r.join("dir.md")).unwrap();
    touch(&r.join("dir.md.sig.json"));
    touch(&r.join("dir.md/inner.txt"));
    let found = discover(&[r.to_path_buf()], &mut &b""[..]).unwrap();
    let n = names(&found, r);
    assert_eq!(n.len(), 3, "{n:?}");
    assert_eq!(n[0].0, "dir.md");
    assert!(n[0].1.contains("is a directory, not a document"), "{n:?}");
    assert_eq!(n[1], ("dir.md/inner.txt".into(), "unsigned".into()));
    assert_eq!(n[2].0, "gone.md");
    assert!(n[2].1.contains("has no document"), "{n:?}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let t = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    touch(&outside.path().join("o.md"));
    touch(&outside.path().join("deep/p.md"));
    touch(&outside.path().join("deep/p.md.sig.json"));
    let r = t.path().join("root");
    touch(&r.join("in.md"));
    touch(&r.join("in.md.sig.json"));
    std::os::unix::fs::symlink(outside.path().join("o.md"), r.join("out.md")).unwrap();
    touch(&r.join("out.md.sig.json"));
    std::os::unix::fs::symlink(outside.path().join("deep"), r.join("linked")).unwrap();
    std::os::unix::fs::symlink(r.join("in.md"), r.join("alias.md")).unwrap();
    std::os::unix::fs::symlink(r.join("nothing"), r.join("broken.md")).unwrap();
    let found = discover(std::slice::from_ref(&r), &mut &b""[..]).unwrap();
    let n = names(&found, &r);
    assert_eq!(n.len(), 3, "{n:?}");
    assert_eq!(n[0], ("alias.md".into(), "unsigned".into()));
    assert_eq!(n[1], ("in.md".into(), "signed".into()));
    assert_eq!(n[2].0, "out.md");
    assert!(n[2].1.contains("not followed"), "{n:?}");
}

#[test]
fn named_paths_and_standard_input() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    touch(&r.join("a.bin"));
    touch(&r.join("b.md"));
    touch(&r.join("b.md.sig.json"));
    touch(&r.join(".h.md"));
    // Named explicitly: any name is a document; `X.sig.json` names `X`.
    let stdin = format!(
        "{}\r\n\n{}\n{}\n",
        r.join("b.md.sig.json").display(),
        r.join("missing.md").display(),
        r.join(".h.md").display()
    );
    let found = discover(
        &[r.join("a.bin"), PathBuf::from("-"), r.join("b.md")],
        &mut stdin.as_bytes(),
    )
    .unwrap();
    let n = names(&found, r);
    assert_eq!(n.len(), 4, "{n:?}");
    assert_eq!(n[0], (".h.md".into(), "unsigned".into()));
    assert_eq!(n[1], ("a.bin".into(), "unsigned".into()));
    assert_eq!(n[2], ("b.md".into(), "signed".into()));
    assert_eq!(n[3].0, "missing.md");
    assert!(n[3].1.starts_with("error: cannot read"), "{n:?}");
    // A path named on the command line that does not exist is a usage error.
    assert!(discover(&[r.join("missing.md")], &mut &b""[..]).is_err());
}

#[test]
fn exit_codes() {
    let mut s = AuditSummary::default();
    assert_eq!(s.exit_code(), 0);
    s.unsigned = 1;
    assert_eq!(s.exit_code(), 0);
    s.indeterminate = 1;
    assert_eq!(s.exit_code(), 3);
    s.error = 1;
    assert_eq!(s.exit_code(), 2);
    s.invalid = 1;
    assert_eq!(s.exit_code(), 1);
    let s = AuditSummary {
        unsigned: 1,
        require_signed: true,
        ..AuditSummary::default()
    };
    assert_eq!(s.exit_code(), 1);
}

/// A sink that keeps what it is given.
#[derive(Default)]
struct Collect {
    records: Vec<(
        String,
        AuditVerdict,
        Vec<&'static str>,
        Option<&'static str>,
    )>,
    summaries: Vec<AuditSummary>,
    flushes: usize,
}

impl AuditSink for Collect {
    fn record(&mut self, r: &AuditRecord<'_>) -> std::io::Result<()> {
        assert!(self.summaries.is_empty(), "a record after the summary");
        self.records.push((
            r.path.to_string(),
            r.verdict,
            r.codes().iter().map(|c| c.as_str()).collect(),
            r.first_issue().map(|(code, _)| code),
        ));
        Ok(())
    }
    fn summary(&mut self, s: &AuditSummary) -> std::io::Result<()> {
        self.summaries.push(s.clone());
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

#[test]
fn a_sink_gets_typed_records_in_path_order_then_the_summary() {
    let t = tempfile::tempdir().unwrap();
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in ["b.md", "d.md"] {
        fs::copy(ex.join("kfor-2017-q3.md"), t.path().join(name)).unwrap();
        fs::copy(
            ex.join("kfor-2017-q3.md.sig.json"),
            t.path().join(format!("{name}.sig.json")),
        )
        .unwrap();
    }
    touch(&t.path().join("a.md"));
    touch(&t.path().join("c.md.sig.json"));
    let opts = AuditOptions {
        paths: vec![t.path().to_path_buf()],
        // No key is trusted: the signed documents are indeterminate.
        store: TrustStore::empty(&t.path().join("keys")),
        jobs: Some(2),
        json: false,
        fail_fast: false,
        require_signed: false,
        strict: false,
        quiet: false,
        color: false,
        null: false,
        hidden: false,
        allow_empty: false,
        require_timestamp: false,
        allow_stale_crl: false,
    };
    let mut sink = Collect::default();
    let s = run_with_sink_from(&opts, &mut &b""[..], &mut sink, &|_, _| {}).unwrap();
    let names: Vec<(String, AuditVerdict)> = sink
        .records
        .iter()
        .map(|(p, v, ..)| (p.rsplit('/').next().unwrap().to_owned(), *v))
        .collect();
    assert_eq!(
        names,
        [
            ("a.md".to_owned(), AuditVerdict::Unsigned),
            ("b.md".to_owned(), AuditVerdict::Indeterminate),
            ("c.md".to_owned(), AuditVerdict::Error),
            ("d.md".to_owned(), AuditVerdict::Indeterminate),
        ]
    );
    let (_, _, codes, first) = &sink.records[1];
    assert!(codes.contains(&"unknown-key"), "{codes:?}");
    assert_eq!(*first, Some(codes[0]));
    assert!(sink.records[0].2.is_empty() && sink.records[0].3.is_none());
    assert_eq!(sink.summaries, std::slice::from_ref(&s));
    assert_eq!((s.documents, s.found, s.unsigned, s.error), (4, 4, 1, 1));
    assert_eq!((s.indeterminate, s.signatures), (2, 4));
    assert!(sink.flushes >= 2);
}

#[test]
fn empty_audit() {
    let t = tempfile::tempdir().unwrap();
    let opts = AuditOptions {
        paths: vec![t.path().to_path_buf()],
        store: TrustStore::empty(&t.path().join("keys")),
        jobs: Some(1),
        json: true,
        fail_fast: false,
        require_signed: false,
        strict: false,
        quiet: false,
        color: false,
        null: false,
        hidden: false,
        allow_empty: false,
        require_timestamp: false,
        allow_stale_crl: false,
    };
    // No document: an error naming the directory, unless --allow-empty.
    touch(&t.path().join(".archive/t.md"));
    let err = run_json(&opts, &mut Vec::new()).unwrap_err().to_string();
    assert!(err.contains("no documents found under"), "{err}");
    assert!(err.contains(&t.path().display().to_string()), "{err}");
    assert!(err.contains("1 hidden entry skipped"), "{err}");
    let opts = AuditOptions {
        allow_empty: true,
        require_timestamp: false,
        allow_stale_crl: false,
        ..opts
    };
    let mut out = Vec::new();
    let s = run_json(&opts, &mut out).unwrap();
    assert_eq!(s.skipped_hidden, 1);
    assert_eq!(s.documents, 0);
    assert_eq!(s.exit_code(), 0);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["type"], "summary");
    assert_eq!(v["documents"], 0);
    assert_eq!(v["skipped_hidden"], 1);
    let bad = AuditOptions {
        jobs: Some(0),
        ..opts
    };
    assert!(run_json(&bad, &mut Vec::new()).is_err());
}

/// An audit with the JSON Lines printer into `out`, no paths read from standard input.
fn run_json(opts: &AuditOptions, out: &mut Vec<u8>) -> Result<AuditSummary, Error> {
    let mut printer = crate::render::audit::JsonPrinter::new(out);
    run_with_sink_from(opts, &mut &b""[..], &mut printer, &|_, _| {})
}
