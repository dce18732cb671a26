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
    /// Byte offset in `text` of the start of each canonical line (`u32`: documents are limited
    /// to 1 GiB, and NFC at most triples a text).
    line_starts: Vec<u32>,
    /// 1-based line number in the original file of each canonical line, as runs.
    original_lines: LineMap,
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
            .map(|&s| s as usize)
            .unwrap_or(self.text.len())
    }

    /// 0-based canonical line index containing byte `offset` (an offset at the very end maps to
    /// the last line).
    pub fn line_index_of(&self, offset: usize) -> usize {
        match self.line_starts.partition_point(|&s| s as usize <= offset) {
            0 => 0,
            i => i - 1,
        }
    }

    /// 1-based line of the original file that holds canonical byte `offset`.
    pub fn original_line_of(&self, offset: usize) -> u32 {
        self.original_lines
            .get(self.line_index_of(offset))
            .unwrap_or(self.original_line_count.max(1))
    }

    /// 1-based original line number of canonical line `index`.
    pub fn original_line(&self, index: usize) -> u32 {
        self.original_lines.get(index).unwrap_or(0)
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

/// Inputs of at least this many bytes are validated and canonicalized in pieces on all threads of
/// the current rayon pool (smaller ones never start the pool: a letter is done in microseconds).
pub const PARALLEL_MIN_BYTES: usize = 512 * 1024;

/// Bring `bytes` into the canonical form of profile [`PROFILE`].
///
/// Fails only when the input is not UTF-8; any valid UTF-8 text, even an empty one, has a
/// canonical form.
pub fn canonicalize(bytes: &[u8]) -> Result<CanonicalText, InputError> {
    if parallel(bytes.len()) {
        return canonicalize_parallel(bytes, split_points(bytes)).map(strip_leading_bom);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        offset: e.valid_up_to() as u64,
    })?;
    Ok(canonicalize_str(text))
}

/// The number of lines of `bytes` (LF, CR LF or a lone CR end a line; a final line without one
/// counts), an upper bound of the canonical line count.
fn line_count_bound(bytes: &[u8]) -> usize {
    let mut n = 1;
    let mut prev_cr = false;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let lf_after_cr = bytes[i] == b'\n' && prev_cr && i > 0 && bytes[i - 1] == b'\r';
        if !lf_after_cr {
            n += 1;
        }
        prev_cr = bytes[i] == b'\r';
    }
    n
}

/// The original line numbers of canonical lines, stored as runs `(first canonical index, its
/// original line)`: within a run each canonical line is the original line after the one before.
/// Lines are only dropped at blank runs, so a typical document needs a handful of runs instead of
/// four bytes a line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct LineMap {
    runs: Vec<(u32, u32)>,
    len: u32,
}

impl LineMap {
    /// Append the next canonical line, from original line `orig`.
    fn push(&mut self, orig: u32) {
        self.push_run(orig, 1);
    }

    /// Append `count >= 1` canonical lines from original lines `orig`, `orig + 1`, ….
    fn push_run(&mut self, orig: u32, count: u32) {
        let i = self.len;
        let predicted =
            matches!(self.runs.last(), Some(&(i0, o0)) if o0.saturating_add(i - i0) == orig);
        if !predicted {
            self.runs.push((i, orig));
        }
        self.len = self.len.saturating_add(count);
    }

    /// The original line of canonical line `index`.
    fn get(&self, index: usize) -> Option<u32> {
        if index >= self.len as usize {
            return None;
        }
        let k = self.runs.partition_point(|&(i0, _)| i0 as usize <= index);
        let (i0, o0) = *self.runs.get(k.checked_sub(1)?)?;
        Some(o0.saturating_add(index as u32 - i0))
    }

    /// Append every line of `other`, its original lines shifted by `offset`.
    fn extend_shifted(&mut self, other: &LineMap, offset: u32) {
        for (k, &(i0, o0)) in other.runs.iter().enumerate() {
            let end = other.runs.get(k + 1).map_or(other.len, |&(i1, _)| i1);
            self.push_run(o0.saturating_add(offset), end - i0);
        }
    }

