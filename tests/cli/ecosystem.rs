//! CLI tests: the ecosystem around the tool (issue 7).
//!
//! 1. OpenSSH keys: signing with `~/.ssh/id_ed25519` (plain or passphrase-protected), importing
//!    `.pub` files and `allowed_signers`.
//! 2. Protected secret keys: what `keygen` writes, checked against docs/FORMAT.md §8.3 with an
//!    independent decryption, and damaged key files.
//! 3. OpenSSL interoperability: `payload` and `keys export --pem` let `openssl pkeyutl` check a
//!    transmittal signature, and a signature made by OpenSSL verifies here.
//! 4. Shell conventions: completions, man page, `--help` examples, colour, `--quiet`,
//!    stdout/stderr, closed pipes, `-` for standard input.
//! 5. Errors that help: the exact exit code, stdout and stderr of the common errors, pinned with
//!    `insta` in `tests/snapshots/NAME.snap` (`cargo insta review` or `INSTA_UPDATE=always`
//!    updates them), each naming the file and what to do next.
//!
//! Tests that need `ssh-keygen`, `openssl` or `script` fail (they never skip) when the tool is
//! missing: CI installs `openssh-client` and `openssl`; `script` is part of util-linux.

use crate::common::*;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const DOC: &str = "kfor-2017-q3.md";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// NATO's own document: the seed from the NATO letter to the end.
fn nato_text() -> String {
    let seed = std::fs::read_to_string(root().join("examples/kfor-2017-q3.md")).unwrap();
    seed[seed.find("In accordance with paragraph 20").unwrap()..].to_owned()
}

/// The binary as a plain `std::process::Command` (for pipes and ptys), with the same clean
/// environment as `bin()`.
fn raw_bin() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("transmittal"));
    c.envs(TEST_ENV)
        .env_remove("TRANSMITTAL_PASSPHRASE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    c
}

/// Run an external tool in `dir`; a missing tool fails the test loudly.
fn tool(dir: &Path, prog: &str, args: &[&str]) -> Output {
    Command::new(prog)
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "`{prog}` is needed by this test and could not be run ({e}); install it \
                 (CI installs `openssl openssh-client`; `script` comes with util-linux)"
            )
        })
}

/// Run an external tool that must succeed.
fn tool_ok(dir: &Path, prog: &str, args: &[&str]) -> Output {
    let o = tool(dir, prog, args);
    assert!(
        o.status.success(),
        "`{prog} {}` failed: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Run the binary in `dir` and require exit code `code`; returns (stdout, stderr).
fn run(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let o = bin().current_dir(dir).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(code),
        "transmittal {}\nstdout: {stdout}\nstderr: {stderr}",
        args.join(" ")
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    (stdout, stderr)
}

/// `ssh-keygen -t ed25519 -N PASSPHRASE -f DIR/NAME -C test`.
fn ssh_keygen(dir: &Path, name: &str, passphrase: &str) {
    tool_ok(
        dir,
        "ssh-keygen",
        &[
            "-q", "-t", "ed25519", "-N", passphrase, "-f", name, "-C", "test",
        ],
    );
}

/// The raw Ed25519 key of an OpenSSH public key line.
fn ssh_public_key_bytes(line: &str) -> [u8; 32] {
    let b64 = line.split_whitespace().nth(1).expect("ssh public key line");
    let blob = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(
        &blob[..15],
        b"\0\0\0\x0bssh-ed25519",
        "not an ssh-ed25519 key"
    );
    blob[blob.len() - 32..].try_into().unwrap()
}

/// An OpenSSH public key line for a raw Ed25519 key (RFC 4253 string encoding).
fn ssh_line(pk: &[u8; 32], comment: &str) -> String {
    let mut blob = Vec::new();
    blob.extend_from_slice(&11u32.to_be_bytes());
    blob.extend_from_slice(b"ssh-ed25519");
    blob.extend_from_slice(&32u32.to_be_bytes());
    blob.extend_from_slice(pk);
    format!(
        "ssh-ed25519 {} {comment}\n",
        base64::engine::general_purpose::STANDARD.encode(blob)
    )
}

fn key_id(pk: &[u8; 32]) -> String {
    hex::encode(Sha256::digest(pk))[..16].to_owned()
}

/// `keys list --json` of a trust store, as a map id → entry.
fn list_keys(dir: &Path, keys: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    let (out, _) = run(dir, &["keys", "list", "--json", "--keys", keys], 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("keys list --json is JSON");
    v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_owned(), e.clone()))
        .collect()
}

/// The signature records of layer `layer` in a `verify --json` report.
fn signatures(report: &serde_json::Value, layer: usize) -> Vec<serde_json::Value> {
    report["layers"][layer]["signatures"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn has_ansi(s: &[u8]) -> bool {
    s.windows(2).any(|w| w == b"\x1b[")
}

// ---------------------------------------------------------------------------------------------
// 1. OpenSSH keys
// ---------------------------------------------------------------------------------------------

/// `ssh-keygen` makes a key; its .pub becomes a trust-store entry for "Jens Stoltenberg"; the
/// private key signs the NATO part of the example; verification is valid and names that entry.
#[test]
fn openssh_key_signs_the_nato_letter() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    ssh_keygen(dir, "id_ed25519", "");
    let pk = ssh_public_key_bytes(&std::fs::read_to_string(dir.join("id_ed25519.pub")).unwrap());

    let (out, err) = run(
        dir,
        &[
            "keys",
            "import",
            "--ssh",
            "id_ed25519.pub",
            "--id",
            "jens-ssh",
            "--name",
            "Jens Stoltenberg",
            "--title",
            "Secretary-General of NATO",
            "--org",
            "North Atlantic Treaty Organization",
            "--valid-from",
            "2014-10-01",
            "--valid-until",
            "2024-09-30",
        ],
        0,
    );
    assert!(out.is_empty(), "diagnostics belong on stderr: {out}");
    assert!(err.contains("jens-ssh.pub.json"), "{err}");
    let keys = list_keys(dir, "keys");
    let e = &keys["jens-ssh"];
    assert_eq!(e["name"], "Jens Stoltenberg");
    assert_eq!(e["title"], "Secretary-General of NATO");
    assert_eq!(e["organisation"], "North Atlantic Treaty Organization");
    assert_eq!(e["public_key"], hex::encode(pk));
    assert_eq!(e["fingerprint"], hex::encode(Sha256::digest(pk)));
    assert_eq!(e["key_id"], key_id(&pk));
    assert_eq!(e["valid_from"], "2014-10-01");
    assert_eq!(e["valid_until"], "2024-09-30");

    run(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "id_ed25519",
            "--date",
            "2017-10-18",
        ],
        0,
    );
    let (code, r) = verify_json(dir, "nato.md");
    assert_eq!(code, 0, "{:?}", codes(&r));
    let s = signatures(&r, 0);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["signer_id"], "jens-ssh");
    assert_eq!(s[0]["signer"], "Jens Stoltenberg");
    assert_eq!(s[0]["key_id"], key_id(&pk));
    assert_eq!(s[0]["signed_on"], "2017-10-18");
}

/// Giving the .pub file to `sign --key` is a usage error that says which file to give.
#[test]
fn openssh_public_key_given_as_secret_key_is_explained() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    ssh_keygen(dir, "id_ed25519", "");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("id_ed25519.pub"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    let before = snapshot(dir);
    let (_, err) = run(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "id_ed25519.pub",
            "--date",
            "2017-10-18",
        ],
        2,
    );
    assert!(
        err.contains("id_ed25519.pub") && err.contains("private key"),
        "{err}"
    );
    assert_eq!(snapshot(dir), before);
}

