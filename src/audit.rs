//! `transmittal audit`: verify many documents at once, for archives and scripts.
//!
//! # What is audited
//!
//! The paths given are files or directories; `-` reads more paths from standard input, one per
//! line (a trailing CR is dropped, empty lines are skipped), or NUL-separated with `-0` /
//! `--null` (as `find -print0` writes them). Directories are walked recursively (with `walkdir`,
//! in sorted order):
//!
//! * entries whose name starts with `.` (hidden files and directories) are skipped, and counted
//!   (`skipped_hidden` in the summary; a hidden directory counts once); `--hidden` walks them too;
//! * every file is opened without blocking and must be a regular file: a FIFO, socket or device
//!   named like a text document is an `error` record ("not a regular file (a FIFO)"), as is one
//!   named explicitly, and the audit goes on;
//! * symbolic links to directories are never followed (no loops, no escape from the tree); a
//!   symbolic link to a file is followed only when its target lies inside the directory that was
//!   named; a signed document (or signature file) that is a link out of the tree is an `error`
//!   record, "not followed";
//! * a file `X` with a regular file `X.sig.json` beside it is a **signed document**;
//! * a file whose name ends in `.sig.json` is never itself a document; one whose document `X` is
//!   absent is an `error` record for `X` (a signature file says a document was there);
//! * a file without a signature file is counted as **`unsigned`** only if its extension says it is
//!   a text document (`.md`, `.markdown`, `.txt`, `.text`, any case); other files (images, PDFs,
//!   key files, READMEs in other formats...) are not documents and are ignored;
//! * a directory (or anything that is not a regular file) named like a signed document, i.e. with
//!   an `X.sig.json` beside it, is an `error` record.
//!
//! A path named explicitly (on the command line or on standard input) is always a document,
//! whatever its name: `unsigned` if it has no signature file. Naming `X.sig.json` names the
//! document `X`. A path named on the command line that does not exist is a usage error (exit 2,
//! nothing audited); one read from standard input that does not exist is an `error` record.
//!
//! # Records and order
//!
//! Every document gives one record, in path order (component by component) whatever `--jobs` is,
//! each path once. With `--json` the records are JSON Lines: a verified document is the report of
//! `verify --json` with `"type": "document"` and `"path"` added (and `"schema"` naming
//! `transmittal-audit-record-v1`); an unsigned one is
//! `{"schema":…,"type":"document","path":…,"verdict":"unsigned","codes":[],"reason":…}`; one
//! that could not be read (I/O error, not UTF-8, too large, a directory) is
//! `{"schema":…,"type":"document","path":…,"verdict":"error","codes":[],"error":"…"}`. A final
//! record `{"schema":"transmittal-audit-summary-v1","type":"summary",…}` gives the counts. The
//! output is the same byte for byte from run to run (no run time in it). Human output prints one
//! line per document that is not valid, naming its root cause, and a summary table.
//!
//! # Exit code
//!
//! An audit that finds no document at all is an error (exit `2`, "no documents found under
//! …"), unless `--allow-empty`.
//!
//! `1` if any document is `invalid` (or `unsigned` under `--require-signed`); else `2` if any
//! document could not be read; else `3` if any is `indeterminate`; else `0`. Usage errors (a
//! named path that does not exist, a trust store that cannot be loaded, `--jobs 0`) exit `2`
//! before anything is audited. A proven failure is never reported as a mere read error: an
//! `invalid` document wins over an unreadable one.
//!
//! `--fail-fast` stops at the first document (in path order) that is not valid: its record is the
//! last one written, followed by the summary of what was written. (Documents are checked a chunk
//! at a time, so at most one chunk of work after it is done and discarded.)
//!
//! # How it runs
//!
//! The trust store is loaded once. The sorted list of documents is processed in chunks of
//! [`CHUNK`] documents, which bounds memory whatever the size of the archive: each chunk's
//! documents are read (once each) and prepared ([`verify::prepare`]) in parallel, all their
//! signatures are checked together with [`crypto::verify_many`] (strict semantics, batched) in
//! slices spread over the threads, the reports are finished and rendered in parallel, and the
//! chunk's records are written in order. Only the list of paths grows with the archive.

use crate::crypto::{self, BatchItem, Rejection};
use crate::error::{Error, InputError};
use crate::fsutil::{MAX_DOCUMENT_BYTES, MAX_METADATA_BYTES};
use crate::sigfile;
use crate::trust::TrustStore;
use crate::verify::{self, Cause, Prepared, Report, SigStatus, Verdict};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Documents processed per chunk (prepared, checked, finished and written together).
pub const CHUNK: usize = 1024;

/// Signatures per [`crypto::verify_many`] call; slices are spread over the threads. A multiple of
/// [`crypto::BATCH_CHUNK`].
pub const SIGNATURE_SLICE: usize = 4 * crypto::BATCH_CHUNK;

/// File-name suffix of signature files.
pub const SIG_SUFFIX: &str = ".sig.json";

/// Extensions (compared case-insensitively) of files counted as `unsigned` documents when they
/// have no signature file. Other files without a signature file are not documents.
pub const TEXT_EXTENSIONS: [&str; 4] = ["md", "markdown", "txt", "text"];

/// Whether audits run the parser-agreement check of `verify` (the `parser-disagrees` warning).
/// It is kept on so that an audit gives exactly the verdicts `verify` gives (it matters under
/// `--strict`); its cost is measured in `docs/PERFORMANCE.md`.
pub const PARSER_CHECK: bool = true;

