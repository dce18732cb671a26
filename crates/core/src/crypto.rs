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
//!   verifier accepts and another rejects. We use the cofactorless equation, compared on the bytes
//!   of `R`, as ed25519-dalek's `verify_strict` does.
//!
//! The result is one answer for every input, the same on every run and in every code path
//! ([`verify_strict`] for one signature, [`verify_many`] for audits), and a precise
//! [`Rejection`] reason for every refusal.
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
//! 5. the cofactorless equation `R = [S]B − [k]A` ([`Rejection::BadSignature`]), computed as
//!    ed25519-dalek's `VerifyingKey::verify_strict` computes it (same hash, same double-scalar
//!    multiplication) but compared as points with the `R` decoded in step 4, not re-decoded and
//!    compared as bytes (the same test, since `R` is canonical; a unit test compares the two).
//!
//! Steps 2–4 are exactly the checks ed25519-dalek's `verify_strict` makes, plus one more: dalek
//! does not reject a non-canonical encoding of a key that is **not** of small order (encodings
//! `y + p` of the ten or so points with `y < 19`; RFC 8032 §5.1.3 says decoding must fail).
//! So the set of signatures accepted here is the set dalek `verify_strict` accepts, minus keys that
//! are spelled non-canonically. No honest key is spelled that way. On every public test vector set
//! (Wycheproof, speccheck, CCTV, RFC 8032, djb) the answers are identical; see `docs/SECURITY.md`.
//!
//! # Batch verification that gives exactly the strict answer
//!
//! [`verify_many`] gives, for item *i*, exactly what [`verify_strict`] gives for it (same `Ok`, same
//! [`Rejection`]). It is built so that this holds for every input, not only for honest ones:
//!
//! 1. **Pre-checks.** Every item goes through steps 2–4 above, the same code as
//!    [`verify_strict`]. ed25519-dalek's `verify_batch` checks none of them except `S < L` and
//!    "`R` decodes": it takes keys as already-decoded `VerifyingKey`s (which accept weak and
//!    non-canonical keys), it decompresses `R` leniently (non-canonical `R` is accepted and hashed
//!    as given), and it never looks for small order.
//! 2. **Torsion routing.** `verify_batch` checks one random linear combination
//!    `Σ zᵢ·(Rᵢ + [kᵢ]Aᵢ − [Sᵢ]B) = 0` with 128-bit `zᵢ`. For the prime-order part of each term this
//!    is sound (a wrong term survives with probability about 2⁻¹²⁸). For a small-order part it is
//!    not: a term `T` of order 2 vanishes whenever `zᵢ` is even, and terms of several items can
//!    cancel each other. That is how speccheck cases 4 and 5 and CCTV's `low_order_residue`
//!    vectors pass a batch but fail the cofactorless equation. The residue can only be non-zero if
//!    `Aᵢ` or `Rᵢ` has a small-order component (`B` has none). So an item goes into a batch only if
//!    both `Aᵢ` and `Rᵢ` are torsion-free (`[L]P = 0`); any other item is answered by the strict
//!    equation on its own. For batched items the cofactored and cofactorless equations coincide.
//!    Keys are tested once each. The `Rᵢ` of a call with at least `SCREEN_MIN` candidates are
//!    tested together by a *torsion screen* (`all_torsion_free`): 128 random subset sums, each
//!    tested for a small-order component, which a small-order component anywhere escapes with
//!    probability at most 2⁻¹²⁸ and which never rejects torsion-free points; if the screen fails,
//!    every `Rᵢ` is tested on its own, so the screen only decides how fast the answer comes, and
//!    a signature with a residue is still answered by the strict equation.
//! 3. **Batches and fallback.** The rest are checked with ed25519-dalek's batch equation (the
//!    one `ed25519_dalek::verify_batch` checks, written out here with curve25519-dalek's
//!    multiscalar multiplication so that `R` is decoded once and the terms of one key are
//!    gathered into one: see `batch_equation`) in chunks of [`BATCH_CHUNK`]. If a chunk passes,
//!    every item in it is `Ok` (step 2 makes that exactly the strict answer, up to the 2⁻¹²⁸
//!    soundness bound). If a chunk fails, its halves are checked the same way, down to a few
//!    items, which get the strict equation one by one (`check_batch`), so each bad signature is
//!    named by the strict equation and the good ones are still accepted. A chunk of
//!    strictly valid signatures with torsion-free keys always passes (every term is zero), so a
//!    batch costs one equation, not a fallback, in the normal case. (With a mixed-order key even
//!    a strictly valid signature can fail a batch, because the key's weight `zᵢ·kᵢ` is reduced
//!    mod `L`, which changes its small-order part: a second reason why such items never go into a
//!    batch.)
//!
//! **Randomness.** The weights `zᵢ` are 128 bits of a SHA-512 of a seed that hashes 32 bytes of
//! operating-system randomness together with `kᵢ = H(Rᵢ ‖ Aᵢ ‖ Mᵢ)`, `Sᵢ` and `Rᵢ` of every item
//! (dalek's transcript binds the same inputs). An attacker who wants a bad batch to pass must
//! guess weights that cancel a prime-order error, a 2⁻¹²⁸ chance; small-order errors, which need
//! no such luck, never reach a batch (step 2). Whatever the weights, a batch of good signatures
//! passes and a bad signature is always named by the strict fallback, so the answers are the same
//! on every run.
//!
//! **Cost.** A torsion test is a scalar multiplication (variable time, as the points are public),
//! as costly as the rest of a batched verification; the screen brings it from one per signature
//! to about 35 point additions per signature plus 128 tests per call. Batching also saves by
//! decoding `R` once, gathering the key terms, and sharing the doublings of the multiscalar
//! multiplication. Figures are in `docs/PERFORMANCE.md` (`examples/raw_verify.rs`
//! measures every variant on the same files). Keys are decoded and tested once per distinct key
//! per call. Throughput also comes from spreading calls over threads.

use std::collections::HashMap;

use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Length of an Ed25519 public key, in bytes.
pub const PUBLIC_KEY_LENGTH: usize = 32;

/// Length of an Ed25519 signature, in bytes.
pub const SIGNATURE_LENGTH: usize = 64;

/// How many signatures [`verify_many`] checks with one batch equation.
pub const BATCH_CHUNK: usize = 256;

/// The order `L = 2^252 + 27742317777372353535851937790883648493` of the prime-order subgroup,
/// little-endian.
const GROUP_ORDER_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// The field prime `p = 2^255 - 19`, little-endian.
const FIELD_PRIME_P: [u8; 32] = [
    0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
];

