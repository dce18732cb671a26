//! The page's trust store: the entries given to the page, as if they were the files of a
//! directory named with `--keys` (the command line's `trust::open` for an explicit store, less
//! the file-system checks a page has no use for: file modes, non-UTF-8 names).

use crate::Failure;
use std::path::{Path, PathBuf};
use transmittal_core::error::{Error, InputError};
use transmittal_core::trust::{
    StoreLocation, StoreSource, TrustEntry, TrustStore, ENTRY_SUFFIX, MAX_ENTRY_BYTES,
};

/// The directory name the page's entries stand for: reports say `keys (--keys)`, as
/// `transmittal verify … --keys keys --json` does.
pub const PAGE_STORE_DIR: &str = "keys";

/// The store of `entries` (file name, contents) named `dir`, or the command line's error for it
/// (code `trust-store-unusable`).
pub fn open(dir: &str, entries: &[(&str, &[u8])]) -> Result<TrustStore, Failure> {
    let unusable = |e: Error| Failure::new("trust-store-unusable", e.to_string());
    let dir = PathBuf::from(dir);
    // As in a directory: only `*.pub.json` files, in file-name order.
    let mut files: Vec<&(&str, &[u8])> = entries
        .iter()
        .filter(|(name, _)| name.ends_with(ENTRY_SUFFIX))
        .collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut parsed = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        if bytes.len() as u64 > MAX_ENTRY_BYTES {
            return Err(unusable(
                InputError::TooLarge {
                    path,
                    limit: MAX_ENTRY_BYTES,
                }
                .into(),
            ));
        }
        parsed.push(TrustEntry::from_json(bytes, &path).map_err(unusable)?);
    }
    if parsed.is_empty() {
        return Err(Failure::new("trust-store-unusable", no_entries(&dir)));
    }
    let location = StoreLocation {
        path: Some(dir.clone()),
        source: StoreSource::Flag,
        searched: vec![dir.clone()],
    };
    Ok(TrustStore::from_parsed_entries(&dir, parsed)
        .map_err(unusable)?
        .located(location))
}

/// The command line's refusal of a store named with `--keys` that holds no entries.
fn no_entries(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "trust store {d} (--keys) holds no entries (no *{ENTRY_SUFFIX} files) and no organisation roots (roots/): create it with `transmittal keys import --keys {d} …` (or `transmittal keygen --out-dir {d} …`), or name another with --keys DIR"
    )
}
