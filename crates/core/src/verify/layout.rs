//! Where each recorded part lies in the document, and what changed: the exact layout from the
//! end of the canonical text when every root matches, else an alignment of the signed lines with
//! the document ([`crate::diff::align`]) that names the lines changed, added or removed and the layers
//! missing, moved or duplicated (docs/FORMAT.md §3, §9.1).

use super::codes::ProblemCode;
use super::report::{merge_ranges, span_lines, LayerReport, Problem};
use super::MAX_PINPOINT_LINES;
use crate::diff::align::{self, Change, ChangeKind as K};
use crate::format::canonical::CanonicalText;
use crate::format::chain::{layout_from_end, PartLengths};
use crate::format::merkle::{content_root, Hash};
use crate::format::sigfile::{PartRecord, SignatureFile};
use crate::parse::identity;
use std::ops::Range;

/// Per layer: (markers range, content range) in the canonical text.
pub(crate) type Spans = Vec<(Range<usize>, Range<usize>)>;

/// The parts located in the document, and the changes found while locating them.
#[derive(Debug)]
pub(crate) struct Located {
    /// Per layer: (markers, content) ranges.
    pub spans: Spans,
    /// End of the publication header.
    pub header_end: usize,
    /// Per layer: whether its content was found changed.
    pub content_changed: Vec<bool>,
    /// Per layer: whether its container markers were found changed.
    pub markers_changed: Vec<bool>,
    /// Text found outside every signed part (inserted or duplicated).
    pub added_ranges: Vec<Range<usize>>,
    /// Per layer: the problems found by the alignment.
    pub layer_problems: Vec<Vec<Problem>>,
    /// Per layer: the actual (content, markers) roots.
    pub content_roots: Vec<Hash>,
    /// Per layer: the actual markers roots.
    pub markers_roots: Vec<Hash>,
}

/// Lays the recorded parts out from the end of the text; if any root differs there, aligns the
/// signed lines with the document. Advice (`pinpointing-limited`) goes to `advice`.
pub(crate) fn locate(
    doc: &CanonicalText,
    file: &SignatureFile,
    advice: &mut Vec<Problem>,
) -> Located {
    let text = doc.as_str();
    let n = file.layers.len();
    let lengths: Vec<PartLengths> = file
        .layers
        .iter()
        .map(|l| PartLengths {
            markers: l.markers.bytes,
            content: l.content.bytes,
        })
        .collect();
    let mut located = Located {
        spans: Vec::with_capacity(n),
        header_end: 0,
        content_changed: vec![false; n],
        markers_changed: vec![false; n],
        added_ranges: Vec::new(),
        layer_problems: vec![Vec::new(); n],
        content_roots: Vec::new(),
        markers_roots: Vec::new(),
    };
    if let Some(layout) = layout_from_end(text, &lengths) {
        located.spans = layout
            .layers
            .iter()
            .map(|&(s, c, e)| (s..c, c..e))
            .collect();
        located.header_end = layout.header_end;
        // Roots where the exact layout puts the parts: when the layout holds they are the actual
        // roots, and each part is hashed once.
        let (content, markers) = part_roots(text, &located.spans);
        let exact = file
            .layers
            .iter()
            .zip(content.iter().zip(&markers))
            .all(|(rec, (c, m))| *c == rec.content.root && *m == rec.markers.root);
        if exact {
            located.content_roots = content;
            located.markers_roots = markers;
            return located;
        }
    }
    pinpoint(doc, file, &mut located, advice);
    let (content, markers) = part_roots(text, &located.spans);
    for (i, rec) in file.layers.iter().enumerate() {
        if content[i] != rec.content.root {
            located.content_changed[i] = true;
        }
        if i > 0 && markers[i] != rec.markers.root {
            located.markers_changed[i] = true;
        }
    }
    located.content_roots = content;
    located.markers_roots = markers;
    located
}

