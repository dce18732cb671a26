//! Unit tests of `keys`.

use sha2::{Digest, Sha256};

#[test]
fn trust_store_keys_follow_the_verification_rules() {
    // y = p + 3 (p = 2^255 - 19): a curve point, but not its canonical encoding. Verification
    // always refuses such a key, so a trust store refuses it too.
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xf0;
    non_canonical[31] = 0x7f;
    let err = parse_public_key(&non_canonical).unwrap_err();
    assert!(err.contains("canonical"), "{err}");
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert!(parse_public_key(&identity).unwrap_err().contains("weak"));
}

use super::*;
use crate::dates::parse_iso;
use std::os::unix::fs::PermissionsExt;

fn no_pass() -> impl FnMut() -> Result<Zeroizing<String>, Error> {
    || panic!("passphrase asked for an unencrypted key")
}

fn pass(p: &'static str) -> impl FnMut() -> Result<Zeroizing<String>, Error> {
    move || Ok(Zeroizing::new(p.to_string()))
}

/// Options for a key `id` with its entry in `DIR/keys` and its secret key in `DIR/secret`.
fn opts(dir: &Path, id: &str) -> KeygenOptions {
    let mut o = KeygenOptions::new(id, "Jens Stoltenberg", dir.join("keys"), dir.join("secret"));
    o.kdf_log_n = 4;
    o
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn ssh_fingerprint_matches_the_ssh_key_crate() {
    let pk = SecretKey::from_seed(&[9u8; 32], None, None).public_key();
    let ours = ssh_fingerprint(&pk);
    let theirs = ssh_key::PublicKey::from(ssh_key::public::Ed25519PublicKey(pk))
        .fingerprint(ssh_key::HashAlg::Sha256)
        .to_string();
    assert_eq!(ours, theirs);
    assert!(
        ours.starts_with("SHA256:") && !ours.ends_with('='),
        "{ours}"
    );
}

#[test]
fn fingerprint_and_key_id() {
    let pk = [7u8; 32];
    let fp = fingerprint(&pk);
    assert_eq!(fp.as_slice(), Sha256::digest(pk).as_slice());
    let id = key_id(&pk);
    assert_eq!(id.len(), 16);
    assert_eq!(id, hex::encode(fp)[..16]);
}

#[test]
fn weak_and_invalid_public_keys_refused() {
    // The identity point (small order).
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert!(parse_public_key(&identity).unwrap_err().contains("weak"));
    let good = SecretKey::from_seed(&[1u8; 32], None, None).public_key();
    assert!(parse_public_key(&good).is_ok());
}

#[test]
fn keygen_writes_0600_and_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = keygen(&opts(dir.path(), "stoltenberg")).unwrap();
    assert_eq!(out.secret_path, dir.path().join("secret/stoltenberg.key"));
    assert_eq!(out.entry_path, dir.path().join("keys/stoltenberg.pub.json"));
    assert_eq!(mode(&out.secret_path), 0o600);
    assert_eq!(mode(&dir.path().join("secret")), 0o700);
    let key = load_secret_key(&out.secret_path, &mut no_pass()).unwrap();
    assert_eq!(key.public_key(), out.entry.public_key);
    assert_eq!(key.id(), Some("stoltenberg"));
    let dbg = format!("{key:?}");
    assert!(dbg.contains(&out.entry.key_id));
    let seed_hex = hex::encode(key.signing_key().to_bytes());
    assert!(!dbg.contains(&seed_hex));
    let store = crate::trust::load(&dir.path().join("keys")).unwrap();
    assert_eq!(
        store.by_id("stoltenberg").unwrap().public_key,
        key.public_key()
    );
}

/// A secret key never goes into a trust store: not the entry's own directory, nor any
/// directory holding an entry. Nothing is written.
#[test]
fn keygen_refuses_a_trust_store_for_the_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    for secret in [keys.clone(), keys.join("."), dir.path().join("./keys")] {
        let o = KeygenOptions::new("x", "Jens Stoltenberg", &keys, &secret);
        let err = keygen(&o).unwrap_err().to_string();
        assert!(err.contains("is a trust store"), "{err}");
        assert!(!keys.exists());
    }
    keygen(&opts(dir.path(), "stoltenberg")).unwrap();
    let other = dir.path().join("other-store");
    std::fs::create_dir(&other).unwrap();
    let o = KeygenOptions::new("y", "Jens Stoltenberg", &other, &keys);
    let err = keygen(&o).unwrap_err().to_string();
    assert!(err.contains("is a trust store"), "{err}");
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 0);
    assert!(is_trust_store_dir(Path::new("a/./b"), Path::new("a/b")));
    assert!(!is_trust_store_dir(&dir.path().join("secret"), &keys));
}

