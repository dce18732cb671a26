//! CLI tests: `keygen`, `sign`, `wrap`, `extract`, the seed's workflow end to end, and the
//! refusals (each checks the exit code, the message and that no file changed).

use crate::common::*;
use predicates::prelude::*;
use std::path::Path;
use transmittal::sigfile::SignatureFile;

const DOC: &str = "kfor-2017-q3.md";

fn seed_text() -> String {
    std::fs::read_to_string(root().join("examples/kfor-2017-q3.md")).unwrap()
}

/// NATO's own document: the letter and the enclosed report (the seed from the NATO letter on).
fn nato_text(seed: &str) -> String {
    seed[seed.find("In accordance with paragraph 20").unwrap()..].to_owned()
}

/// The UN cover letter (heading to signature line).
fn un_cover_text(seed: &str) -> String {
    let a = seed.find("**Letter dated 25 October").unwrap();
    let b = seed.find("(Signed) António **Guterres**").unwrap();
    format!("{}(Signed) António **Guterres**\n", &seed[a..b])
}

fn run_ok(dir: &Path, args: &[&str]) {
    bin().current_dir(dir).args(args).assert().code(0);
}

/// The real workflow: NATO signs (18 October 2017), the UN wraps and signs (25 October 2017).
/// Returns the directory holding nato.md, un.md and their signature files.
fn workflow(dir: &Path, nato: &str) {
    std::fs::write(dir.join("nato.md"), nato).unwrap();
    std::fs::write(dir.join("un-cover.md"), un_cover_text(&seed_text())).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "--letter-date",
            "2017-10-18",
        ],
    );
    run_ok(
        dir,
        &[
            "wrap",
            "--inner",
            "nato.md",
            "--cover",
            "un-cover.md",
            "--heading",
            "Annex",
            "--original",
            "English",
            "--out",
            "un.md",
        ],
    );
    run_ok(
        dir,
        &[
            "sign",
            "un.md",
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ],
    );
}

#[test]
fn seed_workflow_end_to_end() {
    let d = example_dir();
    let dir = d.path();
    let seed = seed_text();
    std::fs::write(dir.join("nato.md"), nato_text(&seed)).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "--letter-date",
            "2017-10-18",
        ],
    );
    let (code, r) = verify_json(dir, "nato.md");
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(r["layers"].as_array().unwrap().len(), 2);

    std::fs::write(dir.join("un-cover.md"), un_cover_text(&seed)).unwrap();
    run_ok(
        dir,
        &[
            "wrap",
            "--inner",
            "nato.md",
            "--cover",
            "un-cover.md",
            "--heading",
            "Annex",
            "--original",
            "English",
            "--out",
            "un.md",
        ],
    );
    // The inner signature verifies; the outer layer awaits its signatory.
    let (code, r) = verify_json(dir, "un.md");
    assert_eq!(code, 3, "{:?}", codes(&r));
    assert_eq!(r["layers"][1]["status"], "valid");
    assert!(codes(&r).contains(&"missing-signature".to_owned()));

    run_ok(
        dir,
        &[
            "sign",
            "un.md",
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ],
    );
    let (code, r) = verify_json(dir, "un.md");
    assert_eq!(code, 0, "{:?}", codes(&r));

    // Same canonical content hashes as the seed document's layers.
    let (_, seed_report) = verify_json(dir, DOC);
    for i in 0..3 {
        assert_eq!(
            r["layers"][i]["content_sha256"], seed_report["layers"][i]["content_sha256"],
            "layer {i}"
        );
        assert_eq!(
            r["layers"][i]["chain_sha256"], seed_report["layers"][i]["chain_sha256"],
            "layer {i}"
        );
    }
    // The publisher adds the header: nothing breaks, and the signature file is the example's.
    let header: String = seed.lines().take(9).map(|l| format!("{l}\n")).collect();
    let un = std::fs::read_to_string(dir.join("un.md")).unwrap();
    std::fs::write(dir.join("published.md"), format!("{header}{un}")).unwrap();
    std::fs::copy(
        dir.join("un.md.sig.json"),
        dir.join("published.md.sig.json"),
    )
    .unwrap();
    let (code, _) = verify_json(dir, "published.md");
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(dir.join("un.md.sig.json")).unwrap(),
        std::fs::read(root().join("examples/kfor-2017-q3.md.sig.json")).unwrap(),
        "the workflow reproduces the example's signature file byte for byte"
    );

    // Extract NATO's letter again: it verifies as the 2-layer chain it is.
    run_ok(
        dir,
        &[
            "extract",
            "published.md",
            "--layer",
            "1",
            "--out",
            "part.md",
        ],
    );
    let (code, r) = verify_json(dir, "part.md");
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(r["layers"].as_array().unwrap().len(), 2);
    assert_eq!(r["layers"][0]["kind"], "cover");
    assert_eq!(
        r["layers"][0]["signatures"][0]["signer"],
        "Jens Stoltenberg"
    );
}

