//! `transmittal diff`: compare two copies of one transmittal, layer by layer, word by word.
//!
//! Two copies of one document rarely have the same bytes: a web copy is Markdown, a PDF text layer
//! is hard-wrapped (or flattened onto one line) and carries page furniture. Neither is "the
//! original"; the question a reader asks is whether they say the same thing, and if not, where
//! they differ. This module answers it without any signature: it is a reading aid, not a proof
//! (only `verify` proves anything: docs/FORMAT.md §9).
//!
//! # What is compared
//!
//! Each copy is canonicalized ([`crate::canonical`]; a copy that is not UTF-8 is an error naming
//! the file) and its structure proposed by [`crate::parser::propose_boundaries`] (the layers of
//! [`crate::parser::propose`], without what it reads inside them). Both copies are then cut
//! into **words**, and the two word sequences are diffed as a whole (Myers, [`similar`]); every
//! difference is attributed to the layer (or the publication header) that holds it. Comparing the
//! whole sequence rather than layer against layer means that a parser that reads a boundary a
//! little differently in the two copies never invents a difference in the text.
//!
//! Words are the white-space separated tokens of the canonical text, with these rules:
//!
//! * **Line wrapping and white space are ignored**: words are split at any Unicode white space.
//!   A difference that consists only of white space or hyphenation, i.e. where the words of both
//!   sides, concatenated, are equal once hyphens between two letters are dropped
//!   (`EnclosureReport` / `Enclosure Report`, `multi-faceted` / `multi- faceted`), is ignored and
//!   counted in `ignored.spacing_and_hyphenation`.
//! * **Hyphenation at a line end** (`opera-` at the end of a line, `tions` at the start of the
//!   next; blank lines or dropped page furniture may lie between) makes one word: `operations` when
//!   the second part starts with a lower-case letter, else the hyphen is kept (`non-NATO`).
//! * **Markdown emphasis is ignored**: `*` and `` ` `` are dropped everywhere, `_` at the edges of
//!   a word (an underscore between two letters or digits is kept). Links `[text](url)` and images
//!   `![alt](url)` become their text. Backslash escapes (`\(`, `\*`) become the character.
//!   Soft hyphens (U+00AD) are dropped.
//! * **Markdown block markup is ignored**: a token made only of `#`, `>`, `-`, `+`, `|`, `=` or a
//!   bullet character (`•`, `◦`, `▪`, U+F0B7) is dropped (heading markers, quote markers, list
//!   bullets, rules, table pipes), and counted as `markup`.
//! * **Case is significant** (`Report` and `report` differ); a change that only differs in case
//!   is marked `case_only`. Punctuation and typographic quotes are significant, and so are digits:
//!   `4,100` and `4,600` differ, and are shown exactly.
//!
//! # Page furniture (conservative)
//!
//! PDF text layers of UN documents carry furniture: the job number and language (`17-19230 (E)`),
//! date stamps (`021117`), a barcode (`*1719230*`), running headers (the document symbol
//! `S/2017/912`) and page numbers or counters (`2`, `2/5`). Such tokens are dropped only in the
//! combinations that furniture takes, never on their own, so that a figure or a year is never lost.
//! Token classes (after the cleaning above):
//!
//! * *job number*: `NN-NNNNN` (two digits, hyphen, five digits);
//! * *language*: `(E)`, `(F)`, `(S)`, `(R)`, `(A)` or `(C)`;
//! * *date stamp*: six digits `DDMMYY` with a valid day and month;
//! * *barcode*: `*` seven digits `*` (as written, before emphasis is removed);
//! * *document symbol*: a token equal to the symbol of the document: the one the parser found in
//!   the publication header, or a token shaped like a UN symbol (`S/2017/912`, `A/72/100`) that is
//!   the most frequent such token in the two copies and occurs at least twice in one of them;
//! * *page number*: one to three digits; *page counter*: `N/M` with `1 <= N <= M <= 999`.
//!
//! Rules, applied until nothing changes ("next to" means the adjacent word in reading order, on the
//! same line or not):
//!
//! 1. a barcode is furniture;
//! 2. a job number followed by a language is furniture, and so is that language;
//! 3. a date stamp right after a furniture language or date stamp is furniture;
//! 4. a job number or a document symbol next to a page counter is furniture, and so is the
//!    counter;
//! 5. a job number next to a document symbol is furniture, and so is the symbol;
//! 6. a page number right before a document symbol is furniture, and so is the symbol; a page
//!    number alone on its line is furniture when the word before or after it is;
//! 7. a document symbol next to furniture is furniture; so is one alone on its line, except the
//!    first occurrence of that symbol in the copy (the masthead of the publication header).
//!
//! So `paragraph 20 17-19230 (E) 021117` keeps `20`, and a year or a figure next to furniture is
//! kept; `(E)` or `2/5` alone are kept. The count of furniture tokens and their lines are reported.
//!
//! # Layers
//!
//! Layers of the two copies are paired in order, by the number of words they share in the
//! alignment (plus a small preference for the same kind and for pairing at all), so that when a
//! middle layer is missing from one copy, the layers around it are still paired with their
//! counterparts. A layer of one copy that has no counterpart is `missing` (only in A) or `added`
//! (only in B) when most of its words are not found in the other copy; if its words are there
//! (the parser merely did not see its boundary in the other copy) it is `same` or `differs` like
//! any other layer, and `words_elsewhere` says how many of its words lie in another layer of the
//! other copy. The publication header is compared and shown too, but it is not part of any layer
//! and does not count towards `same` (a PDF header carries lines a web copy does not).

