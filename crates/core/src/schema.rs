//! Identifiers of the JSON documents the `transmittal` command writes (`docs/FORMAT.md` §12) and
//! [`Tagged`], which puts the identifier first in a document.
//!
//! Each identifier names a JSON Schema in `docs/schemas/` (`<id>.schema.json`). A new field is a
//! compatible change within a version; removing or changing a field makes a new version.

use serde::Serialize;

/// `verify --json`: the verification report ([`crate::verify::Report`]).
pub const REPORT: &str = "transmittal-report-v1";
/// `show --json`.
pub const SHOW: &str = "transmittal-show-v1";
/// `inspect --json`.
pub const INSPECT: &str = "transmittal-inspect-v1";
/// `audit --json`: one record per document.
pub const AUDIT_RECORD: &str = "transmittal-audit-record-v1";
/// `audit --json`: the last line, the summary.
pub const AUDIT_SUMMARY: &str = "transmittal-audit-summary-v1";
/// `diff --json`.
pub const DIFF: &str = "transmittal-diff-v1";
/// `keys list --json`.
pub const KEYS: &str = "transmittal-keys-v2";
/// `hash --json`.
pub const HASH: &str = "transmittal-hash-v1";
/// Any command with `--json` that fails with exit code 2.
pub const ERROR: &str = "transmittal-error-v1";

/// Every identifier, for tests and documentation.
pub const ALL: &[&str] = &[
    REPORT,
    SHOW,
    INSPECT,
    AUDIT_RECORD,
    AUDIT_SUMMARY,
    DIFF,
    KEYS,
    HASH,
    ERROR,
];

/// A document `T` with `"schema": id` as its first field (the fields of `T` follow, flattened).
#[derive(Debug, Serialize)]
pub struct Tagged<'a, T: Serialize> {
    /// The schema identifier, one of [`ALL`].
    pub schema: &'static str,
    /// The document.
    #[serde(flatten)]
    pub body: &'a T,
}

impl<'a, T: Serialize> Tagged<'a, T> {
    /// `body` tagged with the schema identifier `schema`.
    pub fn new(schema: &'static str, body: &'a T) -> Self {
        Tagged { schema, body }
    }
}
