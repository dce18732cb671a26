//! Pinpointing: align the signed leaves of every part with the leaves of a document.
//!
//! When a document no longer matches its signature file, "bad" is not an answer. The signature file
//! carries the leaf hashes of every part (authenticated: their Merkle root is the signed root), so
//! the verifier can diff the *signed* sequence of leaves against the document's leaves (Myers diff
//! on hashes) and say, per part, which lines changed, were added or were removed, whether a whole
//! layer is missing, moved or duplicated, and where each part now lies. This module only runs when
//! the exact layout (parts measured from the end) does not match: valid documents never pay for it.

use crate::merkle::{leaf_hash, leaf_ranges, Hash};
use crate::sigfile::PartRecord;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// What happened to some leaves of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Signed leaves replaced by other text.
    Changed,
    /// Text that was not signed, inside or at the end of the part.
    Added,
    /// Signed leaves that are gone.
    Removed,
    /// Every leaf of the part is gone.
    PartMissing,
    /// The part's leaves all appear, but somewhere else in the order.
    PartMoved,
    /// Signed leaves of some part appear a second time.
    Duplicated,
}

/// One finding of the alignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Index of the part (in the order given to [`diagnose`]).
    pub part: usize,
    /// What happened.
    pub kind: ChangeKind,
    /// Canonical byte range in the document (empty for removals: where the text was).
    pub doc: Range<usize>,
    /// Indices of the signed leaves concerned (in the part's own leaf list).
    pub signed_leaves: Range<usize>,
}

/// Result of [`diagnose`].
#[derive(Debug, Clone, Default)]
pub struct Diagnosis {
    /// Where each part now lies in the document (canonical byte range; empty if it is gone).
    pub spans: Vec<Range<usize>>,
    /// Where the first part starts (text before it is in the publication header's place).
    pub prefix_end: usize,
    /// The findings.
    pub changes: Vec<Change>,
}