use crate::canonical::{self, CanonicalText};
use crate::chain::LayerKind;
use crate::error::InputError;
use crate::parser::{self, Structure};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

/// The comparison rule, as stated in every report.
pub const COMPARISON: &str =
    "words (ignoring line wrapping, white space, page furniture and Markdown emphasis)";

/// Words of context shown on each side of a change.
const CONTEXT_WORDS: usize = 5;
/// Words of a change shown in the human rendering before it is cut.
const SHOWN_WORDS: usize = 40;
/// Largest layers × layers table for the pairing; beyond it layers are paired by index.
const MAX_PAIRING_CELLS: usize = 4_000_000;
/// How far a lone insertion or deletion is slid to fit a layer boundary.
const MAX_SLIDE: usize = 512;

/// What the comparison found for one layer (or the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The words are the same.
    Same,
    /// Some words differ; `changes` says which.
    Differs,
    /// The layer is in A only.
    Missing,
    /// The layer is in B only.
    Added,
}

impl Status {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Differs => "differs",
            Status::Missing => "missing",
            Status::Added => "added",
        }
    }
}

/// One difference: words of A replaced by words of B (either side may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The words of A, separated by single spaces (empty for an insertion).
    pub a: String,
    /// The words of B, separated by single spaces (empty for a deletion).
    pub b: String,
    /// Number of words of A.
    pub words_a: usize,
    /// Number of words of B.
    pub words_b: usize,
    /// First and last line of the words in A's file (1-based), or null for an insertion.
    pub a_lines: Option<[u32; 2]>,
    /// First and last line of the words in B's file (1-based), or null for a deletion.
    pub b_lines: Option<[u32; 2]>,
    /// Column (1-based, in characters of the canonical line) of the first word in A.
    pub a_column: Option<u32>,
    /// Column of the first word in B.
    pub b_column: Option<u32>,
    /// Up to five words before the change (from A, or from B where A has none).
    pub before: String,
    /// Up to five words after the change.
    pub after: String,
    /// True when the two sides differ only in letter case.
    pub case_only: bool,
}

/// The comparison of one layer of A with its counterpart in B.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerDiff {
    /// The layer's index in A, or in B for an added layer.
    pub index: usize,
    /// The layer's kind in A, or in B for an added layer.
    pub kind: &'static str,
    /// The layer's index in A (null when it is only in B).
    pub index_a: Option<usize>,
    /// The layer's index in B (null when it is only in A).
    pub index_b: Option<usize>,
    /// The layer's kind in B (null when it is only in A).
    pub kind_b: Option<&'static str>,
    /// `same`, `differs`, `missing` (only in A) or `added` (only in B).
    pub status: Status,
    /// Words of the layer in A.
    pub words_a: usize,
    /// Words of the layer in B.
    pub words_b: usize,
    /// First and last line of the layer in A's file.
    pub lines_a: Option<[u32; 2]>,
    /// First and last line of the layer in B's file.
    pub lines_b: Option<[u32; 2]>,
    /// Words of this layer that the other copy has in another layer (the parser reads a boundary
    /// differently); 0 normally.
    pub words_elsewhere: usize,
    /// The differences, in reading order.
    pub changes: Vec<Change>,
}

/// The comparison of the publication headers (text before the first layer). Never counted in
/// [`DiffReport::same`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderDiff {
    /// `same` or `differs` (or `missing`/`added` when one copy has no header).
    pub status: Status,
    /// Always false: the header is not part of any layer.
    pub counted: bool,
    /// Words of the header in A.
    pub words_a: usize,
    /// Words of the header in B.
    pub words_b: usize,
    /// Lines of the header in A's file.
    pub lines_a: Option<[u32; 2]>,
    /// Lines of the header in B's file.
    pub lines_b: Option<[u32; 2]>,
    /// The differences.
    pub changes: Vec<Change>,
}