#[test]
fn example_signature_file_is_reproducible() {
    let d = example_dir();
    let dir = d.path();
    std::fs::remove_file(dir.join("kfor-2017-q3.md.sig.json")).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            DOC,
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
    );
    run_ok(
        dir,
        &[
            "sign",
            DOC,
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ],
    );
    assert_eq!(
        std::fs::read(dir.join("kfor-2017-q3.md.sig.json")).unwrap(),
        std::fs::read(root().join("examples/kfor-2017-q3.md.sig.json")).unwrap()
    );
}

/// Run a command that must be refused (exit `code`, stderr containing `msg`) and check that no
/// file in `dir` changed.
fn refused(dir: &Path, args: &[&str], code: i32, msg: &str) {
    let before = snapshot(dir);
    bin()
        .current_dir(dir)
        .args(args)
        .assert()
        .code(code)
        .stderr(predicate::str::contains(msg));
    assert_eq!(
        snapshot(dir),
        before,
        "a refused command changed files: {args:?}"
    );
}

#[test]
fn refuses_a_key_whose_identity_does_not_match() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("kfor-2017-q3.md.sig.json")).unwrap();
    refused(
        d.path(),
        &[
            "sign",
            DOC,
            "--key",
            "demo-keys/stoltenberg.key",
            "--layer",
            "0",
            "--date",
            "2017-10-25",
        ],
        1,
        "identity does not match",
    );
}

#[test]
fn refuses_outside_the_validity_window() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("kfor-2017-q3.md.sig.json")).unwrap();
    refused(
        d.path(),
        &[
            "sign",
            DOC,
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2025-01-01",
        ],
        1,
        "expired on 2024-09-30",
    );
    refused(
        d.path(),
        &[
            "sign",
            DOC,
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2016-12-31",
            "--layer",
            "0",
        ],
        1,
        "valid from 2017-01-01",
    );
}

#[test]
fn refuses_invisible_characters_unless_allowed() {
    let d = example_dir();
    std::fs::write(
        d.path().join("nato.md"),
        nato_text(&seed_text()).replacen("please", "ple\u{202e}ase", 1),
    )
    .unwrap();
    refused(
        d.path(),
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
        1,
        "U+202E",
    );
    run_ok(
        d.path(),
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
}

#[test]
fn refuses_to_countersign_an_unsigned_inner_layer() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("kfor-2017-q3.md.sig.json")).unwrap();
    refused(
        d.path(),
        &[
            "sign",
            DOC,
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ],
        1,
        "not signed although a signature is expected",
    );
}

