//! The trust store: whom to believe.
//!
//! A trust store is a directory holding one file per key, `ID.pub.json`, format
//! `transmittal-key-v1`:
//!
//! ```json
//! {
//!   "format": "transmittal-key-v1",
//!   "id": "stoltenberg",
//!   "name": "Jens Stoltenberg",
//!   "title": "Secretary-General of NATO",
//!   "organisation": "North Atlantic Treaty Organization",
//!   "public_key": "<64 lowercase hex: the Ed25519 public key>",
//!   "fingerprint": "<64 lowercase hex: SHA-256 of the 32 public-key bytes>",
//!   "valid_from": "2014-10-01",
//!   "valid_until": "2024-09-30",
//!   "revoked_at": null,
//!   "revocation_reason": null,
//!   "note": null
//! }
//! ```
//!
//! `title`, `organisation`, `valid_from`, `valid_until`, `revoked_at`, `revocation_reason` and
//! `note` may be `null` or absent; `also_known_as` (alternative spellings of the name, at most 16)
//! may be absent and is not written when empty; unknown fields are refused (the exact rules:
//! docs/FORMAT.md §8.2). Dates are ISO days; the validity
//! window is inclusive on both ends, and a key revoked at R is revoked for R and every later day
//! (it still validates dates before R, so revoking a key does not invalidate what it signed
//! earlier). The id is the file name: `stoltenberg.pub.json` must hold `"id": "stoltenberg"`.
//!
//! Loading checks every entry (format, hex, the key is a valid Ed25519 point of large order, the
//! fingerprint matches, dates, names) and refuses two entries with the same id or the same key.
//! Two entries with the same *name* and different keys are normal: that is key rotation.
//!
//! This module is pure: it parses entries from bytes and answers questions about a loaded store.
//! Finding, reading and writing stores is the command-line program's (`transmittal::trust`).

use crate::error::{Error, FormatError, TrustError};
use crate::format::chain::{valid_id, valid_statement_text};
use crate::format::dates::{format_iso, parse_iso, Date};
use crate::format::keyid::{decode_hex_array, fingerprint, key_id, parse_public_key};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The `format` of a trust-store entry.
pub const ENTRY_FORMAT: &str = "transmittal-key-v1";
/// File name suffix of a trust-store entry (`ID.pub.json`).
pub const ENTRY_SUFFIX: &str = ".pub.json";
/// Unix mode of entry files written by this module.
pub const ENTRY_MODE: u32 = 0o644;
/// The largest entry file read.
pub const MAX_ENTRY_BYTES: u64 = 1 << 20;
/// The longest `note` or `revocation_reason`, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The most alternative spellings (`also_known_as`) an entry may have.
pub const MAX_ALSO_KNOWN_AS: usize = 16;

/// The on-disk form of an entry (kept separate from the parsed [`TrustEntry`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    format: String,
    id: String,
    name: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    organisation: Option<String>,
    public_key: String,
    fingerprint: String,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_until: Option<String>,
    #[serde(default)]
    revoked_at: Option<String>,
    #[serde(default)]
    revocation_reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    also_known_as: Vec<String>,
}

#[derive(Deserialize)]
struct FormatProbe {
    #[serde(default)]
    format: Option<serde_json::Value>,
}

/// One trusted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustEntry {
    /// Trust-store id (the file name without `.pub.json`).
    pub id: String,
    /// The signatory's name, as on "(Signed)" lines.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Ed25519 public key.
    pub public_key: [u8; 32],
    /// SHA-256 of the public key.
    pub fingerprint: [u8; 32],
    /// First 16 hex characters of the fingerprint.
    pub key_id: String,
    /// First valid day (inclusive).
    pub valid_from: Option<Date>,
    /// Last valid day (inclusive).
    pub valid_until: Option<Date>,
    /// Revoked from this day on (inclusive).
    pub revoked_at: Option<Date>,
    /// Why it was revoked.
    pub revocation_reason: Option<String>,
    /// Free-text note.
    pub note: Option<String>,
    /// Alternative spellings of [`TrustEntry::name`] as real documents print them ("Kofi A.
    /// Annan" for "Kofi Annan"); empty when there are none. See [`TrustEntry::names`].
    pub also_known_as: Vec<String>,
    /// The entry file.
    pub path: PathBuf,
}

