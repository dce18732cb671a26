//! The content hash of a whole document, streamed: canonicalize and Merkle-hash in one pass.
//!
//! `transmittal hash` (and anyone hashing large files) needs the Merkle root of a document's
//! canonical text, not the text itself. [`crate::canonical::canonicalize`] followed by
//! [`crate::merkle::content_root`] holds the whole input, the whole canonical text and its line
//! map in memory and walks them several times: on a 100 MB file, touching that much fresh memory
//! costs more than hashing it. This module gives **the same root, bit for bit**, reading the input
//! in reads of at most [`READ_BYTES`] into a small buffer, cutting it after line feeds into pieces
//! of about [`PIECE_BYTES`], and for each piece (on all threads of the rayon pool when there are
//! several) canonicalizing it into a cache-sized buffer and hashing its leaves at once. Memory is a
//! few pieces plus the Merkle tree's right edge, whatever the input's size (plus the longest line:
//! a piece ends at a line feed).
//!
//! Why the pieces join exactly (the same reasoning as the parallel canonicalization in
//! [`crate::canonical`]): a cut after LF is a character boundary and a line boundary; NFC never
//! crosses an LF; trailing white space is per line. What crosses a cut is only the blank-line rule
//! (a run of blank lines between lines of content becomes one) and the leading U+FEFF rule, and
//! both are applied when the pieces are joined, in order: a piece reports whether it starts or
//! ends with blank lines, and its last leaf is kept open (a SHA-256 state) until it is known
//! whether a blank line follows it, since a leaf is a line *with the blank line after it*
//! ([`crate::merkle`]). Complete subtrees of [`SUBTREE_LEAVES`] leaves are hashed in parallel and
//! pushed into a [`RootBuilder`] as single nodes (RFC 6962's tree is left balanced, so an aligned
//! complete subtree is one of its nodes).
//!
//! Tests check the result against `canonicalize` + `content_root` for random inputs cut into
//! pieces as small as one byte.

use crate::canonical::{canonicalize_piece, cut_after_lf, strip_leading_bom_text};
use crate::error::InputError;
use crate::merkle::{leaf_hasher, leaf_ranges, root_of, Hash, RootBuilder};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Reads are at most this large: the kernel's copy then stays in the CPU's L2 cache, which
/// measurably hashes faster than reading in larger blocks.
pub const READ_BYTES: usize = 128 * 1024;

/// Input is canonicalized and hashed in pieces of about this many bytes (cut after an LF).
pub const PIECE_BYTES: usize = 128 * 1024;

/// Complete subtrees of this many leaves (a power of two) are hashed as one task.
pub const SUBTREE_LEAVES: usize = 1024;

/// The content hash of a document, and what was hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentDigest {
    /// The Merkle root of the canonical text (profile [`crate::canonical::PROFILE`]).
    pub content_sha256: Hash,
    /// Bytes of input read.
    pub input_bytes: u64,
    /// Bytes of canonical text hashed.
    pub canonical_bytes: u64,
    /// Number of leaves.
    pub leaves: u64,
}

/// Hash the whole of `bytes` (see the module documentation). Equal to
/// `merkle::content_root(canonicalize(bytes)?.as_str())`.
pub fn digest_bytes(bytes: &[u8]) -> Result<DocumentDigest, InputError> {
    digest_bytes_in(bytes, PIECE_BYTES)
}

/// [`digest_bytes`] with pieces of about `piece` bytes (tests use tiny pieces).
pub fn digest_bytes_in(bytes: &[u8], piece: usize) -> Result<DocumentDigest, InputError> {
    let mut s = Stream::default();
    let cuts = cut_after_lf(bytes, piece.max(1));
    // Batches of a few pieces per thread, so that the tree's subtrees are hashed as we go.
    let per_batch = batch_pieces();
    for batch in cuts.windows(2).collect::<Vec<_>>().chunks(per_batch) {
        let pieces: Vec<(u64, &[u8])> = batch
            .iter()
            .map(|w| (w[0] as u64, &bytes[w[0]..w[1]]))
            .collect();
        s.accept(process_pieces(&pieces), &pieces)?;
    }
    s.input_bytes = bytes.len() as u64;
    Ok(s.finish())
}