/// What the comparison ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    /// Page-furniture tokens dropped from A.
    pub furniture_a: usize,
    /// Page-furniture tokens dropped from B.
    pub furniture_b: usize,
    /// Lines of A's file that held dropped furniture (at most 100 listed).
    pub furniture_lines_a: Vec<u32>,
    /// Lines of B's file that held dropped furniture (at most 100 listed).
    pub furniture_lines_b: Vec<u32>,
    /// Markdown block-markup tokens dropped from A (`#`, `>`, `-`, `|`, …).
    pub markup_a: usize,
    /// Markdown block-markup tokens dropped from B.
    pub markup_b: usize,
    /// Differences that were only white space or hyphenation.
    pub spacing_and_hyphenation: usize,
}

/// The comparison of two copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// True when every layer is the same text (the header does not count).
    pub same: bool,
    /// Name of the first copy.
    pub a: String,
    /// Name of the second copy.
    pub b: String,
    /// The comparison rule ([`COMPARISON`]).
    pub comparison: &'static str,
    /// Always true: letter case is significant.
    pub case_sensitive: bool,
    /// The publication headers, when either copy has one.
    pub header: Option<HeaderDiff>,
    /// The layers, outermost first, with unpaired layers where they fall.
    pub layers: Vec<LayerDiff>,
    /// What was ignored.
    pub ignored: Ignored,
    /// Set (a stable sentence) when the word diff reached its work limit: some changes are then
    /// shown as larger hunks. Absent normally.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<&'static str>,
}

impl DiffReport {
    /// 0 when every layer is the same text, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.same {
            0
        } else {
            1
        }
    }
}

/// Compare two copies of one transmittal (see the module documentation).
///
/// Fails only when a copy is not UTF-8; the error names the file.
pub fn diff(
    a_name: &str,
    a_bytes: &[u8],
    b_name: &str,
    b_bytes: &[u8],
) -> Result<DiffReport, InputError> {
    let a = canonical::canonicalize(a_bytes)
        .map_err(|e| crate::error::with_path(e, std::path::Path::new(a_name)))?;
    let b = canonical::canonicalize(b_bytes)
        .map_err(|e| crate::error::with_path(e, std::path::Path::new(b_name)))?;
    // Only the header and the layers' starts and kinds are used: the parser's lighter mode, which
    // does not read titles, dates, names or evidence (the same boundaries, a part of the memory).
    let sa = parser::propose_boundaries(&a);
    let sb = parser::propose_boundaries(&b);
    Ok(compare(a_name, &a, &sa, b_name, &b, &sb))
}

// ---------------------------------------------------------------------------------------------
// Words

/// One word of a copy and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    /// The word as compared (cleaned).
    text: String,
    /// Canonical byte offset of its first character.
    start: usize,
    /// 1-based line of the original file.
    line: u32,
    /// 1-based column of the canonical line.
    column: u32,
    /// Line of its last part (differs from `line` for a word hyphenated at a line end).
    last_line: u32,
}

/// A white-space separated token, cleaned of Markdown.
#[derive(Debug, Clone)]
struct Raw {
    start: usize,
    clean: String,
    /// Written as `*` seven digits `*`.
    barcode: bool,
    /// 0-based canonical line index.
    line_idx: usize,
    /// 1-based column.
    column: u32,
}

/// The words of one copy.
#[derive(Debug, Clone, Default)]
struct Tokens {
    words: Vec<Word>,
    furniture: usize,
    furniture_lines: Vec<u32>,
    markup: usize,
}