/// The fields of a new entry that a person supplies (the key comes from elsewhere).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryDetails {
    /// Trust-store id.
    pub id: String,
    /// The signatory's name.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// First valid day (inclusive).
    pub valid_from: Option<Date>,
    /// Last valid day (inclusive).
    pub valid_until: Option<Date>,
    /// Free-text note.
    pub note: Option<String>,
    /// Alternative spellings of the name (at most [`MAX_ALSO_KNOWN_AS`]).
    pub also_known_as: Vec<String>,
}

impl EntryDetails {
    /// Details with only an id and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        EntryDetails {
            id: id.into(),
            name: name.into(),
            ..Default::default()
        }
    }
}

/// Why a key was revoked, as `keys revoke --reason` records it in `revocation_reason`
/// (docs/FORMAT.md §8.2, docs/SECURITY.md "Trusted time").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationKind {
    /// `compromised`: someone else may hold the key. A signature then counts only when a trusted
    /// timestamp proves it existed before the revocation; the dates it claims prove nothing.
    Compromised,
    /// `superseded`: replaced by a newer key. Signatures dated before the revocation stand.
    Superseded,
    /// `retired`: no longer used (the signatory left office). Signatures dated before stand.
    Retired,
    /// Free text written before the three reasons existed: treated as `superseded` (the rule
    /// those entries were written under), and reports say so.
    Unspecified,
}

impl RevocationKind {
    /// The word written in `revocation_reason`: `compromised`, `superseded` or `retired`.
    pub fn as_str(self) -> &'static str {
        match self {
            RevocationKind::Compromised => "compromised",
            RevocationKind::Superseded => "superseded",
            RevocationKind::Retired => "retired",
            RevocationKind::Unspecified => "unspecified",
        }
    }

    /// The kind a `revocation_reason` value names (free text is [`RevocationKind::Unspecified`]).
    pub fn of_reason(reason: &str) -> RevocationKind {
        match reason {
            "compromised" => RevocationKind::Compromised,
            "superseded" => RevocationKind::Superseded,
            "retired" => RevocationKind::Retired,
            _ => RevocationKind::Unspecified,
        }
    }
}

/// Whether a key may be used on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Validity {
    /// Within its window and not revoked.
    Valid,
    /// The day is before `valid_from`.
    NotYetValid {
        /// First valid day.
        from: Date,
    },
    /// The day is after `valid_until`.
    Expired {
        /// Last valid day.
        until: Date,
    },
    /// Revoked on or before the day.
    Revoked {
        /// Effective date of the revocation.
        at: Date,
        /// Why.
        reason: Option<String>,
    },
}

impl Validity {
    /// True for [`Validity::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, Validity::Valid)
    }
}

fn valid_free_text(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_NOTE_CHARS
        && s.trim() == s
        && !s
            .chars()
            .any(|c| c.is_control() || crate::format::canonical::invisible_class(c).is_some())
}

fn id_message(id: &str) -> String {
    format!(
        "id {id:?} is not valid: use 1-64 characters from a-z 0-9 . _ -, starting with a letter or digit"
    )
}

impl TrustEntry {
    /// Build and validate an entry for `public_key` from `details`. The error says what is wrong.
    pub fn build(
        details: &EntryDetails,
        public_key: [u8; 32],
        path: PathBuf,
    ) -> Result<TrustEntry, String> {
        let entry = TrustEntry {
            id: details.id.clone(),
            name: details.name.clone(),
            title: details.title.clone(),
            organisation: details.organisation.clone(),
            public_key,
            fingerprint: fingerprint(&public_key),
            key_id: key_id(&public_key),
            valid_from: details.valid_from,
            valid_until: details.valid_until,
            revoked_at: None,
            revocation_reason: None,
            note: details.note.clone(),
            also_known_as: details.also_known_as.clone(),
            path,
        };
        entry.validate()?;
        Ok(entry)
    }

