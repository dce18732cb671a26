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
//! * the **signatories**: names after `(Signed)` marks found by the rule of [`crate::identity`]
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

use crate::canonical::CanonicalText;
use crate::chain::LayerKind;
use crate::dates::{self, Date};
use crate::identity::display_name;
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

// ------------------------------------------------------------------------------------------------
// Word lists.

/// Heading words that introduce a layer (the kind is derived with [`LayerKind::from_markers`]).
const HEADING_WORDS: [&str; 6] = [
    "Annex",
    "ANNEX",
    "Enclosure",
    "ENCLOSURE",
    "Appendix",
    "APPENDIX",
];

/// Words that begin a signer's title, not their name ("(Signed) Jens Stoltenberg Secretary …").
const TITLE_WORDS: &[&str] = &[
    "Secretary-General",
    "Secretary",
    "Under-Secretary-General",
    "President",
    "Vice-President",
    "Chairperson",
    "Chairman",
    "Chair",
    "Head",
    "Permanent",
    "Ambassador",
    "Minister",
    "Director",
    "Director-General",
    "Representative",
    "Commander",
    "Chargé",
    "Charge",
    "Deputy",
    "Acting",
    "Special",
    "High",
    "Prime",
    "Executive",
    "Coordinator",
    "Envoy",
    "Chief",
    "Commissioner",
    "Registrar",
    "Prosecutor",
];

/// Lower-case name particles ("Lord ROBERTSON of Port Ellen", "Ould", "van", "bin").
const PARTICLES: &[&str] = &[
    "of", "de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den",
    "ter", "bin", "ibn", "al", "el", "la", "le", "y", "zu", "ben", "ould", "e",
];

/// Language words of the header block ("English / Original: French").
const LANGUAGES: &[&str] = &[
    "English", "French", "Spanish", "Russian", "Chinese", "Arabic", "ENGLISH", "FRENCH", "SPANISH",
    "RUSSIAN", "CHINESE", "ARABIC",
];

/// Nouns that name a communication a letter can transmit ("the attached letter, dated …").
const COMM_NOUNS: &[&str] = &[
    "letter",
    "letters",
    "note",
    "notes",
    "verbale",
    "verbales",
    "communication",
    "message",
    "memorandum",
    "report",
];

/// Nouns whose date is not a communication's ("resolution 1244 (1999), dated 10 June 1999").
const BLOCK_NOUNS: &[&str] = &[
    "resolution",
    "resolutions",
    "decision",
    "agreement",
    "statement",
    "declaration",
    "meeting",
    "session",
    "law",
    "decree",
    "period",
    "treaty",
    "accord",
    "plan",
    "communiqué",
    "conference",
];

/// Words that say a letter transmits what it refers to.
const TRANSMIT_WORDS: &[&str] = &[
    "attach", "enclos", "herewith", "transmit", "convey", "forward",
];

/// Phrases that show a letter refers to layers beneath it (for the report-title cue).
const REFERENCE_PHRASES: &[&str] = &[
    "(see enclosure",
    "(see annex",
    "(see appendix",
    "attach",
    "enclose",
    "herewith",
    "transmit",
    "convey",
    "forward",
];

/// Nouns after "Annex to the …" in the long form of a heading.
const LONG_FORM_NOUNS: &[&str] = &[
    "letter",
    "letters",
    "note",
    "communication",
    "report",
    "memorandum",
    "message",
    "identical",
    "present",
    "joint",
];

/// Words that end the addressee of a flattened letter heading ("… to the Secretary-General").
const ADDRESSEE_END: &[&str] = &[
    "Council",
    "Secretary-General",
    "Assembly",
    "Nations",
    "Commission",
    "Secretariat",
    "Union",
    "Organization",
    "Office",
    "Court",
];

/// Words after "Annex I" that show the "I" is the pronoun starting the text ("Annex I wish to…"),
/// not a designator ("Annex I to the Agreement", "Annex I contains…").
const PRONOUN_VERBS: &[&str] = &[
    "wish", "have", "am", "write", "would", "should", "refer", "attach", "enclose", "hereby",
    "herewith", "take", "can", "will", "shall", "must", "want", "hope", "look", "thank", "avail",
    "also", "further", "transmit", "convey", "forward", "submit", "request", "welcome", "regret",
    "believe", "consider", "inform", "seek", "was", "had", "recall", "note", "need", "write",
];

/// Longest token the scanners look at (longer runs without white space are never cues).
const MAX_TOKEN: usize = 256;

// ------------------------------------------------------------------------------------------------
// Byte helpers.