/// Hash everything `reader` yields, reading at most [`READ_BYTES`] at a time, refusing more than
/// `limit` bytes. `path` names the input in errors.
///
/// Reading overlaps hashing: while the pieces of one batch are canonicalized and hashed on the
/// rayon pool, the next batch is read (double buffering), so that on two cores the read costs
/// almost nothing.
pub fn digest_reader<R: Read + Send>(
    reader: R,
    path: &Path,
    limit: u64,
) -> Result<DocumentDigest, InputError> {
    let piece = PIECE_BYTES;
    let mut input = BatchReader {
        reader,
        path,
        limit,
        target: piece * batch_pieces(),
        carry: Vec::new(),
        base: 0,
        eof: false,
    };
    let mut s = Stream::default();
    let mut cur = Batch::default();
    let mut next = Batch::default();
    input.fill(&mut cur)?;
    while cur.len > 0 {
        let pieces = cur.pieces(piece);
        let (done, filled) = rayon::join(
            || process_pieces(&pieces),
            || {
                if input.eof {
                    next.len = 0;
                    Ok(())
                } else {
                    input.fill(&mut next)
                }
            },
        );
        // The batch read first comes first: its errors are those of earlier bytes.
        s.accept(done, &pieces)?;
        filled?;
        std::mem::swap(&mut cur, &mut next);
    }
    s.input_bytes = input.base;
    Ok(s.finish())
}

/// A run of whole lines of the input (all of its rest at the end), in a buffer that is reused.
#[derive(Default)]
struct Batch {
    /// `buf[..len]` is the batch; `buf` is longer and zeroed only when it grows.
    buf: Vec<u8>,
    len: usize,
    /// Offset of `buf[0]` in the input.
    base: u64,
}

impl Batch {
    /// The batch cut into pieces (each with its input offset).
    fn pieces(&self, piece: usize) -> Vec<(u64, &[u8])> {
        let bytes = &self.buf[..self.len];
        cut_after_lf(bytes, piece)
            .windows(2)
            .map(|w| (self.base + w[0] as u64, &bytes[w[0]..w[1]]))
            .collect()
    }
}

/// Reads the input into [`Batch`]es that end at a line feed.
struct BatchReader<'p, R> {
    reader: R,
    path: &'p Path,
    limit: u64,
    /// Bytes per batch (at least; a batch ends at a line feed).
    target: usize,
    /// The start of a line read but not yet in a batch.
    carry: Vec<u8>,
    /// Offset of the next batch (bytes handed out so far).
    base: u64,
    eof: bool,
}

impl<R: Read> BatchReader<'_, R> {
    /// Fill `b` with the next batch: at least `target` bytes ending at a line feed, or the rest of
    /// the input (`b.len == 0` at the end).
    fn fill(&mut self, b: &mut Batch) -> Result<(), InputError> {
        b.base = self.base;
        b.len = self.carry.len();
        if b.buf.len() < b.len + READ_BYTES {
            b.buf
                .resize((b.len + READ_BYTES).max(self.target + READ_BYTES), 0);
        }
        b.buf[..b.len].copy_from_slice(&self.carry);
        self.carry.clear();
        // One past the last LF in the batch so far (the carry holds none): updated read by read,
        // so that a long line is not searched again after every read.
        let mut line_end = 0usize;
        while !self.eof && (b.len < self.target || line_end == 0) {
            if b.buf.len() < b.len + READ_BYTES {
                b.buf.resize(b.len + READ_BYTES, 0);
            }
            let n = loop {
                match self.reader.read(&mut b.buf[b.len..b.len + READ_BYTES]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(source) => {
                        return Err(InputError::Read {
                            path: self.path.to_path_buf(),
                            source,
                        })
                    }
                }
            };
            if n == 0 {
                self.eof = true;
                break;
            }
            let at = b.len;
            b.len += n;
            if self.base + b.len as u64 > self.limit {
                return Err(InputError::TooLarge {
                    path: self.path.to_path_buf(),
                    limit: self.limit,
                });
            }
            if let Some(i) = memchr::memrchr(b'\n', &b.buf[at..b.len]) {
                line_end = at + i + 1;
            }
        }
        let end = if self.eof { b.len } else { line_end };
        self.carry.extend_from_slice(&b.buf[end..b.len]);
        b.len = end;
        self.base += end as u64;
        Ok(())
    }
}

