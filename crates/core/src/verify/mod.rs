//! Verification: exact, layer-by-layer verdicts that say what is wrong.
//!
//! Everything is recomputed from the document bytes and the trust store; nothing unsigned in the
//! signature file is believed (docs/FORMAT.md §7, §9). The steps, for a document and its signature file:
//!
//! 1. canonicalize the document (not UTF-8 is an input error, exit 2);
//! 2. parse the signature file strictly (a damaged one is `malformed-signature-file`, `invalid`);
//!    check that its recorded chain digests agree with its recorded parts;
//! 3. lay the recorded parts out from the end of the canonical text; if any part's Merkle root
//!    differs, align the signed leaves with the document ([`crate::diff::align`]) to say which lines of
//!    which layer changed, were added or removed, and whether whole layers are missing, moved or
//!    duplicated;
//! 4. check every signature: strict Ed25519 over its statement, then each field of the statement
//!    against the document (content, container markers, chain beneath, signatures beneath), then
//!    the trust store (known key, validity window on the signing date and the letter date,
//!    revocation) and the identity (trust-store name = statement signatory = a "(Signed)" mark of
//!    the layer);
//! 5. coverage: every line is covered by a signature, except a publication header;
//! 6. warnings: invisible characters in signed text, an uncovered header, a parser that now reads
//!    the structure differently.
//!
//! The work is split into [`prepare`] (everything but the signature arithmetic) and [`finish`], so
//! that an audit can check the signatures of many documents in one batch. Each check lives in a
//! module of its own: [`records`] (the signature file against itself), [`layout`] (where the parts
//! are and what changed), [`signatures`] with [`dates`] and [`identity`], [`coverage`],
//! [`header`], [`hidden`], and [`verdict`]; [`report`] holds the report types.

use crate::crypto::{self, Rejection};
use crate::error::InputError;
use crate::format::canonical::{self, CanonicalText};
use crate::format::chain::{chain_digest, Beneath, LayerKind};
use crate::format::dates::{format_iso, Date};
use crate::format::merkle::Hash;
use crate::format::sigfile::{self, SignatureFile};
use crate::trust::TrustStore;
use sha2::{Digest, Sha256};
use std::ops::Range;

mod certified;
pub mod codes;
mod coverage;
mod dates;
mod header;
mod hidden;
mod identity;
mod layout;
mod records;
mod report;
mod signatures;
mod time;
mod verdict;

pub use codes::{Level, ProblemCode};
pub use header::looks_like_header;
pub use identity::mark_name;
pub use report::{
    Cause, CertificateReport, Check, HeaderReport, LayerReport, LayerStatus, Layout, Problem,
    Report, SigStatus, SignatureReport, TimeBasis, TimestampReport, Verdict, VouchedBy,
    MAX_COVERED_BY, RULES,
};

/// Changes are pinpointed line by line while the document and the signature file hold at most
/// this many lines in all; beyond, they are named by layer (advice `pinpointing-limited`).
pub const MAX_PINPOINT_LINES: usize = 1 << 18;

/// Options of a verification.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Turn warnings into failures.
    pub strict: bool,
    /// Skip the parser-agreement advice (audits may skip it for speed; verify does not).
    pub skip_parser_check: bool,
    /// The verification date (the caller's today, UTC). A signing date more than one day after
    /// it is `signed-in-future`. `None` skips that check (the core reads no clock).
    pub today: Option<Date>,
    /// The verification time, seconds since the Unix epoch (UTC): CRLs past their `nextUpdate`
    /// then are `crl-stale`. `None` skips that check.
    pub now: Option<i64>,
    /// A signature without a trusted timestamp is `timestamp-missing` (indeterminate).
    pub require_timestamp: bool,
    /// Accept CRLs past their `nextUpdate`.
    pub allow_stale_crl: bool,
}

/// A signature check to be done (Ed25519), collected by [`prepare`].
#[derive(Debug, Clone)]
pub struct CryptoJob {
    /// Public key.
    pub public_key: [u8; 32],
    /// Statement bytes.
    pub message: Vec<u8>,
    /// Signature.
    pub signature: [u8; 64],
}

