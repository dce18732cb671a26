//! Leaves and Merkle roots of canonical text (RFC 6962 style), for pinpointing.
//!
//! A layer's content hash is not a flat SHA-256 but the root of a Merkle tree over its *leaves*,
//! so that a verifier holding the signed leaf hashes can say which lines changed, were added or
//! were removed, instead of only "bad".
//!
//! **Leaves are lines.** A leaf is one canonical line with its LF, *plus the blank line that follows
//! it*, if any (canonical text has at most one blank line in a row). Lines are what readers cite and
//! what line numbers name; attaching the paragraph break to the line before it keeps the paragraph
//! structure in the hash (`A\n\nB` and `A\nB` differ) without paying a whole leaf per blank line.
//! A slice that ends inside a line (a run-in heading such as `Enclosure**Report…**`, or flattened
//! PDF text) ends with a leaf that has no LF; the next slice starts with the rest of that line.
//!
//! Hashes (domain-separated as in RFC 6962 §2.1, so a leaf can never pass for a node):
//! `leaf = SHA-256(0x00 ‖ bytes)`, `node = SHA-256(0x01 ‖ left ‖ right)`, the root of `n > 1`
//! leaves splits them at the largest power of two `k < n`, and the root of no leaves is
//! `SHA-256("")`.
//!
//! **Large parts are hashed in parallel.** From [`PARALLEL_MIN_BYTES`] of text (or
//! [`PARALLEL_MIN_LEAVES`] leaf hashes) up, [`content_root`], [`leaf_hashes`] and [`root_of`] use
//! the threads of the current rayon pool: the RFC 6962 recursion (split at the largest power of two
//! below the leaf count) is followed down to subtrees of about [`GRAIN_BYTES`] of text, whose roots
//! are computed sequentially on one thread and combined exactly as the recursion says, so the root
//! is bit-identical to the sequential one whatever the number of threads. Smaller inputs (a letter,
//! a report) never touch the pool: per-document latency matters more than throughput there.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Split `part` into leaves: byte ranges, in order, covering `part` exactly.
pub fn leaf_ranges(part: &str) -> LeafRanges<'_> {
    LeafRanges {
        bytes: part.as_bytes(),
        pos: 0,
    }
}

/// Iterator returned by [`leaf_ranges`].
#[derive(Debug, Clone)]
pub struct LeafRanges<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for LeafRanges<'_> {
    type Item = std::ops::Range<usize>;
    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        if start >= self.bytes.len() {
            return None;
        }
        let mut i = start;
        loop {
            match memchr::memchr(b'\n', &self.bytes[i..]) {
                None => {
                    self.pos = self.bytes.len();
                    break;
                }
                Some(k) => {
                    let lf = i + k;
                    if self.bytes.get(lf + 1) == Some(&b'\n') {
                        // A blank line follows: it belongs to this leaf.
                        i = lf + 2;
                        // A second LF would be a second blank line; canonical text has none, but a
                        // slice may start with one: take runs whole.
                        while self.bytes.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                        self.pos = i;
                        break;
                    }
                    if lf == start {
                        // The slice starts with a lone LF (the tail of a previous line): take it
                        // with the line that follows.
                        i = lf + 1;
                        if i >= self.bytes.len() {
                            self.pos = i;
                            break;
                        }
                        continue;
                    }
                    self.pos = lf + 1;
                    break;
                }
            }
        }
        Some(start..self.pos)
    }
}

/// `SHA-256(0x00 ‖ leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = leaf_hasher();
    h.update(leaf);
    h.finalize().into()
}

/// A SHA-256 state that has absorbed a leaf's domain byte `0x00`: [`leaf_hash`] of what is fed
/// to it next, for callers that build a leaf in several parts ([`crate::digest`]).
pub fn leaf_hasher() -> Sha256 {
    let mut h = Sha256::new();
    h.update([0u8]);
    h
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 65];
    buf[0] = 1;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    Sha256::digest(buf).into()
}

/// The root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest(b"").into()
}

/// Text parts of at least this many bytes are hashed on all threads of the current rayon pool.
pub const PARALLEL_MIN_BYTES: usize = 512 * 1024;

/// Leaf-hash lists of at least this many hashes are combined on all threads of the rayon pool.
pub const PARALLEL_MIN_LEAVES: usize = 16 * 1024;

/// A subtree over about this many bytes of text is hashed sequentially, on one thread.
pub const GRAIN_BYTES: usize = 32 * 1024;

/// A subtree over this many leaf hashes or fewer is combined sequentially, on one thread.
const GRAIN_LEAVES: usize = 4096;