    /// Remove canonical line 0; every other line moves up one index.
    fn drop_first(&mut self) {
        if self.len == 0 {
            return;
        }
        let old = std::mem::take(&mut self.runs);
        let len = self.len;
        *self = LineMap::default();
        for (k, &(i0, o0)) in old.iter().enumerate() {
            let end = old.get(k + 1).map_or(len, |&(i1, _)| i1);
            let (start, orig) = if i0 == 0 {
                (1, o0.saturating_add(1))
            } else {
                (i0, o0)
            };
            if end > start {
                self.push_run(orig, end - start);
            }
        }
    }
}

/// [`canonicalize`] for text that is already known to be UTF-8.
pub fn canonicalize_str(input: &str) -> CanonicalText {
    strip_leading_bom(canonicalize_unchecked_bom(input))
}

/// U+FEFF at the start of the first line (after blank lines, or doubled) is dropped too, so that
/// canonical text never starts with one and canonicalization is idempotent.
fn strip_leading_bom(mut c: CanonicalText) -> CanonicalText {
    let CanonicalText {
        text,
        line_starts,
        original_lines,
        ..
    } = &mut c;
    strip_leading_bom_with(text, |cut| match cut {
        BomCut::Marks(k) => {
            for s in line_starts.iter_mut().skip(1) {
                *s -= k as u32;
            }
        }
        BomCut::FirstLine => {
            if !line_starts.is_empty() {
                line_starts.remove(0);
                original_lines.drop_first();
            }
            for s in line_starts.iter_mut() {
                *s -= 1;
            }
        }
    });
    c
}

/// [`strip_leading_bom`] on canonical text alone, without its line map (used by
/// [`crate::digest`], which hashes canonical text without keeping it).
pub fn strip_leading_bom_text(text: &mut String) {
    strip_leading_bom_with(text, |_| {});
}

/// What [`strip_leading_bom_with`] removed from the start of the text.
enum BomCut {
    /// `k` bytes of U+FEFF at the start of the first line.
    Marks(usize),
    /// One LF: the first line, empty once its U+FEFF were removed, or the blank line after it.
    FirstLine,
}

/// The U+FEFF rule (FORMAT.md §2 step 2), telling `cut` each removal so that a line map can follow.
fn strip_leading_bom_with(text: &mut String, mut cut: impl FnMut(BomCut)) {
    while text.starts_with('\u{feff}') {
        let k = text.len() - text.trim_start_matches('\u{feff}').len();
        text.drain(..k);
        cut(BomCut::Marks(k));
        // A first line that is now empty goes, with the blank line after it.
        for _ in 0..2 {
            if text.starts_with('\n') {
                text.drain(..1);
                cut(BomCut::FirstLine);
            }
        }
    }
}

fn canonicalize_unchecked_bom(input: &str) -> CanonicalText {
    if parallel(input.len()) {
        let bytes = input.as_bytes();
        if let Ok(c) = canonicalize_parallel(bytes, split_points(bytes)) {
            return c;
        }
    }
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let piece = canonicalize_piece(input, false, true, String::new());
    // Blank lines before the first and after the last line of content are dropped.
    CanonicalText {
        text: piece.text,
        line_starts: piece.line_starts,
        original_lines: piece.original_lines,
        original_line_count: piece.line_count,
    }
}

fn parallel(len: usize) -> bool {
    len >= PARALLEL_MIN_BYTES && crate::par::threads() > 1
}

/// Where to cut `bytes` into pieces of about equal size (a few per thread, at least 128 KiB).
fn split_points(bytes: &[u8]) -> Vec<usize> {
    let pieces = (crate::par::threads() * 4).max(1);
    cut_after_lf(bytes, (bytes.len() / pieces).max(128 * 1024))
}

/// Offsets cutting `bytes` into pieces of at least `size` bytes, each cut just after an LF: `0`,
/// the cuts, `bytes.len()`. A piece then starts at a line start and at a character boundary,
/// whatever the bytes are (LF is never part of a multi-byte character, nor the first byte of a
/// CRLF). Used here and by [`crate::digest`].
pub fn cut_after_lf(bytes: &[u8], size: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut at = size;
    while at < bytes.len() {
        match memchr::memchr(b'\n', &bytes[at..]) {
            Some(i) if at + i + 1 < bytes.len() => {
                cuts.push(at + i + 1);
                at = at + i + 1 + size;
            }
            _ => break,
        }
    }
    cuts.push(bytes.len());
    cuts
}

