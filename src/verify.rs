//! Verification: exact, layer-by-layer verdicts that say what is wrong.
//!
//! Everything is recomputed from the document bytes and the trust store; nothing unsigned in the
//! signature file is believed (docs/FORMAT.md §7, §9). The steps, for a document and its signature file:
//!
//! 1. canonicalize the document (not UTF-8 is an input error, exit 2);
//! 2. parse the signature file strictly (a damaged one is `malformed-signature-file`, `invalid`);
//!    check that its recorded chain digests agree with its recorded parts;
//! 3. lay the recorded parts out from the end of the canonical text; if any part's Merkle root
//!    differs, align the signed leaves with the document ([`crate::align`]) to say which lines of
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
//! that an audit can check the signatures of many documents in one batch.

use crate::canonical::{self, CanonicalText};
use crate::chain::{chain_digest, Beneath, LayerKind};
use crate::codes;
use crate::crypto::{self, Rejection};
use crate::dates::{format_iso, Date};
use crate::error::InputError;
use crate::identity;
use crate::merkle::{content_root, Hash};
use crate::sigfile::{self, ParseFailure, PartRecord, SignatureFile};
use crate::trust::{TrustStore, Validity};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::ops::Range;

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every signature good, every signer trusted and matched, chain intact.
    Valid,
    /// Nothing proven wrong, but something needed is missing (e.g. an unknown key).
    Indeterminate,
    /// Something is tampered, forged, mismatched, revoked, expired or out of order.
    Invalid,
}

impl Verdict {
    /// The exit code of `transmittal verify` for this verdict: 0, 3 or 1.
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::Indeterminate => 3,
        }
    }

    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Indeterminate => "indeterminate",
        }
    }
}

/// Status of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerStatus {
    /// Signed, and every check passed.
    Valid,
    /// Some check failed.
    Invalid,
    /// Nothing failed but something needed is missing.
    Indeterminate,
    /// No signature of its own, nothing wrong (covered by an outer layer's signature, or not).
    Unsigned,
}

/// Status of one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SigStatus {
    /// Genuine, trusted, matched, in time.
    Valid,
    /// Something is wrong.
    Invalid,
    /// Mathematically genuine, but the key is not in the trust store.
    Indeterminate,
}

/// A finding, with a stable code (documented in `docs/FORMAT.md` §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable identifier such as `content-changed`.
    pub code: &'static str,
    /// What is wrong, in plain words.
    pub message: String,
    /// Document lines concerned (1-based, inclusive ranges).
    pub lines: Vec<[u32; 2]>,
    /// For changed text: the document's current text of those lines (what is there now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_text: Option<String>,
}

impl Problem {
    fn new(code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            lines: Vec::new(),
            found_text: None,
        }
    }

    fn lines(mut self, lines: Vec<[u32; 2]>) -> Problem {
        self.lines = lines;
        self
    }
}

/// One check and its outcome, for the human report and `--json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked: `content`, `markers`, `chain`, `signature`, `coverage`, ...
    pub check: &'static str,
    /// `ok`, `fail`, `unknown` or `warn`.
    pub outcome: &'static str,
    /// Details.
    pub detail: String,
}

/// The report on one signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// Short key id.
    pub key_id: String,
    /// The signer's name (from the trust store when known, else the signatory claimed).
    pub signer: String,
    /// The signer's trust-store id as signed.
    pub signer_id: String,
    /// Title from the trust store.
    pub title: Option<String>,
    /// Organisation from the trust store.
    pub organisation: Option<String>,
    /// The declared commitment to what lies beneath.
    pub commitment: &'static str,
    /// The declared signing date.
    pub signed_on: String,
    /// The signed letter date, if any.
    pub letter_date: Option<String>,
    /// Status of this signature.
    pub status: SigStatus,
    /// Why it is not valid (or a note on a valid one, e.g. a later revocation).
    pub reason: Option<String>,
    /// The dates the key's validity was checked on.
    pub dates_checked: Vec<String>,
    /// The problem codes of this signature.
    pub codes: Vec<&'static str>,
}

/// The report on one layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerReport {
    /// 0 = outermost.
    pub index: usize,
    /// Kind of layer.
    pub kind: LayerKind,
    /// Names of the signatories claimed by its signatures, or found on its "(Signed)" marks.
    pub signatories: Vec<String>,
    /// Original lines of the layer (markers included), if it is present.
    pub lines: Option<[u32; 2]>,
    /// Merkle root of the layer's content as found in the document.
    pub content_sha256: String,
    /// Chain digest as found in the document.
    pub chain_sha256: String,
    /// Status.
    pub status: LayerStatus,
    /// Indices of the layers whose valid signatures cover this layer's text, ascending: the
    /// nearest [`MAX_COVERED_BY`] of them (the layer itself and the closest above).
    pub covered_by: Vec<usize>,
    /// How many layers' valid signatures cover this layer's text (`covered_by` may list fewer).
    pub covered_by_count: usize,
    /// The signatures on this layer.
    pub signatures: Vec<SignatureReport>,
    /// What is wrong with this layer.
    pub problems: Vec<Problem>,
    /// Every check made on this layer.
    pub checks: Vec<Check>,
}

/// The publication header as seen by the verifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderReport {
    /// Original lines of the header.
    pub lines: [u32; 2],
    /// Whether it is accepted as a publication header (else its text is `uncovered-text`).
    pub accepted: bool,
}

/// The full verification report (`verify --json` prints it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// Every problem code of the report (file, layers, signatures, warnings, advice), each once,
    /// root causes first: see [`Report::root_cause`].
    pub codes: Vec<&'static str>,
    /// The document path as given.
    pub document: String,
    /// SHA-256 of the document bytes as read.
    pub document_sha256: String,
    /// The signature file path as given.
    pub signature_file: String,
    /// Canonical text profile recorded in the signature file.
    pub profile: Option<String>,
    /// The publication header, if there is text before the outermost layer.
    pub header: Option<HeaderReport>,
    /// The layers, outermost first.
    pub layers: Vec<LayerReport>,
    /// Lines no signature covers (header included).
    pub uncovered_lines: Vec<[u32; 2]>,
    /// Problems that concern the whole file (signature file, coverage).
    pub problems: Vec<Problem>,
    /// Warnings (never hide a failure; `--strict` makes them failures).
    pub warnings: Vec<Problem>,
    /// Advice that never changes the verdict, `--strict` included (e.g. `parser-disagrees`).
    pub advice: Vec<Problem>,
    /// Whether `--strict` was in force.
    pub strict: bool,
    /// The verification rules applied (FORMAT.md §9): [`RULES`].
    pub rules: &'static str,
    /// The verification date, when the caller gave one (`YYYY-MM-DD`).
    pub verified_on: Option<String>,
    /// The trust store used, as the caller described it (e.g. `keys (--keys)`).
    pub trust_store: Option<String>,
    /// Where each part lies in the canonical text (for `show`); not part of the JSON report.
    #[serde(skip)]
    pub layout: Option<Layout>,
}