/// A passphrase-protected OpenSSH key: the passphrase comes from TRANSMITTAL_PASSPHRASE; a wrong
/// one is exit 2 with a clear message and no file written.
#[test]
fn passphrase_protected_openssh_key() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    ssh_keygen(dir, "id_ed25519", "secret phrase");
    run(
        dir,
        &[
            "keys",
            "import",
            "--ssh",
            "id_ed25519.pub",
            "--id",
            "jens-ssh",
            "--name",
            "Jens Stoltenberg",
        ],
        0,
    );
    let sign = [
        "sign",
        "nato.md",
        "--key",
        "id_ed25519",
        "--date",
        "2017-10-18",
    ];

    let before = snapshot(dir);
    let o = bin()
        .current_dir(dir)
        .env("TRANSMITTAL_PASSPHRASE", "wrong phrase")
        .args(sign)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(
        err.contains("id_ed25519") && err.contains("wrong passphrase"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(dir), before, "a failed sign wrote a file");
    assert!(!dir.join("nato.md.sig.json").exists());

    bin()
        .current_dir(dir)
        .env("TRANSMITTAL_PASSPHRASE", "secret phrase")
        .args(sign)
        .assert()
        .code(0);
    let (code, r) = verify_json(dir, "nato.md");
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(signatures(&r, 0)[0]["signer_id"], "jens-ssh");
}

/// An allowed_signers file with two principals (one with a validity window) becomes two entries,
/// one import per principal (`--principal`, with the name as on the "(Signed)" line), with the
/// right dates; the window is enforced when signing with the imported key.
#[test]
fn allowed_signers_import() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    ssh_keygen(dir, "jens", "");
    ssh_keygen(dir, "antonio", "");
    let pub_of = |name: &str| {
        let text = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
        let mut it = text.split_whitespace();
        format!("{} {}", it.next().unwrap(), it.next().unwrap())
    };
    let jens_pk = ssh_public_key_bytes(&pub_of("jens"));
    let antonio_pk = ssh_public_key_bytes(&pub_of("antonio"));
    std::fs::write(
        dir.join("allowed_signers"),
        format!(
            "# signers of the KFOR chain\n\n\
             jens@nato.int valid-after=\"20170101\",valid-before=\"20250101\" {} Jens Stoltenberg\n\
             antonio@un.org {}\n",
            pub_of("jens"),
            pub_of("antonio")
        ),
    )
    .unwrap();
    for (principal, name) in [
        ("jens@nato.int", "Jens Stoltenberg"),
        ("antonio@un.org", "António Guterres"),
    ] {
        let (out, err) = run(
            dir,
            &[
                "keys",
                "import",
                "--allowed-signers",
                "allowed_signers",
                "--principal",
                principal,
                "--name",
                name,
                "--keys",
                "ssh-keys",
            ],
            0,
        );
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("imported"), "{err}");
    }

    let keys = list_keys(dir, "ssh-keys");
    assert_eq!(keys.len(), 2, "{keys:?}");
    let jens = &keys["jens-nato.int"];
    assert_eq!(jens["name"], "Jens Stoltenberg");
    assert_eq!(jens["public_key"], hex::encode(jens_pk));
    assert_eq!(jens["valid_from"], "2017-01-01");
    // OpenSSH's valid-before is exclusive: the last valid day is the day before.
    assert_eq!(jens["valid_until"], "2024-12-31");
    let antonio = &keys["antonio-un.org"];
    assert_eq!(antonio["name"], "António Guterres");
    assert_eq!(antonio["public_key"], hex::encode(antonio_pk));
    assert!(antonio["valid_from"].is_null() && antonio["valid_until"].is_null());

    // The window holds when signing: 2025-01-01 is outside it, 2017-10-18 inside.
    let before = snapshot(dir);
    run(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "jens",
            "--keys",
            "ssh-keys",
            "--date",
            "2025-01-01",
        ],
        1,
    );
    assert_eq!(snapshot(dir), before);
    run(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "jens",
            "--keys",
            "ssh-keys",
            "--date",
            "2017-10-18",
        ],
        0,
    );
    bin()
        .current_dir(dir)
        .args(["verify", "nato.md", "--keys", "ssh-keys"])
        .assert()
        .code(0);
}

/// A cert-authority line is skipped with a warning that names the file and the line; without
/// `--name` the import is refused (exit 2) and nothing is written; with it, the signer's own key
/// is imported.
#[test]
fn allowed_signers_cert_authority_line_is_skipped() {
    let d = example_dir();
    let dir = d.path();
    ssh_keygen(dir, "jens", "");
    ssh_keygen(dir, "ca", "");
    let pub_of = |name: &str| {
        let text = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
        let mut it = text.split_whitespace();
        format!("{} {}", it.next().unwrap(), it.next().unwrap())
    };
    std::fs::write(
        dir.join("allowed_signers"),
        format!(
            "jens@nato.int {} Jens Stoltenberg\n\n*@nato.int cert-authority {}\n",
            pub_of("jens"),
            pub_of("ca")
        ),
    )
    .unwrap();
    let before = snapshot(dir);
    let import = ["keys", "import", "--allowed-signers", "allowed_signers"];
    let (out, err) = run(dir, &import, 2);
    assert!(out.is_empty());
    assert!(err.contains("principals are not names"), "says why: {err}");
    assert_eq!(snapshot(dir), before, "a refused import wrote entries");
    let (_, err) = run(
        dir,
        &[&import[..], &["--name", "Jens Stoltenberg"]].concat(),
        0,
    );
    assert!(
        err.contains("transmittal: warning: allowed_signers: line 3: skipped: cert-authority"),
        "names the file and the line: {err}"
    );
    let keys = list_keys(dir, "keys");
    assert_eq!(keys["jens-nato.int"]["name"], "Jens Stoltenberg");
}

// ---------------------------------------------------------------------------------------------
// 2. Protected secret keys (complements sign.rs, which has the encrypted round trip)
// ---------------------------------------------------------------------------------------------

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `keygen` encrypts by default: the file records the KDF parameters and holds no plaintext seed;
/// decrypting it as docs/FORMAT.md §8.3 says gives the seed of the recorded public key.
#[test]
fn keygen_encrypts_by_default_as_documented() {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let o = bin()
        .current_dir(dir)
        .env("TRANSMITTAL_PASSPHRASE", "correct horse")
        .args([
            "keygen",
            "--id",
            "enc",
            "--name",
            "Jens Stoltenberg",
            "--out-dir",
            "k",
            "--secret-dir",
            "s",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("encrypted"));

    let text = std::fs::read_to_string(dir.join("s/enc.key")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], "transmittal-secret-key-v1");
    assert!(v.get("secret_key").is_none(), "plaintext seed: {text}");
    let enc = &v["encryption"];
    assert_eq!(enc["kdf"], "scrypt");
    assert_eq!(enc["cipher"], "chacha20poly1305");
    let log_n = enc["log_n"].as_u64().expect("log_n") as u8;
    let r = enc["r"].as_u64().expect("r") as u32;
    let p = enc["p"].as_u64().expect("p") as u32;
    assert!(
        log_n >= 15,
        "scrypt cost too low for a default: log_n {log_n}"
    );
    let salt = enc["salt"].as_str().unwrap();
    let nonce = enc["nonce"].as_str().unwrap();
    let ct = v["encrypted_secret_key"].as_str().unwrap();
    let pk_hex = v["public_key"].as_str().unwrap();
    assert!(is_hex(salt, 32) && is_hex(nonce, 24) && is_hex(ct, 96) && is_hex(pk_hex, 64));

    // Independent decryption (FORMAT §8.3).
    let params = scrypt::Params::new(log_n, r, p, 32).unwrap();
    let mut kek = [0u8; 32];
    scrypt::scrypt(
        b"correct horse",
        &hex::decode(salt).unwrap(),
        &params,
        &mut kek,
    )
    .unwrap();
    let cipher = chacha20poly1305::ChaCha20Poly1305::new_from_slice(&kek).unwrap();
    let seed = cipher
        .decrypt(
            chacha20poly1305::Nonce::from_slice(&hex::decode(nonce).unwrap()),
            Payload {
                msg: &hex::decode(ct).unwrap(),
                aad: pk_hex.as_bytes(),
            },
        )
        .expect("the key decrypts as FORMAT.md §8.3 documents");
    let seed: [u8; 32] = seed.as_slice().try_into().unwrap();
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    assert_eq!(hex::encode(signing.verifying_key().to_bytes()), pk_hex);
    assert!(
        !text.contains(&hex::encode(seed)),
        "the seed appears in clear"
    );

    // The trust-store entry holds the same key.
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("k/enc.pub.json")).unwrap())
            .unwrap();
    assert_eq!(entry["public_key"], pk_hex);
}

