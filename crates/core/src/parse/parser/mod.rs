//! The heuristic structure parser: proposes the publication header and the layers of a document.
//!
//! *Parsing is a proposal* (docs/FORMAT.md §9: verdicts never depend on it). Nothing here decides what is hashed or signed; `sign` records
//! the boundaries the parser proposes (after the signer has seen them) in the signature file, and
//! `verify` recomputes everything from those recorded boundaries. A better parser tomorrow can never
//! break a signature made today; at most `verify` warns that today's reading differs.
//!
//! Boundaries are canonical byte offsets (they may fall inside a line: run-in headings such as
//! `Enclosure**Report…**` and flattened PDF text); line spans are derived from them.
//!
//! # Cues
//!
//! The parser is a set of hand-written scanners (no regular expressions). One pass of SIMD byte
//! searches finds the cue words; each cue is then checked with bounded look-around, so the whole
//! is linear in the size of the text: the 3 KB seed parses in about 20 µs, and a 100 MB archive
//! file in linear time. It never fails and never panics on any input. What it keeps is bounded:
//! cues are checked as they are found (no table of every cue), signatory names are read only for
//! the layers that hold them, and at most [`MAX_LAYERS`] layers and [`MAX_MARKS`] "(Signed)" marks
//! are proposed, so a file of nothing but headings or signature lines costs a few hundred
//! kilobytes of records, not several times its size.
//!
//! * **Publication header**: a run of header items at the start (`United Nations`, an organ name
//!   such as `Security Council`, a document symbol such as `S/2001/1001` or
//!   `A/70/123–S/2015/456`, `Distr.: General`, a date, a language word, `Original: French`,
//!   agenda/session lines), on their own lines or run together on one line (flattened PDF text),
//!   tolerating page furniture, short OCR noise ("JStM") and a web copy's file metadata between
//!   items. Page furniture lines right after the block belong to it. A short preamble of web-page
//!   lines (site navigation, a page title) before a strong header block is part of the header. A
//!   title line such as ReliefWeb's `Letter dated … (S/2016/142)` is not a header: it is the cover
//!   letter's own heading.
//! * **Heading words** (`Annex`, `Enclosure`, `Appendix`, also in capitals, with Markdown emphasis
//!   or `#`, with a designator such as `I`, `2` or `B`): on their own line, run in (`Annex. Monthly
//!   report…`, `Enclosure**Report…**`, `Annex I wish to…`), in the long form (`Annex to the letter
//!   dated …`, wrapped over lines), or inside a flattened line after page furniture, a document
//!   symbol, a signature name or a sentence end. An immediately following `[Original: X]` line
//!   belongs to the markers. Prose ("annex 10 to the General Framework Agreement", "Annex I
//!   contains…") is not a heading. These boundaries are [`Confidence::Certain`].
//! * **A signature block followed by new text** (no-headings documents): after the `(Signed)` lines
//!   of a layer and the title lines under each name ("Head", "Leadership Panel"), the next text
//!   that is neither page furniture, another `(Signed)` mark, a heading nor a lone footnote before a
//!   heading starts a new layer. The closing formula of a note verbale (`… highest
//!   consideration.`) ends a communication the same way.
//! * **Letter headings** (`Letter dated … from … addressed to …`, `Note verbale dated …`,
//!   `Identical letters dated …`, `Letter of transmittal`) start a new layer when the current layer
//!   already has body text.
//! * **Report titles**: a title line followed by numbered paragraphs (`1.`) starts a new layer in a
//!   letter that refers to what it transmits (`(see enclosure)`, `attached`, `herewith`,
//!   `transmit`…), or right after a letter heading whose text is missing.
//!
//! Layers found without a heading word have empty markers and their kind by depth; all these
//! boundaries are [`Confidence::Inferred`]. Per layer the parser also proposes:
//!
//! * the **title**: its letter heading (wrapped lines and bold joined) or report title;
//! * the **letter date**: the layer's own letter heading (`Letter dated 2 Oct 2008`, OCR
//!   `31 January2003`), else the date the enclosing letter gives for it (`the attached letter,
//!   dated 22 July 2016`, `a note verbale from … dated 31 March 2015`, `the letter of 6 March
//!   2000`; not `resolution 1244 (1999), dated 10 June 1999`, not `my previous letter dated …`).
//!   The date of an `Annex to the letter dated …` heading is the date of the letter above, used
//!   only when that letter gives none;
//! * the **original language** from an `[Original: X]` marker of that layer;
//! * the **signatories**: names after `(Signed)` marks found by the rule of [`crate::parse::identity`]
//!   (`( Signed)` spacing, any case, quoted marks excluded), Markdown emphasis removed, stopping at
//!   page furniture, heading words and run-in titles ("Secretary General"), repaired of encoding
//!   damage (UTF-8 read as Latin-1, "AntÃ³nio"; stray replacement characters);
//! * the **date line** of a letter without a dated heading ("3 March 2004" before the
//!   salutation, "New York, 3 March 2004" after the addressee), when its own heading gives none.
//!
//! Letter headings may be in title case ("Letter Dated 12 May 1999") and broken by a blank line
//! before "from …"/"addressed to …". A web page's title line ("Letter dated … - Serbia |
//! ReliefWeb") above the document's own heading is not the heading, and its date is not the
//! letter's; above a header block it belongs to the header's preamble.
//!
//! Every boundary, signatory, date, language and title comes with [`Evidence`] (original line,
//! column, cue and confidence); header findings are recorded on the outermost layer.
//!
//! One scanner over the document, its methods in a module per thing they recognise: `scanner`
//! (bytes, lines, tokens, furniture), `dates`, `header` (the publication header), `signatures`
//! ("(Signed)" marks and signature blocks), `headings` (Annex, Enclosure, …), `letters` (letter
//! headings and date lines), `body` (body text, references, titles) and `run` (the whole
//! proposal); `words` holds the word lists and byte helpers.

