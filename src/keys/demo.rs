//! The demo keys — **DEMO ONLY**: two Ed25519 key pairs derived from published seeds, so that
//! anyone can replay the example chain in `examples/` (`examples/demo-keys/README.md`). They were
//! not issued by, and do not belong to, the organisations or people named.
//!
//! [`files`] gives every committed file (the secret keys in `examples/demo-keys/`, their
//! trust-store entries in `keys/`) byte for byte; `cargo run --example demo_keys -- --write`
//! writes them and `--check` (the default) compares them with the committed ones ([`check`]).

use super::{encode_secret_key_file, SecretKey};
use crate::error::{Error, InputError};
use crate::trust::{EntryDetails, TrustEntry};
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The note stored in each demo trust-store entry.
pub const NOTE: &str = "DEMO ONLY: generated for the transmittal examples from a published seed; not issued by or belonging to the United Nations, NATO or the person named.";

/// One demo identity.
#[derive(Debug, Clone, Copy)]
pub struct Demo {
    /// Trust-store id (also the file names).
    pub id: &'static str,
    /// The name as on the "(Signed)" lines of the example.
    pub name: &'static str,
    /// Title.
    pub title: &'static str,
    /// Organisation.
    pub organisation: &'static str,
    /// First valid day.
    pub valid_from: &'static str,
    /// Last valid day, if any.
    pub valid_until: Option<&'static str>,
}

/// The demo identities.
pub const DEMOS: [Demo; 2] = [
    Demo {
        id: "guterres",
        name: "António Guterres",
        title: "Secretary-General of the United Nations",
        organisation: "United Nations",
        valid_from: "2017-01-01",
        valid_until: None,
    },
    Demo {
        id: "stoltenberg",
        name: "Jens Stoltenberg",
        title: "Secretary-General of NATO",
        organisation: "North Atlantic Treaty Organization",
        valid_from: "2014-10-01",
        valid_until: Some("2024-09-30"),
    },
];

/// The published seed of a demo key: `SHA-256("transmittal demo key v1: " + id)`.
pub fn seed(id: &str) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(Sha256::digest(format!("transmittal demo key v1: {id}")).into())
}

/// The demo secret key `id`.
pub fn secret_key(id: &str) -> SecretKey {
    SecretKey::from_seed(&seed(id), Some(id.to_owned()), None)
}

/// One committed file.
pub struct DemoFile {
    /// Its path relative to the repository root.
    pub path: PathBuf,
    /// Its exact contents.
    pub bytes: Zeroizing<Vec<u8>>,
    /// Its Unix mode when written (0600 for a secret key, 0644 for an entry).
    pub mode: u32,
}

/// Every demo file: for each identity its trust-store entry `keys/ID.pub.json` and its
/// unencrypted secret key `examples/demo-keys/ID.key`.
pub fn files() -> Result<Vec<DemoFile>, Error> {
    let date = |s: &str| {
        crate::dates::parse_iso(s)
            .ok_or_else(|| Error::from(InputError::Invalid(format!("bad demo date {s}"))))
    };
    let mut out = Vec::new();
    for d in &DEMOS {
        let key = secret_key(d.id);
        let details = EntryDetails {
            id: d.id.into(),
            name: d.name.into(),
            title: Some(d.title.into()),
            organisation: Some(d.organisation.into()),
            valid_from: Some(date(d.valid_from)?),
            valid_until: d.valid_until.map(date).transpose()?,
            note: Some(NOTE.into()),
            also_known_as: Vec::new(),
        };
        let entry_path = PathBuf::from(format!("keys/{}{}", d.id, crate::trust::ENTRY_SUFFIX));
        let entry = TrustEntry::build(&details, key.public_key(), entry_path.clone())
            .map_err(InputError::Invalid)?;
        out.push(DemoFile {
            path: entry_path,
            bytes: Zeroizing::new(entry.to_json_pretty().into_bytes()),
            mode: crate::trust::ENTRY_MODE,
        });
        out.push(DemoFile {
            path: PathBuf::from(format!(
                "examples/demo-keys/{}{}",
                d.id,
                super::SECRET_KEY_SUFFIX
            )),
            bytes: encode_secret_key_file(d.id, key.signing_key(), None)?,
            mode: 0o600,
        });
    }
    Ok(out)
}

/// The demo files under `root` that are missing or differ from [`files`] (empty: all match).
pub fn check(root: &Path) -> Result<Vec<PathBuf>, Error> {
    Ok(files()?
        .into_iter()
        .filter(|f| std::fs::read(root.join(&f.path)).ok().as_deref() != Some(&f.bytes[..]))
        .map(|f| f.path)
        .collect())
}

/// Write every demo file under `root` (atomically, replacing what is there); the paths written.
pub fn write(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for f in files()? {
        let path = root.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| InputError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        crate::fsutil::write_atomic(
            &path,
            &f.bytes,
            Some(f.mode),
            crate::fsutil::Existing::Replace,
        )?;
        written.push(f.path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed demo files are exactly what the published seeds give, and the committed
    /// trust store loads and holds the demo keys.
    #[test]
    fn committed_demo_keys_match_their_published_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let differ = check(root).unwrap();
        assert!(
            differ.is_empty(),
            "{differ:?} differ; regenerate with `cargo run --example demo_keys -- --write`"
        );
        let store = crate::trust::load(&root.join("keys")).unwrap();
        for d in &DEMOS {
            let e = store.by_id(d.id).unwrap();
            assert_eq!(e.public_key, secret_key(d.id).public_key());
            assert_eq!(store.by_name(d.name).len(), 1);
        }
    }

    /// `write` then `check` in a fresh directory: every file, with its mode.
    #[test]
    fn write_then_check() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check(dir.path()).unwrap().len(), 2 * DEMOS.len());
        let written = write(dir.path()).unwrap();
        assert_eq!(written.len(), 2 * DEMOS.len());
        assert!(check(dir.path()).unwrap().is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("examples/demo-keys/guterres.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
