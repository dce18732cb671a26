//! Signature marks ("(Signed) Name") and the name comparison that binds a key to a layer.
//!
//! The identity of the key that signs a layer must match the name on a "(Signed)" line of
//! that layer. This check is part of verification, so it must be exact and deterministic, and it is
//! specified in `docs/FORMAT.md` §6 (it is *not* the heuristic parser, which only proposes):
//!
//! * A **signature mark** is `(`, optional spaces, `Signed` (any case), optional spaces, `)`, that
//!   starts a line (after optional spaces and Markdown emphasis `*`/`_`) or, in flattened text,
//!   follows a sentence end (`.`, `!`, `?`, `)`, `]`, `:` or `;`, then white space). A line that is
//!   a Markdown block quote (`>`) or a mark right after a quotation mark is not a signature mark: a
//!   quoted "(Signed)" is a quotation, not a signature.
//! * **Names compare** after normalization: NFC, Markdown emphasis characters (`*`, `_`, `` ` ``)
//!   removed, white space runs as one space, trimmed, Unicode lower case. A key's identity matches a
//!   mark only by **whole name** ([`field_names`]): the normalized name field after the mark equals
//!   the normalized name, or continues after it with a terminator (punctuation, a number, a title
//!   word or a heading) — never a longer name that merely starts with it. Homoglyphs (a Cyrillic `а` for a Latin `a`) do *not*
//!   match: names are compared by code point after NFC, never by appearance.

use unicode_normalization::UnicodeNormalization;

/// A signature mark found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMark {
    /// Byte offset of the `(` of the mark.
    pub start: usize,
    /// Byte offset just after the `)` of the mark.
    pub name_start: usize,
    /// Byte offset of the end of the line holding the mark (before its LF).
    pub line_end: usize,
}

/// Normalize a name for comparison (see the module documentation).
pub fn normalize_name(name: &str) -> String {
    collapse_nfc(name, |out, c| out.extend(c.to_lowercase()))
}

/// A name for display: NFC, emphasis removed, white space collapsed, case kept.
pub fn display_name(name: &str) -> String {
    collapse_nfc(name, |out, c| out.push(c))
}

/// [`collapse_into`] over the NFC form of `name`. Names that are their own NFC by the
/// canonicalizer's rule ([`crate::canonical::is_nfc_stable`]: every character below U+0300, or
/// typographic punctuation; a unit test here checks every character below U+0300 and every
/// pair), as Latin-script names are, skip the normalizer: verification compares names for every
/// signature.
fn collapse_nfc(name: &str, push: impl FnMut(&mut String, char)) -> String {
    let mut out = String::with_capacity(name.len());
    if crate::canonical::is_nfc_stable(name) {
        collapse_into(name.chars(), &mut out, push);
    } else {
        collapse_into(name.nfc(), &mut out, push);
    }
    out
}

/// Append `chars` to `out` with Markdown emphasis characters (`*`, `_`, `` ` ``) removed and
/// every run of white space made one space, none at either end; `push` appends each kept
/// character (as it is, or lower-cased). The one place that says what "emphasis removed, white
/// space collapsed" means, for names here and for display text in the parser.
pub(crate) fn collapse_into(
    chars: impl Iterator<Item = char>,
    out: &mut String,
    mut push: impl FnMut(&mut String, char),
) {
    let start = out.len();
    let mut pending_space = false;
    for c in chars {
        if matches!(c, '*' | '_' | '`') {
            continue;
        }
        if c.is_whitespace() {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push(out, c);
    }
}

/// Find the signature marks in `text`.
pub fn signature_marks(text: &str) -> Vec<SignatureMark> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut search = 0;
    // The start of the line holding the current candidate, tracked forward so that the whole scan
    // stays linear even with many marks on one huge line.
    let mut line_start = 0;
    let mut scanned = 0;
    while let Some(k) = memchr::memchr(b'(', &bytes[search..]) {
        let open = search + k;
        search = open + 1;
        let Some(close) = match_signed(bytes, open) else {
            continue;
        };
        if let Some(i) = memchr::memrchr(b'\n', &bytes[scanned..open]) {
            line_start = scanned + i + 1;
        }
        scanned = open;
        if !mark_position_ok(text, line_start, open) {
            continue;
        }
        let line_end = memchr::memchr(b'\n', &bytes[close..])
            .map(|i| close + i)
            .unwrap_or(bytes.len());
        out.push(SignatureMark {
            start: open,
            name_start: close,
            line_end,
        });
        search = close;
    }
    out
}

