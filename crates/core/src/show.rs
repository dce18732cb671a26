//! `show`: the text that valid signatures cover, and nothing else.
//!
//! A recipient who reads the document file reads whatever an attacker put in it; a recipient who
//! reads `show`'s output reads only text that valid, trusted signatures cover, layer by layer
//! with its signatories. Every other span (the publication header, a layer no valid signature
//! covers, inserted text) is replaced by one placeholder line naming its original lines, so the
//! reader knows something was left out and where (docs/SECURITY.md, "What `valid`
//! promises"). The text shown is the canonical text (FORMAT.md §2): exactly the bytes that were
//! hashed. Every line of signed text is printed behind a gutter (`│ `), so that signed text can
//! never pass for one of `show`'s own banners or placeholders.

use crate::format::canonical::CanonicalText;
use crate::verify::{Report, SigStatus};
use std::fmt::Write as _;
use std::ops::Range;

/// Printed before every line of signed text.
pub const GUTTER: &str = "│ ";

/// One piece of the document, in canonical-text bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Where it lies in the canonical text.
    pub range: Range<usize>,
    /// The layer it belongs to (`None` for the publication header).
    pub layer: Option<usize>,
    /// Whether a valid signature covers it.
    pub covered: bool,
}

/// Split the canonical text into covered and uncovered pieces, in document order, by the
/// verifier's layout and coverage in `report`. Empty when the report has no layout (the signature
/// file could not be used at all): then nothing is covered.
pub fn pieces(doc: &CanonicalText, report: &Report) -> Vec<Piece> {
    let len = doc.len();
    let Some(layout) = &report.layout else {
        return vec![Piece {
            range: 0..len,
            layer: None,
            covered: false,
        }];
    };
    let covered = |i: usize| {
        report
            .layers
            .get(i)
            .is_some_and(|l| !l.covered_by.is_empty())
    };
    let mut raw: Vec<Piece> = Vec::with_capacity(2 * layout.layers.len() + 1);
    raw.push(Piece {
        range: 0..layout.header_end.min(len),
        layer: None,
        covered: false,
    });
    for (i, (m, c)) in layout.layers.iter().enumerate() {
        raw.push(Piece {
            range: m.clone(),
            layer: Some(i),
            covered: i > 0 && covered(i - 1),
        });
        raw.push(Piece {
            range: c.clone(),
            layer: Some(i),
            covered: covered(i),
        });
    }
    // Inserted or duplicated text is never covered, wherever the alignment placed it.
    let mut added = layout.added.clone();
    added.sort_by_key(|r| r.start);
    let mut out: Vec<Piece> = Vec::with_capacity(raw.len());
    let mut a = 0;
    for p in raw {
        if p.range.is_empty() || p.range.end > len {
            continue;
        }
        let mut start = p.range.start;
        while a < added.len() && added[a].end <= start {
            a += 1;
        }
        let mut k = a;
        while start < p.range.end {
            match added.get(k) {
                Some(r) if r.start < p.range.end => {
                    if r.start > start {
                        out.push(Piece {
                            range: start..r.start,
                            ..p.clone()
                        });
                    }
                    let end = r.end.min(p.range.end);
                    if end > start.max(r.start) {
                        out.push(Piece {
                            range: start.max(r.start)..end,
                            layer: p.layer,
                            covered: false,
                        });
                    }
                    start = end.max(start);
                    k += 1;
                }
                _ => {
                    out.push(Piece {
                        range: start..p.range.end,
                        ..p.clone()
                    });
                    start = p.range.end;
                }
            }
        }
    }
    out
}

/// The human `show` output: the verdict line, then every covered span under a banner naming its
/// layer and signatories, and a placeholder line for every uncovered span.
pub fn render(doc: &CanonicalText, report: &Report) -> String {
    let text = doc.as_str();
    let mut out = String::with_capacity(text.len() + 256);
    let _ = writeln!(
        out,
        "{}: {} — only text covered by valid signatures is shown",
        report.verdict.as_str(),
        report.document
    );
    let mut current: Option<usize> = None;
    let mut at_line_start = true;
    let mut pending_gap: Option<Range<usize>> = None;
    let flush_gap = |out: &mut String, gap: &mut Option<Range<usize>>, at_line_start: &mut bool| {
        if let Some(g) = gap.take() {
            if !*at_line_start {
                out.push('\n');
            }
            let what = match doc.original_span(g.start, g.end) {
                Some((a, b)) if a == b => format!("line {a}"),
                Some((a, b)) => format!("lines {a}-{b}"),
                None => "text".to_owned(),
            };
            let _ = writeln!(out, "[… {what} not shown: covered by no valid signature …]");
            *at_line_start = true;
        }
    };
    for p in pieces(doc, report) {
        if !p.covered {
            pending_gap = Some(match pending_gap {
                Some(g) => g.start..p.range.end,
                None => p.range.clone(),
            });
            continue;
        }
        flush_gap(&mut out, &mut pending_gap, &mut at_line_start);
        if p.layer != current {
            current = p.layer;
            if let Some(i) = p.layer {
                if !at_line_start {
                    out.push('\n');
                }
                out.push_str(&banner(report, i));
            }
        }
        // Every line of signed text behind a gutter, so that signed text can never pass for a
        // banner or a placeholder of `show` itself.
        // Ranges come from the verifier's layout (character boundaries); `get` keeps a range that
        // is not from printing anything rather than panicking.
        let piece = text.get(p.range.clone()).unwrap_or("");
        for line in piece.split_inclusive('\n') {
            if at_line_start {
                out.push_str(GUTTER);
            }
            out.push_str(line);
            at_line_start = line.ends_with('\n');
        }
    }
    flush_gap(&mut out, &mut pending_gap, &mut at_line_start);
    if !at_line_start {
        out.push('\n');
    }
    out
}

