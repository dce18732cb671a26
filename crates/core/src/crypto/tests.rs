//! Unit tests of the crypto module: reasons, encodings, the torsion screen, the batch equation,
//! and the differential check `verify_many == verify_strict` on random adversarial batches.

use super::batch::{
    all_torsion_free, batch_equation, torsion_free, Pending, NO_ENTROPY, SCREEN_MIN,
};
use super::*;

const SEED: [u8; 32] = [7; 32];

/// Test data (the implementation has no such constants; `test_constants_are_dalek_s` ties them
/// to curve25519-dalek): the group order `L`, the field prime `p = 2^255 - 19` and `p - 1`,
/// little-endian.
const GROUP_ORDER_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];
const FIELD_PRIME_P: [u8; 32] = [
    0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
];
const FIELD_MINUS_ONE: [u8; 32] = [
    0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
];

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
            .map(|(i, (m, s))| {
                let checked = check_signature(&s.to_bytes()).unwrap();
                Pending {
                    index: i,
                    key: keys[key_of(i)].verifying_key(),
                    message: &m[..],
                    signature: *s,
                    r: checked.r,
                    s: checked.s,
                }
            })
            .collect()
    }
    let good = pending(&keys, &messages, &sigs, &|i| i % 3);
    assert!(batch_equation(&NO_ENTROPY, &good));
    assert!(batch_equation(&NO_ENTROPY, &good[..1]));
    let mut other = messages.clone();
    other[7] = b"message 7 changed".to_vec();
    assert!(!batch_equation(
        &NO_ENTROPY,
        &pending(&keys, &other, &sigs, &|i| i % 3)
    ));
    assert!(!batch_equation(
        &NO_ENTROPY,
        &pending(&keys, &messages, &sigs, &|i| if i == 4 { 2 } else { i % 3 })
    ));
    let mut bad_s = sigs.clone();
    let mut b = bad_s[11].to_bytes();
    b[32] ^= 1;
    bad_s[11] = Signature::from_bytes(&b);
    assert!(!batch_equation(
        &NO_ENTROPY,
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
    all_torsion_free(&NO_ENTROPY, &pairs)
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
    let messages: std::collections::HashSet<String> = all.iter().map(ToString::to_string).collect();
    let codes: std::collections::HashSet<&str> = all.iter().map(|r| Rejection::code(*r)).collect();
    assert_eq!(messages.len(), all.len());
    assert_eq!(codes.len(), all.len());
    assert!(messages.iter().all(|m| !m.is_empty() && !m.contains('\n')));
}

#[test]
fn test_constants_are_dalek_s() {
    use curve25519_dalek::constants::EIGHT_TORSION;
    let mut l_minus_one = GROUP_ORDER_L;
    l_minus_one[0] -= 1;
    assert_eq!((Scalar::ZERO - Scalar::ONE).to_bytes(), l_minus_one);
    // (0, -1), the point of order 2, is encoded as y = p - 1.
    assert_eq!(EIGHT_TORSION[4].compress().to_bytes(), FIELD_MINUS_ONE);
    let mut p_minus_one = FIELD_PRIME_P;
    p_minus_one[0] -= 1;
    assert_eq!(p_minus_one, FIELD_MINUS_ONE);
}

#[test]
fn canonical_encoding_check_is_the_round_trip() {
    // Every y < 19 and every y = p + k (k < 19: all y >= p), both signs, the encodings with
    // bits 248-254 set, plus ordinary points and random bytes: wherever the encoding decodes,
    // the check must be exactly `compress(decompress(e)) == e`.
    let mut encodings = Vec::new();
    for k in 0..19u8 {
        for sign in [false, true] {
            encodings.push(encoding(k, if sign { 0x80 } else { 0 }));
            encodings.push(p_plus(k, sign));
            let mut below_p = FIELD_MINUS_ONE;
            below_p[0] -= k;
            if sign {
                below_p[31] |= 0x80;
            }
            encodings.push(below_p);
        }
    }
    encodings.push([0xff; 32]);
    encodings.push([0x7f; 32]);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..400u32 {
        let pk = SigningKey::from_bytes(&[(i % 251) as u8; 32])
            .verifying_key()
            .to_bytes();
        let mut flipped = pk;
        flipped[31] ^= 0x80;
        encodings.push(pk);
        encodings.push(flipped);
        let mut random = [0u8; 32];
        for b in &mut random {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            *b = (state >> 56) as u8;
        }
        encodings.push(random);
        random[31] |= 0x7f;
        encodings.push(random);
    }
    let mut decoded = 0;
    let mut non_canonical = 0;
    for e in &encodings {
        let Some(point) = curve25519_dalek::edwards::CompressedEdwardsY(*e).decompress() else {
            continue;
        };
        decoded += 1;
        let round_trip = point.compress().to_bytes() == *e;
        assert_eq!(
            is_canonical_encoding(e, &point, point.is_small_order()),
            round_trip,
            "{}",
            hex::encode(e)
        );
        non_canonical += usize::from(!round_trip);
    }
    assert!(decoded > 1000, "{decoded}");
    // y = 0..18 on the curve: their p + k twins, and the -0 spellings of (0, 1) and (0, -1).
    assert!(non_canonical >= 14, "{non_canonical}");
}

#[test]
fn s_bound_is_exactly_l() {
    let (_, _, sig) = good();
    let s_check = |s: [u8; 32]| check_signature(&with_s(&sig, s)).err();
    let mut below = GROUP_ORDER_L;
    below[0] -= 1;
    let mut above = GROUP_ORDER_L;
    above[0] += 1;
    let mut top_bits = [0u8; 32];
    top_bits[31] = 0x20;
    let mut just_under_2_252 = [0xff; 32];
    just_under_2_252[31] = 0x0f;
    for fine in [[0; 32], below, just_under_2_252] {
        assert_eq!(s_check(fine), None);
    }
    for bad in [GROUP_ORDER_L, above, [0xff; 32], top_bits] {
        assert_eq!(s_check(bad), Some(Rejection::NonCanonicalS));
    }
}

/// Random adversarial batches (`crypto::adversarial`, the generator of the fuzz target
/// `crypto_batch`, driven by a fixed pseudo-random stream instead of the fuzzer's bytes):
/// `verify_many` must answer every item exactly as `verify_strict`.
#[test]
fn verify_many_is_verify_strict_on_random_adversarial_batches() {
    use super::adversarial::{batch, check, Stream};
    // Whether `verify_many` can take the batched path for an item: it passes the pre-checks, its
    // key is torsion-free, and its `R` is not (then the screen fails for the whole call).
    let spoils_the_screen = |(k, _, s): &super::adversarial::Owned| {
        let (Ok(key), Ok(checked)) = (check_key(k), check_signature(s)) else {
            return false;
        };
        torsion_free(&key.to_edwards()) && !torsion_free(&checked.r)
    };
    let (mut screened, mut batched_ok, mut batched_bad, mut ok, mut refused) = (0, 0, 0, 0, 0);
    for seed in 0..300u64 {
        let all = batch(
            &mut Stream(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed),
            24,
        );
        let got = check(&all).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let padded = all.len() >= SCREEN_MIN;
        let through_screen = padded
            && !all
                .iter()
                .any(|(item, known)| known.is_none() && spoils_the_screen(item));
        screened += usize::from(through_screen);
        for ((_, known), got) in all.iter().zip(&got) {
            if known.is_none() {
                ok += usize::from(got.is_ok());
                refused += usize::from(got.is_err());
                if through_screen {
                    batched_ok += usize::from(got.is_ok());
                    batched_bad += usize::from(*got == Err(Rejection::BadSignature));
                }
            }
        }
    }
    eprintln!(
        "screened batches {screened}, adversarial items: batched ok {batched_ok}, batched bad {batched_bad}, ok {ok}, refused {refused}"
    );
    // Every path is taken: batches through the screen with adversarial items accepted and
    // refused in them (the equation and its fallback), and refusals of every other kind.
    assert!(screened > 40, "{screened}");
    assert!(batched_ok > 100, "{batched_ok}");
    assert!(batched_bad > 50, "{batched_bad}");
    assert!(ok > 500 && refused > 500, "{ok} {refused}");
}
