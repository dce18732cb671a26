//! Words: a canonical copy cut into white-space separated tokens cleaned of Markdown (emphasis,
//! links, escapes, block markup), words hyphenated at a line end joined, page furniture dropped
//! ([`super::furniture`]); and the squashed form that forgives white space and hyphenation.

use crate::format::canonical::CanonicalText;
use std::ops::Range;

/// One word of a copy and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    /// The word as compared (cleaned).
    pub(super) text: String,
    /// Canonical byte offset of its first character.
    pub(super) start: usize,
    /// 1-based line of the original file.
    pub(super) line: u32,
    /// 1-based column of the canonical line.
    pub(super) column: u32,
    /// Line of its last part (differs from `line` for a word hyphenated at a line end).
    pub(super) last_line: u32,
}

/// A white-space separated token, cleaned of Markdown.
#[derive(Debug, Clone)]
pub(super) struct Raw {
    pub(super) start: usize,
    pub(super) clean: String,
    /// Written as `*` seven digits `*`.
    pub(super) barcode: bool,
    /// 0-based canonical line index.
    pub(super) line_idx: usize,
    /// 1-based column.
    pub(super) column: u32,
}

/// The words of one copy.
#[derive(Debug, Clone, Default)]
pub(super) struct Tokens {
    pub(super) words: Vec<Word>,
    pub(super) furniture: usize,
    pub(super) furniture_lines: Vec<u32>,
    pub(super) markup: usize,
}

/// Byte ranges of Markdown link syntax to delete: the `[` (or `![`) and the `](url)`.
pub(super) fn link_syntax(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'[', b.get(i..).unwrap_or(&[])) {
        let open = i + k;
        i = open + 1;
        if open > 0 && b[open - 1] == b'\\' {
            continue;
        }
        let limit = (open + 1000).min(b.len());
        let mut j = open + 1;
        let mut close = None;
        while j < limit {
            match b[j] {
                b'\\' => {
                    j += 2;
                    continue;
                }
                b']' => {
                    close = Some(j);
                    break;
                }
                b'[' => break,
                b'\n' if b.get(j + 1) == Some(&b'\n') => break,
                _ => {}
            }
            j += 1;
        }
        let Some(close) = close else { continue };
        if b.get(close + 1) != Some(&b'(') {
            continue;
        }
        let limit = (close + 2000).min(b.len());
        let mut depth = 0usize;
        let mut k = close + 1;
        let mut end = None;
        while k < limit {
            match b[k] {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(k + 1);
                        break;
                    }
                }
                b'\n' => break,
                b'\\' => k += 1,
                _ => {}
            }
            k += 1;
        }
        let Some(end) = end else { continue };
        let first = if open > 0 && b[open - 1] == b'!' {
            open - 1
        } else {
            open
        };
        out.push(first..open + 1);
        out.push(close..end);
        i = end;
    }
    out
}

pub(super) fn is_barcode(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b[0] == b'*' && b[8] == b'*' && b[1..8].iter().all(u8::is_ascii_digit)
}

