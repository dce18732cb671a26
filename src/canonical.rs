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
use unicode_normalization::UnicodeNormalization;

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
        // A range that ends with a blank line (the paragraph break after its last line) is named
        // by its last non-blank line.
        let mut last_off = end - 1;
        if end >= start + 2 && self.text.as_bytes().get(end - 2..end) == Some(b"\n\n") {
            last_off = end - 2;
        }
        let last = self.original_line_of(last_off);
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
    let bytes = input.as_bytes();
    let has_cr = memchr::memchr(b'\r', bytes).is_some();
    // Offset of the next character at or above U+0300 (see `nfc_into`): lines before it are
    // already NFC and are copied as they are. ASCII and Latin-1/Latin Extended text (English,
    // French, Spanish, ...) has none, so no line is even looked at character by character.
    let mut next_unstable = find_unstable(bytes, 0);

    let mut text = String::with_capacity(input.len() + 1);
    let mut line_starts = Vec::with_capacity(input.len() / 40 + 1);
    let mut original_lines = Vec::with_capacity(input.len() / 40 + 1);
    // The line number of a blank line seen after content and not yet emitted.
    let mut pending_blank: Option<u32> = None;
    let mut line_no: u32 = 0;
    let mut normalized = String::new();

    for (start, raw) in RawLines::new(input, has_cr) {
        line_no = line_no.saturating_add(1);
        let end = start + raw.len();
        if next_unstable < start {
            next_unstable = find_unstable(bytes, start);
        }
        let line: &str = if next_unstable >= end {
            trim_end_ws(raw)
        } else {
            normalized.clear();
            nfc_into(raw, &mut normalized);
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

/// True for the bytes that start a character at or above U+0300 in UTF-8. Every character below
/// U+0300 (ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers) is encoded with bytes below
/// 0xCC only (continuation bytes are 0x80..=0xBF).
#[inline]
fn is_unstable_lead(b: u8) -> bool {
    b >= 0xCC
}

/// Offset of the first byte at or after `from` that starts a character at or above U+0300, or
/// `bytes.len()` when there is none. Scans 32 bytes at a time (vectorized by the compiler).
fn find_unstable(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or(&[]);
    let mut chunks = rest.chunks_exact(32);
    let mut base = from;
    for chunk in &mut chunks {
        if chunk
            .iter()
            .fold(false, |acc, &b| acc | is_unstable_lead(b))
        {
            let i = chunk.iter().position(|&b| is_unstable_lead(b)).unwrap_or(0);
            return base + i;
        }
        base += 32;
    }
    match chunks.remainder().iter().position(|&b| is_unstable_lead(b)) {
        Some(i) => base + i,
        None => bytes.len(),
    }
}

/// Append the NFC form of `s` to `out`, normalizing only the stretches that need it.
///
/// Every character below U+0300 is a starter (canonical combining class 0), has `NFC_Quick_Check
/// = Yes` (so it never combines with what precedes it) and its canonical decomposition starts with
/// such a character too (checked exhaustively by a unit test). Text can therefore be cut in front
/// of any such character and normalized piece by piece: `NFC(x ‖ y) = NFC(x) ‖ NFC(y)` when `y`
/// starts with one (decomposition and canonical reordering never cross a starter, and composition
/// only attaches to the last starter, which becomes `y`'s first). Pieces made only of characters
/// below U+0300 are already NFC, so only the pieces `[one character below U+0300] [characters at
/// or above U+0300 ...]` go through the (slow) normalizer. The result is exactly `s.nfc()`.
fn nfc_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut copied = 0; // `s[..copied]` is in `out`
    let mut pos = 0; // where to look for the next character at or above U+0300
    loop {
        let j = find_unstable(bytes, pos);
        if j >= bytes.len() {
            out.push_str(&s[copied..]);
            return;
        }
        // The piece starts at the character just before `j` (a starter below U+0300) unless
        // that one has already been emitted or `j` starts the text.
        let seg_start = if j > copied {
            s[copied..j]
                .char_indices()
                .next_back()
                .map_or(j, |(i, _)| copied + i)
        } else {
            j
        };
        // ... and runs to the next character below U+0300 (a byte that is neither a continuation
        // byte nor the lead byte of a character at or above U+0300).
        let seg_end = bytes[j..]
            .iter()
            .position(|&b| b < 0x80 || (0xC0..0xCC).contains(&b))
            .map_or(bytes.len(), |k| j + k);
        out.push_str(&s[copied..seg_start]);
        out.extend(s[seg_start..seg_end].nfc());
        copied = seg_end;
        pos = seg_end;
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

/// Iterator over the lines of `input`, split at LF, CRLF or lone CR, without terminators, with the
/// byte offset of each line.
struct RawLines<'a> {
    input: &'a str,
    pos: usize,
    has_cr: bool,
    done: bool,
}

impl<'a> RawLines<'a> {
    fn new(input: &'a str, has_cr: bool) -> Self {
        RawLines {
            input,
            pos: 0,
            has_cr,
            done: input.is_empty(),
        }
    }
}

impl<'a> Iterator for RawLines<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let bytes = &self.input.as_bytes()[start..];
        let found = if self.has_cr {
            memchr::memchr2(b'\n', b'\r', bytes)
        } else {
            memchr::memchr(b'\n', bytes)
        };
        match found {
            None => {
                self.done = true;
                Some((start, &self.input[start..]))
            }
            Some(i) => {
                let line = &self.input[start..start + i];
                let skip = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.pos = start + i + skip;
                if self.pos >= self.input.len() {
                    self.done = true;
                }
                Some((start, line))
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

    /// The line-by-line definition of the profile, written as plainly as possible (whole lines
    /// through the NFC normalizer): the reference the optimized [`canonicalize_str`] must match.
    fn reference(input: &str) -> (String, Vec<u32>, u32) {
        let input = input.strip_prefix('\u{feff}').unwrap_or(input);
        let mut lines: Vec<&str> = Vec::new();
        let mut rest = input;
        while !rest.is_empty() {
            match rest.find(['\n', '\r']) {
                None => {
                    lines.push(rest);
                    rest = "";
                }
                Some(i) => {
                    lines.push(&rest[..i]);
                    let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                    rest = &rest[i + skip..];
                }
            }
        }
        let (mut text, mut orig) = (String::new(), Vec::new());
        let mut pending = None;
        for (i, raw) in lines.iter().enumerate() {
            let n: String = raw.nfc().collect();
            let line = n.trim_end_matches(char::is_whitespace);
            if line.is_empty() {
                if !orig.is_empty() && pending.is_none() {
                    pending = Some(i as u32 + 1);
                }
                continue;
            }
            if let Some(b) = pending.take() {
                text.push('\n');
                orig.push(b);
            }
            text.push_str(line);
            text.push('\n');
            orig.push(i as u32 + 1);
        }
        (text, orig, lines.len() as u32)
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Pieces that exercise normalization: composed and decomposed Latin, stacked and reordered
    /// marks, Hangul jamo and syllables, singletons, excluded compositions, Indic two-part
    /// vowels, typographic punctuation, white space of every kind, line ends of every kind.
    const PIECES: &[&str] = &[
        "a",
        "e",
        "q",
        "U",
        " ",
        "  ",
        "\t",
        ".",
        "é",
        "ñ",
        "Å",
        "ǖ",
        "ʰ",
        "\u{2ff}",
        "\u{301}",
        "\u{308}",
        "\u{323}",
        "\u{327}",
        "\u{31b}",
        "\u{345}",
        "\u{344}",
        "\u{340}",
        "\u{300}",
        "\u{1100}",
        "\u{1161}",
        "\u{11a8}",
        "\u{ac00}",
        "\u{ac01}",
        "\u{f900}",
        "\u{2126}",
        "\u{212b}",
        "\u{1e9b}",
        "\u{f73}",
        "\u{f71}",
        "\u{f72}",
        "\u{cc6}",
        "\u{cc2}",
        "\u{cd5}",
        "\u{dd9}",
        "\u{dcf}",
        "\u{928}\u{93c}",
        "\u{929}",
        "ά",
        "\u{3b1}\u{301}",
        "’",
        "«",
        "—",
        "\u{2000}",
        "\u{3000}",
        "\u{a0}",
        "\u{85}",
        "\u{2028}",
        "\u{200b}",
        "\u{feff}",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\n\n\n",
        " \n",
        "\u{3000}\r\n",
        "ﬁ",
        "\u{1d15e}",
        "\u{11099}",
        "\u{110ba}",
        "\u{1b05}\u{1b35}",
    ];

    #[test]
    fn chars_below_u0300_are_nfc_boundaries() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        for c in (0u32..0x300).filter_map(char::from_u32) {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            let first = c.to_string().nfd().next().unwrap();
            assert!((first as u32) < 0x300, "{c:?}");
            assert!(c.len_utf8() <= 2 && c.to_string().bytes().all(|b| !is_unstable_lead(b)));
        }
        for c in (0x300u32..0x11_0000).filter_map(char::from_u32) {
            assert!(is_unstable_lead(c.to_string().as_bytes()[0]), "{c:?}");
        }
    }

    #[test]
    fn piecewise_nfc_equals_nfc() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..rng.below(12) {
                s.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let mut out = String::from("x");
            nfc_into(&s, &mut out);
            assert_eq!(&out[1..], s.nfc().collect::<String>(), "{s:?}");
            let bytes = s.as_bytes();
            let want = bytes.iter().position(|&b| b >= 0xCC).unwrap_or(bytes.len());
            assert_eq!(find_unstable(bytes, 0), want);
        }
        // Long runs across the 32-byte scan chunks.
        for n in 0..100 {
            let s = format!("{}e\u{301}{}", "a".repeat(n), "b".repeat(n % 37));
            assert_eq!(find_unstable(s.as_bytes(), 0), n + 1);
            assert_eq!(find_unstable(s.as_bytes(), n + 3), s.len());
        }
    }

    #[test]
    fn matches_the_reference_definition() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..20_000 {
            let mut s = String::new();
            if round % 7 == 0 {
                s.push('\u{feff}');
            }
            for _ in 0..rng.below(40) {
                s.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let c = canonicalize_str(&s);
            let (text, orig, count) = reference(&s);
            assert_eq!(c.as_str(), text, "{s:?}");
            let got: Vec<u32> = (0..c.line_count()).map(|i| c.original_line(i)).collect();
            assert_eq!(got, orig, "{s:?}");
            assert_eq!(c.original_line_count(), count, "{s:?}");
            assert!(c.as_str().nfc().eq(c.as_str().chars()), "{s:?}");
        }
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