/// `--unencrypted` writes the seed in clear (and it belongs to the recorded key); without
/// `--unencrypted`, an empty TRANSMITTAL_PASSPHRASE is refused and nothing is written.
#[test]
fn keygen_unencrypted_and_empty_passphrase() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    run(
        dir,
        &[
            "keygen",
            "--id",
            "plain",
            "--name",
            "Jens Stoltenberg",
            "--unencrypted",
            "--out-dir",
            "k",
            "--secret-dir",
            "s",
        ],
        0,
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("s/plain.key")).unwrap()).unwrap();
    assert!(v.get("encryption").is_none() && v.get("encrypted_secret_key").is_none());
    let seed: [u8; 32] = hex::decode(v["secret_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        hex::encode(
            ed25519_dalek::SigningKey::from_bytes(&seed)
                .verifying_key()
                .to_bytes()
        ),
        v["public_key"].as_str().unwrap()
    );

    let before = snapshot(dir);
    let o = bin()
        .current_dir(dir)
        .env("TRANSMITTAL_PASSPHRASE", "")
        .args([
            "keygen",
            "--id",
            "empty",
            "--name",
            "Jens Stoltenberg",
            "--out-dir",
            "k",
            "--secret-dir",
            "s",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("TRANSMITTAL_PASSPHRASE") && err.contains("--unencrypted"),
        "{err}"
    );
    assert_eq!(snapshot(dir), before);
}

/// A damaged encrypted key file is exit 2 with a message naming the file: never a panic, a hang
/// on absurd KDF parameters, or a signature by garbage key material.
#[test]
fn damaged_encrypted_key_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    bin()
        .current_dir(dir)
        .env("TRANSMITTAL_PASSPHRASE", "correct horse")
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
        ])
        .assert()
        .code(0);
    std::fs::write(
        dir.join("letter.md"),
        "A letter.\n\n(Signed) Jens Stoltenberg\n",
    )
    .unwrap();
    let good = std::fs::read_to_string(dir.join("secret/enc.key")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&good).unwrap();

    let flip = |s: &str| -> String {
        let mut b = s.as_bytes().to_vec();
        b[10] = if b[10] == b'0' { b'1' } else { b'0' };
        String::from_utf8(b).unwrap()
    };
    let mut cases: Vec<(&str, serde_json::Value, &str)> = Vec::new();
    let mut c = v.clone();
    c["encrypted_secret_key"] = flip(v["encrypted_secret_key"].as_str().unwrap()).into();
    cases.push(("flipped ciphertext", c, "altered"));
    let mut c = v.clone();
    c["encryption"]["salt"] = flip(v["encryption"]["salt"].as_str().unwrap()).into();
    cases.push(("flipped salt", c, "altered"));
    let mut c = v.clone();
    c["encrypted_secret_key"] = v["encrypted_secret_key"].as_str().unwrap()[..94]
        .to_owned()
        .into();
    cases.push(("truncated ciphertext", c, "encrypted_secret_key"));
    let mut c = v.clone();
    c["encryption"]["log_n"] = 40.into();
    cases.push(("absurd scrypt cost", c, "log_n"));

    for (what, bad, needle) in cases {
        std::fs::write(
            dir.join("secret/enc.key"),
            serde_json::to_string_pretty(&bad).unwrap(),
        )
        .unwrap();
        let before = snapshot(dir);
        let o = bin()
            .current_dir(dir)
            .env("TRANSMITTAL_PASSPHRASE", "correct horse")
            .args([
                "sign",
                "letter.md",
                "--key",
                "secret/enc.key",
                "--keys",
                "store",
            ])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(
            err.contains("enc.key") && err.contains(needle),
            "{what}: {err}"
        );
        assert_eq!(snapshot(dir), before, "{what}: a file changed");
    }
}

// ---------------------------------------------------------------------------------------------
// 3. OpenSSL interoperability
// ---------------------------------------------------------------------------------------------

