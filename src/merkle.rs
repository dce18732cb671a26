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
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    h.finalize().into()
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

/// The leaf hashes of `part`, in order.
pub fn leaf_hashes(part: &str) -> Vec<Hash> {
    leaf_ranges(part)
        .map(|r| leaf_hash(&part.as_bytes()[r]))
        .collect()
}

/// The Merkle root over already-computed leaf hashes.
pub fn root_of(leaves: &[Hash]) -> Hash {
    if leaves.is_empty() {
        return empty_root();
    }
    // Bottom-up pairing, carrying an odd last node up unchanged, gives exactly RFC 6962's
    // left-balanced tree.
    let mut level: Vec<Hash> = leaves.to_vec();
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        for pair in level.chunks(2) {
            match pair {
                [l, r] => next.push(node_hash(l, r)),
                [single] => next.push(*single),
                _ => {}
            }
        }
        level = next;
    }
    level[0]
}

/// The Merkle root of `part`'s leaves, streaming: memory grows with the tree's height only.
pub fn content_root(part: &str) -> Hash {
    let mut builder = RootBuilder::default();
    for r in leaf_ranges(part) {
        builder.push(leaf_hash(&part.as_bytes()[r]));
    }
    builder.finish()
}

/// Incremental RFC 6962 root: push leaf hashes, then finish.
#[derive(Debug, Default, Clone)]
pub struct RootBuilder {
    /// `stack[i]` is the root of a full subtree of `2^levels[i]` leaves.
    stack: Vec<(u32, Hash)>,
}

impl RootBuilder {
    /// Add the next leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut node = (0u32, leaf);
        while let Some(&(lvl, ref top)) = self.stack.last() {
            if lvl != node.0 {
                break;
            }
            let merged = node_hash(top, &node.1);
            self.stack.pop();
            node = (lvl + 1, merged);
        }
        self.stack.push(node);
    }

    /// The root of all leaves pushed.
    pub fn finish(mut self) -> Hash {
        let Some((_, mut acc)) = self.stack.pop() else {
            return empty_root();
        };
        // Fold the smaller right-hand subtrees into the bigger left-hand ones.
        while let Some((_, left)) = self.stack.pop() {
            acc = node_hash(&left, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(s: &str) -> Vec<&str> {
        leaf_ranges(s).map(|r| &s[r]).collect()
    }

    #[test]
    fn leaves_attach_the_following_blank_line() {
        assert_eq!(ranges("A\n\nB\nC\n"), vec!["A\n\n", "B\n", "C\n"]);
        assert_eq!(ranges("Enclosure"), vec!["Enclosure"]);
        assert_eq!(ranges("x\n\n**R**\n"), vec!["x\n\n", "**R**\n"]);
        assert_eq!(ranges(""), Vec::<&str>::new());
        assert_eq!(ranges("\nB\n"), vec!["\nB\n"]);
        assert_eq!(ranges("A\nB"), vec!["A\n", "B"]);
    }

    /// RFC 6962 §2.1 definition, recursively, as the reference.
    fn mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let mut k = 1;
                while k * 2 < n {
                    k *= 2;
                }
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_match_the_rfc_definition() {
        for n in 0..40usize {
            let leaves: Vec<Hash> = (0..n).map(|i| leaf_hash(&[i as u8])).collect();
            let want = mth(&leaves);
            assert_eq!(root_of(&leaves), want, "n={n}");
            let mut b = RootBuilder::default();
            for l in &leaves {
                b.push(*l);
            }
            assert_eq!(b.finish(), want, "builder n={n}");
        }
    }

    #[test]
    fn rfc6962_empty_and_single_leaf() {
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // RFC 6962 test vector: leaf hash of the empty string.
        assert_eq!(
            hex::encode(leaf_hash(b"")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }
}
