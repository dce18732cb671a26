//! Page furniture (conservative): job numbers, languages, date stamps, barcodes, the document
//! symbol and page numbers, dropped only in the combinations furniture takes (the rules of the
//! module documentation of [`super`]).

use super::tokens::Raw;
use std::collections::HashMap;

/// Shaped like a UN document symbol: `S/2017/912`, `A/72/100`, `A/HRC/35/1`.
pub(super) fn looks_like_symbol(s: &str) -> bool {
    if s.len() > 40 {
        return false;
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() < 3 || parts.len() > 6 {
        return false;
    }
    let head = parts[0];
    !head.is_empty()
        && head.len() <= 3
        && head.chars().all(|c| c.is_ascii_uppercase())
        && parts[1..].iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        && parts[1..]
            .iter()
            .any(|p| p.chars().any(|c| c.is_ascii_digit()))
}

/// The document symbols of a pair of copies: the parser's header symbols, and the most frequent
/// symbol-shaped token if it occurs at least twice in one copy.
pub(super) fn doc_symbols(copies: &[&[Raw]], header_symbols: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = header_symbols.iter().flatten().cloned().collect();
    let mut best: HashMap<&str, usize> = HashMap::new();
    for raws in copies {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for r in raws.iter() {
            if looks_like_symbol(&r.clean) {
                *counts.entry(r.clean.as_str()).or_default() += 1;
            }
        }
        for (s, n) in counts {
            let e = best.entry(s).or_default();
            *e = (*e).max(n);
        }
    }
    if let Some(max) = best.values().copied().max() {
        if max >= 2 {
            let mut top: Vec<&str> = best
                .iter()
                .filter(|(_, &n)| n == max)
                .map(|(s, _)| *s)
                .collect();
            top.sort_unstable();
            out.extend(top.into_iter().map(str::to_owned));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Other,
    Job,
    Lang,
    Stamp,
    Barcode,
    Symbol,
    Page,
    Counter,
}

pub(super) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn classify(r: &Raw, symbols: &[String]) -> Class {
    let s = r.clean.as_str();
    if r.barcode {
        return Class::Barcode;
    }
    if symbols.iter().any(|x| x == s) {
        return Class::Symbol;
    }
    let b = s.as_bytes();
    if b.len() == 8 && b[2] == b'-' && all_digits(&s[..2]) && all_digits(&s[3..]) {
        return Class::Job;
    }
    if b.len() == 3
        && b[0] == b'('
        && b[2] == b')'
        && matches!(b[1], b'E' | b'F' | b'S' | b'R' | b'A' | b'C')
    {
        return Class::Lang;
    }
    if b.len() == 6 && all_digits(s) {
        let day: u32 = s[..2].parse().unwrap_or(0);
        let month: u32 = s[2..4].parse().unwrap_or(0);
        if (1..=31).contains(&day) && (1..=12).contains(&month) {
            return Class::Stamp;
        }
        return Class::Other;
    }
    if b.len() <= 3 && all_digits(s) {
        return if s.parse::<u32>().unwrap_or(0) >= 1 {
            Class::Page
        } else {
            Class::Other
        };
    }
    if let Some((n, m)) = s.split_once('/') {
        if n.len() <= 3 && m.len() <= 3 && all_digits(n) && all_digits(m) {
            let n: u32 = n.parse().unwrap_or(0);
            let m: u32 = m.parse().unwrap_or(0);
            if n >= 1 && n <= m {
                return Class::Counter;
            }
        }
    }
    Class::Other
}

/// Mark the furniture tokens (the rules of the module documentation).
pub(super) fn furniture(raws: &[Raw], symbols: &[String]) -> Vec<bool> {
    let cls: Vec<Class> = raws.iter().map(|r| classify(r, symbols)).collect();
    let n = raws.len();
    let mut furn = vec![false; n];
    // The first occurrence of each symbol is the masthead, not a running header.
    let mut seen: Vec<&str> = Vec::new();
    let first: Vec<bool> = raws
        .iter()
        .zip(&cls)
        .map(|(r, c)| {
            *c == Class::Symbol && !seen.contains(&r.clean.as_str()) && {
                seen.push(&r.clean);
                true
            }
        })
        .collect();
    let alone = |i: usize| {
        let li = raws[i].line_idx;
        (i == 0 || raws[i - 1].line_idx != li) && !raws.get(i + 1).is_some_and(|r| r.line_idx == li)
    };
    let decide = |i: usize, furn: &[bool]| -> bool {
        let prev = i.checked_sub(1).map(|p| (cls[p], furn[p]));
        let next = cls.get(i + 1).map(|&c| (c, furn[i + 1]));
        let near = |c: Class| prev.is_some_and(|p| p.0 == c) || next.is_some_and(|p| p.0 == c);
        match cls[i] {
            Class::Barcode => true,
            Class::Job => {
                next.is_some_and(|p| p.0 == Class::Lang)
                    || near(Class::Counter)
                    || near(Class::Symbol)
            }
            Class::Lang => prev.is_some_and(|p| p.0 == Class::Job),
            Class::Stamp => prev.is_some_and(|p| p.1 && matches!(p.0, Class::Lang | Class::Stamp)),
            Class::Counter => near(Class::Job) || near(Class::Symbol),
            Class::Page => {
                next.is_some_and(|p| p.0 == Class::Symbol)
                    || (alone(i) && (prev.is_some_and(|p| p.1) || next.is_some_and(|p| p.1)))
            }
            Class::Symbol => {
                (alone(i) && !first[i])
                    || prev.is_some_and(|p| p.1 || p.0 == Class::Page)
                    || next.is_some_and(|p| p.1)
                    || near(Class::Counter)
                    || near(Class::Job)
            }
            Class::Other => false,
        }
    };
    loop {
        let mut changed = false;
        for i in (0..n).chain((0..n).rev()) {
            if !furn[i] && decide(i, &furn) {
                furn[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    furn
}