fn is_sp(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_emph(c: u8) -> bool {
    c == b'*' || c == b'_'
}

/// If `(` at `open` starts `( Signed )`, the offset after `)` (the rule of `docs/FORMAT.md` §6, as
/// in [`crate::identity`]).
fn match_signed(b: &[u8], open: usize) -> Option<usize> {
    if b.get(open) != Some(&b'(') {
        return None;
    }
    let mut i = open + 1;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let word = b.get(i..i + 6)?;
    if !word.eq_ignore_ascii_case(b"signed") {
        return None;
    }
    i += 6;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    (b.get(i) == Some(&b')')).then_some(i + 1)
}

/// Text for display: Markdown emphasis (`*`, `_`, `` ` ``) removed, white space runs as one space,
/// trimmed, NFC: the result of [`display_name`], computed without re-normalizing text that is
/// already NFC (canonical text is).
fn plain(s: &str) -> String {
    let b = s.as_bytes();
    let untouched = !b
        .iter()
        .any(|&c| matches!(c, b'*' | b'_' | b'`' | b'\n' | b'\t' | b'\r'))
        && !s.contains("  ")
        && !s.starts_with(' ')
        && !s.ends_with(' ');
    if s.is_ascii() {
        if untouched {
            return s.to_owned();
        }
        let mut out = String::with_capacity(s.len());
        let mut pending_space = false;
        for &c in b {
            if matches!(c, b'*' | b'_' | b'`') {
                continue;
            }
            if c.is_ascii_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(char::from(c));
        }
        return out;
    }
    if is_nfc_quick(s.chars()) != IsNormalized::Yes {
        return display_name(s);
    }
    let mut out = String::with_capacity(s.len());
    crate::identity::collapse_into(s.chars(), &mut out, |out, c| out.push(c));
    if is_nfc_quick(out.chars()) == IsNormalized::Yes {
        out
    } else {
        out.nfc().collect()
    }
}

/// Words that, ending a heading line, say the heading goes on on the next line ("Letter dated
/// … addressed to the" / "President of the Security Council").
const HEADING_CONNECTORS: [&str; 9] = [
    "the",
    "to",
    "of",
    "from",
    "and",
    "addressed",
    "on",
    "for",
    "by",
];

/// Words that may begin a letter heading (see `Scanner::letter_form_at`).
const LETTER_STARTS: [&str; 9] = [
    "Letter",
    "Identical letters",
    "Identical Letters",
    "Joint letter",
    "Joint Letter",
    "Note verbale",
    "Note Verbale",
    "LETTER",
    "NOTE VERBALE",
];

/// Most layers the parser proposes. A transmittal chain is a handful of layers deep; past this
/// many boundaries the rest of the text belongs to the innermost layer, so that what the parser
/// keeps stays bounded whatever the input (a file of nothing but "Annex" lines).
pub const MAX_LAYERS: usize = 4096;

/// Most "(Signed)" marks (and closing formulas) the parser reads in one document; later ones are
/// text of the layer that holds them.
pub const MAX_MARKS: usize = 8192;

/// A language as written in an "Original:" marker, Markdown removed; a word in capitals
/// ("ENGLISH") is given in title case ("English").
fn language(raw: &str) -> String {
    let s = plain(raw);
    if s.chars().any(char::is_lowercase) {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// Text repaired of encoding damage: UTF-8 read as Latin-1 or Windows-1252 ("AntÃ³nio" is
/// "António") is decoded again, and replacement characters (U+FFFD) are dropped. Text that does
/// not decode as such damage is left as it is.
fn repair_encoding(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let mut s: Cow<'_, str> = Cow::Borrowed(s);
    if s.chars().any(|c| ('\u{c2}'..='\u{f4}').contains(&c)) {
        // Windows-1252 characters at 0x80..0x9F.
        const CP1252: [char; 32] = [
            '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
            '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
            '\u{9d}', 'ž', 'Ÿ',
        ];
        let bytes: Option<Vec<u8>> = s
            .chars()
            .map(|c| match u8::try_from(u32::from(c)) {
                Ok(b) => Some(b),
                Err(_) => CP1252
                    .iter()
                    .position(|&x| x == c)
                    .and_then(|i| u8::try_from(0x80 + i).ok()),
            })
            .collect();
        if let Some(b) = bytes {
            if let Ok(fixed) = String::from_utf8(b) {
                if fixed.len() < s.len() {
                    s = Cow::Owned(fixed);
                }
            }
        }
    }
    if s.contains('\u{fffd}') {
        s = Cow::Owned(s.replace('\u{fffd}', ""));
    }
    s
}

/// A display name cleaned of encoding damage and trailing punctuation.
fn clean_name(raw: &str) -> String {
    let mut s = plain(&repair_encoding(raw));
    while s.ends_with([',', ';', ':', ' ']) {
        s.pop();
    }
    if s.ends_with('.') {
        let last = s.rsplit(' ').next().unwrap_or("");
        if last.chars().count() > 3 {
            s.pop();
        }
    }
    s
}

/// Month number for an English month name or an abbreviation of three letters or more, any case
/// ("October", "Oct", "Sept"): the rule of [`dates::month_from_name`], without allocating.
fn month_num(w: &[u8]) -> Option<u8> {
    const MONTHS: [&[u8]; 12] = [
        b"january",
        b"february",
        b"march",
        b"april",
        b"may",
        b"june",
        b"july",
        b"august",
        b"september",
        b"october",
        b"november",
        b"december",
    ];
    if w.len() < 3 {
        return None;
    }
    for (i, m) in MONTHS.iter().enumerate() {
        if w.len() <= m.len() && m[..w.len()].eq_ignore_ascii_case(w) {
            return u8::try_from(i + 1).ok();
        }
    }
    w.eq_ignore_ascii_case(b"sept").then_some(9)
}

/// `w` starts with the ASCII word `prefix`, ignoring ASCII case.
fn starts_ci(w: &str, prefix: &str) -> bool {
    w.as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// True when `s` is a UN document symbol such as `S/2001/1001` or `A/70/123`.
fn is_symbol(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 3 || b.len() > 40 {
        return false;
    }
    let lead = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if lead == 0 || lead > 8 || b.get(lead) != Some(&b'/') {
        return false;
    }
    let rest = &b[lead..];
    let mut digits = false;
    let mut prev_slash = false;
    for &c in rest {
        if c == b'/' {
            if prev_slash {
                return false;
            }
            prev_slash = true;
            continue;
        }
        prev_slash = false;
        if c.is_ascii_digit() {
            digits = true;
        } else if !(c.is_ascii_alphabetic() || matches!(c, b'.' | b'-' | b'(' | b')')) {
            return false;
        }
    }
    digits && !prev_slash
}

/// True when `tok` is page furniture: page numbers ("2", "2/5"), job numbers ("01-59943"),
/// "(E)", date stamps ("251001"), bar codes ("*0159943*"), document symbols, lone punctuation.
fn is_furniture_str(tok: &str) -> bool {
    if tok.is_empty() || tok.len() > 40 {
        return false;
    }
    let core = tok.trim_matches(|c| c == '*' || c == '_');
    if core.is_empty() {
        return true;
    }
    let b = core.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return b.len() <= 8;
    }
    if !core.chars().any(char::is_alphanumeric) {
        // Rules and bullets ("-", "___", "•"), not opening brackets or quotes.
        return core.chars().count() <= 5
            && !core.contains(['(', '[', '{', '"', '\'', '\u{201c}', '\u{2018}']);
    }
    // 2/5, 01-59943
    if let Some(k) = b.iter().position(|&c| c == b'/' || c == b'-') {
        let (l, r) = (&b[..k], &b[k + 1..]);
        if !l.is_empty()
            && !r.is_empty()
            && l.iter().all(u8::is_ascii_digit)
            && r.iter().all(u8::is_ascii_digit)
            && (b[k] == b'/' || r.len() >= 4)
        {
            return true;
        }
    }
    // (E), (F), (EN)
    if b.len() >= 3
        && b.len() <= 5
        && b[0] == b'('
        && b[b.len() - 1] == b')'
        && b[1..b.len() - 1].iter().all(u8::is_ascii_uppercase)
    {
        return true;
    }
    is_symbol(core)
}

// ------------------------------------------------------------------------------------------------
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

impl<'a> Scanner<'a> {
    // --------------------------------------------------------------------------------------------
    // Primitive helpers.

    fn len(&self) -> usize {
        self.b.len()
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn s(&self, a: usize, e: usize) -> &'a str {
        self.t.get(a..e).unwrap_or("")
    }

    fn ch(&self, i: usize) -> Option<char> {
        self.t.get(i..).and_then(|s| s.chars().next())
    }

    fn prev_ch(&self, i: usize) -> Option<char> {
        self.t.get(..i).and_then(|s| s.chars().next_back())
    }

    fn floor_cb(&self, mut i: usize) -> usize {
        i = i.min(self.len());
        while i > 0 && !self.t.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn ceil_cb(&self, mut i: usize) -> usize {
        while i < self.len() && !self.t.is_char_boundary(i) {
            i += 1;
        }
        i.min(self.len())
    }

    fn starts(&self, p: usize, pat: &str) -> bool {
        self.b
            .get(p..p + pat.len())
            .is_some_and(|w| w == pat.as_bytes())
    }

    fn starts_ci(&self, p: usize, pat: &str) -> bool {
        self.b
            .get(p..p + pat.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(pat.as_bytes()))
    }

    /// `pat` at `p` as a whole word (the next character is not a letter or digit).
    fn word_at(&self, p: usize, pat: &str) -> bool {
        self.starts(p, pat) && !self.ch(p + pat.len()).is_some_and(char::is_alphanumeric)
    }

    fn word_boundary_before(&self, p: usize) -> bool {
        !self.prev_ch(p).is_some_and(char::is_alphanumeric)
    }

    /// The line holding `i`: (index, start, start of the next line).
    fn line_span(&self, i: usize) -> (usize, usize, usize) {
        let (idx, s, ns) = self.line.get();
        if i >= s && i < ns {
            return (idx, s, ns);
        }
        if i >= ns && ns > s {
            let nns = self.doc.line_start(idx + 2);
            if i < nns {
                self.line.set((idx + 1, ns, nns));
                return (idx + 1, ns, nns);
            }
        }
        let idx = self.doc.line_index_of(i);
        let span = (idx, self.doc.line_start(idx), self.doc.line_start(idx + 1));
        self.line.set(span);
        span
    }

    fn line_start_of(&self, i: usize) -> usize {
        self.line_span(i).1
    }

    /// Offset of the LF that ends the line holding `i` (or the end of the text).
    fn line_end_of(&self, i: usize) -> usize {
        let ns = self.line_span(i).2;
        if ns > i && ns > 0 && self.at(ns - 1) == b'\n' {
            ns - 1
        } else {
            ns.max(i).min(self.len())
        }
    }

    /// Start of the line after the one holding `i`.
    fn next_line(&self, i: usize) -> usize {
        if i >= self.len() {
            return self.len();
        }
        self.line_span(i).2
    }

    fn skip_sp(&self, mut p: usize) -> usize {
        while is_sp(self.at(p)) {
            p += 1;
        }
        p
    }

    fn skip_emph(&self, mut p: usize) -> usize {
        while is_emph(self.at(p)) {
            p += 1;
        }
        p
    }

    /// Skip spaces, Markdown emphasis and `#` on the line.
    fn skip_md(&self, mut p: usize) -> usize {
        while matches!(self.at(p), b' ' | b'\t' | b'*' | b'_' | b'#') {
            p += 1;
        }
        p
    }

    /// Skip one blank line at `p` (a blank line in canonical text is a lone LF).
    fn skip_blank(&self, p: usize) -> usize {
        if self.at(p) == b'\n' {
            p + 1
        } else {
            p
        }
    }

    /// End of the token (run of non-white-space) starting at `p`, at most [`MAX_TOKEN`] bytes.
    fn token_end(&self, p: usize) -> usize {
        let lim = (p + MAX_TOKEN).min(self.len());
        let mut i = p;
        while i < lim && !is_ws(self.at(i)) {
            i += 1;
        }
        self.floor_cb(i).max(p)
    }

    /// The token that ends just before `p` (skipping spaces back, same line), if any.
    fn prev_token(&self, p: usize) -> Option<(usize, usize)> {
        let mut e = p;
        let mut n = 0;
        while e > 0 && is_sp(self.at(e - 1)) && n < 64 {
            e -= 1;
            n += 1;
        }
        if e == 0 || is_ws(self.at(e - 1)) {
            return None;
        }
        let mut s = e;
        while s > 0 && !is_ws(self.at(s - 1)) && e - s < 64 {
            s -= 1;
        }
        if s > 0 && !is_ws(self.at(s - 1)) {
            return None;
        }
        Some((s, e))
    }

    fn is_furniture_tok(&self, s: usize, e: usize) -> bool {
        (e >= self.len() || is_ws(self.at(e))) && is_furniture_str(self.s(s, e))
    }

    /// The previous token on the line is page furniture or a document symbol.
    fn pre_furniture(&self, p: usize) -> bool {
        self.prev_token(p)
            .is_some_and(|(s, e)| is_furniture_str(self.s(s, e)))
    }

    /// The previous visible character (same line) ends a sentence.
    fn pre_sentence_end(&self, p: usize) -> bool {
        let mut e = p;
        let mut n = 0;
        while e > 0 && (is_sp(self.at(e - 1)) || is_emph(self.at(e - 1))) && n < 64 {
            e -= 1;
            n += 1;
        }
        e < p
            && matches!(
                self.at(e.wrapping_sub(1)),
                b'.' | b'!' | b'?' | b')' | b']' | b':' | b';'
            )
    }

    /// `p` is the first visible thing on its line (after spaces, `#` and emphasis).
    fn at_line_start(&self, p: usize) -> bool {
        let ls = self.line_start_of(p);
        p >= ls
            && p - ls <= 16
            && self.b.get(ls..p).is_some_and(|s| {
                s.iter()
                    .all(|&c| matches!(c, b' ' | b'\t' | b'*' | b'_' | b'#'))
            })
    }

    fn is_numbered_line(&self, ls: usize) -> bool {
        let p = self.skip_sp(ls);
        let mut q = p;
        while self.at(q).is_ascii_digit() && q - p < 3 {
            q += 1;
        }
        q > p
            && matches!(self.at(q), b'.' | b')')
            && matches!(self.at(q + 1), b' ' | b'\t' | b'\n' | 0)
    }

    /// A numbered line that starts a sequence: "1." or a roman "I." heading.
    fn is_first_numbered_line(&self, ls: usize) -> bool {
        let p = self.skip_md(ls);
        if (self.starts(p, "1.") || self.starts(p, "1)") || self.starts(p, "I."))
            && matches!(self.at(p + 2), b' ' | b'\t' | b'\n' | 0)
        {
            return true;
        }
        // "1 This report covers…" (the period lost in conversion), but not "1 July 2006-…".
        self.starts(p, "1 ")
            && self.ch(p + 2).is_some_and(char::is_uppercase)
            && self.month_at(p + 2).is_none()
    }

    /// A short line of OCR noise ("JStM", "mi min").
    fn is_noise_line(&self, ls: usize) -> bool {
        let le = self.line_end_of(ls);
        if le <= ls || le - ls > 12 {
            return false;
        }
        let line = self.s(ls, le);
        let n = line.split_ascii_whitespace().count();
        (1..=2).contains(&n)
            && line
                .split_ascii_whitespace()
                .all(|w| w.len() <= 4 && w.bytes().all(|c| c.is_ascii_alphabetic()))
    }

    /// Every token of the line is page furniture.
    fn is_furniture_line(&self, ls: usize, le: usize) -> bool {
        le > ls
            && le - ls <= 120
            && self
                .s(ls, le)
                .split_ascii_whitespace()
                .all(is_furniture_str)
    }

    /// A heading word at `p` as a whole word; returns its end.
    fn heading_word_at(&self, p: usize) -> Option<usize> {
        if !self.word_boundary_before(p) {
            return None;
        }
        HEADING_WORDS
            .iter()
            .find(|w| self.starts(p, w))
            .map(|w| p + w.len())
            .filter(|&e| !self.ch(e).is_some_and(char::is_alphanumeric))
    }

    // --------------------------------------------------------------------------------------------
    // Dates.

    fn month_at(&self, p: usize) -> Option<(u8, usize)> {
        let mut q = p;
        while self.at(q).is_ascii_alphabetic() && q - p < 10 {
            q += 1;
        }
        if q - p < 3 || self.at(q).is_ascii_alphabetic() {
            return None;
        }
        if !matches!(
            self.at(p).to_ascii_uppercase(),
            b'J' | b'F' | b'M' | b'A' | b'S' | b'O' | b'N' | b'D'
        ) {
            return None;
        }
        let m = month_num(self.b.get(p..q).unwrap_or(&[]))?;
        if self.at(q) == b'.' {
            q += 1;
        }
        Some((m, q))
    }

    fn year_at(&self, p: usize) -> Option<(i32, usize)> {
        let d = self.b.get(p..p + 4)?;
        if !d.iter().all(u8::is_ascii_digit) || self.at(p + 4).is_ascii_digit() {
            return None;
        }
        let y = d.iter().fold(0i32, |a, &c| a * 10 + i32::from(c - b'0'));
        (1900..=2100).contains(&y).then_some((y, p + 4))
    }

    fn skip_date_sp(&self, mut p: usize) -> usize {
        let mut n = 0;
        while n < 3 && (is_sp(self.at(p)) || self.at(p) == b'\n') {
            p += 1;
            n += 1;
        }
        p
    }

    /// A date at `p`: "12 May 2016", "2 Oct 2008", "31 January2003", "May 12, 2016".
    fn date_at(&self, p: usize) -> Option<Found> {
        if p > 0 && self.at(p - 1).is_ascii_digit() {
            return None;
        }
        let mut i = p;
        let mut day = 0u32;
        while self.at(i).is_ascii_digit() && i - p < 2 {
            day = day * 10 + u32::from(self.at(i) - b'0');
            i += 1;
        }
        if i > p {
            if self.at(i).is_ascii_digit() {
                return None;
            }
            for suf in ["st", "nd", "rd", "th"] {
                if self.starts(i, suf) && !self.at(i + 2).is_ascii_alphabetic() {
                    i += 2;
                    break;
                }
            }
            let j = self.skip_date_sp(i);
            let (m, k) = self.month_at(j)?;
            let mut k = k;
            if self.at(k) == b',' {
                k += 1;
            }
            let k = self.skip_date_sp(k);
            let (y, e) = self.year_at(k)?;
            let d = dates::from_dmy(u8::try_from(day).ok()?, m, y)?;
            return Some((d, e));
        }
        let (m, k) = self.month_at(p)?;
        let mut j = self.skip_date_sp(k);
        if j == k {
            return None;
        }
        let ds = j;
        while self.at(j).is_ascii_digit() && j - ds < 2 {
            day = day * 10 + u32::from(self.at(j) - b'0');
            j += 1;
        }
        if j == ds || self.at(j).is_ascii_digit() {
            return None;
        }
        if self.at(j) == b',' {
            j += 1;
        }
        let j = self.skip_date_sp(j);
        let (y, e) = self.year_at(j)?;
        let d = dates::from_dmy(u8::try_from(day).ok()?, m, y)?;
        Some((d, e))
    }

    /// The date after "dated" at `d` ("dated 22 July 2016", "dated, 22 July 2016").
    fn date_after_dated(&self, d: usize) -> Option<Found> {
        let mut p = d + 5;
        let mut n = 0;
        while n < 4 && matches!(self.at(p), b' ' | b',' | b'\n' | b'\t') {
            p += 1;
            n += 1;
        }
        if p == d + 5 {
            return None;
        }
        self.date_at(p).map(|(date, _)| (date, p))
    }

    // --------------------------------------------------------------------------------------------
    // Publication header.

    /// The publication header: the header block at the start of the text, or after a short
    /// preamble of web-page lines (site navigation, a page title) when a strong block follows.
    fn header(&self) -> Option<(HeaderProposal, Vec<Pending>)> {
        if let Some((h, ev, _)) = self.header_at(0) {
            return Some((h, ev));
        }
        let mut p = 0;
        for _ in 0..12 {
            let le = self.line_end_of(p);
            let line = self.s(p, le).trim();
            // Preamble lines are short and are not body text or a letter's own heading.
            if le - p > 150
                || line.ends_with('.')
                || line.contains(". ")
                || (self.letter_form_at(self.skip_md(p)).is_some() && !Self::is_web_title(line))
                || self.heading_word_at(self.skip_md(p)).is_some()
                || self.mark_at(self.skip_sp(p))
            {
                return None;
            }
            p = self.next_line(p);
            if p >= self.len() || p > 1500 {
                return None;
            }
            if self.at(p) == b'\n' {
                continue;
            }
            if let Some((h, ev, strong)) = self.header_at(p) {
                return (strong >= 2).then_some((h, ev));
            }
        }
        None
    }

    /// The header block starting at `p0` (the header itself always starts at 0), with the number of
    /// strong items found.
    fn header_at(&self, p0: usize) -> Option<(HeaderProposal, Vec<Pending>, usize)> {
        let len = self.len();
        let mut p = p0;
        let mut end: Option<usize> = None;
        let mut items = 0;
        let mut strong = 0;
        let mut noise = 0;
        let mut symbol: Option<(String, usize)> = None;
        let mut date: Option<Found> = None;
        let mut lang: Option<(String, usize)> = None;
        for _ in 0..80 {
            while p < len && (is_ws(self.at(p)) || matches!(self.at(p), b'*' | b'_' | b'#')) {
                p += 1;
            }
            if p >= len || p > 8000 {
                break;
            }
            let te = self.token_end(p);
            let tok = self.s(p, te).trim_end_matches(['*', '_']);
            let mut matched: Option<(usize, bool)> = None;
            for organ in [
                "United Nations",
                "Security Council",
                "General Assembly",
                "Economic and Social Council",
                "Trusteeship Council",
                "UNITED NATIONS",
                "SECURITY COUNCIL",
                "GENERAL ASSEMBLY",
            ] {
                if self.word_at(p, organ) {
                    matched = Some((p + organ.len(), true));
                    break;
                }
            }
            if matched.is_none() && self.starts(p, "Distr") {
                let mut q = p + 5;
                if self.at(q) == b'.' {
                    q += 1;
                }
                q = self.skip_sp(q);
                if self.at(q) == b':' {
                    q += 1;
                }
                // "Distr.: General", or "Distr." and "GENERAL" on two lines.
                let mut r = self.skip_sp(q);
                if self.at(r) == b'\n' {
                    r = self.skip_sp(r + 1);
                }
                let we = self.token_end(r);
                let w = self.s(r, we).trim_end_matches(['*', '_', ',', '.']);
                if [
                    "General",
                    "Limited",
                    "Restricted",
                    "GENERAL",
                    "LIMITED",
                    "RESTRICTED",
                ]
                .contains(&w)
                {
                    q = r + w.len();
                }
                matched = Some((q, true));
            }
            if matched.is_none() && (self.starts(p, "Original") || self.starts(p, "ORIGINAL")) {
                let mut q = self.skip_sp(p + 8);
                if self.at(q) == b':' {
                    q = self.skip_sp(q + 1);
                    let mut e = q;
                    while self.ch(e).is_some_and(char::is_alphabetic) && e - q < 30 {
                        e += self.ch(e).map_or(1, char::len_utf8);
                    }
                    if e > q {
                        if lang.is_none() {
                            lang = Some((language(self.s(q, e)), p));
                        }
                        matched = Some((e, true));
                    }
                }
            }
            if matched.is_none() {
                // "S/2016/459", or a joint symbol "A/70/123–S/2015/456" (the Council's part).
                const DASHES: [char; 2] = ['\u{2013}', '\u{2014}'];
                let sym = if tok.contains(DASHES) {
                    tok.split(DASHES).all(is_symbol)
                } else {
                    is_symbol(tok)
                };
                if sym {
                    if symbol.is_none() {
                        let sc = tok
                            .split(DASHES)
                            .find(|x| x.starts_with("S/"))
                            .unwrap_or(tok);
                        symbol = Some((sc.to_owned(), p));
                    }
                    matched = Some((p + tok.len(), true));
                }
            }
            if matched.is_none() {
                if let Some((d, e)) = self.date_at(p) {
                    if date.is_none() {
                        date = Some((d, p));
                    }
                    matched = Some((e, false));
                }
            }
            if matched.is_none() && LANGUAGES.contains(&tok) {
                matched = Some((p + tok.len(), false));
            }
            if matched.is_none() && self.at_line_start(p) {
                let ls = self.line_start_of(p);
                let le = self.line_end_of(p);
                let line = self.s(p, le).trim_end_matches(['*', '_']);
                if le - ls <= 100
                    && (line.starts_with("Agenda item")
                        || (le - ls <= 40
                            && (line.ends_with(" session") || line.ends_with(" year"))))
                {
                    matched = Some((p + line.len(), false));
                }
            }
            match matched {
                Some((e, is_strong)) => {
                    p = e;
                    end = Some(e);
                    items += 1;
                    strong += usize::from(is_strong);
                    noise = 0;
                }
                None => {
                    noise += 1;
                    if noise > 4 {
                        break;
                    }
                    if self.is_furniture_tok(p, te) {
                        p = te;
                    } else if self.at_line_start(p)
                        && (self.is_noise_line(self.line_start_of(p))
                            || self.starts(p, "Total Page")
                            || self.starts(p, "File Type:"))
                    {
                        // OCR noise, or a web copy's file metadata ("Total Page:16").
                        p = self.next_line(p);
                    } else {
                        break;
                    }
                }
            }
        }
        let e = end?;
        if strong == 0 {
            return None;
        }
        let mut h = self.skip_emph(e);
        h = self.skip_sp(h);
        h = self.skip_emph(h);
        if h >= len || self.at(h) == b'\n' {
            h = self.skip_blank(self.next_line(h));
            // Page furniture lines right after the header block belong to it.
            for _ in 0..6 {
                let le = self.line_end_of(h);
                if h < len && le > h && (self.is_furniture_line(h, le) || self.is_noise_line(h)) {
                    h = self.skip_blank(self.next_line(h));
                } else {
                    break;
                }
            }
        } else {
            if items < 3 {
                return None;
            }
            h = self.skip_sp(e);
        }
        let h = h.min(len);
        let mut ev = Vec::new();
        if let Some((s, off)) = &symbol {
            ev.push(self.pending(
                0,
                "header",
                s.clone(),
                "document symbol in the header block",
                *off,
                Confidence::Certain,
            ));
        }
        if let Some((d, off)) = date {
            ev.push(self.pending(
                0,
                "header",
                dates::format_iso(d),
                "publication date in the header block",
                off,
                Confidence::Certain,
            ));
        }
        if let Some((l, off)) = &lang {
            ev.push(self.pending(
                0,
                "header",
                l.clone(),
                "\"Original:\" in the header block",
                *off,
                Confidence::Certain,
            ));
        }
        Some((
            HeaderProposal {
                end: h,
                symbol: symbol.map(|s| s.0),
                date: date.map(|d| d.0),
                original_language: lang.map(|l| l.0),
            },
            ev,
            strong,
        ))
    }

    fn pending(
        &self,
        layer: usize,
        what: &'static str,
        value: String,
        cue: &str,
        off: usize,
        confidence: Confidence,
    ) -> Pending {
        Pending {
            layer,
            what,
            value,
            cue: cue.to_owned(),
            off,
            confidence,
        }
    }

    // --------------------------------------------------------------------------------------------
    // Signature marks.

    /// The mark-position rule of `docs/FORMAT.md` §6 (as in [`crate::identity`]), without scanning
    /// back to the start of long lines.
    fn mark_position_ok(&self, open: usize) -> bool {
        let ls = self.line_start_of(open);
        let lead = self.skip_sp(ls);
        if self.at(lead) == b'>' && lead < open {
            return false;
        }
        let before = self.s(ls, open);
        let mut run = 0;
        let mut last: Option<char> = None;
        for c in before.chars().rev() {
            if c.is_whitespace() || c == '*' || c == '_' {
                run += 1;
                continue;
            }
            last = Some(c);
            break;
        }
        match last {
            None => true,
            Some(c) => run > 0 && matches!(c, '.' | '!' | '?' | ')' | ']' | ':' | ';'),
        }
    }

    /// Positions of `first`-letter candidates of the words `words` from `from` on, as whole words,
    /// found with SIMD byte searches for their first letters (one pass, lazily).
    fn word_starts<'w>(
        &'w self,
        from: usize,
        firsts: [u8; 3],
        words: &'w [&'w str],
    ) -> impl Iterator<Item = usize> + 'w {
        let hay = self.b.get(from..).unwrap_or(&[]);
        memchr::memchr3_iter(firsts[0], firsts[1], firsts[2], hay)
            .map(move |k| from + k)
            .filter(move |&i| {
                (i == 0 || !self.at(i - 1).is_ascii_alphanumeric())
                    && words.iter().any(|w| self.starts(i, w))
            })
    }

    /// A sentence end at `i`: `.` after a word of four letters or more, a digit or `)`, followed
    /// by white space or the end.
    fn is_sentence_dot(&self, i: usize) -> bool {
        let n = self.at(i + 1);
        if i == 0 || self.at(i) != b'.' || !(n == 0 || is_ws(n) || n == b'*' || n == b'"') {
            return false;
        }
        let prev = self.at(i - 1);
        if prev == b')' || prev.is_ascii_digit() {
            return true;
        }
        let mut q = i;
        while q > 0 && self.at(q - 1).is_ascii_lowercase() && i - q < 4 {
            q -= 1;
        }
        i - q >= 4
    }

    /// Whether the text `a..b` holds a sentence end (body text). Successive calls with the same
    /// `a` resume where the last one stopped, so a layer's text is scanned at most once.
    fn has_body(&self, a: usize, b: usize) -> bool {
        let (ma, upto, found) = self.body.get();
        let (mut upto, mut found) = if ma == a { (upto, found) } else { (a, None) };
        if found.is_none() && upto < b {
            let hay = self.b.get(upto..b).unwrap_or(&[]);
            found = memchr::memchr_iter(b'.', hay)
                .map(|k| upto + k)
                .find(|&i| self.is_sentence_dot(i));
            upto = b;
        }
        self.body.set((a, upto, found));
        found.is_some_and(|f| f < b)
    }

    /// The first "[Original" marker in `a..b`.
    fn first_original(&self, a: usize, b: usize) -> Option<usize> {
        let hay = self.b.get(a..b.min(self.len()))?;
        memchr::memchr_iter(b'[', hay)
            .map(|k| a + k)
            .find(|&i| self.starts_ci(i, "[original"))
    }

    /// The word "dated" in `a..b`.
    fn dated_in(&self, a: usize, b: usize) -> impl Iterator<Item = usize> + '_ {
        let hay = self.b.get(a..b.min(self.len())).unwrap_or(&[]);
        memchr::memmem::find_iter(hay, "dated")
            .map(move |k| a + k)
            .filter(move |&i| {
                self.word_boundary_before(i) && !self.ch(i + 5).is_some_and(char::is_alphanumeric)
            })
    }

    /// The "(Signed)" marks from `from` on (at most [`MAX_MARKS`]).
    fn marks(&self, from: usize) -> Vec<Mark> {
        let mut out = Vec::new();
        let mut skip_to = 0;
        let hay = self.b.get(from..).unwrap_or(&[]);
        for open in memchr::memchr_iter(b'(', hay).map(|k| from + k) {
            if out.len() >= MAX_MARKS {
                break;
            }
            if open < skip_to {
                continue;
            }
            let Some(close) = match_signed(self.b, open) else {
                continue;
            };
            if !self.mark_position_ok(open) {
                continue;
            }
            let (name_pos, name_end, block_end) = self.name_block(close);
            skip_to = close;
            out.push(Mark {
                start: open,
                name_pos,
                name_end,
                block_end,
            });
        }
        out
    }

    /// True when a "(Signed)" mark starts at `p` (after emphasis).
    fn mark_at(&self, p: usize) -> bool {
        match_signed(self.b, self.skip_emph(p)).is_some()
    }

    /// The name after a mark, where it ends, and where the signature block ends.
    fn name_block(&self, ns: usize) -> (usize, usize, usize) {
        let le = self.line_end_of(ns);
        let mut p = self.skip_sp(ns);
        let mut line_end = le;
        if p >= le {
            let nl = self.next_line(ns);
            let nle = self.line_end_of(nl);
            if nl < self.len()
                && nle > nl
                && nle - nl <= 80
                && !self.mark_at(self.skip_sp(nl))
                && self.heading_word_at(self.skip_md(nl)).is_none()
            {
                p = self.skip_sp(nl);
                line_end = nle;
            } else {
                return (p, p, self.next_line(ns));
            }
        }
        let flat = line_end - p > 120;
        let mut q = p;
        let mut name_end = p;
        let mut count = 0;
        let max = if flat { 7 } else { 14 };
        let mut prev_dot_word = false;
        while count < max && q < line_end {
            let ts = q;
            let te = self.token_end(ts).min(line_end);
            if te <= ts {
                break;
            }
            let tok = self.s(ts, te);
            let cs = ts + (tok.len() - tok.trim_start_matches(['*', '_']).len());
            let core = tok
                .trim_matches(|c| c == '*' || c == '_')
                .trim_end_matches([',', ';']);
            let bare = core.trim_end_matches(['.', ':']);
            if self.is_furniture_tok(ts, te)
                || self.heading_word_at(cs).is_some()
                || self.mark_at(ts)
                || (count >= 2 && TITLE_WORDS.contains(&bare))
            {
                break;
            }
            if flat {
                let first = core.chars().next();
                let particle = PARTICLES.contains(&core);
                if !(first.is_some_and(char::is_uppercase) || particle) {
                    break;
                }
                if prev_dot_word {
                    break;
                }
                if count >= 2 && !particle {
                    let nts = self.skip_sp(te);
                    let nte = self.token_end(nts).min(line_end);
                    let next = self.s(nts, nte).trim_matches(|c| c == '*' || c == '_');
                    let nf = next.chars().next();
                    if nf.is_some_and(char::is_lowercase) && !PARTICLES.contains(&next) {
                        break;
                    }
                }
                prev_dot_word = core.ends_with('.') && bare.chars().count() > 2;
            }
            name_end = te;
            count += 1;
            q = self.skip_sp(te);
        }
        // Where the signature block ends.
        let mut r = self.skip_sp(name_end);
        let mut guard = 0;
        while r < line_end && guard < 12 {
            let te = self.token_end(r).min(line_end);
            if te <= r || !self.is_furniture_tok(r, te) {
                break;
            }
            r = self.skip_sp(te);
            guard += 1;
        }
        let block_end = if r >= line_end {
            self.title_lines_end(self.next_line(line_end))
        } else {
            self.skip_title_phrase(name_end, line_end)
        };
        (p, name_end, block_end)
    }

    /// Skip a signer's title run into flattened text ("Secretary General of NATO").
    fn skip_title_phrase(&self, from: usize, line_end: usize) -> usize {
        let mut q = self.skip_sp(from);
        let first_end = self.token_end(q).min(line_end);
        let first = self
            .s(q, first_end)
            .trim_matches(|c| c == '*' || c == '_' || c == ',');
        if !TITLE_WORDS.contains(&first) {
            return from;
        }
        let mut end = from;
        for _ in 0..12 {
            let te = self.token_end(q).min(line_end);
            if te <= q {
                break;
            }
            let core = self
                .s(q, te)
                .trim_matches(|c| c == '*' || c == '_' || c == ',');
            let f = core.chars().next();
            let connector = ["of", "the", "and", "for", "on", "to", "de"].contains(&core);
            if !(f.is_some_and(char::is_uppercase) || connector) {
                break;
            }
            if f.is_some_and(char::is_uppercase) && end > from {
                let nts = self.skip_sp(te);
                let nte = self.token_end(nts).min(line_end);
                let next = self.s(nts, nte);
                let nf = next.chars().next();
                if nf.is_some_and(char::is_lowercase)
                    && !["of", "the", "and", "for", "on", "to", "de"].contains(&next)
                {
                    break;
                }
            }
            end = te;
            q = self.skip_sp(te);
        }
        end
    }

    /// After a signature line: skip the title lines under the name ("Head", "Leadership Panel").
    fn title_lines_end(&self, mut q: usize) -> usize {
        for _ in 0..5 {
            if q >= self.len() {
                break;
            }
            let qe = self.line_end_of(q);
            if qe == q || !self.is_title_line(q, qe) {
                break;
            }
            q = self.next_line(q);
        }
        q
    }

    fn is_title_line(&self, q: usize, qe: usize) -> bool {
        if qe - q > 150 {
            return false;
        }
        let line = self
            .s(q, qe)
            .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
        let Some(first) = line.chars().next() else {
            return false;
        };
        let p = self.skip_md(q);
        if line.ends_with(['.', ';', ':', ','])
            || !first.is_uppercase()
            || [
                "Dear ",
                "Excellency",
                "Your Excellency",
                "Sir,",
                "Madam,",
                "Mr. President",
            ]
            .iter()
            .any(|w| line.starts_with(w))
            || self.mark_at(self.skip_sp(q))
            || self.heading_word_at(p).is_some()
            || self.letter_form_at(p).is_some()
            || line
                .as_bytes()
                .windows(6)
                .any(|w| w.eq_ignore_ascii_case(b"report"))
            || self.is_furniture_line(q, qe)
        {
            return false;
        }
        let nq = self.next_line(q);
        !(nq < self.len() && self.is_numbered_line(nq))
    }

    /// Ends of note-verbale closing formulas ("… the assurances of its highest consideration.").
    fn closings(&self, from: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let hay = self.b.get(from..).unwrap_or(&[]);
        for k in memchr::memmem::find_iter(hay, "highest consideration")
            .map(|k| from + k)
            .take(MAX_MARKS)
        {
            let p = k + "highest consideration".len();
            let le = self.line_end_of(p);
            let lim = (p + 60).min(le);
            let Some(dot) = (p..lim).find(|&i| self.at(i) == b'.') else {
                continue;
            };
            let r = self.skip_sp(dot + 1);
            out.push(if r >= le { self.next_line(le) } else { dot + 1 });
        }
        out
    }

    /// Where a new layer starts after a signature block or closing that ends at `e`, if the next
    /// text is a new communication (not page furniture, another mark, or a heading).
    fn boundary_after_block(&self, e: usize, heading_starts: &[usize]) -> Option<usize> {
        let len = self.len();
        let mut p = e;
        let mut steps = 0;
        loop {
            while p < len && is_ws(self.at(p)) && p - e < 4000 {
                p += 1;
            }
            steps += 1;
            if p >= len || steps > 40 || p - e >= 4000 {
                return None;
            }
            let ls = self.line_start_of(p);
            let first_on_line = ls >= e && p - ls <= 8;
            if first_on_line && p == self.skip_sp(ls) && self.is_noise_line(ls) {
                p = self.next_line(ls);
                continue;
            }
            if self.mark_at(p) {
                return None;
            }
            let te = self.token_end(p);
            if te > p && self.is_furniture_tok(p, te) {
                p = te;
                continue;
            }
            let at = if first_on_line { ls } else { p };
            let i = heading_starts.partition_point(|&h| h < at.min(p));
            if heading_starts.get(i).is_some_and(|&h| h <= p) {
                return None;
            }
            // One short line (a footnote, "* Reissued for technical reasons") right before a
            // heading is trailing matter of the layer above, not a layer of its own.
            let le = self.line_end_of(p);
            if first_on_line && le - ls <= 200 {
                let next = self.skip_blank(self.next_line(ls));
                if heading_starts.get(i).is_some_and(|&h| h == next) {
                    return None;
                }
            }
            return Some(at);
        }
    }

    // --------------------------------------------------------------------------------------------
    // Headings.

    /// The heading words that introduce layers (at most [`MAX_LAYERS`]).
    fn headings(&self, from: usize, name_ends: &[usize]) -> Vec<Heading> {
        let mut out: Vec<Heading> = Vec::new();
        for p in self.word_starts(from, [b'A', b'E', b'L'], &HEADING_WORDS) {
            if out.len() >= MAX_LAYERS {
                break;
            }
            if out.last().is_some_and(|h| p < h.content_start) {
                continue;
            }
            if let Some(h) = self.heading_at(p, name_ends) {
                if h.start >= from {
                    out.push(h);
                }
            }
        }
        out
    }

    /// A roman numeral, one or two digits, or one capital letter at `s`; returns its end.
    fn designator(&self, s: usize) -> Option<usize> {
        let mut e = s;
        while matches!(self.at(e), b'I' | b'V' | b'X' | b'L' | b'C') && e - s < 6 {
            e += 1;
        }
        if e == s {
            while self.at(e).is_ascii_digit() && e - s < 2 {
                e += 1;
            }
        }
        if e == s && self.at(e).is_ascii_uppercase() {
            e += 1;
        }
        (e > s && !self.ch(e).is_some_and(char::is_alphanumeric)).then_some(e)
    }

    fn heading_at(&self, p: usize, name_ends: &[usize]) -> Option<Heading> {
        let we = self.heading_word_at(p)?;
        let le = self.line_end_of(p);
        let line_start = self.at_line_start(p);
        let start = if line_start { self.line_start_of(p) } else { p };
        // What follows the word.
        let mut follow: Option<Follow> = None;
        let e1 = self.skip_emph(we);
        if e1 > we
            && e1 < le
            && (self.ch(e1).is_some_and(char::is_alphanumeric) || self.at(e1) == b'"')
        {
            follow = Some(Follow::RunIn(we));
        }
        let mut label_end = we;
        if follow.is_none() {
            let q = e1;
            let s1 = self.skip_sp(q);
            let desig = if s1 > q && s1 < le {
                self.designator(s1).map(|de| (s1, de))
            } else {
                None
            };
            let mut r = desig.map_or(q, |d| d.1);
            if let Some((_, de)) = desig {
                label_end = de;
            }
            r = self.skip_emph(r);
            let mut punct = false;
            if matches!(self.at(r), b'.' | b':') {
                r += 1;
                punct = true;
            } else if self.starts(self.skip_sp(r), "\u{2014}")
                || self.starts(self.skip_sp(r), "\u{2013}")
            {
                r = self.skip_sp(r) + 3;
                punct = true;
            }
            r = self.skip_emph(r);
            let s2 = self.skip_sp(r);
            let c = self.ch(s2);
            follow = if s2 >= le {
                Some(Follow::OwnLine)
            } else if (self.starts_ci(s2, "to the ") || self.starts_ci(s2, "to "))
                && !punct
                && self.long_form_noun(s2, !line_start)
            {
                Some(Follow::LongForm(s2))
            } else if self.at(s2) == b'[' {
                self.starts_ci(s2, "[original")
                    .then_some(Follow::Original(s2))
            } else if c.is_some_and(char::is_uppercase)
                || matches!(self.at(s2), b'*' | b'_' | b'"')
                || self.starts(s2, "\u{201c}")
            {
                Some(Follow::RunIn(s2))
            } else if c.is_some_and(char::is_lowercase) {
                match desig {
                    Some((ds, de)) if !punct => {
                        let d = self.s(ds, de);
                        let next_end = self.token_end(s2).min(le);
                        let next = self.s(s2, next_end);
                        let next = next.trim_end_matches([',', '.']).to_ascii_lowercase();
                        if d == "I" && PRONOUN_VERBS.contains(&next.as_str()) {
                            label_end = we;
                            Some(Follow::RunIn(ds))
                        } else {
                            None
                        }
                    }
                    _ => None,
                }
            } else {
                None
            };
        }
        let follow = follow?;
        if !line_start {
            let strong = match follow {
                Follow::Original(_) | Follow::OwnLine | Follow::LongForm(_) => true,
                Follow::RunIn(c) => self.letter_form_at(c).is_some(),
            };
            let pre_name = self
                .prev_token(p)
                .is_some_and(|(_, e)| name_ends.binary_search(&e).is_ok());
            // In flattened text (a long line) a sentence end before a run-in heading is enough.
            let long_line = le - self.line_start_of(p) > 400;
            if !(self.pre_furniture(p)
                || pre_name
                || (self.pre_sentence_end(p) && (strong || long_line)))
            {
                return None;
            }
        }
        let mut lang: Option<(String, usize)> = None;
        let mut long_date: Option<Found> = None;
        let content_start = match follow {
            Follow::RunIn(c) => c,
            Follow::OwnLine => self.after_heading_lines(self.next_line(p), &mut lang),
            Follow::Original(s2) => match self.original_at(s2) {
                Some((l, close)) => {
                    lang = Some((l, s2));
                    let after = self.skip_sp(close);
                    if after >= le {
                        self.skip_blank(self.next_line(p))
                    } else {
                        after
                    }
                }
                None => s2,
            },
            Follow::LongForm(s2) => {
                let end = if le - p <= 400 {
                    let mut m = le;
                    for _ in 0..2 {
                        let line = self
                            .s(self.line_start_of(m), m)
                            .trim_end_matches(['*', '_']);
                        let nl = self.next_line(m);
                        let next_lower = self.ch(self.skip_md(nl)).is_some_and(char::is_lowercase);
                        let last = line.rsplit(' ').next().unwrap_or("");
                        let connector = HEADING_CONNECTORS.contains(&last);
                        if nl < self.len() && self.at(nl) != b'\n' && (connector || next_lower) {
                            m = self.line_end_of(nl);
                        } else {
                            break;
                        }
                    }
                    m
                } else {
                    self.letter_phrase_end(s2, (s2 + 600).min(le))
                };
                if let Some(k) = self.s(s2, end).find("dated") {
                    long_date = self.date_after_dated(s2 + k);
                }
                let after = self.skip_sp(end);
                if after >= self.line_end_of(end) {
                    self.after_heading_lines(self.next_line(end), &mut lang)
                } else {
                    after
                }
            }
        };
        Some(Heading {
            start,
            word: p,
            content_start: content_start.max(start).min(self.len()),
            label_end,
            long_date,
            lang,
        })
    }

    /// After an own-line heading: one blank line, an "[Original: X]" line, one blank line.
    fn after_heading_lines(&self, m: usize, lang: &mut Option<(String, usize)>) -> usize {
        let m = self.skip_blank(m);
        if m >= self.len() {
            return self.len();
        }
        let le = self.line_end_of(m);
        let s = self.skip_md(m);
        if self.starts_ci(s, "[original") {
            if let Some((l, close)) = self.original_at(s) {
                let after = self.skip_emph(self.skip_sp(close));
                *lang = Some((l, s));
                return if after >= le {
                    self.skip_blank(self.next_line(m))
                } else {
                    after
                };
            }
        } else if (self.starts(s, "Original:") || self.starts(s, "Original :")) && le - m <= 40 {
            let v = self.s(s, le).split(':').nth(1).unwrap_or("");
            let l = language(v);
            if !l.is_empty() {
                *lang = Some((l, s));
                return self.skip_blank(self.next_line(m));
            }
        }
        m
    }

    /// "[Original: X]" at `s`: the language and the offset after `]`.
    fn original_at(&self, s: usize) -> Option<(String, usize)> {
        if !self.starts_ci(s, "[original") {
            return None;
        }
        let le = self.line_end_of(s);
        let lim = (s + 80).min(le);
        let close = (s..lim).find(|&i| self.at(i) == b']')?;
        let inner = self.s(s + 9, close);
        let l = language(inner.trim_start_matches([' ', ':']).trim());
        (!l.is_empty()).then_some((l, close + 1))
    }

    fn long_form_noun(&self, s2: usize, strict: bool) -> bool {
        let mut q = s2 + 2;
        q = self.skip_sp(q);
        if self.starts_ci(q, "the ") {
            q = self.skip_sp(q + 4);
        }
        let e = self.token_end(q);
        let w = self.s(q, e).to_ascii_lowercase();
        let w = w.trim_end_matches([',', '.']);
        LONG_FORM_NOUNS.contains(&w)
            && !(strict && matches!(w, "report" | "present" | "message" | "memorandum"))
    }

    /// End of a letter heading run into flattened text ("… addressed to the President of the
    /// Security Council In accordance …").
    fn letter_phrase_end(&self, from: usize, lim: usize) -> usize {
        let mut q = from;
        let mut end = from;
        let mut saw_to = false;
        for _ in 0..40 {
            q = self.skip_sp(q);
            if q >= lim {
                break;
            }
            let te = self.token_end(q).min(lim);
            if te <= q {
                break;
            }
            let core = self
                .s(q, te)
                .trim_matches(|c| c == '*' || c == '_' || c == ',');
            end = te;
            if core == "to" || core == "addressed" {
                saw_to = true;
            } else if saw_to && ADDRESSEE_END.contains(&core) {
                let nts = self.skip_sp(te);
                let nte = self.token_end(nts).min(lim);
                let next = self.s(nts, nte);
                if !["and", "of", "on", "for", "addressed", "to", "in"].contains(&next) {
                    return te;
                }
            } else if core.ends_with('.') && core.chars().count() > 3 {
                return te;
            }
            q = te;
        }
        end
    }

    // --------------------------------------------------------------------------------------------
    // Letter headings.

    /// A letter heading form at `p`: its date if it has one ("Letter dated …").
    fn letter_form_at(&self, p: usize) -> Option<Option<Found>> {
        const DATED: [&str; 13] = [
            "Letter dated ",
            "Letters dated ",
            "Identical letters dated ",
            "Joint letter dated ",
            "Note verbale dated ",
            "Letter Dated ",
            "Letters Dated ",
            "Identical Letters Dated ",
            "Joint Letter Dated ",
            "Note Verbale Dated ",
            "LETTER DATED ",
            "NOTE VERBALE DATED ",
            "Letter dated\n",
        ];
        for f in DATED {
            if self.starts(p, f) {
                let d = p + f.len() - 6;
                return Some(self.date_after_dated(d));
            }
        }
        if self.word_at(p, "Letter of transmittal") || self.word_at(p, "LETTER OF TRANSMITTAL") {
            return Some(None);
        }
        if self.word_at(p, "Note verbale") || self.word_at(p, "NOTE VERBALE") {
            let le = self.line_end_of(p);
            let rest = self
                .s(p + 12, le)
                .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
            if rest.is_empty() {
                return Some(None);
            }
        }
        if self.starts(p, "Letter from ") && self.at_line_start(p) {
            let le = self.line_end_of(p);
            let lim = (p + 300).min(le);
            if self.s(p, lim).contains(" addressed to ") {
                return Some(None);
            }
        }
        None
    }

    /// Letter headings from `from` on (at most [`MAX_LAYERS`]).
    fn letter_heads(&self, from: usize, name_ends: &[usize]) -> Vec<LetterHead> {
        let mut out = self.letter_heads_in(
            self.word_starts(from, [b'L', b'I', b'N'], &LETTER_STARTS),
            name_ends,
        );
        out.extend(self.letter_heads_in(
            self.word_starts(from, [b'J', b'J', b'J'], &LETTER_STARTS),
            name_ends,
        ));
        out.sort_unstable_by_key(|l| l.start);
        out.truncate(MAX_LAYERS);
        out
    }

    fn letter_heads_in(
        &self,
        pos: impl Iterator<Item = usize>,
        name_ends: &[usize],
    ) -> Vec<LetterHead> {
        let mut out = Vec::new();
        for p in pos {
            if out.len() >= MAX_LAYERS {
                break;
            }
            let Some(date) = self.letter_form_at(p) else {
                continue;
            };
            if self.at_line_start(p) {
                let ls = self.line_start_of(p);
                let le = self.line_end_of(p);
                let line = self.s(ls, le).trim_end_matches(['*', '_']);
                // A sentence, or an item of a list of documents ("…(S/2016/420);"), not a heading.
                if le - ls <= 400 && (line.ends_with(['.', ';', ',']) || line.contains("(S/")) {
                    continue;
                }
                out.push(LetterHead { start: ls, word: p });
            } else {
                let pre_name = self
                    .prev_token(p)
                    .is_some_and(|(_, e)| name_ends.binary_search(&e).is_ok());
                if date.is_some() && (self.pre_furniture(p) || self.pre_sentence_end(p) || pre_name)
                {
                    out.push(LetterHead { start: p, word: p });
                }
            }
        }
        out
    }

    /// A web page's title line ("Letter dated … - Serbia | ReliefWeb"): a site separator.
    fn is_web_title(line: &str) -> bool {
        line.contains(" | ") || line.contains(" - ") || line.contains(" \u{2013} ")
    }

    /// The line at `p` (after emphasis) goes on with the rest of a letter heading broken over
    /// lines: "from the Secretary-General addressed to …", "Addressed to the …".
    fn heading_goes_on(&self, p: usize) -> bool {
        let q = self.skip_md(p);
        ["from ", "addressed "].iter().any(|w| self.starts_ci(q, w))
    }

    /// When the line at `p` is a letter heading that is a web page's title and the document's own
    /// letter heading follows (after one blank line), the start of that heading.
    fn heading_under_title(&self, p: usize, end: usize) -> Option<usize> {
        let lp = self.skip_md(p);
        self.letter_form_at(lp)?;
        let le = self.line_end_of(p);
        if le - p > 400 || !Self::is_web_title(self.s(p, le)) {
            return None;
        }
        let n = self.skip_blank(self.next_line(p));
        let h = self.skip_md(n);
        (h < end && self.letter_form_at(h).is_some()).then_some(h)
    }

    /// The date line of a letter without a dated heading: a date alone on a line ("3 March
    /// 2004", "New York, 3 March 2004") among the first lines of the layer (after the addressee's
    /// lines), before its first sentence. A date without a place must be followed by the
    /// salutation or the opening words of the letter.
    fn dateline(&self, cs: usize, end: usize) -> Option<Found> {
        let mut p = cs;
        let mut found: Option<(Found, bool)> = None;
        for _ in 0..14 {
            if p >= end {
                break;
            }
            let le = self.line_end_of(p).min(end);
            if le - p > 200 {
                return found.and_then(|(f, placed)| placed.then_some(f));
            }
            let line = self
                .s(p, le)
                .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_' || c == '#');
            if let Some((f, placed)) = found {
                if !line.is_empty() {
                    return (placed || Self::is_salutation(line)).then_some(f);
                }
            } else if !line.is_empty() {
                if le - p > 120 || line.ends_with(['.', ';']) || self.is_numbered_line(p) {
                    return None;
                }
                let ls = p
                    + (self.s(p, le).len()
                        - self
                            .s(p, le)
                            .trim_start_matches([' ', '\t', '*', '_', '#'])
                            .len());
                found = self.date_line_at(ls, ls + line.len());
                if found.is_none()
                    && (Self::is_salutation(line) || self.letter_form_at(ls).is_some())
                {
                    return None;
                }
            }
            p = self.next_line(le);
        }
        found.and_then(|(f, placed)| placed.then_some(f))
    }

    /// A date that is the whole of `a..e`, with an optional place before it ("New York, "):
    /// the date and whether a place was given.
    fn date_line_at(&self, a: usize, e: usize) -> Option<(Found, bool)> {
        if let Some((d, de)) = self.date_at(a) {
            return (de == e).then_some(((d, a), false));
        }
        let line = self.s(a, e);
        let comma = line.rfind(", ")?;
        let place = &line[..comma];
        let words_ok = comma <= 40
            && place.split_whitespace().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase) || PARTICLES.contains(&w)
            })
            && !place.chars().any(|c| c.is_ascii_digit());
        if !words_ok {
            return None;
        }
        let q = a + comma + 2;
        let (d, de) = self.date_at(q)?;
        (de == e).then_some(((d, q), true))
    }

    /// A letter's salutation or opening words.
    fn is_salutation(line: &str) -> bool {
        [
            "Sir",
            "Madam",
            "Excellency",
            "Your Excellency",
            "Dear ",
            "Mr. President",
            "Madam President",
            "Mr. Secretary",
            "I have the honour",
            "I write",
        ]
        .iter()
        .any(|w| line.starts_with(w))
    }

    /// The layer's own letter date: a letter heading at the start of its text.
    fn own_date(&self, cs: usize, end: usize) -> Option<(Date, usize, usize)> {
        let mut p = self.skip_furniture(cs, end);
        // The heading zone: up to three lines before the first body line.
        for _ in 0..3 {
            if p >= end {
                return None;
            }
            let le = self.line_end_of(p).min(end);
            let lim = (p + 100).min(le);
            for c in p..lim {
                if !matches!(self.at(c), b'L' | b'I' | b'J' | b'N') || !self.word_boundary_before(c)
                {
                    continue;
                }
                if let Some(Some((d, off))) = self.letter_form_at(c) {
                    // A web page's title above the document's own heading: the heading's date.
                    if let Some(h) = self.heading_under_title(p, end) {
                        if let Some(Some((d2, off2))) = self.letter_form_at(h) {
                            return Some((d2, off2, h));
                        }
                    }
                    return Some((d, off, c));
                }
            }
            let line = self.s(p, le).trim_end_matches(['*', '_']);
            if le - p > 300 || line.ends_with('.') || self.is_numbered_line(p) {
                return None;
            }
            p = self.skip_furniture(self.next_line(le), end);
        }
        None
    }

    /// Skip white space, page furniture and OCR noise lines from `p` (bounded).
    fn skip_furniture(&self, mut p: usize, end: usize) -> usize {
        for _ in 0..16 {
            while p < end && (is_ws(self.at(p)) || matches!(self.at(p), b'#')) {
                p += 1;
            }
            if p >= end {
                return end;
            }
            let te = self.token_end(p);
            if self.is_furniture_tok(p, te) {
                p = te;
            } else if self.at_line_start(p) && self.is_noise_line(self.line_start_of(p)) {
                p = self.next_line(p);
            } else {
                break;
            }
        }
        p.min(end)
    }

    // --------------------------------------------------------------------------------------------
    // Body text, references, titles.

    fn title_like(&self, ls: usize, le: usize) -> bool {
        if le <= ls || le - ls > 200 {
            return false;
        }
        let line = self
            .s(ls, le)
            .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_' || c == '#');
        let Some(first) = line.chars().next() else {
            return false;
        };
        first.is_uppercase()
            && !line.ends_with(['.', ':', ';', ','])
            && !line.contains(". ")
            && line.split_ascii_whitespace().count() >= 2
            && !self.mark_at(self.skip_sp(ls))
            && !self.is_furniture_line(ls, le)
    }

    fn numbered_follows(&self, li: usize) -> bool {
        let n = self.doc.line_count();
        let mut k = li + 1;
        let mut seen = 0;
        while k < n && seen < 4 {
            let ls = self.doc.line_start(k);
            let le = self.line_end_of(ls);
            k += 1;
            if le == ls {
                continue;
            }
            seen += 1;
            if self.is_first_numbered_line(ls) {
                return true;
            }
            if !self.title_like(ls, le) {
                return false;
            }
        }
        false
    }

    fn has_reference(line: &str) -> bool {
        let low = line.to_ascii_lowercase();
        REFERENCE_PHRASES.iter().any(|p| low.contains(p))
    }

    /// The text at `cs` (after page furniture) begins with a letter heading.
    fn starts_with_letter(&self, cs: usize) -> bool {
        let p = self.skip_furniture(cs, self.len());
        self.letter_form_at(self.skip_md(p)).is_some()
    }

    /// Whether the text from `st.0` up to `upto` (or earlier text of the layer) refers to what the
    /// letter transmits; scans each byte of a layer at most once.
    fn reference_upto(&self, st: &mut (usize, bool), upto: usize) -> bool {
        if !st.1 && st.0 < upto {
            st.1 = Self::has_reference(self.s(st.0, upto));
            st.0 = upto;
        }
        st.1
    }

    /// Report titles followed by numbered paragraphs, in a letter that refers to what it transmits.
    fn report_title_bounds(&self, body: usize, bounds: &[Bound]) -> Vec<Bound> {
        let mut out = Vec::new();
        let n = self.doc.line_count();
        if body >= self.len() {
            return out;
        }
        let mut li = self.doc.line_index_of(body);
        let mut bi = 0;
        let mut cs = body;
        let mut numbered = false;
        // (scanned up to, reference seen) for the current layer, computed lazily.
        let mut reference = (body, false);
        // The current layer begins with a letter heading (whose body may be missing).
        let mut letter_start = self.starts_with_letter(body);
        let mut prev_break = true;
        while li < n && out.len() < MAX_LAYERS {
            let ls = self.doc.line_start(li);
            let le = self.line_end_of(ls);
            li += 1;
            while bi < bounds.len() && bounds[bi].start <= ls {
                cs = bounds[bi].content_start;
                bi += 1;
                numbered = false;
                reference = (cs, false);
                letter_start = self.starts_with_letter(cs);
                prev_break = true;
            }
            if ls < cs {
                continue;
            }
            if le == ls {
                prev_break = true;
                continue;
            }
            if self.is_numbered_line(ls) {
                numbered = true;
            } else if prev_break
                && !numbered
                && self.title_like(ls, le)
                && self.heading_word_at(self.skip_md(ls)).is_none()
                && self.letter_form_at(self.skip_md(ls)).is_none()
                && self.numbered_follows(li - 1)
                && if self.has_body(cs, ls) {
                    self.reference_upto(&mut reference, ls)
                } else {
                    // A letter heading whose text is missing, then a report: two layers.
                    letter_start && ls > cs
                }
            {
                out.push(Bound {
                    start: ls,
                    content_start: ls,
                    confidence: Confidence::Inferred,
                    cue: "report title followed by numbered paragraphs".to_owned(),
                    value: self.snippet(ls),
                    heading: None,
                });
                cs = ls;
                reference = (ls, false);
                letter_start = false;
            }
            let last = self.s(ls, le).trim_end_matches(['*', '_']);
            prev_break = last.ends_with(['.', ':']) || le - ls > 400;
        }
        out
    }

    /// A short display of the text at `p` (up to 60 bytes of its line).
    fn snippet(&self, p: usize) -> String {
        let le = self.line_end_of(p);
        let e = self.floor_cb((p + 60).min(le));
        let mut s = plain(self.s(p, e.max(p)));
        if e < le {
            s.push('…');
        }
        s
    }

    /// The layer's title: its letter heading, or a report title at the start of its text.
    fn title(&self, cs: usize, end: usize) -> Option<(String, usize, Confidence)> {
        let mut p = self.skip_furniture(cs, end);
        for _ in 0..2 {
            // Skip an "[Original: X]" line and a web page's tag line ("Serbia + 1 more").
            let line = self.s(p, self.line_end_of(p));
            if self.starts_ci(self.skip_md(p), "[original")
                || (line.len() <= 60 && line.contains(" + ") && line.ends_with(" more"))
            {
                p = self.skip_furniture(self.next_line(p), end);
            }
        }
        if p >= end {
            return None;
        }
        if let Some(h) = self.heading_under_title(p, end) {
            p = h;
        }
        let full_le = self.line_end_of(p);
        let le = full_le.min(end);
        // Flattened text: a long line, or one that runs on past the end of the layer.
        let flat = full_le - p > 400 || full_le > end;
        let lp = self.skip_md(p);
        if self.letter_form_at(lp).is_some() {
            let e = if flat {
                self.letter_phrase_end(lp, (lp + 600).min(le))
            } else {
                let mut m = le;
                let mut stars = self.s(self.line_start_of(p), m).matches("**").count();
                for _ in 0..3 {
                    let line = self
                        .s(self.line_start_of(m), m)
                        .trim_end_matches(['*', '_']);
                    let last = line.rsplit(' ').next().unwrap_or("");
                    let mut nl = self.next_line(m);
                    if nl < end && self.at(nl) == b'\n' && self.heading_goes_on(nl + 1) {
                        nl += 1;
                    }
                    if nl >= end || self.at(nl) == b'\n' {
                        break;
                    }
                    let nle = self.line_end_of(nl).min(end);
                    let next_lower = self.ch(self.skip_md(nl)).is_some_and(char::is_lowercase);
                    let connector = HEADING_CONNECTORS.contains(&last);
                    if stars % 2 == 1 || connector || next_lower || self.heading_goes_on(nl) {
                        stars += self.s(nl, nle).matches("**").count();
                        m = nle;
                    } else {
                        break;
                    }
                }
                m
            };
            let title = plain(self.s(lp, e));
            return (!title.is_empty()).then_some((title, lp, Confidence::Certain));
        }
        if flat {
            // Flattened report title: up to a numbered paragraph "1." within a few words.
            let mut q = p;
            for _ in 0..30 {
                q = self.skip_sp(q);
                let te = self.token_end(q).min(le);
                if te <= q {
                    break;
                }
                let tok = self.s(q, te);
                if tok == "1." || tok == "I." {
                    let title = plain(self.s(p, q));
                    return (!title.is_empty()).then_some((title, p, Confidence::Inferred));
                }
                q = te;
            }
            return None;
        }
        let line = self.s(p, le).trim_end_matches(['*', '_']);
        if le - p <= 200 && !line.ends_with(['.', ',', ';', ':']) {
            if self.mark_at(self.skip_sp(p))
                || self.is_furniture_line(p, le)
                || line.starts_with('[')
            {
                return None;
            }
            let title = plain(line);
            return (!title.is_empty()).then_some((title, p, Confidence::Inferred));
        }
        None
    }

    /// The date the text `a..b` of an enclosing letter gives for what it transmits.
    fn reference_date(&self, a: usize, b: usize) -> Option<Found> {
        let mut best: Option<(usize, Found)> = None;
        for d in self.dated_in(a, b) {
            if let Some(f) = self.date_after_dated(d) {
                if self.reference_at(a, d, false) {
                    best = Some((d, f));
                    break;
                }
            }
        }
        // "the attached letter of 6 March 2000".
        let lim = best.map_or(b, |(d, _)| d);
        let hay = self.b.get(a..lim).unwrap_or(&[]);
        for k in memchr::memchr_iter(b'o', hay) {
            let o = a + k;
            if o == 0
                || self.at(o - 1) != b' '
                || !self.starts(o, "of ")
                || !(self.at(o + 3).is_ascii_digit() || self.at(o + 3).is_ascii_uppercase())
            {
                continue;
            }
            let o = o - 1;
            let Some((date, _)) = self.date_at(o + 4) else {
                continue;
            };
            if self.reference_at(a, o, true) {
                return Some((date, o + 4));
            }
        }
        best.map(|(_, f)| f)
    }

    /// Whether the keyword at `d` ("dated", " of ") gives the date of a communication the letter
    /// transmits: the last noun before it names a communication (not a resolution), the sentence
    /// says the letter transmits it, and it is not "my previous letter". With `adjacent`, the noun
    /// must be the word right before the keyword.
    fn reference_at(&self, a: usize, d: usize, adjacent: bool) -> bool {
        let mut ws = self.ceil_cb(d.saturating_sub(300).max(a));
        // Cut the window at the last sentence end or blank line before "dated".
        let mut k = d;
        while k > ws {
            let c = self.at(k - 1);
            if (c == b'\n' && k >= 2 && self.at(k - 2) == b'\n')
                || (c == b'.'
                    && is_ws(self.at(k))
                    && k >= 2
                    && (self.at(k - 2).is_ascii_lowercase() || self.at(k - 2) == b')'))
            {
                ws = k;
                break;
            }
            k -= 1;
        }
        let window = self.s(ws, d);
        let is = |w: &str, list: &[&str]| list.iter().any(|n| w.eq_ignore_ascii_case(n));
        // Words from the keyword backwards.
        let mut words = window
            .split(|c: char| !(c.is_alphabetic() || c == '-'))
            .filter(|w| !w.is_empty())
            .rev();
        let mut first = true;
        let noun = loop {
            let Some(w) = words.next() else {
                return false;
            };
            if is(w, COMM_NOUNS) || is(w, BLOCK_NOUNS) {
                break w;
            }
            if adjacent {
                return false;
            }
            first = false;
        };
        if is(noun, BLOCK_NOUNS) || (adjacent && !first) {
            return false;
        }
        let mut before = words.peekable();
        if is(noun, &["verbale", "verbales"])
            && before.peek().is_some_and(|w| is(w, &["note", "notes"]))
        {
            before.next();
        }
        if before
            .peek()
            .is_some_and(|w| is(w, &["my", "previous", "your", "earlier", "last", "our"]))
        {
            return false;
        }
        before.any(|w| TRANSMIT_WORDS.iter().any(|t| starts_ci(w, t)))
    }

    // --------------------------------------------------------------------------------------------
    // The whole proposal.

    /// The proposal; with `detail` false, only the header and each layer's kind, span and
    /// confidence (the same layers, without titles, dates, languages, signatories or evidence).
    fn run(&self, detail: bool) -> Structure {
        let len = self.len();
        if len == 0 {
            return Structure {
                header: None,
                layers: vec![LayerProposal {
                    kind: LayerKind::Cover,
                    start: 0,
                    content_start: 0,
                    end: 0,
                    title: None,
                    date: None,
                    original_language: None,
                    signatories: Vec::new(),
                    confidence: Confidence::Certain,
                    evidence: vec![Evidence {
                        what: "boundary",
                        value: "empty text".to_owned(),
                        cue: "outermost layer".to_owned(),
                        line: 1,
                        column: 1,
                        confidence: Confidence::Certain,
                    }],
                }],
            };
        }
        let mut pend: Vec<Pending> = Vec::with_capacity(32);
        let header = match self.header() {
            Some((h, ev)) => {
                pend.extend(ev);
                Some(h)
            }
            None => None,
        };
        let body = header.as_ref().map_or(0, |h| h.end);
        let marks = self.marks(body);
        let mut name_ends: Vec<usize> = marks.iter().map(|m| m.name_end).collect();
        name_ends.sort_unstable();
        let headings = self.headings(body, &name_ends);
        let heading_starts: Vec<usize> = headings.iter().map(|h| h.start).collect();
        // 1. Heading words.
        let mut bounds: Vec<Bound> = headings
            .iter()
            .enumerate()
            .filter(|(_, h)| h.start > body)
            .map(|(i, h)| Bound {
                start: h.start,
                content_start: h.content_start,
                confidence: Confidence::Certain,
                cue: [
                    "heading \"",
                    plain(self.s(h.word, h.label_end)).as_str(),
                    "\"",
                ]
                .concat(),
                value: plain(self.s(h.word, h.label_end)),
                heading: Some(i),
            })
            .collect();
        // 2. A signature block or closing formula followed by a new communication.
        let mut block_ends: Vec<(usize, &str)> = marks
            .iter()
            .map(|m| {
                (
                    m.block_end,
                    "\"(Signed)\" block of the layer above followed by new text",
                )
            })
            .collect();
        for c in self.closings(body) {
            block_ends.push((
                c,
                "closing formula (\"highest consideration\") followed by new text",
            ));
        }
        for (e, cue) in block_ends {
            if let Some(s) = self.boundary_after_block(e, &heading_starts) {
                if s > body {
                    bounds.push(Bound {
                        start: s,
                        content_start: s,
                        confidence: Confidence::Inferred,
                        cue: cue.to_owned(),
                        value: self.snippet(s),
                        heading: None,
                    });
                }
            }
        }
        normalize(&mut bounds, body);
        // 3. Letter headings after body text.
        let letters = self.letter_heads(body, &name_ends);
        let mut added = Vec::new();
        let mut j = 0;
        let mut cur_cs = body;
        let mut cur_start = body;
        for lh in letters {
            while j < bounds.len() && bounds[j].start <= lh.start {
                cur_cs = bounds[j].content_start;
                cur_start = bounds[j].start;
                j += 1;
            }
            if lh.start <= cur_start || lh.word < cur_cs || lh.start <= body {
                continue;
            }
            if self.has_body(cur_cs, lh.start) {
                added.push(Bound {
                    start: lh.start,
                    content_start: lh.start,
                    confidence: Confidence::Inferred,
                    cue: "letter heading after the text of the layer above".to_owned(),
                    value: self.snippet(lh.word),
                    heading: None,
                });
                cur_cs = lh.start;
                cur_start = lh.start;
            }
        }
        bounds.extend(added);
        normalize(&mut bounds, body);
        // 4. Report titles followed by numbered paragraphs.
        let more = self.report_title_bounds(body, &bounds);
        bounds.extend(more);
        normalize(&mut bounds, body);
        bounds.truncate(MAX_LAYERS - 1);
        // Layers.
        let mut layers: Vec<LayerProposal> = Vec::with_capacity(bounds.len() + 1);
        let mut spans: Vec<(usize, usize, usize, Option<usize>)> = vec![(body, body, 0, None)];
        for b in &bounds {
            spans.push((b.start, b.content_start, 0, b.heading));
        }
        let n = spans.len();
        for i in 0..n {
            spans[i].2 = if i + 1 < n { spans[i + 1].0 } else { len };
        }
        // Layer `i` as the boundaries give it: kind, span and confidence, nothing read inside yet.
        let outline = |i: usize, start: usize, cs: usize, end: usize| LayerProposal {
            kind: LayerKind::from_markers(i, self.s(start, cs)),
            start,
            content_start: cs,
            end,
            title: None,
            date: None,
            original_language: None,
            signatories: Vec::new(),
            confidence: match i.checked_sub(1).and_then(|j| bounds.get(j)) {
                Some(b) => b.confidence,
                None => Confidence::Certain,
            },
            evidence: Vec::new(),
        };
        if !detail {
            layers.extend(
                spans
                    .iter()
                    .enumerate()
                    .map(|(i, &(start, cs, end, _))| outline(i, start, cs, end)),
            );
            return Structure { header, layers };
        }
        pend.push(
            self.pending(
                0,
                "boundary",
                if header.is_some() {
                    "after the publication header"
                } else {
                    "start of the text"
                }
                .to_owned(),
                "outermost layer",
                body,
                Confidence::Certain,
            ),
        );
        for (i, b) in bounds.iter().enumerate() {
            // A heading's evidence points at the heading word itself.
            let at = b
                .heading
                .and_then(|h| headings.get(h))
                .map_or(b.start, |h| h.word);
            pend.push(self.pending(i + 1, "boundary", b.value.clone(), &b.cue, at, b.confidence));
        }
        let mut mi = 0;
        for (i, &(start, cs, end, heading)) in spans.iter().enumerate() {
            let mut layer = outline(i, start, cs, end);
            // Signatories.
            while mi < marks.len() && marks[mi].start < start {
                mi += 1;
            }
            while mi < marks.len() && marks[mi].start < end {
                let m = &marks[mi];
                let name = clean_name(self.s(m.name_pos, m.name_end));
                if !name.is_empty() {
                    pend.push(self.pending(
                        i,
                        "signatory",
                        name.clone(),
                        "\"(Signed)\" mark",
                        m.name_pos,
                        Confidence::Certain,
                    ));
                    layer.signatories.push(name);
                }
                mi += 1;
            }
            // Original language.
            let mut lang = heading
                .and_then(|h| headings.get(h))
                .and_then(|h| h.lang.clone());
            let mut from = start;
            while lang.is_none() {
                let Some(o) = self.first_original(from, end) else {
                    break;
                };
                lang = self.original_at(o).map(|(l, _)| (l, o));
                from = o + 1;
            }
            if let Some((l, off)) = lang {
                pend.push(self.pending(
                    i,
                    "original_language",
                    l.clone(),
                    "\"[Original: …]\" marker",
                    off,
                    Confidence::Certain,
                ));
                layer.original_language = Some(l);
            }
            // Title and own date.
            if let Some((title, off, conf)) = self.title(cs, end) {
                pend.push(self.pending(
                    i,
                    "title",
                    title.clone(),
                    if conf == Confidence::Certain {
                        "letter heading"
                    } else {
                        "title line at the start of the layer"
                    },
                    off,
                    conf,
                ));
                layer.title = Some(title);
            }
            if let Some((d, off, _)) = self.own_date(cs, end) {
                pend.push(self.pending(
                    i,
                    "date",
                    dates::format_iso(d),
                    "date in the layer's own letter heading",
                    off,
                    Confidence::Certain,
                ));
                layer.date = Some(d);
            } else if let Some((d, off)) = self.dateline(cs, end) {
                pend.push(self.pending(
                    i,
                    "date",
                    dates::format_iso(d),
                    "the letter's date line",
                    off,
                    Confidence::Inferred,
                ));
                layer.date = Some(d);
            }
            layers.push(layer);
        }
        // Dates the enclosing letter gives; an "Annex to the letter dated …" heading dates the letter above.
        for i in 1..layers.len() {
            if layers[i].date.is_none() {
                let (a, b) = (layers[i - 1].content_start, layers[i - 1].end);
                if let Some((d, off)) = self.reference_date(a, b) {
                    pend.push(self.pending(
                        i,
                        "date",
                        dates::format_iso(d),
                        "date the enclosing letter gives for it",
                        off,
                        Confidence::Inferred,
                    ));
                    layers[i].date = Some(d);
                }
            }
            let long = spans[i]
                .3
                .and_then(|h| headings.get(h))
                .and_then(|h| h.long_date);
            if let Some((d, off)) = long {
                if layers[i - 1].date.is_none() {
                    pend.push(self.pending(
                        i - 1,
                        "date",
                        dates::format_iso(d),
                        "date in the heading \"… to the letter dated …\" beneath",
                        off,
                        Confidence::Inferred,
                    ));
                    layers[i - 1].date = Some(d);
                }
            }
        }
        self.attach_evidence(&mut layers, pend);
        Structure { header, layers }
    }

    /// Turn pending evidence into evidence with lines and columns, in one sweep over the offsets.
    fn attach_evidence(&self, layers: &mut [LayerProposal], mut pend: Vec<Pending>) {
        pend.sort_by_key(|p| p.off);
        let mut prev: Option<(usize, usize, u32)> = None; // (line index, offset, column)
        for p in pend {
            let off = self.floor_cb(p.off);
            let li = self.doc.line_index_of(off);
            let col = match prev {
                Some((pl, po, pc)) if pl == li && po <= off => {
                    pc + self.s(po, off).chars().count() as u32
                }
                _ => {
                    let ls = self.doc.line_start(li).min(off);
                    1 + self.s(ls, off).chars().count() as u32
                }
            };
            prev = Some((li, off, col));
            if let Some(l) = layers.get_mut(p.layer) {
                l.evidence.push(Evidence {
                    what: p.what,
                    value: p.value,
                    cue: p.cue,
                    line: self.doc.original_line_of(off),
                    column: col,
                    confidence: p.confidence,
                });
            }
        }
    }
}