/// Options of an audit run (from the command line).
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Files or directories; `-` reads newline-separated paths from standard input.
    pub paths: Vec<PathBuf>,
    /// The trust store (opened by the caller, e.g. with [`TrustStore::open`]).
    pub store: TrustStore,
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
    /// Paths read from standard input are separated by NUL bytes (`find -print0`), not newlines.
    pub null: bool,
    /// Walk hidden files and directories too (by default they are skipped and counted).
    pub hidden: bool,
    /// An audit that finds no document succeeds (by default it is an error).
    pub allow_empty: bool,
}

/// Counts of an audit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditSummary {
    /// Documents reported (one record each).
    pub documents: u64,
    /// Documents whose verdict is `valid`.
    pub valid: u64,
    /// Documents whose verdict is `invalid`.
    pub invalid: u64,
    /// Documents whose verdict is `indeterminate`.
    pub indeterminate: u64,
    /// Documents without a signature file.
    pub unsigned: u64,
    /// Documents that could not be read (I/O error, not UTF-8, too large, not a file).
    pub error: u64,
    /// Signatures checked.
    pub signatures: u64,
    /// Wall-clock time of the run, in seconds (not part of the output, which is the same from run
    /// to run; the command prints it to standard error under `--timing`).
    pub seconds: f64,
    /// Whether `--require-signed` was in force (unsigned documents are failures).
    pub require_signed: bool,
    /// Whether `--fail-fast` stopped the audit before every document was reported.
    pub stopped_early: bool,
    /// Hidden entries (names starting with `.`) skipped in the directories walked; a hidden
    /// directory counts once, whatever it holds.
    pub skipped_hidden: u64,
}

impl AuditSummary {
    /// The exit code: 1 any invalid (or unsigned under `--require-signed`); else 2 any document
    /// that could not be read; else 3 any indeterminate; else 0.
    pub fn exit_code(&self) -> i32 {
        if self.invalid > 0 || (self.require_signed && self.unsigned > 0) {
            1
        } else if self.error > 0 {
            2
        } else if self.indeterminate > 0 {
            3
        } else {
            0
        }
    }
}

/// What discovery found at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundKind {
    /// A document with its signature file (the path + [`SIG_SUFFIX`]).
    Signed,
    /// A document without a signature file.
    Unsigned,
    /// Something that should be a document but cannot be read as one; the message names it.
    Unreadable(Box<str>),
}

/// One document found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The document's path (as named, or joined below a named directory). Boxed: an archive's
    /// list of paths is the one thing an audit holds for every document at once.
    pub path: Box<Path>,
    /// What was found.
    pub kind: FoundKind,
}

impl Found {
    fn new(path: PathBuf, kind: FoundKind) -> Found {
        Found {
            path: path.into_boxed_path(),
            kind,
        }
    }
    fn error(path: PathBuf, message: String) -> Found {
        Found {
            path: path.into_boxed_path(),
            kind: FoundKind::Unreadable(message.into_boxed_str()),
        }
    }
}

/// Run an audit, writing records to `out`; `progress(done, total)` is called as documents finish.
/// Paths named `-` are read from the process's standard input.
pub fn run(
    opts: &AuditOptions,
    out: &mut dyn std::io::Write,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<AuditSummary, Error> {
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    run_with_input(opts, &mut lock, out, progress)
}

/// [`run`], with the paths named `-` read from `input` instead of standard input.
pub fn run_with_input(
    opts: &AuditOptions,
    input: &mut dyn BufRead,
    out: &mut dyn std::io::Write,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<AuditSummary, Error> {
    let started = Instant::now();
    let threads = match opts.jobs {
        Some(0) => {
            return Err(InputError::Invalid("--jobs must be at least 1".into()).into());
        }
        Some(n) => n,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("transmittal-audit-{i}"))
        .build()
        .map_err(|e| InputError::Invalid(format!("cannot start {threads} worker threads: {e}")))?;
    let store = &opts.store;
    let Discovery {
        found,
        skipped_hidden,
    } = discover_with(
        &opts.paths,
        input,
        &DiscoverOptions {
            null: opts.null,
            hidden: opts.hidden,
        },
    )?;
    if found.is_empty() && !opts.allow_empty {
        let named: Vec<String> = opts
            .paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    "the paths read from standard input".to_owned()
                } else {
                    p.display().to_string()
                }
            })
            .collect();
        return Err(InputError::Invalid(format!(
            "no documents found under {}{}; use --allow-empty if that is expected",
            named.join(", "),
            if skipped_hidden > 0 {
                format!(
                    " ({skipped_hidden} hidden entr{} skipped; --hidden includes them)",
                    if skipped_hidden == 1 { "y" } else { "ies" }
                )
            } else {
                String::new()
            }
        ))
        .into());
    }
    let total = found.len() as u64;
    progress(0, total);

    let vopts = verify::Options {
        strict: opts.strict,
        skip_parser_check: !PARSER_CHECK,
        today: Some(crate::dates::today()),
    };
    let style = Paint { color: opts.color };
    let mut summary = AuditSummary {
        require_signed: opts.require_signed,
        skipped_hidden,
        ..AuditSummary::default()
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let werr = |source| -> Error {
        InputError::Write {
            path: PathBuf::from("standard output"),
            source,
        }
        .into()
    };

    let mut done = 0u64;
    'chunks: for chunk in found.chunks(CHUNK) {
        let records = pool.install(|| process_chunk(chunk, store, vopts, opts, style));
        for rec in &records {
            summary.documents += 1;
            summary.signatures += rec.signatures as u64;
            match rec.class {
                Class::Valid => summary.valid += 1,
                Class::Invalid => summary.invalid += 1,
                Class::Indeterminate => summary.indeterminate += 1,
                Class::Unsigned => summary.unsigned += 1,
                Class::Error => summary.error += 1,
            }
            w.write_all(&rec.bytes).map_err(werr)?;
            if opts.fail_fast && rec.class.is_failure(opts.require_signed) {
                summary.stopped_early = summary.documents < total;
                done = summary.documents;
                break 'chunks;
            }
        }
        w.flush().map_err(werr)?;
        done += records.len() as u64;
        progress(done, total);
    }
    progress(done, total);

    summary.seconds = started.elapsed().as_secs_f64();
    if opts.json {
        let rec = SummaryRecord {
            schema: crate::schema::AUDIT_SUMMARY,
            ty: "summary",
            documents: summary.documents,
            valid: summary.valid,
            invalid: summary.invalid,
            indeterminate: summary.indeterminate,
            unsigned: summary.unsigned,
            error: summary.error,
            signatures: summary.signatures,
            skipped_hidden: summary.skipped_hidden,
        };
        serde_json::to_writer(&mut w, &rec).map_err(|e| werr(e.into()))?;
        w.write_all(b"\n").map_err(werr)?;
    } else if !opts.quiet {
        w.write_all(human_summary(&summary, total, style).as_bytes())
            .map_err(werr)?;
    }
    w.flush().map_err(werr)?;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// Discovery