#[test]
fn refuses_to_countersign_a_broken_chain() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text(&seed_text())).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
    );
    std::fs::write(dir.join("un-cover.md"), un_cover_text(&seed_text())).unwrap();
    run_ok(
        dir,
        &[
            "wrap",
            "--inner",
            "nato.md",
            "--cover",
            "un-cover.md",
            "--heading",
            "Annex",
            "--out",
            "un.md",
        ],
    );
    let un = std::fs::read_to_string(dir.join("un.md")).unwrap();
    std::fs::write(dir.join("un.md"), un.replace("4,100", "4,600")).unwrap();
    refused(
        dir,
        &[
            "sign",
            "un.md",
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ],
        1,
        "refusing to countersign",
    );
}

#[test]
fn refuses_to_countersign_an_untrusted_chain() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text(&seed_text())).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
    );
    std::fs::write(dir.join("un-cover.md"), un_cover_text(&seed_text())).unwrap();
    run_ok(
        dir,
        &[
            "wrap",
            "--inner",
            "nato.md",
            "--cover",
            "un-cover.md",
            "--heading",
            "Annex",
            "--out",
            "un.md",
        ],
    );
    std::fs::remove_file(dir.join("keys/stoltenberg.pub.json")).unwrap();
    refused(
        dir,
        &[
            "sign",
            "un.md",
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ],
        1,
        "not trusted",
    );
}

#[test]
fn refuses_a_group_readable_key() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("kfor-2017-q3.md.sig.json")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            d.path().join("demo-keys/stoltenberg.key"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        refused(
            d.path(),
            &[
                "sign",
                DOC,
                "--key",
                "demo-keys/stoltenberg.key",
                "--date",
                "2017-10-18",
            ],
            2,
            "chmod 600",
        );
    }
}

#[test]
fn refuses_an_inferred_structure_without_confirmation() {
    let d = example_dir();
    let doc =
        root().join("tests/data/corpus/KFOR-report-2016-04-01_to_2016-06-30_letter-2016-08-15.md");
    std::fs::copy(doc, d.path().join("nh.md")).unwrap();
    // No "Annex"/"Enclosure" headings: the boundaries are inferred from letter headings.
    let args = [
        "sign",
        "nh.md",
        "--key",
        "demo-keys/stoltenberg.key",
        "--date",
        "2016-07-22",
    ];
    refused(d.path(), &args, 1, "--accept-structure");
    let mut confirmed = args.to_vec();
    confirmed.push("--accept-structure");
    run_ok(d.path(), &confirmed);
    let (_, r) = verify_json(d.path(), "nh.md");
    assert_eq!(r["layers"][1]["status"], "valid", "{:?}", codes(&r));
}