/// Everything about one document except the signature arithmetic.
#[derive(Debug)]
pub struct Prepared {
    report: Report,
    /// Signature checks to run, in order; [`finish`] expects their results in the same order.
    pub jobs: Vec<CryptoJob>,
    /// For each job: (layer, signature index).
    job_owner: Vec<(usize, usize)>,
    ctx: Option<Context>,
}

/// What [`finish`] needs besides the crypto results: the document, the file and what
/// [`prepare`] found.
#[derive(Debug)]
struct Context {
    doc: CanonicalText,
    file: SignatureFile,
    /// Per layer: (markers range, content range) in canonical text.
    spans: Vec<(Range<usize>, Range<usize>)>,
    /// Per layer: the content root found in the document.
    actual_content: Vec<Hash>,
    /// Per layer: whether its content (or the markers it adds beneath) was found changed.
    content_changed: Vec<bool>,
    markers_changed: Vec<bool>,
    /// Per layer and one past the innermost: whether a layer at or below it (or markers it
    /// adds) changed, which breaks every signature above.
    changed_at_or_below: Vec<bool>,
    header_end: usize,
    /// Per layer: signature-set digest of its recorded signatures.
    sig_sets: Vec<Hash>,
    /// Extra uncovered byte ranges found by the alignment (text added outside any signed part).
    added_ranges: Vec<Range<usize>>,
    /// Original lines that are white space only but not blank to a Markdown reader.
    ambiguous_blank: Vec<u32>,
    /// Original lines holding a character NFC turns into markup (FORMAT.md §9.4).
    ambiguous_chars: Vec<u32>,
}

/// Verify a document (bytes) against a signature file (bytes) and a trust store.
///
/// `doc_name` and `sig_name` are only used in the report. Fails only when the document is not
/// UTF-8; every other problem is a finding in the report.
pub fn verify(
    doc_name: &str,
    doc_bytes: &[u8],
    sig_name: &str,
    sig_bytes: &[u8],
    store: &TrustStore,
    opts: Options,
) -> Result<Report, InputError> {
    let prepared = prepare(doc_name, doc_bytes, sig_name, sig_bytes, store, opts)?;
    let items: Vec<crypto::BatchItem<'_>> = prepared
        .jobs
        .iter()
        .map(|j| crypto::BatchItem {
            public_key: &j.public_key,
            message: &j.message,
            signature: &j.signature,
        })
        .collect();
    let results = if items.len() <= 2 {
        prepared
            .jobs
            .iter()
            .map(|j| crypto::verify_strict(&j.public_key, &j.message, &j.signature))
            .collect()
    } else {
        crypto::verify_many(&items)
    };
    Ok(finish(prepared, &results, store, opts))
}