/// Pieces handled per batch: a few per thread.
fn batch_pieces() -> usize {
    (rayon::current_num_threads() * 4).max(1)
}

/// Canonicalize and hash `pieces`, on the rayon pool when there are several.
fn process_pieces(pieces: &[(u64, &[u8])]) -> Vec<Result<Done, InputError>> {
    if pieces.len() > 1 && rayon::current_num_threads() > 1 {
        pieces
            .par_iter()
            .map(|&(o, b)| process(o, b, false))
            .collect()
    } else {
        pieces.iter().map(|&(o, b)| process(o, b, false)).collect()
    }
}

/// One piece, canonicalized and hashed, waiting to be joined to the pieces before it.
struct Done {
    /// The piece has lines of content (after the U+FEFF rule when it was applied).
    content: bool,
    /// Its canonical text starts with U+FEFF (matters only for the first piece with content).
    starts_with_bom: bool,
    /// Blank lines precede its first line of content (or, without content, it has any line).
    leading_blank: bool,
    /// Blank lines follow its last line of content.
    trailing_blank: bool,
    /// Hashes of all leaves but the last.
    leaves: Vec<Hash>,
    /// The last leaf: a SHA-256 state that has absorbed `0x00 ‖ bytes`, awaiting a possible
    /// blank line.
    last: Option<Sha256>,
    /// Bytes of canonical text.
    len: usize,
}

/// Canonicalize and hash one piece (`offset`: where it starts in the input, for errors).
fn process(offset: u64, bytes: &[u8], strip_bom: bool) -> Result<Done, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        offset: offset + e.valid_up_to() as u64,
    })?;
    let text = if offset == 0 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    };
    // The canonical text of a piece goes into memory this thread used for the previous piece:
    // fresh memory for every piece would cost page faults (it is given back to the system in
    // between) that take longer than hashing it.
    let buf = TEXT.with(|t| std::mem::take(&mut *t.borrow_mut()));
    let mut p = canonicalize_piece(text, false, !strip_bom, buf);
    let mut content = p.content_lines > 0;
    if strip_bom && content {
        strip_leading_bom_text(&mut p.text);
        content = !p.text.is_empty();
    }
    let canon = p.text.as_bytes();
    // Leaf boundaries: the starts of the lines of content (a leaf is a line of content with the
    // blank line after it). The canonicalizer has found every line already, so the text is not
    // scanned again, except in the rare U+FEFF case, which has no line map.
    let starts: Vec<usize> = if strip_bom {
        leaf_ranges(&p.text).map(|r| r.start).collect()
    } else {
        p.line_starts
            .iter()
            .map(|&s| s as usize)
            .filter(|&s| canon.get(s) != Some(&b'\n'))
            .collect()
    };
    let mut leaves = Vec::with_capacity(starts.len());
    let mut last = None;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(canon.len());
        let mut h = leaf_hasher();
        h.update(&canon[start..end]);
        if k + 1 == starts.len() {
            last = Some(h);
        } else {
            leaves.push(h.finalize().into());
        }
    }
    let starts_with_bom = p.text.starts_with('\u{feff}');
    let len = canon.len();
    if p.text.capacity() <= 4 * PIECE_BYTES {
        TEXT.with(|t| *t.borrow_mut() = std::mem::take(&mut p.text));
    }
    Ok(Done {
        content,
        starts_with_bom,
        leading_blank: p.leading_blank.is_some(),
        trailing_blank: p.trailing_blank.is_some(),
        leaves,
        last,
        len,
    })
}

