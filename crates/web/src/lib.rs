//! transmittal's verifier in the browser: the pure core ([`transmittal_core`]) compiled to
//! WebAssembly, answering with exactly the bytes `transmittal verify --json` prints.
//!
//! [`verify_json`] is the whole interface. It is plain Rust (native tests call it); the page calls
//! it through the `wasm-bindgen` export [`verify_json_wasm`] (named `verify_json` in JavaScript).
//!
//! # The same answer as the command line
//!
//! The page holds no trust store of its own: the trust entries (`*.pub.json`) the user gives it,
//! or the ones bundled into the page when it was built, are its store, as if they were the files
//! of a directory named on the command line. The store directory's name is an argument
//! ([`Inputs::store_dir`]; the page uses [`PAGE_STORE_DIR`], `keys`), so the report's
//! `trust_store` is `keys (--keys)`, and the page's answer for a document `D`, its signature file
//! `S` and entries `E…` is byte for byte what
//!
//! ```text
//! transmittal verify D --sig S --keys keys --json
//! ```
//!
//! prints in a directory holding `D`, `S` and `keys/E…`, on the same date (UTC). This includes
//! the command line's errors (`transmittal-error-v1`, one line of compact JSON): a binary file
//! given as the document, an input over its size limit, a bad or duplicate entry, and no entries
//! at all, which the command line refuses for a store named with `--keys`
//! (`trust-store-unusable`).
//!
//! The checks the command line makes before calling the core (size limits, the binary-file
//! advice, the store's rules) are made here in the same order with the same messages; the
//! equality test (`tests/web/equality.mjs`, run by `scripts/test-web.sh`) compares the two on a
//! matrix of cases.

mod cli_checks;
mod store;

use std::path::Path;
use transmittal_core::schema::{self, Tagged};
use transmittal_core::verify::{self, Options};
use wasm_bindgen::prelude::wasm_bindgen;

pub use cli_checks::{MAX_DOCUMENT_BYTES, MAX_METADATA_BYTES};
pub use store::PAGE_STORE_DIR;

/// One verification as the page asks for it.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The document's name as the report shows it (the file name the user chose).
    pub doc_name: &'a str,
    /// The document's bytes.
    pub doc: &'a [u8],
    /// The signature file's name.
    pub sig_name: &'a str,
    /// The signature file's bytes.
    pub sig: &'a [u8],
    /// The name of the store directory the entries stand for ([`PAGE_STORE_DIR`] in the page).
    pub store_dir: &'a str,
    /// The trust entries: file name (`ID.pub.json`) and contents, in any order.
    pub entries: &'a [(&'a str, &'a [u8])],
    /// The verification date, `YYYY-MM-DD` (the page gives today's date in UTC, as the command
    /// line does).
    pub today: &'a str,
    /// `--strict`: warnings become failures.
    pub strict: bool,
}

/// An error as the command line reports it with `--json`: its stable code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `input-too-large`, `trust-store-unusable`, `input-not-utf8`, `error`, …
    pub code: &'static str,
    /// The message, as on the command line's `transmittal: error:` line.
    pub message: String,
}

