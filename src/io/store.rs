//! The trust store on disk: finding it, reading it, and writing entries.
//!
//! What an entry is and how a loaded store answers questions lives in the pure core
//! ([`transmittal_core::trust`], re-exported here so that `transmittal::trust::X` names both).
//! This module does the file-system half: [`locate_store`] chooses the store (`--keys`,
//! `TRANSMITTAL_KEYS`, the user's store, the system store; never the current directory), [`open`]
//! refuses a named store that is missing or empty and a store writable by group or others
//! (docs/FORMAT.md §8.2.1, "Which trust store"), and entries are written atomically with mode
//! 0644 (see [`crate::fsutil::write_atomic`]).

pub use transmittal_core::trust::*;

mod anchors;
mod import;
pub use anchors::*;
pub use import::*;
#[cfg(test)]
mod tests;

use crate::chain::valid_id;
use crate::dates::{format_iso, Date};
use crate::error::{Error, InputError, TrustError};
use crate::fsutil::{read_limited, write_atomic, Existing};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Read and validate one entry file.
pub fn load_entry(path: &Path) -> Result<TrustEntry, Error> {
    let bytes = read_limited(path, MAX_ENTRY_BYTES)?;
    TrustEntry::from_json(&bytes, path)
}

/// Open the store [`locate_store`] found, with the checks a store that decides whom to
/// believe needs:
///
/// * a store named explicitly ([`StoreSource::Flag`], [`StoreSource::Env`]) must exist, be a
///   directory and hold at least one entry; otherwise the error says so and how to fix it;
/// * the directory and every entry file must not be writable by group or others (unix; see
///   [`check_store_permissions`]);
/// * no store found ([`StoreSource::None`]) gives an empty store: every signature is then
///   `unknown-key`, and [`TrustStore::describe`] says where it looked.
pub fn open(location: &StoreLocation) -> Result<TrustStore, Error> {
    let Some(dir) = &location.path else {
        let store = TrustStore::empty(location.searched.first().map_or(Path::new(""), |p| p))
            .located(location.clone());
        return Ok(store);
    };
    let explicit = location.source.is_explicit();
    let named = location.describe();
    let unusable = |what: &str| -> Error {
        TrustError::StoreUnusable {
            path: dir.clone(),
            message: format!(
                "trust store {named} {what}: create it with `transmittal keys import --keys {} …` (or `transmittal keygen --out-dir {} …`), or name another with --keys DIR",
                dir.display(),
                dir.display()
            ),
        }
        .into()
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(unusable("is not a directory")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit => {
            return Err(unusable("does not exist"))
        }
        // Found by the search a moment ago and gone now: as if not found.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(TrustStore::empty(dir).located(StoreLocation {
                path: None,
                source: StoreSource::None,
                searched: location.searched.clone(),
            }));
        }
        Err(source) => {
            return Err(InputError::Read {
                path: dir.clone(),
                source,
            }
            .into())
        }
    }
    let store = load_dir(dir, true)?;
    if explicit && store.is_empty() && store.anchors().roots.is_empty() {
        return Err(unusable(&format!(
            "holds no entries (no *{ENTRY_SUFFIX} files) and no organisation roots ({ROOTS_DIR}/)"
        )));
    }
    Ok(store.located(location.clone()))
}

/// Load every `*.pub.json` in `dir` (not recursive), sorted by file name. A missing directory
/// is an empty store (the verifier then reports unknown keys), not an error.
///
/// No permission checks are made here: [`open`] makes them for the store that
/// decides whom to believe.
pub fn load(dir: &Path) -> Result<TrustStore, Error> {
    load_dir(dir, false)
}

fn load_dir(dir: &Path, check_modes: bool) -> Result<TrustStore, Error> {
    if check_modes {
        check_mode(dir)?;
    }
    let read_err = |source| -> Error {
        InputError::Read {
            path: dir.to_path_buf(),
            source,
        }
        .into()
    };
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TrustStore::empty(dir)),
        Err(e) => return Err(read_err(e)),
    };
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for item in rd {
        let item = item.map_err(read_err)?;
        let name = item.file_name();
        match name.to_str() {
            Some(n) if n.ends_with(ENTRY_SUFFIX) => files.push((n.to_string(), item.path())),
            Some(_) => {}
            None => {
                if name.as_encoded_bytes().ends_with(ENTRY_SUFFIX.as_bytes()) {
                    return Err(TrustError::BadEntry {
                        path: item.path(),
                        message: "the file name is not UTF-8, so it cannot name a valid id".into(),
                    }
                    .into());
                }
            }
        }
    }
    files.sort();
    if check_modes {
        for (_, p) in &files {
            check_mode(p)?;
        }
    }
    let entries = files
        .iter()
        .map(|(_, p)| load_entry(p))
        .collect::<Result<Vec<_>, _>>()?;
    let anchors = load_anchors(dir, check_modes)?;
    Ok(TrustStore::from_parsed_entries(dir, entries)?.with_anchors(anchors))
}

