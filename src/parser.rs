//! The heuristic structure parser: proposes the publication header and the layers of a document.
//!
//! BRIEF §1: *parsing is a proposal*. Nothing here decides what is hashed or signed; `sign` records
//! the boundaries the parser proposes (after the signer has seen them) in the signature file, and
//! `verify` recomputes everything from those recorded boundaries. A better parser tomorrow can never
//! break a signature made today; at most `verify` warns that today's reading differs.
//!
//! Boundaries are canonical byte offsets (they may fall inside a line: run-in headings such as
//! `Enclosure**Report…**` and flattened PDF text); line spans are derived from them.

use crate::canonical::CanonicalText;
use crate::chain::LayerKind;
use crate::dates::Date;

/// How sure the parser is of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A heading word or a "(Signed)" mark says it.
    Certain,
    /// Derived from weaker cues (letter headings, references, depth, numbered paragraphs).
    Inferred,
}

/// Why the parser proposes something: the cue and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    /// What was found: `boundary`, `signatory`, `date`, `original_language`, `header`, `title`.
    pub what: &'static str,
    /// The value found (a name, an ISO date, a language, a heading).
    pub value: String,
    /// The cue, in words (e.g. `heading "Annex"`, `"(Signed)" mark`, `date in cover letter`).
    pub cue: String,
    /// 1-based line in the original file.
    pub line: u32,
    /// 1-based column in the canonical line.
    pub column: u32,
    /// How sure.
    pub confidence: Confidence,
}

/// The proposed publication header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProposal {
    /// Canonical byte offset where the header ends (= where layer 0 starts).
    pub end: usize,
    /// Document symbol such as `S/2001/1001`.
    pub symbol: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Original language ("Original: French").
    pub original_language: Option<String>,
}

/// One proposed layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerProposal {
    /// Kind: the document's own heading word, else by depth.
    pub kind: LayerKind,
    /// Canonical byte offset where the layer's container markers start (= end of the layer above).
    pub start: usize,
    /// Canonical byte offset where the layer's own text starts (after its markers).
    pub content_start: usize,
    /// Canonical byte offset where the layer's own text ends (= start of the next layer, or the
    /// end of the text for the innermost).
    pub end: usize,
    /// The layer's title (letter heading or report title), if found.
    pub title: Option<String>,
    /// Letter date of this layer (its own heading, or the date the enclosing letter gives for it).
    pub date: Option<Date>,
    /// Original language from an "[Original: X]" marker of this layer.
    pub original_language: Option<String>,
    /// Names after "(Signed)" marks, Markdown removed, in order.
    pub signatories: Vec<String>,
    /// How sure the parser is of the boundary that starts this layer.
    pub confidence: Confidence,
    /// The cues behind every finding.
    pub evidence: Vec<Evidence>,
}

/// The parser's reading of a whole document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Structure {
    /// The publication header, if any.
    pub header: Option<HeaderProposal>,
    /// The layers, outermost first. Never empty for a non-empty document.
    pub layers: Vec<LayerProposal>,
}

/// Propose the structure of `doc`. Never fails: a document without recognisable structure is one
/// `cover` layer.
pub fn propose(doc: &CanonicalText) -> Structure {
    let text = doc.as_str();
    Structure {
        header: None,
        layers: vec![LayerProposal {
            kind: LayerKind::Cover,
            start: 0,
            content_start: 0,
            end: text.len(),
            title: None,
            date: None,
            original_language: None,
            signatories: Vec::new(),
            confidence: Confidence::Inferred,
            evidence: Vec::new(),
        }],
    }
}