    /// Check every field: id, name, title, organisation, the key (valid point, not weak), the
    /// fingerprint and key id, the validity window, the revocation and the note.
    pub fn validate(&self) -> Result<(), String> {
        if !valid_id(&self.id) {
            return Err(id_message(&self.id));
        }
        // The name as `sign` writes it into a statement (NFC can lengthen it) must be valid too,
        // or a signature by this key would make a signature file its own reader refuses.
        if !valid_statement_text(&self.name)
            || !valid_statement_text(&crate::parse::identity::display_name(&self.name))
            || crate::parse::identity::normalize_name(&self.name).is_empty()
        {
            return Err(format!(
                "name {:?} is not valid: it must be 1-200 characters without control or invisible characters or surrounding spaces",
                self.name
            ));
        }
        if self.also_known_as.len() > MAX_ALSO_KNOWN_AS {
            return Err(format!(
                "also_known_as has {} names; at most {MAX_ALSO_KNOWN_AS} are allowed",
                self.also_known_as.len()
            ));
        }
        let mut seen = vec![crate::parse::identity::normalize_name(&self.name)];
        for alt in &self.also_known_as {
            let normalized = crate::parse::identity::normalize_name(alt);
            if !valid_statement_text(alt) || normalized.is_empty() {
                return Err(format!(
                    "also_known_as name {alt:?} is not valid: it must be 1-200 characters without control or invisible characters or surrounding spaces"
                ));
            }
            if seen.contains(&normalized) {
                return Err(format!(
                    "also_known_as name {alt:?} is a duplicate (of the name or of another alternative spelling)"
                ));
            }
            seen.push(normalized);
        }
        for (field, value) in [("title", &self.title), ("organisation", &self.organisation)] {
            if let Some(v) = value {
                if !valid_statement_text(v) {
                    return Err(format!(
                        "{field} {v:?} is not valid: it must be 1-200 characters without control or invisible characters or surrounding spaces (or null)"
                    ));
                }
            }
        }
        for (field, value) in [
            ("revocation_reason", &self.revocation_reason),
            ("note", &self.note),
        ] {
            if let Some(v) = value {
                if !valid_free_text(v) {
                    return Err(format!(
                        "{field} is not valid: it must be 1-{MAX_NOTE_CHARS} characters without control or invisible characters or surrounding spaces (or null)"
                    ));
                }
            }
        }
        parse_public_key(&self.public_key)?;
        if self.fingerprint != fingerprint(&self.public_key) {
            return Err(format!(
                "fingerprint does not match public_key (the SHA-256 of the key is {})",
                hex::encode(fingerprint(&self.public_key))
            ));
        }
        if self.key_id != key_id(&self.public_key) {
            return Err("key_id does not match public_key".into());
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until) {
            if from > until {
                return Err(format!(
                    "valid_from {} is after valid_until {}",
                    format_iso(from),
                    format_iso(until)
                ));
            }
        }
        if self.revocation_reason.is_some() && self.revoked_at.is_none() {
            return Err("revocation_reason is set but revoked_at is not".into());
        }
        Ok(())
    }

    /// The validity window alone on `date` (revocation left out).
    pub fn window_on(&self, date: Date) -> Validity {
        if let Some(from) = self.valid_from {
            if date < from {
                return Validity::NotYetValid { from };
            }
        }
        if let Some(until) = self.valid_until {
            if date > until {
                return Validity::Expired { until };
            }
        }
        Validity::Valid
    }

    /// Whether the key may be used on `date`: revoked when `revoked_at <= date`, else valid within
    /// `valid_from..=valid_until`.
    pub fn validity_on(&self, date: Date) -> Validity {
        if let Some(at) = self.revoked_at {
            if at <= date {
                return Validity::Revoked {
                    at,
                    reason: self.revocation_reason.clone(),
                };
            }
        }
        self.window_on(date)
    }

    /// Why the key was revoked, if it was.
    pub fn revocation_kind(&self) -> Option<RevocationKind> {
        self.revoked_at?;
        Some(
            self.revocation_reason
                .as_deref()
                .map(RevocationKind::of_reason)
                .unwrap_or(RevocationKind::Unspecified),
        )
    }

