//! Tokens made by `scripts/make-tsa-fixtures.sh` (OpenSSL 3) under `tests/data/tsa/`.

use super::*;
use sha2::Sha256;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/tsa/",
            $name
        ))
        .as_slice()
    };
}

/// SHA-256 of the stand-in signature 00 01 .. 3f, which every fixture token covers.
fn imprint() -> [u8; 32] {
    let signature: Vec<u8> = (0u8..64).collect();
    Sha256::digest(&signature).into()
}

/// The nonce of `request.tsq`: 01 02 .. 10.
fn nonce() -> [u8; 16] {
    core::array::from_fn(|i| i as u8 + 1)
}

fn roots() -> Vec<Vec<u8>> {
    vec![fixture!("root.der").to_vec()]
}

fn other_roots() -> Vec<Vec<u8>> {
    vec![fixture!("other-root.der").to_vec()]
}

fn verify(token: &[u8]) -> Result<ProvenTime, TimestampError> {
    verify_token(token, &imprint(), &roots())
}

/// `token` with the byte at `at` xor-ed with 1.
fn flipped(token: &[u8], at: usize) -> Vec<u8> {
    let mut t = token.to_vec();
    t[at] ^= 1;
    t
}

fn position(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle in haystack")
}

#[test]
fn rsa_p256_and_p384_tokens_verify() {
    for (token, tsa) in [
        (fixture!("rsa.tst"), "CN=Test TSA RSA,O=Transmittal Test"),
        (fixture!("p256.tst"), "CN=Test TSA P-256,O=Transmittal Test"),
        (fixture!("p384.tst"), "CN=Test TSA P-384,O=Transmittal Test"),
    ] {
        let proven = verify(token).unwrap_or_else(|e| panic!("{tsa}: {e}"));
        assert_eq!(proven.tsa, tsa);
        assert_eq!(proven.root, "CN=Test TSA Root,O=Transmittal Test");
        assert_eq!(proven.policy, "1.3.6.1.4.1.99999.1.1");
        assert!(!proven.serial.is_empty());
        assert!(proven
            .serial
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        // Made after 2024 by a TSA whose certificate is valid until 2100.
        assert!(proven.gen_time > 1_704_067_200 && proven.gen_time < 4_102_444_800);
        let t = time::OffsetDateTime::from_unix_timestamp(proven.gen_time).unwrap();
        assert_eq!(
            proven.gen_time_rfc3339,
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        );
    }
}

#[test]
fn the_p384_token_chains_through_the_intermediate_it_carries() {
    // The P-384 TSA is issued by an intermediate CA carried in the token, not by the root.
    let token = fixture!("p384.tst");
    assert!(verify(token).is_ok());
    // The intermediate is not a root: trusting only the RSA TSA's root still needs the path.
    let cms_certs = {
        let d = decode_token(token).unwrap();
        asn1::raw_parts(&d.signed_data_der).unwrap().certificates
    };
    assert_eq!(cms_certs.len(), 2);
}

#[test]
fn another_imprint_is_an_imprint_mismatch() {
    let mut other = imprint();
    other[0] ^= 0x80;
    for token in [
        fixture!("rsa.tst"),
        fixture!("p256.tst"),
        fixture!("p384.tst"),
    ] {
        assert_eq!(
            verify_token(token, &other, &roots()),
            Err(TimestampError::ImprintMismatch)
        );
    }
}

#[test]
fn a_changed_tstinfo_is_a_digest_mismatch() {
    for token in [
        fixture!("rsa.tst"),
        fixture!("p256.tst"),
        fixture!("p384.tst"),
    ] {
        let at = position(token, &imprint());
        assert_eq!(
            verify(&flipped(token, at + 5)),
            Err(TimestampError::DigestMismatch)
        );
    }
}

#[test]
fn a_changed_signature_is_a_bad_signature() {
    for token in [
        fixture!("rsa.tst"),
        fixture!("p256.tst"),
        fixture!("p384.tst"),
    ] {
        // The signature is the token's last field (no unsigned attributes).
        assert_eq!(
            verify(&flipped(token, token.len() - 2)),
            Err(TimestampError::BadSignature)
        );
    }
}

#[test]
fn a_changed_signed_attribute_is_a_bad_signature() {
    // The signingTime attribute is signed but checked by nothing else: changing one of its
    // digits (UTCTime YYMMDDhhmmssZ, its last digit before Z) only breaks the signature.
    for token in [fixture!("rsa.tst"), fixture!("p256.tst")] {
        let signing_time_oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05,
        ];
        let at = position(token, &signing_time_oid);
        // OID (11 bytes), SET header (2), UTCTime header (2), then 13 characters.
        let last_digit = at + 11 + 2 + 2 + 11;
        assert!(token[last_digit].is_ascii_digit());
        assert_eq!(
            verify(&flipped(token, last_digit)),
            Err(TimestampError::BadSignature)
        );
    }
}

