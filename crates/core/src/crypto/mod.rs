//! Ed25519 signing and **strict** verification: the one place in the crate where signatures are
//! made and checked (docs/SECURITY.md, "Standard test vectors").
//!
//! # Why strict verification
//!
//! Ed25519 as deployed accepts different sets of signatures in different libraries (Chalkias,
//! Garillot, Nikolaenko, *Taming the many `EdDSAs`*, 2020). The differences come from corner cases an
//! honest signer never produces but an attacker, or a malicious signer, can:
//!
//! * **Small-order public keys** ("weak keys"). A key `A` of order at most 8 "verifies" a forged
//!   signature on a large share of all messages, and says nothing about who signed. Refused.
//! * **Non-canonical encodings.** A point has one canonical 32-byte encoding (RFC 8032 §5.1.2); an
//!   encoding with `y ≥ p`, or with the sign bit set on `x = 0`, is a second spelling of a point.
//!   A second spelling of a key or of `R` changes the hash `H(R ‖ A ‖ M)` and so makes signatures
//!   malleable, and libraries disagree on whether to accept it. Refused, for keys and for `R`.
//! * **`S ≥ L`.** `S` and `S + L` satisfy the same equation; accepting both makes every signature
//!   malleable (RFC 8032 §5.1.7 requires `0 ≤ S < L`). Refused.
//! * **Small-order `R`.** Together with a weak key it lets a forger pick `S = 0`. Refused.
//! * **Cofactored vs cofactorless equation.** The cofactored equation `[8]R = [8]([S]B − [k]A)`
//!   ignores any small-order component of `R − [S]B + [k]A`; the cofactorless one,
//!   `R = [S]B − [k]A`, does not. A signer holding a key can therefore craft signatures that one
//!   verifier accepts and another rejects. We use the cofactorless equation, as ed25519-dalek's
//!   `verify_strict` does.
//!
//! The result is one answer for every input, the same on every run and in every code path
//! ([`verify_strict`] for one signature, [`verify_many`] for audits), and a precise
//! [`Rejection`] reason for every refusal.
//!
//! # What decides
//!
//! The accept/reject decision on a signature is ed25519-dalek's `VerifyingKey::verify_strict`,
//! plus **one** check of our own: the key must be canonically encoded. dalek refuses small-order
//! keys and non-canonical or small-order `R` (and `S ≥ L`), but it decodes a key leniently and
//! accepts a non-canonical encoding `y + p` of one of the few keys of large order with `y < 19`;
//! RFC 8032 §5.1.3 says decoding must fail there, so we refuse it ([`Rejection::NonCanonicalKey`]).
//! No honest key is spelled that way. So the set of signatures accepted here is the set dalek's
//! `verify_strict` accepts, minus keys that are spelled non-canonically. On every public test
//! vector set (Wycheproof, speccheck, CCTV, RFC 8032, djb) the answers are identical; see
//! `docs/SECURITY.md`.
//!
//! # Order of the checks
//!
//! [`verify_strict`] checks, in this order, and reports the first failure:
//!
//! 1. lengths: key 32 bytes ([`Rejection::WrongKeyLength`]), signature 64 bytes
//!    ([`Rejection::WrongSignatureLength`]);
//! 2. the key `A`: decodes to a curve point ([`Rejection::InvalidKey`]), is canonically encoded
//!    ([`Rejection::NonCanonicalKey`]), is not of small order ([`Rejection::WeakKey`]);
//! 3. `S < L` ([`Rejection::NonCanonicalS`]);
//! 4. `R`: decodes to a curve point ([`Rejection::InvalidR`]), is canonically encoded
//!    ([`Rejection::NonCanonicalR`]), is not of small order ([`Rejection::SmallOrderR`]);
//! 5. ed25519-dalek's `VerifyingKey::verify_strict` ([`Rejection::BadSignature`]).
//!
//! Steps 3–4 only name the reason: each is a check dalek's `verify_strict` makes as well, so
//! after them the only way left for dalek to refuse is its equation, the cofactorless
//! `R = [S]B − [k]A` compared on the bytes of `R`. For the same reason an acceptance by dalek
//! implies that steps 3–4 pass, so [`verify_strict`] asks dalek right after step 2 and runs
//! steps 3–4 only for a refusal, to name it (the answers are the same; a valid signature's `R` is
//! decoded once). The checks use
//! curve25519-dalek's own tests, no constants of ours: a point encoding is canonical when it
//! survives `decompress` then `compress` unchanged (`is_canonical_encoding`), a scalar when
//! `Scalar::from_canonical_bytes` accepts it, and small order is `EdwardsPoint::is_small_order`.
//!
//! # Batches
//!
//! [`verify_many`] (in `batch.rs`) gives, for every item, exactly what [`verify_strict`] gives, on
//! every input including a malicious signer's; the proof is that module's documentation.