/// If `(` at `open` starts `( Signed )`, return the offset after `)`.
fn match_signed(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    let word = bytes.get(i..i + 6)?;
    if !word.eq_ignore_ascii_case(b"signed") {
        return None;
    }
    i += 6;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    (bytes.get(i) == Some(&b')')).then_some(i + 1)
}

fn mark_position_ok(text: &str, line_start: usize, open: usize) -> bool {
    let before = &text[line_start..open];
    let lead = before.trim_start_matches([' ', '\t']);
    if lead.starts_with('>') {
        return false; // Markdown block quote.
    }
    let stripped = before.trim_matches(|c: char| c == ' ' || c == '\t' || c == '*' || c == '_');
    if stripped.is_empty() {
        return true; // Starts the line.
    }
    // Flattened text: a mark after a sentence end and white space.
    let trimmed = before.trim_end_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
    if trimmed.len() == before.len() {
        return false; // No white space before the mark: "word(Signed)".
    }
    matches!(
        trimmed.chars().next_back(),
        Some('.' | '!' | '?' | ')' | ']' | ':' | ';')
    )
}

/// Words that end a name on a "(Signed)" line when they follow it after a space: the start of a
/// title printed on the same line, or a heading that follows in flattened text (FORMAT.md §6).
/// Compared with the next word of the normalized line (lower case), whole word only.
pub const NAME_TERMINATOR_WORDS: &[&str] = &[
    "ambassador",
    "annex",
    "appendix",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chargé",
    "commissioner",
    "coordinator",
    "deputy",
    "director",
    "director-general",
    "enclosure",
    "executive",
    "head",
    "high",
    "minister",
    "permanent",
    "president",
    "prime",
    "representative",
    "secretary",
    "secretary-general",
    "special",
    "under-secretary-general",
    "vice-president",
];

/// The raw text of the name field after `mark`: the rest of its line, cut before the first run of
/// two or more spaces or a tab that follows some other character (a layout gap, as between a name
/// and a title in a two-column signature block).
pub fn name_field<'a>(text: &'a str, mark: &SignatureMark) -> &'a str {
    let rest = text.get(mark.name_start..mark.line_end).unwrap_or("");
    let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let body = &rest[lead..];
    let cut = body
        .char_indices()
        .find(|&(i, c)| c == '\t' || (c == ' ' && body[i + 1..].starts_with(' ')))
        .map(|(i, _)| i)
        .unwrap_or(body.len());
    &rest[..lead + cut]
}

/// True when the normalized name field `field` names the normalized name `name` as a whole
/// name (FORMAT.md §6): equal, or `name` followed by a terminator — `,` `;` `(` `[`, or a space
/// and then a character that is not a letter, or a space and then one of
/// [`NAME_TERMINATOR_WORDS`]. Never a prefix of a longer name: "Jens" does not name
/// "Jens Stoltenberg", "Mary Robinson" does not name "Mary Robinson-Smith".
pub fn field_names(field: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let Some(after) = field.strip_prefix(name) else {
        return false;
    };
    let mut chars = after.chars();
    match chars.next() {
        None => true,
        Some(',' | ';' | '(' | '[') => true,
        Some(' ') => {
            let next = chars.as_str();
            match next.chars().next() {
                None => true,
                Some(c) if !c.is_alphabetic() => true,
                Some(_) => {
                    let word: String = next
                        .chars()
                        .take_while(|&c| c.is_alphabetic() || c == '-' || c == '\'')
                        .collect();
                    NAME_TERMINATOR_WORDS.contains(&word.as_str())
                }
            }
        }
        Some(_) => false,
    }
}

/// True when the "(Signed)" mark `mark` in `text` names `name` (see [`field_names`]).
pub fn mark_names(text: &str, mark: &SignatureMark, name: &str) -> bool {
    field_names(
        &normalize_name(name_field(text, mark)),
        &normalize_name(name),
    )
}

