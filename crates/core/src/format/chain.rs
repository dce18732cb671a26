//! Chain digests, signature-set digests and the exact bytes a signature covers.
//!
//! A transmittal chain is a sequence of layers, outermost first. In the canonical text of a
//! document, every layer is a *suffix*: the publication header (if any), then layer 0's own text,
//! then the container markers of layer 1 (its "Annex" heading, "[Original: English]", added by
//! layer 0's author), then layer 1's own text, and so on; the innermost layer runs to the end of the
//! text. Measuring the parts from the end makes the layout stable under exactly what the real world
//! does: wrapping a signed document in a new cover letter and prepending a publication header change
//! nothing about the parts beneath.
//!
//! The digests (all text, LF-terminated lines, SHA-256; `docs/FORMAT.md` §4-§5):
//!
//! * the **chain digest** of a layer covers the profile, its own content root, the markers it adds
//!   around the layer beneath and the chain digest of that layer: it is the digest of the layer and
//!   everything beneath it as text;
//! * the **signature-set digest** of a layer covers the signatures on it;
//! * a **statement** is what a signer signs: the context string `transmittal-signature-v1`, the
//!   profile, the layer's content root, the markers root and chain digest of the layer beneath, the
//!   signature-set digest of that layer (an outer signer attests to the inner signatures they saw),
//!   the commitment, the signatory, the signer's id and public key, the letter date and the signing
//!   date.
//!
//! This module never imports the parser: what is hashed and signed does not depend on heuristics.

use crate::format::dates::{Date, Iso};
use crate::format::merkle::Hash;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The context string that begins every signed message (first line of a statement).
pub const SIGNATURE_CONTEXT: &str = "transmittal-signature-v1";
/// The first line of the text whose SHA-256 is a chain digest.
pub const CHAIN_CONTEXT: &str = "transmittal-chain-v1";
/// The first line of the text whose SHA-256 is a signature-set digest.
pub const SIGNATURE_SET_CONTEXT: &str = "transmittal-signature-set-v1";

/// What a layer is, by the container heading word that introduces it, else by depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    /// The outermost letter.
    Cover,
    /// Introduced by "Annex" (or depth 1 without a heading word).
    Annex,
    /// Introduced by "Enclosure" (or depth 2 and deeper without a heading word).
    Enclosure,
    /// Introduced by "Appendix".
    Appendix,
}

impl LayerKind {
    /// The lower-case name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LayerKind::Cover => "cover",
            LayerKind::Annex => "annex",
            LayerKind::Enclosure => "enclosure",
            LayerKind::Appendix => "appendix",
        }
    }

    /// The kind implied by nesting depth alone.
    pub fn by_depth(index: usize) -> LayerKind {
        match index {
            0 => LayerKind::Cover,
            1 => LayerKind::Annex,
            _ => LayerKind::Enclosure,
        }
    }

    /// The kind of layer `index` whose container markers are `markers` (FORMAT.md §3.3): `cover`
    /// for layer 0; else the heading word the markers begin with (`Annex`, `Enclosure`,
    /// `Appendix`, any case, after Markdown emphasis and `#`), else by depth.
    pub fn from_markers(index: usize, markers: &str) -> LayerKind {
        if index == 0 {
            return LayerKind::Cover;
        }
        let t = markers
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#' | '`'));
        let word: String = t
            .chars()
            .take_while(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        match word.as_str() {
            "annex" => LayerKind::Annex,
            "enclosure" => LayerKind::Enclosure,
            "appendix" => LayerKind::Appendix,
            _ => LayerKind::by_depth(index),
        }
    }
}

impl std::fmt::Display for LayerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signer's declared commitment to what lies beneath their layer (docs/FORMAT.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Commitment {
    /// Vouches for the layers beneath as well as their own text.
    Endorses,
    /// Forwards the layers beneath exactly as received, without vouching for their content.
    Transmits,
}

impl Commitment {
    /// The word used in statements and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::Endorses => "endorses",
            Commitment::Transmits => "transmits",
        }
    }
}

impl std::fmt::Display for Commitment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lower-case hex of some bytes, written straight into the output: statements and digests are
/// built for every signature of every document an audit reads, so no `String` per field.
struct Hex<'a>(&'a [u8]);

impl std::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = [0u8; 128];
        for chunk in self.0.chunks(64) {
            let out = buf.get_mut(..chunk.len() * 2).ok_or(std::fmt::Error)?;
            hex::encode_to_slice(chunk, out).map_err(|_| std::fmt::Error)?;
            f.write_str(std::str::from_utf8(out).map_err(|_| std::fmt::Error)?)?;
        }
        Ok(())
    }
}

