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
//! slices spread over the threads, and the reports are finished in parallel. The chunk's records
//! ([`AuditRecord`]) then go, in order, to an [`AuditSink`] on the calling thread while the next
//! chunk is verified: at most two chunks are held at once. The printers of
//! [`crate::render::audit`] are the sinks of the command line. Only the list of paths grows with
//! the archive.

use crate::crypto::{self, BatchItem, Rejection};
use crate::error::{Error, InputError};
use crate::fsutil::{MAX_DOCUMENT_BYTES, MAX_METADATA_BYTES};
use crate::sigfile;
use crate::trust::TrustStore;
use crate::verify::{self, Cause, Prepared, Report, SigStatus, Verdict};

mod discover;
pub use discover::*;
use rayon::prelude::*;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Documents processed per chunk (prepared, checked, finished and written together).
pub const CHUNK: usize = 1024;

/// Signatures per [`crypto::verify_many`] call; slices are spread over the threads. A multiple of
/// [`crypto::BATCH_CHUNK`].
pub const SIGNATURE_SLICE: usize = 4 * crypto::BATCH_CHUNK;

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
    /// A signature without a trusted timestamp is indeterminate.
    pub require_timestamp: bool,
    /// Accept CRLs past their `nextUpdate`.
    pub allow_stale_crl: bool,
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
    /// Documents found; more than [`AuditSummary::documents`] when `--fail-fast` stopped the
    /// audit.
    pub found: u64,
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

/// Where an audit delivers what it finds: one [`AuditRecord`] per document, in path order
/// (whatever `--jobs` is), then the [`AuditSummary`]. The printers of
/// [`crate::render::audit`] write them as human lines or JSON Lines; a program can collect them.
///
/// Records are delivered from the calling thread, a chunk ([`CHUNK`] documents) at a time, while
/// the next chunk is verified; [`AuditSink::flush`] ends each chunk.
pub trait AuditSink {
    /// One document's record.
    fn record(&mut self, r: &AuditRecord<'_>) -> std::io::Result<()>;
    /// The counts, after the last record (also when `--fail-fast` stopped the audit).
    fn summary(&mut self, s: &AuditSummary) -> std::io::Result<()>;
    /// A chunk of records was delivered: write out what is buffered. By default nothing.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Run an audit, delivering its records to `sink`; `progress(done, total)` is called as documents
/// finish. Paths named `-` are read from the process's standard input. `opts.json`, `opts.quiet`
/// and `opts.color` are the printers' business and are not read here.
pub fn run_with_sink(
    opts: &AuditOptions,
    sink: &mut dyn AuditSink,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<AuditSummary, Error> {
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    run_with_sink_from(opts, &mut lock, sink, progress)
}

/// [`run_with_sink`], with the paths named `-` read from `input` instead of standard input.
pub fn run_with_sink_from(
    opts: &AuditOptions,
    input: &mut dyn BufRead,
    sink: &mut dyn AuditSink,
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
        // The parser-agreement check runs, so that an audit gives exactly the verdicts `verify`
        // gives (it matters under `--strict`).
        skip_parser_check: false,
        today: Some(crate::dates::today()),
        now: Some(crate::dates::now_unix()),
        require_timestamp: opts.require_timestamp,
        allow_stale_crl: opts.allow_stale_crl,
    };
    let mut summary = AuditSummary {
        require_signed: opts.require_signed,
        skipped_hidden,
        found: total,
        ..AuditSummary::default()
    };
    let werr = |source| -> Error {
        InputError::Write {
            path: PathBuf::from("standard output"),
            source,
        }
        .into()
    };

    // Chunk `k + 1` is verified (on the pool) while chunk `k`'s records go to the sink (on this
    // thread): printing never holds the workers up. After a `--fail-fast` stop, the chunk under
    // way is finished and discarded.
    let mut done = 0u64;
    let mut chunks = found.chunks(CHUNK);
    let mut pending = chunks
        .next()
        .map(|c| pool.install(|| process_chunk(c, store, vopts)));
    std::thread::scope(|scope| -> Result<(), Error> {
        while let Some(records) = pending.take() {
            let next = chunks
                .next()
                .map(|c| scope.spawn(|| pool.install(|| process_chunk(c, store, vopts))));
            for rec in &records {
                summary.documents += 1;
                summary.signatures += rec.signatures as u64;
                match rec.verdict {
                    AuditVerdict::Valid => summary.valid += 1,
                    AuditVerdict::Invalid => summary.invalid += 1,
                    AuditVerdict::Indeterminate => summary.indeterminate += 1,
                    AuditVerdict::Unsigned => summary.unsigned += 1,
                    AuditVerdict::Error => summary.error += 1,
                }
                sink.record(rec).map_err(werr)?;
                if opts.fail_fast && rec.verdict.is_failure(opts.require_signed) {
                    summary.stopped_early = summary.documents < total;
                    done = summary.documents;
                    return Ok(());
                }
            }
            sink.flush().map_err(werr)?;
            done += records.len() as u64;
            progress(done, total);
            // A worker that panicked: pass its panic on.
            pending = next.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        Ok(())
    })?;
    progress(done, total);

    summary.seconds = started.elapsed().as_secs_f64();
    sink.summary(&summary).map_err(werr)?;
    sink.flush().map_err(werr)?;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// Verification

/// The verdict of one document in an audit: a verified document's verdict, or why it was not
/// verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditVerdict {
    /// Verified: valid.
    Valid,
    /// Verified: invalid.
    Invalid,
    /// Verified: indeterminate.
    Indeterminate,
    /// No signature file.
    Unsigned,
    /// Could not be read (I/O error, not UTF-8, too large, not a file, a broken signature file).
    Error,
}

impl AuditVerdict {
    /// The verdict as the JSON records spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditVerdict::Valid => "valid",
            AuditVerdict::Invalid => "invalid",
            AuditVerdict::Indeterminate => "indeterminate",
            AuditVerdict::Unsigned => "unsigned",
            AuditVerdict::Error => "error",
        }
    }

    /// Whether the document fails the audit (`--fail-fast` stops at it): anything but `valid`,
    /// `unsigned` only under `--require-signed`.
    pub fn is_failure(self, require_signed: bool) -> bool {
        match self {
            AuditVerdict::Valid => false,
            AuditVerdict::Unsigned => require_signed,
            _ => true,
        }
    }
}

/// What an audit found for one document, as delivered to an [`AuditSink`].
#[derive(Debug)]
pub struct AuditRecord<'a> {
    /// The document's path (as named, or joined below a named directory), as UTF-8 (lossily).
    pub path: std::borrow::Cow<'a, str>,
    /// The verdict.
    pub verdict: AuditVerdict,
    /// Signatures checked.
    pub signatures: usize,
    /// The report of a verified document (`valid`, `invalid`, `indeterminate`).
    pub report: Option<Box<Report>>,
    /// Why an `unsigned` document is unsigned (`no signature file …`), or why one could not be
    /// read (`error`).
    pub reason: Option<String>,
}