#[test]
fn a_token_from_another_root_is_untrusted() {
    for token in [
        fixture!("rsa.tst"),
        fixture!("p256.tst"),
        fixture!("p384.tst"),
    ] {
        assert!(matches!(
            verify_token(token, &imprint(), &other_roots()),
            Err(TimestampError::Untrusted(_))
        ));
        assert!(matches!(
            verify_token(token, &imprint(), &[]),
            Err(TimestampError::Untrusted(_))
        ));
    }
    // With both roots the right one is found and named.
    let both = [other_roots(), roots()].concat();
    let proven = verify_token(fixture!("p256.tst"), &imprint(), &both).unwrap();
    assert_eq!(proven.root, "CN=Test TSA Root,O=Transmittal Test");
}

#[test]
fn a_root_of_the_same_name_with_another_key_is_a_bad_path() {
    // The issuer's name matches, but the certificate's signature does not verify under the
    // namesake's key: webpki's InvalidSignatureForPublicKey.
    let namesake = vec![fixture!("namesake-root.der").to_vec()];
    for token in [fixture!("rsa.tst"), fixture!("p256.tst")] {
        let err = verify_token(token, &imprint(), &namesake).unwrap_err();
        assert!(matches!(err, TimestampError::BadPath(_)), "{err:?}");
    }
}

#[test]
fn a_tsa_certificate_expired_at_gen_time_is_not_valid_at_time() {
    assert!(matches!(
        verify(fixture!("expired.tst")),
        Err(TimestampError::CertNotValidAtTime(_))
    ));
}

#[test]
fn a_tsa_certificate_without_time_stamping_is_refused() {
    // No extended key usage at all (webpki's check).
    assert_eq!(
        verify(fixture!("noeku.tst")),
        Err(TimestampError::NotForTimestamping)
    );
    // timeStamping, but not critical (RFC 3161 §2.3).
    assert_eq!(
        verify(fixture!("noncritical.tst")),
        Err(TimestampError::NotForTimestamping)
    );
    // Critical, but with codeSigning too (RFC 3161 §2.3: the only one).
    assert_eq!(
        verify(fixture!("extra-eku.tst")),
        Err(TimestampError::NotForTimestamping)
    );
}

#[test]
fn a_tsa_under_a_ca_restricted_to_other_purposes_is_refused() {
    // The TSA certificate is fine but its CA's extended key usage is serverAuth only
    // (webpki's check of the CAs on the path).
    assert_eq!(
        verify(fixture!("ca-eku.tst")),
        Err(TimestampError::NotForTimestamping)
    );
}

#[test]
fn the_hand_built_tokens_are_built_right() {
    // The builder of the EKU fixtures makes tokens this verifier accepts with a proper TSA
    // certificate, so the refusals above are about the certificates alone.
    assert!(verify(fixture!("built-good.tst")).is_ok());
    // An ESSCertID (v1, SHA-1) is accepted too.
    assert!(verify(fixture!("ess-v1.tst")).is_ok());
}