/// `openssl pkeyutl` verifies the example's signatures from `payload` + `keys export --pem` +
/// the signature hex; a flipped payload byte fails.
#[test]
fn openssl_verifies_transmittal_signatures() {
    let d = example_dir();
    let dir = d.path();
    let sigfile: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("kfor-2017-q3.md.sig.json")).unwrap(),
    )
    .unwrap();
    for (layer, signer) in [(1usize, "stoltenberg"), (0, "guterres")] {
        let o = bin()
            .current_dir(dir)
            .args([
                "payload",
                DOC,
                "--layer",
                &layer.to_string(),
                "--signature",
                "0",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let payload = o.stdout;
        let text = String::from_utf8(payload.clone()).unwrap();
        assert!(text.starts_with("transmittal-signature-v1\nprofile transmittal-text-v1\n"));
        assert!(text.contains(&format!("\nsigner {signer}\n")), "{text}");
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
        std::fs::write(dir.join("payload.bin"), &payload).unwrap();

        let (pem, _) = run(dir, &["keys", "export", signer, "--pem"], 0);
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
        std::fs::write(dir.join("pub.pem"), &pem).unwrap();

        let sig_hex = sigfile["layers"][layer]["signatures"][0]["signature"]
            .as_str()
            .unwrap();
        let sig = hex::decode(sig_hex).unwrap();
        assert_eq!(sig.len(), 64);
        std::fs::write(dir.join("sig.bin"), &sig).unwrap();

        let verify = [
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "pub.pem",
            "-rawin",
            "-in",
            "payload.bin",
            "-sigfile",
            "sig.bin",
        ];
        let o = tool_ok(dir, "openssl", &verify);
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Signature Verified Successfully"),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );

        let mut flipped = payload.clone();
        let i = text.find("signed-on").unwrap() + 12;
        flipped[i] ^= 0x01;
        std::fs::write(dir.join("payload.bin"), &flipped).unwrap();
        let o = tool(dir, "openssl", &verify);
        assert!(
            !o.status.success(),
            "openssl accepted a changed payload (layer {layer})"
        );
        assert!(!String::from_utf8_lossy(&o.stdout).contains("Verified Successfully"));
    }
}

/// OpenSSL signs the statement `payload` writes; `payload --attach` adds the signature; the
/// document verifies with the OpenSSL key's entry as signer. A signature over another statement
/// is refused and leaves the signature file as it was.
#[test]
fn openssl_signs_a_layer() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();

    // An OpenSSL Ed25519 key and its trust-store entry (via an ssh-ed25519 line built here).
    tool_ok(
        dir,
        "openssl",
        &["genpkey", "-algorithm", "ed25519", "-out", "k.pem"],
    );
    let der = tool_ok(
        dir,
        "openssl",
        &["pkey", "-in", "k.pem", "-pubout", "-outform", "DER"],
    )
    .stdout;
    assert_eq!(der.len(), 44, "Ed25519 SubjectPublicKeyInfo is 44 bytes");
    let pk: [u8; 32] = der[12..].try_into().unwrap();
    std::fs::write(dir.join("k.pub"), ssh_line(&pk, "openssl")).unwrap();
    run(
        dir,
        &[
            "keys",
            "import",
            "--ssh",
            "k.pub",
            "--id",
            "opensslid",
            "--name",
            "Jens Stoltenberg",
        ],
        0,
    );
    let keys = list_keys(dir, "keys");
    assert_eq!(
        keys["opensslid"]["fingerprint"],
        hex::encode(Sha256::digest(pk))
    );
    // The exported PEM is the very SubjectPublicKeyInfo OpenSSL made.
    let (pem, _) = run(dir, &["keys", "export", "opensslid", "--pem"], 0);
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
        der
    );

    // The signature file's structure: sign with the demo key, then drop every signature.
    run(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
        0,
    );
    let sig_path = dir.join("nato.md.sig.json");
    let mut f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sig_path).unwrap()).unwrap();
    for l in f["layers"].as_array_mut().unwrap() {
        l["signatures"] = serde_json::json!([]);
    }
    std::fs::write(&sig_path, serde_json::to_string_pretty(&f).unwrap()).unwrap();

    let statement = |date: &str| -> Vec<u8> {
        let o = bin()
            .current_dir(dir)
            .args([
                "payload",
                "nato.md",
                "--layer",
                "0",
                "--signer",
                "opensslid",
                "--date",
                date,
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    let payload = statement("2017-10-18");
    let text = String::from_utf8(payload.clone()).unwrap();
    assert!(
        text.contains("\nsigner opensslid\n")
            && text.contains(&format!("\nkey {}\n", hex::encode(pk)))
            && text.ends_with("\nsigned-on 2017-10-18\n"),
        "{text}"
    );
    std::fs::write(dir.join("payload.bin"), &payload).unwrap();
    tool_ok(
        dir,
        "openssl",
        &[
            "pkeyutl",
            "-sign",
            "-inkey",
            "k.pem",
            "-rawin",
            "-in",
            "payload.bin",
            "-out",
            "sig.bin",
        ],
    );
    assert_eq!(std::fs::read(dir.join("sig.bin")).unwrap().len(), 64);

    // A signature over another statement (another date) is refused; nothing changes.
    std::fs::write(dir.join("other.bin"), statement("2017-10-19")).unwrap();
    tool_ok(
        dir,
        "openssl",
        &[
            "pkeyutl",
            "-sign",
            "-inkey",
            "k.pem",
            "-rawin",
            "-in",
            "other.bin",
            "-out",
            "other.sig",
        ],
    );
    let before = snapshot(dir);
    let (_, err) = run(
        dir,
        &[
            "payload",
            "nato.md",
            "--layer",
            "0",
            "--signer",
            "opensslid",
            "--date",
            "2017-10-18",
            "--attach",
            "other.sig",
        ],
        1,
    );
    assert!(
        err.contains("not added") || err.contains("not verify"),
        "{err}"
    );
    assert_eq!(snapshot(dir), before);

    let (out, err) = run(
        dir,
        &[
            "payload",
            "nato.md",
            "--layer",
            "0",
            "--signer",
            "opensslid",
            "--date",
            "2017-10-18",
            "--attach",
            "sig.bin",
        ],
        0,
    );
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("nato.md.sig.json"), "{err}");

    let (code, r) = verify_json(dir, "nato.md");
    assert_eq!(code, 0, "{:?}", codes(&r));
    let s = signatures(&r, 0);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["signer_id"], "opensslid");
    assert_eq!(s[0]["signer"], "Jens Stoltenberg");
    assert_eq!(s[0]["key_id"], key_id(&pk));
    let (human, _) = run(dir, &["verify", "nato.md", "--color", "never"], 0);
    assert!(human.contains("Jens Stoltenberg"), "{human}");

    // And the recorded statement is byte for byte what OpenSSL signed.
    let o = bin()
        .current_dir(dir)
        .args(["payload", "nato.md", "--layer", "0", "--signature", "0"])
        .output()
        .unwrap();
    assert_eq!(o.stdout, payload);
}

/// `openssl` must be there: like every test of this file, the recipe tests fail rather than
/// skip when a tool is missing (`.ci/run` installs it).
fn have_openssl(test: &str) -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "{test}: `openssl` is not installed (apt-get install openssl)"
    );
    ok
}

/// The README recipe "Signing with OpenSSL (or a hardware token)", end to end: an OpenSSL key
/// imported with `keys import --pem` makes the first signature on an unsigned copy of the NATO
/// letter (no signature file yet) via `payload` and `payload --attach`; the document verifies
/// `valid`; a signature attached with the wrong `--date` is refused with the date it was made
/// for, and nothing is written; and the reverse: OpenSSL verifies the signature from `payload`
/// (the layer's only signature by default) and `keys export --pem`.
#[test]
fn readme_openssl_recipe_first_signature() {
    if !have_openssl("readme_openssl_recipe_first_signature") {
        return;
    }
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    tool_ok(
        dir,
        "openssl",
        &["genpkey", "-algorithm", "ed25519", "-out", "key.pem"],
    );
    tool_ok(
        dir,
        "openssl",
        &["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"],
    );
    let (_, err) = run(
        dir,
        &[
            "keys",
            "import",
            "--pem",
            "pub.pem",
            "--id",
            "jens-openssl",
            "--name",
            "Jens Stoltenberg",
            "--keys",
            "keys",
        ],
        0,
    );
    assert!(err.contains("jens-openssl.pub.json"), "{err}");
    // The entry holds the key OpenSSL made, and exports as the same PEM.
    let (pem, _) = run(
        dir,
        &["keys", "export", "jens-openssl", "--pem", "--keys", "keys"],
        0,
    );
    assert_eq!(pem, std::fs::read_to_string(dir.join("pub.pem")).unwrap());

    // The statement for the first signature: no signature file exists yet.
    let sig_path = dir.join("nato.md.sig.json");
    assert!(!sig_path.exists());
    let payload = |date: &str| -> Vec<u8> {
        let o = bin()
            .current_dir(dir)
            .args([
                "payload",
                "nato.md",
                "--signer",
                "jens-openssl",
                "--date",
                date,
                "--keys",
                "keys",
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    let stmt = payload("2017-10-18");
    let text = String::from_utf8(stmt.clone()).unwrap();
    assert!(
        text.contains("\nsigner jens-openssl\n") && text.ends_with("\nsigned-on 2017-10-18\n"),
        "{text}"
    );
    assert!(!sig_path.exists(), "payload without --attach wrote a file");
    std::fs::write(dir.join("stmt"), &stmt).unwrap();
    tool_ok(
        dir,
        "openssl",
        &[
            "pkeyutl", "-sign", "-rawin", "-inkey", "key.pem", "-in", "stmt", "-out", "sig",
        ],
    );

    // Attached with another date: refused, naming the date the statement was made for.
    let before = snapshot(dir);
    let attach = |date: &str, code: i32| {
        run(
            dir,
            &[
                "payload",
                "nato.md",
                "--signer",
                "jens-openssl",
                "--date",
                date,
                "--keys",
                "keys",
                "--attach",
                "sig",
            ],
            code,
        )
    };
    let (_, err) = attach("2017-10-19", 1);
    assert!(
        err.contains("does not verify") && err.contains("re-run with --date 2017-10-18"),
        "{err}"
    );
    assert!(err.contains("sig"), "{err}");
    assert_eq!(snapshot(dir), before, "a refused --attach changed a file");

    // Attached with the right date: the signature file is created, and the document is valid.
    let (_, err) = attach("2017-10-18", 0);
    assert!(err.contains("nato.md.sig.json"), "{err}");
    let (out, _) = run(dir, &["verify", "nato.md", "--keys", "keys", "--json"], 0);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["verdict"], "valid", "{r}");
    let s = signatures(&r, 0);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["signer_id"], "jens-openssl");

    // The reverse: OpenSSL verifies the recorded signature over `payload`'s statement.
    let (recorded, _) = run(dir, &["payload", "nato.md", "--layer", "0"], 0);
    assert_eq!(recorded.as_bytes(), stmt.as_slice());
    let f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sig_path).unwrap()).unwrap();
    let sig = hex::decode(
        f["layers"][0]["signatures"][0]["signature"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(sig, std::fs::read(dir.join("sig")).unwrap());
    std::fs::write(dir.join("exported.pem"), &pem).unwrap();
    let o = tool_ok(
        dir,
        "openssl",
        &[
            "pkeyutl",
            "-verify",
            "-rawin",
            "-pubin",
            "-inkey",
            "exported.pem",
            "-in",
            "stmt",
            "-sigfile",
            "sig",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("Signature Verified Successfully"));
}

/// `payload --layer N` without `--signature` on a layer with several signatures lists them; on a
/// layer without any it says how to prepare a new one.
#[test]
fn payload_layer_default_signature() {
    let d = example_dir();
    let dir = d.path();
    let (one, _) = run(dir, &["payload", DOC, "--layer", "1"], 0);
    let (zero, _) = run(
        dir,
        &["payload", DOC, "--layer", "1", "--signature", "0"],
        0,
    );
    assert_eq!(one, zero);
    let mut f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("kfor-2017-q3.md.sig.json")).unwrap(),
    )
    .unwrap();
    let first = f["layers"][1]["signatures"][0].clone();
    let other = f["layers"][0]["signatures"][0].clone();
    f["layers"][1]["signatures"] = serde_json::json!([first, other]);
    std::fs::write(dir.join("two.json"), serde_json::to_string(&f).unwrap()).unwrap();
    let (_, err) = run(
        dir,
        &["payload", DOC, "--layer", "1", "--sig", "two.json"],
        2,
    );
    assert!(
        err.contains("2 signatures")
            && err.contains("--signature 0: Jens Stoltenberg")
            && err.contains("--signature 1: António Guterres"),
        "{err}"
    );
    f["layers"][1]["signatures"] = serde_json::json!([]);
    std::fs::write(dir.join("none.json"), serde_json::to_string(&f).unwrap()).unwrap();
    let (_, err) = run(
        dir,
        &["payload", DOC, "--layer", "1", "--sig", "none.json"],
        2,
    );
    assert!(
        err.contains("no signature yet") && err.contains("--signer"),
        "{err}"
    );
}

