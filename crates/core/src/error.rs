//! Typed errors, split by the stage that fails: reading input, parsing an on-disk format, making a
//! signature, and the trust store.
//!
//! These are *errors* (the job could not be done: exit code 2 in the CLI), not verification
//! findings: a document that fails verification is a successful run with an `invalid` verdict, see
//! [`crate::verify`]. Every message says what is wrong and, where there is one, what to do next.

use std::path::PathBuf;
use thiserror::Error;

/// The input could not be read or is not acceptable text.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum InputError {
    /// The bytes are not UTF-8.
    #[error("not UTF-8: invalid byte at offset {offset}; convert the file to UTF-8 first (e.g. `iconv -t UTF-8`)")]
    NotUtf8 {
        /// Offset of the first byte that is not valid UTF-8.
        offset: u64,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}; nothing was changed", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file is larger than this tool accepts.
    #[error("{} is larger than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// A file to be created exists already.
    #[error("{} exists already; use --force to overwrite it", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A command-line value is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

impl InputError {
    /// The stable code of this error in `--json` output (`transmittal-error-v1`), the same from
    /// every shell: `input-not-utf8`, `input-too-large`, `input-not-found`,
    /// `input-not-regular-file`, `input-unreadable` or `input-invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::NotUtf8 { .. } => "input-not-utf8",
            InputError::TooLarge { .. } => "input-too-large",
            InputError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                "input-not-found"
            }
            InputError::Read { source, .. }
                if source.to_string().contains("not a regular file") =>
            {
                "input-not-regular-file"
            }
            InputError::Read { .. } => "input-unreadable",
            // `with_path` names the file of a `NotUtf8` in an `Invalid` message.
            InputError::Invalid(m) if m.contains("not UTF-8") => "input-not-utf8",
            _ => "input-invalid",
        }
    }
}

/// An on-disk file (signature file, key file, trust-store entry) is not in the expected format.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FormatError {
    /// JSON syntax or schema error.
    #[error("{}: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file declares a format this version does not know.
    #[error("{}: unsupported format {found:?} (this version reads {expected:?}); upgrade transmittal", path.display())]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// What the file says.
        found: String,
        /// What this version reads.
        expected: &'static str,
    },
}

/// A signature could not be made.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SignError {
    /// Signing was refused for a reason the user can fix; the message says which.
    #[error("{0}")]
    Refused(String),
    /// The requested layer does not exist.
    #[error(
        "the document has no layer {index} (it has {count}); run `transmittal inspect` to see them"
    )]
    NoSuchLayer {
        /// Requested index.
        index: usize,
        /// Number of layers.
        count: usize,
    },
}

/// The trust store or a key could not be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TrustError {
    /// A trust-store entry is invalid.
    #[error("{}: {message}", path.display())]
    BadEntry {
        /// The entry file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Two entries share an id or a key.
    #[error("{} and {}: {message}", first.display(), second.display())]
    Duplicate {
        /// One entry.
        first: PathBuf,
        /// The other entry.
        second: PathBuf,
        /// What they share.
        message: String,
    },
    /// No entry with that id.
    #[error("no trust-store entry with id {id:?} in {}; `transmittal keys list` shows the ids", dir.display())]
    UnknownId {
        /// The id asked for.
        id: String,
        /// The trust-store directory.
        dir: PathBuf,
    },
    /// A secret key file is readable by others.
    #[error("{} is readable by group or others (mode {mode:o}); run `chmod 600 {}`", path.display(), path.display())]
    InsecurePermissions {
        /// The key file.
        path: PathBuf,
        /// Its mode bits.
        mode: u32,
    },
    /// A trust store that was named explicitly (`--keys`, `TRANSMITTAL_KEYS`) cannot be used: it
    /// is missing, not a directory, or holds no entries. The message says which and what to do.
    #[error("{message}")]
    StoreUnusable {
        /// The store directory.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A trust-store directory or entry file is writable by group or others: anyone who can
    /// write there could add a key the store would trust.
    #[error("{} is writable by group or others (mode {mode:o}): whoever can write there could make the trust store trust any key; run `chmod go-w {}` (a umask of 002 makes new files group-writable)", path.display(), path.display())]
    WritableStore {
        /// The directory or entry file.
        path: PathBuf,
        /// Its mode bits.
        mode: u32,
    },
    /// A secret key is invalid or could not be decrypted.
    #[error("{}: {message}", path.display())]
    BadSecretKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Any error of the library.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An on-disk format.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// Signing.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// Trust store and keys.
    #[error(transparent)]
    Trust(#[from] TrustError),
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attach a path to an input error produced for an anonymous buffer.
pub fn with_path(err: InputError, path: &std::path::Path) -> InputError {
    match err {
        InputError::NotUtf8 { offset } => InputError::Invalid(format!(
            "{}: not UTF-8: invalid byte at offset {offset}; convert the file to UTF-8 first (e.g. `iconv -t UTF-8`)",
            path.display()
        )),
        other => other,
    }
}