/// The `show --json` object: the verdict and every piece in order, covered pieces with their
/// text, uncovered ones with their lines only.
pub fn to_json(doc: &CanonicalText, report: &Report) -> serde_json::Value {
    let text = doc.as_str();
    let pieces: Vec<serde_json::Value> = pieces(doc, report)
        .into_iter()
        .map(|p| {
            let lines = doc.original_span(p.range.start, p.range.end);
            serde_json::json!({
                "layer": p.layer,
                "covered": p.covered,
                "lines": lines.map(|(a, b)| [a, b]),
                "text": p.covered.then(|| text.get(p.range.clone()).unwrap_or("")),
            })
        })
        .collect();
    serde_json::json!({
        "schema": crate::schema::SHOW,
        "verdict": report.verdict,
        "codes": report.codes,
        "document": report.document,
        "pieces": pieces,
    })
}

/// `── layer 1 (annex) · signed by Jens Stoltenberg (endorses, 2017-10-18)`.
fn banner(report: &Report, i: usize) -> String {
    let Some(l) = report.layers.get(i) else {
        return String::new();
    };
    let own: Vec<String> = l
        .signatures
        .iter()
        .filter(|s| s.status == SigStatus::Valid)
        .map(|s| format!("{} ({}, {})", s.signer, s.commitment, s.signed_on))
        .collect();
    let above: Vec<String> = l
        .covered_by
        .iter()
        .filter(|&&k| k != i)
        .map(|k| k.to_string())
        .collect();
    let mut b = format!("── layer {i} ({})", l.kind.as_str());
    if !own.is_empty() {
        let _ = write!(b, " · signed by {}", own.join(", "));
    }
    if !above.is_empty() {
        let more = l.covered_by_count.saturating_sub(l.covered_by.len());
        let _ = write!(
            b,
            " · covered by the signature{} of layer{} {}{}",
            if above.len() + more == 1 { "" } else { "s" },
            if above.len() + more == 1 { "" } else { "s" },
            if more > 0 {
                format!("{more} more, ")
            } else {
                String::new()
            },
            above.join(", ")
        );
    }
    b.push('\n');
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Layout;

    fn report_with(layout: Layout, covered: &[bool]) -> Report {
        let mut r = crate::verify::verify(
            "d.md",
            b"x\n",
            "d.md.sig.json",
            b"{}",
            &crate::trust::TrustStore::empty(std::path::Path::new("keys")),
            crate::verify::Options::default(),
        )
        .unwrap();
        r.layout = Some(layout);
        r.layers = covered
            .iter()
            .enumerate()
            .map(|(i, &c)| crate::verify::LayerReport {
                index: i,
                kind: if i == 0 {
                    crate::format::chain::LayerKind::Cover
                } else {
                    crate::format::chain::LayerKind::Annex
                },
                signatories: Vec::new(),
                lines: None,
                content_sha256: String::new(),
                chain_sha256: String::new(),
                status: crate::verify::LayerStatus::Unsigned,
                covered_by: if c { vec![0] } else { Vec::new() },
                covered_by_count: usize::from(c),
                signatures: Vec::new(),
                problems: Vec::new(),
                checks: Vec::new(),
            })
            .collect();
        r
    }

    #[test]
    fn uncovered_spans_become_placeholders_and_added_text_is_cut_out() {
        let doc = crate::format::canonical::canonicalize_str("Head\n\nA1\nA2\nX\nA3\nAnnex\nB1\n");
        // header "Head\n\n" (0..6), layer 0 content "A1\nA2\nX\nA3\n" (6..17), layer 1 markers
        // "Annex\n" (17..23), content "B1\n" (23..26); "X\n" (12..14) was inserted.
        let layout = Layout {
            header_end: 6,
            layers: vec![(6..6, 6..17), (17..23, 23..26)],
            added: std::iter::once(12..14).collect(),
        };
        let out = render(&doc, &report_with(layout.clone(), &[true, true]));
        assert!(!out.contains("Head"), "{out}");
        assert!(!out.contains("X\n"), "{out}");
        assert!(out.contains("│ A1\n│ A2\n[… line 5 not shown"), "{out}");
        assert!(out.contains("[… line 1 not shown"), "{out}");
        assert!(out.contains("│ Annex\n"), "{out}");
        assert!(out.contains("│ B1\n"), "{out}");
        // Layer 0 not covered: its text and the markers it signed are hidden; layer 1 shown.
        let out = render(&doc, &report_with(layout, &[false, true]));
        assert!(!out.contains("A1"), "{out}");
        assert!(!out.contains("Annex"), "{out}");
        assert!(out.contains("B1\n"), "{out}");
        assert!(out.contains("[… lines 1-7 not shown"), "{out}");
    }
}