use crate::format::canonical::CanonicalText;
use crate::format::chain::LayerKind;
use crate::format::dates::Date;
use crate::parse::identity::display_name;
use std::cell::Cell;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// How sure the parser is of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A heading word or a "(Signed)" mark says it.
    Certain,
    /// Derived from weaker cues (letter headings, references, depth, numbered paragraphs).
    Inferred,
}

/// Why the parser proposes something: the cue and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    /// What was found: `boundary`, `signatory`, `date`, `original_language`, `header`, `title`.
    pub what: &'static str,
    /// The value found (a name, an ISO date, a language, a heading).
    pub value: String,
    /// The cue, in words (e.g. `heading "Annex"`, `"(Signed)" mark`, `date in cover letter`).
    pub cue: String,
    /// 1-based line in the original file.
    pub line: u32,
    /// 1-based column in the canonical line.
    pub column: u32,
    /// How sure.
    pub confidence: Confidence,
}

/// The proposed publication header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProposal {
    /// Canonical byte offset where the header ends (= where layer 0 starts).
    pub end: usize,
    /// Document symbol such as `S/2001/1001`.
    pub symbol: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Original language ("Original: French").
    pub original_language: Option<String>,
}

/// One proposed layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerProposal {
    /// Kind: the document's own heading word, else by depth.
    pub kind: LayerKind,
    /// Canonical byte offset where the layer's container markers start (= end of the layer above).
    pub start: usize,
    /// Canonical byte offset where the layer's own text starts (after its markers).
    pub content_start: usize,
    /// Canonical byte offset where the layer's own text ends (= start of the next layer, or the
    /// end of the text for the innermost).
    pub end: usize,
    /// The layer's title (letter heading or report title), if found.
    pub title: Option<String>,
    /// Letter date of this layer (its own heading, or the date the enclosing letter gives for it).
    pub date: Option<Date>,
    /// Original language from an "[Original: X]" marker of this layer.
    pub original_language: Option<String>,
    /// Names after "(Signed)" marks, Markdown removed, in order.
    pub signatories: Vec<String>,
    /// How sure the parser is of the boundary that starts this layer.
    pub confidence: Confidence,
    /// The cues behind every finding.
    pub evidence: Vec<Evidence>,
}

/// The parser's reading of a whole document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Structure {
    /// The publication header, if any.
    pub header: Option<HeaderProposal>,
    /// The layers, outermost first. Never empty for a non-empty document.
    pub layers: Vec<LayerProposal>,
}

/// Propose the structure of `doc`. Never fails: a document without recognisable structure is one
/// `cover` layer.
pub fn propose(doc: &CanonicalText) -> Structure {
    scanner(doc).run(true)
}

/// The layers [`propose`] finds, with the same header, kinds, spans and confidence, but without
/// what it reads inside them (titles, dates, original languages, signatories, evidence): what
/// verification needs to compare the parser's boundaries with the recorded ones, at a part of
/// the cost.
pub fn propose_boundaries(doc: &CanonicalText) -> Structure {
    scanner(doc).run(false)
}

fn scanner(doc: &CanonicalText) -> Scanner<'_> {
    let t = doc.as_str();
    Scanner {
        doc,
        t,
        b: t.as_bytes(),
        line: Cell::new((0, 0, 0)),
        body: Cell::new((usize::MAX, 0, None)),
    }
}

// Internal findings.

/// A "(Signed)" mark with the name after it and the end of its signature block.
#[derive(Debug, Clone)]
struct Mark {
    start: usize,
    name_pos: usize,
    name_end: usize,
    block_end: usize,
}

/// A heading word that introduces a layer, with the markers it spans.
#[derive(Debug, Clone)]
struct Heading {
    start: usize,
    word: usize,
    content_start: usize,
    label_end: usize,
    long_date: Option<(Date, usize)>,
    lang: Option<(String, usize)>,
}

/// A letter heading ("Letter dated …", "Note verbale dated …", "Letter of transmittal").
#[derive(Debug, Clone, Copy)]
struct LetterHead {
    start: usize,
    word: usize,
}

/// A proposed boundary (start of a layer other than the outermost).
#[derive(Debug, Clone)]
struct Bound {
    start: usize,
    content_start: usize,
    confidence: Confidence,
    cue: String,
    value: String,
    heading: Option<usize>,
}

/// What follows a heading word.
#[derive(Debug, Clone, Copy)]
enum Follow {
    /// Nothing else on the line.
    OwnLine,
    /// The layer's text starts at this offset on the same line.
    RunIn(usize),
    /// "to the letter dated …" starts at this offset.
    LongForm(usize),
    /// "[Original: X]" starts at this offset.
    Original(usize),
}

/// Evidence before line and column are known.
struct Pending {
    layer: usize,
    what: &'static str,
    value: String,
    cue: String,
    off: usize,
    confidence: Confidence,
}

/// A found date with the offset where it was read.
type Found = (Date, usize);

struct Scanner<'a> {
    doc: &'a CanonicalText,
    t: &'a str,
    b: &'a [u8],
    /// The last line looked up: (index, start, start of the next line). Most lookups hit the same
    /// or the next line, so this saves a binary search over the line table.
    line: Cell<(usize, usize, usize)>,
    /// The last body-text scan of [`Scanner::has_body`]: (from, scanned up to, first sentence end).
    body: Cell<(usize, usize, Option<usize>)>,
}

mod body;
mod dates;
mod header;
mod headings;
mod letters;
mod run;
mod scanner;
mod signatures;
#[cfg(test)]
mod tests;
mod words;

pub use words::{MAX_LAYERS, MAX_MARKS};
