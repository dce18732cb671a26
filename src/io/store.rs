//! The trust store on disk: finding it, reading it, and writing entries.
//!
//! What an entry is and how a loaded store answers questions lives in the pure core
//! ([`transmittal_core::trust`], re-exported here so that `transmittal::trust::X` names both).
//! This module does the file-system half: [`locate_store`] chooses the store (`--keys`,
//! `TRANSMITTAL_KEYS`, the user's store, the system store; never the current directory), [`open`]
//! refuses a named store that is missing or empty and a store writable by group or others
//! (`docs/trust-entry.md`, "Which trust store"), and entries are written atomically with mode
//! 0644 (see [`crate::fsutil::write_atomic`]).

pub use transmittal_core::trust::*;

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
    if explicit && store.is_empty() {
        return Err(unusable(&format!(
            "holds no entries (no *{ENTRY_SUFFIX} files)"
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
    TrustStore::from_entries(dir, entries)
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

/// Revoke the key `id` from `at` on (`transmittal keys revoke ID --at DATE --reason TEXT`),
/// rewriting its entry atomically. An empty reason records none. A key already revoked may only
/// have its revocation moved earlier: moving it later would make signatures made in between valid.
pub fn revoke(dir: &Path, id: &str, at: Date, reason: &str) -> Result<TrustEntry, Error> {
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
    let reason = reason.trim();
    entry.revoked_at = Some(at);
    entry.revocation_reason = if reason.is_empty() {
        None
    } else {
        Some(reason.to_string())
    };
    entry.validate().map_err(InputError::Invalid)?;
    write_atomic(
        &path,
        entry.to_json_pretty().as_bytes(),
        Some(ENTRY_MODE),
        Existing::Replace,
    )?;
    Ok(entry)
}

/// Import an OpenSSH public key (`ssh-ed25519 AAAA… comment`, the contents of an `id_ed25519.pub`)
/// as the entry `details.id`. Only Ed25519 keys are accepted.
pub fn import_ssh_public(
    dir: &Path,
    ssh_public: &str,
    details: &EntryDetails,
    force: bool,
) -> Result<TrustEntry, Error> {
    let lines: Vec<&str> = ssh_public
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let line = match lines.as_slice() {
        [one] => *one,
        [] => return Err(InputError::Invalid("no OpenSSH public key found".into()).into()),
        _ if ssh_public.contains("PRIVATE KEY-----") => {
            return Err(InputError::Invalid(
                "this is a private key; import the public key (the .pub file)".into(),
            )
            .into())
        }
        many => {
            return Err(InputError::Invalid(format!(
                "{} key lines found; import one key at a time, or use an allowed_signers file",
                many.len()
            ))
            .into())
        }
    };
    let public_key = ssh_ed25519_public(line).map_err(InputError::Invalid)?;
    let entry = TrustEntry::build(details, public_key, entry_path(dir, &details.id))
        .map_err(InputError::Invalid)?;
    create_store_dir(dir)?;
    write_entry(dir, &entry, force)
}

/// Import an Ed25519 public key in PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, what
/// `openssl pkey -pubout` writes; RFC 8410) as the entry `details.id`. The key is checked as every
/// entry's is (a canonical point, not of small order).
pub fn import_pem_public(
    dir: &Path,
    pem: &str,
    details: &EntryDetails,
    force: bool,
) -> Result<TrustEntry, Error> {
    let public_key = pem_ed25519_public(pem).map_err(InputError::Invalid)?;
    let entry = TrustEntry::build(details, public_key, entry_path(dir, &details.id))
        .map_err(InputError::Invalid)?;
    create_store_dir(dir)?;
    write_entry(dir, &entry, force)
}

/// The Ed25519 key of a PEM SubjectPublicKeyInfo.
fn pem_ed25519_public(pem: &str) -> Result<[u8; 32], String> {
    use ed25519_dalek::pkcs8::{DecodePublicKey as _, PublicKeyBytes};
    if pem.contains("PRIVATE KEY-----") {
        return Err(
            "this is a private key; import the public key (`openssl pkey -in KEY.pem -pubout`)"
                .into(),
        );
    }
    if !pem.contains("-----BEGIN PUBLIC KEY-----") {
        return Err(
            "no PEM public key found (expected `-----BEGIN PUBLIC KEY-----`, as `openssl pkey -pubout` writes)"
                .into(),
        );
    }
    PublicKeyBytes::from_public_key_pem(pem.trim())
        .map(|k| k.0)
        .map_err(|e| {
            format!(
                "not an Ed25519 public key in PEM SubjectPublicKeyInfo ({e}); transmittal uses Ed25519 keys only (`openssl genpkey -algorithm ed25519`)"
            )
        })
}

/// The PEM SubjectPublicKeyInfo of an Ed25519 public key (RFC 8410), as OpenSSL reads it.
pub fn pem_spki(public_key: &[u8; 32]) -> Result<String, Error> {
    use ed25519_dalek::pkcs8::{spki::der::pem::LineEnding, EncodePublicKey as _, PublicKeyBytes};
    PublicKeyBytes(*public_key)
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| InputError::Invalid(format!("cannot encode the key as PEM: {e}")).into())
}

/// Parse an OpenSSH public key line and return its Ed25519 key.
fn ssh_ed25519_public(line: &str) -> Result<[u8; 32], String> {
    let key = ssh_key::PublicKey::from_openssh(line).map_err(|e| {
        format!("not an OpenSSH public key line (`ssh-ed25519 AAAA… comment`): {e}")
    })?;
    match key.key_data().ed25519() {
        Some(k) => Ok(k.0),
        None => Err(format!(
            "this is an OpenSSH {} key; transmittal uses Ed25519 keys only (create one with `ssh-keygen -t ed25519`)",
            key.algorithm().as_str()
        )),
    }
}

/// What to import from an `allowed_signers` file (see [`import_allowed_signers`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSignersImport {
    /// The principal to import (required when the importable lines name several).
    pub principal: Option<String>,
    /// The entry's details. `name` is required (principals are identifiers, not the names
    /// "(Signed)" lines print); an empty `id` is derived from the principal. `valid_from` /
    /// `valid_until`, when set, narrow the window the line's `valid-after` / `valid-before` give.
    pub details: EntryDetails,
}

/// The result of [`import_allowed_signers`]: the entries written and one warning per line skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSignersOutcome {
    /// The entries written.
    pub entries: Vec<TrustEntry>,
    /// Why each skipped line was skipped (`line N: skipped: …`).
    pub warnings: Vec<String>,
}

/// The namespace a signer must be allowed in (`namespaces=` of `allowed_signers`).
pub const SSH_NAMESPACE: &str = "transmittal";

/// Import the keys of one signer from an OpenSSH `allowed_signers` file
/// (`principals [options] keytype base64 [comment]` per line; see `ssh-keygen(1)`), all or none.
///
/// * Importable lines are those with an `ssh-ed25519` key and either no `namespaces=` option or a
///   `namespaces=` pattern list that matches `transmittal` (`*` and `?` wildcards, `!` negation,
///   as ssh-keygen's pattern lists). Every other line (another namespace, another key type, a
///   `cert-authority` line, a wildcard principal) is skipped with a warning naming the line.
///   Blank lines and `#` comments are skipped silently. A file with no importable line is an
///   error.
/// * The importable lines must name one principal, or `select.principal` chooses one (an error
///   lists the principals otherwise); every importable line of that principal is imported (key
///   rotation: ids `ID`, `ID-2`, …).
/// * `select.details.name` is required; the id is `select.details.id`, or the principal
///   lowercased with characters outside `a-z 0-9 . _ -` replaced by `-`
///   (`jens@nato.int` → `jens-nato.int`). The note records the line and its principals.
/// * `valid-after="YYYYMMDD[HHMM[SS]][Z]"` becomes `valid_from` (the next day if the time is not
///   midnight); `valid-before=…` becomes `valid_until` = the day before (OpenSSH's bound is
///   exclusive). The window is never widened by the conversion to days; time zones are ignored.
///
/// Errors in lines (bad options, bad keys) name the line.
pub fn import_allowed_signers(
    dir: &Path,
    contents: &str,
    select: &AllowedSignersImport,
    force: bool,
) -> Result<AllowedSignersOutcome, Error> {
    let invalid = |m: String| -> Error { InputError::Invalid(m).into() };
    let mut warnings = Vec::new();
    let mut lines: Vec<(usize, SignerLine)> = Vec::new();
    for (i, raw) in contents.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_allowed_signer(line)
            .map_err(|m| invalid(format!("allowed_signers line {n}: {m}")))?
        {
            Ok(signer) => {
                if let Some((m, _)) = lines
                    .iter()
                    .find(|(_, p)| p.public_key == signer.public_key)
                {
                    return Err(invalid(format!(
                        "allowed_signers line {n}: the same key as line {m}"
                    )));
                }
                lines.push((n, signer));
            }
            Err(why) => warnings.push(format!("line {n}: skipped: {why}")),
        }
    }
    if lines.is_empty() {
        let why = if warnings.is_empty() {
            "no signer lines found".to_string()
        } else {
            format!(
                "no importable key (an ssh-ed25519 key allowed in the {SSH_NAMESPACE:?} namespace): {}",
                warnings.join("; ")
            )
        };
        return Err(invalid(format!("allowed_signers: {why}")));
    }
    let mut principals: Vec<&str> = Vec::new();
    for (_, l) in &lines {
        for p in &l.principals {
            if !principals.contains(&p.as_str()) {
                principals.push(p);
            }
        }
    }
    let listed = || {
        principals
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let principal: String = match (&select.principal, principals.as_slice()) {
        (Some(p), _) if principals.contains(&p.as_str()) => p.clone(),
        (Some(p), _) => {
            return Err(invalid(format!(
                "allowed_signers: no importable line names the principal {p:?}; the principals are {}",
                listed()
            )))
        }
        (None, [one]) => one.to_string(),
        (None, _) => {
            return Err(invalid(format!(
                "allowed_signers: the file names several principals ({}); choose one with --principal P",
                listed()
            )))
        }
    };
    if select.details.name.trim().is_empty() {
        return Err(invalid(
            "allowed_signers principals are not names; give --name 'As On The (Signed) Line' (and --principal P when the file has several)".into(),
        ));
    }
    let base_id = if select.details.id.is_empty() {
        let id = sanitize_id(&principal);
        if !valid_id(&id) {
            return Err(invalid(format!(
                "allowed_signers: principal {principal:?} does not make a valid id; give --id ID"
            )));
        }
        id
    } else {
        select.details.id.clone()
    };
    let mut entries = Vec::new();
    for (n, l) in lines
        .iter()
        .filter(|(_, l)| l.principals.contains(&principal))
    {
        let mut details = select.details.clone();
        details.id = if entries.is_empty() {
            base_id.clone()
        } else {
            format!("{base_id}-{}", entries.len() + 1)
        };
        details.valid_from = match (details.valid_from, l.valid_from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        details.valid_until = match (details.valid_until, l.valid_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut note = format!(
            "imported from OpenSSH allowed_signers line {n} (principals {:?}",
            l.principals.join(",")
        );
        if let Some(ns) = &l.namespaces {
            note.push_str(&format!("; namespaces {ns:?}"));
        }
        note.push(')');
        details.note = Some(match &select.details.note {
            Some(given) => format!("{given}; {note}"),
            None => note,
        });
        let entry = TrustEntry::build(&details, l.public_key, entry_path(dir, &details.id))
            .map_err(|m| invalid(format!("allowed_signers line {n}: {m}")))?;
        entries.push(entry);
    }
    create_store_dir(dir)?;
    let entries = write_entries(dir, &entries, force)?;
    Ok(AllowedSignersOutcome { entries, warnings })
}

/// One importable line of an `allowed_signers` file.
struct SignerLine {
    principals: Vec<String>,
    namespaces: Option<String>,
    public_key: [u8; 32],
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

/// Whether `name` matches the glob `pattern` (`*` any run, `?` one character).
fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether `name` matches an OpenSSH pattern list (`a,b*,!c`): a negated pattern that matches
/// excludes it whatever else matches; otherwise any positive pattern that matches includes it.
fn pattern_list_match(list: &str, name: &str) -> bool {
    let mut matched = false;
    for pat in list.split(',').map(str::trim) {
        match pat.strip_prefix('!') {
            Some(neg) if glob_match(neg, name) => return false,
            Some(_) => {}
            None => matched |= glob_match(pat, name),
        }
    }
    matched
}

/// Split off the next white-space delimited token, honouring double quotes.
fn next_token(s: &str) -> Result<Option<(&str, &str)>, String> {
    let s = s.trim_start();
    if s.is_empty() {
        return Ok(None);
    }
    let mut in_quotes = false;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c.is_whitespace() && !in_quotes {
            return Ok(Some((&s[..i], &s[i..])));
        }
    }
    if in_quotes {
        return Err("unterminated quote".into());
    }
    Ok(Some((s, "")))
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(s)
}

/// Split an option list on commas outside quotes.
fn split_options(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Parse an OpenSSH timestamp `YYYYMMDD[HHMM[SS]][Z]`: the day, and whether the time is after
/// midnight.
fn parse_ssh_time(s: &str) -> Option<(Date, bool)> {
    let s = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    if !matches!(s.len(), 8 | 12 | 14) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let date = crate::dates::from_dmy(num(6..8)? as u8, num(4..6)? as u8, num(0..4)? as i32)?;
    let (h, m, sec) = match s.len() {
        8 => (0, 0, 0),
        12 => (num(8..10)?, num(10..12)?, 0),
        _ => (num(8..10)?, num(10..12)?, num(12..14)?),
    };
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some((date, h + m + sec > 0))
}

/// Turn a principal into a trust-store id.
fn sanitize_id(principal: &str) -> String {
    let mapped: String = principal
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = mapped.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    trimmed.chars().take(64).collect()
}

/// Parse one `allowed_signers` line: `Err` for a malformed line (the message), `Ok(Err(why))`
/// for a well-formed line that is not imported, `Ok(Ok(line))` for an importable one.
fn parse_allowed_signer(line: &str) -> Result<Result<SignerLine, String>, String> {
    let (principals, rest) = next_token(line)?.ok_or("empty line")?;
    let principals = unquote(principals);
    let (mut token, mut rest) =
        next_token(rest)?.ok_or("expected options or a key type after the principals")?;
    let mut options = None;
    let lower = token.to_ascii_lowercase();
    if !(lower.starts_with("ssh-") || lower.starts_with("ecdsa-") || lower.starts_with("sk-")) {
        options = Some(token);
        (token, rest) = next_token(rest)?.ok_or("expected a key type after the options")?;
    }
    let keytype = token;
    let (b64, _comment) = next_token(rest)?.ok_or("expected the base64 key after the key type")?;

    let mut valid_from = None;
    let mut valid_until = None;
    let mut namespaces = None;
    let mut cert_authority = false;
    if let Some(opts) = options {
        for opt in split_options(opts) {
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (n, Some(unquote(v))),
                None => (opt, None),
            };
            match (name.to_ascii_lowercase().as_str(), value) {
                ("cert-authority", None) => cert_authority = true,
                ("namespaces", Some(v)) => namespaces = Some(v.to_string()),
                ("valid-after", Some(v)) => {
                    let (day, after_midnight) = parse_ssh_time(v).ok_or_else(|| {
                        format!("valid-after {v:?} is not a timestamp YYYYMMDD[HHMM[SS]][Z]")
                    })?;
                    valid_from = Some(if after_midnight {
                        day.next_day().ok_or("valid-after is out of range")?
                    } else {
                        day
                    });
                }
                ("valid-before", Some(v)) => {
                    let (day, _) = parse_ssh_time(v).ok_or_else(|| {
                        format!("valid-before {v:?} is not a timestamp YYYYMMDD[HHMM[SS]][Z]")
                    })?;
                    valid_until = Some(day.previous_day().ok_or("valid-before is out of range")?);
                }
                _ => return Err(format!("unsupported option {opt:?}")),
            }
        }
    }
    if let Some(ns) = &namespaces {
        if !pattern_list_match(ns, SSH_NAMESPACE) {
            return Ok(Err(format!(
                "namespaces={ns:?} does not include {SSH_NAMESPACE:?} (the key may sign other things only)"
            )));
        }
    }
    if cert_authority {
        return Ok(Err(
            "cert-authority lines (certificate authorities) are not supported; list each signer's own key".into(),
        ));
    }
    if keytype != "ssh-ed25519" {
        return Ok(Err(format!(
            "key type {keytype:?} is not Ed25519; transmittal uses Ed25519 keys only"
        )));
    }
    if principals.chars().any(|c| matches!(c, '*' | '?' | '!')) {
        return Ok(Err(format!(
            "principal pattern {principals:?} has wildcards; a trust-store entry names one signer"
        )));
    }
    let public_key = ssh_ed25519_public(&format!("{keytype} {b64}"))?;
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if from > until {
            return Err(format!(
                "valid_from {} is after valid_until {}",
                format_iso(from),
                format_iso(until)
            ));
        }
    }
    let principals: Vec<String> = principals
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if principals.is_empty() {
        return Err("no principal".into());
    }
    Ok(Ok(SignerLine {
        principals,
        namespaces,
        public_key,
        valid_from,
        valid_until,
    }))
}

#[cfg(test)]
mod tests {
    use crate::dates::parse_iso;

    #[test]
    fn a_name_whose_nfc_form_is_too_long_is_refused() {
        // U+0958 has a two-character NFC form: 200 of them make a 400-character signatory.
        let name = "\u{958}".repeat(200);
        let pk = crate::keys::SecretKey::from_seed(&[7u8; 32], None, None).public_key();
        let e = TrustEntry::build(
            &EntryDetails::new("x", name),
            pk,
            PathBuf::from("x.pub.json"),
        );
        let err = e.and_then(|e| e.validate().map(|()| e)).unwrap_err();
        assert!(err.contains("name"), "{err}");
        // The same count of characters whose NFC form is as long is accepted.
        let name = "a".repeat(200);
        let e = TrustEntry::build(
            &EntryDetails::new("x", name),
            pk,
            PathBuf::from("x.pub.json"),
        );
        assert!(e.is_ok());
    }

    use super::*;
    use crate::keys::SecretKey;

    fn d(s: &str) -> Date {
        parse_iso(s).unwrap()
    }

    fn pk(n: u8) -> [u8; 32] {
        SecretKey::from_seed(&[n; 32], None, None).public_key()
    }

    fn entry(dir: &Path, id: &str, name: &str, n: u8) -> TrustEntry {
        TrustEntry::build(&EntryDetails::new(id, name), pk(n), entry_path(dir, id)).unwrap()
    }

    fn ssh_line(n: u8, comment: &str) -> String {
        let k = ssh_key::PublicKey::new(
            ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(pk(n))),
            comment,
        );
        k.to_openssh().unwrap()
    }

    #[test]
    fn json_round_trip_and_file_layout() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = entry(dir.path(), "stoltenberg", "Jens Stoltenberg", 1);
        e.title = Some("Secretary-General of NATO".into());
        e.valid_from = Some(d("2014-10-01"));
        e.valid_until = Some(d("2024-09-30"));
        let json = e.to_json_pretty();
        assert!(json
            .starts_with("{\n  \"format\": \"transmittal-key-v1\",\n  \"id\": \"stoltenberg\","));
        assert!(json.contains("\"revoked_at\": null"));
        assert!(json.ends_with("}\n"));
        let back = TrustEntry::from_json(json.as_bytes(), &e.path).unwrap();
        assert_eq!(back, e);
        // Optional fields may be absent.
        let minimal = format!(
            r#"{{"format":"transmittal-key-v1","id":"stoltenberg","name":"Jens Stoltenberg","public_key":"{}","fingerprint":"{}"}}"#,
            hex::encode(e.public_key),
            hex::encode(e.fingerprint)
        );
        let m = TrustEntry::from_json(minimal.as_bytes(), &e.path).unwrap();
        assert_eq!(m.title, None);
        assert_eq!(m.valid_from, None);
    }

    #[test]
    fn also_known_as_round_trip_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = entry(dir.path(), "annan", "Kofi Annan", 1);
        // Absent when empty: existing entries stay byte-identical.
        assert!(!e.to_json_pretty().contains("also_known_as"));
        assert_eq!(e.names().collect::<Vec<_>>(), ["Kofi Annan"]);
        e.also_known_as = vec!["Kofi A. Annan".into(), "K. A. Annan".into()];
        e.validate().unwrap();
        let json = e.to_json_pretty();
        assert!(
            json.contains("\"also_known_as\": [\n    \"Kofi A. Annan\","),
            "{json}"
        );
        let back = TrustEntry::from_json(json.as_bytes(), &e.path).unwrap();
        assert_eq!(back, e);
        assert_eq!(
            back.names().collect::<Vec<_>>(),
            ["Kofi Annan", "Kofi A. Annan", "K. A. Annan"]
        );
        let bad: Vec<(Vec<String>, &str)> = vec![
            (vec!["".into()], "not valid"),
            (vec![" Kofi".into()], "not valid"),
            (vec!["Kofi\u{7}Annan".into()], "not valid"),
            (vec!["x".repeat(201)], "not valid"),
            (vec!["**_**".into()], "not valid"),
            (vec!["KOFI  annan".into()], "duplicate"),
            (vec!["K. Annan".into(), "K. Annan".into()], "duplicate"),
            ((0..17).map(|i| format!("Name {i}")).collect(), "at most 16"),
        ];
        for (alts, want) in bad {
            let mut b = e.clone();
            b.also_known_as = alts.clone();
            let err = b.validate().unwrap_err();
            assert!(err.contains(want), "{alts:?}: {err}");
        }
        let mut sixteen = e.clone();
        sixteen.also_known_as = (0..16).map(|i| format!("Name {i}")).collect();
        sixteen.validate().unwrap();
        // A null list is refused (the field is a list or absent).
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["also_known_as"] = serde_json::Value::Null;
        assert!(TrustEntry::from_json(v.to_string().as_bytes(), &e.path).is_err());
    }

    #[test]
    fn unknown_and_missing_fields_refused() {
        let dir = tempfile::tempdir().unwrap();
        let good = entry(dir.path(), "x", "Jens Stoltenberg", 1);
        let base: serde_json::Value = serde_json::from_str(&good.to_json_pretty()).unwrap();
        let mut unknown = base.clone();
        unknown["email"] = "jens@nato.int".into();
        let err = TrustEntry::from_json(unknown.to_string().as_bytes(), &good.path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.pub.json") && err.contains("unknown field `email`"),
            "{err}"
        );
        for field in ["id", "name", "public_key", "fingerprint"] {
            let mut missing = base.clone();
            missing.as_object_mut().unwrap().remove(field);
            let err = TrustEntry::from_json(missing.to_string().as_bytes(), &good.path)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("x.pub.json") && err.contains(&format!("missing field `{field}`")),
                "{field}: {err}"
            );
        }
        // Required fields may not be null either.
        let mut null = base.clone();
        null["name"] = serde_json::Value::Null;
        assert!(TrustEntry::from_json(null.to_string().as_bytes(), &good.path).is_err());
    }

    #[test]
    fn validation_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let good = entry(dir.path(), "x", "Jens Stoltenberg", 1);
        let base: serde_json::Value = serde_json::from_str(&good.to_json_pretty()).unwrap();
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let cases: Vec<(&str, serde_json::Value, &str)> = vec![
            ("format", "transmittal-key-v2".into(), "unsupported format"),
            ("format", serde_json::Value::Null, "no \"format\""),
            ("public_key", "abc".into(), "public_key must be 64"),
            (
                "public_key",
                hex::encode(pk(1)).to_uppercase().into(),
                "public_key must be 64",
            ),
            ("public_key", hex::encode(identity).into(), "weak"),
            (
                "public_key",
                hex::encode(pk(2)).into(),
                "fingerprint does not match",
            ),
            (
                "fingerprint",
                "00".repeat(32).into(),
                "fingerprint does not match",
            ),
            ("valid_from", "2024-13-01".into(), "not an ISO date"),
            ("valid_from", "2024-02-01".into(), "after valid_until"),
            ("valid_until", "2024-01-31".into(), "after valid_until"),
            ("revocation_reason", "lost".into(), "revoked_at is not"),
            ("name", "".into(), "name"),
            ("name", "Jens\u{202e}".into(), "name"),
            ("name", "**".into(), "name"),
            ("title", " padded".into(), "title"),
            ("note", "a\u{0}b".into(), "note"),
            ("id", "y".into(), "must be named \"y.pub.json\""),
            ("id", "Bad Id".into(), "is not valid"),
            ("extra", "1".into(), "unknown field"),
            ("revoked_at", 5.into(), "invalid type"),
        ];
        for (i, (field, value, want)) in cases.into_iter().enumerate() {
            let mut v = base.clone();
            let obj = v.as_object_mut().unwrap();
            if field == "valid_from" && want == "after valid_until" {
                obj.insert("valid_until".into(), "2024-01-31".into());
            }
            if field == "valid_until" {
                obj.insert("valid_from".into(), "2024-02-01".into());
            }
            obj.insert(field.into(), value);
            let path = dir.path().join("x.pub.json");
            std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
            let err = load(dir.path()).unwrap_err().to_string();
            assert!(err.contains(want), "case {i} ({field}): {err}");
            assert!(err.contains("x.pub.json"), "case {i}: {err}");
        }
        std::fs::write(dir.path().join("x.pub.json"), "{ not json").unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("x.pub.json") && err.contains("not a valid trust-store entry"),
            "{err}"
        );
    }

    #[test]
    fn load_sorted_skips_other_files_and_missing_dir_is_empty() {
        let missing = Path::new("/nonexistent/transmittal-keys");
        let s = load(missing).unwrap();
        assert!(s.is_empty());
        assert_eq!(s.dir(), missing);

        let dir = tempfile::tempdir().unwrap();
        for (id, name, n) in [("b", "Beta", 2), ("a", "Alpha", 1), ("c", "Alpha", 3)] {
            write_entry(dir.path(), &entry(dir.path(), id, name, n), false).unwrap();
        }
        std::fs::write(dir.path().join("README.md"), "not an entry").unwrap();
        std::fs::write(dir.path().join("a.key"), "secret").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let s = load(dir.path()).unwrap();
        let ids: Vec<&str> = s.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(s.by_key(&pk(2)).unwrap().id, "b");
        assert!(s.by_key(&pk(9)).is_none());
        assert_eq!(s.by_id("c").unwrap().public_key, pk(3));
        assert!(s.by_id("z").is_none());
        // Key rotation: two entries with one name, both kept.
        let alpha: Vec<&str> = s
            .by_name("  **alpha** ")
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(alpha, ["a", "c"]);
        assert!(s.by_name("Gamma").is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("a.pub.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, ENTRY_MODE);
        }
    }

    #[test]
    fn duplicates_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = entry(dir.path(), "a", "Alpha", 1);
        let mut b = entry(dir.path(), "b", "Beta", 1);
        std::fs::write(&a.path, a.to_json_pretty()).unwrap();
        std::fs::write(&b.path, b.to_json_pretty()).unwrap();
        let err = load(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Trust(TrustError::Duplicate { .. })));
        let msg = err.to_string();
        assert!(
            msg.contains("a.pub.json") && msg.contains("b.pub.json") && msg.contains("public key"),
            "{msg}"
        );

        // Same id (only possible in memory, since the file name is the id).
        b = entry(dir.path(), "a", "Beta", 2);
        let err = TrustStore::from_entries(dir.path(), vec![a.clone(), b]).unwrap_err();
        assert!(err.to_string().contains("both have id"), "{err}");

        // write_entry refuses a key that another id holds.
        std::fs::remove_file(dir.path().join("b.pub.json")).unwrap();
        let c = entry(dir.path(), "c", "Gamma", 1);
        let err = write_entry(dir.path(), &c, true).unwrap_err();
        assert!(
            err.to_string()
                .contains("already in the trust store as \"a\""),
            "{err}"
        );
        assert!(!dir.path().join("c.pub.json").exists());
    }

    #[test]
    fn write_entry_refuses_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let a = entry(dir.path(), "a", "Alpha", 1);
        write_entry(dir.path(), &a, false).unwrap();
        let before = std::fs::read(&a.path).unwrap();
        let a2 = entry(dir.path(), "a", "Alpha", 2);
        let err = write_entry(dir.path(), &a2, false).unwrap_err();
        assert!(matches!(err, Error::Input(InputError::Exists { .. })));
        assert_eq!(std::fs::read(&a.path).unwrap(), before);
        let written = write_entry(dir.path(), &a2, true).unwrap();
        assert_eq!(written.path, a.path);
        assert_eq!(
            load(dir.path()).unwrap().by_id("a").unwrap().public_key,
            pk(2)
        );
    }

    #[test]
    fn validity_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = entry(dir.path(), "s", "Jens Stoltenberg", 1);
        assert_eq!(e.validity_on(d("1900-01-01")), Validity::Valid);
        e.valid_from = Some(d("2014-10-01"));
        e.valid_until = Some(d("2024-09-30"));
        assert_eq!(
            e.validity_on(d("2014-09-30")),
            Validity::NotYetValid {
                from: d("2014-10-01")
            }
        );
        assert!(e.validity_on(d("2014-10-01")).is_valid());
        assert!(e.validity_on(d("2024-09-30")).is_valid());
        assert_eq!(
            e.validity_on(d("2024-10-01")),
            Validity::Expired {
                until: d("2024-09-30")
            }
        );
        e.revoked_at = Some(d("2017-10-19"));
        e.revocation_reason = Some("key compromised".into());
        assert!(e.validity_on(d("2017-10-18")).is_valid());
        let revoked = Validity::Revoked {
            at: d("2017-10-19"),
            reason: Some("key compromised".into()),
        };
        assert_eq!(e.validity_on(d("2017-10-19")), revoked);
        assert_eq!(e.validity_on(d("2030-01-01")), revoked);
    }

    #[test]
    fn revoke_rewrites_entry() {
        let dir = tempfile::tempdir().unwrap();
        let e = entry(dir.path(), "stoltenberg", "Jens Stoltenberg", 1);
        write_entry(dir.path(), &e, false).unwrap();
        let r = revoke(dir.path(), "stoltenberg", d("2020-01-01"), "  key lost ").unwrap();
        assert_eq!(r.revoked_at, Some(d("2020-01-01")));
        assert_eq!(r.revocation_reason.as_deref(), Some("key lost"));
        let s = load(dir.path()).unwrap();
        let loaded = s.by_id("stoltenberg").unwrap();
        assert_eq!(loaded, &r);
        assert!(matches!(
            loaded.validity_on(d("2020-01-01")),
            Validity::Revoked { .. }
        ));
        // Moving it later is refused; earlier is allowed.
        let err = revoke(dir.path(), "stoltenberg", d("2021-01-01"), "x").unwrap_err();
        assert!(err.to_string().contains("already revoked"), "{err}");
        let r = revoke(dir.path(), "stoltenberg", d("2019-01-01"), "").unwrap();
        assert_eq!(r.revocation_reason, None);
        // Unknown ids (including ones that are not ids at all).
        for id in ["nobody", "../stoltenberg", ""] {
            let err = revoke(dir.path(), id, d("2020-01-01"), "x").unwrap_err();
            assert!(
                matches!(err, Error::Trust(TrustError::UnknownId { .. })),
                "{id}: {err}"
            );
        }
        // Invalid reason text.
        let err = revoke(dir.path(), "stoltenberg", d("2018-01-01"), "a\u{7}b").unwrap_err();
        assert!(err.to_string().contains("revocation_reason"), "{err}");
        // Only the entry file is in the directory (no temporary files left).
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn import_ssh_public_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut details = EntryDetails::new("jens", "Jens Stoltenberg");
        details.organisation = Some("NATO".into());
        details.valid_from = Some(d("2014-10-01"));
        let line = ssh_line(5, "jens@nato.int");
        let e = import_ssh_public(dir.path(), &format!("{line}\n"), &details, false).unwrap();
        assert_eq!(e.public_key, pk(5));
        assert_eq!(e.path, dir.path().join("jens.pub.json"));
        assert_eq!(load(dir.path()).unwrap().by_id("jens").unwrap(), &e);
        // Refused without force; same key under another id refused.
        assert!(import_ssh_public(dir.path(), &line, &details, false).is_err());
        let err = import_ssh_public(
            dir.path(),
            &line,
            &EntryDetails::new("other", "Other"),
            false,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("already in the trust store"),
            "{err}"
        );

        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDLh5d7ICg1DRbC/AEsbgabtNhY4kXwT2XrvtGgr8ctNVaUnXM3jkDCxSJswHbfxVSUANfTZg6QzQq6ut+/Q7V6YW9HrFd2AuCDZljGxKZ4XwO8gZkgpYLGpB8OSvt5hO5n8K2tFx2w5dHwpUu6uPuUq3w1zD4f3Y8ju/21+xxhLw== rsa";
        let err = import_ssh_public(dir.path(), rsa, &EntryDetails::new("r", "R"), false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Ed25519 keys only") || err.contains("not an OpenSSH"),
            "{err}"
        );
        let err = import_ssh_public(dir.path(), "garbage", &EntryDetails::new("g", "G"), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an OpenSSH public key"), "{err}");
        let two = format!("{}\n{}\n", ssh_line(6, ""), ssh_line(7, ""));
        assert!(import_ssh_public(dir.path(), &two, &EntryDetails::new("t", "T"), false).is_err());
        let err = import_ssh_public(
            dir.path(),
            &ssh_line(8, ""),
            &EntryDetails::new("Bad Id", "T"),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("is not valid"), "{err}");
    }

    #[test]
    fn ssh_timestamps() {
        assert_eq!(parse_ssh_time("20171018"), Some((d("2017-10-18"), false)));
        assert_eq!(parse_ssh_time("20171018Z"), Some((d("2017-10-18"), false)));
        assert_eq!(
            parse_ssh_time("201710180000"),
            Some((d("2017-10-18"), false))
        );
        assert_eq!(
            parse_ssh_time("20171018120000Z"),
            Some((d("2017-10-18"), true))
        );
        for bad in [
            "2017101",
            "20171318",
            "201710182400",
            "2017-10-18",
            "20171018123",
            "",
        ] {
            assert_eq!(parse_ssh_time(bad), None, "{bad}");
        }
        assert_eq!(sanitize_id("jens@nato.int"), "jens-nato.int");
        assert_eq!(sanitize_id("_Jens Stoltenberg"), "jens-stoltenberg");
    }

    fn select(principal: Option<&str>, id: &str, name: &str) -> AllowedSignersImport {
        AllowedSignersImport {
            principal: principal.map(str::to_string),
            details: EntryDetails::new(id, name),
        }
    }

    #[test]
    fn allowed_signers_import() {
        let dir = tempfile::tempdir().unwrap();
        let key = |n: u8| ssh_line(n, "").trim().to_string();
        let contents = format!(
            "# trusted signers\n\n\
             jens@nato.int valid-after=\"20141001\",valid-before=\"20241001\" {} Jens Stoltenberg\n\
             jens@nato.int namespaces=\"git\" {}\n\
             guterres@un.org namespaces=\"git,transmittal\",valid-after=\"20170101120000Z\" {}\n\
             ban@un.org namespaces=\"tr*,!git\" {} BAN Ki-moon\n\
             rsa@un.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ==\n",
            key(1),
            key(2),
            key(3),
            key(4)
        );
        // Several principals: --principal chooses; the name is required.
        let err = import_allowed_signers(dir.path(), &contents, &select(None, "", "J"), false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("several principals")
                && err.contains("\"jens@nato.int\", \"guterres@un.org\", \"ban@un.org\"")
                && err.contains("--principal"),
            "{err}"
        );
        let err = import_allowed_signers(
            dir.path(),
            &contents,
            &select(Some("jens@nato.int"), "", ""),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("principals are not names; give --name"),
            "{err}"
        );
        let err = import_allowed_signers(
            dir.path(),
            &contents,
            &select(Some("rsa@un.org"), "", "R"),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("no importable line names"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let out = import_allowed_signers(
            dir.path(),
            &contents,
            &select(Some("jens@nato.int"), "", "Jens Stoltenberg"),
            false,
        )
        .unwrap();
        // The git-only key and the RSA key are skipped, each with a warning naming its line.
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings[0].starts_with("line 4: skipped: namespaces=\"git\""));
        assert!(out.warnings[1].starts_with("line 7: skipped: key type \"ssh-rsa\""));
        assert_eq!(out.entries.len(), 1);
        let s = load(dir.path()).unwrap();
        assert_eq!(s.entries().len(), 1);
        let j = s.by_id("jens-nato.int").unwrap();
        assert_eq!(j.public_key, pk(1));
        assert_eq!(j.name, "Jens Stoltenberg");
        assert_eq!(j.valid_from, Some(d("2014-10-01")));
        assert_eq!(j.valid_until, Some(d("2024-09-30")));
        assert!(j.note.as_deref().unwrap().contains("line 3"));

        // namespaces="git,transmittal" is imported, with --id and --name honoured.
        let g = import_allowed_signers(
            dir.path(),
            &contents,
            &select(Some("guterres@un.org"), "guterres", "António Guterres"),
            false,
        )
        .unwrap();
        let g = &g.entries[0];
        assert_eq!(
            (g.id.as_str(), g.name.as_str()),
            ("guterres", "António Guterres")
        );
        assert_eq!(g.valid_from, Some(d("2017-01-02")));
        assert!(g.note.as_deref().unwrap().contains("git,transmittal"));
        // A pattern list with a wildcard and a negation.
        let b = import_allowed_signers(
            dir.path(),
            &contents,
            &select(Some("ban@un.org"), "", "BAN Ki-moon"),
            false,
        )
        .unwrap();
        assert_eq!(b.entries[0].public_key, pk(4));
        // Again without force: refused, nothing changed.
        let before = std::fs::read(&j.path).unwrap();
        assert!(import_allowed_signers(
            dir.path(),
            &contents,
            &select(Some("jens@nato.int"), "", "Jens Stoltenberg"),
            false
        )
        .is_err());
        assert_eq!(std::fs::read(&j.path).unwrap(), before);

        // One principal, two keys (rotation): ID, ID-2; --valid-from narrows the line's window.
        let dir = tempfile::tempdir().unwrap();
        let rotation = format!(
            "a@x valid-before=\"20200101\" {}\na@x valid-after=\"20200101\" {}\n",
            key(5),
            key(6)
        );
        let mut sel = select(None, "alpha", "Alpha");
        sel.details.valid_from = Some(d("2010-01-01"));
        let out = import_allowed_signers(dir.path(), &rotation, &sel, false).unwrap();
        let ids: Vec<_> = out.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["alpha", "alpha-2"]);
        assert_eq!(out.entries[0].valid_from, Some(d("2010-01-01")));
        assert_eq!(out.entries[1].valid_from, Some(d("2020-01-01")));
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn ssh_pattern_lists() {
        for (list, want) in [
            ("transmittal", true),
            ("git,transmittal", true),
            ("git, transmittal", true),
            ("git", false),
            ("trans*", true),
            ("transmitta?", true),
            ("transmit?", false),
            ("*", true),
            ("*,!transmittal", false),
            ("!git", false),
            ("", false),
            ("Transmittal", false),
        ] {
            assert_eq!(pattern_list_match(list, SSH_NAMESPACE), want, "{list:?}");
        }
    }

    #[test]
    fn allowed_signers_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let key = |n: u8| ssh_line(n, "").trim().to_string();
        let cases = [
            (
                format!("# c\na@x cert-authority {}\n", key(1)),
                "line 2",
                "cert-authority",
            ),
            (
                format!("a@x valid-after=\"2017\" {}\n", key(1)),
                "line 1",
                "valid-after",
            ),
            (
                format!("a@x valid-before=\"20171301\" {}\n", key(1)),
                "line 1",
                "valid-before",
            ),
            (
                format!("a@x no-touch-required {}\n", key(1)),
                "line 1",
                "unsupported option",
            ),
            (format!("*@x {}\n", key(1)), "line 1", "wildcards"),
            (
                format!("a@x {}\nb@x {}\n", key(1), key(1)),
                "line 2",
                "same key as line 1",
            ),
            ("a@x\n".to_string(), "line 1", "expected"),
            ("a@x ssh-ed25519\n".to_string(), "line 1", "base64"),
            (
                "a@x ssh-ed25519 AAAAnotakey\n".to_string(),
                "line 1",
                "not an OpenSSH",
            ),
            (
                "a@x ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ==\n".to_string(),
                "line 1",
                "not Ed25519",
            ),
            (
                format!("a@x namespaces=\"git\" {}\n", key(1)),
                "line 1",
                "no importable key",
            ),
            (
                "a@x valid-after=\"2017 {}\n".to_string(),
                "line 1",
                "unterminated",
            ),
            (
                format!(
                    "a@x valid-after=\"20200101\",valid-before=\"20190101\" {}\n",
                    key(1)
                ),
                "line 1",
                "after valid_until",
            ),
            (
                "# only comments\n\n".to_string(),
                "allowed_signers",
                "no signer lines",
            ),
        ];
        for (i, (contents, line, want)) in cases.iter().enumerate() {
            let err = import_allowed_signers(dir.path(), contents, &select(None, "", "A"), false)
                .unwrap_err()
                .to_string();
            assert!(err.contains(line) && err.contains(want), "case {i}: {err}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn write_all_or_nothing_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let old = dir.path().join("old");
        std::fs::write(&old, b"old bytes").unwrap();
        let writes = [
            PendingWrite {
                path: a.clone(),
                bytes: Zeroizing::new(b"new a".to_vec()),
                mode: 0o600,
            },
            PendingWrite {
                path: old.clone(),
                bytes: Zeroizing::new(b"new old".to_vec()),
                mode: 0o600,
            },
            PendingWrite {
                path: dir.path().join("missing-dir").join("x"),
                bytes: Zeroizing::new(b"x".to_vec()),
                mode: 0o600,
            },
        ];
        assert!(write_all_or_nothing(&writes, true).is_err());
        assert!(!a.exists());
        assert_eq!(std::fs::read(&old).unwrap(), b"old bytes");
        // Without force an existing target stops everything before any write.
        assert!(matches!(
            write_all_or_nothing(&writes[..2], false),
            Err(Error::Input(InputError::Exists { .. }))
        ));
        assert!(!a.exists());
    }

    #[test]
    fn locate_store_order() {
        use std::ffi::OsStr;
        let os = |s: &'static str| Some(OsStr::new(s));
        let all = |_: &Path| true;
        let none = |_: &Path| false;
        let l = locate_store(Some(Path::new("k")), os("/env"), os("/x"), os("/h"), all);
        assert_eq!(
            (l.path.as_deref(), l.source),
            (Some(Path::new("k")), StoreSource::Flag)
        );
        assert_eq!(l.describe(), "k (--keys)");
        let l = locate_store(None, os("/env"), os("/x"), os("/h"), none);
        assert_eq!(
            (l.path.as_deref(), l.source),
            (Some(Path::new("/env")), StoreSource::Env)
        );
        assert_eq!(l.describe(), "/env (TRANSMITTAL_KEYS)");
        // An empty TRANSMITTAL_KEYS names nothing; XDG_CONFIG_HOME wins over HOME.
        let l = locate_store(None, os(""), os("/x"), os("/h"), all);
        assert_eq!(l.path.as_deref(), Some(Path::new("/x/transmittal/keys")));
        assert_eq!(l.source, StoreSource::User);
        assert_eq!(l.describe(), "/x/transmittal/keys (user store)");
        // XDG_CONFIG_HOME empty or relative: HOME/.config.
        for xdg in [None, os(""), os("relative")] {
            let l = locate_store(None, None, xdg, os("/h"), all);
            assert_eq!(
                l.path.as_deref(),
                Some(Path::new("/h/.config/transmittal/keys")),
                "{xdg:?}"
            );
        }
        // The user store missing: the system store.
        let l = locate_store(None, None, None, os("/h"), |p: &Path| {
            p == Path::new(SYSTEM_STORE)
        });
        assert_eq!(l.source, StoreSource::System);
        assert_eq!(l.searched.len(), 2);
        assert_eq!(l.describe(), "/etc/transmittal/keys (system store)");
        // Nothing: where it looked.
        let l = locate_store(None, None, None, os("/h"), none);
        assert_eq!((l.path.clone(), l.source), (None, StoreSource::None));
        assert_eq!(
            l.describe(),
            "none found (looked in: /h/.config/transmittal/keys, /etc/transmittal/keys)"
        );
        let l = locate_store(None, None, None, None, none);
        assert_eq!(l.searched, [PathBuf::from(SYSTEM_STORE)]);
        // Writing: never the system store.
        let w = store_for_writing(None, None, None, os("/h")).unwrap();
        assert_eq!(w.source, StoreSource::User);
        assert!(store_for_writing(None, None, None, None)
            .unwrap_err()
            .to_string()
            .contains("--keys"));
        assert_eq!(
            store_for_writing(None, os("/e"), None, None)
                .unwrap()
                .source,
            StoreSource::Env
        );
    }

    #[test]
    fn open_checks_named_stores() {
        let dir = tempfile::tempdir().unwrap();
        let named = |p: &Path, source| StoreLocation {
            path: Some(p.to_path_buf()),
            source,
            searched: vec![p.to_path_buf()],
        };
        // Named and missing, named and empty: errors that say what to do.
        let missing = dir.path().join("missing");
        let err = open(&named(&missing, StoreSource::Flag)).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("missing (--keys) does not exist") && msg.contains("keys import"),
            "{msg}"
        );
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let msg = open(&named(&empty, StoreSource::Env))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("(TRANSMITTAL_KEYS) holds no entries"), "{msg}");
        // A user store that is empty is simply empty; none found is empty and says where.
        let s = open(&named(&empty, StoreSource::User)).unwrap();
        assert!(s.is_empty());
        let none = StoreLocation {
            path: None,
            source: StoreSource::None,
            searched: vec![missing.clone()],
        };
        let s = open(&none).unwrap();
        assert!(s.is_empty());
        assert_eq!(s.dir(), missing);
        assert!(
            s.describe().starts_with("none found (looked in: "),
            "{}",
            s.describe()
        );
        // A good store knows where it came from.
        let e = entry(&empty, "a", "Alpha", 1);
        write_entry(&empty, &e, false).unwrap();
        let s = open(&named(&empty, StoreSource::Flag)).unwrap();
        assert_eq!(s.entries().len(), 1);
        assert_eq!(s.location().source, StoreSource::Flag);
        assert!(s.describe().ends_with(" (--keys)"));
        assert_eq!(load(&empty).unwrap().location().source, StoreSource::Dir);
    }

    #[cfg(unix)]
    #[test]
    fn writable_stores_refused() {
        use std::os::unix::fs::PermissionsExt;
        let set = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("keys");
        create_store_dir(&store).unwrap();
        assert_eq!(
            std::fs::metadata(&store).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let e = entry(&store, "a", "Alpha", 1);
        write_entry(&store, &e, false).unwrap();
        let loc = StoreLocation::given(&store);
        assert!(open(&loc).is_ok());
        set(&store, 0o775);
        let msg = open(&loc).unwrap_err().to_string();
        assert!(
            msg.contains("writable by group or others (mode 775)")
                && msg.contains(&format!("chmod go-w {}", store.display())),
            "{msg}"
        );
        assert!(create_store_dir(&store).is_err());
        set(&store, 0o755);
        set(&e.path, 0o646);
        let msg = open(&loc).unwrap_err().to_string();
        assert!(
            msg.contains("a.pub.json") && msg.contains("chmod go-w"),
            "{msg}"
        );
        assert!(check_store_permissions(&store).is_err());
        set(&e.path, 0o644);
        check_store_permissions(&store).unwrap();
        // The repository's store as git checks it out (0755 directory, 0644 files) passes.
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
        if std::fs::metadata(&repo).unwrap().permissions().mode() & 0o022 == 0 {
            assert!(!open(&StoreLocation::given(&repo)).unwrap().is_empty());
        }
    }

    #[test]
    fn load_is_fast() {
        let dir = tempfile::tempdir().unwrap();
        for n in 1..=8u8 {
            let id = format!("k{n}");
            write_entry(dir.path(), &entry(dir.path(), &id, "Name", n), false).unwrap();
        }
        let start = std::time::Instant::now();
        let runs = 20;
        for _ in 0..runs {
            assert_eq!(load(dir.path()).unwrap().entries().len(), 8);
        }
        let per_load = start.elapsed() / runs;
        // Generous bound for debug builds on a busy machine; release is far faster.
        assert!(
            per_load < std::time::Duration::from_millis(50),
            "{per_load:?}"
        );
    }
}