#[test]
fn the_signing_certificate_attribute_must_name_the_signer() {
    assert!(matches!(
        verify(fixture!("no-ess.tst")),
        Err(TimestampError::CertIdMismatch(_))
    ));
    assert!(matches!(
        verify(fixture!("ess-wrong-cert.tst")),
        Err(TimestampError::CertIdMismatch(_))
    ));
}

#[test]
fn garbage_and_oversized_tokens_are_malformed() {
    assert!(matches!(
        verify(b"not a token"),
        Err(TimestampError::Malformed(_))
    ));
    assert!(matches!(verify(&[]), Err(TimestampError::Malformed(_))));
    let big = vec![0u8; MAX_TOKEN_BYTES + 1];
    assert!(matches!(verify(&big), Err(TimestampError::Malformed(_))));
    // A response is not a token.
    assert!(matches!(
        verify(fixture!("p256.tsr")),
        Err(TimestampError::Malformed(_))
    ));
    // Every truncation of a token is refused without a panic.
    let token = fixture!("p256.tst");
    for len in 0..token.len() {
        assert!(verify(&token[..len]).is_err());
    }
}

#[test]
fn the_request_is_the_one_openssl_would_send() {
    assert_eq!(build_request(&imprint(), &nonce()), fixture!("request.tsq"));
    // A nonce with its top bit set stays a positive INTEGER.
    let request = build_request(&imprint(), &[0xff; 16]);
    let decoded = TimeStampReq::from_der(&request).unwrap();
    assert_eq!(decoded.nonce.unwrap().as_bytes()[0], 0x00);
    assert!(decoded.cert_req);
    assert_eq!(decoded.message_imprint.hash_algorithm.oid, ID_SHA256);
    assert_eq!(
        decoded.message_imprint.hashed_message.as_bytes(),
        imprint().as_slice()
    );
}

#[test]
fn a_granted_response_gives_its_token() {
    for (response, token) in [
        (fixture!("rsa.tsr"), fixture!("rsa.tst")),
        (fixture!("p256.tsr"), fixture!("p256.tst")),
        (fixture!("p384.tsr"), fixture!("p384.tst")),
    ] {
        assert_eq!(
            token_from_response(response, &imprint(), Some(&nonce())).unwrap(),
            token
        );
        assert_eq!(
            token_from_response(response, &imprint(), None).unwrap(),
            token
        );
    }
}

#[test]
fn a_response_with_another_nonce_is_a_nonce_mismatch() {
    let mut other = nonce();
    other[15] ^= 1;
    assert_eq!(
        token_from_response(fixture!("p256.tsr"), &imprint(), Some(&other)),
        Err(TimestampError::NonceMismatch)
    );
    // The reply to another request (a random nonce of OpenSSL's).
    assert_eq!(
        token_from_response(fixture!("other-nonce.tsr"), &imprint(), Some(&nonce())),
        Err(TimestampError::NonceMismatch)
    );
}

#[test]
fn a_response_for_another_imprint_is_an_imprint_mismatch() {
    let mut other = imprint();
    other[31] ^= 1;
    assert_eq!(
        token_from_response(fixture!("p256.tsr"), &other, Some(&nonce())),
        Err(TimestampError::ImprintMismatch)
    );
}

#[test]
fn a_rejected_response_is_not_granted() {
    let err = token_from_response(fixture!("rejected.tsr"), &imprint(), None).unwrap_err();
    let TimestampError::NotGranted(text) = &err else {
        panic!("{err:?}");
    };
    assert!(text.starts_with("rejection (2)"), "{text}");
    assert!(text.contains("not supported"), "{text}");
    assert!(text.contains("badAlg"), "{text}");
    assert_eq!(
        token_from_file_bytes(fixture!("rejected.tsr")),
        Err(err.clone())
    );
}

#[test]
fn a_file_holds_a_response_or_a_token() {
    assert_eq!(
        token_from_file_bytes(fixture!("p256.tsr")).unwrap(),
        fixture!("p256.tst")
    );
    assert_eq!(
        token_from_file_bytes(fixture!("p256.tst")).unwrap(),
        fixture!("p256.tst")
    );
    assert!(matches!(
        token_from_file_bytes(b"\x30\x03\x02\x01\x00"),
        Err(TimestampError::Malformed(_))
    ));
    assert!(matches!(
        token_from_file_bytes(fixture!("request.tsq")),
        Err(TimestampError::Malformed(_))
    ));
}

