//! [`verify_many`]: many signatures checked with batch equations, answering for every item exactly
//! what [`verify_strict`](super::verify_strict) answers.
//!
//! # The procedure
//!
//! For one call on items `1..n`:
//!
//! 1. **Pre-checks.** Each item goes through steps 2–4 of [`verify_strict`](super::verify_strict)
//!    (`check_key`, then `check_signature`: the same functions, in the same order; a key is checked
//!    once per distinct key bytes, which is the same since the check is a function of the bytes).
//!    A failure is the item's answer.
//! 2. **Routing.** An item that passed goes to the *strict path* (ed25519-dalek's `verify_strict`
//!    on its own, step 5 of [`verify_strict`](super::verify_strict)) unless its key `A` is
//!    torsion-free (`[L]A = 0`, tested exactly, once per distinct key). The remaining items, the
//!    *candidates*, go to a batch only if there are at least [`SCREEN_MIN`] of them and the
//!    *torsion screen* ([`all_torsion_free`]) says that every candidate's `R` is torsion-free;
//!    otherwise all candidates take the strict path.
//! 3. **Batches.** The batched items are split into chunks of [`BATCH_CHUNK`]. A chunk whose batch
//!    equation ([`batch_equation`]) holds answers `Ok` for all its items. A chunk whose equation
//!    fails is halved and each half treated the same way, down to [`SPLIT_MIN`] items, which take
//!    the strict path.
//!
//! # Proof that item *i* gets exactly `verify_strict`'s answer
//!
//! Notation: `B` the base point, `L` the prime order of the subgroup `G = ⟨B⟩`, the curve group
//! `E = G × E[8]` with `E[8]` cyclic of order 8 (the eight torsion points). For an item that passed
//! the pre-checks, `k = SHA-512(R_bytes ‖ A_bytes ‖ M) mod L` and `e = R + [k]A − [S]B`.
//!
//! **(a) Refusals are exact.** An item whose pre-check fails gets the first failing check's
//! [`Rejection`](super::Rejection) from the same code as `verify_strict`. An item on the strict
//! path gets the very function `verify_strict` ends with. So every answer other than an `Ok` from
//! a batch equation is `verify_strict`'s answer by construction, with no probability involved.
//! It remains to show that an `Ok` from a batch equation is right.
//!
//! **(b) What `verify_strict` decides after the pre-checks.** dalek's `verify_strict` accepts iff
//! `compress([S]B − [k]A) == R_bytes`, with the same `k` (it hashes the same `R` and key bytes).
//! `R_bytes` passed the round trip, so `R_bytes = compress(R)`; `compress` is injective on points.
//! So it accepts iff `[S]B − [k]A = R`, that is iff `e = 0`: the **cofactorless** equation.
//!
//! **(c) Batched terms lie in `G`.** A batched item has `A ∈ G` (exact test) and, unless the screen
//! erred, `R ∈ G`; `B ∈ G`; so `e ∈ G`. This is the point of the routing. A malicious signer who
//! knows `a` can sign with `A = [a]B + T_A` and `R = [r]B + T_R` for torsion points `T_A`, `T_R`:
//! then `e = T_R + [k]T_A` (plus `[k·a + r − S]B`), a small-order residue that the cofactored
//! equation ignores and the cofactorless one (b) does not, and that a random combination
//! `Σ zᵢ eᵢ` loses whenever the weights annihilate it (`zᵢ` even for order 2; two residues can
//! cancel): how speccheck 4–5 and CCTV `low_order_residue` pass a plain batch. `T_A ≠ 0` sends
//! every item by that key to the strict path; `T_R ≠ 0` is what the screen looks for. On `G`
//! there is no residue: for `e ∈ G`, `[8]e = 0 ⟺ e = 0`, so cofactored and cofactorless agree.
//!
//! **(d) The screen.** Write each candidate's `Rᵢ = Pᵢ + Tᵢ`, `Pᵢ ∈ G`, `Tᵢ ∈ E[8]`. A subset sum
//! `Σ_{i∈S} Rᵢ` is torsion-free iff `Σ_{i∈S} Tᵢ = 0`. If all `Tᵢ = 0`, every subset sum passes: the
//! screen never turns honest items away. If some `Tⱼ ≠ 0`, the subsets `S` and `S △ {j}` (a
//! bijection of the subsets) have sums differing by `Tⱼ`, so at most half of all subsets have a
//! torsion-free sum: a uniformly random subset passes with probability ≤ 1/2, and
//! [`SCREEN_ROUNDS`] = 128 independent ones all pass with probability ≤ 2⁻¹²⁸.
//!
//! **(e) The batch equation.** For a chunk `C` it computes
//! `Σ zᵢ·Rᵢ + Σ_A (Σ_{i: Aᵢ=A} zᵢkᵢ mod L)·A − (Σ zᵢSᵢ mod L)·B` with weights `zᵢ < 2¹²⁸`, and
//! accepts iff this is the identity. All points are in `G` (c), where reducing a scalar mod `L`
//! changes nothing, so the sum is `Σ zᵢ eᵢ`. Write `eᵢ = [εᵢ]B`: it accepts iff
//! `Σ zᵢ εᵢ ≡ 0 (mod L)`. If all `eᵢ = 0` it always accepts (so honest chunks cost one equation).
//! If some `εⱼ ≠ 0`, then for any fixed other weights exactly one residue class of `zⱼ` mod `L`
//! satisfies it, and `2¹²⁸ < L` means at most one value of `zⱼ`: probability ≤ 2⁻¹²⁸ over `zⱼ`.
//! So an accepting chunk has every `eᵢ = 0`, that is (b) every item `Ok` under `verify_strict`,
//! except with probability ≤ 2⁻¹²⁸ per equation evaluated.
//!
//! **(f) Conclusion.** A wrong answer can only be an `Ok` for an item with `e ≠ 0` (a); it needs
//! the screen to miss a torsion component, or an equation to accept a chunk holding a nonzero
//! term. Per call that has probability at most `(1 + m)·2⁻¹²⁸`, where `m` is the number of
//! equations evaluated (`m < n`: each is on a set of at least two items, and the sets form a
//! binary tree over the items of each chunk). With fresh entropy from the caller, the signer
//! commits to its signatures before the call draws its randomness, so it cannot aim at the
//! screen's subsets or the weights.
//!
//! **Randomness.** Subsets and weights are SHA-512 outputs of a seed that hashes a domain string,
//! the caller's 32 bytes of entropy ([`verify_many_with_entropy`]; audits pass the operating
//! system's randomness, fresh for each call, while `verify` of one document, which batches only
//! from 256 signatures, uses [`NO_ENTROPY`]) and every input they are applied to (the
//! `R` encodings; each `kᵢ`, `Sᵢ`, `Rᵢ`). The analysis above treats them as uniform and
//! independent. The core itself has no random source (it has no environment): [`verify_many`]
//! uses [`NO_ENTROPY`] (zeros), and the choices are then a hash of every input, as
//! ed25519-dalek's transcript binds its weights; the bounds then hold against a signer who cannot
//! find SHA-512 outputs with a 128-bit property (about 2¹²⁸ hashes of grinding). Answers never
//! depend on the draw, except with the probability above: a
//! good chunk always passes, a bad item is always named by the strict path.
//!
//! # Cost
//!
//! A torsion test is a 253-bit scalar multiplication, about as costly as the rest of a batched
//! verification; the screen brings it from one per signature to about 35 point additions per
//! signature plus [`SCREEN_ROUNDS`] tests per call. Batching saves by decoding `R` once, gathering
//! the terms of one key into one, and sharing the doublings of the multiscalar multiplication.
//! Keys are decoded and tested once per distinct key per call. Figures: `docs/PERFORMANCE.md`,
//! measured with `examples/raw_verify.rs`.