    /// Every spelling of the signatory's name: [`TrustEntry::name`] first, then
    /// [`TrustEntry::also_known_as`] in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.also_known_as.iter().map(String::as_str))
    }

    fn to_file(&self) -> EntryFile {
        EntryFile {
            format: ENTRY_FORMAT.into(),
            id: self.id.clone(),
            name: self.name.clone(),
            title: self.title.clone(),
            organisation: self.organisation.clone(),
            public_key: hex::encode(self.public_key),
            fingerprint: hex::encode(self.fingerprint),
            valid_from: self.valid_from.map(format_iso),
            valid_until: self.valid_until.map(format_iso),
            revoked_at: self.revoked_at.map(format_iso),
            revocation_reason: self.revocation_reason.clone(),
            note: self.note.clone(),
            also_known_as: self.also_known_as.clone(),
        }
    }

    /// The entry file's contents: pretty JSON (two-space indent) with a final newline.
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain strings and options cannot fail.
        let mut s = serde_json::to_string_pretty(&self.to_file()).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parse an entry file's bytes; `path` names the file in errors and must be `ID.pub.json`.
    pub fn from_json(bytes: &[u8], path: &Path) -> Result<TrustEntry, Error> {
        const FIX: &str =
            "; fix it or move it out of the trust store (every *.pub.json there is loaded)";
        let bad = |message: String| -> Error {
            TrustError::BadEntry {
                path: path.to_path_buf(),
                message: format!("{message}{FIX}"),
            }
            .into()
        };
        let malformed = |e: serde_json::Error| -> Error {
            FormatError::Malformed {
                path: path.to_path_buf(),
                message: format!("not a valid trust-store entry: {e}{FIX}"),
            }
            .into()
        };
        let unsupported = |found: String| -> Error {
            FormatError::UnsupportedFormat {
                path: path.to_path_buf(),
                found,
                expected: ENTRY_FORMAT,
            }
            .into()
        };
        // One parse on the fast path; on a schema error, say first if the format is another one.
        let file: EntryFile = match serde_json::from_slice(bytes) {
            Ok(file) => file,
            Err(e) => {
                return Err(match serde_json::from_slice::<FormatProbe>(bytes) {
                    Ok(FormatProbe {
                        format: Some(serde_json::Value::String(s)),
                    }) if s != ENTRY_FORMAT => unsupported(s),
                    Ok(FormatProbe {
                        format: None | Some(serde_json::Value::Null),
                    }) => FormatError::Malformed {
                        path: path.to_path_buf(),
                        message: format!(
                            "no \"format\": {ENTRY_FORMAT:?} field; not a trust-store entry{FIX}"
                        ),
                    }
                    .into(),
                    _ => malformed(e),
                })
            }
        };
        if file.format != ENTRY_FORMAT {
            return Err(unsupported(file.format));
        }
        let public_key: [u8; 32] = decode_hex_array(&file.public_key)
            .ok_or_else(|| bad("public_key must be 64 lowercase hex characters".into()))?;
        let fp: [u8; 32] = decode_hex_array(&file.fingerprint)
            .ok_or_else(|| bad("fingerprint must be 64 lowercase hex characters".into()))?;
        let date = |field: &str, v: &Option<String>| -> Result<Option<Date>, Error> {
            match v {
                None => Ok(None),
                Some(s) => parse_iso(s)
                    .map(Some)
                    .ok_or_else(|| bad(format!("{field} {s:?} is not an ISO date (YYYY-MM-DD)"))),
            }
        };
        let entry = TrustEntry {
            valid_from: date("valid_from", &file.valid_from)?,
            valid_until: date("valid_until", &file.valid_until)?,
            revoked_at: date("revoked_at", &file.revoked_at)?,
            id: file.id,
            name: file.name,
            title: file.title,
            organisation: file.organisation,
            public_key,
            fingerprint: fp,
            key_id: key_id(&public_key),
            revocation_reason: file.revocation_reason,
            note: file.note,
            also_known_as: file.also_known_as,
            path: path.to_path_buf(),
        };
        entry.validate().map_err(bad)?;
        let expected_name = format!("{}{ENTRY_SUFFIX}", entry.id);
        if path.file_name().and_then(|n| n.to_str()) != Some(expected_name.as_str()) {
            return Err(bad(format!(
                "the entry's id is {:?}, so its file must be named {expected_name:?}",
                entry.id
            )));
        }
        Ok(entry)
    }
}

