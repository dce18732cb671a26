//! `transmittal man`: every page, the file set `--out-dir` writes, rendering without warnings;
//! and `--passphrase-file` / `TRANSMITTAL_PASSPHRASE` for encrypted keys.

use crate::common::bin;
use predicates::prelude::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const PAGES: &[&str] = &[
    "transmittal",
    "transmittal-inspect",
    "transmittal-hash",
    "transmittal-verify",
    "transmittal-show",
    "transmittal-sign",
    "transmittal-timestamp",
    "transmittal-wrap",
    "transmittal-extract",
    "transmittal-keygen",
    "transmittal-keys",
    "transmittal-keys-list",
    "transmittal-keys-revoke",
    "transmittal-keys-import",
    "transmittal-keys-export",
    "transmittal-audit",
    "transmittal-payload",
    "transmittal-diff",
    "transmittal-completions",
    "transmittal-man",
];

#[test]
fn man_out_dir_writes_every_page_and_creates_the_directory() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("share/man/man1");
    bin().args(["man", "--out-dir"]).arg(&out).assert().code(0);
    let mut found: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut expected: Vec<String> = PAGES.iter().map(|p| format!("{p}.1")).collect();
    expected.sort();
    assert_eq!(found, expected);
    // The same bytes as printing the page.
    let printed = bin().args(["man", "keys", "import"]).output().unwrap();
    assert_eq!(
        printed.stdout,
        std::fs::read(out.join("transmittal-keys-import.1")).unwrap()
    );
}

#[test]
fn man_prints_one_page_and_refuses_unknown_commands() {
    bin()
        .args(["man", "keys", "import"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            ".TH transmittal\\-keys\\-import 1",
        ));
    bin().args(["man"]).assert().code(0).stdout(
        predicate::str::contains(".SH ENVIRONMENT").and(predicate::str::contains(".SH FILES")),
    );
    bin()
        .args(["man", "frobnicate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no command `frobnicate`"));
}

/// `MANWIDTH=80 man --warnings -l FILE` (man-db) renders every page with no warning, else
/// `mandoc -T lint`; skipped with a note when neither is installed.
#[test]
fn every_page_renders_without_warnings() {
    let has = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    let (man_db, mandoc) = (has("man"), has("mandoc"));
    if !man_db && !mandoc {
        eprintln!("note: neither man (man-db) nor mandoc is installed; man page lint skipped");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    bin()
        .args(["man", "--out-dir"])
        .arg(d.path())
        .assert()
        .code(0);
    for p in PAGES {
        let file = d.path().join(format!("{p}.1"));
        let o = if man_db {
            std::process::Command::new("man")
                .args(["--warnings", "-l"])
                .arg(&file)
                .env("MANWIDTH", "80")
                .output()
                .unwrap()
        } else {
            std::process::Command::new("mandoc")
                .args(["-T", "lint", "-W", "warning"])
                .arg(&file)
                .output()
                .unwrap()
        };
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && err.trim().is_empty(), "{p}: {err}");
        // Without a terminal, man may still embolden by overstriking ("S\x08S"): undo that.
        let mut text = String::new();
        for c in String::from_utf8_lossy(&o.stdout).chars() {
            if c == '\u{8}' {
                text.pop();
            } else {
                text.push(c);
            }
        }
        assert!(
            !man_db || text.contains("SEE ALSO"),
            "{p}: rendered page lacks SEE ALSO"
        );
    }
}

fn write_mode(path: &Path, body: &str, mode: u32) {
    std::fs::write(path, body).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A directory with an encrypted key `secret/enc.key` (passphrase "correct horse", made with
/// `keygen --passphrase-file`), its trust-store entry, and a letter signed by its holder.
fn encrypted_setup() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write_mode(&d.path().join("pass"), "correct horse\n", 0o600);
    bin()
        .current_dir(d.path())
        .args([
            "keygen",
            "--id",
            "enc",
            "--name",
            "Jens Stoltenberg",
            "--out-dir",
            "store",
            "--secret-dir",
            "secret",
            "--passphrase-file",
            "pass",
        ])
        .assert()
        .code(0);
    std::fs::write(
        d.path().join("letter.md"),
        "A letter.\n\n(Signed) Jens Stoltenberg\n",
    )
    .unwrap();
    d
}

fn sign(dir: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.current_dir(dir).args([
        "sign",
        "letter.md",
        "--key",
        "secret/enc.key",
        "--keys",
        "store",
    ]);
    c
}

#[test]
fn passphrase_file_right_wrong_and_group_readable() {
    let d = encrypted_setup();
    let p = d.path();
    write_mode(&p.join("wrong"), "not it\n", 0o600);
    sign(p)
        .args(["--passphrase-file", "wrong"])
        // The file wins over the environment, and gets one try.
        .env("TRANSMITTAL_PASSPHRASE", "correct horse")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("wrong passphrase in the passphrase file wrong")
                .and(predicate::str::contains("enc.key"))
                .and(predicate::str::contains("try again").not()),
        );
    assert!(!p.join("letter.md.sig.json").exists());
    write_mode(&p.join("shared"), "correct horse\n", 0o640);
    sign(p)
        .args(["--passphrase-file", "shared"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("passphrase file shared")
                .and(predicate::str::contains("readable by group or others")),
        );
    sign(p)
        .args(["--passphrase-file", "missing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing"));
    assert!(!p.join("letter.md.sig.json").exists());
    sign(p).args(["--passphrase-file", "pass"]).assert().code(0);
    bin()
        .current_dir(p)
        .args(["verify", "letter.md", "--keys", "store"])
        .assert()
        .code(0);
}

#[test]
fn passphrase_env_right_and_wrong() {
    let d = encrypted_setup();
    let p = d.path();
    sign(p)
        .env("TRANSMITTAL_PASSPHRASE", "wrong")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("wrong passphrase")
                .and(predicate::str::contains("TRANSMITTAL_PASSPHRASE"))
                .and(predicate::str::contains("of 3").not()),
        );
    assert!(!p.join("letter.md.sig.json").exists());
    sign(p)
        .env("TRANSMITTAL_PASSPHRASE", "correct horse")
        .assert()
        .code(0);
}

#[test]
fn keygen_passphrase_file_refusals() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write_mode(&p.join("empty"), "\n", 0o600);
    let keygen = |file: &str| {
        let mut c = bin();
        c.current_dir(p).args([
            "keygen",
            "--id",
            "k",
            "--name",
            "N",
            "--out-dir",
            "store",
            "--secret-dir",
            "secret",
            "--passphrase-file",
            file,
        ]);
        c
    };
    keygen("empty")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty first line"));
    keygen(".")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    keygen("empty").arg("--unencrypted").assert().code(2);
    assert!(!p.join("secret").exists());
}