/// Sort boundaries, keep one per offset (a heading wins), drop those inside the markers of the
/// boundary before and those not after the start of the outermost layer.
fn normalize(bounds: &mut Vec<Bound>, body: usize) {
    bounds.sort_by_key(|b| (b.start, b.confidence != Confidence::Certain));
    let mut out: Vec<Bound> = Vec::with_capacity(bounds.len());
    for b in bounds.drain(..) {
        if b.start <= body {
            continue;
        }
        if let Some(last) = out.last() {
            if b.start == last.start || b.start < last.content_start {
                continue;
            }
        }
        out.push(b);
    }
    *bounds = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::canonicalize_str;
    use crate::dates::format_iso;

    fn parse(t: &str) -> (CanonicalText, Structure) {
        let doc = canonicalize_str(t);
        let s = propose(&doc);
        check_conventions(&doc, &s);
        (doc, s)
    }

    /// The boundary conventions other modules rely on.
    fn check_conventions(doc: &CanonicalText, s: &Structure) {
        let text = doc.as_str();
        let l0 = &s.layers[0];
        assert_eq!(l0.start, s.header.as_ref().map_or(0, |h| h.end));
        assert_eq!(l0.content_start, l0.start);
        assert_eq!(l0.kind, LayerKind::Cover);
        assert_eq!(l0.confidence, Confidence::Certain);
        for (i, l) in s.layers.iter().enumerate() {
            assert!(l.start <= l.content_start && l.content_start <= l.end);
            assert!(text.is_char_boundary(l.start) && text.is_char_boundary(l.content_start));
            if i > 0 {
                assert_eq!(l.start, s.layers[i - 1].end);
                let markers = &text[l.start..l.content_start];
                assert_eq!(LayerKind::from_markers(i, markers), l.kind, "{markers:?}");
            }
        }
        assert_eq!(s.layers.last().map(|l| l.end), Some(text.len()));
    }

    fn kinds(s: &Structure) -> Vec<&'static str> {
        s.layers.iter().map(|l| l.kind.as_str()).collect()
    }

    fn markers<'a>(doc: &'a CanonicalText, l: &LayerProposal) -> &'a str {
        &doc.as_str()[l.start..l.content_start]
    }

    fn date(l: &LayerProposal) -> Option<String> {
        l.date.map(format_iso)
    }

    #[test]
    fn no_structure_is_one_cover_layer() {
        let (doc, s) = parse("Some text without any structure.\nAnother line of it.\n");
        assert!(s.header.is_none());
        assert_eq!(kinds(&s), ["cover"]);
        assert_eq!((s.layers[0].start, s.layers[0].end), (0, doc.len()));
        assert!(s.layers[0].signatories.is_empty());
        let (_, s) = parse("");
        assert_eq!(kinds(&s), ["cover"]);
        assert_eq!((s.layers[0].start, s.layers[0].end), (0, 0));
    }

    #[test]
    fn appendix_heading_gives_its_kind() {
        let t = "Letter dated 1 May 2016 from A addressed to B\n\nI transmit the report.\n\n(Signed) Alpha Beta\n\nAppendix\n\nReport on the operations\n\n1. Text.\n";
        let (doc, s) = parse(t);
        assert_eq!(kinds(&s), ["cover", "appendix"]);
        assert_eq!(markers(&doc, &s.layers[1]), "Appendix\n\n");
        assert_eq!(s.layers[1].confidence, Confidence::Certain);
        assert_eq!(
            s.layers[1].title.as_deref(),
            Some("Report on the operations")
        );
        // An appendix below an annex keeps its own word; an enclosure by depth otherwise.
        let t2 = "Cover text.\n\n(Signed) A B\n\nAnnex\n\nLetter text.\n\n(Signed) C D\n\nAPPENDIX II\n\nTables\n";
        let (doc, s) = parse(t2);
        assert_eq!(kinds(&s), ["cover", "annex", "appendix"]);
        assert_eq!(markers(&doc, &s.layers[2]), "APPENDIX II\n\n");
    }

    #[test]
    fn headings_on_their_own_line_and_run_in() {
        // Own line, with the "[Original: X]" line and the blank lines after it.
        let t = "Cover.\n\n(Signed) A B\n\nAnnex\n\n[Original: Spanish]\n\nText of the annex.\n";
        let (doc, s) = parse(t);
        assert_eq!(
            markers(&doc, &s.layers[1]),
            "Annex\n\n[Original: Spanish]\n\n"
        );
        assert_eq!(s.layers[1].original_language.as_deref(), Some("Spanish"));
        assert_eq!(s.layers[0].original_language, None);
        // Run in with a period, and "[Original: …]" after the title line.
        let t = "Cover.\n(Signed) A B\nAnnex. Monthly report on operations\n[Original: English]\n1. Text.\n";
        let (doc, s) = parse(t);
        assert_eq!(markers(&doc, &s.layers[1]), "Annex. ");
        assert_eq!(s.layers[1].original_language.as_deref(), Some("English"));
        assert_eq!(
            s.layers[1].title.as_deref(),
            Some("Monthly report on operations")
        );
        // Run into a bold title.
        let t = "Cover.\n\n(Signed) A B\n\nEnclosure**Report to the United Nations**\n\n1. Text.\n";
        let (doc, s) = parse(t);
        // The document's own heading word wins over depth.
        assert_eq!(kinds(&s), ["cover", "enclosure"]);
        assert_eq!(markers(&doc, &s.layers[1]), "Enclosure");
        assert!(doc.as_str()[s.layers[1].content_start..].starts_with("**Report"));
        // Long form: its date is the date of the letter above, not of the annex.
        let t = "Letter dated 21 September 2000 from the Secretary-General addressed to the President of the Security Council\nText.\n(Signed) Kofi A. Annan\nAnnex to the letter dated 21 September 2000 from the Secretary-General addressed to the President of the Security Council\nMonthly report\n1. Text.\n";
        let (doc, s) = parse(t);
        assert_eq!(kinds(&s), ["cover", "annex"]);
        assert!(markers(&doc, &s.layers[1]).starts_with("Annex to the letter dated"));
        assert_eq!(date(&s.layers[0]).as_deref(), Some("2000-09-21"));
        assert_eq!(s.layers[1].date, None);
    }

    #[test]
    fn heading_words_in_prose_are_not_headings() {
        let t = "Letter dated 1 May 2016 from A addressed to B\nThe text is contained in\nAnnex I to the Agreement and in\nAnnex 10 to the General Framework Agreement, see annex II.\nAnnex I contains a list. Enclosure of documents is common.\n(Signed) A B\n";
        let (_, s) = parse(t);
        assert_eq!(kinds(&s), ["cover"]);
        assert_eq!(s.layers[0].signatories, ["A B"]);
        // "Annex I wish …": the "I" is the pronoun that starts the annex's text.
        let t = "Cover.\n\n(Signed) A B\n\nAnnex I wish to inform you of the following.\n";
        let (doc, s) = parse(t);
        assert_eq!(markers(&doc, &s.layers[1]), "Annex ");
    }

    #[test]
    fn spaced_signed_marks_and_several_signers_with_titles() {
        let t = "Letter of transmittal\n\nWe transmit the report (see enclosure).\n\n( Signed ) Virginia **Gamba**\nHead\nJoint Investigative Mechanism\n\n(SIGNED) Adrian Neritani\nLeadership Panel\n\n( Signed)  Eberhard Schanze\nLeadership Panel\n\nEnclosure\n\nFirst report\n";
        let (_, s) = parse(t);
        assert_eq!(kinds(&s), ["cover", "enclosure"]);
        assert_eq!(
            s.layers[0].signatories,
            ["Virginia Gamba", "Adrian Neritani", "Eberhard Schanze"]
        );
        let ev: Vec<&Evidence> = s.layers[0]
            .evidence
            .iter()
            .filter(|e| e.what == "signatory")
            .collect();
        assert_eq!(ev.len(), 3);
        assert!(ev.iter().all(|e| e.confidence == Confidence::Certain));
        assert_eq!((ev[0].line, ev[0].column), (5, 12));
        // A title run in after the name in flattened text, and a quoted mark that is not one.
        let t = "He wrote \"(Signed) Someone Else\". I have the honour to transmit the report. (Signed) Jens Stoltenberg Secretary General 17-12345 S/2017/1 Enclosure Report on the operations 1. The text goes on and on about the operations of the force in the period.";
        let (_, s) = parse(t);
        assert_eq!(s.layers[0].signatories, ["Jens Stoltenberg"]);
        assert_eq!(kinds(&s), ["cover", "enclosure"]);
    }

    #[test]
    fn bold_headings_wrapped_over_two_lines() {
        let t = "**Security Council**\n\nDistr.: General\n31 October 2017\nEnglish\nOriginal: French\n\n**Letter dated 25 October 2017 from the Secretary-General\naddressed to the President of the Security Council**\n\nI have the honour to transmit the attached letter dated 18 October 2017 (see annex).\n\n(Signed) António **Guterres**\n\n**Annex**\n\n**Letter from the Secretary\nGeneral of NATO**\n\nText (see enclosure).\n\n(Signed) Jens **Stoltenberg**\n\n## Enclosure\n\nReport\n";
        let (doc, s) = parse(t);
        let h = s.header.as_ref().unwrap();
        assert_eq!(h.symbol, None);
        assert_eq!(h.date.map(format_iso).as_deref(), Some("2017-10-31"));
        assert_eq!(h.original_language.as_deref(), Some("French"));
        assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
        assert_eq!(
            s.layers[0].title.as_deref(),
            Some("Letter dated 25 October 2017 from the Secretary-General addressed to the President of the Security Council")
        );
        assert_eq!(date(&s.layers[0]).as_deref(), Some("2017-10-25"));
        assert_eq!(date(&s.layers[1]).as_deref(), Some("2017-10-18"));
        assert_eq!(markers(&doc, &s.layers[1]), "**Annex**\n\n");
        assert_eq!(markers(&doc, &s.layers[2]), "## Enclosure\n\n");
        assert_eq!(s.layers[0].signatories, ["António Guterres"]);
        assert_eq!(s.layers[1].signatories, ["Jens Stoltenberg"]);
        let d = s.layers[1]
            .evidence
            .iter()
            .find(|e| e.what == "date")
            .unwrap();
        assert_eq!(d.confidence, Confidence::Inferred);
    }

    #[test]
    fn note_verbale_layers() {
        // A note verbale annex with its own dated heading and "[Original: Spanish]" after it.
        let t = "S/2016/1\n\nSecurity Council Distr.: General 13 April 2016\n\nOriginal: English\n\nLetter dated 13 April 2016 from the Secretary-General addressed to the President of the Security Council\n\nI have the honour to transmit the attached note verbale dated 1 April 2016 (see annex).\n\n(Signed) BAN Ki-moon\n\n16-06091 (E) 140416 *1606091*\n\nS/2016/1\n\nAnnex\n\nNote verbale dated 1 April 2016 from the Permanent Mission of Spain to the United Nations addressed to the Secretary-General\n\n[Original: Spanish]\n\nThe Permanent Mission presents its compliments and transmits the report (see enclosure). The Permanent Mission avails itself of this opportunity to renew the assurances of its highest consideration.\n\nReport on the operations\n\n1. Text.\n";
        let (doc, s) = parse(t);
        assert_eq!(
            s.header.as_ref().unwrap().symbol.as_deref(),
            Some("S/2016/1")
        );
        assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
        // Page furniture before the heading stays with the cover.
        assert!(doc.as_str()[..s.layers[1].start].ends_with("S/2016/1\n\n"));
        assert_eq!(date(&s.layers[1]).as_deref(), Some("2016-04-01"));
        assert!(s.layers[1].signatories.is_empty());
        assert_eq!(s.layers[1].original_language.as_deref(), Some("Spanish"));
        // The closing formula ends the note; the report is inferred, with empty markers.
        assert_eq!(s.layers[2].content_start, s.layers[2].start);
        assert_eq!(s.layers[2].confidence, Confidence::Inferred);
        // An unheaded note verbale dated by the cover ("a note verbale … dated …").
        let t = "Letter dated 10 April 2015 from the Secretary-General addressed to the President of the Security Council\n\nI have the honour to transmit herewith a note verbale from the Permanent Mission of France to the United Nations dated 31 March 2015 (see annex).\n\n(Signed) BAN Ki-moon\n\nThe Permanent Mission of France presents its compliments to the Secretary-General.\n";
        let (_, s) = parse(t);
        assert_eq!(kinds(&s), ["cover", "annex"]);
        assert_eq!(date(&s.layers[1]).as_deref(), Some("2015-03-31"));
        assert_eq!(s.layers[1].confidence, Confidence::Inferred);
    }

    #[test]
    fn no_headings_layers_from_signature_blocks_and_letter_headings() {
        let t = "Monthly report on the operations (13 Jan - 12 Feb 2000)\n\nI have the honour to convey the attached communication, dated 6 March 2000, which I have received (see annex).\n\n(Signed) Kofi A. ANNAN\n\nLetter dated 6 March 2000 from the Secretary-General of NATO addressed to the Secretary-General\n\nI attach the monthly report.\n\n(Signed) The Rt. Hon. Lord ROBERTSON of Port Ellen, PC\n\nMonthly report on the operations\n\n1. Text.\n";
        let (doc, s) = parse(t);
        assert!(s.header.is_none());
        assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
        assert_eq!(s.layers[0].date, None);
        assert_eq!(date(&s.layers[1]).as_deref(), Some("2000-03-06"));
        assert_eq!(
            s.layers[1].signatories,
            ["The Rt. Hon. Lord ROBERTSON of Port Ellen, PC"]
        );
        // The blank line after a signature belongs to the layer above.
        assert!(doc.as_str()[..s.layers[1].start].ends_with("ANNAN\n\n"));
        assert!(s.layers[1..].iter().all(|l| l.start == l.content_start));
        // A letter heading after body text starts a layer even without a signature.
        let t = "Letter dated 1 May 2016 from A addressed to B\n\nI transmit the letter of 2 May 2016 from C (see annex).\n\nLetter dated 2 May 2016 from C addressed to A\n\nText of C.\n";
        let (_, s) = parse(t);
        assert_eq!(kinds(&s), ["cover", "annex"]);
        assert_eq!(date(&s.layers[1]).as_deref(), Some("2016-05-02"));
        // A report title followed by numbered paragraphs, in a letter that refers to it.
        let t = "Letter dated 1 May 2016 from A addressed to B\n\nI have the honour to transmit herewith the report (see enclosure).\n\nReport on the operations of the force\n\n1. Over the period.\n";
        let (_, s) = parse(t);
        assert_eq!(kinds(&s), ["cover", "annex"]);
        assert_eq!(
            s.layers[1].title.as_deref(),
            Some("Report on the operations of the force")
        );
    }

    #[test]
    fn flattened_text_with_page_furniture() {
        let t = "United Nations S/2001/1001 Security Council Distr.: General 24 October 2001 Original: English Letter dated 23 October 2001 from the Secretary-General addressed to the President of the Security Council I have the honour to convey the attached communication, dated 19 October 2001 (see annex). (Signed) Kofi A. Annan 01-59943 (E) 251001 *0159943* S/2001/1001 Annex [Original: French] Letter dated 19 October 2001 from the Secretary-General of the North Atlantic Treaty Organization to the Secretary-General In accordance with resolution 1088, I attach the report (see enclosure). (Signed) George Robertson 2 S/2001/1001 Enclosure Monthly report to the Security Council 1. Over the reporting period.";
        let (doc, s) = parse(t);
        let text = doc.as_str();
        let h = s.header.as_ref().unwrap();
        assert!(text[h.end..].starts_with("Letter dated 23 October"));
        assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
        assert_eq!(markers(&doc, &s.layers[1]), "Annex [Original: French] ");
        assert_eq!(markers(&doc, &s.layers[2]), "Enclosure ");
        assert!(text[..s.layers[1].start].ends_with("S/2001/1001 "));
        assert_eq!(s.layers[0].signatories, ["Kofi A. Annan"]);
        assert_eq!(s.layers[1].signatories, ["George Robertson"]);
        assert_eq!(s.layers[1].original_language.as_deref(), Some("French"));
        assert_eq!(date(&s.layers[1]).as_deref(), Some("2001-10-19"));
        assert_eq!(
            s.layers[1].title.as_deref(),
            Some("Letter dated 19 October 2001 from the Secretary-General of the North Atlantic Treaty Organization to the Secretary-General")
        );
        // Evidence columns on a single line.
        let b = &s.layers[1].evidence[0];
        assert_eq!((b.what, b.line), ("boundary", 1));
        assert_eq!(
            b.column as usize,
            text[..s.layers[1].start].chars().count() + 1
        );
    }

    #[test]
    fn reliefweb_title_line_is_the_cover_heading() {
        let t = "Kosovo: Letter dated 2 Oct 2008 from the UN SG to the President of the UN SC - Monthly report (S/2008/638)\n\nPursuant to resolution 1244 (1999), dated 10 June 1999, I have the honour to transmit the attached report (see annex).\n\n(Signed) Ban Ki-moon\n\nMonthly report to the United Nations\n\n1. Text.\n";
        let (_, s) = parse(t);
        assert!(s.header.is_none());
        assert_eq!(kinds(&s), ["cover", "annex"]);
        assert_eq!(date(&s.layers[0]).as_deref(), Some("2008-10-02"));
        // "resolution …, dated …" is not the date of what the letter transmits.
        assert_eq!(s.layers[1].date, None);
    }

    #[test]
    fn ocr_noise() {
        let t = "United Nations\n\nS/2003/1\n\nJStM\n\nSecurity Council\n\nDistr.: General\n3 May 2003\n\nOriginal: English\n\nLetter dated 31 January2003 from the Secretary-General to the\nPresident of the Security Council\n\nText.\n\n( Signed) Kofi A. Annan\n\n03-33080 (E)\n\nmi min\n\n160503\n\nS/2003/1\n\nAnnex\n\nLetter dated 23 April 2003 from X addressed to the Secretary-General\n\nText.\n\n( Signed) Christian Schwarz-Schilling\n\n2\n\nS/2003/1\n\nEnclosure\n\nReport\n";
        let (_, s) = parse(t);
        let h = s.header.as_ref().unwrap();
        assert_eq!(h.symbol.as_deref(), Some("S/2003/1"));
        assert_eq!(h.date.map(format_iso).as_deref(), Some("2003-05-03"));
        assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
        assert_eq!(date(&s.layers[0]).as_deref(), Some("2003-01-31"));
        assert_eq!(s.layers[0].signatories, ["Kofi A. Annan"]);
        assert_eq!(s.layers[1].signatories, ["Christian Schwarz-Schilling"]);
        assert_eq!(
            s.layers[0].title.as_deref(),
            Some("Letter dated 31 January2003 from the Secretary-General to the President of the Security Council")
        );
    }

    #[test]
    fn evidence_for_every_finding() {
        let t = "S/2016/459\n\nDistr.: General\n19 May 2016\n\nLetter dated 19 May 2016 from A addressed to B\n\nText.\n\n(Signed) BAN Ki-moon\n\nAnnex\n\n[Original: French]\n\nText.\n";
        let (_, s) = parse(t);
        let whats: Vec<&str> = s.layers[0].evidence.iter().map(|e| e.what).collect();
        assert_eq!(
            whats,
            ["header", "header", "boundary", "title", "date", "signatory"]
        );
        let l1: Vec<(&str, &str, Confidence)> = s.layers[1]
            .evidence
            .iter()
            .map(|e| (e.what, e.value.as_str(), e.confidence))
            .collect();
        assert_eq!(
            l1,
            [
                ("boundary", "Annex", Confidence::Certain),
                ("original_language", "French", Confidence::Certain)
            ]
        );
        let b = &s.layers[1].evidence[0];
        assert_eq!((b.line, b.column), (12, 1));
        assert_eq!(b.cue, "heading \"Annex\"");
    }

    #[test]
    fn datelines_split_headings_web_titles_and_damaged_names() {
        // A date alone on a line, followed by the salutation; a place before the date.
        let t = "\n3 March 2004\n\nExcellency,\n\nI have the honour to transmit the report (see enclosure).\n\n(Signed) A B\n\nEnclosure\n\nReport\n";
        let (_, s) = parse(t);
        assert_eq!(date(&s.layers[0]).as_deref(), Some("2004-03-03"));
        let d = s.layers[0]
            .evidence
            .iter()
            .find(|e| e.what == "date")
            .unwrap();
        assert_eq!((d.line, d.confidence), (2, Confidence::Inferred));
        let t = "The President of the Security Council\nNew York\n\nNew York, 12 June 1998\n\nText of the letter.\n";
        let (_, s) = parse(t);
        assert_eq!(date(&s.layers[0]).as_deref(), Some("1998-06-12"));
        // A date line that is not a letter's (no place, no salutation after it) is no date.
        let t = "Report\n\n12 June 1998\n\nThe period was calm.\n";
        let (_, s) = parse(t);
        assert_eq!(s.layers[0].date, None);
        // A title-case heading broken by a blank line.
        let t = "Letter Dated 12 May 1999\n\nfrom the Secretary-General addressed to the President of the Security Council\n\nText.\n";
        let (_, s) = parse(t);
        assert_eq!(date(&s.layers[0]).as_deref(), Some("1999-05-12"));
        assert_eq!(
            s.layers[0].title.as_deref(),
            Some("Letter Dated 12 May 1999 from the Secretary-General addressed to the President of the Security Council")
        );
        // A web page's title above the document's heading: the heading's date.
        let t = "Letter dated 19 May 2016 from the Secretary-General (S/2016/459) - Serbia | ReliefWeb\n\nLetter dated 18 May 2016 from the Secretary-General addressed to the President of the Security Council\n\nText.\n";
        let (_, s) = parse(t);
        assert_eq!(date(&s.layers[0]).as_deref(), Some("2016-05-18"));
        assert!(s.layers[0]
            .title
            .as_deref()
            .unwrap()
            .starts_with("Letter dated 18 May"));
        // Damaged encodings and a title on the signature line.
        let t = "Text.\n\n(Signed) AntÃ³nio Guterres Secretary-General\n\n(Signed) Jens Stolten\u{fffd}berg\n";
        let (_, s) = parse(t);
        assert_eq!(
            s.layers[0].signatories,
            ["António Guterres", "Jens Stoltenberg"]
        );
        assert_eq!(repair_encoding("Ã‰mile"), "Émile");
        assert_eq!(repair_encoding("Ça va"), "Ça va");
    }

    #[test]
    fn furniture_and_names() {
        assert!(is_furniture_str("01-59943"));
        assert!(is_furniture_str("(E)"));
        assert!(is_furniture_str("*0159943*"));
        assert!(is_furniture_str("2/5"));
        assert!(is_furniture_str("S/2001/1001"));
        assert!(is_furniture_str("—"));
        assert!(!is_furniture_str("("));
        assert!(!is_furniture_str("Annan"));
        assert!(!is_furniture_str("1244-related"));
        assert!(is_symbol("A/70/123"));
        assert!(!is_symbol("EN/AR"));
        assert_eq!(clean_name("Jens **Stoltenberg**,"), "Jens Stoltenberg");
        assert_eq!(clean_name("Kofi A. Annan."), "Kofi A. Annan");
        assert_eq!(clean_name("  António   Guterres "), "António Guterres");
        assert_eq!(plain("Anto\u{301}nio"), "António");
        assert_eq!(month_num(b"Oct"), Some(10));
        assert_eq!(month_num(b"sept"), Some(9));
        assert_eq!(month_num(b"Ma"), None);
    }
}
