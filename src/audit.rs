//! `transmittal audit` (being written).

use crate::error::Error;
use std::path::PathBuf;

/// Options of an audit run (from the command line).
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Files or directories; `-` reads newline-separated paths from standard input.
    pub paths: Vec<PathBuf>,
    /// Trust-store directory.
    pub keys: PathBuf,
    /// Parallel jobs (default: number of cores).
    pub jobs: Option<usize>,
    /// JSON Lines output.
    pub json: bool,
    /// Stop at the first document that is not valid.
    pub fail_fast: bool,
    /// Documents without a signature file are failures.
    pub require_signed: bool,
    /// Warnings are failures.
    pub strict: bool,
    /// No human output on success.
    pub quiet: bool,
    /// Colour in human output.
    pub color: bool,
}

/// Counts of an audit.
#[derive(Debug, Clone, Default)]
pub struct AuditSummary {
    /// Exit code.
    pub code: i32,
}

impl AuditSummary {
    /// The exit code: 0 all valid, 1 any invalid, 3 any indeterminate and none invalid, 2 usage
    /// error or unreadable document.
    pub fn exit_code(&self) -> i32 {
        self.code
    }
}

/// Run an audit, writing records to `out`; `progress(done, total)` is called as documents finish.
pub fn run(
    _opts: &AuditOptions,
    _out: &mut dyn std::io::Write,
    _progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<AuditSummary, Error> {
    Err(crate::error::InputError::Invalid("audit: not written yet".into()).into())
}