/// A loaded trust store: validated entries sorted by file name, indexed by key, id and name.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    dir: PathBuf,
    origin: StoreLocation,
    anchors: Anchors,
    entries: Vec<TrustEntry>,
    by_key: HashMap<[u8; 32], usize>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// What a store trusts besides keys: certificates of time-stamping authorities (its `tsa/`
/// folder), organisation roots (`roots/`) and certificate revocation lists (`crls/`), all DER.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    /// Root certificates of trusted time-stamping authorities (RFC 3161).
    pub tsa_roots: Vec<Vec<u8>>,
    /// Root certificates of organisations whose certificates vouch for signatories.
    pub roots: Vec<Vec<u8>>,
    /// Certificate revocation lists for certificates under those roots.
    pub crls: Vec<Vec<u8>>,
}

impl Anchors {
    /// True when there is no certificate and no CRL.
    pub fn is_empty(&self) -> bool {
        self.tsa_roots.is_empty() && self.roots.is_empty() && self.crls.is_empty()
    }
}

impl TrustStore {
    /// The same store, trusting `anchors` too.
    pub fn with_anchors(mut self, anchors: Anchors) -> TrustStore {
        self.anchors = anchors;
        self
    }

    /// The certificates and CRLs the store trusts.
    pub fn anchors(&self) -> &Anchors {
        &self.anchors
    }

    /// Adds CRLs (e.g. given with `--crl`).
    pub fn add_crls(&mut self, crls: impl IntoIterator<Item = Vec<u8>>) {
        self.anchors.crls.extend(crls);
    }

    /// An empty store for `dir`.
    pub fn empty(dir: &Path) -> TrustStore {
        TrustStore {
            dir: dir.to_path_buf(),
            origin: StoreLocation::given(dir),
            ..Default::default()
        }
    }

    /// The same store, recorded as found at `location` (what [`TrustStore::describe`] reports).
    pub fn located(mut self, location: StoreLocation) -> TrustStore {
        self.origin = location;
        self
    }

    /// Where the store came from.
    pub fn location(&self) -> &StoreLocation {
        &self.origin
    }

    /// Which store this is, for reports: `keys (--keys)`,
    /// `/home/u/.config/transmittal/keys (user store)`, `none found (looked in: …)`; see
    /// [`StoreLocation::describe`].
    pub fn describe(&self) -> String {
        self.origin.describe()
    }

    /// A store from entries already in memory (validated here, duplicates refused).
    pub fn from_entries(dir: &Path, entries: Vec<TrustEntry>) -> Result<TrustStore, Error> {
        for e in &entries {
            e.validate().map_err(|message| TrustError::BadEntry {
                path: e.path.clone(),
                message,
            })?;
        }
        Self::index(dir, entries)
    }

    /// A store from entries each made by [`TrustEntry::from_json`], which has validated them
    /// (the store on disk: validating again would decode every key twice). Duplicates refused.
    pub fn from_parsed_entries(dir: &Path, entries: Vec<TrustEntry>) -> Result<TrustStore, Error> {
        Self::index(dir, entries)
    }

    fn index(dir: &Path, entries: Vec<TrustEntry>) -> Result<TrustStore, Error> {
        let mut store = TrustStore::empty(dir);
        store.by_key.reserve(entries.len());
        store.by_id.reserve(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if let Some(&j) = store.by_id.get(&e.id) {
                return Err(TrustError::Duplicate {
                    first: entries[j].path.clone(),
                    second: e.path.clone(),
                    message: format!("both have id {:?}", e.id),
                }
                .into());
            }
            if let Some(&j) = store.by_key.get(&e.public_key) {
                return Err(TrustError::Duplicate {
                    first: entries[j].path.clone(),
                    second: e.path.clone(),
                    message: format!(
                        "both hold the public key {}; a key belongs to one identity only",
                        e.key_id
                    ),
                }
                .into());
            }
            store.by_id.insert(e.id.clone(), i);
            store.by_key.insert(e.public_key, i);
            store
                .by_name
                .entry(crate::parse::identity::normalize_name(&e.name))
                .or_default()
                .push(i);
        }
        store.entries = entries;
        Ok(store)
    }

