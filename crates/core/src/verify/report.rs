//! The verification report: the verdict, the layers, the signatures, the problems, and the order
//! in which causes are listed (root causes first).

use super::codes::ProblemCode;
use crate::format::canonical::CanonicalText;
use crate::format::chain::LayerKind;
use serde::Serialize;
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
    pub code: ProblemCode,
    /// What is wrong, in plain words.
    pub message: String,
    /// Document lines concerned (1-based, inclusive ranges).
    pub lines: Vec<[u32; 2]>,
    /// For changed text: the document's current text of those lines (what is there now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_text: Option<String>,
}

impl Problem {
    pub(crate) fn new(code: ProblemCode, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            lines: Vec::new(),
            found_text: None,
        }
    }

    pub(crate) fn lines(mut self, lines: Vec<[u32; 2]>) -> Problem {
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
    pub codes: Vec<ProblemCode>,
    /// What vouched for the key: the trust store, an organisation certificate, or nothing.
    pub vouched_by: VouchedBy,
    /// The certificate path, when an organisation certificate vouched for the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateReport>,
    /// Whether the signing time the checks used is `proven` (a trusted timestamp) or `claimed`.
    pub signing_time: TimeBasis,
    /// The trusted timestamp that proves it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampReport>,
    /// How many time-stamp tokens the signature carries (valid or not).
    pub timestamps_carried: usize,
}

/// What vouched for a signature's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VouchedBy {
    /// An entry of the trust store holds the key (direct trust).
    TrustStore,
    /// An organisation certificate chaining to a root of the trust store certifies it.
    Certificate,
    /// Nothing: the key is unknown (or its certificate does not hold).
    #[serde(rename = "none")]
    Nobody,
}

/// Where the signing time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeBasis {
    /// A trusted RFC 3161 timestamp proves the signature existed then.
    Proven,
    /// Only the signer's claim.
    Claimed,
}

/// An organisation certificate that vouched for a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateReport {
    /// The signatory's certificate's subject (RFC 4514).
    pub subject: String,
    /// The trusted root's subject: "certified by …".
    pub certified_by: String,
    /// Every subject on the path, the signatory's first, the root last.
    pub chain: Vec<String>,
}

/// A trusted timestamp of a signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimestampReport {
    /// The proven time (`genTime`, UTC, RFC 3339).
    pub proven_time: String,
    /// The time-stamping authority (its certificate's subject).
    pub tsa: String,
    /// The trusted TSA root it chains to.
    pub tsa_root: String,
    /// The token's serial number (hex).
    pub serial: String,
    /// The TSA's policy (OID).
    pub policy: String,
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
    pub codes: Vec<ProblemCode>,
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

/// The identifier of the verification rules this version applies (FORMAT.md §9). Version 2
/// tightened what `valid` means (publication-header grammar, whole-name identity, coverage by
/// valid signatures only, one record per key, dates in the future); no signed byte changed.
pub const RULES: &str = "transmittal-rules-v2";

impl Report {
    /// Every problem code in the report (file-level, layers and signatures), in order.
    pub fn problem_codes(&self) -> Vec<ProblemCode> {
        let mut out: Vec<ProblemCode> = self.problems.iter().map(|p| p.code).collect();
        for l in &self.layers {
            out.extend(l.problems.iter().map(|p| p.code));
            for s in &l.signatures {
                out.extend(s.codes.iter().copied());
            }
        }
        out
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
                    .filter(move |p| p.code.is_consequence() == consequence)
                    .map(move |p| Cause::Problem(Some(l.index), p));
                let sigs = l.signatures.iter().flat_map(move |s| {
                    s.codes
                        .iter()
                        .filter(move |c| c.is_consequence() == consequence)
                        .map(move |c| Cause::Signature(l.index, s, *c))
                });
                problems.chain(sigs)
            });
            let file = self
                .problems
                .iter()
                .filter(move |p| p.code.is_consequence() == consequence)
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
}

/// One finding of [`Report::causes`].
#[derive(Debug, Clone, Copy)]
pub enum Cause<'a> {
    /// A problem of a layer (`Some(index)`) or of the whole file (`None`).
    Problem(Option<usize>, &'a Problem),
    /// A code of a signature (not valid) of the layer `index`.
    Signature(usize, &'a SignatureReport, ProblemCode),
}

impl Cause<'_> {
    /// The problem code.
    pub fn code(&self) -> ProblemCode {
        match self {
            Cause::Problem(_, p) => p.code,
            Cause::Signature(_, _, c) => *c,
        }
    }
}