/// `keys import --pem` refuses a private key, a non-Ed25519 key and a small-order point, each
/// naming the file, and writes nothing.
#[test]
fn keys_import_pem_refuses_bad_keys() {
    let d = example_dir();
    let dir = d.path();
    let mut weak = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    let mut identity = [0u8; 32];
    identity[0] = 1;
    weak.extend_from_slice(&identity);
    let weak_pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64::engine::general_purpose::STANDARD.encode(&weak)
    );
    let cases = [
        ("weak.pem", weak_pem, "order"),
        (
            "private.pem",
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"
                .into(),
            "private key",
        ),
        ("junk.pem", "hello\n".into(), "BEGIN PUBLIC KEY"),
    ];
    for (name, text, want) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        let before = snapshot(dir);
        let (_, err) = run(
            dir,
            &[
                "keys", "import", "--pem", name, "--id", "x", "--name", "X Y", "--keys", "keys",
            ],
            2,
        );
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
        assert_eq!(snapshot(dir), before, "{name}");
    }
}

/// An OpenSSL PEM private key given to `sign --key` is refused (exit 2) with advice naming
/// commands that exist.
#[test]
fn openssl_pem_private_key_is_explained() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    tool_ok(
        dir,
        "openssl",
        &["genpkey", "-algorithm", "ed25519", "-out", "k.pem"],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("k.pem"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }
    let before = snapshot(dir);
    let (_, err) = run(
        dir,
        &["sign", "nato.md", "--key", "k.pem", "--date", "2017-10-18"],
        2,
    );
    assert_eq!(snapshot(dir), before);
    assert!(err.contains("k.pem") && err.contains("PEM"), "{err}");
    assert!(err.contains("ssh-keygen -t ed25519"), "{err}");
    assert!(
        err.contains("`transmittal keygen"),
        "the advice must name the real command (`transmittal keygen`): {err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Shell conventions
// ---------------------------------------------------------------------------------------------

#[test]
fn completions_for_every_shell() {
    let d = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (out, err) = run(d.path(), &["completions", shell], 0);
        assert!(err.is_empty(), "{shell}: {err}");
        assert!(out.len() > 200, "{shell}: {out}");
        assert!(out.contains("transmittal"), "{shell}");
        for sub in ["verify", "sign", "keygen", "payload"] {
            assert!(out.contains(sub), "{shell} completions lack {sub}");
        }
    }
    run(d.path(), &["completions", "tcsh"], 2);
}

#[test]
fn man_page_is_roff() {
    let d = tempfile::tempdir().unwrap();
    let (out, err) = run(d.path(), &["man"], 0);
    assert!(err.is_empty(), "{err}");
    assert!(
        out.lines().any(|l| l.starts_with(".TH transmittal 1")),
        "{out}"
    );
    assert!(out.contains(".SH") && out.contains("verify"), "{out}");
}

/// The subcommands listed under "Commands:" in a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.trim_end() == "Commands:" {
            in_commands = true;
            continue;
        }
        if in_commands {
            if line.trim().is_empty() || !line.starts_with(' ') {
                break;
            }
            // "  name   description"; continuation lines are indented further.
            if line.starts_with("  ") && !line.starts_with("   ") {
                let name = line.split_whitespace().next().unwrap();
                if name != "help" {
                    out.push(name.to_owned());
                }
            }
        }
    }
    out
}

/// `--help` of every subcommand (found from the help itself, so new ones are covered) ends with
/// an "Example:"/"Examples:" section showing a `transmittal` command line.
#[test]
fn every_subcommand_help_has_an_example() {
    let d = tempfile::tempdir().unwrap();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut queue: Vec<Vec<String>> = vec![vec![]];
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (out, _) = run(d.path(), &args, 0);
        for sub in subcommands(&out) {
            let mut p = path.clone();
            p.push(sub);
            queue.push(p);
        }
        seen += 1;
        let lines: Vec<&str> = out.lines().collect();
        let ok = lines.iter().enumerate().any(|(i, l)| {
            matches!(l.trim_end(), "Example:" | "Examples:")
                && lines
                    .get(i + 1)
                    .is_some_and(|n| n.trim_start().starts_with("transmittal "))
        });
        if !ok {
            missing.push(format!("transmittal {}", args.join(" ")));
        }
    }
    assert!(seen >= 18, "found only {seen} help pages");
    assert!(
        missing.is_empty(),
        "no \"Example:\" section in: {missing:?}"
    );
}

