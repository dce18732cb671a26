//! Pinpointing: align the signed leaves of every part with the leaves of a document.
//!
//! When a document no longer matches its signature file, "bad" is not an answer. The signature file
//! carries the leaf hashes of every part (authenticated: their Merkle root is the signed root), so
//! the verifier can diff the *signed* sequence of leaves against the document's leaves (Myers diff
//! on hashes) and say, per part, which lines changed, were added or were removed, whether a whole
//! layer is missing, moved or duplicated, and where each part now lies. This module only runs when
//! the exact layout (parts measured from the end) does not match: valid documents never pay for it.
//!
//! # Bounds
//!
//! Lookups are hash-map indexes, never scans of one sequence per element of the other. The diff is
//! exact (Myers) up to [`MAX_EXACT_LEAVES`] leaves; beyond, it is anchored on the leaves that occur
//! once on each side and exact between anchors within [`MAX_GAP_LEAVES`] and [`MAX_DIFF_WORK`].
//! Splitting lines at signed mid-line leaves hashes at most [`MAX_SPLIT_BLOCKS`] extra blocks.
//! The limits count work, not time: the answer never depends on the machine's load.

use crate::format::merkle::{leaf_hash, leaf_hasher, leaf_ranges, Hash};
use crate::format::sigfile::PartRecord;
use sha2::Digest as _;
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

/// A deterministic limit of the alignment's work that was reached. Beyond it the changes are
/// still all reported, in coarser hunks (a layer is still marked changed), never a different
/// verdict: the verdict never depends on the alignment, which only pinpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_SPLIT_BLOCKS`] of hashing spent splitting lines at signed mid-line leaves: later
    /// lines are compared whole.
    LineSplitting,
    /// [`MAX_DIFF_WORK`] spent on exact diffs between anchors, or a stretch between two anchors
    /// longer than [`MAX_GAP_LEAVES`]: such stretches are reported as one change.
    Diff,
}

impl Limit {
    /// A stable sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Limit::LineSplitting => "changes could not be pinpointed beyond the work limit for lines that end inside a signed line; later lines are compared whole",
            Limit::Diff => "changes could not be pinpointed beyond the work limit of the diff; some changes are reported as larger hunks",
        }
    }
}

/// Alignments of at most this many leaves (signed plus document) are diffed exactly, as a whole.
pub const MAX_EXACT_LEAVES: usize = 4096;
/// Beyond [`MAX_EXACT_LEAVES`], a stretch between two anchors (leaves that occur once on each
/// side) is diffed exactly only when it has at most this many leaves.
pub const MAX_GAP_LEAVES: usize = 2048;
/// Total work of the exact diffs between anchors: the sum of (leaves of the stretch)².
pub const MAX_DIFF_WORK: u64 = 1 << 26;
/// SHA-256 blocks (64 bytes) that splitting lines at signed mid-line leaves may hash, beyond the
/// first hash of every line (2^22 blocks: 256 MiB).
pub const MAX_SPLIT_BLOCKS: u64 = 1 << 22;

/// Result of [`diagnose`].
#[derive(Debug, Clone, Default)]
pub struct Diagnosis {
    /// Where each part now lies in the document (canonical byte range; empty if it is gone).
    pub spans: Vec<Range<usize>>,
    /// Where the first part starts (text before it is in the publication header's place).
    pub prefix_end: usize,
    /// The findings.
    pub changes: Vec<Change>,
    /// Work limits reached (empty normally), each at most once, in a fixed order.
    pub incomplete: Vec<Limit>,
}

/// SHA-256 blocks to hash `n` bytes.
fn blocks(n: usize) -> u64 {
    (n as u64) / 64 + 1
}

/// The document's leaves (byte range, hash), the indices of those whose paragraph break changed,
/// and whether the work limit was reached.
type DocLeaves = (Vec<(Range<usize>, Hash)>, Vec<usize>, bool);

