//! Invisible, bidirectional and control characters in canonical text (FORMAT.md §2): what
//! `verify` reports as `invisible-characters` and `sign` refuses.

use super::CanonicalText;

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
    if !may_hold_invisible(slice.as_bytes()) {
        return out;
    }
    for (i, c) in invisible_candidates(slice) {
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

/// Whether `bytes` hold anything but printable ASCII, tab and line feed: a non-ASCII byte, DEL
/// or another C0 control. When they do not, they hold no character [`invisible_class`] names.
/// Checked 64 bytes at a time without an early exit inside a block, which the compiler turns
/// into vector instructions (a byte-at-a-time `any` is several times slower on seed-sized text).
pub(super) fn may_hold_invisible(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block.iter().fold(false, |found, &b| {
            found | (b >= 0x7f) | ((b < 0x20) & (b != b'\t') & (b != b'\n'))
        })
    })
}

/// The characters of `s` that [`invisible_class`] could name, with their offsets: ASCII controls
/// other than tab and line feed, and the characters whose UTF-8 lead byte is one of those of the
/// code points it lists (C2: U+0080–U+00BF; CD: U+034F; D8: U+061C; E1: U+115F–U+180F; E2:
/// U+2000–U+2FFF; E3: U+3164; EF: U+FE00–U+FFFF; F3: U+E0000–U+E01EF). The scan looks at each
/// byte once in a table: none of these bytes can occur inside another character (continuation
/// bytes are 0x80–0xBF), so other characters (accented Latin letters, most of any script) are
/// skipped without being decoded.
pub(super) fn invisible_candidates(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    const CANDIDATE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            t[b] = b != 0x09 && b != 0x0A;
            b += 1;
        }
        t[0x7F] = true;
        t[0xC2] = true;
        t[0xCD] = true;
        t[0xD8] = true;
        t[0xE1] = true;
        t[0xE2] = true;
        t[0xE3] = true;
        t[0xEF] = true;
        t[0xF3] = true;
        t
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let rest = bytes.get(i..)?;
        let at = i + rest.iter().position(|&b| CANDIDATE[usize::from(b)])?;
        let c = s.get(at..).and_then(|r| r.chars().next())?;
        i = at + c.len_utf8();
        Some((at, c))
    })
}