/// A hash in hex, or `none`.
struct OptHex<'a>(Option<&'a Hash>);

impl std::fmt::Display for OptHex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(h) => Hex(h).fmt(f),
            None => f.write_str("none"),
        }
    }
}

/// A date as `YYYY-MM-DD`, or `none`.
struct OptDate(Option<Date>);

impl std::fmt::Display for OptDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(d) => Iso(d).fmt(f),
            None => f.write_str("none"),
        }
    }
}

/// What lies beneath a layer, as its chain digest sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beneath {
    /// Merkle root of the container markers this layer adds around the layer beneath.
    pub markers: Hash,
    /// Chain digest of the layer beneath.
    pub chain: Hash,
}

/// The text whose SHA-256 is the chain digest (FORMAT.md §4.2).
pub fn chain_preimage(profile: &str, content: &Hash, beneath: Option<&Beneath>) -> String {
    let mut s = String::with_capacity(260);
    let _ = write!(
        s,
        "{CHAIN_CONTEXT}\nprofile {profile}\ncontent {}\nmarkers {}\nbeneath {}\n",
        Hex(content),
        OptHex(beneath.map(|b| &b.markers)),
        OptHex(beneath.map(|b| &b.chain)),
    );
    s
}

/// The chain digest of a layer: its content root, the markers it adds and the chain beneath.
pub fn chain_digest(profile: &str, content: &Hash, beneath: Option<&Beneath>) -> Hash {
    Sha256::digest(chain_preimage(profile, content, beneath).as_bytes()).into()
}

/// One signature as it enters a signature-set digest.
#[derive(Debug, Clone, Copy)]
pub struct SetMember<'a> {
    /// The statement bytes that were signed.
    pub statement: &'a [u8],
    /// The 64-byte signature.
    pub signature: &'a [u8; 64],
}

/// The signature-set digest of a layer's signatures (FORMAT.md §4.3). The order of the members
/// does not matter: they are sorted by signature bytes.
pub fn signature_set_digest(members: &[SetMember<'_>]) -> Hash {
    let mut sorted: Vec<&SetMember<'_>> = members.iter().collect();
    sorted.sort_by(|a, b| a.signature.cmp(b.signature));
    let mut s = String::with_capacity(40 + members.len() * 220);
    let _ = write!(s, "{SIGNATURE_SET_CONTEXT}\ncount {}\n", sorted.len());
    for m in sorted {
        let _ = write!(
            s,
            "signature {}\nstatement {}\n",
            Hex(m.signature),
            Hex(&Sha256::digest(m.statement))
        );
    }
    Sha256::digest(s.as_bytes()).into()
}

/// Everything a signature covers (FORMAT.md §5). [`Statement::to_bytes`] gives the exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Canonical text profile.
    pub profile: String,
    /// Merkle root of the layer's own canonical content.
    pub content: Hash,
    /// The markers around and the chain digest of the layer beneath; `None` for the innermost.
    pub beneath: Option<Beneath>,
    /// Signature-set digest of the layer beneath; `None` for the innermost.
    pub beneath_signatures: Option<Hash>,
    /// The signer's commitment to what lies beneath.
    pub commitment: Commitment,
    /// The name on the layer's "(Signed)" line that this signature claims, as displayed.
    pub signatory: String,
    /// The signer's trust-store id.
    pub signer: String,
    /// The signer's Ed25519 public key.
    pub public_key: [u8; 32],
    /// The layer's letter date, if the text gives one.
    pub letter_date: Option<Date>,
    /// The date the signer declares as the signing date.
    pub signed_on: Date,
}

impl Statement {
    /// The exact bytes that are signed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = String::with_capacity(640);
        let _ = write!(
            s,
            "{SIGNATURE_CONTEXT}\nprofile {}\ncontent {}\nmarkers {}\nbeneath {}\nbeneath-signatures {}\ncommitment {}\nsignatory {}\nsigner {}\nkey {}\nletter-date {}\nsigned-on {}\n",
            self.profile,
            Hex(&self.content),
            OptHex(self.beneath.as_ref().map(|b| &b.markers)),
            OptHex(self.beneath.as_ref().map(|b| &b.chain)),
            OptHex(self.beneath_signatures.as_ref()),
            self.commitment,
            self.signatory,
            self.signer,
            Hex(&self.public_key),
            OptDate(self.letter_date),
            Iso(self.signed_on),
        );
        s.into_bytes()
    }

    /// The chain digest of the layer this statement signs.
    pub fn chain(&self) -> Hash {
        chain_digest(&self.profile, &self.content, self.beneath.as_ref())
    }
}

