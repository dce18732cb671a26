//! The comparison: both copies' words aligned as a whole, each difference attributed to the layer
//! (or header) holding it, with its context, and the report built.

use super::furniture::{doc_symbols, furniture};
use super::pairing::*;
use super::tokens::*;
use super::{
    Change, DiffReport, HeaderDiff, Ignored, LayerDiff, Status, COMPARISON, CONTEXT_WORDS,
};
use crate::format::canonical::CanonicalText;
use crate::format::chain::LayerKind;
use crate::parse::parser::Structure;
use std::collections::HashMap;
use std::ops::Range;

pub(super) fn span_lines(words: &[Word]) -> Option<[u32; 2]> {
    let first = words.first()?;
    let last = words.last()?;
    Some([first.line, last.last_line.max(first.line)])
}

pub(super) fn join_words(words: &[Word]) -> String {
    let mut s = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(&w.text);
    }
    s
}

/// Drop the punctuation that both sides of a change share at their edges, so that `4,100,` /
/// `4,600,` is shown as `4,100` / `4,600` (the comma is not what changed).
pub(super) fn trim_common_punctuation(a: String, b: String) -> (String, String) {
    if a.is_empty() || b.is_empty() {
        return (a, b);
    }
    let punct = |c: char| !c.is_alphanumeric();
    let mut lead = 0;
    for (x, y) in a.chars().zip(b.chars()) {
        if x == y && punct(x) && lead + x.len_utf8() < a.len().min(b.len()) {
            lead += x.len_utf8();
        } else {
            break;
        }
    }
    let mut trail = 0;
    for (x, y) in a[lead..].chars().rev().zip(b[lead..].chars().rev()) {
        if x == y && punct(x) && lead + trail + x.len_utf8() < a.len().min(b.len()) {
            trail += x.len_utf8();
        } else {
            break;
        }
    }
    (
        a[lead..a.len() - trail].to_owned(),
        b[lead..b.len() - trail].to_owned(),
    )
}

pub(super) fn make_change(
    a: &[Word],
    b: &[Word],
    a_pos: usize,
    b_pos: usize,
    wa: &[Word],
    wb: &[Word],
) -> Change {
    let a_end = a_pos + a.len();
    let b_end = b_pos + b.len();
    let (before, after) = if !wa.is_empty() {
        (
            &wa[a_pos.saturating_sub(CONTEXT_WORDS)..a_pos.min(wa.len())],
            &wa[a_end.min(wa.len())..(a_end + CONTEXT_WORDS).min(wa.len())],
        )
    } else {
        (
            &wb[b_pos.saturating_sub(CONTEXT_WORDS)..b_pos.min(wb.len())],
            &wb[b_end.min(wb.len())..(b_end + CONTEXT_WORDS).min(wb.len())],
        )
    };
    let sa = squash(a);
    let sb = squash(b);
    let (ta, tb) = trim_common_punctuation(join_words(a), join_words(b));
    Change {
        a: ta,
        b: tb,
        words_a: a.len(),
        words_b: b.len(),
        a_lines: span_lines(a),
        b_lines: span_lines(b),
        a_column: a.first().map(|w| w.column),
        b_column: b.first().map(|w| w.column),
        before: join_words(before),
        after: join_words(after),
        case_only: !a.is_empty()
            && !b.is_empty()
            && sa != sb
            && sa.to_lowercase() == sb.to_lowercase(),
    }
}

/// Word ids for the diff: equal words, equal ids.
pub(super) fn intern<'w>(words: &'w [Word], ids: &mut HashMap<&'w str, u32>) -> Vec<u32> {
    words
        .iter()
        .map(|w| {
            let next = ids.len() as u32;
            *ids.entry(w.text.as_str()).or_insert(next)
        })
        .collect()
}

