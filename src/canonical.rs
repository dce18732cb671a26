//! The canonical text profile `transmittal-text-v1`.
//!
//! Everything that is hashed and signed is a slice of the *canonical text* of a document, never the
//! raw bytes: two copies of one letter that differ only in line endings, trailing spaces, Unicode
//! normalization form, a byte-order mark or the number of blank lines between paragraphs must hash
//! the same, and any change a reader can see must not. The profile is named and versioned
//! ([`PROFILE`]) and its name is part of every signed message, so a future profile can never be
//! confused with this one.
//!
//! The rules (also in `docs/FORMAT.md` §2), applied in this order:
//!
//! 1. the input must be UTF-8 (else [`InputError::NotUtf8`] with the offset of the first bad byte);
//! 2. one leading byte-order mark (U+FEFF) is dropped;
//! 3. lines end at LF, CRLF or a lone CR; each line is normalized to NFC;
//! 4. trailing white space (Unicode `White_Space`) is dropped from every line;
//! 5. a line that is then empty is blank; leading and trailing blank lines are dropped and every run
//!    of blank lines becomes one empty line;
//! 6. every line, the last one included, is terminated by one LF.
//!
//! Markup is content: `**bold**` and `Bold` hash differently. Invisible and bidirectional control
//! characters are kept (they are content too) but can be listed with [`find_invisible`] so that
//! `sign` refuses them and `verify` reports them.
//!
//! This module never looks at the structure of a document: it knows lines, not layers.

use crate::error::InputError;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The name of the canonical text profile defined by this module. It is part of every signed
/// message and chain digest.
pub const PROFILE: &str = "transmittal-text-v1";

/// A document in canonical form, with the map back to the lines of the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalText {
    text: String,
    /// Byte offset in `text` of the start of each canonical line.
    line_starts: Vec<usize>,
    /// 1-based line number in the original file of each canonical line.
    original_lines: Vec<u32>,
    /// Number of lines in the original file (a final line without LF counts).
    original_line_count: u32,
}

impl CanonicalText {
    /// The canonical text: NFC, LF-terminated lines, no trailing white space, single blank lines.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length of the canonical text in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// True when the document has no visible content at all.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Number of canonical lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Number of lines in the original file.
    pub fn original_line_count(&self) -> u32 {
        self.original_line_count
    }

    /// Byte offset of the start of canonical line `index` (0-based).
    pub fn line_start(&self, index: usize) -> usize {
        self.line_starts
            .get(index)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// 0-based canonical line index containing byte `offset` (an offset at the very end maps to
    /// the last line).
    pub fn line_index_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }

    /// 1-based line of the original file that holds canonical byte `offset`.
    pub fn original_line_of(&self, offset: usize) -> u32 {
        self.original_lines
            .get(self.line_index_of(offset))
            .copied()
            .unwrap_or(self.original_line_count.max(1))
    }

    /// 1-based original line number of canonical line `index`.
    pub fn original_line(&self, index: usize) -> u32 {
        self.original_lines.get(index).copied().unwrap_or(0)
    }

    /// 1-based column (in characters) of canonical byte `offset` within its line.
    pub fn column_of(&self, offset: usize) -> u32 {
        let start = self.line_start(self.line_index_of(offset));
        let end = offset.min(self.text.len());
        self.text
            .get(start..end)
            .map(|s| s.chars().count() as u32 + 1)
            .unwrap_or(1)
    }

    /// Inclusive range of original lines covered by canonical bytes `start..end` (`end` exclusive),
    /// or `None` for an empty range.
    pub fn original_span(&self, start: usize, end: usize) -> Option<(u32, u32)> {
        if end <= start {
            return None;
        }
        let first = self.original_line_of(start);
        let last = self.original_line_of(end - 1);
        Some((first, last.max(first)))
    }

    /// The canonical line with index `index`, including its LF.
    pub fn line(&self, index: usize) -> &str {
        let start = self.line_start(index);
        let end = self.line_start(index + 1);
        self.text.get(start..end).unwrap_or("")
    }
}