/// True when `s` can stand in a statement line: no control characters, not empty, at most 200
/// characters, no leading or trailing white space.
pub fn valid_statement_text(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 200
        && s.trim() == s
        && !s
            .chars()
            .any(|c| c.is_control() || crate::format::canonical::invisible_class(c).is_some())
}

/// True when `id` is a valid trust-store id: 1-64 of `a-z 0-9 . _ -`, starting with a letter or
/// digit.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

/// Lengths of one layer's parts in canonical bytes, as a signature file records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartLengths {
    /// Bytes of the container markers before the layer (0 for layer 0).
    pub markers: u64,
    /// Bytes of the layer's own content.
    pub content: u64,
}

/// Where each layer's parts lie in canonical text, computed from the end (FORMAT.md §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// End of the publication header = start of layer 0.
    pub header_end: usize,
    /// For each layer: `(markers start, content start, content end)`.
    pub layers: Vec<(usize, usize, usize)>,
}

/// Lay out `parts` (outermost first) against a canonical text of `text_len` bytes, from the end.
/// `None` when the parts do not fit (longer than the text, or a boundary is not a character
/// boundary of `text`).
pub fn layout_from_end(text: &str, parts: &[PartLengths]) -> Option<Layout> {
    let mut end = text.len();
    let mut layers = vec![(0, 0, 0); parts.len()];
    for (i, p) in parts.iter().enumerate().rev() {
        let content = usize::try_from(p.content).ok()?;
        let markers = usize::try_from(p.markers).ok()?;
        let content_start = end.checked_sub(content)?;
        let start = content_start.checked_sub(markers)?;
        if !text.is_char_boundary(content_start) || !text.is_char_boundary(start) {
            return None;
        }
        layers[i] = (start, content_start, end);
        end = start;
    }
    Some(Layout {
        header_end: end,
        layers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_markers() {
        assert_eq!(LayerKind::from_markers(0, "Annex\n\n"), LayerKind::Cover);
        assert_eq!(
            LayerKind::from_markers(1, "Annex\n\n[Original: English]\n\n"),
            LayerKind::Annex
        );
        assert_eq!(
            LayerKind::from_markers(2, "Enclosure"),
            LayerKind::Enclosure
        );
        assert_eq!(
            LayerKind::from_markers(1, "**Appendix I**\n"),
            LayerKind::Appendix
        );
        assert_eq!(LayerKind::from_markers(1, ""), LayerKind::Annex);
        assert_eq!(
            LayerKind::from_markers(3, "Annexed letter"),
            LayerKind::Enclosure
        );
    }

    #[test]
    fn layout_counts_from_the_end() {
        let text = "HEADER\nCOVER\nAnnex\nINNER\n";
        let parts = [
            PartLengths {
                markers: 0,
                content: 6,
            },
            PartLengths {
                markers: 6,
                content: 6,
            },
        ];
        let l = layout_from_end(text, &parts).unwrap();
        assert_eq!(l.header_end, 7);
        assert_eq!(&text[l.layers[1].1..l.layers[1].2], "INNER\n");
        assert_eq!(&text[l.layers[1].0..l.layers[1].1], "Annex\n");
        assert!(layout_from_end(
            text,
            &[PartLengths {
                markers: 0,
                content: 99
            }]
        )
        .is_none());
        assert!(layout_from_end(
            text,
            &[PartLengths {
                markers: u64::MAX,
                content: 1
            }]
        )
        .is_none());
    }

    #[test]
    fn statement_bytes_are_stable() {
        let st = Statement {
            profile: "transmittal-text-v1".into(),
            content: [1; 32],
            beneath: None,
            beneath_signatures: None,
            commitment: Commitment::Endorses,
            signatory: "Jens Stoltenberg".into(),
            signer: "stoltenberg".into(),
            public_key: [2; 32],
            letter_date: None,
            signed_on: crate::format::dates::parse_iso("2017-10-18").unwrap(),
        };
        let b = String::from_utf8(st.to_bytes()).unwrap();
        assert!(b.starts_with("transmittal-signature-v1\nprofile transmittal-text-v1\n"));
        assert!(b.contains("\nbeneath none\nbeneath-signatures none\ncommitment endorses\n"));
        assert!(b.ends_with("letter-date none\nsigned-on 2017-10-18\n"));
    }

    #[test]
    fn set_digest_ignores_order() {
        let (s1, s2) = ([1u8; 64], [2u8; 64]);
        let a = [
            SetMember {
                statement: b"a",
                signature: &s1,
            },
            SetMember {
                statement: b"b",
                signature: &s2,
            },
        ];
        let b = [a[1], a[0]];
        assert_eq!(signature_set_digest(&a), signature_set_digest(&b));
        assert_ne!(signature_set_digest(&a), signature_set_digest(&a[..1]));
    }
}
