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

mod invisible;
mod nfc;
pub use invisible::{find_invisible, invisible_class, InvisibleChar};
pub(crate) use nfc::is_nfc_stable;
use nfc::{find_unstable, nfc_into};

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

#[cfg(test)]
mod tests;
