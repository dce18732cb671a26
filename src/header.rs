//! The publication-header grammar: which text before the outermost signed layer is acceptable.
//!
//! The publication header ("Security Council / Distr.: General / 31 October 2017 / English /
//! Original: French") is added by the publisher after every signature, so no signature covers it.
//! Text there must therefore be harmless: [`check_header`] accepts it only if every non-blank line is
//! a sequence of the items real headers carry (organ names, a document symbol, `Distr.: General`,
//! a date, languages, a session, agenda items, the job number and barcode). Anything else — a forged
//! corrigendum, a rewritten cover letter, a "(Signed)" look-alike, or markup that hides or restyles
//! the signed text after it — is refused with a [`HeaderRefusal`] naming the line.
//!
//! The grammar is exact and deterministic (specified in `docs/header-grammar.md`); it does not use
//! the heuristic [`parser`](crate::parser).

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::canonical::invisible_class;

/// At most this many non-blank lines in a header.
pub const MAX_LINES: usize = 12;

/// At most this many characters (Unicode scalar values) in a header line.
pub const MAX_LINE_CHARS: usize = 120;

/// Why a publication header is refused. Line numbers are 1-based within the header text, blank
/// lines included.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum HeaderRefusal {
    /// The header text is not empty and does not end with a line break: the first signed layer
    /// starts inside a line (typically a flattened copy whose line breaks were lost).
    #[error("the header ends inside a line: the signed text starts in the middle of a line")]
    EndsMidLine,
    /// More than [`MAX_LINES`] non-blank lines.
    #[error("the header has {count} non-blank lines; a publication header has at most 12")]
    TooManyLines {
        /// Number of non-blank lines.
        count: usize,
    },
    /// A line longer than [`MAX_LINE_CHARS`] characters.
    #[error("line {line} of the header is {chars} characters long; header lines have at most 120")]
    LineTooLong {
        /// 1-based line within the header.
        line: usize,
        /// Its length in characters.
        chars: usize,
    },
    /// A "(Signed)" mark or a look-alike of one ("signed" in any disguise).
    #[error("line {line} of the header carries a \"(Signed)\" mark or a look-alike of one; a signature line outside the signed text is not allowed")]
    SignatureMark {
        /// 1-based line within the header.
        line: usize,
    },
    /// Markdown or HTML that can hide or restyle the text after it.
    #[error(
        "line {line} of the header holds markup that can hide or restyle the signed text: {what}"
    )]
    HidingMarkup {
        /// 1-based line within the header.
        line: usize,
        /// What was found, in plain words.
        what: &'static str,
    },
    /// A line that is not a sequence of header items.
    #[error("line {line} of the header is not a publication-header line: {text:?}")]
    UnrecognisedLine {
        /// 1-based line within the header.
        line: usize,
        /// The line as found.
        text: String,
    },
}

/// The 1-based header line a refusal names, if it names one.
pub fn refusal_line(refusal: &HeaderRefusal) -> Option<usize> {
    match refusal {
        HeaderRefusal::EndsMidLine | HeaderRefusal::TooManyLines { .. } => None,
        HeaderRefusal::LineTooLong { line, .. }
        | HeaderRefusal::SignatureMark { line }
        | HeaderRefusal::HidingMarkup { line, .. }
        | HeaderRefusal::UnrecognisedLine { line, .. } => Some(*line),
    }
}

/// Check canonical header text (LF-terminated lines; empty means no header) against the grammar.
///
/// Checks, in order: the text ends with LF; at most [`MAX_LINES`] non-blank lines; then, line by
/// line, its length, signature marks and look-alikes, hiding markup, and the item grammar. The
/// first failure is returned.
pub fn check_header(text: &str) -> Result<(), HeaderRefusal> {
    if text.is_empty() {
        return Ok(());
    }
    let Some(body) = text.strip_suffix('\n') else {
        return Err(HeaderRefusal::EndsMidLine);
    };
    let lines: Vec<&str> = body.split('\n').collect();
    let count = lines.iter().filter(|l| !is_blank(l)).count();
    if count > MAX_LINES {
        return Err(HeaderRefusal::TooManyLines { count });
    }
    for (i, line) in lines.iter().enumerate() {
        if !is_blank(line) {
            check_line(i + 1, line)?;
        }
    }
    Ok(())
}