/// Cut the document into leaves, splitting a line where a signed mid-line leaf is a prefix of it.
/// A leaf that matches a signed leaf only once its paragraph break is added or removed (text
/// appended after a last line, a paragraph removed after it) takes that signed leaf's identity,
/// so that the diff names the real change instead of the line next to it. Returns the leaves, the
/// indices of those whose paragraph break changed, and whether the work limit was reached.
fn document_leaves(
    text: &str,
    known: &HashSet<Hash>,
    midline: &[(usize, Hash)],
    mut budget: u64,
) -> DocLeaves {
    let bytes = text.as_bytes();
    // Distinct lengths of mid-line leaves, ascending, and the set of (length, hash).
    let mut lens: Vec<usize> = midline.iter().map(|&(l, _)| l).collect();
    lens.sort_unstable();
    lens.dedup();
    let wanted: HashSet<(usize, Hash)> = midline.iter().copied().collect();
    let mut limited = false;
    let mut doc: Vec<(Range<usize>, Hash)> = Vec::new();
    let mut break_changed: Vec<usize> = Vec::new();
    for r in leaf_ranges(text) {
        let mut start = r.start;
        let mut first = true;
        'peel: loop {
            let leaf = &bytes[start..r.end];
            if !first {
                budget = budget.saturating_sub(blocks(leaf.len()));
            }
            first = false;
            let h = leaf_hash(leaf);
            if known.contains(&h) {
                doc.push((start..r.end, h));
                break;
            }
            if limited {
                doc.push((start..r.end, h));
                break;
            }
            budget = budget.saturating_sub(blocks(leaf.len() + 1));
            let variant = if leaf.ends_with(b"\n\n") {
                Some(leaf_hash(&leaf[..leaf.len() - 1]))
            } else if leaf.ends_with(b"\n") {
                let mut v = leaf_hasher();
                v.update(leaf);
                v.update(b"\n");
                Some(v.finalize().into())
            } else {
                None
            };
            if let Some(v) = variant.filter(|v| known.contains(v)) {
                break_changed.push(doc.len());
                doc.push((start..r.end, v));
                break;
            }
            // Prefixes of the leaf at every mid-line length, shortest first, in one pass.
            let mut hasher = leaf_hasher();
            let mut fed = start;
            for &len in &lens {
                let cut = start + len;
                if cut >= r.end {
                    break;
                }
                if budget == 0 {
                    limited = true;
                    break;
                }
                budget = budget.saturating_sub(blocks(cut - fed));
                hasher.update(&bytes[fed..cut]);
                fed = cut;
                if !text.is_char_boundary(cut) {
                    continue;
                }
                let p: Hash = hasher.clone().finalize().into();
                if wanted.contains(&(len, p)) {
                    doc.push((start..cut, p));
                    start = cut;
                    continue 'peel;
                }
            }
            if budget == 0 {
                limited = true;
            }
            doc.push((start..r.end, h));
            break;
        }
    }
    (doc, break_changed, limited)
}