/// The field element `1`, little-endian.
const FIELD_ONE: [u8; 32] = [
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// The field element `p - 1 = -1`, little-endian.
const FIELD_MINUS_ONE: [u8; 32] = [
    0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
];

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
/// equation. Never panics, whatever the input.
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
    let checked = check_signature(signature_bytes)?;
    equation(&key, message, &checked.signature, &checked.r.to_edwards())
}

/// Verify many signatures at once; result `i` is exactly what [`verify_strict`] would answer for
/// item `i`.
///
/// Valid signatures are confirmed in batches; a batch that fails is re-checked one by one, so every
/// bad signature is named with its own [`Rejection`]. See the [module documentation](self) for why
/// the answers agree with [`verify_strict`] also on adversarial inputs. Never panics.
#[must_use]
pub fn verify_many(items: &[BatchItem<'_>]) -> Vec<Result<(), Rejection>> {
    // Fail closed: a slot that is somehow never written stays a rejection.
    let mut results: Vec<Result<(), Rejection>> = vec![Err(Rejection::BadSignature); items.len()];
    let mut keys: HashMap<[u8; PUBLIC_KEY_LENGTH], KeyEntry> = HashMap::new();
    let mut candidates: Vec<Pending<'_>> = Vec::with_capacity(items.len());

    for (index, (item, slot)) in items.iter().zip(results.iter_mut()).enumerate() {
        let entry = keys.entry(*item.public_key).or_insert_with(|| KeyEntry {
            checked: check_key(item.public_key),
            torsion_free: None,
        });
        let key = match entry.checked {
            Ok(key) => key,
            Err(rejection) => {
                *slot = Err(rejection);
                continue;
            }
        };
        let checked = match check_signature(item.signature) {
            Ok(checked) => checked,
            Err(rejection) => {
                *slot = Err(rejection);
                continue;
            }
        };
        let key_torsion_free = *entry
            .torsion_free
            .get_or_insert_with(|| torsion_free(&key.to_edwards()));
        if key_torsion_free {
            candidates.push(Pending {
                index,
                key,
                message: item.message,
                signature: checked.signature,
                r: checked.r.to_edwards(),
            });
        } else {
            // A small-order component in A: the batch equation could cancel it, so this item
            // gets the cofactorless equation on its own.
            *slot = equation(
                &key,
                item.message,
                &checked.signature,
                &checked.r.to_edwards(),
            );
        }
    }

    // The same rule for R: only torsion-free R may join a batch. Many R are screened together
    // (one random-subset test for all, see `all_torsion_free`); if the screen finds a
    // small-order component somewhere, or there are too few R for a screen to pay, each R is
    // tested on its own.
    let screened = candidates.len() >= SCREEN_MIN
        && all_torsion_free(
            &candidates
                .iter()
                .map(|p| (p.r, p.signature.r_bytes()))
                .collect::<Vec<_>>(),
        );
    let mut batchable: Vec<Pending<'_>> = Vec::with_capacity(candidates.len());
    for pending in candidates {
        if screened || torsion_free(&pending.r) {
            batchable.push(pending);
        } else if let Some(slot) = results.get_mut(pending.index) {
            *slot = equation(
                &pending.key,
                pending.message,
                &pending.signature,
                &pending.r,
            );
        }
    }

    for chunk in batchable.chunks(BATCH_CHUNK) {
        check_batch(chunk, &mut results);
    }
    results
}

/// Below this many items a failed batch is not split further: each is checked on its own.
const SPLIT_MIN: usize = 4;

/// Answer every item of `chunk`: all `Ok` if the batch equation holds; otherwise the two halves
/// are checked the same way, down to [`SPLIT_MIN`] items, which get the strict equation one by
/// one. One bad signature among `n` then costs about two batch equations of `n` and a few strict
/// checks, instead of `n` strict checks, and every bad signature is still named by the strict
/// equation (never by a batch).
fn check_batch(chunk: &[Pending<'_>], results: &mut [Result<(), Rejection>]) {
    if chunk.len() > 1 && batch_equation(chunk) {
        for pending in chunk {
            if let Some(slot) = results.get_mut(pending.index) {
                *slot = Ok(());
            }
        }
    } else if chunk.len() > SPLIT_MIN {
        let (left, right) = chunk.split_at(chunk.len() / 2);
        check_batch(left, results);
        check_batch(right, results);
    } else {
        for pending in chunk {
            if let Some(slot) = results.get_mut(pending.index) {
                *slot = equation(
                    &pending.key,
                    pending.message,
                    &pending.signature,
                    &pending.r,
                );
            }
        }
    }
}

/// `P` lies in the prime-order subgroup: `[L]P = 0`, tested as `[L - 1]P = -P` (a scalar cannot
/// hold `L` itself). For `P = P₀ + T` with `T` of order dividing 8, `[L - 1]P = -P₀ + [4]T`
/// (`L ≡ 5 mod 8`) and `-P = -P₀ - T`: equal exactly when `[5]T = 0`, i.e. `T = 0`. Variable
/// time: the points tested are public (keys and signatures), and this is about 25 % cheaper than
/// the constant-time `EdwardsPoint::is_torsion_free` (a unit test checks that they agree).
fn torsion_free(p: &EdwardsPoint) -> bool {
    let minus_one = Scalar::ZERO - Scalar::ONE;
    EdwardsPoint::vartime_double_scalar_mul_basepoint(&minus_one, p, &Scalar::ZERO) == -p
}

/// Rounds of the torsion screen: each one lets a small-order component escape with probability
/// at most 1/2, so a screen is wrong with probability at most 2⁻¹²⁸ (the batch equation's bound).
const SCREEN_ROUNDS: usize = 128;

/// Below this many points, testing each point costs less than a screen (whose fixed cost is
/// [`SCREEN_ROUNDS`] torsion tests).
const SCREEN_MIN: usize = 256;

/// Whether every point lies in the prime-order subgroup, decided for all points together at
/// about a quarter of the cost of [`torsion_free`] on each.
///
/// Write each point as `Pᵢ = Pᵢ' + Tᵢ` with `Pᵢ'` of prime order and `Tᵢ` in the cyclic group of
/// order 8. A random subset sum `Q = Σ_{i∈S} Pᵢ` is torsion-free exactly when `Σ_{i∈S} Tᵢ = 0`.
/// If every `Tᵢ` is zero, every such `Q` is torsion-free: the screen never rejects a set of
/// torsion-free points. If some `Tⱼ ≠ 0`, the subsets `S` and `S △ {j}` have sums that differ by
/// `Tⱼ`, so at most one of the two is zero: a uniformly random subset misses the small-order
/// part with probability at most 1/2, and [`SCREEN_ROUNDS`] independent subsets all miss it with
/// probability at most 2⁻¹²⁸. One-sided, like the batch equation: a `false` answer is always
/// right (then the caller tests each point), a `true` answer is wrong with at most that
/// probability, over randomness the signer cannot predict.
///
/// Cost: the points are taken four at a time; the 16 sums of each group's subsets are computed
/// once (11 additions), and each round adds one of them per group, chosen by 4 random bits. That
/// is about 35 additions per point, plus [`SCREEN_ROUNDS`] torsion tests of the sums, instead of
/// one torsion test (a 253-bit scalar multiplication) per point.
///
/// The subsets come from SHA-512 of a seed that hashes a domain string, 32 bytes of the operating
/// system's randomness and every point's encoding as given (so that even without the system's randomness
/// the subsets are bound to the points and not known before them).
fn all_torsion_free(points: &[(EdwardsPoint, &[u8; 32])]) -> bool {
    use curve25519_dalek::traits::Identity;
    use sha2::{Digest, Sha512};

    let mut seed = random_seed(b"transmittal-torsion-screen-v1");
    for (_, encoding) in points {
        seed.update(encoding);
    }
    let seed = seed.finalize();

    let mut sums = [EdwardsPoint::identity(); SCREEN_ROUNDS];
    let mut table = [EdwardsPoint::identity(); 16];
    for (group_index, group) in points.chunks(4).enumerate() {
        // table[m] = Σ of the points whose bit is set in m.
        for m in 1..16usize {
            let low = m.trailing_zeros() as usize;
            let rest = m & (m - 1);
            table[m] = match group.get(low) {
                Some((p, _)) if rest == 0 => *p,
                Some((p, _)) => table[rest] + p,
                None => table[rest],
            };
        }
        // 64 bytes = 128 nibbles: one 4-bit subset choice per round.
        let mut h = Sha512::new();
        h.update(seed);
        h.update((group_index as u64).to_le_bytes());
        let bits = h.finalize();
        for (round, sum) in sums.iter_mut().enumerate() {
            let byte = bits.get(round / 2).copied().unwrap_or(0);
            let m = usize::from(if round % 2 == 0 {
                byte & 0x0f
            } else {
                byte >> 4
            });
            if m != 0 {
                *sum += table[m];
            }
        }
    }
    sums.iter().all(torsion_free)
}

/// The cofactorless batch equation `Σ zᵢ·Rᵢ + Σ_A (Σ_{i: Aᵢ = A} zᵢ·kᵢ)·A − (Σ zᵢ·Sᵢ)·B = 0` over
/// items that passed every pre-check (so `Rᵢ` and `Aᵢ` are torsion-free and `Sᵢ < L`), with
/// `kᵢ = SHA-512(Rᵢ ‖ Aᵢ ‖ Mᵢ) mod L` as in RFC 8032 and random 128-bit weights `zᵢ`. This is
/// ed25519-dalek's `verify_batch` equation, with `R` taken already decoded and the key terms of
/// one key gathered into one (an audit has few keys and many signatures, so the multiscalar
/// multiplication has about half as many points).
///
/// The weights are the first 128 bits of `SHA-512(seed ‖ i)`, where the seed is a SHA-512 of a
/// domain string, 32 bytes from the operating system's random source (zeros if it fails) and
/// every `kᵢ`, `Sᵢ` and `Rᵢ`: unpredictable to whoever made the signatures, and bound to all of
/// them even without the system's randomness (as dalek's transcript is).
fn batch_equation(chunk: &[Pending<'_>]) -> bool {
    use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
    use sha2::{Digest, Sha512};

    let mut items: Vec<(Scalar, Scalar, usize)> = Vec::with_capacity(chunk.len());
    let mut keys: Vec<(&[u8; 32], EdwardsPoint)> = Vec::new();
    let mut seed = random_seed(b"transmittal-batch-weights-v1");
    for p in chunk {
        let a_bytes = p.key.as_bytes();
        let k = challenge(&p.key, p.message, &p.signature);
        let Some(s) = s_scalar(&p.signature) else {
            return false;
        };
        let key_index = match keys.iter().position(|(b, _)| *b == a_bytes) {
            Some(i) => i,
            None => {
                keys.push((a_bytes, p.key.to_edwards()));
                keys.len() - 1
            }
        };
        seed.update(k.as_bytes());
        seed.update(s.as_bytes());
        seed.update(p.signature.r_bytes());
        items.push((k, s, key_index));
    }
    let seed = seed.finalize();

    let mut scalars: Vec<Scalar> = Vec::with_capacity(chunk.len() + keys.len() + 1);
    let mut points: Vec<EdwardsPoint> = Vec::with_capacity(chunk.len() + keys.len() + 1);
    let mut key_weights = vec![Scalar::ZERO; keys.len()];
    let mut b_weight = Scalar::ZERO;
    for (i, ((k, s, key_index), p)) in items.iter().zip(chunk).enumerate() {
        let mut h = Sha512::new();
        h.update(seed);
        h.update((i as u64).to_le_bytes());
        let wide = h.finalize();
        let mut z = [0u8; 32];
        z[..16].copy_from_slice(&wide[..16]);
        let z = Scalar::from_bytes_mod_order(z);
        scalars.push(z);
        points.push(p.r);
        key_weights[*key_index] += z * k;
        b_weight -= z * s;
    }
    for ((_, a), w) in keys.iter().zip(key_weights) {
        scalars.push(w);
        points.push(*a);
    }
    scalars.push(b_weight);
    points.push(curve25519_dalek::constants::ED25519_BASEPOINT_POINT);
    EdwardsPoint::vartime_multiscalar_mul(&scalars, &points).is_identity()
}

/// Sign `message` with `key` (deterministic Ed25519, RFC 8032). The result always passes
/// [`verify_strict`] with the key's public half.
#[must_use]
pub fn sign(key: &SigningKey, message: &[u8]) -> [u8; 64] {
    key.sign(message).to_bytes()
}

/// A key as decoded for one [`verify_many`] call.
struct KeyEntry {
    checked: Result<VerifyingKey, Rejection>,
    /// Whether the key lies in the prime-order subgroup; computed on first need.
    torsion_free: Option<bool>,
}

/// An item that passed every pre-check and waits for the batch equation.
struct Pending<'a> {
    index: usize,
    key: VerifyingKey,
    message: &'a [u8],
    signature: Signature,
    /// `R`, decoded.
    r: EdwardsPoint,
}

/// A signature whose encodings passed the strict checks; only the equation remains.
struct CheckedSignature {
    signature: Signature,
    /// `R`, decoded. (`VerifyingKey` is used as the holder of a decoded point: it is exactly a
    /// compressed encoding plus its decompression.)
    r: VerifyingKey,
}

/// Strict checks on a public key: decodes, canonical, not of small order.
fn check_key(bytes: &[u8; PUBLIC_KEY_LENGTH]) -> Result<VerifyingKey, Rejection> {
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| Rejection::InvalidKey)?;
    if !is_canonical_point_encoding(bytes) {
        return Err(Rejection::NonCanonicalKey);
    }
    if key.is_weak() {
        return Err(Rejection::WeakKey);
    }
    Ok(key)
}

/// Strict checks on the halves of a signature: `S < L`; `R` decodes, is canonical and not of
/// small order.
fn check_signature(bytes: &[u8; SIGNATURE_LENGTH]) -> Result<CheckedSignature, Rejection> {
    let signature = Signature::from_bytes(bytes);
    if !is_canonical_scalar(signature.s_bytes()) {
        return Err(Rejection::NonCanonicalS);
    }
    let r_bytes = signature.r_bytes();
    let r = VerifyingKey::from_bytes(r_bytes).map_err(|_| Rejection::InvalidR)?;
    if !is_canonical_point_encoding(r_bytes) {
        return Err(Rejection::NonCanonicalR);
    }
    if r.is_weak() {
        return Err(Rejection::SmallOrderR);
    }
    Ok(CheckedSignature { signature, r })
}

/// The cofactorless equation `R = [S]B - [k]A` with `k = SHA-512(R ‖ A ‖ M) mod L`, for a key and
/// a signature that passed every pre-check, with `R` already decoded. ed25519-dalek's
/// `verify_strict` computes the same right-hand side and compares its encoding with the bytes of
/// `R`; here the points are compared, which is the same test because `R` was checked to be
/// canonically encoded (one point, one canonical encoding), and it saves decoding `R` a second
/// time and encoding the result (two field inversions). A unit test checks that both answer alike.
fn equation(
    key: &VerifyingKey,
    message: &[u8],
    signature: &Signature,
    r: &EdwardsPoint,
) -> Result<(), Rejection> {
    let Some(s) = s_scalar(signature) else {
        return Err(Rejection::NonCanonicalS);
    };
    let k = challenge(key, message, signature);
    let minus_a = -key.to_edwards();
    if EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &minus_a, &s) == *r {
        Ok(())
    } else {
        Err(Rejection::BadSignature)
    }
}