/// The store's folder of trusted TSA roots (RFC 3161), PEM or DER certificate files.
pub const TSA_DIR: &str = "tsa";
/// The store's folder of organisation roots, PEM or DER certificate files.
pub const ROOTS_DIR: &str = "roots";
/// The store's folder of certificate revocation lists, PEM or DER.
pub const CRLS_DIR: &str = "crls";

/// The certificates and CRLs of a store: `tsa/` and `roots/` (`*.pem`, `*.crt`, `*.cer`,
/// `*.der`) and `crls/` (`*.pem`, `*.crl`, `*.der`). A missing folder is empty; a file that does
/// not parse is an error naming it (one bad file fails the load, as a bad entry does).
pub fn load_anchors(dir: &Path, check_modes: bool) -> Result<Anchors, Error> {
    const CERTS: &[&str] = &["pem", "crt", "cer", "der"];
    const CRLS: &[&str] = &["pem", "crl", "der"];
    // Each certificate and CRL must decode: a root that cannot be read would silently trust
    // nothing, which is as wrong as the store failing to say so.
    let certs = |bytes: &[u8]| {
        let certs = transmittal_core::pkix::pem::certificates(bytes)?;
        for c in &certs {
            transmittal_core::pkix::path::describe_certificate(c).map_err(|e| e.to_string())?;
        }
        Ok(certs)
    };
    let crls = |bytes: &[u8]| {
        let crls = transmittal_core::pkix::pem::crls(bytes)?;
        for c in &crls {
            transmittal_core::pkix::crl::parse(c).map_err(|e| format!("not a valid CRL: {e}"))?;
        }
        Ok(crls)
    };
    Ok(Anchors {
        tsa_roots: load_blobs(&dir.join(TSA_DIR), CERTS, check_modes, &certs)?,
        roots: load_blobs(&dir.join(ROOTS_DIR), CERTS, check_modes, &certs)?,
        crls: load_blobs(&dir.join(CRLS_DIR), CRLS, check_modes, &crls)?,
    })
}

type BlobParser<'a> = &'a dyn Fn(&[u8]) -> Result<Vec<Vec<u8>>, String>;

