//! The layers of the two copies: each copy's parts (header and layers) over its words, the word
//! alignment slid to fit layer boundaries, and the pairing of the layers of A with those of B.

use super::tokens::Tokens;
use super::Change;
use super::{MAX_PAIRING_CELLS, MAX_SLIDE};
use crate::format::canonical::CanonicalText;
use crate::format::chain::LayerKind;
use crate::parse::parser::Structure;
use std::collections::HashMap;
use std::ops::Range;

/// A part of a copy: the header (part 0) or a layer (part i + 1).
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub(super) kind: Option<LayerKind>,
    pub(super) present: bool,
    pub(super) words: Range<usize>,
    pub(super) lines: Option<[u32; 2]>,
}

pub(super) struct Side {
    pub(super) tokens: Tokens,
    /// Part of each word.
    pub(super) part: Vec<usize>,
    pub(super) parts: Vec<Part>,
}

pub(super) fn build_side(doc: &CanonicalText, s: &Structure, tokens: Tokens) -> Side {
    let len = doc.len();
    // Boundaries: where each part starts; monotonic whatever the parser says.
    let mut starts = vec![0usize];
    let mut prev = 0;
    for l in &s.layers {
        let st = l.start.min(len).max(prev);
        starts.push(st);
        prev = st;
    }
    let mut part = Vec::with_capacity(tokens.words.len());
    let mut p = 0;
    for w in &tokens.words {
        while p + 1 < starts.len() && w.start >= starts[p + 1] {
            p += 1;
        }
        part.push(p);
    }
    let mut parts = Vec::with_capacity(starts.len());
    let mut wi = 0;
    for k in 0..starts.len() {
        let begin = wi;
        while wi < part.len() && part[wi] == k {
            wi += 1;
        }
        let end_off = starts.get(k + 1).copied().unwrap_or(len);
        let lines = if k == 0 {
            s.header
                .as_ref()
                .and_then(|h| doc.original_span(0, h.end.min(len)))
                .or_else(|| doc.original_span(0, end_off))
        } else {
            doc.original_span(starts[k], end_off)
        }
        .map(|(a, b)| [a, b]);
        parts.push(Part {
            kind: if k == 0 {
                None
            } else {
                s.layers.get(k - 1).map(|l| l.kind)
            },
            present: if k == 0 {
                s.header.is_some() || wi > begin
            } else {
                true
            },
            words: begin..wi,
            lines: if k == 0 && s.header.is_none() && wi == begin {
                None
            } else {
                lines
            },
        });
    }
    Side {
        tokens,
        part,
        parts,
    }
}

/// A stretch of the alignment: equal words, or a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Seg {
    pub(super) eq: bool,
    pub(super) a: Range<usize>,
    pub(super) b: Range<usize>,
}

/// Align two word sequences with the bounded diff of [`crate::diff::align`] (exact up to its limits,
/// anchored beyond; work counted, never timed). Also says whether a limit was reached.
pub(super) fn align(ka: &[u32], kb: &[u32]) -> (Vec<Seg>, bool) {
    let (ops, limited) = crate::diff::align::bounded_diff(ka, kb);
    let mut segs: Vec<Seg> = Vec::with_capacity(ops.len());
    for op in ops {
        let (tag, a, b) = op.as_tag_tuple();
        push_seg(&mut segs, tag == similar::DiffTag::Equal, a, b);
    }
    (segs, limited)
}

/// Append a segment, merging it with the last one when both are changes (or both equal).
pub(super) fn push_seg(segs: &mut Vec<Seg>, eq: bool, a: Range<usize>, b: Range<usize>) {
    if a.is_empty() && b.is_empty() {
        return;
    }
    if let Some(last) = segs.last_mut() {
        if last.eq == eq && last.a.end == a.start && last.b.end == b.start {
            last.a.end = a.end;
            last.b.end = b.end;
            return;
        }
    }
    segs.push(Seg { eq, a, b });
}