/// Aligns the signed lines with the document and turns each change into a problem of its layer.
fn pinpoint(
    doc: &CanonicalText,
    file: &SignatureFile,
    located: &mut Located,
    advice: &mut Vec<Problem>,
) {
    let text = doc.as_str();
    let n = file.layers.len();
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
        advice.push(Problem::new(
            ProblemCode::PinpointingLimited,
            format!(
                "the document and its signature file hold more than {MAX_PINPOINT_LINES} lines in all: changes are named by layer, not by line"
            ),
        ));
        let end = text.len();
        let spans = &located.spans;
        align::Diagnosis {
            spans: if spans.len() == n {
                spans
                    .iter()
                    .flat_map(|(m, c)| [m.clone(), c.clone()])
                    .collect()
            } else {
                vec![end..end; 2 * n]
            },
            prefix_end: if spans.len() == n {
                located.header_end
            } else {
                end
            },
            changes: Vec::new(),
            incomplete: Vec::new(),
        }
    } else {
        align::diagnose(text, &parts)
    };
    // Pinpointing is bounded by fixed work limits (docs/SECURITY.md, "Bounds"): when one is
    // reached the changes are still all reported, in larger hunks; the verdict never depends
    // on it.
    for limit in &d.incomplete {
        advice.push(Problem::new(
            ProblemCode::PinpointingLimited,
            limit.describe(),
        ));
    }
    located.header_end = d.prefix_end;
    located.spans = (0..n)
        .map(|i| (d.spans[2 * i].clone(), d.spans[2 * i + 1].clone()))
        .collect();
    // Make layer 0's markers empty at its content start.
    if let Some(first) = located.spans.first_mut() {
        first.0 = first.1.start..first.1.start;
    }
    for c in &d.changes {
        let layer = c.part / 2;
        let is_markers = c.part % 2 == 0;
        if matches!(c.kind, K::Added | K::Duplicated) {
            located.added_ranges.push(c.doc.clone());
        }
        if is_markers {
            located.markers_changed[layer] = true;
        } else {
            located.content_changed[layer] = true;
        }
        // Markers belong to the layer above (its author added them and signed them).
        let target = if is_markers {
            layer.saturating_sub(1)
        } else {
            layer
        };
        let p = change_problem(doc, file, c);
        located.layer_problems[target].push(p);
    }
}

/// The problem a change of the alignment reports: its code, message, lines and found text.
fn change_problem(doc: &CanonicalText, file: &SignatureFile, c: &Change) -> Problem {
    let text = doc.as_str();
    let layer = c.part / 2;
    let is_markers = c.part % 2 == 0;
    let at_line = if c.doc.is_empty() {
        let l = doc.original_line_of(c.doc.start.min(text.len().saturating_sub(1)));
        vec![[l, l]]
    } else {
        span_lines(doc, &c.doc)
    };
    let what = if is_markers {
        format!("the container markers of layer {layer}")
    } else {
        format!("layer {layer} ({})", file.layers[layer].kind)
    };
    let nleaves = c.signed_leaves.len();
    let plural = if nleaves == 1 { "" } else { "s" };
    let (code, msg) = match c.kind {
        K::Changed => (
            if is_markers {
                ProblemCode::MarkersChanged
            } else {
                ProblemCode::ContentChanged
            },
            format!("{what}: {nleaves} signed line{plural} changed"),
        ),
        K::Added => {
            let injected = !identity::signature_marks(&text[c.doc.clone()]).is_empty()
                || starts_with_heading(&text[c.doc.clone()]);
            if injected {
                (
                    ProblemCode::LayerAdded,
                    format!("text that reads as an extra layer (a heading or a \"(Signed)\" line) was inserted after {what}; no signature covers it"),
                )
            } else {
                (
                    ProblemCode::LinesAdded,
                    format!("unsigned text was added to {what}"),
                )
            }
        }
        K::Removed => (
            ProblemCode::LinesRemoved,
            format!(
                "{nleaves} signed line{plural} of {what} {} missing",
                if nleaves == 1 { "is" } else { "are" }
            ),
        ),
        K::PartMissing => (
            if is_markers {
                ProblemCode::MarkersChanged
            } else {
                ProblemCode::LayerMissing
            },
            format!("{what} is missing from the document (stripped)"),
        ),
        K::PartMoved => (
            ProblemCode::LayersReordered,
            format!("{what} is not where it was signed: it was moved"),
        ),
        K::Duplicated => (
            ProblemCode::LayerAdded,
            format!("signed text of {what} appears a second time (duplicated)"),
        ),
    };
    let mut p = Problem::new(code, msg).lines(at_line);
    if matches!(c.kind, K::Changed | K::Added) && !c.doc.is_empty() {
        p.found_text = text.get(c.doc.clone()).map(|s| truncate(s, 2000));
    }
    p
}