/// Diff two sequences (leaf hashes, word ids): exactly (Myers) when they are small, else anchored on the leaves that
/// occur once on each side (their longest increasing run, as in a patience diff), with exact
/// diffs between anchors within [`MAX_GAP_LEAVES`] and [`MAX_DIFF_WORK`]. Deterministic: the
/// result depends on the sequences only. Returns the operations and whether a limit was reached.
pub(crate) fn bounded_diff<T: Ord + std::hash::Hash + Copy>(
    a: &[T],
    b: &[T],
) -> (Vec<similar::DiffOp>, bool) {
    use similar::DiffOp;
    if a.len() + b.len() <= MAX_EXACT_LEAVES {
        return (
            similar::capture_diff_slices(similar::Algorithm::Myers, a, b),
            false,
        );
    }
    let mut ops: Vec<DiffOp> = Vec::new();
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix > 0 {
        ops.push(DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: prefix,
        });
    }
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    // Occurrences in the middle: (count in a, index in a, count in b, index in b).
    let mut seen: HashMap<T, (u32, usize, u32, usize)> = HashMap::new();
    for (i, h) in a.iter().enumerate().take(a_end).skip(prefix) {
        let e = seen.entry(*h).or_insert((0, i, 0, 0));
        e.0 = e.0.saturating_add(1);
    }
    for (j, h) in b.iter().enumerate().take(b_end).skip(prefix) {
        if let Some(e) = seen.get_mut(h) {
            e.2 = e.2.saturating_add(1);
            e.3 = j;
        }
    }
    let pairs: Vec<(usize, usize)> = a[prefix..a_end]
        .iter()
        .filter_map(|h| seen.get(h))
        .filter(|e| e.0 == 1 && e.2 == 1)
        .map(|e| (e.1, e.3))
        .collect();
    // Longest increasing run of b-indices (pairs are in a-order): patience sorting.
    let mut tails: Vec<usize> = Vec::new(); // index into pairs
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let pos = tails.partition_point(|&t| pairs[t].1 < j);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut anchors: Vec<(usize, usize)> = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        anchors.push(pairs[k]);
        at = prev[k];
    }
    anchors.reverse();
    anchors.push((a_end, b_end)); // sentinel: the suffix
    let mut work: u64 = 0;
    let mut limited = false;
    let (mut i, mut j) = (prefix, prefix);
    for &(ai, bj) in &anchors {
        let (n, m) = (ai - i, bj - j);
        if n == 0 && m > 0 {
            ops.push(DiffOp::Insert {
                old_index: i,
                new_index: j,
                new_len: m,
            });
        } else if m == 0 && n > 0 {
            ops.push(DiffOp::Delete {
                old_index: i,
                old_len: n,
                new_index: j,
            });
        } else if n > 0 {
            let cost = ((n + m) as u64).saturating_mul((n + m) as u64);
            if n + m <= MAX_GAP_LEAVES && work.saturating_add(cost) <= MAX_DIFF_WORK {
                work += cost;
                for op in
                    similar::capture_diff_slices(similar::Algorithm::Myers, &a[i..ai], &b[j..bj])
                {
                    ops.push(shift(op, i, j));
                }
            } else {
                limited = true;
                ops.push(DiffOp::Replace {
                    old_index: i,
                    old_len: n,
                    new_index: j,
                    new_len: m,
                });
            }
        }
        if ai < a_end {
            ops.push(DiffOp::Equal {
                old_index: ai,
                new_index: bj,
                len: 1,
            });
        }
        (i, j) = (ai + 1, bj + 1);
    }
    if suffix > 0 {
        ops.push(DiffOp::Equal {
            old_index: a_end,
            new_index: b_end,
            len: suffix,
        });
    }
    (ops, limited)
}

/// `op` with its indices moved by `i` (old) and `j` (new).
fn shift(op: similar::DiffOp, i: usize, j: usize) -> similar::DiffOp {
    use similar::DiffOp;
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + i,
            new_index: new_index + j,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + i,
            old_len,
            new_index: new_index + j,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + i,
            new_index: new_index + j,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + i,
            old_len,
            new_index: new_index + j,
            new_len,
        },
    }
}