/// Clean one token: drop link syntax, emphasis, soft hyphens; resolve backslash escapes.
pub(super) fn clean_token(
    text: &str,
    start: usize,
    end: usize,
    dels: &[Range<usize>],
    di: &mut usize,
) -> String {
    let tok = text.get(start..end).unwrap_or("");
    let mut out = String::with_capacity(tok.len());
    let mut chars = tok.char_indices().peekable();
    while let Some((off, c)) = chars.next() {
        let pos = start + off;
        while *di < dels.len() && dels[*di].end <= pos {
            *di += 1;
        }
        if dels.get(*di).is_some_and(|r| r.start <= pos) {
            continue;
        }
        match c {
            '\\' => match chars.peek() {
                Some(&(_, n)) if n.is_ascii_punctuation() => {
                    out.push(n);
                    chars.next();
                }
                // A backslash that ends a line is a Markdown hard line break.
                None if text.as_bytes().get(end) == Some(&b'\n') => {}
                _ => out.push('\\'),
            },
            '*' | '`' | '\u{ad}' => {}
            '_' => {
                let prev = out.chars().next_back().is_some_and(char::is_alphanumeric);
                let next = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
                if prev && next {
                    out.push('_');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Split the canonical text into cleaned tokens (Markdown-only tokens dropped and counted).
pub(super) fn raw_tokens(text: &str) -> (Vec<Raw>, usize) {
    let dels = link_syntax(text);
    let mut di = 0;
    let mut out = Vec::new();
    let mut markup = 0;
    let mut line_idx = 0usize;
    let mut column: u32 = 1;
    let mut tok: Option<(usize, usize, u32)> = None;
    let mut finish = |s: usize, e: usize, li: usize, col: u32, di: &mut usize| {
        let clean = clean_token(text, s, e, &dels, di);
        if clean.is_empty() || clean.chars().all(is_markup_char) {
            markup += 1;
            return;
        }
        let raw = text.get(s..e).unwrap_or("");
        out.push(Raw {
            start: s,
            barcode: is_barcode(raw) || is_barcode(&clean),
            clean,
            line_idx: li,
            column: col,
        });
    };
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some((s, li, col)) = tok.take() {
                finish(s, i, li, col, &mut di);
            }
            if c == '\n' {
                line_idx += 1;
                column = 1;
                continue;
            }
        } else if tok.is_none() {
            tok = Some((i, line_idx, column));
        }
        column = column.saturating_add(1);
    }
    if let Some((s, li, col)) = tok.take() {
        finish(s, text.len(), li, col, &mut di);
    }
    (out, markup)
}

pub(super) fn is_markup_char(c: char) -> bool {
    matches!(
        c,
        '#' | '>' | '-' | '+' | '|' | '=' | '•' | '◦' | '▪' | '\u{f0b7}'
    )
}

/// Cut a canonical text into words (see the module documentation); `furn[i]` says whether
/// `raws[i]` is page furniture ([`super::furniture::furniture`]).
pub(super) fn tokenize(doc: &CanonicalText, raws: &[Raw], furn: &[bool]) -> Tokens {
    let mut t = Tokens::default();
    let mut kept: Vec<(&Raw, bool)> = Vec::with_capacity(raws.len());
    let mut furniture_before = false;
    for (r, &f) in raws.iter().zip(furn) {
        if f {
            t.furniture += 1;
            let line = doc.original_line(r.line_idx);
            if t.furniture_lines.last() != Some(&line) && t.furniture_lines.len() < 100 {
                t.furniture_lines.push(line);
            }
            furniture_before = true;
        } else {
            kept.push((r, furniture_before));
            furniture_before = false;
        }
    }
    let mut i = 0;
    while i < kept.len() {
        let (r, _) = kept[i];
        let mut word = Word {
            text: r.clean.clone(),
            start: r.start,
            line: doc.original_line(r.line_idx),
            column: r.column,
            last_line: doc.original_line(r.line_idx),
        };
        if let Some(&(u, furn_between)) = kept.get(i + 1) {
            if let Some(joined) = hyphen_join(r, u, furn_between) {
                word.text = joined;
                word.last_line = doc.original_line(u.line_idx);
                i += 1;
            }
        }
        t.words.push(word);
        i += 1;
    }
    t
}

/// Join `t` (ending in a hyphen at a line end) with `u` (starting the next line).
pub(super) fn hyphen_join(t: &Raw, u: &Raw, furniture_between: bool) -> Option<String> {
    if u.line_idx <= t.line_idx || (u.line_idx != t.line_idx + 1 && !furniture_between) {
        return None;
    }
    let stem = t
        .clean
        .strip_suffix('-')
        .or_else(|| t.clean.strip_suffix('\u{2010}'))?;
    if !stem.chars().next_back().is_some_and(char::is_alphabetic) {
        return None;
    }
    let first = u.clean.chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    Some(if first.is_lowercase() {
        format!("{stem}{}", u.clean)
    } else {
        format!("{}{}", t.clean, u.clean)
    })
}

/// The words concatenated, hyphens between two letters dropped: equal for two sides that differ
/// only in white space or hyphenation.
pub(super) fn squash(words: &[Word]) -> String {
    let joined: String = words.iter().map(|w| w.text.as_str()).collect();
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::with_capacity(joined.len());
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '-' | '\u{2010}')
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
        {
            continue;
        }
        out.push(c);
    }
    out
}