/// Changes the alignment did not pinpoint (e.g. a length-preserving edit in a flattened line):
/// a changed layer with no problem saying how is `content-changed`; changed markers with none
/// are `markers-changed` on the layer above.
pub(crate) fn unpinpointed(doc: &CanonicalText, file: &SignatureFile, located: &mut Located) {
    const SAYS_HOW: [ProblemCode; 6] = [
        ProblemCode::ContentChanged,
        ProblemCode::LinesAdded,
        ProblemCode::LinesRemoved,
        ProblemCode::LayerMissing,
        ProblemCode::LayersReordered,
        ProblemCode::LayerAdded,
    ];
    for i in 0..file.layers.len() {
        let problems = &located.layer_problems;
        if located.content_changed[i] && !problems[i].iter().any(|p| SAYS_HOW.contains(&p.code)) {
            located.layer_problems[i].push(
                Problem::new(
                    ProblemCode::ContentChanged,
                    format!(
                        "layer {i} ({}): its text differs from the signed text",
                        file.layers[i].kind
                    ),
                )
                .lines(span_lines(doc, &located.spans[i].1)),
            );
        }
        if i > 0
            && located.markers_changed[i]
            && !located.layer_problems[i - 1]
                .iter()
                .any(|p| p.code == ProblemCode::MarkersChanged)
        {
            located.layer_problems[i - 1].push(
                Problem::new(
                    ProblemCode::MarkersChanged,
                    format!("the container markers of layer {i} differ from the signed ones"),
                )
                .lines(span_lines(doc, &located.spans[i].0)),
            );
        }
    }
}

/// `inner-layer-changed` on each signed layer above a changed one: its signatures no longer cover
/// the document. Each names the nearest changed layer beneath it and how many more there are,
/// with at most a few line ranges: the report stays linear in the number of layers
/// (docs/SECURITY.md, "Bounds"); the changed layers carry their own problems with every line.
pub(crate) fn inner_changes(
    file: &SignatureFile,
    content_changed: &[bool],
    markers_changed: &[bool],
    layers: &mut [LayerReport],
) {
    let mut nearest_changed: Option<usize> = None;
    let mut changed_beneath = 0usize;
    for i in (0..file.layers.len()).rev() {
        if let Some(k) = nearest_changed {
            if !file.layers[i].signatures.is_empty() {
                let mut lines: Vec<[u32; 2]> = layers[k]
                    .problems
                    .iter()
                    .flat_map(|p| p.lines.iter().copied())
                    .take(64)
                    .collect();
                lines = merge_ranges(lines);
                lines.truncate(8);
                let more = changed_beneath - 1;
                let sigs = file.layers[i].signatures.len();
                layers[i].problems.push(
                    Problem::new(
                        ProblemCode::InnerLayerChanged,
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

/// Whether inserted text starts like a new layer's heading (Annex, Enclosure, Appendix).
fn starts_with_heading(s: &str) -> bool {
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#'));
    let word: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
    matches!(
        word.to_lowercase().as_str(),
        "annex" | "enclosure" | "appendix"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::canonical::canonicalize;
    use crate::verify::testutil;

    #[test]
    fn an_intact_document_lies_exactly_where_the_file_says() {
        let text = "Header\n\nLetter\n\n(Signed) Ann Lee\n";
        let file = testutil::unsigned_file("Letter\n\n(Signed) Ann Lee\n");
        let doc = canonicalize(text.as_bytes()).unwrap();
        let mut advice = Vec::new();
        let l = locate(&doc, &file, &mut advice);
        assert_eq!(l.header_end, 8);
        assert_eq!(l.spans, vec![(8..8, 8..text.len())]);
        assert_eq!(l.content_changed, [false]);
        assert!(l.layer_problems[0].is_empty() && advice.is_empty());
    }

    #[test]
    fn a_changed_line_is_pinpointed_with_the_text_found() {
        let file = testutil::unsigned_file("Letter\n\nWe agree.\n\n(Signed) Ann Lee\n");
        let doc = canonicalize(b"Letter\n\nWe disagree.\n\n(Signed) Ann Lee\n").unwrap();
        let mut l = locate(&doc, &file, &mut Vec::new());
        unpinpointed(&doc, &file, &mut l);
        assert_eq!(l.content_changed, [true]);
        let p = &l.layer_problems[0];
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].code, ProblemCode::ContentChanged);
        assert_eq!(p[0].lines, vec![[3, 3]]);
        assert_eq!(p[0].found_text.as_deref(), Some("We disagree.\n\n"));
    }

    #[test]
    fn inserted_text_that_reads_as_a_layer_is_layer_added() {
        assert!(starts_with_heading("**Annex**\n"));
        assert!(starts_with_heading("## Enclosure 2"));
        assert!(!starts_with_heading("Annexation is\n"));
        assert_eq!(truncate("éé", 3), "é…");
    }
}