/// Bring `bytes` into the canonical form of profile [`PROFILE`].
///
/// Fails only when the input is not UTF-8; any valid UTF-8 text, even an empty one, has a
/// canonical form.
pub fn canonicalize(bytes: &[u8]) -> Result<CanonicalText, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        offset: e.valid_up_to() as u64,
    })?;
    Ok(canonicalize_str(text))
}

/// [`canonicalize`] for text that is already known to be UTF-8.
pub fn canonicalize_str(input: &str) -> CanonicalText {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let all_ascii = input.is_ascii();
    let has_cr = memchr::memchr(b'\r', input.as_bytes()).is_some();

    let mut text = String::with_capacity(input.len() + 1);
    let mut line_starts = Vec::with_capacity(input.len() / 40 + 1);
    let mut original_lines = Vec::with_capacity(input.len() / 40 + 1);
    // Whether a blank line is pending (seen after content, not yet emitted).
    // The line number of a blank line seen after content and not yet emitted.
    let mut pending_blank: Option<u32> = None;
    let mut line_no: u32 = 0;

    for raw in RawLines::new(input, has_cr) {
        line_no = line_no.saturating_add(1);
        let normalized: String;
        let line: &str =
            if all_ascii || raw.is_ascii() || is_nfc_quick(raw.chars()) == IsNormalized::Yes {
                trim_end_ws(raw)
            } else {
                normalized = raw.nfc().collect();
                trim_end_ws(&normalized)
            };
        if line.is_empty() {
            if !line_starts.is_empty() && pending_blank.is_none() {
                pending_blank = Some(line_no);
            }
            continue;
        }
        if let Some(blank_no) = pending_blank.take() {
            line_starts.push(text.len());
            original_lines.push(blank_no);
            text.push('\n');
        }
        line_starts.push(text.len());
        original_lines.push(line_no);
        text.push_str(line);
        text.push('\n');
    }

    CanonicalText {
        text,
        line_starts,
        original_lines,
        original_line_count: line_no,
    }
}

fn trim_end_ws(s: &str) -> &str {
    // ASCII fast path: most lines end in a visible ASCII character.
    match s.as_bytes().last() {
        None => s,
        Some(b) if b.is_ascii_graphic() => s,
        _ => s.trim_end_matches(char::is_whitespace),
    }
}

/// Iterator over the lines of `input`, split at LF, CRLF or lone CR, without terminators.
struct RawLines<'a> {
    rest: &'a str,
    has_cr: bool,
    done: bool,
}

impl<'a> RawLines<'a> {
    fn new(input: &'a str, has_cr: bool) -> Self {
        RawLines {
            rest: input,
            has_cr,
            done: input.is_empty(),
        }
    }
}

impl<'a> Iterator for RawLines<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        let bytes = self.rest.as_bytes();
        let found = if self.has_cr {
            memchr::memchr2(b'\n', b'\r', bytes)
        } else {
            memchr::memchr(b'\n', bytes)
        };
        match found {
            None => {
                self.done = true;
                Some(self.rest)
            }
            Some(i) => {
                let line = &self.rest[..i];
                let skip = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.rest = &self.rest[i + skip..];
                if self.rest.is_empty() {
                    self.done = true;
                }
                Some(line)
            }
        }
    }
}

/// An invisible, bidirectional or control character found in canonical text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvisibleChar {
    /// 1-based line in the original file.
    pub line: u32,
    /// 1-based column (in characters) in the canonical line.
    pub column: u32,
    /// The code point, as `U+XXXX`.
    pub code_point: String,
    /// A short name of the character class.
    pub name: &'static str,
}