    /// The directory the store was loaded from. For a store that was not found
    /// ([`StoreSource::None`]) this is the first place searched (the user store, where
    /// `transmittal keys import` would create it), or an empty path; [`TrustStore::describe`]
    /// says which store it is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// All entries, sorted by file name.
    pub fn entries(&self) -> &[TrustEntry] {
        &self.entries
    }

    /// True when the store has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry holding this public key.
    pub fn by_key(&self, public_key: &[u8; 32]) -> Option<&TrustEntry> {
        self.by_key.get(public_key).map(|&i| &self.entries[i])
    }

    /// The entry with this id.
    pub fn by_id(&self, id: &str) -> Option<&TrustEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Every entry whose name matches `name` under [`crate::parse::identity::normalize_name`] (several
    /// after a key rotation), in file-name order.
    pub fn by_name(&self, name: &str) -> Vec<&TrustEntry> {
        self.by_name
            .get(&crate::parse::identity::normalize_name(name))
            .map(|v| v.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }
}

/// The system-wide trust store, searched last.
pub const SYSTEM_STORE: &str = "/etc/transmittal/keys";
/// The environment variable naming the trust store (read by the command-line program, which
/// passes its value to the store search).
pub const STORE_ENV: &str = "TRANSMITTAL_KEYS";

/// Where a trust store was found (by the command-line program's store search).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StoreSource {
    /// Named with `--keys DIR`.
    Flag,
    /// Named by the `TRANSMITTAL_KEYS` environment variable.
    Env,
    /// The user's store, `$XDG_CONFIG_HOME/transmittal/keys` or `~/.config/transmittal/keys`.
    User,
    /// The system store, [`SYSTEM_STORE`].
    System,
    /// A directory given by a library caller ([`TrustStore::empty`]).
    Dir,
    /// No store was found.
    #[default]
    None,
}

impl StoreSource {
    /// True when the store was named explicitly (`--keys` or `TRANSMITTAL_KEYS`): it must then
    /// exist and hold entries.
    pub fn is_explicit(self) -> bool {
        matches!(self, StoreSource::Flag | StoreSource::Env)
    }
}

/// The result of the trust-store search: the directory to use (if any), how it was chosen, and
/// every directory looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreLocation {
    /// The store directory; `None` when no store was named and none was found.
    pub path: Option<PathBuf>,
    /// How it was chosen.
    pub source: StoreSource,
    /// The directories looked at, in order (for "looked in: …").
    pub searched: Vec<PathBuf>,
}

impl StoreLocation {
    /// A directory given by a library caller.
    pub fn given(dir: &Path) -> StoreLocation {
        StoreLocation {
            path: Some(dir.to_path_buf()),
            source: StoreSource::Dir,
            searched: vec![dir.to_path_buf()],
        }
    }

    /// Which store, in words: `keys (--keys)`, `/srv/keys (TRANSMITTAL_KEYS)`,
    /// `/home/u/.config/transmittal/keys (user store)`, `/etc/transmittal/keys (system store)`,
    /// `keys` (given by a library caller), or
    /// `none found (looked in: /home/u/.config/transmittal/keys, /etc/transmittal/keys)`.
    pub fn describe(&self) -> String {
        let looked = || {
            self.searched
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (&self.path, self.source) {
            (Some(p), StoreSource::Flag) => format!("{} (--keys)", p.display()),
            (Some(p), StoreSource::Env) => format!("{} ({STORE_ENV})", p.display()),
            (Some(p), StoreSource::User) => format!("{} (user store)", p.display()),
            (Some(p), StoreSource::System) => format!("{} (system store)", p.display()),
            (Some(p), StoreSource::Dir | StoreSource::None) => p.display().to_string(),
            (None, _) => format!("none found (looked in: {})", looked()),
        }
    }
}