thread_local! {
    /// Per thread: the buffer the last piece's canonical text was built in, reused.
    static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The join of the pieces so far.
#[derive(Default)]
struct Stream {
    /// Some line of content has been hashed (the U+FEFF rule is behind us).
    content: bool,
    /// A blank line follows the last line of content so far.
    pending_blank: bool,
    /// The last leaf so far, not finished (see [`Done::last`]).
    last: Option<Sha256>,
    /// Leaf hashes not yet in `tree` (fewer than [`SUBTREE_LEAVES`] after each batch).
    leaves: Vec<Hash>,
    tree: RootBuilder,
    leaf_count: u64,
    canonical_bytes: u64,
    input_bytes: u64,
}

impl Stream {
    /// Join the processed `pieces` (from [`process_pieces`]) in order, then hash the complete
    /// subtrees.
    fn accept(
        &mut self,
        done: Vec<Result<Done, InputError>>,
        pieces: &[(u64, &[u8])],
    ) -> Result<(), InputError> {
        for (d, &(o, b)) in done.into_iter().zip(pieces) {
            // The first error in input order, as `canonicalize` reports it.
            let mut d = d?;
            if !self.content && d.content && d.starts_with_bom {
                // The first line of content starts with U+FEFF: the rare case in which the
                // U+FEFF rule applies (FORMAT.md §2 step 2). Redo the piece with it.
                d = process(o, b, true)?;
            }
            self.join(d);
        }
        // Complete subtrees, on all threads.
        let full = self.leaves.len() / SUBTREE_LEAVES * SUBTREE_LEAVES;
        if full > 0 {
            let roots: Vec<Hash> = if full > SUBTREE_LEAVES && rayon::current_num_threads() > 1 {
                self.leaves[..full]
                    .par_chunks_exact(SUBTREE_LEAVES)
                    .map(root_of)
                    .collect()
            } else {
                self.leaves[..full]
                    .chunks_exact(SUBTREE_LEAVES)
                    .map(root_of)
                    .collect()
            };
            for r in roots {
                self.tree.push_subtree(SUBTREE_LEAVES.trailing_zeros(), r);
            }
            self.leaves.drain(..full);
        }
        Ok(())
    }

    /// Join one piece to what came before it: the blank-line rule across the cut.
    fn join(&mut self, d: Done) {
        if !d.content {
            if self.content && !self.pending_blank {
                self.pending_blank = d.leading_blank;
            }
            return;
        }
        if self.content {
            let blank = self.pending_blank || d.leading_blank;
            self.close_last(blank);
        }
        self.leaf_count += d.leaves.len() as u64;
        self.leaves.extend_from_slice(&d.leaves);
        self.last = d.last;
        self.canonical_bytes += d.len as u64;
        self.pending_blank = d.trailing_blank;
        self.content = true;
    }

    /// Finish the open last leaf, with the blank line that follows it when there is one.
    fn close_last(&mut self, blank: bool) {
        if let Some(mut h) = self.last.take() {
            if blank {
                h.update(b"\n");
                self.canonical_bytes += 1;
            }
            self.leaves.push(h.finalize().into());
            self.leaf_count += 1;
        }
    }

    fn finish(mut self) -> DocumentDigest {
        // Blank lines after the last line of content are dropped.
        self.close_last(false);
        let mut tree = std::mem::take(&mut self.tree);
        for l in &self.leaves {
            tree.push(*l);
        }
        DocumentDigest {
            content_sha256: tree.finish(),
            input_bytes: self.input_bytes,
            canonical_bytes: self.canonical_bytes,
            leaves: self.leaf_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::canonicalize;
    use crate::merkle::{content_root, leaf_ranges};

    fn reference(bytes: &[u8]) -> Result<(Hash, u64, u64), u64> {
        match canonicalize(bytes) {
            Ok(c) => Ok((
                content_root(c.as_str()),
                c.len() as u64,
                leaf_ranges(c.as_str()).count() as u64,
            )),
            Err(InputError::NotUtf8 { offset }) => Err(offset),
            Err(e) => panic!("{e}"),
        }
    }

    fn streamed(bytes: &[u8], piece: usize) -> Result<(Hash, u64, u64), u64> {
        match digest_bytes_in(bytes, piece) {
            Ok(d) => {
                assert_eq!(d.input_bytes, bytes.len() as u64);
                Ok((d.content_sha256, d.canonical_bytes, d.leaves))
            }
            Err(InputError::NotUtf8 { offset }) => Err(offset),
            Err(e) => panic!("{e}"),
        }
    }

    fn read_streamed(bytes: &[u8]) -> Result<(Hash, u64, u64), u64> {
        // A reader that returns a few bytes at a time, to exercise the carry of partial lines.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                self.1 = self.1 % 7 + 1;
                let n = self.1.min(out.len()).min(self.0.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        match digest_reader(Trickle(bytes, 0), Path::new("t"), u64::MAX) {
            Ok(d) => Ok((d.content_sha256, d.canonical_bytes, d.leaves)),
            Err(InputError::NotUtf8 { offset }) => Err(offset),
            Err(e) => panic!("{e}"),
        }
    }

    const CASES: &[&str] = &[
        "",
        "\n",
        "\n\n\n",
        "A",
        "A\n",
        "A\n\nB\nC\n",
        "\u{feff}A  \r\n\r\n\r\nB\t\rC",
        "\n\n\u{feff}\n\n\u{feff}A\n",
        "\u{feff}\u{feff}\n\n\n\u{feff}\n\nB\n\n",
        "\u{feff}\n\u{feff}\n \n\u{feff}x\n",
        "A\n \n\t\n\u{3000}\nB\n\n\n",
        "Cafe\u{301} de\u{301}ja\u{300}\r\n\r\nx  \r\n",
        "line one\rline two\r\rline three",
        "a\n\n\n\nb\n\n\n\nc",
        "  \n  x\n\n\n",
    ];

    #[test]
    fn equals_canonicalize_then_content_root() {
        for case in CASES {
            let want = reference(case.as_bytes());
            for piece in [1, 2, 3, 5, 8, 64, 1 << 20] {
                assert_eq!(
                    streamed(case.as_bytes(), piece),
                    want,
                    "{case:?} piece {piece}"
                );
            }
            assert_eq!(read_streamed(case.as_bytes()), want, "{case:?} reader");
        }
    }

    #[test]
    fn not_utf8_offset_is_the_first_bad_byte() {
        let mut bytes = b"good line\nsecond\n".to_vec();
        bytes.extend_from_slice(b"bad \xff here\nand \xfe\n");
        let want = reference(&bytes);
        assert_eq!(want, Err(21));
        for piece in [1, 4, 16, 1024] {
            assert_eq!(streamed(&bytes, piece), want);
        }
        assert_eq!(read_streamed(&bytes), want);
    }

    #[test]
    fn large_inputs_cross_subtree_and_batch_boundaries() {
        // Enough leaves for several complete subtrees and a remainder, with varied lines.
        let mut s = String::new();
        for i in 0..5000u32 {
            s.push_str(&format!("{i} {}", "x".repeat((i as usize * 7) % 90)));
            s.push_str(match i % 5 {
                0 => "\n\n",
                1 => "  \r\n",
                2 => "\n\n\n",
                _ => "\n",
            });
        }
        let want = reference(s.as_bytes());
        for piece in [100, 4096, 100_000] {
            assert_eq!(streamed(s.as_bytes(), piece), want, "piece {piece}");
        }
        assert_eq!(read_streamed(s.as_bytes()), want);
        let d = digest_reader(s.as_bytes(), Path::new("t"), u64::MAX).unwrap();
        assert_eq!(Ok((d.content_sha256, d.canonical_bytes, d.leaves)), want);
    }

    #[test]
    fn limit_is_enforced() {
        let r = digest_reader(&b"abc\ndef\n"[..], Path::new("t"), 4);
        assert!(matches!(r, Err(InputError::TooLarge { limit: 4, .. })));
    }
}