/// `k = SHA-512(R ‖ A ‖ M) mod L` (RFC 8032 §5.1.7), with `R` and `A` as encoded.
fn challenge(key: &VerifyingKey, message: &[u8], signature: &Signature) -> Scalar {
    use sha2::{Digest, Sha512};
    let mut h = Sha512::new();
    h.update(signature.r_bytes());
    h.update(key.as_bytes());
    h.update(message);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

/// `S` as a scalar, if it is canonical (`S < L`; the pre-checks have made sure it is).
fn s_scalar(signature: &Signature) -> Option<Scalar> {
    Scalar::from_canonical_bytes(*signature.s_bytes()).into()
}

/// A SHA-512 state that has absorbed `domain`, for the random choices of [`batch_equation`] and
/// [`all_torsion_free`]. The callers then hash every input into it, so the choices are a hash of
/// the whole batch (Fiat–Shamir, as ed25519-dalek's own batch verification derives them): to make
/// a bad batch pass, a forger would have to find inputs whose hash makes a random 128-bit
/// combination vanish. No operating-system randomness is used: the core has no environment.
fn random_seed(domain: &[u8]) -> sha2::Sha512 {
    use sha2::Digest;
    let mut seed = sha2::Sha512::new();
    seed.update(domain);
    seed
}

/// `a < b` for 256-bit little-endian integers.
fn less_than_le(a: &[u8; 32], b: &[u8; 32]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// Whether a scalar is fully reduced: `0 ≤ s < L` (RFC 8032 §5.1.7).
fn is_canonical_scalar(s: &[u8; 32]) -> bool {
    less_than_le(s, &GROUP_ORDER_L)
}

/// Whether an encoding that decodes to a point is that point's canonical encoding
/// (RFC 8032 §5.1.2–5.1.3): `y < p`, and the sign bit is clear when `x = 0`. The only points with
/// `x = 0` are those with `y = 1` and `y = -1`.
fn is_canonical_point_encoding(bytes: &[u8; 32]) -> bool {
    let mut y = *bytes;
    let sign_bit = y[31] >> 7;
    y[31] &= 0x7f;
    if !less_than_le(&y, &FIELD_PRIME_P) {
        return false;
    }
    !(sign_bit == 1 && (y == FIELD_ONE || y == FIELD_MINUS_ONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: [u8; 32] = [7; 32];

    fn h32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).expect("test constant");
        out
    }

    fn h64(s: &str) -> [u8; 64] {
        let mut out = [0u8; 64];
        hex::decode_to_slice(s, &mut out).expect("test constant");
        out
    }

    /// Encoding of a point (`y` little-endian, sign bit on top).
    fn encoding(y_low: u8, high: u8) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[0] = y_low;
        b[31] = high;
        b
    }

    /// `p + k` (k < 19) with an optional sign bit: a non-canonical encoding of `y = k`.
    fn p_plus(k: u8, sign: bool) -> [u8; 32] {
        let mut b = FIELD_PRIME_P;
        b[0] += k;
        if sign {
            b[31] |= 0x80;
        }
        b
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&SEED)
    }

    /// A valid signature by a fixed key, for variants.
    fn good() -> ([u8; 32], Vec<u8>, [u8; 64]) {
        let k = key();
        let msg = b"transmittal unit test".to_vec();
        let sig = sign(&k, &msg);
        (k.verifying_key().to_bytes(), msg, sig)
    }

    /// `n` valid signatures by [`key`] on the messages "valid 0", "valid 1", ...
    fn valid_signatures(n: usize) -> Vec<(String, [u8; 64])> {
        (0..n)
            .map(|i| {
                let m = format!("valid {i}");
                let s = sign(&key(), m.as_bytes());
                (m, s)
            })
            .collect()
    }

    /// The [`TORSION_RESIDUE`] signatures with their messages.
    fn residue_signatures() -> Vec<(String, [u8; 64])> {
        TORSION_RESIDUE
            .iter()
            .map(|(_, m, s)| (m.to_string(), h64(s)))
            .collect()
    }

    /// Batch items for messages and signatures all by the key `pk`.
    fn items_by<'a>(
        pk: &'a [u8; 32],
        signed: impl IntoIterator<Item = &'a (String, [u8; 64])>,
    ) -> Vec<BatchItem<'a>> {
        signed
            .into_iter()
            .map(|(m, s)| BatchItem {
                public_key: pk,
                message: m.as_bytes(),
                signature: s,
            })
            .collect()
    }

    fn with_r(sig: &[u8; 64], r: [u8; 32]) -> [u8; 64] {
        let mut s = *sig;
        s[..32].copy_from_slice(&r);
        s
    }

    fn with_s(sig: &[u8; 64], s_half: [u8; 32]) -> [u8; 64] {
        let mut s = *sig;
        s[32..].copy_from_slice(&s_half);
        s
    }

    /// The key with seed `[7; 32]` and signatures crafted by its holder with
    /// `R = [r]B + T` for a small-order `T` and `S = r + k·a`, so `R + [k]A - [S]B = T`:
    /// the cofactored equation accepts them, the cofactorless one rejects them. Generated
    /// with a Python model of Ed25519 (order of `T`, message, signature).
    const TORSION_RESIDUE: [(u8, &str, &str); 6] = [
        (2, "transmittal torsion residue test 0", "adae8f33c35781e0a6e1aca6f813a0a8d626049acb2caa440edf6e827b17f7436c0556302a58f92f29a05f5dc55aaa4f349ee7a2b27c13431c96a0b162c17b02"),
        (2, "transmittal torsion residue test 1", "aefe134e5be6c91581c001192ba36aed013b614c8cace3646fcaa4b096e4faac4add3b22af9f2185e4422222786dfcbdf6176090affbd45fe7166fc5bfe91c0e"),
        (2, "transmittal torsion residue test 2", "b3b3101646a6dfa08232ed9c84c3bb5445634573a12c4919eef1c895a5c0d45ce22a657f765fa9a5d20c9acb179589c4e82279d48a31e243a12ca2b89eb80205"),
        (2, "transmittal torsion residue test 3", "14ca711b07a760ac2257663b56f01bf707c0e87dcd1629c015251b69b8a1d949cb3a7b98a507c633a65f913387b278cc60e6de413d09d73b3c3628185229e105"),
        (4, "transmittal torsion residue test 4", "86f4b6f7e7f89139dae4a9862f125074543d0f4c854d365cd8d443cc255b55e465031b2a57936ed7d7a6013ea682bd8370194123e8ed832f8c695e34ecefde0a"),
        (8, "transmittal torsion residue test 5", "6470808d81181be37204eea295f0bcc5b4a27fe74657b77631e7f3f448fe2334de03cf30f04d89a0cec2b191808805e6bc14b683d686059d05af61a686c31f04"),
    ];

    #[test]
    fn sign_then_verify() {
        let (pk, msg, sig) = good();
        assert_eq!(
            pk,
            h32("ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c")
        );
        assert_eq!(verify_strict(&pk, &msg, &sig), Ok(()));
        assert_eq!(sign(&key(), &msg), sig, "signing is deterministic");
    }

    #[test]
    fn tampering_is_a_bad_signature() {
        let (pk, msg, sig) = good();
        let mut other_msg = msg.clone();
        other_msg.push(b'!');
        assert_eq!(
            verify_strict(&pk, &other_msg, &sig),
            Err(Rejection::BadSignature)
        );
        let other_key = SigningKey::from_bytes(&[8; 32]).verifying_key().to_bytes();
        assert_eq!(
            verify_strict(&other_key, &msg, &sig),
            Err(Rejection::BadSignature)
        );
        for i in [0usize, 31, 32, 63] {
            let mut bad = sig;
            bad[i] ^= 0x01;
            assert!(verify_strict(&pk, &msg, &bad).is_err(), "flipped byte {i}");
        }
    }

    #[test]
    fn every_rejection_is_reachable_with_its_reason() {
        let (pk, msg, sig) = good();
        // y = 2 is not on the curve; y = 3 is, with a point of large order.
        let not_a_point = encoding(2, 0);
        let identity = encoding(1, 0);
        let mut l = GROUP_ORDER_L;
        let cases: Vec<(&str, Vec<u8>, Vec<u8>, Rejection)> = vec![
            (
                "key 31 bytes",
                pk[..31].to_vec(),
                sig.to_vec(),
                Rejection::WrongKeyLength,
            ),
            (
                "key 33 bytes",
                [&pk[..], &[0]].concat(),
                sig.to_vec(),
                Rejection::WrongKeyLength,
            ),
            ("empty key", vec![], vec![], Rejection::WrongKeyLength),
            (
                "sig 63 bytes",
                pk.to_vec(),
                sig[..63].to_vec(),
                Rejection::WrongSignatureLength,
            ),
            (
                "sig 65 bytes",
                pk.to_vec(),
                [&sig[..], &[0]].concat(),
                Rejection::WrongSignatureLength,
            ),
            (
                "key not a point",
                not_a_point.to_vec(),
                sig.to_vec(),
                Rejection::InvalidKey,
            ),
            (
                "key y = p + 3",
                p_plus(3, false).to_vec(),
                sig.to_vec(),
                Rejection::NonCanonicalKey,
            ),
            (
                "key -0 (y = 1, sign set)",
                encoding(1, 0x80).to_vec(),
                sig.to_vec(),
                Rejection::NonCanonicalKey,
            ),
            (
                "key identity",
                identity.to_vec(),
                sig.to_vec(),
                Rejection::WeakKey,
            ),
            (
                "S = L",
                pk.to_vec(),
                with_s(&sig, l).to_vec(),
                Rejection::NonCanonicalS,
            ),
            (
                "S = 2^256 - 1",
                pk.to_vec(),
                with_s(&sig, [0xff; 32]).to_vec(),
                Rejection::NonCanonicalS,
            ),
            (
                "R not a point",
                pk.to_vec(),
                with_r(&sig, not_a_point).to_vec(),
                Rejection::InvalidR,
            ),
            (
                "R y = p + 3",
                pk.to_vec(),
                with_r(&sig, p_plus(3, false)).to_vec(),
                Rejection::NonCanonicalR,
            ),
            (
                "R y = p + 1 (identity)",
                pk.to_vec(),
                with_r(&sig, p_plus(1, false)).to_vec(),
                Rejection::NonCanonicalR,
            ),
            (
                "R identity",
                pk.to_vec(),
                with_r(&sig, identity).to_vec(),
                Rejection::SmallOrderR,
            ),
            (
                "R order 2",
                pk.to_vec(),
                with_r(&sig, FIELD_MINUS_ONE).to_vec(),
                Rejection::SmallOrderR,
            ),
        ];
        for (name, k, s, want) in &cases {
            assert_eq!(verify_strict(k, &msg, s), Err(*want), "{name}");
        }
        // S = L - 1 is canonical: the signature is then merely wrong.
        l[0] -= 1;
        assert_eq!(
            verify_strict(&pk, &msg, &with_s(&sig, l)),
            Err(Rejection::BadSignature)
        );
        // Lengths are checked before anything else.
        assert_eq!(
            verify_strict(&identity, &msg, &[]),
            Err(Rejection::WrongSignatureLength)
        );
    }

    #[test]
    fn parse_public_key_applies_the_key_rules() {
        let (pk, _, _) = good();
        assert_eq!(parse_public_key(&pk).map(|k| k.to_bytes()), Ok(pk));
        assert_eq!(
            parse_public_key(&pk[1..]).err(),
            Some(Rejection::WrongKeyLength)
        );
        assert_eq!(
            parse_public_key(&encoding(2, 0)).err(),
            Some(Rejection::InvalidKey)
        );
        assert_eq!(
            parse_public_key(&p_plus(3, false)).err(),
            Some(Rejection::NonCanonicalKey)
        );
        assert_eq!(
            parse_public_key(&encoding(1, 0)).err(),
            Some(Rejection::WeakKey)
        );
    }

    #[test]
    fn canonical_encoding_check_matches_decompress_then_compress() {
        // Every y < 19 and every y = p + k (k < 19, the only non-canonical y values), both signs,
        // plus the top of the range and some large values.
        let mut encodings = Vec::new();
        for k in 0..19u8 {
            for sign in [false, true] {
                encodings.push(encoding(k, if sign { 0x80 } else { 0 }));
                encodings.push(p_plus(k, sign));
            }
        }
        encodings.push([0xff; 32]);
        encodings.push(FIELD_MINUS_ONE);
        encodings.push({
            let mut m = FIELD_MINUS_ONE;
            m[31] |= 0x80;
            m
        });
        for i in 0..200u8 {
            let pk = SigningKey::from_bytes(&[i; 32]).verifying_key().to_bytes();
            encodings.push(pk);
            let mut flipped = pk;
            flipped[31] ^= 0x80;
            encodings.push(flipped);
        }
        let mut decoded = 0;
        let mut non_canonical = 0;
        for e in &encodings {
            if let Ok(point) = VerifyingKey::from_bytes(e) {
                decoded += 1;
                let round_trip = point.to_edwards().compress().to_bytes() == *e;
                assert_eq!(
                    is_canonical_point_encoding(e),
                    round_trip,
                    "{}",
                    hex::encode(e)
                );
                if !round_trip {
                    non_canonical += 1;
                }
            }
        }
        assert!(decoded > 400, "{decoded}");
        // y = 0..18 on the curve: 12 values of y; their p + k twins and -0 spellings.
        assert!(non_canonical >= 14, "{non_canonical}");
    }

    #[test]
    fn scalar_bound_is_exactly_l() {
        let mut below = GROUP_ORDER_L;
        below[0] -= 1;
        let mut above = GROUP_ORDER_L;
        above[0] += 1;
        assert!(is_canonical_scalar(&[0; 32]));
        assert!(is_canonical_scalar(&below));
        assert!(!is_canonical_scalar(&GROUP_ORDER_L));
        assert!(!is_canonical_scalar(&above));
        assert!(!is_canonical_scalar(&[0xff; 32]));
        let mut top_bits = [0u8; 32];
        top_bits[31] = 0x20;
        assert!(!is_canonical_scalar(&top_bits));
        let mut just_under_2_252 = [0xff; 32];
        just_under_2_252[31] = 0x0f;
        assert!(is_canonical_scalar(&just_under_2_252));
    }

    #[test]
    fn torsion_residue_fails_strict_and_would_pass_a_plain_batch() {
        let pk = key().verifying_key();
        let pk_bytes = pk.to_bytes();
        let mut plain_batch_accepted = 0;
        let sigs: Vec<(String, [u8; 64])> = TORSION_RESIDUE
            .iter()
            .map(|(_, m, s)| (m.to_string(), h64(s)))
            .collect();
        for (msg, sig) in &sigs {
            assert_eq!(
                verify_strict(&pk_bytes, msg.as_bytes(), sig),
                Err(Rejection::BadSignature)
            );
            let item = BatchItem {
                public_key: &pk_bytes,
                message: msg.as_bytes(),
                signature: sig,
            };
            assert_eq!(verify_many(&[item]), vec![Err(Rejection::BadSignature)]);
            // ed25519-dalek's batch on its own: the residue vanishes when the weight kills it.
            let signature = Signature::from_bytes(sig);
            if ed25519_dalek::verify_batch(&[msg.as_bytes()], &[signature], &[pk]).is_ok() {
                plain_batch_accepted += 1;
            }
        }
        assert!(
            plain_batch_accepted > 0,
            "expected the plain batch equation to accept some residue signature"
        );
        // All of them in one verify_many call, between valid signatures: only they are rejected.
        let valid: Vec<(String, [u8; 64])> = (0..10)
            .map(|i| {
                let m = format!("valid {i}");
                let s = sign(&key(), m.as_bytes());
                (m, s)
            })
            .collect();
        let mut items = Vec::new();
        let mut want = Vec::new();
        for (i, (m, s)) in valid.iter().enumerate() {
            items.push(BatchItem {
                public_key: &pk_bytes,
                message: m.as_bytes(),
                signature: s,
            });
            want.push(Ok(()));
            if let Some((bm, bs)) = sigs.get(i) {
                items.push(BatchItem {
                    public_key: &pk_bytes,
                    message: bm.as_bytes(),
                    signature: bs,
                });
                want.push(Err(Rejection::BadSignature));
            }
        }
        assert_eq!(verify_many(&items), want);
    }

    #[test]
    fn residues_that_cancel_in_a_plain_batch_are_still_rejected() {
        // Two residue signatures between valid ones. For some pairs the plain batch equation's
        // weights cancel the two small-order residues and ed25519-dalek's verify_batch accepts
        // the whole batch; verify_many must still reject exactly the two.
        let pk = key().verifying_key();
        let pk_bytes = pk.to_bytes();
        let residue = residue_signatures();
        let valid = valid_signatures(3);
        let mut cancelling_pairs = 0;
        for (i, a) in residue.iter().enumerate() {
            for b in residue.iter().skip(i + 1) {
                let batch = [&valid[0], &valid[1], a, &valid[2], b];
                let messages: Vec<&[u8]> = batch.iter().map(|(m, _)| m.as_bytes()).collect();
                let signatures: Vec<Signature> = batch
                    .iter()
                    .map(|(_, s)| Signature::from_bytes(s))
                    .collect();
                if ed25519_dalek::verify_batch(&messages, &signatures, &[pk; 5]).is_ok() {
                    cancelling_pairs += 1;
                }
                let items = items_by(&pk_bytes, batch);
                let bad = Err(Rejection::BadSignature);
                assert_eq!(verify_many(&items), vec![Ok(()), Ok(()), bad, Ok(()), bad]);
            }
        }
        assert!(
            cancelling_pairs > 0,
            "expected some pair to fool the plain batch equation"
        );
    }

    #[test]
    fn verify_many_matches_verify_strict_for_every_reason() {
        let (pk, msg, sig) = good();
        let other_pk = SigningKey::from_bytes(&[9; 32]).verifying_key().to_bytes();
        let keys = [
            pk,
            other_pk,
            encoding(2, 0),
            p_plus(3, false),
            encoding(1, 0),
        ];
        let sigs = [
            sig,
            with_s(&sig, GROUP_ORDER_L),
            with_r(&sig, encoding(2, 0)),
            with_r(&sig, p_plus(3, false)),
            with_r(&sig, encoding(1, 0)),
            with_r(&sig, FIELD_MINUS_ONE),
        ];
        let mut items = Vec::new();
        for k in &keys {
            for s in &sigs {
                items.push(BatchItem {
                    public_key: k,
                    message: &msg,
                    signature: s,
                });
            }
        }
        let got = verify_many(&items);
        assert_eq!(got.len(), items.len());
        for (item, got) in items.iter().zip(&got) {
            assert_eq!(
                *got,
                verify_strict(item.public_key, item.message, item.signature)
            );
        }
        assert_eq!(got.iter().filter(|r| r.is_ok()).count(), 1);
    }

    #[test]
    fn verify_many_names_each_bad_signature_across_chunks() {
        let signers: Vec<SigningKey> = (0..5u8).map(|i| SigningKey::from_bytes(&[i; 32])).collect();
        let n = 2 * BATCH_CHUNK + 7;
        let messages: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("document {i}").into_bytes())
            .collect();
        let keys: Vec<[u8; 32]> = (0..n)
            .map(|i| signers[i % signers.len()].verifying_key().to_bytes())
            .collect();
        let mut sigs: Vec<[u8; 64]> = (0..n)
            .map(|i| sign(&signers[i % signers.len()], &messages[i]))
            .collect();
        let bad = [0usize, BATCH_CHUNK - 1, BATCH_CHUNK, n - 1];
        for &i in &bad {
            sigs[i][40] ^= 0x04;
        }
        let items: Vec<BatchItem<'_>> = (0..n)
            .map(|i| BatchItem {
                public_key: &keys[i],
                message: &messages[i],
                signature: &sigs[i],
            })
            .collect();
        let got = verify_many(&items);
        for (i, r) in got.iter().enumerate() {
            if bad.contains(&i) {
                assert_eq!(*r, Err(Rejection::BadSignature), "item {i}");
            } else {
                assert_eq!(*r, Ok(()), "item {i}");
            }
        }
        assert!(verify_many(&[]).is_empty());
    }

    /// The batch equation itself holds for good signatures by several keys, and fails when one
    /// message, one `S` or one key is wrong (`verify_many` would otherwise stay correct through
    /// its fallback alone, and slow: this pins that the batch really passes).
    #[test]
    fn batch_equation_passes_good_batches_and_fails_bad_ones() {
        let keys: Vec<SigningKey> = (1u8..=3)
            .map(|i| SigningKey::from_bytes(&[i; 32]))
            .collect();
        let messages: Vec<Vec<u8>> = (0..20)
            .map(|i| format!("message {i}").into_bytes())
            .collect();
        let sigs: Vec<Signature> = messages
            .iter()
            .enumerate()
            .map(|(i, m)| keys[i % 3].sign(m))
            .collect();
        fn pending<'a>(
            keys: &[SigningKey],
            msgs: &'a [Vec<u8>],
            sigs: &[Signature],
            key_of: &dyn Fn(usize) -> usize,
        ) -> Vec<Pending<'a>> {
            msgs.iter()
                .zip(sigs)
                .enumerate()
                .map(|(i, (m, s))| Pending {
                    index: i,
                    key: keys[key_of(i)].verifying_key(),
                    message: &m[..],
                    signature: *s,
                    r: check_signature(&s.to_bytes())
                        .map(|c| c.r.to_edwards())
                        .unwrap(),
                })
                .collect()
        }
        let good = pending(&keys, &messages, &sigs, &|i| i % 3);
        assert!(batch_equation(&good));
        assert!(batch_equation(&good[..1]));
        let mut other = messages.clone();
        other[7] = b"message 7 changed".to_vec();
        assert!(!batch_equation(&pending(&keys, &other, &sigs, &|i| i % 3)));
        assert!(!batch_equation(&pending(
            &keys,
            &messages,
            &sigs,
            &|i| if i == 4 { 2 } else { i % 3 }
        )));
        let mut bad_s = sigs.clone();
        let mut b = bad_s[11].to_bytes();
        b[32] ^= 1;
        bad_s[11] = Signature::from_bytes(&b);
        assert!(!batch_equation(
            &pending(&keys, &messages, &bad_s, &|i| i % 3)
        ));
        // And through verify_many: all good, then exactly the bad one named.
        let items: Vec<([u8; 32], Vec<u8>, [u8; 64])> = messages
            .iter()
            .zip(&bad_s)
            .enumerate()
            .map(|(i, (m, s))| {
                (
                    keys[i % 3].verifying_key().to_bytes(),
                    m.clone(),
                    s.to_bytes(),
                )
            })
            .collect();
        let batch: Vec<BatchItem<'_>> = items
            .iter()
            .map(|(k, m, s)| BatchItem {
                public_key: k,
                message: m,
                signature: s,
            })
            .collect();
        let got = verify_many(&batch);
        for (i, r) in got.iter().enumerate() {
            assert_eq!(r.is_ok(), i != 11, "item {i}: {r:?}");
        }
    }

    /// The variable-time torsion test agrees with curve25519-dalek's constant-time one on
    /// points with and without small-order components of every order.
    #[test]
    fn variable_time_torsion_test_agrees_with_dalek() {
        use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
        let mut seen = [0usize; 2];
        for i in 1u64..40 {
            let p = ED25519_BASEPOINT_POINT * Scalar::from(i * 7919 + 3);
            for t in EIGHT_TORSION.iter() {
                let q = p + t;
                assert_eq!(torsion_free(&q), q.is_torsion_free(), "i={i}");
                seen[usize::from(torsion_free(&q))] += 1;
            }
        }
        for t in EIGHT_TORSION.iter() {
            assert_eq!(torsion_free(t), t.is_torsion_free());
        }
        // Both answers occur (one torsion-free point per eight).
        assert_eq!(seen, [39 * 7, 39]);
    }

    /// Points `[s]B` for distinct `s`, paired with their encodings, for the screen.
    fn prime_order_points(n: u64) -> Vec<EdwardsPoint> {
        use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
        (0..n)
            .map(|i| ED25519_BASEPOINT_POINT * Scalar::from(i * 104_729 + 11))
            .collect()
    }

    fn screen(points: &[EdwardsPoint]) -> bool {
        let encodings: Vec<[u8; 32]> = points.iter().map(|p| p.compress().to_bytes()).collect();
        let pairs: Vec<(EdwardsPoint, &[u8; 32])> =
            points.iter().copied().zip(encodings.iter()).collect();
        all_torsion_free(&pairs)
    }

    #[test]
    fn torsion_screen_passes_prime_order_points_and_catches_every_residue() {
        use curve25519_dalek::constants::EIGHT_TORSION;
        // 301 points: the last group of four is incomplete.
        let clean = prime_order_points(301);
        assert!(screen(&clean));
        assert!(screen(&clean[..1]));
        assert!(screen(&[]));
        // One small-order component of each order (2, 4, 8), first, in the middle, last.
        for (order_index, t) in EIGHT_TORSION.iter().enumerate().skip(1) {
            for position in [0, 150, 300] {
                let mut points = clean.clone();
                points[position] += t;
                assert!(!screen(&points), "T{order_index} at {position}");
            }
        }
        // Components that cancel in the sum of all points, or in any even-sized subset.
        let t2 = EIGHT_TORSION[4]; // the point of order 2
        let t8 = EIGHT_TORSION[1];
        let mut pair = clean.clone();
        pair[10] += t8;
        pair[200] -= t8;
        assert!(!screen(&pair), "T and -T");
        let mut twins = clean.clone();
        twins[3] += t2;
        twins[4] += t2;
        assert!(!screen(&twins), "two of order 2");
        let mut all = clean.clone();
        for p in &mut all {
            *p += t2;
        }
        assert!(!screen(&all), "every point of order 2 component");
        let mut quarter = clean.clone();
        for p in quarter.iter_mut().step_by(4) {
            *p += EIGHT_TORSION[2];
        }
        assert!(
            !screen(&quarter),
            "a component of order 4 in every fourth point"
        );
    }

    #[test]
    fn residues_among_many_valid_signatures_are_each_named() {
        // Enough items for the torsion screen (SCREEN_MIN), with residue signatures of every order
        // scattered among them, one pair placed so that a plain sum would cancel: every answer
        // must be verify_strict's.
        let pk = key().verifying_key().to_bytes();
        let valid = valid_signatures(SCREEN_MIN + 40);
        let all_valid = items_by(&pk, &valid);
        assert!(verify_many(&all_valid).iter().all(Result::is_ok));

        let residue = residue_signatures();
        for (r_index, r) in residue.iter().enumerate() {
            for position in [0, 7, SCREEN_MIN / 2, valid.len()] {
                let mut batch: Vec<&(String, [u8; 64])> = valid.iter().collect();
                batch.insert(position, r);
                // A second residue of the same order elsewhere (two order-2 components cancel
                // in a plain sum).
                let twin = &residue[(r_index + 1) % 4];
                if r_index < 4 {
                    batch.insert(SCREEN_MIN / 3, twin);
                }
                let items = items_by(&pk, batch);
                let got = verify_many(&items);
                let want: Vec<Result<(), Rejection>> = items
                    .iter()
                    .map(|i| verify_strict(i.public_key, i.message, i.signature))
                    .collect();
                assert_eq!(got, want, "residue {r_index} at {position}");
                let rejected = got.iter().filter(|r| r.is_err()).count();
                assert_eq!(rejected, if r_index < 4 { 2 } else { 1 });
            }
        }
    }

    #[test]
    fn own_equation_answers_as_dalek_verify_strict() {
        // Valid signatures by several keys, the same with one bit of the message, S or the key
        // changed, and the torsion residues: the equation (after the pre-checks) must accept
        // exactly what dalek's verify_strict accepts.
        let mut cases: Vec<(VerifyingKey, Vec<u8>, [u8; 64])> = Vec::new();
        for seed in 1u8..6 {
            let k = SigningKey::from_bytes(&[seed; 32]);
            for n in 0..4u8 {
                let msg = vec![n; usize::from(n) * 17];
                let sig = sign(&k, &msg);
                let mut other_msg = msg.clone();
                other_msg.push(1);
                let mut other_s = sig;
                other_s[40] ^= 1;
                let wrong_key = SigningKey::from_bytes(&[seed + 100; 32]).verifying_key();
                cases.push((k.verifying_key(), msg.clone(), sig));
                cases.push((k.verifying_key(), other_msg, sig));
                cases.push((k.verifying_key(), msg.clone(), other_s));
                cases.push((wrong_key, msg, sig));
            }
        }
        for (_, m, s) in TORSION_RESIDUE {
            cases.push((key().verifying_key(), m.as_bytes().to_vec(), h64(s)));
        }
        let mut accepted = 0;
        for (key, msg, sig) in &cases {
            let Ok(checked) = check_signature(sig) else {
                continue; // S ≥ L after a flipped bit: refused before the equation.
            };
            let ours = equation(key, msg, &checked.signature, &checked.r.to_edwards());
            let dalek = key
                .verify_strict(msg, &checked.signature)
                .map_err(|_| Rejection::BadSignature);
            assert_eq!(ours, dalek);
            accepted += usize::from(ours.is_ok());
        }
        assert_eq!(accepted, 20, "the 20 unmodified signatures, nothing else");
    }

    #[test]
    fn messages_and_codes_are_distinct() {
        let all = [
            Rejection::WrongKeyLength,
            Rejection::WrongSignatureLength,
            Rejection::InvalidKey,
            Rejection::NonCanonicalKey,
            Rejection::WeakKey,
            Rejection::NonCanonicalS,
            Rejection::InvalidR,
            Rejection::NonCanonicalR,
            Rejection::SmallOrderR,
            Rejection::BadSignature,
        ];
        let messages: std::collections::HashSet<String> =
            all.iter().map(ToString::to_string).collect();
        let codes: std::collections::HashSet<&str> =
            all.iter().map(|r| Rejection::code(*r)).collect();
        assert_eq!(messages.len(), all.len());
        assert_eq!(codes.len(), all.len());
        assert!(messages.iter().all(|m| !m.is_empty() && !m.contains('\n')));
    }
}