/// Byte ranges of Markdown link syntax to delete: the `[` (or `![`) and the `](url)`.
fn link_syntax(text: &str) -> Vec<Range<usize>> {
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

fn is_barcode(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b[0] == b'*' && b[8] == b'*' && b[1..8].iter().all(u8::is_ascii_digit)
}

/// Clean one token: drop link syntax, emphasis, soft hyphens; resolve backslash escapes.
fn clean_token(
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
fn raw_tokens(text: &str) -> (Vec<Raw>, usize) {
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

fn is_markup_char(c: char) -> bool {
    matches!(
        c,
        '#' | '>' | '-' | '+' | '|' | '=' | '•' | '◦' | '▪' | '\u{f0b7}'
    )
}

/// Shaped like a UN document symbol: `S/2017/912`, `A/72/100`, `A/HRC/35/1`.
fn looks_like_symbol(s: &str) -> bool {
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
fn doc_symbols(copies: &[&[Raw]], header_symbols: &[Option<String>]) -> Vec<String> {
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
enum Class {
    Other,
    Job,
    Lang,
    Stamp,
    Barcode,
    Symbol,
    Page,
    Counter,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn classify(r: &Raw, symbols: &[String]) -> Class {
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
fn furniture(raws: &[Raw], symbols: &[String]) -> Vec<bool> {
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

/// Cut a canonical text into words (see the module documentation).
fn tokenize(doc: &CanonicalText, raws: &[Raw], symbols: &[String]) -> Tokens {
    let furn = furniture(raws, symbols);
    let mut t = Tokens::default();
    let mut kept: Vec<(&Raw, bool)> = Vec::with_capacity(raws.len());
    let mut furniture_before = false;
    for (r, &f) in raws.iter().zip(&furn) {
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
fn hyphen_join(t: &Raw, u: &Raw, furniture_between: bool) -> Option<String> {
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
fn squash(words: &[Word]) -> String {
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

// ---------------------------------------------------------------------------------------------
// Comparison

/// A part of a copy: the header (part 0) or a layer (part i + 1).
#[derive(Debug, Clone)]
struct Part {
    kind: Option<LayerKind>,
    present: bool,
    words: Range<usize>,
    lines: Option<[u32; 2]>,
}

struct Side {
    tokens: Tokens,
    /// Part of each word.
    part: Vec<usize>,
    parts: Vec<Part>,
}

fn build_side(doc: &CanonicalText, s: &Structure, tokens: Tokens) -> Side {
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
struct Seg {
    eq: bool,
    a: Range<usize>,
    b: Range<usize>,
}

/// Align two word sequences with the bounded diff of [`crate::align`] (exact up to its limits,
/// anchored beyond; work counted, never timed). Also says whether a limit was reached.
fn align(ka: &[u32], kb: &[u32]) -> (Vec<Seg>, bool) {
    let (ops, limited) = crate::align::bounded_diff(ka, kb);
    let mut segs: Vec<Seg> = Vec::with_capacity(ops.len());
    for op in ops {
        let (tag, a, b) = op.as_tag_tuple();
        push_seg(&mut segs, tag == similar::DiffTag::Equal, a, b);
    }
    (segs, limited)
}

/// Append a segment, merging it with the last one when both are changes (or both equal).
fn push_seg(segs: &mut Vec<Seg>, eq: bool, a: Range<usize>, b: Range<usize>) {
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
fn slide(segs: Vec<Seg>, ka: &[u32], kb: &[u32], pa: &[usize], pb: &[usize]) -> Vec<Seg> {
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
struct Entry {
    a: Option<usize>,
    b: Option<usize>,
    changes: Vec<Change>,
    matched_a: usize,
    matched_b: usize,
    elsewhere: usize,
}

/// Pair the layers of A (parts 1..=na) with those of B in order, maximizing shared words.
fn pair_layers(
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

fn span_lines(words: &[Word]) -> Option<[u32; 2]> {
    let first = words.first()?;
    let last = words.last()?;
    Some([first.line, last.last_line.max(first.line)])
}

fn join_words(words: &[Word]) -> String {
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
fn trim_common_punctuation(a: String, b: String) -> (String, String) {
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

fn make_change(
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
fn intern<'w>(words: &'w [Word], ids: &mut HashMap<&'w str, u32>) -> Vec<u32> {
    words
        .iter()
        .map(|w| {
            let next = ids.len() as u32;
            *ids.entry(w.text.as_str()).or_insert(next)
        })
        .collect()
}

/// Compare two canonical copies whose structures are given.
fn compare(
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
    let mut ta = tokenize(a_doc, &ra, &symbols);
    let mut tb = tokenize(b_doc, &rb, &symbols);
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
        limit: limited.then(|| crate::align::Limit::Diff.describe()),
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_owned()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn cut(s: &str, n: usize) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    if words.len() <= n {
        s.to_owned()
    } else {
        format!(
            "{} … ({} more words)",
            words[..n].join(" "),
            words.len() - n
        )
    }
}

fn lines_str(l: Option<[u32; 2]>) -> String {
    match l {
        Some([a, b]) if a == b => format!("line {a}"),
        Some([a, b]) => format!("lines {a}-{b}"),
        None => "no lines".to_owned(),
    }
}

fn render_changes(out: &mut String, changes: &[Change], color: bool) {
    for c in changes {
        let mut at = Vec::new();
        if let Some([l, _]) = c.a_lines {
            at.push(format!("A line {l}"));
        }
        if let Some([l, _]) = c.b_lines {
            at.push(format!("B line {l}"));
        }
        let mut head = format!("@ {}", at.join(", "));
        if !c.before.is_empty() {
            let _ = write!(head, ", after \"{}\"", c.before);
        } else if !c.after.is_empty() {
            let _ = write!(head, ", before \"{}\"", c.after);
        }
        if c.case_only {
            head.push_str(" (case only)");
        }
        let _ = writeln!(out, "  {}", paint(color, "2", &head));
        if !c.a.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                paint(color, "31", &format!("- {}", cut(&c.a, SHOWN_WORDS)))
            );
        }
        if !c.b.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                paint(color, "32", &format!("+ {}", cut(&c.b, SHOWN_WORDS)))
            );
        }
    }
}

/// Human rendering: the verdict, the comparison rule, one line per layer with its changes, and
/// what was ignored. ANSI colours only when `color`.
pub fn render(d: &DiffReport, color: bool) -> String {
    let mut out = String::new();
    let count = |s: Status| d.layers.iter().filter(|l| l.status == s).count();
    let (differs, missing, added) = (
        count(Status::Differs),
        count(Status::Missing),
        count(Status::Added),
    );
    if d.same {
        let _ = writeln!(
            out,
            "{}: {} and {} ({})",
            paint(color, "32", "same text"),
            d.a,
            d.b,
            plural(d.layers.len(), "layer", "layers")
        );
    } else {
        let mut bits = Vec::new();
        if differs > 0 {
            bits.push(format!(
                "{differs} differ{}",
                if differs == 1 { "s" } else { "" }
            ));
        }
        if missing > 0 {
            bits.push(format!("{missing} missing in B"));
        }
        if added > 0 {
            bits.push(format!("{added} added in B"));
        }
        let _ = writeln!(
            out,
            "{}: {} and {} ({} of {}: {})",
            paint(color, "31;1", "differs"),
            d.a,
            d.b,
            differs + missing + added,
            plural(d.layers.len(), "layer", "layers"),
            bits.join(", ")
        );
    }
    let _ = writeln!(out, "compared: {}; case-sensitive", d.comparison);
    if let Some(h) = &d.header {
        let (mark, what) = match h.status {
            Status::Same => (paint(color, "32", "✓"), "same text".to_owned()),
            Status::Missing => (paint(color, "33", "!"), "only in A".to_owned()),
            Status::Added => (paint(color, "33", "!"), "only in B".to_owned()),
            Status::Differs => (paint(color, "33", "!"), "differs".to_owned()),
        };
        let _ = writeln!(
            out,
            "{mark} header: {what} ({}; publication header, not part of any layer: not counted)",
            if h.words_a == h.words_b {
                plural(h.words_a, "word", "words")
            } else {
                format!("{} / {} words", h.words_a, h.words_b)
            }
        );
        render_changes(&mut out, &h.changes, color);
    }
    for l in &d.layers {
        let mut name = format!("layer {} {}", l.index, l.kind);
        if l.index_a.is_some() {
            if let (Some(ib), Some(kb)) = (l.index_b, l.kind_b) {
                if Some(ib) != l.index_a || kb != l.kind {
                    let _ = write!(name, " (B: layer {ib} {kb})");
                }
            }
        }
        match l.status {
            Status::Same => {
                let words = if l.words_a == l.words_b {
                    plural(l.words_a, "word", "words")
                } else {
                    format!("{} / {} words", l.words_a, l.words_b)
                };
                let _ = writeln!(
                    out,
                    "{} {name}: same text ({words})",
                    paint(color, "32", "✓")
                );
            }
            Status::Differs => {
                let _ = writeln!(
                    out,
                    "{} {name}: differs ({})",
                    paint(color, "31;1", "✗"),
                    plural(l.changes.len(), "change", "changes")
                );
                render_changes(&mut out, &l.changes, color);
            }
            Status::Missing => {
                let _ = writeln!(
                    out,
                    "{} {name}: missing in B ({}, A {})",
                    paint(color, "31;1", "✗"),
                    plural(l.words_a, "word", "words"),
                    lines_str(l.lines_a)
                );
                if let Some(c) = l.changes.iter().find(|c| !c.a.is_empty()) {
                    let _ = writeln!(
                        out,
                        "  {}",
                        paint(color, "31", &format!("- {}", cut(&c.a, 12)))
                    );
                }
            }
            Status::Added => {
                let _ = writeln!(
                    out,
                    "{} layer {} {}: added in B ({}, B {})",
                    paint(color, "31;1", "✗"),
                    l.index,
                    l.kind,
                    plural(l.words_b, "word", "words"),
                    lines_str(l.lines_b)
                );
                if let Some(c) = l.changes.iter().find(|c| !c.b.is_empty()) {
                    let _ = writeln!(
                        out,
                        "  {}",
                        paint(color, "32", &format!("+ {}", cut(&c.b, 12)))
                    );
                }
            }
        }
        if l.words_elsewhere > 0 {
            let _ = writeln!(
                out,
                "  {}",
                paint(
                    color,
                    "2",
                    &format!(
                        "· {} of this layer lie in another layer of the other copy (the parser reads a boundary differently)",
                        plural(l.words_elsewhere, "word", "words")
                    )
                )
            );
        }
    }
    let i = &d.ignored;
    let mut ignored = vec![format!(
        "page furniture {} in A, {} in B",
        plural(i.furniture_a, "word", "words"),
        i.furniture_b
    )];
    if i.markup_a + i.markup_b > 0 {
        ignored.push(format!("Markdown markup {} / {}", i.markup_a, i.markup_b));
    }
    if i.spacing_and_hyphenation > 0 {
        ignored.push(format!(
            "{} only in white space or hyphenation",
            plural(i.spacing_and_hyphenation, "difference", "differences")
        ));
    }
    let _ = writeln!(out, "ignored: {}", ignored.join("; "));
    if let Some(l) = d.limit {
        let _ = writeln!(out, "{} {l}", paint(color, "33", "!"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::{Confidence, HeaderProposal, LayerProposal};

    fn words(text: &str) -> Vec<String> {
        let doc = canonical::canonicalize_str(text);
        let (raws, _) = raw_tokens(doc.as_str());
        let symbols = doc_symbols(&[&raws], &[]);
        tokenize(&doc, &raws, &symbols)
            .words
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    fn furniture_count(text: &str) -> usize {
        let doc = canonical::canonicalize_str(text);
        let (raws, _) = raw_tokens(doc.as_str());
        let symbols = doc_symbols(&[&raws], &[]);
        tokenize(&doc, &raws, &symbols).furniture
    }

    #[test]
    fn emphasis_links_and_escapes() {
        assert_eq!(
            words("(Signed) António **Guterres**"),
            ["(Signed)", "António", "Guterres"]
        );
        assert_eq!(
            words("resolution [1244 \\(1999\\)](#), please"),
            ["resolution", "1244", "(1999),", "please"]
        );
        assert_eq!(
            words("see ![the map](https://x.org/a_(b).png) and `code` _it_ snake_case 5\\*3"),
            [
                "see",
                "the",
                "map",
                "and",
                "code",
                "it",
                "snake_case",
                "5*3"
            ]
        );
        assert_eq!(words("[Original: English]"), ["[Original:", "English]"]);
        assert_eq!(
            words("## Summary\n\n- item one\n> quoted\n---\n| a | b |"),
            ["Summary", "item", "one", "quoted", "a", "b"]
        );
    }

    #[test]
    fn hyphenation_at_line_end() {
        assert_eq!(words("the opera-\ntions of"), ["the", "operations", "of"]);
        assert_eq!(
            words("15 non-\nNATO countries"),
            ["15", "non-NATO", "countries"]
        );
        // Not at a line end, across a paragraph break, or after a digit: kept apart.
        assert_eq!(words("pre- and post-war"), ["pre-", "and", "post-war"]);
        assert_eq!(words("opera-\n\ntions"), ["opera-", "tions"]);
        assert_eq!(words("2016-\n2017"), ["2016-", "2017"]);
        // Across page furniture.
        assert_eq!(words("opera-\n17-19230 (E) 021117\ntions"), ["operations"]);
    }

    #[test]
    fn furniture_is_dropped_in_context_only() {
        let flat = "(Signed) Kofi A. Annan 01-59943 (E) 251001 *0159943* S/2001/1001 Annex Letter \
                    (Signed) George Robertson 2 S/2001/1001 Enclosure 1. Over";
        assert_eq!(
            words(flat),
            [
                "(Signed)",
                "Kofi",
                "A.",
                "Annan",
                "Annex",
                "Letter",
                "(Signed)",
                "George",
                "Robertson",
                "Enclosure",
                "1.",
                "Over"
            ]
        );
        assert_eq!(furniture_count(flat), 7);
        // Even-page footer with a page counter, then the running header; the symbol in running
        // text is kept.
        assert_eq!(
            words("Council. 2/5 15-05794 S/2015/248 Enclosure S/2015/248 and"),
            ["Council.", "Enclosure", "S/2015/248", "and"]
        );
        // Lines of their own in a wrapped text layer; the symbol alone on its line.
        assert_eq!(
            words("troops\n17-19230 (E) 021117\nS/2017/912\nin theatre\n\nS/2017/912\n\nnext"),
            ["troops", "in", "theatre", "next"]
        );
        // A page number alone on its line next to furniture; the masthead symbol is kept.
        assert_eq!(
            words("S/2007/253\n\nend of page\n\n2\n\n07-33080\n\nS/2007/253\n\nAnnex"),
            ["S/2007/253", "end", "of", "page", "Annex"]
        );
        // Never on their own: figures, years, a lone (E), a fraction, a number before a job number.
        assert_eq!(
            words("approximately 4,100 troops in 2017 (E) 1/2 paragraph 20 17-19230 (E) 021117"),
            [
                "approximately",
                "4,100",
                "troops",
                "in",
                "2017",
                "(E)",
                "1/2",
                "paragraph",
                "20"
            ]
        );
        assert_eq!(
            words("on 251001 and 01-59943 and S/2001/1001"),
            ["on", "251001", "and", "01-59943", "and", "S/2001/1001"]
        );
        // A symbol that occurs once and is not alone on its line is content.
        assert_eq!(words("see S/2017/912 and"), ["see", "S/2017/912", "and"]);
    }

    #[test]
    fn squash_forgives_spacing_and_hyphenation_only() {
        let w = |s: &[&str]| -> Vec<Word> {
            s.iter()
                .map(|t| Word {
                    text: (*t).to_owned(),
                    start: 0,
                    line: 1,
                    column: 1,
                    last_line: 1,
                })
                .collect()
        };
        assert_eq!(
            squash(&w(&["EnclosureReport"])),
            squash(&w(&["Enclosure", "Report"]))
        );
        assert_eq!(
            squash(&w(&["multi-faceted"])),
            squash(&w(&["multifaceted"]))
        );
        assert_eq!(squash(&w(&["non-", "NATO"])), squash(&w(&["non-NATO"])));
        assert_ne!(squash(&w(&["4,100"])), squash(&w(&["4,600"])));
        assert_ne!(squash(&w(&["1-2"])), squash(&w(&["12"])));
        assert_ne!(squash(&w(&["4", "100"])), squash(&w(&["4,100"])));
    }

    fn layer(kind: LayerKind, start: usize, end: usize) -> LayerProposal {
        LayerProposal {
            kind,
            start,
            content_start: start,
            end,
            title: None,
            date: None,
            original_language: None,
            signatories: Vec::new(),
            confidence: Confidence::Certain,
            evidence: Vec::new(),
        }
    }

    /// A structure from the byte offsets of the given marker strings.
    fn structure(doc: &CanonicalText, header: bool, markers: &[(&str, LayerKind)]) -> Structure {
        let t = doc.as_str();
        let mut starts = Vec::new();
        for (m, k) in markers {
            starts.push((t.find(m).expect("marker"), *k));
        }
        let mut layers = Vec::new();
        for (n, (s, k)) in starts.iter().enumerate() {
            let end = starts.get(n + 1).map(|x| x.0).unwrap_or(t.len());
            layers.push(layer(*k, *s, end));
        }
        Structure {
            header: header.then(|| HeaderProposal {
                end: starts[0].0,
                symbol: None,
                date: None,
                original_language: None,
            }),
            layers,
        }
    }

    const A: &str = "Security Council\n\nLetter from the Secretary-General\n\nI transmit the annexed letter.\n\n(Signed) António **Guterres**\n\nAnnex\n\nPlease find enclosed the report.\n\n(Signed) Jens **Stoltenberg**\n\nEnclosure\n\n1. Troops remain approximately 4,100 in theatre.\n2. No incidents.\n";

    fn run(a: &str, am: &[(&str, LayerKind)], b: &str, bm: &[(&str, LayerKind)]) -> DiffReport {
        let da = canonical::canonicalize_str(a);
        let db = canonical::canonicalize_str(b);
        let sa = structure(&da, true, am);
        let sb = structure(&db, true, bm);
        compare("a", &da, &sa, "b", &db, &sb)
    }

    const M3: &[(&str, LayerKind)] = &[
        ("Letter", LayerKind::Cover),
        ("Annex", LayerKind::Annex),
        ("Enclosure", LayerKind::Enclosure),
    ];

    #[test]
    fn reflowed_copy_is_the_same() {
        let b = "Security Council\nLetter from the\nSecretary-General I transmit the annexed\nletter. (Signed) António Guterres\n17-19230 (E) 021117\nS/2017/912\nAnnex\nPlease find en-\nclosed the report.\n(Signed) Jens Stoltenberg\nS/2017/912\nEnclosure\n1. Troops remain approximately 4,100 in theatre. 2. No incidents.\n";
        let d = run(A, M3, b, M3);
        assert!(d.same, "{d:#?}");
        assert_eq!(d.layers.len(), 3);
        assert!(d.layers.iter().all(|l| l.status == Status::Same));
        assert_eq!(d.ignored.furniture_b, 5);
        assert_eq!(d.exit_code(), 0);
    }

    #[test]
    fn changed_figure_is_shown_exactly() {
        let b = A.replace("4,100", "4,600");
        let d = run(A, M3, &b, M3);
        assert!(!d.same);
        assert_eq!(d.layers[0].status, Status::Same);
        assert_eq!(d.layers[1].status, Status::Same);
        assert_eq!(d.layers[2].status, Status::Differs);
        let c = &d.layers[2].changes;
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].a.as_str(), c[0].b.as_str()), ("4,100", "4,600"));
        assert_eq!(c[0].a_lines, Some([17, 17]));
        assert_eq!(c[0].before, "Enclosure 1. Troops remain approximately");
        let text = render(&d, false);
        assert!(
            text.contains("✗ layer 2 enclosure: differs (1 change)"),
            "{text}"
        );
        assert!(text.contains("  - 4,100\n  + 4,600\n"), "{text}");
    }

    #[test]
    fn missing_middle_layer_is_named() {
        let b = A.replace(
            "Annex\n\nPlease find enclosed the report.\n\n(Signed) Jens **Stoltenberg**\n\n",
            "",
        );
        let d = run(
            A,
            M3,
            &b,
            &[
                ("Letter", LayerKind::Cover),
                ("Enclosure", LayerKind::Enclosure),
            ],
        );
        assert!(!d.same);
        let st: Vec<Status> = d.layers.iter().map(|l| l.status).collect();
        assert_eq!(st, [Status::Same, Status::Missing, Status::Same]);
        assert_eq!(d.layers[1].kind, "annex");
        assert_eq!(d.layers[2].index_b, Some(1));
        assert!(render(&d, false).contains("✗ layer 1 annex: missing in B"));
    }

    #[test]
    fn boundary_read_differently_is_not_a_difference() {
        // B's parser found no annex boundary: the text is still the same.
        let d = run(
            A,
            M3,
            A,
            &[
                ("Letter", LayerKind::Cover),
                ("Enclosure", LayerKind::Enclosure),
            ],
        );
        assert!(d.same, "{d:#?}");
        assert!(d.layers.iter().any(|l| l.words_elsewhere > 0));
    }

    #[test]
    fn case_only_and_header_not_counted() {
        let b = A
            .replace("Troops remain", "troops remain")
            .replace("Security Council", "United Nations Security Council");
        let d = run(A, M3, &b, M3);
        let h = d.header.as_ref().expect("header");
        assert_eq!(h.status, Status::Differs);
        assert!(!h.counted);
        assert!(d.layers[2].changes[0].case_only);
        let b = A.replace("Security Council", "United Nations Security Council");
        assert!(run(A, M3, &b, M3).same);
    }

    #[test]
    fn shared_punctuation_is_not_shown_as_changed() {
        let t = |a: &str, b: &str| trim_common_punctuation(a.to_owned(), b.to_owned());
        assert_eq!(t("4,100,", "4,600,"), ("4,100".into(), "4,600".into()));
        assert_eq!(t("(1999),", "(2000),"), ("1999".into(), "2000".into()));
        assert_eq!(t("end.", "end!"), ("end.".into(), "end!".into()));
        assert_eq!(t("a,", ""), ("a,".into(), "".into()));
        assert_eq!(t("((", "(("), ("(".into(), "(".into()));
        assert_eq!(t("é,", "è,"), ("é".into(), "è".into()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any text: no panic, a copy is the same as itself, and the exit code follows `same`.
        #[test]
        fn never_panics_and_a_copy_is_itself(
            a in "[a-cES \\n\\[\\]()\\\\*_`#>/0-9,.é-]{0,200}",
            b in "[a-cES \\n\\[\\]()\\\\*_`#>/0-9,.é-]{0,200}",
        ) {
            let d = diff("a", a.as_bytes(), "b", b.as_bytes()).unwrap();
            proptest::prop_assert_eq!(d.exit_code(), if d.same { 0 } else { 1 });
            let _ = render(&d, true);
            let d = diff("a", a.as_bytes(), "a", a.as_bytes()).unwrap();
            proptest::prop_assert!(d.same, "{:#?}", d);
        }
    }

    #[test]
    fn not_utf8_names_the_file() {
        let e = diff("a.md", b"ok", "b.txt", b"bad \xff").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("b.txt") && m.contains("not UTF-8"), "{m}");
    }
}

pub mod align;
