//! Word lists (heading words, titles, particles, languages, nouns of letters and blocks) and
//! byte-level helpers: emphasis and white space, the "(Signed)" mark, plain text, names repaired
//! of encoding damage, months, symbols and page furniture.

use super::*;

/// Heading words that introduce a layer (the kind is derived with [`LayerKind::from_markers`]).
pub(super) const HEADING_WORDS: [&str; 6] = [
    "Annex",
    "ANNEX",
    "Enclosure",
    "ENCLOSURE",
    "Appendix",
    "APPENDIX",
];

/// Words that begin a signer's title, not their name ("(Signed) Jens Stoltenberg Secretary …").
pub(super) const TITLE_WORDS: &[&str] = &[
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
pub(super) const PARTICLES: &[&str] = &[
    "of", "de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den",
    "ter", "bin", "ibn", "al", "el", "la", "le", "y", "zu", "ben", "ould", "e",
];

/// Language words of the header block ("English / Original: French").
pub(super) const LANGUAGES: &[&str] = &[
    "English", "French", "Spanish", "Russian", "Chinese", "Arabic", "ENGLISH", "FRENCH", "SPANISH",
    "RUSSIAN", "CHINESE", "ARABIC",
];

/// Nouns that name a communication a letter can transmit ("the attached letter, dated …").
pub(super) const COMM_NOUNS: &[&str] = &[
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
pub(super) const BLOCK_NOUNS: &[&str] = &[
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
pub(super) const TRANSMIT_WORDS: &[&str] = &[
    "attach", "enclos", "herewith", "transmit", "convey", "forward",
];

/// Phrases that show a letter refers to layers beneath it (for the report-title cue).
pub(super) const REFERENCE_PHRASES: &[&str] = &[
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
pub(super) const LONG_FORM_NOUNS: &[&str] = &[
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
pub(super) const ADDRESSEE_END: &[&str] = &[
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
pub(super) const PRONOUN_VERBS: &[&str] = &[
    "wish", "have", "am", "write", "would", "should", "refer", "attach", "enclose", "hereby",
    "herewith", "take", "can", "will", "shall", "must", "want", "hope", "look", "thank", "avail",
    "also", "further", "transmit", "convey", "forward", "submit", "request", "welcome", "regret",
    "believe", "consider", "inform", "seek", "was", "had", "recall", "note", "need", "write",
];

/// Longest token the scanners look at (longer runs without white space are never cues).
pub(super) const MAX_TOKEN: usize = 256;

// ------------------------------------------------------------------------------------------------
// Byte helpers.

pub(super) fn is_sp(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

pub(super) fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

pub(super) fn is_emph(c: u8) -> bool {
    c == b'*' || c == b'_'
}

/// If `(` at `open` starts `( Signed )`, the offset after `)` (the rule of `docs/FORMAT.md` §6, as
/// in [`crate::parse::identity`]).
pub(super) fn match_signed(b: &[u8], open: usize) -> Option<usize> {
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
pub(super) fn plain(s: &str) -> String {
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
    crate::parse::identity::collapse_into(s.chars(), &mut out, |out, c| out.push(c));
    if is_nfc_quick(out.chars()) == IsNormalized::Yes {
        out
    } else {
        out.nfc().collect()
    }
}

/// Words that, ending a heading line, say the heading goes on on the next line ("Letter dated
/// … addressed to the" / "President of the Security Council").
pub(super) const HEADING_CONNECTORS: [&str; 9] = [
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
pub(super) const LETTER_STARTS: [&str; 9] = [
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
pub(super) fn language(raw: &str) -> String {
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
pub(super) fn repair_encoding(s: &str) -> std::borrow::Cow<'_, str> {
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
pub(super) fn clean_name(raw: &str) -> String {
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
pub(super) fn month_num(w: &[u8]) -> Option<u8> {
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
pub(super) fn starts_ci(w: &str, prefix: &str) -> bool {
    w.as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// True when `s` is a UN document symbol such as `S/2001/1001` or `A/70/123`.
pub(super) fn is_symbol(s: &str) -> bool {
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
pub(super) fn is_furniture_str(tok: &str) -> bool {
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