#[test]
fn gen_time_may_have_a_fraction() {
    let at = |text: &str| {
        let any = Any::new(der::Tag::GeneralizedTime, text.as_bytes()).unwrap();
        asn1::gen_time_seconds(&any)
    };
    assert_eq!(at("20240102030405Z"), Ok(1_704_164_645));
    assert_eq!(at("20240102030405.123Z"), Ok(1_704_164_645));
    assert!(at("20240102030405.Z").is_err());
    assert!(at("20240102030405").is_err());
    assert!(at("2024010203040Z").is_err());
    assert!(at("20240102030405+0100").is_err());
    assert_eq!(rfc3339(1_704_164_645).unwrap(), "2024-01-02T03:04:05Z");
}

#[test]
fn verify_any_imprint_returns_the_imprint() {
    let (proven, alg, hashed) = verify_token_any_imprint(fixture!("p256.tst"), &roots()).unwrap();
    assert_eq!(alg, "2.16.840.1.101.3.4.2.1");
    assert_eq!(hashed, imprint());
    assert_eq!(proven, verify(fixture!("p256.tst")).unwrap());
}

/// A verification time (2033-05-18) at which `crl-root.der` is fresh and `crl-root-stale.der`
/// is not.
const NOW: i64 = 2_000_000_000;

fn verify_with_crls(
    token: &[u8],
    crls: &[&[u8]],
    now: Option<i64>,
    allow_stale_crl: bool,
) -> Result<ProvenTime, TimestampError> {
    let crls: Vec<Vec<u8>> = crls.iter().map(|c| c.to_vec()).collect();
    verify_token_with_crls(token, &imprint(), &roots(), &crls, now, allow_stale_crl)
}

#[test]
fn a_tsa_certificate_revoked_for_key_compromise_proves_nothing_whatever_its_gen_time() {
    let token = fixture!("kc.tst");
    assert!(verify(token).is_ok());
    // crl-root.der revokes it on 2049-01-01, long after the token's genTime: still revoked.
    for crl in [
        fixture!("crl-root.der"),
        fixture!("crl-root-early.der"),
        fixture!("crl-root-stale.der"),
    ] {
        let err = verify_with_crls(token, &[crl], Some(NOW), false).unwrap_err();
        assert!(
            matches!(err, TimestampError::TsaRevoked(ref m) if m.contains("Key Compromised") && m.contains("keyCompromise")),
            "{err:?}"
        );
    }
    let err = verify_with_crls(token, &[fixture!("crl-root.der")], None, true).unwrap_err();
    assert!(matches!(err, TimestampError::TsaRevoked(_)), "{err:?}");
}

#[test]
fn a_superseded_tsa_certificate_proves_times_before_its_revocation_only() {
    let token = fixture!("sup.tst");
    // Revoked on 2049-01-01, after genTime: the token stands.
    let proven = verify_with_crls(token, &[fixture!("crl-root.der")], Some(NOW), false).unwrap();
    assert!(proven.gen_time < 2_493_072_000);
    // Revoked on 2020-06-01, before genTime: it proves nothing.
    let err =
        verify_with_crls(token, &[fixture!("crl-root-early.der")], Some(NOW), false).unwrap_err();
    assert!(
        matches!(err, TimestampError::TsaRevoked(ref m) if m.contains("superseded")),
        "{err:?}"
    );
}