/// True when some signature mark in `text` names one of `names`.
pub fn text_names_any<'n>(text: &str, names: impl IntoIterator<Item = &'n str>) -> bool {
    let names: Vec<String> = names.into_iter().map(normalize_name).collect();
    signature_marks(text).iter().any(|m| {
        let field = normalize_name(name_field(text, m));
        names.iter().any(|n| field_names(&field, n))
    })
}

/// True when some signature mark in `text` names `name`.
pub fn text_names_signatory(text: &str, name: &str) -> bool {
    text_names_any(text, [name])
}

/// Latin letters of "signed" and the characters of other scripts drawn like them (Cyrillic,
/// Greek, IPA), folded before looking for signature-mark look-alikes.
const SIGNED_CONFUSABLES: &[(char, char)] = &[
    ('ѕ', 's'),
    ('ꜱ', 's'),
    ('і', 'i'),
    ('ı', 'i'),
    ('ɪ', 'i'),
    ('ι', 'i'),
    ('ɡ', 'g'),
    ('ց', 'g'),
    ('ո', 'n'),
    ('е', 'e'),
    ('є', 'e'),
    ('ԁ', 'd'),
    ('ᑯ', 'd'),
];

/// The offsets of the lines of `text` that a reader takes for a "(Signed)" line but that hold
/// fewer signature marks (FORMAT.md §6.1) than "(Signed)" look-alikes: `\(Signed)`,
/// `&#40;Signed)`, a non-breaking space or a list, heading or quote marker before the mark,
/// full-width brackets, Cyrillic letters, a mark in the middle of a sentence (FORMAT.md §6.6).
/// Such a line shows a signature nobody made, so verification refuses it
/// (`signature-look-alike`) and `sign` does not sign it.
pub fn look_alike_lines(text: &str) -> Vec<usize> {
    let marks = signature_marks(text);
    let mut m = 0;
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i + 1);
        let line = &text[start..end];
        let mut strict = 0;
        while m < marks.len() && marks[m].start < end {
            if marks[m].start >= start {
                strict += 1;
            }
            m += 1;
        }
        // Only lines that could hold a bracket in some form are normalized: `(`, a character
        // reference (`&#40;`), or the compatibility forms NFKC turns into `(` (full-width,
        // small, superscript, subscript and vertical brackets, all encoded from EF or E2 81/82).
        let bytes = line.as_bytes();
        let candidate = memchr::memchr3(b'(', b'&', 0xEF, bytes).is_some()
            || memchr::memchr_iter(0xE2, bytes)
                .any(|i| matches!(bytes.get(i + 1), Some(0x81 | 0x82)));
        if candidate && look_alike_count(line) > strict {
            out.push(start);
        }
        start = end;
    }
    out
}

/// How many times `(`, spaces, `signed`, spaces, `)` occur in `line` once escapes, character
/// references, compatibility forms, invisible characters, emphasis and confusable letters are
/// taken away.
fn look_alike_count(line: &str) -> usize {
    // ASCII without character references: the normalization below only removes `\`, emphasis
    // characters and controls and lowers the case; do that directly, without NFKC.
    // The folded text is not built: each `(` is matched against the characters the folding
    // keeps (none of those it removes is a `(`, so this counts what `count_marks` would).
    if line.is_ascii() && !line.contains('&') {
        let bytes = line.as_bytes();
        let kept = |b: &u8| {
            !matches!(b, b'\\' | b'*' | b'_' | b'`' | 0x7f)
                && (*b >= 0x20 || *b == b'\t' || *b == b'\n')
        };
        return memchr::memchr_iter(b'(', bytes)
            .filter(|&open| {
                let mut rest = bytes[open + 1..].iter().filter(|b| kept(b)).peekable();
                while rest.next_if_eq(&&b' ').is_some() {}
                for want in *b"signed" {
                    if !rest.next().is_some_and(|b| b.to_ascii_lowercase() == want) {
                        return false;
                    }
                }
                while rest.next_if_eq(&&b' ').is_some() {}
                rest.next() == Some(&b')')
            })
            .count();
    }
    let folded: String = crate::header::look_alike_normalize(line)
        .chars()
        .map(|c| {
            SIGNED_CONFUSABLES
                .iter()
                .find(|&&(from, _)| from == c)
                .map_or(c, |&(_, to)| to)
        })
        .collect();
    count_marks(folded.as_bytes())
}