impl Failure {
    fn new(code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// Verify, and print as `transmittal verify --json` does: the report tagged
/// `transmittal-report-v1` as pretty JSON with a final newline, or a `transmittal-error-v1`
/// document as one line of compact JSON with a final newline.
pub fn verify_json(inputs: &Inputs<'_>) -> String {
    match verify_report(inputs) {
        Ok(report) => {
            let tagged = Tagged::new(schema::REPORT, &report);
            match serde_json::to_string_pretty(&tagged) {
                Ok(s) => s + "\n",
                Err(e) => error_json(&Failure::new("error", e.to_string())),
            }
        }
        Err(f) => error_json(&f),
    }
}

/// The report, or the error the command line would give, for `inputs`.
pub fn verify_report(inputs: &Inputs<'_>) -> Result<verify::Report, Failure> {
    let doc_path = Path::new(inputs.doc_name);
    // The order of the command line: the document (size, then what kind of file), the signature
    // file's size, the trust store, then the verification itself.
    cli_checks::check_size(doc_path, inputs.doc, MAX_DOCUMENT_BYTES)?;
    cli_checks::check_document(doc_path, inputs.doc)?;
    cli_checks::check_size(Path::new(inputs.sig_name), inputs.sig, MAX_METADATA_BYTES)?;
    let store = store::open(inputs.store_dir, inputs.entries)?;
    let today = transmittal_core::dates::parse_iso(inputs.today).ok_or_else(|| {
        Failure::new(
            "input-invalid",
            format!(
                "the verification date {:?} is not an ISO date (YYYY-MM-DD)",
                inputs.today
            ),
        )
    })?;
    verify::verify(
        inputs.doc_name,
        inputs.doc,
        inputs.sig_name,
        inputs.sig,
        &store,
        Options {
            strict: inputs.strict,
            skip_parser_check: false,
            today: Some(today),
            ..Default::default()
        },
    )
    .map_err(|e| {
        let e = transmittal_core::error::with_path(e, doc_path);
        Failure::new(e.code(), message_of(&e))
    })
}

/// The message of an error and its causes, as the command line joins them (`A: B`, a cause
/// already in the message left out).
fn message_of(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let c_msg = c.to_string();
        if !msg.contains(&c_msg) {
            msg.push_str(": ");
            msg.push_str(&c_msg);
        }
        cause = c.source();
    }
    msg
}

/// `{"schema":"transmittal-error-v1","error":{"code":…,"message":…}}` and a newline.
pub fn error_json(f: &Failure) -> String {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        error: Inner<'a>,
    }
    // serde_json::json! sorts keys ("code" before "message"); a struct keeps the same order.
    #[derive(serde::Serialize)]
    struct Inner<'a> {
        code: &'a str,
        message: &'a str,
    }
    let body = Body {
        error: Inner {
            code: f.code,
            message: &f.message,
        },
    };
    // Serializing two strings cannot fail.
    serde_json::to_string(&Tagged::new(schema::ERROR, &body)).unwrap_or_default() + "\n"
}

/// The page's entry point (`verify_json` in JavaScript): [`verify_json`] with the trust entries
/// passed as their names, their contents one after another in `entry_bytes`, and each one's
/// length in `entry_lens` (so that no JavaScript object crosses the boundary).
#[wasm_bindgen(js_name = verify_json)]
#[allow(clippy::too_many_arguments)]
pub fn verify_json_wasm(
    doc_name: &str,
    doc: &[u8],
    sig_name: &str,
    sig: &[u8],
    entry_names: Vec<String>,
    entry_bytes: &[u8],
    entry_lens: &[u32],
    today: &str,
    strict: bool,
) -> String {
    let Some(entries) = split_entries(&entry_names, entry_bytes, entry_lens) else {
        return error_json(&Failure::new(
            "error",
            "the trust entries' names and lengths do not match their bytes",
        ));
    };
    verify_json(&Inputs {
        doc_name,
        doc,
        sig_name,
        sig,
        store_dir: PAGE_STORE_DIR,
        entries: &entries,
        today,
        strict,
    })
}

/// The entries of [`verify_json_wasm`]: `None` when the lengths do not add up.
fn split_entries<'a>(
    names: &'a [String],
    bytes: &'a [u8],
    lens: &[u32],
) -> Option<Vec<(&'a str, &'a [u8])>> {
    if names.len() != lens.len() {
        return None;
    }
    let mut rest = bytes;
    let mut out = Vec::with_capacity(names.len());
    for (name, &len) in names.iter().zip(lens) {
        let len = usize::try_from(len).ok()?;
        if len > rest.len() {
            return None;
        }
        let (this, tail) = rest.split_at(len);
        out.push((name.as_str(), this));
        rest = tail;
    }
    rest.is_empty().then_some(out)
}

/// This build's version (shown by the page).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests;