/// Blank as in the canonical text profile: nothing but `White_Space` characters.
fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

fn check_line(line: usize, text: &str) -> Result<(), HeaderRefusal> {
    let chars = text.chars().count();
    if chars > MAX_LINE_CHARS {
        return Err(HeaderRefusal::LineTooLong { line, chars });
    }
    if has_signature_look_alike(text) {
        return Err(HeaderRefusal::SignatureMark { line });
    }
    let body = markup_free_body(text).map_err(|what| HeaderRefusal::HidingMarkup { line, what })?;
    if is_item_sequence(body) {
        Ok(())
    } else {
        Err(HeaderRefusal::UnrecognisedLine {
            line,
            text: text.to_owned(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// "(Signed)" look-alikes
// ---------------------------------------------------------------------------------------------

/// True if the line, as found or after look-alike normalization, contains `signed` in any case.
fn has_signature_look_alike(line: &str) -> bool {
    // ASCII without character references is its own NFKC: `look_alike_normalize` only removes
    // `\\`, emphasis characters and controls and lowers the case, which this does directly (and
    // `signed` as found survives it).
    if line.is_ascii() && !line.contains('&') {
        // `signed` repeats none of its prefixes, so a mismatch restarts the match at this byte.
        let mut matched = 0;
        for b in line.bytes() {
            if matches!(b, b'\\' | b'*' | b'_' | b'`' | 0x7f)
                || (b < 0x20 && b != b'\t' && b != b'\n')
            {
                continue;
            }
            let b = b.to_ascii_lowercase();
            matched = if b == b"signed"[matched] {
                matched + 1
            } else {
                usize::from(b == b's')
            };
            if matched == 6 {
                return true;
            }
        }
        return false;
    }
    line.to_lowercase().contains("signed") || look_alike_normalize(line).contains("signed")
}

/// Backslashes removed, character references decoded, NFKC, invisible characters and the Markdown
/// emphasis/code characters `*`, `_`, `` ` `` removed, lower case.
pub(crate) fn look_alike_normalize(line: &str) -> String {
    let unescaped: String = line.chars().filter(|&c| c != '\\').collect();
    let decoded = decode_references(&unescaped);
    decoded
        .nfkc()
        .filter(|&c| invisible_class(c).is_none() && !matches!(c, '*' | '_' | '`'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Named character references decoded by [`decode_references`].
const NAMED_REFERENCES: &[(&str, char)] = &[
    ("lpar", '('),
    ("rpar", ')'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("shy", '\u{ad}'),
    ("zwsp", '\u{200b}'),
    ("zwj", '\u{200d}'),
    ("zwnj", '\u{200c}'),
];

/// Decode HTML character references `&#N;`, `&#xH;` and the names of [`NAMED_REFERENCES`] (one
/// pass; anything else is kept as is).
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';').and_then(|semi| {
            let name = &after[..semi];
            reference_char(name).map(|c| (c, semi))
        }) {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference_char(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        };
        if digits.is_empty() || digits.len() > 8 {
            return None;
        }
        return u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32);
    }
    NAMED_REFERENCES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, c)| c)
}

// ---------------------------------------------------------------------------------------------
// Hiding markup
// ---------------------------------------------------------------------------------------------

/// The line's body after removing one closed emphasis wrapper, or what hiding markup it holds.
fn markup_free_body(line: &str) -> Result<&str, &'static str> {
    if line.contains("<!--") {
        return Err("an HTML comment opener \"<!--\", which hides everything after it");
    }
    if line.contains('<') {
        return Err("\"<\", which can open an HTML tag");
    }
    if line.starts_with(char::is_whitespace) {
        return Err("leading white space, which can make an indented code block");
    }
    if line.starts_with('>') {
        return Err("a block quote marker \">\"");
    }
    if line.starts_with("```") || line.starts_with("~~~") {
        return Err("a code fence, which hides what follows as code");
    }
    if line.contains('`') {
        return Err("a backtick, which can open a code span");
    }
    if line.contains('~') {
        return Err("a tilde, which can strike through text");
    }
    if line.ends_with('\\') {
        return Err("a trailing backslash, which joins the next line");
    }
    if line.contains('\\') {
        return Err("a backslash escape");
    }
    if line.contains('&') {
        return Err("\"&\", which can start an HTML character reference");
    }
    if line.starts_with('[') && line.contains("]:") {
        return Err("a link reference definition \"[…]:\", which hides the line");
    }
    if line.contains("](") || line.contains("][") || line.contains("![") {
        return Err("a Markdown link or image");
    }
    if line.starts_with('#') {
        return Err("a heading marker \"#\"");
    }
    if line.starts_with(['-', '+', '=']) {
        return Err("a list marker, heading underline or rule at the start of the line");
    }
    if (line.starts_with('*') && line[1..].starts_with([' ', '\t'])) || line == "*" {
        return Err("a list marker \"*\"");
    }
    if starts_with_ordered_list_marker(line) {
        return Err("an ordered list marker (a number followed by \".\" or \")\")");
    }
    if line.chars().all(|c| matches!(c, '*' | '_' | ' ')) {
        return Err("a thematic break");
    }
    if emphasis_free(line) {
        return Ok(line);
    }
    for wrapper in ["**", "__", "*", "_"] {
        let inner = line
            .strip_prefix(wrapper)
            .and_then(|rest| rest.strip_suffix(wrapper));
        if let Some(inner) = inner {
            if !inner.is_empty()
                && !inner.starts_with(char::is_whitespace)
                && !inner.ends_with(char::is_whitespace)
                && emphasis_free(inner)
            {
                return Ok(inner);
            }
        }
    }
    Err("an unclosed or stray emphasis marker (\"*\" or \"_\")")
}

/// Digits (1 to 9 of them) followed by `.` or `)` and then a space, a tab or the end of the line.
fn starts_with_ordered_list_marker(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=9).contains(&digits) {
        return false;
    }
    let rest = &line.as_bytes()[digits..];
    matches!(rest.first(), Some(b'.' | b')')) && matches!(rest.get(1), None | Some(b' ' | b'\t'))
}

/// True if every `*` and `_` of `s` is inside a barcode item.
fn emphasis_free(s: &str) -> bool {
    s.split(' ')
        .filter(|w| w.contains(['*', '_']))
        .all(is_barcode)
}

// ---------------------------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------------------------

/// Organ and organization names (each one item; words compare ASCII case-insensitively).
pub const ORGANS: &[&str] = &[
    "United Nations",
    "Security Council",
    "General Assembly",
    "Economic and Social Council",
    "Secretariat",
    "International Court of Justice",
    "Human Rights Council",
    "Trusteeship Council",
];

/// Other fixed items.
pub const FIXED_ITEMS: &[&str] = &[
    "Distr.: General",
    "Distr.: Limited",
    "Distr.: Restricted",
    "Resumed session",
];

/// The six official languages of the United Nations.
pub const LANGUAGES: &[&str] = &[
    "Arabic", "Chinese", "English", "French", "Russian", "Spanish",
];

/// English month names.
pub const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// First components a document symbol may start with (case-sensitive).
pub const SYMBOL_ORGANS: &[&str] = &["A", "S", "E", "T", "ST"];

/// Language letters of a job number, as in `17-19338 (E)`.
pub const JOB_LANGUAGES: &[&str] = &["(A)", "(C)", "(E)", "(F)", "(R)", "(S)"];

const ORDINAL_UNITS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
];
const ORDINAL_SIMPLE: &[&str] = &[
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// True if the whole body is a sequence of one or more items separated by spaces.
fn is_item_sequence(body: &str) -> bool {
    let words: Vec<&str> = body.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return false;
    }
    // reachable[i]: words[..i] is a sequence of items.
    let mut reachable = vec![false; words.len() + 1];
    reachable[0] = true;
    for i in 0..words.len() {
        if !reachable[i] {
            continue;
        }
        for n in item_lengths(&words[i..]) {
            if let Some(r) = reachable.get_mut(i + n) {
                *r = true;
            }
        }
    }
    reachable[words.len()]
}

/// Every length (in words, at least 1) of an item starting at `words[0]`.
fn item_lengths(words: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    for phrase in ORGANS.iter().chain(FIXED_ITEMS) {
        if let Some(n) = phrase_len(words, phrase) {
            out.push(n);
        }
    }
    out.extend(language_len(words));
    out.extend(date_len(words));
    out.extend(symbol_len(words));
    out.extend(session_len(words));
    out.extend(agenda_len(words));
    out.extend(job_number_lens(words));
    if words.first().is_some_and(|w| is_barcode(w)) {
        out.push(1);
    }
    out
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|x| eq(word, x))
}