/// Whether `len` units (bytes or leaves) of work, `min` being the threshold, go to the pool.
/// Only asked about large inputs, so small ones never start the pool's threads.
fn parallel(len: usize, min: usize) -> bool {
    len >= min && crate::par::threads() > 1
}

/// The leaf hashes of `part`, in order.
pub fn leaf_hashes(part: &str) -> Vec<Hash> {
    let bytes = part.as_bytes();
    if !parallel(bytes.len(), PARALLEL_MIN_BYTES) || u32::try_from(bytes.len()).is_err() {
        return leaf_ranges(part).map(|r| leaf_hash(&bytes[r])).collect();
    }
    let bounds = leaf_bounds(part);
    crate::par::map_windows(&bounds, 256, |a, b| {
        leaf_hash(&bytes[a as usize..b as usize])
    })
}

/// The Merkle root over already-computed leaf hashes.
pub fn root_of(leaves: &[Hash]) -> Hash {
    if leaves.is_empty() {
        return empty_root();
    }
    if parallel(leaves.len(), PARALLEL_MIN_LEAVES) {
        return par_root_of(leaves, GRAIN_LEAVES);
    }
    let mut builder = RootBuilder::default();
    for l in leaves {
        builder.push(*l);
    }
    builder.finish()
}

/// The Merkle root of `part`'s leaves, streaming: memory grows with the tree's height only
/// (parts of [`PARALLEL_MIN_BYTES`] or more: one `u32` per leaf, and all threads of the pool).
pub fn content_root(part: &str) -> Hash {
    if parallel(part.len(), PARALLEL_MIN_BYTES) && u32::try_from(part.len()).is_ok() {
        let bounds = leaf_bounds(part);
        return par_content_root(part.as_bytes(), &bounds, GRAIN_BYTES);
    }
    let mut builder = RootBuilder::default();
    for r in leaf_ranges(part) {
        builder.push(leaf_hash(&part.as_bytes()[r]));
    }
    builder.finish()
}

/// Where the leaves of `part` start, then `part.len()`: leaf `i` is `bounds[i]..bounds[i + 1]`.
/// Large parts are scanned in pieces on the rayon pool. Offsets are `u32` (4 bytes a leaf): the
/// callers use this only for parts shorter than 4 GiB.
fn leaf_bounds(part: &str) -> Vec<u32> {
    let bytes = part.as_bytes();
    let pieces = if parallel(bytes.len(), PARALLEL_MIN_BYTES) {
        (crate::par::threads() * 4).max(1)
    } else {
        1
    };
    leaf_bounds_in(bytes, pieces)
}

/// [`leaf_bounds`] with the scan cut into about `pieces` pieces at leaf boundaries.
///
/// A leaf boundary can be recognized locally: apart from the start, a leaf starts exactly where
/// an LF is followed by something other than an LF (see [`LeafRanges`]: a leaf takes its line's LF
/// and any LFs after it), except at offset 1 after a leading lone LF, which is taken with the line
/// that follows. So a scan can start at any such place and find the same leaves as a scan from
/// the start.
fn leaf_bounds_in(bytes: &[u8], pieces: usize) -> Vec<u32> {
    let ranges = |start: usize, end: usize| LeafRanges {
        bytes: &bytes[start..end],
        pos: 0,
    };
    let size = bytes.len() / pieces.max(1) + 1;
    let mut cuts = vec![0];
    let mut at = size.max(2);
    while pieces > 1 && at < bytes.len() {
        // The first place at or after `at` where an LF is followed by a byte that is not an LF.
        let Some(i) = memchr::memchr(b'\n', &bytes[at - 1..]) else {
            break;
        };
        let mut p = at + i;
        while bytes.get(p) == Some(&b'\n') {
            p += 1;
        }
        if p >= bytes.len() {
            break;
        }
        cuts.push(p);
        at = p + size;
    }
    cuts.push(bytes.len());
    // Count first, then fill one vector of exactly that size: no vector grows past its need
    // and no pieces are copied together (peak memory: 4 bytes a leaf).
    let counts: Vec<usize> = crate::par::map_windows(&cuts, 1, |a, b| ranges(a, b).count());
    let total: usize = counts.iter().sum();
    let mut bounds = vec![0u32; total + 1];
    {
        let mut slices = Vec::with_capacity(counts.len());
        let mut rest = &mut bounds[..total];
        for &c in &counts {
            let (a, b) = rest.split_at_mut(c);
            slices.push(a);
            rest = b;
        }
        crate::par::fill_windows(slices, &cuts, |out, a, b| {
            for (o, r) in out.iter_mut().zip(ranges(a, b)) {
                *o = (a + r.start) as u32;
            }
        });
    }
    bounds[total] = bytes.len() as u32;
    bounds
}