/// How many times `(`, spaces, `signed` (any case), spaces, `)` occur in `b`.
fn count_marks(b: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'(', &b[i..]) {
        let open = i + k;
        i = open + 1;
        if let Some(close) = match_signed(b, open) {
            count += 1;
            i = close;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_below_u0300_are_their_own_nfc_alone_and_in_pairs() {
        let below: Vec<char> = (0u32..0x300).filter_map(char::from_u32).collect();
        for &a in &below {
            let one = a.to_string();
            assert!(crate::canonical::is_nfc_stable(&one));
            assert_eq!(one.nfc().collect::<String>(), one, "U+{:04X}", a as u32);
            for &b in &below {
                let two: String = [a, b].iter().collect();
                assert_eq!(
                    two.nfc().collect::<String>(),
                    two,
                    "U+{:04X} U+{:04X}",
                    a as u32,
                    b as u32
                );
            }
        }
        assert!(!crate::canonical::is_nfc_stable("Anto\u{301}nio"));
        assert!(!crate::canonical::is_nfc_stable("Ελένη"));
        // The fast path and the normalizer agree.
        for name in [
            "António **Guterres**",
            "BAN Ki-moon",
            "  Jean-Yves   Le Drian ",
            "Ñúñez_Ğ",
        ] {
            let slow: String = {
                let mut out = String::new();
                collapse_into(name.nfc(), &mut out, |o, c| o.extend(c.to_lowercase()));
                out
            };
            assert_eq!(normalize_name(name), slow);
        }
    }

    #[test]
    fn names_normalize() {
        assert_eq!(normalize_name("António **Guterres**"), "antónio guterres");
        assert_eq!(
            normalize_name("Anto\u{301}nio  Guterres"),
            normalize_name("António Guterres")
        );
        assert_eq!(normalize_name("BAN Ki-moon"), normalize_name("Ban Ki-moon"));
        // Cyrillic 'а' (U+0430) is not Latin 'a'.
        assert_ne!(
            normalize_name("Jens Stoltenberg"),
            normalize_name("Jens Stoltenbеrg")
        );
    }

    #[test]
    fn marks_on_lines_and_in_flattened_text() {
        let t = "x\n(Signed) Jens **Stoltenberg**\n";
        assert_eq!(signature_marks(t).len(), 1);
        assert!(text_names_signatory(t, "Jens Stoltenberg"));
        assert!(!text_names_signatory(t, "Jens Stolten"));
        let flat = "the Council. (Signed) Kofi A. Annan 01-59943 (E)";
        assert!(text_names_signatory(flat, "Kofi A. Annan"));
        assert!(text_names_signatory(
            "( Signed) Christian Schwarz-Schilling\n",
            "Christian Schwarz-Schilling"
        ));
    }

    #[test]
    fn quoted_marks_do_not_count() {
        assert!(!text_names_signatory(
            "> (Signed) Jens Stoltenberg\n",
            "Jens Stoltenberg"
        ));
        assert!(!text_names_signatory(
            "He wrote \"(Signed) Jens Stoltenberg\"\n",
            "Jens Stoltenberg"
        ));
        assert!(!text_names_signatory(
            "word(Signed) Jens Stoltenberg\n",
            "Jens Stoltenberg"
        ));
        assert!(!text_names_signatory(
            "as in the letter (Signed) Jens Stoltenberg\n",
            "Jens Stoltenberg"
        ));
    }

    #[test]
    fn names_match_whole_names_only() {
        let t = "(Signed) Jens Stoltenberg\n";
        assert!(text_names_signatory(t, "Jens Stoltenberg"));
        assert!(!text_names_signatory(t, "Jens"));
        let t = "(Signed) Mary Robinson-Smith\n";
        assert!(!text_names_signatory(t, "Mary Robinson"));
        assert!(text_names_signatory(t, "Mary Robinson-Smith"));
        // A title on the same line, after a comma, a layout gap or a title word.
        for line in [
            "(Signed) Jane Doe, Permanent Representative\n",
            "(Signed) Jane Doe  Permanent Representative\n",
            "(Signed) Jane Doe\tAmbassador\n",
            "(Signed) Jane Doe Permanent Representative of Ruritania\n",
            "(Signed) Jane Doe (Ambassador)\n",
            "(Signed) Jane Doe 17-12345 (E)\n",
            "the Council. (Signed) Jane Doe Annex Letter dated 1 May 2000\n",
        ] {
            assert!(text_names_signatory(line, "Jane Doe"), "{line}");
            assert!(!text_names_signatory(line, "Jane"), "{line}");
        }
        assert!(!text_names_signatory("(Signed) Jane Doerr\n", "Jane Doe"));
        assert!(!text_names_signatory(
            "(Signed) Jane Doe Smith\n",
            "Jane Doe"
        ));
        // Several spellings: any one of them.
        assert!(text_names_any(
            "(Signed) Kofi A. Annan\n",
            ["Kofi Annan", "Kofi A. Annan"]
        ));
        assert!(!text_names_any("(Signed) Kofi A. Annan\n", ["Kofi Annan"]));
    }

    #[test]
    fn name_field_stops_at_a_layout_gap() {
        let t = "(Signed)  Jens Stoltenberg   Secretary General\n";
        let m = &signature_marks(t)[0];
        assert_eq!(name_field(t, m), "  Jens Stoltenberg");
    }

    #[test]
    fn signature_mark_look_alikes_are_found() {
        for line in [
            "\u{a0}(Signed) António Guterres\n",
            "\u{3000}(Signed) António Guterres\n",
            "\\(Signed) António Guterres\n",
            "&#40;Signed) António Guterres\n",
            "&nbsp;(Signed) António Guterres\n",
            "- (Signed) António Guterres\n",
            "> (Signed) António Guterres\n",
            "## (Signed) António Guterres\n",
            "（Signed） António Guterres\n",
            "(Ѕigned) António Guterres\n",
            "Yours sincerely (Signed) António Guterres\n",
            "(Signed) Jens Stoltenberg  (Signed) António Guterres\n",
            "(Sig**ned**) António Guterres\n",
            "(Sig**ned**) Jane Doe\n",
            "\\(Signed) Jane Doe\n",
        ] {
            assert_eq!(look_alike_lines(line), vec![0], "{line:?}");
        }
        // Real marks, and text without any look-alike.
        for line in [
            "(Signed) António **Guterres**\n",
            "*(Signed)* Jens Stoltenberg\n",
            "the Council. (Signed) Kofi A. Annan 01-59943 (E)\n",
            "The letter was signed by both parties.\n",
            "Ελένη Παπαδοπούλου\n",
        ] {
            assert!(look_alike_lines(line).is_empty(), "{line:?}");
        }
        let t = "A\n(Signed) X\nB\n\u{a0}(Signed) Y\n";
        assert_eq!(look_alike_lines(t), vec![t.find('\u{a0}').unwrap()]);
    }

    #[test]
    fn ascii_look_alikes_are_counted_as_on_the_folded_text() {
        // The fold the ASCII path does not build: every line over a small alphabet, up to 7
        // characters, then `( signed )` forms with removed characters in between.
        let fold = |line: &str| -> usize {
            let folded: Vec<u8> = line
                .bytes()
                .filter(|&b| {
                    !matches!(b, b'\\' | b'*' | b'_' | b'`' | 0x7f)
                        && (b >= 0x20 || b == b'\t' || b == b'\n')
                })
                .map(|b| b.to_ascii_lowercase())
                .collect();
            count_marks(&folded)
        };
        let alphabet = ['(', ')', ' ', '*', 'x', '\u{1}'];
        let mut lines = vec![String::new()];
        for _ in 0..7 {
            let mut next = Vec::new();
            for l in &lines {
                for c in alphabet {
                    next.push(format!("{l}{c}"));
                }
            }
            for l in &next {
                assert_eq!(look_alike_count(l), fold(l), "{l:?}");
            }
            lines = next;
        }
        for l in [
            "(signed)",
            "( S*i_g`n\\e\u{7f}d )",
            "((Signed))",
            "(Signed)(signed) ( signed)",
            "(\u{1}signed\t)",
            "(signed\n)",
            "a (sign ed) b (signe) (signedd) (SIGNED   )\n",
            "*(*S*i*g*n*e*d*)*",
        ] {
            assert_eq!(look_alike_count(l), fold(l), "{l:?}");
        }
    }
}