#[cfg(any(test, feature = "adversarial"))]
pub mod adversarial;
mod batch;
#[cfg(test)]
mod tests;

pub use batch::{verify_many, verify_many_with_entropy, BATCH_CHUNK, NO_ENTROPY};

use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Length of an Ed25519 public key, in bytes.
pub const PUBLIC_KEY_LENGTH: usize = 32;

/// Length of an Ed25519 signature, in bytes.
pub const SIGNATURE_LENGTH: usize = 64;

/// Why a signature was rejected.
///
/// The variants are listed in the order [`verify_strict`] checks them; the first failing check
/// is the one reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// The public key is not 32 bytes long.
    #[error("the public key is not 32 bytes long")]
    WrongKeyLength,
    /// The signature is not 64 bytes long.
    #[error("the signature is not 64 bytes long")]
    WrongSignatureLength,
    /// The public key bytes are not the encoding of any point on the curve.
    #[error("the public key is not a valid Ed25519 public key (not a point on the curve)")]
    InvalidKey,
    /// The public key is a point on the curve, but not in its one canonical encoding.
    #[error("the public key is written in a non-canonical encoding; it is refused so that each key has exactly one spelling")]
    NonCanonicalKey,
    /// The public key is a point of small order (at most 8), which proves nothing about a signer.
    #[error("the public key is a weak (small-order) key that would accept forged signatures; it is refused")]
    WeakKey,
    /// The signature's `S` half is not reduced (`S ≥ L`): a malleable copy of another signature.
    #[error("the signature's S value is not reduced (S is at least the group order L); this is a tampered or malleated signature")]
    NonCanonicalS,
    /// The signature's `R` half is not the encoding of any point on the curve.
    #[error("the signature's R value is not a point on the curve")]
    InvalidR,
    /// The signature's `R` half is a point, but not in its one canonical encoding.
    #[error("the signature's R value is written in a non-canonical encoding; this is a malleated signature")]
    NonCanonicalR,
    /// The signature's `R` half is a point of small order (at most 8).
    #[error("the signature's R value is a small-order point, which no honest signer produces")]
    SmallOrderR,
    /// Everything is well formed, but the signature does not match this key and message.
    #[error("the signature does not match this message and public key")]
    BadSignature,
}

impl Rejection {
    /// A stable, machine-readable name for the reason (`snake_case`), for JSON reports.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Rejection::WrongKeyLength => "wrong_key_length",
            Rejection::WrongSignatureLength => "wrong_signature_length",
            Rejection::InvalidKey => "invalid_key",
            Rejection::NonCanonicalKey => "non_canonical_key",
            Rejection::WeakKey => "weak_key",
            Rejection::NonCanonicalS => "non_canonical_s",
            Rejection::InvalidR => "invalid_r",
            Rejection::NonCanonicalR => "non_canonical_r",
            Rejection::SmallOrderR => "small_order_r",
            Rejection::BadSignature => "bad_signature",
        }
    }
}

/// One signature to check with [`verify_many`].
#[derive(Debug, Clone, Copy)]
pub struct BatchItem<'a> {
    /// The signer's public key, as stored (not yet decoded).
    pub public_key: &'a [u8; 32],
    /// The exact signed message.
    pub message: &'a [u8],
    /// The signature, `R ‖ S`.
    pub signature: &'a [u8; 64],
}

/// Decode and check a public key with the strict rules: 32 bytes, a point on the curve,
/// canonically encoded, not of small order.
///
/// Use this to validate a key when it is imported into a trust store, so that a key
/// [`verify_strict`] would always refuse is refused up front, with the same reason.
///
/// # Errors
///
/// [`Rejection::WrongKeyLength`], [`Rejection::InvalidKey`], [`Rejection::NonCanonicalKey`] or
/// [`Rejection::WeakKey`].
pub fn parse_public_key(public_key: &[u8]) -> Result<VerifyingKey, Rejection> {
    let bytes: &[u8; PUBLIC_KEY_LENGTH] = public_key
        .try_into()
        .map_err(|_| Rejection::WrongKeyLength)?;
    check_key(bytes)
}