/// Options of [`discover_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscoverOptions {
    /// Paths on `input` are separated by NUL bytes instead of newlines.
    pub null: bool,
    /// Walk hidden entries too.
    pub hidden: bool,
}

/// What [`discover_with`] found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// The documents, sorted by path, each once.
    pub found: Vec<Found>,
    /// Hidden entries skipped in the directories walked (a hidden directory counts once).
    pub skipped_hidden: u64,
}

/// Find the documents named by `paths` (files, directories, `-` for a list on `input`), sorted by
/// path, each once, with the default [`DiscoverOptions`]. See the [module documentation](self) for
/// the rules.
///
/// Fails (a usage error) only when a path named in `paths` does not exist or `input` cannot be
/// read; everything else that goes wrong is an [`FoundKind::Unreadable`] record.
pub fn discover(paths: &[PathBuf], input: &mut dyn BufRead) -> Result<Vec<Found>, Error> {
    Ok(discover_with(paths, input, &DiscoverOptions::default())?.found)
}

/// [`discover`] with options: NUL-separated input, hidden entries walked.
pub fn discover_with(
    paths: &[PathBuf],
    input: &mut dyn BufRead,
    opts: &DiscoverOptions,
) -> Result<Discovery, Error> {
    let mut d = Discovery::default();
    for p in paths {
        if p.as_os_str() == "-" {
            let sep = if opts.null { b'\0' } else { b'\n' };
            for line in input.split(sep) {
                let mut line = line.map_err(|source| InputError::Read {
                    path: PathBuf::from("-"),
                    source,
                })?;
                if !opts.null && line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.is_empty() {
                    continue;
                }
                add_named(&path_from_bytes(line), false, opts, &mut d)?;
            }
        } else {
            add_named(p, true, opts, &mut d)?;
        }
    }
    d.found.sort_by(|a, b| a.path.cmp(&b.path));
    d.found.dedup_by(|a, b| a.path == b.path);
    Ok(d)
}

#[cfg(unix)]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

/// The name without [`SIG_SUFFIX`], if it ends with it.
fn strip_sig_suffix(name: &OsStr) -> Option<OsString> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes()
            .strip_suffix(SIG_SUFFIX.as_bytes())
            .map(|b| OsStr::from_bytes(b).to_owned())
    }
    #[cfg(not(unix))]
    {
        name.to_str()?.strip_suffix(SIG_SUFFIX).map(OsString::from)
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn has_text_extension(name: &OsStr) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)))
}

/// A path named on the command line (`usage` = true) or on standard input.
fn add_named(
    path: &Path,
    usage: bool,
    opts: &DiscoverOptions,
    d: &mut Discovery,
) -> Result<(), Error> {
    let out = &mut d.found;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => {
            let e = InputError::Read {
                path: path.to_path_buf(),
                source,
            };
            if usage {
                return Err(e.into());
            }
            out.push(Found::error(path.to_path_buf(), e.to_string()));
            return Ok(());
        }
    };
    if meta.is_dir() {
        walk(path, opts.hidden, d);
        return Ok(());
    }
    // `X.sig.json` names the document `X`.
    if let Some(base) = path.file_name().and_then(strip_sig_suffix) {
        if !base.is_empty() {
            let doc = path.with_file_name(base);
            let found = match std::fs::metadata(&doc) {
                Err(_) => Found::error(
                    doc.clone(),
                    format!(
                        "{} has no document {} beside it (missing or moved)",
                        path.display(),
                        doc.display()
                    ),
                ),
                Ok(m) if m.is_dir() => Found::error(
                    doc.clone(),
                    format!(
                        "{} is a directory, not a document (it has a signature file {})",
                        doc.display(),
                        path.display()
                    ),
                ),
                Ok(_) => Found::new(doc, FoundKind::Signed),
            };
            out.push(found);
            return Ok(());
        }
    }
    if !meta.is_file() {
        out.push(Found::error(
            path.to_path_buf(),
            crate::fsutil::not_regular(path, &meta.file_type()).to_string(),
        ));
        return Ok(());
    }
    let sig = sigfile::default_path(path);
    let kind = if std::fs::symlink_metadata(&sig).is_ok() {
        FoundKind::Signed
    } else {
        FoundKind::Unsigned
    };
    out.push(Found::new(path.to_path_buf(), kind));
    Ok(())
}