/// Align `parts` (in document order) with canonical `text`.
///
/// Time and memory are O((leaves of the document + signed leaves) · log) plus the bounded work
/// of [`MAX_EXACT_LEAVES`], [`MAX_DIFF_WORK`] and [`MAX_SPLIT_BLOCKS`]; the limits reached are in
/// [`Diagnosis::incomplete`]. No clock is read: the same input gives the same answer.
pub fn diagnose(text: &str, parts: &[&PartRecord]) -> Diagnosis {
    // Expected sequence: every signed leaf with its part and index within the part; part p's
    // leaves are expected[first[p]..first[p + 1]].
    let mut expected: Vec<Hash> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new();
    let mut first: Vec<usize> = Vec::with_capacity(parts.len() + 1);
    for (p, part) in parts.iter().enumerate() {
        first.push(expected.len());
        for (k, h) in part.leaves.iter().enumerate() {
            expected.push(*h);
            owner.push((p, k));
        }
    }
    first.push(expected.len());
    let known: HashSet<Hash> = expected.iter().copied().collect();
    // Leaves that end inside a line (run-in headings, flattened text), with their lengths.
    let midline: Vec<(usize, Hash)> = parts
        .iter()
        .filter(|p| p.tail > 0)
        .filter_map(|p| Some((usize::try_from(p.tail).ok()?, *p.leaves.last()?)))
        .collect();
    let (doc, break_changed, split_limited) =
        document_leaves(text, &known, &midline, MAX_SPLIT_BLOCKS);
    let doc_hashes: Vec<Hash> = doc.iter().map(|(_, h)| *h).collect();

    let (ops, diff_limited) = bounded_diff(&expected, &doc_hashes);
    let mut incomplete = Vec::new();
    if split_limited {
        incomplete.push(Limit::LineSplitting);
    }
    if diff_limited {
        incomplete.push(Limit::Diff);
    }
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
    // Inserted document leaves by hash: the first and last index of each.
    let mut inserted_at: HashMap<Hash, (usize, usize)> = HashMap::new();
    for d in hunks.iter().flat_map(|h| h.new.clone()) {
        let e = inserted_at.entry(doc_hashes[d]).or_insert((d, d));
        e.0 = e.0.min(d);
        e.1 = e.1.max(d);
    }
    // The document position of the first matched signed leaf at or after each signed leaf.
    let mut next_matched: Vec<Option<usize>> = vec![None; expected.len() + 1];
    for e in (0..expected.len()).rev() {
        next_matched[e] = matched_exp[e]
            .map(|d| doc[d].0.start)
            .or(next_matched[e + 1]);
    }

    // Whole parts that are gone (every leaf unmatched).
    let mut whole_part_gone = vec![false; parts.len()];
    for (p, part) in parts.iter().enumerate() {
        if part.leaves.is_empty() {
            continue;
        }
        let gone = (first[p]..first[p + 1]).all(|e| matched_exp[e].is_none());
        if gone {
            whole_part_gone[p] = true;
            let moved = part.leaves.iter().all(|h| inserted_at.contains_key(h));
            let doc_range = if moved {
                // Where the moved copy now is.
                let a = part
                    .leaves
                    .iter()
                    .filter_map(|h| inserted_at.get(h))
                    .map(|x| x.0)
                    .min();
                let b = part
                    .leaves
                    .iter()
                    .filter_map(|h| inserted_at.get(h))
                    .map(|x| x.1)
                    .max();
                match (a, b) {
                    (Some(a), Some(b)) => doc[a].0.start..doc[b].0.end,
                    _ => 0..0,
                }
            } else {
                let at = next_matched[first[p + 1]].unwrap_or(text.len());
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
        let inserted = h.new.clone();
        let part = hunk_part(h);
        // Removed leaves, split by part, skipping parts reported as wholly gone.
        let mut by_part: Vec<(usize, Range<usize>)> = Vec::new();
        for e in h.old.clone() {
            let (p, k) = owner[e];
            match by_part.last_mut() {
                Some((q, r)) if *q == p && r.end == k => r.end = k + 1,
                _ => by_part.push((p, k..k + 1)),
            }
        }
        let doc_range = if inserted.is_empty() {
            let at = if h.new.start < doc.len() {
                doc[h.new.start].0.start
            } else {
                text.len()
            };
            at..at
        } else {
            doc[inserted.start].0.start..doc[inserted.end - 1].0.end
        };
        // Inserted leaves that duplicate signed leaves still matched elsewhere.
        let duplicated = !inserted.is_empty()
            && inserted.clone().all(|d| {
                known.contains(&doc_hashes[d]) && !removed_hashes.contains_key(&doc_hashes[d])
            });
        let removed_parts: Vec<&(usize, Range<usize>)> = by_part
            .iter()
            .filter(|(p, _)| !whole_part_gone[*p])
            .collect();
        let moved_in = !inserted.is_empty()
            && inserted
                .clone()
                .all(|d| removed_hashes.contains_key(&doc_hashes[d]));
        // Leaves of a wholly moved part are reported as PartMoved; anything else that moved is
        // reported where it now is (and as removed where it was).
        let moved_whole_part = moved_in
            && inserted.clone().all(|d| {
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
    let mut explained = vec![false; parts.len()];
    for c in &changes {
        explained[c.part] = true;
    }
    for d in break_changed {
        if let Some(e) = matched_doc[d] {
            let (p, k) = owner[e];
            if !explained[p] {
                explained[p] = true;
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
        incomplete,
    }
}

#[cfg(test)]
mod tests;