use std::collections::HashMap;

use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::{Signature, VerifyingKey};

use super::PUBLIC_KEY_LENGTH;
use super::{check_key, check_signature, dalek_verify_strict, BatchItem, Rejection};

/// How many signatures [`verify_many`] checks with one batch equation.
pub const BATCH_CHUNK: usize = 256;

/// Below this many items a failed batch is not split further: each takes the strict path.
pub(super) const SPLIT_MIN: usize = 4;

/// Rounds of the torsion screen: each one lets a small-order component escape with probability
/// at most 1/2, so a screen is wrong with probability at most 2⁻¹²⁸ (the batch equation's bound).
pub(super) const SCREEN_ROUNDS: usize = 128;

/// Below this many candidates the screen's fixed cost ([`SCREEN_ROUNDS`] torsion tests) does not
/// pay; the candidates take the strict path.
pub(super) const SCREEN_MIN: usize = 256;

/// Verify many signatures at once; result `i` is exactly what
/// [`verify_strict`](super::verify_strict) would answer for item `i`.
///
/// Valid signatures are confirmed in batches; a batch that fails is re-checked in halves and
/// then one by one, so every bad signature is named with its own
/// [`Rejection`](super::Rejection). The proof that the answers agree with `verify_strict` also on
/// adversarial inputs is the documentation of `src/crypto/batch.rs`. Never panics.
///
/// The random choices of the batch are derived from the items alone (no entropy); a caller with a
/// random source should prefer [`verify_many_with_entropy`].
#[must_use]
pub fn verify_many(items: &[BatchItem<'_>]) -> Vec<Result<(), Rejection>> {
    verify_many_with_entropy(items, &NO_ENTROPY)
}

/// No entropy: the batch's random choices are then a hash of the items alone.
pub const NO_ENTROPY: [u8; 32] = [0; 32];

/// [`verify_many`], with `entropy` (32 fresh random bytes from the caller's source, such as the
/// operating system's) hashed into the batch's random choices together with every input. The
/// answers are the same whatever the entropy, except with the probability bounded in the
/// [module documentation](self); fresh entropy makes that bound hold even against a signer who
/// could grind SHA-512. The core has no random source of its own (it has no environment), so
/// audits pass the operating system's.
#[must_use]
pub fn verify_many_with_entropy(
    items: &[BatchItem<'_>],
    entropy: &[u8; 32],
) -> Vec<Result<(), Rejection>> {
    // Fail closed: a slot that is somehow never written stays a rejection.
    let mut results: Vec<Result<(), Rejection>> = vec![Err(Rejection::BadSignature); items.len()];
    let mut keys: HashMap<[u8; PUBLIC_KEY_LENGTH], KeyEntry> = HashMap::new();
    let mut candidates: Vec<Pending<'_>> = Vec::with_capacity(items.len());

    for (index, (item, slot)) in items.iter().zip(results.iter_mut()).enumerate() {
        // Step 1, pre-checks, in verify_strict's order.
        let entry = keys
            .entry(*item.public_key)
            .or_insert_with(|| KeyEntry::new(item.public_key));
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
        // Step 2: a key with a small-order component takes the strict path.
        if entry.torsion_free {
            candidates.push(Pending {
                index,
                key,
                message: item.message,
                signature: checked.signature,
                r: checked.r,
                s: checked.s,
            });
        } else {
            *slot = dalek_verify_strict(&key, item.message, &checked.signature);
        }
    }

    // Step 2 for R: batch only if the screen finds no small-order component in any R.
    let batchable = candidates.len() >= SCREEN_MIN
        && all_torsion_free(
            entropy,
            &candidates
                .iter()
                .map(|p| (p.r, p.signature.r_bytes()))
                .collect::<Vec<_>>(),
        );
    if batchable {
        for chunk in candidates.chunks(BATCH_CHUNK) {
            check_batch(entropy, chunk, &mut results);
        }
    } else {
        strict_path(&candidates, &mut results);
    }
    results
}

/// Step 3: answer every item of `chunk`: all `Ok` if the batch equation holds; otherwise the two
/// halves are checked the same way, down to [`SPLIT_MIN`] items, which take the strict path. One
/// bad signature among `n` then costs about two batch equations of `n` and a few strict checks,
/// instead of `n` strict checks.
fn check_batch(entropy: &[u8; 32], chunk: &[Pending<'_>], results: &mut [Result<(), Rejection>]) {
    if chunk.len() > 1 && batch_equation(entropy, chunk) {
        for pending in chunk {
            if let Some(slot) = results.get_mut(pending.index) {
                *slot = Ok(());
            }
        }
    } else if chunk.len() > SPLIT_MIN {
        let (left, right) = chunk.split_at(chunk.len() / 2);
        check_batch(entropy, left, results);
        check_batch(entropy, right, results);
    } else {
        strict_path(chunk, results);
    }
}

/// The strict path: ed25519-dalek's `verify_strict` on each item, as
/// [`verify_strict`](super::verify_strict) ends.
fn strict_path(items: &[Pending<'_>], results: &mut [Result<(), Rejection>]) {
    for pending in items {
        if let Some(slot) = results.get_mut(pending.index) {
            *slot = dalek_verify_strict(&pending.key, pending.message, &pending.signature);
        }
    }
}

/// `P` lies in the prime-order subgroup: `[L]P = 0`, tested as `[L − 1]P = −P` (a scalar cannot
/// hold `L` itself). For `P = P₀ + T` with `P₀ ∈ G` and `T ∈ E[8]`, `[L − 1]P = −P₀ + [L − 1]T =
/// −P₀ + [4]T` (`L ≡ 5 mod 8`) and `−P = −P₀ − T`: equal exactly when `[5]T = 0`, i.e. `T = 0`.
/// Variable time (the points are public), about 25 % cheaper than curve25519-dalek's
/// constant-time `EdwardsPoint::is_torsion_free`; the test
/// `variable_time_torsion_test_agrees_with_dalek` compares the two.
pub(super) fn torsion_free(p: &EdwardsPoint) -> bool {
    let minus_one = Scalar::ZERO - Scalar::ONE;
    EdwardsPoint::vartime_double_scalar_mul_basepoint(&minus_one, p, &Scalar::ZERO) == -p
}

/// The torsion screen: whether every point lies in the prime-order subgroup, decided for all
/// points together. One-sided: `true` for torsion-free points always; for points of which one
/// has a small-order component, `true` with probability at most 2⁻¹²⁸ (proof: item (d) of the
/// [module documentation](self)).
///
/// Each of the [`SCREEN_ROUNDS`] rounds sums a uniformly random subset of the points and tests
/// the sum with [`torsion_free`]. The points are taken four at a time: the 16 sums of each
/// group's subsets are computed once (11 additions), and each round adds one of them per group,
/// chosen by 4 random bits. That is about 35 additions per point plus [`SCREEN_ROUNDS`] torsion
/// tests, instead of one torsion test per point.
///
/// The subset bits come from SHA-512 of a seed that hashes a domain string, the caller's entropy
/// and every point's encoding as given.
pub(super) fn all_torsion_free(entropy: &[u8; 32], points: &[(EdwardsPoint, &[u8; 32])]) -> bool {
    use curve25519_dalek::traits::Identity;
    use sha2::{Digest, Sha512};

    let mut seed = random_seed(b"transmittal-torsion-screen-v1", entropy);
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

/// The batch equation `Σ zᵢ·Rᵢ + Σ_A (Σ_{i: Aᵢ = A} zᵢ·kᵢ)·A − (Σ zᵢ·Sᵢ)·B = 0` over items that
/// passed every pre-check and the routing, with `kᵢ = SHA-512(Rᵢ ‖ Aᵢ ‖ Mᵢ) mod L` as in RFC 8032
/// and random 128-bit weights `zᵢ`: ed25519-dalek's `verify_batch` equation, with `R` taken
/// already decoded and the terms of one key gathered into one (an audit has few keys and many
/// signatures). Why an accepting equation means every item is strictly valid: item (e) of the
/// [module documentation](self).
///
/// The weights are the first 128 bits of `SHA-512(seed ‖ i)`, where the seed is a SHA-512 of a
/// domain string, the caller's entropy and every `kᵢ`, `Sᵢ` and
/// `Rᵢ`.
pub(super) fn batch_equation(entropy: &[u8; 32], chunk: &[Pending<'_>]) -> bool {
    use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
    use sha2::{Digest, Sha512};

    let mut items: Vec<(Scalar, usize)> = Vec::with_capacity(chunk.len());
    let mut keys: Vec<(&[u8; 32], EdwardsPoint)> = Vec::new();
    let mut seed = random_seed(b"transmittal-batch-weights-v1", entropy);
    for p in chunk {
        let a_bytes = p.key.as_bytes();
        let k = challenge(&p.key, p.message, &p.signature);
        let key_index = match keys.iter().position(|(b, _)| *b == a_bytes) {
            Some(i) => i,
            None => {
                keys.push((a_bytes, p.key.to_edwards()));
                keys.len() - 1
            }
        };
        seed.update(k.as_bytes());
        seed.update(p.s.as_bytes());
        seed.update(p.signature.r_bytes());
        items.push((k, key_index));
    }
    let seed = seed.finalize();

    let mut scalars: Vec<Scalar> = Vec::with_capacity(chunk.len() + keys.len() + 1);
    let mut points: Vec<EdwardsPoint> = Vec::with_capacity(chunk.len() + keys.len() + 1);
    let mut key_weights = vec![Scalar::ZERO; keys.len()];
    let mut b_weight = Scalar::ZERO;
    for (i, ((k, key_index), p)) in items.iter().zip(chunk).enumerate() {
        let mut h = Sha512::new();
        h.update(seed);
        h.update((i as u64).to_le_bytes());
        let wide = h.finalize();
        let mut z = [0u8; 32];
        z[..16].copy_from_slice(&wide[..16]);
        let z = Scalar::from_bytes_mod_order(z);
        scalars.push(z);
        points.push(p.r);
        if let Some(w) = key_weights.get_mut(*key_index) {
            *w += z * k;
        }
        b_weight -= z * p.s;
    }
    for ((_, a), w) in keys.iter().zip(key_weights) {
        scalars.push(w);
        points.push(*a);
    }
    scalars.push(b_weight);
    points.push(curve25519_dalek::constants::ED25519_BASEPOINT_POINT);
    EdwardsPoint::vartime_multiscalar_mul(&scalars, &points).is_identity()
}

/// A key as checked for one [`verify_many`] call.
struct KeyEntry {
    checked: Result<VerifyingKey, Rejection>,
    /// Whether the key lies in the prime-order subgroup (`false` if it failed its checks).
    torsion_free: bool,
}

impl KeyEntry {
    fn new(bytes: &[u8; PUBLIC_KEY_LENGTH]) -> KeyEntry {
        let checked = check_key(bytes);
        let torsion_free = checked
            .as_ref()
            .is_ok_and(|key| torsion_free(&key.to_edwards()));
        KeyEntry {
            checked,
            torsion_free,
        }
    }
}

/// An item that passed every pre-check and has a torsion-free key.
pub(super) struct Pending<'a> {
    pub(super) index: usize,
    pub(super) key: VerifyingKey,
    pub(super) message: &'a [u8],
    pub(super) signature: Signature,
    /// `R`, decoded.
    pub(super) r: EdwardsPoint,
    /// `S`, canonical.
    pub(super) s: Scalar,
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

/// A SHA-512 state that has absorbed `domain` and the caller's `entropy` ([`NO_ENTROPY`] when it
/// has none: the callers also hash every input, so their choices stay bound to the inputs), for
/// the random choices of [`batch_equation`] and [`all_torsion_free`].
fn random_seed(domain: &[u8], entropy: &[u8; 32]) -> sha2::Sha512 {
    use sha2::Digest;
    let mut seed = sha2::Sha512::new();
    seed.update(domain);
    seed.update(entropy);
    seed
}
