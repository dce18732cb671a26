//! Key material: fingerprints, secret key files, OpenSSH private keys and key generation.
//!
//! # Public keys
//!
//! A public key is the 32-byte Ed25519 encoding. Its **fingerprint** is the SHA-256 of those 32
//! bytes; its **key id** is the first 16 lowercase hex characters of the fingerprint (64 bits, for
//! display and lookup; the full key is always what is compared).
//!
//! # Secret key files (`transmittal-secret-key-v1`)
//!
//! A secret key file is JSON, written with mode `0600` and refused when group or others can read it
//! (like `ssh`). Unencrypted:
//!
//! ```json
//! {
//!   "format": "transmittal-secret-key-v1",
//!   "id": "stoltenberg",
//!   "public_key": "<64 hex>",
//!   "secret_key": "<64 hex: the 32-byte Ed25519 seed>"
//! }
//! ```
//!
//! Encrypted with a passphrase, `secret_key` is replaced by:
//!
//! ```json
//!   "encryption": {
//!     "kdf": "scrypt", "log_n": 17, "r": 8, "p": 1, "salt": "<32 hex: 16 bytes>",
//!     "cipher": "chacha20poly1305", "nonce": "<24 hex: 12 bytes>"
//!   },
//!   "encrypted_secret_key": "<96 hex: 32-byte seed encrypted, then the 16-byte tag>"
//! ```
//!
//! The 32-byte key is `scrypt(passphrase, salt, N = 2^log_n, r, p)`; the seed is sealed with
//! ChaCha20-Poly1305 under that key and the nonce, with the lowercase hex of the public key as
//! associated data (so a key file cannot be re-labelled with another public key). The default cost
//! is `log_n = 17, r = 8, p = 1` (128 MiB of memory, a fraction of a second per unlock); files
//! asking for more than 1 GiB are refused, so a hostile file cannot exhaust memory.
//!
//! [`load_secret_key`] also reads OpenSSH Ed25519 private keys (`ssh-keygen -t ed25519`), with or
//! without a passphrase.
//!
//! Every buffer that holds a seed, a derived key or a passphrase is wiped when dropped
//! ([`Zeroizing`]); [`SecretKey`] wipes its signing key on drop and never prints it.

use crate::error::{Error, FormatError, InputError, TrustError};
use crate::fsutil::read_limited;
use crate::trust::{EntryDetails, TrustEntry};
use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub mod csr;
pub mod demo;
pub mod passphrase;
mod secret_dir;
use secret_dir::{check_secret_replacement, create_secret_dir};
pub use secret_dir::{is_trust_store_dir, user_secret_dir};

/// The `format` of a secret key file.
pub const SECRET_KEY_FORMAT: &str = "transmittal-secret-key-v1";
/// File name suffix of a secret key file written by [`keygen`] (`ID.key`).
pub const SECRET_KEY_SUFFIX: &str = ".key";
/// The environment variable that supplies a passphrase without a prompt (the `transmittal`
/// command reads it; the library never reads the environment for a passphrase, nor prompts).
pub const PASSPHRASE_ENV: &str = "TRANSMITTAL_PASSPHRASE";
/// The message of the [`TrustError::BadSecretKey`] a wrong passphrase gives
/// ([`crate::passphrase::is_wrong_passphrase`] recognises it).
pub(crate) const WRONG_PASSPHRASE: &str = "wrong passphrase (or the encrypted key was altered); try again, and check TRANSMITTAL_PASSPHRASE if it is set";
/// Default scrypt cost: `N = 2^17`.
pub const DEFAULT_KDF_LOG_N: u8 = 17;
/// scrypt block size `r` used by [`keygen`].
pub const KDF_R: u32 = 8;
/// scrypt parallelism `p` used by [`keygen`].
pub const KDF_P: u32 = 1;
/// The most memory a key file may ask scrypt for (`128 * r * 2^log_n` bytes): 1 GiB.
pub const MAX_KDF_MEMORY: u64 = 1 << 30;
/// The largest secret key file read.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

const KDF_NAME: &str = "scrypt";
const CIPHER_NAME: &str = "chacha20poly1305";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const OPENSSH_BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
/// bcrypt-pbkdf rounds above this in an OpenSSH key are refused (ssh-keygen's default is 16).
const MAX_BCRYPT_ROUNDS: u32 = 1 << 16;

pub use transmittal_core::keyid::{
    decode_hex_array, fingerprint, key_id, parse_public_key, ssh_fingerprint,
};

