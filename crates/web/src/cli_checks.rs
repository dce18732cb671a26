//! What the command line checks before it calls the core, with its messages and `--json` codes:
//! the size limits of its reads, the advice for a binary file given as a document, and the codes
//! of input errors.
//!
//! The advice for a binary file and the error codes are the core's, shared with the command line
//! ([`transmittal_core::input`], [`InputError::code`]); the size limits mirror the command-line
//! crate's (`src/io/fsutil.rs`), which cannot be a dependency here (it reads files, prompts and
//! starts threads). The equality test compares both on every case it runs, so a change on one
//! side that is not made on the other fails it.

use crate::Failure;
use std::path::Path;
use transmittal_core::error::InputError;

/// The largest document the command line reads (1 GiB).
pub const MAX_DOCUMENT_BYTES: u64 = 1 << 30;
/// The largest signature file or trust-store entry file the command line reads for `verify`
/// (64 MiB; an entry is further limited by the store to
/// [`transmittal_core::trust::MAX_ENTRY_BYTES`]).
pub const MAX_METADATA_BYTES: u64 = 64 << 20;

/// Refuse `bytes` over `limit`, as the command line's bounded read does.
pub fn check_size(path: &Path, bytes: &[u8], limit: u64) -> Result<(), Failure> {
    if bytes.len() as u64 > limit {
        let e = InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        };
        return Err(Failure::new(e.code(), e.to_string()));
    }
    Ok(())
}

/// Refuse a document that is not text, with the command line's advice for what it is (code
/// `error`, as the command line gives it; the message is the core's
/// [`transmittal_core::input::document_problem`], which the command line gives too).
pub fn check_document(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    match transmittal_core::input::document_problem(path, bytes) {
        Some(message) => Err(Failure::new("error", message)),
        None => Ok(()),
    }
}