#[test]
fn user_secret_dir_beside_the_user_store() {
    use std::ffi::OsStr;
    assert_eq!(
        user_secret_dir(Some(OsStr::new("/x")), Some(OsStr::new("/h"))),
        Some(PathBuf::from("/x/transmittal/secret"))
    );
    assert_eq!(
        user_secret_dir(Some(OsStr::new("rel")), Some(OsStr::new("/h"))),
        Some(PathBuf::from("/h/.config/transmittal/secret"))
    );
    assert_eq!(user_secret_dir(None, Some(OsStr::new(""))), None);
}

#[test]
fn keygen_refuses_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = keygen(&opts(dir.path(), "stoltenberg")).unwrap();
    let secret_before = std::fs::read(&out.secret_path).unwrap();
    let entry_before = std::fs::read(&out.entry_path).unwrap();
    let err = keygen(&opts(dir.path(), "stoltenberg")).unwrap_err();
    assert!(
        matches!(err, Error::Input(InputError::Exists { .. })),
        "{err}"
    );
    assert_eq!(std::fs::read(&out.secret_path).unwrap(), secret_before);
    assert_eq!(std::fs::read(&out.entry_path).unwrap(), entry_before);
    // Only the entry exists: still refused, and no secret key is left behind.
    std::fs::remove_file(&out.secret_path).unwrap();
    assert!(keygen(&opts(dir.path(), "stoltenberg")).is_err());
    assert!(!out.secret_path.exists());
    // With force both are replaced.
    let mut o = opts(dir.path(), "stoltenberg");
    o.force = true;
    let out2 = keygen(&o).unwrap();
    assert_ne!(out2.entry.public_key, out.entry.public_key);
    assert_eq!(mode(&out2.secret_path), 0o600);
    assert_eq!(
        std::fs::read_dir(dir.path().join("keys")).unwrap().count(),
        1
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("secret"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn keygen_validates_input() {
    let dir = tempfile::tempdir().unwrap();
    for bad_id in ["", "Stoltenberg", "../x", "-x", "a b"] {
        assert!(keygen(&opts(dir.path(), bad_id)).is_err(), "{bad_id:?}");
    }
    let mut o = opts(dir.path(), "x");
    o.name = "Jens\u{7}".into();
    assert!(keygen(&o).is_err());
    o.name = String::new();
    assert!(keygen(&o).is_err());
    let mut o = opts(dir.path(), "x");
    o.valid_from = parse_iso("2024-01-02");
    o.valid_until = parse_iso("2024-01-01");
    let err = keygen(&o).unwrap_err().to_string();
    assert!(err.contains("valid_from"), "{err}");
    let mut o = opts(dir.path(), "x");
    o.passphrase = Some(Zeroizing::new("pw".into()));
    o.kdf_log_n = 40;
    assert!(keygen(&o).is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn encrypted_round_trip_and_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts(dir.path(), "guterres");
    o.passphrase = Some(Zeroizing::new("correct horse".into()));
    let out = keygen(&o).unwrap();
    let text = std::fs::read_to_string(&out.secret_path).unwrap();
    assert!(text.contains("\"encrypted_secret_key\""));
    assert!(!text.contains("\"secret_key\""));
    assert_eq!(mode(&out.secret_path), 0o600);
    let mut calls = 0;
    let key = load_secret_key(&out.secret_path, &mut || {
        calls += 1;
        Ok(Zeroizing::new("correct horse".to_string()))
    })
    .unwrap();
    assert_eq!(calls, 1);
    assert_eq!(key.public_key(), out.entry.public_key);
    let err = load_secret_key(&out.secret_path, &mut pass("wrong")).unwrap_err();
    assert!(matches!(err, Error::Trust(TrustError::BadSecretKey { .. })));
    let msg = err.to_string();
    assert!(msg.contains("wrong passphrase"), "{msg}");
    assert!(msg.contains("guterres.key"), "{msg}");
    // The callback's error is passed through.
    let err = load_secret_key(&out.secret_path, &mut || {
        Err(InputError::Invalid("no terminal".into()).into())
    })
    .unwrap_err();
    assert!(err.to_string().contains("no terminal"));
}

#[test]
fn encrypted_key_bound_to_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = opts(dir.path(), "a");
    o.passphrase = Some(Zeroizing::new("pw".into()));
    let out = keygen(&o).unwrap();
    let other = SecretKey::from_seed(&[9u8; 32], None, None).public_key();
    let text = std::fs::read_to_string(&out.secret_path).unwrap();
    let swapped = text.replace(&hex::encode(out.entry.public_key), &hex::encode(other));
    let p = dir.path().join("swapped.key");
    crate::fsutil::write_atomic(
        &p,
        swapped.as_bytes(),
        Some(0o600),
        crate::fsutil::Existing::Refuse,
    )
    .unwrap();
    let err = load_secret_key(&p, &mut pass("pw"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("wrong passphrase"), "{err}");
}

#[test]
fn insecure_permissions_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = keygen(&opts(dir.path(), "k")).unwrap();
    for m in [0o640, 0o604, 0o644] {
        std::fs::set_permissions(&out.secret_path, std::fs::Permissions::from_mode(m)).unwrap();
        let err = load_secret_key(&out.secret_path, &mut no_pass()).unwrap_err();
        assert!(
            matches!(err, Error::Trust(TrustError::InsecurePermissions { .. })),
            "{err}"
        );
        assert!(err.to_string().contains("chmod 600"));
    }
    std::fs::set_permissions(&out.secret_path, std::fs::Permissions::from_mode(0o400)).unwrap();
    assert!(load_secret_key(&out.secret_path, &mut no_pass()).is_ok());
}

fn write_key(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    crate::fsutil::write_atomic(
        &p,
        text.as_bytes(),
        Some(0o600),
        crate::fsutil::Existing::Replace,
    )
    .unwrap();
    p
}

#[test]
fn malformed_secret_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = SecretKey::from_seed(&[3u8; 32], None, None);
    let pk = hex::encode(good.public_key());
    let seed = hex::encode([3u8; 32]);
    let wrong_seed = hex::encode([4u8; 32]);
    let cases = [
        ("not json", "not a secret key"),
        ("{", "not a valid secret key file"),
        (
            r#"{"format":"transmittal-secret-key-v9"}"#,
            "unsupported format",
        ),
        (r#"{"id":"x"}"#, "no \"format\""),
        (
            &format!(
                r#"{{"format":"transmittal-secret-key-v1","id":"x","public_key":"{pk}","secret_key":"{seed}","extra":1}}"#
            ),
            "unknown field",
        ),
        (
            &format!(
                r#"{{"format":"transmittal-secret-key-v1","id":"x","public_key":"{pk}","secret_key":"{wrong_seed}"}}"#
            ),
            "does not belong",
        ),
        (
            &format!(
                r#"{{"format":"transmittal-secret-key-v1","id":"x","public_key":"{pk}","secret_key":"zz"}}"#
            ),
            "secret_key must be",
        ),
        (
            &format!(
                r#"{{"format":"transmittal-secret-key-v1","id":"X Y","public_key":"{pk}","secret_key":"{seed}"}}"#
            ),
            "not a valid trust-store id",
        ),
        (
            &format!(r#"{{"format":"transmittal-secret-key-v1","id":"x","public_key":"{pk}"}}"#),
            "expected either",
        ),
        (
            &format!(
                r#"{{"format":"transmittal-secret-key-v1","id":"x","public_key":"{pk}","encryption":{{"kdf":"scrypt","log_n":60,"r":8,"p":1,"salt":"{}","cipher":"chacha20poly1305","nonce":"{}"}},"encrypted_secret_key":"{}"}}"#,
                "00".repeat(16),
                "00".repeat(12),
                "00".repeat(48)
            ),
            "out of range",
        ),
        ("ssh-ed25519 AAAA comment", "public key"),
        ("-----BEGIN PRIVATE KEY-----\nxx\n", "unsupported PEM"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n-----END OPENSSH PRIVATE KEY-----\n",
            "not a valid OpenSSH",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let p = write_key(dir.path(), &format!("k{i}.key"), text);
        let err = load_secret_key(&p, &mut pass("pw"))
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "case {i}: {err}");
        assert!(err.contains(&format!("k{i}.key")), "case {i}: {err}");
        assert!(!err.contains(&seed), "case {i} leaks the seed: {err}");
    }
}

fn openssh_key(dir: &Path, name: &str, passphrase: Option<&str>) -> (PathBuf, [u8; 32]) {
    let kp = ssh_key::private::Ed25519Keypair::from_seed(&[42u8; 32]);
    let public = kp.public.0;
    let key = ssh_key::PrivateKey::new(ssh_key::private::KeypairData::Ed25519(kp), "jens@nato.int")
        .unwrap();
    let key = match passphrase {
        // One bcrypt-pbkdf round keeps the debug-build test fast.
        Some(p) => key
            .encrypt_with(
                ssh_key::Cipher::Aes256Ctr,
                ssh_key::Kdf::Bcrypt {
                    salt: vec![7u8; 16],
                    rounds: 1,
                },
                0x1234_5678,
                p,
            )
            .unwrap(),
        None => key,
    };
    let pem = key.to_openssh(ssh_key::LineEnding::LF).unwrap();
    (write_key(dir, name, &pem), public)
}

#[test]
fn openssh_keys_generated_with_ssh_key() {
    let dir = tempfile::tempdir().unwrap();
    let (p, public) = openssh_key(dir.path(), "id_ed25519", None);
    let key = load_secret_key(&p, &mut no_pass()).unwrap();
    assert_eq!(key.public_key(), public);
    assert_eq!(key.id(), None);
    assert_eq!(key.comment(), Some("jens@nato.int"));

    let (p, public) = openssh_key(dir.path(), "id_enc", Some("sesame"));
    let key = load_secret_key(&p, &mut pass("sesame")).unwrap();
    assert_eq!(key.public_key(), public);
    let err = load_secret_key(&p, &mut pass("nope")).unwrap_err();
    assert!(err.to_string().contains("wrong passphrase"), "{err}");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(matches!(
        load_secret_key(&p, &mut pass("sesame")),
        Err(Error::Trust(TrustError::InsecurePermissions { .. }))
    ));
}

fn ssh_keygen(dir: &Path, name: &str, args: &[&str], pass: &str) -> Option<PathBuf> {
    let p = dir.join(name);
    let status = std::process::Command::new("ssh-keygen")
        .args(args)
        .args(["-q", "-N", pass, "-C", "test comment", "-f"])
        .arg(&p)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    status.success().then_some(p)
}

fn ssh_public(p: &Path) -> [u8; 32] {
    let line = std::fs::read_to_string(p.with_extension("pub")).unwrap();
    let pk = ssh_key::PublicKey::from_openssh(&line).unwrap();
    pk.key_data().ed25519().unwrap().0
}

#[test]
fn openssh_keys_from_ssh_keygen() {
    let dir = tempfile::tempdir().unwrap();
    let Some(p) = ssh_keygen(dir.path(), "plain", &["-t", "ed25519"], "") else {
        eprintln!("ssh-keygen not available; skipped");
        return;
    };
    let key = load_secret_key(&p, &mut no_pass()).unwrap();
    assert_eq!(key.public_key(), ssh_public(&p));
    assert_eq!(key.comment(), Some("test comment"));

    let p = ssh_keygen(dir.path(), "enc", &["-t", "ed25519", "-a", "4"], "s3cret").unwrap();
    let key = load_secret_key(&p, &mut pass("s3cret")).unwrap();
    assert_eq!(key.public_key(), ssh_public(&p));
    let err = load_secret_key(&p, &mut pass("wrong"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("wrong passphrase"), "{err}");

    if let Some(p) = ssh_keygen(dir.path(), "ecdsa", &["-t", "ecdsa"], "") {
        let err = load_secret_key(&p, &mut no_pass()).unwrap_err().to_string();
        assert!(err.contains("Ed25519 only"), "{err}");
    }
    // The public half is refused with a pointer to the private file.
    let pub_path = dir.path().join("plain.pub");
    std::fs::set_permissions(&pub_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = load_secret_key(&pub_path, &mut no_pass())
        .unwrap_err()
        .to_string();
    assert!(err.contains("public key"), "{err}");
}