/// [`canonicalize`] of `bytes` cut at `cuts` (0, line starts, `bytes.len()`): each piece is
/// validated and canonicalized on its own, in parallel, then the pieces are joined, applying the
/// blank-line rules across the cuts. Gives exactly what the sequential path gives, the offset of
/// the first byte that is not UTF-8 included (a cut is a character boundary of valid UTF-8, and
/// all bytes before the first bad piece are valid).
fn canonicalize_parallel(bytes: &[u8], cuts: Vec<usize>) -> Result<CanonicalText, InputError> {
    let results: Vec<Result<Piece, InputError>> =
        crate::par::map_windows(&cuts, 1, |a: usize, b: usize| {
            let text = std::str::from_utf8(&bytes[a..b]).map_err(|e| InputError::NotUtf8 {
                offset: (a + e.valid_up_to()) as u64,
            })?;
            let text = if a == 0 {
                text.strip_prefix('\u{feff}').unwrap_or(text)
            } else {
                text
            };
            Ok(canonicalize_piece(text, true, true, String::new()))
        });
    // The first error in document order, as the sequential path would report it.
    let pieces = results.into_iter().collect::<Result<Vec<Piece>, _>>()?;
    let total = pieces.iter().fold((0, 0), |(t, l), p| {
        (t + p.len + 1, l + p.line_starts.len() + 1)
    });
    let mut text = String::with_capacity(total.0);
    let mut line_starts: Vec<u32> = Vec::with_capacity(total.1);
    let mut original_lines = LineMap::default();
    // As in `canonicalize_piece`: the first blank line after content, not yet emitted.
    let mut pending_blank: Option<u32> = None;
    let mut line_offset: u32 = 0;
    for p in pieces {
        if !p.line_starts.is_empty() {
            if !line_starts.is_empty() {
                let blank =
                    pending_blank.or(p.leading_blank.map(|b| b.saturating_add(line_offset)));
                if let Some(b) = blank {
                    line_starts.push(text.len() as u32);
                    original_lines.push(b);
                    text.push('\n');
                }
            }
            let base = text.len();
            for segment in p.segments.iter().flatten() {
                match segment {
                    Segment::Input(r) => text.push_str(&p.input[r.clone()]),
                    Segment::Own(r) => text.push_str(&p.text[r.clone()]),
                }
            }
            debug_assert_eq!(text.len() - base, p.len);
            line_starts.extend(p.line_starts.iter().map(|&s| s + base as u32));
            original_lines.extend_shifted(&p.original_lines, line_offset);
            drop(p.line_starts);
            pending_blank = p.trailing_blank.map(|b| b.saturating_add(line_offset));
        } else if !line_starts.is_empty() && pending_blank.is_none() {
            pending_blank = p.leading_blank.map(|b| b.saturating_add(line_offset));
        }
        line_offset = line_offset.saturating_add(p.line_count);
    }
    Ok(CanonicalText {
        text,
        line_starts,
        original_lines,
        original_line_count: line_offset,
    })
}

/// The canonical form of a run of whole lines, with what is needed to join it to its neighbours.
pub struct Piece<'a> {
    /// The lines that were canonicalized.
    input: &'a str,
    /// The canonical text (direct mode), or the piece's own text (record mode).
    pub text: String,
    /// Record mode: the canonical text as segments of `input` and `text`.
    segments: Option<Vec<Segment>>,
    /// Length of the canonical text.
    len: usize,
    /// Where each canonical line starts (blank lines included), when asked for (`map`).
    pub line_starts: Vec<u32>,
    /// Line numbers within the piece (1-based).
    original_lines: LineMap,
    /// Number of lines of the piece.
    line_count: u32,
    /// The first blank line before the first line of content (all of the piece if it has none).
    pub leading_blank: Option<u32>,
    /// The first blank line after the last line of content.
    pub trailing_blank: Option<u32>,
    /// Number of lines of content (non-blank lines) in the canonical text.
    pub content_lines: usize,
}

