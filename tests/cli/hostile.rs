//! CLI tests: hostile input (issue 5). Empty, binary, non-UTF-8, huge and deeply nested inputs
//! to `inspect`, `hash`, `verify`, `sign`, `wrap` and `extract`: each gives a clear error (exit 2)
//! or a verdict, never a panic or a stack overflow, within bounded memory.
//!
//! Sizes: the full sizes of the issue (a 200 MB single line, 2 million short lines) when the tests
//! run against a release build (`cargo test --release --test cli hostile`); a tenth of that in
//! debug builds, where the unoptimized binary is 10-50 times slower, so that the module stays
//! under a minute. Peak memory is checked with `/usr/bin/time` when it is installed (the bound is
//! generous: a multiple of the input size; `docs/SECURITY.md` "Memory bounds" has the measured
//! figures of the release binary).

use crate::common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

const DOC: &str = "kfor-2017-q3.md";
const SIG: &str = "kfor-2017-q3.md.sig.json";

/// Full-size inputs only in release builds.
fn full_size() -> bool {
    !cfg!(debug_assertions)
}

/// The binary's path (for runs through `/usr/bin/time` or a shell).
fn bin_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_transmittal"))
}

/// Run the binary in `dir` and check it did not panic or crash: exit 0-3, no "panicked", no
/// stack overflow. With `/usr/bin/time` installed, also returns the peak RSS in KiB.
fn run(dir: &Path, args: &[&str]) -> (Output, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = std::process::Command::new(time);
        c.args(["-f", "peak-rss-kib=%M"]).arg(bin_path());
        c
    } else {
        std::process::Command::new(bin_path())
    };
    let o = cmd
        .current_dir(dir)
        .args(args)
        .envs(TEST_ENV)
        .env_remove("TRANSMITTAL_PASSPHRASE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let mut rss = None;
    let mut rest = String::new();
    for line in stderr.lines() {
        match line.strip_prefix("peak-rss-kib=") {
            Some(v) => rss = v.trim().parse().ok(),
            None if line.starts_with("Command exited with non-zero status") => {}
            None => {
                rest.push_str(line);
                rest.push('\n');
            }
        }
    }
    assert!(!rest.contains("panicked"), "{args:?} panicked: {rest}");
    assert!(!rest.contains("overflow"), "{args:?}: {rest}");
    let code = o.status.code();
    assert!(
        matches!(code, Some(0..=3)),
        "{args:?} ended with {:?} (killed by a signal?): {rest}",
        o.status
    );
    (
        Output {
            status: o.status,
            stdout: o.stdout,
            stderr: rest.into_bytes(),
        },
        rss,
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One line of error, naming the file.
fn clear_error(o: &Output, what: &str) {
    assert_eq!(code(o), 2, "{what}: {}", stderr(o));
    let e = stderr(o);
    assert!(e.starts_with("transmittal: error: "), "{what}: {e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{what}: one line: {e}");
}

fn verdict(o: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(o)));
    v["verdict"].as_str().unwrap().to_owned()
}

/// Assert peak RSS (KiB) is below `factor` × `input` bytes + 64 MiB.
fn bounded(rss: Option<u64>, input: u64, factor: u64, what: &str) {
    if let Some(kib) = rss {
        let limit = (input * factor + (64 << 20)) / 1024;
        assert!(kib <= limit, "{what}: peak RSS {kib} KiB > {limit} KiB");
    }
}

fn sign_args<'a>(doc: &'a str, key: &'a str) -> Vec<&'a str> {
    vec![
        "sign",
        doc,
        "--key",
        key,
        "--date",
        "2017-10-18",
        "--accept-structure",
    ]
}

