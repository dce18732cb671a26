//! Adversarial batches for the differential test of [`verify_many`](super::verify_many) against
//! [`verify_strict`](super::verify_strict): one generator, driven by the fuzzer's bytes in
//! `fuzz/fuzz_targets/crypto_batch.rs` and by a fixed pseudo-random stream in the unit test
//! `crypto::tests::verify_many_is_verify_strict_on_random_adversarial_batches`.
//!
//! The source's bytes drive a generator of items: honest signatures by three keys; one bit
//! flipped; `S + L`; signatures by a malicious signer who knows the secret scalar `a` of
//! `A = [a]B + T_A` and signs with `R = [r]B + T_R` (`T_A`, `T_R` among the eight torsion points),
//! with or without retrying until the cofactorless residue `T_R + [k]T_A` vanishes (strictly valid
//! signatures by mixed-order keys); non-canonical encodings of `R` or of the key (`y = p + k`, the
//! sign bit on `x = 0`); duplicates of earlier items, or their key and signature on another
//! message; weak keys with small-order `R`; random bytes; honest signatures with a torsion point
//! added to `R`. A batch optionally avoids torsion components in `R` (so that it can pass the
//! torsion screen) and is optionally spread among honest signatures (so that it reaches the
//! screen and the batch equation, and spans two chunks).
//!
//! Compiled for the crate's tests and with the `adversarial` feature (the fuzz target's); never
//! part of a normal build.

use super::{verify_many, verify_strict, BatchItem, Rejection};
use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::traits::IsIdentity;
use curve25519_dalek::Scalar;
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha512};
use std::sync::OnceLock;

/// An item: public key, message, signature.
pub type Owned = ([u8; 32], Vec<u8>, [u8; 64]);

/// Where the generator's choices come from.
pub trait Source {
    /// The next byte.
    fn byte(&mut self) -> u8;
}

/// A fuzzer's bytes, then zeros.
pub struct Bytes<'a>(pub &'a [u8]);

impl Source for Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
}

/// A fixed pseudo-random stream (a 64-bit LCG), for tests.
pub struct Stream(pub u64);

impl Source for Stream {
    fn byte(&mut self) -> u8 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 56) as u8
    }
}

fn array<const N: usize>(src: &mut impl Source) -> [u8; N] {
    let mut out = [0u8; N];
    for b in &mut out {
        *b = src.byte();
    }
    out
}

/// The three honest keys.
pub fn honest_keys() -> &'static [SigningKey] {
    static KEYS: OnceLock<Vec<SigningKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (40u8..43)
            .map(|i| SigningKey::from_bytes(&[i; 32]))
            .collect()
    })
}

/// 300 honest signatures by the honest keys (enough to reach the torsion screen and to span two
/// batch chunks).
pub fn padding() -> &'static [Owned] {
    static PAD: OnceLock<Vec<Owned>> = OnceLock::new();
    PAD.get_or_init(|| {
        let keys = honest_keys();
        (0..300)
            .map(|i| {
                let k = &keys[i % keys.len()];
                let m = format!("padding {i}").into_bytes();
                let s = super::sign(k, &m);
                (k.verifying_key().to_bytes(), m, s)
            })
            .collect()
    })
}

/// A batch from `src`: whether `R` may carry torsion, how much padding (none, 256 or 300
/// honest signatures, known to verify), up to `max_items` adversarial items inserted at places
/// `src` chooses. Each element carries the known answer of a padding item, `None` for the others.
pub fn batch(src: &mut impl Source, max_items: u8) -> Vec<(Owned, Option<Result<(), Rejection>>)> {
    let torsion_r = src.byte() % 4 == 0;
    let pad_len = [0, 256, 300][usize::from(src.byte() % 3)];
    let count = 1 + usize::from(src.byte() % max_items.max(1));
    let mut made: Vec<Owned> = Vec::with_capacity(count);
    for _ in 0..count {
        let next = item(src, &made, torsion_r);
        made.push(next);
    }
    let mut all: Vec<(Owned, Option<Result<(), Rejection>>)> = padding()[..pad_len]
        .iter()
        .map(|p| (p.clone(), Some(Ok(()))))
        .collect();
    for m in made {
        let at = usize::from(src.byte()) * all.len() / 256;
        all.insert(at, (m, None));
    }
    all
}

/// `verify_many` of the batch, compared item by item with `verify_strict` (or the known answer):
/// the answers, or the first disagreement.
pub fn check(
    all: &[(Owned, Option<Result<(), Rejection>>)],
) -> Result<Vec<Result<(), Rejection>>, String> {
    let items: Vec<BatchItem<'_>> = all
        .iter()
        .map(|((k, m, s), _)| BatchItem {
            public_key: k,
            message: m,
            signature: s,
        })
        .collect();
    let got = verify_many(&items);
    if got.len() != all.len() {
        return Err(format!("{} answers for {} items", got.len(), all.len()));
    }
    for (i, (((k, m, s), known), got)) in all.iter().zip(&got).enumerate() {
        let want = known.unwrap_or_else(|| verify_strict(k, m, s));
        if *got != want {
            return Err(format!(
                "item {i} of {}: verify_many {got:?}, verify_strict {want:?}",
                all.len()
            ));
        }
    }
    Ok(got)
}

/// `L`, little-endian, from curve25519-dalek (`-1 = L - 1`).
fn group_order() -> [u8; 32] {
    let mut l = (Scalar::ZERO - Scalar::ONE).to_bytes();
    l[0] += 1;
    l
}

