//! `transmittal inspect`: the structure the parser proposes, with every layer's hashes.
//!
//! This is the view a signer checks before signing: what the tool thinks the layers are, where they
//! start and end, who signed them, and what each would hash to. It is the parser's proposal
//! (never a verdict: docs/FORMAT.md §9), shown with the evidence behind every boundary, name and date.

use crate::format::canonical::{self, CanonicalText};
use crate::format::chain::{chain_digest, Beneath};
use crate::format::dates::format_iso;
use crate::format::merkle::{content_root, leaf_ranges};
use crate::parse::parser::{self, Evidence};
use serde::Serialize;

/// The publication header as proposed.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderView {
    /// Original lines, inclusive.
    pub lines: [u32; 2],
    /// Document symbol (e.g. `S/2001/1001`).
    pub symbol: Option<String>,
    /// Publication date.
    pub date: Option<String>,
    /// Original language.
    pub original_language: Option<String>,
}

/// Where a date or a signatory of a layer comes from.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// The value (an ISO date, a name).
    pub value: String,
    /// `certain` (a "(Signed)" mark, the layer's own dated heading) or `inferred` (a date line,
    /// the date the enclosing letter gives, a heading beneath).
    pub confidence: parser::Confidence,
    /// 1-based line in the original file the value was read from.
    pub line: u32,
    /// The cue, in words.
    pub cue: String,
}

impl FindingView {
    fn of(e: &Evidence) -> Self {
        FindingView {
            value: e.value.clone(),
            confidence: e.confidence,
            line: e.line,
            cue: e.cue.clone(),
        }
    }
}

/// One proposed layer with its hashes.
#[derive(Debug, Clone, Serialize)]
pub struct LayerView {
    /// 0 = outermost.
    pub index: usize,
    /// Kind.
    pub kind: &'static str,
    /// Signatories ("(Signed)" names).
    pub signatories: Vec<String>,
    /// Letter date (ISO).
    pub date: Option<String>,
    /// Original language from "[Original: X]".
    pub original_language: Option<String>,
    /// Title (letter heading or report title).
    pub title: Option<String>,
    /// Original lines of the layer, container markers included.
    pub lines: [u32; 2],
    /// Original lines of the container markers, if any.
    pub marker_lines: Option<[u32; 2]>,
    /// Canonical byte offsets `[start, content_start, end]` (the recorded boundaries).
    pub offsets: [usize; 3],
    /// Number of leaves (lines) of its own content.
    pub leaves: usize,
    /// Merkle root of its own canonical content.
    pub content_sha256: String,
    /// Chain digest of the layer and everything beneath it.
    pub chain_sha256: String,
    /// `certain` or `inferred`: how sure the parser is of the boundary that starts this layer.
    pub confidence: parser::Confidence,
    /// The cues behind each finding.
    pub evidence: Vec<Evidence>,
    /// Where `date` comes from (`null` when there is no date).
    pub date_evidence: Option<FindingView>,
    /// Where each of `signatories` comes from, in the same order.
    pub signatory_evidence: Vec<FindingView>,
}

/// What `inspect` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// The document path as given.
    pub document: String,
    /// Canonical text profile used for the hashes.
    pub profile: &'static str,
    /// Publication header, if any.
    pub header: Option<HeaderView>,
    /// Layers, outermost first.
    pub layers: Vec<LayerView>,
    /// Lines outside every layer (the header's).
    pub uncovered_lines: Vec<[u32; 2]>,
    /// Invisible or bidirectional control characters found.
    pub invisible_characters: Vec<canonical::InvisibleChar>,
}