fn load_blobs(
    folder: &Path,
    extensions: &[&str],
    check_modes: bool,
    parse: BlobParser<'_>,
) -> Result<Vec<Vec<u8>>, Error> {
    let read_err = |path: &Path, source| -> Error {
        InputError::Read {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    let rd = match std::fs::read_dir(folder) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(read_err(folder, e)),
    };
    if check_modes {
        check_mode(folder)?;
    }
    let mut files = Vec::new();
    for item in rd {
        let path = item.map_err(|e| read_err(folder, e))?.path();
        let ext = path.extension().and_then(OsStr::to_str).unwrap_or("");
        if extensions.contains(&ext) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        if check_modes {
            check_mode(&path)?;
        }
        let bytes = read_limited(
            &path,
            transmittal_core::pkix::pem::MAX_PEM_FILE_BYTES as u64,
        )?;
        let blobs = parse(&bytes).map_err(|message| TrustError::BadEntry {
            path: path.clone(),
            message: format!("{message}; fix it or move it out of the trust store"),
        })?;
        out.extend(blobs);
    }
    Ok(out)
}

fn non_empty(v: Option<&OsStr>) -> Option<&OsStr> {
    v.filter(|v| !v.is_empty())
}

/// The user's trust store: `$XDG_CONFIG_HOME/transmittal/keys` when `XDG_CONFIG_HOME` is set to
/// an absolute path, else `$HOME/.config/transmittal/keys` when `HOME` is set and not empty, else
/// none. (The XDG Base Directory specification says a relative `XDG_CONFIG_HOME` is ignored.)
pub fn user_store_dir(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    if let Some(x) = non_empty(xdg_config_home).map(Path::new) {
        if x.is_absolute() {
            return Some(x.join("transmittal").join("keys"));
        }
    }
    non_empty(home).map(|h| {
        Path::new(h)
            .join(".config")
            .join("transmittal")
            .join("keys")
    })
}

/// Choose the trust store, in this order, from inputs given explicitly (this function reads no
/// environment and touches no file system except through `exists`):
///
/// 1. `flag` (`--keys DIR`), then `env` (`TRANSMITTAL_KEYS`, ignored when empty): used as named
///    whether or not they exist ([`TrustStore::open`] refuses a missing or empty one);
/// 2. the user's store ([`user_store_dir`]) if `exists` says so;
/// 3. the system store [`SYSTEM_STORE`] if `exists` says so;
/// 4. none: [`StoreLocation::path`] is `None` and `searched` lists where it looked.
///
/// There is no implicit store in the current directory: a received bundle (document, signature
/// file, `keys/`) would otherwise vouch for itself.
pub fn locate_store(
    flag: Option<&Path>,
    env: Option<&OsStr>,
    xdg_config_home: Option<&OsStr>,
    home: Option<&OsStr>,
    exists: impl Fn(&Path) -> bool,
) -> StoreLocation {
    let named = |p: PathBuf, source| StoreLocation {
        searched: vec![p.clone()],
        path: Some(p),
        source,
    };
    if let Some(f) = flag {
        return named(f.to_path_buf(), StoreSource::Flag);
    }
    if let Some(e) = non_empty(env) {
        return named(PathBuf::from(e), StoreSource::Env);
    }
    let mut searched = Vec::new();
    let candidates = user_store_dir(xdg_config_home, home)
        .map(|p| (p, StoreSource::User))
        .into_iter()
        .chain(std::iter::once((
            PathBuf::from(SYSTEM_STORE),
            StoreSource::System,
        )));
    for (p, source) in candidates {
        searched.push(p.clone());
        if exists(&p) {
            return StoreLocation {
                path: Some(p),
                source,
                searched,
            };
        }
    }
    StoreLocation {
        path: None,
        source: StoreSource::None,
        searched,
    }
}

/// The store a command that *writes* entries uses (`keys import`, `keys revoke`): `flag`, then
/// `env` (not empty), then the user's store ([`user_store_dir`]), which need not exist yet
/// ([`create_store_dir`] makes it). Never the system store. The error says how to name one.
pub fn store_for_writing(
    flag: Option<&Path>,
    env: Option<&OsStr>,
    xdg_config_home: Option<&OsStr>,
    home: Option<&OsStr>,
) -> Result<StoreLocation, Error> {
    let location = locate_store(flag, env, xdg_config_home, home, |_| true);
    match location.source {
        StoreSource::Flag | StoreSource::Env | StoreSource::User => Ok(location),
        _ => Err(InputError::Invalid(format!(
            "no trust store to write to: neither HOME nor XDG_CONFIG_HOME is set, so there is no user store; name one with --keys DIR or {STORE_ENV}"
        ))
        .into()),
    }
}

/// Create the trust-store directory `dir` if it is missing: its parents as usual, `dir` itself
/// with mode 0700 (unix), so that a umask of 002 does not make it group-writable. An existing
/// directory is checked with [`check_store_permissions`] instead.
pub fn create_store_dir(dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        return check_mode(dir);
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
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => check_mode(dir),
        Err(e) => Err(write_err(e)),
    }
}

