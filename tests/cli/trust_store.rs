//! Which trust store is used, and what goes into it: the search order (`--keys`,
//! `TRANSMITTAL_KEYS`, the user's store, the system store; never `./keys`), named stores that are
//! missing or empty, writable stores, alternative spellings of names, and `allowed_signers`
//! imports.

use crate::common::*;
use std::path::Path;
use std::process::Output;

const DOC: &str = "kfor-2017-q3.md";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The binary in `dir` with no store named: `TRANSMITTAL_KEYS` removed, and the user's
/// configuration directory set to `config` (which may not exist).
fn unnamed(dir: &Path, config: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.current_dir(dir)
        .env_remove("TRANSMITTAL_KEYS")
        .env("XDG_CONFIG_HOME", config);
    c
}

fn out(c: &mut assert_cmd::Command, args: &[&str]) -> Output {
    c.args(args).output().unwrap()
}

/// An OpenSSH public key line for the Ed25519 key `pk`.
fn ssh_line(pk: [u8; 32]) -> String {
    let k = ssh_key::PublicKey::new(
        ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(pk)),
        "",
    );
    k.to_openssh().unwrap().trim().to_owned()
}

/// The Ed25519 public key `n` (a fixed seed per `n`).
fn pk(n: u8) -> [u8; 32] {
    transmittal::keys::SecretKey::from_seed(&[n; 32], None, None).public_key()
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A received bundle (document, signature file, keys/) verified in its own folder with no store
/// named does not vouch for itself: its keys/ is not read, the signatures are unknown keys
/// (indeterminate, exit 3), and `keys list` says no store was found and where it looked.
#[test]
fn bundle_in_its_own_folder_does_not_vouch_for_itself() {
    let d = example_dir();
    let config = d.path().join("no-config");
    let o = out(&mut unnamed(d.path(), &config), &["verify", DOC, "--json"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(codes(&r).iter().any(|c| c == "unknown-key"), "{r}");
    let o = out(&mut unnamed(d.path(), &config), &["keys", "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let listing = text(&o.stdout);
    assert!(
        listing.contains("none found (looked in: ")
            && listing.contains(&config.join("transmittal/keys").display().to_string())
            && listing.contains("/etc/transmittal/keys")
            && listing.contains(": 0 entries"),
        "{listing}"
    );
    // Naming it is what makes it trusted.
    let o = out(
        &mut unnamed(d.path(), &config),
        &["verify", DOC, "--keys", "keys"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// `--keys DIR` naming a directory that does not exist: exit 2, the message names it and says how
/// to fix it.
#[test]
fn named_store_missing_is_an_error() {
    let d = example_dir();
    for args in [
        &["verify", DOC, "--keys", "missing-dir"][..],
        &["keys", "list", "--keys", "missing-dir"][..],
        &["audit", ".", "--keys", "missing-dir"][..],
    ] {
        let o = out(bin().current_dir(d.path()), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = text(&o.stderr);
        assert!(
            e.contains("trust store missing-dir (--keys) does not exist")
                && e.contains("transmittal keys import")
                && e.contains("--keys"),
            "{args:?}: {e}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// `TRANSMITTAL_KEYS` naming an empty directory: exit 2 (a named store must hold entries).
#[test]
fn env_store_empty_is_an_error() {
    let d = example_dir();
    std::fs::create_dir(d.path().join("empty-dir")).unwrap();
    let o = out(
        bin()
            .current_dir(d.path())
            .env("TRANSMITTAL_KEYS", "empty-dir"),
        &["verify", DOC],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("trust store empty-dir (TRANSMITTAL_KEYS) holds no entries"),
        "{e}"
    );
    // An empty TRANSMITTAL_KEYS names nothing: the search goes on (here: no store, exit 3).
    let o = out(
        bin().current_dir(d.path()).env("TRANSMITTAL_KEYS", ""),
        &["verify", DOC],
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    // --keys wins over TRANSMITTAL_KEYS.
    let o = out(
        bin()
            .current_dir(d.path())
            .env("TRANSMITTAL_KEYS", "empty-dir"),
        &["verify", DOC, "--keys", "keys"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// With no store named, the user's store is used: `$XDG_CONFIG_HOME/transmittal/keys`, else
/// `$HOME/.config/transmittal/keys`.
#[test]
fn user_store_used_without_flag() {
    let d = example_dir();
    let config = d.path().join("config");
    let store = config.join("transmittal/keys");
    copy_dir(&d.path().join("keys"), &store);
    let o = out(&mut unnamed(d.path(), &config), &["verify", DOC]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = out(&mut unnamed(d.path(), &config), &["keys", "list"]);
    assert!(
        text(&o.stdout).starts_with(&format!(
            "trust store {} (user store): 2 entries",
            store.display()
        )),
        "{}",
        text(&o.stdout)
    );
    // XDG_CONFIG_HOME empty: HOME/.config.
    let o = out(
        bin()
            .current_dir(d.path())
            .env_remove("TRANSMITTAL_KEYS")
            .env("XDG_CONFIG_HOME", "")
            .env("HOME", d.path()),
        &["keys", "list", "--json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["keys"], serde_json::json!([]), "no ~/.config store yet");
    assert_eq!(v["store"], serde_json::Value::Null);
    std::fs::rename(&config, d.path().join(".config")).unwrap();
    let o = out(
        bin()
            .current_dir(d.path())
            .env_remove("TRANSMITTAL_KEYS")
            .env("XDG_CONFIG_HOME", "")
            .env("HOME", d.path()),
        &["verify", DOC],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// A store directory or entry file writable by group or others is refused: exit 2, naming the path
/// and the `chmod` that fixes it.
#[cfg(unix)]
#[test]
fn group_writable_store_refused() {
    let d = example_dir();
    let keys = d.path().join("keys");
    set_mode(&keys, 0o775);
    let o = out(
        bin().current_dir(d.path()),
        &["verify", DOC, "--keys", "keys"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("keys is writable by group or others (mode 775)")
            && e.contains("chmod go-w keys"),
        "{e}"
    );
    set_mode(&keys, 0o755);
    let entry = keys.join("stoltenberg.pub.json");
    set_mode(&entry, 0o666);
    let o = out(
        bin().current_dir(d.path()),
        &["keys", "list", "--keys", "keys"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(e.contains("chmod go-w keys/stoltenberg.pub.json"), "{e}");
    // Writing into it is refused too.
    let o = out(
        bin().current_dir(d.path()),
        &[
            "keys",
            "revoke",
            "stoltenberg",
            "--at",
            "2030-01-01",
            "--reason",
            "retired",
            "--keys",
            "keys",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    set_mode(&entry, 0o644);
    let o = out(
        bin().current_dir(d.path()),
        &["verify", DOC, "--keys", "keys"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// `keys import` with no store named writes to the user's store, creating it private (0700).
#[test]
fn import_without_store_writes_the_user_store() {
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("config");
    std::fs::write(d.path().join("me.pub"), format!("{}\n", ssh_line(pk(1)))).unwrap();
    let o = out(
        &mut unnamed(d.path(), &config),
        &[
            "keys",
            "import",
            "--ssh",
            "me.pub",
            "--id",
            "me",
            "--name",
            "Jens Stoltenberg",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let store = config.join("transmittal/keys");
    assert!(store.join("me.pub.json").is_file());
    #[cfg(unix)]
    assert_eq!(mode(&store), 0o700);
    let o = out(&mut unnamed(d.path(), &config), &["keys", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "transmittal-keys-v2");
    assert_eq!(v["keys"][0]["id"], "me");
    assert_eq!(v["keys"].as_array().map(Vec::len), Some(1));
}

/// `also_known_as`: set by `keygen --also-known-as` and `keys import --also-known-as`, shown by
/// `keys list`, absent from entries that have none (the demo entries are unchanged).
#[test]
fn also_known_as_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let o = out(
        bin().current_dir(d.path()),
        &[
            "keygen",
            "--id",
            "annan",
            "--name",
            "Kofi Annan",
            "--also-known-as",
            "Kofi A. Annan",
            "--also-known-as",
            "K. A. Annan",
            "--out-dir",
            "store",
            "--secret-dir",
            "secret",
            "--unencrypted",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let entry = std::fs::read_to_string(d.path().join("store/annan.pub.json")).unwrap();
    assert!(
        entry.contains("\"also_known_as\": [\n    \"Kofi A. Annan\",\n    \"K. A. Annan\"\n  ]"),
        "{entry}"
    );
    let o = out(
        bin().current_dir(d.path()),
        &["keys", "list", "--keys", "store"],
    );
    assert!(
        text(&o.stdout).contains("Kofi Annan (also: Kofi A. Annan; K. A. Annan)"),
        "{}",
        text(&o.stdout)
    );
    let o = out(
        bin().current_dir(d.path()),
        &["keys", "list", "--keys", "store", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["keys"][0]["also_known_as"],
        serde_json::json!(["Kofi A. Annan", "K. A. Annan"])
    );
    // Import sets it too; a duplicate of the name is refused (exit 2, nothing written).
    std::fs::write(d.path().join("k.pub"), ssh_line(pk(2))).unwrap();
    let import = |alt: &str| {
        out(
            bin().current_dir(d.path()),
            &[
                "keys",
                "import",
                "--ssh",
                "k.pub",
                "--id",
                "annan2",
                "--name",
                "Kofi Annan",
                "--also-known-as",
                alt,
                "--keys",
                "store",
            ],
        )
    };
    let o = import("KOFI  ANNAN");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("duplicate"), "{}", text(&o.stderr));
    assert!(!d.path().join("store/annan2.pub.json").exists());
    let o = import("Kofi Atta Annan");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = out(
        bin().current_dir(d.path()),
        &["keys", "list", "--keys", "store", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["keys"][1]["also_known_as"],
        serde_json::json!(["Kofi Atta Annan"])
    );
    // Entries without alternative spellings do not carry the field.
    for e in std::fs::read_dir(root().join("keys")).unwrap() {
        let t = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(!t.contains("also_known_as"));
    }
}

/// An allowed_signers file: lines restricted to another namespace and non-Ed25519 keys are
/// skipped with a warning naming the line; `--name` is required and honoured; a file naming
/// several principals needs `--principal`.
#[test]
fn allowed_signers_import_rules() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::write(
        dir.join("allowed_signers"),
        format!(
            "jens@nato.int namespaces=\"git\" {}\n\
             jens@nato.int namespaces=\"transmittal,git\" {}\n\
             jens@nato.int ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ==\n\
             antonio@un.org {}\n",
            ssh_line(pk(1)),
            ssh_line(pk(2)),
            ssh_line(pk(3)),
        ),
    )
    .unwrap();
    let import = |extra: &[&str]| {
        out(
            bin().current_dir(dir),
            &[
                &[
                    "keys",
                    "import",
                    "--allowed-signers",
                    "allowed_signers",
                    "--keys",
                    "store",
                ],
                extra,
            ]
            .concat(),
        )
    };
    // Several principals, no --principal: refused, listing them.
    let o = import(&["--name", "Jens Stoltenberg"]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("several principals (\"jens@nato.int\", \"antonio@un.org\")")
            && e.contains("--principal"),
        "{e}"
    );
    // No --name: refused with the reason.
    let o = import(&["--principal", "jens@nato.int"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("allowed_signers principals are not names; give --name"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        !dir.join("store").exists(),
        "a refused import created the store"
    );
    // Chosen principal, --id and --name honoured: only the "transmittal,git" key is imported.
    let o = import(&[
        "--principal",
        "jens@nato.int",
        "--id",
        "jens",
        "--name",
        "Jens Stoltenberg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    assert!(
        e.contains("transmittal: warning: allowed_signers: line 1: skipped: namespaces=\"git\""),
        "{e}"
    );
    assert!(
        e.contains("transmittal: warning: allowed_signers: line 3: skipped: key type \"ssh-rsa\""),
        "{e}"
    );
    let o = out(
        bin().current_dir(dir),
        &["keys", "list", "--keys", "store", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["keys"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["keys"][0]["id"], "jens");
    assert_eq!(v["keys"][0]["name"], "Jens Stoltenberg");
    assert_eq!(v["keys"][0]["public_key"], hex::encode(pk(2)));
    // A file whose only line is for another namespace yields nothing: an error.
    std::fs::write(
        dir.join("git_only"),
        format!("a@x namespaces=\"git\" {}\n", ssh_line(pk(4))),
    )
    .unwrap();
    let o = out(
        bin().current_dir(dir),
        &[
            "keys",
            "import",
            "--allowed-signers",
            "git_only",
            "--name",
            "A",
            "--keys",
            "store",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("no importable key") && e.contains("line 1"),
        "{e}"
    );
}