/// Inspect canonical text.
pub fn inspect_canonical(document: &str, doc: &CanonicalText) -> Inspection {
    let s = parser::propose(doc);
    let text = doc.as_str();
    let n = s.layers.len();
    let contents: Vec<[u8; 32]> = s
        .layers
        .iter()
        .map(|l| content_root(text.get(l.content_start..l.end).unwrap_or("")))
        .collect();
    let markers: Vec<[u8; 32]> = s
        .layers
        .iter()
        .map(|l| content_root(text.get(l.start..l.content_start).unwrap_or("")))
        .collect();
    let mut chains = vec![[0u8; 32]; n];
    for i in (0..n).rev() {
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: markers[i + 1],
            chain: chains[i + 1],
        });
        chains[i] = chain_digest(canonical::PROFILE, &contents[i], beneath.as_ref());
    }
    let span = |a: usize, b: usize| -> [u32; 2] {
        doc.original_span(a, b)
            .map(|(x, y)| [x, y])
            .unwrap_or([doc.original_line_of(a), doc.original_line_of(a)])
    };
    let header = s.header.as_ref().filter(|h| h.end > 0).map(|h| HeaderView {
        lines: span(0, h.end),
        symbol: h.symbol.clone(),
        date: h.date.map(format_iso),
        original_language: h.original_language.clone(),
    });
    let layers = s
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| LayerView {
            index: i,
            kind: l.kind.as_str(),
            signatories: l.signatories.clone(),
            date: l.date.map(format_iso),
            original_language: l.original_language.clone(),
            title: l.title.clone(),
            lines: span(l.start, l.end),
            marker_lines: (l.content_start > l.start).then(|| span(l.start, l.content_start)),
            offsets: [l.start, l.content_start, l.end],
            leaves: leaf_ranges(text.get(l.content_start..l.end).unwrap_or("")).count(),
            content_sha256: hex::encode(contents[i]),
            chain_sha256: hex::encode(chains[i]),
            confidence: l.confidence,
            evidence: l.evidence.clone(),
            date_evidence: l
                .evidence
                .iter()
                .find(|e| e.what == "date")
                .map(FindingView::of),
            signatory_evidence: l
                .evidence
                .iter()
                .filter(|e| e.what == "signatory")
                .map(FindingView::of)
                .collect(),
        })
        .collect();
    let first = s.layers.first().map(|l| l.start).unwrap_or(0);
    let uncovered_lines = doc
        .original_span(0, first)
        .map(|(a, b)| vec![[a, b]])
        .unwrap_or_default();
    Inspection {
        document: document.to_owned(),
        profile: canonical::PROFILE,
        header,
        layers,
        uncovered_lines,
        invisible_characters: canonical::find_invisible(doc, 0, doc.len()),
    }
}

/// Inspect a document's bytes.
pub fn inspect(document: &str, bytes: &[u8]) -> Result<Inspection, crate::error::InputError> {
    let doc = canonical::canonicalize(bytes)
        .map_err(|e| crate::error::with_path(e, std::path::Path::new(document)))?;
    Ok(inspect_canonical(document, &doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_signatories_carry_their_evidence() {
        let t = "New York, 12 June 1998\n\nSir,\n\nI transmit the attached letter, dated 10 June 1998 (see annex).\n\n(Signed) Kofi A. Annan\n\nAnnex\n\nText.\n\n(Signed) Richard Butler\n";
        let i = inspect("doc.md", t.as_bytes()).unwrap();
        assert_eq!(i.layers.len(), 2);
        let d0 = i.layers[0].date_evidence.as_ref().unwrap();
        assert_eq!((d0.value.as_str(), d0.line), ("1998-06-12", 1));
        assert_eq!(d0.confidence, parser::Confidence::Inferred);
        let d1 = i.layers[1].date_evidence.as_ref().unwrap();
        assert_eq!((d1.value.as_str(), d1.line), ("1998-06-10", 5));
        let s: Vec<(&str, u32)> = i.layers[1]
            .signatory_evidence
            .iter()
            .map(|f| (f.value.as_str(), f.line))
            .collect();
        assert_eq!(s, [("Richard Butler", 13)]);
        assert_eq!(
            i.layers[0].signatory_evidence[0].confidence,
            parser::Confidence::Certain
        );
        let json = serde_json::to_value(&i).unwrap();
        assert_eq!(json["layers"][0]["date_evidence"]["line"], 1);
        assert!(json["layers"][1]["signatory_evidence"].is_array());
        // No date: null evidence.
        let i = inspect("doc.md", b"Text.\n").unwrap();
        assert!(i.layers[0].date_evidence.is_none());
    }
}