/// Compare two canonical copies whose structures are given.
pub(super) fn compare(
    a_name: &str,
    a_doc: &CanonicalText,
    a_struct: &Structure,
    b_name: &str,
    b_doc: &CanonicalText,
    b_struct: &Structure,
) -> DiffReport {
    let (ra, markup_a) = raw_tokens(a_doc.as_str());
    let (rb, markup_b) = raw_tokens(b_doc.as_str());
    let symbols = doc_symbols(
        &[&ra, &rb],
        &[
            a_struct.header.as_ref().and_then(|h| h.symbol.clone()),
            b_struct.header.as_ref().and_then(|h| h.symbol.clone()),
        ],
    );
    let mut ta = tokenize(a_doc, &ra, &furniture(&ra, &symbols));
    let mut tb = tokenize(b_doc, &rb, &furniture(&rb, &symbols));
    ta.markup = markup_a;
    tb.markup = markup_b;
    let a = build_side(a_doc, a_struct, ta);
    let b = build_side(b_doc, b_struct, tb);
    let (wa, wb) = (&a.tokens.words, &b.tokens.words);

    // Intern the words and align the two sequences.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let ka = intern(wa, &mut ids);
    let kb = intern(wb, &mut ids);
    let (segs, limited) = align(&ka, &kb);
    let segs = slide(segs, &ka, &kb, &a.part, &b.part);

    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for s in segs.iter().filter(|s| s.eq) {
        for (i, j) in s.a.clone().zip(s.b.clone()) {
            *shared.entry((a.part[i], b.part[j])).or_default() += 1;
        }
    }

    // Entries: the header, then the layers paired in order.
    let mut entries: Vec<Entry> = Vec::new();
    let new_entry = |a: Option<usize>, b: Option<usize>| Entry {
        a,
        b,
        changes: Vec::new(),
        matched_a: 0,
        matched_b: 0,
        elsewhere: 0,
    };
    entries.push(new_entry(
        a.parts[0].present.then_some(0),
        b.parts[0].present.then_some(0),
    ));
    for (i, j) in pair_layers(&a, &b, &shared) {
        entries.push(new_entry(i, j));
    }
    let mut entry_a = vec![0usize; a.parts.len()];
    let mut entry_b = vec![0usize; b.parts.len()];
    for (e, en) in entries.iter().enumerate() {
        if let Some(i) = en.a {
            entry_a[i] = e;
        }
        if let Some(j) = en.b {
            entry_b[j] = e;
        }
    }

    let mut spacing = 0usize;
    for s in &segs {
        if s.eq {
            for (i, j) in s.a.clone().zip(s.b.clone()) {
                let (ea, eb) = (entry_a[a.part[i]], entry_b[b.part[j]]);
                entries[ea].matched_a += 1;
                entries[eb].matched_b += 1;
                if ea != eb {
                    entries[ea].elsewhere += 1;
                    entries[eb].elsewhere += 1;
                }
            }
            continue;
        }
        if squash(&wa[s.a.clone()]) == squash(&wb[s.b.clone()]) {
            spacing += 1;
            continue;
        }
        // Split the change by entry: (entry, A words, B words).
        // (Indexed by entry: a change over many layers costs its length, not its length squared.)
        let mut groups: Vec<(usize, Range<usize>, Range<usize>)> = Vec::new();
        let mut group_of: HashMap<usize, usize> = HashMap::new();
        for i in s.a.clone() {
            let e = entry_a[a.part[i]];
            match group_of.get(&e) {
                Some(&g) => groups[g].1.end = i + 1,
                None => {
                    group_of.insert(e, groups.len());
                    groups.push((e, i..i + 1, 0..0));
                }
            }
        }
        for j in s.b.clone() {
            let e = entry_b[b.part[j]];
            match group_of.get(&e) {
                Some(&g) if !groups[g].2.is_empty() => groups[g].2.end = j + 1,
                Some(&g) => groups[g].2 = j..j + 1,
                None => {
                    group_of.insert(e, groups.len());
                    groups.push((e, 0..0, j..j + 1));
                }
            }
        }
        groups.sort_by_key(|g| g.0);
        // Words of the groups before each group (entries are distinct, so "before" is "< e").
        let mut before_a = 0usize;
        let mut before_b = 0usize;
        for (e, ga, gb) in &groups {
            let a_pos = if ga.is_empty() {
                s.a.start + before_a
            } else {
                ga.start
            };
            let b_pos = if gb.is_empty() {
                s.b.start + before_b
            } else {
                gb.start
            };
            before_a += ga.len();
            before_b += gb.len();
            let (xa, xb) = (&wa[ga.clone()], &wb[gb.clone()]);
            if groups.len() > 1 && squash(xa) == squash(xb) {
                spacing += 1;
                continue;
            }
            let c = make_change(xa, xb, a_pos, b_pos, wa, wb);
            entries[*e].changes.push(c);
        }
    }

    let status_of = |en: &Entry| -> Status {
        let words_a = en.a.map_or(0, |i| a.parts[i].words.len());
        let words_b = en.b.map_or(0, |j| b.parts[j].words.len());
        match (en.a, en.b) {
            (Some(_), None) if en.matched_a * 2 < words_a => Status::Missing,
            (None, Some(_)) if en.matched_b * 2 < words_b => Status::Added,
            _ if en.changes.is_empty() => Status::Same,
            _ => Status::Differs,
        }
    };

    let mut layers = Vec::new();
    let mut header = None;
    for (e, en) in entries.iter().enumerate() {
        let status = status_of(en);
        let words_a = en.a.map_or(0, |i| a.parts[i].words.len());
        let words_b = en.b.map_or(0, |j| b.parts[j].words.len());
        let lines_a = en.a.and_then(|i| a.parts[i].lines);
        let lines_b = en.b.and_then(|j| b.parts[j].lines);
        if e == 0 {
            if en.a.is_some() || en.b.is_some() {
                header = Some(HeaderDiff {
                    status,
                    counted: false,
                    words_a,
                    words_b,
                    lines_a,
                    lines_b,
                    changes: en.changes.clone(),
                });
            }
            continue;
        }
        let kind_a = en.a.and_then(|i| a.parts[i].kind).map(LayerKind::as_str);
        let kind_b = en.b.and_then(|j| b.parts[j].kind).map(LayerKind::as_str);
        let index_a = en.a.map(|i| i - 1);
        let index_b = en.b.map(|j| j - 1);
        layers.push(LayerDiff {
            index: index_a.or(index_b).unwrap_or(0),
            kind: kind_a.or(kind_b).unwrap_or("cover"),
            index_a,
            index_b,
            kind_b,
            status,
            words_a,
            words_b,
            lines_a,
            lines_b,
            words_elsewhere: en.elsewhere,
            changes: en.changes.clone(),
        });
    }
    DiffReport {
        same: layers.iter().all(|l| l.status == Status::Same),
        a: a_name.to_owned(),
        b: b_name.to_owned(),
        comparison: COMPARISON,
        case_sensitive: true,
        header,
        layers,
        ignored: Ignored {
            furniture_a: a.tokens.furniture,
            furniture_b: b.tokens.furniture,
            furniture_lines_a: a.tokens.furniture_lines.clone(),
            furniture_lines_b: b.tokens.furniture_lines.clone(),
            markup_a: a.tokens.markup,
            markup_b: b.tokens.markup,
            spacing_and_hyphenation: spacing,
        },
        limit: limited.then(|| crate::diff::align::Limit::Diff.describe()),
    }
}