/// An Ed25519 secret key ready to sign. The signing key is wiped from memory on drop, and
/// `Debug` shows only the public key id.
pub struct SecretKey {
    signing_key: SigningKey,
    id: Option<String>,
    comment: Option<String>,
}

impl SecretKey {
    /// A secret key from a 32-byte seed (for tests and deterministic demo keys).
    pub fn from_seed(seed: &[u8; 32], id: Option<String>, comment: Option<String>) -> SecretKey {
        SecretKey {
            signing_key: SigningKey::from_bytes(seed),
            id,
            comment,
        }
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing_key.verifying_key().to_bytes()
    }

    /// The key id (first 16 hex characters of the fingerprint) of the public key.
    pub fn key_id(&self) -> String {
        key_id(&self.public_key())
    }

    /// The signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing_key
    }

    /// The trust-store id recorded in the key file (`None` for OpenSSH keys).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The comment of an OpenSSH key, if it has one.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("key_id", &self.key_id())
            .field("id", &self.id)
            .field("comment", &self.comment)
            .finish_non_exhaustive()
    }
}

/// A hex string that holds secret material; wiped on drop.
struct SecretHex(Zeroizing<String>);

impl<'de> Deserialize<'de> for SecretHex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretHex(Zeroizing::new(s)))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EncryptionParams {
    kdf: String,
    log_n: u8,
    r: u32,
    p: u32,
    salt: String,
    cipher: String,
    nonce: String,
}

#[derive(Deserialize)]
struct FormatProbe {
    #[serde(default)]
    format: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretKeyFileIn {
    format: String,
    id: String,
    public_key: String,
    #[serde(default)]
    secret_key: Option<SecretHex>,
    #[serde(default)]
    encryption: Option<EncryptionParams>,
    #[serde(default)]
    encrypted_secret_key: Option<String>,
}

#[derive(Serialize)]
struct SecretKeyFileOut<'a> {
    format: &'a str,
    id: &'a str,
    public_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encryption: Option<&'a EncryptionParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypted_secret_key: Option<&'a str>,
}

fn bad_key(path: &Path, message: impl Into<String>) -> Error {
    TrustError::BadSecretKey {
        path: path.to_path_buf(),
        message: message.into(),
    }
    .into()
}

/// Check that scrypt parameters are usable and within [`MAX_KDF_MEMORY`].
fn kdf_params(log_n: u8, r: u32, p: u32) -> Result<scrypt::Params, String> {
    let memory = 128u64
        .checked_mul(u64::from(r))
        .and_then(|m| m.checked_mul(1u64.checked_shl(u32::from(log_n))?));
    let ok = (1..=32).contains(&log_n)
        && (1..=64).contains(&r)
        && (1..=16).contains(&p)
        && memory.is_some_and(|m| m <= MAX_KDF_MEMORY);
    if !ok {
        return Err(format!(
            "scrypt parameters log_n={log_n} r={r} p={p} are out of range (at most {} MiB of memory, p <= 16)",
            MAX_KDF_MEMORY >> 20
        ));
    }
    scrypt::Params::new(log_n, r, p, 32)
        .map_err(|_| format!("invalid scrypt parameters log_n={log_n} r={r} p={p}"))
}

fn derive_key(
    passphrase: &str,
    salt: &[u8],
    params: &scrypt::Params,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(passphrase.as_bytes(), salt, params, &mut key[..])
        .map_err(|_| "scrypt failed".to_string())?;
    Ok(key)
}