impl AuditRecord<'_> {
    /// The report's problem codes, root causes first (none for `unsigned` and `error`).
    pub fn codes(&self) -> &[verify::ProblemCode] {
        self.report.as_ref().map_or(&[], |r| &r.codes)
    }

    /// The first reason a verified document is not valid, as `(code, message)`: the report's root
    /// cause ([`Report::root_cause`]), else its first signature that is not valid, else its first
    /// warning (a failure under `--strict`). `None` for a valid document and for `unsigned` and
    /// `error`, whose reason is [`AuditRecord::reason`].
    pub fn first_issue(&self) -> Option<(&'static str, String)> {
        match &self.report {
            Some(r) if self.verdict != AuditVerdict::Valid => Some(first_issue(r)),
            _ => None,
        }
    }
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

/// Prepare, check and finish one chunk, in the current thread pool. Records come back in the
/// order of `chunk`.
fn process_chunk<'a>(
    chunk: &'a [Found],
    store: &TrustStore,
    vopts: verify::Options,
) -> Vec<AuditRecord<'a>> {
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
        // Fresh operating-system entropy for each slice's random choices (crypto/batch.rs in the
        // core: the bound then holds even against a signer who grinds SHA-512).
        let per_slice: Vec<Vec<Result<(), Rejection>>> = items
            .par_chunks(SIGNATURE_SLICE)
            .map(|slice| crypto::verify_many_with_entropy(slice, &fresh_entropy()))
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
        .map(|((o, off), f)| finish_one(o, &results, off, f, store, vopts))
        .collect()
}

fn finish_one<'a>(
    o: Outcome,
    results: &[Result<(), Rejection>],
    offset: usize,
    f: &'a Found,
    store: &TrustStore,
    vopts: verify::Options,
) -> AuditRecord<'a> {
    let path = f.path.to_string_lossy();
    match o {
        Outcome::Unsigned => AuditRecord {
            path,
            verdict: AuditVerdict::Unsigned,
            signatures: 0,
            report: None,
            reason: Some(format!(
                "no signature file {}",
                sigfile::default_path(&f.path).display()
            )),
        },
        Outcome::Error(message) => AuditRecord {
            path,
            verdict: AuditVerdict::Error,
            signatures: 0,
            report: None,
            reason: Some(message),
        },
        Outcome::Prepared(p) => {
            let n = p.jobs.len();
            let mine = results.get(offset..offset + n).unwrap_or(&[]);
            let report = verify::finish(*p, mine, store, vopts);
            let verdict = match report.verdict {
                Verdict::Valid => AuditVerdict::Valid,
                Verdict::Invalid => AuditVerdict::Invalid,
                Verdict::Indeterminate => AuditVerdict::Indeterminate,
            };
            AuditRecord {
                path,
                verdict,
                signatures: n,
                report: Some(Box::new(report)),
                reason: None,
            }
        }
    }
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

/// The first reason a report is not valid: its root cause ([`Report::root_cause`], the innermost
/// layer's most specific code), else the first signature that is not valid.
fn first_issue(r: &Report) -> (&'static str, String) {
    match r.root_cause() {
        Some(Cause::Problem(_, p)) if r.warnings.first().is_some_and(|w| std::ptr::eq(w, p)) => {
            return (
                p.code.as_str(),
                format!(
                    "{} (a failure under --strict)",
                    with_lines(&p.message, &p.lines)
                ),
            );
        }
        Some(Cause::Problem(_, p)) => return (p.code.as_str(), with_lines(&p.message, &p.lines)),
        Some(Cause::Signature(layer, s, code)) => {
            return (
                code.as_str(),
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
                    s.codes.first().map(|c| c.as_str()).unwrap_or("signature"),
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
            w.code.as_str(),
            format!(
                "{} (a failure under --strict)",
                with_lines(&w.message, &w.lines)
            ),
        );
    }
    ("unknown", "not valid".to_owned())
}

/// 32 bytes from the operating system's random source, or none (zeros: the batch's choices are
/// then a hash of its inputs, see `crypto::NO_ENTROPY`).
fn fresh_entropy() -> [u8; 32] {
    use rand_core::{OsRng, RngCore};
    let mut bytes = crypto::NO_ENTROPY;
    if OsRng.try_fill_bytes(&mut bytes).is_err() {
        bytes = crypto::NO_ENTROPY;
    }
    bytes
}

#[cfg(test)]
mod tests;