/// The size of the left subtree of a tree of `n >= 2` leaves: the largest power of two below `n`.
fn split_point(n: usize) -> usize {
    1 << (n - 1).ilog2()
}

/// The RFC 6962 tree over leaves `range`, in parallel: split at the largest power of two below
/// the leaf count (RFC 6962 §2.1) and recurse on both sides with `rayon::join` until `small`
/// says a subtree is small enough for `seq` to compute its root on one thread; combine with
/// `node`. The result is the sequential root whatever the pool size (generic so that tests can
/// check the tree's shape for thousands of sizes with a cheap combiner).
fn par_tree<T, Small, Seq, Node>(
    range: std::ops::Range<usize>,
    small: &Small,
    seq: &Seq,
    node: &Node,
) -> T
where
    T: Send,
    Small: Fn(std::ops::Range<usize>) -> bool + Sync,
    Seq: Fn(std::ops::Range<usize>) -> T + Sync,
    Node: Fn(T, T) -> T + Sync,
{
    let n = range.len();
    if n <= 1 || small(range.clone()) {
        return seq(range);
    }
    let mid = range.start + split_point(n);
    let (left, right) = crate::par::join(
        || par_tree(range.start..mid, small, seq, node),
        || par_tree(mid..range.end, small, seq, node),
    );
    node(left, right)
}

/// RFC 6962 root of the leaves `bytes[bounds[i]..bounds[i + 1]]`, subtrees of more than `grain`
/// bytes split across the rayon pool.
fn par_content_root(bytes: &[u8], bounds: &[u32], grain: usize) -> Hash {
    let n = bounds.len().saturating_sub(1);
    par_tree(
        0..n,
        &|r: std::ops::Range<usize>| (bounds[r.end] - bounds[r.start]) as usize <= grain,
        &|r: std::ops::Range<usize>| {
            let mut builder = RootBuilder::default();
            for i in r {
                builder.push(leaf_hash(
                    &bytes[bounds[i] as usize..bounds[i + 1] as usize],
                ));
            }
            builder.finish()
        },
        &|l: Hash, r: Hash| node_hash(&l, &r),
    )
}

/// RFC 6962 root of `leaves`, subtrees of more than `grain` leaves split across the rayon pool.
fn par_root_of(leaves: &[Hash], grain: usize) -> Hash {
    par_tree(
        0..leaves.len(),
        &|r: std::ops::Range<usize>| r.len() <= grain,
        &|r: std::ops::Range<usize>| {
            let mut builder = RootBuilder::default();
            for l in &leaves[r] {
                builder.push(*l);
            }
            builder.finish()
        },
        &|l: Hash, r: Hash| node_hash(&l, &r),
    )
}

/// Incremental RFC 6962 root: push leaf hashes, then finish. Allocation-free: the pending
/// subtrees have strictly decreasing sizes, so there are never more than 64 of them.
#[derive(Debug, Clone)]
pub struct RootBuilder {
    /// `stack[..len]`: roots of complete subtrees, `(level, root)` with `2^level` leaves each,
    /// levels strictly decreasing.
    stack: [(u32, Hash); MAX_PENDING],
    len: usize,
}

/// One pending subtree per possible level of a tree of fewer than `2^64` leaves, and one more.
const MAX_PENDING: usize = 65;

impl Default for RootBuilder {
    fn default() -> RootBuilder {
        RootBuilder {
            stack: [(0, [0u8; 32]); MAX_PENDING],
            len: 0,
        }
    }
}

impl RootBuilder {
    /// Add the next leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        self.push_subtree(0, leaf);
    }

    /// Add the root of a complete subtree of `2^level` leaves, the next ones in order. The
    /// number of leaves pushed so far must be a multiple of `2^level` (RFC 6962's tree is left
    /// balanced: such a subtree is then one of its nodes); otherwise the root is wrong.
    pub fn push_subtree(&mut self, level: u32, root: Hash) {
        let mut node = (level, root);
        while let Some(&(lvl, top)) = self.len.checked_sub(1).and_then(|i| self.stack.get(i)) {
            debug_assert!(lvl >= node.0);
            if lvl != node.0 {
                break;
            }
            node = (lvl + 1, node_hash(&top, &node.1));
            self.len -= 1;
        }
        // Levels strictly decrease up the stack, so it cannot be full here.
        if let Some(slot) = self.stack.get_mut(self.len) {
            *slot = node;
            self.len += 1;
        }
    }

    /// The root of all leaves pushed.
    pub fn finish(self) -> Hash {
        let mut pending = self.stack.iter().take(self.len).rev();
        let Some(&(_, mut acc)) = pending.next() else {
            return empty_root();
        };
        // Fold the smaller right-hand subtrees into the bigger left-hand ones.
        for (_, left) in pending {
            acc = node_hash(left, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests;