/// Classify a character as invisible/bidirectional/control, returning a short name.
///
/// The list is part of the profile (`docs/FORMAT.md` §2.3): C0/C1 controls other than TAB,
/// zero-width characters, bidirectional embeddings/overrides/isolates and marks, the word joiner
/// and invisible operators, soft hyphen, interlinear annotation, tag characters, variation selectors
/// and a byte-order mark after the start.
pub fn invisible_class(c: char) -> Option<&'static str> {
    let cp = c as u32;
    Some(match cp {
        0x09 | 0x0A => return None,
        0x00..=0x1F | 0x7F => "control character",
        0x80..=0x9F => "C1 control character",
        0xAD => "soft hyphen",
        0x034F => "combining grapheme joiner",
        0x061C => "arabic letter mark (bidi)",
        0x115F | 0x1160 | 0x3164 | 0xFFA0 => "hangul filler",
        0x17B4 | 0x17B5 => "khmer invisible vowel",
        0x180B..=0x180F => "mongolian variation selector",
        0x200B => "zero width space",
        0x200C => "zero width non-joiner",
        0x200D => "zero width joiner",
        0x200E | 0x200F => "bidi mark",
        0x2028 | 0x2029 => "line/paragraph separator",
        0x202A..=0x202E => "bidi embedding/override",
        0x2060..=0x2064 => "word joiner / invisible operator",
        0x2066..=0x2069 => "bidi isolate",
        0x206A..=0x206F => "deprecated format character",
        0xFE00..=0xFE0F => "variation selector",
        0xFEFF => "zero width no-break space (BOM)",
        0xFFF9..=0xFFFB => "interlinear annotation",
        0xE0000..=0xE007F => "tag character",
        0xE0100..=0xE01EF => "variation selector",
        _ => return None,
    })
}

/// List the invisible and bidirectional control characters in canonical bytes `start..end`.
pub fn find_invisible(doc: &CanonicalText, start: usize, end: usize) -> Vec<InvisibleChar> {
    let end = end.min(doc.text.len());
    let Some(slice) = doc.text.get(start..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // ASCII text can only hold C0 controls; skip the per-char walk when there are none.
    if slice.is_ascii()
        && !slice
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f)
    {
        return out;
    }
    for (i, c) in slice.char_indices() {
        if let Some(name) = invisible_class(c) {
            let off = start + i;
            out.push(InvisibleChar {
                line: doc.original_line_of(off),
                column: doc.column_of(off),
                code_point: format!("U+{:04X}", c as u32),
                name,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_bom_and_blank_runs() {
        let a = canonicalize(b"\xef\xbb\xbfA  \r\n\r\n\r\n\r\nB\t\rC").unwrap();
        assert_eq!(a.as_str(), "A\n\nB\nC\n");
        let b = canonicalize(b"\n\nA\n\nB\nC\n\n\n").unwrap();
        assert_eq!(a.as_str(), b.as_str());
    }

    #[test]
    fn maps_back_to_original_lines() {
        let c = canonicalize(b"\n\nA\n\n\nB\n").unwrap();
        assert_eq!(c.as_str(), "A\n\nB\n");
        assert_eq!(c.original_line(0), 3);
        assert_eq!(c.original_line(1), 4);
        assert_eq!(c.original_line(2), 6);
        assert_eq!(c.original_line_of(4), 6);
        assert_eq!(c.original_line_count(), 6);
    }

    #[test]
    fn nfc_and_unicode_whitespace() {
        let nfd = "Anto\u{0301}nio\u{00a0}\u{3000}\nx";
        let c = canonicalize_str(nfd);
        assert_eq!(c.as_str(), "António\nx\n");
    }

    #[test]
    fn not_utf8_reports_offset() {
        let err = canonicalize(b"abc\xffdef").unwrap_err();
        assert!(matches!(err, InputError::NotUtf8 { offset: 3 }));
    }

    #[test]
    fn empty_and_blank_documents() {
        assert_eq!(canonicalize(b"").unwrap().as_str(), "");
        assert_eq!(canonicalize(b"  \n\r\n\t\n").unwrap().as_str(), "");
    }

    #[test]
    fn invisible_characters_are_found() {
        let c = canonicalize_str("ok\nJens\u{200b} Stolten\u{202e}berg\n");
        let found = find_invisible(&c, 0, c.len());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].column, 5);
        assert_eq!(found[0].code_point, "U+200B");
        assert_eq!(found[1].code_point, "U+202E");
    }
}