#[test]
fn keygen_writes_private_keys_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    let args = [
        "keygen",
        "--id",
        "un-sg",
        "--name",
        "António Guterres",
        "--valid-from",
        "2017-01-01",
        "--unencrypted",
        "--out-dir",
        "k",
        "--secret-dir",
        "s",
    ];
    run_ok(d.path(), &args);
    assert!(!d.path().join("k/un-sg.key").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.path().join("s/un-sg.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(d.path().join("s"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    refused(d.path(), &args, 2, "exists already");
    // An encrypted key round trip through sign, and a wrong passphrase.
    let k = d.path().join("k");
    bin()
        .current_dir(&k)
        .env("TRANSMITTAL_PASSPHRASE", "correct horse")
        .args([
            "keygen",
            "--id",
            "enc",
            "--name",
            "Jens Stoltenberg",
            "--out-dir",
            ".",
            "--secret-dir",
            "../s",
        ])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(d.path().join("s/enc.key")).unwrap();
    assert!(text.contains("\"encryption\"") && !text.contains("\"secret_key\""));
    std::fs::write(
        k.join("letter.md"),
        "A letter.\n\n(Signed) Jens Stoltenberg\n",
    )
    .unwrap();
    bin()
        .current_dir(&k)
        .env("TRANSMITTAL_PASSPHRASE", "wrong")
        .args(["sign", "letter.md", "--key", "../s/enc.key", "--keys", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("wrong passphrase"));
    assert!(!k.join("letter.md.sig.json").exists());
    bin()
        .current_dir(&k)
        .env("TRANSMITTAL_PASSPHRASE", "correct horse")
        .args(["sign", "letter.md", "--key", "../s/enc.key", "--keys", "."])
        .assert()
        .code(0);
    bin()
        .current_dir(&k)
        .args(["verify", "letter.md", "--keys", "."])
        .assert()
        .code(0);
}

/// Without --secret-dir the secret key goes to the user's folder
/// ($XDG_CONFIG_HOME/transmittal/secret, else ~/.config/transmittal/secret), made private (0700);
/// only the public entry goes to the trust store, and `sign --key` takes the key from there.
#[test]
fn keygen_keeps_the_secret_key_out_of_the_trust_store() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let keygen = |envs: &[(&str, &Path)], id: &str| {
        bin()
            .current_dir(dir)
            .envs(envs.iter().copied())
            .args(["keygen", "--id", id, "--name", "Jens Stoltenberg"])
            .args(["--unencrypted", "--out-dir", "keys", "--force"])
            .assert()
            .code(0)
            .stderr(predicate::str::contains("secret/"));
    };
    keygen(&[("XDG_CONFIG_HOME", &dir.join("config"))], "a");
    let secret = dir.join("config/transmittal/secret");
    assert!(secret.join("a.key").exists());
    assert!(!dir.join("keys/a.key").exists() && dir.join("keys/a.pub.json").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&secret), 0o700);
        assert_eq!(mode(&secret.join("a.key")), 0o600);
    }
    // An empty XDG_CONFIG_HOME is ignored: HOME/.config.
    let home = dir.join("home");
    keygen(&[("XDG_CONFIG_HOME", Path::new("")), ("HOME", &home)], "b");
    let key = dir.join("home/.config/transmittal/secret/b.key");
    assert!(key.exists());
    std::fs::write(dir.join("l.md"), "A letter.\n\n(Signed) Jens Stoltenberg\n").unwrap();
    bin()
        .current_dir(dir)
        .args([
            "sign",
            "l.md",
            "--keys",
            "keys",
            "--accept-structure",
            "--key",
        ])
        .arg(&key)
        .assert()
        .code(0);
}

/// keygen refuses a trust store for the secret key (the --out-dir itself, or any directory
/// holding entries), before a passphrase is asked for, and writes nothing.
#[test]
fn keygen_refuses_to_write_a_secret_key_into_a_trust_store() {
    let d = example_dir();
    let dir = d.path();
    for (out_dir, secret_dir) in [
        ("new", "new"),
        ("new", "./new/"),
        ("new", "keys"),
        (".", "."),
        // A folder below a store travels with it when the store is copied or published.
        ("new", "new/private"),
        ("keys", "keys/private"),
        ("keys", "./keys/a/b"),
    ] {
        let before = snapshot(dir);
        bin()
            .current_dir(dir)
            .env("TRANSMITTAL_PASSPHRASE", "pw")
            .args(["keygen", "--id", "x", "--name", "X", "--out-dir", out_dir])
            .args(["--secret-dir", secret_dir])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("refusing to write the secret key")
                    .and(predicate::str::contains("is a trust store"))
                    .and(predicate::str::contains("--secret-dir")),
            );
        assert_eq!(snapshot(dir), before, "{out_dir} {secret_dir}");
        assert!(!dir.join("new").exists());
    }
}