/// What a directory entry is, for discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// A regular file (or a link to one inside the walked tree).
    File,
    /// A directory (walked).
    Dir,
    /// A symbolic link to a directory (never followed).
    LinkedDir,
    /// A symbolic link to a file outside the walked tree (not followed).
    Outside,
    /// A symbolic link to nothing.
    Dangling,
    /// A socket, FIFO, device, ... or something whose type could not be read.
    Other(Option<String>),
}

fn classify_link(path: &Path, root: Option<&Path>) -> Entry {
    match std::fs::metadata(path) {
        Err(_) => Entry::Dangling,
        Ok(m) if m.is_dir() => Entry::LinkedDir,
        Ok(m) => match (std::fs::canonicalize(path), root) {
            (Ok(real), Some(root)) if real.starts_with(root) => {
                if m.is_file() {
                    Entry::File
                } else {
                    Entry::Other(None)
                }
            }
            _ => Entry::Outside,
        },
    }
}

/// Walk `root` with [`walkdir`]: symbolic links are never descended into, hidden entries are
/// skipped (and counted) unless `hidden`, and each directory's entries are then matched up
/// (document and signature file) in sorted order.
fn walk(root: &Path, hidden: bool, d: &mut Discovery) {
    let real_root = std::fs::canonicalize(root).ok();
    let out = &mut d.found;
    let skipped = std::cell::Cell::new(0u64);
    let mut dirs: std::collections::BTreeMap<PathBuf, HashMap<OsString, Entry>> =
        std::collections::BTreeMap::new();
    dirs.insert(root.to_path_buf(), HashMap::new());
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && !hidden && is_hidden(e.file_name()) {
                skipped.set(skipped.get() + 1);
                false
            } else {
                true
            }
        });
    for item in walker {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let dir = e.path().unwrap_or(root).to_path_buf();
                let why = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                out.push(Found::error(
                    dir.clone(),
                    format!("cannot read directory {}: {why}", dir.display()),
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let t = entry.file_type();
        let kind = if t.is_dir() {
            dirs.entry(entry.path().to_path_buf()).or_default();
            Entry::Dir
        } else if t.is_file() {
            Entry::File
        } else if t.is_symlink() {
            classify_link(entry.path(), real_root.as_deref())
        } else {
            Entry::Other(Some(crate::fsutil::kind_of(&t).to_owned()))
        };
        let parent = entry.path().parent().unwrap_or(root);
        // Looked up before it is copied: almost every entry's directory is there already.
        let in_dir = match dirs.get_mut(parent) {
            Some(in_dir) => in_dir,
            None => dirs.entry(parent.to_path_buf()).or_default(),
        };
        in_dir.insert(entry.file_name().to_owned(), kind);
    }
    d.skipped_hidden += skipped.get();
    for (dir, entries) in &dirs {
        let not_followed = |p: &Path| {
            format!(
                "{} is a symbolic link to a file outside {}; not followed",
                p.display(),
                root.display()
            )
        };
        for (name, kind) in entries {
            let path = dir.join(name);
            if let Some(base) = strip_sig_suffix(name) {
                // A signature file: never a document; its document must be there.
                if !base.is_empty() && !entries.contains_key(&base) {
                    let doc = dir.join(&base);
                    out.push(Found::error(
                        doc.clone(),
                        format!(
                            "{} has no document {} beside it (missing, moved or hidden)",
                            path.display(),
                            doc.display()
                        ),
                    ));
                }
                continue;
            }
            let mut sig_name = name.clone();
            sig_name.push(SIG_SUFFIX);
            let Some(sig_kind) = entries.get(&sig_name) else {
                if has_text_extension(name) {
                    match kind {
                        Entry::File => out.push(Found::new(path, FoundKind::Unsigned)),
                        // Named like a document but a FIFO, socket or device: never opened.
                        Entry::Other(e) => out.push(Found::error(
                            path.clone(),
                            format!(
                                "{}: not a regular file{}",
                                path.display(),
                                e.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
                            ),
                        )),
                        _ => {}
                    }
                }
                continue;
            };
            let sig_path = dir.join(&sig_name);
            let problem = match kind {
                Entry::File => match sig_kind {
                    Entry::File => None,
                    Entry::Dir | Entry::LinkedDir => Some(format!(
                        "{} is a directory, not a signature file",
                        sig_path.display()
                    )),
                    Entry::Outside => Some(format!("signature file {}", not_followed(&sig_path))),
                    Entry::Dangling => Some(format!(
                        "signature file {} is a broken symbolic link",
                        sig_path.display()
                    )),
                    Entry::Other(e) => Some(format!(
                        "signature file {} is not a regular file{}",
                        sig_path.display(),
                        e.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
                    )),
                },
                Entry::Dir | Entry::LinkedDir => Some(format!(
                    "{} is a directory, not a document (it has a signature file {})",
                    path.display(),
                    sig_path.display()
                )),
                Entry::Outside => Some(not_followed(&path)),
                Entry::Dangling => Some(format!("{} is a broken symbolic link", path.display())),
                Entry::Other(e) => Some(format!(
                    "{} is not a regular file{}",
                    path.display(),
                    e.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
                )),
            };
            out.push(match problem {
                None => Found::new(path, FoundKind::Signed),
                Some(m) => Found::error(path, m),
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Verification

/// The class of a record, for the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Valid,
    Invalid,
    Indeterminate,
    Unsigned,
    Error,
}

impl Class {
    fn is_failure(self, require_signed: bool) -> bool {
        match self {
            Class::Valid => false,
            Class::Unsigned => require_signed,
            _ => true,
        }
    }
}

/// A rendered record.
struct Record {
    class: Class,
    signatures: usize,
    bytes: Vec<u8>,
}

enum Outcome {
    Prepared(Box<Prepared>),
    Unsigned,
    Error(String),
}

impl Outcome {
    fn jobs(&self) -> &[verify::CryptoJob] {
        match self {
            Outcome::Prepared(p) => &p.jobs,
            _ => &[],
        }
    }
}

fn prepare_one(f: &Found, store: &TrustStore, vopts: verify::Options) -> Outcome {
    match &f.kind {
        FoundKind::Unsigned => Outcome::Unsigned,
        FoundKind::Unreadable(m) => Outcome::Error(m.to_string()),
        FoundKind::Signed => BUFFERS.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (doc_buf, sig_buf) = &mut *guard;
            let outcome = prepare_signed(&f.path, doc_buf, sig_buf, store, vopts);
            // Keep the buffers for the next document, unless an unusually large one grew them.
            for b in [doc_buf, sig_buf] {
                if b.capacity() > KEEP_BUFFER {
                    *b = Vec::new();
                }
            }
            outcome
        }),
    }
}

/// Bytes of a file read before its size is asked for (see `read_into`).
const FIRST_READ: u64 = 128 << 10;

/// Largest read buffer kept per worker thread between documents.
const KEEP_BUFFER: usize = 1 << 20;

thread_local! {
    /// Per worker thread: the document and signature-file buffers, reused from one document to
    /// the next (each file is read once, into memory that is already there).
    static BUFFERS: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

fn prepare_signed(
    path: &Path,
    doc_buf: &mut Vec<u8>,
    sig_buf: &mut Vec<u8>,
    store: &TrustStore,
    vopts: verify::Options,
) -> Outcome {
    let sig = sigfile::default_path(path);
    if let Err(e) = read_into(path, MAX_DOCUMENT_BYTES, doc_buf) {
        return Outcome::Error(e.to_string());
    }
    if let Err(e) = read_into(&sig, MAX_METADATA_BYTES, sig_buf) {
        return Outcome::Error(e.to_string());
    }
    match verify::prepare(
        &path.display().to_string(),
        doc_buf,
        &sig.display().to_string(),
        sig_buf,
        store,
        vopts,
    ) {
        Ok(p) => Outcome::Prepared(Box::new(p)),
        Err(e) => Outcome::Error(crate::error::with_path(e, path).to_string()),
    }
}

/// [`crate::fsutil::read_limited`] into a reused buffer: the whole file, refusing more than
/// `limit` bytes, with the same errors.
fn read_into(path: &Path, limit: u64, buf: &mut Vec<u8>) -> Result<(), InputError> {
    use std::io::Read;
    let err = |source| InputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let too_large = || InputError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    buf.clear();
    let mut file = crate::fsutil::open_regular(path)?;
    // Most files are read whole by the first `FIRST_READ` bytes, without asking their size (one
    // system call less per file); a file that fills them is measured before the rest is read, so
    // that one over the limit is refused without being read.
    let first = limit.saturating_add(1).min(FIRST_READ);
    (&mut file).take(first).read_to_end(buf).map_err(err)?;
    if (buf.len() as u64) < first {
        return Ok(());
    }
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > limit {
        return Err(too_large());
    }
    buf.reserve(
        usize::try_from(len.saturating_sub(first))
            .unwrap_or(0)
            .saturating_add(1),
    );
    file.take(limit.saturating_add(1) - first)
        .read_to_end(buf)
        .map_err(err)?;
    if buf.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(())
}

/// Prepare, check and render one chunk, in the current thread pool. Records come back in the
/// order of `chunk`.
fn process_chunk(
    chunk: &[Found],
    store: &TrustStore,
    vopts: verify::Options,
    opts: &AuditOptions,
    style: Paint,
) -> Vec<Record> {
    let outcomes: Vec<Outcome> = chunk
        .par_iter()
        .map(|f| prepare_one(f, store, vopts))
        .collect();
    // Every signature of the chunk, in document order, checked in slices across the threads.
    let results: Vec<Result<(), Rejection>> = {
        let items: Vec<BatchItem<'_>> = outcomes
            .iter()
            .flat_map(|o| o.jobs())
            .map(|j| BatchItem {
                public_key: &j.public_key,
                message: &j.message,
                signature: &j.signature,
            })
            .collect();
        let per_slice: Vec<Vec<Result<(), Rejection>>> = items
            .par_chunks(SIGNATURE_SLICE)
            .map(crypto::verify_many)
            .collect();
        per_slice.into_iter().flatten().collect()
    };
    let mut offsets = Vec::with_capacity(outcomes.len());
    let mut at = 0usize;
    for o in &outcomes {
        offsets.push(at);
        at += o.jobs().len();
    }
    outcomes
        .into_par_iter()
        .zip(offsets.into_par_iter())
        .zip(chunk.par_iter())
        .map(|((o, off), f)| finish_one(o, &results, off, f, store, vopts, opts, style))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn finish_one(
    o: Outcome,
    results: &[Result<(), Rejection>],
    offset: usize,
    f: &Found,
    store: &TrustStore,
    vopts: verify::Options,
    opts: &AuditOptions,
    style: Paint,
) -> Record {
    let path = f.path.to_string_lossy();
    match o {
        Outcome::Unsigned => {
            let reason = format!(
                "no signature file {}",
                sigfile::default_path(&f.path).display()
            );
            let bytes = if opts.json {
                json_line(&SimpleRecord {
                    schema: crate::schema::AUDIT_RECORD,
                    ty: "document",
                    path: &path,
                    verdict: "unsigned",
                    codes: [],
                    error: None,
                    reason: Some(&reason),
                })
            } else if opts.quiet && !opts.require_signed {
                Vec::new()
            } else {
                format!(
                    "{path}: {}: {reason}\n",
                    if opts.require_signed {
                        style.bad("unsigned")
                    } else {
                        style.warn("unsigned")
                    },
                )
                .into_bytes()
            };
            Record {
                class: Class::Unsigned,
                signatures: 0,
                bytes,
            }
        }
        Outcome::Error(message) => error_record(&path, &message, opts, style),
        Outcome::Prepared(p) => {
            let n = p.jobs.len();
            let mine = results.get(offset..offset + n).unwrap_or(&[]);
            let report = verify::finish(*p, mine, store, vopts);
            let class = match report.verdict {
                Verdict::Valid => Class::Valid,
                Verdict::Invalid => Class::Invalid,
                Verdict::Indeterminate => Class::Indeterminate,
            };
            let bytes = if opts.json {
                let rec = DocumentRecord {
                    schema: crate::schema::AUDIT_RECORD,
                    ty: "document",
                    path: &path,
                    report: &report,
                };
                let mut buf = Vec::with_capacity(4096);
                if serde_json::to_writer(&mut buf, &rec).is_err() {
                    let m = format!("{path}: the report could not be written as JSON");
                    return error_record(&path, &m, opts, style);
                }
                buf.push(b'\n');
                buf
            } else if class == Class::Valid {
                Vec::new()
            } else {
                let (code, message) = first_issue(&report);
                let verdict = match class {
                    Class::Invalid => style.bad("invalid"),
                    _ => style.warn("indeterminate"),
                };
                format!("{path}: {verdict}: {code}: {}\n", one_line(&message)).into_bytes()
            };
            Record {
                class,
                signatures: n,
                bytes,
            }
        }
    }
}

fn error_record(path: &str, message: &str, opts: &AuditOptions, style: Paint) -> Record {
    let bytes = if opts.json {
        json_line(&SimpleRecord {
            schema: crate::schema::AUDIT_RECORD,
            ty: "document",
            path,
            verdict: "error",
            codes: [],
            error: Some(message),
            reason: None,
        })
    } else {
        format!("{path}: {}: {}\n", style.bad("error"), one_line(message)).into_bytes()
    };
    Record {
        class: Class::Error,
        signatures: 0,
        bytes,
    }
}

fn json_line<T: Serialize>(v: &T) -> Vec<u8> {
    // A report of a three-layer chain is about 3 KB: written into its final buffer at once.
    let mut buf = Vec::with_capacity(4096);
    if serde_json::to_writer(&mut buf, v).is_err() {
        buf.clear();
        buf.extend_from_slice(b"{}");
    }
    buf.push(b'\n');
    buf
}

fn with_lines(message: &str, lines: &[[u32; 2]]) -> String {
    if lines.is_empty() {
        return message.to_owned();
    }
    let list: Vec<String> = lines
        .iter()
        .map(|[a, b]| {
            if a == b {
                format!("{a}")
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    format!(
        "{message} (line{} {})",
        if matches!(lines, [[a, b]] if a == b) {
            ""
        } else {
            "s"
        },
        list.join(", ")
    )
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The first reason a report is not valid: its root cause ([`Report::root_cause`], the innermost
/// layer's most specific code), else the first signature that is not valid.
fn first_issue(r: &Report) -> (&'static str, String) {
    match r.root_cause() {
        Some(Cause::Problem(_, p)) if r.warnings.first().is_some_and(|w| std::ptr::eq(w, p)) => {
            return (
                p.code,
                format!(
                    "{} (a failure under --strict)",
                    with_lines(&p.message, &p.lines)
                ),
            );
        }
        Some(Cause::Problem(_, p)) => return (p.code, with_lines(&p.message, &p.lines)),
        Some(Cause::Signature(layer, s, code)) => {
            return (
                code,
                format!(
                    "layer {layer}, signature of {}: {}",
                    s.signer,
                    s.reason.clone().unwrap_or_default()
                ),
            )
        }
        None => {}
    }
    for l in &r.layers {
        for s in &l.signatures {
            if s.status != SigStatus::Valid {
                return (
                    s.codes.first().copied().unwrap_or("signature"),
                    format!(
                        "layer {}, signature of {}: {}",
                        l.index,
                        s.signer,
                        s.reason.clone().unwrap_or_default()
                    ),
                );
            }
        }
    }
    if let Some(w) = r.warnings.first() {
        return (
            w.code,
            format!(
                "{} (a failure under --strict)",
                with_lines(&w.message, &w.lines)
            ),
        );
    }
    ("unknown", "not valid".to_owned())
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    schema: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    path: &'a str,
    #[serde(flatten)]
    report: &'a Report,
}

#[derive(Serialize)]
struct SimpleRecord<'a> {
    schema: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    path: &'a str,
    verdict: &'static str,
    /// Always empty: no report, no problem code (the same field as in a document's report).
    codes: [&'static str; 0],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    /// Why an `unsigned` document is unsigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct SummaryRecord {
    schema: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    documents: u64,
    valid: u64,
    invalid: u64,
    indeterminate: u64,
    unsigned: u64,
    error: u64,
    signatures: u64,
    skipped_hidden: u64,
}

// ---------------------------------------------------------------------------------------------
// Human output

#[derive(Debug, Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn ok(&self, s: &str) -> String {
        self.paint("32", s)
    }
    fn bad(&self, s: &str) -> String {
        self.paint("31;1", s)
    }
    fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

fn human_summary(s: &AuditSummary, total: u64, style: Paint) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} document{} ({} signature{}){}",
        style.bold("audit:"),
        s.documents,
        if s.documents == 1 { "" } else { "s" },
        s.signatures,
        if s.signatures == 1 { "" } else { "s" },
        if s.stopped_early {
            format!(
                "; stopped by --fail-fast, {} not audited",
                total - s.documents
            )
        } else {
            String::new()
        }
    );
    if s.skipped_hidden > 0 {
        let _ = writeln!(
            out,
            "  {} hidden entr{} skipped (--hidden includes them)",
            s.skipped_hidden,
            if s.skipped_hidden == 1 { "y" } else { "ies" }
        );
    }
    let unsigned_bad = s.require_signed && s.unsigned > 0;
    let rows: [(&str, u64, String); 5] = [
        ("valid", s.valid, style.ok("valid")),
        ("invalid", s.invalid, style.bad("invalid")),
        (
            "indeterminate",
            s.indeterminate,
            style.warn("indeterminate"),
        ),
        (
            "unsigned",
            s.unsigned,
            if unsigned_bad {
                style.bad("unsigned")
            } else {
                style.warn("unsigned")
            },
        ),
        ("error", s.error, style.bad("error")),
    ];
    for (plain, n, painted) in rows {
        let label = if n > 0 && plain != "valid" {
            painted
        } else {
            plain.to_owned()
        };
        let pad = " ".repeat(14usize.saturating_sub(plain.len()));
        let _ = writeln!(out, "  {label}{pad}{n:>9}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn read_into_reads_whole_files_and_refuses_those_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let first = usize::try_from(FIRST_READ).unwrap();
        let mut buf = vec![7u8; 10]; // left-over bytes from a previous file are cleared
        for (len, limit, ok) in [
            (0, 50, true),
            (50, 50, true),
            (51, 50, false), // fills the first read (limit + 1 bytes): measured, refused
            (first - 1, 1 << 20, true), // whole in the first read
            (first, 1 << 20, true), // fills it: measured, then read on
            (3 * first + 5, 1 << 20, true), // read on past the first read
            (3 * first + 5, (2 * first) as u64, false), // measured and refused unread
            (first + 1, first as u64, false),
            (first, first as u64, true),
        ] {
            let path = dir.path().join(format!("f-{len}-{limit}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            fs::write(&path, &bytes).unwrap();
            let got = read_into(&path, limit, &mut buf);
            if ok {
                assert!(got.is_ok(), "{len} bytes, limit {limit}: {got:?}");
                assert!(buf == bytes, "{len} bytes, limit {limit}: content differs");
            } else {
                assert!(
                    matches!(got, Err(InputError::TooLarge { limit: l, .. }) if l == limit),
                    "{len} bytes, limit {limit}: {got:?}"
                );
            }
        }
        let missing = read_into(&dir.path().join("missing"), 50, &mut buf);
        assert!(
            matches!(missing, Err(InputError::Read { .. })),
            "{missing:?}"
        );
    }

    fn names(found: &[Found], root: &Path) -> Vec<(String, String)> {
        found
            .iter()
            .map(|f| {
                let p = f
                    .path
                    .strip_prefix(root)
                    .unwrap_or(&f.path)
                    .display()
                    .to_string();
                let k = match &f.kind {
                    FoundKind::Signed => "signed".to_owned(),
                    FoundKind::Unsigned => "unsigned".to_owned(),
                    FoundKind::Unreadable(m) => format!("error: {m}"),
                };
                (p, k)
            })
            .collect()
    }

    fn touch(p: &Path) {
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(p, b"x").unwrap();
    }

    #[test]
    fn walk_finds_signed_unsigned_and_skips_the_rest() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        for f in [
            "a.md",
            "a.md.sig.json",
            "b.txt",
            "c.pdf",
            "c.pdf.sig.json",
            "d.png",
            "README",
            "sub/e.MD",
            "sub/deeper/f.markdown",
            "sub/deeper/f.markdown.sig.json",
            ".hidden.md",
            ".hidden.md.sig.json",
            ".git/x.md",
            ".git/x.md.sig.json",
            "sub/.y.txt",
        ] {
            touch(&r.join(f));
        }
        let found = discover(&[r.to_path_buf()], &mut &b""[..]).unwrap();
        assert_eq!(
            names(&found, r),
            vec![
                ("a.md".into(), "signed".into()),
                ("b.txt".into(), "unsigned".into()),
                ("c.pdf".into(), "signed".into()),
                ("sub/deeper/f.markdown".into(), "signed".into()),
                ("sub/e.MD".into(), "unsigned".into()),
            ]
        );
    }

    #[test]
    fn orphans_and_directories_named_like_documents_are_errors() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        touch(&r.join("gone.md.sig.json"));
        fs::create_dir(r.join("dir.md")).unwrap();
        touch(&r.join("dir.md.sig.json"));
        touch(&r.join("dir.md/inner.txt"));
        let found = discover(&[r.to_path_buf()], &mut &b""[..]).unwrap();
        let n = names(&found, r);
        assert_eq!(n.len(), 3, "{n:?}");
        assert_eq!(n[0].0, "dir.md");
        assert!(n[0].1.contains("is a directory, not a document"), "{n:?}");
        assert_eq!(n[1], ("dir.md/inner.txt".into(), "unsigned".into()));
        assert_eq!(n[2].0, "gone.md");
        assert!(n[2].1.contains("has no document"), "{n:?}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_tree_are_not_followed() {
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        touch(&outside.path().join("o.md"));
        touch(&outside.path().join("deep/p.md"));
        touch(&outside.path().join("deep/p.md.sig.json"));
        let r = t.path().join("root");
        touch(&r.join("in.md"));
        touch(&r.join("in.md.sig.json"));
        std::os::unix::fs::symlink(outside.path().join("o.md"), r.join("out.md")).unwrap();
        touch(&r.join("out.md.sig.json"));
        std::os::unix::fs::symlink(outside.path().join("deep"), r.join("linked")).unwrap();
        std::os::unix::fs::symlink(r.join("in.md"), r.join("alias.md")).unwrap();
        std::os::unix::fs::symlink(r.join("nothing"), r.join("broken.md")).unwrap();
        let found = discover(std::slice::from_ref(&r), &mut &b""[..]).unwrap();
        let n = names(&found, &r);
        assert_eq!(n.len(), 3, "{n:?}");
        assert_eq!(n[0], ("alias.md".into(), "unsigned".into()));
        assert_eq!(n[1], ("in.md".into(), "signed".into()));
        assert_eq!(n[2].0, "out.md");
        assert!(n[2].1.contains("not followed"), "{n:?}");
    }

    #[test]
    fn named_paths_and_standard_input() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        touch(&r.join("a.bin"));
        touch(&r.join("b.md"));
        touch(&r.join("b.md.sig.json"));
        touch(&r.join(".h.md"));
        // Named explicitly: any name is a document; `X.sig.json` names `X`.
        let stdin = format!(
            "{}\r\n\n{}\n{}\n",
            r.join("b.md.sig.json").display(),
            r.join("missing.md").display(),
            r.join(".h.md").display()
        );
        let found = discover(
            &[r.join("a.bin"), PathBuf::from("-"), r.join("b.md")],
            &mut stdin.as_bytes(),
        )
        .unwrap();
        let n = names(&found, r);
        assert_eq!(n.len(), 4, "{n:?}");
        assert_eq!(n[0], (".h.md".into(), "unsigned".into()));
        assert_eq!(n[1], ("a.bin".into(), "unsigned".into()));
        assert_eq!(n[2], ("b.md".into(), "signed".into()));
        assert_eq!(n[3].0, "missing.md");
        assert!(n[3].1.starts_with("error: cannot read"), "{n:?}");
        // A path named on the command line that does not exist is a usage error.
        assert!(discover(&[r.join("missing.md")], &mut &b""[..]).is_err());
    }

    #[test]
    fn exit_codes() {
        let mut s = AuditSummary::default();
        assert_eq!(s.exit_code(), 0);
        s.unsigned = 1;
        assert_eq!(s.exit_code(), 0);
        s.indeterminate = 1;
        assert_eq!(s.exit_code(), 3);
        s.error = 1;
        assert_eq!(s.exit_code(), 2);
        s.invalid = 1;
        assert_eq!(s.exit_code(), 1);
        let s = AuditSummary {
            unsigned: 1,
            require_signed: true,
            ..AuditSummary::default()
        };
        assert_eq!(s.exit_code(), 1);
    }

    #[test]
    fn empty_audit() {
        let t = tempfile::tempdir().unwrap();
        let opts = AuditOptions {
            paths: vec![t.path().to_path_buf()],
            store: TrustStore::empty(&t.path().join("keys")),
            jobs: Some(1),
            json: true,
            fail_fast: false,
            require_signed: false,
            strict: false,
            quiet: false,
            color: false,
            null: false,
            hidden: false,
            allow_empty: false,
        };
        // No document: an error naming the directory, unless --allow-empty.
        touch(&t.path().join(".archive/t.md"));
        let err = run_with_input(&opts, &mut &b""[..], &mut Vec::new(), &|_, _| {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("no documents found under"), "{err}");
        assert!(err.contains(&t.path().display().to_string()), "{err}");
        assert!(err.contains("1 hidden entry skipped"), "{err}");
        let opts = AuditOptions {
            allow_empty: true,
            ..opts
        };
        let mut out = Vec::new();
        let s = run_with_input(&opts, &mut &b""[..], &mut out, &|_, _| {}).unwrap();
        assert_eq!(s.skipped_hidden, 1);
        assert_eq!(s.documents, 0);
        assert_eq!(s.exit_code(), 0);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["type"], "summary");
        assert_eq!(v["documents"], 0);
        assert_eq!(v["skipped_hidden"], 1);
        let bad = AuditOptions {
            jobs: Some(0),
            ..opts
        };
        assert!(run_with_input(&bad, &mut &b""[..], &mut Vec::new(), &|_, _| {}).is_err());
    }
}