/// Canonicalize the lines of `input` (no byte-order mark handling): NFC, trailing white space
/// dropped, every run of blank lines *between* lines of content made one empty line; blank lines
/// before the first and after the last line of content are not emitted but reported.
/// `map`: record where each canonical line starts and its line number in `input` (not needed
/// when the text is only hashed, see [`crate::digest`]). `buf`: memory to reuse for the
/// canonical text in direct mode (cleared first; `String::new()` for none).
pub fn canonicalize_piece(input: &str, record: bool, map: bool, buf: String) -> Piece<'_> {
    let bytes = input.as_bytes();
    // Offset of the next character at or above U+0300 (see `nfc_into`): lines before it are
    // already NFC and are taken as they are. ASCII and Latin-1/Latin Extended text (English,
    // French, Spanish, ...) has none, so no line is even looked at character by character.
    let mut next_unstable = find_unstable(bytes, 0);

    let mut out = Output::new(input, record, buf);
    // Exactly as many line starts as the input has lines at most: no vector grows past its need.
    let reserve = if map { line_count_bound(bytes) } else { 0 };
    let mut line_starts: Vec<u32> = Vec::with_capacity(reserve);
    let mut original_lines = LineMap::default();
    let mut content_lines = 0usize;
    // The first blank line since the last line of content (or the start) and not yet emitted:
    // its line number and, when it ends with a plain LF, where that LF is (so that it can be
    // copied along with its neighbours).
    let mut pending_blank: Option<(u32, Option<usize>)> = None;
    let mut leading_blank = None;
    let mut line_no: u32 = 0;
    let mut normalized = String::new();

    for (start, raw) in RawLines::new(input) {
        line_no = line_no.saturating_add(1);
        let end = start + raw.len();
        let lf_follows = bytes.get(end) == Some(&b'\n');
        if next_unstable < start {
            next_unstable = find_unstable(bytes, start);
        }
        let stable = next_unstable >= end;
        let line: &str = if stable {
            trim_end_ws(raw)
        } else {
            normalized.clear();
            nfc_into(raw, &mut normalized);
            trim_end_ws(&normalized)
        };
        if line.is_empty() {
            if pending_blank.is_none() {
                pending_blank = Some((line_no, lf_follows.then_some(end)));
            }
            continue;
        }
        if let Some((blank_no, lf)) = pending_blank.take() {
            if content_lines == 0 {
                leading_blank = Some(blank_no);
            } else {
                if map {
                    line_starts.push(out.len() as u32);
                    original_lines.push(blank_no);
                }
                match lf {
                    Some(at) => out.copy(at..at + 1),
                    None => out.push_str("\n"),
                }
            }
        }
        if map {
            line_starts.push(out.len() as u32);
            original_lines.push(line_no);
        }
        content_lines += 1;
        if !stable {
            out.push_str(line);
            out.push_str("\n");
        } else if line.len() == raw.len() && lf_follows {
            // The common case: the line and its LF are canonical as they stand.
            out.copy(start..end + 1);
        } else {
            out.copy(start..start + line.len());
            out.push_str("\n");
        }
    }

    let pending_blank = pending_blank.map(|(n, _)| n);
    let (leading_blank, trailing_blank) = if content_lines == 0 {
        (pending_blank, None)
    } else {
        (leading_blank, pending_blank)
    };
    out.flush();
    Piece {
        input,
        len: out.len(),
        text: out.text,
        segments: out.segments,
        line_starts,
        original_lines,
        line_count: line_no,
        leading_blank,
        trailing_blank,
        content_lines,
    }
}

/// The canonical text being built. Runs of input that are copied unchanged (most of a document)
/// are gathered into one span and copied at once.
///
/// For a piece of a large document (see [`canonicalize_parallel`]) nothing is copied: the output
/// is recorded as a list of segments (spans of the input, or text of its own, such as normalized
/// lines) and copied once, straight into the final text, when the pieces are joined. Touching
/// fresh memory costs more than hashing it on some machines (page faults), so the text is never
/// written twice.
struct Output<'a> {
    input: &'a str,
    /// The output so far (direct mode) or the output's own text (record mode).
    text: String,
    /// Record mode: the segments of the output so far.
    segments: Option<Vec<Segment>>,
    /// Length of the output so far, without `span`.
    len: usize,
    /// Input bytes that follow in the output, not copied (or recorded) yet.
    span: std::ops::Range<usize>,
}

