//! Where secret keys live: the user's secret folder, beside (never inside) the trust store, and
//! the checks that keep a secret key out of every trust store and keep `keygen --force` from
//! replacing another store's key.

use super::SecretKeyFileIn;
use crate::error::{Error, InputError};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The user's folder for secret keys: `$XDG_CONFIG_HOME/transmittal/secret` when
/// `XDG_CONFIG_HOME` is set to an absolute path, else `$HOME/.config/transmittal/secret` when
/// `HOME` is set and not empty, else none. It sits beside the user's trust store
/// ([`crate::trust::user_store_dir`]), never inside it.
pub fn user_secret_dir(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    crate::trust::user_store_dir(xdg_config_home, home)
        .and_then(|keys| keys.parent().map(|p| p.join("secret")))
}

/// Whether `dir` is a trust store or inside one, where no secret key belongs: it is `store_dir`
/// or a folder below it (however named: symbolic links resolved where the folders exist), or it
/// holds a trust-store entry (`*.pub.json`). A secret key below a store would travel with it
/// whenever the store is copied or published.
pub fn is_trust_store_dir(dir: &Path, store_dir: &Path) -> bool {
    let inside = |a: &Path, b: &Path| a.starts_with(b);
    let canonical = match (existing_canonical(dir), std::fs::canonicalize(store_dir)) {
        (Some(a), Ok(b)) => inside(&a, &b),
        _ => false,
    };
    // Without `..` (which only the file system can resolve), compare the names too: the store or
    // the secret folder may not exist yet.
    let has_parent_dir = |p: &Path| {
        p.components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    };
    let lexical = !has_parent_dir(dir)
        && !has_parent_dir(store_dir)
        && match (std::path::absolute(dir), std::path::absolute(store_dir)) {
            (Ok(a), Ok(b)) => inside(&normalize(&a), &normalize(&b)),
            _ => inside(&normalize(dir), &normalize(store_dir)),
        };
    canonical
        || lexical
        || std::fs::read_dir(dir).is_ok_and(|rd| {
            rd.flatten().any(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.ends_with(crate::trust::ENTRY_SUFFIX))
            })
        })
}

/// `dir` with symbolic links resolved: its nearest existing ancestor canonicalized, with the
/// rest of the path (folders not created yet) joined on.
fn existing_canonical(dir: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut at = dir;
    loop {
        if let Ok(c) = std::fs::canonicalize(at) {
            return Some(rest.iter().rev().fold(c, |p, part| p.join(part)));
        }
        rest.push(at.file_name()?.to_owned());
        at = at.parent()?;
        if at.as_os_str().is_empty() {
            at = Path::new(".");
        }
    }
}

/// Refuse to replace an existing secret key file (`--force`) unless it holds the key of the entry
/// being replaced in this store: the user's secret folder is shared by every store, and the same
/// id in another store would otherwise silently lose that store's secret key.
pub(super) fn check_secret_replacement(secret_path: &Path, entry_path: &Path) -> Result<(), Error> {
    let Ok(bytes) = std::fs::read(secret_path) else {
        return Ok(()); // nothing there (or unreadable: the write reports it)
    };
    let secret_key = serde_json::from_slice::<SecretKeyFileIn>(&bytes)
        .ok()
        .map(|f| f.public_key);
    let entry_key = std::fs::read(entry_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| {
            v.get("public_key")
                .and_then(|k| k.as_str())
                .map(str::to_owned)
        });
    match (secret_key, entry_key) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err(InputError::Invalid(format!(
            "{} holds another secret key than the one of {} (the secret-key folder is shared by every trust store); refusing to replace it even with --force: give --secret-dir DIR, or move the old key away yourself",
            secret_path.display(),
            entry_path.display()
        ))
        .into()),
    }
}

/// `p` without `.` components (for comparing paths that do not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let n: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if n.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        n
    }
}

/// Create the secret-key directory `dir` if it is missing: its parents as usual, `dir` itself
/// with mode 0700 (unix).
pub(super) fn create_secret_dir(dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        return Ok(());
    }
    let write_err = |source| -> Error {
        InputError::Write {
            path: dir.to_path_buf(),
            source,
        }
        .into()
    };
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(write_err)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Err(e) if !(e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir()) => {
            Err(write_err(e))
        }
        _ => Ok(()),
    }
}