/// The user's secret folder is shared by every trust store: `keygen --force` for an id that
/// another store's key already uses there is refused (it would silently destroy that store's
/// secret key); regenerating the key of the entry it replaces, in the same store, is allowed.
#[test]
fn keygen_force_never_replaces_another_stores_secret_key() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let keygen = |store: &str, force: bool| {
        let mut c = bin();
        c.current_dir(dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .args([
                "keygen",
                "--id",
                "ann",
                "--name",
                "Ann Lee",
                "--unencrypted",
            ])
            .args(["--out-dir", store]);
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    keygen("storeA", false).code(0);
    let secret = dir.join("config/transmittal/secret/ann.key");
    let before = std::fs::read(&secret).unwrap();
    keygen("storeB", false)
        .code(2)
        .stderr(predicate::str::contains("--force"));
    keygen("storeB", true).code(2).stderr(
        predicate::str::contains("holds another secret key")
            .and(predicate::str::contains("--secret-dir")),
    );
    assert_eq!(
        std::fs::read(&secret).unwrap(),
        before,
        "the secret key is kept"
    );
    assert!(!dir.join("storeB/ann.pub.json").exists(), "nothing written");
    // The same store's own entry: replaced together with its secret key.
    keygen("storeA", true).code(0);
    assert_ne!(std::fs::read(&secret).unwrap(), before);
}

#[test]
fn several_signers_of_one_layer() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let doc = root().join("tests/data/corpus/S-2016-142.md");
    std::fs::copy(&doc, dir.join("jim.md")).unwrap();
    for (id, name) in [
        ("gamba", "Virginia Gamba"),
        ("neritani", "Adrian Neritani"),
        ("schanze", "Eberhard Schanze"),
    ] {
        run_ok(
            dir,
            &[
                "keygen",
                "--id",
                id,
                "--name",
                name,
                "--unencrypted",
                "--out-dir",
                "keys",
                "--secret-dir",
                "secret",
            ],
        );
        run_ok(
            dir,
            &[
                "sign",
                "jim.md",
                "--key",
                &format!("secret/{id}.key"),
                "--date",
                "2016-02-10",
                "--accept-structure",
            ],
        );
    }
    let (_, r) = verify_json(dir, "jim.md");
    assert_eq!(r["layers"][1]["status"], "valid", "{:?}", codes(&r));
    assert_eq!(r["layers"][1]["signatures"].as_array().unwrap().len(), 3);
    // The cover is not signed yet: indeterminate, awaiting BAN Ki-moon.
    assert_eq!(r["verdict"], "indeterminate");
}

/// A second signed NATO document that differs only in one figure, wrapped by the UN.
fn variant(dir: &Path) {
    let seed = seed_text();
    workflow(dir, &nato_text(&seed).replace("4,100", "4,200"));
}