/// Where the verifier found each part, in bytes of the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// End of the publication header (start of layer 0's text).
    pub header_end: usize,
    /// Per layer: (markers, content) ranges.
    pub layers: Vec<(Range<usize>, Range<usize>)>,
    /// Text found outside every signed part (inserted or duplicated text).
    pub added: Vec<Range<usize>>,
}

/// At most this many layers are listed in a layer's `covered_by` (the nearest ones), so that the
/// report grows linearly with the number of layers; `covered_by_count` gives the total.
pub const MAX_COVERED_BY: usize = 16;

/// Changes are pinpointed line by line while the document and the signature file hold at most
/// this many lines in all; beyond, they are named by layer (advice `pinpointing-limited`).
pub const MAX_PINPOINT_LINES: usize = 1 << 18;

/// The identifier of the verification rules this version applies (FORMAT.md §9). Version 2
/// tightened what `valid` means (publication-header grammar, whole-name identity, coverage by
/// valid signatures only, one record per key, dates in the future); no signed byte changed.
pub const RULES: &str = "transmittal-rules-v2";

impl Report {
    /// Every problem code in the report (file-level, layers and signatures), in order.
    pub fn problem_codes(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self.problems.iter().map(|p| p.code).collect();
        for l in &self.layers {
            out.extend(l.problems.iter().map(|p| p.code));
            for s in &l.signatures {
                out.extend(s.codes.iter().copied());
            }
        }
        out
    }

    /// The first problem, for one-line summaries: the root cause when it is a problem (not a
    /// signature's code), else the first problem in root-cause order, else (under `--strict`)
    /// the first warning.
    pub fn first_problem(&self) -> Option<&Problem> {
        self.causes()
            .find_map(|c| match c {
                Cause::Problem(_, p) => Some(p),
                Cause::Signature(..) => None,
            })
            .or_else(|| {
                if self.strict {
                    self.warnings.first()
                } else {
                    None
                }
            })
    }

    /// What the report finds wrong, root causes first: for each layer from the innermost out,
    /// its problems and its signatures that are not valid, then the problems of the whole file,
    /// then, in the same order, the consequences of those changes ([`codes::CONSEQUENCES`]:
    /// `inner-layer-changed`, `inner-signatures-changed`). Warnings and advice are not part of it.
    pub fn causes(&self) -> impl Iterator<Item = Cause<'_>> + '_ {
        let pass = |consequence: bool| {
            let layers = self.layers.iter().rev().flat_map(move |l| {
                let problems = l
                    .problems
                    .iter()
                    .filter(move |p| codes::is_consequence(p.code) == consequence)
                    .map(move |p| Cause::Problem(Some(l.index), p));
                let sigs = l.signatures.iter().flat_map(move |s| {
                    s.codes
                        .iter()
                        .filter(move |c| codes::is_consequence(c) == consequence)
                        .map(move |c| Cause::Signature(l.index, s, c))
                });
                problems.chain(sigs)
            });
            let file = self
                .problems
                .iter()
                .filter(move |p| codes::is_consequence(p.code) == consequence)
                .map(|p| Cause::Problem(None, p));
            layers.chain(file)
        };
        pass(false).chain(pass(true))
    }

    /// The root cause: the first of [`Report::causes`] (the innermost layer's most specific
    /// code), or under `--strict` the first warning; `None` when there is nothing to report.
    pub fn root_cause(&self) -> Option<Cause<'_>> {
        self.causes().next().or_else(|| {
            if self.strict {
                self.warnings.first().map(|w| Cause::Problem(None, w))
            } else {
                None
            }
        })
    }

    /// Orders each layer's problems and each signature's codes causes first, consequences after
    /// (stable otherwise), and fills [`Report::codes`].
    fn order_root_cause(&mut self) {
        let key = |c: &str| codes::is_consequence(c);
        self.problems.sort_by_key(|p| key(p.code));
        for l in &mut self.layers {
            l.problems.sort_by_key(|p| key(p.code));
            for s in &mut l.signatures {
                s.codes.sort_by_key(|c| key(c));
            }
        }
        let mut all: Vec<&'static str> = self
            .causes()
            .map(|c| c.code())
            .chain(self.warnings.iter().map(|p| p.code))
            .chain(self.advice.iter().map(|p| p.code))
            .collect();
        let mut seen = std::collections::HashSet::new();
        all.retain(|c| seen.insert(*c));
        self.codes = all;
    }
}

/// One finding of [`Report::causes`].
#[derive(Debug, Clone, Copy)]
pub enum Cause<'a> {
    /// A problem of a layer (`Some(index)`) or of the whole file (`None`).
    Problem(Option<usize>, &'a Problem),
    /// A code of a signature (not valid) of the layer `index`.
    Signature(usize, &'a SignatureReport, &'static str),
}

impl Cause<'_> {
    /// The problem code.
    pub fn code(&self) -> &'static str {
        match self {
            Cause::Problem(_, p) => p.code,
            Cause::Signature(_, _, c) => c,
        }
    }
}

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

