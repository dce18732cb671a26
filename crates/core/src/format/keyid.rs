//! Key ids and fingerprints: how a public key is named in signature files, trust-store entries
//! and reports (FORMAT.md §4, §8.2), and the strict parse every key goes through.

use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

/// SHA-256 of the 32 raw public-key bytes.
pub fn fingerprint(public_key: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(public_key).into()
}

/// The OpenSSH fingerprint of an Ed25519 public key, exactly as `ssh-keygen -l` prints it:
/// `SHA256:` and the unpadded base64 of SHA-256 over the SSH wire encoding of the key
/// (`string "ssh-ed25519"`, `string key`).
pub fn ssh_fingerprint(public_key: &[u8; 32]) -> String {
    use base64::Engine as _;
    let mut wire = Vec::with_capacity(4 + 11 + 4 + 32);
    wire.extend_from_slice(&11u32.to_be_bytes());
    wire.extend_from_slice(b"ssh-ed25519");
    wire.extend_from_slice(&32u32.to_be_bytes());
    wire.extend_from_slice(public_key);
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(&wire))
    )
}

/// The first 16 lowercase hex characters of the [`fingerprint`].
pub fn key_id(public_key: &[u8; 32]) -> String {
    let fp = fingerprint(public_key);
    hex::encode(&fp[..8])
}

/// Parse a public key strictly, with the rules verification applies ([`crate::crypto::parse_public_key`]):
/// a point on the curve, canonically encoded, not of small order. A key that verification would
/// always refuse is refused when it enters a trust store (FORMAT.md §8.2, §10).
///
/// The error says what is wrong, for use in a message that names the file.
pub fn parse_public_key(public_key: &[u8; 32]) -> Result<VerifyingKey, String> {
    use crate::crypto::Rejection as R;
    crate::crypto::parse_public_key(public_key).map_err(|r| match r {
        R::WeakKey => {
            "public_key is a weak (small-order) Ed25519 key and cannot be trusted".to_string()
        }
        R::NonCanonicalKey => {
            "public_key is not the canonical encoding of its Ed25519 point".to_string()
        }
        _ => "public_key is not a valid Ed25519 public key (not a curve point)".to_string(),
    })
}

/// Decode exactly `N` bytes of lowercase hex.
pub fn decode_hex_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}