/// Everything but the signature arithmetic. See [`finish`].
pub fn prepare(
    doc_name: &str,
    doc_bytes: &[u8],
    sig_name: &str,
    sig_bytes: &[u8],
    _store: &TrustStore,
    opts: Options,
) -> Result<Prepared, InputError> {
    let doc = canonical::canonicalize(doc_bytes)?;
    // Canonicalization succeeded, so the bytes are UTF-8.
    let original = std::str::from_utf8(doc_bytes).unwrap_or_default();
    let ambiguous_blank = crate::parse::hidden::whitespace_only_lines(original);
    let ambiguous_chars = crate::parse::hidden::ambiguous_character_lines(original);
    let mut report = Report::empty(
        doc_name,
        hex_hash(&Sha256::digest(doc_bytes).into()),
        sig_name,
        opts.strict,
        opts.today.map(format_iso),
    );
    let fail_early = |mut report: Report, p: Problem| {
        report.problems.push(p);
        report.verdict = Verdict::Invalid;
        Ok(Prepared {
            report,
            jobs: Vec::new(),
            job_owner: Vec::new(),
            ctx: None,
        })
    };
    let file = match records::read(sig_name, sig_bytes) {
        Ok(file) => file,
        Err((profile, p)) => {
            report.profile = profile;
            return fail_early(report, p);
        }
    };
    report.profile = Some(file.profile.clone());
    if let Err(p) = records::check_chain(sig_name, &file) {
        return fail_early(report, p);
    }
    let mut located = layout::locate(&doc, &file, &mut report.advice);
    let (content_changed, markers_changed) = (&located.content_changed, &located.markers_changed);
    let text = doc.as_str();
    if let Err(p) = records::check_lengths(
        sig_name,
        &file,
        text,
        &located.spans,
        content_changed,
        markers_changed,
    ) {
        return fail_early(report, p);
    }
    let n = file.layers.len();
    let mut actual_chain = vec![[0u8; 32]; n];
    for i in (0..n).rev() {
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: located.markers_roots[i + 1],
            chain: actual_chain[i + 1],
        });
        actual_chain[i] = chain_digest(
            canonical::PROFILE,
            &located.content_roots[i],
            beneath.as_ref(),
        );
    }
    // Each statement's bytes are built once: for the signature-set digests here and as the
    // signed message of its check.
    let statements: Vec<Vec<Vec<u8>>> = file
        .layers
        .iter()
        .map(|l| {
            l.signatures
                .iter()
                .map(|s| s.statement.to_bytes())
                .collect()
        })
        .collect();
    let sig_sets: Vec<Hash> = file
        .layers
        .iter()
        .zip(&statements)
        .map(|(l, st)| sigfile::signature_set_digest_of(&l.signatures, st))
        .collect();
    layout::unpinpointed(&doc, &file, &mut located);

    // The layer reports (signature checks are completed in `finish`) and the signature checks.
    let mut jobs = Vec::new();
    let mut job_owner = Vec::new();
    for ((i, rec), messages) in file.layers.iter().enumerate().zip(statements) {
        let problems = std::mem::take(&mut located.layer_problems[i]);
        report.layers.push(layer_report(
            &doc,
            &located,
            i,
            rec,
            &actual_chain[i],
            problems,
        ));
        for ((j, s), message) in rec.signatures.iter().enumerate().zip(messages) {
            jobs.push(CryptoJob {
                public_key: s.statement.public_key,
                message,
                signature: s.signature,
            });
            job_owner.push((i, j));
        }
    }
    let changed_at_or_below = {
        let mut v = vec![false; n + 1];
        for i in (0..n).rev() {
            v[i] = v[i + 1]
                || located.content_changed[i]
                || (i + 1 < n && located.markers_changed[i + 1]);
        }
        v
    };
    Ok(Prepared {
        report,
        jobs,
        job_owner,
        ctx: Some(Context {
            doc,
            file,
            spans: located.spans,
            actual_content: located.content_roots,
            content_changed: located.content_changed,
            markers_changed: located.markers_changed,
            changed_at_or_below,
            header_end: located.header_end,
            sig_sets,
            added_ranges: located.added_ranges,
            ambiguous_blank,
            ambiguous_chars,
        }),
    })
}

/// The report on layer `i` before its signatures are checked, with the problems found so far
/// and `kind-mismatch` when the markers make it another kind than recorded.
fn layer_report(
    doc: &CanonicalText,
    located: &layout::Located,
    i: usize,
    rec: &sigfile::LayerRecord,
    chain: &Hash,
    mut problems: Vec<Problem>,
) -> LayerReport {
    let text = doc.as_str();
    let (m, c) = &located.spans[i];
    let whole = if m.is_empty() {
        c.clone()
    } else {
        m.start..c.end
    };
    let kind_found = LayerKind::from_markers(i, &text[m.clone()]);
    if kind_found != rec.kind && !located.markers_changed[i] {
        problems.push(Problem::new(
            ProblemCode::KindMismatch,
            format!(
                "the signature file calls layer {i} {:?} but its container markers make it {:?}",
                rec.kind.as_str(),
                kind_found.as_str()
            ),
        ));
    }
    let mut signatories: Vec<String> = rec
        .signatures
        .iter()
        .map(|s| s.statement.signatory.clone())
        .collect();
    if signatories.is_empty() {
        signatories = identity::mark_names(&text[c.clone()]);
    }
    LayerReport {
        index: i,
        kind: rec.kind,
        signatories,
        lines: doc
            .original_span(whole.start, whole.end)
            .map(|(a, b)| [a, b]),
        content_sha256: hex_hash(&located.content_roots[i]),
        chain_sha256: hex_hash(chain),
        status: LayerStatus::Unsigned,
        covered_by: Vec::new(),
        covered_by_count: 0,
        signatures: Vec::new(),
        problems,
        checks: Vec::new(),
    }
}