/// What [`finish`] needs besides the crypto results.
#[derive(Debug)]
struct Context {
    doc: CanonicalText,
    file: SignatureFile,
    /// Per layer: (markers range, content range) in canonical text.
    spans: Vec<(Range<usize>, Range<usize>)>,
    /// Per layer: actual content roots and markers roots.
    actual_content: Vec<Hash>,
    actual_markers: Vec<Hash>,
    actual_chain: Vec<Hash>,
    /// Per layer: whether its content (or the markers it adds beneath) was found changed.
    content_changed: Vec<bool>,
    markers_changed: Vec<bool>,
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

fn span_lines(doc: &CanonicalText, r: &Range<usize>) -> Vec<[u32; 2]> {
    doc.original_span(r.start, r.end)
        .map(|(a, b)| vec![[a, b]])
        .unwrap_or_default()
}

fn merge_ranges(mut v: Vec<[u32; 2]>) -> Vec<[u32; 2]> {
    v.sort();
    let mut out: Vec<[u32; 2]> = Vec::new();
    for r in v {
        match out.last_mut() {
            Some(last) if r[0] <= last[1].saturating_add(1) => last[1] = last[1].max(r[1]),
            _ => out.push(r),
        }
    }
    out
}

/// The publication-header rule (FORMAT.md §9.2-§9.3): the canonical text before the outermost
/// layer is accepted as a header only when it matches the header grammar
/// ([`crate::header::check_header`]).
pub fn looks_like_header(text: &str) -> bool {
    crate::header::check_header(text).is_ok()
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
    let ambiguous_blank = crate::hidden::whitespace_only_lines(original);
    let ambiguous_chars = crate::hidden::ambiguous_character_lines(original);
    let mut report = Report {
        verdict: Verdict::Invalid,
        codes: Vec::new(),
        document: doc_name.to_owned(),
        document_sha256: hex_hash(&Sha256::digest(doc_bytes).into()),
        signature_file: sig_name.to_owned(),
        profile: None,
        header: None,
        layers: Vec::new(),
        uncovered_lines: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        advice: Vec::new(),
        strict: opts.strict,
        rules: RULES,
        verified_on: opts.today.map(format_iso),
        trust_store: None,
        layout: None,
    };
    let fail_early = |mut report: Report, p: Problem| {
        report.problems.push(p);
        report.verdict = Verdict::Invalid;
        Prepared {
            report,
            jobs: Vec::new(),
            job_owner: Vec::new(),
            ctx: None,
        }
    };
    let file = match SignatureFile::from_json(sig_bytes) {
        Ok(f) => f,
        Err(ParseFailure::UnsupportedFormat(found)) => {
            return Ok(fail_early(
                report,
                Problem::new(
                    "malformed-signature-file",
                    format!(
                        "{sig_name}: unsupported format {found:?}; this version reads {:?} (an older or newer format is not accepted)",
                        sigfile::FORMAT
                    ),
                ),
            ))
        }
        Err(ParseFailure::Malformed(m)) => {
            return Ok(fail_early(
                report,
                Problem::new("malformed-signature-file", format!("{sig_name}: {m}")),
            ))
        }
    };
    report.profile = Some(file.profile.clone());
    if file.profile != canonical::PROFILE {
        return Ok(fail_early(
            report,
            Problem::new(
                "profile-mismatch",
                format!(
                    "{sig_name} uses canonical text profile {:?}; this version verifies {:?} only",
                    file.profile,
                    canonical::PROFILE
                ),
            ),
        ));
    }
    let n = file.layers.len();
    let profile = canonical::PROFILE;

    // Recorded chain digests must agree with the recorded parts.
    for i in 0..n {
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: file.layers[i + 1].markers.root,
            chain: file.layers[i + 1].chain,
        });
        if chain_digest(profile, &file.layers[i].content.root, beneath.as_ref())
            != file.layers[i].chain
        {
            return Ok(fail_early(
                report,
                Problem::new(
                    "malformed-signature-file",
                    format!("{sig_name}: layers[{i}].chain_sha256 does not match the parts it records (the file was edited)"),
                ),
            ));
        }
    }

    // Locate the parts: exact layout from the end, else alignment.
    let text = doc.as_str();
    let lengths: Vec<crate::chain::PartLengths> = file
        .layers
        .iter()
        .map(|l| crate::chain::PartLengths {
            markers: l.markers.bytes,
            content: l.content.bytes,
        })
        .collect();
    let mut spans: Vec<(Range<usize>, Range<usize>)> = Vec::with_capacity(n);
    let mut header_end = 0;
    let mut exact = false;
    // Roots of the parts where the exact layout puts them (kept: when the layout holds they are
    // the actual roots, and each part is hashed once).
    let mut layout_roots: Option<(Vec<Hash>, Vec<Hash>)> = None;
    if let Some(layout) = crate::chain::layout_from_end(text, &lengths) {
        spans = layout
            .layers
            .iter()
            .map(|&(s, c, e)| (s..c, c..e))
            .collect();
        header_end = layout.header_end;
        let (content, markers) = part_roots(text, &spans);
        exact = file
            .layers
            .iter()
            .zip(content.iter().zip(&markers))
            .all(|(rec, (c, m))| *c == rec.content.root && *m == rec.markers.root);
        if exact {
            layout_roots = Some((content, markers));
        }
    }
    let mut content_changed = vec![false; n];
    let mut markers_changed = vec![false; n];
    let mut added_ranges = Vec::new();
    let mut layer_problems: Vec<Vec<Problem>> = vec![Vec::new(); n];
    if !exact {
        let parts: Vec<&PartRecord> = file
            .layers
            .iter()
            .flat_map(|l| [&l.markers, &l.content])
            .collect();
        // Pinpointing needs a hash per line of both sides: past MAX_PINPOINT_LINES lines in all,
        // changes are named by layer, not by line, so that memory stays a small multiple of the
        // input (docs/SECURITY.md, "Bounds"). The verdict is the same either way: it comes from
        // the recomputed roots.
        let signed_lines: usize = parts.iter().map(|p| p.leaves.len()).sum();
        let d = if doc.line_count().saturating_add(signed_lines) > MAX_PINPOINT_LINES {
            report.advice.push(Problem::new(
                "pinpointing-limited",
                format!(
                    "the document and its signature file hold more than {MAX_PINPOINT_LINES} lines in all: changes are named by layer, not by line"
                ),
            ));
            let end = text.len();
            crate::align::Diagnosis {
                spans: if spans.len() == n {
                    spans
                        .iter()
                        .flat_map(|(m, c)| [m.clone(), c.clone()])
                        .collect()
                } else {
                    vec![end..end; 2 * n]
                },
                prefix_end: if spans.len() == n { header_end } else { end },
                changes: Vec::new(),
                incomplete: Vec::new(),
            }
        } else {
            crate::align::diagnose(text, &parts)
        };
        // Pinpointing is bounded by fixed work limits (docs/SECURITY.md, "Bounds"): when one is
        // reached the changes are still all reported, in larger hunks; the verdict never depends
        // on it.
        for limit in &d.incomplete {
            report
                .advice
                .push(Problem::new("pinpointing-limited", limit.describe()));
        }
        header_end = d.prefix_end;
        spans = (0..n)
            .map(|i| (d.spans[2 * i].clone(), d.spans[2 * i + 1].clone()))
            .collect();
        // Make layer 0's markers empty at its content start.
        if let Some(first) = spans.first_mut() {
            first.0 = first.1.start..first.1.start;
        }
        for c in &d.changes {
            let layer = c.part / 2;
            let is_markers = c.part % 2 == 0;
            let lines = span_lines(&doc, &c.doc);
            let at_line = if c.doc.is_empty() {
                let l = doc.original_line_of(c.doc.start.min(text.len().saturating_sub(1)));
                vec![[l, l]]
            } else {
                lines.clone()
            };
            let what = if is_markers {
                format!("the container markers of layer {layer}")
            } else {
                format!("layer {layer} ({})", file.layers[layer].kind)
            };
            let nleaves = c.signed_leaves.len();
            use crate::align::ChangeKind as K;
            let (code, msg, owner) = match c.kind {
                K::Changed => (
                    if is_markers {
                        "markers-changed"
                    } else {
                        "content-changed"
                    },
                    format!(
                        "{what}: {} signed line{} changed",
                        nleaves,
                        if nleaves == 1 { "" } else { "s" }
                    ),
                    layer,
                ),
                K::Added => {
                    added_ranges.push(c.doc.clone());
                    let injected = !identity::signature_marks(&text[c.doc.clone()]).is_empty()
                        || starts_with_heading(&text[c.doc.clone()]);
                    if injected {
                        (
                            "layer-added",
                            format!("text that reads as an extra layer (a heading or a \"(Signed)\" line) was inserted after {what}; no signature covers it"),
                            layer,
                        )
                    } else {
                        (
                            "lines-added",
                            format!("unsigned text was added to {what}"),
                            layer,
                        )
                    }
                }
                K::Removed => (
                    "lines-removed",
                    format!(
                        "{nleaves} signed line{} of {what} {} missing",
                        if nleaves == 1 { "" } else { "s" },
                        if nleaves == 1 { "is" } else { "are" }
                    ),
                    layer,
                ),
                K::PartMissing => (
                    if is_markers {
                        "markers-changed"
                    } else {
                        "layer-missing"
                    },
                    format!("{what} is missing from the document (stripped)"),
                    layer,
                ),
                K::PartMoved => (
                    "layers-reordered",
                    format!("{what} is not where it was signed: it was moved"),
                    layer,
                ),
                K::Duplicated => {
                    added_ranges.push(c.doc.clone());
                    (
                        "layer-added",
                        format!("signed text of {what} appears a second time (duplicated)"),
                        layer,
                    )
                }
            };
            if is_markers {
                markers_changed[layer] = true;
            } else {
                content_changed[layer] = true;
            }
            let mut p = Problem::new(code, msg).lines(at_line);
            if matches!(c.kind, K::Changed | K::Added) && !c.doc.is_empty() {
                p.found_text = text.get(c.doc.clone()).map(|s| truncate(s, 2000));
            }
            // Markers belong to the layer above (its author added them and signed them).
            let target = if is_markers {
                layer.saturating_sub(1)
            } else {
                owner
            };
            layer_problems[target].push(p);
        }
    }

    // Actual roots and chain digests from the document.
    let (actual_content, actual_markers) = layout_roots.unwrap_or_else(|| part_roots(text, &spans));
    for i in 0..n {
        if actual_content[i] != file.layers[i].content.root {
            content_changed[i] = true;
        }
        if i > 0 && actual_markers[i] != file.layers[i].markers.root {
            markers_changed[i] = true;
        }
    }
    // Lengths and tails are recomputed and compared too (FORMAT.md §7): where the text is the
    // signed text, they must be its length and tail; a file that says otherwise was edited.
    for i in 0..n {
        for (what, range, rec, changed) in [
            (
                "content",
                &spans[i].1,
                &file.layers[i].content,
                content_changed[i],
            ),
            (
                "markers",
                &spans[i].0,
                &file.layers[i].markers,
                i > 0 && markers_changed[i],
            ),
        ] {
            if changed || (i == 0 && what == "markers") {
                continue;
            }
            let part = &text[range.clone()];
            if part.len() as u64 != rec.bytes || sigfile::tail_of(part) != rec.tail {
                return Ok(fail_early(
                    report,
                    Problem::new(
                        "malformed-signature-file",
                        format!(
                            "{sig_name}: layers[{i}].{what} records {} bytes (tail {}) but the signed text it names is {} bytes (tail {}): the file was edited",
                            rec.bytes,
                            rec.tail,
                            part.len(),
                            sigfile::tail_of(part)
                        ),
                    ),
                ));
            }
        }
    }
    let mut actual_chain = vec![[0u8; 32]; n];
    for i in (0..n).rev() {
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: actual_markers[i + 1],
            chain: actual_chain[i + 1],
        });
        actual_chain[i] = chain_digest(profile, &actual_content[i], beneath.as_ref());
    }
    // Each statement's bytes are built once: for the signature-set digests here and as the
    // signed message of its check below.
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

    // Changes the alignment did not pinpoint (e.g. a length-preserving edit in a flattened line).
    for i in 0..n {
        let has = |code: &str| layer_problems[i].iter().any(|p| p.code == code);
        if content_changed[i]
            && ![
                "content-changed",
                "lines-added",
                "lines-removed",
                "layer-missing",
                "layers-reordered",
                "layer-added",
            ]
            .iter()
            .any(|c| has(c))
        {
            layer_problems[i].push(
                Problem::new(
                    "content-changed",
                    format!(
                        "layer {i} ({}): its text differs from the signed text",
                        file.layers[i].kind
                    ),
                )
                .lines(span_lines(&doc, &spans[i].1)),
            );
        }
        if i > 0
            && markers_changed[i]
            && !layer_problems[i - 1]
                .iter()
                .any(|p| p.code == "markers-changed")
        {
            layer_problems[i - 1].push(
                Problem::new(
                    "markers-changed",
                    format!("the container markers of layer {i} differ from the signed ones"),
                )
                .lines(span_lines(&doc, &spans[i].0)),
            );
        }
    }

    // Build the layer reports (signature checks are completed in `finish`).
    let mut jobs = Vec::new();
    let mut job_owner = Vec::new();
    for ((i, rec), messages) in file.layers.iter().enumerate().zip(statements) {
        let (m, c) = &spans[i];
        let whole = if m.is_empty() {
            c.clone()
        } else {
            m.start..c.end
        };
        let kind_found = LayerKind::from_markers(i, &text[m.clone()]);
        let mut problems = std::mem::take(&mut layer_problems[i]);
        if kind_found != rec.kind && !markers_changed[i] {
            problems.push(Problem::new(
                "kind-mismatch",
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
            let ctext = &text[c.clone()];
            signatories = identity::signature_marks(ctext)
                .iter()
                .map(|mk| mark_name(ctext, mk))
                .filter(|s| !s.is_empty())
                .collect();
        }
        for ((j, s), message) in rec.signatures.iter().enumerate().zip(messages) {
            jobs.push(CryptoJob {
                public_key: s.statement.public_key,
                message,
                signature: s.signature,
            });
            job_owner.push((i, j));
        }
        report.layers.push(LayerReport {
            index: i,
            kind: rec.kind,
            signatories,
            lines: doc
                .original_span(whole.start, whole.end)
                .map(|(a, b)| [a, b]),
            content_sha256: hex_hash(&actual_content[i]),
            chain_sha256: hex_hash(&actual_chain[i]),
            status: LayerStatus::Unsigned,
            covered_by: Vec::new(),
            covered_by_count: 0,
            signatures: Vec::new(),
            problems,
            checks: Vec::new(),
        });
    }

    Ok(Prepared {
        report,
        jobs,
        job_owner,
        ctx: Some(Context {
            doc,
            file,
            spans,
            actual_content,
            actual_markers,
            actual_chain,
            content_changed,
            markers_changed,
            header_end,
            sig_sets,
            added_ranges,
            ambiguous_blank,
            ambiguous_chars,
        }),
    })
}

/// The Merkle roots of each layer's content and markers where `spans` put them in `text`.
fn part_roots(text: &str, spans: &[(Range<usize>, Range<usize>)]) -> (Vec<Hash>, Vec<Hash>) {
    spans
        .iter()
        .map(|(m, c)| {
            (
                content_root(&text[c.clone()]),
                content_root(&text[m.clone()]),
            )
        })
        .unzip()
}

/// `hex::encode` of a hash, through a buffer rather than an iterator of characters (the same
/// lowercase hex, in a tenth of the instructions; a report holds seven of them).
fn hex_hash(h: &Hash) -> String {
    let mut out = [0u8; 64];
    match hex::encode_to_slice(h, &mut out) {
        Ok(()) => std::str::from_utf8(&out).unwrap_or_default().to_owned(),
        Err(_) => hex::encode(h),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn starts_with_heading(s: &str) -> bool {
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#'));
    let word: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
    matches!(
        word.to_lowercase().as_str(),
        "annex" | "enclosure" | "appendix"
    )
}

/// The name after a signature mark, up to the end of the line or a run of two spaces.
pub fn mark_name(text: &str, mark: &identity::SignatureMark) -> String {
    let rest = text.get(mark.name_start..mark.line_end).unwrap_or("");
    let rest = rest.split("  ").next().unwrap_or("");
    identity::display_name(rest)
}

fn date_check(entry: &crate::trust::TrustEntry, date: Date) -> Validity {
    entry.validity_on(date)
}

/// The names a trust-store entry answers to: its name, then its declared alternative spellings.
fn entry_names(entry: &crate::trust::TrustEntry) -> Vec<&str> {
    entry.names().collect()
}

/// Complete the report with the results of the signature checks (in the order of
/// [`Prepared::jobs`]).
pub fn finish(
    prepared: Prepared,
    results: &[Result<(), Rejection>],
    store: &TrustStore,
    opts: Options,
) -> Report {
    let mut report = finish_findings(prepared, results, store, opts);
    report.order_root_cause();
    report
}

/// [`finish`] before the findings are put in root-cause order.
fn finish_findings(
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
    let Some(ctx) = ctx else {
        return report;
    };
    let Context {
        doc,
        file,
        spans,
        actual_content,
        actual_markers,
        actual_chain,
        content_changed,
        markers_changed,
        header_end,
        sig_sets,
        added_ranges,
        ambiguous_blank,
        ambiguous_chars,
    } = ctx;
    let text = doc.as_str();
    let n = file.layers.len();

    // A change in layer k (or in markers it adds) breaks every signature above it.
    let changed_at_or_below: Vec<bool> = {
        let mut v = vec![false; n + 1];
        for i in (0..n).rev() {
            v[i] = v[i + 1] || content_changed[i] || (i + 1 < n && markers_changed[i + 1]);
        }
        v
    };

    // Per layer: does it hold a valid signature, or one that is genuine but cannot be decided
    // (unknown key)? Only valid signatures cover text (FORMAT.md §9.1).
    let mut valid_signed = vec![false; n];
    let mut pending_signed = vec![false; n];
    // Per layer: the trust-store names (and declared spellings) of its valid signers.
    let mut valid_names: Vec<Vec<String>> = vec![Vec::new(); n];

    for (idx, &(i, j)) in job_owner.iter().enumerate() {
        let rec = &file.layers[i];
        let sig = &rec.signatures[j];
        let st = &sig.statement;
        let mut codes: Vec<&'static str> = Vec::new();
        let mut reasons: Vec<String> = Vec::new();
        let mut status = SigStatus::Valid;
        let entry = store.by_key(&st.public_key);
        let crypto_ok = matches!(results.get(idx), Some(Ok(())));
        let mut dates_checked = vec![format_iso(st.signed_on)];
        if let Some(d) = st.letter_date {
            if d != st.signed_on {
                dates_checked.push(format_iso(d));
            }
        }
        if !crypto_ok {
            let why = match results.get(idx) {
                Some(Err(r)) => r.to_string(),
                _ => "not checked".to_owned(),
            };
            codes.push("bad-signature");
            reasons.push(format!(
                "the Ed25519 signature is not valid for its statement ({why}): forged or damaged"
            ));
            status = SigStatus::Invalid;
        } else {
            // The statement is genuine; compare it with the document.
            if st.content != rec.content.root {
                if st.content == actual_content[i] {
                    // The layer record is off but the signature matches the document: the
                    // record was edited; the layer's record check reports it.
                } else {
                    codes.push("signature-replayed");
                    reasons.push(format!(
                        "this signature was made over other text (content {}…), not layer {i}: copied from another layer or document",
                        &hex::encode(st.content)[..12]
                    ));
                    status = SigStatus::Invalid;
                }
            } else if content_changed[i] {
                codes.push("content-changed");
                reasons.push(format!("layer {i}'s text changed after it was signed"));
                status = SigStatus::Invalid;
            }
            let want_beneath = (i + 1 < n).then(|| Beneath {
                markers: file.layers[i + 1].markers.root,
                chain: file.layers[i + 1].chain,
            });
            if st.beneath != want_beneath {
                codes.push(if want_beneath.is_none() || st.beneath.is_none() {
                    if st.beneath.is_none() {
                        "layer-added"
                    } else {
                        "layer-missing"
                    }
                } else {
                    "chain-mismatch"
                });
                reasons.push(match (&st.beneath, &want_beneath) {
                    (None, Some(_)) => format!("signed as the innermost layer, but layer {} now lies beneath it (a layer was injected)", i + 1),
                    (Some(_), None) => "signed over a layer beneath it that is no longer there (a layer was stripped)".to_owned(),
                    _ => "signed over a different layer beneath: this letter was moved onto another document, or the layer beneath was swapped".to_owned(),
                });
                status = SigStatus::Invalid;
            } else if changed_at_or_below[i + 1] || (i + 1 < n && markers_changed[i + 1]) {
                codes.push("inner-layer-changed");
                reasons.push("a layer beneath, which this signature covers, changed".to_owned());
                status = SigStatus::Invalid;
            }
            let want_sigs = (i + 1 < n).then(|| sig_sets[i + 1]);
            if st.beneath.is_some() && want_beneath.is_some() && st.beneath_signatures != want_sigs
            {
                codes.push("inner-signatures-changed");
                reasons.push(format!(
                    "the signatures on layer {} are not the ones this signer saw (added, removed or replaced since)",
                    i + 1
                ));
                status = SigStatus::Invalid;
            }
            // Trust.
            match entry {
                None => {
                    // A trust-store id that names another key is a substitution, not an unknown.
                    if let Some(other) = store.by_id(&st.signer) {
                        codes.push("key-mismatch");
                        reasons.push(format!(
                            "the trust store's {:?} ({}) has key {}, not the key {} that made this signature",
                            other.id, other.name, other.key_id, sig.key_id
                        ));
                        status = SigStatus::Invalid;
                    } else {
                        codes.push("unknown-key");
                        reasons.push(format!(
                            "key {} ({:?}) is not in the trust store {}; add its entry to trust it",
                            sig.key_id,
                            st.signer,
                            store.describe()
                        ));
                        if status == SigStatus::Valid {
                            status = SigStatus::Indeterminate;
                        }
                    }
                }
                Some(e) => {
                    // Keys are matched by key (FORMAT.md §8.2): the local id is only a name for
                    // the entry, and another verifier may file the same key under another id.
                    // `key-mismatch` only when the signed id names another entry, which holds
                    // another key.
                    if e.id != st.signer {
                        if let Some(other) = store.by_id(&st.signer) {
                            codes.push("key-mismatch");
                            reasons.push(format!(
                                "signed as {:?}, but the trust store's {:?} ({}) holds key {}, not this key {} (which is {:?} there)",
                                st.signer, other.id, other.name, other.key_id, sig.key_id, e.id
                            ));
                            status = SigStatus::Invalid;
                        } else {
                            reasons.push(format!(
                                "signed as {:?}; this key is {:?} in the trust store",
                                st.signer, e.id
                            ));
                        }
                    }
                    let mut dates = vec![("signing date", st.signed_on)];
                    if let Some(d) = st.letter_date {
                        dates.push(("letter date", d));
                    }
                    for (what, d) in dates {
                        match date_check(e, d) {
                            Validity::Valid => {}
                            Validity::NotYetValid { from } => {
                                codes.push("key-not-yet-valid");
                                reasons.push(format!(
                                    "key of {} is valid from {} only; the {what} is {}",
                                    e.name,
                                    format_iso(from),
                                    format_iso(d)
                                ));
                                status = SigStatus::Invalid;
                            }
                            Validity::Expired { until } => {
                                codes.push("key-expired");
                                reasons.push(format!(
                                    "key of {} expired on {}; the {what} is {}",
                                    e.name,
                                    format_iso(until),
                                    format_iso(d)
                                ));
                                status = SigStatus::Invalid;
                            }
                            Validity::Revoked { at, reason } => {
                                codes.push("key-revoked");
                                reasons.push(format!(
                                    "key of {} was revoked on {}{}; the {what} is {}",
                                    e.name,
                                    format_iso(at),
                                    reason.map(|r| format!(" ({r})")).unwrap_or_default(),
                                    format_iso(d)
                                ));
                                status = SigStatus::Invalid;
                            }
                        }
                    }
                    if status == SigStatus::Valid {
                        if let Some(r) = e.revoked_at {
                            reasons.push(format!(
                                "key revoked on {} (after the dates this signature claims; those dates are the signer's claim, not proven)",
                                format_iso(r)
                            ));
                        }
                    }
                    if let Some(today) = opts.today {
                        // One day of clock skew between signer and verifier (time zones).
                        if st.signed_on > today.next_day().unwrap_or(today) {
                            codes.push("signed-in-future");
                            reasons.push(format!(
                                "signed on {}, after the verification date {}: a signing date cannot lie in the future",
                                format_iso(st.signed_on),
                                format_iso(today)
                            ));
                            status = SigStatus::Invalid;
                        }
                    }
                    // Identity: trust-store name = signatory claimed = a "(Signed)" mark, by
                    // whole name (the entry's name or one of its declared spellings).
                    let names = entry_names(e);
                    let claimed = identity::normalize_name(&st.signatory);
                    if !names.iter().any(|n| identity::normalize_name(n) == claimed) {
                        codes.push("signer-mismatch");
                        reasons.push(format!(
                            "signed as {:?} but the key belongs to {:?}",
                            st.signatory, e.name
                        ));
                        status = SigStatus::Invalid;
                    } else if !identity::text_names_any(
                        &text[spans[i].1.clone()],
                        names.iter().copied(),
                    ) {
                        codes.push("signer-mismatch");
                        reasons.push(format!(
                            "no \"(Signed) {}\" line in layer {i}: the key's identity does not match the layer's signatory",
                            e.name
                        ));
                        status = SigStatus::Invalid;
                    }
                }
            }
        }
        if status == SigStatus::Indeterminate {
            pending_signed[i] = true;
        }
        if status == SigStatus::Valid {
            valid_signed[i] = true;
            if let Some(e) = entry {
                valid_names[i].extend(entry_names(e).into_iter().map(str::to_owned));
            }
        }
        report.layers[i].signatures.push(SignatureReport {
            key_id: sig.key_id.clone(),
            signer: entry
                .map(|e| e.name.clone())
                .unwrap_or_else(|| st.signatory.clone()),
            signer_id: st.signer.clone(),
            title: entry.and_then(|e| e.title.clone()),
            organisation: entry.and_then(|e| e.organisation.clone()),
            commitment: st.commitment.as_str(),
            signed_on: format_iso(st.signed_on),
            letter_date: st.letter_date.map(format_iso),
            status,
            reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
            dates_checked,
            codes,
        });
    }

    // Outer layers whose signatures no longer cover the document because something beneath changed.
    // Each names the nearest changed layer beneath it and how many more there are, with at most
    // a few line ranges: the report stays linear in the number of layers (docs/SECURITY.md,
    // "Bounds"); the changed layers carry their own problems with every line.
    let mut nearest_changed: Option<usize> = None;
    let mut changed_beneath = 0usize;
    for i in (0..n).rev() {
        if let Some(k) = nearest_changed {
            if !file.layers[i].signatures.is_empty() {
                let mut lines: Vec<[u32; 2]> = report.layers[k]
                    .problems
                    .iter()
                    .flat_map(|p| p.lines.iter().copied())
                    .take(64)
                    .collect();
                lines = merge_ranges(lines);
                lines.truncate(8);
                let more = changed_beneath - 1;
                let sigs = file.layers[i].signatures.len();
                report.layers[i].problems.push(
                    Problem::new(
                        "inner-layer-changed",
                        format!(
                            "layer {k} beneath changed{}, so the signature{} of layer {i} no longer cover{} this document",
                            match more {
                                0 => String::new(),
                                1 => " (and 1 more layer beneath)".to_owned(),
                                m => format!(" (and {m} more layers beneath)"),
                            },
                            if sigs == 1 { "" } else { "s" },
                            if sigs == 1 { "s" } else { "" },
                        ),
                    )
                    .lines(lines),
                );
            }
        }
        if content_changed[i] || markers_changed[i] {
            nearest_changed = Some(i);
            changed_beneath += 1;
        }
    }

    // Coverage: a layer is covered by the valid signatures on it and on every layer above.
    // Running over the layers, outermost first, so that the whole pass is linear.
    let mut uncovered: Vec<[u32; 2]> = Vec::new();
    let mut valid_above: Vec<usize> = Vec::new();
    let mut pending = false;
    let mut claimed = false;
    for i in 0..n {
        if valid_signed[i] {
            valid_above.push(i);
        }
        pending |= pending_signed[i];
        // Signatures at or above that are not valid explain by their own problems why this
        // layer is not covered; `uncovered-text` is for layers no signature even claims.
        claimed |= !file.layers[i].signatures.is_empty();
        // The nearest covering layers only: the report stays linear (FORMAT.md §9.1).
        let covered_by: Vec<usize> =
            valid_above[valid_above.len().saturating_sub(MAX_COVERED_BY)..].to_vec();
        report.layers[i].covered_by = covered_by.clone();
        report.layers[i].covered_by_count = valid_above.len();
        let (m, c) = &spans[i];
        let ctext = &text[c.clone()];
        // Every name on a "(Signed)" mark needs its own valid signature. A mark that a signature
        // claims but that is not valid is explained by that signature's own problem.
        let marks = identity::signature_marks(ctext);
        let rec = &file.layers[i];
        let sig_status: Vec<SigStatus> = report.layers[i]
            .signatures
            .iter()
            .map(|s| s.status)
            .collect();
        let mut missing = Vec::new();
        for mk in &marks {
            let named = valid_names[i]
                .iter()
                .any(|name| identity::mark_names(ctext, mk, name))
                || rec.signatures.iter().zip(&sig_status).any(|(s, st)| {
                    *st != SigStatus::Valid
                        && identity::mark_names(ctext, mk, &s.statement.signatory)
                });
            if !named {
                let name = mark_name(ctext, mk);
                if !name.is_empty() {
                    missing.push((name, doc.original_line_of(c.start + mk.start)));
                }
            }
        }
        let layer = &mut report.layers[i];
        for (name, line) in &missing {
            layer.problems.push(
                Problem::new(
                    "missing-signature",
                    format!("layer {i} is signed \"(Signed) {name}\" but carries no signature of {name}"),
                )
                .lines(vec![[*line, *line]]),
            );
        }
        if covered_by.is_empty() {
            let whole = if m.is_empty() {
                c.clone()
            } else {
                m.start..c.end
            };
            let lines = span_lines(&doc, &whole);
            uncovered.extend(lines.iter().copied());
            // An empty layer that nothing signs is reported too: otherwise a signature file whose
            // only layer is empty and unsigned would answer `valid` with nothing signed at all
            // (fuzz/findings/parse_document-unsigned-valid), and an empty unsigned layer would
            // present a chain as longer than the one signed. A layer awaiting a signature (a
            // "(Signed)" name without one, or a genuine signature by an unknown key) is
            // undecided rather than uncovered.
            if missing.is_empty() && !pending && !claimed {
                layer.problems.push(
                    Problem::new(
                        "uncovered-text",
                        if whole.is_empty() {
                            format!("layer {i} is empty and no signature covers it: nothing in it or above it is signed")
                        } else {
                            format!("no signature covers layer {i}: neither it nor any layer above it is signed")
                        },
                    )
                    .lines(lines),
                );
            }
        }
        // Checks for the human report.
        let content_ok = !content_changed[i];
        layer.checks.push(Check {
            check: "content",
            outcome: if content_ok { "ok" } else { "fail" },
            detail: if content_ok {
                format!(
                    "text matches the signed hash ({} line{})",
                    rec.content.leaves.len(),
                    if rec.content.leaves.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                )
            } else {
                "text differs from the signed text".to_owned()
            },
        });
        if i > 0 {
            layer.checks.push(Check {
                check: "markers",
                outcome: if markers_changed[i] { "fail" } else { "ok" },
                detail: if markers_changed[i] {
                    "container markers differ from those signed by the layer above".to_owned()
                } else if rec.markers.bytes == 0 {
                    "no container heading (kind by depth)".to_owned()
                } else if valid_signed[i - 1] {
                    format!("container heading as signed by layer {}", i - 1)
                } else if let Some(k) = valid_above.iter().rev().find(|&&k| k < i) {
                    format!("container heading as recorded; covered by the signature of layer {k}")
                } else {
                    "container heading as recorded; no valid signature covers it".to_owned()
                },
            });
        }
        if i + 1 < n {
            let ok = !changed_at_or_below[i + 1];
            layer.checks.push(Check {
                check: "chain",
                outcome: if ok { "ok" } else { "fail" },
                detail: if ok {
                    format!("layer {} beneath is as signed", i + 1)
                } else {
                    format!("a layer beneath (from layer {}) changed", i + 1)
                },
            });
        }
        let _ = (&actual_markers, &actual_chain);
        layer.checks.push(Check {
            check: "coverage",
            outcome: if !covered_by.is_empty() {
                "ok"
            } else if !missing.is_empty() || pending {
                "unknown"
            } else {
                "fail"
            },
            detail: if covered_by.is_empty() {
                if missing.is_empty() && pending {
                    "covered only by a signature that cannot be decided (unknown key)".to_owned()
                } else if missing.is_empty() && claimed {
                    "no valid signature covers this layer (see the signatures' problems)".to_owned()
                } else if missing.is_empty() {
                    "no signature covers this layer".to_owned()
                } else {
                    format!(
                        "awaiting the signature of {}",
                        missing
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            } else {
                format!(
                    "covered by the signature{} of layer{} {}{}",
                    if valid_above.len() == 1 { "" } else { "s" },
                    if valid_above.len() == 1 { "" } else { "s" },
                    if valid_above.len() > covered_by.len() {
                        format!("{} more, ", valid_above.len() - covered_by.len())
                    } else {
                        String::new()
                    },
                    covered_by
                        .iter()
                        .map(|k| k.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        });
    }

    // Publication header: the grammar alone decides, never the parser (FORMAT.md §9.2).
    if header_end > 0 {
        let htext = &text[..header_end];
        if let Some((a, b)) = doc.original_span(0, header_end) {
            let refusal = crate::header::check_header(htext).err();
            let accepted = refusal.is_none();
            report.header = Some(HeaderReport {
                lines: [a, b],
                accepted,
            });
            uncovered.push([a, b]);
            if accepted {
                report.warnings.push(
                    Problem::new(
                        "uncovered-header",
                        "the publication header is covered by no signature (it was added by the publisher)",
                    )
                    .lines(vec![[a, b]]),
                );
            } else {
                let why = refusal.map(|r| {
                    let at = crate::header::refusal_line(&r)
                        .and_then(|k| {
                            // Line k of the header (1-based, blank lines counted) in the original.
                            let start = htext
                                .split_inclusive('\n')
                                .take(k.saturating_sub(1))
                                .map(str::len)
                                .sum::<usize>();
                            (start < header_end).then(|| doc.original_line_of(start))
                        })
                        .map(|l| format!(" (line {l})"))
                        .unwrap_or_default();
                    format!("{r}{at}")
                });
                report.problems.push(
                    Problem::new(
                        "uncovered-text",
                        format!(
                            "text before the outermost layer is covered by no signature and is not a publication header: {}",
                            why.unwrap_or_default()
                        ),
                    )
                    .lines(vec![[a, b]]),
                );
            }
        }
    }
    for r in &added_ranges {
        uncovered.extend(span_lines(&doc, r));
    }
    // Container markers are signed by the layer above (its signer added them).
    for (above, (markers, _)) in report.layers.iter().zip(spans.iter().skip(1)) {
        if above.covered_by.is_empty() && !markers.is_empty() {
            uncovered.extend(span_lines(&doc, markers));
        }
    }
    report.layout = Some(Layout {
        header_end,
        layers: spans.clone(),
        added: added_ranges.clone(),
    });
    report.uncovered_lines = merge_ranges(uncovered);

    // Invisible characters in signed text.
    let mut inv = Vec::new();
    for (m, c) in &spans {
        inv.extend(canonical::find_invisible(&doc, m.start.min(c.start), c.end));
    }
    if !inv.is_empty() {
        let lines = merge_ranges(inv.iter().map(|f| [f.line, f.line]).collect());
        let list: Vec<String> = inv
            .iter()
            .take(20)
            .map(|f| {
                format!(
                    "line {} column {}: {} {}",
                    f.line, f.column, f.code_point, f.name
                )
            })
            .collect();
        report.warnings.push(
            Problem::new(
                "invisible-characters",
                format!(
                    "invisible or bidirectional control characters in signed text: {}{}",
                    list.join("; "),
                    if inv.len() > 20 { " …" } else { "" }
                ),
            )
            .lines(lines),
        );
    }

    // Text a Markdown reader does not see, in signed parts (FORMAT.md §9.4).
    let signed_from = spans
        .iter()
        .map(|(m, c)| m.start.min(c.start))
        .min()
        .unwrap_or(text.len());
    let hidden: Vec<crate::hidden::Hidden> = crate::hidden::find_hidden(text)
        .into_iter()
        .filter(|h| h.range.end > signed_from)
        .collect();
    if !hidden.is_empty() {
        let lines = merge_ranges(
            hidden
                .iter()
                .filter_map(|h| doc.original_span(h.range.start, h.range.end))
                .map(|(a, b)| [a, b])
                .collect(),
        );
        report.warnings.push(
            Problem::new(
                "hidden-text",
                format!(
                    "signed text a Markdown reader does not see (comments, raw HTML, link reference definitions): {}",
                    crate::hidden::describe(&hidden, &doc)
                ),
            )
            .lines(lines),
        );
    }
    // Lines that read as "(Signed)" lines but hold no signature mark (FORMAT.md §6.6).
    for (i, (m, c)) in spans.iter().enumerate() {
        let mut lines: Vec<[u32; 2]> = Vec::new();
        for r in [m, c] {
            for off in identity::look_alike_lines(&text[r.clone()]) {
                let l = doc.original_line_of(r.start + off);
                lines.push([l, l]);
            }
        }
        if !lines.is_empty() {
            let lines = merge_ranges(lines);
            report.layers[i].problems.push(
                Problem::new(
                    "signature-look-alike",
                    format!(
                        "layer {i} has a line that reads as a \"(Signed)\" line but is no signature mark (escaped, encoded, disguised, or in the middle of a sentence): it shows a signature nobody made"
                    ),
                )
                .lines(lines),
            );
        }
    }
    if !ambiguous_chars.is_empty() {
        report.problems.push(
            Problem::new(
                "ambiguous-character",
                "a character the canonical text equates with markup a Markdown reader sees differently (U+1FEF GREEK VARIA as a backtick, U+037E as a semicolon, U+0338 after <, = or >): the document does not read as it was signed",
            )
            .lines(merge_ranges(
                ambiguous_chars.iter().map(|&l| [l, l]).collect(),
            )),
        );
    }
    if !ambiguous_blank.is_empty() {
        report.problems.push(
            Problem::new(
                "ambiguous-blank-line",
                format!(
                    "{} line{} of only non-breaking or ideographic spaces: blank to the canonical text, but not to a Markdown reader (paragraphs merge), so the document does not read as it was signed",
                    ambiguous_blank.len(),
                    if ambiguous_blank.len() == 1 { "" } else { "s" }
                ),
            )
            .lines(merge_ranges(
                ambiguous_blank.iter().map(|&l| [l, l]).collect(),
            )),
        );
    }

    // Parser agreement: advice only.
    if !opts.skip_parser_check {
        let s = crate::parser::propose_boundaries(&doc);
        let proposed: Vec<usize> = s.layers.iter().map(|l| l.start).collect();
        let recorded: Vec<usize> = spans
            .iter()
            .map(|(m, c)| if m.is_empty() { c.start } else { m.start })
            .collect();
        if proposed != recorded {
            report.advice.push(Problem::new(
                "parser-disagrees",
                format!(
                    "today's parser reads {} layer{} {}; the signature file records {} (verification uses the recorded boundaries)",
                    s.layers.len(),
                    if s.layers.len() == 1 { "" } else { "s" },
                    if s.layers.len() == n { "with other boundaries" } else { "" },
                    n
                ),
            ));
        }
    }

    // Layer statuses and the verdict.
    let mut any_invalid = !report.problems.is_empty();
    let mut any_indeterminate = false;
    for l in &mut report.layers {
        let fail = l.problems.iter().any(|p| p.code != "missing-signature")
            || l.signatures.iter().any(|s| s.status == SigStatus::Invalid);
        let unknown = l.problems.iter().any(|p| p.code == "missing-signature")
            || l.signatures
                .iter()
                .any(|s| s.status == SigStatus::Indeterminate);
        l.status = if fail {
            LayerStatus::Invalid
        } else if unknown {
            LayerStatus::Indeterminate
        } else if l.signatures.is_empty() {
            LayerStatus::Unsigned
        } else {
            LayerStatus::Valid
        };
        any_invalid |= fail;
        any_indeterminate |= unknown;
        for c in &mut l.checks {
            let _ = c;
        }
    }
    if opts.strict && !report.warnings.is_empty() {
        any_invalid = true;
    }
    // Defence in depth: `valid` always rests on at least one good signature.
    let any_valid_signature = report
        .layers
        .iter()
        .any(|l| l.signatures.iter().any(|s| s.status == SigStatus::Valid));
    let records = file
        .layers
        .iter()
        .map(|l| l.signatures.len())
        .sum::<usize>();
    if records == 0 {
        report.problems.push(Problem::new(
            "no-signature",
            "the signature file carries no signature at all: nothing in this document is signed",
        ));
        any_invalid = true;
    } else if !any_invalid && !any_indeterminate && !any_valid_signature {
        report.problems.push(Problem::new(
            "no-signature",
            "the signature file carries no valid signature: nothing in this document is signed",
        ));
        any_invalid = true;
    }
    report.verdict = if any_invalid {
        Verdict::Invalid
    } else if any_indeterminate {
        Verdict::Indeterminate
    } else {
        Verdict::Valid
    };
    report
}