/// Words of `phrase` match the first words of `words`.
fn phrase_len(words: &[&str], phrase: &str) -> Option<usize> {
    let mut n = 0;
    for p in phrase.split(' ') {
        if !eq(words.get(n)?, p) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// `English`; `Original: English`; `Language: English`; `[Original: English]`.
fn language_len(words: &[&str]) -> Option<usize> {
    let first = *words.first()?;
    if is_one_of(first, LANGUAGES) {
        return Some(1);
    }
    let second = *words.get(1)?;
    if (eq(first, "Original:") || eq(first, "Language:")) && is_one_of(second, LANGUAGES) {
        return Some(2);
    }
    let lang = second.strip_suffix(']')?;
    (eq(first, "[Original:") && is_one_of(lang, LANGUAGES)).then_some(2)
}

/// `31 October 2017`: a day of the English month that exists in that year (no `31 February`),
/// one or two digits, and a four-digit year.
fn date_len(words: &[&str]) -> Option<usize> {
    let [day, month, year, ..] = words else {
        return None;
    };
    let month_no = MONTHS.iter().position(|m| eq(month, m))?;
    let (Ok(d), Ok(y)) = (day.parse::<u8>(), year.parse::<i32>()) else {
        return None;
    };
    let exists = (1..=2).contains(&day.len())
        && all_digits(day)
        && year.len() == 4
        && all_digits(year)
        && crate::dates::from_dmy(d, month_no as u8 + 1, y).is_some();
    exists.then_some(3)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A document symbol word (symbols joined by en dashes), optionally followed by `(YYYY)`.
fn symbol_len(words: &[&str]) -> Option<usize> {
    let first = *words.first()?;
    if !(first.len() <= 60 && first.split('\u{2013}').all(is_symbol)) {
        return None;
    }
    let year = words
        .get(1)
        .and_then(|w| w.strip_prefix('('))
        .and_then(|w| w.strip_suffix(')'))
        .is_some_and(|y| y.len() == 4 && all_digits(y));
    Some(if year { 2 } else { 1 })
}

/// `S/2017/912`, `A/RES/72/1`, `E/CN.6/2017/1`, `S/2015/1049/Add.1`, `S/PV.8000`: the organ
/// letter(s), then parts each of which is a number (1-5 digits), a series code (1-6 upper-case
/// letters, optionally `.` and 1-4 digits: `RES`, `PV.8000`, `CN.6`), or a revision suffix
/// (`Add.`, `Corr.`, `Rev.` or `Amend.` and 1-3 digits); the last part holds a digit. No part is
/// free text, so a symbol cannot carry a sentence (`S/CORRIGENDUM/for-4100/read-4600`).
fn is_symbol(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    parts.len() >= 2
        && SYMBOL_ORGANS.contains(&parts[0])
        && parts[1..].iter().all(|p| is_symbol_part(p))
        && parts
            .last()
            .is_some_and(|p| p.bytes().any(|b| b.is_ascii_digit()))
}

fn is_symbol_part(p: &str) -> bool {
    let digits = |s: &str, max: usize| (1..=max).contains(&s.len()) && all_digits(s);
    if digits(p, 5) {
        return true;
    }
    for suffix in ["Add.", "Corr.", "Rev.", "Amend."] {
        if let Some(n) = p.strip_prefix(suffix) {
            return digits(n, 3);
        }
    }
    let (code, number) = match p.split_once('.') {
        Some((c, n)) => (c, Some(n)),
        None => (p, None),
    };
    (1..=6).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && number.map_or(true, |n| digits(n, 4))
}

/// `Seventy-second session`, `72nd session`.
fn session_len(words: &[&str]) -> Option<usize> {
    let [ordinal, session, ..] = words else {
        return None;
    };
    (eq(session, "session") && is_ordinal(ordinal)).then_some(2)
}

fn is_ordinal(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if ORDINAL_UNITS.contains(&lower.as_str()) || ORDINAL_SIMPLE.contains(&lower.as_str()) {
        return true;
    }
    if let Some((tens, unit)) = lower.split_once('-') {
        return TENS.contains(&tens) && ORDINAL_UNITS.contains(&unit);
    }
    let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
    let (number, suffix) = lower.split_at(digits);
    if !(1..=3).contains(&digits) || number.starts_with('0') {
        return false;
    }
    let n: u32 = number.parse().unwrap_or(0);
    let expected = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    suffix == expected
}

/// `Agenda item 12`, `Agenda items 12 and 14`, `Item 12 of the provisional agenda`,
/// `Items 12, 13 and 14 of the provisional agenda`.
fn agenda_len(words: &[&str]) -> Option<usize> {
    let first = *words.first()?;
    let second = words.get(1).copied().unwrap_or("");
    let (start, plural, trailer) = if eq(first, "Agenda") && eq(second, "item") {
        (2, false, false)
    } else if eq(first, "Agenda") && eq(second, "items") {
        (2, true, false)
    } else if eq(first, "Item") {
        (1, false, true)
    } else if eq(first, "Items") {
        (1, true, true)
    } else {
        return None;
    };
    let (len, count) = number_list_len(&words[start..])?;
    if plural != (count >= 2) {
        return None;
    }
    let mut n = start + len;
    if trailer {
        n += phrase_len(&words[n..], "of the provisional agenda")?;
    }
    Some(n)
}

/// A list of agenda numbers: `12`, `12 and 14`, `12, 13 and 14`, `12, 13, and 14`; each number
/// may be followed by a sub-item `(a)`. Returns (words, numbers).
fn number_list_len(words: &[&str]) -> Option<(usize, usize)> {
    let mut n = 0;
    let mut count = 0;
    loop {
        let (len, comma) = agenda_number_len(&words[n..])?;
        n += len;
        count += 1;
        let next_is_and = words.get(n).is_some_and(|w| eq(w, "and"));
        if next_is_and {
            let (len, comma) = agenda_number_len(&words[n + 1..])?;
            if comma {
                return None;
            }
            return Some((n + 1 + len, count + 1));
        }
        if !comma {
            return Some((n, count));
        }
    }
}

/// One agenda number (`12`, `12,`, `12 (a)`, `12 (a),`): (words, ends with a comma).
fn agenda_number_len(words: &[&str]) -> Option<(usize, bool)> {
    let first = *words.first()?;
    let (number, comma) = match first.strip_suffix(',') {
        Some(n) => (n, true),
        None => (first, false),
    };
    if !((1..=3).contains(&number.len()) && all_digits(number) && !number.starts_with('0')) {
        return None;
    }
    if comma {
        return Some((1, true));
    }
    let sub = words.get(1).and_then(|w| {
        let (w, comma) = match w.strip_suffix(',') {
            Some(w) => (w, true),
            None => (*w, false),
        };
        let letter = w.strip_prefix('(')?.strip_suffix(')')?;
        (letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase())).then_some(comma)
    });
    Some(match sub {
        Some(comma) => (2, comma),
        None => (1, false),
    })
}

/// `17-19338 (E)`, optionally followed by one or two six-digit print dates (`311017 011117`).
fn job_number_lens(words: &[&str]) -> Vec<usize> {
    let ok = match words {
        [number, language, ..] => {
            let b = number.as_bytes();
            b.len() == 8
                && b[2] == b'-'
                && all_digits(&number[..2])
                && all_digits(&number[3..])
                && JOB_LANGUAGES.contains(language)
        }
        _ => false,
    };
    if !ok {
        return Vec::new();
    }
    let dates = words[2..]
        .iter()
        .take(2)
        .take_while(|w| w.len() == 6 && all_digits(w))
        .count();
    (2..=2 + dates).collect()
}

/// `*1719338*`: seven digits between asterisks.
fn is_barcode(word: &str) -> bool {
    word.strip_prefix('*')
        .and_then(|w| w.strip_suffix('*'))
        .is_some_and(|d| d.len() == 7 && all_digits(d))
}

#[cfg(test)]
mod tests;