/// Align `parts` (in document order) with canonical `text`.
pub fn diagnose(text: &str, parts: &[&PartRecord]) -> Diagnosis {
    // Expected sequence: every signed leaf with its part and index within the part.
    let mut expected: Vec<Hash> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        for (k, h) in part.leaves.iter().enumerate() {
            expected.push(*h);
            owner.push((p, k));
        }
    }
    let known: HashSet<Hash> = expected.iter().copied().collect();
    // Leaves that end inside a line (run-in headings, flattened text), with their lengths.
    let mut midline: Vec<(usize, Hash)> = parts
        .iter()
        .filter(|p| p.tail > 0)
        .filter_map(|p| Some((usize::try_from(p.tail).ok()?, *p.leaves.last()?)))
        .collect();
    midline.sort();
    midline.dedup();

    // Document leaves, split further where a signed mid-line leaf is a prefix of a line. A leaf
    // that matches a signed leaf only once its paragraph break is added or removed (text appended
    // after a last line, a paragraph removed after it) takes that signed leaf's identity, so that
    // the diff names the real change instead of the line next to it.
    let mut doc: Vec<(Range<usize>, Hash)> = Vec::new();
    let bytes = text.as_bytes();
    let mut break_changed: Vec<usize> = Vec::new();
    for r in leaf_ranges(text) {
        let mut start = r.start;
        'peel: loop {
            let h = leaf_hash(&bytes[start..r.end]);
            if known.contains(&h) {
                doc.push((start..r.end, h));
                break;
            }
            let leaf = &bytes[start..r.end];
            let variant = if leaf.ends_with(b"\n\n") {
                Some(leaf_hash(&leaf[..leaf.len() - 1]))
            } else if leaf.ends_with(b"\n") {
                let mut v = leaf.to_vec();
                v.push(b'\n');
                Some(leaf_hash(&v))
            } else {
                None
            };
            if let Some(v) = variant.filter(|v| known.contains(v)) {
                break_changed.push(doc.len());
                doc.push((start..r.end, v));
                break;
            }
            for &(len, want) in &midline {
                let cut = start + len;
                if cut < r.end
                    && text.is_char_boundary(cut)
                    && leaf_hash(&bytes[start..cut]) == want
                {
                    doc.push((start..cut, want));
                    start = cut;
                    continue 'peel;
                }
            }
            doc.push((start..r.end, h));
            break;
        }
    }
    let doc_hashes: Vec<Hash> = doc.iter().map(|(_, h)| *h).collect();

    // Myers diff of the two hash sequences.
    // Myers is O((N+M)·D); a deadline bounds hostile inputs (after it, the diff is coarser but
    // still correct: every difference is still reported, just in larger hunks).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &expected,
        &doc_hashes,
        Some(deadline),
    );
    let mut matched_doc: Vec<Option<usize>> = vec![None; doc.len()];
    let mut matched_exp: Vec<Option<usize>> = vec![None; expected.len()];
    struct Hunk {
        old: Range<usize>,
        new: Range<usize>,
    }
    let mut hunks: Vec<Hunk> = Vec::new();
    for op in &ops {
        match *op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    matched_exp[old_index + i] = Some(new_index + i);
                    matched_doc[new_index + i] = Some(old_index + i);
                }
            }
            similar::DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => hunks.push(Hunk {
                old: old_index..old_index + old_len,
                new: new_index..new_index,
            }),
            similar::DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => hunks.push(Hunk {
                old: old_index..old_index,
                new: new_index..new_index + new_len,
            }),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => hunks.push(Hunk {
                old: old_index..old_index + old_len,
                new: new_index..new_index + new_len,
            }),
        }
    }

    // Attribute every document leaf to a part: matched leaves to their own part, unmatched ones to
    // the part of the nearest matched leaf before them (text inserted after a part extends it, as
    // the layout from the end would see it), or to the first part's prefix when none precedes.
    let mut doc_part: Vec<Option<usize>> = vec![None; doc.len()];
    let mut last_part: Option<usize> = None;
    for (i, m) in matched_doc.iter().enumerate() {
        if let Some(e) = m {
            last_part = Some(owner[*e].0);
        }
        doc_part[i] = last_part;
    }
    // Part a hunk belongs to: the part of its first old leaf, else of the matched leaf before it.
    let hunk_part = |h: &Hunk| -> Option<usize> {
        if h.old.start < h.old.end {
            Some(owner[h.old.start].0)
        } else if h.old.start > 0 {
            Some(owner[h.old.start - 1].0)
        } else {
            None
        }
    };

    // Where each part lies: the range of document leaves attributed to it.
    let mut spans: Vec<Option<Range<usize>>> = vec![None; parts.len()];
    for (i, p) in doc_part.iter().enumerate() {
        if let Some(p) = *p {
            let r = &doc[i].0;
            spans[p] = Some(match spans[p].take() {
                None => r.clone(),
                Some(s) => s.start.min(r.start)..s.end.max(r.end),
            });
        }
    }
    let prefix_end = doc
        .iter()
        .zip(&doc_part)
        .find(|(_, p)| p.is_some())
        .map(|((r, _), _)| r.start)
        .unwrap_or(text.len());

    // Hashes of removed leaves and of inserted document leaves, to recognise moves.
    let mut changes = Vec::new();
    let removed_hashes: HashMap<Hash, usize> = hunks
        .iter()
        .flat_map(|h| h.old.clone())
        .map(|e| (expected[e], e))
        .collect();
    let inserted_hashes: HashSet<Hash> = hunks
        .iter()
        .flat_map(|h| h.new.clone())
        .map(|d| doc_hashes[d])
        .collect();

    // Whole parts that are gone (every leaf unmatched).
    let mut whole_part_gone = vec![false; parts.len()];
    for (p, part) in parts.iter().enumerate() {
        if part.leaves.is_empty() {
            continue;
        }
        let gone = owner
            .iter()
            .enumerate()
            .filter(|(_, (q, _))| *q == p)
            .all(|(e, _)| matched_exp[e].is_none());
        if gone {
            whole_part_gone[p] = true;
            let moved = part.leaves.iter().all(|h| inserted_hashes.contains(h));
            let doc_range = if moved {
                // Where the moved copy now is.
                let idx: Vec<usize> = (0..doc.len())
                    .filter(|&d| matched_doc[d].is_none() && part.leaves.contains(&doc_hashes[d]))
                    .collect();
                match (idx.first(), idx.last()) {
                    (Some(&a), Some(&b)) => doc[a].0.start..doc[b].0.end,
                    _ => 0..0,
                }
            } else {
                let at = position_of_removal(&owner, &matched_exp, &doc, p, text.len());
                at..at
            };
            changes.push(Change {
                part: p,
                kind: if moved {
                    ChangeKind::PartMoved
                } else {
                    ChangeKind::PartMissing
                },
                doc: doc_range,
                signed_leaves: 0..part.leaves.len(),
            });
        }
    }

    for h in &hunks {
        let removed: Vec<usize> = h.old.clone().collect();
        let inserted: Vec<usize> = h.new.clone().collect();
        let part = hunk_part(h);
        // Removed leaves, split by part, skipping parts reported as wholly gone.
        let mut by_part: Vec<(usize, Range<usize>)> = Vec::new();
        for e in &removed {
            let (p, k) = owner[*e];
            match by_part.last_mut() {
                Some((q, r)) if *q == p && r.end == k => r.end = k + 1,
                _ => by_part.push((p, k..k + 1)),
            }
        }
        let doc_range = match (inserted.first(), inserted.last()) {
            (Some(&a), Some(&b)) => doc[a].0.start..doc[b].0.end,
            _ => {
                let at = if h.new.start < doc.len() {
                    doc[h.new.start].0.start
                } else {
                    text.len()
                };
                at..at
            }
        };
        // Inserted leaves that duplicate signed leaves still matched elsewhere.
        let duplicated = !inserted.is_empty()
            && inserted.iter().all(|&d| {
                known.contains(&doc_hashes[d]) && !removed_hashes.contains_key(&doc_hashes[d])
            });
        let removed_parts: Vec<&(usize, Range<usize>)> = by_part
            .iter()
            .filter(|(p, _)| !whole_part_gone[*p])
            .collect();
        let moved_in = !inserted.is_empty()
            && inserted
                .iter()
                .all(|&d| removed_hashes.contains_key(&doc_hashes[d]));
        // Leaves of a wholly moved part are reported as PartMoved; anything else that moved is
        // reported where it now is (and as removed where it was).
        let moved_whole_part = moved_in
            && inserted.iter().all(|&d| {
                removed_hashes
                    .get(&doc_hashes[d])
                    .is_some_and(|&e| whole_part_gone[owner[e].0])
            });
        if moved_whole_part && removed_parts.is_empty() {
            continue; // Reported as PartMoved.
        }
        if removed_parts.is_empty() {
            if !inserted.is_empty() {
                // Attribute the insertion to the part the document leaves were assigned to.
                let p = doc_part[h.new.start].or(part);
                if let Some(p) = p {
                    changes.push(Change {
                        part: p,
                        kind: if duplicated {
                            ChangeKind::Duplicated
                        } else {
                            ChangeKind::Added
                        },
                        doc: doc_range,
                        signed_leaves: 0..0,
                    });
                }
            }
            continue;
        }
        for (i, (p, r)) in removed_parts.iter().enumerate() {
            let kind = if inserted.is_empty() {
                ChangeKind::Removed
            } else {
                ChangeKind::Changed
            };
            changes.push(Change {
                part: *p,
                kind,
                // The inserted text goes with the first part of the hunk.
                doc: if i == 0 {
                    doc_range.clone()
                } else {
                    doc_range.end..doc_range.end
                },
                signed_leaves: r.clone(),
            });
        }
    }
    // Paragraph breaks added or removed, in parts where nothing else explains the change.
    for d in break_changed {
        if let Some(e) = matched_doc[d] {
            let (p, k) = owner[e];
            if !changes.iter().any(|c| c.part == p) {
                changes.push(Change {
                    part: p,
                    kind: ChangeKind::Changed,
                    doc: doc[d].0.clone(),
                    signed_leaves: k..k + 1,
                });
            }
        }
    }
    changes.sort_by_key(|c| (c.part, c.doc.start));

    // Parts without any attributed leaf get an empty span where they would be.
    let mut out_spans = Vec::with_capacity(parts.len());
    let mut cursor = prefix_end;
    for s in spans {
        match s {
            Some(r) => {
                cursor = r.end;
                out_spans.push(r);
            }
            None => out_spans.push(cursor..cursor),
        }
    }
    // Spans must be contiguous and increasing for the layer spans to make sense.
    for i in 1..out_spans.len() {
        if out_spans[i].start < out_spans[i - 1].end {
            let e = out_spans[i - 1].end;
            out_spans[i].start = e.min(out_spans[i].end.max(e));
            if out_spans[i].end < out_spans[i].start {
                out_spans[i].end = out_spans[i].start;
            }
        }
    }
    Diagnosis {
        spans: out_spans,
        prefix_end,
        changes,
    }
}