/// A deterministic pseudo-random byte stream.
fn junk(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------

#[test]
fn empty_and_blank_documents() {
    let d = example_dir();
    let dir = d.path();
    for (name, bytes) in [
        ("empty.md", &b""[..]),
        ("blank.md", &b"\n\n \t\r\n\xc2\xa0\n"[..]),
        ("bom.md", &b"\xef\xbb\xbf"[..]),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
        let (o, _) = run(dir, &["inspect", name, "--json"]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        // At most one empty layer, with no leaves.
        let layers = v["layers"].as_array().unwrap();
        assert!(layers.len() <= 1, "{name}: {layers:?}");
        for l in layers {
            assert_eq!(l["leaves"], 0, "{name}");
            assert_eq!(
                l["content_sha256"],
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            );
        }
        let (o, _) = run(dir, &["hash", name]);
        assert_eq!(code(&o), 0, "{name}");
        // No signature file: a clear error.
        let (o, _) = run(dir, &["verify", name]);
        clear_error(&o, name);
        assert!(stderr(&o).contains("no signature file"));
        // Someone else's signature file: every layer is missing.
        let (o, _) = run(dir, &["verify", name, "--sig", SIG, "--json"]);
        assert_eq!(code(&o), 1, "{name}");
        assert_eq!(verdict(&o), "invalid");
        // An empty signature file: malformed.
        std::fs::write(dir.join("empty.sig.json"), b"").unwrap();
        let (o, _) = run(dir, &["verify", name, "--sig", "empty.sig.json", "--json"]);
        assert_eq!(code(&o), 1, "{name}");
        // Nothing to sign.
        let before = snapshot(dir);
        let (o, _) = run(dir, &sign_args(name, "demo-keys/stoltenberg.key"));
        assert_eq!(code(&o), 1, "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("empty"), "{}", stderr(&o));
        assert_eq!(snapshot(dir), before);
    }
    // An empty signature file next to the example, and an empty cover for wrap.
    std::fs::write(dir.join(SIG), b"").unwrap();
    let (o, _) = run(dir, &["verify", DOC, "--json"]);
    assert_eq!(code(&o), 1);
    let (o, _) = run(dir, &sign_args(DOC, "demo-keys/stoltenberg.key"));
    clear_error(&o, "sign with an empty signature file");
    let (o, _) = run(dir, &["extract", DOC, "--layer", "1", "--out", "x.md"]);
    clear_error(&o, "extract with an empty signature file");
    std::fs::copy(root().join("examples").join(SIG), dir.join(SIG)).unwrap();
    let (o, _) = run(
        dir,
        &[
            "wrap",
            "--inner",
            DOC,
            "--cover",
            "empty.md",
            "--heading",
            "Annex",
            "--out",
            "w.md",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    // Empty key file and trust-store entry.
    std::fs::write(dir.join("empty.key"), b"").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("empty.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    let (o, _) = run(dir, &sign_args(DOC, "empty.key"));
    clear_error(&o, "empty key file");
    std::fs::write(dir.join("keys/empty.pub.json"), b"").unwrap();
    let (o, _) = run(dir, &["verify", DOC]);
    clear_error(&o, "empty trust-store entry");
}

#[test]
fn binary_junk_and_non_utf8() {
    let d = example_dir();
    let dir = d.path();
    let mut cases: Vec<(&str, Vec<u8>, u64)> = vec![
        ("junk.md", junk(1 << 20, 7), 0),
        ("ff.md", b"Letter\n\xff\n".to_vec(), 7),
        ("overlong.md", b"Letter \xc0\xaf\n".to_vec(), 7),
        ("surrogate.md", b"Letter \xed\xa0\x80\n".to_vec(), 7),
        ("truncated.md", b"Letter \xe2\x82".to_vec(), 7),
        ("latin1.md", b"Ant\xf3nio Guterres\n".to_vec(), 3),
        ("utf16.md", b"\xff\xfeL\x00e\x00t\x00".to_vec(), 0),
    ];
    // Junk whose first invalid byte is further in.
    let mut late = b"Letter\n\n".repeat(1000);
    late.extend(junk(4096, 9));
    let off = std::str::from_utf8(&late).unwrap_err().valid_up_to() as u64;
    cases.push(("late.md", late, off));
    for (name, bytes, offset) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        let junk_off = std::str::from_utf8(bytes).unwrap_err().valid_up_to() as u64;
        assert_eq!(
            junk_off,
            if *name == "junk.md" {
                junk_off
            } else {
                *offset
            }
        );
        for args in [
            vec!["inspect", name],
            vec!["hash", name],
            vec!["verify", name, "--sig", SIG],
            sign_args(name, "demo-keys/stoltenberg.key"),
        ] {
            let before = snapshot(dir);
            let (o, _) = run(dir, &args);
            clear_error(&o, &format!("{args:?}"));
            let e = stderr(&o);
            assert!(
                e.contains(name) && e.contains(&format!("offset {junk_off}")),
                "{args:?}: {e}"
            );
            assert_eq!(snapshot(dir), before);
        }
    }
    // Junk as the signature file: malformed, a verdict.
    std::fs::write(dir.join(SIG), junk(1 << 20, 11)).unwrap();
    let (o, _) = run(dir, &["verify", DOC, "--json"]);
    assert_eq!(code(&o), 1);
    assert_eq!(verdict(&o), "invalid");
    // Junk as a key file and as a trust-store entry: clear errors.
    std::fs::copy(root().join("examples").join(SIG), dir.join(SIG)).unwrap();
    std::fs::write(dir.join("junk.key"), junk(4096, 13)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("junk.key"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }
    let (o, _) = run(dir, &sign_args(DOC, "junk.key"));
    clear_error(&o, "junk key");
    std::fs::write(dir.join("keys/junk.pub.json"), junk(4096, 17)).unwrap();
    let (o, _) = run(dir, &["verify", DOC]);
    clear_error(&o, "junk trust-store entry");
}

/// Valid UTF-8 made of control characters: a verdict, with the invisible characters listed.
#[test]
fn control_characters_are_text_not_errors() {
    let d = example_dir();
    let dir = d.path();
    let mut s = String::from("Letter\n");
    for c in (0u32..0x20).chain([0x7f, 0x85, 0x2028, 0x2029, 0x202e, 0xfeff]) {
        s.push(char::from_u32(c).unwrap());
        if c == 0x0a || c == 0x0d {
            // A visible character after each line break: a line of only VT and FF would be
            // blank to the canonical profile but not to Markdown (`ambiguous-blank-line`).
            s.push('x');
        }
    }
    s.push_str("\n\n(Signed) Jens Stoltenberg\n");
    std::fs::write(dir.join("ctl.md"), &s).unwrap();
    let (o, _) = run(dir, &["inspect", "ctl.md", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["invisible_characters"].as_array().unwrap().len() >= 25);
    let (o, _) = run(dir, &sign_args("ctl.md", "demo-keys/stoltenberg.key"));
    assert_eq!(
        code(&o),
        1,
        "refused without --allow-invisible: {}",
        stderr(&o)
    );
    let mut args = sign_args("ctl.md", "demo-keys/stoltenberg.key");
    args.push("--allow-invisible");
    let (o, _) = run(dir, &args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (o, _) = run(dir, &["verify", "ctl.md", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (o, _) = run(dir, &["verify", "ctl.md", "--strict"]);
    assert_eq!(code(&o), 1);
}

/// A 200 MB single line (8 MB in debug builds): inspected, signed and verified, in bounded
/// memory.
#[test]
fn one_huge_line() {
    let d = example_dir();
    let dir = d.path();
    let size: usize = if full_size() { 200 << 20 } else { 8 << 20 };
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("line.md")).unwrap());
        f.write_all(b"(Signed) Jens Stoltenberg").unwrap();
        let chunk = b" word".repeat(1 << 16);
        let mut n = 25;
        while n + chunk.len() <= size {
            f.write_all(&chunk).unwrap();
            n += chunk.len();
        }
        f.write_all(b"\n").unwrap();
    }
    let len = std::fs::metadata(dir.join("line.md")).unwrap().len();
    let (o, rss) = run(dir, &["inspect", "line.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    bounded(rss, len, 4, "inspect");
    let (o, rss) = run(dir, &["verify", "line.md", "--sig", SIG, "--json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(verdict(&o), "invalid");
    bounded(rss, len, 6, "verify against another signature file");
    let (o, rss) = run(dir, &sign_args("line.md", "demo-keys/stoltenberg.key"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    bounded(rss, len, 6, "sign");
    let (o, rss) = run(dir, &["verify", "line.md", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(verdict(&o), "valid");
    bounded(rss, len, 6, "verify");
}

/// 2 million short lines (100,000 in debug builds), one paragraph each.
#[test]
fn millions_of_short_lines() {
    let d = example_dir();
    let dir = d.path();
    let lines: usize = if full_size() { 2_000_000 } else { 100_000 };
    // Blank lines between: one leaf per two lines, so the signature file stays under its limit
    // (see `signature_file_of_a_signed_document_stays_readable` for one leaf per line).
    let mut text = String::with_capacity(lines * 4 + 64);
    text.push_str("Letter\n\n");
    for i in 0..lines / 2 - 2 {
        text.push_str(if i % 2 == 0 { "a\n\n" } else { "b.\n\n" });
    }
    text.push_str("(Signed) Jens Stoltenberg\n");
    std::fs::write(dir.join("lines.md"), &text).unwrap();
    let len = text.len() as u64;
    let (o, rss) = run(dir, &["inspect", "lines.md", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    bounded(rss, len, 40, "inspect");
    // (Against another document's signature file: see `many_lines_against_another_layout`.)
    let (o, rss) = run(dir, &sign_args("lines.md", "demo-keys/stoltenberg.key"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    bounded(rss, len, 150, "sign");
    let (o, rss) = run(dir, &["verify", "lines.md", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(verdict(&o), "valid");
    bounded(rss, len, 150, "verify");
    // One line changed in the middle: pinpointed.
    let changed = text.replacen("b.\n\na\n\nb.\n\n(Signed)", "b.\n\nX\n\nb.\n\n(Signed)", 1);
    assert_ne!(changed, text);
    std::fs::write(dir.join("lines.md"), &changed).unwrap();
    let (o, _) = run(dir, &["verify", "lines.md", "--json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &v["layers"][0]["problems"][0];
    assert_eq!(p["code"], "content-changed", "{p}");
    let line = (lines - 5) as u64;
    assert_eq!(p["lines"], serde_json::json!([[line, line]]), "{p}");
}

/// A document of many lines verified against the signature file of another document (its parts
/// do not fit, so the signed leaves are aligned with the document's): the alignment must stay
/// near-linear. 100,000 leaves take 18 s in a release build and 3 minutes in a debug build today
/// (20,000 take 0.8 s: quadratic), so a hostile document of 1 GiB of short lines would hold
/// `verify` or `audit` for days.
#[test]
fn many_lines_against_another_layout() {
    let d = example_dir();
    let dir = d.path();
    let mut text = String::from("Letter\n\n");
    for i in 0..100_000 {
        text.push_str(if i % 2 == 0 { "a\n\n" } else { "b.\n\n" });
    }
    std::fs::write(dir.join("lines.md"), &text).unwrap();
    let t = std::time::Instant::now();
    let (o, _) = run(dir, &["verify", "lines.md", "--sig", SIG, "--json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(verdict(&o), "invalid");
    // Linear work is well under a second in release and a few seconds in debug.
    let limit = if full_size() { 5 } else { 30 };
    assert!(t.elapsed().as_secs() < limit, "took {:?}", t.elapsed());
}

/// A document whose every line is a leaf, with more than 1.6 million lines: `sign` must not
/// write a signature file that `verify` then refuses to read (64 MiB limit). It takes 2 million
/// leaves to get there, which takes more than a minute in a debug build: it runs in release
/// builds (`cargo test --release --test cli hostile`), or with `-- --ignored`.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "slow in debug builds (2 million leaves); runs with --release"
)]
fn signature_file_of_a_signed_document_stays_readable() {
    let d = example_dir();
    let dir = d.path();
    let mut text = String::from("Letter\n\n");
    text.push_str(&"a\n".repeat(2_000_000));
    text.push_str("\n(Signed) Jens Stoltenberg\n");
    std::fs::write(dir.join("lines.md"), &text).unwrap();
    let (o, _) = run(dir, &sign_args("lines.md", "demo-keys/stoltenberg.key"));
    if code(&o) == 0 {
        let (o, _) = run(dir, &["verify", "lines.md"]);
        assert_eq!(code(&o), 0, "signed, but not verifiable: {}", stderr(&o));
    } else {
        // A refusal is fine too, if it is clear (one line, exit 1 or 2) and leaves nothing behind.
        assert!(matches!(code(&o), 1 | 2), "{}", stderr(&o));
        assert_eq!(stderr(&o).trim_end().lines().count(), 1, "{}", stderr(&o));
        assert!(!dir.join("lines.md.sig.json").exists());
        assert!(std::fs::read_dir(dir).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".transmittal-")));
    }
}

/// 100 nested layers, each an "Annex"-headed letter with a "(Signed)" line: inspected, then
/// verified against the unsigned signature file the library builds from the parser's proposal
/// (`records_from_structure` + `to_json`): indeterminate (every signature is missing), never a
/// crash. And 2,000 layers for good measure (no recursion over the depth).
#[test]
fn hundred_nested_layers() {
    for depth in [100usize, 2000] {
        let d = example_dir();
        let dir = d.path();
        let mut text = String::new();
        for i in 0..depth {
            if i > 0 {
                text.push_str("Annex\n\n");
            }
            text.push_str(&format!(
                "Letter number {i} addressed to the Secretary-General\n\nI have the honour to transmit the annexed letter.\n\n(Signed) Person {i}\n\n"
            ));
        }
        std::fs::write(dir.join("deep.md"), &text).unwrap();
        let (o, _) = run(dir, &["inspect", "deep.md", "--json"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["layers"].as_array().unwrap().len(), depth);
        // The records sign would start from.
        let doc = transmittal::canonical::canonicalize(text.as_bytes()).unwrap();
        let s = transmittal::parser::propose(&doc);
        assert_eq!(s.layers.len(), depth);
        let f = transmittal::sigfile::SignatureFile {
            profile: transmittal::canonical::PROFILE.to_owned(),
            layers: transmittal::sign::records_from_structure(&doc, &s),
        };
        std::fs::write(dir.join("deep.md.sig.json"), f.to_json()).unwrap();
        let (o, _) = run(dir, &["verify", "deep.md", "--json"]);
        // No signature at all: `no-signature` (invalid), and every "(Signed)" name is missing.
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["verdict"], "invalid");
        assert_eq!(v["layers"].as_array().unwrap().len(), depth);
        let c = codes(&v);
        assert_eq!(c.len(), depth + 1);
        assert_eq!(
            c.iter().filter(|c| *c == "no-signature").count(),
            1,
            "{c:?}"
        );
        assert_eq!(
            c.iter().filter(|c| *c == "missing-signature").count(),
            depth,
            "{c:?}"
        );
        // The innermost letter signed by its signatory, through the CLI.
        let inner = format!("Person {}", depth - 1);
        let (o, _) = run(
            dir,
            &[
                "keygen",
                "--id",
                "inner",
                "--name",
                &inner,
                "--unencrypted",
                "--out-dir",
                "keys",
                "--secret-dir",
                "secret",
            ],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let (o, _) = run(dir, &sign_args("deep.md", "secret/inner.key"));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let (o, _) = run(dir, &["verify", "deep.md", "--json"]);
        assert_eq!(code(&o), 3);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["layers"][depth - 1]["status"], "valid");
        if depth > 100 {
            break;
        }
    }
}

/// A 100 MB signature file is refused before it is read (64 MiB limit); one just under the limit
/// is parsed in bounded memory.
#[test]
fn huge_signature_files() {
    let d = example_dir();
    let dir = d.path();
    // Sparse, outside `dir` (so that `snapshot` does not read it).
    let elsewhere = tempfile::tempdir().unwrap();
    let huge = elsewhere.path().join("huge.sig.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let huge = huge.to_str().unwrap();
    for args in [
        vec!["verify", DOC, "--sig", huge],
        vec![
            "sign",
            DOC,
            "--sig",
            huge,
            "--key",
            "demo-keys/stoltenberg.key",
        ],
        vec![
            "extract", DOC, "--sig", huge, "--layer", "1", "--out", "x.md",
        ],
        vec![
            "wrap",
            "--inner",
            DOC,
            "--inner-sig",
            huge,
            "--cover",
            DOC,
            "--heading",
            "Annex",
            "--out",
            "w.md",
        ],
    ] {
        let before = snapshot(dir);
        let (o, rss) = run(dir, &args);
        clear_error(&o, &format!("{args:?}"));
        assert!(
            stderr(&o).contains("larger than the limit"),
            "{}",
            stderr(&o)
        );
        bounded(rss, 0, 0, "refused before reading");
        assert_eq!(snapshot(dir), before);
    }
    // 60 MB: the example's file padded with white space (valid JSON: verifies), and one whose
    // `leaves` is 60 MB of base64 that does not hash to the root (malformed).
    let mut padded = std::fs::read(dir.join(SIG)).unwrap();
    padded.extend(std::iter::repeat(b' ').take(60 << 20));
    std::fs::write(dir.join(SIG), &padded).unwrap();
    let (o, rss) = run(dir, &["verify", DOC, "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    bounded(rss, 60 << 20, 3, "padded signature file");
    let example = std::fs::read_to_string(root().join("examples").join(SIG)).unwrap();
    let at = example.find("\"leaves\": \"").unwrap() + "\"leaves\": \"".len();
    let big = format!(
        "{}{}{}",
        &example[..at],
        "A".repeat(60 << 20),
        &example[at..]
    );
    std::fs::write(dir.join(SIG), big).unwrap();
    let (o, rss) = run(dir, &["verify", DOC, "--json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(verdict(&o), "invalid");
    bounded(rss, 60 << 20, 4, "60 MB of leaves");
}

/// JSON nested 10,000 deep, in each JSON input: no stack overflow.
#[test]
fn deeply_nested_json() {
    let d = example_dir();
    let dir = d.path();
    let deep = |open: &str, close: &str| format!("{}{}", open.repeat(10_000), close.repeat(10_000));
    let inputs = [
        deep("[", "]"),
        deep("{\"a\":", "}"),
        format!("{{\"format\":\"transmittal-signatures-v1\",\"profile\":\"transmittal-text-v1\",\"layers\":{}}}", deep("[", "]")),
        format!("{{\"format\":\"transmittal-signatures-v1\",\"x\":{}}}", deep("[", "]")),
        "[".repeat(10_000),
    ];
    for (i, json) in inputs.iter().enumerate() {
        std::fs::write(dir.join(SIG), json).unwrap();
        let (o, _) = run(dir, &["verify", DOC, "--json"]);
        assert_eq!(code(&o), 1, "input {i}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(codes(&v), ["malformed-signature-file"], "input {i}");
        let (o, _) = run(dir, &sign_args(DOC, "demo-keys/stoltenberg.key"));
        clear_error(&o, &format!("sign, input {i}"));
    }
    std::fs::copy(root().join("examples").join(SIG), dir.join(SIG)).unwrap();
    // As a trust-store entry and as a key file.
    std::fs::write(dir.join("keys/deep.pub.json"), &inputs[1]).unwrap();
    let (o, _) = run(dir, &["verify", DOC]);
    clear_error(&o, "deep trust-store entry");
    std::fs::remove_file(dir.join("keys/deep.pub.json")).unwrap();
    std::fs::write(dir.join("deep.key"), &inputs[1]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("deep.key"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }
    let (o, _) = run(dir, &sign_args(DOC, "deep.key"));
    clear_error(&o, "deep key file");
}

/// Duplicate keys: the second value must never silently win (nor the first): refused.
#[test]
fn duplicate_json_keys() {
    let example = std::fs::read_to_string(root().join("examples").join(SIG)).unwrap();
    let cases = [
        (
            "format",
            example.replacen(
                "\"profile\"",
                "\"format\": \"transmittal-signatures-v1\",\n  \"profile\"",
                1,
            ),
        ),
        (
            "profile",
            example.replacen(
                "\"layers\"",
                "\"profile\": \"transmittal-text-v1\",\n  \"layers\"",
                1,
            ),
        ),
        (
            "layers",
            example.trim_end().strip_suffix('}').unwrap().to_owned() + ", \"layers\": []}",
        ),
        (
            "kind",
            example.replacen(
                "\"kind\": \"annex\"",
                "\"kind\": \"annex\", \"kind\": \"cover\"",
                1,
            ),
        ),
        (
            "bytes",
            example.replacen("\"bytes\": 2136", "\"bytes\": 2136, \"bytes\": 2136", 1),
        ),
        (
            "signer",
            example.replacen(
                "\"signer\": \"stoltenberg\"",
                "\"signer\": \"stoltenberg\", \"signer\": \"stoltenberg\"",
                1,
            ),
        ),
    ];
    for (name, json) in cases {
        assert_ne!(json, example, "{name}");
        let d = example_dir();
        std::fs::write(d.path().join(SIG), json).unwrap();
        let (o, _) = run(d.path(), &["verify", DOC, "--json"]);
        assert_eq!(code(&o), 1, "{name}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(codes(&v), ["malformed-signature-file"], "{name}");
    }
    // In a trust-store entry: a second public key.
    let d = example_dir();
    let p = d.path().join("keys/stoltenberg.pub.json");
    let e = std::fs::read_to_string(&p).unwrap();
    let dup = e.replacen(
        "\"fingerprint\"",
        &format!(
            "\"public_key\": \"{}\",\n  \"fingerprint\"",
            "11".repeat(32)
        ),
        1,
    );
    std::fs::write(&p, dup).unwrap();
    let (o, _) = run(d.path(), &["verify", DOC]);
    clear_error(&o, "duplicate key in a trust-store entry");
    // In a secret key file: a second secret.
    let d = example_dir();
    let p = d.path().join("demo-keys/stoltenberg.key");
    let k = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        k.replacen(
            "\"secret_key\"",
            &format!("\"secret_key\": \"{}\",\n  \"secret_key\"", "22".repeat(32)),
            1,
        ),
    )
    .unwrap();
    std::fs::remove_file(d.path().join(SIG)).unwrap();
    let (o, _) = run(d.path(), &sign_args(DOC, "demo-keys/stoltenberg.key"));
    clear_error(&o, "duplicate key in a secret key file");
}

/// 400-digit numbers wherever a number goes (see also `attacks::wrapping_*`).
#[test]
fn four_hundred_digit_numbers() {
    let big = format!("9{}", "9".repeat(399));
    let example = std::fs::read_to_string(root().join("examples").join(SIG)).unwrap();
    for (from, to) in [
        ("\"index\": 0", format!("\"index\": {big}")),
        ("\"bytes\": 631", format!("\"bytes\": {big}")),
        ("\"tail_bytes\": 9", format!("\"tail_bytes\": {big}")),
        ("\"bytes\": 631", format!("\"bytes\": -{big}")),
        ("\"bytes\": 631", format!("\"bytes\": 0.{big}")),
        ("\"bytes\": 631", format!("\"bytes\": 1e{big}")),
    ] {
        assert!(example.contains(from), "{from}");
        let d = example_dir();
        std::fs::write(d.path().join(SIG), example.replacen(from, &to, 1)).unwrap();
        let (o, _) = run(d.path(), &["verify", DOC, "--json"]);
        assert_eq!(code(&o), 1, "{from}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(codes(&v), ["malformed-signature-file"], "{from}");
    }
    // In an encrypted key file's KDF parameters.
    let d = tempfile::tempdir().unwrap();
    let (o, _) = run(
        d.path(),
        &[
            "keygen",
            "--id",
            "k",
            "--name",
            "Jens Stoltenberg",
            "--unencrypted",
            "--out-dir",
            "store",
            "--secret-dir",
            "s",
        ],
    );
    assert_eq!(code(&o), 0);
    let p = d.path().join("s/k.key");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    v["secret_key"] = serde_json::Value::Null;
    let text = serde_json::to_string(&v)
        .unwrap()
        .replace("\"secret_key\":null", &format!("\"encryption\":{{\"kdf\":\"scrypt\",\"log_n\":{big},\"r\":8,\"p\":1,\"salt\":\"{}\",\"cipher\":\"chacha20poly1305\",\"nonce\":\"{}\"}},\"encrypted_secret_key\":\"{}\"", "00".repeat(16), "00".repeat(12), "00".repeat(48)));
    std::fs::write(&p, text).unwrap();
    std::fs::write(d.path().join("a.md"), "A.\n\n(Signed) Jens Stoltenberg\n").unwrap();
    let (o, _) = run(
        d.path(),
        &["sign", "a.md", "--key", "s/k.key", "--keys", "store"],
    );
    clear_error(&o, "400-digit log_n");
}

/// Regression for `fuzz/findings/parse_document-unsigned-valid`: the records the parser proposes
/// for this input (`records_from_structure`, no signature) verified as `valid` with an empty trust
/// store, because its only layer is empty and the rest passes for a publication header.
#[test]
fn fuzz_finding_unsigned_records_are_never_valid() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let bytes = std::fs::read(root().join("fuzz/findings/parse_document-unsigned-valid")).unwrap();
    std::fs::write(dir.join("f.md"), &bytes).unwrap();
    let doc = transmittal::canonical::canonicalize(&bytes).unwrap();
    let s = transmittal::parser::propose(&doc);
    let f = transmittal::sigfile::SignatureFile {
        profile: transmittal::canonical::PROFILE.to_owned(),
        layers: transmittal::sign::records_from_structure(&doc, &s),
    };
    std::fs::write(dir.join("f.md.sig.json"), f.to_json()).unwrap();
    // No trust store anywhere: empty.
    let o = bin()
        .current_dir(dir)
        .env_remove("TRANSMITTAL_KEYS")
        .args(["verify", "f.md", "--json"])
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c <= 3), "{o:?}");
    assert_ne!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    assert_ne!(verdict(&o), "valid");
}