#[test]
fn color_always_never_and_no_color() {
    let d = example_dir();
    let dir = d.path();
    let o = bin()
        .current_dir(dir)
        .args(["verify", DOC, "--color", "always"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(has_ansi(&o.stdout), "--color always without colour");
    let o = bin()
        .current_dir(dir)
        .args(["verify", DOC, "--color", "never"])
        .output()
        .unwrap();
    assert!(!has_ansi(&o.stdout) && !has_ansi(&o.stderr));
    // Auto, not a terminal: no colour.
    let o = bin()
        .current_dir(dir)
        .args(["verify", DOC])
        .output()
        .unwrap();
    assert!(!has_ansi(&o.stdout));
    // An explicit --color always wins over NO_COLOR (https://no-color.org).
    let o = bin()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["verify", DOC, "--color", "always"])
        .output()
        .unwrap();
    assert!(has_ansi(&o.stdout));

    // On a terminal (a pty from util-linux `script`): colour by default, none with NO_COLOR=1.
    let exe = assert_cmd::cargo::cargo_bin("transmittal");
    let on_tty = |no_color: bool, extra: &str| -> Vec<u8> {
        let cmd = format!("'{}' verify {DOC} {extra}", exe.display());
        let mut c = Command::new("script");
        c.current_dir(dir)
            .args(["-qec", &cmd, "/dev/null"])
            .stdin(Stdio::null())
            .envs(TEST_ENV)
            // A terminal that supports colour, whatever the environment of the test run
            // (`--color auto` asks TERM, CLICOLOR and CLICOLOR_FORCE too).
            .env("TERM", "xterm-256color")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let o = c.output().unwrap_or_else(|e| {
            panic!("`script` (util-linux) is needed to run the binary on a pty: {e}")
        });
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        o.stdout
    };
    assert!(
        has_ansi(&on_tty(false, "")),
        "no colour on a terminal by default"
    );
    assert!(!has_ansi(&on_tty(true, "")), "colour despite NO_COLOR=1");
    assert!(!has_ansi(&on_tty(false, "--color never")));
}

#[test]
fn quiet_prints_nothing_on_success() {
    let d = example_dir();
    let dir = d.path();
    for args in [
        vec!["verify", DOC, "--quiet"],
        vec!["-q", "verify", DOC],
        vec!["inspect", DOC, "-q"],
    ] {
        let o = bin().current_dir(dir).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            o.stdout.is_empty() && o.stderr.is_empty(),
            "{args:?} printed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Quiet signing, wrapping and extracting: silent too.
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    for args in [
        vec![
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
            "-q",
        ],
        vec![
            "extract", DOC, "--layer", "1", "--out", "part.md", "--quiet",
        ],
    ] {
        let o = bin().current_dir(dir).args(&args).output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{args:?}");
    }
    // Quiet does not hide a failure: the exit code speaks.
    let text = std::fs::read_to_string(dir.join(DOC))
        .unwrap()
        .replace("4,100", "4,200");
    std::fs::write(dir.join(DOC), text).unwrap();
    bin()
        .current_dir(dir)
        .args(["verify", DOC, "--quiet"])
        .assert()
        .code(1);
}

#[test]
fn data_on_stdout_diagnostics_on_stderr() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(dir.join("nato.md"), nato_text()).unwrap();
    // sign: a message, on stderr only.
    let (out, err) = run(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
        0,
    );
    assert!(out.is_empty(), "sign wrote to stdout: {out}");
    assert!(
        err.contains("signed layer") && err.contains("nato.md.sig.json"),
        "{err}"
    );
    // verify --json: only JSON on stdout, nothing on stderr.
    let o = bin()
        .current_dir(dir)
        .args(["verify", DOC, "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("only JSON on stdout");
    assert_eq!(v["verdict"], "valid");
    // extract, keygen: messages on stderr.
    let (out, err) = run(
        dir,
        &["extract", DOC, "--layer", "1", "--out", "part.md"],
        0,
    );
    assert!(out.is_empty() && err.contains("part.md"), "{out} / {err}");
    let (out, err) = run(
        dir,
        &[
            "keygen",
            "--id",
            "x",
            "--name",
            "X",
            "--unencrypted",
            "--out-dir",
            "new",
            "--secret-dir",
            "new-secret",
        ],
        0,
    );
    assert!(out.is_empty() && err.contains("x.key"), "{out} / {err}");
    // Data commands: stdout only.
    for args in [
        vec!["hash", DOC],
        vec!["inspect", DOC],
        vec!["keys", "export", "stoltenberg"],
        vec!["keys", "list"],
    ] {
        let o = bin().current_dir(dir).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(!o.stdout.is_empty(), "{args:?}");
        assert!(
            o.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Errors: stderr only.
    let (out, err) = run(dir, &["verify", "missing.md"], 2);
    assert!(
        out.is_empty() && err.starts_with("transmittal: error: "),
        "{err}"
    );
}

/// Spawn the binary with its stdout on a pipe; close the pipe (after reading one line, or at
/// once); the program must end quietly with exit 0.
fn closed_pipe(dir: &Path, args: &[&str], read_one_line: bool) {
    let mut child = raw_bin()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    if read_one_line {
        let mut r = BufReader::with_capacity(16, stdout);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "{args:?}: no output");
    } else {
        drop(stdout);
    }
    // The reader is gone: our end of the pipe is closed.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "{args:?} (read_one_line {read_one_line}): {err}"
    );
    assert!(
        err.is_empty(),
        "{args:?} (read_one_line {read_one_line}): {err}"
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let d = example_dir();
    let dir = d.path();
    for args in [
        vec!["inspect", DOC],
        vec!["inspect", DOC, "--json"],
        vec!["verify", DOC],
        vec!["verify", DOC, "--json"],
        vec!["man"],
        vec!["completions", "bash"],
        vec!["--help"],
        vec!["keys", "list"],
        vec!["payload", DOC, "--layer", "1", "--signature", "0"],
    ] {
        closed_pipe(dir, &args, true);
        closed_pipe(dir, &args, false);
    }
    // And through a shell, as users type it.
    let exe = assert_cmd::cargo::cargo_bin("transmittal");
    for sub in [format!("inspect {DOC}"), "man".to_owned()] {
        let script = format!("set -o pipefail; '{}' {sub} | head -1", exe.display());
        let o = tool(dir, "bash", &["-c", &script]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{script}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);
    }
}

#[test]
fn dash_reads_standard_input() {
    let d = example_dir();
    let dir = d.path();
    let doc = std::fs::read(dir.join(DOC)).unwrap();

    let o = bin()
        .current_dir(dir)
        .args(["inspect", "-", "--json"])
        .write_stdin(doc.clone())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let from_stdin: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let o = bin()
        .current_dir(dir)
        .args(["inspect", DOC, "--json"])
        .output()
        .unwrap();
    let from_file: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(from_stdin["layers"], from_file["layers"]);

    let (file_hash, _) = run(dir, &["hash", DOC], 0);
    let o = bin()
        .current_dir(dir)
        .args(["hash", "-"])
        .write_stdin(doc.clone())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let stdin_hash = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        stdin_hash.split_whitespace().next(),
        file_hash.split_whitespace().next()
    );
    assert_eq!(stdin_hash.split_whitespace().nth(1), Some("-"));

    let verify = ["verify", "-", "--sig", "kfor-2017-q3.md.sig.json"];
    bin()
        .current_dir(dir)
        .args(verify)
        .write_stdin(doc.clone())
        .assert()
        .code(0);
    let tampered = String::from_utf8(doc.clone())
        .unwrap()
        .replace("4,100", "4,200");
    bin()
        .current_dir(dir)
        .args(verify)
        .write_stdin(tampered)
        .assert()
        .code(1);
    // Without --sig there is no file name to derive the signature file from.
    let o = bin()
        .current_dir(dir)
        .args(["verify", "-"])
        .write_stdin(doc)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--sig"));
}

// ---------------------------------------------------------------------------------------------
// 5. Errors that help: pinned stderr
// ---------------------------------------------------------------------------------------------

/// Pin what a command printed, with [`insta`], in `tests/snapshots/NAME.snap`: the exit code,
/// stdout and stderr, each byte of them (`--- end` closes stderr, so that a missing final newline
/// shows). `cargo insta review` (or `INSTA_UPDATE=always`) updates a snapshot after a change.
fn assert_snapshot(name: &str, code: Option<i32>, stdout: &str, stderr: &str) {
    let shown = format!(
        "exit code: {}\n--- stdout\n{stdout}--- stderr\n{stderr}--- end\n",
        code.map_or_else(|| "none (killed by a signal)".to_owned(), |c| c.to_string())
    );
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, shown);
    });
}

/// Replace the temporary directory with `[DIR]`.
fn normalize(s: &str, dir: &Path) -> String {
    let mut s = s.to_owned();
    if let Ok(c) = dir.canonicalize() {
        s = s.replace(&c.display().to_string(), "[DIR]");
    }
    s.replace(&dir.display().to_string(), "[DIR]")
}