#[test]
fn a_stale_crl_for_the_tsa_issuer() {
    let token = fixture!("p256.tst");
    let stale = fixture!("crl-root-stale.der");
    assert_eq!(
        verify_with_crls(token, &[stale], Some(NOW), false),
        Err(TimestampError::CrlStale(
            "CN=Test TSA Root,O=Transmittal Test".into()
        ))
    );
    assert!(verify_with_crls(token, &[stale], Some(NOW), true).is_ok());
    assert!(verify_with_crls(token, &[stale], None, false).is_ok());
    // A fresh CRL beside it answers.
    assert!(verify_with_crls(token, &[stale, fixture!("crl-root.der")], Some(NOW), false).is_ok());
    // The messages say what happened.
    let msg = TimestampError::CrlStale("X".into()).to_string();
    assert!(msg.contains("out of date"), "{msg}");
}

#[test]
fn crls_on_a_longer_path_and_bad_crls() {
    // The P-384 TSA is issued by the intermediate, which has no CRL (nothing known); the root's
    // fresh CRL does not list the intermediate.
    assert!(verify_with_crls(
        fixture!("p384.tst"),
        &[fixture!("crl-root.der")],
        Some(NOW),
        false
    )
    .is_ok());
    // A CRL in the root's name whose signature does not verify, alone: BadCrl; beside a good
    // one, the good one answers.
    let mut tampered = fixture!("crl-root.der").to_vec();
    let last = tampered.len() - 3;
    tampered[last] ^= 1;
    let token = fixture!("p256.tst");
    let err = verify_with_crls(token, &[&tampered], Some(NOW), false).unwrap_err();
    assert!(matches!(err, TimestampError::BadCrl(_)), "{err:?}");
    assert!(verify_with_crls(
        token,
        &[&tampered, fixture!("crl-root.der")],
        Some(NOW),
        false
    )
    .is_ok());
    // Not a CRL at all.
    let err = verify_with_crls(token, &[b"junk"], Some(NOW), false).unwrap_err();
    assert!(matches!(err, TimestampError::BadCrl(_)), "{err:?}");
    // Without CRLs, verify_token_with_crls is verify_token.
    assert_eq!(
        verify_with_crls(token, &[], Some(NOW), false),
        verify(token)
    );
}

#[test]
fn latest_adds_the_accuracy_rounded_up() {
    for (token, extra) in [
        (fixture!("p256.tst"), 1),        // secs:1
        (fixture!("accuracy-ms.tst"), 3), // 2 s 500 ms
        (fixture!("accuracy-us.tst"), 1), // 1 µs
        (fixture!("no-accuracy.tst"), 0), // none
    ] {
        let proven = verify(token).unwrap();
        assert_eq!(proven.latest, proven.gen_time + extra);
    }
}

#[test]
fn latest_counts_the_fraction_of_gen_time() {
    let time = |text: &str| Any::new(der::Tag::GeneralizedTime, text.as_bytes()).unwrap();
    let base = 1_735_689_600; // 2025-01-01T00:00:00Z
    let acc = |s, ms, us| x509_tsp::Accuracy {
        seconds: s,
        millis: ms,
        micros: us,
    };
    assert_eq!(
        asn1::latest_seconds(&time("20250101000000Z"), None),
        Ok(base)
    );
    assert_eq!(
        asn1::latest_seconds(&time("20250101000000.000Z"), None),
        Ok(base)
    );
    assert_eq!(
        asn1::latest_seconds(&time("20250101000000.5Z"), None),
        Ok(base + 1)
    );
    assert_eq!(
        asn1::latest_seconds(&time("20250101000000.0000001Z"), None),
        Ok(base + 1)
    );
    assert_eq!(
        asn1::latest_seconds(
            &time("20250101000000.5Z"),
            Some(&acc(Some(1), Some(500), None))
        ),
        Ok(base + 2)
    );
    assert_eq!(
        asn1::latest_seconds(
            &time("20250101000000.5Z"),
            Some(&acc(Some(1), Some(501), None))
        ),
        Ok(base + 3)
    );
    assert!(
        asn1::latest_seconds(&time("20250101000000Z"), Some(&acc(None, Some(-1), None))).is_err()
    );
    assert!(asn1::latest_seconds(
        &time("20250101000000Z"),
        Some(&acc(Some(u64::MAX), None, None))
    )
    .is_err());
}