/// Refuse a trust-store directory or entry file that group or others may write (unix; always
/// `Ok` elsewhere): whoever can write there could add a key the store would trust. The error
/// names the path and the `chmod go-w` that fixes it. Checks `dir` and every `*.pub.json` in it.
pub fn check_store_permissions(dir: &Path) -> Result<(), Error> {
    check_mode(dir)?;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for item in rd.flatten() {
            if item
                .file_name()
                .as_encoded_bytes()
                .ends_with(ENTRY_SUFFIX.as_bytes())
            {
                check_mode(&item.path())?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn check_mode(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|source| InputError::Read {
            path: path.to_path_buf(),
            source,
        })?
        .permissions()
        .mode();
    if mode & 0o022 != 0 {
        return Err(TrustError::WritableStore {
            path: path.to_path_buf(),
            mode: mode & 0o7777,
        }
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_path: &Path) -> Result<(), Error> {
    Ok(())
}

/// One file of a multi-file write.
pub(crate) struct PendingWrite {
    pub(crate) path: PathBuf,
    pub(crate) bytes: Zeroizing<Vec<u8>>,
    pub(crate) mode: u32,
}

/// Write every file or none (see [`crate::fsutil::write_all_or_nothing`]): existing targets are
/// refused unless `force` (checked before anything is written).
pub(crate) fn write_all_or_nothing(writes: &[PendingWrite], force: bool) -> Result<(), Error> {
    let writes: Vec<crate::fsutil::PendingWrite> = writes
        .iter()
        .map(|w| crate::fsutil::PendingWrite {
            path: w.path.clone(),
            bytes: w.bytes.clone(),
            mode: Some(w.mode),
        })
        .collect();
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    crate::fsutil::write_all_or_nothing(&writes, existing)?;
    Ok(())
}

/// Check that `entry` may be added to `store`: its file is new (unless `force`) and its key is not
/// already held by another id.
pub(crate) fn check_new_entry(
    store: &TrustStore,
    entry: &TrustEntry,
    force: bool,
) -> Result<(), Error> {
    if !force && entry.path.exists() {
        return Err(InputError::Exists {
            path: entry.path.clone(),
        }
        .into());
    }
    if let Some(other) = store.by_key(&entry.public_key) {
        if other.id != entry.id {
            return Err(TrustError::Duplicate {
                first: other.path.clone(),
                second: entry.path.clone(),
                message: format!(
                    "the key {} is already in the trust store as {:?}",
                    entry.key_id, other.id
                ),
            }
            .into());
        }
    }
    Ok(())
}

fn entry_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}{ENTRY_SUFFIX}"))
}

/// Write `entry` to `DIR/ID.pub.json` atomically (mode 0644), creating `dir` if needed. An
/// existing file is refused unless `force`; a key already held by another id is refused. Returns
/// the entry as written (its `path` set).
pub fn write_entry(dir: &Path, entry: &TrustEntry, force: bool) -> Result<TrustEntry, Error> {
    Ok(write_entries(dir, std::slice::from_ref(entry), force)?
        .into_iter()
        .next()
        .unwrap_or_else(|| entry.clone()))
}

/// Write several entries, all or none.
fn write_entries(
    dir: &Path,
    entries: &[TrustEntry],
    force: bool,
) -> Result<Vec<TrustEntry>, Error> {
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        e.validate().map_err(InputError::Invalid)?;
        let mut e = e.clone();
        e.path = entry_path(dir, &e.id);
        out.push(e);
    }
    std::fs::create_dir_all(dir).map_err(|source| InputError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let store = load(dir)?;
    for e in &out {
        check_new_entry(&store, e, force)?;
    }
    let writes: Vec<PendingWrite> = out
        .iter()
        .map(|e| PendingWrite {
            path: e.path.clone(),
            bytes: Zeroizing::new(e.to_json_pretty().into_bytes()),
            mode: ENTRY_MODE,
        })
        .collect();
    write_all_or_nothing(&writes, force)?;
    Ok(out)
}

/// Revoke the key `id` from `at` on (`transmittal keys revoke ID --at DATE --reason KIND
/// [--note TEXT]`), rewriting its entry atomically: `revocation_reason` records the kind
/// (`compromised`, `superseded`, `retired`), and a note, when given, is added to the entry's
/// `note`. A key already revoked may only have its revocation moved earlier: moving it later
/// would make signatures made in between valid.
pub fn revoke(
    dir: &Path,
    id: &str,
    at: Date,
    kind: RevocationKind,
    note: Option<&str>,
) -> Result<TrustEntry, Error> {
    let unknown = || -> Error {
        TrustError::UnknownId {
            id: id.to_string(),
            dir: dir.to_path_buf(),
        }
        .into()
    };
    if !valid_id(id) {
        return Err(unknown());
    }
    let path = entry_path(dir, id);
    if !path.is_file() {
        return Err(unknown());
    }
    let mut entry = load_entry(&path)?;
    if let Some(prev) = entry.revoked_at {
        if at > prev {
            return Err(InputError::Invalid(format!(
                "{id} is already revoked from {}; a later date would make signatures made in between valid again (edit {} by hand if that is really meant)",
                format_iso(prev),
                path.display()
            ))
            .into());
        }
    }
    entry.revoked_at = Some(at);
    entry.revocation_reason = Some(kind.as_str().to_owned());
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        let note = format!("revoked on {} ({}): {note}", format_iso(at), kind.as_str());
        entry.note = Some(match entry.note.take() {
            Some(old) => format!("{old}; {note}"),
            None => note,
        });
    }
    entry.validate().map_err(InputError::Invalid)?;
    write_atomic(
        &path,
        entry.to_json_pretty().as_bytes(),
        Some(ENTRY_MODE),
        Existing::Replace,
    )?;
    Ok(entry)
}