/// A piece of output in record mode.
enum Segment {
    /// Bytes of the input.
    Input(std::ops::Range<usize>),
    /// Bytes of [`Output::text`].
    Own(std::ops::Range<usize>),
}

impl<'a> Output<'a> {
    fn new(input: &'a str, record: bool, mut buf: String) -> Self {
        buf.clear();
        Output {
            input,
            text: if record {
                String::new()
            } else {
                buf.reserve(input.len() + 1);
                buf
            },
            segments: record.then(Vec::new),
            len: 0,
            span: 0..0,
        }
    }

    fn len(&self) -> usize {
        self.len + self.span.len()
    }

    /// Append `input[range]`.
    fn copy(&mut self, range: std::ops::Range<usize>) {
        if range.start != self.span.end {
            self.flush();
            self.span.start = range.start;
        }
        self.span.end = range.end;
    }

    fn push_str(&mut self, s: &str) {
        self.flush();
        let start = self.text.len();
        self.text.push_str(s);
        self.len += s.len();
        if let Some(segments) = &mut self.segments {
            match segments.last_mut() {
                Some(Segment::Own(r)) if r.end == start => r.end = self.text.len(),
                _ => segments.push(Segment::Own(start..self.text.len())),
            }
        }
    }

    fn flush(&mut self) {
        if !self.span.is_empty() {
            self.len += self.span.len();
            match &mut self.segments {
                Some(segments) => segments.push(Segment::Input(self.span.clone())),
                None => self.text.push_str(&self.input[self.span.clone()]),
            }
        }
        self.span = self.span.end..self.span.end;
    }
}

/// True for the bytes that start a character at or above U+0300 in UTF-8. Every character below
/// U+0300 (ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers) is encoded with bytes below
/// 0xCC only (continuation bytes are 0x80..=0xBF).
#[inline]
fn is_unstable_lead(b: u8) -> bool {
    b >= 0xCC
}

/// True when the two continuation bytes after a 0xE2 lead byte encode a character of U+2002..=
/// U+206F (general punctuation: dashes, quotes, apostrophe, ellipsis, ... but not the two
/// singletons U+2000 and U+2001) or U+20A0..=U+20C0 (currency signs: €). Like the characters below
/// U+0300 these are "NFC boundaries" (see [`nfc_into`]; checked by a unit test), and they are
/// common in French and Spanish text (’ « — …), which can then skip the normalizer entirely.
#[inline]
fn is_stable_e2(rest: &[u8]) -> bool {
    match rest {
        [0x80, b, ..] => *b >= 0x82,
        [0x81, b, ..] => *b <= 0xAF,
        [0x82, b, ..] => *b >= 0xA0,
        [0x83, 0x80, ..] => true,
        _ => false,
    }
}