/// Serialize a secret key file. `encryption` is `(passphrase, log_n)`.
fn encode_secret_key_file(
    id: &str,
    signing_key: &SigningKey,
    encryption: Option<(&str, u8)>,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let public_hex = hex::encode(signing_key.verifying_key().to_bytes());
    let seed = Zeroizing::new(signing_key.to_bytes());
    let mut out = Zeroizing::new(Vec::with_capacity(1024));
    let written = match encryption {
        None => {
            let seed_hex = Zeroizing::new(hex::encode(&seed[..]));
            let file = SecretKeyFileOut {
                format: SECRET_KEY_FORMAT,
                id,
                public_key: &public_hex,
                secret_key: Some(&seed_hex),
                encryption: None,
                encrypted_secret_key: None,
            };
            serde_json::to_writer_pretty(&mut *out, &file)
        }
        Some((passphrase, log_n)) => {
            let params = kdf_params(log_n, KDF_R, KDF_P).map_err(InputError::Invalid)?;
            let mut salt = [0u8; SALT_LEN];
            let mut nonce = [0u8; NONCE_LEN];
            random_bytes(&mut salt)?;
            random_bytes(&mut nonce)?;
            let key = derive_key(passphrase, &salt, &params).map_err(InputError::Invalid)?;
            let cipher = ChaCha20Poly1305::new_from_slice(&key[..])
                .map_err(|_| InputError::Invalid("cannot initialise ChaCha20-Poly1305".into()))?;
            let mut sealed = Zeroizing::new(*seed);
            let tag = cipher
                .encrypt_in_place_detached(&nonce.into(), public_hex.as_bytes(), &mut sealed[..])
                .map_err(|_| InputError::Invalid("encryption failed".into()))?;
            let mut ct = Vec::with_capacity(32 + TAG_LEN);
            ct.extend_from_slice(&sealed[..]);
            ct.extend_from_slice(&tag);
            let params = EncryptionParams {
                kdf: KDF_NAME.into(),
                log_n,
                r: KDF_R,
                p: KDF_P,
                salt: hex::encode(salt),
                cipher: CIPHER_NAME.into(),
                nonce: hex::encode(nonce),
            };
            let ct_hex = hex::encode(&ct);
            let file = SecretKeyFileOut {
                format: SECRET_KEY_FORMAT,
                id,
                public_key: &public_hex,
                secret_key: None,
                encryption: Some(&params),
                encrypted_secret_key: Some(&ct_hex),
            };
            serde_json::to_writer_pretty(&mut *out, &file)
        }
    };
    written.map_err(|e| InputError::Invalid(format!("cannot serialize the secret key: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

fn random_bytes(buf: &mut [u8]) -> Result<(), Error> {
    use rand_core::RngCore;
    rand_core::OsRng.try_fill_bytes(buf).map_err(|e| {
        InputError::Invalid(format!(
            "the operating system's random number generator failed: {e}"
        ))
        .into()
    })
}

/// Load a secret key: a `transmittal-secret-key-v1` file or an OpenSSH Ed25519 private key.
///
/// `passphrase` is called only when the key is encrypted. The file must not be readable by group
/// or others (Unix); `-` reads the key from standard input (no mode check).
pub fn load_secret_key(
    path: &Path,
    passphrase: &mut dyn FnMut() -> Result<Zeroizing<String>, Error>,
) -> Result<SecretKey, Error> {
    check_permissions(path)?;
    let bytes = Zeroizing::new(read_limited(path, MAX_KEY_FILE_BYTES)?);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = &bytes[start..];
    if body.starts_with(OPENSSH_BEGIN.as_bytes()) {
        load_openssh(path, body, passphrase)
    } else if body.starts_with(b"{") {
        load_transmittal(path, body, passphrase)
    } else if body.starts_with(b"ssh-") || body.starts_with(b"ecdsa-") || body.starts_with(b"sk-") {
        Err(bad_key(
            path,
            "this is an OpenSSH public key; give the private key file (without .pub)",
        ))
    } else if body.starts_with(b"-----BEGIN") {
        Err(bad_key(
            path,
            "unsupported PEM key; give an OpenSSH Ed25519 private key (`ssh-keygen -t ed25519`) or a transmittal secret key (`transmittal keygen`)",
        ))
    } else {
        Err(bad_key(
            path,
            "not a secret key: expected a transmittal-secret-key-v1 JSON file or an OpenSSH Ed25519 private key",
        ))
    }
}

#[cfg(unix)]
fn check_permissions(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    if path == Path::new("-") {
        return Ok(());
    }
    let meta = std::fs::metadata(path).map_err(|source| InputError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(TrustError::InsecurePermissions {
            path: path.to_path_buf(),
            mode: mode & 0o7777,
        }
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path) -> Result<(), Error> {
    Ok(())
}

fn load_transmittal(
    path: &Path,
    body: &[u8],
    passphrase: &mut dyn FnMut() -> Result<Zeroizing<String>, Error>,
) -> Result<SecretKey, Error> {
    let malformed = |e: serde_json::Error| -> Error {
        FormatError::Malformed {
            path: path.to_path_buf(),
            message: format!("not a valid secret key file: {e}"),
        }
        .into()
    };
    let probe: FormatProbe = serde_json::from_slice(body).map_err(malformed)?;
    match probe.format {
        Some(serde_json::Value::String(s)) if s == SECRET_KEY_FORMAT => {}
        Some(serde_json::Value::String(s)) => {
            return Err(FormatError::UnsupportedFormat {
                path: path.to_path_buf(),
                found: s,
                expected: SECRET_KEY_FORMAT,
            }
            .into())
        }
        _ => {
            return Err(FormatError::Malformed {
                path: path.to_path_buf(),
                message: format!(
                    "no \"format\": {SECRET_KEY_FORMAT:?} field; not a transmittal secret key"
                ),
            }
            .into())
        }
    }
    let file: SecretKeyFileIn = serde_json::from_slice(body).map_err(malformed)?;
    if file.format != SECRET_KEY_FORMAT {
        return Err(bad_key(path, "unexpected format"));
    }
    if !crate::chain::valid_id(&file.id) {
        return Err(bad_key(
            path,
            format!("id {:?} is not a valid trust-store id", file.id),
        ));
    }
    let public_key: [u8; 32] = decode_hex_array(&file.public_key)
        .ok_or_else(|| bad_key(path, "public_key must be 64 lowercase hex characters"))?;
    let seed: Zeroizing<[u8; 32]> = match (
        file.secret_key,
        file.encryption,
        file.encrypted_secret_key,
    ) {
        (Some(hex_seed), None, None) => {
            let mut seed = Zeroizing::new([0u8; 32]);
            let ok = hex_seed.0.len() == 64
                && hex_seed
                    .0
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                && hex::decode_to_slice(hex_seed.0.as_bytes(), &mut seed[..]).is_ok();
            if !ok {
                return Err(bad_key(
                    path,
                    "secret_key must be 64 lowercase hex characters",
                ));
            }
            seed
        }
        (None, Some(params), Some(ct_hex)) => {
            let pass = passphrase()?;
            decrypt_seed(path, &params, &ct_hex, &file.public_key, &pass)?
        }
        _ => return Err(bad_key(
            path,
            "expected either \"secret_key\" or both \"encryption\" and \"encrypted_secret_key\"",
        )),
    };
    let signing_key = SigningKey::from_bytes(&seed);
    if signing_key.verifying_key().to_bytes() != public_key {
        return Err(bad_key(
            path,
            "the secret key does not belong to the public_key recorded in the file",
        ));
    }
    parse_public_key(&public_key).map_err(|m| bad_key(path, m))?;
    Ok(SecretKey {
        signing_key,
        id: Some(file.id),
        comment: None,
    })
}

fn decrypt_seed(
    path: &Path,
    params: &EncryptionParams,
    ct_hex: &str,
    public_hex: &str,
    passphrase: &str,
) -> Result<Zeroizing<[u8; 32]>, Error> {
    if params.kdf != KDF_NAME {
        return Err(bad_key(
            path,
            format!(
                "unsupported kdf {:?} (this version reads {KDF_NAME:?})",
                params.kdf
            ),
        ));
    }
    if params.cipher != CIPHER_NAME {
        return Err(bad_key(
            path,
            format!(
                "unsupported cipher {:?} (this version reads {CIPHER_NAME:?})",
                params.cipher
            ),
        ));
    }
    let scrypt_params =
        kdf_params(params.log_n, params.r, params.p).map_err(|m| bad_key(path, m))?;
    let salt: [u8; SALT_LEN] = decode_hex_array(&params.salt)
        .ok_or_else(|| bad_key(path, "encryption.salt must be 32 lowercase hex characters"))?;
    let nonce: [u8; NONCE_LEN] = decode_hex_array(&params.nonce)
        .ok_or_else(|| bad_key(path, "encryption.nonce must be 24 lowercase hex characters"))?;
    let ct: [u8; 32 + TAG_LEN] = decode_hex_array(ct_hex).ok_or_else(|| {
        bad_key(
            path,
            "encrypted_secret_key must be 96 lowercase hex characters",
        )
    })?;
    let key = derive_key(passphrase, &salt, &scrypt_params).map_err(|m| bad_key(path, m))?;
    let cipher = ChaCha20Poly1305::new_from_slice(&key[..])
        .map_err(|_| bad_key(path, "cannot initialise ChaCha20-Poly1305"))?;
    let mut seed = Zeroizing::new([0u8; 32]);
    seed.copy_from_slice(&ct[..32]);
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&ct[32..]);
    cipher
        .decrypt_in_place_detached(
            &nonce.into(),
            public_hex.as_bytes(),
            &mut seed[..],
            &tag.into(),
        )
        .map_err(|_| bad_key(path, WRONG_PASSPHRASE))?;
    Ok(seed)
}

fn load_openssh(
    path: &Path,
    body: &[u8],
    passphrase: &mut dyn FnMut() -> Result<Zeroizing<String>, Error>,
) -> Result<SecretKey, Error> {
    let mut key = ssh_key::PrivateKey::from_openssh(body)
        .map_err(|e| bad_key(path, format!("not a valid OpenSSH private key: {e}")))?;
    let algorithm = key.algorithm();
    if algorithm != ssh_key::Algorithm::Ed25519 {
        return Err(bad_key(
            path,
            format!(
                "this is an OpenSSH {} key; transmittal signs with Ed25519 only (create one with `ssh-keygen -t ed25519`)",
                algorithm.as_str()
            ),
        ));
    }
    if key.is_encrypted() {
        if let ssh_key::Kdf::Bcrypt { rounds, .. } = key.kdf() {
            if *rounds > MAX_BCRYPT_ROUNDS {
                return Err(bad_key(
                    path,
                    format!("bcrypt-pbkdf rounds {rounds} exceed the limit of {MAX_BCRYPT_ROUNDS}"),
                ));
            }
        }
        let pass = passphrase()?;
        key = key
            .decrypt(pass.as_bytes())
            .map_err(|_| bad_key(path, WRONG_PASSPHRASE))?;
    }
    let keypair = key
        .key_data()
        .ed25519()
        .ok_or_else(|| bad_key(path, "not an Ed25519 key"))?;
    let signing_key = SigningKey::try_from(keypair).map_err(|_| {
        bad_key(
            path,
            "the private key does not match the public key stored with it",
        )
    })?;
    let public_key = signing_key.verifying_key().to_bytes();
    parse_public_key(&public_key).map_err(|m| bad_key(path, m))?;
    let comment = Some(key.comment().trim().to_string()).filter(|c| !c.is_empty());
    Ok(SecretKey {
        signing_key,
        id: None,
        comment,
    })
}

/// What [`keygen`] makes.
pub struct KeygenOptions {
    /// Trust-store id (also the file names `ID.key` and `ID.pub.json`).
    pub id: String,
    /// The signatory's name as it appears on "(Signed)" lines.
    pub name: String,
    /// Title, e.g. "Secretary-General of NATO".
    pub title: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// First day the key is valid (inclusive).
    pub valid_from: Option<crate::dates::Date>,
    /// Last day the key is valid (inclusive).
    pub valid_until: Option<crate::dates::Date>,
    /// A note stored in the trust-store entry.
    pub note: Option<String>,
    /// Alternative spellings of the name as documents print them (at most
    /// [`crate::trust::MAX_ALSO_KNOWN_AS`]).
    pub also_known_as: Vec<String>,
    /// The trust-store directory for `ID.pub.json` (created with mode 0700 if missing).
    pub out_dir: PathBuf,
    /// The directory for the secret key `ID.key` (created with mode 0700 if missing): never a
    /// trust store ([`is_trust_store_dir`]), whose entries are meant to be shared. The command
    /// line's default is [`user_secret_dir`].
    pub secret_dir: PathBuf,
    /// Overwrite existing files.
    pub force: bool,
    /// Encrypt the secret key with this passphrase; `None` writes it unencrypted.
    pub passphrase: Option<Zeroizing<String>>,
    /// Derive the key from this seed instead of the OS random generator (demo keys, tests).
    pub seed: Option<Zeroizing<[u8; 32]>>,
    /// scrypt cost `log_n` for an encrypted key ([`DEFAULT_KDF_LOG_N`] = 17; tests use less).
    pub kdf_log_n: u8,
}

impl KeygenOptions {
    /// Options with the given id, name, trust-store directory and secret-key directory;
    /// everything else empty, unencrypted, random key, default scrypt cost.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        out_dir: impl Into<PathBuf>,
        secret_dir: impl Into<PathBuf>,
    ) -> Self {
        KeygenOptions {
            id: id.into(),
            name: name.into(),
            title: None,
            organisation: None,
            valid_from: None,
            valid_until: None,
            note: None,
            also_known_as: Vec::new(),
            out_dir: out_dir.into(),
            secret_dir: secret_dir.into(),
            force: false,
            passphrase: None,
            seed: None,
            kdf_log_n: DEFAULT_KDF_LOG_N,
        }
    }
}

impl fmt::Debug for KeygenOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeygenOptions")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("title", &self.title)
            .field("organisation", &self.organisation)
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .field("note", &self.note)
            .field("also_known_as", &self.also_known_as)
            .field("out_dir", &self.out_dir)
            .field("secret_dir", &self.secret_dir)
            .field("force", &self.force)
            .field("encrypted", &self.passphrase.is_some())
            .field("seeded", &self.seed.is_some())
            .field("kdf_log_n", &self.kdf_log_n)
            .finish()
    }
}

/// What [`keygen`] wrote.
#[derive(Debug, Clone)]
pub struct KeygenOutput {
    /// The secret key file (`SECRET_DIR/ID.key`, mode 0600).
    pub secret_path: PathBuf,
    /// The trust-store entry (`DIR/ID.pub.json`).
    pub entry_path: PathBuf,
    /// The entry written.
    pub entry: TrustEntry,
}

/// Generate a key pair: the secret key `SECRET_DIR/ID.key` (mode 0600, encrypted if a passphrase
/// is given) and the trust-store entry `OUT_DIR/ID.pub.json`. A secret directory that is a trust
/// store ([`is_trust_store_dir`]) is refused before anything is written. Existing files are
/// refused unless `force`; both files are written or neither
/// ([`crate::fsutil::write_all_or_nothing`]).
pub fn keygen(opts: &KeygenOptions) -> Result<KeygenOutput, Error> {
    let details = EntryDetails {
        id: opts.id.clone(),
        name: opts.name.clone(),
        title: opts.title.clone(),
        organisation: opts.organisation.clone(),
        valid_from: opts.valid_from,
        valid_until: opts.valid_until,
        note: opts.note.clone(),
        also_known_as: opts.also_known_as.clone(),
    };
    if opts.passphrase.is_some() {
        kdf_params(opts.kdf_log_n, KDF_R, KDF_P).map_err(InputError::Invalid)?;
    }
    let seed: Zeroizing<[u8; 32]> = match &opts.seed {
        Some(s) => s.clone(),
        None => {
            let mut s = Zeroizing::new([0u8; 32]);
            random_bytes(&mut s[..])?;
            s
        }
    };
    let signing_key = SigningKey::from_bytes(&seed);
    let public_key = signing_key.verifying_key().to_bytes();
    let entry_path = opts
        .out_dir
        .join(format!("{}{}", opts.id, crate::trust::ENTRY_SUFFIX));
    // Validates every field of the entry, including the id, before any path is built from it.
    let entry =
        TrustEntry::build(&details, public_key, entry_path.clone()).map_err(InputError::Invalid)?;
    let secret_path = opts
        .secret_dir
        .join(format!("{}{}", opts.id, SECRET_KEY_SUFFIX));
    let secret_bytes = encode_secret_key_file(
        &opts.id,
        &signing_key,
        opts.passphrase
            .as_ref()
            .map(|p| (p.as_str(), opts.kdf_log_n)),
    )?;
    if is_trust_store_dir(&opts.secret_dir, &opts.out_dir) {
        return Err(InputError::Invalid(format!(
            "{} is a trust store (its entries are shared with others); a secret key is kept apart from it",
            opts.secret_dir.display()
        ))
        .into());
    }
    if !opts.out_dir.is_dir() {
        // A new directory is made private (0700), so that it can serve as a trust store whatever
        // the umask (group-writable stores are refused).
        crate::trust::create_store_dir(&opts.out_dir)?;
    }
    let store = crate::trust::load(&opts.out_dir)?;
    crate::trust::check_new_entry(&store, &entry, opts.force)?;
    if opts.force {
        check_secret_replacement(&secret_path, &entry_path)?;
    }
    let entry_bytes = Zeroizing::new(entry.to_json_pretty().into_bytes());
    create_secret_dir(&opts.secret_dir)?;
    crate::fsutil::write_all_or_nothing(
        &[
            crate::fsutil::PendingWrite {
                path: secret_path.clone(),
                bytes: secret_bytes,
                mode: Some(0o600),
            },
            crate::fsutil::PendingWrite {
                path: entry_path.clone(),
                bytes: entry_bytes,
                mode: Some(crate::trust::ENTRY_MODE),
            },
        ],
        if opts.force {
            crate::fsutil::Existing::Replace
        } else {
            crate::fsutil::Existing::Refuse
        },
    )?;
    Ok(KeygenOutput {
        secret_path,
        entry_path,
        entry,
    })
}

#[cfg(test)]
mod tests;