fn position_of_removal(
    owner: &[(usize, usize)],
    matched_exp: &[Option<usize>],
    doc: &[(Range<usize>, Hash)],
    part: usize,
    end: usize,
) -> usize {
    // The document position of the first matched leaf after the part, else the end.
    owner
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| *p > part)
        .find_map(|(e, _)| matched_exp[e])
        .map(|d| doc[d].0.start)
        .unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(texts: &[&str]) -> Vec<PartRecord> {
        texts.iter().map(|t| PartRecord::of(t)).collect()
    }

    #[test]
    fn finds_a_changed_line() {
        let p = parts(&["A\nB\n\n", "Annex\n\n", "C\nD\n"]);
        let refs: Vec<&PartRecord> = p.iter().collect();
        let doc = "H\n\nA\nB\n\nAnnex\n\nC\nX\n";
        let d = diagnose(doc, &refs);
        assert_eq!(d.prefix_end, 3);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].part, 2);
        assert_eq!(d.changes[0].kind, ChangeKind::Changed);
        assert_eq!(&doc[d.changes[0].doc.clone()], "X\n");
    }

    #[test]
    fn finds_added_and_removed_and_missing() {
        let p = parts(&["A\nB\n\n", "Annex\n\n", "C\nD\n"]);
        let refs: Vec<&PartRecord> = p.iter().collect();
        let d = diagnose("A\nB\n\nAnnex\n\nC\nD\nE\n", &refs);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].kind, ChangeKind::Added);
        assert_eq!(d.changes[0].part, 2);
        let d = diagnose("A\n\nAnnex\n\nC\nD\n", &refs);
        assert!(d
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::Removed || c.kind == ChangeKind::Changed));
        let d = diagnose("A\nB\n\n", &refs);
        assert!(d
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::PartMissing && c.part == 2));
    }

    #[test]
    fn splits_run_in_lines() {
        let p = parts(&["L\n\n", "Enclosure", "**R**\n\n1. x\n"]);
        let refs: Vec<&PartRecord> = p.iter().collect();
        let d = diagnose("L\n\nEnclosure**R**\n\n1. y\n", &refs);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].part, 2);
        assert_eq!(d.spans[1], 3..12);
    }
}