/// Offset of the first character at or after `from` that is at or above U+0300 and not one of
/// the punctuation and currency characters of [`is_stable_e2`], or `bytes.len()` when there is
/// none. `from` must be a character boundary. Works on 32 bytes at a time (vectorized by the
/// compiler): a block without candidates costs a few instructions, and in one with candidates
/// (French text has an apostrophe ’ every few words) only the candidates are looked at.
fn find_unstable(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(block) = bytes.get(i..i + 32) {
        if block
            .iter()
            .fold(false, |acc, &b| acc | is_unstable_lead(b))
        {
            let mut flags = [0u8; 32];
            for (f, &b) in flags.iter_mut().zip(block) {
                *f = u8::from(is_unstable_lead(b));
            }
            // Gather the flags into a bit mask, 8 at a time (bit k of the top byte of the product
            // is flag k, as each flag is 0 or 1).
            let mut mask = 0u32;
            for (w, word) in flags.chunks_exact(8).enumerate() {
                let mut x = [0u8; 8];
                x.copy_from_slice(word);
                let x = u64::from_le_bytes(x).wrapping_mul(0x0102_0408_1020_4080);
                mask |= ((x >> 56) as u32) << (8 * w);
            }
            while mask != 0 {
                let p = i + mask.trailing_zeros() as usize;
                if !(bytes[p] == 0xE2 && is_stable_e2(&bytes[p + 1..])) {
                    return p;
                }
                mask &= mask - 1;
            }
        }
        i += 32;
    }
    while i < bytes.len() {
        let b = bytes[i];
        if is_unstable_lead(b) {
            if !(b == 0xE2 && is_stable_e2(&bytes[i + 1..])) {
                return i;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// True when `s` is made only of the characters [`nfc_into`] takes as they are (below U+0300, and
/// the punctuation of [`is_stable_e2`]): then `s` is its own NFC, without the normalizer.
pub(crate) fn is_nfc_stable(s: &str) -> bool {
    find_unstable(s.as_bytes(), 0) == s.len()
}

/// Append the NFC form of `s` to `out`, normalizing only the stretches that need it.
///
/// Every character below U+0300, and the punctuation of [`is_stable_e2`], is a starter
/// (canonical combining class 0), has `NFC_Quick_Check = Yes` (so it never combines with what
/// precedes it) and its canonical decomposition starts with such a character too (checked
/// exhaustively by a unit test). Text can therefore be cut in front of any such character and
/// normalized piece by piece: `NFC(x ‖ y) = NFC(x) ‖ NFC(y)` when `y` starts with one
/// (decomposition and canonical reordering never cross a starter, and composition only attaches to
/// the last starter, which becomes `y`'s first). Pieces made only of such characters are already
/// NFC, so only the pieces `[one such character] [other characters ...]` go through the (slow)
/// normalizer, and the commonest of them, a base letter and one combining mark (`e` + U+0301 in
/// NFD text), through a single table look-up. The result is exactly `s.nfc()`.
fn nfc_into(s: &str, out: &mut String) {
    use unicode_normalization::char::{compose, decompose_canonical};
    let bytes = s.as_bytes();
    let mut copied = 0; // `s[..copied]` is in `out`
    loop {
        let j = find_unstable(bytes, copied);
        if j >= bytes.len() {
            out.push_str(&s[copied..]);
            return;
        }
        // The piece starts at the character just before `j` (a boundary character) unless `j`
        // starts the text ...
        let seg_start = s[copied..j]
            .char_indices()
            .next_back()
            .map_or(j, |(i, _)| copied + i);
        // ... and runs to the next character below U+0300 (a byte that is neither a continuation
        // byte nor the lead byte of a character at or above U+0300).
        let seg_end = bytes[j..]
            .iter()
            .position(|&b| b < 0x80 || (0xC0..0xCC).contains(&b))
            .map_or(bytes.len(), |k| j + k);
        out.push_str(&s[copied..seg_start]);
        let seg = &s[seg_start..seg_end];
        let mut chars = seg.chars();
        match (chars.next(), chars.next(), chars.next()) {
            // An ASCII letter and one character whose canonical decomposition is itself: NFD
            // leaves the pair as it is, and NFC composes it if Unicode has a composite for it.
            (Some(base), Some(mark), None)
                if base.is_ascii() && {
                    let mut own = true;
                    decompose_canonical(mark, |d| own &= d == mark);
                    own
                } =>
            {
                match compose(base, mark) {
                    Some(c) => out.push(c),
                    None => out.push_str(seg),
                }
            }
            _ => out.extend(seg.nfc()),
        }
        copied = seg_end;
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
    /// Start of the next line.
    pos: usize,
    has_cr: bool,
    done: bool,
}

impl<'a> RawLines<'a> {
    fn new(input: &'a str) -> Self {
        RawLines {
            input,
            pos: 0,
            // Without any CR (the common case) one byte is searched for instead of two.
            has_cr: memchr::memchr(b'\r', input.as_bytes()).is_some(),
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
                let skip = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.pos = start + i + skip;
                if self.pos >= self.input.len() {
                    self.done = true;
                }
                Some((start, &self.input[start..start + i]))
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
fn may_hold_invisible(bytes: &[u8]) -> bool {
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
fn invisible_candidates(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
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

#[cfg(test)]
mod tests {

    #[test]
    fn line_map_runs_agree_with_a_plain_list() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        for _ in 0..500 {
            // A plain list of increasing original lines with random gaps, its map, and a second
            // list appended with an offset.
            let mut plain: Vec<u32> = Vec::new();
            let mut map = LineMap::default();
            let mut line = 1 + next(3) as u32;
            for _ in 0..next(30) {
                plain.push(line);
                map.push(line);
                line += 1 + next(3) as u32 * u32::from(next(4) == 0);
            }
            let mut other = LineMap::default();
            let mut other_plain = Vec::new();
            let mut l = 1;
            for _ in 0..next(10) {
                other.push(l);
                other_plain.push(l);
                l += 1 + u32::from(next(3) == 0);
            }
            map.extend_shifted(&other, 1000);
            plain.extend(other_plain.iter().map(|x| x + 1000));
            assert_eq!(map.len as usize, plain.len());
            for (k, want) in plain.iter().enumerate() {
                assert_eq!(map.get(k), Some(*want));
            }
            assert_eq!(map.get(plain.len()), None);
            if !plain.is_empty() {
                map.drop_first();
                plain.remove(0);
                for (k, want) in plain.iter().enumerate() {
                    assert_eq!(map.get(k), Some(*want), "after drop_first");
                }
                assert_eq!(map.len as usize, plain.len());
            }
        }
        // Runs: one for an unbroken document.
        let c = canonicalize_str(&"line\n".repeat(1000));
        assert_eq!(c.original_lines.runs.len(), 1);
        assert_eq!(c.original_line(999), 1000);
    }

    #[test]
    fn line_count_bound_counts_every_terminator() {
        assert_eq!(line_count_bound(b""), 1);
        assert_eq!(line_count_bound(b"a\r\nb\rc\nd"), 4);
        assert_eq!(line_count_bound(b"\r\r\n\n"), 4);
    }

    use super::*;

    #[test]
    fn may_hold_invisible_is_exactly_the_byte_rule() {
        let rule = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b >= 0x7f;
        for b in 0..=255u8 {
            // The byte alone, and at every position of a block boundary's neighbourhood.
            for at in [0usize, 1, 63, 64, 65, 127, 130] {
                let mut v = vec![b'a'; 131];
                v[at] = b;
                assert_eq!(may_hold_invisible(&v), rule(b), "byte {b:#04x} at {at}");
            }
        }
        assert!(!may_hold_invisible(b""));
        assert!(!may_hold_invisible(b"plain text\twith a tab\n\n"));
    }

    /// The lead-byte shortcut skips only characters that `invisible_class` would not name.
    #[test]
    fn invisible_candidates_cover_every_named_character() {
        let all: String = (0u32..0x11_0000).filter_map(char::from_u32).collect();
        let named: Vec<(usize, char)> = all
            .char_indices()
            .filter(|&(_, c)| invisible_class(c).is_some())
            .collect();
        let found: Vec<(usize, char)> = invisible_candidates(&all)
            .filter(|&(_, c)| invisible_class(c).is_some())
            .collect();
        assert_eq!(found, named);
        assert!(named.len() > 100);
    }

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
            let mut line = n.trim_end_matches(char::is_whitespace);
            if orig.is_empty() {
                line = line.trim_start_matches('\u{feff}');
            }
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
        "\u{2001}",
        "\u{2002}",
        "\u{2019}",
        "\u{20ac}",
        "\u{20c0}",
        "\u{20c1}",
        "\u{2070}",
        "\u{1fed}",
        "\u{e9}\u{301}",
        "o\u{302}\u{301}",
        "\u{1ec7}",
        "a\u{30a}",
    ];

    /// The characters `find_unstable` passes over, by code point.
    fn is_boundary(c: char) -> bool {
        matches!(c as u32, 0..=0x2ff | 0x2002..=0x206f | 0x20a0..=0x20c0)
    }

    #[test]
    fn boundary_characters_are_nfc_boundaries() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        let mut buf = [0u8; 4];
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            let enc = c.encode_utf8(&mut buf).as_bytes();
            // What the byte scan decides, character by character.
            assert_eq!(find_unstable(enc, 0) == enc.len(), is_boundary(c), "{c:?}");
            if !is_boundary(c) {
                continue;
            }
            // A starter that never combines with what precedes it ...
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            // ... whose canonical decomposition starts with such a character.
            let first = std::iter::once(c).nfd().next().unwrap();
            assert!(is_boundary(first), "{c:?}");
            assert_eq!(canonical_combining_class(first), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(first)), IsNormalized::Yes);
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
            let want = s
                .char_indices()
                .find(|&(_, c)| !is_boundary(c))
                .map_or(s.len(), |(i, _)| i);
            assert_eq!(find_unstable(s.as_bytes(), 0), want, "{s:?}");
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

    /// The sequential path, whatever the size (a one-thread pool).
    fn sequential(bytes: &[u8]) -> Result<CanonicalText, InputError> {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        one.install(|| canonicalize(bytes))
    }

    #[test]
    fn pieces_join_into_the_sequential_result() {
        let mut rng = Rng(0xd1b5_4a32_d192_ed03);
        const BAD: &[&[u8]] = &[
            b"\xff",
            b"\xc3",
            b"\xc3\n",
            b"\xe2\x80",
            b"\xed\xa0\x80",
            b"\x80",
        ];
        for round in 0..6000 {
            let mut doc: Vec<u8> = Vec::new();
            if round % 5 == 0 {
                doc.extend_from_slice("\u{feff}".as_bytes());
            }
            for _ in 0..rng.below(60) {
                doc.extend_from_slice(PIECES[rng.below(PIECES.len())].as_bytes());
                if round % 4 == 0 && rng.below(50) == 0 {
                    doc.extend_from_slice(BAD[rng.below(BAD.len())]);
                }
            }
            // Cuts at random line starts (just after an LF).
            let mut cuts = vec![0];
            for p in 1..doc.len() {
                if doc[p - 1] == b'\n' && rng.below(3) == 0 {
                    cuts.push(p);
                }
            }
            cuts.push(doc.len());
            let got = canonicalize_parallel(&doc, cuts.clone()).map(strip_leading_bom);
            match (sequential(&doc), got) {
                (Ok(want), Ok(got)) => assert_eq!(got, want, "{doc:?} cut at {cuts:?}"),
                (
                    Err(InputError::NotUtf8 { offset: a }),
                    Err(InputError::NotUtf8 { offset: b }),
                ) => {
                    assert_eq!(a, b, "{doc:?} cut at {cuts:?}");
                    let e = std::str::from_utf8(&doc).unwrap_err();
                    assert_eq!(a, e.valid_up_to() as u64);
                }
                (want, got) => panic!("{doc:?} cut at {cuts:?}: {want:?} vs {got:?}"),
            }
        }
    }

    #[test]
    fn large_inputs_take_the_parallel_path_with_the_same_result() {
        let mut rng = Rng(0x8cb9_2ba7_2f3d_8dd7);
        let mut doc = String::from("\u{feff}\n\n");
        while doc.len() < PARALLEL_MIN_BYTES + 100_000 {
            for _ in 0..rng.below(30) {
                doc.push_str(PIECES[rng.below(PIECES.len())]);
            }
            doc.push_str(["\n", "\n\n", "\r\n \r\n\n", "\n\n\n\n"][rng.below(4)]);
            if rng.below(500) == 0 {
                // A long stretch of blank lines, so that a whole piece may be blank.
                doc.push_str(&"\n \n".repeat(rng.below(100_000)));
            }
        }
        let want = sequential(doc.as_bytes()).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        pool.install(|| {
            assert!(parallel(doc.len()));
            assert!(split_points(doc.as_bytes()).len() > 3);
            assert_eq!(canonicalize(doc.as_bytes()).unwrap(), want);
            assert_eq!(canonicalize_str(&doc), want);
            let mut bad = doc.clone().into_bytes();
            let at = bad.len() * 2 / 3;
            bad.insert(at, 0xff);
            bad.insert(at / 2, 0xc3);
            let offset = std::str::from_utf8(&bad).unwrap_err().valid_up_to() as u64;
            assert!(
                matches!(canonicalize(&bad), Err(InputError::NotUtf8 { offset: o }) if o == offset)
            );
        });
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