/// Complete the report with the results of the signature checks (in the order of
/// [`Prepared::jobs`]).
pub fn finish(
    prepared: Prepared,
    results: &[Result<(), Rejection>],
    store: &TrustStore,
    opts: Options,
) -> Report {
    let Prepared {
        mut report,
        jobs: _,
        job_owner,
        ctx,
    } = prepared;
    report.trust_store = Some(store.describe());
    if let Some(ctx) = ctx {
        check(&ctx, &mut report, &job_owner, results, store, opts);
    }
    report.order_root_cause();
    report
}

/// Every check after the signature arithmetic, in order.
fn check(
    ctx: &Context,
    report: &mut Report,
    job_owner: &[(usize, usize)],
    results: &[Result<(), Rejection>],
    store: &TrustStore,
    opts: Options,
) {
    let (sigs, signed, warnings) = signatures::check_all(ctx, job_owner, results, store, &opts);
    for (i, s) in sigs {
        report.layers[i].signatures.push(s);
    }
    // A signature's warnings (an untrusted timestamp) are the report's: `--strict` fails on them.
    report.warnings.extend(warnings);
    layout::inner_changes(
        &ctx.file,
        &ctx.content_changed,
        &ctx.markers_changed,
        &mut report.layers,
    );
    let mut uncovered = coverage::check(ctx, report, &signed);
    header::check(&ctx.doc, ctx.header_end, report, &mut uncovered);
    coverage::outside_layers(ctx, report, &mut uncovered);
    report.layout = Some(Layout {
        header_end: ctx.header_end,
        layers: ctx.spans.clone(),
        added: ctx.added_ranges.clone(),
    });
    report.uncovered_lines = report::merge_ranges(uncovered);
    hidden::check(ctx, report);
    for (i, p) in identity::look_alikes(ctx) {
        report.layers[i].problems.push(p);
    }
    if !opts.skip_parser_check {
        report.advice.extend(parser_disagrees(ctx));
    }
    verdict::decide(report, &ctx.file, opts.strict);
}

/// Parser agreement, advice only: today's parser proposes other layer boundaries than the
/// recorded ones (`parser-disagrees`); never changes a verdict.
fn parser_disagrees(ctx: &Context) -> Option<Problem> {
    let n = ctx.file.layers.len();
    let s = crate::parse::parser::propose_boundaries(&ctx.doc);
    let proposed: Vec<usize> = s.layers.iter().map(|l| l.start).collect();
    let recorded: Vec<usize> = ctx
        .spans
        .iter()
        .map(|(m, c)| if m.is_empty() { c.start } else { m.start })
        .collect();
    (proposed != recorded).then(|| {
        Problem::new(
            ProblemCode::ParserDisagrees,
            format!(
                "today's parser reads {} layer{} {}; the signature file records {} (verification uses the recorded boundaries)",
                s.layers.len(),
                if s.layers.len() == 1 { "" } else { "s" },
                if s.layers.len() == n { "with other boundaries" } else { "" },
                n
            ),
        )
    })
}

#[cfg(test)]
mod testutil;

/// `hex::encode` of a hash, through a buffer rather than an iterator of characters (the same
/// lowercase hex in a tenth of the instructions; a report holds several).
fn hex_hash(h: &[u8; 32]) -> String {
    let mut out = [0u8; 64];
    match hex::encode_to_slice(h, &mut out) {
        Ok(()) => std::str::from_utf8(&out).unwrap_or_default().to_owned(),
        Err(_) => hex::encode(h),
    }
}
