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
//! Each copy is canonicalized ([`crate::format::canonical`]; a copy that is not UTF-8 is an error naming
//! the file) and its structure proposed by [`crate::parse::parser::propose_boundaries`] (the layers of
//! [`crate::parse::parser::propose`], without what it reads inside them). Both copies are then cut
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

use crate::error::InputError;
use crate::format::canonical;
use crate::parse::parser;
use serde::Serialize;

/// The comparison rule, as stated in every report.
pub const COMPARISON: &str =
    "words (ignoring line wrapping, white space, page furniture and Markdown emphasis)";

/// Words of context shown on each side of a change.
pub(crate) const CONTEXT_WORDS: usize = 5;
/// Largest layers × layers table for the pairing; beyond it layers are paired by index.
pub(crate) const MAX_PAIRING_CELLS: usize = 4_000_000;
/// How far a lone insertion or deletion is slid to fit a layer boundary.
pub(crate) const MAX_SLIDE: usize = 512;

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
    Ok(compare::compare(a_name, &a, &sa, b_name, &b, &sb))
}

pub mod align;
mod compare;
mod furniture;
mod pairing;
#[cfg(test)]
mod tests;
mod tokens;