/// `p - 1`, little-endian: the encoding of `(0, -1)`, the point of order 2.
fn p_minus_one() -> [u8; 32] {
    EIGHT_TORSION[4].compress().to_bytes()
}

/// `y = p + k` (`k < 19`), with an optional sign bit: a non-canonical encoding of `y = k`.
fn p_plus(k: u8, sign: bool) -> [u8; 32] {
    let mut b = p_minus_one();
    b[0] += 1 + k % 19;
    if sign {
        b[31] |= 0x80;
    }
    b
}

/// `S + L` (mod 2^256).
fn plus_l(sig: &[u8; 64]) -> [u8; 64] {
    let mut out = *sig;
    let mut carry = 0u16;
    for (o, l) in out[32..].iter_mut().zip(group_order()) {
        let sum = u16::from(*o) + u16::from(l) + carry;
        *o = sum as u8;
        carry = sum >> 8;
    }
    out
}

fn k_of(r: &[u8; 32], a: &[u8; 32], m: &[u8]) -> Scalar {
    let mut h = Sha512::new();
    h.update(r);
    h.update(a);
    h.update(m);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

/// A signer who knows `a` in `A = [a]B + T_A` and signs with `R = [r]B + T_R`, `S = r + k·a`.
fn malicious(src: &mut impl Source, message: &[u8], valid: bool, torsion_r: bool) -> Owned {
    let a = Scalar::from_bytes_mod_order(array(src));
    let t_a = EIGHT_TORSION[usize::from(src.byte() % 8)];
    let t_r = EIGHT_TORSION[usize::from(src.byte() % 8 * u8::from(torsion_r))];
    let a_bytes = (ED25519_BASEPOINT_POINT * a + t_a).compress().to_bytes();
    let mut out = ([0; 32], message.to_vec(), [0; 64]);
    let nonce = Scalar::from_bytes_mod_order(array(src));
    for attempt in 0..32u8 {
        let r = nonce + Scalar::from(attempt);
        let t = if valid && torsion_r {
            EIGHT_TORSION[usize::from(attempt % 8)]
        } else {
            t_r
        };
        let r_bytes = (ED25519_BASEPOINT_POINT * r + t).compress().to_bytes();
        let k = k_of(&r_bytes, &a_bytes, message);
        let s = r + k * a;
        out.0 = a_bytes;
        out.2[..32].copy_from_slice(&r_bytes);
        out.2[32..].copy_from_slice(s.as_bytes());
        if !valid || (t + t_a * k).is_identity() {
            break;
        }
    }
    out
}

/// One adversarial item; `earlier` are the items made so far (for duplicates and swaps).
/// Without `torsion_r`, no item has a torsion component in a canonical `R` of large order (so
/// that a batch of them can pass the torsion screen).
pub fn item(src: &mut impl Source, earlier: &[Owned], torsion_r: bool) -> Owned {
    let keys = honest_keys();
    let message = array::<4>(src).to_vec();
    let signer = &keys[usize::from(src.byte()) % keys.len()];
    let honest = || {
        (
            signer.verifying_key().to_bytes(),
            message.clone(),
            super::sign(signer, &message),
        )
    };
    match src.byte() % 12 {
        0 | 1 => honest(),
        2 => {
            let (k, m, mut s) = honest();
            let bit = src.byte();
            s[usize::from(bit / 8) % 64] ^= 1 << (bit % 8);
            (k, m, s)
        }
        3 => {
            let (k, m, s) = honest();
            (k, m, plus_l(&s))
        }
        4 | 5 => malicious(src, &message, false, torsion_r),
        6 => malicious(src, &message, true, torsion_r),
        7 => {
            let (mut k, m, mut s) = honest();
            let choice = src.byte();
            let spelling = if choice % 3 == 0 {
                // -0: (0, 1) or (0, -1) with the sign bit set.
                let mut e = if choice & 2 == 0 {
                    EIGHT_TORSION[0].compress().to_bytes()
                } else {
                    p_minus_one()
                };
                e[31] |= 0x80;
                e
            } else {
                p_plus(choice % 19, choice & 0x80 != 0)
            };
            if choice & 1 == 0 {
                s[..32].copy_from_slice(&spelling);
            } else {
                k = spelling;
            }
            (k, m, s)
        }
        8 => match earlier.get(usize::from(src.byte()) % earlier.len().max(1)) {
            Some(e) if src.byte() % 2 == 0 => e.clone(),
            Some((k, _, s)) => (*k, message, *s),
            None => honest(),
        },
        9 => {
            let key = EIGHT_TORSION[usize::from(src.byte() % 8)]
                .compress()
                .to_bytes();
            let mut s = [0u8; 64];
            s[..32].copy_from_slice(
                &EIGHT_TORSION[usize::from(src.byte() % 8)]
                    .compress()
                    .to_bytes(),
            );
            (key, message, s)
        }
        10 => {
            let mut s = [0u8; 64];
            s[..32].copy_from_slice(&array::<32>(src));
            s[32..].copy_from_slice(&array::<32>(src));
            (array(src), message, s)
        }
        _ => {
            let (k, m, mut s) = honest();
            let mut r_bytes = [0u8; 32];
            r_bytes.copy_from_slice(&s[..32]);
            if let Some(r) = CompressedEdwardsY(r_bytes).decompress() {
                let r = r + EIGHT_TORSION[usize::from(src.byte() % 8 * u8::from(torsion_r))];
                s[..32].copy_from_slice(r.compress().as_bytes());
            }
            (k, m, s)
        }
    }
}