/// Verify an Ed25519 signature with strict rules (see the [module documentation](self)).
///
/// Returns `Ok(())` only for a well-formed signature, by a canonical key that is not of small
/// order, with canonical `R` not of small order and `S < L`, that satisfies the cofactorless
/// equation: exactly when ed25519-dalek's `verify_strict` accepts it and the key is canonically
/// encoded. Never panics, whatever the input.
///
/// # Errors
///
/// The first failed check, as a [`Rejection`], in the order the variants are listed.
pub fn verify_strict(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Rejection> {
    let key_bytes: &[u8; PUBLIC_KEY_LENGTH] = public_key
        .try_into()
        .map_err(|_| Rejection::WrongKeyLength)?;
    let signature_bytes: &[u8; SIGNATURE_LENGTH] = signature
        .try_into()
        .map_err(|_| Rejection::WrongSignatureLength)?;
    let key = check_key(key_bytes)?;
    // dalek decides. Its acceptance implies steps 3 and 4 pass (each is a check it makes), so
    // only a refusal needs them, to name its reason: a valid signature decodes `R` once.
    if key
        .verify_strict(message, &Signature::from_bytes(signature_bytes))
        .is_ok()
    {
        return Ok(());
    }
    let checked = check_signature(signature_bytes)?;
    dalek_verify_strict(&key, message, &checked.signature)
}

/// Sign `message` with `key` (deterministic Ed25519, RFC 8032). The result always passes
/// [`verify_strict`] with the key's public half.
#[must_use]
pub fn sign(key: &SigningKey, message: &[u8]) -> [u8; 64] {
    key.sign(message).to_bytes()
}

/// A signature whose encodings passed the strict checks (steps 3 and 4); only the equation
/// remains.
struct CheckedSignature {
    signature: Signature,
    /// `R`, decoded (canonical, not of small order).
    r: EdwardsPoint,
    /// `S`, canonical (`S < L`).
    s: Scalar,
}

/// Step 2: the key decodes, is canonically encoded, and is not of small order.
fn check_key(bytes: &[u8; PUBLIC_KEY_LENGTH]) -> Result<VerifyingKey, Rejection> {
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| Rejection::InvalidKey)?;
    let point = key.to_edwards();
    let small_order = point.is_small_order();
    if !is_canonical_encoding(bytes, &point, small_order) {
        return Err(Rejection::NonCanonicalKey);
    }
    if small_order {
        return Err(Rejection::WeakKey);
    }
    Ok(key)
}

/// Steps 3 and 4: `S < L`; `R` decodes, is canonically encoded and is not of small order.
fn check_signature(bytes: &[u8; SIGNATURE_LENGTH]) -> Result<CheckedSignature, Rejection> {
    let signature = Signature::from_bytes(bytes);
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(*signature.s_bytes()))
        .ok_or(Rejection::NonCanonicalS)?;
    let r_bytes = signature.r_bytes();
    let r = CompressedEdwardsY(*r_bytes)
        .decompress()
        .ok_or(Rejection::InvalidR)?;
    let small_order = r.is_small_order();
    if !is_canonical_encoding(r_bytes, &r, small_order) {
        return Err(Rejection::NonCanonicalR);
    }
    if small_order {
        return Err(Rejection::SmallOrderR);
    }
    Ok(CheckedSignature { signature, r, s })
}

/// Step 5, for a key and signature that passed steps 2–4: ed25519-dalek's `verify_strict`.
/// After those checks its only way to refuse is its equation (`R` decodes and is not of small
/// order, `A` is not of small order, `S < L`), so every refusal is [`Rejection::BadSignature`].
fn dalek_verify_strict(
    key: &VerifyingKey,
    message: &[u8],
    signature: &Signature,
) -> Result<(), Rejection> {
    key.verify_strict(message, signature)
        .map_err(|_| Rejection::BadSignature)
}

/// Whether `bytes`, which decode to `point`, are the canonical encoding of `point`
/// (RFC 8032 §5.1.2–5.1.3): the decompress-then-compress round trip, `point.compress() == bytes`.
/// `small_order` is `point.is_small_order()`, which the caller needs as well.
///
/// `compress` costs a field inversion, as much as a tenth of a batched verification, and `R` is
/// checked for every signature; so the round trip is skipped where it cannot fail. An encoding
/// is the 255-bit `y` plus the sign bit of `x`; the round trip changes it only when
/// `y ≥ p = 2²⁵⁵ − 19` (then `y` is reduced) or when `x = 0` with the sign bit set (then the bit
/// is cleared). `y ≥ 2²⁵⁵ − 19 > 2²⁵⁵ − 2²⁴⁸` sets all of bits 248–254 of `y`, that is
/// `bytes[31] & 0x7f == 0x7f`; and `x = 0` means `y² = 1`, the points `(0, 1)` and `(0, −1)`,
/// of order 1 and 2, so `small_order`. Any other encoding is canonical, which the test
/// `canonical_encoding_check_is_the_round_trip` confirms on every encoding that can fail and on
/// random ones.
fn is_canonical_encoding(bytes: &[u8; 32], point: &EdwardsPoint, small_order: bool) -> bool {
    let may_differ = bytes[31] & 0x7f == 0x7f || small_order;
    !may_differ || point.compress().as_bytes() == bytes
}