/// Run a failing command in `dir`: exit `code`, nothing on stdout, no panic, no file changed,
/// exit code, stdout and stderr as pinned in `tests/snapshots/NAME.snap`, and stderr containing
/// each of `must` (the file it names and the next step).
fn pinned_error(name: &str, dir: &Path, mut cmd: assert_cmd::Command, code: i32, must: &[&str]) {
    let before = snapshot(dir);
    let o = cmd.current_dir(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "{name}: {stderr}");
    assert!(
        o.stdout.is_empty(),
        "{name}: stdout {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert_eq!(snapshot(dir), before, "{name}: files changed");
    assert_snapshot(
        name,
        o.status.code(),
        &normalize(&String::from_utf8_lossy(&o.stdout), dir),
        &normalize(&stderr, dir),
    );
    for m in must {
        assert!(
            stderr.contains(m),
            "{name}: the message should contain {m:?} (what is wrong, which file, what to do next):\n{stderr}"
        );
    }
}

fn cmd(args: &[&str]) -> assert_cmd::Command {
    let mut c = bin();
    c.args(args);
    c
}

/// An example directory with `lone.md`: the NATO text without a signature file.
fn lone_dir() -> tempfile::TempDir {
    let d = example_dir();
    std::fs::write(d.path().join("lone.md"), nato_text()).unwrap();
    d
}

#[test]
fn error_missing_signature_file() {
    let d = lone_dir();
    pinned_error(
        "verify-missing-signature-file",
        d.path(),
        cmd(&["verify", "lone.md"]),
        2,
        &[
            "lone.md.sig.json",
            "ask the sender",
            "transmittal sign lone.md",
            "--sig",
        ],
    );
}

#[test]
fn error_missing_document() {
    let d = example_dir();
    pinned_error(
        "verify-missing-document",
        d.path(),
        cmd(&["verify", "nato.md"]),
        2,
        &["nato.md", "check the path"],
    );
}

#[test]
fn error_non_utf8_document() {
    let d = example_dir();
    std::fs::write(d.path().join("latin1.md"), b"Lettre de l'ann\xe9e.\n").unwrap();
    pinned_error(
        "inspect-non-utf8",
        d.path(),
        cmd(&["inspect", "latin1.md"]),
        2,
        &["latin1.md", "UTF-8", "iconv"],
    );
}

/// A PDF, an office file, an archive, an image or other binary data given as a document: named
/// for what it is, with the way to get its text, instead of the advice to convert its encoding.
#[test]
fn error_binary_documents_are_named_for_what_they_are() {
    let mut zip_docx = b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml".to_vec();
    zip_docx.extend_from_slice(b"\x00\xa3\xffword/document.xml");
    let cases: &[(&str, &str, Vec<u8>, &[&str])] = &[
        (
            "inspect-pdf",
            "report.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(),
            &[
                "report.pdf is a PDF file",
                "pdftotext -layout report.pdf report.txt",
            ],
        ),
        (
            "inspect-docx",
            "letter.docx",
            zip_docx,
            &[
                "letter.docx is a Word document (DOCX)",
                "pandoc letter.docx",
            ],
        ),
        (
            "inspect-doc",
            "letter.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00".to_vec(),
            &["letter.doc is an old Microsoft Office file", "soffice"],
        ),
        (
            "inspect-gzip",
            "report.md.gz",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00".to_vec(),
            &["report.md.gz is gzip-compressed", "gunzip -k report.md.gz"],
        ),
        (
            "inspect-png",
            "scan.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec(),
            &["scan.png is a PNG image", "tesseract"],
        ),
        (
            "inspect-jpeg",
            "scan.jpg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF".to_vec(),
            &["scan.jpg is a JPEG image", "tesseract"],
        ),
        (
            "inspect-binary",
            "blob.md",
            b"Letter\x00\x01\x02\xfe\x00".to_vec(),
            &["blob.md is not a text file", "NUL", "offset 9"],
        ),
    ];
    for (name, file, bytes, must) in cases {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(file), bytes).unwrap();
        pinned_error(name, d.path(), cmd(&["inspect", file]), 2, must);
        // The same advice from every command that reads a document, the streamed `hash` too.
        for args in [
            vec!["hash", file],
            vec!["verify", file, "--sig", "x.sig.json"],
        ] {
            let o = cmd(&args).current_dir(d.path()).output().unwrap();
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let e = String::from_utf8_lossy(&o.stderr);
            assert!(e.contains(must[0]) && !e.contains("iconv"), "{args:?}: {e}");
        }
    }
}