impl Report {
    /// A report with no finding yet (verdict `invalid` until the checks decide it).
    pub(crate) fn empty(
        doc_name: &str,
        document_sha256: String,
        sig_name: &str,
        strict: bool,
        verified_on: Option<String>,
    ) -> Report {
        Report {
            verdict: Verdict::Invalid,
            codes: Vec::new(),
            document: doc_name.to_owned(),
            document_sha256,
            signature_file: sig_name.to_owned(),
            profile: None,
            header: None,
            layers: Vec::new(),
            uncovered_lines: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            advice: Vec::new(),
            strict,
            rules: RULES,
            verified_on,
            trust_store: None,
            layout: None,
        }
    }
}

/// The original lines of the canonical range `r` (none for a range that maps to no line).
pub(crate) fn span_lines(doc: &CanonicalText, r: &Range<usize>) -> Vec<[u32; 2]> {
    doc.original_span(r.start, r.end)
        .map(|(a, b)| vec![[a, b]])
        .unwrap_or_default()
}

/// Line ranges sorted, with overlapping and adjacent ones merged.
pub(crate) fn merge_ranges(mut v: Vec<[u32; 2]>) -> Vec<[u32; 2]> {
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

/// One line per original line number, merged into ranges.
pub(crate) fn line_ranges(lines: &[u32]) -> Vec<[u32; 2]> {
    merge_ranges(lines.iter().map(|&l| [l, l]).collect())
}

/// What the checks of one signature found: its codes, the reasons in words, and its status.
#[derive(Debug)]
pub(crate) struct Findings {
    pub codes: Vec<ProblemCode>,
    pub reasons: Vec<String>,
    pub status: SigStatus,
    /// The warnings among `codes`, with their reasons (the report lists them too).
    pub warnings: Vec<(ProblemCode, String)>,
}

impl Findings {
    pub(crate) fn new() -> Findings {
        Findings {
            codes: Vec::new(),
            reasons: Vec::new(),
            status: SigStatus::Valid,
            warnings: Vec::new(),
        }
    }

    /// A failure: the signature is invalid.
    pub(crate) fn fail(&mut self, code: ProblemCode, reason: String) {
        self.codes.push(code);
        self.reasons.push(reason);
        self.status = SigStatus::Invalid;
    }

    /// Something needed is missing: the signature is undecided unless something else failed.
    pub(crate) fn undecided(&mut self, code: ProblemCode, reason: String) {
        self.codes.push(code);
        self.reasons.push(reason);
        if self.status == SigStatus::Valid {
            self.status = SigStatus::Indeterminate;
        }
    }

    /// A warning: the code is reported (and `--strict` fails on it), the status stays.
    pub(crate) fn warn(&mut self, code: ProblemCode, reason: String) {
        self.codes.push(code);
        self.reasons.push(reason.clone());
        self.warnings.push((code, reason));
    }

    /// A note on the signature, no code.
    pub(crate) fn note(&mut self, reason: String) {
        self.reasons.push(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_when_they_overlap_or_touch() {
        assert_eq!(
            merge_ranges(vec![[7, 9], [1, 2], [3, 3], [8, 12], [20, 20]]),
            vec![[1, 3], [7, 12], [20, 20]]
        );
        assert_eq!(line_ranges(&[5, 4, 9]), vec![[4, 5], [9, 9]]);
    }

    fn problem(code: ProblemCode) -> Problem {
        Problem::new(code, "m")
    }

    #[test]
    fn causes_list_the_innermost_layer_first_and_consequences_last() {
        let mut r = Report::empty("d", String::new(), "s", false, None);
        for i in 0..2 {
            r.layers.push(LayerReport {
                index: i,
                kind: LayerKind::by_depth(i),
                signatories: Vec::new(),
                lines: None,
                content_sha256: String::new(),
                chain_sha256: String::new(),
                status: LayerStatus::Unsigned,
                covered_by: Vec::new(),
                covered_by_count: 0,
                signatures: Vec::new(),
                problems: Vec::new(),
                checks: Vec::new(),
            });
        }
        r.layers[0]
            .problems
            .push(problem(ProblemCode::InnerLayerChanged));
        r.layers[0]
            .problems
            .push(problem(ProblemCode::KindMismatch));
        r.layers[1]
            .problems
            .push(problem(ProblemCode::ContentChanged));
        r.problems.push(problem(ProblemCode::AmbiguousBlankLine));
        let codes: Vec<_> = r.causes().map(|c| c.code()).collect();
        assert_eq!(
            codes,
            [
                ProblemCode::ContentChanged,
                ProblemCode::KindMismatch,
                ProblemCode::AmbiguousBlankLine,
                ProblemCode::InnerLayerChanged
            ]
        );
        assert_eq!(
            r.root_cause().map(|c| c.code()),
            Some(ProblemCode::ContentChanged)
        );
    }
}