/// Slide every lone deletion or insertion along the repeated words around it so that it falls
/// within as few parts as possible (a removed layer should be reported as that layer, not as that
/// layer shifted by a word that happens to repeat at its edges).
pub(super) fn slide(
    segs: Vec<Seg>,
    ka: &[u32],
    kb: &[u32],
    pa: &[usize],
    pb: &[usize],
) -> Vec<Seg> {
    let mut segs = segs;
    for k in 0..segs.len() {
        if segs[k].eq {
            continue;
        }
        let del = segs[k].b.is_empty();
        let ins = segs[k].a.is_empty();
        if del == ins {
            continue;
        }
        let (keys, part, r) = if del {
            (ka, pa, segs[k].a.clone())
        } else {
            (kb, pb, segs[k].b.clone())
        };
        let left_room = if k > 0 && segs[k - 1].eq {
            segs[k - 1].a.len()
        } else {
            0
        };
        let right_room = if k + 1 < segs.len() && segs[k + 1].eq {
            segs[k + 1].a.len()
        } else {
            0
        };
        let score = |s: usize, e: usize| -> (usize, bool) {
            let spans = part[e - 1] - part[s] + 1;
            let at_boundary =
                s == 0 || part[s - 1] != part[s] || e == part.len() || part[e] != part[e - 1];
            (spans, !at_boundary)
        };
        let mut best = (score(r.start, r.end), 0usize, 0isize);
        let mut t = 0usize;
        while t < left_room.min(MAX_SLIDE) && keys[r.start - t - 1] == keys[r.end - t - 1] {
            t += 1;
            let cand = (score(r.start - t, r.end - t), t, -(t as isize));
            if (cand.0, cand.1) < (best.0, best.1) {
                best = cand;
            }
        }
        t = 0;
        while t < right_room.min(MAX_SLIDE)
            && r.end + t < keys.len()
            && keys[r.start + t] == keys[r.end + t]
        {
            t += 1;
            let cand = (score(r.start + t, r.end + t), t, t as isize);
            if (cand.0, cand.1) < (best.0, best.1) {
                best = cand;
            }
        }
        let d = best.2;
        if d == 0 {
            continue;
        }
        let shift = |x: usize| (x as isize + d) as usize;
        let s = &mut segs[k];
        s.a = shift(s.a.start)..shift(s.a.end);
        s.b = shift(s.b.start)..shift(s.b.end);
        if let Some(p) = k.checked_sub(1) {
            segs[p].a.end = shift(segs[p].a.end);
            segs[p].b.end = shift(segs[p].b.end);
        }
        if let Some(n) = segs.get_mut(k + 1) {
            n.a.start = shift(n.a.start);
            n.b.start = shift(n.b.start);
        }
    }
    let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
    for s in segs {
        push_seg(&mut out, s.eq, s.a, s.b);
    }
    out
}

/// One row of the report: header, pair of layers, or an unpaired layer.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) a: Option<usize>,
    pub(super) b: Option<usize>,
    pub(super) changes: Vec<Change>,
    pub(super) matched_a: usize,
    pub(super) matched_b: usize,
    pub(super) elsewhere: usize,
}

/// Pair the layers of A (parts 1..=na) with those of B in order, maximizing shared words.
pub(super) fn pair_layers(
    a: &Side,
    b: &Side,
    shared: &HashMap<(usize, usize), usize>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let na = a.parts.len() - 1;
    let nb = b.parts.len() - 1;
    let mut out = Vec::new();
    if na.saturating_mul(nb) > MAX_PAIRING_CELLS {
        for k in 0..na.max(nb) {
            out.push(((k < na).then_some(k + 1), (k < nb).then_some(k + 1)));
        }
        return out;
    }
    let w = |i: usize, j: usize| -> u64 {
        let s = shared.get(&(i, j)).copied().unwrap_or(0) as u64;
        let kind = u64::from(a.parts[i].kind == b.parts[j].kind);
        4 * s + 2 * kind + 1
    };
    let cols = nb + 1;
    let mut dp = vec![0u64; (na + 1) * cols];
    for i in 1..=na {
        for j in 1..=nb {
            let diag = dp[(i - 1) * cols + j - 1] + w(i, j);
            dp[i * cols + j] = diag.max(dp[(i - 1) * cols + j]).max(dp[i * cols + j - 1]);
        }
    }
    let (mut i, mut j) = (na, nb);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && dp[i * cols + j] == dp[(i - 1) * cols + j - 1] + w(i, j) {
            out.push((Some(i), Some(j)));
            i -= 1;
            j -= 1;
        } else if i > 0 && (j == 0 || dp[i * cols + j] == dp[(i - 1) * cols + j]) {
            out.push((Some(i), None));
            i -= 1;
        } else {
            out.push((None, Some(j)));
            j -= 1;
        }
    }
    out.reverse();
    out
}