/// A public key given to `sign --key`: "this is a public key", before any complaint about its
/// permissions, and never "unsupported format".
#[test]
fn error_public_key_given_to_sign() {
    let d = lone_dir();
    std::fs::copy(
        d.path().join("keys/stoltenberg.pub.json"),
        d.path().join("stoltenberg.pub.json"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("me.pub"),
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBEtdHJhbnNtaXR0YWwtdGVzdC1wdWJsaWMta2V5 me@host\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("pub.pem"),
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    #[cfg(unix)]
    for f in ["stoltenberg.pub.json", "me.pub", "pub.pem"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.path().join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    for (name, key, must) in [
        (
            "sign-trust-entry-as-key",
            "stoltenberg.pub.json",
            &["stoltenberg.pub.json is a public key", "stoltenberg.key"][..],
        ),
        (
            "sign-ssh-public-key",
            "me.pub",
            &["me.pub is an OpenSSH public key", "private key file (me)"][..],
        ),
        (
            "sign-pem-public-key",
            "pub.pem",
            &["pub.pem is a PEM public key", "~/.ssh/id_ed25519"][..],
        ),
    ] {
        let o = cmd(&["sign", "lone.md", "--key", key, "--date", "2017-10-18"])
            .current_dir(d.path())
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(
            !e.contains("chmod") && !e.contains("unsupported") && !e.contains("upgrade"),
            "{e}"
        );
        pinned_error(
            name,
            d.path(),
            cmd(&["sign", "lone.md", "--key", key, "--date", "2017-10-18"]),
            2,
            must,
        );
    }
}

/// Every error begins `transmittal: error:`, clap's too; help and version are clap's own.
#[test]
fn every_error_has_the_tools_prefix() {
    let d = tempfile::tempdir().unwrap();
    for args in [
        &["verify"][..],
        &["verify", "a.md", "--bogus"][..],
        &["sign", "a.md"][..],
        &["audit", "--jobs", "many", "x"][..],
        &["verfiy"][..],
    ] {
        let o = cmd(args).current_dir(d.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.starts_with("transmittal: error: "), "{args:?}: {e}");
        assert!(e.contains("--help"), "{args:?}: {e}");
    }
    for args in [
        &["--help"][..],
        &["--version"][..],
        &["verify", "--help"][..],
    ] {
        let o = cmd(args).current_dir(d.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(o.stderr.is_empty(), "{args:?}");
        assert!(!o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn error_unknown_subcommand() {
    let d = tempfile::tempdir().unwrap();
    pinned_error(
        "unknown-subcommand",
        d.path(),
        cmd(&["verfiy", "report.md"]),
        2,
        &["verfiy", "verify", "--help"],
    );
}

#[test]
fn error_missing_argument() {
    let d = tempfile::tempdir().unwrap();
    pinned_error(
        "verify-missing-argument",
        d.path(),
        cmd(&["verify"]),
        2,
        &["<DOC>", "--help"],
    );
}

#[test]
fn error_bad_date() {
    let d = lone_dir();
    pinned_error(
        "sign-bad-date",
        d.path(),
        cmd(&[
            "sign",
            "lone.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-13-45",
        ]),
        2,
        &["--date", "2017-13-45", "YYYY-MM-DD"],
    );
}

/// A bad argument is reported before any file is read or a passphrase is asked for: the user
/// must not type a passphrase only to learn that the date was mistyped.
#[test]
fn error_bad_date_before_the_key_is_read() {
    let d = lone_dir();
    pinned_error(
        "sign-bad-date-missing-key",
        d.path(),
        cmd(&[
            "sign",
            "lone.md",
            "--key",
            "no-such.key",
            "--date",
            "2017-13-45",
        ]),
        2,
        &["--date", "2017-13-45"],
    );
}

#[test]
fn error_key_file_not_found() {
    let d = lone_dir();
    let key = d.path().join("no-such.key");
    pinned_error(
        "sign-key-not-found",
        d.path(),
        cmd(&[
            "sign",
            "lone.md",
            "--key",
            key.to_str().unwrap(),
            "--date",
            "2017-10-18",
        ]),
        2,
        &["no-such.key", "--key", "transmittal keygen"],
    );
}

#[test]
fn error_group_readable_key() {
    let d = lone_dir();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            d.path().join("demo-keys/stoltenberg.key"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        pinned_error(
            "sign-group-readable-key",
            d.path(),
            cmd(&[
                "sign",
                "lone.md",
                "--key",
                "demo-keys/stoltenberg.key",
                "--date",
                "2017-10-18",
            ]),
            2,
            &["demo-keys/stoltenberg.key", "chmod 600"],
        );
    }
}

#[test]
fn error_wrong_passphrase() {
    let d = lone_dir();
    ssh_keygen(d.path(), "id_ed25519", "secret phrase");
    let mut c = cmd(&[
        "sign",
        "lone.md",
        "--key",
        "id_ed25519",
        "--date",
        "2017-10-18",
    ]);
    c.env("TRANSMITTAL_PASSPHRASE", "wrong phrase");
    pinned_error(
        "sign-wrong-passphrase",
        d.path(),
        c,
        2,
        &["id_ed25519", "wrong passphrase", "TRANSMITTAL_PASSPHRASE"],
    );
}

#[test]
fn error_unknown_trust_store_id() {
    let d = example_dir();
    pinned_error(
        "keys-export-unknown-id",
        d.path(),
        cmd(&["keys", "export", "stoltenbreg", "--pem"]),
        2,
        &["stoltenbreg", "keys", "transmittal keys list"],
    );
}

#[test]
fn error_output_exists_wrap() {
    let d = example_dir();
    std::fs::write(
        d.path().join("cover.md"),
        "A cover letter.\n\n(Signed) A. Person\n",
    )
    .unwrap();
    std::fs::write(d.path().join("un.md"), "already here\n").unwrap();
    pinned_error(
        "wrap-output-exists",
        d.path(),
        cmd(&[
            "wrap",
            "--inner",
            DOC,
            "--cover",
            "cover.md",
            "--heading",
            "Annex",
            "--out",
            "un.md",
        ]),
        2,
        &["un.md", "--force"],
    );
}

#[test]
fn error_output_exists_extract() {
    let d = example_dir();
    std::fs::write(d.path().join("part.md.sig.json"), "{}\n").unwrap();
    pinned_error(
        "extract-output-exists",
        d.path(),
        cmd(&["extract", DOC, "--layer", "1", "--out", "part.md"]),
        2,
        &["part.md.sig.json", "--force"],
    );
}

#[test]
fn error_output_exists_keygen() {
    let d = example_dir();
    pinned_error(
        "keygen-output-exists",
        d.path(),
        cmd(&[
            "keygen",
            "--id",
            "stoltenberg",
            "--name",
            "Jens Stoltenberg",
            "--unencrypted",
            "--out-dir",
            "keys",
        ]),
        2,
        &["keys/stoltenberg", "--force"],
    );
}

#[test]
fn error_invalid_trust_store_entry() {
    let d = example_dir();
    std::fs::write(
        d.path().join("keys/x.pub.json"),
        "{\"format\":\"transmittal-key-v1\",\"id\":\"x\"}\n",
    )
    .unwrap();
    pinned_error(
        "verify-invalid-trust-store-entry",
        d.path(),
        cmd(&["verify", DOC]),
        2,
        &["keys/x.pub.json", "name", "move it out of the trust store"],
    );
}

#[test]
fn error_sign_identity_mismatch() {
    let d = example_dir();
    std::fs::remove_file(d.path().join("kfor-2017-q3.md.sig.json")).unwrap();
    pinned_error(
        "sign-identity-mismatch",
        d.path(),
        cmd(&[
            "sign",
            DOC,
            "--key",
            "demo-keys/stoltenberg.key",
            "--layer",
            "0",
            "--date",
            "2017-10-25",
        ]),
        1,
        &["layer 0", DOC, "Jens Stoltenberg", "leave out --layer"],
    );
}

/// `keys list` and `keys export` show the key's fingerprint exactly as `ssh-keygen -l` prints it,
/// and `keys export` and `keys revoke` accept it wherever an id is accepted.
#[test]
fn ssh_fingerprints_match_ssh_keygen_and_name_keys() {
    let d = example_dir();
    let dir = d.path();
    ssh_keygen(dir, "id_ed25519", "");
    run(
        dir,
        &[
            "keys",
            "import",
            "--ssh",
            "id_ed25519.pub",
            "--id",
            "me",
            "--name",
            "A. Person",
            "--keys",
            "keys",
        ],
        0,
    );
    let l = tool_ok(dir, "ssh-keygen", &["-l", "-f", "id_ed25519.pub"]);
    let l = String::from_utf8_lossy(&l.stdout).into_owned();
    let fp = l.split_whitespace().nth(1).unwrap().to_string();
    assert!(fp.starts_with("SHA256:"), "{l}");
    let (list, _) = run(dir, &["keys", "list", "--keys", "keys"], 0);
    let line = list.lines().find(|l| l.starts_with("me ")).unwrap();
    assert!(line.contains(&fp), "{list}");
    let (json, _) = run(dir, &["keys", "list", "--keys", "keys", "--json"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let me = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "me")
        .unwrap();
    assert_eq!(me["ssh_fingerprint"], fp.as_str());
    // Export by fingerprint: the same key as by id.
    let (by_fp, _) = run(dir, &["keys", "export", &fp, "--keys", "keys"], 0);
    let (by_id, _) = run(dir, &["keys", "export", "me", "--keys", "keys"], 0);
    assert_eq!(by_fp, by_id);
    let pub_line = std::fs::read_to_string(dir.join("id_ed25519.pub")).unwrap();
    assert_eq!(
        by_fp.trim(),
        hex::encode(ssh_public_key_bytes(&pub_line)),
        "exported a different key"
    );
    // Revoke by fingerprint; a second revocation needs --replace and names the first.
    let revoke = |at: &str, replace: bool, code: i32| {
        let mut a = vec![
            "keys", "revoke", &fp, "--at", at, "--reason", "retired", "--keys", "keys",
        ];
        if replace {
            a.push("--replace");
        }
        run(dir, &a, code)
    };
    revoke("2020-01-01", false, 0);
    let entry = || std::fs::read_to_string(dir.join("keys/me.pub.json")).unwrap();
    assert!(entry().contains("2020-01-01"));
    let (_, err) = revoke("2019-01-01", false, 2);
    assert!(
        err.contains("already revoked from 2020-01-01")
            && err.contains("\"retired\"")
            && err.contains("--replace"),
        "{err}"
    );
    assert!(entry().contains("2020-01-01"), "refused, but changed");
    revoke("2019-01-01", true, 0);
    assert!(entry().contains("2019-01-01"));
    // An unknown fingerprint is an error that says where to look.
    let (_, err) = run(dir, &["keys", "export", "SHA256:AAAA", "--keys", "keys"], 2);
    assert!(
        err.contains("SHA256:AAAA") && err.contains("keys list"),
        "{err}"
    );
}