#[test]
fn swapped_annex_and_moved_cover_are_chain_mismatch() {
    let d = example_dir();
    let dir = d.path();
    let v = tempfile::tempdir_in(dir).unwrap();
    crate::common::copy_dir(&dir.join("demo-keys"), &v.path().join("demo-keys"));
    crate::common::copy_dir(&dir.join("keys"), &v.path().join("keys"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for k in ["stoltenberg", "guterres"] {
            std::fs::set_permissions(
                v.path().join(format!("demo-keys/{k}.key")),
                std::fs::Permissions::from_mode(0o600),
            )
            .unwrap();
        }
    }
    variant(v.path());
    let other: SignatureFile =
        SignatureFile::from_json(&std::fs::read(v.path().join("un.md.sig.json")).unwrap()).unwrap();
    let mine: SignatureFile =
        SignatureFile::from_json(&std::fs::read(dir.join("kfor-2017-q3.md.sig.json")).unwrap())
            .unwrap();

    // 1. Swapped annex: the example's cover and its signature over the other NATO document.
    let seed = seed_text();
    let un_other = std::fs::read_to_string(v.path().join("un.md")).unwrap();
    let mut f = other.clone();
    f.layers[0] = mine.layers[0].clone();
    transmittal::sign::rechain(&mut f.layers);
    std::fs::write(
        dir.join("swapped.md"),
        format!(
            "{}{}",
            &seed[..seed.find("Annex\n").unwrap()],
            &un_other[un_other.find("Annex\n").unwrap()..]
        ),
    )
    .unwrap();
    std::fs::write(dir.join("swapped.md.sig.json"), f.to_json()).unwrap();
    let (code, r) = verify_json(dir, "swapped.md");
    assert_eq!(code, 1);
    let c = codes(&r);
    assert!(c.contains(&"chain-mismatch".to_owned()), "{c:?}");
    assert_eq!(
        r["layers"][1]["status"], "valid",
        "the swapped-in annex itself is genuine"
    );

    // 2. A signature copied from another document onto this one's annex.
    let mut f = mine.clone();
    f.layers[1].signatures = other.layers[1].signatures.clone();
    std::fs::copy(dir.join(DOC), dir.join("copied.md")).unwrap();
    std::fs::write(dir.join("copied.md.sig.json"), f.to_json()).unwrap();
    let (code, r) = verify_json(dir, "copied.md");
    assert_eq!(code, 1);
    let c = codes(&r);
    // Genuine, same letter text, but signed over another report beneath.
    assert!(c.contains(&"chain-mismatch".to_owned()), "{c:?}");
    assert!(c.contains(&"inner-signatures-changed".to_owned()), "{c:?}");
    assert_eq!(r["layers"][1]["status"], "invalid");
}

#[test]
fn extract_never_presents_the_longer_chain() {
    let d = example_dir();
    run_ok(
        d.path(),
        &["extract", DOC, "--layer", "2", "--out", "report.md"],
    );
    let (code, r) = verify_json(d.path(), "report.md");
    // The report alone carries no signature of its own: nothing covers it.
    assert_eq!(code, 1);
    assert_eq!(r["layers"].as_array().unwrap().len(), 1);
    assert!(codes(&r).contains(&"uncovered-text".to_owned()));
    // The full signature file does not fit the cut-out document.
    std::fs::copy(
        d.path().join("kfor-2017-q3.md.sig.json"),
        d.path().join("report.md.sig.json"),
    )
    .unwrap();
    let (code, _) = verify_json(d.path(), "report.md");
    assert_eq!(code, 1);
}

#[test]
fn inspect_shows_the_evidence_for_every_finding() {
    let doc =
        root().join("tests/data/corpus/KFOR-report-2016-04-01_to_2016-06-30_letter-2016-08-15.md");
    let o = bin()
        .args(["inspect", "--json"])
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let layers = v["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    // No heading words: the inner boundaries are inferred, the signatures certain.
    assert_eq!(layers[0]["confidence"], "certain");
    assert_eq!(layers[1]["confidence"], "inferred");
    for l in layers {
        let ev = l["evidence"].as_array().unwrap();
        for e in ev {
            assert!(
                e["line"].as_u64().unwrap() >= 1 && e["column"].as_u64().unwrap() >= 1,
                "{e}"
            );
            assert!(["certain", "inferred"].contains(&e["confidence"].as_str().unwrap()));
            assert!(!e["cue"].as_str().unwrap().is_empty());
        }
        let has = |what: &str| ev.iter().any(|e| e["what"] == what);
        if l["index"] != 0 {
            assert!(
                has("boundary"),
                "layer {} has no boundary evidence",
                l["index"]
            );
        }
        for s in l["signatories"].as_array().unwrap() {
            assert!(ev.iter().any(|e| e["what"] == "signatory"
                && e["value"] == *s
                && e["confidence"] == "certain"));
        }
        if !l["date"].is_null() {
            assert!(ev
                .iter()
                .any(|e| e["what"] == "date" && e["value"] == l["date"]));
        }
    }
    // The annex date comes from the cover letter, and says so.
    let d = layers[1]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["what"] == "date")
        .unwrap();
    assert_eq!(d["value"], "2016-07-22");
    assert_eq!(d["confidence"], "inferred");
    // The human view shows the cues too.
    bin()
        .args(["inspect"])
        .arg(&doc)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("(boundary inferred)"))
        .stdout(predicate::str::contains("\"(Signed)\" mark"));
}
